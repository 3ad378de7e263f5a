# tests/unit/type/big.tcl: one collection of each type with a million
# elements (list, hash, set, sorted set): built with pipelined variadic
# commands, then read at both ends and in the middle, so the big encodings
# (quicklist, hashtable, skiplist) are checked at a size where resizes and
# node splits have happened many times.
#
# Passes against Debian's redis-server 7.0 too.

set ::big_n 1000000
set ::big_batch 1000

# Sends ::big_n elements to key in batches: script returns the argument
# list of one command for elements [from, to).
proc big_fill {script} {
    set rd [keel_deferring_client]
    set batches [expr {$::big_n / $::big_batch}]
    for {set b 0} {$b < $batches} {incr b} {
        $rd {*}[apply $script [expr {$b * $::big_batch}] [expr {($b + 1) * $::big_batch}]]
        if {$b % 50 == 49} {
            for {set i 0} {$i < 50} {incr i} { $rd read }
        }
    }
    for {set i 0} {$i < $batches % 50} {incr i} { $rd read }
    $rd close
}

start_server {tags {type big}} {
    test "A list of a million elements" {
        r del biglist
        big_fill {{from to} {
            set cmd {rpush biglist}
            for {set i $from} {$i < $to} {incr i} { lappend cmd $i }
            return $cmd
        }}
        assert_equal $::big_n [r llen biglist]
        assert_equal quicklist [r object encoding biglist]
        assert_equal 0 [r lindex biglist 0]
        assert_equal 999999 [r lindex biglist -1]
        assert_equal 500000 [r lindex biglist 500000]
        assert_equal {999997 999998 999999} [r lrange biglist -3 -1]
        assert_equal 123456 [r lpos biglist 123456]
        r lset biglist 700000 changed
        assert_equal changed [r lindex biglist 700000]
        r ltrim biglist 1000 -1001
        assert_equal [expr {$::big_n - 2000}] [r llen biglist]
        assert_equal 1000 [r lpop biglist]
        assert_equal 998999 [r rpop biglist]
        r del biglist
    }

    test "A hash of a million fields" {
        r del bighash
        big_fill {{from to} {
            set cmd {hset bighash}
            for {set i $from} {$i < $to} {incr i} { lappend cmd f$i v$i }
            return $cmd
        }}
        assert_equal $::big_n [r hlen bighash]
        assert_equal hashtable [r object encoding bighash]
        assert_equal v0 [r hget bighash f0]
        assert_equal v999999 [r hget bighash f999999]
        assert_equal {v1 {} v654321} [r hmget bighash f1 nosuch f654321]
        assert_equal 7 [r hstrlen bighash f500000]
        assert_equal 1 [r hdel bighash f42]
        assert_equal 0 [r hexists bighash f42]
        assert_equal [expr {$::big_n - 1}] [r hlen bighash]
        assert_equal 5 [llength [r hrandfield bighash 5]]
        r del bighash
    }

    test "A set of a million members" {
        r del bigset
        big_fill {{from to} {
            set cmd {sadd bigset}
            for {set i $from} {$i < $to} {incr i} { lappend cmd m$i }
            return $cmd
        }}
        assert_equal $::big_n [r scard bigset]
        assert_equal hashtable [r object encoding bigset]
        assert_equal 1 [r sismember bigset m999999]
        assert_equal 0 [r sismember bigset m1000000]
        assert_equal {1 0 1} [r smismember bigset m0 x m500000]
        assert_equal 10 [llength [r srandmember bigset 10]]
        assert_equal $::big_n [r sintercard 2 bigset bigset]
        assert_equal 10 [llength [r spop bigset 10]]
        assert_equal [expr {$::big_n - 10}] [r scard bigset]
        r del bigset
    }

    test "A sorted set of a million members" {
        r del bigzset
        big_fill {{from to} {
            set cmd {zadd bigzset}
            for {set i $from} {$i < $to} {incr i} { lappend cmd $i m$i }
            return $cmd
        }}
        assert_equal $::big_n [r zcard bigzset]
        assert_equal skiplist [r object encoding bigzset]
        assert_equal 654321 [r zrank bigzset m654321]
        assert_equal 999999 [r zscore bigzset m999999]
        assert_equal {m500000 m500001} [r zrange bigzset 500000 500001]
        assert_equal 1001 [r zcount bigzset 1000 2000]
        assert_equal {m999998 m999999} [r zrangebyscore bigzset 999998 +inf]
        assert_equal {m10 m11} [r zrangebyscore bigzset 10 (20 limit 0 2]
        assert_equal {m0 0} [r zpopmin bigzset]
        assert_equal 1000 [r zremrangebyrank bigzset 0 999]
        assert_equal [expr {$::big_n - 1001}] [r zcard bigzset]
        assert_equal {m1001} [r zrange bigzset 0 0]
        r del bigzset
    }
}
