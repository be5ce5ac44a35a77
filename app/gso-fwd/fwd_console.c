/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * The interactive console (DPDK cmdline), in the spirit of testpmd:
 *
 *   show port gso <port>                       capabilities, limits, wanted,
 *                                              active, paths taken
 *   set port <port> offload lso4|lso6|uso4|uso6|all on|off
 *   show stats                                 totals of every port
 *   quit
 *
 * The main lcore runs it between its other duties: it feeds what stdin
 * has to cmdline_in(), so that it never blocks in read() while stats are
 * due or a signal asks it to stop.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <cmdline.h>
#include <cmdline_parse.h>
#include <cmdline_parse_num.h>
#include <cmdline_parse_string.h>
#include <cmdline_socket.h>
#include <rte_ethdev.h>

#include "fwd.h"

struct fwd_console {
	struct cmdline *cl;
};

/* ---- Shared with telemetry and --offload ---- */

/* The console (main lcore) and telemetry (its own thread) may change a
 * port at once: one change at a time, so that the contract checker's
 * widening and narrowing bracket exactly one change. */
static pthread_mutex_t offload_lock = PTHREAD_MUTEX_INITIALIZER;

int
fwd_set_offload(uint16_t port, const char *spec, char *err, size_t len)
{
	uint32_t on = 0, off = 0;
	int ret;

	snprintf(err, len, "ok");
	ret = gso_offload_wanted_parse(spec != NULL ? spec : "", &on, &off,
			err, len);
	if (ret != 0)
		return ret;
	/* The contract checker allows old and new sets while the change
	 * runs, the new one alone once it returned (fwd_contract.c). */
	pthread_mutex_lock(&offload_lock);
	fwd_contract_change_begin(port, on);
	ret = gso_offload_wanted_update(port, on, off);
	fwd_contract_change_end(port);
	pthread_mutex_unlock(&offload_lock);
	if (ret != 0)
		snprintf(err, len, "port %u: %s", port, strerror(-ret));
	return ret;
}

void
fwd_show_port(FILE *f, uint16_t port)
{
	struct gso_offload_tx_stats st;
	char name[RTE_ETH_NAME_MAX_LEN] = "?";

	rte_eth_dev_get_name_by_port(port, name);
	fprintf(f, "port %u  %s  provider %s  forwards to port %u\n", port,
		name, gso_offload_port_provider_name(port), fwd_cfg.dst[port]);
	gso_offload_port_dump(f, port);
	if (gso_offload_tx_stats_get(port, &st) == 0)
		fprintf(f, "  paths     hw %" PRIu64 " split %" PRIu64 " sw %"
			PRIu64 " (%" PRIu64 " segments) pass %" PRIu64 "\n",
			st.hw_pkts, st.split_pkts, st.sw_pkts, st.sw_segs,
			st.pass_pkts);
	fflush(f);
}

static bool
port_in_use(uint16_t port)
{
	if (fwd_port_used(port))
		return true;
	printf("port %u is not forwarded by gso-fwd\n", port);
	return false;
}

/* ---- show port gso <port> ---- */

struct cmd_show_gso {
	cmdline_fixed_string_t show, port, gso;
	uint16_t port_id;
};

static void
cmd_show_gso_parsed(void *res, struct cmdline *cl __rte_unused,
		void *data __rte_unused)
{
	struct cmd_show_gso *r = res;

	if (port_in_use(r->port_id))
		fwd_show_port(stdout, r->port_id);
}

static cmdline_parse_token_string_t show_gso_show =
	TOKEN_STRING_INITIALIZER(struct cmd_show_gso, show, "show");
static cmdline_parse_token_string_t show_gso_port =
	TOKEN_STRING_INITIALIZER(struct cmd_show_gso, port, "port");
static cmdline_parse_token_string_t show_gso_gso =
	TOKEN_STRING_INITIALIZER(struct cmd_show_gso, gso, "gso");
static cmdline_parse_token_num_t show_gso_id =
	TOKEN_NUM_INITIALIZER(struct cmd_show_gso, port_id, RTE_UINT16);

static cmdline_parse_inst_t cmd_show_gso = {
	.f = cmd_show_gso_parsed,
	.help_str = "show port gso <port>: capabilities, wanted and active "
		"offloads, paths taken",
	.tokens = { (void *)&show_gso_show, (void *)&show_gso_port,
		(void *)&show_gso_gso, (void *)&show_gso_id, NULL },
};

/* ---- set port <port> offload <keyword> on|off ---- */

struct cmd_set_offload {
	cmdline_fixed_string_t set, port, offload, keyword, onoff;
	uint16_t port_id;
};

static void
cmd_set_offload_parsed(void *res, struct cmdline *cl __rte_unused,
		void *data __rte_unused)
{
	struct cmd_set_offload *r = res;
	char spec[64], err[128];

	if (!port_in_use(r->port_id))
		return;
	if (strcmp(r->keyword, "all") == 0)
		snprintf(spec, sizeof(spec), "lso4=%.3s,lso6=%.3s,uso4=%.3s,"
			"uso6=%.3s", r->onoff, r->onoff, r->onoff, r->onoff);
	else
		snprintf(spec, sizeof(spec), "%.4s=%.3s", r->keyword, r->onoff);
	if (fwd_set_offload(r->port_id, spec, err, sizeof(err)) != 0)
		printf("error: %s\n", err);
	else
		fwd_show_port(stdout, r->port_id);
}

static cmdline_parse_token_string_t set_off_set =
	TOKEN_STRING_INITIALIZER(struct cmd_set_offload, set, "set");
static cmdline_parse_token_string_t set_off_port =
	TOKEN_STRING_INITIALIZER(struct cmd_set_offload, port, "port");
static cmdline_parse_token_num_t set_off_id =
	TOKEN_NUM_INITIALIZER(struct cmd_set_offload, port_id, RTE_UINT16);
static cmdline_parse_token_string_t set_off_offload =
	TOKEN_STRING_INITIALIZER(struct cmd_set_offload, offload, "offload");
static cmdline_parse_token_string_t set_off_kw =
	TOKEN_STRING_INITIALIZER(struct cmd_set_offload, keyword,
		"lso4#lso6#uso4#uso6#all");
static cmdline_parse_token_string_t set_off_onoff =
	TOKEN_STRING_INITIALIZER(struct cmd_set_offload, onoff, "on#off");

static cmdline_parse_inst_t cmd_set_offload = {
	.f = cmd_set_offload_parsed,
	.help_str = "set port <port> offload lso4|lso6|uso4|uso6|all on|off: "
		"the administrator's wanted setting",
	.tokens = { (void *)&set_off_set, (void *)&set_off_port,
		(void *)&set_off_id, (void *)&set_off_offload,
		(void *)&set_off_kw, (void *)&set_off_onoff, NULL },
};

/* ---- show stats / quit / help ---- */

struct cmd_words {
	cmdline_fixed_string_t w1, w2;
};

static void
cmd_show_stats_parsed(void *res __rte_unused, struct cmdline *cl __rte_unused,
		void *data __rte_unused)
{
	fwd_stats_show(stdout);
}

static cmdline_parse_token_string_t show_stats_show =
	TOKEN_STRING_INITIALIZER(struct cmd_words, w1, "show");
static cmdline_parse_token_string_t show_stats_stats =
	TOKEN_STRING_INITIALIZER(struct cmd_words, w2, "stats");

static cmdline_parse_inst_t cmd_show_stats = {
	.f = cmd_show_stats_parsed,
	.help_str = "show stats: forwarder and pipeline totals of every port",
	.tokens = { (void *)&show_stats_show, (void *)&show_stats_stats, NULL },
};

static void
cmd_quit_parsed(void *res __rte_unused, struct cmdline *cl,
		void *data __rte_unused)
{
	fwd_quit = 1;
	cmdline_quit(cl);
}

static cmdline_parse_token_string_t quit_quit =
	TOKEN_STRING_INITIALIZER(struct cmd_words, w1, "quit");

static cmdline_parse_inst_t cmd_quit = {
	.f = cmd_quit_parsed,
	.help_str = "quit: stop forwarding and exit",
	.tokens = { (void *)&quit_quit, NULL },
};

static void
cmd_help_parsed(void *res __rte_unused, struct cmdline *cl __rte_unused,
		void *data __rte_unused)
{
	printf("show port gso <port>\n"
		"set port <port> offload lso4|lso6|uso4|uso6|all on|off\n"
		"show stats\n"
		"quit\n");
	fflush(stdout);
}

static cmdline_parse_token_string_t help_help =
	TOKEN_STRING_INITIALIZER(struct cmd_words, w1, "help");

static cmdline_parse_inst_t cmd_help = {
	.f = cmd_help_parsed,
	.help_str = "help: list the commands",
	.tokens = { (void *)&help_help, NULL },
};

static cmdline_parse_ctx_t commands[] = {
	(cmdline_parse_inst_t *)&cmd_show_gso,
	(cmdline_parse_inst_t *)&cmd_set_offload,
	(cmdline_parse_inst_t *)&cmd_show_stats,
	(cmdline_parse_inst_t *)&cmd_quit,
	(cmdline_parse_inst_t *)&cmd_help,
	NULL,
};

struct fwd_console *
fwd_console_start(void)
{
	static struct fwd_console con;
	struct termios t;

	con.cl = cmdline_stdin_new(commands, "gso-fwd> ");
	if (con.cl == NULL)
		return NULL;
	/* cmdline turns signals off on a terminal; Ctrl-C must still stop
	 * the forwarder cleanly (SIGINT). */
	if (tcgetattr(STDIN_FILENO, &t) == 0) {
		t.c_lflag |= ISIG;
		tcsetattr(STDIN_FILENO, TCSANOW, &t);
	}
	return &con;
}

/* Feed what stdin has (poll() said it is readable). Returns -1 at the end
 * of input or after quit, 0 otherwise. */
int
fwd_console_input(struct fwd_console *con)
{
	char buf[256];
	ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	if (n == 0)
		return -1;
	cmdline_in(con->cl, buf, (int)n);
	fflush(stdout);
	return fwd_quit ? -1 : 0;
}

void
fwd_console_stop(struct fwd_console *con)
{
	if (con != NULL && con->cl != NULL) {
		cmdline_stdin_exit(con->cl);
		con->cl = NULL;
	}
}
