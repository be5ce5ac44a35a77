/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Software ports: net_null, net_ring, net_pcap, net_memif. No segmentation
 * and no checksum offload: whatever they are handed is what a peer sees
 * (ring, memif) or what is written (pcap), so large frames must be
 * segmented and checksummed before them. net_null discards everything and
 * is the benchmark sink.
 */

#include "gso_providers.h"

static const char *const swdev_drivers[] = {
	"net_null", "net_ring", "net_pcap", "net_memif", NULL,
};

static int
swdev_describe(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_caps *caps, struct gso_offload_port_limits *lim)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(info);
	caps->l3_flags = 0;
	caps->l4_flags = 0;
	lim->flags = 0;
	return 0;
}

const struct gso_offload_provider gso_provider_swdev = {
	.name = "swdev",
	.driver_names = swdev_drivers,
	.describe = swdev_describe,
	.tx_offloads = NULL,
	.describe_encap = gso_provider_no_encap,
};
