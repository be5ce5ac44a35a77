/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * The per-lcore TX pipeline, and how a configuration change reaches it
 * without locks on the fast path.
 *
 * Publishing (control thread, under the control lock): the data plane reads
 * gso_port_fp[port], an immutable struct, once per burst; every pipeline
 * reports a quiescent state (rte_rcu_qsbr) when its burst ends. A change
 * on a hitless port (TX offloads configured once for the whole hardware
 * set) is step 3 alone: the pipelines never pause. One that restarts the
 * port:
 *   1. hold: publish a paused copy; wait for a grace period — from then on
 *      no lcore is inside a burst on the port, and bursts that start
 *      return their packets to the caller untouched;
 *   2. the driver's callback reconfigures the port (stop, configure,
 *      start): nothing else uses its queues;
 *   3. publish: the new state, unpaused; after another grace period the
 *      old one is freed.
 */

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_rcu_qsbr.h>

#include "gso_offload_private.h"
#include "gso_seg_private.h"
#include "gso_tx_private.h"

#define GSO_TX_BURST 64         /* pass/hardware packets per rte_eth_tx_burst */

struct gso_offload_tx {
	uint32_t tid;                   /* RCU reader id */
	bool online;
	uint32_t tx_retries;
	struct gso_offload_seg_ctx *seg;
	/* Copies of packets the port cannot gather (gather()). */
	struct rte_mempool *copy_pool;
	/* Counters per port, allocated on a port's first burst. */
	struct gso_offload_tx_stats *stats[RTE_MAX_ETHPORTS];
	/* Pass and hardware packets waiting for rte_eth_tx_burst(), with what
	 * to count once the queue takes them (they may be freed by then). */
	struct rte_mbuf *out[GSO_TX_BURST];
	uint32_t out_len[GSO_TX_BURST];
	uint8_t out_kind[GSO_TX_BURST];
	/* Packets the pipeline consumed and still has to send (software
	 * segments, split chunks, gathered copies): segs[0, nb_segs). Those
	 * of consecutive superframes share one rte_eth_tx_burst() (up to
	 * GSO_TX_SEG_BURST) instead of one each: one doorbell, kick or
	 * sendto() where the PMD makes one per call. */
	uint16_t nb_segs;
	struct rte_mbuf *segs[GSO_OFFLOAD_TX_MAX_SEGS];
	struct rte_mbuf *chunks[GSO_OFFLOAD_TX_MAX_SEGS];
	uint8_t parse_buf[GSO_OFFLOAD_MAX_HDR_LEN];
};

/* ---- RCU and the registry of pipelines (control plane) ---- */

static struct rte_rcu_qsbr *qsbr;
/*
 * The thread each online reader id belongs to (the address of a
 * thread-local byte of that thread; NULL while offline). A thread that
 * both transmits and reconfigures (the main lcore of a simple
 * application, with one pipeline or one per port) reports its own
 * pipelines' quiescence when it waits for a grace period, instead of
 * waiting for itself: it is in none of their bursts while it waits.
 */
static RTE_DEFINE_PER_LCORE(uint8_t, thread_token);
static const void *reader_owner[RTE_MAX_LCORE];
static struct gso_offload_tx *pipelines[RTE_MAX_LCORE];
/* Counters of freed pipelines, so that totals never go back. */
static struct gso_offload_tx_stats *retired[RTE_MAX_ETHPORTS];

static int
qsbr_init(void)
{
	size_t sz;

	if (qsbr != NULL)
		return 0;
	sz = rte_rcu_qsbr_get_memsize(RTE_MAX_LCORE);
	qsbr = rte_zmalloc("gso_offload_qsbr", sz, RTE_CACHE_LINE_SIZE);
	if (qsbr == NULL)
		return -ENOMEM;
	return rte_rcu_qsbr_init(qsbr, RTE_MAX_LCORE);
}

/* Wait until every online pipeline has finished the burst it was in. The
 * caller is between bursts if it runs one. */
static void
grace_period(void)
{
	const void *self = &RTE_PER_LCORE(thread_token);
	uint64_t t;

	if (qsbr == NULL)
		return;
	/* rte_rcu_qsbr_synchronize() excuses one reader id: this thread
	 * may run several pipelines. */
	t = rte_rcu_qsbr_start(qsbr);
	for (unsigned int tid = 0; tid < RTE_MAX_LCORE; tid++)
		if (__atomic_load_n(&reader_owner[tid], __ATOMIC_ACQUIRE) ==
				self)
			rte_rcu_qsbr_quiescent(qsbr, tid);
	(void)rte_rcu_qsbr_check(qsbr, t, true);
}

static void
publish(uint16_t port_id, struct gso_port_fp *fp)
{
	struct gso_port_fp *old = gso_port_fp[port_id];

	__atomic_store_n(&gso_port_fp[port_id], fp, __ATOMIC_RELEASE);
	grace_period();
	rte_free(old);
}

void
gso_dp_port_hold(uint16_t port_id)
{
	struct gso_port_fp *fp;

	if (gso_port_fp[port_id] == NULL)
		return;         /* nothing ever transmitted through us */
	fp = rte_malloc("gso_port_fp", sizeof(*fp), RTE_CACHE_LINE_SIZE);
	if (fp != NULL) {
		*fp = *gso_port_fp[port_id];
		fp->paused = 1;
		publish(port_id, fp);
	} else {
		/* No memory for a paused copy: unpublish instead; bursts to
		 * an unknown port return everything to the caller too. */
		publish(port_id, NULL);
	}
}

void
gso_dp_port_publish(uint16_t port_id)
{
	struct gso_port_fp *fp = gso_port_fp_build(port_id, false);

	if (fp == NULL)
		GSO_LOG(ERR, "port %u: cannot publish its state: out of memory",
			port_id);
	publish(port_id, fp);
}

void
gso_dp_port_forget(uint16_t port_id)
{
	publish(port_id, NULL);
}

struct gso_offload_tx *
gso_offload_tx_create(const struct gso_offload_tx_conf *conf)
{
	struct gso_offload_seg_conf sconf;
	struct gso_offload_tx *tx = NULL;
	uint32_t tid;
	int ret;

	if (conf == NULL || conf->seg_pool == NULL) {
		rte_errno = EINVAL;
		return NULL;
	}
	gso_ctl_lock();
	ret = qsbr_init();
	if (ret != 0)
		goto fail;
	for (tid = 0; tid < RTE_MAX_LCORE && pipelines[tid] != NULL; tid++)
		;
	if (tid == RTE_MAX_LCORE) {
		ret = -ENOSPC;
		goto fail;
	}
	tx = rte_zmalloc_socket("gso_offload_tx", sizeof(*tx),
			RTE_CACHE_LINE_SIZE, conf->socket_id);
	if (tx == NULL) {
		ret = -ENOMEM;
		goto fail;
	}
	sconf = (struct gso_offload_seg_conf){
		.hdr_pool = conf->seg_pool, .ref_pool = conf->seg_pool,
		.copy_pool = conf->copy_pool, .flags = conf->seg_flags,
	};
	tx->seg = gso_offload_seg_create(&sconf, conf->socket_id);
	tx->copy_pool = conf->copy_pool != NULL ? conf->copy_pool :
		conf->seg_pool;
	if (tx->seg == NULL) {
		ret = -rte_errno;
		goto fail;
	}
	ret = rte_rcu_qsbr_thread_register(qsbr, tid);
	if (ret != 0)
		goto fail;
	tx->tid = tid;
	tx->tx_retries = conf->tx_retries != 0 ? conf->tx_retries :
		GSO_OFFLOAD_TX_RETRIES_DEFAULT;
	pipelines[tid] = tx;
	gso_ctl_unlock();
	return tx;
fail:
	if (tx != NULL) {
		gso_offload_seg_free(tx->seg);
		rte_free(tx);
	}
	gso_ctl_unlock();
	rte_errno = -ret;
	return NULL;
}

/* Every field of the struct is a uint64_t counter: those the list names
 * and the two per-reason arrays. A field missing from the list fails
 * here. */
#define GSO_TX_COUNTER_ONE_(field) +1
_Static_assert(sizeof(struct gso_offload_tx_stats) == sizeof(uint64_t) *
		(0 GSO_OFFLOAD_TX_COUNTERS(GSO_TX_COUNTER_ONE_) +
		GSO_OFFLOAD_SW_REASON_MAX + GSO_OFFLOAD_REJ_MAX),
		"GSO_OFFLOAD_TX_COUNTERS() lists every scalar counter");
#undef GSO_TX_COUNTER_ONE_

static void
stats_add(struct gso_offload_tx_stats *to, const struct gso_offload_tx_stats *s)
{
	const uint64_t *src = (const uint64_t *)s;
	uint64_t *dst = (uint64_t *)to;

	/* Every member is a uint64_t counter. */
	for (size_t i = 0; i < sizeof(*s) / sizeof(uint64_t); i++)
		dst[i] += __atomic_load_n(&src[i], __ATOMIC_RELAXED);
}

void
gso_offload_tx_free(struct gso_offload_tx *tx)
{
	if (tx == NULL)
		return;
	gso_ctl_lock();
	gso_offload_tx_offline(tx);
	rte_rcu_qsbr_thread_unregister(qsbr, tx->tid);
	pipelines[tx->tid] = NULL;
	for (uint16_t p = 0; p < RTE_MAX_ETHPORTS; p++) {
		if (tx->stats[p] == NULL)
			continue;
		if (retired[p] == NULL)
			retired[p] = rte_zmalloc("gso_tx_retired",
					sizeof(*retired[p]), 0);
		if (retired[p] != NULL)
			stats_add(retired[p], tx->stats[p]);
		rte_free(tx->stats[p]);
	}
	gso_ctl_unlock();
	gso_offload_seg_free(tx->seg);
	rte_free(tx);
}

void
gso_offload_tx_synchronize(void)
{
	grace_period();
}

bool
gso_offload_tx_port_held(uint16_t port_id)
{
	const struct gso_port_fp *fp;

	if (unlikely(port_id >= RTE_MAX_ETHPORTS))
		return true;
	fp = __atomic_load_n(&gso_port_fp[port_id], __ATOMIC_ACQUIRE);
	return fp != NULL && fp->paused;
}

void
gso_offload_tx_quiescent(struct gso_offload_tx *tx)
{
	if (tx->online)
		rte_rcu_qsbr_quiescent(qsbr, tx->tid);
}

void
gso_offload_tx_offline(struct gso_offload_tx *tx)
{
	if (tx->online) {
		__atomic_store_n(&reader_owner[tx->tid], NULL,
			__ATOMIC_RELEASE);
		rte_rcu_qsbr_thread_offline(qsbr, tx->tid);
		tx->online = false;
	}
}

void
gso_offload_tx_online(struct gso_offload_tx *tx)
{
	if (!tx->online) {
		rte_rcu_qsbr_thread_online(qsbr, tx->tid);
		tx->online = true;
		__atomic_store_n(&reader_owner[tx->tid],
			(const void *)&RTE_PER_LCORE(thread_token),
			__ATOMIC_RELEASE);
	}
}

/* ---- Counters ---- */

static struct gso_offload_tx_stats *
stats_of(struct gso_offload_tx *tx, uint16_t port_id)
{
	struct gso_offload_tx_stats *s = tx->stats[port_id];

	if (likely(s != NULL))
		return s;
	/* Once per port and lcore. */
	s = rte_zmalloc("gso_tx_stats", sizeof(*s), RTE_CACHE_LINE_SIZE);
	__atomic_store_n(&tx->stats[port_id], s, __ATOMIC_RELEASE);
	return s;
}

/* Counters are written by their lcore only; readers sum them. */
#define COUNT(s, field, n) __atomic_store_n(&(s)->field, (s)->field + (n), \
		__ATOMIC_RELAXED)

int
gso_offload_tx_stats_get(uint16_t port_id, struct gso_offload_tx_stats *stats)
{
	if (stats == NULL)
		return -EINVAL;
	if (port_id >= RTE_MAX_ETHPORTS)
		return -ENODEV;
	memset(stats, 0, sizeof(*stats));
	gso_ctl_lock();
	for (uint32_t t = 0; t < RTE_MAX_LCORE; t++) {
		struct gso_offload_tx *tx = pipelines[t];
		struct gso_offload_tx_stats *s;

		if (tx == NULL)
			continue;
		s = __atomic_load_n(&tx->stats[port_id], __ATOMIC_ACQUIRE);
		if (s != NULL)
			stats_add(stats, s);
	}
	if (retired[port_id] != NULL)
		stats_add(stats, retired[port_id]);
	gso_ctl_unlock();
	return 0;
}

const char *
gso_offload_sw_reason_name(enum gso_offload_sw_reason r)
{
#define NAME_(suffix, name, what) [GSO_OFFLOAD_SW_##suffix] = name,
	static const char *const names[] = {
		GSO_OFFLOAD_SW_REASONS(NAME_)
	};
#undef NAME_
	_Static_assert(RTE_DIM(names) == GSO_OFFLOAD_SW_REASON_MAX,
			"one name per software reason");

	return (unsigned int)r < RTE_DIM(names) ? names[r] : "?";
}

const char *
gso_offload_reject_reason_name(enum gso_offload_reject_reason r)
{
#define NAME_(suffix, name, what) [GSO_OFFLOAD_REJ_##suffix] = name,
	static const char *const names[] = {
		GSO_OFFLOAD_REJ_REASONS(NAME_)
	};
#undef NAME_
	_Static_assert(RTE_DIM(names) == GSO_OFFLOAD_REJ_MAX,
			"one name per reject reason");

	return (unsigned int)r < RTE_DIM(names) ? names[r] : "?";
}

/* ---- The burst ---- */

/* Send the consumed packets waiting in tx->segs: retried a bounded number
 * of polls, what the queue still refuses is freed and counted. */
static __rte_noinline void
send_segs(struct gso_offload_tx *tx, uint16_t port_id, uint16_t queue_id,
		struct gso_offload_tx_stats *st)
{
	const uint32_t n = tx->nb_segs;
	uint32_t sent = 0;

	tx->nb_segs = 0;
	for (uint32_t tries = 0; sent < n && tries < tx->tx_retries; tries++)
		sent += rte_eth_tx_burst(port_id, queue_id, tx->segs + sent,
				(uint16_t)(n - sent));
	if (unlikely(sent < n)) {
		rte_pktmbuf_free_bulk(tx->segs + sent, n - sent);
		COUNT(st, tx_dropped, n - sent);
	}
}

/* Send what waits in tx->segs, if anything: one compare on the path of
 * every pass/hardware packet. */
static __rte_always_inline void
flush_segs(struct gso_offload_tx *tx, uint16_t port_id, uint16_t queue_id,
		struct gso_offload_tx_stats *st)
{
	if (tx->nb_segs != 0)
		send_segs(tx, port_id, queue_id, st);
}

/* Room in tx->segs for want more packets (at most
 * GSO_OFFLOAD_TX_MAX_SEGS): what waits is sent first if they would take
 * it past GSO_TX_SEG_BURST. Returns where they go. */
static struct rte_mbuf **
segs_room(struct gso_offload_tx *tx, uint16_t port_id, uint16_t queue_id,
		uint32_t want, struct gso_offload_tx_stats *st)
{
	if (tx->nb_segs + want > GSO_TX_SEG_BURST)
		flush_segs(tx, port_id, queue_id, st);
	return tx->segs + tx->nb_segs;
}

static void
count_result(struct gso_offload_tx_stats *st, bool tcp, bool ok)
{
	if (tcp && ok)
		COUNT(st, tcp_ok, 1);
	else if (tcp)
		COUNT(st, tcp_fail, 1);
	else if (ok)
		COUNT(st, udp_ok, 1);
	else
		COUNT(st, udp_fail, 1);
}

static void
reject(struct rte_mbuf *m, uint8_t reason, struct gso_offload_tx_stats *st)
{
	COUNT(st, rejected[reason], 1);
	/* NetAdapterCx's per-protocol counters are about superframes: a
	 * plain packet (seg-data-limit) is only counted by its reason. */
	if (m->ol_flags & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG))
		count_result(st, (m->ol_flags & RTE_MBUF_F_TX_TCP_SEG) != 0,
				false);
	rte_pktmbuf_free(m);
}

static uint8_t
seg_error_reason(int err)
{
	switch (-err) {
	case GSO_OFFLOAD_ENOMEM: return GSO_OFFLOAD_REJ_NO_MEMORY;
	case GSO_OFFLOAD_EBUF: return GSO_OFFLOAD_REJ_NO_BUFFER;
	case GSO_OFFLOAD_EOUT: return GSO_OFFLOAD_REJ_TOO_MANY;
	case GSO_OFFLOAD_ELEN: return GSO_OFFLOAD_REJ_LENGTHS;
	case GSO_OFFLOAD_EFRAG: return GSO_OFFLOAD_REJ_FRAGMENT;
	case GSO_OFFLOAD_ENOTIP: return GSO_OFFLOAD_REJ_NOT_IP;
	case GSO_OFFLOAD_EPROTO: return GSO_OFFLOAD_REJ_PROTOCOL;
	case GSO_OFFLOAD_EMSS: return GSO_OFFLOAD_REJ_MSS;
	default: return GSO_OFFLOAD_REJ_HEADERS;
	}
}

/* Software segmentation of m (consumed; h: its headers as the decision
 * parsed them) into out; the number of segments, or a negated
 * GSO_OFFLOAD_E* code (m untouched). */
static int
segment_sw(struct gso_offload_tx *tx, struct rte_mbuf *m,
		const struct gso_hdrs *h, uint16_t mss, bool tcp,
		const struct gso_port_fp *fp, struct rte_mbuf **out,
		uint16_t room)
{
	const struct gso_offload_seg_params prm = {
		.mss = mss,
		.proto = tcp ? GSO_OFFLOAD_SEG_TCP : GSO_OFFLOAD_SEG_UDP,
		.cksum = gso_tx_sw_cksum(fp, m, tcp),
		.buffers = GSO_OFFLOAD_BUF_AUTO,
		.max_mbufs_per_seg = fp->max_mbufs_per_seg,
	};

	return gso_seg_segment_parsed(tx->seg, m, &prm, h, out, room);
}

/* Finalize a superframe of one segment (m kept; consumed by the caller;
 * h: its headers as the decision parsed them, or NULL). */
static int
finalize_one(struct rte_mbuf *m, const struct gso_hdrs *h, bool tcp,
		const struct gso_port_fp *fp)
{
	const struct gso_offload_seg_params prm = {
		.proto = tcp ? GSO_OFFLOAD_SEG_TCP : GSO_OFFLOAD_SEG_UDP,
		.cksum = gso_tx_sw_cksum(fp, m, tcp),
	};

	return h != NULL ? gso_seg_finalize_parsed(m, &prm, h) :
		gso_offload_seg_finalize(m, &prm);
}

/*
 * A plain packet, or a superframe of one segment, in more mbufs than the
 * port gathers for one packet (fp->nb_mtu_seg_max): copied into mbufs of
 * the copy pool (one, for a packet within its data room), the copy
 * finalized if m is a superframe and sent as a software segment is, m
 * freed. When no copy fits, m is rejected: no-memory, or no-buffer (the
 * copy would still take more mbufs, or larger ones, than the port does).
 */
static void
gather(struct gso_offload_tx *tx, uint16_t port_id, uint16_t queue_id,
		struct rte_mbuf *m, const struct gso_port_fp *fp,
		struct gso_offload_tx_stats *st)
{
	const bool tcp = m->ol_flags & RTE_MBUF_F_TX_TCP_SEG;
	const bool gso = tcp || (m->ol_flags & RTE_MBUF_F_TX_UDP_SEG);
	struct rte_mbuf *c = rte_pktmbuf_copy(m, tx->copy_pool, 0,
			UINT32_MAX);
	int r;

	if (unlikely(c == NULL)) {
		reject(m, GSO_OFFLOAD_REJ_NO_MEMORY, st);
		return;
	}
	if (c->nb_segs > fp->nb_mtu_seg_max ||
			!gso_tx_seg_data_fits(c, fp->max_seg_data)) {
		rte_pktmbuf_free(c);
		reject(m, GSO_OFFLOAD_REJ_NO_BUFFER, st);
		return;
	}
	/* The copy is finalized, so that m, rejected, is as it came. */
	if (gso && (r = finalize_one(c, NULL, tcp, fp)) < 0) {
		rte_pktmbuf_free(c);
		reject(m, seg_error_reason(r), st);
		return;
	}
	COUNT(st, gathered, 1);
	COUNT(st, pass_pkts, 1);
	COUNT(st, pass_bytes, c->pkt_len);
	if (gso)
		COUNT(st, finalized, 1);
	rte_pktmbuf_free(m);
	*segs_room(tx, port_id, queue_id, 1, st) = c;
	tx->nb_segs++;
}

/*
 * One chunk of a split superframe (consumed): decided again as a whole
 * packet, so that nothing reaches the hardware that the decision would
 * refuse a packet of its own (a short tail below the minimum segment
 * count, one segment, a chain the NIC cannot gather). Returns the
 * packets it became in out (room: at most that many), or a negated
 * GSO_OFFLOAD_E* code (ch freed by the caller).
 */
static int
chunk_out(struct gso_offload_tx *tx, uint16_t port_id, uint16_t queue_id,
		struct rte_mbuf *ch, bool tcp, uint16_t mss,
		const struct gso_port_fp *fp, struct gso_offload_tx_stats *st,
		struct rte_mbuf **out, uint16_t room)
{
	struct gso_tx_verdict v;
	struct gso_hdrs h;
	int r;

	ch->ol_flags |= tcp ? RTE_MBUF_F_TX_TCP_SEG : RTE_MBUF_F_TX_UDP_SEG;
	ch->tso_segsz = mss;
	gso_tx_decide(fp, ch, tx->parse_buf, &h, &v);
	if (v.action == GSO_TX_HW) {
		gso_tx_hw_meta(ch, &h, mss, fp);
		if (likely(rte_eth_tx_prepare(port_id, queue_id, &ch, 1) == 1)) {
			COUNT(st, split_chunks, 1);
			out[0] = ch;
			return 1;
		}
		v.reason = GSO_OFFLOAD_SW_PREPARE;
	} else if (v.action == GSO_TX_FINALIZE) {
		/* A one-segment tail: a plain packet. */
		COUNT(st, sw_reason[GSO_OFFLOAD_SW_MIN_SEGMENTS], 1);
		r = finalize_one(ch, &h, tcp, fp);
		if (r < 0)
			return r;
		out[0] = ch;
		return 1;
	} else if (v.action != GSO_TX_SW) {
		/* The chunk fits every limit the superframe did not, and
		 * its headers are the engine's own: never split or
		 * rejected; never gathered either (the split was decided
		 * with each MSS within nb_mtu_seg_max - 1 mbufs, so a
		 * one-segment tail and its header mbuf are within it).
		 * Software still makes it right. */
		v.reason = GSO_OFFLOAD_SW_NO_SPLIT;
	}
	COUNT(st, sw_reason[v.reason], 1);
	return segment_sw(tx, ch, &h, mss, tcp, fp, out, room);
}

/*
 * Split for hardware: cut m into chunks of v->chunk payload bytes (the
 * engine keeps sequence numbers, IDs and lengths right; IPv4 IDs step by
 * the segments per chunk), then send each as its own decision says:
 * hardware metadata, or software. Returns the packets in out (room: at
 * most that many, at least the superframe's segment count), or a negated
 * GSO_OFFLOAD_E* code (m untouched).
 */
static int
split_for_hw(struct gso_offload_tx *tx, uint16_t port_id, uint16_t queue_id,
		struct rte_mbuf *m, const struct gso_hdrs *h,
		const struct gso_tx_verdict *v, const struct gso_port_fp *fp,
		struct gso_offload_tx_stats *st, struct rte_mbuf **out,
		uint32_t room)
{
	const bool tcp = h->l4_proto == IPPROTO_TCP;
	const struct gso_offload_seg_params prm = {
		.mss = (uint16_t)v->chunk,
		.proto = tcp ? GSO_OFFLOAD_SEG_TCP : GSO_OFFLOAD_SEG_UDP,
		/* The port computes every checksum; gso_tx_hw_meta() writes
		 * the IPv4 one and the pseudo-header as the port wants, and
		 * a tunnel's outer ones (the IPv4 checksum and the outer UDP
		 * pseudo-header: an outer UDP checksum of 0 stays 0). */
		.cksum = GSO_OFFLOAD_CKSUM_IP_HW | GSO_OFFLOAD_CKSUM_L4_HW |
			(h->tun != GSO_TUN_NONE ? GSO_OFFLOAD_CKSUM_OUTER_IP_HW |
			 GSO_OFFLOAD_CKSUM_OUTER_UDP_HW : 0),
		.buffers = GSO_OFFLOAD_BUF_ZEROCOPY,
		.ip_id_stride = (uint16_t)(v->chunk / v->mss),
	};
	int nc, n = 0;

	nc = gso_offload_segment(tx->seg, m, &prm, tx->chunks,
			GSO_OFFLOAD_TX_MAX_SEGS);
	if (nc < 0)
		return nc;
	for (int c = 0; c < nc; c++) {
		struct rte_mbuf *ch = tx->chunks[c];
		int r = chunk_out(tx, port_id, queue_id, ch, tcp, v->mss, fp,
				st, out + n, (uint16_t)(room - n - (nc - c - 1)));

		if (r < 0) {
			/* Earlier chunks are built: drop this one, counted. */
			COUNT(st, tx_dropped, 1);
			rte_pktmbuf_free(ch);
			continue;
		}
		n += r;
	}
	return n;
}

/* What a pass/hardware packet in tx->out is, for the counters. */
#define OUT_PASS       0
#define OUT_FINALIZED  1
#define OUT_HW_TCP     2
#define OUT_HW_UDP     3

/* Flush the pass/hardware packets gathered since input index first and
 * count those the queue took. Returns how many; the rest stay the
 * caller's. */
static uint16_t
flush_out(struct gso_offload_tx *tx, uint16_t port_id, uint16_t queue_id,
		uint16_t n, struct gso_offload_tx_stats *st)
{
	uint16_t sent;

	if (n == 0)
		return 0;
	sent = rte_eth_tx_burst(port_id, queue_id, tx->out, n);
	for (uint16_t j = 0; j < sent; j++) {
		switch (tx->out_kind[j]) {
		case OUT_FINALIZED:
			COUNT(st, finalized, 1);
			/* fall through */
		case OUT_PASS:
			COUNT(st, pass_pkts, 1);
			COUNT(st, pass_bytes, tx->out_len[j]);
			break;
		default:
			COUNT(st, hw_pkts, 1);
			COUNT(st, hw_bytes, tx->out_len[j]);
			count_result(st, tx->out_kind[j] == OUT_HW_TCP, true);
			break;
		}
	}
	if (unlikely(sent < n))
		COUNT(st, tx_returned, n - sent);
	return sent;
}

uint16_t
gso_offload_tx_burst(struct gso_offload_tx *tx, uint16_t port_id,
		uint16_t queue_id, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	const struct gso_port_fp *fp;
	struct gso_offload_tx_stats *st;
	uint16_t i, first = 0, n = 0, sent;
	struct gso_tx_verdict v;
	struct gso_hdrs h;

	if (unlikely(!tx->online))
		gso_offload_tx_online(tx);
	if (unlikely(port_id >= RTE_MAX_ETHPORTS))
		goto done_none;
	fp = __atomic_load_n(&gso_port_fp[port_id], __ATOMIC_ACQUIRE);
	st = stats_of(tx, port_id);
	if (unlikely(fp == NULL || fp->paused || st == NULL)) {
		if (st != NULL && nb_pkts > 0) {
			COUNT(st, tx_held, 1);
			COUNT(st, tx_held_pkts, nb_pkts);
		}
		goto done_none;
	}

	/*
	 * Invariant: tx->out holds exactly the pass/hardware packets of
	 * inputs [first, i): a flush that falls short returns the tail of
	 * the input untouched. Anything that consumes a packet otherwise
	 * (reject, software, split, gather) flushes first. What software,
	 * split and gather made waits in tx->segs, consumed, and is sent
	 * before the next pass/hardware packet joins tx->out: at most one of
	 * the two holds packets, so the queue gets them in input order.
	 */
	for (i = 0; i < nb_pkts; i++) {
		struct rte_mbuf *m = pkts[i], **segs;
		uint32_t bytes, room;
		int r;

		gso_tx_decide(fp, m, tx->parse_buf, &h, &v);
		if (v.action == GSO_TX_HW) {
			gso_tx_hw_meta(m, &h, v.mss, fp);
			if (unlikely(rte_eth_tx_prepare(port_id, queue_id,
					&m, 1) != 1)) {
				v.action = GSO_TX_SW;
				v.reason = GSO_OFFLOAD_SW_PREPARE;
			}
		} else if (v.action == GSO_TX_FINALIZE) {
			r = finalize_one(m, &h, h.l4_proto == IPPROTO_TCP,
					fp);
			if (unlikely(r < 0)) {
				v.action = GSO_TX_REJECT;
				v.reason = seg_error_reason(r);
			}
		}

		if (v.action == GSO_TX_PASS || v.action == GSO_TX_FINALIZE ||
				v.action == GSO_TX_HW) {
			flush_segs(tx, port_id, queue_id, st);
			if (unlikely(n == GSO_TX_BURST)) {
				sent = flush_out(tx, port_id, queue_id, n, st);
				if (sent < n)
					goto done_at; /* i - n + sent */
				first = i;
				n = 0;
			}
			tx->out[n] = m;
			tx->out_len[n] = m->pkt_len;
			tx->out_kind[n++] = v.action == GSO_TX_PASS ? OUT_PASS :
				v.action == GSO_TX_FINALIZE ? OUT_FINALIZED :
				h.l4_proto == IPPROTO_TCP ? OUT_HW_TCP : OUT_HW_UDP;
			continue;
		}

		/* The rest consumes m otherwise: flush what came before. */
		sent = flush_out(tx, port_id, queue_id, n, st);
		if (sent < n)
			goto done_at;
		n = 0;
		first = i + 1;

		if (v.action == GSO_TX_REJECT) {
			reject(m, v.reason, st);
			continue;
		}
		if (v.action == GSO_TX_GATHER) {
			gather(tx, port_id, queue_id, m, fp, st);
			continue;
		}
		/* Both consume m on success: its length is read first. */
		bytes = m->pkt_len;
		segs = segs_room(tx, port_id, queue_id, v.nseg, st);
		room = GSO_OFFLOAD_TX_MAX_SEGS - tx->nb_segs;
		if (v.action == GSO_TX_SPLIT) {
			r = split_for_hw(tx, port_id, queue_id, m, &h, &v, fp, st,
					segs, room);
			if (r >= 0) {
				COUNT(st, split_pkts, 1);
				COUNT(st, split_bytes, bytes);
			}
		} else {
			COUNT(st, sw_reason[v.reason], 1);
			r = segment_sw(tx, m, &h, v.mss,
					h.l4_proto == IPPROTO_TCP, fp, segs,
					(uint16_t)room);
			if (r >= 0) {
				COUNT(st, sw_pkts, 1);
				COUNT(st, sw_segs, r);
				COUNT(st, sw_bytes, bytes);
			}
		}
		if (r < 0) {
			reject(m, seg_error_reason(r), st);
			continue;
		}
		count_result(st, h.l4_proto == IPPROTO_TCP, true);
		tx->nb_segs = (uint16_t)(tx->nb_segs + r);
	}
	flush_segs(tx, port_id, queue_id, st);
	sent = flush_out(tx, port_id, queue_id, n, st);
	if (sent < n)
		goto done_at;
	gso_offload_tx_quiescent(tx);
	return nb_pkts;

done_at:
	/* Packets first + sent .. i - 1 were not taken: the caller's again,
	 * with everything after them. (Nothing waits in tx->segs while
	 * tx->out holds packets; sent anyway, should that ever change.) */
	flush_segs(tx, port_id, queue_id, st);
	gso_offload_tx_quiescent(tx);
	return (uint16_t)(first + sent);
done_none:
	gso_offload_tx_quiescent(tx);
	return 0;
}
