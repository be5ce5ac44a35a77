/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Ports under the library: derivation of what a port can (rte_eth_dev_info,
 * then its provider), the recorded setup a provider replays when the active
 * set needs other TX offloads, and the start/stop lifecycle that gates
 * capability registration.
 */

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_log.h>
#include <rte_mempool.h>

#include "gso_dpdk_internal.h"
#include "gso_offload_private.h"
#include "gso_providers.h"

RTE_LOG_REGISTER(gso_offload_logtype, lib.gso_offload, INFO);

/* ---- Control lock and port records ---- */

static pthread_mutex_t ctl_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
static struct gso_port *ports[RTE_MAX_ETHPORTS];

void
gso_ctl_lock(void)
{
	pthread_mutex_lock(&ctl_lock);
}

void
gso_ctl_unlock(void)
{
	pthread_mutex_unlock(&ctl_lock);
}

struct gso_port *
gso_port_find(uint16_t port_id)
{
	return port_id < RTE_MAX_ETHPORTS ? ports[port_id] : NULL;
}

struct gso_port *
gso_port_get(uint16_t port_id)
{
	struct gso_port *p;

	if (!rte_eth_dev_is_valid_port(port_id)) {
		rte_errno = ENODEV;
		return NULL;
	}
	p = ports[port_id];
	if (p != NULL)
		return p;
	p = calloc(1, sizeof(*p));
	if (p == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	p->port_id = port_id;
	p->wanted = GSO_OFFLOAD_KW_ALL;
	p->restart_override = -1;
	p->encap.wanted = GSO_OFFLOAD_KW_ENCAP_ALL;
	gso_offload_encap_caps_init(&p->encap.hw);
	gso_active_compute(NULL, false, 0, NULL, &p->active);
	ports[port_id] = p;
	return p;
}

struct gso_port *
gso_port_for_change(uint16_t port_id, int *ret)
{
	struct gso_port *p;

	if (gso_ctl_in_callback()) {
		*ret = -EDEADLK;
		return NULL;
	}
	p = gso_port_get(port_id);
	*ret = p == NULL ? -rte_errno : 0;
	return p;
}

/* ---- Started or not ---- */

bool
gso_offload_port_is_started(uint16_t port_id)
{
	struct gso_port *p;
	bool started;

	if (!rte_eth_dev_is_valid_port(port_id))
		return false;
	gso_ctl_lock();
	p = gso_port_find(port_id);
	started = p != NULL && p->started;
	gso_ctl_unlock();
	if (started)
		return true;
	/* A port started directly with rte_eth_dev_start(): ask ethdev, which
	 * has no public query for it (gso_dpdk_internal.c). */
	return gso_dpdk_port_started(port_id);
}

/* ---- What the port can ---- */

static const struct gso_offload_provider *
port_provider(uint16_t port_id, const struct rte_eth_dev_info *info)
{
	struct gso_port *p = gso_port_find(port_id);

	if (p != NULL && p->provider_override != NULL)
		return p->provider_override;
	return gso_offload_provider_find(info->driver_name);
}

static int
port_derive(uint16_t port_id, const struct gso_offload_provider **provider,
		struct gso_offload_caps *caps,
		struct gso_offload_port_limits *lim,
		struct gso_offload_encap_caps *encap)
{
	struct rte_eth_dev_info info;
	uint16_t mtu;
	int ret;

	ret = rte_eth_dev_info_get(port_id, &info);
	if (ret != 0)
		return ret;
	if (rte_eth_dev_get_mtu(port_id, &mtu) != 0)
		mtu = RTE_ETHER_MTU;
	*provider = port_provider(port_id, &info);
	gso_provider_generic_derive(&info, mtu, caps, lim);
	if ((*provider)->describe != NULL) {
		ret = (*provider)->describe(port_id, &info, caps, lim);
		if (ret != 0) {
			GSO_LOG(ERR, "port %u: provider %s failed: %s", port_id,
				(*provider)->name, strerror(-ret));
			return ret;
		}
	}
	gso_provider_generic_derive_encap(&info, encap);
	if ((*provider)->describe_encap != NULL) {
		ret = (*provider)->describe_encap(port_id, &info, encap, lim);
		if (ret != 0) {
			GSO_LOG(ERR, "port %u: provider %s failed on encapsulations: %s",
				port_id, (*provider)->name, strerror(-ret));
			return ret;
		}
	}
	return 0;
}

int
gso_offload_port_describe(uint16_t port_id, struct gso_offload_caps *caps,
		struct gso_offload_port_limits *lim)
{
	const struct gso_offload_provider *provider;
	struct gso_offload_port_limits tmp;
	struct gso_offload_encap_caps enc;
	int ret;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (caps == NULL)
		return -EINVAL;
	gso_ctl_lock();
	ret = port_derive(port_id, &provider, caps, lim != NULL ? lim : &tmp,
			&enc);
	gso_ctl_unlock();
	return ret;
}

int
gso_offload_port_describe_encap(uint16_t port_id,
		struct gso_offload_encap_caps *encap)
{
	const struct gso_offload_provider *provider;
	struct gso_offload_port_limits lim;
	struct gso_offload_caps caps;
	int ret;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (encap == NULL)
		return -EINVAL;
	gso_ctl_lock();
	ret = port_derive(port_id, &provider, &caps, &lim, encap);
	gso_ctl_unlock();
	return ret;
}

/* The record of a port whose settings read at configure time may still
 * change (not configured by the library yet), or NULL with *ret set. Call
 * under the lock. */
static struct gso_port *
port_before_configure(uint16_t port_id, int *ret)
{
	struct gso_port *p = gso_port_get(port_id);

	*ret = p == NULL ? -rte_errno : p->configured ? -EBUSY : 0;
	return *ret == 0 ? p : NULL;
}

int
gso_offload_port_set_provider(uint16_t port_id,
		const struct gso_offload_provider *provider)
{
	struct gso_port *p;
	int ret;

	gso_ctl_lock();
	p = port_before_configure(port_id, &ret);
	if (p != NULL)
		p->provider_override = provider;
	gso_ctl_unlock();
	return ret;
}

int
gso_offload_port_set_restart(uint16_t port_id, int restart)
{
	struct gso_port *p;
	int ret;

	if (restart < -1 || restart > 1)
		return -EINVAL;
	gso_ctl_lock();
	p = port_before_configure(port_id, &ret);
	if (p != NULL)
		p->restart_override = (int8_t)restart;
	gso_ctl_unlock();
	return ret;
}

int
gso_offload_port_restarts(uint16_t port_id)
{
	struct gso_port *p;
	int ret = -ENODEV;

	gso_ctl_lock();
	p = gso_port_find(port_id);
	if (p != NULL && p->configured)
		ret = p->restart;
	gso_ctl_unlock();
	return ret;
}

/* ---- Applying an active set to the port ---- */

/* The TX offloads a port is configured with for an active set: that set's
 * on a port that restarts on change; on a hitless one those of the whole
 * hardware set, whatever is active, so that no change needs other ones. */
static uint64_t
port_tx_offloads_for(struct gso_port *p, const struct gso_offload_active *active)
{
	struct gso_offload_active full;

	if (!p->restart) {
		const struct gso_encap_next all = {
			.registered = p->derived_encap, .hw = p->derived_enc,
			.wanted = GSO_OFFLOAD_KW_ENCAP_ALL,
		};

		gso_active_compute(&p->derived, p->derived_gso,
				GSO_OFFLOAD_KW_ALL, &all, &full);
		active = &full;
	}
	if (p->provider->tx_offloads != NULL)
		return p->provider->tx_offloads(p->port_id, active, &p->lim,
				p->setup.conf.txmode.offloads);
	return gso_provider_generic_tx_offloads(p->port_id, active, &p->lim,
			p->setup.conf.txmode.offloads);
}

/* Configure the port and set up every queue again from the record: after a
 * TX offload change most PMDs (virtio renegotiates its features) need new
 * queues, and a queue array left from before would dangle. */
static int
setup_replay(struct gso_port *p, uint64_t tx_offloads)
{
	const struct gso_offload_port_setup *s = &p->setup;
	uint16_t port_id = p->port_id;
	struct rte_eth_conf conf = s->conf;
	int tx_socket, ret;

	conf.txmode.offloads = tx_offloads;
	ret = rte_eth_dev_configure(port_id, s->nb_rx_queues, s->nb_tx_queues,
			&conf);
	if (ret != 0)
		return ret;
	/* TX queues before RX queues: net_tap since 24.07 shares one fd
	 * between the RX and TX queue of an index and initialises the TX
	 * queue's TSO (rte_gso) context only when the TX queue comes first;
	 * set up RX first, every TSO packet fails. 22.11 accepts either. */
	tx_socket = s->tx_socket_id == SOCKET_ID_ANY ?
		rte_eth_dev_socket_id(port_id) : s->tx_socket_id;
	for (uint16_t q = 0; q < s->nb_tx_queues; q++) {
		ret = rte_eth_tx_queue_setup(port_id, q, s->nb_tx_desc,
				tx_socket, NULL);
		if (ret != 0)
			return ret;
	}
	for (uint16_t q = 0; q < s->nb_rx_queues; q++) {
		ret = rte_eth_rx_queue_setup(port_id, q, s->nb_rx_desc,
				p->rx_pools[q]->socket_id, NULL, p->rx_pools[q]);
		if (ret != 0)
			return ret;
	}
	return 0;
}

int
gso_port_apply(struct gso_port *p, const struct gso_offload_active *active)
{
	uint16_t port_id = p->port_id;
	uint64_t want;
	bool was_started;
	int ret, ret2;

	if (!p->configured)
		return 0;   /* the application owns this port's setup */
	want = port_tx_offloads_for(p, active);
	if (p->tx_offloads_applied && want == p->tx_offloads)
		return 0;   /* hitless: nothing on the port changes */

	was_started = gso_offload_port_is_started(port_id);
	if (was_started) {
		/* Stopping releases what the RX rings hold; queue setup
		 * frees the rest: nothing stays allocated across. */
		ret = rte_eth_dev_stop(port_id);
		if (ret != 0)
			return ret;
	}
	ret = setup_replay(p, want);
	if (ret != 0) {
		GSO_LOG(ERR, "port %u: reconfiguring TX offloads %#" PRIx64 " failed: %s",
			port_id, want, strerror(-ret));
		/* Put the port back as it was, so that it keeps working with
		 * the previous active set. */
		if (p->tx_offloads_applied)
			(void)setup_replay(p, p->tx_offloads);
	} else {
		p->tx_offloads = want;
		p->tx_offloads_applied = true;
		GSO_LOG(DEBUG, "port %u: TX offloads now %#" PRIx64, port_id,
			want);
	}
	if (was_started) {
		ret2 = rte_eth_dev_start(port_id);
		if (ret == 0)
			ret = ret2;
	}
	return ret;
}

/* The provider's side of the callback: the driver applies the set — the
 * TX offloads (a no-op on a hitless port), then whatever the provider
 * programs itself. If the provider refuses, the TX offloads go back to
 * those of the current set. */
static int
provider_set_gso(uint16_t port_id, const struct gso_offload_active *active,
		void *arg)
{
	struct gso_port *p = gso_port_find(port_id);
	int ret;

	RTE_SET_USED(arg);
	if (p == NULL)
		return -ENODEV;
	ret = gso_port_apply(p, active);
	if (ret == 0 && p->provider->set_gso != NULL) {
		ret = p->provider->set_gso(port_id, active, NULL);
		if (ret > 0)
			ret = -EIO;
		if (ret != 0)
			(void)gso_port_apply(p, &p->active);
	}
	return ret;
}

static int
setup_check(uint16_t port_id, const struct gso_offload_port_setup *s)
{
	if (s == NULL)
		return -EINVAL;
	if (s->nb_rx_queues == 0 && s->nb_tx_queues == 0)
		return -EINVAL;
	if (s->nb_rx_queues > 0 && s->rx_pools == NULL)
		return -EINVAL;
	for (uint16_t q = 0; q < s->nb_rx_queues; q++)
		if (s->rx_pools[q] == NULL)
			return -EINVAL;
	RTE_SET_USED(port_id);
	return 0;
}

int
gso_offload_port_configure(uint16_t port_id,
		const struct gso_offload_port_setup *setup)
{
	const struct gso_offload_provider *provider;
	struct gso_offload_port_limits lim;
	struct gso_offload_encap_caps encap;
	struct gso_offload_caps caps;
	struct rte_mempool **pools = NULL;
	struct gso_encap_next enc;
	struct gso_port *p, saved;
	bool has_gso;
	int ret;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	ret = setup_check(port_id, setup);
	if (ret != 0) {
		GSO_LOG(ERR, "port %u: invalid setup", port_id);
		return ret;
	}
	if (setup->nb_rx_queues > 0) {
		pools = calloc(setup->nb_rx_queues, sizeof(*pools));
		if (pools == NULL)
			return -ENOMEM;
		memcpy(pools, setup->rx_pools,
			setup->nb_rx_queues * sizeof(*pools));
	}

	gso_ctl_lock();
	if (gso_ctl_in_callback()) {
		ret = -EDEADLK;
		goto fail;
	}
	if (gso_offload_port_is_started(port_id)) {
		ret = -EBUSY;
		goto fail;
	}
	p = gso_port_get(port_id);
	if (p == NULL) {
		ret = -rte_errno;
		goto fail;
	}
	ret = port_derive(port_id, &provider, &caps, &lim, &encap);
	if (ret != 0)
		goto fail;
	has_gso = caps.l3_flags != 0 || caps.l4_flags != 0;
	if (has_gso) {
		const char *why;

		if (gso_offload_caps_validate(&caps, &why) != 0) {
			GSO_LOG(ERR, "port %u: provider %s derived invalid capabilities: %s",
				port_id, provider->name, why);
			ret = -EINVAL;
			goto fail;
		}
	}
	{
		const char *why;

		if (gso_offload_encap_caps_validate(&encap, &why) != 0) {
			GSO_LOG(ERR, "port %u: provider %s derived invalid encapsulated capabilities: %s",
				port_id, provider->name, why);
			ret = -EINVAL;
			goto fail;
		}
	}
	caps.set_gso = provider_set_gso;
	caps.set_gso_arg = NULL;

	/* Keep the pipelines off the port while its setup is replayed. */
	gso_dp_port_hold(port_id);
	saved = *p;
	p->provider = provider;
	p->lim = lim;
	p->have_limits = true;
	p->setup = *setup;
	p->setup.rx_pools = pools;
	p->rx_pools = pools;
	p->configured = true;
	p->tx_offloads_applied = false;
	p->restart = p->restart_override >= 0 ? p->restart_override == 1 :
		provider->restart_on_change;
	p->derived = caps;
	p->derived_gso = has_gso;
	p->derived_enc = encap;
	p->derived_encap = gso_encap_caps_any(&encap);
	/* Until the port is configured every change may touch it. */
	p->hitless_set_gso = NULL;

	/* Registering runs the provider if the active set changes; apply
	 * once more for the case it did not (same set, or no GSO at all):
	 * either way the port ends up configured exactly once. */
	enc = p->encap;
	enc.registered = p->derived_encap;
	enc.hw = encap;
	ret = gso_port_change(p, has_gso, &caps, false, NULL, p->wanted, &enc);
	if (ret == 0)
		ret = gso_port_apply(p, &p->active);
	if (ret != 0) {
		*p = saved;
		gso_dp_port_publish(port_id);
		goto fail;
	}
	free(saved.rx_pools);
	if (!p->restart)
		p->hitless_set_gso = provider_set_gso;
	gso_dp_port_publish(port_id);
	gso_ctl_unlock();
	return 0;
fail:
	gso_ctl_unlock();
	free(pools);
	return ret;
}

/* ---- Lifecycle ---- */

int
gso_offload_port_start(uint16_t port_id)
{
	struct gso_port *p;
	int ret;

	gso_ctl_lock();
	p = gso_port_get(port_id);
	if (p == NULL) {
		ret = -rte_errno;
	} else {
		ret = rte_eth_dev_start(port_id);
		if (ret == 0) {
			p->started = true;
			gso_dp_port_publish(port_id);
		}
	}
	gso_ctl_unlock();
	return ret;
}

int
gso_offload_port_stop(uint16_t port_id)
{
	struct gso_port *p;
	int ret;

	gso_ctl_lock();
	p = gso_port_get(port_id);
	if (p == NULL) {
		ret = -rte_errno;
	} else {
		gso_dp_port_hold(port_id);
		ret = rte_eth_dev_stop(port_id);
		if (ret == 0)
			p->started = false;
		else
			gso_dp_port_publish(port_id);
	}
	gso_ctl_unlock();
	return ret;
}

int
gso_offload_port_limits_get(uint16_t port_id,
		struct gso_offload_port_limits *lim)
{
	struct gso_port *p;
	int ret = -ENODEV;

	if (lim == NULL)
		return -EINVAL;
	gso_ctl_lock();
	p = gso_port_find(port_id);
	if (p != NULL && p->have_limits) {
		*lim = p->lim;
		ret = 0;
	}
	gso_ctl_unlock();
	return ret;
}

int
gso_offload_port_tx_offloads_get(uint16_t port_id, uint64_t *offloads)
{
	struct gso_port *p;
	int ret = -ENODEV;

	if (offloads == NULL)
		return -EINVAL;
	gso_ctl_lock();
	p = gso_port_find(port_id);
	if (p != NULL && p->configured && p->tx_offloads_applied) {
		*offloads = p->tx_offloads;
		ret = 0;
	}
	gso_ctl_unlock();
	return ret;
}

const char *
gso_offload_port_provider_name(uint16_t port_id)
{
	struct rte_eth_dev_info info;
	const char *name;
	struct gso_port *p;

	gso_ctl_lock();
	p = gso_port_find(port_id);
	if (p != NULL && p->provider != NULL)
		name = p->provider->name;
	else if (rte_eth_dev_info_get(port_id, &info) == 0)
		name = port_provider(port_id, &info)->name;
	else
		name = "none";
	gso_ctl_unlock();
	return name;
}

int
gso_offload_port_release(uint16_t port_id)
{
	struct gso_port *p;
	int ret = 0;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	gso_ctl_lock();
	if (gso_ctl_in_callback()) {
		ret = -EDEADLK;
	} else if (gso_offload_port_is_started(port_id)) {
		ret = -EBUSY;
	} else if ((p = gso_port_find(port_id)) != NULL) {
		gso_dp_port_forget(port_id);
		ports[port_id] = NULL;
		free(p->rx_pools);
		free(p);
	}
	gso_ctl_unlock();
	return ret;
}

void
gso_offload_port_dump(FILE *f, uint16_t port_id)
{
	struct gso_offload_port_limits lim;
	struct gso_offload_caps hw;
	char l3[80], l4[40], kw[64];
	uint32_t wanted = 0, active = 0;
	uint64_t tx = 0;

	if (gso_offload_hw_caps_get(port_id, &hw) == 0) {
		gso_offload_l3_flags_str(hw.l3_flags, l3, sizeof(l3));
		gso_offload_l4_flags_str(hw.l4_flags, l4, sizeof(l4));
		fprintf(f, "  hardware  %s / %s", l3, l4);
		if (hw.l3_flags != 0)
			fprintf(f, "  (max %u B, min %u segments, L4 offset "
				"limit %u)", hw.max_offload_size,
				hw.min_segment_count, hw.l4_header_offset_limit);
		fprintf(f, "\n");
	}
	if (gso_offload_port_limits_get(port_id, &lim) == 0) {
		fprintf(f, "  limits    mss %u..%u, %u segments, mtu %u, "
			"quirks %#x\n", lim.mss_min, lim.mss_max,
			lim.max_segments, lim.mtu, lim.flags);
		/* What the TX descriptors take (provider-refined): per GSO
		 * packet, per MSS-worth and per mbuf. */
		fprintf(f, "  txd       nb_seg_max %u, nb_mtu_seg_max %u, "
			"max_seg_data_len %u, max_frame %u\n", lim.nb_seg_max,
			lim.nb_mtu_seg_max, lim.max_seg_data_len,
			lim.max_frame);
	}
	gso_offload_wanted_get(port_id, &wanted);
	gso_offload_active_keywords_get(port_id, &active);
	gso_offload_keywords_str(wanted, kw, sizeof(kw));
	fprintf(f, "  wanted    %s\n", kw);
	gso_offload_keywords_str(active, kw, sizeof(kw));
	fprintf(f, "  active    %s\n", kw);
	{
		struct gso_offload_encap_caps enc;
		uint16_t vport = 0;
		uint32_t ekw = 0, eact = 0;
		char line[160];

		/* Printed for a port with encapsulated offload or settings of
		 * it only: the others' dump stays as it was. */
		gso_offload_encap_wanted_get(port_id, &ekw, &vport);
		if (gso_offload_hw_encap_caps_get(port_id, &enc) != 0 ||
				(!gso_encap_caps_any(&enc) &&
				 ekw == GSO_OFFLOAD_KW_ENCAP_ALL && vport == 0))
			goto encap_done;
		if (gso_encap_caps_any(&enc)) {
			for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++) {
				gso_offload_encap_str(&enc.encap[e], line,
					sizeof(line));
				fprintf(f, "  encap %-6s %s\n",
					gso_offload_encap_name(e), line);
			}
			fprintf(f, "  vxlan port %u (hardware)\n",
				enc.vxlan_udp_port);
		}
		gso_offload_active_encaps_get(port_id, &eact);
		gso_offload_encap_keywords_str(ekw, line, sizeof(line));
		fprintf(f, "  encap wanted %s", line);
		if (vport != 0)
			fprintf(f, ", vxlan_port=%u", vport);
		fprintf(f, "\n  encap active");
		for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++)
			if (eact & GSO_OFFLOAD_ENCAP_BIT(e))
				fprintf(f, " %s", gso_offload_encap_name(e));
		fprintf(f, "%s\n", eact == 0 ? " none" : "");
	}
encap_done:
	gso_offload_port_tx_offloads_get(port_id, &tx);
	fprintf(f, "  TX offloads");
	for (uint64_t bit = 1; bit != 0; bit <<= 1)
		if (tx & bit)
			fprintf(f, " %s", rte_eth_dev_tx_offload_name(bit));
	fprintf(f, "%s\n", tx == 0 ? " none" : "");
	switch (gso_offload_port_restarts(port_id)) {
	case 0:
		fprintf(f, "  changes   hitless (TX offloads set once)\n");
		break;
	case 1:
		fprintf(f, "  changes   restart the port\n");
		break;
	default:
		break;
	}
}
