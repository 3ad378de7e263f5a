# tests/unit/config.tcl: CONFIG GET/SET/REWRITE/RESETSTAT and config file errors.
#
# Runtime: globs and several names in CONFIG GET, atomic multi-option
# CONFIG SET with every kind of refusal, CONFIG REWRITE keeping an existing
# file's comments and order. Startup: bad config lines and command-line
# options stop the server with the FATAL CONFIG FILE ERROR block on stderr.
# Only core options are used (no keyspace or persistence options).

# CONFIG GET as a dict sorted by name (the reply order is not specified).
proc config_get_sorted {args} {
    set reply [r config get {*}$args]
    set sorted {}
    foreach name [lsort [dict keys $reply]] {
        lappend sorted $name [dict get $reply $name]
    }
    return $sorted
}

proc read_config_lines {} {
    set fd [open [srv config_file] r]
    set lines [split [string trimright [read $fd] \n] \n]
    close $fd
    return $lines
}

start_server {tags {config}} {
    test "CONFIG GET of one option returns its name and value" {
        assert_equal [list port [srv port]] [r config get port]
    } {tls:skip}

    test "CONFIG GET with a glob returns every matching option" {
        assert_equal {tcp-backlog tcp-keepalive} [dict keys [config_get_sorted tcp-*]]
        assert_equal {proto-max-bulk-len 536870912} [config_get_sorted proto-max-*]
    }

    test "CONFIG GET with several names returns all of them" {
        assert_equal [list port [srv port] timeout 0] [config_get_sorted timeout port]
    } {tls:skip}

    test "CONFIG GET returns an option matched twice only once" {
        assert_equal [list port [srv port]] [r config get port port]
    } {tls:skip}

    test "CONFIG GET of an unknown option returns an empty list" {
        assert_equal {} [r config get no-such-option]
    }

    test "CONFIG GET without a name is an arity error" {
        assert_error "ERR wrong number of arguments for 'config|get' command" {r config get}
    }

    test "CONFIG GET shows the values written in the config file" {
        assert_equal {bind 127.0.0.1} [r config get bind]
        assert_equal {daemonize no} [r config get daemonize]
        assert_equal [list port [srv port]] [r config get port]
    } {tls:skip}

    test "CONFIG SET changes a value that CONFIG GET then returns" {
        assert_equal OK [r config set timeout 100]
        assert_equal {timeout 100} [r config get timeout]
        r config set timeout 0
    }

    test "CONFIG SET accepts memory units" {
        r config set proto-max-bulk-len 2mb
        assert_equal {proto-max-bulk-len 2097152} [r config get proto-max-bulk-len]
        r config set proto-max-bulk-len 2000k
        assert_equal {proto-max-bulk-len 2000000} [r config get proto-max-bulk-len]
        r config set proto-max-bulk-len 1GB
        assert_equal {proto-max-bulk-len 1073741824} [r config get proto-max-bulk-len]
        r config set proto-max-bulk-len 512mb
    }

    test "CONFIG SET option names are case-insensitive" {
        r config set TIMEOUT 7
        assert_equal {timeout 7} [r config get timeout]
        r config set timeout 0
    }

    test "CONFIG SET of several options applies all of them" {
        assert_equal OK [r config set timeout 10 tcp-keepalive 20]
        assert_equal {tcp-keepalive 20 timeout 10} [config_get_sorted timeout tcp-keepalive]
        r config set timeout 0 tcp-keepalive 300
    }

    test "CONFIG SET with one bad value changes none of the options" {
        assert_error "ERR CONFIG SET failed (possibly related to argument 'maxclients')*" \
            {r config set timeout 30 maxclients abc}
        assert_equal {timeout 0} [r config get timeout]
    }

    test "CONFIG SET with one unknown option changes none of the options" {
        assert_error "ERR Unknown option or number of arguments for CONFIG SET - 'no-such-option'" \
            {r config set timeout 30 no-such-option 1}
        assert_equal {timeout 0} [r config get timeout]
    }

    test "CONFIG SET of the same option twice is refused" {
        assert_error "ERR CONFIG SET failed (possibly related to argument 'timeout') - duplicate parameter" \
            {r config set timeout 1 timeout 2}
        assert_equal {timeout 0} [r config get timeout]
    }

    test "CONFIG SET with an odd number of arguments is a syntax error" {
        assert_error "ERR syntax error" {r config set timeout 1 hz}
    }

    test "CONFIG SET without a value is an arity error" {
        assert_error "ERR wrong number of arguments for 'config|set' command" {r config set timeout}
    }

    test "CONFIG SET of an integer option with a non-number is refused" {
        assert_error "ERR CONFIG SET failed (possibly related to argument 'maxclients')\
            - argument couldn't be parsed into an integer" {r config set maxclients abc}
    }

    test "CONFIG SET of an integer option below its minimum states the bounds" {
        assert_error "ERR CONFIG SET failed (possibly related to argument 'maxclients')\
            - argument must be between 1 and 4294967295 inclusive" {r config set maxclients 0}
    }

    test "CONFIG SET of a memory option with a negative value is refused" {
        assert_error "ERR CONFIG SET failed (possibly related to argument 'client-query-buffer-limit')\
            - argument must be a memory value" {r config set client-query-buffer-limit -1}
    }

    test "CONFIG SET of a yes/no option with another word is refused" {
        assert_error "ERR CONFIG SET failed (possibly related to argument 'protected-mode')\
            - argument must be 'yes' or 'no'" {r config set protected-mode maybe}
    }

    test "CONFIG SET of an enum option with an unknown value lists the choices" {
        assert_error "ERR CONFIG SET failed (possibly related to argument 'loglevel')\
            - argument(s) must be one of the following: debug, verbose, notice, warning*" \
            {r config set loglevel loud}
    }

    test "CONFIG SET of an immutable option is refused" {
        assert_error "ERR CONFIG SET failed (possibly related to argument 'daemonize')\
            - can't set immutable config" {r config set daemonize yes}
        assert_equal {daemonize no} [r config get daemonize]
    }

    test "CONFIG SET of a protected option is refused by default" {
        assert_error "ERR CONFIG SET failed (possibly related to argument 'dir')\
            - can't set protected config" {r config set dir /tmp}
    }

    test "CONFIG SET of an unknown option is refused" {
        assert_error "ERR Unknown option or number of arguments for CONFIG SET - 'no-such-option'" \
            {r config set no-such-option 1}
    }

    test "CONFIG SET client-output-buffer-limit with a bad class is refused" {
        assert_error "ERR CONFIG SET failed (possibly related to argument 'client-output-buffer-limit')*" \
            {r config set client-output-buffer-limit "nosuchclass 0 0 0"}
    }

    test "CONFIG with an unknown subcommand is an error" {
        assert_error "ERR unknown subcommand 'foo'. Try CONFIG HELP." {r config foo}
    }

    test "CONFIG RESETSTAT replies OK" {
        assert_equal OK [r config resetstat]
    }
}

start_server {tags {config} config_lines {
    "# first comment, keep me"
    "timeout 0"
    "# second comment"
    "tcp-keepalive 300"
}} {
    test "CONFIG REWRITE keeps comments and order and updates changed lines in place" {
        set before [read_config_lines]
        r config set timeout 42
        assert_equal OK [r config rewrite]
        set after [read_config_lines]
        foreach line {"# first comment, keep me" "# second comment" "tcp-keepalive 300"} {
            assert_equal [lsearch -exact $before $line] [lsearch -exact $after $line] \
                "position of '$line'"
        }
        assert_equal [lsearch -exact $before "timeout 0"] [lsearch -exact $after "timeout 42"]
        assert_equal -1 [lsearch -exact $after "timeout 0"]
    }

    test "CONFIG REWRITE appends options that were not in the file" {
        r config set hz 20
        r config rewrite
        set after [read_config_lines]
        set marker [lsearch -exact $after "# Generated by CONFIG REWRITE"]
        assert_morethan $marker [lsearch -exact $after "tcp-keepalive 300"]
        assert_morethan [lsearch -exact $after "hz 20"] $marker
        assert_equal 1 [llength [lsearch -all -exact $after "# Generated by CONFIG REWRITE"]]
    }

    test "CONFIG REWRITE twice gives the same file" {
        r config rewrite
        set first [read_config_lines]
        r config rewrite
        assert_equal $first [read_config_lines]
    }

    test "A rewritten config file starts a server with the same settings" {
        r config set timeout 33
        r config rewrite
        # The rewritten lines, minus the port, must parse and give the values.
        set lines [lsearch -all -inline -not -glob [read_config_lines] "port *"]
        start_server [list config_lines $lines] {
            assert_equal {tcp-keepalive 300 timeout 33} [config_get_sorted timeout tcp-keepalive]
            assert_equal {hz 20} [r config get hz]
        }
    } {tls:skip}
}

start_server {tags {config} args {--timeout 77}} {
    test "A command-line option overrides the default" {
        assert_equal {timeout 77} [r config get timeout]
    }
}

start_server {tags {config} config_lines {"timeout 5"} args {--timeout 77 --tcp-keepalive 12}} {
    test "Command-line options override the config file" {
        assert_equal {tcp-keepalive 12 timeout 77} [config_get_sorted timeout tcp-keepalive]
    }
}

start_server {tags {config tls:skip}} {
    test "--port on the command line sets the listening port" {
        set port [find_free_port]
        start_server [list args [list --port $port]] {
            assert_equal [list port $port] [r config get port]
            assert_equal $port [info_field [r info server] tcp_port]
        }
    }
}

start_server {tags {config}} {
    test "An unknown directive stops startup with the FATAL CONFIG FILE ERROR block" {
        lassign [start_server_and_fail {config_lines {"no-such-directive yes"}}] code out err
        assert_equal 1 $code
        assert_match "*\\*\\*\\* FATAL CONFIG FILE ERROR (*) \\*\\*\\**" $err
        assert_match "*Reading the configuration file, at line 1\n*" $err
        assert_match "*>>> 'no-such-directive yes'\n*" $err
        assert_match "*Bad directive or wrong number of arguments*" $err
    }

    test "The FATAL block names the line number of the bad line" {
        lassign [start_server_and_fail {config_lines {"timeout 0" "# a comment" "" "nope 1"}}] code out err
        assert_equal 1 $code
        assert_match "*at line 4\n>>> 'nope 1'\n*" $err
    }

    test "A directive without its argument stops startup" {
        lassign [start_server_and_fail {config_lines {"timeout"}}] code out err
        assert_equal 1 $code
        assert_match "*>>> 'timeout'\nwrong number of arguments*" $err
    }

    test "A non-numeric value for an integer directive stops startup" {
        lassign [start_server_and_fail {config_lines {"timeout abc"}}] code out err
        assert_equal 1 $code
        assert_match "*>>> 'timeout abc'\nargument couldn't be parsed into an integer*" $err
    }

    test "An enum directive with an unknown value stops startup" {
        lassign [start_server_and_fail {config_lines {"loglevel loud"}}] code out err
        assert_equal 1 $code
        assert_match "*argument(s) must be one of the following: debug, verbose, notice, warning*" $err
    }

    test "An unbalanced quote in a config line stops startup" {
        lassign [start_server_and_fail {config_lines {"requirepass \"abc"}}] code out err
        assert_equal 1 $code
        assert_match "*>>> 'requirepass \"abc'\nUnbalanced quotes in configuration line*" $err
    }

    test "An unknown command-line option stops startup like a bad config line" {
        lassign [start_server_and_fail {args {--no-such-option bar}}] code out err
        assert_equal 1 $code
        assert_match "*FATAL CONFIG FILE ERROR*>>> 'no-such-option \"bar\"'\nBad directive or wrong number of arguments*" $err
    }

    test "A missing config file stops startup and names the file" {
        set path [file join [srv dir] no-such-file.conf]
        lassign [start_server_and_fail [list config_path $path]] code out err
        assert_equal 1 $code
        assert_match "*can't open config file '$path'*" "$out$err"
    }

    test "loadmodule of a missing file stops startup and names the file" {
        set path [file join [srv dir] no-such-module.so]
        lassign [start_server_and_fail [list config_lines [list "loadmodule $path"]]] code out err
        assert_equal 1 $code
        assert_match "*$path*" "$out$err"
    }
}

start_server {tags {config}} {
    test "CONFIG SET rolls every option back when an apply step fails" {
        # The port is taken by a plain Tcl listener, so opening it fails
        # after timeout was already set: both must be back as they were.
        set holder [socket -server {apply {{ch a p} {close $ch}}} -myaddr 127.0.0.1 0]
        set busy [lindex [fconfigure $holder -sockname] 2]
        set old_timeout [lindex [r config get timeout] 1]
        catch {r config set timeout 77 port $busy} err
        close $holder
        assert_match "ERR CONFIG SET failed (possibly related to argument 'port')*" $err
        assert_equal $old_timeout [lindex [r config get timeout] 1]
        assert_equal [srv port] [lindex [r config get port] 1]
        set c [keel_client]
        assert_equal PONG [$c ping]
        $c close
    } {tls:skip}
}

start_server {tags {config} overrides {enable-protected-configs yes}} {
    test "CONFIG SET dir to a missing directory is refused and dir is unchanged" {
        set before [lindex [r config get dir] 1]
        assert_error "ERR CONFIG SET failed (possibly related to argument 'dir') - No such file or directory" {
            r config set dir /nonexistent/keel-dir
        }
        assert_equal $before [lindex [r config get dir] 1]
    }
}

# "keel-server -" reads the configuration from standard input, as Valkey.
set binary $::keel::server::binary

test "a config read from stdin ('-') is applied" {
    skip_unless {[string match *keel-server* [file tail $binary]]} "checks keel's reading of stdin"
    set port [find_free_port]
    set dir [file normalize tests/tmp/stdin.[pid].[clock microseconds]]
    file mkdir $dir
    set f [open $dir/stdin.conf w]
    puts $f "port $port\nbind 127.0.0.1\ntimeout 42"
    close $f
    set server_pid [exec $binary - --dir $dir --logfile $dir/log < $dir/stdin.conf &]
    try {
        wait_for_condition 200 25 {![catch {keel_client 127.0.0.1 $port} c]} else {
            fail "the server given its config on stdin did not come up"
        }
        assert_equal {timeout 42} [$c config get timeout]
        $c close
    } finally {
        catch {exec kill -KILL $server_pid}
        file delete -force $dir
    }
} {tls:skip}

test "a bad line in a config read from stdin is a fatal config error" {
    skip_unless {[string match *keel-server* [file tail $binary]]} "checks keel's reading of stdin"
    catch {exec $binary - << "port 0\nnot-an-option 1\n" 2>@1} out
    assert_match "*FATAL CONFIG FILE ERROR*>>> 'not-an-option 1'*Bad directive or wrong number of arguments*" $out
}
