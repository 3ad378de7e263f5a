/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/lua_convert.c: RESP <-> Lua conversions (script/lua_convert.h).
 *
 * Replies are read back from the script client's buffer, which keel itself
 * wrote, so the reader trusts the framing.
 */
#include "script/lua_convert.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "net/reply.h"

static const char *line_end(const char *p, const char *end) {
    const char *cr = memchr(p, '\r', (size_t)(end - p));
    return cr ? cr : end;
}

static long long line_ll(const char *p) {
    return strtoll(p, NULL, 10);
}

static const char *push_value(lua_State *L, const char *p, const char *end);

/* Sets t[field] = value at the top of the stack (table below it). */
static void set_field_top(lua_State *L, const char *field) {
    lua_pushstring(L, field);
    lua_insert(L, -2);
    lua_settable(L, -3);
}

/* Key (its address) of the mark on error tables built from a command's
 * error reply; a light userdata key no script can name. */
static const char counted_error_key = 0;

int lua_error_was_counted(lua_State *L, int idx) {
    if (!lua_istable(L, idx)) return 0;
    lua_pushlightuserdata(L, (void *)&counted_error_key);
    lua_rawget(L, idx < 0 ? idx - 1 : idx);
    int counted = lua_toboolean(L, -1);
    lua_pop(L, 1);
    return counted;
}

static void push_single_field(lua_State *L, const char *field, const char *p, size_t len) {
    lua_newtable(L);
    lua_pushlstring(L, p, len);
    set_field_top(L, field);
}

static const char *push_aggregate(lua_State *L, char type, long long count, const char *p,
                                  const char *end) {
    if (type == '|') { /* attributes are skipped */
        for (long long i = 0; i < count * 2; i++) {
            p = push_value(L, p, end);
            lua_pop(L, 1);
        }
        return push_value(L, p, end);
    }
    lua_checkstack(L, 4);
    lua_newtable(L);
    if (type == '%' || type == '~') {
        lua_newtable(L);
        for (long long i = 0; i < count; i++) {
            p = push_value(L, p, end);
            if (type == '%')
                p = push_value(L, p, end);
            else
                lua_pushboolean(L, 1);
            lua_settable(L, -3);
        }
        set_field_top(L, type == '%' ? "map" : "set");
        return p;
    }
    for (long long i = 0; i < count; i++) {
        p = push_value(L, p, end);
        lua_rawseti(L, -2, (int)i + 1);
    }
    return p;
}

static const char *push_value(lua_State *L, const char *p, const char *end) {
    char type = *p++;
    const char *eol = line_end(p, end);
    const char *next = eol + 2;
    switch (type) {
    case ':': lua_pushnumber(L, (lua_Number)line_ll(p)); return next;
    case '+': push_single_field(L, "ok", p, (size_t)(eol - p)); return next;
    case '-':
        push_single_field(L, "err", p, (size_t)(eol - p));
        lua_pushlightuserdata(L, (void *)&counted_error_key);
        lua_pushboolean(L, 1);
        lua_rawset(L, -3);
        return next;
    case '_': lua_pushnil(L); return next;
    case '#': lua_pushboolean(L, *p == 't'); return next;
    case ',':
        lua_newtable(L);
        lua_pushnumber(L, strtod(p, NULL));
        set_field_top(L, "double");
        return next;
    case '(': push_single_field(L, "big_number", p, (size_t)(eol - p)); return next;
    case '$':
    case '=': {
        long long len = line_ll(p);
        if (len < 0) {
            lua_pushboolean(L, 0);
            return next;
        }
        if (type == '$') {
            lua_pushlstring(L, next, (size_t)len);
        } else { /* "txt:..." */
            lua_newtable(L);
            lua_newtable(L);
            lua_pushlstring(L, next, 3);
            set_field_top(L, "format");
            lua_pushlstring(L, next + 4, (size_t)len - 4);
            set_field_top(L, "string");
            set_field_top(L, "verbatim_string");
        }
        return next + len + 2;
    }
    default: { /* '*', '%', '~', '>', '|' */
        long long count = line_ll(p);
        if (count < 0) {
            lua_pushboolean(L, 0);
            return next;
        }
        return push_aggregate(L, type == '>' ? '*' : type, count, next, end);
    }
    }
}

void lua_push_resp(lua_State *L, const char *reply, size_t len) {
    if (len == 0) {
        lua_pushnil(L);
        return;
    }
    push_value(L, reply, reply + len);
}

void lua_push_error_table(lua_State *L, const char *text) {
    sds final;
    if (text[0] == '-') {
        const char *space = strchr(text, ' ');
        if (space == NULL)
            final = sds_cat_printf(sds_empty(), "ERR %s", text + 1);
        else
            final = sds_new(text + 1);
    } else {
        final = sds_cat_printf(sds_empty(), "ERR %s", text);
    }
    size_t len = sds_len(final);
    while (len > 0 && (final[len - 1] == '\r' || final[len - 1] == '\n')) len--;
    lua_newtable(L);
    lua_pushlstring(L, final, len);
    set_field_top(L, "err");
    sds_free(final);
}

/* ---- Lua -> reply ---- */

/* t[field] of the table at the top, pushed; returns its Lua type. */
static int get_field(lua_State *L, const char *field) {
    lua_pushstring(L, field);
    lua_rawget(L, -2);
    return lua_type(L, -1);
}

/* Copies a string replacing \r and \n by spaces (status lines). */
static sds one_line(const char *p, size_t len) {
    sds s = sds_new_len(p, len);
    for (size_t i = 0; i < len; i++)
        if (s[i] == '\r' || s[i] == '\n') s[i] = ' ';
    return s;
}

/* Replies the pairs of the table at the top as a map or set. */
static void reply_pairs(lua_State *L, Client *c, int script_resp, bool is_map) {
    void *handle = reply_defer_len(c);
    long count = 0;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pushvalue(L, -2); /* key copy: lua_next needs the original */
        lua_reply_value(L, c, script_resp);
        if (is_map)
            lua_reply_value(L, c, script_resp);
        else
            lua_pop(L, 1);
        count++;
    }
    if (is_map)
        reply_set_defer_map_len(c, handle, count);
    else
        reply_set_defer_set_len(c, handle, count);
}

/* Special tables: {err=}, {ok=}, {double=}, {big_number=}, {map=}, {set=}.
 * Returns 1 when the table at the top was one of them (and was replied). */
static int reply_special_table(lua_State *L, Client *c, int script_resp) {
    size_t len;
    if (get_field(L, "err") == LUA_TSTRING) {
        const char *text = lua_tolstring(L, -1, &len);
        sds err = sds_cat_printf(sds_empty(), "-%s", text);
        if (lua_error_was_counted(L, -2))
            reply_error_uncounted(c, err);
        else
            reply_error(c, err);
        sds_free(err);
        lua_pop(L, 1);
        return 1;
    }
    lua_pop(L, 1);
    if (get_field(L, "ok") == LUA_TSTRING) {
        const char *text = lua_tolstring(L, -1, &len);
        sds line = one_line(text, len);
        reply_status(c, line);
        sds_free(line);
        lua_pop(L, 1);
        return 1;
    }
    lua_pop(L, 1);
    if (get_field(L, "double") == LUA_TNUMBER) {
        reply_double(c, lua_tonumber(L, -1));
        lua_pop(L, 1);
        return 1;
    }
    lua_pop(L, 1);
    if (get_field(L, "big_number") == LUA_TSTRING) {
        const char *text = lua_tolstring(L, -1, &len);
        sds digits = one_line(text, len);
        reply_bignum(c, digits);
        sds_free(digits);
        lua_pop(L, 1);
        return 1;
    }
    lua_pop(L, 1);
    const char *kinds[] = {"map", "set"};
    for (int k = 0; k < 2; k++) {
        if (get_field(L, kinds[k]) == LUA_TTABLE) {
            reply_pairs(L, c, script_resp, k == 0);
            lua_pop(L, 1);
            return 1;
        }
        lua_pop(L, 1);
    }
    return 0;
}

static void reply_table(lua_State *L, Client *c, int script_resp) {
    if (reply_special_table(L, c, script_resp)) return;
    void *handle = reply_defer_len(c);
    long count = 0;
    for (;;) {
        lua_rawgeti(L, -1, (int)count + 1);
        if (lua_isnil(L, -1)) {
            lua_pop(L, 1);
            break;
        }
        lua_reply_value(L, c, script_resp);
        count++;
    }
    reply_set_defer_array_len(c, handle, count);
}

/* Truncates toward zero as a C cast does on x86-64, without its undefined
 * cases: NaN and out-of-range values give LLONG_MIN, as Valkey replies. */
static long long number_to_ll(lua_Number n) {
    if (n != n || n >= 9223372036854775808.0 || n < -9223372036854775808.0) return LLONG_MIN;
    return (long long)n;
}

void lua_reply_value(lua_State *L, Client *c, int script_resp) {
    if (!lua_checkstack(L, 4)) {
        /* Nested too deep for the Lua stack: Valkey's reply. */
        reply_error(c, "reached lua stack limit");
        lua_pop(L, 1);
        return;
    }
    size_t len;
    const char *p;
    switch (lua_type(L, -1)) {
    case LUA_TSTRING:
        p = lua_tolstring(L, -1, &len);
        reply_bulk(c, p, len);
        break;
    case LUA_TBOOLEAN:
        if (script_resp == 2) {
            if (lua_toboolean(L, -1))
                reply_ll(c, 1);
            else
                reply_null(c);
        } else {
            reply_bool(c, lua_toboolean(L, -1));
        }
        break;
    case LUA_TNUMBER: reply_ll(c, number_to_ll(lua_tonumber(L, -1))); break;
    case LUA_TTABLE: reply_table(L, c, script_resp); break;
    default: reply_null(c); break;
    }
    lua_pop(L, 1);
}
