/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * The TX pipeline on real ports, watched by the contract checker
 * (test_contract.h): every packet handed to a PMD with TSO/USO flags must
 * be allowed by the port's active capabilities and carry consistent
 * lengths and the pseudo-header; every other packet must fit the MTU.
 *
 *  - virtio_user + net_vhost tso=1: TCP/IPv4 and TCP/IPv6 superframes go to
 *    hardware, the vhost side gets each whole with tso_segsz = MSS and the
 *    pseudo-header; tso=0, or lso6 off: MSS-sized segments, valid checksums;
 *  - net_tap: TCP/IPv4 to hardware, TCP/IPv6 to software, the kernel in
 *    the tap's namespace receives both streams intact;
 *  - USO in hardware, through a test provider declaring it on a ring port;
 *  - restricted capabilities: each class takes its path, chunks made for
 *    hardware reassemble exactly;
 *  - live toggling of LSO while two lcores transmit;
 *  - hitless changes: on a port configured once with all its offloads, a
 *    change never holds the pipelines (not even during the provider's
 *    callback), also while a worker transmits; a port that restarts on
 *    change still holds them around the restart; either way the provider's
 *    callback fires once per change with the new set.
 */

#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_dev.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "gso_offload.h"
#include "gso_offload_private.h"
#include "gso_tx_private.h"
#include "test.h"
#include "test_contract.h"
#include "test_env.h"
#include "test_netns.h"
#include "test_pkt.h"
#include "test_poison.h"
#include "test_ring_port.h"

static struct rte_mempool *rx_pool, *sf_pool, *seg_pool, *copy_pool;
static struct gso_offload_tx *tx_main;

/* ---- Ports ---- */

/* Hand one superframe to the pipeline; consumed or returned. */
static int
send_sf(uint16_t port_id, uint16_t queue, struct rte_mbuf *m)
{
	for (int i = 0; i < 100000; i++)
		if (gso_offload_tx_burst(tx_main, port_id, queue, &m, 1) == 1)
			return 0;
	rte_pktmbuf_free(m);
	return -EIO;
}

static struct test_sf_spec
tcp_spec(int l3, uint32_t payload, uint16_t mss)
{
	return (struct test_sf_spec){ .l2 = TEST_L2_ETH, .l3 = l3,
		.l4 = IPPROTO_TCP, .payload_len = payload, .mss = mss,
		.seq = 1000, .ip_id = 7, .seed = (uint32_t)payload };
}

/* ---- virtio_user + net_vhost ---- */

/* Receive up to max packets on the vhost side. */
static unsigned int
vhost_rx(uint16_t vhost, struct rte_mbuf **pkts, unsigned int max)
{
	return test_rx_poll(vhost, 0, pkts, max, 1000);
}

/* A TSO superframe as the vhost side receives it: whole, tso_segsz = MSS,
 * flagged LRO, checksums valid. */
static int
check_whole(struct rte_mbuf *r, const uint8_t *orig, uint32_t len, int l3,
		uint16_t mss)
{
	uint32_t rlen;
	uint8_t *b = test_mbuf_bytes(r, &rlen);
	const uint8_t *ip = b + 14, *th = ip + (l3 == 4 ? 20 : 40);
	uint32_t phdr, l4len;
	int rc = TEST_FAIL;

	if (b == NULL)
		return TEST_FAIL;
	if (rlen != len || r->tso_segsz != mss ||
			!(r->ol_flags & RTE_MBUF_F_RX_LRO)) {
		printf("#   got %u bytes (sent %u), tso_segsz %u, flags %#" PRIx64 "\n",
			rlen, len, r->tso_segsz, r->ol_flags);
		goto out;
	}
	/* Payload and everything but the checksum fields as sent. */
	if (memcmp(b + (th - b) + 20, orig + (th - b) + 20, len - (th - b) - 20)) {
		printf("#   payload differs\n");
		goto out;
	}
	/*
	 * The device (net_vhost) completes the checksum the library and
	 * virtio's tx_prepare left partial: valid over the whole superframe
	 * only if that pseudo-header was right.
	 */
	l4len = len - (uint32_t)(th - b);
	phdr = (l3 == 4 ? test_ref_sum(ip + 12, 8, 0) : test_ref_sum(ip + 8, 32, 0)) +
		IPPROTO_TCP + l4len;
	if (test_ref_fold(test_ref_sum(th, l4len, phdr)) != 0xffff ||
			(r->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) !=
				RTE_MBUF_F_RX_L4_CKSUM_GOOD) {
		printf("#   TCP checksum of the superframe\n");
		goto out;
	}
	if (l3 == 4 && test_ref_fold(test_ref_sum(ip, 20, 0)) != 0xffff) {
		printf("#   IPv4 header checksum\n");
		goto out;
	}
	rc = TEST_OK;
out:
	free(b);
	return rc;
}

/*
 * A segment as the vhost side receives it: IPv4 header checksum valid (the
 * library writes it: virtio has no IP checksum offload), TCP checksum
 * valid (left to the device with the pseudo-header in the field; net_vhost
 * completes it and reports it good).
 */
static int
check_segment(struct rte_mbuf *r, int l3, uint32_t want_payload)
{
	uint32_t rlen;
	uint8_t *b = test_mbuf_bytes(r, &rlen);
	const uint8_t *ip = b + 14, *th = ip + (l3 == 4 ? 20 : 40);
	uint32_t l4len = rlen - (uint32_t)(th - b), phdr;
	int rc = TEST_FAIL;

	if (b == NULL)
		return TEST_FAIL;
	if (l4len - 20 != want_payload) {
		printf("#   segment payload %u, expected %u\n", l4len - 20,
			want_payload);
		goto out;
	}
	if (l3 == 4 && test_ref_fold(test_ref_sum(ip, 20, 0)) != 0xffff) {
		printf("#   IPv4 header checksum\n");
		goto out;
	}
	phdr = (l3 == 4 ? test_ref_sum(ip + 12, 8, 0) :
		test_ref_sum(ip + 8, 32, 0)) + IPPROTO_TCP + l4len;
	if (test_ref_fold(test_ref_sum(th, l4len, phdr)) != 0xffff ||
			(r->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) !=
				RTE_MBUF_F_RX_L4_CKSUM_GOOD) {
		printf("#   TCP checksum\n");
		goto out;
	}
	rc = TEST_OK;
out:
	free(b);
	return rc;
}

struct virtio_case {
	bool tso;
	const char *wanted;      /* keywords applied before sending */
	bool v4_hw, v6_hw;       /* expected paths */
};

static int
virtio_case_run(const struct virtio_case *vc, unsigned int idx)
{
	struct gso_offload_tx_stats before, after;
	struct rte_mbuf *rx[64];
	struct contract c;
	struct test_vpair vp;
	int rc = TEST_FAIL;

	if (test_vpair_create(&vp, idx, vc->tso, rx_pool) != 0 ||
			test_lib_port_up(vp.virtio, rx_pool, 1, 512) != 0 ||
			contract_attach(&c, vp.virtio, 1, true) != 0)
		goto out;
	if (vc->wanted != NULL && gso_offload_wanted_set_str(vp.virtio,
			vc->wanted) != 0)
		goto out;
	gso_offload_tx_stats_get(vp.virtio, &before);

	for (int l3 = 4; l3 <= 6; l3 += 2) {
		const bool hw = l3 == 4 ? vc->v4_hw : vc->v6_hw;
		struct test_sf_spec s = tcp_spec(l3, 8000, 1400);
		struct rte_mbuf *sf = test_sf_build(sf_pool, &s);
		uint32_t len;
		uint8_t *orig = test_mbuf_bytes(sf, &len);
		unsigned int got;

		if (send_sf(vp.virtio, 0, sf) != 0) {
			free(orig);
			goto out;
		}
		got = vhost_rx(vp.vhost, rx, hw ? 1 : 6);
		if (got != (hw ? 1u : 6u)) {
			printf("#   IPv%d: vhost got %u packets\n", l3, got);
			rte_pktmbuf_free_bulk(rx, got);
			free(orig);
			goto out;
		}
		for (unsigned int i = 0; i < got; i++) {
			int r = hw ? check_whole(rx[i], orig, len, l3, 1400) :
				check_segment(rx[i], l3, i < 5 ? 1400 : 1000);

			if (r != TEST_OK) {
				printf("#   IPv%d packet %u\n", l3, i);
				rte_pktmbuf_free_bulk(rx, got);
				free(orig);
				goto out;
			}
		}
		rte_pktmbuf_free_bulk(rx, got);
		free(orig);
	}
	gso_offload_tx_stats_get(vp.virtio, &after);
	if (after.hw_pkts - before.hw_pkts != (uint64_t)vc->v4_hw + vc->v6_hw ||
			after.sw_pkts - before.sw_pkts !=
				(uint64_t)!vc->v4_hw + !vc->v6_hw) {
		printf("#   counters: hw %" PRIu64 " sw %" PRIu64 "\n",
			after.hw_pkts - before.hw_pkts, after.sw_pkts - before.sw_pkts);
		goto out;
	}
	if (c.violations == 0 && c.checked > 0)
		rc = TEST_OK;
	else
		printf("#   %" PRIu64 " violations: %s\n", c.violations, c.first);
out:
	contract_detach(&c);
	test_lib_port_down(vp.virtio);
	test_vpair_destroy(&vp);
	return rc;
}

static int
virtio_tso_on_hardware(void)
{
	const struct virtio_case vc = { true, NULL, true, true };
	return virtio_case_run(&vc, 10);
}

static int
virtio_tso_off_software(void)
{
	const struct virtio_case vc = { false, NULL, false, false };
	return virtio_case_run(&vc, 11);
}

static int
virtio_lso6_off_software_for_ipv6(void)
{
	const struct virtio_case vc = { true, "lso6=off", true, false };
	return virtio_case_run(&vc, 12);
}

/* ---- net_tap into the kernel ---- */

struct tap_up {
	const struct test_peer *p;
	int rc;
};

/* net_tap opens its queues in the namespace of the caller: configure and
 * start it from inside the peer's namespace. */
static int
tap_up_in_ns(void *arg)
{
	struct tap_up *t = arg;

	t->rc = test_lib_port_up(t->p->port_id, rx_pool, 1, 512);
	return t->rc;
}

static int
pipeline_xmit(void *arg, uint16_t port_id, struct rte_mbuf *sf)
{
	RTE_SET_USED(arg);
	return send_sf(port_id, 0, sf);
}

static int
tap_stream(struct test_peer *p, int family, uint16_t dport)
{
	const size_t len = 512 * 1024;
	struct test_receiver r = { .pid = -1, .fd = -1 };
	struct test_receiver_result res = { 0 };
	/* tap counts the Ethernet header inside the MTU: an MSS of 1400
	 * keeps IPv4 superframes within what its in-PMD rte_gso takes. */
	struct test_tcp_opts o = {
		.family = family, .dport = dport, .mss = 1400,
		.sf_payload = 64000, .pool = sf_pool,
	};
	uint8_t *data = test_data_gen(len, dport);
	int n, rc = TEST_FAIL;

	if (data == NULL)
		return TEST_FAIL;
	n = test_receiver_start(&r, p, family, IPPROTO_TCP, dport, 0);
	if (n != 0)
		goto out;
	n = test_tcp_send_stream(p, &o, data, len, pipeline_xmit, NULL);
	if (n <= 0) {
		printf("#   IPv%d send: %s\n", family, strerror(-n));
		goto out;
	}
	if (test_receiver_check_stream(&r, 5000, data, len, &res) == 0)
		rc = TEST_OK;
	else
		printf("#   IPv%d stream\n", family);
out:
	test_receiver_stop(&r);
	test_receiver_result_free(&res);
	free(data);
	return rc;
}

static int
tap_ipv4_hardware_ipv6_software(void)
{
	struct gso_offload_tx_stats st0, st1, st2;
	struct contract c = { 0 };
	struct test_peer p;
	struct tap_up t = { &p, -1 };
	long long errs0, errs1;
	int rc = TEST_FAIL, n;

	TEST_SKIP_IF(!test_is_root(), "net_tap in a namespace needs root");
	n = test_peer_create(&p, TEST_PEER_TAP, 13, 1500);
	TEST_ASSERT(n == 0, "peer: %s", strerror(-n));
	if (test_peer_run(&p, tap_up_in_ns, &t) != 0 || t.rc != 0 ||
			contract_attach(&c, p.port_id, 1, true) != 0)
		goto out;
	errs0 = test_peer_counter(&p, "Tcp:InCsumErrors");
	gso_offload_tx_stats_get(p.port_id, &st0);
	if (tap_stream(&p, 4, 5301) != TEST_OK)
		goto out;
	gso_offload_tx_stats_get(p.port_id, &st1);
	if (tap_stream(&p, 6, 5302) != TEST_OK)
		goto out;
	gso_offload_tx_stats_get(p.port_id, &st2);
	errs1 = test_peer_counter(&p, "Tcp:InCsumErrors");
	/* IPv4 went to tap's TSO, IPv6 (which tap cannot) to software. */
	if (st1.hw_pkts - st0.hw_pkts < 8 || st1.sw_pkts != st0.sw_pkts ||
			st2.sw_pkts - st1.sw_pkts < 8 ||
			st2.sw_reason[GSO_OFFLOAD_SW_NOT_ACTIVE] -
				st1.sw_reason[GSO_OFFLOAD_SW_NOT_ACTIVE] < 8 ||
			st2.hw_pkts != st1.hw_pkts) {
		printf("#   IPv4: hw %" PRIu64 " sw %" PRIu64 "; IPv6: hw %" PRIu64
			" sw %" PRIu64 "\n", st1.hw_pkts - st0.hw_pkts,
			st1.sw_pkts - st0.sw_pkts, st2.hw_pkts - st1.hw_pkts,
			st2.sw_pkts - st1.sw_pkts);
		goto out;
	}
	if (errs0 < 0 || errs1 != errs0) {
		printf("#   kernel checksum errors %lld -> %lld\n", errs0, errs1);
		goto out;
	}
	if (c.violations != 0 || c.gso_pkts < 8) {
		printf("#   contract: %" PRIu64 " GSO packets, %" PRIu64
			" violations: %s\n", c.gso_pkts, c.violations, c.first);
		goto out;
	}
	rc = TEST_OK;
out:
	contract_detach(&c);
	gso_offload_port_stop(p.port_id);
	gso_offload_port_release(p.port_id);
	test_peer_destroy(&p);
	return rc;
}

/* ---- Ring ports with a test provider ---- */

/* What a test provider declares; set before gso_offload_port_configure(). */
static struct gso_offload_caps test_caps;
static struct gso_offload_encap_caps test_encap;

static int
test_describe(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_caps *caps, struct gso_offload_port_limits *lim)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(info);
	*caps = test_caps;
	lim->flags = GSO_OFFLOAD_QUIRK_PHDR_CKSUM;
	return 0;
}

/* Tunnel segmentation as test_encap says. net_ring has no outer checksum
 * offload to configure, so the outer IPv4 checksum is the library's
 * (written in the superframe, as for a device that rewrites the outer
 * header itself). */
static int
test_describe_encap(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_encap_caps *encap,
		struct gso_offload_port_limits *lim)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(info);
	RTE_SET_USED(lim);
	*encap = test_encap;
	return 0;
}

static const struct gso_offload_provider test_provider = {
	.name = "test", .describe = test_describe,
	.describe_encap = test_describe_encap,
};

static int
uso_in_hardware(void)
{
	struct contract c;
	struct test_ring_port rp;
	void *got[8];
	unsigned int n;

	gso_offload_caps_init(&test_caps, GSO_OFFLOAD_L3_ALL, GSO_OFFLOAD_L4_ALL,
			65535, 2, NULL, NULL);
	TEST_ASSERT(test_ring_port_create(&rp, "ring_uso", &test_provider,
		rx_pool) == 0, "ring port");
	TEST_ASSERT(contract_attach(&c, rp.port_id, 1, false) == 0, "contract");
	for (int l3 = 4; l3 <= 6; l3 += 2) {
		struct test_sf_spec s = {
			.l2 = TEST_L2_VLAN, .l3 = l3, .l3_opts = l3 == 6,
			/* 96 bytes of IPv6 extension headers: 1300 + 8 + 136
			 * fits the 1500-byte MTU. */
			.l4 = IPPROTO_UDP, .payload_len = 30000, .mss = 1300,
		};

		TEST_ASSERT(send_sf(rp.port_id, 0, test_sf_build(sf_pool, &s)) == 0,
			"send");
	}
	n = rte_ring_dequeue_burst(rp.ring, got, 8, NULL);
	for (unsigned int i = 0; i < n; i++) {
		struct rte_mbuf *m = got[i];

		TEST_ASSERT((m->ol_flags & RTE_MBUF_F_TX_UDP_SEG) &&
			m->tso_segsz == 1300, "whole UDP superframe with UDP_SEG");
		rte_pktmbuf_free(m);
	}
	TEST_ASSERT_EQ(n, 2, "both went to hardware");
	TEST_ASSERT_EQ(c.gso_pkts, 2, "the contract checker saw both");
	CONTRACT_OK(&c);
	contract_detach(&c);
	test_ring_port_destroy(&rp);
	return TEST_OK;
}

/* Restricted hardware: 16 KiB per offload, 4 segments at least, L4 header
 * within 64 bytes. */
static int
restricted_capabilities(void)
{
	struct gso_offload_tx_stats st0, st1;
	struct contract c;
	struct test_ring_port rp;
	struct test_sf_spec big = tcp_spec(4, 40000, 1000);
	struct rte_mbuf *sf, *got[64];
	uint32_t blen;
	uint8_t *orig, *joined;
	uint32_t jlen = 0;
	unsigned int n;

	gso_offload_caps_init(&test_caps, GSO_OFFLOAD_L3_ALL, GSO_OFFLOAD_L4_ALL,
			16384, 4, NULL, NULL);
	test_caps.l4_header_offset_limit = 64;
	TEST_ASSERT(test_ring_port_create(&rp, "ring_rst", &test_provider,
		rx_pool) == 0, "ring port");
	TEST_ASSERT(contract_attach(&c, rp.port_id, 1, false) == 0, "contract");
	gso_offload_tx_stats_get(rp.port_id, &st0);

	/* 40000 bytes: split into 16000 + 16000 + 8000 byte chunks. */
	big.tcp_flags = 0x99;           /* CWR ACK PSH FIN */
	sf = test_sf_build(sf_pool, &big);
	orig = test_mbuf_bytes(sf, &blen);
	TEST_ASSERT(send_sf(rp.port_id, 0, sf) == 0, "send");
	n = rte_ring_dequeue_burst(rp.ring, (void **)got, 64, NULL);
	TEST_ASSERT_EQ(n, 3, "three chunks");
	joined = malloc(40000);
	for (unsigned int i = 0; i < n; i++) {
		uint32_t len;
		uint8_t *b = test_mbuf_bytes(got[i], &len);
		const uint8_t *ip = b + 14, *th = ip + 20;

		TEST_ASSERT((got[i]->ol_flags & RTE_MBUF_F_TX_TCP_SEG) &&
			got[i]->tso_segsz == 1000, "chunk %u is a TSO packet", i);
		TEST_ASSERT_EQ((ip[2] << 8 | ip[3]), len - 14, "chunk %u length", i);
		TEST_ASSERT_EQ((ip[4] << 8 | ip[5]), 7 + 16 * i, "chunk %u ID", i);
		TEST_ASSERT_EQ((uint32_t)(th[4] << 24 | th[5] << 16 | th[6] << 8 |
			th[7]), 1000 + 16000 * i, "chunk %u seq", i);
		TEST_ASSERT_EQ(th[13], i == 0 ? 0x90 : i == 2 ? 0x19 : 0x10,
			"chunk %u flags", i);
		memcpy(joined + jlen, b + 54, len - 54);
		jlen += len - 54;
		free(b);
		rte_pktmbuf_free(got[i]);
	}
	TEST_ASSERT(jlen == 40000 && memcmp(joined, orig + 54, 40000) == 0,
		"chunks reassemble exactly");
	free(joined);
	free(orig);

	/* 3000 bytes: 3 segments < 4: software. */
	TEST_ASSERT(send_sf(rp.port_id, 0,
		test_sf_build(sf_pool, &(struct test_sf_spec){ .l2 = TEST_L2_ETH,
			.l3 = 4, .l4 = IPPROTO_TCP, .payload_len = 3000,
			.mss = 1000 })) == 0, "send");
	/* IPv6 with extension headers: L4 at 14 + 96 > 64: software. */
	TEST_ASSERT(send_sf(rp.port_id, 0,
		test_sf_build(sf_pool, &(struct test_sf_spec){ .l2 = TEST_L2_ETH,
			.l3 = 6, .l3_opts = true, .l4 = IPPROTO_TCP,
			.payload_len = 8000, .mss = 1000 })) == 0, "send");
	/* 10000 bytes: hardware as is. */
	TEST_ASSERT(send_sf(rp.port_id, 0, test_sf_build(sf_pool,
		&(struct test_sf_spec){ .l2 = TEST_L2_ETH, .l3 = 4,
			.l4 = IPPROTO_TCP, .payload_len = 10000, .mss = 1000 })) == 0,
		"send");
	n = rte_ring_dequeue_burst(rp.ring, (void **)got, 64, NULL);
	rte_pktmbuf_free_bulk(got, n);
	TEST_ASSERT_EQ(n, 3 + 8 + 1, "segments and the hardware packet");
	gso_offload_tx_stats_get(rp.port_id, &st1);
	TEST_ASSERT_EQ(st1.split_pkts - st0.split_pkts, 1, "split");
	TEST_ASSERT_EQ(st1.split_chunks - st0.split_chunks, 3, "chunks");
	TEST_ASSERT_EQ(st1.sw_reason[GSO_OFFLOAD_SW_MIN_SEGMENTS] -
		st0.sw_reason[GSO_OFFLOAD_SW_MIN_SEGMENTS], 1, "min segments");
	TEST_ASSERT_EQ(st1.sw_reason[GSO_OFFLOAD_SW_OFFSET_LIMIT] -
		st0.sw_reason[GSO_OFFLOAD_SW_OFFSET_LIMIT], 1, "offset limit");
	TEST_ASSERT_EQ(st1.hw_pkts - st0.hw_pkts, 1, "hardware");
	TEST_ASSERT_EQ(c.gso_pkts, 3 + 1, "contract checked the TSO packets");
	CONTRACT_OK(&c);
	{
		/* The same counters through telemetry. */
		char cmd[64], out[4096], want[64];

		snprintf(cmd, sizeof(cmd), "/gso_offload/stats,%u", rp.port_id);
		snprintf(want, sizeof(want), "\"split_chunks\": %" PRIu64,
			st1.split_chunks);
		TEST_ASSERT(test_telemetry(cmd, out, sizeof(out)) == 0 &&
			strstr(out, want) != NULL && strstr(out,
			"\"sw_min_segments\": 1") != NULL, "telemetry: %s", out);
		/* Every counter the library lists, by its name and value. */
#define TEL_HAS_(field)							\
		snprintf(want, sizeof(want), "\"%s\": %" PRIu64, #field,	\
			st1.field);					\
		TEST_ASSERT(strstr(out, want) != NULL, "telemetry: %s", want);
		GSO_OFFLOAD_TX_COUNTERS(TEL_HAS_)
#undef TEL_HAS_
	}
	contract_detach(&c);
	test_ring_port_destroy(&rp);
	return TEST_OK;
}

/* Dequeue what a ring port got; the TCP payload bytes of each, in order,
 * appended to joined (IPv4, 20-byte TCP header). */
static unsigned int
ring_take_payload(struct test_ring_port *rp, struct rte_mbuf **got,
		unsigned int max, uint8_t *joined, uint32_t *jlen)
{
	unsigned int n = rte_ring_dequeue_burst(rp->ring, (void **)got, max,
			NULL);

	for (unsigned int i = 0; i < n; i++) {
		uint32_t len;
		uint8_t *b = test_mbuf_bytes(got[i], &len);

		memcpy(joined + *jlen, b + 54, len - 54);
		*jlen += len - 54;
		free(b);
	}
	return n;
}

/*
 * Issue 16, defect 4: every chunk handed to hardware passes the rules a
 * whole packet does. Maximum offload 2000, MSS 500, payload 2100: five
 * segments, at most four per chunk. With at least 2 per chunk the chunks
 * are balanced (3 + 2, not 4 + 1); with at least 3 no split leaves a
 * valid tail, and the one-segment tail goes out as a plain packet.
 */
static int
split_chunks_obey_min_segments(void)
{
	static const struct {
		uint32_t min_segs;
		unsigned int tso[2];     /* tso chunk payloads; 0: none */
		unsigned int plain;      /* payload of a plain tail; 0: none */
	} cases[] = {
		{ 2, { 1500, 600 }, 0 },
		{ 3, { 2000, 0 }, 100 },
	};

	for (size_t k = 0; k < RTE_DIM(cases); k++) {
		struct test_sf_spec s = tcp_spec(4, 2100, 500);
		struct gso_offload_tx_stats st0, st1;
		struct rte_mbuf *sf, *got[8];
		uint8_t *orig, joined[2100];
		uint32_t olen, jlen = 0;
		struct contract c;
		struct test_ring_port rp;
		unsigned int n, want_n = 0, t = 0;
		char name[32];

		gso_offload_caps_init(&test_caps, GSO_OFFLOAD_L3_ALL,
			GSO_OFFLOAD_L4_ALL, 2000, cases[k].min_segs, NULL, NULL);
		snprintf(name, sizeof(name), "ring_minseg%zu", k);
		TEST_ASSERT(test_ring_port_create(&rp, name, &test_provider,
			rx_pool) == 0, "ring port");
		TEST_ASSERT(contract_attach(&c, rp.port_id, 1, false) == 0,
			"contract");
		gso_offload_tx_stats_get(rp.port_id, &st0);
		sf = test_sf_build(sf_pool, &s);
		TEST_ASSERT(sf != NULL, "build");
		orig = test_mbuf_bytes(sf, &olen);
		TEST_ASSERT(send_sf(rp.port_id, 0, sf) == 0, "send");
		n = ring_take_payload(&rp, got, RTE_DIM(got), joined, &jlen);
		for (unsigned int i = 0; i < n; i++) {
			const bool tso = got[i]->ol_flags & RTE_MBUF_F_TX_TCP_SEG;
			uint32_t pay = got[i]->pkt_len - 54;

			if (tso)
				TEST_ASSERT(t < 2 && pay == cases[k].tso[t++],
					"min %u: TSO chunk %u of %u bytes",
					cases[k].min_segs, i, pay);
			else
				TEST_ASSERT(pay == cases[k].plain,
					"min %u: plain packet of %u bytes",
					cases[k].min_segs, pay);
		}
		want_n = (cases[k].tso[0] != 0) + (cases[k].tso[1] != 0) +
			(cases[k].plain != 0);
		rte_pktmbuf_free_bulk(got, n);
		gso_offload_tx_stats_get(rp.port_id, &st1);
		contract_detach(&c);
		test_ring_port_destroy(&rp);
		TEST_ASSERT(jlen == 2100 && memcmp(joined, orig + 54, 2100) == 0,
			"min %u: the packets reassemble exactly",
			cases[k].min_segs);
		free(orig);
		TEST_ASSERT_EQ(n, want_n, "min %u: packets", cases[k].min_segs);
		TEST_ASSERT_EQ(st1.split_chunks - st0.split_chunks, t,
			"min %u: chunks to hardware", cases[k].min_segs);
		TEST_ASSERT_EQ(st1.split_bytes - st0.split_bytes, olen,
			"min %u: split bytes", cases[k].min_segs);
		CONTRACT_OK(&c);
	}
	return TEST_OK;
}

/*
 * Issue 16, defect 2: the byte counters of the software and split paths
 * are the superframe's length, read before the superframe is consumed
 * (the sanitizer build's poisoning pool reports the read after free).
 */
static int
byte_counters_of_consumed_superframes(void)
{
	struct gso_offload_tx_stats st0, st1;
	struct rte_mbuf *got[64];
	struct test_ring_port rp;
	uint32_t sw_len = 0, split_len = 0;
	unsigned int n;

	/* 16 KiB per offload, at least 4 segments. */
	gso_offload_caps_init(&test_caps, GSO_OFFLOAD_L3_ALL, GSO_OFFLOAD_L4_ALL,
			16384, 4, NULL, NULL);
	TEST_ASSERT(test_ring_port_create(&rp, "ring_bytes", &test_provider,
		rx_pool) == 0, "ring port");
	gso_offload_tx_stats_get(rp.port_id, &st0);
	for (int i = 0; i < 2; i++) {
		/* 3 segments: software; 40 segments: split. */
		struct test_sf_spec s = tcp_spec(4, i == 0 ? 3000 : 40000, 1000);
		struct rte_mbuf *sf = test_sf_build(sf_pool, &s);

		TEST_ASSERT(sf != NULL, "build");
		*(i == 0 ? &sw_len : &split_len) = sf->pkt_len;
		TEST_ASSERT(send_sf(rp.port_id, 0, sf) == 0, "send");
	}
	n = rte_ring_dequeue_burst(rp.ring, (void **)got, RTE_DIM(got), NULL);
	rte_pktmbuf_free_bulk(got, n);
	gso_offload_tx_stats_get(rp.port_id, &st1);
	test_ring_port_destroy(&rp);
	TEST_ASSERT_EQ(n, 3 + 3, "segments and chunks");
	TEST_ASSERT_EQ(st1.sw_bytes - st0.sw_bytes, sw_len, "software bytes");
	TEST_ASSERT_EQ(st1.split_bytes - st0.split_bytes, split_len,
		"split bytes");
	return TEST_OK;
}

/* ---- Live toggling ---- */

struct worker {
	struct gso_offload_tx *tx;
	uint16_t port_id, queue;
	volatile bool *stop;
	uint64_t consumed;      /* superframes the pipeline took */
	uint64_t leftover;      /* returned at the end, freed by the worker */
	int l3;
};

static int
worker_main(void *arg)
{
	struct worker *w = arg;
	struct rte_mbuf *burst[4];
	uint16_t have = 0;
	uint32_t k = 0;

	while (!*w->stop) {
		while (have < RTE_DIM(burst)) {
			struct test_sf_spec s = tcp_spec((k++ & 1) ? 6 : 4, 6000, 1400);

			s.seed = k;
			burst[have] = test_sf_build(sf_pool, &s);
			if (burst[have] == NULL)
				break;
			have++;
		}
		uint16_t n = gso_offload_tx_burst(w->tx, w->port_id, w->queue,
				burst, have);

		/* One writer; the main lcore reads it while this runs. */
		__atomic_store_n(&w->consumed, w->consumed + n,
			__ATOMIC_RELAXED);
		memmove(burst, burst + n, (have - n) * sizeof(burst[0]));
		have -= n;
	}
	w->leftover = have;
	rte_pktmbuf_free_bulk(burst, have);
	gso_offload_tx_offline(w->tx);
	return 0;
}

/*
 * Whether every one of the nw workers has taken at least `need` more
 * superframes than since[] says. A set is held until the workers have
 * transmitted under it, rather than for a number of polls: on a loaded
 * machine a worker may not run at all during a fixed number of them, and
 * a path the test counts on would go untaken.
 */
static bool
workers_progressed(const struct worker *w, unsigned int nw,
		const uint64_t *since, uint64_t need)
{
	for (unsigned int i = 0; i < nw; i++)
		if (__atomic_load_n(&w[i].consumed, __ATOMIC_RELAXED) <
				since[i] + need)
			return false;
	return true;
}

static void
workers_mark(const struct worker *w, unsigned int nw, uint64_t *since)
{
	for (unsigned int i = 0; i < nw; i++)
		since[i] = __atomic_load_n(&w[i].consumed, __ATOMIC_RELAXED);
}

/* A bound on waiting for workers that make no progress: a failure then,
 * not a hang. */
#define WORKER_STALL_S 30

static int
live_toggle(void)
{
	static const char *const flips[] = {
		"lso4=off", "lso6=off", "lso4=on", "lso4=off,lso6=on",
		"lso4=on,lso6=on", "lso6=off", "lso4=off", "lso4=on,lso6=on",
	};
	struct gso_offload_tx_conf tc = { .seg_pool = seg_pool,
		.copy_pool = copy_pool, .socket_id = SOCKET_ID_ANY };
	struct gso_offload_tx_stats st0, st1;
	unsigned int lcores[2], nl = 0, base = 0;
	struct worker w[2] = { 0 };
	volatile bool stop = false;
	struct rte_mbuf *rx[64];
	struct test_vpair vp = { .vhost = TEST_NO_PORT, .virtio = TEST_NO_PORT };
	struct contract c = { 0 };
	char args[160];
	uint64_t consumed, paths;
	unsigned int lc;
	int rc = TEST_FAIL;

	RTE_LCORE_FOREACH_WORKER(lc)
		if (nl < 2)
			lcores[nl++] = lc;
	TEST_SKIP_IF(nl < 2, "needs two worker lcores");

	/* A two-queue pair, one TX queue per worker. */
	snprintf(vp.sock, sizeof(vp.sock), "/tmp/gso-test-%d-live.sock", getpid());
	unlink(vp.sock);
	snprintf(args, sizeof(args), "iface=%s,tso=1,queues=2", vp.sock);
	vp.vhost = test_vdev("net_vhost20", args);
	if (vp.vhost == TEST_NO_PORT)
		goto out;
	{
		struct rte_eth_conf conf = { 0 };

		if (rte_eth_dev_configure(vp.vhost, 2, 2, &conf) != 0)
			goto out;
		for (uint16_t q = 0; q < 2; q++)
			if (rte_eth_rx_queue_setup(vp.vhost, q, 1024, SOCKET_ID_ANY,
					NULL, rx_pool) != 0 ||
					rte_eth_tx_queue_setup(vp.vhost, q, 512,
					SOCKET_ID_ANY, NULL) != 0)
				goto out;
		if (rte_eth_dev_start(vp.vhost) != 0)
			goto out;
	}
	snprintf(args, sizeof(args), "net_virtio_user20,path=%s,queues=2", vp.sock);
	if (rte_dev_probe(args) != 0 ||
			rte_eth_dev_get_port_by_name("net_virtio_user20",
				&vp.virtio) != 0 ||
			test_lib_port_up(vp.virtio, rx_pool, 2, 512) != 0 ||
			contract_attach(&c, vp.virtio, 2, true) != 0)
		goto out;
	base = rte_mempool_in_use_count(sf_pool) +
		rte_mempool_in_use_count(seg_pool) +
		rte_mempool_in_use_count(copy_pool);
	gso_offload_tx_stats_get(vp.virtio, &st0);

	for (unsigned int i = 0; i < 2; i++) {
		w[i] = (struct worker){ .tx = gso_offload_tx_create(&tc),
			.port_id = vp.virtio, .queue = (uint16_t)i, .stop = &stop };
		if (w[i].tx == NULL)
			goto out;
		rte_eal_remote_launch(worker_main, &w[i], lcores[i]);
	}

	/* Flip while they transmit; keep draining the vhost side, and hold
	 * each set until both workers sent superframes under it. */
	for (int round = 0; round < 3 && !stop; round++)
		for (size_t f = 0; f < RTE_DIM(flips); f++) {
			const uint64_t deadline = rte_get_timer_cycles() +
				WORKER_STALL_S * rte_get_timer_hz();
			uint64_t since[2];

			if (contract_change(&c, vp.virtio, flips[f]) != 0) {
				printf("#   %s failed\n", flips[f]);
				stop = true;
				break;
			}
			workers_mark(w, 2, since);
			for (int d = 0; d < 200 || !workers_progressed(w, 2,
					since, 8); d++) {
				if (rte_get_timer_cycles() > deadline) {
					printf("#   workers stalled under %s\n",
						flips[f]);
					goto out;
				}
				for (uint16_t q = 0; q < 2; q++) {
					uint16_t got = rte_eth_rx_burst(vp.vhost,
							q, rx, RTE_DIM(rx));

					rte_pktmbuf_free_bulk(rx, got);
				}
			}
		}
	stop = true;
	rte_eal_mp_wait_lcore();
	/* Drain what is still on its way. */
	for (uint16_t q = 0; q < 2; q++) {
		unsigned int got;

		while ((got = test_rx_poll(vp.vhost, q, rx, RTE_DIM(rx), 200)) > 0)
			rte_pktmbuf_free_bulk(rx, got);
	}

	gso_offload_tx_stats_get(vp.virtio, &st1);
	consumed = w[0].consumed + w[1].consumed;
	paths = (st1.hw_pkts - st0.hw_pkts) + (st1.sw_pkts - st0.sw_pkts) +
		(st1.split_pkts - st0.split_pkts) + (st1.pass_pkts - st0.pass_pkts);
	for (int r = 0; r < GSO_OFFLOAD_REJ_MAX; r++)
		paths += st1.rejected[r] - st0.rejected[r];
	printf("#   %" PRIu64 " superframes: %" PRIu64 " hardware, %" PRIu64
		" software, %" PRIu64 " segments dropped, %" PRIu64
		" bursts held, %" PRIu64 " checked\n", consumed,
		st1.hw_pkts - st0.hw_pkts, st1.sw_pkts - st0.sw_pkts,
		st1.tx_dropped - st0.tx_dropped, st1.tx_held - st0.tx_held,
		c.checked);
	if (consumed == 0 || paths != consumed) {
		printf("#   counters do not add up: %" PRIu64 " consumed, %" PRIu64
			" counted\n", consumed, paths);
		goto out;
	}
	if (st1.hw_pkts == st0.hw_pkts || st1.sw_pkts == st0.sw_pkts) {
		printf("#   both paths should have been taken\n");
		goto out;
	}
	if (c.violations != 0) {
		printf("#   %" PRIu64 " violations, first: %s\n", c.violations,
			c.first);
		goto out;
	}
	/* virtio reclaims sent mbufs lazily, on later bursts: stopping the
	 * port releases what its TX rings still hold. */
	gso_offload_port_stop(vp.virtio);
	if (rte_mempool_in_use_count(sf_pool) + rte_mempool_in_use_count(seg_pool) +
			rte_mempool_in_use_count(copy_pool) != base) {
		printf("#   mbufs in use: %u, at start %u\n",
			rte_mempool_in_use_count(sf_pool) +
			rte_mempool_in_use_count(seg_pool) +
			rte_mempool_in_use_count(copy_pool), base);
		goto out;
	}
	rc = TEST_OK;
out:
	stop = true;
	rte_eal_mp_wait_lcore();
	for (unsigned int i = 0; i < 2; i++)
		gso_offload_tx_free(w[i].tx);
	contract_detach(&c);
	if (vp.virtio != TEST_NO_PORT)
		test_lib_port_down(vp.virtio);
	test_vpair_destroy(&vp);
	return rc;
}

/* ---- Hitless and restarting changes ---- */

/* What the providers' callback (EVT_NET_ADAPTER_OFFLOAD_SET_GSO) saw. */
static struct {
	unsigned int calls;
	uint32_t keywords[256];   /* the active keywords of each call */
	unsigned int taken;       /* plain packets the pipeline took in it */
	unsigned int held;        /* calls that found the port held */
	unsigned int held_said;   /* ... and gso_offload_tx_port_held() said so */
	uint64_t tx_offloads[256]; /* the port's configured TX offloads */
} cb_seen;
/* Whether the callback sends its frame: not while a worker owns queue 0. */
static bool cb_send = true;

/* During the callback, send one plain frame through the main pipeline:
 * a held port returns it. */
static int
seen_set_gso(uint16_t port_id, const struct gso_offload_active *a, void *arg)
{
	const struct gso_port_fp *fp =
		__atomic_load_n(&gso_port_fp[port_id], __ATOMIC_ACQUIRE);
	struct rte_mbuf *m = rte_pktmbuf_alloc(rx_pool);
	struct rte_eth_conf conf;
	unsigned int i = cb_seen.calls++;

	RTE_SET_USED(arg);
	if (i < RTE_DIM(cb_seen.keywords)) {
		cb_seen.keywords[i] = gso_offload_active_keywords(a);
		cb_seen.tx_offloads[i] = rte_eth_dev_conf_get(port_id, &conf) == 0 ?
			conf.txmode.offloads : UINT64_MAX;
	}
	if (fp == NULL || fp->paused)
		cb_seen.held++;
	if (gso_offload_tx_port_held(port_id))
		cb_seen.held_said++;
	if (!cb_send) {
		rte_pktmbuf_free(m);
		return 0;
	}
	if (m == NULL || rte_pktmbuf_append(m, 60) == NULL)
		return -ENOMEM;
	memset(rte_pktmbuf_mtod(m, void *), 0, 60);
	if (gso_offload_tx_burst(tx_main, port_id, 0, &m, 1) == 1)
		cb_seen.taken++;
	else
		rte_pktmbuf_free(m);
	return 0;
}

/* A restarting port's TX offloads follow the set: MULTI_SEGS (which
 * net_ring has) stands in for TSO, so that each change really reconfigures
 * the port. */
static uint64_t
restart_tx_offloads(uint16_t port_id, const struct gso_offload_active *a,
		const struct gso_offload_port_limits *lim, uint64_t app)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(lim);
	return app | (gso_offload_active_keywords(a) != 0 ?
		RTE_ETH_TX_OFFLOAD_MULTI_SEGS : 0);
}

static const struct gso_offload_provider hitless_provider = {
	.name = "test-hitless", .describe = test_describe,
	.tx_offloads = restart_tx_offloads, .set_gso = seen_set_gso,
};

static const struct gso_offload_provider restart_provider = {
	.name = "test-restart", .describe = test_describe,
	.tx_offloads = restart_tx_offloads, .set_gso = seen_set_gso,
	.restart_on_change = true,
};

/*
 * Flip the wanted keywords n times (some specs change nothing) and check
 * that the provider's callback fired exactly once per change of the active
 * set, with that set. Returns the number of changes, or -1.
 */
static int
flip_and_count(struct contract *c, uint16_t port_id, unsigned int n)
{
	static const char *const specs[] = {
		"lso4=off", "lso4=off", "uso6=off", "lso4=on,uso6=on",
		"lso4=off,lso6=off,uso4=off,uso6=off", "lso6=on",
		"lso4=on,lso6=on,uso4=on,uso6=on", "uso4=on",
	};
	unsigned int changes = 0;

	memset(&cb_seen, 0, sizeof(cb_seen));
	for (unsigned int i = 0; i < n; i++) {
		uint32_t before, after;

		gso_offload_active_keywords_get(port_id, &before);
		if (contract_change(c, port_id, specs[i % RTE_DIM(specs)]) != 0)
			return -1;
		gso_offload_active_keywords_get(port_id, &after);
		if (after != before) {
			changes++;
			if (changes <= RTE_DIM(cb_seen.keywords) &&
					cb_seen.keywords[changes - 1] != after) {
				printf("#   change %u: callback saw %#x, active %#x\n",
					changes, cb_seen.keywords[changes - 1],
					after);
				return -1;
			}
		}
		if (cb_seen.calls != changes) {
			printf("#   after %s: %u callbacks for %u changes\n",
				specs[i % RTE_DIM(specs)], cb_seen.calls, changes);
			return -1;
		}
	}
	return (int)changes;
}

/* Flips while one worker transmits superframes: the pipeline never held
 * the port, every packet the PMD got obeyed the set of its burst. */
static int
flips_under_load(uint16_t port_id, struct test_ring_port *rp,
		unsigned int lcore, uint64_t *held)
{
	struct gso_offload_tx_conf tc = { .seg_pool = seg_pool,
		.copy_pool = copy_pool, .socket_id = SOCKET_ID_ANY };
	struct gso_offload_tx_stats st0, st1;
	volatile bool stop = false;
	struct worker w = { .tx = gso_offload_tx_create(&tc),
		.port_id = port_id, .queue = 0, .stop = &stop };
	struct contract c;
	void *got[256];
	bool stalled = false;
	int changes;

	TEST_ASSERT(w.tx != NULL, "pipeline");
	TEST_ASSERT(contract_attach(&c, port_id, 1, false) == 0, "contract");
	gso_offload_tx_stats_get(port_id, &st0);
	cb_send = false;
	rte_eal_remote_launch(worker_main, &w, lcore);
	changes = 0;
	for (int i = 0; i < 200 && changes >= 0; i++) {
		const uint64_t deadline = rte_get_timer_cycles() +
			WORKER_STALL_S * rte_get_timer_hz();
		int r = flip_and_count(&c, port_id, 1 + (i & 7));
		uint64_t since;

		changes = r < 0 ? -1 : changes + r;
		/* Each set carries traffic before the next flip. */
		workers_mark(&w, 1, &since);
		do {
			for (unsigned int k; (k = rte_ring_dequeue_burst(rp->ring,
					got, RTE_DIM(got), NULL)) > 0; )
				rte_pktmbuf_free_bulk((struct rte_mbuf **)got,
					k);
			if (rte_get_timer_cycles() > deadline) {
				stalled = true;
				break;
			}
		} while (!workers_progressed(&w, 1, &since, 2));
		if (stalled)
			break;
	}
	stop = true;
	rte_eal_mp_wait_lcore();
	cb_send = true;
	gso_offload_tx_free(w.tx);
	contract_detach(&c);
	for (unsigned int k; (k = rte_ring_dequeue_burst(rp->ring, got,
			RTE_DIM(got), NULL)) > 0; )
		rte_pktmbuf_free_bulk((struct rte_mbuf **)got, k);
	gso_offload_tx_stats_get(port_id, &st1);
	printf("#   under load: %d changes, %" PRIu64 " superframes, %" PRIu64
		" to hardware, %" PRIu64 " in software, %" PRIu64
		" bursts held, %" PRIu64 " packets checked\n", changes,
		w.consumed, st1.hw_pkts - st0.hw_pkts, st1.sw_pkts - st0.sw_pkts,
		st1.tx_held - st0.tx_held, c.checked);
	TEST_ASSERT(!stalled, "the worker sent nothing for %d s", WORKER_STALL_S);
	TEST_ASSERT(changes > 0, "flips failed");
	TEST_ASSERT(w.consumed > 0 && st1.hw_pkts > st0.hw_pkts &&
		st1.sw_pkts > st0.sw_pkts, "both paths taken while flipping");
	CONTRACT_OK(&c);
	*held = st1.tx_held_pkts - st0.tx_held_pkts;
	return TEST_OK;
}

/* A ring port with every variant, under a provider that restarts on
 * change or not; the library must say which. */
static int
ring_port_for_changes(struct test_ring_port *rp, const char *name,
		const struct gso_offload_provider *prov)
{
	gso_offload_caps_init(&test_caps, GSO_OFFLOAD_L3_ALL, GSO_OFFLOAD_L4_ALL,
			65535, 2, NULL, NULL);
	TEST_ASSERT(test_ring_port_create(rp, name, prov, rx_pool) == 0,
		"ring port");
	TEST_ASSERT_EQ(gso_offload_port_restarts(rp->port_id),
		prov->restart_on_change ? 1 : 0, "restart policy");
	return TEST_OK;
}

static int
hitless_change_never_pauses(void)
{
	struct gso_offload_tx_stats st0, st1;
	struct test_ring_port rp;
	uint64_t off0 = 0, off1 = 0, held = 0;
	unsigned int lcores[1], nl = 0, lc, n;
	void *got[64];
	int changes;

	TEST_RUN(ring_port_for_changes(&rp, "ring_hl", &hitless_provider));
	TEST_ASSERT_EQ(gso_offload_port_tx_offloads_get(rp.port_id, &off0), 0,
		"TX offloads");
	/* Configured for the whole hardware set, whatever is wanted. */
	TEST_ASSERT(off0 & RTE_ETH_TX_OFFLOAD_MULTI_SEGS, "all offloads set");
	gso_offload_tx_stats_get(rp.port_id, &st0);

	changes = flip_and_count(NULL, rp.port_id, 64);
	TEST_ASSERT(changes > 16, "callback once per change, with the set");
	TEST_ASSERT_EQ(cb_seen.held, 0, "the port was never held");
	TEST_ASSERT_EQ(cb_seen.held_said, 0, "nor said to be");
	TEST_ASSERT_EQ(cb_seen.taken, cb_seen.calls,
		"the pipeline took every frame sent during a callback");
	for (unsigned int i = 0; i < cb_seen.calls && i < RTE_DIM(cb_seen.keywords); i++)
		TEST_ASSERT_EQ(cb_seen.tx_offloads[i], off0,
			"change %u left the port's TX offloads alone", i);
	gso_offload_tx_stats_get(rp.port_id, &st1);
	TEST_ASSERT_EQ(st1.tx_held - st0.tx_held, 0, "no burst held");
	TEST_ASSERT_EQ(st1.tx_held_pkts - st0.tx_held_pkts, 0,
		"no packet returned for a hold");
	TEST_ASSERT_EQ(gso_offload_port_tx_offloads_get(rp.port_id, &off1), 0,
		"TX offloads");
	TEST_ASSERT_EQ(off1, off0, "TX offloads unchanged");
	n = rte_ring_dequeue_burst(rp.ring, got, RTE_DIM(got), NULL);
	rte_pktmbuf_free_bulk((struct rte_mbuf **)got, n);
	TEST_ASSERT_EQ(n, cb_seen.calls, "every frame reached the port");

	RTE_LCORE_FOREACH_WORKER(lc)
		if (nl < 1)
			lcores[nl++] = lc;
	if (nl == 1) {
		TEST_RUN(flips_under_load(rp.port_id, &rp, lcores[0], &held));
		TEST_ASSERT_EQ(held, 0, "no packet returned for a hold under load");
	}
	test_ring_port_destroy(&rp);
	return TEST_OK;
}

static int
restart_change_holds(void)
{
	struct gso_offload_tx_stats st0, st1;
	struct rte_mbuf *m;
	struct test_ring_port rp;
	void *got[64];
	unsigned int n;
	uint64_t off;
	int changes;

	TEST_RUN(ring_port_for_changes(&rp, "ring_rs", &restart_provider));
	gso_offload_tx_stats_get(rp.port_id, &st0);

	changes = flip_and_count(NULL, rp.port_id, 32);
	TEST_ASSERT(changes > 8, "callback once per change, with the set");
	TEST_ASSERT_EQ(cb_seen.held, cb_seen.calls, "held around every change");
	TEST_ASSERT_EQ(cb_seen.held_said, cb_seen.calls,
		"gso_offload_tx_port_held() says so (an RX lcore's guard)");
	TEST_ASSERT(!gso_offload_tx_port_held(rp.port_id), "not held after");
	TEST_ASSERT_EQ(cb_seen.taken, 0, "every frame returned while held");
	/* The port was really reconfigured for each set. */
	for (unsigned int i = 0; i < cb_seen.calls && i < RTE_DIM(cb_seen.keywords); i++)
		TEST_ASSERT_EQ(cb_seen.tx_offloads[i] & RTE_ETH_TX_OFFLOAD_MULTI_SEGS,
			cb_seen.keywords[i] != 0 ? RTE_ETH_TX_OFFLOAD_MULTI_SEGS : 0,
			"change %u: TX offloads follow the set", i);
	gso_offload_tx_stats_get(rp.port_id, &st1);
	TEST_ASSERT_EQ(st1.tx_held - st0.tx_held, cb_seen.calls,
		"one held burst counted per change");
	TEST_ASSERT_EQ(st1.tx_held_pkts - st0.tx_held_pkts, cb_seen.calls,
		"its packet counted");
	TEST_ASSERT_EQ(rte_ring_count(rp.ring), 0, "nothing sent while held");
	TEST_ASSERT(gso_offload_port_is_started(rp.port_id), "started again");
	TEST_ASSERT_EQ(gso_offload_port_tx_offloads_get(rp.port_id, &off), 0,
		"TX offloads");

	/* Once the change is over the port takes packets again. */
	m = rte_pktmbuf_alloc(rx_pool);
	TEST_ASSERT(m != NULL && rte_pktmbuf_append(m, 60) != NULL, "alloc");
	memset(rte_pktmbuf_mtod(m, void *), 0, 60);
	TEST_ASSERT_EQ(send_sf(rp.port_id, 0, m), 0, "sent after the change");
	n = rte_ring_dequeue_burst(rp.ring, got, RTE_DIM(got), NULL);
	rte_pktmbuf_free_bulk((struct rte_mbuf **)got, n);
	TEST_ASSERT_EQ(n, 1, "the port got it");
	test_ring_port_destroy(&rp);
	return TEST_OK;
}

/* A driver's own registration (gso_offload_set_caps() with its callback):
 * the library cannot know whether the callback restarts the port, so the
 * pipelines stay held around it — hitless is for the library's own. */
static int
driver_callback_still_held(void)
{
	struct rte_eth_conf conf = { 0 };
	struct gso_offload_caps caps;
	struct test_ring_port rp;
	void *got[64];
	int changes;

	rp.ring = rte_ring_create("ring_drv_r", 256, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	TEST_ASSERT(rp.ring != NULL, "ring");
	rp.port_id = (uint16_t)rte_eth_from_rings("ring_drv", &rp.ring, 1,
			&rp.ring, 1, SOCKET_ID_ANY);
	TEST_ASSERT(rp.port_id < RTE_MAX_ETHPORTS, "ring port");
	TEST_ASSERT(rte_eth_dev_configure(rp.port_id, 1, 1, &conf) == 0 &&
		rte_eth_rx_queue_setup(rp.port_id, 0, 64, SOCKET_ID_ANY, NULL,
			rx_pool) == 0 &&
		rte_eth_tx_queue_setup(rp.port_id, 0, 64, SOCKET_ID_ANY,
			NULL) == 0, "port setup");
	gso_offload_caps_init(&caps, GSO_OFFLOAD_L3_ALL, GSO_OFFLOAD_L4_ALL,
			65535, 2, seen_set_gso, NULL);
	TEST_ASSERT_EQ(gso_offload_set_caps(rp.port_id, &caps), 0, "register");
	TEST_ASSERT_EQ(rte_eth_dev_start(rp.port_id), 0, "start");
	TEST_ASSERT_EQ(gso_offload_port_restarts(rp.port_id), -ENODEV,
		"not the library's port");

	changes = flip_and_count(NULL, rp.port_id, 16);
	TEST_ASSERT(changes > 4, "the driver's callback once per change");
	TEST_ASSERT_EQ(cb_seen.held, cb_seen.calls, "held around each");
	TEST_ASSERT_EQ(cb_seen.taken, 0, "every frame returned meanwhile");
	TEST_ASSERT_EQ(rte_ring_count(rp.ring), 0, "nothing sent while held");
	rte_pktmbuf_free_bulk((struct rte_mbuf **)got,
		rte_ring_dequeue_burst(rp.ring, got, RTE_DIM(got), NULL));
	rte_eth_dev_stop(rp.port_id);
	gso_offload_port_release(rp.port_id);
	rte_eth_dev_close(rp.port_id);
	rte_ring_free(rp.ring);
	return TEST_OK;
}


/* ---- The hardware path of tunnels ---- */

/* Every encapsulation with everything inside it; the outer checksums. */
static void
encap_all(uint32_t outer_udp)
{
	gso_offload_encap_caps_init(&test_encap);
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++) {
		test_encap.encap[e] = (struct gso_offload_encap){
			.l3_flags = GSO_OFFLOAD_L3_ALL,
			.l4_flags = GSO_OFFLOAD_L4_ALL,
			.flags = GSO_OFFLOAD_ENCAP_F_OUTER_IPV4_CKSUM |
				(e <= GSO_OFFLOAD_ENCAP_GENEVE ? outer_udp : 0),
		};
	}
}

static struct test_tun_spec
tun_spec(enum test_tun tun, int outer, int inner, int l4, uint32_t payload,
		uint16_t mss)
{
	return (struct test_tun_spec){
		.in = { .l2 = TEST_L2_ETH, .l3 = inner, .l4 = l4,
			.payload_len = payload, .mss = mss, .seq = 77,
			.ip_id = 9, .seed = payload + (uint32_t)tun },
		.tun = tun, .outer_l2 = TEST_L2_ETH, .outer_l3 = outer,
		.outer_ip_id = 300, .udp_sport = 49152, .gre_key = true,
		.gre_teb = tun == TEST_TUN_GRE && inner == 6,
	};
}

/* Whether the segmentation engine cuts tunnels yet (tun-engine's
 * segmenter): a software segmentation of a VXLAN superframe. */
static bool
engine_segments_tunnels(void)
{
	struct test_tun_spec t = tun_spec(TEST_TUN_VXLAN, 4, 4, IPPROTO_TCP,
			3000, 1000);
	const struct gso_offload_seg_params prm = {
		.mss = 1000, .proto = GSO_OFFLOAD_SEG_TCP,
	};
	struct gso_offload_seg_conf sc = { .hdr_pool = seg_pool,
		.ref_pool = seg_pool, .copy_pool = copy_pool };
	struct gso_offload_seg_ctx *ctx = gso_offload_seg_create(&sc,
			SOCKET_ID_ANY);
	struct rte_mbuf *m = test_tun_build(sf_pool, &t), *out[8];
	int n = -1;

	if (ctx != NULL && m != NULL)
		n = gso_offload_segment(ctx, m, &prm, out, 8);
	if (n > 0)
		rte_pktmbuf_free_bulk(out, (unsigned int)n);
	else
		rte_pktmbuf_free(m);
	gso_offload_seg_free(ctx);
	return n == 3;
}

/*
 * A test provider declaring tunnel TSO for every encapsulation: each
 * superframe (4 encapsulations x outer IPv4/IPv6 x inner IPv4/IPv6 x
 * TCP/UDP, outer UDP checksums zero and not) reaches the port whole, with
 * the tunnel metadata; the contract checker verifies every one.
 */
static int
tunnel_tso_in_hardware(void)
{
	struct gso_offload_tx_stats st0, st1;
	struct contract c;
	struct test_ring_port rp;
	unsigned int sent = 0;

	gso_offload_caps_init(&test_caps, GSO_OFFLOAD_L3_ALL, GSO_OFFLOAD_L4_ALL,
			65535, 2, NULL, NULL);
	encap_all(GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM);
	TEST_ASSERT(test_ring_port_create(&rp, "ring_tun", &test_provider,
		rx_pool) == 0, "ring port");
	TEST_ASSERT(contract_attach(&c, rp.port_id, 1, false) == 0, "contract");
	gso_offload_tx_stats_get(rp.port_id, &st0);
	for (int tun = TEST_TUN_VXLAN; tun < TEST_TUN_END; tun++)
		for (int i = 0; i < 8; i++) {
			struct test_tun_spec t = tun_spec(tun, i & 1 ? 6 : 4,
				i & 2 ? 6 : 4, i & 4 ? IPPROTO_UDP : IPPROTO_TCP,
				20000, 1000);
			struct rte_mbuf *got[4];
			unsigned int n;
			uint64_t kind;

			t.outer_udp_cksum = (i & 1) != 0 || tun == TEST_TUN_GENEVE;
			kind = tun == TEST_TUN_VXLAN ? RTE_MBUF_F_TX_TUNNEL_VXLAN :
				tun == TEST_TUN_GENEVE ? RTE_MBUF_F_TX_TUNNEL_GENEVE :
				tun == TEST_TUN_GRE ? RTE_MBUF_F_TX_TUNNEL_GRE :
				RTE_MBUF_F_TX_TUNNEL_IPIP;
			TEST_ASSERT(send_sf(rp.port_id, 0,
				test_tun_build(sf_pool, &t)) == 0, "send");
			sent++;
			n = rte_ring_dequeue_burst(rp.ring, (void **)got, 4, NULL);
			TEST_ASSERT_EQ(n, 1, "tunnel %d case %d whole", tun, i);
			TEST_ASSERT((got[0]->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK) ==
				kind && got[0]->tso_segsz == 1000 &&
				(got[0]->ol_flags & (i & 4 ? RTE_MBUF_F_TX_UDP_SEG :
					RTE_MBUF_F_TX_TCP_SEG)) &&
				(uint32_t)got[0]->outer_l2_len +
				got[0]->outer_l3_len == test_tun_outer_len(&t) &&
				got[0]->l2_len == test_tun_l2_len(&t),
				"tunnel %d case %d: flags %#" PRIx64 " lengths "
				"%u/%u/%u", tun, i, got[0]->ol_flags,
				got[0]->outer_l2_len, got[0]->outer_l3_len,
				got[0]->l2_len);
			rte_pktmbuf_free(got[0]);
		}
	gso_offload_tx_stats_get(rp.port_id, &st1);
	TEST_ASSERT_EQ(st1.hw_pkts - st0.hw_pkts, sent, "all to hardware");
	TEST_ASSERT_EQ(c.tun_pkts, sent, "the checker saw every tunnel");
	CONTRACT_OK(&c);
	contract_detach(&c);
	test_ring_port_destroy(&rp);
	return TEST_OK;
}

/*
 * What the port does not offload goes to software, counted by reason:
 * the outer UDP checksum (not declared here), the GRE checksum, an
 * encapsulation the administrator turned off, VXLAN on another port than
 * the administrator's *VxlanUDPPortNumber; and back to hardware when it
 * is set. Split for hardware: chunks of a tunnel within the maximum
 * offload size, each with its metadata.
 */
static int
tunnel_software_reasons_and_split(void)
{
	struct gso_offload_tx_stats st0, st1;
	struct contract c;
	struct test_ring_port rp;
	struct test_tun_spec t;
	struct rte_mbuf *got[64];
	unsigned int n;
	const bool sw = engine_segments_tunnels();

	gso_offload_caps_init(&test_caps, GSO_OFFLOAD_L3_ALL, GSO_OFFLOAD_L4_ALL,
			8000, 2, NULL, NULL);
	encap_all(0);
	TEST_ASSERT(test_ring_port_create(&rp, "ring_tsw", &test_provider,
		rx_pool) == 0, "ring port");
	TEST_ASSERT(contract_attach(&c, rp.port_id, 1, false) == 0, "contract");

	/* Split: 20000 bytes, at most 8000 per offload: 8000 + 8000 + 4000. */
	if (sw) {
		gso_offload_tx_stats_get(rp.port_id, &st0);
		t = tun_spec(TEST_TUN_VXLAN, 4, 6, IPPROTO_TCP, 20000, 1000);
		TEST_ASSERT(send_sf(rp.port_id, 0, test_tun_build(sf_pool, &t)) == 0,
			"send");
		n = rte_ring_dequeue_burst(rp.ring, (void **)got, 64, NULL);
		gso_offload_tx_stats_get(rp.port_id, &st1);
		TEST_ASSERT(n == 3 && st1.split_chunks - st0.split_chunks == 3,
			"three chunks, got %u", n);
		for (unsigned int i = 0; i < n; i++) {
			const uint8_t *oip = rte_pktmbuf_mtod_offset(got[i],
					const uint8_t *, 14);

			/* Outer IDs stay unique across chunks: each chunk's
			 * first is the superframe's + 8 per earlier chunk
			 * (the device increments from there). */
			TEST_ASSERT((got[i]->ol_flags & RTE_MBUF_F_TX_TUNNEL_VXLAN) &&
				got[i]->l2_len == test_tun_l2_len(&t) &&
				(oip[4] << 8 | oip[5]) == 300 + 8 * (int)i,
				"chunk %u metadata, outer ID %u", i,
				oip[4] << 8 | oip[5]);
			rte_pktmbuf_free(got[i]);
		}
	}

	/* Reasons: each superframe goes to software and its counter moves. */
	struct {
		enum test_tun tun;
		bool udp_cksum, gre_cksum;
		const char *spec;
		enum gso_offload_sw_reason why;
	} cases[] = {
		{ TEST_TUN_VXLAN, true, false, "", GSO_OFFLOAD_SW_OUTER_CKSUM },
		{ TEST_TUN_GRE, false, true, "", GSO_OFFLOAD_SW_OUTER_CKSUM },
		{ TEST_TUN_GENEVE, false, false, "encap_geneve=off",
			GSO_OFFLOAD_SW_TUN_NOT_ACTIVE },
		{ TEST_TUN_IPIP, false, false, "encap=off",
			GSO_OFFLOAD_SW_TUN_NOT_ACTIVE },
		{ TEST_TUN_VXLAN, false, false, "encap=on,vxlan_port=8472",
			GSO_OFFLOAD_SW_VXLAN_PORT },
	};
	for (unsigned int k = 0; k < RTE_DIM(cases); k++) {
		TEST_ASSERT_EQ(contract_change(&c, rp.port_id, cases[k].spec), 0,
			"settings '%s'", cases[k].spec);
		t = tun_spec(cases[k].tun, 4, 4, IPPROTO_TCP, 6000, 1000);
		t.outer_udp_cksum = cases[k].udp_cksum;
		t.gre_cksum = cases[k].gre_cksum;
		gso_offload_tx_stats_get(rp.port_id, &st0);
		{
			struct rte_mbuf *m = test_tun_build(sf_pool, &t);
			uint32_t olen = 0;
			uint8_t *orig = m != NULL ? test_mbuf_bytes(m, &olen) : NULL;
			const uint16_t in_port = m != NULL ? m->port : 0;
			const uint32_t in_rss = m != NULL ? m->hash.rss : 0;

			TEST_ASSERT(send_sf(rp.port_id, 0, m) == 0, "send");
			gso_offload_tx_stats_get(rp.port_id, &st1);
			n = rte_ring_dequeue_burst(rp.ring, (void **)got, 64, NULL);
			/* Software segments by the tunnel rules: net_ring has
			 * no checksum offload, every checksum is the
			 * engine's. */
			if (sw && orig != NULL) {
				const struct test_tun_check chk = {
					.spec = &t, .orig = orig,
					.orig_len = olen, .dyn_offset = -1,
					.port = in_port, .rss = in_rss,
				};

				if (!test_tun_seg_verify(&chk, got, n)) {
					free(orig);
					rte_pktmbuf_free_bulk(got, n);
					TEST_ASSERT(false, "case %u: segments", k);
				}
			}
			free(orig);
		}
		rte_pktmbuf_free_bulk(got, n);
		TEST_ASSERT(st1.sw_reason[cases[k].why] - st0.sw_reason[cases[k].why]
			== 1 && st1.hw_pkts == st0.hw_pkts,
			"case %u: to software for %s", k,
			gso_offload_sw_reason_name(cases[k].why));
		if (sw)
			TEST_ASSERT_EQ(n, 6, "case %u: six segments", k);
	}
	/* The administrator's VXLAN port made 8472 VXLAN's: hardware. */
	t = tun_spec(TEST_TUN_VXLAN, 4, 4, IPPROTO_TCP, 6000, 1000);
	gso_offload_tx_stats_get(rp.port_id, &st0);
	{
		struct rte_mbuf *m = test_tun_build(sf_pool, &t);
		uint8_t *udp = rte_pktmbuf_mtod_offset(m, uint8_t *,
				test_tun_outer_len(&t));

		udp[2] = 8472 >> 8;
		udp[3] = 8472 & 0xff;
		TEST_ASSERT(send_sf(rp.port_id, 0, m) == 0, "send");
	}
	gso_offload_tx_stats_get(rp.port_id, &st1);
	n = rte_ring_dequeue_burst(rp.ring, (void **)got, 64, NULL);
	rte_pktmbuf_free_bulk(got, n);
	TEST_ASSERT(n == 1 && st1.hw_pkts - st0.hw_pkts == 1,
		"VXLAN on the administrator's port to hardware: %u", n);
	TEST_ASSERT_EQ(contract_change(&c, rp.port_id,
		"vxlan_port=hw,encap_geneve=on"), 0, "back");
	CONTRACT_OK(&c);
	contract_detach(&c);
	test_ring_port_destroy(&rp);
	if (!sw)
		printf("# the engine does not segment tunnels yet: split and "
			"segment counts not checked\n");
	return TEST_OK;
}

/* A VXLAN superframe (outer IPv4, a non-zero outer UDP checksum) as the
 * pipeline hands it to the port, taken back from the ring. */
static struct rte_mbuf *
tunnel_from_port(struct test_ring_port *rp)
{
	struct test_tun_spec t = tun_spec(TEST_TUN_VXLAN, 4, 4, IPPROTO_TCP,
			8000, 1000);
	struct rte_mbuf *got[4];
	unsigned int n;

	t.outer_udp_cksum = true;
	if (send_sf(rp->port_id, 0, test_tun_build(sf_pool, &t)) != 0)
		return NULL;
	n = rte_ring_dequeue_burst(rp->ring, (void **)got, 4, NULL);
	if (n != 1) {
		rte_pktmbuf_free_bulk(got, n);
		return NULL;
	}
	return got[0];
}

/*
 * The checker can fail: a tunnel packet handed straight to the port with
 * one thing wrong in its metadata is a violation, each kind of wrong.
 */
static int
contract_catches_bad_tunnel_metadata(void)
{
	static const char *const what[] = {
		"l2_len", "outer_l3_len", "outer IPv6 flag", "outer IPv4 checksum",
		"outer UDP pseudo-header", "tunnel kind", "OUTER_UDP_CKSUM dropped",
		"encapsulation off",
	};
	struct contract c;
	struct test_ring_port rp;

	gso_offload_caps_init(&test_caps, GSO_OFFLOAD_L3_ALL, GSO_OFFLOAD_L4_ALL,
			65535, 2, NULL, NULL);
	encap_all(GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM);
	TEST_ASSERT(test_ring_port_create(&rp, "ring_tbad", &test_provider,
		rx_pool) == 0, "ring port");
	TEST_ASSERT(contract_attach(&c, rp.port_id, 1, false) == 0, "contract");
	for (unsigned int k = 0; k < RTE_DIM(what); k++) {
		struct rte_mbuf *m = tunnel_from_port(&rp);
		uint8_t *p;
		uint64_t before;
		void *back;

		TEST_ASSERT(m != NULL, "a good tunnel packet");
		before = c.violations;
		p = rte_pktmbuf_mtod(m, uint8_t *);
		switch (k) {
		case 0: m->l2_len--; break;
		case 1: m->outer_l3_len += 4; break;
		case 2:
			m->ol_flags = (m->ol_flags & ~RTE_MBUF_F_TX_OUTER_IPV4) |
				RTE_MBUF_F_TX_OUTER_IPV6;
			break;
		case 3: p[14 + 10] ^= 0x55; break;   /* written, not offloaded */
		case 4: p[14 + 20 + 7] ^= 1; break;
		case 5:
			m->ol_flags = (m->ol_flags & ~RTE_MBUF_F_TX_TUNNEL_MASK) |
				RTE_MBUF_F_TX_TUNNEL_GENEVE;
			break;
		case 6: m->ol_flags &= ~RTE_MBUF_F_TX_OUTER_UDP_CKSUM; break;
		default:
			TEST_ASSERT_EQ(contract_change(NULL, rp.port_id,
				"encap_vxlan=off"), 0, "VXLAN off");
			break;
		}
		TEST_ASSERT_EQ(rte_eth_tx_burst(rp.port_id, 0, &m, 1), 1,
			"straight to the port");
		TEST_ASSERT(rte_ring_dequeue(rp.ring, &back) == 0, "back");
		rte_pktmbuf_free(back);
		TEST_ASSERT(c.violations == before + 1,
			"%s: %" PRIu64 " violations (first: %s)", what[k],
			c.violations - before, c.first);
	}
	TEST_ASSERT_EQ(contract_change(NULL, rp.port_id, "encap_vxlan=on"), 0,
		"VXLAN on");
	contract_detach(&c);
	test_ring_port_destroy(&rp);
	return TEST_OK;
}

/* ---- A per-descriptor mbuf limit (vmxnet3) ---- */

/* The test provider with a limit of a real NIC's: the one a test sets
 * here (0: the test provider's own) before it creates its port. */
static struct {
	uint16_t max_seg_data_len;
	uint16_t nb_mtu_seg_max;
} test_limit;

static int
test_describe_limited(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_caps *caps, struct gso_offload_port_limits *lim)
{
	int ret = test_describe(port_id, info, caps, lim);

	if (test_limit.max_seg_data_len != 0)
		lim->max_seg_data_len = test_limit.max_seg_data_len;
	if (test_limit.nb_mtu_seg_max != 0)
		lim->nb_mtu_seg_max = test_limit.nb_mtu_seg_max;
	return ret;
}

static const struct gso_offload_provider limited_provider = {
	.name = "test_limited", .describe = test_describe_limited,
	.describe_encap = test_describe_encap,
};

/* A ring port of the limited provider, every pair active, the contract
 * checker attached; limited_port_down() takes it down and the limits
 * back. */
static int
limited_port_up(struct test_ring_port *rp, const char *name,
		uint16_t max_seg_data_len, uint16_t nb_mtu_seg_max,
		struct contract *c)
{
	gso_offload_caps_init(&test_caps, GSO_OFFLOAD_L3_ALL, GSO_OFFLOAD_L4_ALL,
			65535, 2, NULL, NULL);
	test_limit.max_seg_data_len = max_seg_data_len;
	test_limit.nb_mtu_seg_max = nb_mtu_seg_max;
	if (test_ring_port_create(rp, name, &limited_provider, rx_pool) != 0)
		return -1;
	return contract_attach(c, rp->port_id, 1, false);
}

static void
limited_port_down(struct test_ring_port *rp, struct contract *c)
{
	contract_detach(c);
	test_ring_port_destroy(rp);
	memset(&test_limit, 0, sizeof(test_limit));
}

/* The bytes of a frame in a chain of mbufs of at most seg bytes each,
 * with m's GSO request; NULL if the pool runs out. */
static struct rte_mbuf *
chain_copy(struct rte_mempool *mp, const struct rte_mbuf *m,
		const uint8_t *bytes, uint32_t len, uint16_t seg)
{
	struct rte_mbuf *head = NULL;

	for (uint32_t off = 0; off < len; off += seg) {
		struct rte_mbuf *x = rte_pktmbuf_alloc(mp);
		uint16_t n = (uint16_t)RTE_MIN((uint32_t)seg, len - off);

		if (x == NULL || rte_pktmbuf_tailroom(x) < n) {
			rte_pktmbuf_free(x);
			rte_pktmbuf_free(head);
			return NULL;
		}
		memcpy(rte_pktmbuf_append(x, n), bytes + off, n);
		if (head == NULL)
			head = x;
		else if (rte_pktmbuf_chain(head, x) != 0) {
			rte_pktmbuf_free(x);
			rte_pktmbuf_free(head);
			return NULL;
		}
	}
	if (head != NULL) {
		head->ol_flags = m->ol_flags;
		head->tso_segsz = m->tso_segsz;
	}
	return head;
}

/*
 * REFERENCE.md 6: 20 KB single-mbuf TSO superframes counted as sent to
 * hardware vanished on net_vmxnet3. On a port with its per-descriptor
 * limit the single-mbuf one goes to software (seg-data-limit) and its
 * segments obey every rule; the same bytes in 2 KB mbufs go to
 * hardware; a plain packet over the limit is rejected, counted; and the
 * contract checker flags an mbuf over the limit reaching the PMD.
 */
static int
seg_data_limit_to_software(void)
{
	struct gso_offload_tx_stats st0, st1;
	struct test_sf_spec s = tcp_spec(4, 20000, 1448);
	struct rte_mbuf *sf, *m, *got[64];
	struct contract c;
	struct test_ring_port rp;
	uint8_t *orig;
	uint32_t olen = 0;
	unsigned int n;
	uint64_t before;

	/* vmxnet3's 2^14 - 1 bytes per TX descriptor. */
	TEST_ASSERT(limited_port_up(&rp, "ring_sdl", 16383, 0, &c) == 0,
		"ring port");

	/* One mbuf of 20054 bytes: software, 14 segments. */
	sf = test_sf_build(sf_pool, &s);
	TEST_ASSERT(sf != NULL && sf->nb_segs == 1, "single-mbuf superframe");
	orig = test_mbuf_bytes(sf, &olen);
	{
		const struct test_seg_check chk = {
			.spec = &s, .orig = orig, .orig_len = olen,
			.dyn_offset = -1, .port = sf->port, .rss = sf->hash.rss,
		};

		gso_offload_tx_stats_get(rp.port_id, &st0);
		TEST_ASSERT(send_sf(rp.port_id, 0, sf) == 0, "send");
		gso_offload_tx_stats_get(rp.port_id, &st1);
		n = rte_ring_dequeue_burst(rp.ring, (void **)got, 64, NULL);
		if (!test_seg_verify(&chk, got, n)) {
			rte_pktmbuf_free_bulk(got, n);
			free(orig);
			TEST_ASSERT(false, "software segments");
		}
	}
	rte_pktmbuf_free_bulk(got, n);
	TEST_ASSERT_EQ(n, 14, "14 segments of 1448 bytes");
	TEST_ASSERT(st1.sw_reason[GSO_OFFLOAD_SW_SEG_DATA] -
		st0.sw_reason[GSO_OFFLOAD_SW_SEG_DATA] == 1 &&
		st1.sw_pkts - st0.sw_pkts == 1 && st1.hw_pkts == st0.hw_pkts,
		"to software for %s",
		gso_offload_sw_reason_name(GSO_OFFLOAD_SW_SEG_DATA));

	/* The same bytes in 2 KB mbufs: hardware, whole. */
	m = test_sf_build(sf_pool, &s);
	sf = m != NULL ? chain_copy(rx_pool, m, orig, olen, 2048) : NULL;
	rte_pktmbuf_free(m);
	TEST_ASSERT(sf != NULL && sf->nb_segs == 10, "2 KB chain");
	gso_offload_tx_stats_get(rp.port_id, &st0);
	TEST_ASSERT(send_sf(rp.port_id, 0, sf) == 0, "send");
	gso_offload_tx_stats_get(rp.port_id, &st1);
	n = rte_ring_dequeue_burst(rp.ring, (void **)got, 64, NULL);
	TEST_ASSERT(n == 1 && (got[0]->ol_flags & RTE_MBUF_F_TX_TCP_SEG) &&
		got[0]->pkt_len == olen, "one TSO packet: %u", n);
	rte_pktmbuf_free_bulk(got, n);
	TEST_ASSERT(st1.hw_pkts - st0.hw_pkts == 1 &&
		st1.sw_pkts == st0.sw_pkts, "to hardware");

	/* A plain packet with the 20054-byte mbuf: rejected, counted, and
	 * not as a failed superframe. */
	sf = test_sf_build(sf_pool, &s);
	TEST_ASSERT(sf != NULL, "plain packet");
	sf->ol_flags &= ~RTE_MBUF_F_TX_TCP_SEG;
	gso_offload_tx_stats_get(rp.port_id, &st0);
	TEST_ASSERT(send_sf(rp.port_id, 0, sf) == 0, "send");
	gso_offload_tx_stats_get(rp.port_id, &st1);
	TEST_ASSERT_EQ(rte_ring_count(rp.ring), 0, "nothing reached the port");
	TEST_ASSERT(st1.rejected[GSO_OFFLOAD_REJ_SEG_DATA] -
		st0.rejected[GSO_OFFLOAD_REJ_SEG_DATA] == 1 &&
		st1.tcp_fail == st0.tcp_fail && st1.udp_fail == st0.udp_fail &&
		st1.pass_pkts == st0.pass_pkts, "rejected as %s",
		gso_offload_reject_reason_name(GSO_OFFLOAD_REJ_SEG_DATA));
	CONTRACT_OK(&c);

	/* Past the library, straight to the port: the checker sees it. */
	sf = test_sf_build(sf_pool, &s);
	TEST_ASSERT(sf != NULL, "packet");
	before = c.violations;
	TEST_ASSERT_EQ(rte_eth_tx_burst(rp.port_id, 0, &sf, 1), 1, "sent");
	n = rte_ring_dequeue_burst(rp.ring, (void **)got, 64, NULL);
	rte_pktmbuf_free_bulk(got, n);
	TEST_ASSERT(c.violations > before &&
		strstr(c.first, "descriptors take 16383") != NULL,
		"violation flagged: %s", c.first);
	free(orig);
	limited_port_down(&rp, &c);
	return TEST_OK;
}

/* ---- Plain packets the port cannot gather ---- */

/* Send m through pipeline tx; the one packet the port got (NULL: none). */
static struct rte_mbuf *
send_one_back(struct gso_offload_tx *tx, struct test_ring_port *rp,
		struct rte_mbuf *m)
{
	void *got = NULL;

	if (gso_offload_tx_burst(tx, rp->port_id, 0, &m, 1) != 1) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	if (rte_ring_dequeue(rp->ring, &got) != 0)
		return NULL;
	return got;
}

/*
 * Through a pipeline of conf, the bytes of m in 11 mbufs, as a plain
 * packet or as m's superframe: refused for reason, nothing sent, a
 * superframe counted as failed.
 */
static int
gather_refused(const struct gso_offload_tx_conf *conf,
		struct test_ring_port *rp, const struct rte_mbuf *m,
		const uint8_t *bytes, uint32_t len, bool plain, uint8_t reason)
{
	struct gso_offload_tx *tx = gso_offload_tx_create(conf);
	struct gso_offload_tx_stats st0, st1;
	struct rte_mbuf *sf, *back;

	TEST_ASSERT(tx != NULL, "pipeline");
	sf = chain_copy(rx_pool, m, bytes, len, 100);
	TEST_ASSERT(sf != NULL, "chain");
	if (plain)
		sf->ol_flags &= ~RTE_MBUF_F_TX_TCP_SEG;
	gso_offload_tx_stats_get(rp->port_id, &st0);
	back = send_one_back(tx, rp, sf);
	gso_offload_tx_stats_get(rp->port_id, &st1);
	gso_offload_tx_free(tx);
	rte_pktmbuf_free(back);
	TEST_ASSERT(back == NULL, "nothing reached the port");
	TEST_ASSERT(st1.rejected[reason] - st0.rejected[reason] == 1 &&
		st1.gathered == st0.gathered &&
		st1.tcp_fail - st0.tcp_fail == (plain ? 0 : 1),
		"rejected as %s", gso_offload_reject_reason_name(reason));
	return TEST_OK;
}

/*
 * A plain packet, and a superframe that fits one segment (which the
 * library makes a plain packet), in more mbufs than the port gathers for
 * one packet: i40e, ice and iavf stop the queue on such a packet (only
 * their tx_prepare checks it), vmxnet3's PMD drops it. The port gets a
 * copy in one mbuf of the copy pool, with the same bytes (the
 * superframe's finalized), counted as gathered, the input freed. A copy
 * that would still take too many mbufs is refused (no-buffer), one that
 * finds no mbuf too (no-memory), the input freed and nothing sent; and
 * the checker flags too many mbufs reaching the PMD.
 */
static int
plain_packets_gathered(void)
{
	struct test_sf_spec s = tcp_spec(4, 1000, 1448);
	struct gso_offload_tx_stats st0, st1;
	struct gso_offload_tx_conf tc = { .seg_pool = seg_pool,
		.socket_id = SOCKET_ID_ANY };
	const unsigned int rx_base = rte_mempool_in_use_count(rx_pool);
	struct rte_mempool *empty;
	struct test_ring_port rp;
	struct rte_mbuf *m, *sf, *back, *held[4];
	struct contract c;
	uint8_t *orig, *now;
	uint32_t olen = 0, nlen = 0;
	uint64_t before;

	/* A port that gathers 2 mbufs per plain packet (i40e, ice and iavf
	 * gather 8, vmxnet3 16). */
	TEST_ASSERT(limited_port_up(&rp, "ring_gth", 0, 2, &c) == 0,
		"ring port");
	m = test_sf_build(sf_pool, &s);
	TEST_ASSERT(m != NULL, "frame");
	orig = test_mbuf_bytes(m, &olen);
	TEST_ASSERT(orig != NULL, "bytes");

	/* A plain packet in 11 mbufs of 100 bytes: one copy, same bytes. */
	sf = chain_copy(rx_pool, m, orig, olen, 100);
	TEST_ASSERT(sf != NULL && sf->nb_segs == 11, "11-mbuf packet");
	sf->ol_flags &= ~RTE_MBUF_F_TX_TCP_SEG;
	gso_offload_tx_stats_get(rp.port_id, &st0);
	back = send_one_back(tx_main, &rp, sf);
	gso_offload_tx_stats_get(rp.port_id, &st1);
	TEST_ASSERT(back != NULL, "the port got it");
	now = test_mbuf_bytes(back, &nlen);
	TEST_ASSERT(back->nb_segs == 1 && now != NULL && nlen == olen &&
		memcmp(now, orig, olen) == 0, "one mbuf, %u bytes of %u, "
		"%u mbufs", nlen, olen, back->nb_segs);
	free(now);
	rte_pktmbuf_free(back);
	TEST_ASSERT(st1.gathered - st0.gathered == 1 &&
		st1.pass_pkts - st0.pass_pkts == 1 &&
		st1.finalized == st0.finalized, "counted as gathered");

	/* The same bytes as a superframe of one segment, in 11 mbufs. */
	sf = chain_copy(rx_pool, m, orig, olen, 100);
	TEST_ASSERT(sf != NULL && (sf->ol_flags & RTE_MBUF_F_TX_TCP_SEG),
		"11-mbuf superframe");
	gso_offload_tx_stats_get(rp.port_id, &st0);
	back = send_one_back(tx_main, &rp, sf);
	gso_offload_tx_stats_get(rp.port_id, &st1);
	TEST_ASSERT(back != NULL, "the port got it");
	{
		const struct test_seg_check chk = {
			.spec = &s, .orig = orig, .orig_len = olen,
			.dyn_offset = -1, .port = back->port,
			.rss = back->hash.rss,
		};
		bool ok = back->nb_segs == 1 &&
			!(back->ol_flags & RTE_MBUF_F_TX_TCP_SEG) &&
			test_seg_verify(&chk, &back, 1);

		rte_pktmbuf_free(back);
		TEST_ASSERT(ok, "one finalized mbuf");
	}
	TEST_ASSERT(st1.gathered - st0.gathered == 1 &&
		st1.finalized - st0.finalized == 1 &&
		st1.pass_pkts - st0.pass_pkts == 1, "counted as gathered, "
		"finalized");
	CONTRACT_OK(&c);

	/* Copies into the 384-byte segment pool take 3 mbufs: refused. */
	TEST_RUN(gather_refused(&tc, &rp, m, orig, olen, true,
		GSO_OFFLOAD_REJ_NO_BUFFER));

	/* No mbuf for the copy: refused, no-memory. */
	empty = test_poison_seg_pool_create("pl_gth0", 4,
			RTE_MBUF_DEFAULT_DATAROOM, SOCKET_ID_ANY);
	TEST_ASSERT(empty != NULL && rte_pktmbuf_alloc_bulk(empty, held,
		RTE_DIM(held)) == 0 && rte_mempool_avail_count(empty) == 0,
		"a copy pool with no mbuf left");
	tc.copy_pool = empty;
	TEST_RUN(gather_refused(&tc, &rp, m, orig, olen, false,
		GSO_OFFLOAD_REJ_NO_MEMORY));
	rte_pktmbuf_free_bulk(held, RTE_DIM(held));
	rte_mempool_free(empty);
	CONTRACT_OK(&c);

	/* Past the library, straight to the port: the checker sees it. */
	sf = chain_copy(rx_pool, m, orig, olen, 100);
	TEST_ASSERT(sf != NULL, "chain");
	sf->ol_flags &= ~RTE_MBUF_F_TX_TCP_SEG;
	before = c.violations;
	TEST_ASSERT_EQ(rte_eth_tx_burst(rp.port_id, 0, &sf, 1), 1, "sent");
	test_ring_port_drain(&rp);
	TEST_ASSERT(c.violations > before &&
		strstr(c.first, "gathers 2") != NULL,
		"violation flagged: %s", c.first);

	free(orig);
	rte_pktmbuf_free(m);
	limited_port_down(&rp, &c);
	TEST_ASSERT_EQ(rte_mempool_in_use_count(rx_pool), rx_base,
		"every input mbuf freed");
	return TEST_OK;
}

/* ---- Software segments: one rte_eth_tx_burst() per run ---- */

/* What reached a port's queue 0: how many rte_eth_tx_burst() calls, with
 * how many packets each. */
struct burst_log {
	unsigned int calls;
	uint16_t sizes[16];
};

static uint16_t
burst_log_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts, void *arg)
{
	struct burst_log *l = arg;

	RTE_SET_USED(port_id);
	RTE_SET_USED(queue);
	RTE_SET_USED(pkts);
	if (l->calls < RTE_DIM(l->sizes))
		l->sizes[l->calls] = nb_pkts;
	l->calls++;
	return nb_pkts;
}

/* A ring port that takes TCP/IPv6 only to hardware: TCP/IPv4
 * superframes go to software. Its calls are logged in log. */
static int
sw_port_up(struct test_ring_port *rp, const char *name,
		struct burst_log *log, const struct rte_eth_rxtx_callback **cb)
{
	gso_offload_caps_init(&test_caps, GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS,
			GSO_OFFLOAD_L4_ALL, 65535, 2, NULL, NULL);
	if (test_ring_port_create(rp, name, &test_provider, rx_pool) != 0)
		return -1;
	*log = (struct burst_log){ 0 };
	*cb = rte_eth_add_tx_callback(rp->port_id, 0, burst_log_cb, log);
	return *cb == NULL ? -1 : 0;
}

/* Build n TCP/IPv4 superframes (ETH, no options) of payload[i] bytes,
 * sequence numbers from seq[i]; want: the sequence number of every
 * segment they make, in order (*nw of them). */
static int
seq_superframes(struct rte_mbuf **pkts, unsigned int n,
		const uint32_t *payload, const uint32_t *seq, uint16_t mss,
		uint32_t *want, unsigned int *nw)
{
	*nw = 0;
	for (unsigned int i = 0; i < n; i++) {
		struct test_sf_spec s = tcp_spec(4, payload[i], mss);

		s.seq = seq[i];
		pkts[i] = test_sf_build(sf_pool, &s);
		if (pkts[i] == NULL) {
			rte_pktmbuf_free_bulk(pkts, i);
			return -1;
		}
		for (uint32_t o = 0; o < payload[i]; o += mss)
			want[(*nw)++] = seq[i] + o;
	}
	return 0;
}

/* The TCP sequence number of a TCP/IPv4 frame (ETH, no options). */
static uint32_t
seq_of(const struct rte_mbuf *m)
{
	uint32_t len, seq;
	uint8_t *b = test_mbuf_bytes(m, &len);

	if (b == NULL || len < 54) {
		free(b);
		return UINT32_MAX;
	}
	seq = (uint32_t)b[38] << 24 | (uint32_t)b[39] << 16 |
		(uint32_t)b[40] << 8 | b[41];
	free(b);
	return seq;
}

/* Dequeue up to max packets the port got (*got_n: how many) and free
 * them. Returns how many, from the first on, carry the sequence numbers
 * of want (nw of them) in its order. */
static unsigned int
ring_take_in_order(struct test_ring_port *rp, unsigned int max,
		const uint32_t *want, unsigned int nw, unsigned int *got_n)
{
	struct rte_mbuf *got[256];
	unsigned int ok = 0, total = 0, n;
	bool in_order = true;

	while (total < max && (n = rte_ring_dequeue_burst(rp->ring,
			(void **)got, RTE_MIN(RTE_DIM(got), max - total),
			NULL)) > 0) {
		for (unsigned int i = 0; i < n; i++) {
			if (in_order && total + i < nw &&
					seq_of(got[i]) == want[total + i])
				ok++;
			else
				in_order = false;
		}
		rte_pktmbuf_free_bulk(got, n);
		total += n;
	}
	*got_n = total;
	return ok;
}

/* One burst of software superframes (seq_superframes()) through a
 * sw_port_up() port whose ring has room for room packets (0: all of it):
 * what it consumed, the counters around it, the calls that reached the
 * queue and what the port got, in order or not. */
struct sw_run {
	uint16_t consumed;
	struct gso_offload_tx_stats st0, st1;
	struct burst_log log;
	unsigned int nw;        /* segments expected */
	unsigned int got;       /* packets the port got */
	unsigned int in_order;  /* of them, in order before the first not */
};

static int
sw_run(const char *name, const uint32_t *payload, const uint32_t *seq,
		unsigned int nb, uint16_t mss, unsigned int room,
		struct sw_run *r)
{
	/* Filler entries, never packets: taken back before the drain. */
	static char filler;
	static void *fill[4096];
	const struct rte_eth_rxtx_callback *cb;
	struct test_ring_port rp;
	struct rte_mbuf *pkts[32];
	uint32_t want[256];
	unsigned int nfill = 0;
	int ret = -1;

	r->nw = 0;
	if (nb > RTE_DIM(pkts) || sw_port_up(&rp, name, &r->log, &cb) != 0)
		return -1;
	if (room != 0) {
		nfill = rte_ring_free_count(rp.ring) - room;
		for (unsigned int i = 0; i < nfill; i++)
			fill[i] = &filler;
		if (rte_ring_enqueue_bulk(rp.ring, fill, nfill, NULL) != nfill)
			goto out;
	}
	if (seq_superframes(pkts, nb, payload, seq, mss, want, &r->nw) != 0)
		goto out;
	gso_offload_tx_stats_get(rp.port_id, &r->st0);
	r->consumed = gso_offload_tx_burst(tx_main, rp.port_id, 0, pkts,
			(uint16_t)nb);
	gso_offload_tx_stats_get(rp.port_id, &r->st1);
	ret = 0;
out:
	rte_eth_remove_tx_callback(rp.port_id, 0, cb);
	if (nfill != 0 &&
			rte_ring_dequeue_bulk(rp.ring, fill, nfill, NULL) != nfill)
		ret = -1;
	r->in_order = ring_take_in_order(&rp, RTE_DIM(want), want, r->nw,
			&r->got);
	test_ring_port_destroy(&rp);
	return ret;
}

/*
 * The segments software makes of consecutive superframes reach the queue
 * in one rte_eth_tx_burst(), not one per superframe (on net_af_packet one
 * sendto() per call, on a NIC one doorbell), and in input order around a
 * packet of the other kind: A, B (software), P (a superframe of one
 * segment, sent as a plain packet), C, D (software) make three calls of
 * 6, 1 and 5 packets. It used to make five, one per input.
 */
static int
software_segments_one_burst(void)
{
	static const uint32_t payload[] = { 3000, 3000, 800, 2000, 3000 };
	static const uint32_t seq[] = { 1000, 100000, 200000, 300000, 400000 };
	struct sw_run r;

	TEST_ASSERT(sw_run("ring_swb", payload, seq, RTE_DIM(payload), 1000,
		0, &r) == 0, "ring port and superframes");
	TEST_ASSERT_EQ(r.consumed, RTE_DIM(payload), "every input consumed");
	TEST_ASSERT_EQ(r.got, r.nw, "every segment reached the port");
	TEST_ASSERT_EQ(r.in_order, r.nw, "in input order");
	TEST_ASSERT_EQ(r.st1.sw_pkts - r.st0.sw_pkts, 4, "four in software");
	TEST_ASSERT_EQ(r.st1.sw_segs - r.st0.sw_segs, 11, "their segments");
	TEST_ASSERT_EQ(r.st1.finalized - r.st0.finalized, 1, "one finalized");
	TEST_ASSERT_EQ(r.st1.tx_dropped, r.st0.tx_dropped, "nothing dropped");
	TEST_ASSERT(r.log.calls == 3 && r.log.sizes[0] == 6 &&
		r.log.sizes[1] == 1 && r.log.sizes[2] == 5, "three calls of 6, "
		"1, 5 packets: %u calls, the first %u, %u, %u", r.log.calls,
		r.log.sizes[0], r.log.sizes[1], r.log.sizes[2]);
	return TEST_OK;
}

/*
 * A run of software superframes goes to the queue in calls of at most
 * GSO_TX_SEG_BURST segments, a superframe of more alone: twelve of 3
 * segments, one of 45, two of 3 make six calls of 6 (two each), one of 45
 * and one of 6, every segment in order.
 */
static int
software_segments_flush_when_full(void)
{
	enum { NB = 15, BIG = 12 };
	uint32_t payload[NB], seq[NB];
	struct sw_run r;

	static_assert(GSO_TX_SEG_BURST == 8, "the calls below are for 8");
	for (unsigned int i = 0; i < NB; i++) {
		/* 45 segments of 1448 bytes, or 3 */
		payload[i] = i == BIG ? 64000 : 4000;
		seq[i] = 1000 + i * 100000;
	}
	TEST_ASSERT(sw_run("ring_swf", payload, seq, NB, 1448, 0, &r) == 0,
		"ring port and superframes");
	TEST_ASSERT_EQ(r.nw, 14 * 3 + 45, "segments expected");
	TEST_ASSERT_EQ(r.consumed, NB, "every input consumed");
	TEST_ASSERT_EQ(r.got, r.nw, "every segment reached the port");
	TEST_ASSERT_EQ(r.in_order, r.nw, "in input order");
	TEST_ASSERT_EQ(r.st1.sw_segs - r.st0.sw_segs, r.nw, "segments");
	TEST_ASSERT_EQ(r.st1.tx_dropped, r.st0.tx_dropped, "nothing dropped");
	for (unsigned int c = 0; c < 8; c++)
		TEST_ASSERT(r.log.calls == 8 &&
			r.log.sizes[c] == (c == 6 ? 45 : 6),
			"calls of 6 (six), 45, 6: %u calls, call %u of %u",
			r.log.calls, c, r.log.sizes[c]);
	return TEST_OK;
}

/*
 * A queue that takes only part of what waits: it gets the first segments
 * in order, the rest are freed after the retries and counted as dropped,
 * the superframes are consumed all the same, and every mbuf (the
 * superframes' too) is back in its pool once the port's are freed.
 */
static int
software_segments_queue_full(void)
{
	static const uint32_t payload[] = { 3000, 3000 };
	static const uint32_t seq[] = { 1000, 100000 };
	const unsigned int sf_base = rte_mempool_in_use_count(sf_pool);
	const unsigned int seg_base = rte_mempool_in_use_count(seg_pool);
	const unsigned int copy_base = rte_mempool_in_use_count(copy_pool);
	struct sw_run r;

	/* Room for 4 of the 6 segments. */
	TEST_ASSERT(sw_run("ring_swq", payload, seq, RTE_DIM(payload), 1000,
		4, &r) == 0, "ring port, filler and superframes");
	TEST_ASSERT_EQ(r.nw, 6, "segments made");
	TEST_ASSERT_EQ(r.consumed, 2, "both superframes consumed");
	TEST_ASSERT(r.got == 4 && r.in_order == 4, "the first four segments, "
		"in order: %u got, %u in order", r.got, r.in_order);
	TEST_ASSERT_EQ(r.st1.tx_dropped - r.st0.tx_dropped, 2, "two dropped");
	TEST_ASSERT(r.log.calls > 1 && r.log.sizes[0] == 6, "one call of all "
		"six, then retries of the rest: %u calls, the first %u",
		r.log.calls, r.log.sizes[0]);
	TEST_ASSERT_EQ(rte_mempool_in_use_count(sf_pool), sf_base,
		"superframes freed");
	TEST_ASSERT_EQ(rte_mempool_in_use_count(seg_pool), seg_base,
		"header and reference mbufs freed");
	TEST_ASSERT_EQ(rte_mempool_in_use_count(copy_pool), copy_base,
		"flat segments freed");
	return TEST_OK;
}

/*
 * A thread that runs several pipelines (the main lcore of an application
 * with one per port, beside tx_main here) and changes a port's set: its
 * grace period excuses every pipeline of its own. It used to excuse only
 * the last one to come online, and waited for the others forever; freeing
 * that one left none excused.
 */
static int
pipelines_on_one_thread(void)
{
	struct gso_offload_tx_conf tc = { .seg_pool = seg_pool,
		.copy_pool = copy_pool, .socket_id = SOCKET_ID_ANY };
	struct test_sf_spec s = tcp_spec(4, 1000, 1448);
	struct gso_offload_tx *tx[2];
	struct test_ring_port rp;
	struct rte_mbuf *back;

	gso_offload_caps_init(&test_caps, GSO_OFFLOAD_L3_ALL, GSO_OFFLOAD_L4_ALL,
			65535, 2, NULL, NULL);
	TEST_ASSERT(test_ring_port_create(&rp, "ring_1thr", &test_provider,
		rx_pool) == 0, "ring port");
	for (int i = 0; i < 2; i++) {
		tx[i] = gso_offload_tx_create(&tc);
		TEST_ASSERT(tx[i] != NULL, "pipeline %d", i);
	}
	/* All three online on this thread. */
	for (int i = 0; i < 3; i++) {
		struct rte_mbuf *m = test_sf_build(sf_pool, &s);

		TEST_ASSERT(m != NULL, "packet");
		m->ol_flags &= ~RTE_MBUF_F_TX_TCP_SEG;
		back = send_one_back(i < 2 ? tx[i] : tx_main, &rp, m);
		TEST_ASSERT(back != NULL, "sent through pipeline %d", i);
		rte_pktmbuf_free(back);
	}
	TEST_ASSERT_EQ(contract_change(NULL, rp.port_id, "lso4=off"), 0,
		"a change while three pipelines of this thread are online");
	gso_offload_tx_free(tx[1]);
	TEST_ASSERT_EQ(contract_change(NULL, rp.port_id, "lso4=on"), 0,
		"a change after one of them was freed");
	gso_offload_tx_free(tx[0]);
	test_ring_port_destroy(&rp);
	return TEST_OK;
}

static int
setup(void)
{
	struct gso_offload_tx_conf tc;

	rx_pool = test_poison_pktmbuf_pool_create("pl_rx", 16384, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	sf_pool = test_poison_pktmbuf_pool_create("pl_sf", 1024, 0, UINT16_MAX,
			SOCKET_ID_ANY);
	seg_pool = test_poison_seg_pool_create("pl_seg", 16384,
			GSO_OFFLOAD_MAX_HDR_LEN, SOCKET_ID_ANY);
	copy_pool = test_poison_seg_pool_create("pl_copy", 8192,
			RTE_MBUF_DEFAULT_DATAROOM, SOCKET_ID_ANY);
	if (!rx_pool || !sf_pool || !seg_pool || !copy_pool)
		return -1;
	tc = (struct gso_offload_tx_conf){ .seg_pool = seg_pool,
		.copy_pool = copy_pool, .socket_id = SOCKET_ID_ANY };
	tx_main = gso_offload_tx_create(&tc);
	gso_offload_encap_caps_init(&test_encap);
	return tx_main == NULL;
}

static void
teardown(void)
{
	gso_offload_tx_free(tx_main);
}

static const struct test_case cases[] = {
	TEST_CASE(virtio_tso_on_hardware),
	TEST_CASE(virtio_tso_off_software),
	TEST_CASE(virtio_lso6_off_software_for_ipv6),
	TEST_CASE(tap_ipv4_hardware_ipv6_software),
	TEST_CASE(uso_in_hardware),
	TEST_CASE(restricted_capabilities),
	TEST_CASE(split_chunks_obey_min_segments),
	TEST_CASE(byte_counters_of_consumed_superframes),
	TEST_CASE(live_toggle),
	TEST_CASE(hitless_change_never_pauses),
	TEST_CASE(restart_change_holds),
	TEST_CASE(driver_callback_still_held),
	TEST_CASE(tunnel_tso_in_hardware),
	TEST_CASE(tunnel_software_reasons_and_split),
	TEST_CASE(contract_catches_bad_tunnel_metadata),
	TEST_CASE(seg_data_limit_to_software),
	TEST_CASE(pipelines_on_one_thread),
	TEST_CASE(plain_packets_gathered),
	TEST_CASE(software_segments_one_burst),
	TEST_CASE(software_segments_flush_when_full),
	TEST_CASE(software_segments_queue_full),
};

static const char *const eal_args[] = {
	/* Two workers for the live toggle, on a machine of two cores. */
	"--lcores=0@0,1@1,2@0", NULL,
};

int
main(int argc, char **argv)
{
	const struct test_suite suite = {
		.name = "pipeline",
		.eal_args = eal_args,
		.setup = setup,
		.teardown = teardown,
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = true,
	};

	return test_suite_run(&suite, argc, argv);
}
