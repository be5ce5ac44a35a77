/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/* Header walk: L2 (Ethernet, 802.1Q, QinQ) -> L3 (IPv4, IPv6 + extension
 * headers) -> L4 (TCP, UDP), with the length checks segmentation needs. */

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <netinet/in.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "gso_seg_parse.h"

#define IPV6_EXT_HOPOPTS  0
#define IPV6_EXT_ROUTING  43
#define IPV6_EXT_FRAGMENT 44
#define IPV6_EXT_DSTOPTS  60

#define IPV6_OPT_PAD1     0
#define IPV6_OPT_JUMBO    0xc2  /* RFC 2675 Jumbo Payload */

#define IPV6_RT_TYPE0     0   /* deprecated, but its layout is known */
#define IPV6_RT_TYPE2     2   /* Mobile IPv6: one address */
#define IPV6_RT_SRH       4   /* Segment Routing: Segment List[0] is final */

/* The final destination of a routing header (at p) with segments left, as
 * an offset from p; 0 if this header leaves the destination as it is. */
static int
routing_final_dst(const uint8_t *p, uint32_t len, uint32_t *dst_off)
{
	uint8_t type = p[2], segs_left = p[3];
	uint32_t naddr = p[1] / 2;

	*dst_off = 0;
	if (segs_left == 0)
		return 0;
	switch (type) {
	case IPV6_RT_TYPE0:
	case IPV6_RT_TYPE2:
		if (naddr == 0 || 8 + naddr * 16 > len)
			return -GSO_OFFLOAD_EHDR;
		*dst_off = 8 + (naddr - 1) * 16;
		return 0;
	case IPV6_RT_SRH:
		if (naddr == 0 || 8 + 16 > len)
			return -GSO_OFFLOAD_EHDR;
		*dst_off = 8;
		return 0;
	default:
		/* RFC 8200 4.4: an unknown type with segments left is to be
		 * discarded by the node it reaches. */
		return -GSO_OFFLOAD_EPROTO;
	}
}

/* Whether the hop-by-hop header at p (len bytes) carries a Jumbo Payload
 * option. Such a packet cannot be cut: every segment would copy the
 * option, which RFC 2675 forbids beside a non-zero payload length (a
 * receiver drops it). Linux strips it before segmenting (BIG TCP); this
 * engine keeps extension headers as they are, so it refuses. */
static bool
hbh_has_jumbo(const uint8_t *p, uint32_t len)
{
	for (uint32_t i = 2; i < len; ) {
		if (p[i] == IPV6_OPT_PAD1) {
			i++;
			continue;
		}
		if (p[i] == IPV6_OPT_JUMBO)
			return true;
		if (i + 1 >= len)
			break;
		i += 2u + p[i + 1];
	}
	return false;
}

/* Skip at most two VLAN tags (802.1ad or 802.1Q outer, 802.1Q inner). */
static __rte_always_inline int
parse_l2(const uint8_t *p, uint32_t avail, uint16_t *l2_len, uint16_t *etype)
{
	uint16_t off = RTE_ETHER_HDR_LEN;
	uint16_t type;

	if (avail < RTE_ETHER_HDR_LEN)
		return -GSO_OFFLOAD_EHDR;
	type = gso_be16_at(p + 12);
	for (int tags = 0; tags < 2 && (type == RTE_ETHER_TYPE_VLAN ||
			type == RTE_ETHER_TYPE_QINQ); tags++) {
		if (avail < (uint32_t)off + RTE_VLAN_HLEN)
			return -GSO_OFFLOAD_EHDR;
		type = gso_be16_at(p + off + 2);
		off += RTE_VLAN_HLEN;
	}
	if (type != RTE_ETHER_TYPE_IPV4 && type != RTE_ETHER_TYPE_IPV6)
		return -GSO_OFFLOAD_ENOTIP;
	*l2_len = off;
	*etype = type;
	return 0;
}

/* Bytes the IP length field says the packet has from the L3 header on:
 * the field plus the header bytes it leaves out (uncounted: 0 for IPv4,
 * whose total length counts its header and options; IPv6's 40-byte fixed
 * header, which its payload length does not count). The version is said,
 * not guessed from a header length: an IPv4 header with 20 bytes of
 * options is 40 bytes long too.
 * 0 means "as long as the frame", allowed only when the field cannot hold
 * the length (Linux BIG TCP writes 0 for such packets). */
static int
ip_length(uint32_t field, uint32_t uncounted, uint32_t frame_l3,
		uint32_t *ip_len)
{
	if (field == 0) {
		if (frame_l3 - uncounted <= UINT16_MAX)
			return -GSO_OFFLOAD_ELEN;
		*ip_len = frame_l3;
		return 0;
	}
	if (field + uncounted > frame_l3)
		return -GSO_OFFLOAD_ELEN;
	*ip_len = field + uncounted;
	return 0;
}

static __rte_always_inline int
parse_ipv4(const uint8_t *p, uint32_t avail, uint32_t frame_l3,
		struct gso_hdrs *h, uint32_t *ip_len)
{
	const struct rte_ipv4_hdr *ip = (const void *)p;
	uint16_t ihl;

	if (avail < sizeof(*ip) || (ip->version_ihl >> 4) != 4)
		return -GSO_OFFLOAD_EHDR;
	ihl = (ip->version_ihl & 0xf) * 4;
	if (ihl < sizeof(*ip) || avail < ihl)
		return -GSO_OFFLOAD_EHDR;
	if (rte_be_to_cpu_16(ip->fragment_offset) &
			(RTE_IPV4_HDR_MF_FLAG | RTE_IPV4_HDR_OFFSET_MASK))
		return -GSO_OFFLOAD_EFRAG;
	h->is_ipv4 = 1;
	h->phdr_dst_off = h->l2_len + offsetof(struct rte_ipv4_hdr, dst_addr);
	h->l3_len = ihl;
	h->l3_variant = ihl > sizeof(*ip) ? GSO_L3_IPV4_OPT : GSO_L3_IPV4;
	h->l4_proto = ip->next_proto_id;
	return ip_length(rte_be_to_cpu_16(ip->total_length), 0, frame_l3,
			ip_len);
}

static __rte_always_inline int
parse_ipv6(const uint8_t *p, uint32_t avail, uint32_t frame_l3,
		struct gso_hdrs *h, uint32_t *ip_len)
{
	const struct rte_ipv6_hdr *ip = (const void *)p;
	uint32_t off = sizeof(*ip);
	uint8_t nh;

	if (avail < sizeof(*ip) || (p[0] >> 4) != 6)
		return -GSO_OFFLOAD_EHDR;
	nh = ip->proto;
	h->phdr_dst_off = h->l2_len + offsetof(struct rte_ipv6_hdr, dst_addr);
	while (nh == IPV6_EXT_HOPOPTS || nh == IPV6_EXT_ROUTING ||
			nh == IPV6_EXT_DSTOPTS) {
		uint32_t len, dst_off;
		int ret;

		/* RFC 8200: hop-by-hop options only right after the header. */
		if (nh == IPV6_EXT_HOPOPTS && off != sizeof(*ip))
			return -GSO_OFFLOAD_EHDR;
		if (avail < off + 8)
			return -GSO_OFFLOAD_EHDR;
		len = (p[off + 1] + 1u) * 8;
		if (avail < off + len)
			return -GSO_OFFLOAD_EHDR;
		if (nh == IPV6_EXT_HOPOPTS && hbh_has_jumbo(p + off, len))
			return -GSO_OFFLOAD_EPROTO;
		if (nh == IPV6_EXT_ROUTING) {
			ret = routing_final_dst(p + off, len, &dst_off);
			if (ret != 0)
				return ret;
			if (dst_off != 0)
				h->phdr_dst_off = h->l2_len + off + dst_off;
		}
		nh = p[off];
		off += len;
	}
	if (nh == IPV6_EXT_FRAGMENT)
		return -GSO_OFFLOAD_EFRAG;
	h->is_ipv4 = 0;
	h->l3_len = off;
	h->l3_variant = off > sizeof(*ip) ? GSO_L3_IPV6_EXT : GSO_L3_IPV6;
	h->l4_proto = nh;
	return ip_length(rte_be_to_cpu_16(ip->payload_len), sizeof(*ip),
			frame_l3, ip_len);
}

static __rte_always_inline int
parse_l4(const uint8_t *p, uint32_t avail, uint8_t want_proto,
		struct gso_hdrs *h)
{
	if (h->l4_proto != IPPROTO_TCP && h->l4_proto != IPPROTO_UDP)
		return -GSO_OFFLOAD_EPROTO;
	if (want_proto != 0 && h->l4_proto != want_proto)
		return -GSO_OFFLOAD_EPROTO;
	if (h->l4_proto == IPPROTO_UDP) {
		if (avail < sizeof(struct rte_udp_hdr))
			return -GSO_OFFLOAD_EHDR;
		h->l4_len = sizeof(struct rte_udp_hdr);
		h->l4_variant = GSO_L4_UDP;
		return 0;
	}
	if (avail < sizeof(struct rte_tcp_hdr))
		return -GSO_OFFLOAD_EHDR;
	h->l4_len = (p[12] >> 4) * 4;
	if (h->l4_len < sizeof(struct rte_tcp_hdr) || avail < h->l4_len)
		return -GSO_OFFLOAD_EHDR;
	/* NDIS: SYN and RST never come in a large send; cutting one would
	 * repeat the flag on every segment. */
	if (p[13] & (RTE_TCP_SYN_FLAG | RTE_TCP_RST_FLAG)) {
		h->tcp_flags_bad = 1;
		return -GSO_OFFLOAD_EHDR;
	}
	h->l4_variant = h->l4_len > sizeof(struct rte_tcp_hdr) ?
		GSO_L4_TCP_OPT : GSO_L4_TCP;
	return 0;
}

/*
 * The L3 and L4 headers at h->l2_len, as a plain frame's or a tunnel's
 * inner ones: frame_l3 is how many bytes the frame (or the outer IP
 * datagram) has from the L3 header on. *ip_len: what the IP length says.
 */
static __rte_always_inline int
parse_l3_l4(const uint8_t *p, uint32_t avail, uint32_t frame_l3,
		uint16_t etype, uint8_t want_proto, struct gso_hdrs *h,
		uint32_t *ip_len)
{
	uint32_t l4_total;
	int ret;

	if (etype == RTE_ETHER_TYPE_IPV4)
		ret = parse_ipv4(p + h->l2_len, avail - h->l2_len, frame_l3, h,
				ip_len);
	else
		ret = parse_ipv6(p + h->l2_len, avail - h->l2_len, frame_l3, h,
				ip_len);
	if (ret == -GSO_OFFLOAD_ELEN) {
		/* Report a header problem before a length problem. */
		int hret = parse_l4(p + h->l2_len + h->l3_len,
				avail - h->l2_len - h->l3_len, want_proto, h);
		return hret != 0 ? hret : ret;
	}
	if (ret != 0)
		return ret;
	ret = parse_l4(p + h->l2_len + h->l3_len,
			avail - h->l2_len - h->l3_len, want_proto, h);
	if (ret != 0)
		return ret;
	h->hdr_len = h->l2_len + h->l3_len + h->l4_len;

	if (*ip_len < (uint32_t)h->l3_len + h->l4_len)
		return -GSO_OFFLOAD_ELEN;
	l4_total = *ip_len - h->l3_len;
	if (h->l4_proto == IPPROTO_UDP) {
		uint16_t udp_len = gso_be16_at(p + h->l2_len + h->l3_len + 4);

		if (!(udp_len == l4_total ||
				(udp_len == 0 && l4_total > UINT16_MAX)))
			return -GSO_OFFLOAD_ELEN;
	}
	h->payload_len = l4_total - h->l4_len;
	return 0;
}

/* ---- Tunnels (docs/tunnels.md) ---- */

#define GRE_F_CSUM     0x8000
#define GRE_F_ROUTING  0x4000
#define GRE_F_KEY      0x2000
#define GRE_F_SEQ      0x1000
#define GRE_F_VERSION  0x0007

#define VXLAN_HDR_LEN   8
#define GENEVE_HDR_LEN  8

/* The kind of tunnel the mbuf asks for: DPDK's TUNNEL field is a number,
 * not a set of bits, so two flags at once read as another kind (VXLAN |
 * GENEVE is MPLS-in-UDP), refused as every kind but these four is. */
static __rte_always_inline int
tun_kind(uint64_t ol_flags)
{
	switch (ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK) {
	case RTE_MBUF_F_TX_TUNNEL_VXLAN: return GSO_TUN_VXLAN;
	case RTE_MBUF_F_TX_TUNNEL_GENEVE: return GSO_TUN_GENEVE;
	case RTE_MBUF_F_TX_TUNNEL_GRE: return GSO_TUN_GRE;
	case RTE_MBUF_F_TX_TUNNEL_IPIP: return GSO_TUN_IPIP;
	default: return -GSO_OFFLOAD_EPROTO;
	}
}

/*
 * The tunnel header at off (the outer L4 header): its length and what
 * follows it. *etype is the inner EtherType when the tunnel carries IP
 * directly, 0 when it carries an Ethernet frame. *len_bad is set when the
 * outer UDP length does not match outer_end (the outer IP datagram's end).
 */
static int
parse_tun_hdr(const uint8_t *p, uint32_t avail, uint32_t off,
		uint32_t outer_end, uint8_t outer_proto, struct gso_hdrs *h,
		uint16_t *etype, bool *len_bad)
{
	const uint8_t *t = p + off;
	uint32_t len;
	uint16_t flags, proto;

	*etype = 0;
	switch (h->tun) {
	case GSO_TUN_VXLAN:
	case GSO_TUN_GENEVE:
		if (outer_proto != IPPROTO_UDP)
			return -GSO_OFFLOAD_EPROTO;
		if (avail < off + sizeof(struct rte_udp_hdr) + VXLAN_HDR_LEN)
			return -GSO_OFFLOAD_EHDR;
		len = gso_be16_at(t + 4);
		if (!(len == outer_end - off ||
				(len == 0 && outer_end - off > UINT16_MAX)))
			*len_bad = true;
		h->outer_udp_cksum = gso_be16_at(t + 6) != 0;
		t += sizeof(struct rte_udp_hdr);
		if (h->tun == GSO_TUN_VXLAN) {
			h->tun_hdr_len = sizeof(struct rte_udp_hdr) +
				VXLAN_HDR_LEN;
			return 0;
		}
		/* GENEVE (RFC 8926): version 0, options in 4-byte words,
		 * an Ethernet payload (the only one a TEB-terminating
		 * tunnel hands on). */
		if ((t[0] >> 6) != 0 || gso_be16_at(t + 2) != RTE_ETHER_TYPE_TEB)
			return -GSO_OFFLOAD_EPROTO;
		h->tun_hdr_len = sizeof(struct rte_udp_hdr) + GENEVE_HDR_LEN +
			(t[0] & 0x3f) * 4;
		if (avail < off + h->tun_hdr_len)
			return -GSO_OFFLOAD_EHDR;
		return 0;
	case GSO_TUN_GRE:
		if (outer_proto != IPPROTO_GRE)
			return -GSO_OFFLOAD_EPROTO;
		if (avail < off + 4)
			return -GSO_OFFLOAD_EHDR;
		flags = gso_be16_at(t);
		proto = gso_be16_at(t + 2);
		/* As Linux: a sequence number cannot be repeated on every
		 * segment, a routing header (RFC 1701) or another version
		 * has a layout of its own. */
		if (flags & (GRE_F_SEQ | GRE_F_ROUTING | GRE_F_VERSION))
			return -GSO_OFFLOAD_EPROTO;
		if (proto == RTE_ETHER_TYPE_IPV4 || proto == RTE_ETHER_TYPE_IPV6)
			*etype = proto;
		else if (proto != RTE_ETHER_TYPE_TEB)
			return -GSO_OFFLOAD_EPROTO;
		h->gre_cksum = (flags & GRE_F_CSUM) != 0;
		h->tun_hdr_len = 4 + ((flags & GRE_F_CSUM) ? 4 : 0) +
			((flags & GRE_F_KEY) ? 4 : 0);
		if (avail < off + h->tun_hdr_len)
			return -GSO_OFFLOAD_EHDR;
		return 0;
	default: /* GSO_TUN_IPIP */
		if (outer_proto == IPPROTO_IPIP)
			*etype = RTE_ETHER_TYPE_IPV4;
		else if (outer_proto == IPPROTO_IPV6)
			*etype = RTE_ETHER_TYPE_IPV6;
		else
			return -GSO_OFFLOAD_EPROTO;
		h->tun_hdr_len = 0;
		return 0;
	}
}

/*
 * A tunnel superframe: outer L2 and L3, the tunnel header, the inner L2
 * if the tunnel carries Ethernet, then the inner L3/L4 as a plain frame's.
 * Length problems (outer or inner) are held back until every header is
 * known good, as for a plain frame.
 */
static __rte_noinline int
parse_tunnel(const struct rte_mbuf *m, const uint8_t *p, uint32_t avail,
		uint8_t want_proto, struct gso_hdrs *h)
{
	uint32_t oip_len, outer_end, off, ip_len, inner_frame;
	uint16_t etype, il2;
	bool len_bad = false;
	uint8_t outer_proto;
	int ret, kind;

	kind = tun_kind(m->ol_flags);
	if (kind < 0)
		return kind;
	h->tun = (uint8_t)kind;

	/* Outer L2 and L3, parsed as a plain frame's into h, then moved to
	 * the outer fields. */
	ret = parse_l2(p, avail, &h->l2_len, &etype);
	if (ret != 0)
		return ret;
	if (etype == RTE_ETHER_TYPE_IPV4)
		ret = parse_ipv4(p + h->l2_len, avail - h->l2_len,
				m->pkt_len - h->l2_len, h, &oip_len);
	else
		ret = parse_ipv6(p + h->l2_len, avail - h->l2_len,
				m->pkt_len - h->l2_len, h, &oip_len);
	if (ret == -GSO_OFFLOAD_ELEN) {
		len_bad = true;
	} else if (ret != 0) {
		return ret;
	} else if (oip_len < h->l3_len) {
		len_bad = true;
	}
	h->outer_l2_len = h->l2_len;
	h->outer_l3_len = h->l3_len;
	h->outer_is_ipv4 = h->is_ipv4;
	h->outer_l3_variant = h->l3_variant;
	h->outer_phdr_dst_off = h->phdr_dst_off;
	outer_proto = h->l4_proto;
	off = h->outer_l2_len + h->outer_l3_len;
	/* A bad outer length: the frame's end stands in for the datagram's
	 * until the headers are all checked. */
	outer_end = len_bad ? m->pkt_len : h->outer_l2_len + oip_len;

	ret = parse_tun_hdr(p, avail, off, outer_end, outer_proto, h, &etype,
			&len_bad);
	if (ret != 0)
		return ret;
	il2 = 0;
	if (etype == 0) {
		ret = parse_l2(p + off + h->tun_hdr_len,
				avail - off - h->tun_hdr_len, &il2, &etype);
		if (ret != 0)
			return ret;
	}
	h->tun_l2_len = h->tun_hdr_len + il2;
	h->l2_len = (uint16_t)(off + h->tun_l2_len);
	if (outer_end < h->l2_len) {
		len_bad = true;
		outer_end = m->pkt_len;
	}
	inner_frame = outer_end - h->l2_len;

	ret = parse_l3_l4(p, avail, inner_frame, etype, want_proto, h, &ip_len);
	if (ret != 0 && ret != -GSO_OFFLOAD_ELEN)
		return ret;
	/* The inner datagram is exactly what the outer one carries. */
	if (ret != 0 || len_bad || ip_len != inner_frame)
		return -GSO_OFFLOAD_ELEN;
	return 0;
}

int
gso_parse(const struct rte_mbuf *m, uint8_t want_proto, uint8_t *buf,
		struct gso_hdrs *h)
{
	uint32_t avail = RTE_MIN(m->pkt_len, (uint32_t)GSO_OFFLOAD_MAX_HDR_LEN);
	const uint8_t *p;
	uint32_t ip_len;
	uint16_t etype;
	int ret;

	h->tcp_flags_bad = 0;
	/* The outer layer's fields, contiguous: two stores. */
	memset(&h->tun, 0, sizeof(*h) - offsetof(struct gso_hdrs, tun));
	if (unlikely(!gso_chain_whole(m)))
		return -GSO_OFFLOAD_ELEN;
	p = rte_pktmbuf_read(m, 0, avail, buf);
	if (p == NULL)
		return -GSO_OFFLOAD_EHDR;
	h->hdr = p;
	if (unlikely(m->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK))
		return parse_tunnel(m, p, avail, want_proto, h);

	ret = parse_l2(p, avail, &h->l2_len, &etype);
	if (ret != 0)
		return ret;
	return parse_l3_l4(p, avail, m->pkt_len - h->l2_len, etype, want_proto,
			h, &ip_len);
}
