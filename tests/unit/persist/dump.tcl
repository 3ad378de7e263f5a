# tests/unit/persist/dump.tcl: DUMP and RESTORE: every type and encoding
# round-trips, the payload format (value, RDB version, CRC-64), REPLACE,
# ABSTTL, IDLETIME, FREQ, BUSYKEY, refused payloads (bad checksum, newer
# version, damaged or truncated values with a valid checksum), waking a
# blocked BLPOP, and payloads exchanged with Debian's redis-server 7.0
# (which refuses keel's: it reads RDB versions up to 10 only).

set ::dump_redis_bin /usr/bin/redis-server

proc dump_is_keel {} {
    return [expr {![string match *redis-server* [file tail $::keel::server::binary]]}]
}

# CRC-64/Jones as RDB uses it (reflected, init 0), on a byte string.
proc dump_crc64 {data} {
    set crc 0
    binary scan $data cu* bytes
    foreach b $bytes {
        set crc [expr {$crc ^ $b}]
        for {set k 0} {$k < 8} {incr k} {
            if {$crc & 1} {
                set crc [expr {($crc >> 1) ^ 0x95ac9329ac4bc9b5}]
            } else {
                set crc [expr {$crc >> 1}]
            }
        }
    }
    return $crc
}

# A payload around a value body, with the given RDB version and a valid CRC.
proc dump_payload {body {version 9}} {
    set p "$body[binary format s $version]"
    return "$p[binary format w [dump_crc64 $p]]"
}

proc dump_fill {c} {
    $c set str:small hello
    $c set str:int 12345
    $c set str:big [string repeat abcdefghij 100]
    $c rpush list:small a b 1 2 -3
    for {set i 0} {$i < 1000} {incr i} {
        $c rpush list:big "list-element-number-$i"
    }
    $c hset hash:small f1 v1 f2 2
    $c hset hash:longval f [string repeat z 100]
    $c sadd set:int 1 2 3 -5
    $c sadd set:lp a b c
    for {set i 0} {$i < 600} {incr i} {
        $c hset hash:big "field$i" "value$i"
        $c sadd set:bigint $i
    }
    for {set i 0} {$i < 200} {incr i} {
        $c sadd set:big "member$i"
        $c zadd zset:big $i "m$i"
    }
    $c zadd zset:small 1 a 2.5 b -inf c
}

proc dump_key_digest {c key {strict 1}} {
    set type [$c type $key]
    switch $type {
        string {set v [$c get $key]}
        list {set v [$c lrange $key 0 -1]}
        hash {set v [lsort [$c hgetall $key]]}
        set {set v [lsort [$c smembers $key]]}
        zset {set v [$c zrange $key 0 -1 withscores]}
        default {set v ?}
    }
    set enc [$c object encoding $key]
    # Redis 7.0 has no listpack lists or sets: not compared with it.
    if {!$strict && ($type eq "list" || ($type eq "set" && $enc ne "intset"))} {set enc any}
    return [list $type $enc $v]
}

# ---- old encodings, built by hand ----

# An RDB string (length up to 16383, then the bytes).
proc dump_rdb_string {bytes} {
    set n [string length $bytes]
    if {$n < 64} {
        return "[binary format c $n]$bytes"
    }
    return "[binary format cc [expr {0x40 | ($n >> 8)}] [expr {$n & 0xff}]]$bytes"
}

# A ziplist of short strings and integers 0..12.
proc dump_ziplist {items} {
    set entries ""
    set prevlen 0
    set tail 10
    foreach item $items {
        if {[string is integer -strict $item] && $item >= 0 && $item <= 12} {
            set entry "[binary format cc $prevlen [expr {0xF1 + $item}]]"
        } else {
            set entry "[binary format cc $prevlen [string length $item]]$item"
        }
        set tail [expr {10 + [string length $entries]}]
        append entries $entry
        set prevlen [string length $entry]
    }
    set total [expr {10 + [string length $entries] + 1}]
    return "[binary format iis $total $tail [llength $items]]$entries\xff"
}

# A zipmap of field/value pairs.
proc dump_zipmap {pairs} {
    set body [binary format c [expr {[llength $pairs] / 2}]]
    foreach {f v} $pairs {
        append body [binary format c [string length $f]] $f [binary format cc [string length $v] 0] $v
    }
    return "$body\xff"
}

start_server {tags {persist dump}} {
    test "RESTORE reads the encodings of older servers" {
        set zl [dump_ziplist {a b 7 hello}]
        r restore l:ziplist 0 [dump_payload "\x0a[dump_rdb_string $zl]"]
        assert_equal {a b 7 hello} [r lrange l:ziplist 0 -1]
        set n1 [dump_ziplist {x y}]
        set n2 [dump_ziplist {3 z}]
        r restore l:quicklist 0 [dump_payload "\x0e\x02[dump_rdb_string $n1][dump_rdb_string $n2]"]
        assert_equal {x y 3 z} [r lrange l:quicklist 0 -1]
        r restore l:plain 0 [dump_payload "\x01\x02\x01p\x01q"]
        assert_equal {p q} [r lrange l:plain 0 -1]
        r restore h:ziplist 0 [dump_payload "\x0d[dump_rdb_string [dump_ziplist {f1 v1 f2 2}]]"]
        assert_equal {2 f1 f2 v1} [lsort [r hgetall h:ziplist]]
        assert_equal listpack [r object encoding h:ziplist]
        r restore h:zipmap 0 [dump_payload "\x09[dump_rdb_string [dump_zipmap {name keel kind db}]]"]
        assert_equal keel [r hget h:zipmap name]
        assert_equal db [r hget h:zipmap kind]
        r restore h:plain 0 [dump_payload "\x04\x01\x01f\x01v"]
        assert_equal v [r hget h:plain f]
        r restore z:ziplist 0 [dump_payload "\x0c[dump_rdb_string [dump_ziplist {m1 1.5 m2 2}]]"]
        assert_equal {m1 1.5 m2 2} [r zrange z:ziplist 0 -1 withscores]
        r restore z:text 0 [dump_payload "\x03\x02\x01a\x031.5\x01b\xfe"]
        assert_equal {a 1.5 b inf} [r zrange z:text 0 -1 withscores]
        r restore s:plain 0 [dump_payload "\x02\x02\x01a\x01b"]
        assert_equal {a b} [lsort [r smembers s:plain]]
        r restore s:intset 0 [dump_payload "\x0b\x0c\x02\x00\x00\x00\x02\x00\x00\x00\x01\x00\x05\x00"]
        assert_equal {1 5} [lsort -integer [r smembers s:intset]]
        assert_equal intset [r object encoding s:intset]
    }

    test "RESTORE refuses old encodings that are damaged or duplicated" {
        r del k
        foreach body [list \
            "\x0a[dump_rdb_string [string range [dump_ziplist {a b}] 0 end-1]]" \
            "\x0d[dump_rdb_string [dump_ziplist {f v f w}]]" \
            "\x0c[dump_rdb_string [dump_ziplist {m 1 m 2}]]" \
            "\x02\x02\x01a\x01a" \
            ] {
            assert_equal 1 [catch {r restore k 0 [dump_payload $body]} err] [binary encode hex $body]
            assert_match "ERR Bad data format" $err [binary encode hex $body]
        }
        assert_equal 0 [r exists k]
    }
}

start_server {tags {persist dump}} {
    test "DUMP and RESTORE round-trip every type and encoding" {
        dump_fill r
        foreach key [lsort [r keys *]] {
            set payload [r dump $key]
            assert_equal OK [r restore "copy:$key" 0 $payload]
            assert_equal [dump_key_digest r $key] [dump_key_digest r "copy:$key"] $key
        }
        r flushall
    }

    test "DUMP and RESTORE keep hash field expire times" {
        skip_unless {[lindex [r command info hexpire] 0] ne ""} "no hash field expiry (Valkey 9)"
        r hset hf a 1 b 2
        r hexpire hf 1000 FIELDS 1 a
        set p [r dump hf]
        assert_equal 22 [scan [string index $p 0] %c]
        r del hf
        r restore hf 0 $p
        assert_range [lindex [r httl hf FIELDS 1 a] 0] 990 1000
        assert_equal -1 [lindex [r httl hf FIELDS 1 b] 0]
        assert_equal 2 [r hlen hf]
        r del hf
    }

    test "DUMP of a missing key is nil; DUMP and RESTORE check their arity" {
        assert_equal {} [r dump nosuchkey]
        assert_error "ERR wrong number of arguments*" {r dump}
        assert_error "ERR wrong number of arguments*" {r restore k 0}
    }

    test "A payload is the value, a 2-byte RDB version and a CRC-64" {
        r set k hello
        set p [r dump k]
        assert_equal "\x00\x05hello" [string range $p 0 6]
        binary scan [string range $p end-9 end-8] s version
        if {[dump_is_keel]} {
            assert_equal 11 $version
        }
        binary scan [string range $p end-7 end] w crc
        assert_equal [dump_crc64 [string range $p 0 end-8]] [expr {$crc & 0xffffffffffffffff}]
    }

    test "RESTORE refuses an existing key with BUSYKEY; REPLACE replaces it" {
        r set k hello
        set p [r dump k]
        assert_error "BUSYKEY Target key name already exists." {r restore k 0 $p}
        r set k other
        assert_equal OK [r restore k 0 $p replace]
        assert_equal hello [r get k]
        r rpush l x
        assert_equal OK [r restore l 0 $p REPLACE]
        assert_equal string [r type l]
    }

    test "RESTORE with a TTL, ABSTTL, and a time already passed" {
        r set k hello
        set p [r dump k]
        r del k
        r restore k 5000 $p
        assert_range [r pttl k] 4000 5000
        r del k
        set at [expr {[clock milliseconds] + 100000}]
        r restore k $at $p absttl
        assert_range [r pttl k] 90000 100000
        r del k
        assert_equal OK [r restore k 1000 $p absttl]
        assert_equal 0 [r exists k]
    }

    test "RESTORE argument errors" {
        r set k hello
        set p [r dump k]
        r del k
        assert_error "ERR Invalid TTL value, must be >= 0" {r restore k -1 $p}
        assert_error "ERR value is not an integer*" {r restore k abc $p}
        assert_error "ERR syntax error*" {r restore k 0 $p foo}
        assert_error "ERR syntax error*" {r restore k 0 $p idletime}
        assert_error "ERR Invalid IDLETIME value, must be >= 0" {r restore k 0 $p idletime -1}
        assert_error "ERR Invalid FREQ value, must be >= 0 and <= 255" {r restore k 0 $p freq 256}
        assert_error "ERR syntax error*" {r restore k 0 $p idletime 10 freq 5}
        assert_error "ERR syntax error*" {r restore k 0 $p freq 5 idletime 10}
        assert_equal 0 [r exists k]
    }

    test "RESTORE IDLETIME and FREQ set the eviction data" {
        r set k hello
        set p [r dump k]
        r del k
        r restore k 0 $p idletime 1000
        assert_range [r object idletime k] 1000 1010
        r config set maxmemory-policy allkeys-lfu
        r del k
        r restore k 0 $p freq 100
        assert_equal 100 [r object freq k]
        r config set maxmemory-policy noeviction
    }

    test "RESTORE refuses a wrong checksum or a newer RDB version" {
        r set k hello
        set p [r dump k]
        r del k
        set flipped [string replace $p 3 3 x]
        assert_error "ERR DUMP payload version or checksum are wrong" {r restore k 0 $flipped}
        assert_error "ERR DUMP payload version or checksum are wrong" {r restore k 0 short}
        assert_error "ERR DUMP payload version or checksum are wrong" \
            {r restore k 0 [dump_payload "\x00\x05hello" 250]}
        assert_equal OK [r restore k 0 [dump_payload "\x00\x05hello" 9]]
        assert_equal hello [r get k]
        if {[dump_is_keel]} {
            # Redis 7.4+ versions (12..79) are refused; Valkey 9's 80 is read.
            r del k
            assert_error "ERR DUMP payload version or checksum are wrong" \
                {r restore k 0 [dump_payload "\x00\x05hello" 12]}
            assert_equal OK [r restore k 0 [dump_payload "\x00\x05hello" 80]]
            set far [expr {[clock milliseconds] + 100000}]
            r restore h2 0 [dump_payload "\x16\x02\x01a\x011[binary format w $far]\x01b\x012[binary format w -1]" 80]
            assert_equal {1 2 a b} [lsort [r hgetall h2]]
            assert_range [lindex [r httl h2 FIELDS 1 a] 0] 90 100
        }
    }

    test "RESTORE refuses damaged values that carry a valid checksum" {
        r del k
        set bad [list \
            "\x63\x01x" \
            "\x0f\x00" \
            "\x12\x00" \
            "\x10\x03abc" \
            "\x0b\x08\x02\x00\x00\x00\x05\x00\x00\x00" \
            "\x03\x01\x01a\xfd" \
            ]
        foreach body $bad {
            assert_equal 1 [catch {r restore k 0 [dump_payload $body]} err] [binary encode hex $body]
            assert_match "ERR Bad data format" $err [binary encode hex $body]
        }
        assert_equal 0 [r exists k]
        assert_equal PONG [r ping]
    }

    test "RESTORE refuses a value cut short or with extra bytes, and blobs Valkey checks only when sanitizing" {
        # Valkey and Redis read a short value on into the version and
        # checksum bytes and accept it, and check only a listpack's header
        # unless sanitize-dump-payload is on; keel refuses all three.
        skip_unless {[dump_is_keel]} "keel is stricter than Valkey here"
        r del k
        assert_error "ERR Bad data format" {r restore k 0 [dump_payload "\x00\x05hel"]}
        assert_error "ERR Bad data format" {r restore k 0 [dump_payload "\x00\x05hello!"]}
        # An intset out of order, and a plain HASH naming a field twice
        # (Valkey checks neither unless sanitize-dump-payload is on).
        assert_error "ERR Bad data format" \
            {r restore k 0 [dump_payload "\x0b\x0c\x02\x00\x00\x00\x02\x00\x00\x00\x05\x00\x01\x00"]}
        assert_error "ERR Bad data format" \
            {r restore k 0 [dump_payload "\x04\x02\x01f\x01v\x01f\x01w"]}
        assert_error "ERR Bad data format" \
            {r restore k 0 [dump_payload "\x10\x0b\x0b\x00\x00\x00\x02\x00\x81a\x02\x99\xff"]}
        assert_equal PONG [r ping]
    }

    test "sanitize-dump-payload yes refuses duplicate hash fields in a listpack" {
        r config set sanitize-dump-payload yes
        r hset h a 1 b 2
        set p [r dump h]
        r del h
        # Rename field b to a inside the listpack and fix the checksum.
        set body [string range $p 0 end-10]
        set i [string last "b" $body]
        set body [string replace $body $i $i a]
        assert_error "ERR Bad data format" {r restore h 0 [dump_payload $body]}
        r config set sanitize-dump-payload clients
        assert_error "ERR Bad data format" {r restore h 0 [dump_payload $body]}
        r config set sanitize-dump-payload no
        assert_equal 0 [r exists h]
        assert_error "*sanitize-dump-payload*" {r config set sanitize-dump-payload maybe}
    }

    test "RESTORE of a list wakes a client blocked on the key" {
        r rpush src a b
        set p [r dump src]
        set rd [keel_deferring_client]
        $rd blpop dst 5
        wait_for_condition 50 20 {[llength [r client list]] > 0 && [string match "*cmd=blpop*" [r client list]]} else {
            fail "BLPOP did not block"
        }
        r restore dst 0 $p
        assert_equal {dst a} [$rd read]
        assert_equal {b} [r lrange dst 0 -1]
        $rd close
    }

    test "COMMAND INFO of the persistence commands" {
        assert_equal {dump 2 readonly 1 1 1} [lrange [lindex [r command info dump] 0] 0 5]
        assert_equal {restore -4 {write denyoom} 1 1 1} [lrange [lindex [r command info restore] 0] 0 5]
        assert_equal {save 1 {admin noscript no_async_loading no_multi} 0 0 0} \
            [lrange [lindex [r command info save] 0] 0 5]
        assert_equal {bgsave -1 {admin noscript no_async_loading} 0 0 0} \
            [lrange [lindex [r command info bgsave] 0] 0 5]
        assert_equal {lastsave 1 {loading stale fast} 0 0 0} \
            [lrange [lindex [r command info lastsave] 0] 0 5]
    }
}

# ---- payloads exchanged with redis-server 7.0 ----

test "DUMP payloads from redis-server 7.0 restore into the server under test" {
    skip_unless {[file executable $::dump_redis_bin]} "no $::dump_redis_bin"
    set dir [file join $::keel::server::tmp_root "dump-redis70.[pid]"]
    file mkdir $dir
    set port 38611
    exec $::dump_redis_bin --port $port --bind 127.0.0.1 --dir $dir --save "" --daemonize yes \
        --logfile [file join $dir redis.log]
    set ::dump_redis ""
    wait_for_condition 50 100 {[catch {set ::dump_redis [keel_client 127.0.0.1 $port -tls 0]}] == 0} else {
        fail "redis-server did not start"
    }
    dump_fill $::dump_redis
    set ::dump_redis_payloads {}
    foreach key [lsort [$::dump_redis keys *]] {
        dict set ::dump_redis_payloads $key [list [$::dump_redis dump $key] \
            [dump_key_digest $::dump_redis $key 0]]
    }
}

start_server {tags {persist dump}} {
    test "... and hold the same values" {
        skip_unless {[info exists ::dump_redis_payloads]} "no redis-server 7.0"
        dict for {key entry} $::dump_redis_payloads {
            lassign $entry payload digest
            assert_equal OK [r restore $key 0 $payload]
            assert_equal $digest [dump_key_digest r $key 0] $key
        }
    }

    test "redis-server 7.0 refuses keel's version 11 payloads" {
        skip_unless {[info exists ::dump_redis_payloads]} "no redis-server 7.0"
        skip_unless {[dump_is_keel]} "the server under test is redis-server itself"
        set p [r dump str:small]
        assert_error "ERR DUMP payload version or checksum are wrong" \
            {$::dump_redis restore fromkeel 0 $p}
        # The same value as version 10 (what 7.0 writes) is accepted.
        set p10 [dump_payload [string range $p 0 end-10] 10]
        assert_equal OK [$::dump_redis restore fromkeel 0 $p10]
        assert_equal hello [$::dump_redis get fromkeel]
        catch {$::dump_redis shutdown nosave}
        $::dump_redis close
    }
}

start_server {tags {persist dump} overrides {enable-debug-command yes}} {
    test "DEBUG OBJECT serializedlength is the RDB writer's length of the value" {
        r set compressible [string repeat a 100]
        r set number 12345
        r set word hello
        r rpush list a b c
        r hset hash f v g w
        foreach {key expected} {compressible 13 number 3 word 6 list 19 hash 20} {
            regexp {serializedlength:([0-9]+)} [r debug object $key] -> len
            assert_equal $expected $len "serializedlength of $key"
        }
    }
}

if {!$::keel::server::keep_tmp} {
    file delete -force [file join $::keel::server::tmp_root "dump-redis70.[pid]"]
}
