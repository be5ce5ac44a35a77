/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Tunnel segmentation, differential against DPDK's rte_gso (issue 18):
 * VXLAN/TCP4 and GRE/TCP4 (outer IPv4, inner IPv4/TCP), the two
 * encapsulations rte_gso segments, on the same superframes. Every segment
 * of ours must have the same bytes as rte_gso's except the documented
 * differences, which are masked in both before comparing:
 *
 *  1. Checksums. rte_gso computes none: its segments carry the
 *     superframe's outer IPv4, inner IPv4 and TCP checksums, and, where
 *     the superframe has one, its outer UDP checksum (VXLAN) or GRE
 *     checksum (C bit), unchanged and so wrong (measured here: DPDK
 *     22.11; REFERENCE §3 and §9). Ours computes each of them per segment
 *     (or leaves it to the port, on request). Masked: outer IPv4 header
 *     checksum, inner IPv4 header checksum, inner TCP checksum, and a
 *     non-zero outer UDP or GRE checksum. An outer UDP checksum of 0 is
 *     not masked: both must leave it 0.
 *  2. CWR. rte_gso copies the superframe's TCP flags but FIN and PSH to
 *     every segment, CWR included; ours sets CWR on the first segment
 *     only, as Linux does (tcp_gso_segment(), RFC 3168 6.1.2). Masked:
 *     the CWR bit of every segment after the first (the first must have
 *     it in both).
 *  3. IPv4 IDs: none. rte_gso increments the outer ID on every segment
 *     and the inner ID by 1 (RTE_GSO_FLAG_IPID_FIXED unset); ours does
 *     the same for both (wrapping at 65536, as Linux). Not masked; two
 *     of the configurations start near 65535 to cover the wrap.
 *
 * Separately, every segment of ours is compared, with nothing masked,
 * against a segment built here from the superframe by the rules of the
 * contract (docs/tunnels.md): outer IPv4 total length, ID + index and
 * header checksum; outer UDP length, and its checksum per segment when
 * the superframe's is non-zero (0 stays 0); GRE checksum when the C bit
 * is set, key kept; inner IPv4 total length, ID + index, checksum; TCP
 * sequence number, flags (FIN/PSH on the last segment only, CWR on the
 * first only), checksum; everything else copied. Its checksums are the
 * tests' reference RFC 1071 sums (test_ref_sum()), nothing from the
 * library. Its mbuf metadata
 * must be DPDK's for a tunnel packet (RTE_MBUF_F_TX_TUNNEL_*, OUTER_IPV4,
 * outer_l2_len, outer_l3_len, l2_len = outer UDP/GRE + tunnel header +
 * inner Ethernet, l3_len, l4_len).
 *
 * Payloads: an exact multiple of the MSS, one byte more, MSS + 1, 64000
 * bytes, and the most an outer IPv4 packet holds (total length 65535),
 * in one mbuf where it fits and as a chain of 1000-byte mbufs; ours in
 * zero-copy and copy mode with software checksums, and with every
 * checksum offloaded (masked then on both sides). Every mbuf comes from a
 * poisoning pool (tests/test_poison.h) and the pools must end each case
 * as they began.
 *
 * Until our engine segments tunnels (branch tun-engine), it answers
 * -EPROTONOSUPPORT and every case fails, saying so.
 */

#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_gso.h>
#include <rte_mbuf.h>

#include "gso_offload.h"
#include "test.h"
#include "test_pkt.h"
#include "test_poison.h"

#define MAX_OUT 128
#define ETH_LEN 14
#define VLAN_LEN 4
#define IP4_LEN 20
#define UDP_LEN 8
#define VXLAN_LEN 8
#define TCP_LEN 20
#define TCP_OPT_LEN 12          /* NOP, NOP, timestamps */
#define CHAIN_PIECE 1000        /* payload bytes per mbuf of a chain */

enum { TUN_VXLAN, TUN_GRE };
enum { LAYOUT_FLAT, LAYOUT_CHAIN, LAYOUT_NB };

/* One configuration: a test case. */
struct tspec {
	int tun;
	bool outer_vlan;        /* 802.1Q tag in the outer Ethernet header */
	bool inner_vlan;        /* and in the inner one (VXLAN, GRE TEB) */
	bool udp_csum;          /* VXLAN: outer UDP checksum non-zero */
	bool gre_csum;          /* GRE: C bit, a checksum */
	bool gre_key;           /* GRE: K bit, a key */
	bool gre_teb;           /* GRE: inner Ethernet (0x6558), else IPv4 */
	bool tcp_opts;
	uint16_t outer_id, inner_id;
	uint32_t seq;
};

/* Where each layer is, for a configuration. */
struct lay {
	uint32_t ol2;           /* outer Ethernet (+ VLAN): outer_l2_len */
	uint32_t ol4;           /* outer UDP / GRE header */
	uint32_t tun_l2;        /* DPDK's l2_len: ol4 .. inner IP */
	uint32_t iip;           /* inner IPv4 header */
	uint32_t tcp;
	uint32_t hdr;           /* whole header stack */
	uint32_t gre_ck;        /* GRE checksum field (C bit), else 0 */
};

static struct rte_mempool *sf_pool, *chain_pool, *gso_hdr_pool, *gso_ref_pool;
static struct rte_mempool *seg_pool, *copy_pool;
static struct gso_offload_seg_ctx *engine;
static struct rte_mbuf *ours[MAX_OUT], *theirs[MAX_OUT];

static struct lay
layout_of(const struct tspec *t)
{
	struct lay l = { .ol2 = ETH_LEN + (t->outer_vlan ? VLAN_LEN : 0) };
	uint32_t inner_eth = ETH_LEN + (t->inner_vlan ? VLAN_LEN : 0);

	l.ol4 = l.ol2 + IP4_LEN;
	if (t->tun == TUN_VXLAN) {
		l.tun_l2 = UDP_LEN + VXLAN_LEN + inner_eth;
	} else {
		l.tun_l2 = 4 + (t->gre_csum ? 4 : 0) + (t->gre_key ? 4 : 0) +
			(t->gre_teb ? inner_eth : 0);
		l.gre_ck = t->gre_csum ? l.ol4 + 4 : 0;
	}
	l.iip = l.ol4 + l.tun_l2;
	l.tcp = l.iip + IP4_LEN;
	l.hdr = l.tcp + TCP_LEN + (t->tcp_opts ? TCP_OPT_LEN : 0);
	return l;
}

static uint16_t
be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)be16(p) << 16 | be16(p + 2);
}

/* The complement of the folded sum, as a header's checksum field. */
static uint16_t
cksum_of(uint32_t s)
{
	return (uint16_t)~test_ref_fold(s);
}

/* The IPv4 pseudo-header of an L4 segment (ip: its IPv4 header). */
static uint32_t
phdr4(const uint8_t *ip, uint8_t proto, uint32_t l4_len)
{
	return test_ref_sum(ip + 12, 8, proto + l4_len);
}

/*
 * Set every length-dependent field of a frame f of len bytes built for t
 * (outer and inner lengths) and every checksum, inner first. udp_csum:
 * the outer UDP checksum is computed (else it stays 0).
 */
static void
finish(uint8_t *f, uint32_t len, const struct tspec *t, const struct lay *l)
{
	uint8_t *oip = f + l->ol2, *iip = f + l->iip, *tcp = f + l->tcp;

	put16(oip + 2, len - l->ol2);
	put16(iip + 2, len - l->iip);
	put16(iip + 10, 0);
	put16(iip + 10, cksum_of(test_ref_sum(iip, IP4_LEN, 0)));
	put16(tcp + 16, 0);
	put16(tcp + 16, cksum_of(test_ref_sum(tcp, len - l->tcp,
		phdr4(iip, IPPROTO_TCP, len - l->tcp))));
	if (t->tun == TUN_VXLAN) {
		uint8_t *uh = f + l->ol4;

		put16(uh + 4, len - l->ol4);
		if (t->udp_csum) {
			uint16_t c;

			put16(uh + 6, 0);
			c = cksum_of(test_ref_sum(uh, len - l->ol4,
				phdr4(oip, IPPROTO_UDP, len - l->ol4)));
			put16(uh + 6, c == 0 ? 0xffff : c);
		}
	} else if (t->gre_csum) {
		put16(f + l->gre_ck, 0);
		put16(f + l->gre_ck, cksum_of(test_ref_sum(f + l->ol4, len - l->ol4, 0)));
	}
	put16(oip + 10, 0);
	put16(oip + 10, cksum_of(test_ref_sum(oip, IP4_LEN, 0)));
}

static void
put_eth(uint8_t *p, bool vlan, uint16_t tci, uint8_t mac)
{
	static const uint8_t base[6] = { 0x02, 0, 0, 0, 0, 0 };

	memcpy(p, base, 6);
	p[5] = mac + 1;
	memcpy(p + 6, base, 6);
	p[11] = mac;
	if (vlan) {
		put16(p + 12, 0x8100);
		put16(p + 14, tci);
		p += VLAN_LEN;
	}
	put16(p + 12, 0x0800);
}

static void
put_ip4(uint8_t *p, uint8_t tos, uint16_t id, uint8_t proto, uint32_t src,
		uint32_t dst)
{
	memset(p, 0, IP4_LEN);
	p[0] = 0x45;
	p[1] = tos;
	put16(p + 4, id);
	put16(p + 6, 0x4000);   /* DF */
	p[8] = 64;
	p[9] = proto;
	put32(p + 12, src);
	put32(p + 16, dst);
}

/* The superframe's bytes (malloc'd): headers for t, then payload. */
static uint8_t *
frame_bytes(const struct tspec *t, const struct lay *l, uint32_t payload,
		uint32_t seed)
{
	uint32_t len = l->hdr + payload;
	uint8_t *f = calloc(1, len), *p;

	if (f == NULL)
		return NULL;
	put_eth(f, t->outer_vlan, 100, 0x01);
	put_ip4(f + l->ol2, 0, t->outer_id,
		t->tun == TUN_VXLAN ? IPPROTO_UDP : IPPROTO_GRE,
		0xc0000201, 0xc0000202);        /* 192.0.2.1 -> .2 */
	p = f + l->ol4;
	if (t->tun == TUN_VXLAN) {
		put16(p, 49321);        /* the sender's entropy */
		put16(p + 2, 4789);
		p[8] = 0x08;            /* I: VNI valid */
		p[14] = 42;             /* VNI 42 */
		p += UDP_LEN + VXLAN_LEN;
		put_eth(p, t->inner_vlan, 200, 0x11);
	} else {
		put16(p, (t->gre_csum ? 0x8000 : 0) | (t->gre_key ? 0x2000 : 0));
		put16(p + 2, t->gre_teb ? 0x6558 : 0x0800);
		p += 4 + (t->gre_csum ? 4 : 0);
		if (t->gre_key) {
			put32(p, 0x01020304);
			p += 4;
		}
		if (t->gre_teb)
			put_eth(p, t->inner_vlan, 200, 0x11);
	}
	put_ip4(f + l->iip, 0x02 /* ECT(0) */, t->inner_id, IPPROTO_TCP,
		0x0a000001, 0x0a000002);
	p = f + l->tcp;
	put16(p, 40000);
	put16(p + 2, 5001);
	put32(p + 4, t->seq);
	put32(p + 8, 1);
	p[12] = (uint8_t)((l->hdr - l->tcp) / 4) << 4;
	p[13] = 0x99;           /* CWR ACK PSH FIN */
	put16(p + 14, 0xffff);
	if (t->tcp_opts) {
		p[20] = p[21] = 1;  /* NOP NOP */
		p[22] = 8;          /* timestamps */
		p[23] = 10;
		put32(p + 24, 0xa1b2c3d4);
		put32(p + 28, 0x01020304);
	}
	for (uint32_t i = 0; i < payload; i++)
		f[l->hdr + i] = (uint8_t)(i * 7 + seed);
	finish(f, len, t, l);
	return f;
}

/* An mbuf (chain) holding f, with DPDK's tunnel segmentation metadata. */
static struct rte_mbuf *
to_mbuf(const uint8_t *f, uint32_t len, const struct tspec *t,
		const struct lay *l, uint16_t mss, int layout)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(sf_pool), *last;
	uint32_t first = layout == LAYOUT_FLAT ? len :
		RTE_MIN(len, l->hdr + 700);
	uint8_t *p;

	if (m == NULL)
		return NULL;
	p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)first);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(p, f, first);
	last = m;
	for (uint32_t off = first; off < len; off += CHAIN_PIECE) {
		uint32_t n = RTE_MIN((uint32_t)CHAIN_PIECE, len - off);
		struct rte_mbuf *s = rte_pktmbuf_alloc(chain_pool);

		if (s == NULL) {
			rte_pktmbuf_free(m);
			return NULL;
		}
		memcpy(rte_pktmbuf_append(s, (uint16_t)n), f + off, n);
		last->next = s;
		last = s;
		m->nb_segs++;
		m->pkt_len += n;
	}
	m->ol_flags = RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4 |
		RTE_MBUF_F_TX_OUTER_IPV4 | (t->tun == TUN_VXLAN ?
			RTE_MBUF_F_TX_TUNNEL_VXLAN : RTE_MBUF_F_TX_TUNNEL_GRE);
	m->outer_l2_len = l->ol2;
	m->outer_l3_len = IP4_LEN;
	m->l2_len = l->tun_l2;
	m->l3_len = IP4_LEN;
	m->l4_len = l->hdr - l->tcp;
	m->tso_segsz = mss;
	return m;
}

/* The whole frame of an mbuf chain (malloc'd). */
static uint8_t *
bytes_of(const struct rte_mbuf *m, uint32_t *len)
{
	uint8_t *b = malloc(m->pkt_len ? m->pkt_len : 1);
	uint32_t off = 0;

	if (b == NULL)
		return NULL;
	for (const struct rte_mbuf *s = m; s != NULL; s = s->next) {
		if (off + s->data_len > m->pkt_len)
			break;
		memcpy(b + off, rte_pktmbuf_mtod(s, const uint8_t *),
			s->data_len);
		off += s->data_len;
	}
	*len = off;
	return b;
}

/* Segment i of n of the superframe f by the contract's rules. */
static void
expected_segment(const uint8_t *f, const struct tspec *t, const struct lay *l,
		uint32_t payload, uint16_t mss, uint32_t i, uint32_t n,
		uint8_t *e, uint32_t *len)
{
	uint32_t pay = RTE_MIN((uint32_t)mss, payload - i * mss);
	uint8_t *tcp = e + l->tcp;

	memcpy(e, f, l->hdr);
	memcpy(e + l->hdr, f + l->hdr + i * mss, pay);
	*len = l->hdr + pay;
	put16(e + l->ol2 + 4, (uint16_t)(be16(f + l->ol2 + 4) + i));
	put16(e + l->iip + 4, (uint16_t)(be16(f + l->iip + 4) + i));
	put32(tcp + 4, get32(f + l->tcp + 4) + i * mss);
	if (i > 0)
		tcp[13] &= (uint8_t)~0x80;      /* CWR: the first only */
	if (i + 1 < n)
		tcp[13] &= (uint8_t)~0x09;      /* FIN, PSH: the last only */
	finish(e, *len, t, l);
}

/* Zero the checksum fields in a and b (an outer UDP checksum only where
 * the superframe has one: 0 must stay 0 everywhere). */
static void
mask_cksums(uint8_t *a, uint8_t *b, const struct tspec *t, const struct lay *l)
{
	uint32_t fields[5], nf = 0;

	fields[nf++] = l->ol2 + 10;             /* outer IPv4 checksum */
	fields[nf++] = l->iip + 10;             /* inner IPv4 checksum */
	fields[nf++] = l->tcp + 16;             /* TCP checksum */
	if (t->tun == TUN_VXLAN && t->udp_csum)
		fields[nf++] = l->ol4 + 6;      /* outer UDP checksum */
	if (l->gre_ck != 0)
		fields[nf++] = l->gre_ck;       /* GRE checksum */
	for (uint32_t k = 0; k < nf; k++) {
		a[fields[k]] = a[fields[k] + 1] = 0;
		b[fields[k]] = b[fields[k] + 1] = 0;
	}
}

/*
 * Zero the documented differences in a (ours) and b (rte_gso's) segment
 * i: the checksums rte_gso does not compute, and CWR after the first.
 */
static void
mask_differences(uint8_t *a, uint8_t *b, const struct tspec *t,
		const struct lay *l, uint32_t i)
{
	mask_cksums(a, b, t, l);
	if (i > 0) {
		a[l->tcp + 13] &= 0x7f;
		b[l->tcp + 13] &= 0x7f;
	}
}

/* Whether a and b are the same frame; if not, says where (what: which
 * two). */
static bool
same_frame(const char *what, const uint8_t *a, uint32_t la, const uint8_t *b,
		uint32_t lb)
{
	if (a == NULL || b == NULL || la != lb) {
		printf("#   %s: lengths %u and %u\n", what, la, lb);
		return false;
	}
	for (uint32_t k = 0; k < la; k++)
		if (a[k] != b[k]) {
			printf("#   %s: first difference at byte %u: %02x vs %02x\n",
				what, k, a[k], b[k]);
			return false;
		}
	return true;
}

/* DPDK's tunnel metadata on a segment of ours. */
static bool
metadata_ok(const struct rte_mbuf *s, const struct tspec *t,
		const struct lay *l, uint8_t cksum)
{
	uint64_t want = RTE_MBUF_F_TX_OUTER_IPV4 | RTE_MBUF_F_TX_IPV4 |
		(t->tun == TUN_VXLAN ? RTE_MBUF_F_TX_TUNNEL_VXLAN :
			RTE_MBUF_F_TX_TUNNEL_GRE);

	if (cksum & GSO_OFFLOAD_CKSUM_OUTER_IP_HW)
		want |= RTE_MBUF_F_TX_OUTER_IP_CKSUM;
	if ((s->ol_flags & want) != want ||
			(s->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK) !=
				(want & RTE_MBUF_F_TX_TUNNEL_MASK) ||
			(s->ol_flags & (RTE_MBUF_F_TX_TCP_SEG |
				RTE_MBUF_F_TX_UDP_SEG)) != 0) {
		printf("#   ol_flags %#" PRIx64 ", want %#" PRIx64 " and no SEG\n",
			s->ol_flags, want);
		return false;
	}
	if (s->outer_l2_len != l->ol2 || s->outer_l3_len != IP4_LEN ||
			s->l2_len != l->tun_l2 || s->l3_len != IP4_LEN ||
			s->l4_len != l->hdr - l->tcp) {
		printf("#   lengths %u/%u/%u/%u/%u, want %u/%u/%u/%u/%u\n",
			s->outer_l2_len, s->outer_l3_len, s->l2_len, s->l3_len,
			s->l4_len, l->ol2, IP4_LEN, l->tun_l2, IP4_LEN,
			l->hdr - l->tcp);
		return false;
	}
	return true;
}

struct pools_use {
	unsigned int n[6];
};

static struct pools_use
in_use(void)
{
	return (struct pools_use){ {
		rte_mempool_in_use_count(sf_pool),
		rte_mempool_in_use_count(chain_pool),
		rte_mempool_in_use_count(gso_hdr_pool),
		rte_mempool_in_use_count(gso_ref_pool),
		rte_mempool_in_use_count(seg_pool),
		rte_mempool_in_use_count(copy_pool),
	} };
}

/* How ours runs: buffers and checksums. */
static const struct { uint8_t buffers; uint8_t cksum; const char *name; }
modes[] = {
	{ GSO_OFFLOAD_BUF_ZEROCOPY, 0, "zerocopy, checksums in software" },
	{ GSO_OFFLOAD_BUF_COPY, 0, "copy, checksums in software" },
	{ GSO_OFFLOAD_BUF_AUTO, GSO_OFFLOAD_CKSUM_IP_HW |
		GSO_OFFLOAD_CKSUM_L4_HW | GSO_OFFLOAD_CKSUM_L4_PHDR |
		GSO_OFFLOAD_CKSUM_OUTER_IP_HW | GSO_OFFLOAD_CKSUM_OUTER_UDP_HW,
		"auto, every checksum offloaded" },
};

/* 0 in sizes[].payload: the most an outer IPv4 packet holds. */
static const struct { uint32_t payload; uint16_t mss; } sizes[] = {
	{ 5 * 1000, 1000 },             /* an exact multiple of the MSS */
	{ 5 * 1000 + 1, 1000 },         /* one byte more */
	{ 1000 + 1, 1000 },             /* MSS + 1: a last segment of 1 */
	{ 64000, 1410 },                /* 64 KB, VXLAN's inner MSS */
	{ 0, 1410 },                    /* outer IPv4 total length 65535 */
};

/* One superframe: ours against rte_gso's and against the rules. */
static int
compare_one(const struct tspec *t, uint32_t payload, uint16_t mss, int layout,
		unsigned int mode, uint32_t seed)
{
	const struct lay l = layout_of(t);
	const uint32_t len = l.hdr + payload;
	const uint32_t n = (payload + mss - 1) / mss;
	const struct gso_offload_seg_params prm = {
		.mss = mss, .proto = GSO_OFFLOAD_SEG_TCP,
		.cksum = modes[mode].cksum, .buffers = modes[mode].buffers,
	};
	struct rte_gso_ctx gctx = {
		.direct_pool = gso_hdr_pool, .indirect_pool = gso_ref_pool,
		.gso_types = RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO |
			RTE_ETH_TX_OFFLOAD_GRE_TNL_TSO,
		.gso_size = (uint16_t)(l.hdr + mss), .flag = 0,
	};
	uint8_t *f = frame_bytes(t, &l, payload, seed);
	uint8_t *e = malloc(l.hdr + mss);
	struct rte_mbuf *a = NULL, *b = NULL;
	int na = 0, nb = 0, ret = TEST_FAIL;

	TEST_CHECK(f != NULL && e != NULL, "memory");
	a = to_mbuf(f, len, t, &l, mss, layout);
	b = to_mbuf(f, len, t, &l, mss, layout);
	TEST_CHECK(a != NULL && b != NULL, "superframes");
	/* rte_gso first: its segments must follow the rules but for the
	 * documented differences, which checks this file's rules against an
	 * implementation of its own, whatever ours does. */
	nb = rte_gso_segment(b, &gctx, theirs, MAX_OUT);
	TEST_CHECK(nb > 0 && (uint32_t)nb == n,
		"rte_gso_segment() returned %d, want %u", nb, n);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t lb = 0, le = 0;
		uint8_t *y = bytes_of(theirs[i], &lb);
		bool ok;

		expected_segment(f, t, &l, payload, mss, i, n, e, &le);
		if (y != NULL && lb == le)
			mask_differences(y, e, t, &l, i);
		ok = same_frame("rte_gso against the rules", y, lb, e, le);
		free(y);
		TEST_CHECK(ok, "rte_gso's segment %u of %u (payload %u, MSS %u, "
			"%s): not the rules' but for the documented "
			"differences (lengths %u %u)", i, n, payload, mss,
			layout == LAYOUT_FLAT ? "flat" : "chain", lb, le);
	}
	na = gso_offload_segment(engine, a, &prm, ours, MAX_OUT);
	if (na < 0) {
		printf("#   our engine: %s (%d)%s\n", gso_offload_seg_strerror(na),
			na, na == -GSO_OFFLOAD_EPROTO ?
			": no tunnel segmentation in this build" : "");
		na = 0;
		goto out;
	}
	a = NULL;       /* consumed */
	TEST_CHECK((uint32_t)na == n, "segments: ours %d, want %u", na, n);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t la = 0, lb = 0, le = 0;
		uint8_t *x = bytes_of(ours[i], &la);
		uint8_t *y = bytes_of(theirs[i], &lb);
		bool meta, rules, same;

		if (x == NULL || y == NULL) {
			free(x);
			free(y);
			TEST_CHECK(false, "memory");
		}
		expected_segment(f, t, &l, payload, mss, i, n, e, &le);
		meta = la == ours[i]->pkt_len &&
			metadata_ok(ours[i], t, &l, prm.cksum);
		/* With checksums offloaded, ours differ from the rules'
		 * in the checksum fields alone (the port's to fill; the
		 * pseudo-headers are the contract tests' business): compare
		 * the rest. */
		if (prm.cksum != 0 && la == le)
			mask_cksums(x, e, t, &l);
		rules = same_frame("ours against the rules", x, la, e, le);
		if (la == lb)
			mask_differences(x, y, t, &l, i);
		same = same_frame("ours against rte_gso", x, la, y, lb);
		free(x);
		free(y);
		TEST_CHECK(meta && rules && same,
			"segment %u of %u (payload %u, MSS %u, %s, %s): "
			"metadata %d, rules %d, same as rte_gso %d (lengths "
			"%u %u %u)", i, n, payload, mss,
			layout == LAYOUT_FLAT ? "flat" : "chain",
			modes[mode].name, meta, rules, same, la, lb, le);
	}
	ret = TEST_OK;
out:
	if (na > 0)
		rte_pktmbuf_free_bulk(ours, na);
	if (nb > 0)
		rte_pktmbuf_free_bulk(theirs, nb);
	rte_pktmbuf_free(a);
	rte_pktmbuf_free(b);    /* rte_gso leaves its input to the caller */
	free(f);
	free(e);
	return ret;
}

static int
differential(const void *arg)
{
	const struct tspec *t = arg;
	const struct lay l = layout_of(t);
	const struct pools_use base = in_use();
	const uint32_t room = rte_pktmbuf_data_room_size(sf_pool) -
		RTE_PKTMBUF_HEADROOM;
	unsigned int runs = 0, want = 0;
	struct pools_use now;

	for (size_t si = 0; si < TEST_NB(sizes); si++)
	for (int layout = 0; layout < LAYOUT_NB; layout++)
	for (unsigned int mode = 0; mode < TEST_NB(modes); mode++) {
		uint32_t payload = sizes[si].payload ? sizes[si].payload :
			UINT16_MAX - (l.hdr - l.ol2);

		if (layout == LAYOUT_FLAT && l.hdr + payload > room)
			continue;       /* more than one mbuf holds */
		want++;
		TEST_RUN(compare_one(t, payload, sizes[si].mss, layout, mode,
			(uint32_t)si));
		runs++;
	}
	now = in_use();
	TEST_ASSERT(memcmp(&now, &base, sizeof(now)) == 0,
		"mbufs in use after the case (sf %u chain %u gso hdr %u ref %u "
		"seg %u copy %u), before: %u %u %u %u %u %u", now.n[0],
		now.n[1], now.n[2], now.n[3], now.n[4], now.n[5], base.n[0],
		base.n[1], base.n[2], base.n[3], base.n[4], base.n[5]);
	/* Each size flat where it fits, chained always; three modes. */
	TEST_ASSERT(runs == want && runs == (2 * TEST_NB(sizes) - 1) *
		TEST_NB(modes), "superframes compared: %u", runs);
	return TEST_OK;
}

static int
setup(void)
{
	struct gso_offload_seg_conf conf;

	sf_pool = test_poison_pktmbuf_pool_create("tsf", 16, 0, UINT16_MAX,
			SOCKET_ID_ANY);
	chain_pool = test_poison_pktmbuf_pool_create("tchain", 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	gso_hdr_pool = test_poison_pktmbuf_pool_create("tghdr", 512, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	gso_ref_pool = test_poison_pktmbuf_pool_create("tgref", 512, 0, 0,
			SOCKET_ID_ANY);
	seg_pool = test_poison_seg_pool_create("tseg", 1024,
			GSO_OFFLOAD_MAX_HDR_LEN, SOCKET_ID_ANY);
	copy_pool = test_poison_seg_pool_create("tcopy", 512,
			RTE_MBUF_DEFAULT_DATAROOM, SOCKET_ID_ANY);
	if (sf_pool == NULL || chain_pool == NULL || gso_hdr_pool == NULL ||
			gso_ref_pool == NULL || seg_pool == NULL ||
			copy_pool == NULL)
		return -1;
	conf = (struct gso_offload_seg_conf){ .hdr_pool = seg_pool,
		.ref_pool = seg_pool, .copy_pool = copy_pool };
	engine = gso_offload_seg_create(&conf, SOCKET_ID_ANY);
	return engine == NULL ? -1 : 0;
}

static void
teardown(void)
{
	gso_offload_seg_free(engine);
	rte_mempool_free(sf_pool);
	rte_mempool_free(chain_pool);
	rte_mempool_free(gso_hdr_pool);
	rte_mempool_free(gso_ref_pool);
	rte_mempool_free(seg_pool);
	rte_mempool_free(copy_pool);
}

static const struct test_case cases[] = {
	TEST_CASE_ARG("vxlan_tcp4_udp_csum_0", differential,
		&(const struct tspec){ .tun = TUN_VXLAN, .outer_id = 0x1234,
			.inner_id = 0x4321, .seq = 123456 }),
	TEST_CASE_ARG("vxlan_tcp4_udp_csum", differential,
		&(const struct tspec){ .tun = TUN_VXLAN, .udp_csum = true,
			.outer_id = 0x1234, .inner_id = 0x4321,
			.seq = 123456 }),
	/* VLAN outside and inside, TCP options; both IDs and the
	 * sequence number wrap. */
	TEST_CASE_ARG("vxlan_tcp4_vlans_opts_wrap", differential,
		&(const struct tspec){ .tun = TUN_VXLAN, .outer_vlan = true,
			.inner_vlan = true, .tcp_opts = true,
			.udp_csum = true, .outer_id = 0xfff0,
			.inner_id = 0xffe0, .seq = 0xfffff000 }),
	TEST_CASE_ARG("gre_tcp4", differential,
		&(const struct tspec){ .tun = TUN_GRE, .outer_id = 0x1234,
			.inner_id = 0x4321, .seq = 123456 }),
	TEST_CASE_ARG("gre_tcp4_csum_key", differential,
		&(const struct tspec){ .tun = TUN_GRE, .gre_csum = true,
			.gre_key = true, .outer_id = 0x1234,
			.inner_id = 0x4321, .seq = 123456 }),
	/* gretap: inner Ethernet; VLAN outside, IDs wrap. */
	TEST_CASE_ARG("gretap_tcp4_key_vlan_wrap", differential,
		&(const struct tspec){ .tun = TUN_GRE, .gre_teb = true,
			.gre_key = true, .gre_csum = true,
			.outer_vlan = true, .tcp_opts = true,
			.outer_id = 0xffff, .inner_id = 0xfffe,
			.seq = 0xffffff00 }),
};

int
main(int argc, char **argv)
{
	const struct test_suite suite = {
		.name = "tunnel_rte_gso",
		.setup = setup,
		.teardown = teardown,
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = true,
	};

	return test_suite_run(&suite, argc, argv);
}
