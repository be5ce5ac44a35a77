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

#include "gso_offload.h"
#include "gso_seg_parse.h"
#include "gso_seg_private.h"
#include "test.h"
#include "test_pkt.h"
#include "test_seg_env.h"

#define MAX_OUT 512

/* The pools and engines (tests/test_seg_env.h). */
static struct test_seg_env env;

static struct test_pools_use
in_use(void)
{
	return test_seg_env_in_use(&env);
}

static bool
in_use_back(const struct test_pools_use *base)
{
	return test_seg_env_in_use_back(&env, base);
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
	struct rte_mbuf *m = test_tun_build(env.sf_pool, t);
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
	struct rte_mbuf *m = test_sf_build(env.sf_pool, &s);
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
	m = test_tun_mbufs(env.sf_pool, t, f, len);
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
			struct test_pools_use base = in_use();
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

/* ---- Segmentation ---- */

static struct rte_mbuf *out[MAX_OUT];

static const uint8_t cksum_modes[] = {
	0,                                              /* all in software */
	GSO_OFFLOAD_CKSUM_IP_HW | GSO_OFFLOAD_CKSUM_L4_HW |
		GSO_OFFLOAD_CKSUM_OUTER_IP_HW | GSO_OFFLOAD_CKSUM_OUTER_UDP_HW,
	GSO_OFFLOAD_CKSUM_IP_HW | GSO_OFFLOAD_CKSUM_L4_HW |
		GSO_OFFLOAD_CKSUM_L4_PHDR,              /* outer in software */
	GSO_OFFLOAD_CKSUM_L4_HW | GSO_OFFLOAD_CKSUM_L4_PHDR |
		GSO_OFFLOAD_CKSUM_OUTER_UDP_HW,
};

static const uint8_t buffer_modes[] = {
	GSO_OFFLOAD_BUF_ZEROCOPY, GSO_OFFLOAD_BUF_COPY, GSO_OFFLOAD_BUF_AUTO,
};

/* A multiple of the MSS, one byte more, MSS + 1, 64 KB, and beyond 64 KB
 * (outer and inner length fields 0, a chain). */
static const struct { uint32_t payload; uint16_t mss; } sizes[] = {
	{ 5 * 1000, 1000 },
	{ 5 * 1000 + 1, 1000 },
	{ 1000 + 1, 1000 },
	{ 64000, 1448 },
	{ 100000, 1400 },
};

static void
mark_metadata(struct rte_mbuf *m)
{
	test_seg_env_mark(&env, m);
}

static struct gso_offload_seg_params
tparams(const struct test_tun_spec *t, uint8_t cksum, uint8_t buffers)
{
	return (struct gso_offload_seg_params){
		.mss = t->in.mss,
		.proto = t->in.l4 == IPPROTO_TCP ? GSO_OFFLOAD_SEG_TCP :
			GSO_OFFLOAD_SEG_UDP,
		.cksum = cksum,
		.buffers = buffers,
	};
}

static struct test_tun_check
tcheck(const struct test_tun_spec *t, uint8_t cksum, const uint8_t *orig,
		uint32_t olen)
{
	return (struct test_tun_check){
		.spec = t, .orig = orig, .orig_len = olen, .cksum = cksum,
		.port = 3, .rss = 0xfeedbeef, .dyn_value = 0x0123456789abcdefULL,
		.dyn_offset = env.dyn_offset, .dyn_flag = env.dyn_flag,
	};
}

/* Build, segment (keep: keep_input), verify, free; the pools end where
 * they began and a kept superframe is unchanged. */
static int
tun_segment_verify(struct gso_offload_seg_ctx *eng,
		const struct test_tun_spec *t, uint8_t cksum, uint8_t buffers,
		bool keep)
{
	struct gso_offload_seg_params prm = tparams(t, cksum, buffers);
	struct test_pools_use base = in_use();
	struct rte_mbuf *sf = test_tun_build(env.sf_pool, t);
	struct test_tun_check chk;
	uint8_t *orig, *after;
	uint32_t olen, alen;
	bool ok;
	int n, cnt;

	TEST_ASSERT(sf != NULL, "build");
	mark_metadata(sf);
	orig = test_mbuf_bytes(sf, &olen);
	TEST_ASSERT(orig != NULL, "bytes");
	chk = tcheck(t, cksum, orig, olen);
	prm.keep_input = keep;
	cnt = gso_offload_segment_count(sf, &prm);
	n = gso_offload_segment(eng, sf, &prm, out, MAX_OUT);
	if (n < 0) {
		free(orig);
		rte_pktmbuf_free(sf);
		TEST_ASSERT(false, "segment: %s (tun %d payload %u mss %u "
			"cksum %#x buffers %u layout %u)",
			gso_offload_seg_strerror(n), t->tun, t->in.payload_len,
			t->in.mss, cksum, buffers, t->in.layout);
	}
	ok = test_tun_seg_verify(&chk, out, n);
	rte_pktmbuf_free_bulk(out, n);
	if (keep) {
		after = test_mbuf_bytes(sf, &alen);
		ok = ok && after != NULL && alen == olen &&
			memcmp(after, orig, olen) == 0;
		free(after);
		rte_pktmbuf_free(sf);
	}
	free(orig);
	TEST_ASSERT(ok, "tun %d outer %d inner %d l4 %d payload %u mss %u "
		"cksum %#x buffers %u layout %u keep %d", t->tun, t->outer_l3,
		t->in.l3, t->in.l4, t->in.payload_len, t->in.mss, cksum, buffers,
		t->in.layout, keep);
	TEST_ASSERT_EQ(cnt, n, "count agrees");
	TEST_ASSERT(in_use_back(&base), "mbufs returned (payload %u buffers %u)",
		t->in.payload_len, buffers);
	return TEST_OK;
}

struct seg_combo {
	const struct encap *e;
	int outer_l3, inner_l3, l4;
	char name[64];
};

static struct seg_combo seg_combos[TEST_NB(encaps) * 8];

/* One encapsulation x outer x inner x L4: every size, checksum mode,
 * buffer mode and layout, the header options rotating through the runs
 * (outer and inner options / extension headers, VLAN outside and inside,
 * outer UDP checksum 0 or not, GRE C and K bits, inner UDP/IPv4 without
 * checksum, kept or consumed input, the three engines). */
static int
seg_combo_case(const void *arg)
{
	const struct seg_combo *sc = arg;
	struct gso_offload_seg_ctx *engines[] = { env.engine, env.shared, env.nocache };
	unsigned int run = 0;

	for (size_t si = 0; si < TEST_NB(sizes); si++)
		for (size_t ci = 0; ci < TEST_NB(cksum_modes); ci++)
			for (size_t bi = 0; bi < TEST_NB(buffer_modes); bi++)
				for (int lay = 0; lay < TEST_LAYOUT_NB; lay++, run++) {
					struct test_tun_spec t = tun_spec(sc->e,
						sc->outer_l3, sc->inner_l3, sc->l4);
					unsigned int v = run * 7 + (unsigned int)si;

					t.in.payload_len = sizes[si].payload;
					t.in.mss = sizes[si].mss;
					t.in.layout = lay;
					t.in.seed = run;
					t.outer_opts = v & 1;
					t.in.l3_opts = (v >> 1) & 1;
					t.in.l4_opts = sc->l4 == IPPROTO_TCP &&
						((v >> 2) & 1);
					t.outer_l2 = (enum test_l2)((v >> 1) % TEST_L2_NB);
					if (test_tun_carries_eth(&t))
						t.in.l2 = (v >> 3) & 1 ? TEST_L2_VLAN :
							TEST_L2_ETH;
					t.outer_udp_cksum = ((v >> 2) & 3) != 0;
					if (t.tun == TEST_TUN_GRE) {
						t.gre_cksum = (v >> 2) & 1;
						t.gre_key = (v >> 3) & 1;
					}
					t.in.udp_zero_cksum = sc->l4 == IPPROTO_UDP &&
						(v % 5) == 0;
					t.outer_ip_id = (uint16_t)(0xfffd + run);
					t.udp_sport = (uint16_t)(49152 + run * 37);
					TEST_RUN(tun_segment_verify(engines[run % 3],
						&t, cksum_modes[ci], buffer_modes[bi],
						(run % 11) == 3));
				}
	return TEST_OK;
}

/* A superframe of one segment, made a packet (gso_offload_seg_finalize):
 * the rules of a segment, outer ones included, in place. */
static int
finalize_one_segment(void)
{
	for (size_t e = 0; e < TEST_NB(encaps); e++)
		for (size_t ci = 0; ci < TEST_NB(cksum_modes); ci++)
			for (int v = 0; v < 8; v++) {
				struct test_tun_spec t = tun_spec(&encaps[e],
					v & 1 ? 6 : 4, v & 2 ? 6 : 4,
					v & 4 ? IPPROTO_UDP : IPPROTO_TCP);
				struct gso_offload_seg_params prm =
					tparams(&t, cksum_modes[ci], 0);
				struct test_tun_check chk;
				struct rte_mbuf *m;
				uint8_t *orig;
				uint32_t olen;
				int ret;

				t.in.payload_len = v == 3 ? 0 : 700 + v;
				if (t.in.l4 == IPPROTO_UDP && v == 7)
					t.in.payload_len = 0;
				t.in.layout = v % 3;
				t.outer_udp_cksum = v & 1;
				t.gre_cksum = t.tun == TEST_TUN_GRE && (v & 2);
				t.outer_opts = (v & 3) == 2;
				m = test_tun_build(env.sf_pool, &t);
				TEST_ASSERT(m != NULL, "build");
				mark_metadata(m);
				orig = test_mbuf_bytes(m, &olen);
				chk = tcheck(&t, cksum_modes[ci], orig, olen);
				ret = gso_offload_seg_finalize(m, &prm);
				if (ret == 0 && !test_tun_seg_verify(&chk, &m, 1))
					ret = -1;
				rte_pktmbuf_free(m);
				free(orig);
				TEST_ASSERT_EQ(ret, 0, "%s variant %d cksum %#x: %s",
					encaps[e].name, v, cksum_modes[ci],
					gso_offload_seg_strerror(ret));
			}
	return TEST_OK;
}

/* Every bad input through the segmenter, the count and finalize, on
 * each env.engine (a warm flow cache included): its error, the input
 * untouched, nothing allocated. */
static int
segment_bad_input(void)
{
	struct gso_offload_seg_ctx *engines[] = { env.engine, env.shared, env.nocache };

	for (size_t i = 0; i < TEST_NB(bad_cases); i++) {
		const struct bad_case *c = &bad_cases[i];

		for (int lay = 0; lay < 2; lay++) {
			struct gso_offload_seg_ctx *eng = engines[(i + lay) % 3];
			struct test_tun_spec t;
			struct test_pools_use base;
			struct test_sf_state st;
			struct rte_mbuf *m;
			struct gso_offload_seg_params prm;
			int ret;

			/* Warm the cache with the good superframe of the
			 * same flow first. */
			if (c->want != GSO_OFFLOAD_EHDR || c->mut != NULL) {
				struct test_tun_spec g;
				struct rte_mbuf *gm;
				struct bad_case good = *c;

				good.mut = NULL;
				good.kind = 0;
				gm = bad_build(&good, TEST_LAYOUT_FLAT, &g);
				TEST_ASSERT(gm != NULL, "build");
				prm = tparams(&g, 0, 0);
				ret = gso_offload_segment(eng, gm, &prm, out, MAX_OUT);
				TEST_ASSERT(ret > 0, "%s: the good one: %s", c->name,
					gso_offload_seg_strerror(ret));
				rte_pktmbuf_free_bulk(out, ret);
			}
			m = bad_build(c, lay ? TEST_LAYOUT_SPLIT : TEST_LAYOUT_FLAT,
				&t);
			TEST_ASSERT(m != NULL, "%s: build", c->name);
			prm = tparams(&t, 0, 0);
			if (c->want_l4)
				prm.proto = c->want_l4 == IPPROTO_TCP ?
					GSO_OFFLOAD_SEG_TCP : GSO_OFFLOAD_SEG_UDP;
			test_sf_snapshot(m, &st);
			base = in_use();
			ret = gso_offload_segment(eng, m, &prm, out, MAX_OUT);
			if (ret > 0)
				rte_pktmbuf_free_bulk(out, ret);
			TEST_ASSERT_EQ(ret, -c->want, "%s (layout %d): %s", c->name,
				lay, gso_offload_seg_strerror(ret));
			TEST_ASSERT(test_sf_unchanged(m, &st), "%s: input changed",
				c->name);
			TEST_ASSERT(in_use_back(&base), "%s: nothing allocated",
				c->name);
			ret = gso_offload_segment_count(m, &prm);
			TEST_ASSERT_EQ(ret, -c->want, "%s: count", c->name);
			ret = gso_offload_seg_finalize(m, &prm);
			TEST_ASSERT_EQ(ret, -c->want, "%s: finalize", c->name);
			TEST_ASSERT(test_sf_unchanged(m, &st), "%s: finalize changed it",
				c->name);
			rte_pktmbuf_free(m);
			free(st.bytes);
		}
	}
	return TEST_OK;
}

/* ---- The flow cache ---- */

/*
 * Segment warm with env.shared (its plan is then the one kept), then sf with
 * env.shared and with env.nocache: the same return value and, on success, the
 * same segments. *hit: env.shared reused its kept plan.
 */
static int
flow_vs_cold(struct rte_mbuf *warm, struct rte_mbuf *sf,
		const struct gso_offload_seg_params *prm, bool *hit, int *ret)
{
	static struct rte_mbuf *cold[MAX_OUT];
	struct test_pools_use base = in_use();
	uint64_t hits;
	int n, nc;

	env.shared->flow.misses = 0;
	env.shared->flow.backoff = 0;
	n = gso_offload_segment(env.shared, warm, prm, out, MAX_OUT);
	TEST_ASSERT(n > 0, "warm-up: %s", gso_offload_seg_strerror(n));
	rte_pktmbuf_free_bulk(out, n);
	hits = env.shared->flow.hits;
	n = gso_offload_segment(env.shared, sf, prm, out, MAX_OUT);
	*hit = env.shared->flow.hits != hits;
	nc = gso_offload_segment(env.nocache, sf, prm, cold, MAX_OUT);
	*ret = n;
	if (n > 0 && nc == n) {
		bool same = test_same_segments(out, cold, n);

		rte_pktmbuf_free_bulk(out, n);
		rte_pktmbuf_free_bulk(cold, nc);
		TEST_ASSERT(same, "segments as planned afresh");
	} else {
		if (n > 0)
			rte_pktmbuf_free_bulk(out, n);
		if (nc > 0)
			rte_pktmbuf_free_bulk(cold, nc);
		TEST_ASSERT_EQ(n, nc, "same result as planned afresh (%s)",
			gso_offload_seg_strerror(nc));
	}
	TEST_ASSERT(in_use_back(&base), "mbufs returned");
	return TEST_OK;
}

/* Whether header byte o is in a field every segment rewrites, inner
 * (pl) or outer (ot). */
static bool
rewritten_byte(const struct gso_seg_plan *pl, const struct gso_seg_outer *ot,
		uint32_t o)
{
	const uint32_t l3 = pl->l3_off, l4 = pl->l4_off;
	const uint32_t ol3 = ot->l3_off, ol4 = ot->l4_off;

#define IN(base, off, len) (o >= (base) + (off) && o < (base) + (off) + (len))
	if (pl->is_ipv4 && (IN(l3, 2, 2) || IN(l3, 4, 2) || IN(l3, 10, 2)))
		return true;
	if (!pl->is_ipv4 && IN(l3, 4, 2))
		return true;
	if (pl->is_tcp && (IN(l4, 4, 4) || IN(l4, 13, 1) || IN(l4, 16, 2)))
		return true;
	if (!pl->is_tcp && IN(l4, 4, 4))
		return true;
	if (ot->is_ipv4 && (IN(ol3, 2, 2) || IN(ol3, 4, 2) || IN(ol3, 10, 2)))
		return true;
	if (!ot->is_ipv4 && IN(ol3, 4, 2))
		return true;
	if (ot->udp && IN(ol4, 4, 4))
		return true;
	if (ot->gre_ck && IN(ol4, 4, 2))
		return true;
#undef IN
	return false;
}

/*
 * A tunnel flow keeps its plan: the next superframe of the flow (other
 * lengths, inner and outer IDs, sequence, flags) reuses it and gets what
 * a fresh plan gives; one with any other header byte changed, outer or
 * inner, does not, and still gets what a fresh plan gives (or the same
 * error). Every encapsulation x outer x inner, every header byte flipped
 * two ways, software and port checksums.
 */
static int
flow_cache_tunnel_every_header_byte(void)
{
	static const uint8_t flips[] = { 0x01, 0x80 };
	static const uint8_t modes[] = { 0, GSO_OFFLOAD_CKSUM_IP_HW |
		GSO_OFFLOAD_CKSUM_L4_HW | GSO_OFFLOAD_CKSUM_OUTER_IP_HW |
		GSO_OFFLOAD_CKSUM_OUTER_UDP_HW };
	unsigned int misses = 0, runs = 0;

	for (size_t e = 0; e < TEST_NB(encaps); e++)
	for (int v = 0; v < 4; v++)
	for (size_t mi = 0; mi < TEST_NB(modes); mi++) {
		struct test_tun_spec t1 = tun_spec(&encaps[e], v & 1 ? 6 : 4,
			v & 2 ? 6 : 4, (v + (int)e) & 1 ? IPPROTO_UDP : IPPROTO_TCP);
		struct test_tun_spec t2;
		struct gso_offload_seg_params prm;
		struct rte_mbuf *sf1, *sf2;
		struct gso_seg_plan pl;
		struct gso_seg_outer ot;
		uint32_t hdr_len;
		bool hit;
		int n;

		t1.in.payload_len = 3001;
		t1.in.tcp_flags = RTE_TCP_ACK_FLAG;
		t1.in.seq = 1;
		t1.in.ip_id = 7;
		t1.outer_ip_id = 70;
		t1.outer_opts = v == 3;
		t1.in.l3_opts = v == 2;
		t1.outer_udp_cksum = mi == 0 || v != 1;
		t2 = t1;
		t2.in.payload_len = 4500;
		t2.in.tcp_flags = 0xd9;
		t2.in.seq = 0xfffff000u;
		t2.in.ip_id = 0xfffe;
		t2.outer_ip_id = 0xffff;
		t2.in.seed = 2;
		prm = tparams(&t1, modes[mi], GSO_OFFLOAD_BUF_AUTO);
		prm.keep_input = 1;
		hdr_len = test_tun_hdr_len(&t1);
		sf1 = test_tun_build(env.sf_pool, &t1);
		sf2 = test_tun_build(env.sf_pool, &t2);
		TEST_ASSERT(sf1 != NULL && sf2 != NULL, "build");
		TEST_RUN(flow_vs_cold(sf1, sf2, &prm, &hit, &n));
		TEST_ASSERT(hit && n == 5, "%s v%d: the same flow reuses its plan "
			"(hit %d, %d)", encaps[e].name, v, hit, n);
		pl = env.shared->flow.pl;
		ot = env.shared->flow.outer;
		rte_pktmbuf_free(sf2);

		for (uint32_t o = 0; o < hdr_len; o++)
			for (size_t f = 0; f < TEST_NB(flips); f++) {
				sf2 = test_tun_build(env.sf_pool, &t2);
				TEST_ASSERT(sf2 != NULL, "build");
				rte_pktmbuf_mtod(sf2, uint8_t *)[o] ^= flips[f];
				TEST_RUN(flow_vs_cold(sf1, sf2, &prm, &hit, &n));
				rte_pktmbuf_free(sf2);
				TEST_ASSERT(!hit || rewritten_byte(&pl, &ot, o),
					"%s v%d: byte %u ^ %#x reused the plan",
					encaps[e].name, v, o, flips[f]);
				misses += !hit;
			}
		rte_pktmbuf_free(sf1);
		runs++;
	}
	TEST_ASSERT_EQ(runs, TEST_NB(encaps) * 4 * TEST_NB(modes), "all run");
	TEST_ASSERT(misses > 0, "some flips missed");
	return TEST_OK;
}

/* A plain flow and a tunnel flow with the same inner headers do not
 * share a plan, either way round. */
static int
flow_cache_plain_vs_tunnel(void)
{
	struct test_tun_spec t = tun_spec(&encaps[0], 4, 4, IPPROTO_TCP);
	struct test_sf_spec s = t.in;
	struct gso_offload_seg_params prm = tparams(&t, 0, 0);
	struct rte_mbuf *tf, *pf;
	bool hit;
	int n;

	prm.keep_input = 1;
	tf = test_tun_build(env.sf_pool, &t);
	pf = test_sf_build(env.sf_pool, &s);
	TEST_ASSERT(tf != NULL && pf != NULL, "build");
	TEST_RUN(flow_vs_cold(tf, pf, &prm, &hit, &n));
	TEST_ASSERT(!hit && n == 5, "plain after tunnel: planned afresh");
	TEST_RUN(flow_vs_cold(pf, tf, &prm, &hit, &n));
	TEST_ASSERT(!hit && n == 5, "tunnel after plain: planned afresh");
	/* The same bytes with another kind of tunnel flag: not the flow. */
	tf->ol_flags = (tf->ol_flags & ~RTE_MBUF_F_TX_TUNNEL_MASK) |
		RTE_MBUF_F_TX_TUNNEL_GENEVE;
	TEST_RUN(flow_vs_cold(pf, tf, &prm, &hit, &n));
	rte_pktmbuf_free(tf);
	rte_pktmbuf_free(pf);
	TEST_ASSERT(!hit && n == -GSO_OFFLOAD_EPROTO, "VXLAN bytes, GENEVE flag");
	return TEST_OK;
}

/* ---- Allocation failure, kept input, IDs ---- */

/*
 * An allocation failing at every point a tunnel superframe has, in every
 * builder: ENOMEM, the superframe untouched, every mbuf back.
 */
static int
alloc_failure_at_every_point(void)
{
	static const struct { uint32_t payload; uint16_t mss; int layout;
		uint8_t buffers; } cases[] = {
		{ 64000, 1448, TEST_LAYOUT_FLAT, GSO_OFFLOAD_BUF_ZEROCOPY },
		{ 64000, 1448, TEST_LAYOUT_FLAT, GSO_OFFLOAD_BUF_COPY },
		{ 100000, 1000, TEST_LAYOUT_CHAIN, GSO_OFFLOAD_BUF_ZEROCOPY },
		{ 100000, 1000, TEST_LAYOUT_SPLIT, GSO_OFFLOAD_BUF_COPY },
	};

	for (size_t k = 0; k < TEST_NB(cases); k++)
		for (size_t e = 0; e < TEST_NB(encaps); e++) {
			struct test_tun_spec t = tun_spec(&encaps[e], 6, 4,
				IPPROTO_TCP);
			struct gso_offload_seg_params prm;
			struct rte_mbuf *sf;
			unsigned int points;
			int n;

			t.in.payload_len = cases[k].payload;
			t.in.mss = cases[k].mss;
			t.in.layout = cases[k].layout;
			prm = tparams(&t, 0, cases[k].buffers);
			sf = test_tun_build(env.sf_pool, &t);
			TEST_ASSERT(sf != NULL, "build");
			n = test_seg_fail_each_point(&env, env.engine, sf, &prm,
				out, MAX_OUT, &points);
			TEST_ASSERT(n > 0 && points >= 1, "%s case %zu: %d, %u points",
				encaps[e].name, k, n, points);
			/* Consumed by the call that succeeded. */
			rte_pktmbuf_free_bulk(out, n);
		}
	return TEST_OK;
}

/* The outer ID steps as the inner one: by the caller's stride, or not at
 * all with GSO_OFFLOAD_SEG_F_IPID_FIXED. */
static int
outer_ip_id_policy(void)
{
	struct gso_offload_seg_conf conf = { .hdr_pool = env.hdr_pool,
		.ref_pool = env.ref_pool, .flags = GSO_OFFLOAD_SEG_F_IPID_FIXED };
	struct gso_offload_seg_ctx *fixed = gso_offload_seg_create(&conf, 0);
	struct test_tun_spec t = tun_spec(&encaps[2], 4, 4, IPPROTO_TCP);
	struct gso_offload_seg_params prm = tparams(&t, 0, 0);
	struct rte_mbuf *sf;
	struct test_tun_check chk;
	uint8_t *orig;
	uint32_t olen;
	int n;
	bool ok;

	TEST_ASSERT(fixed != NULL, "env.engine");
	sf = test_tun_build(env.sf_pool, &t);
	orig = test_mbuf_bytes(sf, &olen);
	chk = tcheck(&t, 0, orig, olen);
	chk.ipid_fixed = true;
	chk.dyn_offset = -1;
	chk.dyn_flag = 0;
	n = gso_offload_segment(fixed, sf, &prm, out, MAX_OUT);
	ok = n == 5 && test_tun_seg_verify(&chk, out, n);
	if (n > 0)
		rte_pktmbuf_free_bulk(out, n);
	gso_offload_seg_free(fixed);
	TEST_ASSERT(ok, "IDs fixed, outer and inner (%d)", n);

	/* Stride 3: outer IDs 0xffff, 2, 5, ... */
	sf = test_tun_build(env.sf_pool, &t);
	prm.ip_id_stride = 3;
	n = gso_offload_segment(env.engine, sf, &prm, out, MAX_OUT);
	TEST_ASSERT_EQ(n, 5, "segment");
	for (int i = 0; i < n; i++) {
		const uint8_t *ip = rte_pktmbuf_mtod_offset(out[i],
			const uint8_t *, 14);
		uint16_t id = (uint16_t)(ip[4] << 8 | ip[5]);

		if (id != (uint16_t)(0xffff + 3 * i)) {
			rte_pktmbuf_free_bulk(out, n);
			free(orig);
			TEST_ASSERT(false, "segment %d: outer ID %u", i, id);
		}
	}
	rte_pktmbuf_free_bulk(out, n);
	free(orig);
	return TEST_OK;
}

/* ---- Set-up ---- */

static int
setup(void)
{
	return test_seg_env_setup(&env);
}

int
main(int argc, char **argv)
{
	static const struct test_case fixed_cases[] = {
		TEST_CASE(parse_plain_no_outer),
		TEST_CASE(parse_bad_input),
		TEST_CASE(finalize_one_segment),
		TEST_CASE(segment_bad_input),
		TEST_CASE(flow_cache_tunnel_every_header_byte),
		TEST_CASE(flow_cache_plain_vs_tunnel),
		TEST_CASE(alloc_failure_at_every_point),
		TEST_CASE(outer_ip_id_policy),
	};
	static struct test_case cases[TEST_NB(parse_combos) +
		TEST_NB(seg_combos) + TEST_NB(fixed_cases)];
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
	k = 0;
	for (size_t e = 0; e < TEST_NB(encaps); e++)
		for (int ol3 = 4; ol3 <= 6; ol3 += 2)
			for (int il3 = 4; il3 <= 6; il3 += 2)
				for (int l4 = 0; l4 < 2; l4++) {
					struct seg_combo *sc = &seg_combos[k++];

					sc->e = &encaps[e];
					sc->outer_l3 = ol3;
					sc->inner_l3 = il3;
					sc->l4 = l4 ? IPPROTO_UDP : IPPROTO_TCP;
					snprintf(sc->name, sizeof(sc->name),
						"segment_%s_outer%d_inner%d_%s",
						encaps[e].name, ol3, il3,
						l4 ? "udp" : "tcp");
					cases[n++] = (struct test_case){ sc->name,
						NULL, seg_combo_case, sc };
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
