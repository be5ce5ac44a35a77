/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * SSE4.2 checksum kernels: the AVX2 kernels (gso_cksum_avx2.c, which
 * explains the accumulation) on 16-byte vectors, for CPUs of the build's
 * baseline without AVX2. SSE4.1's pmovsxdq and SSSE3's pshufb are the only
 * instructions beyond SSE2 they use.
 *
 * Compiled with the build's baseline flags; the target attribute only
 * documents (and, with a lower baseline, enables) what they need.
 */

#include <stdbool.h>

#include <rte_common.h>

#include "gso_cksum.h"

#if defined(RTE_ARCH_X86)

#include <immintrin.h>

#define GSO_SSE42 __attribute__((target("sse4.2")))

#define VEC 16

/* Bytes per block between two reductions: 8192 additions per lane in each
 * of the two accumulators, plus up to two for the tail, so that their sum
 * stays within +-65536 * 16388 < 2^31. */
#define CHUNK (8192u * 2 * VEC)

/* What each vector summed owes back: 8 words of 32768. */
#define VEC_BIAS ((uint64_t)(VEC / 2) * 32768)

/* Loaded at offset n, the 16 bytes keep the last n of a vector (n 1..15). */
static const uint8_t tail_mask[2 * VEC] __rte_aligned(32) = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
};

/* a + the biased word pairs of v (see gso_cksum_sse42.c). */
static __rte_always_inline GSO_SSE42 __m128i
acc_words(__m128i a, __m128i v)
{
	return _mm_add_epi32(a, _mm_madd_epi16(
		_mm_xor_si128(v, _mm_set1_epi16((short)0x8000)),
		_mm_set1_epi16(1)));
}

/* Signed sum of the four 32-bit lanes, in 64 bits. */
static __rte_always_inline GSO_SSE42 int64_t
reduce(__m128i a)
{
	__m128i r = _mm_add_epi64(_mm_cvtepi32_epi64(a),
		_mm_cvtepi32_epi64(_mm_unpackhi_epi64(a, a)));

	r = _mm_add_epi64(r, _mm_unpackhi_epi64(r, r));
	return _mm_cvtsi128_si64(r);
}

/* Exact word sum of len bytes (at most CHUNK + 15) of a buffer at least
 * 16 long, tail included. The tail may reload up to 15 bytes before s. */
static __rte_always_inline GSO_SSE42 uint64_t
cksum_block(uint8_t *d, const uint8_t *s, size_t len, const bool copy)
{
	const uint8_t *end = s + (len & ~(size_t)(2 * VEC - 1));
	/* The tail, if any, is summed as one whole vector too. */
	uint64_t nb_vec = (len + VEC - 1) / VEC;
	__m128i a0, a1, v, w;

	/* Two accumulators, so that the adds of consecutive vectors do not
	 * wait on each other. */
	a0 = a1 = _mm_setzero_si128();
	for (; s != end; s += 2 * VEC, d += 2 * VEC) {
		v = _mm_loadu_si128((const __m128i *)s);
		w = _mm_loadu_si128((const __m128i *)(s + VEC));
		if (copy) {
			_mm_storeu_si128((__m128i *)d, v);
			_mm_storeu_si128((__m128i *)(d + VEC), w);
		}
		a0 = acc_words(a0, v);
		a1 = acc_words(a1, w);
		/* Keeps GCC (12) from adding register copies to every
		 * iteration: pinned, the sums stay in their registers. */
		__asm__("" : "+x"(a0), "+x"(a1));
	}
	len &= 2 * VEC - 1;
	if (len >= VEC) {
		v = _mm_loadu_si128((const __m128i *)s);
		if (copy)
			_mm_storeu_si128((__m128i *)d, v);
		a0 = acc_words(a0, v);
		s += VEC;
		d += VEC;
		len -= VEC;
	}
	if (len > 0) {
		/* The overlapping last vector of the AVX2 kernel. */
		v = _mm_loadu_si128((const __m128i *)(s + len - VEC));
		if (copy)
			_mm_storeu_si128((__m128i *)(d + len - VEC), v);
		v = _mm_and_si128(v, _mm_loadu_si128(
			(const __m128i *)(tail_mask + len)));
		if (len & 1)
			v = _mm_shuffle_epi8(v, _mm_setr_epi8(
				1, 0, 3, 2, 5, 4, 7, 6,
				9, 8, 11, 10, 13, 12, 15, 14));
		a1 = acc_words(a1, v);
	}
	return (uint64_t)(reduce(_mm_add_epi32(a0, a1)) +
		(int64_t)(nb_vec * VEC_BIAS));
}

static __rte_always_inline GSO_SSE42 uint32_t
cksum_sse42(void *dst, const void *src, size_t len, uint32_t sum,
	const bool copy)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	uint64_t acc = sum;

	/* No overlapping tail below one vector: a few scalar steps. */
	if (len < VEC) {
		acc = gso_cksum_acc_words(d, s, len, acc, copy);
		return gso_cksum_fold64(acc);
	}
	/* Whole blocks while the rest stays at least a vector long. The
	 * block sums are below 2^35: acc cannot wrap short of 2^29 blocks. */
	for (; len >= CHUNK + VEC; len -= CHUNK, s += CHUNK, d += CHUNK)
		acc += cksum_block(d, s, CHUNK, copy);
	acc += cksum_block(d, s, len, copy);
	return gso_cksum_fold64(acc);
}

GSO_SSE42 uint32_t
gso_cksum_sum_sse42(const void *buf, size_t len, uint32_t sum)
{
	/* dst is never written without copy; it only walks along. */
	return cksum_sse42((void *)(uintptr_t)buf, buf, len, sum, false);
}

GSO_SSE42 uint32_t
gso_cksum_copy_sse42(void *dst, const void *src, size_t len, uint32_t sum)
{
	return cksum_sse42(dst, src, len, sum, true);
}

#else /* !RTE_ARCH_X86: never selected, kept for the link. */

uint32_t
gso_cksum_sum_sse42(const void *buf, size_t len, uint32_t sum)
{
	return gso_cksum_sum_scalar(buf, len, sum);
}

uint32_t
gso_cksum_copy_sse42(void *dst, const void *src, size_t len, uint32_t sum)
{
	return gso_cksum_copy_scalar(dst, src, len, sum);
}

#endif
