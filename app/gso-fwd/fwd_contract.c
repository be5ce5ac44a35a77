/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * --check-contract: a TX callback on every queue of every port gso-fwd
 * sends to looks at each packet the pipeline hands to the PMD, and counts
 * those that break the port's contract at that moment:
 *
 *  - not-active: RTE_MBUF_F_TX_TCP_SEG/UDP_SEG on a packet whose keyword
 *    (LsoV2IPv4, LsoV2IPv6, UsoIPv4, UsoIPv6, by ol_flags) is not active;
 *  - no-offload: such a flag on a port whose configured TX offloads lack
 *    TCP_TSO/UDP_TSO;
 *  - limits: tso_segsz outside the provider's MSS range, a segment that
 *    would not fit the MTU, a payload over the maximum offload size, fewer
 *    segments than the minimum or more than the provider's maximum;
 *  - oversize: a packet without segmentation flags larger than the MTU
 *    (plus the Ethernet header and two VLAN tags);
 *  - limits too: any packet with an mbuf larger than one TX descriptor
 *    of the port takes (max_seg_data_len: vmxnet3 corrupts its ring).
 *
 * A tunnel (RTE_MBUF_F_TX_TUNNEL_*) with TSO/USO is checked against the
 * port's encapsulated offload: its encapsulation and inner keyword active
 * (not-active), the port configured with its tunnel TSO (no-offload), and
 * its metadata (limits): one of OUTER_IPV4/OUTER_IPV6, outer_l2_len and
 * outer_l3_len at least an Ethernet and an IP header, l2_len at least the
 * tunnel header (outer UDP + VXLAN/GENEVE + inner Ethernet, GRE), the
 * outer IPv4 checksum offloaded or valid, OUTER_UDP_CKSUM on a UDP tunnel
 * only, and every outer segment within the MTU.
 *
 * "Active at that moment": a change of the wanted keywords (console,
 * telemetry) first widens the allowed set to old ∪ new, then makes the
 * change; gso_offload_wanted_update() returns after a grace period of the
 * pipelines, so no burst that began under the old set is still running,
 * and only then is the allowed set narrowed to the new one. A packet that
 * uses an offload after the change returned is therefore a violation.
 *
 * The library keeps a finer checker in its own tests; this one needs
 * nothing but the public API and reads the headers only through the mbuf's
 * metadata, so that it is cheap enough to run under load.
 */

#include <inttypes.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "fwd.h"

/* What a port must obey, read once when the checker is installed. */
struct contract_port {
	bool on;
	uint16_t mss_min, mss_max, mtu, max_segments;
	uint16_t max_seg_data;       /* largest data_len per mbuf */
	bool l2_in_mtu;
	uint32_t max_offload, min_segments;
	uint64_t tso_capa;           /* TCP_TSO/UDP_TSO the port has */
	/* Configured TX offloads and allowed keywords: written by the
	 * control thread around each change, read by the workers. */
	uint64_t tx_offloads;
	uint32_t allowed;
	/* Per encapsulation, the inner keywords allowed (0: not active). */
	uint32_t encap_allowed[GSO_OFFLOAD_ENCAP_NB];
	const struct rte_eth_rxtx_callback *cb[RTE_MAX_QUEUES_PER_PORT];
	/* One writer per TX queue (its worker): no atomics needed beyond
	 * relaxed stores, the readers sum them. */
	struct fwd_contract_counters cnt[RTE_MAX_QUEUES_PER_PORT];
	char first[160];             /* the first violation, for the log */
	uint32_t first_taken;
};

static struct contract_port cports[RTE_MAX_ETHPORTS];

#define BUMP(c, f) __atomic_store_n(&(c)->f, (c)->f + 1, __ATOMIC_RELAXED)

static void
note(struct contract_port *cp, const struct rte_mbuf *m, const char *what)
{
	if (__atomic_exchange_n(&cp->first_taken, 1, __ATOMIC_RELAXED) == 0)
		snprintf(cp->first, sizeof(cp->first), "%s: ol_flags %#" PRIx64
			" tso_segsz %u lengths %u/%u/%u pkt_len %u", what,
			m->ol_flags, m->tso_segsz, m->l2_len, m->l3_len,
			m->l4_len, m->pkt_len);
}

/* The keyword a GSO packet asks for, from its flags. */
static uint32_t
packet_keyword(uint64_t f)
{
	const bool v4 = (f & RTE_MBUF_F_TX_IPV4) != 0;

	if (f & RTE_MBUF_F_TX_TCP_SEG)
		return v4 ? GSO_OFFLOAD_LSO_IPV4 : GSO_OFFLOAD_LSO_IPV6;
	return v4 ? GSO_OFFLOAD_USO_IPV4 : GSO_OFFLOAD_USO_IPV6;
}

/* The encapsulations a tunnel flag may be (DPDK's generic UDP and IP
 * tunnels: either of two), as GSO_OFFLOAD_ENCAP_BIT()s; 0 for none. */
static uint32_t
tunnel_encaps(uint64_t f)
{
	switch (f & RTE_MBUF_F_TX_TUNNEL_MASK) {
	case RTE_MBUF_F_TX_TUNNEL_VXLAN: return 1u << GSO_OFFLOAD_ENCAP_VXLAN;
	case RTE_MBUF_F_TX_TUNNEL_GENEVE: return 1u << GSO_OFFLOAD_ENCAP_GENEVE;
	case RTE_MBUF_F_TX_TUNNEL_GRE: return 1u << GSO_OFFLOAD_ENCAP_GRE;
	case RTE_MBUF_F_TX_TUNNEL_IPIP: return 1u << GSO_OFFLOAD_ENCAP_IPIP;
	case RTE_MBUF_F_TX_TUNNEL_UDP:
		return 1u << GSO_OFFLOAD_ENCAP_VXLAN | 1u << GSO_OFFLOAD_ENCAP_GENEVE;
	case RTE_MBUF_F_TX_TUNNEL_IP:
		return 1u << GSO_OFFLOAD_ENCAP_GRE | 1u << GSO_OFFLOAD_ENCAP_IPIP;
	default: return 0;
	}
}

/* The tunnel TSO offloads that segment an encapsulation. */
static uint64_t
tunnel_offloads(uint32_t encaps)
{
	uint64_t o = 0;

	if (encaps & 1u << GSO_OFFLOAD_ENCAP_VXLAN)
		o |= RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO | RTE_ETH_TX_OFFLOAD_UDP_TNL_TSO;
	if (encaps & 1u << GSO_OFFLOAD_ENCAP_GENEVE)
		o |= RTE_ETH_TX_OFFLOAD_GENEVE_TNL_TSO | RTE_ETH_TX_OFFLOAD_UDP_TNL_TSO;
	if (encaps & 1u << GSO_OFFLOAD_ENCAP_GRE)
		o |= RTE_ETH_TX_OFFLOAD_GRE_TNL_TSO | RTE_ETH_TX_OFFLOAD_IP_TNL_TSO;
	if (encaps & 1u << GSO_OFFLOAD_ENCAP_IPIP)
		o |= RTE_ETH_TX_OFFLOAD_IPIP_TNL_TSO | RTE_ETH_TX_OFFLOAD_IP_TNL_TSO;
	return o;
}

/* A tunnel's part of the contract; false after a violation. */
static bool
check_tunnel(struct contract_port *cp, struct fwd_contract_counters *c,
		const struct rte_mbuf *m)
{
	const uint64_t f = m->ol_flags;
	const uint32_t encaps = tunnel_encaps(f);
	const bool udp_tun = (encaps & (1u << GSO_OFFLOAD_ENCAP_VXLAN |
		1u << GSO_OFFLOAD_ENCAP_GENEVE)) != 0;
	const bool v4 = (f & RTE_MBUF_F_TX_OUTER_IPV4) != 0;
	uint32_t allowed = 0;
	uint16_t min_l2;

	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++)
		if (encaps & (1u << e))
			allowed |= __atomic_load_n(&cp->encap_allowed[e],
				__ATOMIC_ACQUIRE);
	if (!(packet_keyword(f) & allowed)) {
		BUMP(c, not_active);
		note(cp, m, "encapsulation not active");
		return false;
	}
	if (!(__atomic_load_n(&cp->tx_offloads, __ATOMIC_ACQUIRE) &
			tunnel_offloads(encaps))) {
		BUMP(c, no_offload);
		note(cp, m, "port not configured for its tunnel TSO");
		return false;
	}
	min_l2 = udp_tun ? 8 + 8 + RTE_ETHER_HDR_LEN :
		(encaps & 1u << GSO_OFFLOAD_ENCAP_GRE) ? 4 : 0;
	if (v4 == !!(f & RTE_MBUF_F_TX_OUTER_IPV6) ||
			m->outer_l2_len < RTE_ETHER_HDR_LEN ||
			m->outer_l3_len < (v4 ? sizeof(struct rte_ipv4_hdr) :
				sizeof(struct rte_ipv6_hdr)) ||
			m->l2_len < min_l2 ||
			((f & RTE_MBUF_F_TX_OUTER_UDP_CKSUM) && !udp_tun) ||
			((f & RTE_MBUF_F_TX_OUTER_IP_CKSUM) && !v4)) {
		BUMP(c, limits);
		note(cp, m, "tunnel metadata");
		return false;
	}
	if (v4 && !(f & RTE_MBUF_F_TX_OUTER_IP_CKSUM) &&
			rte_pktmbuf_data_len(m) >= m->outer_l2_len + m->outer_l3_len &&
			rte_raw_cksum(rte_pktmbuf_mtod_offset(m, const void *,
				m->outer_l2_len), m->outer_l3_len) != 0xffff) {
		BUMP(c, limits);
		note(cp, m, "outer IPv4 checksum neither offloaded nor valid");
		return false;
	}
	return true;
}

static void
check_gso(struct contract_port *cp, struct fwd_contract_counters *c,
		const struct rte_mbuf *m)
{
	const uint64_t f = m->ol_flags;
	const bool tcp = (f & RTE_MBUF_F_TX_TCP_SEG) != 0;
	const bool tun = (f & RTE_MBUF_F_TX_TUNNEL_MASK) != 0;
	/* A tunnel's outer stack counts too: the packet on the wire is the
	 * outer one. */
	const uint32_t outer = tun ? (uint32_t)m->outer_l2_len +
		m->outer_l3_len : 0;
	const uint32_t hdrs = outer + m->l2_len + m->l3_len + m->l4_len;
	uint32_t payload, nseg, seg_len;

	BUMP(c, gso);
	if (tun) {
		if (!check_tunnel(cp, c, m))
			return;
	} else if (!(packet_keyword(f) & __atomic_load_n(&cp->allowed,
			__ATOMIC_ACQUIRE))) {
		BUMP(c, not_active);
		note(cp, m, "offload not active");
		return;
	}
	if (!tun && !(__atomic_load_n(&cp->tx_offloads, __ATOMIC_ACQUIRE) &
			(tcp ? RTE_ETH_TX_OFFLOAD_TCP_TSO :
			 RTE_ETH_TX_OFFLOAD_UDP_TSO))) {
		BUMP(c, no_offload);
		note(cp, m, "port not configured for it");
		return;
	}
	payload = m->pkt_len > hdrs ? m->pkt_len - hdrs : 0;
	nseg = m->tso_segsz != 0 ? (payload + m->tso_segsz - 1) / m->tso_segsz : 0;
	seg_len = (tun ? m->outer_l3_len + m->l2_len : 0) +
		(uint32_t)m->l3_len + m->l4_len + m->tso_segsz +
		(cp->l2_in_mtu ? (tun ? m->outer_l2_len : m->l2_len) : 0);
	if (m->tso_segsz < cp->mss_min || m->tso_segsz > cp->mss_max ||
			seg_len > cp->mtu || payload > cp->max_offload ||
			nseg < cp->min_segments || nseg > cp->max_segments) {
		BUMP(c, limits);
		note(cp, m, "limits");
	}
}

/* Whether every mbuf of m holds at most limit bytes. */
static bool
segs_fit(const struct rte_mbuf *m, uint16_t limit)
{
	for (; m != NULL; m = m->next)
		if (m->data_len > limit)
			return false;
	return true;
}

static uint16_t
contract_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t nb, void *arg)
{
	struct contract_port *cp = arg;
	struct fwd_contract_counters *c = &cp->cnt[queue];

	RTE_SET_USED(port_id);
	for (uint16_t i = 0; i < nb; i++) {
		const struct rte_mbuf *m = pkts[i];

		BUMP(c, checked);
		if (unlikely(m->pkt_len > cp->max_seg_data) &&
				!segs_fit(m, cp->max_seg_data)) {
			BUMP(c, limits);
			note(cp, m, "an mbuf over the per-descriptor limit");
			continue;
		}
		if (m->ol_flags & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG))
			check_gso(cp, c, m);
		else if (m->pkt_len > (uint32_t)cp->mtu + RTE_ETHER_HDR_LEN +
				2 * RTE_VLAN_HLEN) {
			BUMP(c, oversize);
			note(cp, m, "plain frame over the MTU");
		}
	}
	return nb;
}

/* The inner keywords each active encapsulation allows, read through an
 * active-set handle. */
static int
encap_allowed_fn(uint16_t port_id, const struct gso_offload_active *a,
		void *arg)
{
	uint32_t *out = arg;

	RTE_SET_USED(port_id);
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++) {
		out[e] = 0;
		if (gso_offload_active_encap_allows(a, e,
				GSO_OFFLOAD_L3_IPV4_NO_OPTIONS,
				GSO_OFFLOAD_L4_TCP_NO_OPTIONS))
			out[e] |= GSO_OFFLOAD_LSO_IPV4;
		if (gso_offload_active_encap_allows(a, e,
				GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS,
				GSO_OFFLOAD_L4_TCP_NO_OPTIONS))
			out[e] |= GSO_OFFLOAD_LSO_IPV6;
		if (gso_offload_active_encap_allows(a, e,
				GSO_OFFLOAD_L3_IPV4_NO_OPTIONS, GSO_OFFLOAD_L4_UDP))
			out[e] |= GSO_OFFLOAD_USO_IPV4;
		if (gso_offload_active_encap_allows(a, e,
				GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS, GSO_OFFLOAD_L4_UDP))
			out[e] |= GSO_OFFLOAD_USO_IPV6;
	}
	return 0;
}

static void
encap_allowed_store(struct contract_port *cp, uint16_t port, uint32_t widen)
{
	uint32_t now[GSO_OFFLOAD_ENCAP_NB] = { 0 };

	gso_offload_active_query(port, encap_allowed_fn, now);
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++)
		__atomic_store_n(&cp->encap_allowed[e], now[e] | widen,
			__ATOMIC_RELEASE);
}

int
fwd_contract_attach(uint16_t port, uint16_t nb_txq)
{
	struct contract_port *cp = &cports[port];
	struct gso_offload_port_limits lim;
	struct gso_offload_caps hw;
	uint32_t active = 0;

	memset(cp, 0, sizeof(*cp));
	if (gso_offload_port_limits_get(port, &lim) != 0 ||
			gso_offload_port_tx_offloads_get(port, &cp->tx_offloads) != 0 ||
			gso_offload_active_keywords_get(port, &active) != 0)
		return -ENODEV;
	if (gso_offload_hw_caps_get(port, &hw) != 0)
		memset(&hw, 0, sizeof(hw));
	cp->mss_min = lim.mss_min;
	cp->mss_max = lim.mss_max;
	cp->mtu = lim.mtu;
	cp->max_segments = lim.max_segments;
	cp->max_seg_data = lim.max_seg_data_len;
	cp->l2_in_mtu = (lim.flags & GSO_OFFLOAD_QUIRK_SEG_L2_IN_MTU) != 0;
	cp->max_offload = hw.max_offload_size;
	cp->min_segments = hw.min_segment_count;
	cp->allowed = active;
	encap_allowed_store(cp, port, 0);
	cp->tso_capa = lim.tx_offload_capa & (RTE_ETH_TX_OFFLOAD_TCP_TSO |
		RTE_ETH_TX_OFFLOAD_UDP_TSO | RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO |
		RTE_ETH_TX_OFFLOAD_GENEVE_TNL_TSO | RTE_ETH_TX_OFFLOAD_GRE_TNL_TSO |
		RTE_ETH_TX_OFFLOAD_IPIP_TNL_TSO | RTE_ETH_TX_OFFLOAD_UDP_TNL_TSO |
		RTE_ETH_TX_OFFLOAD_IP_TNL_TSO);
	for (uint16_t q = 0; q < nb_txq && q < RTE_MAX_QUEUES_PER_PORT; q++) {
		cp->cb[q] = rte_eth_add_tx_callback(port, q, contract_cb, cp);
		if (cp->cb[q] == NULL) {
			fwd_contract_detach(port);
			return -rte_errno;
		}
	}
	cp->on = true;
	return 0;
}

void
fwd_contract_detach(uint16_t port)
{
	struct contract_port *cp = &cports[port];

	/* gso-fwd's removal waits for a grace period of the workers
	 * (fwd_pdump.c): none is left inside the callback afterwards. */
	for (uint16_t q = 0; q < RTE_MAX_QUEUES_PER_PORT; q++)
		if (cp->cb[q] != NULL) {
			rte_eth_remove_tx_callback(port, q, cp->cb[q]);
			cp->cb[q] = NULL;
		}
}

/* Around a change of the wanted keywords: old ∪ new while it runs. A
 * port that restarts on change may gain TSO/USO in its TX offloads then
 * (a hitless one has them all along). */
void
fwd_contract_change_begin(uint16_t port, uint32_t on_mask)
{
	struct contract_port *cp = &cports[port];
	uint32_t active = 0;

	if (!cp->on)
		return;
	gso_offload_active_keywords_get(port, &active);
	__atomic_store_n(&cp->allowed, active | on_mask, __ATOMIC_RELEASE);
	/* The encapsulations: as many as the change may turn on. */
	encap_allowed_store(cp, port, on_mask);
	if (on_mask != 0)
		__atomic_store_n(&cp->tx_offloads, cp->tx_offloads | cp->tso_capa,
			__ATOMIC_RELEASE);
}

void
fwd_contract_change_end(uint16_t port)
{
	struct contract_port *cp = &cports[port];
	uint32_t active = 0;
	uint64_t tx = 0;

	if (!cp->on)
		return;
	gso_offload_active_keywords_get(port, &active);
	__atomic_store_n(&cp->allowed, active, __ATOMIC_RELEASE);
	encap_allowed_store(cp, port, 0);
	if (gso_offload_port_tx_offloads_get(port, &tx) == 0)
		__atomic_store_n(&cp->tx_offloads, tx, __ATOMIC_RELEASE);
}

void
fwd_contract_sum(uint16_t port, struct fwd_contract_counters *sum)
{
	const struct contract_port *cp = &cports[port];

	memset(sum, 0, sizeof(*sum));
	for (uint16_t q = 0; q < RTE_MAX_QUEUES_PER_PORT; q++) {
		const uint64_t *src = (const uint64_t *)&cp->cnt[q];
		uint64_t *dst = (uint64_t *)sum;

		/* Every member is a uint64_t counter. */
		for (size_t i = 0; i < sizeof(*sum) / sizeof(uint64_t); i++)
			dst[i] += __atomic_load_n(&src[i], __ATOMIC_RELAXED);
	}
	sum->violations = sum->not_active + sum->no_offload + sum->limits +
		sum->oversize;
}

const char *
fwd_contract_first(uint16_t port)
{
	return cports[port].first_taken ? cports[port].first : NULL;
}
