# tests/unit/tracking.tcl: client-side caching: CLIENT TRACKING and its
# options (REDIRECT, PREFIX, BCAST, OPTIN, OPTOUT, NOLOOP) with their
# errors, CLIENT CACHING, CLIENT GETREDIR, CLIENT TRACKINGINFO, the CLIENT
# LIST flags, invalidation messages (RESP3 pushes, __redis__:invalidate
# messages to a redirect client, null ones on FLUSHALL, tracking-redir-
# broken), tracking-table-max-keys and the INFO fields.
#
# Passes against Debian's redis-server 7.0 too.

# A RESP3 deferring client (invalidations arrive on the same connection).
proc tracking_client {} {
    return [keel_deferring_client -resp 3 -timeout 10000]
}

# Sends cmd on deferring client rd and returns its reply.
proc tracking_call {rd args} {
    $rd {*}$args
    return [$rd read]
}

# Sends PING on rd and returns every frame that arrived before PONG (the
# invalidations pending for rd, in order).
proc tracking_pushes {rd} {
    $rd ping
    set frames {}
    while 1 {
        set frame [$rd read]
        if {$frame eq "PONG"} {
            return $frames
        }
        lappend frames $frame
    }
}

# The value of a field of rd's CLIENT TRACKINGINFO.
proc tracking_info_field {rd field} {
    return [dict get [tracking_call $rd client trackinginfo] $field]
}

# The flags= field of CLIENT INFO on rd.
proc tracking_list_flags {rd} {
    set info [tracking_call $rd client info]
    regexp {flags=(\S+)} $info -> flags
    return $flags
}

# Sends raw commands on rd in one write (so the server runs them in one
# event-loop turn) and reads one reply per command.
proc tracking_pipeline {rd commands} {
    set bytes ""
    foreach cmd $commands {
        append bytes "*[llength $cmd]\r\n"
        foreach arg $cmd {
            append bytes "\$[string length $arg]\r\n$arg\r\n"
        }
    }
    $rd write_raw $bytes
    $rd flush
    set replies {}
    foreach cmd $commands {
        lappend replies [$rd read]
    }
    return $replies
}

start_server {tags {tracking}} {
    # ---- option parsing and errors ----

    test "CLIENT TRACKING with a wrong mode or unknown option is a syntax error" {
        assert_error "ERR syntax error*" {r client tracking maybe}
        assert_error "ERR syntax error*" {r client tracking on bogus}
        assert_error "ERR syntax error*" {r client tracking off bogus}
        assert_error "ERR syntax error*" {r client tracking on redirect}
        assert_error "ERR syntax error*" {r client tracking on bcast prefix}
        assert_equal -1 [r client getredir]
    }

    test "CLIENT TRACKING, CACHING, GETREDIR and TRACKINGINFO check their arity" {
        assert_error "ERR wrong number of arguments for 'client|tracking' command" {r client tracking}
        assert_error "ERR wrong number of arguments for 'client|caching' command" {r client caching}
        assert_error "ERR wrong number of arguments for 'client|caching' command" {r client caching yes no}
        assert_error "ERR wrong number of arguments for 'client|getredir' command" {r client getredir x}
        assert_error "ERR wrong number of arguments for 'client|trackinginfo' command" {r client trackinginfo x}
    }

    test "CLIENT TRACKING ON and OFF reply OK; OFF ignores the options" {
        set rd [tracking_client]
        assert_equal OK [tracking_call $rd client tracking on]
        assert_equal OK [tracking_call $rd client tracking ON]
        assert_equal OK [tracking_call $rd client tracking off prefix a optin]
        assert_equal OK [tracking_call $rd client tracking off]
        $rd close
    }

    test "PREFIX needs BCAST" {
        assert_error "ERR PREFIX option requires BCAST mode to be enabled" {
            r client tracking on prefix a
        }
        assert_equal -1 [r client getredir]
    }

    test "OPTIN and OPTOUT exclude each other and BCAST" {
        assert_error "ERR You can't specify both OPTIN mode and OPTOUT mode" {
            r client tracking on optin optout
        }
        assert_error "ERR OPTIN and OPTOUT are not compatible with BCAST" {
            r client tracking on bcast optin
        }
        assert_error "ERR OPTIN and OPTOUT are not compatible with BCAST" {
            r client tracking on bcast optin optout
        }
        assert_equal -1 [r client getredir]
    }

    test "BCAST cannot be switched on or off while tracking" {
        set rd [tracking_client]
        assert_equal OK [tracking_call $rd client tracking on]
        catch {tracking_call $rd client tracking on bcast} err
        assert_match "*You can't switch BCAST mode on/off before disabling tracking*" $err
        assert_equal OK [tracking_call $rd client tracking off]
        assert_equal OK [tracking_call $rd client tracking on bcast]
        catch {tracking_call $rd client tracking on} err
        assert_match "*You can't switch BCAST mode on/off before disabling tracking*" $err
        $rd close
    }

    test "OPTIN and OPTOUT cannot be swapped while tracking" {
        set rd [tracking_client]
        assert_equal OK [tracking_call $rd client tracking on optin]
        catch {tracking_call $rd client tracking on optout} err
        assert_match "*You can't switch OPTIN/OPTOUT mode before disabling tracking*" $err
        assert_equal OK [tracking_call $rd client tracking on optin]
        assert_equal OK [tracking_call $rd client tracking off]
        assert_equal OK [tracking_call $rd client tracking on optout]
        $rd close
    }

    test "BCAST prefixes must not overlap among themselves" {
        assert_error "ERR Prefix 'a' overlaps with another provided prefix 'ab'. Prefixes for a single client must not overlap." {
            r client tracking on bcast prefix a prefix ab
        }
        assert_error "ERR Prefix 'ab' overlaps with another provided prefix 'a'.*" {
            r client tracking on bcast prefix ab prefix a
        }
        assert_error "ERR Prefix 'x' overlaps with another provided prefix 'x'.*" {
            r client tracking on bcast prefix x prefix x
        }
        assert_equal -1 [r client getredir]
    }

    test "BCAST prefixes must not overlap those the client has" {
        set rd [tracking_client]
        assert_equal OK [tracking_call $rd client tracking on bcast prefix b prefix a]
        catch {tracking_call $rd client tracking on bcast prefix a} err
        assert_match "*Prefix 'a' overlaps with an existing prefix 'a'.*" $err
        catch {tracking_call $rd client tracking on bcast prefix bc} err
        assert_match "*Prefix 'bc' overlaps with an existing prefix 'b'.*" $err
        assert_equal OK [tracking_call $rd client tracking on bcast prefix c]
        assert_equal {a b c} [tracking_info_field $rd prefixes]
        assert_equal OK [tracking_call $rd client tracking off]
        assert_equal {} [tracking_info_field $rd prefixes]
        # BCAST without a prefix means every key: it overlaps everything.
        assert_equal OK [tracking_call $rd client tracking on bcast]
        catch {tracking_call $rd client tracking on bcast prefix z} err
        assert_match "*Prefix 'z' overlaps with an existing prefix ''.*" $err
        $rd close
    }

    test "REDIRECT needs one existing client id" {
        assert_error "ERR value is not an integer or out of range*" {
            r client tracking on redirect abc
        }
        assert_error "ERR The client ID you want redirect to does not exist" {
            r client tracking on redirect 999999999
        }
        assert_error "ERR The client ID you want redirect to does not exist" {
            r client tracking on redirect 0
        }
        assert_error "ERR The client ID you want redirect to does not exist" {
            r client tracking on redirect -1
        }
        set id [r client id]
        assert_error "ERR A client can only redirect to a single other client" {
            r client tracking on redirect $id redirect $id
        }
        assert_equal -1 [r client getredir]
    }

    test "CLIENT CACHING needs tracking in OPTIN or OPTOUT mode" {
        set rd [tracking_client]
        catch {tracking_call $rd client caching yes} err
        assert_match "*CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled" $err
        catch {tracking_call $rd client caching maybe} err
        assert_match "*CLIENT CACHING can be called only when*" $err
        assert_equal OK [tracking_call $rd client tracking on]
        catch {tracking_call $rd client caching yes} err
        assert_match "*CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode." $err
        catch {tracking_call $rd client caching no} err
        assert_match "*CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode." $err
        assert_equal OK [tracking_call $rd client tracking off]
        assert_equal OK [tracking_call $rd client tracking on optin]
        catch {tracking_call $rd client caching maybe} err
        assert_match "*syntax error*" $err
        catch {tracking_call $rd client caching no} err
        assert_match "*CLIENT CACHING NO is only valid*OPTOUT mode." $err
        assert_equal OK [tracking_call $rd client caching YES]
        $rd close
    }

    # ---- introspection ----

    test "CLIENT TRACKINGINFO and GETREDIR of a client that does not track" {
        set rd [tracking_client]
        assert_equal {flags off redirect -1 prefixes {}} [tracking_call $rd client trackinginfo]
        assert_equal -1 [tracking_call $rd client getredir]
        # RESP2 gets the same fields as a flat array.
        assert_equal {flags off redirect -1 prefixes {}} [r client trackinginfo]
        $rd close
    }

    test "CLIENT TRACKINGINFO lists the flags of each mode" {
        set rd [tracking_client]
        tracking_call $rd client tracking on
        assert_equal {flags on redirect 0 prefixes {}} [tracking_call $rd client trackinginfo]
        assert_equal 0 [tracking_call $rd client getredir]
        tracking_call $rd client tracking on optin noloop
        assert_equal {on optin noloop} [tracking_info_field $rd flags]
        tracking_call $rd client caching yes
        assert_equal {on optin caching-yes noloop} [tracking_info_field $rd flags]
        tracking_call $rd client tracking off
        tracking_call $rd client tracking on optout
        assert_equal {on optout} [tracking_info_field $rd flags]
        tracking_call $rd client caching no
        assert_equal {on optout caching-no} [tracking_info_field $rd flags]
        tracking_call $rd client tracking off
        tracking_call $rd client tracking on bcast prefix user: prefix obj:
        assert_equal {flags {on bcast} redirect 0 prefixes {obj: user:}} \
            [tracking_call $rd client trackinginfo]
        tracking_call $rd client tracking off
        assert_equal {flags off redirect -1 prefixes {}} [tracking_call $rd client trackinginfo]
        $rd close
    }

    test "CLIENT GETREDIR and TRACKINGINFO show the redirect client" {
        set target [keel_deferring_client]
        set id [tracking_call $target client id]
        set rd [tracking_client]
        assert_equal OK [tracking_call $rd client tracking on redirect $id]
        assert_equal $id [tracking_call $rd client getredir]
        assert_equal $id [tracking_info_field $rd redirect]
        # ON again without REDIRECT drops the redirection.
        assert_equal OK [tracking_call $rd client tracking on]
        assert_equal 0 [tracking_call $rd client getredir]
        $rd close
        $target close
    }

    test "CLIENT LIST shows t for tracking and B for broadcast" {
        set rd [tracking_client]
        assert_no_match "*t*" [tracking_list_flags $rd]
        tracking_call $rd client tracking on
        assert_equal t [tracking_list_flags $rd]
        tracking_call $rd client tracking off
        assert_equal N [tracking_list_flags $rd]
        tracking_call $rd client tracking on bcast
        assert_equal tB [tracking_list_flags $rd]
        set info [tracking_call $rd client info]
        assert_match "* redir=0 *" $info
        tracking_call $rd client tracking off
        assert_match "* redir=-1 *" [tracking_call $rd client info]
        $rd close
    }

    test "COMMAND INFO of the tracking subcommands" {
        assert_equal {client|tracking -3 {noscript loading stale} 0 0 0 {@slow @connection} {} {} {}} \
            [lindex [r command info client|tracking] 0]
        assert_equal {client|caching 3 {noscript loading stale} 0 0 0 {@slow @connection} {} {} {}} \
            [lindex [r command info client|caching] 0]
        assert_equal {client|getredir 2 {noscript loading stale} 0 0 0 {@slow @connection} {} {} {}} \
            [lindex [r command info client|getredir] 0]
        assert_equal {client|trackinginfo 2 {noscript loading stale} 0 0 0 {@slow @connection} {} {} {}} \
            [lindex [r command info client|trackinginfo] 0]
    }

    test "tracking-table-max-keys defaults to 1000000 and rejects negatives" {
        assert_equal {tracking-table-max-keys 1000000} [r config get tracking-table-max-keys]
        assert_error "*" {r config set tracking-table-max-keys -1}
        assert_error "*" {r config set tracking-table-max-keys abc}
        assert_equal {tracking-table-max-keys 1000000} [r config get tracking-table-max-keys]
    }

    # ---- default mode: invalidation of keys read ----

    test "Changing a key read by a tracking client sends it an invalidation" {
        r del th
        r hset th f v
        set rd [tracking_client]
        tracking_call $rd client tracking on
        assert_equal v [tracking_call $rd hget th f]
        r hset th f v2
        assert_equal {{invalidate th}} [tracking_pushes $rd]
        # Sent once: the key is forgotten until it is read again.
        r hset th f v3
        assert_equal {} [tracking_pushes $rd]
        assert_equal v3 [tracking_call $rd hget th f]
        r hdel th f
        assert_equal {{invalidate th}} [tracking_pushes $rd]
        $rd close
    }

    test "Every key of a multi-key read is tracked" {
        r del tl1 tl2
        r rpush tl1 a
        r rpush tl2 b
        set rd [tracking_client]
        tracking_call $rd client tracking on
        tracking_call $rd lrange tl1 0 -1
        tracking_call $rd sunion ts1 ts2
        r rpush tl1 c
        r sadd ts2 x
        assert_equal {{invalidate tl1} {invalidate ts2}} [tracking_pushes $rd]
        $rd close
    }

    test "Keys only written are not tracked" {
        r del tw
        set rd [tracking_client]
        tracking_call $rd client tracking on
        tracking_call $rd rpush tw a
        r rpush tw b
        assert_equal {} [tracking_pushes $rd]
        $rd close
    }

    test "Invalidation after SET, DEL, EXPIRE, INCR and APPEND of a tracked key" {
        set rd [tracking_client]
        tracking_call $rd client tracking on
        r set ts 1
        foreach change {{set ts 2} {incr ts} {append ts 0} {expire ts 100} {del ts}} {
            tracking_call $rd get ts
            r {*}$change
            assert_equal {{invalidate ts}} [tracking_pushes $rd] $change
        }
        $rd close
    }

    test "A client's own write invalidates after its reply, and NOLOOP silences it" {
        r del to
        r hset to f v
        set rd [tracking_client]
        tracking_call $rd client tracking on
        tracking_call $rd hget to f
        $rd hset to f v2
        assert_equal 0 [$rd read]
        assert_equal {invalidate to} [$rd read]
        tracking_call $rd client tracking on noloop
        tracking_call $rd hget to f
        tracking_call $rd hset to f v3
        assert_equal {} [tracking_pushes $rd]
        # NOLOOP still tells about the writes of others.
        tracking_call $rd hget to f
        r hset to f v4
        assert_equal {{invalidate to}} [tracking_pushes $rd]
        $rd close
    }

    test "A client that turned tracking off is not told" {
        r del toff
        r hset toff f v
        set rd [tracking_client]
        tracking_call $rd client tracking on
        tracking_call $rd hget toff f
        tracking_call $rd client tracking off
        r hset toff f v2
        assert_equal {} [tracking_pushes $rd]
        $rd close
    }

    test "A RESP2 client tracking without REDIRECT is told nothing" {
        r del t2
        r hset t2 f v
        set rd [keel_deferring_client]
        assert_equal OK [tracking_call $rd client tracking on]
        tracking_call $rd hget t2 f
        r hset t2 f v2
        assert_equal PONG [tracking_call $rd ping]
        $rd close
    }

    test "FLUSHALL sends a null invalidation to every tracking client" {
        r hset tf f v
        set rd [tracking_client]
        set other [tracking_client]
        tracking_call $rd client tracking on
        tracking_call $other client tracking on bcast prefix zz
        tracking_call $rd hget tf f
        r flushall
        assert_equal {{invalidate {}}} [tracking_pushes $rd]
        assert_equal {{invalidate {}}} [tracking_pushes $other]
        # The table is empty: writing the key again tells nobody.
        r hset tf f v
        assert_equal {} [tracking_pushes $rd]
        # A client flushing itself gets the reply first.
        $rd flushall
        assert_equal OK [$rd read]
        assert_equal {invalidate {}} [$rd read]
        $rd close
        $other close
    }

    # ---- OPTIN and OPTOUT ----

    test "OPTIN tracks only the command after CLIENT CACHING yes" {
        r del ti1 ti2 ti3
        set rd [tracking_client]
        tracking_call $rd client tracking on optin
        tracking_call $rd hget ti1 f
        assert_equal OK [tracking_call $rd client caching yes]
        tracking_call $rd hget ti2 f
        tracking_call $rd hget ti3 f
        r hset ti1 f v
        r hset ti2 f v
        r hset ti3 f v
        assert_equal {{invalidate ti2}} [tracking_pushes $rd]
        $rd close
    }

    test "OPTOUT tracks everything but the command after CLIENT CACHING no" {
        r del tu1 tu2 tu3
        set rd [tracking_client]
        tracking_call $rd client tracking on optout
        tracking_call $rd hget tu1 f
        assert_equal OK [tracking_call $rd client caching no]
        tracking_call $rd hget tu2 f
        tracking_call $rd hget tu3 f
        r hset tu1 f v
        r hset tu2 f v
        r hset tu3 f v
        assert_equal {{invalidate tu1} {invalidate tu3}} [tracking_pushes $rd]
        $rd close
    }

    test "Keys read inside MULTI/EXEC are tracked" {
        r del tx1 tx2
        set rd [tracking_client]
        tracking_call $rd client tracking on
        assert_equal OK [tracking_call $rd multi]
        assert_equal QUEUED [tracking_call $rd hget tx1 f]
        assert_equal QUEUED [tracking_call $rd hset tx2 f v]
        assert_equal {{} 1} [tracking_call $rd exec]
        r hset tx1 f v
        assert_equal {{invalidate tx1}} [tracking_pushes $rd]
        $rd close
    }

    test "OPTIN: CLIENT CACHING yes covers a whole transaction" {
        r del tc1 tc2 tc3
        set rd [tracking_client]
        tracking_call $rd client tracking on optin
        tracking_call $rd client caching yes
        tracking_call $rd multi
        tracking_call $rd hget tc1 f
        tracking_call $rd hget tc2 f
        tracking_call $rd exec
        tracking_call $rd hget tc3 f
        foreach key {tc1 tc2 tc3} {
            r hset $key f v
        }
        assert_equal {{invalidate tc1} {invalidate tc2}} [tracking_pushes $rd]
        $rd close
    }

    # ---- BCAST ----

    test "BCAST tells about every change under its prefixes" {
        r del user:1 obj:1 other
        set rd [tracking_client]
        tracking_call $rd client tracking on bcast prefix user: prefix obj:
        r hset user:1 f v
        assert_equal {{invalidate user:1}} [tracking_pushes $rd]
        r hset other f v
        assert_equal {} [tracking_pushes $rd]
        r hset obj:1 f v
        assert_equal {{invalidate obj:1}} [tracking_pushes $rd]
        $rd close
    }

    test "BCAST batches the changes of one event-loop turn, keys sorted" {
        r del bk:b bk:a bk:c
        set rd [tracking_client]
        tracking_call $rd client tracking on bcast prefix bk:
        set writer [keel_deferring_client]
        tracking_pipeline $writer {{hset bk:b f v} {hset bk:a f v} {hset bk:b f w} {hset bk:c f v}}
        assert_equal {{invalidate {bk:a bk:b bk:c}}} [tracking_pushes $rd]
        $writer close
        $rd close
    }

    test "BCAST without a prefix covers every key, and NOLOOP skips own writes" {
        r del ba bb
        set rd [tracking_client]
        tracking_call $rd client tracking on bcast noloop
        r hset ba f v
        assert_equal {{invalidate ba}} [tracking_pushes $rd]
        tracking_call $rd hset bb f v
        assert_equal {} [tracking_pushes $rd]
        $rd close
    }

    test "BCAST does not track keys the client reads" {
        r del br
        r hset br f v
        set rd [tracking_client]
        tracking_call $rd client tracking on bcast prefix zz:
        tracking_call $rd hget br f
        r hset br f v2
        assert_equal {} [tracking_pushes $rd]
        $rd close
    }

    # ---- REDIRECT ----

    test "REDIRECT to a RESP2 client subscribed to __redis__:invalidate" {
        r del rk
        r hset rk f v
        set sub [keel_deferring_client]
        set sub_id [tracking_call $sub client id]
        $sub subscribe __redis__:invalidate
        assert_equal {subscribe __redis__:invalidate 1} [$sub read]
        set rd [keel_deferring_client]
        assert_equal OK [tracking_call $rd client tracking on redirect $sub_id]
        tracking_call $rd hget rk f
        r hset rk f v2
        assert_equal {message __redis__:invalidate rk} [$sub read]
        # A flush is a message with a null payload.
        tracking_call $rd hget rk f
        r flushall
        assert_equal {message __redis__:invalidate {}} [$sub read]
        $rd close
        $sub close
    }

    test "REDIRECT to a RESP3 client sends it the push" {
        r del rk3
        r hset rk3 f v
        set target [tracking_client]
        set target_id [tracking_call $target client id]
        set rd [tracking_client]
        tracking_call $rd client tracking on redirect $target_id
        tracking_call $rd hget rk3 f
        r hset rk3 f v2
        assert_equal {{invalidate rk3}} [tracking_pushes $target]
        assert_equal {} [tracking_pushes $rd]
        $rd close
        $target close
    }

    test "A gone redirect client gives tracking-redir-broken, flag R" {
        r del rb
        r hset rb f v
        set target [keel_deferring_client]
        set target_id [tracking_call $target client id]
        set rd [tracking_client]
        tracking_call $rd client tracking on redirect $target_id
        tracking_call $rd hget rb f
        $target close
        wait_for_condition 50 20 {
            ![string match "*id=$target_id *" [r client list]]
        } else {
            fail "the redirect client did not go away"
        }
        r hset rb f v2
        assert_equal [list [list tracking-redir-broken $target_id]] [tracking_pushes $rd]
        assert_equal {on broken_redirect} [tracking_info_field $rd flags]
        assert_equal tR [tracking_list_flags $rd]
        assert_equal $target_id [tracking_call $rd client getredir]
        $rd close
    }

    # ---- limits and INFO ----

    test "tracking-table-max-keys evicts keys with their invalidation" {
        r flushall
        set rd [tracking_client]
        tracking_call $rd client tracking on
        r config set tracking-table-max-keys 1
        # Valkey trims the table before a command, keel after: either way
        # two of the three keys go, each with an invalidation.
        foreach key {tm1 tm2 tm3} {
            $rd hget $key f
        }
        $rd ping
        set pushes {}
        while {[set frame [$rd read]] ne "PONG"} {
            if {[lindex $frame 0] eq "invalidate"} {
                lappend pushes $frame
            }
        }
        assert_equal 2 [llength $pushes] $pushes
        foreach push $pushes {
            assert_match {invalidate tm?} $push
        }
        assert_range [info_field [r info stats] tracking_total_keys] 0 1
        r config set tracking-table-max-keys 1000000
        $rd close
    }

    test "INFO counts tracking clients, keys, items and prefixes" {
        r flushall
        set a [tracking_client]
        set b [tracking_client]
        set c [tracking_client]
        tracking_call $a client tracking on
        tracking_call $b client tracking on
        tracking_call $c client tracking on bcast prefix p1 prefix p2
        tracking_call $a hget ik1 f
        tracking_call $a hget ik2 f
        tracking_call $b hget ik1 f
        # Clients of earlier tests may still be closing.
        wait_for_condition 50 20 {
            [info_field [r info clients] tracking_clients] == 3
        } else {
            fail "tracking_clients is [info_field [r info clients] tracking_clients], not 3"
        }
        set stats [r info stats]
        assert_equal 2 [info_field $stats tracking_total_keys]
        assert_equal 3 [info_field $stats tracking_total_items]
        assert_equal 2 [info_field $stats tracking_total_prefixes]
        $c close
        tracking_call $b client tracking off
        wait_for_condition 50 20 {
            [info_field [r info clients] tracking_clients] == 1
        } else {
            fail "tracking_clients did not drop to 1"
        }
        assert_equal 0 [info_field [r info stats] tracking_total_prefixes]
        $a close
        $b close
    }
}
