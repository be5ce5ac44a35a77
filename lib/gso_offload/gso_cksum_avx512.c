/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * AVX-512 checksum kernels (F + BW + VL). Same accumulation as the AVX2
 * kernels (see gso_cksum_avx2.c: words biased by xor 0x8000, pairs added
 * into 32-bit lanes by vpmaddwd against ones, the bias added back at the
 * end), on 64-byte vectors. Byte-masked loads and stores (AVX512BW)
 * handle the tail, whatever its length, with neither a scalar loop nor a
 * read or write past the end: masked-off bytes are not accessed and
 * cannot fault.
 *
 * gso_cksum_avx512vnni.c builds this file a second time with
 * GSO_CKSUM_VNNI set: the multiply and the add into the sum are then one
 * vpdpwssd, two vector operations per 64 bytes instead of three (a
 * 1448-byte sum takes 17% fewer cycles). Its add into the
 * accumulator waits on the previous one for a few cycles where vpaddd
 * waits for one, hence four accumulators rather than two (NACC).
 *
 * Compiled with the build's baseline flags; only these functions carry the
 * target attribute, and gso_cksum.c calls them only after checking the CPU.
 */

#include <stdbool.h>

#include <rte_common.h>

#include "gso_cksum.h"

#ifdef GSO_CKSUM_VNNI
#define GSO_AVX512_FN(name) name ## _avx512vnni
#else
#define GSO_AVX512_FN(name) name ## _avx512
#endif

#if defined(RTE_ARCH_X86)

#include <immintrin.h>

/* tune= as well: the build's tuning (corei7) would split unaligned 256-bit
 * accesses in two, a Sandy Bridge workaround that only costs here. */
#ifdef GSO_CKSUM_VNNI
#define GSO_AVX512 __attribute__((target( \
	"avx512f,avx512bw,avx512vl,avx512vnni,tune=skylake-avx512")))
#else
#define GSO_AVX512 \
	__attribute__((target("avx512f,avx512bw,avx512vl,tune=skylake-avx512")))
#endif

#define VEC 64

/* Bytes per block between two reductions: at most 16384 vectors, the
 * masked tail included, each adding at most +-65536 to a lane of one of
 * the accumulators. They are added lane by lane in 32 bits before the
 * reduction; the total stays within +-65536 * 16384 = +-2^30. */
#define CHUNK (16384u * VEC)

/* Accumulators, enough that the adds of consecutive vectors into them do
 * not wait on each other: vpaddd's add takes a cycle, vpdpwssd's a few. */
#ifdef GSO_CKSUM_VNNI
#define NACC 4
#else
#define NACC 2
#endif

/* What each vector summed owes back: 32 words of 32768. */
#define VEC_BIAS ((uint64_t)(VEC / 2) * 32768)

/* a + the biased word pairs of v. */
static __rte_always_inline GSO_AVX512 __m512i
acc_words(__m512i a, __m512i v)
{
	const __m512i w = _mm512_xor_si512(v, _mm512_set1_epi16((short)0x8000));

#ifdef GSO_CKSUM_VNNI
	return _mm512_dpwssd_epi32(a, w, _mm512_set1_epi16(1));
#else
	return _mm512_add_epi32(a, _mm512_madd_epi16(w, _mm512_set1_epi16(1)));
#endif
}

/* Signed sum of the sixteen 32-bit lanes, in 64 bits. */
static __rte_always_inline GSO_AVX512 int64_t
reduce(__m512i a)
{
	__m512i q = _mm512_add_epi64(
		_mm512_cvtepi32_epi64(_mm512_castsi512_si256(a)),
		_mm512_cvtepi32_epi64(_mm512_extracti64x4_epi64(a, 1)));
	__m256i y = _mm256_add_epi64(_mm512_castsi512_si256(q),
		_mm512_extracti64x4_epi64(q, 1));
	__m128i r = _mm_add_epi64(_mm256_castsi256_si128(y),
		_mm256_extracti128_si256(y, 1));

	r = _mm_add_epi64(r, _mm_unpackhi_epi64(r, r));
	return _mm_cvtsi128_si64(r);
}

/* a + the words of the 64 bytes at s, copied to d first if copy. */
static __rte_always_inline GSO_AVX512 __m512i
acc_vec(__m512i a, uint8_t *d, const uint8_t *s, const bool copy)
{
	const __m512i v = _mm512_loadu_si512((const void *)s);

	if (copy)
		_mm512_storeu_si512((void *)d, v);
	return acc_words(a, v);
}

/* Exact word sum of len bytes (at most CHUNK), tail included. Vector k
 * of every 4 goes into accumulator k % NACC (constant indices: GCC keeps
 * the array in registers). */
static __rte_always_inline GSO_AVX512 uint64_t
cksum_block(uint8_t *d, const uint8_t *s, size_t len, const bool copy)
{
	const uint8_t *end = s + (len & ~(size_t)(4 * VEC - 1));
	/* The masked tail, if any, is summed as one whole vector too. */
	uint64_t nb_vec = (len + VEC - 1) / VEC;
	__m512i a[NACC], total;
	size_t whole;
	int k;

	for (k = 0; k < NACC; k++)
		a[k] = _mm512_setzero_si512();
	for (; s != end; s += 4 * VEC, d += 4 * VEC) {
		for (k = 0; k < 4; k++)
			_mm_prefetch((const char *)s + GSO_CKSUM_PREFETCH +
				k * VEC, _MM_HINT_T0);
		for (k = 0; k < 4; k++)
			a[k % NACC] = acc_vec(a[k % NACC], d + k * VEC,
				s + k * VEC, copy);
		/* Keeps GCC (12) from adding register copies to every
		 * iteration: pinned, the sums stay in their registers. */
		for (k = 0; k < NACC; k++)
			__asm__("" : "+v"(a[k]));
	}
	len &= 4 * VEC - 1;
	/* Up to three whole vectors, then the masked tail. Unrolled, so
	 * that the indices are constants. */
#pragma GCC unroll 3
	for (k = 0; k < 3; k++)
		if (len >= (size_t)(k + 1) * VEC)
			a[k % NACC] = acc_vec(a[k % NACC], d + k * VEC,
				s + k * VEC, copy);
	whole = len & ~(size_t)(VEC - 1);
	s += whole;
	d += whole;
	len -= whole;
	if (len > 0) {
		/* 1..63 bytes, starting at an even offset of the buffer:
		 * the zero-masked load keeps the pairing, and the odd last
		 * byte gets its zero pad from the mask. */
		__mmask64 m = (__mmask64)(((uint64_t)1 << len) - 1);
		__m512i v = _mm512_maskz_loadu_epi8(m, s);

		if (copy)
			_mm512_mask_storeu_epi8(d, m, v);
		a[3 % NACC] = acc_words(a[3 % NACC], v);
	}
	total = a[0];
	for (k = 1; k < NACC; k++)
		total = _mm512_add_epi32(total, a[k]);
	return (uint64_t)(reduce(total) + (int64_t)(nb_vec * VEC_BIAS));
}

static __rte_always_inline GSO_AVX512 uint32_t
cksum_avx512(void *dst, const void *src, size_t len, uint32_t sum,
	const bool copy)
{
	const uint8_t *s = src;
	uint8_t *d = dst;
	uint64_t acc = sum;

	/* The block sums are below 2^36: acc cannot wrap short of 2^28
	 * blocks. */
	for (; len > CHUNK; len -= CHUNK, s += CHUNK, d += CHUNK)
		acc += cksum_block(d, s, CHUNK, copy);
	acc += cksum_block(d, s, len, copy);
	return gso_cksum_fold64(acc);
}

GSO_AVX512 uint32_t
GSO_AVX512_FN(gso_cksum_sum)(const void *buf, size_t len, uint32_t sum)
{
	/* dst is never written without copy; it only walks along. */
	return cksum_avx512((void *)(uintptr_t)buf, buf, len, sum, false);
}

GSO_AVX512 uint32_t
GSO_AVX512_FN(gso_cksum_copy)(void *dst, const void *src, size_t len,
		uint32_t sum)
{
	return cksum_avx512(dst, src, len, sum, true);
}

#else /* !RTE_ARCH_X86: never selected, kept for the link. */

uint32_t
GSO_AVX512_FN(gso_cksum_sum)(const void *buf, size_t len, uint32_t sum)
{
	return gso_cksum_sum_scalar(buf, len, sum);
}

uint32_t
GSO_AVX512_FN(gso_cksum_copy)(void *dst, const void *src, size_t len,
		uint32_t sum)
{
	return gso_cksum_copy_scalar(dst, src, len, sum);
}

#endif
