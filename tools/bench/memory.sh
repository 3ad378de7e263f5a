# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tools/bench/memory.sh: measures memory per key: used_memory (INFO memory)
# of a fresh server, before and after DEBUG POPULATE of BENCH_MEM_KEYS keys
# with BENCH_VALUE_SIZE-byte values.
#
# Sourced by compare.sh; never run alone. Writes "mem SIDE KEYS BEFORE AFTER"
# records (KEYS as DBSIZE counts them afterwards); report.py divides. One
# server at a time, since each holds about 0.7 GB at the defaults.
# used_memory is the allocator's count of what the server asked for, so it
# is deterministic for a given binary: one sample per side is enough.
# A server may still be rehashing its table after POPULATE (redis finishes
# in its cron), which holds two bucket arrays at once, so the "after"
# reading waits until used_memory stops moving.

BENCH_MEM_SETTLE_S=10 # longest wait for used_memory to stop moving after POPULATE

# mem_used PORT: prints used_memory, or returns 1.
mem_used() {
    resp_info_field "$1" memory used_memory
}

# mem_settled PORT: prints used_memory once two readings half a second apart
# agree, or the last reading after BENCH_MEM_SETTLE_S. Returns 1 if INFO failed.
mem_settled() {
    local port=$1 last current tries
    last=$(mem_used "$port") || return 1
    for ((tries = 0; tries < BENCH_MEM_SETTLE_S * 2; tries++)); do
        sleep 0.5
        current=$(mem_used "$port") || return 1
        [[ $current == "$last" ]] && break
        last=$current
    done
    echo "$last"
}

# mem_measure SIDE BINARY RAW: one fresh server of SIDE, POPULATE, record.
# Returns 1 (reason shown) if DEBUG POPULATE or INFO failed; the server is
# stopped either way.
mem_measure() {
    local side=$1 binary=$2 raw=$3 port pid dir before after keys reply status=1
    port_find_free
    port=$FREE_PORT
    dir=$BENCH_TMP/mem-$side-$port
    server_start "$dir" "$binary" "$port"
    pid=$STARTED_PID
    while true; do # runs once; break is the error exit, so the server is always stopped
        server_wait_ready "$pid" "$port" "$dir" 10 || break
        before=$(mem_settled "$port") || { note "$side: INFO memory failed"; break; }
        # A million keys took redis 3.7 s on a 2-core VM; allow for a slow machine.
        if ! reply=$(RESP_TIMEOUT=600 resp_call "$port" DEBUG POPULATE "$BENCH_MEM_KEYS" key \
            "$BENCH_VALUE_SIZE"); then
            note "$side: DEBUG POPULATE $BENCH_MEM_KEYS key $BENCH_VALUE_SIZE failed: ${reply:-no reply}"
            break
        fi
        after=$(mem_settled "$port") || { note "$side: INFO memory failed"; break; }
        keys=$(resp_call "$port" DBSIZE) || { note "$side: DBSIZE failed"; break; }
        if ((keys != BENCH_MEM_KEYS)); then
            note "$side: DBSIZE is $keys after DEBUG POPULATE $BENCH_MEM_KEYS; dividing by $keys"
        fi
        echo "mem $side $keys $before $after" >>"$raw"
        note "$side memory: used_memory $before before, $after after $keys keys"
        status=0
        break
    done
    server_stop "$pid" "$port" 30
    return $status
}

# mem_run KEEL_BINARY REDIS_BINARY RAW: both sides. A side that fails is
# left out of the table (with a note) rather than ending the benchmark.
mem_run() {
    local keel_binary=$1 redis_binary=$2 raw=$3
    mem_measure keel "$keel_binary" "$raw" || note "keel: no memory figure"
    mem_measure redis "$redis_binary" "$raw" || note "redis: no memory figure"
    echo "meta mem_keys $BENCH_MEM_KEYS" >>"$raw"
}
