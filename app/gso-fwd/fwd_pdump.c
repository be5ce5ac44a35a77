/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * dpdk-dumpcap support, and the one race of DPDK 22.11's rte_pdump that
 * gso-fwd must close itself.
 *
 * When dpdk-dumpcap (a secondary process) stops capturing, the primary's
 * rte_pdump unlinks its RX and TX callbacks with
 * rte_eth_remove_{rx,tx}_callback() and replies at once; dumpcap then
 * frees the ring and the mempool those callbacks copy packets into.
 * Removal does not wait for a callback that is running (ethdev leaves that
 * to the application), so a worker still inside one copies into freed
 * memory, unmapped by then under dynamic memory: gso-fwd died of SIGSEGV
 * in rte_pcapng_copy() that way, under load, when dumpcap exited.
 *
 * gso-fwd defines both removal functions itself. The dynamic linker binds
 * librte_pdump's calls to them (an executable's definitions come first),
 * and each calls ethdev's, then waits for a grace period of the forwarding
 * lcores (gso_offload_tx_synchronize()): every RX and TX burst of a worker
 * runs between two of its quiescent reports, so once the wait ends no
 * worker is left in the callback, and pdump's reply, which lets dumpcap
 * free, comes after it. This needs the shared DPDK libraries gso-fwd is
 * built against (pkg-config's default); a static link would define the
 * functions twice and fail to link. It is gso-fwd's one reliance on how
 * DPDK is built: tests/test_fwd_pdump.c fails if librte_pdump's calls no
 * longer bind to these definitions (docs/abi.md).
 */

#include <dlfcn.h>      /* RTLD_NEXT: the build defines _GNU_SOURCE */
#include <errno.h>

#include <rte_ethdev.h>
#include <rte_pdump.h>

#include "fwd.h"

typedef int (*remove_cb_fn)(uint16_t port_id, uint16_t queue_id,
		const struct rte_eth_rxtx_callback *user_cb);

/* ethdev's own, resolved before rte_pdump can call either. */
static remove_cb_fn ethdev_remove_rx, ethdev_remove_tx;

/* Unlink as ethdev does, then wait until no worker runs the callback. */
static int
remove_and_wait(remove_cb_fn remove, uint16_t port_id, uint16_t queue_id,
		const struct rte_eth_rxtx_callback *user_cb)
{
	int ret;

	if (remove == NULL)
		return -ENOTSUP;
	ret = remove(port_id, queue_id, user_cb);
	if (ret == 0)
		gso_offload_tx_synchronize();
	return ret;
}

int
rte_eth_remove_rx_callback(uint16_t port_id, uint16_t queue_id,
		const struct rte_eth_rxtx_callback *user_cb)
{
	return remove_and_wait(ethdev_remove_rx, port_id, queue_id, user_cb);
}

int
rte_eth_remove_tx_callback(uint16_t port_id, uint16_t queue_id,
		const struct rte_eth_rxtx_callback *user_cb)
{
	return remove_and_wait(ethdev_remove_tx, port_id, queue_id, user_cb);
}

int
fwd_pdump_init(void)
{
	ethdev_remove_rx = (remove_cb_fn)(uintptr_t)dlsym(RTLD_NEXT,
		"rte_eth_remove_rx_callback");
	ethdev_remove_tx = (remove_cb_fn)(uintptr_t)dlsym(RTLD_NEXT,
		"rte_eth_remove_tx_callback");
	if (ethdev_remove_rx == NULL || ethdev_remove_tx == NULL) {
		fprintf(stderr, "gso-fwd: ethdev's callback removal not found: "
			"no dpdk-dumpcap support\n");
		return -ENOENT;
	}
	return rte_pdump_init();
}
