/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_BENCH_PKT_H
#define GSO_BENCH_PKT_H

/* Superframes for the benchmarks: Ethernet + IPv4/IPv6 + TCP/UDP + payload
 * in one mbuf, with DPDK's segmentation metadata set. */

#include <stdint.h>

#include <rte_mbuf.h>

/* L2 + L3 + L4 header length of what bench_superframe() builds. */
uint32_t bench_hdr_len(int l3, int l4);

/* A superframe (NULL if the pool's data room is too small). */
struct rte_mbuf *bench_superframe(struct rte_mempool *mp, int l3, int l4,
		uint32_t payload, uint16_t mss, uint32_t seed);

/* Make m (built by bench_superframe()) a superframe of flow number flow:
 * L4 source port 40000 + flow. */
void bench_set_flow(struct rte_mbuf *m, int l3, int l4, uint16_t flow);

/* Fill an mbuf with a plain frame of frame_len bytes (UDP/IPv4, valid
 * checksums), for pass-through traffic. */
int bench_small_frame(struct rte_mbuf *m, uint16_t frame_len);

#endif /* GSO_BENCH_PKT_H */
