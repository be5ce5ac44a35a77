/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_SEG_PLAN_H
#define GSO_SEG_PLAN_H

/*
 * Internal, part of the segmentation engine (gso_offload_segment.c, the
 * only file that includes it: its functions are static, for the engine's
 * one translation unit to inline): planning. Check a superframe and the
 * parameters, choose how its segments are built, and make its plan: the
 * template header and the sums hoisted out of the segment loop (inner
 * layer: gso_seg_proto.h; a tunnel's outer one: gso_seg_tunnel.h).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mbuf.h>
#include <rte_memcpy.h>

#include "gso_offload_segment.h"
#include "gso_seg_parse.h"
#include "gso_seg_private.h"
#include "gso_seg_proto.h"
#include "gso_seg_tunnel.h"

/* Beyond this many segments per source mbuf its 16-bit reference count
 * could overflow: such superframes are copied. */
#define GSO_MAX_REFS_PER_MBUF 16384

/*
 * Auto buffer heuristic (docs/segmentation.md), from gso-bench runs:
 * copy when the port cannot take a chained segment (max_mbufs_per_seg too
 * small), when the segment payload is below GSO_COPY_BELOW bytes (two
 * mbufs cost about what copying that much does), or when the checksums
 * are computed and the superframe makes at most GSO_COPY_SWCK_MAX_SEGS
 * segments: the payload is read for its sum anyway, and for so few
 * segments the second mbuf of each and the atomic reference drop it costs
 * when freed outweigh writing the copy (3 segments, alternated pairs:
 * copy 2.46 / 2.10 / 2.13x rte_gso at batch 1 / 8 / 32, zero-copy
 * 1.94 / 1.96 / 1.99). Otherwise reference the payload:
 * with more segments the copy's writes cost (12 segments, 5 alternated
 * pairs: zero-copy 2.97 / 2.91x rte_gso at batch 1 / 8, copy 2.78 /
 * 2.66).
 */
#define GSO_COPY_BELOW 256
#define GSO_COPY_SWCK_MAX_SEGS 4

/* ---- Planning ---- */

/* The segment metadata: offload requests the segment needs, VLAN/QinQ
 * insertion and dynamic flags of the superframe, nothing else. */
static uint64_t
seg_ol_flags(const struct rte_mbuf *sf, const struct gso_seg_plan *pl,
		uint8_t cksum)
{
	const uint64_t dyn = (RTE_MBUF_F_LAST_FREE - 1) &
		~(RTE_MBUF_F_FIRST_FREE - 1);
	uint64_t f = sf->ol_flags &
		(RTE_MBUF_F_TX_VLAN | RTE_MBUF_F_TX_QINQ | dyn);

	f |= pl->is_ipv4 ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6;
	if (pl->is_ipv4 && (cksum & GSO_OFFLOAD_CKSUM_IP_HW))
		f |= RTE_MBUF_F_TX_IP_CKSUM;
	if ((cksum & GSO_OFFLOAD_CKSUM_L4_HW) && !pl->udp_no_cksum)
		f |= pl->is_tcp ? RTE_MBUF_F_TX_TCP_CKSUM :
			RTE_MBUF_F_TX_UDP_CKSUM;
	return f;
}

/* Whether the IP length field of a packet with these headers and
 * payload bytes of L4 payload can hold its length. */
static bool
seg_ip_len_fits(const struct gso_hdrs *h, uint32_t payload)
{
	/* A tunnel's outer length field holds the inner packet too. */
	if (unlikely(h->tun != GSO_TUN_NONE))
		return (uint32_t)h->hdr_len - h->outer_l2_len -
			(h->outer_is_ipv4 ? 0 : sizeof(struct rte_ipv6_hdr)) +
			payload <= UINT16_MAX;
	return (uint32_t)h->l3_len - (h->is_ipv4 ? 0 :
		sizeof(struct rte_ipv6_hdr)) + h->l4_len + payload <= UINT16_MAX;
}

/* The parameters' own checks. */
static inline int
seg_check_params(const struct gso_offload_seg_params *prm)
{
	if (prm->proto != GSO_OFFLOAD_SEG_TCP && prm->proto != GSO_OFFLOAD_SEG_UDP)
		return -EINVAL;
	if (prm->mss == 0)
		return -GSO_OFFLOAD_EMSS;
	return 0;
}

/* The layout part of pl for headers h and parameters prm checked
 * already; the checks that need both. */
static int
seg_check_layout(const struct gso_offload_seg_params *prm,
		const struct gso_hdrs *h, struct gso_seg_plan *pl)
{
	/* The layout is filled before "nothing to split" is reported:
	 * gso_offload_seg_finalize() goes on with it for a superframe of
	 * one segment, down to an empty payload (a pure ACK). */
	pl->hdr_len = h->hdr_len;
	pl->l3_off = h->l2_len;
	pl->l4_off = h->l2_len + h->l3_len;
	pl->l4_len = h->l4_len;
	pl->mss = prm->mss;
	pl->is_ipv4 = h->is_ipv4;
	pl->is_tcp = h->l4_proto == IPPROTO_TCP;
	pl->payload_len = h->payload_len;
	pl->nseg = (h->payload_len + prm->mss - 1) / prm->mss;
	if (h->payload_len <= prm->mss)
		return -GSO_OFFLOAD_ENOSPLIT;
	/* Every segment's IP length field must hold its length. */
	if (!seg_ip_len_fits(h, prm->mss))
		return -GSO_OFFLOAD_EMSS;
	return 0;
}

/*
 * seg_check() on headers parsed already, by gso_parse() with the protocol
 * prm asks for (the TX decision's: one parse per superframe on the
 * pipeline's software path): fill the layout part of pl.
 */
static int
seg_check_parsed(const struct gso_offload_seg_params *prm,
		const struct gso_hdrs *h, struct gso_seg_plan *pl)
{
	int ret = seg_check_params(prm);

	return ret != 0 ? ret : seg_check_layout(prm, h, pl);
}

/* Validate the superframe and parameters; fill h and the layout part of pl. */
static int
seg_check(const struct rte_mbuf *sf, const struct gso_offload_seg_params *prm,
		uint8_t *buf, struct gso_hdrs *h, struct gso_seg_plan *pl)
{
	int ret = seg_check_params(prm);

	if (ret != 0)
		return ret;
	/* Tunnel offload flags ask for inner segmentation: gso_parse()
	 * reads the outer layer and the kind (docs/tunnels.md). */
	ret = gso_parse(sf, prm->proto == GSO_OFFLOAD_SEG_TCP ? IPPROTO_TCP :
			IPPROTO_UDP, buf, h);
	if (ret != 0)
		return ret;
	return seg_check_layout(prm, h, pl);
}

/* Most mbufs any one segment's payload spans in the superframe. */
static uint32_t
seg_max_pieces(const struct rte_mbuf *sf, const struct gso_seg_plan *pl)
{
	uint32_t pay0 = pl->hdr_len, pay_end = pl->hdr_len + pl->payload_len;
	uint32_t pos = 0, best = 1, cur = UINT32_MAX, pieces = 0;

	if (sf->nb_segs == 1)
		return 1;
	for (const struct rte_mbuf *s = sf; s != NULL; s = s->next) {
		uint32_t a = RTE_MAX(pos, pay0);
		uint32_t b = RTE_MIN(pos + s->data_len, pay_end);

		pos += s->data_len;
		if (b <= a)
			continue;
		uint32_t first = (a - pay0) / pl->mss, last = (b - 1 - pay0) / pl->mss;

		pieces = first == cur ? pieces + 1 : 1;
		best = RTE_MAX(best, pieces);
		if (last != first)
			pieces = 1;
		cur = last;
	}
	return best;
}

static int
seg_choose_buffers(const struct gso_offload_seg_ctx *ctx,
		const struct rte_mbuf *sf, const struct gso_offload_seg_params *prm,
		const struct gso_seg_plan *pl)
{
	/* A flat segment holds its headers and payload after the headroom. */
	bool can_copy = (uint32_t)pl->hdr_len + pl->mss <=
		(uint32_t)ctx->copy.buf_len - ctx->copy.headroom;
	bool can_ref = pl->nseg <= GSO_MAX_REFS_PER_MBUF &&
		(prm->max_mbufs_per_seg == 0 ||
		 1 + seg_max_pieces(sf, pl) <= prm->max_mbufs_per_seg);

	if (!can_copy && !can_ref)
		return -GSO_OFFLOAD_EBUF;
	if (prm->buffers == GSO_OFFLOAD_BUF_ZEROCOPY)
		return can_ref ? GSO_OFFLOAD_BUF_ZEROCOPY : GSO_OFFLOAD_BUF_COPY;
	if (prm->buffers == GSO_OFFLOAD_BUF_COPY || !can_ref)
		return can_copy ? GSO_OFFLOAD_BUF_COPY : GSO_OFFLOAD_BUF_ZEROCOPY;
	if (can_copy && (pl->mss < GSO_COPY_BELOW ||
			(pl->l4_sw && pl->nseg <= GSO_COPY_SWCK_MAX_SEGS)))
		return GSO_OFFLOAD_BUF_COPY;
	return GSO_OFFLOAD_BUF_ZEROCOPY;
}

/* A tunnel's outer layer, after the inner plan: out of line, so that
 * planning a plain superframe stays the code it was. */
static __rte_noinline void
seg_plan_outer(uint8_t *tmpl, const struct gso_hdrs *h, uint8_t cksum,
		struct gso_seg_plan *pl, struct gso_seg_outer *ot)
{
	gso_plan_outer(ot, pl, tmpl, h->hdr, h, cksum);
	pl->sum_pay |= ot->raw;
	pl->ol_flags |= ot->ol_flags;
	/* DPDK's tunnel lengths: l2_len from the outer L4 header to the
	 * inner L3 one. */
	pl->tx_offload = rte_mbuf_tx_offload(h->tun_l2_len, h->l3_len,
			h->l4_len, 0, h->outer_l3_len, h->outer_l2_len, 0);
}

/* The template header and the sums hoisted out of the segment loop;
 * for a tunnel, ot receives the outer layer's. */
static void
seg_plan(uint8_t *tmpl, uint32_t flags, const struct rte_mbuf *sf,
		const struct gso_hdrs *h, const struct gso_offload_seg_params *prm,
		struct gso_seg_plan *pl, struct gso_seg_outer *ot)
{
	const uint8_t cksum = prm->cksum;

	rte_memcpy(tmpl, h->hdr, h->hdr_len);
	pl->ip_sw = !(cksum & GSO_OFFLOAD_CKSUM_IP_HW);
	pl->l4_sw = !(cksum & GSO_OFFLOAD_CKSUM_L4_HW);
	pl->l4_phdr = (cksum & GSO_OFFLOAD_CKSUM_L4_PHDR) != 0;
	pl->ip_id_step = (flags & GSO_OFFLOAD_SEG_F_IPID_FIXED) ? 0 :
		prm->ip_id_stride != 0 ? prm->ip_id_stride : 1;
	pl->udp_no_cksum = 0;
	if (h->is_ipv4)
		gso_plan_ipv4(pl, tmpl, h->hdr, h->l3_len);
	else
		gso_plan_ipv6(pl, tmpl, h->hdr, h->l3_len,
			h->hdr + h->phdr_dst_off);
	if (pl->is_tcp)
		gso_plan_tcp(pl, tmpl, h->hdr);
	else
		gso_plan_udp(pl, tmpl, h->hdr);
	pl->ol_flags = seg_ol_flags(sf, pl, cksum);
	pl->sum_pay = pl->l4_sw;
	if (likely(h->tun == GSO_TUN_NONE)) {
		pl->tx_offload = rte_mbuf_tx_offload(h->l2_len, h->l3_len,
				h->l4_len, 0, 0, 0, 0);
		return;
	}
	seg_plan_outer(tmpl, h, cksum, pl, ot);
}

#endif /* GSO_SEG_PLAN_H */
