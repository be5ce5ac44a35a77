/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_PIPELINE_BENCH_H
#define GSO_PIPELINE_BENCH_H

#include <stdbool.h>

#include <rte_mempool.h>

/* qsort comparator of doubles, for medians (gso_bench.c). */
int bench_cmp_double(const void *a, const void *b);

/* Whether --case's filter selects one of names (space-separated): a
 * substring of one, or with a leading ^, the start of one (gso_bench.c). */
bool bench_case_selected(const char *names, const char *filter);

/* Decision + hardware metadata cost per packet (RESULT case=decide_*). */
void bench_decide(struct rte_mempool *sf_pool, const char *filter,
		unsigned int reps);

/* Mixed bursts through the whole pipeline to net_null, on 1 and 2 lcores,
 * with per-lcore and shared pools (RESULT case=pipeline_mixed_*), and the
 * per-lcore scaling ratio (RESULT case=pipeline_scaling). */
void bench_pipeline(const char *filter, unsigned int reps, unsigned int ms);

#endif /* GSO_PIPELINE_BENCH_H */
