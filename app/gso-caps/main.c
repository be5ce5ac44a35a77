/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * gso-caps: take every port the EAL gives under gso_offload and print what
 * each can (hardware), what the administrator wants and what is active,
 * then apply --offload settings and print again.
 *
 *   gso-caps [EAL args] -- [--vhost-pair TSO]... [--offload PORT:SPEC]...
 *
 * --vhost-pair 1|0  create a net_vhost port (devarg tso=1|0) and a
 *                   net_virtio_user port connected to it
 * --offload P:SPEC  e.g. 2:lso4=off,lso6=on (applied after start); the
 *                   encapsulation settings too (NDIS 6.50 encapsulated
 *                   offload): 2:encap_vxlan=off,vxlan_port=8472
 *
 * A port whose PMD segments tunnels prints its encapsulated offload per
 * encapsulation (hardware, wanted, active) after the GSO lines.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_dev.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "gso_offload.h"
#include "caps_desc.h"

#define MAX_PAIRS 4
#define MAX_OFFLOAD_ARGS 16

static struct rte_mempool *pool;

/* Descriptors per queue each port was set up with, for print_port(). */
static uint16_t nb_rxd[RTE_MAX_ETHPORTS], nb_txd[RTE_MAX_ETHPORTS];

static void
print_port(uint16_t port_id)
{
	char name[RTE_ETH_NAME_MAX_LEN];

	rte_eth_dev_get_name_by_port(port_id, name);
	printf("port %u  %-20s provider %s\n", port_id, name,
		gso_offload_port_provider_name(port_id));
	/* The port's own limits first, then what the provider adds
	 * (the dump's limits and txd lines: MSS, frame, per-descriptor). */
	printf("  queues    rx %u tx %u descriptors\n", nb_rxd[port_id],
		nb_txd[port_id]);
	gso_offload_port_dump(stdout, port_id);
}

static int
port_up(uint16_t port_id)
{
	struct rte_mempool *pools[1] = { pool };
	struct gso_offload_port_setup s = {
		.nb_rx_queues = 1, .nb_tx_queues = 1,
		.rx_pools = pools, .tx_socket_id = SOCKET_ID_ANY,
	};
	struct rte_eth_dev_info info;
	int ret = rte_eth_dev_info_get(port_id, &info);

	/* What the PMD accepts (vmxnet3: at least 512 TX descriptors). */
	if (ret == 0) {
		s.nb_rx_desc = caps_desc_count(&info.rx_desc_lim,
				CAPS_DESC_WANT);
		s.nb_tx_desc = caps_desc_count(&info.tx_desc_lim,
				CAPS_DESC_WANT);
		nb_rxd[port_id] = s.nb_rx_desc;
		nb_txd[port_id] = s.nb_tx_desc;
		ret = gso_offload_port_configure(port_id, &s);
	}
	if (ret == 0)
		ret = gso_offload_port_start(port_id);
	if (ret != 0)
		fprintf(stderr, "port %u: %s\n", port_id, strerror(-ret));
	return ret;
}

/* A vhost port (tso devarg) and a virtio_user port connected to it; only the
 * virtio side goes under the library: it is the one whose TX can offload. */
static int
vhost_pair(unsigned int idx, int tso, uint16_t *virtio)
{
	char vh[32], vu[32], args[160], sock[108];
	struct rte_eth_conf conf = { 0 };
	uint16_t vh_port;

	snprintf(sock, sizeof(sock), "/tmp/gso-caps-%d-%u.sock", (int)getpid(), idx);
	unlink(sock);
	snprintf(vh, sizeof(vh), "net_vhost%u", idx);
	snprintf(vu, sizeof(vu), "net_virtio_user%u", idx);
	snprintf(args, sizeof(args), "iface=%s,tso=%d", sock, tso);
	if (rte_vdev_init(vh, args) != 0 ||
			rte_eth_dev_get_port_by_name(vh, &vh_port) != 0)
		return -1;
	if (rte_eth_dev_configure(vh_port, 1, 1, &conf) != 0 ||
			rte_eth_rx_queue_setup(vh_port, 0, 256, SOCKET_ID_ANY,
				NULL, pool) != 0 ||
			rte_eth_tx_queue_setup(vh_port, 0, 256, SOCKET_ID_ANY,
				NULL) != 0 ||
			rte_eth_dev_start(vh_port) != 0)
		return -1;
	snprintf(args, sizeof(args), "%s,path=%s", vu, sock);
	if (rte_dev_probe(args) != 0 ||
			rte_eth_dev_get_port_by_name(vu, virtio) != 0)
		return -1;
	unlink(sock);   /* connected: the path is no longer needed */
	return 0;
}

static void
usage(const char *prog)
{
	printf("usage: %s [EAL args] -- [--vhost-pair 1|0]... [--offload PORT:SPEC]...\n"
		"  --vhost-pair TSO   add a net_vhost(tso=TSO) + net_virtio_user pair\n"
		"  --offload P:SPEC   apply keywords to port P after start,\n"
		"                     e.g. 2:lso4=off,lso6=on, or the encapsulation\n"
		"                     ones: encap, encap_vxlan, encap_geneve,\n"
		"                     encap_gre, encap_ipip=on|off, vxlan_port=N|hw\n",
		prog);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vhost-pair", required_argument, NULL, 'v' },
		{ "offload", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *offload[MAX_OFFLOAD_ARGS];
	int pairs[MAX_PAIRS], nb_pairs = 0, nb_offload = 0, opt, ret;
	uint16_t port_id;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "EAL initialisation failed\n");
		return 1;
	}
	argc -= ret;
	argv += ret;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			if (nb_pairs < MAX_PAIRS)
				pairs[nb_pairs++] = atoi(optarg) != 0;
			break;
		case 'o':
			if (nb_offload < MAX_OFFLOAD_ARGS)
				offload[nb_offload++] = optarg;
			break;
		default:
			usage(argv[0]);
			return opt == 'h' ? 0 : 1;
		}
	}

	pool = rte_pktmbuf_pool_create("caps_pool", 4096, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	if (pool == NULL)
		return 1;
	RTE_ETH_FOREACH_DEV(port_id)
		if (port_up(port_id) != 0)
			return 1;
	for (int i = 0; i < nb_pairs; i++) {
		uint16_t vu;

		if (vhost_pair(i, pairs[i], &vu) != 0 || port_up(vu) != 0) {
			fprintf(stderr, "vhost pair %d failed\n", i);
			return 1;
		}
	}

	printf("== negotiated capabilities\n");
	RTE_ETH_FOREACH_DEV(port_id) {
		struct rte_eth_dev_info info;

		/* The vhost ends are the peers, not ports under the library. */
		if (rte_eth_dev_info_get(port_id, &info) == 0 &&
				strcmp(info.driver_name, "net_vhost") == 0)
			continue;
		print_port(port_id);
	}

	if (nb_offload > 0) {
		printf("== after the administrator's settings\n");
		for (int i = 0; i < nb_offload; i++) {
			char *end;
			unsigned long p = strtoul(offload[i], &end, 10);

			if (*end != ':' || !rte_eth_dev_is_valid_port(p)) {
				fprintf(stderr, "bad --offload '%s'\n", offload[i]);
				return 1;
			}
			ret = gso_offload_wanted_set_str(p, end + 1);
			printf("port %lu: %s -> %s\n", p, end + 1,
				ret == 0 ? "applied" : strerror(-ret));
			if (ret == 0)
				print_port(p);
		}
	}

	/* virtio_user before vhost: the other order dies of SIGPIPE. */
	RTE_ETH_FOREACH_DEV(port_id) {
		gso_offload_port_stop(port_id);
		gso_offload_port_release(port_id);
	}
	for (int pass = 0; pass < 2; pass++)
		RTE_ETH_FOREACH_DEV(port_id) {
			struct rte_eth_dev_info info;
			bool is_vhost = rte_eth_dev_info_get(port_id, &info) == 0 &&
				strcmp(info.driver_name, "net_vhost") == 0;

			if (is_vhost == (pass == 1)) {
				rte_eth_dev_stop(port_id);
				rte_eth_dev_close(port_id);
			}
		}
	rte_eal_cleanup();
	return 0;
}
