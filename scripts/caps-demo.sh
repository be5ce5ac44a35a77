#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# Print the negotiated GSO capabilities of real virtual ports: net_null,
# net_tap and net_af_packet on a veth (root only), and virtio_user ports
# paired with net_vhost tso=1 and tso=0; then turn LSO off on the TSO-capable
# virtio port and print it again. No hugepages needed.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
"$top/scripts/deps.sh"
"$top/scripts/build.sh" >/dev/null

vdevs="--vdev net_null0"
virtio_port=1
if [ "$(id -u)" -eq 0 ]; then
	veth=gcdemo$$
	trap 'ip link del "$veth" 2>/dev/null || true' EXIT INT TERM
	ip link add "$veth" type veth peer name "${veth}p"
	ip link set "$veth" up
	ip link set "${veth}p" up
	vdevs="$vdevs --vdev net_tap0,iface=gcdtap$$ --vdev net_af_packet0,iface=$veth"
	virtio_port=4     # null 0, tap 1, af_packet 2, vhost 3, virtio 4
else
	echo "(not root: skipping net_tap and net_af_packet)"
fi

# shellcheck disable=SC2086
"$top/build/app/gso-caps" --no-huge -m 512 --no-pci --log-level='*:error' \
	$vdevs -- --vhost-pair 1 --vhost-pair 0 \
	--offload "$virtio_port:lso4=off" --offload "$virtio_port:lso6=off" 2>&1 |
	grep -v -e 'qdisc' -e 'tap_nl_dump' -e 'eth_dev_tap_create' -e 'valid MAC'
