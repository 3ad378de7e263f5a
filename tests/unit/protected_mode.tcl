# tests/unit/protected_mode.tcl: protected-mode refuses clients from other
# hosts while no password is set, and lets them in once one is set or the
# mode is off. Needs a non-loopback address on this machine to connect from.

proc local_non_loopback_ipv4 {} {
    if {[catch {exec hostname -I} addrs]} { return "" }
    foreach addr $addrs {
        if {[regexp {^\d+\.\d+\.\d+\.\d+$} $addr] && ![string match 127.* $addr]} {
            return $addr
        }
    }
    return ""
}

set external [local_non_loopback_ipv4]

start_server {tags {protected-mode tls:skip} overrides {bind "*"}} {
    test "protected-mode refuses a non-loopback client when no password is set" {
        skip_unless {$external ne ""} "this machine has no non-loopback IPv4 address"
        set s [socket $external [srv port]]
        fconfigure $s -translation binary
        puts -nonewline $s "PING\r\n"
        flush $s
        set reply [read $s]
        close $s
        assert_match "-DENIED * is running in protected mode because protected mode is enabled and no password is set for the default user.*" $reply
        assert_morethan [info_field [r info stats] rejected_connections] 0
    }

    test "loopback clients are served in protected mode" {
        assert_equal PONG [r ping]
    }

    test "protected-mode no lets the same client in" {
        skip_unless {$external ne ""} "this machine has no non-loopback IPv4 address"
        r config set protected-mode no
        set c [keel_client $external [srv port]]
        assert_equal PONG [$c ping]
        $c close
        r config set protected-mode yes
    }

    test "with a password set, a non-loopback client is let in to authenticate" {
        skip_unless {$external ne ""} "this machine has no non-loopback IPv4 address"
        r config set requirepass secret
        set c [keel_client $external [srv port]]
        assert_error "NOAUTH Authentication required." {$c ping}
        assert_equal OK [$c auth secret]
        assert_equal PONG [$c ping]
        $c close
        r auth secret
        r config set requirepass ""
    }
}
