/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * libFuzzer harness of the control plane: GSO, legacy LSO and
 * encapsulated capability registration and validation, the wanted
 * keywords (updates, the string parsers, the encapsulation keywords and
 * *VxlanUDPPortNumber), the queries, and change callbacks that succeed, fail, or call
 * back into the library. Every answer is checked against a model the
 * harness keeps of its own (docs/design.md, gso_offload_caps.h): the
 * validation rules, the active set (hardware ∩ wanted, by keyword), the
 * callback once per change of it and never otherwise, a failed callback
 * leaving everything as it was.
 *
 * Input: operations until it ends, each a byte (op % 8) and its operands
 * (see run_op()). The port's record is released before every input, so
 * each input starts from nothing registered and every keyword wanted.
 *
 * Capabilities that change at run time (docs/design.md): a second port,
 * configured and started by the library, whose provider describes what
 * the input last said (or fails). Op 7 with bit 7 set changes that
 * hardware and refreshes the port (directly, or marked and then through
 * the pending call), or changes its wanted keywords; the same model
 * checks the active set, the provider's callback once per change of it
 * and never otherwise, a failing provider or refusing callback leaving
 * everything as it was, -EDEADLK from inside the callback and -ENOTSUP
 * for the first port (not configured by the library). That port is put
 * back to no hardware and every keyword wanted before every input.
 */

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>

#include "gso_offload.h"
#include "fuzz_common.h"
#include "test_env.h"

static uint16_t port;
/* The port under the library whose hardware changes at run time. */
static uint16_t rt_port;

static int rt_describe(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_caps *caps,
		struct gso_offload_port_limits *lim);
static int rt_describe_encap(uint16_t port_id,
		const struct rte_eth_dev_info *info,
		struct gso_offload_encap_caps *encap,
		struct gso_offload_port_limits *lim);
static int rt_set_gso(uint16_t port_id, const struct gso_offload_active *a,
		void *arg);
static void rt_hw_none(void);

static const struct gso_offload_provider rt_provider = {
	.name = "fuzz-runtime", .describe = rt_describe,
	.describe_encap = rt_describe_encap, .set_gso = rt_set_gso,
};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct rte_mempool *mp;

	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	fuzz_eal_init("fuzz_ctl", NULL);
	port = test_vdev("net_null0", "");
	FUZZ_CHECK(port != TEST_NO_PORT, "net_null");
	rt_port = test_vdev("net_null1", "");
	FUZZ_CHECK(rt_port != TEST_NO_PORT, "net_null1");
	/* Never received from: the RX queue only needs a pool. */
	mp = fuzz_pool_create("fuzz_ctl_rx", 64, 2048);
	rt_hw_none();
	FUZZ_CHECK(gso_offload_port_set_provider(rt_port, &rt_provider) == 0,
		"set_provider");
	FUZZ_CHECK(test_lib_port_up(rt_port, mp, 1, 64) == 0,
		"configure and start the run-time port");
	return 0;
}

/* ---- The model ---- */

struct model_active {
	uint32_t keywords, l3, l4;
	uint32_t max_offload_size, min_segment_count;
	uint16_t offset_limit;
	/* Encapsulated offload. */
	uint32_t encaps;
	uint32_t encap_pairs[GSO_OFFLOAD_ENCAP_NB];
	struct gso_offload_encap encap[GSO_OFFLOAD_ENCAP_NB];
	uint16_t vxlan_port;
};

/* The encapsulated part of the state: registration, keywords, port. */
struct enc_state {
	bool registered;
	struct gso_offload_encap_caps caps;
	uint32_t wanted;
	uint16_t vxlan;              /* administrator's; 0: the hardware's */
};

static struct {
	bool registered, is_lso;
	struct gso_offload_caps hw;  /* as registered (GSO form) */
	uint32_t wanted;
	struct enc_state enc;
	struct model_active active;
} model;

/* What the operation under way proposes for the encapsulated part: the
 * model's until an operation changes it (run_op() resets it). */
static struct enc_state enc_next;

/* What a change callback does. */
enum cb_mode {
	CB_OK,
	CB_FAIL,          /* -EIO */
	CB_FAIL_POSITIVE, /* a positive value: the library makes it -EIO */
	CB_REENTER,       /* calls every update function: all refused */
	CB_MODES,
};

static struct {
	unsigned int calls;
	bool expected;            /* a change is expected now */
	struct model_active next; /* the set the callback must be handed */
} cb;

static uint32_t
keyword_of(unsigned int l3_bit, unsigned int l4_bit)
{
	bool v4 = l3_bit < 2, tcp = l4_bit < 2;

	return tcp ? (v4 ? GSO_OFFLOAD_LSO_IPV4 : GSO_OFFLOAD_LSO_IPV6) :
		(v4 ? GSO_OFFLOAD_USO_IPV4 : GSO_OFFLOAD_USO_IPV6);
}

/* hardware ∩ wanted, as gso_offload_caps.h describes it. */
static struct model_active
model_compute(bool registered, const struct gso_offload_caps *hw,
		uint32_t wanted)
{
	struct model_active a;
	uint32_t possible = 0;

	memset(&a, 0, sizeof(a));
	/* Encapsulations: hardware, wanted (the master keyword and its
	 * own), an inner pair whose GSO keyword is wanted. */
	if (enc_next.registered && (enc_next.wanted & GSO_OFFLOAD_KW_ENCAP)) {
		for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++) {
			const struct gso_offload_encap *x = &enc_next.caps.encap[e];

			if (!(enc_next.wanted & GSO_OFFLOAD_KW_ENCAP_OF(e)))
				continue;
			for (unsigned int l3 = 0; l3 < 4; l3++)
				for (unsigned int l4 = 0; l4 < 3; l4++)
					if ((x->l3_flags & (1u << l3)) &&
							(x->l4_flags & (1u << l4)) &&
							(wanted & keyword_of(l3, l4))) {
						a.encap_pairs[e] |= 1u << (l4 * 4 + l3);
						a.encap[e].l3_flags |= 1u << l3;
						a.encap[e].l4_flags |= 1u << l4;
					}
			if (a.encap_pairs[e] == 0)
				continue;
			a.encap[e].flags = x->flags;
			a.encap[e].max_header_size = x->max_header_size;
			a.encaps |= 1u << e;
		}
		if (a.encaps & 1u)
			a.vxlan_port = enc_next.vxlan != 0 ? enc_next.vxlan :
				enc_next.caps.vxlan_udp_port;
	}
	if (!registered)
		return a;
	/* A keyword needs its plain variants. */
	for (unsigned int l3 = 0; l3 < 4; l3 += 2)
		for (unsigned int l4 = 0; l4 < 3; l4 += 2)
			if ((hw->l3_flags & (1u << l3)) &&
					(hw->l4_flags & (1u << l4)))
				possible |= keyword_of(l3, l4);
	a.keywords = possible & wanted;
	if (a.keywords == 0)
		return a;
	for (unsigned int l3 = 0; l3 < 4; l3++)
		for (unsigned int l4 = 0; l4 < 3; l4++)
			if ((hw->l3_flags & (1u << l3)) &&
					(hw->l4_flags & (1u << l4)) &&
					(a.keywords & keyword_of(l3, l4))) {
				a.l3 |= 1u << l3;
				a.l4 |= 1u << l4;
			}
	a.max_offload_size = hw->max_offload_size;
	a.min_segment_count = hw->min_segment_count;
	a.offset_limit = hw->l4_header_offset_limit;
	return a;
}

/* The encapsulated validation rules (gso_offload_encap_caps_validate()). */
static bool
model_encap_valid(const struct gso_offload_encap_caps *c)
{
	static const uint16_t min_hdr[GSO_OFFLOAD_ENCAP_NB] = { 84, 84, 58, 54 };

	if (c->size != sizeof(*c))
		return false;
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++) {
		const struct gso_offload_encap *x = &c->encap[e];

		if ((x->l3_flags & ~GSO_OFFLOAD_L3_ALL) ||
				(x->l4_flags & ~GSO_OFFLOAD_L4_ALL) ||
				(x->flags & ~GSO_OFFLOAD_ENCAP_F_ALL) ||
				(x->l3_flags == 0) != (x->l4_flags == 0) ||
				(x->l4_flags == 0 && (x->flags || x->max_header_size)))
			return false;
		if (((x->l3_flags & 2) && !(x->l3_flags & 1)) ||
				((x->l3_flags & 8) && !(x->l3_flags & 4)) ||
				((x->l4_flags & 2) && !(x->l4_flags & 1)))
			return false;
		if (e >= GSO_OFFLOAD_ENCAP_GRE &&
				(x->flags & GSO_OFFLOAD_ENCAP_F_OUTER_UDP_CKSUM))
			return false;
		if (x->max_header_size != 0 && x->max_header_size < min_hdr[e])
			return false;
		if (e == GSO_OFFLOAD_ENCAP_VXLAN && x->l4_flags != 0 &&
				c->vxlan_udp_port == 0)
			return false;
	}
	return true;
}

static bool
model_equal(const struct model_active *a, const struct model_active *b)
{
	return memcmp(a, b, sizeof(*a)) == 0;
}

/* The validation rules, in gso_offload_caps_validate()'s words. */
static bool
model_valid(const struct gso_offload_caps *c)
{
	if (c->size != sizeof(*c) || (c->l3_flags & ~GSO_OFFLOAD_L3_ALL) ||
			(c->l4_flags & ~GSO_OFFLOAD_L4_ALL) ||
			c->l3_flags == 0 || c->l4_flags == 0 ||
			c->max_offload_size == 0 || c->min_segment_count == 0)
		return false;
	if ((c->l3_flags & GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS) &&
			!(c->l3_flags & GSO_OFFLOAD_L3_IPV4_NO_OPTIONS))
		return false;
	if ((c->l3_flags & GSO_OFFLOAD_L3_IPV6_WITH_EXTENSIONS) &&
			!(c->l3_flags & GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS))
		return false;
	if ((c->l4_flags & GSO_OFFLOAD_L4_TCP_WITH_OPTIONS) &&
			!(c->l4_flags & GSO_OFFLOAD_L4_TCP_NO_OPTIONS))
		return false;
	return true;
}

static void
active_check(const struct gso_offload_active *a, const struct model_active *m)
{
	struct gso_offload_caps c;

	gso_offload_active_caps(a, &c);
	FUZZ_CHECK(gso_offload_active_keywords(a) == m->keywords,
		"active keywords %#x, model %#x", gso_offload_active_keywords(a),
		m->keywords);
	FUZZ_CHECK(c.l3_flags == m->l3 && c.l4_flags == m->l4 &&
		c.max_offload_size == m->max_offload_size &&
		c.min_segment_count == m->min_segment_count &&
		c.l4_header_offset_limit == m->offset_limit && c.set_gso == NULL,
		"active caps l3 %#x l4 %#x, model %#x %#x", c.l3_flags,
		c.l4_flags, m->l3, m->l4);
	FUZZ_CHECK(gso_offload_is_lso_ipv4_enabled(a) ==
		!!(m->keywords & GSO_OFFLOAD_LSO_IPV4) &&
		gso_offload_is_lso_ipv6_enabled(a) ==
		!!(m->keywords & GSO_OFFLOAD_LSO_IPV6) &&
		gso_offload_is_uso_ipv4_enabled(a) ==
		!!(m->keywords & GSO_OFFLOAD_USO_IPV4) &&
		gso_offload_is_uso_ipv6_enabled(a) ==
		!!(m->keywords & GSO_OFFLOAD_USO_IPV6), "is_*_enabled");
	for (unsigned int l3 = 0; l3 < 4; l3++)
		for (unsigned int l4 = 0; l4 < 3; l4++)
			FUZZ_CHECK(gso_offload_active_allows(a, 1u << l3,
				1u << l4) == ((m->l3 & (1u << l3)) &&
				(m->l4 & (1u << l4)) &&
				(m->keywords & keyword_of(l3, l4))),
				"allows(%u, %u)", l3, l4);
	FUZZ_CHECK(gso_offload_active_encaps(a) == m->encaps &&
		gso_offload_active_vxlan_port(a) == m->vxlan_port,
		"active encapsulations %#x port %u, model %#x %u",
		gso_offload_active_encaps(a), gso_offload_active_vxlan_port(a),
		m->encaps, m->vxlan_port);
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++) {
		struct gso_offload_encap x;

		FUZZ_CHECK(gso_offload_active_encap(a, e, &x) == 0 &&
			memcmp(&x, &m->encap[e], sizeof(x)) == 0,
			"active %s", gso_offload_encap_name(e));
		for (unsigned int l3 = 0; l3 < 4; l3++)
			for (unsigned int l4 = 0; l4 < 3; l4++)
				FUZZ_CHECK(gso_offload_active_encap_allows(a, e,
					1u << l3, 1u << l4) ==
					!!(m->encap_pairs[e] & (1u << (l4 * 4 + l3))),
					"encap_allows(%u, %u, %u)", e, l3, l4);
	}
	FUZZ_CHECK(gso_offload_active_encap(a, GSO_OFFLOAD_ENCAP_NB,
		&(struct gso_offload_encap){ 0 }) == -EINVAL &&
		!gso_offload_active_encap_allows(a, GSO_OFFLOAD_ENCAP_NB, 1, 1),
		"encapsulation out of range");
	/* Not a single flag: never allowed. */
	FUZZ_CHECK(!gso_offload_active_allows(a, 3, 1) &&
		!gso_offload_active_allows(a, 1, 0) &&
		!gso_offload_active_allows(a, 1u << 4, 1), "allows(bad flags)");
}

/* Every update from inside a callback is refused, and changes nothing. */
static void
reenter(void)
{
	struct gso_offload_caps c;
	struct gso_offload_lso_caps l;
	uint32_t kw;

	gso_offload_caps_init(&c, GSO_OFFLOAD_L3_ALL, GSO_OFFLOAD_L4_ALL, 1000,
		1, NULL, NULL);
	gso_offload_lso_caps_init(&l, true, true, 1000, 1, NULL, NULL);
	FUZZ_CHECK(gso_offload_set_caps(port, &c) == -EDEADLK, "set_caps");
	FUZZ_CHECK(gso_offload_set_lso_caps(port, &l) == -EDEADLK, "set_lso");
	FUZZ_CHECK(gso_offload_wanted_update(port, 0, GSO_OFFLOAD_KW_ALL) ==
		-EDEADLK, "wanted_update");
	FUZZ_CHECK(gso_offload_wanted_set_str(port, "lso4=off") == -EDEADLK,
		"wanted_set_str");
	{
		struct gso_offload_encap_caps e;
		struct gso_offload_settings st = { .encap_off = 1 };

		gso_offload_encap_caps_init(&e);
		FUZZ_CHECK(gso_offload_set_encap_caps(port, &e) == -EDEADLK,
			"set_encap_caps");
		FUZZ_CHECK(gso_offload_settings_apply(port, &st) == -EDEADLK,
			"settings_apply");
	}
	FUZZ_CHECK(gso_offload_port_release(port) == -EDEADLK, "release");
	/* Queries are allowed, and still say the old state. */
	FUZZ_CHECK(gso_offload_active_keywords_get(port, &kw) == 0 &&
		kw == model.active.keywords, "query from a callback");
}

static int
cb_common(uint16_t port_id, uintptr_t mode)
{
	FUZZ_CHECK(port_id == port, "callback for port %u", port_id);
	FUZZ_CHECK(cb.expected, "callback without a change of the active set");
	cb.calls++;
	FUZZ_CHECK(cb.calls == 1, "callback %u times for one change",
		cb.calls);
	switch (mode) {
	case CB_FAIL:
		return -EIO;
	case CB_FAIL_POSITIVE:
		return 5;
	case CB_REENTER:
		reenter();
		return 0;
	default:
		return 0;
	}
}

static int
gso_cb(uint16_t port_id, const struct gso_offload_active *a, void *arg)
{
	active_check(a, &cb.next);
	return cb_common(port_id, (uintptr_t)arg);
}

static int
lso_cb(uint16_t port_id, const struct gso_offload_lso_caps *a, void *arg)
{
	FUZZ_CHECK(a->size == sizeof(*a) && a->set_lso == NULL &&
		a->ipv4 == !!(cb.next.keywords & GSO_OFFLOAD_LSO_IPV4) &&
		a->ipv6 == !!(cb.next.keywords & GSO_OFFLOAD_LSO_IPV6) &&
		a->max_offload_size == cb.next.max_offload_size &&
		a->min_segment_count == cb.next.min_segment_count,
		"LSO callback's view");
	return cb_common(port_id, (uintptr_t)arg);
}

/* The mode the registered callback was given (what a change meets). */
static uintptr_t cur_mode;
static bool cur_has_cb;

/*
 * Expect an operation that makes the state (registered, hw, wanted):
 * returns what it must return and updates the model when it succeeds.
 */
static int
expect_change(bool registered, const struct gso_offload_caps *hw,
		uint32_t wanted, bool has_cb, uintptr_t mode)
{
	struct model_active next = model_compute(registered, hw, wanted);

	cb.calls = 0;
	cb.expected = !model_equal(&next, &model.active) && has_cb;
	cb.next = next;
	if (cb.expected && mode == CB_FAIL)
		return -EIO;
	if (cb.expected && mode == CB_FAIL_POSITIVE)
		return -EIO;
	return 0;
}

static void
commit(int want, bool registered, const struct gso_offload_caps *hw,
		bool is_lso, uint32_t wanted, bool has_cb, uintptr_t mode)
{
	FUZZ_CHECK(cb.calls == (cb.expected ? 1u : 0u),
		"callback ran %u times, expected %u", cb.calls,
		cb.expected ? 1u : 0u);
	cb.expected = false;
	if (want != 0)
		return;
	model.registered = registered;
	if (registered && hw != &model.hw) {
		model.hw = *hw;
		model.is_lso = is_lso;
		cur_has_cb = has_cb;
		cur_mode = mode;
	}
	model.wanted = wanted;
	model.enc = enc_next;
	model.active = model_compute(registered, &model.hw, wanted);
}

/* The library's state against the model. */
static void
state_check(void)
{
	struct gso_offload_caps hw;
	uint32_t kw;

	FUZZ_CHECK(gso_offload_wanted_get(port, &kw) == 0 &&
		kw == model.wanted, "wanted %#x, model %#x", kw, model.wanted);
	FUZZ_CHECK(gso_offload_active_keywords_get(port, &kw) == 0 &&
		kw == model.active.keywords, "active %#x, model %#x", kw,
		model.active.keywords);
	FUZZ_CHECK(gso_offload_hw_caps_get(port, &hw) == 0, "hw_caps_get");
	if (model.registered)
		FUZZ_CHECK(hw.l3_flags == model.hw.l3_flags &&
			hw.l4_flags == model.hw.l4_flags &&
			hw.max_offload_size == model.hw.max_offload_size &&
			hw.min_segment_count == model.hw.min_segment_count &&
			hw.l4_header_offset_limit ==
				model.hw.l4_header_offset_limit,
			"hw caps %#x/%#x, model %#x/%#x", hw.l3_flags,
			hw.l4_flags, model.hw.l3_flags, model.hw.l4_flags);
	else
		FUZZ_CHECK(hw.l3_flags == 0 && hw.l4_flags == 0,
			"hw caps without a registration");
	{
		struct gso_offload_encap_caps e, none;
		uint16_t vport;

		gso_offload_encap_caps_init(&none);
		FUZZ_CHECK(gso_offload_hw_encap_caps_get(port, &e) == 0 &&
			memcmp(&e, model.enc.registered ? &model.enc.caps : &none,
				sizeof(e)) == 0, "hw encap caps");
		FUZZ_CHECK(gso_offload_encap_wanted_get(port, &kw, &vport) == 0 &&
			kw == model.enc.wanted && vport == model.enc.vxlan,
			"encap wanted %#x %u, model %#x %u", kw, vport,
			model.enc.wanted, model.enc.vxlan);
		FUZZ_CHECK(gso_offload_active_encaps_get(port, &kw) == 0 &&
			kw == model.active.encaps, "active encaps %#x, model %#x",
			kw, model.active.encaps);
	}
}

static int
query_fn(uint16_t port_id, const struct gso_offload_active *a, void *arg)
{
	RTE_SET_USED(arg);
	FUZZ_CHECK(port_id == port, "query port");
	active_check(a, &model.active);
	return 7;
}

/* ---- Operations ---- */

static void
op_set_caps(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in);
	uintptr_t mode = (b >> 4) % CB_MODES;
	bool has_cb = b & 0x80;
	struct gso_offload_caps c;
	int want, ret;

	gso_offload_caps_init(&c, fuzz_u8(in), fuzz_u8(in),
		(b & 1) ? fuzz_u32(in) : fuzz_u16(in), fuzz_u8(in),
		has_cb ? gso_cb : NULL, (void *)mode);
	c.l4_header_offset_limit = fuzz_u16(in);
	if (b & 2)
		c.size = fuzz_u32(in);
	/* The validation verdict, and why when invalid. */
	{
		const char *why = (const char *)1;
		int v = gso_offload_caps_validate(&c, &why);

		FUZZ_CHECK(v == (model_valid(&c) ? 0 : -EINVAL),
			"validate %d, model %s", v, model_valid(&c) ?
			"valid" : "invalid");
		FUZZ_CHECK((v == 0) == (why == NULL) && (why == NULL ||
			strlen(why) > 0), "why");
	}
	if (!model_valid(&c)) {
		FUZZ_CHECK(gso_offload_set_caps(port, &c) == -EINVAL, "invalid");
		return;
	}
	want = expect_change(true, &c, model.wanted, has_cb, mode);
	ret = gso_offload_set_caps(port, &c);
	FUZZ_CHECK(ret == want, "set_caps %d, expected %d", ret, want);
	commit(want, true, &c, false, model.wanted, has_cb, mode);
}

static void
op_set_lso(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in);
	uintptr_t mode = (b >> 4) % CB_MODES;
	bool has_cb = b & 0x80;
	struct gso_offload_lso_caps l;
	struct gso_offload_caps c;
	int want, ret;

	gso_offload_lso_caps_init(&l, b & 1, b & 2, fuzz_u16(in), fuzz_u8(in),
		has_cb ? lso_cb : NULL, (void *)mode);
	if (b & 4)
		l.size = fuzz_u8(in);
	/* NDIS LSOv2: each family with and without options, TCP both ways. */
	gso_offload_caps_init(&c,
		((b & 1) ? GSO_OFFLOAD_L3_IPV4_NO_OPTIONS |
			GSO_OFFLOAD_L3_IPV4_WITH_OPTIONS : 0) |
		((b & 2) ? GSO_OFFLOAD_L3_IPV6_NO_EXTENSIONS |
			GSO_OFFLOAD_L3_IPV6_WITH_EXTENSIONS : 0),
		(b & 3) ? GSO_OFFLOAD_L4_TCP_NO_OPTIONS |
			GSO_OFFLOAD_L4_TCP_WITH_OPTIONS : 0,
		l.max_offload_size, l.min_segment_count, NULL, NULL);
	{
		struct gso_offload_caps mapped;

		gso_offload_lso_to_gso(&l, &mapped);
		FUZZ_CHECK(mapped.l3_flags == c.l3_flags &&
			mapped.l4_flags == c.l4_flags &&
			mapped.max_offload_size == c.max_offload_size &&
			mapped.min_segment_count == c.min_segment_count,
			"lso_to_gso");
	}
	if (l.size != sizeof(l) || !model_valid(&c)) {
		FUZZ_CHECK(gso_offload_set_lso_caps(port, &l) == -EINVAL,
			"invalid LSO caps");
		return;
	}
	want = expect_change(true, &c, model.wanted, has_cb, mode);
	ret = gso_offload_set_lso_caps(port, &l);
	FUZZ_CHECK(ret == want, "set_lso_caps %d, expected %d", ret, want);
	commit(want, true, &c, true, model.wanted, has_cb, mode);
}

static void
op_wanted(uint32_t on, uint32_t off)
{
	uint32_t wanted = (model.wanted | on) & ~off;
	int want, ret;

	if ((on | off) & ~GSO_OFFLOAD_KW_ALL || (on & off)) {
		FUZZ_CHECK(gso_offload_wanted_update(port, on, off) == -EINVAL,
			"bad masks %#x %#x", on, off);
		return;
	}
	want = expect_change(model.registered, &model.hw, wanted, cur_has_cb,
		cur_mode);
	ret = gso_offload_wanted_update(port, on, off);
	FUZZ_CHECK(ret == want, "wanted_update %d, expected %d", ret, want);
	commit(want, model.registered, &model.hw, model.is_lso, wanted,
		cur_has_cb, cur_mode);
}

/* A settings string from the input: parsed by both parsers, checked,
 * applied. */
static void
op_parse(struct fuzz_in *in)
{
	char str[96], err[64];
	size_t n = fuzz_u8(in) % sizeof(str);
	size_t err_len = fuzz_u8(in) % (sizeof(err) + 1);
	uint32_t on = 0xdead, off = 0xbeef, wanted;
	struct gso_offload_settings st;
	int ret, sret, want;

	n = RTE_MIN(n, in->n);
	memcpy(str, in->p, n);
	str[n] = '\0';
	in->p += n;
	in->n -= n;
	memset(err, 'x', sizeof(err));
	ret = gso_offload_wanted_parse(str, &on, &off, err, err_len);
	FUZZ_CHECK(ret == 0 || ret == -EINVAL, "parse %d", ret);
	if (ret == 0) {
		FUZZ_CHECK(!(on & off) && !((on | off) & ~GSO_OFFLOAD_KW_ALL),
			"parse: on %#x off %#x", on, off);
	} else if (err_len > 0) {
		FUZZ_CHECK(memchr(err, '\0', err_len) != NULL,
			"error message not terminated within %zu", err_len);
	}
	for (size_t i = err_len; i < sizeof(err); i++)
		FUZZ_CHECK(err[i] == 'x', "error message beyond %zu bytes",
			err_len);
	/* The settings parser takes everything the GSO one takes, the
	 * same way, and the encapsulation settings besides. */
	sret = gso_offload_settings_parse(str, &st, NULL, 0);
	FUZZ_CHECK(sret == 0 || sret == -EINVAL, "settings_parse %d", sret);
	if (ret == 0)
		FUZZ_CHECK(sret == 0 && st.on == on && st.off == off &&
			st.encap_on == 0 && st.encap_off == 0 &&
			st.vxlan_udp_port == 0, "settings_parse of GSO keywords");
	if (sret == 0)
		FUZZ_CHECK(!(st.encap_on & st.encap_off) &&
			!((st.encap_on | st.encap_off) & ~GSO_OFFLOAD_KW_ENCAP_ALL) &&
			(st.vxlan_udp_port <= UINT16_MAX ||
			 st.vxlan_udp_port == GSO_OFFLOAD_VXLAN_PORT_HW),
			"settings: encap %#x/%#x port %u", st.encap_on,
			st.encap_off, st.vxlan_udp_port);
	if (sret != 0) {
		FUZZ_CHECK(gso_offload_wanted_set_str(port, str) == -EINVAL,
			"set_str of a bad string");
		return;
	}
	wanted = (model.wanted | st.on) & ~st.off;
	enc_next.wanted = (enc_next.wanted | st.encap_on) & ~st.encap_off;
	if (st.vxlan_udp_port == GSO_OFFLOAD_VXLAN_PORT_HW)
		enc_next.vxlan = 0;
	else if (st.vxlan_udp_port != 0)
		enc_next.vxlan = (uint16_t)st.vxlan_udp_port;
	want = expect_change(model.registered, &model.hw, wanted, cur_has_cb,
		cur_mode);
	ret = gso_offload_wanted_set_str(port, str);
	FUZZ_CHECK(ret == want, "set_str %d, expected %d", ret, want);
	commit(want, model.registered, &model.hw, model.is_lso, wanted,
		cur_has_cb, cur_mode);
}

/* Encapsulated capabilities from the input: validated against the model,
 * registered; the callback (the GSO registration's) once per change. */
static void
op_set_encap(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in);
	struct gso_offload_encap_caps c;
	bool any = false;
	int want, ret;

	gso_offload_encap_caps_init(&c);
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++) {
		uint8_t r = fuzz_u8(in);

		if (!(r & 1))
			continue;
		/* Mostly sound rows, some with stray bits. */
		c.encap[e].l3_flags = (r & 2) ? fuzz_u8(in) : fuzz_u8(in) & 0xd;
		c.encap[e].l4_flags = (r & 2) ? fuzz_u8(in) : fuzz_u8(in) & 0x5;
		c.encap[e].flags = (r & 4) ? fuzz_u8(in) : fuzz_u8(in) & 3;
		c.encap[e].max_header_size = (r & 8) ? fuzz_u16(in) : 0;
	}
	if (b & 1)
		c.vxlan_udp_port = fuzz_u16(in);
	if (b & 2)
		c.size = fuzz_u32(in);
	{
		const char *why = (const char *)1;
		int v = gso_offload_encap_caps_validate(&c, &why);

		FUZZ_CHECK(v == (model_encap_valid(&c) ? 0 : -EINVAL),
			"encap validate %d, model %s", v,
			model_encap_valid(&c) ? "valid" : "invalid");
		FUZZ_CHECK((v == 0) == (why == NULL) && (why == NULL ||
			strlen(why) > 0), "encap why");
	}
	if (!model_encap_valid(&c)) {
		FUZZ_CHECK(gso_offload_set_encap_caps(port, &c) == -EINVAL,
			"invalid encap caps");
		return;
	}
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++)
		any |= c.encap[e].l4_flags != 0;
	enc_next.registered = any;
	enc_next.caps = c;
	want = expect_change(model.registered, &model.hw, model.wanted,
		cur_has_cb, cur_mode);
	ret = gso_offload_set_encap_caps(port, &c);
	FUZZ_CHECK(ret == want, "set_encap_caps %d, expected %d", ret, want);
	commit(want, model.registered, &model.hw, model.is_lso, model.wanted,
		cur_has_cb, cur_mode);
}

/* Masks written as a string (names, case, '*', spaces and values from the
 * input) parse back to the same masks. */
static void
op_roundtrip(struct fuzz_in *in)
{
	static const char *const names[4][2] = {
		{ "lso4", "LsoV2IPv4" }, { "lso6", "LsoV2IPv6" },
		{ "uso4", "UsoIPv4" }, { "uso6", "UsoIPv6" },
	};
	static const char *const vals[2][2] = { { "off", "0" }, { "on", "1" } };
	uint8_t set = fuzz_u8(in), val = fuzz_u8(in);
	char str[160];
	size_t len = 0;
	uint32_t on, off, won = 0, woff = 0;

	str[0] = '\0';
	for (unsigned int k = 0; k < 4; k++) {
		uint8_t style = fuzz_u8(in);
		char name[16];

		if (!(set & (1u << k)))
			continue;
		snprintf(name, sizeof(name), "%s%s", (style & 1) ? "*" : "",
			names[k][(style >> 1) & 1]);
		for (char *c = name; *c != '\0'; c++)
			if (style & 4)
				*c = (char)toupper((unsigned char)*c);
		len += (size_t)snprintf(str + len, sizeof(str) - len,
			"%s%s%s=%s%s", len ? "," : "", (style & 8) ? " \t" : "",
			name, vals[(val >> k) & 1][(style >> 4) & 1],
			(style & 32) ? " " : "");
		if ((val >> k) & 1)
			won |= 1u << k;
		else
			woff |= 1u << k;
	}
	FUZZ_CHECK(gso_offload_wanted_parse(str, &on, &off, NULL, 0) == 0 &&
		on == won && off == woff, "\"%s\": %#x/%#x, want %#x/%#x", str,
		on, off, won, woff);
}

static void
op_queries(struct fuzz_in *in)
{
	char buf[80];
	uint32_t v = fuzz_u32(in);
	size_t len = fuzz_u8(in) % (sizeof(buf) + 1);
	const char *name = gso_offload_keyword_name(v);

	FUZZ_CHECK(name != NULL && (rte_is_power_of_2(v) && v <= 8 ?
		strcmp(name, "?") != 0 : strcmp(name, "?") == 0),
		"keyword_name(%#x) %s", v, name);
	FUZZ_CHECK(gso_offload_active_query(port, query_fn, NULL) == 7,
		"active_query");
	FUZZ_CHECK(gso_offload_active_query(port, NULL, NULL) == -EINVAL,
		"active_query NULL");
	FUZZ_CHECK(gso_offload_active_query(RTE_MAX_ETHPORTS, query_fn,
		NULL) == -ENODEV, "bad port");
	/* Formatting: terminated within len, nothing written beyond. */
	for (int f = 0; f < 3; f++) {
		memset(buf, 'x', sizeof(buf));
		if (f == 0)
			gso_offload_keywords_str(v, buf, len);
		else if (f == 1)
			gso_offload_l3_flags_str(v, buf, len);
		else
			gso_offload_l4_flags_str(v, buf, len);
		if (len > 0)
			FUZZ_CHECK(memchr(buf, '\0', len) != NULL,
				"format %d not terminated in %zu", f, len);
		for (size_t i = len; i < sizeof(buf); i++)
			FUZZ_CHECK(buf[i] == 'x', "format %d wrote past %zu", f,
				len);
	}
	/* Keyword strings parse back. */
	if (len == sizeof(buf)) {
		uint32_t on, off;
		char item[sizeof(buf) * 2] = "", *p = item;

		gso_offload_keywords_str(v & GSO_OFFLOAD_KW_ALL, buf, len);
		if (strcmp(buf, "none") != 0)
			for (char *t = strtok(buf, ","); t != NULL;
					t = strtok(NULL, ","))
				p += sprintf(p, "%s%s=on", p == item ? "" : ",", t);
		FUZZ_CHECK(gso_offload_wanted_parse(item, &on, &off, NULL, 0) ==
			0 && on == (v & GSO_OFFLOAD_KW_ALL) && off == 0,
			"keywords_str round trip: %s", item);
	}
	FUZZ_CHECK(gso_offload_set_caps(RTE_MAX_ETHPORTS, &model.hw) ==
		-ENODEV, "set_caps bad port");
	FUZZ_CHECK(gso_offload_wanted_update(RTE_MAX_ETHPORTS, 0, 0) ==
		-ENODEV, "wanted bad port");
	FUZZ_CHECK(gso_offload_hw_caps_get(port, NULL) == -EINVAL &&
		gso_offload_wanted_get(port, NULL) == -EINVAL &&
		gso_offload_active_keywords_get(port, NULL) == -EINVAL,
		"NULL results");
}

static void
op_release(void)
{
	/* The record is dropped, the driver not told: registration and
	 * wanted settings start over. */
	FUZZ_CHECK(gso_offload_port_release(port) == 0, "release");
	memset(&model, 0, sizeof(model));
	model.wanted = GSO_OFFLOAD_KW_ALL;
	model.enc.wanted = GSO_OFFLOAD_KW_ENCAP_ALL;
	gso_offload_encap_caps_init(&model.enc.caps);
	enc_next = model.enc;
	cur_has_cb = false;
}

/* ---- Capabilities that change at run time (the second port) ---- */

/* What the provider describes next, as the input last set it. */
static struct {
	struct gso_offload_caps caps;
	struct gso_offload_encap_caps encap;
	int error;                 /* describe() fails with it */
} rt_hw;

/* The model of the run-time port. */
static struct {
	bool registered;           /* the hardware has GSO */
	struct gso_offload_caps hw;
	struct gso_offload_encap_caps encap;
	uint32_t wanted;
	bool marked;               /* gso_offload_port_caps_changed() pending */
	struct model_active active;
} rt;

/* What the provider's callback does, and what it must be handed. */
static struct {
	bool unchecked;            /* the reset before an input */
	bool expected;
	unsigned int calls;
	uintptr_t mode;
	struct model_active next;
} rt_cb;

static int
rt_describe(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_caps *caps, struct gso_offload_port_limits *lim)
{
	RTE_SET_USED(info);
	RTE_SET_USED(lim);
	FUZZ_CHECK(port_id == rt_port, "describe port %u", port_id);
	if (rt_hw.error != 0)
		return rt_hw.error;
	*caps = rt_hw.caps;
	return 0;
}

static int
rt_describe_encap(uint16_t port_id, const struct rte_eth_dev_info *info,
		struct gso_offload_encap_caps *encap,
		struct gso_offload_port_limits *lim)
{
	RTE_SET_USED(info);
	RTE_SET_USED(lim);
	FUZZ_CHECK(port_id == rt_port, "describe_encap port %u", port_id);
	*encap = rt_hw.encap;
	return 0;
}

/* Every update from the provider's callback is refused; queries still say
 * the old state. A mark made here stays for the next pending call. */
static void
rt_reenter(void)
{
	uint32_t kw;

	FUZZ_CHECK(gso_offload_port_caps_refresh(rt_port) == -EDEADLK,
		"refresh from a callback");
	FUZZ_CHECK(gso_offload_port_caps_refresh(port) == -EDEADLK,
		"refresh of another port from a callback");
	FUZZ_CHECK(gso_offload_wanted_update(rt_port, 0, GSO_OFFLOAD_KW_ALL) ==
		-EDEADLK, "wanted_update from a callback");
	FUZZ_CHECK(gso_offload_port_caps_changed(rt_port) == 0, "mark");
	rt.marked = true;
	FUZZ_CHECK(gso_offload_port_caps_refresh_pending() == -EDEADLK,
		"refresh_pending from a callback");
	FUZZ_CHECK(gso_offload_active_keywords_get(rt_port, &kw) == 0 &&
		kw == rt.active.keywords,
		"query from a callback %#x, model %#x", kw,
		rt.active.keywords);
}

static int
rt_set_gso(uint16_t port_id, const struct gso_offload_active *a, void *arg)
{
	FUZZ_CHECK(arg == NULL, "provider callback's arg");
	FUZZ_CHECK(port_id == rt_port, "provider callback for port %u",
		port_id);
	if (rt_cb.unchecked)
		return 0;
	FUZZ_CHECK(rt_cb.expected,
		"provider callback without a change of the active set");
	FUZZ_CHECK(++rt_cb.calls == 1, "provider callback %u times",
		rt_cb.calls);
	active_check(a, &rt_cb.next);
	switch (rt_cb.mode) {
	case CB_FAIL:
		return -EIO;
	case CB_FAIL_POSITIVE:
		return 5;
	case CB_REENTER:
		rt_reenter();
		return 0;
	default:
		return 0;
	}
}

/* hardware ∩ wanted for the run-time port: model_compute() with the
 * port's encapsulated part (every encapsulation keyword wanted, the
 * hardware's VXLAN port). */
static struct model_active
rt_compute(bool registered, const struct gso_offload_caps *hw,
		const struct gso_offload_encap_caps *encap, uint32_t wanted)
{
	struct enc_state saved = enc_next;
	struct model_active a;

	enc_next.registered = false;
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++)
		enc_next.registered |= encap->encap[e].l4_flags != 0;
	enc_next.caps = *encap;
	enc_next.wanted = GSO_OFFLOAD_KW_ENCAP_ALL;
	enc_next.vxlan = 0;
	a = model_compute(registered, hw, wanted);
	enc_next = saved;
	return a;
}

/* Expect a change to (registered, hw, encap, wanted): the return value of
 * a successful call is 1 when the set changed (refresh) or 0. */
static int
rt_expect(bool registered, const struct gso_offload_caps *hw,
		const struct gso_offload_encap_caps *encap, uint32_t wanted,
		bool is_refresh)
{
	rt_cb.next = rt_compute(registered, hw, encap, wanted);
	rt_cb.calls = 0;
	rt_cb.expected = !model_equal(&rt_cb.next, &rt.active);
	if (rt_cb.expected && (rt_cb.mode == CB_FAIL ||
			rt_cb.mode == CB_FAIL_POSITIVE))
		return -EIO;
	return is_refresh && rt_cb.expected ? 1 : 0;
}

static void
rt_commit(int want, bool registered, const struct gso_offload_caps *hw,
		const struct gso_offload_encap_caps *encap, uint32_t wanted)
{
	FUZZ_CHECK(rt_cb.calls == (rt_cb.expected ? 1u : 0u),
		"provider callback ran %u times, expected %u", rt_cb.calls,
		rt_cb.expected ? 1u : 0u);
	rt_cb.expected = false;
	if (want < 0)
		return;
	rt.registered = registered;
	if (registered)
		rt.hw = *hw;
	rt.encap = *encap;
	rt.wanted = wanted;
	rt.active = rt_cb.next;
}

/* What a refresh of the hardware rt_hw describes must return (the
 * callback expected accordingly) ... */
static int
rt_refresh_expect(void)
{
	bool has_gso = rt_hw.caps.l3_flags != 0 || rt_hw.caps.l4_flags != 0;

	rt_cb.calls = 0;
	rt_cb.expected = false;
	if (rt_hw.error != 0)
		return rt_hw.error;
	if ((has_gso && !model_valid(&rt_hw.caps)) ||
			!model_encap_valid(&rt_hw.encap))
		return -EINVAL;
	return rt_expect(has_gso, &rt_hw.caps, &rt_hw.encap, rt.wanted, true);
}

/* ... and what it returned against that; the model updated if it
 * succeeded. */
static void
rt_refresh_commit(int ret, int want)
{
	bool has_gso = rt_hw.caps.l3_flags != 0 || rt_hw.caps.l4_flags != 0;

	FUZZ_CHECK(ret == want, "refresh %d, expected %d", ret, want);
	rt_commit(want, has_gso, &rt_hw.caps, &rt_hw.encap, rt.wanted);
}

static void
rt_state_check(void)
{
	struct gso_offload_encap_caps e, none;
	struct gso_offload_caps hw;
	uint32_t kw;

	FUZZ_CHECK(gso_offload_wanted_get(rt_port, &kw) == 0 &&
		kw == rt.wanted, "run-time port: wanted %#x, model %#x", kw,
		rt.wanted);
	FUZZ_CHECK(gso_offload_active_keywords_get(rt_port, &kw) == 0 &&
		kw == rt.active.keywords,
		"run-time port: active %#x, model %#x", kw, rt.active.keywords);
	FUZZ_CHECK(gso_offload_active_encaps_get(rt_port, &kw) == 0 &&
		kw == rt.active.encaps,
		"run-time port: active encaps %#x, model %#x", kw,
		rt.active.encaps);
	FUZZ_CHECK(gso_offload_hw_caps_get(rt_port, &hw) == 0, "hw_caps_get");
	if (rt.registered)
		FUZZ_CHECK(hw.l3_flags == rt.hw.l3_flags &&
			hw.l4_flags == rt.hw.l4_flags &&
			hw.max_offload_size == rt.hw.max_offload_size &&
			hw.min_segment_count == rt.hw.min_segment_count &&
			hw.l4_header_offset_limit ==
				rt.hw.l4_header_offset_limit,
			"run-time port: hw caps %#x/%#x, model %#x/%#x",
			hw.l3_flags, hw.l4_flags, rt.hw.l3_flags,
			rt.hw.l4_flags);
	else
		FUZZ_CHECK(hw.l3_flags == 0 && hw.l4_flags == 0,
			"run-time port: hw caps without GSO hardware");
	gso_offload_encap_caps_init(&none);
	{
		bool any = false;

		for (unsigned int x = 0; x < GSO_OFFLOAD_ENCAP_NB; x++)
			any |= rt.encap.encap[x].l4_flags != 0;
		FUZZ_CHECK(gso_offload_hw_encap_caps_get(rt_port, &e) == 0 &&
			memcmp(&e, any ? &rt.encap : &none, sizeof(e)) == 0,
			"run-time port: hw encap caps");
	}
	FUZZ_CHECK(gso_offload_port_is_started(rt_port),
		"run-time port stopped");
}

/* New hardware for the run-time port from the input. */
static void
rt_hw_decode(struct fuzz_in *in, uint8_t b)
{
	bool raw = b & 0x80;
	uint8_t l3 = fuzz_u8(in), l4 = fuzz_u8(in);

	/* Mostly sound flags (none at all: no GSO); some with stray bits. */
	gso_offload_caps_init(&rt_hw.caps, raw ? l3 : l3 & 0xf,
		raw ? l4 : l4 & 0x7, fuzz_u16(in), fuzz_u8(in), NULL, NULL);
	rt_hw.caps.l4_header_offset_limit = fuzz_u16(in);
	gso_offload_encap_caps_init(&rt_hw.encap);
	if (!(b & 0x40))
		return;
	for (unsigned int e = 0; e < GSO_OFFLOAD_ENCAP_NB; e++) {
		uint8_t r = fuzz_u8(in);

		if (!(r & 1))
			continue;
		rt_hw.encap.encap[e].l3_flags = (r & 2) ? fuzz_u8(in) :
			fuzz_u8(in) & 0xd;
		rt_hw.encap.encap[e].l4_flags = (r & 2) ? fuzz_u8(in) :
			fuzz_u8(in) & 0x5;
		rt_hw.encap.encap[e].flags = (r & 4) ? fuzz_u8(in) :
			fuzz_u8(in) & 3;
		rt_hw.encap.encap[e].max_header_size = (r & 8) ?
			fuzz_u16(in) : 0;
	}
	rt_hw.encap.vxlan_udp_port = fuzz_u16(in);
}

/*
 * The run-time port, operand byte b:
 *   bits 0-1  0: new hardware, then refresh; 1: new hardware, mark (twice
 *             with bit 5), then the pending call; 2: wanted keywords (u8:
 *             on in the low nibble, off in the high one); 3: the pending
 *             call alone
 *   bits 2-3  the callback's mode (enum cb_mode)
 *   bit 4     the provider fails (-EIO) (new hardware; until the next)
 *   bit 6     encapsulated capabilities follow (new hardware)
 *   bit 7     L3/L4 flags as given, stray bits included (new hardware)
 */
static void
op_runtime(struct fuzz_in *in)
{
	uint8_t b = fuzz_u8(in);
	unsigned int kind = b & 3;
	int ret, want;

	rt_cb.mode = (b >> 2) & 3;
	FUZZ_CHECK(gso_offload_port_caps_refresh(port) == -ENOTSUP,
		"refresh of a port the library did not configure");
	if (kind == 0 || kind == 1) {
		rt_hw_decode(in, b);
		rt_hw.error = (b & 0x10) ? -EIO : 0;
	}
	switch (kind) {
	case 0:
		want = rt_refresh_expect();
		ret = gso_offload_port_caps_refresh(rt_port);
		rt_refresh_commit(ret, want);
		break;
	case 1:
		FUZZ_CHECK(gso_offload_port_caps_changed(rt_port) == 0, "mark");
		if (b & 0x20)
			FUZZ_CHECK(gso_offload_port_caps_changed(rt_port) == 0,
				"mark again");
		rt.marked = true;
		/* fall through */
	case 3:
		if (!rt.marked) {
			rt_cb.calls = 0;
			rt_cb.expected = false;
			ret = gso_offload_port_caps_refresh_pending();
			FUZZ_CHECK(ret == 0, "pending without a mark: %d", ret);
			rt_commit(-1, false, NULL, NULL, 0);
			break;
		}
		/* The mark is taken before the callback runs (which may
		 * mark again); it stays when the refresh failed. */
		rt.marked = false;
		want = rt_refresh_expect();
		ret = gso_offload_port_caps_refresh_pending();
		rt_refresh_commit(ret, want);
		if (want < 0)
			rt.marked = true;
		break;
	default: {
		uint8_t m = fuzz_u8(in);
		uint32_t on = m & 0xf, off = (m >> 4) & ~m & 0xf;
		uint32_t wanted = (rt.wanted | on) & ~off;

		want = rt_expect(rt.registered, &rt.hw, &rt.encap, wanted,
			false);
		ret = gso_offload_wanted_update(rt_port, on, off);
		FUZZ_CHECK(ret == want,
			"run-time port: wanted_update %d, expected %d", ret,
			want);
		rt_commit(want, rt.registered, &rt.hw, &rt.encap, wanted);
		break;
	}
	}
}

/* Hardware without GSO and without encapsulated offload. */
static void
rt_hw_none(void)
{
	memset(&rt_hw, 0, sizeof(rt_hw));
	gso_offload_caps_init(&rt_hw.caps, 0, 0, 0, 0, NULL, NULL);
	gso_offload_encap_caps_init(&rt_hw.encap);
}

/* No hardware, every keyword wanted, no mark: inputs are independent. */
static void
rt_reset(void)
{
	rt_cb.unchecked = true;
	rt_hw_none();
	FUZZ_CHECK(gso_offload_wanted_update(rt_port, GSO_OFFLOAD_KW_ALL, 0) ==
		0, "reset wanted");
	FUZZ_CHECK(gso_offload_port_caps_refresh(rt_port) >= 0, "reset");
	FUZZ_CHECK(gso_offload_port_caps_refresh_pending() >= 0,
		"reset marks");
	rt_cb.unchecked = false;
	memset(&rt, 0, sizeof(rt));
	rt.hw = rt_hw.caps;
	rt.encap = rt_hw.encap;
	rt.wanted = GSO_OFFLOAD_KW_ALL;
	rt.active = rt_compute(false, &rt.hw, &rt.encap, rt.wanted);
	rt_state_check();
}

static void
run_op(uint8_t op, struct fuzz_in *in)
{
	uint8_t b;

	enc_next = model.enc;
	switch (op % 8) {
	case 0:
		op_set_caps(in);
		break;
	case 1:
		op_set_lso(in);
		break;
	case 2:
		b = fuzz_u8(in);
		/* Mostly well-formed masks; some with stray bits. */
		op_wanted((op & 0x80) ? fuzz_u32(in) : b & 0xf,
			(op & 0x80) ? fuzz_u32(in) : (b >> 4) & ~b & 0xf);
		break;
	case 3:
		op_parse(in);
		break;
	case 4:
		op_roundtrip(in);
		break;
	case 5:
		op_queries(in);
		break;
	case 6:
		op_set_encap(in);
		break;
	default:
		/* Bit 7 (unused by release): the run-time port. */
		if (op & 0x80)
			op_runtime(in);
		else
			op_release();
		break;
	}
	state_check();
	rt_state_check();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_in in = { data, size };

	op_release();
	rt_reset();
	while (in.n > 0)
		run_op(fuzz_u8(&in), &in);
	return 0;
}
