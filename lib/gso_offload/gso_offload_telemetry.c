/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Telemetry (dpdk-telemetry.py):
 *   /gso_offload/ports          ports the library knows
 *   /gso_offload/caps           every port: hardware, wanted and active
 *                               (encapsulations included)
 *   /gso_offload/port,<id>      one port in full: caps, encapsulated
 *                               offload, limits, offloads
 *   /gso_offload/stats,<id>     the TX pipeline's counters of one port
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "gso_compat.h"
#include "gso_offload_private.h"
#include "gso_offload_tx.h"

static int
parse_port(const char *params, uint16_t *port_id)
{
	char *end;
	unsigned long v;

	if (params == NULL || *params == '\0')
		return -EINVAL;
	v = strtoul(params, &end, 10);
	if (*end != '\0' || v >= RTE_MAX_ETHPORTS ||
			!rte_eth_dev_is_valid_port((uint16_t)v))
		return -EINVAL;
	*port_id = (uint16_t)v;
	return 0;
}

static int
tel_ports(const char *cmd, const char *params, struct rte_tel_data *d)
{
	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	gso_ctl_lock();
	for (uint16_t port_id = 0; port_id < RTE_MAX_ETHPORTS; port_id++)
		if (gso_port_find(port_id) != NULL)
			rte_tel_data_add_array_int(d, port_id);
	gso_ctl_unlock();
	return 0;
}

/* One line per part: "ipv4,ipv6 / tcp,udp / max 65535 min 2 offset 0". */
static void
caps_line(const struct gso_offload_caps *c, bool present, char *buf,
		size_t len)
{
	char l3[40], l4[24];  /* longest: all four L3 and all three L4 names */

	if (!present || (c->l3_flags == 0 && c->l4_flags == 0)) {
		snprintf(buf, len, "none");
		return;
	}
	gso_offload_l3_flags_str(c->l3_flags, l3, sizeof(l3));
	gso_offload_l4_flags_str(c->l4_flags, l4, sizeof(l4));
	snprintf(buf, len, "%s / %s / max %u min %u offset-limit %u", l3, l4,
		c->max_offload_size, c->min_segment_count,
		c->l4_header_offset_limit);
}

/* "vxlan,gre" or "none". */
static void
encaps_line(uint32_t encaps, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++)
		if (encaps & GSO_OFFLOAD_ENCAP_BIT(e))
			used += snprintf(buf + used, used < len ? len - used : 0,
				"%s%s", used ? "," : "",
				gso_offload_encap_name(e));
	if (used == 0)
		snprintf(buf, len, "none");
}

static int
tel_caps(const char *cmd, const char *params, struct rte_tel_data *d)
{
	char line[RTE_TEL_MAX_STRING_LEN], name[32];

	RTE_SET_USED(cmd);
	RTE_SET_USED(params);
	rte_tel_data_start_dict(d);
	gso_ctl_lock();
	for (uint16_t port_id = 0; port_id < RTE_MAX_ETHPORTS; port_id++) {
		const struct gso_port *p = gso_port_find(port_id);
		char kw[32], act[32];

		if (p == NULL)
			continue;
		caps_line(&p->hw, p->hw_registered, line, sizeof(line));
		snprintf(name, sizeof(name), "port%u_hw", port_id);
		rte_tel_data_add_dict_string(d, name, line);
		gso_offload_keywords_str(p->wanted, kw, sizeof(kw));
		snprintf(name, sizeof(name), "port%u_wanted", port_id);
		rte_tel_data_add_dict_string(d, name, kw);
		gso_offload_keywords_str(p->active.keywords, act, sizeof(act));
		caps_line(&p->active.caps, true, line, sizeof(line));
		snprintf(name, sizeof(name), "port%u_active", port_id);
		rte_tel_data_add_dict_string(d, name, act);
		snprintf(name, sizeof(name), "port%u_active_caps", port_id);
		rte_tel_data_add_dict_string(d, name, line);
		encaps_line(p->active.encaps, line, sizeof(line));
		snprintf(name, sizeof(name), "port%u_active_encaps", port_id);
		rte_tel_data_add_dict_string(d, name, line);
	}
	gso_ctl_unlock();
	return 0;
}

static int
tel_port(const char *cmd, const char *params, struct rte_tel_data *d)
{
	char buf[RTE_TEL_MAX_STRING_LEN];
	const struct gso_port *p;
	uint16_t port_id;

	RTE_SET_USED(cmd);
	if (parse_port(params, &port_id) != 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "port", port_id);
	rte_tel_data_add_dict_string(d, "provider",
			gso_offload_port_provider_name(port_id));
	rte_tel_data_add_dict_int(d, "started",
			gso_offload_port_is_started(port_id));

	gso_ctl_lock();
	p = gso_port_find(port_id);
	if (p == NULL) {
		gso_ctl_unlock();
		rte_tel_data_add_dict_string(d, "state", "unknown to gso_offload");
		return 0;
	}
	gso_offload_l3_flags_str(p->hw_registered ? p->hw.l3_flags : 0, buf, sizeof(buf));
	rte_tel_data_add_dict_string(d, "hw_l3", buf);
	gso_offload_l4_flags_str(p->hw_registered ? p->hw.l4_flags : 0, buf, sizeof(buf));
	rte_tel_data_add_dict_string(d, "hw_l4", buf);
	gso_tel_dict_u64(d, "hw_max_offload_size",
			p->hw_registered ? p->hw.max_offload_size : 0);
	gso_tel_dict_u64(d, "hw_min_segment_count",
			p->hw_registered ? p->hw.min_segment_count : 0);
	gso_tel_dict_u64(d, "hw_l4_header_offset_limit",
			p->hw_registered ? p->hw.l4_header_offset_limit : 0);
	rte_tel_data_add_dict_string(d, "hw_registration",
			!p->hw_registered ? "none" : p->hw_is_lso ? "lso" : "gso");
	gso_offload_keywords_str(p->wanted, buf, sizeof(buf));
	rte_tel_data_add_dict_string(d, "wanted", buf);
	gso_offload_keywords_str(p->active.keywords, buf, sizeof(buf));
	rte_tel_data_add_dict_string(d, "active", buf);
	gso_offload_l3_flags_str(p->active.caps.l3_flags, buf, sizeof(buf));
	rte_tel_data_add_dict_string(d, "active_l3", buf);
	gso_offload_l4_flags_str(p->active.caps.l4_flags, buf, sizeof(buf));
	rte_tel_data_add_dict_string(d, "active_l4", buf);
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++) {
		char name[32];

		snprintf(name, sizeof(name), "encap_%s_hw",
			gso_offload_encap_name(e));
		gso_offload_encap_str(&p->encap.hw.encap[e], buf, sizeof(buf));
		rte_tel_data_add_dict_string(d, name,
			p->encap.registered ? buf : "none");
		snprintf(name, sizeof(name), "encap_%s_active",
			gso_offload_encap_name(e));
		gso_offload_encap_str(&p->active.encap[e], buf, sizeof(buf));
		rte_tel_data_add_dict_string(d, name, buf);
	}
	gso_offload_encap_keywords_str(p->encap.wanted, buf, sizeof(buf));
	rte_tel_data_add_dict_string(d, "encap_wanted", buf);
	gso_tel_dict_u64(d, "vxlan_port_hw", p->encap.registered ?
			p->encap.hw.vxlan_udp_port : 0);
	gso_tel_dict_u64(d, "vxlan_port_wanted", p->encap.vxlan_port);
	gso_tel_dict_u64(d, "vxlan_port_active", p->active.vxlan_port);
	if (p->have_limits) {
		gso_tel_dict_u64(d, "mss_min", p->lim.mss_min);
		gso_tel_dict_u64(d, "mss_max", p->lim.mss_max);
		gso_tel_dict_u64(d, "max_frame", p->lim.max_frame);
		gso_tel_dict_u64(d, "max_segments", p->lim.max_segments);
		gso_tel_dict_u64(d, "nb_seg_max", p->lim.nb_seg_max);
		gso_tel_dict_u64(d, "nb_mtu_seg_max",
				p->lim.nb_mtu_seg_max);
		gso_tel_dict_u64(d, "max_seg_data_len",
				p->lim.max_seg_data_len);
		gso_tel_dict_u64(d, "mtu", p->lim.mtu);
		gso_tel_dict_u64(d, "quirks", p->lim.flags);
	}
	if (p->configured && p->tx_offloads_applied)
		gso_tel_dict_u64(d, "tx_offloads", p->tx_offloads);
	if (p->configured)
		rte_tel_data_add_dict_string(d, "changes", p->restart ?
				"restart" : "hitless");
	gso_ctl_unlock();
	return 0;
}

static int
tel_stats(const char *cmd, const char *params, struct rte_tel_data *d)
{
	struct gso_offload_tx_stats st;
	char name[48];
	uint16_t port_id;

	RTE_SET_USED(cmd);
	if (parse_port(params, &port_id) != 0 ||
			gso_offload_tx_stats_get(port_id, &st) != 0)
		return -EINVAL;
	rte_tel_data_start_dict(d);
#define TEL_COUNTER_(field) gso_tel_dict_u64(d, #field, st.field);
	GSO_OFFLOAD_TX_COUNTERS(TEL_COUNTER_)
#undef TEL_COUNTER_
	for (int r = 0; r < GSO_OFFLOAD_SW_REASON_MAX; r++) {
		snprintf(name, sizeof(name), "sw_%s", gso_offload_sw_reason_name(r));
		for (char *c = name; *c; c++)
			if (*c == '-')
				*c = '_';
		gso_tel_dict_u64(d, name, st.sw_reason[r]);
	}
	for (int r = 0; r < GSO_OFFLOAD_REJ_MAX; r++) {
		snprintf(name, sizeof(name), "rejected_%s",
			gso_offload_reject_reason_name(r));
		for (char *c = name; *c; c++)
			if (*c == '-')
				*c = '_';
		gso_tel_dict_u64(d, name, st.rejected[r]);
	}
	return 0;
}

RTE_INIT(gso_offload_telemetry_init)
{
	rte_telemetry_register_cmd("/gso_offload/ports", tel_ports,
		"Ports known to gso_offload. Takes no parameters");
	rte_telemetry_register_cmd("/gso_offload/caps", tel_caps,
		"Hardware, wanted and active GSO capabilities of every port. Takes no parameters");
	rte_telemetry_register_cmd("/gso_offload/port", tel_port,
		"Full GSO state of one port. Parameters: int port_id");
	rte_telemetry_register_cmd("/gso_offload/stats", tel_stats,
		"TX pipeline counters of one port, summed over lcores. Parameters: int port_id");
}
