#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""Seed inputs of fuzz_fwd (gso-fwd's receive path): frames of every kind
prepare() tells apart, over an MTU of 1500, in fuzz_fwd.c's input format:
options, VXLAN/GENEVE port selectors, MTU, chain layout, frame bytes.

Usage: gen_fwd_corpus.py OUTDIR
"""
import os
import struct
import sys

MAC = b"\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02"


def eth(etype, vlan=False):
    if vlan:
        return MAC + struct.pack("!HHH", 0x8100, 7, etype)
    return MAC + struct.pack("!H", etype)


def ipv4(proto, payload, df=True):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 1,
                      0x4000 if df else 0, 64, proto, 0,
                      bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    return hdr + payload


def ipv6(nh, payload):
    return (struct.pack("!IHBB", 6 << 28, len(payload), nh, 64) +
            bytes(15) + b"\x01" + bytes(15) + b"\x02" + payload)


def tcp(data):
    return struct.pack("!HHIIBBHHH", 1000, 2000, 1, 0, 5 << 4, 0x18, 65535,
                       0, 0) + data


def udp(data, dport=3000, cksum=0):
    return struct.pack("!HHHH", 4000, dport, 8 + len(data), cksum) + data


def vxlan(inner):
    return struct.pack("!II", 0x08000000, 42 << 8) + inner


def geneve(inner):
    opt = struct.pack("!HBBI", 0x0102, 0x80, 1, 0xdeadbeef)
    return struct.pack("!BBHI", len(opt) // 4, 0, 0x6558, 7 << 8) + opt + inner


def gre(proto, inner, key=False, csum=False):
    flags = (0x8000 if csum else 0) | (0x2000 if key else 0)
    extra = (b"\x00\x00\x00\x00" if csum else b"") + \
        (b"\x00\x00\x00\x09" if key else b"")
    return struct.pack("!HH", flags, proto) + extra + inner


def data(n):
    return bytes((i * 7 + 3) & 0xff for i in range(n))


def seed(frame, opt=0x10, vx=1, gn=1, mtu=1500):
    # opt: partial checksums (kernel packet socket) by default
    b = bytes([opt, vx, gn]) + struct.pack("!H", mtu - 68)
    b += bytes([0])                                   # no cuts
    b += struct.pack("!HHB", len(frame), 0, 0) + frame
    return b


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    in4_tcp = eth(0x0800) + ipv4(6, tcp(data(6000)))
    in6_tcp = eth(0x86dd) + ipv6(6, tcp(data(6000)))
    in4_udp = eth(0x0800) + ipv4(17, udp(data(5000)))
    seeds = {
        "plain_tcp4": in4_tcp,
        "plain_tcp6_vlan": eth(0x86dd, True) + ipv6(6, tcp(data(4000))),
        "plain_udp4_nodf": eth(0x0800) + ipv4(17, udp(data(4000)), df=False),
        "vxlan4_tcp4": eth(0x0800) + ipv4(17, udp(vxlan(in4_tcp), 4789)),
        "vxlan4_udp4": eth(0x0800) + ipv4(17, udp(vxlan(in4_udp), 4789, 1)),
        "vxlan6_tcp6": eth(0x86dd) + ipv6(17, udp(vxlan(in6_tcp), 4789)),
        "geneve4_tcp6": eth(0x0800) + ipv4(17, udp(geneve(in6_tcp), 6081)),
        "gretap4_tcp4": eth(0x0800) + ipv4(47, gre(0x6558, in4_tcp, True,
                                                    True)),
        "gre4_tcp4": eth(0x0800) + ipv4(47, gre(0x0800, in4_tcp[14:])),
        "gre6_tcp6": eth(0x86dd) + ipv6(47, gre(0x86dd, in6_tcp[14:], True)),
        "ipip4_tcp4": eth(0x0800) + ipv4(4, in4_tcp[14:]),
        "sit_tcp6": eth(0x0800) + ipv4(41, in6_tcp[14:]),
        "ip6ip6_tcp6": eth(0x86dd) + ipv6(41, in6_tcp[14:]),
        "ip6_ipip_udp4": eth(0x86dd) + ipv6(4, in4_udp[14:]),
    }
    for name, frame in seeds.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(seed(frame))
    # Options: --tunnel-udp outer, --udp-oversize drop, a small MTU.
    with open(os.path.join(out, "vxlan4_udp4_outer_drop"), "wb") as f:
        f.write(seed(seeds["vxlan4_udp4"], opt=0x13))
    with open(os.path.join(out, "gretap4_tcp4_mtu576"), "wb") as f:
        f.write(seed(seeds["gretap4_tcp4"], mtu=576))


if __name__ == "__main__":
    main()
