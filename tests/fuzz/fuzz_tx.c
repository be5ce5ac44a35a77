/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * libFuzzer harness of the TX pipeline: bursts of packets with fuzzed
 * offload flags, tso_segsz, l2/l3/l4_len and chain layouts through
 * gso_offload_tx_burst() on three ports, with wanted-keyword changes
 * between bursts:
 *   tight: a ring port whose test provider declares every GSO variant
 *          but small limits (4000 bytes per offload, at least 2 segments,
 *          the L4 header within 60 bytes, MSS 64-1400, 6000-byte frames,
 *          6 segments, 3 mbufs per packet and 2 per MSS-worth, MSS and
 *          headers within the MTU) and a 32-entry ring that fills up:
 *          pass, finalize, hardware, split, software, reject, returned.
 *          Its encapsulated offload: VXLAN (inner IPv4, outer IPv4
 *          checksum, no outer UDP checksum, header within 120 bytes),
 *          GENEVE (inner IPv4/IPv6 TCP and UDP, both outer checksums, the
 *          plain 60-byte offset limit: software),
 *          GRE (generic: TUNNEL_IP, no outer IPv4 checksum, 120 bytes), no
 *          IP-in-IP:
 *          every tunnel rule has a way to hardware and one to software;
 *   plain: a ring port with TCP/IPv4 without options only, one mbuf
 *          per segment (copy mode) and a TX descriptor limit of 9100
 *          bytes per mbuf (max_seg_data_len, as vmxnet3's 16383): a
 *          superframe with a larger mbuf (sf_pool's are 16 KB) goes to
 *          software, a plain packet with one is rejected (its plain
 *          packets may be 16 KB; those that would pass whole over its
 *          MTU are not sent: the harness's fault, not the pipeline's);
 *   null:  net_null, no GSO: software for every superframe.
 * Input: commands until it ends, each a byte:
 *   cmd % 4 == 0: keywords of port ((cmd >> 2) & 3) % 3: the next
 *                 byte's low nibble on, high nibble off; with bit 7 of
 *                 cmd two more bytes: encapsulation keywords (the first's
 *                 low 5 bits on, the second's off) and, with the second's
 *                 bit 7, *VxlanUDPPortNumber 4789 + the first's top 3
 *                 bits (4789: the hardware's) (gso_offload_settings_apply());
 *   cmd % 4 == 1: drain the rings;
 *   else:         a burst of 1 + (cmd >> 4) % 8 packets to port
 *                 ((cmd >> 2) & 3) % 3, each: u16 flag selector (bit b: the
 *                 b-th flag of packet()'s table), u16 tso_segsz, u8 l2_len,
 *                 u8 l4_len, u16 l3_len, a layout and a frame.
 * Checked: the contract checker (tests/test_contract.h) on every packet
 * the PMDs get; packets not taken are intact chains, still the harness's;
 * the counters account for every packet consumed; every mbuf back in its
 * pool after the input.
 */

#include <errno.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_eth_ring.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "gso_offload.h"
#include "fuzz_common.h"
#include "test_contract.h"
#include "test_env.h"

#define NB_PORTS 3
#define MAX_BURST 8

static struct rte_mempool *sf_pool, *seg_pool, *copy_pool, *rx_pool;
static struct gso_offload_tx *tx;
static uint8_t frame_buf[FUZZ_FRAME_MAX];
/* FUZZ_VERBOSE: each burst's packets on stderr, to triage a finding. */
static bool verbose;

static struct {
	uint16_t port_id;
	struct rte_ring *ring;     /* NULL: net_null */
	struct contract c;
} ports[NB_PORTS];

static int
tight_describe(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_caps *caps, struct gso_offload_port_limits *lim)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(info);
	gso_offload_caps_init(caps, GSO_OFFLOAD_L3_ALL, GSO_OFFLOAD_L4_ALL,
			4000, 2, NULL, NULL);
	caps->l4_header_offset_limit = 60;
	lim->mss_min = 64;
	lim->mss_max = 1400;
	lim->max_frame = 6000;
	lim->max_segments = 6;
	lim->nb_seg_max = 3;
	lim->nb_mtu_seg_max = 2;
	lim->mtu = 1500;
	lim->flags = GSO_OFFLOAD_QUIRK_PHDR_CKSUM |
		GSO_OFFLOAD_QUIRK_TSO_NEEDS_IP_CKSUM |
		GSO_OFFLOAD_QUIRK_SEG_L2_IN_MTU;
	return 0;
}

static int
plain_describe(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_caps *caps, struct gso_offload_port_limits *lim)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(info);
	gso_offload_caps_init(caps, GSO_OFFLOAD_L3_IPV4_NO_OPTIONS,
			GSO_OFFLOAD_L4_TCP_NO_OPTIONS, 65535, 1, NULL, NULL);
	lim->mss_min = 1;
	lim->mss_max = 9000;
	lim->nb_mtu_seg_max = 1;
	lim->mtu = 9000;
	/* Above its largest software segment (9000 + a QinQ header, one
	 * mbuf): the library's own segments always fit. */
	lim->max_seg_data_len = 9100;
	return 0;
}

static int
tight_describe_encap(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_encap_caps *encap,
		struct gso_offload_port_limits *lim)
{
	struct gso_offload_encap *e = encap->encap;

	RTE_SET_USED(port_id);
	RTE_SET_USED(info);
	RTE_SET_USED(lim);
	gso_offload_encap_caps_init(encap);
	e[GSO_OFFLOAD_ENCAP_VXLAN] = (struct gso_offload_encap){
		GSO_OFFLOAD_L3_IPV4_NO_OPTIONS | GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS,
		GSO_OFFLOAD_L4_ALL, GSO_OFFLOAD_ENCAP_F_OUTER_IPV4_CKSUM, 120 };
	e[GSO_OFFLOAD_ENCAP_GENEVE] = (struct gso_offload_encap){
		GSO_OFFLOAD_L3_ALL, GSO_OFFLOAD_L4_ALL,
		GSO_OFFLOAD_ENCAP_F_OUTER_IPV4_CKSUM |
		GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM, 0 };
	e[GSO_OFFLOAD_ENCAP_GRE] = (struct gso_offload_encap){
		GSO_OFFLOAD_L3_ALL, GSO_OFFLOAD_L4_TCP_NO_OPTIONS |
		GSO_OFFLOAD_L4_TCP_WITH_OPTIONS, GSO_OFFLOAD_ENCAP_F_GENERIC, 120 };
	return 0;
}

static const struct gso_offload_provider tight_provider = {
	.name = "fuzz-tight", .describe = tight_describe,
	.describe_encap = tight_describe_encap,
};
static const struct gso_offload_provider plain_provider = {
	.name = "fuzz-plain", .describe = plain_describe,
};

static uint16_t
ring_port(const char *name, unsigned int size,
		const struct gso_offload_provider *prov, struct rte_ring **ring)
{
	char rname[32];
	int port;

	snprintf(rname, sizeof(rname), "%s_r", name);
	*ring = rte_ring_create(rname, size, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ);
	FUZZ_CHECK(*ring != NULL, "ring %s", rname);
	port = rte_eth_from_rings(name, ring, 1, ring, 1, SOCKET_ID_ANY);
	FUZZ_CHECK(port >= 0, "ring port %s", name);
	FUZZ_CHECK(gso_offload_port_set_provider((uint16_t)port, prov) == 0,
		"provider");
	return (uint16_t)port;
}

/* With FUZZ_VERBOSE, at exit: which actions the inputs reached. */
static void
stats_print(void)
{
	for (unsigned int p = 0; p < NB_PORTS; p++) {
		struct gso_offload_tx_stats st;
		uint64_t rej = 0;

		if (gso_offload_tx_stats_get(ports[p].port_id, &st) != 0)
			continue;
		for (unsigned int r = 0; r < GSO_OFFLOAD_REJ_MAX; r++)
			rej += st.rejected[r];
		fprintf(stderr, "port %u: pass %" PRIu64 " finalized %" PRIu64
			" hw %" PRIu64 " split %" PRIu64 " (chunks %" PRIu64
			") sw %" PRIu64 " rejected %" PRIu64 " returned %"
			PRIu64 " dropped %" PRIu64 " held %" PRIu64 "\n", p,
			st.pass_pkts, st.finalized, st.hw_pkts, st.split_pkts,
			st.split_chunks, st.sw_pkts, rej, st.tx_returned,
			st.tx_dropped, st.tx_held);
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct gso_offload_tx_conf tc;

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	fuzz_eal_init("fuzz_tx", NULL);
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	/* 16 KB mbufs: larger frames are chains. A freed mbuf's data room is
	 * scribbled whole (test_poison.h): 64 KB ones cost a third of the
	 * run, and the engine's one-mbuf paths are fuzz_segment's to reach. */
	sf_pool = fuzz_pool_create("fz_sf", 256, 16384);
	seg_pool = fuzz_pool_create("fz_seg", 4096, GSO_OFFLOAD_MAX_HDR_LEN);
	copy_pool = fuzz_pool_create("fz_copy", 4096, 9216 + 64);
	rx_pool = fuzz_pool_create("fz_rx", 1024, 2048);

	/* The tight port's ring is small: bursts fill it, packets return. */
	ports[0].port_id = ring_port("fz_tight", 32, &tight_provider,
			&ports[0].ring);
	ports[1].port_id = ring_port("fz_plain", 4096, &plain_provider,
			&ports[1].ring);
	ports[2].port_id = test_vdev("net_null0", "");
	FUZZ_CHECK(ports[2].port_id != TEST_NO_PORT, "net_null");
	for (unsigned int p = 0; p < NB_PORTS; p++) {
		FUZZ_CHECK(test_lib_port_up(ports[p].port_id, rx_pool, 1, 64) == 0,
			"port %u up", p);
		FUZZ_CHECK(contract_attach(&ports[p].c, ports[p].port_id, 1,
			false) == 0, "contract");
	}
	/* Two polls: a full queue is reached fast, the drop path too. */
	tc = (struct gso_offload_tx_conf){ .seg_pool = seg_pool,
		.copy_pool = copy_pool, .tx_retries = 2,
		.socket_id = SOCKET_ID_ANY };
	tx = gso_offload_tx_create(&tc);
	FUZZ_CHECK(tx != NULL, "pipeline");
	fuzz_pools_mark();
	if (verbose)
		atexit(stats_print);
	return 0;
}

static void
drain(void)
{
	void *m[64];
	unsigned int n;

	for (unsigned int p = 0; p < NB_PORTS; p++)
		while (ports[p].ring != NULL && (n = rte_ring_dequeue_burst(
				ports[p].ring, m, RTE_DIM(m), NULL)) > 0)
			rte_pktmbuf_free_bulk((struct rte_mbuf **)m, n);
}

/* Packets the pipeline consumed, by its counters. */
static uint64_t
consumed(uint16_t port_id)
{
	struct gso_offload_tx_stats st;
	uint64_t n;

	FUZZ_CHECK(gso_offload_tx_stats_get(port_id, &st) == 0, "stats");
	n = st.pass_pkts + st.hw_pkts + st.split_pkts + st.sw_pkts;
	for (unsigned int r = 0; r < GSO_OFFLOAD_REJ_MAX; r++)
		n += st.rejected[r];
	return n;
}

/* The plain port's per-descriptor limit and MTU (plain_describe). */
#define PLAIN_PORT 1
#define PLAIN_SEG_DATA 9100u
#define PLAIN_MTU 9000u

static uint16_t
max_data_len(const struct rte_mbuf *m)
{
	uint16_t most = 0;

	for (; m != NULL; m = m->next)
		most = RTE_MAX(most, m->data_len);
	return most;
}

static struct rte_mbuf *
packet(struct fuzz_in *in, unsigned int port)
{
	static const uint64_t flag[] = {
		RTE_MBUF_F_TX_TCP_SEG, RTE_MBUF_F_TX_UDP_SEG,
		RTE_MBUF_F_TX_IPV4, RTE_MBUF_F_TX_IPV6,
		RTE_MBUF_F_TX_IP_CKSUM, RTE_MBUF_F_TX_TCP_CKSUM,
		RTE_MBUF_F_TX_UDP_CKSUM, RTE_MBUF_F_TX_VLAN,
		RTE_MBUF_F_TX_QINQ, RTE_MBUF_F_TX_TUNNEL_VXLAN,
		RTE_MBUF_F_TX_OUTER_IPV4, RTE_MBUF_F_TX_SEC_OFFLOAD,
		RTE_MBUF_F_TX_UDP_SEG | RTE_MBUF_F_TX_TCP_SEG,
		/* With VXLAN (1) they make every tunnel kind up to 7: GRE
		 * 2, IP-in-IP 3, GENEVE 4, and kinds the library refuses. */
		RTE_MBUF_F_TX_TUNNEL_GRE, RTE_MBUF_F_TX_TUNNEL_GENEVE,
		RTE_MBUF_F_TX_OUTER_IPV6,
	};
	uint16_t sel = fuzz_u16(in), mss = fuzz_u16(in);
	uint8_t l2 = fuzz_u8(in), l4 = fuzz_u8(in);
	uint16_t l3 = fuzz_u16(in);
	struct fuzz_layout layout;
	struct fuzz_frame f = { .b = frame_buf };
	struct rte_mbuf *m;
	uint64_t ol = 0;

	fuzz_layout_decode(in, &layout);
	fuzz_frame_decode(in, &f);
	for (unsigned int b = 0; b < RTE_DIM(flag); b++)
		if (sel & (1u << b))
			ol |= flag[b];
	/* A plain packet goes out as the application made it: one larger
	 * than the MTU would be the harness's fault, not the pipeline's.
	 * The plain port takes them up to 16 KB: one with an mbuf over its
	 * descriptor limit must be rejected (seg-data-limit); the others
	 * over its MTU are not sent. */
	if (!(ol & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)))
		f.len = RTE_MIN(f.len, port == PLAIN_PORT ? 16384u :
			(uint32_t)RTE_ETHER_HDR_LEN + RTE_ETHER_MTU);
	m = fuzz_chain_build(sf_pool, &f, &layout);
	if (m == NULL)
		return NULL;
	if (!(ol & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)) &&
			m->pkt_len > RTE_ETHER_HDR_LEN + PLAIN_MTU &&
			max_data_len(m) <= PLAIN_SEG_DATA) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	m->ol_flags |= ol;   /* EXTERNAL stays */
	m->tso_segsz = mss;
	m->l2_len = l2 & 0x7f;
	m->l3_len = l3 & 0x1ff;
	m->l4_len = l4;
	m->vlan_tci = (uint16_t)(sel ^ mss);
	return m;
}

/* The port a command names: bits 2-3 (3 wraps to 0). */
static unsigned int
port_of(uint8_t cmd)
{
	return ((cmd >> 2) & 3u) % NB_PORTS;
}

static void
burst(uint8_t cmd, struct fuzz_in *in)
{
	const unsigned int p = port_of(cmd);
	struct rte_mbuf *pkts[MAX_BURST];
	uint16_t nb = 0, n;
	uint64_t before;

	for (unsigned int i = 0; i < 1u + (cmd >> 4) % MAX_BURST; i++) {
		struct rte_mbuf *m = packet(in, p);

		if (m != NULL)
			pkts[nb++] = m;
	}
	if (verbose)
		for (uint16_t i = 0; i < nb; i++)
			fprintf(stderr, "port %u packet %u: ol_flags %#" PRIx64
				" tso_segsz %u lengths %u/%u/%u, %u bytes in %u mbufs\n",
				p, i, pkts[i]->ol_flags, pkts[i]->tso_segsz,
				pkts[i]->l2_len, pkts[i]->l3_len, pkts[i]->l4_len,
				pkts[i]->pkt_len, pkts[i]->nb_segs);
	before = consumed(ports[p].port_id);
	n = gso_offload_tx_burst(tx, ports[p].port_id, 0, pkts, nb);
	FUZZ_CHECK(n <= nb, "%u consumed of %u", n, nb);
	FUZZ_CHECK(consumed(ports[p].port_id) - before == n,
		"counters: %" PRIu64 " consumed, the burst says %u",
		consumed(ports[p].port_id) - before, n);
	/* The rest is still ours, whole. */
	for (uint16_t i = n; i < nb; i++) {
		fuzz_chain_check(pkts[i], 0);
		rte_pktmbuf_free(pkts[i]);
	}
	FUZZ_CHECK(ports[p].c.violations == 0, "contract: %s",
		ports[p].c.first);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	while (in.n > 0) {
		uint8_t cmd = fuzz_u8(&in), b;
		int ret;

		switch (cmd & 3) {
		case 0:
			b = fuzz_u8(&in);
			if (cmd & 0x80) {
				uint8_t e_on = fuzz_u8(&in), e_off = fuzz_u8(&in);
				struct gso_offload_settings st = {
					.on = b & 0xf, .off = (b >> 4) & ~b & 0xf,
					.encap_on = e_on & GSO_OFFLOAD_KW_ENCAP_ALL,
					.encap_off = e_off & ~e_on &
						GSO_OFFLOAD_KW_ENCAP_ALL,
					.vxlan_udp_port = (e_off & 0x80) ?
						4789u + (e_on >> 5) : 0,
				};

				ret = gso_offload_settings_apply(
					ports[port_of(cmd)].port_id, &st);
				FUZZ_CHECK(ret == 0, "settings_apply: %d", ret);
				break;
			}
			ret = gso_offload_wanted_update(
				ports[port_of(cmd)].port_id, b & 0xf,
				(b >> 4) & ~b & 0xf);
			FUZZ_CHECK(ret == 0, "wanted_update: %d", ret);
			break;
		case 1:
			drain();
			break;
		default:
			burst(cmd, &in);
			break;
		}
	}
	drain();
	/* The next input starts from every keyword on, as the first did,
	 * and the hardware's VXLAN port. */
	for (unsigned int p = 0; p < NB_PORTS; p++) {
		const struct gso_offload_settings all = {
			.on = GSO_OFFLOAD_KW_ALL,
			.encap_on = GSO_OFFLOAD_KW_ENCAP_ALL,
			.vxlan_udp_port = GSO_OFFLOAD_VXLAN_PORT_HW,
		};

		FUZZ_CHECK(gso_offload_settings_apply(ports[p].port_id,
			&all) == 0, "settings reset");
	}
	fuzz_pools_check();
	return 0;
}
