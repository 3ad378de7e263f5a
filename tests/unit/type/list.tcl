# tests/unit/type/list.tcl: the list commands (LPUSH RPUSH LPUSHX RPUSHX
# LPOP RPOP LLEN LRANGE LINDEX LSET LINSERT LREM LTRIM LPOS LMOVE RPOPLPUSH
# LMPOP and the blocking forms when they can serve at once), both encodings
# (listpack and quicklist) and the conversions between them, compressed
# quicklists, and a big list.
#
# The key tests run twice: with small elements (the list stays a listpack)
# and with one 9000-byte element (past the default 8 KiB node limit, so the
# list is a quicklist). Every test passes against Debian's redis-server 7.0
# too, except LPOS RANK with LLONG_MIN (Redis 7.0 accepts it; Valkey refuses
# it) and the encoding checks (Redis 7.0 has no listpack lists), which skip
# themselves there.

# True for Valkey and keel (LPOS RANK -9223372036854775808 is an error).
proc list_server_is_valkey_like {} {
    return [catch {r lpos __probe x rank -9223372036854775808}]
}

# True when small lists are listpacks (Valkey, keel, Redis 7.2+); Redis 7.0
# keeps every list a quicklist.
proc list_server_has_listpack {} {
    r del __lp_probe
    r rpush __lp_probe a
    set enc [r object encoding __lp_probe]
    r del __lp_probe
    return [expr {$enc eq "listpack"}]
}

# Checks key's encoding where lists have two (see list_server_has_listpack).
proc list_assert_encoding {enc key} {
    if {[list_server_has_listpack]} { assert_equal $enc [r object encoding $key] }
}

# Pushes n elements "0".."n-1" to the tail of key, 1000 per command.
proc list_fill {key n} {
    r del $key
    for {set i 0} {$i < $n} {incr i 1000} {
        set batch {}
        for {set j $i} {$j < $i + 1000 && $j < $n} {incr j} { lappend batch $j }
        r rpush $key {*}$batch
    }
}

array set largevalue {}
set largevalue(listpack) "hello"
set largevalue(quicklist) [string repeat x 9000]

start_server {tags {list}} {
    set nc [keel_client -null (nil)]
    r config set list-max-listpack-size -2
    r config set list-compress-depth 0

    foreach {type large} [array get largevalue] {
        test "LPUSH, RPUSH, LLEN, LINDEX, LPOP, RPOP - $type" {
            r del mylist
            assert_equal 1 [r lpush mylist $large]
            list_assert_encoding $type mylist
            assert_equal 2 [r rpush mylist b]
            assert_equal 3 [r rpush mylist c]
            assert_equal 5 [r lpush mylist 1 0]
            assert_equal 5 [r llen mylist]
            assert_equal {0 1} [list [r lindex mylist 0] [r lindex mylist 1]]
            assert_equal $large [r lindex mylist 2]
            assert_equal c [r lindex mylist -1]
            assert_equal (nil) [$nc lindex mylist 5]
            assert_equal (nil) [$nc lindex mylist -6]
            assert_equal 0 [r lpop mylist]
            assert_equal c [r rpop mylist]
            assert_equal [list 1 $large] [r lpop mylist 2]
            assert_equal b [r rpop mylist]
            assert_equal 0 [r exists mylist]
        }

        test "LPUSHX, RPUSHX only push to an existing list - $type" {
            r del xlist
            assert_equal 0 [r lpushx xlist a]
            assert_equal 0 [r rpushx xlist a b]
            assert_equal 0 [r exists xlist]
            r rpush xlist $large
            assert_equal 3 [r rpushx xlist b c]
            assert_equal 5 [r lpushx xlist y z]
            assert_equal [list z y $large b c] [r lrange xlist 0 -1]
        }

        test "LRANGE with every kind of range - $type" {
            r del mylist
            r rpush mylist $large 1 2 3 4 5 6 7 8 9
            assert_equal {1 2 3 4 5 6 7 8} [r lrange mylist 1 -2]
            assert_equal {7 8 9} [r lrange mylist -3 -1]
            assert_equal {4} [r lrange mylist 4 4]
            assert_equal {} [r lrange mylist 5 4]
            assert_equal {} [r lrange mylist 10 20]
            assert_equal {8 9} [r lrange mylist -2 100]
            assert_equal 10 [llength [r lrange mylist -100 100]]
            assert_equal {} [r lrange mylist -100 -50]
            assert_equal {} [r lrange nosuchkey 0 -1]
        }

        test "LSET replaces by index, both signs - $type" {
            r del mylist
            r rpush mylist $large b c
            r lset mylist 1 foo
            r lset mylist -1 bar
            assert_equal [list $large foo bar] [r lrange mylist 0 -1]
            r lset mylist 0 $large$large
            assert_equal $large$large [r lindex mylist 0]
            assert_error "*index out of range*" {r lset mylist 3 x}
            assert_error "*index out of range*" {r lset mylist -4 x}
            assert_error "*no such key*" {r lset nosuchkey 0 x}
            assert_error "*not an integer*" {r lset mylist a x}
        }

        test "LINSERT before and after a pivot - $type" {
            r del mylist
            r rpush mylist a b $large c d
            assert_equal 6 [r linsert mylist before c zz]
            assert_equal [list a b $large zz c d] [r lrange mylist 0 -1]
            assert_equal 7 [r linsert mylist after c yy]
            assert_equal 8 [r linsert mylist AFTER d dd]
            assert_equal 9 [r linsert mylist BEFORE a aa]
            assert_equal [list aa a b $large zz c yy d dd] [r lrange mylist 0 -1]
            assert_equal -1 [r linsert mylist before nosuch x]
            assert_equal 0 [r linsert nosuchkey before a x]
            assert_error "*syntax*" {r linsert mylist middle a x}
            assert_equal 10 [r linsert mylist after $large 42]
            assert_equal 42 [r lindex mylist 4]
        }

        test "LREM from the head, the tail, and all - $type" {
            r del mylist
            r rpush mylist foo bar foobar foobared zap bar test foo $large
            assert_equal 2 [r lrem mylist 0 bar]
            assert_equal [list foo foobar foobared zap test foo $large] [r lrange mylist 0 -1]
            assert_equal 1 [r lrem mylist -1 foo]
            assert_equal [list foo foobar foobared zap test $large] [r lrange mylist 0 -1]
            r rpush mylist foo foo
            assert_equal 2 [r lrem mylist 2 foo]
            assert_equal [list foobar foobared zap test $large foo] [r lrange mylist 0 -1]
            assert_equal 0 [r lrem mylist 0 nosuch]
            assert_equal 0 [r lrem nosuchkey 0 x]
            assert_equal 1 [r lrem mylist 0 $large]
            r del ints
            r rpush ints 1 2 1 3 1
            assert_equal 3 [r lrem ints 0 1]
            assert_equal {2 3} [r lrange ints 0 -1]
            assert_error "*not an integer*" {r lrem ints x 1}
        }

        test "LTRIM keeps the range and deletes an emptied list - $type" {
            r del mylist
            r rpush mylist $large 1 2 3 4 5
            r ltrim mylist 1 -2
            assert_equal {1 2 3 4} [r lrange mylist 0 -1]
            r ltrim mylist -3 100
            assert_equal {2 3 4} [r lrange mylist 0 -1]
            assert_equal OK [r ltrim mylist 5 10]
            assert_equal 0 [r exists mylist]
            assert_equal OK [r ltrim nosuchkey 0 1]
            assert_error "*not an integer*" {r ltrim mylist a 1}
        }

        test "LPOS with RANK, COUNT and MAXLEN - $type" {
            r del mylist
            r rpush mylist a b c 1 2 3 c c $large
            assert_equal 2 [r lpos mylist c]
            assert_equal 6 [r lpos mylist c rank 2]
            assert_equal 7 [r lpos mylist c rank -1]
            assert_equal 6 [r lpos mylist c rank -2]
            assert_equal {2 6} [r lpos mylist c count 2]
            assert_equal {2 6 7} [r lpos mylist c count 0]
            assert_equal {7 6 2} [r lpos mylist c count 0 rank -1]
            assert_equal {2} [r lpos mylist c count 0 maxlen 5]
            assert_equal {} [r lpos mylist c count 0 maxlen 1]
            assert_equal (nil) [$nc lpos mylist c maxlen 1]
            assert_equal 4 [r lpos mylist 2]
            assert_equal 8 [r lpos mylist $large]
            assert_equal (nil) [$nc lpos mylist nosuch]
            assert_equal {} [r lpos mylist nosuch count 5]
            assert_equal (nil) [$nc lpos nosuchkey a]
            assert_equal {} [r lpos nosuchkey a count 1]
        }

        test "LMOVE between lists and onto itself - $type" {
            r del src dst
            r rpush src $large b c
            assert_equal c [r lmove src dst right left]
            assert_equal $large [r lmove src dst left right]
            assert_equal [list c $large] [r lrange dst 0 -1]
            assert_equal b [r rpoplpush src dst]
            assert_equal 0 [r exists src]
            assert_equal [list b c $large] [r lrange dst 0 -1]
            assert_equal $large [r lmove dst dst right left]
            assert_equal [list $large b c] [r lrange dst 0 -1]
            assert_equal (nil) [$nc lmove nosuchkey dst left left]
            assert_equal (nil) [$nc rpoplpush nosuchkey dst]
        }

        test "LMPOP pops from the first non-empty key - $type" {
            r del k1 k2 k3
            r rpush k2 $large b c d
            assert_equal [list k2 [list $large]] [r lmpop 3 k1 k2 k3 left]
            assert_equal {k2 {d c}} [r lmpop 2 k1 k2 right count 2]
            assert_equal {k2 b} [r lmpop 1 k2 left count 10]
            assert_equal 0 [r exists k2]
            assert_equal (nil) [$nc lmpop 2 k1 k2 left]
        }
    }

    # ---- bad paths shared by both encodings ----

    test "List commands on a key of another type reply WRONGTYPE" {
        r del str
        r set str value
        foreach cmd {
            {lpush str a} {rpush str a} {lpushx str a} {rpushx str a} {lpop str} {rpop str}
            {lpop str 2} {llen str} {lrange str 0 -1} {lindex str 0} {lset str 0 a}
            {linsert str before a b} {lrem str 0 a} {ltrim str 0 1} {lpos str a}
            {lmove str dst left left} {rpoplpush str dst} {lmpop 1 str left}
            {blpop str 0} {brpop str 0} {blmove str dst left left 0} {brpoplpush str dst 0}
            {blmpop 0 1 str left}
        } {
            assert_error "WRONGTYPE*" [list r {*}$cmd]
        }
        r del src
        r rpush src a
        assert_error "WRONGTYPE*" {r lmove src str left left}
        assert_error "WRONGTYPE*" {r rpoplpush src str}
        assert_equal {a} [r lrange src 0 -1]
    }

    test "List commands check their arity" {
        foreach cmd {
            {lpush l} {rpush l} {lpushx l} {rpushx l} {lpop} {lpop l 1 2} {llen} {lrange l 0}
            {lindex l} {lset l 0} {linsert l before a} {lrem l 0} {ltrim l 0} {lpos l}
            {lmove a b left} {rpoplpush a} {lmpop 1} {blpop l} {brpop l} {blmove a b left left}
            {brpoplpush a b} {blmpop 0 1}
        } {
            assert_error "*wrong number of arguments*" [list r {*}$cmd]
        }
    }

    test "LPOP and RPOP with a count: bad counts, zero and missing keys" {
        r del mylist
        r rpush mylist a b c
        assert_error "*value is out of range, must be positive*" {r lpop mylist -1}
        assert_error "*value is out of range, must be positive*" {r rpop mylist x}
        assert_equal {} [r lpop mylist 0]
        assert_equal {c b a} [r rpop mylist 10]
        assert_equal 0 [r exists mylist]
        assert_equal (nil) [$nc lpop nosuchkey]
        assert_equal (nil) [$nc lpop nosuchkey 2]
    }

    test "LPOP count and LMPOP in RESP3" {
        set c3 [keel_client -resp 3 -null (null)]
        $c3 del mylist
        $c3 rpush mylist a b c
        assert_equal {a b} [$c3 lpop mylist 2]
        assert_equal (null) [$c3 lpop nosuchkey 2]
        assert_equal (null) [$c3 lpop nosuchkey]
        assert_equal {mylist c} [$c3 lmpop 1 mylist left count 5]
        assert_equal (null) [$c3 lmpop 1 mylist left]
        $c3 close
    }

    test "LINDEX, LRANGE and LSET refuse non-integer indexes" {
        r del mylist
        r rpush mylist a
        assert_error "*not an integer*" {r lindex mylist a}
        assert_error "*not an integer*" {r lrange mylist a 1}
        assert_error "*not an integer*" {r lrange mylist 0 99999999999999999999}
        assert_equal (nil) [$nc lindex nosuchkey a]
    }

    test "LPOS option errors" {
        r del mylist
        r rpush mylist a
        assert_error "*RANK can't be zero*" {r lpos mylist a rank 0}
        assert_error "*COUNT can't be negative*" {r lpos mylist a count -1}
        assert_error "*MAXLEN can't be negative*" {r lpos mylist a maxlen -1}
        assert_error "*syntax error*" {r lpos mylist a foo}
        assert_error "*syntax error*" {r lpos mylist a rank}
        assert_error "*not an integer*" {r lpos mylist a rank x}
    }

    test "LPOS RANK LLONG_MIN is refused" {
        skip_unless {[list_server_is_valkey_like]} "Redis 7.0 accepts it"
        assert_error "*value is out of range*" {r lpos mylist a rank -9223372036854775808}
    }

    test "LMOVE and LMPOP argument errors" {
        assert_error "*syntax error*" {r lmove a b up left}
        assert_error "*syntax error*" {r lmove a b left down}
        assert_error "*numkeys should be greater than 0*" {r lmpop 0 l left}
        assert_error "*numkeys should be greater than 0*" {r lmpop x l left}
        assert_error "*syntax error*" {r lmpop 2 l left}
        assert_error "*syntax error*" {r lmpop 1 l middle}
        assert_error "*count should be greater than 0*" {r lmpop 1 l left count 0}
        assert_error "*syntax error*" {r lmpop 1 l left count 1 count 1}
        assert_error "*syntax error*" {r lmpop 1 l left foo}
        assert_error "*timeout is not a float*" {r blpop l x}
        assert_error "*timeout is negative*" {r blpop l -1}
        assert_error "*numkeys should be greater than 0*" {r blmpop x 0 l left}
        assert_error "*timeout is not a float*" {r blmpop x 1 l left}
        assert_error "*syntax error*" {r blmove a b up left x}
        assert_error "*timeout is not a float*" {r blmove a b left left x}
    }

    # ---- blocking forms that can serve at once ----

    test "BLPOP, BRPOP, BLMOVE, BRPOPLPUSH and BLMPOP serve a non-empty list" {
        r del l1 l2 dst
        r rpush l2 a b c d e
        assert_equal {l2 a} [r blpop l1 l2 0]
        assert_equal {l2 e} [r brpop l1 l2 0]
        assert_equal b [r blmove l2 dst left right 0]
        assert_equal d [r brpoplpush l2 dst 0]
        assert_equal {d b} [r lrange dst 0 -1]
        assert_equal {l2 c} [r blmpop 0 2 l1 l2 left count 3]
        assert_equal 0 [r exists l2]
    }

    test "Blocking pops inside MULTI reply nil at once" {
        r del nosuch
        $nc multi
        $nc blpop nosuch 0
        $nc brpop nosuch 0
        $nc blmpop 0 1 nosuch left
        set res [$nc exec]
        assert_equal {(nil) (nil) (nil)} $res
        $nc multi
        $nc blmove nosuch dst left left 0
        $nc brpoplpush nosuch dst 0
        assert_equal {(nil) (nil)} [$nc exec]
    }

    test "BLPOP blocks and is woken by a push" {
        r del blist
        set rd [keel_deferring_client]
        $rd blpop blist 5
        wait_for_condition 50 20 {[info_field [r info clients] blocked_clients] >= 1} else { fail "not blocked" }
        r rpush blist x
        assert_equal {blist x} [$rd read]
        $rd close
    } {needs:blocking}

    # ---- encodings ----

    test "A list converts to a quicklist past the entry limit and back when small" {
        skip_unless {[list_server_has_listpack]} "Redis 7.0 lists are always quicklists"
        r config set list-max-listpack-size 4
        r del mylist
        r rpush mylist 1 2 3 4
        assert_equal listpack [r object encoding mylist]
        r rpush mylist 5
        assert_equal quicklist [r object encoding mylist]
        r rpop mylist 3
        # 2 elements: a single node at half the limit goes back
        assert_equal listpack [r object encoding mylist]
        assert_equal {1 2} [r lrange mylist 0 -1]
        r del mylist
        r rpush mylist 1 2 3 4 5 6 7 8 9
        assert_equal quicklist [r object encoding mylist]
        r ltrim mylist 0 2
        # 3 elements is over half of 4: stays a quicklist
        assert_equal quicklist [r object encoding mylist]
        r config set list-max-listpack-size -2
    }

    test "A list converts past the byte limit, by one push of many elements too" {
        skip_unless {[list_server_has_listpack]} "Redis 7.0 lists are always quicklists"
        r config set list-max-listpack-size -1
        r del mylist
        r rpush mylist [string repeat a 1000] [string repeat b 1000]
        assert_equal listpack [r object encoding mylist]
        r rpush mylist [string repeat c 1000] [string repeat d 1000] [string repeat e 1000]
        assert_equal quicklist [r object encoding mylist]
        r rpop mylist 4
        assert_equal listpack [r object encoding mylist]
        r del mylist
        r lpush mylist [string repeat x 5000]
        assert_equal quicklist [r object encoding mylist]
        r config set list-max-listpack-size -2
    }

    test "list-max-ziplist-size is an alias and changes apply on the next write" {
        skip_unless {[list_server_has_listpack]} "Redis 7.0 lists are always quicklists"
        r config set list-max-ziplist-size 3
        assert_equal {list-max-listpack-size 3} [r config get list-max-listpack-size]
        r del mylist
        r rpush mylist a b c
        assert_equal listpack [r object encoding mylist]
        r config set list-max-listpack-size 2
        assert_equal listpack [r object encoding mylist]
        r rpush mylist d
        assert_equal quicklist [r object encoding mylist]
        r config set list-max-listpack-size -2
        assert_equal {list-compress-depth 0} [r config get list-compress-depth]
    }

    test "LINSERT and LSET convert a listpack that would grow too big" {
        skip_unless {[list_server_has_listpack]} "Redis 7.0 lists are always quicklists"
        r config set list-max-listpack-size -1
        r del mylist
        r rpush mylist a b c
        r linsert mylist after b [string repeat x 5000]
        assert_equal quicklist [r object encoding mylist]
        assert_equal 4 [r llen mylist]
        r del mylist
        r rpush mylist a b c
        r lset mylist 1 [string repeat y 5000]
        assert_equal quicklist [r object encoding mylist]
        assert_equal [string repeat y 5000] [r lindex mylist 1]
        r config set list-max-listpack-size -2
    }

    # ---- big and compressed lists ----

    foreach depth {0 1 2} {
        test "A 100k-element list gives the same answers with list-compress-depth $depth" {
            r config set list-compress-depth $depth
            list_fill biglist 100000
            list_assert_encoding quicklist biglist
            assert_equal 100000 [r llen biglist]
            assert_equal 0 [r lindex biglist 0]
            assert_equal 54321 [r lindex biglist 54321]
            assert_equal 99999 [r lindex biglist -1]
            assert_equal {50000 50001 50002} [r lrange biglist 50000 50002]
            assert_equal 77777 [r lpos biglist 77777]
            r lset biglist 60000 sixty
            assert_equal sixty [r lindex biglist 60000]
            assert_equal 100001 [r linsert biglist before 30000 x]
            assert_equal 30000 [r lpos biglist x]
            assert_equal 1 [r lrem biglist 0 x]
            r ltrim biglist 10 -11
            assert_equal 99980 [r llen biglist]
            assert_equal {10 11} [r lpop biglist 2]
            assert_equal 99989 [r rpop biglist]
            set total 0
            foreach v [r lrange biglist 0 -1] { if {$v ne "sixty"} { incr total $v } }
            set expected [expr {(99988 * 99989 / 2) - (0+1+2+3+4+5+6+7+8+9+10+11) - 60000}]
            assert_equal $expected $total
            r del biglist
        }
    }
    r config set list-compress-depth 0

    test "LRANGE and LREM on a compressed list with small nodes" {
        r config set list-max-listpack-size 4
        r config set list-compress-depth 1
        r del mylist
        for {set i 0} {$i < 100} {incr i} { r rpush mylist [expr {$i % 10}] "element-$i-padding" }
        assert_equal 200 [r llen mylist]
        assert_equal 10 [r lrem mylist 0 3]
        assert_equal 5 [r lrem mylist -5 5]
        assert_equal {9 element-99-padding} [r lrange mylist -2 -1]
        assert_equal 185 [llength [r lrange mylist 0 -1]]
        r config set list-max-listpack-size -2
        r config set list-compress-depth 0
    }

    test "COMMAND INFO of the list commands" {
        assert_equal {lpush -3 {write denyoom fast} 1 1 1} [lrange [lindex [r command info lpush] 0] 0 5]
        assert_equal {blpop -3 {write noscript blocking} 1 -2 1} [lrange [lindex [r command info blpop] 0] 0 5]
        assert_equal {lmpop -4 {write movablekeys} 0 0 0} [lrange [lindex [r command info lmpop] 0] 0 5]
        assert_equal {lrange 4 readonly 1 1 1} [lrange [lindex [r command info lrange] 0] 0 5]
    }
}
