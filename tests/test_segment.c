/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * The software segmentation engine, checked by an independent verifier
 * (tests/test_pkt.c): every L2 x L3 x L4 combination, each at several
 * sizes, checksum modes, buffer modes and mbuf layouts; the same bytes as
 * rte_gso where it can segment; allocation failure at every allocation
 * point; every bad input with its error code and the input unchanged.
 */

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_gso.h>
#include <rte_mbuf.h>
#include <rte_malloc.h>
#include <rte_mbuf_dyn.h>

#include "gso_offload.h"
#include "gso_seg_private.h"
#include "test.h"
#include "test_pkt.h"
#include "test_poison.h"
#include "test_seg_env.h"

#define MAX_OUT 512

/* The pools and engines (tests/test_seg_env.h), under short names. */
static struct test_seg_env env;
static struct rte_mempool *sf_pool, *hdr_pool, *ref_pool;
static struct rte_mempool *lifo_pool, *lifo_copy_pool;
/* engine: separate header/reference/copy pools; shared: the recommended
 * set-up, header and reference mbufs from one LIFO pool. */
static struct gso_offload_seg_ctx *engine, *shared;
/* shared's pools, planning every superframe afresh: the reference for the
 * flow cache. */
static struct gso_offload_seg_ctx *nocache;
static int dyn_offset = -1;
static uint64_t dyn_flag;
static struct rte_mbuf *out[MAX_OUT];

static const uint8_t cksum_modes[] = {
	0,                                              /* all in software */
	GSO_OFFLOAD_CKSUM_IP_HW | GSO_OFFLOAD_CKSUM_L4_HW,
	GSO_OFFLOAD_CKSUM_IP_HW | GSO_OFFLOAD_CKSUM_L4_HW |
		GSO_OFFLOAD_CKSUM_L4_PHDR,
	GSO_OFFLOAD_CKSUM_L4_HW | GSO_OFFLOAD_CKSUM_L4_PHDR, /* virtio */
};

static const uint8_t buffer_modes[] = {
	GSO_OFFLOAD_BUF_ZEROCOPY, GSO_OFFLOAD_BUF_COPY, GSO_OFFLOAD_BUF_AUTO,
};

/* The payload sizes of the issue: a multiple of the MSS, one more, MSS + 1,
 * 64 KB in one mbuf, more than 64 KB (a chain, IP length 0). */
static const struct { uint32_t payload; uint16_t mss; } sizes[] = {
	{ 5 * 1000, 1000 },
	{ 5 * 1000 + 1, 1000 },
	{ 1000 + 1, 1000 },
	{ 64000, 1448 },
	{ 100000, 1448 },
};

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

static void
mark_metadata(struct rte_mbuf *m)
{
	test_seg_env_mark(&env, m);
}

static struct gso_offload_seg_params
params_of(const struct test_sf_spec *s, uint8_t cksum, uint8_t buffers)
{
	return (struct gso_offload_seg_params){
		.mss = s->mss,
		.proto = s->l4 == IPPROTO_TCP ? GSO_OFFLOAD_SEG_TCP :
			GSO_OFFLOAD_SEG_UDP,
		.cksum = cksum,
		.buffers = buffers,
	};
}

/* Build, segment, verify, free; the pools must end where they began. */
static int
segment_and_verify_with(struct gso_offload_seg_ctx *eng,
		const struct test_sf_spec *s, uint8_t cksum, uint8_t buffers)
{
	struct gso_offload_seg_params prm = params_of(s, cksum, buffers);
	struct test_seg_check chk = {
		.spec = s, .cksum = cksum, .port = 3, .rss = 0xfeedbeef,
		.dyn_value = 0x0123456789abcdefULL, .dyn_offset = dyn_offset,
		.dyn_flag = dyn_flag,
	};
	struct test_pools_use base = in_use();
	struct rte_mbuf *sf = test_sf_build(sf_pool, s);
	uint8_t *orig;
	uint32_t olen;
	bool ok;
	int n;

	TEST_ASSERT(sf != NULL, "build");
	mark_metadata(sf);
	orig = test_mbuf_bytes(sf, &olen);
	TEST_ASSERT(orig != NULL, "bytes");
	chk.orig = orig;
	chk.orig_len = olen;

	n = gso_offload_segment(eng, sf, &prm, out, MAX_OUT);
	if (n < 0) {
		free(orig);
		rte_pktmbuf_free(sf);
		TEST_ASSERT(false, "segment: %s (payload %u mss %u cksum %#x buffers %u layout %u)",
			gso_offload_seg_strerror(n), s->payload_len, s->mss,
			cksum, buffers, s->layout);
	}
	ok = test_seg_verify(&chk, out, n);
	rte_pktmbuf_free_bulk(out, n);
	free(orig);
	TEST_ASSERT(ok, "payload %u mss %u cksum %#x buffers %u layout %u",
		s->payload_len, s->mss, cksum, buffers, s->layout);
	TEST_ASSERT(in_use_back(&base), "mbufs returned (payload %u buffers %u)",
		s->payload_len, buffers);
	return TEST_OK;
}

static int
segment_and_verify(const struct test_sf_spec *s, uint8_t cksum,
		uint8_t buffers)
{
	return segment_and_verify_with(engine, s, cksum, buffers);
}

/* ---- Every L2 x L3 x L4 combination ---- */

struct combo {
	enum test_l2 l2;
	int l3;
	bool l3_opts;
	int l4;
	bool l4_opts;
	char name[48];
};

static struct combo combos[TEST_L2_NB * 4 * 3];

static int
combo_case(const void *arg)
{
	const struct combo *c = arg;

	for (size_t si = 0; si < TEST_NB(sizes); si++)
		for (size_t ci = 0; ci < TEST_NB(cksum_modes); ci++)
			for (size_t bi = 0; bi < TEST_NB(buffer_modes); bi++)
				for (int lay = 0; lay < TEST_LAYOUT_NB; lay++) {
					struct test_sf_spec s = {
						.l2 = c->l2, .l3 = c->l3,
						.l3_opts = c->l3_opts, .l4 = c->l4,
						.l4_opts = c->l4_opts,
						.payload_len = sizes[si].payload,
						.mss = sizes[si].mss,
						.layout = lay,
						/* CWR, ECE, URG, ACK, PSH, FIN */
						.tcp_flags = 0xf9,
						.seq = 0xfffff000u, /* wraps */
						.ip_id = 0xfffe,    /* wraps */
						.seed = (uint32_t)(si * 7 + lay),
					};

					/* Half the runs on each engine. */
					TEST_RUN(segment_and_verify_with(
						(si + lay + bi) % 2 ? shared : engine,
						&s, cksum_modes[ci],
						buffer_modes[bi]));
				}
	return TEST_OK;
}

/* ---- Specific rules ---- */

static int
udp_zero_checksum_stays_zero(void)
{
	struct test_sf_spec s = {
		.l2 = TEST_L2_ETH, .l3 = 4, .l4 = IPPROTO_UDP,
		.payload_len = 9000, .mss = 1472, .udp_zero_cksum = true,
	};

	for (size_t ci = 0; ci < TEST_NB(cksum_modes); ci++)
		for (size_t bi = 0; bi < TEST_NB(buffer_modes); bi++)
			TEST_RUN(segment_and_verify(&s, cksum_modes[ci],
					buffer_modes[bi]));
	return TEST_OK;
}

/* Choose the last two payload bytes of segment 0 so that its UDP checksum
 * computes to 0: RFC 768 then sends 0xffff. */
static int
udp_computed_zero_sent_as_ffff(void)
{
	for (int l3 = 4; l3 <= 6; l3 += 2) {
		struct test_sf_spec s = {
			.l2 = TEST_L2_ETH, .l3 = l3, .l4 = IPPROTO_UDP,
			.payload_len = 2000, .mss = 1000,
		};
		struct gso_offload_seg_params prm = params_of(&s, 0,
				GSO_OFFLOAD_BUF_ZEROCOPY);
		struct test_seg_check chk = {
			.spec = &s, .port = 3, .rss = 0xfeedbeef, .dyn_offset = -1,
		};
		struct rte_mbuf *sf = test_sf_build(sf_pool, &s);
		uint32_t ip = 14, udp = ip + (l3 == 4 ? 20 : 40), pay = udp + 8;
		uint32_t seg_len = 8 + 1000, sum, olen;
		uint8_t *f, *orig;
		bool ok;
		int n;

		TEST_ASSERT(sf != NULL, "build");
		f = rte_pktmbuf_mtod(sf, uint8_t *);
		f[pay + 998] = f[pay + 999] = 0;
		/* What the checksum of segment 0 sums, adjustment word 0. */
		sum = l3 == 4 ? test_ref_sum(f + ip + 12, 8, 0) :
			test_ref_sum(f + ip + 8, 32, 0);
		sum += IPPROTO_UDP + seg_len;
		sum = test_ref_sum(f + udp, 4, sum) + seg_len;
		sum = test_ref_fold(test_ref_sum(f + pay, 1000, sum));
		f[pay + 998] = (uint8_t)((0xffff - sum) >> 8);
		f[pay + 999] = (uint8_t)(0xffff - sum);

		orig = test_mbuf_bytes(sf, &olen);
		chk.orig = orig;
		n = gso_offload_segment(engine, sf, &prm, out, MAX_OUT);
		TEST_ASSERT_EQ(n, 2, "segments");
		ok = test_seg_verify(&chk, out, n);
		TEST_ASSERT(rte_pktmbuf_mtod_offset(out[0], uint8_t *, udp + 6)[0] == 0xff &&
				rte_pktmbuf_mtod_offset(out[0], uint8_t *, udp + 7)[0] == 0xff,
				"IPv%d: a computed 0 is sent as 0xffff", l3);
		rte_pktmbuf_free_bulk(out, n);
		free(orig);
		TEST_ASSERT(ok, "IPv%d: segments valid", l3);
	}
	return TEST_OK;
}

static int
ipid_fixed_policy(void)
{
	struct gso_offload_seg_conf conf = {
		.hdr_pool = hdr_pool, .ref_pool = ref_pool,
		.flags = GSO_OFFLOAD_SEG_F_IPID_FIXED,
	};
	struct gso_offload_seg_ctx *fixed = gso_offload_seg_create(&conf, 0);
	struct test_sf_spec s = {
		.l2 = TEST_L2_ETH, .l3 = 4, .l4 = IPPROTO_TCP,
		.payload_len = 10000, .mss = 1448, .ip_id = 77,
	};
	struct gso_offload_seg_params prm = params_of(&s, 0, 0);
	struct test_seg_check chk = {
		.spec = &s, .ipid_fixed = true, .port = 3, .rss = 0xfeedbeef,
		.dyn_offset = -1,
	};
	struct rte_mbuf *sf = test_sf_build(sf_pool, &s);
	uint8_t *orig;
	uint32_t olen;
	int n;
	bool ok;

	TEST_ASSERT(fixed != NULL && sf != NULL, "setup");
	orig = test_mbuf_bytes(sf, &olen);
	chk.orig = orig;
	n = gso_offload_segment(fixed, sf, &prm, out, MAX_OUT);
	TEST_ASSERT(n == 7, "segments %d", n);
	ok = test_seg_verify(&chk, out, n);
	rte_pktmbuf_free_bulk(out, n);
	free(orig);
	gso_offload_seg_free(fixed);
	TEST_ASSERT(ok, "fixed IPv4 ID on every segment");
	return TEST_OK;
}

/* A superframe that fits one segment becomes a valid plain packet, even
 * with its headers split across mbufs. */
static int
finalize_single_segment(void)
{
	unsigned int runs = 0;

	for (int l2 = 0; l2 < TEST_L2_NB; l2++)
	for (int v = 0; v < 4; v++)
	for (int l4 = 0; l4 < 3; l4++)
	for (int lay = 0; lay < 2; lay++)
	for (size_t ci = 0; ci < TEST_NB(cksum_modes); ci++) {
		struct test_sf_spec s = {
			.l2 = l2, .l3 = v < 2 ? 4 : 6, .l3_opts = v & 1,
			.l4 = l4 == 2 ? IPPROTO_UDP : IPPROTO_TCP,
			.l4_opts = l4 == 1, .payload_len = 700,
			.mss = 700, .layout = lay ? TEST_LAYOUT_SPLIT :
				TEST_LAYOUT_FLAT,
			.tcp_flags = 0x99, .ip_id = 77,
		};
		struct gso_offload_seg_params prm = params_of(&s, cksum_modes[ci], 0);
		struct test_seg_check chk = {
			.spec = &s, .cksum = cksum_modes[ci], .port = 3,
			.rss = 0xfeedbeef, .dyn_offset = -1,
		};
		struct rte_mbuf *m = test_sf_build(sf_pool, &s);
		uint8_t *orig;
		uint32_t olen;
		bool ok;

		TEST_ASSERT(m != NULL, "build");
		orig = test_mbuf_bytes(m, &olen);
		chk.orig = orig;
		prm.mss = 1000;
		TEST_ASSERT_EQ(gso_offload_seg_finalize(m, &prm), 0, "finalize");
		ok = test_seg_verify(&chk, &m, 1);
		rte_pktmbuf_free(m);
		free(orig);
		TEST_ASSERT(ok, "l2 %d l3 %d l4 %d layout %d cksum %#x", l2, v,
			l4, lay, cksum_modes[ci]);
		runs++;
	}
	TEST_ASSERT_EQ(runs, TEST_L2_NB * 4 * 3 * 2 * TEST_NB(cksum_modes),
		"every combination");
	return TEST_OK;
}

/*
 * An IPv4 header with 20 bytes of options (IHL 10) is 40 bytes long, as
 * IPv6's fixed header is. The parser once told the versions apart by that
 * length when it added the header bytes a length field leaves out, so it
 * took such an IPv4 packet's total length for an IPv6 payload length: 40
 * bytes too long. Without padding the superframe was refused (length
 * beyond the frame); with 40 or more bytes of Ethernet padding behind it
 * (found by fuzz_segment) the last segment carried 40 padding bytes as
 * payload. Every option length, both protocols, every layout and buffer
 * mode; then the padded frame, whose padding no segment may carry.
 */
static int
ipv4_header_as_long_as_ipv6(void)
{
	static const uint8_t opts[] = { 4, 20, 40 };
	static const uint8_t bufs[] = { GSO_OFFLOAD_BUF_AUTO,
		GSO_OFFLOAD_BUF_ZEROCOPY, GSO_OFFLOAD_BUF_COPY };

	for (size_t o = 0; o < TEST_NB(opts); o++)
	for (int l4 = 0; l4 < 2; l4++)
	for (int lay = 0; lay < TEST_LAYOUT_NB; lay++)
	for (size_t b = 0; b < TEST_NB(bufs); b++) {
		struct test_sf_spec s = {
			.l2 = TEST_L2_ETH, .l3 = 4, .l3_opts = true,
			.ip4_opts_len = opts[o],
			.l4 = l4 ? IPPROTO_UDP : IPPROTO_TCP,
			.payload_len = 2212, .mss = 759, .layout = lay,
		};

		TEST_RUN(segment_and_verify(&s, b == 0 ? 0 :
			GSO_OFFLOAD_CKSUM_L4_HW, bufs[b]));
	}

	/* The same confusion in the other direction: an IPv4 length of 0
	 * (Linux BIG TCP) is the frame's length once the datagram, header
	 * included, is beyond 65535 bytes, as IPv4's total length counts
	 * its header. With the header taken out first, datagrams of 65536
	 * bytes up to 65535 + IHL were refused. */
	for (size_t o = 0; o < 2; o++)
	for (uint32_t over = 1; over <= 41; over += 20) {
		struct test_sf_spec s = {
			.l2 = TEST_L2_VLAN, .l3 = 4, .l3_opts = o == 1,
			.ip4_opts_len = 20, .l4 = IPPROTO_TCP, .mss = 1448,
			.layout = TEST_LAYOUT_CHAIN,
		};

		s.payload_len = UINT16_MAX + over - (o ? 40 : 20) - 20;
		TEST_RUN(segment_and_verify(&s, 0, GSO_OFFLOAD_BUF_ZEROCOPY));
	}

	/* Padded: 1272 bytes behind the IP datagram, as the fuzzer's. */
	for (int l4 = 0; l4 < 2; l4++) {
		struct test_sf_spec s = {
			.l2 = TEST_L2_ETH, .l3 = 4, .l3_opts = true,
			.ip4_opts_len = 20, .l4 = l4 ? IPPROTO_UDP : IPPROTO_TCP,
			.payload_len = 2212, .mss = 759,
		};
		struct gso_offload_seg_params prm = params_of(&s, 0,
			GSO_OFFLOAD_BUF_ZEROCOPY);
		struct test_seg_check chk = {
			.spec = &s, .port = 3, .rss = 0xfeedbeef,
			.dyn_value = 0x0123456789abcdefULL,
			.dyn_offset = dyn_offset, .dyn_flag = dyn_flag,
		};
		struct test_pools_use base = in_use();
		struct rte_mbuf *sf = test_sf_build(sf_pool, &s);
		uint8_t *orig, *pad;
		uint32_t olen;
		bool ok;
		int n;

		TEST_ASSERT(sf != NULL, "build");
		mark_metadata(sf);
		pad = (uint8_t *)rte_pktmbuf_append(sf, 1272);
		TEST_ASSERT(pad != NULL, "room for the padding");
		memset(pad, 0xee, 1272);
		orig = test_mbuf_bytes(sf, &olen);
		TEST_ASSERT(orig != NULL, "bytes");
		chk.orig = orig;
		chk.orig_len = olen;
		TEST_ASSERT_EQ(gso_offload_segment_count(sf, &prm), 3, "count");
		n = gso_offload_segment(engine, sf, &prm, out, MAX_OUT);
		TEST_ASSERT_EQ(n, 3, "segments of the padded superframe");
		TEST_ASSERT_EQ(out[2]->pkt_len, 14u + 40 +
			(s.l4 == IPPROTO_TCP ? 20u : 8u) + 694,
			"last segment: headers and 694 payload bytes");
		ok = test_seg_verify(&chk, out, n);
		rte_pktmbuf_free_bulk(out, n);
		free(orig);
		TEST_ASSERT(ok, "padded, %s", l4 ? "UDP" : "TCP");
		TEST_ASSERT(in_use_back(&base), "mbufs returned");
	}
	return TEST_OK;
}

/* Issue 16, defect 1: a superframe flagged for segmentation whose L4
 * payload is 0 or 1 byte (a pure ACK from a sender or a vSwitch) is
 * finalized like any other single segment. seg_check() used to report
 * "nothing to split" before it filled the plan, and finalize went on
 * writing through an uninitialised one. */
static int
finalize_tiny_payload(void)
{
	unsigned int runs = 0;

	for (uint32_t pay = 0; pay < 2; pay++)
	for (int v = 0; v < 4; v++)
	for (int l4 = 0; l4 < 3; l4++)
	for (int lay = 0; lay < 2; lay++)
	for (size_t ci = 0; ci < TEST_NB(cksum_modes); ci++) {
		struct test_sf_spec s = {
			.l2 = TEST_L2_VLAN, .l3 = v < 2 ? 4 : 6,
			.l3_opts = v & 1,
			.l4 = l4 == 2 ? IPPROTO_UDP : IPPROTO_TCP,
			.l4_opts = l4 == 1, .payload_len = pay, .mss = 1448,
			.layout = lay ? TEST_LAYOUT_SPLIT : TEST_LAYOUT_FLAT,
			.tcp_flags = RTE_TCP_ACK_FLAG, .ip_id = 9,
		};
		struct gso_offload_seg_params prm = params_of(&s, cksum_modes[ci], 0);
		struct test_seg_check chk = {
			.spec = &s, .cksum = cksum_modes[ci], .port = 3,
			.rss = 0xfeedbeef, .dyn_offset = -1,
		};
		struct rte_mbuf *m = test_sf_build(sf_pool, &s);
		uint8_t *orig, *after;
		uint32_t olen, alen;
		bool ok, same_l2;

		TEST_ASSERT(m != NULL, "build");
		orig = test_mbuf_bytes(m, &olen);
		chk.orig = orig;
		chk.orig_len = olen;
		TEST_ASSERT_EQ(gso_offload_seg_finalize(m, &prm), 0,
			"finalize, payload %u", pay);
		after = test_mbuf_bytes(m, &alen);
		same_l2 = alen == olen && memcmp(after, orig, 18) == 0;
		ok = test_seg_verify(&chk, &m, 1);
		rte_pktmbuf_free(m);
		free(orig);
		free(after);
		TEST_ASSERT(same_l2, "payload %u: frame length or Ethernet "
			"header changed", pay);
		TEST_ASSERT(ok, "payload %u l3 %d l4 %d layout %d cksum %#x",
			pay, v, l4, lay, cksum_modes[ci]);
		runs++;
	}
	TEST_ASSERT_EQ(runs, 2 * 4 * 3 * 2 * TEST_NB(cksum_modes),
		"every combination");
	return TEST_OK;
}

/* Chunks that hardware segments further keep IPv4 IDs apart. */
static int
ip_id_stride(void)
{
	struct test_sf_spec s = {
		.l2 = TEST_L2_ETH, .l3 = 4, .l4 = IPPROTO_TCP,
		.payload_len = 10 * 1448, .mss = 5 * 1448, .ip_id = 0xfff0,
	};
	struct gso_offload_seg_params prm = params_of(&s, 0, 0);
	struct rte_mbuf *sf = test_sf_build(sf_pool, &s);
	int n;

	TEST_ASSERT(sf != NULL, "build");
	prm.ip_id_stride = 5;
	n = gso_offload_segment(engine, sf, &prm, out, MAX_OUT);
	TEST_ASSERT_EQ(n, 2, "two chunks");
	for (int i = 0; i < n; i++) {
		const uint8_t *ip = rte_pktmbuf_mtod_offset(out[i], uint8_t *, 14);

		TEST_ASSERT_EQ((ip[4] << 8) | ip[5], (uint16_t)(0xfff0 + 5 * i),
			"chunk %d's ID", i);
	}
	rte_pktmbuf_free_bulk(out, n);
	return TEST_OK;
}

/* What AUTO picks for a chained-capable port: flat copies only for a few
 * segments with software checksums (docs/segmentation.md). */
static int
buffer_mode_auto(void)
{
	static const struct {
		uint32_t payload;
		uint8_t cksum;
		uint16_t nb_segs;       /* of each segment: 1 flat, 2 zero-copy */
	} cases[] = {
		{ 4000, 0, 1 },                                 /* 3 segments */
		{ 5792, 0, 1 },                                 /* 4 */
		{ 5793, 0, 2 },                                 /* 5 */
		{ 4000, GSO_OFFLOAD_CKSUM_IP_HW | GSO_OFFLOAD_CKSUM_L4_HW, 2 },
		{ 16000, 0, 2 },
	};

	for (size_t c = 0; c < RTE_DIM(cases); c++) {
		struct test_sf_spec s = {
			.l2 = TEST_L2_ETH, .l3 = 4, .l4 = IPPROTO_TCP,
			.payload_len = cases[c].payload, .mss = 1448,
			.layout = TEST_LAYOUT_FLAT,
		};
		struct gso_offload_seg_params prm = params_of(&s,
				cases[c].cksum, GSO_OFFLOAD_BUF_AUTO);
		struct rte_mbuf *sf = test_sf_build(sf_pool, &s);
		int n;

		TEST_ASSERT(sf != NULL, "build");
		n = gso_offload_segment(engine, sf, &prm, out, MAX_OUT);
		TEST_ASSERT(n > 0, "case %zu: %s", c, gso_offload_seg_strerror(n));
		/* Consumed and flat, the superframe is segment 0 whatever
		 * the mode: the mode shows in the others. */
		TEST_ASSERT(out[0] == sf && out[0]->nb_segs == 1,
			"case %zu: segment 0 is the superframe", c);
		for (int i = 1; i < n; i++)
			TEST_ASSERT(out[i]->nb_segs == cases[c].nb_segs,
				"case %zu segment %d: %u mbufs, want %u", c, i,
				out[i]->nb_segs, cases[c].nb_segs);
		rte_pktmbuf_free_bulk(out, n);
	}
	return TEST_OK;
}

/* A buffer mode that cannot be honoured falls back to the other. */
static int
buffer_mode_fallbacks(void)
{
	struct test_sf_spec s = {
		.l2 = TEST_L2_ETH, .l3 = 4, .l4 = IPPROTO_TCP,
		.payload_len = 20000, .mss = 1448, .layout = TEST_LAYOUT_SPLIT,
	};
	struct gso_offload_seg_params prm = params_of(&s, 0,
			GSO_OFFLOAD_BUF_ZEROCOPY);
	struct rte_mbuf *sf = test_sf_build(sf_pool, &s);
	int n;

	TEST_ASSERT(sf != NULL, "build");
	/* A port without MULTI_SEGS: one mbuf per segment, so copy. */
	prm.max_mbufs_per_seg = 1;
	n = gso_offload_segment(engine, sf, &prm, out, MAX_OUT);
	TEST_ASSERT(n == 14, "segments %d", n);
	for (int i = 0; i < n; i++)
		TEST_ASSERT(out[i]->nb_segs == 1, "segment %d is flat", i);
	rte_pktmbuf_free_bulk(out, n);

	/* An MSS bigger than a flat mbuf: zero-copy even if copy asked. */
	s.payload_len = 40000;
	s.mss = 9000;
	s.layout = TEST_LAYOUT_FLAT;
	sf = test_sf_build(sf_pool, &s);
	prm = params_of(&s, 0, GSO_OFFLOAD_BUF_COPY);
	n = gso_offload_segment(engine, sf, &prm, out, MAX_OUT);
	TEST_ASSERT(n == 5, "segments %d", n);
	TEST_ASSERT(out[0] == sf && out[1]->nb_segs == 2, "zero-copy");
	rte_pktmbuf_free_bulk(out, n);

	/* Neither possible: a clear error, input intact. */
	sf = test_sf_build(sf_pool, &s);
	prm.max_mbufs_per_seg = 1;
	n = gso_offload_segment(engine, sf, &prm, out, MAX_OUT);
	TEST_ASSERT_EQ(n, -GSO_OFFLOAD_EBUF, "no mode fits");
	rte_pktmbuf_free(sf);
	return TEST_OK;
}

/* ---- Differential: the same bytes as rte_gso ---- */

static int
same_bytes_as_rte_gso(void)
{
	static const enum test_l2 l2s[] = { TEST_L2_ETH, TEST_L2_VLAN, TEST_L2_QINQ };
	struct rte_gso_ctx gctx = {
		.direct_pool = hdr_pool, .indirect_pool = ref_pool,
		.gso_types = RTE_ETH_TX_OFFLOAD_TCP_TSO, .flag = 0,
	};
	struct rte_mbuf *theirs[MAX_OUT];
	unsigned int cases = 0;

	for (size_t a = 0; a < TEST_NB(l2s); a++)
	for (int opts = 0; opts < 4; opts++)
	for (size_t si = 0; si < 4; si++) {   /* rte_gso: single mbuf sizes */
		struct test_sf_spec s = {
			.l2 = l2s[a], .l3 = 4, .l3_opts = opts & 1,
			.l4 = IPPROTO_TCP, .l4_opts = opts & 2,
			.payload_len = sizes[si].payload, .mss = sizes[si].mss,
			.tcp_flags = 0x99 /* CWR ACK PSH FIN */, .seq = 123456,
			.ip_id = 4242, .seed = (uint32_t)si,
		};
		struct gso_offload_seg_params prm = params_of(&s, 0,
				GSO_OFFLOAD_BUF_ZEROCOPY);
		struct test_seg_check gchk = {
			.spec = &s, .expect_cwr_all = true, .skip_cksums = true,
		};
		uint32_t hdr = test_sf_hdr_len(&s);
		uint32_t l4 = s.l4_opts ? 32 : 20;
		uint32_t l2 = hdr - (s.l3_opts ? 28 : 20) - l4;
		struct rte_mbuf *a_sf = test_sf_build(sf_pool, &s);
		struct rte_mbuf *b_sf = test_sf_build(sf_pool, &s);
		uint32_t olen;
		uint8_t *orig = test_mbuf_bytes(a_sf, &olen);
		int na, nb;
		bool ok = true;

		gchk.orig = orig;
		gctx.gso_size = (uint16_t)(hdr + s.mss);
		na = gso_offload_segment(engine, a_sf, &prm, out, MAX_OUT);
		nb = rte_gso_segment(b_sf, &gctx, theirs, MAX_OUT);
		rte_pktmbuf_free(b_sf);
		TEST_ASSERT(na > 0 && na == nb, "counts %d vs rte_gso %d", na, nb);
		/* rte_gso's own output obeys every rule but CWR and checksums. */
		ok = test_seg_verify(&gchk, theirs, nb);
		for (int i = 0; ok && i < na; i++) {
			uint32_t la, lb;
			uint8_t *x = test_mbuf_bytes(out[i], &la);
			uint8_t *y = test_mbuf_bytes(theirs[i], &lb);
			uint32_t ipck = l2 + 10, tcp = hdr - l4;

			if (la != lb) {
				ok = false;
			} else {
				/* The documented differences: checksums (rte_gso
				 * writes none) and CWR (rte_gso keeps it). */
				x[ipck] = y[ipck] = x[ipck + 1] = y[ipck + 1] = 0;
				x[tcp + 16] = y[tcp + 16] = 0;
				x[tcp + 17] = y[tcp + 17] = 0;
				x[tcp + 13] &= 0x7f;
				y[tcp + 13] &= 0x7f;
				ok = memcmp(x, y, la) == 0;
			}
			free(x);
			free(y);
			if (!ok)
				printf("#   segment %d differs (l2 %zu opts %d size %zu)\n",
					i, a, opts, si);
		}
		rte_pktmbuf_free_bulk(out, na);
		rte_pktmbuf_free_bulk(theirs, nb);
		free(orig);
		TEST_ASSERT(ok, "differential");
		cases++;
	}
	TEST_ASSERT_EQ(cases, 3 * 4 * 4, "cases run");
	return TEST_OK;
}

/* ---- Allocation failure ---- */

static int
alloc_failure_at_every_point(void)
{
	static const struct { uint32_t payload; uint16_t mss; int layout;
		uint8_t buffers; } cases[] = {
		{ 64000, 1448, TEST_LAYOUT_FLAT, GSO_OFFLOAD_BUF_ZEROCOPY },
		{ 64000, 1448, TEST_LAYOUT_FLAT, GSO_OFFLOAD_BUF_COPY },
		{ 100000, 1448, TEST_LAYOUT_CHAIN, GSO_OFFLOAD_BUF_ZEROCOPY },
		{ 60000, 500, TEST_LAYOUT_SPLIT, GSO_OFFLOAD_BUF_ZEROCOPY },
		{ 60000, 500, TEST_LAYOUT_SPLIT, GSO_OFFLOAD_BUF_COPY },
	};

	for (size_t c = 0; c < 2 * TEST_NB(cases); c++) {
		struct gso_offload_seg_ctx *eng = c % 2 ? shared : engine;
		struct test_sf_spec s = {
			.l2 = TEST_L2_VLAN, .l3 = 6, .l3_opts = true,
			.l4 = IPPROTO_TCP, .payload_len = cases[c / 2].payload,
			.mss = cases[c / 2].mss, .layout = cases[c / 2].layout,
		};
		const uint8_t buffers = cases[c / 2].buffers;
		struct gso_offload_seg_params prm = params_of(&s, 0, buffers);
		struct rte_mbuf *sf = test_sf_build(sf_pool, &s);
		unsigned int failures;
		int n;

		TEST_ASSERT(sf != NULL, "build");
		n = test_seg_fail_each_point(&env, eng, sf, &prm, out, MAX_OUT,
			&failures);
		TEST_ASSERT(n > 0, "case %zu: succeeds once allocations do: %d", c, n);
		/* Every superframe allocates at least once; the general
		 * path refills its stashes past 64 segments, the contiguous
		 * fast path takes headers and references in one or two bulk
		 * gets: each of those points was made to fail. */
		TEST_ASSERT(failures >= 1, "case %zu: failure points %u", c,
			failures);
		if (s.layout != TEST_LAYOUT_FLAT &&
				buffers == GSO_OFFLOAD_BUF_ZEROCOPY)
			TEST_ASSERT(failures >= 2, "case %zu: failure points %u",
				c, failures);
		if (s.layout == TEST_LAYOUT_FLAT &&
				buffers == GSO_OFFLOAD_BUF_ZEROCOPY)
			TEST_ASSERT_EQ(failures, eng == shared ? 1 : 2,
				"case %zu: bulk gets of the fast path", c);
		rte_pktmbuf_free_bulk(out, n);
	}
	return TEST_OK;
}

static int
tiny_pools_fail_cleanly(void)
{
	struct test_sf_spec s = {
		.l2 = TEST_L2_ETH, .l3 = 4, .l4 = IPPROTO_TCP,
		.payload_len = 64000, .mss = 1448,
	};
	struct gso_offload_seg_params prm = params_of(&s, 0,
			GSO_OFFLOAD_BUF_ZEROCOPY);

	/* Header pool short, then reference pool short: both points. */
	for (int which = 0; which < 2; which++) {
		struct rte_mempool *th = test_poison_pktmbuf_pool_create(
			which ? "tiny_h1" : "tiny_h0", which ? 256 : 20, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
		struct rte_mempool *tr = test_poison_pktmbuf_pool_create(
			which ? "tiny_r1" : "tiny_r0", which ? 30 : 256, 0,
			0, SOCKET_ID_ANY);
		struct gso_offload_seg_conf conf = { .hdr_pool = th, .ref_pool = tr };
		struct gso_offload_seg_ctx *tiny;
		struct rte_mbuf *sf = test_sf_build(sf_pool, &s);
		struct test_sf_state st;
		int n;

		TEST_ASSERT(th && tr && sf, "pools");
		tiny = gso_offload_seg_create(&conf, 0);
		TEST_ASSERT(tiny != NULL, "engine");
		test_sf_snapshot(sf, &st);
		n = gso_offload_segment(tiny, sf, &prm, out, MAX_OUT);
		TEST_ASSERT_EQ(n, -ENOMEM, "pool too small (%s)",
			which ? "references" : "headers");
		TEST_ASSERT_EQ(rte_mempool_in_use_count(th), 0, "header pool whole");
		TEST_ASSERT_EQ(rte_mempool_in_use_count(tr), 0, "reference pool whole");
		TEST_ASSERT(test_sf_unchanged(sf, &st), "superframe intact");
		rte_pktmbuf_free(sf);
		free(st.bytes);
		gso_offload_seg_free(tiny);
		rte_mempool_free(th);
		rte_mempool_free(tr);
	}
	return TEST_OK;
}

/* ---- Ownership: consumed or kept, plain, cloned or external ---- */

enum sf_kind { SF_PLAIN, SF_CLONE, SF_EXTBUF, SF_KIND_NB };

static struct rte_mbuf *out2[MAX_OUT];
static unsigned int ext_freed;

static void
ext_free_cb(void *addr, void *opaque)
{
	RTE_SET_USED(opaque);
	rte_free(addr);
	ext_freed++;
}

/* m's frame copied into one external buffer attached to a ref_pool mbuf
 * (as a zero-copy RX or vhost's extbuf mode hands frames over), with m's
 * metadata; m is freed. */
static struct rte_mbuf *
sf_to_extbuf(struct rte_mbuf *m)
{
	struct rte_mbuf_ext_shared_info *shinfo;
	struct rte_mbuf *e = rte_pktmbuf_alloc(ref_pool);
	uint32_t len;
	uint8_t *bytes = test_mbuf_bytes(m, &len);
	uint16_t buf_len = (uint16_t)(len + sizeof(*shinfo) + 8);
	void *buf = rte_malloc(NULL, buf_len, RTE_CACHE_LINE_SIZE);

	if (e == NULL || bytes == NULL || buf == NULL)
		goto fail;
	shinfo = rte_pktmbuf_ext_shinfo_init_helper(buf, &buf_len,
			ext_free_cb, NULL);
	if (shinfo == NULL)
		goto fail;
	rte_pktmbuf_attach_extbuf(e, buf, rte_malloc_virt2iova(buf), buf_len,
			shinfo);
	memcpy(buf, bytes, len);
	e->data_len = (uint16_t)len;
	e->pkt_len = len;
	e->ol_flags |= m->ol_flags;
	e->port = m->port;
	e->hash = m->hash;
	e->vlan_tci = m->vlan_tci;
	e->vlan_tci_outer = m->vlan_tci_outer;
	rte_mbuf_dynfield_copy(e, m);
	free(bytes);
	rte_pktmbuf_free(m);
	return e;
fail:
	rte_free(buf);
	free(bytes);
	rte_pktmbuf_free(e);
	rte_pktmbuf_free(m);
	return NULL;
}

static struct rte_mbuf *
sf_build_kind(const struct test_sf_spec *s, enum sf_kind kind)
{
	struct rte_mbuf *m = test_sf_build(sf_pool, s), *c;

	if (m == NULL)
		return NULL;
	mark_metadata(m);
	if (kind == SF_EXTBUF)
		return sf_to_extbuf(m);
	if (kind == SF_CLONE) {
		/* The clone is left as the only owner of the data. */
		c = rte_pktmbuf_clone(m, ref_pool);
		rte_pktmbuf_free(m);
		return c;
	}
	return m;
}

/* Sum of the reference counts that keep a superframe's data alive: of
 * each mbuf, of the direct mbuf a clone is attached to, of an external
 * buffer. */
static unsigned int
data_refs(const struct rte_mbuf *m)
{
	unsigned int sum = 0;

	for (; m != NULL; m = m->next) {
		sum += rte_mbuf_refcnt_read(m);
		if (RTE_MBUF_HAS_EXTBUF(m))
			sum += rte_mbuf_ext_refcnt_read(m->shinfo);
		else if (RTE_MBUF_CLONED(m))
			sum += rte_mbuf_refcnt_read(rte_mbuf_from_indirect(
				(struct rte_mbuf *)(uintptr_t)m));
	}
	return sum;
}

/* ---- The flow cache ---- */

/*
 * sf (prm) with shared, its flow state as it is, and with nocache: the
 * same return value, and on success the same segments, all freed.
 * *hit: shared reused its kept plan.
 */
static int
shared_vs_cold(struct rte_mbuf *sf, const struct gso_offload_seg_params *prm,
		uint16_t nb_out, bool *hit, int *ret)
{
	static struct rte_mbuf *cold[MAX_OUT];
	uint64_t hits = shared->flow.hits;
	int n, nc;

	n = gso_offload_segment(shared, sf, prm, out, nb_out);
	*hit = shared->flow.hits != hits;
	nc = gso_offload_segment(nocache, sf, prm, cold, nb_out);
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
	*ret = n;
	return TEST_OK;
}

/*
 * Segment warm_sf with shared (its plan is then the one kept), then sf
 * (prm) as shared_vs_cold() does; every mbuf back in its pool.
 */
static int
flow_vs_cold(struct rte_mbuf *warm_sf, const struct gso_offload_seg_params *wprm,
		struct rte_mbuf *sf, const struct gso_offload_seg_params *prm,
		uint16_t nb_out, bool *hit, int *ret)
{
	struct test_pools_use base = in_use();
	int n;

	/* Each comparison on its own: no back-off from earlier ones. */
	shared->flow.misses = 0;
	shared->flow.backoff = 0;
	n = gso_offload_segment(shared, warm_sf, wprm, out, MAX_OUT);
	TEST_ASSERT(n > 0, "warm-up: %s", gso_offload_seg_strerror(n));
	rte_pktmbuf_free_bulk(out, n);
	TEST_RUN(shared_vs_cold(sf, prm, nb_out, hit, ret));
	TEST_ASSERT(in_use_back(&base), "mbufs returned");
	TEST_ASSERT_EQ(nocache->flow.hits, 0, "nocache never reuses a plan");
	return TEST_OK;
}

/* Whether header byte o (plan pl) is in a field every segment rewrites. */
static bool
rewritten_byte(const struct gso_seg_plan *pl, uint32_t o)
{
	const uint32_t l3 = pl->l3_off, l4 = pl->l4_off;

#define IN(base, off, len) (o >= (base) + (off) && o < (base) + (off) + (len))
	if (pl->is_ipv4 && (IN(l3, 2, 2) || IN(l3, 4, 2) || IN(l3, 10, 2)))
		return true;   /* total length, ID, header checksum */
	if (!pl->is_ipv4 && IN(l3, 4, 2))
		return true;   /* payload length */
	if (pl->is_tcp && (IN(l4, 4, 4) || IN(l4, 13, 1) || IN(l4, 16, 2)))
		return true;   /* sequence, flags, checksum */
	if (!pl->is_tcp && IN(l4, 4, 4))
		return true;   /* length, checksum */
#undef IN
	return false;
}

/*
 * A superframe of the same flow (other sequence, ID, length, flags)
 * reuses the kept plan and gets the segments a fresh plan gives; one with
 * any other header byte changed does not reuse it, and still gets what a
 * fresh plan gives (or the same error). Every byte of every header stack,
 * flipped four ways, in two checksum modes.
 */
static int
flow_cache_every_header_byte(void)
{
	/* 0x02 and 0x04 make SYN and RST of the TCP flags. */
	static const uint8_t flips[] = { 0x01, 0x80, 0x02, 0x04 };
	static const uint8_t modes[] = { 0, GSO_OFFLOAD_CKSUM_IP_HW |
		GSO_OFFLOAD_CKSUM_L4_HW | GSO_OFFLOAD_CKSUM_L4_PHDR };
	unsigned int combos_run = 0, misses = 0;

	for (size_t k = 0; k < TEST_NB(combos); k++)
	for (size_t mi = 0; mi < TEST_NB(modes); mi++) {
		const struct combo *c = &combos[k];
		struct test_sf_spec s1 = {
			.l2 = c->l2, .l3 = c->l3, .l3_opts = c->l3_opts,
			.l4 = c->l4, .l4_opts = c->l4_opts,
			.payload_len = 3001, .mss = 1000,
			.layout = TEST_LAYOUT_FLAT, .tcp_flags = RTE_TCP_ACK_FLAG,
			.seq = 1, .ip_id = 7, .seed = 1,
		};
		struct test_sf_spec s2 = s1;
		struct gso_offload_seg_params prm = params_of(&s1, modes[mi],
			GSO_OFFLOAD_BUF_AUTO);
		struct rte_mbuf *sf1 = test_sf_build(sf_pool, &s1), *sf2;
		struct gso_seg_plan pl;
		uint32_t hdr_len = test_sf_hdr_len(&s1);
		bool hit;
		int n;

		s2.payload_len = 4500;
		/* CWR, ECE, ACK, PSH, FIN (URG would bring an urgent
		 * pointer: another flow as far as the plan goes) */
		s2.tcp_flags = 0xd9;
		s2.seq = 0xfffff000u;
		s2.ip_id = 0xfffe;
		s2.seed = 2;
		prm.keep_input = 1;
		TEST_ASSERT(sf1 != NULL, "build");
		sf2 = test_sf_build(sf_pool, &s2);
		TEST_ASSERT(sf2 != NULL, "build");
		TEST_RUN(flow_vs_cold(sf1, &prm, sf2, &prm, MAX_OUT, &hit, &n));
		TEST_ASSERT(hit && n == 5, "%s: the same flow reuses its plan",
			c->name);
		pl = shared->flow.pl;
		rte_pktmbuf_free(sf2);

		for (uint32_t o = 0; o < hdr_len; o++)
			for (size_t f = 0; f < TEST_NB(flips); f++) {
				sf2 = test_sf_build(sf_pool, &s2);
				TEST_ASSERT(sf2 != NULL, "build");
				rte_pktmbuf_mtod(sf2, uint8_t *)[o] ^= flips[f];
				TEST_RUN(flow_vs_cold(sf1, &prm, sf2, &prm,
					MAX_OUT, &hit, &n));
				rte_pktmbuf_free(sf2);
				TEST_ASSERT(!hit || rewritten_byte(&pl, o),
					"%s: byte %u ^ %#x reused the plan",
					c->name, o, flips[f]);
				misses += !hit;
			}
		rte_pktmbuf_free(sf1);
		combos_run++;
	}
	TEST_ASSERT_EQ(combos_run, TEST_NB(combos) * TEST_NB(modes), "all run");
	TEST_ASSERT(misses > 0, "some flips missed");
	return TEST_OK;
}

/* A superframe of the kept flow under other parameters or in another
 * shape: what a fresh plan gives, reusing the plan only where the
 * parameters it was made with are the same. */
/* Move a one-mbuf frame's data by one byte: headers at an odd address. */
static int
shift_to_odd(struct rte_mbuf *m)
{
	uint8_t *p = rte_pktmbuf_mtod(m, uint8_t *);

	if (m->nb_segs != 1 || rte_pktmbuf_tailroom(m) < 1)
		return -1;
	memmove(p + 1, p, m->data_len);
	m->data_off++;
	return 0;
}

/* Issue 16, defect 3: the kept plan re-reads the TCP sequence of the
 * next superframe wherever its headers lie; an aligned 32-bit load there
 * is undefined (the sanitizer build fails on it) and faults on
 * strict-alignment CPUs. */
static int
flow_cache_unaligned_headers(void)
{
	for (int l3 = 4; l3 <= 6; l3 += 2) {
		struct test_sf_spec s1 = {
			.l2 = TEST_L2_ETH, .l3 = l3, .l4 = IPPROTO_TCP,
			.payload_len = 3001, .mss = 1000,
			.layout = TEST_LAYOUT_FLAT, .seq = 0x01020304,
			.ip_id = 5, .seed = 3,
		};
		struct test_sf_spec s2 = s1;
		struct gso_offload_seg_params prm = params_of(&s1, 0,
			GSO_OFFLOAD_BUF_AUTO);
		struct rte_mbuf *sf1, *sf2;
		bool hit;
		int n;

		s2.seq = 0x05060708;
		s2.seed = 4;
		prm.keep_input = 1;
		sf1 = test_sf_build(sf_pool, &s1);
		sf2 = test_sf_build(sf_pool, &s2);
		TEST_ASSERT(sf1 != NULL && sf2 != NULL, "build");
		TEST_ASSERT(shift_to_odd(sf1) == 0 && shift_to_odd(sf2) == 0,
			"room to move the frames");
		TEST_ASSERT(((uintptr_t)rte_pktmbuf_mtod(sf2, uint8_t *) & 1) == 1,
			"headers at an odd address");
		TEST_RUN(flow_vs_cold(sf1, &prm, sf2, &prm, MAX_OUT, &hit, &n));
		rte_pktmbuf_free(sf1);
		rte_pktmbuf_free(sf2);
		TEST_ASSERT(hit && n == 4, "IPv%d: the kept plan taken (%d)",
			l3, n);
	}
	return TEST_OK;
}

static int
flow_cache_params_and_shapes(void)
{
	struct test_sf_spec s = {
		.l2 = TEST_L2_VLAN, .l3 = 4, .l4 = IPPROTO_TCP,
		.payload_len = 5000, .mss = 1000, .layout = TEST_LAYOUT_FLAT,
		.seq = 9, .ip_id = 3,
	};
	struct test_sf_spec u = {
		.l2 = TEST_L2_ETH, .l3 = 4, .l4 = IPPROTO_UDP,
		.payload_len = 5000, .mss = 1000, .layout = TEST_LAYOUT_FLAT,
	};
	struct test_sf_spec uz = u, split = s, big = s;
	struct gso_offload_seg_params prm = params_of(&s, 0, 0), p2;
	struct gso_offload_seg_params uprm = params_of(&u, 0, 0);
	struct rte_mbuf *sf, *sf_split, *sf_big, *usf, *uzsf, *sf_stale;
	struct rte_mbuf *sf_marked;
	bool hit;
	int n;

	prm.keep_input = 1;
	uprm.keep_input = 1;
	uz.udp_zero_cksum = true;
	split.layout = TEST_LAYOUT_SPLIT;
	big.payload_len = 100000;
	big.mss = 1448;
	big.layout = TEST_LAYOUT_CHAIN;
	sf = test_sf_build(sf_pool, &s);
	sf_split = test_sf_build(sf_pool, &split);
	sf_big = test_sf_build(sf_pool, &big);
	usf = test_sf_build(sf_pool, &u);
	uzsf = test_sf_build(sf_pool, &uz);
	sf_stale = test_sf_build(sf_pool, &s);
	sf_marked = test_sf_build(sf_pool, &s);
	TEST_ASSERT(sf && sf_split && sf_big && usf && uzsf && sf_stale &&
		sf_marked, "build");
	/* Another flow: TTL one less (VLAN: 18 + 8). */
	rte_pktmbuf_mtod(sf_stale, uint8_t *)[26]--;

	p2 = prm;
	p2.mss = 700;   /* the MSS is not part of the plan */
	TEST_RUN(flow_vs_cold(sf, &prm, sf, &p2, MAX_OUT, &hit, &n));
	TEST_ASSERT(hit && n == 8, "other MSS: reused, 8 segments");
	p2.mss = 5000;
	TEST_RUN(flow_vs_cold(sf, &prm, sf, &p2, MAX_OUT, &hit, &n));
	TEST_ASSERT(n == -GSO_OFFLOAD_ENOSPLIT, "nothing to split");
	p2.mss = 0;
	TEST_RUN(flow_vs_cold(sf, &prm, sf, &p2, MAX_OUT, &hit, &n));
	TEST_ASSERT(n == -GSO_OFFLOAD_EMSS, "MSS 0");
	TEST_RUN(flow_vs_cold(sf, &prm, sf, &prm, 4, &hit, &n));
	TEST_ASSERT(n == -GSO_OFFLOAD_EOUT, "output too small");
	p2 = prm;
	p2.cksum = GSO_OFFLOAD_CKSUM_IP_HW | GSO_OFFLOAD_CKSUM_L4_HW;
	TEST_RUN(flow_vs_cold(sf, &prm, sf, &p2, MAX_OUT, &hit, &n));
	TEST_ASSERT(!hit && n == 5, "other checksum mode: planned afresh");
	p2 = prm;
	p2.ip_id_stride = 5;
	TEST_RUN(flow_vs_cold(sf, &prm, sf, &p2, MAX_OUT, &hit, &n));
	TEST_ASSERT(!hit && n == 5, "other ID stride: planned afresh");
	p2 = prm;
	p2.proto = GSO_OFFLOAD_SEG_UDP;
	TEST_RUN(flow_vs_cold(sf, &prm, sf, &p2, MAX_OUT, &hit, &n));
	TEST_ASSERT(!hit && n == -GSO_OFFLOAD_EPROTO, "UDP asked of TCP");
	TEST_RUN(flow_vs_cold(sf, &prm, sf_split, &prm, MAX_OUT, &hit, &n));
	TEST_ASSERT(!hit && n == 5, "headers across mbufs: planned afresh");
	/* The first mbuf holds 7 bytes of header; its buffer behind them
	 * a stale copy of another flow's headers, which is planned. */
	memcpy(rte_pktmbuf_mtod(sf_split, uint8_t *),
		rte_pktmbuf_mtod(sf_stale, uint8_t *), 128);
	TEST_RUN(flow_vs_cold(sf_stale, &prm, sf_split, &prm, MAX_OUT, &hit,
		&n));
	TEST_ASSERT(!hit && n == 5, "stale bytes behind the data: not read");
	/* Metadata is each superframe's own. */
	mark_metadata(sf_marked);
	TEST_RUN(flow_vs_cold(sf, &prm, sf_marked, &prm, MAX_OUT, &hit, &n));
	TEST_ASSERT(hit && n == 5, "dynamic flag: reused");
	TEST_RUN(flow_vs_cold(sf, &prm, sf_big, &prm, MAX_OUT, &hit, &n));
	TEST_ASSERT(!hit && n == 100, "IP length 0: planned afresh");
	sf->ol_flags |= RTE_MBUF_F_TX_TUNNEL_VXLAN;
	TEST_RUN(flow_vs_cold(sf_split, &prm, sf, &prm, MAX_OUT, &hit, &n));
	TEST_ASSERT(!hit && n == -GSO_OFFLOAD_EPROTO, "tunnel flags");
	sf->ol_flags &= ~RTE_MBUF_F_TX_TUNNEL_VXLAN;
	/* UDP/IPv4 "no checksum" is the superframe's, both ways. */
	TEST_RUN(flow_vs_cold(usf, &uprm, uzsf, &uprm, MAX_OUT, &hit, &n));
	TEST_ASSERT(!hit && n == 5, "checksum, then none");
	TEST_RUN(flow_vs_cold(uzsf, &uprm, usf, &uprm, MAX_OUT, &hit, &n));
	TEST_ASSERT(!hit && n == 5, "none, then a checksum");
	TEST_RUN(flow_vs_cold(usf, &uprm, usf, &uprm, MAX_OUT, &hit, &n));
	TEST_ASSERT(hit && n == 5, "UDP flow: reused");
	rte_pktmbuf_free(sf);
	rte_pktmbuf_free(sf_split);
	rte_pktmbuf_free(sf_big);
	rte_pktmbuf_free(usf);
	rte_pktmbuf_free(uzsf);
	rte_pktmbuf_free(sf_stale);
	rte_pktmbuf_free(sf_marked);
	return TEST_OK;
}

/* ---- Many flows: the flow table ---- */

/* A superframe of spec s whose L4 source port is sport: another flow. */
static struct rte_mbuf *
flow_sf(const struct test_sf_spec *s, uint16_t sport)
{
	struct rte_mbuf *m = test_sf_build(sf_pool, s);

	if (m != NULL) {
		uint8_t *l4 = rte_pktmbuf_mtod_offset(m, uint8_t *,
			m->l2_len + m->l3_len);

		l4[0] = (uint8_t)(sport >> 8);
		l4[1] = (uint8_t)sport;
	}
	return m;
}

/* n flows of spec s, each in a slot of its own (same_slot: all in one).
 * Returns the count built. */
static unsigned int
flows_by_slot(const struct test_sf_spec *s, struct rte_mbuf **sf,
		unsigned int n, bool same_slot)
{
	bool used[GSO_FLOW_SLOTS] = { false };
	unsigned int k = 0;
	int first = -1;

	for (uint32_t sport = 1000; k < n && sport < 60000; sport++) {
		struct rte_mbuf *m = flow_sf(s, (uint16_t)sport);
		int slot = m != NULL ? gso_seg_flow_slot(m) : -1;
		bool take = slot >= 0 && (same_slot ?
			(first < 0 || slot == first) : !used[slot]);

		if (!take) {
			rte_pktmbuf_free(m);
			continue;
		}
		if (first < 0)
			first = slot;
		used[slot] = true;
		sf[k++] = m;
	}
	return k;
}

/*
 * Flows that do not come back: after four misses in a row (superframes
 * neither of the last flow nor found in the table) the engine keeps no
 * plan for 64 superframes, so a run of one flow then goes the full way
 * and still comes out exact, then keeps one again. Flows kept before stay
 * in the table meanwhile.
 */
static int
flow_cache_backs_off(void)
{
	struct test_sf_spec s = {
		.l2 = TEST_L2_ETH, .l3 = 6, .l4 = IPPROTO_UDP,
		.payload_len = 3000, .mss = 1000, .layout = TEST_LAYOUT_FLAT,
	};
	struct gso_offload_seg_params prm = params_of(&s, 0, 0);
	struct rte_mbuf *f[7];
	struct test_pools_use base;
	uint64_t hits;
	bool hit;
	int n;

	TEST_ASSERT_EQ(flows_by_slot(&s, f, 7, false), 7, "seven flows");
	base = in_use();
	prm.keep_input = 1;
	gso_seg_flow_forget(shared);
	/* a (kept), b (a miss, kept), b (a hit: the count starts again),
	 * then c, d, e, g: four misses in a row. */
	for (int i = 0; i < 7; i++) {
		n = gso_offload_segment(shared, f["abbcdeg"[i] - 'a'], &prm, out,
			MAX_OUT);
		TEST_ASSERT_EQ(n, 3, "segmented");
		rte_pktmbuf_free_bulk(out, n);
	}
	TEST_ASSERT(!shared->flow.valid && shared->flow.backoff == 64,
		"backing off");
	hits = shared->flow.hits;
	for (int i = 0; i < 63; i++) {
		TEST_RUN(shared_vs_cold(f[6], &prm, MAX_OUT, &hit, &n));
		TEST_ASSERT(!hit && n == 3, "no plan kept while backing off");
	}
	TEST_ASSERT_EQ(shared->flow.hits, hits, "no hits");
	/* Not a miss, and taking nothing from the back-off's count. */
	TEST_RUN(shared_vs_cold(f[0], &prm, MAX_OUT, &hit, &n));
	TEST_ASSERT(hit && n == 3, "a kept flow found in the table");
	TEST_ASSERT_EQ(shared->flow.backoff, 1, "still backing off");
	TEST_RUN(shared_vs_cold(f[6], &prm, MAX_OUT, &hit, &n));
	TEST_ASSERT(!hit && n == 3, "the last superframe of the back-off");
	for (int i = 0; i < 2; i++) {
		TEST_RUN(shared_vs_cold(f[6], &prm, MAX_OUT, &hit, &n));
		TEST_ASSERT_EQ(n, 3, "segmented");
	}
	TEST_ASSERT_EQ(shared->flow.hits, hits + 2, "kept again, then hit");
	TEST_ASSERT(in_use_back(&base), "mbufs returned");
	for (int i = 0; i < 7; i++)
		rte_pktmbuf_free(f[i]);
	return TEST_OK;
}

/*
 * Flows interleaved as in a switch's bursts, each in its own slot: once
 * the back-off has let them all in, every superframe takes its plan from
 * the table, and the segments are those a fresh plan gives.
 */
#define TABLE_FLOWS 12
static int
flow_table_interleaved_flows(void)
{
	static const struct test_sf_spec specs[] = {
		{ .l2 = TEST_L2_ETH, .l3 = 4, .l4 = IPPROTO_TCP,
		  .payload_len = 3000, .mss = 1000 },
		{ .l2 = TEST_L2_VLAN, .l3 = 6, .l4 = IPPROTO_TCP,
		  .l4_opts = true, .payload_len = 3000, .mss = 1000 },
		{ .l2 = TEST_L2_ETH, .l3 = 4, .l3_opts = true,
		  .l4 = IPPROTO_UDP, .payload_len = 3000, .mss = 1000 },
	};

	for (size_t k = 0; k < TEST_NB(specs); k++) {
		struct gso_offload_seg_params prm = params_of(&specs[k], 0, 0);
		struct rte_mbuf *sf[TABLE_FLOWS];
		struct test_pools_use base;
		uint64_t table_hits;
		unsigned int round, hits = 0;
		bool hit;
		int n;

		TEST_ASSERT_EQ(flows_by_slot(&specs[k], sf, TABLE_FLOWS, false),
			TABLE_FLOWS, "flows");
		base = in_use();
		prm.keep_input = 1;
		gso_seg_flow_forget(shared);
		table_hits = gso_seg_flow_table_hits(shared);
		for (round = 0; round < 64 && hits < TABLE_FLOWS; round++) {
			hits = 0;
			for (unsigned int i = 0; i < TABLE_FLOWS; i++) {
				TEST_RUN(shared_vs_cold(sf[i], &prm, MAX_OUT,
					&hit, &n));
				TEST_ASSERT_EQ(n, 3, "segmented");
				hits += hit;
			}
		}
		TEST_ASSERT_EQ(hits, TABLE_FLOWS,
			"spec %zu: every flow found in the table in the end", k);
		TEST_ASSERT(round > 1, "not at first sight");
		TEST_ASSERT(gso_seg_flow_table_hits(shared) - table_hits >=
			TABLE_FLOWS, "plans taken from the table");
		TEST_ASSERT(in_use_back(&base), "mbufs returned");
		for (unsigned int i = 0; i < TABLE_FLOWS; i++)
			rte_pktmbuf_free(sf[i]);
	}
	return TEST_OK;
}

/*
 * Two flows in one slot evict each other: every superframe still comes
 * out exact, none takes the other's plan. A superframe without IP
 * metadata looks up no slot, and gets the last flow's plan only.
 */
static int
flow_table_collisions_and_no_metadata(void)
{
	struct test_sf_spec s = {
		.l2 = TEST_L2_ETH, .l3 = 4, .l4 = IPPROTO_TCP,
		.payload_len = 3000, .mss = 1000, .layout = TEST_LAYOUT_FLAT,
	};
	struct gso_offload_seg_params prm = params_of(&s, 0, 0);
	struct rte_mbuf *sf[2];
	struct test_pools_use base;
	uint64_t table_hits;
	bool hit;
	int n;

	TEST_ASSERT_EQ(flows_by_slot(&s, sf, 2, true), 2, "two flows");
	TEST_ASSERT_EQ(gso_seg_flow_slot(sf[0]), gso_seg_flow_slot(sf[1]),
		"one slot");
	base = in_use();
	prm.keep_input = 1;
	gso_seg_flow_forget(shared);
	table_hits = gso_seg_flow_table_hits(shared);
	/* a, b, a, b, a: misses (the slot holds the other flow), the
	 * fourth in a row starts the back-off, which keeps nothing: the
	 * slot holds b from then on, found by every b. */
	for (int i = 0; i < 16; i++) {
		TEST_RUN(shared_vs_cold(sf[i % 2], &prm, MAX_OUT, &hit, &n));
		TEST_ASSERT(hit == (i % 2 == 1 && i >= 5) && n == 3,
			"superframe %d: exact, %s", i,
			hit ? "a plan taken" : "no plan");
	}
	TEST_ASSERT_EQ(gso_seg_flow_table_hits(shared), table_hits + 6,
		"b's, from the table");
	table_hits = gso_seg_flow_table_hits(shared);

	for (int i = 0; i < 2; i++)
		sf[i]->ol_flags &= ~(RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IPV6);
	TEST_ASSERT_EQ(gso_seg_flow_slot(sf[0]), -1, "no metadata, no slot");
	gso_seg_flow_forget(shared);
	for (int i = 0; i < 4; i++) {
		TEST_RUN(shared_vs_cold(sf[i / 2], &prm, MAX_OUT, &hit, &n));
		TEST_ASSERT(hit == (i % 2 == 1) && n == 3,
			"superframe %d: the last flow's plan only", i);
	}
	TEST_ASSERT_EQ(gso_seg_flow_table_hits(shared), table_hits,
		"nothing from the table");
	TEST_ASSERT(in_use_back(&base), "mbufs returned");
	rte_pktmbuf_free(sf[0]);
	rte_pktmbuf_free(sf[1]);
	return TEST_OK;
}

/*
 * A slot's copy taken but not matching (another checksum mode) while
 * backing off: the superframe is planned afresh into the template and
 * its plan not kept, so the copy must not stay the last flow's plan. It
 * did once: the next flow's superframe (TCP options) was planned into the
 * template too, and the one after it matched that template under the
 * copy's mask and took the copy's plan (no options): wrong lengths.
 */
static int
flow_table_copy_not_left_stale(void)
{
	static const uint8_t hw = GSO_OFFLOAD_CKSUM_IP_HW |
		GSO_OFFLOAD_CKSUM_L4_HW | GSO_OFFLOAD_CKSUM_L4_PHDR;
	struct test_sf_spec s = {
		.l2 = TEST_L2_ETH, .l3 = 4, .l4 = IPPROTO_TCP,
		.payload_len = 3000, .mss = 1000, .layout = TEST_LAYOUT_FLAT,
	};
	struct gso_offload_seg_params sw = params_of(&s, 0, 0);
	struct gso_offload_seg_params phdr = params_of(&s, hw, 0);
	struct test_sf_spec so = s;
	struct rte_mbuf *sf, *opts;
	struct test_pools_use base;
	bool hit;
	int n;

	so.l4_opts = true;
	sf = test_sf_build(sf_pool, &s);
	opts = test_sf_build(sf_pool, &so);
	TEST_ASSERT(sf != NULL && opts != NULL, "build");
	base = in_use();
	sw.keep_input = phdr.keep_input = 1;
	gso_seg_flow_forget(shared);
	TEST_RUN(shared_vs_cold(sf, &sw, MAX_OUT, &hit, &n));
	TEST_ASSERT(!hit && n == 3, "planned, kept, in its slot");
	/* As after four misses in a row. */
	shared->flow.valid = 0;
	shared->flow.backoff = 64;
	TEST_RUN(shared_vs_cold(sf, &phdr, MAX_OUT, &hit, &n));
	TEST_ASSERT(!hit && n == 3, "the other mode: planned afresh");
	for (int i = 0; i < 2; i++) {
		TEST_RUN(shared_vs_cold(opts, &sw, MAX_OUT, &hit, &n));
		TEST_ASSERT(!hit && n == 3, "another flow, still backing off");
	}
	TEST_RUN(shared_vs_cold(sf, &sw, MAX_OUT, &hit, &n));
	TEST_ASSERT_EQ(n, 3, "the slot's flow and mode again: exact");
	TEST_ASSERT(in_use_back(&base), "mbufs returned");
	rte_pktmbuf_free(sf);
	rte_pktmbuf_free(opts);
	return TEST_OK;
}

/*
 * Where a flat segment puts its data: at least the pool's headroom in
 * front, never past the buffer's end, and the payload on a cache line
 * whenever the data room has the bytes to spare (a copy into a line
 * boundary splits no store). An MSS that fills the room leaves the
 * headroom as it is.
 */
static int
one_flat_placement(uint16_t mss, bool expect_line)
{
	const struct test_sf_spec s = {
		.l2 = TEST_L2_ETH, .l3 = 4, .l4 = IPPROTO_TCP,
		.payload_len = 3 * mss + 7, .mss = mss,
		.layout = TEST_LAYOUT_FLAT,
	};
	struct gso_offload_seg_params prm = params_of(&s, 0,
		GSO_OFFLOAD_BUF_COPY);
	struct test_seg_check chk = { .spec = &s, .cksum = 0,
		.dyn_offset = -1 };
	const uint32_t hdr_len = test_sf_hdr_len(&s);
	struct test_pools_use base = in_use();
	struct rte_mbuf *sf = test_sf_build(sf_pool, &s);
	bool placed = true, ok;
	uint8_t *orig;
	int n;

	TEST_ASSERT(sf != NULL, "build");
	orig = test_mbuf_bytes(sf, &chk.orig_len);
	TEST_ASSERT(orig != NULL, "bytes");
	chk.orig = orig;
	chk.port = sf->port;
	chk.rss = sf->hash.rss;
	prm.keep_input = 1;
	n = gso_offload_segment(shared, sf, &prm, out, MAX_OUT);
	TEST_ASSERT(n == 4, "4 segments, got %d", n);
	for (int i = 0; i < n; i++) {
		const struct rte_mbuf *m = out[i];
		uintptr_t payload = rte_pktmbuf_mtod_offset(m, uintptr_t,
			hdr_len);

		placed &= m->nb_segs == 1;
		placed &= m->data_off >= RTE_PKTMBUF_HEADROOM;
		placed &= (uint32_t)m->data_off + m->data_len <= m->buf_len;
		if (expect_line)
			placed &= payload % RTE_CACHE_LINE_SIZE == 0;
		else
			placed &= m->data_off == RTE_PKTMBUF_HEADROOM;
	}
	ok = test_seg_verify(&chk, out, n);
	rte_pktmbuf_free_bulk(out, n);
	rte_pktmbuf_free(sf);
	free(orig);
	TEST_ASSERT(placed, "mss %u: data placed as documented", mss);
	TEST_ASSERT(ok, "mss %u: segments exact", mss);
	TEST_ASSERT(in_use_back(&base), "mbufs returned");
	return TEST_OK;
}

static int
flat_payload_on_cache_line(void)
{
	const uint32_t room = rte_pktmbuf_data_room_size(lifo_copy_pool) -
		RTE_PKTMBUF_HEADROOM;
	const uint16_t fill = (uint16_t)(room - 54);  /* Ethernet/IPv4/TCP */

	TEST_RUN(one_flat_placement(1448, true));
	TEST_RUN(one_flat_placement(1000, true));
	/* Just enough spare room for any pad to a line (128 bytes on
	 * Debian's arm64 DPDK, 64 on x86). */
	TEST_RUN(one_flat_placement(fill - (RTE_CACHE_LINE_SIZE - 1), true));
	TEST_RUN(one_flat_placement(fill, false));
	return TEST_OK;
}

/*
 * keep_input = 0: the superframe is consumed; once the segments are freed
 * every mbuf (and external buffer) is back. keep_input = 1: it stays the
 * caller's, unchanged, through two segmentations in flight at once (a
 * switch sending it to two ports); once both are freed its references are
 * what they were, and freeing it returns everything.
 */
static int
keep_or_consume_superframe(void)
{
	static const uint8_t modes[] = { GSO_OFFLOAD_BUF_ZEROCOPY,
		GSO_OFFLOAD_BUF_COPY };
	unsigned int runs = 0;

	for (int kind = 0; kind < SF_KIND_NB; kind++)
	for (int lay = 0; lay < TEST_LAYOUT_NB; lay++)
	for (size_t b = 0; b < TEST_NB(modes); b++)
	for (int keep = 0; keep < 2; keep++)
	for (int e = 0; e < 2; e++) {
		struct gso_offload_seg_ctx *eng = e ? shared : engine;
		struct test_sf_spec s = {
			.l2 = TEST_L2_ETH, .l3 = 4, .l4 = IPPROTO_TCP,
			.payload_len = lay == TEST_LAYOUT_FLAT ? 60000 : 9000,
			.mss = 1448, .layout = lay,
		};
		struct gso_offload_seg_params prm = params_of(&s,
			GSO_OFFLOAD_CKSUM_IP_HW | GSO_OFFLOAD_CKSUM_L4_HW, modes[b]);
		struct test_seg_check chk = {
			.spec = &s, .cksum = prm.cksum, .port = 3,
			.rss = 0xfeedbeef, .dyn_value = 0x0123456789abcdefULL,
			.dyn_offset = dyn_offset, .dyn_flag = dyn_flag,
		};
		struct test_pools_use base = in_use();
		unsigned int refs;
		struct rte_mbuf *sf;
		struct test_sf_state st;
		int n, n2 = 0;
		bool ok;

		/* An external buffer holds the whole frame in one piece. */
		if (kind == SF_EXTBUF && lay != TEST_LAYOUT_FLAT)
			continue;
		ext_freed = 0;
		sf = sf_build_kind(&s, kind);
		TEST_ASSERT(sf != NULL, "build kind %d layout %d", kind, lay);
		test_sf_snapshot(sf, &st);
		refs = data_refs(sf);
		chk.orig = st.bytes;
		chk.orig_len = st.len;
		prm.keep_input = (uint8_t)keep;

		n = gso_offload_segment(eng, sf, &prm, out, MAX_OUT);
		TEST_ASSERT(n > 0, "segment: %s", gso_offload_seg_strerror(n));
		ok = test_seg_verify(&chk, out, n);
		if (ok && keep) {
			n2 = gso_offload_segment(eng, sf, &prm, out2, MAX_OUT);
			ok = n2 == n && test_seg_verify(&chk, out2, n2);
		}
		rte_pktmbuf_free_bulk(out, n);
		if (n2 > 0)
			rte_pktmbuf_free_bulk(out2, n2);
		TEST_ASSERT(ok, "kind %d layout %d buffers %u keep %d: segments",
			kind, lay, modes[b], keep);
		if (keep) {
			TEST_ASSERT(test_sf_unchanged(sf, &st) && data_refs(sf) == refs,
				"kind %d layout %d buffers %u: kept superframe as it was",
				kind, lay, modes[b]);
			TEST_ASSERT_EQ(ext_freed, 0, "external buffer still held");
			rte_pktmbuf_free(sf);
		}
		free(st.bytes);
		TEST_ASSERT(in_use_back(&base),
			"kind %d layout %d buffers %u keep %d: mbufs returned",
			kind, lay, modes[b], keep);
		TEST_ASSERT_EQ(ext_freed, kind == SF_EXTBUF ? 1u : 0u,
			"external buffer freed once");
		runs++;
	}
	TEST_ASSERT_EQ(runs, (2 * TEST_LAYOUT_NB + 1) * 2 * 2 * 2, "runs");
	return TEST_OK;
}

/* ---- The superframe as its own first segment ---- */

/* mbufs the engines' pools (not the superframe pool) hold now. */
static unsigned int
engine_mbufs(void)
{
	struct test_pools_use u = in_use();

	return u.n[1] + u.n[2] + u.n[3] + u.n[4];
}

/* s's superframe with its first mbuf cut after `keep` payload bytes, the
 * rest of the frame moved into a second mbuf (a superframe whose first
 * mbuf holds the headers and some payload, as a stack's linear head). */
static struct rte_mbuf *
sf_build_head(const struct test_sf_spec *s, uint32_t keep)
{
	struct rte_mbuf *m = test_sf_build(sf_pool, s), *t;
	uint32_t at = test_sf_hdr_len(s) + keep;

	if (m == NULL)
		return NULL;
	mark_metadata(m);
	if (keep == 0 || m->nb_segs != 1 || at >= m->data_len)
		return m;
	t = rte_pktmbuf_alloc(sf_pool);
	if (t == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	memcpy(rte_pktmbuf_mtod(t, uint8_t *),
		rte_pktmbuf_mtod_offset(m, uint8_t *, at), m->data_len - at);
	t->data_len = (uint16_t)(m->data_len - at);
	m->data_len = (uint16_t)at;
	m->next = t;
	m->nb_segs = 2;
	return m;
}

/* Free segs[0..n) in one of several orders: forward, backward, the
 * superframe (segment 0) last, or a shuffle; after each free, the data
 * count of the superframe must have dropped by one while other segments
 * still hold it. */
static bool
free_in_order(struct rte_mbuf **segs, int n, int order, struct rte_mbuf *sf,
		bool counted)
{
	int idx[MAX_OUT];

	for (int i = 0; i < n; i++)
		idx[i] = order == 1 ? n - 1 - i : order == 2 ? (i + 1) % n : i;
	if (order == 3)
		for (int i = n - 1; i > 0; i--) {
			int j = (int)(((unsigned int)i * 2654435761u + 7u) %
				(unsigned int)(i + 1));
			int t = idx[i];

			idx[i] = idx[j];
			idx[j] = t;
		}
	for (int i = 0; i < n; i++) {
		rte_pktmbuf_free(segs[idx[i]]);
		/* While any segment remains, sf's buffer is alive: it is
		 * one of them, or their references hold it. */
		if (counted && i + 1 < n &&
				rte_mbuf_refcnt_read(sf) != (uint16_t)(n - 1 - i))
			return false;
	}
	return true;
}

/*
 * A superframe the engine may consume (a direct mbuf, count 1, headers and
 * the first MSS in its first mbuf) becomes segment 0: 2 (n - 1) mbufs
 * taken in zero-copy, n - 1 in copy mode; its count is n while zero-copy
 * references point into it, and whatever order the segments are freed in,
 * every mbuf goes back exactly once (the poisoning pools catch a use after
 * free).
 */
static int
superframe_is_first_segment(void)
{
	static const struct {
		uint32_t payload;
		uint32_t head;  /* payload bytes in the first mbuf; 0: flat */
	} shapes[] = {
		{ 4000, 0 },            /* 3 segments, the fast path */
		{ 64000, 0 },           /* 45 */
		{ 100000, 0 },          /* more than one 64 KB mbuf: general */
		{ 9000, 1448 },         /* head holds exactly the first MSS */
		{ 9000, 3000 },         /* and part of the third segment */
	};
	static const uint8_t modes[] = { GSO_OFFLOAD_BUF_ZEROCOPY,
		GSO_OFFLOAD_BUF_COPY };
	static const uint8_t cks[] = { 0,
		GSO_OFFLOAD_CKSUM_IP_HW | GSO_OFFLOAD_CKSUM_L4_HW };
	unsigned int runs = 0;

	for (size_t sh = 0; sh < TEST_NB(shapes); sh++)
	for (size_t b = 0; b < TEST_NB(modes); b++)
	for (size_t ck = 0; ck < TEST_NB(cks); ck++)
	for (int e = 0; e < 2; e++)
	for (int order = 0; order < 4; order++) {
		struct gso_offload_seg_ctx *eng = e ? shared : engine;
		struct test_sf_spec s = {
			.l2 = TEST_L2_VLAN, .l3 = 4, .l4 = IPPROTO_TCP,
			.l4_opts = true, .payload_len = shapes[sh].payload,
			.mss = 1448, .layout = TEST_LAYOUT_FLAT,
		};
		struct gso_offload_seg_params prm = params_of(&s, cks[ck],
			modes[b]);
		struct test_seg_check chk = {
			.spec = &s, .cksum = cks[ck], .port = 3,
			.rss = 0xfeedbeef, .dyn_value = 0x0123456789abcdefULL,
			.dyn_offset = dyn_offset, .dyn_flag = dyn_flag,
		};
		struct test_pools_use base = in_use();
		const unsigned int before = engine_mbufs();
		const int nseg = (int)((s.payload_len + s.mss - 1) / s.mss);
		const bool contig = shapes[sh].head == 0 &&
			shapes[sh].payload <= 64000;
		const bool copy = modes[b] == GSO_OFFLOAD_BUF_COPY;
		struct rte_mbuf *sf = sf_build_head(&s, shapes[sh].head);
		struct test_sf_state st;
		unsigned int taken;
		bool ok, freed;
		int n;

		TEST_ASSERT(sf != NULL, "build");
		test_sf_snapshot(sf, &st);
		chk.orig = st.bytes;
		chk.orig_len = st.len;
		n = gso_offload_segment(eng, sf, &prm, out, MAX_OUT);
		TEST_ASSERT_EQ(n, nseg, "shape %zu mode %u: %s", sh, modes[b],
			gso_offload_seg_strerror(n));
		taken = engine_mbufs() - before;
		ok = test_seg_verify(&chk, out, n);
		free(st.bytes);
		TEST_ASSERT(ok, "shape %zu mode %u cksum %#x: segments", sh,
			modes[b], cks[ck]);
		TEST_ASSERT(out[0] == sf && sf->nb_segs == 1 && sf->next == NULL,
			"shape %zu mode %u: segment 0 is the superframe", sh,
			modes[b]);
		/* One mbuf per segment but the first (copy); a header and
		 * a reference per segment but the first (zero-copy, the
		 * payload in one mbuf), plus one reference per mbuf
		 * boundary crossed otherwise. */
		if (copy)
			TEST_ASSERT_EQ(taken, (unsigned int)nseg - 1,
				"shape %zu: copy mbufs", sh);
		else if (contig)
			TEST_ASSERT_EQ(taken, 2u * ((unsigned int)nseg - 1),
				"shape %zu: zero-copy mbufs", sh);
		else
			TEST_ASSERT(taken >= 2u * ((unsigned int)nseg - 1) &&
				taken <= 2u * ((unsigned int)nseg - 1) + 2,
				"shape %zu: zero-copy mbufs %u", sh, taken);
		/* Its count: its own, plus a reference per other segment
		 * whose payload it holds. */
		if (copy)
			TEST_ASSERT_EQ(rte_mbuf_refcnt_read(sf), 1, "copy count");
		else if (contig)
			TEST_ASSERT_EQ(rte_mbuf_refcnt_read(sf), nseg,
				"zero-copy count");
		freed = free_in_order(out, n, order, sf, !copy && contig);
		TEST_ASSERT(freed, "shape %zu mode %u order %d: count as "
			"segments are freed", sh, modes[b], order);
		TEST_ASSERT(in_use_back(&base), "shape %zu mode %u order %d: "
			"mbufs returned", sh, modes[b], order);
		runs++;
	}
	TEST_ASSERT_EQ(runs, TEST_NB(shapes) * 2 * 2 * 2 * 4, "runs");
	return TEST_OK;
}

/*
 * Where the superframe must not be written, or cannot be a segment as it
 * is, today's path: kept (keep_input), shared (a count above 1), a clone
 * or an external buffer (data that may be shared or not the engine's), a
 * first mbuf without the whole first segment (headers only, headers split,
 * a first MSS across mbufs). A kept or shared superframe is then exactly
 * as it was.
 */
static int
superframe_not_reused(void)
{
	enum { R_KEEP, R_SHARED, R_CLONE, R_EXTBUF, R_CHAIN, R_SPLIT,
		R_SHORT_HEAD, R_NB };
	static const uint8_t modes[] = { GSO_OFFLOAD_BUF_ZEROCOPY,
		GSO_OFFLOAD_BUF_COPY };

	for (int why = 0; why < R_NB; why++)
	for (size_t b = 0; b < TEST_NB(modes); b++) {
		struct test_sf_spec s = {
			.l2 = TEST_L2_ETH, .l3 = 6, .l4 = IPPROTO_TCP,
			.payload_len = 6000, .mss = 1448,
			.layout = why == R_CHAIN ? TEST_LAYOUT_CHAIN :
				why == R_SPLIT ? TEST_LAYOUT_SPLIT :
				TEST_LAYOUT_FLAT,
		};
		struct gso_offload_seg_params prm = params_of(&s,
			GSO_OFFLOAD_CKSUM_IP_HW | GSO_OFFLOAD_CKSUM_L4_HW, modes[b]);
		struct test_seg_check chk = {
			.spec = &s, .cksum = prm.cksum, .port = 3,
			.rss = 0xfeedbeef, .dyn_value = 0x0123456789abcdefULL,
			.dyn_offset = dyn_offset, .dyn_flag = dyn_flag,
		};
		struct test_pools_use base = in_use();
		struct rte_mbuf *sf;
		struct test_sf_state st;
		bool ok, same = true;
		int n;

		ext_freed = 0;
		sf = why == R_CLONE ? sf_build_kind(&s, SF_CLONE) :
			why == R_EXTBUF ? sf_build_kind(&s, SF_EXTBUF) :
			why == R_SHORT_HEAD ? sf_build_head(&s, 1000) :
			sf_build_kind(&s, SF_PLAIN);
		TEST_ASSERT(sf != NULL, "build %d", why);
		/* The count the caller's reference leaves when the engine
		 * has consumed its own. */
		test_sf_snapshot(sf, &st);
		if (why == R_SHARED)
			rte_mbuf_refcnt_update(sf, 1);
		prm.keep_input = why == R_KEEP;
		chk.orig = st.bytes;
		chk.orig_len = st.len;
		n = gso_offload_segment(engine, sf, &prm, out, MAX_OUT);
		TEST_ASSERT_EQ(n, 5, "case %d mode %u: %s", why, modes[b],
			gso_offload_seg_strerror(n));
		ok = test_seg_verify(&chk, out, n);
		for (int i = 0; i < n; i++)
			ok = ok && out[i] != sf;
		rte_pktmbuf_free_bulk(out, n);
		/* Once its segments are gone, a kept or shared superframe
		 * is as it was, counts included. */
		if (why == R_KEEP || why == R_SHARED) {
			same = test_sf_unchanged(sf, &st);
			rte_pktmbuf_free(sf);
		}
		free(st.bytes);
		TEST_ASSERT(ok, "case %d mode %u: segments, none the superframe",
			why, modes[b]);
		TEST_ASSERT(same, "case %d mode %u: superframe written", why,
			modes[b]);
		TEST_ASSERT(in_use_back(&base), "case %d mode %u: mbufs returned",
			why, modes[b]);
		TEST_ASSERT_EQ(ext_freed, why == R_EXTBUF ? 1u : 0u,
			"external buffer freed once");
	}
	return TEST_OK;
}

/* A failed allocation at any point, with the superframe about to become
 * segment 0: it is left exactly as it was (bytes, metadata, counts) and
 * every mbuf taken goes back; then it succeeds as segment 0. */
static int
reuse_alloc_failure_leaves_input(void)
{
	static const struct { uint32_t payload; uint32_t head; uint16_t mss;
		uint8_t buffers; uint8_t cksum; } cases[] = {
		{ 4000, 0, 1448, GSO_OFFLOAD_BUF_ZEROCOPY, 0 },
		{ 4000, 0, 1448, GSO_OFFLOAD_BUF_COPY, 0 },
		{ 4000, 0, 1448, GSO_OFFLOAD_BUF_ZEROCOPY, 3 },
		{ 100000, 0, 500, GSO_OFFLOAD_BUF_ZEROCOPY, 0 },
		{ 100000, 0, 500, GSO_OFFLOAD_BUF_COPY, 0 },
		{ 60000, 3000, 500, GSO_OFFLOAD_BUF_ZEROCOPY, 0 },
		{ 60000, 3000, 500, GSO_OFFLOAD_BUF_COPY, 3 },
	};

	for (size_t c = 0; c < 2 * TEST_NB(cases); c++) {
		struct gso_offload_seg_ctx *eng = c % 2 ? shared : engine;
		struct test_sf_spec s = {
			.l2 = TEST_L2_ETH, .l3 = 4, .l4 = IPPROTO_TCP,
			.payload_len = cases[c / 2].payload,
			.mss = cases[c / 2].mss, .layout = TEST_LAYOUT_FLAT,
		};
		struct gso_offload_seg_params prm = params_of(&s,
			cases[c / 2].cksum, cases[c / 2].buffers);
		struct test_seg_check chk = {
			.spec = &s, .cksum = prm.cksum, .port = 3,
			.rss = 0xfeedbeef, .dyn_value = 0x0123456789abcdefULL,
			.dyn_offset = dyn_offset, .dyn_flag = dyn_flag,
		};
		struct test_pools_use base = in_use();
		struct rte_mbuf *sf = sf_build_head(&s, cases[c / 2].head);
		struct test_sf_state st;
		unsigned int failures;
		bool ok;
		int n;

		TEST_ASSERT(sf != NULL, "build");
		test_sf_snapshot(sf, &st);
		chk.orig = st.bytes;
		chk.orig_len = st.len;
		n = test_seg_fail_each_point(&env, eng, sf, &prm, out, MAX_OUT,
			&failures);
		TEST_ASSERT(n > 0, "case %zu: succeeds once allocations do: %d",
			c, n);
		TEST_ASSERT(failures >= 1, "case %zu: failure points", c);
		ok = test_seg_verify(&chk, out, n) && out[0] == sf;
		free(st.bytes);
		rte_pktmbuf_free_bulk(out, n);
		TEST_ASSERT(ok, "case %zu: segments, the superframe first", c);
		TEST_ASSERT(in_use_back(&base), "case %zu: mbufs returned", c);
	}
	return TEST_OK;
}

/* ---- Bad input ---- */

typedef void (*mutate_fn)(uint8_t *frame, struct rte_mbuf *m);

static void m_short_eth(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(f); rte_pktmbuf_trim(m, m->pkt_len - 10); }
static void m_ihl4(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(m); f[14] = 0x44; }
static void m_doff4(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(m); f[14 + 20 + 12] = 0x40; }
static void m_hdr_cut(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(f); rte_pktmbuf_trim(m, m->pkt_len - 40); }
static void m_totlen_big(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(m); f[16] = 0xff; f[17] = 0xf0; }
static void m_totlen_small(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(m); f[16] = 0; f[17] = 30; }
static void m_totlen_zero(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(m); f[16] = 0; f[17] = 0; }
static void m_mf(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(m); f[20] = 0x20; }
static void m_fragoff(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(m); f[21] = 0x10; }
static void m_arp(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(m); f[12] = 0x08; f[13] = 0x06; }
static void m_syn(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(m); f[14 + 20 + 13] |= 0x02; }
static void m_rst(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(m); f[14 + 20 + 13] |= 0x04; }
static void m_udp_proto(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(m); f[14 + 9] = IPPROTO_UDP; }
static void m_tunnel(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(f); m->ol_flags |= RTE_MBUF_F_TX_TUNNEL_VXLAN; }

/* IPv6 ones on an IPv6 superframe. */
static void m6_fragment(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(m); f[14 + 6] = 44; }
static void m6_esp(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(m); f[14 + 6] = 50; }
static void m6_plen_big(uint8_t *f, struct rte_mbuf *m)
{ RTE_SET_USED(m); f[18] = 0xff; f[19] = 0x00; }

static int
one_bad(const char *what, int l3, int l4, mutate_fn mut, int want,
		uint16_t mss, uint16_t nb_out)
{
	struct test_sf_spec s = {
		.l2 = TEST_L2_ETH, .l3 = l3, .l4 = l4, .payload_len = 5000,
		.mss = 1000,
	};
	struct gso_offload_seg_params prm = params_of(&s, 0, 0);
	struct rte_mbuf *sf = test_sf_build(sf_pool, &s);
	struct test_pools_use base;
	struct test_sf_state st;
	int n;

	TEST_ASSERT(sf != NULL, "build");
	if (mut != NULL)
		mut(rte_pktmbuf_mtod(sf, uint8_t *), sf);
	prm.mss = mss;
	test_sf_snapshot(sf, &st);
	base = in_use();
	n = gso_offload_segment(engine, sf, &prm, out, nb_out);
	if (n > 0)
		rte_pktmbuf_free_bulk(out, n);
	else
		TEST_ASSERT(test_sf_unchanged(sf, &st), "%s: input changed", what);
	TEST_ASSERT_EQ(n, -want, "%s: %s", what, gso_offload_seg_strerror(n));
	TEST_ASSERT(in_use_back(&base), "%s: nothing allocated", what);
	/* The count does not know the output room: 5 segments. */
	TEST_ASSERT_EQ(gso_offload_segment_count(sf, &prm),
		want == GSO_OFFLOAD_EOUT ? 5 : -want, "%s: count agrees", what);
	TEST_ASSERT(strcmp(gso_offload_seg_strerror(n), "unknown error") != 0,
		"%s: documented", what);
	rte_pktmbuf_free(sf);
	free(st.bytes);
	return TEST_OK;
}

static int
bad_input_error_codes(void)
{
	const int T = IPPROTO_TCP, U = IPPROTO_UDP;

	TEST_RUN(one_bad("frame shorter than Ethernet", 4, T, m_short_eth, GSO_OFFLOAD_EHDR, 1000, MAX_OUT));
	TEST_RUN(one_bad("IPv4 IHL 4", 4, T, m_ihl4, GSO_OFFLOAD_EHDR, 1000, MAX_OUT));
	TEST_RUN(one_bad("TCP data offset 4", 4, T, m_doff4, GSO_OFFLOAD_EHDR, 1000, MAX_OUT));
	TEST_RUN(one_bad("headers cut", 4, T, m_hdr_cut, GSO_OFFLOAD_EHDR, 1000, MAX_OUT));
	TEST_RUN(one_bad("SYN superframe", 4, T, m_syn, GSO_OFFLOAD_EHDR, 1000, MAX_OUT));
	TEST_RUN(one_bad("RST superframe", 4, T, m_rst, GSO_OFFLOAD_EHDR, 1000, MAX_OUT));
	TEST_RUN(one_bad("IPv4 length beyond frame", 4, T, m_totlen_big, GSO_OFFLOAD_ELEN, 1000, MAX_OUT));
	TEST_RUN(one_bad("IPv4 length below headers", 4, T, m_totlen_small, GSO_OFFLOAD_ELEN, 1000, MAX_OUT));
	TEST_RUN(one_bad("IPv4 length 0 on a small frame", 4, T, m_totlen_zero, GSO_OFFLOAD_ELEN, 1000, MAX_OUT));
	TEST_RUN(one_bad("IPv6 length beyond frame", 6, T, m6_plen_big, GSO_OFFLOAD_ELEN, 1000, MAX_OUT));
	TEST_RUN(one_bad("IPv4 more-fragments", 4, T, m_mf, GSO_OFFLOAD_EFRAG, 1000, MAX_OUT));
	TEST_RUN(one_bad("IPv4 fragment offset", 4, T, m_fragoff, GSO_OFFLOAD_EFRAG, 1000, MAX_OUT));
	TEST_RUN(one_bad("IPv6 fragment header", 6, T, m6_fragment, GSO_OFFLOAD_EFRAG, 1000, MAX_OUT));
	TEST_RUN(one_bad("ARP", 4, T, m_arp, GSO_OFFLOAD_ENOTIP, 1000, MAX_OUT));
	TEST_RUN(one_bad("TCP asked, UDP found", 4, T, m_udp_proto, GSO_OFFLOAD_EPROTO, 1000, MAX_OUT));
	TEST_RUN(one_bad("IPv6 ESP", 6, T, m6_esp, GSO_OFFLOAD_EPROTO, 1000, MAX_OUT));
	/* A VXLAN flag on a TCP frame: the outer L4 is not UDP (tunnels:
	 * tests/test_segment_tunnel.c). */
	TEST_RUN(one_bad("VXLAN flag, no UDP", 4, T, m_tunnel, GSO_OFFLOAD_EPROTO, 1000, MAX_OUT));
	TEST_RUN(one_bad("MSS 0", 4, T, NULL, GSO_OFFLOAD_EMSS, 0, MAX_OUT));
	TEST_RUN(one_bad("MSS = payload", 4, T, NULL, GSO_OFFLOAD_ENOSPLIT, 5000, MAX_OUT));
	TEST_RUN(one_bad("MSS > payload (single segment)", 6, U, NULL, GSO_OFFLOAD_ENOSPLIT, 9000, MAX_OUT));
	TEST_RUN(one_bad("output too small", 4, T, NULL, GSO_OFFLOAD_EOUT, 1000, 4));
	return TEST_OK;
}

/*
 * A superframe whose pkt_len is not what its chain holds: DPDK 22.11's
 * net_pcap makes such chains of frames over about 67 KB, and the engine
 * read past the chain's end (SIGSEGV, found through gso-fwd, issue 16).
 * Refused with ELEN, flat and chained, longer and shorter, on the full
 * path and on a kept flow plan's (the same flow segmented just before);
 * nothing allocated, the count agrees.
 */
static int
pkt_len_not_the_chains(void)
{
	static const int32_t lies[] = { 4000, -1000 };

	for (int layout = 0; layout < 2; layout++)
		for (unsigned int l = 0; l < RTE_DIM(lies); l++)
			for (int primed = 0; primed < 2; primed++) {
		struct test_sf_spec s = {
			.l2 = TEST_L2_ETH, .l3 = 4, .l4 = IPPROTO_TCP,
			.payload_len = 5000, .mss = 1000,
			.layout = layout ? TEST_LAYOUT_CHAIN : TEST_LAYOUT_FLAT,
		};
		struct gso_offload_seg_params prm = params_of(&s, 0, 0);
		struct rte_mbuf *sf;
		struct test_pools_use base;
		int n;

		if (primed) {
			/* No back-off from earlier cases: the plan is kept. */
			shared->flow.misses = 0;
			shared->flow.backoff = 0;
			sf = test_sf_build(sf_pool, &s);
			TEST_ASSERT(sf != NULL, "build");
			n = gso_offload_segment(shared, sf, &prm, out, MAX_OUT);
			TEST_ASSERT_EQ(n, 5, "the same flow, whole");
			rte_pktmbuf_free_bulk(out, n);
			TEST_ASSERT(shared->flow.valid, "plan kept");
		}
		sf = test_sf_build(sf_pool, &s);
		TEST_ASSERT(sf != NULL, "build");
		sf->pkt_len += lies[l];
		base = in_use();
		n = gso_offload_segment(primed ? shared : engine, sf, &prm, out,
				MAX_OUT);
		if (n > 0)
			rte_pktmbuf_free_bulk(out, n);
		TEST_ASSERT_EQ(n, -GSO_OFFLOAD_ELEN, "%s, pkt_len %+d, %s: %s",
			layout ? "chain" : "flat", lies[l],
			primed ? "plan kept" : "cold",
			gso_offload_seg_strerror(n));
		TEST_ASSERT(in_use_back(&base), "nothing allocated");
		TEST_ASSERT_EQ(gso_offload_segment_count(sf, &prm),
			-GSO_OFFLOAD_ELEN, "the count agrees");
		sf->pkt_len -= lies[l];
		rte_pktmbuf_free(sf);
	}
	return TEST_OK;
}

static int
mss_too_big_for_ip_length(void)
{
	struct test_sf_spec s = {
		.l2 = TEST_L2_ETH, .l3 = 4, .l4 = IPPROTO_TCP,
		.payload_len = 140000, .mss = 1448, .layout = TEST_LAYOUT_CHAIN,
	};
	struct gso_offload_seg_params prm = params_of(&s, 0, 0);
	struct rte_mbuf *sf = test_sf_build(sf_pool, &s);

	TEST_ASSERT(sf != NULL, "build");
	prm.mss = 65535;   /* 20 + 20 + 65535 does not fit total length */
	TEST_ASSERT_EQ(gso_offload_segment(engine, sf, &prm, out, MAX_OUT),
			-GSO_OFFLOAD_EMSS, "rejected");
	prm.mss = 65495;   /* exactly fits */
	TEST_ASSERT_EQ(gso_offload_segment_count(sf, &prm), 3, "fits");
	rte_pktmbuf_free(sf);
	return TEST_OK;
}

/*
 * Finalize makes one packet: a superframe whose payload its IP length field
 * cannot hold (IP length 0, beyond 64 KB) is refused and left as it was.
 * Found by fuzz_segment: finalize wrote the length wrapped to 16 bits.
 */
static int
finalize_beyond_ip_length(void)
{
	for (int l3 = 4; l3 <= 6; l3 += 2) {
		struct test_sf_spec s = {
			.l2 = TEST_L2_ETH, .l3 = l3, .l4 = IPPROTO_TCP,
			.payload_len = 70000, .mss = 1448,
			.layout = TEST_LAYOUT_CHAIN,
		};
		struct gso_offload_seg_params prm = params_of(&s, 0, 0);
		struct rte_mbuf *sf = test_sf_build(sf_pool, &s);
		struct test_sf_state st;
		bool same;

		TEST_ASSERT(sf != NULL, "build");
		test_sf_snapshot(sf, &st);
		TEST_ASSERT_EQ(gso_offload_seg_finalize(sf, &prm),
			-GSO_OFFLOAD_EMSS, "IPv%d, 70000 bytes", l3);
		same = test_sf_unchanged(sf, &st);
		free(st.bytes);
		rte_pktmbuf_free(sf);
		TEST_ASSERT(same, "IPv%d: superframe unchanged", l3);
	}
	return TEST_OK;
}

/* The row implementation the engine was built with (gso_seg_arch.h) is
 * the one meson meant: segment_generic must not silently run the SSE one. */
static int
engine_rows_arch(void)
{
	printf("# engine rows: %s\n", gso_seg_arch());
#ifdef GSO_SEG_ARCH_EXPECT
	TEST_ASSERT(strcmp(gso_seg_arch(), GSO_SEG_ARCH_EXPECT) == 0,
		"built with %s rows, expected %s", gso_seg_arch(),
		GSO_SEG_ARCH_EXPECT);
#endif
	return TEST_OK;
}

static int
engine_create_errors(void)
{
	struct gso_offload_seg_conf conf = { .hdr_pool = ref_pool,
		.ref_pool = ref_pool };

	TEST_ASSERT(gso_offload_seg_create(NULL, 0) == NULL, "NULL");
	TEST_ASSERT(gso_offload_seg_create(&conf, 0) == NULL &&
			rte_errno == EINVAL, "header pool without room");
	conf.hdr_pool = hdr_pool;
	conf.flags = 1u << 7;
	TEST_ASSERT(gso_offload_seg_create(&conf, 0) == NULL, "unknown flag");
	return TEST_OK;
}

static int
setup(void)
{
	if (test_seg_env_setup(&env) != 0)
		return -1;
	sf_pool = env.sf_pool;
	hdr_pool = env.hdr_pool;
	ref_pool = env.ref_pool;
	lifo_pool = env.lifo_pool;
	lifo_copy_pool = env.lifo_copy_pool;
	engine = env.engine;
	shared = env.shared;
	nocache = env.nocache;
	dyn_offset = env.dyn_offset;
	dyn_flag = env.dyn_flag;
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct test_case fixed_cases[] = {
		TEST_CASE(udp_zero_checksum_stays_zero),
		TEST_CASE(udp_computed_zero_sent_as_ffff),
		TEST_CASE(ipid_fixed_policy),
		TEST_CASE(finalize_single_segment),
		TEST_CASE(finalize_tiny_payload),
		TEST_CASE(ipv4_header_as_long_as_ipv6),
		TEST_CASE(ip_id_stride),
		TEST_CASE(buffer_mode_auto),
		TEST_CASE(buffer_mode_fallbacks),
		TEST_CASE(same_bytes_as_rte_gso),
		TEST_CASE(alloc_failure_at_every_point),
		TEST_CASE(tiny_pools_fail_cleanly),
		TEST_CASE(keep_or_consume_superframe),
		TEST_CASE(superframe_is_first_segment),
		TEST_CASE(superframe_not_reused),
		TEST_CASE(reuse_alloc_failure_leaves_input),
		TEST_CASE(flat_payload_on_cache_line),
		TEST_CASE(flow_cache_every_header_byte),
		TEST_CASE(flow_cache_params_and_shapes),
		TEST_CASE(flow_cache_unaligned_headers),
		TEST_CASE(flow_cache_backs_off),
		TEST_CASE(flow_table_interleaved_flows),
		TEST_CASE(flow_table_collisions_and_no_metadata),
		TEST_CASE(flow_table_copy_not_left_stale),
		TEST_CASE(bad_input_error_codes),
		TEST_CASE(pkt_len_not_the_chains),
		TEST_CASE(mss_too_big_for_ip_length),
		TEST_CASE(finalize_beyond_ip_length),
		TEST_CASE(engine_create_errors),
		TEST_CASE(engine_rows_arch),
	};
	static const char *const l2n[] = { "eth", "vlan", "qinq", "hwvlan", "hwqinq" };
	static const char *const l3n[] = { "ipv4", "ipv4opt", "ipv6", "ipv6ext" };
	static const char *const l4n[] = { "tcp", "tcpopt", "udp" };
	static struct test_case cases[TEST_NB(combos) + TEST_NB(fixed_cases)];
	unsigned int n = 0;

	for (int l2 = 0; l2 < TEST_L2_NB; l2++)
		for (int l3 = 0; l3 < 4; l3++)
			for (int l4 = 0; l4 < 3; l4++) {
				struct combo *c = &combos[n];

				c->l2 = l2;
				c->l3 = l3 < 2 ? 4 : 6;
				c->l3_opts = l3 & 1;
				c->l4 = l4 == 2 ? IPPROTO_UDP : IPPROTO_TCP;
				c->l4_opts = l4 == 1;
				snprintf(c->name, sizeof(c->name), "segment_%s_%s_%s",
					l2n[l2], l3n[l3], l4n[l4]);
				cases[n] = (struct test_case){ c->name, NULL,
					combo_case, c };
				n++;
			}
	for (size_t i = 0; i < TEST_NB(fixed_cases); i++)
		cases[n++] = fixed_cases[i];

	const struct test_suite suite = {
		.name = "segment",
		.setup = setup,
		.cases = cases,
		.nb_cases = n,
		.need_eal = true,
	};
	return test_suite_run(&suite, argc, argv);
}
