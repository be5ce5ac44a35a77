# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""The catalog of hostile frames for gso-fwd (issue 16), and the valid
traffic interleaved with them.

Each Case is a frame and what gso-fwd must do with it, on a port whose
egress MTU is 1500 and that has no TSO (net_pcap, net_af_packet):
  - "pass": forwarded byte-identical (counted in pass_pkts);
  - "segment": a valid TCP superframe (over the egress MTU, no
    metadata), cut at the MSS the MTU allows (fwd_mtu_superframes,
    sw_pkts);
  - "drop": dropped and counted under exactly one reason, the summary
    key in Case.counter: gso-fwd's own (fwd_malformed_dropped,
    fwd_oversize_dropped, fwd_udp_oversize_dropped) or the library's
    reject reasons (rejected_<name>, gso_offload_reject_reason_name()).
Why each verdict is the right one: docs/gso-fwd.md, "Hostile input".

Frames without metadata reach the library only as superframes (TCP over
the egress MTU), so the L4 cases are built over the MTU; under the MTU a
forwarder does not police L4 (a router forwards such a packet and the
receiver drops it), which the "pass" cases of the catalog pin down.

Cases needing metadata (tso_segsz with TCP_SEG) come through vhost:
VHOST_CASES, used by test_fwd_hostile.py with a virtio_user guest.

As a script, it is the raw-socket peer of the af_packet test:
  hostile_frames.py send IFACE            the wire catalog, then END_MARK
  hostile_frames.py sniff IFACE OUT.pcap  frames seen until END_MARK
"""

import collections
import ctypes
import socket
import struct
import sys

from fwdtest import (IP4_A, IP4_B, IP6_A, IP6_B, MAC_B, TCP_ACK, TCP_PSH,
                     TCP_RST, TCP_SYN, cksum, eth, ones_sum, pattern,
                     pcap_write, phdr, tcp, tcp4_frame, tcp6_frame,
                     udp4_frame, udp6_frame)

MTU = 1500
OVER = 3000          # payload of a hostile frame that must be over the MTU

Case = collections.namedtuple("Case", "name frame verdict counter wire")


def case(name, frame, verdict, counter=None, wire=True):
    """wire: whether a raw socket on a veth (MTU 9000) delivers the frame
    to af_packet unchanged (not a runt the kernel pads, not over 9014)."""
    wire = wire and 14 <= len(frame) <= 9014
    return Case(name, frame, verdict, counter, wire)


def tcp_raw(payload, sport, doff=None, flags=TCP_ACK | TCP_PSH, v6=False):
    """TCP with a data offset that may lie (doff in 32-bit words), a valid
    checksum over what is there."""
    seg = struct.pack("!HHIIBBHHH", sport, 80, 1000, 2000,
                      (5 if doff is None else doff) << 4, flags, 512, 0, 0)
    seg += payload
    # IPv4's pseudo-header length is 16 bits (a BIG TCP frame: mod 2^16).
    c = cksum(phdr(v6, IP6_A if v6 else IP4_A, IP6_B if v6 else IP4_B, 6,
                   len(seg) if v6 else len(seg) & 0xFFFF) + seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def ipv4_raw(l4, proto, version_ihl=0x45, total_length=None, frag=0x4000,
             ident=0x4000):
    tl = 20 + len(l4) if total_length is None else total_length
    hdr = struct.pack("!BBHHHBBH4s4s", version_ihl, 0, tl, ident, frag, 64,
                      proto, 0, IP4_A, IP4_B)
    hdr = hdr[:10] + struct.pack("!H", cksum(hdr)) + hdr[12:]
    return hdr + l4


def ipv6_raw(rest, nh, payload_len=None):
    pl = len(rest) if payload_len is None else payload_len
    return struct.pack("!IHBB16s16s", 0x60000000, pl, nh, 64, IP6_A,
                       IP6_B) + rest


def v4(l4, proto=6, **kw):
    return eth(ipv4_raw(l4, proto, **kw), 0x0800)


def v6(rest, nh=6, **kw):
    return eth(ipv6_raw(rest, nh, **kw), 0x86DD)


def ipv6_frag_hdr(nh, offset=0, more=True, ident=0x1234):
    return struct.pack("!BBHI", nh, 0, (offset << 3) | int(more), ident)


def jumbo_hbh(nh, jumbo_len):
    """Hop-by-hop header with a Jumbo Payload option (RFC 2675)."""
    return struct.pack("!BBBBI", nh, 0, 0xC2, 4, jumbo_len)


# TCP payload of an IPv4/IPv6 packet at the 64 KB limits (TS option: a
# 32-byte TCP header): the frames are over 65536 bytes, chains in DPDK.
MAX4_PAYLOAD = 65535 - 20 - 32
MAX6_PAYLOAD = 65535 - 32


def catalog():
    """The frames, in the order they are sent (valid and hostile mixed)."""
    big = 70000
    c = [
        # valid, around everything else
        case("valid TCP/IPv4 100 B", tcp4_frame(pattern(100, 1), 2001),
             "pass"),
        case("valid TCP/IPv4 superframe 20000 B",
             tcp4_frame(pattern(20000, 2), 1001), "segment"),

        # truncated headers: the Ethernet type says IP, the header is not
        # all there; gso-fwd cannot forward it as what it claims to be
        case("runt: 10 bytes, Ethernet header cut", bytes(range(10)),
             "drop", "fwd_malformed_dropped"),
        # (not on the wire: the kernel drops a cut VLAN tag before any
        # packet socket sees the frame)
        case("VLAN tag cut", eth(b"\x00\x64", 0x8100), "drop",
             "fwd_malformed_dropped", wire=False),
        case("IPv4 header cut at 12 bytes",
             v4(tcp_raw(b"", 3001))[:14 + 12], "drop",
             "fwd_malformed_dropped"),
        case("IPv6 header cut at 30 bytes",
             v6(tcp_raw(b"", 3002, v6=True))[:14 + 30], "drop",
             "fwd_malformed_dropped"),
        case("valid UDP/IPv4 200 B", udp4_frame(pattern(200, 3), 2002),
             "pass"),

        # IHL < 5, and a version that is not the Ethernet type's
        case("IPv4 IHL 4, 60 B", v4(tcp_raw(pattern(20, 4), 3003),
                                    version_ihl=0x44), "drop",
             "fwd_malformed_dropped"),
        case("IPv4 IHL 4, over the MTU",
             v4(tcp_raw(pattern(OVER, 5), 3004), version_ihl=0x44),
             "drop", "fwd_malformed_dropped"),
        case("IPv4 IHL 0", v4(tcp_raw(pattern(40, 6), 3005),
                              version_ihl=0x40), "drop",
             "fwd_malformed_dropped"),
        case("IPv4 Ethernet type, IP version 6",
             v4(tcp_raw(pattern(40, 7), 3006), version_ihl=0x65), "drop",
             "fwd_malformed_dropped"),
        case("valid TCP/IPv6 superframe 30000 B",
             tcp6_frame(pattern(30000, 8), 1002), "segment"),

        # lengths beyond the frame, or below the header
        case("IPv4 total length beyond the frame",
             v4(tcp_raw(pattern(500, 9), 3007), total_length=1000), "drop",
             "fwd_malformed_dropped"),
        case("IPv6 payload length beyond the frame",
             v6(tcp_raw(pattern(500, 10), 3008, v6=True),
                payload_len=1000), "drop", "fwd_malformed_dropped"),
        case("TCP/IPv4 over the MTU, total length beyond the frame",
             v4(tcp_raw(pattern(OVER, 11), 3009), total_length=OVER + 100),
             "drop", "fwd_malformed_dropped"),
        case("IPv4 total length 16, below its own header",
             v4(tcp_raw(pattern(40, 12), 3010), total_length=16), "drop",
             "fwd_malformed_dropped"),
        case("TCP/IPv4 over the MTU, IP length ends inside the TCP header",
             v4(tcp_raw(pattern(OVER, 13), 3011), total_length=30), "drop",
             "rejected_lengths"),
        case("TCP/IPv4 60 B, IP length ends inside the TCP header, the "
             "padding where the checksum would be holds the pseudo-header "
             "sum", cut_tcp_padded(2008), "pass"),
        case("valid TCP/IPv6 100 B", tcp6_frame(pattern(100, 14), 2003),
             "pass"),

        # IP fragments: under the MTU they are valid traffic; over it,
        # nothing can be done (no re-fragmenting here, no segmenting)
        case("IPv6 fragment, 200 B", v6(ipv6_frag_hdr(6) +
                                        tcp_raw(pattern(200, 15), 3012,
                                                v6=True), nh=44), "pass"),
        case("IPv6 fragment header, TCP over the MTU",
             v6(ipv6_frag_hdr(6) + tcp_raw(pattern(OVER, 16), 3013, v6=True),
                nh=44), "drop", "fwd_oversize_dropped"),
        # (not on the wire: net_af_packet never receives a lone IPv4
        # fragment; docs/gso-fwd.md, "Hostile input")
        case("IPv4 first fragment (MF), TCP over the MTU",
             v4(tcp_raw(pattern(OVER, 17), 3014), frag=0x2000), "drop",
             "fwd_oversize_dropped", wire=False),

        # TCP data offset < 5 on a superframe
        case("TCP/IPv4 data offset 4, over the MTU",
             v4(tcp_raw(pattern(OVER, 18), 3015, doff=4)), "drop",
             "rejected_headers"),
        case("TCP/IPv6 data offset 0, over the MTU",
             v6(tcp_raw(pattern(OVER, 19), 3016, doff=0, v6=True)), "drop",
             "rejected_headers"),
        case("valid UDP/IPv6 300 B", udp6_frame(pattern(300, 20), 2004),
             "pass"),

        # SYN/RST on a superframe: segmenting would repeat the flag
        case("TCP/IPv4 SYN superframe",
             v4(tcp_raw(pattern(OVER, 21), 3017, flags=TCP_SYN)), "drop",
             "rejected_tcp-flags"),
        case("TCP/IPv6 RST+ACK superframe",
             v6(tcp_raw(pattern(OVER, 22), 3018, flags=TCP_RST | TCP_ACK,
                        v6=True)), "drop", "rejected_tcp-flags"),
        case("TCP/IPv4 SYN with 100 B of data (fits: TCP Fast Open)",
             v4(tcp_raw(pattern(100, 23), 2005, flags=TCP_SYN)), "pass"),

        # UDP length != IP payload
        case("UDP/IPv4 length 100 in a 300 B payload (fits)",
             v4(udp_len(pattern(300, 24), 2006, 100), proto=17), "pass"),
        case("UDP/IPv6 length 100, over the MTU",
             v6(udp_len(pattern(OVER, 25), 3019, 100, True), nh=17), "drop",
             "fwd_udp_oversize_dropped"),

        # over 64 KB: chains of mbufs in DPDK (net_pcap chains on RX)
        case("valid TCP/IPv4 superframe, 64 KB IP packet (65549 B frame)",
             tcp4_frame(pattern(MAX4_PAYLOAD, 26), 1003), "segment",
             wire=False),
        case("valid TCP/IPv6 superframe, 64 KB payload (65589 B frame)",
             tcp6_frame(pattern(MAX6_PAYLOAD, 27), 1004), "segment",
             wire=False),
        case("TCP/IPv4 66000 B frame, total length 0 (BIG TCP, no "
             "metadata)", v4(tcp_raw(pattern(66000 - 54, 28), 3020),
                             total_length=0), "drop",
             "fwd_malformed_dropped"),
        case("TCP/IPv6 66000 B frame, jumbogram (payload length 0, HBH "
             "jumbo option)", v6(jumbo_hbh(6, 66000 - 54 - 8) +
                                 tcp(pattern(66000 - 94, 29), 3021,
                                     v6=True), nh=0, payload_len=0),
             "drop", "fwd_malformed_dropped"),
        # net_pcap (22.11) chains such a frame shorter than its pkt_len
        case("TCP/IPv4 %d B frame, total length 0: beyond net_pcap's "
             "chaining" % (big + 54), v4(tcp_raw(pattern(big, 30), 3023),
                                        total_length=0), "drop",
             "fwd_bad_chain_dropped"),
        case("TCP/IPv4 40000 B chain, total length beyond the frame",
             v4(tcp_raw(pattern(40000, 30), 3022), total_length=50000),
             "drop", "fwd_malformed_dropped"),
        case("valid TCP/IPv4 superframe 4000 B, after the rest",
             tcp4_frame(pattern(4000, 31), 1005), "segment"),
        case("valid TCP/IPv6 superframe 8000 B (fits the wire's 9000)",
             tcp6_frame(pattern(8000, 33), 1006), "segment"),
        case("valid TCP/IPv4 100 B, last", tcp4_frame(pattern(100, 32), 2007),
             "pass"),
    ]
    return c


def cut_tcp_padded(sport):
    """A minimum-size frame whose IP length (30) ends 10 bytes into the
    TCP header; the Ethernet padding after it holds, where the TCP
    checksum would be, what a partial checksum over those 10 bytes would
    hold. A frame to forward as it is: nothing of it beyond the IP length
    is the packet's (gso-fwd once "completed" that checksum in the
    padding)."""
    l4 = tcp_raw(b"", sport)[:10]
    frame = bytearray(v4(l4, total_length=30) + bytes(60 - 44))
    frame[14 + 20 + 16:14 + 20 + 18] = struct.pack(
        "!H", ones_sum(phdr(False, IP4_A, IP4_B, 6, 10)))
    return bytes(frame)


def udp_len(payload, sport, length, is_v6=False):
    """A UDP header whose length field says length (checksum 0 over IPv4,
    a checksum over what is there for IPv6)."""
    seg = struct.pack("!HHHH", sport, 9000, length, 0) + payload
    if is_v6:
        c = cksum(phdr(True, IP6_A, IP6_B, 17, len(seg)) + seg) or 0xFFFF
        seg = seg[:6] + struct.pack("!H", c) + seg[8:]
    return seg


# The metadata cases: the guest (testpmd, csum engine) sends each with TSO
# at the given MSS; net_vhost delivers it flagged RX_LRO with tso_segsz.
# (name, frame, mss, verdict, counter)
VHOST_MSS_OK = 1000
VHOST_MSS_BIG = 9000       # over what the egress MTU (1500) allows
VHOST_CASES = [
    ("TCP/IPv4 SYN superframe with metadata",
     v4(tcp_raw(pattern(OVER, 41), 3101, flags=TCP_SYN)), VHOST_MSS_OK,
     "drop", "rejected_tcp-flags"),
    ("TCP/IPv6 RST superframe with metadata",
     v6(tcp_raw(pattern(OVER, 42), 3102, flags=TCP_RST | TCP_ACK, v6=True)),
     VHOST_MSS_OK, "drop", "rejected_tcp-flags"),
    ("TCP/IPv4 data offset 4 with metadata",
     v4(tcp_raw(pattern(OVER, 43), 3103, doff=4)), VHOST_MSS_OK, "drop",
     "rejected_headers"),
    ("valid TCP/IPv4 superframe at MSS 1000",
     tcp4_frame(pattern(20000, 44), 1101), VHOST_MSS_OK, "segment", None),
    ("TCP/IPv4 superframe, MSS 9000 over the MTU",
     tcp4_frame(pattern(20000, 45), 3104), VHOST_MSS_BIG, "drop",
     "rejected_mtu"),
    ("TCP/IPv6 superframe, MSS 9000 over the MTU",
     tcp6_frame(pattern(20000, 46), 3105), VHOST_MSS_BIG, "drop",
     "rejected_mtu"),
]
# What testpmd cannot send (tests/vhost_guest.c does), same layout:
#  - pure ACKs flagged for segmentation (0- and 1-byte payloads): issue 16
#    defect 1 (finalize on an unfilled plan) crashed gso-fwd on these.
#    They fit one segment: sent whole, checksums valid ("finalize");
#  - MSS 0 with TCP_SEG: the virtio-net header says gso_size 0, which
#    net_vhost takes as no metadata at all; gso-fwd sees a TCP frame over
#    the MTU and cuts it at the MSS the MTU allows ("segment"). The
#    library's own 'mss' reject (tso_segsz 0) is out of gso-fwd's reach.
VHOST_GUEST_CASES = [
    ("pure ACK (0 B) flagged for segmentation",
     tcp4_frame(b"", 1201, flags=TCP_ACK), VHOST_MSS_OK, "finalize", None),
    ("1-byte TCP/IPv6 segment flagged for segmentation",
     tcp6_frame(b"x", 1202, flags=TCP_ACK), VHOST_MSS_OK, "finalize", None),
    ("TCP/IPv4 superframe flagged with MSS 0",
     tcp4_frame(pattern(20000, 47), 1203), 0, "segment", None),
]

SO_ATTACH_FILTER, SO_RCVBUFFORCE, ETH_P_ALL = 26, 33, 3

END_MARK = eth(b"gso-fwd hostile catalog: end" + bytes(20), 0x88B5)


def expected(cases):
    """Counter -> how many the cases add (drops per reason, and the pass /
    superframe totals)."""
    want = collections.Counter()
    for c in cases:
        if c.verdict == "drop":
            want[c.counter] += 1
            # The library sees it only as gso-fwd's superframe.
            if c.counter.startswith("rejected_"):
                want["fwd_mtu_superframes"] += 1
        elif c.verdict == "pass":
            want["pass_pkts"] += 1
        else:
            want["fwd_mtu_superframes"] += 1
            want["sw_pkts"] += 1
    return want


# Every counter a hostile frame may land in: those the catalog expects 0
# of must stay 0.
DROP_COUNTERS = ["fwd_malformed_dropped", "fwd_oversize_dropped",
                 "fwd_udp_oversize_dropped", "rejected_headers",
                 "rejected_lengths", "rejected_fragment", "rejected_not-ip",
                 "rejected_protocol", "rejected_mss", "rejected_mtu",
                 "rejected_too-many-segments", "rejected_tcp-flags",
                 "rejected_no-memory", "rejected_no-buffer",
                 "rejected_seg-data-limit",
                 "fwd_no_mbuf_dropped", "fwd_tx_full_dropped", "tx_dropped",
                 "fwd_bad_chain_dropped"]


def wire_send(iface):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    n = 0
    for c in catalog():
        if c.wire:
            s.send(c.frame)
            n += 1
    s.send(END_MARK)
    s.close()
    print("sent %d" % n)


def only_to_mac_b(s):
    """A classic BPF filter on s: frames to MAC_B (the catalog's) only.
    The kernel TCP stream beside the catalog goes to the receiver's own
    MAC and would overflow the socket's queue."""
    insns = [(0x20, 0, 0, 0),                  # ld [0]
             (0x15, 0, 3, int.from_bytes(MAC_B[:4], "big")),
             (0x28, 0, 0, 4),                  # ldh [4]
             (0x15, 0, 1, int.from_bytes(MAC_B[4:], "big")),
             (0x06, 0, 0, 0x40000),            # ret: the whole frame
             (0x06, 0, 0, 0)]                  # ret: nothing
    code = ctypes.create_string_buffer(
        b"".join(struct.pack("HBBI", *i) for i in insns))
    prog = struct.pack("HL", len(insns), ctypes.addressof(code))
    s.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, prog)


def wire_sniff(iface, out):
    """Frames to MAC_B arriving on iface until END_MARK."""
    # Filter first, then bind to every protocol: nothing queues unfiltered.
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    only_to_mac_b(s)
    s.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 16 << 20)
    s.bind((iface, ETH_P_ALL))
    frames = []
    print("ready", flush=True)
    while True:
        f, addr = s.recvfrom(1 << 17)
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        if f == END_MARK:
            break
        frames.append(f)
    pcap_write(out, frames)
    print("sniffed %d" % len(frames), flush=True)


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "send":
        wire_send(sys.argv[2])
    elif len(sys.argv) >= 4 and sys.argv[1] == "sniff":
        wire_sniff(sys.argv[2], sys.argv[3])
    else:
        raise SystemExit("usage: hostile_frames.py send IFACE | "
                         "sniff IFACE OUT.pcap")
