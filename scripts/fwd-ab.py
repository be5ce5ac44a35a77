#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""gso-fwd of two builds side by side, alternated, on one egress PMD.

The input is compare-testpmd.py's: a net_pcap port replaying TCP/IPv4
superframes forever (infinite_rx=1), here --flows superframes of --size
payload bytes, one flow each (16: the engine's flow table at work; 1: every
superframe a hit of the last flow's plan). The egress is
  - null:      net_null (no-rx=1), which frees what it is given at once;
  - af_packet: net_af_packet on one end of a veth pair (made here, root),
               one sendto() per rte_eth_tx_burst() call; nothing listens
               on the other end, the kernel drops there.
Both builds run alternated (base, new, base, ...), --runs times; each warms
up --warmup s and measures --seconds s of the egress port's output rate
(gso-fwd's per-second stats lines). Prints each run and

  RESULT ab port=<p> size=<n> flows=<f> base_mpps=<median> new_mpps=<median> ratio=<new/base>

Usage: scripts/fwd-ab.py --base OTHER/build --new build [--port af_packet]
         [--size 4000] [--flows 16] [--runs 5] [--warmup 2] [--seconds 3]
"""

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tests"))
from fwdtest import pattern, pcap_write, tcp4_frame  # noqa: E402

# compare-testpmd.py's run_fwd(): the same gso-fwd run and rate reading.
_spec = importlib.util.spec_from_file_location(
    "compare_testpmd", os.path.join(TOP, "scripts", "compare-testpmd.py"))
COMPARE = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(COMPARE)

VETH = ("gsoab0", "gsoab1")


def egress(port):
    if port == "null":
        return "net_null0,no-rx=1"
    return ("net_af_packet0,iface=%s,qpairs=1,blocksz=4096,framesz=2048,"
            "framecnt=4096" % VETH[0])


def run(build, pcap, port, warmup, seconds):
    return COMPARE.run_fwd(pcap, warmup, seconds,
                           fwd=os.path.join(build, "app", "gso-fwd"),
                           egress=egress(port))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--base", required=True, help="the base build directory")
    ap.add_argument("--new", default=os.path.join(TOP, "build"))
    ap.add_argument("--port", choices=("null", "af_packet"), default="null")
    ap.add_argument("--size", type=int, default=4000)
    ap.add_argument("--flows", type=int, default=16)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--seconds", type=int, default=3)
    a = ap.parse_args()

    if a.port == "af_packet":
        subprocess.run(["ip", "link", "del", VETH[0]], capture_output=True)
        subprocess.run(["ip", "link", "add", VETH[0], "type", "veth",
                        "peer", "name", VETH[1]], check=True)
        for v in VETH:
            subprocess.run(["ip", "link", "set", v, "up"], check=True)
    try:
        with tempfile.TemporaryDirectory() as d:
            pcap = os.path.join(d, "sf.pcap")
            pcap_write(pcap, [
                tcp4_frame(pattern(a.size, i), 20000 + i % a.flows,
                           seq=1000 + a.size * (i // a.flows))
                for i in range(16)])
            res = {"base": [], "new": []}
            for r in range(a.runs):
                for k, build in (("base", a.base), ("new", a.new)):
                    res[k].append(run(build, pcap, a.port, a.warmup,
                                      a.seconds))
                    print("RUN %d %s %.3f" % (r, k, res[k][-1]), flush=True)
    finally:
        if a.port == "af_packet":
            subprocess.run(["ip", "link", "del", VETH[0]],
                           capture_output=True)
    b, n = statistics.median(res["base"]), statistics.median(res["new"])
    print("RESULT ab port=%s size=%d flows=%d base_mpps=%.3f new_mpps=%.3f "
          "ratio=%.3f" % (a.port, a.size, a.flows, b, n, n / b))


if __name__ == "__main__":
    main()
