/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/script_run.c: the script client and the checks every command a
 * script runs goes through (script/script.h), in Valkey's order: lookup,
 * arity, scripts allowed, writes allowed, memory.
 *
 * A script's commands run on one internal client (no connection, peer "lua"
 * so MONITOR shows "[db lua]"), which never blocks (CLIENT_DENY_BLOCKING).
 * Its replies are read back from its reply buffers by the engine.
 *
 * Threads: main only.
 */
#include "script/script.h"

#include <stdio.h>
#include <string.h>

#include "cmd/command.h"
#include "db/evict.h"
#include "net/reply.h"
#include "server/mem.h"
#include "server/ev.h"
#include "server/monitor.h"

static Client *script_client;
static ScriptRun *current_run;

void script_init(void) {
    script_client = client_create(NULL);
    script_client->authenticated = 1;
    script_client->flags |= CLIENT_DENY_BLOCKING;
    snprintf(script_client->peer_id, sizeof(script_client->peer_id), "lua");
}

void script_feed_monitors(Client *c) {
    /* EVAL and friends are skip_monitor for cmd/call.c, which feeds after
     * a command ran; Valkey shows them before the commands they run, so
     * they are fed here, through a record without that flag. */
    static const Command script_line = {.name = "eval"};
    if (monitor_count) monitor_feed(c, &script_line);
}

ScriptRun *script_current_run(void) {
    return current_run;
}

int script_run_begin(ScriptRun *run, Client *caller, const char *name, unsigned flags,
                     bool ro_command) {
    memset(run, 0, sizeof(*run));
    run->caller = caller;
    run->client = script_client;
    run->name = name;
    run->flags = flags;
    run->oom_at_start = cfg_maxmemory && evict_perform() == EVICT_FAIL;
    if (!(flags & SCRIPT_FLAG_EVAL_COMPAT) && !(flags & SCRIPT_FLAG_NO_WRITES)) {
        if (ro_command) {
            reply_error(caller, "Can not execute a script with write flag using *_ro command.");
            return -1;
        }
        if (run->oom_at_start && !(flags & SCRIPT_FLAG_ALLOW_OOM)) {
            reply_error(caller, "-OOM command not allowed when used memory > 'maxmemory'.");
            return -1;
        }
    }
    run->read_only = ro_command || (flags & SCRIPT_FLAG_NO_WRITES);
    run->start_us = ev_monotonic_us();
    script_client->db = caller->db;
    script_client->resp = 2;
    current_run = run;
    return 0;
}

void script_run_end(ScriptRun *run) {
    script_busy_run_ended(run);
    current_run = NULL;
    sds_free(script_client_take_reply(script_client));
}

sds script_client_take_reply(Client *sc) {
    sds out = sds_new_len(sc->buf, sc->buf_used);
    sc->buf_used = 0;
    ReplyBlock *block = sc->reply_head;
    while (block) {
        ReplyBlock *next = block->next;
        out = sds_cat_len(out, block->buf, block->used);
        mem_free(block);
        block = next;
    }
    sc->reply_head = sc->reply_tail = NULL;
    sc->reply_blocks = sc->reply_bytes = 0;
    return out;
}

/* Checks that the script may run cmd now; NULL, or the refusal text. */
static const char *script_refusal(const ScriptRun *run, const Command *cmd) {
    if (cmd->flags & CMD_NOSCRIPT) return "This Redis command is not allowed from script";
    if ((cmd->flags & CMD_WRITE) && run->read_only)
        return "Write commands are not allowed from read-only scripts.";
    if ((cmd->flags & CMD_DENYOOM) && cfg_maxmemory && run->oom_at_start && !run->wrote &&
        !(run->flags & SCRIPT_FLAG_ALLOW_OOM))
        return "-OOM command not allowed when used memory > 'maxmemory'.";
    return NULL;
}

int script_call(ScriptRun *run, Obj **argv, int argc, sds *err) {
    Client *sc = run->client;
    const Command *cmd = cmd_lookup(argv, argc);
    if (cmd == NULL) {
        *err = sds_new("Unknown Redis command called from script");
        return -1;
    }
    if ((cmd->arity > 0 && argc != cmd->arity) || (cmd->arity < 0 && argc < -cmd->arity)) {
        *err = sds_new("Wrong number of args calling Redis command from script");
        return -1;
    }
    const char *refusal = script_refusal(run, cmd);
    if (refusal) {
        *err = sds_new(refusal);
        return -1;
    }
    sc->argv = argv;
    sc->argc = argc;
    sc->flags |= CLIENT_EXECUTING;
    cmd_call(sc, cmd);
    sc->flags &= ~CLIENT_EXECUTING;
    sc->argv = NULL;
    sc->argc = 0;
    if (cmd->flags & CMD_WRITE) run->wrote = true;
    return 0;
}
