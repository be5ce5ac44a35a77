/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "gso_offload_segment.h"
#include "test_pkt.h"

#define ETH_LEN   14
#define VLAN_LEN  4
#define IP4_LEN   20
#define IP4_OPTS  8
#define IP6_LEN   40
#define IP6_HBH   8
#define IP6_DOPT  8
#define IP6_SRH   40       /* 8 + two addresses */
#define TCP_LEN   20
#define TCP_OPTS  12       /* NOP NOP timestamps */
#define UDP_LEN   8

static const uint8_t ip6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
static const uint8_t ip6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 };
/* With the segment routing header: the packet is on its way to ip6_mid,
 * its final destination (Segment List[0]) is ip6_final. */
static const uint8_t ip6_mid[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x0a };
static const uint8_t ip6_final[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x0f };

uint32_t
test_ref_sum(const uint8_t *p, uint32_t n, uint32_t sum)
{
	uint64_t s = sum;

	for (uint32_t i = 0; i + 1 < n; i += 2)
		s += (uint32_t)p[i] << 8 | p[i + 1];
	if (n & 1)
		s += (uint32_t)p[n - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (uint32_t)s;
}

uint16_t
test_ref_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static uint32_t
l2_len_of(const struct test_sf_spec *s)
{
	return ETH_LEN + (s->l2 == TEST_L2_VLAN ? VLAN_LEN :
		s->l2 == TEST_L2_QINQ ? 2 * VLAN_LEN : 0);
}

static uint32_t
l3_len_of(const struct test_sf_spec *s)
{
	if (s->l3 == 4)
		return IP4_LEN + (!s->l3_opts ? 0 : s->ip4_opts_len ?
			s->ip4_opts_len : IP4_OPTS);
	return IP6_LEN + (s->l3_opts ? IP6_HBH + IP6_DOPT + IP6_SRH : 0);
}

static uint32_t
l4_len_of(const struct test_sf_spec *s)
{
	if (s->l4 == IPPROTO_UDP)
		return UDP_LEN;
	return TCP_LEN + (s->l4_opts ? TCP_OPTS : 0);
}

uint32_t
test_sf_hdr_len(const struct test_sf_spec *s)
{
	return l2_len_of(s) + l3_len_of(s) + l4_len_of(s);
}

static uint8_t
flags_of(const struct test_sf_spec *s)
{
	return s->tcp_flags ? s->tcp_flags : 0x18; /* ACK | PSH */
}

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = (uint8_t)v;
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, (uint16_t)v);
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

/* The frame as bytes. */
static uint8_t *
frame_bytes(const struct test_sf_spec *s, uint32_t *total)
{
	uint32_t l2 = l2_len_of(s), l3 = l3_len_of(s), l4 = l4_len_of(s);
	uint32_t hdr = l2 + l3 + l4, len = hdr + s->payload_len;
	uint32_t ip_payload = l3 - (s->l3 == 4 ? 0 : IP6_LEN) + l4 + s->payload_len;
	uint8_t *f = calloc(1, len), *p;
	uint32_t x = s->seed * 2654435761u + 12345;

	if (f == NULL)
		return NULL;
	/* L2 */
	memcpy(f, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
	p = f + 12;
	if (s->l2 == TEST_L2_QINQ) {
		put16(p, 0x88a8);
		put16(p + 2, 0x0456);
		p += 4;
	}
	if (s->l2 == TEST_L2_VLAN || s->l2 == TEST_L2_QINQ) {
		put16(p, 0x8100);
		put16(p + 2, 0x0123);
		p += 4;
	}
	put16(p, s->l3 == 4 ? 0x0800 : 0x86dd);
	p += 2;

	/* L3 */
	if (s->l3 == 4) {
		p[0] = 0x40 | (l3 / 4);
		p[1] = 0x2b;                            /* DSCP 10, ECN 3 */
		put16(p + 2, ip_payload > 0xffff ? 0 : (uint16_t)ip_payload);
		put16(p + 4, s->ip_id);
		put16(p + 6, 0x4000);                   /* DF */
		p[8] = 61;
		p[9] = (uint8_t)s->l4;
		memcpy(p + 12, "\xc0\x00\x02\x01\xc6\x33\x64\x02", 8);
		if (s->l3_opts) {       /* router alert, NOPs, end of list */
			memset(p + 20, 0x01, l3 - 20);
			memcpy(p + 20, "\x94\x04\x00\x00", 4);
			p[l3 - 1] = 0x00;
		}
		put16(p + 10, (uint16_t)~test_ref_fold(test_ref_sum(p, l3, 0)));
	} else {
		uint32_t pl = ip_payload - 0;
		uint8_t *e = p + IP6_LEN;

		put32(p, 6u << 28 | 0x2bu << 20 | 0x12345);
		put16(p + 4, pl > 0xffff ? 0 : (uint16_t)pl);
		p[7] = 61;
		memcpy(p + 8, ip6_src, 16);
		memcpy(p + 24, s->l3_opts ? ip6_mid : ip6_dst, 16);
		if (!s->l3_opts) {
			p[6] = (uint8_t)s->l4;
		} else {
			p[6] = 0;                       /* hop-by-hop */
			e[0] = 60;                      /* -> destination options */
			e[1] = 0;
			memcpy(e + 2, "\x01\x04\x00\x00\x00\x00", 6);  /* PadN */
			e += IP6_HBH;
			e[0] = 43;                      /* -> routing */
			e[1] = 0;
			memcpy(e + 2, "\x01\x04\x00\x00\x00\x00", 6);
			e += IP6_DOPT;
			e[0] = (uint8_t)s->l4;
			e[1] = 4;                       /* (40 - 8) / 8 */
			e[2] = 4;                       /* segment routing */
			e[3] = 1;                       /* segments left */
			e[4] = 1;                       /* last entry */
			memcpy(e + 8, ip6_final, 16);   /* Segment List[0] */
			memcpy(e + 24, ip6_mid, 16);    /* Segment List[1] */
		}
	}
	p += l3;

	/* L4 */
	put16(p, 40000);
	put16(p + 2, 5001);
	if (s->l4 == IPPROTO_TCP) {
		put32(p + 4, s->seq);
		put32(p + 8, 0x11223344);
		p[12] = (uint8_t)(l4 / 4) << 4;
		p[13] = flags_of(s);
		put16(p + 14, 0xfff0);
		put16(p + 16, 0xdead);                  /* garbage: recomputed */
		put16(p + 18, (p[13] & 0x20) ? 7 : 0);  /* urgent pointer */
		if (s->l4_opts)
			memcpy(p + 20, "\x01\x01\x08\x0a\xa1\xb2\xc3\xd4\x01\x02\x03\x04", 12);
	} else {
		uint32_t ul = UDP_LEN + s->payload_len;

		put16(p + 4, ul > 0xffff ? 0 : (uint16_t)ul);
		put16(p + 6, s->udp_zero_cksum ? 0 : 0xbeef);
	}
	p += l4;

	for (uint32_t i = 0; i < s->payload_len; i++) {
		x = x * 1103515245u + 12345u;
		p[i] = (uint8_t)(x >> 16);
	}
	*total = len;
	return f;
}

/* Split f into mbufs according to the layout. */
static struct rte_mbuf *
frame_to_mbufs(struct rte_mempool *mp, const uint8_t *f, uint32_t len,
		uint32_t hdr, enum test_layout layout)
{
	static const uint32_t irregular[] = { 1, 777, 1500, 3, 4096, 63, 2000 };
	uint32_t room = rte_pktmbuf_data_room_size(mp) - RTE_PKTMBUF_HEADROOM;
	uint32_t cuts[512], nb = 0, pos = 0, k = 0;
	struct rte_mbuf *head = NULL, *tail = NULL;

	if (layout == TEST_LAYOUT_SPLIT) {
		cuts[nb++] = 7;
		cuts[nb++] = (hdr - 7) / 2;
		cuts[nb++] = hdr - 7 - (hdr - 7) / 2;
		cuts[nb++] = 0;                         /* an empty mbuf */
		pos = hdr;
	} else if (layout == TEST_LAYOUT_CHAIN) {
		cuts[nb++] = hdr;
		pos = hdr;
	}
	while (pos < len) {
		uint32_t want = layout == TEST_LAYOUT_FLAT ? room :
			layout == TEST_LAYOUT_CHAIN ? 1000 :
			irregular[k++ % RTE_DIM(irregular)];
		uint32_t take = RTE_MIN(RTE_MIN(want, room), len - pos);

		if (nb == RTE_DIM(cuts) - 1) {
			/* Fold the rest into big pieces. */
			take = RTE_MIN(room, len - pos);
		}
		cuts[nb++] = take;
		pos += take;
		if (nb == RTE_DIM(cuts) && pos < len)
			return NULL;
	}

	pos = 0;
	for (uint32_t i = 0; i < nb; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(mp);

		if (m == NULL || (cuts[i] != 0 &&
				rte_pktmbuf_append(m, cuts[i]) == NULL)) {
			rte_pktmbuf_free(m);
			rte_pktmbuf_free(head);
			return NULL;
		}
		memcpy(rte_pktmbuf_mtod(m, uint8_t *), f + pos, cuts[i]);
		pos += cuts[i];
		if (head == NULL) {
			head = m;
		} else {
			tail->next = m;
			head->nb_segs++;
			head->pkt_len += m->data_len;
		}
		tail = m;
	}
	return head;
}

struct rte_mbuf *
test_sf_build(struct rte_mempool *mp, const struct test_sf_spec *s)
{
	uint32_t len, hdr = test_sf_hdr_len(s);
	uint8_t *f = frame_bytes(s, &len);
	struct rte_mbuf *m;

	if (f == NULL)
		return NULL;
	m = frame_to_mbufs(mp, f, len, hdr, s->layout);
	free(f);
	if (m == NULL)
		return NULL;
	m->ol_flags = (s->l4 == IPPROTO_TCP ? RTE_MBUF_F_TX_TCP_SEG :
			RTE_MBUF_F_TX_UDP_SEG) |
		(s->l3 == 4 ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6);
	if (s->l2 == TEST_L2_HW_VLAN) {
		m->ol_flags |= RTE_MBUF_F_TX_VLAN;
		m->vlan_tci = 0x0123;
	} else if (s->l2 == TEST_L2_HW_QINQ) {
		m->ol_flags |= RTE_MBUF_F_TX_VLAN | RTE_MBUF_F_TX_QINQ;
		m->vlan_tci = 0x0123;
		m->vlan_tci_outer = 0x0456;
	}
	m->l2_len = l2_len_of(s);
	m->l3_len = l3_len_of(s);
	m->l4_len = l4_len_of(s);
	m->tso_segsz = s->mss;
	m->port = 3;
	m->hash.rss = 0xfeedbeef;
	return m;
}

uint8_t *
test_mbuf_bytes(const struct rte_mbuf *m, uint32_t *len)
{
	uint8_t *b = malloc(m->pkt_len ? m->pkt_len : 1);
	uint32_t off = 0;

	if (b == NULL)
		return NULL;
	for (; m != NULL; m = m->next) {
		memcpy(b + off, rte_pktmbuf_mtod(m, const uint8_t *), m->data_len);
		off += m->data_len;
	}
	*len = off;
	return b;
}

/* ---- Verification ---- */

#define FAIL(...) do {							\
	printf("#   segment %u: ", j);					\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	free(b);							\
	return false;							\
} while (0)

/* Pseudo-header sum for the L4 checksum (final destination for SRH). */
static uint32_t
phdr_sum(const struct test_sf_spec *s, const uint8_t *ip, uint32_t l4_len)
{
	uint32_t sum;

	if (s->l3 == 4) {
		sum = test_ref_sum(ip + 12, 8, 0);
	} else {
		sum = test_ref_sum(ip + 8, 16, 0);
		sum = test_ref_sum(s->l3_opts ? ip6_final : ip6_dst, 16, sum);
	}
	return sum + (uint32_t)s->l4 + (l4_len >> 16) + (l4_len & 0xffff);
}

static bool
same(const uint8_t *a, const uint8_t *b, uint32_t from, uint32_t to)
{
	return to <= from || memcmp(a + from, b + from, to - from) == 0;
}

/*
 * The rules of one segment j's bytes b (len bytes; flags: its ol_flags)
 * against c->orig: lengths, headers, checksums, payload. c->spec says
 * where each header is.
 */
#define BFAIL(...) do {							\
	printf("#   segment %u: ", j);					\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	return false;							\
} while (0)

static bool
seg_bytes_verify(const struct test_seg_check *c, unsigned int j,
		const uint8_t *b, uint32_t len, uint64_t ol_flags)
{
	const struct test_sf_spec *s = c->spec;
	uint32_t l2 = l2_len_of(s), l3 = l3_len_of(s), l4 = l4_len_of(s);
	uint32_t hdr = l2 + l3 + l4, mss = s->mss;
	uint32_t nseg = RTE_MAX((s->payload_len + mss - 1) / mss, 1u);
	uint32_t plen = j + 1 == nseg ? s->payload_len - j * mss : mss;
	uint8_t f0 = flags_of(s);
	const uint8_t *o = c->orig;
	const uint8_t *ip, *l4h;

	if (len != hdr + plen)
		BFAIL("length %u, expected %u", len, hdr + plen);
	if (!same(b, o, 0, l2))
		BFAIL("L2 header changed");
	ip = b + l2;
	l4h = ip + l3;

	if (s->l3 == 4) {
		uint16_t id = c->ipid_fixed ? s->ip_id :
			(uint16_t)(s->ip_id + j);

		if (!same(b, o, l2, l2 + 2) || !same(b, o, l2 + 6, l2 + 10) ||
				!same(b, o, l2 + 12, l2 + l3))
			BFAIL("IPv4 header bytes changed beyond length/ID/checksum");
		if (get16(ip + 2) != l3 + l4 + plen)
			BFAIL("IPv4 total length %u", get16(ip + 2));
		if (get16(ip + 4) != id)
			BFAIL("IPv4 ID %u, expected %u", get16(ip + 4), id);
		if (!c->skip_cksums) {
			if (c->cksum & GSO_OFFLOAD_CKSUM_IP_HW) {
				if (get16(ip + 10) != 0 ||
						!(ol_flags & RTE_MBUF_F_TX_IP_CKSUM))
					BFAIL("IPv4 checksum not left to the port");
			} else if (test_ref_fold(test_ref_sum(ip, l3, 0)) != 0xffff) {
				BFAIL("bad IPv4 header checksum");
			}
		}
	} else {
		if (!same(b, o, l2, l2 + 4) || !same(b, o, l2 + 6, l2 + l3))
			BFAIL("IPv6 header bytes changed beyond payload length");
		if (get16(ip + 4) != l3 - IP6_LEN + l4 + plen)
			BFAIL("IPv6 payload length %u", get16(ip + 4));
	}

	if (s->l4 == IPPROTO_TCP) {
		uint32_t seq = s->seq + j * mss;
		uint8_t want = f0;

		if (j + 1 != nseg)
			want &= ~(0x01 | 0x08);         /* FIN, PSH */
		if (j != 0 && !c->expect_cwr_all)
			want &= ~0x80;                  /* CWR */
		if (!same(b, o, l2 + l3, l2 + l3 + 4) ||
				!same(b, o, l2 + l3 + 8, l2 + l3 + 13) ||
				!same(b, o, l2 + l3 + 14, l2 + l3 + 16) ||
				!same(b, o, l2 + l3 + 18, hdr))
			BFAIL("TCP header bytes changed beyond seq/flags/checksum");
		if (get32(l4h + 4) != seq)
			BFAIL("TCP seq %u, expected %u", get32(l4h + 4), seq);
		if (l4h[13] != want)
			BFAIL("TCP flags %#x, expected %#x", l4h[13], want);
	} else {
		if (!same(b, o, l2 + l3, l2 + l3 + 4))
			BFAIL("UDP ports changed");
		if (get16(l4h + 4) != UDP_LEN + plen)
			BFAIL("UDP length %u", get16(l4h + 4));
	}

	if (!c->skip_cksums) {
		uint16_t field = get16(l4h + (s->l4 == IPPROTO_TCP ? 16 : 6));
		uint32_t l4len = l4 + plen;

		if (s->l4 == IPPROTO_UDP && s->udp_zero_cksum && s->l3 == 4) {
			if (field != 0 || (ol_flags & RTE_MBUF_F_TX_L4_MASK))
				BFAIL("UDP without checksum got one");
		} else if (c->cksum & GSO_OFFLOAD_CKSUM_L4_HW) {
			uint16_t want = (c->cksum & GSO_OFFLOAD_CKSUM_L4_PHDR) ?
				test_ref_fold(phdr_sum(s, ip, l4len)) : 0;
			uint64_t fl = s->l4 == IPPROTO_TCP ?
				RTE_MBUF_F_TX_TCP_CKSUM : RTE_MBUF_F_TX_UDP_CKSUM;

			if (field != want)
				BFAIL("L4 field %#x, expected pseudo-header %#x",
					field, want);
			if ((ol_flags & RTE_MBUF_F_TX_L4_MASK) != fl)
				BFAIL("L4 checksum offload flag missing");
		} else {
			uint32_t sum = test_ref_sum(l4h, l4len,
					phdr_sum(s, ip, l4len));

			if (test_ref_fold(sum) != 0xffff)
				BFAIL("bad L4 checksum %#x", field);
			if (s->l4 == IPPROTO_UDP && field == 0)
				BFAIL("UDP checksum 0 must be sent as 0xffff");
		}
	}

	if (memcmp(b + hdr, o + hdr + j * mss, plen) != 0)
		BFAIL("payload differs");
	return true;
}

/* What every segment's mbufs must be, whatever their bytes: c's
 * metadata copied, a head mbuf of its pool, sound references. */
static bool
seg_mbufs_verify(const struct test_seg_check *c, unsigned int j,
		const struct rte_mbuf *m, enum test_l2 l2)
{
	if (!c->skip_cksums) {
		if (l2 == TEST_L2_HW_VLAN && (!(m->ol_flags &
				RTE_MBUF_F_TX_VLAN) || m->vlan_tci != 0x0123))
			BFAIL("VLAN insertion not copied");
		if (l2 == TEST_L2_HW_QINQ && (!(m->ol_flags &
				RTE_MBUF_F_TX_QINQ) || m->vlan_tci != 0x0123 ||
				m->vlan_tci_outer != 0x0456))
			BFAIL("QinQ insertion not copied");
		if (m->port != c->port || m->hash.rss != c->rss)
			BFAIL("port/hash not copied");
		if (c->dyn_offset >= 0 && *RTE_MBUF_DYNFIELD(m,
				c->dyn_offset, uint64_t *) != c->dyn_value)
			BFAIL("dynamic field not copied");
		if (c->dyn_flag && !(m->ol_flags & c->dyn_flag))
			BFAIL("dynamic flag not copied");
	}
	/* The engine writes header mbufs in whole rows: what the
	 * pool set must still hold (a direct mbuf, its own buffer,
	 * its pool's sizes). Segment 0 may be the superframe itself,
	 * which the other segments' references hold too: its count is
	 * theirs plus its own. */
	if ((j == 0 ? m->refcnt == 0 : m->refcnt != 1) || !RTE_MBUF_DIRECT(m) ||
			m->buf_len != rte_pktmbuf_data_room_size(m->pool) ||
			m->priv_size != rte_pktmbuf_priv_size(m->pool) ||
			m->buf_addr != (char *)m + sizeof(*m) + m->priv_size)
		BFAIL("segment head mbuf not a plain mbuf of its pool");
	/* References are written in rows too: each still says which
	 * pool it returns to, and points inside the buffer it holds. */
	for (const struct rte_mbuf *r = m->next; r != NULL; r = r->next) {
		const struct rte_mbuf *md = RTE_MBUF_CLONED(r) ?
			rte_mbuf_from_indirect((struct rte_mbuf *)(uintptr_t)r) :
			NULL;

		if (r->pool == NULL || rte_mempool_from_obj((void *)(uintptr_t)r) !=
				r->pool || r->refcnt != 1 ||
				r->data_off + r->data_len > r->buf_len)
			BFAIL("segment mbuf not sound (pool, refcnt or bounds)");
		if (md != NULL && (md->buf_addr != r->buf_addr ||
				md->buf_len != r->buf_len ||
				rte_mbuf_refcnt_read(md) == 0))
			BFAIL("reference does not match the mbuf it holds");
		if (RTE_MBUF_HAS_EXTBUF(r) && r->priv_size !=
				rte_pktmbuf_priv_size(r->pool))
			BFAIL("external-buffer reference lost its private size");
	}
	return true;
}

bool
test_seg_verify(const struct test_seg_check *c, struct rte_mbuf **segs,
		unsigned int nb)
{
	const struct test_sf_spec *s = c->spec;
	uint32_t l2 = l2_len_of(s), l3 = l3_len_of(s), l4 = l4_len_of(s);
	uint32_t mss = s->mss;
	/* An empty payload (a pure ACK finalized) is one segment still. */
	uint32_t nseg = RTE_MAX((s->payload_len + mss - 1) / mss, 1u);
	unsigned int j = 0;
	uint8_t *b = NULL;

	if (nb != nseg)
		FAIL("%u segments, expected %u", nb, nseg);
	for (j = 0; j < nb; j++) {
		const struct rte_mbuf *m = segs[j];
		uint32_t len;

		b = test_mbuf_bytes(m, &len);
		if (b == NULL)
			FAIL("out of memory");
		if (m->pkt_len != len)
			FAIL("pkt_len %u, chain holds %u", m->pkt_len, len);
		if (!seg_bytes_verify(c, j, b, len, m->ol_flags))
			FAIL("(bytes)");
		if (!c->skip_cksums) {
			uint64_t fam = s->l3 == 4 ? RTE_MBUF_F_TX_IPV4 :
				RTE_MBUF_F_TX_IPV6;

			if (m->ol_flags & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG))
				FAIL("segmentation flag left on");
			if (!(m->ol_flags & fam))
				FAIL("IPv4/IPv6 flag missing");
			if (m->l2_len != l2 || m->l3_len != l3 || m->l4_len != l4)
				FAIL("l2/l3/l4_len %u/%u/%u", m->l2_len, m->l3_len,
					m->l4_len);
		}
		if (!seg_mbufs_verify(c, j, m, s->l2))
			FAIL("(mbufs)");
		free(b);
		b = NULL;
	}
	return true;
}

/* ---- Tunnels ---- */

#define UDP_HDR    8
#define VXLAN_HDR  8
#define GENEVE_HDR 8
#define GRE_BASE   4

/* The outer IPv6 addresses; with the segment routing header the packet
 * is on its way to o6_mid, its final destination o6_final. */
static const uint8_t o6_src[16] = { 0xfd, 0x00, [14] = 0x0a, [15] = 0x01 };
static const uint8_t o6_dst[16] = { 0xfd, 0x00, [14] = 0x0a, [15] = 0x02 };
static const uint8_t o6_mid[16] = { 0xfd, 0x00, [14] = 0x0a, [15] = 0x0a };
static const uint8_t o6_final[16] = { 0xfd, 0x00, [14] = 0x0a, [15] = 0x0f };

bool
test_tun_carries_eth(const struct test_tun_spec *t)
{
	return t->tun == TEST_TUN_VXLAN || t->tun == TEST_TUN_GENEVE ||
		(t->tun == TEST_TUN_GRE && t->gre_teb);
}

static uint32_t
tun_outer_l2(const struct test_tun_spec *t)
{
	return ETH_LEN + (t->outer_l2 == TEST_L2_VLAN ? VLAN_LEN :
		t->outer_l2 == TEST_L2_QINQ ? 2 * VLAN_LEN : 0);
}

static uint32_t
tun_outer_l3(const struct test_tun_spec *t)
{
	if (t->outer_l3 == 4)
		return IP4_LEN + (t->outer_opts ? IP4_OPTS : 0);
	return IP6_LEN + (t->outer_opts ? IP6_HBH + IP6_DOPT + IP6_SRH : 0);
}

/* The tunnel header proper: outer UDP + VXLAN/GENEVE, or GRE. */
static uint32_t
tun_hdr(const struct test_tun_spec *t)
{
	switch (t->tun) {
	case TEST_TUN_VXLAN:
		return UDP_HDR + VXLAN_HDR;
	case TEST_TUN_GENEVE:
		return UDP_HDR + GENEVE_HDR + 4u * t->geneve_opt_words;
	case TEST_TUN_GRE:
		return GRE_BASE + (t->gre_cksum ? 4 : 0) + (t->gre_key ? 4 : 0);
	default:
		return 0;
	}
}

uint32_t
test_tun_outer_len(const struct test_tun_spec *t)
{
	return tun_outer_l2(t) + tun_outer_l3(t);
}

uint32_t
test_tun_l2_len(const struct test_tun_spec *t)
{
	return tun_hdr(t) + (test_tun_carries_eth(t) ? l2_len_of(&t->in) : 0);
}

uint32_t
test_tun_hdr_len(const struct test_tun_spec *t)
{
	return test_tun_outer_len(t) + test_tun_l2_len(t) + l3_len_of(&t->in) +
		l4_len_of(&t->in);
}

uint8_t *
test_tun_frame(const struct test_tun_spec *t, uint32_t *total)
{
	uint32_t ilen, ol2 = tun_outer_l2(t), ol3 = tun_outer_l3(t);
	uint32_t th = tun_hdr(t), skip, inlen, len, opl;
	uint8_t *inner = frame_bytes(&t->in, &ilen), *f, *p;
	uint8_t proto;

	if (inner == NULL)
		return NULL;
	skip = test_tun_carries_eth(t) ? 0 : l2_len_of(&t->in);
	inlen = ilen - skip;
	len = ol2 + ol3 + th + inlen;
	f = calloc(1, len);
	if (f == NULL) {
		free(inner);
		return NULL;
	}
	/* Outer L2 */
	memcpy(f, "\x02\x00\x00\x00\x00\x0b\x02\x00\x00\x00\x00\x0a", 12);
	p = f + 12;
	if (t->outer_l2 == TEST_L2_QINQ) {
		put16(p, 0x88a8);
		put16(p + 2, 0x0456);
		p += 4;
	}
	if (t->outer_l2 == TEST_L2_VLAN || t->outer_l2 == TEST_L2_QINQ) {
		put16(p, 0x8100);
		put16(p + 2, 0x0123);
		p += 4;
	}
	put16(p, t->outer_l3 == 4 ? 0x0800 : 0x86dd);
	p += 2;

	/* Outer L3 */
	proto = t->tun == TEST_TUN_GRE ? 47 : t->tun == TEST_TUN_IPIP ?
		(t->in.l3 == 4 ? 4 : 41) : 17;
	opl = ol3 - (t->outer_l3 == 4 ? 0 : IP6_LEN) + th + inlen;
	if (t->outer_l3 == 4) {
		p[0] = 0x40 | (ol3 / 4);
		p[1] = 0x00;
		put16(p + 2, opl > 0xffff ? 0 : (uint16_t)opl);
		put16(p + 4, t->outer_ip_id);
		put16(p + 6, 0x4000);                   /* DF */
		p[8] = 64;
		p[9] = proto;
		memcpy(p + 12, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
		if (t->outer_opts)
			memcpy(p + 20, "\x94\x04\x00\x00\x01\x01\x01\x00", 8);
		put16(p + 10, (uint16_t)~test_ref_fold(test_ref_sum(p, ol3, 0)));
	} else {
		uint8_t *e = p + IP6_LEN;

		put32(p, 6u << 28 | 0xabcde);
		put16(p + 4, opl > 0xffff ? 0 : (uint16_t)opl);
		p[7] = 64;
		memcpy(p + 8, o6_src, 16);
		memcpy(p + 24, t->outer_opts ? o6_mid : o6_dst, 16);
		if (!t->outer_opts) {
			p[6] = proto;
		} else {
			p[6] = 0;
			e[0] = 60;
			e[1] = 0;
			memcpy(e + 2, "\x01\x04\x00\x00\x00\x00", 6);
			e += IP6_HBH;
			e[0] = 43;
			e[1] = 0;
			memcpy(e + 2, "\x01\x04\x00\x00\x00\x00", 6);
			e += IP6_DOPT;
			e[0] = proto;
			e[1] = 4;
			e[2] = 4;
			e[3] = 1;
			e[4] = 1;
			memcpy(e + 8, o6_final, 16);
			memcpy(e + 24, o6_mid, 16);
		}
	}
	p += ol3;

	/* Tunnel header */
	uint8_t *tstart = p;

	if (t->tun == TEST_TUN_VXLAN || t->tun == TEST_TUN_GENEVE) {
		uint32_t ul = th + inlen;

		put16(p, t->udp_sport);
		put16(p + 2, t->tun == TEST_TUN_VXLAN ? 4789 : 6081);
		put16(p + 4, ul > 0xffff ? 0 : (uint16_t)ul);
		put16(p + 6, t->outer_udp_cksum ? 0x5aa5 : 0); /* recomputed */
		p += UDP_HDR;
		if (t->tun == TEST_TUN_VXLAN) {
			p[0] = 0x08;                    /* I: VNI valid */
			put32(p + 4, 0x123456u << 8);
		} else {
			p[0] = t->geneve_opt_words & 0x3f;
			put16(p + 2, 0x6558);
			put32(p + 4, 0x654321u << 8);
			if (t->geneve_opt_words > 0) {
				uint8_t *o = p + GENEVE_HDR;

				put16(o, 0x0102);       /* option class */
				o[2] = 0x80;            /* type: critical */
				o[3] = (uint8_t)(t->geneve_opt_words - 1);
				for (uint32_t i = 4; i < 4u * t->geneve_opt_words; i++)
					o[i] = (uint8_t)(0xa0 + i);
			}
		}
	} else if (t->tun == TEST_TUN_GRE) {
		uint8_t *q = p + GRE_BASE;

		put16(p, (t->gre_cksum ? 0x8000 : 0) | (t->gre_key ? 0x2000 : 0));
		put16(p + 2, t->gre_teb ? 0x6558 : t->in.l3 == 4 ? 0x0800 : 0x86dd);
		if (t->gre_cksum) {
			put16(q, 0xdead);               /* recomputed */
			q += 4;
		}
		if (t->gre_key)
			put32(q, 0xc0ffee42);
	}
	p = tstart + th;
	memcpy(p, inner + skip, inlen);
	free(inner);
	*total = len;
	return f;
}

struct rte_mbuf *
test_tun_mbufs(struct rte_mempool *mp, const struct test_tun_spec *t,
		const uint8_t *f, uint32_t len)
{
	static const uint64_t kind[] = {
		[TEST_TUN_VXLAN] = RTE_MBUF_F_TX_TUNNEL_VXLAN,
		[TEST_TUN_GENEVE] = RTE_MBUF_F_TX_TUNNEL_GENEVE,
		[TEST_TUN_GRE] = RTE_MBUF_F_TX_TUNNEL_GRE,
		[TEST_TUN_IPIP] = RTE_MBUF_F_TX_TUNNEL_IPIP,
	};
	struct rte_mbuf *m;

	m = frame_to_mbufs(mp, f, len, RTE_MIN(test_tun_hdr_len(t), len),
			t->in.layout);
	if (m == NULL)
		return NULL;
	m->ol_flags = (t->in.l4 == IPPROTO_TCP ? RTE_MBUF_F_TX_TCP_SEG :
			RTE_MBUF_F_TX_UDP_SEG) |
		(t->in.l3 == 4 ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6) |
		(t->outer_l3 == 4 ? RTE_MBUF_F_TX_OUTER_IPV4 :
			RTE_MBUF_F_TX_OUTER_IPV6) |
		((unsigned int)t->tun < RTE_DIM(kind) ? kind[t->tun] : 0);
	if (t->outer_l2 == TEST_L2_HW_VLAN) {
		m->ol_flags |= RTE_MBUF_F_TX_VLAN;
		m->vlan_tci = 0x0123;
	} else if (t->outer_l2 == TEST_L2_HW_QINQ) {
		m->ol_flags |= RTE_MBUF_F_TX_VLAN | RTE_MBUF_F_TX_QINQ;
		m->vlan_tci = 0x0123;
		m->vlan_tci_outer = 0x0456;
	}
	if (!t->no_meta) {
		m->outer_l2_len = tun_outer_l2(t);
		m->outer_l3_len = tun_outer_l3(t);
		m->l2_len = test_tun_l2_len(t);
		m->l3_len = l3_len_of(&t->in);
		m->l4_len = l4_len_of(&t->in);
	}
	m->tso_segsz = t->in.mss;
	m->port = 3;
	m->hash.rss = 0xfeedbeef;
	return m;
}

struct rte_mbuf *
test_tun_build(struct rte_mempool *mp, const struct test_tun_spec *t)
{
	uint32_t len;
	uint8_t *f = test_tun_frame(t, &len);
	struct rte_mbuf *m;

	if (f == NULL)
		return NULL;
	m = test_tun_mbufs(mp, t, f, len);
	free(f);
	return m;
}

/* The inner frame of a segment (or of the superframe) as a plain frame:
 * from the inner Ethernet header on, or, for a tunnel that carries IP,
 * the inner IP packet behind the Ethernet header test_sf_build() would
 * have written. Malloc'd. */
static uint8_t *
tun_inner_plain(const struct test_tun_spec *t, const uint8_t *b, uint32_t len,
		uint32_t *plain_len)
{
	uint32_t off = test_tun_outer_len(t) + tun_hdr(t);
	uint32_t add = test_tun_carries_eth(t) ? 0 : ETH_LEN;
	uint8_t *p;

	if (len < off)
		return NULL;
	p = malloc(len - off + add);
	if (p == NULL)
		return NULL;
	if (add != 0) {
		memcpy(p, "\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01", 12);
		put16(p + 12, t->in.l3 == 4 ? 0x0800 : 0x86dd);
	}
	memcpy(p + add, b + off, len - off);
	*plain_len = len - off + add;
	return p;
}

/*
 * The segment b as it leaves the port: the inner checksums left to it
 * (GSO_OFFLOAD_CKSUM_IP_HW, L4_HW) written, as the port writes them. The
 * outer UDP and GRE checksums cover them, so they are checked on this.
 */
static void
tun_as_sent(const struct test_tun_spec *t, uint8_t cksum, uint8_t *w,
		uint32_t len)
{
	const struct test_sf_spec *s = &t->in;
	uint32_t ip_off = test_tun_outer_len(t) + test_tun_l2_len(t);
	uint32_t l3 = l3_len_of(s), l4_off = ip_off + l3;
	uint32_t l4len = len - l4_off;
	uint8_t *ip = w + ip_off;

	if (s->l3 == 4 && (cksum & GSO_OFFLOAD_CKSUM_IP_HW)) {
		put16(ip + 10, 0);
		put16(ip + 10, (uint16_t)~test_ref_fold(test_ref_sum(ip, l3, 0)));
	}
	if ((cksum & GSO_OFFLOAD_CKSUM_L4_HW) &&
			!(s->l4 == IPPROTO_UDP && s->udp_zero_cksum && s->l3 == 4)) {
		uint8_t *f = w + l4_off + (s->l4 == IPPROTO_TCP ? 16 : 6);
		uint16_t v;

		put16(f, 0);
		v = (uint16_t)~test_ref_fold(test_ref_sum(w + l4_off, l4len,
				phdr_sum(s, ip, l4len)));
		put16(f, s->l4 == IPPROTO_UDP && v == 0 ? 0xffff : v);
	}
}

#define TFAIL(...) do {							\
	printf("#   segment %u: ", j);					\
	printf(__VA_ARGS__);						\
	printf("\n");							\
	goto fail;							\
} while (0)

bool
test_tun_seg_verify(const struct test_tun_check *c, struct rte_mbuf **segs,
		unsigned int nb)
{
	const struct test_tun_spec *t = c->spec;
	const struct test_sf_spec *s = &t->in;
	const uint32_t ol2 = tun_outer_l2(t), ol3 = tun_outer_l3(t);
	const uint32_t toff = ol2 + ol3, th = tun_hdr(t);
	const uint32_t tl2 = test_tun_l2_len(t), hdr = test_tun_hdr_len(t);
	const uint32_t mss = s->mss;
	const uint32_t nseg = RTE_MAX((s->payload_len + mss - 1) / mss, 1u);
	const uint8_t *o = c->orig;
	const bool udp = t->tun == TEST_TUN_VXLAN || t->tun == TEST_TUN_GENEVE;
	const uint16_t id0 = get16(o + ol2 + 4);
	struct test_seg_check ic = {
		.spec = s, .cksum = c->cksum, .ipid_fixed = c->ipid_fixed,
		.port = c->port, .rss = c->rss, .dyn_value = c->dyn_value,
		.dyn_offset = c->dyn_offset, .dyn_flag = c->dyn_flag,
	};
	uint8_t *oin = NULL, *b = NULL, *bin = NULL, *w = NULL;
	uint32_t oin_len, bin_len;
	unsigned int j = 0;

	oin = tun_inner_plain(t, o, c->orig_len, &oin_len);
	if (oin == NULL)
		TFAIL("superframe shorter than its outer headers");
	ic.orig = oin;
	ic.orig_len = oin_len;
	if (nb != nseg)
		TFAIL("%u segments, expected %u", nb, nseg);
	for (j = 0; j < nb; j++) {
		const struct rte_mbuf *m = segs[j];
		const uint8_t *ip, *th_p;
		uint32_t len, plen = j + 1 == nseg ? s->payload_len - j * mss : mss;
		uint64_t want_fl;

		b = test_mbuf_bytes(m, &len);
		if (b == NULL)
			TFAIL("out of memory");
		if (m->pkt_len != len || len != hdr + plen)
			TFAIL("length %u (pkt_len %u), expected %u", len,
				m->pkt_len, hdr + plen);
		if (!same(b, o, 0, ol2))
			TFAIL("outer L2 changed");
		ip = b + ol2;
		/* The outer sums on the bytes as sent. */
		free(w);
		w = malloc(len);
		if (w == NULL)
			TFAIL("out of memory");
		memcpy(w, b, len);
		tun_as_sent(t, c->cksum, w, len);
		th_p = w + toff;

		/* Outer IP */
		if (t->outer_l3 == 4) {
			uint16_t id = c->ipid_fixed ? id0 : (uint16_t)(id0 + j);

			if (!same(b, o, ol2, ol2 + 2) ||
					!same(b, o, ol2 + 6, ol2 + 10) ||
					!same(b, o, ol2 + 12, toff))
				TFAIL("outer IPv4 bytes changed beyond length/ID/checksum");
			if (get16(ip + 2) != len - ol2)
				TFAIL("outer IPv4 total length %u, expected %u",
					get16(ip + 2), len - ol2);
			if (get16(ip + 4) != id)
				TFAIL("outer IPv4 ID %u, expected %u",
					get16(ip + 4), id);
			if (c->cksum & GSO_OFFLOAD_CKSUM_OUTER_IP_HW) {
				if (get16(ip + 10) != 0 ||
						!(m->ol_flags & RTE_MBUF_F_TX_OUTER_IP_CKSUM))
					TFAIL("outer IPv4 checksum not left to the port");
			} else {
				if (test_ref_fold(test_ref_sum(ip, ol3, 0)) != 0xffff)
					TFAIL("bad outer IPv4 header checksum");
				if (m->ol_flags & RTE_MBUF_F_TX_OUTER_IP_CKSUM)
					TFAIL("outer IPv4 checksum asked of the port");
			}
		} else {
			if (!same(b, o, ol2, ol2 + 4) || !same(b, o, ol2 + 6, toff))
				TFAIL("outer IPv6 bytes changed beyond payload length");
			if (get16(ip + 4) != len - ol2 - IP6_LEN)
				TFAIL("outer IPv6 payload length %u", get16(ip + 4));
		}

		/* Tunnel header */
		if (udp) {
			uint16_t field = get16(th_p + 6);
			uint32_t ulen = len - toff;

			if (!same(b, o, toff, toff + 4))
				TFAIL("outer UDP ports changed");
			if (get16(th_p + 4) != ulen)
				TFAIL("outer UDP length %u, expected %u",
					get16(th_p + 4), ulen);
			if (!same(b, o, toff + UDP_HDR, toff + th))
				TFAIL("VXLAN/GENEVE header changed");
			if (!t->outer_udp_cksum) {
				if (field != 0 || (m->ol_flags &
						RTE_MBUF_F_TX_OUTER_UDP_CKSUM))
					TFAIL("outer UDP checksum 0 not kept 0");
			} else {
				uint32_t ph;

				if (t->outer_l3 == 4) {
					ph = test_ref_sum(ip + 12, 8, 0);
				} else {
					ph = test_ref_sum(ip + 8, 16, 0);
					ph = test_ref_sum(t->outer_opts ? o6_final :
						o6_dst, 16, ph);
				}
				ph += 17 + (ulen >> 16) + (ulen & 0xffff);
				if (c->cksum & GSO_OFFLOAD_CKSUM_OUTER_UDP_HW) {
					if (field != test_ref_fold(ph) ||
							!(m->ol_flags &
							RTE_MBUF_F_TX_OUTER_UDP_CKSUM))
						TFAIL("outer UDP field %#x, expected "
							"pseudo-header %#x and the flag",
							field, test_ref_fold(ph));
				} else {
					if (test_ref_fold(test_ref_sum(th_p, ulen, ph)) !=
							0xffff || field == 0)
						TFAIL("bad outer UDP checksum %#x", field);
					if (m->ol_flags & RTE_MBUF_F_TX_OUTER_UDP_CKSUM)
						TFAIL("outer UDP checksum asked of the port");
				}
			}
		} else if (t->tun == TEST_TUN_GRE) {
			uint32_t kpos = GRE_BASE + (t->gre_cksum ? 4 : 0);

			if (!same(b, o, toff, toff + 4))
				TFAIL("GRE flags/protocol changed");
			if (t->gre_key && !same(b, o, toff + kpos, toff + kpos + 4))
				TFAIL("GRE key changed");
			if (t->gre_cksum) {
				if (test_ref_fold(test_ref_sum(th_p, len - toff, 0)) !=
						0xffff)
					TFAIL("bad GRE checksum %#x", get16(th_p + 4));
				if (get16(th_p + 6) != 0)
					TFAIL("GRE reserved1 not 0");
			}
		}

		/* Inner: the plain rules on the inner frame. */
		bin = tun_inner_plain(t, b, len, &bin_len);
		if (bin == NULL)
			TFAIL("out of memory");
		if (!seg_bytes_verify(&ic, j, bin, bin_len, m->ol_flags))
			TFAIL("(inner bytes)");
		free(bin);
		bin = NULL;

		/* Metadata: DPDK's tunnel convention. */
		want_fl = (udp ? (t->tun == TEST_TUN_VXLAN ?
				RTE_MBUF_F_TX_TUNNEL_VXLAN :
				RTE_MBUF_F_TX_TUNNEL_GENEVE) :
			t->tun == TEST_TUN_GRE ? RTE_MBUF_F_TX_TUNNEL_GRE :
			RTE_MBUF_F_TX_TUNNEL_IPIP) |
			(t->outer_l3 == 4 ? RTE_MBUF_F_TX_OUTER_IPV4 :
				RTE_MBUF_F_TX_OUTER_IPV6) |
			(s->l3 == 4 ? RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6);
		if ((m->ol_flags & want_fl) != want_fl ||
				(m->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK) !=
				(want_fl & RTE_MBUF_F_TX_TUNNEL_MASK))
			TFAIL("tunnel flags %#" PRIx64 ", expected %#" PRIx64,
				m->ol_flags, want_fl);
		if (m->ol_flags & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG))
			TFAIL("segmentation flag left on");
		if (m->outer_l2_len != ol2 || m->outer_l3_len != ol3 ||
				m->l2_len != tl2 || m->l3_len != l3_len_of(s) ||
				m->l4_len != l4_len_of(s))
			TFAIL("outer_l2/outer_l3/l2/l3/l4_len %u/%u/%u/%u/%u",
				m->outer_l2_len, m->outer_l3_len, m->l2_len,
				m->l3_len, m->l4_len);
		if (!seg_mbufs_verify(&ic, j, m, t->outer_l2))
			TFAIL("(mbufs)");
		free(b);
		b = NULL;
	}
	free(oin);
	free(w);
	return true;
fail:
	free(w);
	free(bin);
	free(b);
	free(oin);
	return false;
}
