#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
#
# tools/bench/populate.py: fills a server with many small collections for
# the memory comparison (types.sh): KIND "hash" makes COUNT hashes of FIELDS
# fields (HSET key field:i value:i...), "zset" makes COUNT sorted sets of
# FIELDS members (ZADD key i member:i...). Commands go pipelined in batches
# over one connection; any error reply fails the run.
# Usage: populate.py PORT KIND COUNT FIELDS

import socket
import sys

BATCH = 1000


def encode(args):
    out = [b"*%d\r\n" % len(args)]
    for arg in args:
        data = arg if isinstance(arg, bytes) else str(arg).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


def command(kind, index, fields):
    if kind == "hash":
        args = ["HSET", "hash:%d" % index]
        for i in range(fields):
            args += ["field:%d" % i, "value:%d" % i]
    else:
        args = ["ZADD", "zset:%d" % index]
        for i in range(fields):
            args += [i, "member:%d" % i]
    return encode(args)


def read_replies(sock, pending, count):
    """Reads count integer replies; fails on anything else."""
    seen = 0
    while seen < count:
        while b"\r\n" not in pending:
            chunk = sock.recv(65536)
            if not chunk:
                sys.exit("populate.py: connection closed")
            pending += chunk
        line, pending = pending.split(b"\r\n", 1)
        if not line.startswith(b":"):
            sys.exit("populate.py: unexpected reply " + line.decode(errors="replace"))
        seen += 1
    return pending


def main(argv):
    if len(argv) != 5 or argv[2] not in ("hash", "zset"):
        sys.exit("usage: populate.py PORT hash|zset COUNT FIELDS")
    port, kind, count, fields = int(argv[1]), argv[2], int(argv[3]), int(argv[4])
    sock = socket.create_connection(("127.0.0.1", port))
    pending = b""
    for start in range(0, count, BATCH):
        end = min(count, start + BATCH)
        sock.sendall(b"".join(command(kind, i, fields) for i in range(start, end)))
        pending = read_replies(sock, pending, end - start)
    sock.close()


if __name__ == "__main__":
    main(sys.argv)
