/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_OFFLOAD_TX_H
#define GSO_OFFLOAD_TX_H

/**
 * @file
 * The TX pipeline: what an application calls instead of rte_eth_tx_burst()
 * to send packets and superframes through a port under gso_offload.
 *
 * One pipeline instance per lcore; nothing writable is shared between
 * lcores on the fast path. For each packet of a burst, using the port's
 * active capabilities and its provider's limits, the pipeline decides:
 *
 *  - pass: not a superframe (no RTE_MBUF_F_TX_TCP_SEG/UDP_SEG) — sent as
 *    is; a superframe whose payload fits one segment is finalized
 *    (checksums) and sent as one packet;
 *  - hardware: the packet's L3/L4 variant is active and every limit holds —
 *    l2_len/l3_len/l4_len/tso_segsz/ol_flags and the pseudo-header are
 *    set, then rte_eth_tx_prepare();
 *  - split for hardware: eligible but for size (maximum offload size,
 *    frame or segment count) — cut into chunks at MSS multiples, each sent
 *    as a hardware TSO/USO packet;
 *  - software: any other superframe — segmented by the engine, checksums
 *    offloaded where the port has them, else computed;
 *  - reject: bad input — freed and counted by reason.
 *
 * Header lengths on the input may be unset: headers are parsed.
 *
 * Live configuration: active-set changes are published to the pipelines
 * without locks on the fast path (RCU, rte_rcu_qsbr). Each pipeline reports
 * a quiescent state at the end of every gso_offload_tx_burst() call. On a
 * hitless port (the default, gso_offload_port.h) a change publishes the new
 * state and waits for every online pipeline to be quiescent: bursts never
 * pause, and once the change returns no pipeline uses the old set. On a
 * port that restarts on change, the change first holds the port (bursts to
 * it return 0 meanwhile, counted in tx_held and tx_held_pkts), waits for
 * the pipelines, lets the provider reconfigure the port, then publishes the
 * new state. An lcore that stops calling
 * gso_offload_tx_burst() must call gso_offload_tx_offline() (or
 * gso_offload_tx_quiescent() periodically), or configuration changes wait
 * for it. A thread that runs a pipeline and also changes the configuration
 * (between its bursts) is fine: it reports its own quiescence while it
 * waits, for every pipeline it runs (one per port, say).
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Pipeline configuration. */
struct gso_offload_tx_conf {
	/** Header and reference mbufs of software segments and hardware
	 * chunks (gso_offload_seg_pool_create(), GSO_OFFLOAD_MAX_HDR_LEN).
	 * Give each lcore's pipeline its own pool (as gso-fwd does): a pool
	 * shared by the lcores cost each of two lcores 17% of its rate
	 * here, its mbufs moving between the cores through the pool's
	 * common store; one pool per lcore costs nothing
	 * (docs/performance.md, "Scaling"). */
	struct rte_mempool *seg_pool;
	/** Flat software segments (MTU-sized data room); NULL: seg_pool.
	 * One per lcore too. */
	struct rte_mempool *copy_pool;
	/** GSO_OFFLOAD_SEG_F_* for software segmentation. */
	uint32_t seg_flags;
	/**
	 * TX queue polls for the software segments of a burst before those the
	 * queue still refuses are freed and counted (tx_dropped); 0 means
	 * GSO_OFFLOAD_TX_RETRIES_DEFAULT.
	 */
	uint32_t tx_retries;
	/** NUMA socket of the pipeline's memory. */
	int socket_id;
};

#define GSO_OFFLOAD_TX_RETRIES_DEFAULT 256

/** Most segments (or chunks) one superframe may produce; a superframe that
 * would make more is rejected (a 64 KB one needs an MSS under 64). */
#define GSO_OFFLOAD_TX_MAX_SEGS 1024

/** One lcore's pipeline. */
struct gso_offload_tx;

/**
 * Create a pipeline and register it as an RCU reader, offline until its
 * first gso_offload_tx_burst(). Control thread.
 *
 * @return The pipeline, or NULL with rte_errno set (EINVAL, ENOMEM, ENOSPC:
 *   more pipelines than RTE_MAX_LCORE).
 */
struct gso_offload_tx *gso_offload_tx_create(const struct gso_offload_tx_conf *conf);

/**
 * Free a pipeline: it goes offline and is unregistered; its counters are
 * kept in the totals. Call it from the control thread once its lcore no
 * longer uses it. NULL is a no-op.
 */
void gso_offload_tx_free(struct gso_offload_tx *tx);

/**
 * Send a burst through a port under gso_offload (configured with
 * gso_offload_port_configure(), or with capabilities registered).
 *
 * Ownership follows rte_eth_tx_burst(): the first n packets returned are
 * consumed — sent, or (after bounded retries, for the segments of a
 * superframe the pipeline already cut) freed and counted, or rejected and
 * counted; packets from n on are still the caller's. A plain or hardware
 * packet the queue did not take is returned that way (one prepared for
 * hardware keeps the metadata and checksum fields the pipeline wrote:
 * handing it to gso_offload_tx_burst() again is safe); n < nb_pkts also
 * while the port is held for reconfiguration, or is not under gso_offload
 * (then n is 0 and nothing was touched).
 *
 * The queue gets the packets in input order. The segments software makes
 * of consecutive superframes go to it together, in one rte_eth_tx_burst()
 * of up to 8 (a superframe of more alone), not one per superframe: one
 * doorbell, kick or sendto() where the PMD makes one per call.
 *
 * @param tx        The calling lcore's pipeline.
 * @param port_id   The port.
 * @param queue_id  The TX queue (served by this lcore only).
 * @param pkts      Packets and superframes.
 * @param nb_pkts   How many.
 * @return How many of pkts were consumed.
 */
uint16_t gso_offload_tx_burst(struct gso_offload_tx *tx, uint16_t port_id,
		uint16_t queue_id, struct rte_mbuf **pkts, uint16_t nb_pkts);

/**
 * Whether a port is held off the pipelines now: an active-set change that
 * restarts it (stop, configure, queue setup, start) is under way. Never
 * true on a hitless port except while gso_offload_port_configure() or
 * gso_offload_port_stop() runs.
 *
 * The library holds only its own TX bursts; an lcore that also receives
 * from such a port must not call rte_eth_rx_burst() on it meanwhile (its
 * queues are being freed and set up again). Ask right before the RX burst,
 * on an lcore whose pipeline is online, with no quiescent report between
 * the two: the change's grace period then waits for that RX burst too, and
 * an lcore that asks after the hold began sees it.
 *
 * @param port_id  The port.
 * @return true while held (or port_id out of range), false otherwise.
 */
bool gso_offload_tx_port_held(uint16_t port_id);

/** Report a quiescent state (the pipeline holds no port state). */
void gso_offload_tx_quiescent(struct gso_offload_tx *tx);

/** Stop taking part in RCU grace periods (an idle or stopping lcore). */
void gso_offload_tx_offline(struct gso_offload_tx *tx);

/** Take part again; gso_offload_tx_burst() does this by itself. */
void gso_offload_tx_online(struct gso_offload_tx *tx);

/**
 * Wait for a grace period: until every online pipeline has reported a
 * quiescent state after this call began. A pipeline reports one only
 * between calls (at the end of gso_offload_tx_burst(), or through
 * gso_offload_tx_quiescent()), so when this returns no pipeline lcore is
 * still inside a call it had begun before: an ethdev RX or TX callback
 * that rte_eth_remove_rx_callback() or rte_eth_remove_tx_callback() has
 * just unlinked is no longer running on any of them, and what it uses may
 * be freed (ethdev leaves that wait to the application).
 *
 * Callable from any thread; the calling thread's own pipelines, if it
 * has any, count as quiescent. Never call it from inside an ethdev
 * callback.
 */
void gso_offload_tx_synchronize(void);

/**
 * The software reasons, in enum order, as X(suffix, name, description):
 * GSO_OFFLOAD_SW_<suffix> and gso_offload_sw_reason_name() both come from
 * this one list (as VPP's foreach_gso_error), so they cannot drift apart.
 * Values and names are stable: a new reason goes last.
 */
#define GSO_OFFLOAD_SW_REASONS(X)					\
	X(NOT_ACTIVE, "not-active", "L3/L4 variant not in the active set") \
	X(OFFSET_LIMIT, "offset-limit", "L4 header beyond the offset limit") \
	X(MSS_RANGE, "mss-range", "MSS outside the provider's range")	\
	X(MIN_SEGMENTS, "min-segments", "fewer segments than the minimum") \
	X(NB_SEG, "nb-seg-max", "more mbufs than nb_seg_max")		\
	X(NB_MTU_SEG, "nb-mtu-seg-max",					\
		"an MSS-worth spans > nb_mtu_seg_max")			\
	X(SEG_L2_IN_MTU, "seg-l2-in-mtu", "MSS + all headers > MTU (tap)") \
	X(HDR_SPLIT, "hdr-split", "headers not in the first mbuf")	\
	X(NO_SPLIT, "no-split", "too big, and chunks cannot be formed")	\
	X(PREPARE, "prepare", "rte_eth_tx_prepare() refused it")	\
	X(TRAILING, "trailing-bytes",					\
		"bytes past the IP length, which a NIC would send as payload") \
	X(TUN_NOT_ACTIVE, "tunnel-not-active",				\
		"a tunnel whose encapsulation, or inner L3/L4 variant in it, " \
		"is not in the active set (encapsulated offload)")	\
	X(OUTER_CKSUM, "outer-cksum",					\
		"a tunnel whose outer checksums the port cannot make: outer " \
		"IPv4 without the outer IPv4 checksum, a non-zero outer UDP " \
		"checksum without the outer UDP checksum, a GRE checksum") \
	X(VXLAN_PORT, "vxlan-port",					\
		"VXLAN on another UDP port than the port's active VXLAN port") \
	X(SEG_DATA, "seg-data-limit",					\
		"an mbuf segment holds more bytes than one TX descriptor of " \
		"the port takes (gso_offload_port_limits.max_seg_data_len)")

/** Why a superframe went to software rather than hardware
 * (GSO_OFFLOAD_SW_REASONS() describes each). */
enum gso_offload_sw_reason {
#define GSO_OFFLOAD_SW_ENUM_(suffix, name, what) GSO_OFFLOAD_SW_##suffix,
	GSO_OFFLOAD_SW_REASONS(GSO_OFFLOAD_SW_ENUM_)
#undef GSO_OFFLOAD_SW_ENUM_
	GSO_OFFLOAD_SW_REASON_MAX,
};

/**
 * The reject reasons, as GSO_OFFLOAD_SW_REASONS(): X(suffix, name,
 * description), values and names stable, new ones last.
 */
#define GSO_OFFLOAD_REJ_REASONS(X)					\
	X(HEADERS, "headers", "unparseable or truncated headers")	\
	X(LENGTHS, "lengths", "inconsistent lengths")			\
	X(FRAGMENT, "fragment", "IP fragment")				\
	X(NOT_IP, "not-ip", "not IPv4/IPv6")				\
	X(PROTOCOL, "protocol", "L4 not the one the flags ask for")	\
	X(MSS, "mss", "MSS 0 or too large")				\
	X(MTU, "mtu", "segments would exceed the MTU")			\
	X(TOO_MANY, "too-many-segments", "over GSO_OFFLOAD_TX_MAX_SEGS") \
	X(NO_MEMORY, "no-memory", "mbuf allocation failed")		\
	X(NO_BUFFER, "no-buffer", "no buffer mode fits the port")	\
	X(TCP_FLAGS, "tcp-flags", "SYN or RST on a TCP superframe")	\
	X(SEG_DATA, "seg-data-limit",					\
		"a packet sent whole (not a superframe, or one that fits " \
		"one segment) with an mbuf segment larger than one TX " \
		"descriptor of the port takes: the PMD would corrupt or " \
		"drop it silently")

/** Why a packet was rejected (freed, never sent;
 * GSO_OFFLOAD_REJ_REASONS() describes each). */
enum gso_offload_reject_reason {
#define GSO_OFFLOAD_REJ_ENUM_(suffix, name, what) GSO_OFFLOAD_REJ_##suffix,
	GSO_OFFLOAD_REJ_REASONS(GSO_OFFLOAD_REJ_ENUM_)
#undef GSO_OFFLOAD_REJ_ENUM_
	GSO_OFFLOAD_REJ_MAX,
};

/**
 * The scalar counters of struct gso_offload_tx_stats, in its order:
 * X(field). The two per-reason arrays (sw_reason[], rejected[]) are
 * listed by their reasons' own X-macros. Telemetry and gso-fwd name the
 * counters from here; the library's build checks that every scalar field
 * of the struct is listed (a new counter goes into both, at the end).
 */
#define GSO_OFFLOAD_TX_COUNTERS(X)					\
	X(pass_pkts) X(pass_bytes) X(finalized) X(hw_pkts) X(hw_bytes)	\
	X(split_pkts) X(split_chunks) X(split_bytes)			\
	X(sw_pkts) X(sw_segs) X(sw_bytes)				\
	X(tcp_ok) X(tcp_fail) X(udp_ok) X(udp_fail)			\
	X(tx_returned) X(tx_dropped) X(tx_held) X(tx_held_pkts)	\
	X(gathered)

/** Counters of a port, summed over the lcores' pipelines
 * (GSO_OFFLOAD_TX_COUNTERS() lists the scalar ones). */
struct gso_offload_tx_stats {
	uint64_t pass_pkts;       /**< packets passed through (incl. finalized) */
	uint64_t pass_bytes;
	uint64_t finalized;       /**< superframes that fit one segment */
	uint64_t hw_pkts;         /**< superframes sent to hardware */
	uint64_t hw_bytes;
	uint64_t split_pkts;      /**< superframes split for hardware */
	uint64_t split_chunks;    /**< chunks sent to hardware */
	uint64_t split_bytes;
	uint64_t sw_pkts;         /**< superframes segmented in software */
	uint64_t sw_segs;         /**< segments produced */
	uint64_t sw_bytes;
	uint64_t sw_reason[GSO_OFFLOAD_SW_REASON_MAX];
	/** NetAdapterCx's counters: superframes offloaded or segmented
	 * (ok) and rejected (fail), per L4 protocol. */
	uint64_t tcp_ok, tcp_fail, udp_ok, udp_fail;
	uint64_t rejected[GSO_OFFLOAD_REJ_MAX];
	uint64_t tx_returned;     /**< packets the queue did not take, returned */
	uint64_t tx_dropped;      /**< segments the queue never took, freed */
	uint64_t tx_held;         /**< bursts returned whole: port held */
	/** Packets those bursts returned (0 on a hitless port: only a
	 * change that restarts the port holds it). */
	uint64_t tx_held_pkts;
	/** Plain packets, and superframes of one segment, copied into
	 * fewer mbufs: the port gathers at most nb_mtu_seg_max per packet
	 * (counted in pass_pkts too; a copy that cannot fit is rejected,
	 * no-memory or no-buffer). */
	uint64_t gathered;
};

/**
 * Read a port's counters, summed over all pipelines (freed ones
 * included). Safe while the lcores transmit (each counter is read once).
 *
 * @return 0, -EINVAL stats NULL, -ENODEV bad port.
 */
int gso_offload_tx_stats_get(uint16_t port_id, struct gso_offload_tx_stats *stats);

/** Name of a software reason ("not-active", ...). */
const char *gso_offload_sw_reason_name(enum gso_offload_sw_reason r);

/** Name of a reject reason ("headers", ...). */
const char *gso_offload_reject_reason_name(enum gso_offload_reject_reason r);

#ifdef __cplusplus
}
#endif

#endif /* GSO_OFFLOAD_TX_H */
