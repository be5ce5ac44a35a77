/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * The generic half of software segmentation: plan a superframe once, walk
 * its payload (any mbuf layout) segment by segment, and build each segment
 * either zero-copy (header mbuf + mbufs referencing the payload) or as one
 * flat copy. The protocol half is gso_seg_proto.h.
 *
 * Ownership and failure: every mbuf is taken before it is used and nothing
 * is written to the superframe until all segments are built; a failed
 * allocation returns what was built to the pools untouched by any
 * reference count, so the superframe is exactly as it was.
 */

#include <assert.h>
#include <errno.h>
#include <netinet/in.h>
#include <stddef.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>

#include "gso_offload_segment.h"
#include "gso_seg_parse.h"
#include "gso_seg_private.h"
#include "gso_seg_proto.h"
#include "gso_seg_rows.h"
#include "gso_seg_tunnel.h"

/* mbufs taken from a pool per refill: enough for a 64 KB superframe at a
 * 1448-byte MSS in one go, few enough to stay in the mempool cache. */
#define GSO_STASH 64

/* Beyond this many segments per source mbuf its 16-bit reference count
 * could overflow: such superframes are copied. */
#define GSO_MAX_REFS_PER_MBUF 16384

/*
 * Auto buffer heuristic (docs/segmentation.md), from gso-bench runs:
 * copy when the port cannot take a chained segment (max_mbufs_per_seg too
 * small), when the segment payload is below GSO_COPY_BELOW bytes (two
 * mbufs cost about what copying that much does), or when the checksums
 * are computed and the superframe makes at most GSO_COPY_SWCK_MAX_SEGS
 * segments: the payload is read for its sum anyway, and for so few
 * segments the second mbuf of each and the atomic reference drop it costs
 * when freed outweigh writing the copy (3 segments, alternated pairs:
 * copy 2.46 / 2.10 / 2.13x rte_gso at batch 1 / 8 / 32, zero-copy
 * 1.94 / 1.96 / 1.99). Otherwise reference the payload:
 * with more segments the copy's writes cost (12 segments, 5 alternated
 * pairs: zero-copy 2.97 / 2.91x rte_gso at batch 1 / 8, copy 2.78 /
 * 2.66).
 */
#define GSO_COPY_BELOW 256
#define GSO_COPY_SWCK_MAX_SEGS 4

/* ---- Engine ---- */

struct rte_mempool *
gso_offload_seg_pool_create(const char *name, unsigned int n,
		uint16_t data_room, int socket_id)
{
	/* testpmd's cache size; the LIFO order below keeps what overflows it
	 * warm too. */
	const unsigned int cache = RTE_MIN(250u, n / 2);
	uint32_t room = (uint32_t)RTE_PKTMBUF_HEADROOM + data_room;
	struct rte_mempool *mp;

	if (room > UINT16_MAX) {
		rte_errno = EINVAL;
		return NULL;
	}
	mp = rte_pktmbuf_pool_create_by_ops(name, n, cache, 0, (uint16_t)room,
			socket_id, "stack");
	if (mp == NULL && rte_errno != EEXIST && rte_errno != ENOMEM)
		mp = rte_pktmbuf_pool_create(name, n, cache, 0, (uint16_t)room,
				socket_id);
	return mp;
}

static void
head_pool_init(struct gso_seg_head_pool *hp, struct rte_mempool *mp)
{
	hp->mp = mp;
	hp->buf_len = rte_pktmbuf_data_room_size(mp);
	hp->priv_size = rte_pktmbuf_priv_size(mp);
	hp->headroom = RTE_MIN(RTE_PKTMBUF_HEADROOM,
			hp->buf_len - GSO_OFFLOAD_MAX_HDR_LEN);
}

struct gso_offload_seg_ctx *
gso_offload_seg_create(const struct gso_offload_seg_conf *conf, int socket_id)
{
	struct rte_mempool *copy_pool;
	struct gso_offload_seg_ctx *ctx;

	if (conf == NULL || conf->hdr_pool == NULL || conf->ref_pool == NULL ||
			(conf->flags & ~(GSO_OFFLOAD_SEG_F_IPID_FIXED |
				GSO_OFFLOAD_SEG_F_NO_FLOW_CACHE))) {
		rte_errno = EINVAL;
		return NULL;
	}
	copy_pool = conf->copy_pool != NULL ? conf->copy_pool : conf->hdr_pool;
	/* Pinned external buffers cannot be re-pointed at other data. */
	if ((rte_pktmbuf_priv_flags(conf->hdr_pool) |
			rte_pktmbuf_priv_flags(conf->ref_pool) |
			rte_pktmbuf_priv_flags(copy_pool)) &
			RTE_PKTMBUF_POOL_F_PINNED_EXT_BUF) {
		rte_errno = EINVAL;
		return NULL;
	}
	if (rte_pktmbuf_data_room_size(conf->hdr_pool) < GSO_OFFLOAD_MAX_HDR_LEN ||
			rte_pktmbuf_data_room_size(copy_pool) <
			GSO_OFFLOAD_MAX_HDR_LEN) {
		rte_errno = EINVAL;
		return NULL;
	}
	ctx = rte_zmalloc_socket("gso_offload_seg", sizeof(*ctx),
			RTE_CACHE_LINE_SIZE, socket_id);
	if (ctx == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	head_pool_init(&ctx->hdr, conf->hdr_pool);
	head_pool_init(&ctx->copy, copy_pool);
	ctx->ref_pool = conf->ref_pool;
	ctx->ref_priv_size = rte_pktmbuf_priv_size(conf->ref_pool);
	ctx->flags = conf->flags;
	ctx->fail_after = -1;
	return ctx;
}

void
gso_offload_seg_free(struct gso_offload_seg_ctx *ctx)
{
	rte_free(ctx);
}

void
gso_seg_fault_inject(struct gso_offload_seg_ctx *ctx, int fail_after)
{
	ctx->fail_after = fail_after;
}

const char *
gso_seg_arch(void)
{
	return GSO_SEG_ARCH_NAME;
}

const char *
gso_offload_seg_cksum_isa(void)
{
	return gso_cksum_isa();
}

const char *
gso_offload_seg_strerror(int ret)
{
	switch (-ret) {
	case 0: return "success";
	case GSO_OFFLOAD_EHDR: return "headers truncated or unparseable";
	case GSO_OFFLOAD_ELEN: return "inconsistent lengths";
	case GSO_OFFLOAD_EFRAG: return "IP fragment";
	case GSO_OFFLOAD_ENOTIP: return "not IPv4 or IPv6";
	case GSO_OFFLOAD_EPROTO: return "L4 protocol not the requested one, or an IPv6 header or tunnel it cannot segment";
	case GSO_OFFLOAD_EMSS: return "MSS 0 or too large for the IP length field, or bad parameters";
	case GSO_OFFLOAD_ENOSPLIT: return "payload fits one segment: nothing to split";
	case GSO_OFFLOAD_EOUT: return "output array too small";
	case GSO_OFFLOAD_ENOMEM: return "mbuf allocation failed";
	case GSO_OFFLOAD_EBUF: return "no buffer mode fits the segment";
	default: return ret > 0 ? "segments" : "unknown error";
	}
}

/* ---- Planning ---- */

/* The segment metadata: offload requests the segment needs, VLAN/QinQ
 * insertion and dynamic flags of the superframe, nothing else. */
static uint64_t
seg_ol_flags(const struct rte_mbuf *sf, const struct gso_seg_plan *pl,
		uint8_t cksum)
{
	const uint64_t dyn = (RTE_MBUF_F_LAST_FREE - 1) &
		~(RTE_MBUF_F_FIRST_FREE - 1);
	uint64_t f = sf->ol_flags &
		(RTE_MBUF_F_TX_VLAN | RTE_MBUF_F_TX_QINQ | dyn);

	f |= pl->is_ipv4 ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6;
	if (pl->is_ipv4 && (cksum & GSO_OFFLOAD_CKSUM_IP_HW))
		f |= RTE_MBUF_F_TX_IP_CKSUM;
	if ((cksum & GSO_OFFLOAD_CKSUM_L4_HW) && !pl->udp_no_cksum)
		f |= pl->is_tcp ? RTE_MBUF_F_TX_TCP_CKSUM :
			RTE_MBUF_F_TX_UDP_CKSUM;
	return f;
}

/* Whether the IP length field of a packet with these headers and
 * payload bytes of L4 payload can hold its length. */
static bool
seg_ip_len_fits(const struct gso_hdrs *h, uint32_t payload)
{
	/* A tunnel's outer length field holds the inner packet too. */
	if (unlikely(h->tun != GSO_TUN_NONE))
		return (uint32_t)h->hdr_len - h->outer_l2_len -
			(h->outer_is_ipv4 ? 0 : sizeof(struct rte_ipv6_hdr)) +
			payload <= UINT16_MAX;
	return (uint32_t)h->l3_len - (h->is_ipv4 ? 0 :
		sizeof(struct rte_ipv6_hdr)) + h->l4_len + payload <= UINT16_MAX;
}

/* Validate the superframe and parameters; fill h and the layout part of pl. */
static int
seg_check(const struct rte_mbuf *sf, const struct gso_offload_seg_params *prm,
		uint8_t *buf, struct gso_hdrs *h, struct gso_seg_plan *pl)
{
	uint8_t want;
	int ret;

	if (prm->proto != GSO_OFFLOAD_SEG_TCP && prm->proto != GSO_OFFLOAD_SEG_UDP)
		return -EINVAL;
	if (prm->mss == 0)
		return -GSO_OFFLOAD_EMSS;
	/* Tunnel offload flags ask for inner segmentation: gso_parse()
	 * reads the outer layer and the kind (docs/tunnels.md). */
	want = prm->proto == GSO_OFFLOAD_SEG_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	ret = gso_parse(sf, want, buf, h);
	if (ret != 0)
		return ret;

	/* The layout is filled before "nothing to split" is reported:
	 * gso_offload_seg_finalize() goes on with it for a superframe of
	 * one segment, down to an empty payload (a pure ACK). */
	pl->hdr_len = h->hdr_len;
	pl->l3_off = h->l2_len;
	pl->l4_off = h->l2_len + h->l3_len;
	pl->l4_len = h->l4_len;
	pl->mss = prm->mss;
	pl->is_ipv4 = h->is_ipv4;
	pl->is_tcp = h->l4_proto == IPPROTO_TCP;
	pl->payload_len = h->payload_len;
	pl->nseg = (h->payload_len + prm->mss - 1) / prm->mss;
	if (h->payload_len <= prm->mss)
		return -GSO_OFFLOAD_ENOSPLIT;
	/* Every segment's IP length field must hold its length. */
	if (!seg_ip_len_fits(h, prm->mss))
		return -GSO_OFFLOAD_EMSS;
	return 0;
}

/* Most mbufs any one segment's payload spans in the superframe. */
static uint32_t
seg_max_pieces(const struct rte_mbuf *sf, const struct gso_seg_plan *pl)
{
	uint32_t pay0 = pl->hdr_len, pay_end = pl->hdr_len + pl->payload_len;
	uint32_t pos = 0, best = 1, cur = UINT32_MAX, pieces = 0;

	if (sf->nb_segs == 1)
		return 1;
	for (const struct rte_mbuf *s = sf; s != NULL; s = s->next) {
		uint32_t a = RTE_MAX(pos, pay0);
		uint32_t b = RTE_MIN(pos + s->data_len, pay_end);

		pos += s->data_len;
		if (b <= a)
			continue;
		uint32_t first = (a - pay0) / pl->mss, last = (b - 1 - pay0) / pl->mss;

		pieces = first == cur ? pieces + 1 : 1;
		best = RTE_MAX(best, pieces);
		if (last != first)
			pieces = 1;
		cur = last;
	}
	return best;
}

static int
seg_choose_buffers(const struct gso_offload_seg_ctx *ctx,
		const struct rte_mbuf *sf, const struct gso_offload_seg_params *prm,
		const struct gso_seg_plan *pl)
{
	/* A flat segment holds its headers and payload after the headroom. */
	bool can_copy = (uint32_t)pl->hdr_len + pl->mss <=
		(uint32_t)ctx->copy.buf_len - ctx->copy.headroom;
	bool can_ref = pl->nseg <= GSO_MAX_REFS_PER_MBUF &&
		(prm->max_mbufs_per_seg == 0 ||
		 1 + seg_max_pieces(sf, pl) <= prm->max_mbufs_per_seg);

	if (!can_copy && !can_ref)
		return -GSO_OFFLOAD_EBUF;
	if (prm->buffers == GSO_OFFLOAD_BUF_ZEROCOPY)
		return can_ref ? GSO_OFFLOAD_BUF_ZEROCOPY : GSO_OFFLOAD_BUF_COPY;
	if (prm->buffers == GSO_OFFLOAD_BUF_COPY || !can_ref)
		return can_copy ? GSO_OFFLOAD_BUF_COPY : GSO_OFFLOAD_BUF_ZEROCOPY;
	if (can_copy && (pl->mss < GSO_COPY_BELOW ||
			(pl->l4_sw && pl->nseg <= GSO_COPY_SWCK_MAX_SEGS)))
		return GSO_OFFLOAD_BUF_COPY;
	return GSO_OFFLOAD_BUF_ZEROCOPY;
}

/* A tunnel's outer layer, after the inner plan: out of line, so that
 * planning a plain superframe stays the code it was. */
static __rte_noinline void
seg_plan_outer(uint8_t *tmpl, const struct gso_hdrs *h, uint8_t cksum,
		struct gso_seg_plan *pl, struct gso_seg_outer *ot)
{
	gso_plan_outer(ot, pl, tmpl, h->hdr, h, cksum);
	pl->sum_pay |= ot->raw;
	pl->ol_flags |= ot->ol_flags;
	/* DPDK's tunnel lengths: l2_len from the outer L4 header to the
	 * inner L3 one. */
	pl->tx_offload = rte_mbuf_tx_offload(h->tun_l2_len, h->l3_len,
			h->l4_len, 0, h->outer_l3_len, h->outer_l2_len, 0);
}

/* The template header and the sums hoisted out of the segment loop;
 * for a tunnel, ot receives the outer layer's. */
static void
seg_plan(uint8_t *tmpl, uint32_t flags, const struct rte_mbuf *sf,
		const struct gso_hdrs *h, const struct gso_offload_seg_params *prm,
		struct gso_seg_plan *pl, struct gso_seg_outer *ot)
{
	const uint8_t cksum = prm->cksum;

	rte_memcpy(tmpl, h->hdr, h->hdr_len);
	pl->ip_sw = !(cksum & GSO_OFFLOAD_CKSUM_IP_HW);
	pl->l4_sw = !(cksum & GSO_OFFLOAD_CKSUM_L4_HW);
	pl->l4_phdr = (cksum & GSO_OFFLOAD_CKSUM_L4_PHDR) != 0;
	pl->ip_id_step = (flags & GSO_OFFLOAD_SEG_F_IPID_FIXED) ? 0 :
		prm->ip_id_stride != 0 ? prm->ip_id_stride : 1;
	pl->udp_no_cksum = 0;
	if (h->is_ipv4)
		gso_plan_ipv4(pl, tmpl, h->hdr, h->l3_len);
	else
		gso_plan_ipv6(pl, tmpl, h->hdr, h->l3_len,
			h->hdr + h->phdr_dst_off);
	if (pl->is_tcp)
		gso_plan_tcp(pl, tmpl, h->hdr);
	else
		gso_plan_udp(pl, tmpl, h->hdr);
	pl->ol_flags = seg_ol_flags(sf, pl, cksum);
	pl->sum_pay = pl->l4_sw;
	if (likely(h->tun == GSO_TUN_NONE)) {
		pl->tx_offload = rte_mbuf_tx_offload(h->l2_len, h->l3_len,
				h->l4_len, 0, 0, 0, 0);
		return;
	}
	seg_plan_outer(tmpl, h, cksum, pl, ot);
}

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

/* ---- mbufs ---- */

struct gso_stash {
	struct rte_mbuf *m[GSO_STASH];
	uint16_t n;
	uint16_t pos;
};

/* An empty stash. Only the counts: an initializer would zero m[] too, a
 * 512-byte memset per call that showed as 6% of a 3-segment superframe. */
#define GSO_STASH_EMPTY(s) ((s).n = (s).pos = 0)

/* Take up to `want` mbufs: one allocation point (the fault hook counts
 * these). */
static inline int
stash_fill(struct gso_offload_seg_ctx *ctx, struct rte_mempool *mp,
		struct gso_stash *s, uint32_t want)
{
	want = RTE_MIN(want, (uint32_t)GSO_STASH);
	if (ctx->fail_after >= 0 && ctx->fail_after-- == 0)
		return -ENOMEM;
	if (rte_mempool_get_bulk(mp, (void **)s->m, want) != 0)
		return -ENOMEM;
	s->n = want;
	s->pos = 0;
	return 0;
}

static inline void
stash_drain(struct rte_mempool *mp, struct gso_stash *s)
{
	if (s->pos < s->n)
		rte_mempool_put_bulk(mp, (void **)&s->m[s->pos], s->n - s->pos);
	GSO_STASH_EMPTY(*s);
}

/* Undo seg_ref_rows_store() (as rte_pktmbuf_detach() restores an mbuf). */
static void
ref_unattach(struct rte_mbuf *r)
{
	struct rte_mempool *mp = r->pool;
	uint16_t priv = rte_pktmbuf_priv_size(mp);
	uint32_t size = sizeof(*r) + priv;

	r->priv_size = priv;
	r->buf_addr = (char *)r + size;
	rte_mbuf_iova_set(r, rte_mempool_virt2iova(r) + size);
	r->buf_len = rte_pktmbuf_data_room_size(mp);
	rte_pktmbuf_reset_headroom(r);
	r->data_len = 0;
	r->ol_flags = 0;
}

/* Give back a segment built but not committed: its references hold no
 * count on the superframe, so they are returned raw. */
static void
seg_discard_uncommitted(struct rte_mbuf *h)
{
	struct rte_mbuf *r = h->next, *next;

	for (; r != NULL; r = next) {
		next = r->next;
		r->next = NULL;
		r->nb_segs = 1;
		ref_unattach(r);
		rte_mbuf_raw_free(r);
	}
	h->next = NULL;
	h->nb_segs = 1;
	rte_mbuf_raw_free(h);
}

/*
 * Hand the superframe's references to the segments: a source mbuf covered
 * by k segments gains k references. When the superframe is consumed its
 * own reference is dropped too; for a direct mbuf the two are merged into
 * one update of k - 1 (a plain store while the count is 1). When the
 * caller keeps it, the update is k: a plain store too while the caller's
 * is the only reference, which is why a caller that keeps the superframe
 * anyway (for a retransmission, or another port) should say so rather
 * than take a reference of its own first.
 */
static inline void
seg_commit_one(struct rte_mbuf *s, uint16_t k, bool keep)
{
	if (k > 0) {
		if (RTE_MBUF_DIRECT(s)) {
			/* Consumed, its chain links are reset when the last
			 * segment releases it (__rte_pktmbuf_free_direct). */
			rte_mbuf_refcnt_update(s, (int16_t)(keep ? k : k - 1));
			return;
		}
		if (RTE_MBUF_HAS_EXTBUF(s))
			rte_mbuf_ext_refcnt_update(s->shinfo, k);
		else
			rte_mbuf_refcnt_update(rte_mbuf_from_indirect(s), k);
	}
	if (!keep)
		rte_pktmbuf_free_seg(s);
}

/* Each mbuf of the superframe gains a reference per segment whose payload
 * it holds part of. */
static void
seg_commit_refs(struct rte_mbuf *sf, const struct gso_seg_plan *pl,
		bool keep)
{
	uint32_t pay0 = pl->hdr_len, pay_end = pl->hdr_len + pl->payload_len;
	uint32_t pos = 0;
	struct rte_mbuf *s, *next;

	for (s = sf; s != NULL; s = next) {
		uint32_t a = RTE_MAX(pos, pay0);
		uint32_t b = RTE_MIN(pos + s->data_len, pay_end);

		next = s->next;
		pos += s->data_len;
		seg_commit_one(s, b > a ? (b - 1 - pay0) / pl->mss -
			(a - pay0) / pl->mss + 1 : 0, keep);
	}
}

/* The same when one mbuf, src, holds all the payload: no arithmetic. */
static inline void
seg_commit_refs_contig(struct rte_mbuf *sf, const struct rte_mbuf *src,
		uint32_t nseg, bool keep)
{
	struct rte_mbuf *s, *next;

	for (s = sf; s != NULL; s = next) {
		next = s->next;
		seg_commit_one(s, s == src ? (uint16_t)nseg : 0, keep);
	}
}

/* Where the payload walk stands: an mbuf of the superframe and an offset
 * into its data. */
struct gso_cursor {
	const struct rte_mbuf *m;
	uint32_t off;
};

static inline void
cursor_init(struct gso_cursor *c, const struct rte_mbuf *sf, uint32_t skip)
{
	const struct rte_mbuf *m = sf;

	while (skip >= m->data_len && m->next != NULL) {
		skip -= m->data_len;
		m = m->next;
	}
	c->m = m;
	c->off = skip;
}

/* Bytes available at the cursor, skipping exhausted and empty mbufs. */
static __rte_always_inline uint32_t
cursor_avail(struct gso_cursor *c)
{
	while (c->off >= c->m->data_len) {
		c->off = 0;
		c->m = c->m->next;
	}
	return c->m->data_len - c->off;
}

/* Fold a piece's partial sum into a segment's running sum: a piece that
 * starts at an odd byte of the segment payload has its bytes swapped. */
static __rte_always_inline uint32_t
sum_piece(uint32_t sum, uint32_t piece, uint32_t done)
{
	return gso_cksum_add(sum, (done & 1) ? gso_cksum_swap(piece) : piece);
}

/* ---- Builders ---- */

/* One allocation point (the fault hook counts these). */
static inline int
seg_alloc(struct gso_offload_seg_ctx *ctx, struct rte_mempool *mp,
		struct rte_mbuf **m, uint32_t n)
{
	if (ctx->fail_after >= 0 && ctx->fail_after-- == 0)
		return -ENOMEM;
	return rte_mempool_get_bulk(mp, (void **)m, n) == 0 ? 0 : -ENOMEM;
}

/* Copy the template header in 16-byte steps: header and flat mbufs have
 * room for GSO_OFFLOAD_MAX_HDR_LEN (a multiple of 16), so rounding the
 * length up never writes past it. */
static __rte_always_inline void
hdr_copy(uint8_t *dst, const uint8_t *tmpl, uint32_t len)
{
	for (uint32_t o = 0; o < len; o += 16)
		gso_row_storeu(dst + o, gso_row_load(tmpl + o));
}

/*
 * The common case: the payload lies in one mbuf of the superframe (a
 * superframe built by a stack or received into one large buffer). Exactly
 * one header mbuf and one reference mbuf per segment, taken in two bulk
 * allocations; no payload walk.
 */
/* Checksum handling of the fast loop, as compile-time constants. */
enum { CK_SW, CK_HW_PHDR, CK_HW_ZERO };

/* The mbuf rows (seg_head_rows_*(), seg_ref_rows_*()): gso_seg_rows.h. */

/*
 * Segments per round of the contiguous loop. Each round first copies or
 * sums its segments' payloads, then writes their mbufs and headers: the
 * checksum kernels and memcpy() are calls, which clobber every vector
 * register, so the second pass, which keeps the mbuf rows and the header
 * in registers, must make none. Sixteen flat segments (24 KB at an MSS of
 * 1448) are still in L1 when the second pass writes their headers.
 */
#define GSO_CONTIG_ROUND 16

/* The payload pass of a round: segments [first, first + cnt) of n. flat:
 * copy (and sum, CK_SW) each payload to dst_off in its head mbuf; else sum
 * it in place (CK_SW). sums[j]: segment first + j's payload sum. */
static __rte_always_inline void
contig_payload(const uint8_t *payload, uint32_t first, uint32_t cnt,
		uint32_t n, uint32_t mss, uint32_t last_len,
		struct rte_mbuf *const *hdrs, uint32_t dst_off, uint32_t *sums,
		const bool flat, const int ck)
{
	for (uint32_t j = 0; j < cnt; j++) {
		const uint32_t i = first + j;
		const uint32_t len = i + 1 == n ? last_len : mss;
		const uint8_t *p = payload + (size_t)i * mss;
		uint8_t *d = (uint8_t *)hdrs[i] + dst_off;

		if (flat && ck == CK_SW)
			sums[j] = gso_cksum_copy(d, p, len, 0);
		else if (flat)
			memcpy(d, p, len);
		else if (ck == CK_SW)
			sums[j] = gso_cksum_partial(p, len, 0);
	}
}

/*
 * A segment's headers, from the template's rows t0-t4 (its first 80
 * bytes) and tail (its last 16). Every header stack is at least 42 bytes
 * (UDP/IPv4). A flat segment's payload is already in place behind it, so
 * its header is stored to the byte: whole rows, then the row that ends at
 * hdr_len. A header mbuf holds nothing behind it: whole rows, rounded up
 * (the room is a multiple of 16, GSO_OFFLOAD_MAX_HDR_LEN).
 */
static __rte_always_inline void
contig_store_hdr(uint8_t *hdr, const uint8_t *tmpl, uint32_t hdr_len,
		gso_row t0, gso_row t1, gso_row t2, gso_row t3, gso_row t4,
		gso_row tail, const bool flat)
{
	gso_row_storeu(hdr + 0, t0);
	gso_row_storeu(hdr + 16, t1);
	if (!flat) {
		gso_row_storeu(hdr + 32, t2);
		gso_row_storeu(hdr + 48, t3);
		if (hdr_len > 64) {
			gso_row_storeu(hdr + 64, t4);
			if (unlikely(hdr_len > 80))
				hdr_copy(hdr + 80, tmpl + 80, hdr_len - 80);
		}
		return;
	}
	if (hdr_len >= 48)
		gso_row_storeu(hdr + 32, t2);
	if (hdr_len >= 64)
		gso_row_storeu(hdr + 48, t3);
	if (hdr_len >= 80) {
		gso_row_storeu(hdr + 64, t4);
		/* The whole rows only: the tail row ends the header. */
		if (unlikely(hdr_len >= 96))
			hdr_copy(hdr + 80, tmpl + 80, (hdr_len - 80) & ~15u);
	}
	gso_row_storeu(hdr + hdr_len - 16, tail);
}

/*
 * Headroom a flat segment adds to its pool's so that its payload starts on
 * a cache line: copying 1448 bytes into a buffer 54 bytes into a line
 * splits every 64-byte store over two lines, and a split store costs about
 * two (gso-cksum-bench -o 54: copy and sum 45.6 cycles to an offset of 54
 * or 118, 37.5-41.5 to 0 or 64). The loads, from wherever the superframe
 * put its payload, stay as they are: split loads cost far less. h is one
 * of the superframe's flat mbufs (all of a pool's share their offset in a
 * line); 0 when the pool's room has no bytes to spare for it.
 */
static __rte_always_inline uint32_t
flat_align_pad(const struct gso_seg_head_pool *hp, const struct rte_mbuf *h,
		uint32_t hdr_len, uint32_t mss)
{
	const uintptr_t payload = (uintptr_t)h + sizeof(struct rte_mbuf) +
		hp->priv_size + hp->headroom + hdr_len;
	const uint32_t pad = (uint32_t)-payload & (RTE_CACHE_LINE_SIZE - 1);

	return hdr_len + mss + pad <= (uint32_t)hp->buf_len - hp->headroom ?
		pad : 0;
}

/*
 * The loop of the contiguous fast paths. Always inlined with constant
 * flat/v4/tcp/ck, so each combination gets its own loop with no
 * per-segment branch on them; what it writes comes from registers
 * (stores through the new mbufs could alias anything in memory).
 * flat: each segment is one mbuf of ctx->copy holding its payload (copy
 * mode, the payload copied, or copied and summed in one pass); else a
 * header mbuf of ctx->hdr chained to the reference refs[i].
 */
static __rte_always_inline void
contig_loop(const struct gso_seg_plan *plan,
		const struct gso_offload_seg_ctx *ctx,
		const struct rte_mbuf *sf, const struct rte_mbuf *src,
		uint32_t off, struct rte_mbuf **out, struct rte_mbuf **refs,
		struct rte_mbuf *const *hdrs, const bool flat,
		const bool v4, const bool tcp, const int ck, const bool tun)
{
	struct gso_seg_plan pl = *plan;
	/* A tunnel's outer layer (gso_seg_tunnel.h); its raw outer sum
	 * needs the payload's sum whatever the inner checksum mode. */
	const struct gso_seg_outer *ot = &ctx->flow.outer;
	const bool sum_pass = ck == CK_SW || (tun && ot->raw);
	struct gso_outer_len ofull, olast;
	const struct gso_seg_head_pool *hp = flat ? &ctx->copy : &ctx->hdr;
	const uint32_t n = pl.nseg, mss = pl.mss, hdr_len = pl.hdr_len;
	const uint32_t last_len = gso_seg_payload(&pl, n - 1);
	const uint8_t f_first = gso_tcp_seg_flags(pl.tcp_flags, 0, n);
	const uint8_t f_mid = gso_tcp_seg_flags(pl.tcp_flags, 1, n + 1);
	const uint8_t f_last = gso_tcp_seg_flags(pl.tcp_flags, n - 1, n);
	/* Where a head mbuf's headers go, from the mbuf's own address: a
	 * direct mbuf's buffer follows it and its private area
	 * (rte_pktmbuf_init()), so no load of buf_addr, which would wait
	 * for the mbuf's cache line, is needed. */
	const uint32_t pad = flat ? flat_align_pad(hp, hdrs[0], hdr_len, mss) : 0;
	const uint32_t hdr_data_off = sizeof(struct rte_mbuf) +
		hp->priv_size + hp->headroom + pad;
	const uint8_t *tmpl = ctx->tmpl;
	const uint8_t *payload = rte_pktmbuf_mtod_offset(src, const uint8_t *,
			off);
	struct gso_len_consts full, last;
	/* The references' data_off steps by the MSS. */
	const gso_row ref_step = seg_ref_step_row(mss);
	struct seg_head_rows rows;
	struct seg_ref_rows refw;
	gso_row ref_len_full, ref_len_last;

	pl.is_ipv4 = v4;
	pl.is_tcp = tcp;
	pl.l4_sw = ck == CK_SW;
	pl.l4_phdr = ck == CK_HW_PHDR;
	gso_len_consts(&pl, mss, &full);
	gso_len_consts(&pl, last_len, &last);
	if (tun) {
		gso_outer_len_consts(ot, &pl, &full, &ofull);
		gso_outer_len_consts(ot, &pl, &last, &olast);
	}
	if (!flat)
		seg_ref_rows_init(&refw, ctx, src, off);

	/* Without a payload pass (zero-copy, checksums by the port), one
	 * round takes every segment. */
	const uint32_t round = flat || sum_pass ? GSO_CONTIG_ROUND : n;

	for (uint32_t first = 0; first < n; first += round) {
		const uint32_t cnt = RTE_MIN(n - first, round);
		uint32_t sums[GSO_CONTIG_ROUND];

		if (flat || sum_pass)
			contig_payload(payload, first, cnt, n, mss, last_len,
				hdrs, hdr_data_off + hdr_len, sums, flat,
				sum_pass ? CK_SW : ck);

		/* No calls from here on: the rows and the header stay in
		 * registers. */
		const gso_row t0 = gso_row_load(tmpl + 0);
		const gso_row t1 = gso_row_load(tmpl + 16);
		const gso_row t2 = gso_row_load(tmpl + 32);
		const gso_row t3 = gso_row_load(tmpl + 48);
		const gso_row t4 = gso_row_load(tmpl + 64);
		const gso_row tail = gso_row_loadu(tmpl + hdr_len - 16);

		seg_head_rows_init(&rows, hp, sf, &pl, flat ? 1 : 2, flat,
			(uint16_t)(hp->headroom + pad));
		if (!flat) {
			ref_len_full = seg_ref_len_row(full.len);
			ref_len_last = seg_ref_len_row(last.len);
		}
		for (uint32_t i = first; i < first + cnt; i++) {
			const bool is_last = i + 1 == n;
			const struct gso_len_consts *c = is_last ? &last : &full;
			const uint8_t flags = i == 0 ? f_first :
				is_last ? f_last : f_mid;
			struct rte_mbuf *h = hdrs[i];
			uint8_t *hdr = (uint8_t *)h + hdr_data_off;

			out[i] = h;
			seg_head_rows_store(h, &rows, is_last,
				flat ? NULL : refs[i]);
			contig_store_hdr(hdr, tmpl, hdr_len, t0, t1, t2, t3,
				t4, tail, flat);

			if (!flat) {
				seg_ref_rows_store(refs[i], &refw, is_last ?
					ref_len_last : ref_len_full);
				refw.r16 = gso_row_add64(refw.r16, ref_step);
			}
			gso_fix_hdr(hdr, &pl, c, i, flags,
				ck == CK_SW ? sums[i - first] : 0);
			if (tun)
				gso_fix_outer(hdr, ot, is_last ? &olast : &ofull,
					i, sum_pass ? sums[i - first] : 0);
		}
	}
}

/* The loop for pl's protocols and checksum mode: twelve instances per
 * value of flat and tun, one per combination. */
static __rte_always_inline void
contig_dispatch_tun(const struct gso_seg_plan *pl,
		const struct gso_offload_seg_ctx *ctx, const struct rte_mbuf *sf,
		const struct rte_mbuf *src, uint32_t off, struct rte_mbuf **out,
		struct rte_mbuf **refs, struct rte_mbuf *const *hdrs,
		const bool flat, const bool tun)
{
	const int ck = pl->l4_sw ? CK_SW : pl->l4_phdr ? CK_HW_PHDR : CK_HW_ZERO;
	const int variant = (pl->is_ipv4 ? 0 : 6) + (pl->is_tcp ? 0 : 3) + ck;

#define CONTIG(v4, tcp, ck) contig_loop(pl, ctx, sf, src, off, out, refs, \
		hdrs, flat, v4, tcp, ck, tun)
	switch (variant) {
	case 0: CONTIG(true, true, CK_SW); break;
	case 1: CONTIG(true, true, CK_HW_PHDR); break;
	case 2: CONTIG(true, true, CK_HW_ZERO); break;
	case 3: CONTIG(true, false, CK_SW); break;
	case 4: CONTIG(true, false, CK_HW_PHDR); break;
	case 5: CONTIG(true, false, CK_HW_ZERO); break;
	case 6: CONTIG(false, true, CK_SW); break;
	case 7: CONTIG(false, true, CK_HW_PHDR); break;
	case 8: CONTIG(false, true, CK_HW_ZERO); break;
	case 9: CONTIG(false, false, CK_SW); break;
	case 10: CONTIG(false, false, CK_HW_PHDR); break;
	default: CONTIG(false, false, CK_HW_ZERO); break;
	}
#undef CONTIG
}

/* The tunnel loops, out of line: the plain builders keep the size and
 * layout they had without them (inlined, the twelve more instances
 * doubled the zero-copy builder and cost a plain 3-segment superframe
 * some 5% in gso-bench). */
static __rte_noinline void
contig_dispatch_outer(const struct gso_seg_plan *pl,
		const struct gso_offload_seg_ctx *ctx, const struct rte_mbuf *sf,
		const struct rte_mbuf *src, uint32_t off, struct rte_mbuf **out,
		struct rte_mbuf **refs, struct rte_mbuf *const *hdrs, bool flat)
{
	if (flat)
		contig_dispatch_tun(pl, ctx, sf, src, off, out, refs, hdrs,
			true, true);
	else
		contig_dispatch_tun(pl, ctx, sf, src, off, out, refs, hdrs,
			false, true);
}

/* The plain loops, or (one branch per superframe) a tunnel's, which
 * write the outer layer after the inner one. */
static __rte_always_inline void
contig_dispatch(const struct gso_seg_plan *pl,
		const struct gso_offload_seg_ctx *ctx, const struct rte_mbuf *sf,
		const struct rte_mbuf *src, uint32_t off, struct rte_mbuf **out,
		struct rte_mbuf **refs, struct rte_mbuf *const *hdrs,
		const bool flat)
{
	if (unlikely(gso_plan_tun(pl)))
		contig_dispatch_outer(pl, ctx, sf, src, off, out, refs, hdrs,
			flat);
	else
		contig_dispatch_tun(pl, ctx, sf, src, off, out, refs, hdrs,
			flat, false);
}

/*
 * The common case: the payload lies in one mbuf of the superframe (a
 * superframe built by a stack or received into one large buffer). Exactly
 * one header mbuf and one reference mbuf per segment, taken in two bulk
 * allocations; no payload walk.
 */
static __rte_noinline int
build_zerocopy_contig(struct gso_offload_seg_ctx *ctx, struct rte_mbuf *sf,
		const struct gso_seg_plan *pl, const struct rte_mbuf *src,
		uint32_t off, bool keep, struct rte_mbuf **out)
{
	const uint32_t n = pl->nseg;
	struct rte_mbuf **hdrs;

	/* Header and reference mbufs from one pool: one bulk get. */
	if (ctx->hdr.mp == ctx->ref_pool) {
		if (seg_alloc(ctx, ctx->hdr.mp, ctx->refs, 2 * n) != 0)
			return -GSO_OFFLOAD_ENOMEM;
		hdrs = ctx->refs + n;
	} else {
		if (seg_alloc(ctx, ctx->hdr.mp, out, n) != 0)
			return -GSO_OFFLOAD_ENOMEM;
		if (seg_alloc(ctx, ctx->ref_pool, ctx->refs, n) != 0) {
			rte_mempool_put_bulk(ctx->hdr.mp, (void **)out, n);
			return -GSO_OFFLOAD_ENOMEM;
		}
		hdrs = out;
	}
	contig_dispatch(pl, ctx, sf, src, off, out, ctx->refs, hdrs, false);
	seg_commit_refs_contig(sf, src, n, keep);
	return pl->nseg;
}

/*
 * The same in copy mode: one bulk allocation of flat mbufs, the payload
 * copied (and summed) straight from the one mbuf that holds it.
 */
static __rte_noinline int
build_copy_contig(struct gso_offload_seg_ctx *ctx, struct rte_mbuf *sf,
		const struct gso_seg_plan *pl, const struct rte_mbuf *src,
		uint32_t off, bool keep, struct rte_mbuf **out)
{
	if (seg_alloc(ctx, ctx->copy.mp, out, pl->nseg) != 0)
		return -GSO_OFFLOAD_ENOMEM;
	contig_dispatch(pl, ctx, sf, src, off, out, NULL, out, true);
	if (!keep)
		rte_pktmbuf_free(sf);
	return pl->nseg;
}

static int
build_zerocopy(struct gso_offload_seg_ctx *ctx, struct rte_mbuf *sf,
		const struct gso_seg_plan *pl, bool keep, struct rte_mbuf **out)
{
	struct gso_stash hs, rs;
	struct gso_len_consts full, last;
	struct gso_outer_len ofull = { 0 }, olast = { 0 };
	struct seg_head_rows rows;
	struct seg_ref_rows refw;
	struct gso_cursor cur;
	uint32_t i, built = 0;

	GSO_STASH_EMPTY(hs);
	GSO_STASH_EMPTY(rs);
	gso_len_consts(pl, pl->mss, &full);
	gso_len_consts(pl, gso_seg_payload(pl, pl->nseg - 1), &last);
	if (unlikely(gso_plan_tun(pl))) {
		gso_outer_len_consts(&ctx->flow.outer, pl, &full, &ofull);
		gso_outer_len_consts(&ctx->flow.outer, pl, &last, &olast);
	}
	seg_head_rows_init(&rows, &ctx->hdr, sf, pl, 1, false,
		ctx->hdr.headroom);
	cursor_init(&cur, sf, pl->hdr_len);
	for (i = 0; i < pl->nseg; i++) {
		const struct gso_len_consts *c = i + 1 == pl->nseg ? &last : &full;
		uint32_t len = c->len, done = 0, sum = 0;
		struct rte_mbuf *h, *prev;
		uint16_t nb = 1;
		uint8_t *hdr;

		if (hs.pos == hs.n &&
				stash_fill(ctx, ctx->hdr.mp, &hs, pl->nseg - i) != 0)
			goto fail;
		h = hs.m[hs.pos++];
		out[built++] = h;
		seg_head_rows_store(h, &rows, c == &last, NULL);
		hdr = rte_pktmbuf_mtod(h, uint8_t *);
		hdr_copy(hdr, ctx->tmpl, pl->hdr_len);

		for (prev = h; done < len; nb++) {
			uint32_t take = RTE_MIN(cursor_avail(&cur), len - done);
			struct rte_mbuf *r;

			if (rs.pos == rs.n && stash_fill(ctx, ctx->ref_pool, &rs,
					pl->nseg - i + sf->nb_segs) != 0) {
				prev->next = NULL;
				h->nb_segs = nb;
				goto fail;
			}
			r = rs.m[rs.pos++];
			seg_ref_rows_init(&refw, ctx, cur.m, cur.off);
			seg_ref_rows_store(r, &refw, seg_ref_len_row(take));
			if (pl->sum_pay)
				sum = sum_piece(sum, gso_cksum_partial(
					rte_pktmbuf_mtod(r, void *), take, 0), done);
			prev->next = r;
			prev = r;
			cur.off += take;
			done += take;
		}
		prev->next = NULL;
		h->nb_segs = nb;
		gso_fix_hdr(hdr, pl, c, i,
			gso_tcp_seg_flags(pl->tcp_flags, i, pl->nseg), sum);
		if (unlikely(gso_plan_tun(pl)))
			gso_fix_outer(hdr, &ctx->flow.outer, c == &last ? &olast :
				&ofull, i, sum);
	}
	stash_drain(ctx->hdr.mp, &hs);
	stash_drain(ctx->ref_pool, &rs);
	seg_commit_refs(sf, pl, keep);
	return pl->nseg;
fail:
	for (i = 0; i < built; i++)
		seg_discard_uncommitted(out[i]);
	stash_drain(ctx->hdr.mp, &hs);
	stash_drain(ctx->ref_pool, &rs);
	return -GSO_OFFLOAD_ENOMEM;
}

/* Out of line, as build_zerocopy(): inlined into gso_offload_segment()
 * with its outer-layer code it cost every superframe, whatever its
 * builder, the registers it saves. */
static __rte_noinline int
build_copy(struct gso_offload_seg_ctx *ctx, struct rte_mbuf *sf,
		const struct gso_seg_plan *pl, bool keep, struct rte_mbuf **out)
{
	struct gso_stash hs;
	struct gso_len_consts full, last;
	struct gso_outer_len ofull = { 0 }, olast = { 0 };
	struct seg_head_rows rows;
	struct gso_cursor cur;
	uint32_t i;

	GSO_STASH_EMPTY(hs);
	gso_len_consts(pl, pl->mss, &full);
	gso_len_consts(pl, gso_seg_payload(pl, pl->nseg - 1), &last);
	if (unlikely(gso_plan_tun(pl))) {
		gso_outer_len_consts(&ctx->flow.outer, pl, &full, &ofull);
		gso_outer_len_consts(&ctx->flow.outer, pl, &last, &olast);
	}
	seg_head_rows_init(&rows, &ctx->copy, sf, pl, 1, true,
		ctx->copy.headroom);
	cursor_init(&cur, sf, pl->hdr_len);
	for (i = 0; i < pl->nseg; i++) {
		const struct gso_len_consts *c = i + 1 == pl->nseg ? &last : &full;
		uint32_t len = c->len, done = 0, sum = 0;
		struct rte_mbuf *m;
		uint8_t *hdr;

		if (hs.pos == hs.n &&
				stash_fill(ctx, ctx->copy.mp, &hs, pl->nseg - i) != 0)
			goto fail;
		m = hs.m[hs.pos++];
		out[i] = m;
		seg_head_rows_store(m, &rows, c == &last, NULL);
		hdr = rte_pktmbuf_mtod(m, uint8_t *);
		hdr_copy(hdr, ctx->tmpl, pl->hdr_len);

		while (done < len) {
			uint32_t take = RTE_MIN(cursor_avail(&cur), len - done);
			const uint8_t *src = rte_pktmbuf_mtod_offset(cur.m,
					const uint8_t *, cur.off);
			uint8_t *dst = hdr + pl->hdr_len + done;

			if (pl->sum_pay)
				sum = sum_piece(sum,
					gso_cksum_copy(dst, src, take, 0), done);
			else
				memcpy(dst, src, take);
			cur.off += take;
			done += take;
		}
		gso_fix_hdr(hdr, pl, c, i,
			gso_tcp_seg_flags(pl->tcp_flags, i, pl->nseg), sum);
		if (unlikely(gso_plan_tun(pl)))
			gso_fix_outer(hdr, &ctx->flow.outer, c == &last ? &olast :
				&ofull, i, sum);
	}
	stash_drain(ctx->copy.mp, &hs);
	if (!keep)
		rte_pktmbuf_free(sf);
	return pl->nseg;
fail:
	/* Flat segments reference nothing: plain frees. */
	rte_pktmbuf_free_bulk(out, i);
	stash_drain(ctx->copy.mp, &hs);
	return -GSO_OFFLOAD_ENOMEM;
}

/* ---- API ---- */

/* Write len bytes at offset off of an mbuf chain (rte_pktmbuf_read()'s
 * inverse: headers may lie across mbufs). */
static void
mbuf_write(struct rte_mbuf *m, uint32_t off, const uint8_t *src, uint32_t len)
{
	for (; m != NULL && len > 0; m = m->next) {
		uint32_t take;

		if (off >= m->data_len) {
			off -= m->data_len;
			continue;
		}
		take = RTE_MIN(len, (uint32_t)m->data_len - off);
		memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, off), src, take);
		src += take;
		len -= take;
		off = 0;
	}
}

int
gso_offload_seg_finalize(struct rte_mbuf *m,
		const struct gso_offload_seg_params *params)
{
	uint8_t buf[GSO_OFFLOAD_MAX_HDR_LEN], tmpl[GSO_OFFLOAD_MAX_HDR_LEN];
	struct gso_offload_seg_params prm;
	struct gso_len_consts c;
	struct gso_seg_outer ot;
	struct gso_seg_plan pl;
	struct gso_cursor cur;
	struct gso_hdrs h;
	uint32_t sum = 0;
	int ret;

	if (m == NULL || params == NULL)
		return -EINVAL;
	/* One segment carrying the whole payload: the checks of a segment
	 * (lengths, fragments, protocol) with an MSS that fits it all. */
	prm = *params;
	prm.mss = 1;
	ret = seg_check(m, &prm, buf, &h, &pl);
	if (ret != 0 && ret != -GSO_OFFLOAD_ENOSPLIT)
		return ret;
	/* One packet: its IP length field must hold it all. A superframe
	 * beyond that (IP length 0, BIG TCP) would get a wrapped length. */
	if (!seg_ip_len_fits(&h, h.payload_len))
		return -GSO_OFFLOAD_EMSS;
	pl.mss = (uint16_t)h.payload_len;
	pl.nseg = 1;
	seg_plan(tmpl, 0, m, &h, &prm, &pl, &ot);

	if (pl.sum_pay) {
		uint32_t done = 0;

		cursor_init(&cur, m, pl.hdr_len);
		while (done < h.payload_len) {
			uint32_t take = RTE_MIN(cursor_avail(&cur),
					h.payload_len - done);

			sum = sum_piece(sum, gso_cksum_partial(
				rte_pktmbuf_mtod_offset(cur.m, const void *, cur.off),
				take, 0), done);
			cur.off += take;
			done += take;
		}
	}
	gso_len_consts(&pl, h.payload_len, &c);
	/* Its own flags: a single segment is both the first and the last. */
	gso_fix_hdr(tmpl, &pl, &c, 0, pl.tcp_flags, sum);
	if (gso_plan_tun(&pl)) {
		struct gso_outer_len oc;

		gso_outer_len_consts(&ot, &pl, &c, &oc);
		gso_fix_outer(tmpl, &ot, &oc, 0, sum);
	}
	mbuf_write(m, 0, tmpl, pl.hdr_len);
	/* The TX requests of a segment (VLAN/QinQ insertion kept, checksum
	 * requests per mode); other flags as they were. */
	m->ol_flags = (m->ol_flags & ~RTE_MBUF_F_TX_OFFLOAD_MASK) |
		(pl.ol_flags & RTE_MBUF_F_TX_OFFLOAD_MASK);
	m->tx_offload = pl.tx_offload;
	return 0;
}

int
gso_offload_segment_count(const struct rte_mbuf *sf,
		const struct gso_offload_seg_params *params)
{
	uint8_t buf[GSO_OFFLOAD_MAX_HDR_LEN];
	struct gso_seg_plan pl;
	struct gso_hdrs h;
	int ret;

	if (sf == NULL || params == NULL)
		return -EINVAL;
	ret = seg_check(sf, params, buf, &h, &pl);
	return ret != 0 ? ret : (int)pl.nseg;
}

int
gso_offload_segment(struct gso_offload_seg_ctx *ctx, struct rte_mbuf *sf,
		const struct gso_offload_seg_params *params,
		struct rte_mbuf **out, uint16_t nb_out)
{
	struct gso_seg_plan pl;
	struct gso_hdrs h;
	int ret, mode;
	bool keep;

	if (ctx == NULL || sf == NULL || params == NULL || out == NULL)
		return -EINVAL;
	keep = params->keep_input != 0;
	if (!seg_flow_match(ctx, sf, params, &pl)) {
		ret = seg_check(sf, params, ctx->parse_buf, &h, &pl);
		if (ret != 0)
			return ret;
		if (pl.nseg > nb_out)
			return -GSO_OFFLOAD_EOUT;
		seg_plan(ctx->tmpl, ctx->flags, sf, &h, params, &pl,
			&ctx->flow.outer);
		seg_flow_after_miss(ctx, params, &pl);
	} else if (pl.nseg > nb_out) {
		return -GSO_OFFLOAD_EOUT;
	}
	mode = seg_choose_buffers(ctx, sf, params, &pl);
	if (mode < 0)
		return mode;
	if (pl.nseg <= GSO_SEG_FAST_MAX) {
		struct gso_cursor cur;

		cursor_init(&cur, sf, pl.hdr_len);
		(void)cursor_avail(&cur);
		if (cur.m->data_len - cur.off >= pl.payload_len)
			return mode == GSO_OFFLOAD_BUF_COPY ?
				build_copy_contig(ctx, sf, &pl, cur.m, cur.off,
					keep, out) :
				build_zerocopy_contig(ctx, sf, &pl, cur.m,
					cur.off, keep, out);
	}
	if (mode == GSO_OFFLOAD_BUF_COPY)
		return build_copy(ctx, sf, &pl, keep, out);
	return build_zerocopy(ctx, sf, &pl, keep, out);
}
