#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""gso-bench keeps the output contract of issue 3 (no timing is judged).

One repetition of 1 ms per case, so that it runs in about a second; each
run must:
  - exit 0 (gso-bench exits 1 when either engine returns an error or a
    pool runs dry, so every case has segmented and freed its output);
  - say in its header which ownership contract ours ran under, and how
    many flows a batch holds and whether our flow cache is on;
  - print one RESULT line per case of the issue's matrix: TCP/IPv4 of
    64000, 16000 and 4000 B, batches 1, 8 and 32, checksums offloaded and
    in software, with ratio = ours_mpps / rte_gso_mpps; and for TCP/IPv6,
    UDP/IPv4 and UDP/IPv6, rte_gso_mpps=na ratio=na and a RELATIVE line
    against our TCP/IPv4;
  - print the tunnel cases of issue 18: VXLAN/TCP4 and GRE/TCP4 at the
    TCP/IPv4 matrix against rte_gso, GENEVE/TCP6 and VXLAN/UDP6 (ours
    alone: rte_gso_mpps=na ratio=na), each with a TUNNEL line against the
    same inner flow without the tunnel (plain_mpps), and no ERROR line (a
    case one implementation cannot segment prints one and exits 1);
  - with --floor, a FLOOR line for every TCP/IPv4 case, its floor_mpps
    the better of zerocopy_mpps and copy_mpps, and copy_mpps=na where a
    flat segment would not fit a copy-pool mbuf (--mss 3000).
Runs: the default (ours keeps the superframe), --consume, each buffer
mode forced, and interleaved flows with the flow cache off; and --case
with an anchored alternative (^tcp4_,^geneve_), which selects exactly
those cases.

Usage: test_bench_output.py PATH-TO-gso-bench
"""

import os
import re
import shlex
import subprocess
import sys

from fwdtest import Check, Tap, expect, note_output

NUM = r"([0-9]+\.[0-9]+)"
RESULT_VS = re.compile(r"^RESULT case=(\S+) ours_mpps=%s rte_gso_mpps=%s "
                       r"ratio=%s$" % (NUM, NUM, NUM))
RESULT_NA = re.compile(r"^RESULT case=(\S+) ours_mpps=%s rte_gso_mpps=na "
                       r"ratio=na$" % NUM)
RELATIVE = re.compile(r"^RELATIVE case=(\S+) ours_mpps=%s tcp4_mpps=%s "
                      r"ratio=%s$" % (NUM, NUM, NUM))
TUNNEL = re.compile(r"^TUNNEL case=(\S+) ours_mpps=%s plain_mpps=%s "
                    r"ratio=%s$" % (NUM, NUM, NUM))
FLOOR = re.compile(r"^FLOOR case=(\S+) floor_mpps=%s rte_gso_mpps=%s "
                   r"ratio=%s zerocopy_mpps=%s copy_mpps=(?:%s|na)$" %
                   (NUM, NUM, NUM, NUM, NUM))

TCP4 = ["tcp4_%d_b%d_%s" % (size, batch, ck)
        for ck in ("hwck", "swck")
        for size in (64000, 16000, 4000)
        for batch in (1, 8, 32)]
OURS_ONLY = ["%s_64000_b1_%s" % (p, ck)
             for p in ("tcp6", "udp4", "udp6") for ck in ("hwck", "swck")] + \
            ["%s_64000_b32_hwck" % p for p in ("tcp6", "udp4", "udp6")]
# Issue 18: against rte_gso, and ours alone (each also against its plain
# inner flow: TUNNEL lines).
TUN_VS = ["%s_%s" % (t, c[len("tcp4_"):]) for t in ("vxlan_tcp4", "gre_tcp4")
          for c in TCP4]
TUN_ALONE = ["%s_64000_%s" % (t, v) for t in ("geneve_tcp6", "vxlan_udp6")
             for v in ("b1_hwck", "b32_hwck", "b1_swck")]


def run_bench(exe, tag, args, case="_b", lcores="0"):
    # A cross build's binary runs under its emulator (meson passes it).
    wrapper = shlex.split(os.environ.get("GSO_EXE_WRAPPER", ""))
    cmd = wrapper + [exe, "--no-huge", "-m", "2048", "--no-pci", "-l", lcores,
           "--log-level=*:error", "--file-prefix=benchout%s%d" % (tag, os.getpid()),
           "--", "--reps", "1", "--ms", "1", "--case", case] + args
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=300)
    return p.returncode, note_output("gso-bench", p.stdout)


def ratio_matches(x, y, r):
    # x and y are printed rounded to 0.01, r from the unrounded values.
    lo = (x - 0.005) / (y + 0.005)
    hi = (x + 0.005) / (y - 0.005)
    return lo - 0.005 <= r <= hi + 0.005


def check_run(exe, tag, args, contract, copy_na=False,
              flows="1 flow per batch, flow cache on"):
    rc, out = run_bench(exe, tag, args)
    expect(rc == 0, "exit status %d:\n%s" % (rc, out[-3000:]))
    lines = out.splitlines()
    header = [l for l in lines if l.startswith("# gso-bench:")]
    expect(len(header) == 1 and ("ours %s the superframe" % contract)
           in header[0] and header[0].endswith(flows), "header: %s" % header)
    errors = [l for l in lines if l.startswith("ERROR ")]
    expect(not errors, "cases that could not run:\n%s" % "\n".join(errors))
    vs, na, rel, floor, tun = {}, {}, {}, {}, {}
    for l in lines:
        for rx, into in ((RESULT_VS, vs), (RESULT_NA, na), (RELATIVE, rel),
                         (FLOOR, floor), (TUNNEL, tun)):
            m = rx.match(l)
            if m:
                expect(m.group(1) not in into, "twice: %s" % l)
                into[m.group(1)] = [None if g is None else float(g)
                                    for g in m.groups()[1:]]
    want_vs, want_na = TCP4 + TUN_VS, OURS_ONLY + TUN_ALONE
    expect(sorted(vs) == sorted(want_vs),
           "RESULT lines against rte_gso: missing %s, extra %s" %
           (sorted(set(want_vs) - set(vs)), sorted(set(vs) - set(want_vs))))
    expect(sorted(na) == sorted(want_na) and sorted(rel) == sorted(OURS_ONLY),
           "ours-only cases: RESULT %s RELATIVE %s" % (sorted(na), sorted(rel)))
    expect(sorted(tun) == sorted(TUN_VS + TUN_ALONE),
           "TUNNEL lines: missing %s, extra %s" %
           (sorted(set(TUN_VS + TUN_ALONE) - set(tun)),
            sorted(set(tun) - set(TUN_VS + TUN_ALONE))))
    for case, (x, y, r) in tun.items():
        # The TUNNEL line's ours is the RESULT line's measurement.
        expect(x == (vs.get(case) or na.get(case))[0],
               "%s: TUNNEL ours_mpps %s is another measurement" % (case, x))
    for case, (x, y, r) in (list(vs.items()) + list(rel.items()) +
                            list(tun.items())):
        # A 1 ms window descheduled on a loaded machine can print a rate
        # that rounds to 0.00: the line is still well formed, but its
        # ratio cannot be checked against two-decimal rates.
        expect(x >= 0 and y >= 0 and r >= 0, "%s: rates %s %s ratio %s" %
               (case, x, y, r))
        expect(x < 0.01 or y < 0.01 or ratio_matches(x, y, r),
               "%s: ratio %s is not %s/%s" % (case, r, x, y))
    if "--floor" in args:
        expect(sorted(floor) == sorted(TCP4), "FLOOR lines: %s" % sorted(floor))
        for case, (f, y, r, zc, cp) in floor.items():
            expect(y == vs[case][1], "%s: the floor's rte_gso is another "
                   "measurement" % case)
            expect(f < 0.01 or y < 0.01 or ratio_matches(f, y, r),
                   "%s: floor ratio %s" % (case, r))
            expect((cp is None) == copy_na, "%s: copy floor %s" % (case, cp))
            expect(zc >= 0 and f == max(zc, cp or 0),
                   "%s: floor %s is not the better of %s and %s" %
                   (case, f, zc, cp))
    else:
        expect(not floor, "FLOOR lines without --floor")


def cases_run(exe, tag, case):
    rc, out = run_bench(exe, tag, [], case)
    expect(rc == 0, "exit status %d:\n%s" % (rc, out[-3000:]))
    return sorted(set(m.group(1) for m in
                      (re.match(r"^(?:RESULT|TUNNEL|RELATIVE) case=(\S+) ", l)
                       for l in out.splitlines()) if m))


def check_filter(exe):
    """--case ^A,^B: the cases whose names begin with A or B, no more; a
    whole name: that case, not the tunnel case whose name ends with it
    (scripts/bench-ab.sh passes whole names)."""
    got = cases_run(exe, "a", "^tcp4_,^geneve_")
    want = sorted(TCP4 + [c for c in TUN_ALONE if c.startswith("geneve_")])
    expect(got == want, "--case ^tcp4_,^geneve_ ran %s" % got)
    got = cases_run(exe, "w", "tcp4_4000_b8_hwck")
    expect(got == ["tcp4_4000_b8_hwck"], "--case tcp4_4000_b8_hwck ran %s" %
           got)


PIPELINE = ["pipeline_mixed_1lcore", "pipeline_mixed_2lcores",
            "pipeline_mixed_2lcores_sharedpool",
            "pipeline_mixed_2lcores_1port"]
MIXED = re.compile(r"^RESULT case=(\S+) in_mpps_per_lcore=%s "
                   r"wire_mpps_per_lcore=%s$" % (NUM, NUM))
SCALING = re.compile(r"^RESULT case=pipeline_scaling ratio_percore_pools=%s "
                     r"ratio_shared_pool=%s$" % (NUM, NUM))


def check_pipeline(exe):
    """--case pipeline on two lcores (issue 20): every arrangement once,
    wire = in x (24 + 8 x 12) / 32 packets (the burst's composition), and
    the scaling ratios are the 2-lcore rates over the 1-lcore one."""
    rc, out = run_bench(exe, "p", [], "pipeline", "0,1")
    expect(rc == 0, "exit status %d:\n%s" % (rc, out[-3000:]))
    mixed, scaling = {}, []
    for l in out.splitlines():
        m = MIXED.match(l)
        if m:
            expect(m.group(1) not in mixed, "twice: %s" % l)
            mixed[m.group(1)] = (float(m.group(2)), float(m.group(3)))
        m = SCALING.match(l)
        if m:
            scaling.append((float(m.group(1)), float(m.group(2))))
    expect(sorted(mixed) == sorted(PIPELINE), "pipeline cases: %s" %
           sorted(mixed))
    for case, (i, w) in mixed.items():
        expect(i > 0 and abs(w - i * 120 / 32) <= 0.025,
               "%s: wire %s is not in %s x 120/32" % (case, w, i))
    expect(len(scaling) == 1, "pipeline_scaling lines: %s" % scaling)
    one = mixed["pipeline_mixed_1lcore"][0]
    for r, case in zip(scaling[0], PIPELINE[1:3]):
        expect(ratio_matches(mixed[case][0], one, r),
               "scaling %s is not %s over %s" % (r, mixed[case][0], one))


def main():
    exe = sys.argv[1]
    t = Tap()
    t.run("keep_input (default), with the floors", check_run, exe, "k",
          ["--floor"], "keeps")
    t.run("the floors, a flat segment too large for the copy pool",
          check_run, exe, "m", ["--floor", "--mss", "3000"], "keeps", True)
    t.run("--consume", check_run, exe, "c", ["--consume"], "consumes")
    t.run("--buffers zerocopy", check_run, exe, "z",
          ["--buffers", "zerocopy"], "keeps")
    t.run("--buffers copy", check_run, exe, "y", ["--buffers", "copy"],
          "keeps")
    t.run("--flows 8 --no-flow-cache", check_run, exe, "f",
          ["--flows", "8", "--no-flow-cache"], "keeps", False,
          "8 flows per batch, flow cache off")
    t.run("--case ^tcp4_,^geneve_ and a whole name", check_filter, exe)
    t.run("--case pipeline on two lcores", check_pipeline, exe)
    return t.done()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Check as e:
        print("Bail out! %s" % e)
        sys.exit(1)
