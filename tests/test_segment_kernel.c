/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Real receivers: superframes segmented by our engine leave through
 * net_af_packet or net_tap into a network namespace, and the Linux kernel
 * must accept every segment: a TCP socket receives the exact byte stream,
 * a UDP socket receives datagrams of exactly MSS bytes (the last of each
 * superframe shorter), none lost, and the kernel's checksum error counters
 * do not move. Needs root (namespaces, veth, tap).
 */

#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "gso_offload.h"
#include "test.h"
#include "test_netns.h"
#include "test_poison.h"

static struct rte_mempool *pool;        /* 64 KB: RX and superframes */
static struct rte_mempool *small_pool;  /* 512 B: chained superframes */
static struct rte_mempool *seg_pool, *copy_pool;
static struct gso_offload_seg_ctx *engine;

static unsigned int
in_use(void)
{
	return rte_mempool_in_use_count(pool) +
		rte_mempool_in_use_count(small_pool) +
		rte_mempool_in_use_count(seg_pool) +
		rte_mempool_in_use_count(copy_pool);
}

struct eng_xmit {
	uint8_t buffers;           /* GSO_OFFLOAD_BUF_* */
	unsigned int nb_sf;        /* superframes segmented */
	unsigned int nb_seg;       /* segments sent */
	unsigned int nb_small;     /* frames that needed no segmenting */
};

/* Transmit all of pkts, retrying a bounded number of times; free what
 * the queue never takes. */
static int
send_all(uint16_t port_id, struct rte_mbuf **pkts, unsigned int n)
{
	unsigned int sent = 0;

	for (int tries = 0; sent < n && tries < 100000; tries++)
		sent += rte_eth_tx_burst(port_id, 0, pkts + sent, n - sent);
	if (sent < n) {
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		return -EIO;
	}
	return 0;
}

/* A frame that fits one segment (the stream's tail): checksums in
 * software, as the engine would, and out as is. */
static int
send_one(uint16_t port_id, struct rte_mbuf *m)
{
	const bool tcp = m->ol_flags & RTE_MBUF_F_TX_TCP_SEG;
	const uint16_t l4_off = m->l2_len + m->l3_len;
	uint16_t ck;

	if (m->ol_flags & RTE_MBUF_F_TX_IPV4) {
		struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(m,
				struct rte_ipv4_hdr *, m->l2_len);

		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		ck = rte_ipv4_udptcp_cksum_mbuf(m, ip, l4_off);
	} else {
		ck = rte_ipv6_udptcp_cksum_mbuf(m, rte_pktmbuf_mtod_offset(m,
				struct rte_ipv6_hdr *, m->l2_len), l4_off);
	}
	memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, l4_off + (tcp ?
		offsetof(struct rte_tcp_hdr, cksum) :
		offsetof(struct rte_udp_hdr, dgram_cksum))), &ck, sizeof(ck));
	m->ol_flags &= ~RTE_MBUF_F_TX_OFFLOAD_MASK;
	return send_all(port_id, &m, 1);
}

/* The transmit hook: our engine, software checksums (neither af_packet
 * nor tap offloads them in a way the kernel would see). */
static int
eng_xmit(void *arg, uint16_t port_id, struct rte_mbuf *sf)
{
	struct eng_xmit *x = arg;
	struct gso_offload_seg_params prm = {
		.mss = sf->tso_segsz,
		.proto = (sf->ol_flags & RTE_MBUF_F_TX_TCP_SEG) ?
			GSO_OFFLOAD_SEG_TCP : GSO_OFFLOAD_SEG_UDP,
		.cksum = 0,
		.buffers = x->buffers,
	};
	struct rte_mbuf *out[512];
	int n;

	n = gso_offload_segment(engine, sf, &prm, out, RTE_DIM(out));
	if (n == -GSO_OFFLOAD_ENOSPLIT) {
		x->nb_small++;
		return send_one(port_id, sf);
	}
	if (n < 0) {
		printf("#   segment: %s\n", gso_offload_seg_strerror(n));
		rte_pktmbuf_free(sf);
		return n;
	}
	x->nb_sf++;
	x->nb_seg += n;
	return send_all(port_id, out, n);
}

struct tcp_case {
	enum test_peer_kind kind;
	unsigned int idx;
	int family;
	bool ip_options, tcp_options, chained;
	uint8_t buffers;
};

static int
tcp_stream(const void *arg)
{
	const struct tcp_case *c = arg;
	const size_t len = 1 << 20;
	struct test_receiver r = { .pid = -1, .fd = -1 };
	struct test_receiver_result res = { 0 };
	struct eng_xmit x = { .buffers = c->buffers };
	struct test_tcp_opts o = {
		.family = c->family,
		.dport = (uint16_t)(5100 + c->idx),
		.sf_payload = 64000,
		.ip_options = c->ip_options,
		.tcp_options = c->tcp_options,
		.pool = c->chained ? small_pool : pool,
	};
	/* Linux counts TCP checksum errors of both families in one MIB. */
	const char *counter = "Tcp:InCsumErrors";
	const unsigned int base = in_use();
	long long errs0 = -1, errs1;
	struct test_peer p;
	uint8_t *data;
	int rc = TEST_FAIL, n;

	TEST_SKIP_IF(!test_is_root(), "namespaces, veth and tap need root");
	data = test_data_gen(len, 0x7100 + c->idx);
	TEST_ASSERT(data != NULL, "malloc");
	n = test_peer_create(&p, c->kind, c->idx, 1500);
	TEST_CHECK(n == 0, "peer: %s", strerror(-n));
	n = test_peer_port_start(&p, pool, 0);
	TEST_CHECK(n == 0, "port start: %s", strerror(-n));
	n = test_receiver_start(&r, &p, c->family, IPPROTO_TCP, o.dport, 0);
	TEST_CHECK(n == 0, "receiver: %s", strerror(-n));
	errs0 = test_peer_counter(&p, counter);

	/* mss 0: the peer's MSS less our options. */
	n = test_tcp_send_stream(&p, &o, data, len, eng_xmit, &x);
	TEST_CHECK(n > 0, "send: %s", strerror(-n));
	TEST_CHECK(x.nb_sf > 0 && x.nb_seg > 10 * x.nb_sf,
		"%u superframes segmented into %u", x.nb_sf, x.nb_seg);
	TEST_CHECK(test_receiver_check_stream(&r, 5000, data, len, &res) == 0,
		"stream");
	errs1 = test_peer_counter(&p, counter);
	TEST_CHECK(errs0 >= 0 && errs1 == errs0, "%s %lld -> %lld", counter, errs0,
		errs1);
	printf("#   %u superframes -> %u segments, %u single frames\n",
		x.nb_sf, x.nb_seg, x.nb_small);
	rc = TEST_OK;
out:
	free(data);
	return test_peer_case_end(&p, &r, &res, in_use, base, rc);
}

#define UDP_SUPERFRAMES 12

struct udp_case {
	int family;
	unsigned int idx;
	uint8_t buffers;           /* GSO_OFFLOAD_BUF_* */
};

static int
udp_datagrams(const void *arg)
{
	const struct udp_case *c = arg;
	const uint16_t mss = c->family == 4 ? 1472 : 1452;
	/* Superframe sizes: a multiple of the MSS, one more, MSS + 1, odd. */
	static const uint32_t sf_sizes[UDP_SUPERFRAMES] = {
		5 * 1472, 5 * 1472 + 1, 1473, 30000, 64000, 2 * 1452,
		2 * 1452 + 1, 1453, 9999, 12345, 40000, 1472 * 3 + 7,
	};
	struct test_receiver r = { .pid = -1, .fd = -1 };
	struct test_receiver_result res = { 0 };
	struct eng_xmit x = { .buffers = c->buffers };
	struct test_tcp_opts o = {
		.family = c->family, .dport = (uint16_t)(6100 + c->idx), .mss = mss,
		.pool = pool,
	};
	const char *counter = c->family == 4 ? "Udp:InCsumErrors" :
		"Udp6InCsumErrors";
	const unsigned int base = in_use();
	uint32_t expect[512];
	unsigned int nb_expect = 0;
	size_t total = 0, off = 0;
	long long errs0 = -1, errs1;
	struct test_peer p;
	uint8_t *data = NULL;
	char sha[65];
	int rc = TEST_FAIL, n;

	TEST_SKIP_IF(!test_is_root(), "namespaces and veth need root");
	for (unsigned int i = 0; i < UDP_SUPERFRAMES; i++) {
		uint32_t left = sf_sizes[i];

		total += left;
		/* Each superframe: datagrams of MSS bytes, the last shorter. */
		for (; left > 0; left -= RTE_MIN(left, (uint32_t)mss))
			expect[nb_expect++] = RTE_MIN(left, (uint32_t)mss);
	}
	data = test_data_gen(total, 0x6100 + c->idx);
	TEST_ASSERT(data != NULL, "malloc");
	n = test_peer_create(&p, TEST_PEER_AF_PACKET, c->idx, 1500);
	TEST_CHECK(n == 0, "peer: %s", strerror(-n));
	n = test_peer_port_start(&p, pool, 0);
	TEST_CHECK(n == 0, "port start: %s", strerror(-n));
	n = test_receiver_start(&r, &p, c->family, IPPROTO_UDP, o.dport, nb_expect);
	TEST_CHECK(n == 0, "receiver: %s", strerror(-n));
	errs0 = test_peer_counter(&p, counter);

	for (unsigned int i = 0; i < UDP_SUPERFRAMES; i++) {
		o.sf_payload = sf_sizes[i];
		n = test_udp_send(&p, &o, data + off, sf_sizes[i], eng_xmit, &x);
		TEST_CHECK(n == 1, "superframe %u: %d", i, n);
		off += sf_sizes[i];
	}
	TEST_CHECK(x.nb_seg + x.nb_small == nb_expect, "%u segments, expected %u",
		x.nb_seg + x.nb_small, nb_expect);
	n = test_receiver_wait(&r, 5000, &res);
	TEST_CHECK(n == 0, "receiver wait: %s", strerror(-n));
	TEST_CHECK(res.complete && res.nb_datagrams == nb_expect,
		"status %s, %u datagrams of %u", res.status, res.nb_datagrams,
		nb_expect);
	for (unsigned int i = 0; i < nb_expect; i++)
		TEST_CHECK(res.sizes[i] == expect[i], "datagram %u: %u bytes, expected %u",
			i, res.sizes[i], expect[i]);
	test_sha256_hex(data, total, sha);
	TEST_CHECK(strcmp(sha, res.sha256) == 0, "sha256 %s, sent %s", res.sha256, sha);
	errs1 = test_peer_counter(&p, counter);
	TEST_CHECK(errs0 >= 0 && errs1 == errs0, "%s %lld -> %lld", counter, errs0,
		errs1);
	rc = TEST_OK;
out:
	free(data);
	return test_peer_case_end(&p, &r, &res, in_use, base, rc);
}

static int
setup(void)
{
	struct gso_offload_seg_conf conf;

	pool = test_poison_pktmbuf_pool_create("kern_pool", 2048, 0, UINT16_MAX,
			SOCKET_ID_ANY);
	small_pool = test_poison_pktmbuf_pool_create("kern_small", 8192, 0,
			RTE_PKTMBUF_HEADROOM + 512, SOCKET_ID_ANY);
	seg_pool = test_poison_seg_pool_create("kern_seg", 8192,
			GSO_OFFLOAD_MAX_HDR_LEN, SOCKET_ID_ANY);
	copy_pool = test_poison_seg_pool_create("kern_copy", 4096,
			RTE_MBUF_DEFAULT_DATAROOM, SOCKET_ID_ANY);
	if (pool == NULL || small_pool == NULL || seg_pool == NULL ||
			copy_pool == NULL)
		return -1;
	conf = (struct gso_offload_seg_conf){ .hdr_pool = seg_pool,
		.ref_pool = seg_pool, .copy_pool = copy_pool };
	engine = gso_offload_seg_create(&conf, SOCKET_ID_ANY);
	return engine == NULL;
}

static const struct test_case cases[] = {
	TEST_CASE_ARG("tcp4_af_packet", tcp_stream, &(const struct tcp_case){
		.kind = TEST_PEER_AF_PACKET, .idx = 1, .family = 4,
		.buffers = GSO_OFFLOAD_BUF_AUTO }),
	TEST_CASE_ARG("tcp6_af_packet", tcp_stream, &(const struct tcp_case){
		.kind = TEST_PEER_AF_PACKET, .idx = 2, .family = 6,
		.tcp_options = true, .buffers = GSO_OFFLOAD_BUF_AUTO }),
	TEST_CASE_ARG("tcp4_options_chained_copy", tcp_stream,
		&(const struct tcp_case){
		.kind = TEST_PEER_AF_PACKET, .idx = 3, .family = 4,
		.ip_options = true, .tcp_options = true, .chained = true,
		.buffers = GSO_OFFLOAD_BUF_COPY }),
	TEST_CASE_ARG("tcp6_chained_zerocopy", tcp_stream,
		&(const struct tcp_case){
		.kind = TEST_PEER_AF_PACKET, .idx = 4, .family = 6,
		.chained = true, .buffers = GSO_OFFLOAD_BUF_ZEROCOPY }),
	TEST_CASE_ARG("tcp4_tap", tcp_stream, &(const struct tcp_case){
		.kind = TEST_PEER_TAP, .idx = 5, .family = 4,
		.tcp_options = true, .buffers = GSO_OFFLOAD_BUF_ZEROCOPY }),
	TEST_CASE_ARG("tcp6_tap", tcp_stream, &(const struct tcp_case){
		.kind = TEST_PEER_TAP, .idx = 6, .family = 6,
		.buffers = GSO_OFFLOAD_BUF_COPY }),
	TEST_CASE_ARG("udp4_af_packet", udp_datagrams, &(const struct udp_case){
		.family = 4, .idx = 7, .buffers = GSO_OFFLOAD_BUF_AUTO }),
	TEST_CASE_ARG("udp6_af_packet", udp_datagrams, &(const struct udp_case){
		.family = 6, .idx = 8, .buffers = GSO_OFFLOAD_BUF_ZEROCOPY }),
	TEST_CASE_ARG("udp4_af_packet_copy", udp_datagrams,
		&(const struct udp_case){
		.family = 4, .idx = 9, .buffers = GSO_OFFLOAD_BUF_COPY }),
};

int
main(int argc, char **argv)
{
	const struct test_suite suite = {
		.name = "segment_kernel",
		.setup = setup,
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = true,
	};

	return test_suite_run(&suite, argc, argv);
}
