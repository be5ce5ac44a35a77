/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_SEG_BUILD_H
#define GSO_SEG_BUILD_H

/*
 * Internal, part of the segmentation engine (gso_offload_segment.c only,
 * as gso_seg_plan.h): building segments. The mbufs (stashes, references
 * handed over once per superframe, the payload cursor), the contiguous
 * fast loops and the general zero-copy and copy builders; each writes the
 * inner headers (gso_seg_proto.h) and, for a tunnel, the outer ones
 * (gso_seg_tunnel.h) behind one branch.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "gso_cksum.h"
#include "gso_offload_segment.h"
#include "gso_seg_arch.h"
#include "gso_seg_private.h"
#include "gso_seg_proto.h"
#include "gso_seg_rows.h"
#include "gso_seg_tunnel.h"

/* mbufs taken from a pool per refill: enough for a 64 KB superframe at a
 * 1448-byte MSS in one go, few enough to stay in the mempool cache. */
#define GSO_STASH 64

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
 * it in place (CK_SW). sums[j]: segment first + j's payload sum. self:
 * segment 0 is the superframe, whose payload is already in place (only
 * summed). */
static __rte_always_inline void
contig_payload(const uint8_t *payload, uint32_t first, uint32_t cnt,
		uint32_t n, uint32_t mss, uint32_t last_len,
		struct rte_mbuf *const *hdrs, uint32_t dst_off, uint32_t *sums,
		bool self, const bool flat, const int ck)
{
	for (uint32_t j = 0; j < cnt; j++) {
		const uint32_t i = first + j;
		const uint32_t len = i + 1 == n ? last_len : mss;
		const uint8_t *p = payload + (size_t)i * mss;
		uint8_t *d = (uint8_t *)hdrs[i] + dst_off;

		if (flat && self && i == 0) {
			if (ck == CK_SW)
				sums[j] = gso_cksum_partial(p, len, 0);
		} else if (flat && ck == CK_SW)
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
 * The superframe made its own first segment (seg_reuse_ok()): the fields a
 * head mbuf's rows would write that differ from what it holds. Its buffer,
 * data_off, pool, port, VLAN, hash, packet type, timesync and dynamic
 * fields are the ones the rows copy from it anyway; a direct mbuf's
 * ol_flags hold no buffer flag to keep.
 */
static __rte_always_inline void
seg_self_store(struct rte_mbuf *sf, const struct gso_seg_plan *pl,
		uint32_t len)
{
	sf->next = NULL;
	sf->nb_segs = 1;
	sf->data_len = (uint16_t)len;
	sf->pkt_len = len;
	sf->ol_flags = pl->ol_flags;
	sf->tx_offload = pl->tx_offload;
}

/*
 * The loop of the contiguous fast paths. Always inlined with constant
 * flat/v4/tcp/ck, so each combination gets its own loop with no
 * per-segment branch on them; what it writes comes from registers
 * (stores through the new mbufs could alias anything in memory).
 * flat: each segment is one mbuf of ctx->copy holding its payload (copy
 * mode, the payload copied, or copied and summed in one pass); else a
 * header mbuf of ctx->hdr chained to the reference refs[i].
 * self: segment 0 is the superframe itself (src == sf), its headers
 * rewritten in place and its data trimmed; hdrs[0] and refs[0] are not
 * used. Every mbuf has been taken already: nothing can fail after the
 * superframe is written.
 */
static __rte_always_inline void
contig_loop(const struct gso_seg_plan *plan,
		const struct gso_offload_seg_ctx *ctx,
		struct rte_mbuf *sf, const struct rte_mbuf *src,
		uint32_t off, struct rte_mbuf **out, struct rte_mbuf **refs,
		struct rte_mbuf *const *hdrs, bool self, const bool flat,
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
	const uint32_t pad = flat ? flat_align_pad(hp, hdrs[self ? 1 : 0],
			hdr_len, mss) : 0;
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
				hdrs, hdr_data_off + hdr_len, sums, self, flat,
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
		uint32_t i = first;

		/* Segment 0 the superframe (never the last: n >= 2), out of
		 * the loop, which stays the one of new mbufs. */
		if (self && first == 0) {
			uint8_t *hdr = rte_pktmbuf_mtod(sf, uint8_t *);

			out[0] = sf;
			seg_self_store(sf, &pl, hdr_len + mss);
			/* Its payload follows its headers: stored to the
			 * byte. */
			contig_store_hdr(hdr, tmpl, hdr_len, t0, t1, t2, t3,
				t4, tail, true);
			if (!flat)
				refw.r16 = gso_row_add64(refw.r16, ref_step);
			gso_fix_hdr(hdr, &pl, &full, 0, f_first,
				ck == CK_SW ? sums[0] : 0);
			if (tun)
				gso_fix_outer(hdr, ot, &ofull, 0,
					sum_pass ? sums[0] : 0);
			i = 1;
		}
		for (; i < first + cnt; i++) {
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
		const struct gso_offload_seg_ctx *ctx, struct rte_mbuf *sf,
		const struct rte_mbuf *src, uint32_t off, struct rte_mbuf **out,
		struct rte_mbuf **refs, struct rte_mbuf *const *hdrs, bool self,
		const bool flat, const bool tun)
{
	const int ck = pl->l4_sw ? CK_SW : pl->l4_phdr ? CK_HW_PHDR : CK_HW_ZERO;
	const int variant = (pl->is_ipv4 ? 0 : 6) + (pl->is_tcp ? 0 : 3) + ck;

#define CONTIG(v4, tcp, ck) contig_loop(pl, ctx, sf, src, off, out, refs, \
		hdrs, self, flat, v4, tcp, ck, tun)
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
		const struct gso_offload_seg_ctx *ctx, struct rte_mbuf *sf,
		const struct rte_mbuf *src, uint32_t off, struct rte_mbuf **out,
		struct rte_mbuf **refs, struct rte_mbuf *const *hdrs, bool self,
		bool flat)
{
	if (flat)
		contig_dispatch_tun(pl, ctx, sf, src, off, out, refs, hdrs,
			self, true, true);
	else
		contig_dispatch_tun(pl, ctx, sf, src, off, out, refs, hdrs,
			self, false, true);
}

/* The plain loops, or (one branch per superframe) a tunnel's, which
 * write the outer layer after the inner one. */
static __rte_always_inline void
contig_dispatch(const struct gso_seg_plan *pl,
		const struct gso_offload_seg_ctx *ctx, struct rte_mbuf *sf,
		const struct rte_mbuf *src, uint32_t off, struct rte_mbuf **out,
		struct rte_mbuf **refs, struct rte_mbuf *const *hdrs, bool self,
		const bool flat)
{
	if (unlikely(gso_plan_tun(pl)))
		contig_dispatch_outer(pl, ctx, sf, src, off, out, refs, hdrs,
			self, flat);
	else
		contig_dispatch_tun(pl, ctx, sf, src, off, out, refs, hdrs,
			self, flat, false);
}

/*
 * Whether the superframe can itself become its first segment, as Linux's
 * skb_segment() reuses the head skb: it is the caller's to give up
 * (!keep), a direct mbuf (not a clone, not an external buffer, whose data
 * may be shared or not ours to write) that no one else holds (refcnt 1),
 * and its first mbuf holds the headers and the first segment's payload.
 * Its headers are then rewritten in place and its data trimmed to the
 * first MSS, while it stays the direct buffer the other segments'
 * references point into: one header mbuf and one reference fewer (copy
 * mode: one flat mbuf and one copy fewer).
 */
static __rte_always_inline bool
seg_reuse_ok(const struct rte_mbuf *sf, const struct gso_seg_plan *pl,
		bool keep)
{
	return !keep && RTE_MBUF_DIRECT(sf) && rte_mbuf_refcnt_read(sf) == 1 &&
		sf->data_len >= (uint32_t)pl->hdr_len + pl->mss;
}

/* Free the mbufs of a consumed superframe behind the one that became its
 * first segment (trailing bytes or empty mbufs: they hold no payload). */
static inline void
seg_free_rest(struct rte_mbuf *rest)
{
	struct rte_mbuf *next;

	for (; rest != NULL; rest = next) {
		next = rest->next;
		rte_pktmbuf_free_seg(rest);
	}
}

/*
 * The common case: the payload lies in one mbuf of the superframe (a
 * superframe built by a stack or received into one large buffer). Exactly
 * one header mbuf and one reference mbuf per segment, taken in two bulk
 * allocations; no payload walk. When the superframe holds the payload
 * itself and may be reused (seg_reuse_ok()), it is segment 0: one header
 * and one reference fewer, and the update of its reference count is the
 * same (n - 1: its own reference passes to segment 0, the n - 1 others'
 * are added).
 */
static __rte_noinline int
build_zerocopy_contig(struct gso_offload_seg_ctx *ctx, struct rte_mbuf *sf,
		const struct gso_seg_plan *pl, const struct rte_mbuf *src,
		uint32_t off, bool keep, struct rte_mbuf **out)
{
	const uint32_t n = pl->nseg;
	const bool self = src == sf && seg_reuse_ok(sf, pl, keep);
	/* Taken from index `self` on: refs[0] and hdrs[0] unused then. */
	const uint32_t k = n - self;
	struct rte_mbuf **hdrs, *rest;

	/* Header and reference mbufs from one pool: one bulk get. */
	if (ctx->hdr.mp == ctx->ref_pool) {
		if (seg_alloc(ctx, ctx->hdr.mp, ctx->refs + self, 2 * k) != 0)
			return -GSO_OFFLOAD_ENOMEM;
		hdrs = ctx->refs + k;
	} else {
		if (seg_alloc(ctx, ctx->hdr.mp, out + self, k) != 0)
			return -GSO_OFFLOAD_ENOMEM;
		if (seg_alloc(ctx, ctx->ref_pool, ctx->refs + self, k) != 0) {
			rte_mempool_put_bulk(ctx->hdr.mp, (void **)(out + self),
				k);
			return -GSO_OFFLOAD_ENOMEM;
		}
		hdrs = out;
	}
	if (!self) {
		contig_dispatch(pl, ctx, sf, src, off, out, ctx->refs, hdrs,
			false, false);
		seg_commit_refs_contig(sf, src, n, keep);
		return n;
	}
	rest = sf->next;
	contig_dispatch(pl, ctx, sf, src, off, out, ctx->refs, hdrs, true,
		false);
	/* A plain store while the count is 1 (seg_reuse_ok()). */
	rte_mbuf_refcnt_set(sf, (uint16_t)n);
	seg_free_rest(rest);
	return n;
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
	/* The superframe as segment 0: its payload is never copied. */
	const bool self = src == sf && seg_reuse_ok(sf, pl, keep);
	struct rte_mbuf *rest = sf->next;

	if (seg_alloc(ctx, ctx->copy.mp, out + self, pl->nseg - self) != 0)
		return -GSO_OFFLOAD_ENOMEM;
	contig_dispatch(pl, ctx, sf, src, off, out, NULL, out, self, true);
	if (self)
		seg_free_rest(rest);
	else if (!keep)
		rte_pktmbuf_free(sf);
	return pl->nseg;
}

/*
 * The general builders' segment 0 when it is the superframe itself
 * (seg_reuse_ok()), written once every other segment is built, so that a
 * failed allocation finds the superframe untouched: its headers
 * rewritten in place to the byte (its payload follows them), its first
 * MSS summed where it stands, its data trimmed to them.
 */
static void
seg_self_finish(const struct gso_offload_seg_ctx *ctx, struct rte_mbuf *sf,
		const struct gso_seg_plan *pl, const struct gso_len_consts *full,
		const struct gso_outer_len *ofull)
{
	uint8_t *hdr = rte_pktmbuf_mtod(sf, uint8_t *);
	uint32_t sum = 0;

	if (pl->sum_pay)
		sum = gso_cksum_partial(hdr + pl->hdr_len, pl->mss, 0);
	memcpy(hdr, ctx->tmpl, pl->hdr_len);
	gso_fix_hdr(hdr, pl, full, 0,
		gso_tcp_seg_flags(pl->tcp_flags, 0, pl->nseg), sum);
	if (unlikely(gso_plan_tun(pl)))
		gso_fix_outer(hdr, &ctx->flow.outer, ofull, 0, sum);
	seg_self_store(sf, pl, (uint32_t)pl->hdr_len + pl->mss);
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
	bool self;

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
	/* Segment 0 the superframe itself: the others first. */
	self = seg_reuse_ok(sf, pl, keep);
	cursor_init(&cur, sf, pl->hdr_len + (self ? pl->mss : 0));
	for (i = self; i < pl->nseg; i++) {
		const struct gso_len_consts *c = i + 1 == pl->nseg ? &last : &full;
		uint32_t len = c->len, done = 0, sum = 0;
		struct rte_mbuf *h, *prev;
		uint16_t nb = 1;
		uint8_t *hdr;

		if (hs.pos == hs.n &&
				stash_fill(ctx, ctx->hdr.mp, &hs, pl->nseg - i) != 0)
			goto fail;
		h = hs.m[hs.pos++];
		out[i] = h;
		built++;
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
	/* The superframe's count: as when consumed, its own reference
	 * passes to segment 0. */
	seg_commit_refs(sf, pl, keep);
	if (self) {
		seg_self_finish(ctx, sf, pl, &full, &ofull);
		out[0] = sf;
	}
	return pl->nseg;
fail:
	for (i = 0; i < built; i++)
		seg_discard_uncommitted(out[self + i]);
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
	bool self;

	GSO_STASH_EMPTY(hs);
	gso_len_consts(pl, pl->mss, &full);
	gso_len_consts(pl, gso_seg_payload(pl, pl->nseg - 1), &last);
	if (unlikely(gso_plan_tun(pl))) {
		gso_outer_len_consts(&ctx->flow.outer, pl, &full, &ofull);
		gso_outer_len_consts(&ctx->flow.outer, pl, &last, &olast);
	}
	seg_head_rows_init(&rows, &ctx->copy, sf, pl, 1, true,
		ctx->copy.headroom);
	/* Segment 0 the superframe itself, never copied: the others first. */
	self = seg_reuse_ok(sf, pl, keep);
	cursor_init(&cur, sf, pl->hdr_len + (self ? pl->mss : 0));
	for (i = self; i < pl->nseg; i++) {
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
	if (self) {
		struct rte_mbuf *rest = sf->next;

		seg_self_finish(ctx, sf, pl, &full, &ofull);
		out[0] = sf;
		/* Not rte_pktmbuf_free(): rest is no packet's head. */
		seg_free_rest(rest);
	} else if (!keep) {
		rte_pktmbuf_free(sf);
	}
	return pl->nseg;
fail:
	/* Flat segments reference nothing: plain frees. */
	rte_pktmbuf_free_bulk(out + self, i - self);
	stash_drain(ctx->copy.mp, &hs);
	return -GSO_OFFLOAD_ENOMEM;
}

#endif /* GSO_SEG_BUILD_H */
