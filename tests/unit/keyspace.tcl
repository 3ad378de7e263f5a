# tests/unit/keyspace.tcl: the keyspace commands: SELECT, SWAPDB, MOVE, COPY,
# DBSIZE, FLUSHDB, FLUSHALL, KEYS, SCAN, RANDOMKEY, EXISTS, DEL, UNLINK, TYPE,
# RENAME, RENAMENX, TOUCH, OBJECT and MEMORY, their error paths, SCAN's
# guarantee while the table grows and shrinks between calls, and the
# keyspace fields of INFO (keyspace, stats, memory).
#
# Error texts are Valkey's; where Redis 7.0 words or parses differently the
# line checks Valkey's behaviour only on keel (valkey_only). Expiry is set
# with SET PX and waited for with wait_for_condition, never timed.

# True when the server under test is keel (Redis 7.0 has no server_name).
proc is_keel {} {
    return [expr {[info_field [r info server] server_name] eq "keel"}]
}

# Runs a full SCAN with the given options and returns the keys it returned
# (duplicates included).
proc scan_all {args} {
    set cursor 0
    set keys {}
    while 1 {
        set reply [r scan $cursor {*}$args]
        set cursor [lindex $reply 0]
        lappend keys {*}[lindex $reply 1]
        if {$cursor == 0} break
    }
    return $keys
}

# Adds count keys named prefix:0 .. prefix:count-1 in one pipeline-free loop.
proc add_keys {prefix count} {
    for {set i 0} {$i < $count} {incr i} {
        r set $prefix:$i $i
    }
}

start_server {tags {keyspace} overrides {enable-debug-command yes}} {
    test "DEL and UNLINK count only the keys that existed" {
        r flushall
        r set a 1
        r set b 2
        r set c 3
        assert_equal 2 [r del a b nosuch]
        assert_equal 1 [r unlink c nosuch]
        assert_equal 0 [r exists a b c]
    }

    test "DEL and UNLINK of an expired key reply 0 and count it as expired" {
        r flushall
        r config resetstat
        r debug set-active-expire 0
        r set gone1 v px 1
        r set gone2 v px 1
        r set kept v
        after 20
        assert_equal 1 [r del gone1 kept]
        assert_equal 0 [r unlink gone2]
        assert_equal 2 [info_field [r info stats] expired_keys]
        assert_equal 0 [r dbsize]
        r debug set-active-expire 1
    }

    test "DEL of a key named twice deletes it once" {
        r set a 1
        assert_equal 1 [r del a a]
    }

    test "DEL and UNLINK without a key are arity errors" {
        assert_error "ERR wrong number of arguments for 'del' command" {r del}
        assert_error "ERR wrong number of arguments for 'unlink' command" {r unlink}
    }

    test "EXISTS counts a key each time it is named" {
        r flushall
        r set a 1
        assert_equal 3 [r exists a a nosuch a]
        assert_equal 0 [r exists nosuch]
        assert_error "ERR wrong number of arguments for 'exists' command" {r exists}
    }

    test "TYPE says string for a string and none for a missing key" {
        r set s hello
        assert_equal string [r type s]
        assert_equal none [r type nosuch]
        assert_error "ERR wrong number of arguments for 'type' command" {r type a b}
    }

    test "TOUCH counts the keys that exist" {
        r flushall
        r set a 1
        r set b 2
        assert_equal 2 [r touch a b nosuch]
        assert_error "ERR wrong number of arguments for 'touch' command" {r touch}
    }

    test "DBSIZE counts the keys of the selected database" {
        r flushall
        add_keys k 10
        assert_equal 10 [r dbsize]
        r select 1
        assert_equal 0 [r dbsize]
        r select 0
        assert_error "ERR wrong number of arguments for 'dbsize' command" {r dbsize x}
    }
}

start_server {tags {keyspace}} {
    test "RENAME moves the value to the new name" {
        r flushall
        r set old value
        assert_equal OK [r rename old new]
        assert_equal value [r get new]
        assert_equal 0 [r exists old]
    }

    test "RENAME replaces an existing destination and its time to live" {
        r set src 1
        r set dst 2 px 1000000
        assert_equal OK [r rename src dst]
        assert_equal 1 [r get dst]
        assert_equal -1 [r pttl dst]
    }

    test "RENAME carries the source's time to live" {
        r set src v px 1000000
        r rename src dst
        assert_range [r pttl dst] 900000 1000000
    }

    test "RENAME keeps the value's encoding" {
        r set n 12345
        r rename n n2
        assert_equal int [r object encoding n2]
        r set s hello
        r rename s s2
        assert_equal embstr [r object encoding s2]
        r set big [string repeat x 100]
        r rename big big2
        assert_equal raw [r object encoding big2]
        assert_equal [string repeat x 100] [r get big2]
    }

    test "RENAME of a missing key is an error" {
        r del nosuch
        assert_error "ERR no such key" {r rename nosuch other}
        assert_error "ERR no such key" {r renamenx nosuch other}
    }

    test "RENAME of a key onto itself is OK when it exists, an error when not" {
        r set same v
        assert_equal OK [r rename same same]
        assert_equal v [r get same]
        assert_error "ERR no such key" {r rename nosuch nosuch}
    }

    test "RENAMENX renames only when the destination is free" {
        r flushall
        r set a 1
        r set b 2
        assert_equal 0 [r renamenx a b]
        assert_equal 1 [r get a]
        assert_equal 1 [r renamenx a c]
        assert_equal 1 [r get c]
        assert_equal 0 [r exists a]
    }

    test "RENAMENX of a key onto itself replies 0" {
        r set same v
        assert_equal 0 [r renamenx same same]
        assert_equal v [r get same]
    }

    test "RENAME and RENAMENX check their arity" {
        assert_error "ERR wrong number of arguments for 'rename' command" {r rename a}
        assert_error "ERR wrong number of arguments for 'renamenx' command" {r renamenx a b c}
    }
}

start_server {tags {keyspace}} {
    test "COPY copies a value to a new key" {
        r flushall
        r set src hello
        assert_equal 1 [r copy src dst]
        assert_equal hello [r get dst]
        assert_equal hello [r get src]
    }

    test "COPY makes an independent value" {
        r set src one
        r copy src dst replace
        r set src two
        assert_equal one [r get dst]
    }

    test "COPY keeps the encoding and the time to live" {
        r set n 42 px 1000000
        r copy n n2
        assert_equal int [r object encoding n2]
        assert_range [r pttl n2] 900000 1000000
        r set big [string repeat y 60]
        r copy big big2
        assert_equal raw [r object encoding big2]
    }

    test "COPY replies 0 when the source is missing or the destination exists" {
        r del nosuch
        assert_equal 0 [r copy nosuch dst2]
        r set a 1
        r set b 2
        assert_equal 0 [r copy a b]
        assert_equal 2 [r get b]
    }

    test "COPY REPLACE overwrites the destination" {
        r set a 1
        r set b 2 px 1000000
        assert_equal 1 [r copy a b REPLACE]
        assert_equal 1 [r get b]
        assert_equal -1 [r pttl b]
    }

    test "COPY DB copies into another database" {
        r select 0
        r set cross v
        r select 3
        r del cross
        r select 0
        assert_equal 1 [r copy cross cross db 3]
        r select 3
        assert_equal v [r get cross]
        r select 0
    }

    test "COPY of a key onto itself in the same database is an error" {
        r set a 1
        assert_error "ERR source and destination objects are the same" {r copy a a}
        assert_error "ERR source and destination objects are the same" {r copy a a db 0}
    }

    test "COPY rejects a bad DB and unknown options" {
        r set a 1
        assert_error "ERR DB index is out of range" {r copy a b db 16}
        assert_error "ERR DB index is out of range" {r copy a b db -1}
        assert_error "ERR value is not an integer or out of range" {r copy a b db x}
        assert_error "ERR syntax error" {r copy a b db}
        assert_error "ERR syntax error" {r copy a b bogus}
        assert_error "ERR wrong number of arguments for 'copy' command" {r copy a}
    }
}

start_server {tags {keyspace}} {
    test "MOVE moves a key to another database" {
        r flushall
        r set m v px 1000000
        assert_equal 1 [r move m 2]
        assert_equal 0 [r exists m]
        r select 2
        assert_equal v [r get m]
        assert_range [r pttl m] 900000 1000000
        r select 0
    }

    test "MOVE replies 0 for a missing key or a taken name in the target" {
        r del nosuch
        assert_equal 0 [r move nosuch 2]
        r set taken here
        r select 2
        r set taken there
        r select 0
        assert_equal 0 [r move taken 2]
        assert_equal here [r get taken]
    }

    test "MOVE to the selected database is an error" {
        r set a 1
        assert_error "ERR source and destination objects are the same" {r move a 0}
    }

    test "MOVE rejects a bad database" {
        assert_error "ERR DB index is out of range" {r move a 16}
        assert_error "ERR DB index is out of range" {r move a -1}
        assert_error "ERR value is not an integer or out of range" {r move a x}
        assert_error "ERR wrong number of arguments for 'move' command" {r move a}
    }

    test "SELECT switches databases and rejects bad indexes" {
        r select 5
        r set sel five
        r select 0
        assert_equal 0 [r exists sel]
        r select 5
        assert_equal five [r get sel]
        r select 0
        assert_error "ERR DB index is out of range" {r select 16}
        assert_error "ERR DB index is out of range" {r select -1}
        assert_error "ERR value is not an integer or out of range" {r select x}
        assert_error "ERR value is out of range, value must between -2147483648 and 2147483647" \
            {r select 99999999999}
        assert_error "ERR value is not an integer or out of range" {r select 99999999999999999999}
    }

    test "SWAPDB swaps the contents of two databases" {
        r flushall
        r set only0 a
        r select 1
        r set only1 b
        r select 0
        assert_equal OK [r swapdb 0 1]
        assert_equal b [r get only1]
        assert_equal 0 [r exists only0]
        r select 1
        assert_equal a [r get only0]
        r select 0
        assert_equal OK [r swapdb 0 0]
    }

    test "SWAPDB rejects bad indexes with Valkey's messages" {
        assert_error "ERR invalid first DB index" {r swapdb x 1}
        assert_error "ERR invalid second DB index" {r swapdb 1 x}
        assert_error "ERR DB index is out of range" {r swapdb 0 16}
        assert_error "ERR DB index is out of range" {r swapdb -1 0}
        assert_error "ERR wrong number of arguments for 'swapdb' command" {r swapdb 0}
    }

    test "FLUSHDB empties only the selected database" {
        r flushall
        r set a 1
        r select 1
        r set b 2
        assert_equal OK [r flushdb]
        assert_equal 0 [r dbsize]
        r select 0
        assert_equal 1 [r dbsize]
    }

    test "FLUSHDB and FLUSHALL take SYNC or ASYNC, anything else is a syntax error" {
        add_keys f 20
        assert_equal OK [r flushdb sync]
        assert_equal 0 [r dbsize]
        add_keys f 20
        assert_equal OK [r flushdb ASYNC]
        assert_equal 0 [r dbsize]
        add_keys f 20
        assert_equal OK [r flushall async]
        assert_equal 0 [r dbsize]
        assert_equal OK [r flushall SYNC]
        assert_error "ERR syntax error" {r flushdb bogus}
        assert_error "ERR syntax error" {r flushall sync async}
    }

    test "FLUSHALL empties every database" {
        r set a 1
        r select 7
        r set b 2
        r flushall
        assert_equal 0 [r dbsize]
        r select 0
        assert_equal 0 [r dbsize]
    }

    test "FLUSHALL ASYNC frees the keys on the lazy free thread" {
        r flushall
        r config resetstat
        add_keys lazy 200
        r flushall async
        assert_equal 0 [r dbsize]
        wait_for_condition 100 20 {
            [info_field [r info memory] lazyfree_pending_objects] == 0 &&
            [info_field [r info memory] lazyfreed_objects] >= 200
        } else {
            fail "lazyfreed_objects did not reach 200: [info_field [r info memory] lazyfreed_objects]"
        }
    }
}

start_server {tags {keyspace}} {
    test "KEYS returns the keys that match a glob pattern" {
        r flushall
        foreach k {foo fob bar foo:1 foo:2 {a*b}} { r set $k v }
        assert_equal {a*b bar fob foo foo:1 foo:2} [lsort [r keys *]]
        assert_equal {foo foo:1 foo:2} [lsort [r keys foo*]]
        assert_equal {fob foo} [lsort [r keys fo?]]
        assert_equal {fob} [lsort [r keys {fo[b]}]]
        assert_equal {a*b} [r keys {a\*b}]
        assert_equal {} [r keys nomatch*]
    }

    test "KEYS leaves out keys whose time has passed" {
        r flushall
        r set live v
        r set gone v px 1
        wait_for_condition 100 10 {[r pttl gone] == -2} else { fail "gone never expired" }
        r set gone2 v px 1
        after 5
        assert_equal {live} [r keys *]
    }

    test "KEYS checks its arity" {
        assert_error "ERR wrong number of arguments for 'keys' command" {r keys}
    }

    test "RANDOMKEY replies nil for an empty database and a key otherwise" {
        r flushall
        assert_equal {} [r randomkey]
        r set only v
        assert_equal only [r randomkey]
        add_keys rk 20
        for {set i 0} {$i < 20} {incr i} {
            assert_equal 1 [r exists [r randomkey]]
        }
    }

    test "RANDOMKEY never returns a key whose time has passed" {
        r flushall
        for {set i 0} {$i < 20} {incr i} { r set exp:$i v px 1 }
        r set live v
        after 5
        for {set i 0} {$i < 10} {incr i} {
            assert_equal live [r randomkey]
        }
        r del live
        assert_equal {} [r randomkey]
    }
}

start_server {tags {keyspace}} {
    test "SCAN returns every key exactly in one full iteration of a static table" {
        r flushall
        add_keys s 1000
        set keys [scan_all]
        assert_equal 1000 [llength [lsort -unique $keys]]
    }

    test "SCAN with COUNT returns every key" {
        foreach count {1 5 100 10000} {
            set keys [scan_all count $count]
            assert_equal 1000 [llength [lsort -unique $keys]] "COUNT $count"
        }
    }

    test "SCAN MATCH filters by glob pattern" {
        r flushall
        add_keys a 50
        add_keys b 50
        set keys [lsort -unique [scan_all match a:* count 20]]
        assert_equal 50 [llength $keys]
        foreach k $keys { assert_match a:* $k }
        assert_equal 100 [llength [lsort -unique [scan_all match *]]]
    }

    test "SCAN TYPE filters by type name, in any case" {
        r flushall
        add_keys t 30
        assert_equal 30 [llength [lsort -unique [scan_all type string]]]
        assert_equal 30 [llength [lsort -unique [scan_all type STRING]]]
        assert_equal 0 [llength [scan_all type list]]
    }

    test "SCAN with an unknown TYPE returns nothing and is not an error" {
        assert_equal 0 [llength [scan_all type string1]]
    }

    test "SCAN deletes the keys it finds expired and does not return them" {
        r flushall
        add_keys live 100
        for {set i 0} {$i < 100} {incr i} { r set dead:$i v px 1 }
        after 5
        set keys [lsort -unique [scan_all]]
        assert_equal 100 [llength $keys]
        foreach k $keys { assert_match live:* $k }
        assert_equal 100 [r dbsize]
    }

    test "SCAN rejects a bad cursor, COUNT and unknown options" {
        assert_error "ERR invalid cursor" {r scan abc}
        assert_error "ERR invalid cursor" {r scan 1x}
        assert_error "ERR invalid cursor" {r scan {1 }}
        assert_error "ERR invalid cursor" {r scan 18446744073709551616}
        assert_error "ERR value is not an integer or out of range" {r scan 0 count x}
        assert_error "ERR syntax error" {r scan 0 count 0}
        assert_error "ERR syntax error" {r scan 0 count -1}
        assert_error "ERR syntax error" {r scan 0 count}
        assert_error "ERR syntax error" {r scan 0 match}
        assert_error "ERR syntax error" {r scan 0 bogus 1}
        assert_error "ERR wrong number of arguments for 'scan' command" {r scan}
    }

    test "SCAN takes the largest 64-bit cursor" {
        set reply [r scan 18446744073709551615]
        assert_equal 2 [llength $reply]
    }

    test "SCAN cursor parsing follows Valkey (negative rejected, leading space taken)" {
        skip_unless {[is_keel]} "Redis 7.0 parses the cursor with strtoul"
        assert_error "ERR invalid cursor" {r scan -1}
        assert_equal 2 [llength [r scan { 0}]]
    }

    test "SCAN returns every key present throughout while the table grows" {
        r flushall
        add_keys base 500
        set seen {}
        set cursor 0
        set round 0
        while 1 {
            set reply [r scan $cursor count 20]
            set cursor [lindex $reply 0]
            lappend seen {*}[lindex $reply 1]
            # Grow the table between calls (to 30 times its size, resizing
            # several times), then let the scan finish.
            if {$round < 50} { add_keys grow$round 300 }
            incr round
            if {$cursor == 0} break
        }
        set seen [lsort -unique $seen]
        for {set i 0} {$i < 500} {incr i} {
            assert {[lsearch -sorted $seen base:$i] >= 0} "base:$i missing after $round rounds"
        }
    }

    test "SCAN returns every key present throughout while the table shrinks" {
        r flushall
        add_keys keep 200
        add_keys drop 5000
        set seen {}
        set cursor 0
        set next_drop 0
        while 1 {
            set reply [r scan $cursor count 50]
            set cursor [lindex $reply 0]
            lappend seen {*}[lindex $reply 1]
            # Delete keys between calls so the table shrinks under the scan.
            set batch {}
            for {set i 0} {$i < 500 && $next_drop < 5000} {incr i} {
                lappend batch drop:$next_drop
                incr next_drop
            }
            if {[llength $batch]} { r del {*}$batch }
            if {$cursor == 0} break
        }
        set seen [lsort -unique $seen]
        for {set i 0} {$i < 200} {incr i} {
            assert {[lsearch -sorted $seen keep:$i] >= 0} "keep:$i missing"
        }
    }
}

start_server {tags {keyspace}} {
    test "OBJECT ENCODING reports int, embstr and raw" {
        r set n 12345
        assert_equal int [r object encoding n]
        r set s short
        assert_equal embstr [r object encoding s]
        r set l [string repeat z 44]
        assert_equal embstr [r object encoding l]
        r set r [string repeat z 45]
        assert_equal raw [r object encoding r]
    }

    test "OBJECT subcommands reply nil for a missing key" {
        r del nosuch
        assert_equal {} [r object encoding nosuch]
        assert_equal {} [r object refcount nosuch]
        assert_equal {} [r object idletime nosuch]
        assert_equal {} [r object freq nosuch]
    }

    test "OBJECT REFCOUNT is at least 1" {
        r set s hello
        assert {[r object refcount s] >= 1}
    }

    test "OBJECT IDLETIME is a count of seconds for a key just written" {
        r set s hello
        # A sanity bound, not a speed check: garbage LRU bits would read as
        # days (the clock has 24 bits of seconds).
        assert_range [r object idletime s] 0 3600
    }

    test "OBJECT FREQ is an error unless an LFU policy is set" {
        r set s hello
        assert_error "ERR An LFU maxmemory policy is not selected, access frequency not tracked.*" \
            {r object freq s}
    }

    test "Under an LFU policy OBJECT FREQ counts and IDLETIME is an error" {
        r config set maxmemory-policy allkeys-lfu
        r set f v
        r get f
        assert {[r object freq f] >= 1}
        assert_error "ERR An LFU maxmemory policy is selected, idle time not tracked.*" \
            {r object idletime f}
        r config set maxmemory-policy noeviction
    }

    test "OBJECT HELP lists the subcommands" {
        set help [r object help]
        assert_match "OBJECT <subcommand> *" [lindex $help 0]
        foreach word {ENCODING FREQ IDLETIME REFCOUNT HELP} {
            assert {[lsearch -glob $help "$word*"] >= 0} "$word missing from OBJECT HELP"
        }
    }

    test "OBJECT rejects unknown subcommands and wrong arity" {
        assert_error "ERR unknown subcommand 'bogus'. Try OBJECT HELP." {r object bogus k}
        assert_error "ERR wrong number of arguments for 'object|encoding' command" \
            {r object encoding}
        assert_error "ERR wrong number of arguments for 'object|encoding' command" \
            {r object encoding a b}
        assert_error "ERR wrong number of arguments for 'object' command" {r object}
    }

    test "OBJECT lookups count keyspace hits and misses" {
        r set s v
        r config resetstat
        r object encoding s
        r object encoding nosuch
        set info [r info stats]
        assert_equal 1 [info_field $info keyspace_hits]
        assert_equal 1 [info_field $info keyspace_misses]
    }
}

start_server {tags {keyspace}} {
    test "MEMORY USAGE counts at least the key and value bytes" {
        r set small v
        assert_range [r memory usage small] 6 200
        r set big [string repeat x 10000]
        assert_range [r memory usage big] 10000 20000
        assert_equal {} [r memory usage nosuch]
    }

    test "MEMORY USAGE checks SAMPLES" {
        r set k v
        assert {[r memory usage k samples 0] > 0}
        assert {[r memory usage k SAMPLES 10] > 0}
        assert_error "ERR syntax error" {r memory usage k samples -1}
        assert_error "ERR value is not an integer or out of range" {r memory usage k samples x}
        assert_error "ERR syntax error" {r memory usage k samples}
        assert_error "ERR syntax error" {r memory usage k bogus 1}
        assert_error "ERR wrong number of arguments for 'memory|usage' command" {r memory usage}
    }

    test "MEMORY STATS is a map with the totals and the key count" {
        r flushall
        add_keys ms 10
        set stats [r memory stats]
        foreach field {peak.allocated total.allocated startup.allocated keys.count dataset.bytes
                       overhead.total fragmentation} {
            assert {[dict exists $stats $field]} "$field missing from MEMORY STATS"
        }
        assert_equal 10 [dict get $stats keys.count]
        assert {[dict exists $stats db.0]}
        assert {[dict exists [dict get $stats db.0] overhead.hashtable.main]}
    }

    test "MEMORY DOCTOR, MALLOC-STATS and PURGE reply" {
        assert_match "*Sam*" [r memory doctor]
        assert {[string length [r memory malloc-stats]] > 0}
        assert_equal OK [r memory purge]
    }

    test "MEMORY HELP lists the subcommands" {
        set help [r memory help]
        assert_match "MEMORY <subcommand> *" [lindex $help 0]
        foreach word {DOCTOR MALLOC-STATS PURGE STATS USAGE HELP} {
            assert {[lsearch -glob $help "$word*"] >= 0} "$word missing from MEMORY HELP"
        }
    }

    test "MEMORY rejects unknown subcommands and wrong arity" {
        assert_error "ERR unknown subcommand 'bogus'. Try MEMORY HELP." {r memory bogus}
        assert_error "ERR wrong number of arguments for 'memory|stats' command" {r memory stats x}
    }
}

start_server {tags {keyspace}} {
    test "INFO keyspace lists only non-empty databases" {
        r flushall
        assert_equal {} [info_field_names [r info keyspace]]
        r set a 1
        r set b 2 px 1000000
        r select 4
        r set c 3
        r select 0
        set info [r info keyspace]
        assert_equal {db0 db4} [info_field_names $info]
        assert_equal 2 [info_subfield $info db0 keys]
        assert_equal 1 [info_subfield $info db0 expires]
        assert_equal 1 [info_subfield $info db4 keys]
        assert_equal 0 [info_subfield $info db4 expires]
        assert_match "db0:keys=2,expires=1,avg_ttl=*" [lsearch -inline [split $info "\r\n"] db0:*]
    }

    test "INFO stats counts keyspace hits and misses of reads" {
        r set k v
        r config resetstat
        r get k
        r get k
        r get nosuch
        r exists k nosuch
        set info [r info stats]
        assert_equal 3 [info_field $info keyspace_hits]
        assert_equal 2 [info_field $info keyspace_misses]
    }

    test "INFO stats counts keys deleted because their time passed" {
        r flushall
        r config resetstat
        r set e1 v px 1
        r set e2 v px 1
        after 5
        r get e1
        r exists e2
        wait_for_condition 100 10 {[info_field [r info stats] expired_keys] == 2} else {
            fail "expired_keys is [info_field [r info stats] expired_keys]"
        }
    }

    test "INFO stats has the keyspace counters in Valkey's order" {
        set names [info_field_names [r info stats]]
        set expected {expired_keys expired_stale_perc expired_time_cap_reached_count
                      expire_cycle_cpu_milliseconds evicted_keys evicted_clients
                      total_eviction_exceeded_time current_eviction_exceeded_time
                      keyspace_hits keyspace_misses}
        set positions {}
        foreach field $expected {
            set at [lsearch -exact $names $field]
            assert {$at >= 0} "$field missing from INFO stats"
            lappend positions $at
        }
        assert_equal $positions [lsort -integer $positions]
        assert_equal 0 [info_field [r info stats] current_eviction_exceeded_time]
    }

    test "INFO stats has evicted_scripts (Valkey 8)" {
        skip_unless {[is_keel]} "Redis 7.0 has no evicted_scripts"
        assert_equal 0 [info_field [r info stats] evicted_scripts]
    }

    test "INFO memory reports the lazy free counters" {
        set info [r info memory]
        assert_match {[0-9]*} [info_field $info lazyfree_pending_objects]
        assert_match {[0-9]*} [info_field $info lazyfreed_objects]
    }
}
