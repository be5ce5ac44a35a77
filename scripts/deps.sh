#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# Install what the project needs on a Debian (bookworm) machine, only what
# is missing: DPDK 22.11 from Debian, the build tools, and the tools the
# tests and demos use (iproute2 for namespaces, ethtool to show offloads,
# tshark for capture checks). Then, optionally, what the QEMU guest rig
# needs (scripts/vm-deps.sh: QEMU, and Debian's kernel and busybox-static
# unpacked into a cache, not installed); a machine without them still
# builds and tests, the VM tests skip.
set -eu
vm_deps() { sh "$(dirname "$0")/vm-deps.sh" || true; }

pkgs="dpdk dpdk-dev libdpdk-dev meson ninja-build pkg-config gcc
python3 python3-pyelftools libnuma-dev libpcap-dev iproute2 ethtool tshark"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
if [ -z "$missing" ]; then
	vm_deps
	exit 0
fi

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; the answer does not
# matter here, but it must not stop an unattended install.
echo "wireshark-common wireshark-common/install-setuid boolean false" |
	$sudo debconf-set-selections
$sudo apt-get update -q
# shellcheck disable=SC2086
$sudo apt-get install -y -q --no-install-recommends $missing
vm_deps
