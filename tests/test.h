/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

#ifndef GSO_TEST_H
#define GSO_TEST_H

/*
 * A minimal test harness. Each test binary is a list of cases; each case
 * returns TEST_OK, TEST_FAIL or TEST_SKIP. Output is TAP ("ok N - name"),
 * which meson reads with protocol: 'tap' and scripts/test.sh counts.
 *
 * EAL is initialised once per binary without hugepages, in memory, with a
 * file prefix unique to the process so binaries can run in parallel.
 */

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>

#define TEST_OK    0
#define TEST_FAIL  1
#define TEST_SKIP  2

/* Fail the case with a message naming the file and line. */
#define TEST_ASSERT(cond, ...) do {					\
	if (!(cond)) {							\
		printf("#   %s:%d: assertion '%s' failed: ",		\
			__FILE__, __LINE__, #cond);			\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		return TEST_FAIL;					\
	}								\
} while (0)

#define TEST_ASSERT_EQ(a, b, ...) do {					\
	long long a_ = (long long)(a), b_ = (long long)(b);		\
	if (a_ != b_) {							\
		printf("#   %s:%d: %s == %s failed: %lld != %lld: ",	\
			__FILE__, __LINE__, #a, #b, a_, b_);		\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		return TEST_FAIL;					\
	}								\
} while (0)

/* Like TEST_ASSERT, but jumps to the case's cleanup label "out" (the case
 * keeps its verdict in a variable that starts as TEST_FAIL). */
#define TEST_CHECK(cond, ...) do {					\
	if (!(cond)) {							\
		printf("#   %s:%d: '%s' failed: ", __FILE__, __LINE__,	\
			#cond);						\
		printf(__VA_ARGS__);					\
		printf("\n");						\
		goto out;						\
	}								\
} while (0)

/* Run a sub-check (a function returning TEST_*) and propagate failure. */
#define TEST_RUN(expr) do {						\
	int r_ = (expr);						\
	if (r_ != TEST_OK)						\
		return r_;						\
} while (0)

#define TEST_SKIP_IF(cond, why) do {					\
	if (cond) {							\
		printf("#   skipped: %s\n", why);			\
		return TEST_SKIP;					\
	}								\
} while (0)

struct test_case {
	const char *name;
	int (*fn)(void);
	/* Or a parameterised case: fn NULL, fn_arg(arg). */
	int (*fn_arg)(const void *arg);
	const void *arg;
};

struct test_suite {
	const char *name;
	/* Extra EAL arguments (vdevs, lcores), NULL-terminated; may be NULL. */
	const char *const *eal_args;
	/* Called after EAL init, before the cases; non-zero aborts. */
	int (*setup)(void);
	/* Called after the cases. */
	void (*teardown)(void);
	const struct test_case *cases;
	unsigned int nb_cases;
	/* Initialise EAL (false for pure unit tests). */
	bool need_eal;
};

/* Runs the suite; returns the process exit status. Accepts an optional
 * argument: a substring selecting the cases to run. */
int test_suite_run(const struct test_suite *suite, int argc, char **argv);

/* True when running as root (namespaces, tap). */
bool test_is_root(void);

/* Run a shell command, return its exit status (-1 if it could not run). */
int test_sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Capture what the library logs between start and stop (the text is valid
 * until the next start). */
void test_log_capture_start(void);
const char *test_log_capture_stop(void);

#define TEST_CASE(fn) { #fn, fn, NULL, NULL }
/* A parameterised case: fn(arg), arg pointing at its parameters (a
 * compound literal may hold commas, hence the variadic form). */
#define TEST_CASE_ARG(name, fn, ...) { name, NULL, fn, __VA_ARGS__ }
#define TEST_NB(a) (sizeof(a) / sizeof((a)[0]))

#endif /* GSO_TEST_H */
