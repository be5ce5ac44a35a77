/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * libFuzzer harness of the segmentation engine: gso_offload_segment(),
 * gso_offload_seg_finalize() and gso_offload_segment_count() on frames,
 * parameters and chain layouts decoded from the input.
 *
 * Input: a parameter block, then a chain layout and a frame
 * (fuzz_common.h):
 *   u8  bit 0 UDP (else TCP); bits 1-3 GSO_OFFLOAD_CKSUM_*; bits 4-5
 *       buffer mode (3: AUTO); bit 6 keep_input; bit 7 finalize instead
 *       of segmenting;
 *   u8  max_mbufs_per_seg;
 *   u16 MSS;
 *   u8  bit 0 IPID_FIXED; bit 1 NO_FLOW_CACHE; bits 2-3 the copy pool
 *       (header pool, 2 KB, 9 KB and scarce, 256 B); bit 4 a small output
 *       array (its size in the next byte); bit 6 the flow table: the
 *       superframes carry TX metadata (l2_len, l3_len, IPV4/IPV6, outer
 *       lengths), the frame's own or, with bit 7, hostile values from a
 *       byte that follows the tunnel bytes, and the kept-plan pass below
 *       finds its plan through the table (the last flow's dropped);
 *   u8  output array size (with bit 4 above);
 *   u16 ip_id_stride;
 *   u8  bit 0 RTE_MBUF_F_TX_VLAN, bit 1 RTE_MBUF_F_TX_QINQ; u16 vlan_tci;
 *   the layout, the frame.
 * With bit 5 of the engine byte, a tunnel superframe (docs/tunnels.md):
 * two more bytes follow the output array size:
 *   u8  sel: bits 0-2 the encapsulation (0 VXLAN, 1 GENEVE, 2 GRE with
 *       an IP payload, 3 GRE with Ethernet, 4 IP-in-IP; 5-7 raw: the
 *       frame is the whole tunnel frame, its flag from opt); bit 3 outer
 *       IPv6; bit 4 outer options / extension headers; bits 5-6 outer
 *       VLAN tags; bit 7 outer UDP checksum non-zero, or GRE C bit;
 *   u8  opt: bit 0 GRE K bit; bits 1-3 GENEVE option words; bit 4
 *       GSO_OFFLOAD_CKSUM_OUTER_IP_HW; bit 5 OUTER_UDP_HW; bits 6-7 the
 *       outer IPv4 ID (0xfffc + them: it wraps). Raw: bits 0-1 the
 *       flag (VXLAN, GENEVE, GRE, IPIP), bit 2 another TUNNEL value
 *       (bits 3-6) instead.
 * The harness wraps the decoded frame (an Ethernet frame; its IP packet
 * for GRE-IP and IP-in-IP) in outer headers of its own making with the
 * lengths right, and checks the outer rules of each segment besides the
 * inner ones on the inner frame. Raw tunnel frames are checked for what
 * needs no outer parse: the input untouched on error, the count, the
 * chains, a kept plan's segments equal to a fresh one's, every mbuf back.
 *
 * Checked on success: the segment count (= gso_offload_segment_count()),
 * each segment's chain shape, its headers against the superframe's (only
 * the fields segmentation rewrites differ, each with its rule), its
 * checksums by the harness's own sum, the payload reassembled, the
 * metadata; the same bytes from an engine reusing its plan as from one
 * planning afresh. On error: the superframe untouched. After every input:
 * every pool and external buffer back.
 */

#include <errno.h>
#include <string.h>

#include <rte_mbuf.h>

#include "gso_offload.h"
#include "gso_seg_private.h"
#include "fuzz_common.h"

#define MAX_OUT 1024
#define MAX_CHAIN 64

static struct rte_mempool *sf_pool, *hdr_pool, *copy_pools[4];
static struct rte_mbuf *out1[MAX_OUT], *out2[MAX_OUT];
static uint8_t frame_buf[FUZZ_FRAME_MAX], orig[FUZZ_FRAME_MAX];
static uint8_t seg_buf[FUZZ_FRAME_MAX], ref_buf[FUZZ_FRAME_MAX];
/* Tunnels: the inner frame before wrapping, the superframe's inner frame
 * as a plain one, a segment as the port sends it. */
static uint8_t inner_buf[FUZZ_FRAME_MAX], inner_orig[FUZZ_FRAME_MAX];
static uint8_t sent_buf[FUZZ_FRAME_MAX];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	fuzz_eal_init("fuzz_segment", NULL);
	/* Superframe mbufs as large as an mbuf gets: a 64 KB superframe can
	 * sit in one, as the engine's contiguous fast path wants. */
	sf_pool = fuzz_pool_create("fz_sf", 96, UINT16_MAX);
	hdr_pool = fuzz_pool_create("fz_hdr", 4 * MAX_OUT + 512,
		GSO_OFFLOAD_MAX_HDR_LEN);
	copy_pools[0] = NULL;
	copy_pools[1] = fuzz_pool_create("fz_cp2k", 2 * MAX_OUT + 64, 2048);
	/* Scarce: an allocation failure part-way through a superframe. */
	copy_pools[2] = fuzz_pool_create("fz_cp9k", 48, 9216);
	copy_pools[3] = fuzz_pool_create("fz_cp256", 2 * MAX_OUT + 64, 256);
	fuzz_pools_mark();
	return 0;
}

/* ---- The input's state, kept to compare after a call ---- */

struct snapshot {
	uint32_t len;
	uint64_t ol_flags, tx_offload;
	uint32_t pkt_len;
	uint16_t nb_segs, vlan_tci, vlan_tci_outer, tso_segsz;
	unsigned int nb;
	struct {
		const struct rte_mbuf *m, *next;
		void *buf_addr;
		uint16_t data_off, data_len, refcnt;
		uint64_t ol_flags;
	} seg[MAX_CHAIN];
};

static void FUZZ_NO_COVERAGE
snap_take(struct snapshot *s, const struct rte_mbuf *m, uint8_t *bytes)
{
	s->len = fuzz_mbuf_bytes(m, bytes);
	s->ol_flags = m->ol_flags;
	s->tx_offload = m->tx_offload;
	s->pkt_len = m->pkt_len;
	s->nb_segs = m->nb_segs;
	s->vlan_tci = m->vlan_tci;
	s->vlan_tci_outer = m->vlan_tci_outer;
	s->tso_segsz = m->tso_segsz;
	for (s->nb = 0; m != NULL && s->nb < MAX_CHAIN; m = m->next, s->nb++) {
		s->seg[s->nb].m = m;
		s->seg[s->nb].next = m->next;
		s->seg[s->nb].buf_addr = m->buf_addr;
		s->seg[s->nb].data_off = m->data_off;
		s->seg[s->nb].data_len = m->data_len;
		s->seg[s->nb].refcnt = rte_mbuf_refcnt_read(m);
		s->seg[s->nb].ol_flags = m->ol_flags;
	}
}

/* Abort unless m is as the snapshot recorded it (refcnt too if asked). */
static void FUZZ_NO_COVERAGE
snap_same(const struct snapshot *s, const struct rte_mbuf *m,
		const uint8_t *bytes, bool refcnt)
{
	struct snapshot now;

	snap_take(&now, m, seg_buf);
	FUZZ_CHECK(now.len == s->len && memcmp(seg_buf, bytes, s->len) == 0,
		"input bytes changed");
	FUZZ_CHECK(now.ol_flags == s->ol_flags && now.tx_offload ==
		s->tx_offload && now.pkt_len == s->pkt_len && now.nb_segs ==
		s->nb_segs && now.vlan_tci == s->vlan_tci && now.vlan_tci_outer ==
		s->vlan_tci_outer && now.tso_segsz == s->tso_segsz,
		"input metadata changed");
	FUZZ_CHECK(now.nb == s->nb, "input chain changed");
	for (unsigned int i = 0; i < s->nb; i++)
		FUZZ_CHECK(now.seg[i].m == s->seg[i].m && now.seg[i].next ==
			s->seg[i].next && now.seg[i].buf_addr == s->seg[i].buf_addr &&
			now.seg[i].data_off == s->seg[i].data_off &&
			now.seg[i].data_len == s->seg[i].data_len &&
			now.seg[i].ol_flags == s->seg[i].ol_flags &&
			(!refcnt || now.seg[i].refcnt == s->seg[i].refcnt),
			"input mbuf %u changed", i);
}

/* ---- A tunnel the harness wraps the frame in ---- */

struct tun_lay {
	uint8_t encap;          /* 0 VXLAN, 1 GENEVE, 2 GRE-IP, 3 GRE-TEB, 4 IPIP */
	bool v6, udp, eth, csum, key;
	uint32_t ol2, ol3, th;  /* outer L2, outer L3, UDP + tunnel / GRE */
	uint64_t flags;         /* the mbuf's tunnel flags */
};

static bool
tun_carries_eth(uint8_t encap)
{
	return encap <= 1 || encap == 3;
}

/* ---- The rules of docs/segmentation.md ---- */

struct expect {
	const uint8_t *orig;
	uint32_t orig_len;
	struct fuzz_hdrs h;
	uint32_t mss;           /* payload per segment */
	uint32_t nseg;
	uint16_t id_step;
	uint8_t cksum;
	bool finalize;          /* one packet in place: padding kept */
	uint64_t sf_ol_flags;
	uint16_t vlan_tci, vlan_tci_outer;
	const struct tun_lay *tun;      /* a wrapped tunnel, else NULL */
	const uint8_t *tun_orig;        /* its whole superframe */
};

/* Offsets of the header bytes segmentation may rewrite. */
static void FUZZ_NO_COVERAGE
varying_mask(const struct expect *e, uint8_t *vary)
{
	const uint32_t l3 = e->h.l2_len, l4 = e->h.l2_len + e->h.l3_len;

	memset(vary, 0, e->h.hdr_len);
	if (e->h.ipv4)
		memset(vary + l3 + 2, 1, 4), memset(vary + l3 + 10, 1, 2);
	else
		memset(vary + l3 + 4, 1, 2);
	if (e->h.tcp)
		memset(vary + l4 + 4, 1, 4), vary[l4 + 13] = 1,
			memset(vary + l4 + 16, 1, 2);
	else
		memset(vary + l4 + 4, 1, 4);
}

static void FUZZ_NO_COVERAGE
check_cksums(const struct expect *e, const struct rte_mbuf *m,
		const uint8_t *b, uint32_t l4_bytes)
{
	const uint8_t *ip = b + e->h.l2_len, *l4 = ip + e->h.l3_len;
	const uint8_t *oip = e->orig + e->h.l2_len;
	const bool udp4_zero = !e->h.tcp && e->h.ipv4 &&
		fuzz_be16(e->orig + e->h.l2_len + e->h.l3_len + 6) == 0;
	const bool l4_hw = e->cksum & GSO_OFFLOAD_CKSUM_L4_HW;
	uint16_t field = fuzz_be16(l4 + (e->h.tcp ? 16 : 6));
	uint64_t want_fl = e->h.ipv4 ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6;
	uint32_t phdr;

	if (e->h.ipv4 && (e->cksum & GSO_OFFLOAD_CKSUM_IP_HW)) {
		want_fl |= RTE_MBUF_F_TX_IP_CKSUM;
		FUZZ_CHECK(fuzz_be16(ip + 10) == 0, "IPv4 checksum %#x, want 0",
			fuzz_be16(ip + 10));
	} else if (e->h.ipv4) {
		FUZZ_CHECK(fuzz_fold(fuzz_sum(ip, e->h.l3_len, 0)) == 0xffff,
			"IPv4 header checksum");
	}
	if (l4_hw && !udp4_zero)
		want_fl |= e->h.tcp ? RTE_MBUF_F_TX_TCP_CKSUM :
			RTE_MBUF_F_TX_UDP_CKSUM;
	want_fl |= e->sf_ol_flags & (RTE_MBUF_F_TX_VLAN | RTE_MBUF_F_TX_QINQ);
	if (e->tun != NULL) {
		const struct tun_lay *t = e->tun;

		want_fl |= t->flags;
		if (!t->v6 && (e->cksum & GSO_OFFLOAD_CKSUM_OUTER_IP_HW))
			want_fl |= RTE_MBUF_F_TX_OUTER_IP_CKSUM;
		if (t->udp && (e->cksum & GSO_OFFLOAD_CKSUM_OUTER_UDP_HW) &&
				fuzz_be16(e->tun_orig + t->ol2 + t->ol3 + 6) != 0)
			want_fl |= RTE_MBUF_F_TX_OUTER_UDP_CKSUM;
	}
	FUZZ_CHECK((m->ol_flags & RTE_MBUF_F_TX_OFFLOAD_MASK) == want_fl,
		"ol_flags %#" PRIx64 ", want %#" PRIx64,
		(uint64_t)(m->ol_flags & RTE_MBUF_F_TX_OFFLOAD_MASK), want_fl);

	/* The pseudo-header of the segment, with its length. */
	if (e->h.ipv4)
		phdr = fuzz_sum(oip + 12, 8, 0);
	else
		phdr = fuzz_sum(oip + 8, 16,
			fuzz_sum(e->orig + e->h.phdr_dst, 16, 0));
	phdr = fuzz_sum((const uint8_t []){ 0, e->h.tcp ? 6 : 17,
		(uint8_t)(l4_bytes >> 24), (uint8_t)(l4_bytes >> 16),
		(uint8_t)(l4_bytes >> 8), (uint8_t)l4_bytes }, 6, phdr);
	/* Computed: TCP may carry a 0, UDP sends it as 0xffff (RFC 768). */
	if (udp4_zero)
		FUZZ_CHECK(field == 0, "UDP checksum %#x, the superframe had 0",
			field);
	else if (l4_hw && (e->cksum & GSO_OFFLOAD_CKSUM_L4_PHDR))
		FUZZ_CHECK(field == fuzz_fold(phdr),
			"L4 field %#x, pseudo-header %#x", field, fuzz_fold(phdr));
	else if (l4_hw)
		FUZZ_CHECK(field == 0, "L4 field %#x, want 0", field);
	else
		FUZZ_CHECK(fuzz_fold(fuzz_sum(l4, l4_bytes, phdr)) == 0xffff &&
			(e->h.tcp || field != 0), "L4 checksum %#x wrong (sum %#x)",
			field, fuzz_fold(fuzz_sum(l4, l4_bytes, phdr)));
}

/*
 * The outer layer of segment i (its bytes in seg_buf, len of them): every
 * outer rule, the outer checksums on the bytes as the port sends them
 * (the inner checksums it is asked for written). Then seg_buf holds the
 * inner frame as a plain one (the inner rules follow); its length.
 */
static uint32_t FUZZ_NO_COVERAGE
tun_check_outer(const struct expect *e, const struct rte_mbuf *m, uint32_t i,
		uint32_t len)
{
	const struct tun_lay *t = e->tun;
	const uint8_t *o = e->tun_orig, *b = seg_buf;
	const uint32_t l3 = t->ol2, l4 = t->ol2 + t->ol3, in = l4 + t->th;
	const uint32_t add = t->eth ? 0 : 14;
	const uint32_t ip_off = in + e->h.l2_len - add;
	uint8_t *w = sent_buf;
	uint32_t ph;

	RTE_SET_USED(m);
	FUZZ_CHECK(len >= in + e->h.hdr_len - add, "segment %u: %u bytes", i,
		len);
	for (uint32_t k = 0; k < in; k++) {
		bool vary;

		if (!t->v6)
			vary = (k >= l3 + 2 && k < l3 + 6) ||
				(k >= l3 + 10 && k < l3 + 12);
		else
			vary = k >= l3 + 4 && k < l3 + 6;
		if (t->udp)
			vary = vary || (k >= l4 + 4 && k < l4 + 8);
		else if (t->csum)
			vary = vary || (k >= l4 + 4 && k < l4 + 6);
		FUZZ_CHECK(vary || b[k] == o[k],
			"segment %u: outer header byte %u changed", i, k);
	}
	if (!t->v6) {
		FUZZ_CHECK(fuzz_be16(b + l3 + 2) == len - l3,
			"segment %u: outer IPv4 length %u", i, fuzz_be16(b + l3 + 2));
		FUZZ_CHECK(fuzz_be16(b + l3 + 4) == (uint16_t)(fuzz_be16(o +
			l3 + 4) + i * e->id_step), "segment %u: outer IPv4 ID", i);
		if (e->cksum & GSO_OFFLOAD_CKSUM_OUTER_IP_HW)
			FUZZ_CHECK(fuzz_be16(b + l3 + 10) == 0,
				"segment %u: outer IPv4 checksum not 0", i);
		else
			FUZZ_CHECK(fuzz_fold(fuzz_sum(b + l3, t->ol3, 0)) == 0xffff,
				"segment %u: outer IPv4 checksum", i);
	} else {
		FUZZ_CHECK(fuzz_be16(b + l3 + 4) == len - l3 - 40,
			"segment %u: outer IPv6 length", i);
	}

	/* As sent: the inner checksums the port writes. */
	memcpy(w, b, len);
	if (e->h.ipv4 && (e->cksum & GSO_OFFLOAD_CKSUM_IP_HW)) {
		w[ip_off + 10] = w[ip_off + 11] = 0;
		ph = (uint16_t)~fuzz_fold(fuzz_sum(w + ip_off, e->h.l3_len, 0));
		w[ip_off + 10] = (uint8_t)(ph >> 8);
		w[ip_off + 11] = (uint8_t)ph;
	}
	if ((e->cksum & GSO_OFFLOAD_CKSUM_L4_HW) && !(!e->h.tcp && e->h.ipv4 &&
			fuzz_be16(e->orig + e->h.l2_len + e->h.l3_len + 6) == 0)) {
		const uint32_t l4o = ip_off + e->h.l3_len, l4n = len - l4o;
		uint8_t *f = w + l4o + (e->h.tcp ? 16 : 6);
		const uint8_t *oip = e->orig + e->h.l2_len;
		uint16_t v;

		if (e->h.ipv4)
			ph = fuzz_sum(oip + 12, 8, 0);
		else
			ph = fuzz_sum(oip + 8, 16,
				fuzz_sum(e->orig + e->h.phdr_dst, 16, 0));
		ph = fuzz_sum((const uint8_t []){ 0, e->h.tcp ? 6 : 17,
			(uint8_t)(l4n >> 24), (uint8_t)(l4n >> 16),
			(uint8_t)(l4n >> 8), (uint8_t)l4n }, 6, ph);
		f[0] = f[1] = 0;
		v = (uint16_t)~fuzz_fold(fuzz_sum(w + l4o, l4n, ph));
		if (!e->h.tcp && v == 0)
			v = 0xffff;
		f[0] = (uint8_t)(v >> 8);
		f[1] = (uint8_t)v;
	}
	if (t->udp) {
		const uint32_t ulen = len - l4;
		const uint16_t field = fuzz_be16(b + l4 + 6);

		FUZZ_CHECK(fuzz_be16(b + l4 + 4) == ulen,
			"segment %u: outer UDP length", i);
		if (fuzz_be16(o + l4 + 6) == 0) {
			FUZZ_CHECK(field == 0, "segment %u: outer UDP checksum 0 "
				"became %#x", i, field);
		} else {
			/* The outer pseudo-header: these outer headers carry
			 * no routing header. */
			ph = t->v6 ? fuzz_sum(b + l3 + 8, 32, 0) :
				fuzz_sum(b + l3 + 12, 8, 0);
			ph = fuzz_sum((const uint8_t []){ 0, 17,
				(uint8_t)(ulen >> 24), (uint8_t)(ulen >> 16),
				(uint8_t)(ulen >> 8), (uint8_t)ulen }, 6, ph);
			if (e->cksum & GSO_OFFLOAD_CKSUM_OUTER_UDP_HW)
				FUZZ_CHECK(field == fuzz_fold(ph), "segment %u: "
					"outer UDP field %#x, pseudo-header %#x", i,
					field, fuzz_fold(ph));
			else
				FUZZ_CHECK(field != 0 && fuzz_fold(fuzz_sum(w + l4,
					ulen, ph)) == 0xffff,
					"segment %u: outer UDP checksum %#x", i,
					field);
		}
	} else if (t->csum) {
		FUZZ_CHECK(fuzz_fold(fuzz_sum(w + l4, len - l4, 0)) == 0xffff,
			"segment %u: GRE checksum", i);
	}

	/* The inner frame, as a plain one. */
	memmove(seg_buf + add, seg_buf + in, len - in);
	if (add != 0)
		memcpy(seg_buf, e->orig, add);
	return len - in + add;
}

/* Check segment i (payload from payload offset off of the superframe). */
static void FUZZ_NO_COVERAGE
check_segment(const struct expect *e, const struct rte_mbuf *m, uint32_t i,
		uint32_t off)
{
	const uint32_t l2 = e->h.l2_len, l4o = l2 + e->h.l3_len;
	const uint32_t hl = e->h.hdr_len;
	const bool last = i == e->nseg - 1;
	uint32_t plen = RTE_MIN(e->mss, e->h.payload_len - off), len;
	uint8_t vary[384], f0, want;
	const uint8_t *b = seg_buf, *o = e->orig;

	len = fuzz_mbuf_bytes(m, seg_buf);
	FUZZ_CHECK(len == m->pkt_len, "bytes %u, pkt_len %u", len, m->pkt_len);
	if (e->tun != NULL)
		len = tun_check_outer(e, m, i, len);
	if (e->finalize)
		FUZZ_CHECK(len == e->orig_len, "finalized %u bytes of %u", len,
			e->orig_len);
	else
		FUZZ_CHECK(len == hl + plen, "segment %u: %u bytes, want %u", i,
			len, hl + plen);
	if (e->tun != NULL)
		FUZZ_CHECK(m->outer_l2_len == e->tun->ol2 &&
			m->outer_l3_len == e->tun->ol3 &&
			m->l2_len == e->tun->th + (e->tun->eth ? l2 : 0),
			"segment %u: outer lengths %u/%u/%u", i, m->outer_l2_len,
			m->outer_l3_len, m->l2_len);
	else
		FUZZ_CHECK(m->l2_len == l2, "segment %u: l2_len %u", i, m->l2_len);
	FUZZ_CHECK(m->l3_len == e->h.l3_len && m->l4_len == e->h.l4_len,
		"segment %u: lengths %u/%u", i, m->l3_len, m->l4_len);
	FUZZ_CHECK(m->vlan_tci == e->vlan_tci &&
		m->vlan_tci_outer == e->vlan_tci_outer, "VLAN tags");
	FUZZ_CHECK(memcmp(b + hl, o + hl + off, plen) == 0,
		"segment %u: payload differs", i);

	/* Headers: as the superframe's outside the rewritten fields. */
	varying_mask(e, vary);
	for (uint32_t j = 0; j < hl; j++)
		FUZZ_CHECK(vary[j] || b[j] == o[j],
			"segment %u: header byte %u changed", i, j);
	if (e->h.ipv4) {
		FUZZ_CHECK(fuzz_be16(b + l2 + 2) == e->h.l3_len + e->h.l4_len +
			plen, "segment %u: IPv4 length %u", i,
			fuzz_be16(b + l2 + 2));
		FUZZ_CHECK(fuzz_be16(b + l2 + 4) == (uint16_t)(fuzz_be16(o +
			l2 + 4) + i * e->id_step), "segment %u: IPv4 ID", i);
	} else {
		FUZZ_CHECK(fuzz_be16(b + l2 + 4) == e->h.l3_len - 40 +
			e->h.l4_len + plen, "segment %u: IPv6 length", i);
	}
	if (e->h.tcp) {
		f0 = o[l4o + 13];
		want = (uint8_t)((f0 & ~0x89) | (i == 0 ? f0 & 0x80 : 0) |
			(last ? f0 & 0x09 : 0));
		FUZZ_CHECK(fuzz_be32(b + l4o + 4) == fuzz_be32(o + l4o + 4) +
			off, "segment %u: sequence", i);
		FUZZ_CHECK(b[l4o + 13] == want, "segment %u: flags %#x, want %#x",
			i, b[l4o + 13], want);
	} else {
		FUZZ_CHECK(fuzz_be16(b + l4o + 4) == 8 + plen,
			"segment %u: UDP length", i);
	}
	check_cksums(e, m, b, e->h.l4_len + plen);
}

static void FUZZ_NO_COVERAGE
check_segments(const struct expect *e, struct rte_mbuf **segs, int n,
		uint8_t max_mbufs)
{
	uint32_t off = 0;

	FUZZ_CHECK((uint32_t)n == e->nseg, "%d segments, want %u", n, e->nseg);
	for (int i = 0; i < n; i++) {
		fuzz_chain_check(segs[i], max_mbufs);
		check_segment(e, segs[i], (uint32_t)i, off);
		off += e->mss;
	}
}

/* Two sets of segments byte for byte and in their metadata. */
static void FUZZ_NO_COVERAGE
same_segments(struct rte_mbuf **a, struct rte_mbuf **b, int n)
{
	for (int i = 0; i < n; i++) {
		uint32_t la = fuzz_mbuf_bytes(a[i], seg_buf);
		uint32_t lb = fuzz_mbuf_bytes(b[i], ref_buf);

		FUZZ_CHECK(la == lb && memcmp(seg_buf, ref_buf, la) == 0,
			"kept plan: segment %d differs from a fresh plan's", i);
		FUZZ_CHECK(a[i]->ol_flags == b[i]->ol_flags &&
			a[i]->tx_offload == b[i]->tx_offload,
			"kept plan: segment %d metadata differs", i);
	}
}

/* ---- One input ---- */

struct job {
	struct gso_offload_seg_params prm;
	struct fuzz_layout layout;
	struct fuzz_frame frame;
	uint64_t ol_flags;
	uint16_t vlan_tci;
	uint16_t nb_out;
	bool finalize;
	uint8_t copy_idx;
	uint32_t flags;
	uint8_t tun;            /* 0 none, 1 wrapped (tl), 2 raw */
	struct tun_lay tl;
	/* The flow table (engine byte bit 6): the TX metadata the
	 * superframes carry, which its lookup reads. */
	uint32_t inner_len;     /* tun 1: the inner frame's, in inner_buf */
	uint8_t table;          /* 0 off, 1 the frame's metadata, 2 hostile */
	struct {
		uint64_t ol_flags;      /* RTE_MBUF_F_TX_IPV4 or _IPV6 */
		uint32_t l2, l3, ol2, ol3;
	} meta;
};

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * Wrap the inner frame f (flen bytes) in the outer headers sel and opt
 * describe, into frame_buf; false if it would not fit.
 */
static bool
tun_wrap(struct job *j, const uint8_t *f, uint32_t flen, uint8_t sel,
		uint8_t opt)
{
	static const uint64_t kind[] = { RTE_MBUF_F_TX_TUNNEL_VXLAN,
		RTE_MBUF_F_TX_TUNNEL_GENEVE, RTE_MBUF_F_TX_TUNNEL_GRE,
		RTE_MBUF_F_TX_TUNNEL_GRE, RTE_MBUF_F_TX_TUNNEL_IPIP };
	struct tun_lay *t = &j->tl;
	const bool opts = sel & 0x10;
	const uint32_t tags = RTE_MIN((sel >> 5) & 3u, 2u);
	const uint32_t gopt = (sel & 7) == 1 ? (opt >> 1) & 7 : 0;
	uint32_t skip = 0, ilen, total, plen;
	uint8_t *o = frame_buf, *p, proto, ver;

	memset(t, 0, sizeof(*t));
	t->encap = sel & 7;
	t->v6 = sel & 8;
	t->udp = t->encap <= 1;
	t->eth = tun_carries_eth(t->encap);
	t->csum = (sel & 0x80) && (t->encap == 2 || t->encap == 3);
	t->key = (opt & 1) && (t->encap == 2 || t->encap == 3);
	if (!t->eth) {
		/* GRE-IP and IP-in-IP carry the inner frame's IP packet. */
		skip = RTE_MIN(14u, flen);
		for (int k = 0; k < 2 && skip + 4 <= flen &&
				(fuzz_be16(f + skip - 2) == 0x8100 ||
				 fuzz_be16(f + skip - 2) == 0x88a8); k++)
			skip += 4;
	}
	ilen = flen - skip;
	ver = ilen > 0 ? f[skip] >> 4 : 0;
	t->ol2 = 14 + 4 * tags;
	t->ol3 = t->v6 ? 40 + (opts ? 16 : 0) : 20 + (opts ? 8 : 0);
	t->th = t->udp ? 16 + 4 * gopt : t->encap <= 3 ?
		4 + (t->csum ? 4 : 0) + (t->key ? 4 : 0) : 0;
	total = t->ol2 + t->ol3 + t->th + ilen;
	if (total > FUZZ_FRAME_MAX)
		return false;
	t->flags = kind[t->encap] | (t->v6 ? RTE_MBUF_F_TX_OUTER_IPV6 :
		RTE_MBUF_F_TX_OUTER_IPV4);

	memcpy(o, "\x02\x00\x00\x00\x00\x0b\x02\x00\x00\x00\x00\x0a", 12);
	p = o + 12;
	if (tags == 2) {
		put16(p, 0x88a8);
		put16(p + 2, 0x0007);
		p += 4;
	}
	if (tags >= 1) {
		put16(p, 0x8100);
		put16(p + 2, 0x0009);
		p += 4;
	}
	put16(p, t->v6 ? 0x86dd : 0x0800);
	p += 2;
	proto = t->udp ? 17 : t->encap <= 3 ? 47 : ver == 6 ? 41 : 4;
	plen = total - t->ol2 - (t->v6 ? 40 : 0);
	memset(p, 0, t->ol3);
	if (!t->v6) {
		p[0] = (uint8_t)(0x40 | t->ol3 / 4);
		put16(p + 2, plen > UINT16_MAX ? 0 : plen);
		put16(p + 4, 0xfffc | (opt >> 6));
		put16(p + 6, 0x4000);
		p[8] = 64;
		p[9] = proto;
		memcpy(p + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
		if (opts)
			memcpy(p + 20, "\x94\x04\x00\x00\x01\x01\x01\x00", 8);
		put16(p + 10, (uint16_t)~fuzz_fold(fuzz_sum(p, t->ol3, 0)));
	} else {
		p[0] = 0x60;
		put16(p + 4, plen > UINT16_MAX ? 0 : plen);
		p[6] = opts ? 0 : proto;
		p[7] = 64;
		p[8] = 0xfd;
		p[23] = 1;
		p[24] = 0xfd;
		p[39] = 2;
		if (opts) {
			/* Hop-by-hop, then destination options (PadN). */
			memcpy(p + 40, "\x3c\x00\x01\x04\x00\x00\x00\x00", 8);
			memcpy(p + 48, "\x00\x00\x01\x04\x00\x00\x00\x00", 8);
			p[48] = proto;
		}
	}
	p += t->ol3;
	memset(p, 0, t->th);
	if (t->udp) {
		uint32_t ul = total - t->ol2 - t->ol3;

		put16(p, 0xc000 | opt);
		put16(p + 2, t->encap == 0 ? 4789 : 6081);
		put16(p + 4, ul > UINT16_MAX ? 0 : ul);
		put16(p + 6, (sel & 0x80) ? 0x1234 : 0);
		if (t->encap == 0) {
			p[8] = 0x08;
			p[14] = 0x2a;
		} else {
			p[8] = (uint8_t)gopt;
			put16(p + 10, 0x6558);
			p[14] = 0x2b;
			for (uint32_t k = 0; k < 4 * gopt; k++)
				p[16 + k] = (uint8_t)(0x30 + k);
			if (gopt > 0) {
				put16(p + 16, 0x0103);
				p[18] = 0x01;
				p[19] = (uint8_t)(gopt - 1);
			}
		}
	} else if (t->encap <= 3) {
		uint8_t *q = p + 4;

		put16(p, (t->csum ? 0x8000 : 0) | (t->key ? 0x2000 : 0));
		put16(p + 2, t->eth ? 0x6558 : ver == 6 ? 0x86dd : 0x0800);
		if (t->csum) {
			put16(q, 0xdead);
			q += 4;
		}
		if (t->key)
			memcpy(q, "\x01\x02\x03\x04", 4);
	}
	p += t->th;
	memcpy(p, f + skip, ilen);
	j->frame.len = total;
	j->ol_flags |= t->flags;
	return true;
}

/* The TX metadata of j's frame, as an application states it: the (inner)
 * L2 and L3 lengths and family, a tunnel's outer lengths. A frame the
 * harness cannot parse keeps none (no IPV4/IPV6: no lookup). */
static void
meta_of_frame(struct job *j)
{
	struct fuzz_hdrs h;

	if (j->tun == 0 && fuzz_parse(j->frame.b, j->frame.len, &h)) {
		j->meta.l2 = h.l2_len;
	} else if (j->tun == 1 && fuzz_parse(inner_buf, j->inner_len, &h)) {
		/* inner_buf holds the inner Ethernet frame tun_wrap() took. */
		j->meta.ol2 = j->tl.ol2;
		j->meta.ol3 = j->tl.ol3;
		j->meta.l2 = j->tl.th + (j->tl.eth ? h.l2_len : 0);
	} else {
		return;
	}
	j->meta.l3 = h.l3_len;
	j->meta.ol_flags = h.ipv4 ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6;
}

static struct rte_mbuf *
sf_build(const struct job *j)
{
	struct rte_mbuf *m = fuzz_chain_build(sf_pool, &j->frame, &j->layout);

	if (m == NULL)
		return NULL;
	m->ol_flags |= j->ol_flags;   /* EXTERNAL stays */
	if (j->table) {
		/* The fields are narrower: what does not fit is cut, as an
		 * application's bad metadata would be. */
		m->ol_flags |= j->meta.ol_flags;
		m->l2_len = j->meta.l2;
		m->l3_len = j->meta.l3;
		m->outer_l2_len = j->meta.ol2;
		m->outer_l3_len = j->meta.ol3;
	}
	m->vlan_tci = j->vlan_tci;
	m->vlan_tci_outer = (uint16_t)~j->vlan_tci;
	m->tso_segsz = j->prm.mss;
	return m;
}

static struct gso_offload_seg_ctx *
ctx_create(const struct job *j, uint32_t extra_flags)
{
	struct gso_offload_seg_conf conf = {
		.hdr_pool = hdr_pool, .ref_pool = hdr_pool,
		.copy_pool = copy_pools[j->copy_idx],
		.flags = j->flags | extra_flags,
	};
	struct gso_offload_seg_ctx *ctx = gso_offload_seg_create(&conf,
			SOCKET_ID_ANY);

	FUZZ_CHECK(ctx != NULL, "engine: %d", rte_errno);
	return ctx;
}

static void
expect_init(struct expect *e, const struct job *j, const struct snapshot *s)
{
	memset(e, 0, sizeof(*e));
	e->orig = orig;
	e->orig_len = s->len;
	if (j->tun == 1) {
		/* The inner frame, as a plain one, is what the inner rules
		 * read; the outer ones read the whole superframe. */
		const struct tun_lay *t = &j->tl;
		const uint32_t in = t->ol2 + t->ol3 + t->th;
		const uint32_t add = t->eth ? 0 : 14;

		FUZZ_CHECK(s->len > in, "segmented a frame without an inner one");
		memcpy(inner_orig + add, orig + in, s->len - in);
		if (add != 0) {
			memcpy(inner_orig, "\x02\x00\x00\x00\x00\x02"
				"\x02\x00\x00\x00\x00\x01", 12);
			put16(inner_orig + 12, (orig[in] >> 4) == 6 ? 0x86dd :
				0x0800);
		}
		e->tun = t;
		e->tun_orig = orig;
		e->orig = inner_orig;
		e->orig_len = s->len - in + add;
	}
	FUZZ_CHECK(fuzz_parse(e->orig, e->orig_len, &e->h),
		"the engine took a frame the harness finds unsegmentable");
	FUZZ_CHECK(e->h.tcp == (j->prm.proto == GSO_OFFLOAD_SEG_TCP),
		"protocol");
	e->mss = j->prm.mss;
	e->id_step = (j->flags & GSO_OFFLOAD_SEG_F_IPID_FIXED) ? 0 :
		j->prm.ip_id_stride ? j->prm.ip_id_stride : 1;
	e->cksum = j->prm.cksum;
	e->sf_ol_flags = j->ol_flags;
	e->vlan_tci = j->vlan_tci;
	e->vlan_tci_outer = (uint16_t)~j->vlan_tci;
	e->nseg = e->mss ? (e->h.payload_len + e->mss - 1) / e->mss : 0;
}

/* Finalize m (one packet in place) and check it as a single segment. */
static void
run_finalize(const struct job *j, struct rte_mbuf *m)
{
	struct snapshot s;
	struct expect e;
	int ret;

	snap_take(&s, m, orig);
	ret = gso_offload_seg_finalize(m, &j->prm);
	if (ret != 0) {
		snap_same(&s, m, orig, true);
		return;
	}
	if (j->tun == 2) {
		/* A raw tunnel frame: no outer parse of the harness's. */
		fuzz_chain_check(m, 0);
		FUZZ_CHECK(m->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK,
			"finalized tunnel lost its flag");
		return;
	}
	expect_init(&e, j, &s);
	/* One segment carrying the whole payload. */
	FUZZ_CHECK(e.h.payload_len <= UINT16_MAX, "finalized a payload of %u",
		e.h.payload_len);
	e.finalize = true;
	e.nseg = 1;
	e.mss = RTE_MAX(e.h.payload_len, 1u);
	fuzz_chain_check(m, 0);
	check_segment(&e, m, 0, 0);
}

static void
run_segment(const struct job *j)
{
	struct gso_offload_seg_ctx *ctx, *fresh;
	struct rte_mbuf *sf, *sf2;
	struct snapshot s;
	struct expect e;
	int count, ret, r2;

	sf = sf_build(j);
	if (sf == NULL)
		return;
	snap_take(&s, sf, orig);
	count = gso_offload_segment_count(sf, &j->prm);
	snap_same(&s, sf, orig, true);
	ctx = ctx_create(j, 0);
	ret = gso_offload_segment(ctx, sf, &j->prm, out1, j->nb_out);
	if (ret < 0) {
		/* Errors the count cannot foresee: room, memory, buffers. */
		FUZZ_CHECK(ret == count || (count > 0 &&
			(ret == -GSO_OFFLOAD_EOUT || ret == -GSO_OFFLOAD_ENOMEM ||
			ret == -GSO_OFFLOAD_EBUF)), "segment %d, count %d",
			ret, count);
		snap_same(&s, sf, orig, true);
		if (ret == -GSO_OFFLOAD_ENOSPLIT)
			run_finalize(j, sf);
		rte_pktmbuf_free(sf);
		gso_offload_seg_free(ctx);
		return;
	}
	FUZZ_CHECK(ret >= 2 && ret == count, "%d segments, count %d", ret,
		count);
	if (j->tun != 2) {
		expect_init(&e, j, &s);
		check_segments(&e, out1, ret, j->prm.max_mbufs_per_seg);
	} else {
		for (int i = 0; i < ret; i++)
			fuzz_chain_check(out1[i], j->prm.max_mbufs_per_seg);
	}
	if (j->prm.keep_input) {
		/* Still the caller's and unchanged, references aside. */
		snap_same(&s, sf, orig, false);
	}

	/* The same superframe again through the engine that kept its plan,
	 * and through one that plans afresh: the same segments. */
	fresh = ctx_create(j, GSO_OFFLOAD_SEG_F_NO_FLOW_CACHE);
	sf2 = sf_build(j);
	if (sf2 != NULL) {
		r2 = gso_offload_segment(fresh, sf2, &j->prm, out2, j->nb_out);
		if (r2 >= 0) {
			FUZZ_CHECK(r2 == ret, "fresh engine: %d segments, %d", r2,
				ret);
			same_segments(out1, out2, ret);
			rte_pktmbuf_free_bulk(out1, (unsigned int)ret);
			ret = 0;
			if (j->prm.keep_input)
				rte_pktmbuf_free(sf2);
			sf2 = sf_build(j);
			/* Through the table: not the last flow's plan. */
			if (j->table)
				ctx->flow.valid = 0;
			if (sf2 != NULL) {
				ret = gso_offload_segment(ctx, sf2, &j->prm, out1,
					j->nb_out);
				if (ret >= 0) {
					FUZZ_CHECK(ret == r2, "kept plan: %d, %d",
						ret, r2);
					same_segments(out1, out2, ret);
				} else {
					FUZZ_CHECK(ret == -GSO_OFFLOAD_ENOMEM,
						"kept plan: %d", ret);
					ret = 0;
				}
				if (ret == 0 || j->prm.keep_input)
					rte_pktmbuf_free(sf2);
			}
			rte_pktmbuf_free_bulk(out2, (unsigned int)r2);
		} else {
			/* Only memory may run short the second time. */
			FUZZ_CHECK(r2 == -GSO_OFFLOAD_ENOMEM, "fresh engine: %d",
				r2);
			rte_pktmbuf_free(sf2);
		}
	}
	if (ret > 0)
		rte_pktmbuf_free_bulk(out1, (unsigned int)ret);
	if (j->prm.keep_input) {
		/* Every segment gone: the references are back. */
		snap_same(&s, sf, orig, true);
		rte_pktmbuf_free(sf);
	}
	gso_offload_seg_free(fresh);
	gso_offload_seg_free(ctx);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct job j;
	uint8_t b, tsel = 0, topt = 0;

	memset(&j, 0, sizeof(j));
	b = fuzz_u8(&in);
	j.prm.proto = (b & 1) ? GSO_OFFLOAD_SEG_UDP : GSO_OFFLOAD_SEG_TCP;
	j.prm.cksum = (b >> 1) & 7;
	j.prm.buffers = ((b >> 4) & 3) == 3 ? GSO_OFFLOAD_BUF_AUTO :
		(b >> 4) & 3;
	j.prm.keep_input = (b >> 6) & 1;
	j.finalize = b >> 7;
	j.prm.max_mbufs_per_seg = fuzz_u8(&in);
	j.prm.mss = fuzz_u16(&in);
	b = fuzz_u8(&in);
	j.flags = b & 3;
	j.copy_idx = (b >> 2) & 3;
	j.nb_out = fuzz_u8(&in);
	if (!(b & 0x10))
		j.nb_out = MAX_OUT;
	if (b & 0x20) {
		tsel = fuzz_u8(&in);
		topt = fuzz_u8(&in);
		j.tun = (tsel & 7) <= 4 ? 1 : 2;
	}
	j.table = b & 0x40;
	if (j.table && (b & 0x80)) {
		uint8_t hostile = fuzz_u8(&in);

		j.meta.ol_flags = (hostile & 1) ? RTE_MBUF_F_TX_IPV4 :
			RTE_MBUF_F_TX_IPV6;
		j.meta.l2 = hostile;
		j.meta.l3 = (uint32_t)hostile << 1;
		j.meta.ol2 = hostile ^ 0x55u;
		j.meta.ol3 = (uint32_t)hostile << 2;
		j.table = 2;
	}
	j.prm.ip_id_stride = fuzz_u16(&in);
	b = fuzz_u8(&in);
	j.ol_flags = ((b & 1) ? RTE_MBUF_F_TX_VLAN : 0) |
		((b & 2) ? RTE_MBUF_F_TX_QINQ : 0) |
		(j.prm.proto == GSO_OFFLOAD_SEG_TCP ? RTE_MBUF_F_TX_TCP_SEG :
			RTE_MBUF_F_TX_UDP_SEG);
	j.vlan_tci = fuzz_u16(&in);
	fuzz_layout_decode(&in, &j.layout);
	j.frame.b = j.tun == 1 ? inner_buf : frame_buf;
	fuzz_frame_decode(&in, &j.frame);
	if (j.tun == 1) {
		j.prm.cksum |= (topt & 0x10 ? GSO_OFFLOAD_CKSUM_OUTER_IP_HW : 0) |
			(topt & 0x20 ? GSO_OFFLOAD_CKSUM_OUTER_UDP_HW : 0);
		j.inner_len = j.frame.len;
		if (!tun_wrap(&j, inner_buf, j.frame.len, tsel, topt))
			return 0;
		j.frame.b = frame_buf;
	} else if (j.tun == 2) {
		static const uint64_t kind[] = { RTE_MBUF_F_TX_TUNNEL_VXLAN,
			RTE_MBUF_F_TX_TUNNEL_GENEVE, RTE_MBUF_F_TX_TUNNEL_GRE,
			RTE_MBUF_F_TX_TUNNEL_IPIP };

		j.ol_flags |= (topt & 4) ? (uint64_t)((topt >> 3) & 0xf) << 45 :
			kind[topt & 3];
		j.prm.cksum |= (topt & 0x80) ? GSO_OFFLOAD_CKSUM_OUTER_IP_HW |
			GSO_OFFLOAD_CKSUM_OUTER_UDP_HW : 0;
		if (!(j.ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK))
			j.tun = 0;      /* a plain frame after all */
	}

	if (j.table == 1)
		meta_of_frame(&j);
	if (j.finalize) {
		struct rte_mbuf *m = sf_build(&j);

		if (m != NULL) {
			run_finalize(&j, m);
			rte_pktmbuf_free(m);
		}
	} else {
		run_segment(&j);
	}
	fuzz_pools_check();
	return 0;
}
