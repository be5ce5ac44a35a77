/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * net_tap. Its "TSO" is software inside the PMD (rte_eth_tap.c runs
 * rte_gso_segment() before writev()), so it inherits rte_gso's reach:
 *  - TCP over IPv4 only (rte_gso has no TCP/IPv6): an IPv6 TSO packet
 *    leaves unsegmented (measured, REFERENCE.md §4); IP and TCP options
 *    are fine (rte_gso copies l3_len/l4_len worth of header);
 *  - rte_gso writes no IPv4 checksum unless RTE_MBUF_F_TX_IP_CKSUM asks
 *    the PMD to compute it afterwards (measured);
 *  - tso_segsz + l2_len + l3_len + l4_len must not exceed the MTU: tap
 *    counts the Ethernet header inside it (measured: at MTU 1500 with a
 *    20-byte TCP header, MSS 1448 fails and 1446 works);
 *  - the output array handed to rte_gso_segment() has MAX_GSO_MBUFS (64)
 *    entries (rte_eth_tap.h): a packet needing more segments fails;
 *  - the checksums of the segments are computed by the PMD from scratch
 *    (tap_tx_l4_cksum), no pseudo-header needed in the packet.
 */

#include "gso_providers.h"

/* rte_eth_tap.h, MAX_GSO_MBUFS. */
#define TAP_MAX_GSO_SEGMENTS 64

static const char *const tap_drivers[] = { "net_tap", NULL };

static int
tap_describe(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_caps *caps, struct gso_offload_port_limits *lim)
{
	uint16_t kmtu = gso_provider_kernel_mtu(info);

	RTE_SET_USED(port_id);
	if (kmtu != 0)
		lim->mtu = kmtu;
	if (caps->l4_flags & GSO_OFFLOAD_L4_TCP_NO_OPTIONS) {
		caps->l3_flags = GSO_OFFLOAD_L3_IPV4_NO_OPTIONS |
			GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS;
		caps->l4_flags = GSO_OFFLOAD_L4_TCP_NO_OPTIONS |
			GSO_OFFLOAD_L4_TCP_WITH_OPTIONS;
	}
	lim->max_segments = TAP_MAX_GSO_SEGMENTS;
	lim->flags = GSO_OFFLOAD_QUIRK_TSO_NEEDS_IP_CKSUM |
		GSO_OFFLOAD_QUIRK_SEG_L2_IN_MTU | GSO_OFFLOAD_QUIRK_NO_TSO_IPV6;
	return 0;
}

const struct gso_offload_provider gso_provider_tap = {
	.name = "tap",
	.driver_names = tap_drivers,
	.describe = tap_describe,
	.tx_offloads = NULL,
	/* No tunnel segmentation: net_tap reports no *_TNL_TSO, and its
	 * rte_gso context segments plain TCP/IPv4 only (it would cut a
	 * VXLAN superframe as one TCP packet if it cut it at all). */
	.describe_encap = gso_provider_no_encap,
};
