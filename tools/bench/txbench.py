#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
#
# tools/bench/txbench.py: transactions per second of MULTI, SET key:0 VALUE
# ... SET key:9 VALUE, EXEC, for the MULTI rows of compare.sh (multi.sh);
# redis-benchmark cannot send a transaction.
#
# One process, built to stay out of the server's way: the transaction is
# encoded once, and PIPELINE copies of it are one bytes object sent with one
# call; CLIENTS connections are driven by one selector loop, each sending
# its PIPELINE transactions, then reading until the whole reply of the round
# has come (large reads), then sending the next round. Every reply is known
# in advance (+OK, +QUEUED x10, an EXEC array of 10 +OK), so a round's reply
# is checked with one bytes comparison; any difference (an error reply,
# "-EXECABORT" ...) fails the run with the server's line. Stops after
# REQUESTS transactions (--requests, rounded up to whole rounds) or SECONDS
# (--seconds), and prints the transactions per second on stdout; details go
# to stderr. The clock runs from the first round's sending to the last
# reply, after every connection is open and one transaction has been checked.
# Usage: txbench.py PORT [--clients C] [--pipeline P] [--requests N | --seconds S]
#                        [--value-size BYTES]

import argparse
import selectors
import socket
import sys
import time

KEYS = 10           # SETs per transaction
READ_SIZE = 1 << 18


def encode(*args):
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        data = arg if isinstance(arg, bytes) else arg.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


def transaction(value_size):
    """Returns (request bytes, expected reply bytes) of one transaction."""
    value = b"x" * value_size
    request = encode("MULTI") + b"".join(
        encode("SET", "key:%d" % i, value) for i in range(KEYS)) + encode("EXEC")
    reply = b"+OK\r\n" + b"+QUEUED\r\n" * KEYS + b"*%d\r\n" % KEYS + b"+OK\r\n" * KEYS
    return request, reply


def fail_reply(expected, got):
    """Exits naming the first reply that differs from what was expected."""
    at = next((i for i, (a, b) in enumerate(zip(expected, got)) if a != b),
              min(len(expected), len(got)))
    start = got.rfind(b"\n", 0, at) + 1  # the line holding the first difference
    line = got[start:got.find(b"\r\n", at) if b"\r\n" in got[at:] else len(got)]
    kind = "error reply" if line.startswith(b"-") else "unexpected reply"
    sys.exit("txbench.py: %s at byte %d of a round's reply: %s"
             % (kind, at, line.decode(errors="replace")[:200]))


def connect(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=30)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def check_one(port, request, reply):
    """Sends one transaction on a connection of its own; fails if its reply
    is not the expected one (e.g. a server without MULTI)."""
    with connect(port) as sock:
        sock.sendall(request)
        got = b""
        while len(got) < len(reply):
            chunk = sock.recv(READ_SIZE)
            if not chunk:
                break
            got += chunk
            if got[:1] == b"-" or got != reply[:len(got)]:
                break
    if got != reply:
        fail_reply(reply, got)


def run(port, clients, pipeline, requests, seconds, request, reply):
    """Returns (transactions done, elapsed seconds)."""
    round_request, round_reply = request * pipeline, reply * pipeline
    round_size = len(round_reply)
    socks = [connect(port) for _ in range(clients)]
    pending = [b""] * clients  # bytes of the round's reply not yet complete
    selector = selectors.DefaultSelector()
    for index, sock in enumerate(socks):
        selector.register(sock, selectors.EVENT_READ, index)
    done = issued = 0
    active = clients
    start = time.perf_counter()
    deadline = start + seconds if seconds else None
    for sock in socks:
        sock.sendall(round_request)
        issued += pipeline
    while active:
        for key, _ in selector.select():
            index, sock = key.data, key.fileobj
            data = sock.recv(READ_SIZE)
            if not data:
                sys.exit("txbench.py: the server closed connection %d" % index)
            if pending[index] or len(data) != round_size:
                data = pending[index] + data
                if len(data) < round_size:
                    if data[:1] == b"-" or data != round_reply[:len(data)]:
                        fail_reply(round_reply, data)
                    pending[index] = data
                    continue
                pending[index] = b""
            if data != round_reply:
                fail_reply(round_reply, data)
            done += pipeline
            more = issued < requests if deadline is None else time.perf_counter() < deadline
            if more:
                sock.sendall(round_request)
                issued += pipeline
            else:
                selector.unregister(sock)
                active -= 1
    elapsed = time.perf_counter() - start
    for sock in socks:
        sock.close()
    return done, elapsed


def main():
    parser = argparse.ArgumentParser(description="MULTI/EXEC transactions per second")
    parser.add_argument("port", type=int)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--pipeline", type=int, default=1, help="transactions per round trip")
    parser.add_argument("--requests", type=int, default=100000, help="transactions in all")
    parser.add_argument("--seconds", type=float, default=0, help="run this long instead")
    parser.add_argument("--value-size", type=int, default=16)
    args = parser.parse_args()
    if min(args.clients, args.pipeline, args.requests, args.value_size) < 1 or args.seconds < 0:
        sys.exit("txbench.py: --clients, --pipeline, --requests and --value-size must be positive")
    request, reply = transaction(args.value_size)
    check_one(args.port, request, reply)
    done, elapsed = run(args.port, args.clients, args.pipeline, args.requests,
                        args.seconds, request, reply)
    print("txbench.py: %d transactions (%d commands) in %.3f s on %d connections, -P %d"
          % (done, done * (KEYS + 2), elapsed, args.clients, args.pipeline), file=sys.stderr)
    print("%.2f" % (done / elapsed))


if __name__ == "__main__":
    main()
