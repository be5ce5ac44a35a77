/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Per packet: pass, hardware, split for hardware, software or reject,
 * from the port's active set and its provider's limits; and the metadata a
 * PMD needs to segment a packet itself.
 */

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_malloc.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "gso_cksum.h"
#include "gso_compat.h"
#include "gso_offload_private.h"
#include "gso_providers.h"
#include "gso_tx_private.h"

struct gso_port_fp *gso_port_fp[RTE_MAX_ETHPORTS];

/* The reject reason for an error of the header walk. */
static uint8_t
reject_reason(int err)
{
	switch (-err) {
	case GSO_OFFLOAD_ELEN: return GSO_OFFLOAD_REJ_LENGTHS;
	case GSO_OFFLOAD_EFRAG: return GSO_OFFLOAD_REJ_FRAGMENT;
	case GSO_OFFLOAD_ENOTIP: return GSO_OFFLOAD_REJ_NOT_IP;
	case GSO_OFFLOAD_EPROTO: return GSO_OFFLOAD_REJ_PROTOCOL;
	default: return GSO_OFFLOAD_REJ_HEADERS;
	}
}

/* Whether every MSS-worth of the packet (the first with the headers) spans
 * at most limit mbufs: what a NIC can gather per segment it sends. */
static bool
mtu_segs_fit(const struct rte_mbuf *m, const struct gso_hdrs *h,
		uint16_t mss, uint16_t limit)
{
	const uint32_t pay0 = h->hdr_len, end = h->hdr_len + h->payload_len;
	uint32_t pos = 0, cur = UINT32_MAX, pieces = 0;

	if (m->nb_segs <= limit)
		return true;
	for (; m != NULL; m = m->next) {
		uint32_t a = pos, b = RTE_MIN(pos + m->data_len, end);
		uint32_t first, last;

		pos += m->data_len;
		if (b <= a)
			continue;
		/* Header bytes belong to the first segment. */
		first = a < pay0 ? 0 : (a - pay0) / mss;
		last = b <= pay0 ? 0 : (b - 1 - pay0) / mss;
		pieces = first == cur ? pieces + 1 : 1;
		if (pieces > limit)
			return false;
		if (last != first)
			pieces = 1;
		cur = last;
	}
	return true;
}

/* The bytes the outermost IP length field counts besides the payload: a
 * tunnel's whole stack from its outer IP header on, else the inner IP
 * and L4 headers (less the fixed IPv6 header, which its payload length
 * does not count). */
static uint32_t
ip_len_fixed(const struct gso_hdrs *h)
{
	if (h->tun != GSO_TUN_NONE)
		return (uint32_t)h->hdr_len - h->outer_l2_len -
			(h->outer_is_ipv4 ? 0 : sizeof(struct rte_ipv6_hdr));
	return (uint32_t)h->l3_len + h->l4_len -
		(h->is_ipv4 ? 0 : sizeof(struct rte_ipv6_hdr));
}

/*
 * Chunk payload, a multiple of the MSS, within every size limit, for a
 * superframe of nseg segments; 0 if no chunk can satisfy the minimum
 * segment count.
 *
 * Every chunk handed to hardware must pass the rules a whole packet
 * passes, the minimum segment count and "more than one segment" among
 * them, and the last chunk carries what is left. So the largest chunk is
 * not always the one taken: of k = most .. least segments per chunk, the
 * first whose remainder (nseg mod k) is 0 or itself a valid chunk. With
 * maximum 4 segments, minimum 2 and nseg 5: 3 + 2, not 4 + 1. When no k
 * leaves a valid remainder the largest is taken, and the short tail goes
 * through software (gso_offload_tx.c decides each chunk again).
 */
static uint32_t
chunk_size(const struct gso_port_fp *fp, const struct gso_hdrs *h,
		uint16_t mss, uint32_t nseg)
{
	/* The chunk's IP length fields (a tunnel's outer one the largest)
	 * must hold it. */
	uint32_t c = RTE_MIN(fp->max_offload_size,
			(uint32_t)UINT16_MAX - ip_len_fixed(h));
	uint32_t most, least, k;

	if (fp->max_frame != UINT32_MAX)
		c = RTE_MIN(c, fp->max_frame > h->hdr_len ?
			fp->max_frame - h->hdr_len : 0);
	c = RTE_MIN(c, (uint32_t)fp->max_segments * mss);
	most = c / mss;
	least = RTE_MAX(fp->min_segment_count, 2u);
	if (most < least)
		return 0;
	for (k = most; k >= least; k--)
		if (nseg % k == 0 || nseg % k >= least)
			return k * mss;
	return most * mss;
}

#define SW(r) do {							\
	v->action = GSO_TX_SW;						\
	v->reason = (r);						\
	return;								\
} while (0)

/*
 * The encapsulated offload's test of a tunnel superframe: its
 * encapsulation and inner (L3, L4) variant active; its outer checksums
 * the port's (an outer IPv4 header checksum needs the outer IPv4
 * checksum, a non-zero outer UDP checksum the outer UDP checksum; the GRE
 * checksum no NIC makes); VXLAN on the active VXLAN port; the inner L4
 * header within the encapsulation's header limit (the plain offset limit
 * where it has none). False with v set to software otherwise.
 */
static bool
tunnel_to_hw(const struct gso_port_fp *fp, const struct gso_hdrs *h,
		struct gso_tx_verdict *v)
{
	const unsigned int e = h->tun - 1u;
	uint32_t flags, lim;

	v->action = GSO_TX_SW;
	if (e >= GSO_OFFLOAD_ENCAP_NB ||
			!(fp->encaps & GSO_OFFLOAD_ENCAP_BIT(e)) ||
			!(fp->encap_pairs[e] &
			  (1u << (h->l4_variant * 4 + h->l3_variant)))) {
		v->reason = GSO_OFFLOAD_SW_TUN_NOT_ACTIVE;
		return false;
	}
	flags = fp->encap_flags[e];
	if ((h->outer_is_ipv4 &&
			!(flags & GSO_OFFLOAD_ENCAP_F_OUTER_IPV4_CKSUM)) ||
			(h->outer_udp_cksum &&
			 !(flags & GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM)) ||
			h->gre_cksum) {
		v->reason = GSO_OFFLOAD_SW_OUTER_CKSUM;
		return false;
	}
	if (h->tun == GSO_TUN_VXLAN && gso_be16_at(h->hdr + h->outer_l2_len +
			h->outer_l3_len + offsetof(struct rte_udp_hdr,
				dst_port)) != fp->vxlan_port) {
		v->reason = GSO_OFFLOAD_SW_VXLAN_PORT;
		return false;
	}
	lim = fp->encap_max_header[e] != 0 ? fp->encap_max_header[e] :
		fp->l4_offset_limit;
	if (lim != 0 && (uint32_t)h->l2_len + h->l3_len > lim) {
		v->reason = GSO_OFFLOAD_SW_OFFSET_LIMIT;
		return false;
	}
	return true;
}

void
gso_tx_decide(const struct gso_port_fp *fp, const struct rte_mbuf *m,
		uint8_t *buf, struct gso_hdrs *h, struct gso_tx_verdict *v)
{
	const uint64_t seg = m->ol_flags &
		(RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG);
	uint32_t l3_field, payload, l2;
	bool too_big;
	uint16_t mss;
	int ret;

	v->reason = 0;
	v->chunk = 0;
	if (seg == 0) {
		/* Sent whole: a segment the PMD cannot take would vanish or
		 * corrupt its ring; no smaller packet can be made of it. */
		if (unlikely(!gso_tx_seg_data_fits(m, fp->max_seg_data))) {
			v->action = GSO_TX_REJECT;
			v->reason = GSO_OFFLOAD_REJ_SEG_DATA;
			return;
		}
		/* More mbufs than the port gathers for one packet: the PMD
		 * would drop it (vmxnet3) or the NIC stop its queue (i40e,
		 * ice, iavf: 8, checked only by their tx_prepare). One
		 * compare on a line the burst has read. */
		v->action = likely(m->nb_segs <= fp->nb_mtu_seg_max) ?
			GSO_TX_PASS : GSO_TX_GATHER;
		return;
	}
	mss = m->tso_segsz;
	v->mss = mss;
	ret = gso_parse(m, seg == RTE_MBUF_F_TX_TCP_SEG ? IPPROTO_TCP :
			seg == RTE_MBUF_F_TX_UDP_SEG ? IPPROTO_UDP : 0, buf, h);
	if (ret == 0 && seg == (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG))
		ret = -GSO_OFFLOAD_EPROTO;   /* both asked: contradictory */
	if (ret != 0) {
		v->action = GSO_TX_REJECT;
		/* SYN/RST apart from broken headers: the sender asked for
		 * something NDIS forbids, its headers are fine. */
		v->reason = (ret == -GSO_OFFLOAD_EHDR && h->tcp_flags_bad) ?
			GSO_OFFLOAD_REJ_TCP_FLAGS : reject_reason(ret);
		return;
	}
	if (mss == 0) {
		v->action = GSO_TX_REJECT;
		v->reason = GSO_OFFLOAD_REJ_MSS;
		return;
	}
	payload = h->payload_len;
	/* Every packet out must fit the MTU: each segment, hardware or
	 * software, and a superframe that fits one segment, which goes out
	 * whole once finalized, bytes past its IP length included (an MSS
	 * beyond the MTU does not make a larger packet acceptable). For a
	 * tunnel the packet on the wire is the outer one: everything after
	 * the outer L2 header counts. */
	l2 = h->tun != GSO_TUN_NONE ? h->outer_l2_len : h->l2_len;
	l3_field = payload <= mss ? m->pkt_len - l2 :
		(uint32_t)h->hdr_len - l2 + mss;
	if (l3_field > fp->mtu) {
		v->action = GSO_TX_REJECT;
		v->reason = GSO_OFFLOAD_REJ_MTU;
		return;
	}
	if (payload <= mss) {
		/* Sent whole too, as a plain packet. */
		if (unlikely(!gso_tx_seg_data_fits(m, fp->max_seg_data))) {
			v->action = GSO_TX_REJECT;
			v->reason = GSO_OFFLOAD_REJ_SEG_DATA;
			return;
		}
		/* The library makes it a plain packet: one the port can
		 * gather (see above). */
		v->action = likely(m->nb_segs <= fp->nb_mtu_seg_max) ?
			GSO_TX_FINALIZE : GSO_TX_GATHER;
		v->nseg = 1;
		return;
	}
	v->nseg = (payload + mss - 1) / mss;
	if (v->nseg > GSO_OFFLOAD_TX_MAX_SEGS) {
		v->action = GSO_TX_REJECT;
		v->reason = GSO_OFFLOAD_REJ_TOO_MANY;
		return;
	}

	/* Hardware: the NetAdapterCx test, then the limits it does not
	 * re-check per packet. A tunnel takes the encapsulated offload's
	 * test instead of the plain one. */
	if (h->tun != GSO_TUN_NONE) {
		if (!tunnel_to_hw(fp, h, v))
			return;
	} else {
		if (!(fp->pairs & (1u << (h->l4_variant * 4 + h->l3_variant))))
			SW(GSO_OFFLOAD_SW_NOT_ACTIVE);
		if (fp->l4_offset_limit != 0 &&
				(uint32_t)h->l2_len + h->l3_len > fp->l4_offset_limit)
			SW(GSO_OFFLOAD_SW_OFFSET_LIMIT);
	}
	if (mss < fp->mss_min || mss > fp->mss_max)
		SW(GSO_OFFLOAD_SW_MSS_RANGE);
	if (fp->l2_in_mtu && (uint32_t)h->hdr_len + mss > fp->mtu)
		SW(GSO_OFFLOAD_SW_SEG_L2_IN_MTU);
	if (v->nseg < fp->min_segment_count)
		SW(GSO_OFFLOAD_SW_MIN_SEGMENTS);
	if (m->data_len < h->hdr_len)
		SW(GSO_OFFLOAD_SW_HDR_SPLIT);
	/* A NIC segments the frame's bytes, not the IP length's: bytes past
	 * it would go out as TCP/UDP payload. Software cuts by the IP
	 * length and leaves them behind, as a receiving stack trims them. */
	if (m->pkt_len != (uint32_t)h->hdr_len + payload)
		SW(GSO_OFFLOAD_SW_TRAILING);
	/* A segment larger than one TX descriptor takes (vmxnet3: 16383):
	 * the PMD would corrupt the descriptor and the superframe vanish.
	 * Software segments reference at most an MSS of it at a time;
	 * chunks of a split would keep the large segment. */
	if (!gso_tx_seg_data_fits(m, fp->max_seg_data))
		SW(GSO_OFFLOAD_SW_SEG_DATA);

	/* Size: beyond any of these the superframe is cut into chunks. */
	too_big = payload > fp->max_offload_size ||
		(fp->max_frame != UINT32_MAX &&
		 h->hdr_len + payload > fp->max_frame) ||
		v->nseg > fp->max_segments ||
		ip_len_fixed(h) + payload > UINT16_MAX;
	if (!too_big) {
		if (m->nb_segs > fp->nb_seg_max)
			SW(GSO_OFFLOAD_SW_NB_SEG);
		if (!mtu_segs_fit(m, h, mss, fp->nb_mtu_seg_max))
			SW(GSO_OFFLOAD_SW_NB_MTU_SEG);
		v->action = GSO_TX_HW;
		return;
	}
	v->chunk = chunk_size(fp, h, mss, v->nseg);
	if (v->chunk == 0)
		SW(GSO_OFFLOAD_SW_NO_SPLIT);
	/* A chunk is a header mbuf and references into the superframe. */
	if ((uint32_t)m->nb_segs + 1 > fp->nb_seg_max)
		SW(GSO_OFFLOAD_SW_NB_SEG);
	if (!mtu_segs_fit(m, h, mss, fp->nb_mtu_seg_max - 1))
		SW(GSO_OFFLOAD_SW_NB_MTU_SEG);
	v->action = GSO_TX_SPLIT;
}

/* The tunnel flag a PMD gets for an encapsulation: its kind, or DPDK's
 * generic UDP / IP tunnel where the port segments it only as that. */
static uint64_t
tunnel_flag(const struct gso_hdrs *h, const struct gso_port_fp *fp)
{
	const unsigned int e = h->tun - 1u;
	const bool generic = e < GSO_OFFLOAD_ENCAP_NB &&
		(fp->encap_flags[e] & GSO_OFFLOAD_ENCAP_F_GENERIC);

	switch (h->tun) {
	case GSO_TUN_VXLAN:
		return generic ? RTE_MBUF_F_TX_TUNNEL_UDP :
			RTE_MBUF_F_TX_TUNNEL_VXLAN;
	case GSO_TUN_GENEVE:
		return generic ? RTE_MBUF_F_TX_TUNNEL_UDP :
			RTE_MBUF_F_TX_TUNNEL_GENEVE;
	case GSO_TUN_GRE:
		return generic ? RTE_MBUF_F_TX_TUNNEL_IP :
			RTE_MBUF_F_TX_TUNNEL_GRE;
	default:
		return generic ? RTE_MBUF_F_TX_TUNNEL_IP :
			RTE_MBUF_F_TX_TUNNEL_IPIP;
	}
}

/* The field at any alignment: a byte copy. */
static inline void
put_sum(uint8_t *at, uint32_t sum)
{
	const uint16_t v = (uint16_t)gso_cksum_fold(sum);

	memcpy(at, &v, sizeof(v));
}

/*
 * A tunnel's outer metadata: lengths, flags, the outer IPv4 checksum
 * (offloaded, or written for a device that rewrites the outer header
 * itself), and for a non-zero outer UDP checksum the outer pseudo-header
 * without length (the device adds each segment's), as for the inner one.
 */
static uint64_t
tunnel_meta(struct rte_mbuf *m, const struct gso_hdrs *h,
		const struct gso_port_fp *fp, uint8_t *hdr)
{
	uint8_t *oip = hdr + h->outer_l2_len;
	uint64_t f = tunnel_flag(h, fp);
	uint32_t phdr = 0;

	m->outer_l2_len = h->outer_l2_len;
	m->outer_l3_len = h->outer_l3_len;
	if (h->outer_is_ipv4) {
		struct rte_ipv4_hdr *ip = (void *)oip;

		f |= RTE_MBUF_F_TX_OUTER_IPV4;
		ip->hdr_checksum = 0;
		if (fp->hw_outer_ip_cksum)
			f |= RTE_MBUF_F_TX_OUTER_IP_CKSUM;
		else
			ip->hdr_checksum = rte_ipv4_cksum(ip);
		phdr = gso_cksum_partial(&ip->src_addr, 8,
				rte_cpu_to_be_16(IPPROTO_UDP));
	} else {
		f |= RTE_MBUF_F_TX_OUTER_IPV6;
		phdr = gso_cksum_partial(oip + offsetof(struct rte_ipv6_hdr,
				src_addr), 16, rte_cpu_to_be_16(IPPROTO_UDP));
		phdr = gso_cksum_partial(hdr + h->outer_phdr_dst_off, 16, phdr);
	}
	if (h->outer_udp_cksum && (h->tun == GSO_TUN_VXLAN ||
			h->tun == GSO_TUN_GENEVE)) {
		f |= RTE_MBUF_F_TX_OUTER_UDP_CKSUM;
		put_sum(oip + h->outer_l3_len +
			offsetof(struct rte_udp_hdr, dgram_cksum), phdr);
	}
	return f;
}

void
gso_tx_hw_meta(struct rte_mbuf *m, const struct gso_hdrs *h, uint16_t mss,
		const struct gso_port_fp *fp)
{
	uint8_t *hdr = rte_pktmbuf_mtod(m, uint8_t *);
	const bool tcp = h->l4_proto == IPPROTO_TCP;
	uint64_t f = m->ol_flags & ~(RTE_MBUF_F_TX_OFFLOAD_MASK &
			~(RTE_MBUF_F_TX_VLAN | RTE_MBUF_F_TX_QINQ));
	uint32_t phdr;

	if (h->tun != GSO_TUN_NONE) {
		/* DPDK's tunnel lengths: l2_len from the outer L4 header to
		 * the inner L3 one. h->l2_len (the inner L3 offset) stays
		 * what the inner offsets below use. */
		m->tx_offload = rte_mbuf_tx_offload(h->tun_l2_len, h->l3_len,
				h->l4_len, mss, h->outer_l3_len,
				h->outer_l2_len, 0);
		f |= tunnel_meta(m, h, fp, hdr);
	} else {
		m->tx_offload = rte_mbuf_tx_offload(h->l2_len, h->l3_len,
				h->l4_len, mss, 0, 0, 0);
	}
	/* TCP_SEG and UDP_SEG imply the L4 checksum (rte_mbuf_core.h). */
	f |= tcp ? RTE_MBUF_F_TX_TCP_SEG : RTE_MBUF_F_TX_UDP_SEG;
	if (h->is_ipv4) {
		struct rte_ipv4_hdr *ip = (void *)(hdr + h->l2_len);

		f |= RTE_MBUF_F_TX_IPV4;
		ip->hdr_checksum = 0;
		/* The device rewrites each segment's IPv4 header; without IP
		 * checksum offload (virtio) it wants a valid one here. */
		if (fp->hw_ip_cksum)
			f |= RTE_MBUF_F_TX_IP_CKSUM;
		else
			ip->hdr_checksum = rte_ipv4_cksum(ip);
		phdr = gso_cksum_partial(&ip->src_addr, 8,
				rte_cpu_to_be_16((uint16_t)h->l4_proto));
	} else {
		const struct rte_ipv6_hdr *ip = (const void *)(hdr + h->l2_len);

		f |= RTE_MBUF_F_TX_IPV6;
		phdr = gso_cksum_partial(gso_ipv6_src_const(ip), 16,
				rte_cpu_to_be_16((uint16_t)h->l4_proto));
		phdr = gso_cksum_partial(hdr + h->phdr_dst_off, 16, phdr);
	}
	m->ol_flags = f;
	/* DPDK's TSO contract: the pseudo-header without the length in the
	 * L4 checksum field. 22.11's rte_net_intel_cksum_prepare() ignores
	 * UDP_SEG, so the library writes it for both. */
	if (fp->hw_phdr)
		put_sum(hdr + h->l2_len + h->l3_len +
			(tcp ? offsetof(struct rte_tcp_hdr, cksum) :
			 offsetof(struct rte_udp_hdr, dgram_cksum)), phdr);
}

/* ---- The published state ---- */

static uint8_t
sw_cksum(uint64_t tx, uint64_t l4_bit, uint32_t quirks)
{
	uint8_t c = 0;

	if (tx & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM)
		c |= GSO_OFFLOAD_CKSUM_IP_HW;
	if (tx & l4_bit) {
		c |= GSO_OFFLOAD_CKSUM_L4_HW;
		if (quirks & GSO_OFFLOAD_QUIRK_PHDR_CKSUM)
			c |= GSO_OFFLOAD_CKSUM_L4_PHDR;
	}
	return c;
}

/*
 * Software segments of a tunnel. Inner checksum offload needs a port that
 * finds the inner headers through the tunnel metadata: one with tunnel
 * segmentation or an outer checksum offload (a plain checksum offload,
 * virtio's or tap's, would take the outer UDP header for the inner L4
 * one). The outer checksums are the port's where it has them.
 */
static uint8_t
sw_cksum_tun(uint64_t tx, uint64_t l4_bit, uint32_t quirks)
{
	const uint64_t aware = GSO_PROVIDER_TNL_TSO_ALL |
		RTE_ETH_TX_OFFLOAD_OUTER_IPV4_CKSUM |
		RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM;
	uint8_t c = (tx & aware) ? sw_cksum(tx, l4_bit, quirks) : 0;

	if (tx & RTE_ETH_TX_OFFLOAD_OUTER_IPV4_CKSUM)
		c |= GSO_OFFLOAD_CKSUM_OUTER_IP_HW;
	if (tx & RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM)
		c |= GSO_OFFLOAD_CKSUM_OUTER_UDP_HW;
	return c;
}

struct gso_port_fp *
gso_port_fp_build(uint16_t port_id, bool paused)
{
	struct gso_offload_port_limits lim;
	struct gso_offload_caps caps;
	struct gso_port *p = gso_port_find(port_id);
	struct gso_port_fp *fp;
	struct rte_eth_conf conf;
	uint64_t tx = 0;

	if (p == NULL)
		return NULL;
	fp = rte_zmalloc("gso_port_fp", sizeof(*fp), RTE_CACHE_LINE_SIZE);
	if (fp == NULL)
		return NULL;
	if (p->have_limits)
		lim = p->lim;
	else if (gso_offload_port_describe(port_id, &caps, &lim) != 0)
		gso_provider_generic_derive(&(struct rte_eth_dev_info){0},
				RTE_ETHER_MTU, &caps, &lim);
	if (p->configured && p->tx_offloads_applied)
		tx = p->tx_offloads;
	else if (rte_eth_dev_conf_get(port_id, &conf) == 0)
		tx = conf.txmode.offloads;

	fp->pairs = p->active.pairs;
	fp->max_offload_size = p->active.caps.max_offload_size;
	fp->min_segment_count = p->active.caps.min_segment_count;
	fp->l4_offset_limit = p->active.caps.l4_header_offset_limit;
	fp->mss_min = lim.mss_min;
	fp->mss_max = lim.mss_max;
	fp->max_segments = lim.max_segments;
	fp->max_frame = lim.max_frame;
	fp->nb_seg_max = lim.nb_seg_max;
	fp->nb_mtu_seg_max = lim.nb_mtu_seg_max;
	fp->mtu = lim.mtu;
	fp->max_seg_data = lim.max_seg_data_len;
	fp->l2_in_mtu = (lim.flags & GSO_OFFLOAD_QUIRK_SEG_L2_IN_MTU) != 0;
	fp->paused = paused;
	fp->hw_ip_cksum = (tx & RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) != 0;
	fp->hw_phdr = (lim.flags & GSO_OFFLOAD_QUIRK_PHDR_CKSUM) != 0;
	fp->sw_cksum_tcp = sw_cksum(tx, RTE_ETH_TX_OFFLOAD_TCP_CKSUM, lim.flags);
	fp->sw_cksum_udp = sw_cksum(tx, RTE_ETH_TX_OFFLOAD_UDP_CKSUM, lim.flags);
	fp->max_mbufs_per_seg = (tx & RTE_ETH_TX_OFFLOAD_MULTI_SEGS) ?
		(uint8_t)RTE_MIN(lim.nb_mtu_seg_max, (uint16_t)UINT8_MAX) : 1;
	fp->tx_offloads = tx;

	fp->encaps = p->active.encaps;
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++) {
		fp->encap_pairs[e] = p->active.encap_pairs[e];
		fp->encap_flags[e] = p->active.encap[e].flags;
		fp->encap_max_header[e] = p->active.encap[e].max_header_size;
	}
	fp->vxlan_port = p->active.vxlan_port;
	fp->hw_outer_ip_cksum =
		(tx & RTE_ETH_TX_OFFLOAD_OUTER_IPV4_CKSUM) != 0;
	fp->sw_cksum_tun_tcp = sw_cksum_tun(tx, RTE_ETH_TX_OFFLOAD_TCP_CKSUM,
			lim.flags);
	fp->sw_cksum_tun_udp = sw_cksum_tun(tx, RTE_ETH_TX_OFFLOAD_UDP_CKSUM,
			lim.flags);
	return fp;
}
