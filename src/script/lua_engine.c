/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/lua_engine.c: the Lua scripting engine (script/script_engine.h):
 * compiles EVAL bodies and function libraries, runs them for a caller and
 * turns their results and errors into replies.
 *
 * EVAL scripts live in one state and function libraries in another, so
 * SCRIPT FLUSH and FUNCTION FLUSH each replace only their own. Compiled
 * EVAL bodies are kept in a registry table by sha; function callbacks are
 * registry references.
 *
 * Threads: main only.
 */
#include <string.h>

#include <lauxlib.h>

#include "net/reply.h"
#include "script/lua_convert.h"
#include "script/lua_engine.h"
#include "script/script.h"
#include "server/ev.h"

static lua_State *eval_state;
static lua_State *function_state;

static const char scripts_key[] = "keel_scripts";

static lua_State *eval_lua(void) {
    if (eval_state == NULL) {
        eval_state = lua_state_create();
        lua_newtable(eval_state);
        lua_setfield(eval_state, LUA_REGISTRYINDEX, scripts_key);
    }
    return eval_state;
}

static lua_State *function_lua(void) {
    if (function_state == NULL) function_state = lua_state_create();
    return function_state;
}

/* Replies the error value at the top (the handler's table, or a string). */
static void reply_lua_error(lua_State *L, Client *caller, const char *name) {
    if (!lua_istable(L, -1)) {
        const char *msg = lua_isstring(L, -1) ? lua_tostring(L, -1) : "execution failure";
        reply_error_format(caller, "Error running script %s, %.100s", name, msg);
        return;
    }
    lua_getfield(L, -1, "err");
    const char *msg = lua_isstring(L, -1) ? lua_tostring(L, -1) : "ERR unknown error";
    sds text = sds_cat_printf(sds_empty(), "-%s", msg);
    lua_getfield(L, -2, "source");
    lua_getfield(L, -3, "line");
    if (lua_isstring(L, -2) && lua_isnumber(L, -1))
        text = sds_cat_printf(text, " script: %s, on %s:%d.", name, lua_tostring(L, -2),
                              (int)lua_tonumber(L, -1));
    lua_pop(L, 3);
    if (lua_error_was_counted(L, -1))
        reply_error_uncounted(caller, text);
    else
        reply_error(caller, text);
    sds_free(text);
}

/* Pushes {objs...} as a Lua array of strings. */
static void push_string_array(lua_State *L, Obj **objs, int count) {
    lua_createtable(L, count, 0);
    for (int i = 0; i < count; i++) {
        char buf[24];
        size_t len;
        const char *p = obj_string_bytes(objs[i], buf, &len);
        lua_pushlstring(L, p, len);
        lua_rawseti(L, -2, i + 1);
    }
}

/* Runs between two explicit garbage-collection steps (call_and_reply). */
#define GC_STEP_PERIOD 50

/* Steps between two checks of a running script (script_run_check). */
#define BUSY_CHECK_STEPS 100000

/* Lets a long run serve other clients, and stops a killed one. After a
 * kill the hook runs on every line, so a script that catches the error
 * with pcall is stopped again at once. */
static void busy_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    ScriptRun *run = script_current_run();
    if (run == NULL || !script_run_check(run)) return;
    lua_sethook(L, busy_hook, LUA_MASKLINE, 0);
    lua_push_error_table(L, SCRIPT_KILLED_ERROR);
    lua_error(L);
}

/* Calls the function under nargs arguments at the top (handler below
 * them) and replies its result or error. */
static void call_and_reply(lua_State *L, ScriptRun *run, int nargs) {
    int handler = lua_gettop(L) - nargs - 1;
    lua_sethook(L, busy_hook, LUA_MASKCOUNT, BUSY_CHECK_STEPS);
    int failed = lua_pcall(L, nargs, 1, handler);
    lua_sethook(L, NULL, 0, 0);
    if (failed)
        reply_lua_error(L, run->caller, run->name);
    else
        lua_reply_value(L, run->caller, run->client->resp);
    lua_settop(L, handler - 1);
    /* A collection step of 50 every 50 runs, not a small one every run:
     * per-run steps walked far more of the state than one run leaves as
     * garbage (callgrind: about 29% of an FCALL's instructions), while
     * leaving it all to Lua's own pacing would let one full cycle land
     * on a single unlucky run. */
    static unsigned runs_since_gc_step;
    if (++runs_since_gc_step == GC_STEP_PERIOD) {
        lua_gc(L, LUA_GCSTEP, GC_STEP_PERIOD);
        runs_since_gc_step = 0;
    }
}

static int lua_eval_compile(const char *sha, const char *body, size_t len, size_t skip,
                            sds *err) {
    lua_State *L = eval_lua();
    if (luaL_loadbuffer(L, body + skip, len - skip, "@user_script") != 0) {
        *err = sds_cat_printf(sds_empty(), "Error compiling script (new function): %s",
                              lua_tostring(L, -1));
        lua_pop(L, 1);
        return -1;
    }
    lua_getfield(L, LUA_REGISTRYINDEX, scripts_key);
    lua_insert(L, -2);
    lua_setfield(L, -2, sha);
    lua_pop(L, 1);
    return 0;
}

static void lua_eval_run(ScriptRun *run, const char *sha, Obj **keys, int nkeys, Obj **args,
                         int nargs) {
    lua_State *L = eval_lua();
    lua_push_error_handler(L);
    lua_getfield(L, LUA_REGISTRYINDEX, scripts_key);
    lua_getfield(L, -1, sha);
    lua_remove(L, -2);
    lua_pushstring(L, "KEYS");
    push_string_array(L, keys, nkeys);
    lua_rawset(L, LUA_GLOBALSINDEX);
    lua_pushstring(L, "ARGV");
    push_string_array(L, args, nargs);
    lua_rawset(L, LUA_GLOBALSINDEX);
    call_and_reply(L, run, 0);
}

static void lua_eval_reset(void) {
    if (eval_state) lua_close(eval_state);
    eval_state = NULL;
}

/* A library's code only registers functions: it may not run longer than
 * this (Valkey's limit), since nothing else is served meanwhile. */
#define LIBRARY_LOAD_LIMIT_US 500000
static uint64_t library_load_start_us;

static void library_load_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    if (ev_monotonic_us() - library_load_start_us < LIBRARY_LOAD_LIMIT_US) return;
    lua_sethook(L, library_load_hook, LUA_MASKLINE, 0); /* pcall cannot outlast it */
    lua_push_error_table(L, "-ERR FUNCTION LOAD timeout");
    lua_error(L);
}

static int lua_library_load(ScriptLibrary *lib, const char *code, size_t len, size_t skip,
                            sds *err) {
    lua_State *L = function_lua();
    lua_push_error_handler(L);
    if (luaL_loadbuffer(L, code + skip, len - skip, "@user_function") != 0) {
        *err = sds_cat_printf(sds_empty(), "Error compiling function: %s", lua_tostring(L, -1));
        lua_pop(L, 2);
        return -1;
    }
    lua_loading_library = lib;
    lua_state_begin_library_load(L);
    library_load_start_us = ev_monotonic_us();
    lua_sethook(L, library_load_hook, LUA_MASKCOUNT, BUSY_CHECK_STEPS);
    int failed = lua_pcall(L, 0, 0, -2);
    lua_sethook(L, NULL, 0, 0);
    lua_state_end_library_load(L);
    lua_loading_library = NULL;
    if (failed) {
        const char *msg = NULL;
        if (lua_istable(L, -1)) {
            lua_getfield(L, -1, "err");
            msg = lua_tostring(L, -1);
            lua_pop(L, 1);
        } else {
            msg = lua_tostring(L, -1);
        }
        *err = sds_cat_printf(sds_empty(), "Error registering functions: %s",
                              msg ? msg : "unknown error");
        lua_pop(L, 1);
    }
    lua_pop(L, 1); /* the handler */
    return failed ? -1 : 0;
}

static void lua_function_run(ScriptRun *run, ScriptFunction *fn, Obj **keys, int nkeys,
                             Obj **args, int nargs) {
    lua_State *L = function_lua();
    lua_push_error_handler(L);
    lua_rawgeti(L, LUA_REGISTRYINDEX, fn->engine_ref);
    push_string_array(L, keys, nkeys);
    push_string_array(L, args, nargs);
    call_and_reply(L, run, 2);
}

static void lua_function_free(ScriptFunction *fn) {
    if (function_state) luaL_unref(function_state, LUA_REGISTRYINDEX, fn->engine_ref);
}

static void lua_functions_reset(void) {
    if (function_state) lua_close(function_state);
    function_state = NULL;
}

static size_t lua_memory(void) {
    size_t total = 0;
    lua_State *states[2] = {eval_state, function_state};
    for (int i = 0; i < 2; i++)
        if (states[i])
            total += (size_t)lua_gc(states[i], LUA_GCCOUNT, 0) * 1024 +
                     (size_t)lua_gc(states[i], LUA_GCCOUNTB, 0);
    return total;
}

const ScriptEngine lua_engine = {
    .name = "LUA",
    .eval_compile = lua_eval_compile,
    .eval_run = lua_eval_run,
    .eval_reset = lua_eval_reset,
    .library_load = lua_library_load,
    .function_run = lua_function_run,
    .function_free = lua_function_free,
    .functions_reset = lua_functions_reset,
    .memory = lua_memory,
};
