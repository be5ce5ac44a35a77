/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * A virtio guest for test_fwd_hostile.py: it sends each frame of a pcap
 * file through a net_virtio_user port with TCP_SEG and the tso_segsz it
 * is told, whatever the frame's payload. The virtio-net header then
 * carries that MSS to gso-fwd's net_vhost port, which is how gso-fwd
 * receives segmentation metadata (a pcap or af_packet frame carries none).
 *
 * testpmd's csum engine, the other guest, does not flag packets whose
 * payload fits one MSS, so it cannot send what issue 16 defect 1 needs: a
 * pure ACK flagged for segmentation. Nor can it send an MSS of 0.
 *
 *   vhost_guest [EAL args, one net_virtio_user vdev] -- PCAP MSS[,MSS...]
 *
 * Frame i goes with the i-th MSS (the last one repeats); MSS 0 still sets
 * TCP_SEG. Prints "sent N", then holds the port open until a line (or EOF)
 * on stdin: the vring memory must stay until gso-fwd has taken the frames.
 */

#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#define MAX_FRAMES 64
#define DATA_ROOM  32768       /* frames up to 32 KB, one mbuf each */
#define WAIT_SEC   20          /* for the link, and per frame sent */

struct frame {
	uint8_t *data;
	uint32_t len;
};

/* Frames of a classic pcap file (either byte order, µs or ns). */
static int
read_pcap(const char *path, struct frame *f, int max)
{
	FILE *fp = fopen(path, "rb");
	uint32_t hdr[6], rec[4];
	int n = 0;
	bool swap;

	if (fp == NULL || fread(hdr, sizeof(hdr), 1, fp) != 1)
		goto fail;
	swap = hdr[0] == 0xd4c3b2a1 || hdr[0] == 0x4d3cb2a1;
	while (n < max && fread(rec, sizeof(rec), 1, fp) == 1) {
		uint32_t len = swap ? __builtin_bswap32(rec[2]) : rec[2];

		if (len > DATA_ROOM)
			goto fail;
		f[n].data = malloc(len ? len : 1);
		if (f[n].data == NULL || fread(f[n].data, 1, len, fp) != len)
			goto fail;
		f[n++].len = len;
	}
	fclose(fp);
	return n;
fail:
	fprintf(stderr, "vhost_guest: cannot read %s\n", path);
	if (fp != NULL)
		fclose(fp);
	return -1;
}

/* The TSO metadata of a TCP frame, from its own headers (the lengths as
 * they are, however hostile). Returns false for anything else. */
static bool
set_meta(struct rte_mbuf *m, const uint8_t *p, uint32_t len, uint16_t mss)
{
	uint16_t l2 = RTE_ETHER_HDR_LEN, type;
	uint32_t l3;

	if (len < l2 + 20u)
		return false;
	type = (uint16_t)(p[12] << 8 | p[13]);
	if (type == RTE_ETHER_TYPE_IPV4) {
		l3 = (p[l2] & 0xf) * 4u;
		if (p[l2 + 9] != IPPROTO_TCP)
			return false;
		m->ol_flags = RTE_MBUF_F_TX_IPV4;
	} else if (type == RTE_ETHER_TYPE_IPV6) {
		l3 = sizeof(struct rte_ipv6_hdr);
		if (p[l2 + 6] != IPPROTO_TCP)
			return false;
		m->ol_flags = RTE_MBUF_F_TX_IPV6;
	} else {
		return false;
	}
	if (l2 + l3 + 20u > len)
		return false;
	m->ol_flags |= RTE_MBUF_F_TX_TCP_SEG;
	m->l2_len = l2;
	m->l3_len = l3;
	m->l4_len = (p[l2 + l3 + 12] >> 4) * 4u;
	m->tso_segsz = mss;
	return true;
}

int
main(int argc, char **argv)
{
	struct rte_eth_conf conf = { 0 };
	struct rte_eth_dev_info info;
	struct frame frames[MAX_FRAMES];
	uint16_t mss[MAX_FRAMES];
	struct rte_mempool *mp;
	int ret, n, nmss = 0, sent = 0;
	char line[16], *s, *tok;

	ret = rte_eal_init(argc, argv);
	if (ret < 0)
		return 1;
	argc -= ret;
	argv += ret;
	if (argc != 3 || rte_eth_dev_count_avail() != 1) {
		fprintf(stderr, "usage: vhost_guest [EAL] -- PCAP MSS[,MSS...] "
			"(one net_virtio_user port)\n");
		return 1;
	}
	n = read_pcap(argv[1], frames, MAX_FRAMES);
	for (s = argv[2]; n > 0 && nmss < MAX_FRAMES &&
			(tok = strtok(s, ",")) != NULL; s = NULL)
		mss[nmss++] = (uint16_t)strtoul(tok, NULL, 0);
	if (n <= 0 || nmss == 0)
		return 1;
	/* The RX ring takes 256 of them at start. */
	mp = rte_pktmbuf_pool_create("guest", 512, 0, 0,
			DATA_ROOM + RTE_PKTMBUF_HEADROOM, rte_socket_id());
	if (mp == NULL || rte_eth_dev_info_get(0, &info) != 0)
		return 1;
	if (!(info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_TCP_TSO)) {
		fprintf(stderr, "vhost_guest: no TSO (vhost tso=1?)\n");
		return 1;
	}
	conf.txmode.offloads = RTE_ETH_TX_OFFLOAD_TCP_TSO |
		(info.tx_offload_capa & RTE_ETH_TX_OFFLOAD_TCP_CKSUM);
	if (rte_eth_dev_configure(0, 1, 1, &conf) != 0 ||
			rte_eth_rx_queue_setup(0, 0, 256, rte_socket_id(), NULL,
				mp) != 0 ||
			rte_eth_tx_queue_setup(0, 0, 256, rte_socket_id(),
				NULL) != 0 ||
			rte_eth_dev_start(0) != 0) {
		fprintf(stderr, "vhost_guest: port setup failed\n");
		return 1;
	}
	/* The vhost side answers the connection in its own time: what is
	 * sent before the link is up goes nowhere. */
	for (uint64_t end = rte_get_timer_cycles() + WAIT_SEC *
			rte_get_timer_hz(); ; ) {
		struct rte_eth_link link;

		if (rte_eth_link_get_nowait(0, &link) == 0 && link.link_status)
			break;
		if (rte_get_timer_cycles() >= end) {
			fprintf(stderr, "vhost_guest: link never came up\n");
			return 1;
		}
	}
	for (int i = 0; i < n; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
		uint8_t *d = m != NULL ? (uint8_t *)rte_pktmbuf_append(m,
				(uint16_t)frames[i].len) : NULL;
		uint64_t deadline = rte_get_timer_cycles() +
			WAIT_SEC * rte_get_timer_hz();

		if (d == NULL) {
			fprintf(stderr, "vhost_guest: no mbuf for frame %d\n", i);
			rte_pktmbuf_free(m);
			break;
		}
		memcpy(d, frames[i].data, frames[i].len);
		if (!set_meta(m, d, frames[i].len,
				mss[i < nmss ? i : nmss - 1])) {
			fprintf(stderr, "vhost_guest: frame %d is not TCP\n", i);
			rte_pktmbuf_free(m);
			break;
		}
		/* The pseudo-header checksum virtio wants in the TCP field. */
		if (rte_eth_tx_prepare(0, 0, &m, 1) != 1)
			fprintf(stderr, "vhost_guest: frame %d: tx_prepare "
				"refused it (%d); sent as it is\n", i, rte_errno);
		while (rte_eth_tx_burst(0, 0, &m, 1) == 0 &&
				rte_get_timer_cycles() < deadline)
			;
		if (rte_get_timer_cycles() >= deadline) {
			fprintf(stderr, "vhost_guest: frame %d: the queue never "
				"took it\n", i);
			rte_pktmbuf_free(m);
			break;
		}
		sent++;
	}
	printf("sent %d\n", sent);
	fflush(stdout);
	if (fgets(line, sizeof(line), stdin) == NULL)
		line[0] = 0;
	for (int i = 0; i < n; i++)
		free(frames[i].data);
	rte_eth_dev_stop(0);
	rte_eth_dev_close(0);
	rte_mempool_free(mp);
	rte_eal_cleanup();
	return sent == n ? 0 : 1;
}
