# SPDX-License-Identifier: BSD-3-Clause
#
# tools/bench/throughput.sh: measures requests/sec of PING (multibulk form)
# with redis-benchmark, alternating between keel and redis.
#
# Sourced by compare.sh; never run alone. Writes "rps SIDE PIPELINE VALUE"
# records to the raw results file; report.py takes the medians. Servers run
# side by side on a machine that may have 2 cores: redis-benchmark and one
# server already fill them, so rounds alternate servers (keel, redis, keel,
# redis ...) rather than running both at once, and a drift of the machine's
# speed during the run hits both sides alike.

BENCH_CLIENTS=50 # -c for the throughput runs; part of the row names, so fixed
BENCH_RPS=       # result of bench_ping_rps
BENCH_CHILD=     # pid of the redis-benchmark running now, for compare.sh's cleanup

# bench_ping_rps PORT PIPELINE REQUESTS CLIENTS: runs one redis-benchmark and
# sets BENCH_RPS to its requests/sec. Returns 1 (stderr shown) if it failed or
# printed no PING_MBULK row. redis-benchmark runs in the background and is
# waited for, because bash defers a trapped signal until a foreground child
# ends: a run of a million requests would keep Ctrl-C or SIGTERM waiting.
bench_ping_rps() {
    local port=$1 pipeline=$2 requests=$3 clients=$4 csv=$BENCH_TMP/redis-benchmark.csv
    # -q with --csv prints only the CSV header and one row per test.
    redis-benchmark -h 127.0.0.1 -p "$port" -t ping_mbulk -c "$clients" \
        -n "$requests" -P "$pipeline" -q --csv >"$csv" 2>>"$BENCH_TMP/redis-benchmark.err" &
    BENCH_CHILD=$!
    wait "$BENCH_CHILD"
    BENCH_CHILD=
    BENCH_RPS=$(awk -F, '$1 == "\"PING_MBULK\"" { gsub(/"/, "", $2); print $2 }' "$csv")
    if [[ -z $BENCH_RPS ]]; then
        note "redis-benchmark against port $port gave no PING_MBULK result; its stderr:"
        tail -n 5 "$BENCH_TMP/redis-benchmark.err" >&2
        return 1
    fi
}

# throughput_run KEEL_PORT REDIS_PORT RAW: BENCH_ROUNDS rounds of -P 1 and
# -P 16 against both servers, each preceded by a short warm-up per server.
throughput_run() {
    local keel_port=$1 redis_port=$2 raw=$3 round pipeline side port
    for port in "$keel_port" "$redis_port"; do
        bench_ping_rps "$port" 16 20000 "$BENCH_CLIENTS" || return 1
    done
    for ((round = 1; round <= BENCH_ROUNDS; round++)); do
        for pipeline in 1 16; do
            for side in keel redis; do
                port=$keel_port
                [[ $side == redis ]] && port=$redis_port
                bench_ping_rps "$port" "$pipeline" "$BENCH_REQUESTS" "$BENCH_CLIENTS" || return 1
                note "round $round/$BENCH_ROUNDS -c$BENCH_CLIENTS -P$pipeline $side: $BENCH_RPS requests/sec"
                echo "rps $side $pipeline $BENCH_RPS" >>"$raw"
            done
        done
    done
}
