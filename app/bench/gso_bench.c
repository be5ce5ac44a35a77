/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * gso-bench: our segmentation engine and DPDK's rte_gso side by side, in
 * one process, on the same superframes.
 *
 *   gso-bench [EAL args] -- [--reps N] [--ms MS] [--case SUBSTRING]
 *                           [--only ours|rte_gso]   (for profiling)
 *                           [--buffers auto|zerocopy|copy]
 *                           [--rte-gso-pools testpmd|ours] [--mss MSS]
 *                           [--floor] [--consume] [--fresh]
 *                           [--flows N] [--no-flow-cache]
 *
 * Each case segments batches of B superframes, then frees all the output
 * (as a PMD would after transmission), for MS milliseconds per repetition;
 * the two implementations alternate across N repetitions and the median of
 * each is reported as output segments per second:
 *
 *   RESULT case=<name> ours_mpps=<x> rte_gso_mpps=<y> ratio=<x/y>
 *
 * With --floor, the TCP/IPv4 cases also time the floors, the least any
 * engine must do with zero-copy and with copied segments, and print the
 * ratio the better of the two bounds:
 *
 *   FLOOR case=<name> floor_mpps=<x> rte_gso_mpps=<y> ratio=<x/y>
 *         zerocopy_mpps=<a> copy_mpps=<b>       (x = max(a, b); one line)
 *
 * then the pipeline's own cases (pipeline_bench.c): decide_* and
 * pipeline_mixed_* (give the EAL two lcores, -l 0,1, for the second).
 *
 * "hwck" cases leave checksums to the port: ours sets the offload flags and
 * the pseudo-header, rte_gso's output is taken as is (it writes none).
 * "swck" cases compute them: ours in the engine, rte_gso's output then goes
 * through DPDK's own rte_ipv4_cksum() and rte_ipv4_udptcp_cksum_mbuf() per
 * segment. IPv6 and UDP cases run on our engine alone (rte_gso has no TCP
 * over IPv6 and no UDP segmentation): rte_gso_mpps=na ratio=na; each is
 * alternated with the TCP/IPv4 case of the same size, batch and checksum
 * handling, and a second line compares the two:
 *
 *   RELATIVE case=<name> ours_mpps=<x> tcp4_mpps=<y> ratio=<x/y>
 *
 * Tunnels: the same inner flows inside an encapsulation. VXLAN/TCP4 and
 * GRE/TCP4 (outer IPv4; VXLAN's outer UDP checksum 0, GRE without C/K/S
 * bits and inner IPv4, as Linux's vxlan and gre devices send by default)
 * against rte_gso (RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO / GRE_TNL_TSO), at the
 * TCP/IPv4 cases' sizes and batches; GENEVE/TCP6 (with one 8-byte option)
 * and VXLAN/UDP6, both over outer IPv6 with an outer UDP checksum, on our
 * engine alone (rte_gso_mpps=na ratio=na). The inner MSS is what a
 * 1500-byte underlay MTU leaves (VXLAN/TCP4 1410, GRE/TCP4 1436,
 * GENEVE/TCP6 1362, VXLAN/UDP6 1382). Each tunnel case is alternated with
 * the same inner flow without the tunnel (same payload, MSS, batch and
 * checksum handling: the same segment count), and a line compares the two:
 *
 *   TUNNEL case=<name> ours_mpps=<x> plain_mpps=<y> ratio=<x/y>
 *
 * hwck leaves the outer IPv4 and outer UDP checksums to the port too
 * (GSO_OFFLOAD_CKSUM_OUTER_IP_HW / OUTER_UDP_HW); swck computes them, and
 * rte_gso's segments then get rte_ipv4_cksum() on both IPv4 headers and
 * rte_ipv4_udptcp_cksum_mbuf() on the inner TCP.
 *
 * Before a case is timed, each implementation segments its batch once and
 * must make the expected number of segments; if not (our engine without
 * tunnel support answers -EPROTONOSUPPORT), the case prints
 *
 *   ERROR case=<name> impl=<ours|rte_gso> <what went wrong>
 *
 * instead of its lines, the other cases still run, and gso-bench exits 1.
 * --case S selects the cases whose name contains S, or with ^S, the cases
 * whose name begins with S (^tcp4_: the plain TCP/IPv4 cases without the
 * tunnel ones, whose names contain "tcp4_" too); S1,S2 either
 * (^vxlan_,^gre_,^geneve_: every tunnel case). A case's whole name
 * selects that case alone.
 *
 * Each implementation runs as it is meant to be deployed: ours on the
 * pools gso_offload_seg_pool_create() makes (one LIFO pool for header and
 * reference mbufs, one for flat segments), rte_gso as testpmd sets it up
 * (one pktmbuf pool of 2 KB mbufs, FIFO, cache 250, for both its direct
 * and indirect mbufs). --rte-gso-pools ours gives rte_gso our header
 * pool for both instead, to show what the pools alone are worth.
 *
 * The superframes are built once and segmented again and again, so
 * neither pays for building them. Both run under the same ownership
 * contract: the caller keeps the superframe (rte_gso_segment()'s since
 * DPDK 21.02; ours with keep_input). --consume has ours consume it
 * instead, the bench taking a reference before each call to keep it: the
 * engine's reference update then meets a count of 2 and is atomic.
 * --fresh hands each implementation a fresh superframe per call instead,
 * as a forwarder hands over the superframes it receives: a new mbuf of
 * the superframe pool with the batch's headers and lengths (its payload
 * is whatever bytes that mbuf holds); ours consumes it (it becomes the
 * first segment, docs/segmentation.md), rte_gso's caller frees it after
 * the call, as testpmd's csum engine does. Both pay the same allocation
 * and header copy per superframe.
 *
 * A batch's superframes are consecutive ones of one flow (sequence numbers
 * apart), as a TCP sender's bursts are, so our engine reuses its plan from
 * one to the next (GSO_OFFLOAD_SEG_F_NO_FLOW_CACHE). --flows N makes
 * superframe b of a batch one of flow b % N (source port 40000 + b % N):
 * with N = B every superframe follows one of another flow, the
 * interleaved flows of a switch. --no-flow-cache plans every superframe
 * afresh (and is the only way to see that at batch 1).
 */

#include <getopt.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_gso.h>
#include <rte_ip.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>

#include "gso_cksum.h"
#include "gso_offload.h"
#include "bench_pkt.h"
#include "pipeline_bench.h"

#define MAX_BATCH 32
#define MAX_SEGS  512       /* per superframe: 64000 B at an MSS of 128 */
#define MAX_REPS  31
#define POOL_CACHE 250      /* testpmd's default mempool cache */

struct bench_case {
	const char *name;
	int l3;                 /* 4 or 6 */
	int l4;                 /* IPPROTO_TCP / IPPROTO_UDP */
	uint32_t payload;
	uint16_t mss;
	unsigned int batch;
	bool sw_cksum;
	bool vs_rte_gso;
	int tun;                /* enum bench_tun; BENCH_TUN_NONE: plain */
	int outer_l3;           /* tunnels: 4 or 6 */
};

static struct rte_mempool *sf_pool, *seg_pool, *copy_pool, *testpmd_pool;
static struct gso_offload_seg_ctx *engine;
static struct rte_gso_ctx gso_ctx;
static struct rte_mbuf *out[MAX_BATCH * MAX_SEGS];
static int only;        /* 0 both, 1 ours, 2 rte_gso */
static uint8_t buffers = GSO_OFFLOAD_BUF_AUTO;
static uint16_t mss_override;
static bool with_floor;
static bool consume;    /* ours consumes the superframe (--consume) */
static bool fresh;      /* a new superframe per call (--fresh) */
static unsigned int nb_flows = 1;       /* --flows */
static bool failed;     /* a case could not run: exit 1 */

/* The checksum handling of a case: all offloaded (hwck), or none. */
static uint8_t
cksum_of(const struct bench_case *c)
{
	if (c->sw_cksum)
		return 0;
	return GSO_OFFLOAD_CKSUM_IP_HW | GSO_OFFLOAD_CKSUM_L4_HW |
		GSO_OFFLOAD_CKSUM_L4_PHDR | (c->tun != BENCH_TUN_NONE ?
			GSO_OFFLOAD_CKSUM_OUTER_IP_HW |
			GSO_OFFLOAD_CKSUM_OUTER_UDP_HW : 0);
}

/* The offload flags rte_gso needs on a superframe of c (it clears
 * TCP_SEG on its input: they are put back before every call). */
static uint64_t
rte_gso_flags(const struct bench_case *c)
{
	uint64_t f = RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IPV4 |
		RTE_MBUF_F_TX_IP_CKSUM;

	if (c->tun == BENCH_TUN_NONE)
		return f;
	return f | RTE_MBUF_F_TX_OUTER_IPV4 | RTE_MBUF_F_TX_OUTER_IP_CKSUM |
		(c->tun == BENCH_TUN_VXLAN ? RTE_MBUF_F_TX_TUNNEL_VXLAN :
			RTE_MBUF_F_TX_TUNNEL_GRE);
}

static uint32_t
hdr_len_of(const struct bench_case *c)
{
	return bench_tun_hdr_len(c->tun, c->outer_l3, c->l3, c->l4);
}

/* --fresh: a new superframe like t (one mbuf), its headers copied, its
 * payload the bytes its buffer holds. */
static struct rte_mbuf *
fresh_sf(const struct rte_mbuf *t, const struct bench_case *c)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(sf_pool);

	if (m == NULL) {
		fprintf(stderr, "fresh: out of superframes\n");
		exit(1);
	}
	rte_memcpy(rte_pktmbuf_mtod(m, void *),
		rte_pktmbuf_mtod(t, const void *), hdr_len_of(c));
	m->data_len = t->data_len;
	m->pkt_len = t->pkt_len;
	m->ol_flags = t->ol_flags;
	m->tx_offload = t->tx_offload;
	m->vlan_tci = t->vlan_tci;
	m->vlan_tci_outer = t->vlan_tci_outer;
	return m;
}

/* Segment the batch once with our engine; returns segments made. */
static unsigned int
run_ours(struct rte_mbuf **sf, const struct bench_case *c)
{
	const struct gso_offload_seg_params prm = {
		.mss = c->mss,
		.proto = c->l4 == IPPROTO_TCP ? GSO_OFFLOAD_SEG_TCP :
			GSO_OFFLOAD_SEG_UDP,
		.cksum = cksum_of(c),
		.buffers = buffers,
		.keep_input = !consume && !fresh,
	};
	unsigned int n = 0;

	for (unsigned int b = 0; b < c->batch; b++) {
		struct rte_mbuf *m = fresh ? fresh_sf(sf[b], c) : sf[b];
		int r;

		if (consume && !fresh)  /* the engine's to drop: keep one */
			rte_mbuf_refcnt_update(m, 1);
		r = gso_offload_segment(engine, m, &prm, out + n,
				RTE_DIM(out) - n);
		if (r < 0) {
			fprintf(stderr, "segment: %s\n", gso_offload_seg_strerror(r));
			exit(1);
		}
		n += r;
	}
	rte_pktmbuf_free_bulk(out, n);
	return n;
}

/* The same with rte_gso (and DPDK's checksum helpers for swck). */
static unsigned int
run_rte_gso(struct rte_mbuf **sf, const struct bench_case *c)
{
	const uint64_t flags = rte_gso_flags(c);
	/* Where the (inner) IPv4 header is: rte_gso's segments carry the
	 * superframe's lengths, but the case says it for certain. */
	const uint32_t ip_off = c->tun == BENCH_TUN_NONE ? RTE_ETHER_HDR_LEN :
		bench_tun_outer_len(c->tun, c->outer_l3);
	unsigned int n = 0;

	for (unsigned int b = 0; b < c->batch; b++) {
		struct rte_mbuf *m = fresh ? fresh_sf(sf[b], c) : sf[b];
		int r;

		m->ol_flags = flags;
		r = rte_gso_segment(m, &gso_ctx, out + n, RTE_DIM(out) - n);
		if (r <= 0) {
			fprintf(stderr, "rte_gso_segment: %d\n", r);
			exit(1);
		}
		/* Its segments hold references of their own. */
		if (fresh)
			rte_pktmbuf_free(m);
		if (c->sw_cksum)
			for (int i = 0; i < r; i++) {
				struct rte_mbuf *s = out[n + i];
				struct rte_ipv4_hdr *ip = rte_pktmbuf_mtod_offset(s,
					struct rte_ipv4_hdr *, ip_off);
				struct rte_tcp_hdr *th = (void *)(ip + 1);

				if (c->tun != BENCH_TUN_NONE) {
					struct rte_ipv4_hdr *oip =
						rte_pktmbuf_mtod_offset(s,
						struct rte_ipv4_hdr *,
						RTE_ETHER_HDR_LEN);

					oip->hdr_checksum = 0;
					oip->hdr_checksum = rte_ipv4_cksum(oip);
				}
				ip->hdr_checksum = 0;
				ip->hdr_checksum = rte_ipv4_cksum(ip);
				th->cksum = 0;
				th->cksum = rte_ipv4_udptcp_cksum_mbuf(s, ip,
					ip_off + sizeof(*ip));
			}
		n += r;
	}
	rte_pktmbuf_free_bulk(out, n);
	return n;
}

/*
 * The floors (--floor): the least an engine must do on our pools, in each
 * of the two ways of building segments, with only what
 * rte_pktmbuf_free_bulk() needs to free them correctly. No parse, no
 * validation, no lengths, sequence numbers, flags, header checksums or
 * metadata. A real engine does all that on top, so the better floor's
 * rate over rte_gso's bounds the ratio any engine can reach in that case.
 * In swck cases each floor also sums each segment's payload, as the L4
 * checksum must, with the engine's own kernels (gso_cksum.h).
 */
static volatile uint32_t floor_sink;    /* keeps the floors' sums alive */

/* Zero-copy: per segment a header mbuf holding a copy of the superframe's
 * headers, chained to a reference mbuf attached to the superframe. */
static unsigned int
run_floor_zerocopy(struct rte_mbuf **sf, const struct bench_case *c)
{
	static struct rte_mbuf *m[2 * MAX_SEGS];
	const uint32_t hdr = bench_hdr_len(c->l3, c->l4);
	unsigned int n = 0;
	uint32_t sum = 0;

	for (unsigned int b = 0; b < c->batch; b++) {
		struct rte_mbuf *src = sf[b];
		const char *hdr_src = rte_pktmbuf_mtod(src, const char *);
		uint32_t pay = src->pkt_len - hdr;
		uint32_t k = (pay + c->mss - 1) / c->mss;

		if (rte_mempool_get_bulk(seg_pool, (void **)m, 2 * k) != 0) {
			fprintf(stderr, "floor: out of mbufs\n");
			exit(1);
		}
		for (uint32_t i = 0; i < k; i++) {
			struct rte_mbuf *h = m[i], *r = m[k + i];

			memcpy(rte_pktmbuf_mtod(h, char *), hdr_src, hdr);
			h->next = r;
			h->nb_segs = 2;
			r->ol_flags = RTE_MBUF_F_INDIRECT;
			r->priv_size = src->priv_size;
			r->buf_addr = src->buf_addr;
			rte_mbuf_iova_set(r, rte_mbuf_iova_get(src));
			r->buf_len = src->buf_len;
			if (c->sw_cksum)
				sum += gso_cksum_partial(hdr_src + hdr +
					i * c->mss, RTE_MIN(c->mss,
					pay - i * c->mss), 0);
			out[n + i] = h;
		}
		/* References for the segments (and keep it for next time). */
		rte_mbuf_refcnt_update(src, (int16_t)k);
		n += k;
	}
	floor_sink = sum;
	rte_pktmbuf_free_bulk(out, n);
	return n;
}

/* Copy: per segment one flat mbuf holding the headers and a copy of its
 * payload (copied and summed in one pass in swck cases), the payload on a
 * cache line where the room allows, as ours places it. */
static unsigned int
run_floor_copy(struct rte_mbuf **sf, const struct bench_case *c)
{
	const uint32_t hdr = bench_hdr_len(c->l3, c->l4);
	const uint32_t room = rte_pktmbuf_data_room_size(copy_pool) -
		RTE_PKTMBUF_HEADROOM;
	unsigned int n = 0;
	uint32_t sum = 0;

	for (unsigned int b = 0; b < c->batch; b++) {
		const char *hdr_src = rte_pktmbuf_mtod(sf[b], const char *);
		uint32_t pay = sf[b]->pkt_len - hdr;
		uint32_t k = (pay + c->mss - 1) / c->mss;

		if (rte_mempool_get_bulk(copy_pool, (void **)(out + n), k) != 0) {
			fprintf(stderr, "floor: out of mbufs\n");
			exit(1);
		}
		for (uint32_t i = 0; i < k; i++) {
			char *d = rte_pktmbuf_mtod(out[n + i], char *);
			const char *p = hdr_src + hdr + i * c->mss;
			uint32_t len = RTE_MIN(c->mss, pay - i * c->mss);
			uint32_t pad = (uint32_t)-(uintptr_t)(d + hdr) &
				(RTE_CACHE_LINE_SIZE - 1);

			if (hdr + len + pad <= room)
				d += pad;

			memcpy(d, hdr_src, hdr);
			if (c->sw_cksum)
				sum += gso_cksum_copy(d + hdr, p, len, 0);
			else
				memcpy(d + hdr, p, len);
		}
		n += k;
	}
	floor_sink = sum;
	rte_pktmbuf_free_bulk(out, n);
	return n;
}

/* Mpps of one repetition of ms milliseconds. */
static double
measure(unsigned int (*fn)(struct rte_mbuf **, const struct bench_case *),
		struct rte_mbuf **sf, const struct bench_case *c, unsigned int ms)
{
	uint64_t hz = rte_get_tsc_hz(), start, stop, deadline, segs = 0;

	for (int w = 0; w < 50; w++)            /* warm caches and pools */
		fn(sf, c);
	start = rte_rdtsc();
	deadline = start + hz / 1000 * ms;
	do {
		for (int k = 0; k < 16; k++)
			segs += fn(sf, c);
		stop = rte_rdtsc();
	} while (stop < deadline);
	return segs / ((double)(stop - start) / hz) / 1e6;
}

int
bench_cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static double
median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), bench_cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
build_batch(struct rte_mbuf **sf, const struct bench_case *c)
{
	for (unsigned int b = 0; b < c->batch; b++) {
		sf[b] = bench_tun_superframe(sf_pool, c->tun, c->outer_l3, c->l3,
				c->l4, c->payload, c->mss, b);
		if (sf[b] == NULL) {
			fprintf(stderr, "cannot build superframe\n");
			exit(1);
		}
		bench_tun_set_flow(sf[b], c->tun, c->outer_l3, c->l3, c->l4,
			b % nb_flows);
	}
}

/*
 * Before timing: each implementation segments the batch once and must
 * make the segments the case expects. An error (ours without tunnel
 * support: -EPROTONOSUPPORT; rte_gso's 0 for a type it cannot do) prints
 * an ERROR line and the case is skipped; gso-bench then exits 1.
 */
static bool
preflight(struct rte_mbuf **sf, const struct bench_case *c, bool theirs)
{
	const unsigned int want = c->batch *
		((c->payload + c->mss - 1) / c->mss);
	unsigned int n = 0;

	if (!theirs) {
		const struct gso_offload_seg_params prm = {
			.mss = c->mss,
			.proto = c->l4 == IPPROTO_TCP ? GSO_OFFLOAD_SEG_TCP :
				GSO_OFFLOAD_SEG_UDP,
			.cksum = cksum_of(c), .buffers = buffers,
			.keep_input = 1,
		};

		for (unsigned int b = 0; b < c->batch; b++) {
			int r = gso_offload_segment(engine, sf[b], &prm, out + n,
					RTE_DIM(out) - n);

			if (r < 0) {
				rte_pktmbuf_free_bulk(out, n);
				printf("ERROR case=%s impl=ours %s (%d)\n", c->name,
					gso_offload_seg_strerror(r), r);
				return false;
			}
			n += r;
		}
	} else {
		for (unsigned int b = 0; b < c->batch; b++) {
			int r;

			sf[b]->ol_flags = rte_gso_flags(c);
			r = rte_gso_segment(sf[b], &gso_ctx, out + n,
					RTE_DIM(out) - n);
			if (r <= 0) {
				rte_pktmbuf_free_bulk(out, n);
				printf("ERROR case=%s impl=rte_gso rte_gso_segment() returned %d\n",
					c->name, r);
				return false;
			}
			n += r;
		}
	}
	rte_pktmbuf_free_bulk(out, n);
	if (n != want)
		printf("ERROR case=%s impl=%s %u segments, not %u\n", c->name,
			theirs ? "rte_gso" : "ours", n, want);
	return n == want;
}

static void
run_case(const struct bench_case *c, unsigned int reps, unsigned int ms)
{
	double ours[MAX_REPS], theirs[MAX_REPS], plain[MAX_REPS];
	double floor_zc[MAX_REPS], floor_copy[MAX_REPS];
	struct rte_mbuf *sf[MAX_BATCH], *ref_sf[MAX_BATCH];
	struct bench_case cc = *c, ref;
	const bool tun = c->tun != BENCH_TUN_NONE;
	/* A second contender of ours: the TCP/IPv4 counterpart of an IPv6
	 * or UDP case; the same inner flow without the tunnel. */
	const bool with_ref = tun || !c->vs_rte_gso;
	const bool with_floors = with_floor && c->vs_rte_gso && !tun;
	bool copy_fits, ok;

	if (mss_override != 0) {
		cc.mss = mss_override;
		c = &cc;
	}
	ref = *c;
	ref.tun = BENCH_TUN_NONE;
	if (!tun) {
		ref.l3 = 4;
		ref.l4 = IPPROTO_TCP;
		ref.mss = mss_override != 0 ? mss_override : 1448;
	}

	/* A flat segment (the copy floor) must fit a copy-pool mbuf. */
	copy_fits = bench_hdr_len(c->l3, c->l4) + c->mss <=
		(uint32_t)rte_pktmbuf_data_room_size(copy_pool) - RTE_PKTMBUF_HEADROOM;
	build_batch(sf, c);
	if (with_ref)
		build_batch(ref_sf, &ref);
	gso_ctx.gso_size = (uint16_t)(c->mss + hdr_len_of(c));

	ok = (only == 2 || preflight(sf, c, false)) &&
		(!c->vs_rte_gso || only == 1 || preflight(sf, c, true)) &&
		(!with_ref || only == 2 || preflight(ref_sf, &ref, false));
	if (!ok) {
		failed = true;
		goto out;
	}

	/* Alternate so that drift and noise hit all alike. */
	for (unsigned int r = 0; r < reps; r++) {
		ours[r] = only == 2 ? 0 : measure(run_ours, sf, c, ms);
		if (with_floors) {
			floor_zc[r] = measure(run_floor_zerocopy, sf, c, ms);
			floor_copy[r] = copy_fits ?
				measure(run_floor_copy, sf, c, ms) : 0;
		}
		if (c->vs_rte_gso)
			theirs[r] = only != 1 ? measure(run_rte_gso, sf, c, ms) : 1;
		if (with_ref)
			plain[r] = only == 2 ? 1 : measure(run_ours, ref_sf, &ref, ms);
	}
	if (c->vs_rte_gso) {
		double x = median(ours, reps), y = median(theirs, reps);

		printf("RESULT case=%s ours_mpps=%.2f rte_gso_mpps=%.2f ratio=%.2f\n",
			c->name, x, y, x / y);
		if (with_floors) {
			double zc = median(floor_zc, reps);
			double cp = median(floor_copy, reps);
			double f = RTE_MAX(zc, cp);
			char cps[32] = "na";

			if (copy_fits)
				snprintf(cps, sizeof(cps), "%.2f", cp);
			printf("FLOOR case=%s floor_mpps=%.2f rte_gso_mpps=%.2f ratio=%.2f zerocopy_mpps=%.2f copy_mpps=%s\n",
				c->name, f, y, f / y, zc, cps);
		}
	} else {
		printf("RESULT case=%s ours_mpps=%.2f rte_gso_mpps=na ratio=na\n",
			c->name, median(ours, reps));
	}
	if (with_ref) {
		double x = median(ours, reps), y = median(plain, reps);

		printf("%s case=%s ours_mpps=%.2f %s_mpps=%.2f ratio=%.2f\n",
			tun ? "TUNNEL" : "RELATIVE", c->name, x,
			tun ? "plain" : "tcp4", y, x / y);
	}
out:
	fflush(stdout);
	if (with_ref)
		for (unsigned int b = 0; b < c->batch; b++)
			rte_pktmbuf_free(ref_sf[b]);
	for (unsigned int b = 0; b < c->batch; b++)
		rte_pktmbuf_free(sf[b]);
}

#define PLAIN BENCH_TUN_NONE, 0
static const struct bench_case cases[] = {
	{ "tcp4_64000_b1_hwck",  4, IPPROTO_TCP, 64000, 1448, 1, false, true, PLAIN },
	{ "tcp4_64000_b8_hwck",  4, IPPROTO_TCP, 64000, 1448, 8, false, true, PLAIN },
	{ "tcp4_64000_b32_hwck", 4, IPPROTO_TCP, 64000, 1448, 32, false, true, PLAIN },
	{ "tcp4_16000_b1_hwck",  4, IPPROTO_TCP, 16000, 1448, 1, false, true, PLAIN },
	{ "tcp4_16000_b8_hwck",  4, IPPROTO_TCP, 16000, 1448, 8, false, true, PLAIN },
	{ "tcp4_16000_b32_hwck", 4, IPPROTO_TCP, 16000, 1448, 32, false, true, PLAIN },
	{ "tcp4_4000_b1_hwck",   4, IPPROTO_TCP, 4000, 1448, 1, false, true, PLAIN },
	{ "tcp4_4000_b8_hwck",   4, IPPROTO_TCP, 4000, 1448, 8, false, true, PLAIN },
	{ "tcp4_4000_b32_hwck",  4, IPPROTO_TCP, 4000, 1448, 32, false, true, PLAIN },
	{ "tcp4_64000_b1_swck",  4, IPPROTO_TCP, 64000, 1448, 1, true, true, PLAIN },
	{ "tcp4_64000_b8_swck",  4, IPPROTO_TCP, 64000, 1448, 8, true, true, PLAIN },
	{ "tcp4_64000_b32_swck", 4, IPPROTO_TCP, 64000, 1448, 32, true, true, PLAIN },
	{ "tcp4_16000_b1_swck",  4, IPPROTO_TCP, 16000, 1448, 1, true, true, PLAIN },
	{ "tcp4_16000_b8_swck",  4, IPPROTO_TCP, 16000, 1448, 8, true, true, PLAIN },
	{ "tcp4_16000_b32_swck", 4, IPPROTO_TCP, 16000, 1448, 32, true, true, PLAIN },
	{ "tcp4_4000_b1_swck",   4, IPPROTO_TCP, 4000, 1448, 1, true, true, PLAIN },
	{ "tcp4_4000_b8_swck",   4, IPPROTO_TCP, 4000, 1448, 8, true, true, PLAIN },
	{ "tcp4_4000_b32_swck",  4, IPPROTO_TCP, 4000, 1448, 32, true, true, PLAIN },
	{ "tcp6_64000_b1_hwck",  6, IPPROTO_TCP, 64000, 1428, 1, false, false, PLAIN },
	{ "tcp6_64000_b32_hwck", 6, IPPROTO_TCP, 64000, 1428, 32, false, false, PLAIN },
	{ "udp4_64000_b1_hwck",  4, IPPROTO_UDP, 64000, 1472, 1, false, false, PLAIN },
	{ "udp4_64000_b32_hwck", 4, IPPROTO_UDP, 64000, 1472, 32, false, false, PLAIN },
	{ "udp6_64000_b1_hwck",  6, IPPROTO_UDP, 64000, 1452, 1, false, false, PLAIN },
	{ "udp6_64000_b32_hwck", 6, IPPROTO_UDP, 64000, 1452, 32, false, false, PLAIN },
	{ "tcp6_64000_b1_swck",  6, IPPROTO_TCP, 64000, 1428, 1, true, false, PLAIN },
	{ "udp4_64000_b1_swck",  4, IPPROTO_UDP, 64000, 1472, 1, true, false, PLAIN },
	{ "udp6_64000_b1_swck",  6, IPPROTO_UDP, 64000, 1452, 1, true, false, PLAIN },
#define VXLAN4 BENCH_TUN_VXLAN, 4
#define GRE4   BENCH_TUN_GRE, 4
	/* Tunnels; the inner MSS a 1500-byte underlay MTU leaves. */
	{ "vxlan_tcp4_64000_b1_hwck",  4, IPPROTO_TCP, 64000, 1410, 1, false, true, VXLAN4 },
	{ "vxlan_tcp4_64000_b8_hwck",  4, IPPROTO_TCP, 64000, 1410, 8, false, true, VXLAN4 },
	{ "vxlan_tcp4_64000_b32_hwck", 4, IPPROTO_TCP, 64000, 1410, 32, false, true, VXLAN4 },
	{ "vxlan_tcp4_16000_b1_hwck",  4, IPPROTO_TCP, 16000, 1410, 1, false, true, VXLAN4 },
	{ "vxlan_tcp4_16000_b8_hwck",  4, IPPROTO_TCP, 16000, 1410, 8, false, true, VXLAN4 },
	{ "vxlan_tcp4_16000_b32_hwck", 4, IPPROTO_TCP, 16000, 1410, 32, false, true, VXLAN4 },
	{ "vxlan_tcp4_4000_b1_hwck",   4, IPPROTO_TCP, 4000, 1410, 1, false, true, VXLAN4 },
	{ "vxlan_tcp4_4000_b8_hwck",   4, IPPROTO_TCP, 4000, 1410, 8, false, true, VXLAN4 },
	{ "vxlan_tcp4_4000_b32_hwck",  4, IPPROTO_TCP, 4000, 1410, 32, false, true, VXLAN4 },
	{ "vxlan_tcp4_64000_b1_swck",  4, IPPROTO_TCP, 64000, 1410, 1, true, true, VXLAN4 },
	{ "vxlan_tcp4_64000_b8_swck",  4, IPPROTO_TCP, 64000, 1410, 8, true, true, VXLAN4 },
	{ "vxlan_tcp4_64000_b32_swck", 4, IPPROTO_TCP, 64000, 1410, 32, true, true, VXLAN4 },
	{ "vxlan_tcp4_16000_b1_swck",  4, IPPROTO_TCP, 16000, 1410, 1, true, true, VXLAN4 },
	{ "vxlan_tcp4_16000_b8_swck",  4, IPPROTO_TCP, 16000, 1410, 8, true, true, VXLAN4 },
	{ "vxlan_tcp4_16000_b32_swck", 4, IPPROTO_TCP, 16000, 1410, 32, true, true, VXLAN4 },
	{ "vxlan_tcp4_4000_b1_swck",   4, IPPROTO_TCP, 4000, 1410, 1, true, true, VXLAN4 },
	{ "vxlan_tcp4_4000_b8_swck",   4, IPPROTO_TCP, 4000, 1410, 8, true, true, VXLAN4 },
	{ "vxlan_tcp4_4000_b32_swck",  4, IPPROTO_TCP, 4000, 1410, 32, true, true, VXLAN4 },
	{ "gre_tcp4_64000_b1_hwck",    4, IPPROTO_TCP, 64000, 1436, 1, false, true, GRE4 },
	{ "gre_tcp4_64000_b8_hwck",    4, IPPROTO_TCP, 64000, 1436, 8, false, true, GRE4 },
	{ "gre_tcp4_64000_b32_hwck",   4, IPPROTO_TCP, 64000, 1436, 32, false, true, GRE4 },
	{ "gre_tcp4_16000_b1_hwck",    4, IPPROTO_TCP, 16000, 1436, 1, false, true, GRE4 },
	{ "gre_tcp4_16000_b8_hwck",    4, IPPROTO_TCP, 16000, 1436, 8, false, true, GRE4 },
	{ "gre_tcp4_16000_b32_hwck",   4, IPPROTO_TCP, 16000, 1436, 32, false, true, GRE4 },
	{ "gre_tcp4_4000_b1_hwck",     4, IPPROTO_TCP, 4000, 1436, 1, false, true, GRE4 },
	{ "gre_tcp4_4000_b8_hwck",     4, IPPROTO_TCP, 4000, 1436, 8, false, true, GRE4 },
	{ "gre_tcp4_4000_b32_hwck",    4, IPPROTO_TCP, 4000, 1436, 32, false, true, GRE4 },
	{ "gre_tcp4_64000_b1_swck",    4, IPPROTO_TCP, 64000, 1436, 1, true, true, GRE4 },
	{ "gre_tcp4_64000_b8_swck",    4, IPPROTO_TCP, 64000, 1436, 8, true, true, GRE4 },
	{ "gre_tcp4_64000_b32_swck",   4, IPPROTO_TCP, 64000, 1436, 32, true, true, GRE4 },
	{ "gre_tcp4_16000_b1_swck",    4, IPPROTO_TCP, 16000, 1436, 1, true, true, GRE4 },
	{ "gre_tcp4_16000_b8_swck",    4, IPPROTO_TCP, 16000, 1436, 8, true, true, GRE4 },
	{ "gre_tcp4_16000_b32_swck",   4, IPPROTO_TCP, 16000, 1436, 32, true, true, GRE4 },
	{ "gre_tcp4_4000_b1_swck",     4, IPPROTO_TCP, 4000, 1436, 1, true, true, GRE4 },
	{ "gre_tcp4_4000_b8_swck",     4, IPPROTO_TCP, 4000, 1436, 8, true, true, GRE4 },
	{ "gre_tcp4_4000_b32_swck",    4, IPPROTO_TCP, 4000, 1436, 32, true, true, GRE4 },
	/* Ours alone (rte_gso: no IPv6, no Geneve, no real USO). */
	{ "geneve_tcp6_64000_b1_hwck",  6, IPPROTO_TCP, 64000, 1362, 1, false, false, BENCH_TUN_GENEVE, 6 },
	{ "geneve_tcp6_64000_b32_hwck", 6, IPPROTO_TCP, 64000, 1362, 32, false, false, BENCH_TUN_GENEVE, 6 },
	{ "geneve_tcp6_64000_b1_swck",  6, IPPROTO_TCP, 64000, 1362, 1, true, false, BENCH_TUN_GENEVE, 6 },
	{ "vxlan_udp6_64000_b1_hwck",   6, IPPROTO_UDP, 64000, 1382, 1, false, false, BENCH_TUN_VXLAN, 6 },
	{ "vxlan_udp6_64000_b32_hwck",  6, IPPROTO_UDP, 64000, 1382, 32, false, false, BENCH_TUN_VXLAN, 6 },
	{ "vxlan_udp6_64000_b1_swck",   6, IPPROTO_UDP, 64000, 1382, 1, true, false, BENCH_TUN_VXLAN, 6 },
#undef PLAIN
#undef VXLAN4
#undef GRE4
};

/* Whether one alternative of --case (len bytes at f) selects a name of
 * names. */
static bool
alt_selects(const char *names, const char *f, size_t len)
{
	bool anchored = len > 0 && f[0] == '^';
	const char *n = names;

	if (anchored) {
		f++;
		len--;
	}
	while (*n != '\0') {
		size_t nlen = strcspn(n, " ");

		if (anchored ? nlen >= len && strncmp(n, f, len) == 0 :
				memmem(n, nlen, f, len) != NULL)
			return true;
		n += nlen;
		n += strspn(n, " ");
	}
	return false;
}

/* --case: alternatives separated by commas, each S (anywhere in a name)
 * or ^S (at its start); names: one name or several separated by spaces
 * (a group of cases that runs together). */
bool
bench_case_selected(const char *names, const char *filter)
{
	if (filter == NULL)
		return true;
	for (const char *f = filter;; ) {
		size_t len = strcspn(f, ",");

		if (alt_selects(names, f, len))
			return true;
		if (f[len] == '\0')
			return false;
		f += len + 1;
	}
}

static void
usage(const char *prog)
{
	printf("usage: %s [EAL args] -- [--reps N] [--ms MS] [--case SUBSTRING]\n"
		"  --reps N     repetitions per implementation (odd; default 31 for\n"
		"               segmentation cases, 7 for pipeline cases)\n"
		"  --ms MS      milliseconds per repetition (default 20 and 200)\n"
		"  --case S     run only cases whose name contains S (^S: begins\n"
		"               with S; S1,S2: either; a whole name: that case)\n"
		"  --only WHO   run only \"ours\" or \"rte_gso\" (profiling)\n"
		"  --buffers B  force our engine's buffer mode: auto, zerocopy, copy\n"
		"  --rte-gso-pools P  testpmd (default) or ours\n"
		"  --mss MSS    override every case's MSS\n"
		"  --floor      also time the zero-copy and copy floors (FLOOR lines)\n"
		"  --consume    ours consumes each superframe (the bench takes a\n"
		"               reference first) instead of keep_input\n"
		"  --fresh      a new superframe per call, consumed by ours and\n"
		"               freed after the call with rte_gso (a forwarder)\n"
		"  --flows N    superframe b of a batch is of flow b %% N (default 1)\n"
		"  --no-flow-cache  our engine plans every superframe afresh\n", prog);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "reps", required_argument, NULL, 'r' },
		{ "ms", required_argument, NULL, 'm' },
		{ "case", required_argument, NULL, 'c' },
		{ "only", required_argument, NULL, 'o' },
		{ "buffers", required_argument, NULL, 'b' },
		{ "rte-gso-pools", required_argument, NULL, 'p' },
		{ "mss", required_argument, NULL, 's' },
		{ "floor", no_argument, NULL, 'f' },
		{ "consume", no_argument, NULL, 'k' },
		{ "fresh", no_argument, NULL, 'R' },
		{ "flows", required_argument, NULL, 'F' },
		{ "no-flow-cache", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	/* 0: each group's default. Segmentation cases alternate the
	 * implementations every 20 ms, 31 times: the host's speed drifts
	 * over seconds here, and short turns put both under the same
	 * conditions (ratios steadier than with 7 x 200 ms). */
	unsigned int reps = 0, ms = 0, seg_reps, seg_ms;
	bool gso_on_our_pools = false, flow_cache = true, exact = false;
	const char *filter = NULL;
	struct gso_offload_seg_conf conf;
	int opt, ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		return 1;
	argc -= ret;
	argv += ret;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (opt) {
		case 'r':
			reps = RTE_MIN((unsigned int)atoi(optarg), (unsigned int)MAX_REPS);
			break;
		case 'm':
			ms = (unsigned int)atoi(optarg);
			break;
		case 'c':
			filter = optarg;
			break;
		case 'b':
			buffers = strcmp(optarg, "zerocopy") == 0 ?
				GSO_OFFLOAD_BUF_ZEROCOPY :
				strcmp(optarg, "copy") == 0 ?
				GSO_OFFLOAD_BUF_COPY : GSO_OFFLOAD_BUF_AUTO;
			break;
		case 'f':
			with_floor = true;
			break;
		case 'k':
			consume = true;
			break;
		case 'R':
			fresh = true;
			break;
		case 'F':
			nb_flows = RTE_MAX(atoi(optarg), 1);
			break;
		case 'N':
			flow_cache = false;
			break;
		case 's':
			mss_override = (uint16_t)atoi(optarg);
			break;
		case 'p':
			gso_on_our_pools = strcmp(optarg, "ours") == 0;
			break;
		case 'o':
			only = strcmp(optarg, "ours") == 0 ? 1 :
				strcmp(optarg, "rte_gso") == 0 ? 2 : 0;
			break;
		default:
			usage(argv[0]);
			return opt == 'h' ? 0 : 1;
		}
	}

	/* A cache, as an RX pool has: --fresh takes a superframe per call. */
	sf_pool = rte_pktmbuf_pool_create("bench_sf", 256, 32, 0, UINT16_MAX,
			rte_socket_id());
	seg_pool = gso_offload_seg_pool_create("bench_seg", 16384,
			GSO_OFFLOAD_MAX_HDR_LEN, rte_socket_id());
	copy_pool = gso_offload_seg_pool_create("bench_copy", 16384,
			RTE_MBUF_DEFAULT_DATAROOM, rte_socket_id());
	testpmd_pool = rte_pktmbuf_pool_create("bench_testpmd", 16384,
			POOL_CACHE, 0, RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (sf_pool == NULL || seg_pool == NULL || copy_pool == NULL ||
			testpmd_pool == NULL) {
		fprintf(stderr, "cannot create pools\n");
		return 1;
	}
	conf = (struct gso_offload_seg_conf){ .hdr_pool = seg_pool,
		.ref_pool = seg_pool, .copy_pool = copy_pool,
		.flags = flow_cache ? 0 : GSO_OFFLOAD_SEG_F_NO_FLOW_CACHE };
	engine = gso_offload_seg_create(&conf, rte_socket_id());
	gso_ctx = (struct rte_gso_ctx){
		/* Our header pool holds rte_gso's header copies too: the
		 * same single pool as ours. */
		.direct_pool = gso_on_our_pools ? seg_pool : testpmd_pool,
		.indirect_pool = gso_on_our_pools ? seg_pool : testpmd_pool,
		.gso_types = RTE_ETH_TX_OFFLOAD_TCP_TSO |
			RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO |
			RTE_ETH_TX_OFFLOAD_GRE_TNL_TSO };
	if (engine == NULL)
		return 1;

	seg_reps = reps ? reps : 31;
	seg_ms = ms ? ms : 20;
	printf("# gso-bench: lcore %u, TSC %.2f GHz, checksum ISA %s, %u reps x %u ms, rte_gso on %s pools, ours %s the superframe, %u flow%s per batch, flow cache %s\n",
		rte_lcore_id(), rte_get_tsc_hz() / 1e9, gso_offload_seg_cksum_isa(),
		seg_reps, seg_ms, gso_on_our_pools ? "our" : "testpmd's",
		fresh ? "consumes fresh copies of" : consume ? "consumes" : "keeps",
		nb_flows,
		nb_flows == 1 ? "" : "s", flow_cache ? "on" : "off");
	/* A case's whole name selects that case alone (scripts/bench-ab.sh
	 * passes whole names; tcp4_64000_b1_hwck is also the end of
	 * vxlan_tcp4_64000_b1_hwck). */
	for (size_t i = 0; i < RTE_DIM(cases); i++)
		if (filter != NULL && strcmp(cases[i].name, filter) == 0)
			exact = true;
	for (size_t i = 0; i < RTE_DIM(cases); i++)
		if (exact ? strcmp(cases[i].name, filter) == 0 :
				bench_case_selected(cases[i].name, filter))
			run_case(&cases[i], seg_reps, seg_ms);
	bench_decide(sf_pool, filter, reps ? reps : 7);
	bench_pipeline(filter, reps ? reps : 7, ms ? ms : 200);

	gso_offload_seg_free(engine);
	rte_eal_cleanup();
	return failed ? 1 : 0;
}
