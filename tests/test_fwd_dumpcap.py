#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""dpdk-dumpcap captures gso-fwd's ports (rte_pdump is initialised).

dpdk-dumpcap is a DPDK secondary process: it needs a primary that runs on
hugepages (a --no-huge primary cannot be shared). When none are free the
test reserves them (root), mounts hugetlbfs if nothing is mounted, and puts
both back afterwards; without root or hugepage support it is skipped.

net_pcap (infinite_rx: TCP/IPv4 superframes) -> gso-fwd -> net_null, and
dpdk-dumpcap on net_null captures what gso-fwd sends: MTU-sized TCP
segments with valid checksums (tshark). gso-fwd then stops cleanly.

Usage: test_fwd_dumpcap.py PATH-TO-gso-fwd
"""

import os
import shutil
import signal
import subprocess
import tempfile

from fwdnetns import Proc
from fwdtest import (Tap, eal_args, expect, fwd_exe, parse_summary, pattern,
                     pcap_write, tcp4_frame, tshark_bad)

NEED_MB = 768
PAGE_KB = 2048


def meminfo(key):
    for line in open("/proc/meminfo"):
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def hugetlbfs_mount():
    for line in open("/proc/mounts"):
        f = line.split()
        if f[2] == "hugetlbfs" and "pagesize=1G" not in line:
            return f[1]
    return None


class Hugepages:
    """Enough free 2 MB hugepages and a mount; undone by release()."""

    def __init__(self):
        self.path = "/proc/sys/vm/nr_hugepages"
        self.old_nr = None
        self.mounted = None

    def acquire(self):
        if meminfo("Hugepagesize") != PAGE_KB:
            return "the default hugepage size is not 2 MB"
        need = NEED_MB * 1024 // PAGE_KB
        free = meminfo("HugePages_Free")
        if free < need:
            if os.geteuid() != 0:
                return "no free hugepages and not root"
            self.old_nr = int(open(self.path).read())
            with open(self.path, "w") as f:
                f.write(str(self.old_nr + need - free))
            if meminfo("HugePages_Free") < need:
                return "could not reserve %d hugepages" % need
        mnt = hugetlbfs_mount()
        if mnt is None:
            if os.geteuid() != 0:
                return "hugetlbfs is not mounted and not root"
            self.mounted = tempfile.mkdtemp(prefix="gso-huge-")
            subprocess.run(["mount", "-t", "hugetlbfs", "nodev",
                            self.mounted], check=True)
            mnt = self.mounted
        self.mount = mnt
        return None

    def release(self):
        if self.mounted:
            subprocess.run(["umount", self.mounted])
            os.rmdir(self.mounted)
        if self.old_nr is not None:
            with open(self.path, "w") as f:
                f.write(str(self.old_nr))


def main():
    tap = Tap()
    exe = fwd_exe()
    if shutil.which("dpdk-dumpcap") is None or shutil.which("tshark") is None:
        tap.skip("dpdk-dumpcap captures gso-fwd", "dpdk-dumpcap or tshark "
                 "missing")
        return tap.done()
    huge = Hugepages()
    why = huge.acquire()
    if why:
        huge.release()
        tap.skip("dpdk-dumpcap captures gso-fwd", why)
        return tap.done()
    workdir = tempfile.mkdtemp(prefix="gso-fwd-dumpcap-")
    prefix = "fwddump%d" % os.getpid()
    fwd = None
    try:
        inp = os.path.join(workdir, "sf.pcap")
        pcap_write(inp, [tcp4_frame(pattern(16000, i), 1200 + i)
                         for i in range(4)])
        fwd = Proc([exe] + eal_args(prefix, [
            "net_pcap0,rx_pcap=%s,infinite_rx=1" % inp,
            "net_null0,no-rx=1"], mem=512, huge=True, huge_dir=huge.mount) +
            # dpdk-dumpcap maps the primary's memory at the primary's
            # addresses. Under ASan the primary's mappings land where
            # the (uninstrumented) secondary may already have its own, at
            # random: put them far from both, in ASan's high memory.
            ["--base-virtaddr", "0x200000000000"] +
            ["--", "--map", "0:1", "--mbuf-size", "16640"])
        fwd.read_until("gso-fwd: forwarding", 60)
        out = os.path.join(workdir, "capture.pcapng")

        def capture():
            r = subprocess.run(["dpdk-dumpcap", "--file-prefix", prefix,
                                "-i", "net_null0", "-c", "200", "-w", out],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True,
                               timeout=60)
            expect(r.returncode == 0, "dpdk-dumpcap failed:\n" + r.stdout)
            bad, good = tshark_bad(out)
            expect(not bad, "tshark flags captured frames %s" % bad[:10])
            r = subprocess.run(["tshark", "-n", "-r", out, "-T", "fields",
                                "-e", "frame.len", "-e", "tcp.len"],
                               stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True,
                               timeout=60)
            rows = [x.split("\t") for x in r.stdout.splitlines()]
            expect(len(rows) >= 200, "captured %d frames" % len(rows))
            expect(good >= 200, "only %d frames with a validated checksum"
                   % good)
            expect(all(int(a) <= 1514 for a, _ in rows),
                   "a captured frame is over the MTU")
        tap.run("dpdk-dumpcap captures gso-fwd's egress: MTU-sized segments,"
                " valid checksums", capture)

        def stop():
            rc, text = fwd.finish(30, signal.SIGTERM)
            _, outstanding = parse_summary(text)
            expect(rc == 0 and outstanding == 0, "exit %d, %s mbufs "
                   "outstanding:\n%s" % (rc, outstanding, text[-2000:]))
        tap.run("SIGTERM after the capture: clean stop", stop)
        fwd = None
    finally:
        if fwd is not None:
            fwd.finish(30, signal.SIGTERM)
        shutil.rmtree(workdir, ignore_errors=True)
        huge.release()
    return tap.done()


if __name__ == "__main__":
    raise SystemExit(main())
