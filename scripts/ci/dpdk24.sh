#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# CI step: build the tree -Werror against DPDK 24.11 (Debian 13 "trixie",
# in the chroot scripts/dpdk24-chroot.sh makes and reuses) into
# ./build-dpdk24, run the whole suite there and end with one line
# "N passed, N failed" counting test cases (scripts/count_tests.py).
# Exit status non-zero if anything failed, the build included.
#
# Needs root (debootstrap, mounts, the integration tests' namespaces) and
# the network the first time (Debian's mirror).
#
# Runtime (measured 2026-12-04 on the project's 2-core VMs, load average
# about 10 from other builds): 7 min 42 s from a fresh machine (no chroot,
# no build-dpdk24; the chroot's creation is about 4 min 20 s of it, mostly
# apt), 3 min 25 s with the chroot left by an earlier run (clean build
# directory: about 2 min of build, 1 min of tests).
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)

# shellcheck disable=SC2016
exec "$top/scripts/dpdk24-chroot.sh" sh -c '
set -u
b=build-dpdk24
fail() { echo "dpdk24: $*"; echo "0 passed, 1 failed"; exit 1; }
v=$(pkg-config --modversion libdpdk) || fail "no libdpdk in the chroot"
case $v in 24.11*) ;; *) fail "chroot has DPDK $v, not 24.11" ;; esac
echo "dpdk24: DPDK $v, $(gcc --version | head -n1), meson $(meson --version)"
if [ -f "$b/build.ninja" ]; then
	meson setup --reconfigure -Dwerror=true "$b" >/dev/null ||
		fail "meson setup failed"
else
	meson setup -Dwerror=true "$b" >/dev/null || fail "meson setup failed"
fi
ninja -C "$b" -j"$(nproc)" >"$b/ninja.log" 2>&1 || {
	tail -n 60 "$b/ninja.log"
	fail "build failed (log: $b/ninja.log)"
}
rc=0
meson test -C "$b" --print-errorlogs || rc=1
python3 scripts/count_tests.py "$b/meson-logs/testlog.json" || rc=1
exit $rc
'
