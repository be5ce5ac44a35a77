/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * The poisoning pool itself (tests/test_poison.h): a freed mbuf is
 * scribbled (every build) and poisoned (ASan); a read after free is
 * reported by ASan, in a child process that must die of it; a free that
 * breaks the free-mbuf invariants stops the process; allocation after
 * free gives a working mbuf; and the segmentation engine, which allocates
 * raw and writes whole mbuf rows itself, still builds correct segments
 * from such pools.
 */

#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "gso_offload.h"
#include "test.h"
#include "test_pkt.h"
#include "test_poison.h"

#if TEST_POISON_ASAN
#include <sanitizer/asan_interface.h>
#endif

#define NB 64
#define ROOM (RTE_PKTMBUF_HEADROOM + 2048)

static struct rte_mempool *pool;
/* The children's: a forked child shares the parent's DPDK memory (and so
 * the pools' rings), and one that dies holding mbufs keeps them. */
static struct rte_mempool *child_pool;

/* Whether every byte of the freed object at m reads as scribbled, looked
 * at without tripping ASan (the check, not the code under test). */
static bool
scribbled(const struct rte_mempool *mp, const struct rte_mbuf *m,
		uint16_t room)
{
	const uint8_t *d = (const uint8_t *)(m + 1);
	bool ok = true;

#if TEST_POISON_ASAN
	ASAN_UNPOISON_MEMORY_REGION(m, sizeof(*m) + room);
#endif
	ok = m->pkt_len == 0x6b6b6b6bu && m->data_len == 0x6b6b &&
		m->packet_type == 0x6b6b6b6bu && m->vlan_tci == 0x6b6b &&
		m->vlan_tci_outer == 0x6b6b && m->port == 0x6b6b &&
		m->tx_offload == 0x6b6b6b6b6b6b6b6bull &&
		(m->ol_flags & 0xffffffffull) == 0x6b6b6b6bull &&
		RTE_MBUF_DIRECT(m) &&
		/* what a free mbuf keeps */
		rte_mbuf_refcnt_read(m) == 1 && m->next == NULL &&
		m->nb_segs == 1 && m->buf_addr == d && m->buf_len == room &&
		m->pool == mp && m->priv_size == 0 &&
		m->data_off == RTE_PKTMBUF_HEADROOM &&
		rte_mbuf_iova_get(m) == rte_mempool_virt2iova(m) + sizeof(*m);
	for (uint32_t i = 0; ok && i < room; i++)
		ok = d[i] == TEST_POISON_BYTE;
#if TEST_POISON_ASAN
	ASAN_POISON_MEMORY_REGION(m, sizeof(*m) + room);
#endif
	return ok;
}

static int
freed_mbuf_scribbled(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);

	TEST_ASSERT(m != NULL, "alloc");
	TEST_ASSERT(rte_pktmbuf_append(m, 1000) != NULL, "append");
	memset(rte_pktmbuf_mtod(m, void *), 0x11, 1000);
	m->ol_flags = RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4;
	m->tso_segsz = 1448;
	m->vlan_tci = 7;
	rte_pktmbuf_free(m);
	TEST_ASSERT(scribbled(pool, m, ROOM), "freed mbuf scribbled, invariants kept");
#if TEST_POISON_ASAN
	TEST_ASSERT(__asan_address_is_poisoned(&m->pkt_len) &&
		__asan_address_is_poisoned(m) &&
		__asan_address_is_poisoned((char *)(m + 1) + ROOM - 1),
		"freed mbuf poisoned, metadata to the last data byte");
#endif
	return TEST_OK;
}

/* A fresh pool looks like one whose mbufs were all freed. */
static void
count_fresh(struct rte_mempool *mp, void *arg, void *obj,
		unsigned int idx __rte_unused)
{
#if TEST_POISON_ASAN
	*(unsigned int *)arg += __asan_address_is_poisoned(obj) &&
		__asan_address_is_poisoned((char *)obj + mp->elt_size - 1);
#else
	*(unsigned int *)arg += scribbled(mp, obj, ROOM);
#endif
}

static int
fresh_pool_poisoned(void)
{
	struct rte_mempool *mp = test_poison_pktmbuf_pool_create("pz_fresh", 32,
			0, ROOM, SOCKET_ID_ANY);
	unsigned int n = 0;

	TEST_ASSERT(mp != NULL, "create: %s", rte_strerror(rte_errno));
	TEST_ASSERT(test_poison_pool_is(mp) && mp->cache_size == 0,
		"poison ops, no cache");
	TEST_ASSERT_EQ(rte_mempool_avail_count(mp), 32, "all free");
	rte_mempool_obj_iter(mp, count_fresh, &n);
	TEST_ASSERT_EQ(n, 32, "every object poisoned after population");
	rte_mempool_free(mp);
	return TEST_OK;
}

static int
alloc_after_free_works(void)
{
	struct rte_mbuf *m[NB];

	TEST_ASSERT_EQ(rte_mempool_avail_count(pool), NB, "pool whole");
	for (int round = 0; round < 3; round++) {
		TEST_ASSERT(rte_pktmbuf_alloc_bulk(pool, m, NB) == 0, "alloc all");
		TEST_ASSERT_EQ(rte_mempool_avail_count(pool), 0, "none left");
		for (int i = 0; i < NB; i++) {
			uint8_t *d;

			TEST_ASSERT(m[i]->pkt_len == 0 && m[i]->data_len == 0 &&
				m[i]->nb_segs == 1 && m[i]->next == NULL &&
				rte_mbuf_refcnt_read(m[i]) == 1 &&
				m[i]->ol_flags == 0 && m[i]->tx_offload == 0 &&
				m[i]->data_off == RTE_PKTMBUF_HEADROOM &&
				m[i]->buf_addr == (void *)(m[i] + 1),
				"mbuf %d reset", i);
			d = (uint8_t *)rte_pktmbuf_append(m[i], ROOM -
				RTE_PKTMBUF_HEADROOM);
			TEST_ASSERT(d != NULL, "append the whole room");
			memset(d, i, ROOM - RTE_PKTMBUF_HEADROOM);
			TEST_ASSERT(d[0] == i && d[ROOM - RTE_PKTMBUF_HEADROOM - 1] == i,
				"data written");
		}
		/* Chained, then freed as one packet. */
		for (int i = 0; i + 1 < NB; i += 2)
			TEST_ASSERT(rte_pktmbuf_chain(m[i], m[i + 1]) == 0, "chain");
		for (int i = 0; i < NB; i += 2)
			rte_pktmbuf_free(m[i]);
		TEST_ASSERT_EQ(rte_mempool_avail_count(pool), NB, "all back");
	}
	return TEST_OK;
}

/* Run fn in a child; collect its stderr (up to len) and wait status. */
static int
in_child(void (*fn)(void), char *err, size_t len, int *status)
{
	int fd[2];
	size_t got = 0;
	ssize_t r;
	pid_t pid;

	if (pipe(fd) != 0)
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], STDERR_FILENO);
		fn();
		_exit(0);
	}
	close(fd[1]);
	while (got + 1 < len &&
			(r = read(fd[0], err + got, len - 1 - got)) > 0)
		got += (size_t)r;
	err[got] = '\0';
	/* Drain the rest so the child cannot block on a full pipe. */
	while (read(fd[0], (char[256]){ 0 }, 256) > 0)
		;
	close(fd[0]);
	return waitpid(pid, status, 0) == pid ? 0 : -1;
}

static void
read_freed_len(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(child_pool);
	volatile uint32_t *len;

	if (m == NULL)
		_exit(3);
	len = &m->pkt_len;
	rte_pktmbuf_free(m);
	fprintf(stderr, "read %u\n", *len);
}

static void
read_freed_data(void)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(child_pool);
	volatile uint8_t *d;

	if (m == NULL || rte_pktmbuf_append(m, 100) == NULL)
		_exit(3);
	d = rte_pktmbuf_mtod_offset(m, uint8_t *, 50);
	rte_pktmbuf_free(m);
	fprintf(stderr, "read %u\n", *d);
}

static int
expect_asan_report(void (*fn)(void), const char *what)
{
	static char err[16384];
	int st;

	TEST_ASSERT(in_child(fn, err, sizeof(err), &st) == 0, "fork");
	TEST_ASSERT(!(WIFEXITED(st) && WEXITSTATUS(st) == 0),
		"%s: the child lived: %s", what, err);
	TEST_ASSERT(strstr(err, "ERROR: AddressSanitizer: use-after-poison") !=
		NULL, "%s: no ASan report: %s", what, err);
	printf("#   %s: child %s %d, ASan: %.60s\n", what,
		WIFEXITED(st) ? "exit" : "signal",
		WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st),
		strstr(err, "ERROR: AddressSanitizer"));
	return TEST_OK;
}

static int
read_after_free_reported(void)
{
	TEST_SKIP_IF(!TEST_POISON_ASAN, "not an ASan build (the scribble "
		"case covers it)");
	TEST_RUN(expect_asan_report(read_freed_len, "metadata"));
	TEST_RUN(expect_asan_report(read_freed_data, "data room"));
	return TEST_OK;
}

static void
free_with_next(void)
{
	struct rte_mbuf *a = rte_pktmbuf_alloc(child_pool);
	struct rte_mbuf *b = rte_pktmbuf_alloc(child_pool);

	if (a == NULL || b == NULL)
		_exit(3);
	a->next = b;
	rte_mbuf_raw_free(a);
}

static void
free_indirect_raw(void)
{
	struct rte_mbuf *a = rte_pktmbuf_alloc(child_pool);
	struct rte_mbuf *b = rte_pktmbuf_alloc(child_pool);

	if (a == NULL || b == NULL)
		_exit(3);
	rte_pktmbuf_attach(b, a);
	/* Raw, without rte_pktmbuf_detach(): b still points into a. */
	b->ol_flags = 0;
	rte_mbuf_raw_free(b);
}

static int
expect_abort(void (*fn)(void), const char *why)
{
	static char err[4096];
	int st;

	TEST_ASSERT(in_child(fn, err, sizeof(err), &st) == 0, "fork");
	TEST_ASSERT(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT,
		"%s: child not aborted: %s", why, err);
	TEST_ASSERT(strstr(err, why) != NULL, "reason '%s': %s", why, err);
	return TEST_OK;
}

static int
bad_free_stops(void)
{
	TEST_RUN(expect_abort(free_with_next, "freed with next != NULL"));
	TEST_RUN(expect_abort(free_indirect_raw, "buffer not its own"));
	TEST_ASSERT_EQ(rte_mempool_avail_count(pool), NB, "parent's pool whole");
	return TEST_OK;
}

/* The engine takes mbufs with rte_mempool_get_bulk() and writes them as
 * rows (gso_offload_segment.c): what it does not write is scribbled. */
static int
engine_from_poison_pools(void)
{
	struct rte_mempool *sfp, *hdr, *copy;
	struct gso_offload_seg_ctx *eng = NULL;
	struct rte_mbuf *out[64];
	int ret = TEST_FAIL;

	sfp = test_poison_pktmbuf_pool_create("pz_sf", 64, 0, UINT16_MAX,
			SOCKET_ID_ANY);
	hdr = test_poison_seg_pool_create("pz_hdr", 512,
			GSO_OFFLOAD_MAX_HDR_LEN, SOCKET_ID_ANY);
	copy = test_poison_seg_pool_create("pz_copy", 512,
			RTE_MBUF_DEFAULT_DATAROOM, SOCKET_ID_ANY);
	TEST_CHECK(sfp != NULL && hdr != NULL && copy != NULL, "pools");
	eng = gso_offload_seg_create(&(struct gso_offload_seg_conf){
		.hdr_pool = hdr, .ref_pool = hdr, .copy_pool = copy }, 0);
	TEST_CHECK(eng != NULL, "engine");
	for (int round = 0; round < 2; round++)
	for (int l4 = 0; l4 < 2; l4++)
	for (int lay = 0; lay < TEST_LAYOUT_NB; lay++)
	for (int b = 0; b < 2; b++) {
		struct test_sf_spec s = {
			.l2 = TEST_L2_HW_VLAN, .l3 = l4 ? 6 : 4,
			.l4 = l4 ? IPPROTO_UDP : IPPROTO_TCP,
			.payload_len = 9001, .mss = 1000, .layout = lay,
			.seed = (uint32_t)(round * 8 + lay * 2 + b),
		};
		const uint8_t buf = b ? GSO_OFFLOAD_BUF_COPY :
			GSO_OFFLOAD_BUF_ZEROCOPY;
		struct gso_offload_seg_params prm = {
			.mss = s.mss, .buffers = buf,
			.proto = l4 ? GSO_OFFLOAD_SEG_UDP : GSO_OFFLOAD_SEG_TCP,
		};
		struct test_seg_check chk = { .spec = &s, .dyn_offset = -1,
			.port = 3, .rss = 0xfeedbeef };
		struct rte_mbuf *sf = test_sf_build(sfp, &s);
		uint8_t *orig;
		bool ok;
		int n;

		TEST_CHECK(sf != NULL, "build");
		orig = test_mbuf_bytes(sf, &chk.orig_len);
		chk.orig = orig;
		n = gso_offload_segment(eng, sf, &prm, out, RTE_DIM(out));
		if (n < 0)
			rte_pktmbuf_free(sf);
		ok = n == 10 && test_seg_verify(&chk, out, (unsigned int)n);
		if (n > 0)
			rte_pktmbuf_free_bulk(out, (unsigned int)n);
		free(orig);
		TEST_CHECK(ok, "segments (l4 %d layout %d buffers %u): n %d",
			l4, lay, buf, n);
		TEST_CHECK(rte_mempool_in_use_count(sfp) == 0 &&
			rte_mempool_in_use_count(hdr) == 0 &&
			rte_mempool_in_use_count(copy) == 0, "pools whole");
	}
	ret = TEST_OK;
out:
	gso_offload_seg_free(eng);
	rte_mempool_free(copy);
	rte_mempool_free(hdr);
	rte_mempool_free(sfp);
	return ret;
}

/* Freed pool memory is handed back unpoisoned, or DPDK's next user of it
 * would be reported. */
static int
pool_free_unpoisons(void)
{
	struct rte_mempool *mp = test_poison_pktmbuf_pool_create("pz_gone", 8,
			0, ROOM, SOCKET_ID_ANY);
	struct rte_mbuf *m;

	TEST_ASSERT(mp != NULL, "create");
	m = rte_pktmbuf_alloc(mp);
	TEST_ASSERT(m != NULL, "alloc");
	rte_pktmbuf_free(m);
	rte_mempool_free(mp);
#if TEST_POISON_ASAN
	TEST_ASSERT(!__asan_address_is_poisoned(m) &&
		!__asan_address_is_poisoned((char *)(m + 1) + ROOM - 1),
		"pool memory unpoisoned");
#else
	TEST_SKIP_IF(true, "not an ASan build");
#endif
	return TEST_OK;
}

static int
setup(void)
{
	pool = test_poison_pktmbuf_pool_create("pz_pool", NB, 0, ROOM,
			SOCKET_ID_ANY);
	child_pool = test_poison_pktmbuf_pool_create("pz_child", NB, 0, ROOM,
			SOCKET_ID_ANY);
	return pool == NULL || child_pool == NULL ? -1 : 0;
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		TEST_CASE(freed_mbuf_scribbled),
		TEST_CASE(fresh_pool_poisoned),
		TEST_CASE(alloc_after_free_works),
		TEST_CASE(read_after_free_reported),
		TEST_CASE(bad_free_stops),
		TEST_CASE(engine_from_poison_pools),
		TEST_CASE(pool_free_unpoisons),
	};
	const struct test_suite suite = {
		.name = "poison",
		.setup = setup,
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = true,
	};
	return test_suite_run(&suite, argc, argv);
}
