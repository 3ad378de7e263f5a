# tests/unit/shutdown.tcl: stopping the server, and the DEBUG command gate.
#
# SHUTDOWN and SIGTERM/SIGINT end the process with status 0 and the usual
# log lines; each of those tests owns its server, since it ends it. DEBUG is
# refused unless enable-debug-command allows it, and that option cannot be
# changed at runtime.

start_server {tags {shutdown}} {
    test "SHUTDOWN NOSAVE closes the connection without a reply and exits with status 0" {
        set c [keel_client]
        $c write_raw "SHUTDOWN NOSAVE\r\n"
        assert_equal "" [$c read_all_until_close]
        $c close
        assert_equal 0 [wait_for_server_exit]
        assert_equal 1 [count_log_lines "*User requested shutdown...*"]
    }
}

start_server {tags {shutdown}} {
    test "SHUTDOWN closes every client connection" {
        set other [keel_client]
        $other ping
        catch {r shutdown nosave}
        assert_equal "" [$other read_all_until_close]
        $other close
        assert_equal 0 [wait_for_server_exit]
    }
}

start_server {tags {shutdown}} {
    test "SHUTDOWN with an unknown option is a syntax error and the server keeps running" {
        assert_error "ERR syntax error" {r shutdown foo}
        assert_equal PONG [r ping]
        assert [server_is_running]
    }

    test "SHUTDOWN NOSAVE and SAVE together is a syntax error" {
        assert_error "ERR syntax error" {r shutdown nosave save}
        assert [server_is_running]
    }

    test "SHUTDOWN ABORT without a shutdown in progress is an error" {
        assert_error "ERR No shutdown in progress." {r shutdown abort}
        assert_equal PONG [r ping]
    }

    test "DEBUG is refused by default, whatever the subcommand" {
        set refusal "ERR DEBUG command not allowed. If the enable-debug-command option is set to\
            \"local\", you can run it from a local connection, otherwise you need to set this\
            option in the configuration file, and then restart the server."
        assert_error $refusal {r debug sleep 0}
        assert_error $refusal {r debug help}
        assert_error $refusal {r debug no-such-subcommand}
    }

    test "DEBUG without a subcommand is an arity error before the refusal" {
        assert_error "ERR wrong number of arguments for 'debug' command" {r debug}
    }

    test "enable-debug-command cannot be changed at runtime" {
        assert_error "ERR CONFIG SET failed (possibly related to argument 'enable-debug-command')\
            - can't set immutable config" {r config set enable-debug-command yes}
        assert_equal {enable-debug-command no} [r config get enable-debug-command]
    }
}

start_server {tags {shutdown}} {
    test "SIGTERM shuts the server down gracefully with exit status 0" {
        set c [keel_client]
        $c ping
        signal_server TERM
        assert_equal "" [$c read_all_until_close]
        $c close
        assert_equal 0 [wait_for_server_exit]
        wait_for_log_line "*Received SIGTERM scheduling shutdown...*"
        wait_for_log_line "*is now ready to exit, bye bye...*"
    }
}

start_server {tags {shutdown}} {
    test "SIGINT shuts the server down gracefully with exit status 0" {
        signal_server INT
        assert_equal 0 [wait_for_server_exit]
        wait_for_log_line "*Received SIGINT scheduling shutdown...*"
        wait_for_log_line "*is now ready to exit, bye bye...*"
    }
}

start_server {tags {shutdown} overrides {enable-debug-command local}} {
    test "enable-debug-command local allows DEBUG from a loopback connection" {
        assert_equal OK [r debug sleep 0]
        assert_equal {enable-debug-command local} [r config get enable-debug-command]
    }
}

start_server {tags {shutdown} overrides {enable-debug-command yes}} {
    test "enable-debug-command yes allows DEBUG" {
        assert_equal OK [r debug sleep 0]
        assert_match "*SLEEP*" [join [r debug help] \n]
    }

    test "DEBUG with an unknown subcommand is an error once DEBUG is allowed" {
        assert_error "ERR unknown subcommand or wrong number of arguments for\
            'no-such-subcommand'. Try DEBUG HELP." {r debug no-such-subcommand}
    }
}
