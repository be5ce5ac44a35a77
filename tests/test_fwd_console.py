#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""gso-fwd's console and telemetry while traffic flows.

net_pcap (infinite_rx: TCP/IPv4 superframes, forever) -> gso-fwd -> net_tap,
whose TSO takes TCP/IPv4 (the "hw" path) when the segments leave room for
the Ethernet header inside the MTU (a net_tap quirk): --tcp-mss 1400. gso-fwd runs with -i in a
namespace of its own (so its tap is born there) and its stdin on a pipe:
  - "show port gso 1" shows lso4 active and the superframes going to
    hardware;
  - "set port 1 offload lso4 off" takes effect at once: from then on not one
    more superframe goes to hardware, they are segmented in software
    (reason not-active), while traffic keeps flowing;
  - telemetry /gso_fwd/offload,1,lso4=on turns it back on: hardware again;
  - a bad command or port gets an error and changes nothing;
  - "show stats" prints the totals; "quit" stops cleanly, every mbuf back.

Usage: test_fwd_console.py PATH-TO-gso-fwd
"""

import os
import shutil
import subprocess
import tempfile

from fwdnetns import (Telemetry, can_run, fwd_start, fwd_stop, poll_until,
                      sh)
from fwdtest import (Tap, expect, fwd_exe, parse_summary, pattern,
                     pcap_write, tcp4_frame)

SF_PAYLOAD = 16000
TAP_PORT = 1


def main():
    tap = Tap()
    exe = fwd_exe()
    why = can_run()
    if why:
        tap.skip("gso-fwd console and telemetry", why)
        return tap.done()
    pid = os.getpid()
    ns, prefix = "gfc%d" % pid, "fwdcon%d" % pid
    workdir = tempfile.mkdtemp(prefix="gso-fwd-console-")
    fwd = None
    try:
        sh("ip", "netns", "del", ns, check=False)
        sh("ip", "netns", "add", ns)
        sh("ip", "-n", ns, "link", "set", "lo", "up")
        inp = os.path.join(workdir, "sf.pcap")
        pcap_write(inp, [tcp4_frame(pattern(SF_PAYLOAD, i), 1100 + i)
                         for i in range(8)])
        vdevs = ["net_pcap0,rx_pcap=%s,infinite_rx=1" % inp,
                 "net_tap0,iface=gfct%d" % (pid % 100000)]
        fwd = fwd_start(exe, ns, prefix, vdevs,
                        ["--map", "0:1", "--mbuf-size", "16640",
                         "--tcp-mss", "1400", "-i"],
                        stdin=True)
        tel = Telemetry(prefix)

        def stats():
            return tel.query("/gso_fwd/stats,%d" % TAP_PORT)

        def console(cmd, until):
            start = len(fwd.text)
            fwd.write(cmd + "\n")
            fwd.read_until(until, 20, since=start)
            return fwd.text[start:]

        def show_port_hw():
            out = console("show port gso 1", "paths")
            expect("active    lso4" in out, "lso4 not active:\n" + out)
            s = poll_until(stats, lambda s: s["hw_pkts"] > 1000, 15)
            expect(s["hw_pkts"] > 1000, "%d superframes to hardware" %
                   s["hw_pkts"])
        tap.run("show port gso: lso4 active on net_tap, superframes go to "
                "hardware", show_port_hw)

        def lso4_off():
            out = console("set port 1 offload lso4 off", "paths")
            expect("active    none" in out, "still active:\n" + out)
            s1 = stats()
            s2 = poll_until(stats, lambda s: s["sw_pkts"] > s1["sw_pkts"] +
                            1000, 15)
            expect(s2["sw_pkts"] > s1["sw_pkts"] + 1000,
                   "software path not taken: sw %d -> %d" % (
                       s1["sw_pkts"], s2["sw_pkts"]))
            expect(s2["hw_pkts"] == s1["hw_pkts"], "hardware still used "
                   "after lso4 off: %d -> %d" % (s1["hw_pkts"],
                                                 s2["hw_pkts"]))
            # Each counter is exact, but a snapshot may fall between a
            # superframe's decision and its segmentation: compare reasons
            # with reasons.
            other = {k: s2[k] - s1[k] for k in s2 if
                     k.startswith("sw_reason_") and k != "sw_reason_not_active"
                     and s2[k] != s1[k]}
            expect(s2["sw_reason_not_active"] > s1["sw_reason_not_active"]
                   and not other, "software for other reasons: %s" % other)
        tap.run("console: set port 1 offload lso4 off -> software "
                "segmentation from then on, none to hardware", lso4_off)

        def bad_input():
            before = tel.query("/gso_fwd/offload,1,")
            out = console("set port 7 offload lso4 on", "not forwarded")
            out += console("sett port", "Command not found")
            r = tel.query("/gso_fwd/offload,1,lso9=on")
            expect("error" in r, "telemetry took lso9: %s" % r)
            after = tel.query("/gso_fwd/offload,1,")
            expect(before == after, "state changed: %s -> %s" % (
                before, after))
        tap.run("bad console command, port or keyword: an error, nothing "
                "changed", bad_input)

        def tel_on():
            s0 = stats()
            r = tel.query("/gso_fwd/offload,1,lso4=on")
            expect(r.get("active") == "lso4", "telemetry answer: %s" % r)
            s = poll_until(stats, lambda s: s["hw_pkts"] >
                           s0["hw_pkts"] + 1000, 15)
            expect(s["hw_pkts"] > s0["hw_pkts"] + 1000,
                   "hardware not used again: %d -> %d" % (
                       s0["hw_pkts"], s["hw_pkts"]))
        tap.run("telemetry /gso_fwd/offload,1,lso4=on -> hardware again",
                tel_on)

        def show_stats():
            out = console("show stats", "port=1 ")
            expect("sw_pkts=" in out and "hw_pkts=" in out, out)
        tap.run("show stats prints every port's totals", show_stats)

        def quit_clean():
            fwd.write("quit\n")
            rc, text = fwd.finish(30)
            ports, outstanding = parse_summary(text)
            expect(rc == 0, "exit status %d:\n%s" % (rc, text[-2000:]))
            expect(outstanding == 0, "mbufs outstanding: %s" % outstanding)
            expect(TAP_PORT in ports, "no exit summary for port 1")
        tap.run("quit: clean stop, every mbuf returned", quit_clean)
        fwd = None
    finally:
        if fwd is not None:
            fwd_stop(fwd)
        subprocess.run(["ip", "netns", "del", ns])
        shutil.rmtree(workdir, ignore_errors=True)
    return tap.done()


if __name__ == "__main__":
    raise SystemExit(main())
