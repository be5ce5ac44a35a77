/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_DPDK_INTERNAL_H
#define GSO_DPDK_INTERNAL_H

/*
 * Internal to libgso_offload: what the library needs from DPDK that no
 * public API of the supported versions (22.11, 24.11) gives, read from
 * ethdev's internals. Each reliance lives in one function of
 * gso_dpdk_internal.c and nowhere else, and tests/test_dpdk_internal.c
 * checks it against ethdev's observable behaviour, so that a DPDK version
 * that breaks it fails that test by name (docs/abi.md lists them all).
 */

#include <stdbool.h>
#include <stdint.h>

/*
 * Whether ethdev has a port started (rte_eth_dev_start() succeeded, no
 * rte_eth_dev_stop() since), however it was started. False for an invalid
 * port. Reads rte_eth_fp_ops (see the definition).
 */
bool gso_dpdk_port_started(uint16_t port_id);

#endif /* GSO_DPDK_INTERNAL_H */
