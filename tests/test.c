/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#include <stdarg.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_log.h>

#include "test.h"
#include "test_env.h"

bool
test_is_root(void)
{
	return geteuid() == 0;
}

int
test_sh(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;
	int rc;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	rc = system(cmd);
	if (rc == -1)
		return -1;
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static char *capture_buf;
static size_t capture_len;
static FILE *capture_fp;

void
test_log_capture_start(void)
{
	free(capture_buf);
	capture_buf = NULL;
	capture_fp = open_memstream(&capture_buf, &capture_len);
	if (capture_fp != NULL)
		rte_openlog_stream(capture_fp);
}

const char *
test_log_capture_stop(void)
{
	rte_openlog_stream(stderr);
	if (capture_fp != NULL) {
		fclose(capture_fp);
		capture_fp = NULL;
	}
	return capture_buf != NULL ? capture_buf : "";
}

static int
test_eal_init(const struct test_suite *suite)
{
	char prefix[64];
	const char *argv[64];
	int argc = 0;

	snprintf(prefix, sizeof(prefix), "--file-prefix=%s", test_file_prefix());
	argv[argc++] = suite->name;
	argv[argc++] = "--no-huge";
	argv[argc++] = "-m";
	argv[argc++] = "1024";
	argv[argc++] = "--no-pci";
	argv[argc++] = prefix;
	/* Quiet by default; TEST_VERBOSE=1 shows the library's debug log. */
	if (getenv("TEST_VERBOSE") != NULL) {
		argv[argc++] = "--log-level=*:warning";
		argv[argc++] = "--log-level=lib.gso_offload:debug";
	} else {
		argv[argc++] = "--log-level=*:error";
	}
	for (unsigned int i = 0; suite->eal_args && suite->eal_args[i] &&
			argc < 63; i++)
		argv[argc++] = suite->eal_args[i];
	argv[argc] = NULL;
	return rte_eal_init(argc, (char **)(uintptr_t)argv);
}

int
test_suite_run(const struct test_suite *suite, int argc, char **argv)
{
	const char *filter = argc > 1 ? argv[1] : NULL;
	unsigned int failed = 0, n = 0;

	setvbuf(stdout, NULL, _IOLBF, 0);
	/* stdout carries TAP; logs go to stderr. */
	rte_openlog_stream(stderr);
	if (suite->need_eal && test_eal_init(suite) < 0) {
		printf("1..0 # SKIP EAL initialisation failed\n");
		printf("Bail out! EAL initialisation failed\n");
		return 1;
	}
	if (suite->setup != NULL && suite->setup() != 0) {
		printf("Bail out! suite %s: setup failed\n", suite->name);
		return 1;
	}

	for (unsigned int i = 0; i < suite->nb_cases; i++)
		if (filter == NULL || strstr(suite->cases[i].name, filter))
			n++;
	printf("1..%u\n", n);

	n = 0;
	for (unsigned int i = 0; i < suite->nb_cases; i++) {
		const struct test_case *tc = &suite->cases[i];
		int rc;

		if (filter != NULL && strstr(tc->name, filter) == NULL)
			continue;
		n++;
		rc = tc->fn != NULL ? tc->fn() : tc->fn_arg(tc->arg);
		if (rc == TEST_OK)
			printf("ok %u - %s\n", n, tc->name);
		else if (rc == TEST_SKIP)
			printf("ok %u - %s # SKIP\n", n, tc->name);
		else {
			printf("not ok %u - %s\n", n, tc->name);
			failed++;
		}
	}

	if (suite->teardown != NULL)
		suite->teardown();
	if (suite->need_eal)
		rte_eal_cleanup();
	return failed ? 1 : 0;
}
