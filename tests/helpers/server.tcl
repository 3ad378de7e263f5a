# tests/helpers/server.tcl: starting, addressing and stopping servers under test.
#
#   start_server {tags {a b} overrides {name value ...} args {--opt v}
#                 config_lines {line ...} expect_fail 0|1} { body }
#   srv ?level? key            ;# port host pid stdout stderr config_file dir client
#   r ?level? command args...  ;# the default client of that server
#   reconnect ?level?          ;# replace the default client (after a kill)
#   start_server_and_fail {options} -> {exitcode stdout_text stderr_text}
#
# Each server gets a folder tests/tmp/<file>.<worker pid>.<n>/ holding
# keel.conf, stdout (the log: logfile "") and stderr. Its config holds only
# standard directives (so redis-server works too), then the run's variant
# settings (--io-threads, --tls), then the test's overrides and config_lines;
# later lines win. Values are written as given: quote them the way a config
# file needs ("" for an empty value).
#
# Levels: 0 is the innermost running server, -1 the one enclosing it, and so
# on. A server that exits with a non-zero status, has to be killed, or leaves
# a crash report in its output fails the file with a test named after it.
# Its folder is removed when nothing failed while it ran (kept with --keep-tmp).

namespace eval ::keel::server {
    variable binary ""            ;# server executable, set by the worker
    variable tmp_root ""          ;# <repo>/tests/tmp, set by the worker
    variable io_threads 0         ;# --io-threads N (0: not requested)
    variable keep_tmp 0
    variable stack {}             ;# running servers (dicts), innermost last
    variable counter 0
    variable start_timeout_ms 10000
    variable stop_timeout_ms 10000
    # Lines (matched without case) that mean the server crashed or a
    # sanitizer complained, in stdout or stderr.
    variable crash_patterns {
        *crashed* *crash report* *assertion* *bug report* *guru meditation*
        *AddressSanitizer* *ThreadSanitizer* *LeakSanitizer* *UndefinedBehaviorSanitizer*
        *runtime error:*
    }
    variable known_options {tags overrides args config_lines expect_fail}
}

proc start_server {options body} {
    variable ::keel::server::stack
    set options [::keel::server::check_options $options]
    set tags [dict get $options tags]
    if {[::keel::test::excluded [concat {*}$::keel::test::tag_stack $tags]]} {
        return
    }
    set failures_before $::keel::test::failures
    lappend ::keel::test::tag_stack $tags
    set code [catch {
        if {[dict get $options expect_fail]} {
            set server [::keel::server::launch_failing $options]
        } else {
            set server [::keel::server::launch $options]
        }
    } result opts]
    if {$code != 0} {
        set ::keel::test::tag_stack [lrange $::keel::test::tag_stack 0 end-1]
        return -options $opts $result
    }

    lappend stack $server
    set code [catch {uplevel 1 $body} result opts]
    set stack [lrange $stack 0 end-1]
    set ::keel::test::tag_stack [lrange $::keel::test::tag_stack 0 end-1]

    set clean [::keel::server::stop_and_check $server]
    if {$clean && $::keel::test::failures == $failures_before} {
        ::keel::server::remove_dir $server
    }
    if {$code == 1 && [lrange [dict get $opts -errorcode] 0 1] eq {KEEL SKIP}} {
        ::keel::report::send skip "tests of the server block at [dict get $server where]" \
            $::keel::test::file [lindex [dict get $opts -errorcode] 2]
        return
    }
    if {$code == 1} {
        return -options $opts $result
    }
    return
}

# Returns the value of key for the server at level (0 = innermost).
proc srv {args} {
    switch -exact -- [llength $args] {
        1 { set level 0; set key [lindex $args 0] }
        2 { lassign $args level key }
        default { error "usage: srv ?level? key" }
    }
    set server [::keel::server::at_level $level]
    if {![dict exists $server $key]} {
        error "srv: unknown key '$key' (known: [dict keys $server])"
    }
    return [dict get $server $key]
}

# Sends a command with the default client of the server at ?level?.
proc r {args} {
    set level 0
    if {[string is integer -strict [lindex $args 0]]} {
        set level [lindex $args 0]
        set args [lrange $args 1 end]
    }
    set client [srv $level client]
    if {$client eq ""} {
        error "r: the server at level $level has no client (expect_fail server?)"
    }
    return [$client {*}$args]
}

# Closes the default client of the server at level and opens a new one.
proc reconnect {{level 0}} {
    variable ::keel::server::stack
    set idx [::keel::server::index_of_level $level]
    set server [lindex $stack $idx]
    set old [dict get $server client]
    if {$old ne "" && [info commands $old] ne ""} {
        $old close
    }
    set client [keel_client [dict get $server host] [dict get $server port]]
    lset stack $idx [dict replace $server client $client]
    return $client
}

# Sends a signal (TERM, INT, KILL, ...) to the server at level.
proc signal_server {sig {level 0}} {
    ::keel::process::signal [srv $level process] $sig
}

# Waits up to timeout_ms for the server at level to exit. Returns its exit
# status, or "" if it is still running.
proc wait_for_server_exit {{level 0} {timeout_ms 10000}} {
    return [::keel::process::wait_exit [srv $level process] $timeout_ms]
}

proc server_is_running {{level 0}} {
    return [expr {[::keel::process::exit_code [srv $level process]] eq ""}]
}

# Runs the server with a config meant to fail and waits (bounded) for it to
# exit. Options are those of start_server (tags excepted); here config_lines
# come first in the file, so line 1 is the first of them, and the option
# config_path makes the server read that path instead of a written file.
# Returns {exitcode stdout_text stderr_text}; exitcode is "running" if the
# server started and answered PING instead (it is then stopped).
proc start_server_and_fail {options} {
    set config_path ""
    if {[dict exists $options config_path]} {
        set config_path [dict get $options config_path]
        dict unset options config_path
    }
    set options [::keel::server::check_options $options]
    set port [::keel::server::fixed_port $options]
    if {$port eq ""} {
        set port [find_free_port]
    }
    set dir [::keel::server::make_dir]
    set conf [file join $dir keel.conf]
    ::keel::server::write_file $conf [::keel::server::config_text $options $port $dir 1]
    if {$config_path ne ""} {
        set conf $config_path
    }
    set rec [::keel::process::spawn $dir \
        [list $::keel::server::binary $conf {*}[dict get $options args]]]
    ::keel::report::send server-up [dict get $rec pid]
    set code [::keel::server::wait_exit_or_ready $rec $port]
    ::keel::report::send server-down [dict get $rec pid]
    set result [list $code \
        [::keel::server::read_text [dict get $rec stdout]] \
        [::keel::server::read_text [dict get $rec stderr]]]
    if {!$::keel::server::keep_tmp} {
        file delete -force $dir
    }
    return $result
}

# ---------------------------------------------------------------------------
# Internals
# ---------------------------------------------------------------------------

proc ::keel::server::check_options {options} {
    variable known_options
    if {[llength $options] % 2 != 0} {
        error "start_server: options must be a dict ({tags {...} overrides {...} ...})"
    }
    foreach key [dict keys $options] {
        if {$key ni $known_options} {
            error "start_server: unknown option '$key' (known: $known_options)"
        }
    }
    return [dict merge {tags {} overrides {} args {} config_lines {} expect_fail 0} $options]
}

proc ::keel::server::at_level {level} {
    variable stack
    return [lindex $stack [index_of_level $level]]
}

proc ::keel::server::index_of_level {level} {
    variable stack
    if {![string is integer -strict $level] || $level > 0} {
        error "server level must be 0 or negative, got '$level'"
    }
    set idx [expr {[llength $stack] - 1 + $level}]
    if {$idx < 0} {
        error "no server at level $level ([llength $stack] running)"
    }
    return $idx
}

# The port given with --port in args, or "" when the harness picks one.
proc ::keel::server::fixed_port {options} {
    set argv [dict get $options args]
    set idx [lsearch -exact $argv --port]
    if {$idx >= 0} {
        return [lindex $argv $idx+1]
    }
    return ""
}

# Starts a server and waits until it answers PING. Retries with another port
# when the chosen one was taken in the meantime. Returns the server dict.
proc ::keel::server::launch {options} {
    variable binary
    variable start_timeout_ms
    set fixed [fixed_port $options]
    for {set attempt 1} {1} {incr attempt} {
        set port [expr {$fixed ne "" ? $fixed : [find_free_port]}]
        set dir [make_dir]
        set conf [file join $dir keel.conf]
        write_file $conf [config_text $options $port $dir 0]
        set rec [::keel::process::spawn $dir [list $binary $conf {*}[dict get $options args]]]
        ::keel::report::send server-up [dict get $rec pid]
        lassign [wait_ready $rec $port] state client
        if {$state eq "ready"} {
            return [dict create \
                host 127.0.0.1 port $port pid [dict get $rec pid] \
                stdout [dict get $rec stdout] stderr [dict get $rec stderr] \
                config_file $conf dir $dir client $client process $rec \
                tags [dict get $options tags] where [::keel::test::where]]
        }
        lassign [::keel::process::stop $rec 2000] status
        ::keel::report::send server-down [dict get $rec pid]
        set log [read_text [dict get $rec stdout]][read_text [dict get $rec stderr]]
        if {$fixed eq "" && $attempt < 5 && [string match -nocase "*address already in use*" $log]} {
            file delete -force $dir
            continue
        }
        set why [expr {$state eq "exited"
            ? "exited with status $status during startup"
            : "did not answer PING within $start_timeout_ms ms"}]
        error "server $binary $conf $why\n[log_tail $rec 30]"
    }
}

# Starts a server expected to fail (start_server expect_fail 1). Returns a
# server dict without a client; exit_code holds the status.
proc ::keel::server::launch_failing {options} {
    variable binary
    set port [fixed_port $options]
    if {$port eq ""} {
        set port [find_free_port]
    }
    set dir [make_dir]
    set conf [file join $dir keel.conf]
    write_file $conf [config_text $options $port $dir 0]
    set rec [::keel::process::spawn $dir [list $binary $conf {*}[dict get $options args]]]
    ::keel::report::send server-up [dict get $rec pid]
    set code [wait_exit_or_ready $rec $port]
    ::keel::report::send server-down [dict get $rec pid]
    if {$code eq "running"} {
        error "server $binary $conf started although expect_fail was set\n[log_tail $rec 30]"
    }
    return [dict create \
        host 127.0.0.1 port $port pid [dict get $rec pid] \
        stdout [dict get $rec stdout] stderr [dict get $rec stderr] \
        config_file $conf dir $dir client "" process $rec exit_code $code \
        tags [dict get $options tags] where [::keel::test::where] expect_fail 1]
}

# Polls until the server answers PING (returns {ready client}), exits
# ({exited}) or the start timeout passes ({timeout}). Any reply but -LOADING
# counts as ready: a server with requirepass answers -NOAUTH.
proc ::keel::server::wait_ready {rec port} {
    variable start_timeout_ms
    set deadline [expr {[clock milliseconds] + $start_timeout_ms}]
    while {[clock milliseconds] < $deadline} {
        if {[::keel::process::exit_code $rec] ne ""} {
            return {exited}
        }
        if {![catch {keel_client 127.0.0.1 $port -timeout 2000} client]} {
            set failed [catch {$client ping} reply opts]
            if {!$failed || ([lrange [dict get $opts -errorcode] 0 1] eq {KEEL REPLY}
                             && ![string match "LOADING*" $reply])} {
                # This connection becomes the default client: give it the
                # usual read timeout rather than the probe's short one.
                ::keel::client::set_timeout $client $::keel::client::default_timeout_ms
                return [list ready $client]
            }
            $client close
        }
        after 10
    }
    return {timeout}
}

# Waits for a server that should fail to exit. Returns its exit status, or
# "running" (after stopping it) if it answered PING or outlived the timeout.
proc ::keel::server::wait_exit_or_ready {rec port} {
    variable start_timeout_ms
    set deadline [expr {[clock milliseconds] + $start_timeout_ms}]
    while {[clock milliseconds] < $deadline} {
        set code [::keel::process::exit_code $rec]
        if {$code ne ""} {
            return $code
        }
        if {![catch {keel_client 127.0.0.1 $port -timeout 1000} client]} {
            set answered [expr {![catch {$client ping}]}]
            $client close
            if {$answered} {
                break
            }
        }
        after 10
    }
    ::keel::process::stop $rec 2000
    return running
}

# Stops the server and checks how it ended. Reports a failure and returns 0
# if it crashed, exited non-zero or had to be killed; returns 1 otherwise.
proc ::keel::server::stop_and_check {server} {
    variable stop_timeout_ms
    ::keel::client::close_for_port [dict get $server host] [dict get $server port]
    set rec [dict get $server process]
    if {[dict exists $server expect_fail]} {
        return 1
    }
    lassign [::keel::process::stop $rec $stop_timeout_ms] status killed
    ::keel::report::send server-down [dict get $rec pid]
    set problems {}
    if {$killed} {
        lappend problems "did not exit within $stop_timeout_ms ms of SIGTERM and was killed"
    } elseif {$status != 0} {
        lappend problems "exited with status $status"
    }
    set crash [crash_lines $rec]
    if {$crash ne ""} {
        lappend problems "left a crash report:\n$crash"
    }
    if {[llength $problems] == 0} {
        return 1
    }
    ::keel::test::report_failure \
        "server started at [dict get $server where] stops cleanly" \
        "server on port [dict get $server port] [join $problems {; }]\n[log_tail $rec 30]"
    return 0
}

# Extra failure detail for a failing test: whether its server is gone.
proc ::keel::server::failure_context {} {
    variable stack
    if {[llength $stack] == 0} {
        return ""
    }
    set server [lindex $stack end]
    set status [::keel::process::exit_code [dict get $server process]]
    if {$status eq "" || [dict exists $server expect_fail]} {
        return ""
    }
    return "\n(the server on port [dict get $server port] has exited with status $status)\n[log_tail [dict get $server process] 20]"
}

proc ::keel::server::crash_lines {rec} {
    variable crash_patterns
    set found {}
    foreach path [list [dict get $rec stdout] [dict get $rec stderr]] {
        foreach line [split [read_text $path] \n] {
            foreach pattern $crash_patterns {
                if {[string match -nocase $pattern $line]} {
                    lappend found $line
                    break
                }
            }
        }
    }
    return [join [lrange $found 0 19] \n]
}

# The config file's text. With fail_layout, config_lines come first so their
# line numbers are predictable; otherwise they come last and win.
proc ::keel::server::config_text {options port dir fail_layout} {
    variable io_threads
    set base [list \
        "port $port" \
        "bind 127.0.0.1" \
        "dir \"$dir\"" \
        "logfile \"\"" \
        "daemonize no"]
    # Test servers do not save and keep no AOF unless a test asks (its
    # overrides come later).
    lappend base "save \"\"" "appendonly no"
    if {$io_threads > 0} {
        lappend base "io-threads $io_threads" "io-threads-always-active yes"
        # keel offloads only in loop turns with 2+ ready fds by default; 1
        # makes single-client tests go through the IO threads too.
        if {![string match *redis-server* [file tail $::keel::server::binary]]} {
            lappend base "io-threads-offload-min-events 1"
        }
    }
    if {$::keel::tls::enabled} {
        lappend base {*}[::keel::tls::server_config_lines $port]
    }
    set overrides {}
    foreach {name value} [dict get $options overrides] {
        if {$value eq ""} {
            set value {""}
        }
        lappend overrides "$name $value"
    }
    set extra [dict get $options config_lines]
    if {$fail_layout} {
        set lines [concat $extra $base $overrides]
    } else {
        set lines [concat \
            [list "# keel test server for $::keel::test::file (tests/helpers/server.tcl)"] \
            $base $overrides $extra]
    }
    return "[join $lines \n]\n"
}

proc ::keel::server::make_dir {} {
    variable tmp_root
    variable counter
    set name [string map {/ _} [file rootname $::keel::test::file]]
    set dir [file join $tmp_root "$name.[pid].[incr counter]"]
    file mkdir $dir
    return $dir
}

proc ::keel::server::remove_dir {server} {
    variable keep_tmp
    if {!$keep_tmp} {
        file delete -force [dict get $server dir]
    }
}

proc ::keel::server::write_file {path text} {
    set fd [open $path w]
    fconfigure $fd -translation binary
    puts -nonewline $fd $text
    close $fd
}

proc ::keel::server::read_text {path} {
    if {![file exists $path]} {
        return ""
    }
    return [::keel::process::read_file $path]
}

proc ::keel::server::log_tail {rec n} {
    set out [::keel::process::tail_file [dict get $rec stdout] $n]
    set err [::keel::process::tail_file [dict get $rec stderr] $n]
    set text ""
    if {[string trim $out] ne ""} {
        append text "--- last lines of [dict get $rec stdout] ---\n$out\n"
    }
    if {[string trim $err] ne ""} {
        append text "--- last lines of [dict get $rec stderr] ---\n$err\n"
    }
    if {$text eq ""} {
        return "(no output in [dict get $rec stdout] or [dict get $rec stderr])"
    }
    return [string trimright $text \n]
}
