#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""Wire-to-VM with guests that come and go: gso-fwd follows what each
guest negotiated, on the same vhost-user socket, without a restart.

gso-fwd owns two net_vhost ports. Port 0 (tso=1) takes superframes with
segmentation metadata from a sender (tests/vhost_guest.c, MSS 1000 in the
virtio-net header); port 1 serves the "guest": dpdk-testpmd with a
net_virtio_user port on port 1's socket, forwarding (io) what it receives
to a pcap file. Three guests in turn on the same socket while gso-fwd
keeps running:
  1. RX offload TCP_LRO: DPDK's virtio PMD negotiates GUEST_TSO4/6 only
     with it (testpmd starts the port without it, then restarts it with
     it: the guest changes its features on a live connection). The vhost provider reports LSO IPv4/IPv6, gso-fwd's
     active set follows; every superframe reaches the guest whole
     (hw_pkts, no sw_pkts);
  2. no LRO: no guest TSO, the active set empties; every superframe is
     segmented at MSS 1000 (sw_pkts, no hw_pkts), checksums valid;
  3. TCP_LRO again: whole again.
Each time the guest's pcap holds every byte of every superframe (sha256 of
each flow's payload); a whole one carries the pseudo-header sum in its TCP
checksum (the guest completes it), segments carry valid checksums
(tshark). gso-fwd exits 0 with every mbuf returned.

Usage: test_fwd_vhost_caps.py PATH-TO-gso-fwd
"""

import hashlib
import os
import shutil
import signal
import struct
import tempfile

from fwdnetns import Proc, Telemetry, poll_until
from fwdtest import (Pkt, Tap, cksum, eal_args, expect, fwd_exe, ones_sum,
                     parse_summary, pattern, pcap_read, pcap_write, phdr,
                     tcp4_frame, tcp6_frame, tshark_bad, verify_tcp_segments)

MSS = 1000
# net_pcap writes at most 9728 bytes of a frame (its snaplen): superframes
# of 8000 bytes of payload still make 8 segments each.
PAYLOAD = 8000
SUPERFRAMES = ([tcp4_frame(pattern(PAYLOAD, i), 2100 + i) for i in range(3)] +
               [tcp6_frame(pattern(PAYLOAD, 7 + i), 2200 + i)
                for i in range(3)])
LSO = "lso4,lso6"


def sport(p):
    return int.from_bytes(p.l4_data[:2], "big")


def digest(pkts, sp):
    """sha256 of the TCP payload of flow sp, in sequence order."""
    segs = sorted((p.tcp() for p in pkts if sport(p) == sp),
                  key=lambda t: t[2])
    return hashlib.sha256(b"".join(t[8] for t in segs)).hexdigest()


def partial_cksum_ok(p):
    """A superframe handed whole: valid IPv4 header checksum (the guest
    checks it) and, in the TCP field, the pseudo-header sum a device
    leaves for the receiver with VIRTIO_NET_HDR_F_NEEDS_CSUM (the guest
    completes it, or trusts it: CHECKSUM_PARTIAL), or a complete one."""
    expect(p.ip_ok, "sport %d: IPv4 header checksum" % sport(p))
    l4 = p.l4_data
    field = struct.unpack("!H", l4[16:18])[0]
    # DPDK's convention for a TSO packet is the sum without the length
    # (rte_net_intel_cksum_prepare(), which 22.11's lib/vhost applies in
    # virtio_enqueue_offload()); Linux's own GSO packets carry it with the
    # length. Measured here: without. A Linux guest receiving for itself
    # trusts CHECKSUM_PARTIAL either way (test_fwd_vhost_vm.py checks that
    # end to end).
    ph_nolen = ones_sum(phdr(p.v6, p.src, p.dst, 6, 0))
    ph = ones_sum(phdr(p.v6, p.src, p.dst, 6, len(l4)))
    whole = cksum(phdr(p.v6, p.src, p.dst, 6, len(l4)) + l4) == 0
    expect(field in (ph_nolen, ph) or whole, "sport %d: TCP checksum field "
           "%#x, pseudo-header sum %#x (%#x without length)" % (
               sport(p), field, ph, ph_nolen))


def main():
    tap = Tap()
    exe = fwd_exe()
    testpmd = shutil.which("dpdk-testpmd")
    sender = os.environ.get("GSO_VHOST_GUEST")
    if None in (testpmd, shutil.which("tshark"), shutil.which("stdbuf")):
        tap.skip("guests come and go", "dpdk-testpmd, tshark or stdbuf "
                 "missing")
        return tap.done()
    if not sender or not os.access(sender, os.X_OK):
        tap.skip("guests come and go", "GSO_VHOST_GUEST not given")
        return tap.done()
    workdir = tempfile.mkdtemp(prefix="gso-fwd-vhcaps-")
    pid = os.getpid()
    sock_in = os.path.join(workdir, "in.sock")
    sock_out = os.path.join(workdir, "out.sock")
    inp = os.path.join(workdir, "sf.pcap")
    pcap_write(inp, SUPERFRAMES)
    prefix = "fwdvc%d" % pid
    fwd = guest = snd = None
    try:
        fwd = Proc([exe] + eal_args(prefix, [
            "net_vhost0,iface=%s,tso=1" % sock_in,
            "net_vhost1,iface=%s,tso=1" % sock_out]) +
            ["--", "--map", "0:1"])
        fwd.read_until("gso-fwd: forwarding", 60)
        tel = Telemetry(prefix)

        def active():
            return tel.query("/gso_fwd/offload,1")["active"]

        def stats():
            return tel.query("/gso_fwd/stats,1")

        def link():
            return tel.query("/ethdev/link_status,1")["status"]

        def guest_sent(proc):
            """TX-packets of the guest's pcap port (testpmd port 1)."""
            since = len(proc.text)
            proc.write("show port stats 1\n")
            text = proc.read_until("TX-packets", 10, since)
            return int(text[since:].split("TX-packets:")[1].split()[0])

        expect_none = active()
        tap.ok(expect_none != LSO, "no guest: nothing active on the vhost "
               "port (%s)" % expect_none)

        for g, lro in enumerate((True, False, True)):
            out = os.path.join(workdir, "out%d.pcap" % g)
            want = LSO if lro else expect_none
            # stdbuf: testpmd's printf()s (port stats) are read as they
            # come, not when it exits.
            guest = Proc(["stdbuf", "-oL", testpmd] + eal_args("guestvc%d%d" % (g, pid), [
                "net_virtio_user0,path=%s,mrg_rxbuf=1" % sock_out,
                "net_pcap0,tx_pcap=%s" % out]) +
                ["--", "-i", "--total-num-mbufs=4096", "--no-flush-rx",
                 "--forward-mode=io"], stdin=True)
            # LRO on the virtio port only (--enable-lro would ask it of
            # the pcap port too, which refuses): the port restarts with
            # it, the guest renegotiates on the same connection.
            # TCP_CKSUM with it: DPDK's virtio PMD asks for GUEST_CSUM only
            # with an RX checksum offload, and a guest with GUEST_TSO4/6
            # but not GUEST_CSUM (which the virtio spec forbids) gets no
            # hardware LSO from the vhost provider.
            guest.write(("port stop 0\nport config 0 rx_offload tcp_lro on\n"
                         "port config 0 rx_offload tcp_cksum on\n"
                         "port start 0\n" if lro else "") + "start\n")
            guest.read_until("testpmd>", 60)
            got = poll_until(lambda: (link(), active()),
                             lambda v: v == ("UP", want), 20)
            tap.ok(got == ("UP", want), "guest %d (LRO %s): active %s on "
                   "the same socket, gso-fwd running" % (g, lro, got[1]),
                   "expected %s, link %s" % (want, got[0]))
            before = stats()
            snd = Proc([sender] + eal_args("sendvc%d%d" % (g, pid), [
                "net_virtio_user0,path=%s" % sock_in]) +
                ["--", inp, str(MSS)], stdin=True)
            snd.read_until("sent ", 60)
            n_out = len(SUPERFRAMES) * (1 if lro else PAYLOAD // MSS)
            # The port's TX count moves inside rte_eth_tx_burst(), the
            # pipeline's path counters once it returns: wait for both,
            # or a read in between sees the packets sent but no path.
            after = poll_until(stats, lambda s: s["tx_pkts"] -
                               before["tx_pkts"] >= n_out and
                               s["hw_pkts"] + s["sw_pkts"] -
                               before["hw_pkts"] - before["sw_pkts"] >=
                               len(SUPERFRAMES), 30)
            snd.write("\n")
            snd.finish(30)
            snd = None
            # The guest's pcap is complete once testpmd has forwarded
            # every packet gso-fwd handed it: poll its port counters.
            guest_tx = poll_until(lambda: guest_sent(guest),
                                  lambda n: n >= n_out, 30)
            guest.write("stop\nquit\n")
            guest.finish(30)
            guest = None
            d = {k: after[k] - before[k] for k in
                 ("tx_pkts", "hw_pkts", "sw_pkts", "fwd_meta_superframes")}
            d["guest_forwarded"] = guest_tx

            def counters():
                expect(d["tx_pkts"] == n_out and guest_tx == n_out and
                       d["fwd_meta_superframes"] == len(SUPERFRAMES), str(d))
                if lro:
                    expect(d["hw_pkts"] == len(SUPERFRAMES) and
                           d["sw_pkts"] == 0, "not handed whole: %s" % d)
                else:
                    expect(d["sw_pkts"] == len(SUPERFRAMES) and
                           d["hw_pkts"] == 0, "not segmented: %s" % d)
            tap.run("guest %d: counters say %s" % (
                g, "handed whole (hw_pkts)" if lro else
                "segmented in software (sw_pkts)"), counters)

            def delivered():
                pkts = [Pkt(f) for f in pcap_read(out)]
                expect(len(pkts) == n_out, "%d packets in the guest, "
                       "expected %d" % (len(pkts), n_out))
                if not lro:
                    bad, good = tshark_bad(out)
                    expect(not bad and good > 0, "tshark flags %s" % bad[:10])
                for f in SUPERFRAMES:
                    sf = Pkt(f)
                    mine = [p for p in pkts if sport(p) == sport(sf)]
                    expect(digest(mine, sport(sf)) ==
                           hashlib.sha256(sf.tcp()[8]).hexdigest(),
                           "sport %d: payload differs" % sport(sf))
                    if lro:
                        expect(len(mine) == 1 and
                               len(mine[0].frame) == len(f),
                               "sport %d: not whole" % sport(sf))
                        partial_cksum_ok(mine[0])
                    else:
                        detail = verify_tcp_segments(sf, mine, 1500, MSS)
                        expect(detail is None, "sport %d: %s" % (
                            sport(sf), detail))
            tap.run("guest %d: every superframe %s, sha256 of each flow "
                    "intact" % (g, "whole" if lro else "in MSS %d segments"
                                % MSS), delivered)
            gone = poll_until(lambda: (link(), active()),
                              lambda v: v == ("DOWN", expect_none), 20)
            tap.ok(gone == ("DOWN", expect_none), "guest %d gone: link "
                   "down, nothing active" % g, str(gone))

        rc, text = fwd.finish(30, signal.SIGTERM)
        fwd = None
        _, outstanding = parse_summary(text)
        tap.ok(rc == 0 and outstanding == 0, "gso-fwd exits 0, every mbuf "
               "returned", "exit %d, %s outstanding" % (rc, outstanding))
    finally:
        for p in (snd, guest, fwd):
            if p is not None:
                p.finish(10, signal.SIGTERM)
        shutil.rmtree(workdir, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    raise SystemExit(main())
