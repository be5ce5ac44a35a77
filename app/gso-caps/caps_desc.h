/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_CAPS_DESC_H
#define GSO_CAPS_DESC_H

/*
 * gso-caps's descriptor counts: what it wants per queue, made acceptable
 * to the port (rte_eth_dev_info's rx_desc_lim / tx_desc_lim). A fixed
 * count fails on PMDs with a larger minimum: net_vmxnet3 needs at least
 * 512 TX descriptors (VMXNET3_DEF_TX_RING_SIZE), REFERENCE.md 6. Header
 * only, so that tests/test_caps_desc.c checks it on made-up limits.
 */

#include <stdint.h>

#include <rte_ethdev.h>

/* Descriptors gso-caps asks for when the port allows it. */
#define CAPS_DESC_WANT 256u

/**
 * want within [nb_min, nb_max] and a multiple of nb_align: raised to the
 * minimum, lowered to the maximum, rounded up to the alignment, or down
 * where up would pass the maximum. nb_max 0 means no maximum, nb_align 0
 * or 1 none (ethdev fills them in rte_eth_dev_info_get(); a made-up
 * rte_eth_desc_lim may leave them 0). Never 0: a queue needs one.
 */
static inline uint16_t
caps_desc_count(const struct rte_eth_desc_lim *lim, uint32_t want)
{
	const uint32_t max = lim->nb_max != 0 ? lim->nb_max : UINT16_MAX;
	const uint32_t align = lim->nb_align > 1 ? lim->nb_align : 1;
	uint32_t n = want;

	if (n < lim->nb_min)
		n = lim->nb_min;
	if (n > max)
		n = max;
	n = (n + align - 1) / align * align;
	if (n > max)
		n = max / align * align;
	if (n == 0)
		n = align <= max ? align : max;
	return (uint16_t)(n != 0 ? n : 1);
}

#endif /* GSO_CAPS_DESC_H */
