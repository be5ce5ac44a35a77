/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#include <stdio.h>

#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "test_env.h"
#include "test_ring_port.h"

int
test_ring_port_create(struct test_ring_port *rp, const char *name,
		const struct gso_offload_provider *prov,
		struct rte_mempool *rx_pool)
{
	char rname[32];
	int port;

	snprintf(rname, sizeof(rname), "%s_r", name);
	rp->ring = rte_ring_create(rname, 4096, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	if (rp->ring == NULL)
		return -1;
	port = rte_eth_from_rings(name, &rp->ring, 1, &rp->ring, 1,
			SOCKET_ID_ANY);
	if (port < 0 || port >= RTE_MAX_ETHPORTS)
		return -1;
	rp->port_id = (uint16_t)port;
	if (gso_offload_port_set_provider(rp->port_id, prov) != 0)
		return -1;
	return test_lib_port_up(rp->port_id, rx_pool, 1, 512);
}

void
test_ring_port_drain(struct test_ring_port *rp)
{
	void *got[256];
	unsigned int k;

	while ((k = rte_ring_dequeue_burst(rp->ring, got, RTE_DIM(got),
			NULL)) > 0)
		rte_pktmbuf_free_bulk((struct rte_mbuf **)got, k);
}

void
test_ring_port_destroy(struct test_ring_port *rp)
{
	test_lib_port_down(rp->port_id);
	test_ring_port_drain(rp);
	rte_eth_dev_close(rp->port_id);
	rte_ring_free(rp->ring);
}
