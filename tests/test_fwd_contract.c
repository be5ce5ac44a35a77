/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * gso-fwd's contract checker (app/gso-fwd/fwd_contract.c) can fail: packets
 * handed straight to a port's TX queue (rte_eth_tx_burst(), past the
 * pipeline) that break the contract are counted by kind, those that keep it
 * are not.
 *
 * The port is a ring port under a test provider that declares LSO for
 * IPv4 and IPv6 but configures no TSO on the port (net_ring has none):
 * a TSO packet of an active keyword is then "no-offload"; one of a keyword
 * turned off (the change bracketed as gso-fwd's console does) is
 * "not-active"; a plain frame over the MTU is "oversize"; a plain frame
 * within it is fine.
 */

#include <errno.h>
#include <string.h>

#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "fwd.h"
#include "gso_offload.h"
#include "test.h"
#include "test_env.h"
#include "test_poison.h"

static struct rte_mempool *pool;
static struct rte_ring *ring;
static uint16_t port = TEST_NO_PORT;

static int
lso_describe(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_caps *caps, struct gso_offload_port_limits *lim)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(info);
	gso_offload_caps_init(caps, GSO_OFFLOAD_L3_IPV4_NO_OPTIONS |
			GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS,
			GSO_OFFLOAD_L4_TCP_NO_OPTIONS, 65535, 2, NULL, NULL);
	lim->mtu = 1500;
	return 0;
}

/* No TSO in the port's configuration: net_ring would refuse it. */
static uint64_t
no_tso(uint16_t port_id, const struct gso_offload_active *a,
		const struct gso_offload_port_limits *lim, uint64_t app)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(a);
	RTE_SET_USED(lim);
	return app;
}

static const struct gso_offload_provider lso_provider = {
	.name = "test-lso", .describe = lso_describe, .tx_offloads = no_tso,
};

/* Send one frame of len bytes straight to the port's queue. */
static int
send_raw(uint32_t len, uint64_t flags)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
	void *got[4];
	char *d;

	TEST_ASSERT(m != NULL, "alloc");
	d = rte_pktmbuf_append(m, (uint16_t)len);
	TEST_ASSERT(d != NULL, "room for %u bytes", len);
	memset(d, 0, len);
	m->ol_flags = flags;
	m->l2_len = 14;
	m->l3_len = flags & RTE_MBUF_F_TX_IPV6 ? 40 : 20;
	m->l4_len = 20;
	m->tso_segsz = flags ? 1000 : 0;
	if (rte_eth_tx_burst(port, 0, &m, 1) != 1) {
		rte_pktmbuf_free(m);
		TEST_ASSERT(false, "the ring took nothing");
	}
	rte_pktmbuf_free_bulk((struct rte_mbuf **)got,
		rte_ring_dequeue_burst(ring, got, RTE_DIM(got), NULL));
	return TEST_OK;
}

static int
change(const char *spec)
{
	uint32_t on, off;

	TEST_ASSERT_EQ(gso_offload_wanted_parse(spec, &on, &off, NULL, 0), 0,
		"%s", spec);
	fwd_contract_change_begin(port, on);
	TEST_ASSERT_EQ(gso_offload_wanted_update(port, on, off), 0, "%s", spec);
	fwd_contract_change_end(port);
	return TEST_OK;
}

static int
violations_counted_by_kind(void)
{
	const uint64_t tso4 = RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4 |
		RTE_MBUF_F_TX_IP_CKSUM;
	const uint64_t tso6 = RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV6;
	struct fwd_contract_counters c;

	TEST_ASSERT_EQ(fwd_contract_attach(port, 1), 0, "attach");
	TEST_RUN(send_raw(1000, 0));
	fwd_contract_sum(port, &c);
	TEST_ASSERT(c.checked == 1 && c.violations == 0, "a fine plain frame");

	TEST_RUN(send_raw(1600, 0));
	fwd_contract_sum(port, &c);
	TEST_ASSERT(c.oversize == 1 && c.violations == 1, "oversize counted");

	/* LSO active, but the port has no TSO configured. */
	TEST_RUN(send_raw(3054, tso4));
	fwd_contract_sum(port, &c);
	TEST_ASSERT(c.gso == 1 && c.no_offload == 1 && c.not_active == 0,
		"no-offload counted");

	/* lso4 off: an IPv4 TSO packet is not-active; IPv6 is still on. */
	TEST_RUN(change("lso4=off"));
	TEST_RUN(send_raw(3054, tso4));
	TEST_RUN(send_raw(3074, tso6));
	fwd_contract_sum(port, &c);
	TEST_ASSERT(c.gso == 3 && c.not_active == 1 && c.no_offload == 2,
		"not-active counted for IPv4 only: %lu not active, %lu no "
		"offload", (unsigned long)c.not_active,
		(unsigned long)c.no_offload);
	TEST_ASSERT_EQ(c.violations, 4, "the kinds add up");
	TEST_ASSERT(fwd_contract_first(port) != NULL &&
		strstr(fwd_contract_first(port), "over the MTU") != NULL,
		"the first violation is kept: %s", fwd_contract_first(port));
	TEST_RUN(change("lso4=on"));
	fwd_contract_detach(port);
	return TEST_OK;
}

static int
setup(void)
{
	pool = test_poison_pktmbuf_pool_create("ctr_pool", 256, 0,
			RTE_PKTMBUF_HEADROOM + 4096, SOCKET_ID_ANY);
	ring = rte_ring_create("ctr_r", 64, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (pool == NULL || ring == NULL)
		return -1;
	port = (uint16_t)rte_eth_from_rings("ctr_ring", &ring, 1, &ring, 1,
			SOCKET_ID_ANY);
	if (port >= RTE_MAX_ETHPORTS ||
			gso_offload_port_set_provider(port, &lso_provider) != 0)
		return -1;
	return test_lib_port_up(port, pool, 1, 64);
}

static void
teardown(void)
{
	test_lib_port_down(port);
}

static const struct test_case cases[] = {
	TEST_CASE(violations_counted_by_kind),
};

int
main(int argc, char **argv)
{
	const struct test_suite suite = {
		.name = "fwd_contract",
		.setup = setup,
		.teardown = teardown,
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = true,
	};

	return test_suite_run(&suite, argc, argv);
}
