# tests/unit/auth.tcl: password authentication (requirepass, AUTH, HELLO AUTH).
#
# Covers what an unauthenticated connection may do, the exact NOAUTH and
# WRONGPASS replies, the protocol limits that apply before AUTH, and AUTH on
# a server without a password. ACL users beyond "default" are not covered.

start_server {tags {auth} overrides {requirepass foobar}} {
    test "Commands before AUTH are refused with NOAUTH" {
        set c [keel_client]
        assert_error "NOAUTH Authentication required." {$c ping}
        assert_error "NOAUTH Authentication required." {$c client id}
        assert_error "NOAUTH Authentication required." {$c config get port}
        $c close
    }

    test "Unknown commands and arity errors are replied before the NOAUTH check" {
        set c [keel_client]
        assert_error "ERR unknown command 'nosuchcommand', with args beginning with: " \
            {$c nosuchcommand}
        assert_error "ERR wrong number of arguments for 'echo' command" {$c echo}
        $c close
    }

    test "AUTH with a wrong password replies WRONGPASS and stays unauthenticated" {
        set c [keel_client]
        assert_error "WRONGPASS invalid username-password pair or user is disabled." {$c auth wrong}
        assert_error "NOAUTH Authentication required." {$c ping}
        $c close
    }

    test "AUTH with the right password unlocks the connection" {
        set c [keel_client]
        assert_equal OK [$c auth foobar]
        assert_equal PONG [$c ping]
        $c close
    }

    test "AUTH default <password> is the same as AUTH <password>" {
        set c [keel_client]
        assert_equal OK [$c auth default foobar]
        assert_equal PONG [$c ping]
        $c close
    }

    test "AUTH with an unknown user replies WRONGPASS" {
        set c [keel_client]
        assert_error "WRONGPASS invalid username-password pair or user is disabled." \
            {$c auth nosuchuser foobar}
        $c close
    }

    test "AUTH with too many arguments is a syntax error" {
        set c [keel_client]
        assert_error "ERR syntax error" {$c auth a b c}
        $c close
    }

    test "AUTH without arguments is an arity error" {
        set c [keel_client]
        assert_error "ERR wrong number of arguments for 'auth' command" {$c auth}
        $c close
    }

    test "A failed AUTH after a successful one keeps the connection authenticated" {
        set c [keel_client]
        $c auth foobar
        catch {$c auth wrong}
        assert_equal PONG [$c ping]
        $c close
    }

    test "QUIT is allowed before AUTH" {
        set c [keel_client]
        $c write_raw "QUIT\r\n"
        assert_equal "+OK\r\n" [$c read_all_until_close]
        $c close
    }

    test "HELLO without AUTH on an unauthenticated connection is refused" {
        set c [keel_client]
        assert_error "NOAUTH HELLO must be called with the client already authenticated,\
            otherwise the HELLO*AUTH <user> <pass> option can be used to authenticate the client\
            and select the RESP protocol version at the same time" {$c hello 3}
        assert_error "NOAUTH HELLO must be called*" {$c hello}
        $c close
    }

    test "HELLO AUTH with the right credentials authenticates and switches protocol" {
        set c [keel_client]
        set hello [$c hello 3 auth default foobar]
        assert_equal 3 [dict get $hello proto]
        assert_equal PONG [$c ping]
        $c close
    }

    test "HELLO AUTH with wrong credentials replies WRONGPASS and keeps RESP2" {
        set c [keel_client]
        assert_error "WRONGPASS invalid username-password pair or user is disabled." \
            {$c hello 3 auth default wrong}
        assert_error "NOAUTH Authentication required." {$c ping}
        $c write_raw "AUTH foobar\r\n"
        assert_equal "+OK" [$c read_raw_line]
        $c write_raw "CLIENT GETNAME\r\n"
        assert_equal {$-1} [$c read_raw_line]
        $c close
    }

    test "HELLO AUTH and SETNAME together authenticate and name the connection" {
        set c [keel_client]
        $c hello 2 auth default foobar setname authed
        assert_equal authed [$c client getname]
        $c close
    }

    test "Before AUTH a multibulk count above 10 is a protocol error" {
        set c [keel_client]
        $c write_raw "*11\r\n"
        assert_equal "-ERR Protocol error: unauthenticated multibulk length\r\n" \
            [$c read_all_until_close]
        $c close
    }

    test "Before AUTH a multibulk count of 10 is accepted" {
        set c [keel_client]
        assert_error "ERR syntax error" {$c auth 1 2 3 4 5 6 7 8 9}
        $c close
    }

    test "Before AUTH a bulk longer than 16384 bytes is a protocol error" {
        set c [keel_client]
        $c write_raw "*2\r\n\$4\r\nAUTH\r\n\$16385\r\n"
        assert_equal "-ERR Protocol error: unauthenticated bulk length\r\n" \
            [$c read_all_until_close]
        $c close
    }

    test "Before AUTH a bulk of 16384 bytes is accepted" {
        set c [keel_client]
        assert_error "WRONGPASS*" {$c auth [string repeat p 16384]}
        $c close
    }

    test "After AUTH the unauthenticated protocol limits no longer apply" {
        set c [keel_client]
        $c auth foobar
        assert_error "ERR wrong number of arguments for 'echo' command" {$c echo 1 2 3 4 5 6 7 8 9 10 11}
        set big [string repeat b 20000]
        assert_equal $big [$c echo $big]
        $c close
    }

    test "Failed authentications are counted in INFO errorstats" {
        set c [keel_client]
        $c auth foobar
        $c config resetstat
        set other [keel_client]
        catch {$other auth wrong}
        catch {$other ping}
        set info [$c info errorstats]
        assert_equal "count=1" [info_field $info errorstat_WRONGPASS]
        assert_equal "count=1" [info_field $info errorstat_NOAUTH]
        $other close
        $c close
    }

    test "CONFIG SET requirepass applies to new connections, not authenticated ones" {
        set admin [keel_client]
        $admin auth foobar
        assert_equal OK [$admin config set requirepass newpass]
        assert_equal PONG [$admin ping]
        set c [keel_client]
        assert_error "WRONGPASS*" {$c auth foobar}
        assert_equal OK [$c auth newpass]
        $c close
        $admin config set requirepass foobar
        $admin close
    }
}

start_server {tags {auth}} {
    test "Without a password every connection is authenticated" {
        set c [keel_client]
        assert_equal PONG [$c ping]
        $c close
    }

    test "AUTH <password> without a configured password is an error" {
        assert_error "ERR AUTH <password> called without any password configured for the\
            default user. Are you sure your configuration is correct?" {r auth foo}
    }

    test "AUTH default <anything> succeeds when the default user has no password" {
        assert_equal OK [r auth default anything]
    }

    test "AUTH with an unknown user replies WRONGPASS without a configured password too" {
        assert_error "WRONGPASS invalid username-password pair or user is disabled." \
            {r auth nosuchuser x}
    }

    test "HELLO AUTH default with any password succeeds without a configured password" {
        set c [keel_client]
        assert_equal 3 [dict get [$c hello 3 auth default anything] proto]
        $c close
    }
}
