/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_OFFLOAD_PORT_H
#define GSO_OFFLOAD_PORT_H

/**
 * @file
 * The driver side: what a port really can do, and how an active set is
 * applied to it.
 *
 * rte_eth_dev_info says whether a port has TCP_TSO or UDP_TSO, but not the
 * limits a PMD enforces in tx_prepare (MSS range, frame size), how many
 * bytes one TX descriptor takes (max_seg_data_len), whether it needs the
 * IPv4 checksum flag with TSO, or what pseudo-header it expects.
 * A provider (one per PMD family, in drivers/net/) fills those in. The
 * library derives every port's capabilities from rte_eth_dev_info and then
 * lets the port's provider refine them.
 *
 * Port lifecycle with the library:
 *   gso_offload_port_configure()   derive + register caps, configure port
 *   gso_offload_port_start()       rte_eth_dev_start (NetAdapterStart)
 *   ... gso_offload_wanted_update() at any time: the provider re-applies
 *   gso_offload_port_stop() / gso_offload_port_release()
 *
 * Active-set changes are hitless by default. DPDK requests TSO/USO per
 * packet (RTE_MBUF_F_TX_TCP_SEG/UDP_SEG), so a port whose TX offloads were
 * configured once with everything its hardware has needs no restart to stop
 * or resume using one: a change only publishes the new active set to the
 * pipelines, which never pause. A provider that sets restart_on_change (or
 * an application through gso_offload_port_set_restart()) gets the older
 * behaviour instead: the port's TX offloads follow the active set, and each
 * change stops, reconfigures and restarts the port while the pipelines are
 * held off it (their bursts return the packets to the caller meanwhile).
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ethdev.h>

#include "gso_offload_caps.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @name Port quirk flags (gso_offload_port_limits.flags)
 * @{
 */
/** IPv4 TSO needs RTE_MBUF_F_TX_IP_CKSUM or the IPv4 checksum is wrong. */
#define GSO_OFFLOAD_QUIRK_TSO_NEEDS_IP_CKSUM     (1u << 0)
/** The PMD wants the pseudo-header checksum (without length) in the L4
 * checksum field of a GSO packet (rte_eth_tx_prepare writes it for TCP). */
#define GSO_OFFLOAD_QUIRK_PHDR_CKSUM             (1u << 1)
/** tso_segsz + l2_len + l3_len + l4_len must not exceed the MTU (net_tap
 * counts the Ethernet header inside the MTU). */
#define GSO_OFFLOAD_QUIRK_SEG_L2_IN_MTU          (1u << 2)
/** Frames larger than the MTU are counted as sent and silently dropped
 * (net_af_packet): never hand it one. */
#define GSO_OFFLOAD_QUIRK_OVERSIZE_SILENT_DROP   (1u << 3)
/** TSO over IPv6 is advertised by the PMD but not performed. */
#define GSO_OFFLOAD_QUIRK_NO_TSO_IPV6            (1u << 4)
/** @} */

/**
 * What a port can do beyond the NetAdapterCx capabilities: the limits its
 * PMD enforces and its quirks. Filled by the generic derivation from
 * rte_eth_dev_info, then refined by the provider.
 */
struct gso_offload_port_limits {
	uint16_t mss_min;         /**< Smallest tso_segsz the PMD accepts. */
	uint16_t mss_max;         /**< Largest tso_segsz the PMD accepts. */
	uint32_t max_frame;       /**< Largest GSO frame, L2 header included. */
	/** Most segments one GSO packet may produce (Linux gso_max_segs). */
	uint16_t max_segments;
	uint16_t nb_seg_max;      /**< mbuf segments per GSO packet. */
	uint16_t nb_mtu_seg_max;  /**< mbuf segments per MSS-worth of data. */
	uint16_t mtu;             /**< MTU at derivation time. */
	uint32_t flags;           /**< GSO_OFFLOAD_QUIRK_* */
	/** TX offloads the port really has (rte_eth_dev_info's, corrected). */
	uint64_t tx_offload_capa;
	/**
	 * Largest data_len of one mbuf segment the PMD takes: one TX
	 * descriptor's buffer, which rte_eth_dev_info does not report.
	 * UINT16_MAX (the generic derivation): no limit, any data_len fits.
	 * The PMD is taken not to split a larger segment over several
	 * descriptors (net_vmxnet3 writes data_len unmasked into a 14-bit
	 * field and corrupts the descriptor), so no packet with a larger
	 * segment reaches it: a superframe goes to software
	 * (GSO_OFFLOAD_SW_SEG_DATA), a packet sent whole is rejected
	 * (GSO_OFFLOAD_REJ_SEG_DATA). A PMD that splits segments itself
	 * leaves it at UINT16_MAX.
	 */
	uint16_t max_seg_data_len;
};

/**
 * A port's setup, recorded by the library so that a provider can replay it
 * when an active-set change needs the port reconfigured (for most PMDs a
 * TX offload change means rte_eth_dev_configure and new queues).
 */
struct gso_offload_port_setup {
	/** Port configuration; txmode.offloads holds the offloads the
	 * application needs besides GSO, TSO bits in it are ignored. */
	struct rte_eth_conf conf;
	uint16_t nb_rx_queues;    /**< Number of RX queues. */
	uint16_t nb_tx_queues;    /**< Number of TX queues. */
	uint16_t nb_rx_desc;      /**< Descriptors per RX queue. */
	uint16_t nb_tx_desc;      /**< Descriptors per TX queue. */
	/** One mempool per RX queue (nb_rx_queues entries); the queue is set
	 * up on its pool's NUMA socket. */
	struct rte_mempool *const *rx_pools;
	/** Socket of the TX queues (SOCKET_ID_ANY for the port's). */
	int tx_socket_id;
};

/** A provider: the driver side for one PMD family. */
struct gso_offload_provider {
	/** Family name, for logs and telemetry. */
	const char *name;
	/** NULL-terminated list of rte_eth_dev_info.driver_name values it
	 * serves; NULL for the generic provider. */
	const char *const *driver_names;
	/**
	 * Refine the capabilities and limits derived from rte_eth_dev_info.
	 * On entry caps and lim hold the generic derivation (caps->l3_flags
	 * and l4_flags 0 when the port has no TSO/USO); the provider
	 * corrects them to what the port really can do.
	 *
	 * @return 0, or a negative errno to fail the derivation.
	 */
	int (*describe)(uint16_t port_id, const struct rte_eth_dev_info *info,
			struct gso_offload_caps *caps,
			struct gso_offload_port_limits *lim);
	/**
	 * TX offloads to configure for an active set, given the offloads the
	 * application asked for. NULL: the generic rule (TCP_TSO if any LSO
	 * keyword is enabled, UDP_TSO if any USO one is, plus the checksum and
	 * MULTI_SEGS offloads the port has).
	 */
	uint64_t (*tx_offloads)(uint16_t port_id,
			const struct gso_offload_active *active,
			const struct gso_offload_port_limits *lim,
			uint64_t app_offloads);
	/**
	 * True: the port must be stopped and reconfigured for an active-set
	 * change (its TX offloads follow the active set; tx_offloads() is
	 * asked with each new set). False (the default, right for DPDK's
	 * per-packet TSO/USO): the port is configured once with the offloads
	 * of the whole hardware set (tx_offloads() asked with every keyword
	 * on), and a change never touches it.
	 */
	bool restart_on_change;
	/**
	 * The provider's EVT_NET_ADAPTER_OFFLOAD_SET_GSO: called once per
	 * change of the active set, with the new set, after the port's TX
	 * offloads were made to match it (and, with restart_on_change, while
	 * the pipelines are held off the port). NULL: nothing to program
	 * beyond the TX offloads. Same contract as gso_offload_set_gso_t
	 * (arg is NULL); an error refuses the change.
	 */
	gso_offload_set_gso_t set_gso;
	/**
	 * Refine the encapsulated offload capabilities derived from
	 * rte_eth_dev_info (NDIS 6.50 encapsulated packet task offload).
	 * Called after describe(). On entry encap holds the generic
	 * derivation: per RTE_ETH_TX_OFFLOAD_{VXLAN,GENEVE,GRE,IPIP}_TNL_TSO
	 * (UDP_TNL_TSO / IP_TNL_TSO: VXLAN and GENEVE / GRE and IP-in-IP as
	 * generic tunnels) inner TCP over every inner L3 variant, the outer
	 * IPv4 checksum where OUTER_IPV4_CKSUM is reported, the outer UDP
	 * checksum (UDP encapsulations) where OUTER_UDP_CKSUM is, no header
	 * limit, VXLAN port 4789. The provider corrects them, and lim's
	 * tx_offload_capa with them (an offload the port reports but gets
	 * wrong is removed there, so it is never configured). NULL: the
	 * generic derivation stands.
	 *
	 * @return 0, or a negative errno to fail the derivation.
	 */
	int (*describe_encap)(uint16_t port_id,
			const struct rte_eth_dev_info *info,
			struct gso_offload_encap_caps *encap,
			struct gso_offload_port_limits *lim);
};

/**
 * Find the provider for a driver name; the generic provider if no family
 * matches. Never NULL.
 */
const struct gso_offload_provider *
gso_offload_provider_find(const char *driver_name);

/**
 * Use a given provider for a port instead of the one its driver name
 * selects (e.g. to declare limits of a NIC the library does not know, or
 * in tests). Must precede gso_offload_port_configure().
 *
 * @param port_id   The port.
 * @param provider  The provider, or NULL to go back to the default.
 * @return 0, -ENODEV bad port, -EBUSY port already configured by the library.
 */
int gso_offload_port_set_provider(uint16_t port_id,
		const struct gso_offload_provider *provider);

/**
 * Whether active-set changes restart the port, overriding its provider's
 * restart_on_change (e.g. for a PMD that picks a faster TX path when it is
 * configured without TSO, at the price of a restart per change). Must
 * precede gso_offload_port_configure().
 *
 * @param port_id  The port.
 * @param restart  1: restart on every change; 0: never (hitless); -1: as
 *   the provider says (the default).
 * @return 0, -ENODEV bad port, -EINVAL bad value, -EBUSY port already
 *   configured by the library.
 */
int gso_offload_port_set_restart(uint16_t port_id, int restart);

/**
 * Whether an active-set change restarts the port (see
 * gso_offload_port_set_restart()).
 *
 * @return 1 restart, 0 hitless, -ENODEV bad port or not configured by the
 *   library.
 */
int gso_offload_port_restarts(uint16_t port_id);

/**
 * Derive a port's hardware capabilities and limits (rte_eth_dev_info, then
 * the provider) without registering anything.
 *
 * @param port_id  The port.
 * @param caps     Receives the capabilities (flags 0: no GSO at all).
 * @param lim      Receives the limits; may be NULL.
 * @return 0, -ENODEV bad port, or the provider's error.
 */
int gso_offload_port_describe(uint16_t port_id, struct gso_offload_caps *caps,
		struct gso_offload_port_limits *lim);

/**
 * Derive a port's encapsulated offload capabilities (rte_eth_dev_info,
 * then the provider's describe_encap()) without registering anything.
 *
 * @param port_id  The port.
 * @param encap    Receives the capabilities (nothing offloaded: all zero).
 * @return 0, -ENODEV bad port, -EINVAL encap NULL, or the provider's error.
 */
int gso_offload_port_describe_encap(uint16_t port_id,
		struct gso_offload_encap_caps *encap);

/**
 * Take a port under the library: derive and register its capabilities,
 * the encapsulated ones included (with the provider applying every change
 * of the active set), record the
 * setup and configure the port (rte_eth_dev_configure and queue setup) with
 * the TX offloads of the whole hardware set (hitless changes) or of the
 * active set (a port that restarts on change). The port must not be
 * started.
 *
 * @return 0 on success; -ENODEV bad port; -EBUSY port started; -EINVAL bad
 *   setup; or the ethdev error, with the library's state for the port left
 *   as before the call.
 */
int gso_offload_port_configure(uint16_t port_id,
		const struct gso_offload_port_setup *setup);

/**
 * Start a port (NetAdapterStart): after this, capability registration
 * fails with -EBUSY until gso_offload_port_stop().
 *
 * @return 0 or rte_eth_dev_start()'s error.
 */
int gso_offload_port_start(uint16_t port_id);

/**
 * Stop a port started with gso_offload_port_start().
 *
 * @return 0 or rte_eth_dev_stop()'s error.
 */
int gso_offload_port_stop(uint16_t port_id);

/**
 * Whether a port is started (by the library or directly with
 * rte_eth_dev_start()).
 */
bool gso_offload_port_is_started(uint16_t port_id);

/**
 * Limits and quirks recorded for a port.
 *
 * @return 0, -ENODEV bad port or port unknown to the library.
 */
int gso_offload_port_limits_get(uint16_t port_id,
		struct gso_offload_port_limits *lim);

/**
 * TX offloads the library last configured on the port.
 *
 * @return 0, -ENODEV bad port or not configured by the library.
 */
int gso_offload_port_tx_offloads_get(uint16_t port_id, uint64_t *offloads);

/**
 * Name of the provider serving a port ("generic" if none matched).
 */
const char *gso_offload_port_provider_name(uint16_t port_id);

/**
 * Print what the library knows of a port, one item per line, each indented
 * by two spaces: the hardware capabilities, the provider's limits, the
 * administrator's wanted keywords, the active keywords and the port's TX
 * offloads (as for the console of an application, or rte_mempool_dump()).
 *
 * @param f        Where to print.
 * @param port_id  The port.
 */
void gso_offload_port_dump(FILE *f, uint16_t port_id);

/**
 * Forget a port: drop its capabilities, wanted settings and setup record.
 * The port must be stopped; it is not closed.
 *
 * @return 0, -ENODEV bad port, -EBUSY port started.
 */
int gso_offload_port_release(uint16_t port_id);

#ifdef __cplusplus
}
#endif

#endif /* GSO_OFFLOAD_PORT_H */
