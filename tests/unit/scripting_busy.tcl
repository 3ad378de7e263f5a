# tests/unit/scripting_busy.tcl: scripts that run past busy-reply-threshold
# (lua-time-limit): other clients get -BUSY except for the allow-busy
# commands, SCRIPT KILL / FUNCTION KILL stop a run that has not written
# (even one that catches errors with pcall), -UNKILLABLE for one that has,
# SHUTDOWN NOSAVE ends the process, FUNCTION STATS describes a busy
# function, the caller's pipelined input waits for its script, a library
# that loops while loading fails FUNCTION LOAD after 500 ms, and errorstats
# count a script's redis.call error once.
#
# Passes against Debian's redis-server 7.0 too (its texts say "Redis"
# where Valkey's say "Valkey": the patterns accept both).

# Waits until the server answers PING with -BUSY (a script timed out).
proc busy_wait_for_busy {} {
    wait_for_condition 300 10 {[catch {r ping} e] && [string match BUSY* $e]} else {
        fail "the server never replied -BUSY"
    }
}

# Reads a deferring client's reply, returning the error text if it is one.
proc busy_read_reply {rd} {
    catch {$rd read} reply
    return $reply
}

start_server {tags {scripting busy}} {
    test "busy-reply-threshold defaults to 5000 and lua-time-limit is its old name" {
        assert_equal {busy-reply-threshold 5000} [r config get busy-reply-threshold]
        r config set lua-time-limit 1234
        assert_equal {busy-reply-threshold 1234} [r config get busy-reply-threshold]
        assert_equal {lua-time-limit 1234} [r config get lua-time-limit]
        r config set busy-reply-threshold 5000
    }

    test "busy-reply-threshold refuses bad values and keeps the old one" {
        assert_error "*busy-reply-threshold*" {r config set busy-reply-threshold -1}
        assert_error "*busy-reply-threshold*" {r config set busy-reply-threshold abc}
        assert_equal {busy-reply-threshold 5000} [r config get busy-reply-threshold]
    }

    test "SCRIPT KILL and FUNCTION KILL with nothing running reply NOTBUSY" {
        assert_error "NOTBUSY No scripts in execution right now." {r script kill}
        assert_error "NOTBUSY No scripts in execution right now." {r function kill}
    }

    test "a script past the threshold gets other clients -BUSY, SCRIPT KILL stops it" {
        r config set busy-reply-threshold 100
        r config resetstat
        set rd [keel_deferring_client]
        $rd eval {while true do end} 0
        busy_wait_for_busy
        assert_error "BUSY * is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE." {r get x}
        assert_error "BUSY*" {r info}
        assert_error "BUSY*" {r config get maxmemory}
        # Valkey refuses the other kind's KILL and FUNCTION STATS under EVAL.
        assert_error "BUSY*SCRIPT KILL*" {r function kill}
        assert_error "BUSY*SCRIPT KILL*" {r function stats}
        # A client connecting now is served too.
        set late [keel_client]
        assert_error "BUSY*" {$late ping}
        $late close
        assert_equal OK [r script kill]
        assert_match "ERR Script killed by user with SCRIPT KILL... script: *, on @user_script:1." \
            [busy_read_reply $rd]
        assert_equal PONG [r ping]
        assert_match "*errorstat_BUSY:count=*" [r info errorstats]
        assert_equal 1 [count_log_lines "*Slow script detected*"]
        $rd close
    }

    test "a killed script cannot catch the kill with pcall" {
        set rd [keel_deferring_client]
        $rd eval {
            local spin = function() while true do end end
            while true do pcall(spin) end
        } 0
        busy_wait_for_busy
        assert_equal OK [r script kill]
        assert_match "ERR Script killed by user with SCRIPT KILL...*" [busy_read_reply $rd]
        assert_equal PONG [r ping]
        $rd close
    }

    test "the caller's pipelined commands run after its script ends" {
        set rd [keel_deferring_client]
        $rd eval {while true do end} 0
        $rd ping
        $rd set after:kill 1
        busy_wait_for_busy
        # The pipelined SET has not run while the script is busy.
        assert_equal OK [r script kill]
        assert_match "ERR Script killed*" [busy_read_reply $rd]
        assert_equal PONG [$rd read]
        assert_equal OK [$rd read]
        assert_equal 1 [r get after:kill]
        $rd close
    }

    test "a command refused with -BUSY inside MULTI aborts the transaction" {
        set rd [keel_deferring_client]
        $rd eval {while true do end} 0
        busy_wait_for_busy
        set tx [keel_client]
        assert_equal OK [$tx multi]
        assert_error "BUSY*" {$tx set tx:key 1}
        assert_equal OK [r script kill]
        assert_match "ERR Script killed*" [busy_read_reply $rd]
        assert_error "EXECABORT*" {$tx exec}
        assert_equal 0 [r exists tx:key]
        $tx close
        $rd close
    }

    test "a function past the threshold: FUNCTION STATS shows it, FUNCTION KILL stops it" {
        r function load replace {#!lua name=busylib
            redis.register_function('spin', function() while true do end end)
        }
        set rd [keel_deferring_client]
        $rd fcall spin 0
        busy_wait_for_busy
        assert_error "BUSY * is busy running a script. You can only call FUNCTION KILL or SHUTDOWN NOSAVE." {r get x}
        assert_error "BUSY*FUNCTION KILL*" {r script kill}
        set stats [r function stats]
        set running [dict get $stats running_script]
        assert_equal spin [dict get $running name]
        assert_equal {fcall spin 0} [dict get $running command]
        assert {[dict get $running duration_ms] >= 100}
        assert_equal OK [r function kill]
        assert_match "ERR Script killed by user with SCRIPT KILL... script: spin, on @user_function:*" \
            [busy_read_reply $rd]
        assert_equal {} [dict get [r function stats] running_script]
        r function flush
        $rd close
    }

    test "a library whose code loops forever fails FUNCTION LOAD after a timeout" {
        assert_error "ERR Error registering functions: ERR FUNCTION LOAD timeout" {
            r function load "#!lua name=forever\nwhile true do end"
        }
        assert_equal {} [r function list]
        assert_equal PONG [r ping]
    }

    test "errorstats count a script's redis.call error once" {
        r config resetstat
        r set str:val abc
        assert_error "ERR value is not an integer*" {r eval {return redis.call('incr', KEYS[1])} 1 str:val}
        assert_error "ERR value is not an integer*" {r eval {return redis.pcall('incr', KEYS[1])} 1 str:val}
        assert_error "MY own" {r eval {return redis.error_reply('MY own')} 0}
        set stats [r info errorstats]
        assert_match "*errorstat_ERR:count=2*" $stats
        assert_match "*errorstat_MY:count=1*" $stats
        assert_equal 3 [info_field [r info stats] total_error_replies]
    }
}

start_server {tags {scripting busy}} {
    test "a script that wrote is UNKILLABLE; SHUTDOWN needs NOSAVE, which ends the server" {
        r config set busy-reply-threshold 100
        set rd [keel_deferring_client]
        $rd eval {redis.call('set', 'written', '1') while true do end} 0
        busy_wait_for_busy
        assert_error "UNKILLABLE Sorry the script already executed write commands*SHUTDOWN NOSAVE*" \
            {r script kill}
        assert_error "BUSY*" {r shutdown}
        catch {r shutdown nosave}
        assert_equal 0 [wait_for_server_exit]
        catch {$rd close}
    }
}
