#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors

"""A kernel receiver for the netns tests (tests/test_netns.c).

Run inside the peer's network namespace (ip netns exec NS python3 THIS ...).
Binds (UDP) or listens (TCP) on --addr/--port, then prints "ready" so that
the test knows it may send. Then:

  tcp: accepts one connection, reads it to EOF, closes it (the kernel sends
       its FIN);
  udp: receives datagrams until --expect arrived (0: no limit), or none
       came for --idle-ms after the first one.

Finally prints, one per line, and exits 0:

  status ok|idle|timeout|terminated|reset|error
  bytes N                 stream bytes / sum of the datagram sizes
  datagrams N             udp: datagrams received
  sizes S1 S2 ...         udp: each datagram's size, in arrival order
  sha256 HEX              of the stream / of the payloads concatenated
  end

SIGTERM makes it report what it has with status "terminated". --timeout-ms
bounds the whole run (status "timeout").
"""

import argparse
import hashlib
import signal
import socket
import sys
import time

# Not exported by every Python: SO_RCVBUFFORCE on Linux.
SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33)


class Terminated(Exception):
    pass


def on_sigterm(signum, frame):
    raise Terminated()


def remaining(deadline):
    return max(deadline - time.monotonic(), 0.001)


def recv_tcp(sock, args, deadline, state):
    sock.settimeout(remaining(deadline))
    try:
        conn, _ = sock.accept()
    except socket.timeout:
        return "timeout"
    with conn:
        while True:
            left = remaining(deadline)
            conn.settimeout(min(args.idle_ms / 1000.0, left))
            try:
                buf = conn.recv(1 << 20)
            except socket.timeout:
                return "timeout" if left <= args.idle_ms / 1000.0 else "idle"
            except ConnectionResetError:
                return "reset"
            if not buf:
                return "ok"
            state["hash"].update(buf)
            state["bytes"] += len(buf)


def recv_udp(sock, args, deadline, state):
    while args.expect == 0 or len(state["sizes"]) < args.expect:
        left = remaining(deadline)
        idle = args.idle_ms / 1000.0
        # Before the first datagram only the overall deadline applies.
        wait = min(idle, left) if state["sizes"] else left
        sock.settimeout(wait)
        try:
            buf = sock.recv(65536)
        except socket.timeout:
            if state["sizes"] and wait >= idle:
                return "idle"
            return "timeout"
        state["hash"].update(buf)
        state["bytes"] += len(buf)
        state["sizes"].append(len(buf))
    return "ok"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--family", type=int, choices=(4, 6), required=True)
    ap.add_argument("--proto", choices=("tcp", "udp"), required=True)
    ap.add_argument("--addr", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--expect", type=int, default=0)
    ap.add_argument("--idle-ms", type=int, default=1000)
    ap.add_argument("--timeout-ms", type=int, default=60000)
    args = ap.parse_args()

    signal.signal(signal.SIGTERM, on_sigterm)
    state = {"hash": hashlib.sha256(), "bytes": 0, "sizes": []}
    fam = socket.AF_INET if args.family == 4 else socket.AF_INET6
    kind = socket.SOCK_STREAM if args.proto == "tcp" else socket.SOCK_DGRAM
    status = "error"
    try:
        sock = socket.socket(fam, kind)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            # Bursts of segments must not overflow the socket.
            sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 32 << 20)
        except OSError:
            pass
        sock.bind((args.addr, args.port))
        if kind == socket.SOCK_STREAM:
            sock.listen(1)
        deadline = time.monotonic() + args.timeout_ms / 1000.0
        print("ready", flush=True)
        with sock:
            if kind == socket.SOCK_STREAM:
                status = recv_tcp(sock, args, deadline, state)
            else:
                status = recv_udp(sock, args, deadline, state)
    except Terminated:
        status = "terminated"
    except OSError as e:
        print("netns_receiver: %s" % e, file=sys.stderr)
        status = "error"
    # No SIGTERM while reporting.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    out = ["status " + status,
           "bytes %d" % state["bytes"],
           "datagrams %d" % len(state["sizes"]),
           "sizes " + " ".join(str(s) for s in state["sizes"]),
           "sha256 " + state["hash"].hexdigest(),
           "end"]
    sys.stdout.write("\n".join(out) + "\n")
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
