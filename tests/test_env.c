/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "gso_offload.h"
#include "test_env.h"

const char *
test_file_prefix(void)
{
	static char prefix[32];

	if (prefix[0] == '\0')
		snprintf(prefix, sizeof(prefix), "gsot%d", (int)getpid());
	return prefix;
}

int
test_telemetry(const char *cmds, char *out, size_t len)
{
	char cmd[1024];
	size_t used = 0;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "printf '%s\\n' | dpdk-telemetry.py -f %s 2>&1",
		cmds, test_file_prefix());
	f = popen(cmd, "r");
	if (f == NULL)
		return -1;
	while (used + 1 < len && fgets(out + used, (int)(len - used), f) != NULL)
		used += strlen(out + used);
	out[used] = '\0';
	return pclose(f) == 0 ? 0 : -1;
}

void
test_ifname(char *buf, size_t len, const char *stem)
{
	snprintf(buf, len, "%s%d", stem, (int)(getpid() % 100000));
}

uint16_t
test_vdev(const char *name, const char *args)
{
	uint16_t port_id;

	if (rte_vdev_init(name, args) != 0)
		return TEST_NO_PORT;
	if (rte_eth_dev_get_port_by_name(name, &port_id) != 0)
		return TEST_NO_PORT;
	return port_id;
}

int
test_port_start_simple(uint16_t port_id, struct rte_mempool *pool,
		uint64_t tx_offloads)
{
	struct rte_eth_conf conf = { 0 };
	int ret;

	conf.txmode.offloads = tx_offloads;
	ret = rte_eth_dev_configure(port_id, 1, 1, &conf);
	/* TX before RX: net_tap since 24.07 sets its TSO context up only
	 * for a TX queue set up before the RX queue (gso_offload_port.c). */
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(port_id, 0, 256,
				rte_eth_dev_socket_id(port_id), NULL);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(port_id, 0, 256,
				rte_eth_dev_socket_id(port_id), NULL, pool);
	if (ret == 0)
		ret = rte_eth_dev_start(port_id);
	return ret;
}

int
test_lib_port_up(uint16_t port_id, struct rte_mempool *pool,
		uint16_t nb_queues, uint16_t nb_desc)
{
	struct rte_mempool *pools[RTE_MAX_QUEUES_PER_PORT];
	struct gso_offload_port_setup s = {
		.nb_rx_queues = nb_queues, .nb_tx_queues = nb_queues,
		.nb_rx_desc = nb_desc, .nb_tx_desc = nb_desc,
		.rx_pools = pools, .tx_socket_id = SOCKET_ID_ANY,
	};
	int ret;

	if (nb_queues == 0 || nb_queues > RTE_DIM(pools))
		return -EINVAL;
	for (uint16_t q = 0; q < nb_queues; q++)
		pools[q] = pool;
	ret = gso_offload_port_configure(port_id, &s);
	return ret != 0 ? ret : gso_offload_port_start(port_id);
}

void
test_lib_port_down(uint16_t port_id)
{
	gso_offload_port_stop(port_id);
	gso_offload_port_release(port_id);
}

void
test_port_close(uint16_t port_id)
{
	if (port_id == TEST_NO_PORT || !rte_eth_dev_is_valid_port(port_id))
		return;
	rte_eth_dev_stop(port_id);
	rte_eth_dev_close(port_id);
}

int
test_vpair_create(struct test_vpair *vp, unsigned int idx, bool tso,
		struct rte_mempool *pool)
{
	char args[192];

	memset(vp, 0, sizeof(*vp));
	vp->vhost = vp->virtio = TEST_NO_PORT;
	snprintf(vp->sock, sizeof(vp->sock), "/tmp/gso-test-%d-%u.sock",
		(int)getpid(), idx);
	unlink(vp->sock);
	snprintf(vp->vhost_name, sizeof(vp->vhost_name), "net_vhost%u", idx);
	snprintf(vp->virtio_name, sizeof(vp->virtio_name), "net_virtio_user%u",
		idx);

	/* The vhost port must listen before virtio_user connects. */
	snprintf(args, sizeof(args), "iface=%s,tso=%d", vp->sock, tso ? 1 : 0);
	vp->vhost = test_vdev(vp->vhost_name, args);
	if (vp->vhost == TEST_NO_PORT)
		return -1;
	if (test_port_start_simple(vp->vhost, pool, 0) != 0)
		return -1;
	snprintf(args, sizeof(args), "%s,path=%s,queues=1", vp->virtio_name,
		vp->sock);
	if (rte_dev_probe(args) != 0)
		return -1;
	if (rte_eth_dev_get_port_by_name(vp->virtio_name, &vp->virtio) != 0) {
		vp->virtio = TEST_NO_PORT;
		return -1;
	}
	return 0;
}

void
test_vpair_destroy(struct test_vpair *vp)
{
	test_port_close(vp->virtio);
	test_port_close(vp->vhost);
	vp->virtio = vp->vhost = TEST_NO_PORT;
	unlink(vp->sock);
}

unsigned int
test_rx_poll(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
		unsigned int max, unsigned int timeout_ms)
{
	const uint64_t span = rte_get_timer_hz() / 1000 * timeout_ms;
	uint64_t deadline = rte_get_timer_cycles() + span;
	unsigned int got = 0;

	while (got < max && rte_get_timer_cycles() < deadline) {
		uint16_t n = rte_eth_rx_burst(port_id, queue, pkts + got,
				RTE_MIN(max - got, 32u));

		if (n != 0)
			deadline = rte_get_timer_cycles() + span;
		got += n;
	}
	return got;
}
