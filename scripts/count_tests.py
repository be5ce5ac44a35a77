#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""Count test cases in meson's testlog.json (every test binary speaks TAP).

A case is one "ok"/"not ok" line. A binary that dies before finishing its
plan ("1..N") has its missing cases counted as failed, so a crash can never
look like a pass. Prints one line per test binary, then "N passed, N failed".
Exit status 1 if anything failed.
"""
import json
import re
import sys


def count(stdout, result):
    passed = failed = skipped = 0
    planned = None
    for line in stdout.splitlines():
        m = re.match(r"^1\.\.(\d+)", line)
        if m:
            planned = int(m.group(1))
        elif line.startswith("not ok"):
            failed += 1
        elif line.startswith("ok"):
            if re.search(r"#\s*SKIP", line, re.IGNORECASE):
                skipped += 1
            else:
                passed += 1
        elif line.startswith("Bail out!"):
            failed += 1
    seen = passed + failed + skipped
    if planned is not None and seen < planned:
        failed += planned - seen
    if result not in ("OK", "SKIP", "EXPECTEDFAIL") and failed == 0:
        failed += 1
    return passed, failed, skipped


def main(path):
    total = [0, 0, 0]
    try:
        lines = open(path, encoding="utf-8").read().splitlines()
    except OSError as e:
        print("no test log: %s" % e)
        print("0 passed, 1 failed")
        return 1
    for raw in lines:
        if not raw.strip():
            continue
        t = json.loads(raw)
        p, f, s = count(t.get("stdout") or "", t.get("result", ""))
        print("%-40s %4d passed %3d failed %3d skipped" % (t["name"], p, f, s))
        total = [total[0] + p, total[1] + f, total[2] + s]
    if total[2]:
        print("%d skipped" % total[2])
    print("%d passed, %d failed" % (total[0], total[1]))
    return 1 if total[1] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else
                  "build/meson-logs/testlog.json"))
