# tests/unit/type/incr.tcl: the counters: INCR, DECR, INCRBY, DECRBY and
# INCRBYFLOAT: results, the encodings they leave, TTLs kept, and every
# error (not an integer, overflow, not a valid float, NaN or infinity).
#
# Passes against Debian's redis-server 7.0 too. WRONGTYPE tests need a list
# type and skip on a server without LPUSH.

proc incr_server_has {name} {
    return [expr {[lindex [r command info $name] 0] ne ""}]
}

start_server {tags {incr keyspace}} {
    # ---- INCR family ----

    test "INCR against a missing key starts from 0" {
        r del novar
        assert_equal 1 [r incr novar]
        assert_equal 1 [r get novar]
    }

    test "INCR against a key created by INCR" {
        r del novar
        r incr novar
        assert_equal 2 [r incr novar]
    }

    test "INCR against a key originally set with SET" {
        r set novar 100
        assert_equal 101 [r incr novar]
    }

    test "INCR over 32 bits" {
        r set novar 17179869184
        assert_equal 17179869185 [r incr novar]
    }

    test "INCRBY over 32 bits" {
        r set novar 17179869184
        assert_equal 34359738368 [r incrby novar 17179869184]
    }

    test "INCRBY with a negative increment" {
        r set novar 10
        assert_equal -5 [r incrby novar -15]
    }

    test "DECR and DECRBY" {
        r set novar 17179869184
        assert_equal 17179869183 [r decr novar]
        assert_equal 17179869173 [r decrby novar 10]
        assert_equal 17179869183 [r decrby novar -10]
        r del novar
        assert_equal -1 [r decr novar]
    }

    test "INCR of a value with spaces is an integer error" {
        r set novar "    11"
        assert_error "ERR value is not an integer or out of range" {r incr novar}
        r set novar "11    "
        assert_error "ERR value is not an integer or out of range" {r incr novar}
        r set novar "  11  "
        assert_error "ERR value is not an integer or out of range" {r incr novar}
        assert_equal "  11  " [r get novar]
    }

    test "INCR of a value that is not a canonical integer fails" {
        foreach value {+1 01 -0 1.0 abc {} 0x10} {
            r set novar $value
            assert_error "ERR value is not an integer or out of range" {r incr novar}
        }
    }

    test "INCR of a value over 64 bits fails" {
        r set novar 17179869184000000000000
        assert_error "ERR value is not an integer or out of range" {r incr novar}
    }

    test "INCR that would overflow fails and keeps the value" {
        r set novar 9223372036854775807
        assert_error "ERR increment or decrement would overflow" {r incr novar}
        assert_equal 9223372036854775807 [r get novar]
        r set novar -9223372036854775808
        assert_error "ERR increment or decrement would overflow" {r decr novar}
        assert_error "ERR increment or decrement would overflow" {r incrby novar -1}
        r set novar 1
        assert_error "ERR increment or decrement would overflow" {
            r incrby novar 9223372036854775807
        }
    }

    test "INCRBY to the extremes of 64 bits" {
        r set novar 9223372036854775806
        assert_equal 9223372036854775807 [r incrby novar 1]
        r set novar -9223372036854775807
        assert_equal -9223372036854775808 [r decrby novar 1]
        r set novar 0
        assert_equal -9223372036854775808 [r incrby novar -9223372036854775808]
    }

    test "DECRBY of the smallest integer would overflow" {
        r set novar 0
        assert_error "ERR decrement would overflow" {r decrby novar -9223372036854775808}
        assert_equal 0 [r get novar]
    }

    test "INCRBY and DECRBY with a non-integer amount fail" {
        r set novar 1
        assert_error "ERR value is not an integer or out of range" {r incrby novar 1.5}
        assert_error "ERR value is not an integer or out of range" {r incrby novar abc}
        assert_error "ERR value is not an integer or out of range" {r decrby novar 99999999999999999999}
        assert_equal 1 [r get novar]
    }

    test "INCR arity errors" {
        assert_error "ERR wrong number of arguments for 'incr' command" {r incr}
        assert_error "ERR wrong number of arguments for 'incr' command" {r incr a b}
        assert_error "ERR wrong number of arguments for 'incrby' command" {r incrby a}
        assert_error "ERR wrong number of arguments for 'decrby' command" {r decrby a}
        assert_error "ERR wrong number of arguments for 'decr' command" {r decr}
    }

    test "INCR keeps the TTL" {
        r set novar 10 ex 100
        r incr novar
        assert_range [r ttl novar] 90 100
        r append novar 0
        r incr novar
        assert_equal 111 [r get novar]
        assert_range [r ttl novar] 90 100
    }

    test "INCR leaves an int encoding, also after a raw value" {
        r set novar 1
        r incr novar
        assert_equal int [r object encoding novar]
        r set novar 1
        r append novar 0
        assert_equal raw [r object encoding novar]
        assert_equal 11 [r incr novar]
        assert_equal int [r object encoding novar]
        r del novar
        r incrby novar 123456789012
        assert_equal int [r object encoding novar]
    }

    test "INCR against a key of another type is WRONGTYPE" {
        skip_unless {[incr_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        assert_error "WRONGTYPE Operation against a key holding the wrong kind of value" {r incr l}
        assert_error "WRONGTYPE*" {r decrby l 1}
        assert_error "WRONGTYPE*" {r incrbyfloat l 1}
    }

    # ---- INCRBYFLOAT ----

    test "INCRBYFLOAT against a missing key starts from 0" {
        r del novar
        assert_equal 1 [r incrbyfloat novar 1]
        assert_equal 1 [r get novar]
        assert_equal 1.25 [r incrbyfloat novar 0.25]
        assert_equal 1.25 [r get novar]
    }

    test "INCRBYFLOAT against a key originally set with SET" {
        r set novar 1.5
        assert_equal 3 [r incrbyfloat novar 1.5]
    }

    test "INCRBYFLOAT over 32 bits" {
        r set novar 17179869184
        assert_equal 17179869185.5 [r incrbyfloat novar 1.5]
    }

    test "INCRBYFLOAT prints 17 digits after the point without trailing zeros" {
        r set novar 1.1
        assert_equal 1.3 [r incrbyfloat novar 0.2]
        r set novar 10.5
        assert_equal 10.6 [r incrbyfloat novar 0.1]
        r set novar 0
        assert_equal 0.3333333333333333 [r incrbyfloat novar [expr {1.0 / 3}]]
    }

    test "INCRBYFLOAT accepts exponents and a leading sign" {
        r set novar 1
        assert_equal 3001 [r incrbyfloat novar 3.0e3]
        assert_equal 3000 [r incrbyfloat novar -1]
        assert_equal 3002 [r incrbyfloat novar +2]
        assert_equal 3000 [r incrbyfloat novar -2E0]
    }

    test "INCRBYFLOAT never replies a negative zero" {
        r del novar
        r incrbyfloat novar [expr {1.0 / 41}]
        assert_equal 0 [r incrbyfloat novar [expr {-1.0 / 41}]]
        r set novar -0.5
        assert_equal 0 [r incrbyfloat novar 0.5]
    }

    test "INCRBYFLOAT of a value with spaces is not a valid float" {
        r set novar "    11"
        assert_error "ERR value is not a valid float" {r incrbyfloat novar 1.0}
        r set novar "11    "
        assert_error "ERR value is not a valid float" {r incrbyfloat novar 1.0}
        assert_equal "11    " [r get novar]
    }

    test "INCRBYFLOAT of a non-number is not a valid float" {
        foreach value {abc {} 1.5x nan} {
            r set novar $value
            assert_error "ERR value is not a valid float" {r incrbyfloat novar 1.0}
        }
        r set novar 1
        foreach incr {abc {} " 1" 1x nan -nan} {
            assert_error "ERR value is not a valid float" {r incrbyfloat novar $incr}
        }
        assert_equal 1 [r get novar]
    }

    test "INCRBYFLOAT stops at a NUL byte: not a valid float" {
        r set novar 1
        r setrange novar 2 2
        assert_error "ERR value is not a valid float" {r incrbyfloat novar 1}
    }

    test "INCRBYFLOAT does not allow NaN or infinity" {
        r set novar 0
        assert_error "ERR increment would produce NaN or Infinity" {r incrbyfloat novar +inf}
        assert_error "ERR increment would produce NaN or Infinity" {r incrbyfloat novar -inf}
        r set novar inf
        assert_error "ERR increment would produce NaN or Infinity" {r incrbyfloat novar 1}
        r set novar inf
        assert_error "ERR increment would produce NaN or Infinity" {r incrbyfloat novar -inf}
        assert_equal inf [r get novar]
    }

    test "INCRBYFLOAT of an out-of-range number is not a valid float" {
        r set novar 1
        assert_error "ERR value is not a valid float" {r incrbyfloat novar 1e100000}
        assert_error "ERR value is not a valid float" {r incrbyfloat novar 1e-100000}
        assert_equal 1 [r get novar]
    }

    test "INCRBYFLOAT keeps the TTL" {
        r set novar 1.5 ex 100
        r incrbyfloat novar 1
        assert_equal 2.5 [r get novar]
        assert_range [r ttl novar] 90 100
    }

    test "INCRBYFLOAT stores its result as a string: embstr even when integral" {
        r set novar 1
        r incrbyfloat novar 2
        assert_equal 3 [r get novar]
        assert_equal embstr [r object encoding novar]
        r incrbyfloat novar 0.5
        assert_equal embstr [r object encoding novar]
        r set novar 1e50
        r incrbyfloat novar 1
        assert_equal raw [r object encoding novar]
    }

    test "INCR after INCRBYFLOAT of an integral result works" {
        r set novar 1
        r incrbyfloat novar 2
        assert_equal 4 [r incr novar]
        assert_equal int [r object encoding novar]
    }

    test "INCRBYFLOAT arity errors" {
        assert_error "ERR wrong number of arguments for 'incrbyfloat' command" {r incrbyfloat a}
        assert_error "ERR wrong number of arguments for 'incrbyfloat' command" {r incrbyfloat a 1 2}
    }

    test "INCRBYFLOAT replies a bulk string in RESP3 too" {
        set c3 [keel_client -resp 3]
        $c3 set novar 1
        $c3 write_raw "*3\r\n\$11\r\nincrbyfloat\r\n\$5\r\nnovar\r\n\$3\r\n0.5\r\n"
        assert_equal {$3} [$c3 read_raw_line]
        assert_equal 1.5 [$c3 read_raw_line]
        $c3 close
    }
}
