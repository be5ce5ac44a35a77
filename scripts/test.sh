#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# The test command: install what is missing, build, run every test, and
# end with "N passed, N failed" counting individual test cases. Tests run
# without hugepages (--no-huge); the integration tests that create kernel
# interfaces and namespaces need root and are skipped without it.
#
# Usage: scripts/test.sh [meson test arguments, e.g. a suite or test name]
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
"$top/scripts/deps.sh"
"$top/scripts/build.sh" >/dev/null
rc=0
meson test -C build --print-errorlogs "$@" || rc=$?
python3 "$top/scripts/count_tests.py" build/meson-logs/testlog.json || rc=1
exit $rc
