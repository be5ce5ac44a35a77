/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_PROVIDERS_H
#define GSO_PROVIDERS_H

/*
 * Internal to libgso_offload: the providers of drivers/net/ and the generic
 * derivation they refine.
 */

#include <rte_ethdev.h>

#include "gso_offload_port.h"

/* Largest L4 payload of one GSO packet when nothing better is known: the
 * IPv4 total length and IPv6 payload length fields are 16 bits. */
#define GSO_PROVIDER_DEFAULT_MAX_OFFLOAD  65535u
/* NDIS drivers commonly declare 2: a packet that yields one segment needs
 * no segmentation. */
#define GSO_PROVIDER_DEFAULT_MIN_SEGMENTS 2u

extern const struct gso_offload_provider gso_provider_generic;
extern const struct gso_offload_provider gso_provider_tap;
extern const struct gso_offload_provider gso_provider_virtio;
extern const struct gso_offload_provider gso_provider_vhost;
extern const struct gso_offload_provider gso_provider_af_packet;
extern const struct gso_offload_provider gso_provider_swdev;
/* Table-driven hardware families, NULL-terminated. */
extern const struct gso_offload_provider *const gso_hw_providers[];

/*
 * The generic derivation from rte_eth_dev_info alone:
 *  caps: TCP_TSO -> all four L3 variants, TCP with and without options;
 *        UDP_TSO -> all four L3 variants, UDP; neither -> all flags 0.
 *        max_offload_size 65535, min_segment_count 2, no offset limit.
 *  lim:  mss 1..65535, no frame limit (UINT32_MAX), at most 65535
 *        segments per GSO packet, nb_seg_max and
 *        nb_mtu_seg_max from tx_desc_lim (0 read as 65535), the given MTU,
 *        quirks PHDR_CKSUM | TSO_NEEDS_IP_CKSUM (DPDK's documented TSO
 *        contract, rte_mbuf_core.h RTE_MBUF_F_TX_TCP_SEG), tx_offload_capa
 *        as reported.
 */
void gso_provider_generic_derive(const struct rte_eth_dev_info *info,
		uint16_t mtu, struct gso_offload_caps *caps,
		struct gso_offload_port_limits *lim);

/*
 * The generic derivation of encapsulated offload from rte_eth_dev_info:
 * per RTE_ETH_TX_OFFLOAD_{VXLAN,GENEVE,GRE,IPIP}_TNL_TSO the encapsulation
 * with inner TCP (with and without options) over every inner L3 variant;
 * RTE_ETH_TX_OFFLOAD_UDP_TNL_TSO gives VXLAN and GENEVE, IP_TNL_TSO GRE and
 * IP-in-IP, as generic tunnels (GSO_OFFLOAD_ENCAP_F_GENERIC) where the
 * specific bit is absent. No inner UDP: no ethdev bit says a PMD segments
 * UDP inside a tunnel. Outer IPv4 checksum with OUTER_IPV4_CKSUM; outer
 * UDP checksum (VXLAN, GENEVE) with OUTER_UDP_CKSUM; no header limit;
 * VXLAN port 4789.
 */
void gso_provider_generic_derive_encap(const struct rte_eth_dev_info *info,
		struct gso_offload_encap_caps *encap);

/* The ethdev TSO offload that segments an encapsulation: the specific
 * bit, or the generic one (UDP_TNL_TSO, IP_TNL_TSO) for a generic row. */
uint64_t gso_provider_encap_tso_offload(unsigned int encap, bool generic);

/* Every tunnel TSO offload bit. */
#define GSO_PROVIDER_TNL_TSO_ALL (RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO |	\
	RTE_ETH_TX_OFFLOAD_GENEVE_TNL_TSO | RTE_ETH_TX_OFFLOAD_GRE_TNL_TSO | \
	RTE_ETH_TX_OFFLOAD_IPIP_TNL_TSO | RTE_ETH_TX_OFFLOAD_UDP_TNL_TSO |   \
	RTE_ETH_TX_OFFLOAD_IP_TNL_TSO)

/* A describe_encap() for ports that segment no tunnel. */
int gso_provider_no_encap(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_encap_caps *encap,
		struct gso_offload_port_limits *lim);

/*
 * The generic TX offload rule for an active set: the application's
 * offloads (TSO bits removed), plus TCP_TSO if an LSO keyword is enabled and
 * UDP_TSO if a USO one is (each only if the port has it), the tunnel TSO
 * offload of every active encapsulation, plus the checksum (outer ones
 * included) and MULTI_SEGS offloads the port has: the pipeline uses them
 * for segments it builds in software.
 */
uint64_t gso_provider_generic_tx_offloads(uint16_t port_id,
		const struct gso_offload_active *active,
		const struct gso_offload_port_limits *lim,
		uint64_t app_offloads);

/* The MTU of the kernel interface behind a port (af_packet, tap), which
 * rte_eth_dev_get_mtu() does not track; 0 if unknown. */
uint16_t gso_provider_kernel_mtu(const struct rte_eth_dev_info *info);

/* True if name is in the provider's NULL-terminated driver_names. */
bool gso_provider_serves(const struct gso_offload_provider *p,
		const char *driver_name);

#endif /* GSO_PROVIDERS_H */
