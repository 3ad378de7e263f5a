/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/lua_cmsgpack.c: the `cmsgpack` Lua library: MessagePack encoding
 * and decoding for scripts, with the API Redis and Valkey scripts use:
 * cmsgpack.pack(v1, ...) returns the concatenated encodings;
 * cmsgpack.unpack(s) returns every object in s; cmsgpack.unpack_one(s
 * [, offset]) and cmsgpack.unpack_limit(s, limit [, offset]) return the
 * next offset (0-based, -1 at the end of s) followed by the objects
 * (unpack_limit(s, 0) is unpack(s): no offset).
 *
 * keel's own C, from the MessagePack spec and the documented behaviour
 * (checked against Redis 7.0): numbers that are integers in int64 range
 * pack as the smallest int/uint form, other numbers as float32 when that is
 * exact (infinities included), else float64; strings as fixstr/str8/16/32;
 * a table whose keys are exactly 1..n (the empty table too) as an array,
 * any other table as a map; tables nested deeper than 16 levels, and
 * functions, userdata and threads, as nil. Decoding accepts everything
 * pack writes plus bin 8/16/32 (as strings; Redis 7.0 refuses bin); ext
 * types and 0xc1 are "Bad data format in input.", short input "Missing
 * bytes in input.". Lengths are checked against the bytes left before any
 * table is sized, so hostile input can't ask for huge allocations.
 *
 * The encoder builds into a C-stack buffer and, when that fills, into Lua
 * userdata parked in one stack slot, so a Lua error never leaks memory.
 *
 * Threads: whichever thread owns the Lua state (main only in keel).
 */
#include "script/lua_libs.h"

#include <float.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>

#define CMSGPACK_MAX_NESTING 16   /* deeper tables pack as nil */
#define CMSGPACK_INLINE_BYTES 512 /* encodings this small never allocate */

/* ---- encoding ---- */

typedef struct MpBuffer {
    lua_State *L;
    unsigned char *bytes;
    size_t len;
    size_t cap;
    int slot; /* stack index holding the userdata that owns bytes, or 0 */
    unsigned char inline_bytes[CMSGPACK_INLINE_BYTES];
} MpBuffer;

static void mp_buffer_init(MpBuffer *buf, lua_State *L, int slot) {
    buf->L = L;
    buf->bytes = buf->inline_bytes;
    buf->len = 0;
    buf->cap = sizeof(buf->inline_bytes);
    buf->slot = slot;
}

/* Makes room for `more` bytes: a new, larger userdata replaces the one in
 * buf->slot (the old one becomes garbage). */
static void mp_buffer_reserve(MpBuffer *buf, size_t more) {
    if (buf->cap - buf->len >= more) return;
    size_t cap = buf->cap * 2;
    while (cap - buf->len < more) cap *= 2;
    unsigned char *bytes = lua_newuserdata(buf->L, cap);
    memcpy(bytes, buf->bytes, buf->len);
    lua_replace(buf->L, buf->slot);
    buf->bytes = bytes;
    buf->cap = cap;
}

static void mp_buffer_add(MpBuffer *buf, const void *data, size_t len) {
    mp_buffer_reserve(buf, len);
    memcpy(buf->bytes + buf->len, data, len);
    buf->len += len;
}

/* Appends a type byte followed by the low `size` bytes of value, big endian. */
static void mp_add_header(MpBuffer *buf, unsigned char type, uint64_t value, int size) {
    unsigned char out[9];
    out[0] = type;
    for (int i = 0; i < size; i++) out[1 + i] = (unsigned char)(value >> (8 * (size - 1 - i)));
    mp_buffer_add(buf, out, (size_t)size + 1);
}

static void mp_encode_int(MpBuffer *buf, int64_t v) {
    if (v >= 0) {
        uint64_t u = (uint64_t)v;
        if (u <= 0x7f) mp_add_header(buf, (unsigned char)u, 0, 0);
        else if (u <= 0xff) mp_add_header(buf, 0xcc, u, 1);
        else if (u <= 0xffff) mp_add_header(buf, 0xcd, u, 2);
        else if (u <= 0xffffffffULL) mp_add_header(buf, 0xce, u, 4);
        else mp_add_header(buf, 0xcf, u, 8);
    } else {
        if (v >= -32) mp_add_header(buf, (unsigned char)(0xe0 | (v & 0x1f)), 0, 0);
        else if (v >= INT8_MIN) mp_add_header(buf, 0xd0, (uint64_t)v, 1);
        else if (v >= INT16_MIN) mp_add_header(buf, 0xd1, (uint64_t)v, 2);
        else if (v >= INT32_MIN) mp_add_header(buf, 0xd2, (uint64_t)v, 4);
        else mp_add_header(buf, 0xd3, (uint64_t)v, 8);
    }
}

static void mp_encode_number(MpBuffer *buf, lua_Number n) {
    if (n >= -9223372036854775808.0 && n < 9223372036854775808.0 && (lua_Number)(int64_t)n == n) {
        mp_encode_int(buf, (int64_t)n);
        return;
    }
    if (isnan(n) || (isfinite(n) && fabs(n) > FLT_MAX) || (double)(float)n != n) {
        uint64_t bits;
        double d = (double)n;
        memcpy(&bits, &d, sizeof(bits));
        mp_add_header(buf, 0xcb, bits, 8);
        return;
    }
    float f = (float)n;
    uint32_t bits;
    memcpy(&bits, &f, sizeof(bits));
    mp_add_header(buf, 0xca, bits, 4);
}

static void mp_encode_string(MpBuffer *buf, const char *s, size_t len) {
    if (len < 32) mp_add_header(buf, (unsigned char)(0xa0 | len), 0, 0);
    else if (len <= 0xff) mp_add_header(buf, 0xd9, len, 1);
    else if (len <= 0xffff) mp_add_header(buf, 0xda, len, 2);
    else mp_add_header(buf, 0xdb, len, 4);
    mp_buffer_add(buf, s, len);
}

static void mp_encode_collection_header(MpBuffer *buf, size_t count, int is_map) {
    if (count < 16) mp_add_header(buf, (unsigned char)((is_map ? 0x80 : 0x90) | count), 0, 0);
    else if (count <= 0xffff) mp_add_header(buf, is_map ? 0xde : 0xdc, count, 2);
    else mp_add_header(buf, is_map ? 0xdf : 0xdd, count, 4);
}

/* Counts the table at the top of the stack; returns 1 when its keys are
 * exactly the integers 1..*count. */
static int mp_table_is_array(lua_State *L, size_t *count) {
    size_t entries = 0;
    lua_Number max_key = 0;
    int is_array = 1;
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pop(L, 1);
        entries++;
        if (lua_type(L, -1) != LUA_TNUMBER) {
            is_array = 0;
            continue;
        }
        lua_Number key = lua_tonumber(L, -1);
        if (key < 1 || key != floor(key)) is_array = 0;
        else if (key > max_key) max_key = key;
    }
    *count = entries;
    return is_array && max_key == (lua_Number)entries;
}

static void mp_encode_value(MpBuffer *buf, int level);

/* Encodes the table at the top of the stack. */
static void mp_encode_table(MpBuffer *buf, int level) {
    lua_State *L = buf->L;
    luaL_checkstack(L, 4, "MessagePack table too deep");
    size_t count;
    if (mp_table_is_array(L, &count)) {
        mp_encode_collection_header(buf, count, 0);
        for (size_t i = 1; i <= count; i++) {
            lua_rawgeti(L, -1, (int)i);
            mp_encode_value(buf, level + 1);
            lua_pop(L, 1);
        }
        return;
    }
    mp_encode_collection_header(buf, count, 1);
    lua_pushnil(L);
    while (lua_next(L, -2)) {
        lua_pushvalue(L, -2);
        mp_encode_value(buf, level + 1); /* the key */
        lua_pop(L, 1);
        mp_encode_value(buf, level + 1); /* the value */
        lua_pop(L, 1);
    }
}

/* Encodes the value at the top of the stack, leaving the stack as it was. */
static void mp_encode_value(MpBuffer *buf, int level) {
    lua_State *L = buf->L;
    switch (lua_type(L, -1)) {
    case LUA_TBOOLEAN:
        mp_add_header(buf, lua_toboolean(L, -1) ? 0xc3 : 0xc2, 0, 0);
        break;
    case LUA_TNUMBER:
        mp_encode_number(buf, lua_tonumber(L, -1));
        break;
    case LUA_TSTRING: {
        size_t len;
        const char *s = lua_tolstring(L, -1, &len);
        mp_encode_string(buf, s, len);
        break;
    }
    case LUA_TTABLE:
        if (level < CMSGPACK_MAX_NESTING) mp_encode_table(buf, level);
        else mp_add_header(buf, 0xc0, 0, 0); /* too deep packs as nil */
        break;
    default:
        mp_add_header(buf, 0xc0, 0, 0);
        break;
    }
}

static int mp_pack(lua_State *L) {
    int argc = lua_gettop(L);
    if (argc == 0) return luaL_argerror(L, 0, "MessagePack pack needs input.");
    lua_pushnil(L); /* the slot for a grown buffer */
    MpBuffer buf;
    mp_buffer_init(&buf, L, argc + 1);
    for (int i = 1; i <= argc; i++) {
        lua_pushvalue(L, i);
        mp_encode_value(&buf, 0);
        lua_pop(L, 1);
    }
    lua_pushlstring(L, (const char *)buf.bytes, buf.len);
    return 1;
}

/* ---- decoding ---- */

typedef struct MpCursor {
    const unsigned char *p;
    size_t left;
} MpCursor;

static void mp_missing_bytes(lua_State *L) {
    luaL_error(L, "Missing bytes in input.");
}

/* Reads a big-endian unsigned integer of `size` bytes. */
static uint64_t mp_read_uint(lua_State *L, MpCursor *c, size_t size) {
    if (c->left < size) mp_missing_bytes(L);
    uint64_t value = 0;
    for (size_t i = 0; i < size; i++) value = (value << 8) | c->p[i];
    c->p += size;
    c->left -= size;
    return value;
}

static void mp_push_bytes(lua_State *L, MpCursor *c, uint64_t len) {
    if (c->left < len) mp_missing_bytes(L);
    lua_pushlstring(L, (const char *)c->p, (size_t)len);
    c->p += len;
    c->left -= (size_t)len;
}

static void mp_decode_value(lua_State *L, MpCursor *c);

static void mp_decode_array(lua_State *L, MpCursor *c, uint64_t count) {
    if (c->left < count) mp_missing_bytes(L); /* each element takes a byte */
    luaL_checkstack(L, 2, "MessagePack input nested too deep");
    lua_createtable(L, (int)count, 0);
    for (uint64_t i = 1; i <= count; i++) {
        mp_decode_value(L, c);
        lua_rawseti(L, -2, (int)i);
    }
}

static void mp_decode_map(lua_State *L, MpCursor *c, uint64_t count) {
    if (c->left / 2 < count) mp_missing_bytes(L); /* each pair takes two bytes */
    luaL_checkstack(L, 3, "MessagePack input nested too deep");
    lua_createtable(L, 0, (int)count);
    for (uint64_t i = 0; i < count; i++) {
        mp_decode_value(L, c);
        mp_decode_value(L, c);
        lua_rawset(L, -3);
    }
}

static void mp_push_float32(lua_State *L, uint64_t bits) {
    uint32_t word = (uint32_t)bits;
    float f;
    memcpy(&f, &word, sizeof(f));
    lua_pushnumber(L, (lua_Number)f);
}

static void mp_push_float64(lua_State *L, uint64_t bits) {
    double d;
    memcpy(&d, &bits, sizeof(d));
    lua_pushnumber(L, (lua_Number)d);
}

/* Sign-extends the low `size` bytes of value. */
static int64_t mp_signed(uint64_t value, int size) {
    int shift = 64 - 8 * size;
    return (int64_t)(value << shift) >> shift;
}

/* Decodes the 0xc0..0xdf types that carry a payload after the type byte. */
static void mp_decode_typed(lua_State *L, MpCursor *c, unsigned char type) {
    switch (type) {
    case 0xc0: lua_pushnil(L); break;
    case 0xc2: lua_pushboolean(L, 0); break;
    case 0xc3: lua_pushboolean(L, 1); break;
    case 0xc4: mp_push_bytes(L, c, mp_read_uint(L, c, 1)); break;
    case 0xc5: mp_push_bytes(L, c, mp_read_uint(L, c, 2)); break;
    case 0xc6: mp_push_bytes(L, c, mp_read_uint(L, c, 4)); break;
    case 0xca: mp_push_float32(L, mp_read_uint(L, c, 4)); break;
    case 0xcb: mp_push_float64(L, mp_read_uint(L, c, 8)); break;
    case 0xcc: lua_pushnumber(L, (lua_Number)mp_read_uint(L, c, 1)); break;
    case 0xcd: lua_pushnumber(L, (lua_Number)mp_read_uint(L, c, 2)); break;
    case 0xce: lua_pushnumber(L, (lua_Number)mp_read_uint(L, c, 4)); break;
    /* Like Redis, a uint64 above INT64_MAX reads as the int64 it wraps to. */
    case 0xcf: lua_pushnumber(L, (lua_Number)(int64_t)mp_read_uint(L, c, 8)); break;
    case 0xd0: lua_pushnumber(L, (lua_Number)mp_signed(mp_read_uint(L, c, 1), 1)); break;
    case 0xd1: lua_pushnumber(L, (lua_Number)mp_signed(mp_read_uint(L, c, 2), 2)); break;
    case 0xd2: lua_pushnumber(L, (lua_Number)mp_signed(mp_read_uint(L, c, 4), 4)); break;
    case 0xd3: lua_pushnumber(L, (lua_Number)mp_signed(mp_read_uint(L, c, 8), 8)); break;
    case 0xd9: mp_push_bytes(L, c, mp_read_uint(L, c, 1)); break;
    case 0xda: mp_push_bytes(L, c, mp_read_uint(L, c, 2)); break;
    case 0xdb: mp_push_bytes(L, c, mp_read_uint(L, c, 4)); break;
    case 0xdc: mp_decode_array(L, c, mp_read_uint(L, c, 2)); break;
    case 0xdd: mp_decode_array(L, c, mp_read_uint(L, c, 4)); break;
    case 0xde: mp_decode_map(L, c, mp_read_uint(L, c, 2)); break;
    case 0xdf: mp_decode_map(L, c, mp_read_uint(L, c, 4)); break;
    default: /* 0xc1 and the ext types */
        luaL_error(L, "Bad data format in input.");
    }
}

/* Decodes one object at the cursor and pushes it. */
static void mp_decode_value(lua_State *L, MpCursor *c) {
    if (c->left == 0) mp_missing_bytes(L);
    unsigned char type = *c->p++;
    c->left--;
    if (type <= 0x7f) lua_pushnumber(L, type);
    else if (type <= 0x8f) mp_decode_map(L, c, type & 0x0f);
    else if (type <= 0x9f) mp_decode_array(L, c, type & 0x0f);
    else if (type <= 0xbf) mp_push_bytes(L, c, type & 0x1f);
    else if (type >= 0xe0) lua_pushnumber(L, (int8_t)type);
    else mp_decode_typed(L, c, type);
}

/* Decodes up to `limit` objects of argument 1 from `offset`, pushing them;
 * limit 0 with offset 0 means all of them (and limit 0 with any other
 * offset none, as in Redis). Stores the next offset (-1 at the end) in
 * *next. */
static int mp_unpack_objects(lua_State *L, lua_Integer limit, lua_Integer offset,
                             lua_Integer *next) {
    size_t len;
    const char *s = luaL_checklstring(L, 1, &len);
    if (offset < 0 || limit < 0)
        return luaL_error(L, "Invalid request to unpack with offset of %d and limit of %d.",
                          (int)offset, (int)len);
    if ((size_t)offset > len)
        return luaL_error(L, "Start offset %d greater than input length %d.", (int)offset,
                          (int)len);
    MpCursor c = {(const unsigned char *)s + offset, len - (size_t)offset};
    int decode_all = limit == 0 && offset == 0;
    int count = 0;
    while (c.left > 0 && (decode_all || count < limit)) {
        luaL_checkstack(L, 2, "too many MessagePack objects");
        mp_decode_value(L, &c);
        count++;
    }
    *next = c.left == 0 ? -1 : (lua_Integer)(len - c.left);
    return count;
}

static int mp_unpack(lua_State *L) {
    lua_Integer next;
    luaL_checkstring(L, 1);
    lua_settop(L, 1);
    return mp_unpack_objects(L, 0, 0, &next);
}

/* Runs the decoder and puts the next offset before the objects. */
static int mp_unpack_with_offset(lua_State *L, lua_Integer limit, lua_Integer offset) {
    lua_Integer next;
    lua_settop(L, 1);
    int count = mp_unpack_objects(L, limit, offset, &next);
    if (limit == 0 && offset == 0) return count; /* "all": no offset, like unpack */
    lua_pushinteger(L, next);
    lua_insert(L, 2);
    return count + 1;
}

static int mp_unpack_one(lua_State *L) {
    luaL_checkstring(L, 1);
    lua_Integer offset = luaL_optinteger(L, 2, 0);
    return mp_unpack_with_offset(L, 1, offset);
}

static int mp_unpack_limit(lua_State *L) {
    luaL_checkstring(L, 1);
    lua_Integer limit = luaL_checkinteger(L, 2);
    lua_Integer offset = luaL_optinteger(L, 3, 0);
    return mp_unpack_with_offset(L, limit, offset);
}

static const luaL_Reg cmsgpack_functions[] = {
    {"pack", mp_pack},
    {"unpack", mp_unpack},
    {"unpack_one", mp_unpack_one},
    {"unpack_limit", mp_unpack_limit},
    {NULL, NULL},
};

int lua_cmsgpack_open(lua_State *L) {
    luaL_register(L, "cmsgpack", cmsgpack_functions);
    /* The version string scripts may check names the API level served. */
    lua_pushliteral(L, "cmsgpack");
    lua_setfield(L, -2, "_NAME");
    lua_pushliteral(L, "lua-cmsgpack 0.4.0");
    lua_setfield(L, -2, "_VERSION");
    lua_pushliteral(L, "Copyright (C) keel contributors");
    lua_setfield(L, -2, "_COPYRIGHT");
    lua_pushliteral(L, "MessagePack C implementation for Lua");
    lua_setfield(L, -2, "_DESCRIPTION");
    return 1;
}
