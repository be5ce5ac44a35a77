/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_SEG_PRIVATE_H
#define GSO_SEG_PRIVATE_H

/* Internal: the segmentation engine's state. */

#include <stdint.h>

#include <rte_common.h>
#include <rte_mempool.h>

#include "gso_offload_segment.h"
#include "gso_seg_proto.h"
#include "gso_seg_tunnel.h"

struct gso_hdrs;

/* Most segments the contiguous fast path builds in one go. */
#define GSO_SEG_FAST_MAX 1024

/* What every head mbuf from one pool shares; the segment builders write
 * these into each head mbuf as constants (seg_head_rows_init()). */
struct gso_seg_head_pool {
	struct rte_mempool *mp;
	uint16_t buf_len;       /* its data room: every mbuf's buf_len */
	uint16_t priv_size;     /* its private area */
	uint16_t headroom;      /* left in front of the headers */
};

/*
 * The plan of the last superframe segmented, for the next one of the same
 * flow (seg_flow_match()). Valid while ctx->tmpl holds its template.
 */
struct gso_seg_flow {
	uint8_t valid;
	uint8_t rows;           /* 16-byte rows of header compared */
	uint8_t proto;          /* the parameters the plan depends on */
	uint8_t cksum;
	uint16_t ip_id_stride;
	uint8_t misses;         /* in a row, with a plan kept */
	uint8_t backoff;        /* superframes left before keeping again */
	uint64_t hits;          /* superframes planned from it (tests) */
	struct gso_seg_plan pl;
	/* The TUNNEL field of the flow's mbufs (0: none), read with the
	 * fields above when a superframe is matched. */
	uint64_t tun_kind;
	/*
	 * A tunnel's outer plan, as pl for the inner layer: that of the
	 * superframe being segmented, as ctx->tmpl is its template. The one
	 * kept is always the last one made (a miss keeps its plan or drops
	 * the kept one), so one copy serves both; a hit updates its ID. In
	 * what was padding before the mask: a plain flow's layout and the
	 * engine's size are what they were without tunnels (a 128-byte
	 * larger engine cost a plain 3-segment superframe some 10% in
	 * gso-bench, by where it put the next allocations).
	 */
	struct gso_seg_outer outer;
	/* 0xff where a header byte must equal the template's: every byte
	 * of the header but the fields each segment rewrites. */
	uint8_t mask[GSO_OFFLOAD_MAX_HDR_LEN] __rte_cache_aligned;
};

/*
 * The flows before the last one (gso_seg_flow.h, "Many flows"): each slot
 * a copy of what struct gso_seg_flow and ctx->tmpl held when its flow was
 * last planned, for flows whose headers fit GSO_FLOW_SLOT_HDR bytes.
 */
#define GSO_FLOW_SLOTS 64               /* a power of two */
#define GSO_FLOW_SLOT_HDR 128

struct gso_seg_flow_slot {
	uint8_t tmpl[GSO_FLOW_SLOT_HDR];
	uint8_t mask[GSO_FLOW_SLOT_HDR];
	struct gso_seg_plan pl;
	struct gso_seg_outer outer;
	uint64_t tun_kind;
	uint8_t valid;
	uint8_t rows;
	uint8_t proto;
	uint8_t cksum;
	uint16_t ip_id_stride;
} __rte_cache_aligned;

struct gso_seg_flow_table {
	uint64_t hits;          /* plans taken from a slot (tests) */
	/* The slot the last flow's plan (struct gso_seg_flow) is a copy
	 * of; -1: none. Its comparison is not made twice. */
	int32_t cur;
	struct gso_seg_flow_slot slot[GSO_FLOW_SLOTS];
};

/*
 * The engine context. With the flow cache on, its flow table follows it
 * in the same allocation (seg_flow_table()): no pointer, so the fields
 * the single-flow path reads keep the offsets they had before the table.
 */
struct gso_offload_seg_ctx {
	struct gso_seg_head_pool hdr;   /* header mbufs of zero-copy segments */
	struct gso_seg_head_pool copy;  /* flat segments */
	struct rte_mempool *ref_pool;
	uint16_t ref_priv_size; /* that of a reference pool mbuf */
	uint32_t flags;         /* GSO_OFFLOAD_SEG_F_* */
	int32_t fail_after;     /* test hook: allocations before one fails */
	/* Reference (and, from a shared pool, header) mbufs of the
	 * contiguous fast path. */
	struct rte_mbuf *refs[2 * GSO_SEG_FAST_MAX];
	uint8_t parse_buf[GSO_OFFLOAD_MAX_HDR_LEN];
	/* The superframe's headers with the per-segment fields zeroed. */
	uint8_t tmpl[GSO_OFFLOAD_MAX_HDR_LEN] __rte_cache_aligned;
	struct gso_seg_flow flow;
};

/*
 * Test hook: make the allocation after the next fail_after ones fail
 * (0: the next one), once; -1 turns it off. An allocation is one bulk get
 * from a pool, the points at which a superframe can run out of mbufs.
 */
void gso_seg_fault_inject(struct gso_offload_seg_ctx *ctx, int fail_after);

/* Test hooks: forget every kept plan (the last flow's and the table's);
 * how many plans were taken from the table so far; the slot sf's TX
 * metadata looks up (-1: none, the metadata does not say). */
void gso_seg_flow_forget(struct gso_offload_seg_ctx *ctx);
uint64_t gso_seg_flow_table_hits(const struct gso_offload_seg_ctx *ctx);
int gso_seg_flow_slot(const struct rte_mbuf *sf);

/*
 * gso_offload_segment() and gso_offload_seg_finalize() for a superframe
 * whose headers h were parsed already, by gso_parse() with the protocol
 * params asks for, and not changed since but for checksum fields (the TX
 * decision's parse: one per superframe on the pipeline's path). h->hdr
 * must stay readable for the call.
 */
int gso_seg_segment_parsed(struct gso_offload_seg_ctx *ctx,
		struct rte_mbuf *sf, const struct gso_offload_seg_params *params,
		const struct gso_hdrs *h, struct rte_mbuf **out, uint16_t nb_out);
int gso_seg_finalize_parsed(struct rte_mbuf *m,
		const struct gso_offload_seg_params *params,
		const struct gso_hdrs *h);

/* The engine's row implementation, GSO_SEG_ARCH_NAME of gso_seg_arch.h
 * ("sse4.1", "generic"): what the tests check they run. */
const char *gso_seg_arch(void);

#endif /* GSO_SEG_PRIVATE_H */
