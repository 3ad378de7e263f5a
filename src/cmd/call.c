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
#include "cmd/procs.h"
#include "db/blocking.h"
#include "db/db.h"
#include "db/evict.h"
#include "net/reply.h"
#include "persist/aof.h"
#include "persist/persist.h"
#include "persist/propagate.h"
#include "script/script.h"
#include "server/ev.h"
#include "server/monitor.h"
#include "server/multi.h"
#include "server/protected.h"
#include "server/tracking.h"

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

/* What a RESP2 client in subscribed mode may still run. */
static int pubsub_context_allows(const Command *cmd) {
    static const char *const allowed[] = {"ping", "subscribe", "ssubscribe", "psubscribe",
                                          "unsubscribe", "sunsubscribe", "punsubscribe",
                                          "quit", "reset", NULL};
    const char *name = cmd->full_name ? cmd->full_name : cmd->name; /* "a|b" never matches */
    for (int i = 0; allowed[i]; i++)
        if (strcmp(name, allowed[i]) == 0) return 1;
    return 0;
}

/* Ends a refused command: counts it (when it has a record), and makes a
 * transaction being queued abort at EXEC, as Valkey does. Returns 0. */
static int reject(Client *c, const Command *cmd) {
    if (cmd) ((Command *)cmd)->stats.rejected_calls++;
    c->cmd = NULL;
    multi_flag_error(c);
    return 0;
}

/* Looks up, checks and runs c's command. */
static int cmd_dispatch(Client *c) {
    const Command *cmd = cmd_lookup(c->argv, c->argc);
    c->last_cmd = cmd; /* NULL after an unknown command, as Valkey shows it */
    if (cmd == NULL) {
        const Command *parent = cmd_lookup_name(c->argv[0]->ptr, obj_string_len(c->argv[0]));
        if (parent && parent->subcommands && c->argc >= 2) {
            reply_error_subcommand(c); /* the container exists, not the subcommand */
            return reject(c, NULL);
        }
        if (parent) {
            c->cmd = parent;
            reply_error_arity(c);
            return reject(c, parent);
        }
        reply_unknown_command(c);
        return reject(c, NULL);
    }
    Command *mutable_cmd = (Command *)cmd; /* stats live in the table */
    c->cmd = cmd;
    if (!arity_ok(cmd, c->argc)) {
        reply_error_arity(c);
        return reject(c, cmd);
    }
    if (!c->authenticated && !(cmd->flags & CMD_NO_AUTH)) {
        reply_error(c, "-NOAUTH Authentication required.");
        return reject(c, cmd);
    }
    if ((cmd->flags & CMD_PROTECTED) && !protected_command_check(c, cmd)) return reject(c, cmd);
    /* Over maxmemory: evict first; refuse commands that may grow memory when
     * that was not enough (-OOM). Inside MULTI every queued command is
     * refused then, since queueing itself takes memory. */
    bool queueing = multi_should_queue(c, cmd);
    /* Nothing is evicted under a busy script (its keys must stay). */
    bool busy = script_is_busy();
    if (cfg_maxmemory && !busy &&
        !evict_check_before_command(c, (cmd->flags & CMD_DENYOOM) != 0 || queueing))
        return reject(c, cmd);
    /* A failed background save with stop-writes-on-bgsave-error: writes
     * (and PING, as in Valkey) get -MISCONF until a save succeeds. */
    const char *misconf = persist_write_refusal();
    if (misconf && ((cmd->flags & CMD_WRITE) || cmd->proc == cmd_ping)) {
        reply_error(c, misconf);
        return reject(c, cmd);
    }
    if ((c->flags & CLIENT_PUBSUB) && c->resp == 2 && !pubsub_context_allows(cmd)) {
        reply_error_format(c,
                           "Can't execute '%s': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / "
                           "QUIT / RESET are allowed in this context",
                           cmd->full_name ? cmd->full_name : cmd->name);
        return reject(c, cmd);
    }
    /* A script past busy-reply-threshold: only allow-busy commands run. */
    if (busy && !(cmd->flags & CMD_ALLOW_BUSY)) {
        reply_error(c, script_busy_error());
        return reject(c, cmd);
    }
    if ((c->flags & CLIENT_MULTI) && (cmd->flags & CMD_NO_MULTI)) {
        reply_error(c, "Command not allowed inside a transaction");
        return reject(c, cmd);
    }
    if (queueing) {
        multi_queue(c, cmd);
        c->cmd = NULL;
        return 0;
    }
    /* Saved: a busy script's caller is still running when another client's
     * command runs here. */
    int outer_failed = current_command_failed;
    current_command_failed = 0;
    c->flags |= CLIENT_EXECUTING;
    uint64_t start = ev_monotonic_us();
    db_time_refresh();
    if (aof_wants_commands()) propagate_call(c, cmd); /* records what it propagates */
    else cmd->proc(c);
    uint64_t elapsed = ev_monotonic_us() - start;
    c->flags &= ~CLIENT_EXECUTING;
    if (c->flags & CLIENT_TRACKING) tracking_remember_keys(c);
    mutable_cmd->stats.usec += elapsed;
    /* A command that blocked counts as a call once, when its wait ends
     * (its re-run here, or cmd_count_unblocked_call), as in Valkey. */
    if (!(c->flags & CLIENT_BLOCKED)) {
        mutable_cmd->stats.calls++;
        if (current_command_failed) mutable_cmd->stats.failed_calls++;
        commands_processed++;
        c->commands_processed++;
        if (monitor_count) monitor_feed(c, cmd);
    }
    current_command_failed = outer_failed;
    c->cmd = NULL;
    /* Clients blocked on keys this command filled are served now, before
     * the next command of anyone (but not in the middle of a script). */
    if (blocking_ready_pending && !busy) blocking_handle_ready_keys();
    return (c->flags & CLIENT_CLOSE_ASAP) ? -1 : 0;
}

void cmd_count_unblocked_call(Client *c, bool failed) {
    Command *cmd = (Command *)c->last_cmd;
    if (cmd) {
        cmd->stats.calls++;
        if (failed) cmd->stats.failed_calls++;
    }
    commands_processed++;
    c->commands_processed++;
}

void cmd_call(Client *c, const Command *cmd) {
    const Command *saved_cmd = c->cmd;
    int saved_failed = current_command_failed;
    Command *mutable_cmd = (Command *)cmd;
    c->cmd = cmd;
    c->last_cmd = cmd;
    current_command_failed = 0;
    uint64_t start = ev_monotonic_us();
    db_time_refresh();
    if (aof_wants_commands()) propagate_call(c, cmd); /* joins the running unit */
    else cmd->proc(c);
    mutable_cmd->stats.usec += ev_monotonic_us() - start;
    mutable_cmd->stats.calls++;
    if (current_command_failed) mutable_cmd->stats.failed_calls++;
    commands_processed++;
    c->commands_processed++;
    if (c->flags & CLIENT_TRACKING) tracking_remember_keys(c);
    if (monitor_count) monitor_feed(c, cmd);
    current_command_failed = saved_failed;
    c->cmd = saved_cmd;
}
