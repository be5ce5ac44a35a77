#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# Benchmarks: run gso-bench RUNS times (each run alternates our engine and
# rte_gso over its repetitions and prints medians; then the pipeline's own
# cases), then print, per case, the median over the runs.
#
# Usage: scripts/bench.sh [RUNS] [extra gso-bench options]
# Example: scripts/bench.sh 3 --case ^tcp4_     (plain TCP/IPv4 only)
#          scripts/bench.sh 3 --case pipeline
#          scripts/bench.sh 3 --case ^vxlan_,^gre_,^geneve_   (tunnels)
# A case that cannot run prints an ERROR line (gso-bench exits 1); the
# summary repeats those lines and the script then exits 1.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
[ $# -gt 0 ] && shift
"$top/scripts/deps.sh"
"$top/scripts/build.sh" >/dev/null
# Two lcores: the second runs only for the two-lcore pipeline case.
lcores=0
[ "$(nproc)" -gt 1 ] && lcores=0,1
# Say what was measured: the figures depend on the build's optimisation
# (DPDK's inline checksum helpers, which the rte_gso cases call, are only
# vectorised at -O3), so a build directory configured by hand shows here.
meson introspect "$top/build" --buildoptions | python3 -c '
import json, sys
o = {x["name"]: x["value"] for x in json.load(sys.stdin)}
print("# build: buildtype=%s optimization=%s c_args=%s" %
      (o["buildtype"], o["optimization"], " ".join(o["c_args"]) or "none"))'
out=$(mktemp)
trap 'rm -f "$out"' EXIT
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	echo "# run $i of $runs" >&2
	"$top/build/app/bench/gso-bench" --no-huge -m 2048 --no-pci -l "$lcores" \
		--log-level='*:error' --file-prefix="gso-bench-$$" -- "$@" | tee -a "$out" >&2
done
python3 - "$out" <<'PY'
import re, statistics, sys
rows = {}
order = []
errors = []
for line in open(sys.argv[1]):
    if line.startswith('ERROR '):
        errors.append(line.rstrip())
        continue
    m = re.match(r'(RESULT|RELATIVE|FLOOR|TUNNEL) case=(\S+) (.*)', line)
    if not m:
        continue
    key = (m.group(1), m.group(2))
    if key not in rows:
        rows[key] = []
        order.append(key)
    rows[key].append(dict(kv.split('=') for kv in m.group(3).split()))
if rows:
    print("# median over %d runs" % max(len(v) for v in rows.values()))
for kind, case in order:
    vals = rows[(kind, case)]
    fields = []
    for k in vals[0]:
        xs = [v[k] for v in vals]
        if any(x == 'na' for x in xs):
            fields.append('%s=na' % k)
        else:
            fields.append('%s=%.2f' % (k, statistics.median(float(x) for x in xs)))
    print('%s case=%s %s' % (kind, case, ' '.join(fields)))
# Issue 18's targets for the tunnel cases, from the medians: at least 2x
# rte_gso, and within 15% of the same inner flow without the tunnel.
def med(kind, case, key):
    xs = [v[key] for v in rows.get((kind, case), [])]
    if not xs or any(x == 'na' for x in xs):
        return None
    return statistics.median(float(x) for x in xs)
tun = [c for k, c in order if k == 'TUNNEL']
vs = [(c, med('RESULT', c, 'ratio')) for c in tun]
vs = [(c, r) for c, r in vs if r is not None]
rel = [(c, med('TUNNEL', c, 'ratio')) for c in tun]
if vs:
    print('# tunnels vs rte_gso: %d of %d cases >= 2.00 (lowest %.2f, %s)' %
          (sum(r >= 2.0 for c, r in vs), len(vs),
           min(r for c, r in vs), min(vs, key=lambda x: x[1])[0]))
if rel:
    print('# tunnels vs the plain inner flow: %d of %d cases >= 0.85 '
          '(lowest %.2f, %s)' % (sum(r >= 0.85 for c, r in rel), len(rel),
                                 min(r for c, r in rel),
                                 min(rel, key=lambda x: x[1])[0]))
for e in sorted(set(errors)):
    print(e)
sys.exit(1 if errors else 0)
PY
