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
	if (gso_parse(m, tcp ? IPPROTO_TCP : IPPROTO_UDP, buf, &h) != 0 ||
			h.l2_len != m->l2_len || h.l3_len != m->l3_len ||
			h.l4_len != m->l4_len) {
		violation(c, "lengths %u/%u/%u do not match the headers",
			m->l2_len, m->l3_len, m->l4_len);
		return;
	}
	if (!((fp->pairs | __atomic_load_n(&c->old_pairs, __ATOMIC_ACQUIRE)) &
			(1u << (h.l4_variant * 4 + h.l3_variant)))) {
		violation(c, "L3 variant %u / L4 variant %u not active",
			h.l3_variant, h.l4_variant);
		return;
	}
	if (c->need_port_offload && !(fp->tx_offloads & (tcp ?
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
		if (m->ol_flags & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)) {
			check_gso_packet(c, fp, m);
		} else if (fp != NULL) {
			uint8_t buf[GSO_OFFLOAD_MAX_HDR_LEN];
			struct gso_hdrs h;

			/* Plain packets: the L3 packet fits the MTU. */
			if (gso_parse(m, 0, buf, &h) == 0 &&
					m->pkt_len - h.l2_len > fp->mtu)
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

	if (c != NULL && fp != NULL)
		__atomic_store_n(&c->old_pairs, fp->pairs, __ATOMIC_RELEASE);
	ret = gso_offload_wanted_set_str(port_id, spec);
	if (c != NULL)
		__atomic_store_n(&c->old_pairs, 0, __ATOMIC_RELEASE);
	return ret;
}
