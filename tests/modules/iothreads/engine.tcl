# tests/modules/iothreads/engine.tcl: keel-iothreads.so as a module: it
# loads for io-threads > 1 and shows in MODULE LIST, INFO reports the IO
# threads with and without it, CONFIG SET io-threads loads it on demand and
# resizes the pool, idle threads park, and a missing module file stops
# start-up (or refuses the CONFIG SET) with the file named.

if {![string match *keel* [file tail $::keel::server::binary]]} {
    skip "tests keel's own IO-thread module"
}

set moddir [file normalize [file join [file dirname $::keel::server::binary] ../modules]]

# Runs script with KEEL_MODULE_DIR pointing at an empty folder, so bare
# module names cannot be found (keel-socket.so is then given by path).
proc with_empty_module_dir {script} {
    set empty [file join [pwd] tmp empty-moddir-[pid]]
    file mkdir $empty
    set ::env(KEEL_MODULE_DIR) $empty
    set code [catch {uplevel 1 $script} result options]
    unset ::env(KEEL_MODULE_DIR)
    file delete -force $empty
    return -options $options $result
}

# Sends count ECHOs tagged with the client's name in one write and checks
# every reply, in order.
proc echo_round {rd name count} {
    set buf ""
    for {set i 0} {$i < $count} {incr i} {
        set v "$name-$i"
        append buf "*2\r\n\$4\r\nECHO\r\n\$[string length $v]\r\n$v\r\n"
    }
    $rd write_raw $buf
    for {set i 0} {$i < $count} {incr i} {
        assert_equal "$name-$i" [$rd read]
    }
}

start_server {tags {iothreads} overrides {io-threads 4 io-threads-always-active yes io-threads-offload-min-events 1}} {
    test "io-threads 4 loads keel-iothreads.so and MODULE LIST shows the engine" {
        set names {}
        foreach entry [r module list] { lappend names [dict get $entry name] }
        assert {"iothreads" in $names}
        foreach entry [r module list] {
            if {[dict get $entry name] eq "iothreads"} {
                assert_equal "$moddir/keel-iothreads.so" [dict get $entry path]
                assert_equal 1 [dict get $entry ver]
            }
        }
    }

    test "INFO reports IO threads active and counts threaded reads and writes" {
        set rd [keel_deferring_client]
        echo_round $rd a 200
        wait_for_condition 100 20 {
            [info_field [r info stats] active_io_threads_num] == 4
        } else {
            fail "the IO threads did not all become active"
        }
        echo_round $rd b 200
        set stats [r info stats]
        assert_morethan [info_field $stats io_threaded_reads_processed] 0
        assert_morethan [info_field $stats io_threaded_writes_processed] 0
        foreach field {io_threaded_reads_pending io_threaded_writes_pending
                       instantaneous_io_pending_jobs io_threaded_poll_processed} {
            assert_match {[0-9]*} [info_field $stats $field]
        }
        $rd close
    }

    test "idle IO threads park: active_io_threads_num falls back to 1" {
        # Adaptive mode: a command (INFO) alone never wakes a thread there,
        # whereas always-active wakes all of them for any event.
        r config set io-threads-always-active no
        wait_for_condition 200 50 {
            [info_field [r info stats] active_io_threads_num] == 1
        } else {
            fail "IO threads still active on an idle server"
        }
        assert_equal 0 [info_field [r info server] io_threads_active]
        assert_equal PONG [r ping]
        r config set io-threads-always-active yes
    }

    test "CONFIG SET io-threads grows and shrinks the pool and replies keep flowing" {
        set rd [keel_deferring_client]
        # Each resize waits for a loop turn with no job in flight, so a
        # CONFIG SET right after another may skip the first size: wait for
        # each change before asking for the next.
        foreach {from n} {4 2 2 6 6 1 1 3} {
            r config set io-threads $n
            echo_round $rd "n$n" 300
            assert_equal $n [lindex [r config get io-threads] 1]
            wait_for_log_line "*io-threads changed from $from to $n*"
        }
        $rd close
    }

    test "io-threads out of range is refused" {
        assert_error "*io-threads*" {r config set io-threads 0}
        assert_error "*io-threads*" {r config set io-threads 257}
    }
}

start_server {tags {iothreads} overrides {io-threads 1 io-threads-offload-min-events 1}} {
    test "without the module INFO shows one thread and nothing offloaded" {
        set stats [r info stats]
        assert_equal 1 [info_field $stats active_io_threads_num]
        assert_equal 0 [info_field $stats io_threaded_reads_processed]
        assert_equal 0 [info_field [r info server] io_threads_active]
        foreach entry [r module list] {
            assert_not_equal iothreads [dict get $entry name]
        }
    }

    test "CONFIG SET io-threads 3 loads keel-iothreads.so on demand" {
        r config set io-threads-always-active yes
        r config set io-threads 3
        set names {}
        foreach entry [r module list] { lappend names [dict get $entry name] }
        assert {"iothreads" in $names}
        set rd [keel_deferring_client]
        echo_round $rd x 500
        wait_for_condition 100 20 {
            [info_field [r info stats] io_threaded_reads_processed] > 0
        } else {
            fail "no read went through an IO thread"
        }
        $rd close
    }
}

test "io-threads > 1 with the module file missing stops start-up naming the file" {
    with_empty_module_dir {
        set empty $::env(KEEL_MODULE_DIR)
        lassign [start_server_and_fail [list config_lines [list \
            "loadmodule $moddir/keel-socket.so" "io-threads 4"]]] code out err
        assert_equal 1 $code
        assert_match "*Module $empty/keel-iothreads.so failed to load: *cannot open shared object file* (loaded automatically for io-threads > 1)*" "$out\n$err"
    }
} {tls:skip}

test "CONFIG SET io-threads with the module missing is refused and the server keeps serving" {
    with_empty_module_dir {
        start_server [list tags {iothreads} config_lines [list "loadmodule $moddir/keel-socket.so"] overrides {io-threads 1}] {
            assert_error "*io-threads 4 needs the IO-thread module keel-iothreads.so*" {
                r config set io-threads 4
            }
            assert_equal 1 [lindex [r config get io-threads] 1]
            assert_equal PONG [r ping]
        }
    }
} {tls:skip}

# By default a loop turn with a single ready connection does its IO inline:
# a lone client only pays thread wake-ups for a handoff. Several clients
# with requests in flight together are offloaded.
start_server {tags {iothreads} overrides {io-threads 2 io-threads-always-active yes io-threads-offload-min-events 2}} {
    test "A lone client's IO stays on the main thread; concurrent clients are offloaded" {
        set rd [keel_deferring_client]
        echo_round $rd lone 300
        assert_equal 0 [info_field [r info stats] io_threaded_reads_processed]
        set clients {}
        for {set i 0} {$i < 8} {incr i} { lappend clients [keel_deferring_client] }
        wait_for_condition 200 20 {
            [apply {{clients} {
                foreach c $clients { $c write_raw "*2\r\n\$4\r\nECHO\r\n\$1\r\nx\r\n" }
                foreach c $clients { if {[$c read] ne "x"} { error "bad reply" } }
                return 1
            }} $clients] &&
            [info_field [r info stats] io_threaded_reads_processed] > 0
        } else {
            fail "no read of concurrent clients went through an IO thread"
        }
        foreach c $clients { $c close }
        $rd close
    }
}
