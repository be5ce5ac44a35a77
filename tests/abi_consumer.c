/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * An outside program. tests/test_abi.py builds it, not meson: from the
 * installed headers and `pkg-config --cflags --libs libgso_offload` only,
 * against the installed libgso_offload.so, as a user of the library would.
 * It runs with EAL up and one net_null port (--vdev), and prints key=value
 * lines that the test checks: a keyword parse, a port described,
 * configured, started and sent through, and the file the library was
 * loaded from.
 */

#ifndef _GNU_SOURCE
#define _GNU_SOURCE     /* dladdr() */
#endif

#include <dlfcn.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include <gso_offload.h>

static void
keywords(void)
{
	uint32_t on = 0, off = 0;
	char err[128] = "", buf[64];
	int ret;

	ret = gso_offload_wanted_parse("LsoV2IPv4=on, uso6=off", &on, &off,
			err, sizeof(err));
	printf("parse=%d\n", ret);
	gso_offload_keywords_str(on, buf, sizeof(buf));
	printf("on=%s\n", buf);
	gso_offload_keywords_str(off, buf, sizeof(buf));
	printf("off=%s\n", buf);
	ret = gso_offload_wanted_parse("lso4=maybe", &on, &off, err,
			sizeof(err));
	printf("parse_bad=%d\n", ret);
	printf("parse_bad_err=%s\n", err);
}

static void
describe(uint16_t port)
{
	struct gso_offload_port_limits lim;
	struct gso_offload_caps caps;
	struct rte_eth_dev_info info;
	char buf[128];
	int ret;

	if (rte_eth_dev_info_get(port, &info) == 0)
		printf("provider_for_driver=%s\n",
			gso_offload_provider_find(info.driver_name)->name);
	ret = gso_offload_port_describe(port, &caps, &lim);
	printf("describe=%d\n", ret);
	printf("caps_valid_size=%d\n", caps.size == sizeof(caps));
	gso_offload_l3_flags_str(caps.l3_flags, buf, sizeof(buf));
	printf("l3=%s\n", buf);
	gso_offload_l4_flags_str(caps.l4_flags, buf, sizeof(buf));
	printf("l4=%s\n", buf);
}

/* Configure, start, send one plain packet through the pipeline, stop. */
static void
lifecycle(uint16_t port)
{
	struct rte_mempool *pool, *seg_pool;
	struct gso_offload_port_setup setup = {
		.nb_rx_queues = 1, .nb_tx_queues = 1,
		.nb_rx_desc = 64, .nb_tx_desc = 64,
		.tx_socket_id = SOCKET_ID_ANY,
	};
	struct gso_offload_tx_conf tc = { .socket_id = SOCKET_ID_ANY };
	struct gso_offload_tx_stats st;
	struct gso_offload_tx *tx;
	struct rte_mbuf *m;

	pool = rte_pktmbuf_pool_create("consumer", 1023, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	seg_pool = gso_offload_seg_pool_create("consumer_seg", 255,
			GSO_OFFLOAD_MAX_HDR_LEN, SOCKET_ID_ANY);
	if (pool == NULL || seg_pool == NULL) {
		printf("error=pools\n");
		return;
	}
	setup.rx_pools = &pool;
	tc.seg_pool = seg_pool;
	printf("configure=%d\n", gso_offload_port_configure(port, &setup));
	printf("provider=%s\n", gso_offload_port_provider_name(port));
	printf("start=%d\n", gso_offload_port_start(port));
	printf("started=%d\n", gso_offload_port_is_started(port));

	tx = gso_offload_tx_create(&tc);
	m = rte_pktmbuf_alloc(pool);
	if (tx == NULL || m == NULL || rte_pktmbuf_append(m, 60) == NULL) {
		printf("error=tx\n");
		return;
	}
	memset(rte_pktmbuf_mtod(m, void *), 0, 60);
	printf("sent=%u\n", gso_offload_tx_burst(tx, port, 0, &m, 1));
	if (gso_offload_tx_stats_get(port, &st) == 0)
		printf("pass_pkts=%" PRIu64 "\n", st.pass_pkts);
	gso_offload_tx_offline(tx);
	gso_offload_tx_free(tx);

	printf("stop=%d\n", gso_offload_port_stop(port));
	printf("stopped=%d\n", !gso_offload_port_is_started(port));
	printf("release=%d\n", gso_offload_port_release(port));
}

int
main(int argc, char **argv)
{
	uint16_t p, port = 0, nb_ports = 0;
	Dl_info dli;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (rte_eal_init(argc, argv) < 0) {
		printf("error=eal\n");
		return 1;
	}
	printf("runtime_dir=%s\n", rte_eal_get_runtime_dir());
	if (dladdr((void *)(uintptr_t)gso_offload_caps_init, &dli) != 0)
		printf("library=%s\n", dli.dli_fname);
	keywords();
	RTE_ETH_FOREACH_DEV(p)
		if (nb_ports++ == 0)
			port = p;
	printf("ports=%u\n", nb_ports);
	if (nb_ports > 0) {
		describe(port);
		lifecycle(port);
	}
	rte_eal_cleanup();
	printf("done=1\n");
	return 0;
}
