#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""gso-caps comes up on the ports EAL gives it and prints their limits.

It used to ask every port for 256 descriptors, which net_vmxnet3 refuses
(at least 512 TX descriptors, REFERENCE.md 6); it now takes the counts
from rx_desc_lim / tx_desc_lim (app/gso-caps/caps_desc.h, whose rule
test_caps_desc checks on vmxnet3's and e1000's limits). Here, on net_null
and net_ring (limits 0..65535, so 256 stays): every port up, its queue
line, and the provider's limits including the per-descriptor one
(max_seg_data_len, 65535 for a generic port).

Usage: test_caps_app.py PATH-TO-gso-caps
"""

import os
import re
import shlex
import subprocess
import sys

from fwdtest import Check, Tap, eal_args, expect, note_output


def run_caps(exe):
    args = eal_args("gso-caps-test-%d" % os.getpid(),
                    ["net_null0", "net_ring0"], lcores="0", mem=256)
    # A cross build's binary runs under its emulator (meson passes it).
    wrapper = shlex.split(os.environ.get("GSO_EXE_WRAPPER", ""))
    p = subprocess.run(wrapper + [exe] + args + ["--"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, timeout=45,
                       universal_newlines=True)
    out = note_output("gso-caps", p.stdout)
    expect(p.returncode == 0, "gso-caps exited %d:\n%s" % (p.returncode,
                                                            out))
    return out


def check_ports(exe):
    out = run_caps(exe)
    ports = re.findall(r"^port (\d+)  (\S+)\s+provider (\S+)$", out, re.M)
    expect(len(ports) == 2, "two ports printed:\n%s" % out)
    queues = re.findall(r"^  queues    rx (\d+) tx (\d+) descriptors$", out,
                        re.M)
    expect(queues == [("256", "256")] * 2,
           "queue lines %s:\n%s" % (queues, out))
    txd = re.findall(r"^  txd       nb_seg_max (\d+), nb_mtu_seg_max (\d+), "
                     r"max_seg_data_len (\d+), max_frame (\d+)$", out, re.M)
    expect(len(txd) == 2 and all(t[2] == "65535" for t in txd),
           "per-descriptor limit printed (generic: 65535) %s:\n%s" %
           (txd, out))


def main():
    t = Tap()
    t.run("net_null and net_ring up, queues and limits printed",
          check_ports, sys.argv[1])
    return t.done()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Check as e:
        print("Bail out! %s" % e)
        sys.exit(1)
