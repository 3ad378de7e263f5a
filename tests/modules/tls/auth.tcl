# tests/modules/tls/auth.tcl: client certificates under tls-auth-clients yes,
# optional and no (a certificate from the right CA, none, one from another
# CA), CONFIG SET of the mode for new connections, and handshake failures
# (counted in INFO, logged) that leave the server serving.

if {![string match *keel* [file tail $::keel::server::binary]]} {
    skip "tests keel's own TLS module"
}
set why [::keel::tls::missing]
if {$why ne ""} {
    skip $why
}

proc tls_ca_opts {} {
    return [list -cafile [::keel::tls::cert ca.crt] -require 1]
}
proc tls_good_cert_opts {} {
    return [concat [tls_ca_opts] [list -certfile [::keel::tls::cert client.crt] \
        -keyfile [::keel::tls::cert client.key]]]
}
proc tls_other_ca_opts {} {
    return [concat [tls_ca_opts] [list -certfile [::keel::tls::cert other-client.crt] \
        -keyfile [::keel::tls::cert other-client.key]]]
}

set tls_port [find_free_port]
start_server [list tags {tls tls:skip} config_lines [::keel::tls::module_config_lines $tls_port yes]] {
    test "tls-auth-clients yes: a client certificate from the CA is accepted" {
        assert_equal +PONG [::keel::tls::try_ping 127.0.0.1 $tls_port [tls_good_cert_opts]]
    }

    test "tls-auth-clients yes: a client without a certificate is refused" {
        set before [info_field [r info server] tls_handshake_failures]
        assert_match "error:*" [::keel::tls::try_ping 127.0.0.1 $tls_port [tls_ca_opts]]
        wait_for_condition 50 20 {
            [info_field [r info server] tls_handshake_failures] == $before + 1
        } else {
            fail "the failure was not counted"
        }
        assert_morethan [count_log_lines "*TLS handshake failed*certificate*"] 0
    }

    test "tls-auth-clients yes: a certificate from another CA is refused" {
        assert_match "error:*" [::keel::tls::try_ping 127.0.0.1 $tls_port [tls_other_ca_opts]]
    }

    test "the client must trust the server: a client with the wrong CA gives up" {
        set opts [list -cafile [::keel::tls::cert other-ca.crt] -require 1 \
            -certfile [::keel::tls::cert client.crt] -keyfile [::keel::tls::cert client.key]]
        assert_match "error:*" [::keel::tls::try_ping 127.0.0.1 $tls_port $opts]
        assert_equal PONG [r ping]
    }

    test "a plain-text client on the TLS port fails the handshake, others go on" {
        set before [info_field [r info server] tls_handshake_failures]
        set fd [socket 127.0.0.1 $tls_port]
        fconfigure $fd -translation binary -buffering none
        puts -nonewline $fd "*1\r\n\$4\r\nPING\r\n"
        set reply [read $fd]
        close $fd
        assert_equal "" $reply
        wait_for_condition 50 20 {
            [info_field [r info server] tls_handshake_failures] == $before + 1
        } else {
            fail "the failure was not counted"
        }
        assert_equal +PONG [::keel::tls::try_ping 127.0.0.1 $tls_port [tls_good_cert_opts]]
    }

    test "handshake failures are logged at most once per second" {
        set lines_before [count_log_lines "*TLS handshake failed*"]
        for {set i 0} {$i < 5} {incr i} {
            set fd [socket 127.0.0.1 $tls_port]
            puts -nonewline $fd "GET / HTTP/1.0\r\n\r\n"
            flush $fd
            catch {read $fd}
            close $fd
        }
        assert_range [expr {[count_log_lines "*TLS handshake failed*"] - $lines_before}] 0 2
    }

    test "CONFIG SET tls-auth-clients optional lets a client without a certificate in" {
        assert_equal OK [r config set tls-auth-clients optional]
        assert_equal +PONG [::keel::tls::try_ping 127.0.0.1 $tls_port [tls_ca_opts]]
        assert_equal +PONG [::keel::tls::try_ping 127.0.0.1 $tls_port [tls_good_cert_opts]]
    }

    test "tls-auth-clients optional: a certificate from another CA is still refused" {
        assert_match "error:*" [::keel::tls::try_ping 127.0.0.1 $tls_port [tls_other_ca_opts]]
    }

    test "tls-auth-clients no: no certificate is asked for or checked" {
        assert_equal OK [r config set tls-auth-clients no]
        assert_equal +PONG [::keel::tls::try_ping 127.0.0.1 $tls_port [tls_ca_opts]]
        assert_equal +PONG [::keel::tls::try_ping 127.0.0.1 $tls_port [tls_other_ca_opts]]
    }

    test "a connection made under 'no' keeps working after CONFIG SET back to yes" {
        set fd [::tls::socket {*}[tls_ca_opts] 127.0.0.1 $tls_port]
        fconfigure $fd -translation binary -buffering none
        ::tls::handshake $fd
        assert_equal OK [r config set tls-auth-clients yes]
        puts -nonewline $fd "*1\r\n\$4\r\nPING\r\n"
        assert_equal "+PONG" [string trimright [gets $fd] "\r"]
        close $fd
        assert_match "error:*" [::keel::tls::try_ping 127.0.0.1 $tls_port [tls_ca_opts]]
    }
}
