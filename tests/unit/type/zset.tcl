# tests/unit/type/zset.tcl: the sorted set commands: ZADD and its flags,
# ZINCRBY, ZREM, ZCARD, ZSCORE, ZMSCORE, ZRANK, the ZRANGE family,
# ZRANGESTORE, ZCOUNT, ZLEXCOUNT, ZREMRANGEBY*, the pops (blocking too),
# ZRANDMEMBER, ZUNION/ZINTER/ZDIFF and their STORE forms, ZINTERCARD,
# ZSCAN; both encodings (the main tests run once as listpack and once as
# skiplist), the conversions between them, score edge cases and RESP3 reply
# shapes.
#
# Every test passes against Debian's redis-server 7.0 too, except those for
# Valkey-only behaviour (ZRANK WITHSCORE, ZSCAN NOSCORES, shortest double
# replies), which skip themselves there.

# True if ZRANK takes WITHSCORE (Valkey 8, keel; not Redis 7.0).
proc zset_has_withscore {} {
    r del __probe
    return [expr {![catch {r zrank __probe a withscore}]}]
}

# True if doubles are replied in their shortest form ("0.1", not
# "0.10000000000000001" as Redis 7.0 writes them).
proc zset_shortest_doubles {} {
    r del __probe
    r zadd __probe 0.1 a
    set score [r zscore __probe a]
    r del __probe
    return [expr {$score eq "0.1"}]
}

proc zset_create {key pairs} {
    r del $key
    foreach {score member} $pairs {
        r zadd $key $score $member
    }
}

start_server {tags {zset}} {
    set nc [keel_client -null (nil)]

    # The tests that must hold in both encodings: run once with listpacks,
    # once with every zset a skiplist.
    foreach {encoding entries} {listpack 128 skiplist 0} {
        r config set zset-max-listpack-entries $entries

        test "ZADD creates a $encoding zset and ZCARD counts it" {
            r del z
            assert_equal 3 [r zadd z 1 a 2 b 3 c]
            assert_equal $encoding [r object encoding z]
            assert_equal 3 [r zcard z]
            assert_equal zset [r type z]
        }

        test "ZADD updates scores and counts only new members ($encoding)" {
            zset_create z {1 a 2 b}
            assert_equal 1 [r zadd z 10 a 3 c]
            assert_equal {b 2 c 3 a 10} [r zrange z 0 -1 withscores]
        }

        test "ZADD CH counts changed members too ($encoding)" {
            zset_create z {1 a 2 b}
            assert_equal 2 [r zadd z ch 5 a 2 b 3 c]
            assert_equal 0 [r zadd z ch 5 a]
        }

        test "ZADD NX adds only new members, XX updates only existing ($encoding)" {
            zset_create z {1 a}
            assert_equal 1 [r zadd z nx 5 a 2 b]
            assert_equal {a 1 b 2} [r zrange z 0 -1 withscores]
            assert_equal 0 [r zadd z xx 7 a 3 c]
            assert_equal {b 2 a 7} [r zrange z 0 -1 withscores]
            r del missing
            assert_equal 0 [r zadd missing xx 1 a]
            assert_equal 0 [r exists missing]
        }

        test "ZADD GT and LT only move scores one way ($encoding)" {
            zset_create z {5 a 5 b}
            assert_equal 1 [r zadd z gt ch 6 a 4 b]
            assert_equal {b 5 a 6} [r zrange z 0 -1 withscores]
            assert_equal 1 [r zadd z lt ch 7 a 1 b]
            assert_equal {b 1 a 6} [r zrange z 0 -1 withscores]
            assert_equal 1 [r zadd z gt 9 c]
        }

        test "ZADD INCR replies the new score, nil when a flag refuses ($encoding)" {
            zset_create z {1 a}
            assert_equal 3.5 [r zadd z incr 2.5 a]
            assert_equal 2 [r zadd z incr 2 new]
            assert_equal (nil) [$nc zadd z nx incr 1 a]
            assert_equal (nil) [$nc zadd z xx incr 1 nosuch]
            assert_equal (nil) [$nc zadd z gt incr -1 a]
            assert_equal 3.5 [r zscore z a]
        }

        test "ZINCRBY adds to a score and creates missing members ($encoding)" {
            zset_create z {1 a}
            assert_equal 6 [r zincrby z 5 a]
            assert_equal -2 [r zincrby z -2 b]
            assert_equal {b a} [r zrange z 0 -1]
        }

        test "ZINCRBY giving NaN is refused and changes nothing ($encoding)" {
            zset_create z {inf a}
            assert_error "*resulting score is not a number (NaN)*" {r zincrby z -inf a}
            assert_equal inf [r zscore z a]
        }

        test "Scores accept inf and -inf and order them ($encoding)" {
            r del z
            r zadd z +inf top -inf bottom 0 mid
            assert_equal {bottom -inf mid 0 top inf} [r zrange z 0 -1 withscores]
        }

        test "Equal scores order members by their bytes ($encoding)" {
            r del z
            r zadd z 1 b 1 a 1 c 1 A 1 {} 0 z
            assert_equal {z {} A a b c} [r zrange z 0 -1]
        }

        test "ZREM removes members and deletes the emptied key ($encoding)" {
            zset_create z {1 a 2 b 3 c}
            assert_equal 2 [r zrem z a c nosuch]
            assert_equal {b} [r zrange z 0 -1]
            assert_equal 1 [r zrem z b]
            assert_equal 0 [r exists z]
            assert_equal 0 [r zrem z b]
        }

        test "ZSCORE, ZMSCORE on present and missing members ($encoding)" {
            zset_create z {1.5 a 2 b}
            assert_equal 1.5 [r zscore z a]
            assert_equal (nil) [$nc zscore z nosuch]
            assert_equal {1.5 (nil) 2} [$nc zmscore z a x b]
            r del missing
            assert_equal {(nil) (nil)} [$nc zmscore missing a b]
        }

        test "ZRANK and ZREVRANK ($encoding)" {
            zset_create z {1 a 2 b 3 c}
            assert_equal 0 [r zrank z a]
            assert_equal 2 [r zrank z c]
            assert_equal 0 [r zrevrank z c]
            assert_equal 2 [r zrevrank z a]
            assert_equal (nil) [$nc zrank z nosuch]
            assert_equal (nil) [$nc zrevrank missing a]
        }

        test "ZRANK WITHSCORE replies the rank and score ($encoding)" {
            skip_unless {[zset_has_withscore]} "Redis 7.0 has no WITHSCORE"
            zset_create z {1 a 2.5 b}
            assert_equal {1 2.5} [r zrank z b withscore]
            assert_equal {0 2.5} [r zrevrank z b withscore]
            assert_error "*syntax error*" {r zrank z b withscores}
        }

        test "ZRANGE by rank with negative and out of range indexes ($encoding)" {
            zset_create z {1 a 2 b 3 c 4 d}
            assert_equal {a b c d} [r zrange z 0 -1]
            assert_equal {b c} [r zrange z 1 2]
            assert_equal {c d} [r zrange z -2 -1]
            assert_equal {a b c d} [r zrange z -100 100]
            assert_equal {} [r zrange z 3 1]
            assert_equal {} [r zrange z 10 20]
            assert_equal {d c} [r zrange z 0 1 rev]
            assert_equal {d c b a} [r zrevrange z 0 -1]
            assert_equal {d 4 c 3} [r zrevrange z 0 1 withscores]
        }

        test "ZRANGE BYSCORE with bounds, exclusions and LIMIT ($encoding)" {
            zset_create z {1 a 2 b 3 c 4 d 5 e}
            assert_equal {b c d} [r zrange z 2 4 byscore]
            assert_equal {c} [r zrange z (2 (4 byscore]
            assert_equal {a b c d e} [r zrange z -inf +inf byscore]
            assert_equal {d c b} [r zrange z 4 2 byscore rev]
            assert_equal {c d} [r zrange z 2 5 byscore limit 1 2]
            assert_equal {c 3 d 4 e 5} [r zrange z 2 5 byscore limit 1 -1 withscores]
            assert_equal {} [r zrange z 2 5 byscore limit -1 2]
            assert_equal {} [r zrange z 6 10 byscore]
            assert_equal {} [r zrange z (3 (3 byscore]
        }

        test "ZRANGEBYSCORE and ZREVRANGEBYSCORE ($encoding)" {
            zset_create z {1 a 2 b 3 c 4 d}
            assert_equal {b c} [r zrangebyscore z 2 3]
            assert_equal {b 2 c 3} [r zrangebyscore z 2 3 withscores]
            assert_equal {c b} [r zrevrangebyscore z 3 2]
            assert_equal {c} [r zrevrangebyscore z 4 (1 limit 1 1]
            assert_equal {a b} [r zrangebyscore z -inf (3]
        }

        test "ZRANGE BYLEX, ZRANGEBYLEX and ZREVRANGEBYLEX ($encoding)" {
            zset_create z {0 a 0 b 0 c 0 d 0 e}
            assert_equal {a b c d e} [r zrangebylex z - +]
            assert_equal {b c} [r zrangebylex z {[b} (d]
            assert_equal {d e} [r zrangebylex z (b + limit 1 2]
            assert_equal {d c b} [r zrevrangebylex z {[d} {[b}]
            assert_equal {e d} [r zrange z + - bylex rev limit 0 2]
            assert_equal {} [r zrangebylex z + -]
            assert_equal {} [r zrangebylex z (c {[c}]
        }

        test "ZCOUNT and ZLEXCOUNT ($encoding)" {
            zset_create z {1 a 2 b 3 c 4 d}
            assert_equal 2 [r zcount z 2 3]
            assert_equal 1 [r zcount z (2 3]
            assert_equal 4 [r zcount z -inf +inf]
            assert_equal 0 [r zcount z 5 6]
            assert_equal 0 [r zcount missing 0 1]
            zset_create l {0 a 0 b 0 c}
            assert_equal 3 [r zlexcount l - +]
            assert_equal 1 [r zlexcount l (a (c]
            assert_equal 0 [r zlexcount l (c +]
        }

        test "ZREMRANGEBYRANK, BYSCORE and BYLEX ($encoding)" {
            zset_create z {1 a 2 b 3 c 4 d 5 e}
            assert_equal 2 [r zremrangebyrank z 0 1]
            assert_equal {c d e} [r zrange z 0 -1]
            assert_equal 1 [r zremrangebyrank z -1 -1]
            assert_equal 0 [r zremrangebyrank z 5 10]
            assert_equal 1 [r zremrangebyscore z (3 4]
            assert_equal {c} [r zrange z 0 -1]
            assert_equal 1 [r zremrangebyscore z -inf +inf]
            assert_equal 0 [r exists z]
            zset_create l {0 a 0 b 0 c 0 d}
            assert_equal 2 [r zremrangebylex l {[b} {[c}]
            assert_equal {a d} [r zrange l 0 -1]
            assert_equal 2 [r zremrangebylex l - +]
            assert_equal 0 [r exists l]
        }

        test "ZRANGESTORE stores a range and deletes the target when empty ($encoding)" {
            zset_create z {1 a 2 b 3 c}
            assert_equal 2 [r zrangestore dst z 1 -1]
            assert_equal {b 2 c 3} [r zrange dst 0 -1 withscores]
            assert_equal 1 [r zrangestore dst z (1 2 byscore]
            assert_equal {b} [r zrange dst 0 -1]
            assert_equal 0 [r zrangestore dst z 5 6 byscore]
            assert_equal 0 [r exists dst]
            assert_error "*syntax error*" {r zrangestore dst z 0 -1 withscores}
        }

        test "ZPOPMIN and ZPOPMAX with and without count ($encoding)" {
            zset_create z {1 a 2 b 3 c 4 d}
            assert_equal {a 1} [r zpopmin z]
            assert_equal {d 4} [r zpopmax z]
            assert_equal {b 2 c 3} [r zpopmin z 5]
            assert_equal 0 [r exists z]
            assert_equal {} [r zpopmin z]
            zset_create z {1 a}
            assert_equal {} [r zpopmax z 0]
            assert_error "*value is out of range, must be positive*" {r zpopmin z -1}
            assert_error "*syntax error*" {r zpopmin z 1 2}
        assert_error "*value is out of range, must be positive*" {r zpopmin z x}
        }

        test "ZMPOP pops from the first non-empty key ($encoding)" {
            r del e1 e2
            zset_create z {1 a 2 b 3 c}
            assert_equal {z {{a 1}}} [r zmpop 3 e1 e2 z min]
            assert_equal {z {{c 3} {b 2}}} [r zmpop 2 e1 z max count 10]
            assert_equal (nil) [$nc zmpop 2 e1 z min]
        }

        test "ZRANDMEMBER with and without count ($encoding)" {
            zset_create z {1 a 2 b 3 c 4 d 5 e}
            assert_match {[a-e]} [r zrandmember z]
            assert_equal 3 [llength [r zrandmember z 3]]
            assert_equal 3 [llength [lsort -unique [r zrandmember z 3]]]
            assert_equal {a b c d e} [lsort [r zrandmember z 10]]
            assert_equal 20 [llength [r zrandmember z -20]]
            set pairs [r zrandmember z -4 withscores]
            assert_equal 8 [llength $pairs]
            foreach {m s} $pairs { assert_equal [r zscore z $m] $s }
            assert_equal {} [r zrandmember z 0]
            assert_equal (nil) [$nc zrandmember missing]
            assert_equal {} [r zrandmember missing 3]
        }

        test "ZSCAN returns every member with its score ($encoding)" {
            r del z
            for {set i 0} {$i < 50} {incr i} { r zadd z $i m$i }
            set cursor 0
            set seen {}
            while 1 {
                lassign [r zscan z $cursor count 5] cursor items
                foreach {m s} $items { dict set seen $m $s }
                if {$cursor == 0} break
            }
            assert_equal 50 [dict size $seen]
            assert_equal 7 [dict get $seen m7]
            lassign [r zscan z 0 match m1* count 1000] cursor items
            assert_equal 22 [llength $items]
        }

        test "ZUNION, ZINTER and ZDIFF with weights and aggregates ($encoding)" {
            zset_create a {1 x 2 y 3 z}
            zset_create b {10 y 20 z 30 w}
            assert_equal {x 1 y 12 z 23 w 30} [r zunion 2 a b withscores]
            assert_equal {x 2 y 14 z 26 w 30} [r zunion 2 a b weights 2 1 withscores]
            assert_equal {x 1 y 2 z 3 w 30} [r zunion 2 a b aggregate min withscores]
            assert_equal {y 10 z 20} [r zinter 2 a b aggregate max withscores]
            assert_equal {y 12 z 23} [r zinter 2 a b withscores]
            assert_equal {x} [r zdiff 2 a b]
            assert_equal {x 1} [r zdiff 2 a b withscores]
            assert_equal {x y z} [r zunion 2 a missing]
            assert_equal {} [r zinter 2 a missing]
        }

        test "ZUNIONSTORE, ZINTERSTORE and ZDIFFSTORE ($encoding)" {
            zset_create a {1 x 2 y}
            zset_create b {3 y 4 z}
            assert_equal 3 [r zunionstore dst 2 a b]
            assert_equal {x 1 z 4 y 5} [r zrange dst 0 -1 withscores]
            assert_equal 1 [r zinterstore dst 2 a b weights 1 -1]
            assert_equal {y -1} [r zrange dst 0 -1 withscores]
            assert_equal 1 [r zdiffstore dst 2 a b]
            assert_equal {x} [r zrange dst 0 -1]
            assert_equal 0 [r zinterstore dst 2 a missing]
            assert_equal 0 [r exists dst]
        }

        test "ZINTERCARD counts the intersection up to LIMIT ($encoding)" {
            zset_create a {1 x 2 y 3 z}
            zset_create b {1 y 2 z 3 w}
            assert_equal 2 [r zintercard 2 a b]
            assert_equal 1 [r zintercard 2 a b limit 1]
            assert_equal 2 [r zintercard 2 a b limit 0]
            assert_equal 0 [r zintercard 2 a missing]
        }
    }

    r config set zset-max-listpack-entries 128

    # ---- conversions ----

    test "A zset converts to skiplist past zset-max-listpack-entries" {
        r config set zset-max-listpack-entries 4
        r del z
        r zadd z 1 a 2 b 3 c 4 d
        assert_equal listpack [r object encoding z]
        r zadd z 5 e
        assert_equal skiplist [r object encoding z]
        assert_equal {a b c d e} [r zrange z 0 -1]
        r config set zset-max-listpack-entries 128
    }

    test "A zset converts to skiplist for a member past zset-max-listpack-value" {
        r del z
        r zadd z 1 [string repeat x 64]
        assert_equal listpack [r object encoding z]
        r zadd z 2 [string repeat y 65]
        assert_equal skiplist [r object encoding z]
        r del z
        r zadd z 1 [string repeat y 65]
        assert_equal skiplist [r object encoding z]
    }

    test "The ziplist option names are aliases" {
        r config set zset-max-ziplist-entries 7
        assert_equal {zset-max-listpack-entries 7} [r config get zset-max-listpack-entries]
        r config set zset-max-listpack-entries 128
        assert_equal {zset-max-ziplist-value 64} [r config get zset-max-ziplist-value]
    }

    test "A stored result small enough is a listpack again" {
        r config set zset-max-listpack-entries 2
        r del big
        r zadd big 1 a 2 b 3 c
        assert_equal skiplist [r object encoding big]
        r config set zset-max-listpack-entries 128
        r zunionstore dst 1 big
        assert_equal listpack [r object encoding dst]
        r zrangestore dst big 0 0
        assert_equal listpack [r object encoding dst]
    }

    test "A big zset of 100k members keeps order, ranks and ranges" {
        r del big
        for {set i 0} {$i < 100000} {incr i 1000} {
            set args {}
            for {set j $i} {$j < $i + 1000} {incr j} { lappend args $j m$j }
            r zadd big {*}$args
        }
        assert_equal 100000 [r zcard big]
        assert_equal skiplist [r object encoding big]
        assert_equal 54321 [r zrank big m54321]
        assert_equal {m99998 m99999} [r zrange big -2 -1]
        assert_equal 1001 [r zcount big 1000 2000]
        assert_equal {m500 m501} [r zrangebyscore big 500 +inf limit 0 2]
        assert_equal 1000 [r zremrangebyrank big 0 999]
        assert_equal 0 [r zrank big m1000]
        r zadd big -1 m99999
        assert_equal m99999 [lindex [r zrange big 0 0] 0]
        r del big
    }

    # ---- scores ----

    test "17 significant digits survive a round trip" {
        r del z
        r zadd z 1.2345678901234567 a 3.0000000000000004 b
        assert_equal 1.2345678901234567 [r zscore z a]
        assert_equal 3.0000000000000004 [r zscore z b]
    }

    test "Scores are replied in their shortest form" {
        skip_unless {[zset_shortest_doubles]} "Redis 7.0 replies 17 digits"
        r del z
        r zadd z 0.1 a
        assert_equal 0.1 [r zscore z a]
        assert_equal {a 0.1} [r zrange z 0 -1 withscores]
    }

    test "Adding inf to -inf is refused" {
        r del z
        r zadd z -inf a
        assert_error "*resulting score is not a number (NaN)*" {r zadd z incr +inf a}
        assert_equal -inf [r zscore z a]
    }

    test "Weighting inf by 0 counts as 0" {
        zset_create a {inf x}
        assert_equal {x 0} [r zunion 1 a weights 0 withscores]
    }

    # ---- bad arguments ----

    test "ZADD refuses bad scores and options" {
        r del z
        assert_error "*not a valid float*" {r zadd z abc a}
        assert_error "*not a valid float*" {r zadd z nan a}
        assert_error "*not a valid float*" {r zadd z 1 a 2x b}
        assert_equal 0 [r exists z]
        assert_error "*syntax error*" {r zadd z 1 a 2}
        assert_error "*syntax error*" {r zadd z nx ch}
        assert_error "*XX and NX options at the same time are not compatible*" {r zadd z nx xx 1 a}
        assert_error "*GT, LT, and/or NX options at the same time are not compatible*" {r zadd z gt lt 1 a}
        assert_error "*GT, LT, and/or NX options at the same time are not compatible*" {r zadd z nx gt 1 a}
        assert_error "*INCR option supports a single increment-element pair*" {r zadd z incr 1 a 2 b}
        assert_error "*wrong number of arguments*" {r zadd z 1}
        assert_error "*not a valid float*" {r zincrby z x a}
    }

    test "Range commands refuse bad bounds and options" {
        zset_create z {1 a}
        assert_error "*not an integer*" {r zrange z a 1}
        assert_error "*min or max is not a float*" {r zrangebyscore z a 1}
        assert_error "*min or max is not a float*" {r zcount z (x 1}
        assert_error "*min or max is not a float*" {r zremrangebyscore z nan 1}
        assert_error "*min or max not valid string range item*" {r zrangebylex z a b}
        assert_error "*min or max not valid string range item*" {r zlexcount z - c}
        assert_error "*LIMIT is only supported in combination with either BYSCORE or BYLEX*" \
            {r zrange z 0 1 limit 0 1}
        assert_error "*WITHSCORES not supported in combination with BYLEX*" \
            {r zrange z - + bylex withscores}
        assert_error "*syntax error*" {r zrange z 0 1 foo}
        assert_error "*syntax error*" {r zrangebyscore z 0 1 limit 0}
        assert_error "*syntax error*" {r zrangebyscore z 0 1 byscore}
        assert_error "*not an integer*" {r zrangebyscore z 0 1 limit x 1}
    }

    test "Set operations refuse bad key counts and options" {
        zset_create z {1 a}
        assert_error "*at least 1 input key is needed for 'zunionstore' command*" \
            {r zunionstore d 0 z}
        assert_error "*at least 1 input key is needed for 'zunion' command*" {r zunion 0 z}
        assert_error "*syntax error*" {r zinter 2 z}
        assert_error "*weight value is not a float*" {r zunion 1 z weights x}
        assert_error "*syntax error*" {r zunion 1 z aggregate avg}
        assert_error "*syntax error*" {r zdiff 1 z weights 1}
        assert_error "*syntax error*" {r zunionstore d 1 z withscores}
        assert_error "*LIMIT can't be negative*" {r zintercard 1 z limit -1}
        assert_error "*not an integer*" {r zunion x z}
    }

    test "ZMPOP and ZRANDMEMBER refuse bad counts" {
        zset_create z {1 a}
        assert_error "*numkeys should be greater than 0*" {r zmpop 0 z min}
        assert_error "*count should be greater than 0*" {r zmpop 1 z min count 0}
        assert_error "*syntax error*" {r zmpop 1 z middle}
        assert_error "*syntax error*" {r zmpop 2 z min}
        assert_error "*syntax error*" {r zmpop 1 z min count 1 count 2}
        assert_error "*not an integer*" {r zrandmember z x}
        assert_error "*syntax error*" {r zrandmember z 1 withscore}
    }

    test "ZSCAN refuses a bad cursor and bad options" {
        zset_create z {1 a}
        assert_error "*invalid cursor*" {r zscan z abc}
        assert_error "*syntax error*" {r zscan z 0 count 0}
        assert_error "*syntax error*" {r zscan z 0 foo}
    }

    test "ZSCAN NOSCORES leaves the scores out" {
        skip_unless {[zset_has_withscore]} "Redis 7.0 has no NOSCORES"
        zset_create z {1 a 2 b}
        assert_equal {a b} [lsort [lindex [r zscan z 0 noscores] 1]]
    }

    test "Zset commands on another type reply WRONGTYPE" {
        r del s
        r set s v
        foreach cmd {
            {zadd s 1 a} {zincrby s 1 a} {zrem s a} {zcard s} {zscore s a} {zmscore s a}
            {zrank s a} {zrange s 0 -1} {zrangebyscore s 0 1} {zrangebylex s - +}
            {zcount s 0 1} {zlexcount s - +} {zremrangebyrank s 0 1} {zremrangebyscore s 0 1}
            {zremrangebylex s - +} {zpopmin s} {zpopmax s} {zmpop 1 s min} {zrandmember s}
            {zunion 1 s} {zinter 1 s} {zdiff 1 s} {zunionstore d 1 s} {zintercard 1 s}
            {zscan s 0} {zrangestore d s 0 1} {bzpopmin s 0} {bzmpop 0 1 s min}
        } {
            assert_error "WRONGTYPE*" [list r {*}$cmd]
        }
    }

    test "Zset sources may be sets, each member scoring 1" {
        r del s z
        r sadd s a b
        r zadd z 5 b 7 c
        assert_equal {a 1 b 6 c 7} [r zunion 2 s z withscores]
        assert_equal {b 6} [r zinter 2 s z withscores]
        assert_equal {a} [r zdiff 2 s z]
    }

    # ---- blocking ----

    test "BZPOPMIN and BZPOPMAX serve at once when a key holds members" {
        r del e
        zset_create z {1 a 2 b 3 c}
        assert_equal {z a 1} [r bzpopmin e z 0]
        assert_equal {z c 3} [r bzpopmax e z 0]
        assert_equal {z {{b 2}}} [r bzmpop 0 2 e z min count 5]
        assert_equal 0 [r exists z]
    }

    test "BZPOPMIN times out on empty keys with a null reply" {
        r del e
        assert_equal (nil) [$nc bzpopmin e 0.01]
        assert_equal (nil) [$nc bzmpop 0.01 1 e max]
    }

    test "Blocking pops refuse bad timeouts" {
        assert_error "*timeout is negative*" {r bzpopmin e -1}
        assert_error "*timeout is not a float or out of range*" {r bzpopmax e abc}
    }

    # ---- RESP3 ----

    test "RESP3 replies scores as doubles and WITHSCORES as pairs" {
        set c3 [keel_client -resp 3]
        zset_create z {1 a 2.5 b}
        assert_equal 2.5 [$c3 zscore z b]
        assert_equal {{a 1} {b 2.5}} [$c3 zrange z 0 -1 withscores]
        assert_equal {{a 1} {b 2.5}} [$c3 zunion 1 z withscores]
        assert_equal {{b 2.5}} [$c3 zrangebyscore z 2 3 withscores]
        assert_equal {a 1} [$c3 zpopmin z]
        r zadd z 1 a
        assert_equal {{a 1}} [$c3 zpopmin z 1]
        assert_equal {z {{b 2.5}}} [$c3 zmpop 1 z min]
        $c3 close
    }
}
