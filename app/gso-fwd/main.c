/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * gso-fwd: a forwarder between DPDK ports through the gso_offload
 * pipeline. Large packets leave through the egress port's TSO/USO where
 * it has it and are segmented in software where it does not.
 *
 *   gso-fwd [EAL options] -- [options]      (--help lists them)
 *
 * The main lcore is the control thread: console, stats, telemetry, exit
 * conditions. Every worker lcore runs fwd_worker() (fwd_loop.c) over its
 * share of the (port, RX queue) pairs with a pipeline of its own.
 */

#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pdump.h>

#include "fwd.h"

struct fwd_config fwd_cfg;
struct fwd_lcore fwd_lcores[RTE_MAX_LCORE];
unsigned int fwd_nb_lcores;
volatile sig_atomic_t fwd_quit;

static void
usage(const char *prog)
{
	printf("Usage: %s [EAL options] -- [options]\n"
"\n"
"Forwards frames between ports through gso_offload: a superframe leaves\n"
"through the egress port's TSO/USO where the port has it, as software\n"
"segments where it does not.\n"
"\n"
"Forwarding:\n"
"  --map I:E[,I:E...]    forward what port I receives to port E\n"
"                        (default: pairs 0<->1, 2<->3, ...; one port\n"
"                        forwards to itself)\n"
"  --rxq N               RX queues per port, spread by RSS where the port\n"
"                        has it (default 1); the queues are dealt to the\n"
"                        worker lcores round robin\n"
"  --burst N             RX burst size (default 32, at most 512)\n"
"  --rxd N, --txd N      descriptors per RX / TX queue (default 1024)\n"
"  --mbuf-size N         RX mbuf data room, headroom included (default\n"
"                        %u, at most 65535); net_af_packet needs at least\n"
"                        its framesz + 96, net_pcap infinite_rx the\n"
"                        largest frame + 128\n"
"  --nb-mbufs N          RX mbufs per worker lcore (default: its RX rings\n"
"                        + TX rings + 2048)\n"
"\n"
"Large frames (the MSS):\n"
"  A superframe with segmentation metadata (RX_LRO and tso_segsz, as a\n"
"  vhost port delivers a guest's TSO packets) keeps its MSS. A TCP frame\n"
"  over the egress MTU without metadata is segmented at the MSS that MTU\n"
"  allows:\n"
"  --tcp-mss N           cap that MSS at N (e.g. for a tunnel further on,\n"
"                        or a PMD whose TSO wants smaller segments)\n"
"  A tunnel frame over the MTU (VXLAN, GENEVE, GRE, IP-in-IP) whose inner\n"
"  packet is TCP or UDP is segmented inside: the inner MSS is the egress\n"
"  MTU minus the whole header stack (outer IP, UDP/GRE, tunnel header,\n"
"  inner Ethernet, IP and TCP/UDP); inner UDP becomes datagrams of that\n"
"  size. GRE is IP protocol 47, IP-in-IP 4 and 41; VXLAN and GENEVE are\n"
"  told by their outer UDP destination port:\n"
"  --vxlan-port N[,N...] UDP ports taken as VXLAN (default %u; repeatable,\n"
"                        at most %u; none: no VXLAN)\n"
"  --geneve-port N[,N...] UDP ports taken as GENEVE (default %u; the same)\n"
"  --tunnel-udp seg|outer\n"
"                        seg (default): inner UDP becomes datagrams of that\n"
"                        size (a UDP GSO sender's that fills the tunnel's\n"
"                        MTU); outer: never cut, the outer datagram follows\n"
"                        --udp-oversize\n"
"  A UDP frame over the MTU without metadata is one datagram and is never\n"
"  cut into several:\n"
"  --udp-oversize frag|drop\n"
"                        frag (default): IPv4 without DF is IP-fragmented,\n"
"                        anything else dropped and counted; drop: always\n"
"                        dropped and counted\n"
"\n"
"Offloads (the administrator's wanted settings, NetAdapterCx style):\n"
"  --offload P:SPEC      at start, e.g. 1:lso4=off,uso4=on (repeatable);\n"
"                        keys lso4 lso6 uso4 uso6, values on off\n"
"  -i, --interactive     console: show port gso <port>, set port <port>\n"
"                        offload lso4|lso6|uso4|uso6|all on|off, show\n"
"                        stats, quit. The same through rte_telemetry:\n"
"                        /gso_fwd/ports, /gso_fwd/stats,<port>,\n"
"                        /gso_fwd/offload,<port>,<spec>\n"
"  Changing them is hitless: a port is configured once with every TX\n"
"  offload its hardware has, a change only says which ones packets use\n"
"  (nothing is held, nothing lost).\n"
"  --restart-on-change P restart port P on every change instead (its TX\n"
"                        offloads follow the active set; repeatable)\n"
"  --hold N              while a port does not take packets (restarted\n"
"                        for a change, or its queue full), hold up to N\n"
"                        per worker and egress port, in order (default\n"
"                        %u, at most %u; 0: drop them at once); what\n"
"                        exceeds it is dropped and counted (hold_dropped)\n"
"  --check-contract      check every packet handed to a PMD against the\n"
"                        port's active set and limits at that moment;\n"
"                        violations are counted (contract_*)\n"
"\n"
"Running:\n"
"  --stats SECS          a stats line per port every SECS seconds\n"
"                        (default 0: none)\n"
"  --idle-exit MS        one-shot: exit once no port has received for MS\n"
"                        milliseconds (for rx_pcap/tx_pcap runs)\n"
"  --duration SECS       exit after SECS seconds\n"
"  --idle-sleep US       a worker that received nothing in a round sleeps\n"
"                        US microseconds (default 0: it spins); for\n"
"                        emulated or shared CPUs, e.g. a TCG guest\n"
"  -h, --help            this text\n"
"\n"
"SIGINT and SIGTERM stop forwarding, stop and close every port and\n"
"return every mbuf; the exit summary says how many were outstanding.\n"
"rte_pdump is initialised: dpdk-dumpcap can capture the ports (it needs\n"
"a primary with hugepages, not --no-huge).\n",
		prog, RTE_MBUF_DEFAULT_BUF_SIZE, FWD_VXLAN_PORT,
		FWD_MAX_TUN_PORTS, FWD_GENEVE_PORT, FWD_HOLD_DEFAULT,
		FWD_HOLD_MAX);
}

static int
parse_uint(const char *s, unsigned long min, unsigned long max,
		unsigned long *v)
{
	char *end;

	errno = 0;
	*v = strtoul(s, &end, 0);
	if (errno != 0 || end == s || *end != '\0' || *v < min || *v > max)
		return -EINVAL;
	return 0;
}

/* --map I:E[,I:E...] */
static int
parse_map(const char *arg)
{
	char buf[512], *save = NULL;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (char *tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		unsigned long in, out;
		char *colon = strchr(tok, ':');

		if (colon == NULL)
			return -EINVAL;
		*colon = '\0';
		if (parse_uint(tok, 0, RTE_MAX_ETHPORTS - 1, &in) != 0 ||
				parse_uint(colon + 1, 0, RTE_MAX_ETHPORTS - 1,
					&out) != 0 || fwd_cfg.forwards[in])
			return -EINVAL;
		fwd_cfg.forwards[in] = true;
		fwd_cfg.dst[in] = (uint16_t)out;
	}
	return 0;
}

/*
 * --vxlan-port / --geneve-port N[,N...] or none: the first use replaces
 * the default (*given says so), later ones add to the list.
 */
static int
parse_tun_ports(const char *arg, uint16_t *ports, uint16_t *n, bool *given)
{
	char buf[256], *save = NULL;

	if (!*given) {
		*n = 0;
		*given = true;
	}
	if (strcmp(arg, "none") == 0)
		return 0;
	snprintf(buf, sizeof(buf), "%s", arg);
	for (char *tok = strtok_r(buf, ",", &save); tok != NULL;
			tok = strtok_r(NULL, ",", &save)) {
		unsigned long v;
		bool dup = false;

		if (parse_uint(tok, 1, UINT16_MAX, &v) != 0)
			return -EINVAL;
		for (uint16_t i = 0; i < *n; i++)
			dup |= ports[i] == v;
		if (dup)
			continue;
		if (*n == FWD_MAX_TUN_PORTS)
			return -EINVAL;
		ports[(*n)++] = (uint16_t)v;
	}
	return 0;
}

enum {
	OPT_MAP = 256, OPT_RXQ, OPT_BURST, OPT_RXD, OPT_TXD, OPT_MBUF_SIZE,
	OPT_NB_MBUFS, OPT_UDP_OVERSIZE, OPT_OFFLOAD, OPT_STATS, OPT_IDLE_EXIT,
	OPT_DURATION, OPT_TCP_MSS, OPT_HOLD, OPT_CHECK_CONTRACT,
	OPT_RESTART, OPT_VXLAN_PORT, OPT_GENEVE_PORT, OPT_TUNNEL_UDP,
	OPT_IDLE_SLEEP,
};

static const struct option long_opts[] = {
	{ "map", required_argument, NULL, OPT_MAP },
	{ "rxq", required_argument, NULL, OPT_RXQ },
	{ "burst", required_argument, NULL, OPT_BURST },
	{ "rxd", required_argument, NULL, OPT_RXD },
	{ "txd", required_argument, NULL, OPT_TXD },
	{ "mbuf-size", required_argument, NULL, OPT_MBUF_SIZE },
	{ "nb-mbufs", required_argument, NULL, OPT_NB_MBUFS },
	{ "udp-oversize", required_argument, NULL, OPT_UDP_OVERSIZE },
	{ "tcp-mss", required_argument, NULL, OPT_TCP_MSS },
	{ "offload", required_argument, NULL, OPT_OFFLOAD },
	{ "stats", required_argument, NULL, OPT_STATS },
	{ "idle-exit", required_argument, NULL, OPT_IDLE_EXIT },
	{ "duration", required_argument, NULL, OPT_DURATION },
	{ "idle-sleep", required_argument, NULL, OPT_IDLE_SLEEP },
	{ "hold", required_argument, NULL, OPT_HOLD },
	{ "check-contract", no_argument, NULL, OPT_CHECK_CONTRACT },
	{ "restart-on-change", required_argument, NULL, OPT_RESTART },
	{ "vxlan-port", required_argument, NULL, OPT_VXLAN_PORT },
	{ "geneve-port", required_argument, NULL, OPT_GENEVE_PORT },
	{ "tunnel-udp", required_argument, NULL, OPT_TUNNEL_UDP },
	{ "interactive", no_argument, NULL, 'i' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Returns 0, 1 for --help, or -EINVAL. */
static int
parse_args(int argc, char **argv)
{
	bool vxlan_given = false, geneve_given = false;
	unsigned long v;
	int opt;

	fwd_cfg = (struct fwd_config){
		.nb_rxq = 1, .nb_rxd = 1024, .nb_txd = 1024, .burst = 32,
		.mbuf_size = RTE_MBUF_DEFAULT_BUF_SIZE,
		.udp_oversize = FWD_UDP_FRAG, .hold = FWD_HOLD_DEFAULT,
		.vxlan_ports = { FWD_VXLAN_PORT }, .nb_vxlan_ports = 1,
		.geneve_ports = { FWD_GENEVE_PORT }, .nb_geneve_ports = 1,
	};
	while ((opt = getopt_long(argc, argv, "ih", long_opts, NULL)) != -1) {
		int bad = 0;

		switch (opt) {
		case OPT_MAP:
			bad = parse_map(optarg);
			break;
		case OPT_RXQ:
			bad = parse_uint(optarg, 1, FWD_MAX_RXQ, &v);
			fwd_cfg.nb_rxq = (uint16_t)v;
			break;
		case OPT_BURST:
			bad = parse_uint(optarg, 1, 512, &v);
			fwd_cfg.burst = (uint16_t)v;
			break;
		case OPT_RXD:
		case OPT_TXD:
			bad = parse_uint(optarg, 32, 16384, &v);
			if (opt == OPT_RXD)
				fwd_cfg.nb_rxd = (uint16_t)v;
			else
				fwd_cfg.nb_txd = (uint16_t)v;
			break;
		case OPT_MBUF_SIZE:
			bad = parse_uint(optarg, RTE_PKTMBUF_HEADROOM + 256,
					UINT16_MAX, &v);
			fwd_cfg.mbuf_size = (uint16_t)v;
			break;
		case OPT_NB_MBUFS:
			bad = parse_uint(optarg, 1024, 1u << 24, &v);
			fwd_cfg.nb_mbufs = (uint32_t)v;
			break;
		case OPT_TCP_MSS:
			bad = parse_uint(optarg, 64, 65535, &v);
			fwd_cfg.tcp_mss = (uint16_t)v;
			break;
		case OPT_UDP_OVERSIZE:
			if (strcmp(optarg, "frag") == 0)
				fwd_cfg.udp_oversize = FWD_UDP_FRAG;
			else if (strcmp(optarg, "drop") == 0)
				fwd_cfg.udp_oversize = FWD_UDP_DROP;
			else
				bad = -EINVAL;
			break;
		case OPT_TUNNEL_UDP:
			if (strcmp(optarg, "seg") == 0)
				fwd_cfg.tunnel_udp = FWD_TUN_UDP_SEG;
			else if (strcmp(optarg, "outer") == 0)
				fwd_cfg.tunnel_udp = FWD_TUN_UDP_OUTER;
			else
				bad = -EINVAL;
			break;
		case OPT_OFFLOAD:
			if (fwd_cfg.nb_offloads == FWD_MAX_OFFLOADS)
				bad = -EINVAL;
			else
				fwd_cfg.offloads[fwd_cfg.nb_offloads++] = optarg;
			break;
		case OPT_STATS:
			bad = parse_uint(optarg, 0, 3600, &v);
			fwd_cfg.stats_period = (unsigned int)v;
			break;
		case OPT_IDLE_EXIT:
			bad = parse_uint(optarg, 1, 3600000, &v);
			fwd_cfg.idle_exit_ms = (unsigned int)v;
			break;
		case OPT_DURATION:
			bad = parse_uint(optarg, 1, 1u << 30, &v);
			fwd_cfg.duration = (unsigned int)v;
			break;
		case OPT_IDLE_SLEEP:
			bad = parse_uint(optarg, 0, 100000, &v);
			fwd_cfg.idle_sleep_us = (unsigned int)v;
			break;
		case OPT_HOLD:
			bad = parse_uint(optarg, 0, FWD_HOLD_MAX, &v);
			fwd_cfg.hold = (uint32_t)v;
			break;
		case OPT_CHECK_CONTRACT:
			fwd_cfg.check_contract = true;
			break;
		case OPT_RESTART:
			bad = parse_uint(optarg, 0, RTE_MAX_ETHPORTS - 1, &v);
			if (bad == 0)
				fwd_cfg.restart[v] = true;
			break;
		case OPT_VXLAN_PORT:
			bad = parse_tun_ports(optarg, fwd_cfg.vxlan_ports,
					&fwd_cfg.nb_vxlan_ports, &vxlan_given);
			break;
		case OPT_GENEVE_PORT:
			bad = parse_tun_ports(optarg, fwd_cfg.geneve_ports,
					&fwd_cfg.nb_geneve_ports, &geneve_given);
			break;
		case 'i':
			fwd_cfg.interactive = true;
			break;
		case 'h':
			usage(argv[0]);
			return 1;
		default:
			usage(argv[0]);
			return -EINVAL;
		}
		if (bad != 0) {
			fprintf(stderr, "gso-fwd: bad value for %s: %s\n",
				argv[optind - 1], optarg);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "gso-fwd: unexpected argument %s\n", argv[optind]);
		return -EINVAL;
	}
	return 0;
}

/* The ports in use and where each forwards to. */
static int
ports_resolve(void)
{
	bool used[RTE_MAX_ETHPORTS] = { false };
	bool mapped = false;
	uint16_t avail[RTE_MAX_ETHPORTS], n = 0, port;

	RTE_ETH_FOREACH_DEV(port)
		avail[n++] = port;
	if (n == 0) {
		fprintf(stderr, "gso-fwd: no ports (give the EAL some, e.g. "
			"--vdev net_af_packet0,iface=eth0)\n");
		return -ENODEV;
	}
	for (unsigned int p = 0; p < RTE_MAX_ETHPORTS; p++)
		mapped |= fwd_cfg.forwards[p];
	if (!mapped) {
		if (n % 2 != 0 && n != 1) {
			fprintf(stderr, "gso-fwd: %u ports cannot be paired; "
				"give --map\n", n);
			return -EINVAL;
		}
		for (uint16_t i = 0; i < n; i++) {
			uint16_t peer = n == 1 ? avail[0] : avail[i ^ 1];

			fwd_cfg.forwards[avail[i]] = true;
			fwd_cfg.dst[avail[i]] = peer;
		}
	}
	for (unsigned int p = 0; p < RTE_MAX_ETHPORTS; p++) {
		if (!fwd_cfg.forwards[p])
			continue;
		if (!rte_eth_dev_is_valid_port((uint16_t)p) ||
				!rte_eth_dev_is_valid_port(fwd_cfg.dst[p])) {
			fprintf(stderr, "gso-fwd: --map %u:%u names a port "
				"that does not exist\n", p, fwd_cfg.dst[p]);
			return -ENODEV;
		}
		used[p] = used[fwd_cfg.dst[p]] = true;
	}
	for (unsigned int p = 0; p < RTE_MAX_ETHPORTS; p++) {
		if (!used[p])
			continue;
		if (fwd_cfg.nb_ports == FWD_MAX_PORTS) {
			fprintf(stderr, "gso-fwd: at most %u ports\n",
				FWD_MAX_PORTS);
			return -E2BIG;
		}
		fwd_cfg.ports[fwd_cfg.nb_ports++] = (uint16_t)p;
	}
	return 0;
}

static void
on_signal(int sig __rte_unused)
{
	fwd_quit = 1;
}

static void
signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;          /* no SA_RESTART: poll() wakes */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* A vhost-user peer that goes away must not kill the forwarder. */
	signal(SIGPIPE, SIG_IGN);
}

static void
print_topology(void)
{
	printf("gso-fwd: %u worker lcore(s)\n", fwd_nb_lcores);
	for (unsigned int w = 0; w < fwd_nb_lcores; w++) {
		const struct fwd_lcore *lc = &fwd_lcores[w];

		printf("  lcore %u (socket %u):", lc->lcore_id,
			rte_lcore_to_socket_id(lc->lcore_id));
		for (unsigned int r = 0; r < lc->nb_rx; r++)
			printf(" port %u rxq %u -> port %u txq %u (mtu %u);",
				lc->rx[r].port, lc->rx[r].queue, lc->rx[r].dst,
				lc->rx[r].txq, lc->rx[r].dst_mtu);
		printf("\n");
	}
	printf("  tunnels: GRE, IP-in-IP; VXLAN on UDP");
	for (unsigned int i = 0; i < fwd_cfg.nb_vxlan_ports; i++)
		printf(" %u", fwd_cfg.vxlan_ports[i]);
	printf("%s; GENEVE on UDP", fwd_cfg.nb_vxlan_ports ? "" : " (none)");
	for (unsigned int i = 0; i < fwd_cfg.nb_geneve_ports; i++)
		printf(" %u", fwd_cfg.geneve_ports[i]);
	printf("%s; inner UDP %s\n", fwd_cfg.nb_geneve_ports ? "" : " (none)",
		fwd_cfg.tunnel_udp == FWD_TUN_UDP_SEG ? "segmented" :
		"left to the outer datagram");
	for (unsigned int i = 0; i < fwd_cfg.nb_ports; i++)
		fwd_show_port(stdout, fwd_cfg.ports[i]);
}

/*
 * Apply the hardware capability changes the providers marked (a guest
 * came or went on a net_vhost port: gso_provider_vhost.c). The marks come
 * from ethdev callbacks in the vhost-user thread, which must not switch
 * the pipelines themselves (that waits for a grace period); this thread
 * does, once per turn of the control loop (at most wait_ms later), and
 * the pipelines switch hitless: a guest that negotiated GUEST_TSO4/6 gets
 * superframes whole (hw_pkts), one that did not gets segments (sw_pkts).
 */
static void
caps_refresh(void)
{
	int ret = gso_offload_port_caps_refresh_pending();

	if (ret < 0) {
		printf("gso-fwd: applying a capability change failed: %s\n",
			strerror(-ret));
		return;
	}
	if (ret == 0)
		return;
	for (unsigned int i = 0; i < fwd_cfg.nb_ports; i++) {
		uint32_t kw = 0;
		char buf[64];

		gso_offload_active_keywords_get(fwd_cfg.ports[i], &kw);
		gso_offload_keywords_str(kw, buf, sizeof(buf));
		printf("gso-fwd: port %u active %s\n", fwd_cfg.ports[i], buf);
	}
	fflush(stdout);
}

/*
 * The control loop of the main lcore: console input, stats lines, exit
 * conditions. It waits in poll() (stdin, or nothing) between duties;
 * signals interrupt the wait.
 */
static void
control_loop(struct fwd_console *con)
{
	const uint64_t hz = rte_get_timer_hz();
	const uint64_t start = rte_get_timer_cycles();
	uint64_t next_stats = start + fwd_cfg.stats_period * hz;
	uint64_t last_rx = fwd_rx_total(), last_active = start;
	int wait_ms = 100;

	if (fwd_cfg.idle_exit_ms != 0)
		wait_ms = (int)RTE_MIN(100u, RTE_MAX(1u, fwd_cfg.idle_exit_ms / 4));
	while (!fwd_quit) {
		struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
		uint64_t now, rx;

		if (poll(&pfd, con != NULL ? 1 : 0, wait_ms) > 0 &&
				fwd_console_input(con) < 0)
			break;
		caps_refresh();
		now = rte_get_timer_cycles();
		if (fwd_cfg.stats_period != 0 && now >= next_stats) {
			fwd_stats_tick(stdout);
			next_stats += fwd_cfg.stats_period * hz;
		}
		if (fwd_cfg.duration != 0 &&
				now - start >= fwd_cfg.duration * hz)
			break;
		if (fwd_cfg.idle_exit_ms != 0) {
			rx = fwd_rx_total();
			if (rx != last_rx) {
				last_rx = rx;
				last_active = now;
			} else if (now - last_active >=
					fwd_cfg.idle_exit_ms * hz / 1000) {
				printf("gso-fwd: idle for %u ms, exiting\n",
					fwd_cfg.idle_exit_ms);
				break;
			}
		}
	}
	fwd_quit = 1;
}

int
main(int argc, char **argv)
{
	struct fwd_console *con = NULL;
	unsigned int lcore, in_use;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "gso-fwd: EAL init failed: %s\n",
			rte_strerror(rte_errno));
		return 1;
	}
	argc -= ret;
	argv += ret;
	argv[0] = (char *)"gso-fwd";
	ret = parse_args(argc, argv);
	if (ret != 0) {
		rte_eal_cleanup();
		return ret > 0 ? 0 : 2;
	}
	signals_install();
	if (fwd_pdump_init() != 0)
		fprintf(stderr, "gso-fwd: rte_pdump not initialised: "
			"dpdk-dumpcap cannot capture\n");

	RTE_LCORE_FOREACH_WORKER(lcore)
		fwd_lcores[fwd_nb_lcores++].lcore_id = lcore;
	if (fwd_nb_lcores == 0) {
		fprintf(stderr, "gso-fwd: no worker lcore: give the EAL at "
			"least two (-l 0,1); the main lcore is the control "
			"thread\n");
		ret = -EINVAL;
		goto out;
	}
	ret = ports_resolve();
	if (ret == 0)
		ret = fwd_setup();
	if (ret != 0)
		goto out;
	if (fwd_telemetry_register() != 0)
		fprintf(stderr, "gso-fwd: telemetry commands not registered\n");
	print_topology();

	fwd_stats_tick(NULL);
	for (unsigned int w = 0; w < fwd_nb_lcores; w++)
		rte_eal_remote_launch(fwd_worker, &fwd_lcores[w],
			fwd_lcores[w].lcore_id);
	printf("gso-fwd: forwarding (Ctrl-C or SIGTERM stops%s)\n",
		fwd_cfg.interactive ? ", or quit" : "");
	fflush(stdout);
	if (fwd_cfg.interactive) {
		con = fwd_console_start();
		if (con == NULL)
			fprintf(stderr, "gso-fwd: no console\n");
	}
	control_loop(con);
	fwd_console_stop(con);
	rte_eal_mp_wait_lcore();
	printf("\ngso-fwd: stopped\n");
	fwd_summary_print(stdout);

out:
	fwd_teardown();
	in_use = fwd_mbufs_in_use();
	printf("gso-fwd: mbufs outstanding after shutdown: %u\n", in_use);
	rte_pdump_uninit();
	rte_eal_cleanup();
	return ret != 0 ? 1 : in_use != 0 ? 3 : 0;
}
