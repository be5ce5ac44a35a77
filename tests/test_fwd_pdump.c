/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The gso_offload authors
 */

/*
 * gso-fwd's callback removal (app/gso-fwd/fwd_pdump.c): once
 * rte_eth_remove_rx_callback() or rte_eth_remove_tx_callback() returns, no
 * forwarding lcore may still run the callback, because rte_pdump lets
 * dpdk-dumpcap free what its callbacks write into as soon as removal
 * returns. ethdev's own removal does not wait.
 *
 * A worker lcore forwards net_null's RX to its TX through the pipeline,
 * as gso-fwd's workers do. A callback that takes far longer than the rest
 * of the loop counts its entries and exits. Each round adds the callback,
 * waits until the worker has entered it, removes it, and then requires
 * entries == exits: no run in flight. With ethdev's removal alone, a run
 * is in flight in most rounds, so the case fails.
 *
 * Those rounds call the removal functions directly. That rte_pdump reaches
 * them too rests on the dynamic linker, which is gso-fwd's one reliance on
 * how DPDK is built and linked (docs/abi.md): the interposition cases
 * check that this executable's definitions are the global ones, that
 * dlsym(RTLD_NEXT) finds ethdev's, and that librte_pdump's own relocations
 * for the two functions are bound to this executable's. They fail, naming
 * the reason, on a DPDK whose rte_pdump stops calling the public functions
 * through its GOT (an internal call, -Bsymbolic, a static link) or whose
 * symbol versioning no longer lets an unversioned definition win.
 */

#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <link.h>
#include <stdbool.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_pdump.h>
#include <rte_version.h>

#include "fwd.h"
#include "gso_offload.h"
#include "test.h"
#include "test_env.h"
#include "test_poison.h"

#define ROUNDS 40
#define CB_SPIN 20000   /* loop turns per callback run: most of a round */

static struct rte_mempool *rx_pool, *seg_pool, *copy_pool;
static uint16_t port = TEST_NO_PORT;

/* The worker: net_null RX to TX through the pipeline, until stop. */
struct worker {
	struct gso_offload_tx *tx;
	volatile bool stop;
	uint64_t loops;         /* loop turns done (atomic) */
};

/* The slow callback's counts. */
struct slow_cb {
	uint64_t entered, exited;       /* atomic */
};

static int
worker_main(void *arg)
{
	struct worker *w = arg;
	struct rte_mbuf *pkts[32];

	gso_offload_tx_online(w->tx);
	while (!w->stop) {
		uint16_t n = rte_eth_rx_burst(port, 0, pkts, RTE_DIM(pkts));
		uint16_t sent = n == 0 ? 0 :
			gso_offload_tx_burst(w->tx, port, 0, pkts, n);

		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
		if (n == 0)
			gso_offload_tx_quiescent(w->tx);
		__atomic_fetch_add(&w->loops, 1, __ATOMIC_RELEASE);
	}
	gso_offload_tx_offline(w->tx);
	return 0;
}

/* Work, not waiting: it widens the window a removal must close. */
static void
slow_cb_run(struct slow_cb *s)
{
	volatile uint32_t spin = 0;

	__atomic_fetch_add(&s->entered, 1, __ATOMIC_ACQ_REL);
	while (spin < CB_SPIN)
		spin = spin + 1;
	__atomic_fetch_add(&s->exited, 1, __ATOMIC_ACQ_REL);
}

static uint16_t
slow_rx_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts, uint16_t max_pkts, void *arg)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(queue);
	RTE_SET_USED(pkts);
	RTE_SET_USED(max_pkts);
	slow_cb_run(arg);
	return nb_pkts;
}

static uint16_t
slow_tx_cb(uint16_t port_id, uint16_t queue, struct rte_mbuf **pkts,
		uint16_t nb_pkts, void *arg)
{
	RTE_SET_USED(port_id);
	RTE_SET_USED(queue);
	RTE_SET_USED(pkts);
	slow_cb_run(arg);
	return nb_pkts;
}

/* Add, wait for a run to start, remove, and find none still running. */
static int
removal_rounds(bool tx)
{
	struct gso_offload_tx_conf tc = { .seg_pool = seg_pool,
		.copy_pool = copy_pool, .socket_id = SOCKET_ID_ANY };
	unsigned int lcore = rte_get_next_lcore(-1, 1, 0);
	struct worker w = { .tx = NULL };
	struct slow_cb s = { 0 };
	int rc = TEST_FAIL;

	TEST_SKIP_IF(lcore >= RTE_MAX_LCORE, "needs a worker lcore");
	w.tx = gso_offload_tx_create(&tc);
	TEST_ASSERT(w.tx != NULL, "pipeline");
	rte_eal_remote_launch(worker_main, &w, lcore);
	/* The worker is online once it has turned once. */
	while (__atomic_load_n(&w.loops, __ATOMIC_ACQUIRE) == 0)
		rte_pause();

	for (int r = 0; r < ROUNDS; r++) {
		uint64_t before = __atomic_load_n(&s.entered, __ATOMIC_ACQUIRE);
		const struct rte_eth_rxtx_callback *cb = tx ?
			rte_eth_add_tx_callback(port, 0, slow_tx_cb, &s) :
			rte_eth_add_rx_callback(port, 0, slow_rx_cb, &s);
		uint64_t in, out;
		int ret;

		TEST_CHECK(cb != NULL, "round %d: callback not added", r);
		while (__atomic_load_n(&s.entered, __ATOMIC_ACQUIRE) == before)
			rte_pause();
		ret = tx ? rte_eth_remove_tx_callback(port, 0, cb) :
			rte_eth_remove_rx_callback(port, 0, cb);
		TEST_CHECK(ret == 0, "round %d: removal: %d", r, ret);
		out = __atomic_load_n(&s.exited, __ATOMIC_ACQUIRE);
		in = __atomic_load_n(&s.entered, __ATOMIC_ACQUIRE);
		TEST_CHECK(in == out, "round %d: %" PRIu64 " runs entered, %"
			PRIu64 " done when removal returned", r, in, out);
	}
	rc = TEST_OK;
out:
	w.stop = true;
	rte_eal_mp_wait_lcore();
	gso_offload_tx_free(w.tx);
	return rc;
}

static int
rx_callback_removal_waits(void)
{
	return removal_rounds(false);
}

static int
tx_callback_removal_waits(void)
{
	return removal_rounds(true);
}

/* No port, no wait: ethdev's answer comes back unchanged. */
static int
removal_errors_pass_through(void)
{
	static const struct rte_eth_rxtx_callback *none;

	TEST_ASSERT_EQ(rte_eth_remove_tx_callback(RTE_MAX_ETHPORTS, 0, none),
		-ENODEV, "TX, no such port");
	TEST_ASSERT_EQ(rte_eth_remove_rx_callback(RTE_MAX_ETHPORTS, 0, none),
		-ENODEV, "RX, no such port");
	TEST_ASSERT_EQ(rte_eth_remove_tx_callback(port, 0, none), -EINVAL,
		"TX, no callback");
	return TEST_OK;
}

/* ---- The interposition itself ---- */

static const char *const removal_names[] = {
	"rte_eth_remove_rx_callback",
	"rte_eth_remove_tx_callback",
};

/* This executable's definitions, as fwd_pdump.c provides them. */
static void *
interposer(unsigned int i)
{
	return i == 0 ? (void *)(uintptr_t)rte_eth_remove_rx_callback :
		(void *)(uintptr_t)rte_eth_remove_tx_callback;
}

/* The file an address lies in, or "?" */
static const char *
object_of(const void *addr)
{
	Dl_info info;

	if (dladdr(addr, &info) == 0 || info.dli_fname == NULL)
		return "?";
	return info.dli_fname;
}

/* What the global scope resolves the names to is fwd_pdump.c's. */
static int
interposer_is_global_definition(void)
{
	for (unsigned int i = 0; i < RTE_DIM(removal_names); i++) {
		void *global = dlsym(RTLD_DEFAULT, removal_names[i]);

		TEST_ASSERT(global == interposer(i), "%s resolves to %p in %s, "
			"not to this executable's %p: the executable does not "
			"export its definition, so rte_pdump would call "
			"ethdev's directly", removal_names[i], global,
			global == NULL ? "nothing" : object_of(global),
			interposer(i));
	}
	return TEST_OK;
}

/* What fwd_pdump.c passes the call on to is ethdev's, not itself. */
static int
next_definition_is_ethdev(void)
{
	for (unsigned int i = 0; i < RTE_DIM(removal_names); i++) {
		void *next = dlsym(RTLD_NEXT, removal_names[i]);

		TEST_ASSERT(next != NULL && next != interposer(i),
			"%s: RTLD_NEXT finds %p", removal_names[i], next);
		TEST_ASSERT(strstr(object_of(next), "rte_ethdev") != NULL,
			"%s: RTLD_NEXT finds it in %s, not in librte_ethdev",
			removal_names[i], object_of(next));
	}
	return TEST_OK;
}

/* One loaded object's relocations, searched for a symbol's GOT slot. */
struct got_search {
	const void *inside;     /* an address of the object searched */
	const char *name;       /* the symbol */
	const char *object;     /* out: the object's file */
	bool found_object;
	void **slot;            /* out: the slot, NULL if none */
};

/* glibc relocates the dynamic section's addresses in place on most
 * architectures, not on those where it is read-only. */
static uintptr_t
dyn_addr(const struct dl_phdr_info *info, ElfW(Addr) ptr)
{
	return ptr < info->dlpi_addr ? info->dlpi_addr + ptr : ptr;
}

static bool
object_contains(const struct dl_phdr_info *info, const void *addr)
{
	uintptr_t a = (uintptr_t)addr;

	for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		uintptr_t lo = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && a >= lo && a < lo + ph->p_memsz)
			return true;
	}
	return false;
}

#if __ELF_NATIVE_CLASS == 64
#define REL_SYM(info) ELF64_R_SYM(info)
#else
#define REL_SYM(info) ELF32_R_SYM(info)
#endif

/* Scan one relocation table (REL or RELA: both start with r_offset and
 * r_info) for the symbol. */
static void
got_scan(const struct dl_phdr_info *info, struct got_search *gs,
		uintptr_t table, size_t size, size_t ent,
		const ElfW(Sym) *symtab, const char *strtab)
{
	for (size_t off = 0; ent != 0 && off + ent <= size; off += ent) {
		const ElfW(Rel) *r = (const ElfW(Rel) *)(table + off);
		const ElfW(Sym) *sym = &symtab[REL_SYM(r->r_info)];

		if (REL_SYM(r->r_info) != 0 &&
				strcmp(strtab + sym->st_name, gs->name) == 0) {
			gs->slot = (void **)(info->dlpi_addr + r->r_offset);
			return;
		}
	}
}

static int
got_search_cb(struct dl_phdr_info *info, size_t size, void *arg)
{
	struct got_search *gs = arg;
	const ElfW(Dyn) *dyn = NULL;
	const ElfW(Sym) *symtab = NULL;
	const char *strtab = NULL;
	uintptr_t jmprel = 0, rel = 0, rela = 0;
	size_t pltrelsz = 0, relsz = 0, relasz = 0;
	size_t relent = sizeof(ElfW(Rel)), relaent = sizeof(ElfW(Rela));
	ElfW(Sxword) pltrel = DT_RELA;

	RTE_SET_USED(size);
	if (!object_contains(info, gs->inside))
		return 0;
	gs->found_object = true;
	gs->object = info->dlpi_name;
	for (ElfW(Half) i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_DYNAMIC)
			dyn = (const ElfW(Dyn) *)(info->dlpi_addr +
				info->dlpi_phdr[i].p_vaddr);
	for (; dyn != NULL && dyn->d_tag != DT_NULL; dyn++) {
		switch (dyn->d_tag) {
		case DT_SYMTAB:
			symtab = (const void *)dyn_addr(info, dyn->d_un.d_ptr);
			break;
		case DT_STRTAB:
			strtab = (const void *)dyn_addr(info, dyn->d_un.d_ptr);
			break;
		case DT_JMPREL:
			jmprel = dyn_addr(info, dyn->d_un.d_ptr);
			break;
		case DT_PLTRELSZ:
			pltrelsz = dyn->d_un.d_val;
			break;
		case DT_PLTREL:
			pltrel = dyn->d_un.d_val;
			break;
		case DT_REL:
			rel = dyn_addr(info, dyn->d_un.d_ptr);
			break;
		case DT_RELSZ:
			relsz = dyn->d_un.d_val;
			break;
		case DT_RELENT:
			relent = dyn->d_un.d_val;
			break;
		case DT_RELA:
			rela = dyn_addr(info, dyn->d_un.d_ptr);
			break;
		case DT_RELASZ:
			relasz = dyn->d_un.d_val;
			break;
		case DT_RELAENT:
			relaent = dyn->d_un.d_val;
			break;
		}
	}
	if (symtab == NULL || strtab == NULL)
		return 1;
	if (jmprel != 0)
		got_scan(info, gs, jmprel, pltrelsz,
			pltrel == DT_RELA ? relaent : relent, symtab, strtab);
	if (gs->slot == NULL && rela != 0)
		got_scan(info, gs, rela, relasz, relaent, symtab, strtab);
	if (gs->slot == NULL && rel != 0)
		got_scan(info, gs, rel, relsz, relent, symtab, strtab);
	return 1;
}

/*
 * What rte_pdump itself calls: its GOT slots for the two functions hold
 * this executable's definitions. The suite runs with LD_BIND_NOW=1
 * (Debian builds DPDK with -z now anyway), so the slots are bound before
 * the first call.
 */
static int
pdump_calls_interposer(void)
{
	/* rte_pdump_init's definition, not a PLT stub of this executable's
	 * (its canonical address, were it not position-independent). */
	void *pdump = dlsym(RTLD_NEXT, "rte_pdump_init");

	TEST_ASSERT(pdump != NULL, "rte_pdump_init() is in no shared object "
		"after this executable: is DPDK linked statically? The "
		"interposition needs shared DPDK libraries");
	for (unsigned int i = 0; i < RTE_DIM(removal_names); i++) {
		struct got_search gs = {
			.inside = pdump,
			.name = removal_names[i],
		};
		void *bound;

		dl_iterate_phdr(got_search_cb, &gs);
		TEST_ASSERT(gs.found_object, "no loaded object holds "
			"rte_pdump_init() at %p", pdump);
		TEST_ASSERT(gs.slot != NULL, "%s (%s) has no relocation for "
			"%s: rte_pdump no longer calls it through the dynamic "
			"linker, so gso-fwd's waiting removal "
			"(app/gso-fwd/fwd_pdump.c) is bypassed",
			gs.object, rte_version(), removal_names[i]);
		bound = *gs.slot;
		TEST_ASSERT(bound == interposer(i), "%s (%s) calls %s at %p in "
			"%s, not this executable's %p: the interposition of "
			"app/gso-fwd/fwd_pdump.c no longer takes effect%s",
			gs.object, rte_version(), removal_names[i], bound,
			object_of(bound), interposer(i),
			strcmp(object_of(bound), gs.object) == 0 ?
			" (or the slot is not bound yet: run with "
			"LD_BIND_NOW=1)" : "");
	}
	return TEST_OK;
}

static int
setup(void)
{
	if (fwd_pdump_init() != 0)
		return -1;
	rx_pool = test_poison_pktmbuf_pool_create("pd_rx", 4096, 0,
			RTE_MBUF_DEFAULT_BUF_SIZE, SOCKET_ID_ANY);
	seg_pool = test_poison_seg_pool_create("pd_seg", 1024,
			GSO_OFFLOAD_MAX_HDR_LEN, SOCKET_ID_ANY);
	copy_pool = test_poison_seg_pool_create("pd_copy", 1024,
			RTE_MBUF_DEFAULT_DATAROOM, SOCKET_ID_ANY);
	if (rx_pool == NULL || seg_pool == NULL || copy_pool == NULL)
		return -1;
	port = test_vdev("net_null0", NULL);
	if (port == TEST_NO_PORT)
		return -1;
	return test_lib_port_up(port, rx_pool, 1, 256);
}

static void
teardown(void)
{
	test_lib_port_down(port);
	test_port_close(port);
}

static const struct test_case cases[] = {
	TEST_CASE(interposer_is_global_definition),
	TEST_CASE(next_definition_is_ethdev),
	TEST_CASE(pdump_calls_interposer),
	TEST_CASE(rx_callback_removal_waits),
	TEST_CASE(tx_callback_removal_waits),
	TEST_CASE(removal_errors_pass_through),
};

static const char *const eal_args[] = { "--lcores=0@0,1@1", NULL };

int
main(int argc, char **argv)
{
	const struct test_suite suite = {
		.name = "fwd_pdump",
		.eal_args = eal_args,
		.setup = setup,
		.teardown = teardown,
		.cases = cases,
		.nb_cases = TEST_NB(cases),
		.need_eal = true,
	};

	return test_suite_run(&suite, argc, argv);
}
