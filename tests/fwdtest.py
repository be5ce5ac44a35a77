# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""Shared pieces of the gso-fwd tests (Python, stdlib only).

- Tap: TAP output (one "ok"/"not ok" per case, the plan at the end).
- pcap files: write, read (micro- and nanosecond formats).
- Frames: Ethernet/VLAN, IPv4 (options, DF), IPv6, TCP (options), UDP,
  with correct checksums; and an independent parser/verifier of what
  gso-fwd sent: checksums, lengths, TCP segment rules, IP fragments.
- Running gso-fwd: EAL arguments for tests (no hugepages, a file prefix
  of its own), its exit summary parsed into numbers.
"""

import os
import re
import struct
import subprocess
import sys
import traceback

# ---------------------------------------------------------------- TAP


class Tap:
    """Cases are functions; an exception or a failed check is "not ok"."""

    def __init__(self):
        self.n = 0
        self.failed = 0

    def diag(self, msg):
        for line in str(msg).splitlines():
            print("# " + line)
        sys.stdout.flush()

    def ok(self, cond, name, detail=""):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, name))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            if detail:
                self.diag(detail)
        sys.stdout.flush()
        return cond

    def skip(self, name, why):
        self.n += 1
        print("ok %d - %s # SKIP %s" % (self.n, name, why))
        sys.stdout.flush()

    def run(self, name, fn, *args):
        """fn returns None (pass) or a string (failure detail)."""
        try:
            detail = fn(*args)
        except Check as e:
            detail = str(e) or "check failed"
        except Exception:  # a crash of the case is its failure
            detail = traceback.format_exc()
        return self.ok(detail is None, name, detail or "")

    def done(self):
        # A sanitizer report in a child's output fails the run even where
        # the case that ran it read no exit status (one more case, "not
        # ok", only then: the plan is printed last).
        if SANITIZER_REPORTS:
            self.ok(False, "no sanitizer report from the processes tested",
                    "\n\n".join(SANITIZER_REPORTS))
        print("1..%d" % self.n)
        sys.stdout.flush()
        return 1 if self.failed else 0


# ---------------------------------------------------------------- sanitizers

# What ASan, LSan and UBSan print (the sanitizer build, docs/testing.md).
SANITIZER_MARKS = ("ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                   "runtime error:")
SANITIZER_REPORTS = []


def note_output(who, text):
    """Keep the first sanitizer report in text (a child's whole output) for
    Tap.done(); returns the text."""
    for mark in SANITIZER_MARKS:
        i = text.find(mark)
        if i >= 0:
            start = text.rfind("\n", 0, max(0, i - 200)) + 1
            SANITIZER_REPORTS.append("%s: %s" % (who, text[start:i + 4000]))
            # Now too: a driver that fails before Tap.done() still shows it.
            sys.stderr.write("%s\n" % SANITIZER_REPORTS[-1])
            break
    return text


class Check(Exception):
    """A failed expectation inside a case."""


def expect(cond, msg):
    if not cond:
        raise Check(msg)

# ---------------------------------------------------------------- pcap


def pcap_write(path, frames):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        for i, fr in enumerate(frames):
            f.write(struct.pack("<IIII", 1, i, len(fr), len(fr)))
            f.write(fr)


def pcap_read(path):
    """Frames of a pcap file; raises if a frame was truncated."""
    data = open(path, "rb").read()
    if len(data) < 24:
        raise Check("%s: no pcap header" % path)
    magic = struct.unpack("<I", data[:4])[0]
    if magic in (0xA1B2C3D4, 0xA1B23C4D):
        end = "<"
    elif magic in (0xD4C3B2A1, 0x4D3CB2A1):
        end = ">"
    else:
        raise Check("%s: bad magic %#x" % (path, magic))
    off, frames = 24, []
    while off + 16 <= len(data):
        _, _, incl, orig = struct.unpack(end + "IIII", data[off:off + 16])
        off += 16
        if incl != orig:
            raise Check("%s: frame %d truncated in the file (%d of %d)"
                        % (path, len(frames), incl, orig))
        frames.append(data[off:off + incl])
        off += incl
    return frames

# ---------------------------------------------------------------- frames


def ones_sum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def cksum(data):
    return (~ones_sum(data)) & 0xFFFF


MAC_A = bytes.fromhex("020000000001")
MAC_B = bytes.fromhex("020000000002")
IP4_A, IP4_B = bytes([10, 9, 0, 1]), bytes([10, 9, 0, 2])
IP6_A = bytes.fromhex("fd000000000000000000000000000001")
IP6_B = bytes.fromhex("fd000000000000000000000000000002")

TCP_FIN, TCP_SYN, TCP_RST, TCP_PSH, TCP_ACK, TCP_URG, TCP_ECE, TCP_CWR = \
    0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80
TS_OPTION = bytes([1, 1, 8, 10]) + struct.pack("!II", 12345, 67890)


def eth(payload, ethertype, vlan=None, dst=MAC_B, src=MAC_A):
    if vlan is None:
        return dst + src + struct.pack("!H", ethertype) + payload
    return (dst + src + struct.pack("!HHH", 0x8100, vlan, ethertype) +
            payload)


def ipv4(l4, proto, ident=0x1000, df=False, options=b"", src=IP4_A,
         dst=IP4_B, total_length=None):
    ihl = (20 + len(options)) // 4
    tl = total_length if total_length is not None else 20 + len(options) + len(l4)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x40 | ihl, 0, tl, ident,
                      0x4000 if df else 0, 64, proto, 0, src, dst) + options
    hdr = hdr[:10] + struct.pack("!H", cksum(hdr)) + hdr[12:]
    return hdr + l4


def ipv6(l4, nh, src=IP6_A, dst=IP6_B):
    return struct.pack("!IHBB16s16s", 0x60000000, len(l4), nh, 64, src,
                       dst) + l4


def phdr(v6, src, dst, proto, length):
    if v6:
        return src + dst + struct.pack("!IxxxB", length, proto)
    return src + dst + struct.pack("!xBH", proto, length)


def tcp(payload, sport, dport=80, seq=1000, ack=2000, flags=TCP_ACK,
        options=TS_OPTION, v6=False, src=None, dst=None, window=512):
    src = src or (IP6_A if v6 else IP4_A)
    dst = dst or (IP6_B if v6 else IP4_B)
    off = (20 + len(options)) // 4
    hdr = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, off << 4, flags,
                      window, 0, 0) + options
    seg = hdr + payload
    c = cksum(phdr(v6, src, dst, 6, len(seg)) + seg)
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def udp(payload, sport, dport=9000, v6=False, src=None, dst=None):
    src = src or (IP6_A if v6 else IP4_A)
    dst = dst or (IP6_B if v6 else IP4_B)
    seg = struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload
    c = cksum(phdr(v6, src, dst, 17, len(seg)) + seg) or 0xFFFF
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def pattern(n, seed):
    """n bytes that differ per seed and per position (catches reordering)."""
    out = bytearray(n)
    x = (seed * 2654435761) & 0xFFFFFFFF
    for i in range(n):
        x = (x * 1103515245 + 12345) & 0xFFFFFFFF
        out[i] = x >> 24
    return bytes(out)


def tcp4_frame(payload, sport, flags=TCP_ACK | TCP_PSH, options=TS_OPTION,
               ip_options=b"", vlan=None, ident=0x1000, seq=1000):
    return eth(ipv4(tcp(payload, sport, flags=flags, options=options,
                        seq=seq), 6, ident=ident, df=True,
                    options=ip_options), 0x0800, vlan=vlan)


def tcp6_frame(payload, sport, flags=TCP_ACK | TCP_PSH, options=TS_OPTION,
               seq=1000):
    return eth(ipv6(tcp(payload, sport, flags=flags, options=options,
                        v6=True, seq=seq), 6), 0x86DD)


def udp4_frame(payload, sport, df=False, ident=0x2000):
    return eth(ipv4(udp(payload, sport), 17, ident=ident, df=df), 0x0800)


def udp6_frame(payload, sport):
    return eth(ipv6(udp(payload, sport, v6=True), 17), 0x86DD)

# ------------------------------------------------------- parse and verify


class Pkt:
    """What a frame holds, parsed independently of DPDK."""

    def __init__(self, frame):
        self.frame = frame
        self.vlan = None
        off, et = 12, struct.unpack("!H", frame[12:14])[0]
        if et == 0x8100:
            self.vlan = struct.unpack("!H", frame[14:16])[0]
            et = struct.unpack("!H", frame[16:18])[0]
            off = 16
        self.l2 = off + 2
        self.ethertype = et
        self.v4 = et == 0x0800
        self.v6 = et == 0x86DD
        self.proto = None
        self.frag_off = 0
        self.more_frags = False
        ip = frame[self.l2:]
        if self.v4:
            ihl = (ip[0] & 15) * 4
            self.l3 = ihl
            self.ip_len = struct.unpack("!H", ip[2:4])[0]
            self.ident = struct.unpack("!H", ip[4:6])[0]
            fo = struct.unpack("!H", ip[6:8])[0]
            self.df = bool(fo & 0x4000)
            self.more_frags = bool(fo & 0x2000)
            self.frag_off = (fo & 0x1FFF) * 8
            self.proto = ip[9]
            self.src, self.dst = ip[12:16], ip[16:20]
            self.ip_hdr = ip[:ihl]
            self.ip_ok = cksum(ip[:ihl]) == 0
        elif self.v6:
            self.l3 = 40
            self.ip_len = 40 + struct.unpack("!H", ip[4:6])[0]
            self.proto = ip[6]
            self.src, self.dst = ip[8:24], ip[24:40]
            self.ip_hdr = ip[:40]
            self.ip_ok = True
        if self.v4 or self.v6:
            self.l4_data = ip[self.l3:self.ip_len]

    def first_fragment(self):
        return self.frag_off == 0

    def is_fragment(self):
        return self.v4 and (self.more_frags or self.frag_off != 0)

    def tcp(self):
        """(sport, dport, seq, ack, flags, window, urg, options, payload)"""
        t = self.l4_data
        off = (t[12] >> 4) * 4
        sport, dport, seq, ack = struct.unpack("!HHII", t[:12])
        flags = t[13]
        window, _, urg = struct.unpack("!HHH", t[14:20])
        return sport, dport, seq, ack, flags, window, urg, t[20:off], t[off:]

    def l4_ok(self):
        """The TCP/UDP checksum of a whole (unfragmented) datagram."""
        if self.proto == 17 and self.v4 and \
                struct.unpack("!H", self.l4_data[6:8])[0] == 0:
            return True
        return ones_sum(phdr(self.v6, self.src, self.dst, self.proto,
                             len(self.l4_data)) + self.l4_data) == 0xFFFF


def tshark_bad(path):
    """Frames tshark flags (bad IPv4/TCP/UDP checksum, malformed, expert
    error) with checksum validation on; and how many it saw as good."""
    opts = ["-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE",
            "-o", "udp.check_checksum:TRUE"]
    bad_filter = ("ip.checksum.status == 0 || tcp.checksum.status == 0 || "
                  "udp.checksum.status == 0 || _ws.malformed || "
                  "_ws.expert.severity == error")
    good_filter = "tcp.checksum.status == 1 || udp.checksum.status == 1"

    def count(flt):
        r = subprocess.run(["tshark", "-n", "-r", path] + opts +
                           ["-Y", flt, "-T", "fields", "-e", "frame.number"],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True, timeout=120)
        if r.returncode != 0:
            raise Check("tshark failed: %s" % r.stderr.strip())
        return [int(x) for x in r.stdout.split()]
    return count(bad_filter), len(count(good_filter))


def verify_tcp_segments(sf, segs, mtu, mss_cap=None):
    """segs (Pkt, in order) must be sf (the superframe, Pkt) cut as TCP
    segmentation does at the MSS the MTU allows (or mss_cap if smaller).
    Returns None or what is wrong."""
    s_sport, s_dport, s_seq, s_ack, s_flags, s_win, s_urg, s_opt, s_pay = \
        sf.tcp()
    hdrs = sf.l3 + (20 + len(s_opt))
    mss = min(mtu - hdrs, mss_cap or mtu)
    want = max(1, -(-len(s_pay) // mss))
    if len(segs) != want:
        return "%d segments, expected %d (mss %d)" % (len(segs), want, mss)
    got = b""
    for i, p in enumerate(segs):
        sport, dport, seq, ack, flags, win, urg, opt, pay = p.tcp()
        last = i == len(segs) - 1
        if p.ip_len > mtu:
            return "segment %d: IP length %d over the MTU" % (i, p.ip_len)
        if not p.ip_ok or not p.l4_ok():
            return "segment %d: bad IP or TCP checksum" % i
        if (sport, dport, ack, win, urg, opt) != \
                (s_sport, s_dport, s_ack, s_win, s_urg, s_opt):
            return "segment %d: TCP header fields changed" % i
        if seq != (s_seq + i * mss) & 0xFFFFFFFF:
            return "segment %d: seq %d, expected %d" % (i, seq, s_seq + i * mss)
        want_flags = s_flags
        if not last:
            want_flags &= ~(TCP_FIN | TCP_PSH)
        if i > 0:
            want_flags &= ~TCP_CWR
        if flags != want_flags:
            return "segment %d: flags %#x, expected %#x" % (i, flags,
                                                           want_flags)
        if not last and len(pay) != mss:
            return "segment %d: %d payload bytes, expected %d" % (
                i, len(pay), mss)
        if sf.v4:
            if p.ident != (sf.ident + i) & 0xFFFF:
                return "segment %d: IP ID %#x, expected %#x" % (
                    i, p.ident, (sf.ident + i) & 0xFFFF)
            # Everything but length, ID and checksum is the superframe's.
            a, b = bytearray(p.ip_hdr), bytearray(sf.ip_hdr)
            for h in (a, b):
                h[2:6] = b"\0" * 4
                h[10:12] = b"\0\0"
            if a != b:
                return "segment %d: IPv4 header fields changed" % i
        else:
            a, b = bytearray(p.ip_hdr), bytearray(sf.ip_hdr)
            a[4:6] = b[4:6] = b"\0\0"
            if a != b:
                return "segment %d: IPv6 header fields changed" % i
        if p.frame[:p.l2] != sf.frame[:sf.l2]:
            return "segment %d: Ethernet header changed" % i
        got += pay
    if got != s_pay:
        return "payload differs after reassembly"
    return None


def reassemble_ipv4(frags):
    """IP payload of a complete set of IPv4 fragments (Pkt), or a Check."""
    frags = sorted(frags, key=lambda p: p.frag_off)
    data = b""
    for i, p in enumerate(frags):
        expect(p.frag_off == len(data), "fragment hole at %d" % len(data))
        expect(p.ip_ok, "fragment %d: bad IPv4 header checksum" % i)
        expect(p.more_frags == (i < len(frags) - 1),
               "fragment %d: MF flag wrong" % i)
        expect(i == len(frags) - 1 or len(p.l4_data) % 8 == 0,
               "fragment %d: %d bytes, not a multiple of 8" % (
                   i, len(p.l4_data)))
        data += p.l4_data
    return data

# ---------------------------------------------------------------- gso-fwd


def fwd_exe():
    exe = os.environ.get("GSO_FWD") or (sys.argv[1] if len(sys.argv) > 1
                                        else None)
    if not exe or not os.access(exe, os.X_OK):
        raise SystemExit("usage: %s PATH-TO-gso-fwd" % sys.argv[0])
    return exe


def eal_args(prefix, vdevs, lcores="0,1", mem=1024, huge=False,
             huge_dir=None):
    """EAL arguments of a test's DPDK process: lcores as an -l list, or an
    --lcores map when it holds '@'; mem MB without hugepages, or on them
    (huge; huge_dir when not the default mount); a file prefix of its own,
    the given vdevs."""
    args = ["--lcores", lcores] if "@" in lcores else ["-l", lcores]
    if huge:
        args += ["--socket-mem", str(mem)]
        if huge_dir:
            args += ["--huge-dir", huge_dir]
    else:
        args += ["--no-huge", "-m", str(mem)]
    args += ["--no-pci", "--file-prefix", prefix, "--log-level",
             "lib.eal:error"]
    for v in vdevs:
        args += ["--vdev", v]
    return args


def parse_summary(text):
    """{port: {name: int}} from gso-fwd's "summary port=N k=v ..." lines,
    and the outstanding mbuf count (None if the line is missing)."""
    ports = {}
    for line in text.splitlines():
        if line.startswith("summary "):
            kv = dict(x.split("=", 1) for x in line.split()[1:])
            ports[int(kv["port"])] = {k: int(v) for k, v in kv.items()}
    m = re.search(r"mbufs outstanding after shutdown: (\d+)", text)
    return ports, (int(m.group(1)) if m else None)


def run_fwd(exe, eal, app, timeout=120, cwd=None):
    """Run gso-fwd to completion; returns (returncode, output)."""
    r = subprocess.run([exe] + eal + ["--"] + app, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=timeout,
                       cwd=cwd)
    return r.returncode, note_output(os.path.basename(exe), r.stdout)
