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

#include <ctype.h>
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

/* Valkey's reply for a subcommand it does not know, or one given the wrong
 * number of arguments (DEBUG is not a container command, so the generic
 * "unknown subcommand 'x'" form does not apply). */
static void debug_reply_syntax_error(Client *c) {
    sds name = sds_new((const char *)c->argv[0]->ptr);
    for (size_t i = 0; i < sds_len(name); i++) name[i] = (char)toupper((unsigned char)name[i]);
    reply_error_format(c,
                       "unknown subcommand or wrong number of arguments for '%.128s'. Try %s HELP.",
                       (const char *)c->argv[1]->ptr, name);
    sds_free(name);
}

void cmd_debug(Client *c) {
    if (!debug_command_allowed(c)) {
        reply_error(c, DEBUG_NOT_ALLOWED_ERR);
        return;
    }
    const char *sub = c->argv[1]->ptr;
    if (c->argc == 2 && strcasecmp(sub, "help") == 0)
        debug_help(c);
    else if (c->argc == 3 && strcasecmp(sub, "sleep") == 0)
        debug_sleep(c);
    else if (c->argc == 3 && strcasecmp(sub, "log") == 0)
        debug_log(c);
    else
        debug_reply_syntax_error(c);
}
