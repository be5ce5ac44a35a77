/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_TEST_RING_PORT_H
#define GSO_TEST_RING_PORT_H

/*
 * A net_ring port whose TX ring is its RX ring, taken under gso_offload
 * with a test provider: what the pipeline hands the PMD is read back from
 * the ring. Its own file of the test library, so that only the tests that
 * use it (and link net_ring) pull it in.
 */

#include <stdint.h>

#include <rte_mempool.h>
#include <rte_ring.h>

#include "gso_offload.h"

struct test_ring_port {
	uint16_t port_id;
	struct rte_ring *ring;  /* 4096 entries, what the port transmitted */
};

/* Create the ring and the port (named name, its ring name "_r"), give it
 * provider prov and take it up with test_lib_port_up() (one queue, 512
 * descriptors, RX on rx_pool). Returns 0 or -1. */
int test_ring_port_create(struct test_ring_port *rp, const char *name,
		const struct gso_offload_provider *prov,
		struct rte_mempool *rx_pool);

/* Free every packet the port transmitted so far. */
void test_ring_port_drain(struct test_ring_port *rp);

/* Take the port down, free what it holds, close it, free the ring. */
void test_ring_port_destroy(struct test_ring_port *rp);

#endif /* GSO_TEST_RING_PORT_H */
