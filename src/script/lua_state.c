/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/lua_state.c: builds the sandboxed Lua state scripts and function
 * libraries run in (script/lua_engine.h).
 *
 * Opened: base (without loadfile/dofile), table, string, math, debug and
 * the extra libraries of script/lua_libs.h; never os, io or package. The
 * random functions use a 48-bit linear congruential generator shared by
 * every state, as Valkey's do, so sequences do not depend on the C
 * library. Globals are protected: reading a missing global and writing
 * any global are errors, and the library tables are read-only proxies.
 *
 * Threads: main only.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <lauxlib.h>
#include <lualib.h>

#include "script/lua_engine.h"
#include "script/lua_libs.h"
#include "server/log.h"
#include "server/mem.h"

static const char load_api_key[] = "keel_load_api";         /* library load globals */
static const char real_globals_key[] = "keel_real_globals"; /* behind the globals proxy */

/* ---- random numbers (48-bit LCG, as drand48) ---- */

static uint64_t rand48_state = 0x1234ABCD330Eull;

void lua_random_seed(long long seed) {
    rand48_state = ((uint64_t)(uint32_t)seed << 16) | 0x330E;
}

static int32_t rand48_next(void) {
    rand48_state = (rand48_state * 0x5DEECE66Dull + 0xB) & 0xFFFFFFFFFFFFull;
    return (int32_t)(rand48_state >> 17);
}

static int lua_math_random(lua_State *L) {
    lua_Number r = (lua_Number)(rand48_next() % INT32_MAX) / (lua_Number)INT32_MAX;
    switch (lua_gettop(L)) {
    case 0: lua_pushnumber(L, r); break;
    case 1: {
        int upper = luaL_checkint(L, 1);
        luaL_argcheck(L, 1 <= upper, 1, "interval is empty");
        lua_pushnumber(L, floor(r * upper) + 1);
        break;
    }
    case 2: {
        int lower = luaL_checkint(L, 1);
        int upper = luaL_checkint(L, 2);
        luaL_argcheck(L, lower <= upper, 2, "interval is empty");
        lua_pushnumber(L, floor(r * (upper - lower + 1)) + lower);
        break;
    }
    default: return luaL_error(L, "wrong number of arguments");
    }
    return 1;
}

static int lua_math_randomseed(lua_State *L) {
    lua_random_seed(luaL_checkint(L, 1));
    return 0;
}

/* ---- protection ---- */

static int global_missing(lua_State *L) {
    return luaL_error(L, "Script attempted to access nonexistent global variable '%s'",
                      lua_tostring(L, 2) ? lua_tostring(L, 2) : "?");
}

static int readonly_write(lua_State *L) {
    return luaL_error(L, "Attempt to modify a readonly table");
}

static const char proxies_key[] = "keel_readonly_proxies"; /* proxy -> real table */

/* Pushes the real table behind the proxy at index, or nothing and
 * returns 0 when the value is not a read-only proxy. */
static int push_proxied(lua_State *L, int index) {
    if (lua_type(L, index) != LUA_TTABLE) return 0;
    lua_getfield(L, LUA_REGISTRYINDEX, proxies_key);
    lua_pushvalue(L, index);
    lua_rawget(L, -2);
    lua_remove(L, -2);
    if (lua_isnil(L, -1)) {
        lua_pop(L, 1);
        return 0;
    }
    return 1;
}

/* Valkey's error for changing a read-only table through a raw function:
 * raised without a position. */
static int readonly_error(lua_State *L) {
    lua_pushstring(L, "Attempt to modify a readonly table");
    return lua_error(L);
}

/* rawset/setmetatable refuse read-only tables, then do the original. */
static int guarded_call(lua_State *L) {
    if (push_proxied(L, 1)) return readonly_error(L);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* pairs/next/rawget see the real table behind a read-only proxy. */
static int see_through_call(lua_State *L) {
    if (push_proxied(L, 1)) lua_replace(L, 1);
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
    return lua_gettop(L);
}

/* getmetatable: nil for read-only tables; for strings a read-only proxy
 * of the string metatable (Lua reads metatables raw, so the real one
 * stays in place). */
static int guarded_getmetatable(lua_State *L) {
    if (push_proxied(L, 1)) {
        lua_pushnil(L);
        return 1;
    }
    if (lua_type(L, 1) == LUA_TSTRING) {
        lua_pushvalue(L, lua_upvalueindex(2));
        return 1;
    }
    lua_pushvalue(L, lua_upvalueindex(1));
    lua_insert(L, 1);
    lua_call(L, lua_gettop(L) - 1, 1);
    return 1;
}

/* pcall, with an error table {err=...} turned into its err string, so
 * scripts catching redis.call errors get text, as in Valkey. */
static int script_pcall(lua_State *L) {
    int argc = lua_gettop(L);
    luaL_checkany(L, 1);
    lua_pushboolean(L, 1);
    lua_insert(L, 1);
    if (lua_pcall(L, argc - 1, LUA_MULTRET, 0) == 0) return lua_gettop(L);
    lua_remove(L, 1);
    if (lua_istable(L, -1)) {
        lua_getfield(L, -1, "err");
        if (lua_isstring(L, -1))
            lua_replace(L, -2);
        else
            lua_pop(L, 1);
    }
    lua_pushboolean(L, 0);
    lua_insert(L, 1);
    return lua_gettop(L);
}

static void wrap_global(lua_State *L, const char *name, lua_CFunction wrapper) {
    lua_getglobal(L, name);
    lua_pushcclosure(L, wrapper, 1);
    lua_setglobal(L, name);
}

/* Sets a metatable {__index = index (at stack index, or missing-global
 * error when 0), __newindex = error, __metatable = false} on the table at
 * the top. */
static void protect_top(lua_State *L, int index) {
    if (index) { /* the top is a proxy of the table at index */
        lua_getfield(L, LUA_REGISTRYINDEX, proxies_key);
        lua_pushvalue(L, -2);
        lua_pushvalue(L, index);
        lua_rawset(L, -3);
        lua_pop(L, 1);
    }
    lua_newtable(L);
    lua_pushstring(L, "__index");
    if (index)
        lua_pushvalue(L, index);
    else
        lua_pushcfunction(L, global_missing);
    lua_rawset(L, -3);
    lua_pushstring(L, "__newindex");
    lua_pushcfunction(L, readonly_write);
    lua_rawset(L, -3);
    lua_pushstring(L, "__metatable");
    lua_pushboolean(L, 0);
    lua_rawset(L, -3);
    lua_setmetatable(L, -2);
}

/* Replaces every library table in the real globals (at the top) by a
 * read-only proxy. */
static void protect_libraries(lua_State *L) {
    int globals = lua_gettop(L);
    lua_pushnil(L);
    while (lua_next(L, globals)) {
        if (lua_type(L, -1) == LUA_TTABLE && !lua_rawequal(L, -1, globals)) {
            int lib = lua_gettop(L);
            lua_newtable(L);
            protect_top(L, lib);
            lua_pushvalue(L, -3); /* key */
            lua_insert(L, -2);
            lua_rawset(L, globals);
        }
        lua_pop(L, 1);
    }
}

/* Makes the globals a read-only proxy of the real table. */
static void protect_globals(lua_State *L) {
    lua_newtable(L);
    lua_setfield(L, LUA_REGISTRYINDEX, proxies_key);
    lua_pushcfunction(L, script_pcall);
    lua_setglobal(L, "pcall");
    wrap_global(L, "rawset", guarded_call);
    wrap_global(L, "setmetatable", guarded_call);
    wrap_global(L, "pairs", see_through_call);
    wrap_global(L, "next", see_through_call);
    wrap_global(L, "rawget", see_through_call);
    lua_getglobal(L, "getmetatable");
    lua_pushstring(L, "");
    lua_getmetatable(L, -1);
    lua_remove(L, -2);
    int string_meta = lua_gettop(L);
    lua_newtable(L);
    protect_top(L, string_meta);
    lua_remove(L, string_meta);
    lua_pushcclosure(L, guarded_getmetatable, 2);
    lua_setglobal(L, "getmetatable");
    lua_pushvalue(L, LUA_GLOBALSINDEX);
    protect_libraries(L);
    int real = lua_gettop(L);
    lua_getfield(L, real, "redis"); /* server and redis: one proxy */
    lua_setfield(L, real, "server");
    lua_pushvalue(L, real);
    lua_setfield(L, LUA_REGISTRYINDEX, real_globals_key);
    lua_pushvalue(L, real);
    protect_top(L, 0); /* real: missing names are errors */
    lua_pop(L, 1);
    lua_newtable(L);
    protect_top(L, real);
    lua_pushstring(L, "_G"); /* _G names the proxy, not the real table */
    lua_pushvalue(L, -2);
    lua_rawset(L, real);
    lua_replace(L, LUA_GLOBALSINDEX);
    lua_pop(L, 1);
}

/* ---- the globals while a library loads ---- */

/* Builds what a library's code sees while it loads: only redis (and
 * server) with register_function, log and the constants; any other name
 * is a missing-global error. The redis table at the top is the full one. */
static void create_load_api(lua_State *L) {
    int full = lua_gettop(L);
    lua_newtable(L); /* the load-time redis table */
    lua_pushcfunction(L, lua_api_register_function);
    lua_setfield(L, -2, "register_function");
    static const char *const kept[] = {"log", "LOG_DEBUG", "LOG_VERBOSE",
                                       "LOG_NOTICE", "LOG_WARNING", "REDIS_VERSION",
                                       "REDIS_VERSION_NUM", NULL};
    for (int i = 0; kept[i]; i++) {
        lua_getfield(L, full, kept[i]);
        lua_setfield(L, -2, kept[i]);
    }
    lua_pushvalue(L, -1);
    protect_top(L, 0);
    lua_pop(L, 1);
    lua_newtable(L); /* the load-time globals */
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, "redis");
    lua_pushvalue(L, -2);
    lua_setfield(L, -2, "server");
    lua_pushvalue(L, -1);
    protect_top(L, 0);
    lua_pop(L, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, load_api_key);
    lua_pop(L, 1);
}

/* Points the globals proxy at the table stored under key. */
static void globals_lookup_from(lua_State *L, const char *key) {
    lua_getmetatable(L, LUA_GLOBALSINDEX);
    lua_getfield(L, LUA_REGISTRYINDEX, key);
    lua_setfield(L, -2, "__index");
    lua_pop(L, 1);
}

void lua_state_begin_library_load(lua_State *L) {
    globals_lookup_from(L, load_api_key);
}

void lua_state_end_library_load(lua_State *L) {
    globals_lookup_from(L, real_globals_key);
}

/* ---- error handler ---- */

static const char error_handler_code[] =
    "local dbg = debug\n"
    "return function(err)\n"
    "  local i = dbg.getinfo(2, 'nSl')\n"
    "  if i and i.what == 'C' then i = dbg.getinfo(3, 'nSl') end\n"
    "  if type(err) ~= 'table' then err = {err = 'ERR ' .. tostring(err)} end\n"
    "  if i then err['source'] = i.source; err['line'] = i.currentline end\n"
    "  return err\n"
    "end\n";

static const char error_handler_key[] = "keel_error_handler";

void lua_push_error_handler(lua_State *L) {
    lua_getfield(L, LUA_REGISTRYINDEX, error_handler_key);
}

static void open_library(lua_State *L, lua_CFunction fn, const char *name) {
    lua_pushcfunction(L, fn);
    lua_pushstring(L, name);
    lua_call(L, 1, 0);
}

/* Lua's allocations go through mem/ so INFO memory counts them. */
static void *lua_allocate(void *ud, void *ptr, size_t old_size, size_t new_size) {
    (void)ud;
    (void)old_size;
    if (new_size == 0) {
        mem_free(ptr);
        return NULL;
    }
    return mem_realloc(ptr, new_size);
}

static int lua_panic_handler(lua_State *L) {
    log_msg(LL_WARNING, "Lua panic: %s", lua_tostring(L, -1) ? lua_tostring(L, -1) : "?");
    abort();
    return 0;
}

lua_State *lua_state_create(void) {
    lua_State *L = lua_newstate(lua_allocate, NULL);
    lua_atpanic(L, lua_panic_handler);
    open_library(L, luaopen_base, "");
    open_library(L, luaopen_table, LUA_TABLIBNAME);
    open_library(L, luaopen_string, LUA_STRLIBNAME);
    open_library(L, luaopen_math, LUA_MATHLIBNAME);
    open_library(L, luaopen_debug, LUA_DBLIBNAME);
    lua_libs_open(L);
    static const char *const removed[] = {"loadfile", "dofile", "print", "getfenv", "setfenv",
                                          "newproxy", "module", NULL};
    for (int i = 0; removed[i]; i++) {
        lua_pushnil(L);
        lua_setglobal(L, removed[i]);
    }

    lua_getglobal(L, "math");
    lua_pushcfunction(L, lua_math_random);
    lua_setfield(L, -2, "random");
    lua_pushcfunction(L, lua_math_randomseed);
    lua_setfield(L, -2, "randomseed");
    lua_pop(L, 1);

    lua_newtable(L);
    lua_api_register(L);
    lua_pushvalue(L, -1);
    lua_setglobal(L, "redis");
    create_load_api(L);

    luaL_loadbuffer(L, error_handler_code, sizeof(error_handler_code) - 1, "@err_handler");
    lua_call(L, 0, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, error_handler_key);
    lua_pushnil(L); /* the handler keeps its own reference */
    lua_setglobal(L, "debug");

    protect_globals(L);
    return L;
}
