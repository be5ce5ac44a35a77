/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Real receivers: a kernel peer in a network namespace (see test_netns.h).
 *
 * Kernel details that matter here:
 *  - af_packet TX (TPACKET_V2 ring, qdisc bypass) hands the veth an skb
 *    with ip_summed CHECKSUM_NONE, and veth passes it on unchanged (since
 *    Linux 4.7 veth no longer marks such packets CHECKSUM_UNNECESSARY), so
 *    the namespace verifies our checksums. Same for frames written to a
 *    tap without a virtio-net header (net_tap does not use one).
 *  - The namespace's kernel transmits over veth with checksum offload: its
 *    ACKs reach our af_packet socket with only the pseudo-header checksum
 *    in the TCP checksum field. The sender below never verifies received
 *    checksums for that reason.
 *  - net_af_packet: the RX ring frame holds framesz - 66 bytes of a frame
 *    (TPACKET2 header, sockaddr_ll, 16-byte alignment), longer frames are
 *    truncated without any error; TX frames longer than framesz - 32 are
 *    dropped without any error; the RX queue needs a mempool data room of
 *    framesz - 32. blocksz must be a multiple of the page size and of
 *    framesz (the PMD addresses frame i at i * framesz).
 *  - net_tap opens /dev/net/tun in the calling thread's namespace at the
 *    first queue setup; see test_peer_run().
 *  - Setting an interface down flushes its neighbour entries, even
 *    permanent ones, and its IPv6 addresses unless keep_addr_on_down.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_random.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "gso_compat.h"
#include "test.h"
#include "test_env.h"
#include "test_netns.h"

#ifndef TEST_NETNS_RECEIVER
#define TEST_NETNS_RECEIVER "tests/netns_receiver.py"
#endif

/* ---------------------------------------------------------------------- */
/* SHA-256 (FIPS 180-4), for comparing what the receiver got. */

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	uint8_t buf[64];
	size_t fill;
};

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t
ror32(uint32_t x, unsigned int n)
{
	return (x >> n) | (x << (32 - n));
}

static void
sha256_block(struct sha256 *s, const uint8_t *p)
{
	uint32_t w[64], a, b, c, d, e, f, g, h;
	unsigned int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
			(uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++) {
		uint32_t s0 = ror32(w[i - 15], 7) ^ ror32(w[i - 15], 18) ^
			(w[i - 15] >> 3);
		uint32_t s1 = ror32(w[i - 2], 17) ^ ror32(w[i - 2], 19) ^
			(w[i - 2] >> 10);

		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	a = s->h[0]; b = s->h[1]; c = s->h[2]; d = s->h[3];
	e = s->h[4]; f = s->h[5]; g = s->h[6]; h = s->h[7];
	for (i = 0; i < 64; i++) {
		uint32_t t1 = h + (ror32(e, 6) ^ ror32(e, 11) ^ ror32(e, 25)) +
			((e & f) ^ (~e & g)) + sha256_k[i] + w[i];
		uint32_t t2 = (ror32(a, 2) ^ ror32(a, 13) ^ ror32(a, 22)) +
			((a & b) ^ (a & c) ^ (b & c));

		h = g; g = f; f = e; e = d + t1;
		d = c; c = b; b = a; a = t1 + t2;
	}
	s->h[0] += a; s->h[1] += b; s->h[2] += c; s->h[3] += d;
	s->h[4] += e; s->h[5] += f; s->h[6] += g; s->h[7] += h;
}

static void
sha256_init(struct sha256 *s)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(s->h, iv, sizeof(iv));
	s->len = 0;
	s->fill = 0;
}

static void
sha256_update(struct sha256 *s, const uint8_t *p, size_t n)
{
	s->len += n;
	while (n > 0) {
		size_t k = RTE_MIN(n, 64 - s->fill);

		memcpy(s->buf + s->fill, p, k);
		s->fill += k;
		p += k;
		n -= k;
		if (s->fill == 64) {
			sha256_block(s, s->buf);
			s->fill = 0;
		}
	}
}

static void
sha256_final_hex(struct sha256 *s, char out[65])
{
	uint64_t bits = s->len * 8;
	uint8_t pad = 0x80, len[8];
	unsigned int i;

	sha256_update(s, &pad, 1);
	pad = 0;
	while (s->fill != 56)
		sha256_update(s, &pad, 1);
	for (i = 0; i < 8; i++)
		len[i] = (uint8_t)(bits >> (56 - 8 * i));
	sha256_update(s, len, 8);
	for (i = 0; i < 8; i++)
		snprintf(out + 8 * i, 9, "%08" PRIx32, s->h[i]);
	out[64] = '\0';
}

int
test_receiver_check_stream(struct test_receiver *r, unsigned int timeout_ms,
		const uint8_t *data, size_t len, struct test_receiver_result *res)
{
	char sha[65];
	int n = test_receiver_wait(r, timeout_ms, res);

	if (n != 0) {
		printf("#   receiver wait: %s\n", strerror(-n));
		return -1;
	}
	if (!res->complete || res->bytes != len) {
		printf("#   receiver: status %s, %" PRIu64 " of %zu bytes\n",
			res->status, res->bytes, len);
		return -1;
	}
	test_sha256_hex(data, len, sha);
	if (strcmp(sha, res->sha256) != 0) {
		printf("#   receiver: sha256 %s, sent %s\n", res->sha256, sha);
		return -1;
	}
	return 0;
}

uint8_t *
test_data_gen(size_t len, uint32_t seed)
{
	uint8_t *d = malloc(len ? len : 1);
	uint32_t s = seed | 1;

	for (size_t i = 0; d != NULL && i < len; i++) {
		s ^= s << 13;
		s ^= s >> 17;
		s ^= s << 5;
		d[i] = (uint8_t)s;
	}
	return d;
}

void
test_sha256_hex(const void *data, size_t len, char out[65])
{
	struct sha256 s;

	sha256_init(&s);
	sha256_update(&s, data, len);
	sha256_final_hex(&s, out);
}

/* ---------------------------------------------------------------------- */
/* Namespaces. */

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Move the calling thread into namespace ns; *saved gets its old one. */
static int
ns_enter(const char *ns, int *saved)
{
	char path[64];
	int fd, self, ret;

	snprintf(path, sizeof(path), "/run/netns/%s", ns);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	if (setns(fd, CLONE_NEWNET) != 0) {
		ret = -errno;
		close(fd);
		close(self);
		return ret;
	}
	close(fd);
	*saved = self;
	return 0;
}

static void
ns_leave(int saved)
{
	/* Staying in the wrong namespace would make every later test lie. */
	if (setns(saved, CLONE_NEWNET) != 0) {
		fprintf(stderr, "test_netns: cannot return to the namespace: %s\n",
			strerror(errno));
		abort();
	}
	close(saved);
}

/* Write a /proc/sys file (of the calling thread's namespace). */
static int
sysctl_write(const char *val, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
sysctl_write(const char *val, const char *fmt, ...)
{
	char path[256];
	va_list ap;
	ssize_t n;
	int fd;

	va_start(ap, fmt);
	vsnprintf(path, sizeof(path), fmt, ap);
	va_end(ap);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		printf("#   netns: open %s: %s\n", path, strerror(errno));
		return -errno;
	}
	n = write(fd, val, strlen(val));
	close(fd);
	if (n != (ssize_t)strlen(val)) {
		printf("#   netns: write %s: %s\n", path, strerror(errno));
		return -EIO;
	}
	return 0;
}

static int
if_mac_get(const char *ifname, struct rte_ether_addr *mac)
{
	struct ifreq ifr;
	int s, ret = 0;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	if (ioctl(s, SIOCGIFHWADDR, &ifr) != 0)
		ret = -errno;
	else
		memcpy(mac->addr_bytes, ifr.ifr_hwaddr.sa_data, RTE_ETHER_ADDR_LEN);
	close(s);
	return ret;
}

/* "gso<pid><letter><idx>" of a process that no longer exists? */
static bool
stale_name(const char *name, const char *letters)
{
	char *end;
	long pid;

	if (strncmp(name, "gso", 3) != 0 || name[3] < '0' || name[3] > '9')
		return false;
	pid = strtol(name + 3, &end, 10);
	if (*end == '\0' || strchr(letters, *end) == NULL)
		return false;
	end++;
	if (*end < '0' || *end > '9')
		return false;
	while (*end >= '0' && *end <= '9')
		end++;
	if (*end != '\0' || pid <= 0 || pid == (long)getpid())
		return false;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Remove what crashed runs (dead pids) left: namespaces, then links. */
static void
sweep_stale(void)
{
	static bool done;
	struct if_nameindex *ifs, *i;
	struct dirent *de;
	DIR *d;

	if (done)
		return;
	done = true;
	d = opendir("/run/netns");
	if (d != NULL) {
		while ((de = readdir(d)) != NULL)
			if (stale_name(de->d_name, "n"))
				test_sh("ip netns del %s 2>/dev/null", de->d_name);
		closedir(d);
	}
	ifs = if_nameindex();
	if (ifs != NULL) {
		for (i = ifs; i->if_index != 0; i++)
			if (stale_name(i->if_name, "hpt"))
				test_sh("ip link del %s 2>/dev/null", i->if_name);
		if_freenameindex(ifs);
	}
}

void
test_peer_addr_str(const struct test_peer *p, int family, bool local,
		char *buf, size_t len)
{
	if (family == 4)
		inet_ntop(AF_INET, local ? &p->ip4_local : &p->ip4_peer, buf,
			(socklen_t)len);
	else
		inet_ntop(AF_INET6, local ? p->ip6_local : p->ip6_peer, buf,
			(socklen_t)len);
}

/* The namespace side: sysctls, link, addresses, neighbours. */
static int
peer_ns_apply(const struct test_peer *p)
{
	char a4[INET_ADDRSTRLEN], l4[INET_ADDRSTRLEN];
	char a6[INET6_ADDRSTRLEN], l6[INET6_ADDRSTRLEN];
	char mac[RTE_ETHER_ADDR_FMT_SIZE], cmd[128];
	int saved, ret;
	FILE *f;

	ret = ns_enter(p->ns, &saved);
	if (ret != 0)
		return ret;
	/* Our source addresses are on-link, but rp_filter may be inherited
	 * from the caller's namespace (2: loose, 1: strict): turn it off. */
	ret = sysctl_write("0", "/proc/sys/net/ipv4/conf/all/rp_filter");
	ret |= sysctl_write("0", "/proc/sys/net/ipv4/conf/default/rp_filter");
	ret |= sysctl_write("0", "/proc/sys/net/ipv4/conf/%s/rp_filter", p->if_ns);
	/* No DAD: addresses are usable at once; keep them across down/up. */
	ret |= sysctl_write("0", "/proc/sys/net/ipv6/conf/%s/accept_dad", p->if_ns);
	ret |= sysctl_write("1", "/proc/sys/net/ipv6/conf/%s/keep_addr_on_down",
			p->if_ns);
	/* Less chatter towards the DPDK port. */
	ret |= sysctl_write("0", "/proc/sys/net/ipv6/conf/%s/router_solicitations",
			p->if_ns);
	ns_leave(saved);
	if (ret != 0)
		return -EIO;

	test_peer_addr_str(p, 4, false, a4, sizeof(a4));
	test_peer_addr_str(p, 4, true, l4, sizeof(l4));
	test_peer_addr_str(p, 6, false, a6, sizeof(a6));
	test_peer_addr_str(p, 6, true, l6, sizeof(l6));
	rte_ether_format_addr(mac, sizeof(mac), &p->mac_local);
	/* One ip process for all; every command is idempotent. */
	snprintf(cmd, sizeof(cmd), "ip -n %s -batch -", p->ns);
	f = popen(cmd, "w");
	if (f == NULL)
		return -errno;
	fprintf(f, "link set lo up\n");
	fprintf(f, "link set %s mtu %u up\n", p->if_ns, p->mtu);
	fprintf(f, "addr replace %s/24 dev %s\n", a4, p->if_ns);
	fprintf(f, "addr replace %s/64 dev %s nodad\n", a6, p->if_ns);
	/* The DPDK side answers neither ARP nor ND. */
	fprintf(f, "neigh replace %s lladdr %s dev %s nud permanent\n", l4, mac,
		p->if_ns);
	fprintf(f, "neigh replace %s lladdr %s dev %s nud permanent\n", l6, mac,
		p->if_ns);
	ret = pclose(f);
	if (ret != 0) {
		printf("#   netns: ip -batch for %s failed (%d)\n", p->ns, ret);
		return -EIO;
	}
	return 0;
}

int
test_peer_refresh(const struct test_peer *p)
{
	if (!p->ns_made)
		return -EINVAL;
	return peer_ns_apply(p);
}

/* af_packet ring geometry for an MTU (see the top of this file). */
static void
af_packet_geometry(uint16_t mtu, uint32_t *framesz, uint32_t *blocksz,
		uint32_t *framecnt)
{
	/* Frame + VLAN tag + the RX offset of the frame in the slot (66,
	 * rounded up). */
	uint32_t need = (uint32_t)mtu + RTE_ETHER_HDR_LEN + 4 + 80;
	uint32_t f = 2048;

	if (need <= 4096) {
		while (f < need)
			f <<= 1;
		*framesz = f;
		*blocksz = 4096;
	} else {
		*framesz = RTE_ALIGN_CEIL(need, 4096);
		*blocksz = *framesz;
	}
	/* About 4 MiB per ring, at least 64 frames. */
	*framecnt = RTE_MAX(64u, (4u << 20) / *framesz);
	*framecnt -= *framecnt % (*blocksz / *framesz);
}

/* The veth pair and the net_af_packet port on its host end. */
static int
af_packet_attach(struct test_peer *p)
{
	uint32_t blocksz, framecnt;
	char args[160];
	int ret;

	if (test_sh("ip link add %s mtu %u type veth peer name %s mtu %u netns %s",
			p->if_host, p->mtu, p->if_ns, p->mtu, p->ns) != 0) {
		printf("#   netns: cannot create veth %s/%s\n", p->if_host, p->if_ns);
		return -EIO;
	}
	p->link_made = true;
	/* The caller's end: no IPv6 (no RS/MLD/ND chatter), and no IPv4
	 * forwarding of what the namespace sends to our addresses. */
	ret = sysctl_write("1", "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
			p->if_host);
	ret |= sysctl_write("0", "/proc/sys/net/ipv4/conf/%s/forwarding",
			p->if_host);
	if (ret != 0 || test_sh("ip link set %s up", p->if_host) != 0)
		return -EIO;

	af_packet_geometry(p->mtu, &p->framesz, &blocksz, &framecnt);
	snprintf(args, sizeof(args),
		"iface=%s,qdisc_bypass=1,framesz=%u,blocksz=%u,framecnt=%u",
		p->if_host, p->framesz, blocksz, framecnt);
	p->vdev_made = true;
	p->port_id = test_vdev(p->vdev, args);
	if (p->port_id == TEST_NO_PORT) {
		printf("#   netns: cannot create %s,%s\n", p->vdev, args);
		return -ENODEV;
	}
	return 0;
}

static int
peer_create_af_packet(struct test_peer *p)
{
	int saved, ret;

	/*
	 * net_af_packet joins its sockets to the PACKET_FANOUT group
	 * (getpid() ^ ifindex) & 0xffff, and fanout groups are per network
	 * namespace: another process's group of that id, bound to another
	 * device, makes the probe fail with EINVAL. A new veth pair has a new
	 * ifindex, so a new group id: retry a few times.
	 */
	for (int attempt = 0;; attempt++) {
		ret = af_packet_attach(p);
		if (ret != -ENODEV || attempt == 7)
			break;
		rte_vdev_uninit(p->vdev);
		p->vdev_made = false;
		test_sh("ip link del %s 2>/dev/null", p->if_host);
		p->link_made = false;
		printf("#   netns: retrying with a new veth (PACKET_FANOUT id)\n");
	}
	if (ret != 0)
		return ret;
	if (rte_eth_macaddr_get(p->port_id, &p->mac_local) != 0)
		return -EIO;
	ret = ns_enter(p->ns, &saved);
	if (ret != 0)
		return ret;
	ret = if_mac_get(p->if_ns, &p->mac_peer);
	ns_leave(saved);
	return ret;
}

static int
peer_create_tap(struct test_peer *p)
{
	char args[64];
	int saved, ret;

	snprintf(args, sizeof(args), "iface=%s", p->if_host);
	/* Created from inside the namespace: the interface is born there and
	 * the PMD's control socket (ioctls by interface name) lives there. */
	ret = ns_enter(p->ns, &saved);
	if (ret != 0)
		return ret;
	p->vdev_made = true;
	p->port_id = test_vdev(p->vdev, args);
	if (p->port_id != TEST_NO_PORT)
		ret = if_mac_get(p->if_ns, &p->mac_peer);
	ns_leave(saved);
	if (p->port_id == TEST_NO_PORT) {
		printf("#   netns: cannot create %s,%s\n", p->vdev, args);
		return -ENODEV;
	}
	if (ret != 0)
		return ret;
	return rte_eth_macaddr_get(p->port_id, &p->mac_local) != 0 ? -EIO : 0;
}

int
test_peer_create(struct test_peer *p, enum test_peer_kind kind,
		unsigned int idx, uint16_t mtu)
{
	const int pid = (int)getpid();
	int ret;

	memset(p, 0, sizeof(*p));
	p->port_id = TEST_NO_PORT;
	if (idx >= TEST_PEER_MAX_IDX || mtu < 1280 || !test_is_root())
		return -EINVAL;
	if (kind == TEST_PEER_TAP && mtu > RTE_ETHER_MTU) {
		/* max_rx_pktlen 1522: rte_eth_dev_set_mtu() refuses more,
		 * and the PMD drops TX frames over its MTU. */
		printf("#   netns: net_tap supports no MTU above %u\n",
			RTE_ETHER_MTU);
		return -EINVAL;
	}
	p->kind = kind;
	p->idx = idx;
	p->mtu = mtu;
	snprintf(p->ns, sizeof(p->ns), "gso%dn%u", pid, idx);
	if (kind == TEST_PEER_AF_PACKET) {
		snprintf(p->if_host, sizeof(p->if_host), "gso%dh%u", pid, idx);
		snprintf(p->if_ns, sizeof(p->if_ns), "gso%dp%u", pid, idx);
		snprintf(p->vdev, sizeof(p->vdev), "net_af_packetns%u", idx);
	} else {
		snprintf(p->if_host, sizeof(p->if_host), "gso%dt%u", pid, idx);
		snprintf(p->if_ns, sizeof(p->if_ns), "gso%dt%u", pid, idx);
		snprintf(p->vdev, sizeof(p->vdev), "net_tapns%u", idx);
	}
	p->ip4_local = rte_cpu_to_be_32(RTE_IPV4(10, 200 + idx, pid % 250, 1));
	p->ip4_peer = rte_cpu_to_be_32(RTE_IPV4(10, 200 + idx, pid % 250, 2));
	p->ip6_local[0] = p->ip6_peer[0] = 0xfd;
	p->ip6_local[2] = p->ip6_peer[2] = (uint8_t)(pid >> 8);
	p->ip6_local[3] = p->ip6_peer[3] = (uint8_t)pid;
	p->ip6_local[5] = p->ip6_peer[5] = (uint8_t)idx;
	p->ip6_local[15] = 1;
	p->ip6_peer[15] = 2;

	sweep_stale();
	/* Ours, left by an earlier process of the same pid. */
	test_sh("ip netns del %s 2>/dev/null; ip link del %s 2>/dev/null",
		p->ns, p->if_host);
	if (test_sh("ip netns add %s", p->ns) != 0) {
		printf("#   netns: cannot create namespace %s\n", p->ns);
		return -EIO;
	}
	p->ns_made = true;
	ret = kind == TEST_PEER_AF_PACKET ? peer_create_af_packet(p) :
		peer_create_tap(p);
	if (ret == 0)
		ret = peer_ns_apply(p);
	if (ret != 0)
		test_peer_destroy(p);
	return ret;
}

static int
port_close_cb(void *arg)
{
	test_port_close(*(uint16_t *)arg);
	return 0;
}

void
test_peer_destroy(struct test_peer *p)
{
	if (p->vdev_made) {
		if (p->port_id != TEST_NO_PORT)
			test_peer_run(p, port_close_cb, &p->port_id);
		/* The port is released; this removes the vdev itself, so
		 * that the name can be created again. */
		rte_vdev_uninit(p->vdev);
		p->vdev_made = false;
		p->port_id = TEST_NO_PORT;
	}
	if (p->link_made) {
		test_sh("ip link del %s 2>/dev/null", p->if_host);
		p->link_made = false;
	}
	if (p->ns_made) {
		test_sh("ip netns del %s 2>/dev/null", p->ns);
		p->ns_made = false;
	}
}

int
test_peer_run(const struct test_peer *p, int (*fn)(void *arg), void *arg)
{
	int saved, ret;

	if (p->kind != TEST_PEER_TAP)
		return fn(arg);
	ret = ns_enter(p->ns, &saved);
	if (ret != 0)
		return ret;
	ret = fn(arg);
	ns_leave(saved);
	return ret;
}

struct port_start_arg {
	const struct test_peer *p;
	struct rte_mempool *pool;
	uint64_t tx_offloads;
};

static int
port_start_cb(void *arg)
{
	const struct port_start_arg *a = arg;
	int ret;

	if (a->p->framesz != 0 && rte_pktmbuf_data_room_size(a->pool) <
			a->p->framesz - 32 + RTE_PKTMBUF_HEADROOM) {
		printf("#   netns: %s needs a pool data room of %u for MTU %u\n",
			a->p->vdev, a->p->framesz - 32 + RTE_PKTMBUF_HEADROOM,
			a->p->mtu);
		return -ENOSPC;
	}
	ret = test_port_start_simple(a->p->port_id, a->pool, a->tx_offloads);
	if (ret == 0 && a->p->kind == TEST_PEER_TAP && a->p->mtu != RTE_ETHER_MTU)
		ret = rte_eth_dev_set_mtu(a->p->port_id, a->p->mtu);
	return ret;
}

int
test_peer_port_start(const struct test_peer *p, struct rte_mempool *pool,
		uint64_t tx_offloads)
{
	struct port_start_arg a = { p, pool, tx_offloads };

	return test_peer_run(p, port_start_cb, &a);
}

/* Find "Group:Field" in the two-line tables of /proc/net/snmp, netstat. */
static long long
counter_pairs(FILE *f, const char *group, const char *field)
{
	char hdr[4096], val[4096], *hs, *vs, *h, *v;
	size_t glen = strlen(group);

	while (fgets(hdr, sizeof(hdr), f) != NULL) {
		if (strncmp(hdr, group, glen) != 0 || hdr[glen] != ':')
			continue;
		if (fgets(val, sizeof(val), f) == NULL)
			break;
		h = strtok_r(hdr + glen + 1, " \n", &hs);
		v = strtok_r(val + glen + 1, " \n", &vs);
		while (h != NULL && v != NULL) {
			if (strcmp(h, field) == 0)
				return strtoll(v, NULL, 10);
			h = strtok_r(NULL, " \n", &hs);
			v = strtok_r(NULL, " \n", &vs);
		}
	}
	return -1;
}

static long long
counter_lines(FILE *f, const char *name)
{
	char line[256], key[128];
	long long v;

	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "%127s %lld", key, &v) == 2 &&
				strcmp(key, name) == 0)
			return v;
	return -1;
}

long long
test_peer_counter(const struct test_peer *p, const char *name)
{
	static const char *const pair_files[] = {
		"/proc/thread-self/net/snmp", "/proc/thread-self/net/netstat",
	};
	const char *colon = strchr(name, ':');
	long long v = -1;
	int saved;
	FILE *f;

	if (ns_enter(p->ns, &saved) != 0)
		return -1;
	if (colon != NULL) {
		char group[64];

		snprintf(group, sizeof(group), "%.*s", (int)(colon - name), name);
		for (unsigned int i = 0; i < RTE_DIM(pair_files) && v < 0; i++) {
			f = fopen(pair_files[i], "re");
			if (f == NULL)
				continue;
			v = counter_pairs(f, group, colon + 1);
			fclose(f);
		}
	} else {
		f = fopen("/proc/thread-self/net/snmp6", "re");
		if (f != NULL) {
			v = counter_lines(f, name);
			fclose(f);
		}
	}
	ns_leave(saved);
	return v;
}

/* ---------------------------------------------------------------------- */
/* Receivers. */

static const char *
receiver_script(void)
{
	const char *s = getenv("TEST_NETNS_RECEIVER");

	return s != NULL && s[0] != '\0' ? s : TEST_NETNS_RECEIVER;
}

/* Read what is there until deadline: 1 on EOF, 0 on data, <0 error. */
static int
receiver_read(struct test_receiver *r, uint64_t deadline)
{
	struct pollfd pfd = { .fd = r->fd, .events = POLLIN };
	uint64_t now = now_ms();
	ssize_t n;
	int ret;

	if (now >= deadline)
		return -ETIMEDOUT;
	ret = poll(&pfd, 1, (int)RTE_MIN(deadline - now, (uint64_t)INT32_MAX));
	if (ret < 0)
		return errno == EINTR ? 0 : -errno;
	if (ret == 0)
		return -ETIMEDOUT;
	if (r->out_cap - r->out_len < 4096) {
		size_t cap = RTE_MAX(r->out_cap * 2, (size_t)16384);
		char *b = realloc(r->out, cap);

		if (b == NULL)
			return -ENOMEM;
		r->out = b;
		r->out_cap = cap;
	}
	n = read(r->fd, r->out + r->out_len, r->out_cap - r->out_len - 1);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -errno;
	if (n == 0)
		return 1;
	r->out_len += (size_t)n;
	r->out[r->out_len] = '\0';
	return 0;
}

int
test_peer_case_end(struct test_peer *p, struct test_receiver *r,
		struct test_receiver_result *res, unsigned int (*in_use)(void),
		unsigned int base, int rc)
{
	test_receiver_stop(r);
	test_receiver_result_free(res);
	test_peer_destroy(p);
	if (in_use() != base) {
		printf("#   %u mbufs leaked\n", in_use() - base);
		rc = TEST_FAIL;
	}
	return rc;
}

void
test_receiver_stop(struct test_receiver *r)
{
	if (r->pid > 0) {
		kill(r->pid, SIGKILL);
		while (waitpid(r->pid, NULL, 0) < 0 && errno == EINTR)
			;
		close(r->fd);
	}
	r->pid = -1;
	r->fd = -1;
	free(r->out);
	r->out = NULL;
	r->out_len = r->out_cap = 0;
}

int
test_receiver_start_ex(struct test_receiver *r, const struct test_peer *p,
		int family, int proto, uint16_t port,
		unsigned int expect_datagrams, unsigned int idle_ms,
		unsigned int timeout_ms)
{
	char addr[INET6_ADDRSTRLEN], sport[8], sexpect[16], sidle[16], stmo[16];
	const char *argv[] = {
		"ip", "netns", "exec", p->ns, "python3", "-B", receiver_script(),
		"--family", family == 4 ? "4" : "6",
		"--proto", proto == IPPROTO_TCP ? "tcp" : "udp",
		"--addr", addr, "--port", sport, "--expect", sexpect,
		"--idle-ms", sidle, "--timeout-ms", stmo, NULL,
	};
	const uint64_t deadline = now_ms() + 10000;
	pid_t parent = getpid();
	int fds[2], ret;
	char *nl;

	memset(r, 0, sizeof(*r));
	r->pid = -1;
	r->fd = -1;
	r->proto = proto;
	if ((family != 4 && family != 6) ||
			(proto != IPPROTO_TCP && proto != IPPROTO_UDP))
		return -EINVAL;
	ret = test_peer_refresh(p);
	if (ret != 0)
		return ret;
	test_peer_addr_str(p, family, false, addr, sizeof(addr));
	snprintf(sport, sizeof(sport), "%u", port);
	snprintf(sexpect, sizeof(sexpect), "%u", expect_datagrams);
	snprintf(sidle, sizeof(sidle), "%u", idle_ms);
	snprintf(stmo, sizeof(stmo), "%u", timeout_ms);

	if (pipe2(fds, O_CLOEXEC) != 0)
		return -errno;
	fflush(stdout);
	fflush(stderr);
	r->pid = fork();
	if (r->pid < 0) {
		ret = -errno;
		close(fds[0]);
		close(fds[1]);
		r->pid = -1;
		return ret;
	}
	if (r->pid == 0) {
		sigset_t none;

		/* Never outlive the test, even when it crashes. */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(127);
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (dup2(fds[1], STDOUT_FILENO) < 0)
			_exit(127);
		/* No port socket, tap queue or pipe end of ours in there. */
		if (syscall(SYS_close_range, 3u, ~0u, 0u) != 0)
			for (int fd = 3; fd < 1024; fd++)
				close(fd);
		execvp("ip", (char **)(uintptr_t)argv);
		_exit(127);
	}
	close(fds[1]);
	r->fd = fds[0];

	/* Wait for "ready": the socket is bound / listening. */
	for (;;) {
		nl = r->out != NULL ? memchr(r->out, '\n', r->out_len) : NULL;
		if (nl != NULL)
			break;
		ret = receiver_read(r, deadline);
		if (ret != 0) {
			printf("#   receiver in %s: %s before \"ready\"\n", p->ns,
				ret > 0 ? "EOF" : strerror(-ret));
			test_receiver_stop(r);
			return ret > 0 ? -EIO : ret;
		}
	}
	if (nl - r->out != 5 || memcmp(r->out, "ready", 5) != 0) {
		printf("#   receiver in %s said: %.*s\n", p->ns,
			(int)(nl - r->out), r->out);
		test_receiver_stop(r);
		return -EIO;
	}
	r->out_len -= (size_t)(nl + 1 - r->out);
	memmove(r->out, nl + 1, r->out_len + 1);
	return 0;
}

int
test_receiver_start(struct test_receiver *r, const struct test_peer *p,
		int family, int proto, uint16_t port,
		unsigned int expect_datagrams)
{
	/* TCP: no idle limit of its own; the test stops a stalled one. */
	return test_receiver_start_ex(r, p, family, proto, port,
		expect_datagrams,
		proto == IPPROTO_TCP ? TEST_RECEIVER_TIMEOUT_MS :
			TEST_RECEIVER_IDLE_MS,
		TEST_RECEIVER_TIMEOUT_MS);
}

/* Parse the script's report; 0 when complete ("end" seen). */
static int
receiver_parse(char *out, struct test_receiver_result *res)
{
	char *save, *line;
	bool end = false;

	for (line = strtok_r(out, "\n", &save); line != NULL;
			line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "status ", 7) == 0) {
			snprintf(res->status, sizeof(res->status), "%s", line + 7);
			res->complete = strcmp(res->status, "ok") == 0;
		} else if (strncmp(line, "bytes ", 6) == 0) {
			res->bytes = strtoull(line + 6, NULL, 10);
		} else if (strncmp(line, "datagrams ", 10) == 0) {
			res->nb_datagrams = (unsigned int)strtoul(line + 10, NULL, 10);
		} else if (strncmp(line, "sizes", 5) == 0) {
			char *s = line + 5, *e;
			unsigned int n = 0;

			free(res->sizes);
			res->sizes = calloc(res->nb_datagrams + 1, sizeof(uint32_t));
			if (res->sizes == NULL)
				return -ENOMEM;
			while (n < res->nb_datagrams) {
				unsigned long v = strtoul(s, &e, 10);

				if (e == s)
					break;
				res->sizes[n++] = (uint32_t)v;
				s = e;
			}
			if (n != res->nb_datagrams)
				return -EPROTO;
		} else if (strncmp(line, "sha256 ", 7) == 0) {
			snprintf(res->sha256, sizeof(res->sha256), "%s", line + 7);
		} else if (strcmp(line, "end") == 0) {
			end = true;
		}
	}
	return end && res->status[0] != '\0' ? 0 : -EPROTO;
}

int
test_receiver_wait(struct test_receiver *r, unsigned int timeout_ms,
		struct test_receiver_result *res)
{
	uint64_t deadline = now_ms() + timeout_ms;
	int ret = 0, rd, st;

	memset(res, 0, sizeof(*res));
	if (r->pid <= 0)
		return -ECHILD;
	while ((rd = receiver_read(r, deadline)) == 0)
		;
	if (rd == -ETIMEDOUT) {
		/* The script reports what it has on SIGTERM. */
		ret = -ETIMEDOUT;
		kill(r->pid, SIGTERM);
		deadline = now_ms() + 1000;
		while ((rd = receiver_read(r, deadline)) == 0)
			;
		if (rd != 1)
			kill(r->pid, SIGKILL);
	} else if (rd < 0) {
		ret = rd;
		kill(r->pid, SIGKILL);
	}
	close(r->fd);
	while (waitpid(r->pid, &st, 0) < 0 && errno == EINTR)
		;
	r->pid = -1;
	r->fd = -1;
	if (r->out != NULL) {
		rd = receiver_parse(r->out, res);
		if (rd != 0 && ret == 0)
			ret = rd;
	} else if (ret == 0) {
		ret = -EPROTO;
	}
	free(r->out);
	r->out = NULL;
	r->out_len = r->out_cap = 0;
	return ret;
}

void
test_receiver_result_free(struct test_receiver_result *res)
{
	free(res->sizes);
	res->sizes = NULL;
}

/* ---------------------------------------------------------------------- */
/* Packets. */

#define SEQ_LT(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) < 0)
#define SEQ_LEQ(a, b) ((int32_t)((uint32_t)(a) - (uint32_t)(b)) <= 0)
#define SEQ_GT(a, b) SEQ_LT(b, a)
#define SEQ_GEQ(a, b) SEQ_LEQ(b, a)

#define TCP_OPT_EOL 0
#define TCP_OPT_NOP 1
#define TCP_OPT_MSS 2
#define TCP_OPT_WS 3
#define TCP_OPT_TS 8

/* Router Alert (copied), NOP, NOP, NOP, EOL. */
static const uint8_t ip4_opts[8] = { 0x94, 0x04, 0x00, 0x00, 1, 1, 1, 0 };

struct flow {
	const struct test_peer *p;
	struct rte_mempool *pool;
	int family;
	uint8_t proto;
	uint16_t sport, dport;
	uint16_t l3_len;
	bool ip_options;
};

static uint16_t ip4_id;

static void
flow_init(struct flow *f, const struct test_peer *p,
		const struct test_tcp_opts *o, uint8_t proto)
{
	f->p = p;
	f->pool = o->pool;
	f->family = o->family;
	f->proto = proto;
	f->dport = o->dport;
	f->ip_options = o->family == 4 && o->ip_options;
	f->l3_len = o->family == 4 ?
		sizeof(struct rte_ipv4_hdr) + (f->ip_options ? sizeof(ip4_opts) : 0) :
		sizeof(struct rte_ipv6_hdr);
}

/*
 * Ethernet + IP + the L4 header l4h (l4_len bytes) + plen bytes of
 * payload: one mbuf when it fits, else a chain (headers in the first).
 * Checksums and offload flags are the caller's.
 */
static struct rte_mbuf *
pkt_build(const struct flow *f, const void *l4h, uint16_t l4_len,
		const uint8_t *payload, uint32_t plen)
{
	const uint16_t hlen = RTE_ETHER_HDR_LEN + f->l3_len + l4_len;
	struct rte_mbuf *m, *seg;
	struct rte_ether_hdr *eth;
	uint32_t done, n;
	uint8_t *d;

	m = rte_pktmbuf_alloc(f->pool);
	if (m == NULL)
		return NULL;
	d = (uint8_t *)rte_pktmbuf_append(m, hlen);
	if (d == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	eth = (struct rte_ether_hdr *)d;
	rte_ether_addr_copy(&f->p->mac_peer, &eth->dst_addr);
	rte_ether_addr_copy(&f->p->mac_local, &eth->src_addr);
	if (f->family == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(eth + 1);

		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		memset(ip, 0, sizeof(*ip));
		ip->version_ihl = (uint8_t)(0x40 | (f->l3_len / 4));
		ip->total_length = rte_cpu_to_be_16((uint16_t)(f->l3_len + l4_len +
				plen));
		ip->packet_id = rte_cpu_to_be_16(ip4_id++);
		/* DF for TCP; UDP superframes may become IP fragments. */
		if (f->proto == IPPROTO_TCP)
			ip->fragment_offset = rte_cpu_to_be_16(RTE_IPV4_HDR_DF_FLAG);
		ip->time_to_live = 64;
		ip->next_proto_id = f->proto;
		ip->src_addr = f->p->ip4_local;
		ip->dst_addr = f->p->ip4_peer;
		if (f->ip_options)
			memcpy(ip + 1, ip4_opts, sizeof(ip4_opts));
	} else {
		struct rte_ipv6_hdr *ip6 = (struct rte_ipv6_hdr *)(eth + 1);

		eth->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6);
		ip6->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip6->payload_len = rte_cpu_to_be_16((uint16_t)(l4_len + plen));
		ip6->proto = f->proto;
		ip6->hop_limits = 64;
		memcpy(gso_ipv6_src(ip6), f->p->ip6_local, 16);
		memcpy(gso_ipv6_dst(ip6), f->p->ip6_peer, 16);
	}
	memcpy(d + RTE_ETHER_HDR_LEN + f->l3_len, l4h, l4_len);
	m->l2_len = RTE_ETHER_HDR_LEN;
	m->l3_len = f->l3_len;
	m->l4_len = l4_len;

	n = RTE_MIN(plen, (uint32_t)rte_pktmbuf_tailroom(m));
	if (n > 0)
		memcpy(rte_pktmbuf_append(m, (uint16_t)n), payload, n);
	for (done = n; done < plen; done += n) {
		seg = rte_pktmbuf_alloc(f->pool);
		if (seg == NULL) {
			rte_pktmbuf_free(m);
			return NULL;
		}
		n = RTE_MIN(plen - done, (uint32_t)rte_pktmbuf_tailroom(seg));
		memcpy(rte_pktmbuf_append(seg, (uint16_t)n), payload + done, n);
		if (rte_pktmbuf_chain(m, seg) != 0) {
			rte_pktmbuf_free(seg);
			rte_pktmbuf_free(m);
			return NULL;
		}
	}
	return m;
}

/* Software checksums of a single-segment packet built by pkt_build(). */
static void
pkt_cksum(const struct flow *f, struct rte_mbuf *m, uint16_t cksum_off)
{
	uint8_t *l3 = rte_pktmbuf_mtod_offset(m, uint8_t *, m->l2_len);
	uint8_t *l4 = l3 + m->l3_len;
	uint16_t ck;

	memset(l4 + cksum_off, 0, 2);
	if (f->family == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)l3;

		ip->hdr_checksum = 0;
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		ck = rte_ipv4_udptcp_cksum(ip, l4);
	} else {
		ck = rte_ipv6_udptcp_cksum((struct rte_ipv6_hdr *)l3, l4);
	}
	memcpy(l4 + cksum_off, &ck, 2);
}

static int
tx_one(uint16_t port_id, struct rte_mbuf *m)
{
	uint64_t deadline = now_ms() + 100;

	do {
		if (rte_eth_tx_burst(port_id, 0, &m, 1) == 1)
			return 0;
	} while (now_ms() < deadline);
	rte_pktmbuf_free(m);
	return -EIO;
}

/* ---------------------------------------------------------------------- */
/* TCP. */

enum tcp_st { TCP_SYN_SENT, TCP_ESTABLISHED };

struct tcp {
	struct flow f;
	enum tcp_st st;
	uint32_t iss, snd_una, snd_nxt, rcv_nxt;
	uint32_t snd_wnd;
	uint8_t snd_wscale;	/* the peer's shift, once agreed */
	uint16_t peer_mss;
	bool ts_on;		/* timestamps agreed */
	uint32_t ts_recent;	/* the peer's last TSval */
	bool peer_fin, reset;
	uint64_t acks;		/* segments of the flow received */
};

static uint16_t
tcp_hdr_fill(const struct tcp *t, uint8_t *buf, uint32_t seq, uint8_t flags)
{
	struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)buf;
	uint8_t *o = buf + sizeof(*th);
	bool syn = flags & RTE_TCP_SYN_FLAG;

	memset(th, 0, sizeof(*th));
	th->src_port = rte_cpu_to_be_16(t->f.sport);
	th->dst_port = rte_cpu_to_be_16(t->f.dport);
	th->sent_seq = rte_cpu_to_be_32(seq);
	th->recv_ack = (flags & RTE_TCP_ACK_FLAG) ? rte_cpu_to_be_32(t->rcv_nxt) : 0;
	th->tcp_flags = flags;
	/* Our window scale is 0: the peer sends nothing but ACKs. */
	th->rx_win = rte_cpu_to_be_16(UINT16_MAX);
	if (syn) {
		uint16_t mss = t->f.p->mtu - t->f.l3_len - sizeof(*th);

		*o++ = TCP_OPT_MSS;
		*o++ = 4;
		*o++ = (uint8_t)(mss >> 8);
		*o++ = (uint8_t)mss;
		*o++ = TCP_OPT_NOP;
		*o++ = TCP_OPT_WS;
		*o++ = 3;
		*o++ = 0;
	}
	if (t->ts_on) {
		uint32_t v = rte_cpu_to_be_32((uint32_t)now_ms());
		uint32_t e = rte_cpu_to_be_32(t->ts_recent);

		*o++ = TCP_OPT_NOP;
		*o++ = TCP_OPT_NOP;
		*o++ = TCP_OPT_TS;
		*o++ = 10;
		memcpy(o, &v, 4);
		memcpy(o + 4, &e, 4);
		o += 8;
	}
	th->data_off = (uint8_t)(((o - buf) / 4) << 4);
	return (uint16_t)(o - buf);
}

/* SYN, pure ACK, FIN: straight to the port, software checksums. */
static int
tcp_ctl(struct tcp *t, uint32_t seq, uint8_t flags)
{
	uint8_t hdr[60];
	uint16_t l4_len = tcp_hdr_fill(t, hdr, seq, flags);
	struct rte_mbuf *m = pkt_build(&t->f, hdr, l4_len, NULL, 0);

	if (m == NULL)
		return -ENOMEM;
	pkt_cksum(&t->f, m, offsetof(struct rte_tcp_hdr, cksum));
	return tx_one(t->f.p->port_id, m);
}

static void
tcp_parse_opts(struct tcp *t, const uint8_t *o, unsigned int len, bool syn)
{
	unsigned int i = 0;

	while (i < len) {
		uint8_t kind = o[i], olen;

		if (kind == TCP_OPT_EOL)
			break;
		if (kind == TCP_OPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= len)
			break;
		olen = o[i + 1];
		if (olen < 2 || i + olen > len)
			break;
		if (syn && kind == TCP_OPT_MSS && olen == 4)
			t->peer_mss = (uint16_t)(o[i + 2] << 8 | o[i + 3]);
		else if (syn && kind == TCP_OPT_WS && olen == 3)
			t->snd_wscale = RTE_MIN(o[i + 2], 14);
		else if (kind == TCP_OPT_TS && olen == 10) {
			uint32_t v;

			memcpy(&v, o + i + 2, 4);
			t->ts_recent = rte_be_to_cpu_32(v);
			if (syn)
				t->ts_on = true;
		}
		i += olen;
	}
}

/* One received frame: is it ours, and what does it say. */
static void
tcp_input(struct tcp *t, const struct rte_mbuf *m)
{
	union {
		struct rte_ipv4_hdr v4;
		struct rte_ipv6_hdr v6;
	} ipb;
	struct rte_ether_hdr ethb;
	struct rte_tcp_hdr thb;
	const struct rte_ether_hdr *eth;
	const struct rte_tcp_hdr *th;
	uint8_t optb[40];
	const uint8_t *opts = NULL;
	uint32_t off, l4_total, seq, ack, plen;
	unsigned int hl;
	bool syn;

	eth = rte_pktmbuf_read(m, 0, sizeof(ethb), &ethb);
	if (eth == NULL)
		return;
	off = sizeof(*eth);
	if (t->f.family == 4) {
		const struct rte_ipv4_hdr *ip;

		if (eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4))
			return;
		ip = rte_pktmbuf_read(m, off, sizeof(ipb.v4), &ipb.v4);
		if (ip == NULL || ip->next_proto_id != IPPROTO_TCP ||
				ip->src_addr != t->f.p->ip4_peer ||
				ip->dst_addr != t->f.p->ip4_local ||
				(ip->fragment_offset &
				 rte_cpu_to_be_16(RTE_IPV4_HDR_OFFSET_MASK |
					RTE_IPV4_HDR_MF_FLAG)))
			return;
		hl = rte_ipv4_hdr_len(ip);
		if (rte_be_to_cpu_16(ip->total_length) < hl)
			return;
		l4_total = rte_be_to_cpu_16(ip->total_length) - hl;
		off += hl;
	} else {
		const struct rte_ipv6_hdr *ip6;

		if (eth->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV6))
			return;
		ip6 = rte_pktmbuf_read(m, off, sizeof(ipb.v6), &ipb.v6);
		/* The kernel sends TCP without extension headers. */
		if (ip6 == NULL || ip6->proto != IPPROTO_TCP ||
				memcmp(gso_ipv6_src_const(ip6), t->f.p->ip6_peer, 16) != 0 ||
				memcmp(gso_ipv6_dst_const(ip6), t->f.p->ip6_local, 16) != 0)
			return;
		l4_total = rte_be_to_cpu_16(ip6->payload_len);
		off += sizeof(*ip6);
	}
	th = rte_pktmbuf_read(m, off, sizeof(thb), &thb);
	if (th == NULL || th->src_port != rte_cpu_to_be_16(t->f.dport) ||
			th->dst_port != rte_cpu_to_be_16(t->f.sport))
		return;
	hl = (th->data_off >> 4) * 4u;
	if (hl < sizeof(*th) || l4_total < hl)
		return;
	/* Checksums are not verified: see the top of this file. */
	if (hl > sizeof(*th))
		opts = rte_pktmbuf_read(m, off + sizeof(*th), hl - sizeof(*th), optb);
	plen = l4_total - hl;
	seq = rte_be_to_cpu_32(th->sent_seq);
	ack = rte_be_to_cpu_32(th->recv_ack);
	syn = th->tcp_flags & RTE_TCP_SYN_FLAG;
	t->acks++;

	if (th->tcp_flags & RTE_TCP_RST_FLAG) {
		t->reset = true;
		return;
	}
	if (t->st == TCP_SYN_SENT) {
		if (!syn || !(th->tcp_flags & RTE_TCP_ACK_FLAG) ||
				ack != t->iss + 1)
			return;
		t->peer_mss = 536;
		t->snd_wscale = 0;
		t->ts_on = false;
		if (opts != NULL)
			tcp_parse_opts(t, opts, hl - sizeof(*th), true);
		/* Scaling only when both offered it: we always do. The window
		 * of a SYN is never scaled. */
		t->snd_wnd = rte_be_to_cpu_16(th->rx_win);
		t->rcv_nxt = seq + 1;
		t->snd_una = ack;
		t->st = TCP_ESTABLISHED;
		return;
	}
	if (syn)
		return;	/* a retransmitted SYN-ACK: our ACK follows anyway */
	if (opts != NULL)
		tcp_parse_opts(t, opts, hl - sizeof(*th), false);
	if (th->tcp_flags & RTE_TCP_ACK_FLAG) {
		if (SEQ_GT(ack, t->snd_una) && SEQ_LEQ(ack, t->snd_nxt))
			t->snd_una = ack;
		if (SEQ_GEQ(ack, t->snd_una))
			t->snd_wnd = (uint32_t)rte_be_to_cpu_16(th->rx_win) <<
				t->snd_wscale;
	}
	if ((th->tcp_flags & RTE_TCP_FIN_FLAG) && !t->peer_fin) {
		t->rcv_nxt = seq + plen + 1;
		t->peer_fin = true;
	}
}

static void
tcp_poll(struct tcp *t)
{
	struct rte_mbuf *pkts[32];
	uint16_t n, i;

	n = rte_eth_rx_burst(t->f.p->port_id, 0, pkts, RTE_DIM(pkts));
	for (i = 0; i < n; i++) {
		tcp_input(t, pkts[i]);
		rte_pktmbuf_free(pkts[i]);
	}
}

static int
check_args(const struct test_peer *p, const struct test_tcp_opts *o,
		const uint8_t *data, size_t len, test_xmit_fn xmit)
{
	if (p == NULL || o == NULL || xmit == NULL || o->pool == NULL ||
			(o->family != 4 && o->family != 6) || o->dport == 0 ||
			(data == NULL && len != 0) || len > (1u << 30) ||
			!rte_eth_dev_is_valid_port(p->port_id))
		return -EINVAL;
	return 0;
}

int
test_tcp_send_stream(const struct test_peer *p, const struct test_tcp_opts *o,
		const uint8_t *data, size_t len, test_xmit_fn xmit, void *arg)
{
	const unsigned int timeout = o != NULL && o->timeout_ms ? o->timeout_ms : 5000;
	uint32_t base, sf_max, wnd_seen;
	uint16_t mss, l4_len, optlen;
	size_t off_una = 0, off_nxt = 0;
	uint64_t deadline;
	struct tcp t;
	int nb_sf = 0, ret;

	ret = check_args(p, o, data, len, xmit);
	if (ret != 0)
		return ret;
	memset(&t, 0, sizeof(t));
	flow_init(&t.f, p, o, IPPROTO_TCP);
	t.f.sport = o->sport != 0 ? o->sport :
		(uint16_t)(32768 + rte_rand_max(60999 - 32768));
	t.iss = (uint32_t)rte_rand();
	t.snd_una = t.iss;
	t.snd_nxt = t.iss + 1;
	t.st = TCP_SYN_SENT;
	t.ts_on = o->tcp_options;	/* offered in the SYN */

	/* Handshake. */
	ret = tcp_ctl(&t, t.iss, RTE_TCP_SYN_FLAG);
	if (ret != 0)
		return ret;
	deadline = now_ms() + timeout;
	while (t.st == TCP_SYN_SENT && !t.reset && now_ms() < deadline)
		tcp_poll(&t);
	if (t.reset) {
		printf("#   tcp: connection refused (RST) by the peer\n");
		return -ECONNREFUSED;
	}
	if (t.st == TCP_SYN_SENT) {
		printf("#   tcp: no SYN-ACK within %u ms (%" PRIu64 " segments of "
			"the flow seen)\n", timeout, t.acks);
		return -ETIMEDOUT;
	}
	if (o->tcp_options && !t.ts_on)
		printf("#   tcp: the peer refused timestamps: no TCP options\n");
	ret = tcp_ctl(&t, t.snd_nxt, RTE_TCP_ACK_FLAG);
	if (ret != 0)
		return ret;

	/* Data. */
	optlen = t.ts_on ? 12 : 0;
	l4_len = sizeof(struct rte_tcp_hdr) + optlen;
	mss = o->mss != 0 ? o->mss :
		(uint16_t)(t.peer_mss - optlen -
			(t.f.ip_options ? sizeof(ip4_opts) : 0));
	sf_max = o->sf_payload != 0 ? o->sf_payload : 64000;
	sf_max = RTE_MIN(sf_max, (uint32_t)(UINT16_MAX - l4_len -
			(o->family == 4 ? t.f.l3_len : 0)));
	base = t.iss + 1;
	wnd_seen = t.snd_wnd;
	deadline = now_ms() + timeout;
	while (off_una < len) {
		while (off_nxt < len) {
			size_t inflight = off_nxt - off_una;
			size_t avail = t.snd_wnd > inflight ? t.snd_wnd - inflight : 0;
			uint32_t n = (uint32_t)RTE_MIN(RTE_MIN((size_t)sf_max,
					len - off_nxt), avail);
			uint8_t hdr[60];
			struct rte_mbuf *sf;

			/* No tiny superframes (window-limited) while data is
			 * in flight: wait for the window to open. */
			if (n == 0 || (n < RTE_MIN(RTE_MIN((size_t)mss,
					(size_t)sf_max), len - off_nxt) &&
					inflight > 0))
				break;
			tcp_hdr_fill(&t, hdr, base + (uint32_t)off_nxt,
				RTE_TCP_ACK_FLAG | RTE_TCP_PSH_FLAG);
			sf = pkt_build(&t.f, hdr, l4_len, data + off_nxt, n);
			if (sf == NULL) {
				printf("#   tcp: no mbuf for a superframe\n");
				return -ENOMEM;
			}
			sf->ol_flags = RTE_MBUF_F_TX_TCP_SEG | (o->family == 4 ?
				RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6);
			sf->tso_segsz = mss;
			ret = xmit(arg, p->port_id, sf);
			if (ret < 0) {
				printf("#   tcp: xmit failed: %s\n", strerror(-ret));
				return ret;
			}
			nb_sf++;
			off_nxt += n;
			t.snd_nxt = base + (uint32_t)off_nxt;
		}
		tcp_poll(&t);
		if (t.reset) {
			printf("#   tcp: reset by the peer at %zu/%zu\n", off_una, len);
			return -ECONNRESET;
		}
		if ((uint32_t)(t.snd_una - base) != off_una || t.snd_wnd != wnd_seen) {
			off_una = (uint32_t)(t.snd_una - base);
			wnd_seen = t.snd_wnd;
			deadline = now_ms() + timeout;
		} else if (now_ms() >= deadline) {
			printf("#   tcp: no progress for %u ms: acked %zu, sent %zu "
				"of %zu, window %u (no retransmission)\n", timeout,
				off_una, off_nxt, len, t.snd_wnd);
			return -ETIMEDOUT;
		}
	}

	/* FIN; then the peer's FIN (the receiver closes at EOF). */
	ret = tcp_ctl(&t, t.snd_nxt, RTE_TCP_FIN_FLAG | RTE_TCP_ACK_FLAG);
	if (ret != 0)
		return ret;
	t.snd_nxt++;
	deadline = now_ms() + timeout;
	while ((t.snd_una != t.snd_nxt || !t.peer_fin) && !t.reset &&
			now_ms() < deadline)
		tcp_poll(&t);
	if (t.reset || t.snd_una != t.snd_nxt || !t.peer_fin) {
		printf("#   tcp: close: %s, FIN %sacked, peer FIN %sseen\n",
			t.reset ? "reset" : "timeout",
			t.snd_una == t.snd_nxt ? "" : "not ",
			t.peer_fin ? "" : "not ");
		return t.reset ? -ECONNRESET : -ETIMEDOUT;
	}
	ret = tcp_ctl(&t, t.snd_nxt, RTE_TCP_ACK_FLAG);
	return ret != 0 ? ret : nb_sf;
}

/* ---------------------------------------------------------------------- */
/* UDP. */

int
test_udp_send(const struct test_peer *p, const struct test_tcp_opts *o,
		const uint8_t *data, size_t len, test_xmit_fn xmit, void *arg)
{
	static uint16_t sport;
	struct rte_udp_hdr uh;
	struct flow f;
	uint32_t sf_max;
	uint16_t mss;
	size_t off = 0;
	int nb_sf = 0, ret;

	ret = check_args(p, o, data, len, xmit);
	if (ret != 0)
		return ret;
	if (sport == 0)
		sport = (uint16_t)(32768 + rte_rand_max(60999 - 32768));
	flow_init(&f, p, o, IPPROTO_UDP);
	f.sport = o->sport != 0 ? o->sport : sport;
	mss = o->mss != 0 ? o->mss :
		(uint16_t)(p->mtu - f.l3_len - sizeof(uh));
	sf_max = o->sf_payload != 0 ? o->sf_payload : 64000;
	sf_max = RTE_MIN(sf_max, (uint32_t)(UINT16_MAX - sizeof(uh) -
			(o->family == 4 ? f.l3_len : 0)));
	do {
		uint32_t n = (uint32_t)RTE_MIN((size_t)sf_max, len - off);
		struct rte_mbuf *sf;

		uh.src_port = rte_cpu_to_be_16(f.sport);
		uh.dst_port = rte_cpu_to_be_16(f.dport);
		uh.dgram_len = rte_cpu_to_be_16((uint16_t)(sizeof(uh) + n));
		uh.dgram_cksum = 0;
		sf = pkt_build(&f, &uh, sizeof(uh), n ? data + off : NULL, n);
		if (sf == NULL) {
			printf("#   udp: no mbuf for a superframe\n");
			return -ENOMEM;
		}
		sf->ol_flags = RTE_MBUF_F_TX_UDP_SEG | (o->family == 4 ?
			RTE_MBUF_F_TX_IPV4 : RTE_MBUF_F_TX_IPV6);
		sf->tso_segsz = mss;
		ret = xmit(arg, p->port_id, sf);
		if (ret < 0) {
			printf("#   udp: xmit failed: %s\n", strerror(-ret));
			return ret;
		}
		nb_sf++;
		off += n;
	} while (off < len);
	return nb_sf;
}
