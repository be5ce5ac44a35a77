#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""A guest's TSO superframes through vhost keep their MSS.

gso-fwd owns a net_vhost port (tso=1) and a net_pcap port (tx_pcap). The
"guest" is a second DPDK process, dpdk-testpmd, with a net_virtio_user
port on gso-fwd's vhost-user socket: its csum engine reads TCP/IPv4 and
TCP/IPv6 superframes from a pcap file and sends them with TSO at MSS 1000
(tso set 1000). The virtio-net header carries the MSS; net_vhost delivers
each superframe whole, flagged RX_LRO with tso_segsz 1000; gso-fwd keeps
that metadata and the pipeline segments in software (pcap has no TSO):
  - the output is every superframe cut at MSS 1000, not at the 1448 the
    MTU would give, with valid checksums (tshark and field by field);
  - the counters say so (meta_superframes); every mbuf comes back.

Usage: test_fwd_vhost.py PATH-TO-gso-fwd
"""

import os
import shutil
import signal
import tempfile

from fwdnetns import Proc, Telemetry, poll_until
from fwdtest import (Pkt, Tap, eal_args, expect, fwd_exe, parse_summary, pattern,
                     pcap_read, pcap_write, tcp4_frame, tcp6_frame,
                     tshark_bad, verify_tcp_segments)

MSS = 1000
SUPERFRAMES = ([tcp4_frame(pattern(20000, i), 1300 + i) for i in range(4)] +
               [tcp6_frame(pattern(20000, 9), 1309)])


def sport(p):
    return int.from_bytes(p.l4_data[:2], "big")


def main():
    tap = Tap()
    exe = fwd_exe()
    testpmd = shutil.which("dpdk-testpmd")
    if testpmd is None or shutil.which("tshark") is None:
        tap.skip("vhost metadata kept", "dpdk-testpmd or tshark missing")
        return tap.done()
    workdir = tempfile.mkdtemp(prefix="gso-fwd-vhost-")
    pid = os.getpid()
    sock = os.path.join(workdir, "vhost.sock")
    inp, out = (os.path.join(workdir, n) for n in ("sf.pcap", "out.pcap"))
    empty = os.path.join(workdir, "empty.pcap")
    pcap_write(inp, SUPERFRAMES)
    pcap_write(empty, [])
    prefix = "fwdvh%d" % pid
    fwd = guest = None
    try:
        fwd = Proc([exe] + eal_args(prefix, [
            "net_vhost0,iface=%s,tso=1" % sock,
            "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (empty, out)]) +
            ["--", "--map", "0:1"])
        fwd.read_until("gso-fwd: forwarding", 60)
        # The guest: testpmd, its virtio_user port on our socket. Its
        # commands go in order through the pipe; "port stop/start 1"
        # because "tso set" wants the port stopped.
        guest = Proc([testpmd] + eal_args("guest%d" % pid, [
            "net_pcap0,rx_pcap=%s" % inp,
            "net_virtio_user0,path=%s" % sock]) +
            ["--", "-i", "--mbuf-size=32768", "--total-num-mbufs=2048",
             "--no-flush-rx"], stdin=True)
        guest.write("port stop 1\ncsum set ip sw 1\ncsum set tcp hw 1\n"
                    "tso set %d 1\nport start 1\nset fwd csum\nstart\n" % MSS)
        tel = Telemetry(prefix)
        poll_until(lambda: tel.query("/gso_fwd/stats,1"),
                   lambda st: st["fwd_tx_pkts"] >= len(SUPERFRAMES), 30)
        guest.write("stop\nquit\n")
        guest.finish(30)
        guest = None
        rc, text = fwd.finish(30, signal.SIGTERM)
        fwd = None
        ports, outstanding = parse_summary(text)

        def counters():
            expect(rc == 0 and outstanding == 0, "exit %d, %s mbufs "
                   "outstanding:\n%s" % (rc, outstanding, text[-2000:]))
            c = ports[1]
            expect(c["fwd_meta_superframes"] == len(SUPERFRAMES) and
                   c["fwd_mtu_superframes"] == 0 and
                   c["sw_pkts"] == len(SUPERFRAMES),
                   "meta %d mtu %d sw %d (expected %d, 0, %d)" % (
                       c["fwd_meta_superframes"], c["fwd_mtu_superframes"],
                       c["sw_pkts"], len(SUPERFRAMES), len(SUPERFRAMES)))
        tap.run("net_vhost delivers the guest's superframes with their MSS; "
                "gso-fwd keeps it", counters)

        def segments():
            pkts = [Pkt(f) for f in pcap_read(out)]
            bad, good = tshark_bad(out)
            expect(not bad and good > 0, "tshark flags %s" % bad[:10])
            for f in SUPERFRAMES:
                segs = [p for p in pkts if sport(p) == sport(Pkt(f))]
                expect(segs, "nothing of sport %d" % sport(Pkt(f)))
                # testpmd's csum engine rewrites the MAC addresses.
                sf = Pkt(segs[0].frame[:12] + f[12:])
                detail = verify_tcp_segments(sf, segs, 1500, MSS)
                expect(detail is None, "sport %d: %s" % (sport(sf), detail))
        tap.run("segments at the guest's MSS %d (TCP/IPv4 and TCP/IPv6), "
                "checksums valid" % MSS, segments)
    finally:
        for p in (guest, fwd):
            if p is not None:
                p.finish(10, signal.SIGTERM)
        shutil.rmtree(workdir, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    raise SystemExit(main())
