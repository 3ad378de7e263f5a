# tests/unit/maxmemory.tcl: eviction under maxmemory.
#
# The options (maxmemory, maxmemory-policy, maxmemory-samples,
# maxmemory-eviction-tenacity, lfu-log-factor, lfu-decay-time): defaults,
# accepted spellings and the exact refusals. Then, with keys: every policy
# keeps used_memory near maxmemory while a client keeps writing, the
# volatile-* policies only ever evict keys that have a TTL, noeviction (and a
# policy with nothing left to evict) refuses writes with -OOM while reads and
# deletes still work, and allkeys-lfu keeps the keys that are read often.
#
# Limits are set a little above the memory the server already uses, so a few
# hundred small keys reach them. used_memory may exceed the limit by the one
# command that ran after the last eviction, so checks allow a small slack.

proc used_memory {} {
    info_field [r info memory] used_memory
}

# Bytes used_memory may pass maxmemory by: the last command's own key, plus
# allocator rounding.
set ::maxmemory_slack 4096

# Writes keys prefix:0, prefix:1, ... (with a long TTL unless ttl is 0)
# until used_memory is within the slack of limit. Returns how many.
proc fill_to_limit {prefix limit {ttl 100000}} {
    set count 0
    while {[used_memory] + $::maxmemory_slack <= $limit} {
        write_key $prefix $count $ttl
        incr count
        if {$count > 200000} {
            fail "used_memory never got near the limit of $limit"
        }
    }
    return $count
}

proc write_key {prefix n ttl} {
    if {$ttl > 0} {
        r set $prefix:$n "value-$n" ex $ttl
    } else {
        r set $prefix:$n "value-$n"
    }
}

# Writes count more keys prefix:from .. prefix:from+count-1.
proc write_keys {prefix from count {ttl 100000}} {
    for {set i $from} {$i < $from + $count} {incr i} {
        write_key $prefix $i $ttl
    }
}

proc keys_present {prefix count} {
    set present 0
    for {set i 0} {$i < $count} {incr i} {
        incr present [r exists $prefix:$i]
    }
    return $present
}

set oom_error "OOM command not allowed when used memory > 'maxmemory'."

start_server {tags {maxmemory}} {
    test "Eviction options have Valkey's defaults" {
        assert_equal {maxmemory 0} [r config get maxmemory]
        assert_equal {maxmemory-policy noeviction} [r config get maxmemory-policy]
        assert_equal {maxmemory-samples 5} [r config get maxmemory-samples]
        assert_equal {maxmemory-eviction-tenacity 10} [r config get maxmemory-eviction-tenacity]
        assert_equal {lfu-log-factor 10} [r config get lfu-log-factor]
        assert_equal {lfu-decay-time 1} [r config get lfu-decay-time]
    }

    test "CONFIG SET maxmemory-policy accepts every policy, in any case" {
        foreach policy {volatile-lru volatile-lfu volatile-random volatile-ttl
                        allkeys-lru allkeys-lfu allkeys-random noeviction} {
            assert_equal OK [r config set maxmemory-policy $policy]
            assert_equal [list maxmemory-policy $policy] [r config get maxmemory-policy]
        }
        r config set maxmemory-policy ALLKEYS-LRU
        assert_equal {maxmemory-policy allkeys-lru} [r config get maxmemory-policy]
        r config set maxmemory-policy noeviction
    }

    test "CONFIG SET maxmemory-policy refuses an unknown policy and lists the valid ones" {
        catch {r config set maxmemory-policy lru} err
        assert_equal "ERR CONFIG SET failed (possibly related to argument 'maxmemory-policy') - argument(s) must be one of the following: volatile-lru, volatile-lfu, volatile-random, volatile-ttl, allkeys-lru, allkeys-lfu, allkeys-random, noeviction" $err
        assert_error "*must be one of the following*" {r config set maxmemory-policy ""}
        assert_equal {maxmemory-policy noeviction} [r config get maxmemory-policy]
    }

    test "CONFIG SET maxmemory takes memory units" {
        r config set maxmemory 1mb
        assert_equal {maxmemory 1048576} [r config get maxmemory]
        r config set maxmemory 100k
        assert_equal {maxmemory 100000} [r config get maxmemory]
        r config set maxmemory 2GB
        assert_equal {maxmemory 2147483648} [r config get maxmemory]
        r config set maxmemory 0
        assert_equal {maxmemory 0} [r config get maxmemory]
    }

    test "CONFIG SET maxmemory refuses values that are not memory sizes" {
        foreach bad {-1 abc 10xb 1.5mb} {
            assert_error "ERR CONFIG SET failed (possibly related to argument 'maxmemory') - argument must be a memory value" \
                [list r config set maxmemory $bad]
        }
        assert_equal {maxmemory 0} [r config get maxmemory]
    }

    test "CONFIG SET maxmemory-samples refuses values below 1 and non-numbers" {
        foreach bad {0 -1} {
            assert_error "ERR CONFIG SET failed (possibly related to argument 'maxmemory-samples') - argument must be between 1 and 2147483647 inclusive" \
                [list r config set maxmemory-samples $bad]
        }
        assert_error "ERR CONFIG SET failed (possibly related to argument 'maxmemory-samples') - argument couldn't be parsed into an integer" \
            {r config set maxmemory-samples five}
        assert_equal OK [r config set maxmemory-samples 10]
        assert_equal {maxmemory-samples 10} [r config get maxmemory-samples]
        r config set maxmemory-samples 5
    }

    test "CONFIG SET maxmemory-eviction-tenacity accepts 0 to 100 only" {
        foreach bad {-1 101} {
            assert_error "ERR CONFIG SET failed (possibly related to argument 'maxmemory-eviction-tenacity') - argument must be between 0 and 100 inclusive" \
                [list r config set maxmemory-eviction-tenacity $bad]
        }
        foreach good {0 100 10} {
            assert_equal OK [r config set maxmemory-eviction-tenacity $good]
        }
        assert_equal {maxmemory-eviction-tenacity 10} [r config get maxmemory-eviction-tenacity]
    }

    test "CONFIG SET lfu-log-factor and lfu-decay-time refuse negative values" {
        foreach option {lfu-log-factor lfu-decay-time} {
            assert_error "ERR CONFIG SET failed (possibly related to argument '$option') - argument must be between 0 and 2147483647 inclusive" \
                [list r config set $option -1]
            assert_error "ERR CONFIG SET failed (possibly related to argument '$option') - argument couldn't be parsed into an integer" \
                [list r config set $option often]
            assert_equal OK [r config set $option 0]
        }
        r config set lfu-log-factor 10
        r config set lfu-decay-time 1
        assert_equal {lfu-log-factor 10} [r config get lfu-log-factor]
        assert_equal {lfu-decay-time 1} [r config get lfu-decay-time]
    }

    test "INFO memory reports maxmemory, maxmemory_human and maxmemory_policy" {
        r config set maxmemory 10mb
        r config set maxmemory-policy allkeys-lfu
        set info [r info memory]
        assert_equal 10485760 [info_field $info maxmemory]
        assert_equal 10.00M [info_field $info maxmemory_human]
        assert_equal allkeys-lfu [info_field $info maxmemory_policy]
        assert_equal 0 [info_field $info mem_not_counted_for_evict]
        r config set maxmemory 0
        r config set maxmemory-policy noeviction
        set info [r info memory]
        assert_equal 0 [info_field $info maxmemory]
        assert_equal 0B [info_field $info maxmemory_human]
        assert_equal noeviction [info_field $info maxmemory_policy]
    }
}

start_server {tags {maxmemory} overrides {maxmemory 3mb maxmemory-policy volatile-ttl maxmemory-samples 7}} {
    test "Eviction options are read from the config file" {
        assert_equal {maxmemory 3145728} [r config get maxmemory]
        assert_equal {maxmemory-policy volatile-ttl} [r config get maxmemory-policy]
        assert_equal {maxmemory-samples 7} [r config get maxmemory-samples]
    }
}

start_server {tags {maxmemory}} {
    test "An unknown maxmemory-policy in the config file stops startup" {
        lassign [start_server_and_fail {config_lines {"maxmemory-policy lru"}}] code out err
        assert_equal 1 $code
        assert_match "*>>> 'maxmemory-policy lru'\nargument(s) must be one of the following: volatile-lru,*" $err
    }

    test "A maxmemory that is not a memory size in the config file stops startup" {
        lassign [start_server_and_fail {config_lines {"maxmemory lots"}}] code out err
        assert_equal 1 $code
        assert_match "*>>> 'maxmemory lots'\nargument must be a memory value*" $err
    }
}

start_server {tags {maxmemory keyspace}} {
    foreach policy {allkeys-lru allkeys-lfu allkeys-random volatile-lru volatile-lfu
                    volatile-random volatile-ttl} {
        test "$policy keeps used_memory at maxmemory while a client keeps writing" {
            r config set maxmemory 0
            r flushall
            r config set maxmemory-policy $policy
            r config resetstat
            set limit [expr {[used_memory] + 100 * 1024}]
            r config set maxmemory $limit
            set written [fill_to_limit key $limit]
            assert_morethan $written 100
            # As many keys again: each write now has to make room for itself.
            write_keys key $written $written
            assert_lessthan [used_memory] [expr {$limit + $::maxmemory_slack}]
            set kept [r dbsize]
            assert_lessthan $kept [expr {2 * $written}]
            # Every command runs eviction first (INFO too), so the counter
            # may have moved on since DBSIZE; it never lags behind it.
            set evicted [info_field [r info stats] evicted_keys]
            assert {$evicted >= 2 * $written - $kept} \
                "evicted_keys $evicted, but [expr {2 * $written}] written and $kept kept"
            r config set maxmemory 0
        }
    }

    foreach policy {volatile-lru volatile-lfu volatile-random volatile-ttl} {
        test "$policy evicts only keys that have a TTL" {
            r config set maxmemory 0
            r flushall
            r config set maxmemory-policy $policy
            write_keys persistent 0 200 0
            set limit [expr {[used_memory] + 60 * 1024}]
            r config set maxmemory $limit
            set written [fill_to_limit volatile $limit]
            write_keys volatile $written $written
            assert_equal 200 [keys_present persistent 200]
            assert_lessthan [r dbsize] [expr {200 + 2 * $written}]
            assert_lessthan [used_memory] [expr {$limit + $::maxmemory_slack}]
            r config set maxmemory 0
        }
    }

    test "volatile-lru with no key having a TTL refuses writes with OOM and keeps every key" {
        r config set maxmemory 0
        r flushall
        r config set maxmemory-policy volatile-lru
        write_keys persistent 0 50 0
        r config set maxmemory 1
        catch {r set newkey value} err
        assert_equal $::oom_error $err
        assert_equal 50 [r dbsize]
        assert_equal value-7 [r get persistent:7]
        r config set maxmemory 0
        assert_equal OK [r set newkey value]
    }

    test "allkeys-lru under a limit no data fits evicts every key, then refuses writes" {
        r config set maxmemory 0
        r flushall
        r config set maxmemory-policy allkeys-lru
        write_keys key 0 50 0
        r config set maxmemory 1
        catch {r set newkey value} err
        assert_equal $::oom_error $err
        assert_equal 0 [r dbsize]
        r config set maxmemory 0
    }

    test "noeviction refuses SET with OOM but still serves GET and DEL" {
        r config set maxmemory 0
        r flushall
        r config set maxmemory-policy noeviction
        r set k1 v1
        r set k2 v2
        r config resetstat
        r config set maxmemory 1
        catch {r set k3 v3} err
        assert_equal $::oom_error $err
        assert_equal v1 [r get k1]
        assert_equal {} [r get k3]
        assert_equal 1 [r del k1]
        assert_equal 1 [r dbsize]
        r config set maxmemory 0
        assert_equal OK [r set k3 v3]
    }

    test "An OOM refusal counts as a rejected call and an OOM error" {
        r config set maxmemory 0
        r flushall
        r config set maxmemory-policy noeviction
        r config set maxmemory 1
        r config resetstat
        catch {r set k v} err
        catch {r set k v} err
        r config set maxmemory 0
        assert_equal 2 [info_subfield [r info commandstats] cmdstat_set rejected_calls]
        assert_equal 0 [info_subfield [r info commandstats] cmdstat_set calls]
        assert_equal 2 [info_subfield [r info errorstats] errorstat_OOM count]
    }

    test "allkeys-lfu keeps the keys that are read often" {
        r config set maxmemory 0
        r flushall
        r config set maxmemory-policy allkeys-lfu
        r config set lfu-log-factor 0 ;# count every access, so hot keys are clearly hot
        for {set i 0} {$i < 10} {incr i} {
            r set hot:$i "value-$i"
            for {set j 0} {$j < 50} {incr j} {
                r get hot:$i
            }
        }
        set limit [expr {[used_memory] + 60 * 1024}]
        r config set maxmemory $limit
        set written [fill_to_limit cold $limit 0]
        write_keys cold $written [expr {2 * $written}] 0
        assert_equal 10 [keys_present hot 10]
        assert_lessthan [r dbsize] [expr {10 + 3 * $written}]
        r config set maxmemory 0
        r config set lfu-log-factor 10
    }

    test "Eviction frees memory the same way with lazyfree-lazy-eviction no" {
        r config set maxmemory 0
        r flushall
        r config set lazyfree-lazy-eviction no
        r config set maxmemory-policy allkeys-lru
        set limit [expr {[used_memory] + 100 * 1024}]
        r config set maxmemory $limit
        set written [fill_to_limit key $limit]
        write_keys key $written $written
        assert_lessthan [used_memory] [expr {$limit + $::maxmemory_slack}]
        assert_lessthan [r dbsize] [expr {2 * $written}]
        r config set maxmemory 0
        r config set lazyfree-lazy-eviction yes
    }

    test "allkeys-random evicts from every database that holds keys" {
        r config set maxmemory 0
        r flushall
        r config set maxmemory-policy allkeys-random
        r select 1
        write_keys other 0 500 0
        r select 0
        set limit [expr {[used_memory] + 50 * 1024}]
        r config set maxmemory $limit
        set written [fill_to_limit key $limit 0]
        write_keys key $written [expr {2 * $written}] 0
        r select 1
        set others_left [r dbsize]
        r select 0
        assert_lessthan $others_left 500
        r config set maxmemory 0
    }

    test "With tenacity 0 eviction goes on between commands until memory is under the limit" {
        # Each command may evict only a handful of keys within a zero time
        # budget; a timer must keep evicting while no command arrives, or
        # the polling below could never bring memory down far enough.
        r config set maxmemory 0
        r flushall
        r config set maxmemory-policy allkeys-random
        r config set maxmemory-eviction-tenacity 0
        write_keys key 0 20000 0
        r config resetstat
        set limit [expr {[used_memory] - 1024 * 1024}]
        r config set maxmemory $limit
        wait_for_condition 50 100 {[used_memory] <= $limit + $::maxmemory_slack} else {
            fail "used_memory [used_memory] stayed above maxmemory $limit"
        }
        assert_morethan [info_field [r info stats] evicted_keys] 2000
        r config set maxmemory 0
        r config set maxmemory-eviction-tenacity 10
    }

    test "Lowering maxmemory below usage evicts at once" {
        r config set maxmemory 0
        r flushall
        r config set maxmemory-policy allkeys-random
        write_keys key 0 2000 0
        set used [used_memory]
        r config set maxmemory [expr {$used - 50 * 1024}]
        assert_lessthan [r dbsize] 2000
        r config set maxmemory 0
    }
}
