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

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>

#include "gso_offload_segment.h"
#include "gso_seg_parse.h"
#include "gso_seg_private.h"
#include "gso_seg_proto.h"

/* mbufs taken from a pool per refill: enough for a 64 KB superframe at a
 * 1448-byte MSS in one go, few enough to stay in the mempool cache. */
#define GSO_STASH 64

/* Beyond this many segments per source mbuf its 16-bit reference count
 * could overflow: such superframes are copied. */
#define GSO_MAX_REFS_PER_MBUF 16384

/*
 * Auto buffer heuristic (docs/segmentation.md): copy when
 *  - the port cannot take a chained segment (max_mbufs_per_seg too small),
 *  - or the segment payload is small: two mbufs cost more than copying
 *    GSO_COPY_BELOW bytes,
 *  - or the L4 checksum is computed in software: the payload is read
 *    anyway, and writing it while summing saves the reference mbuf;
 * otherwise reference the payload (zero-copy).
 */
#define GSO_COPY_BELOW 256

/* ---- Engine ---- */

struct gso_offload_seg_ctx *
gso_offload_seg_create(const struct gso_offload_seg_conf *conf, int socket_id)
{
	struct gso_offload_seg_ctx *ctx;
	uint32_t room;

	if (conf == NULL || conf->hdr_pool == NULL || conf->ref_pool == NULL ||
			(conf->flags & ~GSO_OFFLOAD_SEG_F_IPID_FIXED)) {
		rte_errno = EINVAL;
		return NULL;
	}
	/* Pinned external buffers cannot be re-pointed at other data. */
	if ((rte_pktmbuf_priv_flags(conf->hdr_pool) |
			rte_pktmbuf_priv_flags(conf->ref_pool)) &
			RTE_PKTMBUF_POOL_F_PINNED_EXT_BUF) {
		rte_errno = EINVAL;
		return NULL;
	}
	room = rte_pktmbuf_data_room_size(conf->hdr_pool);
	if (room < GSO_OFFLOAD_MAX_HDR_LEN) {
		rte_errno = EINVAL;
		return NULL;
	}
	ctx = rte_zmalloc_socket("gso_offload_seg", sizeof(*ctx),
			RTE_CACHE_LINE_SIZE, socket_id);
	if (ctx == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	ctx->hdr_pool = conf->hdr_pool;
	ctx->ref_pool = conf->ref_pool;
	ctx->flags = conf->flags;
	ctx->headroom = RTE_MIN((uint32_t)RTE_PKTMBUF_HEADROOM,
			room - GSO_OFFLOAD_MAX_HDR_LEN);
	ctx->room = room - ctx->headroom;
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
gso_offload_seg_strerror(int ret)
{
	switch (-ret) {
	case 0: return "success";
	case GSO_OFFLOAD_EHDR: return "headers truncated or unparseable";
	case GSO_OFFLOAD_ELEN: return "inconsistent lengths";
	case GSO_OFFLOAD_EFRAG: return "IP fragment";
	case GSO_OFFLOAD_ENOTIP: return "not IPv4 or IPv6";
	case GSO_OFFLOAD_EPROTO: return "L4 protocol not the requested one";
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
	/* Tunnel offload flags ask for inner segmentation: not ours. */
	if (sf->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK)
		return -GSO_OFFLOAD_EPROTO;
	want = prm->proto == GSO_OFFLOAD_SEG_TCP ? IPPROTO_TCP : IPPROTO_UDP;
	ret = gso_parse(sf, want, buf, h);
	if (ret != 0)
		return ret;
	if (h->payload_len <= prm->mss)
		return -GSO_OFFLOAD_ENOSPLIT;

	pl->hdr_len = h->hdr_len;
	pl->l3_off = h->l2_len;
	pl->l4_off = h->l2_len + h->l3_len;
	pl->l4_len = h->l4_len;
	pl->mss = prm->mss;
	pl->is_ipv4 = h->is_ipv4;
	pl->is_tcp = h->l4_proto == IPPROTO_TCP;
	pl->payload_len = h->payload_len;
	pl->nseg = (h->payload_len + prm->mss - 1) / prm->mss;
	/* Every segment's IP length field must hold its length. */
	if ((uint32_t)h->l3_len - (h->is_ipv4 ? 0 : sizeof(struct rte_ipv6_hdr)) +
			h->l4_len + prm->mss > UINT16_MAX)
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
	bool can_copy = (uint32_t)pl->hdr_len + pl->mss <= ctx->room;
	bool can_ref = pl->nseg <= GSO_MAX_REFS_PER_MBUF &&
		(prm->max_mbufs_per_seg == 0 ||
		 1 + seg_max_pieces(sf, pl) <= prm->max_mbufs_per_seg);

	if (!can_copy && !can_ref)
		return -GSO_OFFLOAD_EBUF;
	if (prm->buffers == GSO_OFFLOAD_BUF_ZEROCOPY)
		return can_ref ? GSO_OFFLOAD_BUF_ZEROCOPY : GSO_OFFLOAD_BUF_COPY;
	if (prm->buffers == GSO_OFFLOAD_BUF_COPY || !can_ref)
		return can_copy ? GSO_OFFLOAD_BUF_COPY : GSO_OFFLOAD_BUF_ZEROCOPY;
	if (can_copy && (pl->mss < GSO_COPY_BELOW || pl->l4_sw))
		return GSO_OFFLOAD_BUF_COPY;
	return GSO_OFFLOAD_BUF_ZEROCOPY;
}

/* The template header and the sums hoisted out of the segment loop. */
static void
seg_plan(struct gso_offload_seg_ctx *ctx, const struct rte_mbuf *sf,
		const struct gso_hdrs *h, uint8_t cksum, struct gso_seg_plan *pl)
{
	uint8_t *tmpl = ctx->tmpl;

	rte_memcpy(tmpl, h->hdr, h->hdr_len);
	pl->ip_sw = !(cksum & GSO_OFFLOAD_CKSUM_IP_HW);
	pl->l4_sw = !(cksum & GSO_OFFLOAD_CKSUM_L4_HW);
	pl->l4_phdr = (cksum & GSO_OFFLOAD_CKSUM_L4_PHDR) != 0;
	pl->ipid_fixed = (ctx->flags & GSO_OFFLOAD_SEG_F_IPID_FIXED) != 0;
	pl->udp_no_cksum = 0;
	if (h->is_ipv4)
		gso_plan_ipv4(pl, tmpl, h->l3_len);
	else
		gso_plan_ipv6(pl, tmpl, h->l3_len, h->hdr + h->phdr_dst_off);
	if (pl->is_tcp)
		gso_plan_tcp(pl, tmpl);
	else
		gso_plan_udp(pl, tmpl);
	pl->ol_flags = seg_ol_flags(sf, pl, cksum);
	pl->tx_offload = rte_mbuf_tx_offload(h->l2_len, h->l3_len, h->l4_len,
			0, 0, 0, 0);
}

/* ---- mbufs ---- */

struct gso_stash {
	struct rte_mbuf *m[GSO_STASH];
	uint16_t n;
	uint16_t pos;
};

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
	s->n = s->pos = 0;
}

/* Metadata every segment carries from the superframe. */
static __rte_always_inline void
seg_meta(struct rte_mbuf *m, const struct rte_mbuf *sf,
		const struct gso_seg_plan *pl, uint16_t headroom)
{
	m->data_off = headroom;
	m->port = sf->port;
	m->ol_flags = pl->ol_flags;
	m->packet_type = sf->packet_type;
	m->vlan_tci = sf->vlan_tci;
	m->vlan_tci_outer = sf->vlan_tci_outer;
	m->hash = sf->hash;
	m->tx_offload = pl->tx_offload;
	m->timesync = sf->timesync;
	memcpy(m->dynfield1, sf->dynfield1, sizeof(m->dynfield1));
}

/*
 * Point r at len bytes at offset off of src's data, as rte_pktmbuf_attach()
 * does, but without touching any reference count: those are added once per
 * source mbuf when every segment is built (seg_commit_refs()), instead of
 * once per segment with an atomic operation each.
 */
static __rte_always_inline void
ref_attach(struct rte_mbuf *r, const struct rte_mbuf *src, uint32_t off,
		uint32_t len)
{
	if (RTE_MBUF_HAS_EXTBUF(src)) {
		r->ol_flags = RTE_MBUF_F_EXTERNAL;
		r->shinfo = src->shinfo;
	} else {
		r->ol_flags = RTE_MBUF_F_INDIRECT;
		r->priv_size = src->priv_size;
	}
	r->buf_addr = src->buf_addr;
	rte_mbuf_iova_set(r, rte_mbuf_iova_get(src));
	r->buf_len = src->buf_len;
	r->data_off = src->data_off + off;
	r->data_len = len;
	r->pkt_len = len;
}

/* Undo ref_attach() (as rte_pktmbuf_detach() restores an mbuf). */
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
 * by k segments gains k references, then the superframe's own reference
 * is dropped. For a direct mbuf the two are merged into one update of
 * k - 1 (a plain store while the count is 1).
 */
static void
seg_commit_refs(struct rte_mbuf *sf, const struct gso_seg_plan *pl)
{
	uint32_t pay0 = pl->hdr_len, pay_end = pl->hdr_len + pl->payload_len;
	uint32_t pos = 0;
	struct rte_mbuf *s, *next;

	for (s = sf; s != NULL; s = next) {
		uint32_t a = RTE_MAX(pos, pay0);
		uint32_t b = RTE_MIN(pos + s->data_len, pay_end);
		uint16_t k = b > a ? (b - 1 - pay0) / pl->mss -
			(a - pay0) / pl->mss + 1 : 0;

		next = s->next;
		pos += s->data_len;
		if (k == 0) {
			rte_pktmbuf_free_seg(s);
		} else if (RTE_MBUF_HAS_EXTBUF(s)) {
			rte_mbuf_ext_refcnt_update(s->shinfo, k);
			rte_pktmbuf_free_seg(s);
		} else if (RTE_MBUF_CLONED(s)) {
			rte_mbuf_refcnt_update(rte_mbuf_from_indirect(s), k);
			rte_pktmbuf_free_seg(s);
		} else {
			/* Its chain links are reset when the last segment
			 * releases it (__rte_pktmbuf_free_direct). */
			rte_mbuf_refcnt_update(s, (int16_t)(k - 1));
		}
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

static int
build_zerocopy(struct gso_offload_seg_ctx *ctx, struct rte_mbuf *sf,
		const struct gso_seg_plan *pl, struct rte_mbuf **out)
{
	struct gso_stash hs = { .n = 0 }, rs = { .n = 0 };
	struct gso_cursor cur;
	uint32_t i, built = 0;

	cursor_init(&cur, sf, pl->hdr_len);
	for (i = 0; i < pl->nseg; i++) {
		uint32_t len = gso_seg_payload(pl, i), done = 0, sum = 0;
		struct rte_mbuf *h, *prev;
		uint16_t nb = 1;
		uint8_t *hdr;

		if (hs.pos == hs.n &&
				stash_fill(ctx, ctx->hdr_pool, &hs, pl->nseg - i) != 0)
			goto fail;
		h = hs.m[hs.pos++];
		out[built++] = h;
		seg_meta(h, sf, pl, ctx->headroom);
		hdr = rte_pktmbuf_mtod(h, uint8_t *);
		rte_memcpy(hdr, ctx->tmpl, pl->hdr_len);
		h->data_len = pl->hdr_len;
		h->pkt_len = pl->hdr_len + len;

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
			ref_attach(r, cur.m, cur.off, take);
			if (pl->l4_sw)
				sum = sum_piece(sum, gso_cksum_partial(
					rte_pktmbuf_mtod(r, void *), take, 0), done);
			prev->next = r;
			prev = r;
			cur.off += take;
			done += take;
		}
		prev->next = NULL;
		h->nb_segs = nb;
		gso_fix_l3(hdr, pl, i, len);
		gso_fix_l4(hdr, pl, i, len, sum);
	}
	stash_drain(ctx->hdr_pool, &hs);
	stash_drain(ctx->ref_pool, &rs);
	seg_commit_refs(sf, pl);
	return pl->nseg;
fail:
	for (i = 0; i < built; i++)
		seg_discard_uncommitted(out[i]);
	stash_drain(ctx->hdr_pool, &hs);
	stash_drain(ctx->ref_pool, &rs);
	return -GSO_OFFLOAD_ENOMEM;
}

static int
build_copy(struct gso_offload_seg_ctx *ctx, struct rte_mbuf *sf,
		const struct gso_seg_plan *pl, struct rte_mbuf **out)
{
	struct gso_stash hs = { .n = 0 };
	struct gso_cursor cur;
	uint32_t i;

	cursor_init(&cur, sf, pl->hdr_len);
	for (i = 0; i < pl->nseg; i++) {
		uint32_t len = gso_seg_payload(pl, i), done = 0, sum = 0;
		struct rte_mbuf *m;
		uint8_t *hdr;

		if (hs.pos == hs.n &&
				stash_fill(ctx, ctx->hdr_pool, &hs, pl->nseg - i) != 0)
			goto fail;
		m = hs.m[hs.pos++];
		out[i] = m;
		seg_meta(m, sf, pl, ctx->headroom);
		hdr = rte_pktmbuf_mtod(m, uint8_t *);
		rte_memcpy(hdr, ctx->tmpl, pl->hdr_len);
		m->data_len = pl->hdr_len + len;
		m->pkt_len = m->data_len;

		while (done < len) {
			uint32_t take = RTE_MIN(cursor_avail(&cur), len - done);
			const uint8_t *src = rte_pktmbuf_mtod_offset(cur.m,
					const uint8_t *, cur.off);
			uint8_t *dst = hdr + pl->hdr_len + done;

			if (pl->l4_sw)
				sum = sum_piece(sum,
					gso_cksum_copy(dst, src, take, 0), done);
			else
				rte_memcpy(dst, src, take);
			cur.off += take;
			done += take;
		}
		gso_fix_l3(hdr, pl, i, len);
		gso_fix_l4(hdr, pl, i, len, sum);
	}
	stash_drain(ctx->hdr_pool, &hs);
	rte_pktmbuf_free(sf);
	return pl->nseg;
fail:
	/* Flat segments reference nothing: plain frees. */
	rte_pktmbuf_free_bulk(out, i);
	stash_drain(ctx->hdr_pool, &hs);
	return -GSO_OFFLOAD_ENOMEM;
}

/* ---- API ---- */

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

	if (ctx == NULL || sf == NULL || params == NULL || out == NULL)
		return -EINVAL;
	ret = seg_check(sf, params, ctx->parse_buf, &h, &pl);
	if (ret != 0)
		return ret;
	if (pl.nseg > nb_out)
		return -GSO_OFFLOAD_EOUT;
	seg_plan(ctx, sf, &h, params->cksum, &pl);
	mode = seg_choose_buffers(ctx, sf, params, &pl);
	if (mode < 0)
		return mode;
	if (mode == GSO_OFFLOAD_BUF_COPY)
		return build_copy(ctx, sf, &pl, out);
	return build_zerocopy(ctx, sf, &pl, out);
}
