# tests/unit/type/string.tcl: the string commands other than the counters
# (those are in unit/type/incr.tcl): SET and its options, GET, GETEX,
# GETDEL, GETSET, MGET, MSET, MSETNX, SETNX, SETEX, PSETEX, APPEND, STRLEN,
# GETRANGE, SUBSTR, SETRANGE, LCS, and the encodings OBJECT ENCODING reports.
#
# Every test passes against Debian's redis-server 7.0 too, except the few
# for Valkey-only behaviour (SET IFEQ, an expire time in the past deleting
# the key at once and counting it as expired, GETEX validating its expire
# before the lookup), which skip themselves there. WRONGTYPE tests need a list type and skip on a
# server without LPUSH.

# True if the server knows the command (COMMAND INFO replies a nil entry
# for an unknown one).
proc string_server_has {name} {
    return [expr {[lindex [r command info $name] 0] ne ""}]
}

# True if SET understands IFEQ (Valkey 8.1 and keel; Redis 7.0 replies a
# syntax error).
proc string_server_has_ifeq {} {
    r del __ifeq_probe
    return [expr {![catch {r set __ifeq_probe v ifeq v}]}]
}

# True for Valkey and keel, whose SET/GETEX delete a key whose new expire
# time has already passed, and whose GETEX checks the expire before the key.
proc string_server_is_valkey_like {} {
    return [string_server_has_ifeq]
}

start_server {tags {string keyspace}} {
    # A client whose nil replies read as "(nil)", to tell them from "".
    set nc [keel_client -null (nil)]

    # ---- SET and GET ----

    test "SET and GET an item" {
        r set x foobar
        assert_equal foobar [r get x]
    }

    test "SET and GET an empty item" {
        r set x {}
        assert_equal {} [$nc get x]
    }

    test "GET on a missing key replies nil" {
        r del nokey
        assert_equal (nil) [$nc get nokey]
    }

    test "SET and GET keep binary values byte for byte" {
        set value "a\x00b\r\nc\xff"
        r set bin $value
        assert_equal $value [r get bin]
        assert_equal 7 [r strlen bin]
    }

    test "SET and GET a 1 MB value" {
        set value [string repeat "0123456789abcdef" 65536]
        r set big $value
        assert_equal $value [r get big]
    }

    test "SET replaces a value of any length" {
        r set x [string repeat a 100]
        r set x b
        assert_equal b [r get x]
        r set x 12345
        assert_equal 12345 [r get x]
        r set x [string repeat c 20000]
        assert_equal [string repeat c 20000] [r get x]
    }

    test "SET without options clears the TTL" {
        r set x v ex 100
        r set x w
        assert_equal -1 [r ttl x]
    }

    test "SET and GET arity errors" {
        assert_error "ERR wrong number of arguments for 'set' command" {r set x}
        assert_error "ERR wrong number of arguments for 'get' command" {r get}
        assert_error "ERR wrong number of arguments for 'get' command" {r get a b}
    }

    # ---- SET NX / XX ----

    test "SET NX sets a missing key and refuses an existing one" {
        r del x
        assert_equal OK [r set x 1 nx]
        assert_equal (nil) [$nc set x 2 nx]
        assert_equal 1 [r get x]
    }

    test "SET XX sets an existing key and refuses a missing one" {
        r del x
        assert_equal (nil) [$nc set x 1 xx]
        assert_equal 0 [r exists x]
        r set x 1
        assert_equal OK [r set x 2 xx]
        assert_equal 2 [r get x]
    }

    test "SET NX on a key whose TTL has passed sets it" {
        r set x old px 1
        after 5
        assert_equal OK [r set x new nx]
        assert_equal new [r get x]
    }

    test "SET NX and XX may repeat, options are case-insensitive" {
        r del x
        assert_equal OK [r set x 1 nX Nx]
        assert_equal OK [r set x 2 Xx xx]
        assert_equal 2 [r get x]
    }

    # ---- SET syntax errors ----

    test "SET with NX and XX together is a syntax error" {
        assert_error "ERR syntax error" {r set x 1 nx xx}
        assert_error "ERR syntax error" {r set x 1 xx nx}
    }

    test "SET with an unknown option is a syntax error" {
        assert_error "ERR syntax error" {r set x 1 foo}
        assert_error "ERR syntax error" {r set x 1 ex 10 bar}
    }

    test "SET with an expire option but no value is a syntax error" {
        foreach opt {ex px exat pxat} {
            assert_error "ERR syntax error" {r set x 1 $opt}
        }
    }

    test "SET with two expire forms, or an expire and KEEPTTL, is a syntax error" {
        assert_error "ERR syntax error" {r set x 1 ex 10 px 100}
        assert_error "ERR syntax error" {r set x 1 px 100 exat 1}
        assert_error "ERR syntax error" {r set x 1 exat 1 pxat 1}
        assert_error "ERR syntax error" {r set x 1 keepttl ex 10}
        assert_error "ERR syntax error" {r set x 1 ex 10 keepttl}
    }

    test "SET does not take GETEX's PERSIST" {
        assert_error "ERR syntax error" {r set x 1 persist}
    }

    test "SET syntax error comes before checking the expire value" {
        assert_error "ERR syntax error" {r set x 1 ex 0 foo}
    }

    test "SET syntax error leaves the key unchanged" {
        r set x old
        catch {r set x new nx xx}
        assert_equal old [r get x]
    }

    # ---- SET expire options ----

    test "SET EX sets a TTL in seconds" {
        r set x v ex 100
        assert_range [r ttl x] 90 100
    }

    test "SET PX sets a TTL in milliseconds" {
        r set x v px 100000
        assert_range [r pttl x] 90000 100000
    }

    test "SET EXAT and PXAT set an absolute expire time" {
        set now [clock seconds]
        r set x v exat [expr {$now + 100}]
        assert_range [r ttl x] 90 101
        r set x v pxat [expr {($now + 200) * 1000}]
        assert_range [r ttl x] 190 201
    }

    test "SET EX given twice uses the last value" {
        r set x v ex 10 ex 200
        assert_range [r ttl x] 190 200
    }

    test "SET KEEPTTL keeps the TTL, and may repeat" {
        r set x v ex 100
        r set x w keepttl keepttl
        assert_equal w [r get x]
        assert_range [r ttl x] 90 100
    }

    test "SET KEEPTTL on a key without TTL keeps none" {
        r set x v
        r set x w keepttl
        assert_equal -1 [r ttl x]
    }

    test "SET with a zero or negative expire is an invalid expire time" {
        foreach opt {ex px exat pxat} {
            assert_error "ERR invalid expire time in 'set' command" {r set x 1 $opt 0}
            assert_error "ERR invalid expire time in 'set' command" {r set x 1 $opt -5}
        }
    }

    test "SET with a non-integer expire is an integer error" {
        assert_error "ERR value is not an integer or out of range" {r set x 1 ex abc}
        assert_error "ERR value is not an integer or out of range" {r set x 1 px 1.5}
        assert_error "ERR value is not an integer or out of range" {r set x 1 ex 99999999999999999999}
    }

    test "SET with an expire that overflows is an invalid expire time" {
        assert_error "ERR invalid expire time in 'set' command" {r set x 1 ex 9223372036854775807}
        assert_error "ERR invalid expire time in 'set' command" {r set x 1 px 9223372036854775807}
        assert_error "ERR invalid expire time in 'set' command" {r set x 1 exat 9223372036854776}
    }

    test "SET with an invalid expire leaves the key unchanged" {
        r set x old
        catch {r set x new ex 0}
        assert_equal old [r get x]
        assert_equal -1 [r ttl x]
    }

    test "SET EXAT in the past leaves no key" {
        r set x old
        assert_equal OK [r set x new exat 1]
        assert_equal 0 [r exists x]
        assert_equal (nil) [$nc get x]
    }

    test "SET PXAT in the past on a missing key replies OK and creates nothing" {
        r del x
        assert_equal OK [r set x new pxat 1]
        assert_equal 0 [r exists x]
    }

    test "SET PXAT in the past counts the old key in expired_keys" {
        r set x old
        r config resetstat
        r set x new pxat 1
        assert_equal 0 [r exists x]
        assert_equal 1 [info_field [r info stats] expired_keys]
    }

    test "SET PXAT in the past deletes the key at once (Valkey)" {
        skip_unless {[string_server_is_valkey_like]} "Redis 7.0 stores the key and expires it later"
        r flushdb
        r set x old
        r set x new pxat 1
        assert_equal 0 [r dbsize]
    }

    # ---- SET GET ----

    test "SET GET replies the old value and stores the new one" {
        r set x old
        assert_equal old [r set x new get]
        assert_equal new [r get x]
    }

    test "SET GET on a missing key replies nil and stores the value" {
        r del x
        assert_equal (nil) [$nc set x new get]
        assert_equal new [r get x]
    }

    test "SET GET may repeat" {
        r set x old
        assert_equal old [r set x new get get]
    }

    test "SET GET replies an INT-encoded old value as a string" {
        r set x 12345
        assert_equal 12345 [r set x v get]
    }

    test "SET NX GET on an existing key replies the value and does not set" {
        r set x old
        assert_equal old [r set x new nx get]
        assert_equal old [r get x]
    }

    test "SET NX GET on a missing key replies nil and sets" {
        r del x
        assert_equal (nil) [$nc set x new nx get]
        assert_equal new [r get x]
    }

    test "SET XX GET on a missing key replies nil and does not set" {
        r del x
        assert_equal (nil) [$nc set x new xx get]
        assert_equal 0 [r exists x]
    }

    test "SET GET with EX replies the old value and sets the TTL" {
        r set x old
        assert_equal old [r set x new get ex 100]
        assert_range [r ttl x] 90 100
    }

    test "SET GET with an expire in the past replies the old value and removes the key" {
        r set x old
        assert_equal old [r set x new get pxat 1]
        assert_equal 0 [r exists x]
    }

    test "SET GET against a key of another type is WRONGTYPE and changes nothing" {
        skip_unless {[string_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        assert_error "WRONGTYPE Operation against a key holding the wrong kind of value" {
            r set l v get
        }
        assert_equal list [r type l]
    }

    test "SET without GET replaces a key of another type" {
        skip_unless {[string_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        assert_equal OK [r set l v]
        assert_equal v [r get l]
    }

    # ---- SET IFEQ (Valkey 8.1) ----

    test "SET IFEQ sets when the current value matches" {
        skip_unless {[string_server_has_ifeq]} "server has no SET IFEQ (Valkey 8.1)"
        r set x old
        assert_equal OK [r set x new ifeq old]
        assert_equal new [r get x]
    }

    test "SET IFEQ does not set when the value differs" {
        skip_unless {[string_server_has_ifeq]} "server has no SET IFEQ (Valkey 8.1)"
        r set x old
        assert_equal (nil) [$nc set x new ifeq other]
        assert_equal old [r get x]
    }

    test "SET IFEQ compares bytes exactly" {
        skip_unless {[string_server_has_ifeq]} "server has no SET IFEQ (Valkey 8.1)"
        r set x Old
        assert_equal (nil) [$nc set x new ifeq old]
        assert_equal (nil) [$nc set x new ifeq "Old\x00"]
        assert_equal Old [r get x]
    }

    test "SET IFEQ on a missing key replies nil and creates nothing" {
        skip_unless {[string_server_has_ifeq]} "server has no SET IFEQ (Valkey 8.1)"
        r del x
        assert_equal (nil) [$nc set x new ifeq old]
        assert_equal 0 [r exists x]
    }

    test "SET IFEQ matches an INT-encoded value by its text" {
        skip_unless {[string_server_has_ifeq]} "server has no SET IFEQ (Valkey 8.1)"
        r set x 123
        assert_equal (nil) [$nc set x 1 ifeq 0123]
        assert_equal OK [r set x 124 ifeq 123]
        assert_equal 124 [r get x]
    }

    test "SET IFEQ GET replies the old value whether or not it sets" {
        skip_unless {[string_server_has_ifeq]} "server has no SET IFEQ (Valkey 8.1)"
        r set x old
        assert_equal old [r set x new ifeq nomatch get]
        assert_equal old [r get x]
        assert_equal old [r set x new ifeq old get]
        assert_equal new [r get x]
        r del x
        assert_equal (nil) [$nc set x new ifeq old get]
        assert_equal 0 [r exists x]
    }

    test "SET IFEQ with EX sets the TTL only when it sets" {
        skip_unless {[string_server_has_ifeq]} "server has no SET IFEQ (Valkey 8.1)"
        r set x old
        r set x new ifeq nomatch ex 100
        assert_equal -1 [r ttl x]
        r set x new ifeq old ex 100
        assert_range [r ttl x] 90 100
    }

    test "SET IFEQ with NX, XX or a second IFEQ is a syntax error" {
        skip_unless {[string_server_has_ifeq]} "server has no SET IFEQ (Valkey 8.1)"
        assert_error "ERR syntax error" {r set x 1 ifeq a nx}
        assert_error "ERR syntax error" {r set x 1 nx ifeq a}
        assert_error "ERR syntax error" {r set x 1 xx ifeq a}
        assert_error "ERR syntax error" {r set x 1 ifeq a ifeq a}
        assert_error "ERR syntax error" {r set x 1 ifeq}
    }

    test "SET IFEQ against a key of another type is WRONGTYPE" {
        skip_unless {[string_server_has_ifeq]} "server has no SET IFEQ (Valkey 8.1)"
        skip_unless {[string_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        assert_error "WRONGTYPE*" {r set l v ifeq a}
        assert_error "WRONGTYPE*" {r set l v ifeq a get}
        assert_equal list [r type l]
    }

    # ---- SETNX, SETEX, PSETEX, GETSET ----

    test "SETNX sets a missing key and replies 1, else replies 0" {
        r del x
        assert_equal 1 [r setnx x a]
        assert_equal 0 [r setnx x b]
        assert_equal a [r get x]
    }

    test "SETNX on a key whose TTL has passed sets it" {
        r set x old px 1
        after 5
        assert_equal 1 [r setnx x new]
        assert_equal new [r get x]
    }

    test "SETNX arity error" {
        assert_error "ERR wrong number of arguments for 'setnx' command" {r setnx x}
    }

    test "SETEX sets the value and a TTL in seconds" {
        r setex x 100 v
        assert_equal v [r get x]
        assert_range [r ttl x] 90 100
    }

    test "PSETEX sets the value and a TTL in milliseconds" {
        r psetex x 100000 v
        assert_equal v [r get x]
        assert_range [r pttl x] 90000 100000
    }

    test "SETEX and PSETEX with a zero or negative TTL are invalid expire times" {
        r set x old
        assert_error "ERR invalid expire time in 'setex' command" {r setex x 0 v}
        assert_error "ERR invalid expire time in 'setex' command" {r setex x -10 v}
        assert_error "ERR invalid expire time in 'psetex' command" {r psetex x 0 v}
        assert_error "ERR invalid expire time in 'psetex' command" {r psetex x -10 v}
        assert_equal old [r get x]
    }

    test "SETEX with a non-integer TTL is an integer error" {
        assert_error "ERR value is not an integer or out of range" {r setex x abc v}
        assert_error "ERR value is not an integer or out of range" {r psetex x 1.5 v}
    }

    test "SETEX and PSETEX arity errors" {
        assert_error "ERR wrong number of arguments for 'setex' command" {r setex x 10}
        assert_error "ERR wrong number of arguments for 'psetex' command" {r psetex x 10 v extra}
    }

    test "GETSET replies the old value and sets the new one" {
        r set x old
        assert_equal old [r getset x new]
        assert_equal new [r get x]
    }

    test "GETSET on a missing key replies nil and sets" {
        r del x
        assert_equal (nil) [$nc getset x new]
        assert_equal new [r get x]
    }

    test "GETSET clears the TTL" {
        r set x old ex 100
        r getset x new
        assert_equal -1 [r ttl x]
    }

    test "GETSET against a key of another type is WRONGTYPE" {
        skip_unless {[string_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        assert_error "WRONGTYPE*" {r getset l v}
        assert_equal list [r type l]
    }

    # ---- MSET, MGET, MSETNX ----

    test "MSET sets several keys and MGET reads them back in order" {
        r mset a 1 b 2 c 3
        assert_equal {1 2 3} [r mget a b c]
    }

    test "MGET replies nil for missing keys" {
        r del nokey1 nokey2
        r set a 1
        assert_equal {1 (nil) (nil)} [$nc mget a nokey1 nokey2]
    }

    test "MGET replies nil for keys of another type" {
        skip_unless {[string_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        r set a 1
        assert_equal {(nil) 1} [$nc mget l a]
    }

    test "MSET with the same key twice keeps the last value" {
        r mset x 1 x 2
        assert_equal 2 [r get x]
    }

    test "MSET clears TTLs" {
        r set x v ex 100
        r mset x w
        assert_equal -1 [r ttl x]
    }

    test "MSET and MSETNX with an odd number of arguments are arity errors" {
        assert_error "ERR wrong number of arguments for 'mset' command" {r mset a 1 b}
        assert_error "ERR wrong number of arguments for 'mset' command" {r mset a}
        assert_error "ERR wrong number of arguments for 'msetnx' command" {r msetnx a 1 b}
        assert_error "ERR wrong number of arguments for 'mget' command" {r mget}
    }

    test "MSETNX sets every key when none exists" {
        r del x1 x2
        assert_equal 1 [r msetnx x1 a x2 b]
        assert_equal {a b} [r mget x1 x2]
    }

    test "MSETNX sets nothing when one key exists" {
        r del x1 x2
        r set x2 old
        assert_equal 0 [r msetnx x1 a x2 b]
        assert_equal 0 [r exists x1]
        assert_equal old [r get x2]
    }

    test "MSETNX with the same key twice sets the last value" {
        r del x1
        assert_equal 1 [r msetnx x1 a x1 b]
        assert_equal b [r get x1]
    }

    # ---- GETDEL ----

    test "GETDEL replies the value and deletes the key" {
        r set x v
        assert_equal v [r getdel x]
        assert_equal 0 [r exists x]
    }

    test "GETDEL on a key with a TTL deletes it" {
        r set x v ex 100
        assert_equal v [r getdel x]
        assert_equal 0 [r exists x]
    }

    test "GETDEL on a missing key replies nil" {
        r del x
        assert_equal (nil) [$nc getdel x]
    }

    test "GETDEL against a key of another type is WRONGTYPE and keeps the key" {
        skip_unless {[string_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        assert_error "WRONGTYPE*" {r getdel l}
        assert_equal 1 [r exists l]
    }

    # ---- GETEX ----

    test "GETEX without options is GET and keeps the TTL" {
        r set x v ex 100
        assert_equal v [r getex x]
        assert_range [r ttl x] 90 100
    }

    test "GETEX EX, PX, EXAT and PXAT set the TTL" {
        r set x v
        assert_equal v [r getex x ex 100]
        assert_range [r ttl x] 90 100
        assert_equal v [r getex x px 200000]
        assert_range [r ttl x] 190 200
        assert_equal v [r getex x exat [expr {[clock seconds] + 300}]]
        assert_range [r ttl x] 290 301
        assert_equal v [r getex x pxat [expr {([clock seconds] + 400) * 1000}]]
        assert_range [r ttl x] 390 401
    }

    test "GETEX PERSIST removes the TTL" {
        r set x v ex 100
        assert_equal v [r getex x persist]
        assert_equal -1 [r ttl x]
    }

    test "GETEX PERSIST on a key without TTL keeps it that way" {
        r set x v
        assert_equal v [r getex x persist persist]
        assert_equal -1 [r ttl x]
    }

    test "GETEX EXAT in the past replies the value and deletes the key" {
        r set x v
        assert_equal v [r getex x exat 1]
        assert_equal 0 [r exists x]
    }

    test "GETEX PXAT in the past counts the key in expired_keys (Valkey)" {
        skip_unless {[string_server_is_valkey_like]} "Redis 7.0 deletes it without counting"
        r set x v
        r config resetstat
        assert_equal v [r getex x pxat 1]
        assert_equal 0 [r exists x]
        assert_equal 1 [info_field [r info stats] expired_keys]
    }

    test "GETEX on a missing key replies nil" {
        r del x
        assert_equal (nil) [$nc getex x ex 100]
        assert_equal 0 [r exists x]
    }

    test "GETEX with SET's options or two expire forms is a syntax error" {
        r set x v
        foreach args {{nx} {xx} {get} {keepttl} {ex 10 px 10} {persist ex 10} {ex 10 persist}
                      {ifeq v} {ex} {foo}} {
            assert_error "ERR syntax error" {r getex x {*}$args}
        }
    }

    test "GETEX with a zero, negative or overflowing expire is an invalid expire time" {
        r set x v
        assert_error "ERR invalid expire time in 'getex' command" {r getex x ex 0}
        assert_error "ERR invalid expire time in 'getex' command" {r getex x px -1}
        assert_error "ERR invalid expire time in 'getex' command" {r getex x exat 9223372036854776}
        assert_error "ERR value is not an integer or out of range" {r getex x ex ten}
        assert_equal -1 [r ttl x]
    }

    test "GETEX checks the expire before the key (Valkey)" {
        skip_unless {[string_server_is_valkey_like]} "Redis 7.0 looks up the key first"
        r del x
        assert_error "ERR invalid expire time in 'getex' command" {r getex x ex 0}
    }

    test "GETEX against a key of another type is WRONGTYPE" {
        skip_unless {[string_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        assert_error "WRONGTYPE*" {r getex l ex 100}
        assert_equal -1 [r ttl l]
    }

    test "GETEX arity error" {
        assert_error "ERR wrong number of arguments for 'getex' command" {r getex}
    }

    # ---- STRLEN ----

    test "STRLEN replies the length, 0 for a missing key" {
        r set x hello
        assert_equal 5 [r strlen x]
        r del x
        assert_equal 0 [r strlen x]
    }

    test "STRLEN of an INT-encoded value counts its digits" {
        r set x -12345
        assert_equal 6 [r strlen x]
    }

    test "STRLEN against a key of another type is WRONGTYPE" {
        skip_unless {[string_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        assert_error "WRONGTYPE*" {r strlen l}
    }

    # ---- APPEND ----

    test "APPEND creates a missing key and replies the new length" {
        r del x
        assert_equal 3 [r append x foo]
        assert_equal 6 [r append x bar]
        assert_equal foobar [r get x]
    }

    test "APPEND to an INT-encoded value appends to its text" {
        r set x 12
        assert_equal 4 [r append x 34]
        assert_equal 1234 [r get x]
    }

    test "APPEND keeps the TTL" {
        r set x foo ex 100
        r append x bar
        assert_range [r ttl x] 90 100
    }

    test "APPEND many times builds the whole string" {
        r del x
        set expected {}
        for {set i 0} {$i < 500} {incr i} {
            r append x "$i,"
            append expected "$i,"
        }
        assert_equal $expected [r get x]
    }

    test "APPEND past proto-max-bulk-len is refused and changes nothing" {
        set old [lindex [r config get proto-max-bulk-len] 1]
        r config set proto-max-bulk-len 1048576
        r set x [string repeat a 1048570]
        assert_error "ERR string exceeds maximum allowed size (proto-max-bulk-len)" {
            r append x 0123456789
        }
        assert_equal 1048570 [r strlen x]
        r config set proto-max-bulk-len $old
    }

    test "APPEND against a key of another type is WRONGTYPE" {
        skip_unless {[string_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        assert_error "WRONGTYPE*" {r append l x}
    }

    # ---- GETRANGE and SUBSTR ----

    test "GETRANGE against a missing key replies an empty string" {
        r del x
        assert_equal {} [$nc getrange x 0 -1]
    }

    test "GETRANGE with positive, negative and out-of-range indexes" {
        r set x "Hello World"
        assert_equal Hell [r getrange x 0 3]
        assert_equal "Hello World" [r getrange x 0 -1]
        assert_equal orld [r getrange x -4 -1]
        assert_equal {} [r getrange x 5 3]
        assert_equal " World" [r getrange x 5 5000]
        assert_equal "Hello World" [r getrange x -5000 10000]
        assert_equal {} [r getrange x -1 -5]
        assert_equal H [r getrange x 0 -100]
        assert_equal {} [r getrange x 20 30]
    }

    test "GETRANGE of an INT-encoded value works on its text" {
        r set x 1234
        assert_equal 123 [r getrange x 0 2]
        assert_equal 1234 [r getrange x 0 -1]
        assert_equal 34 [r getrange x -2 -1]
    }

    test "GETRANGE of an empty value replies an empty string" {
        r set x {}
        assert_equal {} [$nc getrange x 0 -1]
        assert_equal {} [$nc getrange x -1 0]
    }

    test "GETRANGE with non-integer indexes is an integer error" {
        r set x hello
        assert_error "ERR value is not an integer or out of range" {r getrange x a 1}
        assert_error "ERR value is not an integer or out of range" {r getrange x 0 1.5}
        r del x
        assert_error "ERR value is not an integer or out of range" {r getrange x 0 b}
    }

    test "SUBSTR is GETRANGE" {
        r set x "Hello World"
        assert_equal World [r substr x 6 -1]
        assert_error "ERR wrong number of arguments for 'substr' command" {r substr x 1}
    }

    test "GETRANGE against a key of another type is WRONGTYPE" {
        skip_unless {[string_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        assert_error "WRONGTYPE*" {r getrange l 0 -1}
    }

    # ---- SETRANGE ----

    test "SETRANGE against a missing key pads with zero bytes" {
        r del x
        assert_equal 5 [r setrange x 2 abc]
        assert_equal "\x00\x00abc" [r get x]
    }

    test "SETRANGE with an empty value on a missing key replies 0 and creates nothing" {
        r del x
        assert_equal 0 [r setrange x 0 {}]
        assert_equal 0 [r exists x]
        assert_equal 0 [r setrange x 10 {}]
        assert_equal 0 [r exists x]
    }

    test "SETRANGE with an empty value on an existing key replies its length" {
        r set x hello
        assert_equal 5 [r setrange x 1 {}]
        assert_equal 5 [r setrange x 100 {}]
        assert_equal hello [r get x]
    }

    test "SETRANGE overwrites inside, and extends past, an existing string" {
        r set x "Hello World"
        assert_equal 11 [r setrange x 6 Redis]
        assert_equal "Hello Redis" [r get x]
        assert_equal 13 [r setrange x 11 !!]
        assert_equal "Hello Redis!!" [r get x]
        assert_equal 16 [r setrange x 15 ?]
        assert_equal "Hello Redis!!\x00\x00?" [r get x]
    }

    test "SETRANGE against an INT-encoded value" {
        r set x 1234
        assert_equal 4 [r setrange x 1 9]
        assert_equal 1934 [r get x]
        r set x 1234
        assert_equal 6 [r setrange x 5 5]
        assert_equal "1234\x005" [r get x]
    }

    test "SETRANGE keeps the TTL" {
        r set x hello ex 100
        r setrange x 0 J
        assert_equal Jello [r get x]
        assert_range [r ttl x] 90 100
    }

    test "SETRANGE with a negative offset is out of range" {
        r set x hello
        assert_error "ERR offset is out of range" {r setrange x -1 a}
        assert_error "ERR value is not an integer or out of range" {r setrange x a a}
        assert_equal hello [r get x]
    }

    test "SETRANGE past 512MB is refused without allocating" {
        r del x
        assert_error "ERR string exceeds maximum allowed size (proto-max-bulk-len)" {
            r setrange x 536870911 ab
        }
        assert_equal 0 [r exists x]
        r set x hello
        assert_error "ERR string exceeds maximum allowed size (proto-max-bulk-len)" {
            r setrange x 536870912 a
        }
        assert_error "ERR string exceeds maximum allowed size (proto-max-bulk-len)" {
            r setrange x 9223372036854775807 a
        }
        assert_equal hello [r get x]
    }

    test "SETRANGE against a key of another type is WRONGTYPE" {
        skip_unless {[string_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        assert_error "WRONGTYPE*" {r setrange l 0 x}
        assert_error "WRONGTYPE*" {r setrange l 0 {}}
    }

    # ---- encodings ----

    test "OBJECT ENCODING of a stored string: int, embstr up to 44 bytes, raw above" {
        r set x 12345
        assert_equal int [r object encoding x]
        r set x -9223372036854775808
        assert_equal int [r object encoding x]
        r set x 9223372036854775808
        assert_equal embstr [r object encoding x]
        r set x 0123
        assert_equal embstr [r object encoding x]
        r set x " 1"
        assert_equal embstr [r object encoding x]
        r set x [string repeat a 44]
        assert_equal embstr [r object encoding x]
        r set x [string repeat a 45]
        assert_equal raw [r object encoding x]
        r set x [string repeat a 20000]
        assert_equal raw [r object encoding x]
    }

    test "OBJECT ENCODING after APPEND and SETRANGE is raw" {
        r del x
        r append x 123
        assert_equal int [r object encoding x]
        r append x 4
        assert_equal raw [r object encoding x]
        r set y abc
        r setrange y 0 z
        assert_equal raw [r object encoding y]
        r del z
        r setrange z 0 12
        assert_equal raw [r object encoding z]
    }

    test "OBJECT ENCODING of MSET, SETNX, SETEX and GETSET values" {
        r del a b
        r mset a 10 b hello
        assert_equal int [r object encoding a]
        assert_equal embstr [r object encoding b]
        r del c
        r setnx c 42
        assert_equal int [r object encoding c]
        r setex c 100 43
        assert_equal int [r object encoding c]
        r getset c [string repeat x 50]
        assert_equal raw [r object encoding c]
    }

    test "an INT-encoded value with a TTL keeps its encoding and value" {
        r set x 77 ex 100
        assert_equal int [r object encoding x]
        assert_equal 77 [r get x]
    }

    # ---- LCS ----

    test "LCS of two strings" {
        r set virus1 {ohmytext}
        r set virus2 {mynewtext}
        assert_equal mytext [r lcs virus1 virus2]
    }

    test "LCS LEN replies the length only" {
        r set virus1 {ohmytext}
        r set virus2 {mynewtext}
        assert_equal 6 [r lcs virus1 virus2 len]
    }

    test "LCS IDX replies the matching ranges, last first" {
        r set virus1 {ohmytext}
        r set virus2 {mynewtext}
        set reply [r lcs virus1 virus2 idx]
        assert_equal {{{4 7} {5 8}} {{2 3} {0 1}}} [dict get $reply matches]
        assert_equal 6 [dict get $reply len]
    }

    test "LCS IDX WITHMATCHLEN adds each range's length" {
        r set virus1 {ohmytext}
        r set virus2 {mynewtext}
        set reply [r lcs virus1 virus2 idx withmatchlen]
        assert_equal {{{4 7} {5 8} 4} {{2 3} {0 1} 2}} [dict get $reply matches]
    }

    test "LCS IDX MINMATCHLEN leaves out shorter ranges" {
        r set virus1 {ohmytext}
        r set virus2 {mynewtext}
        set reply [r lcs virus1 virus2 idx minmatchlen 3 withmatchlen]
        assert_equal {{{4 7} {5 8} 4}} [dict get $reply matches]
        assert_equal 6 [dict get $reply len]
        set reply [r lcs virus1 virus2 idx minmatchlen -5]
        assert_equal 2 [llength [dict get $reply matches]]
    }

    test "LCS of longer strings" {
        r set a {rxwhzcfqopyuqunxurybhtnzvqbvxdxbjaowjvtnhbtlhptxhmzxhbuotwhcmhjvaoyzxq}
        r set b {ohztmoqcpkzkhwnnzfstfrefjaaxpgiuxcdhzqrkxlzajvwhrasqgkvwcljrnhdiuqmaomjnpt}
        assert_equal 21 [r lcs a b len]
        assert_equal [string length [r lcs a b]] [r lcs a b len]
    }

    test "LCS with a missing key treats it as empty" {
        r del nokey
        r set a hello
        assert_equal {} [r lcs a nokey]
        assert_equal 0 [r lcs nokey a len]
        set reply [r lcs a nokey idx]
        assert_equal {} [dict get $reply matches]
        assert_equal 0 [dict get $reply len]
    }

    test "LCS of INT-encoded values works on their text" {
        r set a 12345
        r set b 1x3x5
        assert_equal 135 [r lcs a b]
    }

    test "LCS with LEN and IDX together is refused" {
        r set a hello
        r set b world
        assert_error "ERR If you want both the length and indexes, please just use IDX." {
            r lcs a b len idx
        }
    }

    test "LCS option errors" {
        r set a hello
        r set b world
        assert_error "ERR syntax error" {r lcs a b foo}
        assert_error "ERR syntax error" {r lcs a b minmatchlen}
        assert_error "ERR value is not an integer or out of range" {r lcs a b minmatchlen x}
        assert_error "ERR wrong number of arguments for 'lcs' command" {r lcs a}
    }

    test "LCS against a key of another type is an error" {
        skip_unless {[string_server_has lpush]} "needs a list type"
        r del l
        r lpush l a
        r set a hello
        assert_error "ERR The specified keys must contain string values" {r lcs a l}
        assert_error "ERR The specified keys must contain string values" {r lcs l a len}
    }

    # ---- RESP3 ----

    test "GET of a missing key is a RESP3 null" {
        set c3 [keel_client -resp 3 -null (null)]
        $c3 del nokey
        assert_equal (null) [$c3 get nokey]
        assert_equal (null) [$c3 set nokey v xx]
        $c3 close
    }

    test "LCS IDX is a map in RESP3" {
        set c3 [keel_client -resp 3]
        $c3 set virus1 {ohmytext}
        $c3 set virus2 {mynewtext}
        set reply [$c3 lcs virus1 virus2 idx]
        assert_equal {matches len} [dict keys $reply]
        $c3 close
    }

    # ---- keyspace counters ----

    test "GET counts keyspace hits and misses" {
        r config resetstat
        r set x v
        r get x
        r get nokey
        r mget x nokey
        set info [r info stats]
        assert_equal 2 [info_field $info keyspace_hits]
        assert_equal 2 [info_field $info keyspace_misses]
    }

    $nc close
}

start_server {tags {string}} {
    test "COMMAND GETKEYSANDFLAGS SET: overwrite alone, read and update with GET" {
        assert_equal {{k {OW update}}} [r command getkeysandflags set k v]
        assert_equal {{k {OW update}}} [r command getkeysandflags set k v ex 10 nx]
        assert_equal {{k {RW access update}}} [r command getkeysandflags set k v get]
        assert_equal {{k {RW access update}}} [r command getkeysandflags set k v Get px 5]
    }
}
