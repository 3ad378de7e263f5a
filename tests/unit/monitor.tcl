# tests/unit/monitor.tcl: MONITOR: the line format, the database and client
# address in it, commands it must not show (admin commands, refused
# commands) and credentials it redacts.
#
# Passes against Debian's redis-server 7.0 too.

# A deferring client in MONITOR mode.
proc monitor_client {} {
    set rd [keel_deferring_client]
    $rd monitor
    assert_equal OK [$rd read]
    return $rd
}

start_server {tags {monitor}} {
    test "MONITOR shows each command with time, db, address and quoted arguments" {
        set rd [monitor_client]
        r set foo "bar baz"
        set line [$rd read]
        assert_match {[0-9]*.[0-9]* \[0 127.0.0.1:*\] "set" "foo" "bar baz"} $line
        $rd close
    }

    test "MONITOR escapes binary and quote characters" {
        set rd [monitor_client]
        r set k "a\"b\nc\x01"
        assert_match {*"set" "k" "a\\"b\\nc\\x01"} [$rd read]
        $rd close
    }

    test "MONITOR shows the client's database" {
        set rd [monitor_client]
        r select 4
        r get k
        r select 0
        # Shown after it ran, so in the database it selected (as Valkey).
        assert_match {*\[4 *\] "select" "4"} [$rd read]
        assert_match {*\[4 *\] "get" "k"} [$rd read]
        $rd close
    }

    test "MONITOR does not show admin commands or refused commands" {
        set rd [monitor_client]
        r config get maxmemory
        catch {r nosuchcommand}
        catch {r get}
        r ping
        assert_match {*"ping"} [$rd read]
        $rd close
    }

    test "MONITOR redacts AUTH and HELLO credentials" {
        set rd [monitor_client]
        catch {r auth secretpw}
        catch {r hello 2 auth default secretpw}
        set a [$rd read]
        set b [$rd read]
        assert_match {*"auth" "(redacted)"} $a
        assert_match {*"hello" "2" "auth" "(redacted)" "(redacted)"} $b
        $rd close
    }

    test "MONITOR shows MULTI, the queued commands as they run, and EXEC" {
        set rd [monitor_client]
        r multi
        r set m 1
        r exec
        assert_match {*"multi"} [$rd read]
        assert_match {*"set" "m" "1"} [$rd read]
        assert_match {*"exec"} [$rd read]
        $rd close
    }

    test "MONITOR inside MULTI is refused" {
        r multi
        catch {r monitor} err
        catch {r exec} result
        assert_match {*MONITOR isn't allowed*} [lindex $result 0]$err
    }

    test "A closed monitor stops receiving and is removed" {
        set rd [monitor_client]
        $rd close
        r set after close
        assert_equal PONG [r ping]
    }
}
