/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_TEST_ENV_H
#define GSO_TEST_ENV_H

/* Real ports for integration tests: vdevs created at run time with names
 * unique to the process, so test binaries can run in parallel. */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#define TEST_NO_PORT UINT16_MAX

/* The EAL file prefix of this process (for dpdk-telemetry.py -f). */
const char *test_file_prefix(void);

/* Create a vdev; returns its port id or TEST_NO_PORT. */
uint16_t test_vdev(const char *name, const char *args);

/* Configure a port with one RX and one TX queue and the given TX
 * offloads, and start it (the application-owned way). */
int test_port_start_simple(uint16_t port_id, struct rte_mempool *pool,
		uint64_t tx_offloads);

/* Take a port under gso_offload (gso_offload_port_configure() with
 * nb_queues RX and TX queues of nb_desc descriptors, every RX queue on
 * pool) and start it. Returns 0 or a negative errno. */
int test_lib_port_up(uint16_t port_id, struct rte_mempool *pool,
		uint16_t nb_queues, uint16_t nb_desc);

/* Stop a port taken with test_lib_port_up() and release it from the
 * library (it stays open). */
void test_lib_port_down(uint16_t port_id);

/* Stop and close a port (ignores errors). */
void test_port_close(uint16_t port_id);

/* A net_virtio_user port talking to a net_vhost port of this process. The
 * vhost side is configured and started; the virtio side only probed. */
struct test_vpair {
	uint16_t vhost;
	uint16_t virtio;
	char sock[108];
	char vhost_name[32];
	char virtio_name[32];
};

int test_vpair_create(struct test_vpair *vp, unsigned int idx, bool tso,
		struct rte_mempool *pool);
/* Closes virtio first: the other order kills the process with SIGPIPE. */
void test_vpair_destroy(struct test_vpair *vp);

/* Poll an RX queue until max packets arrived or timeout_ms passed without
 * any arriving (a deadline, not a sleep). Returns the number received. */
unsigned int test_rx_poll(uint16_t port_id, uint16_t queue,
		struct rte_mbuf **pkts, unsigned int max, unsigned int timeout_ms);

/* Run telemetry commands (one per line) against this process with
 * dpdk-telemetry.py; out receives its output. Returns 0 or -1. */
int test_telemetry(const char *cmds, char *out, size_t len);

/* Interface names unique to this process: "<stem><pid mod 100000>". */
void test_ifname(char *buf, size_t len, const char *stem);

#endif /* GSO_TEST_ENV_H */
