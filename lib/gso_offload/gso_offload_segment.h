/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_OFFLOAD_SEGMENT_H
#define GSO_OFFLOAD_SEGMENT_H

/**
 * @file
 * Software segmentation: TCP (LSO) and UDP (USO) over IPv4 and IPv6, plain
 * or inside VXLAN, GENEVE, GRE and IP-in-IP tunnels (the mbuf's
 * RTE_MBUF_F_TX_TUNNEL_* kind; docs/tunnels.md), for the packets a port
 * cannot segment itself.
 *
 * A superframe is one L2 frame in an mbuf or a chain of any layout (headers
 * split across segments, empty segments): Ethernet, 802.1Q or QinQ
 * (802.1ad + 802.1Q) in the frame or in vlan_tci/vlan_tci_outer; IPv4 with
 * or without options, IPv6 with or without hop-by-hop, routing and
 * destination-options headers; TCP with or without options, or UDP. Header
 * lengths in the mbuf are ignored: the headers are parsed.
 *
 * Each segment carries the superframe's headers unaltered except: IPv4
 * total length, ID and header checksum; IPv6 payload length; TCP sequence
 * number, flags and checksum; UDP length and checksum; for a tunnel also
 * the outer IPv4 total length, ID and header checksum, IPv6 payload
 * length, UDP length and (non-zero) checksum, GRE checksum. See
 * docs/segmentation.md for the rules and the buffer heuristic,
 * docs/tunnels.md for tunnels.
 *
 * Ownership: on success the superframe is consumed (its data is referenced
 * by or copied into the segments, which the caller then owns) unless the
 * caller asks to keep it (gso_offload_seg_params.keep_input); on any error
 * nothing was allocated or everything allocated was freed, and the
 * superframe is untouched and still the caller's.
 */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @name Error codes of gso_offload_segment() (negated)
 * @{
 */
/** Headers truncated or unparseable (IHL < 5, TCP data offset < 5, frame
 * shorter than its headers, more than GSO_OFFLOAD_MAX_HDR_LEN of them, a
 * TCP superframe carrying SYN or RST). */
#define GSO_OFFLOAD_EHDR       EBADMSG
/** Inconsistent lengths: an mbuf chain that does not hold its pkt_len, IP
 * length beyond the frame or shorter than the headers, UDP length not
 * equal to the L4 length. */
#define GSO_OFFLOAD_ELEN       ERANGE
/** An IPv4 fragment or an IPv6 fragment header: not segmentable. */
#define GSO_OFFLOAD_EFRAG      ENOTSUP
/** Not IPv4 or IPv6. */
#define GSO_OFFLOAD_ENOTIP     EAFNOSUPPORT
/** L4 is not the requested protocol (or an unsupported extension header:
 * a routing type it cannot follow, a hop-by-hop Jumbo Payload option; or
 * a tunnel it cannot segment: another TUNNEL kind, an outer L4 that does
 * not match the kind, GRE with a sequence number, routing or version, a
 * GENEVE/GRE payload type other than TEB/IPv4/IPv6). */
#define GSO_OFFLOAD_EPROTO     EPROTONOSUPPORT
/** MSS is 0, or so large that a segment's IP length field cannot hold it
 * (also: bad parameters). */
#define GSO_OFFLOAD_EMSS       EINVAL
/** MSS so large that nothing would be split (payload <= MSS). */
#define GSO_OFFLOAD_ENOSPLIT   EALREADY
/** The output array is too small for the segments. */
#define GSO_OFFLOAD_EOUT       ENOSPC
/** An mbuf allocation failed. */
#define GSO_OFFLOAD_ENOMEM     ENOMEM
/** No buffer mode fits: the header pool's data room is too small for a
 * flat segment and the port cannot take as many mbufs per segment as the
 * superframe's layout needs. */
#define GSO_OFFLOAD_EBUF       ENOBUFS
/** @} */

/** Longest header stack (L2 + L3 + extension headers + L4) accepted. */
#define GSO_OFFLOAD_MAX_HDR_LEN 384

/** Segmentation type. */
enum gso_offload_seg_proto {
	GSO_OFFLOAD_SEG_TCP = 1,  /**< LSO: TCP segments */
	GSO_OFFLOAD_SEG_UDP = 2,  /**< USO: complete UDP datagrams */
};

/** @name Checksum handling of the segments (flags)
 * Without a flag the checksum is computed in software.
 * @{
 */
/** IPv4 header checksum by the port: field 0, RTE_MBUF_F_TX_IP_CKSUM. */
#define GSO_OFFLOAD_CKSUM_IP_HW    (1u << 0)
/** L4 checksum by the port: RTE_MBUF_F_TX_TCP_CKSUM / UDP_CKSUM. */
#define GSO_OFFLOAD_CKSUM_L4_HW    (1u << 1)
/** With L4_HW: the field holds the pseudo-header checksum (with length),
 * as rte_net_intel_cksum_prepare() would write; else 0. */
#define GSO_OFFLOAD_CKSUM_L4_PHDR  (1u << 2)
/** Tunnels: outer IPv4 header checksum by the port: field 0,
 * RTE_MBUF_F_TX_OUTER_IP_CKSUM. */
#define GSO_OFFLOAD_CKSUM_OUTER_IP_HW  (1u << 3)
/** Tunnels: a non-zero outer UDP checksum by the port: the field holds the
 * outer pseudo-header checksum, RTE_MBUF_F_TX_OUTER_UDP_CKSUM. (An outer
 * UDP checksum of 0 stays 0 either way.) */
#define GSO_OFFLOAD_CKSUM_OUTER_UDP_HW (1u << 4)
/** @} */

/** How segments are built. */
enum gso_offload_seg_buffers {
	/** Chosen per superframe by the documented heuristic. */
	GSO_OFFLOAD_BUF_AUTO = 0,
	/** A header mbuf per segment chained to mbufs referencing the
	 * superframe's payload (indirect or external-buffer attach). */
	GSO_OFFLOAD_BUF_ZEROCOPY = 1,
	/** One flat mbuf per segment; copy and checksum in one pass. Its
	 *  headroom is the pool's, or up to 63 bytes more where the data
	 *  room allows, so that the payload starts on a cache line. */
	GSO_OFFLOAD_BUF_COPY = 2,
};

/** Parameters of one segmentation. */
struct gso_offload_seg_params {
	uint16_t mss;        /**< Payload bytes per segment (not counting headers). */
	uint8_t proto;       /**< enum gso_offload_seg_proto */
	uint8_t cksum;       /**< GSO_OFFLOAD_CKSUM_* */
	uint8_t buffers;     /**< enum gso_offload_seg_buffers */
	/** Most mbufs one segment may have (the port's nb_mtu_seg_max; 1 if it
	 * lacks MULTI_SEGS); 0 means no limit. */
	uint8_t max_mbufs_per_seg;
	/** IPv4 ID step between consecutive segments; 0 means 1. A caller
	 * cutting a superframe into chunks that hardware segments further
	 * passes the segments per chunk, so IDs stay unique across chunks. */
	uint16_t ip_id_stride;
	/** 0: the superframe is consumed on success. 1: it stays the
	 * caller's, as with rte_gso_segment() since DPDK 21.02: the segments
	 * hold references of their own (or copies), and the caller frees it
	 * when done. For a sender that keeps the data for retransmission, or
	 * a switch sending one superframe to several ports: cheaper than
	 * taking a reference first, which makes the engine's reference
	 * update atomic. Each zero-copy segmentation adds one reference per
	 * segment to the superframe's data, and DPDK's counts are 16 bits:
	 * the caller keeps the segments outstanding from one superframe,
	 * over all its calls, below 65535. */
	uint8_t keep_input;
};

/** @name Engine flags (gso_offload_seg_conf.flags)
 * @{
 */
/** Every segment keeps the superframe's IPv4 ID (default: ID + index,
 * wrapping at 65536). */
#define GSO_OFFLOAD_SEG_F_IPID_FIXED  (1u << 0)
/** Plan every superframe from scratch. By default the engine keeps the
 * plan of the last superframe it segmented (its header template and
 * hoisted checksum sums) and reuses it for the next superframe whose
 * headers are byte for byte the same outside the fields segmentation
 * rewrites (consecutive superframes of one flow); the lengths, flags,
 * IPv4 ID and TCP sequence are still read and checked on every one. It
 * also keeps the plans of up to 64 earlier flows (24 KB per engine), found
 * by the superframe's addresses and ports through its TX metadata
 * (l2_len, l3_len, RTE_MBUF_F_TX_IPV4/IPV6, a tunnel's outer lengths):
 * interleaved flows. Wrong metadata only costs the reuse.
 * This flag turns all that off: for benchmarks of the interleaved-flow
 * case, and tests. */
#define GSO_OFFLOAD_SEG_F_NO_FLOW_CACHE (1u << 1)
/** @} */

/**
 * Engine configuration.
 *
 * Pools are best made with gso_offload_seg_pool_create(): one pool for
 * header and reference mbufs lets rte_pktmbuf_free_bulk() return a burst
 * of segments to it in bulk (it flushes whenever the pool changes), and a
 * LIFO pool keeps the mbufs in flight cache-hot when more segments are
 * outstanding than the per-lcore mempool cache holds.
 */
struct gso_offload_seg_conf {
	/** Header mbufs of zero-copy segments; data room at least
	 * GSO_OFFLOAD_MAX_HDR_LEN. */
	struct rte_mempool *hdr_pool;
	/** Payload references of zero-copy segments; may (should) be
	 * hdr_pool; data room unused. */
	struct rte_mempool *ref_pool;
	/** Flat segments of copy mode; its data room decides whether a
	 * given MSS can be copied. NULL: hdr_pool. */
	struct rte_mempool *copy_pool;
	/** GSO_OFFLOAD_SEG_F_* */
	uint32_t flags;
};

/**
 * Create a pool suited to the engine: LIFO (the "stack" mempool driver,
 * so that the most recently freed mbufs, still in cache, are reused first;
 * the default driver if "stack" is not available), with the given data
 * room after the standard headroom.
 *
 * @param name       Pool name.
 * @param n          Number of mbufs.
 * @param data_room  Bytes after RTE_PKTMBUF_HEADROOM: GSO_OFFLOAD_MAX_HDR_LEN
 *                   for header/reference pools, MTU-sized for copy pools.
 * @param socket_id  NUMA socket.
 * @return The pool, or NULL with rte_errno set.
 */
struct rte_mempool *gso_offload_seg_pool_create(const char *name,
		unsigned int n, uint16_t data_room, int socket_id);

/** A segmentation engine: one per lcore, not thread-safe. */
struct gso_offload_seg_ctx;

/**
 * Create a segmentation engine.
 *
 * @param conf       Pools and flags; copied.
 * @param socket_id  NUMA socket for the engine's memory.
 * @return The engine, or NULL with rte_errno set (EINVAL: missing pool or
 *   hdr_pool without room for GSO_OFFLOAD_MAX_HDR_LEN; ENOMEM).
 */
struct gso_offload_seg_ctx *
gso_offload_seg_create(const struct gso_offload_seg_conf *conf, int socket_id);

/** Free an engine (NULL is a no-op). Segments it made stay valid. */
void gso_offload_seg_free(struct gso_offload_seg_ctx *ctx);

/**
 * Segment a superframe.
 *
 * @param ctx     The calling lcore's engine.
 * @param sf      The superframe; consumed on success (unless
 *                params->keep_input), untouched on error.
 * @param params  MSS, protocol, checksum handling, buffers.
 * @param out     Receives the segments, in order.
 * @param nb_out  Room in out.
 * @return The number of segments (>= 2), or a negated GSO_OFFLOAD_E* code.
 */
int gso_offload_segment(struct gso_offload_seg_ctx *ctx, struct rte_mbuf *sf,
		const struct gso_offload_seg_params *params,
		struct rte_mbuf **out, uint16_t nb_out);

/**
 * Make a superframe that needs no segmentation (payload <= MSS) a plain
 * packet, with the checksums of a segment: computed, or left to the port
 * with the offload flags and pseudo-header (params->cksum). Segmentation
 * flags are cleared and l2/l3/l4_len set; the headers may lie across mbufs.
 *
 * @param m       The packet; modified in place.
 * @param params  Protocol and checksum handling (mss is not used).
 * @return 0, or a negated GSO_OFFLOAD_E* code (the packet is unchanged):
 *   -GSO_OFFLOAD_EMSS also when its IP length field cannot hold the
 *   whole payload (a superframe with IP length 0, beyond 64 KB).
 */
int gso_offload_seg_finalize(struct rte_mbuf *m,
		const struct gso_offload_seg_params *params);

/**
 * How many segments a superframe would produce, without segmenting it;
 * runs the same checks as gso_offload_segment().
 *
 * @return The number of segments, or a negated GSO_OFFLOAD_E* code.
 */
int gso_offload_segment_count(const struct rte_mbuf *sf,
		const struct gso_offload_seg_params *params);

/**
 * Name of the checksum implementation in use for software checksums
 * ("avx512vnni", "avx512", "avx2", "sse42" or "scalar"), chosen at load
 * time for the CPU.
 */
const char *gso_offload_seg_cksum_isa(void);

/**
 * Text for a gso_offload_segment() return value ("headers truncated or
 * unparseable", ...).
 */
const char *gso_offload_seg_strerror(int ret);

#ifdef __cplusplus
}
#endif

#endif /* GSO_OFFLOAD_SEGMENT_H */
