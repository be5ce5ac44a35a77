/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_TEST_NETNS_H
#define GSO_TEST_NETNS_H

/*
 * Real receivers: a Linux kernel peer in a network namespace.
 *
 * A test creates a peer (a namespace, kernel interfaces, addresses and a
 * DPDK port whose frames reach that namespace), starts a receiver (a
 * python3 tests/netns_receiver.py run with `ip netns exec` inside the
 * namespace: a TCP or UDP socket of the kernel), sends a TCP byte stream
 * or UDP datagrams as superframes through a transmit callback (the
 * segmentation engine under test), and compares what the kernel delivered
 * with what was sent (byte count, datagram sizes, SHA-256).
 *
 *   DPDK port --- net_af_packet on if_host ==veth== if_ns (in ns)
 *   DPDK port --- net_tap, whose kernel interface if_ns lives in ns
 *
 * Everything needs root (namespaces, veth, tap). All names carry the pid,
 * so test binaries can run in parallel; leftovers of crashed runs (dead
 * pids) are removed when the first peer of a process is created.
 *
 * Kernel facts this harness relies on (see test_netns.c for details):
 *  - Frames injected by af_packet (through veth) or written to a tap
 *    carry no checksum-offload state (CHECKSUM_NONE): the namespace's
 *    kernel verifies every IPv4 header, TCP and UDP checksum and drops
 *    (and counts, see test_peer_counter()) bad ones.
 *  - The reverse direction is not so: the kernel in the namespace sends
 *    over veth with checksum offload, so frames the DPDK port receives
 *    may carry partial (pseudo-header only) checksums. Do not verify them.
 *  - net_af_packet truncates received frames to its ring's frame size
 *    (framesz, 2048 by default) silently and drops oversized TX frames
 *    silently; the peer picks framesz from the MTU (see framesz below).
 *  - Packets larger than the veth MTU are dropped silently by veth.
 *  - net_af_packet joins PACKET_FANOUT group (pid ^ ifindex) & 0xffff;
 *    groups are per namespace, so two processes can collide (the probe
 *    fails with EINVAL in its log). test_peer_create() retries with a new
 *    veth pair (a new ifindex).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

/* Peers per process: idx is in [0, TEST_PEER_MAX_IDX). */
#define TEST_PEER_MAX_IDX 56

enum test_peer_kind {
	/* net_af_packet on if_host, a veth whose other end if_ns is in ns. */
	TEST_PEER_AF_PACKET,
	/* net_tap; its kernel interface (if_host == if_ns) is in ns. */
	TEST_PEER_TAP,
};

struct test_peer {
	enum test_peer_kind kind;
	unsigned int idx;
	/* Network namespace "gso<pid>n<idx>". */
	char ns[16];
	/* The kernel interface the DPDK port drives: veth "gso<pid>h<idx>"
	 * in the caller's namespace, or the tap "gso<pid>t<idx>" (in ns). */
	char if_host[16];
	/* The kernel interface in ns: veth "gso<pid>p<idx>", or the tap. */
	char if_ns[16];
	/* The DPDK vdev: "net_af_packetns<idx>" or "net_tapns<idx>". */
	char vdev[32];
	/* The DPDK port (probed, neither configured nor started). */
	uint16_t port_id;
	/* DPDK side (the port's MAC) / kernel side (if_ns's MAC). */
	struct rte_ether_addr mac_local, mac_peer;
	/* 10.<200+idx>.<pid%250>.1 (DPDK side) / .2 (kernel side), /24. */
	rte_be32_t ip4_local, ip4_peer;
	/* fd00:<pid&0xffff>:<idx>::1 / ::2, /64, without DAD. */
	uint8_t ip6_local[16], ip6_peer[16];
	/* MTU of the kernel interfaces. */
	uint16_t mtu;
	/* af_packet only: the ring frame size chosen for mtu. The RX pool
	 * needs a data room of at least framesz - 32 + RTE_PKTMBUF_HEADROOM
	 * (net_af_packet refuses the RX queue otherwise). 0 for tap. */
	uint32_t framesz;
	/* Internal: what exists, for test_peer_destroy(). */
	bool ns_made, link_made, vdev_made;
};

/*
 * Create a peer (mtu >= 1280; at most 1500 for tap: net_tap of DPDK 22.11
 * supports no more): removes stale objects of the same names, creates the
 * namespace, the interfaces (MTU mtu, up), addresses (IPv6 with nodad) and
 * permanent neighbour entries for the DPDK side's addresses in the
 * namespace (so the kernel never needs ARP or ND: the DPDK side answers
 * neither), sets rp_filter to 0 and keep_addr_on_down in the namespace,
 * and on the caller's side of a veth disables IPv6 and IPv4 forwarding (so
 * the caller's kernel neither chatters on it nor forwards what it sees).
 * Then creates the DPDK vdev:
 *  - af_packet: iface=if_host, qdisc_bypass=1, framesz/blocksz for mtu.
 *  - tap: created with the calling thread inside ns, so the interface is
 *    born there and the PMD's control socket (link up/down, MTU, MAC by
 *    interface name) works in ns. See test_peer_run() for the catch.
 * The port is NOT configured or started: the caller does (for tap, via
 * test_peer_run() or test_peer_port_start()).
 * Returns 0, or a negative errno after undoing what it created (the peer
 * may still be passed to test_peer_destroy()).
 */
int test_peer_create(struct test_peer *p, enum test_peer_kind kind,
		unsigned int idx, uint16_t mtu);

/*
 * Stop and close the port, uninit the vdev (so idx can be reused), delete
 * the interfaces and the namespace. Safe on a partly created or zeroed
 * peer, and twice.
 */
void test_peer_destroy(struct test_peer *p);

/*
 * Run fn(arg) with the calling thread inside the peer's namespace (tap) or
 * directly (af_packet); returns what fn returns (or a negative errno when
 * the namespace cannot be entered).
 *
 * Why: net_tap opens its queue file descriptors (/dev/net/tun, TUNSETIFF
 * by interface name) at the first RX/TX queue setup, in the namespace of
 * the calling thread. Outside ns the kernel would silently create a
 * second, unrelated tap of the same name in the caller's namespace, and
 * the port would talk to that one. So the first configuration of a tap
 * peer's port (rte_eth_*_queue_setup, gso_offload_port_configure) must run
 * through here; reconfigurations that keep at least one queue of each
 * queue pair alive dup the existing descriptors and need not. Anything
 * else that looks the kernel interface up by name (ioctl, if_nametoindex,
 * sysfs) must run through here too.
 */
int test_peer_run(const struct test_peer *p, int (*fn)(void *arg), void *arg);

/*
 * test_port_start_simple() (one RX and one TX queue) through
 * test_peer_run(); for tap also sets the DPDK MTU to p->mtu when it is not
 * 1500 (net_tap drops TX frames over its own MTU). For af_packet, fails
 * with -ENOSPC when the pool's data room cannot take framesz - 32 bytes.
 */
int test_peer_port_start(const struct test_peer *p, struct rte_mempool *pool,
		uint64_t tx_offloads);

/*
 * Re-apply the namespace side (link up, MTU, addresses, neighbours,
 * sysctls). Idempotent. Needed for tap after the port was stopped: the
 * PMD sets the interface down, which flushes the neighbour entries (and
 * routes). test_receiver_start() calls it.
 */
int test_peer_refresh(const struct test_peer *p);

/*
 * A kernel SNMP counter of the namespace, or -1 when unknown. name is
 * "Group:Field" of /proc/net/snmp or /proc/net/netstat ("Tcp:InCsumErrors",
 * "Udp:InCsumErrors", "TcpExt:TCPOFOQueue") or a /proc/net/snmp6 name
 * ("Udp6InCsumErrors"). Tests read it before and after to prove a drop.
 */
long long test_peer_counter(const struct test_peer *p, const char *name);

/* IPv4/IPv6 text forms of the peer's addresses (for messages). */
void test_peer_addr_str(const struct test_peer *p, int family, bool local,
		char *buf, size_t len);

/* ---------------------------------------------------------------------- */

/*
 * A receiver: `ip netns exec <ns> python3 -B tests/netns_receiver.py ...`
 * with its stdout on a pipe (stderr is inherited: its errors appear in the
 * test's log). The path of the script is built in (TEST_NETNS_RECEIVER);
 * the environment variable of that name overrides it.
 *
 * Synchronisation, without sleeps: the script binds (UDP) or listens (TCP)
 * and only then prints "ready"; test_receiver_start() blocks in poll() on
 * the pipe until that line arrives (or EOF, or a 10 s deadline). When done
 * the script prints its result lines and "end" and exits; test_receiver_
 * wait() polls the pipe against a deadline, and on expiry sends SIGTERM
 * (the script then reports what it has, with status "terminated"), gives
 * it one more second, then SIGKILL. The child gets PR_SET_PDEATHSIG, so it
 * cannot outlive a crashed test.
 */
struct test_receiver {
	pid_t pid;		/* -1 when none */
	int fd;			/* read end of the script's stdout, or -1 */
	int proto;		/* IPPROTO_TCP or IPPROTO_UDP */
	char *out;		/* what the script printed after "ready" */
	size_t out_len, out_cap;
};

struct test_receiver_result {
	/* "ok": TCP read to EOF / UDP got expect_datagrams; "idle": UDP idle
	 * timeout or TCP idle timeout; "timeout": the script's overall
	 * deadline; "terminated": stopped by test_receiver_wait()'s
	 * deadline; "reset": TCP connection reset; "error": see stderr. */
	char status[16];
	bool complete;		/* status is "ok" */
	uint64_t bytes;		/* TCP stream bytes / UDP payload bytes */
	unsigned int nb_datagrams;	/* UDP */
	uint32_t *sizes;	/* UDP: each datagram's size, arrival order */
	/* SHA-256 (hex) of the TCP stream / of the UDP payloads
	 * concatenated in arrival order. */
	char sha256[65];
};

/* Defaults of test_receiver_start(). */
#define TEST_RECEIVER_IDLE_MS 1000
#define TEST_RECEIVER_TIMEOUT_MS 60000

/*
 * Start a receiver on the peer's kernel side address of family (4 or 6)
 * and port. TCP: listen, accept one connection, read to EOF, close (so
 * the kernel sends its FIN). UDP: receive until expect_datagrams arrived
 * (0: until idle) or no datagram came for TEST_RECEIVER_IDLE_MS after the
 * first (before the first, the overall deadline applies). Returns when
 * the socket is bound/listening: 0, or a negative errno.
 */
int test_receiver_start(struct test_receiver *r, const struct test_peer *p,
		int family, int proto, uint16_t port,
		unsigned int expect_datagrams);

/* The same with the script's UDP/TCP idle timeout and overall deadline. */
int test_receiver_start_ex(struct test_receiver *r, const struct test_peer *p,
		int family, int proto, uint16_t port,
		unsigned int expect_datagrams, unsigned int idle_ms,
		unsigned int timeout_ms);

/*
 * Wait up to timeout_ms for the receiver to finish, reap it and parse its
 * result into res (zeroed first; free with test_receiver_result_free()).
 * Returns 0 when the script finished by itself and its result parsed
 * (res->status says how it ended), -ETIMEDOUT when it had to be stopped
 * (res is still filled from its "terminated" report when it gave one),
 * another negative errno otherwise.
 */
int test_receiver_wait(struct test_receiver *r, unsigned int timeout_ms,
		struct test_receiver_result *res);

/*
 * test_receiver_wait() (timeout_ms) for a TCP receiver, then check that
 * the stream arrived whole: status "ok", len bytes, the SHA-256 of data.
 * Prints what differs. Returns 0 when it all holds, -1 otherwise.
 */
int test_receiver_check_stream(struct test_receiver *r,
		unsigned int timeout_ms, const uint8_t *data, size_t len,
		struct test_receiver_result *res);

/* Kill and reap without a result (cleanup paths). Idempotent. */
void test_receiver_stop(struct test_receiver *r);

void test_receiver_result_free(struct test_receiver_result *res);

/*
 * The end of a kernel-receiver case: stop the receiver, free its result,
 * destroy the peer, then fail the case, whatever rc says, if in_use() is
 * not back at base (an mbuf neither sent nor freed). Returns rc or
 * TEST_FAIL.
 */
int test_peer_case_end(struct test_peer *p, struct test_receiver *r,
		struct test_receiver_result *res, unsigned int (*in_use)(void),
		unsigned int base, int rc);

/* ---------------------------------------------------------------------- */

/*
 * The superframe transmit hook (the segmentation engine under test): owns
 * sf, which it must transmit or free. Returns 0, or a negative errno
 * (which aborts the send; sf must still be consumed).
 */
typedef int (*test_xmit_fn)(void *arg, uint16_t port_id, struct rte_mbuf *sf);

struct test_tcp_opts {
	int family;		/* 4 or 6 */
	uint16_t dport;		/* the receiver's port */
	uint16_t sport;		/* 0: an ephemeral port picked at random */
	/* tso_segsz of the superframes, payload bytes per segment; 0: the
	 * peer's MSS option (or for UDP mtu - headers) less our options. It
	 * must fit the peer's MTU with all headers: nothing checks. */
	uint16_t mss;
	/* Payload bytes per superframe at most (clamped so that the IPv4
	 * total length / IPv6 payload length fits 16 bits); 0: 64000. */
	uint32_t sf_payload;
	/* IPv4 only: 8 bytes of options in every packet: Router Alert (a
	 * copied option, 0x94 04 00 00) then NOP NOP NOP EOL. */
	bool ip_options;
	/* TCP only: offer timestamps; when the peer agrees every segment
	 * carries NOP NOP TS (12 bytes). */
	bool tcp_options;
	/* TX mbufs; a superframe is one mbuf when it fits the data room,
	 * else a chain (headers always in the first segment). */
	struct rte_mempool *pool;
	/* Give up when the peer makes no progress for this long (0: 5000). */
	unsigned int timeout_ms;
};

/*
 * A minimal TCP sender over the port (queue 0), for tests:
 *  - Handshake: SYN with MSS (mtu - 40/60), window scale (shift 0, so the
 *    peer scales its window) and, with tcp_options, timestamps; SYN-ACK;
 *    ACK. The peer's MSS, window scale and timestamps are honoured.
 *  - Data: superframes of up to sf_payload bytes, never beyond the peer's
 *    advertised (scaled) window, handed to xmit(). Each is a standard DPDK
 *    TSO packet: Ethernet + IPv4 (DF, checksum 0, optional options) or
 *    IPv6 + TCP (checksum field 0, ACK|PSH: the engine must clear PSH on
 *    all but the last segment) + payload; ol_flags RTE_MBUF_F_TX_TCP_SEG |
 *    RTE_MBUF_F_TX_IPV4 or _IPV6 (not RTE_MBUF_F_TX_IP_CKSUM: an xmit
 *    callback feeding a port directly may add it), l2_len 14, l3_len,
 *    l4_len, tso_segsz = mss.
 *  - End: once all data is ACKed, FIN|ACK; waits until the FIN is ACKed
 *    and the peer's FIN arrived, ACKs that.
 *  SYN, ACK and FIN go straight to rte_eth_tx_burst() with software
 *  checksums. Received frames are polled on queue 0; those not of this
 *  flow are freed. There is NO retransmission: a lost segment stalls the
 *  stream and the call fails with -ETIMEDOUT after timeout_ms without
 *  progress; a RST fails it with -ECONNRESET.
 * Every mbuf is freed exactly once. Returns the number of superframes
 * handed to xmit (>= 0), or a negative errno.
 */
int test_tcp_send_stream(const struct test_peer *p, const struct test_tcp_opts *o,
		const uint8_t *data, size_t len, test_xmit_fn xmit, void *arg);

/*
 * UDP: data cut into superframes, each one UDP header + up to sf_payload
 * bytes (the last one shorter), handed to xmit in order: Ethernet + IPv4
 * (no DF, checksum 0, optional options) or IPv6 + UDP (length covering the
 * superframe's payload, checksum field 0) + payload; ol_flags
 * RTE_MBUF_F_TX_UDP_SEG | RTE_MBUF_F_TX_IPV4 or _IPV6, l4_len 8,
 * tso_segsz = mss. tcp_options and timeout_ms are ignored. With
 * sport 0 the source port is the same for all calls of the process.
 * Returns the number of superframes (>= 0), or a negative errno.
 */
int test_udp_send(const struct test_peer *p, const struct test_tcp_opts *o,
		const uint8_t *data, size_t len, test_xmit_fn xmit, void *arg);

/* len bytes (malloc'd, NULL when out of memory) of a pseudo-random
 * sequence of its own for each seed: shows reordering and corruption. */
uint8_t *test_data_gen(size_t len, uint32_t seed);

/* SHA-256 of data as 64 lowercase hex digits and a NUL. */
void test_sha256_hex(const void *data, size_t len, char out[65]);

#endif /* GSO_TEST_NETNS_H */
