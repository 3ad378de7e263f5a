# tests/helpers/resp.tcl: RESP2/RESP3 request encoding and reply parsing.
#
# Pure protocol code: it never opens sockets. The parser pulls bytes through
# a reader command prefix given by the caller ({*}$reader line, returning one
# line without its CRLF, and {*}$reader bytes N, returning exactly N bytes),
# so the client (client.tcl) owns buffering and timeouts.
#
# Values are byte strings (Tcl characters 0-255): requests are sent as given
# and replies are returned undecoded. Tests that mean UTF-8 text convert it
# with [encoding convertto utf-8].
#
# Reply mapping: simple strings, bulk strings, verbatim strings (format prefix
# such as "txt:" dropped), integers, doubles and big numbers become strings;
# booleans become 1/0; nulls become the caller's null value ("" by default);
# arrays, sets and pushes become lists; maps become flat key/value lists;
# attributes are read and dropped. Errors nested inside an aggregate become
# their text; only a top-level error is reported as kind "error".

namespace eval ::keel::resp {}

# Returns the multibulk encoding of one command (a list of arguments).
proc ::keel::resp::encode_command {argv} {
    set out "*[llength $argv]\r\n"
    foreach arg $argv {
        append out "\$[string length $arg]\r\n$arg\r\n"
    }
    return $out
}

# Reads one reply. Returns a two-element list {kind value}: kind is "value",
# "error" (value is the error text without the leading "-") or "push"
# (value is the list of push elements). Raises an error on bytes that are
# not RESP.
proc ::keel::resp::read_reply {reader {null ""}} {
    set line [{*}$reader line]
    set type [string index $line 0]
    switch -exact -- $type {
        - { return [list error [string range $line 1 end]] }
        ! { return [list error [read_blob $reader [string range $line 1 end] $line]] }
        > {
            set count [parse_length [string range $line 1 end] $line]
            set items {}
            for {set i 0} {$i < $count} {incr i} {
                lappend items [read_value $reader $null]
            }
            return [list push $items]
        }
        | {
            skip_attribute $reader [string range $line 1 end] $line $null
            return [read_reply $reader $null]
        }
        default { return [list value [parse_line $reader $line $null]] }
    }
}

# Reads one reply nested inside an aggregate and returns its value.
proc ::keel::resp::read_value {reader null} {
    set line [{*}$reader line]
    set type [string index $line 0]
    switch -exact -- $type {
        - { return [string range $line 1 end] }
        ! { return [read_blob $reader [string range $line 1 end] $line] }
        | {
            skip_attribute $reader [string range $line 1 end] $line $null
            return [read_value $reader $null]
        }
        > {
            set count [parse_length [string range $line 1 end] $line]
            set items {}
            for {set i 0} {$i < $count} {incr i} {
                lappend items [read_value $reader $null]
            }
            return $items
        }
        default { return [parse_line $reader $line $null] }
    }
}

# Decodes a reply whose type line has been read; errors, pushes and
# attributes are handled by the callers above.
proc ::keel::resp::parse_line {reader line null} {
    set type [string index $line 0]
    set rest [string range $line 1 end]
    switch -exact -- $type {
        + - : - , - ( { return $rest }
        _ { return $null }
        # {
            if {$rest eq "t"} { return 1 }
            if {$rest eq "f"} { return 0 }
            error "RESP protocol error: bad boolean '$line'"
        }
        $ {
            if {$rest eq "-1"} { return $null }
            return [read_blob $reader $rest $line]
        }
        = {
            # Verbatim string: "fmt:" followed by the text.
            return [string range [read_blob $reader $rest $line] 4 end]
        }
        * - ~ {
            if {$rest eq "-1"} { return $null }
            set count [parse_length $rest $line]
            set items {}
            for {set i 0} {$i < $count} {incr i} {
                lappend items [read_value $reader $null]
            }
            return $items
        }
        % {
            set count [parse_length $rest $line]
            set items {}
            for {set i 0} {$i < $count} {incr i} {
                lappend items [read_value $reader $null] [read_value $reader $null]
            }
            return $items
        }
        default {
            error "RESP protocol error: unexpected reply line '[string range $line 0 80]'"
        }
    }
}

# Reads a length-prefixed payload and its trailing CRLF.
proc ::keel::resp::read_blob {reader len_text line} {
    set len [parse_length $len_text $line]
    set data [{*}$reader bytes [expr {$len + 2}]]
    if {[string range $data end-1 end] ne "\r\n"} {
        error "RESP protocol error: payload of '$line' not followed by CRLF"
    }
    return [string range $data 0 end-2]
}

proc ::keel::resp::skip_attribute {reader len_text line null} {
    set count [parse_length $len_text $line]
    for {set i 0} {$i < 2 * $count} {incr i} {
        read_value $reader $null
    }
}

proc ::keel::resp::parse_length {text line} {
    if {![string is entier -strict $text] || $text < 0} {
        error "RESP protocol error: bad length in '[string range $line 0 80]'"
    }
    return $text
}
