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

/* Encapsulations bench_tun_superframe() builds (BENCH_TUN_NONE: a plain
 * frame, as bench_superframe()). */
enum bench_tun {
	BENCH_TUN_NONE,
	BENCH_TUN_VXLAN,    /* outer UDP to 4789, VXLAN, inner Ethernet */
	BENCH_TUN_GENEVE,   /* outer UDP to 6081, GENEVE with one 8-byte
			     * option (as OVN's), inner Ethernet */
	BENCH_TUN_GRE,      /* GRE without C/K/S bits, inner IP (a "gre"
			     * device's frames) */
};

/* The outer layer: outer Ethernet + outer IP + (UDP + VXLAN/GENEVE +
 * inner Ethernet | GRE), i.e. the offset of the inner L3 header. 0 for
 * BENCH_TUN_NONE. */
uint32_t bench_tun_outer_len(int tun, int outer_l3);

/* The whole header stack of a tunnel superframe: outer layer + inner L3
 * + inner L4. */
uint32_t bench_tun_hdr_len(int tun, int outer_l3, int l3, int l4);

/* A tunnel superframe: the inner frame bench_superframe() would build
 * (same addresses, ports, sequence number, payload bytes) inside tun over
 * an outer IPv4 (outer_l3 4) or IPv6 (6) header, with DPDK's tunnel
 * segmentation metadata (RTE_MBUF_F_TX_TUNNEL_*, OUTER_IPV4/6,
 * outer_l2_len, outer_l3_len, l2_len = outer L4 + tunnel header + inner
 * Ethernet, inner l3_len/l4_len, tso_segsz = inner MSS). The outer UDP
 * checksum is 0 over IPv4 (Linux's VXLAN/GENEVE default) and non-zero
 * over IPv6 (RFC 8200; Linux's default, udp6zerocsumtx off). NULL if the
 * pool's data room is too small. */
struct rte_mbuf *bench_tun_superframe(struct rte_mempool *mp, int tun,
		int outer_l3, int l3, int l4, uint32_t payload, uint16_t mss,
		uint32_t seed);

/* Make m (built by bench_tun_superframe()) a superframe of flow number
 * flow: inner L4 source port 40000 + flow and, over UDP, outer source
 * port 49152 + flow (the sender's hash of the inner flow). */
void bench_tun_set_flow(struct rte_mbuf *m, int tun, int outer_l3, int l3,
		int l4, uint16_t flow);

/* Fill an mbuf with a plain frame of frame_len bytes (UDP/IPv4, valid
 * checksums), for pass-through traffic. */
int bench_small_frame(struct rte_mbuf *m, uint16_t frame_len);

#endif /* GSO_BENCH_PKT_H */
