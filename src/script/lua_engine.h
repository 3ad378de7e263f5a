/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/lua_engine.h: shared pieces of the Lua engine: building a
 * sandboxed state (script/lua_state.c), the redis/server API table
 * (script/lua_api.c), and the load context of a function library.
 *
 * Threads: main only.
 */
#ifndef KEEL_SCRIPT_LUA_ENGINE_H
#define KEEL_SCRIPT_LUA_ENGINE_H

#include <lua.h>

#include "script/function.h"

/* Creates a state with the libraries, the redis/server table, deterministic
 * random functions, the error handler and protected globals. */
lua_State *lua_state_create(void);
/* While a library's code runs, its globals are only the load-time API
 * (redis.register_function, redis.log and the constants); functions it
 * registers see the full globals once loading ends. */
void lua_state_begin_library_load(lua_State *L);
void lua_state_end_library_load(lua_State *L);
/* Pushes the error handler that pcalls use (adds source and line). */
void lua_push_error_handler(lua_State *L);
/* Registers the redis/server API into the table at the top of L. */
void lua_api_register(lua_State *L);
/* redis.register_function, which only library code sees while it loads. */
int lua_api_register_function(lua_State *L);
/* The library whose code is being loaded (register_function's target),
 * or NULL outside FUNCTION LOAD. */
extern ScriptLibrary *lua_loading_library;
/* Reseeds math.random's generator (each state starts at seed 0). */
void lua_random_seed(long long seed);

#endif
