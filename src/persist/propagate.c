/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/propagate.c: collects what commands propagate into units and
 * hands each finished unit to the AOF (persist/propagate.h).
 *
 * A command runs inside a frame (propagate_call) that remembers the change
 * counter. When the proc returns, a write command that changed something
 * (or asked to be forced) adds its argv, or what it asked to propagate
 * instead, to the current unit. Nested runs (EXEC's commands, redis.call)
 * add to the unit of the top-level command; when the outermost frame ends
 * the unit is fed to the AOF, wrapped in MULTI/EXEC when it holds more
 * than one command (as Valkey 7+), except under a top-level command that
 * touches arbitrary keys (SCAN, RANDOMKEY expiring keys), whose deletions
 * stay separate, as Valkey does. Deletions the server makes outside any
 * command (active expiry, eviction) are units of their own.
 *
 * Nothing here runs while the AOF does not want commands: callers test
 * aof_wants_commands() (the command path) or propagate_recording() (code
 * that would build a rewritten argv) first.
 *
 * Threads: main only.
 */
#include "persist/propagate.h"

#include <stdarg.h>
#include <string.h>

#include "persist/aof.h"
#include "persist/persist_state.h"
#include "server/mem.h"

typedef struct PropagateOp {
    int dbid;
    int argc;
    Obj **argv; /* one reference each */
} PropagateOp;

/* One running command. */
typedef struct PropagateFrame {
    unsigned long long changes_before; /* persist_state.changes when it started */
    unsigned long long implicit;       /* changes that were expiry/eviction deletions */
    Obj **rewrite_argv;                /* what to propagate instead (references), or NULL */
    int rewrite_argc;
    bool prevent; /* propagate nothing of itself */
    bool force;   /* propagate even if the counter did not move */
} PropagateFrame;

int propagate_depth;
static PropagateFrame *current;
static PropagateOp *unit;
static int unit_count, unit_cap;
static bool unit_separate; /* no MULTI/EXEC around this unit */
static PropagateSink sink = aof_feed_command;

void propagate_set_sink(PropagateSink fn) {
    sink = fn ? fn : aof_feed_command;
}

static Obj **copy_argv(Obj *const *argv, int argc) {
    Obj **copy = mem_alloc(sizeof(Obj *) * (size_t)(argc > 0 ? argc : 1));
    for (int i = 0; i < argc; i++) {
        copy[i] = argv[i];
        obj_incr_ref(argv[i]);
    }
    return copy;
}

static void free_argv(Obj **argv, int argc) {
    for (int i = 0; i < argc; i++) obj_decr_ref(argv[i]);
    mem_free(argv);
}

static void unit_add_owned(int dbid, Obj **argv, int argc) {
    if (unit_count == unit_cap) {
        unit_cap = unit_cap ? unit_cap * 2 : 8;
        unit = mem_realloc(unit, sizeof(PropagateOp) * (size_t)unit_cap);
    }
    unit[unit_count++] = (PropagateOp){.dbid = dbid, .argc = argc, .argv = argv};
}

static Obj *shared_word(Obj **slot, const char *word, size_t len) {
    if (*slot == NULL) *slot = obj_create_string(word, len);
    return *slot;
}

/* Feeds the unit to the sink and empties it. */
static void unit_flush(void) {
    static Obj *multi_word, *exec_word;
    bool wrap = unit_count > 1 && !unit_separate;
    if (wrap) {
        Obj *multi = shared_word(&multi_word, "MULTI", 5);
        sink(unit[0].dbid, &multi, 1);
    }
    for (int i = 0; i < unit_count; i++) {
        sink(unit[i].dbid, unit[i].argv, unit[i].argc);
        free_argv(unit[i].argv, unit[i].argc);
    }
    if (wrap) {
        Obj *exec = shared_word(&exec_word, "EXEC", 4);
        sink(unit[unit_count - 1].dbid, &exec, 1);
    }
    unit_count = 0;
    unit_separate = false;
    if (unit_cap > 64) { /* one huge transaction does not pin its array */
        mem_free(unit);
        unit = NULL;
        unit_cap = 0;
    }
}

/* Whether the frame's command propagates itself. */
static bool frame_propagates(const PropagateFrame *f, const Command *cmd) {
    if (f->prevent) return false;
    if (f->force) return true;
    if (!(cmd->flags & CMD_WRITE)) return false;
    unsigned long long now = persist_state.changes;
    /* SAVE inside the command may have reset the counter: "not moved". */
    return now > f->changes_before && now - f->changes_before > f->implicit;
}

void propagate_call(Client *c, const Command *cmd) {
    PropagateFrame frame = {.changes_before = persist_state.changes};
    PropagateFrame *outer = current;
    if (propagate_depth == 0) unit_separate = (cmd->flags & CMD_TOUCHES_ARBITRARY_KEYS) != 0;
    current = &frame;
    propagate_depth++;
    cmd->proc(c);
    propagate_depth--;
    current = outer;
    bool propagates = frame_propagates(&frame, cmd);
    if (propagates && outer == NULL && unit_count == 0) {
        /* The common case, one command alone: fed straight from its argv. */
        if (frame.rewrite_argv) sink(c->db, frame.rewrite_argv, frame.rewrite_argc);
        else sink(c->db, c->argv, c->argc);
    } else if (propagates) {
        if (frame.rewrite_argv) {
            unit_add_owned(c->db, frame.rewrite_argv, frame.rewrite_argc);
            frame.rewrite_argv = NULL;
        } else {
            unit_add_owned(c->db, copy_argv(c->argv, c->argc), c->argc);
        }
    }
    if (frame.rewrite_argv) free_argv(frame.rewrite_argv, frame.rewrite_argc);
    /* An inner command's expiry deletions are not the outer's own change. */
    if (outer) outer->implicit += frame.implicit;
    if (propagate_depth == 0 && unit_count > 0) unit_flush();
}

/* Makes argv (owned: one reference each) what the running command
 * propagates, dropping an earlier rewrite. */
static void frame_set_rewrite(Obj **argv, int argc) {
    if (current->rewrite_argv) free_argv(current->rewrite_argv, current->rewrite_argc);
    current->rewrite_argv = argv;
    current->rewrite_argc = argc;
}

void propagate_rewrite_argv(Client *c, int argc, Obj *const *argv) {
    (void)c;
    if (current == NULL) return;
    frame_set_rewrite(copy_argv(argv, argc), argc);
}

void propagate_rewrite_arg(Client *c, int index, Obj *value) {
    if (current == NULL) return;
    if (current->rewrite_argv == NULL) {
        current->rewrite_argv = copy_argv(c->argv, c->argc);
        current->rewrite_argc = c->argc;
    }
    obj_incr_ref(value); /* first: value may be the argument it replaces */
    if (index >= current->rewrite_argc) {
        index = current->rewrite_argc++;
        current->rewrite_argv =
            mem_realloc(current->rewrite_argv, sizeof(Obj *) * (size_t)current->rewrite_argc);
    } else {
        obj_decr_ref(current->rewrite_argv[index]);
    }
    current->rewrite_argv[index] = value;
}

void propagate_rewrite_word(Client *c, int index, const char *word) {
    Obj *o = obj_create_string(word, strlen(word));
    propagate_rewrite_arg(c, index, o);
    obj_decr_ref(o);
}

void propagate_rewrite_ll(Client *c, int index, long long value) {
    Obj *o = obj_create_string_from_ll(value);
    propagate_rewrite_arg(c, index, o);
    obj_decr_ref(o);
}

void propagate_rewrite_fmt(Client *c, const char *fmt, ...) {
    if (current == NULL) return;
    int argc = (int)strlen(fmt);
    Obj **argv = mem_alloc(sizeof(Obj *) * (size_t)argc);
    va_list ap;
    va_start(ap, fmt);
    for (int i = 0; i < argc; i++) {
        if (fmt[i] == 'w') {
            const char *word = va_arg(ap, const char *);
            argv[i] = obj_create_string(word, strlen(word));
        } else if (fmt[i] == 'l') {
            argv[i] = obj_create_string_from_ll(va_arg(ap, long long));
        } else {
            argv[i] = va_arg(ap, Obj *);
            obj_incr_ref(argv[i]);
        }
    }
    va_end(ap);
    frame_set_rewrite(argv, argc);
    (void)c;
}

void propagate_rewrite_fields(Client *c, const char *command, Obj *key, long long when,
                              bool fields_word, Obj *const *fields, int count) {
    (void)c;
    if (current == NULL) return;
    if (count == 0) {
        current->prevent = true;
        return;
    }
    Obj *head[5];
    int nhead = 0;
    head[nhead++] = obj_create_string(command, strlen(command));
    head[nhead++] = key;
    obj_incr_ref(key);
    if (when >= 0) head[nhead++] = obj_create_string_from_ll(when);
    if (fields_word) {
        head[nhead++] = obj_create_string("FIELDS", 6);
        head[nhead++] = obj_create_string_from_ll(count);
    }
    Obj **argv = mem_alloc(sizeof(Obj *) * (size_t)(nhead + count));
    memcpy(argv, head, sizeof(Obj *) * (size_t)nhead);
    for (int i = 0; i < count; i++) {
        argv[nhead + i] = fields[i];
        obj_incr_ref(fields[i]);
    }
    frame_set_rewrite(argv, nhead + count);
}

void propagate_prevent(Client *c) {
    (void)c;
    if (current) current->prevent = true;
}

void propagate_force(Client *c) {
    (void)c;
    if (current) current->force = true;
}

void propagate_also(int dbid, Obj *const *argv, int argc) {
    if (!propagate_recording() && !aof_wants_commands()) return;
    unit_add_owned(dbid, copy_argv(argv, argc), argc);
    if (propagate_depth == 0) unit_flush(); /* not inside a command: a unit of its own */
}

/* A string object holding key's name (a keyed object's key, or a bare
 * string object's bytes). */
static Obj *key_name(const Obj *key) {
    size_t len;
    char buf[24];
    const char *p = key->has_key ? obj_key(key, &len) : obj_string_bytes(key, buf, &len);
    return obj_create_string(p, len);
}

void propagate_batch_init(PropagateBatch *b, int dbid, const char *command, Obj *key) {
    *b = (PropagateBatch){.dbid = dbid, .command = command, .key = key};
}

/* Adds the batch's command to the unit, if it holds any item. */
static void batch_emit(PropagateBatch *b) {
    if (b->argc <= 2) return;
    unit_add_owned(b->dbid, b->argv, b->argc);
    if (propagate_depth == 0) unit_flush();
    b->argv = NULL;
    b->argc = b->cap = 0;
}

void propagate_batch_add(PropagateBatch *b, const char *p, size_t len) {
    if (b->argc == 0) {
        b->cap = 16;
        b->argv = mem_alloc(sizeof(Obj *) * (size_t)b->cap);
        b->argv[0] = obj_create_string(b->command, strlen(b->command));
        b->argv[1] = key_name(b->key);
        b->argc = 2;
    }
    if (b->argc == b->cap) {
        b->cap *= 2;
        b->argv = mem_realloc(b->argv, sizeof(Obj *) * (size_t)b->cap);
    }
    b->argv[b->argc++] = obj_create_string(p, len);
    if (b->argc - 2 == PROPAGATE_BATCH_MAX) batch_emit(b);
}

void propagate_batch_finish(PropagateBatch *b) {
    batch_emit(b);
}

void propagate_count_implicit(void) {
    if (current) current->implicit++;
}

void propagate_deletion(int dbid, const Obj *key, bool lazy, bool counted) {
    if (!propagate_recording() && !aof_wants_commands()) return;
    static Obj *del_word, *unlink_word;
    Obj *argv[2];
    argv[0] = lazy ? shared_word(&unlink_word, "UNLINK", 6) : shared_word(&del_word, "DEL", 3);
    argv[1] = key_name(key);
    if (counted && current) current->implicit++;
    propagate_also(dbid, argv, 2);
    obj_decr_ref(argv[1]);
}
