# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tools/bench/script.sh: the scripting rows of compare.sh (part "script"):
# requests/sec of EVALSHA of a script doing one GET and one SET, and FCALL
# of a function doing the same, under redis-benchmark (-c 50, -P 1 and
# -P 16, random keys), keel vs redis.
#
# Sourced by compare.sh; never run alone. The script and the library are
# loaded on each fresh server first (SCRIPT LOAD, FUNCTION LOAD); the
# benchmark sends EVALSHA/FCALL with key:__rand_int__ as KEYS[1]. Writes
# "rps SIDE evalsha|fcall PIPELINE VALUE" records; report.py takes the
# medians. Servers are fresh per turn and run one at a time, as in
# throughput.sh.

SCRIPT_BODY="local v = redis.call('GET', KEYS[1]) redis.call('SET', KEYS[1], ARGV[1]) return v"
SCRIPT_LIBRARY="#!lua name=benchlib
redis.register_function('getset', function(keys, args) local v = redis.call('GET', keys[1]) redis.call('SET', keys[1], args[1]) return v end)"

# script_side SIDE BINARY PIPELINE RAW: one turn of EVALSHA and FCALL.
script_side() {
    local side=$1 binary=$2 pipeline=$3 raw=$4 sha status=1 cmd
    throughput_start "$side" "$binary"
    while true; do # runs once; break is the error exit, so the server is always stopped
        sha=$(resp_call "$TP_PORT" SCRIPT LOAD "$SCRIPT_BODY") || { note "$side: SCRIPT LOAD failed: $sha"; break; }
        resp_call "$TP_PORT" FUNCTION LOAD REPLACE "$SCRIPT_LIBRARY" >/dev/null ||
            { note "$side: FUNCTION LOAD failed"; break; }
        cmd=(EVALSHA "$sha" 1 key:__rand_int__ value)
        bench_exec "$TP_PORT" "$pipeline" "$BENCH_SCRIPT_REQUESTS" "$BENCH_CLIENTS" \
            -r "$BENCH_KEYSPACE" "${cmd[@]}" || break
        [[ ${#BENCH_RPS[@]} == 1 ]] || { note "expected one EVALSHA row"; break; }
        echo "rps $side evalsha $pipeline ${BENCH_RPS[*]}" >>"$raw"
        note "$side -P$pipeline EVALSHA (GET+SET): ${BENCH_RPS[*]} requests/sec"
        cmd=(FCALL getset 1 key:__rand_int__ value)
        bench_exec "$TP_PORT" "$pipeline" "$BENCH_SCRIPT_REQUESTS" "$BENCH_CLIENTS" \
            -r "$BENCH_KEYSPACE" "${cmd[@]}" || break
        [[ ${#BENCH_RPS[@]} == 1 ]] || { note "expected one FCALL row"; break; }
        echo "rps $side fcall $pipeline ${BENCH_RPS[*]}" >>"$raw"
        note "$side -P$pipeline FCALL (GET+SET): ${BENCH_RPS[*]} requests/sec"
        status=0
        break
    done
    server_stop "$TP_PID" "$TP_PORT" 30
    return $status
}

# script_run KEEL_BINARY REDIS_BINARY RAW: BENCH_ROUNDS rounds, -P 1 and -P 16.
script_run() {
    local keel_binary=$1 redis_binary=$2 raw=$3 round pipeline
    for ((round = 1; round <= BENCH_ROUNDS; round++)); do
        note "EVALSHA/FCALL throughput round $round/$BENCH_ROUNDS"
        for pipeline in 1 16; do
            script_side keel "$keel_binary" "$pipeline" "$raw" || return 1
            script_side redis "$redis_binary" "$pipeline" "$raw" || return 1
        done
    done
    echo "meta script_requests $BENCH_SCRIPT_REQUESTS" >>"$raw"
}
