/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/script_engine.h: what a scripting engine provides to the script
 * commands (EVAL*, SCRIPT, FUNCTION, FCALL*), and the run context every
 * engine shares.
 *
 * The commands (script/eval.c, script/function.c) own the script cache and
 * the function libraries; an engine only compiles code, runs it for a
 * caller and turns its results into replies. Commands a script runs go
 * through script_call (script/script_run.c), so every engine gets the same
 * checks. Lua (script/lua_*.c) is the only engine.
 *
 * Threads: main only.
 */
#ifndef KEEL_SCRIPT_SCRIPT_ENGINE_H
#define KEEL_SCRIPT_SCRIPT_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db/object.h"
#include "ds/sds.h"
#include "net/client.h"

/* Script flags (shebang "flags=" and register_function's flags). */
#define SCRIPT_FLAG_NO_WRITES (1u << 0)
#define SCRIPT_FLAG_ALLOW_OOM (1u << 1)
#define SCRIPT_FLAG_ALLOW_STALE (1u << 2)
#define SCRIPT_FLAG_NO_CLUSTER (1u << 3)
#define SCRIPT_FLAG_ALLOW_CROSS_SLOT (1u << 4)
#define SCRIPT_FLAG_EVAL_COMPAT (1u << 5) /* EVAL body without a shebang */

/* One run of a script or function on behalf of a caller. */
typedef struct ScriptRun {
    Client *caller;
    Client *client;     /* the script client its commands run on */
    const char *name;   /* sha (EVAL) or function name, for error texts */
    unsigned flags;     /* SCRIPT_FLAG_* */
    bool read_only;     /* EVAL_RO / FCALL_RO / no-writes: writes refused */
    bool oom_at_start;  /* over maxmemory when the run began */
    bool wrote;         /* a write command ran */
    bool is_function;   /* FCALL (FUNCTION KILL) rather than EVAL (SCRIPT KILL) */
    bool killed;        /* SCRIPT KILL / FUNCTION KILL asked it to stop */
    uint64_t start_us;  /* monotonic start, for the threshold and FUNCTION STATS */
} ScriptRun;

struct ScriptLibrary; /* script/function.h */
struct ScriptFunction;

typedef struct ScriptEngine {
    const char *name; /* as FUNCTION LIST / STATS show it: "LUA" */
    /* Compiles an EVAL body (the shebang line, skip bytes, already read)
     * under sha. Returns 0, or -1 with *err set (a reply text). */
    int (*eval_compile)(const char *sha, const char *body, size_t len, size_t skip, sds *err);
    /* Runs a compiled EVAL script and replies to run->caller. */
    void (*eval_run)(ScriptRun *run, const char *sha, Obj **keys, int nkeys, Obj **args,
                     int nargs);
    /* Forgets every EVAL script (SCRIPT FLUSH). */
    void (*eval_reset)(void);
    /* Runs a library's code (shebang skipped by skip bytes), which
     * registers its functions into lib. Returns 0, or -1 with *err. */
    int (*library_load)(struct ScriptLibrary *lib, const char *code, size_t len, size_t skip,
                        sds *err);
    /* Runs a function of a loaded library and replies to run->caller. */
    void (*function_run)(ScriptRun *run, struct ScriptFunction *fn, Obj **keys, int nkeys,
                         Obj **args, int nargs);
    /* Releases what the engine keeps for a function. */
    void (*function_free)(struct ScriptFunction *fn);
    /* Drops every library's engine state (FUNCTION FLUSH, failed loads). */
    void (*functions_reset)(void);
    /* Bytes the engine uses (INFO used_memory_vm_*). */
    size_t (*memory)(void);
} ScriptEngine;

extern const ScriptEngine lua_engine; /* script/lua_engine.c */

#endif
