/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_TEST_POISON_H
#define GSO_TEST_POISON_H

/*
 * A poisoning packet mbuf pool for tests and fuzzers: an mbuf touched
 * after it went back to its pool is found.
 *
 * - Under AddressSanitizer (-Db_sanitize=address, or clang's
 *   -fsanitize=address/fuzzer), every object is poisoned when it is freed
 *   (the pool's enqueue) and unpoisoned when it is allocated (dequeue): any
 *   read or write of a freed mbuf, its metadata or its data room, by
 *   instrumented code is reported ("use-after-poison") and, with
 *   halt_on_error, fails the test.
 * - In every build, a freed mbuf is scribbled first: the fields that
 *   rte_pktmbuf_reset() restores on allocation (pkt_len, data_len,
 *   ol_flags, tx_offload, packet_type, vlan_tci, vlan_tci_outer, port) and
 *   the whole data room are overwritten with TEST_POISON_BYTE, so a read
 *   after free gives recognisable garbage (a length of 0x6b6b6b6b) in an
 *   ordinary build too. What DPDK requires of a free mbuf is kept:
 *   refcnt 1, next NULL, nb_segs 1, a direct mbuf (no INDIRECT/EXTERNAL
 *   flag), and buf_addr, buf_iova, buf_len, pool, priv_size, data_off
 *   untouched, so a raw allocation (rte_mempool_get_bulk(), as the
 *   segmentation engine's builders do) still gets a valid free mbuf.
 *
 * The pool has no per-lcore cache, so every free reaches the pool's ops
 * and is poisoned at once (a cache would hold freed mbufs unpoisoned).
 * Its objects are not poisoned while the pool is populated and its mbufs
 * initialised; all of them are poisoned (and scribbled) once that is done,
 * so a fresh pool looks exactly like one whose mbufs were all freed.
 * rte_mempool_free() unpoisons the pool's memory before giving it back.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

/* The byte a freed mbuf's reset fields and data room are filled with
 * (Linux's slab POISON_FREE). */
#define TEST_POISON_BYTE 0x6b

/* Name of the mempool ops (rte_mempool_get_ops(mp->ops_index)->name). */
#define TEST_POISON_OPS_NAME "test_poison"

/* True in a build where freed objects are ASan-poisoned. */
#if defined(__SANITIZE_ADDRESS__)
#define TEST_POISON_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_POISON_ASAN 1
#endif
#endif
#ifndef TEST_POISON_ASAN
#define TEST_POISON_ASAN 0
#endif

/**
 * Create a packet mbuf pool whose freed mbufs are poisoned and scribbled.
 *
 * Same parameters as rte_pktmbuf_pool_create() but for the cache, which is
 * always 0. Free it with rte_mempool_free().
 *
 * @param name
 *   Pool name (at most RTE_MEMPOOL_NAMESIZE - 1 characters).
 * @param n
 *   Number of mbufs.
 * @param priv_size
 *   Application private area between struct rte_mbuf and the buffer (a
 *   multiple of RTE_MBUF_PRIV_ALIGN).
 * @param data_room
 *   Buffer size of each mbuf, RTE_PKTMBUF_HEADROOM included (as
 *   rte_pktmbuf_pool_create()'s data_room_size).
 * @param socket_id
 *   NUMA socket, or SOCKET_ID_ANY.
 * @return
 *   The pool, or NULL with rte_errno set.
 */
struct rte_mempool *test_poison_pktmbuf_pool_create(const char *name,
		unsigned int n, uint16_t priv_size, uint16_t data_room,
		int socket_id);

/**
 * The segmentation engine's pool (gso_offload_seg_pool_create()), made
 * poisoning: data_room excludes the headroom, as there.
 */
struct rte_mempool *test_poison_seg_pool_create(const char *name,
		unsigned int n, uint16_t data_room, int socket_id);

/**
 * True when mp was made by this file.
 */
bool test_poison_pool_is(const struct rte_mempool *mp);

#endif /* GSO_TEST_POISON_H */
