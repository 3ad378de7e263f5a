# tests/unit/type/bitfield.tcl: BITFIELD and BITFIELD_RO: GET, SET and
# INCRBY on signed and unsigned fields at any bit offset (also "#N"
# offsets), the OVERFLOW policies WRAP, SAT and FAIL, and every error.
#
# Results are checked on fixed examples and against a model written in Tcl
# (whose integers have no size limit, so overflow is plain arithmetic), on
# pseudo-random commands with a fixed seed. Every test passes against
# Debian's redis-server 7.0 too; WRONGTYPE tests need a list type and skip
# on a server without LPUSH.

proc bitfield_server_has {name} {
    return [expr {[lindex [r command info $name] 0] ne ""}]
}

# ---- the model: a value is a string of 0/1 characters, a byte per 8 ----

# The bits of field (width bits at offset) of bits, zero-padded past the end.
proc bitfield_model_raw {bits offset width} {
    set field [string range $bits $offset [expr {$offset + $width - 1}]]
    append field [string repeat 0 [expr {$width - [string length $field]}]]
    return [expr "0b$field"]
}

# The field's value as the type reads it.
proc bitfield_model_get {bits signed offset width} {
    set raw [bitfield_model_raw $bits $offset $width]
    if {$signed && $raw >= 2 ** ($width - 1)} {set raw [expr {$raw - 2 ** $width}]}
    return $raw
}

# bits with the field set to value (any integer: its low width bits).
proc bitfield_model_put {bits offset width value} {
    set value [expr {$value % (2 ** $width)}]
    set field [bitfield_model_binary $value]
    set field [string repeat 0 [expr {$width - [string length $field]}]]$field
    return [string replace $bits $offset [expr {$offset + $width - 1}] $field]
}

proc bitfield_model_binary {value} {
    if {$value == 0} {return 0}
    set out ""
    while {$value > 0} {
        set out "[expr {$value & 1}]$out"
        set value [expr {$value >> 1}]
    }
    return $out
}

# The value to store for a SET (incr "") or INCRBY under overflow, or ""
# when FAIL refuses it.
proc bitfield_model_result {signed width overflow old value kind} {
    if {$signed} {
        set min [expr {-(2 ** ($width - 1))}]
        set max [expr {2 ** ($width - 1) - 1}]
    } else {
        set min 0
        set max [expr {2 ** $width - 1}]
    }
    if {$kind eq "set"} {
        set target $value
        # An unsigned SET reads the value as a 64-bit unsigned number.
        if {!$signed && $target < 0} {set target [expr {$target + 2 ** 64}]}
    } else {
        set target [expr {$old + $value}]
    }
    if {$target >= $min && $target <= $max} {return $target}
    set above [expr {$target > $max}]
    # Valkey's SET on a signed field far below its minimum (max - value
    # past 2^63) counts as above the maximum.
    if {$signed && $kind eq "set" && $max - $target > 2 ** 63 - 1} {set above 1}
    switch $overflow {
        fail {return ""}
        sat {return [expr {$above ? $max : $min}]}
        wrap {
            set span [expr {2 ** $width}]
            return [expr {($target - $min) % $span + $min}]
        }
    }
}

# Runs one BITFIELD command's ops on the model value (a bits string, grown
# as the server grows it). Returns {new_bits replies}.
proc bitfield_model_run {bits ops} {
    set last -1
    foreach op $ops {
        lassign $op kind signed width offset value overflow
        if {$kind ne "get" && $offset + $width - 1 > $last} {set last [expr {$offset + $width - 1}]}
    }
    set need [expr {($last / 8 + 1) * 8}]
    if {$last >= 0 && [string length $bits] < $need} {
        append bits [string repeat 0 [expr {$need - [string length $bits]}]]
    }
    set replies {}
    foreach op $ops {
        lassign $op kind signed width offset value overflow
        set old [bitfield_model_get $bits $signed $offset $width]
        if {$kind eq "get"} {
            lappend replies $old
            continue
        }
        set new [bitfield_model_result $signed $width $overflow $old $value $kind]
        if {$new eq ""} {
            lappend replies (nil)
            continue
        }
        set bits [bitfield_model_put $bits $offset $width $new]
        lappend replies [expr {$kind eq "set" ? $old : $new}]
    }
    return [list $bits $replies]
}

# A random 64-bit signed value, often near a boundary.
proc bitfield_random_value {} {
    switch [expr {int(rand() * 5)}] {
        0 {return [expr {int(rand() * 21) - 10}]}
        1 {return [expr {int(rand() * 2001) - 1000}]}
        2 {return [lindex {-9223372036854775808 9223372036854775807 -1 0 1 127 128 -128 255 256} \
                       [expr {int(rand() * 10)}]]}
        default {
            return [expr {(int(rand() * 2 ** 32) << 32 | int(rand() * 2 ** 32)) - 2 ** 63}]
        }
    }
}

start_server {tags {bitfield keyspace}} {
    set nc [keel_client -null (nil)]

    test "BITFIELD runs the documented example" {
        r del k
        assert_equal {1 0} [r bitfield k incrby i5 100 1 get u4 0]
    }

    test "BITFIELD SET replies the old value and GET reads the new one" {
        r del k
        assert_equal {0 255} [r bitfield k set u8 0 255 get u8 0]
        assert_equal {255 100} [r bitfield k set u8 0 100 get i8 #0]
        assert_equal "d" [r get k]
    }

    test "BITFIELD fields are big-endian at any bit offset" {
        r del k
        # A 5-bit 23 at offset 7: 00000001 01110000.
        r bitfield k set u5 7 23
        assert_equal "\x01\x70" [r get k]
        assert_equal 23 [r bitfield k get u5 7]
        assert_equal -9 [r bitfield k get i5 7]
    }

    test "BITFIELD #N offsets count in fields of the type's width" {
        r del k
        r bitfield k set u8 #0 1 set u8 #2 3 set i16 #2 -2
        assert_equal "\x01\x00\x03\x00\xff\xfe" [r get k]
        assert_equal {1 0 3 -2} [r bitfield k get u8 #0 get u8 #1 get u8 #2 get i16 #2]
    }

    test "BITFIELD GET past the end of the string reads zeros and creates nothing" {
        r del k
        assert_equal {0 0} [r bitfield k get u8 0 get i64 1000]
        assert_equal 0 [r exists k]
        r set k "\xff"
        assert_equal {255 65280 0} [r bitfield k get u8 0 get u16 0 get u8 8]
        assert_equal 1 [r strlen k]
    }

    test "BITFIELD reads the widest types at unaligned offsets" {
        r del k
        r bitfield k set i64 3 -1
        assert_equal {-1 9223372036854775807 0} [r bitfield k get i64 3 get u63 4 get u3 0]
        r bitfield k set i64 3 -9223372036854775808
        assert_equal {-9223372036854775808 1} [r bitfield k get i64 3 get u1 3]
    }

    test "BITFIELD grows the string to the farthest field a write reaches" {
        r del k
        r bitfield k get u8 100 set u1 20 1 incrby u4 3 0
        assert_equal 3 [r strlen k]
    }

    test "BITFIELD reads the digits of an integer-encoded value and writes over them" {
        r set k 12
        assert_equal [expr {0x3132}] [r bitfield k get u16 0]
        r bitfield k set u8 8 51
        assert_equal 13 [r get k]
    }

    test "BITFIELD keeps the key's time to live" {
        r set k abc ex 1000
        r bitfield k set u8 0 65
        assert_range [r ttl k] 900 1000
    }

    test "BITFIELD INCRBY wraps by default" {
        r del k
        assert_equal {255 0 1} [r bitfield k incrby u8 0 255 incrby u8 0 1 incrby u8 0 1]
        assert_equal {127 -128} [r bitfield k incrby i8 8 127 incrby i8 8 1]
        assert_equal {0 -9223372036854775808} [r bitfield k set i64 16 9223372036854775807 \
            incrby i64 16 1]
    }

    test "BITFIELD OVERFLOW SAT stops at the type's limits" {
        r del k
        assert_equal {15 15 0} [r bitfield k overflow sat incrby u4 0 100 incrby u4 0 1 \
            incrby u4 0 -100]
        assert_equal {7 -8} [r bitfield k overflow sat incrby i4 4 100 incrby i4 4 -1000]
        assert_equal {0 15} [r bitfield k overflow sat set u4 8 99 get u4 8]
    }

    test "BITFIELD OVERFLOW FAIL replies nil and leaves the field alone" {
        r del k
        assert_equal {15 (nil) 15} [$nc bitfield k overflow fail incrby u4 0 15 incrby u4 0 1 \
            get u4 0]
        assert_equal {(nil) 15} [$nc bitfield k overflow fail set u4 0 16 get u4 0]
        assert_equal {(nil) 0} [$nc bitfield k overflow fail incrby i8 8 -129 get i8 8]
    }

    test "BITFIELD OVERFLOW FAIL still creates the key" {
        r del k
        assert_equal {(nil)} [$nc bitfield k overflow fail set u2 0 4]
        assert_equal "\x00" [r get k]
    }

    test "BITFIELD OVERFLOW applies to the operations after it, and can change" {
        r del k
        assert_equal {0 3 (nil) 0} [$nc bitfield k incrby u2 0 4 overflow sat incrby u2 2 4 \
            overflow fail incrby u2 4 4 overflow wrap incrby u2 6 4]
    }

    test "BITFIELD unsigned SET reads a negative value as a 64-bit unsigned number" {
        r del k
        assert_equal {0 255} [r bitfield k set u8 0 -1 get u8 0]
        assert_equal {255 255} [r bitfield k overflow sat set u8 0 -1 get u8 0]
    }

    test "BITFIELD SAT SET far below a signed field's minimum stores the maximum, as Valkey" {
        r del k
        assert_equal {0 4398046511103} [r bitfield k overflow sat \
            set i43 0 -9223372036854775808 get i43 0]
        assert_equal {4398046511103 -4398046511104} [r bitfield k overflow sat \
            set i43 0 -4611686018427387904 get i43 0]
    }

    test "BITFIELD with no operation replies an empty array" {
        r del k
        assert_equal {} [r bitfield k]
        assert_equal 0 [r exists k]
    }

    test "BITFIELD agrees with the model on random operations" {
        expr {srand(1234)}
        r del k
        set bits ""
        for {set i 0} {$i < 400} {incr i} {
            set overflow wrap
            set args {}
            set ops {}
            set count [expr {1 + int(rand() * 4)}]
            for {set j 0} {$j < $count} {incr j} {
                if {rand() < 0.25} {
                    set overflow [lindex {wrap sat fail} [expr {int(rand() * 3)}]]
                    lappend args overflow [string toupper $overflow]
                }
                set kind [lindex {get set incrby} [expr {int(rand() * 3)}]]
                set signed [expr {rand() < 0.5}]
                set width [expr {1 + int(rand() * ($signed ? 64 : 63))}]
                set type [expr {$signed ? "i" : "u"}]$width
                if {rand() < 0.3} {
                    set slot [expr {int(rand() * 8)}]
                    set offset [expr {$slot * $width}]
                    set offset_arg "#$slot"
                } else {
                    set offset [expr {int(rand() * 300)}]
                    set offset_arg $offset
                }
                set value [bitfield_random_value]
                lappend args $kind $type $offset_arg
                if {$kind ne "get"} {lappend args $value}
                lappend ops [list $kind $signed $width $offset $value $overflow]
            }
            lassign [bitfield_model_run $bits $ops] bits expected
            assert_equal $expected [$nc bitfield k {*}$args] "bitfield k $args"
        }
        assert_equal [binary format B* $bits] [r get k]
    }

    # ---- errors ----

    test "BITFIELD refuses a type that is not i1..i64 or u1..u63" {
        foreach type {u64 i65 i0 u0 x8 i u "" I8 U8 i-1 i08 "i 8" i8.0} {
            assert_error "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is." {
                r bitfield k get $type 0
            }
        }
    }

    test "BITFIELD refuses offsets that are negative, too big or not integers" {
        foreach offset {-1 #-1 4294967296 #536870912 abc ## # 1.5} {
            assert_error "ERR bit offset is not an integer or out of range" {
                r bitfield k get u8 $offset
            }
        }
        assert_error "ERR bit offset is not an integer or out of range" {
            r bitfield k set i64 #67108864 1
        }
    }

    test "BITFIELD refuses a SET or INCRBY value that is not an integer" {
        foreach value {abc 1.5 "" 9223372036854775808} {
            assert_error "ERR value is not an integer or out of range" {
                r bitfield k set u8 0 $value
            }
            assert_error "ERR value is not an integer or out of range" {
                r bitfield k incrby u8 0 $value
            }
        }
    }

    test "BITFIELD refuses an unknown OVERFLOW policy" {
        assert_error "ERR Invalid OVERFLOW type specified" {r bitfield k overflow saturate get u8 0}
    }

    test "BITFIELD with an unknown or incomplete operation is a syntax error" {
        assert_error "ERR syntax error" {r bitfield k foo u8 0}
        assert_error "ERR syntax error" {r bitfield k get u8}
        assert_error "ERR syntax error" {r bitfield k set u8 0}
        assert_error "ERR syntax error" {r bitfield k incrby u8 0}
        assert_error "ERR syntax error" {r bitfield k overflow}
        assert_error "ERR syntax error" {r bitfield k get u8 0 get}
    }

    test "BITFIELD with an error anywhere changes nothing" {
        r set k "\x01"
        assert_error "ERR syntax error" {r bitfield k set u8 0 255 bogus}
        assert_error "ERR Invalid bitfield type*" {r bitfield k set u8 0 255 get u64 0}
        assert_equal "\x01" [r get k]
        r del k
        assert_error "ERR bit offset*" {r bitfield k set u8 0 255 get u8 -1}
        assert_equal 0 [r exists k]
    }

    test "BITFIELD against a key holding a list is a WRONGTYPE error" {
        skip_unless {[bitfield_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        foreach args {{} {get u8 0} {set u8 0 1}} {
            assert_error "WRONGTYPE Operation against a key holding the wrong kind of value" {
                r bitfield l {*}$args
            }
        }
        assert_error "ERR Invalid bitfield type*" {r bitfield l get u64 0}
    }

    test "BITFIELD without a key is an arity error" {
        assert_error "ERR wrong number of arguments for 'bitfield' command" {r bitfield}
    }

    # ---- BITFIELD_RO ----

    test "BITFIELD_RO runs GET operations" {
        r set k "\x12\x34"
        assert_equal {4660 1 -6} [r bitfield_ro k get u16 0 get u4 #0 get i5 #2]
        r del k
        assert_equal {0} [r bitfield_ro k get i64 #3]
        assert_equal {} [r bitfield_ro k]
    }

    test "BITFIELD_RO refuses SET and INCRBY, and writes nothing" {
        r set k "\x00"
        assert_error "ERR BITFIELD_RO only supports the GET subcommand" {
            r bitfield_ro k get u8 0 set u8 0 1
        }
        assert_error "ERR BITFIELD_RO only supports the GET subcommand" {
            r bitfield_ro k incrby u8 0 1
        }
        assert_equal "\x00" [r get k]
    }

    test "BITFIELD_RO accepts OVERFLOW, which changes nothing for GET" {
        r set k "\xff"
        assert_equal {255} [r bitfield_ro k overflow fail get u8 0]
    }

    test "BITFIELD_RO checks every argument before refusing a write" {
        assert_error "ERR Invalid bitfield type*" {r bitfield_ro k set u64 0 1}
        assert_error "ERR syntax error" {r bitfield_ro k set u8 0 1 bogus}
    }

    test "BITFIELD_RO against a key holding a list is a WRONGTYPE error" {
        skip_unless {[bitfield_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        assert_error "WRONGTYPE Operation against a key holding the wrong kind of value" {
            r bitfield_ro l get u8 0
        }
    }

    test "BITFIELD_RO without a key is an arity error" {
        assert_error "ERR wrong number of arguments for 'bitfield_ro' command" {r bitfield_ro}
    }

    $nc close
}

start_server {tags {bitfield}} {
    test "COMMAND GETKEYSANDFLAGS BITFIELD: read-only for GETs, update with SET or INCRBY" {
        assert_equal {{k {RO access}}} [r command getkeysandflags bitfield k get u8 0]
        assert_equal {{k {RO access}}} [r command getkeysandflags bitfield k overflow sat get u8 0]
        assert_equal {{k {RW access update}}} [r command getkeysandflags bitfield k get u8 0 set u8 0 1]
        assert_equal {{k {RW access update}}} [r command getkeysandflags bitfield k incrby u8 0 1]
    }
}
