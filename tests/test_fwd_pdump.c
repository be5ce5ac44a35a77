/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * gso-fwd's callback removal (app/gso-fwd/fwd_pdump.c): once
 * rte_eth_remove_rx_callback() or rte_eth_remove_tx_callback() returns, no
 * forwarding lcore may still run the callback, because rte_pdump lets
 * dpdk-dumpcap free what its callbacks write into as soon as removal
 * returns. ethdev's own removal does not wait.
 *
 * A worker lcore forwards net_null's RX to its TX through the pipeline,
 * as gso-fwd's workers do. A callback that takes far longer than the rest
 * of the loop counts its entries and exits. Each round adds the callback,
 * waits until the worker has entered it, removes it, and then requires
 * entries == exits: no run in flight. With ethdev's removal alone, a run
 * is in flight in most rounds, so the case fails.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "fwd.h"
#include "gso_offload.h"
#include "test.h"
#include "test_env.h"
#include "test_poison.h"

#define ROUNDS 40
#define CB_SPIN 20000   /* loop turns per callback run: most of a round */

static struct rte_mempool *rx_pool, *seg_pool, *copy_pool;
static uint16_t port = TEST_NO_PORT;

/* The worker: net_null RX to TX through the pipeline, until stop. */
struct worker {
	struct gso_offload_tx *tx;
	volatile bool stop;
	uint64_t loops;         /* loop turns done (atomic) */
};

/* The slow callback's counts. */
struct slow_cb {
	uint64_t entered, exited;       /* atomic */
};

static int
worker_main(void *arg)
{
	struct worker *w = arg;
	struct rte_mbuf *pkts[32];

	gso_offload_tx_online(w->tx);
	while (!w->stop) {
		uint16_t n = rte_eth_rx_burst(port, 0, pkts, RTE_DIM(pkts));
		uint16_t sent = n == 0 ? 0 :
			gso_offload_tx_burst(w->tx, port, 0, pkts, n);

		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		if (n == 0)
			gso_offload_tx_quiescent(w->tx);
		__atomic_fetch_add(&w->loops, 1, __ATOMIC_RELEASE);
	}
	gso_offload_tx_offline(w->tx);
	return 0;
}

/* Work, not waiting: it widens the window a removal must close. */
static void
slow_cb_run(struct slow_cb *s)
{
	volatile uint32_t spin = 0;

	__atomic_fetch_add(&s->entered, 1, __ATOMIC_ACQ_REL);
	while (spin < CB_SPIN)
		spin = spin + 1;
	__atomic_fetch_add(&s->exited, 1, __ATOMIC_ACQ_REL);
}

static uint16_t
slow_rx_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts, uint16_t max_pkts, void *arg)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(queue);
	RTE_SET_USED(pkts);
	RTE_SET_USED(max_pkts);
	slow_cb_run(arg);
	return nb_pkts;
}

static uint16_t
slow_tx_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts, void *arg)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(queue);
	RTE_SET_USED(pkts);
	slow_cb_run(arg);
	return nb_pkts;
}

/* Add, wait for a run to start, remove, and find none still running. */
static int
removal_rounds(bool tx)
{
	struct gso_offload_tx_conf tc = { .seg_pool = seg_pool,
		.copy_pool = copy_pool, .socket_id = SOCKET_ID_ANY };
	unsigned int lcore = rte_get_next_lcore(-1, 1, 0);
	struct worker w = { .tx = NULL };
	struct slow_cb s = { 0 };
	int rc = TEST_FAIL;

	TEST_SKIP_IF(lcore >= RTE_MAX_LCORE, "needs a worker lcore");
	w.tx = gso_offload_tx_create(&tc);
	TEST_ASSERT(w.tx != NULL, "pipeline");
	rte_eal_remote_launch(worker_main, &w, lcore);
	/* The worker is online once it has turned once. */
	while (__atomic_load_n(&w.loops, __ATOMIC_ACQUIRE) == 0)
		rte_pause();

	for (int r = 0; r < ROUNDS; r++) {
		uint64_t before = __atomic_load_n(&s.entered, __ATOMIC_ACQUIRE);
		const struct rte_eth_rxtx_callback *cb = tx ?
			rte_eth_add_tx_callback(port, 0, slow_tx_cb, &s) :
			rte_eth_add_rx_callback(port, 0, slow_rx_cb, &s);
		uint64_t in, out;
		int ret;

		TEST_CHECK(cb != NULL, "round %d: callback not added", r);
		while (__atomic_load_n(&s.entered, __ATOMIC_ACQUIRE) == before)
			rte_pause();
		ret = tx ? rte_eth_remove_tx_callback(port, 0, cb) :
			rte_eth_remove_rx_callback(port, 0, cb);
		TEST_CHECK(ret == 0, "round %d: removal: %d", r, ret);
		out = __atomic_load_n(&s.exited, __ATOMIC_ACQUIRE);
		in = __atomic_load_n(&s.entered, __ATOMIC_ACQUIRE);
		TEST_CHECK(in == out, "round %d: %" PRIu64 " runs entered, %"
			PRIu64 " done when removal returned", r, in, out);
	}
	rc = TEST_OK;
out:
	w.stop = true;
	rte_eal_mp_wait_lcore();
	gso_offload_tx_free(w.tx);
	return rc;
}

static int
rx_callback_removal_waits(void)
{
	return removal_rounds(false);
}

static int
tx_callback_removal_waits(void)
{
	return removal_rounds(true);
}

/* No port, no wait: ethdev's answer comes back unchanged. */
static int
removal_errors_pass_through(void)
{
	static const struct rte_eth_rxtx_callback *none;

	TEST_ASSERT_EQ(rte_eth_remove_tx_callback(RTE_MAX_ETHPORTS, 0, none),
		-ENODEV, "TX, no such port");
	TEST_ASSERT_EQ(rte_eth_remove_rx_callback(RTE_MAX_ETHPORTS, 0, none),
		-ENODEV, "RX, no such port");
	TEST_ASSERT_EQ(rte_eth_remove_tx_callback(port, 0, none), -EINVAL,
		"TX, no callback");
	return TEST_OK;
}

static int
setup(void)
{
	if (fwd_pdump_init() != 0)
		return -1;
	rx_pool = test_poison_pktmbuf_pool_create("pd_rx", 4096, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	seg_pool = test_poison_seg_pool_create("pd_seg", 1024,
			GSO_OFFLOAD_MAX_HDR_LEN, SOCKET_ID_ANY);
	copy_pool = test_poison_seg_pool_create("pd_copy", 1024,
			RTE_MBUF_DEFAULT_DATAROOM, SOCKET_ID_ANY);
	if (rx_pool == NULL || seg_pool == NULL || copy_pool == NULL)
		return -1;
	port = test_vdev("net_null0", NULL);
	if (port == TEST_NO_PORT)
		return -1;
	return test_lib_port_up(port, rx_pool, 1, 256);
}

static void
teardown(void)
{
	test_lib_port_down(port);
	test_port_close(port);
}

static const struct test_case cases[] = {
	TEST_CASE(rx_callback_removal_waits),
	TEST_CASE(tx_callback_removal_waits),
	TEST_CASE(removal_errors_pass_through),
};

static const char *const eal_args[] = { "--lcores=0@0,1@1", NULL };

int
main(int argc, char **argv)
{
	const struct test_suite suite = {
		.name = "fwd_pdump",
		.eal_args = eal_args,
		.setup = setup,
		.teardown = teardown,
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = true,
	};

	return test_suite_run(&suite, argc, argv);
}
