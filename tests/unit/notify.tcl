# tests/unit/notify.tcl: keyspace notifications (notify-keyspace-events):
# the option's parsing and canonical form, the keyspace and keyevent
# channels, the events of the string, generic and expire commands, and the
# server's own events: expired, evicted and new.
#
# Passes against Debian's redis-server 7.0 too, except where noted: redis
# 7.0 does not print 'n' back in CONFIG GET.

# A deferring client subscribed to pattern; returns it.
proc notify_subscriber {pattern} {
    set rd [keel_deferring_client]
    $rd psubscribe $pattern
    $rd read
    return $rd
}

# Reads the next pmessage from rd as {channel payload}.
proc next_event {rd} {
    set msg [$rd read]
    assert_equal pmessage [lindex $msg 0]
    return [lrange $msg 2 3]
}

start_server {tags {pubsub notify} overrides {enable-debug-command yes}} {
    test "notify-keyspace-events defaults to empty and round-trips" {
        assert_equal {notify-keyspace-events {}} [r config get notify-keyspace-events]
        r config set notify-keyspace-events KEA
        assert_equal {notify-keyspace-events AKE} [r config get notify-keyspace-events]
        r config set notify-keyspace-events {g$lshzxetd}
        assert_equal {notify-keyspace-events A} [r config get notify-keyspace-events]
        r config set notify-keyspace-events {Ex$}
        assert_equal {notify-keyspace-events {$xE}} [r config get notify-keyspace-events]
        r config set notify-keyspace-events ""
    }

    test "notify-keyspace-events refuses an unknown class character" {
        assert_error {*Invalid event class character*} {r config set notify-keyspace-events KEZ}
        assert_equal {notify-keyspace-events {}} [r config get notify-keyspace-events]
    }

    test "Nothing is published while notifications are off" {
        set rd [notify_subscriber *]
        r set quiet 1
        r del quiet
        assert_equal 1 [r publish marker done]
        assert_equal {marker done} [next_event $rd]
        $rd close
    }

    test "K publishes the event on __keyspace@<db>__:<key>" {
        r config set notify-keyspace-events K\$
        set rd [notify_subscriber __keyspace@*]
        r set foo bar
        assert_equal {__keyspace@0__:foo set} [next_event $rd]
        $rd close
        r config set notify-keyspace-events ""
    }

    test "E publishes the key on __keyevent@<db>__:<event>" {
        r config set notify-keyspace-events E\$
        set rd [notify_subscriber __keyevent@*]
        r set foo bar
        assert_equal {__keyevent@0__:set foo} [next_event $rd]
        $rd close
        r config set notify-keyspace-events ""
    }

    test "The database number is the client's" {
        r config set notify-keyspace-events E\$
        set rd [notify_subscriber __keyevent@*]
        r select 3
        r set in3 v
        r select 0
        assert_equal {__keyevent@3__:set in3} [next_event $rd]
        $rd close
        r config set notify-keyspace-events ""
    }

    test "String commands publish their events" {
        r config set notify-keyspace-events E\$
        set rd [notify_subscriber __keyevent@*]
        r del s
        r set s 1
        r append s 2
        r setrange s 0 9
        r incr s
        r incrbyfloat s 1.5
        r mset m1 a m2 b
        r setbit bits 1 1
        r getset s x
        set got {}
        for {set i 0} {$i < 9} {incr i} { lappend got [next_event $rd] }
        assert_equal [list {*}{{__keyevent@0__:set s} {__keyevent@0__:append s} {__keyevent@0__:setrange s}
            {__keyevent@0__:incrby s} {__keyevent@0__:incrbyfloat s} {__keyevent@0__:set m1}
            {__keyevent@0__:set m2} {__keyevent@0__:setbit bits} {__keyevent@0__:set s}}] $got
        $rd close
        r config set notify-keyspace-events ""
    }

    test "Generic commands publish del, rename, move, copy, expire and persist" {
        r flushall
        r config set notify-keyspace-events Eg
        set rd [notify_subscriber __keyevent@*]
        r set a 1
        r del a
        r del missing
        r set b 1
        r rename b c
        r move c 5
        r select 5
        r copy c d
        r expire d 100
        r persist d
        r select 0
        set got {}
        for {set i 0} {$i < 7} {incr i} { lappend got [next_event $rd] }
        assert_equal [list {*}{{__keyevent@0__:del a} {__keyevent@0__:rename_from b}
            {__keyevent@0__:rename_to c} {__keyevent@0__:move_from c} {__keyevent@5__:move_to c}
            {__keyevent@5__:copy_to d} {__keyevent@5__:expire d}}] $got
        assert_equal {__keyevent@5__:persist d} [next_event $rd]
        $rd close
        r config set notify-keyspace-events ""
    }

    test "SET with EX publishes set and expire" {
        r config set notify-keyspace-events E\$g
        set rd [notify_subscriber __keyevent@*]
        r set withttl v ex 100
        assert_equal {__keyevent@0__:set withttl} [next_event $rd]
        assert_equal {__keyevent@0__:expire withttl} [next_event $rd]
        $rd close
        r config set notify-keyspace-events ""
    }

    test "An expiring key publishes expired (x)" {
        r config set notify-keyspace-events Ex
        set rd [notify_subscriber __keyevent@*]
        r set soon v px 50
        assert_equal {__keyevent@0__:expired soon} [next_event $rd]
        $rd close
        r config set notify-keyspace-events ""
    }

    test "A key read after its time publishes expired once" {
        r debug set-active-expire 0
        r config set notify-keyspace-events Ex
        set rd [notify_subscriber __keyevent@*]
        r set lazy v px 20
        after 60
        assert_equal {} [r get lazy]
        assert_equal {__keyevent@0__:expired lazy} [next_event $rd]
        r debug set-active-expire 1
        $rd close
        r config set notify-keyspace-events ""
    }

    test "n publishes new for every key created" {
        r flushall
        r config set notify-keyspace-events En
        set rd [notify_subscriber __keyevent@*]
        r set fresh 1
        r set fresh 2
        r set other 1
        assert_equal {__keyevent@0__:new fresh} [next_event $rd]
        assert_equal {__keyevent@0__:new other} [next_event $rd]
        $rd close
        r config set notify-keyspace-events ""
    }

    test "Evicted keys publish evicted (e)" {
        r flushall
        r config set maxmemory-policy allkeys-random
        r config set notify-keyspace-events Ee
        set rd [notify_subscriber __keyevent@*]
        for {set i 0} {$i < 200} {incr i} { r set ev:$i [string repeat x 1000] }
        set used [info_field [r info memory] used_memory]
        r config set maxmemory [expr {$used - 50000}]
        r set trigger 1
        set msg [next_event $rd]
        assert_match {__keyevent@0__:evicted *} $msg
        r config set maxmemory 0
        r config set maxmemory-policy noeviction
        $rd close
        r config set notify-keyspace-events ""
    }
}
