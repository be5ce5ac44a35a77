#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# What the QEMU guest rig (tests/vm/) needs, each part optional: a machine
# where any of it cannot be had keeps working, and the rig's tests skip
# with the reason.
#   - qemu-system-x86, installed with apt;
#   - Debian's kernel (the package linux-image-amd64 points at) and
#     busybox-static, NOT installed: fetched with `apt-get download` and
#     unpacked with `dpkg-deb -x` into $GSO_VM_CACHE (default
#     /var/cache/gso-offload/vm), one directory per package version, so the
#     machine's /boot, its boot loader and initramfs hooks are never touched.
# Called by scripts/deps.sh; idempotent, quick once done.
set -u

cache=${GSO_VM_CACHE:-/var/cache/gso-offload/vm}
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
updated=""

warn() { echo "vm-deps: $*; the VM tests will skip" >&2; }

apt_update() {
	[ -n "$updated" ] && return 0
	$sudo apt-get update -q >/dev/null && updated=1
}

# The package version apt would install, and the one linux-image-amd64
# depends on.
candidate() {
	apt-cache show --no-all-versions "$1" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n 1
}

# unpack PKG: $cache/PKG_VERSION holding the package's files (the name is
# printed); downloads only what is not there yet.
unpack() {
	ver=$(candidate "$1")
	if [ -z "$ver" ]; then
		apt_update || return 1
		ver=$(candidate "$1")
		[ -n "$ver" ] || return 1
	fi
	dir="$cache/$1_$(echo "$ver" | tr ':' '%')"
	if [ ! -f "$dir/.complete" ]; then
		tmp=$(mktemp -d "$cache/.dl.XXXXXX") || return 1
		(cd "$tmp" && apt-get download -q "$1=$ver" >/dev/null 2>&1) || {
			apt_update && (cd "$tmp" && apt-get download -q "$1=$ver" \
				>/dev/null)
		} || { rm -rf "$tmp"; return 1; }
		rm -rf "$dir"
		dpkg-deb -x "$tmp"/*.deb "$dir" && touch "$dir/.complete" || {
			rm -rf "$tmp" "$dir"
			return 1
		}
		rm -rf "$tmp"
	fi
	echo "$dir"
}

if ! command -v qemu-system-x86_64 >/dev/null 2>&1; then
	echo "installing: qemu-system-x86"
	{ apt_update && $sudo apt-get install -y -q --no-install-recommends \
		qemu-system-x86 >/dev/null; } || warn "qemu-system-x86 not installed"
fi

$sudo mkdir -p "$cache" || { warn "cannot make $cache"; exit 0; }
[ -w "$cache" ] || { warn "$cache is not writable"; exit 0; }

# linux-image-amd64 is a meta package: the kernel is the package it
# depends on (linux-image-6.1.0-N-amd64).
kpkg=$(apt-cache show --no-all-versions linux-image-amd64 2>/dev/null |
	sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p' | head -n 1)
if [ -z "$kpkg" ]; then
	apt_update
	kpkg=$(apt-cache show --no-all-versions linux-image-amd64 2>/dev/null |
		sed -n 's/^Depends: \(linux-image-[^ ,]*\).*/\1/p' | head -n 1)
fi
for p in $kpkg busybox-static; do
	d=$(unpack "$p") || { warn "could not fetch $p"; continue; }
	# The rig takes the newest of each: links to the current version.
	case $p in
	linux-image-*) link=kernel glob="linux-image-*" ;;
	*) link=busybox glob="busybox-static_*" ;;
	esac
	ln -sfn "$(basename "$d")" "$cache/$link"
	# An older version is ~400 MB (the kernel's modules): gone.
	for old in "$cache"/$glob; do
		[ "$old" = "$d" ] || rm -rf "$old"
	done
done
exit 0
