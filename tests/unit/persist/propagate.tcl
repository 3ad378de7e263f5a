# tests/unit/persist/propagate.tcl: what write commands leave in the AOF
# (persist/propagate.c), read back from the last incr file: relative times
# become absolute (SET ... PXAT, PEXPIREAT, RESTORE ... ABSTTL, HPEXPIREAT,
# HSETEX ... PXAT), times already past become UNLINK/HDEL, random and float
# results are written as what happened (SPOP -> SREM, INCRBYFLOAT -> SET
# KEEPTTL, HINCRBYFLOAT -> HSET), blocking pops as their plain forms,
# scripts and transactions as their effects inside MULTI/EXEC (a single
# write unwrapped), expired and evicted keys as UNLINK; and that a restart
# from the AOF gives back the same data and TTLs.
#
# Needs the AOF writer: every test skips itself while CONFIG GET appendonly
# answers nothing. Hash field expiry (Valkey 9) and SPOP's batched SREMs
# (Valkey) are skipped on redis 7.0; there a SET with PXAT is rewritten too.

proc prop_is_keel {} {
    return [expr {![string match *redis-server* [file tail $::keel::server::binary]]}]
}

proc prop_has_aof {} {
    return [expr {[llength [r config get appendonly]] == 2}]
}

proc prop_dir {name} {
    set dir [file join $::keel::server::tmp_root "propagate-$name.[pid]"]
    file delete -force $dir
    file mkdir $dir
    return $dir
}

# The newest incr file named by the manifest.
proc prop_incr_path {dir} {
    set adir [file join $dir appendonlydir]
    set fh [open [file join $adir appendonly.aof.manifest] r]
    set text [read $fh]
    close $fh
    set name ""
    foreach line [split $text \n] {
        if {[regexp {^file (\S+) seq \d+ type i} $line -> file]} {set name $file}
    }
    if {$name eq ""} {fail "no incr file in the manifest"}
    return [file join $adir $name]
}

# Every command in an AOF file of commands, as Tcl lists.
proc prop_read_commands {path} {
    set fh [open $path rb]
    set data [read $fh]
    close $fh
    set commands {}
    set pos 0
    set end [string length $data]
    while {$pos < $end} {
        set eol [string first "\r\n" $data $pos]
        set head [string range $data $pos [expr {$eol - 1}]]
        if {[string index $head 0] ne "*"} {fail "not a command at $pos: $head"}
        set argc [string range $head 1 end]
        set pos [expr {$eol + 2}]
        set argv {}
        for {set i 0} {$i < $argc} {incr i} {
            set eol [string first "\r\n" $data $pos]
            set len [string range $data [expr {$pos + 1}] [expr {$eol - 1}]]
            set pos [expr {$eol + 2}]
            lappend argv [string range $data $pos [expr {$pos + $len - 1}]]
            set pos [expr {$pos + $len + 2}]
        }
        lappend commands $argv
    }
    return $commands
}

# How many commands the incr file holds now (a mark for prop_since).
proc prop_mark {} {
    return [llength [prop_read_commands [prop_incr_path $::prop_dir]]]
}

# The commands written after mark, SELECTs left out, names in lower case.
proc prop_since {mark} {
    set out {}
    foreach cmd [lrange [prop_read_commands [prop_incr_path $::prop_dir]] $mark end] {
        set name [string tolower [lindex $cmd 0]]
        if {$name eq "select"} continue
        lappend out [lreplace $cmd 0 0 $name]
    }
    return $out
}

# Checks commands against patterns (one glob per command) in order.
proc prop_assert_commands {commands patterns} {
    if {[llength $commands] != [llength $patterns]} {
        fail "expected [llength $patterns] commands, got: $commands"
    }
    foreach cmd $commands pattern $patterns {
        if {![string match $pattern $cmd]} {fail "'$cmd' does not match '$pattern' in: $commands"}
    }
}

# Every key of db 0 and 9 with its type, value and absolute expire time.
proc prop_digest {} {
    set d {}
    foreach db {0 9} {
        r select $db
        foreach key [lsort [r keys *]] {
            set type [r type $key]
            switch $type {
                string {set v [r get $key]}
                list {set v [r lrange $key 0 -1]}
                hash {set v [lsort [r hgetall $key]]}
                set {set v [lsort [r smembers $key]]}
                zset {set v [r zrange $key 0 -1 withscores]}
                default {set v ?}
            }
            lappend d "$db:$key" [list $type $v [r pexpiretime $key]]
        }
    }
    r select 0
    return $d
}

set ::prop_dir [prop_dir main]
set prop_overrides [list dir $::prop_dir appendonly yes appendfsync always \
                        lazyfree-lazy-expire yes lazyfree-lazy-server-del yes \
                        lazyfree-lazy-eviction yes enable-debug-command yes save {""}]

start_server [list tags {persist aof} overrides $prop_overrides] {
    test "Relative expire times are written as absolute ones" {
        skip_unless {[prop_has_aof]} "AOF writer not built yet"
        r flushall
        set mark [prop_mark]
        r set foo1 bar ex 200
        r set foo1 bar px 100000 xx
        r set foo1 bar exat [expr {[clock seconds] + 100}]
        r set foo1 bar pxat [expr {[clock milliseconds] + 100000}]
        r setex foo1 100 bar
        r psetex foo1 100000 bar
        set foo1_at [r pexpiretime foo1]
        r set foo2 bar
        r expire foo2 100
        r pexpire foo2 200000 gt
        set foo2_at [r pexpiretime foo2]
        r set foo3 bar
        r expireat foo3 [expr {[clock seconds] + 100}]
        r pexpireat foo3 [expr {[clock seconds] * 1000 + 100000}]
        r expireat foo3 [expr {[clock seconds] - 100}]
        r expire nosuchkey 100
        r set foo4 bar
        r getex foo4 ex 200
        r getex foo4 px 200000
        r getex foo4 exat [expr {[clock seconds] + 100}]
        r getex foo4 pxat [expr {[clock milliseconds] + 100000}]
        r getex foo4 persist
        r getex foo4
        r getex foo4 exat [expr {[clock seconds] - 100}]
        r set foo5 bar
        set encoded [r dump foo5]
        r restore foo6 100000 $encoded
        r restore foo7 [expr {[clock milliseconds] + 100000}] $encoded absttl
        r set foo8 bar px 100000 get
        set written [prop_since $mark]
        prop_assert_commands $written {
            {set foo1 bar PXAT *} {set foo1 bar PXAT *} {set foo1 bar PXAT *}
            {set foo1 bar [pP][xX][aA][tT] *} {set foo1 bar PXAT *} {set foo1 bar PXAT *}
            {set foo2 bar} {pexpireat foo2 *} {pexpireat foo2 * gt}
            {set foo3 bar} {pexpireat foo3 *} {pexpireat foo3 *} {unlink foo3}
            {set foo4 bar} {pexpireat foo4 *} {pexpireat foo4 *} {pexpireat foo4 *}
            {pexpireat foo4 *} {persist foo4} {unlink foo4}
            {set foo5 bar} {restore foo6 * * ABSTTL} {restore foo7 * * absttl}
            {set foo8 bar PXAT *}
        }
        assert_equal $foo1_at [lindex $written 5 4]
        assert_equal $foo2_at [lindex $written 8 2]
        assert_equal [r pexpiretime foo6] [lindex $written 21 2]
    }

    test "Failed commands and writes that changed nothing write nothing" {
        skip_unless {[prop_has_aof]} "AOF writer not built yet"
        r flushall
        r set str v
        r rpush list a
        set mark [prop_mark]
        assert_error "*syntax*" {r set k v ex 10 px 10}
        assert_error "*invalid expire*" {r set k v ex 0}
        assert_error "*not an integer*" {r expire str abc}
        assert_error "*Unsupported option*" {r expire str 10 zz}
        assert_error "WRONGTYPE*" {r incrbyfloat list 1}
        assert_error "WRONGTYPE*" {r blpop str 0}
        assert_error "WRONGTYPE*" {r spop list}
        assert_error "WRONGTYPE*" {r getex list ex 10}
        assert_error "*wrong number*" {r restore}
        assert_error "*not a valid float*" {r hincrbyfloat h f x}
        assert_equal 0 [r expire missing 10]
        assert_equal {} [r set str other nx]
        assert_equal 0 [r del missing]
        assert_equal {} [r spop missing]
        assert_equal v [r getex str]
        assert_equal {} [r lmpop 1 missing left]
        assert_equal 0 [r pexpire str 10 xx]
        r get str
        assert_equal {} [prop_since $mark]
    }

    test "Float increments are written as the value stored" {
        skip_unless {[prop_has_aof]} "AOF writer not built yet"
        r del n h
        set mark [prop_mark]
        r set n 10.5 ex 1000
        r incrbyfloat n 0.1
        r hincrbyfloat h f 1.25
        assert_error "*not a valid float*" {r incrbyfloat n abc}
        prop_assert_commands [prop_since $mark] {
            {set n 10.5 PXAT *} {set n 10.6 KEEPTTL} {hset h f 1.25}
        }
    }

    test "SPOP is written as SREM of what it popped, or a deletion" {
        skip_unless {[prop_has_aof]} "AOF writer not built yet"
        skip_unless {[prop_is_keel]} "redis 7.0 writes one SREM per member and DEL"
        r del s
        for {set i 0} {$i < 20} {incr i} {r sadd s "m$i"}
        set mark [prop_mark]
        set one [r spop s]
        set two [r spop s 2]
        set most [r spop s 15]
        assert_equal {} [r spop s 0]
        r srandmember s 2
        set rest [r spop s 10]
        assert_equal 0 [r exists s]
        set written [prop_since $mark]
        assert_equal 4 [llength $written] $written
        assert_equal [list srem s $one] [lindex $written 0]
        assert_equal [lsort $two] [lsort [lrange [lindex $written 1] 2 end]]
        assert_equal {srem s} [lrange [lindex $written 2] 0 1]
        assert_equal [lsort $most] [lsort [lrange [lindex $written 2] 2 end]]
        assert_equal {unlink s} [lindex $written 3]
        assert_equal 2 [llength $rest]
    }

    test "Blocking pops are written as their plain forms" {
        skip_unless {[prop_has_aof]} "AOF writer not built yet"
        r del l l2 z
        r rpush l a b c d e f
        r zadd z 1 a 2 b 3 c 4 d 5 e
        set mark [prop_mark]
        assert_equal {l a} [r blpop l 0]
        assert_equal {l f} [r brpop l 0]
        assert_equal b [r blmove l l2 left right 0]
        assert_equal e [r brpoplpush l l2 0]
        assert_equal {l {c d}} [r blmpop 0 1 l left count 10]
        assert_equal {l2 e} [r lmpop 1 l2 left]
        assert_equal {z a 1} [r bzpopmin z 0]
        assert_equal {z e 5} [r bzpopmax z 0]
        assert_equal {z {{b 2} {c 3}}} [r bzmpop 0 1 z min count 2]
        assert_equal {z {{d 4}}} [r zmpop 1 z max count 7]
        prop_assert_commands [prop_since $mark] {
            {lpop l} {rpop l} {lmove l l2 left right} {rpoplpush l l2} {lpop l 2}
            {lpop l2 1} {zpopmin z} {zpopmax z} {zpopmin z 2} {zpopmax z 1}
        }
    }

    test "A blocked client served later writes its pop after the push" {
        skip_unless {[prop_has_aof]} "AOF writer not built yet"
        r del q
        set mark [prop_mark]
        set rd [keel_deferring_client]
        $rd blpop q 0
        wait_for_condition 50 20 {[info_field [r info clients] blocked_clients] == 1} else {
            fail "the client did not block"
        }
        r rpush q x
        assert_equal {q x} [$rd read]
        $rd close
        prop_assert_commands [prop_since $mark] {{rpush q x} {lpop q}}
    }

    test "MULTI/EXEC is wrapped only when it wrote more than one command" {
        skip_unless {[prop_has_aof]} "AOF writer not built yet"
        r del a foo
        set mark [prop_mark]
        r multi
        r set a 1
        r incr a
        r exec
        r multi
        r script load {return 1}
        r get a
        r set foo bar
        r exec
        r multi
        r get a
        r exec
        r multi
        r set a 5
        r select 9
        r set a 9
        r select 0
        r exec
        prop_assert_commands [prop_since $mark] {
            multi {set a 1} {incr a} exec {set foo bar} multi {set a 5} {set a 9} exec
        }
    }

    test "Scripts are written as their effects, functions as themselves" {
        skip_unless {[prop_has_aof]} "AOF writer not built yet"
        r del a b
        r function flush
        set mark [prop_mark]
        r eval {redis.call('set', KEYS[1], 'x'); redis.call('set', KEYS[2], 'y')} 2 a b
        r eval {redis.call('set', KEYS[1], 'z')} 1 a
        r eval {return redis.call('get', KEYS[1])} 1 a
        r eval {redis.call('expire', KEYS[1], 100)} 1 a
        r script load {return 2}
        r script flush
        set code "#!lua name=plib\nredis.register_function('pset', function(keys, args) return redis.call('set', keys\[1\], args\[1\]) end)"
        r function load $code
        r fcall pset 1 b w
        r function delete plib
        r function flush
        prop_assert_commands [prop_since $mark] {
            multi {set a x} {set b y} exec {set a z} {pexpireat a *}
            {function load *} {set b w} {function delete plib} {function flush}
        }
    }

    test "Keys expired on access or by the cycle are written as UNLINK" {
        skip_unless {[prop_has_aof]} "AOF writer not built yet"
        r flushall
        r debug set-active-expire 0
        r set foo bar px 1
        r set foo1 bar px 1
        r set foo2 bar px 1
        r set old v px 1
        after 20
        set mark [prop_mark]
        assert_equal {} [r get foo]
        r set x 1
        r set old new nx
        r scan 0
        r debug set-active-expire 1
        r set gone v px 1
        wait_for_condition 100 20 {[r dbsize] == 2} else {fail "the cycle did not expire"}
        prop_assert_commands [prop_since $mark] {
            {unlink foo} {set x 1} multi {unlink old} {set old new nx} exec
            {unlink foo*} {unlink foo*} {set gone v PXAT *} {unlink gone}
        }
    } {needs:debug}

    test "FLUSHALL, FLUSHDB and SWAPDB are written even when nothing changed" {
        skip_unless {[prop_has_aof]} "AOF writer not built yet"
        r flushall
        set mark [prop_mark]
        r flushall
        r flushdb
        r swapdb 0 1
        r swapdb 0 1
        prop_assert_commands [prop_since $mark] {flushall flushdb {swapdb 0 1} {swapdb 0 1}}
    }

    test "Evicted keys are written as UNLINK" {
        skip_unless {[prop_has_aof]} "AOF writer not built yet"
        r flushall
        for {set i 0} {$i < 50} {incr i} {r set "big:$i" [string repeat x 10000]}
        set used [info_field [r info memory] used_memory]
        set mark [prop_mark]
        r config set maxmemory-policy allkeys-random
        r config set maxmemory [expr {$used - 200000}]
        r set trigger 1
        r config set maxmemory 0
        set written [prop_since $mark]
        set evicted 0
        foreach cmd $written {
            if {[lindex $cmd 0] eq "unlink"} {
                assert_match big:* [lindex $cmd 1]
                assert_equal 0 [r exists [lindex $cmd 1]]
                incr evicted
            }
        }
        assert_morethan $evicted 0
        assert_equal {set trigger 1} [lindex $written end]
        assert_equal [expr {50 - $evicted}] [llength [r keys big:*]]
        r flushall
    }

    test "Hash field times are written as absolute ones, past ones as HDEL" {
        skip_unless {[prop_has_aof]} "AOF writer not built yet"
        skip_unless {[prop_is_keel]} "hash field expiry is Valkey 9"
        r del h h2
        r hset h f1 v1 f2 v2 f3 v3
        set mark [prop_mark]
        assert_equal {1 -2} [r hexpire h 100 fields 2 f1 nofield]
        r hpexpire h 100000 fields 1 f1
        r hexpireat h [expr {[clock seconds] + 100}] fields 1 f1
        assert_equal {0} [r hexpire h 100 nx fields 1 f1]
        assert_equal {2} [r hexpireat h [expr {[clock seconds] - 10}] fields 1 f2]
        r hgetex h ex 100 fields 1 f3
        r hgetex h persist fields 2 f3 nofield
        r hgetex h pxat 1 fields 1 f3
        r hsetex h ex 100 fields 2 f4 v4 f5 v5
        r hsetex h fields 1 f6 v6
        set f1_at [lindex [r hpexpiretime h fields 1 f1] 0]
        r hset h2 a 1 b 2
        r hpexpire h2 1 fields 1 a
        wait_for_condition 100 20 {[r hlen h2] == 1} else {fail "the field did not expire"}
        set written [prop_since $mark]
        prop_assert_commands $written {
            {hpexpireat h * FIELDS 1 f1} {hpexpireat h * FIELDS 1 f1}
            {hpexpireat h * FIELDS 1 f1} {hdel h f2}
            {hpexpireat h * FIELDS 1 f3} {hpersist h FIELDS 1 f3} {hdel h f3}
            {hsetex h PXAT * FIELDS 2 f4 v4 f5 v5} {hsetex h fields 1 f6 v6}
            {hset h2 a 1 b 2} {hpexpireat h2 * FIELDS 1 a} {hdel h2 a}
        }
        assert_equal $f1_at [lindex $written 2 2]
    }

    test "Data written for the restart test" {
        skip_unless {[prop_has_aof]} "AOF writer not built yet"
        r flushall
        r set s1 v ex 1000
        r set s2 1.5
        r incrbyfloat s2 2.25
        r expire s2 5000
        r rpush l a b c d
        r blpop l 0
        r sadd set a b c d e
        r spop set
        r spop set 2
        r zadd z 1 a 2 b 3 c
        r bzpopmin z 0
        r hset h a 1 b 2.5
        r hincrbyfloat h b 0.25
        r eval {redis.call('set', 'e1', 'x'); redis.call('pexpire', 'e1', 900000)} 0
        r multi
        r set m1 1
        r select 9
        r set m9 9
        r expire m9 3000
        r select 0
        r exec
        if {[prop_is_keel]} {
            r hset hf f1 v1 f2 v2
            r hexpire hf 1000 fields 1 f1
            r hsetex hf px 900000 fields 1 f3 v3
        }
        set ::prop_expected [prop_digest]
        set ::prop_hf {}
        if {[prop_is_keel]} {set ::prop_hf [r hpexpiretime hf fields 3 f1 f2 f3]}
    }
}

start_server [list tags {persist aof} overrides $prop_overrides] {
    test "A restart from the AOF gives back the same data and expire times" {
        skip_unless {[prop_has_aof]} "AOF writer not built yet"
        assert_equal $::prop_expected [prop_digest]
        if {[prop_is_keel]} {
            assert_equal $::prop_hf [r hpexpiretime hf fields 3 f1 f2 f3]
        }
    }
}
