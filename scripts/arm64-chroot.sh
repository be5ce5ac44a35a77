#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# The arm64 cross-build environment: a Debian bookworm chroot of its own
# with the aarch64 cross compiler, Debian's libdpdk-dev:arm64 and
# qemu-aarch64-static, and this repository bind-mounted at its own path.
# A chroot because libdpdk-dev:arm64 and libdpdk-dev:amd64 cannot be
# installed side by side: installing the arm64 one on the machine itself
# removes the amd64 one (and dpdk-dev) that the native build needs.
#
# Usage (as root, on a bookworm machine with network access to its mirror):
#   scripts/arm64-chroot.sh                 an interactive shell inside
#   scripts/arm64-chroot.sh CMD [ARG...]    run CMD inside, in the repo
#   scripts/arm64-chroot.sh --setup         create / update it, nothing else
# ARM64_CHROOT names the directory (default /var/cache/gso-offload/
# arm64-bookworm). A chroot left by an earlier run is reused (the stamp file
# records the package set it holds); delete the directory to start afresh.
# Mounts (the root itself, proc, sys, dev, dev/pts, run, the repository) are made per call
# and undone when it ends, however it ends. Calls on one chroot are
# serialised by a lock. Measured (2 shared cores): creation 3 to 6.5 min
# (by how busy the machine and the mirror are), entering a reused one
# well under 1 s.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
root=${ARM64_CHROOT:-/var/cache/gso-offload/arm64-bookworm}
suite=bookworm
# Changing this list makes the next call install what is new.
pkgs="gcc gcc-aarch64-linux-gnu libc6-dev-arm64-cross libdpdk-dev:arm64
libnuma-dev:arm64 libpcap-dev:arm64 qemu-user-static meson ninja-build
pkg-config python3 python3-pyelftools iproute2"
stamp=$root/.gso_offload-arm64-stamp

die() { echo "arm64-chroot: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, chroot, mount)"

# The machine's own Debian mirror: the first URIs: line of its deb822
# sources, else the first deb line of sources.list (a snapshot URL that
# may sit in a comment is not what apt uses, and debootstrap fails on it).
mirror() {
	m=$(sed -n 's/^URIs:[[:space:]]*\([^[:space:]]*\).*/\1/p' \
		/etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)
	[ -n "$m" ] || m=$(sed -n 's/^deb[[:space:]]\{1,\}\([^[:space:]]*\).*/\1/p' \
		/etc/apt/sources.list 2>/dev/null | head -n 1)
	echo "${m:-http://deb.debian.org/debian}"
}

mounted=""
cleanup() {
	for m in $mounted; do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
	done
	mounted=""
}
# Mount and remember, most recent first, so cleanup() unmounts in reverse.
mnt() {
	target=$1
	shift
	mkdir -p "$target"
	mount "$@" "$target"
	mounted="$target $mounted"
}

inside() {
	chroot "$root" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}

mkdir -p "$(dirname "$root")"
# One call at a time per chroot: creation, apt and the mounts must not
# interleave.
exec 9>"$root.lock"
flock 9

trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Made whole or made again: a debootstrap cut short leaves apt-get in place
# but not a usable system, so its end is marked.
boot=$root/.gso_offload-debootstrap-done
if [ ! -f "$boot" ]; then
	if ! command -v debootstrap >/dev/null 2>&1; then
		apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends \
			debootstrap >/dev/null
	fi
	# Never rm -rf through a mount (a bound /dev is the machine's).
	if grep -q " $root/" /proc/mounts; then
		die "$root has mounts left (see /proc/mounts): unmount them first"
	fi
	rm -rf "$root"
	echo "arm64-chroot: debootstrap $suite into $root from $(mirror)" >&2
	t0=$(date +%s)
	debootstrap --variant=minbase "$suite" "$root" "$(mirror)" >/dev/null
	echo "arm64-chroot: debootstrap took $(($(date +%s) - t0)) s" >&2
	# A chroot made again rather than repaired: dpkg need not fsync
	# every file (most of the install time on a VM's disk), apt need not
	# fetch translations.
	echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/gso-unsafe-io"
	echo 'Acquire::Languages "none";' >"$root/etc/apt/apt.conf.d/gso-no-lang"
	rm -f "$stamp"
	: >"$boot"
fi

# The root a mount point of its own: "ip netns add" inside makes the
# mounts below private (mount --make-rslave /), which needs one.
mnt "$root" --bind "$root"
mnt "$root/proc" -t proc proc
mnt "$root/sys" -t sysfs sysfs
mnt "$root/dev" --bind /dev
mnt "$root/dev/pts" --bind /dev/pts
mnt "$root/run" -t tmpfs tmpfs

if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$pkgs" ]; then
	echo "arm64-chroot: installing the arm64 toolchain and DPDK" >&2
	t0=$(date +%s)
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
	inside dpkg --add-architecture arm64
	inside apt-get -q update >/dev/null
	# shellcheck disable=SC2086
	inside apt-get -q install -y --no-install-recommends $pkgs >/dev/null
	inside apt-get clean
	printf '%s' "$pkgs" >"$stamp"
	echo "arm64-chroot: packages took $(($(date +%s) - t0)) s" >&2
fi

[ "${1:-}" = "--setup" ] && exit 0

# The repository at its own path, so build directories made inside and
# the paths in their logs read the same from outside.
mnt "$root$top" --bind "$top"

if [ $# -eq 0 ]; then
	set -- /bin/bash
fi
rc=0
inside /bin/sh -c 'cd "$1" && shift && exec "$@"' sh "$top" "$@" || rc=$?
exit $rc
