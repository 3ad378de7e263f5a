/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/lua_libs.c: opens the extra libraries Valkey scripts see as
 * globals: cjson and bit (Debian's lua-cjson and lua-bitop, linked in), and
 * keel's own struct (script/lua_struct.c) and cmsgpack
 * (script/lua_cmsgpack.c). See docs/lua-libraries.md.
 *
 * Only opens: making globals read-only and the sandbox belong to the
 * scripting engine. Each library is opened like a `require`, so it also
 * lands in package.loaded when the package library is present.
 *
 * Threads: whichever thread owns the Lua state (main only in keel).
 */
#include "script/lua_libs.h"

#include <lauxlib.h>
#include <lua-bitop.h>
#include <lua-cjson.h>

/* Calls open(name) and stores the table it returns as the global `name`. */
static void lua_libs_open_one(lua_State *L, const char *name, lua_CFunction open) {
    lua_pushcfunction(L, open);
    lua_pushstring(L, name);
    lua_call(L, 1, 1);
    lua_setglobal(L, name);
}

void lua_libs_open(lua_State *L) {
    lua_libs_open_one(L, "cjson", luaopen_cjson);
    lua_libs_open_one(L, "bit", luaopen_bit);
    lua_libs_open_one(L, "struct", lua_struct_open);
    lua_libs_open_one(L, "cmsgpack", lua_cmsgpack_open);
}
