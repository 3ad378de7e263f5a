# tests/helpers/assert.tcl: assertions and bounded waiting.
#
# Every failed assertion raises an error located at the calling test line
# (see ::keel::test::fail), which "test" reports as a failure. Waits are
# bounded by a number of tries: they make a test robust on a slow machine,
# they never assert how fast something happened.

namespace eval ::keel::assert {}

proc assert {condition {message ""}} {
    if {![uplevel 1 [list expr $condition]]} {
        if {$message eq ""} {
            set message "assertion failed: $condition"
        }
        ::keel::test::fail $message
    }
}

proc assert_equal {expected actual {context ""}} {
    if {$expected ne $actual} {
        ::keel::test::fail "Expected '$expected' but got '$actual'[::keel::assert::suffix $context]"
    }
}

proc assert_not_equal {unexpected actual {context ""}} {
    if {$unexpected eq $actual} {
        ::keel::test::fail "Expected anything but '$unexpected'[::keel::assert::suffix $context]"
    }
}

# Glob match (string match): the pattern must match the whole value.
proc assert_match {pattern value {context ""}} {
    if {![string match $pattern $value]} {
        ::keel::test::fail "Expected '$value' to match '$pattern'[::keel::assert::suffix $context]"
    }
}

proc assert_no_match {pattern value {context ""}} {
    if {[string match $pattern $value]} {
        ::keel::test::fail "Expected '$value' not to match '$pattern'[::keel::assert::suffix $context]"
    }
}

# Runs script in the caller and expects an error whose message matches the
# glob pattern. Returns the error message.
proc assert_error {pattern script} {
    if {![catch {uplevel 1 $script} message]} {
        ::keel::test::fail "Expected an error matching '$pattern' but got '$message'"
    }
    if {![string match $pattern $message]} {
        ::keel::test::fail "Expected an error matching '$pattern' but got '$message'"
    }
    return $message
}

# min <= value <= max, numerically.
proc assert_range {value min max {context ""}} {
    if {![string is double -strict $value] || $value < $min || $value > $max} {
        ::keel::test::fail "Expected '$value' to be between $min and $max[::keel::assert::suffix $context]"
    }
}

proc assert_lessthan {value limit {context ""}} {
    if {![string is double -strict $value] || !($value < $limit)} {
        ::keel::test::fail "Expected '$value' < $limit[::keel::assert::suffix $context]"
    }
}

proc assert_morethan {value limit {context ""}} {
    if {![string is double -strict $value] || !($value > $limit)} {
        ::keel::test::fail "Expected '$value' > $limit[::keel::assert::suffix $context]"
    }
}

# Evaluates condition up to maxtries times, sleeping delay_ms between tries,
# until it is true; otherwise runs else_script in the caller (usually a
# "fail" call). Both "wait_for_condition N MS {cond} {script}" and
# "wait_for_condition N MS {cond} else {script}" are accepted.
proc wait_for_condition {maxtries delay_ms condition args} {
    if {[lindex $args 0] eq "else"} {
        set args [lrange $args 1 end]
    }
    if {[llength $args] != 1} {
        error "usage: wait_for_condition maxtries delay_ms condition ?else? else_script"
    }
    for {set try 0} {$try < $maxtries} {incr try} {
        if {[uplevel 1 [list expr $condition]]} {
            return
        }
        after $delay_ms
    }
    uplevel 1 [lindex $args 0]
}

# Fails the running test with a message (for else scripts and custom checks).
proc fail {message} {
    ::keel::test::fail $message
}

proc ::keel::assert::suffix {context} {
    if {$context eq ""} {
        return ""
    }
    return " ($context)"
}
