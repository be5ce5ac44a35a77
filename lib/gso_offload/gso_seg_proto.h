/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_SEG_PROTO_H
#define GSO_SEG_PROTO_H

/*
 * Internal: the protocol half of segmentation. What changes from one
 * segment to the next (IPv4 total length, ID and checksum; IPv6 payload
 * length; TCP sequence, flags and checksum; UDP length and checksum), with
 * everything that does not change summed once per superframe.
 *
 * Checksums are one's-complement sums of 16-bit words loaded in memory
 * order (as rte_raw_cksum), so a big-endian 16-bit field of value v adds
 * rte_cpu_to_be_16(v), and the folded, complemented sum is stored as is.
 * The sums of a template header whose varying fields are zero are taken
 * once; each segment adds its own field values and its payload sum.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_byteorder.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "gso_cksum.h"
#include "gso_compat.h"

/* Everything about a superframe that is the same for all its segments. */
struct gso_seg_plan {
	uint16_t hdr_len;        /* L2 + L3 + L4 */
	uint16_t l3_off;         /* = l2_len */
	uint16_t l4_off;         /* = l2_len + l3_len */
	uint16_t l4_len;
	uint16_t mss;
	uint8_t is_ipv4;
	uint8_t is_tcp;
	uint32_t payload_len;
	uint32_t nseg;

	/* Segment length fields are this + the segment's payload. */
	uint16_t l3_len_base;    /* IPv4 total length / IPv6 payload length */
	uint16_t ip_id0;         /* IPv4 ID of the superframe */
	uint16_t ip_id_step;     /* ID increment per segment (0 when fixed) */
	uint8_t tcp_flags;       /* of the superframe */
	/* Each segment's payload is summed: l4_sw, or an outer checksum
	 * that needs it (gso_seg_outer.raw). In what was padding: the plan
	 * stays one cache line. */
	uint8_t sum_pay;
	uint32_t tcp_seq0;

	/* Checksums: what to do and the hoisted sums. */
	uint8_t ip_sw;           /* IPv4 header checksum in software */
	uint8_t l4_sw;           /* L4 checksum in software */
	uint8_t l4_phdr;         /* L4 by the port, pseudo-header in the field */
	uint8_t udp_no_cksum;    /* UDP/IPv4 superframe without checksum */
	uint32_t ip_base;        /* IPv4 header, varying fields 0 */
	uint32_t phdr_base;      /* addresses + protocol */
	uint32_t l4_base;        /* phdr_base + L4 header, varying fields 0 */

	/* Metadata of every segment. A tunnel's TUNNEL kind among them
	 * says there is an outer layer to write after the inner one
	 * (gso_seg_tunnel.h; gso_plan_tun()). */
	uint64_t ol_flags;
	uint64_t tx_offload;
};

/* Whether the plan has an outer layer (a tunnel superframe's). */
static __rte_always_inline bool
gso_plan_tun(const struct gso_seg_plan *pl)
{
	return (pl->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK) != 0;
}

/* Sum contribution of a 32-bit quantity (IPv6 pseudo-header length, TCP
 * sequence) or of a 16-bit one that fits (the high half is then 0). */
static __rte_always_inline uint32_t
gso_sum32(uint32_t v)
{
	return (uint32_t)rte_cpu_to_be_16((uint16_t)(v >> 16)) +
		rte_cpu_to_be_16((uint16_t)v);
}

static __rte_always_inline uint32_t
gso_seg_payload(const struct gso_seg_plan *pl, uint32_t i)
{
	return i + 1 == pl->nseg ? pl->payload_len - i * pl->mss : pl->mss;
}

/* ---- Once per superframe: take the fixed values and sums from the
 * superframe's header (src), zero the varying fields of the template
 * (tmpl, a copy of src). Everything is read from src, never from the
 * template: a load spanning the template's just-written narrow stores
 * would wait for them to reach the cache (no store forwarding), some 15
 * cycles each. The sums of the template are therefore taken over src with
 * the varying fields' words taken back out (gso_cksum_unsum16()). ---- */

/*
 * Take a 16-bit word, as memory holds it, back out of a partial sum:
 * adding its complement is the same modulo 0xffff. The caller folds.
 * Folding gives exactly the partial of the same bytes with the word
 * zeroed: both are congruent modulo 0xffff, and neither folds to 0 as
 * long as some other word of the range (or the sum it started from) is
 * not zero, which the IPv4 version and the TCP data offset, and the
 * pseudo-header's protocol, guarantee.
 */
static __rte_always_inline uint64_t
gso_cksum_unsum16(uint64_t sum, uint16_t word)
{
	return sum + (uint16_t)~word;
}

static inline void
gso_plan_ipv4(struct gso_seg_plan *pl, uint8_t *tmpl, const uint8_t *src,
		uint16_t l3_len)
{
	const struct rte_ipv4_hdr *sip = (const void *)(src + pl->l3_off);
	struct rte_ipv4_hdr *ip = (void *)(tmpl + pl->l3_off);

	pl->ip_id0 = rte_be_to_cpu_16(sip->packet_id);
	pl->l3_len_base = l3_len + pl->l4_len;
	pl->phdr_base = gso_cksum_partial(&sip->src_addr, 8,
			rte_cpu_to_be_16((uint16_t)sip->next_proto_id));
	ip->total_length = 0;
	ip->packet_id = 0;
	ip->hdr_checksum = 0;
	if (pl->ip_sw) {
		uint64_t sum = gso_cksum_partial(sip, l3_len, 0);

		sum = gso_cksum_unsum16(sum, sip->total_length);
		sum = gso_cksum_unsum16(sum, sip->packet_id);
		sum = gso_cksum_unsum16(sum, sip->hdr_checksum);
		pl->ip_base = gso_cksum_fold64(sum);
	}
}

static inline void
gso_plan_ipv6(struct gso_seg_plan *pl, uint8_t *tmpl, const uint8_t *src,
		uint16_t l3_len, const uint8_t *final_dst)
{
	const struct rte_ipv6_hdr *sip = (const void *)(src + pl->l3_off);
	struct rte_ipv6_hdr *ip = (void *)(tmpl + pl->l3_off);

	pl->l3_len_base = l3_len - sizeof(*ip) + pl->l4_len;
	pl->phdr_base = gso_cksum_partial(gso_ipv6_src_const(sip), 16,
			rte_cpu_to_be_16(pl->is_tcp ? IPPROTO_TCP : IPPROTO_UDP));
	pl->phdr_base = gso_cksum_partial(final_dst, 16, pl->phdr_base);
	ip->payload_len = 0;
}

static inline void
gso_plan_tcp(struct gso_seg_plan *pl, uint8_t *tmpl, const uint8_t *src)
{
	const struct rte_tcp_hdr *sth = (const void *)(src + pl->l4_off);
	struct rte_tcp_hdr *th = (void *)(tmpl + pl->l4_off);

	pl->tcp_seq0 = rte_be_to_cpu_32(sth->sent_seq);
	pl->tcp_flags = sth->tcp_flags;
	th->sent_seq = 0;
	th->tcp_flags = 0;
	th->cksum = 0;
	/* Only a software checksum needs the header's sum. */
	if (pl->l4_sw) {
		const rte_be32_t seq = sth->sent_seq;
		uint64_t sum = gso_cksum_partial(sth, pl->l4_len, pl->phdr_base);

		sum = gso_cksum_unsum16(sum, (uint16_t)seq);
		sum = gso_cksum_unsum16(sum, (uint16_t)(seq >> 16));
		/* The flags are the second byte of the word they share with
		 * the data offset: the word a big-endian 16-bit value of
		 * them would be. */
		sum = gso_cksum_unsum16(sum, rte_cpu_to_be_16(sth->tcp_flags));
		sum = gso_cksum_unsum16(sum, sth->cksum);
		pl->l4_base = gso_cksum_fold64(sum);
	}
}

static inline void
gso_plan_udp(struct gso_seg_plan *pl, uint8_t *tmpl, const uint8_t *src)
{
	const struct rte_udp_hdr *suh = (const void *)(src + pl->l4_off);
	struct rte_udp_hdr *uh = (void *)(tmpl + pl->l4_off);

	/* RFC 768: a UDP/IPv4 checksum of 0 means "none"; keep it so. */
	pl->udp_no_cksum = pl->is_ipv4 && suh->dgram_cksum == 0;
	uh->dgram_len = 0;
	uh->dgram_cksum = 0;
	/* Length and checksum zeroed leave the ports. */
	if (pl->l4_sw)
		pl->l4_base = gso_cksum_partial(suh, 2 * sizeof(rte_be16_t),
			pl->phdr_base);
}

/* ---- Per segment length: everything that depends only on how much
 * payload a segment carries, computed twice per superframe (full MSS and
 * the last segment) instead of once per segment. ---- */

struct gso_len_consts {
	uint32_t len;            /* segment payload */
	rte_be16_t l3_len;       /* IPv4 total length / IPv6 payload length */
	rte_be16_t udp_len;      /* UDP length field */
	uint32_t ip_sum;         /* ip_base + total length */
	uint32_t l4_sum;         /* l4_base + length terms */
	uint16_t l4_phdr;        /* pseudo-header with length, folded */
};

static __rte_always_inline void
gso_len_consts(const struct gso_seg_plan *pl, uint32_t len,
		struct gso_len_consts *c)
{
	uint32_t l3_len = pl->l3_len_base + len;
	uint32_t l4_len = pl->l4_len + len;

	*c = (struct gso_len_consts){
		.len = len,
		.l3_len = rte_cpu_to_be_16((uint16_t)l3_len),
		.udp_len = rte_cpu_to_be_16((uint16_t)l4_len),
	};
	/* Only what the checksum mode uses: this runs per superframe. */
	if (pl->is_ipv4 && pl->ip_sw)
		c->ip_sum = gso_cksum_fold64((uint64_t)pl->ip_base + c->l3_len);
	if (pl->l4_sw)
		c->l4_sum = gso_cksum_fold64((uint64_t)pl->l4_base +
			gso_sum32(l4_len) + (pl->is_tcp ? 0 : c->udp_len));
	else if (pl->l4_phdr)
		c->l4_phdr = (uint16_t)gso_cksum_fold64((uint64_t)pl->phdr_base +
			gso_sum32(l4_len));
}

/* NDIS LSO / Linux tcp_gso_segment: FIN and PSH only on the last segment,
 * CWR only on the first, every other flag copied. */
static __rte_always_inline uint8_t
gso_tcp_seg_flags(uint8_t flags, uint32_t i, uint32_t nseg)
{
	if (i + 1 != nseg)
		flags &= ~(RTE_TCP_FIN_FLAG | RTE_TCP_PSH_FLAG);
	if (i != 0)
		flags &= ~RTE_TCP_CWR_FLAG;
	return flags;
}

/*
 * Write what varies in segment i's headers: lengths and checksums from c
 * (its length class), the IPv4 ID and TCP sequence from i, the TCP flags
 * given. payload_sum is the segment payload's partial sum (software L4
 * checksum only).
 */
static __rte_always_inline void
gso_fix_hdr(uint8_t *hdr, const struct gso_seg_plan *pl,
		const struct gso_len_consts *c, uint32_t i, uint8_t tcp_flags,
		uint32_t payload_sum)
{
	if (pl->is_ipv4) {
		struct rte_ipv4_hdr *ip = (void *)(hdr + pl->l3_off);
		rte_be16_t id = rte_cpu_to_be_16(
			(uint16_t)(pl->ip_id0 + i * pl->ip_id_step));

		ip->total_length = c->l3_len;
		ip->packet_id = id;
		if (pl->ip_sw)
			ip->hdr_checksum = (uint16_t)~gso_cksum_fold64(
				(uint64_t)c->ip_sum + id);
	} else {
		struct rte_ipv6_hdr *ip = (void *)(hdr + pl->l3_off);

		ip->payload_len = c->l3_len;
	}

	if (pl->is_tcp) {
		struct rte_tcp_hdr *th = (void *)(hdr + pl->l4_off);
		/* Sequence numbers wrap at 2^32 (unsigned arithmetic). */
		uint32_t seq = pl->tcp_seq0 + i * (uint32_t)pl->mss;

		th->sent_seq = rte_cpu_to_be_32(seq);
		th->tcp_flags = tcp_flags;
		if (pl->l4_sw)
			th->cksum = (uint16_t)~gso_cksum_fold64((uint64_t)c->l4_sum +
				gso_sum32(seq) + rte_cpu_to_be_16(tcp_flags) +
				payload_sum);
		else if (pl->l4_phdr)
			th->cksum = c->l4_phdr;
	} else {
		struct rte_udp_hdr *uh = (void *)(hdr + pl->l4_off);

		uh->dgram_len = c->udp_len;
		if (pl->udp_no_cksum)
			return;
		if (pl->l4_sw) {
			uint16_t v = (uint16_t)~gso_cksum_fold64(
				(uint64_t)c->l4_sum + payload_sum);

			/* RFC 768: a computed 0 is sent as all ones. */
			uh->dgram_cksum = v == 0 ? 0xffff : v;
		} else if (pl->l4_phdr) {
			uh->dgram_cksum = c->l4_phdr;
		}
	}
}

#endif /* GSO_SEG_PROTO_H */
