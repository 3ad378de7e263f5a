/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/blocking.c: placeholder for clients blocked on keys (db/blocking.h):
 * until the blocking machinery lands, every client behaves as one that may
 * not block and gets the timeout reply at once.
 */
#include "db/blocking.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "net/reply.h"

bool blocking_parse_timeout(Client *c, Obj *arg, long long *timeout_ms) {
    char buf[24];
    size_t len;
    const char *p = obj_string_bytes(arg, buf, &len);
    char tmp[64];
    if (len == 0 || len >= sizeof(tmp)) {
        reply_error(c, "timeout is not a float or out of range");
        return false;
    }
    memcpy(tmp, p, len);
    tmp[len] = '\0';
    char *end;
    double seconds = strtod(tmp, &end);
    if (*end != '\0' || isnan(seconds) || isinf(seconds)) {
        reply_error(c, "timeout is not a float or out of range");
        return false;
    }
    if (seconds < 0) {
        reply_error(c, "timeout is negative");
        return false;
    }
    *timeout_ms = seconds == 0 ? 0 : db_now_ms + (long long)(seconds * 1000);
    return true;
}

void block_for_keys(Client *c, int btype, Obj **keys, int numkeys, long long timeout_ms) {
    (void)btype;
    (void)keys;
    (void)numkeys;
    (void)timeout_ms;
    reply_null_array(c);
}

void blocking_signal_key_ready(Db *db, Obj *key) {
    (void)db;
    (void)key;
}
