# tests/unit/persist/rdb.tcl: RDB snapshots: every type and encoding kept
# through SAVE + restart and DEBUG RELOAD, expire times, BGSAVE, save points,
# LASTSAVE, INFO persistence, saving at SHUTDOWN, a damaged file refusing
# start-up, keel-check-rdb, and loading a file written by Debian's
# redis-server 7.0 (started here on a spare port; skipped without it).
#
# Servers here share one folder per test (the `dir` override), so a file
# saved by one is loaded by the next. Tests about keel's own log lines and
# its checker skip themselves against redis-server.

set ::persist_redis_bin /usr/bin/redis-server

proc persist_is_keel {} {
    return [expr {![string match *redis-server* [file tail $::keel::server::binary]]}]
}

# A fresh folder for the files of one test.
proc persist_dir {name} {
    set dir [file join $::keel::server::tmp_root "persist-$name.[pid]"]
    file delete -force $dir
    file mkdir $dir
    return $dir
}

# Every type in its small and big encodings, with expires, in db 0 and 9.
proc persist_fill {c} {
    $c flushall
    $c set str:small hello
    $c set str:int 12345
    $c set str:neg -99
    $c set str:embed [string repeat x 30]
    $c set str:big [string repeat abcdefghij 100]
    $c set str:ttl temporary
    $c expire str:ttl 1000
    $c rpush list:small a b 1 2 -3
    for {set i 0} {$i < 1000} {incr i} {
        $c rpush list:big "list-element-number-$i"
    }
    $c rpush list:hugeelem [string repeat y 20000] small
    $c pexpire list:big 5000000
    $c hset hash:small f1 v1 f2 2
    $c hset hash:longval f [string repeat z 100]
    for {set i 0} {$i < 600} {incr i} {
        $c hset hash:big "field$i" "value$i"
    }
    for {set i 0} {$i < 200} {incr i} {
        $c sadd set:big "member$i"
        $c zadd zset:big $i "m$i"
    }
    $c sadd set:int 1 2 3 -5
    $c sadd set:lp a b c
    for {set i 0} {$i < 600} {incr i} {
        $c sadd set:bigint $i
    }
    $c zadd zset:small 1 a 2.5 b -inf c
    $c zadd zset:long 1 [string repeat q 100]
    $c select 9
    $c set db9:key x
    $c select 0
}

# type, encoding, content and "has a TTL" of every key in db 0, plus db 9's.
proc persist_key_digest {c key {list_encoding 1}} {
    set type [$c type $key]
    switch $type {
        string {set v [$c get $key]}
        list {set v [$c lrange $key 0 -1]}
        hash {set v [lsort [$c hgetall $key]]}
        set {set v [lsort [$c smembers $key]]}
        zset {set v [$c zrange $key 0 -1 withscores]}
        default {set v ?}
    }
    set enc [$c object encoding $key]
    # Redis 7.0 has no listpack lists or sets (7.2 and Valkey have): those
    # encodings are not compared with it (the callers check keel's).
    if {($type eq "list" || ($type eq "set" && $enc ne "intset")) && !$list_encoding} {set enc any}
    return [list $type $enc [string length $v] $v [expr {[$c ttl $key] > 0}]]
}

proc persist_digest {c {list_encoding 1}} {
    set d {}
    foreach key [lsort [$c keys *]] {
        lappend d $key [persist_key_digest $c $key $list_encoding]
    }
    $c select 9
    lappend d db9 [$c keys *]
    $c select 0
    return $d
}

# First line of a digest that differs, for readable failures.
proc persist_diff {a b} {
    foreach {k v} $a {
        if {![dict exists $b $k]} {return "missing $k"}
        if {[dict get $b $k] ne $v} {return "$k: [string range $v 0 200] vs [string range [dict get $b $k] 0 200]"}
    }
    if {[llength $a] != [llength $b]} {return "different key count"}
    return ""
}

proc persist_wait_bgsave {} {
    wait_for_condition 100 50 {
        [info_field [r info persistence] rdb_bgsave_in_progress] == 0
    } else {
        fail "BGSAVE did not finish"
    }
}

# ---- round trips ----

set dir [persist_dir roundtrip]
start_server [list tags {persist} overrides [list dir $dir save {""}]] {
    test "SAVE writes the file and replies OK" {
        persist_fill r
        set ::persist_expected [persist_digest r]
        assert_equal OK [r save]
        assert [file exists [file join $dir dump.rdb]]
        assert ![llength [glob -nocomplain -directory $dir temp-*.rdb]]
    }
}
start_server [list tags {persist} overrides [list dir $dir save {""}]] {
    test "A restart loads every type and encoding with expires" {
        assert_equal {} [persist_diff $::persist_expected [persist_digest r]]
        assert_range [r ttl str:ttl] 990 1000
        assert_range [r pttl list:big] 4990000 5000000
        assert_equal -1 [r ttl str:small]
    }

    test "The start-up log says the DB was loaded" {
        skip_unless {[persist_is_keel]} "keel's log lines"
        assert_equal 1 [count_log_lines "*DB loaded from disk: *seconds*"]
        assert_equal 1 [count_log_lines "*Done loading RDB, keys loaded: 20, keys expired: 0.*"]
    }
}

start_server [list tags {persist} overrides [list dir [persist_dir reload] enable-debug-command yes]] {
    test "DEBUG RELOAD keeps every type and encoding" {
        persist_fill r
        set before [persist_digest r]
        assert_equal OK [r debug reload]
        assert_equal {} [persist_diff $before [persist_digest r]]
    }

    test "rdbcompression no writes strings as they are" {
        set file [file join [lindex [r config get dir] 1] dump.rdb]
        r save
        set compressed [file size $file]
        r config set rdbcompression no
        r save
        assert_morethan [file size $file] $compressed
        r config set rdbcompression yes
    }

    test "DEBUG RELOAD with rdbcompression no and a compressed list" {
        r config set rdbcompression no
        r config set list-compress-depth 1
        for {set i 0} {$i < 2000} {incr i} {
            r rpush list:compressed "compressible-[string repeat a 30]-$i"
        }
        r config set list-compress-depth 0
        set before [persist_digest r]
        assert_equal OK [r debug reload]
        assert_equal {} [persist_diff $before [persist_digest r]]
        r config set rdbcompression yes
    }

    test "DEBUG RELOAD keeps idle times under LRU and counters under LFU" {
        r flushall
        r config set maxmemory-policy allkeys-lru
        r set k v
        r restore idle 0 [r dump k] idletime 500
        assert_equal OK [r debug reload]
        assert_range [r object idletime idle] 500 510
        r config set maxmemory-policy allkeys-lfu
        r restore freq 0 [r dump k] freq 77
        assert_equal OK [r debug reload]
        assert_equal 77 [r object freq freq]
        r config set maxmemory-policy noeviction
    }

    test "DEBUG RELOAD keeps hash field expire times (Valkey 9's HASH_2)" {
        skip_unless {[lindex [r command info hexpire] 0] ne ""} "no hash field expiry (Valkey 9)"
        r flushall
        r hset hf a 1 b 2 c 3
        r hexpire hf 1000 FIELDS 1 a
        r hpexpire hf 100 FIELDS 1 b
        after 200
        assert_equal OK [r debug reload]
        assert_equal {a c} [lsort [r hkeys hf]]
        assert_range [lindex [r httl hf FIELDS 1 a] 0] 990 1000
        assert_equal -1 [lindex [r httl hf FIELDS 1 c] 0]
        r hpexpire hf 100 FIELDS 1 c
        assert_equal OK [r debug reload]
        after 300
        assert_equal {a} [r hkeys hf]
    }

    test "DEBUG RELOAD NOSAVE, NOFLUSH and MERGE" {
        skip_unless {[persist_is_keel]} "redis-server 7.0 kills itself on a NOFLUSH conflict"
        r flushall
        r set a file
        r save
        r set a memory
        r set b only-memory
        assert_equal OK [r debug reload nosave]
        assert_equal file [r get a]
        assert_equal 0 [r exists b]
        r set a memory
        r set b only-memory
        assert_equal OK [r debug reload nosave noflush merge]
        assert_equal file [r get a]
        assert_equal only-memory [r get b]
        r set a memory
        assert_error "*Error trying to load the RDB dump*" {r debug reload nosave noflush}
        assert_error "*DEBUG RELOAD only supports the MERGE, NOFLUSH and NOSAVE options.*" \
            {r debug reload foo}
        r flushall
    }

    test "Keys already expired are not loaded" {
        r flushall
        r set gone x px 100
        r set stays y
        r save
        after 200
        assert_equal OK [r debug reload]
        assert_equal 0 [r exists gone]
        assert_equal y [r get stays]
    }
}

# ---- BGSAVE, LASTSAVE, INFO ----

start_server [list tags {persist} overrides [list dir [persist_dir bgsave] save {""} enable-debug-command yes]] {
    test "BGSAVE starts a child that saves, and INFO persistence follows it" {
        r set a 1
        r set b 2
        assert_equal 2 [info_field [r info persistence] rdb_changes_since_last_save]
        assert_equal {Background saving started} [r bgsave]
        persist_wait_bgsave
        set info [r info persistence]
        assert_equal ok [info_field $info rdb_last_bgsave_status]
        assert_equal 0 [info_field $info rdb_changes_since_last_save]
        assert_equal 0 [info_field $info aof_enabled]
        assert_equal 0 [info_field $info loading]
        assert [file exists [file join [lindex [r config get dir] 1] dump.rdb]]
        if {[persist_is_keel]} {
            wait_for_log_line "*Background saving terminated with success*"
            assert_equal 1 [count_log_lines "*Background saving started by pid*"]
        }
    }

    test "BGSAVE SCHEDULE starts at once when nothing else runs; junk is a syntax error" {
        assert_equal {Background saving started} [r bgsave schedule]
        persist_wait_bgsave
        assert_error "ERR syntax error*" {r bgsave now}
        assert_error "ERR syntax error*" {r bgsave schedule x}
    }

    test "A second BGSAVE or a SAVE while one runs is refused" {
        r debug populate 300000 key 100
        assert_equal {Background saving started} [r bgsave]
        assert_error "ERR Background save already in progress" {r bgsave}
        assert_error "ERR Background save already in progress" {r save}
        assert_equal 1 [info_field [r info persistence] rdb_bgsave_in_progress]
        persist_wait_bgsave
        r flushall
    }

    test "LASTSAVE is the time of the last successful save" {
        set before [r lastsave]
        assert_range $before [expr {[clock seconds] - 60}] [clock seconds]
        after 1100
        r save
        assert_morethan [r lastsave] $before
        assert_error "ERR wrong number of arguments*" {r lastsave x}
        assert_error "ERR wrong number of arguments*" {r save x}
    }

    test "INFO persistence counts writes and rdb_saves" {
        set saves [info_field [r info persistence] rdb_saves]
        r set x 1
        r incr x
        r del x
        assert_equal 3 [info_field [r info persistence] rdb_changes_since_last_save]
        r save
        set info [r info persistence]
        assert_equal 0 [info_field $info rdb_changes_since_last_save]
        assert_equal [expr {$saves + 1}] [info_field $info rdb_saves]
        assert_match "*# Persistence*" [r info]
    }
}

start_server [list tags {persist} overrides [list dir [persist_dir savepoints] save {""} enable-protected-configs yes]] {
    test "The save option parses, shows and refuses like Valkey" {
        r config set save "900 1 300 10"
        assert_equal {save {900 1 300 10}} [r config get save]
        r config set save ""
        assert_equal {save {}} [r config get save]
        assert_error "*Invalid save parameters*" {r config set save "100"}
        assert_error "*Invalid save parameters*" {r config set save "a b"}
        assert_equal {dbfilename dump.rdb} [r config get dbfilename]
        assert_error "*dbfilename can't be a path, just a filename*" {r config set dbfilename a/b.rdb}
        assert_equal {rdbcompression yes} [r config get rdbcompression]
        assert_equal {rdbchecksum yes} [r config get rdbchecksum]
        assert_equal {sanitize-dump-payload no} [r config get sanitize-dump-payload]
    }

    test "A save point triggers a background save" {
        r config set save "1 2"
        r set k1 v
        r set k2 v
        wait_for_condition 100 50 {
            [info_field [r info persistence] rdb_changes_since_last_save] == 0
        } else {
            fail "the save point never saved"
        }
        if {[persist_is_keel]} {
            wait_for_log_line "*2 changes in 1 seconds. Saving...*"
        }
        r config set save ""
    }
}

start_server [list tags {persist} config_lines {"save 900 1" "save 300 10"}] {
    test "save lines in the config file add up" {
        assert_equal {save {900 1 300 10}} [r config get save]
        r config set save "60 5"
        assert_equal {save {60 5}} [r config get save]
        r config set save ""
    }
}

set dir [persist_dir flushall]
start_server [list tags {persist} overrides [list dir $dir save {""}]] {
    test "FLUSHDB and FLUSHALL count the keys they remove as changes" {
        r flushall
        set base [info_field [r info persistence] rdb_changes_since_last_save]
        r mset f:a 1 f:b 2 f:c 3
        r select 9
        r set f:d 4
        r select 0
        r flushdb
        assert_equal [expr {$base + 4 + 3}] [info_field [r info persistence] rdb_changes_since_last_save]
        r flushall
        assert_equal [expr {$base + 4 + 3 + 1}] [info_field [r info persistence] rdb_changes_since_last_save]
        assert ![file exists [file join $dir dump.rdb]]
    }

    test "FLUSHALL with save points saves the empty dataset at once" {
        r config set save "3600 1"
        r set f:a 1
        r save
        r set f:b 2
        assert_equal 1 [info_field [r info persistence] rdb_changes_since_last_save]
        file delete [file join $dir dump.rdb]
        r flushall
        assert_equal 0 [info_field [r info persistence] rdb_changes_since_last_save]
        assert [file exists [file join $dir dump.rdb]]
        r config set save ""
    }
}
start_server [list tags {persist} overrides [list dir $dir save {""}]] {
    test "... and a restart finds it empty" {
        assert_equal 0 [r dbsize]
    }
}

start_server [list tags {persist} overrides [list save {""} enable-protected-configs yes]] {
    test "A save that cannot write fails: SAVE replies -ERR, BGSAVE records err" {
        set gone [persist_dir vanished]
        r config set dir $gone
        file delete -force $gone
        r set k v
        assert_error "ERR*" {r save}
        assert_equal {Background saving started} [r bgsave]
        persist_wait_bgsave
        wait_for_condition 50 50 {
            [info_field [r info persistence] rdb_last_bgsave_status] eq "err"
        } else {
            fail "BGSAVE did not report its failure"
        }
        assert_equal 1 [info_field [r info persistence] rdb_changes_since_last_save]
        if {[persist_is_keel]} {
            wait_for_log_line "*Background saving error*"
            assert_morethan [count_log_lines "*Failed opening the temp RDB file*"] 0
        }
        file mkdir $gone
        r config set dir $gone
        assert_equal OK [r save]
        assert_equal ok [info_field [r info persistence] rdb_last_bgsave_status]
    }
}

# ---- SHUTDOWN ----

set dir [persist_dir shutdown]
start_server [list tags {persist} overrides [list dir $dir save {"3600 1"}]] {
    test "SHUTDOWN saves when save points exist" {
        r set saved-by-shutdown yes
        catch {r shutdown}
        assert_equal 0 [wait_for_server_exit]
        assert [file exists [file join $dir dump.rdb]]
        if {[persist_is_keel]} {
            assert_equal 1 [count_log_lines "*Saving the final RDB snapshot before exiting.*"]
        }
    }
}
start_server [list tags {persist} overrides [list dir $dir save {"3600 1"}]] {
    test "The file SHUTDOWN saved is loaded; SHUTDOWN NOSAVE does not save" {
        assert_equal yes [r get saved-by-shutdown]
        r set lost-by-nosave yes
        catch {r shutdown nosave}
        assert_equal 0 [wait_for_server_exit]
    }
}
start_server [list tags {persist} overrides [list dir $dir save {""}]] {
    test "SHUTDOWN SAVE saves even without save points" {
        assert_equal 0 [r exists lost-by-nosave]
        r set saved-by-shutdown-save yes
        catch {r shutdown save}
        assert_equal 0 [wait_for_server_exit]
    }
}
start_server [list tags {persist} overrides [list dir $dir save {""}]] {
    test "The SHUTDOWN SAVE file is loaded" {
        assert_equal yes [r get saved-by-shutdown-save]
    }
}

# ---- damaged files ----

set dir [persist_dir damaged]
start_server [list tags {persist} overrides [list dir $dir save {""}]] {
    r set a 1
    r rpush l x y z
    r save
}
proc persist_write_damaged {dir name bytes} {
    set fd [open [file join $dir $name] wb]
    puts -nonewline $fd $bytes
    close $fd
}
set fd [open [file join $dir dump.rdb] rb]
set good [read $fd]
close $fd

test "A truncated RDB file stops start-up naming the file and offset" {
    skip_unless {[persist_is_keel]} "keel's log lines"
    persist_write_damaged $dir cut.rdb [string range $good 0 end-12]
    lassign [start_server_and_fail [list overrides [list dir $dir dbfilename cut.rdb]]] code out
    assert_equal 1 $code
    assert_match "*Failed loading the RDB file 'cut.rdb' at offset *: unexpected end of data*" $out
}

test "An RDB file with a wrong checksum stops start-up" {
    skip_unless {[persist_is_keel]} "keel's log lines"
    set bad [string replace $good end end [format %c [expr {([scan [string index $good end] %c] + 1) % 256}]]]
    persist_write_damaged $dir crc.rdb $bad
    lassign [start_server_and_fail [list overrides [list dir $dir dbfilename crc.rdb]]] code out
    assert_equal 1 $code
    assert_match "*Failed loading the RDB file 'crc.rdb' at offset *wrong RDB checksum*" $out
}

test "A file that is not an RDB stops start-up" {
    skip_unless {[persist_is_keel]} "keel's log lines"
    persist_write_damaged $dir junk.rdb "hello world, not an rdb file"
    lassign [start_server_and_fail [list overrides [list dir $dir dbfilename junk.rdb]]] code out
    assert_equal 1 $code
    assert_match "*Failed loading the RDB file 'junk.rdb' at offset 0: wrong signature*" $out
}

test "keel-check-rdb accepts a good file and reports where a bad one breaks" {
    set checker [file join [file dirname $::keel::server::binary] keel-check-rdb]
    skip_unless {[file executable $checker]} "no keel-check-rdb next to the server"
    set out [exec $checker [file join $dir dump.rdb]]
    assert_match "*2 keys read*Checksum OK*RDB looks OK!*" $out
    persist_write_damaged $dir cut2.rdb [string range $good 0 end-12]
    assert_equal 1 [catch {exec $checker [file join $dir cut2.rdb]} out]
    assert_match "*RDB ERROR DETECTED*at offset*unexpected end of data*" $out
    assert_equal 1 [catch {exec $checker [file join $dir no-such.rdb]} out]
    assert_equal 1 [catch {exec $checker} out]
}

# ---- an old-format file built by hand ----

proc persist_crc64 {data} {
    set crc 0
    binary scan $data cu* bytes
    foreach b $bytes {
        set crc [expr {$crc ^ $b}]
        for {set k 0} {$k < 8} {incr k} {
            set crc [expr {($crc & 1) ? (($crc >> 1) ^ 0x95ac9329ac4bc9b5) : ($crc >> 1)}]
        }
    }
    return $crc
}

set dir [persist_dir oldformat]
# Version 6: EXPIRETIME in seconds, a ziplist list, a zipmap hash, db 2.
set expire_at [expr {[clock seconds] + 1000}]
set zl "[binary format iis 16 13 2]\x00\x01a\x03\xf4\xff"
set zm "\x01\x01f\x01\x00v\xff"
set image "REDIS0006\xfe\x00\xfd[binary format i $expire_at]\x00\x03old\x05value"
append image "\x0a\x04list[binary format c [string length $zl]]$zl"
append image "\x09\x04hash[binary format c [string length $zm]]$zm"
append image "\xfe\x02\x00\x03db2\x01x\xff"
append image [binary format w [persist_crc64 $image]]
set fd [open [file join $dir old.rdb] wb]
puts -nonewline $fd $image
close $fd
start_server [list tags {persist} overrides [list dir $dir dbfilename old.rdb save {""}]] {
    test "An RDB version 6 file with ziplists, a zipmap and second expires loads" {
        assert_equal value [r get old]
        assert_range [r ttl old] 990 1000
        assert_equal {a 3} [r lrange list 0 -1]
        assert_equal v [r hget hash f]
        r select 2
        assert_equal x [r get db2]
        r select 0
    }
}

set image "VALKEY080\xfe\x00\x16\x02hf\x01\x01f\x01v[binary format w [expr {[clock milliseconds] + 100000}]]\xff"
append image [binary format w [persist_crc64 $image]]
set fd [open [file join $dir valkey9.rdb] wb]
puts -nonewline $fd $image
close $fd
test "A Valkey 9 file (VALKEY080, HASH_2) loads with its field expire times" {
    skip_unless {[persist_is_keel]} "redis-server 7.0 cannot read it"
    start_server [list tags {persist} overrides [list dir $dir dbfilename valkey9.rdb save {""}]] {
        assert_equal v [r hget hf f]
        assert_range [lindex [r httl hf FIELDS 1 f] 0] 90 100
    }
}

# ---- a file from redis-server 7.0 ----

set dir [persist_dir redis70]
test "An RDB file written by redis-server 7.0 loads with the same content" {
    skip_unless {[file executable $::persist_redis_bin]} "no $::persist_redis_bin"
    set port 38610
    exec $::persist_redis_bin --port $port --bind 127.0.0.1 --dir $dir --dbfilename redis70.rdb \
        --save "" --daemonize yes --logfile [file join $dir redis.log]
    set c ""
    wait_for_condition 50 100 {[catch {set c [keel_client 127.0.0.1 $port -tls 0]}] == 0} else {
        fail "redis-server did not start"
    }
    persist_fill $c
    $c config set list-compress-depth 1
    for {set i 0} {$i < 2000} {incr i} {
        $c rpush list:compressed "compressible-[string repeat a 30]-$i"
    }
    set ::persist_redis_digest [persist_digest $c 0]
    $c save
    catch {$c shutdown nosave}
    $c close
}
start_server [list tags {persist} overrides [list dir $dir dbfilename redis70.rdb save {""}]] {
    test "... and keel's view of it equals redis-server's" {
        skip_unless {[info exists ::persist_redis_digest]} "no redis-server 7.0 file"
        assert_equal {} [persist_diff $::persist_redis_digest [persist_digest r 0]]
        if {[persist_is_keel]} {
            assert_equal listpack [r object encoding list:small]
            assert_equal listpack [r object encoding set:lp]
        }
        assert_equal hashtable [r object encoding set:big]
        assert_equal quicklist [r object encoding list:compressed]
    }
}

# The shared folders of this file (servers' own folders are removed by the
# harness).
if {!$::keel::server::keep_tmp} {
    foreach d [glob -nocomplain -directory $::keel::server::tmp_root "persist-*.[pid]"] {
        file delete -force $d
    }
}

# stop-writes-on-bgsave-error: a background save that fails (its folder is
# gone) makes writes and PING answer -MISCONF until a save succeeds.
set dir [persist_dir misconf]
start_server [list tags {persist} overrides [list dir $dir save {"3600 1"} enable-protected-configs yes]] {
    test "A failed BGSAVE stops writes with MISCONF until a save works again" {
        r set before 1
        set gone [file join $dir gone]
        file mkdir $gone
        r config set dir $gone
        file delete -force $gone
        r bgsave
        wait_for_condition 100 50 {[info_field [r info persistence] rdb_last_bgsave_status] eq "err"} else {
            fail "the background save did not fail"
        }
        assert_error {MISCONF *} {r set k v}
        assert_error {MISCONF *} {r ping}
        assert_equal 1 [r get before] ;# reads still work
        r config set stop-writes-on-bgsave-error no
        assert_equal OK [r set k v]
        r config set stop-writes-on-bgsave-error yes
        assert_error {MISCONF *} {r set k v2}
        r config set dir $dir
        r bgsave
        persist_wait_bgsave
        assert_equal ok [info_field [r info persistence] rdb_last_bgsave_status]
        assert_equal OK [r set k v3]
    }
}

# ---- a crash during BGSAVE ----

# Starts a server outside the harness (so it can be killed with -9) and
# returns {pid client}.
proc persist_start_crashable {dir port args} {
    set pid [exec $::keel::server::binary --port $port --bind 127.0.0.1 --dir $dir \
        --enable-debug-command yes --logfile [file join $dir log] {*}$args >/dev/null 2>/dev/null &]
    set c ""
    wait_for_condition 100 50 {[catch {set c [keel_client 127.0.0.1 $port -tls 0]}] == 0} else {
        catch {exec kill -9 $pid}
        fail "the server did not start"
    }
    return [list $pid $c]
}

# kill -9 of the server and of its children (a BGSAVE child dies with it,
# as in a power cut).
proc persist_crash {pid} {
    catch {exec pkill -9 -P $pid}
    catch {exec kill -9 $pid}
}

test "kill -9 during BGSAVE leaves the last complete dump.rdb, never a half file" {
    set dir [persist_dir crash-bgsave]
    set port [find_free_port]
    lassign [persist_start_crashable $dir $port --save ""] pid c
    try {
        $c debug populate 1000 first 16
        $c save
        $c debug populate 300000 second 64
        $c bgsave
        wait_for_condition 100 10 {[info_field [$c info persistence] rdb_bgsave_in_progress] == 1} else {
            fail "BGSAVE did not start"
        }
    } finally {
        persist_crash $pid
        catch {$c close}
    }
    start_server [list tags {persist} overrides [list dir $dir save {""}]] {
        # The snapshot of SAVE, or (if the child won the race) the whole
        # BGSAVE one: nothing in between.
        assert [expr {[r dbsize] == 1000 || [r dbsize] == 301000}]
    }
}

test "kill -9 during BGSAVE with appendfsync always loses no acknowledged write" {
    set dir [persist_dir crash-bgsave-aof]
    set port [find_free_port]
    lassign [persist_start_crashable $dir $port --save "" --appendonly yes --appendfsync always] pid c
    set acked {}
    try {
        $c debug populate 200000 pop 32
        $c bgsave
        for {set i 0} {$i < 300} {incr i} {
            if {[$c set acked:$i $i] eq "OK"} {lappend acked $i}
        }
    } finally {
        persist_crash $pid
        catch {$c close}
    }
    start_server [list tags {persist} overrides [list dir $dir appendonly yes save {""}]] {
        assert_equal 300 [llength $acked]
        foreach i $acked {
            assert_equal $i [r get acked:$i]
        }
        # DEBUG POPULATE (which only made the BGSAVE long) is not logged in
        # the AOF, as in Valkey: the acknowledged writes are all there is.
        assert_equal 300 [r dbsize]
    }
}
