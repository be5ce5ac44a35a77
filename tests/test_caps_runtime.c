/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Hardware capabilities that change on a started port (docs/design.md,
 * "Capabilities that change at run time"):
 *  - a test provider on a ring port whose capabilities the test changes:
 *    gso_offload_port_caps_refresh() recomputes the active set (the
 *    encapsulated part too), runs the callback exactly once per change of
 *    it and never for a change that leaves it alone, refuses from inside
 *    a callback and leaves everything as it was when the provider or the
 *    callback fails;
 *  - the same while a worker lcore transmits superframes and the control
 *    thread applies marks (gso_offload_port_caps_changed() then
 *    gso_offload_port_caps_refresh_pending()): every superframe is
 *    counted on exactly one path, both paths are taken, no packet breaks
 *    the contract of the set of its burst, no burst is held and every
 *    mbuf of the poisoning pools comes back;
 *  - the real thing: a net_vhost port under the library with
 *    net_virtio_user guests connecting on its socket in turn, one that
 *    negotiates GUEST_TSO4/6 (RX offload TCP_LRO), one that does not,
 *    then one that does: the provider's event marks the port, the
 *    refresh follows the guest, superframes reach the first and last
 *    guest whole and the second one in MSS-sized segments, payload
 *    intact.
 */

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "gso_offload.h"
#include "gso_tx_private.h"
#include "test.h"
#include "test_contract.h"
#include "test_env.h"
#include "test_pkt.h"
#include "test_poison.h"
#include "test_ring_port.h"

static struct rte_mempool *rx_pool, *sf_pool, *seg_pool, *copy_pool;
static struct gso_offload_tx *tx_main;

#define LSO_BOTH (GSO_OFFLOAD_LSO_IPV4 | GSO_OFFLOAD_LSO_IPV6)

/* ---- A provider whose hardware changes when the test says ---- */

static struct gso_offload_caps fake_caps;
static struct gso_offload_encap_caps fake_encap;
static int fake_describe_error;

static struct {
	unsigned int calls;
	uint32_t keywords[64];
	int refresh_inside;        /* what a refresh from the callback got */
	int fail;                  /* the callback refuses with this */
	unsigned int held;         /* calls that found the port held */
} cb;

static int
fake_describe(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_caps *caps, struct gso_offload_port_limits *lim)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(info);
	if (fake_describe_error != 0)
		return fake_describe_error;
	*caps = fake_caps;
	lim->flags = GSO_OFFLOAD_QUIRK_PHDR_CKSUM;
	return 0;
}

static int
fake_describe_encap(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_encap_caps *encap,
		struct gso_offload_port_limits *lim)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(info);
	RTE_SET_USED(lim);
	*encap = fake_encap;
	return 0;
}

static int
fake_set_gso(uint16_t port_id, const struct gso_offload_active *a, void *arg)
{
	unsigned int i = cb.calls++;

	RTE_SET_USED(arg);
	if (i < RTE_DIM(cb.keywords))
		cb.keywords[i] = gso_offload_active_keywords(a);
	cb.refresh_inside = gso_offload_port_caps_refresh(port_id);
	if (gso_offload_tx_port_held(port_id))
		cb.held++;
	return cb.fail;
}

/* TX offloads that depend on the hardware set: MULTI_SEGS (which net_ring
 * has) stands for an offload a NIC must be configured for, needed only
 * once the hardware can segment. */
static uint64_t
fake_tx_offloads(uint16_t port_id, const struct gso_offload_active *a,
		const struct gso_offload_port_limits *lim, uint64_t app)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(lim);
	return app | (gso_offload_active_keywords(a) != 0 ?
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS : 0);
}

static const struct gso_offload_provider fake_provider_tx = {
	.name = "test-runtime-tx", .describe = fake_describe,
	.describe_encap = fake_describe_encap, .set_gso = fake_set_gso,
	.tx_offloads = fake_tx_offloads,
};

static const struct gso_offload_provider fake_provider = {
	.name = "test-runtime", .describe = fake_describe,
	.describe_encap = fake_describe_encap, .set_gso = fake_set_gso,
};

/* Hardware with the given L3 flags and TCP (none: no GSO). */
static void
fake_set(uint32_t l3)
{
	gso_offload_caps_init(&fake_caps, l3, l3 != 0 ?
			GSO_OFFLOAD_L4_TCP_NO_OPTIONS |
			GSO_OFFLOAD_L4_TCP_WITH_OPTIONS : 0,
			65535, 2, NULL, NULL);
}

#define V4 (GSO_OFFLOAD_L3_IPV4_NO_OPTIONS | GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS)
#define V6 GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS

static uint32_t
active_kw(uint16_t port_id)
{
	uint32_t kw = UINT32_MAX;

	gso_offload_active_keywords_get(port_id, &kw);
	return kw;
}

/* Refresh and check the verdict, the active keywords and the number of
 * callbacks so far. */
static int
refresh_expect(uint16_t port, int ret, uint32_t active, unsigned int calls)
{
	TEST_ASSERT_EQ(gso_offload_port_caps_refresh(port), ret, "refresh");
	TEST_ASSERT_EQ(active_kw(port), active, "active keywords");
	TEST_ASSERT_EQ(cb.calls, calls, "callbacks");
	return TEST_OK;
}

static int
refresh_recomputes_once_per_change(void)
{
	struct gso_offload_caps hw;
	struct test_ring_port rp;
	uint32_t encaps = 0;

	memset(&cb, 0, sizeof(cb));
	fake_set(0);
	gso_offload_encap_caps_init(&fake_encap);
	TEST_ASSERT(test_ring_port_create(&rp, "ring_rt1", &fake_provider,
		rx_pool) == 0, "ring port");
	TEST_ASSERT(gso_offload_port_is_started(rp.port_id), "started");
	TEST_ASSERT_EQ(active_kw(rp.port_id), 0, "nothing at start");
	TEST_ASSERT_EQ(cb.calls, 0, "no callback for an empty set");

	/* Nothing changed: no callback. */
	TEST_RUN(refresh_expect(rp.port_id, 0, 0, 0));
	/* The hardware gains LSO IPv4 on the started port. */
	fake_set(V4);
	TEST_RUN(refresh_expect(rp.port_id, 1, GSO_OFFLOAD_LSO_IPV4, 1));
	TEST_ASSERT_EQ(cb.keywords[0], GSO_OFFLOAD_LSO_IPV4, "callback's set");
	TEST_ASSERT_EQ(cb.refresh_inside, -EDEADLK,
		"a refresh from the callback is refused");
	TEST_RUN(refresh_expect(rp.port_id, 0, GSO_OFFLOAD_LSO_IPV4, 1));
	/* Marks applied by the pending call, twice marked, once applied. */
	fake_set(V4 | V6);
	TEST_ASSERT_EQ(gso_offload_port_caps_changed(rp.port_id), 0, "mark");
	TEST_ASSERT_EQ(gso_offload_port_caps_changed(rp.port_id), 0, "mark");
	TEST_ASSERT_EQ(gso_offload_port_caps_refresh_pending(), 1, "one change");
	TEST_ASSERT_EQ(active_kw(rp.port_id), LSO_BOTH, "both");
	TEST_ASSERT_EQ(cb.calls, 2, "one callback");
	TEST_ASSERT_EQ(gso_offload_port_caps_refresh_pending(), 0, "no marks");
	TEST_ASSERT_EQ(cb.calls, 2, "no callback without a mark");

	/* The administrator turned LSO IPv6 off: the hardware losing and
	 * regaining it changes its capabilities, not the active set. */
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(rp.port_id, "lso6=off"), 0,
		"wanted");
	TEST_ASSERT_EQ(cb.calls, 3, "the keyword change");
	fake_set(V4);
	TEST_RUN(refresh_expect(rp.port_id, 0, GSO_OFFLOAD_LSO_IPV4, 3));
	TEST_ASSERT_EQ(gso_offload_hw_caps_get(rp.port_id, &hw), 0, "hw");
	TEST_ASSERT_EQ(hw.l3_flags, V4, "hardware capabilities recorded");
	fake_set(V4 | V6);
	TEST_RUN(refresh_expect(rp.port_id, 0, GSO_OFFLOAD_LSO_IPV4, 3));
	TEST_ASSERT_EQ(gso_offload_hw_caps_get(rp.port_id, &hw), 0, "hw");
	TEST_ASSERT_EQ(hw.l3_flags, V4 | V6, "hardware capabilities recorded");
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(rp.port_id, "lso6=on"), 0,
		"wanted");
	TEST_ASSERT_EQ(cb.calls, 4, "the keyword change");

	/* Encapsulated offload appears and goes. */
	fake_encap.encap[GSO_OFFLOAD_ENCAP_VXLAN].l3_flags = GSO_OFFLOAD_L3_ALL;
	fake_encap.encap[GSO_OFFLOAD_ENCAP_VXLAN].l4_flags =
		GSO_OFFLOAD_L4_TCP_NO_OPTIONS | GSO_OFFLOAD_L4_TCP_WITH_OPTIONS;
	TEST_RUN(refresh_expect(rp.port_id, 1, LSO_BOTH, 5));
	gso_offload_active_encaps_get(rp.port_id, &encaps);
	TEST_ASSERT_EQ(encaps, GSO_OFFLOAD_ENCAP_BIT(GSO_OFFLOAD_ENCAP_VXLAN),
		"VXLAN active");
	TEST_RUN(refresh_expect(rp.port_id, 0, LSO_BOTH, 5));
	gso_offload_encap_caps_init(&fake_encap);
	TEST_RUN(refresh_expect(rp.port_id, 1, LSO_BOTH, 6));
	gso_offload_active_encaps_get(rp.port_id, &encaps);
	TEST_ASSERT_EQ(encaps, 0, "VXLAN gone");

	/* The provider fails: nothing changes, the mark stays for a retry. */
	fake_set(0);
	fake_describe_error = -EIO;
	TEST_RUN(refresh_expect(rp.port_id, -EIO, LSO_BOTH, 6));
	TEST_ASSERT_EQ(gso_offload_port_caps_changed(rp.port_id), 0, "mark");
	TEST_ASSERT_EQ(gso_offload_port_caps_refresh_pending(), -EIO, "error");
	fake_describe_error = 0;
	/* The callback refuses: nothing changes either. */
	cb.fail = -EPERM;
	TEST_ASSERT_EQ(gso_offload_port_caps_refresh_pending(), -EPERM,
		"the retried mark reaches the refusing callback");
	TEST_ASSERT_EQ(cb.calls, 7, "it was asked");
	TEST_ASSERT_EQ(active_kw(rp.port_id), LSO_BOTH, "set kept");
	TEST_ASSERT_EQ(gso_offload_hw_caps_get(rp.port_id, &hw), 0, "hw");
	TEST_ASSERT_EQ(hw.l3_flags, V4 | V6, "hardware capabilities kept");
	cb.fail = 0;
	TEST_ASSERT_EQ(gso_offload_port_caps_refresh_pending(), 1,
		"retried once more, accepted");
	TEST_ASSERT_EQ(active_kw(rp.port_id), 0, "all gone");
	TEST_ASSERT_EQ(cb.calls, 8, "callback for the change to nothing");
	TEST_RUN(refresh_expect(rp.port_id, 0, 0, 8));

	test_ring_port_destroy(&rp);
	TEST_ASSERT_EQ(gso_offload_port_caps_refresh(rp.port_id), -ENODEV,
		"closed port");
	TEST_ASSERT_EQ(gso_offload_port_caps_changed(RTE_MAX_ETHPORTS), -ENODEV,
		"bad port");
	return TEST_OK;
}

static int
refresh_needs_a_library_port(void)
{
	struct rte_ring *r = rte_ring_create("ring_rt2_r", 64, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	int port, ret;

	TEST_ASSERT(r != NULL, "ring");
	port = rte_eth_from_rings("ring_rt2", &r, 1, &r, 1, SOCKET_ID_ANY);
	TEST_ASSERT(port >= 0, "port");
	ret = gso_offload_port_caps_refresh((uint16_t)port);
	/* A mark on it is dropped, not retried for ever. */
	gso_offload_port_caps_changed((uint16_t)port);
	TEST_ASSERT_EQ(gso_offload_port_caps_refresh_pending(), 0, "ignored");
	rte_eth_dev_close((uint16_t)port);
	rte_ring_free(r);
	TEST_ASSERT_EQ(ret, -ENOTSUP, "not configured by the library");
	return TEST_OK;
}

/*
 * A hitless port is configured with the TX offloads of its whole hardware
 * set. When new hardware capabilities need other ones, the refresh must
 * reconfigure the port, and so hold the pipelines off it around the
 * callback, as on a port that restarts on change; a refresh that needs
 * no other TX offloads holds nothing.
 */
static int
refresh_that_needs_other_tx_offloads_holds(void)
{
	struct test_ring_port rp;
	uint64_t off = 0;

	memset(&cb, 0, sizeof(cb));
	fake_set(0);
	gso_offload_encap_caps_init(&fake_encap);
	TEST_ASSERT(test_ring_port_create(&rp, "ring_rt4", &fake_provider_tx,
		rx_pool) == 0, "ring port");
	TEST_ASSERT_EQ(gso_offload_port_restarts(rp.port_id), 0, "hitless");
	TEST_ASSERT_EQ(gso_offload_port_tx_offloads_get(rp.port_id, &off), 0,
		"TX offloads");
	TEST_ASSERT(!(off & RTE_ETH_TX_OFFLOAD_MULTI_SEGS), "none needed yet");
	fake_set(V4);
	TEST_RUN(refresh_expect(rp.port_id, 1, GSO_OFFLOAD_LSO_IPV4, 1));
	TEST_ASSERT_EQ(cb.held, 1, "held around the reconfiguring callback");
	TEST_ASSERT_EQ(gso_offload_port_tx_offloads_get(rp.port_id, &off), 0,
		"TX offloads");
	TEST_ASSERT(off & RTE_ETH_TX_OFFLOAD_MULTI_SEGS, "port reconfigured");
	TEST_ASSERT(gso_offload_port_is_started(rp.port_id), "and started");
	TEST_ASSERT(!gso_offload_tx_port_held(rp.port_id), "released");
	/* Same TX offloads for the next set: hitless again. */
	fake_set(V4 | V6);
	TEST_RUN(refresh_expect(rp.port_id, 1, LSO_BOTH, 2));
	TEST_ASSERT_EQ(cb.held, 1, "not held: the port is left alone");
	test_ring_port_destroy(&rp);
	return TEST_OK;
}

/* ---- Under load ---- */

struct worker {
	struct gso_offload_tx *tx;
	uint16_t port_id;
	volatile bool *stop;
	uint64_t consumed;
};

static int
worker_main(void *arg)
{
	struct worker *w = arg;
	struct rte_mbuf *burst[4];
	uint16_t have = 0;
	uint32_t k = 0;

	while (!*w->stop) {
		while (have < RTE_DIM(burst)) {
			struct test_sf_spec s = { .l2 = TEST_L2_ETH,
				.l3 = (k & 1) ? 6 : 4, .l4 = IPPROTO_TCP,
				.payload_len = 6000, .mss = 1400, .seq = 1000,
				.ip_id = 7, .seed = k };

			k++;
			burst[have] = test_sf_build(sf_pool, &s);
			if (burst[have] == NULL)
				break;
			have++;
		}
		uint16_t n = gso_offload_tx_burst(w->tx, w->port_id, 0, burst,
				have);

		w->consumed += n;
		memmove(burst, burst + n, (have - n) * sizeof(burst[0]));
		have -= n;
	}
	rte_pktmbuf_free_bulk(burst, have);
	gso_offload_tx_offline(w->tx);
	return 0;
}

static unsigned int
in_use(void)
{
	return rte_mempool_in_use_count(sf_pool) +
		rte_mempool_in_use_count(seg_pool) +
		rte_mempool_in_use_count(copy_pool);
}

/* Apply a mark as the control thread does, telling the contract checker
 * that bursts begun under the old set may still use it meanwhile. */
static int
mark_and_apply(struct contract *c, uint16_t port_id)
{
	const struct gso_port_fp *fp =
		__atomic_load_n(&gso_port_fp[port_id], __ATOMIC_ACQUIRE);
	int ret;

	if (fp != NULL)
		__atomic_store_n(&c->old_pairs, fp->pairs, __ATOMIC_RELEASE);
	gso_offload_port_caps_changed(port_id);
	ret = gso_offload_port_caps_refresh_pending();
	__atomic_store_n(&c->old_pairs, 0, __ATOMIC_RELEASE);
	return ret;
}

static int
changes_under_load_lose_nothing(void)
{
	static const uint32_t sets[] = { V4 | V6, 0, V4, V4, V6, 0, 0, V4 | V6 };
	struct gso_offload_tx_conf tc = { .seg_pool = seg_pool,
		.copy_pool = copy_pool, .socket_id = SOCKET_ID_ANY };
	struct gso_offload_tx_stats st0, st1;
	volatile bool stop = false;
	struct worker w = { .stop = &stop };
	unsigned int lcore = RTE_MAX_LCORE, lc, changes = 0, base;
	struct test_ring_port rp;
	struct contract c;
	uint64_t paths;
	int rc = TEST_FAIL, ret;

	RTE_LCORE_FOREACH_WORKER(lc)
		if (lcore == RTE_MAX_LCORE)
			lcore = lc;
	TEST_SKIP_IF(lcore == RTE_MAX_LCORE, "needs a worker lcore");
	memset(&cb, 0, sizeof(cb));
	/* Attached while the set has pairs, the contract checker keeps that
	 * set's limits (the same for every non-empty set here) for packets
	 * of bursts that began before a change to the empty set and reach
	 * the PMD after it. */
	fake_set(V4 | V6);
	gso_offload_encap_caps_init(&fake_encap);
	TEST_ASSERT(test_ring_port_create(&rp, "ring_rt3", &fake_provider,
		rx_pool) == 0, "ring port");
	TEST_ASSERT(contract_attach(&c, rp.port_id, 1, false) == 0, "contract");
	TEST_ASSERT(c.set_max_offload != 0, "limits of a set with pairs");
	memset(&cb, 0, sizeof(cb));
	base = in_use();
	gso_offload_tx_stats_get(rp.port_id, &st0);
	w.tx = gso_offload_tx_create(&tc);
	w.port_id = rp.port_id;
	TEST_CHECK(w.tx != NULL, "pipeline");
	rte_eal_remote_launch(worker_main, &w, lcore);
	for (unsigned int round = 0; round < 40; round++) {
		uint32_t before = active_kw(rp.port_id);

		fake_set(sets[round % RTE_DIM(sets)]);
		ret = mark_and_apply(&c, rp.port_id);
		TEST_CHECK(ret == (active_kw(rp.port_id) != before),
			"round %u: refresh said %d", round, ret);
		changes += (unsigned int)ret;
		TEST_CHECK(cb.calls == changes, "round %u: %u callbacks for %u "
			"changes", round, cb.calls, changes);
		/* Let the worker send some bursts under this set before the
		 * next one: poll its count, with a deadline. */
		{
			const uint64_t seen = __atomic_load_n(&w.consumed,
					__ATOMIC_RELAXED);
			const uint64_t end = rte_get_timer_cycles() +
				rte_get_timer_hz() * 5;

			while (__atomic_load_n(&w.consumed, __ATOMIC_RELAXED) <
					seen + 16 && rte_get_timer_cycles() < end)
				test_ring_port_drain(&rp);
		}
	}
	stop = true;
	rte_eal_mp_wait_lcore();
	test_ring_port_drain(&rp);
	gso_offload_tx_stats_get(rp.port_id, &st1);
	paths = (st1.hw_pkts - st0.hw_pkts) + (st1.sw_pkts - st0.sw_pkts) +
		(st1.split_pkts - st0.split_pkts) +
		(st1.pass_pkts - st0.pass_pkts);
	for (int r = 0; r < GSO_OFFLOAD_REJ_MAX; r++)
		paths += st1.rejected[r] - st0.rejected[r];
	printf("#   %u changes, %" PRIu64 " superframes: %" PRIu64
		" hardware, %" PRIu64 " software, %" PRIu64 " checked\n",
		changes, w.consumed, st1.hw_pkts - st0.hw_pkts,
		st1.sw_pkts - st0.sw_pkts, c.checked);
	TEST_CHECK(changes >= 20, "the sets changed");
	TEST_CHECK(w.consumed > 0 && paths == w.consumed,
		"%" PRIu64 " consumed, %" PRIu64 " counted", w.consumed, paths);
	TEST_CHECK(st1.hw_pkts > st0.hw_pkts && st1.sw_pkts > st0.sw_pkts,
		"both paths taken");
	TEST_CHECK(st1.tx_held == st0.tx_held && st1.tx_dropped == st0.tx_dropped,
		"nothing held or dropped");
	TEST_CHECK(c.violations == 0, "%" PRIu64 " violations, first: %s",
		c.violations, c.first);
	TEST_CHECK(in_use() == base, "mbufs in use %u, at start %u", in_use(),
		base);
	rc = TEST_OK;
out:
	stop = true;
	rte_eal_mp_wait_lcore();
	gso_offload_tx_free(w.tx);
	contract_detach(&c);
	test_ring_port_destroy(&rp);
	return rc;
}

/* ---- net_vhost and its guests ---- */

/* Connect a virtio_user guest to sock, with guest TSO (RX offload
 * TCP_LRO: DPDK's virtio PMD requests GUEST_TSO4/6 only then) or without.
 * Returns its port or TEST_NO_PORT. */
static uint16_t
guest_connect(const char *name, const char *sock, bool tso)
{
	struct rte_eth_conf conf = { 0 };
	char args[200];
	uint16_t port;

	snprintf(args, sizeof(args), "%s,path=%s,queues=1,mrg_rxbuf=1", name,
		sock);
	if (rte_dev_probe(args) != 0 ||
			rte_eth_dev_get_port_by_name(name, &port) != 0)
		return TEST_NO_PORT;
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
		(tso ? RTE_ETH_RX_OFFLOAD_TCP_LRO : 0);
	if (rte_eth_dev_configure(port, 1, 1, &conf) != 0 ||
			rte_eth_rx_queue_setup(port, 0, 512, SOCKET_ID_ANY, NULL,
				rx_pool) != 0 ||
			rte_eth_tx_queue_setup(port, 0, 512, SOCKET_ID_ANY,
				NULL) != 0 ||
			rte_eth_dev_start(port) != 0) {
		printf("#   guest %s (tso %d) did not start\n", name, tso);
		test_port_close(port);
		return TEST_NO_PORT;
	}
	return port;
}

/* Apply marks until the port's active keywords are want (the guest's
 * connection is seen by the vhost-user thread, asynchronously): bounded
 * by a deadline, no sleep. */
static int
wait_active(uint16_t port, uint32_t want, unsigned int timeout_ms)
{
	const uint64_t end = rte_get_timer_cycles() +
		rte_get_timer_hz() / 1000 * timeout_ms;

	do {
		int ret = gso_offload_port_caps_refresh_pending();

		if (ret < 0)
			return ret;
		if (active_kw(port) == want)
			return 0;
	} while (rte_get_timer_cycles() < end);
	return -ETIMEDOUT;
}

static int
wait_link(uint16_t port, int up, unsigned int timeout_ms)
{
	const uint64_t end = rte_get_timer_cycles() +
		rte_get_timer_hz() / 1000 * timeout_ms;
	struct rte_eth_link link;

	do {
		if (rte_eth_link_get_nowait(port, &link) == 0 &&
				link.link_status == up)
			return 0;
	} while (rte_get_timer_cycles() < end);
	return -ETIMEDOUT;
}

/*
 * Send a TCP/IPv4 and a TCP/IPv6 superframe of `payload` bytes at MSS
 * 1000 from the vhost port to the guest; check that the guest received
 * each either whole (one packet with all bytes) or in ceil(payload/1000)
 * segments, as `whole` says, payload intact.
 */
static int
send_to_guest(uint16_t vhost, uint16_t guest, bool whole)
{
	const uint32_t payload = 12000;
	const uint16_t mss = 1000;

	for (int l3 = 4; l3 <= 6; l3 += 2) {
		struct test_sf_spec s = { .l2 = TEST_L2_ETH, .l3 = l3,
			.l4 = IPPROTO_TCP, .payload_len = payload, .mss = mss,
			.seq = 1000, .ip_id = 7, .seed = (uint32_t)l3 };
		struct rte_mbuf *sf = test_sf_build(sf_pool, &s), *rx[64];
		const uint32_t hdr = test_sf_hdr_len(&s);
		uint32_t len, got_payload = 0;
		uint8_t *orig;
		unsigned int n, want = whole ? 1 : (payload + mss - 1) / mss;
		int rc = TEST_OK;

		TEST_ASSERT(sf != NULL, "superframe");
		orig = test_mbuf_bytes(sf, &len);
		TEST_ASSERT(orig != NULL, "bytes");
		if (gso_offload_tx_burst(tx_main, vhost, 0, &sf, 1) != 1) {
			rte_pktmbuf_free(sf);
			free(orig);
			TEST_ASSERT(false, "the pipeline did not take it");
		}
		n = test_rx_poll(guest, 0, rx, RTE_DIM(rx), 2000);
		for (unsigned int i = 0; i < n; i++) {
			uint32_t rlen;
			uint8_t *b = test_mbuf_bytes(rx[i], &rlen);

			/* Segments arrive in order: each payload is the
			 * next piece of the original. */
			if (b == NULL || rlen < hdr || got_payload + rlen - hdr >
					payload || memcmp(b + hdr, orig + hdr +
					got_payload, rlen - hdr) != 0)
				rc = TEST_FAIL;
			else
				got_payload += rlen - hdr;
			free(b);
		}
		rte_pktmbuf_free_bulk(rx, n);
		free(orig);
		if (n != want || got_payload != payload || rc != TEST_OK) {
			printf("#   IPv%d: %u packets (want %u), %u payload bytes "
				"of %u%s\n", l3, n, want, got_payload, payload,
				rc != TEST_OK ? ", payload differs" : "");
			return TEST_FAIL;
		}
	}
	return TEST_OK;
}

static int
vhost_guest_features_drive_caps(void)
{
	static const bool guest_tso[] = { true, false, true };
	struct gso_offload_tx_stats st0, st1;
	struct gso_offload_caps hw;
	char sock[108], args[160], name[32];
	uint16_t vhost, guest = TEST_NO_PORT;
	int rc = TEST_FAIL;

	snprintf(sock, sizeof(sock), "/tmp/gso-test-%d-rt.sock", (int)getpid());
	unlink(sock);
	snprintf(args, sizeof(args), "iface=%s,tso=1", sock);
	vhost = test_vdev("net_vhost30", args);
	TEST_ASSERT(vhost != TEST_NO_PORT, "vhost port");
	TEST_CHECK(test_lib_port_up(vhost, rx_pool, 1, 512) == 0, "port up");
	TEST_CHECK(strcmp(gso_offload_port_provider_name(vhost), "vhost") == 0,
		"provider %s", gso_offload_port_provider_name(vhost));
	TEST_CHECK(active_kw(vhost) == 0, "no guest, no LSO");

	for (unsigned int g = 0; g < RTE_DIM(guest_tso); g++) {
		const uint32_t want = guest_tso[g] ? LSO_BOTH : 0;

		snprintf(name, sizeof(name), "net_virtio_user3%u", g);
		gso_offload_tx_stats_get(vhost, &st0);
		guest = guest_connect(name, sock, guest_tso[g]);
		TEST_CHECK(guest != TEST_NO_PORT, "guest %u", g);
		TEST_CHECK(wait_link(vhost, RTE_ETH_LINK_UP, 10000) == 0,
			"guest %u: vhost link up", g);
		/* The link is up once new_device() ran; the mark it raised
		 * may still be on its way: poll for the wanted set. */
		TEST_CHECK(wait_active(vhost, want, 10000) == 0,
			"guest %u (tso %d): active %#x", g, guest_tso[g],
			active_kw(vhost));
		TEST_CHECK(gso_offload_hw_caps_get(vhost, &hw) == 0 &&
			(hw.l3_flags != 0) == guest_tso[g],
			"guest %u: hardware l3 %#x", g, hw.l3_flags);
		TEST_CHECK(send_to_guest(vhost, guest, guest_tso[g]) == TEST_OK,
			"guest %u: delivery", g);
		gso_offload_tx_stats_get(vhost, &st1);
		TEST_CHECK(st1.hw_pkts - st0.hw_pkts == (guest_tso[g] ? 2u : 0u) &&
			st1.sw_pkts - st0.sw_pkts == (guest_tso[g] ? 0u : 2u),
			"guest %u: hw %" PRIu64 " sw %" PRIu64, g,
			st1.hw_pkts - st0.hw_pkts, st1.sw_pkts - st0.sw_pkts);
		/* The guest goes: the set empties before the next comes. */
		test_port_close(guest);
		guest = TEST_NO_PORT;
		TEST_CHECK(wait_active(vhost, 0, 10000) == 0,
			"guest %u gone: active %#x", g, active_kw(vhost));
		TEST_CHECK(wait_link(vhost, RTE_ETH_LINK_DOWN, 10000) == 0,
			"guest %u gone: link down", g);
	}
	rc = TEST_OK;
out:
	test_port_close(guest);
	test_lib_port_down(vhost);
	test_port_close(vhost);
	unlink(sock);
	return rc;
}

/*
 * Why the provider must not declare LSO for a guest without guest TSO,
 * measured on the library's way around: a TCP_SEG superframe handed
 * straight to net_vhost (rte_eth_tx_burst) for a guest that did not
 * negotiate GUEST_TSO4/6 is neither refused nor segmented. lib/vhost's
 * virtio_enqueue_offload() only writes the GSO type into the virtio-net
 * header; with mergeable buffers the guest receives one packet of the
 * whole superframe's length, far over its MTU, that it never agreed to
 * take. If a DPDK release starts refusing or segmenting it, this fails
 * and the provider's comment needs another look.
 */
static int
vhost_hands_tso_to_any_guest(void)
{
	struct test_sf_spec s = { .l2 = TEST_L2_ETH, .l3 = 4,
		.l4 = IPPROTO_TCP, .payload_len = 12000, .mss = 1000,
		.seq = 1000, .ip_id = 7, .seed = 3 };
	char sock[108], args[160];
	struct rte_mbuf *sf = NULL, *rx[64];
	uint16_t vhost, guest = TEST_NO_PORT;
	uint32_t len = 0;
	unsigned int n = 0;
	int rc = TEST_FAIL;

	snprintf(sock, sizeof(sock), "/tmp/gso-test-%d-rt2.sock", (int)getpid());
	unlink(sock);
	snprintf(args, sizeof(args), "iface=%s,tso=1", sock);
	vhost = test_vdev("net_vhost31", args);
	TEST_ASSERT(vhost != TEST_NO_PORT, "vhost port");
	TEST_CHECK(test_port_start_simple(vhost, rx_pool, 0) == 0, "start");
	guest = guest_connect("net_virtio_user39", sock, false);
	TEST_CHECK(guest != TEST_NO_PORT, "guest");
	TEST_CHECK(wait_link(vhost, RTE_ETH_LINK_UP, 10000) == 0, "link up");
	sf = test_sf_build(sf_pool, &s);
	TEST_CHECK(sf != NULL, "superframe");
	len = sf->pkt_len;
	if (rte_eth_tx_burst(vhost, 0, &sf, 1) != 1) {
		rte_pktmbuf_free(sf);
		TEST_CHECK(false, "net_vhost refused it");
	}
	n = test_rx_poll(guest, 0, rx, RTE_DIM(rx), 2000);
	printf("#   guest without GUEST_TSO4/6: %u packet(s), first %u bytes "
		"(superframe %u, MTU 1500)\n", n, n ? rx[0]->pkt_len : 0, len);
	TEST_CHECK(n == 1 && rx[0]->pkt_len == len,
		"handed whole, over the guest's MTU");
	rc = TEST_OK;
out:
	rte_pktmbuf_free_bulk(rx, n);
	test_port_close(guest);
	test_port_close(vhost);
	unlink(sock);
	return rc;
}

static int
setup(void)
{
	struct gso_offload_tx_conf tc;

	rx_pool = test_poison_pktmbuf_pool_create("rt_rx", 8192, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	sf_pool = test_poison_pktmbuf_pool_create("rt_sf", 512, 0, UINT16_MAX,
			SOCKET_ID_ANY);
	seg_pool = test_poison_seg_pool_create("rt_seg", 8192,
			GSO_OFFLOAD_MAX_HDR_LEN, SOCKET_ID_ANY);
	copy_pool = test_poison_seg_pool_create("rt_copy", 4096,
			RTE_MBUF_DEFAULT_DATAROOM, SOCKET_ID_ANY);
	if (!rx_pool || !sf_pool || !seg_pool || !copy_pool)
		return -1;
	tc = (struct gso_offload_tx_conf){ .seg_pool = seg_pool,
		.copy_pool = copy_pool, .socket_id = SOCKET_ID_ANY };
	tx_main = gso_offload_tx_create(&tc);
	return tx_main == NULL;
}

static void
teardown(void)
{
	gso_offload_tx_free(tx_main);
}

static const struct test_case cases[] = {
	TEST_CASE(refresh_recomputes_once_per_change),
	TEST_CASE(refresh_needs_a_library_port),
	TEST_CASE(refresh_that_needs_other_tx_offloads_holds),
	TEST_CASE(changes_under_load_lose_nothing),
	TEST_CASE(vhost_guest_features_drive_caps),
	TEST_CASE(vhost_hands_tso_to_any_guest),
};

static const char *const eal_args[] = {
	"--lcores=0@0,1@1", NULL,
};

int
main(int argc, char **argv)
{
	const struct test_suite suite = {
		.name = "caps_runtime",
		.eal_args = eal_args,
		.setup = setup,
		.teardown = teardown,
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = true,
	};

	return test_suite_run(&suite, argc, argv);
}
