/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Unit tests of the table-driven hardware providers (drivers/net/
 * gso_provider_hw.c). No port is needed: each case builds the
 * rte_eth_dev_info a DPDK 22.11 PMD would report, runs the generic
 * derivation and then the provider found by driver name, as the library
 * does, and checks the result against values written out here from the
 * PMD sources (see docs/hw-providers.md), not read from the table.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include <rte_ethdev.h>

#include "gso_offload_private.h"
#include "gso_providers.h"
#include "test.h"

#define PORT (RTE_MAX_ETHPORTS - 1)
#define MTU 1500

#define TSO  RTE_ETH_TX_OFFLOAD_TCP_TSO
#define USO  RTE_ETH_TX_OFFLOAD_UDP_TSO
/* Offloads every one of these PMDs also reports; kept by the providers. */
#define CSUM (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | RTE_ETH_TX_OFFLOAD_TCP_CKSUM | \
	RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_MULTI_SEGS)

#define L3_ALL GSO_OFFLOAD_L3_ALL
#define L3_NO_EXT (GSO_OFFLOAD_L3_IPV4_NO_OPTIONS | \
	GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS | GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS)
#define L4_TCP (GSO_OFFLOAD_L4_TCP_NO_OPTIONS | GSO_OFFLOAD_L4_TCP_WITH_OPTIONS)
#define L4_UDP GSO_OFFLOAD_L4_UDP
#define Q_PHDR GSO_OFFLOAD_QUIRK_PHDR_CKSUM
#define Q_IPCK GSO_OFFLOAD_QUIRK_TSO_NEEDS_IP_CKSUM

/* vmxnet3 reports no IPv4 checksum offload; e1000_em no TSO. */
#define VMXNET3_CAPA (RTE_ETH_TX_OFFLOAD_VLAN_INSERT | \
	RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM | \
	RTE_ETH_TX_OFFLOAD_MULTI_SEGS | TSO)
#define EM_CAPA (RTE_ETH_TX_OFFLOAD_VLAN_INSERT | CSUM)

/* Generic values the providers leave alone when nothing is documented. */
#define G_OFFLOAD 65535u
#define G_MINSEG  2u
#define G_FRAME   UINT32_MAX
#define G_SEGS    UINT16_MAX
#define G_SDATA   UINT16_MAX

/* A port as its PMD reports it, and what the provider must make of it. */
struct hw_case {
	const char *driver;
	uint64_t capa;            /* tx_offload_capa reported */
	uint16_t desc_seg;        /* tx_desc_lim.nb_seg_max reported */
	uint16_t desc_mtu_seg;    /* tx_desc_lim.nb_mtu_seg_max reported */
	const char *family;
	uint32_t l3, l4;
	uint16_t l4_off;
	uint32_t max_offload, min_seg;
	uint16_t mss_min, mss_max;
	uint32_t max_frame;
	uint16_t max_segs, nb_seg, nb_mtu_seg;
	uint32_t quirks;
	uint16_t seg_data;        /* max_seg_data_len */
};

static const struct hw_case hw_cases[] = {
	/* driver, capa, desc seg/mtu seg,
	 * family, l3, l4, l4 offset, offload, min seg, mss, frame,
	 * max segs, nb_seg, nb_mtu_seg, quirks, max_seg_data_len */
	{ "net_i40e", CSUM | TSO, 255, 8,
	  "i40e", L3_ALL, L4_TCP, 126 + 508, G_OFFLOAD, G_MINSEG, 256, 9674,
	  262144, G_SEGS, 255, 8, Q_PHDR | Q_IPCK, G_SDATA },
	{ "net_ice", CSUM | TSO, 4096, 8,
	  "ice", L3_ALL, L4_TCP, 254 + 508, G_OFFLOAD, G_MINSEG, 64, 9728,
	  262144, G_SEGS, 4096, 8, Q_PHDR | Q_IPCK, G_SDATA },
	{ "net_ice_dcf", CSUM | TSO, 4096, 8,
	  "ice", L3_ALL, L4_TCP, 254 + 508, G_OFFLOAD, G_MINSEG, 64, 9728,
	  262144, G_SEGS, 4096, 8, Q_PHDR | Q_IPCK, G_SDATA },
	{ "net_iavf", CSUM | TSO, 4096, 8,
	  "iavf", L3_ALL, L4_TCP, 126 + 508, G_OFFLOAD, G_MINSEG, 256, 9668,
	  G_FRAME, G_SEGS, 4096, 8, Q_PHDR | Q_IPCK, G_SDATA },
	{ "net_ixgbe", CSUM | TSO, 40, 40,
	  "ixgbe", L3_ALL, L4_TCP, 127 + 511, G_OFFLOAD, G_MINSEG, 1, 65535,
	  G_FRAME, G_SEGS, 40, 40, Q_PHDR | Q_IPCK, G_SDATA },
	{ "net_ixgbe_vf", CSUM | TSO, 40, 40,
	  "ixgbe", L3_ALL, L4_TCP, 127 + 511, G_OFFLOAD, G_MINSEG, 1, 65535,
	  G_FRAME, G_SEGS, 40, 40, Q_PHDR | Q_IPCK, G_SDATA },
	{ "net_igc", CSUM | TSO | USO, 255, 255,
	  "igc", L3_ALL, L4_TCP | L4_UDP, 512 - 60, G_OFFLOAD, G_MINSEG,
	  1, 9216, G_FRAME, G_SEGS, 255, 255, Q_PHDR | Q_IPCK, G_SDATA },
	/* mlx5 computes tx_desc_lim from its inline settings: 0 here. */
	{ "mlx5_pci", CSUM | TSO, 0, 0,
	  "mlx5", L3_NO_EXT, L4_TCP, 192 - 60, G_OFFLOAD, G_MINSEG, 1, 65535,
	  G_FRAME, G_SEGS, G_SEGS, G_SEGS, Q_PHDR | Q_IPCK, G_SDATA },
	{ "mlx5_auxiliary", CSUM | TSO, 0, 0,
	  "mlx5", L3_NO_EXT, L4_TCP, 192 - 60, G_OFFLOAD, G_MINSEG, 1, 65535,
	  G_FRAME, G_SEGS, G_SEGS, G_SEGS, Q_PHDR | Q_IPCK, G_SDATA },
	/* bnxt leaves nb_seg_max/nb_mtu_seg_max 0: the provider fills in
	 * BNXT_MAX_TSO_SEGS - 1. */
	{ "net_bnxt", CSUM | TSO, 0, 0,
	  "bnxt", L3_NO_EXT, L4_TCP, 1022 - 60, G_OFFLOAD, G_MINSEG,
	  1, 32767, G_FRAME, G_SEGS, 31, 31, Q_PHDR, G_SDATA },
	/* txgbe and ngbe report UDP_TSO but cannot do it in 22.11. */
	{ "net_txgbe", CSUM | TSO | USO, 40, 40,
	  "txgbe", L3_NO_EXT, L4_TCP, 127 + 1022, G_OFFLOAD, G_MINSEG,
	  1, 65535, G_FRAME, G_SEGS, 40, 40, Q_PHDR, G_SDATA },
	{ "net_txgbe_vf", CSUM | TSO | USO, 40, 40,
	  "txgbe", L3_NO_EXT, L4_TCP, 127 + 1022, G_OFFLOAD, G_MINSEG,
	  1, 65535, G_FRAME, G_SEGS, 40, 40, Q_PHDR, G_SDATA },
	{ "net_ngbe", CSUM | TSO | USO, 40, 40,
	  "ngbe", L3_NO_EXT, L4_TCP, 127 + 1022, G_OFFLOAD, G_MINSEG,
	  1, 65535, G_FRAME, G_SEGS, 40, 40, Q_PHDR, G_SDATA },
	{ "net_cn9k", CSUM | TSO, 9, 9,
	  "cnxk", L3_NO_EXT, L4_TCP, 255 - 60, G_OFFLOAD, G_MINSEG, 1, 16383,
	  262143, 255, 9, 9, Q_PHDR | Q_IPCK, G_SDATA },
	{ "net_cn10k", CSUM | TSO, 9, 9,
	  "cnxk", L3_NO_EXT, L4_TCP, 255 - 60, G_OFFLOAD, G_MINSEG, 1, 16383,
	  262143, 255, 9, 9, Q_PHDR | Q_IPCK, G_SDATA },
	/* vmxnet3_ethdev.c: nb_seg_max VMXNET3_TX_MAX_SEG 255,
	 * nb_mtu_seg_max VMXNET3_MAX_TXD_PER_PKT 16; hlen 10 bits, msscof
	 * 14 bits, one descriptor per mbuf of at most 2^14 - 1 bytes. */
	{ "net_vmxnet3", VMXNET3_CAPA, 255, 16,
	  "vmxnet3", L3_NO_EXT, L4_TCP, 1023 - 60, G_OFFLOAD, G_MINSEG,
	  1, 16383, G_FRAME, G_SEGS, 255, 16, Q_PHDR, 16383 },
	/* No TSO: no flags, no offset limit; the checksum offloads want
	 * the pseudo-header (eth_em_prep_pkts). */
	{ "net_e1000_em", EM_CAPA, 255, 255,
	  "e1000_em", 0, 0, 0, G_OFFLOAD, G_MINSEG, 1, 65535,
	  G_FRAME, G_SEGS, 255, 255, Q_PHDR, G_SDATA },
};

static void
fake_info(struct rte_eth_dev_info *info, const char *driver, uint64_t capa,
		uint16_t desc_seg, uint16_t desc_mtu_seg)
{
	memset(info, 0, sizeof(*info));
	info->driver_name = driver;
	info->tx_offload_capa = capa;
	info->tx_desc_lim.nb_max = 4096;
	info->tx_desc_lim.nb_seg_max = desc_seg;
	info->tx_desc_lim.nb_mtu_seg_max = desc_mtu_seg;
	info->max_mtu = 9000;
	info->min_mtu = 68;
}

/* What the library does: generic derivation, then the provider. */
static int
derive(const struct rte_eth_dev_info *info,
		const struct gso_offload_provider **prov,
		struct gso_offload_caps *caps, struct gso_offload_port_limits *lim)
{
	*prov = gso_offload_provider_find(info->driver_name);
	gso_provider_generic_derive(info, MTU, caps, lim);
	if ((*prov)->describe == NULL)
		return 0;
	return (*prov)->describe(PORT, info, caps, lim);
}

/* Field by field: padding bytes are not part of the result. */
static bool
same_result(const struct gso_offload_caps *a,
		const struct gso_offload_port_limits *la,
		const struct gso_offload_caps *b,
		const struct gso_offload_port_limits *lb)
{
	return a->size == b->size && a->l3_flags == b->l3_flags &&
		a->l4_flags == b->l4_flags &&
		a->l4_header_offset_limit == b->l4_header_offset_limit &&
		a->max_offload_size == b->max_offload_size &&
		a->min_segment_count == b->min_segment_count &&
		a->set_gso == b->set_gso && a->set_gso_arg == b->set_gso_arg &&
		la->mss_min == lb->mss_min && la->mss_max == lb->mss_max &&
		la->max_frame == lb->max_frame &&
		la->max_segments == lb->max_segments &&
		la->nb_seg_max == lb->nb_seg_max &&
		la->nb_mtu_seg_max == lb->nb_mtu_seg_max &&
		la->mtu == lb->mtu && la->flags == lb->flags &&
		la->tx_offload_capa == lb->tx_offload_capa &&
		la->max_seg_data_len == lb->max_seg_data_len;
}

static int
check_case(const struct hw_case *c)
{
	const struct gso_offload_provider *prov;
	struct gso_offload_port_limits lim;
	struct rte_eth_dev_info info;
	struct gso_offload_caps caps;
	const char *why = NULL;

	fake_info(&info, c->driver, c->capa, c->desc_seg, c->desc_mtu_seg);
	TEST_ASSERT_EQ(derive(&info, &prov, &caps, &lim), 0, "%s", c->driver);
	TEST_ASSERT(strcmp(prov->name, c->family) == 0,
			"%s: provider %s, want %s", c->driver, prov->name,
			c->family);
	TEST_ASSERT_EQ(caps.size, sizeof(caps), "%s", c->driver);
	TEST_ASSERT_EQ(caps.l3_flags, c->l3, "%s", c->driver);
	TEST_ASSERT_EQ(caps.l4_flags, c->l4, "%s", c->driver);
	TEST_ASSERT_EQ(caps.l4_header_offset_limit, c->l4_off, "%s",
			c->driver);
	TEST_ASSERT_EQ(caps.max_offload_size, c->max_offload, "%s", c->driver);
	TEST_ASSERT_EQ(caps.min_segment_count, c->min_seg, "%s", c->driver);
	TEST_ASSERT(caps.set_gso == NULL && caps.set_gso_arg == NULL,
			"%s: describe must not set a callback", c->driver);
	TEST_ASSERT_EQ(lim.mss_min, c->mss_min, "%s", c->driver);
	TEST_ASSERT_EQ(lim.mss_max, c->mss_max, "%s", c->driver);
	TEST_ASSERT_EQ(lim.max_frame, c->max_frame, "%s", c->driver);
	TEST_ASSERT_EQ(lim.max_segments, c->max_segs, "%s", c->driver);
	TEST_ASSERT_EQ(lim.nb_seg_max, c->nb_seg, "%s", c->driver);
	TEST_ASSERT_EQ(lim.nb_mtu_seg_max, c->nb_mtu_seg, "%s", c->driver);
	TEST_ASSERT_EQ(lim.flags, c->quirks, "%s", c->driver);
	TEST_ASSERT_EQ(lim.max_seg_data_len, c->seg_data, "%s", c->driver);
	/* Taken from the generic derivation, never changed. */
	TEST_ASSERT_EQ(lim.mtu, MTU, "%s", c->driver);
	TEST_ASSERT_EQ(lim.tx_offload_capa, c->capa, "%s", c->driver);
	TEST_ASSERT(lim.mss_min <= lim.mss_max, "%s", c->driver);
	/* A port without TSO (e1000_em) has nothing to register. */
	if (c->l4 != 0)
		TEST_ASSERT_EQ(gso_offload_caps_validate(&caps, &why), 0,
				"%s: %s", c->driver, why != NULL ? why : "?");
	return TEST_OK;
}

static const struct hw_case *
case_of(const char *driver)
{
	for (unsigned int i = 0; i < RTE_DIM(hw_cases); i++)
		if (strcmp(hw_cases[i].driver, driver) == 0)
			return &hw_cases[i];
	return NULL;
}

static int
every_family_describes_its_ports(void)
{
	for (unsigned int i = 0; i < RTE_DIM(hw_cases); i++)
		TEST_RUN(check_case(&hw_cases[i]));
	return TEST_OK;
}

static int
every_driver_name_is_tested(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; gso_hw_providers[i] != NULL; i++) {
		const struct gso_offload_provider *p = gso_hw_providers[i];

		TEST_ASSERT(p->name != NULL && p->driver_names != NULL &&
				p->driver_names[0] != NULL, "provider %u", i);
		TEST_ASSERT(p->describe != NULL, "%s", p->name);
		TEST_ASSERT(p->tx_offloads == NULL, "%s", p->name);
		for (const char *const *d = p->driver_names; *d != NULL; d++) {
			TEST_ASSERT(gso_offload_provider_find(*d) == p,
					"%s does not select %s", *d, p->name);
			TEST_ASSERT(case_of(*d) != NULL, "%s untested", *d);
			n++;
		}
	}
	TEST_ASSERT_EQ(n, RTE_DIM(hw_cases), "driver names vs cases");
	return TEST_OK;
}

static int
no_tso_leaves_flags_zero(void)
{
	for (unsigned int i = 0; i < RTE_DIM(hw_cases); i++) {
		const struct hw_case *c = &hw_cases[i];
		const struct gso_offload_provider *prov;
		struct gso_offload_port_limits lim;
		struct rte_eth_dev_info info;
		struct gso_offload_caps caps;

		fake_info(&info, c->driver, CSUM, c->desc_seg,
				c->desc_mtu_seg);
		TEST_ASSERT_EQ(derive(&info, &prov, &caps, &lim), 0, "%s",
				c->driver);
		TEST_ASSERT(strcmp(prov->name, c->family) == 0, "%s",
				c->driver);
		TEST_ASSERT_EQ(caps.l3_flags, 0, "%s", c->driver);
		TEST_ASSERT_EQ(caps.l4_flags, 0, "%s", c->driver);
		/* The limits still describe the port. */
		TEST_ASSERT_EQ(lim.nb_seg_max, c->nb_seg, "%s", c->driver);
		TEST_ASSERT_EQ(lim.flags, c->quirks, "%s", c->driver);
	}
	return TEST_OK;
}

static int
tso_only_port_of_uso_family_gets_no_udp(void)
{
	/* igc reports both in 22.11; a port without UDP_TSO (e.g. an
	 * application-restricted dev_info) must not get the UDP flag. The
	 * others have USO silicon but a 22.11 PMD without UDP_TSO. */
	static const char *const drivers[] = {
		"net_igc", "net_ice", "net_i40e", "net_iavf", "net_ixgbe",
		"mlx5_pci", "net_cn10k",
	};

	for (unsigned int i = 0; i < RTE_DIM(drivers); i++) {
		const struct gso_offload_provider *prov;
		struct gso_offload_port_limits lim;
		struct rte_eth_dev_info info;
		struct gso_offload_caps caps;

		fake_info(&info, drivers[i], CSUM | TSO, 0, 0);
		TEST_ASSERT_EQ(derive(&info, &prov, &caps, &lim), 0, "%s",
				drivers[i]);
		TEST_ASSERT_EQ(caps.l4_flags, L4_TCP, "%s", drivers[i]);
		TEST_ASSERT(caps.l3_flags != 0, "%s", drivers[i]);
	}
	return TEST_OK;
}

static int
uso_reported_and_implemented_is_kept(void)
{
	/* igc with USO alone; cnxk as a later PMD reporting UDP_TSO would:
	 * the silicon segments UDP, so the flag follows the PMD. */
	static const struct {
		const char *driver;
		uint64_t capa;
		uint32_t l3, l4;
	} c[] = {
		{ "net_igc", CSUM | USO, L3_ALL, L4_UDP },
		{ "net_igc", CSUM | TSO | USO, L3_ALL, L4_TCP | L4_UDP },
		{ "net_cn9k", CSUM | TSO | USO, L3_NO_EXT, L4_TCP | L4_UDP },
		{ "net_ice", CSUM | TSO | USO, L3_ALL, L4_TCP | L4_UDP },
	};

	for (unsigned int i = 0; i < RTE_DIM(c); i++) {
		const struct gso_offload_provider *prov;
		struct gso_offload_port_limits lim;
		struct rte_eth_dev_info info;
		struct gso_offload_caps caps;

		fake_info(&info, c[i].driver, c[i].capa, 0, 0);
		TEST_ASSERT_EQ(derive(&info, &prov, &caps, &lim), 0, "%s",
				c[i].driver);
		TEST_ASSERT_EQ(caps.l3_flags, c[i].l3, "%s #%u", c[i].driver, i);
		TEST_ASSERT_EQ(caps.l4_flags, c[i].l4, "%s #%u", c[i].driver, i);
		TEST_ASSERT_EQ(gso_offload_caps_validate(&caps, NULL), 0,
				"%s #%u", c[i].driver, i);
	}
	return TEST_OK;
}

static int
uso_reported_but_not_implemented_is_dropped(void)
{
	static const char *const drivers[] = {
		"net_txgbe", "net_txgbe_vf", "net_ngbe",
	};

	for (unsigned int i = 0; i < RTE_DIM(drivers); i++) {
		const struct gso_offload_provider *prov;
		struct gso_offload_port_limits lim;
		struct rte_eth_dev_info info;
		struct gso_offload_caps caps;

		/* UDP_TSO alone: nothing left to offload. */
		fake_info(&info, drivers[i], CSUM | USO, 40, 40);
		TEST_ASSERT_EQ(derive(&info, &prov, &caps, &lim), 0, "%s",
				drivers[i]);
		TEST_ASSERT_EQ(caps.l3_flags, 0, "%s", drivers[i]);
		TEST_ASSERT_EQ(caps.l4_flags, 0, "%s", drivers[i]);
	}
	return TEST_OK;
}

static int
limits_never_loosen(void)
{
	const struct gso_offload_provider *prov;
	struct gso_offload_port_limits lim;
	struct rte_eth_dev_info info;
	struct gso_offload_caps caps;

	/* A PMD reporting fewer segments than the row keeps its value. */
	fake_info(&info, "net_bnxt", CSUM | TSO, 16, 4);
	TEST_ASSERT_EQ(derive(&info, &prov, &caps, &lim), 0, "bnxt");
	TEST_ASSERT_EQ(lim.nb_seg_max, 16, "bnxt");
	TEST_ASSERT_EQ(lim.nb_mtu_seg_max, 4, "bnxt");

	/* Refining again (describe run on its own output) changes nothing:
	 * every limit is an intersection. */
	{
		struct gso_offload_port_limits lim2;
		struct gso_offload_caps caps2;

		fake_info(&info, "net_i40e", CSUM | TSO, 255, 8);
		TEST_ASSERT_EQ(derive(&info, &prov, &caps, &lim), 0, "i40e");
		caps2 = caps;
		lim2 = lim;
		TEST_ASSERT_EQ(prov->describe(PORT, &info, &caps2, &lim2), 0,
				"i40e");
		TEST_ASSERT(same_result(&caps, &lim, &caps2, &lim2),
				"a second refinement changed the result");
	}
	return TEST_OK;
}

static int
unknown_driver_gets_generic(void)
{
	static const char *const drivers[] = {
		/* No PMD has these names; the real drivers without a
		 * provider may get one later. */
		"net_gso_test_unknown", "net_i40e_", "mlx5", "", NULL,
	};

	for (unsigned int i = 0; i < RTE_DIM(drivers); i++) {
		const struct gso_offload_provider *p =
			gso_offload_provider_find(drivers[i]);

		TEST_ASSERT(p == &gso_provider_generic, "%s -> %s",
				drivers[i] != NULL ? drivers[i] : "(null)",
				p->name);
		TEST_ASSERT(strcmp(p->name, "generic") == 0, "name");
	}
	/* Virtual PMDs keep their own providers. */
	TEST_ASSERT(gso_offload_provider_find("net_tap") == &gso_provider_tap,
			"net_tap");
	return TEST_OK;
}

static int
describe_refuses_foreign_driver(void)
{
	const struct gso_offload_provider *i40e =
		gso_offload_provider_find("net_i40e");
	struct gso_offload_port_limits lim, lim0;
	struct gso_offload_caps caps, caps0;
	struct rte_eth_dev_info info;

	/* As if gso_offload_port_set_provider() forced i40e onto a port of
	 * another driver: no row, the derivation fails untouched. */
	fake_info(&info, "net_null", CSUM | TSO, 0, 0);
	gso_provider_generic_derive(&info, MTU, &caps, &lim);
	caps0 = caps;
	lim0 = lim;
	TEST_ASSERT_EQ(i40e->describe(PORT, &info, &caps, &lim), -ENOTSUP,
			"foreign driver");
	TEST_ASSERT(same_result(&caps, &lim, &caps0, &lim0),
			"caps or limits changed");
	return TEST_OK;
}


/* ---- Encapsulated offload ---- */

#define TNL_ALL (RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO | \
	RTE_ETH_TX_OFFLOAD_GENEVE_TNL_TSO | RTE_ETH_TX_OFFLOAD_GRE_TNL_TSO | \
	RTE_ETH_TX_OFFLOAD_IPIP_TNL_TSO)
#define OUTER (RTE_ETH_TX_OFFLOAD_OUTER_IPV4_CKSUM | \
	RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM)
#define E_OIP GSO_OFFLOAD_ENCAP_F_OUTER_IPV4_CKSUM
#define E_OUDP GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM
#define E_GEN GSO_OFFLOAD_ENCAP_F_GENERIC

/* What the library does for encapsulations: the generic derivation, then
 * the provider's describe_encap() (after its describe()). */
static int
derive_encap(const struct rte_eth_dev_info *info,
		struct gso_offload_encap_caps *enc,
		struct gso_offload_port_limits *lim)
{
	const struct gso_offload_provider *prov;
	struct gso_offload_caps caps;
	int ret = derive(info, &prov, &caps, lim);

	if (ret != 0)
		return ret;
	gso_provider_generic_derive_encap(info, enc);
	if (prov->describe_encap == NULL)
		return 0;
	return prov->describe_encap(PORT, info, enc, lim);
}

/* One encapsulation's row: TCP over every inner L3 variant and flags. */
static int
row_is(const struct gso_offload_encap_caps *enc, unsigned int e,
		bool offloaded, uint32_t flags, uint16_t max_hdr, const char *who)
{
	const struct gso_offload_encap *x = &enc->encap[e];

	if (!offloaded) {
		TEST_ASSERT(x->l3_flags == 0 && x->l4_flags == 0 && x->flags == 0 &&
			x->max_header_size == 0, "%s: %s offloaded", who,
			gso_offload_encap_name(e));
		return TEST_OK;
	}
	TEST_ASSERT(x->l3_flags == L3_ALL && x->l4_flags == L4_TCP &&
		x->flags == flags && x->max_header_size == max_hdr,
		"%s: %s: l3 %#x l4 %#x flags %#x (want %#x) max %u (want %u)",
		who, gso_offload_encap_name(e), x->l3_flags, x->l4_flags,
		x->flags, flags, x->max_header_size, max_hdr);
	return TEST_OK;
}

/* The generic derivation, bit by bit of rte_eth_dev_info. */
static int
encap_generic_derivation(void)
{
	struct gso_offload_encap_caps enc;
	struct rte_eth_dev_info info;

	fake_info(&info, "net_gso_test_unknown", CSUM, 0, 0);
	gso_provider_generic_derive_encap(&info, &enc);
	TEST_ASSERT(enc.size == sizeof(enc) && enc.vxlan_udp_port == 4789,
		"size and VXLAN port");
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++)
		TEST_RUN(row_is(&enc, e, false, 0, 0, "no tunnel bit"));

	fake_info(&info, "x", CSUM | RTE_ETH_TX_OFFLOAD_VXLAN_TNL_TSO |
		RTE_ETH_TX_OFFLOAD_GRE_TNL_TSO | OUTER, 0, 0);
	gso_provider_generic_derive_encap(&info, &enc);
	TEST_RUN(row_is(&enc, GSO_OFFLOAD_ENCAP_VXLAN, true, E_OIP | E_OUDP, 0,
		"VXLAN_TNL_TSO"));
	/* GRE has no UDP header: the outer UDP checksum is not its. */
	TEST_RUN(row_is(&enc, GSO_OFFLOAD_ENCAP_GRE, true, E_OIP, 0,
		"GRE_TNL_TSO"));
	TEST_RUN(row_is(&enc, GSO_OFFLOAD_ENCAP_GENEVE, false, 0, 0, "-"));
	TEST_RUN(row_is(&enc, GSO_OFFLOAD_ENCAP_IPIP, false, 0, 0, "-"));
	TEST_ASSERT_EQ(gso_offload_encap_caps_validate(&enc, NULL), 0, "valid");

	/* The generic tunnels: UDP_TNL_TSO for VXLAN and GENEVE, IP_TNL_TSO
	 * for GRE and IP-in-IP; a specific bit wins. */
	fake_info(&info, "x", RTE_ETH_TX_OFFLOAD_UDP_TNL_TSO |
		RTE_ETH_TX_OFFLOAD_IP_TNL_TSO | RTE_ETH_TX_OFFLOAD_GENEVE_TNL_TSO,
		0, 0);
	gso_provider_generic_derive_encap(&info, &enc);
	TEST_RUN(row_is(&enc, GSO_OFFLOAD_ENCAP_VXLAN, true, E_GEN, 0, "UDP"));
	TEST_RUN(row_is(&enc, GSO_OFFLOAD_ENCAP_GENEVE, true, 0, 0, "GENEVE"));
	TEST_RUN(row_is(&enc, GSO_OFFLOAD_ENCAP_GRE, true, E_GEN, 0, "IP"));
	TEST_RUN(row_is(&enc, GSO_OFFLOAD_ENCAP_IPIP, true, E_GEN, 0, "IP"));
	TEST_ASSERT_EQ(gso_offload_encap_caps_validate(&enc, NULL), 0, "valid");
	return TEST_OK;
}

/* i40e, ice, iavf and txgbe report OUTER_UDP_CKSUM but get it wrong (as
 * Open vSwitch found): their providers take it out of the capabilities and
 * of the port's offloads; the rest stays. The other families keep what
 * they report; those without tunnel TSO in 22.11 offload none. */
static int
encap_families(void)
{
	static const struct {
		const char *driver;
		bool tunnels, outer_udp;
		uint16_t max_hdr;
	} fam[] = {
		{ "net_i40e", true, false, 126 + 508 + 254 + 508 },
		{ "net_ice", true, false, 254 + 508 + 254 + 508 },
		{ "net_ice_dcf", true, false, 254 + 508 + 254 + 508 },
		{ "net_iavf", true, false, 126 + 508 + 254 + 508 },
		{ "net_txgbe", true, false, 0 },
		{ "net_txgbe_vf", true, false, 0 },
		{ "mlx5_pci", true, true, 0 },
		{ "mlx5_auxiliary", true, true, 0 },
		{ "net_bnxt", true, true, 0 },
		{ "net_cn9k", true, true, 0 },
		{ "net_cn10k", true, true, 0 },
		{ "net_ixgbe", false, false, 0 },
		{ "net_ixgbe_vf", false, false, 0 },
		{ "net_igc", false, false, 0 },
		{ "net_ngbe", false, false, 0 },
		/* Virtual ports: no tunnel segmentation whatever reported. */
		{ "net_tap", false, false, 0 },
		{ "net_virtio", false, false, 0 },
		{ "net_virtio_user", false, false, 0 },
		{ "net_af_packet", false, false, 0 },
		{ "net_null", false, false, 0 },
	};

	for (unsigned int i = 0; i < RTE_DIM(fam); i++) {
		struct gso_offload_port_limits lim;
		struct gso_offload_encap_caps enc;
		struct rte_eth_dev_info info;

		fake_info(&info, fam[i].driver, CSUM | TSO | TNL_ALL | OUTER, 0, 0);
		TEST_ASSERT_EQ(derive_encap(&info, &enc, &lim), 0, "%s",
			fam[i].driver);
		for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++) {
			const bool udp = e <= GSO_OFFLOAD_ENCAP_GENEVE;

			TEST_RUN(row_is(&enc, e, fam[i].tunnels, E_OIP |
				(udp && fam[i].outer_udp ? E_OUDP : 0),
				fam[i].max_hdr, fam[i].driver));
		}
		TEST_ASSERT_EQ(gso_offload_encap_caps_validate(&enc, NULL), 0,
			"%s: valid", fam[i].driver);
		if (fam[i].tunnels)
			TEST_ASSERT(!!(lim.tx_offload_capa &
				RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM) ==
				fam[i].outer_udp && (lim.tx_offload_capa &
				RTE_ETH_TX_OFFLOAD_OUTER_IPV4_CKSUM) &&
				(lim.tx_offload_capa & TNL_ALL) == TNL_ALL,
				"%s: TX offloads %#" PRIx64, fam[i].driver,
				lim.tx_offload_capa);
	}
	return TEST_OK;
}

/* The TX offloads configured for an active set: the tunnel TSO of each
 * active encapsulation (the generic bit for a generic one), the outer
 * checksums the port really has. */
static int
encap_tx_offloads(void)
{
	struct gso_offload_port_limits lim;
	struct gso_offload_encap_caps enc;
	struct gso_encap_next next = { 0 };
	struct gso_offload_active a;
	struct gso_offload_caps caps;
	struct rte_eth_dev_info info;
	const struct gso_offload_provider *prov;
	uint64_t tx;

	fake_info(&info, "net_i40e", CSUM | TSO | TNL_ALL | OUTER, 255, 8);
	TEST_ASSERT_EQ(derive(&info, &prov, &caps, &lim), 0, "derive");
	TEST_ASSERT_EQ(derive_encap(&info, &enc, &lim), 0, "derive encap");
	next.registered = true;
	next.hw = enc;
	next.wanted = GSO_OFFLOAD_KW_ENCAP_ALL;
	gso_active_compute(&caps, true, GSO_OFFLOAD_KW_ALL, &next, &a);
	tx = gso_provider_generic_tx_offloads(PORT, &a, &lim, 0);
	TEST_ASSERT((tx & TNL_ALL) == TNL_ALL &&
		(tx & RTE_ETH_TX_OFFLOAD_OUTER_IPV4_CKSUM) &&
		!(tx & RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM) && (tx & TSO),
		"i40e, all active: %#" PRIx64, tx);
	next.wanted = GSO_OFFLOAD_KW_ENCAP | GSO_OFFLOAD_KW_ENCAP_GRE;
	gso_active_compute(&caps, true, GSO_OFFLOAD_KW_ALL, &next, &a);
	tx = gso_provider_generic_tx_offloads(PORT, &a, &lim, TNL_ALL);
	TEST_ASSERT((tx & TNL_ALL) == RTE_ETH_TX_OFFLOAD_GRE_TNL_TSO,
		"GRE only (the application's tunnel bits are the library's): %#"
		PRIx64, tx);
	/* A generic encapsulation: its generic bit. */
	fake_info(&info, "mlx5_pci", CSUM | TSO | RTE_ETH_TX_OFFLOAD_UDP_TNL_TSO |
		OUTER, 0, 0);
	TEST_ASSERT_EQ(derive(&info, &prov, &caps, &lim), 0, "derive");
	TEST_ASSERT_EQ(derive_encap(&info, &enc, &lim), 0, "derive encap");
	next.hw = enc;
	next.wanted = GSO_OFFLOAD_KW_ENCAP_ALL;
	gso_active_compute(&caps, true, GSO_OFFLOAD_KW_ALL, &next, &a);
	tx = gso_provider_generic_tx_offloads(PORT, &a, &lim, 0);
	TEST_ASSERT((tx & (TNL_ALL | RTE_ETH_TX_OFFLOAD_UDP_TNL_TSO)) ==
		RTE_ETH_TX_OFFLOAD_UDP_TNL_TSO &&
		(tx & RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM),
		"mlx5 with SWP only: %#" PRIx64, tx);
	return TEST_OK;
}

/* The TX offloads the library configures on the two issue-19 ports:
 * vmxnet3 TSO with its L4 checksums (no IPv4 checksum offload: it has
 * none, and its tx_prepare refuses RTE_MBUF_F_TX_IP_CKSUM); e1000_em no
 * TSO but every checksum offload, which its software segments use. */
static int
vmxnet3_and_em_tx_offloads(void)
{
	const uint64_t l4 = RTE_ETH_TX_OFFLOAD_TCP_CKSUM |
		RTE_ETH_TX_OFFLOAD_UDP_CKSUM | RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	struct gso_offload_port_limits lim;
	struct gso_offload_encap_caps enc;
	struct gso_encap_next next = { 0 };
	struct gso_offload_active a;
	struct gso_offload_caps caps;
	struct rte_eth_dev_info info;
	const struct gso_offload_provider *prov;
	uint64_t tx;

	fake_info(&info, "net_vmxnet3", VMXNET3_CAPA, 255, 16);
	TEST_ASSERT_EQ(derive(&info, &prov, &caps, &lim), 0, "vmxnet3");
	TEST_ASSERT_EQ(derive_encap(&info, &enc, &lim), 0, "vmxnet3 encap");
	next.registered = true;
	next.hw = enc;
	next.wanted = GSO_OFFLOAD_KW_ENCAP_ALL;
	gso_active_compute(&caps, true, GSO_OFFLOAD_KW_ALL, &next, &a);
	tx = gso_provider_generic_tx_offloads(PORT, &a, &lim, 0);
	TEST_ASSERT((tx & (TSO | l4)) == (TSO | l4) &&
		!(tx & (RTE_ETH_TX_OFFLOAD_IPV4_CKSUM | USO)),
		"vmxnet3: %#" PRIx64, tx);
	TEST_ASSERT(!(lim.flags & Q_IPCK), "vmxnet3 never gets IP_CKSUM asked");

	fake_info(&info, "net_e1000_em", EM_CAPA, 255, 255);
	TEST_ASSERT_EQ(derive(&info, &prov, &caps, &lim), 0, "em");
	TEST_ASSERT_EQ(derive_encap(&info, &enc, &lim), 0, "em encap");
	next.hw = enc;
	gso_active_compute(&caps, true, GSO_OFFLOAD_KW_ALL, &next, &a);
	tx = gso_provider_generic_tx_offloads(PORT, &a, &lim, 0);
	TEST_ASSERT((tx & (l4 | RTE_ETH_TX_OFFLOAD_IPV4_CKSUM)) ==
		(l4 | RTE_ETH_TX_OFFLOAD_IPV4_CKSUM) && !(tx & (TSO | USO)),
		"e1000_em: %#" PRIx64, tx);
	return TEST_OK;
}

static int
describe_encap_refuses_foreign_driver(void)
{
	const struct gso_offload_provider *ice =
		gso_offload_provider_find("net_ice");
	struct gso_offload_port_limits lim = { 0 };
	struct gso_offload_encap_caps enc, enc0;
	struct rte_eth_dev_info info;

	fake_info(&info, "net_null", CSUM | TNL_ALL, 0, 0);
	gso_provider_generic_derive_encap(&info, &enc);
	enc0 = enc;
	TEST_ASSERT_EQ(ice->describe_encap(PORT, &info, &enc, &lim), -ENOTSUP,
		"foreign driver");
	TEST_ASSERT(memcmp(&enc, &enc0, sizeof(enc)) == 0, "untouched");
	return TEST_OK;
}

static const struct test_case cases[] = {
	TEST_CASE(every_family_describes_its_ports),
	TEST_CASE(every_driver_name_is_tested),
	TEST_CASE(no_tso_leaves_flags_zero),
	TEST_CASE(tso_only_port_of_uso_family_gets_no_udp),
	TEST_CASE(uso_reported_and_implemented_is_kept),
	TEST_CASE(uso_reported_but_not_implemented_is_dropped),
	TEST_CASE(limits_never_loosen),
	TEST_CASE(unknown_driver_gets_generic),
	TEST_CASE(describe_refuses_foreign_driver),
	TEST_CASE(encap_generic_derivation),
	TEST_CASE(encap_families),
	TEST_CASE(encap_tx_offloads),
	TEST_CASE(describe_encap_refuses_foreign_driver),
	TEST_CASE(vmxnet3_and_em_tx_offloads),
};

int
main(int argc, char **argv)
{
	const struct test_suite suite = {
		.name = "provider_hw",
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = false,
	};

	return test_suite_run(&suite, argc, argv);
}
