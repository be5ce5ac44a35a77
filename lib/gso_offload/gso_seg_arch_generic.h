/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_SEG_ARCH_GENERIC_H
#define GSO_SEG_ARCH_GENERIC_H

/*
 * Internal: gso_seg_arch.h's rows in portable C, two 64-bit halves. The
 * row values the engine builds (gso_seg_rows.h) are little-endian images
 * of struct rte_mbuf, so this needs a little-endian machine, as every
 * architecture DPDK supports now is; gso_seg_rows.h asserts it. Loads and
 * stores go through memcpy(): any alignment, no aliasing questions, and
 * compilers make them plain (paired) 64-bit accesses. Include
 * gso_seg_arch.h, not this.
 */

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>

#define GSO_SEG_ARCH_NAME "generic"

typedef struct {
	uint64_t lo;    /* bytes 0-7 */
	uint64_t hi;    /* bytes 8-15 */
} gso_row;

static __rte_always_inline gso_row
gso_row_zero(void)
{
	return (gso_row){ 0, 0 };
}

static __rte_always_inline gso_row
gso_row_loadu(const void *p)
{
	gso_row v;

	memcpy(&v.lo, p, 8);
	memcpy(&v.hi, (const uint8_t *)p + 8, 8);
	return v;
}

static __rte_always_inline gso_row
gso_row_load(const void *p)
{
	return gso_row_loadu(p);
}

static __rte_always_inline void
gso_row_storeu(void *p, gso_row v)
{
	memcpy(p, &v.lo, 8);
	memcpy((uint8_t *)p + 8, &v.hi, 8);
}

static __rte_always_inline gso_row
gso_row_set64(uint64_t hi, uint64_t lo)
{
	return (gso_row){ lo, hi };
}

static __rte_always_inline gso_row
gso_row_set32(uint32_t w3, uint32_t w2, uint32_t w1, uint32_t w0)
{
	return (gso_row){ (uint64_t)w1 << 32 | w0, (uint64_t)w3 << 32 | w2 };
}

static __rte_always_inline gso_row
gso_row_add64(gso_row a, gso_row b)
{
	return (gso_row){ a.lo + b.lo, a.hi + b.hi };
}

static __rte_always_inline gso_row
gso_row_diff_acc(gso_row acc, gso_row a, gso_row b, gso_row m)
{
	return (gso_row){ acc.lo | ((a.lo ^ b.lo) & m.lo),
		acc.hi | ((a.hi ^ b.hi) & m.hi) };
}

static __rte_always_inline bool
gso_row_is_zero(gso_row v)
{
	return (v.lo | v.hi) == 0;
}

#endif /* GSO_SEG_ARCH_GENERIC_H */
