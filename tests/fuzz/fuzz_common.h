/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_FUZZ_COMMON_H
#define GSO_FUZZ_COMMON_H

/*
 * What the libFuzzer harnesses share: EAL started once, pools whose counts
 * say whether every mbuf came back, an input reader, a frame and chain
 * builder driven by the input, and a checksum of the harness's own (RFC
 * 1071 over big-endian byte pairs, nothing from the library).
 *
 * A harness aborts (FUZZ_CHECK) on any broken rule: libFuzzer then saves
 * the input as a crash file that reproduces it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

/* Abort with a message: libFuzzer keeps the input that got here. */
#define FUZZ_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		fprintf(stderr, "%s:%d: check '%s' failed: ",		\
			__FILE__, __LINE__, #cond);			\
		fprintf(stderr, __VA_ARGS__);				\
		fprintf(stderr, "\n");					\
		abort();						\
	}								\
} while (0)

/* For a harness's own checking code: no coverage hooks, which in its
 * loops over every byte would cost most of the run time and reward
 * nothing in the library. */
#define FUZZ_NO_COVERAGE __attribute__((no_sanitize("coverage")))

/* libFuzzer's entry points, defined by each harness. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Start EAL (in memory, no hugepages, no PCI, quiet) for the harness
 * named; extra EAL arguments (vdevs), NULL-terminated, may be NULL.
 * Exits the process if EAL cannot start. */
void fuzz_eal_init(const char *name, const char *const *extra);

/* ---- Pools ---- */

/* A pktmbuf pool for the harnesses: poisoning (tests/test_poison.h), so
 * that an mbuf used after its free is reported, and without a per-lcore
 * cache, so that rte_mempool_avail_count() is exact after every input.
 * data_room counts the bytes after RTE_PKTMBUF_HEADROOM. Exits on
 * failure. Every pool a harness makes goes through here. */
struct rte_mempool *fuzz_pool_create(const char *name, unsigned int n,
		uint32_t data_room);

/* Record every pool's count now (after set-up) ... */
void fuzz_pools_mark(void);
/* ... and abort unless every pool has that count again and every external
 * buffer was freed (after each input). */
void fuzz_pools_check(void);

/* ---- The input ---- */

struct fuzz_in {
	const uint8_t *p;
	size_t n;
};

/* Bytes of the input, in order; 0 once it is exhausted. */
uint8_t fuzz_u8(struct fuzz_in *in);
uint16_t fuzz_u16(struct fuzz_in *in);
uint32_t fuzz_u32(struct fuzz_in *in);

/* ---- Frames and chains ---- */

/*
 * A frame decoded from the input:
 *   u16 length of the bytes that follow, taken from the input (clipped);
 *   u16 extra payload bytes appended (a pattern derived from the input),
 *       so that a short input makes a large superframe;
 *   u8  fix-ups: bit 0 write the IP length fields (and UDP length) for the
 *       frame's length; bit 1 IP length 0 when it does not fit 16 bits
 *       (BIG TCP); bit 2 8 KB more extra bytes; bit 3 the extra length as
 *       given (else its low 12 bits only: small frames, fast runs);
 *   the bytes.
 */
struct fuzz_frame {
	uint8_t *b;
	uint32_t len;
};

/* Most bytes a fuzzed frame may have. */
#define FUZZ_FRAME_MAX (UINT16_MAX + 8192u)

/* Decode a frame into f (f->b must hold FUZZ_FRAME_MAX bytes). */
void fuzz_frame_decode(struct fuzz_in *in, struct fuzz_frame *f);

/*
 * A chain layout decoded from the input:
 *   u8  number of cuts (at most FUZZ_MAX_CUTS used);
 *   per cut: u16 bytes in this mbuf (0: an empty mbuf), u8 flags:
 *     bit 0 an external buffer (rte_pktmbuf_attach_extbuf);
 *     bit 1 an odd data offset (the data starts 1..63 bytes in).
 * What is left after the cuts fills mbufs as large as the pool allows.
 */
#define FUZZ_MAX_CUTS 12

struct fuzz_layout {
	uint8_t nb_cuts;
	uint16_t cut[FUZZ_MAX_CUTS];
	uint8_t flags[FUZZ_MAX_CUTS];
};

void fuzz_layout_decode(struct fuzz_in *in, struct fuzz_layout *l);

/* Build the frame as a chain of mbufs from mp laid out as l; NULL when
 * the pool runs out (nothing leaked). Metadata is zero but pkt_len,
 * nb_segs and RTE_MBUF_F_EXTERNAL where a buffer is external: callers add
 * flags with |=. */
struct rte_mbuf *fuzz_chain_build(struct rte_mempool *mp,
		const struct fuzz_frame *f, const struct fuzz_layout *l);

/* The bytes of a packet into buf (at least pkt_len bytes); its length. */
uint32_t fuzz_mbuf_bytes(const struct rte_mbuf *m, uint8_t *buf);

/* Abort unless the chain's shape is consistent: nb_segs mbufs, the
 * data_len summing to pkt_len, and at most max_mbufs (0: any). */
void fuzz_chain_check(const struct rte_mbuf *m, unsigned int max_mbufs);

/* ---- Checksums ---- */

/* RFC 1071 sum of n bytes as big-endian 16-bit words, added to sum. */
uint32_t fuzz_sum(const uint8_t *p, uint32_t n, uint32_t sum);
/* Fold to 16 bits (not complemented). */
uint16_t fuzz_fold(uint32_t sum);

/* ---- Headers, parsed by the harness ---- */

/* Where the layers of a frame are, by the harness's own walk. */
struct fuzz_hdrs {
	uint32_t l2_len, l3_len, l4_len, hdr_len;
	bool ipv4, tcp;
	uint32_t payload_len;  /* L4 payload per the IP length fields */
	uint32_t phdr_dst;     /* offset of the pseudo-header destination */
};

/* Parse a frame the way docs/segmentation.md says the engine accepts it;
 * false if it would not be segmentable. */
bool fuzz_parse(const uint8_t *b, uint32_t len, struct fuzz_hdrs *h);

static inline uint16_t
fuzz_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t
fuzz_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

#endif /* GSO_FUZZ_COMMON_H */
