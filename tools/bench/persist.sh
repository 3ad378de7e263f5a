# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tools/bench/persist.sh: the persistence rows of compare.sh (part
# "persist"): the time SAVE takes for BENCH_PERSIST_KEYS keys of
# BENCH_VALUE_SIZE bytes (DEBUG POPULATE), the size of the file it wrote,
# the time a fresh server takes to load it (the server's own "DB loaded
# from disk: N seconds" log line), and SET throughput (redis-benchmark -d
# BENCH_VALUE_SIZE, -P 1 and -P 16) with appendonly yes, appendfsync
# everysec; keel vs redis.
#
# Sourced by compare.sh; never run alone. Writes "persist SIDE save_ms|
# load_ms|rdb_bytes VALUE" and "rps SIDE aof_set PIPELINE VALUE" records;
# report.py takes the medians (the smallest file size). Servers run one at
# a time, each in a folder of its own.

# persist_rdb_side SIDE BINARY RAW: SAVE of a populated server, then a
# fresh server loading the file. Returns 1 if a step failed.
persist_rdb_side() {
    local side=$1 binary=$2 raw=$3 port pid dir reply t0 t1 bytes line seconds keys status=1
    port_find_free
    port=$FREE_PORT
    dir=$BENCH_TMP/persist-$side-$port
    server_start "$dir" "$binary" "$port"
    pid=$STARTED_PID
    while true; do # runs once; break is the error exit, so the server is always stopped
        server_wait_ready "$pid" "$port" "$dir" 10 || break
        reply=$(RESP_TIMEOUT=300 resp_call "$port" DEBUG POPULATE "$BENCH_PERSIST_KEYS" key "$BENCH_VALUE_SIZE") ||
            { note "$side: DEBUG POPULATE failed: $reply"; break; }
        t0=$EPOCHREALTIME
        reply=$(RESP_TIMEOUT=300 resp_call "$port" SAVE) || { note "$side: SAVE failed: $reply"; break; }
        t1=$EPOCHREALTIME
        bytes=$(stat -c %s "$dir/dump.rdb") || { note "$side: no dump.rdb after SAVE"; break; }
        echo "persist $side save_ms $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) * 1000 }')" >>"$raw"
        echo "persist $side rdb_bytes $bytes" >>"$raw"
        status=0
        break
    done
    server_stop "$pid" "$port" 60
    ((status == 0)) || return 1
    # The same folder: the fresh server finds dump.rdb there and loads it.
    server_start "$dir" "$binary" "$port"
    pid=$STARTED_PID
    status=1
    while true; do
        server_wait_ready "$pid" "$port" "$dir" 300 || break
        keys=$(resp_call "$port" DBSIZE)
        [[ $keys == "$BENCH_PERSIST_KEYS" ]] || { note "$side: loaded $keys keys, not $BENCH_PERSIST_KEYS"; break; }
        line=$(grep -o 'DB loaded from disk: [0-9.]* seconds' "$dir/server.log" | tail -n 1)
        seconds=${line#DB loaded from disk: }
        seconds=${seconds% seconds}
        [[ $seconds =~ ^[0-9.]+$ ]] || { note "$side: no 'DB loaded from disk' line in its log"; break; }
        echo "persist $side load_ms $(awk -v s="$seconds" 'BEGIN { printf "%.1f", s * 1000 }')" >>"$raw"
        note "$side: SAVE of $BENCH_PERSIST_KEYS keys wrote $bytes bytes; load took ${seconds}s"
        status=0
        break
    done
    server_stop "$pid" "$port" 60
    rm -rf "$dir" # the file is big
    return $status
}

# persist_aof_side SIDE BINARY PIPELINE RAW: SET throughput with the AOF on.
persist_aof_side() {
    local side=$1 binary=$2 pipeline=$3 raw=$4 status=1
    SERVER_EXTRA_CONF=$'appendonly yes\nappendfsync everysec'
    throughput_start "$side" "$binary"
    SERVER_EXTRA_CONF=
    while true; do # runs once; break is the error exit
        bench_run "$TP_PORT" "$pipeline" "$BENCH_PERSIST_AOF_REQUESTS" "$BENCH_CLIENTS" set \
            -d "$BENCH_VALUE_SIZE" -r "$BENCH_KEYSPACE" || break
        [[ -n ${BENCH_RPS[SET]:-} ]] || { note "no SET row from redis-benchmark"; break; }
        echo "rps $side aof_set $pipeline ${BENCH_RPS[SET]}" >>"$raw"
        note "$side -P$pipeline SET with appendfsync everysec: ${BENCH_RPS[SET]} requests/sec"
        status=0
        break
    done
    server_stop "$TP_PID" "$TP_PORT" 30
    rm -rf "$BENCH_TMP/rps-$side-$TP_PORT"
    return $status
}

# persist_run KEEL_BINARY REDIS_BINARY RAW: BENCH_ROUNDS rounds.
persist_run() {
    local keel_binary=$1 redis_binary=$2 raw=$3 round pipeline
    for ((round = 1; round <= BENCH_ROUNDS; round++)); do
        note "persistence round $round/$BENCH_ROUNDS"
        persist_rdb_side keel "$keel_binary" "$raw" || return 1
        persist_rdb_side redis "$redis_binary" "$raw" || return 1
        for pipeline in 1 16; do
            persist_aof_side keel "$keel_binary" "$pipeline" "$raw" || return 1
            persist_aof_side redis "$redis_binary" "$pipeline" "$raw" || return 1
        done
    done
    echo "meta persist_keys $BENCH_PERSIST_KEYS" >>"$raw"
    echo "meta persist_aof_requests $BENCH_PERSIST_AOF_REQUESTS" >>"$raw"
}
