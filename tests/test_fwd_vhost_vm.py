#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""A Linux guest over vhost-user on both sides of gso-fwd, and guests that
change on the same socket while gso-fwd keeps running.

gso-fwd (in a namespace of its own) forwards between a net_vhost port
(port 0, tso=1) and a net_af_packet port (port 1) on a veth whose peer is
in a namespace with the kernel's TCP (tests/netns_peer.py). The guest is
Debian's kernel in QEMU (tests/vm/vm.py: TCG, guest RAM in a shared memfd,
virtio-net-pci with vectors=0 on a vhost-user netdev, ../shared/REFERENCE.md
§6). Three boots in turn on the same socket:
  1. guest TSO on (QEMU's default): VM-to-wire, TCP over IPv4 and IPv6 from
     the guest's kernel to the namespace: intact (sha256 on both sides),
     gso-fwd's egress counters toward the wire show superframes with the
     guest's metadata (fwd_meta_superframes) segmented in software
     (af_packet has no TSO). Then wire-to-VM: the namespace's kernel sends
     to the guest's: intact, and gso-fwd handed the superframes whole
     (hw_pkts toward the guest, no sw_pkts): the active set of the vhost
     port was lso4,lso6 while the guest ran;
  2. guest_tso4=off,guest_tso6=off (QEMU virtio-net-pci properties):
     wire-to-VM intact, the active set empty, every superframe segmented
     (sw_pkts, no hw_pkts);
  3. guest TSO on again: handed whole again.
gso-fwd exits 0 with every mbuf returned. Skips, with the reason, where
QEMU, the kernel or busybox cannot be had (scripts/vm-deps.sh), or without
root. No VM, namespace, veth or socket is left behind on any exit.

Usage: test_fwd_vhost_vm.py PATH-TO-gso-fwd
Environment: GSO_VM_TIMEOUT (seconds, each VM's bound; default 240),
GSO_VM_BYTES (bytes per transfer; default 4 MiB).
"""

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "vm"))

from fwdnetns import (AF_PACKET_FRAMESZ, PEER, SENDER_GSO_MAX, Proc,  # noqa: E402
                      Telemetry, check_clean_stop, fwd_start, fwd_stop,
                      parse_report, peer_cmd, poll_until, sh)
from fwdtest import Tap, expect, fwd_exe  # noqa: E402
import vm  # noqa: E402

BYTES = int(os.environ.get("GSO_VM_BYTES", str(4 << 20)))
GUEST_MAC = "52:54:00:19:00:01"
LSO = "lso4,lso6"


class Rig:
    """The namespaces, the veth and the addresses."""

    def __init__(self):
        pid = os.getpid()
        n = pid % 250
        self.ns_w, self.ns_f = "gvw%d" % pid, "gvf%d" % pid
        self.w0, self.wf = "gvw%d" % (pid % 100000), "gvF%d" % (pid % 100000)
        self.ip4_g, self.ip4_w = "10.78.%d.1" % n, "10.78.%d.2" % n
        self.ip6_g, self.ip6_w = "fd78:%x::1" % n, "fd78:%x::2" % n

    def create(self):
        self.destroy()
        for ns in (self.ns_w, self.ns_f):
            sh("ip", "netns", "add", ns)
            sh("ip", "-n", ns, "link", "set", "lo", "up")
        sh("ip", "netns", "exec", self.ns_w, "sysctl", "-qw",
           "net.ipv6.conf.all.accept_dad=0",
           "net.ipv6.conf.default.accept_dad=0")
        sh("ip", "link", "add", self.w0, "netns", self.ns_w, "type", "veth",
           "peer", "name", self.wf, "netns", self.ns_f)
        sh("ip", "-n", self.ns_w, "link", "set", self.w0, "gso_max_size",
           str(SENDER_GSO_MAX))
        sh("ip", "netns", "exec", self.ns_f, "sysctl", "-qw",
           "net.ipv6.conf.%s.disable_ipv6=1" % self.wf)
        sh("ip", "-n", self.ns_f, "link", "set", self.wf, "up")
        sh("ip", "-n", self.ns_w, "addr", "add", self.ip4_w + "/24", "dev",
           self.w0)
        sh("ip", "-n", self.ns_w, "addr", "add", self.ip6_w + "/64", "dev",
           self.w0, "nodad")
        sh("ip", "-n", self.ns_w, "link", "set", self.w0, "up")
        for ip in (self.ip4_g, self.ip6_g):
            sh("ip", "-n", self.ns_w, "neigh", "replace", ip, "lladdr",
               GUEST_MAC, "dev", self.w0, "nud", "permanent")
        out = sh("ip", "-n", self.ns_w, "-j", "link", "show", self.w0)
        self.mac_w = json.loads(out)[0]["address"]

    def destroy(self):
        for ns in (self.ns_w, self.ns_f):
            sh("ip", "netns", "del", ns, check=False)


def guest_job(rig, send, recv_port):
    """The guest's shell job: eth0 up with static neighbours; with send,
    TCP to the namespace over IPv4 (port 5001) and IPv6 (5002); then a
    receiver per family on recv_port (+1 for IPv6), each announcing
    itself ("rx4 ready"): the host starts the namespace's sender then.
    Every report line is prefixed with its transfer's tag."""
    q = shlex.quote
    peer = "python3 -B %s" % q(PEER)
    lines = [
        "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:"
        "/sbin:/bin PYTHONDONTWRITEBYTECODE=1",
        "modprobe virtio_net || exit 2",
        "dev=$(ls /sys/class/net | grep -v '^lo$' | head -n 1)",
        "sysctl -qw net.ipv6.conf.all.accept_dad=0 "
        "net.ipv6.conf.default.accept_dad=0",
        "ip link set $dev up || exit 3",
        "ip addr add %s/24 dev $dev" % rig.ip4_g,
        "ip addr add %s/64 dev $dev nodad" % rig.ip6_g,
        "for ip in %s %s; do ip neigh replace $ip lladdr %s dev $dev "
        "nud permanent; done" % (rig.ip4_w, rig.ip6_w, rig.mac_w),
        "echo \"offloads $(ethtool -k $dev | grep -E "
        "'^tcp-segmentation-offload|^generic-receive-offload' | tr -d '\\n')\"",
        "echo guest-up",
    ]
    if send:
        for fam, addr, port in ((4, rig.ip4_w, 5001), (6, rig.ip6_w, 5002)):
            lines.append("%s send --proto tcp --family %d --addr %s --port "
                         "%d --bytes %d --timeout-ms 120000 | sed -u "
                         "'s/^/tx%d /'" % (peer, fam, addr, port, BYTES, fam))
    for fam, addr, port in ((4, rig.ip4_g, recv_port),
                            (6, rig.ip6_g, recv_port + 1)):
        lines.append("%s recv --proto tcp --family %d --addr %s --port %d "
                     "--timeout-ms 120000 | sed -u 's/^/rx%d /'" % (
                         peer, fam, addr, port, fam))
    lines.append("echo guest-done")
    return "\n".join(lines) + "\n"


def tagged(lines, tag):
    return parse_report("\n".join(l[len(tag) + 1:] for l in lines
                                  if l.startswith(tag + " ")))


def on_sigterm(signum, frame):
    raise SystemExit(128 + signum)     # the finally clauses clean up


def main():
    tap = Tap()
    exe = fwd_exe()
    what = "a Linux guest over vhost-user through gso-fwd"
    timeout = int(os.environ.get("GSO_VM_TIMEOUT", "240"))
    qemu_base = None
    try:
        vm.find()
        if shutil.which("ethtool") is None:
            raise vm.Unavailable("ethtool is not installed")
    except vm.Unavailable as e:
        tap.skip(what, e)
        return tap.done()
    signal.signal(signal.SIGTERM, on_sigterm)
    rig = Rig()
    workdir = tempfile.mkdtemp(prefix="gso-vhost-vm-")
    sock = os.path.join(workdir, "vhost.sock")
    prefix = "fwdvm%d" % os.getpid()
    fwd = None
    procs = []
    try:
        rig.create()
        geo = "framesz=%d,blocksz=%d,framecnt=64,qdisc_bypass=1" % (
            AF_PACKET_FRAMESZ, AF_PACKET_FRAMESZ)
        fwd = fwd_start(exe, rig.ns_f, prefix, [
            "net_vhost0,iface=%s,tso=1" % sock,
            "net_af_packet0,iface=%s,%s" % (rig.wf, geo)],
            ["--mbuf-size", "65535", "--nb-mbufs", "2048",
             "--idle-sleep", "50"])
        tel = Telemetry(prefix)

        def active():
            return tel.query("/gso_fwd/offload,0")["active"]

        def stats(port):
            return tel.query("/gso_fwd/stats,%d" % port)

        qemu_base = ["-chardev", "socket,id=c0,path=%s" % sock,
                     "-netdev", "vhost-user,id=n0,chardev=c0"]
        for boot, (tso, send) in enumerate(((True, True), (False, False),
                                            (True, False))):
            dev = "virtio-net-pci,netdev=n0,vectors=0,mac=%s" % GUEST_MAC
            if not tso:
                dev += ",guest_tso4=off,guest_tso6=off"
            guest = vm.Guest(modules=("virtio_net",), mem_mb=512, cpus=1,
                             timeout=timeout, log=tap.diag,
                             qemu_args=qemu_base + ["-device", dev],
                             shared_mem=True)
            recv_port = 5003 + 2 * boot
            rx = {}
            if send:
                for fam, addr, port in ((4, rig.ip4_w, 5001),
                                        (6, rig.ip6_w, 5002)):
                    rx[fam] = Proc(peer_cmd(rig.ns_w, "recv", "--proto", "tcp",
                                            "--family", fam, "--addr", addr,
                                            "--port", port, "--timeout-ms",
                                            timeout * 1000))
                    procs.append(rx[fam])
                    rx[fam].read_until("ready", 20)
            before = {p: stats(p) for p in (0, 1)}
            seen = {"lines": [], "active": None, "senders": {}}

            def on_line(line):
                seen["lines"].append(line)
                if line == "guest-up":
                    # The guest's driver is up: new_device() ran or is
                    # about to; its event marks the port, gso-fwd's
                    # control loop applies it.
                    want = LSO if tso else "none"
                    seen["active"] = poll_until(active, lambda a: a == want,
                                                20)
                for fam, addr in ((4, rig.ip4_g), (6, rig.ip6_g)):
                    if line == "rx%d ready" % fam:
                        port = recv_port + (fam == 6)
                        s = Proc(peer_cmd(rig.ns_w, "send", "--proto", "tcp",
                                          "--family", fam, "--addr", addr,
                                          "--port", port, "--bytes", BYTES,
                                          "--timeout-ms", timeout * 1000))
                        procs.append(s)
                        seen["senders"][fam] = s
            rc, console = guest.run(guest_job(rig, send, recv_port), on_line)
            after = {p: stats(p) for p in (0, 1)}
            lines = seen["lines"]
            tap.ok(rc == 0 and "guest-done" in lines, "boot %d (guest TSO "
                   "%s): the guest ran its job (exit %s)" % (
                       boot, "on" if tso else "off", rc),
                   "guest output:\n%s\nconsole:\n%s" % (
                       "\n".join(lines[-30:]),
                       "\n".join(console.splitlines()[-30:])))
            tap.diag("boot %d: %s" % (boot, " ".join(
                l for l in lines if l.startswith("offloads"))))
            tap.ok(seen["active"] == (LSO if tso else "none"),
                   "boot %d: the vhost port's active set follows the guest "
                   "(%s)" % (boot, seen["active"]))
            d = [{k: after[p][k] - before[p][k] for k in after[p]
                  if isinstance(after[p][k], int)} for p in (0, 1)]
            if send:
                def vm_to_wire():
                    for fam in (4, 6):
                        _, text = rx[fam].finish(60)
                        r, t = parse_report(text), tagged(lines, "tx%d" % fam)
                        expect(r.get("status") == "ok" and
                               t.get("status") == "ok" and
                               r.get("bytes") == t.get("bytes") ==
                               str(BYTES) and r.get("sha256") ==
                               t.get("sha256"), "IPv%d: guest %s, "
                               "namespace %s" % (fam, t, r))
                    w = d[1]
                    expect(w["fwd_meta_superframes"] > 0 and
                           w["sw_pkts"] >= w["fwd_meta_superframes"] and
                           w["hw_pkts"] == 0,
                           "toward the wire: meta %d sw %d hw %d" % (
                               w["fwd_meta_superframes"], w["sw_pkts"],
                               w["hw_pkts"]))
                tap.run("boot %d: VM-to-wire, TCP/IPv4 and TCP/IPv6 intact "
                        "(sha256), the guest's superframes with metadata "
                        "segmented in software" % boot, vm_to_wire)

            def wire_to_vm():
                for fam in (4, 6):
                    s = seen["senders"].get(fam)
                    expect(s is not None, "IPv%d: the guest's receiver "
                           "never got ready" % fam)
                    _, text = s.finish(60)
                    t, r = parse_report(text), tagged(lines, "rx%d" % fam)
                    expect(r.get("status") == "ok" and
                           t.get("status") == "ok" and
                           r.get("bytes") == t.get("bytes") == str(BYTES) and
                           r.get("sha256") == t.get("sha256"),
                           "IPv%d: namespace %s, guest %s" % (fam, t, r))
                g = d[0]
                if tso:
                    expect(g["hw_pkts"] > 0 and g["sw_pkts"] == 0,
                           "toward the guest: hw %d sw %d (want whole)" % (
                               g["hw_pkts"], g["sw_pkts"]))
                else:
                    expect(g["sw_pkts"] > 0 and g["hw_pkts"] == 0,
                           "toward the guest: hw %d sw %d (want segments)" % (
                               g["hw_pkts"], g["sw_pkts"]))
            tap.run("boot %d: wire-to-VM, TCP/IPv4 and TCP/IPv6 intact "
                    "(sha256 in the guest), superframes %s" % (
                        boot, "handed whole (hw_pkts)" if tso else
                        "segmented in software (sw_pkts)"), wire_to_vm)
            for p in procs:
                p.finish(10, signal.SIGTERM)
            procs = []
            gone = poll_until(active, lambda a: a == "none", 20)
            tap.ok(gone == "none", "boot %d: guest gone, nothing active" %
                   boot, gone)

        def clean_stop():
            rc, text = fwd_stop(fwd)
            check_clean_stop(rc, text)
        tap.run("gso-fwd exits 0, every mbuf returned", clean_stop)
        fwd = None
    finally:
        for p in procs:
            p.finish(5, signal.SIGKILL)
        if fwd is not None:
            fwd_stop(fwd, 10)
        rig.destroy()
        shutil.rmtree(workdir, ignore_errors=True)
        subprocess.run(["rm", "-rf", "/var/run/dpdk/%s" % prefix])
    return tap.done()


if __name__ == "__main__":
    raise SystemExit(main())
