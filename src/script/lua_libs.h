/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/lua_libs.h: the extra Lua libraries Valkey scripts rely on, opened
 * as globals in every scripting Lua state: cjson and bit (Debian's
 * lua-cjson and lua-bitop), cmsgpack and struct (keel's own C code).
 *
 * Threads: main only (a Lua state belongs to the main thread).
 */
#ifndef KEEL_SCRIPT_LUA_LIBS_H
#define KEEL_SCRIPT_LUA_LIBS_H

#include <lua.h>

/* Opens cjson, bit, cmsgpack and struct in L as global tables. */
void lua_libs_open(lua_State *L);

/* The keel-written libraries, each a lua_CFunction that registers its global
 * table (like luaL_register) and returns it: struct (script/lua_struct.c)
 * and cmsgpack (script/lua_cmsgpack.c). */
int lua_struct_open(lua_State *L);
int lua_cmsgpack_open(lua_State *L);

#endif
