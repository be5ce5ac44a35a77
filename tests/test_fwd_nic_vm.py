#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""gso-fwd inside a QEMU guest on DPDK's real NIC drivers (issue 19):
TCP/IPv4 and TCP/IPv6 superframes out of
  port 0  vmxnet3          (net_vmxnet3)  hardware path: TSO;
  port 1  virtio-net-pci   (net_virtio)   hardware path: TSO;
  port 2  e1000e           (net_e1000_em) no TSO: software segments with
                                          the NIC's checksum offloads,
each NIC's QEMU netdev a host tap with vnet_hdr=on.

One guest, one gso-fwd for the three NICs (EAL start-up under TCG: 9-28 s
measured here), plus a short second run on vmxnet3 with mbuf chains:

  guest (Debian kernel, DPDK PMDs on uio_pci_generic, 2 MB hugepages)
    inject k (AF_PACKET) == veth == port 3+k net_af_packet --> port k NIC
  host
    tap k (vnet_hdr) -- bridge k -- veth x k (TSO, GSO, checksum offload
    off: the host kernel makes the final cut here) == y k (namespace)
    capture: every frame x k transmits (AF_PACKET, PACKET_OUTGOING)

The source: the guest writes TCP superframes (Ethernet + IP + TCP with
timestamps; frames of 1066..60000 bytes, one with CWR, FIN on the last)
into a veth with a packet socket, with the partial (pseudo-header) TCP
checksum a kernel sender with checksum offload leaves; net_af_packet hands
each to gso-fwd in one mbuf (its ring frame holds 61440 bytes, so
--mbuf-size 65535). Why not a kernel TCP sender: the superframe sizes, and
so the mbuf layouts, are the test's (20 KB and larger single-mbuf
superframes are what vanished on vmxnet3); the stream is sent once, so a
superframe that vanishes is a hole, not a retransmission hidden by TCP; and
no return path (ACKs through the NICs' RX) has to run under TCG.

The host checks EVERY frame each tap let out, after the host kernel's
segmentation (what vnet_hdr's TSO packets become on a wire):
  - tshark, IPv4 and TCP checksum validation on: no bad checksum, nothing
    malformed, every TCP segment "good";
  - field by field against the superframe it came from
    (fwdtest.verify_tcp_segments): segment count at MSS = MTU - IP - TCP
    headers, every frame <= the MTU, IPv4 total length / IPv6 payload
    length, IPv4 ID incrementing per segment, TCP sequence continuity,
    PSH/FIN on the last segment only, CWR on the first only, every other
    header field unchanged, the payload reassembled byte for byte; the
    frames of a flow put in sequence order (the host may reorder them:
    QEMU writes a tap from whichever vCPU thread rang the doorbell, so
    frames enter different CPUs' backlogs; the library's own order is
    test_queue_order's), none missing, none extra; SHA-256 of each
    flow's reassembled stream against what was sent;
  - at the taps (a packet socket each, before the host's cut): the
    hardware path's TSO packets whole (vnet_hdr), every segment with its
    TCP checksum offloaded (the pseudo-header sum; e1000e's software
    segments too), the passed frames complete;
  - gso-fwd's counters (its exit summary): which path each superframe took
    (vmxnet3: hardware up to 16 KB in one mbuf, software counted as
    "seg-data-limit" above: the PMD's 16 KB per-descriptor limit; virtio:
    hardware; e1000e: software, "not-active"), nothing rejected or dropped,
    every mbuf back.

Skips (77, with the reason) where QEMU, the kernel, busybox or tshark are
missing, or without root. No tap, bridge, veth or namespace is left behind
(leftovers of a killed run are removed by name first).

Usage: test_fwd_nic_vm.py PATH-TO-gso-fwd
       test_fwd_nic_vm.py --guest PATH-TO-gso-fwd   (the guest's part)
Environment: GSO_VM_TIMEOUT (the VM's bound, s; default 240),
GSO_NICVM_REPEAT (superframe rounds per flow; default 4, about 0.57 MB).
"""

import bisect
import hashlib
import json
import os
import random
import re
import select
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "vm"))

from fwdtest import (Pkt, Tap, TCP_ACK, TCP_CWR, TCP_FIN, TCP_PSH,  # noqa
                     TS_OPTION, cksum, expect, fwd_exe, ones_sum,
                     parse_summary, pcap_write, phdr, tshark_bad,
                     verify_tcp_segments)

# ---------------------------------------------------------------- the plan

NICS = (  # (name, QEMU device, PCI slot in the guest)
    ("vmxnet3", "vmxnet3", 0x10),
    ("virtio", "virtio-net-pci", 0x11),
    ("e1000e", "e1000e", 0x12),
)
MTU = 1500
# Frame sizes of each round of a flow: under the MTU (passed through),
# TSO-sized below vmxnet3's 16 KB descriptor, and above it (20 KB: the
# size that vanished) up to what net_af_packet's ring frame holds.
FRAME_SIZES = (1066, 4000, 9000, 16000, 20000, 33000, 60000)
VMXNET3_DESC_MAX = 16384     # VMXNET3_MAX_TX_BUF_SIZE (vmxnet3_defs.h)
AF_PACKET_FRAMESZ = 61440
FRAMECNT = 128               # ring frames per af_packet port > a NIC's frames
# The second, short run: vmxnet3 with superframes in chains of 2 KB mbufs
# (net_pcap's RX chains a frame larger than one mbuf): every descriptor
# under the 16 KB limit, so all of them go to hardware.
CHAINED_NIC = 0
CHAINED_MBUF = 2176          # RTE_MBUF_DEFAULT_BUF_SIZE
HUGEPAGES = 400              # 2 MB each, of the guest's 2 GB
NAME = "gsonv"               # every host object: gsonv{t,b,x,y}K, gsonvns
HOST_NS = NAME + "ns"


def repeat():
    return int(os.environ.get("GSO_NICVM_REPEAT", "4"))


def macs(k):
    return (bytes.fromhex("0200005e%02x01" % k),
            bytes.fromhex("0200005e%02x02" % k))


def addrs(k, fam):
    if fam == 4:
        return bytes([10, 79, k, 1]), bytes([10, 79, k, 2])
    return (bytes.fromhex("fd790000%04x00000000000000000001" % k),
            bytes.fromhex("fd790000%04x00000000000000000002" % k))


def mss(fam):
    return MTU - (20 if fam == 4 else 40) - 20 - len(TS_OPTION)


def flow(k, fam, chained=False):
    """The superframes of NIC k's flow of family fam (frames, in order)
    and the payload they carry. The TCP checksum is the pseudo-header sum
    a kernel sender with checksum offload leaves (CHECKSUM_PARTIAL), but
    complete for the chained run's pcap source (gso-fwd completes partial
    sums only from af_packet and tap ports); IPv4 IDs advance by the
    segments each superframe becomes, as a kernel's do, so the IDs on the
    wire run on without a gap."""
    src_mac, dst_mac = macs(k)
    src, dst = addrs(k, fam)
    sport, dport = 40000 + 10 * k + fam + 100 * chained, 5001
    rnd = random.Random(1000 * k + fam + 100 * chained)
    seq, ident = 0x10000000 * (k + 1) + fam, 0x100 * (k + 1)
    hdrs = 14 + (20 if fam == 4 else 40) + 20 + len(TS_OPTION)
    sizes = [s for _ in range(repeat()) for s in FRAME_SIZES]
    frames, stream = [], b""
    for i, size in enumerate(sizes):
        pay = rnd.randbytes(size - hdrs)
        flags = TCP_ACK | TCP_PSH
        if i == 5:
            flags |= TCP_CWR
        if i == len(sizes) - 1:
            flags |= TCP_FIN
        seg = struct.pack("!HHIIBBHHH", sport, dport, seq, 0x55667788,
                          (20 + len(TS_OPTION)) // 4 << 4, flags, 1024, 0,
                          0) + TS_OPTION + pay
        ph = phdr(fam == 6, src, dst, 6, len(seg))
        c = cksum(ph + seg) if chained else ones_sum(ph)
        seg = seg[:16] + struct.pack("!H", c) + seg[18:]
        if fam == 4:
            ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(seg), ident,
                             0x4000, 64, 6, 0, src, dst)
            ip = ip[:10] + struct.pack("!H", cksum(ip)) + ip[12:]
            et = 0x0800
        else:
            ip = struct.pack("!IHBB16s16s", 0x60000000, len(seg), 6, 64,
                             src, dst)
            et = 0x86DD
        frames.append(dst_mac + src_mac + struct.pack("!H", et) + ip + seg)
        stream += pay
        seq = (seq + len(pay)) & 0xFFFFFFFF
        ident = (ident + max(1, -(-len(pay) // mss(fam)))) & 0xFFFF
    return frames, stream


def superframes(k, chained=False):
    """[(family, frames, stream)] of NIC k, in the order sent."""
    return [(fam,) + flow(k, fam, chained) for fam in (4, 6)]


def on_wire(k):
    """Every flow NIC k sends, in order: its own, then on vmxnet3 the
    chained run's."""
    return superframes(k) + (superframes(k, True) if k == CHAINED_NIC
                             else [])

# ---------------------------------------------------------------- the guest


def sh(*cmd, check=True):
    r = subprocess.run([str(c) for c in cmd], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True)
    if check and r.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(map(str, cmd)),
                                       r.stdout.strip()))
    return r.stdout


def bind_uio(slot):
    """The NIC at 00:slot.0 to uio_pci_generic (its kernel driver, if the
    guest has one, let go first)."""
    dev = "0000:00:%02x.0" % slot
    base = "/sys/bus/pci/devices/" + dev
    with open(base + "/driver_override", "w") as f:
        f.write("uio_pci_generic")
    if os.path.exists(base + "/driver"):
        with open(base + "/driver/unbind", "w") as f:
            f.write(dev)
    with open("/sys/bus/pci/drivers_probe", "w") as f:
        f.write(dev)
    drv = os.path.basename(os.readlink(base + "/driver"))
    if drv != "uio_pci_generic":
        raise RuntimeError("%s bound to %s" % (dev, drv))
    return dev


def wait_handled(tel, port, want):
    """Until the pipeline of port has taken want frames (passed, offloaded
    or segmented, or rejected), or 120 s."""
    from fwdnetns import poll_until

    def handled(v):
        return v["pass_pkts"] + v["tcp_ok"] + v["tcp_fail"] + \
            sum(x for name, x in v.items() if name.startswith("rejected_"))
    v = poll_until(lambda: tel.query("/gso_fwd/stats,%d" % port),
                   lambda v: handled(v) >= want, 120)
    if handled(v) < want:
        print("# guest: port %d handled %d of %d frames" % (
            port, handled(v), want))


def xstats(tel, port):
    """A PMD's own non-zero counters: vmxnet3's drop_* count what it freed
    without sending (a packet that does not fit the ring's free
    descriptors), which ethdev's packet counters do not show."""
    return {n: v for n, v in tel.query("/ethdev/xstats,%d" % port).items()
            if v}


def guest_main(exe):
    from fwdnetns import Proc, Telemetry, fwd_stop, poll_until
    t0 = time.monotonic()
    out = {"t": {}}

    def mark(what):
        out["t"][what] = round(time.monotonic() - t0, 1)
        print("# guest: %s at %.1f s" % (what, out["t"][what]))
        sys.stdout.flush()

    sh("modprobe", "-a", "uio_pci_generic", "veth")
    pci = [bind_uio(slot) for _, _, slot in NICS]
    # Nothing of the guest's own on the wire: no IPv6 (router and
    # neighbour solicitations) on the veths gso-fwd forwards from.
    sh("sysctl", "-qw", "net.ipv6.conf.all.disable_ipv6=1",
       "net.ipv6.conf.default.disable_ipv6=1")
    for k in range(len(NICS)):
        # MTU 65000 both ends: a raw frame over the MTU is refused by the
        # packet socket (i) and dropped by the veth (g).
        sh("ip", "link", "add", "i%d" % k, "mtu", 65000, "type", "veth",
           "peer", "name", "g%d" % k, "mtu", 65000)
        sh("ip", "link", "set", "i%d" % k, "up")
        sh("ip", "link", "set", "g%d" % k, "up")
    mark("NICs bound, veths made")
    prefix = "nicvm"
    geo = "framesz=%d,blocksz=%d,framecnt=%d,qdisc_bypass=1" % (
        AF_PACKET_FRAMESZ, AF_PACKET_FRAMESZ, FRAMECNT)
    # Hugepages: uio_pci_generic devices DMA to physical addresses, which
    # DPDK knows only on hugepages (with --no-huge, EAL picks IOVA as VA
    # and refuses every device: "Expecting 'PA' IOVA mode").
    with open("/proc/sys/vm/nr_hugepages", "w") as f:
        f.write("%d" % HUGEPAGES)
    os.makedirs("/dev/hugepages", exist_ok=True)
    sh("mount", "-t", "hugetlbfs", "nodev", "/dev/hugepages")
    eal = ["-l", "0,1", "--huge-dir", "/dev/hugepages", "--file-prefix",
           prefix, "--log-level", "lib.eal:error"]
    for dev in pci:
        eal += ["-a", dev]
    for k in range(len(NICS)):
        eal += ["--vdev", "net_af_packet%d,iface=g%d,%s" % (k, k, geo)]
    n = len(NICS)
    app = ["--map", ",".join("%d:%d" % (n + k, k) for k in range(n)),
           "--mbuf-size", "65535", "--nb-mbufs", "1536", "--rxd", "128",
           "--txd", "512", "--check-contract",
           # A spinning worker would take a host CPU from the guest.
           "--idle-sleep", "200"]
    print("# guest: %s %s -- %s" % (exe, " ".join(eal), " ".join(app)))
    fwd = Proc([exe] + eal + ["--"] + app)
    try:
        fwd.read_until("gso-fwd: forwarding", 180)
        mark("gso-fwd forwarding")
        tel = Telemetry(prefix)
        out["ports"] = {k: tel.query("/gso_offload/port,%d" % k)
                        for k in range(2 * n)}
        for k in range(n):
            st = poll_until(lambda: tel.query("/ethdev/link_status,%d" % k),
                            lambda v: v.get("status") == "UP", 60)
            if st.get("status") != "UP":
                raise RuntimeError("port %d: link %s" % (k, st))
        mark("links up")
        want = {}
        for k in range(n):
            s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
            s.bind(("i%d" % k, 0))
            want[k] = 0
            for _, frames, _ in superframes(k):
                for fr in frames:
                    s.send(fr)
                    want[k] += 1
            s.close()
        mark("injected")
        for k in range(n):
            wait_handled(tel, k, want[k])
        mark("all handled")
        out["xstats"] = {k: xstats(tel, k) for k in range(n)}
    finally:
        rc, text = fwd_stop(fwd)
    mark("gso-fwd stopped")
    ports, outstanding = parse_summary(text)
    out.update(rc=rc, summary=ports, outstanding=outstanding,
               tail=text[-4000:])
    # The chained run: the same EAL prefix, so its start-up removes the
    # first run's hugepage files. net_pcap reads its file from the start.
    pcap = "/tmp/gso-nicvm-chained.pcap"
    pcap_write(pcap, [fr for _, frames, _ in superframes(CHAINED_NIC, True)
                      for fr in frames])
    eal = eal[:eal.index("-a")] + ["-a", pci[CHAINED_NIC], "--vdev",
                                   "net_pcap0,rx_pcap=" + pcap]
    app = ["--map", "1:0", "--mbuf-size", str(CHAINED_MBUF),
           "--nb-mbufs", "4096", "--rxd", "128", "--txd", "512",
           "--check-contract", "--idle-sleep", "200"]
    print("# guest: %s %s -- %s" % (exe, " ".join(eal), " ".join(app)))
    fwd = Proc([exe] + eal + ["--"] + app)
    try:
        fwd.read_until("gso-fwd: forwarding", 180)
        tel = Telemetry(prefix)
        wait_handled(tel, 0, sum(len(frames) for _, frames, _ in
                                 superframes(CHAINED_NIC, True)))
        out["xstats2"] = {CHAINED_NIC: xstats(tel, 0)}
    finally:
        rc2, text2 = fwd_stop(fwd)
    mark("chained run done")
    ports2, outstanding2 = parse_summary(text2)
    out.update(rc2=rc2, summary2=ports2, outstanding2=outstanding2,
               tail2=text2[-4000:])
    # gso-caps on the three NICs: it used to ask every port for 256 TX
    # descriptors, which vmxnet3 refuses (it needs 512).
    caps = os.path.join(os.path.dirname(exe), "gso-caps")  # build/app/
    eal = eal[:eal.index("-a")]
    for dev in pci:
        eal += ["-a", dev]
    p = subprocess.run([caps] + eal + ["--"], stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, universal_newlines=True,
                       timeout=180)
    out.update(caps_rc=p.returncode, caps=p.stdout[-6000:])
    mark("gso-caps done")
    print("NICVM " + json.dumps(out))
    return 0

# ---------------------------------------------------------------- the host


def host_cleanup():
    """Removes this test's host objects by name (a killed run's too)."""
    for k in range(len(NICS)):
        for dev in ("t", "b", "x"):
            subprocess.run(["ip", "link", "del", "%s%s%d" % (NAME, dev, k)],
                           stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    subprocess.run(["ip", "netns", "del", HOST_NS],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def leftovers():
    links = sh("ip", "-o", "link", "show", check=False)
    found = sorted(set(re.findall(r"\b(%s[tbxy]\d)\b" % NAME, links)))
    if HOST_NS in sh("ip", "netns", "list", check=False).split():
        found.append(HOST_NS)
    return found


def no_ipv6(dev, ns=None):
    pre = ["ip", "netns", "exec", ns] if ns else []
    sh(*(pre + ["sysctl", "-qw", "net.ipv6.conf.%s.disable_ipv6=1" % dev]))


def host_setup():
    """Per NIC: tap (vnet_hdr) and veth x in a bridge; x's peer y in a
    namespace. x has TSO, GSO and checksum offload off, so the host kernel
    segments and checksums what vnet_hdr's TSO packets carry before x
    sends it: a capture on x sees the frames a wire would."""
    sh("ip", "netns", "add", HOST_NS)
    sh("ip", "netns", "exec", HOST_NS, "sysctl", "-qw",
       "net.ipv6.conf.all.disable_ipv6=1",
       "net.ipv6.conf.default.disable_ipv6=1")
    for k in range(len(NICS)):
        t, b, x, y = ("%s%s%d" % (NAME, c, k) for c in "tbxy")
        sh("ip", "tuntap", "add", "dev", t, "mode", "tap", "vnet_hdr")
        # No STP, and no multicast snooping: with it the bridge itself
        # joins 224.0.0.106 and sends IGMP reports out of x.
        sh("ip", "link", "add", b, "type", "bridge", "stp_state", "0",
           "mcast_snooping", "0")
        sh("ip", "link", "add", x, "type", "veth", "peer", "name", y,
           "netns", HOST_NS)
        for dev in (t, b, x):
            no_ipv6(dev)
        sh("ethtool", "-K", x, "tso", "off", "gso", "off", "tx", "off",
           "sg", "off")
        sh("ip", "link", "set", t, "master", b)
        sh("ip", "link", "set", x, "master", b)
        for dev in (t, x, b):
            sh("ip", "link", "set", dev, "up")
        sh("ip", "-n", HOST_NS, "link", "set", y, "up")


class Capture:
    """Every frame a device transmits (or receives: rx), from before the
    VM starts (a packet socket bound to it; a big buffer, drained once the
    VM is gone)."""

    def __init__(self, dev, rx=False):
        self.dev, self.rx = dev, rx
        self.s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                               socket.htons(3))             # ETH_P_ALL
        self.s.setsockopt(socket.SOL_SOCKET, 33, 256 << 20)  # RCVBUFFORCE
        self.s.bind((dev, 0))
        self.base = self.tx_packets()
        self.frames = []

    def tx_packets(self):
        with open("/sys/class/net/%s/statistics/%s_packets" % (
                self.dev, "rx" if self.rx else "tx")) as f:
            return int(f.read())

    def drain(self, timeout=20):
        """Reads until it holds every frame the device counted as sent
        (or timeout); returns (frames, sent, kernel-dropped)."""
        sent = self.tx_packets() - self.base
        deadline = time.monotonic() + timeout
        self.s.setblocking(False)
        while len(self.frames) < sent and time.monotonic() < deadline:
            try:
                data, addr = self.s.recvfrom(1 << 17)
            except BlockingIOError:
                select.select([self.s], [], [], 0.2)
                continue
            if (addr[2] == socket.PACKET_OUTGOING) != self.rx:
                self.frames.append(data)
        tp_packets, tp_drops = struct.unpack(
            "II", self.s.getsockopt(263, 6, 8))    # PACKET_STATISTICS
        return self.frames, sent, tp_drops

    def close(self):
        self.s.close()


def qemu_nic_args():
    args = []
    for k, (_, dev, slot) in enumerate(NICS):
        args += ["-netdev", "tap,id=n%d,ifname=%st%d,script=no,"
                 "downscript=no,vnet_hdr=on" % (k, NAME, k),
                 "-device", "%s,netdev=n%d,addr=0x%x,mac=52:54:00:12:34:%02x"
                 % (dev, k, slot, 0x10 + k)]
    return args


def job_text(exe):
    return "\n".join([
        "cd %s || exit 1" % shlex.quote(os.path.dirname(HERE)),
        "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
        "/sbin:/bin PYTHONDONTWRITEBYTECODE=1",
        "export GSO_NICVM_REPEAT=%d" % repeat(),
        "exec python3 -B %s --guest %s" % (
            shlex.quote(os.path.abspath(__file__)),
            shlex.quote(os.path.abspath(exe)))]) + "\n"

# ---------------------------------------------------------------- checks


def wire_order(sent, got):
    """Which superframe each frame of a flow came from, in wire order, as
    "index x frames" runs: where a check fails, this says whether frames
    are missing, extra or out of order."""
    starts = [Pkt(sf).tcp()[2] for sf in sent]
    runs = []
    for p in got:
        i = bisect.bisect_right(starts, p.tcp()[2]) - 1
        if runs and runs[-1][0] == i:
            runs[-1][1] += 1
        else:
            runs.append([i, 1])
    return " ".join("%dx%d" % (i, n) for i, n in runs)


def check_frames(k, frames, workdir):
    """NIC k's captured frames against what the guest sent."""
    path = os.path.join(workdir, "%s.pcap" % NICS[k][0])
    pcap_write(path, frames)
    if os.environ.get("GSO_NICVM_KEEP"):          # a directory
        shutil.copy(path, os.environ["GSO_NICVM_KEEP"])
    per_flow = {}                  # by TCP source port
    for fr in frames:
        p = Pkt(fr)
        expect(len(fr) <= MTU + 14, "a %d-byte frame, over the MTU" %
               len(fr))
        expect(p.proto == 6 and (p.v4 or p.v6), "a frame not TCP/IP: %s" %
               fr[:64].hex())
        expect(len(p.l4_data) + p.l2 + p.l3 == len(fr),
               "IP length %d in a %d-byte frame" % (p.ip_len, len(fr)))
        per_flow.setdefault(p.tcp()[0], []).append(p)
    bad, good = tshark_bad(path)
    expect(not bad, "tshark: bad checksum, malformed or error in frames "
           "%s of %s" % (bad[:20], path))
    expect(good == len(frames), "tshark: %d of %d frames with a good TCP "
           "checksum" % (good, len(frames)))
    notes = []
    for fam, sent, stream in on_wire(k):
        sport = Pkt(sent[0]).tcp()[0]
        got = per_flow.get(sport, [])
        what = "IPv%d%s" % (fam, ", chained run" if sport >= 40100 else "")
        order = "superframe x frames on the wire: " + wire_order(sent, got)
        # Sequence order, relative to the flow's first byte (no wrap:
        # a flow is far below 4 GB); a stable sort keeps duplicates.
        base = Pkt(sent[0]).tcp()[2]
        arrived = got
        got = sorted(got, key=lambda p: (p.tcp()[2] - base) & 0xFFFFFFFF)
        if got != arrived:
            notes.append("%s: the host reordered frames (%s)" % (what,
                                                                 order))
        pos, payload = 0, b""
        for i, sf in enumerate(sent):
            sp = Pkt(sf)
            n = max(1, -(-len(sp.tcp()[8]) // mss(fam)))
            segs = got[pos:pos + n]
            expect(len(segs) == n, "%s superframe %d (%d bytes): %d of "
                   "its %d segments arrived (%d frames of the flow in "
                   "all); %s" % (what, i, len(sf), len(segs), n, len(got),
                                 order))
            # The superframe as the segments must show it: its TCP
            # checksum was partial; every other field is compared.
            why = verify_tcp_segments(sp, segs, MTU)
            expect(why is None, "%s superframe %d (%d bytes): %s; %s" % (
                what, i, len(sf), why, order))
            payload += b"".join(p.tcp()[8] for p in segs)
            pos += n
        expect(pos == len(got), "%s: %d frames more than sent; %s" % (
            what, len(got) - pos, order))
        h = hashlib.sha256(payload).hexdigest()
        expect(h == hashlib.sha256(stream).hexdigest(),
               "%s: SHA-256 of the stream differs" % what)
        notes.append("%s %d superframes -> %d frames, %d bytes, sha256 "
                     "%s" % (what, len(sent), len(got), len(payload),
                             h[:16]))
    return notes


def tap_kinds(frames):
    """The TCP frames QEMU wrote into a tap, by TCP checksum field:
    complete, partial (the pseudo-header sum: left to the host, as
    vnet_hdr's checksum offload has it), other; and how many are over
    the MTU (TSO packets that vnet_hdr hands over whole)."""
    kinds = {"complete": 0, "partial": 0, "other": 0, "over_mtu": 0}
    for fr in frames:
        p = Pkt(fr)
        if not (p.v4 or p.v6) or p.proto != 6:
            kinds["other"] += 1
            continue
        kinds["over_mtu"] += len(fr) > MTU + 14
        field = struct.unpack("!H", p.l4_data[16:18])[0]
        ph = ones_sum(phdr(p.v6, p.src, p.dst, 6, len(p.l4_data)))
        if p.l4_ok():
            kinds["complete"] += 1
        elif field == ph:
            kinds["partial"] += 1
        else:
            kinds["other"] += 1
    return kinds


def expected_paths(k, chained=False):
    """(passed, hardware, software, software by reason) of NIC k."""
    sizes = [len(f) for _, frames, _ in superframes(k, chained)
             for f in frames]
    small = sum(1 for s in sizes if s <= MTU + 14)
    big = [s for s in sizes if s > MTU + 14]
    name = NICS[k][0]
    if chained:
        return small, len(big), 0, {}
    if name == "vmxnet3":
        over = sum(1 for s in big if s > VMXNET3_DESC_MAX)
        return small, len(big) - over, over, {"seg-data-limit": over}
    if name == "virtio":
        return small, len(big), 0, {}
    return small, 0, len(big), {"not-active": len(big)}


def check_paths(k, c, xs, chained=False):
    small, hw, sw, reasons = expected_paths(k, chained)
    bad = {n: v for n, v in (xs or {}).items()
           if "drop" in n or "err" in n or "fail" in n}
    expect(xs is not None and not bad, "the PMD's xstats: %s" % (
        bad if xs is not None else "none read"))
    got = (c["pass_pkts"], c["hw_pkts"], c["sw_pkts"])
    why = {r: c.get("sw_reason_" + r) for r in reasons}
    expect(got == (small, hw, sw) and all(why[r] == n for r, n in
                                          reasons.items()),
           "passed/hardware/software %s, expected %s; software reasons %s, "
           "expected %s" % (got, (small, hw, sw), why, reasons))
    bad = {n: v for n, v in c.items() if v and (
        n.startswith("rejected_") or
        (n.startswith("contract_") and n not in ("contract_checked",
                                                 "contract_gso")) or
        n in ("tx_dropped", "split_pkts", "fwd_malformed_dropped"))}
    expect(not bad, "rejected, dropped or against the port's contract: %s"
           % bad)
    expect(c.get("contract_checked", 0) >= small + hw + sw,
           "the contract checker saw %s packets" % c.get("contract_checked"))

# ---------------------------------------------------------------- main


def check_gso_caps(result):
    out = result.get("caps", "")
    expect(result.get("caps_rc") == 0, "gso-caps exited %s:\n%s" % (
        result.get("caps_rc"), out))
    ports = re.findall(r"^port (\d+)  (\S+)\s+provider (\S+)$", out, re.M)
    want = ["vmxnet3", "virtio", "e1000_em"]
    expect([p[2] for p in ports] == want,
           "ports and providers %s, expected %s:\n%s" % (ports, want, out))
    queues = re.findall(r"^  queues    rx (\d+) tx (\d+) descriptors$", out,
                        re.M)
    expect(len(queues) == 3 and int(queues[0][1]) >= 512,
           "queue lines %s (vmxnet3 needs >= 512 TX):\n%s" % (queues, out))
    txd = re.findall(r"^  txd       nb_seg_max (\d+), nb_mtu_seg_max (\d+), "
                     r"max_seg_data_len (\d+), max_frame (\d+)$", out, re.M)
    expect(len(txd) == 3 and txd[0][2] == "16383",
           "per-descriptor limits %s (vmxnet3: 16383):\n%s" % (txd, out))


def on_sigterm(signum, frame):
    raise SystemExit(128 + signum)     # the finally blocks clean up


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--guest":
        return guest_main(sys.argv[2])
    import vm
    tap = Tap()
    exe = fwd_exe()
    what = "gso-fwd on vmxnet3, virtio-net and e1000e in a QEMU guest"
    try:
        guest = vm.Guest(modules=("uio_pci_generic", "veth"),
                         timeout=int(os.environ.get("GSO_VM_TIMEOUT",
                                                    "240")),
                         log=tap.diag, qemu_args=qemu_nic_args())
        for tool in ("tshark", "ethtool"):
            if not shutil.which(tool):
                raise vm.Unavailable("%s is not installed (scripts/deps.sh)"
                                     % tool)
    except vm.Unavailable as e:
        tap.skip(what, e)
        return tap.done()
    signal.signal(signal.SIGTERM, on_sigterm)
    work = tempfile.mkdtemp(prefix="gso-nicvm.")
    caps, taps, result, stderr = [], [], {}, []
    t0 = time.monotonic()
    try:
        host_cleanup()
        host_setup()
        caps = [Capture("%sx%d" % (NAME, k)) for k in range(len(NICS))]
        # What QEMU writes into the taps, before the host kernel's cut.
        taps = [Capture("%st%d" % (NAME, k), rx=True)
                for k in range(len(NICS))]

        def on_line(line):
            if line.startswith("NICVM "):
                result.update(json.loads(line[6:]))
            elif line.strip():
                tap.diag(line.lstrip("# "))
        rc, console = guest.run(job_text(exe), on_line, stderr.append)
        t_vm = time.monotonic() - t0
        tap.diag("VM done after %.1f s" % t_vm)
        tap.ok(rc == 0 and result.get("rc") == 0 and
                    result.get("outstanding") == 0,
                    "%s: gso-fwd forwarded and stopped cleanly (guest exit "
                    "%s, gso-fwd exit %s, %s mbufs outstanding)" % (
                        what, rc, result.get("rc"),
                        result.get("outstanding")),
                    "guest stderr:\n%s\nguest console:\n%s\ngso-fwd:\n%s" % (
                        "\n".join(stderr[-40:]),
                        "\n".join(console.splitlines()[-30:]),
                        result.get("tail", "")))
        if result.get("t"):
            tap.diag("guest timings (s from the job's start): %s" %
                     result["t"])
        def xstats_of(run, k):
            return result.get(run, {}).get(str(k))

        for k, (name, _, _) in enumerate(NICS):
            frames, sent, drops = caps[k].drain()
            t = time.monotonic()

            def frames_case(k=k, frames=frames, sent=sent, drops=drops):
                expect(drops == 0 and len(frames) == sent,
                       "capture: %d frames of %d sent, %d dropped" % (
                           len(frames), sent, drops))
                for note in check_frames(k, frames, work):
                    tap.diag("%s: %s" % (name, note))
            tframes, tsent, tdrops = taps[k].drain()
            kinds = tap_kinds(tframes)
            tap.diag("%s: what QEMU wrote into the tap: %s" % (name, kinds))

            def tap_case(kinds=kinds, tsent=tsent, tdrops=tdrops,
                         tframes=tframes, k=k):
                def total(key):
                    return sum(result.get(run, {}).get(str(k), {}).get(
                        key, 0) for run in ("summary", "summary2"))
                hw, segs, passed = (total("hw_pkts"), total("sw_segs"),
                                    total("pass_pkts"))
                expect(tdrops == 0 and len(tframes) == tsent,
                       "tap capture: %d of %d, %d dropped" % (
                           len(tframes), tsent, tdrops))
                want = {"complete": passed, "partial": hw + segs,
                        "other": 0, "over_mtu": hw}
                expect(kinds == want, "%s, expected %s (%d hardware, %d "
                       "software segments, %d passed)" % (
                           kinds, want, hw, segs, passed))
            tap.run("%s: at the tap, hardware TSO packets arrive whole "
                    "(vnet_hdr GSO) and every segment with its TCP checksum "
                    "offloaded (the pseudo-header sum, for the host to "
                    "complete); passed frames complete" % name, tap_case)
            tap.run("%s: every frame on the wire valid (tshark checksums; "
                    "lengths, IDs, seq, flags, MTU), TCP/IPv4 and IPv6 "
                    "streams intact (sha256)" % name, frames_case)
            tap.diag("%s: %d frames checked in %.1f s" % (
                name, len(frames), time.monotonic() - t))
            summ = result.get("summary", {}).get(str(k)) or \
                result.get("summary", {}).get(k)
            info = result.get("ports", {}).get(str(k), {})
            prov = info.get("provider")
            tap.diag("%s: xstats (non-zero): %s" % (
                name, xstats_of("xstats", k)))
            tap.diag("%s: gso_offload port %d: %s" % (name, k, ", ".join(
                "%s %s" % (key, info.get(key)) for key in (
                    "provider", "hw_l3", "hw_l4", "active"))))
            tap.run("%s (provider %s): superframes took the expected path, "
                    "counted; nothing rejected or dropped" % (name, prov),
                    lambda k=k, summ=summ: (expect(summ, "no summary") or
                                            check_paths(k, summ, xstats_of(
                                                "xstats", k))))
            if k == CHAINED_NIC:
                summ = result.get("summary2", {}).get(str(k))
                tap.run("%s, superframes in chains of %d-byte mbufs (a "
                        "second run): all to hardware, counted; nothing "
                        "rejected or dropped; clean exit (%s, %s mbufs "
                        "outstanding)" % (name, CHAINED_MBUF,
                                          result.get("rc2"),
                                          result.get("outstanding2")),
                        lambda k=k, summ=summ: (
                            expect(result.get("rc2") == 0 and
                                   result.get("outstanding2") == 0,
                                   "exit %s, %s outstanding:\n%s" % (
                                       result.get("rc2"),
                                       result.get("outstanding2"),
                                       result.get("tail2"))) or
                            expect(summ, "no summary") or
                            check_paths(k, summ, xstats_of("xstats2", k),
                                        True)))
        tap.run("gso-caps on vmxnet3, virtio-net and e1000e: every port "
                "up with descriptor counts from its desc_lim (vmxnet3: 512 "
                "TX), its provider and per-descriptor limit printed",
                check_gso_caps, result)
    finally:
        for c in caps + taps:
            c.close()
        host_cleanup()
        shutil.rmtree(work, ignore_errors=True)
    left = leftovers()
    tap.ok(not left, "no tap, bridge, veth or namespace left behind",
           "left: %s" % left)
    tap.diag("test ran %.1f s in all" % (time.monotonic() - t0))
    return tap.done()


if __name__ == "__main__":
    raise SystemExit(main())
