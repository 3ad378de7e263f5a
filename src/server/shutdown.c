/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/shutdown.c: the SHUTDOWN command.
 *
 * SHUTDOWN [NOSAVE|SAVE] [NOW] [FORCE] [ABORT]. keel has no replicas to wait
 * for yet, so NOW changes nothing and ABORT always finds no shutdown in
 * progress, exactly as Valkey answers when it has none.
 *
 * Threads: main only.
 */
#include <strings.h>

#include "cmd/procs.h"
#include "net/reply.h"
#include "script/script.h"
#include "server/server.h"

void cmd_shutdown(Client *c) {
    int flags = 0, abort_requested = 0;
    for (int i = 1; i < c->argc; i++) {
        const char *opt = c->argv[i]->ptr;
        if (strcasecmp(opt, "nosave") == 0)
            flags |= SHUTDOWN_NOSAVE;
        else if (strcasecmp(opt, "save") == 0)
            flags |= SHUTDOWN_SAVE;
        else if (strcasecmp(opt, "now") == 0)
            flags |= SHUTDOWN_NOW;
        else if (strcasecmp(opt, "force") == 0)
            flags |= SHUTDOWN_FORCE;
        else if (strcasecmp(opt, "abort") == 0)
            abort_requested = 1;
        else {
            reply_error_syntax(c);
            return;
        }
    }
    if ((abort_requested && flags) || ((flags & SHUTDOWN_NOSAVE) && (flags & SHUTDOWN_SAVE))) {
        reply_error_syntax(c);
        return;
    }
    /* Under a busy script only SHUTDOWN NOSAVE ends the process: a save
     * would store the script's half-done writes. */
    if (script_is_busy() && !(flags & SHUTDOWN_NOSAVE)) {
        reply_error(c, script_busy_error());
        return;
    }
    if (abort_requested) {
        reply_error(c, "No shutdown in progress.");
        return;
    }
    server_shutdown(flags);
    /* Only reached when the shutdown was refused. */
    reply_error(c, "Errors trying to SHUTDOWN. Check logs.");
}
