/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_SEG_ROWS_H
#define GSO_SEG_ROWS_H

/*
 * Internal: the segment builders' mbuf rows, and with them every reliance
 * of the engine on the layout of struct rte_mbuf, in this one place.
 *
 * A segment's head mbuf (the header mbuf of a zero-copy segment, or a
 * flat segment) is written as whole 16-byte rows of struct rte_mbuf built
 * once per superframe in registers: bytes 16-63 (rearm data, ol_flags,
 * packet type, lengths, VLAN, hash, outer VLAN, and the buffer length and
 * pool, the same for every mbuf of its pool), 64-79 (next, tx_offload)
 * and 80-127 (shinfo, unused by a direct mbuf, the pool's private size,
 * timesync, dynamic fields): seven stores per segment instead of one per
 * field, and the one place that says what metadata a segment carries.
 * Reference mbufs are written as rows too (seg_ref_rows_store()).
 *
 * This is DPDK 22.11's layout with the IOVA in the mbuf (unchanged up to
 * 24.11 at least, docs/arm64.md). The build stops below, naming the field,
 * if a DPDK release lays the mbuf out otherwise; tests/test_mbuf_layout.c
 * checks the same table at run time and what the rows write, field by
 * field through DPDK's own accessors. The row values are little-endian
 * images of the fields; the row type is per architecture (gso_seg_arch.h).
 */

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_mbuf.h>

#include "gso_seg_arch.h"
#include "gso_seg_private.h"
#include "gso_seg_proto.h"

/*
 * Every field of struct rte_mbuf the rows write, with the offset and size
 * the rows write it at: X(field, offset, size). The rows cover all 128
 * bytes but 64-79's next (written on its own) and bytes 0-15 of a head
 * mbuf (its own buffer address and IOVA, kept).
 */
#define GSO_SEG_MBUF_LAYOUT(X) \
	X(buf_addr, 0, 8) \
	X(buf_iova, 8, 8) \
	X(data_off, 16, 2) \
	X(refcnt, 18, 2) \
	X(nb_segs, 20, 2) \
	X(port, 22, 2) \
	X(ol_flags, 24, 8) \
	X(packet_type, 32, 4) \
	X(pkt_len, 36, 4) \
	X(data_len, 40, 2) \
	X(vlan_tci, 42, 2) \
	X(hash, 44, 8) \
	X(vlan_tci_outer, 52, 2) \
	X(buf_len, 54, 2) \
	X(pool, 56, 8) \
	X(next, 64, 8) \
	X(tx_offload, 72, 8) \
	X(shinfo, 80, 8) \
	X(priv_size, 88, 2) \
	X(timesync, 90, 2) \
	X(dynfield1, 92, 36)

/* The size of the mbuf the rows fill. */
#define GSO_SEG_MBUF_SIZE 128

#define GSO_SEG_MBUF_FIELD_SIZE(field) sizeof(((struct rte_mbuf *)0)->field)

#ifndef GSO_SEG_ROWS_NO_STATIC_ASSERT
/* 23.07 made the IOVA optional (meson -Denable_iova_as_pa=false): without
 * it, next moves to offset 8 and the rows would write garbage there. */
#if defined(RTE_IOVA_IN_MBUF) && !RTE_IOVA_IN_MBUF
#error "DPDK built without the IOVA in struct rte_mbuf (enable_iova_as_pa=false): the segment builders' rows (gso_seg_rows.h) need the layout with it"
#endif
#define GSO_SEG_MBUF_ASSERT(field, off, size) \
	static_assert(offsetof(struct rte_mbuf, field) == (off) && \
		GSO_SEG_MBUF_FIELD_SIZE(field) == (size), \
		"struct rte_mbuf: " #field " is not at offset " #off \
		" with size " #size ", where the segment builders' rows " \
		"(gso_seg_rows.h) write it");
GSO_SEG_MBUF_LAYOUT(GSO_SEG_MBUF_ASSERT)
#undef GSO_SEG_MBUF_ASSERT
static_assert(sizeof(struct rte_mbuf) == GSO_SEG_MBUF_SIZE,
	"struct rte_mbuf is not 128 bytes, the 8 rows the segment builders write");
static_assert(RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN,
	"the segment builders' rows are little-endian images of struct rte_mbuf");
#endif

/* The rows by their byte offset in struct rte_mbuf. */
struct seg_head_rows {
	gso_row r16;      /* data_off, refcnt, nb_segs, port, ol_flags */
	gso_row r32_full; /* packet_type, pkt_len, data_len, vlan_tci, hash
	                   * (low half) of a full segment */
	gso_row r32_last; /* the same with the last segment's lengths */
	gso_row r48;      /* hash (high half), vlan_tci_outer, buf_len, pool */
	gso_row r80;      /* shinfo, priv_size, timesync, dynfield1[0] */
	gso_row r96;      /* dynfield1[1..4] */
	gso_row r112;     /* dynfield1[5..8] */
	uint64_t tx_offload;
};

/*
 * The rows of the head mbufs of a superframe's segments, taken from hp.
 * nb_segs: mbufs per segment (a builder whose count varies writes its
 * own). flat: the head holds the payload too (data_len = pkt_len), else
 * only the headers.
 */
static __rte_always_inline void
seg_head_rows_init(struct seg_head_rows *w, const struct gso_seg_head_pool *hp,
		const struct rte_mbuf *sf, const struct gso_seg_plan *pl,
		uint16_t nb_segs, bool flat, uint16_t data_off)
{
	const uint32_t len_full = pl->hdr_len + pl->mss;
	const uint32_t len_last = pl->hdr_len + gso_seg_payload(pl, pl->nseg - 1);
	const uint32_t vlan = (uint32_t)sf->vlan_tci << 16;
	uint32_t hash[2];

	memcpy(hash, &sf->hash, sizeof(hash));
	w->r16 = gso_row_set64(pl->ol_flags,
		(uint64_t)sf->port << 48 | (uint64_t)nb_segs << 32 |
			1u << 16 | data_off);
	w->r32_full = gso_row_set32(hash[0],
		vlan | (flat ? len_full : pl->hdr_len), len_full,
		sf->packet_type);
	w->r32_last = gso_row_set32(hash[0],
		vlan | (flat ? len_last : pl->hdr_len), len_last,
		sf->packet_type);
	w->r48 = gso_row_set64((uintptr_t)hp->mp,
		(uint64_t)hp->buf_len << 48 |
			(uint64_t)sf->vlan_tci_outer << 32 | hash[1]);
	w->r80 = gso_row_set64((uint64_t)sf->dynfield1[0] << 32 |
			(uint32_t)sf->timesync << 16 | hp->priv_size, 0);
	w->r96 = gso_row_loadu(&sf->dynfield1[1]);
	w->r112 = gso_row_loadu(&sf->dynfield1[5]);
	w->tx_offload = pl->tx_offload;
}

/* Everything of a head mbuf but the data, with next (which shares a row
 * with tx_offload) as given. */
static __rte_always_inline void
seg_head_rows_store(struct rte_mbuf *h, const struct seg_head_rows *w,
		bool last, struct rte_mbuf *next)
{
	/* Unaligned stores: a pool made with RTE_MEMPOOL_F_NO_CACHE_ALIGN
	 * only 8-byte aligns its mbufs. */
	uint8_t *d = (uint8_t *)h;

	gso_row_storeu(d + 16, w->r16);
	gso_row_storeu(d + 32, last ? w->r32_last : w->r32_full);
	gso_row_storeu(d + 48, w->r48);
	gso_row_storeu(d + 64, gso_row_set64(w->tx_offload, (uintptr_t)next));
	gso_row_storeu(d + 80, w->r80);
	gso_row_storeu(d + 96, w->r96);
	gso_row_storeu(d + 112, w->r112);
}

/*
 * A reference mbuf points at part of a source mbuf's data, as
 * rte_pktmbuf_attach() would, but without touching any reference count:
 * those are added once per source mbuf when every segment is built
 * (seg_commit_refs()), instead of once per segment with an atomic
 * operation each. It is written as rows too, in five stores: bytes 0-15
 * with the source's buffer address and IOVA; 16-31 with data_off, refcnt
 * 1, nb_segs 1 and its flags; 32-47 with the lengths, the rest 0; 48-63
 * with the source's buffer length and the mbuf's own pool; 80-95 with
 * shinfo and private size. What else these rows zero (hash, VLAN,
 * timesync) means nothing in an mbuf that is not the head of its packet;
 * next is NULL from the pool.
 */
struct seg_ref_rows {
	gso_row r0;       /* buf_addr, buf_iova */
	gso_row r16;      /* data_off, refcnt, nb_segs, port, ol_flags */
	gso_row r48;      /* buf_len, pool */
	gso_row r80;      /* shinfo, priv_size */
};

/* The rows of references, mbufs of ctx->ref_pool, to src's data from
 * offset off on. */
static __rte_always_inline void
seg_ref_rows_init(struct seg_ref_rows *w, const struct gso_offload_seg_ctx *ctx,
		const struct rte_mbuf *src, uint32_t off)
{
	/* An external buffer is found through shinfo and the reference
	 * keeps its own private size; an indirect one is found through the
	 * private size of the mbuf it points into. */
	const bool ext = RTE_MBUF_HAS_EXTBUF(src);

	w->r0 = gso_row_loadu(src);
	w->r16 = gso_row_set64(ext ? RTE_MBUF_F_EXTERNAL : RTE_MBUF_F_INDIRECT,
		(uint64_t)RTE_MBUF_PORT_INVALID << 48 |
			1ull << 32 | 1u << 16 | (uint16_t)(src->data_off + off));
	w->r48 = gso_row_set64((uintptr_t)ctx->ref_pool,
		(uint64_t)src->buf_len << 48);
	w->r80 = gso_row_set64(ext ? ctx->ref_priv_size : src->priv_size,
		(uintptr_t)(ext ? src->shinfo : NULL));
}

/* The row of a reference's lengths (data_len = pkt_len = len). */
static __rte_always_inline gso_row
seg_ref_len_row(uint32_t len)
{
	return gso_row_set32(0, len, len, 0);
}

/* The data_off step of the next reference into the same buffer: one row
 * added to r16 (data_off stays within the source's buffer, so never
 * carries out of its 16 bits). */
static __rte_always_inline gso_row
seg_ref_step_row(uint32_t step)
{
	return gso_row_set64(0, step);
}

static __rte_always_inline void
seg_ref_rows_store(struct rte_mbuf *r, const struct seg_ref_rows *w,
		gso_row len_row)
{
	uint8_t *d = (uint8_t *)r;

	gso_row_storeu(d, w->r0);
	gso_row_storeu(d + 16, w->r16);
	gso_row_storeu(d + 32, len_row);
	gso_row_storeu(d + 48, w->r48);
	gso_row_storeu(d + 80, w->r80);
}

#endif /* GSO_SEG_ROWS_H */
