/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Negotiation against real PMDs: what each virtual port's provider derives,
 * and keyword toggles on a started port (virtio_user paired with
 * net_vhost): hitless by default (TSO configured once, the port never
 * touched), or really reconfiguring it when asked to restart on change,
 * either way without leaking an mbuf. tap and af_packet need
 * root (they create kernel interfaces) and are skipped otherwise.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "gso_offload.h"
#include "test.h"
#include "test_env.h"
#include "test_poison.h"

static struct rte_mempool *pool;

#define LSO_BOTH (GSO_OFFLOAD_LSO_IPV4 | GSO_OFFLOAD_LSO_IPV6)

static uint64_t
configured_tx_offloads(uint16_t port_id)
{
	struct rte_eth_conf conf;

	if (rte_eth_dev_conf_get(port_id, &conf) != 0)
		return UINT64_MAX;
	return conf.txmode.offloads;
}

static uint32_t
active_kw(uint16_t port_id)
{
	uint32_t kw = UINT32_MAX;

	gso_offload_active_keywords_get(port_id, &kw);
	return kw;
}

/* One small frame virtio -> vhost: the port still forwards. */
static int
virtio_still_forwards(const struct test_vpair *vp)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(pool), *rx[4];
	unsigned int got;
	char *d;

	TEST_ASSERT(m != NULL, "alloc");
	d = rte_pktmbuf_append(m, 64);
	memset(d, 0x5a, 64);
	if (rte_eth_tx_burst(vp->virtio, 0, &m, 1) != 1) {
		rte_pktmbuf_free(m);
		TEST_ASSERT(false, "virtio did not take the frame");
	}
	got = test_rx_poll(vp->vhost, 0, rx, 1, 2000);
	for (unsigned int i = 0; i < got; i++)
		rte_pktmbuf_free(rx[i]);
	TEST_ASSERT_EQ(got, 1, "vhost received the frame");
	return TEST_OK;
}

static int
virtio_tso_on_gives_lso_v4_v6(void)
{
	struct gso_offload_caps hw;
	struct test_vpair vp;
	int rc = TEST_FAIL;

	if (test_vpair_create(&vp, 0, true, pool) != 0)
		goto out;
	TEST_ASSERT(rte_eth_dev_is_valid_port(vp.virtio), "virtio port");
	if (test_lib_port_up(vp.virtio, pool, 1, 256) != 0)
		goto out;
	gso_offload_hw_caps_get(vp.virtio, &hw);
	if (!(hw.l3_flags & GSO_OFFLOAD_L3_IPV4_NO_OPTIONS) ||
			!(hw.l3_flags & GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS) ||
			!(hw.l4_flags & GSO_OFFLOAD_L4_TCP_NO_OPTIONS) ||
			(hw.l4_flags & GSO_OFFLOAD_L4_UDP)) {
		printf("#   hw l3 %#x l4 %#x\n", hw.l3_flags, hw.l4_flags);
		goto out;
	}
	if (active_kw(vp.virtio) != LSO_BOTH) {
		printf("#   active %#x\n", active_kw(vp.virtio));
		goto out;
	}
	if (!(configured_tx_offloads(vp.virtio) & RTE_ETH_TX_OFFLOAD_TCP_TSO)) {
		printf("#   TSO not configured\n");
		goto out;
	}
	if (strcmp(gso_offload_port_provider_name(vp.virtio), "virtio") != 0)
		goto out;
	rc = TEST_OK;
out:
	test_lib_port_down(vp.virtio);
	test_vpair_destroy(&vp);
	return rc;
}

static int
virtio_tso_off_gives_none(void)
{
	struct gso_offload_caps hw;
	struct test_vpair vp;
	int rc = TEST_FAIL;

	if (test_vpair_create(&vp, 1, false, pool) != 0 ||
			test_lib_port_up(vp.virtio, pool, 1, 256) != 0)
		goto out;
	gso_offload_hw_caps_get(vp.virtio, &hw);
	if (hw.l3_flags != 0 || hw.l4_flags != 0 || active_kw(vp.virtio) != 0 ||
			(configured_tx_offloads(vp.virtio) &
				RTE_ETH_TX_OFFLOAD_TCP_TSO)) {
		printf("#   l3 %#x l4 %#x active %#x\n", hw.l3_flags,
			hw.l4_flags, active_kw(vp.virtio));
		goto out;
	}
	rc = TEST_OK;
out:
	test_lib_port_down(vp.virtio);
	test_vpair_destroy(&vp);
	return rc;
}

/* The body of the toggle tests, on a started, library-owned virtio port
 * that restarts on change or not. */
static int
toggle_checks(const struct test_vpair *vp, bool restart)
{
	const uint64_t tso = RTE_ETH_TX_OFFLOAD_TCP_TSO;
	uint16_t port = vp->virtio;
	unsigned int base;

	TEST_ASSERT_EQ(gso_offload_port_restarts(port), restart ? 1 : 0,
			"restart policy");
	TEST_RUN(virtio_still_forwards(vp));
	base = rte_mempool_in_use_count(pool);
	TEST_ASSERT(configured_tx_offloads(port) & tso, "TSO configured");

	/* lso4 off: IPv6 still needs the port's TSO. */
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(port, "lso4=off"), 0, "lso4 off");
	TEST_ASSERT_EQ(active_kw(port), GSO_OFFLOAD_LSO_IPV6, "only IPv6 active");
	TEST_ASSERT(configured_tx_offloads(port) & tso, "TSO kept for IPv6");
	TEST_ASSERT(gso_offload_port_is_started(port), "still started");

	/* lso6 off too: TSO really leaves the port's configuration. */
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(port, "lso6=off"), 0, "lso6 off");
	TEST_ASSERT_EQ(active_kw(port), 0, "nothing active");
	if (restart)
		TEST_ASSERT(!(configured_tx_offloads(port) & tso), "TSO removed");
	else
		TEST_ASSERT(configured_tx_offloads(port) & tso,
				"TSO kept: a hitless change leaves the port alone");
	TEST_ASSERT(gso_offload_port_is_started(port), "restarted");
	TEST_RUN(virtio_still_forwards(vp));
	/* virtio reclaims sent mbufs lazily: only a restart (which releases
	 * its rings) gives back an exact count here. */
	if (restart)
		TEST_ASSERT_EQ(rte_mempool_in_use_count(pool), base,
				"no mbuf leaked by the reconfiguration");

	/* One back on restores it. */
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(port, "lso6=on"), 0, "lso6 on");
	TEST_ASSERT_EQ(active_kw(port), GSO_OFFLOAD_LSO_IPV6, "IPv6 active");
	TEST_ASSERT(configured_tx_offloads(port) & tso, "TSO restored");
	TEST_RUN(virtio_still_forwards(vp));

	/* Many flips: still no leak. */
	for (int i = 0; i < 21; i++) {
		TEST_ASSERT_EQ(gso_offload_wanted_set_str(port,
				i & 1 ? "lso4=on,lso6=on" : "lso4=off,lso6=off"), 0,
				"flip %d", i);
	}
	TEST_ASSERT(!(configured_tx_offloads(port) & tso) == restart,
			"ends %s", restart ? "without TSO" : "with TSO still set");
	TEST_RUN(virtio_still_forwards(vp));
	if (!restart) {
		/* Release what the rings hold now, as a restart would: the
		 * refilled RX ring is all that may be in use. */
		TEST_ASSERT_EQ(gso_offload_port_stop(port), 0, "stop");
		TEST_ASSERT_EQ(gso_offload_port_start(port), 0, "start");
		TEST_ASSERT(rte_mempool_in_use_count(pool) <= base,
				"no leak after flips: %u in use, %u at first",
				rte_mempool_in_use_count(pool), base);
		return TEST_OK;
	}
	TEST_ASSERT_EQ(rte_mempool_in_use_count(pool), base, "no leak after flips");
	return TEST_OK;
}

static int
keyword_toggles(unsigned int idx, bool restart)
{
	struct test_vpair vp;
	int rc;

	if (test_vpair_create(&vp, idx, true, pool) != 0 ||
			(restart && gso_offload_port_set_restart(vp.virtio, 1) != 0) ||
			test_lib_port_up(vp.virtio, pool, 1, 256) != 0) {
		test_vpair_destroy(&vp);
		TEST_ASSERT(false, "virtio/vhost pair up");
	}
	rc = toggle_checks(&vp, restart);
	test_lib_port_down(vp.virtio);
	test_vpair_destroy(&vp);
	return rc;
}

/* The default: TSO configured once, toggles only change what is used. */
static int
virtio_keyword_toggles_hitless(void)
{
	return keyword_toggles(2, false);
}

/* Restart on change: the port's TX offloads follow the active set. */
static int
virtio_keyword_toggles_reconfigure_port(void)
{
	return keyword_toggles(5, true);
}

/* The restart policy is the library's to set before configure only. */
static int
restart_policy_rules(void)
{
	struct test_vpair vp;
	int rc = TEST_FAIL;

	TEST_ASSERT_EQ(gso_offload_port_set_restart(RTE_MAX_ETHPORTS, 1),
			-ENODEV, "bad port");
	if (test_vpair_create(&vp, 6, true, pool) != 0)
		goto out;
	TEST_ASSERT_EQ(gso_offload_port_restarts(vp.virtio), -ENODEV,
			"not configured yet");
	if (gso_offload_port_set_restart(vp.virtio, 2) != -EINVAL ||
			test_lib_port_up(vp.virtio, pool, 1, 256) != 0 ||
			gso_offload_port_restarts(vp.virtio) != 0 ||
			gso_offload_port_set_restart(vp.virtio, 1) != -EBUSY ||
			gso_offload_port_restarts(vp.virtio) != 0)
		goto out;
	rc = TEST_OK;
out:
	test_lib_port_down(vp.virtio);
	test_vpair_destroy(&vp);
	return rc;
}

static int
null_port_has_none(void)
{
	struct gso_offload_caps hw;
	uint16_t port = test_vdev("net_null9", NULL);
	int rc = TEST_FAIL;

	TEST_ASSERT(port != TEST_NO_PORT, "net_null");
	if (test_lib_port_up(port, pool, 1, 256) == 0) {
		gso_offload_hw_caps_get(port, &hw);
		if (hw.l3_flags == 0 && hw.l4_flags == 0 && active_kw(port) == 0 &&
				strcmp(gso_offload_port_provider_name(port),
					"swdev") == 0)
			rc = TEST_OK;
	}
	test_lib_port_down(port);
	test_port_close(port);
	return rc;
}

static int
tap_gives_lso_ipv4_only(void)
{
	struct gso_offload_port_limits lim;
	struct gso_offload_caps hw;
	char ifname[16], args[64];
	uint16_t port;
	int rc = TEST_FAIL;

	TEST_SKIP_IF(!test_is_root(), "net_tap needs root");
	test_ifname(ifname, sizeof(ifname), "gsotap");
	snprintf(args, sizeof(args), "iface=%s", ifname);
	port = test_vdev("net_tap7", args);
	TEST_ASSERT(port != TEST_NO_PORT, "net_tap");
	if (test_lib_port_up(port, pool, 1, 256) != 0)
		goto out;
	gso_offload_hw_caps_get(port, &hw);
	gso_offload_port_limits_get(port, &lim);
	if (hw.l3_flags != (GSO_OFFLOAD_L3_IPV4_NO_OPTIONS |
				GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS) ||
			!(hw.l4_flags & GSO_OFFLOAD_L4_TCP_NO_OPTIONS) ||
			(hw.l4_flags & GSO_OFFLOAD_L4_UDP)) {
		printf("#   hw l3 %#x l4 %#x\n", hw.l3_flags, hw.l4_flags);
		goto out;
	}
	if (active_kw(port) != GSO_OFFLOAD_LSO_IPV4 ||
			!(configured_tx_offloads(port) & RTE_ETH_TX_OFFLOAD_TCP_TSO) ||
			!(lim.flags & GSO_OFFLOAD_QUIRK_TSO_NEEDS_IP_CKSUM) ||
			!(lim.flags & GSO_OFFLOAD_QUIRK_SEG_L2_IN_MTU) ||
			lim.max_segments != 64) {
		printf("#   active %#x limits flags %#x\n", active_kw(port),
			lim.flags);
		goto out;
	}
	rc = TEST_OK;
out:
	test_lib_port_down(port);
	test_port_close(port);
	return rc;
}

static int
af_packet_has_none_and_kernel_mtu(void)
{
	struct gso_offload_port_limits lim;
	struct gso_offload_caps hw;
	char a[16], b[16], args[64];
	uint16_t port = TEST_NO_PORT;
	int rc = TEST_FAIL;

	TEST_SKIP_IF(!test_is_root(), "veth needs root");
	test_ifname(a, sizeof(a), "gsova");
	test_ifname(b, sizeof(b), "gsovb");
	/* net_af_packet joins PACKET_FANOUT group (pid ^ ifindex) & 0xffff,
	 * per namespace: another process's group may take it (the probe then
	 * fails). A new veth has a new ifindex: try again. */
	for (int attempt = 0; attempt < 3 && port == TEST_NO_PORT; attempt++) {
		test_sh("ip link del %s 2>/dev/null", a);
		TEST_ASSERT_EQ(test_sh("ip link add %s mtu 1400 type veth peer "
				"name %s mtu 1400 && ip link set %s up && "
				"ip link set %s up", a, b, a, b), 0, "veth");
		snprintf(args, sizeof(args), "iface=%s", a);
		port = test_vdev("net_af_packet5", args);
	}
	if (port == TEST_NO_PORT || test_lib_port_up(port, pool, 1, 256) != 0)
		goto out;
	gso_offload_hw_caps_get(port, &hw);
	gso_offload_port_limits_get(port, &lim);
	if (hw.l3_flags != 0 || hw.l4_flags != 0 || active_kw(port) != 0) {
		printf("#   hw l3 %#x l4 %#x\n", hw.l3_flags, hw.l4_flags);
		goto out;
	}
	/* What rte_eth_dev_info does not say: the kernel's MTU rules. */
	if (lim.mtu != 1400 ||
			!(lim.flags & GSO_OFFLOAD_QUIRK_OVERSIZE_SILENT_DROP)) {
		printf("#   mtu %u flags %#x\n", lim.mtu, lim.flags);
		goto out;
	}
	rc = TEST_OK;
out:
	if (port != TEST_NO_PORT) {
		test_lib_port_down(port);
		test_port_close(port);
	}
	test_sh("ip link del %s 2>/dev/null", a);
	return rc;
}

static int
telemetry_lists_ports(void)
{
	struct test_vpair vp;
	char cmds[128], out[8192], key[64];
	int rc = TEST_FAIL;

	if (test_vpair_create(&vp, 3, true, pool) != 0 ||
			test_lib_port_up(vp.virtio, pool, 1, 256) != 0)
		goto out;
	gso_offload_wanted_set_str(vp.virtio, "lso6=off");
	snprintf(cmds, sizeof(cmds), "/gso_offload/caps\\n/gso_offload/port,%u",
		vp.virtio);
	if (test_telemetry(cmds, out, sizeof(out)) != 0)
		goto out;
	if (getenv("TEST_VERBOSE") != NULL)
		printf("#   telemetry: %s", out);
	snprintf(key, sizeof(key), "\"port%u_hw\": \"ipv4", vp.virtio);
	if (strstr(out, key) == NULL)
		goto fail;
	snprintf(key, sizeof(key), "\"port%u_wanted\": \"lso4,uso4,uso6\"",
		vp.virtio);
	if (strstr(out, key) == NULL)
		goto fail;
	snprintf(key, sizeof(key), "\"port%u_active\": \"lso4\"", vp.virtio);
	if (strstr(out, key) == NULL || strstr(out, "\"provider\": \"virtio\"") == NULL)
		goto fail;
	rc = TEST_OK;
	goto out;
fail:
	printf("#   missing %s in: %s\n", key, out);
out:
	test_lib_port_down(vp.virtio);
	test_vpair_destroy(&vp);
	return rc;
}

static int
setup(void)
{
	pool = test_poison_pktmbuf_pool_create("ports_pool", 8192, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	return pool == NULL;
}

static const struct test_case cases[] = {
	TEST_CASE(virtio_tso_on_gives_lso_v4_v6),
	TEST_CASE(virtio_tso_off_gives_none),
	TEST_CASE(virtio_keyword_toggles_hitless),
	TEST_CASE(virtio_keyword_toggles_reconfigure_port),
	TEST_CASE(restart_policy_rules),
	TEST_CASE(null_port_has_none),
	TEST_CASE(tap_gives_lso_ipv4_only),
	TEST_CASE(af_packet_has_none_and_kernel_mtu),
	TEST_CASE(telemetry_lists_ports),
};

int
main(int argc, char **argv)
{
	const struct test_suite suite = {
		.name = "ports",
		.setup = setup,
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = true,
	};

	return test_suite_run(&suite, argc, argv);
}
