/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_TX_PRIVATE_H
#define GSO_TX_PRIVATE_H

/*
 * Internal: what the data plane reads about a port (published through RCU)
 * and the per-packet decision.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "gso_offload_segment.h"
#include "gso_offload_tx.h"
#include "gso_seg_parse.h"

/*
 * A port as the data plane sees it: the active set, the provider's limits
 * and the TX offloads configured on the port. Immutable once published;
 * a change publishes a new one (gso_offload_tx.c).
 */
struct gso_port_fp {
	/* The active set. */
	uint32_t pairs;              /* GSO_PAIR_BIT()s that may be offloaded */
	uint32_t max_offload_size;
	uint32_t min_segment_count;
	uint16_t l4_offset_limit;    /* 0: none */
	/* The provider's limits. */
	uint16_t mss_min;
	uint16_t mss_max;
	uint16_t max_segments;
	uint32_t max_frame;
	uint16_t nb_seg_max;
	uint16_t nb_mtu_seg_max;
	uint16_t mtu;
	uint16_t max_seg_data;       /* largest data_len per mbuf segment */
	uint8_t l2_in_mtu;           /* MSS + all headers must fit the MTU */
	uint8_t paused;              /* held for reconfiguration */
	/* Hardware metadata. */
	uint8_t hw_ip_cksum;         /* IPv4: offload flag, else software */
	uint8_t hw_phdr;             /* write the pseudo-header (no length) */
	/* Software segments: checksum handling per L4, buffers. */
	uint8_t sw_cksum_tcp;
	uint8_t sw_cksum_udp;
	uint8_t max_mbufs_per_seg;
	uint64_t tx_offloads;        /* configured on the port */
	/* Encapsulated offload: the active set's part (index: encapsulation,
	 * h->tun - 1) and the hardware metadata of a tunnel. */
	uint32_t encaps;             /* GSO_OFFLOAD_ENCAP_BIT()s active */
	uint32_t encap_pairs[GSO_OFFLOAD_ENCAP_NB];
	uint32_t encap_flags[GSO_OFFLOAD_ENCAP_NB];   /* ..._ENCAP_F_* */
	uint16_t encap_max_header[GSO_OFFLOAD_ENCAP_NB]; /* 0: plain limit */
	uint16_t vxlan_port;         /* VXLAN's UDP destination port */
	uint8_t hw_outer_ip_cksum;   /* outer IPv4: offload flag, else sw */
	/* Software segments of a tunnel: checksum handling (the inner
	 * bits only where the port handles tunnels at all). */
	uint8_t sw_cksum_tun_tcp;
	uint8_t sw_cksum_tun_udp;
};

/*
 * Packets software makes of consecutive superframes (segments, split
 * chunks, gathered copies) wait for one rte_eth_tx_burst() until the next
 * superframe would take them past this many (a superframe of more goes
 * alone). Measured with gso-fwd at 4000 bytes, three segments each
 * (docs/performance.md, "Software segments per TX call"): on
 * net_af_packet, one sendto() per call, 8 gave +14%, 16 +20%; on net_null,
 * which frees what it is given at once, 8 cost nothing and 16 cost 3-5%,
 * 32 4-9%: the flat segments held in between outgrow L1. 8: the gain
 * without the cost. A NIC holds its segments until completion anyway and
 * saves a doorbell per call.
 */
#define GSO_TX_SEG_BURST 8

/* Published state per port; NULL when the library does not know it. */
extern struct gso_port_fp *gso_port_fp[RTE_MAX_ETHPORTS];

enum gso_tx_action {
	GSO_TX_PASS,       /* not a superframe */
	GSO_TX_FINALIZE,   /* a superframe that fits one segment */
	GSO_TX_HW,         /* hardware segmentation as is */
	GSO_TX_SPLIT,      /* chunks of v->chunk payload bytes to hardware */
	GSO_TX_SW,         /* software segmentation */
	GSO_TX_REJECT,     /* bad input */
	/* A plain packet, or a superframe of one segment, in more mbufs
	 * than the port gathers for one packet (nb_mtu_seg_max): copied. */
	GSO_TX_GATHER,
};

struct gso_tx_verdict {
	uint8_t action;    /* enum gso_tx_action */
	uint8_t reason;    /* SW: gso_offload_sw_reason, REJECT: _reject_ */
	uint16_t mss;
	uint32_t nseg;     /* segments the superframe makes */
	uint32_t chunk;    /* SPLIT: payload bytes per chunk (MSS multiple) */
};

/* Whether every mbuf segment of m holds at most limit bytes: what one TX
 * descriptor of the port takes. A packet that fits the limit whole needs
 * no walk, which keeps ports without a limit (UINT16_MAX) at one test. */
static inline bool
gso_tx_seg_data_fits(const struct rte_mbuf *m, uint16_t limit)
{
	if (likely(m->pkt_len <= limit))
		return true;
	for (; m != NULL; m = m->next)
		if (m->data_len > limit)
			return false;
	return true;
}

/*
 * Decide what to do with m on a port in state fp. For a superframe the
 * headers are parsed into h (buf: GSO_OFFLOAD_MAX_HDR_LEN bytes of scratch).
 */
void gso_tx_decide(const struct gso_port_fp *fp, const struct rte_mbuf *m,
		uint8_t *buf, struct gso_hdrs *h, struct gso_tx_verdict *v);

/*
 * Set the hardware segmentation metadata on a superframe (or chunk) whose
 * headers are contiguous in its first mbuf: lengths, tso_segsz, ol_flags,
 * IPv4 header checksum (offloaded or written), pseudo-header. A tunnel
 * gets DPDK's tunnel metadata besides: RTE_MBUF_F_TX_TUNNEL_* (or
 * TUNNEL_UDP / TUNNEL_IP for a generic encapsulation), OUTER_IPV4/IPV6,
 * outer_l2_len, outer_l3_len, l2_len = tun_l2_len; the outer IPv4
 * checksum offloaded (OUTER_IP_CKSUM) or written; a non-zero outer UDP
 * checksum offloaded (OUTER_UDP_CKSUM, the outer pseudo-header without
 * length in the field).
 */
void gso_tx_hw_meta(struct rte_mbuf *m, const struct gso_hdrs *h,
		uint16_t mss, const struct gso_port_fp *fp);

/* The checksum handling of software segments of m on port fp. */
static inline uint8_t
gso_tx_sw_cksum(const struct gso_port_fp *fp, const struct rte_mbuf *m,
		bool tcp)
{
	if (m->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK)
		return tcp ? fp->sw_cksum_tun_tcp : fp->sw_cksum_tun_udp;
	return tcp ? fp->sw_cksum_tcp : fp->sw_cksum_udp;
}

/* Build the data-plane state of a port from its control-plane record;
 * NULL on allocation failure. Call under the control lock. */
struct gso_port_fp *gso_port_fp_build(uint16_t port_id, bool paused);

#endif /* GSO_TX_PRIVATE_H */
