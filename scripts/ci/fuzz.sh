#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# CI: the libFuzzer harnesses, each run for a bounded time on its checked-in
# seed corpus. Called by .ci/run; run as root on a fresh Debian bookworm
# machine (or with sudo), idempotent.
#
# Runtime: ~1-2 min to install clang and the project's dependencies where
# missing, ~6-10 min to build ./build-fuzz on 2 cores (ASan + UBSan +
# coverage), then at most FUZZ_SMOKE_SECONDS (default 60) per harness for
# 3 harnesses: about 15 min in all on a fresh 2-core machine, ~4 min when
# everything is installed and built.
#
# A harness passes when its whole seed corpus and the smoke run find
# nothing. Ends with one line "N passed, N failed"; non-zero exit on a
# failure (the crashing input is left in fuzz-out/<harness>/, or under
# $FUZZ_OUT).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
secs=${FUZZ_SMOKE_SECONDS:-60}
[ "$secs" -le 60 ] || secs=60

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
missing=""
for p in clang libclang-rt-14-dev; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -n "$missing" ]; then
	echo "installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	$sudo apt-get update -q
	# shellcheck disable=SC2086
	$sudo apt-get install -y -q --no-install-recommends $missing
fi
sh scripts/deps.sh

if [ ! -f build-fuzz/build.ninja ]; then
	CC=clang meson setup build-fuzz -Dfuzz=true \
		-Db_sanitize=address,undefined -Db_lundef=false \
		--buildtype=debugoptimized
fi
ninja -C build-fuzz tests/fuzz/fuzz_segment tests/fuzz/fuzz_tx \
	tests/fuzz/fuzz_ctl tests/fuzz/fuzz_fwd

# The smoke run is deterministic for given code: its seed is the last
# commit that changed the code, tests or scripts (a commit of
# documentation alone keeps it), and each harness stops after a fixed
# number of inputs (about 45 s on a 2-core VM), or at the time limit on a
# slower machine. So CI replays exactly the inputs a run of the same code
# made before, on any machine: a finding reproduces with
# FUZZ_SEED=<seed> FUZZ_MAX_RUNS=<runs> scripts/fuzz.sh -t 60 <h>, and new
# inputs come with each change of the code (and from the long campaigns).
if [ -z "${FUZZ_SEED:-}" ]; then
	FUZZ_SEED=$(git log -1 --format=%h --abbrev=7 -- lib drivers app \
		tests scripts meson.build meson_options.txt 2>/dev/null | cut -c1-7)
	FUZZ_SEED=$(printf '%d' "0x${FUZZ_SEED:-1}" 2>/dev/null || echo 1)
fi
export FUZZ_SEED
echo "fuzz seed $FUZZ_SEED"

passed=0
failed=0
for h in segment tx ctl fwd; do
	case $h in
	segment) runs=550000 ;;
	tx) runs=280000 ;;
	ctl) runs=450000 ;;
	fwd) runs=1000000 ;;
	esac
	if FUZZ_MAX_RUNS=${FUZZ_MAX_RUNS:-$runs} sh scripts/fuzz.sh -t "$secs" "$h"
	then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
		tail -n 40 "${FUZZ_OUT:-fuzz-out}/$h/log" || true
	fi
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
