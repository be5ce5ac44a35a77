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

void
gso_active_compute(const struct gso_offload_caps *hw, bool registered,
		uint32_t wanted, struct gso_offload_active *a)
{
	uint32_t hw_kw = 0;

	memset(a, 0, sizeof(*a));
	a->caps.size = sizeof(a->caps);
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

bool
gso_active_equal(const struct gso_offload_active *a,
		const struct gso_offload_active *b)
{
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
		const struct gso_offload_lso_caps *lso, uint32_t wanted)
{
	struct gso_offload_active next;
	char kw[64];
	int ret;

	if (!hw_registered) {
		/* Dropping the registration: the old driver hears of it. */
		hw = &p->hw;
		hw_is_lso = p->hw_is_lso;
		lso = &p->lso;
	}
	gso_active_compute(hw, hw_registered, wanted, &next);

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
		GSO_LOG(INFO, "port %u: active set now %s", p->port_id, kw);
	}

	p->hw_registered = hw_registered;
	if (hw_registered) {
		p->hw = *hw;
		p->hw_is_lso = hw_is_lso;
		if (hw_is_lso)
			p->lso = *lso;
	}
	p->wanted = wanted;
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
		gso_active_compute(NULL, false, 0, &none);
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
	struct gso_port *p;
	uint32_t wanted;
	int ret;

	if (!rte_eth_dev_is_valid_port(port_id))
		return -ENODEV;
	if (((on_mask | off_mask) & ~GSO_OFFLOAD_KW_ALL) ||
			(on_mask & off_mask))
		return -EINVAL;

	gso_ctl_lock();
	if (gso_ctl_in_callback()) {
		ret = -EDEADLK;
		goto out;
	}
	p = gso_port_get(port_id);
	if (p == NULL) {
		ret = -rte_errno;
		goto out;
	}
	wanted = (p->wanted | on_mask) & ~off_mask;
	ret = gso_port_change(p, p->hw_registered, &p->hw, p->hw_is_lso,
			&p->lso, wanted);
out:
	gso_ctl_unlock();
	return ret;
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

/* Short and standard names of each keyword, matched case-insensitively. */
static const struct {
	const char *short_name;
	uint32_t bit;
} keyword_names[] = {
	{ "lso4", GSO_OFFLOAD_LSO_IPV4 },
	{ "lso6", GSO_OFFLOAD_LSO_IPV6 },
	{ "uso4", GSO_OFFLOAD_USO_IPV4 },
	{ "uso6", GSO_OFFLOAD_USO_IPV6 },
};

static uint32_t
keyword_lookup(const char *key)
{
	if (key[0] == '*')
		key++;
	for (size_t i = 0; i < RTE_DIM(keyword_names); i++) {
		uint32_t bit = keyword_names[i].bit;

		if (strcasecmp(key, keyword_names[i].short_name) == 0 ||
				strcasecmp(key, gso_offload_keyword_name(bit)) == 0)
			return bit;
	}
	return 0;
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

int
gso_offload_wanted_parse(const char *str, uint32_t *on_mask,
		uint32_t *off_mask, char *err, size_t err_len)
{
	char buf[256], *save = NULL, *item;
	uint32_t on = 0, off = 0;
	unsigned int n = 0;

	if (err != NULL && err_len > 0)
		err[0] = '\0';
	if (str == NULL || on_mask == NULL || off_mask == NULL)
		PARSE_FAIL("NULL argument");
	if (strlen(str) >= sizeof(buf))
		PARSE_FAIL("string longer than %zu characters", sizeof(buf) - 1);
	strcpy(buf, str);

	if (*trim(buf) != '\0') {
		/* strtok_r would skip empty items; walk the commas instead. */
		for (item = buf; item != NULL; item = save) {
			char *eq, *key, *val;
			uint32_t bit;
			int v;

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
			bit = keyword_lookup(key);
			if (bit == 0)
				PARSE_FAIL("item %u: unknown keyword '%s' (expected lso4, lso6, uso4, uso6, LsoV2IPv4, LsoV2IPv6, UsoIPv4 or UsoIPv6)",
					n, key);
			if ((on | off) & bit)
				PARSE_FAIL("item %u: keyword '%s' given twice",
					n, key);
			v = value_lookup(val);
			if (v < 0)
				PARSE_FAIL("item %u: bad value '%s' for '%s' (expected on, off, 1 or 0)",
					n, val, key);
			if (v)
				on |= bit;
			else
				off |= bit;
		}
	}
	*on_mask = on;
	*off_mask = off;
	return 0;
}

int
gso_offload_wanted_set_str(uint16_t port_id, const char *str)
{
	uint32_t on, off;
	char err[160];
	int ret;

	ret = gso_offload_wanted_parse(str, &on, &off, err, sizeof(err));
	if (ret != 0) {
		GSO_LOG(ERR, "port %u: bad offload settings \"%s\": %s",
			port_id, str ? str : "(null)", err);
		return ret;
	}
	return gso_offload_wanted_update(port_id, on, off);
}
