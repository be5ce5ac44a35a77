/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Setting up: which worker serves which (port, RX queue), each worker's
 * pools and pipeline on its own NUMA socket, the ports under gso_offload;
 * and taking it all down again with every mbuf accounted for.
 *
 * TX queues: a worker transmits on a queue of its own on every egress
 * port it forwards to, so no queue is ever shared and nothing is locked.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>

#include "fwd.h"

#ifdef FWD_POISON_POOLS
/* The sanitizer build (app/meson.build): pools that poison freed mbufs,
 * without a cache (every free is seen). */
#include "test_poison.h"
#define fwd_pktmbuf_pool_create(name, n, cache, priv, room, socket) \
	test_poison_pktmbuf_pool_create(name, n, priv, room, socket)
#define fwd_seg_pool_create test_poison_seg_pool_create
#else
#define fwd_pktmbuf_pool_create rte_pktmbuf_pool_create
#define fwd_seg_pool_create gso_offload_seg_pool_create
#endif

#define FWD_RX_PREFETCH 2048   /* mbufs beyond the RX rings per worker */

static struct rte_mempool *all_pools[3 * RTE_MAX_LCORE];
static unsigned int nb_all_pools;
static bool port_configured[RTE_MAX_ETHPORTS];

/* What setting up needs to know of each port in use, gathered once. */
struct port_plan {
	struct rte_eth_dev_info info;
	uint16_t nb_rxq, nb_txq;
	bool rss;
};
static struct port_plan plan[RTE_MAX_ETHPORTS];

/* Whether gso-fwd forwards from or to port. */
bool
fwd_port_used(uint16_t port)
{
	for (unsigned int i = 0; i < fwd_cfg.nb_ports; i++)
		if (fwd_cfg.ports[i] == port)
			return true;
	return false;
}

/* The number of RX queues a port gets, and whether RSS spreads them. */
static uint16_t
port_rxqs(uint16_t port, const struct rte_eth_dev_info *info, bool *rss)
{
	uint16_t n = RTE_MIN(fwd_cfg.nb_rxq, info->max_rx_queues);

	if (n < fwd_cfg.nb_rxq)
		printf("gso-fwd: port %u: %u RX queues (the most it has)\n",
			port, n);
	*rss = n > 1 && (info->flow_type_rss_offloads &
		(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP)) != 0;
	if (*rss)
		printf("gso-fwd: port %u: RSS over %u RX queues\n", port, n);
	else if (n > 1)
		printf("gso-fwd: port %u: no RSS; its %u queues are filled by "
			"the PMD's own spreading\n", port, n);
	return n;
}

/*
 * Deal the (port, queue) pairs out to the workers, round robin, port by
 * port: a port's queues land on different workers first, so that what RSS
 * spreads over the queues is spread over the lcores too.
 */
static void
assign_rx(void)
{
	unsigned int w = 0;

	for (unsigned int i = 0; i < fwd_cfg.nb_ports; i++) {
		uint16_t port = fwd_cfg.ports[i];

		if (!fwd_cfg.forwards[port])
			continue;
		for (uint16_t q = 0; q < plan[port].nb_rxq; q++) {
			struct fwd_lcore *lc = &fwd_lcores[w];

			w = (w + 1) % fwd_nb_lcores;
			lc->rx[lc->nb_rx++] = (struct fwd_rx){
				.port = port, .queue = q,
				.dst = fwd_cfg.dst[port],
			};
		}
	}
}

/* A TX queue of its own for each worker on each port it sends to; a
 * port nobody sends to still gets one (idle). */
static void
assign_tx(void)
{
	for (unsigned int w = 0; w < fwd_nb_lcores; w++) {
		struct fwd_lcore *lc = &fwd_lcores[w];
		int txq_on[RTE_MAX_ETHPORTS];

		for (unsigned int p = 0; p < RTE_MAX_ETHPORTS; p++)
			txq_on[p] = -1;
		for (unsigned int r = 0; r < lc->nb_rx; r++) {
			uint16_t d = lc->rx[r].dst;

			if (txq_on[d] < 0)
				txq_on[d] = plan[d].nb_txq++;
			lc->rx[r].txq = (uint16_t)txq_on[d];
		}
	}
	for (unsigned int i = 0; i < fwd_cfg.nb_ports; i++)
		if (plan[fwd_cfg.ports[i]].nb_txq == 0)
			plan[fwd_cfg.ports[i]].nb_txq = 1;
}

static struct rte_mempool *
pool_keep(struct rte_mempool *mp)
{
	if (mp != NULL)
		all_pools[nb_all_pools++] = mp;
	return mp;
}

/* The largest L3 MTU of the egress ports: copies must hold a segment. */
static uint16_t
max_egress_mtu(void)
{
	uint16_t mtu = RTE_ETHER_MTU;

	for (unsigned int i = 0; i < fwd_cfg.nb_ports; i++) {
		uint16_t m = 0;

		if (rte_eth_dev_get_mtu(fwd_cfg.ports[i], &m) == 0)
			mtu = RTE_MAX(mtu, m);
	}
	return mtu;
}

/* Each worker's pools and pipeline on the worker's socket. */
static int
lcore_resources(struct fwd_lcore *lc, unsigned int idx, uint16_t mtu)
{
	const int socket = (int)rte_lcore_to_socket_id(lc->lcore_id);
	const uint16_t copy_room = RTE_MAX((uint16_t)RTE_MBUF_DEFAULT_DATAROOM,
		(uint16_t)RTE_ALIGN_CEIL(mtu + RTE_ETHER_HDR_LEN +
			2 * RTE_VLAN_HLEN, 64));
	uint32_t nb_rx = fwd_cfg.nb_mbufs;
	struct gso_offload_tx_conf tc;
	char name[RTE_MEMPOOL_NAMESIZE];

	/* RX rings, a prefetch margin, TX rings and hold queues: held
	 * packets are RX mbufs that must not starve the rings. */
	if (nb_rx == 0)
		nb_rx = lc->nb_rx * fwd_cfg.nb_rxd + FWD_RX_PREFETCH +
			fwd_cfg.nb_ports * (fwd_cfg.nb_txd + fwd_cfg.hold);
	snprintf(name, sizeof(name), "fwd_rx_%u", idx);
	lc->rx_pool = pool_keep(fwd_pktmbuf_pool_create(name, nb_rx, 256, 0,
			fwd_cfg.mbuf_size, socket));
	/* A 64 KB superframe is up to 2 mbufs per segment (header and
	 * reference); a full TX ring per egress port holds more. */
	snprintf(name, sizeof(name), "fwd_seg_%u", idx);
	lc->seg_pool = pool_keep(fwd_seg_pool_create(name,
			16384 + 2 * fwd_cfg.nb_ports * fwd_cfg.nb_txd,
			GSO_OFFLOAD_MAX_HDR_LEN, socket));
	snprintf(name, sizeof(name), "fwd_copy_%u", idx);
	lc->copy_pool = pool_keep(fwd_seg_pool_create(name,
			8192 + fwd_cfg.nb_ports * fwd_cfg.nb_txd, copy_room,
			socket));
	if (lc->rx_pool == NULL || lc->seg_pool == NULL ||
			lc->copy_pool == NULL) {
		fprintf(stderr, "gso-fwd: lcore %u: cannot create its pools "
			"(%u RX mbufs of %u bytes) on socket %d: %s\n",
			lc->lcore_id, nb_rx, fwd_cfg.mbuf_size, socket,
			rte_strerror(rte_errno));
		return -ENOMEM;
	}
	tc = (struct gso_offload_tx_conf){ .seg_pool = lc->seg_pool,
		.copy_pool = lc->copy_pool, .socket_id = socket };
	lc->tx = gso_offload_tx_create(&tc);
	lc->cnt = rte_zmalloc_socket("fwd_counters",
			sizeof(*lc->cnt) * RTE_MAX_ETHPORTS, RTE_CACHE_LINE_SIZE,
			socket);
	if (lc->tx == NULL || lc->cnt == NULL) {
		fprintf(stderr, "gso-fwd: lcore %u: no memory for its pipeline\n",
			lc->lcore_id);
		return -ENOMEM;
	}
	/* A hold queue per egress port (fwd_loop.c); none with --hold 0. */
	for (unsigned int r = 0; r < lc->nb_rx && fwd_cfg.hold != 0; r++) {
		uint16_t d = lc->rx[r].dst;

		if (lc->hold[d] != NULL)
			continue;
		lc->hold[d] = rte_zmalloc_socket("fwd_hold", sizeof(*lc->hold[d]) +
				fwd_cfg.hold * sizeof(lc->hold[d]->pkts[0]),
				RTE_CACHE_LINE_SIZE, socket);
		if (lc->hold[d] == NULL) {
			fprintf(stderr, "gso-fwd: lcore %u: no memory for its "
				"hold queues\n", lc->lcore_id);
			return -ENOMEM;
		}
		lc->hold[d]->port = d;
		lc->hold[d]->txq = lc->rx[r].txq;
	}
	return 0;
}

/* Configure and start one port under gso_offload. */
static int
port_up(uint16_t port)
{
	const struct port_plan *pp = &plan[port];
	const struct rte_eth_dev_info *info = &pp->info;
	struct rte_mempool *pools[FWD_MAX_RXQ];
	struct gso_offload_port_setup s = {
		.nb_rx_queues = pp->nb_rxq, .nb_tx_queues = pp->nb_txq,
		.nb_rx_desc = fwd_cfg.nb_rxd, .nb_tx_desc = fwd_cfg.nb_txd,
		.rx_pools = pools, .tx_socket_id = SOCKET_ID_ANY,
	};
	int ret;

	/* Each queue's pool is that of the worker serving it; an egress-only
	 * port's one queue takes the first worker's. */
	pools[0] = fwd_lcores[0].rx_pool;
	for (unsigned int w = 0; w < fwd_nb_lcores; w++)
		for (unsigned int r = 0; r < fwd_lcores[w].nb_rx; r++)
			if (fwd_lcores[w].rx[r].port == port)
				pools[fwd_lcores[w].rx[r].queue] =
					fwd_lcores[w].rx_pool;
	if (pp->rss) {
		s.conf.rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
		s.conf.rx_adv_conf.rss_conf.rss_hf = info->flow_type_rss_offloads &
			(RTE_ETH_RSS_IP | RTE_ETH_RSS_TCP | RTE_ETH_RSS_UDP);
	}
	if (info->tx_offload_capa & RTE_ETH_TX_OFFLOAD_MULTI_SEGS)
		s.conf.txmode.offloads |= RTE_ETH_TX_OFFLOAD_MULTI_SEGS;

	if (fwd_cfg.restart[port]) {
		ret = gso_offload_port_set_restart(port, 1);
		if (ret != 0) {
			fprintf(stderr, "gso-fwd: port %u: restart on change: %s\n",
				port, strerror(-ret));
			return ret;
		}
	}
	ret = gso_offload_port_configure(port, &s);
	if (ret != 0) {
		fprintf(stderr, "gso-fwd: port %u: configure: %s%s\n", port,
			strerror(-ret), strcmp(info->driver_name,
				"net_af_packet") == 0 ? " (net_af_packet "
				"needs --mbuf-size of at least its framesz + 96)" : "");
		return ret;
	}
	port_configured[port] = true;
	ret = gso_offload_port_start(port);
	if (ret != 0) {
		fprintf(stderr, "gso-fwd: port %u: start: %s\n", port,
			strerror(-ret));
		return ret;
	}
	ret = rte_eth_promiscuous_enable(port);
	if (ret != 0 && ret != -ENOTSUP)
		fprintf(stderr, "gso-fwd: port %u: promiscuous mode: %s\n",
			port, strerror(-ret));
	if (fwd_cfg.check_contract) {
		ret = fwd_contract_attach(port, pp->nb_txq);
		if (ret != 0) {
			fprintf(stderr, "gso-fwd: port %u: contract checker: %s\n",
				port, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

static void
numa_check(void)
{
	for (unsigned int w = 0; w < fwd_nb_lcores; w++) {
		const struct fwd_lcore *lc = &fwd_lcores[w];
		int ls = (int)rte_lcore_to_socket_id(lc->lcore_id);

		for (unsigned int r = 0; r < lc->nb_rx; r++) {
			int ps = rte_eth_dev_socket_id(lc->rx[r].port);

			if (ps >= 0 && ps != ls)
				printf("gso-fwd: WARNING: port %u (socket %d) "
					"is served by lcore %u on socket %d\n",
					lc->rx[r].port, ps, lc->lcore_id, ls);
		}
	}
}

/* The administrator's --offload P:SPEC settings; before the ports are
 * configured, so that no reconfiguration is needed. */
static int
apply_offload_args(void)
{
	for (unsigned int i = 0; i < fwd_cfg.nb_offloads; i++) {
		const char *arg = fwd_cfg.offloads[i];
		char *end, err[128];
		unsigned long port = strtoul(arg, &end, 10);

		if (end == arg || *end != ':' || port >= RTE_MAX_ETHPORTS ||
				!rte_eth_dev_is_valid_port((uint16_t)port)) {
			fprintf(stderr, "gso-fwd: --offload %s: expected "
				"PORT:SPEC with a valid port\n", arg);
			return -EINVAL;
		}
		if (fwd_set_offload((uint16_t)port, end + 1, err,
				sizeof(err)) != 0) {
			fprintf(stderr, "gso-fwd: --offload %s: %s\n", arg, err);
			return -EINVAL;
		}
	}
	return 0;
}

int
fwd_setup(void)
{
	unsigned int pairs = 0;
	uint16_t mtu;
	int ret;

	for (unsigned int i = 0; i < fwd_cfg.nb_ports; i++) {
		uint16_t port = fwd_cfg.ports[i];
		struct port_plan *pp = &plan[port];

		ret = rte_eth_dev_info_get(port, &pp->info);
		if (ret != 0)
			return ret;
		pp->nb_rxq = fwd_cfg.forwards[port] ?
			port_rxqs(port, &pp->info, &pp->rss) : 1;
		if (fwd_cfg.forwards[port])
			pairs += pp->nb_rxq;
	}
	/* No more workers than (port, queue) pairs to serve. */
	if (fwd_nb_lcores > pairs) {
		printf("gso-fwd: %u (port, queue) pairs: using %u of the %u "
			"worker lcores\n", pairs, pairs, fwd_nb_lcores);
		fwd_nb_lcores = pairs;
	}
	assign_rx();
	assign_tx();
	numa_check();

	mtu = max_egress_mtu();
	for (unsigned int w = 0; w < fwd_nb_lcores; w++) {
		ret = lcore_resources(&fwd_lcores[w], w, mtu);
		if (ret != 0)
			return ret;
	}
	ret = apply_offload_args();
	if (ret != 0)
		return ret;

	for (unsigned int i = 0; i < fwd_cfg.nb_ports; i++) {
		uint16_t port = fwd_cfg.ports[i];
		const struct port_plan *pp = &plan[port];

		if (pp->nb_txq > pp->info.max_tx_queues) {
			fprintf(stderr, "gso-fwd: port %u has %u TX queues, %u "
				"workers send to it: use fewer lcores or give "
				"the port more queues\n", port,
				pp->info.max_tx_queues, pp->nb_txq);
			return -EINVAL;
		}
		ret = port_up(port);
		if (ret != 0)
			return ret;
	}

	/* What the workers need to know of each egress port, now that the
	 * provider has recorded its limits. */
	for (unsigned int w = 0; w < fwd_nb_lcores; w++) {
		struct fwd_lcore *lc = &fwd_lcores[w];

		for (unsigned int r = 0; r < lc->nb_rx; r++) {
			struct fwd_rx *rx = &lc->rx[r];
			const char *drv = plan[rx->port].info.driver_name;
			struct gso_offload_port_limits lim;

			rx->partial_cksums = strcmp(drv, "net_af_packet") == 0 ||
				strcmp(drv, "net_tap") == 0;
			if (gso_offload_port_limits_get(rx->dst, &lim) != 0 ||
					lim.mtu == 0)
				rte_eth_dev_get_mtu(rx->dst, &lim.mtu);
			rx->dst_mtu = lim.mtu;
			rx->dst_multi_seg = (lim.tx_offload_capa &
				RTE_ETH_TX_OFFLOAD_MULTI_SEGS) != 0;
		}
	}
	return 0;
}

void
fwd_teardown(void)
{
	/* Close in reverse: a net_virtio_user port goes before the net_vhost
	 * port it talks to (the other order kills the process). */
	for (int i = (int)fwd_cfg.nb_ports - 1; i >= 0; i--) {
		uint16_t port = fwd_cfg.ports[i];

		if (!port_configured[port])
			continue;
		fwd_contract_detach(port);
		if (gso_offload_port_is_started(port))
			gso_offload_port_stop(port);
		rte_eth_dev_close(port);
		gso_offload_port_release(port);
		port_configured[port] = false;
	}
	for (unsigned int w = 0; w < fwd_nb_lcores; w++) {
		gso_offload_tx_free(fwd_lcores[w].tx);
		fwd_lcores[w].tx = NULL;
		/* The workers emptied them (fwd_loop.c, holds_drain()). */
		for (unsigned int p = 0; p < RTE_MAX_ETHPORTS; p++) {
			rte_free(fwd_lcores[w].hold[p]);
			fwd_lcores[w].hold[p] = NULL;
		}
	}
}

/* Mbufs not back in their pools (every port must be closed first). */
unsigned int
fwd_mbufs_in_use(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < nb_all_pools; i++)
		n += rte_mempool_in_use_count(all_pools[i]);
	return n;
}
