/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * The real-receiver harness (test_netns.h) checked on its own: TCP streams
 * and UDP datagrams from a DPDK port into the kernel of a network
 * namespace, over net_af_packet (veth) and net_tap. The transmit callback
 * does not segment: every "superframe" is sent with mss >= its payload, so
 * it is already one segment; the callback only clears the offload flags
 * and computes the checksums in software. The negative cases prove that
 * the kernel really checks what it receives: a segment with a bad TCP or
 * UDP checksum is dropped (and counted) and never reaches the socket.
 *
 * The rte_gso cases use DPDK's own segmentation library as a reference
 * engine (TCP/IPv4 segments, UDP/IPv4 as IP fragments): they show that
 * the harness's large superframes, single or chained and cut to the
 * peer's window, are the standard DPDK TSO/USO packets an engine expects.
 */

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_gso.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "test.h"
#include "test_env.h"
#include "test_netns.h"
#include "test_poison.h"

static struct rte_mempool *pool;	/* 64 KB data room: RX and TX */
static struct rte_mempool *small_pool;	/* 512 B: chained superframes */
static struct rte_mempool *indirect_pool;	/* rte_gso's payload mbufs */

/* The non-segmenting engine. */
struct sw_xmit {
	unsigned int n;		/* superframes seen */
	int corrupt;		/* index of the one to get a bad checksum */
};

static int
sw_xmit(void *arg, uint16_t port_id, struct rte_mbuf *m)
{
	struct sw_xmit *x = arg;
	const bool tcp = m->ol_flags & RTE_MBUF_F_TX_TCP_SEG;
	const uint16_t l4_off = m->l2_len + m->l3_len;
	const uint16_t ck_off = l4_off + (tcp ?
		offsetof(struct rte_tcp_hdr, cksum) :
		offsetof(struct rte_udp_hdr, dgram_cksum));
	uint16_t ck;

	if (rte_pktmbuf_data_len(m) < l4_off + m->l4_len ||
			!(m->ol_flags & (RTE_MBUF_F_TX_TCP_SEG |
				RTE_MBUF_F_TX_UDP_SEG))) {
		rte_pktmbuf_free(m);
		return -EINVAL;
	}
	/* The checksum fields are 0, as the harness builds them. */
	if (m->ol_flags & RTE_MBUF_F_TX_IPV4) {
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m,
				struct rte_ipv4_hdr *, m->l2_len);

		ip->hdr_checksum = rte_ipv4_cksum(ip);
		ck = rte_ipv4_udptcp_cksum_mbuf(m, ip, l4_off);
	} else {
		ck = rte_ipv6_udptcp_cksum_mbuf(m, rte_pktmbuf_mtod_offset(m,
				struct rte_ipv6_hdr *, m->l2_len), l4_off);
	}
	if ((int)x->n == x->corrupt) {
		ck ^= 0x0f0f;
		if (ck == 0)	/* 0 would mean "no checksum" for UDP/IPv4 */
			ck = 0x1234;
	}
	memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, ck_off), &ck, sizeof(ck));
	m->ol_flags &= ~RTE_MBUF_F_TX_OFFLOAD_MASK;
	m->tso_segsz = 0;
	x->n++;
	for (int i = 0; i < 1000; i++)
		if (rte_eth_tx_burst(port_id, 0, &m, 1) == 1)
			return 0;
	rte_pktmbuf_free(m);
	return -EIO;
}

static unsigned int
in_use(void)
{
	return rte_mempool_in_use_count(pool) +
		rte_mempool_in_use_count(small_pool) +
		rte_mempool_in_use_count(indirect_pool);
}

/* A reference engine: rte_gso, then software checksums. */
struct gso_xmit {
	unsigned int nb_sf, nb_out;
};

static int
gso_xmit(void *arg, uint16_t port_id, struct rte_mbuf *sf)
{
	struct gso_xmit *g = arg;
	const bool udp = sf->ol_flags & RTE_MBUF_F_TX_UDP_SEG;
	const uint16_t l2 = sf->l2_len, l3 = sf->l3_len;
	struct rte_gso_ctx ctx = {
		.direct_pool = small_pool,
		.indirect_pool = indirect_pool,
		.gso_types = RTE_ETH_TX_OFFLOAD_TCP_TSO |
			RTE_ETH_TX_OFFLOAD_UDP_TSO,
		/* A whole frame: headers and one segment's payload. */
		.gso_size = (uint16_t)(l2 + l3 + sf->l4_len + sf->tso_segsz),
	};
	struct rte_mbuf *out[256];
	int n, ret = 0;

	if (!(sf->ol_flags & RTE_MBUF_F_TX_IPV4)) {
		rte_pktmbuf_free(sf);
		return -ENOTSUP;	/* rte_gso of 22.11: IPv4 only */
	}
	if (udp) {
		/* Fragments: the UDP checksum covers the whole datagram. */
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(sf,
				struct rte_ipv4_hdr *, l2);
		uint16_t ck = rte_ipv4_udptcp_cksum_mbuf(sf, ip, l2 + l3);

		memcpy(rte_pktmbuf_mtod_offset(sf, uint8_t *, l2 + l3 +
			offsetof(struct rte_udp_hdr, dgram_cksum)), &ck, 2);
		/* Fragments are IP's: a fragment's payload is any 8n bytes. */
		ctx.gso_size = (uint16_t)(l2 + l3 + sf->tso_segsz + 8);
	}
	g->nb_sf++;
	n = rte_gso_segment(sf, &ctx, out, RTE_DIM(out));
	if (n < 0) {
		rte_pktmbuf_free(sf);
		return n;
	}
	if (n == 0) {
		out[0] = sf;	/* small enough already */
		n = 1;
	} else {
		rte_pktmbuf_free(sf);	/* the segments hold references */
	}
	for (int i = 0; i < n; i++) {
		struct rte_mbuf *m = out[i];
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m,
				struct rte_ipv4_hdr *, l2);

		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		if (!udp) {
			struct rte_tcp_hdr *th = rte_pktmbuf_mtod_offset(m,
					struct rte_tcp_hdr *, l2 + l3);

			th->cksum = 0;
			th->cksum = rte_ipv4_udptcp_cksum_mbuf(m, ip, l2 + l3);
		}
		m->ol_flags &= ~RTE_MBUF_F_TX_OFFLOAD_MASK;
		if (ret == 0 && rte_eth_tx_burst(port_id, 0, &m, 1) == 1) {
			g->nb_out++;
			continue;
		}
		rte_pktmbuf_free(m);
		ret = -EIO;
	}
	return ret;
}

/* A large TCP/IPv4 stream in 64000-byte superframes through rte_gso. */
struct rte_gso_case {
	unsigned int idx;
	bool chained;		/* TX from small_pool, IP options */
};

static int
tcp4_rte_gso(const void *arg)
{
	const struct rte_gso_case *c = arg;
	const size_t len = 1 << 20;
	struct test_receiver r = { .pid = -1, .fd = -1 };
	struct test_receiver_result res = { 0 };
	struct gso_xmit g = { 0 };
	struct test_tcp_opts o = {
		.family = 4,
		.dport = (uint16_t)(5000 + c->idx),
		.sf_payload = 64000,
		.ip_options = c->chained,
		.tcp_options = true,
		.pool = c->chained ? small_pool : pool,
	};
	const unsigned int base = in_use();
	struct test_peer p;
	uint8_t *data;
	int rc = TEST_FAIL, n;

	TEST_SKIP_IF(!test_is_root(), "namespaces, veth and tap need root");
	data = test_data_gen(len, 0x9abc + c->idx);
	TEST_ASSERT(data != NULL, "malloc");
	n = test_peer_create(&p, TEST_PEER_AF_PACKET, c->idx, 1500);
	TEST_CHECK(n == 0, "peer: %s", strerror(-n));
	n = test_peer_port_start(&p, pool, 0);
	TEST_CHECK(n == 0, "port start: %s", strerror(-n));
	n = test_receiver_start(&r, &p, 4, IPPROTO_TCP, o.dport, 0);
	TEST_CHECK(n == 0, "receiver: %s", strerror(-n));
	/* mss 0: the peer's MSS less our options. */
	n = test_tcp_send_stream(&p, &o, data, len, gso_xmit, &g);
	TEST_CHECK(n > 0, "send: %s", strerror(-n));
	TEST_CHECK(g.nb_out >= len / 1448, "%u superframes, %u segments", g.nb_sf,
		g.nb_out);
	TEST_CHECK(test_receiver_check_stream(&r, 5000, data, len, &res) == 0,
		"stream");
	printf("#   %u superframes, %u segments\n", g.nb_sf, g.nb_out);
	rc = TEST_OK;
out:
	free(data);
	return test_peer_case_end(&p, &r, &res, in_use, base, rc);
}

struct tcp_case {
	enum test_peer_kind kind;
	unsigned int idx;
	int family;
	uint16_t mtu;
	bool ip_options, tcp_options;
	bool chained;		/* TX from small_pool */
	int corrupt;		/* superframe with a bad checksum, or -1 */
};

static int
tcp_case(const void *arg)
{
	const struct tcp_case *c = arg;
	const size_t len = 100 * 1024;
	struct test_receiver r = { .pid = -1, .fd = -1 };
	struct test_receiver_result res = { 0 };
	struct sw_xmit x = { .corrupt = c->corrupt };
	struct test_tcp_opts o = {
		.family = c->family,
		.dport = (uint16_t)(5000 + c->idx),
		.ip_options = c->ip_options,
		.tcp_options = c->tcp_options,
		.pool = c->chained ? small_pool : pool,
		.timeout_ms = c->corrupt >= 0 ? 700 : 5000,
	};
	const unsigned int base = in_use();
	long long errs0 = -1, errs1;
	struct test_peer p;
	uint8_t *data;
	int rc = TEST_FAIL, n;

	TEST_SKIP_IF(!test_is_root(), "namespaces, veth and tap need root");
	data = test_data_gen(len, 0x1234 + c->idx);
	TEST_ASSERT(data != NULL, "malloc");
	n = test_peer_create(&p, c->kind, c->idx, c->mtu);
	TEST_CHECK(n == 0, "peer: %s", strerror(-n));
	n = test_peer_port_start(&p, pool, 0);
	TEST_CHECK(n == 0, "port start: %s", strerror(-n));
	n = test_receiver_start(&r, &p, c->family, IPPROTO_TCP, o.dport, 0);
	TEST_CHECK(n == 0, "receiver: %s", strerror(-n));
	/* One segment per superframe: the engine here does not segment. */
	o.mss = (uint16_t)(c->mtu - (c->family == 4 ? 20 : 40) - 20 -
		(c->tcp_options ? 12 : 0) - (c->ip_options ? 8 : 0));
	o.sf_payload = o.mss;
	if (c->corrupt >= 0)
		errs0 = test_peer_counter(&p, "Tcp:InCsumErrors");

	n = test_tcp_send_stream(&p, &o, data, len, sw_xmit, &x);
	if (c->corrupt < 0) {
		TEST_CHECK(n > 0, "send: %s", strerror(-n));
		TEST_CHECK((unsigned int)n == x.n && n == (int)((len + o.mss - 1) / o.mss),
			"%d superframes, %u through xmit", n, x.n);
		TEST_CHECK(test_receiver_check_stream(&r, 5000, data, len,
				&res) == 0, "stream");
	} else {
		/* The hole never fills: no retransmission. */
		TEST_CHECK(n == -ETIMEDOUT, "send returned %d", n);
		errs1 = test_peer_counter(&p, "Tcp:InCsumErrors");
		TEST_CHECK(errs0 >= 0 && errs1 > errs0, "InCsumErrors %lld -> %lld",
			errs0, errs1);
		n = test_receiver_wait(&r, 300, &res);
		TEST_CHECK(n == -ETIMEDOUT, "receiver wait returned %d", n);
		TEST_CHECK(strcmp(res.status, "terminated") == 0, "status %s",
			res.status);
		/* Exactly what preceded the bad segment got through. */
		TEST_CHECK(res.bytes == (uint64_t)c->corrupt * o.mss,
			"received %" PRIu64 ", expected %u", res.bytes,
			c->corrupt * o.mss);
	}
	rc = TEST_OK;
out:
	free(data);
	return test_peer_case_end(&p, &r, &res, in_use, base, rc);
}

struct udp_case {
	enum test_peer_kind kind;
	unsigned int idx;
	int family;
	bool ip_options;
	int corrupt;		/* datagram with a bad checksum, or -1 */
};

#define UDP_MAX_DGRAMS 20

static int
udp_case(const void *arg)
{
	const struct udp_case *c = arg;
	const uint16_t mtu = 1500;
	const uint32_t maxpay = mtu - (c->family == 4 ? 20 : 40) -
		(c->ip_options ? 8 : 0) - 8;
	const unsigned int nb = c->corrupt >= 0 ? 5 : UDP_MAX_DGRAMS;
	struct test_receiver r = { .pid = -1, .fd = -1 };
	struct test_receiver_result res = { 0 };
	struct sw_xmit x = { .corrupt = c->corrupt };
	struct test_tcp_opts o = {
		.family = c->family,
		.dport = (uint16_t)(6000 + c->idx),
		.mss = (uint16_t)maxpay,
		.ip_options = c->ip_options,
		.pool = pool,
	};
	const unsigned int base = in_use();
	uint32_t sizes[UDP_MAX_DGRAMS], expect[UDP_MAX_DGRAMS];
	unsigned int nb_expect = 0;
	size_t total = 0, off = 0, kept = 0;
	uint8_t *data = NULL, *good = NULL;
	long long errs0 = -1, errs1;
	const char *counter = c->family == 4 ? "Udp:InCsumErrors" :
		"Udp6InCsumErrors";
	struct test_peer p;
	char sha[65];
	int rc = TEST_FAIL, n;

	TEST_SKIP_IF(!test_is_root(), "namespaces, veth and tap need root");
	/* Varying sizes: the largest, an empty one, and scattered ones. */
	for (unsigned int i = 0; i < nb; i++) {
		sizes[i] = i == 0 ? maxpay : i == 1 ? 0 : 1 + (i * 397) % maxpay;
		total += sizes[i];
	}
	data = test_data_gen(total, 0x5678 + c->idx);
	good = malloc(total + 1);
	TEST_ASSERT(data != NULL && good != NULL, "malloc");
	n = test_peer_create(&p, c->kind, c->idx, mtu);
	TEST_CHECK(n == 0, "peer: %s", strerror(-n));
	n = test_peer_port_start(&p, pool, 0);
	TEST_CHECK(n == 0, "port start: %s", strerror(-n));
	n = test_receiver_start_ex(&r, &p, c->family, IPPROTO_UDP, o.dport, nb,
		c->corrupt >= 0 ? 300 : TEST_RECEIVER_IDLE_MS,
		TEST_RECEIVER_TIMEOUT_MS);
	TEST_CHECK(n == 0, "receiver: %s", strerror(-n));
	errs0 = test_peer_counter(&p, counter);

	for (unsigned int i = 0; i < nb; i++) {
		o.sf_payload = RTE_MAX(sizes[i], 1u);
		n = test_udp_send(&p, &o, data + off, sizes[i], sw_xmit, &x);
		TEST_CHECK(n == 1, "datagram %u: %d", i, n);
		if ((int)i != c->corrupt) {
			memcpy(good + kept, data + off, sizes[i]);
			kept += sizes[i];
			expect[nb_expect++] = sizes[i];
		}
		off += sizes[i];
	}
	n = test_receiver_wait(&r, 5000, &res);
	TEST_CHECK(n == 0, "receiver wait: %s", strerror(-n));
	TEST_CHECK(strcmp(res.status, c->corrupt >= 0 ? "idle" : "ok") == 0,
		"status %s", res.status);
	TEST_CHECK(res.nb_datagrams == nb_expect, "%u datagrams, expected %u",
		res.nb_datagrams, nb_expect);
	for (unsigned int i = 0; i < nb_expect; i++)
		TEST_CHECK(res.sizes[i] == expect[i], "datagram %u: %u bytes, sent %u",
			i, res.sizes[i], expect[i]);
	TEST_CHECK(res.bytes == kept, "%" PRIu64 " bytes, expected %zu", res.bytes,
		kept);
	test_sha256_hex(good, kept, sha);
	TEST_CHECK(strcmp(sha, res.sha256) == 0, "sha256 %s, sent %s", res.sha256,
		sha);
	errs1 = test_peer_counter(&p, counter);
	if (c->corrupt >= 0)
		TEST_CHECK(errs0 >= 0 && errs1 == errs0 + 1, "%s %lld -> %lld",
			counter, errs0, errs1);
	else
		TEST_CHECK(errs0 >= 0 && errs1 == errs0, "%s %lld -> %lld", counter,
			errs0, errs1);
	rc = TEST_OK;
out:
	free(data);
	free(good);
	return test_peer_case_end(&p, &r, &res, in_use, base, rc);
}

static int
sha256_known_answers(void)
{
	static const char *const abc =
		"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
	static const char *const empty =
		"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
	/* 56 bytes: the padding needs a second block. */
	static const char *const two =
		"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1";
	char out[65];

	test_sha256_hex("abc", 3, out);
	TEST_ASSERT(strcmp(out, abc) == 0, "abc: %s", out);
	test_sha256_hex("", 0, out);
	TEST_ASSERT(strcmp(out, empty) == 0, "empty: %s", out);
	test_sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		56, out);
	TEST_ASSERT(strcmp(out, two) == 0, "two blocks: %s", out);
	return TEST_OK;
}

/* UDP/IPv4 superframes become IP fragments; the kernel reassembles. */
static int
udp4_rte_gso_fragments(void)
{
	const unsigned int nb = 8, idx = 14;
	struct test_receiver r = { .pid = -1, .fd = -1 };
	struct test_receiver_result res = { 0 };
	struct gso_xmit g = { 0 };
	struct test_tcp_opts o = {
		.family = 4,
		.dport = (uint16_t)(6000 + idx),
		/* Fragment payload 1472 (8n): 1500 - 20 - 8 of options. */
		.mss = 1472 - 8,
		.ip_options = true,
		.pool = pool,
	};
	const unsigned int base = in_use();
	uint32_t sizes[8];
	size_t total = 0, off = 0;
	struct test_peer p;
	uint8_t *data;
	char sha[65];
	int rc = TEST_FAIL, n;

	TEST_SKIP_IF(!test_is_root(), "namespaces, veth and tap need root");
	for (unsigned int i = 0; i < nb; i++) {
		sizes[i] = 1000 + i * 7919;	/* 1000 .. 56433 */
		total += sizes[i];
	}
	data = test_data_gen(total, 0xdef0);
	TEST_ASSERT(data != NULL, "malloc");
	n = test_peer_create(&p, TEST_PEER_AF_PACKET, idx, 1500);
	TEST_CHECK(n == 0, "peer: %s", strerror(-n));
	n = test_peer_port_start(&p, pool, 0);
	TEST_CHECK(n == 0, "port start: %s", strerror(-n));
	n = test_receiver_start(&r, &p, 4, IPPROTO_UDP, o.dport, nb);
	TEST_CHECK(n == 0, "receiver: %s", strerror(-n));
	for (unsigned int i = 0; i < nb; i++) {
		o.sf_payload = sizes[i];
		n = test_udp_send(&p, &o, data + off, sizes[i], gso_xmit, &g);
		TEST_CHECK(n == 1, "datagram %u: %d", i, n);
		off += sizes[i];
	}
	n = test_receiver_wait(&r, 5000, &res);
	TEST_CHECK(n == 0, "receiver wait: %s", strerror(-n));
	TEST_CHECK(res.complete && res.nb_datagrams == nb, "status %s, %u datagrams",
		res.status, res.nb_datagrams);
	for (unsigned int i = 0; i < nb; i++)
		TEST_CHECK(res.sizes[i] == sizes[i], "datagram %u: %u bytes, sent %u",
			i, res.sizes[i], sizes[i]);
	test_sha256_hex(data, total, sha);
	TEST_CHECK(strcmp(sha, res.sha256) == 0, "sha256 %s, sent %s", res.sha256,
		sha);
	TEST_CHECK(g.nb_out > nb, "%u fragments", g.nb_out);
	rc = TEST_OK;
out:
	free(data);
	return test_peer_case_end(&p, &r, &res, in_use, base, rc);
}

/* A peer can be destroyed and created again under the same idx. */
static int
peer_reuse_and_cleanup(void)
{
	struct test_peer p;
	int n;

	TEST_SKIP_IF(!test_is_root(), "namespaces, veth and tap need root");
	for (int i = 0; i < 2; i++) {
		n = test_peer_create(&p, i ? TEST_PEER_TAP : TEST_PEER_AF_PACKET,
			11, 1500);
		TEST_ASSERT_EQ(n, 0, "create %d", i);
		test_peer_destroy(&p);
		test_peer_destroy(&p);	/* twice is fine */
		TEST_ASSERT(test_sh("ip netns list | grep -qw %s", p.ns) != 0,
			"namespace %s left", p.ns);
		TEST_ASSERT(test_sh("ip link show %s >/dev/null 2>&1",
			p.if_host) != 0, "link %s left", p.if_host);
	}
	return TEST_OK;
}

static int
setup(void)
{
	pool = test_poison_pktmbuf_pool_create("netns_pool", 1024, 0, UINT16_MAX,
			SOCKET_ID_ANY);
	small_pool = test_poison_pktmbuf_pool_create("netns_small", 4096, 0,
			512 + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	indirect_pool = test_poison_pktmbuf_pool_create("netns_indirect", 4096, 0, 0,
			SOCKET_ID_ANY);
	return pool == NULL || small_pool == NULL || indirect_pool == NULL;
}

static const struct test_case cases[] = {
	TEST_CASE(sha256_known_answers),
	TEST_CASE_ARG("tcp4_af_packet", tcp_case, &(const struct tcp_case){
		.kind = TEST_PEER_AF_PACKET, .idx = 0, .family = 4,
		.mtu = 1500, .tcp_options = true, .corrupt = -1 }),
	TEST_CASE_ARG("tcp6_af_packet", tcp_case, &(const struct tcp_case){
		.kind = TEST_PEER_AF_PACKET, .idx = 1, .family = 6,
		.mtu = 1500, .corrupt = -1 }),
	TEST_CASE_ARG("tcp4_af_packet_ip_options_chained", tcp_case,
		&(const struct tcp_case){
		.kind = TEST_PEER_AF_PACKET, .idx = 2, .family = 4,
		.mtu = 1500, .ip_options = true, .tcp_options = true,
		.chained = true, .corrupt = -1 }),
	TEST_CASE_ARG("tcp6_af_packet_jumbo", tcp_case,
		&(const struct tcp_case){
		.kind = TEST_PEER_AF_PACKET, .idx = 3, .family = 6,
		.mtu = 9000, .tcp_options = true, .corrupt = -1 }),
	TEST_CASE_ARG("udp4_af_packet", udp_case, &(const struct udp_case){
		.kind = TEST_PEER_AF_PACKET, .idx = 4, .family = 4,
		.corrupt = -1 }),
	TEST_CASE_ARG("udp6_af_packet", udp_case, &(const struct udp_case){
		.kind = TEST_PEER_AF_PACKET, .idx = 5, .family = 6,
		.corrupt = -1 }),
	TEST_CASE_ARG("tcp4_tap", tcp_case, &(const struct tcp_case){
		.kind = TEST_PEER_TAP, .idx = 6, .family = 4, .mtu = 1500,
		.ip_options = true, .tcp_options = true, .corrupt = -1 }),
	TEST_CASE_ARG("udp4_tap_ip_options", udp_case, &(const struct udp_case){
		.kind = TEST_PEER_TAP, .idx = 7, .family = 4,
		.ip_options = true, .corrupt = -1 }),
	TEST_CASE_ARG("tcp4_bad_cksum_dropped", tcp_case,
		&(const struct tcp_case){
		.kind = TEST_PEER_AF_PACKET, .idx = 8, .family = 4,
		.mtu = 1500, .tcp_options = true, .corrupt = 2 }),
	TEST_CASE_ARG("udp6_bad_cksum_dropped", udp_case,
		&(const struct udp_case){
		.kind = TEST_PEER_AF_PACKET, .idx = 9, .family = 6,
		.corrupt = 2 }),
	TEST_CASE_ARG("udp4_bad_cksum_dropped", udp_case,
		&(const struct udp_case){
		.kind = TEST_PEER_AF_PACKET, .idx = 10, .family = 4,
		.corrupt = 3 }),
	TEST_CASE_ARG("tcp4_rte_gso_64k_superframes", tcp4_rte_gso,
		&(const struct rte_gso_case){
		.idx = 12 }),
	TEST_CASE_ARG("tcp4_rte_gso_64k_chained_ip_options", tcp4_rte_gso,
		&(const struct rte_gso_case){
		.idx = 13, .chained = true }),
	TEST_CASE(udp4_rte_gso_fragments),
	TEST_CASE(peer_reuse_and_cleanup),
};

int
main(int argc, char **argv)
{
	const struct test_suite suite = {
		.name = "netns_selftest",
		.setup = setup,
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = true,
	};

	return test_suite_run(&suite, argc, argv);
}
