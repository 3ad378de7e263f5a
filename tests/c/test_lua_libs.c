/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_lua_libs.c: the Lua libraries scripts see (cjson, bit,
 * struct, cmsgpack) in a bare Lua state opened by lua_libs_open: known byte
 * encodings (checked against Redis 7.0), round trips, and bad input raising
 * a Lua error instead of crashing.
 */
#include <lauxlib.h>
#include <lualib.h>
#include <stdlib.h>

#include "script/lua_libs.h"
#include "test.h"

static lua_State *libs_state(void) {
    lua_State *L = luaL_newstate();
    luaL_openlibs(L);
    lua_libs_open(L);
    return L;
}

/* Runs code in L; returns NULL on success with the first result left as a
 * string in *out (length *out_len), or the error message. */
static const char *lua_run(lua_State *L, const char *code, const char **out, size_t *out_len) {
    lua_settop(L, 0);
    if (luaL_loadstring(L, code) != 0 || lua_pcall(L, 0, 1, 0) != 0) {
        const char *err = lua_tostring(L, -1);
        return err ? err : "(non-string error)";
    }
    *out = lua_tolstring(L, -1, out_len);
    return NULL;
}

/* Checks that code returns exactly the len bytes of expected. */
static void check_bytes(lua_State *L, const char *code, const char *expected, size_t len, int line) {
    const char *out = NULL;
    size_t out_len = 0;
    const char *err = lua_run(L, code, &out, &out_len);
    if (err) test_fail(__FILE__, line, "%s: error %s", code, err);
    if (out == NULL || out_len != len || memcmp(out, expected, len) != 0) {
        char hex[256] = "";
        for (size_t i = 0; out && i < out_len && i < 80; i++)
            snprintf(hex + strlen(hex), sizeof(hex) - strlen(hex), "%02x",
                     (unsigned char)out[i]);
        test_fail(__FILE__, line, "%s: got %zu bytes %s", code, out_len, hex);
    }
}
#define CHECK_BYTES(L, code, literal) check_bytes(L, code, literal, sizeof(literal) - 1, __LINE__)
#define CHECK_RESULT(L, code, text) check_bytes(L, code, text, strlen(text), __LINE__)

/* Checks that code raises an error whose message contains needle. */
static void check_error(lua_State *L, const char *code, const char *needle, int line) {
    const char *out;
    size_t out_len;
    const char *err = lua_run(L, code, &out, &out_len);
    if (err == NULL) test_fail(__FILE__, line, "%s: no error", code);
    if (strstr(err, needle) == NULL)
        test_fail(__FILE__, line, "%s: error \"%s\" lacks \"%s\"", code, err, needle);
}
#define CHECK_ERROR(L, code, needle) check_error(L, code, needle, __LINE__)

TEST(globals_are_opened) {
    lua_State *L = libs_state();
    CHECK_RESULT(L, "return type(cjson)..type(bit)..type(struct)..type(cmsgpack)",
                 "tabletabletabletable");
    CHECK_RESULT(L, "return type(cmsgpack.unpack_one)..type(cmsgpack.unpack_limit)"
                    "..type(struct.size)..type(cjson.decode_max_depth)..type(bit.tohex)",
                 "functionfunctionfunctionfunctionfunction");
    CHECK_RESULT(L, "return cmsgpack._NAME", "cmsgpack");
    lua_close(L);
}

TEST(struct_known_encodings) {
    lua_State *L = libs_state();
    CHECK_BYTES(L, "return struct.pack('>I2', 258)", "\1\2");
    CHECK_BYTES(L, "return struct.pack('<I2', 258)", "\2\1");
    CHECK_BYTES(L, "return struct.pack('<i', -2)", "\xfe\xff\xff\xff");
    CHECK_BYTES(L, "return struct.pack('!4 b i', 1, 2)", "\1\0\0\0\2\0\0\0");
    CHECK_BYTES(L, "return struct.pack('bxh', 1, 2)", "\1\0\2\0");
    CHECK_BYTES(L, "return struct.pack('s', 'ab')", "ab\0");
    CHECK_BYTES(L, "return struct.pack('c3', 'abcdef')", "abc");
    CHECK_BYTES(L, "return struct.pack('c0', 'abcdef')", "abcdef");
    CHECK_BYTES(L, "return struct.pack('>i10', -2)", "\0\0\xff\xff\xff\xff\xff\xff\xff\xfe");
    CHECK_BYTES(L, "return struct.pack('>l', 1)", "\0\0\0\0\0\0\0\1");
    CHECK_BYTES(L, "return struct.pack('B', 300)", "\x2c");
    CHECK_BYTES(L, "return struct.pack('b', -1.7)", "\xff");
    CHECK_BYTES(L, "return struct.pack('<f', 1.5)", "\0\0\xc0\x3f");
    CHECK_BYTES(L, "return struct.pack('>d', 2)", "\x40\0\0\0\0\0\0\0");
    CHECK_BYTES(L, "return struct.pack('>I2', '12')", "\0\x0c");
    CHECK_BYTES(L, "return struct.pack('i0', 1)", "");
    CHECK_RESULT(L, "return struct.size('!4 b i')", "8");
    CHECK_RESULT(L, "return struct.size('! b i2 d')", "16");
    CHECK_RESULT(L, "return struct.size('!2 b d')", "10");
    CHECK_RESULT(L, "return struct.size('! b c2 h')", "6");
    CHECK_RESULT(L, "return struct.size('c3 d')", "11");
    lua_close(L);
}

TEST(struct_unpack_and_round_trips) {
    lua_State *L = libs_state();
    CHECK_RESULT(L, "return table.concat({struct.unpack('>I2', '\\1\\2')}, ' ')", "258 3");
    CHECK_RESULT(L, "return table.concat({struct.unpack('>I2', '\\1\\2\\3', 2)}, ' ')", "515 4");
    CHECK_RESULT(L, "return table.concat({struct.unpack('s', 'ab\\0c')}, ' ')", "ab 4");
    CHECK_RESULT(L, "return table.concat({struct.unpack('bc0', '\\2abc')}, ' ')", "ab 4");
    CHECK_RESULT(L, "return table.concat({struct.unpack('<i3', '\\255\\255\\255')}, ' ')", "-1 4");
    CHECK_RESULT(L, "return table.concat({struct.unpack('<I3', '\\255\\255\\255')}, ' ')",
                 "16777215 4");
    CHECK_RESULT(L, "return table.concat({struct.unpack('! b h', '\\1\\0\\2\\0')}, ' ')",
                 "1 2 5");
    CHECK_RESULT(L, "return table.concat({struct.unpack('x b', '\\1\\2')}, ' ')", "2 3");
    CHECK_RESULT(L, "return table.concat({struct.unpack('', 'abc')}, ' ')", "1");
    CHECK_RESULT(L,
                 "local fmt = '>!4 b h i l f d c3 s B H I2 i7'\n"
                 "local s = struct.pack(fmt, -5, -300, 70000, -2^40, 0.5, 0.1, 'xyz', 'zs',"
                 "  200, 65535, 513, -123456789)\n"
                 "local t = {struct.unpack(fmt, s)}\n"
                 "assert(#t == 13 and t[13] == #s + 1 and #s == 47)\n"
                 "return table.concat(t, ',', 1, 12)",
                 "-5,-300,70000,-1099511627776,0.5,0.1,xyz,zs,200,65535,513,-123456789");
    lua_close(L);
}

TEST(struct_errors) {
    lua_State *L = libs_state();
    CHECK_ERROR(L, "return struct.pack('c5', 'ab')", "bad argument #3 to 'pack' (string too short)");
    CHECK_ERROR(L, "return struct.pack('i33', 1)", "integral size 33 is larger than limit of 32");
    CHECK_ERROR(L, "return struct.pack('q', 1)", "invalid format option 'q'");
    CHECK_ERROR(L, "return struct.pack('!3 b', 1)", "alignment 3 is not a power of 2");
    CHECK_ERROR(L, "return struct.pack('>I2')", "bad argument #2 to 'pack' (number expected, got nil)");
    CHECK_ERROR(L, "return struct.pack('c2')", "bad argument #2 to 'pack' (string expected, got nil)");
    CHECK_ERROR(L, "return struct.pack('>I2', 'x')", "number expected, got string");
    CHECK_ERROR(L, "return struct.pack()", "string expected, got no value");
    CHECK_ERROR(L, "return struct.size('i1234567890123')", "integral size overflow");
    CHECK_ERROR(L, "return struct.unpack('>I2', '\\1')", "data string too short");
    CHECK_ERROR(L, "return struct.unpack('>I2', '\\1\\2\\3', 0)", "offset must be 1 or greater");
    CHECK_ERROR(L, "return struct.unpack('>I2', '\\1\\2\\3', -1)", "data string too short");
    CHECK_ERROR(L, "return struct.unpack('s', 'ab')", "unfinished string in data");
    CHECK_ERROR(L, "return struct.unpack('c0', 'abc')", "format 'c0' needs a previous size");
    CHECK_ERROR(L, "return struct.unpack('B c0', '\\200abc')", "data string too short");
    CHECK_RESULT(L, "return table.concat({struct.unpack('b c0', '\\200abc')}, ' ')", " 2");
    CHECK_ERROR(L, "return struct.size('s')", "option 's' has no fixed size");
    CHECK_ERROR(L, "return struct.size('c0')", "option 'c0' has no fixed size");
    lua_close(L);
}

TEST(cmsgpack_known_encodings) {
    lua_State *L = libs_state();
    CHECK_BYTES(L, "return cmsgpack.pack(1)", "\1");
    CHECK_BYTES(L, "return cmsgpack.pack(-1)", "\xff");
    CHECK_BYTES(L, "return cmsgpack.pack(-32)", "\xe0");
    CHECK_BYTES(L, "return cmsgpack.pack(-33)", "\xd0\xdf");
    CHECK_BYTES(L, "return cmsgpack.pack(128)", "\xcc\x80");
    CHECK_BYTES(L, "return cmsgpack.pack(-129)", "\xd1\xff\x7f");
    CHECK_BYTES(L, "return cmsgpack.pack(65536)", "\xce\0\1\0\0");
    CHECK_BYTES(L, "return cmsgpack.pack(4294967296)", "\xcf\0\0\0\1\0\0\0\0");
    CHECK_BYTES(L, "return cmsgpack.pack(-2^31)", "\xd2\x80\0\0\0");
    CHECK_BYTES(L, "return cmsgpack.pack(-2^31-1)", "\xd3\xff\xff\xff\xff\x7f\xff\xff\xff");
    CHECK_BYTES(L, "return cmsgpack.pack(-2^63)", "\xd3\x80\0\0\0\0\0\0\0");
    CHECK_BYTES(L, "return cmsgpack.pack(2^63)", "\xca\x5f\0\0\0");
    CHECK_BYTES(L, "return cmsgpack.pack(-0.0)", "\0");
    CHECK_BYTES(L, "return cmsgpack.pack(1.5)", "\xca\x3f\xc0\0\0");
    CHECK_BYTES(L, "return cmsgpack.pack(0.1)", "\xcb\x3f\xb9\x99\x99\x99\x99\x99\x9a");
    CHECK_BYTES(L, "return cmsgpack.pack(1/0)", "\xca\x7f\x80\0\0");
    CHECK_BYTES(L, "return cmsgpack.pack(1e300)", "\xcb\x7e\x37\xe4\x3c\x88\x00\x75\x9c");
    CHECK_BYTES(L, "return cmsgpack.pack(nil, true, false)", "\xc0\xc3\xc2");
    CHECK_BYTES(L, "return cmsgpack.pack('a')", "\xa1" "a");
    CHECK_BYTES(L, "return cmsgpack.pack(string.rep('a', 31)):sub(1, 2)", "\xbf" "a");
    CHECK_BYTES(L, "return cmsgpack.pack(string.rep('a', 32)):sub(1, 3)", "\xd9\x20" "a");
    CHECK_BYTES(L, "return cmsgpack.pack(string.rep('a', 255)):sub(1, 3)", "\xd9\xff" "a");
    CHECK_BYTES(L, "return cmsgpack.pack(string.rep('a', 256)):sub(1, 4)", "\xda\1\0" "a");
    CHECK_BYTES(L, "return cmsgpack.pack(string.rep('a', 65536)):sub(1, 6)", "\xdb\0\1\0\0" "a");
    CHECK_BYTES(L, "return cmsgpack.pack({1,2})", "\x92\1\2");
    CHECK_BYTES(L, "local t = {} for i = 1, 15 do t[i] = 0 end return cmsgpack.pack(t):sub(1, 2)",
                "\x9f\0");
    CHECK_BYTES(L, "return cmsgpack.pack(65535, 255, 127, -128, -32768)",
                "\xcd\xff\xff\xcc\xff\x7f\xd0\x80\xd1\x80\0");
    CHECK_BYTES(L, "return cmsgpack.pack({})", "\x90");
    CHECK_BYTES(L, "return cmsgpack.pack({a=1})", "\x81\xa1" "a\1");
    CHECK_BYTES(L, "return cmsgpack.pack({[2]=1})", "\x81\2\1");
    CHECK_BYTES(L, "return cmsgpack.pack({1,{a={true}}})", "\x92\1\x81\xa1" "a\x91\xc3");
    CHECK_BYTES(L, "local t = {} for i = 1, 16 do t[i] = i end return cmsgpack.pack(t):sub(1, 4)",
                "\xdc\0\x10\1");
    CHECK_BYTES(L, "local t = {} for i = 1, 16 do t['k'..i] = i end return cmsgpack.pack(t):sub(1, 3)",
                "\xde\0\x10");
    CHECK_BYTES(L, "local t = {} for i = 1, 65536 do t[i] = 0 end return cmsgpack.pack(t):sub(1, 6)",
                "\xdd\0\1\0\0\0");
    CHECK_BYTES(L, "local t = {} for i = 1, 65536 do t['k'..i] = 0 end return cmsgpack.pack(t):sub(1, 5)",
                "\xdf\0\1\0\0");
    CHECK_BYTES(L, "return cmsgpack.pack({1, 2, x = 3}):sub(1, 1)", "\x83");
    CHECK_BYTES(L, "return cmsgpack.pack({[1.5] = 1})", "\x81\xca\x3f\xc0\0\0\1");
    CHECK_BYTES(L, "return cmsgpack.pack(print)", "\xc0");
    /* Tables nested deeper than 16 levels pack as nil. */
    CHECK_BYTES(L, "local t = {} t[1] = t return cmsgpack.pack(t)",
                "\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\x91\xc0");
    lua_close(L);
}

TEST(cmsgpack_round_trips) {
    lua_State *L = libs_state();
    CHECK_RESULT(L,
                 "local vals = {0, 1, -1, 127, 128, 255, 256, 65535, 65536, -32, -33, -128, -129,"
                 "  -32768, -32769, 2^31, -2^31, 2^32, 2^53, -2^53, -2^63, 0.5, 0.1, -1e300, 1/0,"
                 "  'x', string.rep('y', 300), string.rep('z', 70000), true, false}\n"
                 "for _, v in ipairs(vals) do\n"
                 "  local back = cmsgpack.unpack(cmsgpack.pack(v))\n"
                 "  if back ~= v then return 'mismatch ' .. tostring(v) end\n"
                 "end\n"
                 "local n = cmsgpack.unpack(cmsgpack.pack(0/0)) assert(n ~= n)\n"
                 "local big = {} for i = 1, 70000 do big[i] = i end\n"
                 "local t = cmsgpack.unpack(cmsgpack.pack({a = {1, 2, {b = 'c'}}, [5] = big}))\n"
                 "assert(t.a[3].b == 'c' and #t[5] == 70000 and t[5][70000] == 70000)\n"
                 "return table.concat({cmsgpack.unpack(cmsgpack.pack(1, 'two', 3))}, ',')",
                 "1,two,3");
    CHECK_RESULT(L, "return table.concat({cmsgpack.unpack_one('\\1\\2')}, ' ')", "1 1");
    CHECK_RESULT(L, "return table.concat({cmsgpack.unpack_one('\\1\\2', 1)}, ' ')", "-1 2");
    CHECK_RESULT(L, "return table.concat({cmsgpack.unpack_one('')}, ' ')", "-1");
    CHECK_RESULT(L, "return table.concat({cmsgpack.unpack_limit('\\1\\2\\3', 2)}, ' ')", "2 1 2");
    CHECK_RESULT(L, "return table.concat({cmsgpack.unpack_limit('\\1\\2\\3', 0)}, ' ')", "1 2 3");
    CHECK_RESULT(L, "return table.concat({cmsgpack.unpack_limit('\\1\\2\\3', 0, 1)}, ' ')", "1");
    CHECK_RESULT(L, "return table.concat({cmsgpack.unpack_limit('\\1\\2\\3', 5)}, ' ')",
                 "-1 1 2 3");
    CHECK_RESULT(L, "return table.concat({cmsgpack.unpack_limit('', 1)}, ' ')", "-1");
    CHECK_RESULT(L, "return table.concat({cmsgpack.unpack_limit('\\1\\2\\3', 1, 1)}, ' ')", "2 2");
    CHECK_RESULT(L, "return select('#', cmsgpack.unpack(''))", "0");
    CHECK_RESULT(L, "return cmsgpack.unpack('\\217\\2ab')", "ab");
    CHECK_RESULT(L, "return cmsgpack.unpack('\\196\\2ab')", "ab"); /* bin 8 */
    CHECK_RESULT(L, "return cmsgpack.unpack('\\197\\0\\2ab')", "ab"); /* bin 16 */
    CHECK_RESULT(L, "return cmsgpack.unpack('\\207\\255\\255\\255\\255\\255\\255\\255\\255')", "-1");
    CHECK_RESULT(L, "return cmsgpack.unpack('\\220\\0\\1\\7')[1]", "7");
    CHECK_RESULT(L, "return cmsgpack.unpack('\\222\\0\\1\\1\\2')[1]", "2");
    lua_close(L);
}

TEST(cmsgpack_bad_input_raises_errors) {
    lua_State *L = libs_state();
    CHECK_ERROR(L, "return cmsgpack.pack()", "bad argument #0 to 'pack' (MessagePack pack needs input.)");
    CHECK_ERROR(L, "return cmsgpack.unpack()", "string expected, got no value");
    CHECK_ERROR(L, "return cmsgpack.unpack('\\205')", "Missing bytes in input.");
    CHECK_ERROR(L, "return cmsgpack.unpack('\\145')", "Missing bytes in input.");
    CHECK_ERROR(L, "return cmsgpack.unpack('\\219\\0\\0\\0\\3ab')", "Missing bytes in input.");
    CHECK_ERROR(L, "return cmsgpack.unpack('\\221\\255\\255\\255\\255')", "Missing bytes in input.");
    CHECK_ERROR(L, "return cmsgpack.unpack('\\223\\255\\255\\255\\255\\1')", "Missing bytes in input.");
    CHECK_ERROR(L, "return cmsgpack.unpack('\\193')", "Bad data format in input.");
    CHECK_ERROR(L, "return cmsgpack.unpack('\\199\\1\\1a')", "Bad data format in input.");
    CHECK_ERROR(L, "return cmsgpack.unpack('\\212\\1\\1')", "Bad data format in input.");
    CHECK_ERROR(L, "return cmsgpack.unpack('\\129\\192\\1')", "table index is nil");
    CHECK_ERROR(L, "return cmsgpack.unpack_one('\\1\\2', -1)",
                "Invalid request to unpack with offset of -1 and limit of 2.");
    CHECK_ERROR(L, "return cmsgpack.unpack_limit('\\1\\2', -1)",
                "Invalid request to unpack with offset of 0 and limit of 2.");
    CHECK_ERROR(L, "return cmsgpack.unpack_one('\\1\\2', 5)",
                "Start offset 5 greater than input length 2.");
    CHECK_ERROR(L, "return cmsgpack.unpack_limit('\\1\\2')", "number expected, got no value");
    /* Very deep nesting fails cleanly (stack limit), never overflows the C stack. */
    CHECK_ERROR(L, "return cmsgpack.unpack(string.rep('\\145', 100000) .. '\\1')", "stack overflow");
    /* Every prefix of a valid encoding is refused, and random bytes never crash. */
    CHECK_RESULT(L,
                 "local s = cmsgpack.pack({1, 'abc', {x = 2^40, y = -0.25}, true, 2^33})\n"
                 "for i = 1, #s - 1 do\n"
                 "  if pcall(cmsgpack.unpack, s:sub(1, i)) then return 'accepted prefix ' .. i end\n"
                 "end\n"
                 "math.randomseed(7)\n"
                 "for i = 1, 20000 do\n"
                 "  local b = {} for j = 1, math.random(1, 12) do b[j] = string.char(math.random(0, 255)) end\n"
                 "  pcall(cmsgpack.unpack, table.concat(b))\n"
                 "end\n"
                 "return 'ok'",
                 "ok");
    lua_close(L);
}

TEST(cjson_and_bit) {
    lua_State *L = libs_state();
    CHECK_RESULT(L, "return cjson.encode({1, 2, {a = 1}})", "[1,2,{\"a\":1}]");
    CHECK_RESULT(L, "return cjson.encode(cjson.null)", "null");
    CHECK_RESULT(L, "local t = cjson.decode('{\"a\":[1,2,{\"b\":\"c\"}]}') return t.a[3].b", "c");
    CHECK_RESULT(L, "return cjson.decode('[null]')[1] == cjson.null and 'yes' or 'no'", "yes");
    CHECK_ERROR(L, "return cjson.decode('{bad')", "Expected object key string");
    CHECK_ERROR(L, "return cjson.encode({1, 2, [20] = 3})", "excessively sparse array");
    CHECK_ERROR(L, "cjson.decode_max_depth(2) return cjson.decode('[[[1]]]')", "too many nested");
    CHECK_RESULT(L, "return bit.tohex(255)", "000000ff");
    CHECK_RESULT(L, "return bit.band(0xff, 0x0f)", "15");
    CHECK_RESULT(L, "return bit.bor(1, 2, 4)", "7");
    CHECK_RESULT(L, "return bit.bxor(5, 3)", "6");
    CHECK_RESULT(L, "return bit.tobit(2^32 + 1)", "1");
    CHECK_RESULT(L, "return bit.lshift(1, 31)", "-2147483648");
    CHECK_RESULT(L, "return bit.rshift(-1, 28)", "15");
    CHECK_RESULT(L, "return bit.arshift(-256, 4)", "-16");
    CHECK_RESULT(L, "return bit.bnot(0)", "-1");
    CHECK_RESULT(L, "return bit.bswap(0x12345678) == 0x78563412 and 'ok' or 'no'", "ok");
    lua_close(L);
}
