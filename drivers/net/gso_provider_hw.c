/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Hardware NIC families: one table, one describe function.
 *
 * A row says what the silicon of a family segments and the limits its
 * descriptors and its DPDK 22.11 PMD enforce, each with its source.
 * describe() finds the row by rte_eth_dev_info.driver_name and refines the
 * generic derivation with it:
 *  - flags are the intersection: a row's TCP flags survive only if the
 *    port reported RTE_ETH_TX_OFFLOAD_TCP_TSO, its UDP flag only if it
 *    reported UDP_TSO (the generic derivation already encodes that); the
 *    row's L3 flags apply only while some L4 flag is left;
 *  - limits are the intersection too: the tighter of the row and the
 *    generic value. The generic max_offload_size (65535) is a protocol
 *    bound (16-bit IPv4 total length / IPv6 payload length), so a
 *    descriptor field that can express more (18-bit TSO length fields)
 *    does not raise it;
 *  - quirks are replaced by the row's: they are facts about the PMD.
 * A limit of 0 in a row means "not documented": the generic value stays.
 *
 * Row policies, applied to every family:
 *  - IPv6 extension headers are declared only where the TX descriptor
 *    carries the L3 header length (the NIC takes the L4 offset from the
 *    descriptor instead of parsing the headers) and the Linux driver's TX
 *    path walks past them or declares NETIF_F_HW_CSUM. Elsewhere nothing
 *    documents them: those Linux drivers declare only NETIF_F_IPV6_CSUM,
 *    which since 864e3396976e ("net: gso: Forbid IPv6 TSO with extensions
 *    on devices with only IPV6_CSUM") never gets such a GSO packet.
 *  - Where the hardware limits the whole header (L2+L3+L4) rather than
 *    the L4 offset, the offset limit leaves room for the largest TCP
 *    header (HW_TCP_HDR_MAX), so that any TCP options fit.
 *  - Segment limits that the PMD reports correctly in tx_desc_lim are not
 *    repeated here.
 *  - Limits come from the TSO path; the PMDs and Linux drivers that do USO
 *    use the same descriptor fields for it.
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>

#include "gso_providers.h"

/* TCP data offset is 4 bits of 32-bit words: 60 bytes with options. */
#define HW_TCP_HDR_MAX 60u

#define HW_L3_NO_EXT (GSO_OFFLOAD_L3_IPV4_NO_OPTIONS | \
	GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS | GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS)
#define HW_L4_TCP (GSO_OFFLOAD_L4_TCP_NO_OPTIONS | \
	GSO_OFFLOAD_L4_TCP_WITH_OPTIONS)
#define HW_QUIRKS_INTEL (GSO_OFFLOAD_QUIRK_PHDR_CKSUM | \
	GSO_OFFLOAD_QUIRK_TSO_NEEDS_IP_CKSUM)

/* A family: its provider (name and driver names) and what it can do. */
struct hw_family {
	struct gso_offload_provider prov;
	uint32_t l3;              /* GSO_OFFLOAD_L3_* the silicon segments */
	uint32_t l4;              /* GSO_OFFLOAD_L4_* the silicon segments */
	uint16_t l4_offset_limit; /* largest L2+L3 length; 0: not documented */
	uint32_t max_offload;     /* largest L4 payload; 0: not documented */
	uint32_t min_segments;    /* 0: not documented */
	uint16_t mss_min;         /* 0: not documented */
	uint16_t mss_max;         /* 0: not documented */
	uint32_t max_frame;       /* from the L2 header; 0: not documented */
	uint16_t max_segments;    /* 0: not documented */
	uint16_t nb_seg_max;      /* 0: tx_desc_lim is right */
	uint16_t nb_mtu_seg_max;  /* 0: tx_desc_lim is right */
	/* Largest data_len of one mbuf the PMD puts in one TX descriptor
	 * (it does not split larger ones); 0: no limit documented. */
	uint16_t max_seg_data;
	uint32_t quirks;          /* GSO_OFFLOAD_QUIRK_*, replace the generic */
	/* Encapsulated offload (describe_encap): the encapsulations the
	 * family segments, kept only where the PMD reports them (the
	 * generic derivation); whether the outer UDP checksum it reports
	 * is wrong (then removed from the capabilities and from the TX
	 * offloads the port is configured with); the deepest inner L4
	 * offset of a tunnel, 0: as the plain offset limit. */
	uint32_t encaps;          /* GSO_OFFLOAD_ENCAP_BIT()s */
	bool outer_udp_cksum_broken;
	uint16_t encap_max_header;
};

#define HW_ENCAP_ALL GSO_OFFLOAD_ENCAP_ALL

enum hw_family_id {
	HW_I40E,
	HW_ICE,
	HW_IAVF,
	HW_IXGBE,
	HW_IGC,
	HW_MLX5,
	HW_BNXT,
	HW_TXGBE,
	HW_NGBE,
	HW_CNXK,
	HW_VMXNET3,
	HW_E1000_EM,
	HW_NB_FAMILIES,
};

static int hw_describe(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_caps *caps,
		struct gso_offload_port_limits *lim);
static int hw_describe_encap(uint16_t port_id,
		const struct rte_eth_dev_info *info,
		struct gso_offload_encap_caps *encap,
		struct gso_offload_port_limits *lim);

/* Driver names are rte_driver names (rte_eth_dev_info_get() copies
 * dev->device->driver->name), checked with dpdk-pmdinfo.py and strings on
 * the 22.11 PMD objects and against their RTE_PMD_REGISTER_* lines. */
#define HW_PROVIDER(fam, ...) {						\
	.name = (fam),							\
	.driver_names = (const char *const []){ __VA_ARGS__, NULL },	\
	.describe = hw_describe,					\
	.tx_offloads = NULL,						\
	.describe_encap = hw_describe_encap,				\
}

static const struct hw_family hw_families[] = {
	/*
	 * Intel 700 series (X710/XL710/XXV710), PF. VFs run net_iavf.
	 * Sources: DPDK 22.11 drivers/net/i40e, Linux drivers/net/ethernet/
	 * intel/i40e.
	 */
	[HW_I40E] = {
		.prov = HW_PROVIDER("i40e", "net_i40e"),
		/* MACLEN/IPLEN/L4LEN come from the descriptor, so IP options
		 * and IPv6 extension headers are the driver's business
		 * (Linux i40e_tx_enable_csum skips IPv6 extension headers).
		 * UDP: Linux i40e_tso handles SKB_GSO_UDP_L4 (Linux 5.5,
		 * "i40e: Add UDP segmentation offload support"); the 22.11
		 * PMD does not report UDP_TSO, so the intersection drops it. */
		.l3 = GSO_OFFLOAD_L3_ALL,
		.l4 = HW_L4_TCP | GSO_OFFLOAD_L4_UDP,
		/* Linux i40e_features_check: "MACLEN can support at most 63
		 * words" (126 bytes) and "IPLEN ... at most 127 dwords"
		 * (508 bytes). */
		.l4_offset_limit = 126 + 508,
		/* base/i40e_type.h I40E_TXD_CTX_QW1_TSO_LEN_MASK, 18 bits;
		 * i40e_set_tso_ctx() writes pkt_len - headers into it. */
		.max_offload = 0x3ffff,
		/* i40e_rxtx.h I40E_MIN_TSO_MSS 256 / I40E_MAX_TSO_MSS 9674,
		 * enforced by i40e_prep_pkts(). */
		.mss_min = 256,
		.mss_max = 9674,
		/* i40e_ethdev.h I40E_TSO_FRAME_SIZE_MAX 262144, checked
		 * against pkt_len by i40e_prep_pkts(). */
		.max_frame = 262144,
		/* tx_desc_lim reports I40E_TX_MAX_SEG 255 and
		 * I40E_TX_MAX_MTU_SEG 8 (i40e_dev_info_get), which
		 * i40e_prep_pkts() enforces: not repeated. */
		/* i40e_prep_pkts() runs rte_net_intel_cksum_prepare();
		 * i40e_txd_enable_checksum() asks for IIPT_IPV4_CSUM (the
		 * per-segment IPv4 checksum) only with RTE_MBUF_F_TX_IP_CKSUM. */
		.quirks = HW_QUIRKS_INTEL,
		/* Tunnels: the 22.11 PMD reports VXLAN, GRE, IPIP and GENEVE
		 * TNL_TSO and OUTER_IPV4_CKSUM (i40e_dev_info_get). Its
		 * OUTER_UDP_CKSUM is wrong on X710: Open vSwitch turns it off
		 * for net_i40e (REFERENCE.md §9, OVS 3.5+ netdev-dpdk), and
		 * DPDK's stable releases carry "net/i40e: fix outer UDP
		 * checksum offload for X710". Header: Linux
		 * i40e_features_check bounds the outer MAC header (63 words),
		 * the outer IP header (127 dwords), the tunnel header up to
		 * the inner IP (127 words) and the inner IP (127 dwords):
		 * 126 + 508 + 254 + 508. */
		.encaps = HW_ENCAP_ALL,
		.outer_udp_cksum_broken = true,
		.encap_max_header = 126 + 508 + 254 + 508,
	},
	/*
	 * Intel E810, PF and DCF (net_ice_dcf runs ice_set_tx_function(),
	 * ice_dcf_ethdev.c). Sources: DPDK 22.11 drivers/net/ice, Linux
	 * drivers/net/ethernet/intel/ice.
	 */
	[HW_ICE] = {
		.prov = HW_PROVIDER("ice", "net_ice", "net_ice_dcf"),
		/* Descriptor lengths as i40e; Linux ice_tx_csum skips IPv6
		 * extension headers. UDP: Linux ice_tso handles
		 * SKB_GSO_UDP_L4; the 22.11 PMD does not report UDP_TSO. */
		.l3 = GSO_OFFLOAD_L3_ALL,
		.l4 = HW_L4_TCP | GSO_OFFLOAD_L4_UDP,
		/* base/ice_lan_tx_rx.h ICE_TXD_MACLEN_MAX (127 words, 254)
		 * + ICE_TXD_IPLEN_MAX (127 dwords, 508), the bounds Linux
		 * ice_features_check applies. */
		.l4_offset_limit = 254 + 508,
		/* base/ice_lan_tx_rx.h ICE_TXD_CTX_QW1_TSO_LEN_M, 18 bits.
		 * (Linux caps the GSO size lower, at ICE_MAX_TSO_SIZE
		 * 131072, netif_set_tso_max_size; still above 65535.) */
		.max_offload = 0x3ffff,
		/* ice_rxtx.c ICE_MIN_TSO_MSS 64 / ICE_MAX_TSO_MSS 9728,
		 * enforced by ice_prep_pkts(). */
		.mss_min = 64,
		.mss_max = 9728,
		/* ice_rxtx.c ICE_MAX_TSO_FRAME_SIZE 262144, ice_prep_pkts(). */
		.max_frame = 262144,
		/* tx_desc_lim: ICE_TX_MTU_SEG_MAX 8, nb_seg_max
		 * ICE_MAX_RING_DESC (ice_prep_pkts checks the ring size). */
		/* ice_prep_pkts() runs rte_net_intel_cksum_prepare();
		 * IIPT_IPV4_CSUM only with RTE_MBUF_F_TX_IP_CKSUM
		 * (ice_txd_enable_checksum). */
		.quirks = HW_QUIRKS_INTEL,
		/* Tunnels: the 22.11 PMD reports VXLAN, GRE, IPIP and GENEVE
		 * TNL_TSO, OUTER_IPV4_CKSUM and OUTER_UDP_CKSUM
		 * (ice_dev_info_get). The outer UDP checksum is wrong: Open
		 * vSwitch turns it off for net_ice (REFERENCE.md §9), DPDK's
		 * stable releases carry "net/ice: fix check for outer UDP
		 * checksum offload". Header: ICE_TXD_MACLEN_MAX (254),
		 * ICE_TXD_IPLEN_MAX (508) outer and inner, and
		 * ICE_TXD_L4TUNLEN_MAX (127 words, 254), the bounds Linux
		 * ice_features_check applies. */
		.encaps = HW_ENCAP_ALL,
		.outer_udp_cksum_broken = true,
		.encap_max_header = 254 + 508 + 254 + 508,
	},
	/*
	 * Intel adaptive VF (VFs of i40e and ice PFs). Sources: DPDK 22.11
	 * drivers/net/iavf, drivers/common/iavf, Linux drivers/net/ethernet/
	 * intel/iavf.
	 */
	[HW_IAVF] = {
		.prov = HW_PROVIDER("iavf", "net_iavf"),
		/* Descriptor lengths as i40e; Linux iavf_tx_enable_csum
		 * skips IPv6 extension headers. UDP: Linux iavf does USO when
		 * the PF offers VIRTCHNL_VF_OFFLOAD_USO ("iavf: add support
		 * for UDP Segmentation Offload"); the 22.11 PMD's TX path
		 * handles RTE_MBUF_F_TX_UDP_SEG but it does not report
		 * UDP_TSO, so the intersection drops it. */
		.l3 = GSO_OFFLOAD_L3_ALL,
		.l4 = HW_L4_TCP | GSO_OFFLOAD_L4_UDP,
		/* Linux iavf_features_check: MACLEN at most 63 words,
		 * IPLEN at most 127 dwords. */
		.l4_offset_limit = 126 + 508,
		/* common/iavf/iavf_type.h IAVF_TXD_CTX_QW1_TSO_LEN_MASK,
		 * 18 bits. */
		.max_offload = 0x3ffff,
		/* iavf_rxtx.h IAVF_MIN_TSO_MSS 256 / IAVF_MAX_TSO_MSS 9668,
		 * enforced by iavf_prep_pkts(). */
		.mss_min = 256,
		.mss_max = 9668,
		/* max_frame: iavf_prep_pkts() checks no TSO frame length and
		 * the VF's PF limit is not visible: not documented, generic.
		 * tx_desc_lim: IAVF_TX_MAX_MTU_SEG 8, nb_seg_max ring size. */
		/* iavf_prep_pkts() runs rte_net_intel_cksum_prepare();
		 * IIPT_IPV4_CSUM only with RTE_MBUF_F_TX_IP_CKSUM
		 * (iavf_build_data_desc_cmd_offset_fields). */
		.quirks = HW_QUIRKS_INTEL,
		/* Tunnels: reported when the PF offers them (VIRTCHNL
		 * offload caps); the outer UDP checksum is wrong: OVS turns
		 * it off for net_iavf (REFERENCE.md §9), DPDK's stable
		 * releases carry "net/iavf: remove outer UDP checksum offload
		 * for X710 VF". Header bounds as i40e (Linux
		 * iavf_features_check). */
		.encaps = HW_ENCAP_ALL,
		.outer_udp_cksum_broken = true,
		.encap_max_header = 126 + 508 + 254 + 508,
	},
	/*
	 * Intel 82599/X540/X550 (net_ixgbe also drives 82598), PF and VF:
	 * ixgbevf shares the TX path. Sources: DPDK 22.11 drivers/net/ixgbe,
	 * Linux drivers/net/ethernet/intel/ixgbe.
	 */
	[HW_IXGBE] = {
		.prov = HW_PROVIDER("ixgbe", "net_ixgbe", "net_ixgbe_vf"),
		/* MACLEN/IPLEN in the context descriptor; Linux ixgbe uses
		 * NETIF_F_HW_CSUM, so it offloads IPv6 with extension
		 * headers. UDP: Linux ixgbe_tso, L4T_UDP, for mac >= 82599EB
		 * ("ixgbe: Add UDP segmentation offload support", Linux 5.5);
		 * the 22.11 PMD does not report UDP_TSO. */
		.l3 = GSO_OFFLOAD_L3_ALL,
		.l4 = HW_L4_TCP | GSO_OFFLOAD_L4_UDP,
		/* Linux ixgbe_features_check: IXGBE_MAX_MAC_HDR_LEN 127,
		 * IXGBE_MAX_NETWORK_HDR_LEN 511 (MACLEN 7 bits, IPLEN 9 bits
		 * of bytes; ixgbe_rxtx.h union ixgbe_tx_offload). */
		.l4_offset_limit = 127 + 511,
		/* PAYLEN is olinfo_status bits 31:14, 18 bits
		 * (base/ixgbe_type.h IXGBE_ADVTXD_PAYLEN_SHIFT 14); for TSO
		 * the PMD writes pkt_len minus the headers. */
		.max_offload = 0x3ffff,
		/* MSS: a 16-bit field (IXGBE_ADVTXD_MSS_SHIFT 16), no range
		 * checked by ixgbe_prep_pkts() or Linux: not documented,
		 * generic. max_frame: not documented, generic.
		 * tx_desc_lim: IXGBE_TX_MAX_SEG 40 for both (ixgbe_prep_pkts
		 * allows 40 - WTHRESH). */
		/* ixgbe_prep_pkts() runs rte_net_intel_cksum_prepare();
		 * ixgbe_set_xmit_ctx() builds an IPv4 TSO context only with
		 * RTE_MBUF_F_TX_IP_CKSUM, IPv6 otherwise. */
		.quirks = HW_QUIRKS_INTEL,
		/* Tunnels: none. The 22.11 PMD reports no *_TNL_TSO; Linux
		 * ixgbe segments tunnels only as GSO_PARTIAL (the stack fixes
		 * the outer headers), which DPDK has no offload for. */
		.encaps = 0,
	},
	/*
	 * Intel I225/I226. Sources: DPDK 22.11 drivers/net/igc.
	 */
	[HW_IGC] = {
		.prov = HW_PROVIDER("igc", "net_igc"),
		/* USO: igc_txrx.c IGC_TX_OFFLOAD_SEG covers
		 * RTE_MBUF_F_TX_UDP_SEG (TSE with L4T_UDP), and the PMD
		 * reports UDP_TSO; Linux igc_probe sets NETIF_F_GSO_UDP_L4.
		 * MACLEN/IPLEN in the context descriptor; Linux igc declares
		 * NETIF_F_HW_CSUM. */
		.l3 = GSO_OFFLOAD_L3_ALL,
		.l4 = HW_L4_TCP | GSO_OFFLOAD_L4_UDP,
		/* igc_txrx.c IGC_TSO_MAX_HDRLEN 512 bounds l2+l3+l4
		 * (eth_igc_prep_pkts); less the largest TCP header. */
		.l4_offset_limit = 512 - HW_TCP_HDR_MAX,
		/* base/igc_base.h IGC_ADVTXD_PAYLEN_SHIFT 14: 18-bit PAYLEN,
		 * pkt_len minus the headers for TSO. */
		.max_offload = 0x3ffff,
		/* igc_txrx.c IGC_TSO_MAX_MSS 9216 (eth_igc_prep_pkts); no
		 * minimum checked: mss_min not documented, generic. */
		.mss_max = 9216,
		/* max_frame: not documented, generic. tx_desc_lim:
		 * IGC_TX_MAX_SEG / IGC_TX_MAX_MTU_SEG 255. */
		/* eth_igc_prep_pkts() runs rte_net_intel_cksum_prepare();
		 * igc_set_xmit_ctx() builds an IPv4 context only with
		 * RTE_MBUF_F_TX_IP_CKSUM. */
		.quirks = HW_QUIRKS_INTEL,
		/* Tunnels: none (no *_TNL_TSO in the 22.11 PMD). */
		.encaps = 0,
	},
	/*
	 * NVIDIA ConnectX-4..7 and BlueField, PF, VF and SF: the ethdev's
	 * driver is the mlx5 common class driver on the PCI or auxiliary bus
	 * (drivers/common/mlx5/mlx5_common.h MLX5_PCI_DRIVER_NAME,
	 * MLX5_AUXILIARY_DRIVER_NAME). Sources: DPDK 22.11 drivers/net/mlx5,
	 * Linux drivers/net/ethernet/mellanox/mlx5/core.
	 */
	[HW_MLX5] = {
		.prov = HW_PROVIDER("mlx5", "mlx5_pci", "mlx5_auxiliary"),
		/* The NIC parses the inlined headers itself (the WQE carries
		 * only their total size): IPv6 extension headers not
		 * documented, and Linux mlx5e has only NETIF_F_IPV6_CSUM.
		 * UDP: Linux mlx5e sets NETIF_F_GSO_UDP_L4; the 22.11 PMD
		 * does not report UDP_TSO. */
		.l3 = HW_L3_NO_EXT,
		.l4 = HW_L4_TCP | GSO_OFFLOAD_L4_UDP,
		/* mlx5_defs.h MLX5_MAX_TSO_HEADER 192 bounds l2 (+VLAN) +
		 * l3 + l4, else mlx5_tx.h fails the packet
		 * (MLX5_TXCMP_CODE_ERROR); less the largest TCP header. */
		.l4_offset_limit = 192 - HW_TCP_HDR_MAX,
		/* max_offload: the HCA capability max_lso_cap
		 * (tso_max_payload_sz), read at probe and not in
		 * rte_eth_dev_info: not documented here, generic.
		 * MSS, frame: not documented, generic. tx_desc_lim: computed
		 * from the inline settings (mlx5_set_txlimit_params). */
		/* No tx_prepare. The L3 checksum flag in the WQE comes only
		 * from RTE_MBUF_F_TX_IP_CKSUM (mlx5_set_cksum_table); what
		 * the NIC wants in the L4 checksum field is not documented:
		 * DPDK's contract (pseudo-header) kept. */
		.quirks = HW_QUIRKS_INTEL,
		/* Tunnels: VXLAN, GRE and GENEVE TNL_TSO when the HCA has the
		 * tunnel capability, IP_TNL_TSO / UDP_TNL_TSO (generic, by the
		 * mbuf's lengths: software parser) when it has SWP, the outer
		 * checksums with them (mlx5_get_tx_port_offloads): what the
		 * port reports is kept. The inlined headers are bounded as
		 * for plain TSO (MLX5_MAX_TSO_HEADER): the plain offset limit
		 * applies. */
		.encaps = HW_ENCAP_ALL,
	},
	/*
	 * Broadcom NetXtreme-C/E (and their VFs and representors, all
	 * net_bnxt). Sources: DPDK 22.11 drivers/net/bnxt.
	 */
	[HW_BNXT] = {
		.prov = HW_PROVIDER("bnxt", "net_bnxt"),
		/* The BD carries only the total header size: the NIC parses
		 * L3 itself; IPv6 extension headers not documented (Linux
		 * bnxt has only NETIF_F_IPV6_CSUM). No UDP: Linux bnxt does
		 * USO on some chips only, the PMD has none. */
		.l3 = HW_L3_NO_EXT,
		.l4 = HW_L4_TCP,
		/* hsi_struct_def_dpdk.h TX_BD_LONG_HDR_SIZE_MASK 0x1ff in
		 * 16-bit words: l2+l3+l4 <= 1022; less the largest TCP
		 * header. */
		.l4_offset_limit = 1022 - HW_TCP_HDR_MAX,
		/* hsi_struct_def_dpdk.h TX_BD_LONG_MSS_MASK 0x7fff. Minimum
		 * not documented, generic. */
		.mss_max = 0x7fff,
		/* max_offload, frame: not documented, generic.
		 * max_segments: Linux bnxt takes tso_max_segs from the
		 * firmware (HWRM), not static: generic. */
		/* bnxt_txr.h BNXT_MAX_TSO_SEGS 32 BDs per packet, one of
		 * them the long BD every TSO packet uses (bnxt_start_xmit
		 * fails the packet with -ENOSPC); bnxt_dev_info_get_op()
		 * leaves tx_desc_lim.nb_seg_max/nb_mtu_seg_max 0. */
		.nb_seg_max = 32 - 1,
		.nb_mtu_seg_max = 32 - 1,
		/* No tx_prepare. bnxt_start_xmit() sets
		 * TX_BD_LONG_LFLAGS_T_IP_CHKSUM on every LSO packet, so no
		 * IP checksum flag is needed; the L4 field is not
		 * documented: DPDK's contract (pseudo-header) kept. */
		.quirks = GSO_OFFLOAD_QUIRK_PHDR_CKSUM,
		/* Tunnels: VXLAN, GRE, IPIP and GENEVE TNL_TSO and the outer
		 * IPv4 checksum as reported (BNXT_DEV_TX_OFFLOAD_SUPPORT); no
		 * defect documented. Header: the BD's header size bounds the
		 * whole stack, the plain offset limit applies. */
		.encaps = HW_ENCAP_ALL,
	},
	/*
	 * Wangxun 10G (SP1000/WX1820), PF and VF (txgbevf shares the TX
	 * path). Sources: DPDK 22.11 drivers/net/txgbe, Linux drivers/net/
	 * ethernet/wangxun.
	 */
	[HW_TXGBE] = {
		.prov = HW_PROVIDER("txgbe", "net_txgbe", "net_txgbe_vf"),
		/* No UDP although the 22.11 PMD reports UDP_TSO:
		 * RTE_MBUF_F_TX_UDP_SEG is missing from
		 * TXGBE_TX_OFFLOAD_MASK, so txgbe_prep_pkts() fails such a
		 * packet with ENOTSUP and txgbe_set_xmit_ctx() never sets up
		 * UDP segmentation; Linux libwx wx_tso is TCP only. IPv6
		 * extension headers not documented (Linux libwx has only
		 * NETIF_F_IPV6_CSUM). */
		.l3 = HW_L3_NO_EXT,
		.l4 = HW_L4_TCP,
		/* txgbe_rxtx.h TXGBE_TXD_MACLEN 7 bits of bytes (127) and
		 * TXGBE_TXD_IPLEN 9 bits of 16-bit words (1022). */
		.l4_offset_limit = 127 + 1022,
		/* txgbe_rxtx.h TXGBE_TXD_PAYLEN 0x7FFFF, 19 bits. */
		.max_offload = 0x7ffff,
		/* MSS: 16-bit TXGBE_TXD_MSS, no range checked: not
		 * documented, generic. Frame: not documented, generic.
		 * tx_desc_lim: TXGBE_TX_MAX_SEG 40. */
		/* txgbe_prep_pkts() runs rte_net_intel_cksum_prepare();
		 * tx_desc_cksum_flags_to_olinfo() sets IPCS for every IPv4
		 * TSO packet ("implies IPv4 cksum"), so RTE_MBUF_F_TX_IPV4
		 * is enough. */
		.quirks = GSO_OFFLOAD_QUIRK_PHDR_CKSUM,
		/* Tunnels: VXLAN, GRE, IPIP and GENEVE TNL_TSO as reported.
		 * The outer UDP checksum it reports is wrong: Open vSwitch
		 * turns it off for net_txgbe (REFERENCE.md §9). Header: not
		 * documented for tunnels, the plain offset limit applies. */
		.encaps = HW_ENCAP_ALL,
		.outer_udp_cksum_broken = true,
	},
	/*
	 * Wangxun 1G (WX1860). No VF PMD in 22.11. Sources: DPDK 22.11
	 * drivers/net/ngbe, Linux drivers/net/ethernet/wangxun.
	 */
	[HW_NGBE] = {
		.prov = HW_PROVIDER("ngbe", "net_ngbe"),
		/* As txgbe: UDP_TSO reported but RTE_MBUF_F_TX_UDP_SEG is
		 * missing from NGBE_TX_OFFLOAD_MASK (ngbe_prep_pkts fails it
		 * with ENOTSUP); IPv6 extension headers not documented. */
		.l3 = HW_L3_NO_EXT,
		.l4 = HW_L4_TCP,
		/* ngbe_rxtx.h NGBE_TXD_MACLEN 7 bits of bytes,
		 * NGBE_TXD_IPLEN 9 bits of 16-bit words. */
		.l4_offset_limit = 127 + 1022,
		/* ngbe_rxtx.h NGBE_TXD_PAYLEN 0x7FFFF. */
		.max_offload = 0x7ffff,
		/* MSS, frame: not documented, generic. tx_desc_lim:
		 * NGBE_TX_MAX_SEG 40. */
		/* ngbe_prep_pkts() runs rte_net_intel_cksum_prepare();
		 * IPCS is set for every IPv4 TSO packet
		 * (tx_desc_cksum_flags_to_olinfo). */
		.quirks = GSO_OFFLOAD_QUIRK_PHDR_CKSUM,
		/* Tunnels: none (no *_TNL_TSO in the 22.11 PMD). */
		.encaps = 0,
	},
	/*
	 * Marvell OCTEON CN9K/CN10K NIX, PF and VF (both run the net_cn9k /
	 * net_cn10k drivers). Sources: DPDK 22.11 drivers/net/cnxk,
	 * drivers/common/cnxk, Linux drivers/net/ethernet/marvell/
	 * octeontx2/nic.
	 */
	[HW_CNXK] = {
		.prov = HW_PROVIDER("cnxk", "net_cn9k", "net_cn10k"),
		/* UDP: Linux otx2_sqe_add_ext does LSO for SKB_GSO_UDP_L4;
		 * the 22.11 PMD does not report UDP_TSO (CNXK_NIX_TX_OFFLOAD_
		 * CAPA) and segments RTE_MBUF_F_TX_TCP_SEG only. IPv6
		 * extension headers not documented (Linux otx2 has only
		 * NETIF_F_IPV6_CSUM). */
		.l3 = HW_L3_NO_EXT,
		.l4 = HW_L4_TCP | GSO_OFFLOAD_L4_UDP,
		/* common/cnxk/hw/nix.h send header ext lso_sb: 8 bits, the
		 * offset of the payload (l2+l3+l4, cn10k_nix_xmit_prepare);
		 * less the largest TCP header. */
		.l4_offset_limit = 255 - HW_TCP_HDR_MAX,
		/* max_offload: bounded by the frame length below, not
		 * documented separately, generic. */
		/* hw/nix.h lso_mps: 14 bits. Minimum not documented. */
		.mss_max = 0x3fff,
		/* hw/nix.h nix_send_hdr_w0 total: 18 bits, the packet
		 * length. */
		.max_frame = 0x3ffff,
		/* Linux otx2 OTX2_MAX_GSO_SEGS 255, netif_set_tso_max_segs. */
		.max_segments = 255,
		/* tx_desc_lim: CNXK_NIX_TX_NB_SEG_MAX 9 (7 with PTP). */
		/* No tx_prepare. The inner L3 type is "IPv4 with checksum"
		 * only with RTE_MBUF_F_TX_IP_CKSUM (cn10k_nix_xmit_prepare);
		 * the L4 field is not documented: DPDK's contract kept. */
		.quirks = HW_QUIRKS_INTEL,
		/* Tunnels: VXLAN, GENEVE, GRE and IPIP TNL_TSO and both outer
		 * checksums as reported (CNXK_NIX_TX_OFFLOAD_CAPA; the NIX
		 * LSO formats cover UDP and GRE tunnels); no defect
		 * documented. Header: lso_sb bounds the whole stack, the
		 * plain offset limit applies. */
		.encaps = HW_ENCAP_ALL,
	},
	/*
	 * VMware VMXNET3 (paravirtual; also QEMU's emulation). Sources: DPDK
	 * 22.11 drivers/net/vmxnet3 (vmxnet3_rxtx.c, vmxnet3_ethdev.c,
	 * base/vmxnet3_defs.h; checked against the disassembly of Debian's
	 * 22.11.11 librte_net_vmxnet3), Linux drivers/net/vmxnet3.
	 */
	[HW_VMXNET3] = {
		.prov = HW_PROVIDER("vmxnet3", "net_vmxnet3"),
		/* vmxnet3_xmit_pkts() segments RTE_MBUF_F_TX_TCP_SEG only
		 * (VMXNET3_OM_TSO); VMXNET3_TX_OFFLOAD_MASK has no UDP_SEG.
		 * The descriptor carries only the whole header length
		 * (hlen), no L3 length: IPv6 extension headers not
		 * documented. TCP options are inside hlen = l2+l3+l4. */
		.l3 = HW_L3_NO_EXT,
		.l4 = HW_L4_TCP,
		/* Vmxnet3_TxDesc.hlen: 10 bits, written with l2+l3+l4
		 * unchecked (a longer header wraps); less the largest TCP
		 * header. */
		.l4_offset_limit = 1023 - HW_TCP_HDR_MAX,
		/* Vmxnet3_TxDesc.msscof: 14 bits, tso_segsz written
		 * unchecked. No minimum checked. */
		.mss_max = 0x3fff,
		/* max_offload, frame, segments: not documented (Linux
		 * vmxnet3 sets no tso_max_size), generic. tx_desc_lim:
		 * nb_seg_max VMXNET3_TX_MAX_SEG 255 (UINT8_MAX), nb_mtu_seg_max
		 * VMXNET3_MAX_TXD_PER_PKT 16, the non-TSO limit that
		 * vmxnet3_prep_pkts() (EINVAL) and vmxnet3_xmit_pkts()
		 * (drop_too_many_segs) enforce: right, not repeated. nb_min
		 * VMXNET3_DEF_TX_RING_SIZE 512. */
		/* One descriptor per mbuf, never split: vmxnet3_xmit_pkts()
		 * writes "dw2 | m_seg->data_len" into dword[2] (its comment
		 * "assumes that VMXNET3 maximum transmit buffer size (16K) is
		 * greater than maximum size of mbuf segment size"). len is
		 * 14 bits with the gen bit (VMXNET3_TXD_GEN_SHIFT 14) and
		 * rsvd above it, so a data_len >= VMXNET3_MAX_TX_BUF_SIZE
		 * (1 << 14) spills into them and truncates len: the device
		 * sees a stale descriptor (the ring stalls, the packet never
		 * leaves: the 20 KB single-mbuf TSO loss of REFERENCE.md §6)
		 * or a packet shorter than the mbuf. Linux vmxnet3_map_pkt()
		 * splits buffers at VMXNET3_MAX_TX_BUF_SIZE, writing len 0
		 * for 2^14; the DPDK PMD cannot express 16384, so the limit
		 * is one less. */
		.max_seg_data = (1u << 14) - 1,
		/* vmxnet3_prep_pkts() runs rte_net_intel_cksum_prepare()
		 * (pseudo-header in the TCP field). RTE_MBUF_F_TX_IP_CKSUM
		 * is not in VMXNET3_TX_OFFLOAD_MASK (prep fails it with
		 * ENOTSUP) and the port reports no IPV4_CKSUM: the device
		 * rewrites each TSO segment's IPv4 header from the one it is
		 * given, so that header carries a valid checksum. */
		.quirks = GSO_OFFLOAD_QUIRK_PHDR_CKSUM,
		/* Tunnels: none (no *_TNL_TSO; RTE_MBUF_F_TX_TUNNEL_* are
		 * not in VMXNET3_TX_OFFLOAD_MASK). */
		.encaps = 0,
	},
	/*
	 * Intel 8254x/8257x/82583 and their emulations (QEMU e1000,
	 * e1000e): DPDK's em PMD. Sources: DPDK 22.11 drivers/net/e1000
	 * (em_rxtx.c, em_ethdev.c, e1000_ethdev.h).
	 */
	[HW_E1000_EM] = {
		.prov = HW_PROVIDER("e1000_em", "net_e1000_em"),
		/* No TSO in DPDK: em_get_tx_port_offloads_capa() reports
		 * VLAN_INSERT, IPV4/UDP/TCP_CKSUM and MULTI_SEGS, and
		 * E1000_TX_OFFLOAD_MASK has no TCP_SEG (eth_em_prep_pkts
		 * fails it with ENOTSUP): every superframe is segmented in
		 * software, with the checksum offloads. */
		.l3 = 0,
		.l4 = 0,
		/* tx_desc_lim: EM_TX_MAX_SEG / EM_TX_MAX_MTU_SEG UINT8_MAX,
		 * nb_min E1000_MIN_RING_DESC 32, nb_align EM_TXD_ALIGN: right.
		 * Per descriptor: eth_em_xmit_pkts() puts one mbuf in one
		 * data descriptor (16-bit length); no limit is documented
		 * for the PMD (Linux e1000e splits at E1000_MAX_PER_TXD 8192,
		 * a driver choice), and frames are at most the MTU: none. */
		/* eth_em_prep_pkts() runs rte_net_intel_cksum_prepare(): the
		 * TCP/UDP checksum offload wants the pseudo-header in the
		 * field; the IPv4 checksum offload is RTE_MBUF_F_TX_IP_CKSUM
		 * as usual. */
		.quirks = GSO_OFFLOAD_QUIRK_PHDR_CKSUM,
		.encaps = 0,
	},
};

_Static_assert(RTE_DIM(hw_families) == HW_NB_FAMILIES,
		"one row per family");

const struct gso_offload_provider *const gso_hw_providers[] = {
	&hw_families[HW_I40E].prov,
	&hw_families[HW_ICE].prov,
	&hw_families[HW_IAVF].prov,
	&hw_families[HW_IXGBE].prov,
	&hw_families[HW_IGC].prov,
	&hw_families[HW_MLX5].prov,
	&hw_families[HW_BNXT].prov,
	&hw_families[HW_TXGBE].prov,
	&hw_families[HW_NGBE].prov,
	&hw_families[HW_CNXK].prov,
	&hw_families[HW_VMXNET3].prov,
	&hw_families[HW_E1000_EM].prov,
	NULL,
};

_Static_assert(RTE_DIM(gso_hw_providers) == HW_NB_FAMILIES + 1,
		"one provider per family, NULL-terminated");

static const struct hw_family *
hw_family_find(const char *driver_name)
{
	for (unsigned int i = 0; i < RTE_DIM(hw_families); i++)
		if (gso_provider_serves(&hw_families[i].prov, driver_name))
			return &hw_families[i];
	return NULL;
}

/* The tighter of a generic limit and a row's; 0 in the row: unknown. */
static uint32_t
hw_min(uint32_t generic, uint32_t row)
{
	return row != 0 && row < generic ? row : generic;
}

static uint32_t
hw_max(uint32_t generic, uint32_t row)
{
	return row > generic ? row : generic;
}

static int
hw_describe(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_caps *caps, struct gso_offload_port_limits *lim)
{
	const struct hw_family *f = hw_family_find(info->driver_name);
	uint32_t l4;

	RTE_SET_USED(port_id);
	/* Only reachable through gso_offload_port_set_provider() on a port
	 * of another driver: there is no row to describe it with. */
	if (f == NULL)
		return -ENOTSUP;

	/* The generic derivation holds exactly what the PMD reports. */
	l4 = caps->l4_flags & f->l4;
	caps->l4_flags = l4;
	caps->l3_flags = l4 != 0 ? caps->l3_flags & f->l3 : 0;

	/* In caps 0 means "no limit": a plain minimum would keep it. */
	if (f->l4_offset_limit != 0 && (caps->l4_header_offset_limit == 0 ||
			f->l4_offset_limit < caps->l4_header_offset_limit))
		caps->l4_header_offset_limit = f->l4_offset_limit;
	caps->max_offload_size = hw_min(caps->max_offload_size,
			f->max_offload);
	caps->min_segment_count = hw_max(caps->min_segment_count,
			f->min_segments);

	lim->mss_min = (uint16_t)hw_max(lim->mss_min, f->mss_min);
	lim->mss_max = (uint16_t)hw_min(lim->mss_max, f->mss_max);
	lim->max_frame = hw_min(lim->max_frame, f->max_frame);
	lim->max_segments = (uint16_t)hw_min(lim->max_segments,
			f->max_segments);
	lim->nb_seg_max = (uint16_t)hw_min(lim->nb_seg_max, f->nb_seg_max);
	lim->nb_mtu_seg_max = (uint16_t)hw_min(lim->nb_mtu_seg_max,
			f->nb_mtu_seg_max);
	lim->max_seg_data_len = (uint16_t)hw_min(lim->max_seg_data_len,
			f->max_seg_data);
	lim->flags = f->quirks;
	return 0;
}

/*
 * Encapsulated offload: the generic derivation holds exactly what the PMD
 * reports; a row keeps its encapsulations of it, drops an outer UDP
 * checksum the family gets wrong (from the capabilities and from the TX
 * offloads, so that no software segment asks for it either), and sets
 * the deepest header where the descriptor bounds tunnels apart.
 */
static int
hw_describe_encap(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_encap_caps *encap,
		struct gso_offload_port_limits *lim)
{
	const struct hw_family *f = hw_family_find(info->driver_name);

	RTE_SET_USED(port_id);
	if (f == NULL)
		return -ENOTSUP;
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++) {
		struct gso_offload_encap *x = &encap->encap[e];

		if (!(f->encaps & GSO_OFFLOAD_ENCAP_BIT(e))) {
			memset(x, 0, sizeof(*x));
			continue;
		}
		if (x->l4_flags == 0)
			continue;
		if (f->outer_udp_cksum_broken)
			x->flags &= ~GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM;
		if (f->encap_max_header != 0)
			x->max_header_size = f->encap_max_header;
	}
	if (f->outer_udp_cksum_broken)
		lim->tx_offload_capa &= ~RTE_ETH_TX_OFFLOAD_OUTER_UDP_CKSUM;
	return 0;
}
