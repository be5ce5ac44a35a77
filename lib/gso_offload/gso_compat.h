/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_COMPAT_H
#define GSO_COMPAT_H

/*
 * Internal (the library, app/ and tests/ include it; it is not installed):
 * every difference between the DPDK versions the project builds against
 * (22.11 and 24.11 LTS, see docs/portability.md), keyed on RTE_VERSION, in
 * this one place instead of #ifs spread through the sources.
 *
 * Differences that need no code, recorded here so nobody adds any:
 *  - rte_ipv4_phdr_cksum()/rte_ipv6_phdr_cksum() and
 *    rte_net_intel_cksum_prepare() leave the length out of the pseudo-header
 *    for RTE_MBUF_F_TX_UDP_SEG since 23.07 (22.11: only for TCP_SEG, and
 *    prepare ignores UDP_SEG). The library never relies on either for a
 *    superframe: gso_tx_decide.c writes the length-less pseudo-header sum
 *    itself for TCP_SEG and UDP_SEG alike, which is what a 24.11
 *    tx_prepare writes again (test_decide checks the two agree).
 *  - net_tap since 24.07 initialises its TSO context only when a TX queue
 *    is set up before the RX queue of the same index; everything here sets
 *    TX queues up first, which 22.11 accepts too (gso_offload_port.c).
 */

#include <stdint.h>

#include <rte_ip.h>
#include <rte_telemetry.h>
#include <rte_version.h>

/* 24.11 LTS and later. */
#define GSO_DPDK_24_11 (RTE_VERSION >= RTE_VERSION_NUM(24, 11, 0, 0))

/*
 * IPv6 addresses: uint8_t[16] in struct rte_ipv6_hdr until 24.07,
 * struct rte_ipv6_addr { uint8_t a[16]; } since 24.11. The accessors give
 * the 16 bytes in network order on both.
 */
#if GSO_DPDK_24_11
#define GSO_IPV6_ADDR_BYTES(field) ((field).a)
#else
#define GSO_IPV6_ADDR_BYTES(field) (field)
#endif

static inline uint8_t *
gso_ipv6_src(struct rte_ipv6_hdr *ip)
{
	return GSO_IPV6_ADDR_BYTES(ip->src_addr);
}

static inline uint8_t *
gso_ipv6_dst(struct rte_ipv6_hdr *ip)
{
	return GSO_IPV6_ADDR_BYTES(ip->dst_addr);
}

static inline const uint8_t *
gso_ipv6_src_const(const struct rte_ipv6_hdr *ip)
{
	return GSO_IPV6_ADDR_BYTES(ip->src_addr);
}

static inline const uint8_t *
gso_ipv6_dst_const(const struct rte_ipv6_hdr *ip)
{
	return GSO_IPV6_ADDR_BYTES(ip->dst_addr);
}

/*
 * Telemetry: rte_tel_data_add_dict_u64() is deprecated since 23.03 (an
 * error under -Werror) in favour of rte_tel_data_add_dict_uint(), which
 * 22.11 does not have. Same wire format on both.
 */
static inline int
gso_tel_dict_u64(struct rte_tel_data *d, const char *name, uint64_t val)
{
#if RTE_VERSION >= RTE_VERSION_NUM(23, 3, 0, 0)
	return rte_tel_data_add_dict_uint(d, name, val);
#else
	return rte_tel_data_add_dict_u64(d, name, val);
#endif
}

#endif /* GSO_COMPAT_H */
