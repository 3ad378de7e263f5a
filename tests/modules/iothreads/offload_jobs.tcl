# tests/modules/iothreads/offload_jobs.tcl: the IO-thread jobs that are not
# client reads or writes. ACCEPT: steps of a TLS handshake run on IO threads
# (good clients, garbage, peers that vanish mid-handshake, and a shared queue
# too small to take them). FREE_OBJ: big string values the keyspace drops
# (overwritten, deleted, expired) are freed on IO threads and used_memory
# still comes back down. And no job stays pending after a bursty load.

if {![string match *keel* [file tail $::keel::server::binary]]} {
    skip "tests keel's own IO-thread module"
}

set base {io-threads 3 io-threads-always-active yes io-threads-offload-min-events 1}

# ---- ACCEPT ----

set why [::keel::tls::missing]
if {$why ne ""} {
    puts "  (TLS handshake tests skipped: $why)"
} else {
    # Runs a Python client that, n times each, sends TLS garbage, sends a
    # ClientHello and vanishes, and finishes a handshake and a PING. Prints
    # the PING replies it got.
    proc handshake_abusers {port n} {
        set script {
import socket, ssl, sys
port, n, ca = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
ctx = ssl.create_default_context(cafile=ca)
ctx.check_hostname = False
for i in range(n):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"\x16\x03\x01\x00\x05not a hello" * 3)
    try:
        s.settimeout(2); s.recv(100)
    except OSError:
        pass
    s.close()
    raw = socket.create_connection(("127.0.0.1", port))
    outgoing = ssl.MemoryBIO()
    tls = ctx.wrap_bio(ssl.MemoryBIO(), outgoing)
    try:
        tls.do_handshake()
    except ssl.SSLWantReadError:
        pass
    raw.sendall(outgoing.read())
    raw.close()
pongs = 0
for i in range(n):
    s = ctx.wrap_socket(socket.create_connection(("127.0.0.1", port)))
    s.sendall(b"PING\r\n")
    if s.recv(100) == b"+PONG\r\n":
        pongs += 1
    s.close()
print(pongs)
}
        return [exec /usr/bin/python3 -c $script $port $n [::keel::tls::cert ca.crt]]
    }

    set tls_port [find_free_port]
    set lines [::keel::tls::module_config_lines $tls_port optional]
    start_server [list tags {iothreads tls tls:skip} overrides $base config_lines $lines] {
        test "TLS handshakes run on IO threads and every client works" {
            r set survivor intact
            set before [info_field [r info stats] io_threaded_accepts_processed]
            set clients {}
            for {set i 0} {$i < 30} {incr i} {
                lappend clients [keel_client 127.0.0.1 $tls_port -tls 1]
            }
            set i 0
            foreach c $clients {
                assert_equal OK [$c set "hs:$i" "v$i"]
                incr i
            }
            set i 0
            foreach c $clients {
                assert_equal "v$i" [$c get "hs:$i"]
                $c close
                incr i
            }
            set after [info_field [r info stats] io_threaded_accepts_processed]
            assert {$after - $before >= 30}
        }

        test "garbage and vanishing peers in the handshake fail cleanly on IO threads" {
            set before [info_field [r info] tls_handshake_failures]
            assert_equal 10 [handshake_abusers $tls_port 10]
            wait_for_condition 100 50 {
                [info_field [r info] tls_handshake_failures] - $before >= 20 &&
                [info_field [r info clients] connected_clients] == 1
            } else {
                fail "failed handshakes were not counted or their clients not freed"
            }
            assert_equal intact [r get survivor]
            assert_equal 0 [info_field [r info stats] io_threaded_reads_pending]
        }
    }

    # A shared ring of 2 slots: most handshake offloads are refused and roll
    # back to the main thread, which must run the step itself.
    start_server [list tags {iothreads tls tls:skip} overrides [concat $base {io-threads-queue-size 2}] \
                      config_lines [::keel::tls::module_config_lines $tls_port optional]] {
        test "handshake offloads refused by a full queue run on the main thread" {
            set clients {}
            for {set i 0} {$i < 40} {incr i} {
                lappend clients [keel_client 127.0.0.1 $tls_port -tls 1]
            }
            set i 0
            foreach c $clients {
                assert_equal OK [$c set "full:$i" $i]
                incr i
            }
            foreach c $clients { $c close }
            assert_equal 10 [handshake_abusers $tls_port 10]
            assert_equal 40 [r dbsize]
        }
    }
}

# ---- nothing left pending ----

# The default offload rule (2+ ready fds per turn): once the bursts stop,
# the test's lone client is served inline and wakes no IO thread.
start_server [list tags {iothreads} overrides [concat $base {io-threads-offload-min-events 2}]] {
    test "no IO job stays pending once a bursty load stops" {
        # Short bursts from a few clients let the IO threads fall asleep
        # between them, so argv frees are often published to a sleeping
        # thread without a wake (the engine's tick or the next kick runs
        # them). Whatever path they took, every job must end.
        set rds {}
        for {set i 0} {$i < 4} {incr i} { lappend rds [keel_deferring_client] }
        for {set burst 0} {$burst < 30} {incr burst} {
            foreach rd $rds { $rd set "argv:$burst" [string repeat v 64] }
            foreach rd $rds { assert_equal OK [$rd read] }
            after 2
        }
        wait_for_condition 100 50 {
            [info_field [r info stats] instantaneous_io_pending_jobs] == 0
        } else {
            fail "IO jobs stayed pending: [info_field [r info stats] instantaneous_io_pending_jobs]"
        }
        foreach rd $rds { $rd close }
        assert_equal 30 [r dbsize]
    }
}

# ---- FREE_OBJ ----

start_server [list tags {iothreads} overrides $base] {
    test "big strings the keyspace drops are freed on IO threads" {
        set big [string repeat x 40000]
        set baseline [info_field [r info memory] used_memory]
        set before [info_field [r info stats] io_threaded_freed_objects]
        for {set round 0} {$round < 3} {incr round} {
            for {set i 0} {$i < 50} {incr i} {
                assert_equal OK [r set "big:$i" "$round$big"]
            }
        }
        for {set i 0} {$i < 50} {incr i} {
            assert_equal "2$big" [r get "big:$i"]
        }
        # Overwrites (100), DEL (25), expiry (25): each drops a RAW string.
        for {set i 0} {$i < 25} {incr i} { assert_equal 1 [r del "big:$i"] }
        for {set i 25} {$i < 50} {incr i} { assert_equal 1 [r pexpire "big:$i" 1] }
        wait_for_condition 100 50 {[r dbsize] == 0} else {
            fail "the expiring keys did not go"
        }
        set freed [expr {[info_field [r info stats] io_threaded_freed_objects] - $before}]
        assert {$freed >= 100}
        # The frees ran on other threads and still left used_memory right.
        wait_for_condition 100 50 {
            [info_field [r info memory] used_memory] < $baseline + 500000
        } else {
            fail "used_memory stayed up: [info_field [r info memory] used_memory] vs $baseline"
        }
    }

    test "small and shared strings are not offloaded" {
        set before [info_field [r info stats] io_threaded_freed_objects]
        for {set i 0} {$i < 50} {incr i} {
            r set "small:$i" [string repeat y 100]
            r set "small:$i" 12345
            r del "small:$i"
        }
        assert_equal $before [info_field [r info stats] io_threaded_freed_objects]
    }

    test "with lazyfree-lazy-server-del the IO threads still take big strings" {
        r config set lazyfree-lazy-server-del yes
        set big [string repeat z 40000]
        set before [info_field [r info stats] io_threaded_freed_objects]
        for {set i 0} {$i < 20} {incr i} { r set "lazy:$i" $big }
        for {set i 0} {$i < 20} {incr i} { r set "lazy:$i" $big }
        assert_equal $big [r get "lazy:7"]
        assert {[info_field [r info stats] io_threaded_freed_objects] - $before >= 20}
        r config set lazyfree-lazy-server-del no
    }
}

if {$::keel::server::io_threads == 0} {
start_server [list tags {iothreads}] {
    test "without the module no object is offloaded" {
        r set big [string repeat x 40000]
        r set big [string repeat x 40000]
        r del big
        assert_equal 0 [info_field [r info stats] io_threaded_freed_objects]
        assert_equal 0 [info_field [r info stats] io_threaded_accepts_processed]
    }
}
}
