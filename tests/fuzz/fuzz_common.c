/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>

#include "fuzz_common.h"
#include "test_poison.h"

#define FUZZ_MAX_POOLS 8

static struct {
	struct rte_mempool *mp;
	unsigned int count;
} pools[FUZZ_MAX_POOLS];
static unsigned int nb_pools;
/* External buffers attached and not yet freed by their last reference. */
static unsigned int ext_outstanding;

void
fuzz_eal_init(const char *name, const char *const *extra)
{
	char prefix[64];
	const char *argv[32];
	int argc = 0;

	/* A prefix of its own: harnesses and tests may run side by side. */
	snprintf(prefix, sizeof(prefix), "--file-prefix=fuzz_%s_%d", name,
		(int)getpid());
	argv[argc++] = name;
	argv[argc++] = "--no-huge";
	argv[argc++] = "--no-pci";
	argv[argc++] = "--no-telemetry";
	argv[argc++] = "-m";
	argv[argc++] = "512";
	argv[argc++] = "-l";
	argv[argc++] = "0";
	argv[argc++] = prefix;
	/* Logs for every rejected input would slow the campaign: errors
	 * only, FUZZ_VERBOSE=1 for the library's debug log. */
	argv[argc++] = getenv("FUZZ_VERBOSE") != NULL ?
		"--log-level=lib.gso_offload:debug" : "--log-level=*:emergency";
	for (unsigned int i = 0; extra != NULL && extra[i] != NULL &&
			argc < (int)RTE_DIM(argv) - 1; i++)
		argv[argc++] = extra[i];
	argv[argc] = NULL;
	if (rte_eal_init(argc, (char **)(uintptr_t)argv) < 0) {
		fprintf(stderr, "EAL: %s\n", rte_strerror(rte_errno));
		exit(1);
	}
}

/* At exit, before LeakSanitizer looks: what a poisoning pool calloc()s
 * is referenced only from DPDK memory, which LSan does not scan. */
static void
pools_free(void)
{
	while (nb_pools > 0)
		rte_mempool_free(pools[--nb_pools].mp);
}

struct rte_mempool *
fuzz_pool_create(const char *name, unsigned int n, uint32_t data_room)
{
	struct rte_mempool *mp;

	if (nb_pools == FUZZ_MAX_POOLS) {
		fprintf(stderr, "too many pools\n");
		exit(1);
	}
	/* Poisoning (tests/test_poison.h): an mbuf touched after its free
	 * is an ASan report, not a silent read of a recycled mbuf. */
	mp = test_poison_pktmbuf_pool_create(name, n, 0,
			(uint16_t)RTE_MIN(data_room + RTE_PKTMBUF_HEADROOM,
				(uint32_t)UINT16_MAX), SOCKET_ID_ANY);
	if (mp == NULL) {
		fprintf(stderr, "pool %s: %s\n", name, rte_strerror(rte_errno));
		exit(1);
	}
	if (nb_pools == 0)
		atexit(pools_free);
	pools[nb_pools++].mp = mp;
	return mp;
}

void
fuzz_pools_mark(void)
{
	for (unsigned int i = 0; i < nb_pools; i++)
		pools[i].count = rte_mempool_avail_count(pools[i].mp);
}

void
fuzz_pools_check(void)
{
	for (unsigned int i = 0; i < nb_pools; i++) {
		unsigned int now = rte_mempool_avail_count(pools[i].mp);

		/* Fewer: a leak; more: a double free. */
		FUZZ_CHECK(now == pools[i].count, "pool %s: %u mbufs, %u at start",
			pools[i].mp->name, now, pools[i].count);
	}
	FUZZ_CHECK(ext_outstanding == 0, "%u external buffers not freed",
		ext_outstanding);
}

/* ---- The input ---- */

uint8_t
fuzz_u8(struct fuzz_in *in)
{
	uint8_t v;

	if (in->n == 0)
		return 0;
	v = *in->p++;
	in->n--;
	return v;
}

uint16_t
fuzz_u16(struct fuzz_in *in)
{
	uint16_t hi = fuzz_u8(in);

	return (uint16_t)(hi << 8 | fuzz_u8(in));
}

uint32_t
fuzz_u32(struct fuzz_in *in)
{
	uint32_t hi = fuzz_u16(in);

	return hi << 16 | fuzz_u16(in);
}

/* ---- Checksums ---- */

uint32_t
fuzz_sum(const uint8_t *p, uint32_t n, uint32_t sum)
{
	uint32_t i;

	for (i = 0; i + 1 < n; i += 2) {
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (i < n) {
		sum += (uint32_t)p[i] << 8;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return sum;
}

uint16_t
fuzz_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* ---- Headers ---- */

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* L2 length (Ethernet and up to two VLAN tags) and the EtherType; 0 if
 * the frame is not IP. */
static uint32_t
walk_l2(const uint8_t *b, uint32_t len, uint16_t *etype)
{
	uint32_t off = 14;
	uint16_t t;

	if (len < 14)
		return 0;
	t = fuzz_be16(b + 12);
	for (int tags = 0; tags < 2 && (t == 0x8100 || t == 0x88a8); tags++) {
		if (len < off + 4)
			return 0;
		t = fuzz_be16(b + off + 2);
		off += 4;
	}
	if (t != 0x0800 && t != 0x86dd)
		return 0;
	*etype = t;
	return off;
}

/* The IPv6 extension headers the engine walks: L3 length, last next
 * header, the pseudo-header destination; false if unparseable. */
static bool
walk_ipv6(const uint8_t *ip, uint32_t avail, uint32_t *l3_len, uint8_t *nh,
		uint32_t *dst)
{
	uint32_t off = 40;

	*nh = ip[6];
	*dst = 24;
	while (*nh == 0 || *nh == 43 || *nh == 60) {
		uint32_t len;

		if ((*nh == 0 && off != 40) || avail < off + 8)
			return false;
		len = (ip[off + 1] + 1u) * 8;
		if (avail < off + len)
			return false;
		if (*nh == 43 && ip[off + 3] != 0) {
			uint32_t naddr = ip[off + 1] / 2;

			/* Type 0 / 2: the last address; SRH: Segment List[0]. */
			if (naddr == 0)
				return false;
			if (ip[off + 2] == 0 || ip[off + 2] == 2)
				*dst = off + 8 + (naddr - 1) * 16;
			else if (ip[off + 2] == 4)
				*dst = off + 8;
			else
				return false;
		}
		*nh = ip[off];
		off += len;
	}
	*l3_len = off;
	return true;
}

bool
fuzz_parse(const uint8_t *b, uint32_t len, struct fuzz_hdrs *h)
{
	uint32_t avail = RTE_MIN(len, 384u), ip_len, field;
	const uint8_t *ip;
	uint16_t etype;
	uint8_t proto;

	memset(h, 0, sizeof(*h));
	h->l2_len = walk_l2(b, avail, &etype);
	if (h->l2_len == 0)
		return false;
	ip = b + h->l2_len;
	if (etype == 0x0800) {
		if (avail < h->l2_len + 20 || ip[0] >> 4 != 4)
			return false;
		h->ipv4 = true;
		h->l3_len = (ip[0] & 0xfu) * 4;
		if (h->l3_len < 20 || avail < h->l2_len + h->l3_len ||
				(fuzz_be16(ip + 6) & 0x3fff) != 0)
			return false;
		proto = ip[9];
		h->phdr_dst = h->l2_len + 16;
		field = fuzz_be16(ip + 2);
	} else {
		uint32_t dst;

		if (avail < h->l2_len + 40 || ip[0] >> 4 != 6 ||
				!walk_ipv6(ip, avail - h->l2_len, &h->l3_len,
					&proto, &dst))
			return false;
		h->phdr_dst = h->l2_len + dst;
		field = fuzz_be16(ip + 4);
		if (field != 0)
			field += 40;
	}
	if (proto == 6) {
		if (avail < h->l2_len + h->l3_len + 20)
			return false;
		h->tcp = true;
		h->l4_len = (ip[h->l3_len + 12] >> 4) * 4u;
		/* SYN or RST is never in a large send. */
		if (h->l4_len < 20 || avail < h->l2_len + h->l3_len + h->l4_len ||
				(ip[h->l3_len + 13] & 0x06))
			return false;
	} else if (proto == 17) {
		if (avail < h->l2_len + h->l3_len + 8)
			return false;
		h->l4_len = 8;
	} else {
		return false;
	}
	h->hdr_len = h->l2_len + h->l3_len + h->l4_len;
	/* 0: as long as the frame, only where 16 bits cannot say it (IPv4's
	 * total length counts its header, IPv6's payload length does not
	 * count the fixed 40 bytes). */
	if (field == 0) {
		if (len - h->l2_len - (h->ipv4 ? 0 : 40) <= UINT16_MAX)
			return false;
		ip_len = len - h->l2_len;
	} else {
		ip_len = field;
		if (ip_len > len - h->l2_len)
			return false;
	}
	if (ip_len < h->l3_len + h->l4_len)
		return false;
	if (!h->tcp) {
		uint32_t udp_len = fuzz_be16(ip + h->l3_len + 4);

		if (udp_len != ip_len - h->l3_len &&
				!(udp_len == 0 && ip_len - h->l3_len > UINT16_MAX))
			return false;
	}
	h->payload_len = ip_len - h->l3_len - h->l4_len;
	return true;
}

/* ---- Frames ---- */

/* Make the length fields agree with the frame's length, so that mutated
 * sizes still reach the engine's deeper paths. */
static void
frame_fixup(uint8_t *b, uint32_t len, bool big_zero)
{
	uint32_t l2, l3, iplen, dst;
	uint16_t etype;
	uint8_t nh;

	l2 = walk_l2(b, RTE_MIN(len, 384u), &etype);
	if (l2 == 0)
		return;
	iplen = len - l2;
	if (etype == 0x0800) {
		if (len < l2 + 20)
			return;
		l3 = (b[l2] & 0xfu) * 4;
		put16(b + l2 + 2, iplen > UINT16_MAX ? (big_zero ? 0 : UINT16_MAX) :
			iplen);
		nh = b[l2 + 9];
	} else {
		if (len < l2 + 40 || !walk_ipv6(b + l2,
				RTE_MIN(len, 384u) - l2, &l3, &nh, &dst))
			return;
		put16(b + l2 + 4, iplen - 40 > UINT16_MAX ?
			(big_zero ? 0 : UINT16_MAX) : iplen - 40);
	}
	if (nh == 17 && l3 >= 20 && len >= l2 + l3 + 8)
		put16(b + l2 + l3 + 4, iplen - l3 > UINT16_MAX ?
			(big_zero ? 0 : UINT16_MAX) : iplen - l3);
}

/* The extra payload bytes: a pattern without a period the size of a
 * segment, made once (FUZZ_FRAME_MAX + 256 bytes, read from an offset). */
static const uint8_t *
pattern(void)
{
	static uint8_t *pat;

	if (pat == NULL) {
		pat = malloc(FUZZ_FRAME_MAX + 256);
		if (pat == NULL)
			abort();
		for (uint32_t i = 0; i < FUZZ_FRAME_MAX + 256; i++)
			pat[i] = (uint8_t)(i * 7 + (i >> 8));
	}
	return pat;
}

void
fuzz_frame_decode(struct fuzz_in *in, struct fuzz_frame *f)
{
	uint32_t take = fuzz_u16(in), extra = fuzz_u16(in);
	uint8_t fix = fuzz_u8(in);

	/* Mostly frames of a few KB, which run ten times as fast as 64 KB
	 * ones and reach the same branches; bit 3 for up to 64 KB, bit 2
	 * for 8 KB more (chains with IP length 0). */
	if (!(fix & 8))
		extra &= 0xfff;
	if (fix & 4)
		extra += 8192;
	take = RTE_MIN(take, (uint32_t)in->n);
	extra = RTE_MIN(extra, FUZZ_FRAME_MAX - take);
	memcpy(f->b, in->p, take);
	in->p += take;
	in->n -= take;
	memcpy(f->b + take, pattern() + fix, extra);
	f->len = take + extra;
	if (fix & 1)
		frame_fixup(f->b, f->len, fix & 2);
}

void
fuzz_layout_decode(struct fuzz_in *in, struct fuzz_layout *l)
{
	l->nb_cuts = RTE_MIN(fuzz_u8(in), (uint8_t)FUZZ_MAX_CUTS);
	for (unsigned int i = 0; i < l->nb_cuts; i++) {
		l->cut[i] = fuzz_u16(in);
		l->flags[i] = fuzz_u8(in);
	}
}

static void
ext_free(void *addr, void *opaque)
{
	RTE_SET_USED(opaque);
	rte_free(addr);
	ext_outstanding--;
}

/* One mbuf of the chain holding n bytes from p. */
static struct rte_mbuf *
chain_mbuf(struct rte_mempool *mp, const uint8_t *p, uint32_t n, uint8_t flags)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
	uint16_t skew = (flags & 2) ? (uint16_t)(1 + (flags >> 2)) : 0;

	if (m == NULL)
		return NULL;
	if (flags & 1) {
		struct rte_mbuf_ext_shared_info *shinfo;
		uint16_t buf_len = (uint16_t)RTE_MIN(n + skew +
			sizeof(*shinfo) + 8, (uint32_t)UINT16_MAX);
		void *buf = rte_malloc("fuzz_ext", buf_len, 64);

		if (buf == NULL)
			goto fail;
		shinfo = rte_pktmbuf_ext_shinfo_init_helper(buf, &buf_len,
				ext_free, NULL);
		if (shinfo == NULL) {
			rte_free(buf);
			goto fail;
		}
		ext_outstanding++;
		rte_pktmbuf_attach_extbuf(m, buf, rte_malloc_virt2iova(buf),
				buf_len, shinfo);
		m->data_off = 0;
	}
	if ((uint32_t)m->data_off + skew < m->buf_len)
		m->data_off = (uint16_t)(m->data_off + skew);
	if (n > rte_pktmbuf_tailroom(m))
		goto fail;
	memcpy(rte_pktmbuf_mtod(m, uint8_t *), p, n);
	m->data_len = (uint16_t)n;
	m->pkt_len = n;
	return m;
fail:
	rte_pktmbuf_free(m);
	return NULL;
}

struct rte_mbuf *
fuzz_chain_build(struct rte_mempool *mp, const struct fuzz_frame *f,
		const struct fuzz_layout *l)
{
	struct rte_mbuf *head = NULL, *tail = NULL, *m;
	uint32_t off = 0;
	unsigned int i = 0;
	uint16_t nb = 0;

	/* Past the frame's end, an empty cut still adds an empty mbuf. */
	while (head == NULL || off < f->len ||
			(i < l->nb_cuts && l->cut[i] == 0)) {
		uint8_t flags = i < l->nb_cuts ? l->flags[i] : 0;
		uint32_t room = rte_pktmbuf_data_room_size(mp) -
			RTE_PKTMBUF_HEADROOM - ((flags & 2) ? 64 : 0);
		/* Past the cuts: as much as one pool mbuf takes. */
		uint32_t n = i < l->nb_cuts ?
			RTE_MIN((uint32_t)l->cut[i], room) : room;

		n = RTE_MIN(n, f->len - off);
		m = chain_mbuf(mp, f->b + off, n, flags);
		if (m == NULL || nb == UINT16_MAX) {
			rte_pktmbuf_free(m);
			rte_pktmbuf_free(head);
			return NULL;
		}
		if (head == NULL)
			head = m;
		else
			tail->next = m;
		tail = m;
		nb++;
		off += n;
		i++;
	}
	head->nb_segs = nb;
	head->pkt_len = f->len;
	return head;
}

uint32_t
fuzz_mbuf_bytes(const struct rte_mbuf *m, uint8_t *buf)
{
	uint32_t off = 0;

	for (; m != NULL; m = m->next) {
		memcpy(buf + off, rte_pktmbuf_mtod(m, const uint8_t *),
			m->data_len);
		off += m->data_len;
	}
	return off;
}

void
fuzz_chain_check(const struct rte_mbuf *m, unsigned int max_mbufs)
{
	const struct rte_mbuf *s;
	uint32_t sum = 0;
	unsigned int nb = 0;

	for (s = m; s != NULL; s = s->next) {
		sum += s->data_len;
		nb++;
		FUZZ_CHECK(nb <= m->nb_segs, "chain longer than nb_segs %u",
			m->nb_segs);
		FUZZ_CHECK(rte_mbuf_refcnt_read(s) >= 1, "mbuf with refcnt 0");
	}
	FUZZ_CHECK(nb == m->nb_segs, "nb_segs %u, chain of %u", m->nb_segs, nb);
	FUZZ_CHECK(sum == m->pkt_len, "data_len sum %u, pkt_len %u", sum,
		m->pkt_len);
	FUZZ_CHECK(max_mbufs == 0 || nb <= max_mbufs, "%u mbufs, at most %u",
		nb, max_mbufs);
}
