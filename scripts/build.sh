#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# Configure (once) and build into ./build.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
[ -f build/build.ninja ] || meson setup build >/dev/null
# A build dir set up before the .pc became relocatable (a project default
# since then) keeps the old value, which test "abi" rejects (docs/abi.md).
relocatable=$(meson introspect build --buildoptions | python3 -c '
import json, sys
print([o["value"] for o in json.load(sys.stdin)
       if o["name"] == "pkgconfig.relocatable"][0])')
[ "$relocatable" = True ] ||
	meson configure build -Dpkgconfig.relocatable=true >/dev/null
ninja -C build
