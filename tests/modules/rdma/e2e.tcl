# tests/modules/rdma/e2e.tcl: keel over RDMA end to end, driven by
# keel-rdma-cli (the Tcl client cannot speak RDMA): PING, values of 1 B,
# 16 KiB, 1 MiB and 8 MiB read back byte-exact (crossing the 1 MiB RX
# buffer and its re-registration many times), 10 000 pipelined commands in
# one write answered in order, a graceful and an abrupt disconnect freeing
# the client, and CONFIG SET rdma-port moving the listener.
#
# Needs an RDMA device: a soft one (rdma_rxe) made by tools/rdma-setup.sh
# is enough. Without one every test here is reported as skipped, with the
# reason. The address to use is $KEEL_RDMA_ADDR, else the IPv4 address of
# the netdev under the first RDMA link.

if {![string match *keel* [file tail $::keel::server::binary]]} {
    skip "tests keel's own RDMA module"
}
set moddir [file normalize [file join [file dirname $::keel::server::binary] ../modules]]
set rdma_cli [file normalize [file join [file dirname $::keel::server::binary] keel-rdma-cli]]
if {![file exists $moddir/keel-rdma.so] || ![file exists $rdma_cli]} {
    skip "keel-rdma.so or keel-rdma-cli was not built (libibverbs-dev and librdmacm-dev missing? run deps/install-deps.sh build)"
}
if {[llength [glob -nocomplain /sys/class/infiniband/*]] == 0} {
    skip "no RDMA device on this host (/sys/class/infiniband is empty or absent); run tools/rdma-setup.sh as root where the kernel has rdma_rxe"
}

# The address clients connect to: KEEL_RDMA_ADDR, else the IPv4 address of
# the first RDMA link's netdev. "" when neither is known.
proc rdma_test_addr {} {
    if {[info exists ::env(KEEL_RDMA_ADDR)] && $::env(KEEL_RDMA_ADDR) ne ""} {
        return $::env(KEEL_RDMA_ADDR)
    }
    if {[catch {exec rdma link show} links] || ![regexp {netdev (\S+)} $links -> netdev]} {
        return ""
    }
    if {[catch {exec ip -4 -o addr show dev $netdev} addrs] ||
        ![regexp {inet (\d+\.\d+\.\d+\.\d+)} $addrs -> addr]} {
        return ""
    }
    return $addr
}

set rdma_addr [rdma_test_addr]
if {$rdma_addr eq ""} {
    skip "an RDMA device exists but its IPv4 address is unknown: set KEEL_RDMA_ADDR"
}
file_tags {tls:skip}

# A RESP command from its words.
proc rdma_resp {args} {
    set out "*[llength $args]\r\n"
    foreach word $args {
        append out "\$[string length $word]\r\n$word\r\n"
    }
    return $out
}

# Sends input (bytes) over RDMA to port with keel-rdma-cli and returns the
# raw bytes of the first n replies. extra: more cli options.
proc rdma_exchange {port input n {extra {}}} {
    set dir [file join $::keel::server::tmp_root rdma-e2e.[pid]]
    file mkdir $dir
    set in [file join $dir in]
    set out [file join $dir out]
    set f [open $in wb]
    puts -nonewline $f $input
    close $f
    exec $::rdma_cli -h $::rdma_addr -p $port --timeout-ms 20000 --stdin $n {*}$extra \
        < $in > $out
    set f [open $out rb]
    set data [read $f]
    close $f
    file delete -force $dir
    return $data
}

set rdma_port [find_free_port]
start_server [list tags {modules rdma} overrides {protected-mode no} config_lines [list \
        "loadmodule keel-rdma.so" "rdma-port $rdma_port" "rdma-bind $rdma_addr"]] {
    test "INFO server shows the RDMA listener" {
        assert_match "*listener*:name=rdma,bind=$rdma_addr,port=$rdma_port*" [r info server]
    }

    test "PING over RDMA replies PONG" {
        assert_equal "+PONG" [string trim [exec $rdma_cli -h $rdma_addr -p $rdma_port PING]]
    }

    foreach size {1 16384 1048576 8388608} {
        test "a $size-byte value written and read over RDMA comes back byte-exact" {
            set value [string repeat "abcdefghijklmnopqrstuvwxyz0123456789" [expr {$size / 36 + 1}]]
            set value [string range $value 0 [expr {$size - 1}]]
            set reply [rdma_exchange $rdma_port \
                "[rdma_resp SET rdma:big $value][rdma_resp GET rdma:big]" 2]
            assert_equal "+OK\r\n\$$size\r\n$value\r\n" $reply
            assert_equal $size [r strlen rdma:big]
        }
    }

    test "10000 pipelined commands in one write are answered in order" {
        r del rdma:counter
        set input [string repeat [rdma_resp INCR rdma:counter] 10000]
        set reply [rdma_exchange $rdma_port $input 10000]
        set expected ""
        for {set i 1} {$i <= 10000} {incr i} {
            append expected ":$i\r\n"
        }
        assert_equal $expected $reply
    }

    test "a client that disconnects is freed" {
        set before [info_field [r info clients] connected_clients]
        exec $rdma_cli -h $rdma_addr -p $rdma_port PING
        wait_for_condition 100 50 {
            [info_field [r info clients] connected_clients] == $before
        } else {
            fail "the RDMA client was not freed after its disconnect"
        }
    }

    test "a client that vanishes mid-reply is freed and the server keeps serving" {
        r set rdma:big [string repeat x 4000000]
        set before [info_field [r info clients] connected_clients]
        rdma_exchange $rdma_port [string repeat [rdma_resp GET rdma:big] 4] 0 --close-early
        wait_for_condition 200 50 {
            [info_field [r info clients] connected_clients] == $before
        } else {
            fail "the vanished RDMA client was not freed"
        }
        assert_equal "+PONG" [string trim [exec $rdma_cli -h $rdma_addr -p $rdma_port PING]]
    }

    test "CONFIG SET rdma-port moves the listener" {
        set moved [find_free_port]
        assert_equal OK [r config set rdma-port $moved]
        assert_equal "+PONG" [string trim [exec $rdma_cli -h $rdma_addr -p $moved PING]]
        assert_error "*" {exec $rdma_cli -h $rdma_addr -p $rdma_port --timeout-ms 2000 PING}
        assert_equal OK [r config set rdma-port $rdma_port]
    }
}
