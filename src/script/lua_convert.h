/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/lua_convert.h: RESP replies <-> Lua values, as Valkey documents
 * them (RESP2 and, after redis.setresp(3), RESP3).
 *
 * Threads: main only.
 */
#ifndef KEEL_SCRIPT_LUA_CONVERT_H
#define KEEL_SCRIPT_LUA_CONVERT_H

#include <lua.h>

#include "ds/sds.h"
#include "net/client.h"

/* Pushes the first RESP value in reply[0..len) onto L: integer -> number,
 * bulk -> string, null bulk/array -> false (RESP3 null -> nil), array ->
 * table, status -> {ok=...}, error -> {err=...}, map -> {map={...}},
 * set -> {set={k=true}}, double -> {double=n}, big number ->
 * {big_number=s}, boolean -> boolean, verbatim -> {verbatim_string=
 * {format=f, string=s}}. */
void lua_push_resp(lua_State *L, const char *reply, size_t len);

/* Replies the Lua value at the top of L to c and pops it. script_resp is
 * the RESP version the script chose (booleans differ). */
void lua_reply_value(lua_State *L, Client *c, int script_resp);

/* Pushes a table {err="CODE text"} built from "-CODE text" or "text"
 * (meaning ERR), trailing \r\n removed, as Valkey's error tables are. */
void lua_push_error_table(lua_State *L, const char *text);
/* Whether the error table at idx came from a command's error reply, which
 * errorstats already counted: replying it again must not count it twice. */
int lua_error_was_counted(lua_State *L, int idx);

#endif
