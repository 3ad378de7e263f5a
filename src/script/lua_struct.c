/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/lua_struct.c: the `struct` Lua library scripts use to pack numbers
 * and strings into binary strings and back: struct.pack(fmt, ...),
 * struct.unpack(fmt, data [, pos]) and struct.size(fmt).
 *
 * keel's own implementation of the documented format language (the API of
 * Roberto Ierusalimschy's struct library as Redis and Valkey scripts see
 * it): '<' little endian, '>' big endian, '!n' maximum alignment n (a power
 * of 2; '!' alone: the platform's), ' ' ignored; integers b B (1 byte),
 * h H (short), l L (long), T (size_t), i I with an optional byte count
 * (1..32, default sizeof(int)); f d floats; x a zero pad byte; s a string
 * ended by '\0'; cN a fixed string of N bytes (c0: pack the whole string;
 * unpack a length given by the number just unpacked). Error texts match
 * Redis 7.0's (see tests/unit/lua_libs.tcl).
 *
 * Numbers are Lua 5.1 doubles: integers cross through int64 (wider fields
 * carry zero bytes above 64 bits when packed and drop them when unpacked).
 *
 * Threads: whichever thread owns the Lua state (main only in keel).
 */
#include "script/lua_libs.h"

#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <lauxlib.h>

#define STRUCT_MAX_INT_SIZE 32

/* Where the parser stands: byte order and the current alignment limit. */
typedef struct StructState {
    int little;         /* 1: little endian */
    size_t max_align;   /* items align to min(size, max_align); 1 = packed */
} StructState;

/* The platform's strictest alignment, used by a bare '!'. */
typedef struct {
    char c;
    union {
        double d;
        void *p;
        lua_Number n;
        long l;
    } u;
} StructNativeAlign;
#define STRUCT_NATIVE_ALIGN (offsetof(StructNativeAlign, u))

static int struct_native_is_little(void) {
    const uint16_t probe = 1;
    return *(const unsigned char *)&probe == 1;
}

static void struct_state_init(StructState *st) {
    st->little = struct_native_is_little();
    st->max_align = 1;
}

/* Reads the decimal count after an option, or returns default_count. */
static size_t struct_read_count(lua_State *L, const char **fmt, size_t default_count) {
    if (!isdigit((unsigned char)**fmt)) return default_count;
    size_t count = 0;
    while (isdigit((unsigned char)**fmt)) {
        if (count > ((size_t)INT_MAX - 9) / 10) luaL_error(L, "integral size overflow");
        count = count * 10 + (size_t)(*(*fmt)++ - '0');
    }
    return count;
}

/* Handles the options that emit nothing (' ', '<', '>', '!n'); returns 1
 * when opt was one of them. */
static int struct_control_option(lua_State *L, char opt, const char **fmt, StructState *st) {
    switch (opt) {
    case ' ':
        return 1;
    case '<':
        st->little = 1;
        return 1;
    case '>':
        st->little = 0;
        return 1;
    case '!': {
        size_t align = struct_read_count(L, fmt, STRUCT_NATIVE_ALIGN);
        if (align == 0 || (align & (align - 1)) != 0)
            luaL_error(L, "alignment %d is not a power of 2", (int)align);
        st->max_align = align;
        return 1;
    }
    default:
        return 0;
    }
}

/* The byte size of a data option (0 for 's' and 'c0'); sets *known to 0 for
 * a character that is no option at all. */
static size_t struct_option_size(lua_State *L, char opt, const char **fmt, int *known) {
    *known = 1;
    switch (opt) {
    case 'b': case 'B': case 'x':
        return 1;
    case 'h': case 'H':
        return sizeof(short);
    case 'l': case 'L':
        return sizeof(long);
    case 'T':
        return sizeof(size_t);
    case 'f':
        return sizeof(float);
    case 'd':
        return sizeof(double);
    case 's':
        return 0;
    case 'c':
        return struct_read_count(L, fmt, 1);
    case 'i': case 'I': {
        size_t size = struct_read_count(L, fmt, sizeof(int));
        if (size > STRUCT_MAX_INT_SIZE)
            luaL_error(L, "integral size %d is larger than limit of %d", (int)size,
                       STRUCT_MAX_INT_SIZE);
        return size;
    }
    default:
        *known = 0;
        return 0;
    }
}

/* Padding bytes before an item of `size` at offset `pos`. */
static size_t struct_padding(char opt, size_t size, size_t pos, const StructState *st) {
    if (size <= 1 || opt == 'c') return 0;
    size_t align = size < st->max_align ? size : st->max_align;
    return (align - (pos & (align - 1))) & (align - 1);
}

static int struct_is_integer_option(char opt) {
    return strchr("bBhHlLTiI", opt) != NULL;
}

static void struct_invalid_option(lua_State *L, char opt) {
    luaL_argerror(L, 1, lua_pushfstring(L, "invalid format option '%c'", opt));
}

/* The two's complement bits of n as an int64 (out of range and NaN: the
 * pattern x86 gives, INT64_MIN). */
static uint64_t struct_number_bits(lua_Number n) {
    if (n >= -9223372036854775808.0 && n < 9223372036854775808.0) return (uint64_t)(int64_t)n;
    if (n >= 0 && n < 18446744073709551616.0) return (uint64_t)n;
    return (uint64_t)1 << 63;
}

static void struct_put_int(luaL_Buffer *b, uint64_t value, size_t size, int little) {
    unsigned char bytes[STRUCT_MAX_INT_SIZE];
    for (size_t i = 0; i < size; i++) {
        unsigned char byte = i < 8 ? (unsigned char)(value >> (8 * i)) : 0;
        bytes[little ? i : size - 1 - i] = byte;
    }
    luaL_addlstring(b, (const char *)bytes, size);
}

/* Copies a native float/double into the buffer in the requested order. */
static void struct_put_raw(luaL_Buffer *b, const void *native, size_t size, int little) {
    const unsigned char *src = native;
    if (little == struct_native_is_little()) {
        luaL_addlstring(b, (const char *)src, size);
        return;
    }
    for (size_t i = 0; i < size; i++) luaL_addchar(b, (char)src[size - 1 - i]);
}

static void struct_get_raw(void *native, const char *data, size_t size, int little) {
    unsigned char *dst = native;
    if (little == struct_native_is_little()) {
        memcpy(dst, data, size);
        return;
    }
    for (size_t i = 0; i < size; i++) dst[i] = (unsigned char)data[size - 1 - i];
}

/* A missing argument reads as nil in the message, as in Redis 7.0 ("number
 * expected, got nil" rather than "got no value"). */
static void struct_check_present(lua_State *L, int arg, const char *expected) {
    if (lua_isnone(L, arg))
        luaL_argerror(L, arg, lua_pushfstring(L, "%s expected, got nil", expected));
}

/* Packs one data option taking its value from argument *arg; returns the
 * number of bytes written. */
static size_t struct_pack_item(lua_State *L, luaL_Buffer *b, char opt, size_t size, int *arg,
                               const StructState *st) {
    if (strchr("bBhHlLTiIfd", opt) != NULL) struct_check_present(L, *arg, "number");
    if (opt == 'c' || opt == 's') struct_check_present(L, *arg, "string");
    if (struct_is_integer_option(opt)) {
        lua_Number n = luaL_checknumber(L, (*arg)++);
        struct_put_int(b, struct_number_bits(n), size, st->little);
        return size;
    }
    switch (opt) {
    case 'x':
        luaL_addchar(b, '\0');
        return 1;
    case 'f': {
        float f = (float)luaL_checknumber(L, (*arg)++);
        struct_put_raw(b, &f, sizeof(f), st->little);
        return sizeof(f);
    }
    case 'd': {
        double d = (double)luaL_checknumber(L, (*arg)++);
        struct_put_raw(b, &d, sizeof(d), st->little);
        return sizeof(d);
    }
    case 'c': {
        size_t len;
        const char *s = luaL_checklstring(L, *arg, &len);
        if (size == 0) size = len;
        /* Redis 7.0 names the argument after this one here; kept alike. */
        luaL_argcheck(L, len >= size, *arg + 1, "string too short");
        (*arg)++;
        luaL_addlstring(b, s, size);
        return size;
    }
    default: { /* 's': the string and its terminating zero byte */
        size_t len;
        const char *s = luaL_checklstring(L, (*arg)++, &len);
        luaL_addlstring(b, s, len + 1);
        return len + 1;
    }
    }
}

static int struct_pack(lua_State *L) {
    const char *fmt = luaL_checkstring(L, 1);
    StructState st;
    struct_state_init(&st);
    luaL_Buffer b;
    int arg = 2;
    size_t pos = 0;
    luaL_buffinit(L, &b);
    while (*fmt) {
        char opt = *fmt++;
        if (struct_control_option(L, opt, &fmt, &st)) continue;
        int known;
        size_t size = struct_option_size(L, opt, &fmt, &known);
        if (!known) struct_invalid_option(L, opt);
        for (size_t pad = struct_padding(opt, size, pos, &st); pad > 0; pad--, pos++)
            luaL_addchar(&b, '\0');
        pos += struct_pack_item(L, &b, opt, size, &arg, &st);
    }
    luaL_pushresult(&b);
    return 1;
}

/* Reads an integer field of `size` bytes as a Lua number. */
static lua_Number struct_get_int(const char *data, size_t size, int little, int is_signed) {
    uint64_t value = 0;
    for (size_t i = 0; i < size; i++) {
        unsigned char byte = (unsigned char)data[little ? size - 1 - i : i];
        value = (value << 8) | byte;
    }
    if (is_signed && size > 0 && size < 8 && ((value >> (size * 8 - 1)) & 1))
        value |= ~(uint64_t)0 << (size * 8);
    return is_signed ? (lua_Number)(int64_t)value : (lua_Number)value;
}

static void struct_check_room(lua_State *L, size_t pos, size_t size, size_t len) {
    luaL_argcheck(L, pos <= len && size <= len - pos, 2, "data string too short");
}

/* Unpacks one data option at *pos, pushing its value (none for 'x');
 * returns how many values were pushed (-1 when 'c0' replaced the last). */
static int struct_unpack_item(lua_State *L, char opt, size_t size, const char *data, size_t len,
                              size_t *pos, const StructState *st, int pushed) {
    if (struct_is_integer_option(opt)) {
        struct_check_room(L, *pos, size, len);
        int is_signed = islower((unsigned char)opt);
        lua_pushnumber(L, struct_get_int(data + *pos, size, st->little, is_signed));
        *pos += size;
        return 1;
    }
    switch (opt) {
    case 'x':
        struct_check_room(L, *pos, 1, len);
        *pos += 1;
        return 0;
    case 'f': {
        float f;
        struct_check_room(L, *pos, sizeof(f), len);
        struct_get_raw(&f, data + *pos, sizeof(f), st->little);
        lua_pushnumber(L, (lua_Number)f);
        *pos += sizeof(f);
        return 1;
    }
    case 'd': {
        double d;
        struct_check_room(L, *pos, sizeof(d), len);
        struct_get_raw(&d, data + *pos, sizeof(d), st->little);
        lua_pushnumber(L, (lua_Number)d);
        *pos += sizeof(d);
        return 1;
    }
    case 'c': {
        int replaced = 0;
        if (size == 0) {
            if (pushed == 0 || !lua_isnumber(L, -1))
                luaL_error(L, "format 'c0' needs a previous size");
            lua_Number n = lua_tonumber(L, -1);
            size = n <= 0 ? 0 : n < (lua_Number)len + 1 ? (size_t)n : len + 1;
            lua_pop(L, 1);
            replaced = 1;
        }
        struct_check_room(L, *pos, size, len);
        lua_pushlstring(L, data + *pos, size);
        *pos += size;
        return replaced ? 0 : 1;
    }
    default: { /* 's' */
        const char *end = *pos < len ? memchr(data + *pos, '\0', len - *pos) : NULL;
        if (end == NULL) luaL_error(L, "unfinished string in data");
        size_t slen = (size_t)(end - (data + *pos));
        lua_pushlstring(L, data + *pos, slen);
        *pos += slen + 1;
        return 1;
    }
    }
}

static int struct_unpack(lua_State *L) {
    const char *fmt = luaL_checkstring(L, 1);
    size_t len;
    const char *data = luaL_checklstring(L, 2, &len);
    lua_Integer start = luaL_optinteger(L, 3, 1);
    luaL_argcheck(L, start != 0, 3, "offset must be 1 or greater");
    /* A negative start wraps to a huge offset: "data string too short". */
    size_t pos = (size_t)start - 1;
    struct_check_room(L, pos, 0, len);
    StructState st;
    struct_state_init(&st);
    lua_settop(L, 2);
    int pushed = 0;
    while (*fmt) {
        char opt = *fmt++;
        if (struct_control_option(L, opt, &fmt, &st)) continue;
        int known;
        size_t size = struct_option_size(L, opt, &fmt, &known);
        if (!known) struct_invalid_option(L, opt);
        pos += struct_padding(opt, size, pos, &st);
        luaL_checkstack(L, 2, "too many results");
        pushed += struct_unpack_item(L, opt, size, data, len, &pos, &st, pushed);
    }
    lua_pushnumber(L, (lua_Number)pos + 1);
    return pushed + 1;
}

static int struct_size(lua_State *L) {
    const char *fmt = luaL_checkstring(L, 1);
    StructState st;
    struct_state_init(&st);
    size_t pos = 0;
    while (*fmt) {
        char opt = *fmt++;
        if (struct_control_option(L, opt, &fmt, &st)) continue;
        int known;
        size_t size = struct_option_size(L, opt, &fmt, &known);
        if (!known) continue; /* Redis 7.0 counts unknown options as 0 bytes */
        if (opt == 's') luaL_argerror(L, 1, "option 's' has no fixed size");
        if (opt == 'c' && size == 0) luaL_argerror(L, 1, "option 'c0' has no fixed size");
        pos += struct_padding(opt, size, pos, &st) + size;
    }
    lua_pushnumber(L, (lua_Number)pos);
    return 1;
}

static const luaL_Reg struct_functions[] = {
    {"pack", struct_pack},
    {"unpack", struct_unpack},
    {"size", struct_size},
    {NULL, NULL},
};

int lua_struct_open(lua_State *L) {
    luaL_register(L, "struct", struct_functions);
    return 1;
}
