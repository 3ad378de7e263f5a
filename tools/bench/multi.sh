# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tools/bench/multi.sh: the MULTI/EXEC rows of compare.sh (part "multi"):
# transactions per second of MULTI, 10 SETs, EXEC, over 50 connections with
# 1 and 16 transactions per round trip, keel vs redis.
#
# Sourced by compare.sh; never run alone. redis-benchmark cannot send a
# transaction, so txbench.py is the client (one Python process, pre-encoded
# requests, every reply checked). Writes "rps SIDE multi PIPELINE VALUE"
# records (VALUE in transactions/sec); report.py takes the medians. Servers
# are fresh per turn and run one at a time, as in throughput.sh.

MULTI_VALUE_SIZE=16 # bytes of each SET's value

# multi_side SIDE BINARY PIPELINE RAW: one turn of SIDE at PIPELINE on a
# fresh server. Returns 1 if txbench.py failed.
multi_side() {
    local side=$1 binary=$2 pipeline=$3 raw=$4 dir tps status=1
    throughput_start "$side" "$binary"
    dir=$BENCH_TMP/rps-$side-$TP_PORT
    while true; do # runs once; break is the error exit, so the server is always stopped
        # In the background and waited for, as bench_exec does, so that a
        # trapped Ctrl-C or SIGTERM is not held until it ends.
        python3 "$BENCH_DIR/txbench.py" "$TP_PORT" --clients "$BENCH_CLIENTS" \
            --pipeline "$pipeline" --requests "$BENCH_MULTI_REQUESTS" \
            --value-size "$MULTI_VALUE_SIZE" >"$dir/txbench.out" 2>"$dir/txbench.err" </dev/null &
        BENCH_CHILD=$!
        wait "$BENCH_CHILD" || { BENCH_CHILD=; note "txbench.py against $side failed:"; tail -n 5 "$dir/txbench.err" >&2; break; }
        BENCH_CHILD=
        tps=$(<"$dir/txbench.out")
        [[ $tps =~ ^[0-9.]+$ ]] || { note "txbench.py printed '$tps', not a rate"; break; }
        echo "rps $side multi $pipeline $tps" >>"$raw"
        note "$side -P$pipeline MULTI/EXEC: $tps transactions/sec"
        status=0
        break
    done
    server_stop "$TP_PID" "$TP_PORT" 30
    return $status
}

# multi_run KEEL_BINARY REDIS_BINARY RAW: BENCH_ROUNDS rounds, -P 1 and -P 16.
multi_run() {
    local keel_binary=$1 redis_binary=$2 raw=$3 round pipeline
    for ((round = 1; round <= BENCH_ROUNDS; round++)); do
        note "MULTI/EXEC throughput round $round/$BENCH_ROUNDS"
        for pipeline in 1 16; do
            multi_side keel "$keel_binary" "$pipeline" "$raw" || return 1
            multi_side redis "$redis_binary" "$pipeline" "$raw" || return 1
        done
    done
    echo "meta multi_requests $BENCH_MULTI_REQUESTS" >>"$raw"
}
