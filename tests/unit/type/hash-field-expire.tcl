# tests/unit/type/hash-field-expire.tcl: per-field expiry of hashes
# (Valkey 9): HEXPIRE HPEXPIRE HEXPIREAT HPEXPIREAT with NX XX GT LT, HTTL
# HPTTL HEXPIRETIME HPEXPIRETIME, HPERSIST, HGETEX and HSETEX: their reply
# codes and errors, expired fields being invisible (lazy expiry), active
# expiry, and the key going when its last field expires.
#
# keel only: redis-server 7.0 has none of these commands, so every test
# skips itself on a server without HEXPIRE.

proc hfe_supported {} {
    return [expr {[lindex [r command info hexpire] 0] ne ""}]
}

start_server {tags {hash expire}} {
    set nc [keel_client -null (nil)]

    test "HEXPIRE sets field TTLs and replies one code per field" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r del h
        r hset h a 1 b 2
        assert_equal {1 1 -2} [r hexpire h 100 FIELDS 3 a b zz]
        assert_equal hashtable [r object encoding h]
        assert_range [lindex [r httl h FIELDS 1 a] 0] 99 100
        assert_range [lindex [r hpttl h FIELDS 1 a] 0] 99000 100000
        assert_equal {-2 -2} [r hexpire nokey 100 FIELDS 2 a b]
    }

    test "HEXPIRE NX XX GT LT conditions" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r del h
        r hset h a 1 b 2
        assert_equal {1} [r hexpire h 100 NX FIELDS 1 a]
        assert_equal {0 1} [r hexpire h 200 NX FIELDS 2 a b]
        assert_equal {1} [r hexpire h 300 XX FIELDS 1 a]
        r hset h c 3
        assert_equal {0} [r hexpire h 300 XX FIELDS 1 c]
        assert_equal {0 1} [r hexpire h 250 GT FIELDS 2 a b]
        assert_equal {0} [r hexpire h 500 GT FIELDS 1 c]
        assert_equal {1 0} [r hexpire h 260 LT FIELDS 2 a b]
        assert_equal {1} [r hexpire h 500 LT FIELDS 1 c]
    }

    test "HEXPIRE with a time in the past deletes the fields (code 2) and then the key" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r del h
        r hset h a 1 b 2
        assert_equal {2} [r hexpire h 0 FIELDS 1 a]
        assert_equal {b} [r hkeys h]
        assert_equal {2 -2} [r hpexpireat h 1 FIELDS 2 b zz]
        assert_equal 0 [r exists h]
    }

    test "HEXPIREAT and HPEXPIREAT take absolute times; *EXPIRETIME read them" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r del h
        r hset h a 1 b 2
        set at [expr {[clock seconds] + 1000}]
        assert_equal {1} [r hexpireat h $at FIELDS 1 a]
        assert_equal [list $at -1 -2] [r hexpiretime h FIELDS 3 a b zz]
        assert_equal [list [expr {$at * 1000}]] [r hpexpiretime h FIELDS 1 a]
        set pat [expr {[clock milliseconds] + 5000}]
        assert_equal {1} [r hpexpireat h $pat FIELDS 1 b]
        assert_equal [list $pat] [r hpexpiretime h FIELDS 1 b]
    }

    test "HEXPIRE family errors" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r del h
        r hset h a 1
        assert_error "*numfields should be greater than 0*" {r hexpire h 10 FIELDS 2 a}
        assert_error "*numfields should be greater than 0*" {r hexpire h 10 FIELDS 0 a}
        assert_error "*numfields should be greater than 0*" {r hexpire h 10 NX a b c}
        assert_error "*value is not an integer*" {r hexpire h 10 FIELDS x a}
        assert_error "*value is not an integer*" {r hexpire h ten FIELDS 1 a}
        assert_error "*invalid expire time in 'hexpire' command*" {r hexpire h -1 FIELDS 1 a}
        assert_error "*invalid expire time*" {r hexpire h 9223372036854775807 FIELDS 1 a}
        assert_error "*Unsupported option FOO*" {r hexpire h 10 FOO FIELDS 1 a}
        assert_error "*NX and XX, GT or LT*" {r hexpire h 10 NX XX FIELDS 1 a}
        assert_error "*GT and LT options*" {r hexpire h 10 GT LT FIELDS 1 a}
        assert_error "*wrong number of arguments*" {r hexpire h 10 FIELDS 1}
        r set s v
        assert_error "WRONGTYPE*" {r hexpire s 10 FIELDS 1 a}
        assert_error "WRONGTYPE*" {r httl s FIELDS 1 a}
        assert_error "WRONGTYPE*" {r hpersist s FIELDS 1 a}
        assert_error "WRONGTYPE*" {r hgetex s FIELDS 1 a}
        assert_error "WRONGTYPE*" {r hsetex s FIELDS 1 a 1}
    }

    test "HTTL family replies and errors" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r del h
        r hset h a 1
        assert_equal {-1 -2} [r httl h FIELDS 2 a zz]
        assert_equal {-2} [r hpttl nokey FIELDS 1 a]
        assert_error "*syntax error*" {r httl h FIELDS 2 a}
        assert_error "*value is not an integer*" {r httl h FIELDS x a}
        assert_error "*wrong number of arguments*" {r httl h FIELDS 1}
    }

    test "HPERSIST removes a field's TTL" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r del h
        r hset h a 1 b 2
        r hexpire h 100 FIELDS 1 a
        assert_equal {1 -1 -2} [r hpersist h FIELDS 3 a b zz]
        assert_equal {-1} [r httl h FIELDS 1 a]
        assert_equal {-2} [r hpersist nokey FIELDS 1 a]
        assert_error "*numfields should be greater than 0*" {r hpersist h FIELDS 3 a}
    }

    test "Setting a value removes the field's TTL; HINCRBY keeps it" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r del h
        r hset h a 1 b 2
        r hexpire h 100 FIELDS 2 a b
        r hset h a 10
        assert_equal {-1} [r httl h FIELDS 1 a]
        r hincrby h b 5
        assert_range [lindex [r httl h FIELDS 1 b] 0] 1 100
    }

    test "Expired fields are invisible to every hash command" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r del h
        r hset h a 1 b 2 c 3
        r hpexpire h 1 FIELDS 2 a b
        after 20
        assert_equal (nil) [$nc hget h a]
        assert_equal 1 [r hlen h]
        assert_equal {c} [r hkeys h]
        assert_equal {3} [r hvals h]
        assert_equal {c 3} [r hgetall h]
        assert_equal 0 [r hexists h b]
        assert_equal 0 [r hstrlen h a]
        assert_equal {(nil) 3} [$nc hmget h a c]
        assert_equal {c} [r hrandfield h 5]
        assert_equal {0 {c 3}} [r hscan h 0]
        assert_equal {-2} [r httl h FIELDS 1 a]
        assert_equal 1 [r hset h a new]
        assert_equal new [r hget h a]
    }

    test "The key goes when its last field expires (lazily)" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r del h
        r hset h a 1
        r hpexpire h 1 FIELDS 1 a
        after 20
        assert_equal 0 [r hlen h]
        assert_equal 0 [r exists h]
    }

    test "Active expiry deletes expired fields and the emptied key" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r del h h2
        r hset h a 1 b 2
        r hset h2 a 1 b 2
        r hpexpire h 10 FIELDS 2 a b
        r hpexpire h2 10 FIELDS 1 a
        wait_for_condition 50 100 {[r exists h] == 0} else {
            fail "the hash whose fields all expired was not deleted by active expiry"
        }
        # h2 keeps b; its expired field is gone without any hash command
        assert_equal 1 [r exists h2]
        assert_equal 1 [r hlen h2]
    }

    test "Active expiry follows a hash renamed, moved or swapped to another database" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r flushall
        foreach {setup check} {
            {r rename src dst}            {r exists dst}
            {r move src 3}                {r select 3; set e [r exists src]; r select 0; set e}
            {r swapdb 0 4}                {r select 4; set e [r exists src]; r select 0; set e}
        } {
            r hset src a 1
            r hpexpire src 300 FIELDS 1 a
            eval $setup
            wait_for_condition 50 100 {[eval $check] == 0} else {
                fail "the hash's expired field was not removed after: $setup"
            }
            r swapdb 0 4 ;# undo the swap case; harmless for the others
            r flushall
        }
    }

    # ---- HGETEX ----

    test "HGETEX reads like HMGET and sets, persists or expires fields" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r del h
        r hset h a 1 b 2 c 3
        assert_equal {1 (nil)} [$nc hgetex h FIELDS 2 a zz]
        assert_equal {1 2} [r hgetex h EX 100 FIELDS 2 a b]
        assert_range [lindex [r httl h FIELDS 1 a] 0] 99 100
        assert_equal {1} [r hgetex h PERSIST FIELDS 1 a]
        assert_equal {-1 100} [r httl h FIELDS 2 a b]
        r hgetex h PX 100000 FIELDS 1 c
        assert_range [lindex [r hpttl h FIELDS 1 c] 0] 99000 100000
        set at [expr {[clock seconds] + 500}]
        r hgetex h EXAT $at FIELDS 1 a
        assert_equal [list $at] [r hexpiretime h FIELDS 1 a]
        assert_equal {2 3} [r hgetex h PXAT 1 FIELDS 2 b c]
        assert_equal {a} [r hkeys h]
        assert_equal {1} [r hgetex h EX 0 FIELDS 1 a]
        assert_equal 0 [r exists h]
        assert_equal {(nil)} [$nc hgetex nokey EX 10 FIELDS 1 a]
    }

    test "HGETEX errors" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r del h
        r hset h a 1
        assert_error "*numfields should be greater than 0*" {r hgetex h FIELDS 2 a}
        assert_error "*numfields should be greater than 0*" {r hgetex h EX 10 a b}
        assert_error "*syntax error*" {r hgetex h EX 10 PX 10 FIELDS 1 a}
        assert_error "*syntax error*" {r hgetex h KEEPTTL FIELDS 1 a}
        assert_error "*syntax error*" {r hgetex h EX FIELDS 1 a}
        assert_error "*invalid expire time in 'hgetex' command*" {r hgetex h EX -5 FIELDS 1 a}
        assert_error "*value is not an integer*" {r hgetex h EX x FIELDS 1 a}
    }

    # ---- HSETEX ----

    test "HSETEX sets values with a TTL, FNX FXX NX XX and KEEPTTL" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r del h
        assert_equal 1 [r hsetex h EX 100 FIELDS 2 a 1 b 2]
        assert_equal {1 2} [r hmget h a b]
        assert_range [lindex [r httl h FIELDS 1 b] 0] 99 100
        assert_equal 0 [r hsetex h FNX FIELDS 2 a 9 c 3]
        assert_equal 1 [r hsetex h FNX FIELDS 1 c 3]
        assert_equal 0 [r hsetex h FXX FIELDS 2 a 9 zz 1]
        assert_equal 1 [r hsetex h FXX KEEPTTL FIELDS 1 a 10]
        assert_equal 10 [r hget h a]
        assert_range [lindex [r httl h FIELDS 1 a] 0] 99 100
        assert_equal 1 [r hsetex h FIELDS 1 a 11]
        assert_equal {-1} [r httl h FIELDS 1 a]
        assert_equal 0 [r hsetex h NX FIELDS 1 x 1]
        assert_equal 0 [r hsetex nokey XX FIELDS 1 x 1]
        assert_equal 0 [r exists nokey]
        assert_equal 0 [r hsetex nokey FXX FIELDS 1 x 1]
        assert_equal 1 [r hsetex h PXAT 1 FIELDS 1 c 5]
        assert_equal 0 [r hexists h c]
        assert_equal 1 [r hsetex newkey EX 0 FIELDS 1 a 1]
        assert_equal 0 [r exists newkey]
    }

    test "HSETEX errors" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        assert_error "*numfields should be greater than 0*" {r hsetex h FIELDS 2 a 1}
        assert_error "*numfields should be greater than 0*" {r hsetex h FIELDS 1 a 1 b}
        assert_error "*syntax error*" {r hsetex h EX 10 KEEPTTL FIELDS 1 a 1}
        assert_error "*syntax error*" {r hsetex h FNX FXX FIELDS 1 a 1}
        assert_error "*syntax error*" {r hsetex h PERSIST FIELDS 1 a 1}
        assert_error "*invalid expire time in 'hsetex' command*" {r hsetex h PX -1 FIELDS 1 a 1}
        assert_error "*wrong number of arguments*" {r hsetex h FIELDS 1 a}
    }

    test "A hash with volatile fields survives RENAME with its TTLs" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r del h h3
        r hset h a 1 b 2
        r hpexpire h 100000 FIELDS 1 a
        r rename h h3
        assert_range [lindex [r hpttl h3 FIELDS 1 a] 0] 90000 100000
        assert_equal {-1} [r httl h3 FIELDS 1 b]
    }

    test "COPY of a hash with volatile fields keeps them" {
        skip_unless {[hfe_supported]} "server has no hash field expiry"
        r del h hc
        r hset h a 1 b 2
        r hpexpire h 100000 FIELDS 1 a
        r copy h hc
        assert_equal {1 2} [r hmget hc a b]
        assert_range [lindex [r hpttl hc FIELDS 1 a] 0] 90000 100000
    }

    $nc close
}
