# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tools/bench/types.sh: the data-type rows of compare.sh: requests/sec of
# LPUSH, LPOP, LRANGE_100, SADD, SPOP, HSET, ZADD and ZPOPMIN under
# redis-benchmark (-c 50, -P 1 and -P 16; part "types"), and used_memory per
# small hash (10 fields) and per small sorted set (10 members) after
# populate.py fills BENCH_TYPE_KEYS of them (part "typemem").
#
# Sourced by compare.sh; never run alone. Writes "rps SIDE TEST PIPELINE
# VALUE" records (TEST lpush, lpop, lrange_100, ...) and "memtype SIDE KIND
# KEYS BEFORE AFTER" records; report.py divides and compares. Servers are
# fresh per turn and run one at a time, as in throughput.sh.

BENCH_TYPE_TESTS=lpush,lpop,lrange_100,sadd,spop,hset,zadd,zpopmin
# redis-benchmark's CSV names for them, and the record names.
declare -A BENCH_TYPE_ROWS=(
    [LPUSH]=lpush [LPOP]=lpop ["LRANGE_100 (first 100 elements)"]=lrange_100
    [SADD]=sadd [SPOP]=spop [HSET]=hset [ZADD]=zadd [ZPOPMIN]=zpopmin)

# types_side SIDE BINARY PIPELINE RAW: one turn of the type commands.
types_side() {
    local side=$1 binary=$2 pipeline=$3 raw=$4 name status=1
    throughput_start "$side" "$binary"
    while true; do # runs once; break is the error exit
        bench_run "$TP_PORT" "$pipeline" "$BENCH_TYPE_REQUESTS" "$BENCH_CLIENTS" \
            "$BENCH_TYPE_TESTS" -r "$BENCH_KEYSPACE" || break
        for name in "${!BENCH_TYPE_ROWS[@]}"; do
            [[ -n ${BENCH_RPS[$name]:-} ]] || { note "no $name row from redis-benchmark"; break 2; }
            echo "rps $side ${BENCH_TYPE_ROWS[$name]} $pipeline ${BENCH_RPS[$name]}" >>"$raw"
        done
        note "$side -P$pipeline types: LPUSH ${BENCH_RPS[LPUSH]}, HSET ${BENCH_RPS[HSET]}, ZADD ${BENCH_RPS[ZADD]} requests/sec"
        status=0
        break
    done
    server_stop "$TP_PID" "$TP_PORT" 30
    return $status
}

# types_run KEEL_BINARY REDIS_BINARY RAW: BENCH_ROUNDS rounds, -P 1 and -P 16.
types_run() {
    local keel_binary=$1 redis_binary=$2 raw=$3 round pipeline
    for ((round = 1; round <= BENCH_ROUNDS; round++)); do
        note "data-type throughput round $round/$BENCH_ROUNDS"
        for pipeline in 1 16; do
            types_side keel "$keel_binary" "$pipeline" "$raw" || return 1
            types_side redis "$redis_binary" "$pipeline" "$raw" || return 1
        done
    done
    echo "meta type_requests $BENCH_TYPE_REQUESTS" >>"$raw"
}

# typemem_measure SIDE BINARY KIND RAW: a fresh server, BENCH_TYPE_KEYS
# collections of KIND (hash or zset) with 10 entries each, one record.
typemem_measure() {
    local side=$1 binary=$2 kind=$3 raw=$4 port pid dir before after keys status=1
    port_find_free
    port=$FREE_PORT
    dir=$BENCH_TMP/memtype-$side-$kind-$port
    server_start "$dir" "$binary" "$port"
    pid=$STARTED_PID
    while true; do # runs once; break is the error exit
        server_wait_ready "$pid" "$port" "$dir" 10 || break
        before=$(mem_settled "$port") || { note "$side: INFO memory failed"; break; }
        python3 "$BENCH_DIR/populate.py" "$port" "$kind" "$BENCH_TYPE_KEYS" 10 ||
            { note "$side: populating $kind failed"; break; }
        after=$(mem_settled "$port") || { note "$side: INFO memory failed"; break; }
        keys=$(resp_call "$port" DBSIZE) || { note "$side: DBSIZE failed"; break; }
        echo "memtype $side $kind $keys $before $after" >>"$raw"
        note "$side $kind memory: used_memory $before before, $after after $keys keys"
        status=0
        break
    done
    server_stop "$pid" "$port" 30
    return $status
}

typemem_run() {
    local keel_binary=$1 redis_binary=$2 raw=$3 kind
    for kind in hash zset; do
        typemem_measure keel "$keel_binary" "$kind" "$raw" || note "keel: no $kind memory figure"
        typemem_measure redis "$redis_binary" "$kind" "$raw" || note "redis: no $kind memory figure"
    done
    echo "meta type_keys $BENCH_TYPE_KEYS" >>"$raw"
}
