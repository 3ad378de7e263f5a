/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/cmd_connection.c: PING, ECHO, QUIT and TIME.
 *
 * Threads: main only.
 */
#include <sys/time.h>

#include "cmd/procs.h"
#include "net/reply.h"

void cmd_ping(Client *c) {
    if (c->argc > 2) {
        reply_error_arity(c);
        return;
    }
    if (c->flags & CLIENT_PUBSUB && c->resp == 2) {
        /* Subscribed RESP2 clients get PING as a two-element array. */
        reply_array_len(c, 2);
        reply_bulk(c, "pong", 4);
        if (c->argc == 2)
            reply_bulk_obj(c, c->argv[1]);
        else
            reply_bulk(c, "", 0);
        return;
    }
    if (c->argc == 1)
        reply_raw(c, "+PONG\r\n", 7);
    else
        reply_bulk_obj(c, c->argv[1]);
}

void cmd_echo(Client *c) {
    reply_bulk_obj(c, c->argv[1]);
}

void cmd_quit(Client *c) {
    reply_ok(c);
    c->flags |= CLIENT_CLOSE_AFTER_REPLY;
}

void cmd_time(Client *c) {
    struct timeval tv;
    gettimeofday(&tv, NULL);
    reply_array_len(c, 2);
    reply_bulk_ll(c, (long long)tv.tv_sec);
    reply_bulk_ll(c, (long long)tv.tv_usec);
}
