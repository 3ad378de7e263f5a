# tests/unit/pubsub.tcl: Pub/Sub: SUBSCRIBE/UNSUBSCRIBE, PSUBSCRIBE/
# PUNSUBSCRIBE, PUBLISH, sharded SSUBSCRIBE/SUNSUBSCRIBE/SPUBLISH, PUBSUB
# introspection, RESP2 subscribed-mode restrictions, RESP3 pushes, a
# subscriber that stops reading, and many subscribers on one channel.
#
# Passes against Debian's redis-server 7.0 too.

# Subscribes rd to each name with cmd and returns the counts it confirmed.
proc subscribe_all {rd cmd names} {
    $rd $cmd {*}$names
    set counts {}
    foreach name $names {
        set reply [$rd read]
        assert_equal $cmd [lindex $reply 0]
        assert_equal $name [lindex $reply 1]
        lappend counts [lindex $reply 2]
    }
    return $counts
}

# Sends cmd with names to rd and returns the confirmations read back.
proc unsubscribe_read {rd cmd names count} {
    $rd $cmd {*}$names
    set replies {}
    for {set i 0} {$i < $count} {incr i} { lappend replies [$rd read] }
    return $replies
}

start_server {tags {pubsub}} {
    test "SUBSCRIBE confirms each channel with the running count" {
        set rd [keel_deferring_client]
        assert_equal {1 2 3} [subscribe_all $rd subscribe {ch1 ch2 ch3}]
        $rd close
    }

    test "SUBSCRIBE twice to one channel keeps the count" {
        set rd [keel_deferring_client]
        assert_equal {1 1} [subscribe_all $rd subscribe {same same}]
        $rd close
    }

    test "PUBLISH delivers to every subscriber and returns the receivers" {
        set a [keel_deferring_client]
        set b [keel_deferring_client]
        subscribe_all $a subscribe {news}
        subscribe_all $b subscribe {news other}
        assert_equal 2 [r publish news hello]
        assert_equal {message news hello} [$a read]
        assert_equal {message news hello} [$b read]
        assert_equal 1 [r publish other x]
        assert_equal {message other x} [$b read]
        assert_equal 0 [r publish nobody x]
        $a close
        $b close
    }

    test "PUBLISH carries binary payloads unchanged" {
        set rd [keel_deferring_client]
        subscribe_all $rd subscribe {bin}
        set payload "a\r\nb\x00c"
        assert_equal 1 [r publish bin $payload]
        assert_equal [list message bin $payload] [$rd read]
        $rd close
    }

    test "UNSUBSCRIBE of some channels stops their messages only" {
        set rd [keel_deferring_client]
        subscribe_all $rd subscribe {u1 u2 u3}
        set replies [unsubscribe_read $rd unsubscribe {u1 u2} 2]
        assert_equal {{unsubscribe u1 2} {unsubscribe u2 1}} $replies
        assert_equal 0 [r publish u1 x]
        assert_equal 1 [r publish u3 y]
        assert_equal {message u3 y} [$rd read]
        $rd close
    }

    test "UNSUBSCRIBE without arguments leaves every channel" {
        set rd [keel_deferring_client]
        subscribe_all $rd subscribe {x1 x2}
        set replies [unsubscribe_read $rd unsubscribe {} 2]
        assert_equal {0} [lsort -unique [lmap r $replies {expr {[lindex $r 2] <= 1 ? 0 : 1}}]]
        assert_equal {x1 x2} [lsort [lmap r $replies {lindex $r 1}]]
        assert_equal 0 [lindex [lindex $replies end] 2]
        # Back in normal mode: other commands work again (RESP2).
        $rd ping
        assert_equal PONG [$rd read]
        $rd close
    }

    test "UNSUBSCRIBE with no subscriptions replies a null channel and 0" {
        set rd [keel_deferring_client]
        $rd unsubscribe
        assert_equal {unsubscribe {} 0} [$rd read]
        $rd punsubscribe
        assert_equal {punsubscribe {} 0} [$rd read]
        $rd sunsubscribe
        assert_equal {sunsubscribe {} 0} [$rd read]
        $rd close
    }

    test "PSUBSCRIBE delivers pmessage for matching channels" {
        set rd [keel_deferring_client]
        assert_equal {1 2} [subscribe_all $rd psubscribe {news.* h?llo}]
        assert_equal 1 [r publish news.sport goal]
        assert_equal {pmessage news.* news.sport goal} [$rd read]
        assert_equal 1 [r publish hello x]
        assert_equal {pmessage h?llo hello x} [$rd read]
        assert_equal 0 [r publish other x]
        $rd close
    }

    test "A client on a channel and a matching pattern gets both messages" {
        set rd [keel_deferring_client]
        subscribe_all $rd subscribe {foo.bar}
        subscribe_all $rd psubscribe {foo.*}
        assert_equal 2 [r publish foo.bar m]
        set got [list [$rd read] [$rd read]]
        assert_equal [lsort {{message foo.bar m} {pmessage foo.* foo.bar m}}] [lsort $got]
        $rd close
    }

    test "Counts mix channels and patterns; PUNSUBSCRIBE leaves patterns" {
        set rd [keel_deferring_client]
        assert_equal {1} [subscribe_all $rd subscribe {c}]
        assert_equal {2 3} [subscribe_all $rd psubscribe {p1 p2}]
        assert_equal {{punsubscribe p1 2}} [unsubscribe_read $rd punsubscribe {p1} 1]
        assert_equal 0 [r publish p1 x]
        $rd close
    }

    test "PUBSUB CHANNELS, NUMSUB and NUMPAT" {
        set a [keel_deferring_client]
        set b [keel_deferring_client]
        subscribe_all $a subscribe {intro.1 intro.2}
        subscribe_all $b subscribe {intro.2}
        subscribe_all $b psubscribe {pat.* pat2.*}
        assert_equal {intro.1 intro.2} [lsort [r pubsub channels intro.*]]
        assert_equal {intro.1 1 intro.2 2 intro.3 0} [r pubsub numsub intro.1 intro.2 intro.3]
        assert_equal {} [r pubsub numsub]
        assert_equal 2 [r pubsub numpat]
        $a close
        $b close
        wait_for_condition 50 20 {[r pubsub channels intro.*] eq {}} {
            fail "channels still listed after their subscribers left"
        }
        assert_equal 0 [r pubsub numpat]
    }

    test "PUBSUB errors: unknown subcommand and arity" {
        assert_error {*unknown subcommand*} {r pubsub nosuch}
        assert_error {*wrong number of arguments*} {r pubsub numpat extra}
        assert_error {*wrong number of arguments*} {r pubsub channels a b}
        assert_error {*wrong number of arguments*} {r publish onlychannel}
        assert_error {*wrong number of arguments*} {r subscribe}
        assert_error {*wrong number of arguments*} {r psubscribe}
    }

    test "RESP2 subscribed mode refuses other commands with Valkey's error" {
        set rd [keel_deferring_client]
        subscribe_all $rd subscribe {ctx}
        $rd get foo
        assert_error {*Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context*} {$rd read}
        $rd ping
        assert_equal {pong {}} [$rd read]
        $rd ping hi
        assert_equal {pong hi} [$rd read]
        $rd close
    }

    test "RESP3 subscribers get pushes and may run any command" {
        set rd [keel_deferring_client -resp 3]
        $rd hello 3
        $rd read
        subscribe_all $rd subscribe {r3}
        $rd set k3 v3
        assert_equal OK [$rd read]
        $rd ping
        assert_equal PONG [$rd read]
        assert_equal 1 [r publish r3 hi]
        assert_equal {message r3 hi} [$rd read]
        $rd close
    }

    test "Messages reach a RESP3 subscriber that turned replies off" {
        set rd [keel_deferring_client -resp 3]
        $rd hello 3
        $rd read
        subscribe_all $rd subscribe {quietch}
        $rd client reply off
        $rd set k v ;# no reply
        assert_equal 1 [r publish quietch hello]
        assert_equal {message quietch hello} [$rd read]
        $rd close
    }

    test "Sharded channels are separate from ordinary ones" {
        set rd [keel_deferring_client]
        assert_equal {1 2} [subscribe_all $rd ssubscribe {s1 s2}]
        assert_equal 0 [r publish s1 x]
        assert_equal 1 [r spublish s1 y]
        assert_equal {smessage s1 y} [$rd read]
        assert_equal {s1 s2} [lsort [r pubsub shardchannels]]
        assert_equal {s1} [r pubsub shardchannels s1*]
        assert_equal {s1 1 s3 0} [r pubsub shardnumsub s1 s3]
        assert_equal {} [r pubsub channels s*]
        assert_equal {{sunsubscribe s1 1}} [unsubscribe_read $rd sunsubscribe {s1} 1]
        assert_equal 0 [r spublish s1 z]
        $rd close
    }

    test "A disconnected subscriber is removed from its channels" {
        set rd [keel_deferring_client]
        subscribe_all $rd subscribe {gone}
        assert_equal {gone 1} [r pubsub numsub gone]
        $rd close
        wait_for_condition 50 20 {[r pubsub numsub gone] eq {gone 0}} {
            fail "subscriber still counted after disconnecting"
        }
        assert_equal 0 [r publish gone x]
    }

    test "CLIENT LIST shows subscriptions in sub= and psub=" {
        set rd [keel_deferring_client]
        $rd client setname subber
        $rd read
        subscribe_all $rd subscribe {cl1 cl2}
        subscribe_all $rd psubscribe {cl*}
        set line [lsearch -inline [split [r client list] "\n"] "*name=subber*"]
        assert_match {*sub=2*} $line
        assert_match {*psub=1*} $line
        $rd close
    }

    test "INFO clients counts pubsub clients" {
        # The field is Valkey's (Redis 7.0 lacks it).
        skip_unless {[info_field [r info clients] pubsub_clients] ne ""} "no pubsub_clients in INFO"
        wait_for_condition 50 20 {[info_field [r info clients] pubsub_clients] == 0} {
            fail "earlier subscribers still counted"
        }
        set rd [keel_deferring_client]
        subscribe_all $rd subscribe {infoch}
        assert_equal 1 [info_field [r info clients] pubsub_clients]
        $rd close
    }

}

# Tcl's event loop cannot watch descriptors above FD_SETSIZE (1024), so the
# 10000 subscribers are plain blocking sockets read with gets.
proc raw_subscriber {channel} {
    set fd [socket [srv host] [srv port]]
    fconfigure $fd -translation binary -buffering none -blocking 1
    puts -nonewline $fd "SUBSCRIBE $channel\r\n"
    for {set i 0} {$i < 6} {incr i} { gets $fd } ;# *3 $9 subscribe $3 big :1
    return $fd
}

# Reads one message push from a raw subscriber as {kind channel payload}.
proc raw_read_message {fd} {
    gets $fd ;# *3
    set out {}
    for {set i 0} {$i < 3} {incr i} {
        gets $fd
        lappend out [string trimright [gets $fd] "\r"]
    }
    return $out
}

start_server {tags {pubsub tls:skip} overrides {maxclients 10100}} {
    test "10000 subscribers on one channel all receive a message" {
        set fds {}
        for {set i 0} {$i < 10000} {incr i} { lappend fds [raw_subscriber big] }
        assert_equal {big 10000} [r pubsub numsub big]
        assert_equal 10000 [r publish big payload]
        set received 0
        foreach fd $fds {
            if {[raw_read_message $fd] eq {message big payload}} { incr received }
            close $fd
        }
        assert_equal 10000 $received
    }
}

start_server {tags {pubsub} overrides {client-output-buffer-limit {pubsub 100k 50k 60}}} {
    test "A subscriber that stops reading is disconnected; the publisher is unharmed" {
        set rd [keel_deferring_client]
        subscribe_all $rd subscribe {flood}
        set payload [string repeat x 10000]
        # Well past what the kernel's socket buffers absorb on loopback;
        # pipelined, so the publisher never waits a round trip per message.
        set pub [keel_deferring_client]
        for {set i 0} {$i < 2000} {incr i} { $pub publish flood $payload }
        $pub flush
        for {set i 0} {$i < 2000} {incr i} { $pub read }
        $pub close
        wait_for_condition 100 20 {[r pubsub numsub flood] eq {flood 0}} {
            fail "slow subscriber was not disconnected"
        }
        assert_equal PONG [r ping]
        assert_match {*=*} [r client list]
        $rd close
    }
}
