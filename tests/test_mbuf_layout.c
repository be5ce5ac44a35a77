/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * The segment builders write struct rte_mbuf as 16-byte rows
 * (lib/gso_offload/gso_seg_rows.h), relying on DPDK's mbuf layout. The
 * library's build stops on a layout it does not know; this test says the
 * same at run time, field by field with the DPDK version, and checks what
 * the rows write through DPDK's own field names and accessors
 * (rte_mbuf_refcnt_read(), rte_mbuf_from_indirect(), RTE_MBUF_CLONED()),
 * so that a row built wrong for a field cannot pass unseen. Built once per
 * row implementation (gso_seg_arch.h): mbuf_layout with the one the
 * library uses, mbuf_layout_generic with the portable one on x86.
 * No EAL: only the headers' inline functions run.
 */

#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <rte_mbuf.h>
#include <rte_version.h>

/* Report a moved field here, not stop the build of this test. */
#define GSO_SEG_ROWS_NO_STATIC_ASSERT
#include "gso_seg_rows.h"
#include "test.h"

/* An mbuf and 64 bytes after it, to see that nothing is written there. */
struct mbuf_room {
	alignas(RTE_CACHE_LINE_SIZE) uint8_t b[GSO_SEG_MBUF_SIZE + 64];
};

static struct rte_mbuf *
room_mbuf(struct mbuf_room *r, uint8_t fill)
{
	memset(r, fill, sizeof(*r));
	return (struct rte_mbuf *)(void *)r->b;
}

static int
layout_table(void)
{
	int bad = 0;

	printf("# %s, rows: %s\n", rte_version(), GSO_SEG_ARCH_NAME);
#define CHECK_FIELD(field, off, size) \
	if (offsetof(struct rte_mbuf, field) != (off) || \
			GSO_SEG_MBUF_FIELD_SIZE(field) != (size)) { \
		printf("#   struct rte_mbuf." #field " is at offset %zu, " \
			"%zu bytes, in %s; the segment builders write it " \
			"at offset %d, %d bytes (gso_seg_rows.h): this DPDK " \
			"breaks the engine\n", \
			offsetof(struct rte_mbuf, field), \
			GSO_SEG_MBUF_FIELD_SIZE(field), rte_version(), \
			(off), (size)); \
		bad++; \
	}
	GSO_SEG_MBUF_LAYOUT(CHECK_FIELD)
#undef CHECK_FIELD
	TEST_ASSERT_EQ(sizeof(struct rte_mbuf), GSO_SEG_MBUF_SIZE,
		"struct rte_mbuf's size in %s is not the 8 rows the segment "
		"builders write", rte_version());
	TEST_ASSERT_EQ(bad, 0, "fields of struct rte_mbuf moved in %s",
		rte_version());
#if defined(RTE_IOVA_IN_MBUF) && !RTE_IOVA_IN_MBUF
	TEST_ASSERT(false, "DPDK built without the IOVA in the mbuf");
#endif
	return TEST_OK;
}

/* Values no field holds by accident. */
#define POOL_PTR ((struct rte_mempool *)(uintptr_t)0x7f0011223340ull)
#define NEXT_PTR ((struct rte_mbuf *)(uintptr_t)0x7f0055667780ull)

static void
sf_init(struct rte_mbuf *sf)
{
	memset(sf, 0, sizeof(*sf));
	sf->port = 0x1234;
	sf->packet_type = 0x89abcdefu;
	sf->vlan_tci = 0x0abc;
	sf->vlan_tci_outer = 0x0def;
	sf->hash.fdir.lo = 0x11223344u;
	sf->hash.fdir.hi = 0x55667788u;
	sf->timesync = 0x9aab;
	for (unsigned int i = 0; i < RTE_DIM(sf->dynfield1); i++)
		sf->dynfield1[i] = 0xd0000000u + i * 0x01010101u;
}

static void
plan_init(struct gso_seg_plan *pl)
{
	memset(pl, 0, sizeof(*pl));
	pl->hdr_len = 66;
	pl->mss = 1448;
	pl->nseg = 3;
	pl->payload_len = 2 * 1448 + 100;
	pl->ol_flags = RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_TCP_CKSUM |
		RTE_MBUF_F_TX_VLAN;
	pl->tx_offload = rte_mbuf_tx_offload(14, 20, 32, 0, 0, 0, 0);
}

/* The head rows of a segment, flat or not, full or last. */
static int
head_case(bool flat, bool last)
{
	const struct gso_seg_head_pool hp = {
		.mp = POOL_PTR, .buf_len = 2176, .priv_size = 24, .headroom = 128,
	};
	struct mbuf_room room;
	struct rte_mbuf sf, *h = room_mbuf(&room, 0xa5);
	struct seg_head_rows w;
	struct gso_seg_plan pl;
	const uint16_t data_off = 128 + 40;
	const uint32_t pkt_len = 66 + (last ? 100 : 1448);
	void *const buf_addr = (void *)(uintptr_t)0x7f00aabbcc00ull;
	const rte_iova_t iova = 0x12345678abcull;

	sf_init(&sf);
	plan_init(&pl);
	h->buf_addr = buf_addr;
	h->buf_iova = iova;
	seg_head_rows_init(&w, &hp, &sf, &pl, flat ? 1 : 2, flat, data_off);
	seg_head_rows_store(h, &w, last, NEXT_PTR);

	/* Bytes 0-15 are the head's own buffer: kept. */
	TEST_ASSERT(h->buf_addr == buf_addr, "buf_addr overwritten");
	TEST_ASSERT_EQ(h->buf_iova, iova, "buf_iova overwritten");
	TEST_ASSERT_EQ(h->data_off, data_off, "data_off");
	TEST_ASSERT_EQ(rte_mbuf_refcnt_read(h), 1, "refcnt");
	TEST_ASSERT_EQ(h->nb_segs, flat ? 1 : 2, "nb_segs");
	TEST_ASSERT_EQ(h->port, sf.port, "port");
	TEST_ASSERT_EQ(h->ol_flags, pl.ol_flags, "ol_flags");
	TEST_ASSERT_EQ(h->packet_type, sf.packet_type, "packet_type");
	TEST_ASSERT_EQ(h->pkt_len, pkt_len, "pkt_len");
	TEST_ASSERT_EQ(h->data_len, flat ? pkt_len : pl.hdr_len, "data_len");
	TEST_ASSERT_EQ(h->vlan_tci, sf.vlan_tci, "vlan_tci");
	TEST_ASSERT_EQ(h->hash.fdir.lo, sf.hash.fdir.lo, "hash, low half");
	TEST_ASSERT_EQ(h->hash.fdir.hi, sf.hash.fdir.hi, "hash, high half");
	TEST_ASSERT_EQ(h->vlan_tci_outer, sf.vlan_tci_outer, "vlan_tci_outer");
	TEST_ASSERT_EQ(h->buf_len, hp.buf_len, "buf_len");
	TEST_ASSERT(h->pool == POOL_PTR, "pool");
	TEST_ASSERT(h->next == NEXT_PTR, "next");
	TEST_ASSERT_EQ(h->tx_offload, pl.tx_offload, "tx_offload");
	TEST_ASSERT_EQ(h->l2_len, 14, "l2_len");
	TEST_ASSERT_EQ(h->l3_len, 20, "l3_len");
	TEST_ASSERT_EQ(h->l4_len, 32, "l4_len");
	TEST_ASSERT(h->shinfo == NULL, "shinfo");
	TEST_ASSERT_EQ(h->priv_size, hp.priv_size, "priv_size");
	TEST_ASSERT_EQ(h->timesync, sf.timesync, "timesync");
	TEST_ASSERT(memcmp(h->dynfield1, sf.dynfield1,
		sizeof(sf.dynfield1)) == 0, "dynfield1");
	TEST_ASSERT(RTE_MBUF_DIRECT(h) != 0, "a head mbuf is direct");
	/* Nothing written past the mbuf. */
	for (unsigned int i = GSO_SEG_MBUF_SIZE; i < sizeof(room.b); i++)
		TEST_ASSERT_EQ(room.b[i], 0xa5, "byte %u past the mbuf", i);
	return TEST_OK;
}

static int
head_rows_zerocopy(void)
{
	TEST_RUN(head_case(false, false));
	return head_case(false, true);
}

static int
head_rows_flat(void)
{
	TEST_RUN(head_case(true, false));
	return head_case(true, true);
}

/* A reference to src's data at off; ext: src has an external buffer. */
static int
ref_case(bool ext)
{
	struct mbuf_room src_room, room;
	struct rte_mbuf *src = room_mbuf(&src_room, 0);
	struct rte_mbuf *r = room_mbuf(&room, 0x5a);
	struct rte_mbuf_ext_shared_info shinfo;
	/* Only the reference pool's fields are read (a 16 KB struct). */
	static struct gso_offload_seg_ctx ctx;
	struct seg_ref_rows w;
	const uint16_t ref_priv = 40;
	const uint32_t off = 54, len = 1448;

	/* A direct source: its buffer follows it and its private area, as
	 * rte_pktmbuf_init() lays it out. */
	src->priv_size = 16;
	src->buf_addr = (char *)src + sizeof(*src) + src->priv_size;
	src->buf_iova = 0x5000000ull;
	src->buf_len = 9000;
	src->data_off = 128;
	if (ext) {
		src->buf_addr = (void *)(uintptr_t)0x7f0012340000ull;
		src->ol_flags = RTE_MBUF_F_EXTERNAL;
		src->shinfo = &shinfo;
	}
	ctx.ref_pool = POOL_PTR;
	ctx.ref_priv_size = ref_priv;
	seg_ref_rows_init(&w, &ctx, src, off);
	seg_ref_rows_store(r, &w, seg_ref_len_row(len));

	TEST_ASSERT(r->buf_addr == src->buf_addr, "buf_addr");
	TEST_ASSERT_EQ(r->buf_iova, src->buf_iova, "buf_iova");
	TEST_ASSERT_EQ(r->data_off, src->data_off + off, "data_off");
	TEST_ASSERT(rte_pktmbuf_mtod(r, uint8_t *) ==
		rte_pktmbuf_mtod_offset(src, uint8_t *, off), "data");
	TEST_ASSERT_EQ(rte_mbuf_refcnt_read(r), 1, "refcnt");
	TEST_ASSERT_EQ(r->nb_segs, 1, "nb_segs");
	TEST_ASSERT_EQ(r->port, RTE_MBUF_PORT_INVALID, "port");
	TEST_ASSERT_EQ(r->ol_flags, ext ? RTE_MBUF_F_EXTERNAL :
		RTE_MBUF_F_INDIRECT, "ol_flags");
	TEST_ASSERT(!!RTE_MBUF_CLONED(r) == !ext, "indirect");
	TEST_ASSERT(!!RTE_MBUF_HAS_EXTBUF(r) == ext, "external");
	TEST_ASSERT_EQ(r->packet_type, 0, "packet_type");
	TEST_ASSERT_EQ(r->pkt_len, len, "pkt_len");
	TEST_ASSERT_EQ(r->data_len, len, "data_len");
	TEST_ASSERT_EQ(r->vlan_tci, 0, "vlan_tci");
	TEST_ASSERT_EQ(r->buf_len, src->buf_len, "buf_len");
	TEST_ASSERT(r->pool == POOL_PTR, "pool");
	TEST_ASSERT_EQ(r->priv_size, ext ? ref_priv : src->priv_size,
		"priv_size");
	if (ext)
		TEST_ASSERT(r->shinfo == &shinfo, "shinfo");
	else
		/* How DPDK finds the mbuf a reference points into. */
		TEST_ASSERT(rte_mbuf_from_indirect(r) == src,
			"rte_mbuf_from_indirect() does not find the source");
	/* Bytes 64-79 (next, tx_offload) and 96-127 are not written: next is
	 * NULL from the pool. */
	for (unsigned int i = 64; i < 80; i++)
		TEST_ASSERT_EQ(((uint8_t *)r)[i], 0x5a, "byte %u written", i);
	for (unsigned int i = 96; i < 128; i++)
		TEST_ASSERT_EQ(((uint8_t *)r)[i], 0x5a, "byte %u written", i);

	/* The next reference into the same buffer: data_off + step. */
	w.r16 = gso_row_add64(w.r16, seg_ref_step_row(1448));
	seg_ref_rows_store(r, &w, seg_ref_len_row(len));
	TEST_ASSERT_EQ(r->data_off, src->data_off + off + 1448, "stepped");
	TEST_ASSERT_EQ(rte_mbuf_refcnt_read(r), 1, "refcnt, stepped");
	return TEST_OK;
}

static int
ref_rows_indirect(void)
{
	return ref_case(false);
}

static int
ref_rows_external(void)
{
	return ref_case(true);
}

/* The row operations themselves, against bytes in memory. */
static int
row_ops(void)
{
	alignas(16) uint8_t a[16], b[16], m[16];
	uint8_t out[17];
	gso_row v;

	for (int i = 0; i < 16; i++)
		a[i] = (uint8_t)(i + 1);
	v = gso_row_set64(0x1716151413121110ull, 0x0f0e0d0c0b0a0908ull);
	gso_row_storeu(out + 1, v);
	for (int i = 0; i < 16; i++)
		TEST_ASSERT_EQ(out[1 + i], 0x08 + i, "set64 byte %d", i);
	v = gso_row_set32(0x0f0e0d0c, 0x0b0a0908, 0x07060504, 0x03020100);
	gso_row_storeu(out, v);
	for (int i = 0; i < 16; i++)
		TEST_ASSERT_EQ(out[i], i, "set32 byte %d", i);
	v = gso_row_add64(gso_row_set64(1, 0xffffffffffffffffull),
		gso_row_set64(2, 1));
	gso_row_storeu(out, v);
	TEST_ASSERT(memcmp(out, (uint8_t[16]){ [8] = 3 }, 16) == 0,
		"add64 carries between halves");
	v = gso_row_loadu(a);
	gso_row_storeu(out + 1, v);
	TEST_ASSERT(memcmp(out + 1, a, 16) == 0, "loadu/storeu");
	TEST_ASSERT(gso_row_is_zero(gso_row_zero()), "zero");
	memcpy(b, a, 16);
	memset(m, 0xff, 16);
	b[15] ^= 0x80;
	v = gso_row_diff_acc(gso_row_zero(), gso_row_load(a), gso_row_load(b),
		gso_row_load(m));
	TEST_ASSERT(!gso_row_is_zero(v), "a difference in byte 15 missed");
	m[15] = 0x7f;
	v = gso_row_diff_acc(gso_row_zero(), gso_row_load(a), gso_row_load(b),
		gso_row_load(m));
	TEST_ASSERT(gso_row_is_zero(v), "a masked difference seen");
	return TEST_OK;
}

int
main(int argc, char **argv)
{
	static const struct test_case cases[] = {
		TEST_CASE(layout_table),
		TEST_CASE(row_ops),
		TEST_CASE(head_rows_zerocopy),
		TEST_CASE(head_rows_flat),
		TEST_CASE(ref_rows_indirect),
		TEST_CASE(ref_rows_external),
	};
	const struct test_suite suite = {
		.name = "mbuf_layout",
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = false,
	};

	return test_suite_run(&suite, argc, argv);
}
