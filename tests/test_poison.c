/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * The poisoning mbuf pool (test_poison.h): mempool ops over a ring of its
 * own, whose enqueue (every free: the pool has no cache) checks, scribbles
 * and poisons each object and whose dequeue (every allocation) unpoisons
 * it.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#include "test_poison.h"

#if TEST_POISON_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n) ASAN_POISON_MEMORY_REGION(p, n)
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION(p, n)
#else
#define POISON(p, n) do { (void)(p); (void)(n); } while (0)
#define UNPOISON(p, n) do { (void)(p); (void)(n); } while (0)
#endif

#define PATTERN16 ((uint16_t)(TEST_POISON_BYTE * 0x0101u))
#define PATTERN32 ((uint32_t)(TEST_POISON_BYTE * 0x01010101u))
#define PATTERN64 ((uint64_t)TEST_POISON_BYTE * 0x0101010101010101ull)

/* A memory chunk the pool's objects were laid in (unpoisoned on free). */
struct poison_chunk {
	void *va;
	size_t len;
};

/* The pool's ops data (mp->pool_data). */
struct poison_pool {
	struct rte_ring *ring;
	/* Off while the pool is populated and rte_pktmbuf_init() writes the
	 * mbufs; on for good once every object has been poisoned. */
	bool on;
	uint16_t priv_size;     /* the pool's, kept: a freed mbuf's own */
	uint16_t data_room;     /* fields are not to be trusted */
	struct poison_chunk *chunks;
	unsigned int nb_chunks;
};

static int
poison_alloc(struct rte_mempool *mp)
{
	char name[RTE_RING_NAMESIZE];
	struct poison_pool *pp;
	int len;

	/* In DPDK memory, like the pool: a test that never frees its pool
	 * leaks nothing LeakSanitizer should report. */
	pp = rte_zmalloc_socket("test_poison", sizeof(*pp), 0, mp->socket_id);
	if (pp == NULL)
		return -ENOMEM;
	len = snprintf(name, sizeof(name), "PZ_%s", mp->name);
	if (len < 0 || (size_t)len >= sizeof(name)) {
		rte_free(pp);
		return -ENAMETOOLONG;
	}
	/* Multi-producer, multi-consumer: lcores may share a pool. */
	pp->ring = rte_ring_create(name, rte_align32pow2(mp->size + 1),
			mp->socket_id, 0);
	if (pp->ring == NULL) {
		rte_free(pp);
		return -rte_errno;
	}
	mp->pool_data = pp;
	return 0;
}

static void
poison_free(struct rte_mempool *mp)
{
	struct poison_pool *pp = mp->pool_data;

	/* The memory goes back to DPDK's heap, where a pool of another kind
	 * may be laid next: left poisoned, its first use would be reported. */
	for (unsigned int i = 0; i < pp->nb_chunks; i++)
		UNPOISON(pp->chunks[i].va, pp->chunks[i].len);
	rte_ring_free(pp->ring);
	rte_free(pp->chunks);
	rte_free(pp);
}

static int
poison_populate(struct rte_mempool *mp, unsigned int max_objs, void *vaddr,
		rte_iova_t iova, size_t len, rte_mempool_populate_obj_cb_t *cb,
		void *cb_arg)
{
	struct poison_pool *pp = mp->pool_data;
	struct poison_chunk *c;

	c = rte_realloc(pp->chunks, (pp->nb_chunks + 1) * sizeof(*c), 0);
	if (c == NULL)
		return -ENOMEM;
	pp->chunks = c;
	pp->chunks[pp->nb_chunks++] = (struct poison_chunk){ vaddr, len };
	return rte_mempool_op_populate_default(mp, max_objs, vaddr, iova, len,
			cb, cb_arg);
}

/* What DPDK requires of a free mbuf, checked as it comes back: a free
 * that breaks it corrupts whoever allocates the mbuf next (a reference
 * mbuf freed raw without detaching hands out another mbuf's buffer), and
 * Debian's DPDK is built without RTE_LIBRTE_MBUF_DEBUG, which would say
 * so. The process stops with the reason rather than go on corrupted. */
static void
poison_check_free(const struct rte_mempool *mp, const struct poison_pool *pp,
		const struct rte_mbuf *m)
{
	const char *why = NULL;
	char *own = (char *)(uintptr_t)m + sizeof(*m) + pp->priv_size;

	if (rte_mbuf_refcnt_read(m) != 1)
		why = "refcnt != 1";
	else if (m->next != NULL)
		why = "next != NULL";
	else if (m->nb_segs != 1)
		why = "nb_segs != 1";
	else if (!RTE_MBUF_DIRECT(m))
		why = "not a direct mbuf (INDIRECT or EXTERNAL flag)";
	else if (m->buf_addr != own || m->buf_len != pp->data_room)
		why = "buffer not its own (buf_addr or buf_len)";
	else if (m->pool != mp)
		why = "pool is another pool";
	else if (m->priv_size != pp->priv_size)
		why = "priv_size changed";
	if (why == NULL)
		return;
	fprintf(stderr, "test_poison: pool %s: mbuf %p freed with %s\n",
		mp->name, (const void *)m, why);
	abort();
}

/* Overwrite what rte_pktmbuf_reset() restores (but next and nb_segs, which
 * a free mbuf must keep) and the data room. data_off is kept too: a stale
 * pointer made from it stays inside the scribbled buffer instead of
 * wandering into a neighbour's live data. */
static void
poison_scribble(const struct poison_pool *pp, struct rte_mbuf *m)
{
	memset((char *)m + sizeof(*m) + pp->priv_size, TEST_POISON_BYTE,
		pp->data_room);
	m->pkt_len = PATTERN32;
	m->data_len = PATTERN16;
	m->port = PATTERN16;
	m->packet_type = PATTERN32;
	m->vlan_tci = PATTERN16;
	m->vlan_tci_outer = PATTERN16;
	m->tx_offload = PATTERN64;
	/* Without the flags that would make it indirect or external: an
	 * allocation that forgot to reset them would otherwise free another
	 * mbuf's buffer, a crash far from the cause. */
	m->ol_flags = PATTERN64 & ~(RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL);
}

static void
poison_one(struct rte_mempool *mp, struct poison_pool *pp, void *obj)
{
	poison_check_free(mp, pp, obj);
	poison_scribble(pp, obj);
	POISON(obj, mp->elt_size);
}

static int
poison_enqueue(struct rte_mempool *mp, void * const *obj_table,
		unsigned int n)
{
	struct poison_pool *pp = mp->pool_data;

	if (pp->on)
		for (unsigned int i = 0; i < n; i++)
			poison_one(mp, pp, obj_table[i]);
	/* The ring holds every object of the pool: it cannot be full. */
	return rte_ring_enqueue_bulk(pp->ring, obj_table, n, NULL) == n ?
		0 : -ENOBUFS;
}

static int
poison_dequeue(struct rte_mempool *mp, void **obj_table, unsigned int n)
{
	struct poison_pool *pp = mp->pool_data;

	if (rte_ring_dequeue_bulk(pp->ring, obj_table, n, NULL) != n)
		return -ENOBUFS;
	for (unsigned int i = 0; i < n; i++)
		UNPOISON(obj_table[i], mp->elt_size);
	return 0;
}

static unsigned int
poison_get_count(const struct rte_mempool *mp)
{
	const struct poison_pool *pp = mp->pool_data;

	return rte_ring_count(pp->ring);
}

static const struct rte_mempool_ops poison_ops = {
	.name = TEST_POISON_OPS_NAME,
	.alloc = poison_alloc,
	.free = poison_free,
	.enqueue = poison_enqueue,
	.dequeue = poison_dequeue,
	.get_count = poison_get_count,
	.populate = poison_populate,
};

/* Registered on first use rather than by a constructor: a constructor in
 * a static library is not linked unless something else of its object is,
 * and a process may then look for the ops before. Pools are created at
 * set-up, from one thread. */
static int
poison_ops_register(void)
{
	static bool done;
	int r;

	if (done)
		return 0;
	r = rte_mempool_register_ops(&poison_ops);
	if (r < 0 && r != -EEXIST)
		return r;
	done = true;
	return 0;
}

static void
poison_obj_cb(struct rte_mempool *mp, void *arg, void *obj,
		unsigned int idx __rte_unused)
{
	poison_one(mp, arg, obj);
}

struct rte_mempool *
test_poison_pktmbuf_pool_create(const char *name, unsigned int n,
		uint16_t priv_size, uint16_t data_room, int socket_id)
{
	struct rte_pktmbuf_pool_private mbp = {
		.mbuf_data_room_size = data_room,
		.mbuf_priv_size = priv_size,
	};
	struct poison_pool *pp;
	struct rte_mempool *mp;
	int r;

	if (RTE_ALIGN(priv_size, RTE_MBUF_PRIV_ALIGN) != priv_size) {
		rte_errno = EINVAL;
		return NULL;
	}
	r = poison_ops_register();
	if (r < 0) {
		rte_errno = -r;
		return NULL;
	}
	/* Cache 0: every free reaches poison_enqueue(). */
	mp = rte_mempool_create_empty(name, n,
			sizeof(struct rte_mbuf) + priv_size + data_room, 0,
			sizeof(struct rte_pktmbuf_pool_private), socket_id, 0);
	if (mp == NULL)
		return NULL;
	r = rte_mempool_set_ops_byname(mp, TEST_POISON_OPS_NAME, NULL);
	if (r != 0)
		goto fail;
	rte_pktmbuf_pool_init(mp, &mbp);
	r = rte_mempool_populate_default(mp);
	if (r < 0)
		goto fail;
	rte_mempool_obj_iter(mp, rte_pktmbuf_init, NULL);

	/* Every object is in the ring, initialised: poison them all, so an
	 * mbuf never allocated looks like one freed. */
	pp = mp->pool_data;
	pp->priv_size = priv_size;
	pp->data_room = data_room;
	rte_mempool_obj_iter(mp, poison_obj_cb, pp);
	pp->on = true;
	return mp;
fail:
	rte_mempool_free(mp);
	rte_errno = -r;
	return NULL;
}

struct rte_mempool *
test_poison_seg_pool_create(const char *name, unsigned int n,
		uint16_t data_room, int socket_id)
{
	uint32_t room = (uint32_t)RTE_PKTMBUF_HEADROOM + data_room;

	if (room > UINT16_MAX) {
		rte_errno = EINVAL;
		return NULL;
	}
	return test_poison_pktmbuf_pool_create(name, n, 0, (uint16_t)room,
			socket_id);
}

bool
test_poison_pool_is(const struct rte_mempool *mp)
{
	return mp != NULL && strcmp(rte_mempool_get_ops(mp->ops_index)->name,
			TEST_POISON_OPS_NAME) == 0;
}
