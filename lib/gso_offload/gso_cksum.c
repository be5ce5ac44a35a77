/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Checksum kernel dispatch and the portable (scalar) kernels.
 *
 * The vector kernels live in files of their own, compiled for the build's
 * baseline (-march=corei7) with their ISA enabled per function by a target
 * attribute: nothing outside them may use the wider instructions, and they
 * are only ever reached through gso_cksum_active once the CPU has been
 * checked.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>

#include "gso_cksum.h"
#include "gso_offload_private.h"

/*
 * The scalar kernel: 8-byte adds into a 64-bit sum with the carries out of
 * bit 63 counted apart (see gso_cksum_acc_words()), on two independent
 * sums so that consecutive adds do not wait on each other: about two adds
 * per cycle. Three times the speed of "add; adc $0" on one sum, and still
 * 1.3-1.5 times that of DPDK's 16-bit loop once GCC -O3 has vectorised
 * it with SSE (six times that of the loop left scalar).
 */
static __rte_always_inline uint64_t
cksum_scalar_bulk(uint8_t *d, const uint8_t *s, size_t len, uint64_t acc,
	const bool copy)
{
	uint64_t a1 = 0, c0 = 0, c1 = 0;

	for (; len >= 32; len -= 32, s += 32, d += 32) {
		uint64_t v0, v1, v2, v3;

		memcpy(&v0, s, 8);
		memcpy(&v1, s + 8, 8);
		memcpy(&v2, s + 16, 8);
		memcpy(&v3, s + 24, 8);
		if (copy) {
			memcpy(d, &v0, 8);
			memcpy(d + 8, &v1, 8);
			memcpy(d + 16, &v2, 8);
			memcpy(d + 24, &v3, 8);
		}
		c0 += __builtin_add_overflow(acc, v0, &acc);
		c1 += __builtin_add_overflow(a1, v1, &a1);
		c0 += __builtin_add_overflow(acc, v2, &acc);
		c1 += __builtin_add_overflow(a1, v3, &a1);
	}
	/* Carry counts stay below 2^60: c0 + c1 + 1 cannot wrap. */
	c0 += c1;
	c0 += __builtin_add_overflow(acc, a1, &acc);
	acc += c0;
	acc += acc < c0;
	return gso_cksum_acc_words(d, s, len, acc, copy);
}

uint32_t
gso_cksum_sum_scalar(const void *buf, size_t len, uint32_t sum)
{
	/* dst is never written without copy; it only walks along. */
	return gso_cksum_fold64(cksum_scalar_bulk((uint8_t *)(uintptr_t)buf,
		buf, len, sum, false));
}

uint32_t
gso_cksum_copy_scalar(void *dst, const void *src, size_t len, uint32_t sum)
{
	return gso_cksum_fold64(cksum_scalar_bulk(dst, src, len, sum, true));
}

struct gso_cksum_ops gso_cksum_active = {
	.name = "scalar",
	.sum = gso_cksum_sum_scalar,
	.copy = gso_cksum_copy_scalar,
};

const char *const gso_cksum_isa_names[] = {
	"scalar", "sse42", "avx2", "avx512", "avx512vnni", NULL,
};

/*
 * The CPU check. __builtin_cpu_supports() rather than the CPUID bits
 * alone: it also checks (XGETBV) that the OS saves the wider registers,
 * which a VM or a kernel booted with AVX-512 off may not.
 */
#if defined(RTE_ARCH_X86)
static bool
cpu_has(const char *isa)
{
	__builtin_cpu_init();
	if (strcmp(isa, "sse42") == 0)
		return __builtin_cpu_supports("sse4.2");
	if (strcmp(isa, "avx2") == 0)
		return __builtin_cpu_supports("avx2");
	if (strcmp(isa, "avx512") == 0)
		return __builtin_cpu_supports("avx512f") &&
			__builtin_cpu_supports("avx512bw") &&
			__builtin_cpu_supports("avx512vl");
	if (strcmp(isa, "avx512vnni") == 0)
		return cpu_has("avx512") &&
			__builtin_cpu_supports("avx512vnni");
	return false;
}
#endif

int
gso_cksum_ops_get(const char *isa, struct gso_cksum_ops *ops)
{
	struct gso_cksum_ops o;

	if (isa == NULL || ops == NULL)
		return -EINVAL;
	if (strcmp(isa, "scalar") == 0) {
		o = (struct gso_cksum_ops){ "scalar",
			gso_cksum_sum_scalar, gso_cksum_copy_scalar };
	} else if (strcmp(isa, "sse42") == 0) {
		o = (struct gso_cksum_ops){ "sse42",
			gso_cksum_sum_sse42, gso_cksum_copy_sse42 };
	} else if (strcmp(isa, "avx2") == 0) {
		o = (struct gso_cksum_ops){ "avx2",
			gso_cksum_sum_avx2, gso_cksum_copy_avx2 };
	} else if (strcmp(isa, "avx512") == 0) {
		o = (struct gso_cksum_ops){ "avx512",
			gso_cksum_sum_avx512, gso_cksum_copy_avx512 };
	} else if (strcmp(isa, "avx512vnni") == 0) {
		o = (struct gso_cksum_ops){ "avx512vnni",
			gso_cksum_sum_avx512vnni, gso_cksum_copy_avx512vnni };
	} else {
		return -EINVAL;
	}
	if (strcmp(isa, "scalar") != 0) {
#if defined(RTE_ARCH_X86)
		if (!cpu_has(isa))
			return -ENOTSUP;
#else
		return -ENOTSUP;
#endif
	}
	*ops = o;
	return 0;
}

int
gso_cksum_select(const char *isa)
{
	struct gso_cksum_ops o;
	int rc;

	rc = gso_cksum_ops_get(isa, &o);
	if (rc != 0)
		return rc;
	/* Relaxed stores: a concurrent caller may pair the sum of one
	 * implementation with the copy of another, both correct. */
	__atomic_store_n(&gso_cksum_active.sum, o.sum, __ATOMIC_RELAXED);
	__atomic_store_n(&gso_cksum_active.copy, o.copy, __ATOMIC_RELAXED);
	__atomic_store_n(&gso_cksum_active.name, o.name, __ATOMIC_RELAXED);
	return 0;
}

const char *
gso_cksum_isa(void)
{
	return __atomic_load_n(&gso_cksum_active.name, __ATOMIC_RELAXED);
}

/* Pick the best implementation the CPU has, unless GSO_CKSUM_ISA names
 * one. Runs before main(), so it works without EAL. */
RTE_INIT(gso_cksum_init)
{
	const char *env = getenv("GSO_CKSUM_ISA");
	int i;

	if (env != NULL && env[0] != '\0') {
		int rc = gso_cksum_select(env);

		if (rc == 0)
			return;
		GSO_LOG(WARNING, "GSO_CKSUM_ISA=%s: %s, choosing automatically",
			env, rc == -ENOTSUP ? "not supported by this CPU" :
			"unknown (scalar, sse42, avx2, avx512, avx512vnni)");
	}
	/* Best last in gso_cksum_isa_names[]. */
	for (i = (int)RTE_DIM(gso_cksum_isa_names) - 2; i >= 0; i--)
		if (gso_cksum_select(gso_cksum_isa_names[i]) == 0)
			return;
}
