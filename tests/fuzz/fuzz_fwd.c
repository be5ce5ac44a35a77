/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * libFuzzer harness of gso-fwd's receive side: prepare() (fwd_loop.c),
 * which reads every frame a port delivers without metadata and decides
 * what leaves: as is, as a superframe with the MSS the egress MTU allows
 * (plain TCP, or the inner TCP/UDP of a VXLAN, GENEVE, GRE or IP-in-IP
 * frame), as IP fragments, or dropped and counted.
 *
 * Input: a configuration (tunnel ports, --tunnel-udp, --udp-oversize,
 * --tcp-mss, the egress MTU and chain support, partial checksums, RX
 * flags and MSS metadata), a chain layout and the frame's bytes
 * (fuzz_common.h). Checked on every input:
 *  - every mbuf is handed on or freed exactly once: the pools are back to
 *    their start once the outputs are freed (ASan and the poisoning pool
 *    report any mbuf touched after it was freed, or freed twice);
 *  - every output is a whole chain (pkt_len, nb_segs);
 *  - a frame leaving without segmentation metadata fits the egress MTU;
 *  - a superframe gso-fwd made from the frame's own headers (no metadata
 *    on input) has an MSS > 0 whose segments fit the egress MTU under the
 *    whole header stack, and lengths that lie inside the frame; a tunnel
 *    one has its TUNNEL kind, outer IP flag and outer lengths set.
 */

#include <string.h>

#include <rte_mbuf.h>

#include "fuzz_common.h"

/* The forwarder's receive path itself, with its static functions. */
#include "../../app/gso-fwd/fwd_loop.c"

/* What gso-fwd's main.c defines. */
struct fwd_config fwd_cfg;
struct fwd_lcore fwd_lcores[RTE_MAX_LCORE];
unsigned int fwd_nb_lcores;
volatile sig_atomic_t fwd_quit;

static struct rte_mempool *rx_pool;
static struct fwd_lcore lc;
static uint8_t frame_buf[FUZZ_FRAME_MAX];
static struct rte_mbuf *out[FWD_OUT_MAX];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	fuzz_eal_init("fuzz_fwd", NULL);
	/* RX mbufs as large as af_packet's (a 64 KB superframe in one) or
	 * small (chains), by the layout; fragments and flat copies from the
	 * worker's pools, as gso-fwd sizes them. */
	rx_pool = fuzz_pool_create("fz_rx", 256, UINT16_MAX);
	lc.rx_pool = rx_pool;
	lc.seg_pool = fuzz_pool_create("fz_fseg", 2 * FWD_OUT_MAX, 512);
	lc.copy_pool = fuzz_pool_create("fz_fcopy", 64, UINT16_MAX);
	fuzz_pools_mark();
	return 0;
}

static void
ports_decode(struct fuzz_in *in, uint16_t *ports, uint16_t *nb,
		uint16_t dflt)
{
	uint8_t sel = fuzz_u8(in);

	/* none, the default, a fuzzed one, or both */
	*nb = 0;
	if (sel & 1)
		ports[(*nb)++] = dflt;
	if (sel & 2)
		ports[(*nb)++] = fuzz_u16(in);
}

static void
config_decode(struct fuzz_in *in, struct fwd_rx *rx, uint64_t *rx_flags,
		uint16_t *rx_mss)
{
	uint8_t opt = fuzz_u8(in);

	ports_decode(in, fwd_cfg.vxlan_ports, &fwd_cfg.nb_vxlan_ports, 4789);
	ports_decode(in, fwd_cfg.geneve_ports, &fwd_cfg.nb_geneve_ports, 6081);
	fwd_cfg.tunnel_udp = (opt & 1) ? FWD_TUN_UDP_OUTER : FWD_TUN_UDP_SEG;
	fwd_cfg.udp_oversize = (opt & 2) ? FWD_UDP_DROP : FWD_UDP_FRAG;
	fwd_cfg.tcp_mss = (opt & 4) ? fuzz_u16(in) : 0;
	memset(rx, 0, sizeof(*rx));
	/* gso-fwd's egress MTUs: IPv4's minimum .. jumbo. */
	rx->dst_mtu = (uint16_t)(68 + fuzz_u16(in) % (9216 - 68 + 1));
	rx->dst_multi_seg = (opt & 8) != 0;
	rx->partial_cksums = (opt & 16) != 0;
	*rx_flags = 0;
	if (opt & 32)
		*rx_flags |= RTE_MBUF_F_RX_VLAN_STRIPPED;
	if (opt & 64)
		*rx_flags |= RTE_MBUF_F_RX_L4_CKSUM_NONE;
	*rx_mss = 0;
	if (opt & 128) {
		*rx_flags |= RTE_MBUF_F_RX_LRO;
		*rx_mss = fuzz_u16(in);
	}
}

/* The checks on one output of a frame that came without metadata. */
static void
output_check(const struct rte_mbuf *m, const struct fwd_rx *rx)
{
	const uint64_t seg = m->ol_flags &
		(RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG);
	const uint64_t tun = m->ol_flags & RTE_MBUF_F_TX_TUNNEL_MASK;
	uint32_t stack, below_l3;

	fuzz_chain_check(m, UINT16_MAX);
	if (seg == 0) {
		/* Up to two VLAN tags in front of the MTU's bytes (a
		 * stripped tag goes back in as metadata, not bytes). */
		FUZZ_CHECK(m->pkt_len <= (uint32_t)rx->dst_mtu +
			RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN,
			"a %u-byte frame leaves an MTU-%u port", m->pkt_len,
			rx->dst_mtu);
		return;
	}
	FUZZ_CHECK(seg != (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG),
		"both TCP_SEG and UDP_SEG");
	FUZZ_CHECK(m->tso_segsz > 0, "superframe with MSS 0");
	stack = (uint32_t)m->l2_len + m->l3_len + m->l4_len;
	below_l3 = m->l2_len;
	if (tun != 0) {
		FUZZ_CHECK(tun == RTE_MBUF_F_TX_TUNNEL_VXLAN ||
			tun == RTE_MBUF_F_TX_TUNNEL_GENEVE ||
			tun == RTE_MBUF_F_TX_TUNNEL_GRE ||
			tun == RTE_MBUF_F_TX_TUNNEL_IPIP,
			"tunnel kind %#" PRIx64, tun);
		FUZZ_CHECK(!!(m->ol_flags & RTE_MBUF_F_TX_OUTER_IPV4) !=
			!!(m->ol_flags & RTE_MBUF_F_TX_OUTER_IPV6),
			"outer IP flags %#" PRIx64, m->ol_flags);
		FUZZ_CHECK(m->outer_l2_len > 0 && m->outer_l3_len > 0,
			"outer lengths %u/%u", m->outer_l2_len,
			m->outer_l3_len);
		stack += (uint32_t)m->outer_l2_len + m->outer_l3_len;
		below_l3 = m->outer_l2_len;
	}
	FUZZ_CHECK(stack < m->pkt_len, "header stack %u of a %u-byte frame",
		stack, m->pkt_len);
	/* Every segment, headers from the outer L3 on, fits the MTU. */
	FUZZ_CHECK(stack - below_l3 + m->tso_segsz <= rx->dst_mtu,
		"stack %u (L2 %u) + MSS %u over MTU %u", stack, below_l3,
		m->tso_segsz, rx->dst_mtu);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };
	struct fwd_counters cnt = { 0 };
	struct fuzz_layout layout;
	struct fuzz_frame frame = { frame_buf, 0 };
	struct rte_mbuf *m;
	struct fwd_rx rx;
	uint64_t rx_flags;
	uint16_t rx_mss;
	unsigned int n;

	config_decode(&in, &rx, &rx_flags, &rx_mss);
	fuzz_layout_decode(&in, &layout);
	fuzz_frame_decode(&in, &frame);
	if (frame.len == 0)
		return 0;
	m = fuzz_chain_build(rx_pool, &frame, &layout);
	if (m == NULL)
		return 0;
	m->ol_flags |= rx_flags;
	m->tso_segsz = rx_mss;

	n = prepare(&lc, &rx, m, out, FWD_OUT_MAX, &cnt);
	FUZZ_CHECK(n <= FWD_OUT_MAX, "%u outputs", n);
	for (unsigned int i = 0; i < n; i++) {
		/* Metadata from the port is passed on as it came. */
		if (!(rx_flags & RTE_MBUF_F_RX_LRO) || rx_mss == 0)
			output_check(out[i], &rx);
		else
			fuzz_chain_check(out[i], UINT16_MAX);
	}
	FUZZ_CHECK(n > 0 || cnt.malformed_dropped + cnt.bad_chain_dropped +
		cnt.oversize_dropped + cnt.udp_oversize_dropped +
		cnt.no_mbuf_dropped > 0, "a frame vanished uncounted");
	for (unsigned int i = 0; i < n; i++)
		rte_pktmbuf_free(out[i]);
	fuzz_pools_check();
	return 0;
}
