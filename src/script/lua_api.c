/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/lua_api.c: the `redis` table a script sees (also named `server`):
 * call, pcall, error_reply, status_reply, sha1hex, log, setresp, set_repl,
 * replicate_commands, breakpoint, debug, acl_check_cmd and the constants,
 * with Valkey's argument errors; and register_function, which only library
 * code sees while it loads (script/lua_state.c builds that table).
 *
 * Errors a call raises are tables {err="CODE text"}; the error handler of
 * script/lua_state.c adds where the script was when it is raised.
 *
 * Threads: main only.
 */
#include <stdio.h>
#include <string.h>

#include <lauxlib.h>

#include "cmd/command.h"
#include "script/lua_convert.h"
#include "script/lua_engine.h"
#include "script/script.h"
#include "script/sha1.h"
#include "server/log.h"
#include "server/mem.h"
#include "server/version.h"

ScriptLibrary *lua_loading_library;

/* Raises an error table built from text. */
static int raise_error(lua_State *L, const char *text) {
    lua_push_error_table(L, text);
    return lua_error(L);
}

/* Converts the call's arguments to objects; NULL when one is neither a
 * string nor a number. */
static Obj **args_to_argv(lua_State *L, int argc) {
    Obj **argv = mem_alloc(sizeof(Obj *) * (size_t)argc);
    for (int j = 0; j < argc; j++) {
        int type = lua_type(L, j + 1);
        if (type == LUA_TNUMBER) {
            lua_Number n = lua_tonumber(L, j + 1);
            char buf[64];
            int len;
            if (n > -9.2e18 && n < 9.2e18 && n == (lua_Number)(long long)n)
                len = snprintf(buf, sizeof(buf), "%lld", (long long)n);
            else
                len = snprintf(buf, sizeof(buf), "%.17g", (double)n);
            argv[j] = obj_create_string(buf, (size_t)len);
        } else if (type == LUA_TSTRING) {
            size_t len;
            const char *p = lua_tolstring(L, j + 1, &len);
            argv[j] = obj_create_string(p, len);
        } else {
            for (int k = 0; k < j; k++) obj_decr_ref(argv[k]);
            mem_free(argv);
            return NULL;
        }
    }
    return argv;
}

static int generic_call(lua_State *L, bool raise) {
    ScriptRun *run = script_current_run();
    if (run == NULL)
        return raise_error(L, "redis.call/pcall can only be called inside a script invocation");
    int argc = lua_gettop(L);
    if (argc == 0)
        return raise_error(L, "Please specify at least one argument for this redis lib call");
    Obj **argv = args_to_argv(L, argc);
    if (argv == NULL) {
        lua_push_error_table(L, "Lua redis lib command arguments must be strings or integers");
        return raise ? lua_error(L) : 1;
    }
    sds err = NULL;
    int failed = script_call(run, argv, argc, &err);
    for (int j = 0; j < argc; j++) obj_decr_ref(argv[j]);
    mem_free(argv);
    if (failed) {
        lua_push_error_table(L, err);
        sds_free(err);
        return raise ? lua_error(L) : 1;
    }
    sds reply = script_client_take_reply(run->client);
    lua_push_resp(L, reply, sds_len(reply));
    bool is_error = sds_len(reply) > 0 && reply[0] == '-';
    sds_free(reply);
    if (raise && is_error) return lua_error(L);
    return 1;
}

static int api_call(lua_State *L) {
    return generic_call(L, true);
}

static int api_pcall(lua_State *L) {
    return generic_call(L, false);
}

static int api_error_reply(lua_State *L) {
    if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
        lua_push_error_table(L, "wrong number or type of arguments");
        return 1;
    }
    const char *text = lua_tostring(L, -1);
    sds err = text[0] == '-' ? sds_new(text) : sds_cat_printf(sds_empty(), "-%s", text);
    lua_push_error_table(L, err);
    sds_free(err);
    return 1;
}

static int api_status_reply(lua_State *L) {
    if (lua_gettop(L) != 1 || lua_type(L, -1) != LUA_TSTRING) {
        lua_push_error_table(L, "wrong number or type of arguments");
        return 1;
    }
    lua_newtable(L);
    lua_pushstring(L, "ok");
    lua_pushvalue(L, -3);
    lua_settable(L, -3);
    return 1;
}

static int api_sha1hex(lua_State *L) {
    if (lua_gettop(L) != 1) return raise_error(L, "wrong number of arguments");
    size_t len;
    const char *p = lua_tolstring(L, 1, &len);
    char hex[41];
    sha1_hex(p ? p : "", p ? len : 0, hex);
    lua_pushstring(L, hex);
    return 1;
}

static int api_log(lua_State *L) {
    int argc = lua_gettop(L);
    if (argc < 2) return raise_error(L, "redis.log() requires two arguments or more.");
    if (!lua_isnumber(L, 1)) return raise_error(L, "First argument must be a number (log level).");
    int level = (int)lua_tonumber(L, 1);
    if (level < LL_DEBUG || level > LL_WARNING) return raise_error(L, "Invalid debug level.");
    sds line = sds_empty();
    for (int j = 2; j <= argc; j++) {
        size_t len;
        const char *p = lua_tolstring(L, j, &len);
        if (p == NULL) continue;
        if (j != 2) line = sds_cat_len(line, " ", 1);
        line = sds_cat_len(line, p, len);
    }
    log_msg(level, "%s", line);
    sds_free(line);
    return 0;
}

static int api_setresp(lua_State *L) {
    ScriptRun *run = script_current_run();
    if (run == NULL)
        return raise_error(L, "redis.setresp can only be called inside a script invocation");
    if (lua_gettop(L) != 1) return raise_error(L, "redis.setresp() requires one argument.");
    int resp = (int)lua_tonumber(L, 1);
    if (resp != 2 && resp != 3) return raise_error(L, "RESP version must be 2 or 3.");
    run->client->resp = resp;
    return 0;
}

static int api_set_repl(lua_State *L) {
    if (script_current_run() == NULL)
        return raise_error(L, "redis.set_repl can only be called inside a script invocation");
    /* Valkey's text says "two arguments" although set_repl takes one. */
    if (lua_gettop(L) != 1) return raise_error(L, "redis.set_repl() requires two arguments.");
    int flags = (int)lua_tonumber(L, 1);
    if (flags < 0 || flags > 3)
        return raise_error(L, "Invalid replication flags. Use REPL_AOF, REPL_REPLICA, REPL_ALL or "
                              "REPL_NONE.");
    return 0; /* keel has no replication or AOF yet: nothing to select */
}

static int api_replicate_commands(lua_State *L) {
    lua_pushboolean(L, 1);
    return 1;
}

static int api_breakpoint(lua_State *L) {
    lua_pushboolean(L, 0); /* no debugging session */
    return 1;
}

static int api_debug(lua_State *L) {
    (void)L;
    return 0;
}

static int api_acl_check_cmd(lua_State *L) {
    if (script_current_run() == NULL)
        return raise_error(L, "redis.acl_check_cmd can only be called inside a script invocation");
    int argc = lua_gettop(L);
    if (argc == 0)
        return raise_error(L, "Please specify at least one argument for this redis lib call");
    Obj **argv = args_to_argv(L, argc);
    if (argv == NULL)
        return raise_error(L, "Lua redis lib command arguments must be strings or integers");
    const Command *cmd = cmd_lookup(argv, argc);
    for (int j = 0; j < argc; j++) obj_decr_ref(argv[j]);
    mem_free(argv);
    if (!cmd) return raise_error(L, "Invalid command passed to redis.acl_check_cmd()");
    lua_pushboolean(L, 1); /* keel has only the default user, allowed everything */
    return 1;
}

/* ---- register_function ---- */

static unsigned flags_from_table(lua_State *L, int index, bool *ok) {
    unsigned flags = 0;
    *ok = true;
    for (int i = 1;; i++) {
        lua_rawgeti(L, index, i);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            break;
        }
        size_t len;
        const char *name = lua_type(L, -1) == LUA_TSTRING ? lua_tolstring(L, -1, &len) : NULL;
        unsigned flag = name ? script_flag_by_name(name, len) : 0;
        lua_pop(L, 1);
        if (flag == 0) {
            *ok = false;
            return 0;
        }
        flags |= flag;
    }
    return flags;
}

/* register_function{function_name=, callback=, flags=, description=}:
 * leaves name at -3, callback at -2, description (or nil) at -1. */
static int read_named_args(lua_State *L, unsigned *flags) {
    lua_pushnil(L); /* name */
    lua_pushnil(L); /* callback */
    lua_pushnil(L); /* description */
    lua_pushnil(L);
    while (lua_next(L, 1)) {
        const char *key = lua_type(L, -2) == LUA_TSTRING ? lua_tostring(L, -2) : "";
        int slot = 0;
        if (strcmp(key, "function_name") == 0) {
            if (!lua_isstring(L, -1))
                return raise_error(L, "function_name argument given to redis.register_function "
                                      "must be a string");
            slot = 2;
        } else if (strcmp(key, "callback") == 0) {
            if (lua_type(L, -1) != LUA_TFUNCTION)
                return raise_error(L, "callback argument given to redis.register_function must "
                                      "be a function");
            slot = 3;
        } else if (strcmp(key, "description") == 0) {
            if (!lua_isstring(L, -1))
                return raise_error(L, "description argument given to redis.register_function "
                                      "must be a string");
            slot = 4;
        } else if (strcmp(key, "flags") == 0) {
            bool ok;
            if (lua_type(L, -1) != LUA_TTABLE)
                return raise_error(L, "flags argument to redis.register_function must be a table "
                                      "representing function flags");
            *flags = flags_from_table(L, lua_gettop(L), &ok);
            if (!ok) return raise_error(L, "unknown flag given");
        } else {
            return raise_error(L, "unknown argument given to redis.register_function");
        }
        if (slot)
            lua_replace(L, slot);
        else
            lua_pop(L, 1);
    }
    if (lua_isnil(L, 2))
        return raise_error(L, "redis.register_function must get a function name argument");
    if (lua_isnil(L, 3))
        return raise_error(L, "redis.register_function must get a callback argument");
    return 0;
}

int lua_api_register_function(lua_State *L) {
    ScriptLibrary *lib = lua_loading_library;
    if (lib == NULL)
        return raise_error(L,
                           "redis.register_function can only be called on FUNCTION LOAD command");
    int argc = lua_gettop(L);
    unsigned flags = 0;
    if (argc < 1 || argc > 2)
        return raise_error(L, "wrong number of arguments to redis.register_function");
    int name_idx = 1, callback_idx = 2, desc_idx = 0;
    if (argc == 1) {
        if (lua_type(L, 1) != LUA_TTABLE)
            return raise_error(L, "calling redis.register_function with a single argument is only "
                                  "applicable to Lua table (representing named arguments).");
        read_named_args(L, &flags); /* name at 2, callback at 3, description at 4 */
        name_idx = 2;
        callback_idx = 3;
        desc_idx = lua_isnil(L, 4) ? 0 : 4;
    } else {
        if (lua_type(L, 2) != LUA_TFUNCTION)
            return raise_error(L, "second argument to redis.register_function must be a function");
        if (!lua_isstring(L, 1))
            return raise_error(L, "first argument to redis.register_function must be a string");
    }
    size_t name_len, desc_len = 0;
    const char *name = lua_tolstring(L, name_idx, &name_len);
    const char *desc = desc_idx ? lua_tolstring(L, desc_idx, &desc_len) : NULL;
    lua_pushvalue(L, callback_idx);
    int ref = luaL_ref(L, LUA_REGISTRYINDEX);
    sds err = NULL;
    if (function_library_add(lib, name, name_len, ref, flags, desc, desc_len, &err) != 0) {
        luaL_unref(L, LUA_REGISTRYINDEX, ref);
        lua_push_error_table(L, err);
        sds_free(err);
        return lua_error(L);
    }
    return 0;
}

/* ---- the table ---- */

static void set_function(lua_State *L, const char *name, lua_CFunction fn) {
    lua_pushstring(L, name);
    lua_pushcfunction(L, fn);
    lua_settable(L, -3);
}

static void set_number(lua_State *L, const char *name, lua_Number value) {
    lua_pushstring(L, name);
    lua_pushnumber(L, value);
    lua_settable(L, -3);
}

void lua_api_register(lua_State *L) {
    set_function(L, "call", api_call);
    set_function(L, "pcall", api_pcall);
    set_function(L, "error_reply", api_error_reply);
    set_function(L, "status_reply", api_status_reply);
    set_function(L, "sha1hex", api_sha1hex);
    set_function(L, "log", api_log);
    set_function(L, "setresp", api_setresp);
    set_function(L, "set_repl", api_set_repl);
    set_function(L, "replicate_commands", api_replicate_commands);
    set_function(L, "breakpoint", api_breakpoint);
    set_function(L, "debug", api_debug);
    set_function(L, "acl_check_cmd", api_acl_check_cmd);
    set_number(L, "LOG_DEBUG", LL_DEBUG);
    set_number(L, "LOG_VERBOSE", LL_VERBOSE);
    set_number(L, "LOG_NOTICE", LL_NOTICE);
    set_number(L, "LOG_WARNING", LL_WARNING);
    set_number(L, "REPL_NONE", 0);
    set_number(L, "REPL_AOF", 1);
    set_number(L, "REPL_SLAVE", 2);
    set_number(L, "REPL_REPLICA", 2);
    set_number(L, "REPL_ALL", 3);
    lua_pushstring(L, "REDIS_VERSION");
    lua_pushstring(L, KEEL_REDIS_COMPAT_VERSION);
    lua_settable(L, -3);
    int major = 0, minor = 0, patch = 0;
    sscanf(KEEL_REDIS_COMPAT_VERSION, "%d.%d.%d", &major, &minor, &patch);
    set_number(L, "REDIS_VERSION_NUM", (major << 16) | (minor << 8) | patch);
}
