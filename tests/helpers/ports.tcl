# tests/helpers/ports.tcl: free TCP port allocation for servers under test.
#
# runtest gives each parallel worker a slot number; slot N owns the ports
# [base + N*span, base + (N+1)*span), so two workers of one run never hand out
# the same port. Inside its range a worker walks forward (wrapping) and only
# returns a port it could bind itself on 127.0.0.1, which also steps around
# ports held by other programs. There is still a window between this check and
# the server's own bind: start_server retries with another port when the
# server reports the address in use.

namespace eval ::keel::ports {
    variable base 24000
    variable span 400
    variable slot 0
    variable next 0
}

proc ::keel::ports::configure {slot base} {
    variable span
    set ::keel::ports::slot $slot
    set ::keel::ports::base $base
    set ::keel::ports::next 0
    if {$base + ($slot + 1) * $span > 65535} {
        error "port range for worker slot $slot exceeds 65535 (base $base)"
    }
}

# Returns a port that was free a moment ago; raises if the range is exhausted.
proc find_free_port {} {
    variable ::keel::ports::base
    variable ::keel::ports::span
    variable ::keel::ports::slot
    variable ::keel::ports::next
    set first [expr {$base + $slot * $span}]
    for {set tries 0} {$tries < $span} {incr tries} {
        set port [expr {$first + $next}]
        set next [expr {($next + 1) % $span}]
        if {![catch {socket -server ::keel::ports::refuse -myaddr 127.0.0.1 $port} listener]} {
            close $listener
            return $port
        }
    }
    error "no free port in $first..[expr {$first + $span - 1}]"
}

proc ::keel::ports::refuse {channel args} {
    close $channel
}
