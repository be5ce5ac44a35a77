#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# CI step "sanitize" (issue 16): the whole test suite again, built with
# AddressSanitizer + UndefinedBehaviorSanitizer into ./build-asan, with
# leak detection on. Every C test takes its mbufs from the poisoning pool
# (tests/test_poison.h), so an mbuf touched after its free is reported;
# gso-fwd and gso-bench, run by the Python drivers, are built with the
# sanitizers too, and a report in their output fails the driver
# (tests/fwdtest.py). Any report, UB included, fails its test: the options
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
# Runtime, measured 2026-12-04 here (2 cores shared with other builds, load
# average ~11, root, DPDK installed): 7 min 25 s from scratch (the build
# about 6 min of it; 2 min 46 s of user CPU in all), 1 min 54 s with
# build-asan already built; the tests alone take ~1.5 min (17 suites,
# 230 cases passed, 8 skipped). All suites run under ASan: none is left out.
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
