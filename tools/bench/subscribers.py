#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
#
# tools/bench/subscribers.py: the subscribers of the PUBLISH benchmark
# (pubsub.sh): opens COUNT connections to 127.0.0.1:PORT, SUBSCRIBEs each to
# CHANNEL, waits until PUBSUB NUMSUB CHANNEL (asked on one more connection)
# shows COUNT, prints "ready" on stdout, then reads and discards whatever the
# server sends, with selectors, until SIGTERM or SIGINT; then it goes on
# reading until nothing has come for half a second (what the server still
# had buffered for them), so that the byte count is complete.
#
# The messages are counted in bytes, never parsed, so that one process keeps
# up with a server fanning out to 100 connections. After SIGTERM it prints
# "received BYTES bytes on COUNT connections" and exits 0, or exits 1 if a
# connection got nothing. If the server closes a connection meanwhile (e.g.
# its client-output-buffer-limit for pubsub cut off a subscriber that fell
# behind), it says so on stderr and exits 1 at once, since the publishers
# would then be measured against fewer subscribers.
# Usage: subscribers.py PORT CHANNEL COUNT

import selectors
import signal
import socket
import sys
import time

READ_SIZE = 1 << 18   # large reads: fewer calls per byte drained
READY_TIMEOUT_S = 30  # longest wait for SUBSCRIBE confirmations and NUMSUB
QUIET_S = 0.5         # after SIGTERM: stop once nothing has come for this long
FINAL_DRAIN_S = 60    # after SIGTERM: stop after this long in any case


STOPPING = []  # not empty once SIGTERM or SIGINT came


def encode(*args):
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        data = arg.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


def read_exactly(sock, size):
    """Reads size bytes; fails if the connection closes first."""
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            sys.exit("subscribers.py: connection closed while subscribing")
        data += chunk
    return data


def subscribe_all(port, channel, count):
    """Opens count connections subscribed to channel; returns them."""
    request = encode("SUBSCRIBE", channel)
    # A RESP2 subscribe confirmation: ["subscribe", channel, 1].
    confirmation = b"*3\r\n" + encode("subscribe", channel)[4:] + b":1\r\n"
    socks = []
    for _ in range(count):
        sock = socket.create_connection(("127.0.0.1", port), timeout=READY_TIMEOUT_S)
        sock.sendall(request)
        socks.append(sock)
    for sock in socks:
        reply = read_exactly(sock, len(confirmation))
        if reply != confirmation:
            sys.exit("subscribers.py: unexpected SUBSCRIBE reply %r" % reply)
    return socks


def numsub(port, channel):
    """PUBSUB NUMSUB channel, asked on a connection of its own."""
    with socket.create_connection(("127.0.0.1", port), timeout=READY_TIMEOUT_S) as sock:
        sock.sendall(encode("PUBSUB", "NUMSUB", channel))
        reply = b""
        # The reply is ["channel", N]: complete once the integer's line ends.
        while not (b":" in reply and reply.endswith(b"\r\n")):
            chunk = sock.recv(4096)
            if not chunk:
                sys.exit("subscribers.py: connection closed during PUBSUB NUMSUB")
            reply += chunk
    if reply.startswith(b"-"):
        sys.exit("subscribers.py: PUBSUB NUMSUB failed: " + reply.decode(errors="replace").strip())
    return int(reply[reply.rindex(b":") + 1:].strip())


def wait_numsub(port, channel, count):
    deadline = time.monotonic() + READY_TIMEOUT_S
    while True:
        seen = numsub(port, channel)
        if seen == count:
            return
        if time.monotonic() > deadline:
            sys.exit("subscribers.py: PUBSUB NUMSUB %s shows %d, not %d" % (channel, seen, count))
        time.sleep(0.05)


def read_ready(selector, received, timeout):
    """Reads once from each connection select() finds ready within timeout
    (None: wait for one); returns False if none was. The signal wake-up
    socket (data None) is emptied, not counted."""
    events = selector.select(timeout)
    for key, _ in events:
        try:
            data = key.fileobj.recv(READ_SIZE)
        except BlockingIOError:
            continue
        if key.data is None:
            continue
        if not data:
            sys.exit("subscribers.py: the server closed subscriber %d after %d bytes "
                     "(client-output-buffer-limit pubsub?)" % (key.data, received[key.data]))
        received[key.data] += len(data)
    return bool(events)


def drain(socks, wakeup):
    """Reads from every connection until a signal, then until they fall
    quiet; returns bytes per connection. wakeup is the socket Python writes
    to on a signal: select() returns for it, so the signal never interrupts
    a read half-counted."""
    received = [0] * len(socks)
    selector = selectors.DefaultSelector()
    selector.register(wakeup, selectors.EVENT_READ, None)
    for index, sock in enumerate(socks):
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ, index)
    while not STOPPING:
        read_ready(selector, received, None)
    # A second signal now ends the process at once.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    deadline = time.monotonic() + FINAL_DRAIN_S
    while read_ready(selector, received, QUIET_S) and time.monotonic() < deadline:
        pass
    return received


def stop(_signum, _frame):
    STOPPING.append(True)


def main(argv):
    if len(argv) != 4:
        sys.exit("usage: subscribers.py PORT CHANNEL COUNT")
    port, channel, count = int(argv[1]), argv[2], int(argv[3])
    wakeup, wakeup_writer = socket.socketpair()
    wakeup.setblocking(False)
    wakeup_writer.setblocking(False)
    signal.set_wakeup_fd(wakeup_writer.fileno())
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    socks = subscribe_all(port, channel, count)
    wait_numsub(port, channel, count)
    if STOPPING:
        sys.exit("subscribers.py: stopped before the subscribers were ready")
    print("ready", flush=True)
    received = drain(socks, wakeup)
    print("received %d bytes on %d connections" % (sum(received), count), flush=True)
    idle = received.count(0)
    if idle:
        sys.exit("subscribers.py: %d of %d subscribers received nothing" % (idle, count))


if __name__ == "__main__":
    main(sys.argv)
