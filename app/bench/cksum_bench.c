/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * gso-cksum-bench: cycles per call of the checksum kernels of
 * lib/gso_offload/gso_cksum.h against DPDK's rte_raw_cksum() and memcpy(),
 * on hot (L1/L2-resident) buffers. No EAL: only rte_rdtsc() is used, so the
 * figures are TSC cycles (the nominal clock; with turbo the core runs
 * faster, which flatters every row alike).
 *
 * Each figure is the median of several runs of many back-to-back calls.
 * The calls are chained (each call's initial sum is the previous result),
 * as a segmentation loop chains the pseudo-header sum into the payload sum,
 * so a kernel's latency counts, not only its throughput.
 *
 *   gso-cksum-bench [-o src_offset] [-d dst_offset] [-r runs] [-s | -S]
 *
 * -s adds the short-length table used to choose GSO_CKSUM_INLINE_MAX,
 * -S prints that table only.
 */

#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ip.h>

#include "gso_cksum.h"

#define MAX_RUNS 63
#define BUF_SIZE (65536 + 4096)

typedef uint32_t (*sum_fn)(const void *buf, size_t len, uint32_t sum);
typedef uint32_t (*copy_fn)(void *dst, const void *src, size_t len,
	uint32_t sum);

static const size_t sizes[] = { 64, 256, 1448, 9000, 65536 };
static unsigned int nb_runs = 31;
static volatile uint32_t sink;

/* DPDK's checksum, out of line like the kernels so that all rows pay the
 * same call. GCC may still vectorise its 16-bit loop: that is what an
 * application built with these flags gets. */
static __rte_noinline uint32_t
raw_sum(const void *buf, size_t len, uint32_t sum)
{
	return __rte_raw_cksum_reduce(__rte_raw_cksum(buf, len, sum));
}

/* The same loop as GCC emits it without auto-vectorisation (at -O2 GCC
 * 12 leaves it scalar): what most DPDK applications actually run. Clang
 * has no per-function switch for that: no such row there. */
#if !defined(__clang__)
#define HAVE_RAW_NOVEC 1
static __rte_noinline __attribute__((optimize("no-tree-vectorize"))) uint32_t
raw_sum_novec(const void *buf, size_t len, uint32_t sum)
{
	return __rte_raw_cksum_reduce(__rte_raw_cksum(buf, len, sum));
}
#endif

/* memcpy through a pointer, so that the compiler calls the C library's
 * (which picks its own vector code at run time) rather than inlining. */
static void *(*volatile memcpy_fn)(void *, const void *, size_t) = memcpy;

static __rte_noinline uint32_t
memcpy_only(void *dst, const void *src, size_t len, uint32_t sum)
{
	memcpy_fn(dst, src, len);
	return sum;
}

/* Two passes: memcpy, then the dispatched sum of the copy. */
static __rte_noinline uint32_t
memcpy_then_sum(void *dst, const void *src, size_t len, uint32_t sum)
{
	memcpy_fn(dst, src, len);
	return gso_cksum_partial(dst, len, sum);
}

/* The wrappers as the library's callers see them (inline short path,
 * else an indirect call through gso_cksum_active). */
static __rte_noinline uint32_t
wrap_sum(const void *buf, size_t len, uint32_t sum)
{
	return gso_cksum_partial(buf, len, sum);
}

static __rte_noinline uint32_t
wrap_copy(void *dst, const void *src, size_t len, uint32_t sum)
{
	return gso_cksum_copy(dst, src, len, sum);
}

/* The indirect call the wrapper makes above GSO_CKSUM_INLINE_MAX. */
static __rte_noinline uint32_t
dispatched_sum(const void *buf, size_t len, uint32_t sum)
{
	return __atomic_load_n(&gso_cksum_active.sum, __ATOMIC_RELAXED)
		(buf, len, sum);
}

/* The inline scalar path alone, whatever the length. */
static __rte_noinline uint32_t
inline_sum(const void *buf, size_t len, uint32_t sum)
{
	return gso_cksum_fold64(gso_cksum_acc_scalar(buf, len, sum));
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Calls per run: about 2^21 bytes, at least 256 calls. */
static unsigned int
calls_for(size_t len)
{
	return RTE_MAX(256u, (unsigned int)((2u << 20) / (len + 32)));
}

/* Median and minimum of the runs, per call. The machine may share its
 * cores: the minimum says what the code can do, the median what it did. */
struct timing {
	double med;
	double min;
};

static struct timing
summarise(uint64_t *t, unsigned int n, unsigned int calls)
{
	qsort(t, n, sizeof(*t), cmp_u64);
	return (struct timing){ (double)t[n / 2] / calls,
		(double)t[0] / calls };
}

/* Median cycles per call of f on len bytes. Runs 0.. are preceded by a
 * warm-up run that is thrown away (caches, branch predictors, the
 * frequency ramp of the vector units). */
static struct timing
time_sum(sum_fn f, const void *buf, size_t len)
{
	unsigned int calls = calls_for(len), r, i;
	uint64_t t[MAX_RUNS + 1];
	uint32_t acc = 0;

	for (r = 0; r <= nb_runs; r++) {
		uint64_t t0 = rte_rdtsc();

		for (i = 0; i < calls; i++) {
			acc = f(buf, len, acc);
			/* The buffer may have changed: no hoisting. */
			__asm__ volatile("" : : : "memory");
		}
		t[r] = rte_rdtsc() - t0;
	}
	sink = acc;
	return summarise(t + 1, nb_runs, calls);
}

static struct timing
time_copy(copy_fn f, void *dst, const void *src, size_t len)
{
	unsigned int calls = calls_for(len), r, i;
	uint64_t t[MAX_RUNS + 1];
	uint32_t acc = 0;

	for (r = 0; r <= nb_runs; r++) {
		uint64_t t0 = rte_rdtsc();

		for (i = 0; i < calls; i++) {
			acc = f(dst, src, len, acc);
			__asm__ volatile("" : : : "memory");
		}
		t[r] = rte_rdtsc() - t0;
	}
	sink = acc;
	return summarise(t + 1, nb_runs, calls);
}

static void
row(const char *what, size_t len, struct timing c, struct timing base)
{
	printf("  %-22s %6zu %9.1f %9.1f %7.2f", what, len, c.med, c.min,
		len / c.med);
	if (base.med > 0)
		printf(" %7.2fx", base.med / c.med);
	printf("\n");
}

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-o src_offset] [-d dst_offset] [-r runs] [-s|-S]\n",
		prog);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct gso_cksum_ops ops[8];
	unsigned int nb_ops = 0, i, k, src_off = 0, dst_off = 0;
	bool short_table = false, main_table = true;
	uint8_t *src_mem, *dst_mem, *src, *dst;
	int opt;

	while ((opt = getopt(argc, argv, "o:d:r:sS")) != -1) {
		switch (opt) {
		case 'o':
			src_off = (unsigned int)strtoul(optarg, NULL, 0) % 4096;
			break;
		case 'd':
			dst_off = (unsigned int)strtoul(optarg, NULL, 0) % 4096;
			break;
		case 'r':
			nb_runs = (unsigned int)strtoul(optarg, NULL, 0);
			if (nb_runs < 1 || nb_runs > MAX_RUNS)
				usage(argv[0]);
			break;
		case 'S':
			main_table = false;
			/* fall through */
		case 's':
			short_table = true;
			break;
		default:
			usage(argv[0]);
		}
	}

	src_mem = aligned_alloc(4096, BUF_SIZE + 4096);
	dst_mem = aligned_alloc(4096, BUF_SIZE + 4096);
	if (src_mem == NULL || dst_mem == NULL) {
		fprintf(stderr, "out of memory\n");
		return 1;
	}
	src = src_mem + src_off;
	dst = dst_mem + dst_off;
	srand(1);
	for (i = 0; i < BUF_SIZE; i++)
		src[i] = (uint8_t)rand();
	memset(dst_mem, 0, BUF_SIZE + 4096);

	for (k = 0; gso_cksum_isa_names[k] != NULL; k++) {
		const char *isa = gso_cksum_isa_names[k];

		if (gso_cksum_ops_get(isa, &ops[nb_ops]) == 0)
			nb_ops++;
	}

	printf("# gso-cksum-bench: TSC cycles per call (median and minimum of"
		" %u runs), src offset %u, dst offset %u\n", nb_runs, src_off,
		dst_off);
	printf("# dispatched implementation: %s; inline below %u bytes\n",
		gso_cksum_isa(), GSO_CKSUM_INLINE_MAX);
	printf("  %-22s %6s %9s %9s %7s %8s\n", "function", "bytes",
		"cyc/call", "min", "B/cyc", "speedup");

	for (k = 0; k < RTE_DIM(sizes) && main_table; k++) {
		static const struct timing none;
		size_t len = sizes[k];
		struct timing raw, mc;

		printf("\n");
		raw = time_sum(raw_sum, src, len);
		row("rte_raw_cksum", len, raw, none);
#ifdef HAVE_RAW_NOVEC
		row("rte_raw_cksum novec", len,
			time_sum(raw_sum_novec, src, len), raw);
#endif
		for (i = 0; i < nb_ops; i++) {
			char name[32];

			snprintf(name, sizeof(name), "sum %s", ops[i].name);
			row(name, len, time_sum(ops[i].sum, src, len), raw);
		}
		row("gso_cksum_partial", len, time_sum(wrap_sum, src, len),
			raw);
		mc = time_copy(memcpy_only, dst, src, len);
		row("memcpy", len, mc, none);
		for (i = 0; i < nb_ops; i++) {
			char name[32];

			snprintf(name, sizeof(name), "copy+sum %s",
				ops[i].name);
			row(name, len,
				time_copy(ops[i].copy, dst, src, len), mc);
		}
		row("gso_cksum_copy", len,
			time_copy(wrap_copy, dst, src, len), mc);
		row("memcpy, then sum", len,
			time_copy(memcpy_then_sum, dst, src, len), mc);
	}
	if (main_table)
		printf("\n# speedup: sum rows against rte_raw_cksum, copy"
			" rows against memcpy (>1 is faster)\n");

	if (short_table) {
		static const size_t shorts[] = {
			8, 14, 20, 24, 28, 32, 36, 40, 44, 48, 54, 60, 64, 72,
			80, 96, 128, 192, 256,
		};

		/* inline: the wrappers' short path; dispatched: the call
		 * through gso_cksum_active they make above the threshold.
		 * Both sit behind the same call from the timing loop. */
		printf("\n# short lengths: median cycles per call, inline"
			" scalar path vs dispatched kernel (%s), and each"
			" kernel\n", gso_cksum_isa());
		printf("  %6s %9s %9s %10s", "bytes", "raw_cksum", "inline",
			"dispatched");
		for (i = 0; i < nb_ops; i++)
			printf(" %9s", ops[i].name);
		printf("\n");
		for (k = 0; k < RTE_DIM(shorts); k++) {
			size_t len = shorts[k];

			printf("  %6zu %9.1f %9.1f %10.1f", len,
				time_sum(raw_sum, src, len).med,
				time_sum(inline_sum, src, len).med,
				time_sum(dispatched_sum, src, len).med);
			for (i = 0; i < nb_ops; i++)
				printf(" %9.1f",
					time_sum(ops[i].sum, src, len).med);
			printf("\n");
		}
	}

	free(src_mem);
	free(dst_mem);
	return sink == 0xdeadbeef;
}
