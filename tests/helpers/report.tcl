# tests/helpers/report.tcl: the line protocol between a test-file worker and
# runtest.
#
# A worker (tests/helpers/worker.tcl) runs one test file in its own tclsh and
# tells the parent what happened by printing marked lines on stdout. Each
# message is a Tcl list on one line: backslashes, newlines and carriage
# returns are escaped so a multi-line failure detail stays one line. Anything
# a test prints without the marker is passed through as plain output.
#
# Messages (first element is the kind):
#   ok NAME FILE            a test passed
#   err NAME FILE DETAIL    a test failed; DETAIL may span lines
#   skip NAME FILE REASON   a test was skipped on purpose
#   note TEXT               progress text, shown with --verbose
#   server-up PID           a server was started (killed by runtest if the
#   server-down PID           worker dies before stopping it)
#   done                    the worker reached the end of the file

namespace eval ::keel::report {
    variable marker "@@keel@@ "
}

# Returns the one-line form of the message made of the given fields.
proc ::keel::report::encode {fields} {
    variable marker
    return "$marker[string map [list \\ \\\\ \n \\n \r \\r] $fields]"
}

# Returns the fields of a marked line, or raises an error if the line is not
# a message (plain output); callers check with is_message first.
proc ::keel::report::decode {line} {
    variable marker
    set body [string range $line [string length $marker] end]
    # The escaped backslash is listed first so "\\n" decodes to "\" + "n".
    return [string map [list \\\\ \\ \\n \n \\r \r] $body]
}

proc ::keel::report::is_message {line} {
    variable marker
    return [string equal -length [string length $marker] $marker $line]
}

# Prints one message for the parent. Used by the worker side only.
proc ::keel::report::send {args} {
    puts stdout [encode $args]
    flush stdout
}
