# tests/unit/daemon.tcl: daemonize and pidfile: the server detaches, writes
# its pid, serves, and on SIGTERM shuts down and removes the pid file.

set root [file normalize [file join [file dirname [info script]] ../..]]
set binary $::keel::server::binary

test "daemonize yes detaches, writes the pidfile and serves" {
    skip_unless {[string match *keel-server* [file tail $binary]]} "checks keel's log lines"
    set dir [file join $root tests tmp daemon.[pid].[clock microseconds]]
    file mkdir $dir
    set port [find_free_port]
    set pidfile $dir/keel.pid
    # The parent returns at once; the daemon goes on in the background.
    exec $binary --daemonize yes --pidfile $pidfile --port $port --bind 127.0.0.1 \
        --logfile $dir/log --dir $dir
    wait_for_condition 200 25 {[file exists $pidfile] && [file size $pidfile] > 0} else {
        fail "no pidfile at $pidfile"
    }
    set f [open $pidfile]
    set daemon_pid [string trim [read $f]]
    close $f
    try {
        set c [keel_client 127.0.0.1 $port]
        assert_equal PONG [$c ping]
        assert_equal $daemon_pid [info_field [$c info server] process_id]
        assert_equal {daemonize yes} [$c config get daemonize]
        $c close
        exec kill -TERM $daemon_pid
        wait_for_condition 200 25 {![file exists /proc/$daemon_pid]} else {
            fail "the daemon did not exit on SIGTERM"
        }
        assert_equal 0 [file exists $pidfile] "pidfile removed at shutdown"
        set f [open $dir/log]
        set log [read $f]
        close $f
        assert_match "*Received SIGTERM scheduling shutdown...*Removing the pid file.*ready to exit, bye bye...*" $log
    } finally {
        catch {exec kill -KILL $daemon_pid}
        file delete -force $dir
    }
} {tls:skip}
