/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_TEST_PKT_H
#define GSO_TEST_PKT_H

/*
 * Superframes for tests, and an independent checker of segments: its own
 * byte-pair checksum (RFC 1071, big-endian words), its own header offsets,
 * nothing from the library.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

enum test_l2 {
	TEST_L2_ETH,        /* plain Ethernet */
	TEST_L2_VLAN,       /* 802.1Q tag in the frame */
	TEST_L2_QINQ,       /* 802.1ad + 802.1Q tags in the frame */
	TEST_L2_HW_VLAN,    /* VLAN in vlan_tci, RTE_MBUF_F_TX_VLAN */
	TEST_L2_HW_QINQ,    /* vlan_tci + vlan_tci_outer, RTE_MBUF_F_TX_QINQ */
	TEST_L2_NB,
};

enum test_layout {
	TEST_LAYOUT_FLAT,       /* one mbuf (payload permitting) */
	TEST_LAYOUT_SPLIT,      /* headers split over 3 mbufs, an empty mbuf,
				 * payload in pieces of irregular sizes */
	TEST_LAYOUT_CHAIN,      /* headers, then payload in 1000-byte mbufs */
	TEST_LAYOUT_NB,
};

struct test_sf_spec {
	enum test_l2 l2;
	int l3;                 /* 4 or 6 */
	bool l3_opts;           /* IPv4 options / IPv6 HBH + dest opts + SRH */
	/* With l3_opts on IPv4: option bytes, a multiple of 4 up to 40
	 * (0: 8). 20 makes the IPv4 header as long as IPv6's fixed one. */
	uint8_t ip4_opts_len;
	int l4;                 /* IPPROTO_TCP or IPPROTO_UDP */
	bool l4_opts;           /* TCP timestamps option */
	uint32_t payload_len;
	uint16_t mss;           /* written to tso_segsz */
	enum test_layout layout;
	uint8_t tcp_flags;      /* default ACK|PSH when 0 */
	uint32_t seq;
	uint16_t ip_id;
	bool udp_zero_cksum;    /* UDP/IPv4 sent without checksum */
	uint32_t seed;          /* payload bytes */
};

/* Build a superframe (ol_flags TCP_SEG/UDP_SEG + IPV4/6, lengths set,
 * IP length 0 when it does not fit 16 bits). NULL on failure. */
struct rte_mbuf *test_sf_build(struct rte_mempool *mp,
		const struct test_sf_spec *spec);

/* Header length of what test_sf_build() makes for spec. */
uint32_t test_sf_hdr_len(const struct test_sf_spec *spec);

/* The whole frame as bytes (malloc'd, *len set). */
uint8_t *test_mbuf_bytes(const struct rte_mbuf *m, uint32_t *len);

/* Checksum handling the segments were asked for (GSO_OFFLOAD_CKSUM_*). */
struct test_seg_check {
	const struct test_sf_spec *spec;
	const uint8_t *orig;        /* superframe bytes before segmentation */
	uint32_t orig_len;
	uint8_t cksum;              /* GSO_OFFLOAD_CKSUM_* asked for */
	bool ipid_fixed;
	bool expect_cwr_all;        /* rte_gso keeps CWR on every segment */
	bool skip_cksums;           /* for rte_gso: no checksums written */
	/* Metadata the superframe carried. */
	uint16_t port;
	uint32_t rss;
	uint64_t dyn_value;         /* value of the test dynamic field */
	int dyn_offset;             /* -1: none */
	uint64_t dyn_flag;          /* 0: none */
};

/* Check every rule of docs/segmentation.md on nb segments; prints the
 * first violation and returns false. */
bool test_seg_verify(const struct test_seg_check *c, struct rte_mbuf **segs,
		unsigned int nb);

/* ---- Tunnels (docs/tunnels.md) ---- */

enum test_tun {
	TEST_TUN_VXLAN = 1,     /* outer UDP 4789, VXLAN, inner Ethernet */
	TEST_TUN_GENEVE,        /* outer UDP 6081, GENEVE (+ options), Ethernet */
	TEST_TUN_GRE,           /* GRE (C, K bits), inner IP or Ethernet (TEB) */
	TEST_TUN_IPIP,          /* IPv4/IPv6 in IPv4/IPv6 */
	TEST_TUN_END,
};

struct test_tun_spec {
	/* The inner frame. Its l2 (ETH, VLAN or QINQ in the frame) is the
	 * inner Ethernet header of VXLAN, GENEVE and GRE TEB; a tunnel
	 * that carries IP (GRE, IP-in-IP) drops it. Its mss, layout and
	 * payload are the superframe's. */
	struct test_sf_spec in;
	enum test_tun tun;
	enum test_l2 outer_l2;  /* any: in the frame or in vlan_tci */
	int outer_l3;           /* 4 or 6 */
	/* Outer IPv4 options / IPv6 hop-by-hop + destination options +
	 * segment routing header (the outer UDP pseudo-header takes the
	 * final destination). */
	bool outer_opts;
	bool outer_udp_cksum;   /* VXLAN/GENEVE: outer UDP checksum non-zero */
	bool gre_teb;           /* GRE: Ethernet payload (gretap) */
	bool gre_cksum;         /* GRE C bit */
	bool gre_key;           /* GRE K bit */
	uint8_t geneve_opt_words; /* GENEVE options, 4-byte words (<= 63) */
	uint16_t outer_ip_id;
	uint16_t udp_sport;     /* outer UDP source port (sender's entropy) */
	bool no_meta;           /* no mbuf lengths (only the flags) */
};

/* Whether the tunnel carries an Ethernet frame (inner L2). */
bool test_tun_carries_eth(const struct test_tun_spec *t);

/* The outer stack: outer L2 + outer L3 (DPDK's outer_l2_len +
 * outer_l3_len). */
uint32_t test_tun_outer_len(const struct test_tun_spec *t);

/* DPDK's l2_len of the tunnel: outer UDP + tunnel header + inner L2, or
 * GRE (+ inner L2), or 0. */
uint32_t test_tun_l2_len(const struct test_tun_spec *t);

/* The whole header stack, outer and inner. */
uint32_t test_tun_hdr_len(const struct test_tun_spec *t);

/* The superframe's bytes (malloc'd; *len set). */
uint8_t *test_tun_frame(const struct test_tun_spec *t, uint32_t *len);

/* The superframe in mbufs per t->in.layout, with the tunnel metadata of
 * docs/tunnels.md (TUNNEL flag, OUTER_IPV4/6, the lengths unless
 * no_meta). NULL on failure. */
struct rte_mbuf *test_tun_build(struct rte_mempool *mp,
		const struct test_tun_spec *t);

/* Wrap a frame's bytes (f, len) in mbufs, with the metadata of t. */
struct rte_mbuf *test_tun_mbufs(struct rte_mempool *mp,
		const struct test_tun_spec *t, const uint8_t *f, uint32_t len);

struct test_tun_check {
	const struct test_tun_spec *spec;
	const uint8_t *orig;        /* superframe bytes */
	uint32_t orig_len;
	uint8_t cksum;              /* GSO_OFFLOAD_CKSUM_* */
	bool ipid_fixed;
	uint16_t port;
	uint32_t rss;
	uint64_t dyn_value;
	int dyn_offset;             /* -1: none */
	uint64_t dyn_flag;          /* 0: none */
};

/* Every rule of docs/tunnels.md on nb segments (the inner ones as
 * test_seg_verify()); prints the first violation and returns false. */
bool test_tun_seg_verify(const struct test_tun_check *c,
		struct rte_mbuf **segs, unsigned int nb);

/* Reference RFC 1071 sum over big-endian 16-bit words. */
uint32_t test_ref_sum(const uint8_t *p, uint32_t n, uint32_t sum);
uint16_t test_ref_fold(uint32_t sum);

#endif /* GSO_TEST_PKT_H */
