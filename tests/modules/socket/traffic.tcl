# tests/modules/socket/traffic.tcl: bytes through keel-socket.so: payloads
# from 1 byte to 64 MiB read back exactly, pipelining, abrupt close, half
# close, and slow or partial frames that must not hold up other clients.

# keel modules only: against another server (the reference redis-server)
# these tests have nothing to check.
if {![string match *keel* [file tail $::keel::server::binary]]} {
    skip "tests keel's own modules"
}
# About bytes through the plain TCP transport: under --tls, tests/modules/tls/ covers the
# TLS transport instead.
file_tags {tls:skip}

start_server {tags {socket}} {
    foreach size {1 16384 1048576 67108864} {
        test "ECHO of $size bytes comes back byte-exact" {
            set payload [string repeat "\x00a\r\nb\xff" [expr {$size / 6 + 1}]]
            set payload [string range $payload 0 [expr {$size - 1}]]
            set reply [r echo $payload]
            assert_equal $size [string length $reply]
            assert {$reply eq $payload}
        }
    }

    test "10 000 pipelined commands in one write get 10 000 replies in order" {
        set rd [keel_deferring_client]
        set buf ""
        for {set i 0} {$i < 10000} {incr i} {
            append buf "*2\r\n\$4\r\nECHO\r\n\$[string length $i]\r\n$i\r\n"
        }
        $rd write_raw $buf
        for {set i 0} {$i < 10000} {incr i} {
            assert_equal $i [$rd read]
        }
        $rd close
    }

    test "a client that resets mid-reply is freed and others keep working" {
        set before [info_field [r info clients] connected_clients]
        set s [socket 127.0.0.1 [srv port]]
        fconfigure $s -translation binary
        set big [string repeat x 8000000]
        puts -nonewline $s "*2\r\n\$4\r\nECHO\r\n\$[string length $big]\r\n$big\r\n"
        flush $s
        after 50
        close $s
        wait_for_condition 100 50 {
            [info_field [r info clients] connected_clients] == $before
        } else {
            fail "the reset client was not freed"
        }
        assert_equal PONG [r ping]
    }

    test "a half-closed client still gets the reply to what it sent" {
        set s [socket 127.0.0.1 [srv port]]
        fconfigure $s -translation binary
        puts -nonewline $s "*2\r\n\$4\r\nECHO\r\n\$5\r\nhello\r\n"
        flush $s
        close $s write
        fconfigure $s -blocking 1
        set reply [read $s]
        close $s
        assert_equal "\$5\r\nhello\r\n" $reply
    }

    test "a request sent one byte at a time completes while others are served" {
        set slow [socket 127.0.0.1 [srv port]]
        fconfigure $slow -translation binary -buffering none
        set req "*2\r\n\$4\r\nECHO\r\n\$4\r\nslow\r\n"
        foreach ch [split $req ""] {
            puts -nonewline $slow $ch
            assert_equal PONG [r ping]
        }
        fconfigure $slow -blocking 1
        assert_equal "\$4\r" [gets $slow]
        assert_equal "slow\r" [gets $slow]
        close $slow
    }

    test "a bulk header without its payload leaves other clients served" {
        set partial [socket 127.0.0.1 [srv port]]
        fconfigure $partial -translation binary -buffering none
        puts -nonewline $partial "*2\r\n\$4\r\nECHO\r\n\$100\r\nabc"
        after 100
        assert_equal PONG [r ping]
        puts -nonewline $partial [string repeat z 97]
        puts -nonewline $partial "\r\n"
        fconfigure $partial -blocking 1
        assert_equal "\$100\r" [gets $partial]
        close $partial
    }

    test "an unterminated inline line waits without blocking others" {
        set partial [socket 127.0.0.1 [srv port]]
        fconfigure $partial -translation binary -buffering none
        puts -nonewline $partial "ECHO waiting"
        after 100
        assert_equal PONG [r ping]
        puts -nonewline $partial "\r\n"
        fconfigure $partial -blocking 1
        assert_equal "\$7\r" [gets $partial]
        close $partial
    }

    test "the query buffer limit still applies to a slow partial request" {
        r config set client-query-buffer-limit 1mb
        set s [socket 127.0.0.1 [srv port]]
        fconfigure $s -translation binary -buffering none
        puts -nonewline $s "*2\r\n\$4\r\nECHO\r\n\$2000000\r\n"
        set chunk [string repeat y 65536]
        set closed 0
        for {set i 0} {$i < 40 && !$closed} {incr i} {
            if {[catch {puts -nonewline $s $chunk; flush $s}]} { set closed 1 }
            after 10
        }
        catch {close $s}
        wait_for_log_line "*Closing client that reached max query buffer length*"
        r config set client-query-buffer-limit 1gb
        assert_equal PONG [r ping]
    }
}
