#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""gso-fwd against dpdk-testpmd (csum engine, software GSO), side by side.

Both programs get the same input, a net_pcap port replaying a file of TCP/IPv4
superframes forever (infinite_rx=1), and send to net_null (no-rx=1), on the
same lcores (-l 0,1: main lcore 0, forwarding lcore 1), burst 32, without
hugepages. Runs alternate (gso-fwd, testpmd, gso-fwd, ...), each warms up
and then measures the output packet rate of the net_null port:
  - gso-fwd: the mean of its per-second stats lines after the warm-up;
  - testpmd: "Tx-pps" of "show port stats 1", which it computes over the
    interval since the previous "show port stats 1" (issued after the
    warm-up).
testpmd is set up as its documentation says for software GSO: "set port 1
gso on", "set gso segsz 1514" (the segment size counts the Ethernet
header: MSS 1448 with timestamps, as gso-fwd's MTU 1500 gives), "set fwd
csum" (checksums in software, the default without hardware offloads).

Pitfalls handled (REFERENCE.md 3 and 5): infinite_rx copies each frame into
ONE mbuf, so both get --mbuf-size 65535; testpmd sizes its pool for 32
ports unless told (--total-num-mbufs); "port stop/start" breaks an
infinite_rx port, so nothing here restarts ports; net_null generates
packets unless no-rx=1; "start" drains the RX queues first (harmless for
an endless file, fatal for the sample read once: --no-flush-rx there).

Then a sample of each program's output is checked: the same superframes
(read once, not forever) to a net_pcap tx_pcap port, and tshark with
checksum validation counts bad IPv4 and TCP checksums.

Prints one RUN line per run, then
  RESULT compare=testpmd gso_fwd_mpps=<x> testpmd_mpps=<y> ratio=<x/y>
(medians, 64000-byte superframes), RESULT_SIZE lines for every size, and
  CHECKSUMS program=<p> frames=<n> ipv4_bad=<n> tcp_bad=<n> valid=yes|no

Usage: scripts/compare-testpmd.py [--runs 5] [--warmup 2] [--seconds 5]
         [--sizes 4000,16000,64000] [--svg docs/img/testpmd-compare.svg]
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests"))
from fwdtest import eal_args, pattern, pcap_write, tcp4_frame  # noqa: E402

FWD = os.path.join(TOP, "build", "app", "gso-fwd")
TESTPMD = shutil.which("dpdk-testpmd") or "/usr/bin/dpdk-testpmd"
LCORES = "0,1"
FRAMES_PER_FILE = 16


HUGE = False


def eal(prefix, vdevs):
    return eal_args(prefix, vdevs, lcores=LCORES, mem=2048, huge=HUGE)


def superframes(workdir, size):
    path = os.path.join(workdir, "sf%d.pcap" % size)
    pcap_write(path, [tcp4_frame(pattern(size, i), 20000 + i)
                      for i in range(FRAMES_PER_FILE)])
    return path


def run_fwd(pcap, warmup, seconds, fwd=FWD, egress="net_null0,no-rx=1"):
    """gso-fwd (the fwd binary) from pcap, replayed forever, to egress (a
    vdev): the egress port's mean output rate, Mpps, over seconds after
    warmup."""
    vdevs = ["net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap, egress]
    out = subprocess.run(
        [fwd] + eal("cmpfwd%d" % os.getpid(), vdevs) +
        ["--", "--map", "0:1", "--mbuf-size", "65535", "--nb-mbufs", "4096",
         "--stats", "1", "--duration", str(warmup + seconds + 1)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=warmup + seconds + 60).stdout
    rates = [float(m.group(1)) for m in
             re.finditer(r"^port 1: in [\d.]+ Mpps [\d.]+ Gbit/s \| out "
                         r"([\d.]+) Mpps", out, re.M)]
    window = rates[warmup:warmup + seconds]
    if len(window) < seconds:
        raise RuntimeError("gso-fwd printed %d stats lines:\n%s" % (
            len(rates), out[-3000:]))
    return statistics.mean(window)


def testpmd_session(vdevs, script, timeout, extra=()):
    """Run testpmd interactively; script is a list of (command, seconds to
    wait after it). Returns everything it printed."""
    p = subprocess.Popen(
        [TESTPMD] + eal("cmppmd%d" % os.getpid(), vdevs) +
        ["--", "-i", "--mbuf-size=65535", "--total-num-mbufs=8192"] +
        list(extra),
        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    for cmd, wait in script:
        p.stdin.write(cmd + "\n")
        p.stdin.flush()
        time.sleep(wait)       # a measurement window, not synchronisation
    out, _ = p.communicate(timeout=timeout)
    return out


TESTPMD_SETUP = [("set port 1 gso on", 0), ("set gso segsz 1514", 0),
                 ("set fwd csum", 0)]


def run_testpmd(pcap, warmup, seconds):
    vdevs = ["net_pcap0,rx_pcap=%s,infinite_rx=1" % pcap,
             "net_null0,no-rx=1"]
    out = testpmd_session(vdevs, TESTPMD_SETUP + [
        ("start", warmup), ("show port stats 1", seconds),
        ("show port stats 1", 0), ("stop", 0), ("quit", 0)],
        warmup + seconds + 60)
    pps = re.findall(r"Tx-pps:\s+(\d+)", out)
    if len(pps) < 2:
        raise RuntimeError("testpmd printed no rates:\n%s" % out[-3000:])
    return int(pps[1]) / 1e6


def tshark_count(path, flt):
    r = subprocess.run(["tshark", "-n", "-r", path, "-o",
                        "ip.check_checksum:TRUE", "-o",
                        "tcp.check_checksum:TRUE", "-Y", flt, "-T", "fields",
                        "-e", "frame.number"], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True, timeout=300)
    return len(r.stdout.split())


def sample_checksums(program, pcap, workdir):
    out_path = os.path.join(workdir, "out-%s.pcap" % program)
    empty = os.path.join(workdir, "empty.pcap")
    pcap_write(empty, [])
    vdevs = ["net_pcap0,rx_pcap=%s" % pcap,
             "net_pcap1,rx_pcap=%s,tx_pcap=%s" % (empty, out_path)]
    if program == "gso-fwd":
        subprocess.run([FWD] + eal("cmpfwds%d" % os.getpid(), vdevs) +
                       ["--", "--map", "0:1", "--mbuf-size", "65535",
                        "--idle-exit", "500"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120)
    else:
        # "start" drains the RX queues first unless --no-flush-rx: that
        # would eat a file read once.
        testpmd_session(vdevs, TESTPMD_SETUP + [
            ("start", 2), ("stop", 0), ("quit", 0)], 120, ["--no-flush-rx"])
    frames = tshark_count(out_path, "frame")
    ip_bad = tshark_count(out_path, "ip.checksum.status == 0")
    tcp_bad = tshark_count(out_path, "tcp.checksum.status == 0")
    valid = frames > 0 and ip_bad == 0 and tcp_bad == 0
    print("CHECKSUMS program=%s frames=%d ipv4_bad=%d tcp_bad=%d valid=%s"
          % (program, frames, ip_bad, tcp_bad, "yes" if valid else "no"),
          flush=True)


def svg_plot(path, sizes, fwd, pmd):
    """A small line chart of output Mpps against superframe size."""
    w, h, left, bottom, top, right = 560, 340, 60, 50, 30, 150
    ymax = max(fwd + pmd) * 1.15
    xs = [left + i * (w - left - right) / max(len(sizes) - 1, 1)
          for i in range(len(sizes))]

    def y(v):
        return h - bottom - v / ymax * (h - bottom - top)
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
             'font-family="sans-serif" font-size="12">' % (w, h),
             '<rect width="100%" height="100%" fill="white"/>',
             '<text x="%d" y="18" font-size="14">Output rate, one forwarding '
             'lcore, MTU 1500 segments</text>' % left]
    for i in range(6):
        v = ymax * i / 5
        parts.append('<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" '
                     'stroke="#ddd"/>' % (left, w - right, y(v), y(v)))
        parts.append('<text x="%d" y="%.1f" text-anchor="end">%.1f</text>'
                     % (left - 6, y(v) + 4, v))
    for x, s in zip(xs, sizes):
        parts.append('<text x="%.1f" y="%d" text-anchor="middle">%d</text>'
                     % (x, h - bottom + 18, s))
    parts.append('<text x="%.1f" y="%d" text-anchor="middle">superframe '
                 'TCP payload (bytes)</text>' % ((left + w - right) / 2,
                                                  h - 10))
    parts.append('<text x="14" y="%.1f" transform="rotate(-90 14 %.1f)" '
                 'text-anchor="middle">Mpps out</text>' % (h / 2, h / 2))
    for vals, color, name, dy in ((fwd, "#1f77b4", "gso-fwd", 0),
                                  (pmd, "#d62728", "testpmd csum+GSO", 18)):
        pts = " ".join("%.1f,%.1f" % (x, y(v)) for x, v in zip(xs, vals))
        parts.append('<polyline points="%s" fill="none" stroke="%s" '
                     'stroke-width="2"/>' % (pts, color))
        for x, v in zip(xs, vals):
            parts.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s"/>'
                         % (x, y(v), color))
            parts.append('<text x="%.1f" y="%.1f" text-anchor="middle" '
                         'fill="%s">%.2f</text>' % (x, y(v) - 8, color, v))
        parts.append('<line x1="%d" x2="%d" y1="%d" y2="%d" stroke="%s" '
                     'stroke-width="2"/>' % (w - right + 15, w - right + 35,
                                             top + 20 + dy, top + 20 + dy,
                                             color))
        parts.append('<text x="%d" y="%d">%s</text>' % (
            w - right + 40, top + 24 + dy, name))
    parts.append("</svg>")
    with open(path, "w") as f:
        f.write("\n".join(parts) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--sizes", default="4000,16000,64000")
    ap.add_argument("--svg")
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--huge", action="store_true",
                    help="use hugepages (mounted, 2 GB free) for both")
    args = ap.parse_args()
    global HUGE
    HUGE = args.huge
    if not args.no_build:
        subprocess.run([os.path.join(TOP, "scripts", "deps.sh")], check=True)
        subprocess.run([os.path.join(TOP, "scripts", "build.sh")],
                       check=True, stdout=subprocess.DEVNULL)
    sizes = [int(s) for s in args.sizes.split(",")]
    workdir = tempfile.mkdtemp(prefix="gso-cmp-")
    med = {}
    try:
        for size in sizes:
            pcap = superframes(workdir, size)
            res = {"gso-fwd": [], "testpmd": []}
            for i in range(args.runs):
                for prog, fn in (("gso-fwd", run_fwd),
                                 ("testpmd", run_testpmd)):
                    mpps = fn(pcap, args.warmup, args.seconds)
                    res[prog].append(mpps)
                    print("RUN size=%d run=%d program=%s mpps=%.3f" % (
                        size, i + 1, prog, mpps), flush=True)
            f = statistics.median(res["gso-fwd"])
            t = statistics.median(res["testpmd"])
            med[size] = (f, t)
            print("RESULT_SIZE size=%d gso_fwd_mpps=%.3f testpmd_mpps=%.3f "
                  "ratio=%.2f" % (size, f, t, f / t), flush=True)
        if 64000 in med:
            f, t = med[64000]
            print("RESULT compare=testpmd gso_fwd_mpps=%.3f testpmd_mpps=%.3f"
                  " ratio=%.2f" % (f, t, f / t), flush=True)
        sample = superframes(workdir, 64000 if 64000 in sizes else sizes[-1])
        for prog in ("gso-fwd", "testpmd"):
            sample_checksums(prog, sample, workdir)
        if args.svg:
            svg_plot(args.svg, sizes, [med[s][0] for s in sizes],
                     [med[s][1] for s in sizes])
            print("plot written to %s" % args.svg)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
