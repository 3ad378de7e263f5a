# tests/modules/tls/traffic.tcl: bytes over keel-tls.so: pipelining (records
# left inside OpenSSL must be drained without new socket data), a 10 MB
# value both ways, clients that vanish mid-record or mid-handshake, a
# certificate reload by CONFIG SET while clients are busy, redis-cli --tls,
# python3-redis with ssl=True, and the same traffic with IO threads doing
# the TLS reads and writes.

if {![string match *keel* [file tail $::keel::server::binary]]} {
    skip "tests keel's own TLS module"
}
set why [::keel::tls::missing]
if {$why ne ""} {
    skip $why
}

# redis-cli / redis-benchmark options for the test certificates.
proc tls_cli_opts {} {
    return [list --tls --cacert [::keel::tls::cert ca.crt] \
        --cert [::keel::tls::cert client.crt] --key [::keel::tls::cert client.key]]
}

# The traffic tests, run against the TLS port of the current server.
proc tls_traffic_tests {tls_port label} {
    test "$label: 1000 pipelined commands in one write all get replies" {
        set c [keel_client 127.0.0.1 $tls_port -tls 1]
        set batch ""
        for {set i 0} {$i < 1000} {incr i} {
            append batch [::keel::resp::encode_command [list SET pipe:$i value-$i]]
        }
        $c write_raw $batch
        for {set i 0} {$i < 1000} {incr i} {
            assert_equal OK [$c read]
        }
        set batch ""
        for {set i 0} {$i < 1000} {incr i} {
            append batch [::keel::resp::encode_command [list GET pipe:$i]]
        }
        $c write_raw $batch
        for {set i 0} {$i < 1000} {incr i} {
            assert_equal value-$i [$c read]
        }
        $c close
    }

    test "$label: a 10 MB value goes in and comes back intact" {
        set c [keel_client 127.0.0.1 $tls_port -tls 1]
        set value [string repeat "0123456789abcdef" [expr {10 * 1024 * 1024 / 16}]]
        assert_equal OK [$c set big $value]
        assert_equal [string length $value] [$c strlen big]
        assert_equal $value [$c get big]
        $c del big
        $c close
    }

    test "$label: a client that closes in the middle of a record is dropped, others go on" {
        set fd [socket 127.0.0.1 $tls_port]
        ::tls::import $fd {*}[::keel::tls::client_options]
        fconfigure $fd -translation binary -buffering none
        ::tls::handshake $fd
        puts -nonewline $fd "*1\r\n\$4\r\nPING\r\n"
        assert_equal "+PONG" [string trimright [gets $fd] "\r"]
        # Back to the raw socket: a record header announcing 16 KiB of
        # application data, 10 bytes of it, then the connection goes away.
        chan pop $fd
        puts -nonewline $fd "\x17\x03\x03\x40\x00abcdefghij"
        close $fd
        set c [keel_client 127.0.0.1 $tls_port -tls 1]
        assert_equal PONG [$c ping]
        $c close
        assert_equal PONG [r ping]
    }

    test "$label: a client that closes in the middle of the handshake is dropped" {
        set fd [socket 127.0.0.1 $tls_port]
        fconfigure $fd -translation binary -buffering none
        # The first bytes of a ClientHello record, no more.
        puts -nonewline $fd "\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"
        close $fd
        set c [keel_client 127.0.0.1 $tls_port -tls 1]
        assert_equal PONG [$c ping]
        $c close
    }

    test "$label: redis-cli --tls talks to the server" {
        if {[auto_execok redis-cli] eq ""} {
            skip "redis-cli is not installed"
        }
        set cli [list redis-cli {*}[tls_cli_opts] -p $tls_port]
        assert_equal PONG [exec {*}$cli ping]
        assert_equal OK [exec {*}$cli set cli:key "hello tls"]
        assert_equal "hello tls" [exec {*}$cli get cli:key]
        set many [exec {*}$cli -r 200 incr cli:counter]
        assert_equal 200 [lindex [split $many \n] end]
    }

    test "$label: python3-redis with ssl=True talks to the server" {
        # Debian's python3 and python3-redis, not whatever python3 is first
        # on PATH.
        if {![file executable /usr/bin/python3] ||
                [catch {exec /usr/bin/python3 -c "import redis"}]} {
            skip "Debian's python3-redis is not installed"
        }
        set script {
import sys, redis
port, ca, cert, key = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
r = redis.Redis(host="127.0.0.1", port=port, ssl=True, ssl_ca_certs=ca,
                ssl_certfile=cert, ssl_keyfile=key, ssl_cert_reqs="required",
                ssl_check_hostname=False)
r.set("py:key", "hello from python")
p = r.pipeline()
for i in range(100):
    p.incr("py:counter")
print(r.get("py:key").decode(), p.execute()[-1])
}
        set out [exec /usr/bin/python3 -c $script $tls_port [::keel::tls::cert ca.crt] \
            [::keel::tls::cert client.crt] [::keel::tls::cert client.key]]
        assert_equal "hello from python 100" $out
    }
}

set tls_port [find_free_port]
start_server [list tags {tls tls:skip} config_lines [::keel::tls::module_config_lines $tls_port]] {
    tls_traffic_tests $tls_port "inline"

    test "CONFIG SET of the certificate under load: busy clients go on, new ones see it" {
        if {[auto_execok redis-benchmark] eq ""} {
            skip "redis-benchmark is not installed"
        }
        set bench [open [list | redis-benchmark {*}[tls_cli_opts] -p $tls_port \
            -c 10 -n 40000 -t set,get -d 512 -q 2>@1] r]
        after 200
        set ca_opts [list -cafile [::keel::tls::cert ca.crt] -require 1 \
            -certfile [::keel::tls::cert client.crt] -keyfile [::keel::tls::cert client.key]]
        for {set round 0} {$round < 3} {incr round} {
            # A certificate from another CA: the test CA no longer vouches
            # for the server, so new clients refuse it.
            assert_equal OK [r config set tls-cert-file [::keel::tls::cert other-client.crt] \
                tls-key-file [::keel::tls::cert other-client.key]]
            assert_match "error:*" [::keel::tls::try_ping 127.0.0.1 $tls_port $ca_opts]
            assert_equal OK [r config set tls-cert-file [::keel::tls::cert server.crt] \
                tls-key-file [::keel::tls::cert server.key]]
            assert_equal +PONG [::keel::tls::try_ping 127.0.0.1 $tls_port $ca_opts]
        }
        set out [read $bench]
        assert_equal 0 [catch {close $bench} err] "redis-benchmark failed: $err $out"
        assert_match "*SET: * requests per second*GET: * requests per second*" \
            [string map {"\r" "\n"} $out]
    }

    test "CONFIG SET of a missing certificate is refused and the old one stays" {
        assert_error "*CONFIG SET failed (possibly related to argument 'tls-cert-file') - Unable to update TLS configuration. Check server logs.*" \
            {r config set tls-cert-file /nonexistent/server.crt}
        assert_equal [list tls-cert-file [::keel::tls::cert server.crt]] \
            [r config get tls-cert-file]
        assert_morethan [count_log_lines "*Failed to load certificate: /nonexistent/server.crt*"] 0
        assert_equal +PONG [::keel::tls::try_ping 127.0.0.1 $tls_port [::keel::tls::client_options]]
    }

    test "CONFIG SET of a key that does not match is refused as a whole" {
        assert_error "*Unable to update TLS configuration*" \
            {r config set tls-key-file [::keel::tls::cert client.key]}
        assert_equal [list tls-key-file [::keel::tls::cert server.key]] [r config get tls-key-file]
        assert_equal +PONG [::keel::tls::try_ping 127.0.0.1 $tls_port [::keel::tls::client_options]]
    }
}

set tls_port [find_free_port]
set lines [::keel::tls::module_config_lines $tls_port]
lappend lines "io-threads 4" "io-threads-always-active yes" "io-threads-offload-min-events 1"
start_server [list tags {tls tls:skip iothreads} config_lines $lines] {
    tls_traffic_tests $tls_port "io-threads 4"

    test "io-threads 4: TLS reads and writes ran on the IO threads" {
        set info [r info]
        assert_morethan [info_field $info io_threaded_reads_processed] 0
        assert_morethan [info_field $info io_threaded_writes_processed] 0
    }
}
