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

struct rte_mbuf *
bench_superframe(struct rte_mempool *mp, int l3, int l4, uint32_t payload,
		uint16_t mss, uint32_t seed)
{
	uint32_t hdr = bench_hdr_len(l3, l4);
	uint32_t l3_len = hdr - RTE_ETHER_HDR_LEN -
		(l4 == IPPROTO_TCP ? sizeof(struct rte_tcp_hdr) :
			sizeof(struct rte_udp_hdr));
	uint32_t l4_len = hdr - RTE_ETHER_HDR_LEN - l3_len;
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, hdr + payload);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	fill_l2((void *)p, l3);
	fill_l3(p + RTE_ETHER_HDR_LEN, l3, l4, l4_len + payload);
	if (l4 == IPPROTO_TCP) {
		struct rte_tcp_hdr *th = (void *)(p + RTE_ETHER_HDR_LEN + l3_len);

		memset(th, 0, sizeof(*th));
		th->src_port = rte_cpu_to_be_16(40000);
		th->dst_port = rte_cpu_to_be_16(5001);
		th->sent_seq = rte_cpu_to_be_32(seed * 100000);
		th->recv_ack = rte_cpu_to_be_32(1);
		th->data_off = (sizeof(*th) / 4) << 4;
		th->tcp_flags = RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG;
		th->rx_win = rte_cpu_to_be_16(0xffff);
	} else {
		struct rte_udp_hdr *uh = (void *)(p + RTE_ETHER_HDR_LEN + l3_len);

		uh->src_port = rte_cpu_to_be_16(40000);
		uh->dst_port = rte_cpu_to_be_16(5001);
		uh->dgram_len = rte_cpu_to_be_16((uint16_t)(l4_len + payload));
		uh->dgram_cksum = 0xffff;
	}
	for (uint32_t i = 0; i < payload; i++)
		p[hdr + i] = (uint8_t)(i * 7 + seed);

	m->ol_flags = (l4 == IPPROTO_TCP ? RTE_MBUF_F_TX_TCP_SEG :
			RTE_MBUF_F_TX_UDP_SEG) |
		(l3 == 4 ? RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IP_CKSUM :
			RTE_MBUF_F_TX_IPV6);
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = l3_len;
	m->l4_len = l4_len;
	m->tso_segsz = mss;
	return m;
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
