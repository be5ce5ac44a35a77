/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Data-plane side of an active-set change. No per-core pipeline reads port
 * state yet, so there is nothing to hold off or publish.
 */

#include "gso_offload_private.h"

void
gso_dp_port_hold(uint16_t port_id)
{
	RTE_SET_USED(port_id);
}

void
gso_dp_port_publish(uint16_t port_id)
{
	RTE_SET_USED(port_id);
}
