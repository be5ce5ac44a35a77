/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * net_af_packet. No segmentation and no checksum offload (it reports
 * VLAN_INSERT and MULTI_SEGS only). A frame larger than the kernel
 * interface's MTU is counted as sent by the PMD and dropped by the kernel
 * without a trace (measured, REFERENCE.md §4): the MTU that matters is the
 * kernel's, which rte_eth_dev_get_mtu() does not follow, so read it.
 */

#include "gso_providers.h"

static const char *const af_packet_drivers[] = { "net_af_packet", NULL };

static int
af_packet_describe(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_caps *caps, struct gso_offload_port_limits *lim)
{
	uint16_t kmtu = gso_provider_kernel_mtu(info);

	RTE_SET_USED(port_id);
	caps->l3_flags = 0;
	caps->l4_flags = 0;
	if (kmtu != 0)
		lim->mtu = kmtu;
	lim->flags = GSO_OFFLOAD_QUIRK_OVERSIZE_SILENT_DROP;
	return 0;
}

const struct gso_offload_provider gso_provider_af_packet = {
	.name = "af_packet",
	.driver_names = af_packet_drivers,
	.describe = af_packet_describe,
	.tx_offloads = NULL,
	.describe_encap = gso_provider_no_encap,
};
