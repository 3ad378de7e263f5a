# tests/helpers/log.tcl: looking at a server's log (its stdout file).
#
#   count_log_lines {*Ready to accept*} ?level?
#   wait_for_log_line {*SIGTERM*} ?timeout_ms? ?level?   -> the matching line
#   log_lines ?level?                                    -> all lines
#
# Patterns are globs matched against the whole line (string match), so most
# callers write *text*. Servers under test log to stdout (logfile ""), which
# server.tcl redirects to the file srv stdout.

proc log_lines {{level 0}} {
    set path [srv $level stdout]
    if {![file exists $path]} {
        return {}
    }
    return [split [string trimright [::keel::process::read_file $path] \n] \n]
}

proc count_log_lines {pattern {level 0}} {
    set count 0
    foreach line [log_lines $level] {
        if {[string match $pattern $line]} {
            incr count
        }
    }
    return $count
}

# Waits (polling every 10 ms, at most timeout_ms) for a line matching pattern
# and returns it; fails the running test with the log tail otherwise.
proc wait_for_log_line {pattern {timeout_ms 10000} {level 0}} {
    set deadline [expr {[clock milliseconds] + $timeout_ms}]
    while 1 {
        foreach line [log_lines $level] {
            if {[string match $pattern $line]} {
                return $line
            }
        }
        if {[clock milliseconds] >= $deadline} {
            break
        }
        after 10
    }
    set tail [join [lrange [log_lines $level] end-19 end] \n]
    ::keel::test::fail "no log line matching '$pattern' within $timeout_ms ms; last lines:\n$tail"
}
