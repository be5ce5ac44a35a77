#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# CI step "sanitize" (issue 16): the whole test suite again, built with
# AddressSanitizer + UndefinedBehaviorSanitizer into ./build-asan, with
# leak detection on. Every C test takes its mbufs from the poisoning pool
# (tests/test_poison.h), so an mbuf touched after its free is reported;
# gso-fwd (whose pools poison too) and gso-bench, run by the Python
# drivers, are built with the sanitizers too, and a report in their output
# fails the driver (tests/fwdtest.py). Any report, UB included, fails its test: the options
# are in tests/meson.build, the leak suppressions (DPDK's and the system
# libraries' own, never ours) in tests/lsan.supp.
#
# Runs on a fresh Debian bookworm machine as root (scripts/deps.sh installs
# what is missing; gcc brings libasan8 and libubsan1), and again on the
# same machine (the build directory is reused, reconfigured if needed).
# Tests that need root (namespaces, tap) are skipped without it, as in
# scripts/test.sh. Ends with one line "N passed, N failed" (test cases,
# scripts/count_tests.py); non-zero exit status on any failure.
#
# Runtime, measured 2026-12-04 here (2 cores shared with other engineers'
# builds, root, DPDK installed), after main's merge (24 suites): 4 min 41 s
# from scratch at load average ~4 (build 2 min 42 s, tests 2 min; 3 min
# 52 s of user CPU), 2 min 8 s with build-asan already built; 276 cases
# passed, 0 failed, 8 skipped. Earlier, at load ~11 with 17 suites, 7 min
# 25 s from scratch. After the arm64 merge (27 suites, 371 passed, 0
# failed, 8 skipped): 4 min 36 s for a run that rebuilt that merge's
# changes, of which the tests ~3 min. Every suite runs under ASan: none is
# left out.
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
"$top/scripts/deps.sh"

bdir=build-asan
# -fno-sanitize-recover=undefined: UBSan stops the process at the first
# report (by default it prints and goes on, and the test would pass).
# b_lundef=false: the sanitizer runtimes' symbols are resolved at run time
# in the shared library. debugoptimized: reports with lines, -O2 as shipped.
opts="-Db_sanitize=address,undefined -Db_lundef=false
-Dbuildtype=debugoptimized -Dc_args=-fno-sanitize-recover=undefined"
if [ -f "$bdir/build.ninja" ]; then
	# shellcheck disable=SC2086
	meson configure $opts "$bdir" >/dev/null
else
	# shellcheck disable=SC2086
	meson setup $opts "$bdir" >/dev/null
fi
ninja -C "$bdir" -j "$(nproc)" >/dev/null

rc=0
# ASan roughly doubles run times: the suites' timeouts get a margin.
meson test -C "$bdir" --print-errorlogs --timeout-multiplier 3 "$@" || rc=$?
python3 "$top/scripts/count_tests.py" "$bdir/meson-logs/testlog.json" ||
	rc=1
exit $rc
