#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# Install what the project needs on a Debian (bookworm) machine, only what
# is missing: DPDK 22.11 from Debian, the build tools, and the tools the
# tests and demos use (iproute2 for namespaces, ethtool to show offloads,
# tshark for capture checks).
set -eu

pkgs="dpdk dpdk-dev libdpdk-dev meson ninja-build pkg-config gcc
python3 python3-pyelftools libnuma-dev libpcap-dev iproute2 ethtool tshark"

missing=""
for p in $pkgs; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0

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
