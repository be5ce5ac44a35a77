/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * gso-caps's descriptor counts (app/gso-caps/caps_desc.h) on the limits
 * real PMDs report: it asked every port for 256 TX descriptors, which
 * net_vmxnet3 refuses (nb_min 512, REFERENCE.md 6).
 */

#include <stdint.h>

#include <rte_ethdev.h>

#include "../app/gso-caps/caps_desc.h"
#include "test.h"

static struct rte_eth_desc_lim
lim(uint16_t nb_min, uint16_t nb_max, uint16_t nb_align)
{
	return (struct rte_eth_desc_lim){ .nb_min = nb_min, .nb_max = nb_max,
		.nb_align = nb_align };
}

#define COUNT(l, want, expect) do {					\
	const struct rte_eth_desc_lim l_ = (l);				\
	TEST_ASSERT_EQ(caps_desc_count(&l_, (want)), (expect),		\
		"%s, want %u", #l, (unsigned int)(want));		\
} while (0)

/* The limits of the PMDs issue 19 runs, from their 22.11 dev_info. */
static int
real_pmds(void)
{
	/* vmxnet3_dev_info_get: TX VMXNET3_DEF_TX_RING_SIZE 512 ..
	 * VMXNET3_TX_RING_MAX_SIZE 4096, RX VMXNET3_DEF_RX_RING_SIZE 128 ..
	 * 4096, align 1. */
	COUNT(lim(512, 4096, 1), CAPS_DESC_WANT, 512);
	COUNT(lim(128, 4096, 1), CAPS_DESC_WANT, 256);
	/* em: E1000_MIN_RING_DESC 32 .. E1000_MAX_RING_DESC 4096, aligned
	 * to EM_TXD_ALIGN 8. */
	COUNT(lim(32, 4096, 8), CAPS_DESC_WANT, 256);
	/* What ethdev fills in for a PMD that says nothing (net_null,
	 * net_ring): 0 .. UINT16_MAX, align 1. */
	COUNT(lim(0, UINT16_MAX, 1), CAPS_DESC_WANT, 256);
	return TEST_OK;
}

static int
bounds_and_alignment(void)
{
	COUNT(lim(0, 128, 1), CAPS_DESC_WANT, 128);         /* maximum */
	COUNT(lim(100, 4096, 32), CAPS_DESC_WANT, 256);     /* aligned */
	COUNT(lim(300, 4096, 32), CAPS_DESC_WANT, 320);     /* min, up */
	COUNT(lim(0, 250, 32), CAPS_DESC_WANT, 224);        /* down */
	COUNT(lim(0, 0, 0), CAPS_DESC_WANT, 256);           /* no limits */
	COUNT(lim(0, 0, 0), 0, 1);                          /* never 0 */
	COUNT(lim(0, 20, 32), 0, 20);                       /* max < align */
	return TEST_OK;
}

static const struct test_case cases[] = {
	TEST_CASE(real_pmds),
	TEST_CASE(bounds_and_alignment),
};

int
main(int argc, char **argv)
{
	const struct test_suite suite = {
		.name = "caps_desc",
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = false,
	};

	return test_suite_run(&suite, argc, argv);
}
