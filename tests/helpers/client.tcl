# tests/helpers/client.tcl: the test client, a command handle per connection.
#
#   set c [keel_client ?host? ?port? ?-resp 2|3? ?-timeout ms? ?-null value? ?-tls 0|1?]
#   $c ping                    ;# sends PING, returns the parsed reply
#   set rd [keel_deferring_client ...]
#   $rd ping; $rd read         ;# write now, read later
#
# Host and port default to the current server (srv host / srv port). A reply
# error raises a Tcl error whose message is the error text (errorCode
# {KEEL REPLY}). Push messages that arrive while a command waits for its reply
# are queued and returned, oldest first, by "$c read". Reads wait at most the
# client's timeout (default 30 s) and then raise an error, so a silent server
# fails one test instead of hanging the suite. Writes are blocking: an error
# such as a reset connection is raised by the write itself.
#
# Handle subcommands (everything else is sent as a command):
#   read, write_raw BYTES, read_raw_line, read_all_until_close ?timeout_ms?,
#   flush, channel, close
#
# This file must not know about servers beyond srv's host/port defaults; the
# server helpers close the clients of a server when it stops (close_for_port).

namespace eval ::keel::client {
    variable next_id 0
    variable state          ;# array: "$id,field" -> value
    variable wake           ;# array: id -> "readable" or "timeout" (vwait target)
    variable default_timeout_ms 30000
    # Commands whose normal replies are RESP3 pushes (pub/sub confirmations).
    variable push_reply_commands {
        subscribe unsubscribe psubscribe punsubscribe ssubscribe sunsubscribe
    }
}

proc keel_client {args} {
    return [::keel::client::create 0 $args]
}

proc keel_deferring_client {args} {
    return [::keel::client::create 1 $args]
}

# Opens a connection and returns its handle (a command name).
proc ::keel::client::create {deferred arglist} {
    variable next_id
    variable state
    variable default_timeout_ms
    set positional {}
    set opts [dict create -resp 2 -timeout $default_timeout_ms -null "" \
        -tls $::keel::tls::enabled]
    for {set i 0} {$i < [llength $arglist]} {incr i} {
        set arg [lindex $arglist $i]
        if {[string index $arg 0] eq "-" && [dict exists $opts $arg]} {
            dict set opts $arg [lindex $arglist [incr i]]
        } else {
            lappend positional $arg
        }
    }
    if {[llength $positional] > 2} {
        error "usage: keel_client ?host? ?port? ?-resp 2|3? ?-timeout ms? ?-null value? ?-tls 0|1?"
    }
    set host [expr {[llength $positional] > 0 ? [lindex $positional 0] : [srv host]}]
    set port [expr {[llength $positional] > 1 ? [lindex $positional 1] : [srv port]}]

    if {[dict get $opts -tls]} {
        set fd [::tls::socket {*}[::keel::tls::client_options] $host $port]
    } else {
        set fd [socket $host $port]
    }
    fconfigure $fd -translation binary -buffering full -blocking 0

    set id [incr next_id]
    set handle ::keel_client_$id
    array set state [list \
        $id,fd $fd $id,host $host $id,port $port $id,deferred $deferred \
        $id,timeout [dict get $opts -timeout] $id,null [dict get $opts -null] \
        $id,pushes {}]
    proc $handle {args} "::keel::client::dispatch $id {*}\$args"

    if {[dict get $opts -resp] == 3} {
        if {[catch {send_command $id [list HELLO 3]; wait_reply $id HELLO} err]} {
            close_handle $id
            error "HELLO 3 failed: $err"
        }
    } elseif {[dict get $opts -resp] != 2} {
        close_handle $id
        error "keel_client: -resp must be 2 or 3"
    }
    return $handle
}

# Changes a handle's read timeout (harness use; not a handle subcommand so
# that no server command name is shadowed).
proc ::keel::client::set_timeout {handle timeout_ms} {
    variable state
    set id [string range $handle [string length ::keel_client_] end]
    if {![info exists state($id,fd)]} {
        error "no open client $handle"
    }
    set state($id,timeout) $timeout_ms
}

proc ::keel::client::dispatch {id args} {
    variable state
    if {![info exists state($id,fd)]} {
        error "client $id is closed"
    }
    set sub [lindex $args 0]
    switch -exact -- $sub {
        read {
            set pushes $state($id,pushes)
            if {[llength $pushes] > 0} {
                set state($id,pushes) [lrange $pushes 1 end]
                return [lindex $pushes 0]
            }
            return [unwrap [read_frame $id]]
        }
        write_raw {
            write_bytes $id [lindex $args 1]
            return ""
        }
        read_raw_line { return [read_line $id] }
        read_all_until_close { return [read_until_close $id {*}[lrange $args 1 end]] }
        flush {
            flush_writes $id
            return ""
        }
        channel { return $state($id,fd) }
        close {
            close_handle $id
            return ""
        }
        default {
            send_command $id $args
            if {$state($id,deferred)} {
                return ""
            }
            return [wait_reply $id [string tolower $sub]]
        }
    }
}

# Reads replies until the one for the command just sent, queueing pushes that
# arrive first (unless the command itself answers with pushes).
proc ::keel::client::wait_reply {id command} {
    variable state
    variable push_reply_commands
    while 1 {
        set frame [read_frame $id]
        if {[lindex $frame 0] eq "push" && $command ni $push_reply_commands} {
            lappend state($id,pushes) [lindex $frame 1]
            continue
        }
        return [unwrap $frame]
    }
}

proc ::keel::client::unwrap {frame} {
    lassign $frame kind value
    if {$kind eq "error"} {
        return -code error -errorcode [list KEEL REPLY] $value
    }
    return $value
}

proc ::keel::client::read_frame {id} {
    variable state
    return [::keel::resp::read_reply [list ::keel::client::reader $id] $state($id,null)]
}

# The reader interface of resp.tcl.
proc ::keel::client::reader {id what {count 0}} {
    if {$what eq "line"} {
        return [read_line $id]
    }
    return [read_bytes $id $count]
}

proc ::keel::client::send_command {id argv} {
    write_bytes $id [::keel::resp::encode_command $argv]
}

proc ::keel::client::write_bytes {id bytes} {
    variable state
    set fd $state($id,fd)
    fconfigure $fd -blocking 1
    catch {
        puts -nonewline $fd $bytes
        flush $fd
    } err opts
    fconfigure $fd -blocking 0
    return -options $opts $err
}

proc ::keel::client::flush_writes {id} {
    variable state
    set fd $state($id,fd)
    fconfigure $fd -blocking 1
    catch {flush $fd} err opts
    fconfigure $fd -blocking 0
    return -options $opts $err
}

# Returns one line without its line ending; raises on close or timeout.
proc ::keel::client::read_line {id} {
    variable state
    set fd $state($id,fd)
    while 1 {
        if {[gets $fd line] >= 0} {
            if {[string index $line end] eq "\r"} {
                set line [string range $line 0 end-1]
            }
            return $line
        }
        if {[eof $fd]} {
            error "connection closed by server"
        }
        wait_readable $id $state($id,timeout)
    }
}

# Returns exactly count bytes; raises on close or timeout.
proc ::keel::client::read_bytes {id count} {
    variable state
    set fd $state($id,fd)
    set data ""
    while 1 {
        append data [read $fd [expr {$count - [string length $data]}]]
        if {[string length $data] == $count} {
            return $data
        }
        if {[eof $fd]} {
            error "connection closed by server after [string length $data] of $count bytes"
        }
        wait_readable $id $state($id,timeout)
    }
}

# Reads everything until the server closes the connection and returns it. A
# reset counts as a close. Raises if the connection is still open after
# timeout_ms, with what was read so far in the message.
proc ::keel::client::read_until_close {id {timeout_ms 5000}} {
    variable state
    set fd $state($id,fd)
    set deadline [expr {[clock milliseconds] + $timeout_ms}]
    set data ""
    while 1 {
        if {[catch {append data [read $fd]}]} {
            return $data ;# ECONNRESET and friends: the server closed on us
        }
        if {[eof $fd]} {
            return $data
        }
        set left [expr {$deadline - [clock milliseconds]}]
        if {$left <= 0 || [catch {wait_readable $id $left}]} {
            error "connection still open after $timeout_ms ms; received [string length $data]\
                   bytes: [string range $data 0 200]"
        }
    }
}

# Waits until the channel is readable, for at most timeout_ms.
proc ::keel::client::wait_readable {id timeout_ms} {
    variable state
    variable wake
    set fd $state($id,fd)
    set wake($id) ""
    fileevent $fd readable [list set ::keel::client::wake($id) readable]
    set timer [after $timeout_ms [list set ::keel::client::wake($id) timeout]]
    vwait ::keel::client::wake($id)
    after cancel $timer
    fileevent $fd readable {}
    if {$wake($id) eq "timeout"} {
        error "no reply from $state($id,host):$state($id,port) within $timeout_ms ms"
    }
}

proc ::keel::client::close_handle {id} {
    variable state
    if {![info exists state($id,fd)]} {
        return
    }
    catch {close $state($id,fd)}
    catch {rename ::keel_client_$id {}}
    array unset state $id,*
}

# Closes every client connected to host:port (used when that server stops).
proc ::keel::client::close_for_port {host port} {
    variable state
    foreach key [array names state *,port] {
        set id [lindex [split $key ,] 0]
        if {$state($id,port) == $port && $state($id,host) eq $host} {
            close_handle $id
        }
    }
}
