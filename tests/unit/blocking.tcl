# tests/unit/blocking.tcl: clients blocked on keys (db/blocking.c): BLPOP,
# BRPOP, BLMOVE, BRPOPLPUSH, BZPOPMIN, BZPOPMAX waiting for data, served
# first blocked first served, woken by the writes and keyspace moves that
# put a list or sorted set under the key, timeouts (fractional, 0 =
# forever), CLIENT UNBLOCK, INFO blocked_clients, killed blocked clients,
# RESP3 replies.
#
# Passes against Debian's redis-server 7.0 too. Tests skip themselves while
# the server lacks the list or sorted set commands they use.

proc blocking_has {name} {
    return [expr {[lindex [r command info $name] 0] ne ""}]
}

# Waits until n clients are blocked on keys.
proc blocking_wait_blocked {n} {
    wait_for_condition 200 10 {[info_field [r info clients] blocked_clients] == $n} else {
        fail "expected $n blocked clients, INFO says [info_field [r info clients] blocked_clients]"
    }
}

# A deferring client that has sent a blocking command and is now blocked.
proc blocking_client {args} {
    set rd [keel_deferring_client]
    set before [info_field [r info clients] blocked_clients]
    $rd {*}$args
    blocking_wait_blocked [expr {$before + 1}]
    return $rd
}

start_server {tags {blocking}} {
    test "BLPOP on a list with data replies at once" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:a
        r rpush bl:a x y
        assert_equal {bl:a x} [r blpop bl:a 0]
        assert_equal {bl:a y} [r brpop bl:a 0]
    }

    test "BLPOP blocks until LPUSH, then replies key and element" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:a
        set rd [blocking_client blpop bl:a 0]
        r lpush bl:a v
        assert_equal {bl:a v} [$rd read]
        assert_equal 0 [r exists bl:a]
        assert_equal 0 [info_field [r info clients] blocked_clients]
        $rd close
    }

    test "BRPOP woken by RPUSH of several elements pops from the tail" {
        skip_unless {[blocking_has brpop]} "no BRPOP yet"
        r del bl:a
        set rd [blocking_client brpop bl:a 0]
        r rpush bl:a 1 2 3
        assert_equal {bl:a 3} [$rd read]
        assert_equal {1 2} [r lrange bl:a 0 -1]
        $rd close
    }

    test "Blocked clients are served first blocked, first served" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:fifo
        set rd1 [blocking_client blpop bl:fifo 0]
        set rd2 [blocking_client blpop bl:fifo 0]
        set rd3 [blocking_client blpop bl:fifo 0]
        r rpush bl:fifo a b c
        assert_equal {bl:fifo a} [$rd1 read]
        assert_equal {bl:fifo b} [$rd2 read]
        assert_equal {bl:fifo c} [$rd3 read]
        $rd1 close
        $rd2 close
        $rd3 close
    }

    test "A client that finds the key emptied again keeps its place" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:fifo
        set rd1 [blocking_client blpop bl:fifo 0]
        set rd2 [blocking_client blpop bl:fifo 0]
        r rpush bl:fifo a
        assert_equal {bl:fifo a} [$rd1 read]
        blocking_wait_blocked 1
        r rpush bl:fifo b
        assert_equal {bl:fifo b} [$rd2 read]
        $rd1 close
        $rd2 close
    }

    test "BLPOP with several keys pops from the first non-empty key" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:k1 bl:k2 bl:k3
        r rpush bl:k2 two
        r rpush bl:k3 three
        assert_equal {bl:k2 two} [r blpop bl:k1 bl:k2 bl:k3 0]
        set rd [blocking_client blpop bl:k1 bl:k2 0]
        r rpush bl:k2 later
        assert_equal {bl:k2 later} [$rd read]
        $rd close
    }

    test "A client blocked on the same key twice is served once" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:dup
        set rd [blocking_client blpop bl:dup bl:dup 0]
        set keys [info_field [r info clients] total_blocking_keys]
        if {$keys ne ""} {assert_equal 1 $keys} ;# Redis 7.0 has no such field
        r rpush bl:dup a b
        assert_equal {bl:dup a} [$rd read]
        assert_equal {b} [r lrange bl:dup 0 -1]
        $rd close
    }

    test "BLPOP with a fractional timeout replies a null array" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:none
        set rd [keel_deferring_client]
        set start [clock milliseconds]
        $rd blpop bl:none 0.1
        assert_equal {*-1} [$rd read_raw_line]
        set elapsed [expr {[clock milliseconds] - $start}]
        assert {$elapsed >= 90} "timed out after $elapsed ms"
        assert_equal 0 [info_field [r info clients] blocked_clients]
        $rd close
    }

    test "BLMOVE and BZPOPMIN time out with a null array too" {
        skip_unless {[blocking_has blmove] && [blocking_has bzpopmin]} "no BLMOVE/BZPOPMIN yet"
        r del bl:none bl:dst
        set rd [keel_deferring_client]
        $rd blmove bl:none bl:dst left right 0.05
        assert_equal {*-1} [$rd read_raw_line]
        $rd bzpopmin bl:none 0.05
        assert_equal {*-1} [$rd read_raw_line]
        $rd close
    }

    test "Timeout 0 waits until served" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:forever
        set rd [blocking_client blpop bl:forever 0]
        after 300
        assert_equal 1 [info_field [r info clients] blocked_clients]
        r rpush bl:forever x
        assert_equal {bl:forever x} [$rd read]
        $rd close
    }

    test "Blocking timeouts that are not numbers or negative are errors" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        assert_error "*timeout is not a float or out of range*" {r blpop bl:a abc}
        assert_error "*timeout is negative*" {r blpop bl:a -1}
        assert_error "*timeout is not a float or out of range*" {r blpop bl:a nan}
        # Valkey checks the range (Redis 7.0 overflowed into "negative").
        assert_error "*timeout is*" {r blpop bl:a inf}
        assert_error "*timeout is*" {r blpop bl:a 1e300}
    }

    test "BLPOP on a key of another type is a WRONGTYPE error" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r set bl:str x
        assert_error "WRONGTYPE*" {r blpop bl:str 0}
    }

    test "A waited key deleted or set to a string leaves the client waiting" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:w
        set rd [blocking_client blpop bl:w 0]
        r set bl:w string
        r del bl:w
        r set bl:w string
        after 50
        assert_equal 1 [info_field [r info clients] blocked_clients]
        r del bl:w
        r rpush bl:w data
        assert_equal {bl:w data} [$rd read]
        $rd close
    }

    test "LMOVE into a waited key wakes the waiter" {
        skip_unless {[blocking_has blpop] && [blocking_has lmove]} "no LMOVE yet"
        r del bl:src bl:dst
        r rpush bl:src moved
        set rd [blocking_client blpop bl:dst 0]
        r lmove bl:src bl:dst left right
        assert_equal {bl:dst moved} [$rd read]
        $rd close
    }

    test "BLMOVE blocks, then moves the element when the source gets one" {
        skip_unless {[blocking_has blmove]} "no BLMOVE yet"
        r del bl:src bl:dst
        r rpush bl:dst old
        set rd [blocking_client blmove bl:src bl:dst right left 0]
        r rpush bl:src new
        assert_equal new [$rd read]
        assert_equal {new old} [r lrange bl:dst 0 -1]
        assert_equal 0 [r exists bl:src]
        $rd close
    }

    test "BLMOVE from a list to itself rotates it" {
        skip_unless {[blocking_has blmove]} "no BLMOVE yet"
        r del bl:ring
        r rpush bl:ring a b c
        assert_equal c [r blmove bl:ring bl:ring right left 0]
        assert_equal {c a b} [r lrange bl:ring 0 -1]
        r del bl:ring
        set rd [blocking_client blmove bl:ring bl:ring left right 0]
        r rpush bl:ring x
        assert_equal x [$rd read]
        assert_equal {x} [r lrange bl:ring 0 -1]
        $rd close
    }

    test "BLMOVE's push wakes a client blocked on its destination" {
        skip_unless {[blocking_has blmove]} "no BLMOVE yet"
        r del bl:src bl:dst
        set rd1 [blocking_client blmove bl:src bl:dst left left 0]
        set rd2 [blocking_client blpop bl:dst 0]
        r rpush bl:src chain
        assert_equal chain [$rd1 read]
        assert_equal {bl:dst chain} [$rd2 read]
        assert_equal 0 [r exists bl:dst]
        $rd1 close
        $rd2 close
    }

    test "BRPOPLPUSH serves a blocked client" {
        skip_unless {[blocking_has brpoplpush]} "no BRPOPLPUSH yet"
        r del bl:src bl:dst
        set rd [blocking_client brpoplpush bl:src bl:dst 0]
        r rpush bl:src a b
        assert_equal b [$rd read]
        assert_equal {b} [r lrange bl:dst 0 -1]
        $rd close
    }

    test "RENAME of a list onto a waited key wakes the waiter" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:tmp bl:target
        r rpush bl:tmp renamed
        set rd [blocking_client blpop bl:target 0]
        r rename bl:tmp bl:target
        assert_equal {bl:target renamed} [$rd read]
        $rd close
    }

    test "COPY of a list onto a waited key wakes the waiter" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:orig bl:target
        r rpush bl:orig copied
        set rd [blocking_client blpop bl:target 0]
        r copy bl:orig bl:target
        assert_equal {bl:target copied} [$rd read]
        assert_equal {copied} [r lrange bl:orig 0 -1]
        $rd close
    }

    test "MOVE of a list into the waiter's database wakes it" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r select 9
        r del bl:moved
        r rpush bl:moved m
        r select 0
        r del bl:moved
        set rd [blocking_client blpop bl:moved 0]
        r select 9
        assert_equal 1 [r move bl:moved 0]
        r select 0
        assert_equal {bl:moved m} [$rd read]
        $rd close
    }

    test "SWAPDB bringing a list under a waited key wakes the waiter" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r select 9
        r flushdb
        r rpush bl:swapped s
        r select 0
        r del bl:swapped
        set rd [blocking_client blpop bl:swapped 0]
        r swapdb 0 9
        assert_equal {bl:swapped s} [$rd read]
        r swapdb 0 9
        r select 9
        r flushdb
        r select 0
        $rd close
    }

    test "BZPOPMIN and BZPOPMAX are woken by ZADD" {
        skip_unless {[blocking_has bzpopmin]} "no BZPOPMIN yet"
        r del bl:z
        set rd1 [blocking_client bzpopmin bl:z 0]
        set rd2 [blocking_client bzpopmax bl:z 0]
        r zadd bl:z 1 one 2 two 3 three
        assert_equal {bl:z one 1} [$rd1 read]
        assert_equal {bl:z three 3} [$rd2 read]
        assert_equal {two 2} [r zrange bl:z 0 -1 withscores]
        $rd1 close
        $rd2 close
    }

    test "A list pushed under a key a zset waiter watches leaves it waiting" {
        skip_unless {[blocking_has bzpopmin]} "no BZPOPMIN yet"
        r del bl:mixed
        set rd [blocking_client bzpopmin bl:mixed 0]
        r rpush bl:mixed notazset
        after 50
        assert_equal 1 [info_field [r info clients] blocked_clients]
        r del bl:mixed
        r zadd bl:mixed 5 m
        assert_equal {bl:mixed m 5} [$rd read]
        $rd close
    }

    test "INFO counts blocked clients and the keys they wait on" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:i1 bl:i2
        set rd1 [blocking_client blpop bl:i1 bl:i2 0]
        set rd2 [blocking_client blpop bl:i1 10]
        set info [r info clients]
        assert_equal 2 [info_field $info blocked_clients]
        assert_equal 1 [info_field $info clients_in_timeout_table]
        if {[info_field $info total_blocking_keys] ne ""} {
            assert_equal 2 [info_field $info total_blocking_keys]
            assert_equal 0 [info_field $info total_blocking_keys_on_nokey]
        }
        r rpush bl:i1 a b
        $rd1 read
        $rd2 read
        set info [r info clients]
        assert_equal 0 [info_field $info blocked_clients]
        assert_equal 0 [info_field $info clients_in_timeout_table]
        if {[info_field $info total_blocking_keys] ne ""} {
            assert_equal 0 [info_field $info total_blocking_keys]
        }
        $rd1 close
        $rd2 close
    }

    test "CLIENT LIST shows a blocked client with flag b and its command" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:list
        set rd [keel_deferring_client]
        $rd client id
        set id [$rd read]
        $rd blpop bl:list 0
        blocking_wait_blocked 1
        set line [r client list id $id]
        assert_match "*flags=b *" $line
        assert_match "*cmd=blpop *" $line
        r rpush bl:list x
        $rd read
        assert_match "*flags=N *" [r client list id $id]
        $rd close
    }

    test "CLIENT UNBLOCK TIMEOUT gives the timeout reply" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:u
        set rd [keel_deferring_client]
        $rd client id
        set id [$rd read]
        $rd blpop bl:u 0
        blocking_wait_blocked 1
        assert_equal 1 [r client unblock $id timeout]
        assert_equal {*-1} [$rd read_raw_line]
        assert_equal 0 [r client unblock $id]
        $rd ping
        assert_equal PONG [$rd read]
        $rd close
    }

    test "CLIENT UNBLOCK ERROR gives the UNBLOCKED error" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:u
        set rd [keel_deferring_client]
        $rd client id
        set id [$rd read]
        $rd blpop bl:u 0
        blocking_wait_blocked 1
        assert_equal 1 [r client unblock $id error]
        assert_error "UNBLOCKED client unblocked via CLIENT UNBLOCK" {$rd read}
        $rd close
    }

    test "CLIENT UNBLOCK of a client that is not blocked replies 0" {
        set id [r client id]
        assert_equal 0 [r client unblock $id]
        assert_equal 0 [r client unblock 999999999]
    }

    test "CLIENT UNBLOCK with a bad reason or id is an error" {
        assert_error "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR" {r client unblock 1 maybe}
        assert_error "ERR value is not an integer or out of range" {r client unblock abc}
        assert_error "ERR *wrong number of arguments*" {r client unblock}
    }

    test "Commands pipelined after a blocking command run once it is served" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:p
        set rd [keel_deferring_client]
        $rd write_raw "*3\r\n\$5\r\nBLPOP\r\n\$4\r\nbl:p\r\n\$1\r\n0\r\n*2\r\n\$4\r\nECHO\r\n\$5\r\nafter\r\n"
        $rd flush
        blocking_wait_blocked 1
        r rpush bl:p v
        assert_equal {bl:p v} [$rd read]
        assert_equal after [$rd read]
        $rd close
    }

    test "Killing a blocked client forgets its wait" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:k
        set rd [keel_deferring_client]
        $rd client id
        set id [$rd read]
        $rd blpop bl:k 0
        blocking_wait_blocked 1
        assert_equal 1 [r client kill id $id]
        blocking_wait_blocked 0
        r rpush bl:k survives
        assert_equal {survives} [r lrange bl:k 0 -1]
        $rd close
    }

    test "A blocked client that disconnects is forgotten" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:gone
        set rd [blocking_client blpop bl:gone 0]
        $rd close
        blocking_wait_blocked 0
        r rpush bl:gone kept
        assert_equal 1 [r llen bl:gone]
    }

    test "A blocked command counts as one call when served" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r config resetstat
        r del bl:s
        set rd [blocking_client blpop bl:s 0]
        r rpush bl:s a
        $rd read
        assert_match "*calls=1,*" [info_field [r info commandstats] cmdstat_blpop]
        $rd close
    }

    test "RESP3: BLPOP times out with a null" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        set rd [keel_deferring_client]
        $rd hello 3
        $rd read
        $rd blpop bl:none3 0.01
        assert_equal {_} [$rd read_raw_line]
        $rd close
    }

    test "RESP3: BZPOPMIN served after blocking replies key, member and a double" {
        skip_unless {[blocking_has bzpopmin]} "no BZPOPMIN yet"
        r del bl:z3
        set rd [keel_deferring_client]
        $rd hello 3
        $rd read
        $rd bzpopmin bl:z3 0
        blocking_wait_blocked 1
        r zadd bl:z3 1.5 m
        assert_equal {*3} [$rd read_raw_line]
        assert_equal {$5} [$rd read_raw_line]
        assert_equal {bl:z3} [$rd read_raw_line]
        assert_equal {$1} [$rd read_raw_line]
        assert_equal {m} [$rd read_raw_line]
        assert_equal {,1.5} [$rd read_raw_line]
        $rd close
    }

    test "A paused write is not served until the pause ends" {
        skip_unless {[blocking_has blpop]} "no BLPOP yet"
        r del bl:pause
        set rd [blocking_client blpop bl:pause 0]
        r client pause 100000 write
        # A write from a replica-less server cannot arrive while paused;
        # the waiter stays blocked through the pause and is served after.
        r client unpause
        r rpush bl:pause p
        assert_equal {bl:pause p} [$rd read]
        $rd close
    }
}
