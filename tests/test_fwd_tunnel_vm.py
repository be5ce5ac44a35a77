#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""test_fwd_tunnel.py inside a QEMU guest running Debian's kernel, which
has every tunnel module (geneve, ip_gre, ip6_gre, ipip, sit, ip6_tunnel,
vxlan) that this machine's kernel may lack (tests/vm/vm.py boots it; the
guest runs this machine's python3, DPDK and this build over 9p).

The guest's TAP lines are this test's own (renumbered), then two cases of
the rig: the guest ran the test to its end, and no tunnel case skipped
there (a skip in the guest means the rig lacks a module, not the kernel).
Skips, with the reason, only where QEMU, the kernel or busybox cannot be
had (scripts/vm-deps.sh), or without root.

Usage: test_fwd_tunnel_vm.py PATH-TO-gso-fwd
Environment: GSO_VM_TIMEOUT (seconds, the VM's bound; default 480).
"""

import os
import re
import shlex
import signal
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "vm"))

from fwdtest import Tap, fwd_exe  # noqa: E402
from test_fwd_tunnel import MODULES  # noqa: E402
import vm  # noqa: E402

TAP_LINE = re.compile(r"^(ok|not ok)\s+\d+\s*(?:-\s*)?(.*)$")
# The environment the guest's test inherits from this one.
PASS_ENV = re.compile(r"^(GSO_|ASAN_|LSAN_|UBSAN_)")


def job_text(exe):
    env = {k: v for k, v in os.environ.items() if PASS_ENV.match(k)}
    lines = ["cd %s || exit 1" % shlex.quote(os.path.dirname(HERE)),
             "export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:"
             "/usr/bin:/sbin:/bin PYTHONDONTWRITEBYTECODE=1",
             # Guest-sized streams and timeouts (test_fwd_tunnel.py).
             "export GSO_TEST_IN_VM=1"]
    lines += ["export %s=%s" % (k, shlex.quote(v)) for k, v in
              sorted(env.items())]
    lines.append("exec python3 %s %s" % (
        shlex.quote(os.path.join(HERE, "test_fwd_tunnel.py")),
        shlex.quote(os.path.abspath(exe))))
    return "\n".join(lines) + "\n"


def on_sigterm(signum, frame):
    raise SystemExit(128 + signum)     # vm.Guest.run's finally kills the VM


def main():
    tap = Tap()
    exe = fwd_exe()
    what = "test_fwd_tunnel.py in a QEMU guest under Debian's kernel"
    try:
        guest = vm.Guest(modules=("veth",) + tuple(MODULES),
                         timeout=int(os.environ.get("GSO_VM_TIMEOUT", "480")),
                         log=tap.diag)
    except vm.Unavailable as e:
        tap.skip(what, e)
        return tap.done()
    signal.signal(signal.SIGTERM, on_sigterm)
    seen = {"cases": 0, "skips": [], "plan": False}

    t0 = time.monotonic()

    def on_line(line):
        if "first" not in seen:
            seen["first"] = time.monotonic() - t0
            tap.diag("first guest line after %.1f s (boot, gso-fwd's start)"
                     % seen["first"])
        m = TAP_LINE.match(line)
        if m:
            seen["cases"] += 1
            desc = m.group(2)
            if "# SKIP" in desc:
                name, why = desc.split("# SKIP", 1)
                seen["skips"].append(name.strip())
                tap.skip("guest: " + name.strip(), why.strip())
            else:
                tap.ok(m.group(1) == "ok", "guest: " + desc)
        elif re.match(r"^1\.\.\d+", line):
            seen["plan"] = True
        elif line.startswith("#"):
            print(line)
            sys.stdout.flush()
        elif line.strip():
            tap.diag("guest: " + line)

    stderr = []
    rc, console = guest.run(job_text(exe), on_line, stderr.append)
    if stderr:
        tap.diag("guest stderr:\n" + "\n".join(stderr[-60:]))
    tap.ok(rc is not None and seen["plan"] and seen["cases"] > 0,
           "%s: ran to its end (%s, %d cases)" % (
               what, "exit status %s" % rc if rc is not None else
               "no exit status", seen["cases"]),
           "guest console (last lines):\n" + "\n".join(
               console.splitlines()[-40:]))
    tap.ok(seen["cases"] > 0 and not seen["skips"],
           "every tunnel case ran in the guest (none skipped)",
           "skipped: %s" % seen["skips"])
    return tap.done()


if __name__ == "__main__":
    raise SystemExit(main())
