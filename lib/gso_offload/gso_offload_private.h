/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_OFFLOAD_PRIVATE_H
#define GSO_OFFLOAD_PRIVATE_H

/* Internal to libgso_offload: the control-plane port record. */

#include <stdbool.h>
#include <stdint.h>

#include <rte_log.h>

#include "gso_offload_caps.h"
#include "gso_offload_port.h"

extern int gso_offload_logtype;

#define GSO_LOG(level, fmt, ...)					\
	rte_log(RTE_LOG_ ## level, gso_offload_logtype,			\
		"gso_offload: " fmt "\n", ##__VA_ARGS__)

/* Index of an L3 variant (0..3) and an L4 variant (0..2): the bit
 * (l4 * 4 + l3) of gso_offload_active.pairs says the pair may be
 * offloaded. */
#define GSO_PAIR_BIT(l3_idx, l4_idx)  (1u << ((l4_idx) * 4 + (l3_idx)))

/* The active set. The keywords alone cannot tell which L3/L4 pairs are
 * allowed (LSO IPv4 and USO IPv6 without LSO IPv6, say), hence pairs. */
struct gso_offload_active {
	uint32_t keywords;             /* GSO_OFFLOAD_LSO_* | USO_* enabled */
	uint32_t pairs;                /* GSO_PAIR_BIT()s allowed */
	struct gso_offload_caps caps;  /* union of flags + hw limits */
	/* Encapsulated offload: the encapsulations active, per encapsulation
	 * the inner pairs allowed and what is active of its capabilities
	 * (inner flags reachable, outer checksums, header limit), and the
	 * VXLAN port in force. */
	uint32_t encaps;               /* GSO_OFFLOAD_ENCAP_BIT()s */
	uint32_t encap_pairs[GSO_OFFLOAD_ENCAP_NB];
	struct gso_offload_encap encap[GSO_OFFLOAD_ENCAP_NB];
	uint16_t vxlan_port;
};

/* What a change proposes for the encapsulated part of a port. */
struct gso_encap_next {
	bool registered;
	struct gso_offload_encap_caps hw;
	uint32_t wanted;               /* GSO_OFFLOAD_KW_ENCAP* */
	uint16_t vxlan_port;           /* administrator's; 0: the hardware's */
};

/* Everything the library knows about one port. Guarded by the control
 * lock; the data plane never reads it (it reads the published state of
 * gso_offload_tx.c). */
struct gso_port {
	uint16_t port_id;

	/* What the port can: registered by a driver or derived. */
	bool hw_registered;
	bool hw_is_lso;                     /* registered in legacy form */
	struct gso_offload_caps hw;
	struct gso_offload_lso_caps lso;    /* callback of a legacy driver */

	/* What the administrator wants: GSO_OFFLOAD_KW_ALL by default. */
	uint32_t wanted;

	/* Encapsulated offload: registered capabilities and the
	 * administrator's keywords (GSO_OFFLOAD_KW_ENCAP_ALL by default) and
	 * VXLAN port (0: the hardware's). */
	struct gso_encap_next encap;

	/* What is active: hw ∩ wanted. */
	struct gso_offload_active active;

	/* The driver side. */
	const struct gso_offload_provider *provider_override;
	const struct gso_offload_provider *provider;
	bool have_limits;
	struct gso_offload_port_limits lim;

	/* Setup recorded by gso_offload_port_configure(). */
	bool configured;
	bool tx_offloads_applied;
	struct gso_offload_port_setup setup;
	struct rte_mempool **rx_pools;      /* copy of setup.rx_pools */
	uint64_t tx_offloads;               /* last configured on the port */
	/* -1 as the provider says, 0 never restart, 1 always (set_restart). */
	int8_t restart_override;
	bool restart;                       /* changes restart the port */
	/* What the port really has (port_derive at configure): a hitless
	 * port's TX offloads are those of this whole set. */
	bool derived_gso;
	struct gso_offload_caps derived;
	bool derived_encap;
	struct gso_offload_encap_caps derived_enc;
	/*
	 * The callback that applies an active set without touching the port
	 * (set on a hitless port the library configured): a registration
	 * with this callback needs no hold around it. NULL otherwise — an
	 * application's own callback may restart the port.
	 */
	gso_offload_set_gso_t hitless_set_gso;

	bool started;                       /* by gso_offload_port_start() */
};

/* Control-plane lock: recursive, so that a change callback may call the
 * query functions. */
void gso_ctl_lock(void);
void gso_ctl_unlock(void);

/* True while a change callback runs (updates are refused: -EDEADLK). */
bool gso_ctl_in_callback(void);

/* The record of a port, created on first use; NULL for an invalid port
 * or on allocation failure (rte_errno set). Call under the lock. */
struct gso_port *gso_port_get(uint16_t port_id);

/* The record of a port about to change (gso_port_get()), or NULL with *ret
 * set: -EDEADLK from a change callback (updates are refused there), or
 * the allocation's error. Call under the lock. */
struct gso_port *gso_port_for_change(uint16_t port_id, int *ret);

/* The record if it exists, else NULL. Call under the lock. */
struct gso_port *gso_port_find(uint16_t port_id);

/* Compute the active set from hardware caps and wanted keywords; enc
 * (NULL: none) adds the encapsulated part. */
void gso_active_compute(const struct gso_offload_caps *hw, bool registered,
		uint32_t wanted, const struct gso_encap_next *enc,
		struct gso_offload_active *active);

/* Whether encapsulated capabilities offload anything. */
bool gso_encap_caps_any(const struct gso_offload_encap_caps *caps);

/* Whether two active sets are the same. */
bool gso_active_equal(const struct gso_offload_active *a,
		const struct gso_offload_active *b);

/*
 * Switch a port to new hardware caps and/or wanted keywords: recompute the
 * active set (enc: the encapsulated part, NULL to keep the port's) and,
 * if it changed, run the driver's callback (once) — with
 * the data plane held off the port around it, unless the callback is the
 * port's hitless_set_gso — then publish the new set. On callback failure
 * nothing is changed. Call under the lock.
 */
int gso_port_change(struct gso_port *p, bool hw_registered,
		const struct gso_offload_caps *hw, bool hw_is_lso,
		const struct gso_offload_lso_caps *lso, uint32_t wanted,
		const struct gso_encap_next *enc);

/*
 * Make the port's TX offloads those it needs for an active set — the set's
 * own on a port that restarts on change, the whole hardware set's on a
 * hitless one (so that, once configured, nothing changes) — replaying the
 * recorded setup (stop, configure, queue setup, start) when they differ.
 * On failure the previous configuration is restored. Call under the lock.
 */
int gso_port_apply(struct gso_port *p, const struct gso_offload_active *active);

/*
 * Data-plane hooks around an active-set change (gso_offload_tx.c): hold the
 * pipeline off the port before the driver reconfigures it, then publish the
 * port's new state. Called under the control lock.
 */
void gso_dp_port_hold(uint16_t port_id);
void gso_dp_port_publish(uint16_t port_id);
/* Unpublish a port the library forgets (after a grace period, no lcore
 * reads its state). */
void gso_dp_port_forget(uint16_t port_id);

#endif /* GSO_OFFLOAD_PRIVATE_H */
