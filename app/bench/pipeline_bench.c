/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Pipeline benchmarks of gso-bench:
 *
 *   RESULT case=decide_<what> cycles=<TSC cycles per packet>
 *     the per-packet decision plus the hardware metadata, on a superframe
 *     (or plain packet) in cache, as a NIC port with TSO would see it;
 *
 *   RESULT case=pipeline_mixed_<n>lcore in_mpps_per_lcore=<x> wire_mpps_per_lcore=<y>
 *     32-packet bursts through gso_offload_tx_burst() to net_null: 24
 *     small UDP packets, 4 TCP/IPv4 superframes of 16000 bytes (to
 *     hardware: the port's provider declares LSO IPv4) and 4 TCP/IPv6 ones
 *     (to software); in = packets handed to the pipeline, wire = packets
 *     on the wire (a hardware superframe counts its 12 segments).
 */

#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "bench_pkt.h"
#include "gso_offload.h"
#include "gso_offload_private.h"
#include "gso_tx_private.h"
#include "pipeline_bench.h"

#define DECIDE_BATCH 32

/* A port as a NIC with TSO would publish it. */
static struct gso_port_fp
nic_port(void)
{
	return (struct gso_port_fp){
		.pairs = 0xfff, .max_offload_size = 65535, .min_segment_count = 2,
		.mss_min = 64, .mss_max = 9000, .max_segments = 65535,
		.max_frame = 262144, .nb_seg_max = 255, .nb_mtu_seg_max = 8,
		.mtu = 1500, .max_seg_data = UINT16_MAX, .hw_ip_cksum = 1,
		.hw_phdr = 1,
	};
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Median over reps of the TSC cycles per packet of decide (+ metadata). */
static double
decide_cycles(struct rte_mbuf **m, unsigned int n, bool meta, unsigned int reps)
{
	const struct gso_port_fp fp = nic_port();
	uint8_t buf[GSO_OFFLOAD_MAX_HDR_LEN];
	uint64_t samples[64];
	struct gso_tx_verdict v;
	struct gso_hdrs h;

	reps = RTE_MIN(reps, (unsigned int)RTE_DIM(samples));
	for (unsigned int r = 0; r < reps; r++) {
		uint64_t t0 = rte_rdtsc();

		for (int it = 0; it < 2000; it++)
			for (unsigned int i = 0; i < n; i++) {
				gso_tx_decide(&fp, m[i], buf, &h, &v);
				if (meta && v.action == GSO_TX_HW)
					gso_tx_hw_meta(m[i], &h, v.mss, &fp);
			}
		samples[r] = rte_rdtsc() - t0;
	}
	qsort(samples, reps, sizeof(samples[0]), cmp_u64);
	return (double)samples[reps / 2] / (2000.0 * n);
}

void
bench_decide(struct rte_mempool *sf_pool, const char *filter, unsigned int reps)
{
	struct rte_mbuf *tcp4[DECIDE_BATCH], *tcp6[DECIDE_BATCH];
	struct rte_mbuf *plain[DECIDE_BATCH];

	if (!bench_case_selected("decide_hw_tcp4 decide_hw_tcp6 decide_only_tcp4 decide_plain",
			filter))
		return;
	for (unsigned int i = 0; i < DECIDE_BATCH; i++) {
		tcp4[i] = bench_superframe(sf_pool, 4, IPPROTO_TCP, 64000, 1448, i);
		tcp6[i] = bench_superframe(sf_pool, 6, IPPROTO_TCP, 64000, 1428, i);
		plain[i] = rte_pktmbuf_alloc(sf_pool);
		if (tcp4[i] == NULL || tcp6[i] == NULL || plain[i] == NULL ||
				bench_small_frame(plain[i], 64) != 0) {
			fprintf(stderr, "cannot build packets\n");
			exit(1);
		}
	}
	/* Warm up first: the first case measured must not pay for cold
	 * caches, page faults and the CPU's clock ramp. */
	decide_cycles(tcp4, DECIDE_BATCH, true, reps);
	decide_cycles(tcp6, DECIDE_BATCH, true, reps);
	printf("RESULT case=decide_hw_tcp4 cycles=%.1f\n",
		decide_cycles(tcp4, DECIDE_BATCH, true, reps));
	printf("RESULT case=decide_hw_tcp6 cycles=%.1f\n",
		decide_cycles(tcp6, DECIDE_BATCH, true, reps));
	printf("RESULT case=decide_only_tcp4 cycles=%.1f\n",
		decide_cycles(tcp4, DECIDE_BATCH, false, reps));
	printf("RESULT case=decide_plain cycles=%.1f\n",
		decide_cycles(plain, DECIDE_BATCH, false, reps));
	rte_pktmbuf_free_bulk(tcp4, DECIDE_BATCH);
	rte_pktmbuf_free_bulk(tcp6, DECIDE_BATCH);
	rte_pktmbuf_free_bulk(plain, DECIDE_BATCH);
}

/* ---- The whole pipeline ---- */

static int
lso4_describe(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_caps *caps, struct gso_offload_port_limits *lim)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(info);
	/* As an IPv4-only TSO NIC (tap-like), so that IPv6 goes to software. */
	gso_offload_caps_init(caps, GSO_OFFLOAD_L3_IPV4_NO_OPTIONS |
			GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS,
			GSO_OFFLOAD_L4_TCP_NO_OPTIONS |
			GSO_OFFLOAD_L4_TCP_WITH_OPTIONS, 65535, 2, NULL, NULL);
	lim->flags = GSO_OFFLOAD_QUIRK_PHDR_CKSUM;
	return 0;
}

static const struct gso_offload_provider lso4_provider = {
	.name = "bench-lso4", .describe = lso4_describe,
};

#define MIX_SMALL 24
#define MIX_HW 4
#define MIX_SW 4
#define MIX_BURST (MIX_SMALL + MIX_HW + MIX_SW)
#define SF_PAYLOAD 16000

struct mix_worker {
	struct gso_offload_tx *tx;
	uint16_t port_id, queue;
	unsigned int ms;
	struct rte_mbuf *pkts[MIX_BURST];
	uint64_t in, wire, cycles;
};

static int
mix_loop(void *arg)
{
	struct mix_worker *w = arg;
	const unsigned int segs = (SF_PAYLOAD + 1447) / 1448;
	const uint64_t hz = rte_get_tsc_hz();
	uint64_t start = rte_rdtsc(), deadline = start + hz / 1000 * w->ms;
	uint64_t in = 0, wire = 0;

	do {
		for (int k = 0; k < 64; k++) {
			struct rte_mbuf *b[MIX_BURST];
			uint16_t done = 0;

			/* Each packet is kept for the next burst: one more
			 * reference than the pipeline and the PMD release. */
			for (unsigned int i = 0; i < MIX_BURST; i++) {
				rte_mbuf_refcnt_update(w->pkts[i], 1);
				b[i] = w->pkts[i];
			}
			while (done < MIX_BURST)
				done += gso_offload_tx_burst(w->tx, w->port_id,
					w->queue, b + done, MIX_BURST - done);
			in += MIX_BURST;
			wire += MIX_SMALL + (MIX_HW + MIX_SW) * segs;
		}
	} while (rte_rdtsc() < deadline);
	w->cycles = rte_rdtsc() - start;
	w->in = in;
	w->wire = wire;
	gso_offload_tx_offline(w->tx);
	return 0;
}

static void
mix_fill(struct mix_worker *w, struct rte_mempool *sf_pool,
		struct rte_mempool *small_pool)
{
	unsigned int i = 0;

	for (; i < MIX_SMALL; i++) {
		w->pkts[i] = rte_pktmbuf_alloc(small_pool);
		if (w->pkts[i] == NULL || bench_small_frame(w->pkts[i], 64) != 0)
			exit(1);
	}
	for (unsigned int k = 0; k < MIX_HW; k++, i++)
		w->pkts[i] = bench_superframe(sf_pool, 4, IPPROTO_TCP, SF_PAYLOAD,
				1448, k);
	for (unsigned int k = 0; k < MIX_SW; k++, i++)
		w->pkts[i] = bench_superframe(sf_pool, 6, IPPROTO_TCP, SF_PAYLOAD,
				1448, k);
	for (i = 0; i < MIX_BURST; i++)
		if (w->pkts[i] == NULL)
			exit(1);
}

void
bench_pipeline(struct rte_mempool *sf_pool, const char *filter,
		unsigned int reps, unsigned int ms)
{
	struct rte_mempool *small_pool, *seg_pool, *copy_pool, *rx_pool;
	struct rte_mempool *pools[2];
	struct gso_offload_port_setup setup;
	struct mix_worker w[2];
	uint16_t port_id;
	unsigned int worker_lcore = rte_get_next_lcore(-1, 1, 0);

	if (!bench_case_selected("pipeline_mixed_1lcore pipeline_mixed_2lcores",
			filter))
		return;
	small_pool = rte_pktmbuf_pool_create("mix_small", 4096, 256, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	rx_pool = rte_pktmbuf_pool_create("mix_rx", 1024, 0, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	seg_pool = gso_offload_seg_pool_create("mix_seg", 16384,
			GSO_OFFLOAD_MAX_HDR_LEN, rte_socket_id());
	copy_pool = gso_offload_seg_pool_create("mix_copy", 4096,
			RTE_MBUF_DEFAULT_DATAROOM, rte_socket_id());
	if (!small_pool || !rx_pool || !seg_pool || !copy_pool ||
			rte_vdev_init("net_null_bench", NULL) != 0 ||
			rte_eth_dev_get_port_by_name("net_null_bench", &port_id) != 0 ||
			gso_offload_port_set_provider(port_id, &lso4_provider) != 0) {
		fprintf(stderr, "cannot set up the pipeline benchmark\n");
		return;
	}
	pools[0] = pools[1] = rx_pool;
	setup = (struct gso_offload_port_setup){
		.nb_rx_queues = 2, .nb_tx_queues = 2, .nb_rx_desc = 128,
		.nb_tx_desc = 1024, .rx_pools = pools,
		.tx_socket_id = SOCKET_ID_ANY,
	};
	if (gso_offload_port_configure(port_id, &setup) != 0 ||
			gso_offload_port_start(port_id) != 0) {
		fprintf(stderr, "cannot start net_null\n");
		return;
	}
	for (int i = 0; i < 2; i++) {
		const struct gso_offload_tx_conf tc = { .seg_pool = seg_pool,
			.copy_pool = copy_pool, .socket_id = rte_socket_id() };

		memset(&w[i], 0, sizeof(w[i]));
		w[i].tx = gso_offload_tx_create(&tc);
		w[i].port_id = port_id;
		w[i].queue = (uint16_t)i;
		w[i].ms = ms;
		mix_fill(&w[i], sf_pool, small_pool);
	}

	for (int nl = 1; nl <= 2; nl++) {
		double in[64], wire[64];
		char name[32];

		snprintf(name, sizeof(name), "pipeline_mixed_%d%s", nl,
			nl == 1 ? "lcore" : "lcores");
		if (!bench_case_selected(name, filter))
			continue;
		if (nl == 2 && worker_lcore >= RTE_MAX_LCORE) {
			printf("# %s: needs a worker lcore (-l 0,1)\n", name);
			continue;
		}
		for (unsigned int r = 0; r < reps && r < 64; r++) {
			double sum_in = 0, sum_wire = 0;

			if (nl == 2)
				rte_eal_remote_launch(mix_loop, &w[1], worker_lcore);
			mix_loop(&w[0]);
			if (nl == 2)
				rte_eal_wait_lcore(worker_lcore);
			for (int i = 0; i < nl; i++) {
				double s = (double)w[i].cycles / rte_get_tsc_hz();

				sum_in += w[i].in / s / 1e6;
				sum_wire += w[i].wire / s / 1e6;
			}
			in[r] = sum_in / nl;
			wire[r] = sum_wire / nl;
		}
		qsort(in, RTE_MIN(reps, 64u), sizeof(double), bench_cmp_double);
		qsort(wire, RTE_MIN(reps, 64u), sizeof(double), bench_cmp_double);
		printf("RESULT case=%s in_mpps_per_lcore=%.2f wire_mpps_per_lcore=%.2f\n",
			name, in[RTE_MIN(reps, 64u) / 2], wire[RTE_MIN(reps, 64u) / 2]);
		fflush(stdout);
	}

	for (int i = 0; i < 2; i++) {
		rte_pktmbuf_free_bulk(w[i].pkts, MIX_BURST);
		gso_offload_tx_free(w[i].tx);
	}
	gso_offload_port_stop(port_id);
	gso_offload_port_release(port_id);
	rte_eth_dev_close(port_id);
}
