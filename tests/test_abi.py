#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""The installed library, as an outside program sees it.

`meson install --destdir` into a temporary directory (what gets installed
and where comes from meson's own install plan, meson-info/
intro-installed.json), then:
  - every installed header compiles on its own, with nothing but
    `pkg-config --cflags libgso_offload`;
  - the public API is what those headers declare (gcc's -aux-info lists
    every function a translation unit declares, with its file): the
    installed .so exports all of it (`nm -D --defined-only`), nothing
    else, and each export under the version node of version.map;
  - the .pc is relocatable: found through PKG_CONFIG_PATH in the destdir,
    its flags point into the destdir; it admits no DPDK of another ABI
    than the one the .so binds to;
  - an outside program (abi_consumer.c) builds from the installed headers
    and the .pc alone with -Wall -Wextra -Werror, links against the
    installed .so, runs with EAL up (no hugepages, no PCI) and a net_null
    port, and its results are checked;
  - the installed gso-fwd uses the library's exports only, and exports
    the ethdev functions it interposes (app/gso-fwd/fwd_pdump.c).
Nothing here names an x86_64 path or a DPDK version: paths come from meson
and pkg-config, tools from the build (the arguments).

Usage: test_abi.py --build-root DIR --version-map FILE --consumer FILE
         --shared-lib FILE --gso-fwd FILE --fwd-pdump FILE --meson PROG
         --pkg-config PROG --nm PROG --can-run true|false
         --sanitize b_sanitize --cc CC...
"""

import argparse
import errno
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from fwdtest import Tap, expect  # noqa: E402

# Without hugepages (which 22.11 does not combine with --in-memory), under
# a file prefix of this process's own, so that suites run in parallel.
EAL_ARGS = ["--no-huge", "--no-pci", "--file-prefix=gso_abi%d" % os.getpid(),
            "--log-level=*:error", "--vdev=net_null0"]


def run(cmd, env=None, timeout=120):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, env=env, timeout=timeout)
    return p.returncode, p.stdout


def under(path, root):
    path, root = os.path.realpath(path), os.path.realpath(root)
    return os.path.commonpath([path, root]) == root


class Install:
    """The destdir and what meson put in it."""

    def __init__(self, opts, destdir):
        self.opts = opts
        self.destdir = destdir
        self.plan = {}
        self.headers = []
        self.pc = None
        self.so = None
        self.gso_fwd = None
        self.env = None

    def dest(self, installed):
        return os.path.join(self.destdir, installed.lstrip(os.sep))

    def install(self):
        plan_file = os.path.join(self.opts.build_root, "meson-info",
                                 "intro-installed.json")
        with open(plan_file) as f:
            self.plan = json.load(f)
        rc, out = run([self.opts.meson, "install", "-C", self.opts.build_root,
                       "--no-rebuild", "--destdir", self.destdir], timeout=300)
        expect(rc == 0, "meson install failed (%d):\n%s" % (rc, out[-3000:]))
        installed = [self.dest(p) for p in self.plan.values()]
        self.headers = sorted(p for p in installed if p.endswith(".h"))
        pcs = [p for p in installed if p.endswith(".pc")]
        expect(self.headers, "no header installed")
        expect(len(pcs) == 1, "installed .pc files: %s" % pcs)
        self.pc = pcs[0]
        for src, dst, attr in ((self.opts.shared_lib, "so", "the shared "
                                "library"), (self.opts.gso_fwd, "gso_fwd",
                                             "gso-fwd")):
            key = os.path.realpath(src)
            match = [v for k, v in self.plan.items()
                     if os.path.realpath(k) == key]
            expect(len(match) == 1, "%s (%s) is not installed" % (attr, src))
            setattr(self, dst, self.dest(match[0]))
        for p in installed:
            expect(os.path.lexists(p), "%s: in meson's plan, not installed" % p)
        env = dict(os.environ)
        env["PKG_CONFIG_PATH"] = os.pathsep.join(
            [os.path.dirname(self.pc)] +
            [p for p in env.get("PKG_CONFIG_PATH", "").split(os.pathsep) if p])
        self.env = env

    @property
    def pc_name(self):
        return os.path.basename(self.pc)[:-len(".pc")]

    def pkg_config(self, *args):
        rc, out = run([self.opts.pkg_config] + list(args) + [self.pc_name],
                      env=self.env)
        expect(rc == 0, "pkg-config %s %s: %s" % (" ".join(args),
                                                  self.pc_name, out))
        return out.split()


def version_node(path):
    with open(path) as f:
        text = re.sub(r"#[^\n]*", "", f.read())
    nodes = re.findall(r"^\s*(\w+)\s*\{", text, re.M)
    expect(len(nodes) == 1, "%s: version nodes %s (one expected)" %
           (path, nodes))
    return nodes[0]


# gcc -aux-info: "/* FILE:LINE:FLAGS */ extern int name (int, ...);". The
# name is the first identifier before " (" that does not open a pointer
# declarator ("int (*) (...)" is a parameter's type).
AUX_LINE = re.compile(r"^/\* (.+):\d+:\w* \*/ (.*)$")
AUX_NAME = re.compile(r"\b([A-Za-z_]\w*) \((?!\*)")


def declared_functions(inst, cflags, workdir):
    """{name: header} of the non-static functions the headers declare."""
    incdirs = {os.path.realpath(os.path.dirname(h)) for h in inst.headers}
    decls = {}
    for i, h in enumerate(inst.headers):
        src = os.path.join(workdir, "hdr%d.c" % i)
        aux = os.path.join(workdir, "hdr%d.aux" % i)
        with open(src, "w") as f:
            f.write("#include <%s>\n" % os.path.basename(h))
        rc, out = run(inst.opts.cc + cflags + ["-Wall", "-Wextra", "-Werror",
                                               "-fsyntax-only", "-aux-info",
                                               aux, src])
        expect(rc == 0, "%s does not compile on its own with the .pc's "
               "flags:\n%s" % (os.path.basename(h), out[-3000:]))
        with open(aux) as f:
            for line in f:
                m = AUX_LINE.match(line.strip())
                if m is None:
                    continue
                path, decl = m.groups()
                if os.path.realpath(os.path.dirname(path)) not in incdirs:
                    continue
                if re.match(r"(static|extern inline)\b", decl):
                    continue
                name = AUX_NAME.search(decl)
                expect(name is not None, "cannot read %r" % line)
                decls[name.group(1)] = os.path.basename(path)
    return decls


def exported_symbols(inst):
    """{name: (nm type, version)} of what the .so defines dynamically,
    less the version nodes themselves."""
    rc, out = run([inst.opts.nm, "-D", "--defined-only", inst.so])
    expect(rc == 0, "nm: %s" % out)
    syms = {}
    for line in out.splitlines():
        f = line.split()
        if len(f) < 2:
            continue
        kind, name = f[-2], f[-1]
        base, _, ver = name.partition("@")
        ver = ver.lstrip("@")
        if kind == "A" and (ver == base or not ver):
            continue            # a version node (GSO_OFFLOAD_0@@...)
        syms[base] = (kind, ver)
    return syms


def main():
    ap = argparse.ArgumentParser()
    for a in ("build-root", "version-map", "consumer", "shared-lib",
              "gso-fwd", "fwd-pdump", "meson", "pkg-config", "nm",
              "can-run", "sanitize"):
        ap.add_argument("--" + a, required=True)
    ap.add_argument("--cc", nargs=argparse.REMAINDER, required=True)
    opts = ap.parse_args()

    tap = Tap()
    work = tempfile.mkdtemp(prefix="gso_abi_")
    destdir = os.path.join(work, "destdir")
    inst = Install(opts, destdir)
    state = {}

    def case_install():
        inst.install()
        tap.diag("installed %d headers, %s, %s" % (
            len(inst.headers), os.path.relpath(inst.so, destdir),
            os.path.relpath(inst.pc, destdir)))

    def case_pc_relocatable():
        cflags = inst.pkg_config("--cflags")
        libs = inst.pkg_config("--libs")
        incs = [f[2:] for f in cflags if f.startswith("-I")]
        libdir = inst.pkg_config("--variable=libdir")[0]
        expect(any(under(i, destdir) for i in incs), "the .pc's -I flags "
               "%s miss the destdir: the .pc is not relocatable (a build "
               "dir set up before pkgconfig.relocatable=true became the "
               "default: meson configure BUILD "
               "-Dpkgconfig.relocatable=true)" % incs)
        expect(under(libdir, destdir), "libdir %s is outside the destdir"
               % libdir)
        expect(os.path.realpath(os.path.dirname(inst.so)) ==
               os.path.realpath(libdir), "the library is in %s, the .pc "
               "says %s" % (os.path.dirname(inst.so), libdir))
        headers_dirs = {os.path.realpath(os.path.dirname(h))
                        for h in inst.headers}
        expect(headers_dirs <= {os.path.realpath(i) for i in incs},
               "installed headers in %s, -I flags %s" % (headers_dirs, incs))
        state["cflags"], state["libs"], state["libdir"] = cflags, libs, libdir

    def case_pc_requires_dpdk_abi():
        # The DPDK ABI the .so binds to (DPDK_23: 22.11 to 23.07, DPDK_25:
        # 24.11 to 25.07; each x.11 release starts one) bounds what the
        # .pc may admit.
        rc, out = run([opts.nm, "-D", "--undefined-only", inst.so])
        expect(rc == 0, "nm: %s" % out)
        abis = set(re.findall(r"@DPDK_(\d+)\b", out))
        expect(len(abis) == 1, "the .so binds DPDK ABIs %s" % sorted(abis))
        abi = int(abis.pop())
        lowest, beyond = (abi - 1, 11), (abi, 11)
        reqs = [r for r in inst.pkg_config("--print-requires")]
        text = " ".join(reqs)
        cons = re.findall(r"libdpdk\s*(>=|<=|<|>|=)\s*(\d+)\.(\d+)", text)
        expect(cons, "the .pc requires %r" % text)

        def admits(v):
            return all({">=": v >= c, ">": v > c, "<=": v <= c, "<": v < c,
                        "=": v[:2] == c}[op]
                       for op, c in ((o, (int(a), int(b)))
                                     for o, a, b in cons))
        expect(not admits(beyond), "the .pc admits DPDK %d.%d (ABI %d) for "
               "a library built against ABI %d: %r" % (beyond + (abi + 1,
                                                                 abi, text)))
        expect(not admits((lowest[0], lowest[1] - 1)), "the .pc admits DPDK "
               "%d.%d (ABI %d): %r" % (lowest[0], lowest[1] - 1, abi - 1,
                                       text))

    def case_headers_compile_alone():
        rc, out = run(opts.cc + ["-aux-info", os.devnull, "-fsyntax-only",
                                 "-x", "c", os.devnull])
        if rc != 0:
            return "the compiler has no -aux-info (gcc's): %s" % out
        state["decls"] = declared_functions(inst, state["cflags"], work)
        tap.diag("%d functions declared in the installed headers" %
                 len(state["decls"]))

    def exports():
        if "exports" not in state:
            state["exports"] = exported_symbols(inst)
        return state["exports"]

    def case_exports_only_declared():
        decls = state["decls"]
        extra = sorted(n for n in exports() if n not in decls)
        expect(not extra, "%s exports %d symbols no installed header "
               "declares (hide them: lib/gso_offload/version.map): %s" %
               (os.path.basename(inst.so), len(extra), " ".join(extra)))

    def case_declared_all_exported():
        decls, exp = state["decls"], exports()
        missing = sorted("%s (%s)" % (n, h) for n, h in decls.items()
                         if n not in exp)
        expect(not missing, "declared in the installed headers but not "
               "exported (add them to lib/gso_offload/version.map): %s" %
               " ".join(missing))
        not_code = sorted(n for n in decls if exp[n][0] not in "TtWi")
        expect(not not_code, "exported, but not as functions: %s" % not_code)

    def case_exports_versioned():
        node = version_node(opts.version_map)
        wrong = sorted("%s@%s" % (n, v[1] or "(none)")
                       for n, v in exports().items() if v[1] != node)
        expect(not wrong, "exports outside version node %s: %s" %
               (node, " ".join(wrong)))

    def case_consumer_builds():
        exe = os.path.join(work, "abi_consumer")
        # A library built with sanitizers wants its program built so too
        # (the runtime must come first), as an outside user would.
        san = ([] if opts.sanitize in ("", "none") else
               ["-fsanitize=" + opts.sanitize])
        cmd = (opts.cc + san + ["-Wall", "-Wextra", "-Werror"] +
               state["cflags"] +
               [opts.consumer, "-o", exe] + state["libs"] +
               ["-Wl,-rpath," + state["libdir"]])
        rc, out = run(cmd)
        expect(rc == 0, "%s\n%s" % (" ".join(cmd), out[-4000:]))
        state["consumer"] = exe

    def case_consumer_runs():
        # meson test points LD_LIBRARY_PATH at the build tree, which
        # would win over the program's RUNPATH into the destdir.
        env = {k: v for k, v in os.environ.items()
               if k != "LD_LIBRARY_PATH"}
        # A cross build's program runs under its emulator (meson passes it).
        wrapper = shlex.split(os.environ.get("GSO_EXE_WRAPPER", ""))
        rc, out = run(wrapper + [state["consumer"]] + EAL_ARGS, env=env,
                      timeout=60)
        got = dict(l.split("=", 1) for l in out.splitlines()
                   if re.match(r"^\w+=", l))
        # EAL leaves its runtime files (no --in-memory without hugepages).
        rundir = got.pop("runtime_dir", "")
        if os.path.basename(rundir) == "gso_abi%d" % os.getpid():
            shutil.rmtree(rundir, ignore_errors=True)
        tap.diag(" ".join("%s=%s" % kv for kv in got.items()))
        expect(rc == 0 and got.get("done") == "1",
               "exit %d:\n%s" % (rc, out[-3000:]))
        lib = got.get("library", "")
        expect(under(lib, destdir) and os.path.samefile(lib, inst.so),
               "the library came from %r, not the installed %s" %
               (lib, inst.so))
        want = {
            "parse": "0", "on": "lso4", "off": "uso6",
            "parse_bad": str(-errno.EINVAL),
            "ports": "1", "describe": "0", "caps_valid_size": "1",
            "configure": "0", "start": "0", "started": "1",
            "sent": "1", "pass_pkts": "1",
            "stop": "0", "stopped": "1", "release": "0",
        }
        bad = ["%s=%s (expected %s)" % (k, got.get(k), v)
               for k, v in want.items() if got.get(k) != v]
        expect(not bad, "; ".join(bad))
        expect("maybe" in got.get("parse_bad_err", ""),
               "the parse error does not name the bad item: %r" %
               got.get("parse_bad_err"))
        expect(got.get("provider") == got.get("provider_for_driver"),
               "the port's provider %r is not the one its driver selects "
               "(%r)" % (got.get("provider"), got.get("provider_for_driver")))

    def case_gso_fwd_links_exports_only():
        rc, out = run([opts.nm, "-D", inst.gso_fwd])
        expect(rc == 0, "nm: %s" % out)
        undef, defined = {}, set()
        for line in out.splitlines():
            f = line.split()
            if len(f) >= 2 and f[-2] == "U":
                base, _, ver = f[-1].partition("@")
                undef[base] = ver.lstrip("@")
            elif len(f) >= 3:
                defined.add(f[-1].partition("@")[0])
        exp = exports()
        ours = {n: v for n, v in undef.items() if n in exp}
        expect(ours, "the installed gso-fwd uses nothing of %s: linked "
               "statically?" % os.path.basename(inst.so))
        bad = sorted("%s@%s" % (n, v) for n, v in ours.items()
                     if v != exp[n][1])
        expect(not bad, "gso-fwd binds to other versions than the "
               "library's: %s" % bad)
        # fwd_pdump.c's interposition: rte_pdump binds to these only if
        # the executable exports them.
        with open(opts.fwd_pdump) as f:
            interposed = sorted(set(re.findall(
                r"^(rte_eth_remove_\w+_callback)\(", f.read(), re.M)))
        expect(len(interposed) == 2, "fwd_pdump.c defines %s" % interposed)
        hidden = [n for n in interposed if n not in defined]
        expect(not hidden, "the installed gso-fwd does not export %s: "
               "rte_pdump would bypass its waiting removal" % hidden)

    cases = [
        ("install", case_install, []),
        ("pc_relocatable", case_pc_relocatable, ["install"]),
        ("pc_requires_dpdk_abi", case_pc_requires_dpdk_abi,
         ["pc_relocatable"]),
        ("headers_compile_alone", case_headers_compile_alone,
         ["pc_relocatable"]),
        ("exports_only_declared", case_exports_only_declared,
         ["headers_compile_alone"]),
        ("declared_all_exported", case_declared_all_exported,
         ["headers_compile_alone"]),
        ("exports_versioned", case_exports_versioned, ["install"]),
        ("consumer_builds", case_consumer_builds, ["pc_relocatable"]),
        ("consumer_runs", case_consumer_runs, ["consumer_builds"]),
        ("gso_fwd_links_exports_only", case_gso_fwd_links_exports_only,
         ["install"]),
    ]
    passed = set()
    try:
        for name, fn, needs in cases:
            if name == "consumer_runs" and opts.can_run != "true":
                tap.skip(name, "host binaries cannot run (cross build)")
                continue
            missing = [n for n in needs if n not in passed]
            if missing:
                tap.ok(False, name, "not run: %s failed" % ", ".join(missing))
                continue
            if tap.run(name, fn):
                passed.add(name)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
