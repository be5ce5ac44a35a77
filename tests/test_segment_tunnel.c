/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Tunnel superframes (docs/tunnels.md): the header walk (gso_parse()) of
 * every encapsulation over every outer and inner stack, and every error
 * it owes; then software segmentation of each, every segment checked by
 * the independent verifier of tests/test_pkt.c (its own checksums, its
 * own offsets), the input untouched and nothing leaked on every error.
 */

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "gso_offload.h"
#include "gso_seg_parse.h"
#include "gso_seg_private.h"
#include "test.h"
#include "test_pkt.h"
#include "test_poison.h"

#define MAX_OUT 512

static struct rte_mempool *sf_pool, *hdr_pool, *ref_pool;
static struct rte_mempool *lifo_pool, *lifo_copy_pool;
static struct gso_offload_seg_ctx *engine, *shared, *nocache;
static int dyn_offset = -1;
static uint64_t dyn_flag;

/* Mbufs in use, pool by pool. */
struct pools_use {
	unsigned int n[5];
};

static struct pools_use
in_use(void)
{
	return (struct pools_use){ {
		rte_mempool_in_use_count(sf_pool),
		rte_mempool_in_use_count(hdr_pool),
		rte_mempool_in_use_count(ref_pool),
		rte_mempool_in_use_count(lifo_pool),
		rte_mempool_in_use_count(lifo_copy_pool),
	} };
}

static bool
in_use_back(const struct pools_use *base)
{
	struct pools_use now = in_use();

	return memcmp(&now, base, sizeof(now)) == 0;
}

/* ---- The encapsulations ---- */

/* One per row: the tunnel and its header's options. */
struct encap {
	const char *name;
	enum test_tun tun;
	bool gre_teb, gre_cksum, gre_key;
	uint8_t geneve_opt_words;
};

static const struct encap encaps[] = {
	{ "vxlan", TEST_TUN_VXLAN, false, false, false, 0 },
	{ "geneve", TEST_TUN_GENEVE, false, false, false, 3 },
	{ "gre", TEST_TUN_GRE, false, true, true, 0 },
	{ "gretap", TEST_TUN_GRE, true, false, true, 0 },
	{ "ipip", TEST_TUN_IPIP, false, false, false, 0 },
};

static struct test_tun_spec
tun_spec(const struct encap *e, int outer_l3, int inner_l3, int l4)
{
	return (struct test_tun_spec){
		.in = {
			.l2 = TEST_L2_ETH, .l3 = inner_l3, .l4 = l4,
			.payload_len = 5000, .mss = 1000,
			.tcp_flags = 0xf9, .seq = 0xfffff000u,
			.ip_id = 0xfffe,
		},
		.tun = e->tun,
		.outer_l2 = TEST_L2_ETH,
		.outer_l3 = outer_l3,
		.gre_teb = e->gre_teb,
		.gre_cksum = e->gre_cksum,
		.gre_key = e->gre_key,
		.geneve_opt_words = e->geneve_opt_words,
		.outer_ip_id = 0xffff,
		.udp_sport = 54321,
		.outer_udp_cksum = true,
	};
}

static uint8_t
tun_code(enum test_tun t)
{
	switch (t) {
	case TEST_TUN_VXLAN: return GSO_TUN_VXLAN;
	case TEST_TUN_GENEVE: return GSO_TUN_GENEVE;
	case TEST_TUN_GRE: return GSO_TUN_GRE;
	default: return GSO_TUN_IPIP;
	}
}

static int parse_check(const struct test_tun_spec *t,
		const struct gso_hdrs *hp, int ret);

/* gso_parse() of t's superframe: every field of struct gso_hdrs. */
static int
parse_one(const struct test_tun_spec *t)
{
	struct rte_mbuf *m = test_tun_build(sf_pool, t);
	uint8_t buf[GSO_OFFLOAD_MAX_HDR_LEN];
	const struct test_sf_spec *s = &t->in;
	struct gso_hdrs h;
	int ret;

	TEST_ASSERT(m != NULL, "build");
	memset(&h, 0xa5, sizeof(h));
	ret = gso_parse(m, s->l4, buf, &h);
	ret = parse_check(t, &h, ret);
	rte_pktmbuf_free(m);
	return ret;
}

/* h, parsed (ret) from t's superframe, still in its mbufs (h.hdr may
 * point into them). */
static int
parse_check(const struct test_tun_spec *t, const struct gso_hdrs *hp, int ret)
{
	const struct test_sf_spec *s = &t->in;
	uint32_t ol = test_tun_outer_len(t), tl2 = test_tun_l2_len(t);
	uint32_t hdr = test_tun_hdr_len(t);
	const struct gso_hdrs h = *hp;

	TEST_ASSERT_EQ(ret, 0, "%s", gso_offload_seg_strerror(ret));
	TEST_ASSERT_EQ(h.tun, tun_code(t->tun), "kind");
	TEST_ASSERT_EQ(h.outer_is_ipv4, t->outer_l3 == 4, "outer family");
	TEST_ASSERT_EQ(h.outer_l3_variant, t->outer_l3 == 4 ?
		(t->outer_opts ? GSO_L3_IPV4_OPT : GSO_L3_IPV4) :
		(t->outer_opts ? GSO_L3_IPV6_EXT : GSO_L3_IPV6), "outer variant");
	TEST_ASSERT_EQ(h.outer_l2_len + h.outer_l3_len, ol, "outer lengths");
	TEST_ASSERT_EQ(h.outer_l3_len, t->outer_l3 == 4 ?
		20 + (t->outer_opts ? 8 : 0) : 40 + (t->outer_opts ? 56 : 0),
		"outer_l3_len");
	TEST_ASSERT_EQ(h.tun_l2_len, tl2, "tun_l2_len");
	TEST_ASSERT_EQ(h.tun_hdr_len, tl2 - (test_tun_carries_eth(t) ?
		14u + (s->l2 == TEST_L2_VLAN ? 4 : s->l2 == TEST_L2_QINQ ? 8 : 0) :
		0), "tun_hdr_len");
	TEST_ASSERT_EQ(h.l2_len, ol + tl2, "l2_len: offset of the inner L3");
	TEST_ASSERT_EQ(h.hdr_len, hdr, "hdr_len");
	TEST_ASSERT_EQ(h.is_ipv4, s->l3 == 4, "inner family");
	TEST_ASSERT_EQ(h.l3_variant, s->l3 == 4 ?
		(s->l3_opts ? GSO_L3_IPV4_OPT : GSO_L3_IPV4) :
		(s->l3_opts ? GSO_L3_IPV6_EXT : GSO_L3_IPV6), "inner variant");
	TEST_ASSERT_EQ(h.l4_proto, s->l4, "inner L4");
	TEST_ASSERT_EQ(h.l4_len, s->l4 == IPPROTO_UDP ? 8 :
		20 + (s->l4_opts ? 12 : 0), "l4_len");
	TEST_ASSERT_EQ(h.payload_len, s->payload_len, "payload");
	TEST_ASSERT_EQ(h.outer_udp_cksum, (t->tun == TEST_TUN_VXLAN ||
		t->tun == TEST_TUN_GENEVE) && t->outer_udp_cksum, "outer UDP cksum");
	TEST_ASSERT_EQ(h.gre_cksum, t->tun == TEST_TUN_GRE && t->gre_cksum,
		"GRE C bit");
	/* The pseudo-header destinations: the final one of a segment
	 * routing header (outer, o6_final; inner, ip6_final: ...0f). */
	TEST_ASSERT_EQ(h.hdr[h.phdr_dst_off + (s->l3 == 4 ? 3 : 15)],
		s->l3 == 4 ? 0x02 : s->l3_opts ? 0x0f : 0x02, "inner phdr dst");
	TEST_ASSERT_EQ(h.hdr[h.outer_phdr_dst_off + (t->outer_l3 == 4 ? 3 : 15)],
		t->outer_l3 == 4 ? 0x02 : t->outer_opts ? 0x0f : 0x02,
		"outer phdr dst");
	return TEST_OK;
}

struct parse_combo {
	const struct encap *e;
	int outer_l3, inner_l3, l4;
	char name[64];
};

static struct parse_combo parse_combos[TEST_NB(encaps) * 8];

/* Every encapsulation x outer x inner x L4, each with options and
 * extension headers outside and inside, VLANs outside and inside, both
 * outer UDP checksum states, GRE with and without its C and K bits, flat
 * and with the headers split over mbufs. */
static int
parse_combo_case(const void *arg)
{
	const struct parse_combo *pc = arg;

	for (int v = 0; v < 16; v++) {
		struct test_tun_spec t = tun_spec(pc->e, pc->outer_l3,
				pc->inner_l3, pc->l4);

		t.outer_opts = v & 1;
		t.in.l3_opts = (v >> 1) & 1;
		t.in.l4_opts = pc->l4 == IPPROTO_TCP && ((v >> 2) & 1);
		t.outer_l2 = (v >> 2) & 1 ? TEST_L2_QINQ : (v >> 3) & 1 ?
			TEST_L2_VLAN : TEST_L2_ETH;
		if (test_tun_carries_eth(&t))
			t.in.l2 = (v >> 3) & 1 ? TEST_L2_VLAN : TEST_L2_ETH;
		t.outer_udp_cksum = (v >> 1) & 1;
		if (t.tun == TEST_TUN_GRE) {
			t.gre_cksum = v & 2;
			t.gre_key = v & 4;
		}
		t.in.layout = v & 8 ? TEST_LAYOUT_SPLIT : TEST_LAYOUT_FLAT;
		t.no_meta = v & 1;
		if (parse_one(&t) != TEST_OK) {
			printf("#   variant %d\n", v);
			return TEST_FAIL;
		}
	}
	return TEST_OK;
}

/* A plain frame still parses as before: no outer layer. */
static int
parse_plain_no_outer(void)
{
	struct test_sf_spec s = {
		.l2 = TEST_L2_VLAN, .l3 = 6, .l3_opts = true, .l4 = IPPROTO_TCP,
		.payload_len = 3000, .mss = 1000,
	};
	struct rte_mbuf *m = test_sf_build(sf_pool, &s);
	uint8_t buf[GSO_OFFLOAD_MAX_HDR_LEN];
	struct gso_hdrs h;
	int ret;

	TEST_ASSERT(m != NULL, "build");
	memset(&h, 0xa5, sizeof(h));
	ret = gso_parse(m, IPPROTO_TCP, buf, &h);
	rte_pktmbuf_free(m);
	TEST_ASSERT_EQ(ret, 0, "parse");
	TEST_ASSERT(h.tun == GSO_TUN_NONE && h.outer_is_ipv4 == 0 &&
		h.outer_l3_variant == 0 && h.outer_udp_cksum == 0 &&
		h.gre_cksum == 0 && h.outer_l2_len == 0 && h.outer_l3_len == 0 &&
		h.tun_l2_len == 0 && h.tun_hdr_len == 0 &&
		h.outer_phdr_dst_off == 0, "outer fields zero");
	TEST_ASSERT_EQ(h.l2_len, 18, "l2_len");
	TEST_ASSERT_EQ(h.payload_len, 3000, "payload");
	return TEST_OK;
}

/* ---- Bad input ---- */

/* Offsets in t's frame: the outer L3 header, the tunnel (outer L4)
 * header, the inner L3 header. */
static uint32_t o_l3(const struct test_tun_spec *t)
{ return test_tun_outer_len(t) - (t->outer_l3 == 4 ?
	20u + (t->outer_opts ? 8 : 0) : 40u + (t->outer_opts ? 56 : 0)); }
static uint32_t o_tun(const struct test_tun_spec *t)
{ return test_tun_outer_len(t); }
static uint32_t o_in(const struct test_tun_spec *t)
{ return test_tun_outer_len(t) + test_tun_l2_len(t); }

static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = (uint8_t)v; }
static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

typedef void (*tmut_fn)(uint8_t *f, uint32_t *len, const struct test_tun_spec *t);

static void mu_gre_seq(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); f[o_tun(t)] |= 0x10; }
static void mu_gre_ver(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); f[o_tun(t) + 1] |= 0x01; }
static void mu_gre_routing(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); f[o_tun(t)] |= 0x40; }
static void mu_gre_ppp(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); put16(f + o_tun(t) + 2, 0x880b); }
static void mu_geneve_ipv4(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); put16(f + o_tun(t) + 8 + 2, 0x0800); }
static void mu_geneve_ver(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); f[o_tun(t) + 8] |= 0x40; }
/* The outer IPv4 protocol (these frames have no outer options). */
static void mu_oproto_gre(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); f[o_l3(t) + 9] = 47; }
static void mu_oproto_udp(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); f[o_l3(t) + 9] = 17; }
static void mu_omf(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); f[o_l3(t) + 6] |= 0x20; }
static void mu_ofragoff(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); f[o_l3(t) + 7] = 0x10; }
/* Outer IPv6 without extension headers: next header 44. */
static void mu_o6frag(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); f[o_l3(t) + 6] = 44; }
static void mu_imf(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); f[o_in(t) + 6] |= 0x20; }
static void mu_i6frag(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); f[o_in(t) + 6] = 44; }
static void mu_cut_tun(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(f); *len = o_tun(t) + 6; }
static void mu_cut_inner_l2(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(f); *len = o_in(t) - 4; }
static void mu_cut_inner(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(f); *len = test_tun_hdr_len(t) - 3; }
static void mu_oudp_len_less(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); put16(f + o_tun(t) + 4, get16(f + o_tun(t) + 4) - 1); }
static void mu_oudp_len_more(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); put16(f + o_tun(t) + 4, get16(f + o_tun(t) + 4) + 1); }
static void mu_olen_big(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); put16(f + o_l3(t) + 2, 0xfff0); }
/* Outer IPv4 length short by 4 (and the UDP length with it, so only
 * the inner length disagrees with the outer). */
static void mu_olen_short(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{
	RTE_SET_USED(len);
	put16(f + o_l3(t) + 2, get16(f + o_l3(t) + 2) - 4);
	if (t->tun == TEST_TUN_VXLAN || t->tun == TEST_TUN_GENEVE)
		put16(f + o_tun(t) + 4, get16(f + o_tun(t) + 4) - 4);
}
static void mu_ilen_less(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{
	uint32_t o = o_in(t) + (t->in.l3 == 4 ? 2 : 4);

	RTE_SET_USED(len);
	put16(f + o, get16(f + o) - 2);
}
static void mu_ilen_more(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{
	uint32_t o = o_in(t) + (t->in.l3 == 4 ? 2 : 4);

	RTE_SET_USED(len);
	put16(f + o, get16(f + o) + 2);
}
static void mu_inner_arp(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); put16(f + o_in(t) - 2, 0x0806); }
/* GRE says IPv6, an IPv4 header follows. */
static void mu_gre_says_v6(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); put16(f + o_tun(t) + 2, 0x86dd); }
static void mu_inner_syn(uint8_t *f, uint32_t *len, const struct test_tun_spec *t)
{ RTE_SET_USED(len); f[o_in(t) + 20 + 13] |= 0x02; }

struct bad_case {
	const char *name;
	const struct encap *e;
	int outer_l3, inner_l3, l4;
	tmut_fn mut;
	uint64_t kind;          /* tunnel field to set instead, 0: keep */
	int want_l4;            /* L4 asked for, 0: the frame's */
	uint8_t geneve_words;   /* GENEVE options, 0: the encap's */
	bool outer_opts;
	int want;
};

static const struct encap *const E_VXLAN = &encaps[0];
static const struct encap *const E_GENEVE = &encaps[1];
static const struct encap *const E_GRE = &encaps[2];
static const struct encap *const E_GRETAP = &encaps[3];
static const struct encap *const E_IPIP = &encaps[4];

#define T IPPROTO_TCP
#define U IPPROTO_UDP
static const struct bad_case bad_cases[] = {
	{ "GRE sequence bit", E_GRE, 4, 4, T, mu_gre_seq, 0, 0, 0, false, GSO_OFFLOAD_EPROTO },
	{ "GRE version 1", E_GRETAP, 6, 4, T, mu_gre_ver, 0, 0, 0, false, GSO_OFFLOAD_EPROTO },
	{ "GRE routing bit", E_GRE, 4, 6, U, mu_gre_routing, 0, 0, 0, false, GSO_OFFLOAD_EPROTO },
	{ "GRE protocol PPP", E_GRE, 4, 4, T, mu_gre_ppp, 0, 0, 0, false, GSO_OFFLOAD_EPROTO },
	{ "GENEVE protocol IPv4", E_GENEVE, 4, 4, T, mu_geneve_ipv4, 0, 0, 0, false, GSO_OFFLOAD_EPROTO },
	{ "GENEVE version 1", E_GENEVE, 6, 6, U, mu_geneve_ver, 0, 0, 0, false, GSO_OFFLOAD_EPROTO },
	{ "VXLAN flag, outer GRE", E_VXLAN, 4, 4, T, mu_oproto_gre, 0, 0, 0, false, GSO_OFFLOAD_EPROTO },
	{ "GRE flag, outer UDP", E_VXLAN, 4, 4, T, NULL, RTE_MBUF_F_TX_TUNNEL_GRE, 0, 0, false, GSO_OFFLOAD_EPROTO },
	{ "IPIP flag, outer UDP", E_IPIP, 4, 4, T, mu_oproto_udp, 0, 0, 0, false, GSO_OFFLOAD_EPROTO },
	{ "VXLAN flag, outer IPIP", E_IPIP, 4, 6, T, NULL, RTE_MBUF_F_TX_TUNNEL_VXLAN, 0, 0, false, GSO_OFFLOAD_EPROTO },
	{ "VXLAN and GENEVE flags", E_VXLAN, 4, 4, T, NULL, RTE_MBUF_F_TX_TUNNEL_VXLAN | RTE_MBUF_F_TX_TUNNEL_GENEVE, 0, 0, false, GSO_OFFLOAD_EPROTO },
	{ "generic UDP tunnel flag", E_VXLAN, 4, 4, T, NULL, RTE_MBUF_F_TX_TUNNEL_UDP, 0, 0, false, GSO_OFFLOAD_EPROTO },
	{ "inner TCP, UDP asked", E_VXLAN, 6, 4, T, NULL, 0, U, 0, false, GSO_OFFLOAD_EPROTO },
	{ "inner UDP, TCP asked", E_IPIP, 6, 6, U, NULL, 0, T, 0, false, GSO_OFFLOAD_EPROTO },
	{ "outer IPv4 more-fragments", E_VXLAN, 4, 4, T, mu_omf, 0, 0, 0, false, GSO_OFFLOAD_EFRAG },
	{ "outer IPv4 fragment offset", E_GRE, 4, 6, T, mu_ofragoff, 0, 0, 0, false, GSO_OFFLOAD_EFRAG },
	{ "outer IPv6 fragment header", E_GENEVE, 6, 4, U, mu_o6frag, 0, 0, 0, false, GSO_OFFLOAD_EFRAG },
	{ "inner IPv4 more-fragments", E_GRETAP, 6, 4, T, mu_imf, 0, 0, 0, false, GSO_OFFLOAD_EFRAG },
	{ "inner IPv6 fragment header", E_IPIP, 4, 6, T, mu_i6frag, 0, 0, 0, false, GSO_OFFLOAD_EFRAG },
	{ "tunnel header cut", E_VXLAN, 4, 4, T, mu_cut_tun, 0, 0, 0, false, GSO_OFFLOAD_EHDR },
	{ "inner Ethernet cut", E_GENEVE, 6, 6, T, mu_cut_inner_l2, 0, 0, 0, false, GSO_OFFLOAD_EHDR },
	{ "inner headers cut", E_GRE, 6, 6, T, mu_cut_inner, 0, 0, 0, false, GSO_OFFLOAD_EHDR },
	{ "inner headers cut (IPIP)", E_IPIP, 4, 4, U, mu_cut_inner, 0, 0, 0, false, GSO_OFFLOAD_EHDR },
	{ "stack beyond 384 bytes", E_GENEVE, 6, 6, T, NULL, 0, 0, 63, true, GSO_OFFLOAD_EHDR },
	{ "inner SYN", E_VXLAN, 4, 4, T, mu_inner_syn, 0, 0, 0, false, GSO_OFFLOAD_EHDR },
	{ "GRE says IPv6, IPv4 inside", E_GRE, 4, 4, T, mu_gre_says_v6, 0, 0, 0, false, GSO_OFFLOAD_EHDR },
	{ "inner ARP", E_VXLAN, 4, 4, T, mu_inner_arp, 0, 0, 0, false, GSO_OFFLOAD_ENOTIP },
	{ "outer UDP length short", E_VXLAN, 4, 4, T, mu_oudp_len_less, 0, 0, 0, false, GSO_OFFLOAD_ELEN },
	{ "outer UDP length long", E_GENEVE, 6, 4, U, mu_oudp_len_more, 0, 0, 0, false, GSO_OFFLOAD_ELEN },
	{ "outer IPv4 length beyond frame", E_GRETAP, 4, 6, T, mu_olen_big, 0, 0, 0, false, GSO_OFFLOAD_ELEN },
	{ "outer shorter than inner (VXLAN)", E_VXLAN, 4, 4, T, mu_olen_short, 0, 0, 0, false, GSO_OFFLOAD_ELEN },
	{ "outer shorter than inner (IPIP)", E_IPIP, 4, 6, U, mu_olen_short, 0, 0, 0, false, GSO_OFFLOAD_ELEN },
	{ "inner IP length short", E_GRE, 6, 4, T, mu_ilen_less, 0, 0, 0, false, GSO_OFFLOAD_ELEN },
	{ "inner IP length long", E_VXLAN, 6, 6, T, mu_ilen_more, 0, 0, 0, false, GSO_OFFLOAD_ELEN },
};
#undef T
#undef U

/* c's superframe, mutated, in mbufs of the given layout. */
static struct rte_mbuf *
bad_build(const struct bad_case *c, enum test_layout layout,
		struct test_tun_spec *t)
{
	struct rte_mbuf *m;
	uint8_t *f;
	uint32_t len;

	*t = tun_spec(c->e, c->outer_l3, c->inner_l3, c->l4);
	t->in.layout = layout;
	t->outer_opts = c->outer_opts;
	if (c->geneve_words)
		t->geneve_opt_words = c->geneve_words;
	if (c->geneve_words || c->outer_opts) {
		t->in.l3_opts = true;
		t->in.l4_opts = true;
	}
	f = test_tun_frame(t, &len);
	if (f == NULL)
		return NULL;
	if (c->mut != NULL)
		c->mut(f, &len, t);
	m = test_tun_mbufs(sf_pool, t, f, len);
	free(f);
	if (m != NULL && c->kind != 0)
		m->ol_flags = (m->ol_flags & ~RTE_MBUF_F_TX_TUNNEL_MASK) | c->kind;
	return m;
}

static int
parse_bad_input(void)
{
	for (size_t i = 0; i < TEST_NB(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];

		for (int lay = 0; lay < 2; lay++) {
			uint8_t buf[GSO_OFFLOAD_MAX_HDR_LEN];
			struct pools_use base = in_use();
			struct test_tun_spec t;
			struct rte_mbuf *m = bad_build(c, lay ? TEST_LAYOUT_SPLIT :
					TEST_LAYOUT_FLAT, &t);
			struct gso_hdrs h;
			int ret;

			TEST_ASSERT(m != NULL, "%s: build", c->name);
			ret = gso_parse(m, c->want_l4 ? c->want_l4 : c->l4, buf, &h);
			rte_pktmbuf_free(m);
			TEST_ASSERT_EQ(ret, -c->want, "%s (layout %d): %s", c->name,
				lay, gso_offload_seg_strerror(ret));
			TEST_ASSERT(in_use_back(&base), "%s: pools", c->name);
		}
	}
	return TEST_OK;
}

/* ---- Set-up ---- */

static int
setup(void)
{
	static const struct rte_mbuf_dynfield df = {
		.name = "gso_test_dynfield", .size = sizeof(uint64_t),
		.align = __alignof__(uint64_t),
	};
	static const struct rte_mbuf_dynflag dfl = { .name = "gso_test_dynflag" };
	struct gso_offload_seg_conf conf;
	int bit;

	sf_pool = test_poison_pktmbuf_pool_create("sf", 2048, 0, UINT16_MAX,
			SOCKET_ID_ANY);
	hdr_pool = test_poison_pktmbuf_pool_create("hdr", 16384, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	ref_pool = test_poison_pktmbuf_pool_create("ref", 16384, 0, 0,
			SOCKET_ID_ANY);
	if (sf_pool == NULL || hdr_pool == NULL || ref_pool == NULL)
		return -1;
	conf = (struct gso_offload_seg_conf){ .hdr_pool = hdr_pool,
		.ref_pool = ref_pool };
	engine = gso_offload_seg_create(&conf, 0);
	lifo_pool = gso_offload_seg_pool_create("lifo", 16384,
			GSO_OFFLOAD_MAX_HDR_LEN, 0);
	lifo_copy_pool = gso_offload_seg_pool_create("lifo_copy", 8192,
			RTE_MBUF_DEFAULT_DATAROOM, 0);
	if (lifo_pool == NULL || lifo_copy_pool == NULL)
		return -1;
	conf = (struct gso_offload_seg_conf){ .hdr_pool = lifo_pool,
		.ref_pool = lifo_pool, .copy_pool = lifo_copy_pool };
	shared = gso_offload_seg_create(&conf, 0);
	conf.flags = GSO_OFFLOAD_SEG_F_NO_FLOW_CACHE;
	nocache = gso_offload_seg_create(&conf, 0);
	if (engine == NULL || shared == NULL || nocache == NULL)
		return -1;
	dyn_offset = rte_mbuf_dynfield_register(&df);
	bit = rte_mbuf_dynflag_register(&dfl);
	if (dyn_offset < 0 || bit < 0)
		return -1;
	dyn_flag = 1ULL << bit;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct test_case fixed_cases[] = {
		TEST_CASE(parse_plain_no_outer),
		TEST_CASE(parse_bad_input),
	};
	static struct test_case cases[TEST_NB(parse_combos) +
		TEST_NB(fixed_cases)];
	unsigned int n = 0, k = 0;

	for (size_t e = 0; e < TEST_NB(encaps); e++)
		for (int ol3 = 4; ol3 <= 6; ol3 += 2)
			for (int il3 = 4; il3 <= 6; il3 += 2)
				for (int l4 = 0; l4 < 2; l4++) {
					struct parse_combo *pc = &parse_combos[k++];

					pc->e = &encaps[e];
					pc->outer_l3 = ol3;
					pc->inner_l3 = il3;
					pc->l4 = l4 ? IPPROTO_UDP : IPPROTO_TCP;
					snprintf(pc->name, sizeof(pc->name),
						"parse_%s_outer%d_inner%d_%s",
						encaps[e].name, ol3, il3,
						l4 ? "udp" : "tcp");
					cases[n++] = (struct test_case){ pc->name,
						NULL, parse_combo_case, pc };
				}
	for (size_t i = 0; i < TEST_NB(fixed_cases); i++)
		cases[n++] = fixed_cases[i];

	const struct test_suite suite = {
		.name = "segment_tunnel",
		.setup = setup,
		.cases = cases,
		.nb_cases = n,
		.need_eal = true,
	};
	return test_suite_run(&suite, argc, argv);
}
