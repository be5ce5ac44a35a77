/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_TEST_CONTRACT_H
#define GSO_TEST_CONTRACT_H

/*
 * The contract checker, installed with rte_eth_add_tx_callback(): every
 * packet handed to a PMD with TSO/USO flags must be allowed by the port's
 * active capabilities and carry consistent lengths and the pseudo-header;
 * a tunnel (RTE_MBUF_F_TX_TUNNEL_*) its encapsulation's: active
 * encapsulation and inner variant, outer_l2_len, outer_l3_len, l2_len
 * from the outer L4 header to the inner L3 one, OUTER_IPV4/IPV6, the
 * outer IPv4 checksum offloaded or right, a non-zero outer UDP checksum
 * offloaded with the outer pseudo-header in it, the VXLAN port; every
 * other packet must fit the MTU; no packet may hold an mbuf larger than
 * the port takes in one TX descriptor (max_seg_data_len). Shared by
 * tests/test_pipeline.c and
 * the TX pipeline fuzzer (tests/fuzz/fuzz_tx.c).
 */

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>

#include <rte_ethdev.h>

struct contract {
	uint64_t checked;
	uint64_t gso_pkts;
	uint64_t tun_pkts;        /* of gso_pkts: tunnels */
	uint64_t violations;
	bool need_port_offload;   /* the PMD must have TSO/USO configured */
	/* Pairs of the set a change replaces: on a hitless port, bursts that
	 * began before the change may use them until it returns. */
	uint32_t old_pairs;
	uint32_t old_encaps;      /* the same for encapsulations */
	/* The active limits of a set that had pairs: those of the hardware,
	 * the same for every such set (an empty set has zeros). */
	uint32_t set_max_offload, set_min_segments;
	uint16_t set_l4_offset_limit;
	char first[200];
	const struct rte_eth_rxtx_callback *cb[4];
	uint16_t port, nb_queues;
};

/* Watch nb_queues TX queues of a port; 0, or -1 if a callback could not
 * be added. */
int contract_attach(struct contract *c, uint16_t port_id, uint16_t nb_queues,
		bool need_port_offload);

/* Stop watching (the caller has stopped transmitting). */
void contract_detach(struct contract *c);

/* Change the wanted keywords (a gso_offload_wanted_set_str() spec) with
 * the checker watching: packets of bursts begun under the old set are
 * accepted until the change returns. c may be NULL. */
int contract_change(struct contract *c, uint16_t port_id, const char *spec);

/* In a test case (test.h): fail unless the checker saw no violation. */
#define CONTRACT_OK(c) TEST_ASSERT((c)->violations == 0,		\
	"%" PRIu64 " contract violations, first: %s", (c)->violations,	\
	(c)->first)

#endif /* GSO_TEST_CONTRACT_H */
