/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * The library's reliances on DPDK internals (lib/gso_offload/
 * gso_dpdk_internal.c), each held against what ethdev itself says, so that
 * a DPDK version that breaks one fails here, naming it, rather than as a
 * wrong answer somewhere downstream.
 *
 * "Is the port started" (gso_dpdk_port_started(), from rte_eth_fp_ops):
 * ethdev has no public query, but rte_eth_dev_configure() refuses a
 * started port with -EBUSY and configures a stopped one; that has been so
 * since the first DPDK releases. Every check asks both, and also the
 * public gso_offload_port_is_started() for a port the library does not
 * know (its only source is then the internal read). Ports: net_null and
 * net_ring (two PMDs, two ways of creating a port), with RX and TX
 * queues, TX only and RX only (ethdev's queue array of the missing
 * direction is NULL), started and stopped several times.
 */

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include <rte_ethdev.h>
#include <rte_eth_ring.h>
#include <rte_mbuf.h>
#include <rte_ring.h>
#include <rte_version.h>

#include "gso_dpdk_internal.h"
#include "gso_offload.h"
#include "test.h"
#include "test_env.h"

#define CYCLES 3

static struct rte_mempool *pool;

/* A fresh net_null port (vdev names are unique within a process). */
static uint16_t
null_port_new(void)
{
	static unsigned int seq;
	char name[32];

	snprintf(name, sizeof(name), "net_null%u", seq++);
	return test_vdev(name, NULL);
}

/* A port as the test configures it, so that it can configure it again. */
struct probe_port {
	uint16_t id;
	uint16_t nb_rxq, nb_txq;
};

static int
probe_setup(const struct probe_port *p)
{
	struct rte_eth_conf conf = { 0 };
	int ret;

	ret = rte_eth_dev_configure(p->id, p->nb_rxq, p->nb_txq, &conf);
	if (ret != 0)
		return ret;
	for (uint16_t q = 0; q < p->nb_rxq; q++) {
		ret = rte_eth_rx_queue_setup(p->id, q, 64, SOCKET_ID_ANY, NULL,
				pool);
		if (ret != 0)
			return ret;
	}
	for (uint16_t q = 0; q < p->nb_txq; q++) {
		ret = rte_eth_tx_queue_setup(p->id, q, 64, SOCKET_ID_ANY, NULL);
		if (ret != 0)
			return ret;
	}
	return 0;
}

/*
 * Ethdev's own answer: rte_eth_dev_configure() is -EBUSY on a started
 * port. On a stopped one it succeeds, so the queues are set up again and
 * the port is as before. Returns 1 started, 0 stopped, or the error that
 * makes the probe unusable.
 */
static int
ethdev_says_started(const struct probe_port *p)
{
	struct rte_eth_conf conf = { 0 };
	int ret;

	ret = rte_eth_dev_configure(p->id, p->nb_rxq, p->nb_txq, &conf);
	if (ret == -EBUSY)
		return 1;
	if (ret != 0)
		return ret;
	ret = probe_setup(p);
	return ret == 0 ? 0 : ret;
}

/*
 * The port is in state `want` (the test just started or stopped it): the
 * internal read, ethdev's answer and the library's public query must all
 * say so.
 */
static int
check_state(const struct probe_port *p, bool want, const char *when)
{
	bool internal = gso_dpdk_port_started(p->id);
	bool lib = gso_offload_port_is_started(p->id);
	int ethdev = ethdev_says_started(p);

	TEST_ASSERT(ethdev >= 0, "%s: port %u: rte_eth_dev_configure() no "
		"longer tells a started port (%d): the check itself needs "
		"another oracle on %s", when, p->id, ethdev, rte_version());
	TEST_ASSERT(ethdev == want, "%s: port %u: ethdev says %s, the test "
		"expected %s", when, p->id, ethdev ? "started" : "stopped",
		want ? "started" : "stopped");
	TEST_ASSERT(internal == want, "%s: port %u is %s but "
		"gso_dpdk_port_started() says %s: %s broke the reliance on "
		"rte_eth_fp_ops (rxq.data != txq.data only while started; "
		"lib/gso_offload/gso_dpdk_internal.c)", when, p->id,
		want ? "started" : "stopped", internal ? "started" : "stopped",
		rte_version());
	TEST_ASSERT(lib == want, "%s: port %u: gso_offload_port_is_started() "
		"says %s", when, p->id, lib ? "started" : "stopped");
	return TEST_OK;
}

/* Configured, then started and stopped CYCLES times. */
static int
start_stop_cycles(const struct probe_port *p)
{
	char when[64];

	TEST_ASSERT_EQ(probe_setup(p), 0, "port %u: configure", p->id);
	TEST_RUN(check_state(p, false, "configured"));
	for (int c = 0; c < CYCLES; c++) {
		TEST_ASSERT_EQ(rte_eth_dev_start(p->id), 0, "start %d", c);
		snprintf(when, sizeof(when), "started (%d)", c);
		TEST_RUN(check_state(p, true, when));
		TEST_ASSERT_EQ(rte_eth_dev_stop(p->id), 0, "stop %d", c);
		snprintf(when, sizeof(when), "stopped (%d)", c);
		TEST_RUN(check_state(p, false, when));
	}
	return TEST_OK;
}

/* A port with the given queues on a fresh net_null vdev. */
static int
null_port_cycles(uint16_t nb_rxq, uint16_t nb_txq)
{
	struct probe_port p = { .nb_rxq = nb_rxq, .nb_txq = nb_txq };
	int rc;

	p.id = null_port_new();
	TEST_ASSERT(p.id != TEST_NO_PORT, "net_null vdev");
	rc = start_stop_cycles(&p);
	test_port_close(p.id);
	return rc;
}

static int
null_port_rx_and_tx(void)
{
	return null_port_cycles(1, 1);
}

static int
null_port_tx_only(void)
{
	return null_port_cycles(0, 1);
}

static int
null_port_rx_only(void)
{
	return null_port_cycles(1, 0);
}

static int
ring_port_rx_and_tx(void)
{
	static unsigned int seq;
	struct probe_port p = { .nb_rxq = 1, .nb_txq = 1 };
	struct rte_ring *ring;
	char name[RTE_RING_NAMESIZE];
	int ret, rc;

	snprintf(name, sizeof(name), "dpi_ring%u", seq++);
	ring = rte_ring_create(name, 256, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	TEST_ASSERT(ring != NULL, "ring");
	ret = rte_eth_from_rings(name, &ring, 1, &ring, 1, SOCKET_ID_ANY);
	if (ret < 0) {
		rte_ring_free(ring);
		TEST_ASSERT(false, "rte_eth_from_rings: %d", ret);
	}
	p.id = (uint16_t)ret;
	rc = start_stop_cycles(&p);
	test_port_close(p.id);
	rte_ring_free(ring);
	return rc;
}

/* A port's state is its own: starting one port changes no other. */
static int
ports_are_independent(void)
{
	struct probe_port a = { .nb_rxq = 1, .nb_txq = 1 };
	struct probe_port b = { .nb_rxq = 1, .nb_txq = 1 };
	int rc = TEST_FAIL;

	a.id = null_port_new();
	b.id = null_port_new();
	TEST_CHECK(a.id != TEST_NO_PORT && b.id != TEST_NO_PORT, "vdevs");
	TEST_CHECK(probe_setup(&a) == 0 && probe_setup(&b) == 0, "configure");
	TEST_CHECK(rte_eth_dev_start(a.id) == 0, "start a");
	TEST_CHECK(check_state(&a, true, "a started") == TEST_OK, "a");
	TEST_CHECK(check_state(&b, false, "b never started") == TEST_OK, "b");
	TEST_CHECK(rte_eth_dev_start(b.id) == 0, "start b");
	TEST_CHECK(rte_eth_dev_stop(a.id) == 0, "stop a");
	TEST_CHECK(check_state(&a, false, "a stopped") == TEST_OK, "a");
	TEST_CHECK(check_state(&b, true, "b started") == TEST_OK, "b");
	rc = TEST_OK;
out:
	if (a.id != TEST_NO_PORT)
		test_port_close(a.id);
	if (b.id != TEST_NO_PORT)
		test_port_close(b.id);
	return rc;
}

/* Never configured, closed, or no port at all: not started. */
static int
unconfigured_closed_and_invalid_ports(void)
{
	struct probe_port p = { .nb_rxq = 1, .nb_txq = 1 };
	uint16_t id = null_port_new();

	TEST_ASSERT(id != TEST_NO_PORT, "net_null vdev");
	TEST_ASSERT(!gso_dpdk_port_started(id), "port %u, never configured, "
		"read as started: %s broke the reliance on rte_eth_fp_ops "
		"(lib/gso_offload/gso_dpdk_internal.c)", id, rte_version());
	p.id = id;
	TEST_ASSERT_EQ(probe_setup(&p), 0, "configure");
	TEST_ASSERT_EQ(rte_eth_dev_start(id), 0, "start");
	TEST_ASSERT(gso_dpdk_port_started(id), "started");
	test_port_close(id);
	TEST_ASSERT(!gso_dpdk_port_started(id), "port %u, closed, read as "
		"started", id);
	TEST_ASSERT(!gso_dpdk_port_started(RTE_MAX_ETHPORTS), "no such port");
	return TEST_OK;
}

static int
setup(void)
{
	pool = rte_pktmbuf_pool_create("dpi_pool", 1023, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	return pool == NULL ? -1 : 0;
}

static const struct test_case cases[] = {
	TEST_CASE(null_port_rx_and_tx),
	TEST_CASE(null_port_tx_only),
	TEST_CASE(null_port_rx_only),
	TEST_CASE(ring_port_rx_and_tx),
	TEST_CASE(ports_are_independent),
	TEST_CASE(unconfigured_closed_and_invalid_ports),
};

int
main(int argc, char **argv)
{
	const struct test_suite suite = {
		.name = "dpdk_internal",
		.setup = setup,
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = true,
	};

	return test_suite_run(&suite, argc, argv);
}
