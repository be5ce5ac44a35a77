#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""gso-fwd between real kernel peers (see fwdnetns.py for the layout).

A's kernel sends, B's kernel receives, gso-fwd (af_packet ports) forwards
in between; the path A -> fa has MTU 9000, fb -> B has MTU 1500:
  - TCP over IPv4 and over IPv6 with TSO on: the stream arrives intact
    (SHA-256 on both sides) and gso-fwd's counters show the superframes it
    segmented in software (af_packet has no TSO);
  - UDP over IPv4, datagrams of 64..8972 bytes without DF: every datagram
    arrives intact; those over B's MTU were IP-fragmented by gso-fwd (one
    datagram each, reassembled by B's kernel), and the partial checksums
    A's kernel left were completed;
  - UDP over IPv6 (and IPv4 with DF): datagrams that fit arrive intact; one
    over B's MTU is dropped and counted, never split into datagrams;
  - SIGTERM: gso-fwd stops cleanly with every mbuf returned, and no frame
    was truncated on the way in.

Usage: test_fwd_netns.py PATH-TO-gso-fwd
"""

import os
import re
import threading

from fwdnetns import (FwdStats, Telemetry, Topology, can_run,
                      check_clean_stop, fwd_start, fwd_stop, same_transfer,
                      sh, transfer)
from fwdtest import Tap, expect, fwd_exe, parse_summary

TCP_BYTES = 32 << 20
EGRESS_TO_B = 1          # net_af_packet1 on fb: FwdStats' default port


def case_tcp(ctx, tap, family, port):
    before = ctx.stats()
    tx, rx, tx_out, rx_out = transfer(ctx.topo, "tcp", family, port,
                                      ["--bytes", TCP_BYTES])
    expect(tx, "sender said nothing:\n" + tx_out)
    same_transfer(tx, rx, "TCP/IPv%d" % family)
    after = ctx.wait_stats(lambda s: s["sw_pkts"] > before["sw_pkts"])
    sf = after["fwd_mtu_superframes"] - before["fwd_mtu_superframes"]
    sw = after["sw_pkts"] - before["sw_pkts"]
    segs = after["sw_segs"] - before["sw_segs"]
    expect(sf > 0 and sw > 0 and segs > sw, "no software segmentation: "
           "%d superframes, %d segmented into %d" % (sf, sw, segs))
    tap.diag("TCP/IPv%d: %d MB in %.2f s (%.2f Gbit/s); %d superframes "
             "segmented into %d segments" % (
                 family, TCP_BYTES >> 20, float(rx["seconds"]),
                 TCP_BYTES * 8 / max(float(rx["seconds"]), 1e-9) / 1e9, sw,
                 segs))


def case_udp4(ctx, tap):
    sizes = [64, 512, 1472, 1473, 3000, 8000, 8972]
    repeat = 20
    over = sum(1 for s in sizes if s + 28 > ctx.topo.mtu_b) * repeat
    before = ctx.stats()
    tx, rx, tx_out, _ = transfer(ctx.topo, "udp", 4, 5003, [
        "--sizes", ",".join(map(str, sizes)), "--repeat", repeat,
        "--df", "off"])
    expect(tx, "sender said nothing:\n" + tx_out)
    same_transfer(tx, rx, "UDP/IPv4")
    expect(int(rx["datagrams"]) == len(sizes) * repeat, "%s datagrams "
           "received, %d sent" % (rx["datagrams"], len(sizes) * repeat))
    after = ctx.wait_stats(lambda s: s["fwd_udp_fragmented"] -
                           before["fwd_udp_fragmented"] >= over)
    frag = after["fwd_udp_fragmented"] - before["fwd_udp_fragmented"]
    fixed = after["fwd_partial_cksum_fixed"] - \
        before["fwd_partial_cksum_fixed"]
    expect(frag == over, "%d datagrams fragmented, %d were over the "
           "egress MTU" % (frag, over))
    expect(fixed > 0, "no partial checksum completed")
    tap.diag("UDP/IPv4: %d datagrams; %d IP-fragmented by gso-fwd into %d "
             "fragments; %d partial checksums completed" % (
                 len(sizes) * repeat, frag, after["fwd_udp_fragments"] -
                 before["fwd_udp_fragments"], fixed))


def case_udp_fit(ctx, tap, family):
    sizes = [64, 512, ctx.topo.mtu_b - (28 if family == 4 else 48)]
    before = ctx.stats()
    tx, rx, tx_out, _ = transfer(ctx.topo, "udp", family, 5004 + family, [
        "--sizes", ",".join(map(str, sizes)), "--repeat", 20])
    expect(tx, "sender said nothing:\n" + tx_out)
    same_transfer(tx, rx, "UDP/IPv%d" % family)
    after = ctx.wait_stats(lambda s: s["fwd_partial_cksum_fixed"] >
                           before["fwd_partial_cksum_fixed"])
    expect(after["fwd_partial_cksum_fixed"] > before["fwd_partial_cksum_fixed"],
           "no partial checksum completed")


def case_udp_oversize(ctx, tap, family, df):
    """One datagram over B's MTU (IPv6, or IPv4 with DF): dropped and
    counted; B receives nothing of it."""
    size = 3000
    before = ctx.stats()
    args = ["--sizes", size, "--window", 1, "--ack-ms", 1000]
    if family == 4:
        args += ["--df", "on" if df else "off"]
    tx, rx, tx_out, _ = transfer(ctx.topo, "udp", family, 5010 + family,
                                 args, timeout=5)
    expect(tx.get("status") == "lost", "sender: %s (expected no "
           "acknowledgement)\n%s" % (tx.get("status"), tx_out))
    expect(rx.get("datagrams") == "0", "B received %s datagrams" %
           rx.get("datagrams"))
    after = ctx.wait_stats(lambda s: s["fwd_udp_oversize_dropped"] >
                           before["fwd_udp_oversize_dropped"])
    d = after["fwd_udp_oversize_dropped"] - before["fwd_udp_oversize_dropped"]
    f = after["fwd_udp_fragmented"] - before["fwd_udp_fragmented"]
    expect(d == 1 and f == 0, "dropped %d, fragmented %d (expected 1, 0)"
           % (d, f))


def case_two_queues(exe, topo, tap):
    """Two RX queues per port (af_packet qpairs=2: the kernel's fanout
    spreads flows) dealt to two worker lcores, each with a TX queue of its
    own on the egress port; two TCP streams at once arrive intact."""
    prefix = "fwdnetq%d" % os.getpid()
    fwd = fwd_start(exe, topo.ns_f, prefix, topo.vdevs(qpairs=2),
                    ["--rxq", "2", "--mbuf-size", "65535", "--nb-mbufs",
                     "2048"], lcores="0@0,1@1,2@0")
    try:
        serving = {}
        for m in re.finditer(r"^  lcore (\d+) \(socket \d+\):(.*)$",
                             fwd.text, re.M):
            for q in re.findall(r"port 0 rxq (\d+)", m.group(2)):
                serving[int(q)] = int(m.group(1))
        expect(sorted(serving) == [0, 1] and serving[0] != serving[1],
               "port 0's queues are not on two lcores: %s\n%s" % (
                   serving, fwd.text[:2000]))
        results = {}

        def one(port, fam):
            results[port] = transfer(topo, "tcp", fam, port,
                                     ["--bytes", 8 << 20, "--seed", port])
        threads = [threading.Thread(target=one, args=(5101, 4)),
                   threading.Thread(target=one, args=(5102, 6))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for port, (tx, rx, tx_out, _) in sorted(results.items()):
            expect(tx, "sender %d said nothing:\n%s" % (port, tx_out))
            same_transfer(tx, rx, "stream %d" % port)
    finally:
        rc, text = fwd_stop(fwd)
    ports, outstanding = parse_summary(text)
    expect(rc == 0 and outstanding == 0, "exit %d, %s mbufs outstanding" % (
        rc, outstanding))
    expect(ports[1]["sw_pkts"] > 0, "nothing segmented")


def case_rss(exe):
    """net_tap has RSS: two ports with two RX queues each are configured
    with it, dealt to two lcores, and stop cleanly."""
    pid = os.getpid()
    ns, prefix = "gfrss%d" % pid, "fwdrss%d" % pid
    sh("ip", "netns", "add", ns)
    try:
        fwd = fwd_start(exe, ns, prefix,
                        ["net_tap0,iface=gfr%da" % (pid % 100000),
                         "net_tap1,iface=gfr%db" % (pid % 100000)],
                        ["--rxq", "2"], lcores="0@0,1@1,2@0")
        rc, text = fwd_stop(fwd)
    finally:
        sh("ip", "netns", "del", ns, check=False)
    for port in (0, 1):
        expect("port %d: RSS over 2 RX queues" % port in text,
               "port %d not configured with RSS:\n%s" % (port, text[:3000]))
    _, outstanding = parse_summary(text)
    expect(rc == 0 and outstanding == 0, "exit %d, %s mbufs outstanding" % (
        rc, outstanding))


def main():
    tap = Tap()
    exe = fwd_exe()
    why = can_run()
    if why:
        tap.skip("gso-fwd between kernel peers", why)
        return tap.done()
    topo = Topology("n", mtu_a=9000, mtu_b=1500)
    prefix = "fwdnetns%d" % os.getpid()
    fwd = None
    try:
        topo.create()
        fwd = fwd_start(exe, topo.ns_f, prefix, topo.vdevs(),
                        ["--mbuf-size", "65535", "--nb-mbufs", "2048"])
        ctx = FwdStats(topo, Telemetry(prefix), EGRESS_TO_B)
        tap.run("TCP/IPv4, kernel to kernel: stream intact, superframes "
                "segmented in software", case_tcp, ctx, tap, 4, 5001)
        tap.run("TCP/IPv6, kernel to kernel: stream intact, superframes "
                "segmented in software", case_tcp, ctx, tap, 6, 5002)
        tap.run("UDP/IPv4, 64..8972 B without DF: every datagram intact, "
                "those over the MTU IP-fragmented", case_udp4, ctx, tap)
        tap.run("UDP/IPv6 datagrams up to the MTU: every one intact, "
                "partial checksums completed", case_udp_fit, ctx, tap, 6)
        tap.run("UDP/IPv6 over the egress MTU: dropped and counted, never "
                "split", case_udp_oversize, ctx, tap, 6, False)
        tap.run("UDP/IPv4 with DF over the egress MTU: dropped and counted, "
                "never split", case_udp_oversize, ctx, tap, 4, True)
        rc, text = fwd_stop(fwd)
        fwd = None
        tap.run("SIGTERM: clean stop, every mbuf returned, nothing "
                "truncated", check_clean_stop, rc, text)
        tap.run("two RX queues per port on two worker lcores: two TCP "
                "streams intact", case_two_queues, exe, topo, tap)
        tap.run("RSS: net_tap ports with two RX queues each are configured "
                "with it and stop cleanly", case_rss, exe)
    finally:
        if fwd is not None:
            fwd_stop(fwd)
        topo.destroy()
    return tap.done()


if __name__ == "__main__":
    raise SystemExit(main())
