# tests/unit/type/set.tcl: the set commands (SADD, SREM, SCARD, SISMEMBER,
# SMISMEMBER, SMEMBERS, SPOP, SRANDMEMBER, SMOVE, SINTER, SINTERCARD,
# SINTERSTORE, SUNION, SUNIONSTORE, SDIFF, SDIFFSTORE, SSCAN), the three
# encodings (intset, listpack, hashtable) and the conversions between them.
#
# Every test passes against Debian's redis-server 7.0 too. Redis 7.0 has no
# listpack sets (small sets of strings are hashtables there, and the
# set-max-listpack-* options do not exist): encoding assertions accept
# "hashtable" where keel and Valkey say "listpack", and tests that need the
# listpack options skip themselves. WRONGTYPE tests use a string key.

# True when small sets of strings are listpacks (Valkey 7.2+ and keel).
proc set_has_listpack {} {
    if {![info exists ::set_listpack_probe]} {
        r del __set_probe
        r sadd __set_probe a
        set ::set_listpack_probe [expr {[r object encoding __set_probe] eq "listpack"}]
        r del __set_probe
    }
    return $::set_listpack_probe
}

# Checks key's encoding; "listpack" reads "hashtable" on a server without
# listpack sets.
proc assert_set_encoding {enc key} {
    if {$enc eq "listpack" && ![set_has_listpack]} { set enc hashtable }
    assert_equal $enc [r object encoding $key]
}

# A command as RESP bytes, for tests that read the raw reply.
proc set_multibulk {args} {
    set out "*[llength $args]\r\n"
    foreach a $args { append out "\$[string length $a]\r\n$a\r\n" }
    return $out
}

# Creates key holding members (deleted first).
proc set_create {key members} {
    r del $key
    foreach m $members { r sadd $key $m }
}

start_server {tags {set}} {
    set nc [keel_client -null (nil)]

    # ---- SADD, SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS ----

    test "SADD creates an intset for integers and counts new members only" {
        r del s
        assert_equal 3 [r sadd s 1 2 3]
        assert_equal 1 [r sadd s 3 4]
        assert_equal 0 [r sadd s 1 2]
        assert_equal 4 [r scard s]
        assert_set_encoding intset s
        assert_equal {1 2 3 4} [lsort -integer [r smembers s]]
    }

    test "SADD of a non-canonical integer keeps the exact text" {
        r del s
        r sadd s 01 +1 " 1" 1
        assert_equal 4 [r scard s]
        assert_equal {{ 1} +1 01 1} [lsort [r smembers s]]
        assert_equal 1 [r sismember s 01]
        assert_equal 1 [r sismember s 1]
        assert_equal 0 [r sismember s 001]
    }

    test "SADD creates a listpack for short strings" {
        r del s
        assert_equal 2 [r sadd s a b]
        assert_set_encoding listpack s
        assert_equal {a b} [lsort [r smembers s]]
    }

    test "SADD keeps binary members byte for byte" {
        r del s
        set m "a\x00b\r\n\xff"
        r sadd s $m ""
        assert_equal 1 [r sismember s $m]
        assert_equal 1 [r sismember s ""]
        assert_equal [lsort [list "" $m]] [lsort [r smembers s]]
    }

    test "SADD against a key of another type is WRONGTYPE" {
        r set str x
        assert_error "WRONGTYPE*" {r sadd str a}
        assert_equal x [r get str]
    }

    test "SADD and SREM with too few arguments are arity errors" {
        assert_error "ERR wrong number of arguments for 'sadd' command" {r sadd s}
        assert_error "ERR wrong number of arguments for 'srem' command" {r srem s}
        assert_error "ERR wrong number of arguments for 'scard' command" {r scard}
        assert_error "ERR wrong number of arguments for 'scard' command" {r scard a b}
        assert_error "ERR wrong number of arguments for 'sismember' command" {r sismember s}
        assert_error "ERR wrong number of arguments for 'smismember' command" {r smismember s}
        assert_error "ERR wrong number of arguments for 'smembers' command" {r smembers}
    }

    foreach enc {intset listpack hashtable} {
        test "SREM removes members and deletes the emptied set ($enc)" {
            r del s
            switch $enc {
                intset { r sadd s 1 2 3 }
                listpack { r sadd s a 2 3 }
                hashtable { r sadd s [string repeat x 100] 2 3 }
            }
            assert_set_encoding $enc s
            assert_equal 0 [r srem s nosuch 99]
            assert_equal 1 [r srem s 2 nosuch]
            assert_equal 2 [r scard s]
            assert_equal 2 [r srem s {*}[r smembers s] 3]
            assert_equal 0 [r exists s]
        }
    }

    test "SREM on a missing key replies 0" {
        r del s
        assert_equal 0 [r srem s a]
    }

    test "SREM, SCARD, SISMEMBER, SMISMEMBER, SMEMBERS on a string are WRONGTYPE" {
        r set str x
        assert_error "WRONGTYPE*" {r srem str a}
        assert_error "WRONGTYPE*" {r scard str}
        assert_error "WRONGTYPE*" {r sismember str a}
        assert_error "WRONGTYPE*" {r smismember str a b}
        assert_error "WRONGTYPE*" {r smembers str}
    }

    test "Reads of a missing key reply empty values" {
        r del s
        assert_equal 0 [r scard s]
        assert_equal 0 [r sismember s a]
        assert_equal {0 0} [r smismember s a b]
        assert_equal {} [r smembers s]
    }

    foreach enc {intset listpack hashtable} {
        test "SISMEMBER and SMISMEMBER ($enc)" {
            r del s
            switch $enc {
                intset { r sadd s 1 2 3 }
                listpack { r sadd s a 2 3 }
                hashtable { r sadd s [string repeat x 100] 2 3 }
            }
            assert_set_encoding $enc s
            assert_equal 1 [r sismember s 2]
            assert_equal 0 [r sismember s 4]
            assert_equal 0 [r sismember s b]
            assert_equal {1 0 1 0} [r smismember s 2 4 3 nosuch]
        }
    }

    test "SMEMBERS in RESP3 is a set reply, in RESP2 an array" {
        r del s
        r sadd s a b
        set c [keel_client]
        $c hello 3
        $c write_raw [set_multibulk SMEMBERS s]
        assert_equal "~2" [$c read_raw_line]
        $c read_raw_line; $c read_raw_line; $c read_raw_line; $c read_raw_line
        $c write_raw [set_multibulk SINTER s s]
        assert_equal "~2" [$c read_raw_line]
        $c read_raw_line; $c read_raw_line; $c read_raw_line; $c read_raw_line
        $c write_raw [set_multibulk SMEMBERS nosuch]
        assert_equal "~0" [$c read_raw_line]
        $c hello 2
        $c write_raw [set_multibulk SMEMBERS s]
        assert_equal "*2" [$c read_raw_line]
        $c close
    }

    # ---- encodings and conversions ----

    test "intset becomes a hashtable past set-max-intset-entries" {
        r config set set-max-intset-entries 16
        r del s
        for {set i 0} {$i < 16} {incr i} { r sadd s $i }
        assert_set_encoding intset s
        r sadd s 16
        assert_set_encoding hashtable s
        assert_equal 17 [r scard s]
        r config set set-max-intset-entries 512
    }

    test "SADD of many integers at once to an intset converts up front" {
        r config set set-max-intset-entries 4
        r del s
        r sadd s 1
        r sadd s 1 2 3 4 5
        assert_set_encoding hashtable s
        r config set set-max-intset-entries 512
    }

    test "A set created with more integers than the intset limit is a hashtable" {
        r del s
        set members {}
        for {set i 0} {$i < 513} {incr i} { lappend members $i }
        r sadd s {*}$members
        assert_set_encoding hashtable s
        assert_equal 513 [r scard s]
    }

    test "Default intset limit is 512 members" {
        r del s
        set members {}
        for {set i 0} {$i < 512} {incr i} { lappend members $i }
        r sadd s {*}$members
        assert_set_encoding intset s
        r sadd s 512
        assert_set_encoding hashtable s
    }

    test "intset upgrades keep every member (16, 32, 64 bits)" {
        r del s
        r sadd s 1 -32768 32767
        r sadd s 32768 -2147483649 9223372036854775807 -9223372036854775808
        assert_set_encoding intset s
        assert_equal 7 [r scard s]
        foreach m {1 -32768 32767 32768 -2147483649 9223372036854775807 -9223372036854775808} {
            assert_equal 1 [r sismember s $m]
        }
        assert_equal 0 [r sismember s 9223372036854775808]
    }

    test "intset becomes a listpack when a short string arrives" {
        r del s
        r sadd s 1 2 3
        r sadd s a
        assert_set_encoding listpack s
        assert_equal {1 2 3 a} [lsort [r smembers s]]
        assert_equal 1 [r sismember s 2]
    }

    test "intset becomes a hashtable when a long string arrives" {
        r del s
        r sadd s 1 2 3
        r sadd s [string repeat a 65]
        assert_set_encoding hashtable s
        assert_equal 4 [r scard s]
    }

    test "intset bigger than the listpack limit becomes a hashtable on a string" {
        r del s
        set members {}
        for {set i 0} {$i < 200} {incr i} { lappend members $i }
        r sadd s {*}$members
        assert_set_encoding intset s
        r sadd s a
        assert_set_encoding hashtable s
        assert_equal 201 [r scard s]
    }

    test "listpack becomes a hashtable past 128 members" {
        r del s
        for {set i 0} {$i < 128} {incr i} { r sadd s m$i }
        assert_set_encoding listpack s
        r sadd s m128
        assert_set_encoding hashtable s
        assert_equal 129 [r scard s]
        assert_equal 1 [r sismember s m0]
    }

    test "listpack becomes a hashtable on a member longer than 64 bytes" {
        r del s
        r sadd s a [string repeat b 64]
        assert_set_encoding listpack s
        r sadd s [string repeat c 65]
        assert_set_encoding hashtable s
        assert_equal 3 [r scard s]
    }

    test "CONFIG SET of the listpack limits changes the conversions" {
        skip_unless {[set_has_listpack]} "server has no listpack sets"
        r config set set-max-listpack-entries 4
        r config set set-max-listpack-value 8
        r del s t
        r sadd s a b c d
        assert_set_encoding listpack s
        r sadd s e
        assert_set_encoding hashtable s
        r sadd t 12345678
        r sadd t abcdefgh
        assert_set_encoding listpack t
        r sadd t abcdefghi
        assert_set_encoding hashtable t
        r config set set-max-listpack-entries 128
        r config set set-max-listpack-value 64
    }

    test "The ziplist names are aliases of the listpack options" {
        skip_unless {[set_has_listpack]} "server has no listpack sets"
        r config set set-max-ziplist-entries 7
        assert_equal {set-max-listpack-entries 7} [r config get set-max-listpack-entries]
        r config set set-max-listpack-entries 128
        assert_equal {set-max-listpack-value 64} [r config get set-max-listpack-value]
        assert_equal {set-max-intset-entries 512} [r config get set-max-intset-entries]
    }

    test "CONFIG SET of the set limits refuses bad values" {
        assert_error "ERR*" {r config set set-max-intset-entries -1}
        assert_error "ERR*" {r config set set-max-intset-entries abc}
    }

    test "Removing members never converts back" {
        r del s
        r sadd s 1 2 a
        r srem s a
        assert_set_encoding listpack s
        r del s
        r sadd s 1 [string repeat x 100]
        r srem s [string repeat x 100]
        assert_set_encoding hashtable s
    }

    # ---- SMOVE ----

    test "SMOVE moves a member between sets of every encoding" {
        set_create src {1 2 a}
        set_create dst [list 3 [string repeat z 80]]
        assert_equal 1 [r smove src dst a]
        assert_equal 0 [r sismember src a]
        assert_equal 1 [r sismember dst a]
        assert_equal 1 [r smove src dst 1]
        assert_equal 0 [r smove src dst nosuch]
    }

    test "SMOVE to a missing key creates it with the right encoding" {
        r del src dst
        r sadd src 1 2
        assert_equal 1 [r smove src dst 1]
        assert_set_encoding intset dst
        r del dst
        r sadd src b
        assert_equal 1 [r smove src dst b]
        assert_set_encoding listpack dst
    }

    test "SMOVE of the last member deletes the source" {
        r del src dst
        r sadd src a
        assert_equal 1 [r smove src dst a]
        assert_equal 0 [r exists src]
        assert_equal a [r smembers dst]
    }

    test "SMOVE of a member the destination has already counts 1" {
        r del src dst
        r sadd src a b
        r sadd dst a
        assert_equal 1 [r smove src dst a]
        assert_equal b [r smembers src]
        assert_equal a [r smembers dst]
    }

    test "SMOVE with the same source and destination changes nothing" {
        r del src
        r sadd src a b
        assert_equal 1 [r smove src src a]
        assert_equal 0 [r smove src src c]
        assert_equal {a b} [lsort [r smembers src]]
    }

    test "SMOVE from a missing source replies 0, even to a wrong-type destination" {
        r del src
        r set str x
        assert_equal 0 [r smove src str a]
    }

    test "SMOVE against a wrong type on either key is WRONGTYPE" {
        r del src
        r sadd src a
        r set str x
        assert_error "WRONGTYPE*" {r smove str src a}
        assert_error "WRONGTYPE*" {r smove src str a}
        assert_equal 1 [r sismember src a]
        assert_error "ERR wrong number of arguments for 'smove' command" {r smove src dst}
    }

    # ---- SPOP ----

    foreach enc {intset listpack hashtable} {
        test "SPOP without count pops every member once ($enc)" {
            r del s
            switch $enc {
                intset { set members {1 2 3 4 5} }
                listpack { set members {a b c d 5} }
                hashtable { set members [list a b c d [string repeat e 100]] }
            }
            r sadd s {*}$members
            assert_set_encoding $enc s
            set popped {}
            for {set i 0} {$i < 5} {incr i} { lappend popped [r spop s] }
            assert_equal [lsort $members] [lsort $popped]
            assert_equal 0 [r exists s]
            assert_equal (nil) [$nc spop s]
        }

        test "SPOP with count: small, large and whole set ($enc)" {
            r del s
            set members {}
            for {set i 0} {$i < 100} {incr i} {
                switch $enc {
                    intset { lappend members $i }
                    listpack { lappend members m$i }
                    hashtable { lappend members [string repeat m 70]$i }
                }
            }
            r sadd s {*}$members
            assert_set_encoding $enc s
            set popped [r spop s 3]
            assert_equal 3 [llength [lsort -unique $popped]]
            assert_equal 97 [r scard s]
            set popped [concat $popped [r spop s 90]]
            assert_equal 93 [llength [lsort -unique $popped]]
            assert_equal 7 [r scard s]
            foreach m $popped { assert_equal 0 [r sismember s $m] }
            set popped [concat $popped [r spop s 100]]
            assert_equal [lsort $members] [lsort $popped]
            assert_equal 0 [r exists s]
        }
    }

    test "SPOP with count 0 or on a missing key replies an empty array" {
        r del s
        assert_equal {} [r spop s 0]
        assert_equal {} [r spop s 5]
        r sadd s a
        assert_equal {} [r spop s 0]
        assert_equal 1 [r scard s]
    }

    test "SPOP with a negative or non-integer count is an error" {
        r del s
        r sadd s a
        assert_error "ERR value is out of range, must be positive" {r spop s -1}
        assert_error "ERR value is out of range, must be positive" {r spop s abc}
        assert_error "ERR syntax error" {r spop s 1 2}
        assert_error "ERR wrong number of arguments for 'spop' command" {r spop}
        r set str x
        assert_error "WRONGTYPE*" {r spop str}
        assert_error "WRONGTYPE*" {r spop str 2}
    }

    test "SPOP picks every member with similar frequency" {
        set counts [dict create]
        for {set i 0} {$i < 1000} {incr i} {
            r del s
            r sadd s a b c d e
            dict incr counts [r spop s]
        }
        assert_equal 5 [dict size $counts]
        dict for {m n} $counts { assert_range $n 120 280 $m }
    }

    test "SPOP leaves an intset remainder as an intset" {
        r del s
        set members {}
        for {set i 0} {$i < 300} {incr i} { lappend members $i }
        r sadd s {*}$members
        r spop s 290
        assert_equal 10 [r scard s]
        assert_set_encoding intset s
    }

    # ---- SRANDMEMBER ----

    foreach enc {intset listpack hashtable} {
        test "SRANDMEMBER with and without count ($enc)" {
            r del s
            set members {}
            for {set i 0} {$i < 50} {incr i} {
                switch $enc {
                    intset { lappend members $i }
                    listpack { lappend members m$i }
                    hashtable { lappend members [string repeat m 70]$i }
                }
            }
            r sadd s {*}$members
            assert_set_encoding $enc s
            assert {[lsearch -exact $members [r srandmember s]] >= 0}
            foreach count {1 5 20 49 50 51 1000} {
                set got [r srandmember s $count]
                set expect [expr {$count < 50 ? $count : 50}]
                assert_equal $expect [llength $got] "count $count"
                assert_equal $expect [llength [lsort -unique $got]] "count $count distinct"
                foreach m $got { assert {[lsearch -exact $members $m] >= 0} }
            }
            set got [r srandmember s -200]
            assert_equal 200 [llength $got]
            foreach m $got { assert {[lsearch -exact $members $m] >= 0} }
            assert_equal 50 [r scard s]
        }
    }

    test "SRANDMEMBER count 0, missing key, and errors" {
        r del s
        assert_equal (nil) [$nc srandmember s]
        assert_equal {} [r srandmember s 5]
        assert_equal {} [r srandmember s -5]
        r sadd s a
        assert_equal {} [r srandmember s 0]
        assert_equal {a a a} [r srandmember s -3]
        assert_error "ERR value is not an integer or out of range" {r srandmember s x}
        assert_error "ERR value is out of range*" {r srandmember s -9223372036854775808}
        assert_error "ERR syntax error" {r srandmember s 1 2}
        r set str x
        assert_error "WRONGTYPE*" {r srandmember str}
        assert_error "WRONGTYPE*" {r srandmember str 3}
    }

    test "SRANDMEMBER with a negative count picks members with similar frequency" {
        r del s
        r sadd s a b c d e
        set counts [dict create]
        foreach m [r srandmember s -5000] { dict incr counts $m }
        assert_equal 5 [dict size $counts]
        dict for {m n} $counts { assert_range $n 800 1200 $m }
    }

    test "SRANDMEMBER distinct picks cover the set over many calls" {
        r del s
        set members {}
        for {set i 0} {$i < 300} {incr i} { lappend members m$i }
        r sadd s {*}$members
        set seen [dict create]
        for {set i 0} {$i < 100} {incr i} {
            foreach m [r srandmember s 10] { dict incr seen $m }
        }
        assert_morethan [dict size $seen] 250
    }

    # ---- SINTER, SINTERCARD, SINTERSTORE ----

    test "Set algebra across mixed encodings" {
        r del a b c
        r sadd a 1 2 3 4 5
        r sadd b 3 4 5 x y
        r sadd c 4 5 6 [string repeat z 80]
        assert_equal {4 5} [lsort [r sinter a b c]]
        assert_equal {3 4 5} [lsort [r sinter a b]]
        assert_equal [lsort [list 1 2 3 4 5 6 x y [string repeat z 80]]] [lsort [r sunion a b c]]
        assert_equal {1 2} [lsort [r sdiff a b c]]
        assert_equal {x y} [lsort [r sdiff b a c]]
        assert_equal 2 [r sintercard 3 a b c]
    }

    test "SINTER with a missing key is empty, but every key is type-checked" {
        r del a nokey
        r sadd a 1 2
        r set str x
        assert_equal {} [r sinter a nokey]
        assert_error "WRONGTYPE*" {r sinter nokey str}
        assert_error "WRONGTYPE*" {r sinter a str}
        assert_error "WRONGTYPE*" {r sinter str a}
        assert_error "ERR wrong number of arguments for 'sinter' command" {r sinter}
    }

    test "SINTER of a set with itself is the set" {
        r del a
        r sadd a x y
        assert_equal {x y} [lsort [r sinter a a]]
    }

    test "SINTERSTORE stores the smallest fitting encoding" {
        r del a b d
        r sadd a 1 2 3 x
        r sadd b 1 2 3 y [string repeat z 80]
        assert_equal 3 [r sinterstore d a b]
        assert_set_encoding intset d
        r sadd a y
        assert_equal 4 [r sinterstore d a b]
        assert_set_encoding listpack d
        assert_equal {1 2 3 y} [lsort [r smembers d]]
    }

    test "SINTERSTORE with an empty result deletes the destination" {
        r del a b d
        r sadd a 1
        r sadd b 2
        r set d old
        assert_equal 0 [r sinterstore d a b]
        assert_equal 0 [r exists d]
        r set d old
        assert_equal 0 [r sinterstore d a nokey]
        assert_equal 0 [r exists d]
    }

    test "SINTERSTORE overwrites a destination of another type and its TTL" {
        r del a d
        r sadd a 1 2
        r set d old ex 100
        assert_equal 2 [r sinterstore d a a]
        assert_equal set [r type d]
        assert_equal -1 [r ttl d]
    }

    test "SINTERSTORE into one of its sources" {
        r del a b
        r sadd a 1 2 3
        r sadd b 2 3 4
        assert_equal 2 [r sinterstore a a b]
        assert_equal {2 3} [lsort [r smembers a]]
    }

    test "SINTERSTORE errors" {
        r set str x
        r del a
        r sadd a 1
        assert_error "WRONGTYPE*" {r sinterstore d a str}
        assert_error "ERR wrong number of arguments for 'sinterstore' command" {r sinterstore d}
    }

    test "SINTERCARD counts and stops at LIMIT" {
        r del a b
        r sadd a 1 2 3 4 5 x
        r sadd b 1 2 3 4 5 y
        assert_equal 5 [r sintercard 2 a b]
        assert_equal 3 [r sintercard 2 a b limit 3]
        assert_equal 5 [r sintercard 2 a b limit 0]
        assert_equal 5 [r sintercard 2 a b LIMIT 10]
        assert_equal 0 [r sintercard 2 a nokey]
        assert_equal 6 [r sintercard 1 a]
    }

    test "SINTERCARD errors" {
        r del a
        r sadd a 1
        r set str x
        assert_error "ERR numkeys should be greater than 0" {r sintercard 0 a}
        assert_error "ERR numkeys should be greater than 0" {r sintercard -1 a}
        assert_error "ERR numkeys should be greater than 0" {r sintercard x a}
        assert_error "ERR Number of keys can't be greater than number of args" {r sintercard 3 a b}
        assert_error "ERR LIMIT can't be negative" {r sintercard 1 a limit -1}
        assert_error "ERR LIMIT can't be negative" {r sintercard 1 a limit x}
        assert_error "ERR syntax error" {r sintercard 1 a limit}
        assert_error "ERR syntax error" {r sintercard 1 a foo 1}
        assert_error "WRONGTYPE*" {r sintercard 2 a str}
        assert_error "ERR wrong number of arguments for 'sintercard' command" {r sintercard 1}
    }

    # ---- SUNION, SDIFF and their STOREs ----

    test "SUNIONSTORE stores the smallest fitting encoding" {
        r del a b d
        r sadd a 1 2
        r sadd b 3 4
        assert_equal 4 [r sunionstore d a b nokey]
        assert_set_encoding intset d
        r sadd b x
        assert_equal 5 [r sunionstore d a b]
        assert_set_encoding listpack d
        r sadd b [string repeat z 80]
        assert_equal 6 [r sunionstore d a b]
        assert_set_encoding hashtable d
    }

    test "SUNION with missing keys only is empty; STORE deletes" {
        r del d
        r set d x
        assert_equal {} [r sunion nokey1 nokey2]
        assert_equal 0 [r sunionstore d nokey1 nokey2]
        assert_equal 0 [r exists d]
    }

    test "SDIFF: first set missing, same set twice, all removed" {
        r del a b
        r sadd a 1 2 3
        r sadd b 1 2 3
        assert_equal {} [r sdiff nokey a]
        assert_equal {} [r sdiff a a]
        assert_equal {} [r sdiff a b]
        assert_equal {1 2 3} [lsort [r sdiff a nokey]]
        assert_equal {1 2 3} [lsort [r sdiff a]]
    }

    test "SDIFF gives the same result with both algorithms" {
        r del big small
        set members {}
        for {set i 0} {$i < 1000} {incr i} { lappend members $i }
        r sadd big {*}$members
        r sadd small 5 6 7 nosuch
        # small first: walk-and-probe; big first, small to subtract: copy-and-remove.
        assert_equal {nosuch} [r sdiff small big]
        assert_equal 997 [llength [r sdiff big small]]
        assert_equal 997 [r sdiffstore d big small]
        assert_equal 0 [r sismember d 5]
        assert_equal 1 [r sismember d 4]
    }

    test "SDIFFSTORE empty result deletes the destination" {
        r del a d
        r sadd a 1
        r sadd d 9
        assert_equal 0 [r sdiffstore d a a]
        assert_equal 0 [r exists d]
    }

    test "SUNION, SDIFF and their STOREs check every key's type" {
        r set str x
        r del a
        r sadd a 1
        assert_error "WRONGTYPE*" {r sunion a str}
        assert_error "WRONGTYPE*" {r sunion str a}
        assert_error "WRONGTYPE*" {r sdiff a str}
        assert_error "WRONGTYPE*" {r sdiff nokey str}
        assert_error "WRONGTYPE*" {r sunionstore d a str}
        assert_error "WRONGTYPE*" {r sdiffstore d a str}
        assert_equal 1 [r sunionstore str a]
        assert_equal set [r type str]
        assert_error "ERR wrong number of arguments for 'sunion' command" {r sunion}
        assert_error "ERR wrong number of arguments for 'sdiff' command" {r sdiff}
        assert_error "ERR wrong number of arguments for 'sunionstore' command" {r sunionstore d}
        assert_error "ERR wrong number of arguments for 'sdiffstore' command" {r sdiffstore d}
    }

    # ---- SSCAN ----

    test "SSCAN of a small set returns everything with cursor 0" {
        r del s
        r sadd s a b c
        lassign [r sscan s 0] cursor members
        assert_equal 0 $cursor
        assert_equal {a b c} [lsort $members]
        r del s
        r sadd s 1 2 3
        lassign [r sscan s 0 count 1] cursor members
        assert_equal 0 $cursor
        assert_equal {1 2 3} [lsort $members]
    }

    test "SSCAN of a hashtable set visits every member" {
        r del s
        set members {}
        for {set i 0} {$i < 1000} {incr i} { lappend members m$i }
        r sadd s {*}$members
        assert_set_encoding hashtable s
        set cursor 0
        set seen {}
        set calls 0
        while 1 {
            lassign [r sscan s $cursor count 20] cursor page
            lappend seen {*}$page
            incr calls
            if {$cursor == 0} break
        }
        assert_morethan $calls 5
        assert_equal [lsort $members] [lsort -unique $seen]
    }

    test "SSCAN with MATCH" {
        r del s
        set members {}
        for {set i 0} {$i < 300} {incr i} { lappend members m$i }
        r sadd s {*}$members
        set cursor 0
        set seen {}
        while 1 {
            lassign [r sscan s $cursor match m1* count 50] cursor page
            lappend seen {*}$page
            if {$cursor == 0} break
        }
        assert_equal 111 [llength [lsort -unique $seen]]
        r del t
        r sadd t foo bar 12
        assert_equal {0 foo} [r sscan t 0 match f*]
    }

    test "SSCAN errors and a missing key" {
        r del s
        assert_equal {0 {}} [r sscan s 0]
        r sadd s a
        assert_error "ERR invalid cursor" {r sscan s abc}
        assert_error "ERR syntax error" {r sscan s 0 count 0}
        assert_error "ERR value is not an integer or out of range" {r sscan s 0 count x}
        assert_error "ERR syntax error" {r sscan s 0 foo}
        assert_error "ERR syntax error" {r sscan s 0 match}
        assert_error "ERR syntax error" {r sscan s 0 type set}
        r set str x
        assert_error "WRONGTYPE*" {r sscan str 0}
        assert_error "ERR wrong number of arguments for 'sscan' command" {r sscan s}
    }

    # ---- a big set ----

    test "A set of 100000 members" {
        r del big
        for {set i 0} {$i < 100} {incr i} {
            set batch {}
            for {set j 0} {$j < 1000} {incr j} { lappend batch m[expr {$i * 1000 + $j}] }
            r sadd big {*}$batch
        }
        assert_equal 100000 [r scard big]
        assert_set_encoding hashtable big
        assert_equal 1 [r sismember big m99999]
        assert_equal 0 [r sismember big m100000]
        assert_equal 100 [llength [r srandmember big 100]]
        assert_equal 99000 [llength [r spop big 99000]]
        assert_equal 1000 [r scard big]
        r del a
        r sadd a m1 m2 nosuch
        set left [r sinter a big]
        assert_equal [llength $left] [r sintercard 2 a big]
        assert_equal 1000 [r sunionstore u big]
        assert_equal 0 [llength [r sdiff big u]]
    }

    # ---- commands ----

    test "COMMAND INFO of the set commands" {
        assert_equal {sadd -3 {write denyoom fast} 1 1 1} [lrange [lindex [r command info sadd] 0] 0 5]
        assert_equal {sintercard -3 {readonly movablekeys} 0 0 0} [lrange [lindex [r command info sintercard] 0] 0 5]
        assert_equal {smove 4 {write fast} 1 2 1} [lrange [lindex [r command info smove] 0] 0 5]
        assert_equal {sinterstore -3 {write denyoom} 1 -1 1} [lrange [lindex [r command info sinterstore] 0] 0 5]
    }
}
