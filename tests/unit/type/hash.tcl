# tests/unit/type/hash.tcl: the hash commands without field expiry (those
# are in unit/type/hash-field-expire.tcl): HSET, HMSET, HSETNX, HGET, HMGET,
# HDEL, HLEN, HSTRLEN, HEXISTS, HKEYS, HVALS, HGETALL, HINCRBY,
# HINCRBYFLOAT, HRANDFIELD, HSCAN, their errors, both encodings and the
# conversion between them, and RESP3 shapes.
#
# Every test passes against Debian's redis-server 7.0 too, except HSCAN
# NOVALUES (Valkey 8), which skips itself there. The listpack thresholds are
# set by each test, since keel (as Valkey 8+) and redis 7.0 have different
# defaults for hash-max-listpack-entries.

proc hash_server_has_novalues {} {
    r del __nv_probe
    r hset __nv_probe f v
    set ok [expr {![catch {r hscan __nv_probe 0 novalues}]}]
    r del __nv_probe
    return $ok
}

# Fills key with n fields f0..f(n-1) holding v0..v(n-1), in batches.
proc hash_fill {key n {batch 1000}} {
    for {set i 0} {$i < $n} {incr i $batch} {
        set args {}
        for {set j $i} {$j < $i + $batch && $j < $n} {incr j} {
            lappend args f$j v$j
        }
        r hset $key {*}$args
    }
}

start_server {tags {hash}} {
    set nc [keel_client -null (nil)]
    r config set hash-max-listpack-entries 128
    r config set hash-max-listpack-value 64

    # ---- HSET / HGET ----

    test "HSET adds fields and replies how many were new" {
        r del h
        assert_equal 3 [r hset h a 1 b 2 c 3]
        assert_equal 1 [r hset h a 10 d 4]
        assert_equal 10 [r hget h a]
        assert_equal 4 [r hlen h]
    }

    test "HSET with an odd number of arguments is an arity error" {
        assert_error "*wrong number of arguments*" {r hset h a 1 b}
        assert_error "*wrong number of arguments*" {r hset h a}
        assert_error "*wrong number of arguments*" {r hmset h a 1 b}
    }

    test "HMSET replies OK" {
        r del h
        assert_equal OK [r hmset h a 1 b 2]
        assert_equal {1 2} [r hmget h a b]
    }

    test "HGET of a missing field or key is nil" {
        r del h nokey
        r hset h a 1
        assert_equal (nil) [$nc hget h zz]
        assert_equal (nil) [$nc hget nokey a]
    }

    test "HSET and HGET keep binary fields and values" {
        r del h
        set f "a\x00b\r\n"
        set v "\xff\x00\x01"
        r hset h $f $v
        assert_equal $v [r hget h $f]
    }

    test "Hash commands on a string key reply WRONGTYPE" {
        r set s v
        foreach cmd {
            {hset s a 1} {hsetnx s a 1} {hget s a} {hmget s a} {hdel s a} {hlen s}
            {hstrlen s a} {hexists s a} {hkeys s} {hvals s} {hgetall s} {hincrby s a 1}
            {hincrbyfloat s a 1} {hrandfield s} {hrandfield s 2} {hscan s 0} {hmset s a 1}
        } {
            assert_error "WRONGTYPE*" [list r {*}$cmd]
        }
    }

    test "Hash commands check their arity" {
        assert_error "*wrong number of arguments*" {r hget h}
        assert_error "*wrong number of arguments*" {r hsetnx h a}
        assert_error "*wrong number of arguments*" {r hmget h}
        assert_error "*wrong number of arguments*" {r hdel h}
        assert_error "*wrong number of arguments*" {r hlen}
        assert_error "*wrong number of arguments*" {r hincrby h a}
        assert_error "*wrong number of arguments*" {r hgetall}
        assert_error "*wrong number of arguments*" {r hscan h}
    }

    # ---- HSETNX ----

    test "HSETNX sets only a missing field" {
        r del h
        assert_equal 1 [r hsetnx h a 1]
        assert_equal 0 [r hsetnx h a 2]
        assert_equal 1 [r hget h a]
    }

    # ---- HMGET / HDEL / HLEN / HSTRLEN / HEXISTS ----

    test "HMGET mixes values and nils, and a missing key gives all nils" {
        r del h nokey
        r hset h a 1 b 2
        assert_equal {1 (nil) 2} [$nc hmget h a zz b]
        assert_equal {(nil) (nil)} [$nc hmget nokey a b]
    }

    test "HDEL removes fields, counts them, and deletes an emptied key" {
        r del h
        r hset h a 1 b 2 c 3
        assert_equal 2 [r hdel h a b zz]
        assert_equal 0 [r hdel h a]
        assert_equal 1 [r exists h]
        assert_equal 1 [r hdel h c c]
        assert_equal 0 [r exists h]
        assert_equal 0 [r hdel nokey a]
    }

    test "HLEN, HSTRLEN and HEXISTS" {
        r del h
        r hset h a hello b 12345 c -7
        assert_equal 3 [r hlen h]
        assert_equal 0 [r hlen nokey]
        assert_equal 5 [r hstrlen h a]
        assert_equal 5 [r hstrlen h b]
        assert_equal 2 [r hstrlen h c]
        assert_equal 0 [r hstrlen h zz]
        assert_equal 1 [r hexists h a]
        assert_equal 0 [r hexists h zz]
        assert_equal 0 [r hexists nokey a]
    }

    # ---- HKEYS / HVALS / HGETALL ----

    test "HKEYS, HVALS and HGETALL return every field (listpack)" {
        r del h
        r hset h a 1 b 2 c 3
        assert_equal listpack [r object encoding h]
        assert_equal {a b c} [lsort [r hkeys h]]
        assert_equal {1 2 3} [lsort [r hvals h]]
        assert_equal {a 1 b 2 c 3} [lsort -stride 2 [r hgetall h]]
        assert_equal {} [r hgetall nokey]
        assert_equal {} [r hkeys nokey]
    }

    test "HKEYS, HVALS and HGETALL return every field (hashtable)" {
        r del h
        hash_fill h 300
        assert_equal hashtable [r object encoding h]
        assert_equal 300 [llength [r hkeys h]]
        assert_equal 300 [llength [r hvals h]]
        set all [r hgetall h]
        assert_equal 600 [llength $all]
        assert_equal v17 [dict get $all f17]
    }

    # ---- encodings ----

    test "A hash converts to hashtable past hash-max-listpack-entries" {
        r config set hash-max-listpack-entries 4
        r del h
        r hset h a 1 b 2 c 3 d 4
        assert_equal listpack [r object encoding h]
        r hset h e 5
        assert_equal hashtable [r object encoding h]
        r hdel h a b c d
        assert_equal hashtable [r object encoding h]
        r config set hash-max-listpack-entries 128
    }

    test "HSET of more pairs than the limit converts at once" {
        r config set hash-max-listpack-entries 2
        r del h
        r hset h a 1 b 2 c 3
        assert_equal hashtable [r object encoding h]
        r config set hash-max-listpack-entries 128
    }

    test "A long field or value converts to hashtable" {
        r config set hash-max-listpack-value 8
        r del h h2 h3
        r hset h a 12345678
        assert_equal listpack [r object encoding h]
        r hset h a 123456789
        assert_equal hashtable [r object encoding h]
        r hset h2 123456789 a
        assert_equal hashtable [r object encoding h2]
        r hset h3 a 1
        r hsetnx h3 b 123456789
        assert_equal hashtable [r object encoding h3]
        r config set hash-max-listpack-value 64
    }

    test "HINCRBYFLOAT converts when the result outgrows the value limit" {
        r config set hash-max-listpack-value 4
        r del h
        r hset h a 1
        r hincrbyfloat h a 0.123456
        assert_equal hashtable [r object encoding h]
        r config set hash-max-listpack-value 64
    }

    test "hash-max-ziplist-* are aliases" {
        r config set hash-max-ziplist-entries 77
        assert_equal 77 [lindex [r config get hash-max-listpack-entries] 1]
        r config set hash-max-ziplist-value 33
        assert_equal 33 [lindex [r config get hash-max-listpack-value] 1]
        r config set hash-max-listpack-entries 128
        r config set hash-max-listpack-value 64
    }

    test "Both encodings give the same answers" {
        r del lp ht
        r config set hash-max-listpack-entries 1000
        hash_fill lp 100
        r config set hash-max-listpack-entries 10
        hash_fill ht 100
        r config set hash-max-listpack-entries 128
        assert_equal listpack [r object encoding lp]
        assert_equal hashtable [r object encoding ht]
        foreach k {lp ht} {
            assert_equal 100 [r hlen $k]
            assert_equal v42 [r hget $k f42]
            assert_equal {v0 (nil)} [$nc hmget $k f0 nope]
            assert_equal 1 [r hdel $k f0]
            assert_equal 99 [r hlen $k]
        }
        assert_equal [lsort [r hkeys lp]] [lsort [r hkeys ht]]
    }

    test "A big hash of 100000 fields" {
        r del big
        hash_fill big 100000
        assert_equal 100000 [r hlen big]
        assert_equal v99999 [r hget big f99999]
        assert_equal v0 [r hget big f0]
        assert_equal 1 [r hdel big f500]
        assert_equal 99999 [r hlen big]
        assert_equal 99999 [llength [r hkeys big]]
        r del big
    }

    # ---- HINCRBY / HINCRBYFLOAT ----

    test "HINCRBY creates, increments and decrements" {
        r del h
        assert_equal 5 [r hincrby h a 5]
        assert_equal -5 [r hincrby h a -10]
        assert_equal -5 [r hget h a]
        r hset h big 17179869184
        assert_equal 17179869185 [r hincrby h big 1]
    }

    test "HINCRBY errors" {
        r del h
        r hset h s hello sp " 1" max 9223372036854775807
        assert_error "*hash value is not an integer*" {r hincrby h s 1}
        assert_error "*hash value is not an integer*" {r hincrby h sp 1}
        assert_error "*increment or decrement would overflow*" {r hincrby h max 1}
        assert_error "*value is not an integer or out of range*" {r hincrby h a x}
        assert_error "*value is not an integer or out of range*" {r hincrby h a 1.5}
    }

    test "HINCRBYFLOAT increments and formats like INCRBYFLOAT" {
        r del h
        assert_equal 10.5 [r hincrbyfloat h a 10.5]
        assert_equal 10.6 [r hincrbyfloat h a 0.1]
        assert_equal 5 [r hincrbyfloat h a -5.6]
        r hset h e 5.0e3
        assert_equal 5200 [r hincrbyfloat h e 2.0e2]
    }

    test "HINCRBYFLOAT errors" {
        r del h
        r hset h s hello
        assert_error "*hash value is not a float*" {r hincrbyfloat h s 1}
        assert_error "*value is not a valid float*" {r hincrbyfloat h a x}
        assert_error "*value is not a valid float*" {r hincrbyfloat h a nan}
        assert_error "*value is NaN or Infinity*" {r hincrbyfloat h a inf}
        r hset h m 1e4932
        assert_error "*increment would produce NaN or Infinity*" {r hincrbyfloat h m 1e4932}
        assert_equal 0 [r hexists h a]
    }

    # ---- HRANDFIELD ----

    foreach {enc n} {listpack 20 hashtable 400} {
        test "HRANDFIELD without count returns one field ($enc)" {
            r del h
            hash_fill h $n
            assert_equal $enc [r object encoding h]
            set f [r hrandfield h]
            assert_equal 1 [r hexists h $f]
            assert_equal (nil) [$nc hrandfield nokey]
        }

        test "HRANDFIELD with a positive count returns distinct fields ($enc)" {
            foreach count [list 1 5 [expr {$n / 2}] [expr {$n - 1}] $n [expr {$n + 10}]] {
                set fields [r hrandfield h $count]
                set want [expr {$count > $n ? $n : $count}]
                assert_equal $want [llength $fields]
                assert_equal $want [llength [lsort -unique $fields]]
            }
            set pairs [r hrandfield h 5 withvalues]
            assert_equal 10 [llength $pairs]
            foreach {f v} $pairs { assert_equal [r hget h $f] $v }
        }

        test "HRANDFIELD with a negative count may repeat fields ($enc)" {
            set fields [r hrandfield h -1000]
            assert_equal 1000 [llength $fields]
            assert_morethan [llength [lsort -unique $fields]] 1
            foreach f [lrange $fields 0 20] { assert_equal 1 [r hexists h $f] }
            set pairs [r hrandfield h -7 withvalues]
            assert_equal 14 [llength $pairs]
        }

        test "HRANDFIELD picks every field over many draws ($enc)" {
            set seen [dict create]
            foreach f [r hrandfield h [expr {-50 * $n}]] { dict incr seen $f }
            assert_equal $n [dict size $seen]
            # each field should come up about 50 times; none wildly off
            dict for {f times} $seen { assert_range $times 5 200 }
        }
    }

    test "HRANDFIELD on a missing key and with count 0" {
        r del nokey h
        r hset h a 1
        assert_equal {} [r hrandfield nokey 5]
        assert_equal {} [r hrandfield h 0]
        assert_equal {} [r hrandfield h 0 withvalues]
    }

    test "HRANDFIELD errors" {
        r del h
        r hset h a 1
        assert_error "*value is not an integer or out of range*" {r hrandfield h x}
        assert_error "*syntax error*" {r hrandfield h 1 foo}
        assert_error "*syntax error*" {r hrandfield h 1 withvalues extra}
        assert_error "*value is out of range*" {r hrandfield h -9223372036854770000 withvalues}
    }

    # ---- HSCAN ----

    test "HSCAN of a listpack hash returns everything with cursor 0" {
        r del h
        r hset h a 1 b 2 c 3
        set reply [r hscan h 0]
        assert_equal 0 [lindex $reply 0]
        assert_equal {a 1 b 2 c 3} [lsort -stride 2 [lindex $reply 1]]
        set reply [r hscan h 0 match b*]
        assert_equal {b 2} [lindex $reply 1]
    }

    test "HSCAN of a hashtable hash walks every field" {
        r del h
        hash_fill h 1000
        assert_equal hashtable [r object encoding h]
        set cursor 0
        set seen [dict create]
        while 1 {
            lassign [r hscan h $cursor count 50] cursor items
            foreach {f v} $items {
                assert_equal "v[string range $f 1 end]" $v
                dict set seen $f 1
            }
            if {$cursor == 0} break
        }
        assert_equal 1000 [dict size $seen]
    }

    test "HSCAN MATCH filters fields" {
        set cursor 0
        set found {}
        while 1 {
            lassign [r hscan h $cursor match f99*] cursor items
            foreach {f v} $items { lappend found $f }
            if {$cursor == 0} break
        }
        assert_equal {f99 f990 f991 f992 f993 f994 f995 f996 f997 f998 f999} [lsort $found]
    }

    test "HSCAN NOVALUES returns fields only" {
        skip_unless {[hash_server_has_novalues]} "HSCAN NOVALUES is Valkey 8"
        r del h1
        r hset h1 a 1 b 2
        assert_equal {a b} [lsort [lindex [r hscan h1 0 novalues] 1]]
        set cursor 0
        set n 0
        while 1 {
            lassign [r hscan h $cursor count 100 novalues] cursor items
            incr n [llength $items]
            if {$cursor == 0} break
        }
        assert_equal 1000 $n
    }

    test "HSCAN errors and a missing key" {
        assert_equal {0 {}} [r hscan nokey 0]
        assert_error "*invalid cursor*" {r hscan h abc}
        assert_error "*syntax error*" {r hscan h 0 count 0}
        assert_error "*value is not an integer*" {r hscan h 0 count x}
        assert_error "*syntax error*" {r hscan h 0 foo}
    }

    # ---- RESP3 ----

    test "HGETALL and HRANDFIELD WITHVALUES in RESP3" {
        set c3 [keel_client -resp 3]
        $c3 del h
        $c3 hset h a 1 b 2
        set all [$c3 hgetall h]
        assert_equal {a 1 b 2} [lsort -stride 2 $all]
        set pairs [$c3 hrandfield h 2 withvalues]
        assert_equal 2 [llength $pairs]
        foreach pair $pairs { assert_equal 2 [llength $pair] }
        set pairs [$c3 hrandfield h -3 withvalues]
        assert_equal 3 [llength $pairs]
        assert_equal {} [$c3 hgetall nokey]
        $c3 close
    }

    test "HGET of a missing field is a RESP3 null" {
        set c3 [keel_client -resp 3 -null (null)]
        assert_equal (null) [$c3 hget nokey a]
        $c3 close
    }

    $nc close
}
