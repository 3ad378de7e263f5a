# tests/unit/lua_libs.tcl: the Lua libraries scripts see as globals
# (cmsgpack, struct, cjson, bit), checked through EVAL: known byte
# encodings, round trips and error texts, the same facts as
# tests/c/test_lua_libs.c checks in a bare Lua state.
#
# Every test passes against Debian's redis-server 7.0 too, except MessagePack
# bin decoding (keel decodes bin 8/16/32 as strings, Redis 7.0 refuses them),
# which skips itself there. While the server has no EVAL every test skips.

# True if the server knows EVAL (COMMAND INFO replies a nil entry for an
# unknown command).
proc lua_libs_server_has_eval {} {
    return [expr {[lindex [r command info eval] 0] ne ""}]
}

# The hex digits of what a script returns (a binary string).
proc lua_libs_hex {script} {
    binary scan [r eval $script 0] H* hex
    return $hex
}

start_server {tags {scripting}} {
    set has_eval [lua_libs_server_has_eval]

    # ---- the globals ----

    test "Scripts see cjson, bit, struct and cmsgpack as tables" {
        skip_unless {$has_eval} "server has no EVAL"
        assert_equal tabletabletabletable \
            [r eval {return type(cjson)..type(bit)..type(struct)..type(cmsgpack)} 0]
        assert_equal "pack unpack unpack_limit unpack_one" [r eval {
            local names = {}
            for k, v in pairs(cmsgpack) do
                if type(v) == 'function' then names[#names + 1] = k end
            end
            table.sort(names)
            return table.concat(names, ' ')
        } 0]
        assert_equal "pack size unpack" [r eval {
            local names = {}
            for k in pairs(struct) do names[#names + 1] = k end
            table.sort(names)
            return table.concat(names, ' ')
        } 0]
    }

    # ---- cmsgpack ----

    test "cmsgpack.pack integers use the smallest MessagePack form" {
        skip_unless {$has_eval} "server has no EVAL"
        foreach {expr hex} {
            1 01  -1 ff  -32 e0  -33 d0df  127 7f  128 cc80  255 ccff  256 cd0100
            -129 d1ff7f  65536 ce00010000  4294967295 ceffffffff
            4294967296 cf0000000100000000  -2^31 d280000000
            -2^31-1 d3ffffffff7fffffff  -2^63 d38000000000000000
            2^53 cf0020000000000000  -0.0 00
        } {
            assert_equal $hex [lua_libs_hex "return cmsgpack.pack($expr)"] $expr
        }
    }

    test "cmsgpack.pack floats: float32 when exact, else float64" {
        skip_unless {$has_eval} "server has no EVAL"
        foreach {expr hex} {
            1.5 ca3fc00000  0.1 cb3fb999999999999a  1/0 ca7f800000  -1/0 caff800000
            2^63 ca5f000000  2^64 ca5f800000  1e300 cb7e37e43c8800759c
        } {
            assert_equal $hex [lua_libs_hex "return cmsgpack.pack($expr)"] $expr
        }
    }

    test "cmsgpack.pack nil, booleans, strings and several values" {
        skip_unless {$has_eval} "server has no EVAL"
        assert_equal c0c3c2 [lua_libs_hex {return cmsgpack.pack(nil, true, false)}]
        assert_equal a161 [lua_libs_hex {return cmsgpack.pack('a')}]
        assert_equal a0 [lua_libs_hex {return cmsgpack.pack('')}]
        assert_equal bf61 [lua_libs_hex {return cmsgpack.pack(string.rep('a', 31)):sub(1, 2)}]
        assert_equal d92061 [lua_libs_hex {return cmsgpack.pack(string.rep('a', 32)):sub(1, 3)}]
        assert_equal d9ff61 [lua_libs_hex {return cmsgpack.pack(string.rep('a', 255)):sub(1, 3)}]
        assert_equal da010061 [lua_libs_hex {return cmsgpack.pack(string.rep('a', 256)):sub(1, 4)}]
        assert_equal db0001000061 \
            [lua_libs_hex {return cmsgpack.pack(string.rep('a', 65536)):sub(1, 6)}]
        assert_equal 01a27477 [lua_libs_hex {return cmsgpack.pack(1, 'tw')}]
    }

    test "cmsgpack.pack tables: arrays, maps, nesting" {
        skip_unless {$has_eval} "server has no EVAL"
        assert_equal 920102 [lua_libs_hex {return cmsgpack.pack({1, 2})}]
        assert_equal 9f00 [lua_libs_hex {
            local t = {} for i = 1, 15 do t[i] = 0 end
            return cmsgpack.pack(t):sub(1, 2)
        }]
        assert_equal 90 [lua_libs_hex {return cmsgpack.pack({})}]
        assert_equal 81a16101 [lua_libs_hex {return cmsgpack.pack({a = 1})}]
        assert_equal 810201 [lua_libs_hex {return cmsgpack.pack({[2] = 1})}]
        assert_equal 8201010303 [lua_libs_hex {return cmsgpack.pack({1, nil, 3})}]
        assert_equal 920181a16191c3 [lua_libs_hex {return cmsgpack.pack({1, {a = {true}}})}]
        assert_equal dc001001 [lua_libs_hex {
            local t = {} for i = 1, 16 do t[i] = i end
            return cmsgpack.pack(t):sub(1, 4)
        }]
        assert_equal de0010 [lua_libs_hex {
            local t = {} for i = 1, 16 do t['k' .. i] = i end
            return cmsgpack.pack(t):sub(1, 3)
        }]
        assert_equal dd000100000 [string range [lua_libs_hex {
            local t = {} for i = 1, 65536 do t[i] = 0 end
            return cmsgpack.pack(t):sub(1, 6)
        }] 0 10]
        assert_equal df00010000 [lua_libs_hex {
            local t = {} for i = 1, 65536 do t['k' .. i] = 0 end
            return cmsgpack.pack(t):sub(1, 5)
        }]
        assert_equal 83 [lua_libs_hex {return cmsgpack.pack({1, 2, x = 3}):sub(1, 1)}]
        assert_equal 81ca3fc0000001 [lua_libs_hex {return cmsgpack.pack({[1.5] = 1})}]
        # Deeper than 16 levels packs as nil.
        assert_equal "[string repeat 91 16]c0" \
            [lua_libs_hex {local t = {} t[1] = t return cmsgpack.pack(t)}]
    }

    test "cmsgpack round trips" {
        skip_unless {$has_eval} "server has no EVAL"
        assert_equal ok [r eval {
            local vals = {0, 1, -1, 127, 128, 255, 256, 65535, 65536, -32, -33, -128,
                -129, -32768, -32769, 2^31, -2^31, 2^32, 2^53, -2^53, 0.5, 0.1, -1e300,
                1/0, 'x', string.rep('y', 300), string.rep('z', 70000), true, false}
            for _, v in ipairs(vals) do
                if cmsgpack.unpack(cmsgpack.pack(v)) ~= v then return tostring(v) end
            end
            local t = cmsgpack.unpack(cmsgpack.pack({a = {1, 2, {b = 'c'}}, [5] = 'v'}))
            if t.a[3].b ~= 'c' or t[5] ~= 'v' or #t.a ~= 3 then return 'table' end
            return 'ok'
        } 0]
        assert_equal {1 two 3} [r eval {return {cmsgpack.unpack(cmsgpack.pack(1, 'two', 3))}} 0]
    }

    test "cmsgpack.unpack_one and unpack_limit return the next offset first" {
        skip_unless {$has_eval} "server has no EVAL"
        assert_equal {1 1} [r eval {return {cmsgpack.unpack_one('\1\2')}} 0]
        assert_equal {-1 2} [r eval {return {cmsgpack.unpack_one('\1\2', 1)}} 0]
        assert_equal {-1} [r eval {return {cmsgpack.unpack_one('')}} 0]
        assert_equal {2 1 2} [r eval {return {cmsgpack.unpack_limit('\1\2\3', 2)}} 0]
        assert_equal {-1 1 2 3} [r eval {return {cmsgpack.unpack_limit('\1\2\3', 5)}} 0]
        # Limit 0 from offset 0 is unpack (no offset); from elsewhere, nothing.
        assert_equal {1 2 3} [r eval {return {cmsgpack.unpack_limit('\1\2\3', 0)}} 0]
        assert_equal {1} [r eval {return {cmsgpack.unpack_limit('\1\2\3', 0, 1)}} 0]
        assert_equal {-1} [r eval {return {cmsgpack.unpack_limit('', 1)}} 0]
        assert_equal {2 2} [r eval {return {cmsgpack.unpack_limit('\1\2\3', 1, 1)}} 0]
        assert_equal 0 [r eval {return select('#', cmsgpack.unpack(''))} 0]
    }

    test "cmsgpack.unpack decodes str8/16/32, array16, map16, uint64" {
        skip_unless {$has_eval} "server has no EVAL"
        assert_equal ab [r eval {return cmsgpack.unpack('\217\2ab')} 0]
        assert_equal ab [r eval {return cmsgpack.unpack('\218\0\2ab')} 0]
        assert_equal ab [r eval {return cmsgpack.unpack('\219\0\0\0\2ab')} 0]
        assert_equal 7 [r eval {return cmsgpack.unpack('\220\0\1\7')[1]} 0]
        assert_equal 2 [r eval {return cmsgpack.unpack('\222\0\1\1\2')[1]} 0]
        assert_equal 1.5 [r eval {return tostring(cmsgpack.unpack('\202\63\192\0\0'))} 0]
        assert_equal -1 [r eval {
            return tostring(cmsgpack.unpack('\207\255\255\255\255\255\255\255\255'))
        } 0]
    }

    test "cmsgpack.unpack decodes bin 8/16/32 as strings (keel)" {
        skip_unless {$has_eval} "server has no EVAL"
        skip_unless {![catch {r eval {return cmsgpack.unpack('\196\1a')} 0}]} \
            "Redis 7.0's cmsgpack refuses bin"
        assert_equal ab [r eval {return cmsgpack.unpack('\196\2ab')} 0]
        assert_equal ab [r eval {return cmsgpack.unpack('\197\0\2ab')} 0]
        assert_equal ab [r eval {return cmsgpack.unpack('\198\0\0\0\2ab')} 0]
    }

    test "cmsgpack errors: no input, truncated and garbage data" {
        skip_unless {$has_eval} "server has no EVAL"
        assert_error {*bad argument #0 to 'pack' (MessagePack pack needs input.)*} \
            {r eval {return cmsgpack.pack()} 0}
        assert_error {*bad argument #1 to 'unpack' (string expected, got no value)*} \
            {r eval {return cmsgpack.unpack()} 0}
        foreach data {{\205} {\145} {\219\0\0\0\3ab} {\221\255\255\255\255} {\1\2\204}} {
            assert_error {*Missing bytes in input.*} \
                [list r eval "return cmsgpack.unpack('$data')" 0]
        }
        foreach data {{\193} {\199\1\1a} {\212\1\1} {\1\2\193}} {
            assert_error {*Bad data format in input.*} \
                [list r eval "return cmsgpack.unpack('$data')" 0]
        }
        assert_error {*table index is nil*} {r eval {return cmsgpack.unpack('\129\192\1')} 0}
        assert_error {*Invalid request to unpack with offset of -1 and limit of 2.*} \
            {r eval {return cmsgpack.unpack_one('\1\2', -1)} 0}
        assert_error {*Invalid request to unpack with offset of 0 and limit of 2.*} \
            {r eval {return cmsgpack.unpack_limit('\1\2', -1)} 0}
        assert_error {*Start offset 5 greater than input length 2.*} \
            {r eval {return cmsgpack.unpack_one('\1\2', 5)} 0}
        assert_error {*bad argument #2 to 'unpack_limit' (number expected, got no value)*} \
            {r eval {return cmsgpack.unpack_limit('\1\2')} 0}
        # Every strict prefix of an encoding is refused; the server lives on.
        assert_equal ok [r eval {
            local s = cmsgpack.pack({1, 'abc', {x = 2^40, y = -0.25}, true, 2^33})
            for i = 1, #s - 1 do
                if pcall(cmsgpack.unpack, s:sub(1, i)) then return 'prefix ' .. i end
            end
            return 'ok'
        } 0]
        assert_equal PONG [r ping]
    }

    # ---- struct ----

    test "struct.pack known encodings" {
        skip_unless {$has_eval} "server has no EVAL"
        foreach {call hex} {
            {'>I2', 258} 0102  {'<I2', 258} 0201  {'<i', -2} feffffff
            {'!4 b i', 1, 2} 0100000002000000  {'bxh', 1, 2} 01000200
            {'s', 'ab'} 616200  {'c3', 'abcdef'} 616263  {'c0', 'abcdef'} 616263646566
            {'>i10', -2} 0000fffffffffffffffe  {'>l', 1} 0000000000000001
            {'B', 300} 2c  {'b', -1.7} ff  {'<f', 1.5} 0000c03f  {'>d', 2} 4000000000000000
            {'>I2', '12'} 000c  {'i0', 1} {}
            {'! b d', 1, 2} 01000000000000000000000000000040
        } {
            assert_equal $hex [lua_libs_hex "return struct.pack($call)"] $call
        }
    }

    test "struct.unpack values and the next position" {
        skip_unless {$has_eval} "server has no EVAL"
        foreach {call result} {
            {'>I2', '\1\2'} {258 3}  {'>I2', '\1\2\3', 2} {515 4}  {'s', 'ab\0c'} {ab 4}
            {'bc0', '\2abc'} {ab 4}  {'<i3', '\255\255\255'} {-1 4}
            {'<I3', '\255\255\255'} {16777215 4}  {'! b h', '\1\0\2\0'} {1 2 5}
            {'x b', '\1\2'} {2 3}  {'', 'abc'} {1}  {'b', 'abc', 2.7} {98 3}
            {'>i10', '\0\1\255\255\255\255\255\255\255\254'} {-2 11}
        } {
            assert_equal $result [r eval "return {struct.unpack($call)}" 0] $call
        }
        assert_equal ok [r eval {
            local fmt = '>!4 b h i l f d c3 s B H I2 i7'
            local s = struct.pack(fmt, -5, -300, 70000, -2^40, 0.5, 0.1, 'xyz', 'zs',
                200, 65535, 513, -123456789)
            local t = {struct.unpack(fmt, s)}
            local want = '-5,-300,70000,-1099511627776,0.5,0.1,xyz,zs,200,65535,513,-123456789'
            if #s ~= 47 or t[13] ~= 48 or table.concat(t, ',', 1, 12) ~= want then
                return table.concat(t, ',')
            end
            return 'ok'
        } 0]
    }

    test "struct.size" {
        skip_unless {$has_eval} "server has no EVAL"
        foreach {fmt size} {
            {!4 b i} 8  {! b i2 d} 16  {!2 b d} 10  {! b c2 h} 6  {c3 d} 11  {! T L} 16
            {!16 d} 8  {! x d} 16  {q} 0
        } {
            assert_equal $size [r eval "return struct.size('$fmt')" 0] $fmt
        }
    }

    test "struct errors" {
        skip_unless {$has_eval} "server has no EVAL"
        foreach {call pattern} {
            {pack('c5', 'ab')} {*bad argument #3 to 'pack' (string too short)*}
            {pack('i33', 1)} {*integral size 33 is larger than limit of 32*}
            {pack('q', 1)} {*bad argument #1 to 'pack' (invalid format option 'q')*}
            {pack('=H', 1)} {*invalid format option '='*}
            {size('!3 b')} {*alignment 3 is not a power of 2*}
            {size('!0 h')} {*alignment 0 is not a power of 2*}
            {pack('>I2')} {*bad argument #2 to 'pack' (number expected, got nil)*}
            {pack('>I2', 'x')} {*bad argument #2 to 'pack' (number expected, got string)*}
            {pack()} {*bad argument #1 to 'pack' (string expected, got no value)*}
            {size('i1234567890123')} {*integral size overflow*}
            {unpack('>I2', '\1')} {*bad argument #2 to 'unpack' (data string too short)*}
            {unpack('>I2', '\1\2\3', 0)} {*bad argument #3 to 'unpack' (offset must be 1 or greater)*}
            {unpack('>I2', '\1\2\3', -1)} {*data string too short*}
            {unpack('x', '')} {*data string too short*}
            {unpack('s', 'ab')} {*unfinished string in data*}
            {unpack('c0', 'abc')} {*format 'c0' needs a previous size*}
            {unpack('B c0', '\200abc')} {*data string too short*}
            {unpack('q', '')} {*invalid format option 'q'*}
            {size('s')} {*bad argument #1 to 'size' (option 's' has no fixed size)*}
            {size('c0')} {*bad argument #1 to 'size' (option 'c0' has no fixed size)*}
        } {
            assert_error $pattern [list r eval "return struct.$call" 0]
        }
    }

    # ---- cjson and bit ----

    test "cjson encodes and decodes" {
        skip_unless {$has_eval} "server has no EVAL"
        assert_equal {[1,2,{"a":1}]} [r eval {return cjson.encode({1, 2, {a = 1}})} 0]
        assert_equal null [r eval {return cjson.encode(cjson.null)} 0]
        assert_equal {[1,null,null,null,2]} [r eval {return cjson.encode({[1] = 1, [5] = 2})} 0]
        assert_equal c [r eval {return cjson.decode('{"a":[1,2,{"b":"c"}]}').a[3].b} 0]
        assert_equal yes [r eval {return cjson.decode('[null]')[1] == cjson.null and 'yes' or 'no'} 0]
        assert_error {*Expected value but found T_END*} {r eval {return cjson.decode('[1,')} 0}
        assert_error {*excessively sparse array*} \
            {r eval {return cjson.encode({1, 2, nil, nil, nil, nil, nil, nil, nil, nil, nil, 5})} 0}
        assert_error {*too many nested*} \
            {r eval {cjson.decode_max_depth(2) return cjson.decode('[[[1]]]')} 0}
    }

    test "bit operations" {
        skip_unless {$has_eval} "server has no EVAL"
        foreach {expr result} {
            {bit.tohex(255)} 000000ff  {bit.tohex(-1, 4)} ffff  {bit.band(0xff, 0x0f)} 15
            {bit.bor(1, 2, 4)} 7  {bit.bxor(5, 3)} 6  {bit.tobit(2^32 + 1)} 1
            {bit.lshift(1, 31)} -2147483648  {bit.rshift(-1, 28)} 15
            {bit.arshift(-256, 4)} -16  {bit.bnot(0)} -1  {bit.rol(1, 33)} 2
            {bit.bswap(0x12345678) == 0x78563412} 1
        } {
            assert_equal $result [r eval "return $expr" 0] $expr
        }
    }
}
