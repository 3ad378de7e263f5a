# tests/helpers/test.tcl: the "test" command, skips, tag selection, and the
# file:line of a failure.
#
#   test "PING replies PONG" { assert_equal PONG [r ping] } ?{own tags}?
#   skip "reason"                 ;# inside a test: counts as skipped
#   skip_unless {condition} "reason"
#   file_tags {tls:skip}          ;# at the top of a file: tags all its tests
#
# A test's tags are its own plus those of every enclosing start_server. With
# --tags, a test runs when none of its tags is excluded and, if any tag was
# included, at least one of its tags is included; tests left out by tags are
# not reported at all. Results go to runtest through report.tcl.

namespace eval ::keel::test {
    variable file ""           ;# test file as shown in reports (unit/x.tcl)
    variable path ""           ;# absolute path, for frame lookups
    variable tag_stack {}      ;# one list of tags per enclosing start_server
    variable include_tags {}
    variable exclude_tags {}
    variable verbose 0
    variable failures 0        ;# failed tests in this worker so far
    variable current ""        ;# name of the running test, "" between tests
    variable current_line ""   ;# line of the running test's "test" command
}

proc test {name body {tags {}}} {
    variable ::keel::test::tag_stack
    if {![::keel::test::selected [concat {*}$tag_stack $tags]]} {
        return
    }
    set ::keel::test::current $name
    set ::keel::test::current_line [::keel::test::line_in_file]
    if {$::keel::test::verbose} {
        ::keel::report::send note "\[test\]: $name"
    }
    set started [clock milliseconds]
    set all_tags [concat {*}$tag_stack $tags]
    if {"keyspace" in $all_tags && ![::keel::test::server_has_keyspace]} {
        set body {skip "needs the keyspace (SET, GET, ...), which this server does not have yet"}
    }
    set code [catch {uplevel 1 $body} result opts]
    set ::keel::test::current ""
    if {$::keel::test::verbose} {
        ::keel::report::send note "\[time\]: [expr {[clock milliseconds] - $started}] ms"
    }
    switch -exact -- $code {
        0 - 2 { ::keel::test::report_ok $name }
        1 { ::keel::test::report_error $name $result $opts }
        default {
            ::keel::test::report_failure $name \
                "[::keel::test::where]: test body ended with break or continue"
        }
    }
    return
}

# Tags every test and server of the current file (e.g. tls:skip for a file
# about the plain TCP transport itself).
proc file_tags {tags} {
    lappend ::keel::test::tag_stack $tags
}

proc skip {reason} {
    return -code error -errorcode [list KEEL SKIP $reason] $reason
}

proc skip_unless {condition reason} {
    if {![uplevel 1 [list expr $condition]]} {
        skip $reason
    }
}

# True when the current server knows SET: tests tagged "keyspace" need it.
# Asked once per server (by port) with COMMAND INFO, and cached.
proc ::keel::test::server_has_keyspace {} {
    variable keyspace_known
    if {[catch {srv port} port]} {
        return 1
    }
    if {![info exists keyspace_known($port)]} {
        set known 1
        if {![catch {r command info set} reply]} {
            set known [expr {[lindex $reply 0] ne ""}]
        }
        set keyspace_known($port) $known
    }
    return $keyspace_known($port)
}

# True when a test with these tags should run.
proc ::keel::test::selected {tags} {
    variable include_tags
    variable exclude_tags
    if {[excluded $tags]} {
        return 0
    }
    if {[llength $include_tags] == 0} {
        return 1
    }
    foreach tag $tags {
        if {$tag in $include_tags} {
            return 1
        }
    }
    return 0
}

# True when any of these tags is excluded (a whole server block can be skipped).
proc ::keel::test::excluded {tags} {
    variable exclude_tags
    foreach tag $tags {
        if {$tag in $exclude_tags} {
            return 1
        }
    }
    return 0
}

proc ::keel::test::report_ok {name} {
    variable file
    ::keel::report::send ok $name $file
}

proc ::keel::test::report_error {name result opts} {
    variable file
    set errorcode [dict get $opts -errorcode]
    if {[lrange $errorcode 0 1] eq {KEEL SKIP}} {
        ::keel::report::send skip $name $file [lindex $errorcode 2]
        return
    }
    if {[lrange $errorcode 0 1] eq {KEEL ASSERT}} {
        report_failure $name $result
        return
    }
    # Any other error: the failing command's line comes from errorInfo, whose
    # last "uplevel" body line is the test body's own.
    set detail "[error_location [dict get $opts -errorinfo]]: $result"
    if {$::keel::test::verbose} {
        append detail "\n[dict get $opts -errorinfo]"
    }
    report_failure $name $detail
}

proc ::keel::test::report_failure {name detail} {
    variable file
    variable failures
    incr failures
    if {[info commands ::keel::server::failure_context] ne ""} {
        append detail [::keel::server::failure_context]
    }
    ::keel::report::send err $name $file $detail
}

# Raises an assertion failure located at the test file line that called the
# assertion. Used by assert.tcl.
proc ::keel::test::fail {message} {
    return -code error -errorcode [list KEEL ASSERT] "[where]: $message"
}

# Returns "file:line" of the innermost test file line on the call stack.
proc ::keel::test::where {} {
    variable file
    set line [line_in_file]
    if {$line eq ""} {
        return $file
    }
    return "$file:$line"
}

# Line in the test file of the innermost command running there, or "".
# Tcl reports lines inside an uplevel'd body relative to that body, so each
# "eval" frame below a test-file frame adds its offset to the line found so
# far (the body starts on the line of the command that received it).
proc ::keel::test::line_in_file {} {
    variable path
    set line ""
    set depth [info frame]
    for {set level 1} {$level < $depth} {incr level} {
        set frame [info frame $level]
        set type [dict get $frame type]
        if {$type eq "source" && [dict exists $frame file]
                && [dict get $frame file] eq $path} {
            set line [dict get $frame line]
        } elseif {$type eq "eval" && $line ne "" && [dict exists $frame line]} {
            set line [expr {$line + [dict get $frame line] - 1}]
        }
    }
    return $line
}

# Location of a plain error inside the running test, from its errorInfo.
proc ::keel::test::error_location {errorinfo} {
    variable file
    variable current_line
    set matches [regexp -all -inline {\("uplevel" body line (\d+)\)} $errorinfo]
    if {$current_line eq "" || [llength $matches] == 0} {
        return $file
    }
    return "$file:[expr {$current_line + [lindex $matches end] - 1}]"
}
