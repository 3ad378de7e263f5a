# tests/unit/client_eviction.tcl: client eviction (maxmemory-clients).
#
# The option's values and errors, which clients are disconnected when the
# memory of all clients passes the limit (the biggest first, never those with
# CLIENT NO-EVICT on), and the evicted_clients counter of INFO stats. Clients
# are made big with a partial big argument (query buffer) or with replies
# they never read (output buffer). The default client `r` is NO-EVICT in
# every test that sets a limit, so only the client under test can go.

# 1 if a client with this name is connected.
proc client_exists {name} {
    return [string match "*name=$name *" [r client list]]
}

# A field of the named client's CLIENT LIST line, or "" when it is gone.
proc client_field {name field} {
    foreach line [split [r client list] "\n"] {
        if {![string match "*name=$name *" $line]} continue
        foreach pair [split [string trim $line] " "] {
            if {[string match "$field=*" $pair]} {
                return [string range $pair [string length $field]+1 end]
            }
        }
    }
    return ""
}

proc evicted_clients {} {
    return [info_field [r info stats] evicted_clients]
}

# A deferring client named $name that has sent the start of a command whose
# last argument is $declared bytes long, followed by $sent bytes of it.
proc client_with_partial_arg {name declared sent {no_evict off}} {
    set rd [keel_deferring_client]
    $rd client setname $name
    assert_equal OK [$rd read]
    $rd client no-evict $no_evict
    assert_equal OK [$rd read]
    # The server may evict the client before it has read everything, and
    # the rest of the write then fails: callers check what happened.
    catch {$rd write_raw "*2\r\n\$4\r\nECHO\r\n\$$declared\r\n[string repeat x $sent]"}
    return $rd
}

# Waits until the server has read $bytes of the named client's query buffer.
proc wait_for_qbuf {name bytes} {
    wait_for_condition 200 20 {
        [client_field $name qbuf] ne "" && [client_field $name qbuf] >= $bytes
    } else {
        fail "client $name never buffered $bytes bytes: [r client list]"
    }
}

proc wait_for_client_gone {name} {
    wait_for_condition 200 20 {![client_exists $name]} else {
        fail "client $name was not evicted: [r client list]"
    }
}

# Waits until the test client is the only one: a client closed by the
# previous test may not be freed yet, and its memory would count toward
# maxmemory-clients.
proc wait_for_lone_client {} {
    wait_for_condition 200 20 {[info_field [r info clients] connected_clients] == 1} else {
        fail "clients of the previous test are still connected: [r client list]"
    }
}

start_server {tags {client}} {
    test "maxmemory-clients defaults to 0 (no client eviction)" {
        assert_equal {maxmemory-clients 0} [r config get maxmemory-clients]
    }

    test "maxmemory-clients takes bytes, memory units and percentages of maxmemory" {
        r config set maxmemory-clients 1kb
        assert_equal {maxmemory-clients 1024} [r config get maxmemory-clients]
        r config set maxmemory-clients 10%
        assert_equal {maxmemory-clients 10%} [r config get maxmemory-clients]
        r config set maxmemory-clients 100%
        assert_equal {maxmemory-clients 100%} [r config get maxmemory-clients]
        r config set maxmemory-clients 0
        assert_equal {maxmemory-clients 0} [r config get maxmemory-clients]
    }

    test "CONFIG SET maxmemory-clients refuses a value that is not memory or a percentage" {
        assert_error "ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - argument must be a memory or percent value" {
            r config set maxmemory-clients abc
        }
        assert_error "ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - argument must be a memory or percent value" {
            r config set maxmemory-clients -1
        }
        assert_error "ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - argument must be a memory or percent value" {
            r config set maxmemory-clients 10%%
        }
        assert_equal {maxmemory-clients 0} [r config get maxmemory-clients]
    }

    test "CONFIG SET maxmemory-clients refuses a percentage over 100" {
        assert_error "ERR CONFIG SET failed (possibly related to argument 'maxmemory-clients') - percentage argument must be less or equal to 100" {
            r config set maxmemory-clients 101%
        }
        assert_equal {maxmemory-clients 0} [r config get maxmemory-clients]
    }

    test "A limit below 128kb is raised to it, so small clients stay connected" {
        r config set maxmemory-clients 1
        assert_equal PONG [r ping]
        set c [keel_client]
        assert_equal PONG [$c ping]
        assert_equal PONG [$c ping]
        $c close
        r config set maxmemory-clients 0
    }

    test "Without maxmemory-clients a client with a big query buffer stays connected" {
        set before [evicted_clients]
        set rd [client_with_partial_arg big-unlimited 3000000 1200000]
        wait_for_qbuf big-unlimited 1200000
        assert [client_exists big-unlimited]
        assert_equal $before [evicted_clients]
        $rd close
    }

    test "A client whose query buffer passes maxmemory-clients is evicted and counted" {
        wait_for_lone_client
        r client no-evict on
        r config set maxmemory-clients 1mb
        set before [evicted_clients]
        set rd [client_with_partial_arg big-qbuf 3000000 100000]
        wait_for_client_gone big-qbuf
        assert_equal [expr {$before + 1}] [evicted_clients]
        # The evicted connection is closed by the server.
        $rd read_all_until_close
        catch {$rd close}
        r config set maxmemory-clients 0
    }

    test "A client with NO-EVICT on survives over maxmemory-clients" {
        wait_for_lone_client
        r client no-evict on
        r config set maxmemory-clients 1mb
        set before [evicted_clients]
        set rd [client_with_partial_arg protected 3000000 1200000 on]
        wait_for_qbuf protected 1200000
        assert_equal PONG [r ping]
        assert [client_exists protected]
        assert_equal $before [evicted_clients]
        $rd close
        r config set maxmemory-clients 0
    }

    test "A client with replies it never reads is evicted over maxmemory-clients" {
        wait_for_lone_client
        r client no-evict on
        r config set maxmemory-clients 1mb
        set before [evicted_clients]
        set rd [keel_deferring_client]
        $rd client setname big-replies
        assert_equal OK [$rd read]
        # 40 MB of ECHO replies: far more than the socket buffers hold.
        set arg [string repeat y 1000000]
        set command "*2\r\n\$4\r\nECHO\r\n\$1000000\r\n$arg\r\n"
        catch {
            for {set i 0} {$i < 40} {incr i} {
                $rd write_raw $command
            }
        }
        wait_for_client_gone big-replies
        assert_equal [expr {$before + 1}] [evicted_clients]
        catch {$rd close}
        r config set maxmemory-clients 0
    }

    test "Eviction disconnects the biggest client first and stops under the limit" {
        wait_for_lone_client
        r client no-evict on
        r config set maxmemory-clients 2mb
        set before [evicted_clients]
        set small [client_with_partial_arg smaller 600000 500000]
        wait_for_qbuf smaller 500000
        set big [client_with_partial_arg bigger 3000000 100000]
        wait_for_client_gone bigger
        assert [client_exists smaller]
        assert_equal [expr {$before + 1}] [evicted_clients]
        $small close
        catch {$big close}
        r config set maxmemory-clients 0
    }

    test "Lowering maxmemory-clients evicts a client that is now over it" {
        wait_for_lone_client
        r client no-evict on
        set before [evicted_clients]
        set rd [client_with_partial_arg lowered 1000000 500000]
        wait_for_qbuf lowered 500000
        assert [client_exists lowered]
        r config set maxmemory-clients 512kb
        wait_for_client_gone lowered
        assert_equal [expr {$before + 1}] [evicted_clients]
        catch {$rd close}
        r config set maxmemory-clients 0
    }

    test "maxmemory-clients as a percentage applies to maxmemory" {
        wait_for_lone_client
        r client no-evict on
        r config set maxmemory 100mb
        r config set maxmemory-clients 1%
        set before [evicted_clients]
        set rd [client_with_partial_arg percent 3000000 100000]
        wait_for_client_gone percent
        assert_equal [expr {$before + 1}] [evicted_clients]
        catch {$rd close}
        r config set maxmemory-clients 0
        r config set maxmemory 0
    }

    test "A percentage does nothing while maxmemory is 0" {
        wait_for_lone_client
        r client no-evict on
        r config set maxmemory-clients 1%
        set before [evicted_clients]
        set rd [client_with_partial_arg percent-off 3000000 1200000]
        wait_for_qbuf percent-off 1200000
        assert [client_exists percent-off]
        assert_equal $before [evicted_clients]
        $rd close
        r config set maxmemory-clients 0
    }

    test "CONFIG RESETSTAT zeroes evicted_clients" {
        assert_morethan [evicted_clients] 0
        r config resetstat
        assert_equal 0 [evicted_clients]
    }
}
