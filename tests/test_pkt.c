/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

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
		return IP4_LEN + (s->l3_opts ? IP4_OPTS : 0);
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
		if (s->l3_opts)                         /* router alert, NOPs */
			memcpy(p + 20, "\x94\x04\x00\x00\x01\x01\x01\x00", 8);
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

bool
test_seg_verify(const struct test_seg_check *c, struct rte_mbuf **segs,
		unsigned int nb)
{
	const struct test_sf_spec *s = c->spec;
	uint32_t l2 = l2_len_of(s), l3 = l3_len_of(s), l4 = l4_len_of(s);
	uint32_t hdr = l2 + l3 + l4, mss = s->mss;
	/* An empty payload (a pure ACK finalized) is one segment still. */
	uint32_t nseg = RTE_MAX((s->payload_len + mss - 1) / mss, 1u);
	uint8_t f0 = flags_of(s);
	const uint8_t *o = c->orig;
	unsigned int j = 0;
	uint8_t *b = NULL;

	if (nb != nseg)
		FAIL("%u segments, expected %u", nb, nseg);
	for (j = 0; j < nb; j++) {
		const struct rte_mbuf *m = segs[j];
		uint32_t plen = j + 1 == nseg ? s->payload_len - j * mss : mss;
		uint32_t len;
		const uint8_t *ip, *l4h;

		b = test_mbuf_bytes(m, &len);
		if (b == NULL)
			FAIL("out of memory");
		if (len != hdr + plen || m->pkt_len != len)
			FAIL("length %u (pkt_len %u), expected %u", len,
				m->pkt_len, hdr + plen);
		if (!same(b, o, 0, l2))
			FAIL("L2 header changed");
		ip = b + l2;
		l4h = ip + l3;

		if (s->l3 == 4) {
			uint16_t id = c->ipid_fixed ? s->ip_id :
				(uint16_t)(s->ip_id + j);

			if (!same(b, o, l2, l2 + 2) || !same(b, o, l2 + 6, l2 + 10) ||
					!same(b, o, l2 + 12, l2 + l3))
				FAIL("IPv4 header bytes changed beyond length/ID/checksum");
			if (get16(ip + 2) != l3 + l4 + plen)
				FAIL("IPv4 total length %u", get16(ip + 2));
			if (get16(ip + 4) != id)
				FAIL("IPv4 ID %u, expected %u", get16(ip + 4), id);
			if (!c->skip_cksums) {
				if (c->cksum & GSO_OFFLOAD_CKSUM_IP_HW) {
					if (get16(ip + 10) != 0 ||
							!(m->ol_flags & RTE_MBUF_F_TX_IP_CKSUM))
						FAIL("IPv4 checksum not left to the port");
				} else if (test_ref_fold(test_ref_sum(ip, l3, 0)) != 0xffff) {
					FAIL("bad IPv4 header checksum");
				}
			}
		} else {
			if (!same(b, o, l2, l2 + 4) || !same(b, o, l2 + 6, l2 + l3))
				FAIL("IPv6 header bytes changed beyond payload length");
			if (get16(ip + 4) != l3 - IP6_LEN + l4 + plen)
				FAIL("IPv6 payload length %u", get16(ip + 4));
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
				FAIL("TCP header bytes changed beyond seq/flags/checksum");
			if (get32(l4h + 4) != seq)
				FAIL("TCP seq %u, expected %u", get32(l4h + 4), seq);
			if (l4h[13] != want)
				FAIL("TCP flags %#x, expected %#x", l4h[13], want);
		} else {
			if (!same(b, o, l2 + l3, l2 + l3 + 4))
				FAIL("UDP ports changed");
			if (get16(l4h + 4) != UDP_LEN + plen)
				FAIL("UDP length %u", get16(l4h + 4));
		}

		if (!c->skip_cksums) {
			uint16_t field = get16(l4h + (s->l4 == IPPROTO_TCP ? 16 : 6));
			uint32_t l4len = l4 + plen;

			if (s->l4 == IPPROTO_UDP && s->udp_zero_cksum && s->l3 == 4) {
				if (field != 0 || (m->ol_flags & RTE_MBUF_F_TX_L4_MASK))
					FAIL("UDP without checksum got one");
			} else if (c->cksum & GSO_OFFLOAD_CKSUM_L4_HW) {
				uint16_t want = (c->cksum & GSO_OFFLOAD_CKSUM_L4_PHDR) ?
					test_ref_fold(phdr_sum(s, ip, l4len)) : 0;
				uint64_t fl = s->l4 == IPPROTO_TCP ?
					RTE_MBUF_F_TX_TCP_CKSUM : RTE_MBUF_F_TX_UDP_CKSUM;

				if (field != want)
					FAIL("L4 field %#x, expected pseudo-header %#x",
						field, want);
				if ((m->ol_flags & RTE_MBUF_F_TX_L4_MASK) != fl)
					FAIL("L4 checksum offload flag missing");
			} else {
				uint32_t sum = test_ref_sum(l4h, l4len,
						phdr_sum(s, ip, l4len));

				if (test_ref_fold(sum) != 0xffff)
					FAIL("bad L4 checksum %#x", field);
				if (s->l4 == IPPROTO_UDP && field == 0)
					FAIL("UDP checksum 0 must be sent as 0xffff");
			}
		}

		if (memcmp(b + hdr, o + hdr + j * mss, plen) != 0)
			FAIL("payload differs");

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
			if (s->l2 == TEST_L2_HW_VLAN && (!(m->ol_flags &
					RTE_MBUF_F_TX_VLAN) || m->vlan_tci != 0x0123))
				FAIL("VLAN insertion not copied");
			if (s->l2 == TEST_L2_HW_QINQ && (!(m->ol_flags &
					RTE_MBUF_F_TX_QINQ) || m->vlan_tci != 0x0123 ||
					m->vlan_tci_outer != 0x0456))
				FAIL("QinQ insertion not copied");
			if (m->port != c->port || m->hash.rss != c->rss)
				FAIL("port/hash not copied");
			if (c->dyn_offset >= 0 && *RTE_MBUF_DYNFIELD(m,
					c->dyn_offset, uint64_t *) != c->dyn_value)
				FAIL("dynamic field not copied");
			if (c->dyn_flag && !(m->ol_flags & c->dyn_flag))
				FAIL("dynamic flag not copied");
		}
		/* The engine writes header mbufs in whole rows: what the
		 * pool set must still hold (a direct mbuf, its own buffer,
		 * its pool's sizes). */
		if (m->refcnt != 1 || !RTE_MBUF_DIRECT(m) ||
				m->buf_len != rte_pktmbuf_data_room_size(m->pool) ||
				m->priv_size != rte_pktmbuf_priv_size(m->pool) ||
				m->buf_addr != (char *)m + sizeof(*m) + m->priv_size)
			FAIL("segment head mbuf not a plain mbuf of its pool");
		/* References are written in rows too: each still says which
		 * pool it returns to, and points inside the buffer it holds. */
		for (const struct rte_mbuf *r = m->next; r != NULL; r = r->next) {
			const struct rte_mbuf *md = RTE_MBUF_CLONED(r) ?
				rte_mbuf_from_indirect((struct rte_mbuf *)(uintptr_t)r) :
				NULL;

			if (r->pool == NULL || rte_mempool_from_obj((void *)(uintptr_t)r) !=
					r->pool || r->refcnt != 1 ||
					r->data_off + r->data_len > r->buf_len)
				FAIL("segment mbuf not sound (pool, refcnt or bounds)");
			if (md != NULL && (md->buf_addr != r->buf_addr ||
					md->buf_len != r->buf_len ||
					rte_mbuf_refcnt_read(md) == 0))
				FAIL("reference does not match the mbuf it holds");
			if (RTE_MBUF_HAS_EXTBUF(r) && r->priv_size !=
					rte_pktmbuf_priv_size(r->pool))
				FAIL("external-buffer reference lost its private size");
		}
		free(b);
		b = NULL;
	}
	return true;
}
