/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * The order in which the library sets a port's queues up. net_tap since
 * DPDK 24.07 shares one fd between the RX and TX queue of an index and
 * initialises the TX queue's TSO context only when the TX queue is set up
 * first: with RX first every TSO packet fails (tx_burst 0, oerrors +1).
 * On 22.11 nothing shows the difference, so this test watches the calls
 * themselves: it interposes rte_eth_rx/tx_queue_setup (this executable's
 * definitions win over librte_ethdev's, also for the library linked
 * into it), records each call and forwards it to ethdev.
 *
 * Ports are net_null vdevs (no root needed).
 */

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "gso_offload.h"
#include "test.h"
#include "test_env.h"

#define MAX_CALLS 64

struct qcall {
	char kind;              /* 'R' or 'T' */
	uint16_t port;
	uint16_t queue;
};

static struct qcall calls[MAX_CALLS];
static unsigned int nb_calls;
static struct rte_mempool *pool;

static void
record(char kind, uint16_t port, uint16_t queue)
{
	if (nb_calls < MAX_CALLS)
		calls[nb_calls] = (struct qcall){ kind, port, queue };
	nb_calls++;
}

typedef int (*rxq_setup_fn)(uint16_t, uint16_t, uint16_t, unsigned int,
		const struct rte_eth_rxconf *, struct rte_mempool *);
typedef int (*txq_setup_fn)(uint16_t, uint16_t, uint16_t, unsigned int,
		const struct rte_eth_txconf *);

int
rte_eth_rx_queue_setup(uint16_t port_id, uint16_t rx_queue_id,
		uint16_t nb_rx_desc, unsigned int socket_id,
		const struct rte_eth_rxconf *rx_conf, struct rte_mempool *mb_pool)
{
	static rxq_setup_fn real;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "rte_eth_rx_queue_setup");
	if (real == NULL)
		return -ENOSYS;
	record('R', port_id, rx_queue_id);
	return real(port_id, rx_queue_id, nb_rx_desc, socket_id, rx_conf,
		mb_pool);
}

int
rte_eth_tx_queue_setup(uint16_t port_id, uint16_t tx_queue_id,
		uint16_t nb_tx_desc, unsigned int socket_id,
		const struct rte_eth_txconf *tx_conf)
{
	static txq_setup_fn real;

	if (real == NULL)
		*(void **)&real = dlsym(RTLD_NEXT, "rte_eth_tx_queue_setup");
	if (real == NULL)
		return -ENOSYS;
	record('T', port_id, tx_queue_id);
	return real(port_id, tx_queue_id, nb_tx_desc, socket_id, tx_conf);
}

/* Every queue index set up both ways, its TX queue before its RX queue. */
static int
check_tx_first(uint16_t port, uint16_t nb_queues)
{
	TEST_ASSERT(nb_calls <= MAX_CALLS, "%u calls recorded", nb_calls);
	for (uint16_t q = 0; q < nb_queues; q++) {
		int rx = -1, tx = -1;

		for (unsigned int i = 0; i < nb_calls; i++) {
			if (calls[i].port != port || calls[i].queue != q)
				continue;
			if (calls[i].kind == 'T' && tx < 0)
				tx = (int)i;
			if (calls[i].kind == 'R' && rx < 0)
				rx = (int)i;
		}
		TEST_ASSERT(tx >= 0 && rx >= 0, "queue %u set up both ways", q);
		TEST_ASSERT(tx < rx,
			"queue %u: TX set up at call %d, after RX at call %d",
			q, tx, rx);
	}
	return TEST_OK;
}

static int
library_sets_tx_queues_up_first(void)
{
	uint16_t port = test_vdev("net_null_qorder0", NULL);
	int rc;

	TEST_ASSERT(port != TEST_NO_PORT, "net_null");
	nb_calls = 0;
	rc = test_lib_port_up(port, pool, 2, 256);
	if (rc == 0)
		rc = check_tx_first(port, 2);
	else
		printf("# port up: %s\n", strerror(-rc));
	test_lib_port_down(port);
	test_port_close(port);
	return rc == 0 ? TEST_OK : TEST_FAIL;
}

/* The tests' own plain setup (used on tap ports by the netns tests). */
static int
test_helper_sets_tx_queue_up_first(void)
{
	uint16_t port = test_vdev("net_null_qorder1", NULL);
	int rc;

	TEST_ASSERT(port != TEST_NO_PORT, "net_null");
	nb_calls = 0;
	rc = test_port_start_simple(port, pool, 0);
	if (rc == 0)
		rc = check_tx_first(port, 1);
	test_port_close(port);
	return rc == 0 ? TEST_OK : TEST_FAIL;
}

static int
setup(void)
{
	pool = rte_pktmbuf_pool_create("qorder_pool", 2048, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	return pool == NULL;
}

static const struct test_case cases[] = {
	TEST_CASE(library_sets_tx_queues_up_first),
	TEST_CASE(test_helper_sets_tx_queue_up_first),
};

int
main(int argc, char **argv)
{
	const struct test_suite suite = {
		.name = "queue_order",
		.setup = setup,
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = true,
	};

	return test_suite_run(&suite, argc, argv);
}
