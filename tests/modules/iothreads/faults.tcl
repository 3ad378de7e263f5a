# tests/modules/iothreads/faults.tcl: the IO-thread paths under stress:
# clients that vanish with jobs in flight, a shared queue so small that
# offloads roll back and run inline, a completion ring that overflows,
# io-threads-always-active toggled and io-threads resized during pipelined
# load (every reply checked), and poll offload forced at a low thread count.

if {![string match *keel* [file tail $::keel::server::binary]]} {
    skip "tests keel's own IO-thread module"
}

# Sends count ECHOs tagged name-i in one write; returns nothing.
proc echo_send {rd name count} {
    set buf ""
    for {set i 0} {$i < $count} {incr i} {
        set v "$name-$i"
        append buf "*2\r\n\$4\r\nECHO\r\n\$[string length $v]\r\n$v\r\n"
    }
    $rd write_raw $buf
}

# Reads count replies and checks each is name-i, in order.
proc echo_check {rd name count} {
    for {set i 0} {$i < $count} {incr i} {
        assert_equal "$name-$i" [$rd read]
    }
}

# Rounds of pipelined ECHOs on clients clients; between sending and reading
# each round, runs between (CONFIG SET ...). Every reply is checked.
proc load_with {clients rounds count between} {
    set rds {}
    for {set c 0} {$c < $clients} {incr c} { lappend rds [keel_deferring_client] }
    for {set round 0} {$round < $rounds} {incr round} {
        set c 0
        foreach rd $rds { echo_send $rd "c$c-r$round" $count; incr c }
        uplevel 1 [list set round $round]
        uplevel 1 $between
        set c 0
        foreach rd $rds { echo_check $rd "c$c-r$round" $count; incr c }
    }
    foreach rd $rds { $rd close }
}

set base {io-threads 3 io-threads-always-active yes}

start_server [list tags {iothreads} overrides $base] {
    test "clients that disconnect with reads and writes in flight are freed" {
        set before [info_field [r info clients] connected_clients]
        for {set n 0} {$n < 40} {incr n} {
            set s [socket 127.0.0.1 [srv port]]
            fconfigure $s -translation binary -blocking 0
            set big [string repeat y 100000]
            set buf ""
            for {set i 0} {$i < 20} {incr i} {
                append buf "*2\r\n\$4\r\nECHO\r\n\$[string length $big]\r\n$big\r\n"
            }
            catch {puts -nonewline $s $buf; flush $s}
            close $s
        }
        wait_for_condition 100 50 {
            [info_field [r info clients] connected_clients] == $before
        } else {
            fail "clients closed mid-job were not freed"
        }
        assert_equal PONG [r ping]
    }

    test "CLIENT KILL of clients in pipelined traffic frees them, others keep working" {
        set victims {}
        for {set n 0} {$n < 5} {incr n} {
            set rd [keel_deferring_client]
            $rd client setname victim$n
            $rd read
            lappend victims $rd
        }
        foreach rd $victims { echo_send $rd v 2000 }
        set killed 0
        foreach line [split [r client list] \n] {
            if {[regexp {id=(\d+) .*name=victim} $line -> id]} {
                incr killed [r client kill id $id]
            }
        }
        assert_morethan $killed 0
        foreach rd $victims { catch {$rd close} }
        set ok [keel_deferring_client]
        echo_send $ok ok 500
        echo_check $ok ok 500
        $ok close
        wait_for_condition 100 50 {
            ![string match "*name=victim*" [r client list]]
        } else {
            fail "killed clients are still listed"
        }
    }

    test "toggling io-threads-always-active under pipelined load loses no reply" {
        load_with 8 20 200 {
            r config set io-threads-always-active [expr {$round % 2 ? "yes" : "no"}]
        }
        r config set io-threads-always-active yes
        assert_equal PONG [r ping]
    }

    test "resizing io-threads under pipelined load loses no reply" {
        load_with 8 12 200 {
            r config set io-threads [lindex {1 2 4 3 1 5} [expr {$round % 6}]]
        }
        assert_equal PONG [r ping]
    }
}

start_server [list tags {iothreads} overrides [concat $base {io-threads-queue-size 2 io-threads-completion-queue-size 2 io-threads-inbox-size 2}]] {
    test "a full shared queue rolls offloads back to inline and every reply is right" {
        load_with 16 10 300 {}
        set stats [r info stats]
        assert_morethan [info_field $stats io_threaded_queue_full] 0
        assert_morethan [info_field $stats io_threaded_reads_processed] 0
    }

    test "a tiny completion ring overflows into the threads' lists and is drained" {
        load_with 16 10 300 {}
        assert_morethan [info_field [r info stats] io_threaded_completion_overflows] 0
        wait_for_condition 100 20 {
            [info_field [r info stats] io_threaded_reads_pending] == 0
        } else {
            fail "reads still pending on an idle server"
        }
        assert_equal PONG [r ping]
    }
}

start_server [list tags {iothreads} overrides [concat $base {io-threads-poll-offload-min 0}]] {
    test "poll offload to IO threads (forced at 2 IO threads) keeps every reply right" {
        load_with 12 15 300 {}
        assert_morethan [info_field [r info stats] io_threaded_poll_processed] 0
    }

    test "poll offload survives clients closing mid-job" {
        for {set n 0} {$n < 20} {incr n} {
            set s [socket 127.0.0.1 [srv port]]
            fconfigure $s -translation binary -blocking 0
            catch {puts -nonewline $s [string repeat "*1\r\n\$4\r\nPING\r\n" 5000]; flush $s}
            close $s
        }
        load_with 4 5 200 {}
        wait_for_condition 100 50 {
            [info_field [r info clients] connected_clients] == 1
        } else {
            fail "closed clients are still connected"
        }
    }
}

start_server {tags {iothreads} overrides {io-threads 2 io-threads-always-active no}} {
    test "adaptive mode: an idle server keeps its IO thread parked" {
        assert_equal 1 [info_field [r info stats] active_io_threads_num]
        load_with 4 5 200 {}
        wait_for_condition 100 50 {
            [info_field [r info stats] active_io_threads_num] == 1
        } else {
            fail "the IO thread did not park again"
        }
    }
}
