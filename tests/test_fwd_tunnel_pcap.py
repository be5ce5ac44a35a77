#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""gso-fwd's tunnel classification on crafted frames (pcap in, pcap out).

test_fwd_tunnel.py drives real kernel tunnels, where the kernel has them;
this one covers every encapsulation on any machine, without root: tunnel
superframes as a kernel tunnel device over a veth hands them to af_packet
(outer headers with whole lengths, no metadata) go through gso-fwd
(net_pcap, egress MTU 1500) and each must come out as its INNER packet
segmented at the MSS the MTU leaves under the whole header stack, verified
here field by field, independently of DPDK:
  - outer: Ethernet (and VLAN) as it was; IPv4 total length, ID + segment
    index, valid header checksum, the rest as it was; IPv6 payload length,
    extension headers as they were; UDP ports kept, length, checksum 0
    kept 0 and a non-zero one valid; VXLAN/GENEVE (options) and GRE
    (key) headers as they were, a GRE checksum valid;
  - inner: the TCP segmentation rules (verify_tcp_segments: MSS, sequence
    numbers, flags, IP ID, checksums, payload); inner UDP as datagrams of
    the MSS, each complete with a valid checksum;
  - VXLAN, GENEVE (with options), GRE (IPv4, IPv6, Ethernet inside; key,
    checksum), IPv4/IPv6 in IPv4/IPv6 (an outer IPv6 extension header),
    over outer IPv4 and IPv6, one with an outer VLAN tag, one on a second
    --vxlan-port; counted per encapsulation (fwd_tun_*_superframes);
  - not tunnels gso-fwd segments: VXLAN on a port not configured and an
    inner IP fragment are the one outer datagram they were (IPv4 without
    DF: IP fragments, fwd_udp_fragmented); a GRE header with a sequence
    number is refused by the library (rejected_protocol), as Linux
    refuses to segment it;
  - broken: an inner IP length past the outer datagram is the library's
    rejected_lengths; a tunnel frame cut short (outer IP length past the
    frame) is fwd_malformed_dropped, as any frame;
  - --tunnel-udp outer: inner UDP is never cut, the outer datagram follows
    --udp-oversize (IP fragments outside IPv4 without DF, else a drop).

Usage: test_fwd_tunnel_pcap.py PATH-TO-gso-fwd
"""

import os
import shutil
import struct
import tempfile

from fwdtest import (Pkt, Tap, TCP_ACK, TCP_PSH, cksum, eal_args, eth,
                     expect, fwd_exe, ipv4, ipv6, ones_sum, parse_summary,
                     pattern, pcap_read, pcap_write, phdr, run_fwd, tcp,
                     udp, verify_tcp_segments)

MTU = 1500
VXLAN_ALT = 8472
NOT_VXLAN = 4790                 # VXLAN-GPE's port: not configured
OUT_MAC_A = bytes.fromhex("02000000000a")
OUT_MAC_B = bytes.fromhex("02000000000b")
OUT4_A, OUT4_B = bytes([192, 0, 2, 1]), bytes([192, 0, 2, 2])
OUT6_A = bytes.fromhex("20010db8000000000000000000000001")
OUT6_B = bytes.fromhex("20010db8000000000000000000000002")
IN6_A = bytes.fromhex("fd000000000000000000000000000001")
IN6_B = bytes.fromhex("fd000000000000000000000000000002")
TEB = 0x6558
GRE_C, GRE_K, GRE_S = 0x8000, 0x2000, 0x1000
# IPv6 destination options: tunnel encapsulation limit 4, PadN (RFC 2473),
# as ip6tnl sends it; its next header is filled in.
ENCAP_LIMIT = bytes([0, 0, 4, 1, 4, 1, 1, 0])


def inner_frame(fam, l4, payload, sport, vlan=None):
    """The inner Ethernet frame of a superframe: TCP or UDP over IPv4/6."""
    if l4 == "tcp":
        seg = tcp(payload, sport, flags=TCP_ACK | TCP_PSH, v6=fam == 6,
                  src=IN6_A if fam == 6 else None,
                  dst=IN6_B if fam == 6 else None)
        proto = 6
    else:
        seg = udp(payload, sport, v6=fam == 6,
                  src=IN6_A if fam == 6 else None,
                  dst=IN6_B if fam == 6 else None)
        proto = 17
    if fam == 4:
        return eth(ipv4(seg, proto, ident=0x4000 + sport, df=True), 0x0800,
                   vlan=vlan)
    return eth(ipv6(seg, proto, src=IN6_A, dst=IN6_B), 0x86DD, vlan=vlan)


def outer_ip(under, proto, payload, ident=0x1234, ext=None):
    if under == 4:
        return ipv4(payload, proto, ident=ident, df=False, src=OUT4_A,
                    dst=OUT4_B)
    if ext is not None:
        ext = bytes([proto]) + ext[1:]
        return ipv6(ext + payload, 60, src=OUT6_A, dst=OUT6_B)
    return ipv6(payload, proto, src=OUT6_A, dst=OUT6_B)


def outer_udp(under, sport, dport, body, csum):
    seg = struct.pack("!HHHH", sport, dport, 8 + len(body), 0) + body
    if not csum:
        return seg
    src, dst = (OUT4_A, OUT4_B) if under == 4 else (OUT6_A, OUT6_B)
    c = cksum(phdr(under == 6, src, dst, 17, len(seg)) + seg) or 0xFFFF
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def vxlan_hdr(vni):
    return struct.pack("!B3xI", 0x08, vni << 8)


def geneve_hdr(vni, options=b""):
    return struct.pack("!BBHI", len(options) // 4, 0, TEB, vni << 8) + \
        options


def gre_hdr(proto, flags=0, key=0, seq=0, body=b""):
    h = struct.pack("!HH", flags, proto)
    if flags & GRE_C:
        h += b"\0\0\0\0"
    if flags & GRE_K:
        h += struct.pack("!I", key)
    if flags & GRE_S:
        h += struct.pack("!I", seq)
    if flags & GRE_C:
        c = cksum(h + body)
        h = h[:4] + struct.pack("!H", c) + h[6:]
    return h + body


class Case:
    """One crafted frame: what it is and what must come out of it."""

    def __init__(self, name, under, enc, fam, l4, payload_len, sport,
                 build, expect_out="segments", outer_vlan=None,
                 inner_eth=True):
        self.name, self.under, self.enc = name, under, enc
        self.fam, self.l4, self.sport = fam, l4, sport
        self.expect_out = expect_out
        self.inner = inner_frame(fam, l4, pattern(payload_len, sport), sport,
                                 vlan=None)
        self.inner_eth = inner_eth
        inner = self.inner if inner_eth else self.inner[14:]
        body = build(inner)          # outer L4/tunnel header + inner
        self.tun_l2 = len(body) - len(inner) + (14 if inner_eth else 0)
        ip = build.outer(body)
        self.frame = eth(ip, 0x0800 if under == 4 else 0x86DD,
                         vlan=outer_vlan, dst=OUT_MAC_B, src=OUT_MAC_A)
        self.outer_l2 = 14 if outer_vlan is None else 18
        self.outer_l3 = len(ip) - len(body)

    def inner_mtu(self):
        """The MTU the inner IP packet has under the outer stack (outer
        IP, UDP/GRE, tunnel header, inner Ethernet)."""
        return MTU - self.outer_l3 - self.tun_l2


class Build:
    """body(inner) -> outer L4/tunnel headers + inner; .outer(body) ->
    outer IP packet."""

    def __init__(self, under, proto, fn, ext=None):
        self.under, self.proto, self.fn, self.ext = under, proto, fn, ext

    def __call__(self, inner):
        return self.fn(inner)

    def outer(self, body):
        return outer_ip(self.under, self.proto, body, ext=self.ext)


def vx(under, dport, csum, vni=7, sport=49152):
    return Build(under, 17, lambda inner: outer_udp(
        under, sport, dport, vxlan_hdr(vni) + inner, csum))


def gnv(under, options, csum):
    return Build(under, 17, lambda inner: outer_udp(
        under, 50000, 6081, geneve_hdr(9, options) + inner, csum))


def gre(under, proto, flags=0, key=0):
    return Build(under, 47, lambda inner: gre_hdr(proto, flags, key,
                                                  seq=1, body=inner))


def ipip(under, inner_fam, ext=None):
    return Build(under, 4 if inner_fam == 4 else 41, lambda inner: inner,
                 ext=ext)


GENEVE_OPT = struct.pack("!HBB", 0x0102, 0x80, 1) + b"\x11\x22\x33\x44"


def cases():
    c = [
        Case("VXLAN/IPv4, outer UDP checksum 0, inner TCP/IPv4", 4, "vxlan",
             4, "tcp", 20000, 6001, vx(4, 4789, False)),
        Case("VXLAN/IPv4 on --vxlan-port %d, outer checksum, outer VLAN, "
             "inner TCP/IPv6" % VXLAN_ALT, 4, "vxlan", 6, "tcp", 9000, 6002,
             vx(4, VXLAN_ALT, True), outer_vlan=5),
        Case("VXLAN/IPv6 (outer checksum), inner TCP/IPv4", 6, "vxlan", 4,
             "tcp", 30000, 6003, vx(6, 4789, True)),
        Case("VXLAN/IPv4, inner UDP/IPv4 (each segment a datagram)", 4,
             "vxlan", 4, "udp", 14000, 6004, vx(4, 4789, False)),
        Case("VXLAN/IPv6, inner UDP/IPv6", 6, "vxlan", 6, "udp", 7000, 6005,
             vx(6, 4789, True)),
        Case("GENEVE/IPv4 with 8 bytes of options, inner TCP/IPv4", 4,
             "geneve", 4, "tcp", 16000, 6011, gnv(4, GENEVE_OPT, False)),
        Case("GENEVE/IPv6, inner TCP/IPv6", 6, "geneve", 6, "tcp", 12000,
             6012, gnv(6, b"", True)),
        Case("GRE/IPv4, inner IPv4 TCP", 4, "gre", 4, "tcp", 15000, 6021,
             gre(4, 0x0800), inner_eth=False),
        Case("GRE/IPv4 key + checksum, transparent Ethernet, inner TCP/IPv4",
             4, "gre", 4, "tcp", 15000, 6022,
             gre(4, TEB, GRE_K | GRE_C, key=0x301)),
        Case("GRE/IPv6 key, inner IPv6 TCP", 6, "gre", 6, "tcp", 10000,
             6023, gre(6, 0x86DD, GRE_K, key=0x302), inner_eth=False),
        Case("IPv4 in IPv4, TCP", 4, "ipip", 4, "tcp", 20000, 6031,
             ipip(4, 4), inner_eth=False),
        Case("IPv6 in IPv4, TCP", 4, "ipip", 6, "tcp", 8000, 6032,
             ipip(4, 6), inner_eth=False),
        Case("IPv4 in IPv6 with an encapsulation limit option, TCP", 6,
             "ipip", 4, "tcp", 8000, 6033, ipip(6, 4, ext=ENCAP_LIMIT),
             inner_eth=False),
        Case("IPv6 in IPv6, TCP", 6, "ipip", 6, "tcp", 8000, 6034,
             ipip(6, 6), inner_eth=False),
        Case("VXLAN on UDP %d (not configured): one UDP/IPv4 datagram, "
             "IP-fragmented" % NOT_VXLAN, 4, None, 4, "tcp", 5000, 6041,
             vx(4, NOT_VXLAN, False), expect_out="fragments"),
        Case("GRE with a sequence number: refused by the library", 4, "gre",
             4, "tcp", 5000, 6042, gre(4, 0x0800, GRE_S), inner_eth=False,
             expect_out="rejected_protocol"),
    ]
    return c


def patched(c, name, off, data, expect_out):
    """c with data written at off past the outer Ethernet header (the
    IPv4 header checksums of the outer and inner header made right)."""
    f = bytearray(c.frame)
    at = c.outer_l2 + off
    f[at:at + len(data)] = data
    for ip in (c.outer_l2, c.outer_l2 + c.outer_l3 + c.tun_l2):
        if f[ip] >> 4 == 4:
            f[ip + 10:ip + 12] = b"\0\0"
            f[ip + 10:ip + 12] = struct.pack("!H", cksum(bytes(
                f[ip:ip + (f[ip] & 15) * 4])))
    c.frame, c.name, c.expect_out = bytes(f), name, expect_out
    return c


def hostile_cases():
    """Broken tunnel frames: counted where a plain frame is, or where the
    library's header walk puts them."""
    cs = []
    # The inner IPv4 total length runs past the outer datagram.
    c = Case("", 4, "vxlan", 4, "tcp", 5000, 6051, vx(4, 4789, False))
    inner_ip = c.outer_l3 + c.tun_l2
    cs.append(patched(c, "VXLAN/IPv4, inner IPv4 length past the outer "
                      "datagram: rejected_lengths", inner_ip + 2,
                      struct.pack("!H", 6000), "rejected_lengths"))
    # The outer IPv4 total length runs past the frame (af_packet cut it).
    c = Case("", 4, None, 4, "tcp", 5000, 6052, vx(4, 4789, False))
    cs.append(patched(c, "VXLAN/IPv4 cut short (outer IPv4 length past "
                      "the frame): fwd_malformed_dropped, as a plain frame",
                      2, struct.pack("!H", len(c.frame) - 14 + 100),
                      "fwd_malformed_dropped"))
    return cs


def inner_fragment_case():
    """VXLAN/IPv4 whose inner IPv4 packet is a first fragment (MF): no L4
    to segment by, so the outer datagram is IP-fragmented."""
    c = Case("VXLAN/IPv4 around an inner IPv4 fragment: IP-fragmented "
             "outside", 4, None, 4, "tcp", 5000, 6043, vx(4, 4789, False),
             expect_out="fragments")
    f = bytearray(c.frame)
    ip = c.outer_l2 + c.outer_l3 + c.tun_l2
    f[ip + 6] |= 0x20                             # MF
    f[ip + 10:ip + 12] = b"\0\0"
    f[ip + 10:ip + 12] = struct.pack("!H", cksum(bytes(f[ip:ip + 20])))
    c.frame = bytes(f)
    return c


def expected_count(c):
    if c.expect_out.startswith(("rejected_", "fwd_")):
        return 0
    if c.expect_out == "fragments":
        udp_len = len(c.frame) - c.outer_l2 - c.outer_l3
        return -(-udp_len // (MTU - 20 - (MTU - 20) % 8))
    inner = Pkt(c.inner)
    l4 = inner.l4_data
    hl = (l4[12] >> 4) * 4 if c.l4 == "tcp" else 8
    mss = c.inner_mtu() - inner.l3 - hl
    return -(-(len(l4) - hl) // mss)


def check_outer(c, i, out):
    """Segment i (bytes) against the superframe c: outer headers."""
    sf = c.frame
    l2, l3 = c.outer_l2, c.outer_l3
    expect(out[:l2] == sf[:l2], "segment %d: outer Ethernet changed" % i)
    ip, sip = out[l2:], sf[l2:]
    if c.under == 4:
        expect(cksum(ip[:l3]) == 0, "segment %d: outer IPv4 header "
               "checksum" % i)
        tl, ident = struct.unpack("!H", ip[2:4])[0], \
            struct.unpack("!H", ip[4:6])[0]
        expect(tl == len(out) - l2, "segment %d: outer total length %d, "
               "frame holds %d" % (i, tl, len(out) - l2))
        want = (struct.unpack("!H", sip[4:6])[0] + i) & 0xFFFF
        expect(ident == want, "segment %d: outer IP ID %#x, expected %#x" %
               (i, ident, want))
        a, b = bytearray(ip[:l3]), bytearray(sip[:l3])
        for h in (a, b):
            h[2:6] = b"\0" * 4          # total length, ID
            h[10:12] = b"\0\0"         # header checksum
        expect(a == b, "segment %d: outer IPv4 header fields changed" % i)
        src, dst = ip[12:16], ip[16:20]
    else:
        pl = struct.unpack("!H", ip[4:6])[0]
        expect(pl == len(out) - l2 - 40, "segment %d: outer IPv6 payload "
               "length %d, frame holds %d" % (i, pl, len(out) - l2 - 40))
        expect(ip[:4] + ip[6:l3] == sip[:4] + sip[6:l3], "segment %d: "
               "outer IPv6 header fields changed" % i)
        src, dst = ip[8:24], ip[24:40]
    t, st = ip[l3:], sip[l3:]
    hdr = c.tun_l2 - (14 if c.inner_eth else 0)   # UDP/GRE + tunnel hdr
    if c.enc in ("vxlan", "geneve"):
        expect(t[:4] == st[:4], "segment %d: outer UDP ports changed" % i)
        ulen = struct.unpack("!H", t[4:6])[0]
        expect(ulen == len(t), "segment %d: outer UDP length %d, %d "
               "there" % (i, ulen, len(t)))
        if st[6:8] == b"\0\0":
            expect(t[6:8] == b"\0\0", "segment %d: outer UDP checksum 0 "
                   "not kept" % i)
        else:
            expect(ones_sum(phdr(c.under == 6, src, dst, 17, len(t)) + t) ==
                   0xFFFF, "segment %d: outer UDP checksum wrong" % i)
        expect(t[8:hdr] == st[8:hdr], "segment %d: tunnel header "
               "changed" % i)
    elif c.enc == "gre":
        flags = struct.unpack("!H", st[:2])[0]
        if flags & GRE_C:
            expect(cksum(t) == 0, "segment %d: GRE checksum wrong" % i)
            expect(t[:4] + t[6:hdr] == st[:4] + st[6:hdr], "segment %d: "
                   "GRE header changed" % i)
        else:
            expect(t[:hdr] == st[:hdr], "segment %d: GRE header "
                   "changed" % i)
    # The inner frame: its own Ethernet header, or one made up to parse.
    inner = t[hdr:]
    if not c.inner_eth:
        inner = c.inner[:14] + inner
    return Pkt(inner)


def check_inner_udp(c, segs):
    sf = Pkt(c.inner)
    pay = sf.l4_data[8:]
    mss = c.inner_mtu() - sf.l3 - 8
    got = b""
    for i, p in enumerate(segs):
        ulen = struct.unpack("!H", p.l4_data[4:6])[0]
        expect(ulen == len(p.l4_data), "datagram %d: UDP length %d, %d "
               "there" % (i, ulen, len(p.l4_data)))
        expect(p.ip_ok and p.l4_ok(), "datagram %d: bad IP or UDP "
               "checksum" % i)
        expect(p.l4_data[:4] == sf.l4_data[:4], "datagram %d: ports" % i)
        chunk = p.l4_data[8:]
        expect(i == len(segs) - 1 or len(chunk) == mss, "datagram %d: %d "
               "bytes, expected %d" % (i, len(chunk), mss))
        got += chunk
    expect(got == pay, "datagrams do not add up to the payload")


def check_case(c, outs):
    n = expected_count(c)
    expect(len(outs) == n, "%d frames out, expected %d" % (len(outs), n))
    if n == 0:
        return
    if c.expect_out == "fragments":
        pk = [Pkt(f) for f in outs]
        expect(all(p.is_fragment() and p.ip_ok for p in pk),
               "not valid IPv4 fragments")
        data = b"".join(p.l4_data for p in sorted(pk, key=lambda p:
                                                   p.frag_off))
        expect(data == c.frame[c.outer_l2 + c.outer_l3:],
               "the fragments do not add up to the datagram")
        return
    for f in outs:
        expect(len(f) - c.outer_l2 <= MTU, "a frame of %d bytes over the "
               "MTU" % len(f))
    segs = [check_outer(c, i, f) for i, f in enumerate(outs)]
    if c.l4 == "udp":
        check_inner_udp(c, segs)
        return
    detail = verify_tcp_segments(Pkt(c.inner), segs, c.inner_mtu())
    expect(detail is None, detail)


def run_cases(tap, exe, workdir, tag, cs, app_args):
    """cs through one gso-fwd run; each case's frames checked, then the
    counters against what the cases say."""
    inp = os.path.join(workdir, "in-%s.pcap" % tag)
    out = os.path.join(workdir, "out-%s.pcap" % tag)
    pcap_write(inp, [c.frame for c in cs])
    vdev = "net_pcap0,rx_pcap=%s,tx_pcap=%s" % (inp, out)
    rc, log = run_fwd(exe, eal_args("fwdtun%s%d" % (tag, os.getpid()),
                                    [vdev]),
                      ["--idle-exit", "300"] + app_args)
    ports, outstanding = parse_summary(log)
    tap.ok(rc == 0 and outstanding == 0, "%s: one-shot run exits by itself, "
           "every mbuf returned" % " ".join(app_args),
           "exit %d, %s outstanding:\n%s" % (rc, outstanding, log[-3000:]))
    frames = pcap_read(out) if os.path.exists(out) else []
    # Frames come out in order: each case's, one case after the other.
    k = 0
    for c in cs:
        n = expected_count(c)
        tap.run(c.name, check_case, c, frames[k:k + n])
        k += n
    tap.ok(k == len(frames), "nothing else came out", "%d frames out, %d "
           "expected" % (len(frames), k))
    cnt = ports.get(0, {})
    want = {"fwd_udp_fragmented": 0, "fwd_udp_oversize_dropped": 0,
            "rejected_protocol": 0, "rejected_lengths": 0,
            "fwd_malformed_dropped": 0}
    for c in cs:
        if c.enc is not None:      # classified: handed to the library
            key = "fwd_tun_%s_superframes" % c.enc
            want[key] = want.get(key, 0) + 1
        if c.expect_out == "fragments":
            want["fwd_udp_fragmented"] += 1
        elif c.expect_out != "segments":
            want[c.expect_out] += 1
    bad = ["%s=%s (expected %d)" % (k2, cnt.get(k2), v)
           for k2, v in sorted(want.items()) if cnt.get(k2) != v]
    tap.ok(not bad, "counted: %s" % ", ".join(
        "%s=%d" % kv for kv in sorted(want.items()) if kv[1]),
        ", ".join(bad))


def outer_udp_cases():
    """--tunnel-udp outer: inner UDP is never cut; the outer datagram
    follows --udp-oversize (IPv4 without DF: IP fragments; IPv6: drop)."""
    cs = []
    for c in cases():
        if c.l4 == "udp":
            c.name = "--tunnel-udp outer: " + c.name.split(",")[0] + \
                ", inner UDP: " + ("IP-fragmented outside" if c.under == 4
                                   else "dropped, never cut")
            c.expect_out = "fragments" if c.under == 4 else \
                "fwd_udp_oversize_dropped"
            c.enc = None
            cs.append(c)
    return cs


def main():
    tap = Tap()
    exe = fwd_exe()
    workdir = tempfile.mkdtemp(prefix="gso-fwd-tun-")
    try:
        run_cases(tap, exe, workdir, "p", cases() + [inner_fragment_case()] +
                  hostile_cases(), ["--vxlan-port", "4789,%d" % VXLAN_ALT])
        run_cases(tap, exe, workdir, "u", outer_udp_cases(),
                  ["--tunnel-udp", "outer"])
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    raise SystemExit(main())
