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
 *    (plus the Ethernet header and two VLAN tags).
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
#include <rte_mbuf.h>

#include "fwd.h"

/* What a port must obey, read once when the checker is installed. */
struct contract_port {
	bool on;
	uint16_t mss_min, mss_max, mtu, max_segments;
	bool l2_in_mtu;
	uint32_t max_offload, min_segments;
	uint64_t tso_capa;           /* TCP_TSO/UDP_TSO the port has */
	/* Configured TX offloads and allowed keywords: written by the
	 * control thread around each change, read by the workers. */
	uint64_t tx_offloads;
	uint32_t allowed;
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

static void
check_gso(struct contract_port *cp, struct fwd_contract_counters *c,
		const struct rte_mbuf *m)
{
	const uint64_t f = m->ol_flags;
	const bool tcp = (f & RTE_MBUF_F_TX_TCP_SEG) != 0;
	const uint32_t hdrs = (uint32_t)m->l2_len + m->l3_len + m->l4_len;
	uint32_t payload, nseg, seg_len;

	BUMP(c, gso);
	if (!(packet_keyword(f) & __atomic_load_n(&cp->allowed,
			__ATOMIC_ACQUIRE))) {
		BUMP(c, not_active);
		note(cp, m, "offload not active");
		return;
	}
	if (!(__atomic_load_n(&cp->tx_offloads, __ATOMIC_ACQUIRE) & (tcp ?
			RTE_ETH_TX_OFFLOAD_TCP_TSO : RTE_ETH_TX_OFFLOAD_UDP_TSO))) {
		BUMP(c, no_offload);
		note(cp, m, "port not configured for it");
		return;
	}
	payload = m->pkt_len > hdrs ? m->pkt_len - hdrs : 0;
	nseg = m->tso_segsz != 0 ? (payload + m->tso_segsz - 1) / m->tso_segsz : 0;
	seg_len = (uint32_t)m->l3_len + m->l4_len + m->tso_segsz +
		(cp->l2_in_mtu ? m->l2_len : 0);
	if (m->tso_segsz < cp->mss_min || m->tso_segsz > cp->mss_max ||
			seg_len > cp->mtu || payload > cp->max_offload ||
			nseg < cp->min_segments || nseg > cp->max_segments) {
		BUMP(c, limits);
		note(cp, m, "limits");
	}
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
	cp->l2_in_mtu = (lim.flags & GSO_OFFLOAD_QUIRK_SEG_L2_IN_MTU) != 0;
	cp->max_offload = hw.max_offload_size;
	cp->min_segments = hw.min_segment_count;
	cp->allowed = active;
	cp->tso_capa = lim.tx_offload_capa & (RTE_ETH_TX_OFFLOAD_TCP_TSO |
		RTE_ETH_TX_OFFLOAD_UDP_TSO);
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
