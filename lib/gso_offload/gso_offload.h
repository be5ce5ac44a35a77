/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_OFFLOAD_H
#define GSO_OFFLOAD_H

/**
 * @file
 * gso_offload: NetAdapterCx-style GSO capability negotiation, software
 * segmentation and a per-core TX offload pipeline for DPDK.
 *
 * The data path, in the order of these headers:
 *  - gso_offload_caps.h   what a port can, what is wanted, what is active
 *  - gso_offload_port.h   providers (the driver side) and the port lifecycle
 *  - gso_offload_segment.h software segmentation of what a port cannot take
 *  - gso_offload_tx.h     the per-lcore TX pipeline: decide, offload or
 *                         segment, transmit
 */

#include "gso_offload_caps.h"
#include "gso_offload_port.h"
#include "gso_offload_segment.h"
#include "gso_offload_tx.h"

#endif /* GSO_OFFLOAD_H */
