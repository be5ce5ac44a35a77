#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""Nothing lost while the offloads change (issue 16), with real peers.

    ns A (kernel sender)         ns F (gso-fwd, and the kernel receiver B)
    a0 ====================== fa [af_packet] port 0 <-> port 1 [net_tap] tap
    10.77.N.1, MTU 9000                                      10.77.N.2 (B)

A's kernel sends a TCP stream (TSO superframes up to 60000 bytes) and a
numbered UDP datagram stream to B, the kernel of namespace F on the tap
interface net_tap created there. gso-fwd cuts the TCP superframes at MSS
1400 (--tcp-mss: net_tap's TSO counts the Ethernet header inside the MTU),
so with lso4 active they leave through net_tap's TSO ("hardware") and
without it they are segmented in software: flipping lso4 matters. While
both streams run, lso4 on port 1 is flipped at least 1000 times, half from
the console (-i), half through telemetry, and gso-fwd's contract checker
(--check-contract) watches every packet handed to net_tap:
  - hitless (the default): every TCP transfer arrives intact (SHA-256 on
    both sides), the UDP receiver counts 0 datagrams missing, the checker
    sees no packet with an offload the port no longer has, the pipeline
    never held the port (tx_held_pkts 0), both paths were taken, and at
    exit every mbuf is back;
  - --restart-on-change 1: each flip restarts net_tap; TCP still arrives
    intact, the checker still sees nothing wrong, the packets that came
    while the port was held waited in gso-fwd's hold queue (counted), and
    every mbuf is back at exit. UDP losses there are reported, not judged
    (the kernel drops what reaches a tap whose link is down).

Usage: test_fwd_hitless.py PATH-TO-gso-fwd
"""

import json
import os
import subprocess
import threading
import time

from fwdnetns import (AF_PACKET_FRAMESZ, SENDER_GSO_MAX, Telemetry, can_run,
                      fwd_start, fwd_stop, peer_cmd, poll_until,
                      parse_report, sh, Proc)
from fwdtest import Tap, expect, fwd_exe, parse_summary

FLIPS = 1000
RESTART_FLIPS = 100
TCP_CHUNK = 4 << 20      # bytes per TCP transfer, repeated while flipping
UDP_SIZES = "200,1000,1400"
UDP_REPEAT = 100         # 300 datagrams per UDP session
TAP_PORT = 1


class Net:
    """ns A with a0, ns F with fa (gso-fwd's af_packet port) and the tap
    gso-fwd creates there, which is B's interface."""

    def __init__(self, tag):
        pid = os.getpid()
        self.n = (pid % 200) + 30
        self.ns_a, self.ns_f = "gh%s%da" % (tag, pid), "gh%s%df" % (tag, pid)
        short = "%s%d" % (tag, pid % 100000)
        self.a0, self.fa, self.tap = "ha" + short, "hA" + short, "hT" + short
        self.ip_a, self.ip_b = "10.78.%d.1" % self.n, "10.78.%d.2" % self.n

    def create(self):
        self.destroy()
        for ns in (self.ns_a, self.ns_f):
            sh("ip", "netns", "add", ns)
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "link", "add", self.a0, "netns", self.ns_a, "mtu", "9000",
           "type", "veth", "peer", "name", self.fa, "netns", self.ns_f,
           "mtu", "9000")
        sh("ip", "-n", self.ns_a, "link", "set", self.a0, "gso_max_size",
           str(SENDER_GSO_MAX))
        sh("ip", "netns", "exec", self.ns_f, "sysctl", "-qw",
           "net.ipv6.conf.%s.disable_ipv6=1" % self.fa)
        sh("ip", "-n", self.ns_f, "link", "set", self.fa, "up")
        sh("ip", "-n", self.ns_a, "addr", "add", self.ip_a + "/24", "dev",
           self.a0)
        sh("ip", "-n", self.ns_a, "link", "set", self.a0, "up")

    def vdevs(self):
        # A deep RX ring: the TCP stream's 60 KB superframes must not
        # crowd a datagram out of it (the kernel drops what finds the ring
        # full, which no flip would explain).
        geo = "framesz=%d,blocksz=%d,framecnt=512,qdisc_bypass=1" % (
            AF_PACKET_FRAMESZ, AF_PACKET_FRAMESZ)
        return ["net_af_packet0,iface=%s,%s" % (self.fa, geo),
                "net_tap1,iface=%s" % self.tap]

    @staticmethod
    def mac(ns, dev):
        return json.loads(sh("ip", "-n", ns, "-j", "link", "show",
                             dev))[0]["address"]

    def peer_up(self):
        """B on the tap (gso-fwd made it and brought it up); permanent
        neighbours both ways, so that no ARP depends on timing."""
        sh("ip", "netns", "exec", self.ns_f, "sysctl", "-qw",
           "net.ipv6.conf.%s.disable_ipv6=1" % self.tap)
        sh("ip", "-n", self.ns_f, "addr", "add", self.ip_b + "/24", "dev",
           self.tap)
        sh("ip", "-n", self.ns_f, "link", "set", self.tap, "up")
        sh("ip", "-n", self.ns_f, "neigh", "replace", self.ip_a, "lladdr",
           self.mac(self.ns_a, self.a0), "dev", self.tap, "nud", "permanent")
        sh("ip", "-n", self.ns_a, "neigh", "replace", self.ip_b, "lladdr",
           self.mac(self.ns_f, self.tap), "dev", self.a0, "nud", "permanent")

    def destroy(self):
        for ns in (self.ns_a, self.ns_f):
            sh("ip", "netns", "del", ns, check=False)


def one_transfer(net, proto, port, send_args, timeout=60):
    """Receiver B in F, sender in A; (sender report, receiver report)."""
    rx = Proc(peer_cmd(net.ns_f, "recv", "--proto", proto, "--family", 4,
                       "--addr", net.ip_b, "--port", port, "--timeout-ms",
                       timeout * 1000))
    rx.read_until("ready", 20)
    tx = subprocess.run(peer_cmd(net.ns_a, "send", "--proto", proto,
                                 "--family", 4, "--addr", net.ip_b, "--port",
                                 port, "--timeout-ms", timeout * 1000,
                                 *send_args),
                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                        text=True, timeout=timeout + 30)
    _, rx_text = rx.finish(timeout + 10)
    return parse_report(tx.stdout), parse_report(rx_text), tx.stdout


class Traffic:
    """TCP transfers and UDP sessions back to back, each on a thread of its
    own, until stop() — so that traffic flows before the first flip and
    after the last one."""

    def __init__(self, net):
        self.net = net
        self.stopping = threading.Event()
        self.tcp, self.udp = [], []
        self.threads = [threading.Thread(target=self._loop, args=a) for a in
                        (("tcp", self.tcp), ("udp", self.udp))]
        self.errors = []

    def _loop(self, proto, results):
        k = 0
        try:
            while not self.stopping.is_set():
                k += 1
                if proto == "tcp":
                    args = ["--bytes", TCP_CHUNK, "--seed", k]
                else:
                    args = ["--sizes", UDP_SIZES, "--repeat", UDP_REPEAT,
                            "--window", 16, "--ack-ms", 5000, "--seed", k]
                results.append(one_transfer(
                    self.net, proto, (6100 if proto == "tcp" else 6200) +
                    k % 50, args, timeout=60 if proto == "tcp" else 15))
        except Exception as e:  # reported by the case
            self.errors.append("%s: %r" % (proto, e))

    def start(self):
        for t in self.threads:
            t.start()

    def stop(self):
        self.stopping.set()
        for t in self.threads:
            t.join()


def backlog_drops():
    """Packets the kernel dropped for a full per-CPU input queue, all CPUs
    (machine-wide: other traffic counts too; for the diagnostics only)."""
    try:
        with open("/proc/net/softnet_stat") as f:
            return sum(int(line.split()[1], 16) for line in f)
    except (OSError, IndexError, ValueError):
        return -1


def flip(fwd, tel, i):
    """Flip lso4 on the tap port: i % 4 picks console or telemetry, off or
    on; returns what the change reported as active, and the expectation."""
    on = i % 2 == 1
    value = "on" if on else "off"
    if i % 4 in (0, 3):
        start = len(fwd.text)
        fwd.write("set port %d offload lso4 %s\n" % (TAP_PORT, value))
        out = fwd.read_until("paths", 20, since=start)[start:]
        active = "lso4" if "active    lso4" in out else \
            "none" if "active    none" in out else "?"
    else:
        r = tel.query("/gso_fwd/offload,%d,lso4=%s" % (TAP_PORT, value))
        active = r.get("active") or "none"
    return active, "lso4" if on else "none"


def run(exe, tap, restart):
    tag = "r" if restart else "h"
    net = Net(tag)
    prefix = "fwdhl%s%d" % (tag, os.getpid())
    fwd = None
    # --burst 8: a burst of 60 KB superframes segmented at MSS 1400 is
    # written to the tap frame by frame, and the kernel queues at most
    # netdev_max_backlog (1000) of them per CPU before it drops — a UDP
    # datagram among them would be lost for no reason of the flips.
    args = ["--mbuf-size", "65535", "--nb-mbufs", "4096", "--rxd", "128",
            "--txd", "512", "--hold", "512", "--tcp-mss", "1400",
            "--burst", "8", "--check-contract", "-i"]
    if restart:
        args += ["--restart-on-change", str(TAP_PORT)]
    flips = RESTART_FLIPS if restart else FLIPS
    traffic = None
    drops0 = backlog_drops()
    try:
        net.create()
        fwd = fwd_start(exe, net.ns_f, prefix, net.vdevs(), args,
                        stdin=True)
        expect(("changes   restart the port" if restart else
                "changes   hitless") in fwd.text,
               "gso-fwd does not say how port 1 changes:\n" + fwd.text[-3000:])
        net.peer_up()
        tel = Telemetry(prefix)

        def stats(port=TAP_PORT):
            return tel.query("/gso_fwd/stats,%d" % port)
        traffic = Traffic(net)
        traffic.start()
        # Flip only once traffic flows through the tap.
        s0 = poll_until(stats, lambda s: s["hw_pkts"] > 0, 20)
        expect(s0["hw_pkts"] > 0, "no superframe reached net_tap's TSO")
        bad, t0 = [], time.monotonic()
        tm = [0.0, 0.0]
        for i in range(flips):
            ta = time.monotonic()
            active, want = flip(fwd, tel, i)
            tm[i % 4 in (0, 3)] += time.monotonic() - ta
            if active != want and len(bad) < 5:
                bad.append("flip %d: active %s, expected %s" % (
                    i, active, want))
        t_flips = time.monotonic() - t0
        tap.diag("telemetry %.2f s, console %.2f s" % tuple(tm))
        # Both paths under traffic, whatever the flips' pace was (100
        # restarts have taken 0.2 s, too fast for any superframe between
        # them): one more flip each way, each held until a superframe
        # took its path.
        for i, key in ((flips, "sw_reason_not_active"),
                       (flips + 1, "hw_pkts")):
            before = stats()[key]
            active, want = flip(fwd, tel, i)
            if active != want and len(bad) < 5:
                bad.append("flip %d: active %s, expected %s" % (
                    i, active, want))
            poll_until(stats, lambda s, k=key, b=before: s[k] > b, 20)
        s1 = stats()
        traffic.stop()
        expect(not traffic.errors, "traffic: %s" % traffic.errors)
        expect(not bad, "flips: %s" % bad)
        rc, text = fwd_stop(fwd)
        fwd = None
    except Exception:
        # What gso-fwd said explains most failures.
        if fwd is not None:
            _, text = fwd_stop(fwd)
            fwd = None
            tap.diag("gso-fwd's output, last lines:\n" + text[-2500:])
        raise
    finally:
        if traffic is not None and not traffic.stopping.is_set():
            traffic.stop()
        if fwd is not None:
            fwd_stop(fwd)
        net.destroy()

    ports, outstanding = parse_summary(text)
    p1 = ports.get(TAP_PORT, {})
    tcp_ok = [r for r in traffic.tcp if r[0].get("status") == "ok" and
              r[1].get("status") == "ok" and r[0]["sha256"] == r[1]["sha256"]
              and r[0]["bytes"] == r[1]["bytes"]]
    # Datagrams sent that the receiver never got: the gaps it counted below
    # the highest number it received, and any lost tail.
    udp_missing = sum(max(int(r[1].get("missing", 0)),
                          int(r[0].get("datagrams", 0)) -
                          int(r[1].get("datagrams", 0)))
                      for r in traffic.udp)
    udp_lost = [r for r in traffic.udp if r[0].get("status") != "ok" or
                r[1].get("status") != "ok"]
    p0 = ports.get(0, {})
    tap.diag("port 0 (from A): rx %s, drops %s; port 1 (to B): drops %s; "
             "kernel input queue drops meanwhile (machine-wide) %d" % (
                 p0.get("rx_pkts"), p0.get("drops"), p1.get("drops"),
                 backlog_drops() - drops0))
    tap.diag("%s: %d flips in %.1f s; %d TCP transfers of %d MiB (%d "
             "intact), %d UDP sessions of %d datagrams (%d missing); "
             "hw %d, sw not-active %d, pipeline held %d packets, gso-fwd "
             "held %d (dropped %d), contract: %d checked, %d TSO, %d "
             "violations" % (
                 "restart" if restart else "hitless", flips, t_flips,
                 len(traffic.tcp), TCP_CHUNK >> 20, len(tcp_ok),
                 len(traffic.udp), 3 * UDP_REPEAT, udp_missing,
                 s1["hw_pkts"] - s0["hw_pkts"],
                 s1["sw_reason_not_active"] - s0["sw_reason_not_active"],
                 p1.get("tx_held_pkts", -1), p1.get("fwd_hold_pkts", -1),
                 p1.get("fwd_hold_dropped", -1), p1.get("contract_checked", -1),
                 p1.get("contract_gso", -1), p1.get("contract_violations", -1)))

    expect(rc == 0 and outstanding == 0, "exit %d, %s mbufs outstanding:\n%s"
           % (rc, outstanding, text[-2000:]))
    expect(traffic.tcp and len(tcp_ok) == len(traffic.tcp),
           "TCP transfers not intact: %s" % [
               (r[0], r[1]) for r in traffic.tcp if r not in tcp_ok][:3])
    expect(p1.get("contract_gso", 0) > 0, "the checker saw no TSO packet")
    expect(p1.get("contract_violations") == 0,
           "contract violations: not-active %s, no-offload %s, limits %s, "
           "oversize %s\n%s" % (
               p1.get("contract_not_active"), p1.get("contract_no_offload"),
               p1.get("contract_limits"), p1.get("contract_oversize"),
               "\n".join(l for l in text.splitlines()
                         if "first contract violation" in l)))
    expect(s1["hw_pkts"] > s0["hw_pkts"] and
           s1["sw_reason_not_active"] > s0["sw_reason_not_active"],
           "the flips did not switch between hardware and software")
    if restart:
        # gso-fwd's workers must not poll a port while it is restarted:
        # ethdev complains (and a queue being set up again is freed memory).
        expect("for not ready port" not in text, "RX during a restart:\n" +
               "\n".join(l for l in text.splitlines()
                         if "not ready port" in l)[:1000])
        expect(p1.get("tx_held_pkts", 0) > 0 and p1.get("fwd_hold_pkts", 0) > 0,
               "no packet held around the restarts: pipeline %s, gso-fwd %s"
               % (p1.get("tx_held_pkts"), p1.get("fwd_hold_pkts")))
        return None
    expect(traffic.udp and not udp_lost and udp_missing == 0,
           "UDP: %d datagrams missing; sessions not ok: %s" % (
               udp_missing, [(r[0].get("status"), r[0].get("datagrams"),
                              r[1].get("status"), r[1].get("datagrams"),
                              r[1].get("missing")) for r in udp_lost][:3]))
    expect(p1.get("tx_held_pkts") == 0, "the pipeline held %s packets" %
           p1.get("tx_held_pkts"))
    expect(p1.get("fwd_hold_dropped") == 0 and p1.get("fwd_tx_full_dropped")
           == 0, "gso-fwd dropped %s over its hold bound, %s for a full "
           "queue" % (p1.get("fwd_hold_dropped"),
                      p1.get("fwd_tx_full_dropped")))
    return None


def main():
    tap = Tap()
    exe = fwd_exe()
    why = can_run()
    if why:
        tap.skip("gso-fwd with offloads flipped under traffic", why)
        return tap.done()
    only = os.environ.get("GSO_HITLESS_CASE")     # debugging one case
    if only in (None, "hitless"):
        tap.run("hitless: %d lso4 flips (console and telemetry) under a "
                "TCP and a UDP stream: TCP intact, 0 datagrams missing, no "
                "contract violation, never held, every mbuf back" % FLIPS,
                run, exe, tap, False)
    if only in (None, "restart"):
            tap.run("restart on change: %d flips each restart net_tap: TCP "
                "intact, no RX from the port while it restarts, no contract "
                "violation, packets held (counted), every mbuf back"
                % RESTART_FLIPS, run, exe, tap, True)
    return tap.done()


if __name__ == "__main__":
    raise SystemExit(main())
