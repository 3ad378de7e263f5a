# tests/unit/sort.tcl: SORT and SORT_RO (types/sort.c): numeric and ALPHA
# order, ASC/DESC, LIMIT, BY patterns (keys, hash fields, "nosort"), GET
# patterns (#, keys, hash fields), STORE, and the errors.
#
# Passes against Debian's redis-server 7.0 too. Tests skip themselves while
# the server lacks the list, set, sorted set or hash commands they use.

proc sort_has {name} {
    return [expr {[lindex [r command info $name] 0] ne ""}]
}

proc sort_has_types {} {
    return [expr {[sort_has rpush] && [sort_has sadd] && [sort_has zadd] && [sort_has hset]}]
}

start_server {tags {sort}} {
    test "SORT sorts a list numerically by default" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:l
        r rpush s:l 3 10 -1 2.5 1e1 0
        # 10 and 1e1 weigh the same: their bytes break the tie.
        assert_equal {-1 0 2.5 3 10 1e1} [r sort s:l]
        assert_equal {1e1 10 3 2.5 0 -1} [r sort s:l desc]
    }

    test "SORT of a set and a sorted set sorts their members" {
        skip_unless {[sort_has_types]} "no sets or sorted sets yet"
        r del s:s s:z
        r sadd s:s 5 1 3
        r zadd s:z 1 30 2 10 3 20
        assert_equal {1 3 5} [r sort s:s]
        assert_equal {10 20 30} [r sort s:z]
        assert_equal {30 20 10} [r sort_ro s:z desc]
    }

    test "SORT of a big set with an intset and hashtable encoding" {
        skip_unless {[sort_has sadd]} "no sets yet"
        r del s:big
        for {set i 0} {$i < 300} {incr i} { r sadd s:big [expr {$i * 7 % 300}] }
        set sorted [r sort s:big]
        assert_equal 300 [llength $sorted]
        assert_equal [lsort -integer $sorted] $sorted
        r sadd s:big notanumber
        assert_error "*One or more scores can't be converted into double*" {r sort s:big}
    }

    test "SORT ALPHA sorts bytewise" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:a
        r rpush s:a banana Apple cherry apple 10 9
        assert_equal {10 9 Apple apple banana cherry} [r sort s:a alpha]
        assert_equal {cherry banana apple Apple 9 10} [r sort s:a alpha desc]
    }

    test "SORT of non-numbers without ALPHA is an error" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:a
        r rpush s:a 1 two 3
        assert_error "*One or more scores can't be converted into double*" {r sort s:a}
        r del s:a
        r rpush s:a 1 nan
        assert_error "*One or more scores can't be converted into double*" {r sort s:a}
    }

    test "SORT with equal scores breaks ties on the element bytes" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:t
        r rpush s:t 1.0 1 01 1e0
        assert_equal {01 1 1.0 1e0} [r sort s:t]
        assert_equal {1e0 1.0 1 01} [r sort s:t desc]
    }

    test "SORT LIMIT selects a range of the sorted result" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:l
        r rpush s:l 5 4 3 2 1
        assert_equal {2 3} [r sort s:l limit 1 2]
        assert_equal {4 3} [r sort s:l desc limit 1 2]
        assert_equal {4 5} [r sort s:l limit 3 10]
        assert_equal {} [r sort s:l limit 5 1]
        assert_equal {} [r sort s:l limit 0 0]
        assert_equal {1 2 3 4 5} [r sort s:l limit -10 -1]
        assert_equal {1 2} [r sort s:l limit -1 2]
    }

    test "SORT LIMIT with a value that is not an integer is an error" {
        skip_unless {[sort_has rpush]} "no lists yet"
        assert_error "*value is not an integer or out of range*" {r sort s:l limit a 1}
        assert_error "*value is not an integer or out of range*" {r sort s:l limit 0 1.5}
        assert_error "*syntax error*" {r sort s:l limit 0}
    }

    test "SORT BY a key pattern orders by the weight keys" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:l s:w_a s:w_b s:w_c
        r rpush s:l a b c
        r mset s:w_a 3 s:w_b 1 s:w_c 2
        assert_equal {b c a} [r sort s:l by s:w_*]
        assert_equal {a c b} [r sort s:l by s:w_* desc]
    }

    test "SORT BY a missing weight key counts it as 0" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:l s:w_a s:w_b s:w_c
        r rpush s:l a b c
        r mset s:w_a 3 s:w_b -1
        assert_equal {b c a} [r sort s:l by s:w_*]
    }

    test "SORT BY weights that are not numbers is an error" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:l s:w_a
        r rpush s:l a
        r set s:w_a heavy
        assert_error "*One or more scores can't be converted into double*" {r sort s:l by s:w_*}
    }

    test "SORT BY with ALPHA compares the weights as strings" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:l s:w_a s:w_b s:w_c
        r rpush s:l a b c
        r mset s:w_a z s:w_b x s:w_c y
        assert_equal {b c a} [r sort s:l by s:w_* alpha]
        r del s:w_c
        # A missing weight sorts first.
        assert_equal {c b a} [r sort s:l by s:w_* alpha]
    }

    test "SORT BY a hash field pattern" {
        skip_unless {[sort_has_types]} "no hashes yet"
        r del s:l s:h_a s:h_b s:h_c
        r rpush s:l a b c
        r hset s:h_a w 30 name Ann
        r hset s:h_b w 10 name Bob
        r hset s:h_c w 20 name Cid
        assert_equal {b c a} [r sort s:l by s:h_*->w]
        assert_equal {Bob Cid Ann} [r sort s:l by s:h_*->w get s:h_*->name]
    }

    test "SORT BY a pattern without * does not sort (nosort)" {
        skip_unless {[sort_has_types]} "no lists yet"
        r del s:l s:z
        r rpush s:l 3 1 2
        assert_equal {3 1 2} [r sort s:l by nosort]
        assert_equal {2 1 3} [r sort s:l by nosort desc]
        assert_equal {1 2} [r sort s:l by nosort limit 1 2]
        assert_equal {1 3} [r sort s:l by nosort desc limit 1 2]
        r zadd s:z 1 c 2 a 3 b
        assert_equal {c a b} [r sort s:z by nosort]
        assert_equal {b a c} [r sort s:z by nosort desc]
        assert_equal {a b} [r sort s:z by nosort limit 1 5]
        assert_equal {a c} [r sort s:z by nosort desc limit 1 2]
    }

    test "SORT BY nosort with STORE sorts a set anyway" {
        skip_unless {[sort_has_types]} "no sets yet"
        r del s:s s:out
        r sadd s:s c a b
        assert_equal 3 [r sort s:s by nosort store s:out]
        assert_equal {a b c} [r lrange s:out 0 -1]
    }

    test "SORT GET # and key patterns" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:l s:v_1 s:v_2 s:v_3
        r rpush s:l 3 1 2
        r mset s:v_1 one s:v_2 two
        assert_equal {1 one 2 two 3 {}} [r sort s:l get # get s:v_*]
        assert_equal {one two {}} [r sort s:l get s:v_*]
        # A GET pattern with no * names nothing.
        assert_equal {{} {} {}} [r sort s:l get constant]
    }

    test "SORT GET of a key holding another type replies nil" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:l s:v_1
        r rpush s:l 1
        r rpush s:v_1 notastring
        assert_equal {{}} [r sort s:l get s:v_*]
        assert_equal {{}} [r sort s:l get s:v_*->field]
    }

    test "SORT GET with a hash field ending in -> reads a string key" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:l {s:k_1->}
        r rpush s:l 1
        r set {s:k_1->} val
        assert_equal {val} [r sort s:l get s:k_*->]
    }

    test "SORT on a missing key replies an empty array" {
        r del s:missing
        assert_equal {} [r sort s:missing]
        assert_equal {} [r sort_ro s:missing limit 0 10]
    }

    test "SORT on a string is a WRONGTYPE error" {
        r set s:str x
        assert_error "WRONGTYPE*" {r sort s:str}
    }

    test "SORT with an unknown option is a syntax error" {
        r del s:missing
        assert_error "*syntax error*" {r sort s:missing foo}
        assert_error "*syntax error*" {r sort s:missing by}
        assert_error "*syntax error*" {r sort s:missing get}
        assert_error "*syntax error*" {r sort s:missing store}
    }

    test "SORT_RO refuses STORE" {
        r del s:missing
        assert_error "*syntax error*" {r sort_ro s:missing store s:out}
    }

    test "SORT STORE stores the result as a list and replies its length" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:l s:out s:v_1 s:v_2 s:v_3
        r rpush s:l 3 1 2
        r set s:v_1 one
        assert_equal 3 [r sort s:l store s:out]
        assert_equal {1 2 3} [r lrange s:out 0 -1]
        # Small lists are listpacks in Valkey (Redis 7.0 has only quicklists).
        assert_equal [r object encoding s:l] [r object encoding s:out]
        assert_equal 6 [r sort s:l get # get s:v_* store s:out]
        assert_equal {1 one 2 {} 3 {}} [r lrange s:out 0 -1]
    }

    test "SORT STORE replaces any value and its TTL" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:l
        r rpush s:l 1
        r set s:out string ex 100
        assert_equal 1 [r sort s:l store s:out]
        assert_equal list [r type s:out]
        assert_equal -1 [r ttl s:out]
    }

    test "SORT STORE of an empty result deletes the destination" {
        r set s:out x
        r del s:missing
        assert_equal 0 [r sort s:missing store s:out]
        assert_equal 0 [r exists s:out]
    }

    test "SORT STORE onto the source key" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:self
        r rpush s:self 3 2 1
        assert_equal 3 [r sort s:self store s:self]
        assert_equal {1 2 3} [r lrange s:self 0 -1]
    }

    test "SORT STORE of a long result makes a quicklist" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:long s:out
        for {set i 0} {$i < 200} {incr i} { r rpush s:long [string repeat x 100]$i }
        assert_equal 200 [r sort s:long alpha store s:out]
        assert_equal quicklist [r object encoding s:out]
        assert_equal [lsort [r lrange s:long 0 -1]] [r lrange s:out 0 -1]
    }

    test "SORT on a long list sorts numbers" {
        skip_unless {[sort_has rpush]} "no lists yet"
        r del s:nums
        set expected {}
        for {set i 0} {$i < 1000} {incr i} {
            set n [expr {($i * 7919) % 1000}]
            r rpush s:nums $n
            lappend expected $i
        }
        assert_equal $expected [r sort s:nums]
        assert_equal [lrange $expected 10 14] [r sort s:nums limit 10 5]
    }

    test "SORT and SORT_RO COMMAND INFO" {
        assert_equal {sort -2 {write denyoom movablekeys} 1 1 1} \
            [lrange [lindex [r command info sort] 0] 0 5]
        assert_equal {sort_ro -2 {readonly movablekeys} 1 1 1} \
            [lrange [lindex [r command info sort_ro] 0] 0 5]
    }

    test "COMMAND GETKEYS finds SORT's STORE destination" {
        assert_equal {src dst} [r command getkeys sort src limit 0 1 get # store dst]
        assert_equal {src} [r command getkeys sort src get store]
    }
}
