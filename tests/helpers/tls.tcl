# tests/helpers/tls.tcl: TLS settings for "runtest --tls" and for the module
# tests of keel-tls.so (tests/modules/tls/).
#
# The one place that knows how a server is configured for TLS and how the
# test client connects over it. The certificates live under tests/tls/
# (made by tools/gen-test-certs.sh: ca.crt, server.crt, server.key,
# client.crt, client.key and a few extras for the module tests). They are
# never committed: ensure_certs generates them when they are missing, so a
# clean clone can run the suite.

namespace eval ::keel::tls {
    variable enabled 0
    variable cert_dir ""   ;# set by the worker: <repo>/tests/tls
}

# Config lines that make a server listen with TLS on port, and no plain TCP.
proc ::keel::tls::server_config_lines {port} {
    variable cert_dir
    return [list \
        "loadmodule keel-tls.so" \
        "port 0" \
        "tls-port $port" \
        "tls-cert-file [file join $cert_dir server.crt]" \
        "tls-key-file [file join $cert_dir server.key]" \
        "tls-ca-cert-file [file join $cert_dir ca.crt]" \
        "tls-auth-clients optional"]
}

# Config lines for a module test: plain TCP stays on the harness's port (so
# the harness can reach the server) and TLS listens on tls_port too.
proc ::keel::tls::module_config_lines {tls_port {auth_clients yes}} {
    variable cert_dir
    return [list \
        "loadmodule keel-tls.so" \
        "tls-port $tls_port" \
        "tls-cert-file [file join $cert_dir server.crt]" \
        "tls-key-file [file join $cert_dir server.key]" \
        "tls-ca-cert-file [file join $cert_dir ca.crt]" \
        "tls-auth-clients $auth_clients"]
}

# The path of a file in the certificate folder.
proc ::keel::tls::cert {name} {
    variable cert_dir
    return [file join $cert_dir $name]
}

# Options for tls::socket when the test client connects.
proc ::keel::tls::client_options {} {
    variable cert_dir
    package require tls
    return [list \
        -cafile [file join $cert_dir ca.crt] \
        -certfile [file join $cert_dir client.crt] \
        -keyfile [file join $cert_dir client.key] \
        -require 1]
}

# Generates the certificates when they are missing. Returns "" or why not.
proc ::keel::tls::ensure_certs {} {
    variable cert_dir
    if {[file exists [file join $cert_dir dh.pem]]} {
        return ""
    }
    set root [file dirname [file dirname $cert_dir]]
    set script [file join $root tools gen-test-certs.sh]
    if {[catch {exec $script $cert_dir 2>@1} out]} {
        return "$script failed: $out"
    }
    return ""
}

# Returns "" when the TLS test setup is usable, else why not.
proc ::keel::tls::missing {} {
    variable cert_dir
    if {[catch {package require tls} err]} {
        return "Tcl package tls is not installed ($err)"
    }
    set why [ensure_certs]
    if {$why ne ""} {
        return $why
    }
    foreach name {ca.crt server.crt server.key client.crt client.key} {
        if {![file exists [file join $cert_dir $name]]} {
            return "[file join $cert_dir $name] is missing (run tools/gen-test-certs.sh)"
        }
    }
    return ""
}

# Opens a TLS connection with tls::socket options opts, sends PING and
# returns the reply line ("+PONG"), or "error: <why>" when the handshake,
# the write or the read fails (a refused client certificate shows up at
# the first read under TLS 1.3).
proc ::keel::tls::try_ping {host port opts} {
    package require tls
    if {[catch {::tls::socket {*}$opts $host $port} fd]} {
        return "error: $fd"
    }
    set result ""
    if {[catch {
        fconfigure $fd -translation binary -buffering none
        ::tls::handshake $fd
        puts -nonewline $fd "*1\r\n\$4\r\nPING\r\n"
        flush $fd
        set line [gets $fd]
        if {[eof $fd] && $line eq ""} {
            error "connection closed"
        }
        set result [string trimright $line "\r"]
    } err]} {
        set result "error: $err"
    }
    catch {close $fd}
    return $result
}
