# tests/unit/expire.tcl: EXPIRE, PEXPIRE, EXPIREAT, PEXPIREAT (NX|XX|GT|LT),
# TTL, PTTL, EXPIRETIME, PEXPIRETIME and PERSIST, their error paths, active
# expiry (many keys expiring at once all go, within a bounded wait; DEBUG
# SET-ACTIVE-EXPIRE 0 leaves them until accessed), the expire counters in
# INFO, and the DEBUG helpers POPULATE and OBJECT.
#
# Times are compared with ranges or absolute values the test chose, never
# with how long something took.

# True when the server under test is keel (Redis 7.0 has no server_name).
proc expire_server_is_keel {} {
    return [expr {[info_field [r info server] server_name] eq "keel"}]
}

start_server {tags {expire keyspace}} {
    test "EXPIRE sets a time to live that TTL and PTTL report" {
        r set ek v
        assert_equal 1 [r expire ek 100]
        assert_range [r ttl ek] 90 100
        assert_range [r pttl ek] 90000 100000
        assert_equal v [r get ek]
    }

    test "PEXPIRE sets a time to live in milliseconds" {
        r set ek v
        assert_equal 1 [r pexpire ek 100000]
        assert_range [r pttl ek] 90000 100000
        assert_range [r ttl ek] 90 100
    }

    test "EXPIREAT and EXPIRETIME use absolute unix seconds" {
        r set ek v
        set at [expr {[clock seconds] + 1000}]
        assert_equal 1 [r expireat ek $at]
        assert_equal $at [r expiretime ek]
        assert_equal [expr {$at * 1000}] [r pexpiretime ek]
    }

    test "PEXPIREAT and PEXPIRETIME use absolute unix milliseconds" {
        r set ek v
        set at [expr {([clock seconds] + 1000) * 1000 + 123}]
        assert_equal 1 [r pexpireat ek $at]
        assert_equal $at [r pexpiretime ek]
        # EXPIRETIME rounds to the nearest second: .123 rounds down.
        assert_equal [expr {$at / 1000}] [r expiretime ek]
        r pexpireat ek [expr {$at + 400}]
        assert_equal [expr {$at / 1000 + 1}] [r expiretime ek]
    }

    test "EXPIRE replaces an earlier time to live" {
        r set ek v
        r expire ek 1000
        assert_equal 1 [r expire ek 100]
        assert_range [r ttl ek] 90 100
    }

    test "EXPIRE on a missing key replies 0 and creates nothing" {
        r del ek
        assert_equal 0 [r expire ek 100]
        assert_equal 0 [r pexpire ek 100]
        assert_equal 0 [r expireat ek [expr {[clock seconds] + 100}]]
        assert_equal 0 [r pexpireat ek [expr {[clock milliseconds] + 100}]]
        assert_equal 0 [r exists ek]
    }

    test "TTL, PTTL, EXPIRETIME and PEXPIRETIME reply -2 for a missing key" {
        r del ek
        assert_equal -2 [r ttl ek]
        assert_equal -2 [r pttl ek]
        assert_equal -2 [r expiretime ek]
        assert_equal -2 [r pexpiretime ek]
    }

    test "TTL, PTTL, EXPIRETIME and PEXPIRETIME reply -1 for a key without expire" {
        r set ek v
        assert_equal -1 [r ttl ek]
        assert_equal -1 [r pttl ek]
        assert_equal -1 [r expiretime ek]
        assert_equal -1 [r pexpiretime ek]
    }

    test "EXPIRE with a time in the past deletes the key and replies 1" {
        foreach {cmd arg} {expire 0 expire -5 pexpire -1 expireat 1 pexpireat 1} {
            r set ek v
            assert_equal 1 [r $cmd ek $arg] "$cmd ek $arg"
            assert_equal 0 [r exists ek] "$cmd ek $arg"
        }
    }

    test "EXPIRE with a time in the past counts the key as expired" {
        skip_unless {[expire_server_is_keel]} "Redis 7.0 counts it as a plain delete"
        r config resetstat
        r set ek v
        r expire ek -1
        assert_equal 1 [info_field [r info stats] expired_keys]
    }

    test "PEXPIRE with the smallest integer deletes the key" {
        r set ek v
        assert_equal 1 [r pexpire ek -9223372036854775808]
        assert_equal 0 [r exists ek]
    }

    test "PEXPIREAT accepts the largest integer" {
        r set ek v
        assert_equal 1 [r pexpireat ek 9223372036854775807]
        assert_equal 9223372036854775807 [r pexpiretime ek]
        assert_equal 9223372036854776 [r expiretime ek]
        assert_equal v [r get ek]
    }

    test "A key with a short PEXPIRE is gone once its time has passed" {
        r set ek v
        r pexpire ek 50
        wait_for_condition 100 20 {[r exists ek] == 0} else {
            fail "the key did not expire"
        }
        assert_equal -2 [r pttl ek]
        assert_equal {} [r get ek]
    }

    test "EXPIRE keeps every kind of string value intact" {
        set big [string repeat x 20000]
        foreach {key value} [list eint 12345 eemb short emid [string repeat y 100] ebig $big] {
            r set $key $value
            assert_equal 1 [r expire $key 1000]
            assert_equal $value [r get $key] $key
            assert_equal 1 [r persist $key]
            assert_equal $value [r get $key] $key
            assert_equal 1 [r pexpire $key 500000]
            assert_equal $value [r get $key] $key
        }
    }

    test "SET without KEEPTTL drops the time to live" {
        r set ek v
        r expire ek 100
        r set ek w
        assert_equal -1 [r ttl ek]
    }

    test "PERSIST removes the time to live and replies 1" {
        r set ek v
        r expire ek 100
        assert_equal 1 [r persist ek]
        assert_equal -1 [r ttl ek]
        assert_equal v [r get ek]
    }

    test "PERSIST replies 0 on a key without expire and on a missing key" {
        r set ek v
        assert_equal 0 [r persist ek]
        r del ek
        assert_equal 0 [r persist ek]
        assert_equal 0 [r exists ek]
    }

    test "PERSIST then EXPIRE sets a new time to live" {
        r set ek v
        r expire ek 100
        r persist ek
        assert_equal 1 [r expire ek 200]
        assert_range [r ttl ek] 190 200
    }
}

start_server {tags {expire keyspace}} {
    test "EXPIRE NX sets a time only on a key without one" {
        r set ek v
        assert_equal 1 [r expire ek 100 nx]
        assert_equal 0 [r expire ek 200 nx]
        assert_range [r ttl ek] 90 100
    }

    test "EXPIRE XX sets a time only on a key that has one" {
        r set ek v
        assert_equal 0 [r expire ek 100 xx]
        assert_equal -1 [r ttl ek]
        r expire ek 100
        assert_equal 1 [r expire ek 200 xx]
        assert_range [r ttl ek] 190 200
    }

    test "EXPIRE GT only lengthens, and never applies to a key without expire" {
        r set ek v
        assert_equal 0 [r expire ek 100 gt]
        assert_equal -1 [r ttl ek]
        set at [expr {[clock seconds] + 100}]
        r expireat ek $at
        assert_equal 0 [r expireat ek [expr {$at - 50}] gt]
        assert_equal 0 [r expireat ek $at gt]
        assert_equal 1 [r expireat ek [expr {$at + 100}] gt]
        assert_equal [expr {$at + 100}] [r expiretime ek]
        assert_equal 1 [r expire ek 300 gt]
        assert_range [r ttl ek] 290 300
    }

    test "EXPIRE LT only shortens, and always applies to a key without expire" {
        r set ek v
        assert_equal 1 [r expire ek 200 lt]
        assert_range [r ttl ek] 190 200
        assert_equal 0 [r expire ek 300 lt]
        assert_equal 1 [r expire ek 100 lt]
        assert_range [r ttl ek] 90 100
        set at [expr {[clock seconds] + 50}]
        r expireat ek $at
        assert_equal 0 [r expireat ek $at lt]
        assert_equal 1 [r expireat ek [expr {$at - 1}] lt]
        assert_equal [expr {$at - 1}] [r expiretime ek]
    }

    test "EXPIRE XX GT and XX LT combine" {
        r set ek v
        assert_equal 0 [r expire ek 100 xx gt]
        assert_equal 0 [r expire ek 100 xx lt]
        r expire ek 100
        assert_equal 1 [r expire ek 200 xx gt]
        assert_equal 1 [r expire ek 50 xx lt]
        assert_range [r ttl ek] 40 50
    }

    test "EXPIRE conditions are case-insensitive and may repeat" {
        r set ek v
        assert_equal 1 [r expire ek 100 Nx]
        assert_equal 0 [r expire ek 100 NX nx]
        assert_equal 1 [r pexpire ek 500000 xX Gt]
    }

    test "A condition that fails leaves a past time unapplied" {
        r set ek v
        assert_equal 0 [r expire ek -1 xx]
        assert_equal 1 [r exists ek]
        assert_equal 0 [r expire ek -1 gt]
        assert_equal 1 [r exists ek]
        assert_equal 1 [r expire ek -1 lt]
        assert_equal 0 [r exists ek]
    }

    test "GT and LT conditions work on PEXPIRE, EXPIREAT and PEXPIREAT" {
        r set ek v
        set now [clock seconds]
        assert_equal 1 [r expireat ek [expr {$now + 100}]]
        assert_equal 0 [r expireat ek [expr {$now + 50}] gt]
        assert_equal 1 [r pexpireat ek [expr {($now + 200) * 1000}] gt]
        assert_equal 0 [r pexpire ek 300000 lt]
        assert_equal 1 [r pexpire ek 100000 lt]
    }
}

start_server {tags {expire keyspace}} {
    test "EXPIRE with NX and XX, GT or LT together is an error" {
        r set ek v
        foreach pair {{nx xx} {nx gt} {nx lt} {xx nx} {gt nx}} {
            assert_error "ERR NX and XX, GT or LT options at the same time are not compatible" \
                {r expire ek 100 {*}$pair}
        }
        assert_equal -1 [r ttl ek]
    }

    test "EXPIRE with GT and LT together is an error" {
        r set ek v
        assert_error "ERR GT and LT options at the same time are not compatible" \
            {r expire ek 100 gt lt}
        assert_error "ERR GT and LT options at the same time are not compatible" \
            {r pexpireat ek 100 xx lt gt}
    }

    test "EXPIRE with an unknown option is an error naming it" {
        r set ek v
        assert_error "ERR Unsupported option foo" {r expire ek 100 foo}
        assert_error "ERR Unsupported option 100" {r expire ek 100 100}
        assert_error "ERR Unsupported option gtx" {r pexpire ek 100 gtx}
        assert_equal -1 [r ttl ek]
    }

    test "EXPIRE options are checked before the time" {
        r set ek v
        assert_error "ERR NX and XX, GT or LT options at the same time are not compatible" \
            {r expire ek notanumber nx xx}
    }

    test "EXPIRE with a time that is not an integer is an error" {
        r set ek v
        foreach cmd {expire pexpire expireat pexpireat} {
            foreach bad {abc 1.5 {} " 1" 99999999999999999999} {
                assert_error "ERR value is not an integer or out of range" {r $cmd ek $bad}
            }
        }
        assert_equal -1 [r ttl ek]
    }

    test "EXPIRE whose time overflows is an error naming the command" {
        r set ek v
        assert_error "ERR invalid expire time in 'expire' command" \
            {r expire ek 9223372036854775807}
        assert_error "ERR invalid expire time in 'expire' command" \
            {r EXPIRE ek 9223372036854776}
        assert_error "ERR invalid expire time in 'expire' command" \
            {r expire ek -9223372036854776}
        assert_error "ERR invalid expire time in 'pexpire' command" \
            {r pexpire ek 9223372036854775807}
        assert_error "ERR invalid expire time in 'expireat' command" \
            {r expireat ek 9223372036854775807}
        assert_error "ERR invalid expire time in 'expireat' command" \
            {r expireat ek -9223372036854776}
        assert_equal v [r get ek]
        assert_equal -1 [r ttl ek]
    }

    test "Overflowing times are errors even on a missing key" {
        r del ek
        assert_error "ERR invalid expire time in 'pexpire' command" \
            {r pexpire ek 9223372036854775807}
    }

    test "Expire commands with the wrong number of arguments are errors" {
        foreach cmd {expire pexpire expireat pexpireat} {
            assert_error "ERR wrong number of arguments for '$cmd' command" {r $cmd}
            assert_error "ERR wrong number of arguments for '$cmd' command" {r $cmd ek}
        }
        foreach cmd {ttl pttl expiretime pexpiretime persist} {
            assert_error "ERR wrong number of arguments for '$cmd' command" {r $cmd}
            assert_error "ERR wrong number of arguments for '$cmd' command" {r $cmd a b}
        }
    }
}

start_server {tags {expire}} {
    test "COMMAND INFO describes the expire commands as Valkey does" {
        foreach cmd {expire pexpire expireat pexpireat} {
            set info [lindex [r command info $cmd] 0]
            assert_equal $cmd [lindex $info 0]
            assert_equal -3 [lindex $info 1]
            assert_equal {write fast} [lindex $info 2]
            assert_equal {1 1 1} [lrange $info 3 5]
            assert_equal {@keyspace @write @fast} [lindex $info 6]
            assert_match "*flags {RW update}*" [lindex $info 8]
        }
        foreach cmd {ttl pttl expiretime pexpiretime} {
            set info [lindex [r command info $cmd] 0]
            assert_equal 2 [lindex $info 1]
            assert_equal {readonly fast} [lindex $info 2]
            assert_equal {@keyspace @read @fast} [lindex $info 6]
            assert_match "*flags {RO access}*" [lindex $info 8]
        }
        assert_equal nondeterministic_output [lindex [r command info ttl] 0 7]
        assert_equal {} [lindex [r command info expiretime] 0 7]
        set info [lindex [r command info persist] 0]
        assert_equal {write fast} [lindex $info 2]
        assert_match "*flags {RW update}*" [lindex $info 8]
    }

    # An argument's docs without display_text, which Valkey 8 adds to every
    # argument and Redis 7.0 leaves out.
    proc expire_doc_arg {arg} {
        return [dict remove $arg display_text]
    }

    test "COMMAND DOCS lists the expire arguments and history" {
        set docs [lindex [r command docs expire] 1]
        assert_equal generic [dict get $docs group]
        assert_equal 1.0.0 [dict get $docs since]
        assert_equal {{7.0.0 {Added options: `NX`, `XX`, `GT` and `LT`.}}} [dict get $docs history]
        set args [dict get $docs arguments]
        assert_equal {name key type key key_spec_index 0} [expire_doc_arg [lindex $args 0]]
        assert_equal {name seconds type integer} [expire_doc_arg [lindex $args 1]]
        set condition [lindex $args 2]
        assert_equal oneof [dict get $condition type]
        assert_equal 7.0.0 [dict get $condition since]
        assert_equal optional [dict get $condition flags]
        assert_equal {name gt type pure-token token GT} \
            [expire_doc_arg [lindex [dict get $condition arguments] 2]]
        assert_equal {name unix-time-milliseconds type unix-time} \
            [expire_doc_arg [lindex [dict get [lindex [r command docs pexpireat] 1] arguments] 1]]
        assert_equal {{2.8.0 {Added the -2 reply.}}} \
            [dict get [lindex [r command docs pttl] 1] history]
        assert_equal 7.0.0 [dict get [lindex [r command docs pexpiretime] 1] since]
        assert_equal 2.2.0 [dict get [lindex [r command docs persist] 1] since]
    }

    test "active-expire-effort and activerehashing are settable with their bounds" {
        assert_equal {active-expire-effort 1} [r config get active-expire-effort]
        assert_equal {activerehashing yes} [r config get activerehashing]
        r config set active-expire-effort 10
        assert_equal {active-expire-effort 10} [r config get active-expire-effort]
        assert_error "*argument must be between 1 and 10 inclusive*" \
            {r config set active-expire-effort 11}
        assert_error "*argument must be between 1 and 10 inclusive*" \
            {r config set active-expire-effort 0}
        assert_error "*argument must be 'yes' or 'no'*" {r config set activerehashing maybe}
        r config set activerehashing no
        assert_equal {activerehashing no} [r config get activerehashing]
        r config set activerehashing yes
        r config set active-expire-effort 1
    }
}

# Active expiry. Keys are created in bulk through a pipeline; the server must
# delete them all on its own (nothing reads them), and keep answering while
# it does.
start_server {tags {expire keyspace debug} overrides {enable-debug-command yes}} {
    # Sends SET prefix:N v PX ttl_ms for count keys of database db through
    # one pipeline.
    proc expire_add_volatile {prefix count ttl_ms {db 0}} {
        set rd [keel_deferring_client]
        $rd select $db
        $rd read
        for {set i 0} {$i < $count} {incr i} {
            $rd set $prefix:$i v px $ttl_ms
        }
        $rd flush
        for {set i 0} {$i < $count} {incr i} {
            $rd read
        }
        $rd close
    }

    test "Many keys expiring at once are all deleted by the active cycle" {
        r flushall
        r config resetstat
        expire_add_volatile mass 50000 100
        r set keeper v
        wait_for_condition 500 20 {[r ping] eq "PONG" && [r dbsize] == 1} else {
            fail "[r dbsize] keys left after the active expire cycle"
        }
        assert_equal v [r get keeper]
        assert_equal 50000 [info_field [r info stats] expired_keys]
    }

    test "Expired keys in other databases are deleted too" {
        r flushall
        expire_add_volatile other 1000 50 9
        r set keeper v
        r select 9
        wait_for_condition 200 20 {[r dbsize] == 0} else {
            fail "[r dbsize] keys left in db 9"
        }
        r select 0
        assert_equal 1 [r dbsize]
    }

    test "DEBUG SET-ACTIVE-EXPIRE 0 keeps expired keys until they are accessed" {
        r flushall
        r config resetstat
        assert_equal OK [r debug set-active-expire 0]
        expire_add_volatile idle 100 10
        r set marker v px 10
        wait_for_condition 100 20 {[r pttl marker] == -2} else {
            fail "the marker key did not expire"
        }
        # Nothing deletes the others: DBSIZE counts keys, expired or not.
        assert_equal 100 [r dbsize]
        assert_equal {} [r get idle:5]
        assert_equal 0 [r exists idle:6]
        assert_equal 98 [r dbsize]
        assert_equal 3 [info_field [r info stats] expired_keys]
        assert_equal OK [r debug set-active-expire 1]
        wait_for_condition 200 20 {[r dbsize] == 0} else {
            fail "[r dbsize] keys left after turning active expire back on"
        }
        assert_equal 101 [info_field [r info stats] expired_keys]
    }

    test "Active expiry deletes nothing while writes are paused" {
        r flushall
        set start [clock milliseconds]
        expire_add_volatile paused 100 1000
        r client pause 100000 write
        # Wait until the keys' time has surely passed; DBSIZE reads nothing.
        while {[clock milliseconds] < $start + 1300} {
            after 50
        }
        assert_equal 100 [r dbsize]
        r client unpause
        wait_for_condition 200 20 {[r dbsize] == 0} else {
            fail "[r dbsize] keys left after CLIENT UNPAUSE"
        }
    }

    test "DEBUG SET-ACTIVE-EXPIRE takes exactly one argument" {
        set err "ERR unknown subcommand or wrong number of arguments for 'set-active-expire'*"
        assert_error $err {r debug set-active-expire}
        assert_error $err {r debug set-active-expire 1 2}
    }

    test "INFO stats has the active expire counters" {
        set stats [r info stats]
        foreach field {expired_keys expired_stale_perc expired_time_cap_reached_count
                       expire_cycle_cpu_milliseconds} {
            assert_match {[0-9]*} [info_field $stats $field] $field
        }
        r config resetstat
        assert_equal 0 [info_field [r info stats] expired_keys]
        assert_equal 0 [info_field [r info stats] expired_time_cap_reached_count]
    }

    test "INFO keyspace counts expiring keys and estimates their time to live" {
        r flushall
        for {set i 0} {$i < 100} {incr i} {
            r set live:$i v ex 10000
        }
        r set plain v
        assert_match "*db0:keys=101,expires=100,avg_ttl=*" [r info keyspace]
        # avg_ttl is estimated by the active cycle as it samples keys.
        wait_for_condition 100 50 {
            [regexp {avg_ttl=([0-9]+)} [r info keyspace] -> avg] && $avg > 0
        } else {
            fail "avg_ttl stayed 0: [r info keyspace]"
        }
        assert_range $avg 1 10000000
    }
}

start_server {tags {expire keyspace debug} overrides {enable-debug-command yes}} {
    test "DEBUG POPULATE adds key:N holding value:N" {
        r flushall
        assert_equal OK [r debug populate 100]
        assert_equal 100 [r dbsize]
        assert_equal value:0 [r get key:0]
        assert_equal value:99 [r get key:99]
        assert_equal 0 [r exists key:100]
        assert_equal -1 [r ttl key:5]
    }

    test "DEBUG POPULATE with a prefix names the keys after it" {
        r flushall
        r debug populate 3 my-prefix
        assert_equal value:2 [r get my-prefix:2]
        assert_equal 3 [r dbsize]
    }

    test "DEBUG POPULATE with a size pads with zero bytes or cuts the value" {
        r flushall
        r debug populate 2 pad 12
        assert_equal "value:1\x00\x00\x00\x00\x00" [r get pad:1]
        r debug populate 2 cut 3
        assert_equal val [r get cut:1]
        r debug populate 2 zero 0
        assert_equal value:1 [r get zero:1]
        r debug populate 1 big 512
        assert_equal 512 [r strlen big:0]
    }

    test "DEBUG POPULATE leaves existing keys alone" {
        r flushall
        r set key:1 mine
        r expire key:1 1000
        r debug populate 3
        assert_equal mine [r get key:1]
        assert_range [r ttl key:1] 900 1000
        assert_equal value:2 [r get key:2]
        assert_equal 3 [r dbsize]
    }

    test "DEBUG POPULATE of many keys in one call" {
        r flushall
        r debug populate 200000 many 16
        assert_equal 200000 [r dbsize]
        assert_equal "value:199999\x00\x00\x00\x00" [r get many:199999]
        r debug populate 200000 many 16
        assert_equal 200000 [r dbsize]
    }

    test "DEBUG POPULATE with a bad count or size is an error" {
        foreach bad {-1 abc 1.5} {
            assert_error "ERR value is out of range, must be positive" {r debug populate $bad}
            assert_error "ERR value is out of range, must be positive" {r debug populate 1 p $bad}
        }
        assert_error "ERR unknown subcommand or wrong number of arguments for 'populate'*" \
            {r debug populate}
        assert_error "ERR unknown subcommand or wrong number of arguments for 'populate'*" \
            {r debug populate 1 a 2 extra}
    }

    test "DEBUG OBJECT shows the value's encoding and details" {
        r set small abc
        r set number 12345
        r set long [string repeat x 100]
        set pattern {Value at:0x* refcount:* encoding:* serializedlength:* lru:* lru_seconds_idle:*}
        foreach {key encoding} {small embstr number int long raw} {
            set line [r debug object $key]
            assert_match $pattern $line
            assert_match "* encoding:$encoding *" $line
            assert [regexp {serializedlength:([0-9]+) lru:([0-9]+) lru_seconds_idle:([0-9]+)$} \
                        $line -> length lru idle] $line
            assert_morethan $length 0
        }
    }

    test "DEBUG OBJECT on a missing key is an error" {
        r del nokey
        assert_error "ERR no such key" {r debug object nokey}
        assert_error "ERR unknown subcommand or wrong number of arguments for 'object'*" \
            {r debug object}
    }

    test "DEBUG HELP lists the keyspace helpers" {
        set help [join [r debug help] \n]
        foreach sub {OBJECT POPULATE SET-ACTIVE-EXPIRE} {
            assert_match "*$sub*" $help
        }
    }
}

# While writes are paused an expired key reads as missing but is not
# deleted (deleting is a write); it goes once the pause ends.
start_server {tags {expire keyspace debug} overrides {enable-debug-command yes}} {
    test "An expired key is not deleted while writes are paused" {
        r debug set-active-expire 0
        r set k v px 50
        r client pause 100000 write
        after 120
        assert_equal {} [r get k]
        assert_equal 0 [r exists k]
        assert_equal 1 [r dbsize]
        r client unpause
        assert_equal {} [r get k]
        assert_equal 0 [r dbsize]
        r debug set-active-expire 1
    }
}
