/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_SEG_ARCH_H
#define GSO_SEG_ARCH_H

/*
 * Internal: the 16-byte "row" the segmentation engine moves mbuf metadata
 * and headers in (gso_seg_rows.h, gso_seg_build.h), one
 * implementation per architecture, chosen at compile time.
 *
 * gso_row is a 16-byte value in registers; its bytes, in memory order, are
 * those a little-endian load would give. Every implementation provides:
 *   gso_row_zero()                 all zero
 *   gso_row_load(p)                from p, 16-byte aligned
 *   gso_row_loadu(p)               from p, any alignment
 *   gso_row_storeu(p, v)           to p, any alignment
 *   gso_row_set64(hi, lo)          bytes 0-7 lo, 8-15 hi
 *   gso_row_set32(w3, w2, w1, w0)  bytes 0-3 w0 ... 12-15 w3
 *   gso_row_add64(a, b)            the two 64-bit halves added apart
 *   gso_row_diff_acc(acc, a, b, m) acc | ((a ^ b) & m)
 *   gso_row_is_zero(v)             no bit set
 * and GSO_SEG_ARCH_NAME, what gso_seg_arch() reports.
 *
 * x86 with SSE4.1 (every DPDK x86 build: its baseline is corei7) uses
 * SSE; everything else, and any build with GSO_SEG_ARCH_GENERIC defined
 * (meson -Dseg_arch=generic, and the *_generic tests, which check the
 * portable code on x86 too), uses portable C that compilers turn into
 * pairs of 64-bit loads and stores (ldp/stp on arm64).
 */

#include <rte_config.h>

#if defined(RTE_ARCH_X86) && defined(__SSE4_1__) && \
	!defined(GSO_SEG_ARCH_GENERIC)
#include "gso_seg_arch_x86.h"
#else
#include "gso_seg_arch_generic.h"
#endif

#endif /* GSO_SEG_ARCH_H */
