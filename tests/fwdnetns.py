# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""Network namespaces around gso-fwd, for its end-to-end tests.

    ns A (kernel sender)          ns F (gso-fwd)             ns B (kernel receiver)
    a0 ======================= fa   [af_packet]  [af_packet]   fb ======== b0
    10.77.N.1, fd77:N::1          port 0 ---> port 1             10.77.N.2, fd77:N::2

gso-fwd runs in its own namespace F so that its af_packet ports (and their
PACKET_FANOUT groups, which are per namespace) meet nothing else, and F's
kernel has no address and IPv6 off on fa/fb: it neither answers nor
forwards. A and B know each other's MAC (permanent neighbours), so no
ARP/ND depends on timing. Facts the layout relies on:
  - A's kernel sends TCP superframes (TSO on veth) up to gso_max_size; an
    af_packet ring frame holds at most framesz - 66 bytes of a frame and
    an mbuf at most 65535 - 128 bytes, so framesz is 61440 and A's
    gso_max_size 60000 (larger frames would be truncated: gso-fwd drops
    and counts those as malformed).
  - Frames the kernel hands to af_packet carry partial checksums; frames
    af_packet injects arrive CHECKSUM_NONE and are verified by the kernel.
"""

import json
import os
import select
import signal
import socket
import subprocess
import sys
import time

from fwdtest import eal_args, expect, note_output, parse_summary

HERE = os.path.dirname(os.path.abspath(__file__))
PEER = os.path.join(HERE, "netns_peer.py")
AF_PACKET_FRAMESZ = 61440
SENDER_GSO_MAX = 60000


def sh(*cmd, check=True):
    r = subprocess.run(list(cmd), stdout=subprocess.PIPE,
                       stderr=subprocess.PIPE, text=True)
    if check and r.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd), r.stderr.strip()))
    return r.stdout


def can_run():
    """None, or why the namespace tests cannot run here."""
    if os.geteuid() != 0:
        return "needs root (namespaces, veth)"
    for tool in ("ip",):
        if subprocess.run(["which", tool], stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode != 0:
            return "%s is not installed" % tool
    return None


class Topology:
    def __init__(self, tag, mtu_a=1500, mtu_b=1500):
        pid = os.getpid()
        self.n = pid % 250
        self.ns_a, self.ns_b, self.ns_f = ("gf%s%d%s" % (tag, pid, x)
                                           for x in "abf")
        short = "%s%d" % (tag, pid % 100000)
        self.a0, self.fa = "ga" + short, "gA" + short
        self.b0, self.fb = "gb" + short, "gB" + short
        self.ip4_a, self.ip4_b = "10.77.%d.1" % self.n, "10.77.%d.2" % self.n
        self.ip6_a = "fd77:%x::1" % self.n
        self.ip6_b = "fd77:%x::2" % self.n
        self.mtu_a, self.mtu_b = mtu_a, mtu_b
        self.made = False

    def create(self):
        self.destroy()
        self.made = True
        for ns in (self.ns_a, self.ns_b, self.ns_f):
            sh("ip", "netns", "add", ns)
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        for ns in (self.ns_a, self.ns_b):
            sh("ip", "netns", "exec", ns, "sysctl", "-qw",
               "net.ipv6.conf.all.accept_dad=0",
               "net.ipv6.conf.default.accept_dad=0")
        sh("ip", "link", "add", self.a0, "netns", self.ns_a, "mtu",
           str(self.mtu_a), "type", "veth", "peer", "name", self.fa,
           "netns", self.ns_f, "mtu", str(self.mtu_a))
        sh("ip", "link", "add", self.b0, "netns", self.ns_b, "mtu",
           str(self.mtu_b), "type", "veth", "peer", "name", self.fb,
           "netns", self.ns_f, "mtu", str(self.mtu_b))
        sh("ip", "-n", self.ns_a, "link", "set", self.a0, "gso_max_size",
           str(SENDER_GSO_MAX))
        for dev in (self.fa, self.fb):
            sh("ip", "netns", "exec", self.ns_f, "sysctl", "-qw",
               "net.ipv6.conf.%s.disable_ipv6=1" % dev)
            sh("ip", "-n", self.ns_f, "link", "set", dev, "up")
        self.mac_a = self._mac(self.ns_a, self.a0)
        self.mac_b = self._mac(self.ns_b, self.b0)
        for ns, dev, ip4, ip6, peer4, peer6, peer_mac in (
                (self.ns_a, self.a0, self.ip4_a, self.ip6_a, self.ip4_b,
                 self.ip6_b, self.mac_b),
                (self.ns_b, self.b0, self.ip4_b, self.ip6_b, self.ip4_a,
                 self.ip6_a, self.mac_a)):
            sh("ip", "-n", ns, "addr", "add", ip4 + "/24", "dev", dev)
            sh("ip", "-n", ns, "addr", "add", ip6 + "/64", "dev", dev,
               "nodad")
            sh("ip", "-n", ns, "link", "set", dev, "up")
            for peer in (peer4, peer6):
                sh("ip", "-n", ns, "neigh", "replace", peer, "lladdr",
                   peer_mac, "dev", dev, "nud", "permanent")

    @staticmethod
    def _mac(ns, dev):
        out = sh("ip", "-n", ns, "-j", "link", "show", dev)
        return json.loads(out)[0]["address"]

    def destroy(self):
        for ns in (self.ns_a, self.ns_b, self.ns_f):
            sh("ip", "netns", "del", ns, check=False)

    def vdevs(self, qpairs=1):
        geo = "framesz=%d,blocksz=%d,framecnt=64,qdisc_bypass=1,qpairs=%d" % (
            AF_PACKET_FRAMESZ, AF_PACKET_FRAMESZ, qpairs)
        return ["net_af_packet0,iface=%s,%s" % (self.fa, geo),
                "net_af_packet1,iface=%s,%s" % (self.fb, geo)]

    def offload_state(self, ns, dev):
        """ethtool -k of an interface, as {feature: on/off}."""
        out = sh("ip", "netns", "exec", ns, "ethtool", "-k", dev,
                 check=False)
        feats = {}
        for line in out.splitlines():
            if ":" in line:
                k, v = line.split(":", 1)
                feats[k.strip()] = v.split()[0] if v.split() else ""
        return feats


class Proc:
    """A child with its stdout on a pipe, read line by line with deadlines
    (poll, never sleep)."""

    def __init__(self, argv, stdin=False):
        self.p = subprocess.Popen(argv, stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT,
                                  stdin=subprocess.PIPE if stdin else
                                  subprocess.DEVNULL)
        self.buf = b""
        self.text = ""

    def read_until(self, needle, timeout, since=0):
        """Everything read so far once needle appeared (at or after offset
        since of the text); raises on EOF or deadline."""
        deadline = time.monotonic() + timeout
        while needle not in self.text[since:]:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("no %r within %ss; got:\n%s" % (
                    needle, timeout, self.text[-3000:]))
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if not r:
                continue
            chunk = os.read(self.p.stdout.fileno(), 65536)
            if not chunk:
                raise EOFError("exited before %r; got:\n%s" % (
                    needle, self.text[-3000:]))
            self.text += chunk.decode(errors="replace")
        return self.text

    def write(self, s):
        self.p.stdin.write(s.encode())
        self.p.stdin.flush()

    def finish(self, timeout, sig=None):
        """Send sig (if any), read to EOF, reap; returns (rc, all text)."""
        if sig is not None and self.p.poll() is None:
            self.p.send_signal(sig)
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                self.p.kill()
                break
            r, _, _ = select.select([self.p.stdout], [], [], left)
            if r:
                chunk = os.read(self.p.stdout.fileno(), 65536)
                if not chunk:
                    break
                self.text += chunk.decode(errors="replace")
        rc = self.p.wait()
        return rc, note_output(os.path.basename(self.p.args[0]), self.text)


def peer_cmd(ns, *args):
    return ["ip", "netns", "exec", ns, sys.executable, "-B", PEER] + \
        [str(a) for a in args]


def parse_report(text):
    """The key/value lines a netns_peer.py run printed."""
    out = {}
    for line in text.splitlines():
        parts = line.split(None, 1)
        if len(parts) == 2 and parts[0] in ("status", "bytes", "datagrams",
                                            "seconds", "sha256", "missing"):
            out[parts[0]] = parts[1].strip()
    return out


def transfer(topo, proto, family, port, send_args, timeout=90, dst=None):
    """Receiver in B, sender in A; returns (sender report, receiver
    report). dst: B's address to use (default: B's on b0)."""
    dst = dst or (topo.ip4_b if family == 4 else topo.ip6_b)
    rx = Proc(peer_cmd(topo.ns_b, "recv", "--proto", proto, "--family",
                       family, "--addr", dst, "--port", port,
                       "--timeout-ms", timeout * 1000))
    try:
        rx.read_until("ready", max(20, timeout))
        tx = subprocess.run(peer_cmd(topo.ns_a, "send", "--proto", proto,
                                     "--family", family, "--addr", dst,
                                     "--port", port, "--timeout-ms",
                                     timeout * 1000, *send_args),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, timeout=timeout + 30)
    except BaseException:
        # A test stopped half-way (SIGTERM, a timeout): no receiver left
        # behind in a namespace about to go.
        rx.p.kill()
        rx.p.wait()
        raise
    _, rx_text = rx.finish(timeout + 10)
    return parse_report(tx.stdout), parse_report(rx_text), tx.stdout, rx_text


def poll_until(fn, pred, timeout):
    """Call fn() (a telemetry query) until pred(its value) holds or timeout
    seconds passed; returns the last value, for the caller to check."""
    deadline = time.monotonic() + timeout
    while True:
        v = fn()
        if pred(v) or time.monotonic() > deadline:
            return v


class Telemetry:
    """rte_telemetry v2 socket of a DPDK process (file prefix)."""

    def __init__(self, prefix):
        self.path = "/var/run/dpdk/%s/dpdk_telemetry.v2" % prefix

    def query(self, cmd):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        try:
            s.connect(self.path)
            s.recv(16384)                        # the greeting
            s.send(cmd.encode())
            reply = json.loads(s.recv(1 << 20).decode())
        finally:
            s.close()
        return reply[cmd.split(",", 1)[0]]


def fwd_start(exe, ns, prefix, vdevs, app_args, stdin=False, mem=1024,
              lcores="0,1", timeout=60):
    """gso-fwd in namespace ns (see fwdtest.eal_args), once it forwards
    (within timeout seconds)."""
    p = Proc(["ip", "netns", "exec", ns, exe] +
             eal_args(prefix, vdevs, lcores=lcores, mem=mem) + ["--"] +
             list(app_args), stdin=stdin)
    p.read_until("gso-fwd: forwarding", timeout)
    return p


def fwd_stop(p, timeout=30):
    return p.finish(timeout, signal.SIGTERM)


class FwdStats:
    """A gso-fwd port's counters through telemetry (egress port 1: fb)."""

    def __init__(self, topo, tel, port=1):
        self.topo, self.tel, self.port = topo, tel, port

    def stats(self, port=None):
        return self.tel.query("/gso_fwd/stats,%d" % (
            self.port if port is None else port))

    def wait_stats(self, pred, port=None, timeout=10):
        """Poll until pred(stats) holds (the counters lag the transfer's
        end by at most one burst); returns the last stats."""
        return poll_until(lambda: self.stats(port), pred, timeout)


def same_transfer(tx, rx, what):
    """Both sides of a transfer report ok, the same bytes and SHA-256."""
    expect(tx.get("status") == "ok" and rx.get("status") == "ok",
           "%s: sender %s, receiver %s" % (what, tx.get("status"),
                                            rx.get("status")))
    expect(tx["bytes"] == rx["bytes"], "%s: sent %s bytes, received %s" % (
        what, tx["bytes"], rx["bytes"]))
    expect(tx["sha256"] == rx["sha256"], "%s: SHA-256 differs" % what)


def check_clean_stop(rc, text):
    """gso-fwd's exit after SIGTERM: status 0, every mbuf back, no frame
    truncated on the way in (af_packet cuts without a word)."""
    ports, outstanding = parse_summary(text)
    expect(rc == 0, "exit status %d:\n%s" % (rc, text[-3000:]))
    expect(outstanding == 0, "mbufs outstanding: %s" % outstanding)
    bad = [p for p, c in ports.items() if c["fwd_malformed_dropped"]]
    expect(not bad, "truncated frames on ports %s" % bad)
