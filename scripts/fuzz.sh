#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# Fuzzing campaigns with the libFuzzer harnesses of tests/fuzz/, one harness
# after the other (one process: the machines are shared), niced.
#
#   scripts/fuzz.sh [-t seconds | -r runs] [-j] [segment|tx|ctl|fwd ...]
#
#   -t  stop each harness after this many seconds (default 600)
#   -r  stop each harness after this many inputs instead
#   -j  reuse the working corpus of an earlier campaign (fuzz-out/)
#
# FUZZ_OUT: where the working corpora, logs and crashes go (fuzz-out).
# FUZZ_SEED: libFuzzer's random seed (default: a fresh one per run). With
# the same seed, corpus and code, a campaign makes the same inputs in the
# same order, so a finding reproduces by rerunning it.
# FUZZ_MAX_RUNS: with -t, stop after this many inputs if that comes first.
#
# Builds ./build-fuzz (clang, ASan + UBSan + libFuzzer coverage) when it is
# missing. Each harness starts from its seed corpus (tests/fuzz/corpus/,
# read only) and a working corpus of its own (fuzz-out/<harness>/corpus),
# where new inputs go; a crash leaves its input in fuzz-out/<harness>/
# (crash-*, leak-*, timeout-*): docs/fuzzing.md says how to triage it.
# Prints, per harness, the executions reached and the rate, then exits
# non-zero if any harness found something.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

limit="-max_total_time=600"
keep=0
while getopts t:r:j opt; do
	case $opt in
	t) limit="-max_total_time=$OPTARG" ;;
	r) limit="-runs=$OPTARG" ;;
	j) keep=1 ;;
	*) sed -n '5,12p' "$0" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- segment tx ctl fwd

if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false \
		--buildtype=debugoptimized >/dev/null
fi
# The harnesses only: the rest of the instrumented build is not needed.
ninja -C build-fuzz -j2 tests/fuzz/fuzz_segment tests/fuzz/fuzz_tx \
	tests/fuzz/fuzz_ctl tests/fuzz/fuzz_fwd >/dev/null

found=0
for h in "$@"; do
	exe=build-fuzz/tests/fuzz/fuzz_$h
	out=${FUZZ_OUT:-fuzz-out}/$h
	[ -x "$exe" ] || { echo "fuzz_$h: no such harness" >&2; exit 2; }
	[ "$keep" -eq 1 ] || rm -rf "$out"
	mkdir -p "$out/corpus"
	log=$out/log
	# -timeout: an input taking 10 s is a hang. LeakSanitizer (on by
	# default) sees malloc'd memory only; the harnesses count mbufs.
	rc=0
	nice -n 10 "$exe" "$limit" ${FUZZ_SEED:+-seed=$FUZZ_SEED} \
		${FUZZ_MAX_RUNS:+-runs=$FUZZ_MAX_RUNS} \
		-timeout=10 -print_final_stats=1 \
		-artifact_prefix="$out/" "$out/corpus" "tests/fuzz/corpus/$h" \
		>"$log" 2>&1 || rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
	if [ "$rc" -eq 0 ]; then
		echo "fuzz_$h: ${runs:-?} executions in ${secs:-?} s" \
			"(${rate:-?} exec/s), no finding"
	else
		found=1
		echo "fuzz_$h: FINDING after ${runs:-?} executions (exit $rc):" \
			"$(ls "$out" | grep -E '^(crash|leak|timeout|oom)-' | head -1)"
		grep -E 'ERROR|check .* failed|runtime error' "$log" | head -3
	fi
done
exit $found
