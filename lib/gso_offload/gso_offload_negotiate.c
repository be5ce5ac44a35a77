/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * What is active: hardware ∩ wanted, and the driver's callback once per
 * change of it (EVT_NET_ADAPTER_OFFLOAD_SET_GSO / _SET_LSO).
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <rte_bitops.h>
#include <rte_common.h>
#include <rte_errno.h>
#include <rte_ethdev.h>

#include "gso_offload_private.h"

/* ---- The active set ---- */

/* L3 variants by family, L4 variants by protocol. */
#define L3_IPV4_BITS  (GSO_OFFLOAD_L3_IPV4_NO_OPTIONS | \
		       GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS)
#define L4_TCP_BITS   (GSO_OFFLOAD_L4_TCP_NO_OPTIONS | \
		       GSO_OFFLOAD_L4_TCP_WITH_OPTIONS)

/* The keyword that governs an (L3 variant, L4 variant) pair. */
static uint32_t
pair_keyword(unsigned int l3_idx, unsigned int l4_idx)
{
	bool v4 = ((1u << l3_idx) & L3_IPV4_BITS) != 0;
	bool tcp = ((1u << l4_idx) & L4_TCP_BITS) != 0;

	if (tcp)
		return v4 ? GSO_OFFLOAD_LSO_IPV4 : GSO_OFFLOAD_LSO_IPV6;
	return v4 ? GSO_OFFLOAD_USO_IPV4 : GSO_OFFLOAD_USO_IPV6;
}

bool
gso_encap_caps_any(const struct gso_offload_encap_caps *caps)
{
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++)
		if (caps->encap[e].l3_flags != 0 || caps->encap[e].l4_flags != 0)
			return true;
	return false;
}

/*
 * The encapsulated part of an active set. An encapsulation is active when
 * the hardware offloads it, the administrator wants it
 * (*EncapsulatedPacketTaskOffload and its own keyword), and some inner
 * (L3, L4) pair of it has its GSO keyword wanted: *LsoV2IPv4 governs TCP
 * over an inner IPv4 header as it governs TCP over a plain one, so an
 * administrator who turns LSO off for IPv4 turns it off inside tunnels
 * too. The plain hardware flags do not matter: a NIC's tunnel segmentation
 * is its own capability.
 */
static void
encap_compute(const struct gso_encap_next *enc, uint32_t wanted,
		struct gso_offload_active *a)
{
	if (enc == NULL || !enc->registered ||
			!(enc->wanted & GSO_OFFLOAD_KW_ENCAP))
		return;
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++) {
		const struct gso_offload_encap *hw = &enc->hw.encap[e];
		struct gso_offload_encap *act = &a->encap[e];
		uint32_t pairs = 0;

		if (!(enc->wanted & GSO_OFFLOAD_KW_ENCAP_OF(e)))
			continue;
		for (unsigned int l3 = 0; l3 < 4; l3++) {
			if (!(hw->l3_flags & (1u << l3)))
				continue;
			for (unsigned int l4 = 0; l4 < 3; l4++) {
				if (!(hw->l4_flags & (1u << l4)) ||
						!(wanted & pair_keyword(l3, l4)))
					continue;
				pairs |= GSO_PAIR_BIT(l3, l4);
				act->l3_flags |= 1u << l3;
				act->l4_flags |= 1u << l4;
			}
		}
		if (pairs == 0)
			continue;
		act->flags = hw->flags;
		act->max_header_size = hw->max_header_size;
		a->encap_pairs[e] = pairs;
		a->encaps |= GSO_OFFLOAD_ENCAP_BIT(e);
	}
	if (a->encaps & GSO_OFFLOAD_ENCAP_BIT(GSO_OFFLOAD_ENCAP_VXLAN))
		a->vxlan_port = enc->vxlan_port != 0 ? enc->vxlan_port :
			enc->hw.vxlan_udp_port;
}

void
gso_active_compute(const struct gso_offload_caps *hw, bool registered,
		uint32_t wanted, const struct gso_encap_next *enc,
		struct gso_offload_active *a)
{
	uint32_t hw_kw = 0;

	memset(a, 0, sizeof(*a));
	a->caps.size = sizeof(a->caps);
	encap_compute(enc, wanted, a);
	if (!registered)
		return;

	/* A keyword is possible when the hardware has its plain variants:
	 * LSO IPv4 needs IPv4 without options and TCP without options. */
	if (hw->l4_flags & GSO_OFFLOAD_L4_TCP_NO_OPTIONS) {
		if (hw->l3_flags & GSO_OFFLOAD_L3_IPV4_NO_OPTIONS)
			hw_kw |= GSO_OFFLOAD_LSO_IPV4;
		if (hw->l3_flags & GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS)
			hw_kw |= GSO_OFFLOAD_LSO_IPV6;
	}
	if (hw->l4_flags & GSO_OFFLOAD_L4_UDP) {
		if (hw->l3_flags & GSO_OFFLOAD_L3_IPV4_NO_OPTIONS)
			hw_kw |= GSO_OFFLOAD_USO_IPV4;
		if (hw->l3_flags & GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS)
			hw_kw |= GSO_OFFLOAD_USO_IPV6;
	}
	a->keywords = hw_kw & wanted;
	if (a->keywords == 0)
		return;

	for (unsigned int l3 = 0; l3 < 4; l3++) {
		if (!(hw->l3_flags & (1u << l3)))
			continue;
		for (unsigned int l4 = 0; l4 < 3; l4++) {
			if (!(hw->l4_flags & (1u << l4)))
				continue;
			if (!(a->keywords & pair_keyword(l3, l4)))
				continue;
			a->pairs |= GSO_PAIR_BIT(l3, l4);
			a->caps.l3_flags |= 1u << l3;
			a->caps.l4_flags |= 1u << l4;
		}
	}
	a->caps.l4_header_offset_limit = hw->l4_header_offset_limit;
	a->caps.max_offload_size = hw->max_offload_size;
	a->caps.min_segment_count = hw->min_segment_count;
}

static bool
encap_equal(const struct gso_offload_encap *a, const struct gso_offload_encap *b)
{
	return a->l3_flags == b->l3_flags && a->l4_flags == b->l4_flags &&
		a->flags == b->flags && a->max_header_size == b->max_header_size;
}

bool
gso_active_equal(const struct gso_offload_active *a,
		const struct gso_offload_active *b)
{
	if (a->encaps != b->encaps || a->vxlan_port != b->vxlan_port)
		return false;
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++)
		if (a->encap_pairs[e] != b->encap_pairs[e] ||
				!encap_equal(&a->encap[e], &b->encap[e]))
			return false;
	return a->keywords == b->keywords && a->pairs == b->pairs &&
		a->caps.l3_flags == b->caps.l3_flags &&
		a->caps.l4_flags == b->caps.l4_flags &&
		a->caps.l4_header_offset_limit ==
			b->caps.l4_header_offset_limit &&
		a->caps.max_offload_size == b->caps.max_offload_size &&
		a->caps.min_segment_count == b->caps.min_segment_count;
}

static void
active_to_lso(const struct gso_offload_active *a,
		struct gso_offload_lso_caps *lso)
{
	gso_offload_lso_caps_init(lso,
			(a->keywords & GSO_OFFLOAD_LSO_IPV4) != 0,
			(a->keywords & GSO_OFFLOAD_LSO_IPV6) != 0,
			a->caps.max_offload_size, a->caps.min_segment_count,
			NULL, NULL);
}

static bool in_callback;

bool
gso_ctl_in_callback(void)
{
	return in_callback;
}

/* Run the driver's callback of a registration for a new active set. */
static int
run_callback(uint16_t port_id, bool is_lso,
		const struct gso_offload_caps *hw,
		const struct gso_offload_lso_caps *lso,
		const struct gso_offload_active *next)
{
	struct gso_offload_lso_caps lso_active;
	int ret = 0;

	in_callback = true;
	if (is_lso && lso->set_lso != NULL) {
		active_to_lso(next, &lso_active);
		ret = lso->set_lso(port_id, &lso_active, lso->set_lso_arg);
	} else if (!is_lso && hw->set_gso != NULL) {
		ret = hw->set_gso(port_id, next, hw->set_gso_arg);
	}
	in_callback = false;
	return ret > 0 ? -EIO : ret;
}

int
gso_port_change(struct gso_port *p, bool hw_registered,
		const struct gso_offload_caps *hw, bool hw_is_lso,
		const struct gso_offload_lso_caps *lso, uint32_t wanted,
		const struct gso_encap_next *enc)
{
	struct gso_offload_active next;
	char kw[64];
	int ret;

	if (enc == NULL)
		enc = &p->encap;
	if (!hw_registered) {
		/* Dropping the registration: the old driver hears of it. */
		hw = &p->hw;
		hw_is_lso = p->hw_is_lso;
		lso = &p->lso;
	}
	gso_active_compute(hw, hw_registered, wanted, enc, &next);

	if (!gso_active_equal(&next, &p->active)) {
		/*
		 * A driver may stop and restart the port: hold the data plane
		 * off it first, and republish whatever is current afterwards,
		 * new state or old. Not so the library's own callback on a
		 * hitless port (configured with every TX offload its hardware
		 * has): it leaves the port alone, the pipelines keep sending
		 * under the old set until the new one is published below.
		 */
		const bool hitless = !hw_is_lso && hw->set_gso != NULL &&
			hw->set_gso == p->hitless_set_gso;

		if (!hitless)
			gso_dp_port_hold(p->port_id);
		ret = run_callback(p->port_id, hw_is_lso, hw, lso, &next);
		if (ret != 0) {
			if (!hitless)
				gso_dp_port_publish(p->port_id);
			GSO_LOG(ERR, "port %u: driver refused the new active set: %s",
				p->port_id, strerror(-ret));
			return ret;
		}
		gso_offload_keywords_str(next.keywords, kw, sizeof(kw));
		GSO_LOG(INFO, "port %u: active set now %s, encapsulations %#x",
			p->port_id, kw, next.encaps);
	}

	p->hw_registered = hw_registered;
	if (hw_registered) {
		p->hw = *hw;
		p->hw_is_lso = hw_is_lso;
		if (hw_is_lso)
			p->lso = *lso;
	}
	p->wanted = wanted;
	if (enc != &p->encap)
		p->encap = *enc;
	if (!gso_active_equal(&next, &p->active)) {
		p->active = next;
		gso_dp_port_publish(p->port_id);
	}
	return 0;
}

/* ---- Queries on the read-only handle ---- */

bool
gso_offload_is_lso_ipv4_enabled(const struct gso_offload_active *a)
{
	return (a->keywords & GSO_OFFLOAD_LSO_IPV4) != 0;
}

bool
gso_offload_is_lso_ipv6_enabled(const struct gso_offload_active *a)
{
	return (a->keywords & GSO_OFFLOAD_LSO_IPV6) != 0;
}

bool
gso_offload_is_uso_ipv4_enabled(const struct gso_offload_active *a)
{
	return (a->keywords & GSO_OFFLOAD_USO_IPV4) != 0;
}

bool
gso_offload_is_uso_ipv6_enabled(const struct gso_offload_active *a)
{
	return (a->keywords & GSO_OFFLOAD_USO_IPV6) != 0;
}

uint32_t
gso_offload_active_keywords(const struct gso_offload_active *a)
{
	return a->keywords;
}

void
gso_offload_active_caps(const struct gso_offload_active *a,
		struct gso_offload_caps *caps)
{
	*caps = a->caps;
	caps->set_gso = NULL;
	caps->set_gso_arg = NULL;
}

bool
gso_offload_active_allows(const struct gso_offload_active *a,
		uint32_t l3_flag, uint32_t l4_flag)
{
	if (!rte_is_power_of_2(l3_flag) || !rte_is_power_of_2(l4_flag) ||
			(l3_flag & ~GSO_OFFLOAD_L3_ALL) ||
			(l4_flag & ~GSO_OFFLOAD_L4_ALL))
		return false;
	return (a->pairs & GSO_PAIR_BIT(rte_bsf32(l3_flag),
			rte_bsf32(l4_flag))) != 0;
}

uint32_t
gso_offload_active_encaps(const struct gso_offload_active *a)
{
	return a->encaps;
}

int
gso_offload_active_encap(const struct gso_offload_active *a,
		unsigned int encap, struct gso_offload_encap *out)
{
	if (a == NULL || out == NULL || encap >= GSO_OFFLOAD_ENCAP_NB)
		return -EINVAL;
	*out = a->encap[encap];
	return 0;
}

bool
gso_offload_active_encap_allows(const struct gso_offload_active *a,
		unsigned int encap, uint32_t l3_flag, uint32_t l4_flag)
{
	if (encap >= GSO_OFFLOAD_ENCAP_NB ||
			!rte_is_power_of_2(l3_flag) || !rte_is_power_of_2(l4_flag) ||
			(l3_flag & ~GSO_OFFLOAD_L3_ALL) ||
			(l4_flag & ~GSO_OFFLOAD_L4_ALL))
		return false;
	return (a->encap_pairs[encap] & GSO_PAIR_BIT(rte_bsf32(l3_flag),
			rte_bsf32(l4_flag))) != 0;
}

uint16_t
gso_offload_active_vxlan_port(const struct gso_offload_active *a)
{
	return a->vxlan_port;
}

int
gso_offload_active_encaps_get(uint16_t port_id, uint32_t *encaps)
{
	struct gso_port *p;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (encaps == NULL)
		return -EINVAL;
	gso_ctl_lock();
	p = gso_port_find(port_id);
	*encaps = p != NULL ? p->active.encaps : 0;
	gso_ctl_unlock();
	return 0;
}

int
gso_offload_active_query(uint16_t port_id,
		int (*fn)(uint16_t port_id, const struct gso_offload_active *a,
			void *arg),
		void *arg)
{
	struct gso_offload_active none, snapshot;
	struct gso_port *p;

	if (!rte_eth_dev_is_valid_port(port_id) || fn == NULL)
		return fn == NULL ? -EINVAL : -ENODEV;
	gso_ctl_lock();
	p = gso_port_find(port_id);
	if (p != NULL) {
		snapshot = p->active;
	} else {
		gso_active_compute(NULL, false, 0, NULL, &none);
		snapshot = none;
	}
	gso_ctl_unlock();
	return fn(port_id, &snapshot, arg);
}

int
gso_offload_active_keywords_get(uint16_t port_id, uint32_t *keywords)
{
	struct gso_port *p;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (keywords == NULL)
		return -EINVAL;
	gso_ctl_lock();
	p = gso_port_find(port_id);
	*keywords = p != NULL ? p->active.keywords : 0;
	gso_ctl_unlock();
	return 0;
}

/* ---- The administrator's side ---- */

int
gso_offload_wanted_update(uint16_t port_id, uint32_t on_mask, uint32_t off_mask)
{
	const struct gso_offload_settings st = { .on = on_mask, .off = off_mask };

	return gso_offload_settings_apply(port_id, &st);
}

int
gso_offload_wanted_get(uint16_t port_id, uint32_t *keywords)
{
	struct gso_port *p;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (keywords == NULL)
		return -EINVAL;
	gso_ctl_lock();
	p = gso_port_find(port_id);
	*keywords = p != NULL ? p->wanted : GSO_OFFLOAD_KW_ALL;
	gso_ctl_unlock();
	return 0;
}

const char *
gso_offload_keyword_name(uint32_t keyword)
{
	switch (keyword) {
	case GSO_OFFLOAD_LSO_IPV4: return "LsoV2IPv4";
	case GSO_OFFLOAD_LSO_IPV6: return "LsoV2IPv6";
	case GSO_OFFLOAD_USO_IPV4: return "UsoIPv4";
	case GSO_OFFLOAD_USO_IPV6: return "UsoIPv6";
	default: return "?";
	}
}

/* Every setting's short and standard names, matched case-insensitively:
 * the GSO keywords, the encapsulation keywords and the VXLAN port. */
enum setting_kind { SET_GSO, SET_ENCAP, SET_VXLAN_PORT };

static const struct {
	const char *short_name;
	const char *ndis_name;
	uint8_t kind;           /* enum setting_kind */
	uint32_t bit;
} settings_names[] = {
	{ "lso4", "LsoV2IPv4", SET_GSO, GSO_OFFLOAD_LSO_IPV4 },
	{ "lso6", "LsoV2IPv6", SET_GSO, GSO_OFFLOAD_LSO_IPV6 },
	{ "uso4", "UsoIPv4", SET_GSO, GSO_OFFLOAD_USO_IPV4 },
	{ "uso6", "UsoIPv6", SET_GSO, GSO_OFFLOAD_USO_IPV6 },
	{ "encap", "EncapsulatedPacketTaskOffload", SET_ENCAP,
		GSO_OFFLOAD_KW_ENCAP },
	{ "encap_vxlan", "EncapsulatedPacketTaskOffloadVxlan", SET_ENCAP,
		GSO_OFFLOAD_KW_ENCAP_VXLAN },
	{ "encap_geneve", "EncapsulatedPacketTaskOffloadGeneve", SET_ENCAP,
		GSO_OFFLOAD_KW_ENCAP_GENEVE },
	{ "encap_gre", "EncapsulatedPacketTaskOffloadGre", SET_ENCAP,
		GSO_OFFLOAD_KW_ENCAP_GRE },
	/* NDIS's own name for its GRE encapsulation. */
	{ "encap_nvgre", "EncapsulatedPacketTaskOffloadNvgre", SET_ENCAP,
		GSO_OFFLOAD_KW_ENCAP_GRE },
	{ "encap_ipip", "EncapsulatedPacketTaskOffloadIpip", SET_ENCAP,
		GSO_OFFLOAD_KW_ENCAP_IPIP },
	{ "vxlan_port", "VxlanUDPPortNumber", SET_VXLAN_PORT, 0 },
};

/* The index of a key in settings_names, or -1. */
static int
setting_lookup(const char *key)
{
	if (key[0] == '*')
		key++;
	for (size_t i = 0; i < RTE_DIM(settings_names); i++)
		if (strcasecmp(key, settings_names[i].short_name) == 0 ||
				strcasecmp(key, settings_names[i].ndis_name) == 0)
			return (int)i;
	return -1;
}

/* 1 for on, 0 for off, -1 otherwise. */
static int
value_lookup(const char *v)
{
	if (strcasecmp(v, "on") == 0 || strcmp(v, "1") == 0)
		return 1;
	if (strcasecmp(v, "off") == 0 || strcmp(v, "0") == 0)
		return 0;
	return -1;
}

/* A UDP port 1..65535 in decimal, "hw" for the hardware's; 0 if bad. */
static uint32_t
port_lookup(const char *v)
{
	unsigned long n = 0;

	if (strcasecmp(v, "hw") == 0)
		return GSO_OFFLOAD_VXLAN_PORT_HW;
	if (*v == '\0' || strlen(v) > 5)
		return 0;
	for (const char *c = v; *c != '\0'; c++) {
		if (!isdigit((unsigned char)*c))
			return 0;
		n = n * 10 + (unsigned long)(*c - '0');
	}
	return n >= 1 && n <= UINT16_MAX ? (uint32_t)n : 0;
}

static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

#define PARSE_FAIL(...) do {						\
	if (err != NULL && err_len > 0)					\
		snprintf(err, err_len, __VA_ARGS__);			\
	return -EINVAL;							\
} while (0)

/* The parser of both gso_offload_wanted_parse() (GSO keywords only) and
 * gso_offload_settings_parse() (everything). */
static int
settings_parse(const char *str, bool all, struct gso_offload_settings *out,
		char *err, size_t err_len)
{
	struct gso_offload_settings s = { 0 };
	char buf[256], *save = NULL, *item;
	bool port_seen = false;
	unsigned int n = 0;

	if (err != NULL && err_len > 0)
		err[0] = '\0';
	if (str == NULL || out == NULL)
		PARSE_FAIL("NULL argument");
	if (strlen(str) >= sizeof(buf))
		PARSE_FAIL("string longer than %zu characters", sizeof(buf) - 1);
	strcpy(buf, str);

	if (*trim(buf) != '\0') {
		/* strtok_r would skip empty items; walk the commas instead. */
		for (item = buf; item != NULL; item = save) {
			char *eq, *key, *val;
			uint32_t bit, *on, *off;
			int idx, v;

			save = strchr(item, ',');
			if (save != NULL)
				*save++ = '\0';
			n++;
			item = trim(item);
			if (*item == '\0')
				PARSE_FAIL("item %u is empty", n);
			eq = strchr(item, '=');
			if (eq == NULL)
				PARSE_FAIL("item %u '%s': expected keyword=on|off",
					n, item);
			*eq = '\0';
			key = trim(item);
			val = trim(eq + 1);
			idx = setting_lookup(key);
			if (idx >= 0 && !all && settings_names[idx].kind != SET_GSO)
				PARSE_FAIL("item %u: '%s' is an encapsulation setting (gso_offload_settings_parse() takes it)",
					n, key);
			if (idx < 0 && !all)
				PARSE_FAIL("item %u: unknown keyword '%s' (expected lso4, lso6, uso4, uso6, LsoV2IPv4, LsoV2IPv6, UsoIPv4 or UsoIPv6)",
					n, key);
			if (idx < 0)
				PARSE_FAIL("item %u: unknown keyword '%s' (expected lso4, lso6, uso4, uso6, encap, encap_vxlan, encap_geneve, encap_gre, encap_ipip, vxlan_port or their NDIS names)",
					n, key);
			if (settings_names[idx].kind == SET_VXLAN_PORT) {
				if (port_seen)
					PARSE_FAIL("item %u: keyword '%s' given twice",
						n, key);
				port_seen = true;
				s.vxlan_udp_port = port_lookup(val);
				if (s.vxlan_udp_port == 0)
					PARSE_FAIL("item %u: bad value '%s' for '%s' (expected a UDP port 1..65535 or hw)",
						n, val, key);
				continue;
			}
			bit = settings_names[idx].bit;
			if (settings_names[idx].kind == SET_GSO) {
				on = &s.on;
				off = &s.off;
			} else {
				on = &s.encap_on;
				off = &s.encap_off;
			}
			if ((*on | *off) & bit)
				PARSE_FAIL("item %u: keyword '%s' given twice",
					n, key);
			v = value_lookup(val);
			if (v < 0)
				PARSE_FAIL("item %u: bad value '%s' for '%s' (expected on, off, 1 or 0)",
					n, val, key);
			if (v)
				*on |= bit;
			else
				*off |= bit;
		}
	}
	*out = s;
	return 0;
}

int
gso_offload_wanted_parse(const char *str, uint32_t *on_mask,
		uint32_t *off_mask, char *err, size_t err_len)
{
	struct gso_offload_settings s;
	int ret;

	if (on_mask == NULL || off_mask == NULL) {
		if (err != NULL && err_len > 0)
			snprintf(err, err_len, "NULL argument");
		return -EINVAL;
	}
	ret = settings_parse(str, false, &s, err, err_len);
	if (ret != 0)
		return ret;
	*on_mask = s.on;
	*off_mask = s.off;
	return 0;
}

int
gso_offload_settings_parse(const char *str, struct gso_offload_settings *s,
		char *err, size_t err_len)
{
	return settings_parse(str, true, s, err, err_len);
}

int
gso_offload_settings_apply(uint16_t port_id,
		const struct gso_offload_settings *s)
{
	struct gso_encap_next enc;
	struct gso_port *p;
	uint32_t wanted;
	int ret;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (s == NULL || ((s->on | s->off) & ~GSO_OFFLOAD_KW_ALL) ||
			(s->on & s->off) ||
			((s->encap_on | s->encap_off) & ~GSO_OFFLOAD_KW_ENCAP_ALL) ||
			(s->encap_on & s->encap_off) ||
			(s->vxlan_udp_port > UINT16_MAX &&
			 s->vxlan_udp_port != GSO_OFFLOAD_VXLAN_PORT_HW))
		return -EINVAL;

	gso_ctl_lock();
	p = gso_port_for_change(port_id, &ret);
	if (p == NULL)
		goto out;
	wanted = (p->wanted | s->on) & ~s->off;
	enc = p->encap;
	enc.wanted = (enc.wanted | s->encap_on) & ~s->encap_off;
	if (s->vxlan_udp_port == GSO_OFFLOAD_VXLAN_PORT_HW)
		enc.vxlan_port = 0;
	else if (s->vxlan_udp_port != 0)
		enc.vxlan_port = (uint16_t)s->vxlan_udp_port;
	ret = gso_port_change(p, p->hw_registered, &p->hw, p->hw_is_lso,
			&p->lso, wanted, &enc);
out:
	gso_ctl_unlock();
	return ret;
}

int
gso_offload_encap_wanted_get(uint16_t port_id, uint32_t *keywords,
		uint16_t *vxlan_port)
{
	struct gso_port *p;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (keywords == NULL)
		return -EINVAL;
	gso_ctl_lock();
	p = gso_port_find(port_id);
	*keywords = p != NULL ? p->encap.wanted : GSO_OFFLOAD_KW_ENCAP_ALL;
	if (vxlan_port != NULL)
		*vxlan_port = p != NULL ? p->encap.vxlan_port : 0;
	gso_ctl_unlock();
	return 0;
}

int
gso_offload_wanted_set_str(uint16_t port_id, const char *str)
{
	struct gso_offload_settings s;
	char err[200];
	int ret;

	/* Every setting: the encapsulation ones too. */
	ret = gso_offload_settings_parse(str, &s, err, sizeof(err));
	if (ret != 0) {
		GSO_LOG(ERR, "port %u: bad offload settings \"%s\": %s",
			port_id, str ? str : "(null)", err);
		return ret;
	}
	return gso_offload_settings_apply(port_id, &s);
}
