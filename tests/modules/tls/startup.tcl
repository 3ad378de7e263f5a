# tests/modules/tls/startup.tcl: keel-tls.so at start-up and in CONFIG:
# certificate, key, CA and protocol errors stop the server with a line
# naming the file, password-protected keys, DH parameters, the listener in
# INFO, a busy TLS port, CONFIG SET tls-port, and a server binary that does
# not link OpenSSL.

if {![string match *keel* [file tail $::keel::server::binary]]} {
    skip "tests keel's own TLS module"
}
set why [::keel::tls::missing]
if {$why ne ""} {
    skip $why
}
# Each server here carries its own (often broken) TLS settings, which the
# --tls pass would override: the file runs in the plain pass only.
file_tags {tls:skip}

# Config lines of a TLS server on tls_port whose option name is set to value.
proc tls_lines_with {tls_port name value} {
    set lines {}
    foreach line [::keel::tls::module_config_lines $tls_port] {
        if {[lindex [split $line] 0] eq $name} {
            set line "$name $value"
        }
        lappend lines $line
    }
    if {[lsearch -glob $lines "$name *"] < 0} {
        lappend lines "$name $value"
    }
    return $lines
}

test "a missing certificate file stops start-up with a line naming it" {
    set lines [tls_lines_with [find_free_port] tls-cert-file /nonexistent/keel-server.crt]
    lassign [start_server_and_fail [list config_lines $lines]] code out
    assert_equal 1 $code
    assert_match "*Failed to load certificate: /nonexistent/keel-server.crt: *" $out
}

test "an unreadable certificate (a directory) stops start-up naming it" {
    set dir [file join $::keel::server::tmp_root cert-is-a-dir.[pid]]
    file mkdir $dir
    set lines [tls_lines_with [find_free_port] tls-cert-file $dir]
    lassign [start_server_and_fail [list config_lines $lines]] code out
    file delete -force $dir
    assert_equal 1 $code
    assert_match "*Failed to load certificate: $dir: *" $out
}

test "a key that does not match the certificate stops start-up" {
    set lines [tls_lines_with [find_free_port] tls-key-file [::keel::tls::cert client.key]]
    lassign [start_server_and_fail [list config_lines $lines]] code out
    assert_equal 1 $code
    assert_match "*Failed to load private key: [::keel::tls::cert client.key]: *" $out
}

test "a missing CA file stops start-up" {
    set lines [tls_lines_with [find_free_port] tls-ca-cert-file /nonexistent/ca.crt]
    lassign [start_server_and_fail [list config_lines $lines]] code out
    assert_equal 1 $code
    assert_match "*Failed to configure CA certificate(s) file/directory: *" $out
}

test "tls-auth-clients yes without any CA is refused" {
    set lines [lsearch -all -inline -not -glob \
        [::keel::tls::module_config_lines [find_free_port]] "tls-ca-cert-file *"]
    lassign [start_server_and_fail [list config_lines $lines]] code out
    assert_equal 1 $code
    assert_match "*Either tls-ca-cert-file or tls-ca-cert-dir must be specified*" $out
}

test "an unknown word in tls-protocols is refused" {
    set lines [tls_lines_with [find_free_port] tls-protocols "TLSv1.2 SSLv9"]
    lassign [start_server_and_fail [list config_lines $lines]] code out
    assert_equal 1 $code
    assert_match "*Invalid tls-protocols specified*" $out
}

test "an encrypted key without tls-key-file-pass is refused" {
    set lines [tls_lines_with [find_free_port] tls-key-file [::keel::tls::cert server-pass.key]]
    lassign [start_server_and_fail [list config_lines $lines]] code out
    assert_equal 1 $code
    assert_match "*Failed to load private key: [::keel::tls::cert server-pass.key]: *" $out
}

test "tls options without loadmodule keel-tls.so get a pointed error" {
    lassign [start_server_and_fail [list config_lines [list "tls-port [find_free_port]"]]] code out err
    assert_equal 1 $code
    assert_match "*keel-tls.so*" "$out$err"
}

set tls_port [find_free_port]
set lines [tls_lines_with $tls_port tls-key-file [::keel::tls::cert server-pass.key]]
lappend lines "tls-key-file-pass keel-pass" "tls-dh-params-file [::keel::tls::cert dh.pem]"
start_server [list tags {tls tls:skip} config_lines $lines] {
    test "an encrypted key with its password and a DH file serve TLS clients" {
        set c [keel_client 127.0.0.1 $tls_port -tls 1]
        assert_equal PONG [$c ping]
        $c close
    }

    test "INFO server lists the tls listener and the handshake counters" {
        set info [r info server]
        assert_match "name=tls,bind=127.0.0.1,port=$tls_port" \
            [info_field $info listener1]
        assert_morethan [info_field $info tls_handshakes_completed] 0
        assert_equal 0 [info_field $info tls_handshake_failures]
    }

    test "CONFIG GET shows the tls options with Valkey's defaults" {
        assert_equal {tls-auth-clients yes} [r config get tls-auth-clients]
        assert_equal {tls-session-caching yes} [r config get tls-session-caching]
        assert_equal {tls-session-cache-size 20480} [r config get tls-session-cache-size]
        assert_equal {tls-session-cache-timeout 300} [r config get tls-session-cache-timeout]
        assert_equal {tls-replication no} [r config get tls-replication]
        assert_equal {tls-cluster no} [r config get tls-cluster]
        assert_equal {tls-protocols {}} [r config get tls-protocols]
        assert_equal [list tls-port $tls_port] [r config get tls-port]
    }

    test "CONFIG SET rejects bad values of typed tls options" {
        assert_error "*tls-auth-clients*" {r config set tls-auth-clients maybe}
        assert_error "*tls-session-caching*" {r config set tls-session-caching perhaps}
        assert_error "*tls-port*" {r config set tls-port 70000}
    }

    test "CONFIG SET tls-protocols with an unknown word is refused, TLS keeps working" {
        assert_error "*Unable to update TLS configuration*" \
            {r config set tls-protocols "TLSv1.2 bogus"}
        set c [keel_client 127.0.0.1 $tls_port -tls 1]
        assert_equal PONG [$c ping]
        $c close
    }

    test "CONFIG SET tls-protocols TLSv1.3 still accepts the test client" {
        assert_equal OK [r config set tls-protocols "TLSv1.3"]
        set c [keel_client 127.0.0.1 $tls_port -tls 1]
        assert_equal PONG [$c ping]
        $c close
        assert_equal OK [r config set tls-protocols ""]
    }

    test "a busy TLS port stops start-up with Valkey's two lines" {
        set lines [::keel::tls::module_config_lines $tls_port]
        lassign [start_server_and_fail [list config_lines $lines]] code out
        assert_equal 1 $code
        assert_match "*Could not create server TCP listening socket *:$tls_port: bind: Address already in use*" $out
        assert_match "*Failed listening on port $tls_port (tls), aborting.*" $out
    }

    test "CONFIG SET tls-port moves the TLS listener" {
        set new_port [find_free_port]
        assert_equal OK [r config set tls-port $new_port]
        set c [keel_client 127.0.0.1 $new_port -tls 1]
        assert_equal PONG [$c ping]
        $c close
        assert_error "*" {socket 127.0.0.1 $tls_port}
        assert_match "*port=$new_port" [info_field [r info server] listener1]
        assert_equal OK [r config set tls-port $tls_port]
        set c [keel_client 127.0.0.1 $tls_port -tls 1]
        assert_equal PONG [$c ping]
        $c close
    }
}

# tls-port 0 at start: TLS configured but not listening, then turned on and
# off again by CONFIG SET, as in Valkey.
start_server [list tags {tls} config_lines [tls_lines_with 0 tls-port 0]] {
    test "CONFIG SET tls-port turns TLS on from 0, and 0 turns it off" {
        set port [find_free_port]
        assert_equal OK [r config set tls-port $port]
        set c [keel_client 127.0.0.1 $port -tls 1]
        assert_equal PONG [$c ping]
        $c close
        assert_equal OK [r config set tls-port 0]
        assert_error "*" {socket 127.0.0.1 $port}
        assert_equal PONG [r ping]
    }
}

test "the server binary does not link OpenSSL" {
    if {[catch {exec ldd $::keel::server::binary} out]} {
        skip "ldd is not available: $out"
    }
    assert_no_match "*libssl*" $out
    assert_no_match "*libcrypto*" $out
}
