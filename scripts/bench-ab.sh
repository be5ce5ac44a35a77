#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# Did an engine change help? This host's speed drifts by 30-100% over
# minutes, so two bench.sh runs taken apart cannot tell a 5% change. This
# builds revision REV in a scratch worktree, then runs its gso-bench and
# the working tree's alternately, PAIRS times per case, and prints per
# case the median over the runs of ours/floor (both builds' floor is the
# same code, so it cancels most of the host's drift: docs/performance.md)
# and of ours/rte_gso.
#
# Usage: scripts/bench-ab.sh REV PAIRS CASE...
# (the IPv6 and UDP cases have no floor: they print ours_per_floor=na)
# GSO_AB_EXTRA in the environment: more gso-bench options, for both builds
# (e.g. GSO_AB_EXTRA=--buffers=copy to compare copy mode).
# Example: scripts/bench-ab.sh HEAD~2 5 tcp4_64000_b1_hwck tcp4_16000_b1_hwck
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 3 ] || { echo "usage: $0 REV PAIRS CASE..." >&2; exit 1; }
rev=$1 pairs=$2
shift 2
"$top/scripts/deps.sh"
"$top/scripts/build.sh" >/dev/null
base=$(mktemp -d)
out=$(mktemp)
trap 'git -C "$top" worktree remove --force "$base" 2>/dev/null || rm -rf "$base"; rm -f "$out"' EXIT
git -C "$top" worktree add -q --detach "$base" "$rev"
"$base/scripts/build.sh" >/dev/null
for c in "$@"; do
	i=0
	while [ "$i" -lt "$pairs" ]; do
		i=$((i + 1))
		for who in base new; do
			dir=$top
			[ "$who" = base ] && dir=$base
			"$dir/build/app/bench/gso-bench" --no-huge -m 2048 --no-pci \
				-l 0 --log-level='*:error' --file-prefix="gso-ab-$$" \
				-- --case "$c" --floor ${GSO_AB_EXTRA:-} | sed "s/^/$who /" >>"$out"
		done
	done
done
python3 - "$out" "$rev" <<'PY'
import re, statistics, sys
runs = {}
for line in open(sys.argv[1]):
    m = re.match(r'(base|new) (RESULT|FLOOR) case=(\S+) (.*)', line)
    if m:
        kv = dict(x.split('=') for x in m.group(4).split())
        runs.setdefault((m.group(1), m.group(3)), []).append((m.group(2), kv))
print("# %s (base) against the working tree (new), medians over the runs"
      % sys.argv[2])
for (who, case), rows in sorted(runs.items(), key=lambda x: (x[0][1], x[0][0])):
    res = [kv for k, kv in rows if k == 'RESULT']
    flo = [kv for k, kv in rows if k == 'FLOOR']
    of = [float(r['ours_mpps']) / float(f['floor_mpps']) for r, f in zip(res, flo)]
    og = [float(r['ratio']) for r in res]
    # Only the TCP/IPv4 cases have a floor (a base build from before the
    # swck floors has none for those): the others are compared by their
    # ratio to rte_gso alone (the same code in both builds too).
    pf = "%.3f" % statistics.median(of) if of else "na"
    print("AB case=%s build=%s ours_per_floor=%s ratio=%.2f runs=%d"
          % (case, who, pf, statistics.median(og), len(og)))
PY
