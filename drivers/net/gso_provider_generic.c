/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/* Generic provider: any PMD, from rte_eth_dev_info alone. */

#include <net/if.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "gso_providers.h"

static uint16_t
lim_or_max(uint16_t v)
{
	/* Some PMDs leave tx_desc_lim zeroed: that means "not limited". */
	return v != 0 ? v : UINT16_MAX;
}

void
gso_provider_generic_derive(const struct rte_eth_dev_info *info,
		uint16_t mtu, struct gso_offload_caps *caps,
		struct gso_offload_port_limits *lim)
{
	uint32_t l3 = 0, l4 = 0;

	if (info->tx_offload_capa & RTE_ETH_TX_OFFLOAD_TCP_TSO) {
		l3 |= GSO_OFFLOAD_L3_ALL;
		l4 |= GSO_OFFLOAD_L4_TCP_NO_OPTIONS |
			GSO_OFFLOAD_L4_TCP_WITH_OPTIONS;
	}
	if (info->tx_offload_capa & RTE_ETH_TX_OFFLOAD_UDP_TSO) {
		l3 |= GSO_OFFLOAD_L3_ALL;
		l4 |= GSO_OFFLOAD_L4_UDP;
	}
	gso_offload_caps_init(caps, l3, l4, GSO_PROVIDER_DEFAULT_MAX_OFFLOAD,
			GSO_PROVIDER_DEFAULT_MIN_SEGMENTS, NULL, NULL);

	*lim = (struct gso_offload_port_limits){
		.mss_min = 1,
		.mss_max = UINT16_MAX,
		.max_frame = UINT32_MAX,
		.max_segments = UINT16_MAX,
		.nb_seg_max = lim_or_max(info->tx_desc_lim.nb_seg_max),
		.nb_mtu_seg_max = lim_or_max(info->tx_desc_lim.nb_mtu_seg_max),
		.mtu = mtu,
		.flags = GSO_OFFLOAD_QUIRK_PHDR_CKSUM |
			GSO_OFFLOAD_QUIRK_TSO_NEEDS_IP_CKSUM,
		.tx_offload_capa = info->tx_offload_capa,
		/* rte_eth_dev_info says nothing of a descriptor's buffer. */
		.max_seg_data_len = UINT16_MAX,
	};
}

uint64_t
gso_provider_encap_tso_offload(unsigned int encap, bool generic)
{
	switch (encap) {
	case GSO_OFFLOAD_ENCAP_VXLAN:
		return generic ? RTE_ETH_TX_OFFLOAD_UDP_TNL_TSO :
			RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO;
	case GSO_OFFLOAD_ENCAP_GENEVE:
		return generic ? RTE_ETH_TX_OFFLOAD_UDP_TNL_TSO :
			RTE_ETH_TX_OFFLOAD_GENEVE_TNL_TSO;
	case GSO_OFFLOAD_ENCAP_GRE:
		return generic ? RTE_ETH_TX_OFFLOAD_IP_TNL_TSO :
			RTE_ETH_TX_OFFLOAD_GRE_TNL_TSO;
	case GSO_OFFLOAD_ENCAP_IPIP:
		return generic ? RTE_ETH_TX_OFFLOAD_IP_TNL_TSO :
			RTE_ETH_TX_OFFLOAD_IPIP_TNL_TSO;
	default:
		return 0;
	}
}

void
gso_provider_generic_derive_encap(const struct rte_eth_dev_info *info,
		struct gso_offload_encap_caps *encap)
{
	const uint64_t capa = info->tx_offload_capa;

	gso_offload_encap_caps_init(encap);
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++) {
		struct gso_offload_encap *x = &encap->encap[e];
		const bool udp = e == GSO_OFFLOAD_ENCAP_VXLAN ||
			e == GSO_OFFLOAD_ENCAP_GENEVE;

		if (capa & gso_provider_encap_tso_offload(e, false))
			x->flags = 0;
		else if (capa & gso_provider_encap_tso_offload(e, true))
			x->flags = GSO_OFFLOAD_ENCAP_F_GENERIC;
		else
			continue;
		x->l3_flags = GSO_OFFLOAD_L3_ALL;
		x->l4_flags = GSO_OFFLOAD_L4_TCP_NO_OPTIONS |
			GSO_OFFLOAD_L4_TCP_WITH_OPTIONS;
		if (capa & RTE_ETH_TX_OFFLOAD_OUTER_IPV4_CKSUM)
			x->flags |= GSO_OFFLOAD_ENCAP_F_OUTER_IPV4_CKSUM;
		if (udp && (capa & RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM))
			x->flags |= GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM;
	}
}

int
gso_provider_no_encap(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_encap_caps *encap,
		struct gso_offload_port_limits *lim)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(info);
	gso_offload_encap_caps_init(encap);
	lim->tx_offload_capa &= ~GSO_PROVIDER_TNL_TSO_ALL;
	return 0;
}

uint64_t
gso_provider_generic_tx_offloads(uint16_t port_id,
		const struct gso_offload_active *active,
		const struct gso_offload_port_limits *lim,
		uint64_t app_offloads)
{
	/* The outer checksums help software segments of tunnels as the
	 * plain ones help the others. */
	const uint64_t helpers = RTE_ETH_TX_OFFLOAD_IPV4_CKSUM |
		RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
		RTE_ETH_TX_OFFLOAD_OUTER_IPV4_CKSUM |
		RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM |
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	uint32_t kw = gso_offload_active_keywords(active);
	uint32_t encaps = gso_offload_active_encaps(active);
	uint64_t gso = 0;

	RTE_SET_USED(port_id);
	if (kw & (GSO_OFFLOAD_LSO_IPV4 | GSO_OFFLOAD_LSO_IPV6))
		gso |= RTE_ETH_TX_OFFLOAD_TCP_TSO;
	if (kw & (GSO_OFFLOAD_USO_IPV4 | GSO_OFFLOAD_USO_IPV6))
		gso |= RTE_ETH_TX_OFFLOAD_UDP_TSO;
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++) {
		struct gso_offload_encap x;

		if (!(encaps & GSO_OFFLOAD_ENCAP_BIT(e)) ||
				gso_offload_active_encap(active, e, &x) != 0)
			continue;
		gso |= gso_provider_encap_tso_offload(e,
				(x.flags & GSO_OFFLOAD_ENCAP_F_GENERIC) != 0);
	}
	return (app_offloads & ~(RTE_ETH_TX_OFFLOAD_TCP_TSO |
				RTE_ETH_TX_OFFLOAD_UDP_TSO |
				GSO_PROVIDER_TNL_TSO_ALL)) |
		((gso | helpers) & lim->tx_offload_capa);
}

uint16_t
gso_provider_kernel_mtu(const struct rte_eth_dev_info *info)
{
	struct ifreq ifr;
	int fd, mtu = 0;

	if (info->if_index == 0 ||
			if_indextoname(info->if_index, ifr.ifr_name) == NULL)
		return 0;
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0)
		return 0;
	if (ioctl(fd, SIOCGIFMTU, &ifr) == 0)
		mtu = ifr.ifr_mtu;
	close(fd);
	return mtu > 0 && mtu <= UINT16_MAX ? (uint16_t)mtu : 0;
}

const struct gso_offload_provider gso_provider_generic = {
	.name = "generic",
	.driver_names = NULL,
	.describe = NULL,
	.tx_offloads = gso_provider_generic_tx_offloads,
};
