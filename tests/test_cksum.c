/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Checksum kernels (lib/gso_offload/gso_cksum.h) against a byte-pair
 * reference written here, itself checked against DPDK's rte_raw_cksum().
 * Every implementation the CPU has is tested directly (its kernels, not
 * only the dispatched one); the others are skipped.
 *
 * Buffers sit against PROT_NONE guard pages, so that a kernel reading or
 * writing even one byte before the start or past the end of a buffer
 * placed there faults instead of passing.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <rte_byteorder.h>
#include <rte_common.h>
#include <rte_ip.h>

#include "gso_cksum.h"
#include "test.h"

/* The vector kernels reduce their 32-bit lanes every 8192 iterations:
 * 256 KiB (SSE), 512 KiB (AVX2), 1 MiB (AVX-512). Lengths around multiples
 * of these exercise the block loops and the lanes' overflow bounds. */
#define KERNEL_CHUNK (1u << 20)

#define AREA_DATA (4u * KERNEL_CHUNK + 65536)
#define GUARD 64

/* A data area with a PROT_NONE page on either side. */
struct area {
	uint8_t *map;
	size_t map_len;
	uint8_t *start;   /* first byte after the leading guard page */
	uint8_t *end;     /* the trailing guard page */
};

static struct area src_area, dst_area;
static size_t page;

/* Deterministic: xorshift64*, fixed seed. */
static uint64_t rng = 0x2545f4914f6cdd1dull;

static uint64_t
rnd(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dull;
}

/* Initial sums: the extremes first, then random ones. */
static uint32_t
init_sum(unsigned int i)
{
	static const uint32_t special[] = {
		0, 0xffffffff, 0xffff, 0x10000, 0xfffe, 1, 0x8000ffff,
	};

	if (i < RTE_DIM(special))
		return special[i];
	return (uint32_t)rnd();
}

/* ---- the reference ---- */

/* A 16-bit word as a native load of the two bytes a, b (memory order). */
static uint64_t
ref_word(uint8_t a, uint8_t b)
{
#if RTE_BYTE_ORDER == RTE_LITTLE_ENDIAN
	return (uint64_t)a | (uint64_t)b << 8;
#else
	return (uint64_t)a << 8 | b;
#endif
}

/* One's-complement fold by arithmetic rather than carries: 0 stays 0, any
 * other sum maps to 1..0xffff, congruent modulo 0xffff. */
static uint32_t
ref_fold(uint64_t s)
{
	return s == 0 ? 0 : (uint32_t)((s - 1) % 0xffff) + 1;
}

/* Plain byte-pair loop, exact 64-bit sum (no wrap below 2^48 bytes). */
static uint32_t
ref_cksum(const uint8_t *p, size_t len, uint32_t sum)
{
	uint64_t s = sum;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		s += ref_word(p[i], p[i + 1]);
	if (len & 1)
		s += ref_word(p[len - 1], 0);
	return ref_fold(s);
}

/* ---- areas ---- */

static int
area_init(struct area *a)
{
	a->map_len = AREA_DATA + 2 * page;
	a->map = mmap(NULL, a->map_len, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (a->map == MAP_FAILED)
		return -1;
	a->start = a->map + page;
	a->end = a->start + AREA_DATA;
	if (mprotect(a->map, page, PROT_NONE) != 0 ||
			mprotect(a->end, page, PROT_NONE) != 0)
		return -1;
	return 0;
}

static void
fill_random(uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (uint8_t)rnd();
}

static int
setup(void)
{
	page = (size_t)sysconf(_SC_PAGESIZE);
	if (area_init(&src_area) != 0 || area_init(&dst_area) != 0) {
		printf("# cannot map the test areas\n");
		return -1;
	}
	fill_random(src_area.start, AREA_DATA);
	return 0;
}

static void
teardown(void)
{
	munmap(src_area.map, src_area.map_len);
	munmap(dst_area.map, dst_area.map_len);
}

/* ---- checks of one implementation ---- */

/* The kernels of isa, or TEST_SKIP when the CPU lacks it. */
#define GET_OPS(isa, ops) do {						\
	int rc_ = gso_cksum_ops_get(isa, ops);				\
	if (rc_ == -ENOTSUP)						\
		printf("#   %s: not supported by this CPU\n", isa);	\
	TEST_SKIP_IF(rc_ == -ENOTSUP, "ISA not supported");		\
	TEST_ASSERT_EQ(rc_, 0, "gso_cksum_ops_get(%s)", isa);		\
} while (0)

/* Sum of src (len bytes) with every initial sum of the list, and the fused
 * copy to dst (room for GUARD bytes either side). */
static int
check_one(const struct gso_cksum_ops *ops, const uint8_t *src, size_t len,
	uint8_t *dst, unsigned int sum_idx)
{
	uint32_t sum = init_sum(sum_idx);
	uint32_t want = ref_cksum(src, len, sum);
	uint32_t got;
	size_t i;

	got = ops->sum(src, len, sum);
	TEST_ASSERT_EQ(got, want, "%s sum len %zu src %%64 %u sum 0x%x",
		ops->name, len, (unsigned int)((uintptr_t)src & 63), sum);
	if (dst == NULL)
		return TEST_OK;

	memset(dst - GUARD, 0x5a, len + 2 * GUARD);
	got = ops->copy(dst, src, len, sum);
	TEST_ASSERT_EQ(got, want, "%s copy len %zu src %%64 %u dst %%64 %u "
		"sum 0x%x", ops->name, len,
		(unsigned int)((uintptr_t)src & 63),
		(unsigned int)((uintptr_t)dst & 63), sum);
	TEST_ASSERT(memcmp(dst, src, len) == 0, "%s copy len %zu: data",
		ops->name, len);
	for (i = 0; i < GUARD; i++) {
		TEST_ASSERT(dst[-1 - (ptrdiff_t)i] == 0x5a,
			"%s copy len %zu: wrote %zu bytes before dst",
			ops->name, len, i + 1);
		TEST_ASSERT(dst[len + i] == 0x5a,
			"%s copy len %zu: wrote at dst + len + %zu",
			ops->name, len, i);
	}
	return TEST_OK;
}

/* Every length 0..2048 at every source alignment 0..63, destinations at
 * another alignment; then every length ending right at the guard page. */
static int
check_grid(const char *isa)
{
	struct gso_cksum_ops ops;
	unsigned int align, n = 0;
	size_t len;

	GET_OPS(isa, &ops);
	for (align = 0; align < 64; align++) {
		const uint8_t *src = src_area.start + align;
		uint8_t *dst = dst_area.start + 4096 + (align * 37 + 5) % 64;

		for (len = 0; len <= 2048; len++)
			TEST_RUN(check_one(&ops, src, len, dst, n++ % 16));
	}
	for (len = 0; len <= 2048; len++) {
		/* Over-reads fault on the source's guard page, over-writes
		 * on the destination's. */
		TEST_RUN(check_one(&ops, src_area.end - len, len, NULL,
			n++ % 16));
		TEST_ASSERT_EQ(ops.copy(dst_area.end - len, src_area.end - len,
			len, 0), ref_cksum(src_area.end - len, len, 0),
			"%s copy to the guard page, len %zu", isa, len);
	}
	return TEST_OK;
}

/* Random lengths up to 70000 at random alignments, and lengths around the
 * kernels' chunk size, on random data and on all-0xff (every lane at its
 * largest: overflow bounds) and all-zero data (0 must stay 0). */
static int
check_long(const char *isa)
{
	static const size_t blocks[] = {
		KERNEL_CHUNK / 4, KERNEL_CHUNK / 2, KERNEL_CHUNK,
		2 * KERNEL_CHUNK, 4 * KERNEL_CHUNK - 4096,
	};
	static const int deltas[] = {
		-1, 0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 4095,
	};
	uint8_t *pat = src_area.start;
	struct gso_cksum_ops ops;
	unsigned int i;
	int pass;

	GET_OPS(isa, &ops);
	for (i = 0; i < 400; i++) {
		size_t len = rnd() % 70001;
		const uint8_t *src = src_area.start + rnd() % 4096;
		uint8_t *dst = dst_area.start + GUARD + rnd() % 4096;

		TEST_RUN(check_one(&ops, src, len, dst, i));
	}

	/* The pattern runs overwrite the random source: do them last, and
	 * restore it. */
	for (pass = 0; pass < 3; pass++) {
		if (pass == 1)
			memset(pat, 0xff, AREA_DATA);
		else if (pass == 2)
			memset(pat, 0, AREA_DATA);
		for (i = 0; i < RTE_DIM(blocks) * RTE_DIM(deltas); i++) {
			size_t len = blocks[i / RTE_DIM(deltas)] +
				deltas[i % RTE_DIM(deltas)];
			uint8_t *dst = dst_area.start + GUARD + i % 64;

			TEST_RUN(check_one(&ops, pat + (i & 7), len, dst, i));
			/* All-zero data with a zero sum must give 0. */
			if (pass == 2)
				TEST_ASSERT_EQ(ops.sum(pat, len, 0), 0,
					"%s zeros len %zu", isa, len);
		}
		for (i = 0; i < 40 && pass > 0; i++) {
			size_t len = rnd() % 70001;

			TEST_RUN(check_one(&ops, pat + rnd() % 64, len,
				dst_area.start + GUARD + rnd() % 64, i));
		}
	}
	fill_random(src_area.start, AREA_DATA);
	return TEST_OK;
}

/* The wrappers (inline short path, then the kernels) with isa selected. */
static int
check_wrappers(const char *isa)
{
	const char *saved = gso_cksum_isa();
	struct gso_cksum_ops ops;
	unsigned int n = 0;
	size_t len, align;
	int rc = TEST_OK;

	GET_OPS(isa, &ops);
	TEST_ASSERT_EQ(gso_cksum_select(isa), 0, "select %s", isa);
	TEST_ASSERT(strcmp(gso_cksum_isa(), isa) == 0, "isa is %s",
		gso_cksum_isa());
	for (align = 0; align < 8 && rc == TEST_OK; align++) {
		for (len = 0; len <= 3 * GSO_CKSUM_INLINE_MAX + 1; len++) {
			const uint8_t *src = src_area.start + align;
			uint8_t *dst = dst_area.start + GUARD + 3 * align;
			uint32_t sum = init_sum(n++ % 16);
			uint32_t want = ref_cksum(src, len, sum);

			if (gso_cksum_partial(src, len, sum) != want) {
				printf("#   partial len %zu align %zu\n", len,
					align);
				rc = TEST_FAIL;
				break;
			}
			memset(dst, 0, len + 1);
			if (gso_cksum_copy(dst, src, len, sum) != want ||
					memcmp(dst, src, len) != 0 ||
					dst[len] != 0) {
				printf("#   copy len %zu align %zu\n", len,
					align);
				rc = TEST_FAIL;
				break;
			}
		}
	}
	gso_cksum_select(saved);
	return rc;
}

/* A buffer summed in two pieces, the second starting at an odd or even
 * offset, equals the one-piece sum: the swap helper puts an odd piece
 * back in order. Also chained: the first piece's sum passed in. */
static int
check_compose(const char *isa)
{
	struct gso_cksum_ops ops;
	unsigned int i;

	GET_OPS(isa, &ops);
	for (i = 0; i < 3000; i++) {
		size_t len = i < 1000 ? rnd() % 300 + 1 : rnd() % 9001 + 1;
		size_t k = rnd() % (len + 1);
		const uint8_t *buf = src_area.start + rnd() % 64;
		uint32_t sum = init_sum(i % 16);
		uint32_t whole = ops.sum(buf, len, sum);
		uint32_t a, b, c;

		if (i % 2 == 1 && len > 1 && k % 2 == 0)
			k = k == len ? k - 1 : k + 1;    /* odd splits mostly */
		a = ops.sum(buf, k, sum);
		b = ops.sum(buf + k, len - k, 0);
		c = gso_cksum_add(a, k & 1 ? gso_cksum_swap(b) : b);
		TEST_ASSERT_EQ(c, whole, "%s len %zu split %zu", isa, len, k);
		/* Chained: sum the second piece on top of the first, in the
		 * piece's own byte order. */
		if (k & 1)
			c = gso_cksum_swap(ops.sum(buf + k, len - k,
				gso_cksum_swap(a)));
		else
			c = ops.sum(buf + k, len - k, a);
		TEST_ASSERT_EQ(c, whole, "%s chained len %zu split %zu", isa,
			len, k);
		/* The fused copy composes the same way. */
		c = ops.copy(dst_area.start + GUARD + k, buf + k, len - k, 0);
		c = gso_cksum_add(a, k & 1 ? gso_cksum_swap(c) : c);
		TEST_ASSERT_EQ(c, whole, "%s copy len %zu split %zu", isa,
			len, k);
	}
	return TEST_OK;
}

#define ISA_CASES(isa)							\
static int test_grid_##isa(void) { return check_grid(#isa); }		\
static int test_long_##isa(void) { return check_long(#isa); }		\
static int test_wrappers_##isa(void) { return check_wrappers(#isa); }	\
static int test_compose_##isa(void) { return check_compose(#isa); }

ISA_CASES(scalar)
ISA_CASES(sse42)
ISA_CASES(avx2)
ISA_CASES(avx512)
ISA_CASES(avx512vnni)

/* ---- the rest ---- */

/* The reference agrees with DPDK's checksum (which wraps its 32-bit sum
 * only past 128 KiB, beyond these lengths). */
static int
test_reference(void)
{
	unsigned int i;

	for (i = 0; i < 20000; i++) {
		size_t len = i < 4096 ? i / 2 : rnd() % 70001;
		const uint8_t *p = src_area.start + rnd() % 64;
		uint32_t sum = init_sum(i % 16);
		uint32_t raw = rte_raw_cksum(p, len);

		TEST_ASSERT_EQ(ref_cksum(p, len, sum),
			ref_fold((uint64_t)sum + raw),
			"len %zu sum 0x%x", len, sum);
	}
	/* And a few fixed values (native words 0x0201 0x0403 0x05 on a
	 * little-endian machine). */
	{
		static const uint8_t b[] = { 1, 2, 3, 4, 5 };

		TEST_ASSERT_EQ(ref_cksum(b, 5, 0), rte_raw_cksum(b, 5), "5");
		TEST_ASSERT_EQ(ref_cksum(b, 0, 0), 0, "empty");
		TEST_ASSERT_EQ(ref_cksum(b, 0, 0xffffffff), 0xffff, "~0");
	}
	return TEST_OK;
}

static int
test_helpers(void)
{
	TEST_ASSERT_EQ(gso_cksum_fold(0), 0, "fold 0");
	TEST_ASSERT_EQ(gso_cksum_fold(0xffff), 0xffff, "fold ffff");
	TEST_ASSERT_EQ(gso_cksum_fold(0x10000), 1, "fold 10000");
	TEST_ASSERT_EQ(gso_cksum_fold(0xffffffff), 0xffff, "fold ~0");
	TEST_ASSERT_EQ(gso_cksum_fold(0x1fffe), 0xffff, "fold 1fffe");
	TEST_ASSERT_EQ(gso_cksum_fold64(UINT64_MAX), 0xffff, "fold64 ~0");
	TEST_ASSERT_EQ(gso_cksum_fold64(0), 0, "fold64 0");
	TEST_ASSERT_EQ(gso_cksum_fold64(0xffffffffull << 32), 0xffff,
		"fold64 ffffffff00000000");
	TEST_ASSERT_EQ(gso_cksum_fold64(1ull << 63), 0x8000, "fold64 2^63");
	TEST_ASSERT_EQ(gso_cksum_fold64(0x0000fffeffff0001ull), 0xffff,
		"fold64 halves summing to 2^32 - 1");
	TEST_ASSERT_EQ(gso_cksum_swap(0x1234), 0x3412, "swap");
	TEST_ASSERT_EQ(gso_cksum_swap(0x11234), 0x3512, "swap unfolded");
	TEST_ASSERT_EQ(gso_cksum_swap(0xffff), 0xffff, "swap ffff");
	TEST_ASSERT_EQ(gso_cksum_add(0xffff, 1), 1, "add");
	TEST_ASSERT_EQ(gso_cksum_add(0xffff, 0xffff), 0xffff, "add");
	TEST_ASSERT_EQ(gso_cksum_add(0, 0), 0, "add 0");
	TEST_ASSERT_EQ(gso_cksum_add(0xffffffff, 0xffffffff), 0xffff, "add");
	for (unsigned int i = 0; i < 100000; i++) {
		uint32_t a = (uint32_t)rnd(), b = (uint32_t)rnd();

		uint64_t c = rnd() >> (rnd() % 64);

		TEST_ASSERT_EQ(gso_cksum_fold(a), ref_fold(a), "fold %x", a);
		TEST_ASSERT_EQ(gso_cksum_fold64(c), ref_fold(c), "fold64 %llx",
			(unsigned long long)c);
		TEST_ASSERT_EQ(gso_cksum_add(a, b),
			ref_fold((uint64_t)a + b), "add %x %x", a, b);
	}
	return TEST_OK;
}

static int
test_select(void)
{
	const char *saved = gso_cksum_isa();
	struct gso_cksum_ops ops;
	unsigned int i;

	TEST_ASSERT(saved != NULL, "no implementation in use");
	printf("# in use: %s\n", saved);
	TEST_ASSERT_EQ(gso_cksum_select("bogus"), -EINVAL, "unknown");
	TEST_ASSERT_EQ(gso_cksum_select(""), -EINVAL, "empty");
	TEST_ASSERT_EQ(gso_cksum_select(NULL), -EINVAL, "NULL");
	TEST_ASSERT_EQ(gso_cksum_select("AVX2"), -EINVAL, "names are exact");
	TEST_ASSERT_EQ(gso_cksum_ops_get("bogus", &ops), -EINVAL, "unknown");
	TEST_ASSERT(strcmp(gso_cksum_isa(), saved) == 0,
		"a failed select changed the implementation");
	for (i = 0; gso_cksum_isa_names[i] != NULL; i++) {
		const char *isa = gso_cksum_isa_names[i];
		int rc = gso_cksum_ops_get(isa, &ops);

		TEST_ASSERT(rc == 0 || rc == -ENOTSUP, "%s: %d", isa, rc);
		TEST_ASSERT_EQ(gso_cksum_select(isa), rc, "%s", isa);
		if (rc == 0)
			TEST_ASSERT(strcmp(gso_cksum_isa(), isa) == 0 &&
				strcmp(ops.name, isa) == 0, "%s", isa);
		else
			printf("# %s: not supported here\n", isa);
	}
	/* The scalar one is always there. */
	TEST_ASSERT_EQ(gso_cksum_select("scalar"), 0, "scalar");
	TEST_ASSERT_EQ(gso_cksum_select(saved), 0, "restore %s", saved);
	return TEST_OK;
}

static const struct test_case cases[] = {
	TEST_CASE(test_reference),
	TEST_CASE(test_helpers),
	TEST_CASE(test_select),
	TEST_CASE(test_grid_scalar),
	TEST_CASE(test_grid_sse42),
	TEST_CASE(test_grid_avx2),
	TEST_CASE(test_grid_avx512),
	TEST_CASE(test_grid_avx512vnni),
	TEST_CASE(test_long_scalar),
	TEST_CASE(test_long_sse42),
	TEST_CASE(test_long_avx2),
	TEST_CASE(test_long_avx512),
	TEST_CASE(test_long_avx512vnni),
	TEST_CASE(test_compose_scalar),
	TEST_CASE(test_compose_sse42),
	TEST_CASE(test_compose_avx2),
	TEST_CASE(test_compose_avx512),
	TEST_CASE(test_compose_avx512vnni),
	TEST_CASE(test_wrappers_scalar),
	TEST_CASE(test_wrappers_sse42),
	TEST_CASE(test_wrappers_avx2),
	TEST_CASE(test_wrappers_avx512),
	TEST_CASE(test_wrappers_avx512vnni),
};

static const struct test_suite suite = {
	.name = "cksum",
	.setup = setup,
	.teardown = teardown,
	.cases = cases,
	.nb_cases = TEST_NB(cases),
	.need_eal = false,
};

int
main(int argc, char **argv)
{
	return test_suite_run(&suite, argc, argv);
}
