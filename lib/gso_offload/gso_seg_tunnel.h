/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_SEG_TUNNEL_H
#define GSO_SEG_TUNNEL_H

/*
 * Internal: the outer layer of a tunnel superframe (docs/tunnels.md).
 *
 * A tunnel is a layer around the inner rules, not a second copy of them:
 * the inner headers sit at their plain offsets plus the outer stack's
 * length (struct gso_hdrs), so gso_seg_proto.h plans and writes them
 * unchanged, and this file adds what the outer headers need, in the same
 * two steps: a plan taken once per superframe (gso_plan_outer()), then a
 * writer each builder calls for every segment after the inner one
 * (gso_fix_outer()), behind one branch on gso_seg_plan.tun.
 *
 * What varies per segment: outer IPv4 total length, ID and header
 * checksum; outer IPv6 payload length; outer UDP length and (when not 0)
 * checksum; the GRE checksum (C bit). Everything else is copied.
 *
 * The outer UDP and GRE checksums cover the inner packet, yet need none
 * of its bytes: local checksum offload (Linux
 * Documentation/networking/checksum-offloads.rst). A valid inner IPv4
 * header sums to 0 (its checksum makes it so), and a valid inner L4
 * segment sums to the complement of its pseudo-header's sum, so once the
 * inner checksums are right on the wire, whoever computes them (this
 * engine now, or the port later), the outer sum of a segment is that of
 * its headers outside the inner IPv4 header and L4 segment, plus the
 * complement of the inner pseudo-header: constants of the superframe and
 * of the segment's length, computed twice per superframe (full MSS and
 * last segment), never per segment. The one exception is an inner
 * UDP/IPv4 datagram without checksum (0: nothing makes its bytes sum to
 * anything known): its payload is summed, as a software L4 checksum's.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "gso_cksum.h"
#include "gso_compat.h"
#include "gso_offload_segment.h"
#include "gso_seg_parse.h"
#include "gso_seg_proto.h"

/* How the outer UDP checksum is made. */
#define GSO_OUTER_CK_NONE 0     /* 0 in the superframe: stays 0 */
#define GSO_OUTER_CK_SW   1     /* computed here */
#define GSO_OUTER_CK_HW   2     /* by the port: pseudo-header in the field */

/* Everything about a superframe's outer layer the same for all segments. */
struct gso_seg_outer {
	uint8_t tun;             /* GSO_TUN_* */
	uint8_t is_ipv4;
	uint8_t ip_sw;           /* outer IPv4 header checksum in software */
	uint8_t udp;             /* an outer UDP header (VXLAN, GENEVE) */
	uint8_t udp_ck;          /* GSO_OUTER_CK_* */
	uint8_t gre_ck;          /* GRE checksum (C bit), always software */
	/* The inner L4 is summed by its bytes, not by LCO: inner UDP/IPv4
	 * without checksum under an outer checksum made here. */
	uint8_t raw;
	uint8_t inner_v6;        /* inner IPv6: its header sums with its length */
	uint16_t l3_off;         /* outer_l2_len */
	uint16_t l4_off;         /* the outer UDP or GRE header */
	uint16_t l3_len_base;    /* outer IP length field = this + payload */
	uint16_t l4_len_base;    /* outer UDP length = this + payload */
	uint16_t ip_id0;         /* outer IPv4 ID of the superframe */
	uint16_t ip_id_step;     /* as the inner one's */
	uint32_t ip_base;        /* outer IPv4 header, varying fields 0 */
	uint32_t phdr_base;      /* outer UDP pseudo-header, without length */
	/* What the outer UDP / GRE checksum covers that is the same in
	 * every segment: (UDP: pseudo-header without length, ports) the
	 * tunnel header, the inner L2 header, an inner IPv6 header with
	 * payload length 0, (raw) the inner UDP ports. */
	uint32_t cov_base;
	uint64_t ol_flags;       /* the tunnel flags every segment carries */
};

/* The outer values of one segment length (full MSS, or the last). */
struct gso_outer_len {
	rte_be16_t l3_len;       /* outer IPv4 total / IPv6 payload length */
	rte_be16_t udp_len;
	uint32_t ip_sum;         /* ip_base + total length */
	uint32_t ck_sum;         /* outer UDP / GRE sum but the raw payload */
	uint16_t udp_phdr;       /* GSO_OUTER_CK_HW: pseudo-header, folded */
};

/* A 16-bit field as memory holds it, at any alignment (a superframe's
 * headers may start at an odd address; DPDK's header structs are packed,
 * a bare uint16_t is not). */
static __rte_always_inline uint16_t
gso_ld16(const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static __rte_always_inline void
gso_st16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, sizeof(v));
}

/* The tunnel kind flag of h->tun (gso_parse() took it from these). */
static inline uint64_t
gso_outer_kind_flag(uint8_t tun)
{
	switch (tun) {
	case GSO_TUN_VXLAN: return RTE_MBUF_F_TX_TUNNEL_VXLAN;
	case GSO_TUN_GENEVE: return RTE_MBUF_F_TX_TUNNEL_GENEVE;
	case GSO_TUN_GRE: return RTE_MBUF_F_TX_TUNNEL_GRE;
	default: return RTE_MBUF_F_TX_TUNNEL_IPIP;
	}
}

/*
 * Once per superframe, after the inner plan (pl: its offsets, lengths,
 * pseudo-header sum and ID step are set): take the outer layer's fixed
 * values and sums from the superframe's headers (src), zero its varying
 * fields in the template (tmpl). As gso_seg_proto.h, every sum is read
 * from src, with the varying words taken back out.
 */
static inline void
gso_plan_outer(struct gso_seg_outer *ot, const struct gso_seg_plan *pl,
		uint8_t *tmpl, const uint8_t *src, const struct gso_hdrs *h,
		uint8_t cksum)
{
	const uint16_t l3 = h->outer_l2_len, l4 = l3 + h->outer_l3_len;
	uint64_t sum;

	*ot = (struct gso_seg_outer){
		.tun = h->tun,
		.is_ipv4 = h->outer_is_ipv4,
		.udp = h->tun == GSO_TUN_VXLAN || h->tun == GSO_TUN_GENEVE,
		.gre_ck = h->gre_cksum,
		.inner_v6 = !pl->is_ipv4,
		.l3_off = l3,
		.l4_off = l4,
		.l4_len_base = (uint16_t)(pl->hdr_len - l4),
		.ip_id_step = pl->ip_id_step,
	};
	ot->ol_flags = gso_outer_kind_flag(h->tun) | (ot->is_ipv4 ?
		RTE_MBUF_F_TX_OUTER_IPV4 : RTE_MBUF_F_TX_OUTER_IPV6);
	if (ot->is_ipv4) {
		const struct rte_ipv4_hdr *sip = (const void *)(src + l3);
		struct rte_ipv4_hdr *ip = (void *)(tmpl + l3);

		ot->ip_id0 = rte_be_to_cpu_16(sip->packet_id);
		ot->l3_len_base = (uint16_t)(pl->hdr_len - l3);
		ot->ip_sw = !(cksum & GSO_OFFLOAD_CKSUM_OUTER_IP_HW);
		if (!ot->ip_sw)
			ot->ol_flags |= RTE_MBUF_F_TX_OUTER_IP_CKSUM;
		ip->total_length = 0;
		ip->packet_id = 0;
		ip->hdr_checksum = 0;
		if (ot->ip_sw) {
			sum = gso_cksum_partial(sip, h->outer_l3_len, 0);
			sum = gso_cksum_unsum16(sum, sip->total_length);
			sum = gso_cksum_unsum16(sum, sip->packet_id);
			sum = gso_cksum_unsum16(sum, sip->hdr_checksum);
			ot->ip_base = gso_cksum_fold64(sum);
		}
		if (ot->udp)
			ot->phdr_base = gso_cksum_partial(&sip->src_addr, 8,
				rte_cpu_to_be_16(IPPROTO_UDP));
	} else {
		const struct rte_ipv6_hdr *sip = (const void *)(src + l3);
		struct rte_ipv6_hdr *ip = (void *)(tmpl + l3);

		ot->l3_len_base = (uint16_t)(pl->hdr_len - l3 - sizeof(*ip));
		ip->payload_len = 0;
		if (ot->udp)
			ot->phdr_base = gso_cksum_partial(src +
				h->outer_phdr_dst_off, 16, gso_cksum_partial(
				gso_ipv6_src_const(sip), 16,
				rte_cpu_to_be_16(IPPROTO_UDP)));
	}

	if (ot->udp) {
		const struct rte_udp_hdr *suh = (const void *)(src + l4);
		struct rte_udp_hdr *uh = (void *)(tmpl + l4);

		/* RFC 768 / RFC 6935: a 0 outer checksum says "none"; a
		 * tunnel sender chose it, and it stays so. */
		ot->udp_ck = suh->dgram_cksum == 0 ? GSO_OUTER_CK_NONE :
			(cksum & GSO_OFFLOAD_CKSUM_OUTER_UDP_HW) ?
			GSO_OUTER_CK_HW : GSO_OUTER_CK_SW;
		if (ot->udp_ck == GSO_OUTER_CK_HW)
			ot->ol_flags |= RTE_MBUF_F_TX_OUTER_UDP_CKSUM;
		uh->dgram_len = 0;
		uh->dgram_cksum = 0;
	} else if (ot->gre_ck) {
		/* The checksum follows the 4-byte base header; reserved1
		 * after it is copied. */
		gso_st16(tmpl + l4 + 4, 0);
	}
	if (ot->udp_ck != GSO_OUTER_CK_SW && !ot->gre_ck)
		return;

	/* The constant part of what the outer checksum covers: from the
	 * outer L4 header to the inner L3 header, the fields it rewrites
	 * taken out. */
	ot->raw = !pl->is_tcp && pl->udp_no_cksum;
	sum = gso_cksum_partial(src + l4, pl->l3_off - l4,
		ot->udp ? ot->phdr_base : 0);
	if (ot->udp) {
		const struct rte_udp_hdr *suh = (const void *)(src + l4);

		sum = gso_cksum_unsum16(sum, suh->dgram_len);
		sum = gso_cksum_unsum16(sum, suh->dgram_cksum);
	} else {
		sum = gso_cksum_unsum16(sum, gso_ld16(src + l4 + 4));
	}
	if (ot->inner_v6) {
		const struct rte_ipv6_hdr *iip =
			(const void *)(src + pl->l3_off);

		sum += gso_cksum_partial(iip, pl->l4_off - pl->l3_off, 0);
		sum = gso_cksum_unsum16(sum, iip->payload_len);
	}
	if (ot->raw)
		sum += gso_cksum_partial(src + pl->l4_off, 4, 0);
	ot->cov_base = gso_cksum_fold64(sum);
}

/*
 * The outer values of a segment of len payload bytes; c holds the inner
 * ones of the same length (gso_len_consts()).
 */
static __rte_always_inline void
gso_outer_len_consts(const struct gso_seg_outer *ot,
		const struct gso_seg_plan *pl, const struct gso_len_consts *c,
		struct gso_outer_len *oc)
{
	const uint32_t len = c->len;
	const uint32_t l4_len = pl->l4_len + len;

	*oc = (struct gso_outer_len){
		.l3_len = rte_cpu_to_be_16((uint16_t)(ot->l3_len_base + len)),
		.udp_len = rte_cpu_to_be_16((uint16_t)(ot->l4_len_base + len)),
	};
	if (ot->ip_sw)
		oc->ip_sum = gso_cksum_fold64((uint64_t)ot->ip_base +
			oc->l3_len);
	if (ot->udp_ck == GSO_OUTER_CK_HW)
		oc->udp_phdr = (uint16_t)gso_cksum_fold64(
			(uint64_t)ot->phdr_base + oc->udp_len);
	if (ot->udp_ck == GSO_OUTER_CK_SW || ot->gre_ck) {
		/* The UDP length counts twice: header and pseudo-header. */
		uint64_t sum = (uint64_t)ot->cov_base +
			(ot->udp ? 2u * oc->udp_len : 0);

		/* The inner IPv4 header sums to 0; an IPv6 one (length 0
		 * in cov_base) adds its payload length. */
		if (ot->inner_v6)
			sum += c->l3_len;
		if (ot->raw) {
			/* Ports in cov_base, length here, checksum 0, the
			 * payload per segment. */
			sum += rte_cpu_to_be_16((uint16_t)l4_len);
		} else {
			/* A valid inner L4 segment sums to the complement of
			 * its pseudo-header. */
			sum += (uint16_t)~gso_cksum_fold64((uint64_t)pl->phdr_base +
				gso_sum32(l4_len));
		}
		oc->ck_sum = gso_cksum_fold64(sum);
	}
}

/*
 * Write what varies in segment i's outer headers, after the inner ones
 * (gso_fix_hdr()). payload_sum: the segment payload's sum (raw only).
 */
static __rte_always_inline void
gso_fix_outer(uint8_t *hdr, const struct gso_seg_outer *ot,
		const struct gso_outer_len *oc, uint32_t i, uint32_t payload_sum)
{
	if (ot->is_ipv4) {
		struct rte_ipv4_hdr *ip = (void *)(hdr + ot->l3_off);
		/* As Linux: the outer ID steps per segment, as the inner. */
		rte_be16_t id = rte_cpu_to_be_16(
			(uint16_t)(ot->ip_id0 + i * ot->ip_id_step));

		ip->total_length = oc->l3_len;
		ip->packet_id = id;
		if (ot->ip_sw)
			ip->hdr_checksum = (uint16_t)~gso_cksum_fold64(
				(uint64_t)oc->ip_sum + id);
	} else {
		struct rte_ipv6_hdr *ip = (void *)(hdr + ot->l3_off);

		ip->payload_len = oc->l3_len;
	}
	if (ot->udp) {
		struct rte_udp_hdr *uh = (void *)(hdr + ot->l4_off);

		uh->dgram_len = oc->udp_len;
		if (ot->udp_ck == GSO_OUTER_CK_SW) {
			uint16_t v = (uint16_t)~gso_cksum_fold64(
				(uint64_t)oc->ck_sum + (ot->raw ? payload_sum : 0));

			/* RFC 768: a computed 0 is sent as all ones. */
			uh->dgram_cksum = v == 0 ? 0xffff : v;
		} else if (ot->udp_ck == GSO_OUTER_CK_HW) {
			uh->dgram_cksum = oc->udp_phdr;
		}
	} else if (ot->gre_ck) {
		gso_st16(hdr + ot->l4_off + 4,
			(uint16_t)~gso_cksum_fold64((uint64_t)oc->ck_sum +
				(ot->raw ? payload_sum : 0)));
	}
}

#endif /* GSO_SEG_TUNNEL_H */
