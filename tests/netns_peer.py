#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The gso_offload authors
"""A kernel TCP/UDP peer for gso-fwd's tests and demo.

Run inside a network namespace (ip netns exec NS python3 THIS ...):

  recv --proto tcp|udp --family 4|6 --addr A --port P
      Binds/listens, prints "ready", then TCP: reads one connection to EOF;
      UDP: receives datagrams until a datagram flagged "last" is acknowledged
      (see below) or --timeout-ms passes.
  send --proto tcp --family 4|6 --addr A --port P --bytes N
      Connects, sends N bytes, closes, waits for the peer's close.
  send --proto udp --family 4|6 --addr A --port P --sizes S1,S2,... \
       [--repeat R] [--window W] [--df on|off]
      Sends datagrams of those payload sizes (R times over), W at a time;
      the last of each window asks for an acknowledgement, and the sender
      waits for it (up to --ack-ms) before the next window. The flow control
      is the protocol, not a timer: nothing can be lost for lack of room,
      and a lost datagram shows as a missing acknowledgement.
      --gso N: each window leaves in ONE send() with UDP_SEGMENT N (Linux
      UDP GSO: the kernel hands on one superframe, cut into datagrams of
      N bytes, the last maybe shorter, wherever segmentation happens);
      every datagram of a window but its last must then be N bytes.

Payloads are a deterministic pseudo-random stream; each UDP datagram
starts with a 12-byte header (sequence, flags, size) inside its payload.
Both sides print, one per line, then exit 0:

  status ok|timeout|lost|reset|error
  bytes N            stream bytes / payload bytes of all datagrams
  datagrams N        udp: datagrams sent (up to a missing
                     acknowledgement) / received
  seconds S          from the first byte to the last (send: to the close)
  sha256 HEX         of the stream / of the datagrams in sequence order
  missing N          udp recv: sequence numbers below the highest one
                     received that never arrived
  end
"""

import argparse
import hashlib
import random
import socket
import struct
import sys
import time

SO_RCVBUFFORCE = getattr(socket, "SO_RCVBUFFORCE", 33)
SO_SNDBUFFORCE = getattr(socket, "SO_SNDBUFFORCE", 32)
IP_MTU_DISCOVER = getattr(socket, "IP_MTU_DISCOVER", 10)
IP_PMTUDISC_DONT, IP_PMTUDISC_DO = 0, 2
SOL_UDP, UDP_SEGMENT = 17, 103           # linux/udp.h
UDP_HDR = struct.Struct("!III")          # sequence, flags, payload size
F_ACK_REQ, F_LAST = 1, 2


def report(status, nbytes, datagrams, seconds, digest, missing=None):
    sys.stdout.write("status %s\nbytes %d\ndatagrams %d\nseconds %.6f\n"
                     "sha256 %s\n" % (status, nbytes, datagrams, seconds,
                                      digest))
    if missing is not None:
        sys.stdout.write("missing %d\n" % missing)
    sys.stdout.write("end\n")
    sys.stdout.flush()


def family(args):
    return socket.AF_INET if args.family == 4 else socket.AF_INET6


def stream(seed, n, chunk=1 << 20):
    rng = random.Random(seed)
    while n > 0:
        k = min(chunk, n)
        yield rng.randbytes(k)
        n -= k


def tcp_send(args):
    h, sent = hashlib.sha256(), 0
    s = socket.create_connection((args.addr, args.port),
                                 timeout=args.timeout_ms / 1000.0)
    t0 = time.monotonic()
    with s:
        for buf in stream(args.seed, args.bytes):
            s.sendall(buf)
            h.update(buf)
            sent += len(buf)
        s.shutdown(socket.SHUT_WR)
        # The receiver closes once it has read everything: its FIN means
        # every byte arrived.
        while s.recv(4096):
            pass
    report("ok", sent, 0, time.monotonic() - t0, h.hexdigest())


def tcp_recv(sock, args):
    h, got, t0 = hashlib.sha256(), 0, None
    deadline = time.monotonic() + args.timeout_ms / 1000.0
    sock.settimeout(args.timeout_ms / 1000.0)
    conn, _ = sock.accept()
    status = "ok"
    with conn:
        while True:
            conn.settimeout(max(deadline - time.monotonic(), 0.001))
            try:
                buf = conn.recv(1 << 20)
            except socket.timeout:
                status = "timeout"
                break
            except ConnectionResetError:
                status = "reset"
                break
            if not buf:
                break
            if t0 is None:
                t0 = time.monotonic()
            h.update(buf)
            got += len(buf)
    report(status, got, 0, time.monotonic() - (t0 or time.monotonic()),
           h.hexdigest())


def udp_payload(rng, seq, size, flags):
    body = rng.randbytes(size - UDP_HDR.size)
    return UDP_HDR.pack(seq, flags, size) + body


def udp_send(args):
    sizes = [int(x) for x in args.sizes.split(",")] * args.repeat
    if any(sz < UDP_HDR.size for sz in sizes):
        raise SystemExit("sizes must be at least %d" % UDP_HDR.size)
    rng = random.Random(args.seed)
    s = socket.socket(family(args), socket.SOCK_DGRAM)
    if args.family == 4:
        s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER,
                     IP_PMTUDISC_DO if args.df == "on" else IP_PMTUDISC_DONT)
    if args.gso:
        s.setsockopt(SOL_UDP, UDP_SEGMENT, args.gso)
    s.connect((args.addr, args.port))
    h, total, status, sent = hashlib.sha256(), 0, "ok", 0
    t0 = time.monotonic()
    for start in range(0, len(sizes), args.window):
        window = sizes[start:start + args.window]
        if args.gso and (any(sz != args.gso for sz in window[:-1]) or
                         window[-1] > args.gso):
            raise SystemExit("--gso %d: window %s does not fit it" % (
                args.gso, window))
        batch = []
        for i, sz in enumerate(window):
            seq = start + i
            flags = 0
            if i == len(window) - 1:
                flags |= F_ACK_REQ
                if start + len(window) == len(sizes):
                    flags |= F_LAST
            d = udp_payload(rng, seq, sz, flags)
            if args.gso:
                batch.append(d)
            else:
                s.send(d)
            h.update(d)
            total += sz
            sent += 1
        if batch:
            s.send(b"".join(batch))      # one superframe per window
        want = start + len(window)
        s.settimeout(args.ack_ms / 1000.0)
        try:
            while True:
                count = struct.unpack("!I", s.recv(64)[:4])[0]
                if count >= want:
                    break
        except (socket.timeout, ConnectionRefusedError):
            status = "lost"
            break
    report(status, total, sent, time.monotonic() - t0, h.hexdigest())


def udp_recv(sock, args):
    got = {}
    deadline = time.monotonic() + args.timeout_ms / 1000.0
    status, t0 = "timeout", None
    while time.monotonic() < deadline:
        sock.settimeout(max(deadline - time.monotonic(), 0.001))
        try:
            d, peer = sock.recvfrom(65536)
        except socket.timeout:
            break
        if t0 is None:
            t0 = time.monotonic()
        seq, flags, size = UDP_HDR.unpack(d[:UDP_HDR.size])
        if size != len(d):
            status = "error"
            print("netns_peer: datagram %d: %d bytes, its header says %d"
                  % (seq, len(d), size), file=sys.stderr)
            break
        got[seq] = d
        if flags & F_ACK_REQ:
            # Acknowledge how many arrived in sequence from the start.
            n = 0
            while n in got:
                n += 1
            sock.sendto(struct.pack("!I", n), peer)
            if flags & F_LAST and n == seq + 1:
                status = "ok"
                break
    h = hashlib.sha256()
    for seq in sorted(got):
        h.update(got[seq])
    missing = max(got) + 1 - len(got) if got else 0
    report(status, sum(len(d) for d in got.values()), len(got),
           time.monotonic() - (t0 or time.monotonic()), h.hexdigest(),
           missing)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("role", choices=("send", "recv"))
    ap.add_argument("--proto", choices=("tcp", "udp"), required=True)
    ap.add_argument("--family", type=int, choices=(4, 6), required=True)
    ap.add_argument("--addr", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--bytes", type=int, default=1 << 20)
    ap.add_argument("--sizes", default="1000")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--window", type=int, default=16)
    ap.add_argument("--df", choices=("on", "off"), default="off")
    ap.add_argument("--gso", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ack-ms", type=int, default=5000)
    ap.add_argument("--timeout-ms", type=int, default=60000)
    args = ap.parse_args()
    try:
        if args.role == "send":
            if args.proto == "tcp":
                tcp_send(args)
            else:
                udp_send(args)
            return 0
        kind = socket.SOCK_STREAM if args.proto == "tcp" else \
            socket.SOCK_DGRAM
        sock = socket.socket(family(args), kind)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, 32 << 20)
        except OSError:
            pass
        sock.bind((args.addr, args.port))
        if kind == socket.SOCK_STREAM:
            sock.listen(1)
        print("ready", flush=True)
        with sock:
            if args.proto == "tcp":
                tcp_recv(sock, args)
            else:
                udp_recv(sock, args)
    except OSError as e:
        print("netns_peer: %s" % e, file=sys.stderr)
        report("error", 0, 0, 0, "")
    except KeyboardInterrupt:      # the demo's Ctrl-C: no traceback
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
