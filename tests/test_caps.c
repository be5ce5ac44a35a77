/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * Unit tests of the negotiation API: verifier rules, INIT, LSO<->GSO
 * mapping, active = hw ∩ wanted, callback counting, registration after
 * start, the keyword parser. Ports are net_null vdevs.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "gso_offload.h"
#include "test.h"
#include "test_poison.h"

#define P0 0
#define P1 1

static struct rte_mempool *pool;

struct cb_log {
	int calls;
	uint32_t keywords;
	struct gso_offload_caps caps;
	bool lso4, lso6, uso4, uso6;
	int fail_with;          /* returned by the callback */
	uint16_t port;
	int nested_ret;         /* result of an update tried from inside */
	bool try_nested;
	/* The encapsulated part of the set. */
	uint32_t encaps;
	uint16_t vxlan_port;
	struct gso_offload_encap encap[GSO_OFFLOAD_ENCAP_NB];
	bool vxlan_tcp4;        /* inner TCP/IPv4 allowed in VXLAN */
};

static int
record_gso(uint16_t port_id, const struct gso_offload_active *a, void *arg)
{
	struct cb_log *l = arg;

	l->calls++;
	l->port = port_id;
	l->keywords = gso_offload_active_keywords(a);
	gso_offload_active_caps(a, &l->caps);
	l->lso4 = gso_offload_is_lso_ipv4_enabled(a);
	l->lso6 = gso_offload_is_lso_ipv6_enabled(a);
	l->uso4 = gso_offload_is_uso_ipv4_enabled(a);
	l->uso6 = gso_offload_is_uso_ipv6_enabled(a);
	l->encaps = gso_offload_active_encaps(a);
	l->vxlan_port = gso_offload_active_vxlan_port(a);
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++)
		gso_offload_active_encap(a, e, &l->encap[e]);
	l->vxlan_tcp4 = gso_offload_active_encap_allows(a,
			GSO_OFFLOAD_ENCAP_VXLAN, GSO_OFFLOAD_L3_IPV4_NO_OPTIONS,
			GSO_OFFLOAD_L4_TCP_NO_OPTIONS);
	if (l->try_nested)
		l->nested_ret = gso_offload_wanted_update(port_id, 0,
				GSO_OFFLOAD_LSO_IPV4);
	return l->fail_with;
}

struct lso_log {
	int calls;
	struct gso_offload_lso_caps last;
};

static int
record_lso(uint16_t port_id, const struct gso_offload_lso_caps *a, void *arg)
{
	struct lso_log *l = arg;

	RTE_SET_USED(port_id);
	l->calls++;
	l->last = *a;
	return 0;
}

/* Each case starts from a port the library does not know. */
static int
fresh(uint16_t port_id)
{
	if (rte_eth_dev_is_valid_port(port_id) &&
			gso_offload_port_is_started(port_id))
		rte_eth_dev_stop(port_id);
	return gso_offload_port_release(port_id);
}

static const uint32_t ALL_L3 = GSO_OFFLOAD_L3_ALL;
static const uint32_t ALL_L4 = GSO_OFFLOAD_L4_ALL;

/* ---- INIT and validation ---- */

static int
caps_init_defaults(void)
{
	struct gso_offload_caps c;
	int dummy;

	memset(&c, 0xa5, sizeof(c));
	gso_offload_caps_init(&c, GSO_OFFLOAD_L3_IPV4_NO_OPTIONS,
			GSO_OFFLOAD_L4_TCP_NO_OPTIONS, 64000, 2, record_gso, &dummy);
	TEST_ASSERT_EQ(c.size, sizeof(c), "size");
	TEST_ASSERT_EQ(c.l3_flags, GSO_OFFLOAD_L3_IPV4_NO_OPTIONS, "l3");
	TEST_ASSERT_EQ(c.l4_flags, GSO_OFFLOAD_L4_TCP_NO_OPTIONS, "l4");
	TEST_ASSERT_EQ(c.max_offload_size, 64000, "max");
	TEST_ASSERT_EQ(c.min_segment_count, 2, "min");
	TEST_ASSERT_EQ(c.l4_header_offset_limit, 0, "offset limit defaults to none");
	TEST_ASSERT(c.set_gso == record_gso && c.set_gso_arg == &dummy, "callback");
	TEST_ASSERT_EQ(gso_offload_caps_validate(&c, NULL), 0, "valid");
	return TEST_OK;
}

static int
lso_init_defaults(void)
{
	struct gso_offload_lso_caps c;

	memset(&c, 0xa5, sizeof(c));
	gso_offload_lso_caps_init(&c, true, false, 65000, 3, record_lso, NULL);
	TEST_ASSERT_EQ(c.size, sizeof(c), "size");
	TEST_ASSERT(c.ipv4 && !c.ipv6, "families");
	TEST_ASSERT_EQ(c.max_offload_size, 65000, "max");
	TEST_ASSERT_EQ(c.min_segment_count, 3, "min");
	TEST_ASSERT(c.set_lso == record_lso && c.set_lso_arg == NULL, "callback");
	return TEST_OK;
}

static int
validate_accepts(void)
{
	static const struct { uint32_t l3, l4; } ok[] = {
		{ GSO_OFFLOAD_L3_IPV4_NO_OPTIONS, GSO_OFFLOAD_L4_TCP_NO_OPTIONS },
		{ GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS, GSO_OFFLOAD_L4_UDP },
		{ GSO_OFFLOAD_L3_IPV4_NO_OPTIONS | GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS,
		  GSO_OFFLOAD_L4_TCP_NO_OPTIONS | GSO_OFFLOAD_L4_TCP_WITH_OPTIONS },
		{ GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS |
		  GSO_OFFLOAD_L3_IPV6_WITH_EXTENSIONS, GSO_OFFLOAD_L4_ALL },
		{ GSO_OFFLOAD_L3_ALL, GSO_OFFLOAD_L4_ALL },
		{ GSO_OFFLOAD_L3_ALL, GSO_OFFLOAD_L4_UDP },
	};

	TEST_RUN(fresh(P0) == 0 ? TEST_OK : TEST_FAIL);
	for (size_t i = 0; i < TEST_NB(ok); i++) {
		struct gso_offload_caps c;
		const char *why = "unset";

		gso_offload_caps_init(&c, ok[i].l3, ok[i].l4, 65535, 2, NULL, NULL);
		TEST_ASSERT_EQ(gso_offload_caps_validate(&c, &why), 0, "case %zu", i);
		TEST_ASSERT(why == NULL, "no rule named for a valid case %zu", i);
		TEST_ASSERT_EQ(gso_offload_set_caps(P0, &c), 0, "register case %zu", i);
	}
	return TEST_OK;
}

static int
validate_rejects_each_rule(void)
{
	static const struct {
		uint32_t size_delta, l3, l4, max, min;
		const char *rule;   /* substring of the reason */
	} bad[] = {
		{ 4, ALL_L3 & 0, 0, 1, 1, "size" },
		{ (uint32_t)-4, GSO_OFFLOAD_L3_IPV4_NO_OPTIONS,
		  GSO_OFFLOAD_L4_TCP_NO_OPTIONS, 1, 1, "size" },
		{ 0, 1u << 4 | GSO_OFFLOAD_L3_IPV4_NO_OPTIONS,
		  GSO_OFFLOAD_L4_TCP_NO_OPTIONS, 1, 1, "unknown layer 3" },
		{ 0, GSO_OFFLOAD_L3_IPV4_NO_OPTIONS,
		  1u << 7 | GSO_OFFLOAD_L4_TCP_NO_OPTIONS, 1, 1, "unknown layer 4" },
		{ 0, 0, 0, 65535, 2, "all layer 3 and layer 4 flags are zero" },
		{ 0, 0, GSO_OFFLOAD_L4_TCP_NO_OPTIONS, 65535, 2, "layer 3 flags are mandatory" },
		{ 0, GSO_OFFLOAD_L3_IPV4_NO_OPTIONS, 0, 65535, 2, "layer 4 flags are mandatory" },
		{ 0, GSO_OFFLOAD_L3_IPV4_NO_OPTIONS,
		  GSO_OFFLOAD_L4_TCP_NO_OPTIONS, 0, 2, "maximum offload size is 0" },
		{ 0, GSO_OFFLOAD_L3_IPV4_NO_OPTIONS,
		  GSO_OFFLOAD_L4_TCP_NO_OPTIONS, 65535, 0, "minimum segment count is 0" },
		{ 0, GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS,
		  GSO_OFFLOAD_L4_TCP_NO_OPTIONS, 65535, 2, "IPv4 with options requires" },
		{ 0, GSO_OFFLOAD_L3_IPV6_WITH_EXTENSIONS | GSO_OFFLOAD_L3_IPV4_NO_OPTIONS,
		  GSO_OFFLOAD_L4_UDP, 65535, 2, "IPv6 with extension headers requires" },
		{ 0, GSO_OFFLOAD_L3_IPV4_NO_OPTIONS,
		  GSO_OFFLOAD_L4_TCP_WITH_OPTIONS, 65535, 2, "TCP with options requires" },
		{ 0, GSO_OFFLOAD_L3_IPV4_NO_OPTIONS,
		  GSO_OFFLOAD_L4_TCP_WITH_OPTIONS | GSO_OFFLOAD_L4_UDP, 65535, 2,
		  "TCP with options requires" },
	};
	struct gso_offload_caps good, back;
	struct cb_log log = { 0 };

	TEST_RUN(fresh(P0) == 0 ? TEST_OK : TEST_FAIL);
	/* A valid registration first: a rejected one must not replace it. */
	gso_offload_caps_init(&good, GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS,
			GSO_OFFLOAD_L4_UDP, 1234, 5, record_gso, &log);
	TEST_ASSERT_EQ(gso_offload_set_caps(P0, &good), 0, "good caps");
	TEST_ASSERT_EQ(log.calls, 1, "initial active set reported");

	for (size_t i = 0; i < TEST_NB(bad); i++) {
		struct gso_offload_caps c;
		const char *why = NULL;

		gso_offload_caps_init(&c, bad[i].l3, bad[i].l4, bad[i].max,
				bad[i].min, record_gso, &log);
		c.size += bad[i].size_delta;
		TEST_ASSERT_EQ(gso_offload_caps_validate(&c, &why), -EINVAL,
				"case %zu", i);
		TEST_ASSERT(why != NULL && strstr(why, bad[i].rule) != NULL,
				"case %zu: reason '%s' should name '%s'", i,
				why ? why : "(null)", bad[i].rule);
		test_log_capture_start();
		TEST_ASSERT_EQ(gso_offload_set_caps(P0, &c), -EINVAL,
				"register case %zu", i);
		TEST_ASSERT(strstr(test_log_capture_stop(), bad[i].rule) != NULL,
				"case %zu: the log line names the rule", i);
	}
	TEST_ASSERT_EQ(gso_offload_caps_validate(NULL, NULL), -EINVAL, "NULL");
	TEST_ASSERT_EQ(gso_offload_hw_caps_get(P0, &back), 0, "read back");
	TEST_ASSERT(back.l3_flags == good.l3_flags &&
			back.l4_flags == good.l4_flags &&
			back.max_offload_size == 1234 && back.min_segment_count == 5,
			"rejected registrations left the good one in place");
	TEST_ASSERT_EQ(log.calls, 1, "no callback for rejected registrations");
	return TEST_OK;
}

/* ---- LSO <-> GSO ---- */

static int
lso_maps_to_gso(void)
{
	static const struct { bool v4, v6; uint32_t l3; } m[] = {
		{ true, false, GSO_OFFLOAD_L3_IPV4_NO_OPTIONS |
			GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS },
		{ false, true, GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS |
			GSO_OFFLOAD_L3_IPV6_WITH_EXTENSIONS },
		{ true, true, GSO_OFFLOAD_L3_ALL },
		{ false, false, 0 },
	};

	for (size_t i = 0; i < TEST_NB(m); i++) {
		struct gso_offload_lso_caps lso;
		struct gso_offload_caps gso;

		gso_offload_lso_caps_init(&lso, m[i].v4, m[i].v6, 62000, 3,
				record_lso, NULL);
		gso_offload_lso_to_gso(&lso, &gso);
		TEST_ASSERT_EQ(gso.size, sizeof(gso), "size");
		TEST_ASSERT_EQ(gso.l3_flags, m[i].l3, "l3 of case %zu", i);
		TEST_ASSERT_EQ(gso.l4_flags, m[i].l3 ? GSO_OFFLOAD_L4_TCP_NO_OPTIONS |
				GSO_OFFLOAD_L4_TCP_WITH_OPTIONS : 0, "l4 of case %zu", i);
		TEST_ASSERT(!(gso.l4_flags & GSO_OFFLOAD_L4_UDP), "LSO never means UDP");
		TEST_ASSERT_EQ(gso.max_offload_size, 62000, "max");
		TEST_ASSERT_EQ(gso.min_segment_count, 3, "min");
	}
	return TEST_OK;
}

static int
lso_registration_one_source_of_truth(void)
{
	struct gso_offload_lso_caps lso;
	struct gso_offload_caps hw;
	struct lso_log log = { 0 };
	uint32_t kw;

	TEST_RUN(fresh(P0) == 0 ? TEST_OK : TEST_FAIL);
	gso_offload_lso_caps_init(&lso, true, true, 60000, 2, record_lso, &log);
	TEST_ASSERT_EQ(gso_offload_set_lso_caps(P0, &lso), 0, "register");
	TEST_ASSERT_EQ(log.calls, 1, "initial active set");
	TEST_ASSERT(log.last.ipv4 && log.last.ipv6, "both families active");
	TEST_ASSERT_EQ(log.last.max_offload_size, 60000, "limits passed");
	TEST_ASSERT_EQ(log.last.size, sizeof(lso), "sized structure");

	/* The GSO view shows the same capabilities. */
	TEST_ASSERT_EQ(gso_offload_hw_caps_get(P0, &hw), 0, "gso view");
	TEST_ASSERT_EQ(hw.l3_flags, GSO_OFFLOAD_L3_ALL, "l3");
	TEST_ASSERT_EQ(hw.l4_flags, GSO_OFFLOAD_L4_TCP_NO_OPTIONS |
			GSO_OFFLOAD_L4_TCP_WITH_OPTIONS, "l4");
	TEST_ASSERT_EQ(gso_offload_active_keywords_get(P0, &kw), 0, "kw");
	TEST_ASSERT_EQ(kw, GSO_OFFLOAD_LSO_IPV4 | GSO_OFFLOAD_LSO_IPV6, "active");

	TEST_ASSERT_EQ(gso_offload_wanted_update(P0, 0, GSO_OFFLOAD_LSO_IPV6), 0, "lso6 off");
	TEST_ASSERT_EQ(log.calls, 2, "one callback");
	TEST_ASSERT(log.last.ipv4 && !log.last.ipv6, "IPv6 no longer active");

	/* USO keywords cannot change an LSO-only port's active set. */
	TEST_ASSERT_EQ(gso_offload_wanted_update(P0, 0,
			GSO_OFFLOAD_USO_IPV4 | GSO_OFFLOAD_USO_IPV6), 0, "uso off");
	TEST_ASSERT_EQ(log.calls, 2, "no callback: active set unchanged");

	lso.size = 3;
	TEST_ASSERT_EQ(gso_offload_set_lso_caps(P0, &lso), -EINVAL, "size mismatch");
	TEST_ASSERT_EQ(gso_offload_set_lso_caps(P0, NULL), -EINVAL, "NULL");
	return TEST_OK;
}

/* ---- Active = hw ∩ wanted ---- */

static uint32_t
keyword_of(uint32_t l3bit, uint32_t l4bit)
{
	bool v4 = l3bit & (GSO_OFFLOAD_L3_IPV4_NO_OPTIONS |
			GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS);
	bool udp = l4bit == GSO_OFFLOAD_L4_UDP;

	if (udp)
		return v4 ? GSO_OFFLOAD_USO_IPV4 : GSO_OFFLOAD_USO_IPV6;
	return v4 ? GSO_OFFLOAD_LSO_IPV4 : GSO_OFFLOAD_LSO_IPV6;
}

struct expect_ctx {
	uint32_t l3, l4, wanted;
	int bad;
};

static int
check_active(uint16_t port_id, const struct gso_offload_active *a, void *arg)
{
	struct expect_ctx *e = arg;
	uint32_t kw = 0;

	RTE_SET_USED(port_id);
	/* Independent statement of the rule: a keyword is enabled when the
	 * hardware has its plain L3 and L4 variants and it is wanted. */
	if ((e->l3 & GSO_OFFLOAD_L3_IPV4_NO_OPTIONS) &&
			(e->l4 & GSO_OFFLOAD_L4_TCP_NO_OPTIONS))
		kw |= GSO_OFFLOAD_LSO_IPV4;
	if ((e->l3 & GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS) &&
			(e->l4 & GSO_OFFLOAD_L4_TCP_NO_OPTIONS))
		kw |= GSO_OFFLOAD_LSO_IPV6;
	if ((e->l3 & GSO_OFFLOAD_L3_IPV4_NO_OPTIONS) && (e->l4 & GSO_OFFLOAD_L4_UDP))
		kw |= GSO_OFFLOAD_USO_IPV4;
	if ((e->l3 & GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS) && (e->l4 & GSO_OFFLOAD_L4_UDP))
		kw |= GSO_OFFLOAD_USO_IPV6;
	kw &= e->wanted;

	if (gso_offload_active_keywords(a) != kw ||
			gso_offload_is_lso_ipv4_enabled(a) != !!(kw & GSO_OFFLOAD_LSO_IPV4) ||
			gso_offload_is_lso_ipv6_enabled(a) != !!(kw & GSO_OFFLOAD_LSO_IPV6) ||
			gso_offload_is_uso_ipv4_enabled(a) != !!(kw & GSO_OFFLOAD_USO_IPV4) ||
			gso_offload_is_uso_ipv6_enabled(a) != !!(kw & GSO_OFFLOAD_USO_IPV6)) {
		e->bad = 1;
		return 0;
	}
	for (uint32_t l3b = 1; l3b <= GSO_OFFLOAD_L3_IPV6_WITH_EXTENSIONS; l3b <<= 1)
		for (uint32_t l4b = 1; l4b <= GSO_OFFLOAD_L4_UDP; l4b <<= 1) {
			bool want = (e->l3 & l3b) && (e->l4 & l4b) &&
				(kw & keyword_of(l3b, l4b));

			if (gso_offload_active_allows(a, l3b, l4b) != want) {
				e->bad = 2;
				return 0;
			}
		}
	return 0;
}

static int
active_is_hw_and_wanted(void)
{
	unsigned int combos = 0;

	TEST_RUN(fresh(P0) == 0 ? TEST_OK : TEST_FAIL);
	for (uint32_t l3 = 1; l3 <= ALL_L3; l3++)
		for (uint32_t l4 = 1; l4 <= ALL_L4; l4++) {
			struct gso_offload_caps c;

			gso_offload_caps_init(&c, l3, l4, 65535, 2, NULL, NULL);
			if (gso_offload_caps_validate(&c, NULL) != 0)
				continue;
			TEST_ASSERT_EQ(gso_offload_set_caps(P0, &c), 0, "register");
			for (uint32_t w = 0; w <= GSO_OFFLOAD_KW_ALL; w++) {
				struct expect_ctx e = { l3, l4, w, 0 };

				TEST_ASSERT_EQ(gso_offload_wanted_update(P0, w,
						GSO_OFFLOAD_KW_ALL & ~w), 0, "wanted");
				TEST_ASSERT_EQ(gso_offload_active_query(P0,
						check_active, &e), 0, "query");
				TEST_ASSERT(e.bad == 0, "l3 %#x l4 %#x wanted %#x: %s",
						l3, l4, w, e.bad == 1 ? "keywords" : "pairs");
				combos++;
			}
		}
	TEST_ASSERT(combos > 100, "matrix covered %u combinations", combos);
	return TEST_OK;
}

static int
active_caps_are_reachable_flags(void)
{
	struct gso_offload_caps c;
	struct cb_log log = { 0 };

	TEST_RUN(fresh(P0) == 0 ? TEST_OK : TEST_FAIL);
	gso_offload_caps_init(&c, ALL_L3, ALL_L4, 40000, 4, record_gso, &log);
	c.l4_header_offset_limit = 127;
	TEST_ASSERT_EQ(gso_offload_set_caps(P0, &c), 0, "register");
	TEST_ASSERT_EQ(log.caps.l3_flags, ALL_L3, "all l3");
	TEST_ASSERT_EQ(log.caps.max_offload_size, 40000, "max");
	TEST_ASSERT_EQ(log.caps.min_segment_count, 4, "min");
	TEST_ASSERT_EQ(log.caps.l4_header_offset_limit, 127, "offset");
	TEST_ASSERT(log.caps.set_gso == NULL, "no callback in the active view");

	/* Only USO IPv6 left: only IPv6 and UDP stay reachable. */
	TEST_ASSERT_EQ(gso_offload_wanted_update(P0, GSO_OFFLOAD_USO_IPV6,
			GSO_OFFLOAD_LSO_IPV4 | GSO_OFFLOAD_LSO_IPV6 |
			GSO_OFFLOAD_USO_IPV4), 0, "only uso6");
	TEST_ASSERT_EQ(log.caps.l3_flags, GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS |
			GSO_OFFLOAD_L3_IPV6_WITH_EXTENSIONS, "l3");
	TEST_ASSERT_EQ(log.caps.l4_flags, GSO_OFFLOAD_L4_UDP, "l4");
	TEST_ASSERT(!log.lso4 && !log.lso6 && !log.uso4 && log.uso6, "queries");

	/* Nothing wanted: nothing active, all flags 0. */
	TEST_ASSERT_EQ(gso_offload_wanted_update(P0, 0, GSO_OFFLOAD_KW_ALL), 0, "off");
	TEST_ASSERT(log.caps.l3_flags == 0 && log.caps.l4_flags == 0 &&
			log.keywords == 0, "empty active set");
	return TEST_OK;
}

/* ---- Callback: once per change, never when unchanged ---- */

static int
callback_once_per_change(void)
{
	struct gso_offload_caps c;
	struct cb_log log = { 0 };

	TEST_RUN(fresh(P0) == 0 ? TEST_OK : TEST_FAIL);
	gso_offload_caps_init(&c, GSO_OFFLOAD_L3_IPV4_NO_OPTIONS |
			GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS,
			GSO_OFFLOAD_L4_TCP_NO_OPTIONS, 65535, 2, record_gso, &log);
	TEST_ASSERT_EQ(gso_offload_set_caps(P0, &c), 0, "register");
	TEST_ASSERT_EQ(log.calls, 1, "registration reports the initial set");
	TEST_ASSERT_EQ(log.port, P0, "port passed");
	TEST_ASSERT(log.lso4 && log.lso6 && !log.uso4 && !log.uso6, "lso only");

	TEST_ASSERT_EQ(gso_offload_set_caps(P0, &c), 0, "same caps again");
	TEST_ASSERT_EQ(log.calls, 1, "identical registration: no change");
	TEST_ASSERT_EQ(gso_offload_wanted_update(P0, GSO_OFFLOAD_KW_ALL, 0), 0, "all on");
	TEST_ASSERT_EQ(log.calls, 1, "already on: no change");

	TEST_ASSERT_EQ(gso_offload_wanted_update(P0, 0, GSO_OFFLOAD_LSO_IPV4), 0, "lso4 off");
	TEST_ASSERT_EQ(log.calls, 2, "one change");
	TEST_ASSERT(!log.lso4 && log.lso6, "lso4 off seen");
	TEST_ASSERT_EQ(gso_offload_wanted_update(P0, 0, GSO_OFFLOAD_LSO_IPV4), 0, "again");
	TEST_ASSERT_EQ(log.calls, 2, "unchanged");

	TEST_ASSERT_EQ(gso_offload_wanted_update(P0, 0,
			GSO_OFFLOAD_USO_IPV4 | GSO_OFFLOAD_USO_IPV6), 0, "uso off");
	TEST_ASSERT_EQ(log.calls, 2, "port has no UDP: active set unchanged");

	/* Two keywords in one update: one callback. */
	TEST_ASSERT_EQ(gso_offload_wanted_update(P0, GSO_OFFLOAD_LSO_IPV4,
			GSO_OFFLOAD_LSO_IPV6), 0, "swap");
	TEST_ASSERT_EQ(log.calls, 3, "one callback for a combined change");
	TEST_ASSERT(log.lso4 && !log.lso6, "swap seen");

	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0, "lso4=off,lso6=off"), 0, "string");
	TEST_ASSERT_EQ(log.calls, 4, "string update is one change");
	TEST_ASSERT_EQ(log.keywords, 0, "all off");
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0, "lso4=off"), 0, "no-op string");
	TEST_ASSERT_EQ(log.calls, 4, "unchanged");

	/* A limit change with the same keywords is a change of the set. */
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0, "lso4=on"), 0, "on");
	TEST_ASSERT_EQ(log.calls, 5, "on");
	c.max_offload_size = 30000;
	TEST_ASSERT_EQ(gso_offload_set_caps(P0, &c), 0, "new limit");
	TEST_ASSERT_EQ(log.calls, 6, "limit change reported");
	TEST_ASSERT_EQ(log.caps.max_offload_size, 30000, "new limit seen");
	return TEST_OK;
}

static int
callback_failure_keeps_state(void)
{
	struct gso_offload_caps c;
	struct cb_log log = { 0 };
	uint32_t wanted, kw;

	TEST_RUN(fresh(P0) == 0 ? TEST_OK : TEST_FAIL);
	gso_offload_caps_init(&c, ALL_L3, ALL_L4, 65535, 2, record_gso, &log);
	TEST_ASSERT_EQ(gso_offload_set_caps(P0, &c), 0, "register");
	log.fail_with = -EIO;
	TEST_ASSERT_EQ(gso_offload_wanted_update(P0, 0, GSO_OFFLOAD_USO_IPV4), -EIO,
			"driver refusal is returned");
	TEST_ASSERT_EQ(log.calls, 2, "callback ran once");
	TEST_ASSERT_EQ(gso_offload_wanted_get(P0, &wanted), 0, "wanted");
	TEST_ASSERT_EQ(wanted, GSO_OFFLOAD_KW_ALL, "wanted unchanged");
	TEST_ASSERT_EQ(gso_offload_active_keywords_get(P0, &kw), 0, "active");
	TEST_ASSERT_EQ(kw, GSO_OFFLOAD_KW_ALL, "active unchanged");

	log.fail_with = 0;
	TEST_ASSERT_EQ(gso_offload_wanted_update(P0, 0, GSO_OFFLOAD_USO_IPV4), 0, "retry");
	TEST_ASSERT_EQ(log.calls, 3, "retry reaches the driver");
	return TEST_OK;
}

static int
callback_may_not_update(void)
{
	struct gso_offload_caps c;
	struct cb_log log = { 0 };

	TEST_RUN(fresh(P0) == 0 ? TEST_OK : TEST_FAIL);
	log.try_nested = true;
	log.nested_ret = 1;
	gso_offload_caps_init(&c, ALL_L3, ALL_L4, 65535, 2, record_gso, &log);
	TEST_ASSERT_EQ(gso_offload_set_caps(P0, &c), 0, "register");
	TEST_ASSERT_EQ(log.nested_ret, -EDEADLK, "update from a callback refused");
	TEST_ASSERT_EQ(log.calls, 1, "no recursion");
	return TEST_OK;
}

static int
ports_are_independent(void)
{
	struct gso_offload_caps c;
	struct cb_log l0 = { 0 }, l1 = { 0 };

	TEST_RUN(fresh(P0) == 0 ? TEST_OK : TEST_FAIL);
	TEST_RUN(fresh(P1) == 0 ? TEST_OK : TEST_FAIL);
	gso_offload_caps_init(&c, ALL_L3, ALL_L4, 65535, 2, record_gso, &l0);
	TEST_ASSERT_EQ(gso_offload_set_caps(P0, &c), 0, "p0");
	c.set_gso_arg = &l1;
	TEST_ASSERT_EQ(gso_offload_set_caps(P1, &c), 0, "p1");
	TEST_ASSERT_EQ(gso_offload_wanted_update(P1, 0, GSO_OFFLOAD_LSO_IPV4), 0, "p1 lso4 off");
	TEST_ASSERT(l0.calls == 1 && l1.calls == 2, "only p1's driver told");
	TEST_ASSERT(l0.lso4 && !l1.lso4, "independent");
	return TEST_OK;
}

/* ---- Registration and the port lifecycle ---- */

static int
started_detection_tracks_ethdev(void)
{
	struct rte_eth_conf conf = { 0 };

	TEST_RUN(fresh(P1) == 0 ? TEST_OK : TEST_FAIL);
	TEST_ASSERT_EQ(rte_eth_dev_configure(P1, 1, 1, &conf), 0, "configure");
	TEST_ASSERT_EQ(rte_eth_rx_queue_setup(P1, 0, 64, 0, NULL, pool), 0, "rxq");
	TEST_ASSERT_EQ(rte_eth_tx_queue_setup(P1, 0, 64, 0, NULL), 0, "txq");
	TEST_ASSERT(!gso_offload_port_is_started(P1), "configured, not started");
	TEST_ASSERT_EQ(rte_eth_dev_start(P1), 0, "start");
	TEST_ASSERT(gso_offload_port_is_started(P1),
			"started behind the library's back is seen");
	TEST_ASSERT_EQ(rte_eth_dev_stop(P1), 0, "stop");
	TEST_ASSERT(!gso_offload_port_is_started(P1), "stopped");
	return TEST_OK;
}

static int
registration_after_start_is_ebusy(void)
{
	struct rte_eth_conf conf = { 0 };
	struct gso_offload_lso_caps lso;
	struct gso_offload_caps c;
	struct cb_log log = { 0 };

	TEST_RUN(fresh(P1) == 0 ? TEST_OK : TEST_FAIL);
	TEST_ASSERT_EQ(rte_eth_dev_configure(P1, 1, 1, &conf), 0, "configure");
	TEST_ASSERT_EQ(rte_eth_rx_queue_setup(P1, 0, 64, 0, NULL, pool), 0, "rxq");
	TEST_ASSERT_EQ(rte_eth_tx_queue_setup(P1, 0, 64, 0, NULL), 0, "txq");
	gso_offload_caps_init(&c, ALL_L3, ALL_L4, 65535, 2, record_gso, &log);
	gso_offload_lso_caps_init(&lso, true, true, 65535, 2, NULL, NULL);

	/* Through the library (NetAdapterStart)... */
	TEST_ASSERT_EQ(gso_offload_set_caps(P1, &c), 0, "before start");
	TEST_ASSERT_EQ(gso_offload_port_start(P1), 0, "start");
	TEST_ASSERT_EQ(gso_offload_set_caps(P1, &c), -EBUSY, "after start");
	TEST_ASSERT_EQ(gso_offload_set_lso_caps(P1, &lso), -EBUSY, "LSO after start");
	/* ... the administrator may still change wanted settings. */
	TEST_ASSERT_EQ(gso_offload_wanted_update(P1, 0, GSO_OFFLOAD_LSO_IPV6), 0,
			"wanted changes at run time");
	TEST_ASSERT_EQ(log.calls, 2, "and the driver hears of it");
	TEST_ASSERT_EQ(gso_offload_port_release(P1), -EBUSY, "release needs stop");
	TEST_ASSERT_EQ(gso_offload_port_stop(P1), 0, "stop");
	TEST_ASSERT_EQ(gso_offload_set_caps(P1, &c), 0, "after stop");

	/* ... and directly through ethdev. */
	TEST_ASSERT_EQ(rte_eth_dev_start(P1), 0, "ethdev start");
	TEST_ASSERT_EQ(gso_offload_set_caps(P1, &c), -EBUSY, "after ethdev start");
	TEST_ASSERT_EQ(rte_eth_dev_stop(P1), 0, "ethdev stop");
	TEST_ASSERT_EQ(gso_offload_set_caps(P1, &c), 0, "after ethdev stop");
	return TEST_OK;
}

static int
bad_ports_and_arguments(void)
{
	const uint16_t bad = RTE_MAX_ETHPORTS - 1;
	struct gso_offload_caps c;
	uint32_t kw;

	gso_offload_caps_init(&c, ALL_L3, ALL_L4, 65535, 2, NULL, NULL);
	TEST_ASSERT_EQ(gso_offload_set_caps(bad, &c), -ENODEV, "set_caps");
	TEST_ASSERT_EQ(gso_offload_wanted_update(bad, 1, 0), -ENODEV, "update");
	TEST_ASSERT_EQ(gso_offload_wanted_get(bad, &kw), -ENODEV, "get");
	TEST_ASSERT_EQ(gso_offload_hw_caps_get(bad, &c), -ENODEV, "hw get");
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(bad, "lso4=on"), -ENODEV, "str");
	TEST_ASSERT_EQ(gso_offload_port_release(bad), -ENODEV, "release");
	TEST_ASSERT_EQ(gso_offload_wanted_update(P0, 1u << 4, 0), -EINVAL, "unknown bit");
	TEST_ASSERT_EQ(gso_offload_wanted_update(P0, GSO_OFFLOAD_LSO_IPV4,
			GSO_OFFLOAD_LSO_IPV4), -EINVAL, "on and off at once");
	TEST_ASSERT_EQ(gso_offload_wanted_get(P0, NULL), -EINVAL, "NULL out");
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0, "lso4=maybe"), -EINVAL, "bad string");
	return TEST_OK;
}

/* ---- Keyword strings ---- */

static int
parser_accepts(void)
{
	static const struct { const char *s; uint32_t on, off; } ok[] = {
		{ "", 0, 0 },
		{ "   ", 0, 0 },
		{ "lso4=on,lso6=off,uso4=on,uso6=off",
		  GSO_OFFLOAD_LSO_IPV4 | GSO_OFFLOAD_USO_IPV4,
		  GSO_OFFLOAD_LSO_IPV6 | GSO_OFFLOAD_USO_IPV6 },
		{ "LsoV2IPv4=1", GSO_OFFLOAD_LSO_IPV4, 0 },
		{ "*LsoV2IPv6=0, *UsoIPv4=1", GSO_OFFLOAD_USO_IPV4, GSO_OFFLOAD_LSO_IPV6 },
		{ " uso6 = OFF ", 0, GSO_OFFLOAD_USO_IPV6 },
		{ "USOIPV6=On", GSO_OFFLOAD_USO_IPV6, 0 },
	};

	for (size_t i = 0; i < TEST_NB(ok); i++) {
		uint32_t on = 99, off = 99;
		char err[128];

		TEST_ASSERT_EQ(gso_offload_wanted_parse(ok[i].s, &on, &off, err,
				sizeof(err)), 0, "'%s': %s", ok[i].s, err);
		TEST_ASSERT(on == ok[i].on && off == ok[i].off,
				"'%s': on %#x off %#x", ok[i].s, on, off);
	}
	return TEST_OK;
}

static int
parser_rejects_with_clear_errors(void)
{
	static const struct { const char *s, *msg; } bad[] = {
		{ "lso4", "expected keyword=on|off" },
		{ "lso5=on", "unknown keyword 'lso5'" },
		{ "lso4=maybe", "bad value 'maybe' for 'lso4'" },
		{ "lso4=on,,uso4=on", "item 2 is empty" },
		{ "lso4=on,", "item 2 is empty" },
		{ "lso4=on,LsoV2IPv4=off", "given twice" },
		{ "=on", "unknown keyword ''" },
		{ "lso4=", "bad value ''" },
	};
	char longstr[400];

	for (size_t i = 0; i < TEST_NB(bad); i++) {
		uint32_t on = 7, off = 7;
		char err[200];

		TEST_ASSERT_EQ(gso_offload_wanted_parse(bad[i].s, &on, &off, err,
				sizeof(err)), -EINVAL, "'%s'", bad[i].s);
		TEST_ASSERT(strstr(err, bad[i].msg) != NULL,
				"'%s': error '%s' should say '%s'", bad[i].s, err,
				bad[i].msg);
		TEST_ASSERT(on == 7 && off == 7, "outputs untouched on error");
	}
	memset(longstr, 'a', sizeof(longstr) - 1);
	longstr[sizeof(longstr) - 1] = '\0';
	TEST_ASSERT_EQ(gso_offload_wanted_parse(longstr, &(uint32_t){0},
			&(uint32_t){0}, NULL, 0), -EINVAL, "too long");
	TEST_ASSERT_EQ(gso_offload_wanted_parse(NULL, &(uint32_t){0},
			&(uint32_t){0}, NULL, 0), -EINVAL, "NULL");
	TEST_ASSERT(strcmp(gso_offload_keyword_name(GSO_OFFLOAD_USO_IPV6),
			"UsoIPv6") == 0, "keyword name");
	TEST_ASSERT(strcmp(gso_offload_keyword_name(3), "?") == 0, "not one keyword");
	return TEST_OK;
}


/* ---- Encapsulated offload (NDIS 6.50) ---- */

#define ENC_BIT(e) GSO_OFFLOAD_ENCAP_BIT(GSO_OFFLOAD_ENCAP_ ## e)

/* Every encapsulation: inner TCP and UDP over every L3 variant, the outer
 * checksums the encapsulation can have. */
static void
encap_full(struct gso_offload_encap_caps *ec)
{
	gso_offload_encap_caps_init(ec);
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++)
		ec->encap[e] = (struct gso_offload_encap){
			.l3_flags = ALL_L3, .l4_flags = ALL_L4,
			.flags = GSO_OFFLOAD_ENCAP_F_OUTER_IPV4_CKSUM |
				(e <= GSO_OFFLOAD_ENCAP_GENEVE ?
				 GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM : 0),
		};
}

static int
encap_init_and_validate(void)
{
	static const struct {
		unsigned int e;
		struct gso_offload_encap x;
		const char *why;
	} bad[] = {
		{ GSO_OFFLOAD_ENCAP_VXLAN, { 1u << 4, 1, 0, 0 }, "unknown inner layer 3" },
		{ GSO_OFFLOAD_ENCAP_GENEVE, { 1, 1u << 3, 0, 0 }, "unknown inner layer 4" },
		{ GSO_OFFLOAD_ENCAP_GRE, { 1, 1, 1u << 3, 0 }, "unknown flag bits" },
		{ GSO_OFFLOAD_ENCAP_IPIP, { 1, 0, 0, 0 }, "go together" },
		{ GSO_OFFLOAD_ENCAP_IPIP, { 0, 1, 0, 0 }, "go together" },
		{ GSO_OFFLOAD_ENCAP_VXLAN, { 0, 0, 1, 0 }, "without segmentation" },
		{ GSO_OFFLOAD_ENCAP_VXLAN, { 0, 0, 0, 200 }, "without segmentation" },
		{ GSO_OFFLOAD_ENCAP_GRE, { 2, 1, 0, 0 }, "inner IPv4 with options" },
		{ GSO_OFFLOAD_ENCAP_GRE, { 8, 1, 0, 0 }, "inner IPv6 with extension" },
		{ GSO_OFFLOAD_ENCAP_GRE, { 1, 2, 0, 0 }, "inner TCP with options" },
		{ GSO_OFFLOAD_ENCAP_GRE, { 1, 1, GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM, 0 },
			"GRE: outer UDP checksum" },
		{ GSO_OFFLOAD_ENCAP_IPIP, { 1, 1, GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM, 0 },
			"IP-in-IP: outer UDP checksum" },
		/* Smallest stacks: VXLAN 14+20+8+8+14+20 = 84, GRE 58, IPIP 54. */
		{ GSO_OFFLOAD_ENCAP_VXLAN, { 1, 1, 0, 83 }, "VXLAN: header limit" },
		{ GSO_OFFLOAD_ENCAP_GRE, { 1, 1, 0, 57 }, "GRE: header limit" },
		{ GSO_OFFLOAD_ENCAP_IPIP, { 1, 1, 0, 53 }, "IP-in-IP: header limit" },
	};
	struct gso_offload_encap_caps ec;
	const char *why;

	gso_offload_encap_caps_init(&ec);
	TEST_ASSERT(ec.size == sizeof(ec) && ec.vxlan_udp_port == 4789,
		"init: size %u, VXLAN port %u", ec.size, ec.vxlan_udp_port);
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++)
		TEST_ASSERT(ec.encap[e].l3_flags == 0 && ec.encap[e].l4_flags == 0 &&
			ec.encap[e].flags == 0 && ec.encap[e].max_header_size == 0,
			"init: nothing offloaded");
	TEST_ASSERT_EQ(gso_offload_encap_caps_validate(&ec, &why), 0,
		"nothing offloaded is valid");
	TEST_ASSERT(why == NULL, "no reason when valid");
	encap_full(&ec);
	ec.encap[GSO_OFFLOAD_ENCAP_VXLAN].max_header_size = 84;
	ec.encap[GSO_OFFLOAD_ENCAP_GRE].max_header_size = 58;
	ec.encap[GSO_OFFLOAD_ENCAP_IPIP].max_header_size = 54;
	TEST_ASSERT_EQ(gso_offload_encap_caps_validate(&ec, &why), 0,
		"everything, smallest limits: %s", why);

	for (size_t i = 0; i < TEST_NB(bad); i++) {
		gso_offload_encap_caps_init(&ec);
		ec.encap[bad[i].e] = bad[i].x;
		TEST_ASSERT_EQ(gso_offload_encap_caps_validate(&ec, &why), -EINVAL,
			"bad row %zu accepted", i);
		TEST_ASSERT(why != NULL && strstr(why, bad[i].why) != NULL,
			"row %zu: '%s' should say '%s'", i, why ? why : "", bad[i].why);
	}
	encap_full(&ec);
	ec.vxlan_udp_port = 0;
	TEST_ASSERT(gso_offload_encap_caps_validate(&ec, &why) == -EINVAL &&
		strstr(why, "UDP port") != NULL, "VXLAN without a port");
	ec.encap[GSO_OFFLOAD_ENCAP_VXLAN] = (struct gso_offload_encap){ 0 };
	TEST_ASSERT_EQ(gso_offload_encap_caps_validate(&ec, &why), 0,
		"no port needed without VXLAN");
	ec.size--;
	TEST_ASSERT(gso_offload_encap_caps_validate(&ec, &why) == -EINVAL &&
		strstr(why, "size") != NULL, "size checked");
	TEST_ASSERT_EQ(gso_offload_encap_caps_validate(NULL, NULL), -EINVAL, "NULL");
	return TEST_OK;
}

/* Active = hardware ∩ administrator, per encapsulation and inner pair. */
static int
encap_active_is_hw_and_wanted(void)
{
	struct gso_offload_encap_caps ec, got;
	struct gso_offload_caps c;
	struct cb_log log = { 0 };
	uint32_t kw, encaps;
	uint16_t vport;

	TEST_RUN(fresh(P0) == 0 ? TEST_OK : TEST_FAIL);
	gso_offload_caps_init(&c, ALL_L3, GSO_OFFLOAD_L4_TCP_NO_OPTIONS, 65535,
			2, record_gso, &log);
	TEST_ASSERT_EQ(gso_offload_set_caps(P0, &c), 0, "register");
	TEST_ASSERT(log.encaps == 0 && log.vxlan_port == 0, "no encapsulations yet");
	TEST_ASSERT_EQ(gso_offload_encap_wanted_get(P0, &kw, &vport), 0, "wanted");
	TEST_ASSERT(kw == GSO_OFFLOAD_KW_ENCAP_ALL && vport == 0,
		"default: every keyword on, the hardware's port");

	/* VXLAN: TCP and UDP over IPv4; GRE: TCP over IPv6. */
	gso_offload_encap_caps_init(&ec);
	ec.encap[GSO_OFFLOAD_ENCAP_VXLAN] = (struct gso_offload_encap){
		GSO_OFFLOAD_L3_IPV4_NO_OPTIONS,
		GSO_OFFLOAD_L4_TCP_NO_OPTIONS | GSO_OFFLOAD_L4_UDP,
		GSO_OFFLOAD_ENCAP_F_OUTER_IPV4_CKSUM, 200 };
	ec.encap[GSO_OFFLOAD_ENCAP_GRE] = (struct gso_offload_encap){
		GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS, GSO_OFFLOAD_L4_TCP_NO_OPTIONS,
		0, 0 };
	ec.vxlan_udp_port = 4790;
	TEST_ASSERT_EQ(gso_offload_set_encap_caps(P0, &ec), 0, "register encap");
	TEST_ASSERT_EQ(log.calls, 2, "one change");
	TEST_ASSERT_EQ(log.encaps, ENC_BIT(VXLAN) | ENC_BIT(GRE), "active");
	TEST_ASSERT_EQ(log.vxlan_port, 4790, "the hardware's VXLAN port");
	TEST_ASSERT(log.vxlan_tcp4, "VXLAN TCP/IPv4 allowed");
	TEST_ASSERT(log.encap[GSO_OFFLOAD_ENCAP_VXLAN].max_header_size == 200 &&
		log.encap[GSO_OFFLOAD_ENCAP_VXLAN].flags ==
		GSO_OFFLOAD_ENCAP_F_OUTER_IPV4_CKSUM, "limits and flags seen");
	TEST_ASSERT_EQ(gso_offload_hw_encap_caps_get(P0, &got), 0, "read back");
	TEST_ASSERT(memcmp(&got, &ec, sizeof(ec)) == 0, "as registered");

	/* Inner pairs follow the GSO keywords: uso4 off leaves VXLAN TCP. */
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0, "uso4=off"), 0, "uso4 off");
	TEST_ASSERT_EQ(log.calls, 3, "the inner UDP pair went: a change");
	TEST_ASSERT(log.encap[GSO_OFFLOAD_ENCAP_VXLAN].l4_flags ==
		GSO_OFFLOAD_L4_TCP_NO_OPTIONS, "VXLAN inner UDP off");
	/* lso6 off: GRE had only TCP/IPv6, it goes. */
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0, "lso6=off"), 0, "lso6 off");
	TEST_ASSERT_EQ(log.encaps, ENC_BIT(VXLAN), "GRE inactive");
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0, "lso6=on,uso4=on"), 0, "on");
	TEST_ASSERT_EQ(log.encaps, ENC_BIT(VXLAN) | ENC_BIT(GRE), "back");

	/* Per encapsulation, and the master keyword. */
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0, "encap_gre=off"), 0, "gre");
	TEST_ASSERT_EQ(log.encaps, ENC_BIT(VXLAN), "GRE off");
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0,
		"*EncapsulatedPacketTaskOffload=0"), 0, "master off");
	TEST_ASSERT(log.encaps == 0 && log.vxlan_port == 0, "nothing");
	TEST_ASSERT_EQ(gso_offload_active_encaps_get(P0, &encaps), 0, "get");
	TEST_ASSERT_EQ(encaps, 0, "nothing active");
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0, "encap=on,encap_nvgre=on"),
		0, "on again (NVGRE is GRE)");
	TEST_ASSERT_EQ(log.encaps, ENC_BIT(VXLAN) | ENC_BIT(GRE), "both");

	/* *VxlanUDPPortNumber: the administrator's wins, hw goes back. */
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0, "VxlanUDPPortNumber=8472"),
		0, "port");
	TEST_ASSERT_EQ(log.vxlan_port, 8472, "administrator's port");
	TEST_ASSERT_EQ(gso_offload_encap_wanted_get(P0, &kw, &vport), 0, "wanted");
	TEST_ASSERT(kw == GSO_OFFLOAD_KW_ENCAP_ALL && vport == 8472, "recorded");
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0, "vxlan_port=hw"), 0, "hw");
	TEST_ASSERT_EQ(log.vxlan_port, 4790, "the hardware's again");

	/* The plain set does not carry tunnels, nor tunnels the plain set. */
	TEST_ASSERT_EQ(gso_offload_active_keywords_get(P0, &kw), 0, "kw");
	TEST_ASSERT_EQ(kw, GSO_OFFLOAD_LSO_IPV4 | GSO_OFFLOAD_LSO_IPV6,
		"plain keywords as the plain caps say");
	return TEST_OK;
}

/* The callback once per change of the encapsulated part, never when it
 * is unchanged; a refused change or bad registration leaves all as it was. */
static int
encap_callback_once_per_change(void)
{
	struct gso_offload_encap_caps ec, got;
	struct gso_offload_settings st;
	struct gso_offload_caps c;
	struct cb_log log = { 0 };
	uint32_t kw, encaps;
	uint16_t vport;

	TEST_RUN(fresh(P0) == 0 ? TEST_OK : TEST_FAIL);
	gso_offload_caps_init(&c, ALL_L3, ALL_L4, 65535, 2, record_gso, &log);
	TEST_ASSERT_EQ(gso_offload_set_caps(P0, &c), 0, "register");
	encap_full(&ec);
	TEST_ASSERT_EQ(gso_offload_set_encap_caps(P0, &ec), 0, "encap");
	TEST_ASSERT_EQ(log.calls, 2, "one callback");
	TEST_ASSERT_EQ(log.encaps, GSO_OFFLOAD_ENCAP_ALL, "all four");
	TEST_ASSERT_EQ(gso_offload_set_encap_caps(P0, &ec), 0, "same again");
	TEST_ASSERT_EQ(log.calls, 2, "no change, no callback");
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0, "encap=on,vxlan_port=4789"),
		0, "already so");
	TEST_ASSERT_EQ(log.calls, 2, "no change (4789 is the hardware's too)");
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0, "encap_ipip=off"), 0, "off");
	TEST_ASSERT_EQ(log.calls, 3, "one change");
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0, "encap_ipip=off"), 0, "again");
	TEST_ASSERT_EQ(log.calls, 3, "unchanged");

	/* A GSO and an encapsulation keyword and the port together: one. */
	st = (struct gso_offload_settings){ .off = GSO_OFFLOAD_LSO_IPV4,
		.encap_on = GSO_OFFLOAD_KW_ENCAP_IPIP, .vxlan_udp_port = 4790 };
	TEST_ASSERT_EQ(gso_offload_settings_apply(P0, &st), 0, "apply");
	TEST_ASSERT_EQ(log.calls, 4, "one callback for a combined change");
	TEST_ASSERT(!log.lso4 && !log.vxlan_tcp4 && log.vxlan_port == 4790 &&
		log.encaps == GSO_OFFLOAD_ENCAP_ALL, "all three seen");

	/* A limit of the hardware is a change of the set. */
	ec.encap[GSO_OFFLOAD_ENCAP_GENEVE].max_header_size = 300;
	TEST_ASSERT_EQ(gso_offload_set_encap_caps(P0, &ec), 0, "limit");
	TEST_ASSERT_EQ(log.calls, 5, "reported");
	TEST_ASSERT_EQ(log.encap[GSO_OFFLOAD_ENCAP_GENEVE].max_header_size, 300,
		"seen");

	/* Bad registrations: -EINVAL, nothing changes, no callback. */
	got = ec;
	got.encap[GSO_OFFLOAD_ENCAP_GRE].flags |= GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM;
	TEST_ASSERT_EQ(gso_offload_set_encap_caps(P0, &got), -EINVAL, "bad flags");
	got = ec;
	got.size = 0;
	TEST_ASSERT_EQ(gso_offload_set_encap_caps(P0, &got), -EINVAL, "bad size");
	TEST_ASSERT_EQ(gso_offload_set_encap_caps(P0, NULL), -EINVAL, "NULL");
	TEST_ASSERT_EQ(log.calls, 5, "no callback");
	TEST_ASSERT_EQ(gso_offload_hw_encap_caps_get(P0, &got), 0, "get");
	TEST_ASSERT(memcmp(&got, &ec, sizeof(ec)) == 0, "registration kept");

	/* Bad settings: -EINVAL, nothing applied. */
	st = (struct gso_offload_settings){ .encap_on = 1u << 5 };
	TEST_ASSERT_EQ(gso_offload_settings_apply(P0, &st), -EINVAL, "unknown bit");
	st = (struct gso_offload_settings){ .encap_on = GSO_OFFLOAD_KW_ENCAP,
		.encap_off = GSO_OFFLOAD_KW_ENCAP };
	TEST_ASSERT_EQ(gso_offload_settings_apply(P0, &st), -EINVAL, "on and off");
	st = (struct gso_offload_settings){ .vxlan_udp_port = 70000 };
	TEST_ASSERT_EQ(gso_offload_settings_apply(P0, &st), -EINVAL, "port");
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0, "vxlan_port=0"), -EINVAL,
		"port 0");
	TEST_ASSERT_EQ(gso_offload_settings_apply(P0, NULL), -EINVAL, "NULL");
	TEST_ASSERT_EQ(log.calls, 5, "no callback");

	/* A refused change: the error, everything as before. */
	log.fail_with = -EIO;
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P0, "encap_vxlan=off,vxlan_port=1"),
		-EIO, "driver refusal");
	TEST_ASSERT_EQ(log.calls, 6, "the callback ran once");
	TEST_ASSERT_EQ(gso_offload_encap_wanted_get(P0, &kw, &vport), 0, "wanted");
	TEST_ASSERT(kw == GSO_OFFLOAD_KW_ENCAP_ALL && vport == 4790,
		"wanted unchanged: %#x %u", kw, vport);
	TEST_ASSERT_EQ(gso_offload_active_encaps_get(P0, &encaps), 0, "active");
	TEST_ASSERT_EQ(encaps, GSO_OFFLOAD_ENCAP_ALL, "active unchanged");
	got = ec;
	got.encap[GSO_OFFLOAD_ENCAP_VXLAN] = (struct gso_offload_encap){ 0 };
	TEST_ASSERT_EQ(gso_offload_set_encap_caps(P0, &got), -EIO, "refused");
	TEST_ASSERT_EQ(gso_offload_hw_encap_caps_get(P0, &got), 0, "get");
	TEST_ASSERT(memcmp(&got, &ec, sizeof(ec)) == 0, "registration kept");
	log.fail_with = 0;

	/* Withdrawn: all zeros. */
	gso_offload_encap_caps_init(&got);
	TEST_ASSERT_EQ(gso_offload_set_encap_caps(P0, &got), 0, "withdraw");
	TEST_ASSERT(log.calls == 8 && log.encaps == 0, "nothing active");
	return TEST_OK;
}

static int
encap_registration_after_start_is_ebusy(void)
{
	struct rte_eth_conf conf = { 0 };
	struct gso_offload_encap_caps ec;

	TEST_RUN(fresh(P1) == 0 ? TEST_OK : TEST_FAIL);
	TEST_ASSERT_EQ(rte_eth_dev_configure(P1, 1, 1, &conf), 0, "configure");
	TEST_ASSERT_EQ(rte_eth_rx_queue_setup(P1, 0, 64, 0, NULL, pool), 0, "rxq");
	TEST_ASSERT_EQ(rte_eth_tx_queue_setup(P1, 0, 64, 0, NULL), 0, "txq");
	encap_full(&ec);
	TEST_ASSERT_EQ(gso_offload_set_encap_caps(P1, &ec), 0, "before start");
	TEST_ASSERT_EQ(rte_eth_dev_start(P1), 0, "start");
	TEST_ASSERT_EQ(gso_offload_set_encap_caps(P1, &ec), -EBUSY, "after start");
	TEST_ASSERT_EQ(gso_offload_wanted_set_str(P1, "encap_gre=off"), 0,
		"the administrator still may");
	TEST_ASSERT_EQ(rte_eth_dev_stop(P1), 0, "stop");
	TEST_ASSERT_EQ(gso_offload_set_encap_caps(RTE_MAX_ETHPORTS - 1, &ec),
		-ENODEV, "bad port");
	TEST_ASSERT_EQ(gso_offload_hw_encap_caps_get(P1, NULL), -EINVAL, "NULL");
	TEST_ASSERT_EQ(gso_offload_encap_wanted_get(P1, NULL, NULL), -EINVAL,
		"NULL");
	return TEST_OK;
}

/* net_null has no tunnel TSO: the derivation offloads nothing. */
static int
encap_derivation_of_a_port_without_tunnels(void)
{
	struct gso_offload_encap_caps ec;

	memset(&ec, 0xff, sizeof(ec));
	TEST_ASSERT_EQ(gso_offload_port_describe_encap(P0, &ec), 0, "describe");
	TEST_ASSERT(ec.size == sizeof(ec) && gso_offload_encap_caps_validate(&ec,
		NULL) == 0, "valid");
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++)
		TEST_ASSERT(ec.encap[e].l4_flags == 0, "%s not offloaded",
			gso_offload_encap_name(e));
	TEST_ASSERT_EQ(gso_offload_port_describe_encap(P0, NULL), -EINVAL, "NULL");
	return TEST_OK;
}

static int
settings_parser(void)
{
	static const struct {
		const char *s;
		struct gso_offload_settings want;
	} ok[] = {
		{ "", { 0 } },
		{ "encap=off", { .encap_off = GSO_OFFLOAD_KW_ENCAP } },
		{ "*EncapsulatedPacketTaskOffloadVxlan=1, encap_geneve=0",
		  { .encap_on = GSO_OFFLOAD_KW_ENCAP_VXLAN,
		    .encap_off = GSO_OFFLOAD_KW_ENCAP_GENEVE } },
		{ "EncapsulatedPacketTaskOffloadGre=on,encap_ipip=ON",
		  { .encap_on = GSO_OFFLOAD_KW_ENCAP_GRE | GSO_OFFLOAD_KW_ENCAP_IPIP } },
		{ "*VxlanUDPPortNumber=4790,lso4=off",
		  { .off = GSO_OFFLOAD_LSO_IPV4, .vxlan_udp_port = 4790 } },
		{ "vxlan_port=HW", { .vxlan_udp_port = GSO_OFFLOAD_VXLAN_PORT_HW } },
		{ "vxlan_port=65535", { .vxlan_udp_port = 65535 } },
	};
	static const struct { const char *s, *msg; } bad[] = {
		{ "vxlan_port=0", "bad value '0'" },
		{ "vxlan_port=65536", "bad value '65536'" },
		{ "vxlan_port=-1", "bad value" },
		{ "vxlan_port=47x", "bad value" },
		{ "vxlan_port=1,VxlanUDPPortNumber=2", "given twice" },
		{ "encap_gre=off,encap_nvgre=on", "given twice" },
		{ "encap_mpls=on", "unknown keyword 'encap_mpls'" },
		{ "encap=yes", "bad value 'yes'" },
	};
	struct gso_offload_settings st;
	uint32_t on, off;
	char err[256];

	for (size_t i = 0; i < TEST_NB(ok); i++) {
		TEST_ASSERT_EQ(gso_offload_settings_parse(ok[i].s, &st, err,
			sizeof(err)), 0, "'%s': %s", ok[i].s, err);
		TEST_ASSERT(memcmp(&st, &ok[i].want, sizeof(st)) == 0,
			"'%s': on %#x off %#x encap %#x/%#x port %u", ok[i].s,
			st.on, st.off, st.encap_on, st.encap_off, st.vxlan_udp_port);
	}
	for (size_t i = 0; i < TEST_NB(bad); i++) {
		TEST_ASSERT_EQ(gso_offload_settings_parse(bad[i].s, &st, err,
			sizeof(err)), -EINVAL, "'%s' accepted", bad[i].s);
		TEST_ASSERT(strstr(err, bad[i].msg) != NULL,
			"'%s': error '%s' should say '%s'", bad[i].s, err,
			bad[i].msg);
	}
	/* The GSO parser takes GSO keywords only, and says where the rest
	 * goes. */
	TEST_ASSERT_EQ(gso_offload_wanted_parse("encap=on", &on, &off, err,
		sizeof(err)), -EINVAL, "encap keyword in the GSO parser");
	TEST_ASSERT(strstr(err, "gso_offload_settings_parse") != NULL, "%s", err);
	TEST_ASSERT_EQ(gso_offload_settings_parse(NULL, &st, NULL, 0), -EINVAL,
		"NULL");

	gso_offload_encap_keywords_str(GSO_OFFLOAD_KW_ENCAP_ALL, err, sizeof(err));
	TEST_ASSERT(strcmp(err, "encap,encap_vxlan,encap_geneve,encap_gre,encap_ipip")
		== 0, "keywords: %s", err);
	TEST_ASSERT_EQ(gso_offload_settings_parse(err, &st, NULL, 0), -EINVAL,
		"names without values are no settings");
	gso_offload_encap_keywords_str(0, err, sizeof(err));
	TEST_ASSERT(strcmp(err, "none") == 0, "none");
	TEST_ASSERT(strcmp(gso_offload_encap_name(GSO_OFFLOAD_ENCAP_GENEVE),
		"geneve") == 0 && strcmp(gso_offload_encap_name(4), "?") == 0,
		"names");
	{
		struct gso_offload_encap x = { GSO_OFFLOAD_L3_IPV4_NO_OPTIONS,
			GSO_OFFLOAD_L4_TCP_NO_OPTIONS,
			GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM, 128 };

		gso_offload_encap_str(&x, err, sizeof(err));
		TEST_ASSERT(strcmp(err, "ipv4 / tcp / outer-udp-cksum / max-header 128")
			== 0, "encap_str: %s", err);
	}
	return TEST_OK;
}

static int
setup(void)
{
	pool = test_poison_pktmbuf_pool_create("caps_pool", 1024, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	return pool == NULL || rte_eth_dev_count_avail() < 2;
}

static const struct test_case cases[] = {
	TEST_CASE(caps_init_defaults),
	TEST_CASE(lso_init_defaults),
	TEST_CASE(validate_accepts),
	TEST_CASE(validate_rejects_each_rule),
	TEST_CASE(lso_maps_to_gso),
	TEST_CASE(lso_registration_one_source_of_truth),
	TEST_CASE(active_is_hw_and_wanted),
	TEST_CASE(active_caps_are_reachable_flags),
	TEST_CASE(callback_once_per_change),
	TEST_CASE(callback_failure_keeps_state),
	TEST_CASE(callback_may_not_update),
	TEST_CASE(ports_are_independent),
	TEST_CASE(started_detection_tracks_ethdev),
	TEST_CASE(registration_after_start_is_ebusy),
	TEST_CASE(bad_ports_and_arguments),
	TEST_CASE(parser_accepts),
	TEST_CASE(parser_rejects_with_clear_errors),
	TEST_CASE(encap_init_and_validate),
	TEST_CASE(encap_active_is_hw_and_wanted),
	TEST_CASE(encap_callback_once_per_change),
	TEST_CASE(encap_registration_after_start_is_ebusy),
	TEST_CASE(encap_derivation_of_a_port_without_tunnels),
	TEST_CASE(settings_parser),
};

static const char *const eal_args[] = {
	"--vdev=net_null0", "--vdev=net_null1", NULL,
};

int
main(int argc, char **argv)
{
	const struct test_suite suite = {
		.name = "caps",
		.eal_args = eal_args,
		.setup = setup,
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = true,
	};

	return test_suite_run(&suite, argc, argv);
}
