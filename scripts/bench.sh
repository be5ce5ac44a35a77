#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# Benchmarks: run gso-bench RUNS times (each run alternates our engine and
# rte_gso over its repetitions and prints medians; then the pipeline's own
# cases), then print, per case, the median over the runs.
#
# Usage: scripts/bench.sh [RUNS] [extra gso-bench options]
# Example: scripts/bench.sh 3 --case tcp4
#          scripts/bench.sh 3 --case pipeline
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
for line in open(sys.argv[1]):
    m = re.match(r'(RESULT|RELATIVE|FLOOR) case=(\S+) (.*)', line)
    if not m:
        continue
    key = (m.group(1), m.group(2))
    if key not in rows:
        rows[key] = []
        order.append(key)
    rows[key].append(dict(kv.split('=') for kv in m.group(3).split()))
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
PY
