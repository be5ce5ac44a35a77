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

#include <assert.h>
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

/* ---- Many flows ----
 *
 * A switch's burst interleaves the superframes of many flows, and the plan
 * kept above is only the last flow's. So each plan kept is also copied
 * into a slot of a table of GSO_FLOW_SLOTS, chosen by a hash of the flow's
 * addresses and ports. A superframe that is not the last flow's looks up
 * its slot; if it equals the slot's template under the slot's mask, the
 * slot's copy becomes the kept plan and is matched as above. The
 * comparison of every header byte decides, as for the last flow, so a
 * collision or a slot taken over by another flow costs a miss, never a
 * wrong plan. Only the lookup and the copy (some 400 bytes) are added, and
 * only when the last flow's plan did not match: one flow's superframes in
 * a row run exactly as before.
 *
 * The lookup finds the addresses by the TX decision's parse when the
 * pipeline hands it over, else by the superframe's TX metadata (l2_len,
 * l3_len, IPV4/IPV6, and a tunnel's outer_l2_len and outer_l3_len, as
 * DPDK's TSO contract has them); a superframe without them gets the last
 * flow's plan only. A superframe found in the table is no miss for the
 * back-off, which thus only engages when flows do not come back.
 */
#define GSO_FLOW_SLOT_BITS 6
static_assert(GSO_FLOW_SLOTS == 1u << GSO_FLOW_SLOT_BITS,
	"GSO_FLOW_SLOTS is 2^GSO_FLOW_SLOT_BITS");
static_assert(GSO_FLOW_SLOT_HDR <= GSO_OFFLOAD_MAX_HDR_LEN &&
	GSO_FLOW_SLOT_HDR % 16 == 0, "slot templates are whole rows");

/* What a slot keeps of struct gso_seg_flow besides the template and the
 * mask: the fields of the same names in both structs. */
#define GSO_FLOW_KEPT_FIELDS(X) \
	X(pl) X(outer) X(tun_kind) X(rows) X(proto) X(cksum) X(ip_id_stride)

/* The table following ctx, or NULL with the flow cache off. */
static __rte_always_inline struct gso_seg_flow_table *
seg_flow_table(const struct gso_offload_seg_ctx *ctx)
{
	if (ctx->flags & GSO_OFFLOAD_SEG_F_NO_FLOW_CACHE)
		return NULL;
	return (struct gso_seg_flow_table *)(uintptr_t)(ctx + 1);
}

static __rte_always_inline uint64_t
flow_load64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static __rte_always_inline uint64_t
flow_rotl(uint64_t v, unsigned int n)
{
	return (v << n) | (v >> (64 - n));
}

/* The slot of the flow whose (inner) IP header is at l3_off of p and L4
 * header at l4_off: its addresses and ports, hashed. The bytes must be
 * there (l3: 20 or 40 bytes; l4: 4). */
static __rte_always_inline uint32_t
seg_flow_slot_of(const uint8_t *p, uint32_t l3_off, uint32_t l4_off, bool v4)
{
	const uint8_t *ip = p + l3_off;
	uint32_t ports;
	uint64_t x;

	memcpy(&ports, p + l4_off, sizeof(ports));
	if (v4) {
		x = flow_load64(ip + offsetof(struct rte_ipv4_hdr, src_addr));
	} else {
		const uint8_t *a = ip + offsetof(struct rte_ipv6_hdr, src_addr);

		/* Rotated apart, so that a source and a destination that
		 * share words (one site's hosts) do not cancel. */
		x = flow_load64(a) ^ flow_rotl(flow_load64(a + 8), 16) ^
			flow_rotl(flow_load64(a + 16), 32) ^
			flow_rotl(flow_load64(a + 24), 48);
	}
	x = (x ^ ((uint64_t)ports << 29)) * UINT64_C(0x9e3779b97f4a7c15);
	return (uint32_t)(x >> (64 - GSO_FLOW_SLOT_BITS));
}

/* The slot sf's TX metadata points at; false without usable metadata. */
static __rte_always_inline bool
seg_flow_meta_slot(const struct rte_mbuf *sf, uint32_t *slot)
{
	const uint64_t fl = sf->ol_flags;
	const bool v4 = (fl & RTE_MBUF_F_TX_IPV4) != 0;
	uint32_t l3 = sf->l2_len, l4;

	if (!(fl & (RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IPV6)))
		return false;
	if (fl & RTE_MBUF_F_TX_TUNNEL_MASK)
		l3 += sf->outer_l2_len + sf->outer_l3_len;
	l4 = l3 + sf->l3_len;
	if (sf->l3_len < (v4 ? sizeof(struct rte_ipv4_hdr) :
			sizeof(struct rte_ipv6_hdr)) ||
			l4 + sizeof(uint32_t) > sf->data_len)
		return false;
	*slot = seg_flow_slot_of(rte_pktmbuf_mtod(sf, const uint8_t *), l3,
		l4, v4);
	return true;
}

/* The plan just kept (ctx->flow, ctx->tmpl) into its flow's slot. */
static void
seg_flow_store(struct gso_offload_seg_ctx *ctx)
{
	struct gso_seg_flow_table *t = seg_flow_table(ctx);
	const struct gso_seg_flow *f = &ctx->flow;
	struct gso_seg_flow_slot *s;
	uint32_t i;

	if (t == NULL)
		return;
	if (f->pl.hdr_len > GSO_FLOW_SLOT_HDR) {
		t->cur = -1;
		return;
	}
	i = seg_flow_slot_of(ctx->tmpl, f->pl.l3_off, f->pl.l4_off,
		f->pl.is_ipv4);
	s = &t->slot[i];
	memcpy(s->tmpl, ctx->tmpl, sizeof(s->tmpl));
	memcpy(s->mask, f->mask, sizeof(s->mask));
#define FLOW_COPY(field) s->field = f->field;
	GSO_FLOW_KEPT_FIELDS(FLOW_COPY)
#undef FLOW_COPY
	s->valid = 1;
	t->cur = (int32_t)i;
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
	/* ctx->tmpl is this superframe's now: nothing kept stays valid
	 * unless kept again below. */
	if (f->backoff > 0) {
		f->backoff--;
		f->valid = 0;
		return;
	}
	if (f->valid && ++f->misses >= GSO_FLOW_MISS_LIMIT) {
		f->valid = 0;   /* the template is the superframe's now */
		f->misses = 0;
		f->backoff = GSO_FLOW_BACKOFF;
		return;
	}
	seg_flow_keep(ctx, prm, pl);
	seg_flow_store(ctx);
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
/* Whether a plan kept for these parameters (proto, cksum, ip_id_stride),
 * tunnel kind and rows of header can serve sf segmented with prm: the
 * checks before the header comparison, for the last flow's plan and a
 * slot's alike. */
static __rte_always_inline bool
seg_flow_fits(const struct gso_offload_seg_params *prm,
		const struct rte_mbuf *sf, uint8_t proto, uint8_t cksum,
		uint16_t ip_id_stride, uint64_t tun_kind, uint32_t rows)
{
	return prm->proto == proto && prm->cksum == cksum &&
		prm->ip_id_stride == ip_id_stride && prm->mss != 0 &&
		(sf->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK) == tun_kind &&
		sf->data_len >= rows * 16u;
}

static __rte_always_inline bool
seg_flow_match_from(struct gso_offload_seg_ctx *ctx, const struct rte_mbuf *sf,
		const struct gso_offload_seg_params *prm, struct gso_seg_plan *pl,
		const bool compared)
{
	struct gso_seg_flow *f = &ctx->flow;
	const uint8_t *p = rte_pktmbuf_mtod(sf, const uint8_t *);
	const uint32_t mss = prm->mss;
	/* Read once: the stores to *pl below may alias it. */
	const uint64_t tun_kind = f->tun_kind;
	gso_row diff = gso_row_zero();
	uint32_t ip_len, l3_len, l4_total, payload;

	/* compared: the caller checked the parameters and the header
	 * (seg_flow_match_table()). */
	if (!compared) {
		if (!f->valid || !seg_flow_fits(prm, sf, f->proto, f->cksum,
				f->ip_id_stride, tun_kind, f->rows))
			return false;
		for (uint32_t r = 0; r < f->rows; r++) {
			const gso_row v = gso_row_loadu(p + 16 * r);
			const gso_row t = gso_row_load(ctx->tmpl + 16 * r);
			const gso_row m = gso_row_load(f->mask + 16 * r);

			diff = gso_row_diff_acc(diff, v, t, m);
		}
		if (!gso_row_is_zero(diff))
			return false;
	}

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

static __rte_always_inline bool
seg_flow_match(struct gso_offload_seg_ctx *ctx, const struct rte_mbuf *sf,
		const struct gso_offload_seg_params *prm, struct gso_seg_plan *pl)
{
	return seg_flow_match_from(ctx, sf, prm, pl, false);
}

/*
 * sf is not the last flow's: if its slot holds its flow, make that the
 * kept plan and match it (seg_flow_match()). parsed: the TX decision's
 * parse of sf, or NULL.
 */
static __rte_noinline bool
seg_flow_match_table(struct gso_offload_seg_ctx *ctx, const struct rte_mbuf *sf,
		const struct gso_offload_seg_params *prm,
		const struct gso_hdrs *parsed, struct gso_seg_plan *pl)
{
	struct gso_seg_flow_table *t = seg_flow_table(ctx);
	struct gso_seg_flow *f = &ctx->flow;
	const uint8_t *p = rte_pktmbuf_mtod(sf, const uint8_t *);
	const struct gso_seg_flow_slot *s;
	gso_row diff = gso_row_zero();
	uint32_t i;

	if (t == NULL)
		return false;
	if (parsed != NULL)
		i = seg_flow_slot_of(parsed->hdr, parsed->l2_len,
			parsed->l2_len + parsed->l3_len, parsed->is_ipv4);
	else if (!seg_flow_meta_slot(sf, &i))
		return false;
	s = &t->slot[i];
	/* The last flow's plan is this slot's copy: compared already. */
	if (!s->valid || (f->valid && t->cur == (int32_t)i) ||
			!seg_flow_fits(prm, sf, s->proto, s->cksum,
				s->ip_id_stride, s->tun_kind, s->rows))
		return false;
	/* Compared and copied in one pass: the template and the mask become
	 * the last flow's as they are read. A mismatch leaves ctx->tmpl a
	 * mix, and the last flow's plan invalid (the full way follows). */
	for (uint32_t r = 0; r < s->rows; r++) {
		const gso_row tr = gso_row_load(s->tmpl + 16 * r);
		const gso_row mr = gso_row_load(s->mask + 16 * r);

		diff = gso_row_diff_acc(diff, gso_row_loadu(p + 16 * r), tr, mr);
		gso_row_storeu(ctx->tmpl + 16 * r, tr);
		gso_row_storeu(f->mask + 16 * r, mr);
	}
	if (!gso_row_is_zero(diff)) {
		f->valid = 0;
		t->cur = -1;
		return false;
	}
#define FLOW_COPY(field) f->field = s->field;
	GSO_FLOW_KEPT_FIELDS(FLOW_COPY)
#undef FLOW_COPY
	f->valid = 1;
	t->cur = (int32_t)i;
	if (!seg_flow_match_from(ctx, sf, prm, pl, true)) {
		/* The full way replans into ctx->tmpl and may keep nothing
		 * (backing off): the slot's copy must not outlive it. */
		f->valid = 0;
		return false;
	}
	t->hits++;
	return true;
}

#endif /* GSO_SEG_FLOW_H */
