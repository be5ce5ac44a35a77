/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * net_vhost: the port's "hardware" is the guest behind the vhost-user
 * socket, and what it can take is what that guest negotiated, known only
 * while it is connected and different from one guest to the next.
 * (DPDK 22.11, drivers/net/vhost/rte_eth_vhost.c and lib/vhost.)
 *
 * - Device info never says: eth_dev_info() reports MULTI_SEGS,
 *   VLAN_INSERT and (compliant offload flags, the default) UDP/TCP_CKSUM,
 *   never TCP_TSO, whoever is connected. The tso=0|1 devarg only decides
 *   whether HOST_TSO4/6 (guest -> us) are offered (probe: disable_flags);
 *   the guest-side features GUEST_TSO4/6 and GUEST_CSUM are offered
 *   regardless and the guest decides.
 * - What the guest negotiated: rte_eth_vhost_get_vid_from_port_id() (the
 *   vid of RX queue 0, -1 once destroy_device() ran) and
 *   rte_vhost_get_negotiated_features().
 * - Handing a TSO mbuf to a guest that did not negotiate GUEST_TSO4/6 is
 *   not refused: lib/vhost/virtio_net.c virtio_enqueue_offload() writes
 *   gso_type TCPV4/TCPV6 and gso_size from RTE_MBUF_F_TX_TCP_SEG without
 *   looking at the negotiated features, breaking the virtio spec's "the
 *   device MUST NOT set gso_type ... if GUEST_TSO4/6 was not negotiated"
 *   (virtio 1.1, 5.1.6.4.1). A guest with small receive buffers cannot
 *   hold it (the enqueue fails, counted as missed); another gets a GSO
 *   packet it never asked for (measured with a net_virtio_user guest
 *   without guest TSO: one 12054-byte packet over its 1500 MTU,
 *   tests/test_caps_runtime.c). Either way the superframe must be cut
 *   here: hardware LSO only while GUEST_TSO4/6 (and GUEST_CSUM, which the
 *   spec requires with them) are negotiated. DPDK's own virtio PMD asks
 *   for GUEST_TSO4/6 with RX offload TCP_LRO and for GUEST_CSUM only with
 *   an RX checksum offload (virtio_dev_configure()): a guest with LRO
 *   alone negotiates TSO without CSUM (measured), and stays in software.
 * - Events: new_device() and destroy_device() raise RTE_ETH_EVENT_INTR_LSC,
 *   vring_state_changed() RTE_ETH_EVENT_QUEUE_STATE, from the vhost-user
 *   thread (the vhost library's socket handler), not from an lcore. The
 *   provider registers for both and only marks the port
 *   (gso_offload_port_caps_changed()); the application's control thread
 *   re-describes it (gso_offload_port_caps_refresh_pending()), because the
 *   switch waits for the pipelines' grace period, which must not happen
 *   in that thread (docs/design.md, "Capabilities that change at run
 *   time").
 * - TX offloads: TCP_TSO is never configured (the PMD does not report it:
 *   rte_eth_dev_configure() would refuse it); RTE_MBUF_F_TX_TCP_SEG is per
 *   packet and eth_vhost_tx() passes it on. So a change of guest never
 *   touches the port: the generic tx_offloads() masks by the reported
 *   capabilities, the port is hitless.
 * - Checksums: vhost writes no checksum into the packet for a guest with
 *   GUEST_CSUM (VIRTIO_NET_HDR_F_NEEDS_CSUM), so the TCP field carries the
 *   pseudo-header sum (recent lib/vhost writes it itself with
 *   rte_net_intel_cksum_prepare(); writing it here as well is harmless).
 *   There is no IPv4 header checksum offload in device info: the library
 *   writes a valid one, which the guest's IP layer checks on the
 *   superframe.
 * - IPv6 with extension headers, UDP: not declared (no GUEST_USO in 22.11;
 *   extension headers in front of a guest GSO packet are untested).
 */

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

#include <rte_eth_vhost.h>
#include <rte_vhost.h>

#include "gso_providers.h"

static const char *const vhost_drivers[] = { "net_vhost", NULL };

/* In the vhost-user thread: mark only (see above). */
static int
vhost_event(uint16_t port_id, enum rte_eth_event_type event, void *cb_arg,
		void *ret_param)
{
	RTE_SET_USED(event);
	RTE_SET_USED(cb_arg);
	RTE_SET_USED(ret_param);
	(void)gso_offload_port_caps_changed(port_id);
	return 0;
}

/* Register for the events that tell a guest came, went or changed its
 * queues. rte_eth_dev_callback_register() keeps one entry per (event,
 * function, argument), so describing the port again registers nothing
 * twice. */
static void
vhost_watch(uint16_t port_id)
{
	(void)rte_eth_dev_callback_register(port_id, RTE_ETH_EVENT_INTR_LSC,
			vhost_event, NULL);
	(void)rte_eth_dev_callback_register(port_id,
			RTE_ETH_EVENT_QUEUE_STATE, vhost_event, NULL);
}

/*
 * rte_eth_vhost_get_vid_from_port_id() lives in the net_vhost PMD, which
 * the library does not link: EAL loads PMDs from its plugin directory
 * with dlopen(RTLD_LOCAL), out of reach of a plain symbol reference. A
 * net_vhost port exists only once that PMD is loaded, so look it up then:
 * in the global scope (an application that links the PMD), else in the
 * loaded PMD by its soname, which shares lib/vhost's version suffix.
 */
typedef int (*vid_from_port_t)(uint16_t port_id);

static vid_from_port_t
vid_from_port_fn(void)
{
	static vid_from_port_t fn;
	const char *const sym = "rte_eth_vhost_get_vid_from_port_id";
	char name[64];
	const char *suffix;
	Dl_info dl;
	void *h;

	if (fn != NULL)
		return fn;
	fn = (vid_from_port_t)(uintptr_t)dlsym(RTLD_DEFAULT, sym);
	if (fn != NULL)
		return fn;
	if (dladdr((void *)(uintptr_t)rte_vhost_get_ifname, &dl) == 0 ||
			dl.dli_fname == NULL ||
			(suffix = strstr(dl.dli_fname, "librte_vhost.so")) == NULL)
		return NULL;
	suffix += strlen("librte_vhost.so");
	/* "librte_vhost.so.23" or the file itself, ".so.23.0": the soname
	 * is the first number. */
	snprintf(name, sizeof(name), "librte_net_vhost.so%.*s",
		(int)(suffix[0] == '.' ? 1 + strcspn(suffix + 1, ".") : 0),
		suffix);
	h = dlopen(name, RTLD_LAZY | RTLD_NOLOAD);
	if (h == NULL)
		return NULL;
	fn = (vid_from_port_t)(uintptr_t)dlsym(h, sym);
	dlclose(h);   /* NOLOAD took a reference; the PMD stays loaded */
	return fn;
}

/*
 * Whether vid is this port's guest: before the port is started, RX queue
 * 0 holds a vid of 0 whoever is connected (queue_setup() runs at start),
 * which may be another port's device. The vhost-user socket path is the
 * port's iface devarg.
 */
static bool
vid_is_ports(int vid, const struct rte_eth_dev_info *info)
{
	const struct rte_devargs *da;
	char ifname[256];
	const char *p;
	size_t n;

	if (info->device == NULL ||
			(da = rte_dev_devargs(info->device)) == NULL ||
			da->args == NULL ||
			rte_vhost_get_ifname(vid, ifname, sizeof(ifname)) != 0)
		return false;
	n = strlen(ifname);
	for (p = strstr(da->args, "iface="); p != NULL;
			p = strstr(p + 1, "iface=")) {
		p += strlen("iface=");
		if (strncmp(p, ifname, n) == 0 && (p[n] == '\0' || p[n] == ','))
			return true;
	}
	return false;
}

static int
vhost_describe(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_caps *caps, struct gso_offload_port_limits *lim)
{
	const uint64_t tso4 = 1ULL << VIRTIO_NET_F_GUEST_TSO4;
	const uint64_t tso6 = 1ULL << VIRTIO_NET_F_GUEST_TSO6;
	const uint64_t csum = 1ULL << VIRTIO_NET_F_GUEST_CSUM;
	vid_from_port_t get_vid;
	struct rte_eth_link link;
	uint64_t features = 0;
	uint32_t l3 = 0;
	int vid;

	vhost_watch(port_id);
	caps->l3_flags = 0;
	caps->l4_flags = 0;
	lim->flags = GSO_OFFLOAD_QUIRK_PHDR_CKSUM;
	/* The link is up from new_device() to destroy_device(). */
	if (rte_eth_link_get_nowait(port_id, &link) != 0 ||
			link.link_status != RTE_ETH_LINK_UP)
		return 0;
	get_vid = vid_from_port_fn();
	if (get_vid == NULL)
		return 0;
	vid = get_vid(port_id);
	if (vid < 0 || !vid_is_ports(vid, info) ||
			rte_vhost_get_negotiated_features(vid, &features) != 0)
		return 0;
	if (!(features & csum))
		return 0;
	if (features & tso4)
		l3 |= GSO_OFFLOAD_L3_IPV4_NO_OPTIONS |
			GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS;
	if (features & tso6)
		l3 |= GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS;
	if (l3 != 0) {
		caps->l3_flags = l3;
		caps->l4_flags = GSO_OFFLOAD_L4_TCP_NO_OPTIONS |
			GSO_OFFLOAD_L4_TCP_WITH_OPTIONS;
	}
	return 0;
}

const struct gso_offload_provider gso_provider_vhost = {
	.name = "vhost",
	.driver_names = vhost_drivers,
	.describe = vhost_describe,
	.tx_offloads = NULL,
	/* No tunnel segmentation: virtio 1.1 has no GSO type for it and
	 * net_vhost reports no *_TNL_TSO. */
	.describe_encap = gso_provider_no_encap,
};
