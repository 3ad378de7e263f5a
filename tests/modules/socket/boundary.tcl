# tests/modules/socket/boundary.tcl: the core makes no socket calls: every
# socket function is reached only through a connection type in a module.

# keel modules only: against another server (the reference redis-server)
# these tests have nothing to check.
if {![string match *keel* [file tail $::keel::server::binary]]} {
    skip "tests keel's own modules"
}

set root [file normalize [file join [file dirname [info script]] ../../..]]

test "keel-server imports no socket functions" {
    skip_unless {![catch {exec which nm}]} "nm (binutils) is not installed"
    set syms [exec nm -D --undefined-only $root/build/bin/keel-server]
    foreach fn {socket accept accept4 recv recvfrom recvmsg send sendto sendmsg
                setsockopt getsockopt connect bind listen shutdown getpeername
                getsockname writev readv} {
        if {[regexp "\\m${fn}@" $syms]} {
            fail "keel-server imports $fn"
        }
    }
}

test "keel-socket.so provides the socket calls the core lacks" {
    skip_unless {![catch {exec which nm}]} "nm (binutils) is not installed"
    set syms [exec nm -D --undefined-only $root/build/modules/keel-socket.so]
    assert_match "*accept4*" $syms
    assert_match "*setsockopt*" $syms
}
