#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""gso-fwd, pcap in and pcap out (net_pcap rx_pcap/tx_pcap, one-shot).

A file of superframes and ordinary frames goes through gso-fwd, which
exits by itself once the port is idle (--idle-exit). Then:
  - tshark, with IPv4/TCP/UDP checksum validation on, finds no bad
    checksum, malformed packet or expert error in the output; and it does
    flag a corrupted copy (the oracle can fail);
  - frames at or below the MTU come out byte-identical, in order;
  - every TCP superframe (IPv4, IPv4 options, VLAN, IPv6, FIN/CWR, a
    sequence wrap, just over the MTU) comes out as the segments TCP
    segmentation makes at the MSS the MTU allows (verified here, field by
    field, independently of DPDK);
  - a UDP frame over the MTU without metadata is never split into several
    UDP datagrams: IPv4 without DF leaves as the IP fragments of that one
    datagram; with DF, over IPv6, or with --udp-oversize drop it is dropped
    and counted;
  - a truncated frame is dropped and counted; the counters match the input;
    every mbuf is back in its pool at exit.

Usage: test_fwd_pcap.py PATH-TO-gso-fwd
"""

import os
import shutil
import tempfile

from fwdtest import (Check, Pkt, Tap, TCP_ACK, TCP_CWR, TCP_FIN, TCP_PSH,
                     eal_args, eth, expect, fwd_exe, ipv4, parse_summary,
                     pattern, pcap_read, pcap_write, reassemble_ipv4,
                     run_fwd, tcp, tcp4_frame, tcp6_frame, tshark_bad,
                     udp4_frame, udp6_frame, verify_tcp_segments)

MTU = 1500
IP_OPTIONS = bytes([1, 1, 1, 0])          # NOP NOP NOP EOL

# name -> frame; TCP superframes (over the MTU)
SUPERFRAMES = [
    ("TCP/IPv4 64000 B, timestamps", tcp4_frame(pattern(64000, 1), 1001)),
    ("TCP/IPv4 FIN+PSH+CWR, no options",
     tcp4_frame(pattern(10000, 2), 1002, options=b"",
                flags=TCP_ACK | TCP_PSH | TCP_FIN | TCP_CWR)),
    ("TCP/IPv4 with IP options", tcp4_frame(pattern(20000, 3), 1003,
                                            ip_options=IP_OPTIONS)),
    ("TCP/IPv4 VLAN-tagged", tcp4_frame(pattern(8000, 4), 1004, vlan=100)),
    ("TCP/IPv6 30000 B", tcp6_frame(pattern(30000, 5), 1005)),
    ("TCP/IPv4 one byte over the MTU", tcp4_frame(pattern(1449, 6), 1006)),
    ("TCP/IPv4 sequence wrap", tcp4_frame(pattern(9000, 7), 1007,
                                          seq=0xFFFFF000)),
]

# Frames at or below the MTU: must come out byte-identical.
SMALL = [
    tcp4_frame(pattern(100, 11), 2001),
    tcp4_frame(pattern(MTU - 20 - 32, 12), 2002),            # exactly MTU
    udp4_frame(pattern(200, 13), 2003, ident=0x2003),
    udp6_frame(pattern(MTU - 48, 14), 2004),                 # exactly MTU
    eth(bytes(46), 0x0806),                                  # ARP-sized
    tcp6_frame(pattern(MTU - 40 - 32, 16), 2006),            # exactly MTU
    eth(pattern(500, 17), 0x88B5),                           # not IP
]

UDP_FRAG = udp4_frame(pattern(5000, 21), 3001, df=False, ident=0x3001)
UDP_DF = udp4_frame(pattern(5000, 22), 3002, df=True, ident=0x3002)
UDP_V6 = udp6_frame(pattern(5000, 23), 3003)
# IPv4 says 1000 bytes, the frame holds 600 (as af_packet truncates).
TRUNCATED = eth(ipv4(tcp(pattern(546, 24), 4001, options=b""), 6,
                     total_length=1000), 0x0800)


def sport_of(p):
    if (p.v4 or p.v6) and p.proto in (6, 17) and p.first_fragment():
        return int.from_bytes(p.l4_data[:2], "big")
    return None


class Run:
    """One gso-fwd run over a pcap file."""

    def __init__(self, exe, workdir, tag, frames, app_args=()):
        self.inp = os.path.join(workdir, "in-%s.pcap" % tag)
        self.out = os.path.join(workdir, "out-%s.pcap" % tag)
        self.sent = frames
        pcap_write(self.inp, frames)
        vdev = "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (self.inp, self.out)
        prefix = "fwdpcap%s%d" % (tag, os.getpid())
        self.rc, self.log = run_fwd(exe, eal_args(prefix, [vdev]),
                                    ["--idle-exit", "300"] + list(app_args))
        self.ports, self.outstanding = parse_summary(self.log)
        self.frames = pcap_read(self.out) if os.path.exists(self.out) else []
        self.pkts = [Pkt(f) for f in self.frames]

    def counters(self):
        expect(0 in self.ports, "no summary for port 0:\n" + self.log[-3000:])
        return self.ports[0]

    def by_sport(self, sport):
        return [p for p in self.pkts if sport_of(p) == sport]


def case_clean_exit(r):
    expect(r.rc == 0, "exit status %d:\n%s" % (r.rc, r.log[-3000:]))
    expect(r.outstanding == 0, "mbufs outstanding: %s" % r.outstanding)
    expect(len(r.frames) > 0, "nothing written to %s" % r.out)


def case_tshark_clean(r):
    bad, good = tshark_bad(r.out)
    expect(not bad, "tshark flags frames %s" % bad[:20])
    expect(good > 0, "tshark validated no checksum at all")


def case_tshark_can_fail(r, workdir):
    """Corrupt one payload byte of a segment: tshark must flag it."""
    frames = list(r.frames)
    idx = next(i for i, p in enumerate(r.pkts) if sport_of(p) == 1001)
    f = bytearray(frames[idx])
    f[-1] ^= 0xFF
    frames[idx] = bytes(f)
    path = os.path.join(workdir, "corrupted.pcap")
    pcap_write(path, frames)
    bad, _ = tshark_bad(path)
    expect(bad == [idx + 1], "tshark flagged %s, expected [%d]" % (
        bad, idx + 1))


def case_small_identical(r):
    small = set(SMALL)
    want = [f for f in r.sent if f in small]
    got = [f for f in r.frames if f in small]
    expect(got == want, "%d of %d small frames came out identical, in "
           "order" % (sum(1 for a, b in zip(got, want) if a == b),
                      len(want)))


def case_superframe(r, frame, mss_cap=None):
    sf = Pkt(frame)
    segs = r.by_sport(sport_of(sf))
    detail = verify_tcp_segments(sf, segs, MTU, mss_cap)
    expect(detail is None, detail or "")


def case_udp_fragments(r):
    src = Pkt(UDP_FRAG)
    frags = [p for p in r.pkts if p.v4 and p.proto == 17 and
             p.ident == src.ident]
    expect(len(frags) >= 2, "%d fragments of the datagram" % len(frags))
    expect(all(p.is_fragment() for p in frags), "not all are fragments")
    heads = [p for p in frags if p.first_fragment()]
    expect(len(heads) == 1, "%d UDP headers: the datagram was split into "
           "datagrams" % len(heads))
    expect(all(p.ip_len <= MTU for p in frags), "a fragment over the MTU")
    data = reassemble_ipv4(frags)
    expect(data == src.l4_data, "reassembled datagram differs")
    whole = Pkt(UDP_FRAG)
    expect(whole.l4_ok(), "the datagram's UDP checksum is not valid")
    c = r.counters()
    expect(c["fwd_udp_fragmented"] == 1 and
           c["fwd_udp_fragments"] == len(frags),
           "counters: fragmented %d fragments %d" % (
               c["fwd_udp_fragmented"], c["fwd_udp_fragments"]))


def case_udp_not_split(r, dropped_frames, want_dropped):
    for fr in dropped_frames:
        p = Pkt(fr)
        sport = sport_of(p)
        expect(not r.by_sport(sport), "UDP sport %d left the forwarder" %
               sport)
        if p.v4:
            expect(not [q for q in r.pkts if q.v4 and q.proto == 17 and
                        q.ident == p.ident], "fragments of a dropped "
                   "datagram left the forwarder")
    c = r.counters()
    expect(c["fwd_udp_oversize_dropped"] == want_dropped,
           "udp_oversize_dropped %d, expected %d" % (
               c["fwd_udp_oversize_dropped"], want_dropped))


def case_truncated(r):
    expect(not r.by_sport(4001), "the truncated frame left the forwarder")
    c = r.counters()
    expect(c["fwd_malformed_dropped"] == 1, "malformed_dropped %d" %
           c["fwd_malformed_dropped"])


def case_counters(r):
    c = r.counters()
    n_sf = len(SUPERFRAMES)
    segs = sum(len(r.by_sport(sport_of(Pkt(f)))) for _, f in SUPERFRAMES)
    want = {
        "fwd_mtu_superframes": n_sf, "sw_pkts": n_sf, "sw_segs": segs,
        "hw_pkts": 0, "fwd_meta_superframes": 0,
        "pass_pkts": len(SMALL) + c["fwd_udp_fragments"],
        "tx_pkts": len(r.frames), "drops": 3,
    }
    bad = ["%s=%d (expected %d)" % (k, c[k], v) for k, v in want.items()
           if c[k] != v]
    expect(not bad, ", ".join(bad))


def case_two_workers(exe, workdir):
    """Ports 0 and 1 both forward into port 2, each served by its own
    worker lcore; port 2 gets a TX queue per worker (net_pcap: one file
    per TX queue), so each file holds exactly one ingress port's frames."""
    ins = [[f for _, f in SUPERFRAMES[:3]] + SMALL[:3],
           [f for _, f in SUPERFRAMES[3:]] + SMALL[3:]]
    paths = []
    for i, frames in enumerate(ins):
        paths.append(os.path.join(workdir, "w-in%d.pcap" % i))
        pcap_write(paths[-1], frames)
    empty = os.path.join(workdir, "w-empty.pcap")
    pcap_write(empty, [])
    outs = [os.path.join(workdir, "w-out%d.pcap" % q) for q in range(2)]
    vdevs = ["net_pcap0,rx_pcap=%s" % paths[0],
             "net_pcap1,rx_pcap=%s" % paths[1],
             "net_pcap2,rx_pcap=%s,tx_pcap=%s,tx_pcap=%s" % (empty, outs[0],
                                                             outs[1])]
    eal = eal_args("fwdpcap2w%d" % os.getpid(), vdevs, lcores="0@0,1@1,2@0")
    rc, log = run_fwd(exe, eal, ["--map", "0:2,1:2", "--idle-exit", "300"])
    expect(rc == 0, "exit status %d:\n%s" % (rc, log[-3000:]))
    expect("port 0 rxq 0 -> port 2 txq 0" in log and
           "port 1 rxq 0 -> port 2 txq 1" in log,
           "not one worker per ingress port, one TX queue per worker:\n" +
           log[:3000])
    for q in range(2):
        pkts = [Pkt(f) for f in pcap_read(outs[q])]
        small = [f for f in pcap_read(outs[q]) if f in set(SMALL)]
        expect(small == [f for f in ins[q] if f in set(SMALL)],
               "TX queue %d: small frames differ" % q)
        for f in ins[q]:
            if f in set(SMALL):
                continue
            sf = Pkt(f)
            segs = [p for p in pkts if sport_of(p) == sport_of(sf)]
            detail = verify_tcp_segments(sf, segs, MTU)
            expect(detail is None, "TX queue %d: %s" % (q, detail))


def main():
    tap = Tap()
    exe = fwd_exe()
    if shutil.which("tshark") is None:
        tap.skip("pcap in, pcap out", "tshark is not installed "
                 "(scripts/deps.sh installs it)")
        return tap.done()
    workdir = tempfile.mkdtemp(prefix="gso-fwd-pcap-")
    try:
        frames = ([f for _, f in SUPERFRAMES] + SMALL +
                  [UDP_FRAG, UDP_DF, UDP_V6, TRUNCATED])
        # Interleave, so that small frames sit between superframes.
        order = frames[::2] + frames[1::2]
        r = Run(exe, workdir, "frag", order)
        tap.run("one-shot run exits by itself, every mbuf returned",
                case_clean_exit, r)
        if r.rc != 0 or not r.frames:
            tap.diag(r.log[-4000:])
        tap.run("tshark (checksum validation on): no bad checksum, no "
                "malformed packet", case_tshark_clean, r)
        tap.run("tshark flags a corrupted copy (the check can fail)",
                case_tshark_can_fail, r, workdir)
        tap.run("frames at or below the MTU come out byte-identical, in "
                "order", case_small_identical, r)
        for name, frame in SUPERFRAMES:
            tap.run("segmented correctly: " + name, case_superframe, r,
                    frame)
        tap.run("UDP/IPv4 over the MTU, DF clear: IP fragments of one "
                "datagram", case_udp_fragments, r)
        tap.run("UDP over the MTU with DF, or over IPv6: dropped and "
                "counted, never split", case_udp_not_split, r,
                [UDP_DF, UDP_V6], 2)
        tap.run("a truncated frame is dropped and counted", case_truncated,
                r)
        tap.run("counters match the input", case_counters, r)

        d = Run(exe, workdir, "drop", [UDP_FRAG, UDP_DF, UDP_V6] + SMALL,
                ["--udp-oversize", "drop"])
        tap.run("--udp-oversize drop: no UDP superframe leaves, each is "
                "counted", case_udp_not_split, d,
                [UDP_FRAG, UDP_DF, UDP_V6], 3)
        tap.run("--udp-oversize drop: the rest still passes unchanged",
                case_small_identical, d)

        tap.run("two workers into one port, a TX queue each: every frame "
                "right, on its worker's queue", case_two_workers, exe, workdir)

        m = Run(exe, workdir, "mss", [f for _, f in SUPERFRAMES[:2]],
                ["--tcp-mss", "1000"])
        for name, frame in SUPERFRAMES[:2]:
            tap.run("--tcp-mss 1000: segmented at 1000: " + name,
                    case_superframe, m, frame, 1000)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    raise SystemExit(main())
