/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#include <netinet/in.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "bench_pkt.h"
#include "gso_compat.h"

uint32_t
bench_hdr_len(int l3, int l4)
{
	return RTE_ETHER_HDR_LEN +
		(l3 == 4 ? sizeof(struct rte_ipv4_hdr) : sizeof(struct rte_ipv6_hdr)) +
		(l4 == IPPROTO_TCP ? sizeof(struct rte_tcp_hdr) :
			sizeof(struct rte_udp_hdr));
}

static void
fill_l2(struct rte_ether_hdr *eth, int l3)
{
	static const struct rte_ether_addr src = {{ 0x02, 0, 0, 0, 0, 0x01 }};
	static const struct rte_ether_addr dst = {{ 0x02, 0, 0, 0, 0, 0x02 }};

	eth->src_addr = src;
	eth->dst_addr = dst;
	eth->ether_type = rte_cpu_to_be_16(l3 == 4 ? RTE_ETHER_TYPE_IPV4 :
			RTE_ETHER_TYPE_IPV6);
}

static void
fill_l3(void *l3h, int l3, int l4, uint32_t l4_total)
{
	if (l3 == 4) {
		struct rte_ipv4_hdr *ip = l3h;

		memset(ip, 0, sizeof(*ip));
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->total_length = rte_cpu_to_be_16((uint16_t)(sizeof(*ip) + l4_total));
		ip->packet_id = rte_cpu_to_be_16(1);
		ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
		ip->time_to_live = 64;
		ip->next_proto_id = (uint8_t)l4;
		ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(10, 0, 0, 1));
		ip->dst_addr = rte_cpu_to_be_32(RTE_IPV4(10, 0, 0, 2));
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	} else {
		struct rte_ipv6_hdr *ip = l3h;

		memset(ip, 0, sizeof(*ip));
		ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip->payload_len = rte_cpu_to_be_16((uint16_t)l4_total);
		ip->proto = (uint8_t)l4;
		ip->hop_limits = 64;
		gso_ipv6_src(ip)[0] = 0xfd;
		gso_ipv6_src(ip)[15] = 1;
		gso_ipv6_dst(ip)[0] = 0xfd;
		gso_ipv6_dst(ip)[15] = 2;
	}
}

/* The inner IP header, L4 header and payload of a superframe at p (its
 * L3 header); returns the L4 header. The same bytes with or without a
 * tunnel around them. */
static void *
fill_inner(uint8_t *p, int l3, int l4, uint32_t payload, uint32_t seed)
{
	uint32_t l3_len = l3 == 4 ? sizeof(struct rte_ipv4_hdr) :
		sizeof(struct rte_ipv6_hdr);
	uint32_t l4_len = l4 == IPPROTO_TCP ? sizeof(struct rte_tcp_hdr) :
		sizeof(struct rte_udp_hdr);
	uint8_t *l4h = p + l3_len;

	fill_l3(p, l3, l4, l4_len + payload);
	if (l4 == IPPROTO_TCP) {
		struct rte_tcp_hdr *th = (void *)l4h;

		memset(th, 0, sizeof(*th));
		th->src_port = rte_cpu_to_be_16(40000);
		th->dst_port = rte_cpu_to_be_16(5001);
		th->sent_seq = rte_cpu_to_be_32(seed * 100000);
		th->recv_ack = rte_cpu_to_be_32(1);
		th->data_off = (sizeof(*th) / 4) << 4;
		th->tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG;
		th->rx_win = rte_cpu_to_be_16(0xffff);
	} else {
		struct rte_udp_hdr *uh = (void *)l4h;

		uh->src_port = rte_cpu_to_be_16(40000);
		uh->dst_port = rte_cpu_to_be_16(5001);
		uh->dgram_len = rte_cpu_to_be_16((uint16_t)(l4_len + payload));
		uh->dgram_cksum = 0xffff;
	}
	for (uint32_t i = 0; i < payload; i++)
		l4h[l4_len + i] = (uint8_t)(i * 7 + seed);
	return l4h;
}

/* An mbuf of len bytes (one segment: the pool's data room must hold it),
 * *p its data; NULL if not. */
static struct rte_mbuf *
alloc_frame(struct rte_mempool *mp, uint32_t len, uint8_t **p)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);

	if (m == NULL)
		return NULL;
	*p = (uint8_t *)rte_pktmbuf_append(m, len);
	if (*p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	return m;
}

static uint64_t
seg_flags(int l3, int l4)
{
	return (l4 == IPPROTO_TCP ? RTE_MBUF_F_TX_TCP_SEG :
			RTE_MBUF_F_TX_UDP_SEG) |
		(l3 == 4 ? RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM :
			RTE_MBUF_F_TX_IPV6);
}

struct rte_mbuf *
bench_superframe(struct rte_mempool *mp, int l3, int l4, uint32_t payload,
		uint16_t mss, uint32_t seed)
{
	uint32_t hdr = bench_hdr_len(l3, l4);
	uint32_t l3_len = l3 == 4 ? sizeof(struct rte_ipv4_hdr) :
		sizeof(struct rte_ipv6_hdr);
	uint32_t l4_len = hdr - RTE_ETHER_HDR_LEN - l3_len;
	uint8_t *p;
	struct rte_mbuf *m = alloc_frame(mp, hdr + payload, &p);

	if (m == NULL)
		return NULL;
	fill_l2((void *)p, l3);
	fill_inner(p + RTE_ETHER_HDR_LEN, l3, l4, payload, seed);
	m->ol_flags = seg_flags(l3, l4);
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = l3_len;
	m->l4_len = l4_len;
	m->tso_segsz = mss;
	return m;
}

#define VXLAN_PORT      4789
#define GENEVE_PORT     6081
#define TUN_SRC_PORT    49152   /* + flow: the sender's entropy */
#define ETHER_TYPE_TEB  0x6558

/* Outer UDP + tunnel header + inner Ethernet, or GRE: DPDK's l2_len of a
 * tunnel superframe. */
static uint32_t
tun_l2_len(int tun)
{
	switch (tun) {
	case BENCH_TUN_VXLAN:
		return sizeof(struct rte_udp_hdr) + 8 + RTE_ETHER_HDR_LEN;
	case BENCH_TUN_GENEVE:  /* base header + one option of 4 + 4 */
		return sizeof(struct rte_udp_hdr) + 8 + 8 + RTE_ETHER_HDR_LEN;
	case BENCH_TUN_GRE:
		return 4;
	default:
		return 0;
	}
}

uint32_t
bench_tun_outer_len(int tun, int outer_l3)
{
	if (tun == BENCH_TUN_NONE)
		return 0;
	return RTE_ETHER_HDR_LEN + (outer_l3 == 4 ?
		sizeof(struct rte_ipv4_hdr) : sizeof(struct rte_ipv6_hdr)) +
		tun_l2_len(tun);
}

uint32_t
bench_tun_hdr_len(int tun, int outer_l3, int l3, int l4)
{
	if (tun == BENCH_TUN_NONE)
		return bench_hdr_len(l3, l4);
	return bench_tun_outer_len(tun, outer_l3) +
		bench_hdr_len(l3, l4) - RTE_ETHER_HDR_LEN;
}

/* A valid outer UDP checksum over IPv6 (the whole datagram, once, when a
 * superframe is built or its flow changed); 0 over IPv4. */
static void
outer_udp_cksum(uint8_t *frame, int outer_l3)
{
	struct rte_udp_hdr *uh;

	if (outer_l3 == 4)
		return;
	uh = (void *)(frame + RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv6_hdr));
	uh->dgram_cksum = 0;
	uh->dgram_cksum = rte_ipv6_udptcp_cksum(
		(const void *)(frame + RTE_ETHER_HDR_LEN), uh);
}

struct rte_mbuf *
bench_tun_superframe(struct rte_mempool *mp, int tun, int outer_l3, int l3,
		int l4, uint32_t payload, uint16_t mss, uint32_t seed)
{
	uint32_t hdr = bench_tun_hdr_len(tun, outer_l3, l3, l4);
	uint32_t outer = bench_tun_outer_len(tun, outer_l3);
	uint32_t o_l3_len = outer_l3 == 4 ? sizeof(struct rte_ipv4_hdr) :
		sizeof(struct rte_ipv6_hdr);
	uint32_t l3_len = l3 == 4 ? sizeof(struct rte_ipv4_hdr) :
		sizeof(struct rte_ipv6_hdr);
	uint8_t *p, *t;
	struct rte_mbuf *m;

	if (tun == BENCH_TUN_NONE)
		return bench_superframe(mp, l3, l4, payload, mss, seed);
	m = alloc_frame(mp, hdr + payload, &p);
	if (m == NULL)
		return NULL;
	fill_l2((void *)p, outer_l3);
	fill_l3(p + RTE_ETHER_HDR_LEN, outer_l3,
		tun == BENCH_TUN_GRE ? IPPROTO_GRE : IPPROTO_UDP,
		hdr + payload - RTE_ETHER_HDR_LEN - o_l3_len);
	/* The underlay's own addresses (and an outer ID of its own). */
	if (outer_l3 == 4) {
		struct rte_ipv4_hdr *ip = (void *)(p + RTE_ETHER_HDR_LEN);

		ip->packet_id = rte_cpu_to_be_16(0x7ff0);
		/* 192.0.2.1 -> .2 (not RTE_IPV4(): in 22.11 it shifts an int
		 * 192 left by 24, undefined behaviour). */
		ip->src_addr = rte_cpu_to_be_32(0xc0000201);
		ip->dst_addr = rte_cpu_to_be_32(0xc0000202);
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
	} else {
		struct rte_ipv6_hdr *ip = (void *)(p + RTE_ETHER_HDR_LEN);

		gso_ipv6_src(ip)[1] = 0x01;
		gso_ipv6_dst(ip)[1] = 0x01;
	}
	t = p + RTE_ETHER_HDR_LEN + o_l3_len;
	if (tun == BENCH_TUN_GRE) {
		t[0] = t[1] = 0;        /* no C, K, S; version 0 */
		t[2] = 0x08;
		t[3] = 0x00;
		if (l3 == 6) {
			t[2] = 0x86;
			t[3] = 0xdd;
		}
	} else {
		struct rte_udp_hdr *uh = (void *)t;
		uint8_t *th = t + sizeof(*uh);

		uh->src_port = rte_cpu_to_be_16(TUN_SRC_PORT);
		uh->dst_port = rte_cpu_to_be_16(tun == BENCH_TUN_VXLAN ?
			VXLAN_PORT : GENEVE_PORT);
		uh->dgram_len = rte_cpu_to_be_16((uint16_t)(hdr + payload -
			RTE_ETHER_HDR_LEN - o_l3_len));
		uh->dgram_cksum = 0;
		memset(th, 0, tun == BENCH_TUN_VXLAN ? 8 : 16);
		if (tun == BENCH_TUN_VXLAN) {
			th[0] = 0x08;   /* I: VNI valid */
			th[6] = 42;     /* VNI 42 */
		} else {
			th[0] = 2;      /* version 0, 2 words of options */
			th[2] = ETHER_TYPE_TEB >> 8;
			th[3] = ETHER_TYPE_TEB & 0xff;
			th[6] = 42;     /* VNI 42 */
			th[8] = 0x01;   /* option class 0x0102 (OVN) */
			th[9] = 0x02;
			th[10] = 0x80;  /* type 0x80, critical */
			th[11] = 1;     /* 1 word of data */
			th[12] = 0xde;
			th[13] = 0xad;
			th[14] = 0xbe;
			th[15] = 0xef;
		}
		fill_l2((void *)(p + outer - RTE_ETHER_HDR_LEN), l3);
	}
	fill_inner(p + outer, l3, l4, payload, seed);
	outer_udp_cksum(p, tun == BENCH_TUN_GRE ? 4 : outer_l3);

	m->ol_flags = seg_flags(l3, l4) | (outer_l3 == 4 ?
			RTE_MBUF_F_TX_OUTER_IPV4 | RTE_MBUF_F_TX_OUTER_IP_CKSUM :
			RTE_MBUF_F_TX_OUTER_IPV6) |
		(tun == BENCH_TUN_VXLAN ? RTE_MBUF_F_TX_TUNNEL_VXLAN :
			tun == BENCH_TUN_GENEVE ? RTE_MBUF_F_TX_TUNNEL_GENEVE :
			RTE_MBUF_F_TX_TUNNEL_GRE);
	m->outer_l2_len = RTE_ETHER_HDR_LEN;
	m->outer_l3_len = o_l3_len;
	m->l2_len = tun_l2_len(tun);
	m->l3_len = l3_len;
	m->l4_len = hdr - outer - l3_len;
	m->tso_segsz = mss;
	return m;
}

void
bench_tun_set_flow(struct rte_mbuf *m, int tun, int outer_l3, int l3,
		int l4, uint16_t flow)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t outer = bench_tun_outer_len(tun, outer_l3);
	uint32_t l3_len = l3 == 4 ? sizeof(struct rte_ipv4_hdr) :
		sizeof(struct rte_ipv6_hdr);
	rte_be16_t *src_port = (void *)(p + outer + l3_len);

	if (tun == BENCH_TUN_NONE) {
		bench_set_flow(m, l3, l4, flow);
		return;
	}
	*src_port = rte_cpu_to_be_16((uint16_t)(40000 + flow));
	if (tun != BENCH_TUN_GRE) {
		struct rte_udp_hdr *uh = (void *)(p + RTE_ETHER_HDR_LEN +
			(outer_l3 == 4 ? sizeof(struct rte_ipv4_hdr) :
				sizeof(struct rte_ipv6_hdr)));

		uh->src_port = rte_cpu_to_be_16((uint16_t)(TUN_SRC_PORT + flow));
		outer_udp_cksum(p, outer_l3);
	}
}

void
bench_set_flow(struct rte_mbuf *m, int l3, int l4, uint16_t flow)
{
	/* The source port opens the L4 header (TCP and UDP alike). */
	uint32_t l4_off = bench_hdr_len(l3, l4) - (l4 == IPPROTO_TCP ?
		sizeof(struct rte_tcp_hdr) : sizeof(struct rte_udp_hdr));
	rte_be16_t *src_port = rte_pktmbuf_mtod_offset(m, rte_be16_t *,
		l4_off);

	*src_port = rte_cpu_to_be_16((uint16_t)(40000 + flow));
}

int
bench_small_frame(struct rte_mbuf *m, uint16_t frame_len)
{
	uint32_t hdr = bench_hdr_len(4, IPPROTO_UDP);
	struct rte_udp_hdr *uh;
	uint8_t *p;

	if (frame_len < hdr)
		return -1;
	rte_pktmbuf_reset(m);
	p = (uint8_t *)rte_pktmbuf_append(m, frame_len);
	if (p == NULL)
		return -1;
	memset(p + hdr, 0x5a, frame_len - hdr);
	fill_l2((void *)p, 4);
	fill_l3(p + RTE_ETHER_HDR_LEN, 4, IPPROTO_UDP,
		frame_len - RTE_ETHER_HDR_LEN - sizeof(struct rte_ipv4_hdr));
	uh = (void *)(p + RTE_ETHER_HDR_LEN + sizeof(struct rte_ipv4_hdr));
	uh->src_port = rte_cpu_to_be_16(40000);
	uh->dst_port = rte_cpu_to_be_16(5001);
	uh->dgram_len = rte_cpu_to_be_16(frame_len - RTE_ETHER_HDR_LEN -
			sizeof(struct rte_ipv4_hdr));
	uh->dgram_cksum = 0;
	uh->dgram_cksum = rte_ipv4_udptcp_cksum(
		(void *)(p + RTE_ETHER_HDR_LEN), uh);
	return 0;
}
