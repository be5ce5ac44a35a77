#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""Hostile input through gso-fwd (issue 16): the catalog of
hostile_frames.py, interleaved with valid traffic, by three ways in:
  - pcap (net_pcap rx_pcap -> gso-fwd -> tx_pcap, --idle-exit; frames
    over 64 KB arrive as mbuf chains): each hostile frame counted under
    its reason and nothing else, every valid frame out byte-identical or
    segmented correctly (checksums valid), nothing else out, exit 0 with
    every mbuf returned;
  - a kernel peer (af_packet): a raw socket in namespace A sends the
    catalog over a veth to gso-fwd's net_af_packet port while A's kernel
    streams TCP to B through gso-fwd: the stream arrives intact (SHA-256),
    the catalog's valid frames arrive as they should (captured in B), the
    counters per reason are as expected;
  - vhost (a virtio_user guest): the cases that need metadata (tso_segsz
    with TCP_SEG). testpmd's csum engine sends SYN/RST/data offset 4
    flagged for segmentation and an MSS over what the MTU allows (one
    virtio_user port per MSS); tests/vhost_guest.c sends what testpmd
    will not: pure ACKs flagged for segmentation (issue 16 defect 1: they
    crashed gso-fwd) and MSS 0.

Usage: test_fwd_hostile.py PATH-TO-gso-fwd
"""

import collections
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading

import hostile_frames as hf
from fwdnetns import (Proc, Telemetry, Topology, can_run, fwd_start,
                      fwd_stop, poll_until, transfer)
from fwdtest import (Check, Pkt, Tap, eal_args, expect, fwd_exe, parse_summary,
                     pcap_read, pcap_write, run_fwd, tshark_bad,
                     verify_tcp_segments)

HERE = os.path.dirname(os.path.abspath(__file__))


def read_out(path):
    """What gso-fwd wrote; nothing if it died before writing the pcap
    header (its exit status is judged apart)."""
    try:
        return pcap_read(path) if os.path.exists(path) else []
    except Check:
        return []


def parse(frame):
    """Pkt of an output frame, None when it is none of ours (a runt, ...)."""
    try:
        p = Pkt(frame)
        return p if (p.v4 or p.v6) else None
    except (IndexError, ValueError, Exception):
        return None


def tcp_sport(p):
    if p is None or p.proto != 6 or p.is_fragment() or len(p.l4_data) < 20:
        return None
    return int.from_bytes(p.l4_data[:2], "big")


def check_output(cases, frames, mtu=hf.MTU, mss_cap=None):
    """What left gso-fwd is exactly: the "pass" frames, byte-identical and
    in order, and the segments of each valid superframe (verified field
    by field). Returns None; raises Check."""
    pass_frames = [c.frame for c in cases if c.verdict == "pass"]
    passset = set(pass_frames)
    got_pass = [f for f in frames if f in passset]
    expect(got_pass == pass_frames, "pass frames: %d of %d out identical "
           "and in order" % (sum(1 for a, b in zip(got_pass, pass_frames)
                                if a == b), len(pass_frames)))
    pkts = [parse(f) for f in frames if f not in passset]
    accounted = len(got_pass)
    for c in cases:
        if c.verdict != "segment":
            continue
        sf = Pkt(c.frame)
        segs = [p for p in pkts if tcp_sport(p) == tcp_sport(sf)]
        detail = verify_tcp_segments(sf, segs, mtu, mss_cap)
        expect(detail is None, "%s: %s" % (c.name, detail))
        accounted += len(segs)
    expect(accounted == len(frames), "%d frames out, %d accounted for "
           "(something hostile left the forwarder)" % (len(frames),
                                                       accounted))


def check_counters(c, cases, ignore=()):
    """Each reason counted exactly as often as the catalog says; every
    other drop counter 0 (counters in ignore not judged)."""
    want = hf.expected(cases)
    bad = []
    for k in (set(hf.DROP_COUNTERS) | set(want)) - set(ignore):
        if c.get(k, -1) != want.get(k, 0):
            bad.append("%s=%s (expected %d)" % (k, c.get(k), want.get(k, 0)))
    expect(not bad, ", ".join(sorted(bad)))


# ------------------------------------------------------------------ pcap


def run_pcap(exe, workdir):
    cases = hf.catalog()
    inp = os.path.join(workdir, "in.pcap")
    out = os.path.join(workdir, "out.pcap")
    pcap_write(inp, [c.frame for c in cases])
    rc, log = run_fwd(exe, eal_args("fwdhost%d" % os.getpid(), [
        "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (inp, out)]),
        ["--idle-exit", "300"])
    ports, outstanding = parse_summary(log)
    frames = read_out(out)
    return cases, rc, log, ports, outstanding, frames, out


def pcap_cases(tap, exe, workdir):
    cases, rc, log, ports, outstanding, frames, _ = run_pcap(exe, workdir)

    def clean():
        expect(rc == 0, "exit status %d:\n%s" % (rc, log[-3000:]))
        expect(outstanding == 0, "mbufs outstanding: %s" % outstanding)
        expect(0 in ports, "no summary:\n" + log[-3000:])
    tap.run("pcap: %d frames (%d hostile): gso-fwd exits 0, every mbuf "
            "returned" % (len(cases), sum(c.verdict == "drop"
                                          for c in cases)), clean)
    c = ports.get(0, {})
    tap.run("pcap: each hostile frame counted under its reason, no other "
            "drop", check_counters, c, cases)
    tap.run("pcap: superframes and pass frames as the catalog says",
            lambda: expect(c.get("rx_pkts") == len(cases) and
                           c.get("tx_pkts") == len(frames),
                           "rx %s (sent %d), tx %s (out %d)" % (
                               c.get("rx_pkts"), len(cases),
                               c.get("tx_pkts"), len(frames))))
    tap.run("pcap: valid frames out byte-identical or segmented correctly, "
            "nothing else out", check_output, cases, frames)

    def tshark():
        # Hostile frames that pass (a cut TCP header under the MTU, ...)
        # leave as they came, which the byte-identical check proves; what
        # tshark judges is what gso-fwd made or the valid frames.
        odd = {c.frame for c in cases
               if c.verdict == "pass" and not c.name.startswith("valid")}
        path = os.path.join(workdir, "judged.pcap")
        pcap_write(path, [f for f in frames if f not in odd])
        bad, good = tshark_bad(path)
        expect(not bad and good > 0, "tshark flags frames %s" % bad[:20])
    tap.run("pcap: tshark finds no bad checksum or malformed frame in what "
            "gso-fwd made or the valid frames", tshark)
    if rc != 0 or outstanding != 0:
        tap.diag(log[-4000:])

# ------------------------------------------------------------- af_packet


def netns_cases(tap, exe, workdir):
    why = can_run()
    if why:
        tap.skip("af_packet: hostile frames from a kernel peer", why)
        return
    cases = [c for c in hf.catalog() if c.wire]
    topo = Topology("h", mtu_a=9000, mtu_b=1500)
    prefix = "fwdhostns%d" % os.getpid()
    script = os.path.join(HERE, "hostile_frames.py")
    sniffed = os.path.join(workdir, "sniffed.pcap")
    fwd = sniffer = None
    try:
        topo.create()
        fwd = fwd_start(exe, topo.ns_f, prefix, topo.vdevs(),
                        ["--mbuf-size", "65535", "--nb-mbufs", "2048"])
        tel = Telemetry(prefix)
        sniffer = Proc(["ip", "netns", "exec", topo.ns_b, sys.executable,
                        "-B", script, "sniff", topo.b0, sniffed])
        sniffer.read_until("ready", 20)
        result = {}

        def stream():
            result["tcp"] = transfer(topo, "tcp", 4, 5201,
                                     ["--bytes", 8 << 20])
        t = threading.Thread(target=stream)
        t.start()
        r = subprocess.run(["ip", "netns", "exec", topo.ns_a,
                            sys.executable, "-B", script, "send", topo.a0],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True, timeout=60)
        t.join()
        src, sniff_text = sniffer.finish(30)
        sniffer = None

        def stream_ok():
            tx, rx, tx_out, _ = result["tcp"]
            expect(r.returncode == 0, "raw sender: %s" % r.stdout)
            expect(tx.get("status") == "ok" and rx.get("status") == "ok",
                   "sender %s, receiver %s\n%s" % (tx.get("status"),
                                                   rx.get("status"), tx_out))
            expect(tx["sha256"] == rx["sha256"] and
                   tx["bytes"] == rx["bytes"], "stream damaged")
        tap.run("af_packet: a kernel TCP stream through gso-fwd beside the "
                "catalog arrives intact (SHA-256)", stream_ok)

        def arrived():
            expect(os.path.exists(sniffed), "sniffer: %s" % sniff_text)
            frames = pcap_read(sniffed)
            # Only what the catalog sent: the stream has other ports.
            mine = [f for f in frames if f in {c.frame for c in cases} or
                    tcp_sport(parse(f)) in
                    {tcp_sport(Pkt(c.frame)) for c in cases
                     if c.verdict == "segment"}]
            check_output(cases, mine)
        tap.run("af_packet: the catalog's valid frames arrive in B "
                "byte-identical or segmented correctly; nothing hostile",
                arrived)
        # The catalog ended with END_MARK, which B saw: what gso-fwd
        # counts for it is counted by now, or within a burst.
        poll_until(lambda: tel.query("/gso_fwd/stats,1"),
                   lambda s: sum(s.get(k, 0) for k in hf.DROP_COUNTERS) >=
                   sum(c.verdict == "drop" for c in cases), 10)
        rc, text = fwd_stop(fwd)
        fwd = None
        ports, outstanding = parse_summary(text)

        def counters():
            expect(rc == 0 and outstanding == 0, "exit %d, %s mbufs "
                   "outstanding\n%s" % (rc, outstanding, text[-3000:]))
            # The stream's superframes and small frames, the kernel's
            # noise: only the drops are the catalog's alone.
            check_counters(ports[1], cases, ("pass_pkts",
                                             "fwd_mtu_superframes",
                                             "sw_pkts"))
        tap.run("af_packet: each hostile frame counted under its reason; "
                "exit 0, every mbuf returned", counters)
    finally:
        for p in (sniffer, fwd):
            if p is not None:
                p.finish(10, signal.SIGTERM)
        topo.destroy()

# ----------------------------------------------------------------- vhost


def vhost_fwd(exe, workdir, tag, n, total, start_guest, stop_guest):
    """gso-fwd with n net_vhost ports (tso=1) forwarding into a net_pcap
    port; start_guest(sockets) starts the guest (a Proc); once gso-fwd has
    received total frames, stop_guest(proc) ends it and gso-fwd stops.
    Returns (rc, text, summary ports, outstanding, frames out, what
    stop_guest returned)."""
    pid = os.getpid()
    out = os.path.join(workdir, "vh-%s-out.pcap" % tag)
    empty = os.path.join(workdir, "vh-empty.pcap")
    pcap_write(empty, [])
    socks = [os.path.join(workdir, "vh-%s-%d.sock" % (tag, i))
             for i in range(n)]
    vdevs = ["net_vhost%d,iface=%s,tso=1" % (i, sock)
             for i, sock in enumerate(socks)]
    vdevs.append("net_pcap%d,rx_pcap=%s,tx_pcap=%s" % (n, empty, out))
    prefix = "fwdhvh%s%d" % (tag, pid)
    fwd = guest = None
    try:
        fwd = Proc([exe] + eal_args(prefix, vdevs) + [
            "--", "--map", ",".join("%d:%d" % (i, n) for i in range(n))])
        fwd.read_until("gso-fwd: forwarding", 60)
        guest = start_guest(socks)
        tel = Telemetry(prefix)

        def received():
            try:
                return sum(tel.query("/gso_fwd/stats,%d" % i)["rx_pkts"]
                           for i in range(n))
            except OSError:
                return None      # gso-fwd is gone: its exit status says why
        poll_until(received, lambda v: v is None or v >= total, 30)
        g, guest = guest, None
        result = stop_guest(g)
        rc, text = fwd.finish(30, signal.SIGTERM)
        fwd = None
    finally:
        for p in (guest, fwd):
            if p is not None:
                p.finish(10, signal.SIGTERM)
    ports, outstanding = parse_summary(text)
    frames = read_out(out)
    return rc, text, ports, outstanding, frames, result


def vhost_run(exe, workdir, groups, tag):
    """testpmd as the guest, one virtio_user port per (MSS, frames) group,
    each fed by its own pcap file, TSO at that group's MSS."""
    testpmd = shutil.which("dpdk-testpmd")
    guest_vdevs, cmds = [], ["port stop all"]
    for i, (mss, frames) in enumerate(groups):
        inp = os.path.join(workdir, "vh-%s-%d.pcap" % (tag, i))
        pcap_write(inp, frames)
        guest_vdevs.append("net_pcap%d,rx_pcap=%s" % (i, inp))
        port = 2 * i + 1
        cmds += ["csum set ip sw %d" % port, "csum set tcp hw %d" % port,
                 "tso set %d %d" % (mss, port)]

    def start(socks):
        vdevs = []
        for i, sock in enumerate(socks):
            vdevs += [guest_vdevs[i], "net_virtio_user%d,path=%s" % (i, sock)]
        g = Proc([testpmd] + eal_args("guesth%s%d" % (tag, os.getpid()),
                                      vdevs) +
                 ["--", "-i", "--mbuf-size=32768", "--total-num-mbufs=2048",
                  "--no-flush-rx"], stdin=True)
        g.write("\n".join(cmds + ["port start all", "set fwd csum", "start",
                                  ""]))
        return g

    def stop(g):
        g.write("stop\nquit\n")
        return g.finish(30)
    rc, text, ports, outstanding, frames, _ = vhost_fwd(
        exe, workdir, tag, len(groups), sum(len(f) for _, f in groups),
        start, stop)
    return rc, text, ports, outstanding, frames, len(groups)


def vhost_cases(tap, exe, workdir):
    if shutil.which("dpdk-testpmd") is None:
        tap.skip("vhost: hostile superframes with metadata",
                 "dpdk-testpmd missing")
        return
    groups = collections.OrderedDict()
    for name, frame, mss, verdict, counter in hf.VHOST_CASES:
        groups.setdefault(mss, []).append(frame)
    rc, text, ports, outstanding, frames, n = vhost_run(
        exe, workdir, list(groups.items()), "cat")

    def counters():
        expect(rc == 0 and outstanding == 0, "exit %d, %s mbufs "
               "outstanding\n%s" % (rc, outstanding, text[-3000:]))
        c = ports[n]
        want = collections.Counter()
        for name, frame, mss, verdict, counter in hf.VHOST_CASES:
            if verdict == "drop":
                want[counter] += 1
        bad = ["%s=%s (expected %d)" % (k, c.get(k), want.get(k, 0))
               for k in set(hf.DROP_COUNTERS) | set(want)
               if c.get(k) != want.get(k, 0)]
        nmeta = len(hf.VHOST_CASES)
        if c.get("fwd_meta_superframes") != nmeta:
            bad.append("fwd_meta_superframes=%s (expected %d)" % (
                c.get("fwd_meta_superframes"), nmeta))
        expect(not bad, ", ".join(sorted(bad)))
    tap.run("vhost: SYN/RST/data offset 4 flagged for segmentation, MSS "
            "over the MTU: each counted under its reason; exit 0, every "
            "mbuf returned", counters)

    def segments():
        out = [parse(f) for f in frames]
        expect(all(p is not None for p in out), "an unparseable frame out")
        for name, frame, mss, verdict, counter in hf.VHOST_CASES:
            sport = tcp_sport(Pkt(frame))
            segs = [p for p in out if tcp_sport(p) == sport]
            if verdict == "drop":
                expect(not segs, "%s: %d frames out" % (name, len(segs)))
                continue
            # testpmd's csum engine rewrites the MAC addresses.
            sf = Pkt(segs[0].frame[:12] + frame[12:]) if segs else Pkt(frame)
            detail = verify_tcp_segments(sf, segs, hf.MTU, mss)
            expect(detail is None, "%s: %s" % (name, detail))
    tap.run("vhost: the valid superframe around them segmented at the "
            "guest's MSS, nothing hostile out", segments)


def vhost_guest_cases(tap, exe, workdir):
    """vhost_guest.c as the guest: pure ACKs flagged for segmentation
    (issue 16 defect 1), MSS 0."""
    guest = os.environ.get("GSO_VHOST_GUEST")
    if not guest or not os.access(guest, os.X_OK):
        tap.skip("vhost: pure ACKs and MSS 0 flagged for segmentation",
                 "GSO_VHOST_GUEST (tests/vhost_guest) not given")
        return
    cases = hf.VHOST_GUEST_CASES
    inp = os.path.join(workdir, "vg.pcap")
    pcap_write(inp, [c[1] for c in cases])

    def start(socks):
        g = Proc([guest] + eal_args("guestg%d" % os.getpid(), [
            "net_virtio_user0,path=%s" % socks[0]]) +
            ["--", inp, ",".join(str(c[2]) for c in cases)], stdin=True)
        g.read_until("sent ", 60)
        return g

    def stop(g):
        g.write("\n")
        return g.finish(30)
    rc, text, ports, outstanding, frames, (grc, gtext) = vhost_fwd(
        exe, workdir, "g", 1, len(cases), start, stop)

    def counters():
        expect(grc == 0, "guest: exit %d\n%s" % (grc, gtext[-2000:]))
        expect(rc == 0 and outstanding == 0, "gso-fwd: exit %d, %s mbufs "
               "outstanding\n%s" % (rc, outstanding, text[-3000:]))
        c = ports[1]
        nfin = sum(1 for x in cases if x[3] == "finalize")
        nseg = sum(1 for x in cases if x[3] == "segment")
        want = {"finalized": nfin, "fwd_meta_superframes": nfin,
                "fwd_mtu_superframes": nseg, "sw_pkts": nseg}
        bad = ["%s=%s (expected %d)" % (k, c.get(k), v)
               for k, v in want.items() if c.get(k) != v]
        bad += ["%s=%s" % (k, c[k]) for k in hf.DROP_COUNTERS if c.get(k)]
        expect(not bad, ", ".join(bad))
    tap.run("vhost guest: pure ACK and 1-byte segment flagged for "
            "segmentation (defect 1) finalized, MSS 0 taken as no metadata; "
            "exit 0, every mbuf returned", counters)

    def output():
        out_pkts = [parse(f) for f in frames]
        for name, frame, mss, verdict, _ in cases:
            sport = tcp_sport(Pkt(frame))
            got = [p for p in out_pkts if tcp_sport(p) == sport]
            if verdict == "segment":
                detail = verify_tcp_segments(Pkt(frame), got, hf.MTU)
                expect(detail is None, "%s: %s" % (name, detail))
                continue
            expect(len(got) == 1, "%s: %d frames out" % (name, len(got)))
            p, want = got[0], Pkt(frame)
            expect(p.ip_ok and p.l4_ok(), "%s: bad checksum" % name)
            # All but the TCP checksum field, which the guest left partial.
            expect(p.frame[:p.l2 + p.l3 + 16] ==
                   want.frame[:want.l2 + want.l3 + 16] and
                   p.frame[p.l2 + p.l3 + 18:] ==
                   want.frame[want.l2 + want.l3 + 18:],
                   "%s: changed on the way" % name)
        expect(len(frames) == sum(
            1 if x[3] == "finalize" else
            len([p for p in out_pkts if tcp_sport(p) == tcp_sport(Pkt(x[1]))])
            for x in cases), "%d frames out: something else left" %
            len(frames))
    tap.run("vhost guest: each leaves whole with valid checksums, or cut "
            "at the MTU's MSS; nothing else out", output)


def main():
    tap = Tap()
    exe = fwd_exe()
    if shutil.which("tshark") is None:
        tap.skip("hostile input through gso-fwd", "tshark is not installed")
        return tap.done()
    workdir = tempfile.mkdtemp(prefix="gso-fwd-hostile-")
    try:
        pcap_cases(tap, exe, workdir)
        netns_cases(tap, exe, workdir)
        vhost_cases(tap, exe, workdir)
        vhost_guest_cases(tap, exe, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    raise SystemExit(main())
