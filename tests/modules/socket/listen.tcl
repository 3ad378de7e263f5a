# tests/modules/socket/listen.tcl: keel-socket.so's listeners: several bind
# addresses, the '-' prefix, CONFIG SET port rebinding, INFO listener lines,
# a port already in use, and Unix sockets with their permissions.

# keel modules only: against another server (the reference redis-server)
# these tests have nothing to check.
if {![string match *keel* [file tail $::keel::server::binary]]} {
    skip "tests keel's own modules"
}
# About the plain TCP/Unix listeners: under --tls, tests/modules/tls/ covers the
# TLS transport instead.
file_tags {tls:skip}

start_server {tags {listen} overrides {bind "127.0.0.1 -::1"}} {
    test "every configured bind address answers" {
        set port [srv port]
        set c4 [keel_client 127.0.0.1 $port]
        assert_equal PONG [$c4 ping]
        $c4 close
        if {![catch {socket ::1 $port} probe]} {
            close $probe
            set c6 [keel_client ::1 $port]
            assert_equal PONG [$c6 ping]
            $c6 close
        }
    }
}

# 192.0.2.1 (TEST-NET-1) is on no interface of this machine.
start_server {tags {listen} overrides {bind "127.0.0.1 -192.0.2.1"}} {
    test "an unavailable address with the '-' prefix is skipped, not fatal" {
        assert_equal PONG [r ping]
        assert_equal 1 [count_log_lines "*192.0.2.1*address skipped*"]
    }
}

test "an unavailable address without the prefix stops start-up" {
    # Command-line options come after the file's lines, so this bind wins.
    lassign [start_server_and_fail {args {--bind 192.0.2.1}}] code out err
    assert_equal 1 $code
    assert_match "*Could not create server TCP listening socket 192.0.2.1:*bind: Cannot assign requested address*" $out
    assert_match "*Failed listening on port * (tcp), aborting.*" $out
}

start_server {tags {listen}} {
    test "INFO server lists the listener with its bind addresses and port" {
        set port [srv port]
        assert_equal "name=tcp,bind=127.0.0.1,port=$port" [info_field [r info server] listener0]
    }

    test "a port already in use stops start-up with Valkey's two lines" {
        # A plain Tcl listener holds the port: it answers no PING, so the
        # harness cannot mistake it for the new server coming up.
        set holder [socket -server {apply {{ch a p} {close $ch}}} -myaddr 127.0.0.1 0]
        set port [lindex [fconfigure $holder -sockname] 2]
        lassign [start_server_and_fail [list args [list --port $port]]] code out err
        close $holder
        assert_equal 1 $code
        assert_match "*Warning: Could not create server TCP listening socket 127.0.0.1:$port: bind: Address already in use*" $out
        assert_match "*Failed listening on port $port (tcp), aborting.*" $out
        assert_equal PONG [r ping]
    }

    test "CONFIG SET port moves the listener; the old port stops accepting" {
        set old [srv port]
        set new [find_free_port]
        r config set port $new
        set c [keel_client 127.0.0.1 $new]
        assert_equal PONG [$c ping]
        $c close
        assert_error "*" {socket 127.0.0.1 $old}
        assert_equal "name=tcp,bind=127.0.0.1,port=$new" [info_field [r info server] listener0]
        # the connection we already had keeps working
        assert_equal PONG [r ping]
        r config set port $old
        assert_equal $old [lindex [r config get port] 1]
    }

    test "CONFIG SET bind rebinds the listener to the new address list" {
        assert_equal OK [r config set bind "127.0.0.1 -::1"]
        assert_equal "name=tcp,bind=127.0.0.1,bind=-::1,port=[srv port]" \
            [info_field [r info server] listener0]
        set c [keel_client 127.0.0.1 [srv port]]
        assert_equal PONG [$c ping]
        $c close
        assert_equal OK [r config set bind 127.0.0.1]
        assert_equal {bind 127.0.0.1} [r config get bind]
    }

    test "CONFIG SET bind to an address not on this machine fails and keeps the old one" {
        assert_error "*CONFIG SET failed (possibly related to argument 'bind')*" {
            r config set bind 192.0.2.1
        }
        assert_equal {bind 127.0.0.1} [r config get bind]
        set c [keel_client 127.0.0.1 [srv port]]
        assert_equal PONG [$c ping]
        $c close
    }

    test "CONFIG SET port to a busy port fails and the old listener keeps serving" {
        set busy [socket -server {apply {{ch a p} {close $ch}}} -myaddr 127.0.0.1 0]
        set busy_port [lindex [fconfigure $busy -sockname] 2]
        assert_error "*CONFIG SET failed (possibly related to argument 'port')*" {r config set port $busy_port}
        close $busy
        set c [keel_client 127.0.0.1 [srv port]]
        assert_equal PONG [$c ping]
        $c close
        assert_equal [srv port] [lindex [r config get port] 1]
    }
}

set have_redis_cli [expr {![catch {exec which redis-cli}]}]
set sock /tmp/keel-test-[pid]-[clock microseconds].sock

start_server [list tags {listen unix} overrides [list unixsocket $sock unixsocketperm 700]] {
    test "a Unix socket listener answers and gets the configured permissions" {
        skip_unless {$have_redis_cli} "redis-cli (Debian redis-tools) talks over Unix sockets"
        assert_equal PONG [exec redis-cli -s $sock ping]
        assert_equal srwx------ [exec stat -c %A $sock]
        assert_match "*name=unix,bind=$sock*" [r info server]
        assert_match "*addr=$sock:0*" [exec redis-cli -s $sock client list]
    }
}

test "the Unix socket file is removed at shutdown" {
    assert_equal 0 [file exists $sock]
}

test "a Unix socket in a missing directory stops start-up" {
    lassign [start_server_and_fail {config_lines {"unixsocket /nonexistent/dir/keel.sock"}}] code out err
    assert_equal 1 $code
    assert_match "*Failed opening Unix socket: bind: No such file or directory*" $out
    assert_match "*Failed listening on port 0 (unix), aborting.*" $out
}

test "port 0 with no other listener stops start-up" {
    lassign [start_server_and_fail {args {--port 0}}] code out err
    assert_equal 1 $code
    assert_match "*Configured to not listen anywhere, exiting.*" $out
}

test "a Unix-only server (port 0) still loads the socket module and serves" {
    skip_unless {$have_redis_cli} "redis-cli (Debian redis-tools) talks over Unix sockets"
    set only_sock /tmp/keel-test-unix-only-[pid]-[clock microseconds].sock
    set dir [file normalize tests/tmp/unix-only.[pid].[clock microseconds]]
    file mkdir $dir
    set server [open "|[list $::keel::server::binary --port 0 --unixsocket $only_sock --dir $dir --logfile $dir/log] 2>@1" r]
    set pid [pid $server]
    try {
        wait_for_condition 200 25 {[file exists $only_sock]} else {
            fail "no Unix socket at $only_sock"
        }
        assert_equal PONG [exec redis-cli -s $only_sock ping]
        assert_match "*name\nsocket*" [exec redis-cli -s $only_sock module list]
        assert_no_match "*listener1*" [exec redis-cli -s $only_sock info server]
        catch {exec redis-cli -s $only_sock shutdown nosave}
    } finally {
        catch {exec kill -KILL $pid}
        catch {close $server}
        file delete -force $dir
    }
}
