/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_FWD_H
#define GSO_FWD_H

/*
 * gso-fwd: forwards frames between ports through the gso_offload
 * pipeline, so that large packets leave through hardware TSO/USO where the
 * egress port has it and are segmented in software where it does not.
 */

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mempool.h>

#include "gso_offload.h"

#define FWD_MAX_PORTS    32
#define FWD_MAX_RXQ      16
#define FWD_MAX_OFFLOADS 32
/* Packets a worker holds per egress port while the port does not take
 * them (held for a restart, or its queue full), by default. */
#define FWD_HOLD_DEFAULT 1024
#define FWD_HOLD_MAX     65536
/* UDP destination ports recognised as VXLAN / GENEVE, per kind. */
#define FWD_MAX_TUN_PORTS 8
#define FWD_VXLAN_PORT   4789     /* IANA, RFC 7348 */
#define FWD_GENEVE_PORT  6081     /* IANA, RFC 8926 */

/* What to do with a UDP frame larger than the egress MTU that carries no
 * segmentation metadata: it is one datagram and is never cut into several. */
enum fwd_udp_oversize {
	FWD_UDP_FRAG,    /* IPv4 without DF: IP fragments; else drop */
	FWD_UDP_DROP,    /* always drop (counted) */
};

/* What to do with a tunnel frame over the egress MTU whose inner packet is
 * UDP (the sender's UDP GSO size is not in the frame). */
enum fwd_tunnel_udp {
	FWD_TUN_UDP_SEG,   /* datagrams of the MSS the egress MTU leaves */
	FWD_TUN_UDP_OUTER, /* never cut: the outer datagram, --udp-oversize */
};

struct fwd_config {
	uint16_t nb_ports;
	uint16_t ports[FWD_MAX_PORTS];        /* ports in use, ascending */
	uint16_t dst[RTE_MAX_ETHPORTS];       /* egress of each ingress port */
	bool forwards[RTE_MAX_ETHPORTS];      /* ingress port in use */
	uint16_t nb_rxq;                      /* RX queues per port (RSS) */
	uint16_t nb_rxd, nb_txd;              /* descriptors per queue */
	uint16_t burst;
	uint32_t nb_mbufs;                    /* per worker, RX pool; 0: auto */
	uint16_t mbuf_size;                   /* RX data room, headroom incl. */
	uint16_t tcp_mss;                     /* cap of MTU-derived MSS; 0: none */
	enum fwd_udp_oversize udp_oversize;
	unsigned int stats_period;            /* seconds, 0: off */
	unsigned int idle_exit_ms;            /* one-shot: 0 off */
	unsigned int duration;                /* seconds, 0: until signalled */
	unsigned int idle_sleep_us;           /* worker sleep when idle; 0: spin */
	bool interactive;
	const char *offloads[FWD_MAX_OFFLOADS];   /* "PORT:SPEC" */
	unsigned int nb_offloads;
	uint32_t hold;                        /* hold bound per egress port */
	bool check_contract;                  /* TX callbacks check packets */
	bool restart[RTE_MAX_ETHPORTS];       /* --restart-on-change ports */
	/* Tunnels recognised in frames without metadata (fwd_loop.c): VXLAN
	 * and GENEVE by the outer UDP destination port; 0 ports: none. */
	uint16_t vxlan_ports[FWD_MAX_TUN_PORTS], nb_vxlan_ports;
	uint16_t geneve_ports[FWD_MAX_TUN_PORTS], nb_geneve_ports;
	enum fwd_tunnel_udp tunnel_udp;
};

/* Counters of the forwarder itself, per lcore and ingress/egress port;
 * the pipeline keeps its own (gso_offload_tx_stats). */
struct fwd_counters {
	uint64_t rx_pkts, rx_bytes;           /* ingress */
	uint64_t tx_pkts, tx_bytes;           /* handed to the pipeline (egress) */
	uint64_t meta_superframes;            /* kept the ingress MSS metadata */
	uint64_t mtu_superframes;             /* TCP over the MTU: MSS from MTU */
	/* Tunnel superframes over the MTU, per encapsulation: the inner
	 * TCP/UDP segmented at the MSS the MTU allows under the whole
	 * header stack (RTE_MBUF_F_TX_TUNNEL_*). */
	uint64_t tun_vxlan_superframes;
	uint64_t tun_geneve_superframes;
	uint64_t tun_gre_superframes;
	uint64_t tun_ipip_superframes;
	uint64_t tun_cksum_fixed;             /* inner partial checksums */
	uint64_t partial_cksum_fixed;         /* kernel partial checksums */
	uint64_t udp_fragmented;              /* datagrams IP-fragmented */
	uint64_t udp_fragments;               /* fragments produced */
	uint64_t udp_oversize_dropped;        /* datagrams dropped */
	uint64_t oversize_dropped;            /* other frames over the MTU */
	uint64_t tx_full_dropped;             /* the queue never took them */
	uint64_t hold_pkts;                   /* waited in the hold queue */
	uint64_t hold_dropped;                /* over its bound, or at exit */
	uint64_t no_mbuf_dropped;             /* out of mbufs (fragments, copies) */
	uint64_t malformed_dropped;           /* headers cut, IP lengths wrong */
	uint64_t bad_chain_dropped;           /* pkt_len is not the chain's */
};

/* One (ingress port, RX queue) served by a worker. */
struct fwd_rx {
	uint16_t port;
	uint16_t queue;
	uint16_t dst;
	uint16_t txq;                         /* this lcore's queue on dst */
	uint16_t dst_mtu;                     /* L3 MTU of the egress port */
	bool dst_multi_seg;                   /* egress takes mbuf chains */
	bool partial_cksums;                  /* a kernel packet socket */
};

/* Packets the egress port did not take yet, in order: pkts[head ..
 * head + count). At most fwd_cfg.hold of them. */
struct fwd_hold {
	uint32_t head, count;
	uint16_t port, txq;
	struct rte_mbuf *pkts[];
};

struct fwd_lcore {
	unsigned int lcore_id;
	/* Hold queue per egress port this lcore sends to (NULL otherwise). */
	struct fwd_hold *hold[RTE_MAX_ETHPORTS];
	unsigned int nb_rx;
	struct fwd_rx rx[FWD_MAX_PORTS * FWD_MAX_RXQ];
	struct gso_offload_tx *tx;
	struct rte_mempool *rx_pool;          /* on the lcore's socket */
	/* Software segments and IP fragments: headers and references
	 * (seg_pool), flat copies (copy_pool). */
	struct rte_mempool *seg_pool, *copy_pool;
	struct fwd_counters *cnt;             /* [RTE_MAX_ETHPORTS] */
};

extern struct fwd_config fwd_cfg;
extern struct fwd_lcore fwd_lcores[RTE_MAX_LCORE];
extern unsigned int fwd_nb_lcores;
extern volatile sig_atomic_t fwd_quit;

/* fwd_port.c */
bool fwd_port_used(uint16_t port);
int fwd_setup(void);
void fwd_teardown(void);
unsigned int fwd_mbufs_in_use(void);

/* fwd_loop.c */
int fwd_worker(void *arg);
/* Hand out[0..n) to the pipeline for rx's egress port, behind what its
 * hold queue has; what the port does not take waits there, up to
 * fwd_cfg.hold packets, the rest is dropped and counted. */
void fwd_hand_over(struct fwd_lcore *lc, const struct fwd_rx *rx,
		struct rte_mbuf **out, unsigned int n, struct fwd_counters *c);
/* Retry every non-empty hold queue once; true if all are empty. */
bool fwd_holds_retry(struct fwd_lcore *lc);
/* Send what the ports take, free and count the rest (at exit). */
void fwd_holds_drain(struct fwd_lcore *lc);

/* fwd_stats.c */
void fwd_counters_sum(uint16_t port, struct fwd_counters *sum);
uint64_t fwd_rx_total(void);
void fwd_stats_tick(FILE *f);
void fwd_stats_show(FILE *f);
void fwd_summary_print(FILE *f);
int fwd_telemetry_register(void);

/* fwd_pdump.c: rte_pdump_init(), with callback removal that waits for the
 * workers (DPDK 22.11's pdump race with dpdk-dumpcap's exit). */
int fwd_pdump_init(void);

/* fwd_contract.c: --check-contract. */
struct fwd_contract_counters {
	uint64_t checked;      /* packets handed to the PMD */
	uint64_t gso;          /* ... with TSO/USO flags */
	uint64_t not_active;   /* flag of a keyword not active */
	uint64_t no_offload;   /* port not configured for TSO/USO */
	uint64_t limits;       /* MSS, segment, size or count limits */
	uint64_t oversize;     /* plain frame over the MTU */
	uint64_t violations;   /* the four above (filled by the sum) */
};
int fwd_contract_attach(uint16_t port, uint16_t nb_txq);
void fwd_contract_detach(uint16_t port);
void fwd_contract_change_begin(uint16_t port, uint32_t on_mask);
void fwd_contract_change_end(uint16_t port);
void fwd_contract_sum(uint16_t port, struct fwd_contract_counters *sum);
const char *fwd_contract_first(uint16_t port);

/* fwd_console.c */
struct fwd_console;
struct fwd_console *fwd_console_start(void);
int fwd_console_input(struct fwd_console *con);
void fwd_console_stop(struct fwd_console *con);
int fwd_set_offload(uint16_t port, const char *spec, char *err, size_t len);
void fwd_show_port(FILE *f, uint16_t port);

#endif /* GSO_FWD_H */
