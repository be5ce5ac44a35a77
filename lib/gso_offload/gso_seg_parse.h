/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_SEG_PARSE_H
#define GSO_SEG_PARSE_H

/*
 * Internal: the header walk shared by the segmentation engine and the
 * per-packet decision. It reads the headers of a frame in an mbuf chain of
 * any layout and says where each layer is, which NetAdapterCx L3/L4 variant
 * the packet is, and how much L4 payload it carries.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "gso_offload_segment.h"

/* L3 variant indexes (bit numbers of the GSO_OFFLOAD_L3_* flags). */
#define GSO_L3_IPV4       0
#define GSO_L3_IPV4_OPT   1
#define GSO_L3_IPV6       2
#define GSO_L3_IPV6_EXT   3
/* L4 variant indexes (bit numbers of the GSO_OFFLOAD_L4_* flags). */
#define GSO_L4_TCP        0
#define GSO_L4_TCP_OPT    1
#define GSO_L4_UDP        2

/* Encapsulations (h->tun): from the mbuf's RTE_MBUF_F_TX_TUNNEL_* flag. */
#define GSO_TUN_NONE      0
#define GSO_TUN_VXLAN     1   /* outer UDP, 8-byte VXLAN, inner Ethernet */
#define GSO_TUN_GENEVE    2   /* outer UDP, GENEVE + options, inner Ethernet */
#define GSO_TUN_GRE       3   /* GRE (C, K bits; S refused): inner IP or TEB */
#define GSO_TUN_IPIP      4   /* IPv4/IPv6 in IPv4/IPv6 */

struct gso_hdrs {
	const uint8_t *hdr;     /* hdr_len contiguous bytes of header */
	/* Offset of the (inner) L3 header: the Ethernet header and in-frame
	 * VLAN tags; for a tunnel, the whole outer stack (outer_l2_len +
	 * outer_l3_len + tun_l2_len). Every inner field below is at the same
	 * offsets it would have without the tunnel, plus this. */
	uint16_t l2_len;
	uint16_t l3_len;        /* IP header with options / extension headers */
	uint16_t l4_len;        /* TCP header with options, or 8 */
	uint16_t hdr_len;       /* l2_len + l3_len + l4_len */
	uint8_t l3_variant;     /* GSO_L3_* */
	uint8_t l4_variant;     /* GSO_L4_* */
	uint8_t is_ipv4;
	uint8_t l4_proto;       /* IPPROTO_TCP or IPPROTO_UDP */
	uint32_t payload_len;   /* L4 payload per the IP length fields */
	/* Offset in hdr of the destination address the L4 pseudo-header
	 * uses: the IPv6 header's, or the final one of a routing header
	 * (RFC 8200 8.1). */
	uint16_t phdr_dst_off;
	/* Set with EHDR when the headers are whole but TCP carries SYN or
	 * RST: the decision counts that apart (GSO_OFFLOAD_REJ_TCP_FLAGS). */
	uint8_t tcp_flags_bad;

	/* The outer layer of a tunnel superframe; tun == GSO_TUN_NONE and
	 * the rest 0 without one. DPDK's mbuf lengths for the same frame:
	 * outer_l2_len, outer_l3_len, l2_len = tun_l2_len. */
	uint8_t tun;            /* GSO_TUN_* */
	uint8_t outer_is_ipv4;
	uint8_t outer_l3_variant; /* GSO_L3_* of the outer IP header */
	uint8_t outer_udp_cksum; /* outer UDP checksum field non-zero */
	uint8_t gre_cksum;      /* GRE header with its C bit */
	uint16_t outer_l2_len;  /* outer Ethernet + VLAN tags */
	uint16_t outer_l3_len;  /* outer IP header with options / ext. headers */
	/* From the outer L4/tunnel header to the inner L3: outer UDP +
	 * VXLAN/GENEVE (with options) + inner Ethernet (+ VLAN); GRE (+ inner
	 * Ethernet for TEB); 0 for IP-in-IP. */
	uint16_t tun_l2_len;
	uint16_t tun_hdr_len;   /* outer UDP + VXLAN/GENEVE, or GRE, header */
	/* Offset in hdr of the destination address of the outer UDP
	 * pseudo-header (as phdr_dst_off, for the outer IP header). */
	uint16_t outer_phdr_dst_off;
};

/* The big-endian 16-bit field at p (any alignment), in host order. */
static inline uint16_t
gso_be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The big-endian 32-bit field at p (any alignment), in host order. */
static inline uint32_t
gso_be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

/*
 * Whether the chain holds the pkt_len bytes its first mbuf claims (and
 * nb_segs mbufs). Everything here reads up to pkt_len; a chain that is
 * shorter would be read past its end. DPDK 22.11's net_pcap makes such
 * chains of frames over about 67 KB (docs/gso-fwd.md, "Hostile input").
 */
static inline bool
gso_chain_whole(const struct rte_mbuf *m)
{
	uint32_t sum = 0, n = 0;

	if (likely(m->nb_segs == 1))
		return m->next == NULL && m->data_len == m->pkt_len;
	for (const struct rte_mbuf *s = m; s != NULL && n <= m->nb_segs;
			s = s->next, n++)
		sum += s->data_len;
	return n == m->nb_segs && sum == m->pkt_len;
}

/*
 * Parse the headers of m. buf (GSO_OFFLOAD_MAX_HDR_LEN bytes) receives a
 * copy when the headers are not contiguous in the first segment.
 * want_proto: IPPROTO_TCP, IPPROTO_UDP, or 0 for either.
 *
 * Returns 0 or a negated GSO_OFFLOAD_E* code:
 *   EHDR   truncated or unparseable, SYN/RST on a TCP superframe (then
 *          with h->tcp_flags_bad set)
 *   ELEN   an mbuf chain shorter or longer than its pkt_len;
 *          IP length beyond the frame or below the headers, UDP length
 *          not matching; a length field of 0 is accepted only for a frame
 *          too long for it (as Linux BIG TCP)
 *   EFRAG  IPv4 fragment or IPv6 fragment header
 *   ENOTIP not IPv4/IPv6 (after at most two VLAN tags)
 *   EPROTO L4 not the wanted protocol, or an unsupported IPv6 header (a
 *          routing type it cannot follow, a Jumbo Payload option)
 *
 * A tunnel superframe (m->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK: VXLAN,
 * GENEVE, GRE or IPIP; docs/tunnels.md) is parsed outer stack first, then
 * the inner one exactly as a plain frame's L3/L4; the mbuf's length fields
 * are not read. Its errors, besides the inner ones above:
 *   EPROTO any other tunnel kind (two flags at once read as another
 *          kind), an outer L4 that does not match the kind (VXLAN/GENEVE
 *          not UDP, GRE not 47, IPIP not 4/41), GRE with the S or R bit
 *          or a version, a GENEVE version or protocol other than 0 /
 *          TEB, a GRE protocol other than TEB/IPv4/IPv6
 *   EFRAG  outer IPv4 fragment or IPv6 fragment header
 *   EHDR   the outer, tunnel or inner headers truncated or the whole
 *          stack beyond GSO_OFFLOAD_MAX_HDR_LEN
 *   ELEN   outer IP length beyond the frame or below its headers, outer
 *          UDP length not the outer IP payload's, the inner IP length not
 *          exactly what the outer one leaves for it
 * Header errors are reported before length errors, outer or inner.
 */
int gso_parse(const struct rte_mbuf *m, uint8_t want_proto, uint8_t *buf,
		struct gso_hdrs *h);

#endif /* GSO_SEG_PARSE_H */
