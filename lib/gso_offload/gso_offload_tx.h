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
 * waits. One pipeline per thread.
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
	 * chunks (gso_offload_seg_pool_create(), GSO_OFFLOAD_MAX_HDR_LEN). */
	struct rte_mempool *seg_pool;
	/** Flat software segments (MTU-sized data room); NULL: seg_pool. */
	struct rte_mempool *copy_pool;
	/** GSO_OFFLOAD_SEG_F_* for software segmentation. */
	uint32_t seg_flags;
	/**
	 * TX queue polls for the segments of one superframe before those the
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
 * Callable from any thread; the calling lcore's own pipeline, if it has
 * one, counts as quiescent. Never call it from inside an ethdev callback.
 */
void gso_offload_tx_synchronize(void);

/** Why a superframe went to software rather than hardware. */
enum gso_offload_sw_reason {
	GSO_OFFLOAD_SW_NOT_ACTIVE,     /**< L3/L4 variant not in the active set */
	GSO_OFFLOAD_SW_OFFSET_LIMIT,   /**< L4 header beyond the offset limit */
	GSO_OFFLOAD_SW_MSS_RANGE,      /**< MSS outside the provider's range */
	GSO_OFFLOAD_SW_MIN_SEGMENTS,   /**< fewer segments than the minimum */
	GSO_OFFLOAD_SW_NB_SEG,         /**< more mbufs than nb_seg_max */
	GSO_OFFLOAD_SW_NB_MTU_SEG,     /**< an MSS-worth spans > nb_mtu_seg_max */
	GSO_OFFLOAD_SW_SEG_L2_IN_MTU,  /**< MSS + all headers > MTU (tap) */
	GSO_OFFLOAD_SW_HDR_SPLIT,      /**< headers not in the first mbuf */
	GSO_OFFLOAD_SW_NO_SPLIT,       /**< too big, and chunks cannot be formed */
	GSO_OFFLOAD_SW_PREPARE,        /**< rte_eth_tx_prepare() refused it */
	GSO_OFFLOAD_SW_TRAILING,       /**< bytes past the IP length, which a
					 *   NIC would send as payload */
	/** A tunnel whose encapsulation, or inner L3/L4 variant in it, is
	 * not in the active set (encapsulated offload). */
	GSO_OFFLOAD_SW_TUN_NOT_ACTIVE,
	/** A tunnel whose outer checksums the port cannot make: outer IPv4
	 * without the outer IPv4 checksum, a non-zero outer UDP checksum
	 * without the outer UDP checksum, a GRE checksum (no NIC has it). */
	GSO_OFFLOAD_SW_OUTER_CKSUM,
	/** VXLAN on another UDP port than the port's active VXLAN port
	 * (*VxlanUDPPortNumber). */
	GSO_OFFLOAD_SW_VXLAN_PORT,
	GSO_OFFLOAD_SW_REASON_MAX,
};

/** Why a packet was rejected (freed, never sent). */
enum gso_offload_reject_reason {
	GSO_OFFLOAD_REJ_HEADERS,       /**< unparseable or truncated headers */
	GSO_OFFLOAD_REJ_LENGTHS,       /**< inconsistent lengths */
	GSO_OFFLOAD_REJ_FRAGMENT,      /**< IP fragment */
	GSO_OFFLOAD_REJ_NOT_IP,        /**< not IPv4/IPv6 */
	GSO_OFFLOAD_REJ_PROTOCOL,      /**< L4 not the one the flags ask for */
	GSO_OFFLOAD_REJ_MSS,           /**< MSS 0 or too large */
	GSO_OFFLOAD_REJ_MTU,           /**< segments would exceed the MTU */
	GSO_OFFLOAD_REJ_TOO_MANY,      /**< over GSO_OFFLOAD_TX_MAX_SEGS */
	GSO_OFFLOAD_REJ_NO_MEMORY,     /**< mbuf allocation failed */
	GSO_OFFLOAD_REJ_NO_BUFFER,     /**< no buffer mode fits the port */
	GSO_OFFLOAD_REJ_TCP_FLAGS,     /**< SYN or RST on a TCP superframe */
	GSO_OFFLOAD_REJ_MAX,
};

/** Counters of a port, summed over the lcores' pipelines. */
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
