# tests/unit/client.tcl: the CLIENT command and per-connection limits.
#
# CLIENT ID/SETNAME/GETNAME/INFO/LIST/KILL/REPLY/PAUSE/UNPAUSE/NO-EVICT,
# NO-TOUCH and SETINFO (skipped on servers without them, such as Redis 7.0),
# maxclients, the idle timeout and the output buffer limit of normal clients.
# Numbers that vary (ages, memory) are matched loosely, field names exactly.

# The fields of a CLIENT INFO/LIST line as a dict (name -> value).
proc client_fields {line} {
    set fields {}
    foreach pair [split [string trim $line] " "] {
        set eq [string first = $pair]
        dict set fields [string range $pair 0 $eq-1] [string range $pair $eq+1 end]
    }
    return $fields
}

# A new client that the server has accepted already (it answered PING), so
# CLIENT LIST/KILL and INFO counts see it.
proc accepted_client {args} {
    set c [keel_client {*}$args]
    $c ping
    return $c
}

# "ip:port" of the local end of a client, as the server shows it in addr=.
proc local_addr {client} {
    lassign [fconfigure [$client channel] -sockname] ip host port
    return "$ip:$port"
}

# True when the server knows CLIENT subcommand name (COMMAND INFO client|name).
proc has_client_subcommand {name} {
    return [expr {[lindex [r command info client|$name] 0] ne ""}]
}

# Ids of the connections listed by CLIENT LIST.
proc listed_ids {} {
    set ids {}
    foreach line [split [string trim [r client list]] \n] {
        lappend ids [dict get [client_fields $line] id]
    }
    return [lsort -integer $ids]
}

start_server {tags {client}} {
    test "CLIENT ID is a positive integer that grows with each connection" {
        set first [r client id]
        assert_morethan $first 0
        set c [keel_client]
        assert_morethan [$c client id] $first
        $c close
    }

    test "CLIENT ID is the id field of CLIENT INFO" {
        assert_equal [r client id] [dict get [client_fields [r client info]] id]
    }

    test "CLIENT GETNAME is null before a name is set" {
        set c [keel_client]
        $c write_raw "CLIENT GETNAME\r\n"
        assert_equal {$-1} [$c read_raw_line]
        $c close
    }

    test "CLIENT SETNAME then GETNAME returns the name" {
        assert_equal OK [r client setname my-name.1]
        assert_equal my-name.1 [r client getname]
    }

    test "CLIENT SETNAME shows in the name field of CLIENT INFO and LIST" {
        r client setname listed
        assert_equal listed [dict get [client_fields [r client info]] name]
        assert_match "*name=listed *" [r client list]
    }

    test "CLIENT SETNAME with an empty string clears the name" {
        r client setname something
        assert_equal OK [r client setname ""]
        assert_equal "" [r client getname]
        assert_equal "" [dict get [client_fields [r client info]] name]
    }

    test "CLIENT SETNAME refuses spaces, newlines and control characters" {
        foreach bad [list "a b" "a\nb" "a\x01b" "a\x7fb"] {
            assert_error "ERR Client names cannot contain spaces, newlines or special characters." \
                [list r client setname $bad]
        }
    }

    test "A refused CLIENT SETNAME keeps the previous name" {
        r client setname kept
        catch {r client setname "not kept"}
        assert_equal kept [r client getname]
    }

    test "CLIENT SETNAME without a name is an arity error" {
        assert_error "ERR wrong number of arguments for 'client|setname' command" {r client setname}
    }

    test "CLIENT INFO lists the Redis 7.0 fields in order" {
        set names [dict keys [client_fields [r client info]]]
        set expected {id addr laddr fd name age idle flags db sub psub ssub multi qbuf qbuf-free
            argv-mem multi-mem rbs rbp obl oll omem tot-mem events cmd user redir resp}
        # Newer servers add fields; the 7.0 ones must still come in this order.
        set positions {}
        foreach name $expected {
            lappend positions [lsearch -exact $names $name]
        }
        assert {-1 ni $positions} "missing fields: $expected vs $names"
        assert_equal [lsort -integer $positions] $positions "field order"
    }

    test "CLIENT INFO describes this connection" {
        set c [keel_client]
        set fields [client_fields [$c client info]]
        assert_equal [local_addr $c] [dict get $fields addr]
        assert_equal "127.0.0.1:[srv port]" [dict get $fields laddr]
        assert_equal client|info [dict get $fields cmd]
        assert_equal N [dict get $fields flags]
        assert_equal 0 [dict get $fields db]
        assert_equal default [dict get $fields user]
        assert_equal 2 [dict get $fields resp]
        assert_equal -1 [dict get $fields multi]
        assert_equal 0 [dict get $fields sub]
        assert_match {[0-9]*} [dict get $fields age]
        assert_match {[0-9]*} [dict get $fields fd]
        $c close
    }

    test "CLIENT INFO reports resp=3 after HELLO 3" {
        set c [keel_client -resp 3]
        assert_equal 3 [dict get [client_fields [$c client info]] resp]
        $c close
    }

    test "CLIENT LIST has one line per connection" {
        set c [accepted_client]
        set ids [listed_ids]
        assert_equal [lsort -integer [list [r client id] [$c client id]]] $ids
        $c close
    }

    test "CLIENT LIST TYPE normal lists normal clients, other types none here" {
        # The previous test's client closed; wait until the server saw it.
        wait_for_condition 100 20 {
            [llength [split [string trim [r client list type normal]] \n]] == 1
        } else {
            fail "CLIENT LIST TYPE normal: [r client list type normal]"
        }
        assert_equal "" [r client list type pubsub]
    }

    test "CLIENT LIST TYPE with an unknown type is an error" {
        assert_error "ERR Unknown client type 'foo'" {r client list type foo}
    }

    test "CLIENT LIST ID shows only the listed ids" {
        set c [keel_client]
        set id [$c client id]
        set listed [string trim [r client list id $id]]
        assert_equal $id [dict get [client_fields $listed] id]
        assert_equal "" [r client list id 999999]
        $c close
    }

    test "CLIENT LIST ID with a non-number is an error" {
        assert_error "ERR Invalid client ID" {r client list id abc}
    }

    test "CLIENT LIST with an unknown option is a syntax error" {
        assert_error "ERR syntax error" {r client list foo}
    }

    # ---- CLIENT KILL -----------------------------------------------------

    test "CLIENT KILL ID closes that connection and replies 1" {
        set c [accepted_client]
        assert_equal 1 [r client kill id [$c client id]]
        assert_equal "" [$c read_all_until_close]
        $c close
    }

    test "CLIENT KILL ID of an unknown id replies 0" {
        assert_equal 0 [r client kill id 999999]
    }

    test "CLIENT KILL ID that is not a positive number is an error" {
        assert_error "ERR client-id should be greater than 0" {r client kill id abc}
        assert_error "ERR client-id should be greater than 0" {r client kill id 0}
    }

    test "CLIENT KILL ADDR closes the connection from that address" {
        set c [accepted_client]
        set other [accepted_client]
        assert_equal 1 [r client kill addr [local_addr $c]]
        assert_equal "" [$c read_all_until_close]
        assert_equal PONG [$other ping]
        $c close
        $other close
    }

    test "CLIENT KILL ADDR of an unknown address replies 0" {
        assert_equal 0 [r client kill addr 1.2.3.4:5]
    }

    test "CLIENT KILL LADDR kills every client of that local address but the caller" {
        set a [accepted_client]
        set b [accepted_client]
        assert_equal 2 [r client kill laddr "127.0.0.1:[srv port]"]
        assert_equal "" [$a read_all_until_close]
        assert_equal "" [$b read_all_until_close]
        assert_equal PONG [r ping]
        $a close
        $b close
    }

    test "CLIENT KILL LADDR of another address replies 0" {
        assert_equal 0 [r client kill laddr 1.2.3.4:5]
    }

    test "CLIENT KILL TYPE normal SKIPME no closes the caller too, after its reply" {
        set other [accepted_client]
        set killer [accepted_client]
        assert_equal 3 [$killer client kill type normal skipme no]
        assert_equal "" [$killer read_all_until_close]
        assert_equal "" [$other read_all_until_close]
        $killer close
        $other close
        reconnect
        assert_equal PONG [r ping]
    }

    test "CLIENT KILL TYPE normal skips the caller by default" {
        set other [accepted_client]
        assert_equal 1 [r client kill type normal]
        assert_equal PONG [r ping]
        $other close
    }

    test "CLIENT KILL TYPE pubsub with no subscriber replies 0" {
        assert_equal 0 [r client kill type pubsub]
    }

    test "CLIENT KILL TYPE with an unknown type is an error" {
        assert_error "ERR Unknown client type 'foo'" {r client kill type foo}
    }

    test "CLIENT KILL USER default kills the other clients of that user" {
        set other [accepted_client]
        assert_equal 1 [r client kill user default]
        assert_equal "" [$other read_all_until_close]
        $other close
    }

    test "CLIENT KILL USER of an unknown user is an error" {
        assert_error "ERR No such user 'nosuchuser'" {r client kill user nosuchuser}
    }

    test "CLIENT KILL filters combine: every one must match" {
        set c [accepted_client]
        set id [$c client id]
        assert_equal 0 [r client kill id $id addr 1.2.3.4:5]
        assert_equal 1 [r client kill id $id addr [local_addr $c]]
        $c close
    }

    test "CLIENT KILL SKIPME with a value other than yes/no is a syntax error" {
        assert_error "ERR syntax error" {r client kill skipme maybe}
    }

    test "CLIENT KILL with an unknown filter is a syntax error" {
        assert_error "ERR syntax error" {r client kill foo bar}
    }

    test "CLIENT KILL without arguments is an arity error" {
        assert_error "ERR wrong number of arguments for 'client|kill' command" {r client kill}
    }

    test "CLIENT KILL addr:port (old form) kills that client and replies OK" {
        set c [accepted_client]
        assert_equal OK [r client kill [local_addr $c]]
        assert_equal "" [$c read_all_until_close]
        $c close
    }

    test "CLIENT KILL addr:port (old form) of an unknown address is an error" {
        assert_error "ERR No such client" {r client kill 1.2.3.4:5}
    }

    test "CLIENT KILL addr:port (old form) may kill the caller itself" {
        set c [accepted_client]
        assert_equal OK [$c client kill [local_addr $c]]
        assert_equal "" [$c read_all_until_close]
        $c close
    }

    test "CLIENT KILL MAXAGE kills only connections at least that old" {
        set supported [expr {![catch {r client kill maxage 1000000} killed]}]
        skip_unless {$supported} "server has no CLIENT KILL MAXAGE (Redis < 7.4)"
        assert_equal 0 $killed
        set c [accepted_client]
        set id [$c client id]
        wait_for_condition 50 100 {[r client kill id $id maxage 1] == 1} else {
            fail "a connection older than 1 s was not killed by MAXAGE 1"
        }
        $c close
    }

    test "CLIENT KILL MAXAGE refuses a value that is not positive" {
        set supported [expr {![catch {r client kill maxage 1000000}]}]
        skip_unless {$supported} "server has no CLIENT KILL MAXAGE (Redis < 7.4)"
        assert_error "ERR maxage should be greater than 0" {r client kill maxage 0}
        assert_error "ERR maxage is not an integer or out of range" {r client kill maxage abc}
    }

    # ---- CLIENT REPLY ----------------------------------------------------

    test "CLIENT REPLY OFF silences replies until CLIENT REPLY ON" {
        set rd [keel_deferring_client]
        $rd client reply off
        $rd ping
        $rd echo silenced
        $rd client reply on
        $rd echo heard
        assert_equal OK [$rd read]
        assert_equal heard [$rd read]
        $rd close
    }

    test "CLIENT REPLY SKIP drops exactly the next reply" {
        set rd [keel_deferring_client]
        $rd client reply skip
        $rd echo dropped
        $rd echo kept
        assert_equal kept [$rd read]
        $rd close
    }

    test "CLIENT REPLY OFF also silences error replies" {
        set rd [keel_deferring_client]
        $rd client reply off
        $rd nosuchcommand
        $rd client reply on
        assert_equal OK [$rd read]
        $rd close
    }

    test "CLIENT REPLY with an unknown mode is a syntax error" {
        assert_error "ERR syntax error" {r client reply maybe}
    }

    # ---- CLIENT PAUSE ----------------------------------------------------

    test "CLIENT PAUSE WRITE lets commands that write nothing run" {
        assert_equal OK [r client pause 100000 write]
        set c [keel_client]
        assert_equal PONG [$c ping]
        assert_equal x [$c echo x]
        assert_equal OK [r client unpause]
        $c close
    }

    test "CLIENT PAUSE WRITE holds write commands until CLIENT UNPAUSE" {
        set rd [keel_deferring_client]
        $rd client id
        set id [$rd read]
        r client pause 100000 write
        $rd set pause:key 1
        wait_for_condition 100 10 {[string match "*flags=b*" [r client list id $id]]} else {
            fail "SET was not held by CLIENT PAUSE WRITE: [r client list id $id]"
        }
        r client unpause
        assert_equal OK [$rd read]
        $rd close
    } {keyspace}

    test "CLIENT PAUSE ALL runs no command before the pause ends" {
        set rd [keel_deferring_client]
        lassign [r time] seconds micros
        set before_ms [expr {$seconds * 1000 + $micros / 1000}]
        r client pause 300 all
        $rd time
        lassign [$rd read] seconds micros
        set ran_ms [expr {$seconds * 1000 + $micros / 1000}]
        # Server clock: the pause began after before_ms and lasts 300 ms.
        assert {$ran_ms >= $before_ms + 300} "TIME ran at $ran_ms, pause began after $before_ms"
        $rd close
    }

    test "CLIENT PAUSE with a mode other than WRITE or ALL is an error" {
        assert_error "ERR CLIENT PAUSE mode must be WRITE or ALL" {r client pause 10 foo}
    }

    test "CLIENT PAUSE with a negative timeout is an error" {
        assert_error "ERR timeout is negative" {r client pause -1}
    }

    test "CLIENT PAUSE with a non-numeric timeout is an error" {
        assert_error "ERR timeout is not an integer or out of range" {r client pause abc}
    }

    test "CLIENT UNPAUSE without a pause replies OK" {
        assert_equal OK [r client unpause]
    }

    # ---- NO-EVICT, NO-TOUCH, SETINFO ---------------------------------------

    test "CLIENT NO-EVICT ON adds the e flag, OFF removes it" {
        assert_equal OK [r client no-evict on]
        assert_match "*e*" [dict get [client_fields [r client info]] flags]
        assert_equal OK [r client no-evict off]
        assert_equal N [dict get [client_fields [r client info]] flags]
    }

    test "CLIENT NO-EVICT with another word is a syntax error" {
        assert_error "ERR syntax error" {r client no-evict maybe}
    }

    test "CLIENT NO-TOUCH ON adds the T flag, OFF removes it" {
        skip_unless {[has_client_subcommand no-touch]} "server has no CLIENT NO-TOUCH (Redis < 7.2)"
        assert_equal OK [r client no-touch on]
        assert_match "*T*" [dict get [client_fields [r client info]] flags]
        assert_equal OK [r client no-touch off]
        assert_equal N [dict get [client_fields [r client info]] flags]
    }

    test "CLIENT NO-TOUCH with another word is a syntax error" {
        skip_unless {[has_client_subcommand no-touch]} "server has no CLIENT NO-TOUCH (Redis < 7.2)"
        assert_error "ERR syntax error" {r client no-touch maybe}
    }

    test "CLIENT SETINFO LIB-NAME and LIB-VER show in CLIENT INFO" {
        skip_unless {[has_client_subcommand setinfo]} "server has no CLIENT SETINFO (Redis < 7.2)"
        assert_equal OK [r client setinfo lib-name keel-tests]
        assert_equal OK [r client setinfo lib-ver 1.0.0]
        set fields [client_fields [r client info]]
        assert_equal keel-tests [dict get $fields lib-name]
        assert_equal 1.0.0 [dict get $fields lib-ver]
        assert_equal OK [r client setinfo lib-name ""]
        assert_equal "" [dict get [client_fields [r client info]] lib-name]
    }

    test "CLIENT SETINFO refuses values with spaces and names the attribute" {
        skip_unless {[has_client_subcommand setinfo]} "server has no CLIENT SETINFO (Redis < 7.2)"
        assert_error "ERR lib-name cannot contain spaces, newlines or special characters." \
            {r client setinfo lib-name "a b"}
        assert_error "ERR LIB-VER cannot contain spaces, newlines or special characters." \
            {r client setinfo LIB-VER "1 0"}
    }

    test "CLIENT SETINFO with an unknown attribute is an error" {
        skip_unless {[has_client_subcommand setinfo]} "server has no CLIENT SETINFO (Redis < 7.2)"
        assert_error "ERR Unrecognized option 'foo'" {r client setinfo foo bar}
    }

    test "CLIENT with an unknown subcommand is an error" {
        assert_error "ERR unknown subcommand 'foo'. Try CLIENT HELP." {r client foo}
    }

    # ---- idle timeout and output buffer limit ----------------------------

    test "timeout closes a client idle for longer than it" {
        r config set timeout 1
        set c [keel_client]
        $c ping
        assert_equal "" [$c read_all_until_close 10000]
        $c close
        reconnect
        r config set timeout 0
    }

    test "A normal client over the output buffer hard limit is disconnected" {
        r config set client-output-buffer-limit "normal 1mb 0 0"
        set docs_size [string length [::keel::resp::encode_command [r command docs]]]
        set count 300
        set rd [keel_deferring_client]
        # Replies pile up in the server's output buffer: the client never reads.
        catch {$rd write_raw [string repeat "COMMAND DOCS\r\n" $count]}
        set received [$rd read_all_until_close 20000]
        $rd close
        assert_lessthan [string length $received] [expr {$docs_size * $count}]
        wait_for_log_line "*closed*for overcoming of output buffer limits*"
        assert_equal PONG [r ping]
        r config set client-output-buffer-limit "normal 0 0 0"
    }
}

# tls:skip: the refusal is written before a TLS handshake could carry it
# (as in Valkey).
start_server {tags {client tls:skip} overrides {maxclients 2}} {
    test "A connection past maxclients gets an error and is closed" {
        set second [keel_client]
        assert_equal PONG [$second ping]
        set third [keel_client]
        assert_equal "-ERR max number of clients reached\r\n" [$third read_all_until_close]
        $third close
        assert_equal PONG [$second ping]
        assert_equal 1 [info_field [r info stats] rejected_connections]
        $second close
    }

    test "A slot freed below maxclients can be used again" {
        # The close of the previous test's client must reach the server first.
        wait_for_condition 100 20 {
            [info_field [r info clients] connected_clients] == 1
        } else {
            fail "the closed client is still counted"
        }
        set again [keel_client]
        assert_equal PONG [$again ping]
        $again close
    }
}

start_server {tags {client}} {
    test "A client over the soft output limit for longer than its seconds is disconnected" {
        r config set client-output-buffer-limit "normal 0 100kb 1"
        set rd [keel_deferring_client]
        $rd client setname soft-victim
        $rd read
        # Replies pile up while the client does not read; the server checks
        # the soft limit as replies grow and in its cron.
        # The server may drop the client while it is still writing (a slow
        # machine, TLS): a reset write is then expected, not a failure.
        set big [string repeat x 200000]
        catch {
            for {set i 0} {$i < 200} {incr i} { $rd echo $big }
            $rd flush
        }
        wait_for_condition 100 100 {
            ![string match "*name=soft-victim*" [r client list]]
        } else {
            fail "the client over the soft limit is still connected"
        }
        # The counter is Valkey's (Redis 7.0 lacks it).
        set disconnections [info_field [r info stats] client_output_buffer_limit_disconnections]
        if {$disconnections ne ""} { assert_morethan $disconnections 0 }
        r config set client-output-buffer-limit "normal 0 0 0"
        catch {$rd close}
    }
}

start_server {tags {client}} {
    test "An idle client's reply buffer shrinks, and big replies still arrive whole" {
        set c [keel_client]
        $c client setname shrinker
        wait_for_condition 100 50 {
            [dict get [client_fields [$c client info]] rbs] <= 2048
        } else {
            fail "rbs stayed at [dict get [client_fields [$c client info]] rbs]"
        }
        set big [string repeat abc 100000]
        assert_equal $big [$c echo $big]
        $c close
    }
}

start_server {tags {client tls:skip}} {
    test "500 clients connect at once, each is served, and all are freed on close" {
        set socks {}
        for {set i 0} {$i < 500} {incr i} {
            set s [socket 127.0.0.1 [srv port]]
            fconfigure $s -translation binary -buffering none
            puts -nonewline $s "PING\r\n"
            lappend socks $s
        }
        foreach s $socks {
            fconfigure $s -blocking 1
            assert_equal "+PONG\r" [gets $s]
        }
        assert_equal 501 [info_field [r info clients] connected_clients]
        foreach s $socks { close $s }
        wait_for_condition 200 25 {
            [info_field [r info clients] connected_clients] == 1
        } else {
            fail "clients still counted: [info_field [r info clients] connected_clients]"
        }
    }
}
