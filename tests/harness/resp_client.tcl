# tests/harness/resp_client.tcl: checks the test client itself (helpers/
# client.tcl, helpers/resp.tcl) against canned bytes from an in-process fake
# server, so a parser bug cannot hide behind a server bug.
#
# No server binary is started. The fake server answers every connection with
# fixed bytes as soon as it accepts it, and then keeps it open (or closes it
# when asked), which is all a reply parser needs.

namespace eval fake {
    variable listener ""
    variable port 0
    variable reply ""
    variable close_after 0
    variable conns {}
}

# Starts (once) the fake server; each later connection gets $reply.
proc fake::serve {reply {close_after 0}} {
    variable listener
    variable port
    set fake::reply $reply
    set fake::close_after $close_after
    if {$listener eq ""} {
        set port [find_free_port]
        set listener [socket -server fake::accept -myaddr 127.0.0.1 $port]
    }
    return $port
}

proc fake::accept {chan addr port} {
    variable reply
    variable close_after
    variable conns
    fconfigure $chan -translation binary -blocking 1
    puts -nonewline $chan $reply
    flush $chan
    if {$close_after} {
        close $chan
    } else {
        lappend conns $chan
    }
}

# Opens a client to the fake server after setting its canned reply.
proc fake::client {reply args} {
    set port [serve $reply]
    return [keel_client 127.0.0.1 $port -tls 0 {*}$args]
}

proc fake::reply_of {bytes args} {
    set c [client $bytes {*}$args]
    catch {$c ping} result options
    $c close
    return -options $options $result
}

test "Simple string reply is returned as its text" {
    assert_equal PONG [fake::reply_of "+PONG\r\n"]
}

test "Error reply raises a Tcl error with the error text" {
    assert_error "ERR unknown command 'x'" {fake::reply_of "-ERR unknown command 'x'\r\n"}
}

test "Error reply carries errorCode KEEL REPLY" {
    catch {fake::reply_of "-NOAUTH Authentication required.\r\n"} message options
    assert_equal {KEEL REPLY} [dict get $options -errorcode]
    assert_equal "NOAUTH Authentication required." $message
}

test "Integer reply is returned as a number" {
    assert_equal -42 [fake::reply_of ":-42\r\n"]
}

test "Bulk string may hold CR, LF and NUL bytes" {
    assert_equal "a\r\nb\0c" [fake::reply_of "\$6\r\na\r\nb\0c\r\n"]
}

test "Empty bulk string is an empty string" {
    assert_equal "" [fake::reply_of "\$0\r\n\r\n"]
}

test "RESP2 null bulk and null array read as the null value" {
    assert_equal "" [fake::reply_of "\$-1\r\n"]
    assert_equal "" [fake::reply_of "*-1\r\n"]
    assert_equal NIL [fake::reply_of "\$-1\r\n" -null NIL]
}

test "Nested arrays become nested lists" {
    assert_equal {a {1 {}} b} [fake::reply_of "*3\r\n\$1\r\na\r\n*2\r\n:1\r\n*0\r\n+b\r\n"]
}

test "RESP3 null reads as the null value" {
    assert_equal "" [fake::reply_of "_\r\n"]
    assert_equal {x NIL} [fake::reply_of "*2\r\n+x\r\n_\r\n" -null NIL]
}

test "RESP3 booleans read as 1 and 0" {
    assert_equal {1 0} [fake::reply_of "*2\r\n#t\r\n#f\r\n"]
}

test "RESP3 doubles and big numbers keep their text" {
    assert_equal {3.14 inf -inf 3492890328409238509324850943850943825024385} \
        [fake::reply_of "*4\r\n,3.14\r\n,inf\r\n,-inf\r\n(3492890328409238509324850943850943825024385\r\n"]
}

test "RESP3 verbatim string drops its format prefix" {
    assert_equal "Some string" [fake::reply_of "=15\r\ntxt:Some string\r\n"]
}

test "RESP3 map becomes a flat key/value list" {
    set reply [fake::reply_of "%2\r\n+first\r\n:1\r\n\$6\r\nsecond\r\n*1\r\n:2\r\n"]
    assert_equal {first 1 second 2} $reply
    assert_equal 1 [dict get $reply first]
}

test "RESP3 set becomes a list" {
    assert_equal {a b} [fake::reply_of "~2\r\n+a\r\n+b\r\n"]
}

test "RESP3 attribute before a reply is skipped" {
    assert_equal {real} [fake::reply_of "|1\r\n+key-popularity\r\n*2\r\n:1\r\n:2\r\n+real\r\n"]
}

test "RESP3 attribute inside an array is skipped" {
    assert_equal {1 2} [fake::reply_of "*2\r\n|1\r\n+a\r\n+b\r\n:1\r\n:2\r\n"]
}

test "RESP3 blob error raises with its text" {
    assert_error "SYNTAX invalid syntax" {fake::reply_of "!21\r\nSYNTAX invalid syntax\r\n"}
}

test "Error nested in an array is returned as text, not raised" {
    assert_equal {OK {ERR wrong type}} [fake::reply_of "*2\r\n+OK\r\n-ERR wrong type\r\n"]
}

test "Push arriving before a reply is queued and returned by read" {
    set c [fake::client ">3\r\n+message\r\n+ch\r\n+hello\r\n+PONG\r\n"]
    assert_equal PONG [$c ping]
    assert_equal {message ch hello} [$c read]
    $c close
}

test "Subscribe-style commands take a push as their own reply" {
    set c [fake::client ">3\r\n+subscribe\r\n+ch\r\n:1\r\n"]
    assert_equal {subscribe ch 1} [$c subscribe ch]
    $c close
}

test "Deferring client writes now and reads replies in order later" {
    set rd [keel_deferring_client 127.0.0.1 [fake::serve "+one\r\n+two\r\n"] -tls 0]
    assert_equal "" [$rd ping]
    assert_equal "" [$rd ping]
    assert_equal one [$rd read]
    assert_equal two [$rd read]
    $rd close
}

test "read_raw_line returns one line without CRLF" {
    set c [fake::client "+PONG\r\n:1\r\n"]
    $c write_raw "PING\r\n"
    assert_equal +PONG [$c read_raw_line]
    assert_equal :1 [$c read_raw_line]
    $c close
}

test "read_all_until_close returns everything up to the close" {
    set port [fake::serve "-ERR bye\r\n" 1]
    set c [keel_client 127.0.0.1 $port -tls 0]
    assert_equal "-ERR bye\r\n" [$c read_all_until_close]
    $c close
}

test "read_all_until_close fails when the connection stays open" {
    set c [fake::client "+hi\r\n"]
    assert_error "*still open after 100 ms*+hi*" {$c read_all_until_close 100}
    $c close
}

test "A silent server makes a read fail after the client timeout" {
    set c [fake::client "" -timeout 100]
    assert_error "*within 100 ms*" {$c ping}
    $c close
}

test "A server closing mid-reply makes the read fail" {
    set port [fake::serve "\$10\r\nabc" 1]
    set c [keel_client 127.0.0.1 $port -tls 0]
    assert_error "*connection closed*" {$c ping}
    $c close
}

test "Bytes that are not RESP raise a protocol error" {
    assert_error "*RESP protocol error*" {fake::reply_of "hello\r\n"}
}

test "A closed handle refuses further use" {
    set c [fake::client "+PONG\r\n"]
    $c close
    assert_error "*invalid command name*" {$c ping}
}

test "Requests are encoded as multibulk with byte lengths" {
    assert_equal "*2\r\n\$4\r\nECHO\r\n\$3\r\na b\r\n" [::keel::resp::encode_command {ECHO {a b}}]
    assert_equal "*1\r\n\$0\r\n\r\n" [::keel::resp::encode_command {{}}]
}

test "Assertion helpers report what they compared" {
    assert_error "*Expected 'a' but got 'b'*" {assert_equal a b}
    assert_error "*to match 'x\\*'*" {assert_match x* y}
    assert_error "*between 1 and 2*" {assert_range 3 1 2}
    assert_error "*Expected an error matching*" {assert_error "*" {set ok 1}}
}

test "Assertion failures name the test file and line" {
    catch {assert_equal 1 2} message
    assert_match "harness/resp_client.tcl:*: Expected '1' but got '2'" $message
}

test "wait_for_condition runs the else script when the condition stays false" {
    set ran 0
    wait_for_condition 3 1 {0} else { set ran 1 }
    assert_equal 1 $ran
    set ran 0
    wait_for_condition 3 1 {1} { set ran 1 }
    assert_equal 0 $ran
}

test "INFO helpers read fields, subfields and sections" {
    set info "# Server\r\nredis_version:7.0.15\r\n\r\n# Commandstats\r\ncmdstat_ping:calls=3,usec=5\r\n"
    assert_equal 7.0.15 [info_field $info redis_version]
    assert_equal "" [info_field $info missing]
    assert_equal 3 [info_subfield $info cmdstat_ping calls]
    assert_equal {Server Commandstats} [info_sections $info]
}

test "Report messages survive newlines and backslashes" {
    set fields [list err "a name" unit/x.tcl "line one\nline \\two\r\n"]
    set line [::keel::report::encode $fields]
    assert_equal -1 [string first \n $line]
    assert_equal $fields [::keel::report::decode $line]
}

if {$fake::listener ne ""} {
    close $fake::listener
}
