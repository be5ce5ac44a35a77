#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# Per-lcore scaling of the TX pipeline (issue 20, docs/performance.md
# "Scaling"), RUNS times, then the median of each figure:
#   - one gso-bench process on lcores 0,1: pipeline_mixed_* (1 lcore; 2
#     lcores with pools per lcore; 2 lcores sharing one pool set; 2 lcores
#     on two queues of one net_null port) and pipeline_scaling;
#   - the control: two 1-lcore processes at the same time, on CPU 0 and
#     CPU 1 (nothing shared but the machine), printed as
#     RESULT case=pipeline_two_processes in_mpps_per_process=<x> ratio=<r>
#     where ratio is their mean over the 1-lcore rate of the same run.
#
# Usage: scripts/bench-scaling.sh [RUNS] [MS]   (default 5 runs, 200 ms)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-5}
ms=${2:-200}
"$top/scripts/deps.sh"
"$top/scripts/build.sh" >/dev/null
if [ "$(nproc)" -lt 2 ]; then
	echo "ERROR case=pipeline_scaling needs two CPUs" >&2
	exit 1
fi
bench=$top/build/app/bench/gso-bench
eal="--no-huge -m 1024 --no-pci --log-level=*:error"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
i=0
while [ "$i" -lt "$runs" ]; do
	i=$((i + 1))
	echo "# run $i of $runs" >&2
	# shellcheck disable=SC2086
	"$bench" $eal -l 0,1 --file-prefix="gso-scale-$$" -- \
		--case pipeline_mixed,pipeline_scaling --ms "$ms" --reps 5 |
		tee -a "$out/one" >&2
	# shellcheck disable=SC2086
	"$bench" $eal -l 0 --file-prefix="gso-scale-a-$$" -- \
		--case pipeline_mixed_1lcore --ms "$ms" --reps 5 >"$out/a" &
	a=$!
	# shellcheck disable=SC2086
	"$bench" $eal -l 1 --file-prefix="gso-scale-b-$$" -- \
		--case pipeline_mixed_1lcore --ms "$ms" --reps 5 >"$out/b"
	wait "$a"
	one=$(sed -n 's/^RESULT case=pipeline_mixed_1lcore in_mpps_per_lcore=\([0-9.]*\).*/\1/p' "$out/one" | tail -n 1)
	pa=$(sed -n 's/^RESULT case=pipeline_mixed_1lcore in_mpps_per_lcore=\([0-9.]*\).*/\1/p' "$out/a")
	pb=$(sed -n 's/^RESULT case=pipeline_mixed_1lcore in_mpps_per_lcore=\([0-9.]*\).*/\1/p' "$out/b")
	python3 -c "import sys; a, b, o = map(float, sys.argv[1:]); print('RESULT case=pipeline_two_processes in_mpps_per_process=%.2f ratio=%.3f' % ((a + b) / 2, (a + b) / 2 / o))" \
		"$pa" "$pb" "$one" | tee -a "$out/one" >&2
done
python3 - "$out/one" <<'PY'
import re, statistics, sys
rows, order = {}, []
for line in open(sys.argv[1]):
    m = re.match(r'RESULT case=(\S+) (.*)', line)
    if not m:
        continue
    if m.group(1) not in rows:
        rows[m.group(1)] = []
        order.append(m.group(1))
    rows[m.group(1)].append(dict(kv.split('=') for kv in m.group(2).split()))
print("# median over %d runs" % max(len(v) for v in rows.values()))
for case in order:
    vals = rows[case]
    print('RESULT case=%s %s' % (case, ' '.join(
        '%s=%.3f' % (k, statistics.median(float(v[k]) for v in vals))
        for k in vals[0])))
PY
