# tests/unit/persist/aof.tcl: the multi-part append-only file: its options,
# the files and manifest it writes, restarts that find every type and
# expire time, BGREWRITEAOF (RDB and command bases), turning it on at run
# time, DEBUG LOADAOF, INFO fields, truncated and damaged files at start-up,
# an old single-file AOF upgraded, keel-check-aof, a crash during a rewrite
# and write errors.
#
# Servers of one test group share a folder (the `dir` override), so what one
# writes the next loads. Tests about keel's own log lines and tools skip
# themselves against redis-server 7.0, which otherwise behaves the same.

proc aof_is_keel {} {
    return [expr {![string match *redis-server* [file tail $::keel::server::binary]]}]
}

set ::aof_dirs {}
proc aof_dir {name} {
    set dir [file join $::keel::server::tmp_root "aof-$name.[pid]"]
    file delete -force $dir
    file mkdir $dir
    lappend ::aof_dirs $dir
    return $dir
}

proc aof_path {dir name} {
    return [file join $dir appendonlydir $name]
}

proc aof_read {path} {
    set fd [open $path rb]
    set data [read $fd]
    close $fd
    return $data
}

proc aof_write {path bytes {mode wb}} {
    set fd [open $path $mode]
    puts -nonewline $fd $bytes
    close $fd
}

proc aof_manifest {dir} {
    return [aof_read [aof_path $dir appendonly.aof.manifest]]
}

proc aof_files {dir} {
    return [lsort [lmap f [glob -nocomplain -directory [file join $dir appendonlydir] *] {
        file tail $f
    }]]
}

proc aof_resp {args} {
    set out "*[llength $args]\r\n"
    foreach a $args {
        append out "\$[string length $a]\r\n$a\r\n"
    }
    return $out
}

proc aof_wait_rewrite {} {
    wait_for_condition 200 50 {
        [info_field [r info persistence] aof_rewrite_in_progress] == 0 &&
        [info_field [r info persistence] aof_rewrite_scheduled] == 0
    } else {
        fail "the AOF rewrite did not finish"
    }
}

proc aof_checker {} {
    return [file join [file dirname $::keel::server::binary] keel-check-aof]
}

# Every type, an expire time set three ways, two databases.
proc aof_fill {c} {
    $c set str hello
    $c set counter 10
    $c incrby counter 5
    $c rpush list a b c
    $c lpush list z
    $c hset hash f1 v1 f2 v2
    $c sadd set x y z
    $c srem set y
    $c zadd zset 1.5 one 2 two
    $c zincrby zset 1 one
    $c set ttl1 v ex 1000
    $c set ttl2 v
    $c expire ttl2 2000
    $c set ttl3 v
    $c pexpireat ttl3 [expr {[clock milliseconds] + 3000000}]
    $c set gone v
    $c del gone
    $c select 5
    $c set db5 five
    $c select 0
}

proc aof_check_fill {c} {
    assert_equal hello [$c get str]
    assert_equal 15 [$c get counter]
    assert_equal {z a b c} [$c lrange list 0 -1]
    assert_equal {f1 f2 v1 v2} [lsort [$c hgetall hash]]
    assert_equal {x z} [lsort [$c smembers set]]
    assert_equal {two 2 one 2.5} [$c zrange zset 0 -1 withscores]
    assert_range [$c ttl ttl1] 900 1000
    assert_range [$c ttl ttl2] 1900 2000
    assert_range [$c ttl ttl3] 2900 3000
    assert_equal 0 [$c exists gone]
    $c select 5
    assert_equal five [$c get db5]
    $c select 0
}

# ---- options ----

start_server {tags {aof}} {
    test "AOF options have Valkey's defaults" {
        foreach {name value} {
            appendonly no appendfilename appendonly.aof appenddirname appendonlydir
            appendfsync everysec aof-use-rdb-preamble yes auto-aof-rewrite-percentage 100
            auto-aof-rewrite-min-size 67108864 aof-load-truncated yes
            aof-timestamp-enabled no no-appendfsync-on-rewrite no
            aof-rewrite-incremental-fsync yes
        } {
            assert_equal [list $name $value] [r config get $name] $name
        }
    }

    test "AOF options take good values and refuse bad ones" {
        foreach v {always no everysec} {
            r config set appendfsync $v
            assert_equal $v [lindex [r config get appendfsync] 1]
        }
        assert_error "*argument(s) must be one of the following: everysec, always, no*" {
            r config set appendfsync sometimes
        }
        foreach name {aof-use-rdb-preamble aof-load-truncated aof-timestamp-enabled
                      no-appendfsync-on-rewrite aof-rewrite-incremental-fsync} {
            set old [lindex [r config get $name] 1]
            r config set $name [expr {$old eq "yes" ? "no" : "yes"}]
            assert_equal [expr {$old eq "yes" ? "no" : "yes"}] [lindex [r config get $name] 1]
            r config set $name $old
            assert_error "*argument must be 'yes' or 'no'*" {r config set $name maybe}
        }
        r config set auto-aof-rewrite-percentage 50
        assert_equal 50 [lindex [r config get auto-aof-rewrite-percentage] 1]
        assert_error "*argument must be between 0 and 2147483647 inclusive*" {
            r config set auto-aof-rewrite-percentage -1
        }
        r config set auto-aof-rewrite-min-size 1mb
        assert_equal 1048576 [lindex [r config get auto-aof-rewrite-min-size] 1]
        assert_error "*argument must be a memory value*" {
            r config set auto-aof-rewrite-min-size lots
        }
        assert_error "*can't set immutable config*" {r config set appendfilename other.aof}
        assert_error "*can't set immutable config*" {r config set appenddirname otherdir}
        assert_error "*argument must be 'yes' or 'no'*" {r config set appendonly maybe}
        r config set auto-aof-rewrite-percentage 100
        r config set auto-aof-rewrite-min-size 64mb
    }

    test "INFO shows the AOF off" {
        set info [r info persistence]
        assert_equal 0 [info_field $info aof_enabled]
        assert_equal ok [info_field $info aof_last_write_status]
        assert_equal ok [info_field $info aof_last_bgrewrite_status]
        assert_equal "" [info_field $info aof_current_size]
    }
}

test "appendfilename and appenddirname must be plain names" {
    lassign [start_server_and_fail {overrides {appendfilename dir/x.aof}}] code out err
    assert_equal 1 $code
    assert_match "*appendfilename can't be a path, just a filename*" "$out$err"
    lassign [start_server_and_fail {overrides {appenddirname a/b}}] code out err
    assert_equal 1 $code
    assert_match "*appenddirname can't be a path, just a dirname*" "$out$err"
}

# ---- files, restart ----

set dir [aof_dir basic]
start_server [list tags {aof} overrides [list dir $dir appendonly yes]] {
    test "Start-up with appendonly yes creates a base, an incr file and the manifest" {
        assert_equal {appendonly.aof.1.base.rdb appendonly.aof.1.incr.aof appendonly.aof.manifest} \
            [aof_files $dir]
        assert_equal "file appendonly.aof.1.base.rdb seq 1 type b\nfile appendonly.aof.1.incr.aof seq 1 type i\n" \
            [aof_manifest $dir]
        assert_equal REDIS [string range [aof_read [aof_path $dir appendonly.aof.1.base.rdb]] 0 4]
        set info [r info persistence]
        assert_equal 1 [info_field $info aof_enabled]
        foreach f {aof_current_size aof_base_size aof_pending_rewrite aof_buffer_length
                   aof_pending_bio_fsync aof_delayed_fsync} {
            assert {[info_field $info $f] ne ""} $f
        }
    }

    test "Writes reach the incr file as RESP with SELECT" {
        # everysec may hold a write back while a background fsync runs.
        set path [aof_path $dir appendonly.aof.1.incr.aof]
        r set foo bar
        wait_for_condition 100 50 {[file size $path] > 0} else {fail "nothing written"}
        assert_equal "[aof_resp SELECT 0][aof_resp set foo bar]" [aof_read $path]
        r select 3
        r set k v
        r select 0
        set expected "[aof_resp SELECT 0][aof_resp set foo bar][aof_resp SELECT 3][aof_resp set k v]"
        wait_for_condition 100 50 {[aof_read $path] eq $expected} else {
            fail "got [aof_read $path]"
        }
        assert_morethan [info_field [r info persistence] aof_current_size] 0
        r flushall
        aof_fill r
        aof_check_fill r
    }
}
start_server [list tags {aof} overrides [list dir $dir appendonly yes]] {
    test "A restart replays the AOF: every type, expire times, databases" {
        aof_check_fill r
        assert_equal {appendonly.aof.1.base.rdb appendonly.aof.1.incr.aof appendonly.aof.manifest} \
            [aof_files $dir]
    }

    test "The RDB file is not loaded with appendonly yes; SHUTDOWN writes none" {
        assert ![file exists [file join $dir dump.rdb]]
    }
}
start_server [list tags {aof} overrides [list dir $dir appendonly yes enable-debug-command yes]] {
    test "DEBUG LOADAOF reloads the data from the AOF" {
        r set after-restart yes
        assert_equal OK [r debug loadaof]
        aof_check_fill r
        assert_equal yes [r get after-restart]
    }

    test "BGREWRITEAOF writes a new base and drops the old files" {
        assert_equal "Background append only file rewriting started" [r bgrewriteaof]
        aof_wait_rewrite
        assert_equal {appendonly.aof.2.base.rdb appendonly.aof.2.incr.aof appendonly.aof.manifest} \
            [aof_files $dir]
        assert_equal "file appendonly.aof.2.base.rdb seq 2 type b\nfile appendonly.aof.2.incr.aof seq 2 type i\n" \
            [aof_manifest $dir]
        set info [r info persistence]
        assert_equal ok [info_field $info aof_last_bgrewrite_status]
        assert_equal 1 [info_field $info aof_rewrites]
        assert_equal 0 [file size [aof_path $dir appendonly.aof.2.incr.aof]]
        r set after-rewrite 1
        aof_check_fill r
    }

    test "With aof-use-rdb-preamble no the base is commands" {
        r config set aof-use-rdb-preamble no
        r bgrewriteaof
        aof_wait_rewrite
        assert_equal {appendonly.aof.3.base.aof appendonly.aof.3.incr.aof appendonly.aof.manifest} \
            [aof_files $dir]
        set base [aof_read [aof_path $dir appendonly.aof.3.base.aof]]
        assert_match "[aof_resp SELECT 0]*" $base
        r config set aof-use-rdb-preamble yes
    }
}
start_server [list tags {aof} overrides [list dir $dir appendonly yes]] {
    test "A command base and its incr file load after a restart" {
        aof_check_fill r
        assert_equal 1 [r get after-rewrite]
        assert_equal yes [r get after-restart]
    }

    test "SHUTDOWN with appendonly yes and no save points writes no RDB" {
        catch {r shutdown}
        assert_equal 0 [wait_for_server_exit]
        assert ![file exists [file join $dir dump.rdb]]
    }
}

set dir [aof_dir cmdbase]
start_server [list tags {aof} overrides [list dir $dir appendonly yes aof-use-rdb-preamble no]] {
    test "A command base keeps big collections, integers, scores and field expiries" {
        for {set i 0} {$i < 300} {incr i} {
            r rpush biglist $i "e$i"
            r sadd bigset $i
            r sadd bigsetstr "m$i"
            r zadd bigzset [expr {$i * 0.5}] "z$i"
            r hset bighash "f$i" $i
        }
        r zadd bigzset -inf minus +inf plus
        r pexpire biglist 5000000
        set has_hfe [expr {[lindex [r command info hpexpireat] 0] ne ""}]
        if {$has_hfe} {r hpexpire bighash 5000000 FIELDS 1 f7}
        set ::aof_cmdbase_digest [list [r lrange biglist 0 -1] [lsort [r smembers bigset]] \
            [lsort [r smembers bigsetstr]] [r zrange bigzset 0 -1 withscores] \
            [lsort [r hgetall bighash]]]
        r bgrewriteaof
        aof_wait_rewrite
        assert_equal {appendonly.aof.2.base.aof appendonly.aof.2.incr.aof appendonly.aof.manifest} \
            [aof_files $dir]
        set base [aof_read [aof_path $dir appendonly.aof.2.base.aof]]
        assert_match "*RPUSH*PEXPIREAT*" $base
        if {$has_hfe} {assert_match "*HPEXPIREAT*" $base}
    }
}
start_server [list tags {aof} overrides [list dir $dir appendonly yes]] {
    test "The command base loads back the same" {
        assert_equal $::aof_cmdbase_digest [list [r lrange biglist 0 -1] \
            [lsort [r smembers bigset]] [lsort [r smembers bigsetstr]] \
            [r zrange bigzset 0 -1 withscores] [lsort [r hgetall bighash]]]
        assert_range [r pttl biglist] 4900000 5000000
        if {[lindex [r command info hpexpireat] 0] ne ""} {
            assert_range [lindex [r hpttl bighash FIELDS 1 f7] 0] 4900000 5000000
            assert_equal -1 [lindex [r hpttl bighash FIELDS 1 f8] 0]
        }
    }
}

set dir [aof_dir rdbignored]
start_server [list tags {aof} overrides [list dir $dir]] {
    r set in-rdb 1
    r save
}
start_server [list tags {aof} overrides [list dir $dir appendonly yes]] {
    test "With appendonly yes and no AOF yet, the RDB file is not loaded" {
        assert_equal 0 [r dbsize]
        assert [file exists [aof_path $dir appendonly.aof.1.base.rdb]]
    }
}

# ---- turning it on at run time ----

set dir [aof_dir runtime]
start_server [list tags {aof} overrides [list dir $dir enable-debug-command yes]] {
    test "CONFIG SET appendonly yes starts a rewrite that creates the base" {
        r set before-aof 1
        r rpush l a b
        assert_equal OK [r config set appendonly yes]
        aof_wait_rewrite
        assert_equal 1 [info_field [r info persistence] aof_enabled]
        assert_equal {appendonly.aof.1.base.rdb appendonly.aof.1.incr.aof appendonly.aof.manifest} \
            [aof_files $dir]
        r set after-aof 2
    }

    test "BGREWRITEAOF while one runs is refused; BGSAVE is refused or scheduled" {
        r debug populate 200000 pop 64
        assert_equal "Background append only file rewriting started" [r bgrewriteaof]
        if {[info_field [r info persistence] aof_rewrite_in_progress]} {
            assert_error "*Background append only file rewriting already in progress*" {
                r bgrewriteaof
            }
            catch {r bgsave} reply
            if {[info_field [r info persistence] aof_rewrite_in_progress]} {
                assert_match "*Another child process is active (AOF?)*" $reply
            }
        }
        aof_wait_rewrite
        r flushdb
        r set before-aof 1
        r rpush l a b
        r set after-aof 2
    }
}
start_server [list tags {aof} overrides [list dir $dir appendonly yes]] {
    test "The AOF turned on at run time holds data from before and after" {
        assert_equal 1 [r get before-aof]
        assert_equal {a b} [r lrange l 0 -1]
        assert_equal 2 [r get after-aof]
    }

    test "CONFIG SET appendonly no stops writing the AOF" {
        r config set appendonly no
        set size [file size [aof_path $dir [lindex [aof_files $dir] 1]]]
        r set not-logged 1
        after 100
        assert_equal $size [file size [aof_path $dir [lindex [aof_files $dir] 1]]]
        assert_equal 0 [info_field [r info persistence] aof_enabled]
    }
}

start_server [list tags {aof} overrides [list dir [aof_dir auto] appendonly yes enable-debug-command yes]] {
    test "COMMAND INFO BGREWRITEAOF" {
        assert_equal {bgrewriteaof 1 {admin noscript no_async_loading} 0 0 0 {@admin @slow @dangerous} {} {} {}} \
            [lindex [r command info bgrewriteaof] 0]
        assert_error "*wrong number of arguments for 'bgrewriteaof' command*" {r bgrewriteaof now}
    }

    test "BGREWRITEAOF while BGSAVE runs is scheduled and runs after it" {
        r debug populate 200000 pop 64
        assert_equal "Background saving started" [r bgsave]
        set reply [r bgrewriteaof]
        if {[info_field [r info persistence] rdb_bgsave_in_progress]} {
            assert_equal "Background append only file rewriting scheduled" $reply
            assert_equal 1 [info_field [r info persistence] aof_rewrite_scheduled]
        }
        aof_wait_rewrite
        wait_for_condition 100 50 {
            [info_field [r info persistence] rdb_bgsave_in_progress] == 0
        } else {
            fail "BGSAVE did not finish"
        }
        assert_equal 1 [info_field [r info persistence] aof_rewrites]
        r flushall
    }

    test "The AOF is rewritten automatically when it grows" {
        r bgrewriteaof
        aof_wait_rewrite
        r config set auto-aof-rewrite-min-size 1kb
        r config set auto-aof-rewrite-percentage 100
        set before [info_field [r info persistence] aof_rewrites]
        for {set i 0} {$i < 100} {incr i} {
            r set grow:$i [string repeat x 100]
        }
        wait_for_condition 100 50 {
            [info_field [r info persistence] aof_rewrites] > $before
        } else {
            fail "no automatic rewrite"
        }
        aof_wait_rewrite
        r config set auto-aof-rewrite-percentage 0
        assert_equal 100 [llength [r keys grow:*]]
    }

    test "appendfsync always writes every command before its reply" {
        r config set appendfsync always
        set files [aof_files [lindex [r config get dir] 1]]
        set incr [aof_path [lindex [r config get dir] 1] [lindex $files 1]]
        set size [file size $incr]
        r set always 1
        assert_morethan [file size $incr] $size
        r config set appendfsync everysec
    }
}

set dir [aof_dir blocked]
aof_write [file join $dir appendonlydir] "a file where the folder should be"
start_server [list tags {aof} overrides [list dir $dir]] {
    test "CONFIG SET appendonly yes fails when the folder can't be made; reads and writes go on" {
        r set k v
        assert_error "*Unable to turn on AOF. Check server logs.*" {r config set appendonly yes}
        assert_equal no [lindex [r config get appendonly] 1]
        set info [r info persistence]
        assert_equal 0 [info_field $info aof_enabled]
        assert_equal err [info_field $info aof_last_bgrewrite_status]
        assert_equal 1 [count_log_lines "*Can't open or create append-only dir appendonlydir: Not a directory*"]
        assert_equal v [r get k]
        assert_equal OK [r set k2 v2]
    }
}

# ---- timestamps and MULTI ----

set dir [aof_dir annotations]
start_server [list tags {aof} overrides [list dir $dir appendonly yes aof-timestamp-enabled yes]] {
    test "aof-timestamp-enabled writes #TS annotations that load back" {
        r set a 1
        r multi
        r set b 2
        r incr a
        r exec
        set incr [aof_read [aof_path $dir appendonly.aof.1.incr.aof]]
        assert_match "#TS:*\r\n*" $incr
    }
}
start_server [list tags {aof} overrides [list dir $dir appendonly yes]] {
    test "Annotations and transactions replay" {
        assert_equal 2 [r get a]
        assert_equal 2 [r get b]
    }
}

# ---- damaged files ----

# a and b in the incr file, or (rewrite 1) in the base of seq 2.
proc aof_make_base {dir {rewrite 0}} {
    start_server [list overrides [list dir $dir appendonly yes]] {
        r set a 1
        r set b 2
        if {$rewrite} {
            r bgrewriteaof
            aof_wait_rewrite
        }
    }
}

set dir [aof_dir truncated]
aof_make_base $dir
set incr [aof_path $dir appendonly.aof.1.incr.aof]
set good [aof_read $incr]

test "A truncated last command is cut away with aof-load-truncated yes" {
    aof_write $incr "$good[string range [aof_resp set c 3] 0 end-3]"
    start_server [list overrides [list dir $dir appendonly yes]] {
        assert_equal {1 2 {}} [r mget a b c]
        if {[aof_is_keel]} {
            assert_equal 1 [count_log_lines "*Truncating the AOF appendonly.aof.1.incr.aof at offset [string length $good]*"]
            assert_equal 1 [count_log_lines "*loaded anyway because aof-load-truncated is enabled*"]
        }
    }
    assert_equal [string length $good] [file size $incr]
}

test "An unfinished MULTI at the end is dropped whole" {
    aof_write $incr "$good[aof_resp MULTI][aof_resp set c 3]"
    start_server [list overrides [list dir $dir appendonly yes]] {
        assert_equal {1 2 {}} [r mget a b c]
    }
    assert_equal [string length $good] [file size $incr]
}

test "A truncated AOF refuses to start with aof-load-truncated no" {
    aof_write $incr "$good[string range [aof_resp set c 3] 0 end-3]"
    lassign [start_server_and_fail [list overrides [list dir $dir appendonly yes aof-load-truncated no]]] code out
    assert_equal 1 $code
    assert_match "*Unexpected end of file reading the append only file appendonly.aof.1.incr.aof*" $out
}

test "keel-check-aof reports the truncated file and --fix cuts it" {
    skip_unless {[file executable [aof_checker]]} "no keel-check-aof next to the server"
    set manifest [aof_path $dir appendonly.aof.manifest]
    assert_equal 1 [catch {exec [aof_checker] $manifest} out]
    assert_match "*AOF analyzed: filename=appendonly.aof.1.incr.aof*ok_up_to=[string length $good]*is not valid. Use the --fix option*" $out
    assert_equal 1 [catch {exec [aof_checker] --fix $manifest << n} out]
    assert_match "*This will shrink the AOF*Aborting...*" $out
    assert_equal 0 [catch {exec [aof_checker] --fix $manifest << y} out]
    assert_match "*Successfully truncated AOF appendonly.aof.1.incr.aof*All AOF files and manifest are valid*" $out
    assert_equal [string length $good] [file size $incr]
    set out [exec [aof_checker] $manifest]
    assert_match "*BASE AOF appendonly.aof.1.base.rdb is valid*INCR AOF appendonly.aof.1.incr.aof is valid*" $out
    set out [exec [aof_checker] $incr]
    assert_match "*AOF $incr is valid*" $out
    set out [exec [aof_checker] [aof_path $dir appendonly.aof.1.base.rdb]]
    assert_match "*is valid*" $out
    assert_equal 1 [catch {exec [aof_checker]} out]
    assert_equal 1 [catch {exec [aof_checker] [aof_path $dir nosuch.aof]} out]
}

test "Bytes that are not RESP refuse start-up naming the file" {
    aof_write $incr "${good}garbage\r\n"
    lassign [start_server_and_fail [list overrides [list dir $dir appendonly yes]]] code out
    assert_equal 1 $code
    assert_match "*Bad file format reading the append only file appendonly.aof.1.incr.aof*" $out
    if {[aof_is_keel]} {
        assert_match "*AOF appendonly.aof.1.incr.aof is damaged at offset [string length $good]*" $out
        assert_equal 1 [catch {exec [aof_checker] $incr} out]
        assert_match "*is damaged at offset [string length $good]*" $out
    }
}

test "An unknown command refuses start-up" {
    aof_write $incr "$good[aof_resp nosuchcommand x]"
    lassign [start_server_and_fail [list overrides [list dir $dir appendonly yes]]] code out
    assert_equal 1 $code
    assert_match "*Unknown command 'nosuchcommand' reading the append only file appendonly.aof.1.incr.aof*" $out
}

test "A damaged manifest refuses start-up" {
    aof_write $incr $good
    set manifest [aof_path $dir appendonly.aof.manifest]
    set saved [aof_read $manifest]
    aof_write $manifest "file appendonly.aof.1.base.rdb seq\n"
    lassign [start_server_and_fail [list overrides [list dir $dir appendonly yes]]] code out
    assert_equal 1 $code
    if {[aof_is_keel]} {
        assert_match "*Failed to load the AOF manifest*Invalid AOF manifest file format*" $out
    }
    aof_write $manifest $saved
}

test "An incr file the manifest names must exist; an empty one is fine" {
    set saved [aof_read $incr]
    file delete $incr
    lassign [start_server_and_fail [list overrides [list dir $dir appendonly yes]]] code out
    assert_equal 1 $code
    if {[aof_is_keel]} {
        assert_match "*The append log file appendonly.aof.1.incr.aof doesn't exist*" $out
    }
    aof_write $incr ""
    start_server [list overrides [list dir $dir appendonly yes]] {
        assert_equal {{} {}} [r mget a c]
        r set c 3
    }
    start_server [list overrides [list dir $dir appendonly yes]] {
        assert_equal 3 [r get c]
    }
}

# ---- an old single-file AOF ----

set dir [aof_dir upgrade]
aof_write [file join $dir appendonly.aof] "[aof_resp SELECT 0][aof_resp set old 1][aof_resp rpush ol a b]"
start_server [list tags {aof} overrides [list dir $dir appendonly yes]] {
    test "An old appendonly.aof is loaded and moved into appenddirname" {
        assert_equal 1 [r get old]
        assert_equal {a b} [r lrange ol 0 -1]
        assert ![file exists [file join $dir appendonly.aof]]
        assert [file exists [aof_path $dir appendonly.aof]]
        assert_match "file appendonly.aof seq 1 type b\n*file appendonly.aof.1.incr.aof seq 1 type i\n" \
            [aof_manifest $dir]
        r set new 2
    }
}
start_server [list tags {aof} overrides [list dir $dir appendonly yes]] {
    test "The upgraded AOF loads from its manifest" {
        assert_equal {1 2} [r mget old new]
    }
}

# ---- a crash during a rewrite ----

test "kill -9 during a rewrite loses no acknowledged write (appendfsync always)" {
    set dir [aof_dir crash]
    set port [find_free_port]
    # Not holding the worker's pipes, and killed whatever happens, so a
    # failure here cannot leave a server that keeps the suite waiting.
    set pid [exec $::keel::server::binary --port $port --bind 127.0.0.1 --dir $dir \
        --appendonly yes --appendfsync always --save "" --enable-debug-command yes \
        --logfile [file join $dir log] >/dev/null 2>/dev/null &]
    set acked {}
    try {
        set c ""
        wait_for_condition 100 50 {[catch {set c [keel_client 127.0.0.1 $port -tls 0]}] == 0} else {
            fail "the server did not start"
        }
        $c debug populate 100000 pop 32
        $c bgrewriteaof
        for {set i 0} {$i < 300} {incr i} {
            if {[$c set acked:$i $i] eq "OK"} {lappend acked $i}
            if {$i == 150} {catch {$c bgrewriteaof}}
        }
    } finally {
        catch {exec kill -9 $pid}
        catch {$c close}
    }
    after 200
    start_server [list overrides [list dir $dir appendonly yes]] {
        foreach i $acked {
            assert_equal $i [r get acked:$i]
        }
        assert_equal 300 [llength $acked]
        assert_equal 300 [llength [r keys acked:*]]
    }
}

# ---- write errors ----

test "A failing AOF write is reported, refuses writes with -MISCONF, serves reads" {
    skip_unless {[file exists /dev/full]} "no /dev/full"
    set dir [aof_dir writeerr]
    aof_make_base $dir 1
    set incr [aof_path $dir appendonly.aof.2.incr.aof]
    file delete $incr
    file link -symbolic $incr /dev/full
    start_server [list overrides [list dir $dir appendonly yes]] {
        assert_equal {1 2} [r mget a b]
        catch {r set c 3}
        wait_for_condition 50 50 {
            [info_field [r info persistence] aof_last_write_status] eq "err"
        } else {
            fail "the write error was not reported"
        }
        assert_error "MISCONF Errors writing to the AOF file: No space left on device*" {r set d 4}
        assert_equal 1 [r get a]
        if {[aof_is_keel]} {
            assert_equal 1 [count_log_lines "*Error writing to the AOF file: No space left on device*"]
        }
        r config set appendonly no
        assert_equal OK [r set d 4]
    }
}

# The folders are kept when a test failed, for a look at the files.
if {$::keel::test::failures == 0 && !$::keel::server::keep_tmp} {
    foreach d $::aof_dirs {file delete -force $d}
}
