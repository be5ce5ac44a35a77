/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * The generic half of software segmentation: plan a superframe once, walk
 * its payload (any mbuf layout) segment by segment, and build each segment
 * either zero-copy (header mbuf + mbufs referencing the payload) or as one
 * flat copy. The protocol half is gso_seg_proto.h (inner headers) and
 * gso_seg_tunnel.h (a tunnel's outer layer around them).
 *
 * One translation unit, so that the hot path inlines across its parts,
 * split by concern: planning (gso_seg_plan.h), the flow cache
 * (gso_seg_flow.h), building segments (gso_seg_build.h); this file holds
 * the engine's life cycle and the API.
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
#include "gso_seg_plan.h"
#include "gso_seg_flow.h"
#include "gso_seg_build.h"

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
	/* The flow table follows the context (seg_flow_table()). */
	ctx = rte_zmalloc_socket("gso_offload_seg", sizeof(*ctx) +
			((conf->flags & GSO_OFFLOAD_SEG_F_NO_FLOW_CACHE) ? 0 :
				sizeof(struct gso_seg_flow_table)),
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
	gso_seg_flow_forget(ctx);
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

void
gso_seg_flow_forget(struct gso_offload_seg_ctx *ctx)
{
	struct gso_seg_flow_table *t = seg_flow_table(ctx);

	ctx->flow.valid = 0;
	ctx->flow.misses = 0;
	ctx->flow.backoff = 0;
	if (t != NULL) {
		for (uint32_t i = 0; i < GSO_FLOW_SLOTS; i++)
			t->slot[i].valid = 0;
		t->cur = -1;
	}
}

uint64_t
gso_seg_flow_table_hits(const struct gso_offload_seg_ctx *ctx)
{
	const struct gso_seg_flow_table *t = seg_flow_table(ctx);

	return t != NULL ? t->hits : 0;
}

int
gso_seg_flow_slot(const struct rte_mbuf *sf)
{
	uint32_t i;

	return seg_flow_meta_slot(sf, &i) ? (int)i : -1;
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

/* gso_offload_seg_finalize() with m's headers in h (parsed = NULL:
 * parsed here, into h). */
static int
seg_finalize(struct rte_mbuf *m, const struct gso_offload_seg_params *params,
		const struct gso_hdrs *parsed)
{
	uint8_t buf[GSO_OFFLOAD_MAX_HDR_LEN], tmpl[GSO_OFFLOAD_MAX_HDR_LEN];
	struct gso_offload_seg_params prm;
	struct gso_len_consts c;
	struct gso_seg_outer ot;
	struct gso_seg_plan pl;
	struct gso_cursor cur;
	struct gso_hdrs hbuf;
	const struct gso_hdrs *h = parsed != NULL ? parsed : &hbuf;
	uint32_t sum = 0;
	int ret;

	if (m == NULL || params == NULL)
		return -EINVAL;
	/* One segment carrying the whole payload: the checks of a segment
	 * (lengths, fragments, protocol) with an MSS that fits it all. */
	prm = *params;
	prm.mss = 1;
	ret = parsed != NULL ? seg_check_parsed(&prm, parsed, &pl) :
		seg_check(m, &prm, buf, &hbuf, &pl);
	if (ret != 0 && ret != -GSO_OFFLOAD_ENOSPLIT)
		return ret;
	/* One packet: its IP length field must hold it all. A superframe
	 * beyond that (IP length 0, BIG TCP) would get a wrapped length. */
	if (!seg_ip_len_fits(h, h->payload_len))
		return -GSO_OFFLOAD_EMSS;
	pl.mss = (uint16_t)h->payload_len;
	pl.nseg = 1;
	seg_plan(tmpl, 0, m, h, &prm, &pl, &ot);

	if (pl.sum_pay) {
		uint32_t done = 0;

		cursor_init(&cur, m, pl.hdr_len);
		while (done < h->payload_len) {
			uint32_t take = RTE_MIN(cursor_avail(&cur),
					h->payload_len - done);

			sum = sum_piece(sum, gso_cksum_partial(
				rte_pktmbuf_mtod_offset(cur.m, const void *, cur.off),
				take, 0), done);
			cur.off += take;
			done += take;
		}
	}
	gso_len_consts(&pl, h->payload_len, &c);
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
gso_offload_seg_finalize(struct rte_mbuf *m,
		const struct gso_offload_seg_params *params)
{
	return seg_finalize(m, params, NULL);
}

int
gso_seg_finalize_parsed(struct rte_mbuf *m,
		const struct gso_offload_seg_params *params,
		const struct gso_hdrs *h)
{
	return seg_finalize(m, params, h);
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

/* gso_offload_segment() with sf's headers in parsed, or (NULL) parsed
 * here when the flow cache does not know them. */
static __rte_always_inline int
seg_segment(struct gso_offload_seg_ctx *ctx, struct rte_mbuf *sf,
		const struct gso_offload_seg_params *params,
		const struct gso_hdrs *parsed, struct rte_mbuf **out,
		uint16_t nb_out)
{
	struct gso_seg_plan pl;
	struct gso_hdrs h;
	int ret, mode;
	bool keep;

	if (ctx == NULL || sf == NULL || params == NULL || out == NULL)
		return -EINVAL;
	keep = params->keep_input != 0;
	if (!seg_flow_match(ctx, sf, params, &pl) &&
			!seg_flow_match_table(ctx, sf, params, parsed, &pl)) {
		if (parsed != NULL) {
			ret = seg_check_parsed(params, parsed, &pl);
		} else {
			ret = seg_check(sf, params, ctx->parse_buf, &h, &pl);
			parsed = &h;
		}
		if (ret != 0)
			return ret;
		if (pl.nseg > nb_out)
			return -GSO_OFFLOAD_EOUT;
		seg_plan(ctx->tmpl, ctx->flags, sf, parsed, params, &pl,
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

int
gso_offload_segment(struct gso_offload_seg_ctx *ctx, struct rte_mbuf *sf,
		const struct gso_offload_seg_params *params,
		struct rte_mbuf **out, uint16_t nb_out)
{
	return seg_segment(ctx, sf, params, NULL, out, nb_out);
}

int
gso_seg_segment_parsed(struct gso_offload_seg_ctx *ctx, struct rte_mbuf *sf,
		const struct gso_offload_seg_params *params,
		const struct gso_hdrs *h, struct rte_mbuf **out, uint16_t nb_out)
{
	return seg_segment(ctx, sf, params, h, out, nb_out);
}
