/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/propagate.h: what a command leaves behind for the AOF (and, one
 * day, replicas): the commands that replay its effect deterministically.
 *
 * By default a command with the write flag that changed something (the
 * change counter moved, by more than the keys it found expired) propagates
 * its own argv; FLUSHALL, SWAPDB and FUNCTION LOAD force it (no key counts
 * a change). A command whose argv would not replay the same way (relative
 * expiries, random picks, blocking forms, floats) says what to propagate
 * instead. Everything one top-level command propagates (a MULTI/EXEC, a
 * script's calls, a command plus the keys it expired) is one unit, wrapped
 * in MULTI/EXEC when it holds more than one command, except under SCAN or
 * RANDOMKEY (CMD_TOUCHES_ARBITRARY_KEYS), as Valkey. Expired and evicted
 * keys outside any command (the expire cycle, eviction before a command)
 * are units of their own.
 *
 * Threads: main only.
 */
#ifndef KEEL_PERSIST_PROPAGATE_H
#define KEEL_PERSIST_PROPAGATE_H

#include <stdbool.h>

#include "cmd/command.h"
#include "db/object.h"
#include "net/client.h"

/* >0 while a command runs with its propagation recorded (written only by
 * persist/propagate.c). */
extern int propagate_depth;

/* Whether the running command's propagation is recorded: commands test
 * this before building a rewritten argv, so they pay nothing when the AOF
 * is off. */
static inline bool propagate_recording(void) {
    return propagate_depth > 0;
}

/* Runs cmd->proc(c) with its propagation recorded (cmd/call.c calls this
 * instead of the proc when aof_wants_commands()). The outermost call feeds
 * the finished unit to the AOF. */
void propagate_call(Client *c, const Command *cmd);

/* The running command propagates argv[0..argc) instead of its own argv
 * (the objects are retained; the caller keeps its references). */
void propagate_rewrite_argv(Client *c, int argc, Obj *const *argv);
/* Replaces argument index of what the running command propagates (its own
 * argv until rewritten); index >= argc appends. The value is retained. */
void propagate_rewrite_arg(Client *c, int index, Obj *value);
/* The same with a word ("PEXPIREAT") or a number as the new argument. */
void propagate_rewrite_word(Client *c, int index, const char *word);
void propagate_rewrite_ll(Client *c, int index, long long value);
/* The running command propagates a command built from fmt, one letter an
 * argument: 'w' a C string, 'l' a long long, 'o' an Obj * (retained).
 * E.g. ("woowl", "SET", key, value, "PXAT", when_ms). */
void propagate_rewrite_fmt(Client *c, const char *fmt, ...);
/* The running command propagates "<command> key [when] [FIELDS count]
 * field..." (HPEXPIREAT, HPERSIST, HDEL of the fields it changed); nothing
 * when count is 0. when < 0: no time argument. */
void propagate_rewrite_fields(Client *c, const char *command, Obj *key, long long when,
                              bool fields_word, Obj *const *fields, int count);
/* Adds one more command to the current unit (e.g. a DEL of a key expired
 * on access, with dbid the key's database). */
void propagate_also(int dbid, Obj *const *argv, int argc);
/* The running command propagates nothing of itself (EVAL: the script's
 * own calls carry its effects). */
void propagate_prevent(Client *c);
/* The running command propagates itself even though the change counter did
 * not move (FLUSHALL on an empty server, SWAPDB, FUNCTION LOAD ...). */
void propagate_force(Client *c);
/* An implicit deletion of key in database dbid (expired, evicted): DEL, or
 * UNLINK when lazy (the matching lazyfree-lazy-* option), in the running
 * command's unit or as a unit of its own. counted: the deletion already
 * moved the change counter (it is then not the command's own change). */
void propagate_deletion(int dbid, const Obj *key, bool lazy, bool counted);

/* One change the running command did not make itself was counted (fields
 * of a hash found expired): it does not make the command propagate. */
void propagate_count_implicit(void);

/* Builds "<command> key item..." commands added to the unit, at most
 * PROPAGATE_BATCH_MAX items each (SPOP's SREMs, expired fields' HDELs),
 * as Valkey batches them. Caller-provided storage; key's name is copied. */
#define PROPAGATE_BATCH_MAX 1024
typedef struct PropagateBatch {
    int dbid;
    const char *command;
    Obj *key;
    Obj **argv;
    int argc, cap;
} PropagateBatch;
void propagate_batch_init(PropagateBatch *b, int dbid, const char *command, Obj *key);
void propagate_batch_add(PropagateBatch *b, const char *p, size_t len);
/* Adds what is left; b may be dropped afterwards. */
void propagate_batch_finish(PropagateBatch *b);

/* Where units go: aof_feed_command unless a test sets another (NULL
 * restores it). */
typedef void (*PropagateSink)(int dbid, Obj *const *argv, int argc);
void propagate_set_sink(PropagateSink fn);

#endif
