/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * What a port can: the capability structures, the driver-verifier rules and
 * registration (NetAdapterOffloadSetGsoCapabilities and its legacy LSO
 * twin). Legacy LSO is stored as GSO so that there is one source of truth.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>

#include "gso_offload_private.h"

void
gso_offload_caps_init(struct gso_offload_caps *caps, uint32_t l3_flags,
		uint32_t l4_flags, uint32_t max_offload_size,
		uint32_t min_segment_count, gso_offload_set_gso_t set_gso,
		void *set_gso_arg)
{
	memset(caps, 0, sizeof(*caps));
	caps->size = sizeof(*caps);
	caps->l3_flags = l3_flags;
	caps->l4_flags = l4_flags;
	caps->max_offload_size = max_offload_size;
	caps->min_segment_count = min_segment_count;
	caps->set_gso = set_gso;
	caps->set_gso_arg = set_gso_arg;
}

/* One rule of the driver verifier (REFERENCE.md §1) and the extra checks
 * a C API needs (structure size, unknown bits). First match wins. */
struct caps_rule {
	bool (*violated)(const struct gso_offload_caps *c);
	const char *why;
};

static bool
bad_size(const struct gso_offload_caps *c)
{
	return c->size != sizeof(*c);
}

static bool
unknown_l3(const struct gso_offload_caps *c)
{
	return (c->l3_flags & ~GSO_OFFLOAD_L3_ALL) != 0;
}

static bool
unknown_l4(const struct gso_offload_caps *c)
{
	return (c->l4_flags & ~GSO_OFFLOAD_L4_ALL) != 0;
}

static bool
all_zero(const struct gso_offload_caps *c)
{
	return c->l3_flags == 0 && c->l4_flags == 0;
}

static bool
no_l3(const struct gso_offload_caps *c)
{
	return c->l3_flags == 0;
}

static bool
no_l4(const struct gso_offload_caps *c)
{
	return c->l4_flags == 0;
}

static bool
no_max_size(const struct gso_offload_caps *c)
{
	return c->max_offload_size == 0;
}

static bool
no_min_segments(const struct gso_offload_caps *c)
{
	return c->min_segment_count == 0;
}

static bool
v4_options_alone(const struct gso_offload_caps *c)
{
	return (c->l3_flags & GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS) &&
		!(c->l3_flags & GSO_OFFLOAD_L3_IPV4_NO_OPTIONS);
}

static bool
v6_extensions_alone(const struct gso_offload_caps *c)
{
	return (c->l3_flags & GSO_OFFLOAD_L3_IPV6_WITH_EXTENSIONS) &&
		!(c->l3_flags & GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS);
}

static bool
tcp_options_alone(const struct gso_offload_caps *c)
{
	return (c->l4_flags & GSO_OFFLOAD_L4_TCP_WITH_OPTIONS) &&
		!(c->l4_flags & GSO_OFFLOAD_L4_TCP_NO_OPTIONS);
}

static const struct caps_rule caps_rules[] = {
	{ bad_size, "size does not match sizeof(struct gso_offload_caps)" },
	{ unknown_l3, "unknown layer 3 flag bits" },
	{ unknown_l4, "unknown layer 4 flag bits" },
	{ all_zero, "all layer 3 and layer 4 flags are zero" },
	{ no_l3, "layer 3 flags are mandatory" },
	{ no_l4, "layer 4 flags are mandatory" },
	{ no_max_size, "maximum offload size is 0 while flags are set" },
	{ no_min_segments, "minimum segment count is 0 while flags are set" },
	{ v4_options_alone, "IPv4 with options requires IPv4 without options" },
	{ v6_extensions_alone,
		"IPv6 with extension headers requires IPv6 without extension headers" },
	{ tcp_options_alone, "TCP with options requires TCP without options" },
};

int
gso_offload_caps_validate(const struct gso_offload_caps *caps, const char **why)
{
	if (why != NULL)
		*why = NULL;
	if (caps == NULL) {
		if (why != NULL)
			*why = "capabilities pointer is NULL";
		return -EINVAL;
	}
	for (size_t i = 0; i < RTE_DIM(caps_rules); i++) {
		if (caps_rules[i].violated(caps)) {
			if (why != NULL)
				*why = caps_rules[i].why;
			return -EINVAL;
		}
	}
	return 0;
}

/* Registration is refused once the port runs, as NetAdapterCx refuses
 * NetAdapterOffloadSetGsoCapabilities after NetAdapterStart. */
static int
check_registration(uint16_t port_id, const char *what)
{
	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (gso_offload_port_is_started(port_id)) {
		GSO_LOG(ERR, "port %u: %s refused: port is started", port_id,
			what);
		return -EBUSY;
	}
	return 0;
}

static int
register_caps(uint16_t port_id, const struct gso_offload_caps *caps,
		bool is_lso, const struct gso_offload_lso_caps *lso)
{
	const char *why;
	struct gso_port *p;
	int ret;

	ret = check_registration(port_id, "capability registration");
	if (ret != 0)
		return ret;
	if (gso_offload_caps_validate(caps, &why) != 0) {
		GSO_LOG(ERR, "port %u: invalid GSO capabilities: %s", port_id,
			why);
		return -EINVAL;
	}

	gso_ctl_lock();
	p = gso_port_for_change(port_id, &ret);
	if (p == NULL)
		goto out;
	ret = gso_port_change(p, true, caps, is_lso, lso, p->wanted, NULL);
out:
	gso_ctl_unlock();
	return ret;
}

int
gso_offload_set_caps(uint16_t port_id, const struct gso_offload_caps *caps)
{
	return register_caps(port_id, caps, false, NULL);
}

int
gso_offload_hw_caps_get(uint16_t port_id, struct gso_offload_caps *caps)
{
	struct gso_port *p;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (caps == NULL)
		return -EINVAL;
	gso_ctl_lock();
	p = gso_port_find(port_id);
	if (p != NULL && p->hw_registered)
		*caps = p->hw;
	else
		gso_offload_caps_init(caps, 0, 0, 0, 0, NULL, NULL);
	gso_ctl_unlock();
	return 0;
}

void
gso_offload_lso_caps_init(struct gso_offload_lso_caps *caps, bool ipv4,
		bool ipv6, uint32_t max_offload_size,
		uint32_t min_segment_count, gso_offload_set_lso_t set_lso,
		void *set_lso_arg)
{
	memset(caps, 0, sizeof(*caps));
	caps->size = sizeof(*caps);
	caps->ipv4 = ipv4;
	caps->ipv6 = ipv6;
	caps->max_offload_size = max_offload_size;
	caps->min_segment_count = min_segment_count;
	caps->set_lso = set_lso;
	caps->set_lso_arg = set_lso_arg;
}

void
gso_offload_lso_to_gso(const struct gso_offload_lso_caps *lso,
		struct gso_offload_caps *gso)
{
	uint32_t l3 = 0, l4 = 0;

	/* NDIS LSOv2 segments IPv4 with options and IPv6 with extension
	 * headers, and copies TCP options: legacy LSO implies all of them. */
	if (lso->ipv4)
		l3 |= GSO_OFFLOAD_L3_IPV4_NO_OPTIONS |
			GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS;
	if (lso->ipv6)
		l3 |= GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS |
			GSO_OFFLOAD_L3_IPV6_WITH_EXTENSIONS;
	if (l3 != 0)
		l4 = GSO_OFFLOAD_L4_TCP_NO_OPTIONS |
			GSO_OFFLOAD_L4_TCP_WITH_OPTIONS;
	gso_offload_caps_init(gso, l3, l4, lso->max_offload_size,
			lso->min_segment_count, NULL, NULL);
}

int
gso_offload_set_lso_caps(uint16_t port_id,
		const struct gso_offload_lso_caps *caps)
{
	struct gso_offload_caps gso;

	if (caps == NULL || caps->size != sizeof(*caps)) {
		GSO_LOG(ERR, "port %u: invalid LSO capabilities: %s", port_id,
			caps == NULL ? "capabilities pointer is NULL" :
			"size does not match sizeof(struct gso_offload_lso_caps)");
		return -EINVAL;
	}
	gso_offload_lso_to_gso(caps, &gso);
	return register_caps(port_id, &gso, true, caps);
}

/* ---- Encapsulated offload ---- */

void
gso_offload_encap_caps_init(struct gso_offload_encap_caps *caps)
{
	memset(caps, 0, sizeof(*caps));
	caps->size = sizeof(*caps);
	caps->vxlan_udp_port = GSO_OFFLOAD_VXLAN_PORT_DEFAULT;
}

/* The smallest header stack of an encapsulation up to the inner L4
 * header: outer Ethernet and IPv4, the tunnel, the inner IPv4 header. */
static uint16_t
encap_min_header(unsigned int e)
{
	const uint16_t outer = 14 + 20, inner = 20;

	switch (e) {
	case GSO_OFFLOAD_ENCAP_VXLAN:
	case GSO_OFFLOAD_ENCAP_GENEVE:
		return outer + 8 + 8 + 14 + inner;  /* UDP, tunnel, inner Eth */
	case GSO_OFFLOAD_ENCAP_GRE:
		return outer + 4 + inner;
	default:
		return outer + inner;
	}
}

/* The rule an encapsulation's row breaks, or NULL. One string per rule and
 * encapsulation, so that the message names both. */
static const char *
encap_violation(unsigned int e, const struct gso_offload_encap *x,
		uint16_t vxlan_port)
{
#define ENCAP_WHY(rule) (							e == GSO_OFFLOAD_ENCAP_VXLAN ? "VXLAN: " rule :				e == GSO_OFFLOAD_ENCAP_GENEVE ? "GENEVE: " rule :			e == GSO_OFFLOAD_ENCAP_GRE ? "GRE: " rule : "IP-in-IP: " rule)
	const bool udp_encap = e == GSO_OFFLOAD_ENCAP_VXLAN ||
		e == GSO_OFFLOAD_ENCAP_GENEVE;

	if (x->l3_flags & ~GSO_OFFLOAD_L3_ALL)
		return ENCAP_WHY("unknown inner layer 3 flag bits");
	if (x->l4_flags & ~GSO_OFFLOAD_L4_ALL)
		return ENCAP_WHY("unknown inner layer 4 flag bits");
	if (x->flags & ~GSO_OFFLOAD_ENCAP_F_ALL)
		return ENCAP_WHY("unknown flag bits");
	if ((x->l3_flags == 0) != (x->l4_flags == 0))
		return ENCAP_WHY("inner layer 3 and layer 4 flags go together");
	if (x->l4_flags == 0 && (x->flags != 0 || x->max_header_size != 0))
		return ENCAP_WHY("flags or a header limit without segmentation");
	if ((x->l3_flags & GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS) &&
			!(x->l3_flags & GSO_OFFLOAD_L3_IPV4_NO_OPTIONS))
		return ENCAP_WHY("inner IPv4 with options requires IPv4 without options");
	if ((x->l3_flags & GSO_OFFLOAD_L3_IPV6_WITH_EXTENSIONS) &&
			!(x->l3_flags & GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS))
		return ENCAP_WHY("inner IPv6 with extension headers requires IPv6 without them");
	if ((x->l4_flags & GSO_OFFLOAD_L4_TCP_WITH_OPTIONS) &&
			!(x->l4_flags & GSO_OFFLOAD_L4_TCP_NO_OPTIONS))
		return ENCAP_WHY("inner TCP with options requires TCP without options");
	if (!udp_encap && (x->flags & GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM))
		return ENCAP_WHY("outer UDP checksum on an encapsulation without UDP");
	if (x->max_header_size != 0 && x->max_header_size < encap_min_header(e))
		return ENCAP_WHY("header limit below the smallest header stack");
	if (e == GSO_OFFLOAD_ENCAP_VXLAN && x->l4_flags != 0 && vxlan_port == 0)
		return ENCAP_WHY("VXLAN offloaded without a UDP port");
	return NULL;
#undef ENCAP_WHY
}

int
gso_offload_encap_caps_validate(const struct gso_offload_encap_caps *caps,
		const char **why)
{
	const char *w = NULL;

	if (caps == NULL)
		w = "capabilities pointer is NULL";
	else if (caps->size != sizeof(*caps))
		w = "size does not match sizeof(struct gso_offload_encap_caps)";
	else
		for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB && w == NULL; e++)
			w = encap_violation(e, &caps->encap[e],
					caps->vxlan_udp_port);
	if (why != NULL)
		*why = w;
	return w == NULL ? 0 : -EINVAL;
}

int
gso_offload_set_encap_caps(uint16_t port_id,
		const struct gso_offload_encap_caps *caps)
{
	struct gso_encap_next enc;
	const char *why;
	struct gso_port *p;
	int ret;

	ret = check_registration(port_id, "encapsulated capability registration");
	if (ret != 0)
		return ret;
	if (gso_offload_encap_caps_validate(caps, &why) != 0) {
		GSO_LOG(ERR, "port %u: invalid encapsulated capabilities: %s",
			port_id, why);
		return -EINVAL;
	}

	gso_ctl_lock();
	p = gso_port_for_change(port_id, &ret);
	if (p == NULL)
		goto out;
	enc = p->encap;
	enc.registered = gso_encap_caps_any(caps);
	enc.hw = *caps;
	ret = gso_port_change(p, p->hw_registered, &p->hw, p->hw_is_lso,
			&p->lso, p->wanted, &enc);
out:
	gso_ctl_unlock();
	return ret;
}

int
gso_offload_hw_encap_caps_get(uint16_t port_id,
		struct gso_offload_encap_caps *caps)
{
	struct gso_port *p;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (caps == NULL)
		return -EINVAL;
	gso_ctl_lock();
	p = gso_port_find(port_id);
	if (p != NULL && p->encap.registered)
		*caps = p->encap.hw;
	else
		gso_offload_encap_caps_init(caps);
	gso_ctl_unlock();
	return 0;
}

/* ---- Names ---- */

static void
flags_str(uint32_t flags, const char *const *names, unsigned int n,
		char *buf, size_t len)
{
	size_t used = 0;

	if (len == 0)
		return;
	buf[0] = '\0';
	for (unsigned int i = 0; i < n; i++) {
		if (!(flags & (1u << i)))
			continue;
		used += snprintf(buf + used, used < len ? len - used : 0,
				"%s%s", used ? "," : "", names[i]);
	}
	if (used == 0)
		snprintf(buf, len, "none");
}

void
gso_offload_l3_flags_str(uint32_t flags, char *buf, size_t len)
{
	static const char *const names[] = {
		"ipv4", "ipv4-options", "ipv6", "ipv6-extensions",
	};
	flags_str(flags, names, RTE_DIM(names), buf, len);
}

void
gso_offload_l4_flags_str(uint32_t flags, char *buf, size_t len)
{
	static const char *const names[] = {
		"tcp", "tcp-options", "udp",
	};
	flags_str(flags, names, RTE_DIM(names), buf, len);
}

void
gso_offload_keywords_str(uint32_t keywords, char *buf, size_t len)
{
	static const char *const names[] = {
		"lso4", "lso6", "uso4", "uso6",
	};
	flags_str(keywords, names, RTE_DIM(names), buf, len);
}

const char *
gso_offload_encap_name(unsigned int encap)
{
	static const char *const names[] = { "vxlan", "geneve", "gre", "ipip" };

	return encap < RTE_DIM(names) ? names[encap] : "?";
}

void
gso_offload_encap_keywords_str(uint32_t keywords, char *buf, size_t len)
{
	static const char *const names[] = {
		"encap", "encap_vxlan", "encap_geneve", "encap_gre", "encap_ipip",
	};
	flags_str(keywords, names, RTE_DIM(names), buf, len);
}

void
gso_offload_encap_str(const struct gso_offload_encap *e, char *buf, size_t len)
{
	static const char *const fnames[] = {
		"outer-ipv4-cksum", "outer-udp-cksum", "generic",
	};
	char l3[48], l4[32], fl[48];

	if (len == 0)
		return;
	if (e->l3_flags == 0 && e->l4_flags == 0) {
		snprintf(buf, len, "none");
		return;
	}
	gso_offload_l3_flags_str(e->l3_flags, l3, sizeof(l3));
	gso_offload_l4_flags_str(e->l4_flags, l4, sizeof(l4));
	flags_str(e->flags, fnames, RTE_DIM(fnames), fl, sizeof(fl));
	snprintf(buf, len, "%s / %s / %s / max-header %u", l3, l4, fl,
		e->max_header_size);
}
