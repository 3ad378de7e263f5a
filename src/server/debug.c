/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/debug.c: the DEBUG command: HELP, SLEEP and LOG for now.
 *
 * DEBUG is refused unless enable-debug-command allows it (see debug.h).
 * Subcommands that need subsystems keel lacks (RELOAD, OBJECT, POPULATE,
 * SET-ACTIVE-EXPIRE...) and the crash helpers are not here; they answer
 * like any unknown subcommand, and HELP lists only what exists.
 *
 * Threads: main only. SLEEP blocks the whole server on purpose: tests use
 * it to make the server unresponsive for a while.
 */
#include "server/debug.h"

#include <stdlib.h>
#include <strings.h>
#include <time.h>

#include "cmd/procs.h"
#include "net/reply.h"
#include "server/log.h"
#include "server/server.h"

/* No sleep longer than this: keeps seconds * 1e6 inside a long long. */
#define DEBUG_SLEEP_MAX_SECONDS 1e9

int debug_client_is_local(const Client *c) {
    if (c->flags & CLIENT_UNIX_SOCKET) return 1;
    if (c->conn == NULL || c->conn->type->is_local == NULL) return 0;
    return c->conn->type->is_local(c->conn) == 1;
}

int debug_command_allowed(const Client *c) {
    if (c->conn == NULL) return 1;
    if (cfg_enable_debug == 1) return 1;
    return cfg_enable_debug == 2 && debug_client_is_local(c);
}

static void debug_help(Client *c) {
    static const char *const lines[] = {
        "LOG <message>",
        "    Write <message> to the server log.",
        "PROTOCOL <type>",
        "    Reply with a test value of the specified type. <type> can be: string,",
        "    integer, double, bignum, null, array, set, map, attrib, push, verbatim,",
        "    true, false.",
        "SLEEP <seconds>",
        "    Stop the server for <seconds>. Decimals allowed.",
        NULL,
    };
    reply_help(c, lines);
}

/* DEBUG SLEEP <seconds>: like Valkey, a number that does not parse sleeps
 * 0 seconds, and a negative one does not sleep at all; both reply OK. */
static void debug_sleep(Client *c) {
    double seconds = strtod(c->argv[2]->ptr, NULL);
    if (seconds > 0) {
        if (seconds > DEBUG_SLEEP_MAX_SECONDS) seconds = DEBUG_SLEEP_MAX_SECONDS;
        long long usec = (long long)(seconds * 1000000);
        struct timespec ts = {.tv_sec = usec / 1000000, .tv_nsec = (usec % 1000000) * 1000};
        nanosleep(&ts, NULL); /* a signal may cut it short, as in Valkey */
    }
    reply_ok(c);
}

static void debug_log(Client *c) {
    log_msg(LL_WARNING, "DEBUG LOG: %s", (const char *)c->argv[2]->ptr);
    reply_ok(c);
}

/* DEBUG PROTOCOL <type>: sends one value of each RESP3 type (with the RESP2
 * fallbacks on RESP2 connections), so clients can test their parsers. */
static void debug_protocol(Client *c) {
    const char *name = c->argv[2]->ptr;
    if (!strcasecmp(name, "string")) {
        reply_bulk_cstr(c, "Hello World");
    } else if (!strcasecmp(name, "integer")) {
        reply_ll(c, 12345);
    } else if (!strcasecmp(name, "double")) {
        reply_double(c, 3.141);
    } else if (!strcasecmp(name, "bignum")) {
        reply_bignum(c, "1234567999999999999999999999999999999");
    } else if (!strcasecmp(name, "null")) {
        reply_null(c);
    } else if (!strcasecmp(name, "array")) {
        reply_array_len(c, 3);
        for (int i = 0; i < 3; i++) reply_ll(c, i);
    } else if (!strcasecmp(name, "set")) {
        reply_set_len(c, 3);
        for (int i = 0; i < 3; i++) reply_ll(c, i);
    } else if (!strcasecmp(name, "map")) {
        reply_map_len(c, 3);
        for (int i = 0; i < 3; i++) {
            reply_ll(c, i);
            reply_bool(c, i == 1);
        }
    } else if (!strcasecmp(name, "attrib")) {
        if (c->resp >= 3) {
            reply_attribute_len(c, 1);
            reply_bulk_cstr(c, "key-popularity");
            reply_array_len(c, 2);
            reply_bulk_cstr(c, "key:123");
            reply_ll(c, 90);
        }
        reply_bulk_cstr(c, "Some real reply following the attribute");
    } else if (!strcasecmp(name, "push")) {
        if (c->resp < 3) {
            reply_error(c, "RESP2 is not supported by this command");
            return;
        }
        reply_push_len(c, 2);
        reply_bulk_cstr(c, "server-cpu-usage");
        reply_ll(c, 42);
        reply_bulk_cstr(c, "Some real reply following the push reply");
    } else if (!strcasecmp(name, "true")) {
        reply_bool(c, 1);
    } else if (!strcasecmp(name, "false")) {
        reply_bool(c, 0);
    } else if (!strcasecmp(name, "verbatim")) {
        reply_verbatim(c, "This is a verbatim\nstring", 25, "txt");
    } else {
        reply_error(c, "Wrong protocol type name. Please use one of the following: "
                       "string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|"
                       "true|false");
    }
}

void cmd_debug(Client *c) {
    /* enable-debug-command was checked by the command layer (CMD_PROTECTED). */
    const char *sub = c->argv[1]->ptr;
    if (c->argc == 2 && strcasecmp(sub, "help") == 0)
        debug_help(c);
    else if (c->argc == 3 && strcasecmp(sub, "sleep") == 0)
        debug_sleep(c);
    else if (c->argc == 3 && strcasecmp(sub, "log") == 0)
        debug_log(c);
    else if (c->argc == 3 && strcasecmp(sub, "protocol") == 0)
        debug_protocol(c);
    else
        reply_error_subcommand_args(c); /* DEBUG is not a container */
}
