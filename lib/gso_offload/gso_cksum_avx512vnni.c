/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * The AVX-512 checksum kernels again, with AVX512-VNNI's vpdpwssd doing
 * the multiply-add and the add into the sum in one operation (Ice Lake,
 * Sapphire Rapids and later; Skylake-X has AVX-512 without it). One source
 * for both: see gso_cksum_avx512.c.
 */

#define GSO_CKSUM_VNNI 1
#include "gso_cksum_avx512.c"
