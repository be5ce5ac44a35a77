/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * gso-fwd's hold queue (app/gso-fwd/fwd_loop.c): what the pipeline does not
 * take — a port held for a restart, or a full queue — waits per worker and
 * egress port, in order, up to --hold packets; the excess is dropped and
 * counted; held packets leave before newer ones once the port takes
 * packets again; at exit what is still refused is freed and counted.
 *
 * The egress is a ring port: not yet under gso_offload (the pipeline
 * returns every burst untouched, as for a held port), then configured and
 * started by the library, then stopped by it (held). Every packet is
 * numbered in its first byte, so order is checked on the ring.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "fwd.h"
#include "gso_offload.h"
#include "test.h"
#include "test_env.h"
#include "test_poison.h"

/* What fwd_loop.c uses from the rest of gso-fwd (main.c). */
struct fwd_config fwd_cfg;
struct fwd_lcore fwd_lcores[RTE_MAX_LCORE];
unsigned int fwd_nb_lcores;
volatile sig_atomic_t fwd_quit;

#define BOUND 4

static struct rte_mempool *pool, *seg_pool;
static struct rte_ring *ring;
static uint16_t port = TEST_NO_PORT;
static struct fwd_lcore *lc;
static struct fwd_rx rx;

static struct rte_mbuf *
numbered(uint8_t k)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	uint8_t *d;

	if (m == NULL)
		return NULL;
	d = (uint8_t *)rte_pktmbuf_append(m, 60);
	if (d == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memset(d, 0, 60);
	d[0] = k;
	return m;
}

/* Hand n packets numbered from first to the worker's egress. */
static int
offer(uint8_t first, unsigned int n)
{
	struct rte_mbuf *pkts[16];

	for (unsigned int i = 0; i < n; i++) {
		pkts[i] = numbered((uint8_t)(first + i));
		TEST_ASSERT(pkts[i] != NULL, "alloc");
	}
	fwd_hand_over(lc, &rx, pkts, n, &lc->cnt[port]);
	return TEST_OK;
}

/* The numbers of what the ring port got, in order; freed. */
static unsigned int
taken(uint8_t *nums, unsigned int max)
{
	void *got[32];
	unsigned int n = rte_ring_dequeue_burst(ring, got, RTE_MIN(max, 32u),
			NULL);

	for (unsigned int i = 0; i < n; i++) {
		nums[i] = *rte_pktmbuf_mtod((struct rte_mbuf *)got[i], uint8_t *);
		rte_pktmbuf_free(got[i]);
	}
	return n;
}

#define CNT(f) (lc->cnt[port].f)

static int
bound_then_in_order(void)
{
	uint8_t nums[32];
	unsigned int n;

	/* Not under gso_offload: the pipeline takes nothing. */
	TEST_RUN(offer(0, 10));
	TEST_ASSERT_EQ(lc->hold[port]->count, BOUND, "held up to the bound");
	TEST_ASSERT_EQ(CNT(hold_pkts), BOUND, "held, counted");
	TEST_ASSERT_EQ(CNT(hold_dropped), 10 - BOUND, "the excess counted");
	TEST_ASSERT_EQ(CNT(tx_pkts), 0, "nothing sent");
	TEST_ASSERT_EQ(rte_mempool_in_use_count(pool), BOUND,
		"the excess freed");
	TEST_RUN(offer(10, 3));
	TEST_ASSERT_EQ(CNT(hold_dropped), 10 - BOUND + 3, "full: all counted");
	TEST_ASSERT(!fwd_holds_retry(lc), "still refused");

	/* The port comes under the library: the held ones leave, oldest
	 * first, on the next retry (no new traffic needed). */
	TEST_ASSERT_EQ(test_lib_port_up(port, pool, 1, 64), 0, "port up");
	TEST_ASSERT(fwd_holds_retry(lc), "hold queue emptied");
	n = taken(nums, 32);
	TEST_ASSERT_EQ(n, BOUND, "the held packets reached the port");
	for (unsigned int i = 0; i < n; i++)
		TEST_ASSERT_EQ(nums[i], i, "in order");
	TEST_ASSERT_EQ(CNT(tx_pkts), BOUND, "counted as sent");

	/* Held for a stop; a newer packet waits behind the older ones. */
	TEST_ASSERT_EQ(gso_offload_port_stop(port), 0, "stop");
	TEST_RUN(offer(20, 2));
	TEST_ASSERT_EQ(lc->hold[port]->count, 2, "held while stopped");
	TEST_ASSERT_EQ(gso_offload_port_start(port), 0, "start");
	TEST_RUN(offer(22, 1));
	n = taken(nums, 32);
	TEST_ASSERT_EQ(n, 3, "all three sent");
	for (unsigned int i = 0; i < n; i++)
		TEST_ASSERT_EQ(nums[i], 20 + i, "held ones first");
	TEST_ASSERT_EQ(lc->hold[port]->count, 0, "empty");
	return TEST_OK;
}

static int
drained_at_exit(void)
{
	uint64_t dropped = CNT(hold_dropped);

	TEST_ASSERT_EQ(gso_offload_port_stop(port), 0, "stop");
	TEST_RUN(offer(30, 3));
	TEST_ASSERT_EQ(lc->hold[port]->count, 3, "held");
	fwd_holds_drain(lc);
	TEST_ASSERT_EQ(lc->hold[port]->count, 0, "drained");
	TEST_ASSERT_EQ(CNT(hold_dropped) - dropped, 3, "counted");
	TEST_ASSERT_EQ(rte_mempool_in_use_count(pool), rte_ring_count(ring),
		"every mbuf back but what the ring port has");
	TEST_ASSERT_EQ(gso_offload_port_start(port), 0, "start");
	return TEST_OK;
}

static int
no_hold_drops_at_once(void)
{
	struct fwd_hold *h = lc->hold[port];
	uint64_t full = CNT(tx_full_dropped);

	TEST_ASSERT_EQ(gso_offload_port_stop(port), 0, "stop");
	lc->hold[port] = NULL;          /* --hold 0 */
	TEST_RUN(offer(40, 2));
	lc->hold[port] = h;
	TEST_ASSERT_EQ(CNT(tx_full_dropped) - full, 2, "dropped, counted");
	TEST_ASSERT_EQ(gso_offload_port_start(port), 0, "start");
	return TEST_OK;
}

static int
setup(void)
{
	struct gso_offload_tx_conf tc;

	pool = test_poison_pktmbuf_pool_create("hold_pool", 1024, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	seg_pool = test_poison_seg_pool_create("hold_seg", 1024,
			GSO_OFFLOAD_MAX_HDR_LEN, SOCKET_ID_ANY);
	ring = rte_ring_create("hold_r", 256, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (pool == NULL || seg_pool == NULL || ring == NULL)
		return -1;
	port = (uint16_t)rte_eth_from_rings("hold_ring", &ring, 1, &ring, 1,
			SOCKET_ID_ANY);
	if (port >= RTE_MAX_ETHPORTS)
		return -1;
	fwd_cfg.hold = BOUND;
	lc = &fwd_lcores[0];
	tc = (struct gso_offload_tx_conf){ .seg_pool = seg_pool,
		.socket_id = SOCKET_ID_ANY };
	lc->tx = gso_offload_tx_create(&tc);
	lc->cnt = rte_zmalloc(NULL, sizeof(*lc->cnt) * RTE_MAX_ETHPORTS, 0);
	lc->hold[port] = rte_zmalloc(NULL, sizeof(*lc->hold[port]) +
			BOUND * sizeof(lc->hold[port]->pkts[0]), 0);
	if (lc->tx == NULL || lc->cnt == NULL || lc->hold[port] == NULL)
		return -1;
	lc->hold[port]->port = port;
	rx = (struct fwd_rx){ .port = port, .dst = port };
	lc->rx[0] = rx;
	lc->nb_rx = 1;
	fwd_nb_lcores = 1;
	return 0;
}

static void
teardown(void)
{
	void *m;

	test_lib_port_down(port);
	while (rte_ring_dequeue(ring, &m) == 0)
		rte_pktmbuf_free(m);
	gso_offload_tx_free(lc->tx);
}

static const struct test_case cases[] = {
	TEST_CASE(bound_then_in_order),
	TEST_CASE(drained_at_exit),
	TEST_CASE(no_hold_drops_at_once),
};

int
main(int argc, char **argv)
{
	const struct test_suite suite = {
		.name = "fwd_hold",
		.setup = setup,
		.teardown = teardown,
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = true,
	};

	return test_suite_run(&suite, argc, argv);
}
