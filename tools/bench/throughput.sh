# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tools/bench/throughput.sh: runs redis-benchmark and collects requests/sec;
# for compare.sh, the PING and SET/GET rounds alternating keel and redis.
#
# Sourced by compare.sh and iothreads.sh; never run alone. bench_exec is the
# one place that runs redis-benchmark; throughput_run (compare.sh only)
# writes "rps SIDE TEST PIPELINE VALUE" records to the raw results file, and
# report.py takes the medians. On a machine that may have 2 cores,
# redis-benchmark and one server already fill them, so only one server runs
# at a time, and rounds alternate servers (keel, redis, keel, redis ...) so
# that a drift of the machine's speed during the run hits both sides alike.
# Each keel or redis turn gets a fresh server process: every SET/GET run
# starts from an empty keyspace and an unfragmented heap, and the figures do
# not depend on FLUSHALL or on what an earlier run left behind.

BENCH_CLIENTS=50          # -c for compare.sh's runs; part of the row names, so fixed
BENCH_CLIENT_CMD=(redis-benchmark) # how to run redis-benchmark; iothreads.sh may prefix taskset
declare -A BENCH_RPS=()   # result of bench_exec/bench_run: test name as redis-benchmark prints it (PING_MBULK, SET, GET) -> requests/sec
BENCH_CHILD=              # pid of the redis-benchmark running now, for the callers' cleanup
TP_PID=                   # result of throughput_start: the fresh server's pid
TP_PORT=                  # and its port

# bench_exec PORT PIPELINE REQUESTS CLIENTS ARG...: runs one redis-benchmark
# with ARGs last (options such as -t set,get -d 512 or --tls ..., and
# optionally a command of its own, e.g. publish chan payload, which must come
# after every option) and fills BENCH_RPS with one entry per CSV row (for a
# command of its own, the row is named by the command's text). Returns 1
# (stderr shown) if it failed, e.g. on an error reply, or printed no row.
# redis-benchmark runs in the background and is waited for, because bash
# defers a trapped signal until a foreground child ends: a run of millions of
# requests would keep Ctrl-C or SIGTERM waiting.
bench_exec() {
    local port=$1 pipeline=$2 requests=$3 clients=$4 status
    local csv=$BENCH_TMP/redis-benchmark.csv err=$BENCH_TMP/redis-benchmark.err
    shift 4
    BENCH_RPS=()
    # -q with --csv prints only the CSV header and one row per test.
    "${BENCH_CLIENT_CMD[@]}" -h 127.0.0.1 -p "$port" -c "$clients" -n "$requests" \
        -P "$pipeline" -q --csv "$@" >"$csv" 2>"$err" &
    BENCH_CHILD=$!
    wait "$BENCH_CHILD"
    status=$?
    BENCH_CHILD=
    local name value
    while IFS=, read -r name value _; do
        name=${name//\"/} value=${value//\"/}
        [[ $name == test || -z $value ]] && continue
        BENCH_RPS[$name]=$value
    done <"$csv"
    if ((status != 0 || ${#BENCH_RPS[@]} == 0)); then
        note "redis-benchmark $* against port $port failed (exit $status); its stderr:"
        tail -n 5 "$err" >&2
        return 1
    fi
}

# bench_run PORT PIPELINE REQUESTS CLIENTS TESTS [ARG...]: bench_exec of
# redis-benchmark -t TESTS (comma-separated) with extra ARGs (e.g. -d 512
# -r 1000000); one BENCH_RPS entry per test (PING_MBULK, SET, GET ...).
bench_run() {
    local port=$1 pipeline=$2 requests=$3 clients=$4 tests=$5
    shift 5
    bench_exec "$port" "$pipeline" "$requests" "$clients" -t "$tests" "$@"
}

# throughput_start SIDE BINARY: starts a fresh server for SIDE and warms it
# up. Sets TP_PID and TP_PORT. Dies if it does not come up.
throughput_start() {
    local side=$1 binary=$2 dir
    port_find_free
    TP_PORT=$FREE_PORT
    dir=$BENCH_TMP/rps-$side-$TP_PORT
    server_start "$dir" "$binary" "$TP_PORT"
    TP_PID=$STARTED_PID
    server_wait_ready "$TP_PID" "$TP_PORT" "$dir" 10 || die "$side did not start"
    # Faults in code and buffers, so the first measured run is not the cold one.
    bench_run "$TP_PORT" 16 20000 "$BENCH_CLIENTS" ping_mbulk || die "warm-up against $side failed"
}

# throughput_side SIDE BINARY PIPELINE RAW: one turn of SIDE at PIPELINE on a
# fresh server: PING, then SET and GET (one redis-benchmark, SETs first, so
# that GETs find keys). Returns 1 if a run failed.
throughput_side() {
    local side=$1 binary=$2 pipeline=$3 raw=$4 test status=1
    throughput_start "$side" "$binary"
    while true; do # runs once; break is the error exit, so the server is always stopped
        bench_run "$TP_PORT" "$pipeline" "$BENCH_PING_REQUESTS" "$BENCH_CLIENTS" ping_mbulk || break
        echo "rps $side ping $pipeline ${BENCH_RPS[PING_MBULK]}" >>"$raw"
        note "$side -P$pipeline PING: ${BENCH_RPS[PING_MBULK]} requests/sec"
        bench_run "$TP_PORT" "$pipeline" "$BENCH_REQUESTS" "$BENCH_CLIENTS" set,get \
            -d "$BENCH_VALUE_SIZE" -r "$BENCH_KEYSPACE" || break
        for test in SET GET; do
            [[ -n ${BENCH_RPS[$test]:-} ]] || { note "no $test row from redis-benchmark"; break 2; }
            echo "rps $side ${test,,} $pipeline ${BENCH_RPS[$test]}" >>"$raw"
        done
        note "$side -P$pipeline SET: ${BENCH_RPS[SET]}, GET: ${BENCH_RPS[GET]} requests/sec"
        status=0
        break
    done
    server_stop "$TP_PID" "$TP_PORT" 30
    return $status
}

# throughput_run KEEL_BINARY REDIS_BINARY RAW: BENCH_ROUNDS rounds of -P 1
# and -P 16, keel then redis in each.
throughput_run() {
    local keel_binary=$1 redis_binary=$2 raw=$3 round pipeline
    for ((round = 1; round <= BENCH_ROUNDS; round++)); do
        note "throughput round $round/$BENCH_ROUNDS"
        for pipeline in 1 16; do
            throughput_side keel "$keel_binary" "$pipeline" "$raw" || return 1
            throughput_side redis "$redis_binary" "$pipeline" "$raw" || return 1
        done
    done
}
