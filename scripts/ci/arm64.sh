#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# CI step: the arm64 cross build and its tests under emulation, in the
# chroot of scripts/arm64-chroot.sh (created on first use, reused after).
# Cases: the cross build itself (-Werror, config/arm64-linux-gnu.ini, from
# an empty build directory) counts as one; then every case of the unit
# suite and of fwd_pdump, run under qemu-aarch64-static (docs/arm64.md
# says what else runs there, what does not and why; ARM64_CI_MORE=1 adds
# ports and pipeline: 18 of their 21 cases pass, the rest need
# net_af_packet or dpdk-telemetry.py, about 30 s more). Ends with one
# line "N passed, N failed"; exit status 1 if anything failed or could not
# run.
#
# Runtime, measured 2026-12-04 on the 2 cores this machine shares with
# other jobs: from fresh 3.8 min (debootstrap 61 s, the packages 105 s) to
# 9 min when the machine and mirror were busy (debootstrap 200 s, the
# packages 193 s: over the 8 min aimed at); 1.5 min with the chroot
# reused (cross build about 50 s, tests about 45 s).
#
# Usage (as root): scripts/ci/arm64.sh
set -eu
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
bdir=build-arm64-ci

if [ "${1:-}" != "--inside" ]; then
	rc=0
	out=$(mktemp)
	trap 'rm -f "$out"' EXIT
	"$top/scripts/arm64-chroot.sh" sh scripts/ci/arm64.sh --inside \
		"${ARM64_CI_MORE:-0}" >"$out" 2>&1 || rc=$?
	# Everything but the total of the inside run, whose last line is
	# "N passed, N failed" when it got as far as counting.
	last=$(tail -n 1 "$out")
	case $last in
	*" passed, "*" failed")
		sed '$d' "$out"
		echo "$last"
		;;
	*)
		cat "$out"
		echo "arm64: the chroot could not be set up or entered (rc $rc)"
		echo "0 passed, 1 failed"
		rc=1
		;;
	esac
	exit $rc
fi

# Inside the chroot, in the repository.
more=${2:-0}
rm -rf "$bdir"
if ! { meson setup "$bdir" --cross-file config/arm64-linux-gnu.ini \
		--werror >/dev/null && ninja -C "$bdir" -j2 >"$bdir.log" 2>&1; }
then
	tail -n 40 "$bdir.log" 2>/dev/null || true
	rm -f "$bdir.log"
	echo "arm64 cross build: FAILED"
	echo "0 passed, 1 failed"
	exit 1
fi
rm -f "$bdir.log"
echo "arm64 cross build: ok (-Werror)"

# The unit suite by name (meson ANDs --suite with names) and the rest.
tests=$(meson test -C "$bdir" --no-rebuild --list --suite unit 2>/dev/null |
	sed -n 's|^.* / ||p')
tests="$tests fwd_pdump"
[ "$more" = 1 ] && tests="$tests ports pipeline"
rc=0
# Emulation is 5-10 times slower than the machine: the timeouts follow.
# shellcheck disable=SC2086
meson test -C "$bdir" --no-rebuild --print-errorlogs --num-processes 2 \
	--timeout-multiplier 4 $tests >"$bdir/meson-test.out" 2>&1 || rc=$?
grep -E '^ *[0-9]+/[0-9]+ ' "$bdir/meson-test.out" || true
counts=$(python3 scripts/count_tests.py "$bdir/meson-logs/testlog.json") ||
	rc=1
echo "$counts" | sed '$d'
# The cross build is one more case, passed.
echo "$counts" | tail -n 1 | {
	read -r p _ f _
	echo "$((p + 1)) passed, $f failed"
}
exit $rc
