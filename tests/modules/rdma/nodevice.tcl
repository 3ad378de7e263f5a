# tests/modules/rdma/nodevice.tcl: keel-rdma.so on a host without an RDMA
# device (every build machine): the module loads and its options and
# module arguments work; asking it to listen stops start-up with one line
# naming the cause (exit 1, never a server without the listener asked for);
# CONFIG SET rdma-port is refused and the server keeps serving; bad module
# arguments fail the load with Valkey's text; runtime MODULE LOAD/UNLOAD of
# the transport are refused.

if {![string match *keel* [file tail $::keel::server::binary]]} {
    skip "tests keel's own RDMA module"
}
set moddir [file normalize [file join [file dirname $::keel::server::binary] ../modules]]
if {![file exists $moddir/keel-rdma.so]} {
    skip "$moddir/keel-rdma.so was not built (libibverbs-dev and librdmacm-dev missing? run deps/install-deps.sh build)"
}
set rdma_devices [glob -nocomplain /sys/class/infiniband/*]
if {[llength $rdma_devices] > 0} {
    skip "an RDMA device exists here ([join $rdma_devices]): the no-device path cannot be shown; e2e.tcl runs instead"
}
# The RDMA module beside whatever the --tls pass configures changes nothing
# here; one pass is enough.
file_tags {tls:skip}

set no_device_text "no RDMA device found (ibv_get_device_list returned 0 devices)"

# Runs a server that must fail to start; returns its log after checking
# that it exited with status 1.
proc rdma_failed_start {lines} {
    lassign [start_server_and_fail [list config_lines $lines]] code out err
    assert_equal 1 $code "exit status"
    return "$out\n$err"
}

# How many lines of text match pattern.
proc rdma_count_lines {text pattern} {
    set n 0
    foreach line [split $text \n] {
        if {[string match $pattern $line]} {
            incr n
        }
    }
    return $n
}

test "rdma-port without a device stops start-up with one line naming the cause" {
    set port [find_free_port]
    set log [rdma_failed_start [list "loadmodule keel-rdma.so" "rdma-port $port"]]
    assert_equal 1 [rdma_count_lines $log "*no RDMA device found*"] "lines naming the cause"
    assert_match "*Warning: $no_device_text; load kernel module rdma_rxe*" $log
    assert_match "*Failed listening on port $port (rdma), aborting.*" $log
    assert_no_match "*Ready to accept connections*" $log
}

test "the Valkey 8.0 module arguments port= and bind= fail the same way without a device" {
    set port [find_free_port]
    set log [rdma_failed_start [list "loadmodule keel-rdma.so port=$port bind=127.0.0.1"]]
    assert_match "*Warning: $no_device_text*" $log
    assert_match "*Failed listening on port $port (rdma), aborting.*" $log
}

test "port 0 with only rdma-port fails on the RDMA listener, not for listening nowhere" {
    set port [find_free_port]
    set log [rdma_failed_start [list "port 0" "loadmodule keel-rdma.so" "rdma-port $port"]]
    assert_match "*Failed listening on port $port (rdma), aborting.*" $log
    assert_no_match "*not listen anywhere*" $log
}

test "an unknown module argument fails the load with Valkey's text" {
    set log [rdma_failed_start [list "loadmodule keel-rdma.so port=6379 foo=1"]]
    assert_match "*keel-rdma.so failed to load: RDMA: Unsupported argument \"foo=1\" (at *keel.conf:1)*" $log
    assert_match "*Can't load module from *keel-rdma.so: server aborting*" $log
}

test "a module argument out of range names the range" {
    set log [rdma_failed_start [list "loadmodule keel-rdma.so rx-size=1024"]]
    assert_match "*RDMA: argument \"rx-size=1024\": rx-size must be between 65536 and 16777216 bytes*" $log
    set log [rdma_failed_start [list "loadmodule keel-rdma.so port=70000"]]
    assert_match "*RDMA: argument \"port=70000\": port must be between 0 and 65535*" $log
}

test "an rdma-* option without the module says which module to load" {
    set log [rdma_failed_start [list "rdma-port 6380"]]
    assert_match "*rdma-port needs keel-rdma.so: add 'loadmodule keel-rdma.so'*" $log
}

test "rdma-rx-size out of range in the config file stops start-up" {
    set log [rdma_failed_start [list "loadmodule keel-rdma.so" "rdma-rx-size 1k"]]
    assert_match "*rdma-rx-size*" $log
}

start_server [list tags {modules rdma} overrides {io-threads 1} config_lines [list \
        "loadmodule keel-rdma.so rx-size=131072 comp-vector=3 bind=10.0.0.9 bind=-::1" \
        "enable-module-command yes"]] {
    test "keel-rdma.so loads without a device when rdma-port is 0" {
        assert_equal PONG [r ping]
        set names {}
        foreach entry [r module list] { lappend names [dict get $entry name] }
        assert_equal {rdma socket} [lsort $names]
    }

    test "module arguments set the rdma-* options" {
        assert_equal {rdma-rx-size 131072} [r config get rdma-rx-size]
        assert_equal {rdma-completion-vector 3} [r config get rdma-completion-vector]
        assert_equal {rdma-bind {10.0.0.9 -::1}} [r config get rdma-bind]
        assert_equal {rdma-port 0} [r config get rdma-port]
    }

    test "CONFIG SET rdma-port without a device is refused, logged, and the server keeps serving" {
        set port [find_free_port]
        assert_error "*Unable to listen on this port. Check server logs.*" {r config set rdma-port $port}
        wait_for_log_line "*Failed listening on port $port (rdma)"
        assert_match "*Warning: $no_device_text*" [log_lines]
        assert_equal {rdma-port 0} [r config get rdma-port]
        assert_equal PONG [r ping]
    }

    test "CONFIG SET rdma-rx-size takes 64k..16m and refuses the rest" {
        assert_equal OK [r config set rdma-rx-size 2mb]
        assert_equal {rdma-rx-size 2097152} [r config get rdma-rx-size]
        assert_error "*argument must be between 65536 and 16777216*" {r config set rdma-rx-size 65535}
        assert_error "*argument must be between 65536 and 16777216*" {r config set rdma-rx-size 17mb}
        assert_error "*" {r config set rdma-rx-size abc}
        assert_equal {rdma-rx-size 2097152} [r config get rdma-rx-size]
    }

    test "rdma-completion-vector is fixed at startup" {
        assert_error "*can't set immutable config*" {r config set rdma-completion-vector 1}
    }

    test "INFO has no RDMA listener line while rdma-port is 0" {
        assert_no_match "*name=rdma*" [r info server]
    }

    test "MODULE UNLOAD rdma is refused and the server keeps serving" {
        assert_error "ERR Error unloading module*" {r module unload rdma}
        assert_equal PONG [r ping]
    }

    test "MODULE LOAD of keel-rdma.so at runtime is refused" {
        assert_error "ERR Error loading the extension*" {r module load $moddir/keel-rdma.so}
        wait_for_log_line "*keel-rdma.so failed to load: it is already loaded (from MODULE LOAD)*"
        assert_equal 2 [llength [r module list]]
        assert_equal {rdma-rx-size 2097152} [r config get rdma-rx-size]
        assert_equal PONG [r ping]
    }
}

start_server [list tags {modules rdma} overrides {io-threads 1} config_lines [list \
        "loadmodule keel-rdma.so rx-size=131072" "rdma-rx-size 262144"]] {
    test "a config-file line wins over the module argument for the same option" {
        assert_equal {rdma-rx-size 262144} [r config get rdma-rx-size]
    }
}
