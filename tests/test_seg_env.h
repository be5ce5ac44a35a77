/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_TEST_SEG_ENV_H
#define GSO_TEST_SEG_ENV_H

/*
 * What the segmentation suites share (tests/test_segment.c,
 * tests/test_segment_tunnel.c): their pools and engines, the pools' use
 * counted pool by pool, a superframe's state before and after a call,
 * two sets of segments compared.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "gso_offload_segment.h"

struct test_seg_env {
	/* Superframes (64 KB mbufs), poisoning. */
	struct rte_mempool *sf_pool;
	/* engine's: separate header and reference pools, poisoning. */
	struct rte_mempool *hdr_pool, *ref_pool;
	/* shared's and nocache's: the library's recommended pools. */
	struct rte_mempool *lifo_pool, *lifo_copy_pool;
	/* engine: separate header/reference/copy pools; shared: header and
	 * reference mbufs from one LIFO pool; nocache: shared's pools,
	 * planning every superframe afresh (the flow cache's reference). */
	struct gso_offload_seg_ctx *engine, *shared, *nocache;
	/* A dynamic field and flag every segment must carry. */
	int dyn_offset;
	uint64_t dyn_flag;
};

/* Make the pools, engines, dynamic field and flag; 0 or -1. */
int test_seg_env_setup(struct test_seg_env *e);

/* Mbufs in use, pool by pool: a segment must go back to the pool it came
 * from, and a sum over the pools would not see one that does not. */
struct test_pools_use {
	unsigned int n[5];
};

struct test_pools_use test_seg_env_in_use(const struct test_seg_env *e);

/* Every pool's count as it was at base. */
bool test_seg_env_in_use_back(const struct test_seg_env *e,
		const struct test_pools_use *base);

/* Give m the dynamic field's value and flag the segments must copy. */
void test_seg_env_mark(const struct test_seg_env *e, struct rte_mbuf *m);

/* The superframe as the caller sees it: bytes, metadata, reference
 * counts. */
struct test_sf_state {
	uint8_t *bytes;
	uint32_t len;
	uint16_t refcnt[64];
	uint16_t nb_segs;
	uint64_t ol_flags, tx_offload;
};

void test_sf_snapshot(const struct rte_mbuf *m, struct test_sf_state *st);
bool test_sf_unchanged(const struct rte_mbuf *m,
		const struct test_sf_state *st);

/* Segments a[0..n) and b[0..n) carry the same bytes and metadata. */
bool test_same_segments(struct rte_mbuf **a, struct rte_mbuf **b, int n);

/*
 * Segment sf with eng, making its k-th allocation fail for k = 0, 1, ...
 * until one call succeeds: each failure must return ENOMEM with every
 * pool's count back and sf unchanged. Returns the successful call's
 * result (the segments are in out, the caller's), *failures the points
 * made to fail; or INT_MIN, having printed why, when a failure broke a
 * rule (or none succeeded after 512).
 */
int test_seg_fail_each_point(const struct test_seg_env *e,
		struct gso_offload_seg_ctx *eng, struct rte_mbuf *sf,
		const struct gso_offload_seg_params *prm, struct rte_mbuf **out,
		uint16_t nb_out, unsigned int *failures);

#endif /* GSO_TEST_SEG_ENV_H */
