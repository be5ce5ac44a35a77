/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_mbuf_dyn.h>

#include "gso_seg_private.h"
#include "test_pkt.h"
#include "test_poison.h"
#include "test_seg_env.h"

int
test_seg_env_setup(struct test_seg_env *e)
{
	static const struct rte_mbuf_dynfield df = {
		.name = "gso_test_dynfield", .size = sizeof(uint64_t),
		.align = __alignof__(uint64_t),
	};
	static const struct rte_mbuf_dynflag dfl = { .name = "gso_test_dynflag" };
	struct gso_offload_seg_conf conf;
	int bit;

	memset(e, 0, sizeof(*e));
	e->dyn_offset = -1;
	e->sf_pool = test_poison_pktmbuf_pool_create("sf", 2048, 0, UINT16_MAX,
			SOCKET_ID_ANY);
	e->hdr_pool = test_poison_pktmbuf_pool_create("hdr", 16384, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	e->ref_pool = test_poison_pktmbuf_pool_create("ref", 16384, 0, 0,
			SOCKET_ID_ANY);
	if (e->sf_pool == NULL || e->hdr_pool == NULL || e->ref_pool == NULL)
		return -1;
	conf = (struct gso_offload_seg_conf){ .hdr_pool = e->hdr_pool,
		.ref_pool = e->ref_pool };
	e->engine = gso_offload_seg_create(&conf, 0);
	/* engine's pools poison freed mbufs (tests/test_poison.h); shared's
	 * are the library's own recommended pools, with their cache. */
	e->lifo_pool = gso_offload_seg_pool_create("lifo", 16384,
			GSO_OFFLOAD_MAX_HDR_LEN, 0);
	e->lifo_copy_pool = gso_offload_seg_pool_create("lifo_copy", 8192,
			RTE_MBUF_DEFAULT_DATAROOM, 0);
	if (e->lifo_pool == NULL || e->lifo_copy_pool == NULL)
		return -1;
	conf = (struct gso_offload_seg_conf){ .hdr_pool = e->lifo_pool,
		.ref_pool = e->lifo_pool, .copy_pool = e->lifo_copy_pool };
	e->shared = gso_offload_seg_create(&conf, 0);
	conf.flags = GSO_OFFLOAD_SEG_F_NO_FLOW_CACHE;
	e->nocache = gso_offload_seg_create(&conf, 0);
	if (e->engine == NULL || e->shared == NULL || e->nocache == NULL ||
			strcmp(rte_mempool_get_ops(e->lifo_pool->ops_index)->name,
				"stack") != 0)
		return -1;
	e->dyn_offset = rte_mbuf_dynfield_register(&df);
	bit = rte_mbuf_dynflag_register(&dfl);
	if (e->dyn_offset < 0 || bit < 0)
		return -1;
	e->dyn_flag = 1ULL << bit;
	return 0;
}

struct test_pools_use
test_seg_env_in_use(const struct test_seg_env *e)
{
	return (struct test_pools_use){ {
		rte_mempool_in_use_count(e->sf_pool),
		rte_mempool_in_use_count(e->hdr_pool),
		rte_mempool_in_use_count(e->ref_pool),
		rte_mempool_in_use_count(e->lifo_pool),
		rte_mempool_in_use_count(e->lifo_copy_pool),
	} };
}

bool
test_seg_env_in_use_back(const struct test_seg_env *e,
		const struct test_pools_use *base)
{
	struct test_pools_use now = test_seg_env_in_use(e);

	return memcmp(&now, base, sizeof(now)) == 0;
}

void
test_seg_env_mark(const struct test_seg_env *e, struct rte_mbuf *m)
{
	*RTE_MBUF_DYNFIELD(m, e->dyn_offset, uint64_t *) = 0x0123456789abcdefULL;
	m->ol_flags |= e->dyn_flag;
}

void
test_sf_snapshot(const struct rte_mbuf *m, struct test_sf_state *st)
{
	st->bytes = test_mbuf_bytes(m, &st->len);
	st->nb_segs = m->nb_segs;
	st->ol_flags = m->ol_flags;
	st->tx_offload = m->tx_offload;
	for (unsigned int i = 0; m != NULL && i < 64; m = m->next, i++)
		st->refcnt[i] = rte_mbuf_refcnt_read(m);
}

bool
test_sf_unchanged(const struct rte_mbuf *m, const struct test_sf_state *st)
{
	struct test_sf_state now;
	bool same;

	test_sf_snapshot(m, &now);
	same = now.len == st->len && now.nb_segs == st->nb_segs &&
		now.ol_flags == st->ol_flags && now.tx_offload == st->tx_offload &&
		memcmp(now.bytes, st->bytes, st->len) == 0 &&
		memcmp(now.refcnt, st->refcnt,
			RTE_MIN(st->nb_segs, 64) * sizeof(uint16_t)) == 0;
	free(now.bytes);
	return same;
}

bool
test_same_segments(struct rte_mbuf **a, struct rte_mbuf **b, int n)
{
	for (int i = 0; i < n; i++) {
		uint32_t la, lb;
		uint8_t *ba = test_mbuf_bytes(a[i], &la);
		uint8_t *bb = test_mbuf_bytes(b[i], &lb);
		bool eq = ba != NULL && bb != NULL && la == lb &&
			memcmp(ba, bb, la) == 0 &&
			a[i]->ol_flags == b[i]->ol_flags &&
			a[i]->tx_offload == b[i]->tx_offload &&
			a[i]->vlan_tci == b[i]->vlan_tci &&
			a[i]->vlan_tci_outer == b[i]->vlan_tci_outer &&
			a[i]->port == b[i]->port &&
			a[i]->hash.rss == b[i]->hash.rss &&
			a[i]->packet_type == b[i]->packet_type;

		free(ba);
		free(bb);
		if (!eq)
			return false;
	}
	return true;
}

int
test_seg_fail_each_point(const struct test_seg_env *e,
		struct gso_offload_seg_ctx *eng, struct rte_mbuf *sf,
		const struct gso_offload_seg_params *prm, struct rte_mbuf **out,
		uint16_t nb_out, unsigned int *failures)
{
	struct test_sf_state st;
	int n = -ENOMEM, k;

	*failures = 0;
	test_sf_snapshot(sf, &st);
	for (k = 0; n == -ENOMEM && k < 512; k++) {
		struct test_pools_use base = test_seg_env_in_use(e);

		gso_seg_fault_inject(eng, k);
		n = gso_offload_segment(eng, sf, prm, out, nb_out);
		gso_seg_fault_inject(eng, -1);
		if (n != -ENOMEM)
			break;
		(*failures)++;
		if (!test_seg_env_in_use_back(e, &base) ||
				!test_sf_unchanged(sf, &st)) {
			printf("#   failing allocation %d: an mbuf leaked or the "
				"superframe changed\n", k);
			n = INT_MIN;
		}
	}
	free(st.bytes);
	return n;
}
