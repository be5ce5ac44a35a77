/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * The worker: receive, prepare each frame for its egress port, hand the
 * burst to the gso_offload pipeline.
 *
 * Preparing a frame:
 *  - it carries segmentation metadata (a virtio/vhost port delivers guest
 *    TSO packets flagged RX_LRO with tso_segsz): it stays a superframe with
 *    that MSS;
 *  - a TCP frame larger than the egress MTU without metadata: a superframe
 *    with the MSS the egress MTU allows;
 *  - a UDP frame larger than the egress MTU without metadata is ONE
 *    datagram and is never cut into several: an IPv4 one without DF is
 *    IP-fragmented (--udp-oversize frag), anything else is dropped and
 *    counted;
 *  - a tunnel frame larger than the egress MTU (VXLAN or GENEVE by its
 *    outer UDP destination port, GRE, IP-in-IP) whose inner packet is TCP
 *    or UDP is the superframe a kernel tunnel device over a veth hands
 *    on whole (veth advertises the encapsulation GSO types): its INNER
 *    packet is segmented, with the MSS the egress MTU leaves under the
 *    whole header stack, and the tunnel metadata DPDK defines
 *    (RTE_MBUF_F_TX_TUNNEL_*, outer_l2_len, outer_l3_len, l2_len =
 *    outer UDP/GRE + tunnel header + inner L2). The outer datagram is
 *    neither IP-fragmented nor dropped. Without metadata the sender's
 *    UDP GSO size is unknown: inner UDP is cut into datagrams of the
 *    MTU's size, which is what a UDP_SEGMENT sender filling the tunnel's
 *    MTU used (docs/gso-fwd.md), or with --tunnel-udp outer left to the
 *    rule of the outer datagram;
 *  - a frame from a kernel packet socket (af_packet, tap) may carry a
 *    partial checksum: the field holds the folded pseudo-header sum, as
 *    Linux leaves it for CHECKSUM_PARTIAL, to be completed by hardware the
 *    frame never reaches. Such a checksum is computed here. (Recomputing a
 *    complete checksum that happens to equal the pseudo-header sum gives
 *    the same value, so the test needs no verification first.)
 *    Superframes need nothing: their segments' checksums are computed.
 *    A tunnel frame may carry the partial checksum in its INNER TCP/UDP
 *    header (the outer UDP/GRE checksum, if any, then already counts the
 *    completed inner one: Linux's local checksum offload): that one is
 *    completed too, before the outer.
 */

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <rte_byteorder.h>
#include <rte_cycles.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_ip_frag.h>
#include <rte_mbuf.h>
#include <rte_net.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "fwd.h"

#define FWD_TX_TRIES   4096      /* pipeline polls before a drop */
/* Most IP fragments of one datagram gso-fwd makes room for: a 64 KB
 * datagram at an MTU of 432 or more. */
#define FWD_MAX_FRAGS  160
#define FWD_OUT_MAX    (512 + FWD_MAX_FRAGS)

/* The ol_flags that say whose buffer an mbuf holds, not what to do with
 * the packet. */
#define FWD_MBUF_BUFFER_FLAGS (RTE_MBUF_F_EXTERNAL | RTE_MBUF_F_INDIRECT)

#define COUNT(c, f, n) __atomic_store_n(&(c)->f, (c)->f + (n), __ATOMIC_RELAXED)

/* The big-endian 16-bit field at p, at any alignment. */
static inline uint16_t
be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint16_t
fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* One's-complement sum of the pseudo-header (addresses, protocol, L4
 * length), folded, not complemented: what a partial checksum field holds. */
static uint16_t
phdr_sum(const uint8_t *ip, bool v4, uint8_t proto, uint32_t l4_len)
{
	uint32_t sum;

	if (v4)
		sum = rte_raw_cksum(ip + 12, 8);
	else
		sum = rte_raw_cksum(ip + 8, 32);
	sum += rte_cpu_to_be_16(proto) + rte_cpu_to_be_16((uint16_t)l4_len) +
		rte_cpu_to_be_16((uint16_t)(l4_len >> 16));
	return fold(sum);
}

/* Complete a partial TCP/UDP checksum (see the top of this file). The
 * headers are in the first mbuf. Returns true if the field was partial. */
static bool
fix_partial_cksum(struct rte_mbuf *m, bool v4, bool tcp, uint16_t l2,
		uint16_t l3)
{
	uint8_t *ip = rte_pktmbuf_mtod_offset(m, uint8_t *, l2);
	/* Any alignment: the frame's data_off is the PMD's choice, and
	 * DPDK's unaligned_uint16_t is a plain uint16_t on x86 (UB at an odd
	 * address): the field is read and written with memcpy. */
	uint8_t *field = ip + l3 + (tcp ? offsetof(struct rte_tcp_hdr, cksum) :
		offsetof(struct rte_udp_hdr, dgram_cksum));
	uint16_t now;
	const uint32_t l4_hdr = tcp ? sizeof(struct rte_tcp_hdr) :
		sizeof(struct rte_udp_hdr);
	uint32_t l4_len;
	uint16_t sum;

	if (m->data_len < l2 + l3 + l4_hdr)
		return false;
	/* The L4 length per the IP header (trailing padding excluded). */
	if (v4)
		l4_len = be16_at(ip + offsetof(struct rte_ipv4_hdr, total_length));
	else
		l4_len = be16_at(ip + offsetof(struct rte_ipv6_hdr, payload_len)) +
			sizeof(struct rte_ipv6_hdr);
	/* An IP length that ends inside the L4 header: the field is not the
	 * packet's to complete (it would write into padding). */
	if (l4_len < l3 + l4_hdr)
		return false;
	l4_len -= l3;
	if (l2 + l3 + l4_len > m->pkt_len)
		return false;
	memcpy(&now, field, sizeof(now));
	if (!tcp && v4 && now == 0)
		return false;    /* UDP/IPv4 without checksum */
	if (now != phdr_sum(ip, v4, tcp ? IPPROTO_TCP : IPPROTO_UDP, l4_len))
		return false;
	memset(field, 0, sizeof(now));
	if (rte_raw_cksum_mbuf(m, l2 + l3, l4_len, &sum) != 0)
		return false;
	sum = (uint16_t)~fold((uint32_t)sum +
		phdr_sum(ip, v4, tcp ? IPPROTO_TCP : IPPROTO_UDP, l4_len));
	sum = (!tcp && sum == 0) ? 0xffff : sum;
	memcpy(field, &sum, sizeof(sum));
	return true;
}

/*
 * A UDP/IPv4 datagram over the egress MTU: IP fragments, each with the
 * Ethernet header in front and a valid header checksum. m is consumed on
 * success. Returns the number of fragments in out, or a negative errno.
 */
static int
fragment_ipv4(struct fwd_lcore *lc, struct rte_mbuf *m, uint16_t l2,
		uint16_t mtu, struct rte_mbuf **out, unsigned int room)
{
	uint8_t eth[RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN];
	uint16_t hlen;
	int n;

	if (l2 > sizeof(eth) || m->data_len < l2 + sizeof(struct rte_ipv4_hdr))
		return -EINVAL;
	memcpy(eth, rte_pktmbuf_mtod(m, void *), l2);
	rte_pktmbuf_adj(m, l2);
	/* Every fragment but the last carries a multiple of 8 bytes. */
	hlen = rte_ipv4_hdr_len(rte_pktmbuf_mtod(m, const struct rte_ipv4_hdr *));
	mtu = (uint16_t)(hlen + RTE_ALIGN_FLOOR(mtu - hlen, 8));
	n = rte_ipv4_fragment_packet(m, out, (uint16_t)room, mtu,
			lc->seg_pool, lc->seg_pool);
	if (n < 0) {
		rte_pktmbuf_prepend(m, l2);   /* give it back as it was */
		return n;
	}
	for (int i = 0; i < n; i++) {
		struct rte_mbuf *f = out[i];
		struct rte_ipv4_hdr *ip;
		uint8_t *p = (uint8_t *)rte_pktmbuf_prepend(f, l2);

		if (p == NULL) {
			rte_pktmbuf_free_bulk(out, n);
			rte_pktmbuf_prepend(m, l2);
			return -ENOSPC;
		}
		memcpy(p, eth, l2);
		ip = (struct rte_ipv4_hdr *)(p + l2);
		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		f->ol_flags = 0;
		f->port = m->port;
	}
	rte_pktmbuf_free(m);
	return n;
}

/* Length of the IP packet per its header; 0 when unknown (a length field
 * of 0: an IPv6 jumbogram, a BIG TCP packet, which only metadata could
 * vouch for) or unreadable. */
static uint32_t
ip_length(const struct rte_mbuf *m, uint16_t l2, bool v4)
{
	uint8_t buf[sizeof(struct rte_ipv6_hdr)];
	const uint8_t *ip = rte_pktmbuf_read(m, l2, v4 ?
			sizeof(struct rte_ipv4_hdr) : sizeof(struct rte_ipv6_hdr), buf);
	uint16_t field;

	if (ip == NULL)
		return 0;
	if (v4)
		return be16_at(ip + offsetof(struct rte_ipv4_hdr, total_length));
	/* Not "40 bytes": a payload length of 0 says nothing (RFC 2675). */
	field = be16_at(ip + offsetof(struct rte_ipv6_hdr, payload_len));
	return field == 0 ? 0 : field + (uint32_t)sizeof(struct rte_ipv6_hdr);
}

/* Whether a frame rte_net_get_ptype() found no IP in says, by its
 * Ethernet type (after at most two VLAN tags), that it is IP, or is too
 * short for its L2 header: a header cut short, an IHL below 5, a version
 * that is not the Ethernet type's. Such a frame cannot be forwarded as
 * what it claims to be. */
static bool
l2_claims_ip(const struct rte_mbuf *m)
{
	uint8_t buf[2];
	uint32_t off = 2 * RTE_ETHER_ADDR_LEN;
	const uint8_t *t;
	uint16_t type;

	for (int tags = 0; ; tags++) {
		t = rte_pktmbuf_read(m, off, 2, buf);
		if (t == NULL)
			return true;         /* the L2 header is not all there */
		type = (uint16_t)(t[0] << 8 | t[1]);
		if (tags == 2 || (type != RTE_ETHER_TYPE_VLAN &&
				type != RTE_ETHER_TYPE_QINQ))
			break;
		off += RTE_VLAN_HLEN;
	}
	if (m->pkt_len < off + 2)
		return true;
	return type == RTE_ETHER_TYPE_IPV4 || type == RTE_ETHER_TYPE_IPV6;
}

/* A chained frame for a port that takes none: one flat copy (the frame is
 * at most MTU-sized here, copy_pool's data room holds it). NULL when out
 * of mbufs; m is consumed otherwise. */
static struct rte_mbuf *
flatten(struct fwd_lcore *lc, struct rte_mbuf *m)
{
	struct rte_mbuf *f = rte_pktmbuf_alloc(lc->copy_pool);
	const void *src;
	void *dst;

	if (f == NULL)
		return NULL;
	dst = rte_pktmbuf_append(f, (uint16_t)m->pkt_len);
	if (dst == NULL || m->pkt_len > UINT16_MAX) {
		rte_pktmbuf_free(f);
		return NULL;
	}
	src = rte_pktmbuf_read(m, 0, m->pkt_len, dst);
	if (src != dst)
		memcpy(dst, src, m->pkt_len);
	f->ol_flags = m->ol_flags & ~FWD_MBUF_BUFFER_FLAGS;   /* its own */
	f->tx_offload = m->tx_offload;
	f->vlan_tci = m->vlan_tci;
	f->port = m->port;
	rte_pktmbuf_free(m);
	return f;
}

/* Hand m (and any fragments) to out, flattened for a port without chains.
 * Returns how many went to out. */
static unsigned int
emit(struct fwd_lcore *lc, const struct fwd_rx *rx, struct rte_mbuf *m,
		struct rte_mbuf **out, struct fwd_counters *c)
{
	if (m->nb_segs > 1 && !rx->dst_multi_seg &&
			!(m->ol_flags & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG))) {
		struct rte_mbuf *f = flatten(lc, m);

		if (f == NULL) {
			COUNT(c, no_mbuf_dropped, 1);
			rte_pktmbuf_free(m);
			return 0;
		}
		m = f;
	}
	out[0] = m;
	return 1;
}

/* The tunnel a frame carries, as far as the forwarder reads it. */
struct fwd_tun {
	uint64_t flag;           /* RTE_MBUF_F_TX_TUNNEL_*; 0: not a tunnel */
	uint16_t outer_l2, outer_l3;
	uint16_t tun_l2;         /* outer UDP/GRE + tunnel hdr + inner L2 */
	uint16_t l3, l4;         /* inner IP (with options/ext.), inner L4 */
	bool v4;                 /* inner IPv4 (else IPv6) */
	uint8_t l4_proto;        /* inner TCP or UDP; 0: neither, or a
	                          * fragment (nothing to segment) */
};

#define GRE_C        0x8000   /* checksum present */
#define GRE_R        0x4000   /* routing present (RFC 1701, obsolete) */
#define GRE_K        0x2000   /* key present */
#define GRE_S        0x1000   /* sequence number present */
#define GRE_VERSION  0x0007
#define ETHER_TYPE_TEB 0x6558 /* transparent Ethernet bridging */
#define VXLAN_FLAG_I 0x08     /* the VNI is valid (RFC 7348) */

static bool
port_listed(uint16_t port, const uint16_t *ports, uint16_t n)
{
	for (uint16_t i = 0; i < n; i++)
		if (ports[i] == port)
			return true;
	return false;
}

/* The Ethernet header (and up to two VLAN tags) at off: its length, and
 * the Ethernet type after it; 0 if cut short. */
static uint16_t
inner_eth(const struct rte_mbuf *m, uint32_t off, uint16_t *type)
{
	uint8_t buf[2];
	const uint8_t *t;
	uint16_t len = RTE_ETHER_HDR_LEN;

	for (int tags = 0; ; tags++) {
		t = rte_pktmbuf_read(m, off + len - 2, 2, buf);
		if (t == NULL)
			return 0;
		*type = (uint16_t)(t[0] << 8 | t[1]);
		if (tags == 2 || (*type != RTE_ETHER_TYPE_VLAN &&
				*type != RTE_ETHER_TYPE_QINQ))
			return len;
		len += RTE_VLAN_HLEN;
	}
}

/* The inner IP header at off and the L4 header after it, into t. false:
 * not a readable IPv4/IPv6 header of the version expected. */
static bool
inner_ip(const struct rte_mbuf *m, uint32_t off, bool v4, struct fwd_tun *t)
{
	uint8_t buf[sizeof(struct rte_ipv6_hdr)];
	const uint8_t *ip = rte_pktmbuf_read(m, off, v4 ?
			sizeof(struct rte_ipv4_hdr) : sizeof(struct rte_ipv6_hdr),
			buf);
	uint32_t l4_off;
	int proto, frag = 0;

	if (ip == NULL || (ip[0] >> 4) != (v4 ? 4 : 6))
		return false;
	t->v4 = v4;
	t->l4_proto = 0;
	if (v4) {
		t->l3 = (uint16_t)((ip[0] & 0x0f) * 4);
		if (t->l3 < sizeof(struct rte_ipv4_hdr))
			return false;
		proto = ip[9];
		/* A fragment: its L4 header is not there to segment by. */
		frag = (ip[6] & 0x3f) != 0 || ip[7] != 0;
	} else {
		l4_off = off + sizeof(struct rte_ipv6_hdr);
		proto = rte_net_skip_ip6_ext(ip[6], m, &l4_off, &frag);
		if (proto < 0)
			return false;
		t->l3 = (uint16_t)(l4_off - off);
	}
	if (frag)
		return true;
	if (proto == IPPROTO_TCP) {
		const uint8_t *th = rte_pktmbuf_read(m, off + t->l3 + 12, 1, buf);

		if (th == NULL || (th[0] >> 4) < 5)
			return true;    /* cut or broken: not a superframe */
		t->l4 = (uint16_t)((th[0] >> 4) * 4);
		t->l4_proto = IPPROTO_TCP;
	} else if (proto == IPPROTO_UDP) {
		t->l4 = sizeof(struct rte_udp_hdr);
		t->l4_proto = IPPROTO_UDP;
	} else {
		return true;
	}
	/* The whole inner L4 header must be there. */
	if (off + t->l3 + t->l4 > m->pkt_len)
		t->l4_proto = 0;
	return true;
}

/*
 * Whether m (an outer IPv4/IPv6 frame, not a fragment, of the lengths hl
 * found) is a tunnel gso-fwd knows: VXLAN or GENEVE on a configured UDP
 * destination port, GRE (IP protocol 47: IPv4, IPv6 or transparent
 * Ethernet inside; no routing, version 0), IPv4-in-IP (4), IPv6-in-IP
 * (41); with a readable inner IP header. Fills t; t->l4_proto says if its
 * inner packet is TCP or UDP.
 */
static bool
tun_classify(const struct rte_mbuf *m, const struct rte_net_hdr_lens *hl,
		bool outer_v4, bool outer_udp, struct fwd_tun *t)
{
	uint8_t buf[16];
	const uint8_t *p;
	uint32_t off = hl->l2_len + hl->l3_len;
	uint16_t type = 0, len;
	int proto;

	memset(t, 0, sizeof(*t));
	t->outer_l2 = hl->l2_len;
	t->outer_l3 = hl->l3_len;
	if (outer_udp) {
		uint16_t dport;

		p = rte_pktmbuf_read(m, off, 16, buf);  /* UDP + 8 tunnel bytes */
		if (p == NULL)
			return false;
		dport = (uint16_t)(p[2] << 8 | p[3]);
		if (port_listed(dport, fwd_cfg.vxlan_ports,
				fwd_cfg.nb_vxlan_ports)) {
			if (!(p[8] & VXLAN_FLAG_I))
				return false;
			t->flag = RTE_MBUF_F_TX_TUNNEL_VXLAN;
			len = 16;
		} else if (port_listed(dport, fwd_cfg.geneve_ports,
				fwd_cfg.nb_geneve_ports)) {
			/* Version 0; Ethernet inside (what DPDK's GENEVE
			 * offload and the library take). */
			if ((p[8] >> 6) != 0 ||
					(p[10] << 8 | p[11]) != ETHER_TYPE_TEB)
				return false;
			t->flag = RTE_MBUF_F_TX_TUNNEL_GENEVE;
			len = (uint16_t)(16 + (p[8] & 0x3f) * 4);
		} else {
			return false;
		}
		type = ETHER_TYPE_TEB;
	} else {
		/* The outer IP protocol, past any IPv6 extension headers. */
		if (outer_v4) {
			p = rte_pktmbuf_read(m, hl->l2_len + 9, 1, buf);
			if (p == NULL)
				return false;
			proto = p[0];
		} else {
			uint32_t o = hl->l2_len + sizeof(struct rte_ipv6_hdr);
			int frag = 0;

			p = rte_pktmbuf_read(m, hl->l2_len + 6, 1, buf);
			if (p == NULL)
				return false;
			proto = rte_net_skip_ip6_ext(p[0], m, &o, &frag);
			if (proto < 0 || frag || o != off)
				return false;
		}
		if (proto == IPPROTO_GRE) {
			uint16_t fl;

			p = rte_pktmbuf_read(m, off, 4, buf);
			if (p == NULL)
				return false;
			fl = (uint16_t)(p[0] << 8 | p[1]);
			type = (uint16_t)(p[2] << 8 | p[3]);
			if (fl & (GRE_R | GRE_VERSION))
				return false;
			/* A sequence number is taken as GRE all the same: the
			 * library refuses to segment it, as Linux does, and
			 * counts that (rejected_protocol). */
			len = (uint16_t)(4 + (fl & GRE_C ? 4 : 0) +
				(fl & GRE_K ? 4 : 0) + (fl & GRE_S ? 4 : 0));
			if (type != ETHER_TYPE_TEB && type != RTE_ETHER_TYPE_IPV4 &&
					type != RTE_ETHER_TYPE_IPV6)
				return false;
			t->flag = RTE_MBUF_F_TX_TUNNEL_GRE;
		} else if (proto == IPPROTO_IPIP || proto == IPPROTO_IPV6) {
			t->flag = RTE_MBUF_F_TX_TUNNEL_IPIP;
			len = 0;
			type = proto == IPPROTO_IPIP ? RTE_ETHER_TYPE_IPV4 :
				RTE_ETHER_TYPE_IPV6;
		} else {
			return false;
		}
	}
	if (type == ETHER_TYPE_TEB) {
		uint16_t l2 = inner_eth(m, off + len, &type);

		if (l2 == 0)
			return false;
		len = (uint16_t)(len + l2);
	}
	if (type != RTE_ETHER_TYPE_IPV4 && type != RTE_ETHER_TYPE_IPV6)
		return false;
	t->tun_l2 = len;
	return inner_ip(m, off + len, type == RTE_ETHER_TYPE_IPV4, t);
}

/* One counter per encapsulation. */
static void
count_tunnel(struct fwd_counters *c, uint64_t flag)
{
	switch (flag) {
	case RTE_MBUF_F_TX_TUNNEL_VXLAN:
		COUNT(c, tun_vxlan_superframes, 1);
		break;
	case RTE_MBUF_F_TX_TUNNEL_GENEVE:
		COUNT(c, tun_geneve_superframes, 1);
		break;
	case RTE_MBUF_F_TX_TUNNEL_GRE:
		COUNT(c, tun_gre_superframes, 1);
		break;
	default:
		COUNT(c, tun_ipip_superframes, 1);
		break;
	}
}

/*
 * A tunnel frame over the egress MTU: make it a superframe of its inner
 * TCP/UDP packet, segmented at the MSS the egress MTU leaves under the
 * whole header stack. false (m untouched) when there is nothing to
 * segment: the inner packet not TCP/UDP, a fragment, headers that leave
 * no room, lengths DPDK's mbuf fields cannot hold.
 */
static bool
tun_superframe(const struct fwd_rx *rx, struct rte_mbuf *m, bool outer_v4,
		const struct fwd_tun *t, struct fwd_counters *c)
{
	const uint32_t hdrs = (uint32_t)t->outer_l3 + t->tun_l2 + t->l3 + t->l4;
	uint32_t mss;

	if (t->l4_proto == 0 || hdrs >= rx->dst_mtu ||
			(t->l4_proto == IPPROTO_UDP &&
			 fwd_cfg.tunnel_udp == FWD_TUN_UDP_OUTER) ||
			t->outer_l2 >= (1u << RTE_MBUF_OUTL2_LEN_BITS) ||
			t->outer_l3 >= (1u << RTE_MBUF_OUTL3_LEN_BITS) ||
			t->tun_l2 >= (1u << RTE_MBUF_L2_LEN_BITS) ||
			t->l3 >= (1u << RTE_MBUF_L3_LEN_BITS) ||
			t->l4 >= (1u << RTE_MBUF_L4_LEN_BITS))
		return false;
	mss = rx->dst_mtu - hdrs;
	if (t->l4_proto == IPPROTO_TCP && fwd_cfg.tcp_mss != 0 &&
			fwd_cfg.tcp_mss < mss)
		mss = fwd_cfg.tcp_mss;
	m->ol_flags |= t->flag |
		(t->l4_proto == IPPROTO_TCP ? RTE_MBUF_F_TX_TCP_SEG :
			RTE_MBUF_F_TX_UDP_SEG) |
		(outer_v4 ? RTE_MBUF_F_TX_OUTER_IPV4 : RTE_MBUF_F_TX_OUTER_IPV6) |
		(t->v4 ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6);
	m->outer_l2_len = t->outer_l2;
	m->outer_l3_len = t->outer_l3;
	m->l2_len = t->tun_l2;
	m->l3_len = t->l3;
	m->l4_len = t->l4;
	m->tso_segsz = (uint16_t)mss;
	count_tunnel(c, t->flag);
	return true;
}

/* A tunnel frame that leaves as it is (or as IP fragments): complete a
 * partial inner TCP/UDP checksum. */
static void
tun_fix_inner(struct rte_mbuf *m, const struct fwd_tun *t,
		struct fwd_counters *c)
{
	if (t->l4_proto != 0 && fix_partial_cksum(m, t->v4,
			t->l4_proto == IPPROTO_TCP,
			(uint16_t)(t->outer_l2 + t->outer_l3 + t->tun_l2), t->l3))
		COUNT(c, tun_cksum_fixed, 1);
}

/*
 * A frame over the egress MTU without metadata. TCP is a byte stream: cut
 * at the MSS the egress MTU allows. UDP is one datagram: IP fragments or a
 * drop. Anything else is dropped. Returns how many packets went to out.
 */
static unsigned int
oversize(struct fwd_lcore *lc, const struct fwd_rx *rx, struct rte_mbuf *m,
		bool v4, bool tcp, bool udp, bool partial, struct rte_mbuf **out,
		unsigned int room, struct fwd_counters *c)
{
	const uint16_t hdrs = m->l3_len + m->l4_len;

	if (tcp && hdrs < rx->dst_mtu) {
		m->ol_flags |= RTE_MBUF_F_TX_TCP_SEG |
			(v4 ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6);
		m->tso_segsz = (uint16_t)(rx->dst_mtu - hdrs);
		if (fwd_cfg.tcp_mss != 0 && fwd_cfg.tcp_mss < m->tso_segsz)
			m->tso_segsz = fwd_cfg.tcp_mss;
		COUNT(c, mtu_superframes, 1);
		out[0] = m;
		return 1;
	}
	if (udp && v4 && fwd_cfg.udp_oversize == FWD_UDP_FRAG &&
			!(rte_pktmbuf_mtod_offset(m, const struct rte_ipv4_hdr *,
				m->l2_len)->fragment_offset &
				rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG))) {
		unsigned int k = 0;
		int n;

		/* The fragments carry the datagram's checksum as it is. */
		if (partial && fix_partial_cksum(m, true, false, m->l2_len,
				m->l3_len))
			COUNT(c, partial_cksum_fixed, 1);
		n = fragment_ipv4(lc, m, m->l2_len, rx->dst_mtu, out, room);
		if (n < 0) {
			/* -ENOMEM: out of mbufs half-way (what was made is
			 * freed); anything else: more fragments than room. */
			if (n == -ENOMEM)
				COUNT(c, no_mbuf_dropped, 1);
			else
				COUNT(c, udp_oversize_dropped, 1);
			rte_pktmbuf_free(m);
			return 0;
		}
		COUNT(c, udp_fragmented, 1);
		COUNT(c, udp_fragments, n);
		for (int i = 0; i < n; i++)
			k += emit(lc, rx, out[i], out + k, c);
		return k;
	}
	if (udp)
		COUNT(c, udp_oversize_dropped, 1);
	else
		COUNT(c, oversize_dropped, 1);
	rte_pktmbuf_free(m);
	return 0;
}

/* Whether the chain holds the pkt_len bytes it claims. net_pcap in DPDK
 * 22.11 copies a frame longer than 65535 bytes plus its first mbuf's room
 * into a chain that is shorter than the pkt_len it sets (the rest of the
 * length wraps at 16 bits): everything after, the PMD it goes to and the
 * library included, would read past the chain's end. A single mbuf that
 * says so costs two compares; a chain is walked by rte_mbuf_check(). */
static bool
chain_whole(const struct rte_mbuf *m)
{
	const char *why;

	if (likely(m->nb_segs == 1 && m->next == NULL &&
			m->data_len == m->pkt_len))
		return true;
	return rte_mbuf_check(m, 1, &why) == 0;
}

/*
 * Prepare one ingress frame for its egress port. Returns how many packets
 * it put in out (0: dropped and counted).
 */
static unsigned int
prepare(struct fwd_lcore *lc, const struct fwd_rx *rx, struct rte_mbuf *m,
		struct rte_mbuf **out, unsigned int room, struct fwd_counters *c)
{
	struct rte_net_hdr_lens hl;
	const uint64_t rxf = m->ol_flags;
	uint32_t ptype, ip_len;
	bool v4, v6, tcp, udp, partial, over, tun;
	struct fwd_tun t;

	if (unlikely(!chain_whole(m))) {
		COUNT(c, bad_chain_dropped, 1);
		rte_pktmbuf_free(m);
		return 0;
	}
	/* Outer headers only (tunnels are recognised below, by what gso-fwd
	 * is told to take as one). The lengths start at 0:
	 * rte_net_get_ptype() leaves those it never reaches. */
	memset(&hl, 0, sizeof(hl));
	ptype = rte_net_get_ptype(m, &hl, RTE_PTYPE_L2_MASK | RTE_PTYPE_L3_MASK |
			RTE_PTYPE_L4_MASK);
	v4 = RTE_ETH_IS_IPV4_HDR(ptype);
	v6 = RTE_ETH_IS_IPV6_HDR(ptype);
	tcp = (v4 || v6) && (ptype & RTE_PTYPE_L4_MASK) == RTE_PTYPE_L4_TCP;
	udp = (v4 || v6) && (ptype & RTE_PTYPE_L4_MASK) == RTE_PTYPE_L4_UDP;
	/* RX flags mean nothing on TX; a stripped VLAN tag goes back in.
	 * What the mbuf's buffer is (attached to another mbuf's, or an
	 * external one: vhost's extbuf, mlx5's MPRQ) stays: without it the
	 * free would hand the buffer back to the wrong owner. */
	m->ol_flags = (rxf & FWD_MBUF_BUFFER_FLAGS) |
		((rxf & RTE_MBUF_F_RX_VLAN_STRIPPED) ? RTE_MBUF_F_TX_VLAN : 0);
	m->l2_len = hl.l2_len;
	m->l3_len = hl.l3_len;
	m->l4_len = hl.l4_len;
	if (!v4 && !v6) {
		m->tso_segsz = 0;
		if (l2_claims_ip(m)) {
			COUNT(c, malformed_dropped, 1);
			rte_pktmbuf_free(m);
			return 0;
		}
		/* Nothing can shrink it: never hand a port a frame it
		 * cannot send (af_packet counts it sent, the kernel drops
		 * it; a copy for a port without chains cannot hold it). */
		if (m->pkt_len - hl.l2_len > rx->dst_mtu) {
			COUNT(c, oversize_dropped, 1);
			rte_pktmbuf_free(m);
			return 0;
		}
		return emit(lc, rx, m, out, c);
	}

	if ((rxf & RTE_MBUF_F_RX_LRO) && m->tso_segsz != 0 && (tcp || udp)) {
		m->ol_flags |= (tcp ? RTE_MBUF_F_TX_TCP_SEG : RTE_MBUF_F_TX_UDP_SEG) |
			(v4 ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6);
		COUNT(c, meta_superframes, 1);
		out[0] = m;
		return 1;
	}
	m->tso_segsz = 0;

	/* A frame cut short (af_packet truncates to its ring's frame size
	 * without a word) must not leave as if it were whole; nor one whose
	 * IP length ends inside its own IP header, or is 0 (see ip_length). */
	ip_len = ip_length(m, hl.l2_len, v4);
	if (ip_len == 0 || ip_len < hl.l3_len ||
			hl.l2_len + ip_len > m->pkt_len) {
		COUNT(c, malformed_dropped, 1);
		rte_pktmbuf_free(m);
		return 0;
	}
	/* Kernel packet sockets, and vhost (RX_L4_CKSUM_NONE), hand over
	 * checksums the sender left partial. */
	partial = rx->partial_cksums || (rxf & RTE_MBUF_F_RX_L4_CKSUM_MASK) ==
		RTE_MBUF_F_RX_L4_CKSUM_NONE;
	over = m->pkt_len - hl.l2_len > rx->dst_mtu;
	/* A tunnel matters over the MTU (its inner packet is what gets
	 * segmented) and for a partial inner checksum. Not over TCP, nor in
	 * an outer fragment. */
	tun = (over || partial) && !tcp &&
		(ptype & RTE_PTYPE_L4_MASK) != RTE_PTYPE_L4_FRAG &&
		tun_classify(m, &hl, v4, udp, &t);
	if (over && tun && tun_superframe(rx, m, v4, &t, c)) {
		out[0] = m;
		return 1;
	}
	/* Leaving as it is, or as the outer datagram's IP fragments: the
	 * inner checksum first, then the outer one, which covers it. */
	if (tun && partial)
		tun_fix_inner(m, &t, c);
	if (over)
		return oversize(lc, rx, m, v4, tcp, udp, partial, out, room, c);

	if ((tcp || udp) && partial &&
			fix_partial_cksum(m, v4, tcp, hl.l2_len, hl.l3_len))
		COUNT(c, partial_cksum_fixed, 1);
	return emit(lc, rx, m, out, c);
}

/* Hand pkts[0..n) to the pipeline, polling up to tries times; count what
 * it took. Returns how many; the rest are still ours. */
static unsigned int
pipeline_send(struct fwd_lcore *lc, uint16_t port, uint16_t txq,
		struct rte_mbuf **pkts, unsigned int n, unsigned int tries,
		struct fwd_counters *c)
{
	unsigned int sent = 0;
	uint64_t bytes = 0;

	/* Lengths first: what the pipeline takes may be freed at once. */
	for (unsigned int i = 0; i < n; i++)
		bytes += pkts[i]->pkt_len;
	while (sent < n && tries-- > 0)
		sent += gso_offload_tx_burst(lc->tx, port, txq, pkts + sent,
				(uint16_t)RTE_MIN(n - sent, (unsigned int)UINT16_MAX));
	for (unsigned int i = sent; i < n; i++)
		bytes -= pkts[i]->pkt_len;
	COUNT(c, tx_pkts, sent);
	COUNT(c, tx_bytes, bytes);
	return sent;
}

/* Send what the hold queue has, oldest first. Returns true when it is
 * empty afterwards. */
static bool
hold_flush(struct fwd_lcore *lc, struct fwd_hold *h, unsigned int tries)
{
	struct fwd_counters *c = &lc->cnt[h->port];
	unsigned int sent;

	if (h->count == 0)
		return true;
	sent = pipeline_send(lc, h->port, h->txq, h->pkts + h->head, h->count,
			tries, c);
	h->head += sent;
	h->count -= sent;
	if (h->count == 0)
		h->head = 0;
	return h->count == 0;
}

/* Append pkts[0..n) behind what the hold queue has, up to its bound; what
 * does not fit is dropped and counted. */
static void
hold_put(struct fwd_hold *h, struct rte_mbuf **pkts, unsigned int n,
		struct fwd_counters *c)
{
	unsigned int room = fwd_cfg.hold - h->count, k = RTE_MIN(n, room);

	if (h->head + h->count + k > fwd_cfg.hold) {
		memmove(h->pkts, h->pkts + h->head, h->count * sizeof(h->pkts[0]));
		h->head = 0;
	}
	memcpy(h->pkts + h->head + h->count, pkts, k * sizeof(pkts[0]));
	h->count += k;
	COUNT(c, hold_pkts, k);
	if (unlikely(k < n)) {
		rte_pktmbuf_free_bulk(pkts + k, n - k);
		COUNT(c, hold_dropped, n - k);
	}
}

/*
 * Hand out[0..n) to the pipeline, behind anything still held for the same
 * egress port. What the port does not take (held for a restart, or its
 * queue full after FWD_TX_TRIES polls) waits in the hold queue, up to
 * --hold packets; beyond that, or with --hold 0, it is dropped and counted.
 */
void
fwd_hand_over(struct fwd_lcore *lc, const struct fwd_rx *rx,
		struct rte_mbuf **out, unsigned int n, struct fwd_counters *c)
{
	struct fwd_hold *h = lc->hold[rx->dst];
	unsigned int sent = 0;

	if (n == 0)
		return;
	if (h == NULL || hold_flush(lc, h, FWD_TX_TRIES))
		sent = pipeline_send(lc, rx->dst, rx->txq, out, n,
				FWD_TX_TRIES, c);
	if (likely(sent == n))
		return;
	if (h != NULL) {
		hold_put(h, out + sent, n - sent, c);
		return;
	}
	rte_pktmbuf_free_bulk(out + sent, n - sent);
	COUNT(c, tx_full_dropped, n - sent);
}

/* Between bursts: retry every non-empty hold queue once. */
bool
fwd_holds_retry(struct fwd_lcore *lc)
{
	bool empty = true;

	for (unsigned int r = 0; r < lc->nb_rx; r++) {
		struct fwd_hold *h = lc->hold[lc->rx[r].dst];

		if (h != NULL && h->count != 0)
			empty &= hold_flush(lc, h, 1);
	}
	return empty;
}

/* At exit: what the ports still take goes out, the rest is freed and
 * counted — every mbuf goes back. */
void
fwd_holds_drain(struct fwd_lcore *lc)
{
	for (unsigned int r = 0; r < lc->nb_rx; r++) {
		struct fwd_hold *h = lc->hold[lc->rx[r].dst];

		if (h == NULL || hold_flush(lc, h, FWD_TX_TRIES))
			continue;
		rte_pktmbuf_free_bulk(h->pkts + h->head, h->count);
		COUNT(&lc->cnt[h->port], hold_dropped, h->count);
		h->head = h->count = 0;
	}
}

int
fwd_worker(void *arg)
{
	struct fwd_lcore *lc = arg;
	struct rte_mbuf *pkts[512], *out[FWD_OUT_MAX];
	const uint16_t burst = RTE_MIN(fwd_cfg.burst, (uint16_t)RTE_DIM(pkts));

	/* Online before the first RX burst, not at the first TX burst: a
	 * grace period must also cover the RX callbacks (fwd_pdump.c). */
	gso_offload_tx_online(lc->tx);
	while (!fwd_quit) {
		bool idle = true;

		for (unsigned int r = 0; r < lc->nb_rx; r++) {
			const struct fwd_rx *rx = &lc->rx[r];
			struct fwd_counters *ci = &lc->cnt[rx->port];
			struct fwd_counters *ce = &lc->cnt[rx->dst];
			unsigned int k = 0;
			uint64_t bytes = 0;
			uint16_t nb;

			/* A port being restarted for an offload change has
			 * its queues freed and set up again: no RX from it
			 * until the change is over (the change's grace period
			 * covers this check and the burst). */
			if (gso_offload_tx_port_held(rx->port))
				continue;
			nb = rte_eth_rx_burst(rx->port, rx->queue, pkts, burst);
			if (nb == 0)
				continue;
			idle = false;
			for (uint16_t i = 0; i < nb; i++)
				bytes += pkts[i]->pkt_len;
			COUNT(ci, rx_pkts, nb);
			COUNT(ci, rx_bytes, bytes);
			for (uint16_t i = 0; i < nb; i++) {
				/* Room for a datagram's fragments: flush first. */
				if (RTE_DIM(out) - k < FWD_MAX_FRAGS) {
					fwd_hand_over(lc, rx, out, k, ce);
					k = 0;
				}
				k += prepare(lc, rx, pkts[i], out + k,
						RTE_DIM(out) - k, ce);
			}
			fwd_hand_over(lc, rx, out, k, ce);
		}
		/* Held packets go out as soon as their port takes them,
		 * traffic or not. */
		if (!fwd_holds_retry(lc))
			idle = false;
		/* Idle: still tell RCU this lcore holds no port state. */
		if (idle) {
			gso_offload_tx_quiescent(lc->tx);
			if (fwd_cfg.idle_sleep_us != 0)
				rte_delay_us_sleep(fwd_cfg.idle_sleep_us);
		}
	}
	fwd_holds_drain(lc);
	gso_offload_tx_offline(lc->tx);
	return 0;
}
