/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/* The contract checker (test_contract.h). */

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <netinet/in.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "gso_offload.h"
#include "gso_seg_parse.h"
#include "gso_tx_private.h"
#include "test_contract.h"
#include "test_pkt.h"

static void
violation(struct contract *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
violation(struct contract *c, const char *fmt, ...)
{
	va_list ap;

	if (__atomic_fetch_add(&c->violations, 1, __ATOMIC_RELAXED) == 0) {
		va_start(ap, fmt);
		vsnprintf(c->first, sizeof(c->first), fmt, ap);
		va_end(ap);
	}
}

/* The kind a tunnel flag names (GSO_TUN_*), 0 for none; -1 for DPDK's
 * generic UDP or IP tunnel, which the headers must tell. */
static int
tunnel_kind(uint64_t f)
{
	switch (f & RTE_MBUF_F_TX_TUNNEL_MASK) {
	case 0: return GSO_TUN_NONE;
	case RTE_MBUF_F_TX_TUNNEL_VXLAN: return GSO_TUN_VXLAN;
	case RTE_MBUF_F_TX_TUNNEL_GENEVE: return GSO_TUN_GENEVE;
	case RTE_MBUF_F_TX_TUNNEL_GRE: return GSO_TUN_GRE;
	case RTE_MBUF_F_TX_TUNNEL_IPIP: return GSO_TUN_IPIP;
	default: return -1;
	}
}

/* Parse m as the library does; a generic tunnel flag is tried as each
 * kind it covers (on a copy of the mbuf header: the parser takes the kind
 * from ol_flags). */
static int
parse_any(const struct rte_mbuf *m, uint8_t proto, uint8_t *buf,
		struct gso_hdrs *h)
{
	static const uint64_t udp_kinds[] = {
		RTE_MBUF_F_TX_TUNNEL_VXLAN, RTE_MBUF_F_TX_TUNNEL_GENEVE,
	};
	static const uint64_t ip_kinds[] = {
		RTE_MBUF_F_TX_TUNNEL_GRE, RTE_MBUF_F_TX_TUNNEL_IPIP,
	};
	const uint64_t t = m->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK;
	const uint64_t *kinds = t == RTE_MBUF_F_TX_TUNNEL_UDP ? udp_kinds :
		t == RTE_MBUF_F_TX_TUNNEL_IP ? ip_kinds : NULL;
	struct rte_mbuf tmp;
	int ret = -1;

	if (kinds == NULL)
		return gso_parse(m, proto, buf, h);
	for (int i = 0; i < 2 && ret != 0; i++) {
		tmp = *m;
		tmp.ol_flags = (m->ol_flags & ~RTE_MBUF_F_TX_TUNNEL_MASK) |
			kinds[i];
		ret = gso_parse(&tmp, proto, buf, h);
	}
	return ret;
}

/* A tunnel's part of the contract (the inner one is checked as a plain
 * packet's). 0, or -1 after a violation. */
static int
check_tunnel(struct contract *c, const struct gso_port_fp *fp,
		const struct rte_mbuf *m, const struct gso_hdrs *h)
{
	const unsigned int e = h->tun - 1u;
	const uint64_t f = m->ol_flags;
	const uint8_t *oip = h->hdr + h->outer_l2_len;
	const bool generic = tunnel_kind(f) < 0;
	uint32_t flags, lim;

	if (e >= GSO_OFFLOAD_ENCAP_NB) {
		violation(c, "tunnel kind %u", h->tun);
		return -1;
	}
	if (!((fp->encaps | __atomic_load_n(&c->old_encaps, __ATOMIC_ACQUIRE)) &
			GSO_OFFLOAD_ENCAP_BIT(e)) ||
			!((fp->encap_pairs[e] |
			   __atomic_load_n(&c->old_pairs, __ATOMIC_ACQUIRE)) &
			  (1u << (h->l4_variant * 4 + h->l3_variant)))) {
		violation(c, "encapsulation %s, inner L3 %u / L4 %u not active",
			gso_offload_encap_name(e), h->l3_variant, h->l4_variant);
		return -1;
	}
	flags = fp->encap_flags[e];
	if (generic != ((flags & GSO_OFFLOAD_ENCAP_F_GENERIC) != 0)) {
		violation(c, "tunnel flag %#" PRIx64 " for a %sgeneric %s",
			(uint64_t)(f & RTE_MBUF_F_TX_TUNNEL_MASK),
			generic ? "non-" : "", gso_offload_encap_name(e));
		return -1;
	}
	if (m->outer_l2_len != h->outer_l2_len ||
			m->outer_l3_len != h->outer_l3_len ||
			m->l2_len != h->tun_l2_len) {
		violation(c, "tunnel lengths %u/%u/%u, headers %u/%u/%u",
			m->outer_l2_len, m->outer_l3_len, m->l2_len,
			h->outer_l2_len, h->outer_l3_len, h->tun_l2_len);
		return -1;
	}
	if (!(f & RTE_MBUF_F_TX_OUTER_IPV4) == !(f & RTE_MBUF_F_TX_OUTER_IPV6) ||
			!!(f & RTE_MBUF_F_TX_OUTER_IPV4) != !!h->outer_is_ipv4 ||
			!(f & RTE_MBUF_F_TX_IPV4) == !(f & RTE_MBUF_F_TX_IPV6) ||
			!!(f & RTE_MBUF_F_TX_IPV4) != !!h->is_ipv4) {
		violation(c, "outer/inner IP version flags %#" PRIx64, f);
		return -1;
	}
	if (h->outer_is_ipv4) {
		const uint16_t field = (uint16_t)(oip[10] << 8 | oip[11]);

		if (!(flags & GSO_OFFLOAD_ENCAP_F_OUTER_IPV4_CKSUM)) {
			violation(c, "outer IPv4 without the outer IPv4 checksum active");
			return -1;
		}
		if ((f & RTE_MBUF_F_TX_OUTER_IP_CKSUM) ? field != 0 :
				test_ref_fold(test_ref_sum(oip, h->outer_l3_len,
					0)) != 0xffff) {
			violation(c, "outer IPv4 checksum %#x, offload %d",
				field, !!(f & RTE_MBUF_F_TX_OUTER_IP_CKSUM));
			return -1;
		}
	} else if (f & RTE_MBUF_F_TX_OUTER_IP_CKSUM) {
		violation(c, "OUTER_IP_CKSUM on an outer IPv6 header");
		return -1;
	}
	if (h->gre_cksum) {
		violation(c, "a GRE checksum to hardware");
		return -1;
	}
	if (h->tun == GSO_TUN_VXLAN || h->tun == GSO_TUN_GENEVE) {
		const uint8_t *udp = oip + h->outer_l3_len;
		const uint16_t field = (uint16_t)(udp[6] << 8 | udp[7]);

		if (h->tun == GSO_TUN_VXLAN &&
				(uint16_t)(udp[2] << 8 | udp[3]) != fp->vxlan_port) {
			violation(c, "VXLAN on UDP port %u, active %u",
				udp[2] << 8 | udp[3], fp->vxlan_port);
			return -1;
		}
		if (field == 0 ? (f & RTE_MBUF_F_TX_OUTER_UDP_CKSUM) != 0 :
				!(f & RTE_MBUF_F_TX_OUTER_UDP_CKSUM) ||
				!(flags & GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM)) {
			violation(c, "outer UDP checksum %#x, offload %d, active %d",
				field, !!(f & RTE_MBUF_F_TX_OUTER_UDP_CKSUM),
				!!(flags & GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM));
			return -1;
		}
		if (field != 0) {
			/* The outer pseudo-header without the length (TSO's
			 * convention), or with it (a PMD's tx_prepare). */
			uint32_t sum = h->outer_is_ipv4 ?
				test_ref_sum(oip + 12, 8, 0) :
				test_ref_sum(oip + 8, 16, test_ref_sum(h->hdr +
					h->outer_phdr_dst_off, 16, 0));
			uint16_t nolen = test_ref_fold(sum + IPPROTO_UDP);
			uint16_t len = (uint16_t)(udp[4] << 8 | udp[5]);

			if (field != nolen && field != test_ref_fold(nolen + len)) {
				violation(c, "outer UDP field %#x, pseudo-header %#x",
					field, nolen);
				return -1;
			}
		}
	} else if (f & RTE_MBUF_F_TX_OUTER_UDP_CKSUM) {
		violation(c, "OUTER_UDP_CKSUM on %s", gso_offload_encap_name(e));
		return -1;
	}
	lim = fp->encap_max_header[e] != 0 ? fp->encap_max_header[e] :
		fp->l4_offset_limit;
	if (lim != 0 && (uint32_t)h->l2_len + h->l3_len > lim) {
		violation(c, "inner L4 offset %u beyond %u", h->l2_len + h->l3_len,
			lim);
		return -1;
	}
	if ((uint32_t)h->hdr_len - h->outer_l2_len + m->tso_segsz > fp->mtu) {
		violation(c, "outer segments of %u bytes over MTU %u",
			h->hdr_len - h->outer_l2_len + m->tso_segsz, fp->mtu);
		return -1;
	}
	__atomic_fetch_add(&c->tun_pkts, 1, __ATOMIC_RELAXED);
	return 0;
}

static void
check_gso_packet(struct contract *c, const struct gso_port_fp *fp,
		struct rte_mbuf *m)
{
	const bool tcp = m->ol_flags & RTE_MBUF_F_TX_TCP_SEG;
	const bool udp = m->ol_flags & RTE_MBUF_F_TX_UDP_SEG;
	uint8_t buf[GSO_OFFLOAD_MAX_HDR_LEN];
	uint32_t nseg, phdr, want_phdr, max_off, min_seg;
	uint16_t off_lim;
	const uint8_t *ip;
	struct gso_hdrs h;
	uint16_t field;

	/* A burst that began before a hold finishes during the grace period,
	 * under the held copy of the state it began with: check against that. */
	if (fp == NULL) {
		violation(c, "GSO packet on a port unknown to the library");
		return;
	}
	if (tcp == udp || m->tso_segsz == 0) {
		violation(c, "flags %#" PRIx64 " tso_segsz %u", m->ol_flags,
			m->tso_segsz);
		return;
	}
	if (parse_any(m, tcp ? IPPROTO_TCP : IPPROTO_UDP, buf, &h) != 0 ||
			(h.tun == GSO_TUN_NONE && h.l2_len != m->l2_len) ||
			h.l3_len != m->l3_len || h.l4_len != m->l4_len) {
		violation(c, "lengths %u/%u/%u do not match the headers",
			m->l2_len, m->l3_len, m->l4_len);
		return;
	}
	if (h.tun != GSO_TUN_NONE) {
		if (check_tunnel(c, fp, m, &h) != 0)
			return;
	} else if (!((fp->pairs | __atomic_load_n(&c->old_pairs,
			__ATOMIC_ACQUIRE)) &
			(1u << (h.l4_variant * 4 + h.l3_variant)))) {
		violation(c, "L3 variant %u / L4 variant %u not active",
			h.l3_variant, h.l4_variant);
		return;
	}
	if (c->need_port_offload && h.tun == GSO_TUN_NONE &&
			!(fp->tx_offloads & (tcp ?
			RTE_ETH_TX_OFFLOAD_TCP_TSO : RTE_ETH_TX_OFFLOAD_UDP_TSO))) {
		violation(c, "port offloads %#" PRIx64 " lack %s",
			fp->tx_offloads, tcp ? "TCP_TSO" : "UDP_TSO");
		return;
	}
	nseg = (h.payload_len + m->tso_segsz - 1) / m->tso_segsz;
	/* The decision finalizes what makes one segment: never hardware. */
	if (nseg < 2) {
		violation(c, "a GSO packet of one segment: payload %u, mss %u",
			h.payload_len, m->tso_segsz);
		return;
	}
	/* The set's limits; attached before any set had pairs: the fp's. */
	max_off = c->set_max_offload != 0 ? c->set_max_offload :
		fp->max_offload_size;
	min_seg = c->set_max_offload != 0 ? c->set_min_segments :
		fp->min_segment_count;
	off_lim = c->set_max_offload != 0 ? c->set_l4_offset_limit :
		fp->l4_offset_limit;
	if (h.tun != GSO_TUN_NONE)
		off_lim = 0;    /* the encapsulation's, checked above */
	if ((off_lim && h.l2_len + h.l3_len > off_lim) ||
			h.payload_len > max_off || nseg < min_seg ||
			m->nb_segs > fp->nb_seg_max ||
			m->tso_segsz < fp->mss_min || m->tso_segsz > fp->mss_max ||
			h.l3_len + h.l4_len + m->tso_segsz > fp->mtu ||
			(fp->l2_in_mtu && h.hdr_len + m->tso_segsz > fp->mtu) ||
			nseg > fp->max_segments ||
			(fp->max_frame != UINT32_MAX && m->pkt_len > fp->max_frame)) {
		violation(c, "limits: offset %u payload %u segments %u mbufs %u mss %u",
			h.l2_len + h.l3_len, h.payload_len, nseg, m->nb_segs,
			m->tso_segsz);
		return;
	}
	/* The pseudo-header without the length, from the final hop. */
	ip = h.hdr + h.l2_len;
	if (h.is_ipv4)
		phdr = test_ref_sum(ip + 12, 8, 0);
	else
		phdr = test_ref_sum(ip + 8, 16, test_ref_sum(h.hdr +
			h.phdr_dst_off, 16, 0));
	want_phdr = test_ref_fold(phdr + h.l4_proto);
	field = (uint16_t)(ip[h.l3_len + (tcp ? 16 : 6)] << 8 |
		ip[h.l3_len + (tcp ? 17 : 7)]);
	/*
	 * The library writes the pseudo-header without length (DPDK's TSO
	 * contract; for UDP_SEG nothing else would). A PMD's tx_prepare may
	 * then apply its own convention: virtio adds the IP payload length
	 * back (virtio_tso_fix_cksum()).
	 */
	if (fp->hw_phdr && field != want_phdr) {
		uint32_t paylen = h.is_ipv4 ?
			(uint32_t)(ip[2] << 8 | ip[3]) - h.l3_len :
			(uint32_t)(ip[4] << 8 | ip[5]);

		if (!tcp || field != test_ref_fold(want_phdr + paylen))
			violation(c, "L4 field %#x, pseudo-header %#x", field,
				want_phdr);
	}
	c->gso_pkts++;
}

/* The largest data_len in m's chain. */
static uint16_t
max_data_len(const struct rte_mbuf *m)
{
	uint16_t most = 0;

	for (; m != NULL; m = m->next)
		most = RTE_MAX(most, m->data_len);
	return most;
}

static uint16_t
contract_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t nb, void *arg)
{
	struct contract *c = arg;
	const struct gso_port_fp *fp =
		__atomic_load_n(&gso_port_fp[port_id], __ATOMIC_ACQUIRE);

	RTE_SET_USED(queue);
	for (uint16_t i = 0; i < nb; i++) {
		struct rte_mbuf *m = pkts[i];

		__atomic_fetch_add(&c->checked, 1, __ATOMIC_RELAXED);
		/* Every packet: no mbuf larger than one TX descriptor takes
		 * (vmxnet3 corrupts its ring on one). */
		if (fp != NULL && max_data_len(m) > fp->max_seg_data)
			violation(c, "an mbuf of %u bytes, the port's "
				"descriptors take %u", max_data_len(m),
				fp->max_seg_data);
		if (m->ol_flags & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)) {
			check_gso_packet(c, fp, m);
		} else if (fp != NULL) {
			uint8_t buf[GSO_OFFLOAD_MAX_HDR_LEN];
			struct gso_hdrs h;

			/* Plain packets: no more mbufs than the port
			 * gathers for one (the library copies those). */
			if (m->nb_segs > fp->nb_mtu_seg_max)
				violation(c, "plain packet in %u mbufs, the "
					"port gathers %u", m->nb_segs,
					fp->nb_mtu_seg_max);
			/* The L3 packet (a tunnel's outer one) fits the
			 * MTU. */
			if (parse_any(m, 0, buf, &h) == 0 &&
					m->pkt_len - (h.tun != GSO_TUN_NONE ?
					h.outer_l2_len : h.l2_len) > fp->mtu)
				violation(c, "plain packet of %u bytes over MTU %u",
					m->pkt_len, fp->mtu);
		}
	}
	return nb;
}

int
contract_attach(struct contract *c, uint16_t port_id, uint16_t nb_queues,
		bool need_port_offload)
{
	const struct gso_port_fp *fp =
		__atomic_load_n(&gso_port_fp[port_id], __ATOMIC_ACQUIRE);

	memset(c, 0, sizeof(*c));
	if (fp != NULL && fp->pairs != 0) {
		c->set_max_offload = fp->max_offload_size;
		c->set_min_segments = fp->min_segment_count;
		c->set_l4_offset_limit = fp->l4_offset_limit;
	}
	c->port = port_id;
	c->nb_queues = nb_queues;
	c->need_port_offload = need_port_offload;
	for (uint16_t q = 0; q < nb_queues; q++) {
		c->cb[q] = rte_eth_add_tx_callback(port_id, q, contract_cb, c);
		if (c->cb[q] == NULL)
			return -1;
	}
	return 0;
}

void
contract_detach(struct contract *c)
{
	for (uint16_t q = 0; q < c->nb_queues; q++)
		if (c->cb[q] != NULL)
			rte_eth_remove_tx_callback(c->port, q, c->cb[q]);
	/* rte_eth_remove_tx_callback() does not wait for bursts in flight;
	 * the callers have stopped transmitting by now. */
}

/*
 * Change the wanted keywords with the checker watching: until the change
 * returns (its grace period over), packets of bursts that began under the
 * old set are as right as those under the new one; after it, only the new
 * set's are.
 */
int
contract_change(struct contract *c, uint16_t port_id, const char *spec)
{
	const struct gso_port_fp *fp =
		__atomic_load_n(&gso_port_fp[port_id], __ATOMIC_ACQUIRE);
	int ret;

	if (c != NULL && fp != NULL) {
		uint32_t pairs = fp->pairs;

		for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++)
			pairs |= fp->encap_pairs[e];
		__atomic_store_n(&c->old_pairs, pairs, __ATOMIC_RELEASE);
		__atomic_store_n(&c->old_encaps, fp->encaps, __ATOMIC_RELEASE);
	}
	ret = gso_offload_wanted_set_str(port_id, spec);
	if (c != NULL) {
		__atomic_store_n(&c->old_pairs, 0, __ATOMIC_RELEASE);
		__atomic_store_n(&c->old_encaps, 0, __ATOMIC_RELEASE);
	}
	return ret;
}
