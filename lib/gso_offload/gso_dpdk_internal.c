/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * The library's reliances on DPDK internals, one function each (see
 * gso_dpdk_internal.h). Nothing else in the library reads ethdev's
 * internal state.
 */

#include <rte_ethdev.h>

#include "gso_dpdk_internal.h"

bool
gso_dpdk_port_started(uint16_t port_id)
{
	const struct rte_eth_fp_ops *fpo;

	if (!rte_eth_dev_is_valid_port(port_id))
		return false;
	/*
	 * No public "is the port started" query exists (none in 22.11, 24.11
	 * or 25.11); rte_eth_dev_info has no state, and the queue state of
	 * rte_eth_rx/tx_queue_info_get() is -ENOTSUP on net_null, net_tap and
	 * net_ring. So this relies on how ethdev fills the fast-path table
	 * that rte_eth_rx/tx_burst() read, rte_eth_fp_ops[] (exported because
	 * those inline functions need it):
	 *  - rte_eth_dev_start() points the port's rxq.data and txq.data at
	 *    the port's own RX and TX queue arrays, two different arrays
	 *    (also when the port has queues in one direction only);
	 *  - rte_eth_dev_stop(), a new port and port release point both at
	 *    one shared array (ethdev's dummy queue array); an entry ethdev
	 *    never reset holds NULL in both.
	 * Different pointers therefore mean started. The dummy array is
	 * unchanged through 25.11 (measured on 24.11 and 25.11).
	 * tests/test_dpdk_internal.c holds this against ethdev's own answer
	 * (rte_eth_dev_configure() is -EBUSY exactly while a port is started)
	 * on net_null and net_ring ports.
	 */
	fpo = &rte_eth_fp_ops[port_id];
	return fpo->txq.data != fpo->rxq.data;
}
