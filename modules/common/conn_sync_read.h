/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * common/conn_sync_read.h: the two blocking reads every transport's sync
 * API shares (read exactly len bytes; read one line), built on the
 * transport's own step "read some bytes before the deadline".
 *
 * Threads: the caller's (the sync API is main thread only).
 */
#ifndef KEEL_CONN_SYNC_READ_H
#define KEEL_CONN_SYNC_READ_H

#include <stddef.h>
#include <sys/types.h>

#include "keel/conn.h"

#pragma GCC visibility push(hidden)

/* Reads 1..len bytes of conn, waiting until deadline_ms (monotonic ms);
 * returns the count, or -1 (timeout, EOF, error: recorded in conn). */
typedef ssize_t (*ConnSyncReadSome)(KeelConn *conn, char *buf, size_t len, long long deadline_ms);

/* Reads exactly len bytes: a short count would leave the caller mid-frame.
 * Returns len, or -1. */
ssize_t conn_sync_read_all(KeelConn *conn, char *buf, ssize_t len, long long deadline_ms,
                           ConnSyncReadSome read_some);

/* Reads up to and including '\n', one byte at a time (nothing read past the
 * line has to be put back; the lines read this way are short). Stores the
 * line without its "\r\n", NUL-terminated, and returns its length; a line
 * longer than len - 1 bytes is cut there and the rest stays unread. -1 with
 * EINVAL in conn when len leaves no room even for the NUL. */
ssize_t conn_sync_read_line(KeelConn *conn, char *buf, ssize_t len, long long deadline_ms,
                            ConnSyncReadSome read_some);

#pragma GCC visibility pop

#endif
