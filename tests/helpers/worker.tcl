# tests/helpers/worker.tcl: runs one test file in its own tclsh for runtest.
#
# Usage (runtest does this): tclsh worker.tcl CONFIG_DICT
# CONFIG_DICT keys: file (relative to tests/, e.g. unit/protocol.tcl), root
# (repo root), server, include_tags, exclude_tags, slot, baseport,
# io_threads, tls, verbose, keep_tmp.
#
# It loads the helpers, sources the test file and reports through
# report.tcl; it ends with a "done" message. An error that escapes every
# test (a server that would not start, a typo between tests) is reported as
# one failed test, and the rest of that file is not run.

set cfg [lindex $argv 0]
set helpers_dir [file dirname [file normalize [info script]]]
foreach helper {report resp tls client ports process test assert server info log} {
    source [file join $helpers_dir $helper.tcl]
}
fconfigure stdout -buffering line

set tests_dir [file join [dict get $cfg root] tests]
set ::keel::test::file [dict get $cfg file]
set ::keel::test::path [file normalize [file join $tests_dir [dict get $cfg file]]]
set ::keel::test::include_tags [dict get $cfg include_tags]
set ::keel::test::exclude_tags [dict get $cfg exclude_tags]
set ::keel::test::verbose [dict get $cfg verbose]
set ::keel::server::binary [dict get $cfg server]
set ::keel::server::tmp_root [file join $tests_dir tmp]
set ::keel::server::io_threads [dict get $cfg io_threads]
set ::keel::server::keep_tmp [dict get $cfg keep_tmp]
set ::keel::tls::enabled [dict get $cfg tls]
set ::keel::tls::cert_dir [file join $tests_dir tls]
::keel::ports::configure [dict get $cfg slot] [dict get $cfg baseport]
file mkdir $::keel::server::tmp_root

set code [catch {uplevel #0 [list source $::keel::test::path]} result opts]
if {$code == 1} {
    set errorcode [dict get $opts -errorcode]
    if {[lrange $errorcode 0 1] eq {KEEL SKIP}} {
        ::keel::report::send skip "remaining tests of the file" \
            $::keel::test::file [lindex $errorcode 2]
    } else {
        # Name the test file line of the failing top-level command; the
        # helper procs in between are noise except with --verbose.
        set trace [dict get $opts -errorinfo]
        set detail $result
        set marker "(file \"$::keel::test::path\" line "
        set at [string last $marker $trace]
        if {$at >= 0 && [scan [string range $trace $at+[string length $marker] end] %d line] == 1} {
            append detail "\n(raised by the command at $::keel::test::file:$line)"
        }
        if {$::keel::test::verbose} {
            append detail "\n$trace"
        }
        ::keel::test::report_failure "test file runs to the end" $detail
    }
}
::keel::report::send done
exit 0
