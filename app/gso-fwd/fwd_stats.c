/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * What the forwarder reports: a periodic line per port, the totals (show
 * stats, the exit summary) and the same through rte_telemetry.
 *
 * Three sources per port: the ethdev counters (what the PMD received and
 * sent), the forwarder's (per worker, summed here; ingress counts on the
 * ingress port, everything after on the egress port) and the pipeline's
 * (gso_offload_tx_stats, on the egress port).
 */

#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_telemetry.h>

#include "fwd.h"
#include "gso_compat.h"

struct field {
	const char *name;
	size_t off;
};

#define FWD_FIELD(f) { #f, offsetof(struct fwd_counters, f) }
static const struct field fwd_fields[] = {
	FWD_FIELD(rx_pkts), FWD_FIELD(rx_bytes),
	FWD_FIELD(tx_pkts), FWD_FIELD(tx_bytes),
	FWD_FIELD(meta_superframes), FWD_FIELD(mtu_superframes),
	FWD_FIELD(tun_vxlan_superframes), FWD_FIELD(tun_geneve_superframes),
	FWD_FIELD(tun_gre_superframes), FWD_FIELD(tun_ipip_superframes),
	FWD_FIELD(tun_cksum_fixed),
	FWD_FIELD(partial_cksum_fixed),
	FWD_FIELD(udp_fragmented), FWD_FIELD(udp_fragments),
	FWD_FIELD(udp_oversize_dropped), FWD_FIELD(oversize_dropped),
	FWD_FIELD(malformed_dropped), FWD_FIELD(tx_full_dropped),
	FWD_FIELD(no_mbuf_dropped), FWD_FIELD(bad_chain_dropped),
	FWD_FIELD(hold_pkts), FWD_FIELD(hold_dropped),
};

#define CONTRACT_FIELD(f) { #f, offsetof(struct fwd_contract_counters, f) }
static const struct field contract_fields[] = {
	CONTRACT_FIELD(checked), CONTRACT_FIELD(gso),
	CONTRACT_FIELD(violations), CONTRACT_FIELD(not_active),
	CONTRACT_FIELD(no_offload), CONTRACT_FIELD(limits),
	CONTRACT_FIELD(oversize),
};

/* The library's counters, as it lists them. */
#define GSO_FIELD(f) { #f, offsetof(struct gso_offload_tx_stats, f) },
static const struct field gso_fields[] = {
	GSO_OFFLOAD_TX_COUNTERS(GSO_FIELD)
};

static inline uint64_t
field_get(const void *s, const struct field *f)
{
	return *(const uint64_t *)((const uint8_t *)s + f->off);
}

void
fwd_counters_sum(uint16_t port, struct fwd_counters *sum)
{
	memset(sum, 0, sizeof(*sum));
	for (unsigned int w = 0; w < fwd_nb_lcores; w++) {
		const struct fwd_counters *c = &fwd_lcores[w].cnt[port];

		for (unsigned int i = 0; i < RTE_DIM(fwd_fields); i++)
			*(uint64_t *)((uint8_t *)sum + fwd_fields[i].off) +=
				__atomic_load_n((const uint64_t *)
					((const uint8_t *)c + fwd_fields[i].off),
					__ATOMIC_RELAXED);
	}
}

uint64_t
fwd_rx_total(void)
{
	uint64_t n = 0;

	for (unsigned int w = 0; w < fwd_nb_lcores; w++)
		for (unsigned int i = 0; i < fwd_cfg.nb_ports; i++)
			n += __atomic_load_n(
				&fwd_lcores[w].cnt[fwd_cfg.ports[i]].rx_pkts,
				__ATOMIC_RELAXED);
	return n;
}

/* Everything known of a port at one instant. */
struct port_snap {
	uint64_t tsc;
	struct rte_eth_stats eth;
	struct fwd_counters fwd;
	struct gso_offload_tx_stats gso;
	struct fwd_contract_counters contract;
};

static void
snap(uint16_t port, struct port_snap *s)
{
	memset(s, 0, sizeof(*s));
	s->tsc = rte_rdtsc();
	rte_eth_stats_get(port, &s->eth);
	fwd_counters_sum(port, &s->fwd);
	gso_offload_tx_stats_get(port, &s->gso);
	fwd_contract_sum(port, &s->contract);
}

/* Every frame lost on the way, wherever it was counted. */
static uint64_t
drops(const struct port_snap *s)
{
	uint64_t n = s->eth.imissed + s->eth.ierrors + s->eth.rx_nombuf +
		s->eth.oerrors;

	n += s->fwd.udp_oversize_dropped + s->fwd.oversize_dropped +
		s->fwd.malformed_dropped + s->fwd.tx_full_dropped +
		s->fwd.no_mbuf_dropped + s->fwd.bad_chain_dropped +
		s->fwd.hold_dropped;
	for (unsigned int r = 0; r < GSO_OFFLOAD_REJ_MAX; r++)
		n += s->gso.rejected[r];
	return n + s->gso.tx_dropped;
}

static struct port_snap last[RTE_MAX_ETHPORTS];

static double
pct(uint64_t part, uint64_t whole)
{
	return whole == 0 ? 0.0 : 100.0 * (double)part / (double)whole;
}

/* One line: rates since the previous line, shares of the pipeline's
 * paths, drops. */
static void
port_line(FILE *f, uint16_t port, const struct port_snap *a,
		const struct port_snap *b)
{
	const double sec = (double)(b->tsc - a->tsc) / (double)rte_get_tsc_hz();
	const uint64_t hw = b->gso.hw_pkts - a->gso.hw_pkts;
	const uint64_t split = b->gso.split_pkts - a->gso.split_pkts;
	const uint64_t sw = b->gso.sw_pkts - a->gso.sw_pkts;
	const uint64_t pass = b->gso.pass_pkts - a->gso.pass_pkts;
	const uint64_t all = hw + split + sw + pass;

	if (sec <= 0)
		return;
	fprintf(f, "port %u: in %.3f Mpps %.3f Gbit/s | out %.3f Mpps "
		"%.3f Gbit/s | hw %.1f%% split %.1f%% sw %.1f%% pass %.1f%% "
		"| drops %" PRIu64 "\n", port,
		(double)(b->eth.ipackets - a->eth.ipackets) / sec / 1e6,
		(double)(b->eth.ibytes - a->eth.ibytes) * 8 / sec / 1e9,
		(double)(b->eth.opackets - a->eth.opackets) / sec / 1e6,
		(double)(b->eth.obytes - a->eth.obytes) * 8 / sec / 1e9,
		pct(hw, all), pct(split, all), pct(sw, all), pct(pass, all),
		drops(b) - drops(a));
}

void
fwd_stats_tick(FILE *f)
{
	for (unsigned int i = 0; i < fwd_cfg.nb_ports; i++) {
		uint16_t port = fwd_cfg.ports[i];
		struct port_snap now;

		snap(port, &now);
		if (f != NULL && last[port].tsc != 0)
			port_line(f, port, &last[port], &now);
		last[port] = now;
	}
	if (f != NULL)
		fflush(f);
}

/* Every total of a port, by name, to fn: the exit summary, "show stats"
 * and telemetry list the same counters. */
typedef void (*counter_fn)(void *arg, const char *name, uint64_t value);

static void
counters_visit(const struct port_snap *s, counter_fn fn, void *arg)
{
	char name[64];

	fn(arg, "rx_pkts", s->eth.ipackets);
	fn(arg, "rx_bytes", s->eth.ibytes);
	fn(arg, "tx_pkts", s->eth.opackets);
	fn(arg, "tx_bytes", s->eth.obytes);
	fn(arg, "drops", drops(s));
	for (unsigned int i = 0; i < RTE_DIM(fwd_fields); i++) {
		snprintf(name, sizeof(name), "fwd_%s", fwd_fields[i].name);
		fn(arg, name, field_get(&s->fwd, &fwd_fields[i]));
	}
	for (unsigned int i = 0; i < RTE_DIM(gso_fields); i++)
		fn(arg, gso_fields[i].name, field_get(&s->gso, &gso_fields[i]));
	for (unsigned int i = 0; i < RTE_DIM(contract_fields); i++) {
		snprintf(name, sizeof(name), "contract_%s",
			contract_fields[i].name);
		fn(arg, name, field_get(&s->contract, &contract_fields[i]));
	}
	for (unsigned int r = 0; r < GSO_OFFLOAD_SW_REASON_MAX; r++) {
		snprintf(name, sizeof(name), "sw_reason_%s",
			gso_offload_sw_reason_name(r));
		fn(arg, name, s->gso.sw_reason[r]);
	}
	for (unsigned int r = 0; r < GSO_OFFLOAD_REJ_MAX; r++) {
		snprintf(name, sizeof(name), "rejected_%s",
			gso_offload_reject_reason_name(r));
		fn(arg, name, s->gso.rejected[r]);
	}
}

static void
print_counter(void *arg, const char *name, uint64_t value)
{
	fprintf(arg, " %s=%" PRIu64, name, value);
}

/* Totals of one port as "name=value" pairs. */
static void
port_totals(FILE *f, uint16_t port, const char *prefix)
{
	struct port_snap s;

	snap(port, &s);
	fprintf(f, "%sport=%u", prefix, port);
	counters_visit(&s, print_counter, f);
	fprintf(f, "\n");
}

void
fwd_stats_show(FILE *f)
{
	for (unsigned int i = 0; i < fwd_cfg.nb_ports; i++)
		port_totals(f, fwd_cfg.ports[i], "");
	fflush(f);
}

void
fwd_summary_print(FILE *f)
{
	for (unsigned int i = 0; i < fwd_cfg.nb_ports; i++) {
		const char *first = fwd_contract_first(fwd_cfg.ports[i]);

		port_totals(f, fwd_cfg.ports[i], "summary ");
		if (first != NULL)
			fprintf(f, "gso-fwd: port %u: first contract violation: "
				"%s\n", fwd_cfg.ports[i], first);
	}
	fflush(f);
}

/* ---- rte_telemetry ---- */

static int
parse_port(const char *params, const char **rest)
{
	char *end;
	unsigned long port;

	if (params == NULL || *params == '\0')
		return -EINVAL;
	port = strtoul(params, &end, 10);
	if (end == params || (*end != '\0' && *end != ',') ||
			port >= RTE_MAX_ETHPORTS)
		return -EINVAL;
	if (!fwd_port_used((uint16_t)port))
		return -ENODEV;
	if (rest != NULL)
		*rest = *end == ',' ? end + 1 : end;
	return (int)port;
}

/* /gso_fwd/ports: the ports in use. */
static int
tel_ports(const char *cmd __rte_unused, const char *params __rte_unused,
		struct rte_tel_data *d)
{
	rte_tel_data_start_array(d, RTE_TEL_INT_VAL);
	for (unsigned int i = 0; i < fwd_cfg.nb_ports; i++)
		rte_tel_data_add_array_int(d, fwd_cfg.ports[i]);
	return 0;
}

static void
tel_counter(void *arg, const char *name, uint64_t value)
{
	char key[64];

	/* Telemetry names take no '-'. */
	snprintf(key, sizeof(key), "%s", name);
	for (char *c = key; *c != '\0'; c++)
		if (*c == '-')
			*c = '_';
	gso_tel_dict_u64(arg, key, value);
}

/* /gso_fwd/stats,<port>: the port's totals. */
static int
tel_stats(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	int port = parse_port(params, NULL);
	struct port_snap s;

	if (port < 0)
		return port;
	snap((uint16_t)port, &s);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "port", port);
	rte_tel_data_add_dict_int(d, "egress", fwd_cfg.dst[port]);
	counters_visit(&s, tel_counter, d);
	return 0;
}

/* /gso_fwd/offload,<port>,<spec>: change the administrator's wanted
 * settings ("lso6=off"); answers with the wanted and active sets. An
 * empty spec only reads them. */
static int
tel_offload(const char *cmd __rte_unused, const char *params,
		struct rte_tel_data *d)
{
	const char *spec = NULL;
	int port = parse_port(params, &spec);
	uint32_t wanted = 0, active = 0;
	char err[128], buf[64];

	if (port < 0)
		return port;
	rte_tel_data_start_dict(d);
	if (fwd_set_offload((uint16_t)port, spec, err, sizeof(err)) != 0) {
		rte_tel_data_add_dict_string(d, "error", err);
		return 0;
	}
	gso_offload_wanted_get((uint16_t)port, &wanted);
	gso_offload_active_keywords_get((uint16_t)port, &active);
	rte_tel_data_add_dict_int(d, "port", port);
	gso_offload_keywords_str(wanted, buf, sizeof(buf));
	rte_tel_data_add_dict_string(d, "wanted", buf);
	gso_offload_keywords_str(active, buf, sizeof(buf));
	rte_tel_data_add_dict_string(d, "active", buf);
	return 0;
}

/* Help texts must be shorter than 128 bytes (rte_telemetry's limit). */
int
fwd_telemetry_register(void)
{
	int ret;

	ret = rte_telemetry_register_cmd("/gso_fwd/ports", tel_ports,
			"Ports gso-fwd forwards on. No parameters");
	if (ret == 0)
		ret = rte_telemetry_register_cmd("/gso_fwd/stats", tel_stats,
			"Forwarder and pipeline totals of a port. "
			"Parameters: int port_id");
	if (ret == 0)
		ret = rte_telemetry_register_cmd("/gso_fwd/offload",
			tel_offload, "Set wanted offloads, show wanted/active. "
			"Parameters: int port_id, string spec (lso6=off,...)");
	return ret;
}
