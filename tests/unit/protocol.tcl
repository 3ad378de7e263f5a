# tests/unit/protocol.tcl: the RESP wire protocol as clients see it.
#
# Covers PING/ECHO, inline commands, pipelining, RESP3 through HELLO, and
# every protocol error: the exact reply text and that the server closes the
# connection after it. Error texts are Valkey's (checked against Debian's
# redis-server 7.0, which shares them). Uses only core commands.

# Writes bytes on a fresh connection and returns everything the server sent
# before closing it. A write that fails because the server already closed
# is expected for oversized requests.
proc reply_before_close {bytes} {
    set c [keel_client]
    catch {$c write_raw $bytes}
    set data [$c read_all_until_close]
    $c close
    return $data
}

# Writes bytes on a fresh connection and returns the first reply line; the
# connection must still be open afterwards (checked with a PING).
proc first_line_keeping_open {bytes} {
    set c [keel_client]
    $c write_raw $bytes
    set line [$c read_raw_line]
    $c write_raw "PING\r\n"
    while {[set next [$c read_raw_line]] ne "+PONG"} {}
    $c close
    return $line
}

proc multibulk {args} {
    return [::keel::resp::encode_command $args]
}

start_server {tags {protocol}} {
    test "PING replies PONG" {
        assert_equal PONG [r ping]
    }

    test "PING with an argument replies that argument as a bulk string" {
        assert_equal "hello world" [r ping "hello world"]
        set c [keel_client]
        $c write_raw [multibulk PING hi]
        assert_equal {$2} [$c read_raw_line]
        assert_equal hi [$c read_raw_line]
        $c close
    }

    test "PING with two arguments is an arity error" {
        assert_error "ERR wrong number of arguments for 'ping' command" {r ping a b}
    }

    test "ECHO returns its argument byte for byte" {
        set value "a b\r\nc\0d\xff"
        assert_equal $value [r echo $value]
        assert_equal "" [r echo ""]
    }

    test "ECHO without an argument is an arity error" {
        assert_error "ERR wrong number of arguments for 'echo' command" {r echo}
    }

    test "ECHO with two arguments is an arity error" {
        assert_error "ERR wrong number of arguments for 'echo' command" {r echo a b}
    }

    test "Command names are case-insensitive" {
        assert_equal PONG [r PiNg]
        assert_equal x [r EcHo x]
    }

    test "Unknown command error quotes the command and its first arguments" {
        catch {r foo a b} message
        assert_equal "ERR unknown command 'foo', with args beginning with: 'a' 'b' " $message
    }

    test "Unknown command without arguments ends the error with a space" {
        catch {r foo} message
        assert_equal "ERR unknown command 'foo', with args beginning with: " $message
    }

    test "Unknown command error quotes at most 128 bytes of arguments" {
        catch {r foo [string repeat a 200]} message
        assert_equal "ERR unknown command 'foo', with args beginning with: '[string repeat a 128]' " $message
        catch {r foo [string repeat a 100] [string repeat b 100]} message
        assert_equal "ERR unknown command 'foo', with args beginning with:\
            '[string repeat a 100]' '[string repeat b 25]' " $message
    }

    test "Unknown command error quotes at most 128 bytes of the name" {
        catch {r [string repeat f 200]} message
        assert_equal "ERR unknown command '[string repeat f 128]', with args beginning with: " $message
    }

    test "An empty command name is an unknown command" {
        assert_equal "-ERR unknown command '', with args beginning with: " \
            [first_line_keeping_open "*1\r\n\$0\r\n\r\n"]
    }

    test "Wrong number of arguments names the command" {
        assert_error "ERR wrong number of arguments for 'get' command" {r get}
    } {keyspace}

    test "Wrong number of arguments for a subcommand names command|subcommand" {
        assert_error "ERR wrong number of arguments for 'client|setname' command" {r client setname}
    }

    test "Unknown command and arity errors keep the connection open" {
        set c [keel_client]
        catch {$c foo}
        catch {$c echo}
        assert_equal PONG [$c ping]
        $c close
    }

    test "TIME returns unix seconds and microseconds" {
        set reply [r time]
        assert_equal 2 [llength $reply]
        lassign $reply seconds micros
        assert [string is entier -strict $seconds]
        assert_range $micros 0 999999
        assert_morethan $seconds 1600000000
    }

    test "TIME with an argument is an arity error" {
        assert_error "ERR wrong number of arguments for 'time' command" {r time x}
    }

    test "QUIT replies OK and closes the connection" {
        assert_equal "+OK\r\n" [reply_before_close "QUIT\r\n"]
    }

    test "Commands pipelined after QUIT are not executed" {
        assert_equal "+OK\r\n" [reply_before_close "[multibulk QUIT][multibulk PING]"]
    }

    # ---- inline commands -------------------------------------------------

    test "Inline PING replies +PONG" {
        assert_equal +PONG [first_line_keeping_open "PING\r\n"]
    }

    test "Inline commands accept a bare LF as line end" {
        set c [keel_client]
        $c write_raw "PING\nECHO x\n"
        assert_equal +PONG [$c read_raw_line]
        assert_equal x [$c read]
        $c close
    }

    test "Inline commands ignore surrounding spaces" {
        assert_equal +PONG [first_line_keeping_open "   PING   \r\n"]
    }

    test "Inline empty lines are ignored" {
        assert_equal +PONG [first_line_keeping_open "\r\n\r\n   \r\nPING\r\n"]
    }

    test "Inline double quotes keep spaces inside one argument" {
        set c [keel_client]
        $c write_raw "ECHO \"a b\"\r\n"
        assert_equal "a b" [$c read]
        $c close
    }

    test "Inline double quotes decode backslash escapes" {
        set c [keel_client]
        $c write_raw "ECHO \"a\\x41\\n\\t\\\\\\\"\"\r\n"
        assert_equal "aA\n\t\\\"" [$c read]
        $c close
    }

    test "Inline single quotes keep backslashes except before a quote" {
        set c [keel_client]
        $c write_raw "ECHO 'a\\x41'\r\n"
        assert_equal "a\\x41" [$c read]
        $c write_raw "ECHO 'a\\'b'\r\n"
        assert_equal "a'b" [$c read]
        $c close
    }

    test "Inline empty quotes are an empty argument" {
        set c [keel_client]
        $c write_raw "ECHO \"\"\r\n"
        assert_equal "" [$c read]
        $c close
    }

    test "Inline unbalanced double quote is a protocol error that closes the connection" {
        assert_equal "-ERR Protocol error: unbalanced quotes in request\r\n" \
            [reply_before_close "ECHO \"a b\r\n"]
    }

    test "Inline closing quote followed by a non-space counts as unbalanced" {
        assert_equal "-ERR Protocol error: unbalanced quotes in request\r\n" \
            [reply_before_close "ECHO \"a\"b\r\n"]
    }

    test "Inline request over 64 KiB without a newline is refused" {
        assert_equal "-ERR Protocol error: too big inline request\r\n" \
            [reply_before_close [string repeat x 70000]]
    }

    test "Unknown inline command gets the usual unknown command error" {
        assert_equal "-ERR unknown command 'foo', with args beginning with: 'a' 'b' " \
            [first_line_keeping_open "foo a b\r\n"]
    }

    # ---- multibulk errors ------------------------------------------------

    test "Multibulk count that is not a number is a protocol error" {
        assert_equal "-ERR Protocol error: invalid multibulk length\r\n" \
            [reply_before_close "*abc\r\n"]
    }

    test "Multibulk count above 2147483647 is a protocol error" {
        assert_equal "-ERR Protocol error: invalid multibulk length\r\n" \
            [reply_before_close "*2147483648\r\n"]
    }

    test "Multibulk count line ended by a bare LF is a protocol error" {
        assert_equal "-ERR Protocol error: invalid multibulk length\r\n" \
            [reply_before_close "*1\n\$4\r\nPING\r\n"]
    }

    test "Negative or zero multibulk count is ignored and the connection stays usable" {
        assert_equal +PONG [first_line_keeping_open "*-10\r\nPING\r\n"]
        assert_equal +PONG [first_line_keeping_open "*0\r\nPING\r\n"]
    }

    test "Multibulk count string over 64 KiB is refused" {
        assert_equal "-ERR Protocol error: too big mbulk count string\r\n" \
            [reply_before_close "*[string repeat 1 70000]"]
    }

    test "Bulk header that does not start with a dollar sign is a protocol error" {
        assert_equal "-ERR Protocol error: expected '\$', got 'x'\r\n" \
            [reply_before_close "*1\r\nx\r\n"]
    }

    test "Bulk length that is not a number is a protocol error" {
        assert_equal "-ERR Protocol error: invalid bulk length\r\n" \
            [reply_before_close "*1\r\n\$abc\r\n"]
    }

    test "Negative bulk length is a protocol error" {
        assert_equal "-ERR Protocol error: invalid bulk length\r\n" \
            [reply_before_close "*1\r\n\$-1\r\n"]
        assert_equal "-ERR Protocol error: invalid bulk length\r\n" \
            [reply_before_close "*1\r\n\$-10\r\n"]
    }

    test "Bulk count string over 64 KiB is refused" {
        assert_equal "-ERR Protocol error: too big bulk count string\r\n" \
            [reply_before_close "*1\r\n\$[string repeat 1 70000]"]
    }

    test "Bulk length above the default proto-max-bulk-len (512mb) is refused" {
        assert_equal "-ERR Protocol error: invalid bulk length\r\n" \
            [reply_before_close "*1\r\n\$536870913\r\n"]
    }

    test "Replies to commands before a protocol error are still delivered" {
        assert_equal "+PONG\r\n-ERR Protocol error: expected '\$', got 'x'\r\n" \
            [reply_before_close "[multibulk PING]*1\r\nx\r\n"]
    }

    test "A protocol error on one connection leaves the others working" {
        set other [keel_client]
        reply_before_close "*abc\r\n"
        assert_equal PONG [$other ping]
        $other close
    }

    test "proto-max-bulk-len refuses values below 1mb" {
        assert_error "ERR CONFIG SET failed (possibly related to argument 'proto-max-bulk-len')\
            - argument must be between 1048576 and 9223372036854775807 inclusive" \
            {r config set proto-max-bulk-len 1048575}
    }

    test "Bulk length above proto-max-bulk-len is refused, the limit itself is accepted" {
        r config set proto-max-bulk-len 1mb
        assert_equal "-ERR Protocol error: invalid bulk length\r\n" \
            [reply_before_close "*2\r\n\$4\r\nECHO\r\n\$1048577\r\n"]
        set value [string repeat v 1048576]
        set c [keel_client]
        assert_equal $value [$c echo $value]
        $c close
        r config set proto-max-bulk-len 512mb
    }

    test "A client over client-query-buffer-limit is closed while others keep working" {
        r config set client-query-buffer-limit 1mb
        r config set proto-max-bulk-len 4mb
        set other [keel_client]
        # A 3 MB argument of which 2 MB arrive: the buffer passes 1 MB first.
        set partial "*2\r\n\$4\r\nECHO\r\n\$3000000\r\n[string repeat x 2000000]"
        assert_equal "" [reply_before_close $partial]
        assert_equal PONG [$other ping]
        wait_for_log_line "*Closing client that reached max query buffer length*"
        $other close
        r config set client-query-buffer-limit 1gb
        r config set proto-max-bulk-len 512mb
    }

    # ---- pipelining ------------------------------------------------------

    test "10000 commands pipelined in one write get every reply in order" {
        set batch ""
        for {set i 0} {$i < 10000} {incr i} {
            append batch [multibulk ECHO "value-$i"]
        }
        set rd [keel_deferring_client]
        $rd write_raw $batch
        set wrong {}
        for {set i 0} {$i < 10000} {incr i} {
            set reply [$rd read]
            if {$reply ne "value-$i" && [llength $wrong] < 5} {
                lappend wrong "#$i: $reply"
            }
        }
        assert_equal {} $wrong
        assert_equal PONG [$rd ping; $rd read]
        $rd close
    }

    test "Pipelined inline and multibulk commands are answered in order" {
        set rd [keel_deferring_client]
        $rd write_raw "PING\r\n[multibulk ECHO a]ECHO b\r\n[multibulk PING c]"
        assert_equal {PONG a b c} [list [$rd read] [$rd read] [$rd read] [$rd read]]
        $rd close
    }

    test "A command split across many writes is executed once complete" {
        set c [keel_client]
        foreach byte [split [multibulk ECHO split] ""] {
            $c write_raw $byte
        }
        assert_equal split [$c read]
        $c close
    }

    test "A client that closes mid-pipeline does not disturb other clients" {
        set batch ""
        for {set i 0} {$i < 10000} {incr i} {
            append batch [multibulk ECHO [string repeat x 100]]
        }
        set before [info_field [r info clients] connected_clients]
        set gone [keel_client]
        $gone write_raw $batch
        $gone close
        assert_equal PONG [r ping]
        wait_for_condition 100 20 {
            [info_field [r info clients] connected_clients] == $before
        } else {
            fail "connected_clients did not drop back to $before"
        }
    }

    test "A client killed mid-pipeline is closed and other clients keep working" {
        set value [string repeat y 1000]
        set batch ""
        for {set i 0} {$i < 2000} {incr i} {
            append batch [multibulk ECHO $value]
        }
        set victim [keel_client]
        set id [$victim client id]
        $victim write_raw $batch
        assert_equal 1 [r client kill id $id]
        set received [$victim read_all_until_close]
        $victim close
        # Whatever arrived before the kill is a prefix of the full reply stream.
        set expected [string repeat "\$1000\r\n$value\r\n" 2000]
        assert_equal [string range $expected 0 [string length $received]-1] $received
        assert_equal PONG [r ping]
    }

    # ---- RESP3 and HELLO -------------------------------------------------

    test "HELLO 3 replies a map with server, version, proto, id, mode, role, modules" {
        set c [keel_client]
        set hello [$c hello 3]
        assert_equal {server version proto id mode role modules} [dict keys $hello]
        assert_equal 3 [dict get $hello proto]
        assert_equal [$c client id] [dict get $hello id]
        assert_equal standalone [dict get $hello mode]
        assert_equal master [dict get $hello role]
        assert_match {[0-9]*.[0-9]*.[0-9]*} [dict get $hello version]
        assert_not_equal "" [dict get $hello server]
        $c close
    }

    test "HELLO 3 reply is framed as a RESP3 map" {
        set c [keel_client]
        $c write_raw "HELLO 3\r\n"
        assert_equal "%7" [$c read_raw_line]
        $c close
    }

    test "After HELLO 3 a null reply is the RESP3 null" {
        set c [keel_client]
        $c write_raw "CLIENT GETNAME\r\n"
        assert_equal {$-1} [$c read_raw_line]
        $c hello 3
        $c write_raw "CLIENT GETNAME\r\n"
        assert_equal "_" [$c read_raw_line]
        $c close
    }

    test "After HELLO 3 CONFIG GET replies a map, after HELLO 2 an array" {
        set c [keel_client]
        $c hello 3
        $c write_raw [multibulk CONFIG GET port]
        assert_equal "%1" [$c read_raw_line]
        $c read_raw_line; $c read_raw_line; $c read_raw_line; $c read_raw_line
        $c hello 2
        $c write_raw [multibulk CONFIG GET port]
        assert_equal "*2" [$c read_raw_line]
        $c close
    }

    test "HELLO 2 replies the same fields as a flat array" {
        set c [keel_client]
        $c write_raw "HELLO 2\r\n"
        assert_equal "*14" [$c read_raw_line]
        $c close
        set c [keel_client]
        set hello [$c hello 2]
        assert_equal {server version proto id mode role modules} [dict keys $hello]
        assert_equal 2 [dict get $hello proto]
        $c close
    }

    test "HELLO without a version reports the current protocol" {
        set c [keel_client -resp 3]
        assert_equal 3 [dict get [$c hello] proto]
        $c close
        set c [keel_client]
        assert_equal 2 [dict get [$c hello] proto]
        $c close
    }

    test "HELLO with an unsupported version replies NOPROTO and keeps the protocol" {
        set c [keel_client]
        assert_error "NOPROTO unsupported protocol version" {$c hello 4}
        assert_error "NOPROTO unsupported protocol version" {$c hello 1}
        assert_error "NOPROTO unsupported protocol version" {$c hello 0}
        assert_equal 2 [dict get [$c hello] proto]
        $c close
    }

    test "HELLO with a version that is not a number is an error" {
        assert_error "ERR Protocol version is not an integer or out of range" {r hello three}
    }

    test "HELLO with an unknown option is a syntax error naming it" {
        assert_error "ERR Syntax error in HELLO option 'bogus'" {r hello 3 bogus}
        assert_error "ERR Syntax error in HELLO option 'auth'" {r hello 3 auth default}
    }

    test "HELLO SETNAME names the connection" {
        set c [keel_client]
        $c hello 2 setname proto-test
        assert_equal proto-test [$c client getname]
        $c close
    }

    test "HELLO SETNAME with a space is refused" {
        assert_error "ERR Client names cannot contain spaces, newlines or special characters." \
            {r hello 2 setname "a b"}
    }
}

start_server {tags {protocol debug} overrides {enable-debug-command yes}} {
    # DEBUG PROTOCOL makes the server send each RESP3 type, which checks the
    # server's encoders and this client's parser together.
    test "RESP3 types arrive as the documented values" {
        set c [keel_client -resp 3]
        assert_equal "Hello World" [$c debug protocol string]
        assert_equal 12345 [$c debug protocol integer]
        assert_equal 3.141 [$c debug protocol double]
        assert_equal 1234567999999999999999999999999999999 [$c debug protocol bignum]
        assert_equal "" [$c debug protocol null]
        assert_equal 1 [$c debug protocol true]
        assert_equal 0 [$c debug protocol false]
        assert_equal {0 1 2} [$c debug protocol array]
        assert_equal {0 1 2} [$c debug protocol set]
        assert_equal {0 0 1 1 2 0} [$c debug protocol map]
        assert_equal "This is a verbatim\nstring" [$c debug protocol verbatim]
        $c close
    }

    test "RESP3 attribute is skipped and push is queued by the client" {
        set c [keel_client -resp 3]
        assert_equal "Some real reply following the attribute" [$c debug protocol attrib]
        assert_equal "Some real reply following the push reply" [$c debug protocol push]
        assert_equal {server-cpu-usage 42} [$c read]
        $c close
    }

    test "DEBUG PROTOCOL with an unknown type lists the types" {
        assert_error "ERR Wrong protocol type name. Please use one of the following: string|integer|double|bignum|null|array|set|map|attrib|push|verbatim|true|false" {
            r debug protocol nosuch
        }
    }

    test "DEBUG PROTOCOL push is refused on a RESP2 connection" {
        set c [keel_client]
        assert_error "ERR RESP2 is not supported by this command" {$c debug protocol push}
        assert_equal PONG [$c ping]
        $c close
    }

    test "RESP3 types fall back to RESP2 framing on a RESP2 connection" {
        set c [keel_client]
        $c write_raw [multibulk DEBUG PROTOCOL true]
        assert_equal ":1" [$c read_raw_line]
        $c write_raw [multibulk DEBUG PROTOCOL null]
        assert_equal {$-1} [$c read_raw_line]
        $c write_raw [multibulk DEBUG PROTOCOL map]
        assert_equal "*6" [$c read_raw_line]
        $c close
    }
}
