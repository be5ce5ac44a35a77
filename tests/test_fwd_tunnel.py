#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""gso-fwd between kernel tunnel endpoints (the layout of fwdnetns.py, with
tunnels on top).

    ns A                                ns F                    ns B
    tunnel dev (overlay .1)                                     tunnel dev (overlay .2)
      | encapsulates, TSO/GSO on                                  ^ decapsulates
    a0 (underlay 10.77.N.1, fd77:N::1) = fa [gso-fwd] fb = b0 (underlay .2)

A's kernel sends TCP through a tunnel device: the veth under it advertises
the encapsulation GSO types (tx-udp_tnl-segmentation, tx-gre-..., tx-ipxip4/6,
checked with ethtool -k), so whole encapsulated superframes (up to
gso_max_size) reach gso-fwd's af_packet port. The underlay MTU is 1500 on
both sides and each tunnel's MTU is 1500 minus its overhead, so the inner
segments gso-fwd makes (MSS = egress MTU minus the whole header stack) are
exactly as large as B's underlay allows: a stack counted short makes frames
the kernel drops, and the stream stalls. B's tunnel endpoint decapsulates.

Cases, per tunnel the kernel has (vxlan, geneve, gretap, gre, ipip, sit over
an IPv4 underlay; vxlan, geneve, ip6gretap, ip6gre, ip6tnl over IPv6):
  - TCP over inner IPv4 (and IPv6 where the tunnel carries it): the stream
    arrives intact (SHA-256 of what was sent and received), gso-fwd's
    counters show tunnel superframes of that encapsulation segmented in
    software (fwd_tun_*_superframes, sw_pkts, sw_segs), and nothing was
    fragmented, dropped or rejected on the way;
  - UDP over VXLAN (IPv4 and IPv6 underlay) from a UDP_SEGMENT sender whose
    GSO size fills the tunnel's MTU: every datagram arrives intact (size,
    SHA-256, none missing), none was split into IP fragments (B's nstat
    IpReasmReqds / Ip6ReasmReqds unchanged, gso-fwd fragmented nothing);
  - SIGTERM: clean stop, every mbuf returned, nothing truncated.
A tunnel type the kernel lacks (after modprobe) is skipped with the reason.
tests/test_fwd_tunnel_vm.py runs this test in a QEMU guest whose kernel
has them all.

Environment: GSO_TUNNELS=vxlan4,gre4,... runs the cases of those tunnels
only (the names in TUNNELS; the others skip); GSO_TUNNEL_TCP_BYTES the
size of each TCP stream (default 2 MiB); GSO_TEST_IN_VM=1 (the VM rig
sets it) timeouts and gso-fwd's --idle-sleep for a TCG guest.

Usage: test_fwd_tunnel.py PATH-TO-gso-fwd
"""

import os
import signal
import subprocess

from fwdnetns import (FwdStats, Telemetry, Topology, can_run,
                      check_clean_stop, fwd_start, fwd_stop, same_transfer,
                      sh, transfer)
from fwdtest import Tap, expect, fwd_exe, parse_summary

# In a QEMU guest under TCG (tests/test_fwd_tunnel_vm.py sets
# GSO_TEST_IN_VM=1) everything is 10-50 times slower: longer timeouts for
# gso-fwd's start (EAL) and each transfer (mostly the peers' Python
# start-up), and gso-fwd's worker sleeps when idle instead of spinning a
# host CPU away from the guest's kernel.
IN_VM = os.environ.get("GSO_TEST_IN_VM") == "1"
TCP_BYTES = int(os.environ.get("GSO_TUNNEL_TCP_BYTES", 2 << 20))
UNDERLAY_MTU = 1500
TUN_GSO_MAX = 60000      # an af_packet frame holds framesz - 66 bytes
EGRESS_TO_B = 1          # net_af_packet1 on fb
# seconds per transfer; a stalled one fails fast
TRANSFER_TIMEOUT = 60 if IN_VM else 10
FWD_START_TIMEOUT = 240 if IN_VM else 60
FWD_VM_ARGS = ["--idle-sleep", "200"] if IN_VM else []
VXLAN_ALT_PORT = 8472    # Linux's historical VXLAN port: --vxlan-port list
MODULES = ("vxlan", "geneve", "ip_gre", "ip6_gre", "ipip", "sit",
           "ip6_tunnel")

# Tunnel GSO types the veth under the tunnels must advertise.
VETH_TUNNEL_GSO = ("tx-udp_tnl-segmentation", "tx-udp_tnl-csum-segmentation",
                   "tx-gre-segmentation", "tx-gre-csum-segmentation",
                   "tx-ipxip4-segmentation", "tx-ipxip6-segmentation")


class Tun:
    """One kernel tunnel, the same in A and B (local/remote swapped)."""

    def __init__(self, name, kind, under, enc, args, overhead, l2,
                 inner=(4, 6), module=None, what=""):
        self.name, self.kind, self.under, self.enc = name, kind, under, enc
        self.args, self.l2, self.inner = args, l2, inner
        # Outer IP + UDP/GRE + tunnel header + inner Ethernet, as this
        # test counts it (independently of gso-fwd).
        self.mtu = UNDERLAY_MTU - overhead
        self.module = module or kind
        self.what = what
        self.skip = None          # why this kernel cannot make it
        self.error = None         # why making it failed otherwise


# encapsulation counter of gso-fwd: fwd_tun_<enc>_superframes
TUNNELS = [
    Tun("vxlan4", "vxlan", 4, "vxlan",
        ["id", "101", "dstport", "4789", "udpcsum"], 20 + 8 + 8 + 14, True,
        what="outer UDP checksum"),
    Tun("vxlan4z", "vxlan", 4, "vxlan",
        ["id", "102", "dstport", str(VXLAN_ALT_PORT), "noudpcsum"],
        20 + 8 + 8 + 14, True, inner=(4,),
        what="UDP port %d, outer UDP checksum 0" % VXLAN_ALT_PORT),
    Tun("vxlan6", "vxlan", 6, "vxlan", ["id", "103", "dstport", "4789"],
        40 + 8 + 8 + 14, True),
    Tun("geneve4", "geneve", 4, "geneve", ["id", "201"], 20 + 8 + 8 + 14,
        True),
    Tun("geneve6", "geneve", 6, "geneve", ["id", "202"], 40 + 8 + 8 + 14,
        True),
    Tun("gretap4", "gretap", 4, "gre", ["key", "301", "csum"],
        20 + 12 + 14, True, module="ip_gre", what="GRE key and checksum"),
    Tun("gre4", "gre", 4, "gre", [], 20 + 4, False, module="ip_gre"),
    Tun("ip6gretap6", "ip6gretap", 6, "gre",
        ["key", "302", "encaplimit", "none"], 40 + 8 + 14, True,
        module="ip6_gre", what="GRE key"),
    Tun("ip6gre6", "ip6gre", 6, "gre", ["encaplimit", "none"], 40 + 4,
        False, module="ip6_gre"),
    Tun("ipip4", "ipip", 4, "ipip", [], 20, False, inner=(4,)),
    Tun("sit4", "sit", 4, "ipip", [], 20, False, inner=(6,),
        what="IPv6 in IPv4"),
    # The default encapsulation limit: a destination options header in
    # the outer IPv6 header (8 bytes).
    Tun("ip6tnl6", "ip6tnl", 6, "ipip", ["mode", "any"], 40 + 8, False,
        module="ip6_tunnel", what="outer IPv6 extension header"),
]


def load_modules():
    """modprobe what the tunnels need (built in, or absent, otherwise)."""
    if subprocess.run(["which", "modprobe"], stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL).returncode != 0:
        return
    for mod in MODULES:
        subprocess.run(["modprobe", mod], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)


class TunnelTopology(Topology):
    """fwdnetns's A - F - B with every tunnel of TUNNELS the kernel can
    make between A and B."""

    def __init__(self):
        super().__init__("t", mtu_a=UNDERLAY_MTU, mtu_b=UNDERLAY_MTU)

    def overlay(self, i, family, side):
        if family == 4:
            return "10.%d.%d.%d" % (100 + i, self.n, side)
        return "fd78:%x:%x::%d" % (i, self.n, side)

    def create_tunnels(self):
        """Every tunnel this kernel makes; one that fails otherwise fails
        its own cases (t.error), not the others."""
        for i, t in enumerate(TUNNELS):
            if t.skip:
                continue
            try:
                self._create_tunnel(i, t)
            except RuntimeError as e:
                t.error = "making %s failed: %s" % (t.name, e)

    def _create_tunnel(self, i, t):
        ends = {self.ns_a: (self.a0, self.ip4_a, self.ip4_b, self.ip6_a,
                            self.ip6_b),
                self.ns_b: (self.b0, self.ip4_b, self.ip4_a, self.ip6_b,
                            self.ip6_a)}
        macs = {}
        for ns, (low, l4, r4, l6, r6) in ends.items():
            local, remote = (l4, r4) if t.under == 4 else (l6, r6)
            cmd = ["ip", "-n", ns, "link", "add", t.name, "type", t.kind]
            if t.kind == "geneve":
                cmd += ["remote", remote]          # no local, no dev
            elif t.kind == "vxlan":
                cmd += ["local", local, "remote", remote, "dev", low]
            else:
                cmd += ["local", local, "remote", remote, "dev", low]
            r = subprocess.run(cmd + t.args, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
            if r.returncode != 0:
                err = r.stderr.strip()
                if ns == self.ns_a and ("Unknown device type" in err or
                                        "not supported" in err.lower()):
                    t.skip = ("the kernel has no %s devices (module %s "
                              "not available: %s)" % (t.kind, t.module, err))
                    return
                raise RuntimeError("%s: %s" % (" ".join(cmd + t.args), err))
            sh("ip", "-n", ns, "link", "set", t.name, "mtu", str(t.mtu),
               "gso_max_size", str(TUN_GSO_MAX), "up")
            macs[ns] = self._mac(ns, t.name) if t.l2 else None
        for ns, side, peer_ns, peer in ((self.ns_a, 1, self.ns_b, 2),
                                        (self.ns_b, 2, self.ns_a, 1)):
            for fam in t.inner:
                plen = "/24" if fam == 4 else "/64"
                extra = [] if fam == 4 else ["nodad"]
                sh("ip", "-n", ns, "addr", "add",
                   self.overlay(i, fam, side) + plen, "dev", t.name, *extra)
                if t.l2:
                    # No ARP/ND through the tunnel depends on timing.
                    sh("ip", "-n", ns, "neigh", "replace",
                       self.overlay(i, fam, peer), "lladdr", macs[peer_ns],
                       "dev", t.name, "nud", "permanent")


def delta(after, before, key):
    return after[key] - before[key]


# Counters that must not move while a tunnel stream goes through.
LOSS = ("fwd_udp_fragmented", "fwd_udp_oversize_dropped",
        "fwd_oversize_dropped", "fwd_malformed_dropped", "fwd_no_mbuf_dropped",
        "fwd_tx_full_dropped", "fwd_hold_dropped", "tx_dropped", "tcp_fail",
        "udp_fail")


def no_loss(before, after, what):
    moved = {k: delta(after, before, k) for k in LOSS if k in after and
             delta(after, before, k) != 0}
    moved.update({k: delta(after, before, k) for k in after
                  if k.startswith("rejected_") and delta(after, before, k)})
    expect(not moved, "%s: counters of loss moved: %s" % (what, moved))


def case_veth_gso(topo):
    feats = topo.offload_state(topo.ns_a, topo.a0)
    off = [f for f in VETH_TUNNEL_GSO if feats.get(f) != "on"]
    expect(feats, "ethtool -k %s said nothing (ethtool missing?)" % topo.a0)
    expect(not off, "the veth under the tunnels does not advertise %s: "
           "the kernel would segment before gso-fwd" % off)


def peers_ok(tx, rx, tx_out, rx_out, what):
    """Both peers said ok; otherwise what each printed (its error)."""
    expect(tx.get("status") == "ok" and rx.get("status") == "ok",
           "%s: sender %s, receiver %s\nsender:\n%s\nreceiver:\n%s" % (
               what, tx.get("status"), rx.get("status"), tx_out.strip(),
               rx_out.strip()))


def case_tcp(ctx, tap, i, t, fam):
    what = "TCP/IPv%d over %s" % (fam, t.name)
    counter = "fwd_tun_%s_superframes" % t.enc
    before = ctx.stats()
    tx, rx, tx_out, rx_out = transfer(
        ctx.topo, "tcp", fam, 5200 + 2 * i + (fam == 6),
        ["--bytes", TCP_BYTES, "--seed", 100 + i], timeout=TRANSFER_TIMEOUT,
        dst=ctx.topo.overlay(i, fam, 2))
    expect(tx, "%s: sender said nothing:\n%s" % (what, tx_out))
    peers_ok(tx, rx, tx_out, rx_out, what)
    same_transfer(tx, rx, what)
    after = ctx.wait_stats(lambda s: delta(s, before, counter) > 0 and
                           delta(s, before, "sw_pkts") > 0)
    sf, sw = delta(after, before, counter), delta(after, before, "sw_pkts")
    segs = delta(after, before, "sw_segs")
    expect(sf > 0 and sw > 0 and segs > sw, "%s: no tunnel superframe "
           "segmented in software: %s %d, sw_pkts %d, sw_segs %d" % (
               what, counter, sf, sw, segs))
    no_loss(before, after, what)
    tap.diag("%s: %d MB in %.2f s; %d %s superframes, %d segmented into %d "
             "segments, %d inner checksums completed" % (
                 what, TCP_BYTES >> 20, float(rx["seconds"]), sf, t.enc, sw,
                 segs, delta(after, before, "fwd_tun_cksum_fixed")))


def nstat(ns):
    """B's kernel counters (nstat -a: absolute, -s: no history file)."""
    out = sh("ip", "netns", "exec", ns, "nstat", "-asz")
    vals = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[1].isdigit():
            vals[parts[0]] = int(parts[1])
    return vals


def case_udp_gso(ctx, tap, i, t, fam):
    """Windows of 16 datagrams, each window one UDP_SEGMENT send; the GSO
    size fills the tunnel's MTU, the last datagram of a window is shorter
    (the sender's last segment)."""
    what = "UDP/IPv%d GSO over %s" % (fam, t.name)
    gso = t.mtu - (28 if fam == 4 else 48)
    window, windows = 16, 12
    sizes = [gso] * (window - 1) + [gso // 2]
    before, nb = ctx.stats(), nstat(ctx.topo.ns_b)
    tx, rx, tx_out, rx_out = transfer(
        ctx.topo, "udp", fam, 5300 + 2 * i + (fam == 6),
        ["--sizes", ",".join(map(str, sizes)), "--repeat", windows,
         "--window", window, "--gso", gso], timeout=TRANSFER_TIMEOUT,
        dst=ctx.topo.overlay(i, fam, 2))
    expect(tx, "%s: sender said nothing:\n%s" % (what, tx_out))
    peers_ok(tx, rx, tx_out, rx_out, what)
    same_transfer(tx, rx, what)
    n = window * windows
    expect(int(tx["datagrams"]) == n and int(rx["datagrams"]) == n and
           rx.get("missing") == "0", "%s: %s datagrams sent, %s received, "
           "%s missing (of %d)" % (what, tx["datagrams"], rx["datagrams"],
                                   rx.get("missing"), n))
    counter = "fwd_tun_%s_superframes" % t.enc
    after = ctx.wait_stats(lambda s: delta(s, before, counter) > 0 and
                           delta(s, before, "udp_ok") > 0)
    na = nstat(ctx.topo.ns_b)
    reasm = {k: na.get(k, 0) - nb.get(k, 0) for k in
             ("IpReasmReqds", "Ip6ReasmReqds")}
    expect(not any(reasm.values()), "%s: B reassembled IP fragments: %s" % (
        what, reasm))
    sf = delta(after, before, counter)
    expect(sf > 0 and delta(after, before, "udp_ok") > 0, "%s: no UDP "
           "superframe of the tunnel segmented (%s %d, udp_ok %d)" % (
               what, counter, sf, delta(after, before, "udp_ok")))
    no_loss(before, after, what)
    tap.diag("%s: %d datagrams of %d B (GSO size) in %d sends; %d %s "
             "superframes segmented into %d datagrams; 0 IP fragments" % (
                 what, n, gso, windows, sf, t.enc,
                 delta(after, before, "sw_segs")))


def run_for(tap, t, name, fn, *args):
    """A case of tunnel t: skipped where the kernel cannot make t, failed
    where making it failed otherwise."""
    if t.skip:
        tap.skip(name, t.skip)
    elif t.error:
        tap.ok(False, name, t.error)
    else:
        tap.run(name, fn, *args)


def on_sigterm(signum, frame):
    raise SystemExit(128 + signum)     # runs the finally: below


def main():
    tap = Tap()
    exe = fwd_exe()
    why = can_run()
    if why:
        tap.skip("gso-fwd between kernel tunnel endpoints", why)
        return tap.done()
    # meson's timeout sends SIGTERM: clean up all the same.
    signal.signal(signal.SIGTERM, on_sigterm)
    load_modules()
    only = os.environ.get("GSO_TUNNELS")
    if only:
        for t in TUNNELS:
            if t.name not in only.split(","):
                t.skip = "not in GSO_TUNNELS=%s" % only
    topo = TunnelTopology()
    prefix = "fwdtun%d" % os.getpid()
    fwd = None
    try:
        topo.create()
        topo.create_tunnels()
        fwd = fwd_start(exe, topo.ns_f, prefix, topo.vdevs(),
                        ["--mbuf-size", "65535", "--nb-mbufs", "2048",
                         "--vxlan-port", "4789,%d" % VXLAN_ALT_PORT] +
                        FWD_VM_ARGS, timeout=FWD_START_TIMEOUT)
        expect_ports = "VXLAN on UDP 4789 %d; GENEVE on UDP 6081" % \
            VXLAN_ALT_PORT
        tap.ok(expect_ports in fwd.text, "gso-fwd takes --vxlan-port "
               "4789,%d (and GENEVE on 6081 by default)" % VXLAN_ALT_PORT,
               fwd.text[-2000:])
        ctx = FwdStats(topo, Telemetry(prefix), EGRESS_TO_B)
        tap.run("the veth under the tunnels advertises tunnel GSO "
                "(ethtool -k): superframes reach gso-fwd encapsulated",
                case_veth_gso, topo)
        for i, t in enumerate(TUNNELS):
            under = "IPv%d underlay" % t.under
            extra = ", " + t.what if t.what else ""
            for fam in t.inner:
                name = ("TCP/IPv%d over %s (%s%s): stream intact, inner "
                        "superframes segmented in software" % (
                            fam, t.kind, under, extra))
                run_for(tap, t, name, case_tcp, ctx, tap, i, t, fam)
        for i, t in enumerate(TUNNELS):
            if t.name not in ("vxlan4", "vxlan6"):
                continue
            for fam in (4, 6):
                name = ("UDP/IPv%d over vxlan (IPv%d underlay) from a "
                        "UDP_SEGMENT sender: every datagram intact, no IP "
                        "fragment" % (fam, t.under))
                run_for(tap, t, name, case_udp_gso, ctx, tap, i, t, fam)
        rc, text = fwd_stop(fwd)
        fwd = None
        tap.run("SIGTERM: clean stop, every mbuf returned, nothing "
                "truncated", check_clean_stop, rc, text)

        def acks_completed():
            """B's ACKs come back through the tunnels: small frames with a
            partial checksum in the inner TCP header, which gso-fwd must
            complete (A's kernel verifies it)."""
            ports, _ = parse_summary(text)
            fixed = ports.get(0, {}).get("fwd_tun_cksum_fixed", 0)
            expect(fixed > 0, "no inner partial checksum completed on the "
                   "way back to A (port 0)")
            tap.diag("inner partial checksums completed: %d towards A, %d "
                     "towards B" % (fixed, ports.get(1, {}).get(
                         "fwd_tun_cksum_fixed", 0)))
        tap.run("the way back (B's ACKs through the tunnels): inner "
                "partial checksums completed", acks_completed)
    finally:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if fwd is not None:
            fwd_stop(fwd)
        topo.destroy()
    return tap.done()


if __name__ == "__main__":
    raise SystemExit(main())
