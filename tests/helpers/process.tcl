# tests/helpers/process.tcl: starts a server process and learns how it ended.
#
# Tcl's "exec ... &" cannot report a background process's exit status, so the
# server runs under a small /bin/sh wrapper that records the server's pid in
# DIR/pid and, once the server ends, its exit status in DIR/exitcode (written
# to a temporary name and renamed, so a reader never sees half a number).
# The status follows sh: 0-255 for a normal exit, 128+N after signal N.
#
# Process records are dicts: pid, stdout, stderr, pidfile, exitfile.
# Nothing here talks to the server; readiness checks live in server.tcl.

namespace eval ::keel::process {
    variable wrapper {
        out=$1; err=$2; pidfile=$3; exitfile=$4; shift 4
        "$@" </dev/null >"$out" 2>"$err" &
        echo $! >"$pidfile"
        wait $!
        echo $? >"$exitfile.tmp"
        mv "$exitfile.tmp" "$exitfile"
    }
}

# Starts argv with stdout and stderr going to DIR/stdout and DIR/stderr.
# Returns the process record once the pid is known.
proc ::keel::process::spawn {dir argv} {
    variable wrapper
    set rec [dict create \
        stdout [file join $dir stdout] stderr [file join $dir stderr] \
        pidfile [file join $dir pid] exitfile [file join $dir exitcode]]
    file delete [dict get $rec pidfile] [dict get $rec exitfile]
    exec /bin/sh -c $wrapper sh \
        [dict get $rec stdout] [dict get $rec stderr] \
        [dict get $rec pidfile] [dict get $rec exitfile] {*}$argv \
        </dev/null >/dev/null 2>/dev/null &
    # The wrapper writes the pid right after forking; a second is generous.
    for {set i 0} {$i < 1000} {incr i} {
        if {[file_size_or_zero [dict get $rec pidfile]] > 0} {
            break
        }
        after 1
    }
    set pid [string trim [read_file [dict get $rec pidfile]]]
    if {![string is integer -strict $pid]} {
        error "could not start [lindex $argv 0]: the wrapper wrote no pid"
    }
    dict set rec pid $pid
    return $rec
}

# Returns the exit status, or "" while the process runs.
proc ::keel::process::exit_code {rec} {
    set path [dict get $rec exitfile]
    if {![file exists $path]} {
        return ""
    }
    return [string trim [read_file $path]]
}

# Waits up to timeout_ms for the process to end. Returns its exit status, or
# "" if it is still running.
proc ::keel::process::wait_exit {rec timeout_ms} {
    set deadline [expr {[clock milliseconds] + $timeout_ms}]
    while 1 {
        set code [exit_code $rec]
        if {$code ne "" || [clock milliseconds] >= $deadline} {
            return $code
        }
        after 5
    }
}

# Sends a signal (TERM, INT, KILL, ...); a process already gone is not an error.
proc ::keel::process::signal {rec sig} {
    catch {exec kill -$sig [dict get $rec pid]}
}

# Stops the process: SIGTERM, then SIGKILL if it is still running after
# timeout_ms. Returns {status killed}: killed is 1 when SIGKILL was needed.
proc ::keel::process::stop {rec timeout_ms} {
    set code [exit_code $rec]
    if {$code ne ""} {
        return [list $code 0]
    }
    signal $rec TERM
    set code [wait_exit $rec $timeout_ms]
    if {$code ne ""} {
        return [list $code 0]
    }
    signal $rec KILL
    return [list [wait_exit $rec 10000] 1]
}

proc ::keel::process::read_file {path} {
    set fd [open $path r]
    fconfigure $fd -translation binary
    set data [read $fd]
    close $fd
    return $data
}

# Returns the last n lines of a file ("" if it does not exist).
proc ::keel::process::tail_file {path n} {
    if {![file exists $path]} {
        return ""
    }
    set lines [split [string trimright [read_file $path] \n] \n]
    return [join [lrange $lines end-[expr {$n - 1}] end] \n]
}

# [file size] that treats a missing file as empty.
proc ::keel::process::file_size_or_zero {path} {
    if {[catch {file size $path} size]} {
        return 0
    }
    return $size
}
