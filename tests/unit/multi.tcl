# tests/unit/multi.tcl: transactions: MULTI/EXEC/DISCARD, queueing errors
# (-EXECABORT) versus runtime errors inside EXEC, WATCH/UNWATCH touched by
# writes, expiry, FLUSHALL, FLUSHDB and SWAPDB, nesting and misuse errors,
# RESP3 replies, and the CLIENT LIST fields.
#
# Passes against Debian's redis-server 7.0 too.

start_server {tags {multi} overrides {enable-debug-command yes}} {
    test "MULTI / EXEC runs the queued commands and replies their results" {
        r del x y
        set rd [keel_deferring_client]
        foreach cmd {{multi} {set x 1} {incr x} {lpush y a} {get x} {exec}} { $rd {*}$cmd }
        assert_equal OK [$rd read]
        foreach i {1 2 3 4} { assert_equal QUEUED [$rd read] }
        assert_equal {OK 2 1 2} [$rd read]
        $rd close
    }

    test "EXEC of an empty transaction replies an empty array" {
        r multi
        assert_equal {} [r exec]
    }

    test "DISCARD drops the queue" {
        r set d 1
        r multi
        r incr d
        assert_equal OK [r discard]
        assert_equal 1 [r get d]
    }

    test "EXEC, DISCARD without MULTI and nested MULTI are errors" {
        assert_error {ERR EXEC without MULTI} {r exec}
        assert_error {ERR DISCARD without MULTI} {r discard}
        r multi
        assert_error {ERR MULTI calls can not be nested} {r multi}
        r set nested 1
        assert_equal {OK} [r exec]
    }

    test "A queueing error aborts EXEC with EXECABORT" {
        r del q
        r multi
        r set q 1
        assert_error {ERR unknown command*} {r nosuchcommand}
        assert_error {ERR wrong number of arguments*} {r get}
        assert_error {EXECABORT Transaction discarded because of previous errors.} {r exec}
        assert_equal 0 [r exists q]
        # The client is out of MULTI again.
        assert_equal PONG [r ping]
    }

    test "A runtime error inside EXEC does not stop the other commands" {
        r del list s
        r set s str
        r multi
        r set a 1
        r lpush s x
        r incr a
        set reply [r exec]
        assert_equal OK [lindex $reply 0]
        assert_match {WRONGTYPE*} [lindex $reply 1]
        assert_equal 2 [lindex $reply 2]
    }

    test "WATCH inside MULTI is an error and leaves the transaction usable" {
        r multi
        assert_error {ERR WATCH inside MULTI is not allowed} {r watch x}
        r set w 1
        assert_equal OK [r exec]
    }

    test "EXEC fails with a null reply when a watched key changed" {
        r set wk 1
        r watch wk
        set other [keel_client]
        $other set wk 2
        $other close
        r multi
        r set wk 3
        assert_equal {} [r exec]
        assert_equal 2 [r get wk]
    }

    test "EXEC succeeds when the watched key did not change" {
        r set wk 1
        r watch wk
        r multi
        r set wk 3
        assert_equal OK [r exec]
        assert_equal 3 [r get wk]
    }

    test "A watched key that does not exist and stays missing lets EXEC run" {
        r del ghost
        r watch ghost
        r multi
        r ping
        assert_equal PONG [r exec]
    }

    test "Writes by the same client before MULTI also fail the transaction" {
        r set wk 1
        r watch wk
        r set wk 2
        r multi
        r ping
        assert_equal {} [r exec]
    }

    test "UNWATCH forgets the watched keys" {
        r set wk 1
        r watch wk
        r set wk 2
        r unwatch
        r multi
        r ping
        assert_equal PONG [r exec]
    }

    test "EXEC and DISCARD unwatch everything" {
        r set wk 1
        r watch wk
        r multi
        r discard
        r set wk 2
        r multi
        r ping
        assert_equal PONG [r exec]
    }

    test "Every write path touches a watched key: DEL, EXPIRE, RENAME, INCR, APPEND" {
        foreach write {{del wk} {expire wk 100} {rename wk wk2} {incr wk} {append wk x}} {
            r del wk wk2
            r set wk 1
            r watch wk
            set other [keel_client]
            $other {*}$write
            $other close
            r multi
            r ping
            assert_equal {} [r exec] "after $write"
        }
    }

    test "A watched key that expires fails EXEC" {
        r set wk 1 px 50
        r watch wk
        after 120
        r multi
        r ping
        assert_equal {} [r exec]
    }

    test "A watched key already expired when watched does not fail EXEC by expiring" {
        r debug set-active-expire 0
        r set gone 1 px 10
        after 30
        r watch gone
        r multi
        r ping
        assert_equal PONG [r exec]
        r debug set-active-expire 1
    }

    test "FLUSHALL and FLUSHDB touch watched keys that exist" {
        foreach flush {flushall flushdb} {
            r set wk 1
            r watch wk
            set other [keel_client]
            $other $flush
            $other close
            r multi
            r ping
            assert_equal {} [r exec] "after $flush"
        }
    }

    test "FLUSHALL does not touch a watched key that did not exist" {
        r del wk
        r watch wk
        r flushall
        r multi
        r ping
        assert_equal PONG [r exec]
    }

    test "SWAPDB touches watched keys of both databases" {
        r flushall
        r select 1
        r set sw 1
        r select 0
        r watch sw
        set other [keel_client]
        $other swapdb 0 1
        $other close
        r multi
        r ping
        assert_equal {} [r exec]
        r swapdb 0 1
    }

    test "Blocking commands inside MULTI do not block" {
        r del emptylist
        r multi
        r blpop emptylist 0
        assert_equal {{}} [r exec]
    }

    test "CLIENT LIST shows multi= and watch=" {
        set rd [keel_deferring_client]
        $rd client setname txer
        $rd read
        $rd watch a b
        $rd read
        $rd multi
        $rd read
        $rd set a 1
        $rd read
        set line [lsearch -inline [split [r client list] "\n"] "*name=txer*"]
        assert_match {*flags=x*} $line
        assert_match {*multi=1*} $line
        if {[string match "* watch=*" $line]} { assert_match {* watch=2 *} $line } ;# Valkey's field
        $rd discard
        $rd read
        set line [lsearch -inline [split [r client list] "\n"] "*name=txer*"]
        assert_match {*multi=-1*} $line
        $rd close
    }

    test "MULTI/EXEC under RESP3" {
        set c [keel_client -resp 3]
        $c hello 3
        $c multi
        $c set r3 1
        $c get r3
        assert_equal {OK 1} [$c exec]
        $c watch r3
        r set r3 2
        $c multi
        $c get r3
        assert_equal {} [$c exec]
        $c close
    }

    test "Commands queued count in commandstats once run" {
        r config resetstat
        r multi
        r set cs 1
        r set cs 2
        r exec
        assert_match {*calls=2,*} [info_field [r info commandstats] cmdstat_set]
        assert_match {*calls=1,*} [info_field [r info commandstats] cmdstat_exec]
    }
}
