/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_SEG_ARCH_X86_H
#define GSO_SEG_ARCH_X86_H

/*
 * Internal: gso_seg_arch.h's rows as SSE registers. Each operation is one
 * intrinsic, always inlined, so the engine compiles to the same
 * instructions it did when it called the intrinsics itself (the hot loops
 * are tuned: docs/performance.md). Include gso_seg_arch.h, not this.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_vect.h>

#define GSO_SEG_ARCH_NAME "sse4.1"

typedef __m128i gso_row;

static __rte_always_inline gso_row
gso_row_zero(void)
{
	return _mm_setzero_si128();
}

static __rte_always_inline gso_row
gso_row_load(const void *p)
{
	return _mm_load_si128((const __m128i *)p);
}

static __rte_always_inline gso_row
gso_row_loadu(const void *p)
{
	return _mm_loadu_si128((const __m128i *)p);
}

static __rte_always_inline void
gso_row_storeu(void *p, gso_row v)
{
	_mm_storeu_si128((__m128i *)p, v);
}

static __rte_always_inline gso_row
gso_row_set64(uint64_t hi, uint64_t lo)
{
	return _mm_set_epi64x((long long)hi, (long long)lo);
}

static __rte_always_inline gso_row
gso_row_set32(uint32_t w3, uint32_t w2, uint32_t w1, uint32_t w0)
{
	return _mm_set_epi32((int)w3, (int)w2, (int)w1, (int)w0);
}

static __rte_always_inline gso_row
gso_row_add64(gso_row a, gso_row b)
{
	return _mm_add_epi64(a, b);
}

static __rte_always_inline gso_row
gso_row_diff_acc(gso_row acc, gso_row a, gso_row b, gso_row m)
{
	return _mm_or_si128(acc, _mm_and_si128(_mm_xor_si128(a, b), m));
}

static __rte_always_inline bool
gso_row_is_zero(gso_row v)
{
	return _mm_testz_si128(v, v);
}

#endif /* GSO_SEG_ARCH_X86_H */
