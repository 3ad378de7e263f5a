/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * common/conn_sync_read.c: blocking read-all and read-line on top of a
 * transport's read-some step (common/conn_sync_read.h).
 *
 * Threads: the caller's.
 */
#include "conn_sync_read.h"

#include <errno.h>

ssize_t conn_sync_read_all(KeelConn *conn, char *buf, ssize_t len, long long deadline_ms,
                           ConnSyncReadSome read_some) {
    ssize_t done = 0;
    while (done < len) {
        ssize_t n = read_some(conn, buf + done, (size_t)(len - done), deadline_ms);
        if (n == -1) return -1;
        done += n;
    }
    return done;
}

ssize_t conn_sync_read_line(KeelConn *conn, char *buf, ssize_t len, long long deadline_ms,
                            ConnSyncReadSome read_some) {
    if (len <= 0) {
        conn->last_errno = EINVAL;
        return -1;
    }
    ssize_t used = 0;
    buf[0] = '\0';
    while (used < len - 1) {
        char c;
        if (read_some(conn, &c, 1, deadline_ms) == -1) return -1;
        if (c == '\n') {
            if (used > 0 && buf[used - 1] == '\r') buf[--used] = '\0';
            return used;
        }
        buf[used++] = c;
        buf[used] = '\0';
    }
    return used;
}
