# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tools/bench/tls.sh: the TLS rows of compare.sh (part "tls"): requests/sec
# of SET and GET (redis-benchmark --tls -t set,get -d 512, -c 50, -P 1 and
# -P 16) against keel over TLS and redis-server over TLS, and against keel
# over plain TCP in the same run, so that the table shows both keel/redis
# over TLS and what TLS costs keel.
#
# Sourced by compare.sh; never run alone. Certificates come from
# tools/gen-test-certs.sh, made once per run in the temp dir; redis-benchmark
# presents the client certificate, since tls-auth-clients defaults to yes.
# A TLS server also keeps its plain loopback port, which only the script's
# PING (readiness) and SHUTDOWN use (resp.sh speaks plain TCP); all the
# measured traffic goes to its tls-port. Writes "rps SIDE TEST PIPELINE
# VALUE" records with TEST tls_set or tls_get and SIDE keel (over TLS), redis
# (over TLS) or keel_plain (keel over plain TCP); report.py compares keel
# with redis, and keel with keel_plain. Servers are fresh per turn and run
# one at a time, as in throughput.sh.

TLS_CERTS=        # folder of the certificates; set by tls_make_certs
TLS_CLIENT_ARGS=() # redis-benchmark's TLS options
TLS_PORT=         # result of tls_start: the fresh server's TLS port
TLS_KEYSPACE=     # -r of the SET/GET runs: half of BENCH_TLS_REQUESTS, set by tls_run

# tls_make_certs: makes the CA, server and client certificates in the temp
# dir. Dies if that fails.
tls_make_certs() {
    TLS_CERTS=$BENCH_TMP/tls
    "$ROOT/tools/gen-test-certs.sh" "$TLS_CERTS" >"$BENCH_TMP/gen-test-certs.log" 2>&1 || {
        tail -n 5 "$BENCH_TMP/gen-test-certs.log" >&2
        die "tools/gen-test-certs.sh $TLS_CERTS failed"
    }
    TLS_CLIENT_ARGS=(--tls --cacert "$TLS_CERTS/ca.crt" --cert "$TLS_CERTS/client.crt"
        --key "$TLS_CERTS/client.key")
}

# tls_server_conf BINARY PORT: prints the config lines that turn on TLS on
# PORT: keel loads its TLS module (from the modules folder beside the
# binary's bin/) first; redis-server has TLS built in.
tls_server_conf() {
    local binary=$1 port=$2 module
    if ! server_is_redis "$binary"; then
        module=$(cd "$(dirname "$binary")/.." && pwd)/modules/keel-tls.so
        [[ -f $module ]] || die "$module not found: run make (keel's TLS module)"
        echo "loadmodule $module"
    fi
    printf 'tls-port %s\ntls-cert-file %s\ntls-key-file %s\ntls-ca-cert-file %s\n' "$port" \
        "$TLS_CERTS/server.crt" "$TLS_CERTS/server.key" "$TLS_CERTS/ca.crt"
}

# tls_start SIDE BINARY: starts a fresh server for SIDE with a TLS port and
# warms it up over TLS. Sets TP_PID, TP_PORT (the plain port) and TLS_PORT.
# Dies if it does not come up.
tls_start() {
    local side=$1 binary=$2 dir
    port_find_free
    TP_PORT=$FREE_PORT
    port_find_free
    TLS_PORT=$FREE_PORT
    dir=$BENCH_TMP/tls-$side-$TLS_PORT
    SERVER_EXTRA_CONF=$(tls_server_conf "$binary" "$TLS_PORT") || exit 1
    server_start "$dir" "$binary" "$TP_PORT"
    # shellcheck disable=SC2034 # read by servers.sh
    SERVER_EXTRA_CONF=
    TP_PID=$STARTED_PID
    server_wait_ready "$TP_PID" "$TP_PORT" "$dir" 10 || die "$side (TLS) did not start"
    bench_run "$TLS_PORT" 16 20000 "$BENCH_CLIENTS" ping_mbulk "${TLS_CLIENT_ARGS[@]}" ||
        die "TLS warm-up against $side failed"
}

# tls_side SIDE BINARY PIPELINE RAW: one turn of SET then GET at PIPELINE on
# a fresh server: over TLS for SIDE keel or redis, over plain TCP (keel's
# binary) for SIDE keel_plain. Returns 1 if a run failed.
tls_side() {
    local side=$1 binary=$2 pipeline=$3 raw=$4 port test status=1
    local -a args=()
    if [[ $side == keel_plain ]]; then
        throughput_start "$side" "$binary"
        port=$TP_PORT
    else
        tls_start "$side" "$binary"
        port=$TLS_PORT
        args=("${TLS_CLIENT_ARGS[@]}")
    fi
    while true; do # runs once; break is the error exit, so the server is always stopped
        bench_run "$port" "$pipeline" "$BENCH_TLS_REQUESTS" "$BENCH_CLIENTS" set,get \
            -d "$BENCH_VALUE_SIZE" -r "$TLS_KEYSPACE" "${args[@]}" || break
        for test in SET GET; do
            [[ -n ${BENCH_RPS[$test]:-} ]] || { note "no $test row from redis-benchmark"; break 2; }
            echo "rps $side tls_${test,,} $pipeline ${BENCH_RPS[$test]}" >>"$raw"
        done
        note "$side -P$pipeline${args[*]:+ over TLS} SET: ${BENCH_RPS[SET]}, GET: ${BENCH_RPS[GET]} requests/sec"
        status=0
        break
    done
    server_stop "$TP_PID" "$TP_PORT" 30
    return $status
}

# tls_run KEEL_BINARY REDIS_BINARY RAW: BENCH_ROUNDS rounds of -P 1 and
# -P 16: keel over TLS, redis over TLS, keel over plain TCP in each.
tls_run() {
    local keel_binary=$1 redis_binary=$2 raw=$3 round pipeline
    tls_make_certs
    # Half as many keys as SETs, the proportion of the rps part (2000000 SETs
    # over 1000000 keys): the GETs find about 86% of their keys.
    TLS_KEYSPACE=$(((BENCH_TLS_REQUESTS + 1) / 2))
    for ((round = 1; round <= BENCH_ROUNDS; round++)); do
        note "TLS throughput round $round/$BENCH_ROUNDS"
        for pipeline in 1 16; do
            tls_side keel "$keel_binary" "$pipeline" "$raw" || return 1
            tls_side redis "$redis_binary" "$pipeline" "$raw" || return 1
            tls_side keel_plain "$keel_binary" "$pipeline" "$raw" || return 1
        done
    done
    {
        echo "meta tls_requests $BENCH_TLS_REQUESTS"
        echo "meta tls_keyspace $TLS_KEYSPACE"
    } >>"$raw"
}
