# tests/unit/type/bitops.tcl: the bitmap commands SETBIT, GETBIT, BITCOUNT,
# BITPOS and BITOP (BITFIELD is in unit/type/bitfield.tcl).
#
# Results are checked against a model written in Tcl (binary scan of the
# value), on fixed examples and on pseudo-random strings and ranges with a
# fixed seed. Every test passes against Debian's redis-server 7.0 too,
# except three for Valkey 8.0's BITCOUNT (a start without an end, and
# arguments checked before the key is looked up), which skip themselves
# there. WRONGTYPE tests need a list type and skip on a server without
# LPUSH.

# True for Valkey 8 and keel, whose BITCOUNT takes a start without an end
# and checks its arguments (start, unit, end) before looking at the key;
# Redis 7.0 replies 0 for a missing key whatever the arguments.
proc bitops_server_is_valkey_like {} {
    r set __bitops_probe x
    return [expr {![catch {r bitcount __bitops_probe 0}]}]
}

# True if the server knows the command.
proc bitops_server_has {name} {
    return [expr {[lindex [r command info $name] 0] ne ""}]
}

# The value's bits as a string of 0 and 1, first bit first.
proc bitops_bits {value} {
    binary scan $value B* bits
    return $bits
}

# Clamps a start/end pair (negative: from the end) to total units, as
# BITCOUNT and BITPOS do. Returns {start end}; start > end means empty.
proc bitops_clamp {start end total} {
    if {$start < 0} {set start [expr {$total + $start}]}
    if {$end < 0} {set end [expr {$total + $end}]}
    if {$start < 0} {set start 0}
    if {$end < 0} {set end 0}
    if {$end >= $total} {set end [expr {$total - 1}]}
    return [list $start $end]
}

# The bit range (first last) that start/end select in unit (BYTE or BIT),
# or {} when empty.
proc bitops_bit_range {value start end unit} {
    set total [string length $value]
    if {$unit eq "BIT"} {set total [expr {$total * 8}]}
    lassign [bitops_clamp $start $end $total] start end
    if {$start > $end} {return {}}
    if {$unit eq "BIT"} {return [list $start $end]}
    return [list [expr {$start * 8}] [expr {$end * 8 + 7}]]
}

# BITCOUNT of value over start/end in unit, per the model.
proc bitops_model_count {value start end unit} {
    if {$start < 0 && $end < 0 && $start > $end} {return 0}
    set range [bitops_bit_range $value $start $end $unit]
    if {$range eq {}} {return 0}
    set bits [string range [bitops_bits $value] {*}$range]
    return [expr {[string length $bits] - [string length [string map {1 {}} $bits]]}]
}

# BITPOS of bit in value over start/end in unit (end_given: end was
# passed), per the model.
proc bitops_model_pos {value bit start end unit end_given} {
    set range [bitops_bit_range $value $start $end $unit]
    if {$range eq {}} {return -1}
    lassign $range first last
    set found [string first $bit [string range [bitops_bits $value] $first $last]]
    if {$found >= 0} {return [expr {$first + $found}]}
    if {$bit == 0 && !$end_given} {return [expr {$last + 1}]}
    return -1
}

# A pseudo-random binary string of up to maxlen bytes, often with long runs
# of 0x00 or 0xff so the word-at-a-time paths see them.
proc bitops_random_value {maxlen} {
    set len [expr {int(rand() * ($maxlen + 1))}]
    set out ""
    while {[string length $out] < $len} {
        switch [expr {int(rand() * 3)}] {
            0 {append out [string repeat \x00 [expr {int(rand() * 40)}]]}
            1 {append out [string repeat \xff [expr {int(rand() * 40)}]]}
            2 {append out [format %c [expr {int(rand() * 256)}]]}
        }
    }
    return [string range $out 0 [expr {$len - 1}]]
}

# BITOP of op over values, per the model: shorter values are zero-padded.
proc bitops_model_bitop {op values} {
    set maxlen 0
    foreach v $values {if {[string length $v] > $maxlen} {set maxlen [string length $v]}}
    set out ""
    for {set i 0} {$i < $maxlen} {incr i} {
        set acc -1
        foreach v $values {
            set byte 0
            if {$i < [string length $v]} {binary scan [string index $v $i] cu byte}
            if {$acc < 0} {
                set acc $byte
            } else {
                switch $op {
                    and {set acc [expr {$acc & $byte}]}
                    or {set acc [expr {$acc | $byte}]}
                    xor {set acc [expr {$acc ^ $byte}]}
                }
            }
        }
        if {$op eq "not"} {set acc [expr {~$acc & 0xff}]}
        append out [binary format c $acc]
    }
    return $out
}

start_server {tags {bitops keyspace}} {
    # ---- SETBIT and GETBIT ----

    test "SETBIT on a missing key creates a zero-padded string and replies 0" {
        r del k
        assert_equal 0 [r setbit k 10 1]
        assert_equal "\x00\x20" [r get k]
        assert_equal 2 [r strlen k]
    }

    test "SETBIT replies the bit's previous value" {
        r del k
        assert_equal 0 [r setbit k 3 1]
        assert_equal 1 [r setbit k 3 1]
        assert_equal 1 [r setbit k 3 0]
        assert_equal 0 [r setbit k 3 0]
        assert_equal "\x00" [r get k]
    }

    test "SETBIT numbers bits from the most significant bit of the first byte" {
        r del k
        r setbit k 0 1
        r setbit k 7 1
        r setbit k 9 1
        assert_equal "\x81\x40" [r get k]
    }

    test "SETBIT grows an existing string with zero bytes" {
        r set k "a"
        r setbit k 31 1
        assert_equal "a\x00\x00\x01" [r get k]
    }

    test "SETBIT changes an integer-encoded value in place of its digits" {
        r set k 1
        # "1" is 0x31 = 00110001; bit 6 set gives 0x33 = "3".
        assert_equal 0 [r setbit k 6 1]
        assert_equal 3 [r get k]
    }

    test "SETBIT on a short string value leaves the other bytes alone" {
        r set k "foobar"
        r setbit k 7 1
        assert_equal "goobar" [r get k]
    }

    test "SETBIT keeps the key's time to live" {
        r set k abc ex 1000
        r setbit k 100 1
        assert_range [r ttl k] 900 1000
    }

    test "SETBIT makes a new key a raw string, as OBJECT ENCODING reports" {
        skip_unless {[bitops_server_has object]} "needs OBJECT"
        r del k
        r setbit k 1 1
        assert_equal raw [r object encoding k]
    }

    test "SETBIT accepts the last offset below proto-max-bulk-len and refuses the next" {
        set old [lindex [r config get proto-max-bulk-len] 1]
        r config set proto-max-bulk-len 1048576
        r del k
        assert_equal 0 [r setbit k [expr {1048576 * 8 - 1}] 1]
        assert_equal 1048576 [r strlen k]
        assert_error "ERR bit offset is not an integer or out of range" {
            r setbit k [expr {1048576 * 8}] 1
        }
        r del k
        r config set proto-max-bulk-len $old
    }

    test "SETBIT refuses offsets that are negative, too big or not integers" {
        r del k
        foreach offset {-1 4294967296 9223372036854775808 abc 1.5 "" " 1" 01} {
            assert_error "ERR bit offset is not an integer or out of range" {r setbit k $offset 1}
        }
        assert_equal 0 [r exists k]
    }

    test "SETBIT refuses a bit value other than 0 or 1" {
        r del k
        foreach value {2 -1 abc 1.0 ""} {
            assert_error "ERR bit is not an integer or out of range" {r setbit k 0 $value}
        }
        assert_equal 0 [r exists k]
    }

    test "SETBIT checks the offset before the value" {
        assert_error "ERR bit offset is not an integer or out of range" {r setbit k -1 2}
    }

    test "SETBIT against a key holding a list is a WRONGTYPE error" {
        skip_unless {[bitops_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        assert_error "WRONGTYPE Operation against a key holding the wrong kind of value" {
            r setbit l 0 1
        }
    }

    test "SETBIT with a wrong number of arguments is an arity error" {
        assert_error "ERR wrong number of arguments for 'setbit' command" {r setbit k 0}
        assert_error "ERR wrong number of arguments for 'setbit' command" {r setbit k 0 1 1}
    }

    test "GETBIT on a missing key replies 0" {
        r del k
        assert_equal 0 [r getbit k 0]
        assert_equal 0 [r getbit k 4294967295]
    }

    test "GETBIT reads each bit of a string, and 0 past its end" {
        r set k "\xa5"
        set bits {}
        for {set i 0} {$i < 10} {incr i} {lappend bits [r getbit k $i]}
        assert_equal {1 0 1 0 0 1 0 1 0 0} $bits
    }

    test "GETBIT reads the digits of an integer-encoded value" {
        r set k 1
        # "1" is 0x31 = 00110001.
        assert_equal {0 0 1 1 0 0 0 1} [lmap i {0 1 2 3 4 5 6 7} {r getbit k $i}]
    }

    test "GETBIT refuses offsets that are negative, too big or not integers" {
        r set k a
        foreach offset {-1 4294967296 abc} {
            assert_error "ERR bit offset is not an integer or out of range" {r getbit k $offset}
        }
    }

    test "GETBIT checks the offset before the key's type" {
        skip_unless {[bitops_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        assert_error "ERR bit offset is not an integer or out of range" {r getbit l -1}
        assert_error "WRONGTYPE Operation against a key holding the wrong kind of value" {
            r getbit l 0
        }
    }

    test "GETBIT with a wrong number of arguments is an arity error" {
        assert_error "ERR wrong number of arguments for 'getbit' command" {r getbit k}
        assert_error "ERR wrong number of arguments for 'getbit' command" {r getbit k 0 1}
    }

    # ---- BITCOUNT ----

    test "BITCOUNT on a missing key replies 0" {
        r del k
        assert_equal 0 [r bitcount k]
        assert_equal 0 [r bitcount k 0 -1]
        assert_equal 0 [r bitcount k 0 -1 bit]
    }

    test "BITCOUNT counts the documented examples" {
        r set k foobar
        assert_equal 26 [r bitcount k]
        assert_equal 4 [r bitcount k 0 0]
        assert_equal 6 [r bitcount k 1 1]
        assert_equal 6 [r bitcount k 1 1 BYTE]
        assert_equal 17 [r bitcount k 5 30 BIT]
    }

    test "BITCOUNT takes negative indexes from the end, in bytes or bits" {
        r set k foobar
        assert_equal [bitops_model_count foobar -2 -1 BYTE] [r bitcount k -2 -1]
        assert_equal [bitops_model_count foobar -13 -3 BIT] [r bitcount k -13 -3 bit]
        assert_equal 26 [r bitcount k -100 100]
    }

    test "BITCOUNT of an empty or reversed range replies 0" {
        r set k foobar
        assert_equal 0 [r bitcount k 3 2]
        assert_equal 0 [r bitcount k -1 -5]
        assert_equal 0 [r bitcount k 10 20]
        assert_equal 0 [r bitcount k 48 100 bit]
        # Both negative and reversed is empty even when both clamp to 0.
        assert_equal 0 [r bitcount k -100 -200]
    }

    test "BITCOUNT counts the digits of an integer-encoded value" {
        r set k 12345
        assert_equal [bitops_model_count 12345 0 -1 BYTE] [r bitcount k]
    }

    test "BITCOUNT counts a string larger than a few words" {
        r del k
        foreach offset {0 63 64 100 511 512 4095 4096 8000} {r setbit k $offset 1}
        assert_equal 9 [r bitcount k]
        assert_equal 8 [r bitcount k 1 -1 bit]
        assert_equal 3 [r bitcount k 8 63]
    }

    test "BITCOUNT agrees with the model on random strings and ranges" {
        expr {srand(4242)}
        for {set i 0} {$i < 300} {incr i} {
            set value [bitops_random_value 200]
            r set k $value
            set len [string length $value]
            set unit [lindex {BYTE BIT} [expr {int(rand() * 2)}]]
            set span [expr {$unit eq "BIT" ? $len * 8 + 20 : $len + 3}]
            set start [expr {int(rand() * 2 * $span) - $span}]
            set end [expr {int(rand() * 2 * $span) - $span}]
            set expected [bitops_model_count $value $start $end $unit]
            assert_equal $expected [r bitcount k $start $end $unit] "value len $len $start $end $unit"
            assert_equal [bitops_model_count $value 0 -1 BYTE] [r bitcount k]
        }
    }

    test "BITCOUNT with a start and no end counts to the end of the string" {
        skip_unless {[bitops_server_is_valkey_like]} "BITCOUNT needs an end before Valkey 8.0"
        r set k foobar
        assert_equal 22 [r bitcount k 1]
        assert_equal 4 [r bitcount k -1]
        assert_equal 0 [r bitcount k 6]
    }

    test "BITCOUNT refuses a unit other than BYTE or BIT, and extra arguments" {
        r set k foobar
        assert_error "ERR syntax error" {r bitcount k 0 1 bits}
        assert_error "ERR syntax error" {r bitcount k 0 1 bit extra}
    }

    test "BITCOUNT refuses a start or end that is not an integer" {
        r set k foobar
        assert_error "ERR value is not an integer or out of range" {r bitcount k a 1}
        assert_error "ERR value is not an integer or out of range" {r bitcount k 0 b}
        assert_error "ERR value is not an integer or out of range" {r bitcount k 0 1.5 bit}
    }

    test "BITCOUNT checks the start, then the unit, then the end" {
        skip_unless {[bitops_server_is_valkey_like]} "Redis 7.0 checks the end before the unit"
        r set k foobar
        assert_error "ERR value is not an integer or out of range" {r bitcount k a b foo}
        assert_error "ERR syntax error" {r bitcount k 0 b foo}
    }

    test "BITCOUNT and BITPOS check their arguments even when the key is missing" {
        skip_unless {[bitops_server_is_valkey_like]} "Redis 7.0 replies 0 for a missing key"
        r del k
        assert_error "ERR value is not an integer or out of range" {r bitcount k a 1}
        assert_error "ERR syntax error" {r bitcount k 0 1 bits}
        assert_error "ERR syntax error" {r bitcount k 0 1 bit extra}
        assert_error "ERR value is not an integer or out of range" {r bitpos k 1 a}
        assert_error "ERR syntax error" {r bitpos k 1 0 1 bits}
    }

    test "BITCOUNT against a key holding a list is a WRONGTYPE error" {
        skip_unless {[bitops_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        assert_error "WRONGTYPE Operation against a key holding the wrong kind of value" {
            r bitcount l
        }
        assert_error "WRONGTYPE Operation against a key holding the wrong kind of value" {
            r bitcount l 0 1
        }
    }

    test "BITCOUNT without a key is an arity error" {
        assert_error "ERR wrong number of arguments for 'bitcount' command" {r bitcount}
    }

    # ---- BITPOS ----

    test "BITPOS on a missing key: 0 for a clear bit, -1 for a set bit" {
        r del k
        assert_equal 0 [r bitpos k 0]
        assert_equal -1 [r bitpos k 1]
        assert_equal 0 [r bitpos k 0 5 10]
        assert_equal -1 [r bitpos k 1 5 10 bit]
    }

    test "BITPOS finds the documented examples" {
        r set k "\xff\xf0\x00"
        assert_equal 12 [r bitpos k 0]
        r set k "\x00\xff\xf0"
        assert_equal 8 [r bitpos k 1 0]
        assert_equal 16 [r bitpos k 1 2]
        assert_equal 16 [r bitpos k 1 2 -1 BYTE]
        assert_equal 8 [r bitpos k 1 7 15 BIT]
        r set k "\x00\x00\x00"
        assert_equal -1 [r bitpos k 1]
        r set k ""
        assert_equal -1 [r bitpos k 1]
    }

    test "BITPOS for a clear bit in all-ones pads with zeros only without an end" {
        r set k "\xff\xff\xff"
        assert_equal 24 [r bitpos k 0]
        assert_equal 24 [r bitpos k 0 1]
        assert_equal -1 [r bitpos k 0 0 -1]
        assert_equal -1 [r bitpos k 0 0 -1 bit]
    }

    test "BITPOS of an empty range, or of an empty string, replies -1" {
        r set k "\x00\xff"
        assert_equal -1 [r bitpos k 0 5]
        assert_equal -1 [r bitpos k 1 1 0]
        assert_equal -1 [r bitpos k 0 9 8 bit]
        r set k ""
        assert_equal -1 [r bitpos k 0]
    }

    test "BITPOS skips long runs a word at a time and finds the bit after them" {
        r set k [string repeat \x00 1000]
        r setbit k 7777 1
        assert_equal 7777 [r bitpos k 1]
        assert_equal 7777 [r bitpos k 1 3]
        assert_equal 7777 [r bitpos k 1 0 -1 bit]
        assert_equal -1 [r bitpos k 1 0 7776 bit]
        r set k [string repeat \xff 1000]
        r setbit k 5001 0
        assert_equal 5001 [r bitpos k 0]
        assert_equal 5001 [r bitpos k 0 5 990]
        assert_equal -1 [r bitpos k 0 5002 -1 bit]
    }

    test "BITPOS reads the digits of an integer-encoded value" {
        r set k 12
        assert_equal 2 [r bitpos k 1]
        assert_equal 0 [r bitpos k 0]
    }

    test "BITPOS agrees with the model on random strings and ranges" {
        expr {srand(777)}
        for {set i 0} {$i < 400} {incr i} {
            set value [bitops_random_value 200]
            r set k $value
            set len [string length $value]
            set bit [expr {int(rand() * 2)}]
            set form [expr {int(rand() * 4)}]
            set unit [lindex {BYTE BIT} [expr {int(rand() * 2)}]]
            set span [expr {$unit eq "BIT" ? $len * 8 + 20 : $len + 3}]
            set start [expr {int(rand() * 2 * $span) - $span}]
            set end [expr {int(rand() * 2 * $span) - $span}]
            switch $form {
                0 {
                    set got [r bitpos k $bit]
                    set expected [bitops_model_pos $value $bit 0 -1 BYTE 0]
                }
                1 {
                    set start [expr {$start % ($len + 3)}]
                    set got [r bitpos k $bit $start]
                    set expected [bitops_model_pos $value $bit $start -1 BYTE 0]
                }
                2 {
                    set got [r bitpos k $bit $start $end]
                    set expected [bitops_model_pos $value $bit $start $end BYTE 1]
                }
                3 {
                    set got [r bitpos k $bit $start $end $unit]
                    set expected [bitops_model_pos $value $bit $start $end $unit 1]
                }
            }
            assert_equal $expected $got "len $len bit $bit form $form $start $end $unit"
        }
    }

    test "BITPOS refuses a bit other than 0 or 1" {
        r set k a
        assert_error "ERR The bit argument must be 1 or 0." {r bitpos k 2}
        assert_error "ERR The bit argument must be 1 or 0." {r bitpos k -1}
        assert_error "ERR value is not an integer or out of range" {r bitpos k a}
    }

    test "BITPOS refuses a bad start, end or unit, and extra arguments" {
        r set k a
        assert_error "ERR value is not an integer or out of range" {r bitpos k 1 a}
        assert_error "ERR value is not an integer or out of range" {r bitpos k 1 0 b}
        assert_error "ERR syntax error" {r bitpos k 1 0 1 bits}
        assert_error "ERR syntax error" {r bitpos k 1 0 1 bit extra}
        # The start comes before the unit, the unit before the end.
        assert_error "ERR value is not an integer or out of range" {r bitpos k 1 a b bits}
        assert_error "ERR syntax error" {r bitpos k 1 0 b bits}
    }

    test "BITPOS checks the bit before the key's type" {
        skip_unless {[bitops_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        assert_error "ERR The bit argument must be 1 or 0." {r bitpos l 2}
        assert_error "WRONGTYPE Operation against a key holding the wrong kind of value" {
            r bitpos l 1
        }
    }

    test "BITPOS with a wrong number of arguments is an arity error" {
        assert_error "ERR wrong number of arguments for 'bitpos' command" {r bitpos k}
    }

    # ---- BITOP ----

    test "BITOP AND, OR and XOR of the documented strings" {
        r set key1 foobar
        r set key2 abcdef
        assert_equal 6 [r bitop and dest key1 key2]
        assert_equal "`bc`ab" [r get dest]
        assert_equal 6 [r bitop or dest key1 key2]
        assert_equal [bitops_model_bitop or {foobar abcdef}] [r get dest]
        assert_equal 6 [r bitop xor dest key1 key2]
        assert_equal [bitops_model_bitop xor {foobar abcdef}] [r get dest]
    }

    test "BITOP NOT inverts every byte" {
        r set k "\x00\xff\x0f"
        assert_equal 3 [r bitop not dest k]
        assert_equal "\xff\x00\xf0" [r get dest]
    }

    test "BITOP pads shorter strings and missing keys with zero bytes" {
        r del missing
        r set a "\xff\xff\xff"
        r set b "\x0f"
        assert_equal 3 [r bitop and dest a b]
        assert_equal "\x0f\x00\x00" [r get dest]
        assert_equal 3 [r bitop or dest b a missing]
        assert_equal "\xff\xff\xff" [r get dest]
        assert_equal 3 [r bitop and dest a missing]
        assert_equal "\x00\x00\x00" [r get dest]
        assert_equal 3 [r bitop xor dest missing a b]
        assert_equal "\xf0\xff\xff" [r get dest]
    }

    test "BITOP with only missing or empty sources deletes the destination" {
        r set dest something
        r del m1 m2
        assert_equal 0 [r bitop or dest m1 m2]
        assert_equal 0 [r exists dest]
        r set empty ""
        r set dest something
        assert_equal 0 [r bitop not dest empty]
        assert_equal 0 [r exists dest]
    }

    test "BITOP replaces the destination and drops its time to live" {
        r set dest old ex 1000
        r set a x
        r bitop or dest a
        assert_equal x [r get dest]
        assert_equal -1 [r ttl dest]
    }

    test "BITOP may use the destination as a source" {
        r set a "\x0f\x0f"
        r set b "\xf0"
        assert_equal 2 [r bitop or a a b]
        assert_equal "\xff\x0f" [r get a]
    }

    test "BITOP reads integer-encoded values as their digits" {
        r set a 12
        r set b 3
        r bitop xor dest a b
        assert_equal [bitops_model_bitop xor {12 3}] [r get dest]
    }

    test "BITOP accepts the operation in any case" {
        r set a "\x01"
        r set b "\x02"
        r bitop Or dest a b
        assert_equal "\x03" [r get dest]
    }

    test "BITOP agrees with the model on random strings" {
        expr {srand(99)}
        for {set i 0} {$i < 100} {incr i} {
            set op [lindex {and or xor not} [expr {int(rand() * 4)}]]
            set count [expr {$op eq "not" ? 1 : 1 + int(rand() * 5)}]
            set keys {}
            set values {}
            for {set j 0} {$j < $count} {incr j} {
                set value [bitops_random_value 300]
                r set src$j $value
                lappend keys src$j
                lappend values $value
            }
            set expected [bitops_model_bitop $op $values]
            assert_equal [string length $expected] [r bitop $op dest {*}$keys]
            if {$expected eq ""} {
                assert_equal 0 [r exists dest]
            } else {
                assert_equal $expected [r get dest] "$op of $count"
            }
        }
    }

    test "BITOP with an unknown operation is a syntax error" {
        assert_error "ERR syntax error" {r bitop nand dest a b}
    }

    test "BITOP NOT takes exactly one source key" {
        r set a x
        assert_error "ERR BITOP NOT must be called with a single source key." {r bitop not dest a a}
    }

    test "BITOP against a source holding a list is a WRONGTYPE error, and stores nothing" {
        skip_unless {[bitops_server_has lpush]} "needs a list type"
        r del l dest
        r lpush l a
        r set a x
        assert_error "WRONGTYPE Operation against a key holding the wrong kind of value" {
            r bitop or dest a l
        }
        assert_equal 0 [r exists dest]
    }

    test "BITOP overwrites a destination of another type" {
        skip_unless {[bitops_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        r set a x
        assert_equal 1 [r bitop or l a]
        assert_equal x [r get l]
    }

    test "BITOP with fewer than three arguments is an arity error" {
        assert_error "ERR wrong number of arguments for 'bitop' command" {r bitop and dest}
    }
}
