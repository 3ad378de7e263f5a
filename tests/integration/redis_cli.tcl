# tests/integration/redis_cli.tcl: Debian's redis-cli (redis-tools) talks to
# keel: every command family of the core answers through it as it does from
# a Valkey server.

set have_cli [expr {![catch {exec which redis-cli}]}]

proc cli {args} {
    exec redis-cli -h 127.0.0.1 -p [srv port] {*}$args
}

start_server {tags {redis-cli tls:skip}} {
    test "redis-cli PING, ECHO and TIME" {
        skip_unless {$have_cli} "redis-cli (Debian redis-tools) is not installed"
        assert_equal PONG [cli ping]
        assert_equal "hello world" [cli echo "hello world"]
        assert_equal 2 [llength [split [cli time] \n]]
    }

    test "redis-cli INFO shows the sections dashboards read" {
        skip_unless {$have_cli} "redis-cli (Debian redis-tools) is not installed"
        set info [cli info]
        foreach field {redis_version connected_clients used_memory used_memory_rss mem_allocator
                       total_commands_processed role} {
            assert_match "*$field:*" $info
        }
    }

    test "redis-cli CONFIG GET and SET" {
        skip_unless {$have_cli} "redis-cli (Debian redis-tools) is not installed"
        assert_equal OK [cli config set timeout 33]
        assert_equal "timeout\n33" [cli config get timeout]
        cli config set timeout 0
    }

    test "redis-cli CLIENT LIST, SETNAME and KILL" {
        skip_unless {$have_cli} "redis-cli (Debian redis-tools) is not installed"
        assert_match "id=*addr=*cmd=client|list*" [cli client list]
        assert_equal OK [cli client setname from-cli]
        assert_equal 0 [cli client kill id 999999]
    }

    test "redis-cli COMMAND COUNT, INFO and DOCS" {
        skip_unless {$have_cli} "redis-cli (Debian redis-tools) is not installed"
        assert_morethan [cli command count] 10
        assert_match "*ping*" [cli command info ping]
        assert_match "*summary*" [cli command docs ping]
    }

    test "redis-cli MODULE LIST and an unknown command" {
        skip_unless {$have_cli} "redis-cli (Debian redis-tools) is not installed"
        if {[string match *keel* [file tail $::keel::server::binary]]} {
            assert_match "*socket*" [cli module list]
        }
        assert_match "ERR unknown command 'nosuch'*" [cli nosuch a]
    }

    test "redis-cli --resp3 gets RESP3 replies" {
        skip_unless {$have_cli} "redis-cli (Debian redis-tools) is not installed"
        assert_match "*proto*3*" [cli -3 hello 3]
    }

    test "redis-cli reads a pipe of commands in one go" {
        skip_unless {$have_cli} "redis-cli (Debian redis-tools) is not installed"
        set out [exec redis-cli -h 127.0.0.1 -p [srv port] << "PING\nECHO a\nPING\n"]
        assert_equal "PONG\na\nPONG" $out
    }

    test "redis-cli SHUTDOWN NOSAVE stops the server" {
        skip_unless {$have_cli} "redis-cli (Debian redis-tools) is not installed"
        catch {cli shutdown nosave}
        assert_equal 0 [wait_for_server_exit 0 10000]
    }
}
