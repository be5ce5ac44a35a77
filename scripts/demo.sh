#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
#
# The main job. Until the forwarder exists this runs the capability demo.
exec "$(dirname "$0")/caps-demo.sh" "$@"
