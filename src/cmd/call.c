/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/call.c: runs one parsed command: lookup, checks, execution and the
 * per-command statistics behind INFO commandstats.
 *
 * Checks run in Valkey's order (unknown command, arity, authentication) and
 * reply with Valkey's exact texts, because clients match on them.
 *
 * Threads: main only.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/command.h"
#include "db/db.h"
#include "db/evict.h"
#include "net/reply.h"
#include "server/protected.h"
#include "server/ev.h"

static int current_command_failed; /* an error reply was added by the running command */
static unsigned long long commands_processed;

void cmd_note_error(Client *c) {
    if (c->flags & CLIENT_EXECUTING) current_command_failed = 1;
}

unsigned long long cmd_total_processed(void) {
    return commands_processed;
}

void cmd_total_processed_reset(void) {
    commands_processed = 0;
}

/* "-ERR unknown command 'x', with args beginning with: 'a' 'b' " */
static void reply_unknown_command(Client *c) {
    sds args = sds_empty();
    for (int i = 1; i < c->argc && sds_len(args) < 128; i++) {
        int room = 128 - (int)sds_len(args);
        args = sds_cat_printf(args, "'%.*s' ", room, (const char *)c->argv[i]->ptr);
    }
    reply_error_format(c, "unknown command '%.128s', with args beginning with: %s",
                       (const char *)c->argv[0]->ptr, args);
    sds_free(args);
}

static int cmd_dispatch(Client *c);

static int arity_ok(const Command *cmd, int argc) {
    return (cmd->arity > 0 && argc == cmd->arity) || (cmd->arity < 0 && argc >= -cmd->arity);
}

int cmd_process(Client *c) {
    /* CLIENT REPLY SKIP covers the next command's reply whatever it is,
     * errors from lookup and checks included. */
    if (c->flags & CLIENT_REPLY_SKIP_NEXT) {
        c->flags &= ~CLIENT_REPLY_SKIP_NEXT;
        c->flags |= CLIENT_REPLY_SKIP;
    }
    int result = cmd_dispatch(c);
    c->flags &= ~CLIENT_REPLY_SKIP;
    return result;
}

/* Looks up, checks and runs c's command. */
static int cmd_dispatch(Client *c) {
    const Command *cmd = cmd_lookup(c->argv, c->argc);
    c->last_cmd = cmd; /* NULL after an unknown command, as Valkey shows it */
    if (cmd == NULL) {
        const Command *parent = cmd_lookup_name(c->argv[0]->ptr, obj_string_len(c->argv[0]));
        if (parent && parent->subcommands && c->argc >= 2) {
            reply_error_subcommand(c); /* the container exists, not the subcommand */
        } else if (parent) {
            c->cmd = parent;
            reply_error_arity(c);
            c->cmd = NULL;
            ((Command *)parent)->stats.rejected_calls++;
        } else {
            reply_unknown_command(c);
        }
        return 0;
    }
    Command *mutable_cmd = (Command *)cmd; /* stats live in the table */
    c->cmd = cmd;
    if (!arity_ok(cmd, c->argc)) {
        reply_error_arity(c);
        mutable_cmd->stats.rejected_calls++;
        c->cmd = NULL;
        return 0;
    }
    if (!c->authenticated && !(cmd->flags & CMD_NO_AUTH)) {
        reply_error(c, "-NOAUTH Authentication required.");
        mutable_cmd->stats.rejected_calls++;
        c->cmd = NULL;
        return 0;
    }
    if ((cmd->flags & CMD_PROTECTED) && !protected_command_check(c, cmd)) {
        mutable_cmd->stats.rejected_calls++;
        c->cmd = NULL;
        return 0;
    }
    /* Over maxmemory: evict first; refuse commands that may grow memory when
     * that was not enough (-OOM). */
    if (cfg_maxmemory && !evict_check_before_command(c, (cmd->flags & CMD_DENYOOM) != 0)) {
        mutable_cmd->stats.rejected_calls++;
        c->cmd = NULL;
        return 0;
    }
    current_command_failed = 0;
    c->flags |= CLIENT_EXECUTING;
    uint64_t start = ev_monotonic_us();
    db_time_refresh();
    cmd->proc(c);
    uint64_t elapsed = ev_monotonic_us() - start;
    c->flags &= ~CLIENT_EXECUTING;
    mutable_cmd->stats.calls++;
    mutable_cmd->stats.usec += elapsed;
    if (current_command_failed) mutable_cmd->stats.failed_calls++;
    current_command_failed = 0;
    commands_processed++;
    c->commands_processed++;
    c->cmd = NULL;
    return (c->flags & CLIENT_CLOSE_ASAP) ? -1 : 0;
}
