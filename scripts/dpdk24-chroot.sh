#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# Run a command in a Debian 13 "trixie" chroot that has DPDK 24.11, with
# this repository mounted at the same path as outside (so paths in build
# directories and logs read the same on both sides).
#
# Usage (as root, on a Debian machine): scripts/dpdk24-chroot.sh [cmd [arg...]]
# Without a command it starts a shell in the repository.
#
# The chroot is created once with debootstrap (--variant=minbase) and kept
# in $GSO_CHROOT (default /var/cache/gso-offload/trixie); a stamp file
# written as the very last step (it lists the packages installed) marks it
# complete, so a chroot left half made by an interrupted run is deleted and
# made again, and packages added to the list below are installed on the
# next run. Creating it takes a little over 4 minutes on the project's VMs (most
# of it apt: ~400 packages, tshark and libdpdk-dev's -dev dependencies);
# reusing it takes a fraction of a second.
#
# The mirror is the one the machine itself uses (the URIs: line of
# /etc/apt/sources.list.d/debian.sources, else the first "deb" line of
# /etc/apt/sources.list), not a snapshot.debian.org URL: snapshots of a
# date before trixie's packages existed fail. $GSO_MIRROR overrides it.
#
# Mounts: the chroot's root onto itself (ip netns runs
# "mount --make-rslave /", which fails unless / is a mount point), proc,
# sys, dev, dev/pts, a tmpfs on run (ip netns keeps its namespaces there),
# and the repository. All of them are unmounted when this script exits,
# whether the command failed or the script was interrupted.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
root=${GSO_CHROOT:-/var/cache/gso-offload/trixie}
stamp="$root/.gso-offload-complete"
suite=trixie

# What the build and the tests need inside: the same list as
# scripts/deps.sh installs on bookworm.
pkgs="dpdk dpdk-dev libdpdk-dev meson ninja-build pkg-config gcc
python3 python3-pyelftools libnuma-dev libpcap-dev iproute2 ethtool tshark"
# One line, single spaces: the form the stamp file records.
# shellcheck disable=SC2086,SC2116
pkgs=$(echo $pkgs)

die() { echo "dpdk24-chroot: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (debootstrap, mount, chroot)"

mirror() {
	if [ -n "${GSO_MIRROR:-}" ]; then
		echo "$GSO_MIRROR"
		return
	fi
	m=""
	if [ -f /etc/apt/sources.list.d/debian.sources ]; then
		m=$(awk '$1 == "URIs:" { print $2; exit }' \
			/etc/apt/sources.list.d/debian.sources)
	fi
	if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
		m=$(awk '$1 == "deb" && $2 !~ /^\[/ { print $2; exit }' \
			/etc/apt/sources.list)
	fi
	echo "${m:-http://deb.debian.org/debian}"
}

# Mount points under $root, deepest first (from this process's view).
mounts_under() {
	awk -v r="$root" '$5 == r || index($5, r "/") == 1 { print $5 }' \
		/proc/self/mountinfo | sort -r
}

cleanup() {
	rc=$?
	trap - EXIT INT TERM HUP
	# Everything mounted under the root, including what a test left
	# (a namespace file under run/netns), deepest first.
	for m in $(mounts_under); do
		umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null ||
			echo "dpdk24-chroot: cannot unmount $m" >&2
	done
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# One run at a time per chroot: two runs would unmount under each other.
mkdir -p "$(dirname "$root")"
exec 9>"$root.lock"
flock 9

# Mount only what is not mounted yet (a crashed earlier run may have left
# some behind; the cleanup below removes them anyway).
mnt() { # mnt DIR mount-args...
	d=$1
	shift
	mkdir -p "$d"
	mountpoint -q "$d" || mount "$@" "$d"
}

mount_all() {
	mnt "$root" --bind "$root"
	mnt "$root/proc" -t proc proc
	mnt "$root/sys" -t sysfs sysfs
	mnt "$root/dev" --bind /dev
	mnt "$root/dev/pts" --bind /dev/pts
	if mountpoint -q /dev/shm; then
		mnt "$root/dev/shm" --bind /dev/shm
	fi
	mnt "$root/run" -t tmpfs -o mode=0755 tmpfs
	mnt "$root$top" --bind "$top"
}

in_chroot() {
	chroot "$root" /usr/bin/env -i HOME=/root TERM="${TERM:-dumb}" \
		PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
		DEBIAN_FRONTEND=noninteractive "$@"
}

bootstrap() {
	# Never delete through a mount (the repository is bind-mounted in).
	for m in $(mounts_under); do
		umount "$m" 2>/dev/null || umount -l "$m"
	done
	[ -z "$(mounts_under)" ] || die "mounts left under $root"
	rm -rf --one-file-system "$root"
	command -v debootstrap >/dev/null 2>&1 || {
		apt-get update -q
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			--no-install-recommends debootstrap
	}
	m=$(mirror)
	echo "dpdk24-chroot: debootstrap $suite from $m into $root"
	debootstrap --variant=minbase "$suite" "$root" "$m"
	cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
	# No daemon starts inside a chroot.
	printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
	chmod 755 "$root/usr/sbin/policy-rc.d"
	# No fsync per file while installing: a crash leaves no stamp, and
	# the next run starts over anyway.
	echo force-unsafe-io >"$root/etc/dpkg/dpkg.cfg.d/gso-offload-unsafe-io"
}

# (Re)install the package list; the stamp records it, so a list changed
# since the chroot was made is installed on the next run.
install_pkgs() {
	# tshark asks whether non-root users may capture; answer up front.
	echo "wireshark-common wireshark-common/install-setuid boolean false" |
		in_chroot debconf-set-selections
	in_chroot apt-get update -q
	# shellcheck disable=SC2086
	in_chroot apt-get install -y -q --no-install-recommends $pkgs
	in_chroot apt-get clean
	echo "$pkgs" >"$stamp"
}

[ -f "$stamp" ] || bootstrap
mount_all
[ "$(cat "$stamp" 2>/dev/null)" = "$pkgs" ] || install_pkgs

[ $# -gt 0 ] || set -- /bin/bash
cd "$top"
# The command's status is the script's (the EXIT trap keeps it).
# shellcheck disable=SC2016
in_chroot sh -c 'cd "$1" && shift && exec "$@"' sh "$top" "$@"
