/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_CKSUM_H
#define GSO_CKSUM_H

/*
 * Internet checksum (RFC 1071) kernels for the software segmentation engine.
 * Internal to libgso_offload; not installed.
 *
 * A "partial" is a one's-complement sum of 16-bit words read in memory
 * order with native loads, exactly what DPDK's __rte_raw_cksum() adds up,
 * so partials mix freely with rte_ipv4_phdr_cksum() and friends. Partials
 * returned here are folded to 16 bits (0..0xffff) and not complemented.
 *
 * The fold keeps the one's-complement "zero" distinction: the result is 0
 * only when the initial sum and every data byte are 0, and a non-zero sum
 * that is a multiple of 0xffff comes back as 0xffff, exactly what
 * __rte_raw_cksum_reduce() of the same (non-wrapping) 32-bit sum returns.
 *
 * The vector kernels are chosen once at load time from what the CPU
 * supports; GSO_CKSUM_ISA=scalar|sse42|avx2|avx512|avx512vnni in the
 * environment overrides the choice (for benchmarks and bug hunts).
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>

/* One implementation: both kernels return a folded partial. */
struct gso_cksum_ops {
	const char *name;
	uint32_t (*sum)(const void *buf, size_t len, uint32_t sum);
	uint32_t (*copy)(void *dst, const void *src, size_t len, uint32_t sum);
};

/* The implementation in use; statically the scalar one, so that callers
 * running before the load-time constructor still get a correct result. */
extern struct gso_cksum_ops gso_cksum_active;

/*
 * Below this length the wrappers sum inline instead of calling through
 * gso_cksum_active: there the indirect call, the vector set-up and the
 * final horizontal reduction cost more than the few 8-byte adds. Measured
 * with gso-cksum-bench -S on Sapphire Rapids (TSC cycles per call, inline
 * vs the dispatched AVX-512 kernel): 8 bytes 8-9 vs 10.5-11.5, 20 bytes
 * 9-10.5 vs 9.5-12, 24-28 bytes even, 32 bytes 10.7-12.6 vs 9.5-10.6,
 * 64 bytes 12.5-15 vs 8-10. So 20-byte IPv4 and TCP headers stay inline.
 */
#define GSO_CKSUM_INLINE_MAX 32

/*
 * How far ahead of its loads the vector loops prefetch, in bytes. A
 * superframe the size of the first-level cache or more (64000 B; or 8 of
 * 16000 B in a batch) is summed from the second level, where the loop's
 * loads wait on each line: at 64 bytes a cycle the hardware prefetchers
 * do not keep ahead. 1024 bytes (16 lines) is about what the loop sums
 * in the latency of an L2 hit (some 14 cycles).
 * Measured (bench-ab.sh, 5 pairs, ratio to rte_gso): 64000 B at batch 32
 * 2.57 -> 2.75, at batch 1 2.74 -> 2.86, 16000 B at batch 8 2.34 -> 2.44,
 * no change where the data is already in L1; 512 and 2048 did no better
 * (perf shares of the sum).
 * A prefetch past the end of the data is harmless: it never faults.
 * The SSE4.2 loop, at half a line per iteration, is bound by its own
 * adds (62% of the cycles at 64000 B, batch 1) and does not prefetch.
 */
#define GSO_CKSUM_PREFETCH 1024

/*
 * Folds. Adding a value to itself rotated by half its width leaves the sum
 * of its two halves in the upper half, plus the carry out of the lower
 * half: an end-around-carry add in three operations. That keeps the value
 * modulo 0xffff (2^16 == 1) and never turns a non-zero value into 0; a
 * non-zero multiple of 0xffff folds to 0xffff, as __rte_raw_cksum_reduce()
 * folds it.
 */

/* Fold a 32-bit partial (any value) to 16 bits (0..0xffff). */
static __rte_always_inline uint32_t
gso_cksum_fold(uint32_t sum)
{
	sum += (sum >> 16) | (sum << 16);
	return sum >> 16;
}

/* Fold a 64-bit sum to 16 bits. */
static __rte_always_inline uint32_t
gso_cksum_fold64(uint64_t sum)
{
	sum += (sum >> 32) | (sum << 32);
	return gso_cksum_fold((uint32_t)(sum >> 32));
}

/*
 * Byte-swap a partial. A piece of data that starts at an odd offset of the
 * checksummed range pairs its bytes the other way round from the whole;
 * since 256 * 256 == 1 modulo 0xffff, swapping the piece's folded sum puts
 * it back in the whole's byte order (RFC 1071, "byte order independence").
 * The input is folded first, so any 32-bit partial is accepted.
 */
static __rte_always_inline uint32_t
gso_cksum_swap(uint32_t partial)
{
	partial = gso_cksum_fold(partial);
	return ((partial << 8) | (partial >> 8)) & 0xffff;
}

/* One's-complement sum of two partials (any 32-bit values), folded. */
static __rte_always_inline uint32_t
gso_cksum_add(uint32_t a, uint32_t b)
{
	return gso_cksum_fold64((uint64_t)a + b);
}

/*
 * Add len bytes at buf to a 64-bit accumulator, 8 bytes per step, and with
 * copy (a constant: one body, two specialisations) also copy them to dst
 * (dst and buf do not overlap). A native 8-byte load is four native 16-bit
 * words at weights 1, 2^16, 2^32, 2^48, all congruent to 1 modulo 0xffff,
 * and 2^64 is congruent to 1 as well, so adding the carries out of bit 63
 * back in keeps the word sum exactly. The carries are counted apart and
 * added once at the end: the sum's dependency chain is then one add per
 * step ("add; adc $0" on the sum itself would be two).
 * Used for short buffers and tails; the out-of-line kernels are faster
 * past a few dozen bytes.
 */
static __rte_always_inline uint64_t
gso_cksum_acc_words(void *dst, const void *buf, size_t len, uint64_t acc,
	const bool copy)
{
	const uint8_t *p = buf;
	uint8_t *d = dst;
	uint64_t carries = 0;

	for (; len >= 8; len -= 8, p += 8, d += 8) {
		uint64_t v;

		memcpy(&v, p, sizeof(v));
		if (copy)
			memcpy(d, &v, sizeof(v));
		carries += __builtin_add_overflow(acc, v, &acc);
	}
	if (len & 4) {
		uint32_t v;

		memcpy(&v, p, sizeof(v));
		if (copy)
			memcpy(d, &v, sizeof(v));
		carries += __builtin_add_overflow(acc, v, &acc);
		p += 4;
		d += 4;
	}
	if (len & 2) {
		uint16_t v;

		memcpy(&v, p, sizeof(v));
		if (copy)
			memcpy(d, &v, sizeof(v));
		carries += __builtin_add_overflow(acc, v, &acc);
		p += 2;
		d += 2;
	}
	if (len & 1) {
		/* Pad with a zero byte after it, in memory order, as
		 * __rte_raw_cksum() does: byte-order independent. */
		uint16_t v = 0;

		memcpy(&v, p, 1);
		if (copy)
			*d = *p;
		carries += __builtin_add_overflow(acc, v, &acc);
	}
	/* One more end-around carry at most: after a wrap acc < carries. */
	acc += carries;
	return acc + (acc < carries);
}

/* Sum only. */
static __rte_always_inline uint64_t
gso_cksum_acc_scalar(const void *buf, size_t len, uint64_t acc)
{
	/* dst is never written without copy; it only walks along. */
	return gso_cksum_acc_words((void *)(uintptr_t)buf, buf, len, acc,
			false);
}

/*
 * One's-complement sum of buf (len bytes, any alignment) added to sum (any
 * uint32_t), folded to 16 bits, not complemented. Equals the reduced
 * sum + __rte_raw_cksum(buf, len, 0) as long as that does not wrap 32 bits.
 */
static inline uint32_t
gso_cksum_partial(const void *buf, size_t len, uint32_t sum)
{
	if (len < GSO_CKSUM_INLINE_MAX)
		return gso_cksum_fold64(gso_cksum_acc_scalar(buf, len, sum));
	return __atomic_load_n(&gso_cksum_active.sum, __ATOMIC_RELAXED)
		(buf, len, sum);
}

/*
 * Same as gso_cksum_partial() on src while copying len bytes from src to
 * dst in the same pass (the data is read once). dst and src must not
 * overlap. Writes exactly [dst, dst + len).
 */
static inline uint32_t
gso_cksum_copy(void *dst, const void *src, size_t len, uint32_t sum)
{
	if (len < GSO_CKSUM_INLINE_MAX)
		return gso_cksum_fold64(gso_cksum_acc_words(dst, src, len,
			sum, true));
	return __atomic_load_n(&gso_cksum_active.copy, __ATOMIC_RELAXED)
		(dst, src, len, sum);
}

/*
 * Use the implementation named isa ("scalar", "sse42", "avx2", "avx512",
 * "avx512vnni") from now on. Returns 0, -ENOTSUP if this CPU (or build)
 * lacks it, -EINVAL for an unknown name. Meant for start-up and tests:
 * data-plane threads calling the wrappers meanwhile see either
 * implementation, both correct.
 */
int gso_cksum_select(const char *isa);

/* Name of the implementation in use. */
const char *gso_cksum_isa(void);

/*
 * The kernels of one implementation, without selecting it (tests and the
 * benchmark call them directly). Same return values as gso_cksum_select();
 * *ops is filled only on success.
 */
int gso_cksum_ops_get(const char *isa, struct gso_cksum_ops *ops);

/* Names of all implementations, NULL-terminated, best last. */
extern const char *const gso_cksum_isa_names[];

/* The kernels themselves. They take any length, including 0 and lengths
 * below GSO_CKSUM_INLINE_MAX, and return a folded partial. The vector ones
 * must only be called on a CPU that has the instructions. */
uint32_t gso_cksum_sum_scalar(const void *buf, size_t len, uint32_t sum);
uint32_t gso_cksum_copy_scalar(void *dst, const void *src, size_t len,
	uint32_t sum);
uint32_t gso_cksum_sum_sse42(const void *buf, size_t len, uint32_t sum);
uint32_t gso_cksum_copy_sse42(void *dst, const void *src, size_t len,
	uint32_t sum);
uint32_t gso_cksum_sum_avx2(const void *buf, size_t len, uint32_t sum);
uint32_t gso_cksum_copy_avx2(void *dst, const void *src, size_t len,
	uint32_t sum);
uint32_t gso_cksum_sum_avx512(const void *buf, size_t len, uint32_t sum);
uint32_t gso_cksum_copy_avx512(void *dst, const void *src, size_t len,
	uint32_t sum);
uint32_t gso_cksum_sum_avx512vnni(const void *buf, size_t len, uint32_t sum);
uint32_t gso_cksum_copy_avx512vnni(void *dst, const void *src, size_t len,
	uint32_t sum);

#endif /* GSO_CKSUM_H */
