# tests/harness/server_control.tcl: checks the server helpers themselves
# (helpers/server.tcl, helpers/process.tcl) with the server under test:
# srv keys, nesting levels, reconnect, expect_fail and start_server_and_fail.
#
# Uses only PING, CLIENT ID/KILL and CONFIG GET, so it runs on any server
# that can start at all.

start_server {tags {harness}} {
    test "srv names the files and folder of the running server" {
        assert [file isfile [srv config_file]]
        assert [file isdirectory [srv dir]]
        assert [file isfile [srv stdout]]
        assert_equal [srv dir] [file dirname [srv config_file]]
        assert_equal 127.0.0.1 [srv host]
        assert [server_is_running]
    }

    test "srv with an unknown key lists the known ones" {
        assert_error "srv: unknown key 'nope' (known: *port*)" {srv nope}
    }

    test "The written config holds only standard directives, then the test's lines" {
        set fd [open [srv config_file] r]
        set text [read $fd]
        close $fd
        foreach line [list "port [srv port]" "bind 127.0.0.1" "logfile \"\"" "daemonize no"] {
            assert_match "*\n$line\n*" $text
        }
    }

    test "r -1 addresses the enclosing server and r the inner one" {
        set outer [srv port]
        start_server {} {
            assert_not_equal $outer [srv port]
            assert_equal $outer [srv -1 port]
            assert_equal [list bind 127.0.0.1] [r -1 config get bind]
            assert_error "no server at level -2*" {srv -2 port}
        }
    }

    test "reconnect gives the default client a new connection" {
        set old_id [r client id]
        catch {r client kill id $old_id}
        reconnect
        assert_morethan [r client id] $old_id
    }

    test "A nested server is stopped and its folder removed when its block ends" {
        start_server {} {
            set pid [srv pid]
            set dir [srv dir]
        }
        assert {[catch {exec kill -0 $pid}]} "server $pid still runs"
        assert {![file exists $dir]} "$dir was not removed"
    }
}

start_server {tags {harness} expect_fail 1 config_lines {"no-such-directive 1"}} {
    test "start_server expect_fail runs the body with the exit status and output" {
        assert_equal 1 [srv exit_code]
        assert [file isfile [srv stderr]]
        assert_error "r: the server at level 0 has no client*" {r ping}
    }
}

test "start_server_and_fail reports 'running' when the server starts after all" {
    lassign [start_server_and_fail {}] code out err
    assert_equal running $code
}

test "start_server_and_fail puts config_lines first in the file" {
    lassign [start_server_and_fail {config_lines {"# line 1" "no-such-directive 1"}}] code out err
    assert_equal 1 $code
    assert_match "*line 2*" $err
}

test "start_server refuses an unknown option" {
    assert_error "start_server: unknown option 'bogus'*" {start_server {bogus 1} {}}
}
