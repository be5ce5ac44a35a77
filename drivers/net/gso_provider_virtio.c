/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * virtio (net_virtio, net_virtio_user). TCP_TSO is reported only when the
 * device offers HOST_TSO4/HOST_TSO6 (with net_vhost: devarg tso=1), and
 * configuring it against a device without them fails with -EINVAL
 * (measured, REFERENCE.md §4). The device segments:
 *  - the driver puts tso_segsz and the header length into the virtio-net
 *    header; the TCP checksum field must hold the pseudo-header checksum
 *    without length (virtio's tx_prepare writes it);
 *  - there is no IPv4 header checksum offload: the device rewrites the
 *    IPv4 header of every segment it makes, the library writes a valid one
 *    in the superframe;
 *  - the vhost side parses only the fixed IPv6 header (lib/vhost
 *    virtio_net.c, parse_headers()), so a superframe with IPv6 extension
 *    headers would lose its offload: not declared;
 *  - no UDP segmentation in 22.11 (no HOST_USO).
 */

#include "gso_providers.h"

static const char *const virtio_drivers[] = {
	"net_virtio", "net_virtio_user", NULL,
};

static int
virtio_describe(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_caps *caps, struct gso_offload_port_limits *lim)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(info);
	if (caps->l4_flags & GSO_OFFLOAD_L4_TCP_NO_OPTIONS) {
		caps->l3_flags = GSO_OFFLOAD_L3_IPV4_NO_OPTIONS |
			GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS |
			GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS;
		caps->l4_flags = GSO_OFFLOAD_L4_TCP_NO_OPTIONS |
			GSO_OFFLOAD_L4_TCP_WITH_OPTIONS;
	}
	lim->flags = GSO_OFFLOAD_QUIRK_PHDR_CKSUM;
	return 0;
}

const struct gso_offload_provider gso_provider_virtio = {
	.name = "virtio",
	.driver_names = virtio_drivers,
	.describe = virtio_describe,
	.tx_offloads = NULL,
	/* No tunnel segmentation: the 22.11 and 24.11 virtio PMD reports no
	 * *_TNL_TSO (the UDP tunnel GSO features are newer than both, in
	 * virtio 1.4), and net_vhost's parse_headers() reads one L3/L4
	 * stack, so a VXLAN superframe would be treated as one UDP
	 * datagram. */
	.describe_encap = gso_provider_no_encap,
};
