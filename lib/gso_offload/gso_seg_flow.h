/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_SEG_FLOW_H
#define GSO_SEG_FLOW_H

/*
 * Internal, part of the segmentation engine (gso_offload_segment.c only,
 * as gso_seg_plan.h): the flow cache, the plan of the last superframe
 * kept for the next one of the same flow (docs/segmentation.md, "The same
 * flow again"; tunnel flows: docs/tunnels.md).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include "gso_offload_segment.h"
#include "gso_seg_arch.h"
#include "gso_seg_parse.h"
#include "gso_seg_plan.h"
#include "gso_seg_private.h"

/* ---- The same flow again ----
 *
 * Consecutive superframes of one flow (a TCP sender's bursts, a guest's
 * TSO stream) carry the same headers but for the fields each segment
 * rewrites anyway: lengths, IPv4 ID and checksum, TCP sequence, flags and
 * checksum, UDP length and checksum. Everything seg_plan() derives from
 * the other bytes (the template, the offsets, the hoisted sums) is then
 * the same, and parsing them again would find the same layout. So the
 * engine keeps the last plan, and a superframe whose other bytes equal the
 * template's takes it after re-reading only what varies: the lengths
 * (checked as gso_parse() checks them), the flags (SYN/RST), the ID and
 * sequence. Anything unusual (an IP length of 0, headers split across
 * mbufs, an error of any kind) goes the full way, so error codes come
 * from one place. A 3-segment superframe spends about a fifth of its time
 * in parsing and planning; a miss costs the comparison and, once the new
 * plan is made, building its mask (see the back-off below).
 */

/*
 * Interleaved flows (a switch's burst of many) would pay the comparison
 * and the keeping on every superframe, some 7-10% at 4000 B: after
 * GSO_FLOW_MISS_LIMIT misses in a row the engine keeps no plan for the
 * next GSO_FLOW_BACKOFF superframes, then tries again.
 */
#define GSO_FLOW_MISS_LIMIT 4
#define GSO_FLOW_BACKOFF 64

/* The fields each segment rewrites, per header: { offset, length }. */
struct flow_field {
	uint8_t off, len;
};
#define FLOW_FIELD(type, member) \
	{ offsetof(type, member), sizeof(((type *)0)->member) }
static const struct flow_field ipv4_rewritten[] = {
	FLOW_FIELD(struct rte_ipv4_hdr, total_length),
	FLOW_FIELD(struct rte_ipv4_hdr, packet_id),
	FLOW_FIELD(struct rte_ipv4_hdr, hdr_checksum),
};
static const struct flow_field ipv6_rewritten[] = {
	FLOW_FIELD(struct rte_ipv6_hdr, payload_len),
};
static const struct flow_field tcp_rewritten[] = {
	FLOW_FIELD(struct rte_tcp_hdr, sent_seq),
	FLOW_FIELD(struct rte_tcp_hdr, tcp_flags),
	FLOW_FIELD(struct rte_tcp_hdr, cksum),
};
static const struct flow_field udp_rewritten[] = {
	FLOW_FIELD(struct rte_udp_hdr, dgram_len),
	FLOW_FIELD(struct rte_udp_hdr, dgram_cksum),
};
#undef FLOW_FIELD

/* Take the n fields of the header at offset base out of the mask. */
static void
flow_mask_clear(uint8_t *mask, uint32_t base, const struct flow_field *fl,
		size_t n)
{
	for (size_t i = 0; i < n; i++)
		memset(mask + base + fl[i].off, 0, fl[i].len);
}

/* The outer layer's rewritten fields out of the mask too: a tunnel flow
 * keeps its plan as a plain one does (docs/tunnels.md). */
static __rte_noinline void
seg_flow_keep_outer(struct gso_seg_flow *f, const struct gso_seg_outer *ot)
{
	if (ot->is_ipv4)
		flow_mask_clear(f->mask, ot->l3_off, ipv4_rewritten,
			RTE_DIM(ipv4_rewritten));
	else
		flow_mask_clear(f->mask, ot->l3_off, ipv6_rewritten,
			RTE_DIM(ipv6_rewritten));
	if (ot->udp)
		flow_mask_clear(f->mask, ot->l4_off, udp_rewritten,
			RTE_DIM(udp_rewritten));
	else if (ot->gre_ck)
		memset(f->mask + ot->l4_off + 4, 0, 2);
	/* ot is f->outer: the plan just made is the one kept. */
	f->tun_kind = ot->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK;
}

/* Keep pl (just made by seg_plan() into ctx->tmpl) for the flow's next
 * superframe. */
static void
seg_flow_keep(struct gso_offload_seg_ctx *ctx,
		const struct gso_offload_seg_params *prm,
		const struct gso_seg_plan *pl)
{
	struct gso_seg_flow *f = &ctx->flow;
	const uint32_t rows = (pl->hdr_len + 15u) / 16;

	memset(f->mask, 0xff, pl->hdr_len);
	memset(f->mask + pl->hdr_len, 0, rows * 16 - pl->hdr_len);
	if (pl->is_ipv4)
		flow_mask_clear(f->mask, pl->l3_off, ipv4_rewritten,
			RTE_DIM(ipv4_rewritten));
	else
		flow_mask_clear(f->mask, pl->l3_off, ipv6_rewritten,
			RTE_DIM(ipv6_rewritten));
	if (pl->is_tcp)
		flow_mask_clear(f->mask, pl->l4_off, tcp_rewritten,
			RTE_DIM(tcp_rewritten));
	else
		flow_mask_clear(f->mask, pl->l4_off, udp_rewritten,
			RTE_DIM(udp_rewritten));
	f->tun_kind = 0;
	if (unlikely(gso_plan_tun(pl)))
		seg_flow_keep_outer(f, &ctx->flow.outer);
	f->rows = (uint8_t)rows;
	f->proto = prm->proto;
	f->cksum = prm->cksum;
	f->ip_id_stride = prm->ip_id_stride;
	f->pl = *pl;
	f->valid = 1;
}

/* After a superframe planned the full way (pl, in ctx->tmpl): keep its
 * plan, unless the flows interleave. */
static void
seg_flow_after_miss(struct gso_offload_seg_ctx *ctx,
		const struct gso_offload_seg_params *prm,
		const struct gso_seg_plan *pl)
{
	struct gso_seg_flow *f = &ctx->flow;

	if (ctx->flags & GSO_OFFLOAD_SEG_F_NO_FLOW_CACHE)
		return;
	if (f->backoff > 0) {
		f->backoff--;
		return;
	}
	if (f->valid && ++f->misses >= GSO_FLOW_MISS_LIMIT) {
		f->valid = 0;   /* the template is the superframe's now */
		f->misses = 0;
		f->backoff = GSO_FLOW_BACKOFF;
		return;
	}
	seg_flow_keep(ctx, prm, pl);
}

/*
 * The outer layer of the kept tunnel flow's next superframe (p: its
 * headers, equal to the template's outside the rewritten fields; ip_len:
 * its inner IP length): the lengths as gso_parse() checks them, the outer
 * UDP checksum's "none" as the plan's; its outer ID into the kept outer plan.
 */
static __rte_noinline bool
seg_flow_match_outer(struct gso_offload_seg_ctx *ctx,
		const struct rte_mbuf *sf, const uint8_t *p,
		const struct gso_seg_plan *pl, uint32_t ip_len)
{
	struct gso_seg_outer *fo = &ctx->flow.outer;
	const uint8_t *ip = p + fo->l3_off;
	uint32_t oip_len, outer_end;

	if (fo->is_ipv4)
		oip_len = gso_be16_at(ip +
			offsetof(struct rte_ipv4_hdr, total_length));
	else
		oip_len = gso_be16_at(ip +
			offsetof(struct rte_ipv6_hdr, payload_len)) +
			sizeof(struct rte_ipv6_hdr);
	/* A length of 0 (beyond 64 KB) is below the headers: full way. */
	if (oip_len > sf->pkt_len - fo->l3_off ||
			oip_len < (uint32_t)(pl->l3_off - fo->l3_off))
		return false;
	outer_end = fo->l3_off + oip_len;
	/* The inner datagram is exactly what the outer one carries. */
	if (ip_len != outer_end - pl->l3_off)
		return false;
	if (fo->udp) {
		const uint8_t *uh = p + fo->l4_off;

		if (gso_be16_at(uh + offsetof(struct rte_udp_hdr, dgram_len)) !=
				outer_end - fo->l4_off)
			return false;
		if ((gso_be16_at(uh + offsetof(struct rte_udp_hdr,
				dgram_cksum)) == 0) != (fo->udp_ck == GSO_OUTER_CK_NONE))
			return false;
	}
	if (fo->is_ipv4)
		fo->ip_id0 = gso_be16_at(ip +
			offsetof(struct rte_ipv4_hdr, packet_id));
	return true;
}

/*
 * If sf is the kept flow's next superframe, fill pl for it and return
 * true. False sends it the full way (seg_check(), seg_plan()), which also
 * reports every error.
 */
static __rte_always_inline bool
seg_flow_match(struct gso_offload_seg_ctx *ctx, const struct rte_mbuf *sf,
		const struct gso_offload_seg_params *prm, struct gso_seg_plan *pl)
{
	struct gso_seg_flow *f = &ctx->flow;
	const uint8_t *p = rte_pktmbuf_mtod(sf, const uint8_t *);
	const uint32_t mss = prm->mss;
	/* Read once: the stores to *pl below may alias it. */
	const uint64_t tun_kind = f->tun_kind;
	gso_row diff = gso_row_zero();
	uint32_t ip_len, l3_len, l4_total, payload;

	if (!f->valid || prm->proto != f->proto || prm->cksum != f->cksum ||
			prm->ip_id_stride != f->ip_id_stride || mss == 0 ||
			(sf->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK) != tun_kind ||
			sf->data_len < f->rows * 16u)
		return false;
	for (uint32_t r = 0; r < f->rows; r++) {
		const gso_row v = gso_row_loadu(p + 16 * r);
		const gso_row t = gso_row_load(ctx->tmpl + 16 * r);
		const gso_row m = gso_row_load(f->mask + 16 * r);

		diff = gso_row_diff_acc(diff, v, t, m);
	}
	if (!gso_row_is_zero(diff))
		return false;

	/* A chain that lies about its length: the full way reports it. */
	if (unlikely(!gso_chain_whole(sf)))
		return false;
	*pl = f->pl;
	l3_len = pl->l4_off - pl->l3_off;
	/* The lengths, as gso_parse() checks them. A length field of 0
	 * (BIG TCP) is below the headers: the full way. */
	if (pl->is_ipv4)
		ip_len = gso_be16_at(p + pl->l3_off +
			offsetof(struct rte_ipv4_hdr, total_length));
	else
		ip_len = gso_be16_at(p + pl->l3_off +
			offsetof(struct rte_ipv6_hdr, payload_len)) +
			sizeof(struct rte_ipv6_hdr);
	if (ip_len > sf->pkt_len - pl->l3_off ||
			ip_len < l3_len + pl->l4_len)
		return false;
	l4_total = ip_len - l3_len;
	if (pl->is_tcp) {
		pl->tcp_flags = p[pl->l4_off + offsetof(struct rte_tcp_hdr,
			tcp_flags)];
		if (pl->tcp_flags & (RTE_TCP_SYN_FLAG | RTE_TCP_RST_FLAG))
			return false;
		/* Headers sit at any alignment (a chain cut, an odd
		 * data_off): a byte-wise read, never an aligned load. */
		pl->tcp_seq0 = gso_be32_at(p + pl->l4_off +
			offsetof(struct rte_tcp_hdr, sent_seq));
	} else {
		const uint8_t *uh = p + pl->l4_off;

		if (gso_be16_at(uh + offsetof(struct rte_udp_hdr, dgram_len)) !=
				l4_total)
			return false;
		/* The plan's "no checksum" follows the superframe's. */
		if (pl->is_ipv4 && (gso_be16_at(uh + offsetof(struct rte_udp_hdr,
				dgram_cksum)) == 0) != pl->udp_no_cksum)
			return false;
	}
	/* With a length field that holds the payload, an MSS below it
	 * always fits the segments' length fields: no GSO_OFFLOAD_EMSS. */
	payload = l4_total - pl->l4_len;
	if (payload <= mss)
		return false;
	if (pl->is_ipv4)
		pl->ip_id0 = gso_be16_at(p + pl->l3_off +
			offsetof(struct rte_ipv4_hdr, packet_id));
	pl->mss = (uint16_t)mss;
	pl->payload_len = payload;
	pl->nseg = (payload + mss - 1) / mss;
	pl->ol_flags = seg_ol_flags(sf, pl, prm->cksum);
	/* A tunnel's outer layer: one branch for a plain flow. */
	if (unlikely(tun_kind != 0)) {
		if (!seg_flow_match_outer(ctx, sf, p, pl, ip_len))
			return false;
		pl->ol_flags |= ctx->flow.outer.ol_flags;
	}
	f->misses = 0;
	f->hits++;
	return true;
}

#endif /* GSO_SEG_FLOW_H */
