/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_OFFLOAD_CAPS_H
#define GSO_OFFLOAD_CAPS_H

/**
 * @file
 * GSO capability negotiation: what a port can, what the administrator
 * wants, and what is active.
 *
 * This mirrors Windows NetAdapterCx (NET_ADAPTER_OFFLOAD_GSO_CAPABILITIES,
 * NetAdapterOffloadSetGsoCapabilities, EVT_NET_ADAPTER_OFFLOAD_SET_GSO and
 * the legacy LSO variants) on top of rte_ethdev:
 *
 *  - the "driver" (a provider in drivers/net, or the application acting as
 *    one) registers the port's hardware capabilities before the port is
 *    started;
 *  - the administrator enables or disables the four standard keywords
 *    (*LsoV2IPv4, *LsoV2IPv6, *UsoIPv4, *UsoIPv6) per port at any time;
 *  - the active set is hardware ∩ wanted; the driver's callback runs on the
 *    control thread exactly once per change of the active set and reads the
 *    new set through a read-only handle;
 *  - tunnels have capabilities of their own beside these, after NDIS 6.50's
 *    encapsulated packet task offload (gso_offload_set_encap_caps(), the
 *    *EncapsulatedPacketTaskOffload* keywords, *VxlanUDPPortNumber): part
 *    of the same active set, heard of through the same callback.
 *
 * All functions here are control-plane functions: call them from one
 * control thread (they are serialised internally, and safe against the
 * telemetry thread). None may be called from a change callback except the
 * query functions.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @name Layer 3 flags (NET_ADAPTER_OFFLOAD_LAYER3_FLAGS)
 * A "with" variant requires its plain variant.
 * @{
 */
#define GSO_OFFLOAD_L3_IPV4_NO_OPTIONS       (1u << 0)
#define GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS     (1u << 1)
#define GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS    (1u << 2)
#define GSO_OFFLOAD_L3_IPV6_WITH_EXTENSIONS  (1u << 3)
#define GSO_OFFLOAD_L3_ALL                   0xfu
/** @} */

/** @name Layer 4 flags (NET_ADAPTER_OFFLOAD_LAYER4_FLAGS)
 * TCP without options is required for LSO, UDP for USO; TCP with options
 * requires TCP without options.
 * @{
 */
#define GSO_OFFLOAD_L4_TCP_NO_OPTIONS        (1u << 0)
#define GSO_OFFLOAD_L4_TCP_WITH_OPTIONS      (1u << 1)
#define GSO_OFFLOAD_L4_UDP                   (1u << 2)
#define GSO_OFFLOAD_L4_ALL                   0x7u
/** @} */

/** @name Administrator keywords (standardised INF keywords), as a bit mask
 * @{
 */
#define GSO_OFFLOAD_LSO_IPV4   (1u << 0) /**< *LsoV2IPv4, "lso4" */
#define GSO_OFFLOAD_LSO_IPV6   (1u << 1) /**< *LsoV2IPv6, "lso6" */
#define GSO_OFFLOAD_USO_IPV4   (1u << 2) /**< *UsoIPv4,   "uso4" */
#define GSO_OFFLOAD_USO_IPV6   (1u << 3) /**< *UsoIPv6,   "uso6" */
#define GSO_OFFLOAD_KW_ALL     0xfu
/** @} */

/**
 * Read-only view of a port's active GSO capabilities, as passed to the
 * change callback (the NETOFFLOAD handle of NetAdapterCx). Valid only for
 * the duration of the call that hands it out.
 */
struct gso_offload_active;

/**
 * Change callback (EVT_NET_ADAPTER_OFFLOAD_SET_GSO): the active set of the
 * port changed; update the hardware to match.
 *
 * Runs on the control thread, exactly once per change, never when the set
 * is unchanged. Unlike NetAdapterCx's VOID callback it returns a status: a
 * negative errno tells the library the hardware could not be updated; the
 * library then keeps the previous active set and fails the call that caused
 * the change with that value. The callback must leave the port as it was
 * when it fails.
 *
 * @param port_id  The port.
 * @param active   The new active set; query it with gso_offload_is_*().
 * @param arg      The opaque argument registered with the callback.
 * @return 0 on success, negative errno on failure.
 */
typedef int (*gso_offload_set_gso_t)(uint16_t port_id,
		const struct gso_offload_active *active, void *arg);

/** Hardware GSO capabilities (NET_ADAPTER_OFFLOAD_GSO_CAPABILITIES). */
struct gso_offload_caps {
	/** sizeof(struct gso_offload_caps): the structure's version. */
	uint32_t size;
	/** GSO_OFFLOAD_L3_* flags. */
	uint32_t l3_flags;
	/** GSO_OFFLOAD_L4_* flags. */
	uint32_t l4_flags;
	/**
	 * Largest offset of the L4 header from the start of the frame the
	 * hardware can handle (e.g. 255 for an 8-bit descriptor field);
	 * 0 means no limit. Set after gso_offload_caps_init().
	 */
	uint16_t l4_header_offset_limit;
	/** Largest L4 payload (user data) one GSO packet may carry. */
	uint32_t max_offload_size;
	/** A packet must split into at least this many segments. */
	uint32_t min_segment_count;
	/** Change callback; may be NULL (the driver is then not told). */
	gso_offload_set_gso_t set_gso;
	/** Opaque argument passed to set_gso. */
	void *set_gso_arg;
};

/**
 * Initialise a capabilities structure
 * (NET_ADAPTER_OFFLOAD_GSO_CAPABILITIES_INIT). Zeroes it, sets the size and
 * the given fields; l4_header_offset_limit is left 0 (no limit) and is set
 * separately when the hardware has one.
 *
 * @param caps               Structure to initialise.
 * @param l3_flags           GSO_OFFLOAD_L3_* flags.
 * @param l4_flags           GSO_OFFLOAD_L4_* flags.
 * @param max_offload_size   Largest payload per GSO packet, bytes.
 * @param min_segment_count  Smallest number of segments per GSO packet.
 * @param set_gso            Change callback, or NULL.
 * @param set_gso_arg        Opaque argument for the callback.
 */
void gso_offload_caps_init(struct gso_offload_caps *caps, uint32_t l3_flags,
		uint32_t l4_flags, uint32_t max_offload_size,
		uint32_t min_segment_count, gso_offload_set_gso_t set_gso,
		void *set_gso_arg);

/**
 * Check a capabilities structure against the driver-verifier rules without
 * registering it.
 *
 * Rules, in the order checked: size equals sizeof(struct gso_offload_caps);
 * no unknown L3 or L4 bit; not all flags zero; L3 flags present; L4 flags
 * present; maximum offload size non-zero; minimum segment count non-zero;
 * IPv4-with-options requires IPv4-without-options; IPv6-with-extensions
 * requires IPv6-without-extensions; TCP-with-options requires
 * TCP-without-options.
 *
 * @param caps  Capabilities to check.
 * @param why   If not NULL, receives a static string naming the first
 *              violated rule, or NULL when valid.
 * @return 0 if valid, -EINVAL otherwise.
 */
int gso_offload_caps_validate(const struct gso_offload_caps *caps,
		const char **why);

/**
 * Register a port's hardware GSO capabilities
 * (NetAdapterOffloadSetGsoCapabilities).
 *
 * Allowed only while the port is not started, as NetAdapterCx requires the
 * call before NetAdapterStart; a later registration replaces an earlier one.
 * The structure is copied. The active set is recomputed at once
 * (hardware ∩ wanted) and, if it differs from the previous one, the new
 * callback runs once before this function returns, so the driver can
 * program the port before it starts.
 *
 * @param port_id  A valid ethdev port.
 * @param caps     The hardware capabilities.
 * @return 0 on success; -ENODEV bad port; -EBUSY port started; -EINVAL caps
 *   violate a rule (logged, naming the rule); or the callback's error.
 */
int gso_offload_set_caps(uint16_t port_id, const struct gso_offload_caps *caps);

/**
 * Read back the hardware capabilities registered for a port.
 *
 * @param port_id  The port.
 * @param caps     Receives the capabilities (all flags 0 if none).
 * @return 0 on success, -ENODEV bad port, -EINVAL caps is NULL.
 */
int gso_offload_hw_caps_get(uint16_t port_id, struct gso_offload_caps *caps);

/* ---- Legacy LSO (NET_ADAPTER_OFFLOAD_LSO_CAPABILITIES) ---- */

struct gso_offload_lso_caps;

/**
 * Legacy LSO change callback (EVT_NET_ADAPTER_OFFLOAD_SET_LSO): receives the
 * updated active LSO capabilities. Same rules as gso_offload_set_gso_t.
 */
typedef int (*gso_offload_set_lso_t)(uint16_t port_id,
		const struct gso_offload_lso_caps *active, void *arg);

/** Legacy LSO capabilities (NET_ADAPTER_OFFLOAD_LSO_CAPABILITIES). */
struct gso_offload_lso_caps {
	uint32_t size;               /**< sizeof(struct gso_offload_lso_caps) */
	bool ipv4;                   /**< TCP segmentation over IPv4 */
	bool ipv6;                   /**< TCP segmentation over IPv6 */
	uint32_t max_offload_size;   /**< Largest payload per LSO packet */
	uint32_t min_segment_count;  /**< Smallest segment count */
	gso_offload_set_lso_t set_lso; /**< Change callback, or NULL */
	void *set_lso_arg;           /**< Opaque argument for set_lso */
};

/**
 * Initialise a legacy LSO capabilities structure
 * (NET_ADAPTER_OFFLOAD_LSO_CAPABILITIES_INIT).
 */
void gso_offload_lso_caps_init(struct gso_offload_lso_caps *caps, bool ipv4,
		bool ipv6, uint32_t max_offload_size,
		uint32_t min_segment_count, gso_offload_set_lso_t set_lso,
		void *set_lso_arg);

/**
 * Map legacy LSO capabilities onto the GSO model.
 *
 * As NDIS LSOv2, which legacy NetAdapterCx LSO reports: IPv4 covers IPv4
 * with and without options, IPv6 covers IPv6 with and without extension
 * headers, and both cover TCP with and without options. The callback is not
 * mapped (it is wrapped internally by gso_offload_set_lso_caps()).
 *
 * @param lso  Legacy capabilities.
 * @param gso  Receives the equivalent GSO capabilities.
 */
void gso_offload_lso_to_gso(const struct gso_offload_lso_caps *lso,
		struct gso_offload_caps *gso);

/**
 * Register a port's hardware capabilities in legacy LSO form
 * (NetAdapterOffloadSetLsoCapabilities). They are stored as the equivalent
 * GSO capabilities, so the GSO queries and the per-packet decision see one
 * source of truth; the LSO callback receives the active LSO capabilities
 * (ipv4 = LsoV2IPv4 enabled, ipv6 = LsoV2IPv6 enabled, and the limits).
 *
 * @return as gso_offload_set_caps(); -EINVAL also for a size mismatch.
 */
int gso_offload_set_lso_caps(uint16_t port_id,
		const struct gso_offload_lso_caps *caps);

/* ---- The administrator's side: wanted settings ---- */

/**
 * Change the administrator's wanted settings of a port: keywords in on_mask
 * are enabled, those in off_mask disabled, atomically (one callback at most
 * for the combined change). Wanted settings may be changed at any time,
 * before or after registration and start; all default to on.
 *
 * @param port_id   The port.
 * @param on_mask   GSO_OFFLOAD_LSO_* / USO_* keywords to enable.
 * @param off_mask  Keywords to disable; must not intersect on_mask.
 * @return 0 on success; -ENODEV bad port; -EINVAL unknown bits or overlap;
 *   -EDEADLK called from a change callback; or the callback's error, in
 *   which case the wanted settings are left unchanged.
 */
int gso_offload_wanted_update(uint16_t port_id, uint32_t on_mask,
		uint32_t off_mask);

/**
 * Read the administrator's wanted settings.
 *
 * @param port_id   The port.
 * @param keywords  Receives the mask of enabled keywords.
 * @return 0 on success, -ENODEV bad port, -EINVAL keywords is NULL.
 */
int gso_offload_wanted_get(uint16_t port_id, uint32_t *keywords);

/**
 * Parse a GSO keyword string such as "lso4=on,lso6=off,uso4=on,uso6=off".
 * The encapsulation settings are gso_offload_settings_parse()'s: given
 * one, this fails and says so.
 *
 * Keys: lso4, lso6, uso4, uso6, or the standard names LsoV2IPv4, LsoV2IPv6,
 * UsoIPv4, UsoIPv6 (case-insensitive, with or without the leading '*').
 * Values: on, off, 1, 0. Items are separated by ','; whitespace around items
 * is ignored; a key may appear once. The empty string is valid and changes
 * nothing.
 *
 * @param str       The string.
 * @param on_mask   Receives the keywords set to on.
 * @param off_mask  Receives the keywords set to off.
 * @param err       If not NULL, receives a message naming the bad item.
 * @param err_len   Size of err.
 * @return 0 on success, -EINVAL on a malformed string.
 */
int gso_offload_wanted_parse(const char *str, uint32_t *on_mask,
		uint32_t *off_mask, char *err, size_t err_len);

/**
 * Parse a settings string and apply it to a port in one atomic update. It
 * takes everything gso_offload_settings_parse() takes: the GSO keywords
 * and the encapsulation ones with *VxlanUDPPortNumber.
 *
 * @return as gso_offload_settings_parse() and gso_offload_settings_apply().
 */
int gso_offload_wanted_set_str(uint16_t port_id, const char *str);

/**
 * Name of a single keyword bit: "LsoV2IPv4", "LsoV2IPv6", "UsoIPv4",
 * "UsoIPv6"; "?" for anything else.
 */
const char *gso_offload_keyword_name(uint32_t keyword);

/**
 * Format a keyword mask as "lso4,lso6,uso4,uso6" (the names
 * gso_offload_wanted_parse() accepts), "none" for an empty mask.
 * Always NUL-terminated; truncated to len - 1 characters.
 */
void gso_offload_keywords_str(uint32_t keywords, char *buf, size_t len);

/** Format GSO_OFFLOAD_L3_* flags: "ipv4,ipv4-options,ipv6,ipv6-extensions"
 * or "none". */
void gso_offload_l3_flags_str(uint32_t flags, char *buf, size_t len);

/** Format GSO_OFFLOAD_L4_* flags: "tcp,tcp-options,udp" or "none". */
void gso_offload_l4_flags_str(uint32_t flags, char *buf, size_t len);

/* ---- The active set ---- */

/** LsoV2IPv4 enabled: IPv4 and TCP active and the keyword on. */
bool gso_offload_is_lso_ipv4_enabled(const struct gso_offload_active *active);
/** LsoV2IPv6 enabled: IPv6 and TCP active and the keyword on. */
bool gso_offload_is_lso_ipv6_enabled(const struct gso_offload_active *active);
/** UsoIPv4 enabled: IPv4 and UDP active and the keyword on. */
bool gso_offload_is_uso_ipv4_enabled(const struct gso_offload_active *active);
/** UsoIPv6 enabled: IPv6 and UDP active and the keyword on. */
bool gso_offload_is_uso_ipv6_enabled(const struct gso_offload_active *active);

/** Mask of enabled keywords (GSO_OFFLOAD_LSO_* | GSO_OFFLOAD_USO_*). */
uint32_t gso_offload_active_keywords(const struct gso_offload_active *active);

/**
 * The active capabilities as a capabilities structure: flags are the
 * hardware flags still reachable through an enabled keyword (their union:
 * ask gso_offload_is_*_enabled() for a given L3/L4 pair), limits are the
 * hardware limits, set_gso is NULL. All flags are 0 when nothing is active.
 */
void gso_offload_active_caps(const struct gso_offload_active *active,
		struct gso_offload_caps *caps);

/**
 * Whether a given L3 variant and L4 variant may be offloaded together.
 *
 * @param l3_flag  One GSO_OFFLOAD_L3_* bit.
 * @param l4_flag  One GSO_OFFLOAD_L4_* bit.
 */
bool gso_offload_active_allows(const struct gso_offload_active *active,
		uint32_t l3_flag, uint32_t l4_flag);

/**
 * Run a function with a port's current active set (a handle valid only
 * during the call), for callers outside a change callback.
 *
 * @return fn's return value, or -ENODEV for a bad port.
 */
int gso_offload_active_query(uint16_t port_id,
		int (*fn)(uint16_t port_id, const struct gso_offload_active *active,
			void *arg),
		void *arg);

/**
 * Mask of keywords currently enabled on a port.
 *
 * @return 0 on success, -ENODEV bad port, -EINVAL keywords is NULL.
 */
int gso_offload_active_keywords_get(uint16_t port_id, uint32_t *keywords);

/* ---- Encapsulated packet offload (NDIS 6.50 encapsulated packet task
 * offload, NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_V2) ---- */

/**
 * @name Encapsulations
 * Index of an encapsulation in gso_offload_encap_caps.encap[]; the mask
 * bit of one is GSO_OFFLOAD_ENCAP_BIT(index).
 * @{
 */
#define GSO_OFFLOAD_ENCAP_VXLAN   0   /**< VXLAN over UDP (RFC 7348) */
#define GSO_OFFLOAD_ENCAP_GENEVE  1   /**< GENEVE over UDP (RFC 8926) */
#define GSO_OFFLOAD_ENCAP_GRE     2   /**< GRE, NVGRE included (RFC 2784/2890) */
#define GSO_OFFLOAD_ENCAP_IPIP    3   /**< IPv4/IPv6 in IPv4/IPv6 */
#define GSO_OFFLOAD_ENCAP_NB      4   /**< Number of encapsulations */
#define GSO_OFFLOAD_ENCAP_BIT(idx)  (1u << (idx))
#define GSO_OFFLOAD_ENCAP_ALL     0xfu
/** @} */

/**
 * @name Per-encapsulation flags (gso_offload_encap.flags)
 * @{
 */
/** The outer IPv4 header checksum of every segment is the device's
 * (RTE_ETH_TX_OFFLOAD_OUTER_IPV4_CKSUM). Without it a superframe with an
 * outer IPv4 header is segmented in software. */
#define GSO_OFFLOAD_ENCAP_F_OUTER_IPV4_CKSUM  (1u << 0)
/** A non-zero outer UDP checksum of every segment is the device's
 * (RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM); UDP encapsulations only. Without
 * it a superframe whose outer UDP checksum is not 0 is segmented in
 * software (one with a 0 checksum, which stays 0, is not affected). */
#define GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM   (1u << 1)
/** The device segments the encapsulation only as DPDK's generic tunnel
 * (RTE_ETH_TX_OFFLOAD_UDP_TNL_TSO / IP_TNL_TSO: from the mbuf's lengths,
 * RTE_MBUF_F_TX_TUNNEL_UDP / TUNNEL_IP), not as a kind it parses. */
#define GSO_OFFLOAD_ENCAP_F_GENERIC           (1u << 2)
#define GSO_OFFLOAD_ENCAP_F_ALL               0x7u
/** @} */

/** The IANA VXLAN port (RFC 7348), NDIS's default *VxlanUDPPortNumber. */
#define GSO_OFFLOAD_VXLAN_PORT_DEFAULT 4789

/**
 * What a device segments of one encapsulation: NDIS's LsoV2Supported and
 * UsoSupported per inner IP version, transmit checksum of the outer
 * headers, and MaxHeaderSizeSupported. All zero: not offloaded.
 */
struct gso_offload_encap {
	/** Inner GSO_OFFLOAD_L3_* flags (same rules as the plain ones). */
	uint32_t l3_flags;
	/** Inner GSO_OFFLOAD_L4_* flags: TCP is LSO, UDP is USO. */
	uint32_t l4_flags;
	/** GSO_OFFLOAD_ENCAP_F_*. */
	uint32_t flags;
	/**
	 * The deepest inner header the device parses: the largest offset of
	 * the inner L4 header from the start of the frame (outer L2, outer
	 * L3, tunnel headers, inner L2, inner L3); 0 means no limit.
	 */
	uint16_t max_header_size;
};

/**
 * A device's encapsulated offload capabilities
 * (NDIS_ENCAPSULATED_PACKET_TASK_OFFLOAD_V2). Registered beside the GSO
 * capabilities, with gso_offload_set_encap_caps(); a change of what is
 * active of them runs the GSO registration's callback
 * (gso_offload_set_gso_t), once, like any other change of the active set.
 */
struct gso_offload_encap_caps {
	/** sizeof(struct gso_offload_encap_caps): the structure's version. */
	uint32_t size;
	/** Indexed by GSO_OFFLOAD_ENCAP_VXLAN .. GSO_OFFLOAD_ENCAP_IPIP. */
	struct gso_offload_encap encap[GSO_OFFLOAD_ENCAP_NB];
	/**
	 * The UDP destination port the device takes for VXLAN (NDIS's
	 * VxlanUDPPortNumber) unless the administrator sets another one
	 * (*VxlanUDPPortNumber); must be non-zero when VXLAN is offloaded.
	 */
	uint16_t vxlan_udp_port;
};

/**
 * Initialise encapsulated capabilities: nothing offloaded, the size set,
 * the VXLAN port GSO_OFFLOAD_VXLAN_PORT_DEFAULT.
 */
void gso_offload_encap_caps_init(struct gso_offload_encap_caps *caps);

/**
 * Check encapsulated capabilities without registering them.
 *
 * Rules, in the order checked: size equals sizeof(struct
 * gso_offload_encap_caps); per encapsulation: no unknown L3, L4 or flag
 * bit; L3 and L4 flags both present or both absent; outer checksum flags
 * or a header limit only with some L4 flag; the with-options /
 * with-extensions variants require their plain ones (as
 * gso_offload_caps_validate()); the outer UDP checksum only on a UDP
 * encapsulation (VXLAN, GENEVE); a header limit, when set, at least the
 * smallest header stack of the encapsulation up to the inner L4 header
 * (Ethernet, IPv4, and: UDP + 8-byte VXLAN/GENEVE + Ethernet for VXLAN
 * and GENEVE, a 4-byte GRE header for GRE, nothing for IP-in-IP; then
 * the inner IPv4); and a non-zero VXLAN port when VXLAN is offloaded.
 *
 * @param caps  Capabilities to check.
 * @param why   If not NULL, receives a static string naming the first
 *              violated rule (with the encapsulation), or NULL.
 * @return 0 if valid, -EINVAL otherwise.
 */
int gso_offload_encap_caps_validate(const struct gso_offload_encap_caps *caps,
		const char **why);

/**
 * Register a port's encapsulated offload capabilities. Same rules as
 * gso_offload_set_caps(): before the port starts, validated (an invalid
 * structure changes nothing), copied, the active set recomputed and the
 * GSO registration's callback run once if it changed. Registering all
 * zeros withdraws them.
 *
 * @return 0 on success; -ENODEV bad port; -EBUSY port started; -EINVAL
 *   caps NULL or violating a rule (logged, naming it); -EDEADLK from a
 *   change callback; or the callback's error, with nothing changed.
 */
int gso_offload_set_encap_caps(uint16_t port_id,
		const struct gso_offload_encap_caps *caps);

/**
 * Read back the encapsulated capabilities registered for a port (nothing
 * offloaded if none).
 *
 * @return 0 on success, -ENODEV bad port, -EINVAL caps is NULL.
 */
int gso_offload_hw_encap_caps_get(uint16_t port_id,
		struct gso_offload_encap_caps *caps);

/**
 * @name Encapsulation keywords (administrator), as a bit mask
 * An encapsulation is wanted when both GSO_OFFLOAD_KW_ENCAP and its own
 * keyword are on. All default to on.
 * @{
 */
/** *EncapsulatedPacketTaskOffload, "encap": all encapsulations. */
#define GSO_OFFLOAD_KW_ENCAP          (1u << 0)
/** *EncapsulatedPacketTaskOffloadVxlan, "encap_vxlan". */
#define GSO_OFFLOAD_KW_ENCAP_VXLAN    (1u << 1)
/** *EncapsulatedPacketTaskOffloadGeneve, "encap_geneve". */
#define GSO_OFFLOAD_KW_ENCAP_GENEVE   (1u << 2)
/** *EncapsulatedPacketTaskOffloadGre, "encap_gre" (NDIS's
 * *EncapsulatedPacketTaskOffloadNvgre is accepted for it: NVGRE is GRE). */
#define GSO_OFFLOAD_KW_ENCAP_GRE      (1u << 3)
/** *EncapsulatedPacketTaskOffloadIpip, "encap_ipip". */
#define GSO_OFFLOAD_KW_ENCAP_IPIP     (1u << 4)
#define GSO_OFFLOAD_KW_ENCAP_ALL      0x1fu
/** The keyword of an encapsulation index. */
#define GSO_OFFLOAD_KW_ENCAP_OF(idx)  (1u << ((idx) + 1))
/** @} */

/**
 * Everything an administrator may set on a port in one atomic change:
 * the GSO keywords, the encapsulation keywords and *VxlanUDPPortNumber.
 */
struct gso_offload_settings {
	uint32_t on;          /**< GSO_OFFLOAD_LSO_* / USO_* to enable */
	uint32_t off;         /**< ... to disable */
	uint32_t encap_on;    /**< GSO_OFFLOAD_KW_ENCAP* to enable */
	uint32_t encap_off;   /**< ... to disable */
	/** *VxlanUDPPortNumber: 1..65535 to set, 0 to leave as is, and
	 * GSO_OFFLOAD_VXLAN_PORT_HW to go back to the hardware's. */
	uint32_t vxlan_udp_port;
};

/** gso_offload_settings.vxlan_udp_port: use the hardware's port again. */
#define GSO_OFFLOAD_VXLAN_PORT_HW 0x10000u

/**
 * Parse a settings string: the items gso_offload_wanted_parse() accepts,
 * and encap, encap_vxlan, encap_geneve, encap_gre, encap_ipip (or the
 * NDIS names EncapsulatedPacketTaskOffload,
 * EncapsulatedPacketTaskOffloadVxlan, ...Geneve, ...Gre (or ...Nvgre),
 * ...Ipip) = on|off|1|0, and vxlan_port (or VxlanUDPPortNumber) =
 * 1..65535 or "hw". Same syntax rules; a key may appear once.
 *
 * @return 0 on success, -EINVAL on a malformed string (err names the item).
 */
int gso_offload_settings_parse(const char *str, struct gso_offload_settings *s,
		char *err, size_t err_len);

/**
 * Apply settings to a port in one atomic update (one callback at most).
 *
 * @return 0; -ENODEV bad port; -EINVAL unknown bits, on/off overlap or a
 *   bad VXLAN port; -EDEADLK from a change callback; or the callback's
 *   error, with the settings left unchanged.
 */
int gso_offload_settings_apply(uint16_t port_id,
		const struct gso_offload_settings *s);

/**
 * The administrator's encapsulation settings of a port.
 *
 * @param port_id     The port.
 * @param keywords    Receives the GSO_OFFLOAD_KW_ENCAP* mask that is on.
 * @param vxlan_port  If not NULL, receives the *VxlanUDPPortNumber set,
 *                    0 if none (the hardware's applies).
 * @return 0, -ENODEV bad port, -EINVAL keywords is NULL.
 */
int gso_offload_encap_wanted_get(uint16_t port_id, uint32_t *keywords,
		uint16_t *vxlan_port);

/** Name of an encapsulation index: "vxlan", "geneve", "gre", "ipip";
 * "?" for anything else. */
const char *gso_offload_encap_name(unsigned int encap);

/** Format a GSO_OFFLOAD_KW_ENCAP* mask as "encap,encap_vxlan,..." (the
 * names gso_offload_settings_parse() accepts), "none" when empty. */
void gso_offload_encap_keywords_str(uint32_t keywords, char *buf, size_t len);

/** Format one encapsulation's capabilities, e.g. "ipv4,ipv6 / tcp,udp /
 * outer-ipv4-cksum,outer-udp-cksum / max-header 128", or "none". */
void gso_offload_encap_str(const struct gso_offload_encap *e, char *buf,
		size_t len);

/** Mask of the encapsulations active (GSO_OFFLOAD_ENCAP_BIT()s): offloaded
 * by the hardware, wanted by the administrator, with some inner variant
 * whose GSO keyword (LsoV2IPv4 for inner TCP/IPv4, ...) is on. */
uint32_t gso_offload_active_encaps(const struct gso_offload_active *active);

/**
 * The active capabilities of one encapsulation: the inner flags still
 * reachable through an enabled keyword, the outer checksum flags and the
 * header limit; all zero when it is not active.
 *
 * @return 0, -EINVAL bad index or NULL.
 */
int gso_offload_active_encap(const struct gso_offload_active *active,
		unsigned int encap, struct gso_offload_encap *out);

/**
 * Whether an inner L3 variant and L4 variant of an encapsulation may be
 * offloaded together (one GSO_OFFLOAD_L3_* bit, one GSO_OFFLOAD_L4_* bit).
 */
bool gso_offload_active_encap_allows(const struct gso_offload_active *active,
		unsigned int encap, uint32_t l3_flag, uint32_t l4_flag);

/** The active VXLAN UDP port: the administrator's *VxlanUDPPortNumber,
 * else the hardware's; 0 when VXLAN is not active. */
uint16_t gso_offload_active_vxlan_port(const struct gso_offload_active *active);

/**
 * Mask of the encapsulations active on a port (GSO_OFFLOAD_ENCAP_BIT()s).
 *
 * @return 0, -ENODEV bad port, -EINVAL encaps is NULL.
 */
int gso_offload_active_encaps_get(uint16_t port_id, uint32_t *encaps);

#ifdef __cplusplus
}
#endif

#endif /* GSO_OFFLOAD_CAPS_H */
