#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# tools/bench/handshakes.sh: what a TLS handshake costs the main thread, for
# keel inline, keel with IO threads (ACCEPT jobs) and redis-server, in one run.
#
# redis-benchmark --tls -k 0 reconnects for every request, so each PING pays
# a full handshake. The figure that matters is the server's main-thread CPU
# per handshake (utime + stime of the main thread from /proc, divided by the
# handshakes the server counted): it is what the event loop cannot spend on
# commands. Handshakes/sec is printed too, but on a small machine the client's
# own handshakes limit it. Run alone (not part of make bench):
#
#   tools/bench/handshakes.sh
#
# Knobs: BUILD (keel build folder, default build), HS_PORT (26110),
# HS_CLIENTS (20), HS_REQUESTS (4000), HS_IO_THREADS (2), REDIS_SERVER
# (redis-server; skipped when missing).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-build}
PORT=${HS_PORT:-26110}
CLIENTS=${HS_CLIENTS:-20}
REQUESTS=${HS_REQUESTS:-4000}
IO_THREADS=${HS_IO_THREADS:-2}
REDIS_SERVER=${REDIS_SERVER:-redis-server}
KEEL="$ROOT/$BUILD/bin/keel-server"
MODS="$ROOT/$BUILD/modules"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

"$ROOT/tools/gen-test-certs.sh" "$TMP/certs" >"$TMP/certs.log" 2>&1 || {
    echo "handshakes.sh: tools/gen-test-certs.sh failed (see $TMP/certs.log)" >&2
    exit 1
}
CLI_TLS=(--tls --cacert "$TMP/certs/ca.crt")

# tls_lines: the config lines every server shares (TLS only, no client certs).
tls_lines() {
    cat <<EOF
port 0
tls-port $PORT
tls-cert-file $TMP/certs/server.crt
tls-key-file $TMP/certs/server.key
tls-ca-cert-file $TMP/certs/ca.crt
tls-auth-clients no
save ""
appendonly no
EOF
}

# main_ticks PID: clock ticks the process's main thread has used.
main_ticks() {
    awk '{print $14 + $15}' "/proc/$1/task/$1/stat"
}

# info_field NAME: a field of the running server's INFO, or 0.
info_field() {
    local v
    v=$(redis-cli "${CLI_TLS[@]}" -p "$PORT" info everything 2>/dev/null | tr -d '\r' |
        awk -F: -v k="$1" '$1 == k {print $2}')
    echo "${v:-0}"
}

# measure LABEL BINARY CONFIG: one server, one benchmark, one table row.
measure() {
    local label=$1 binary=$2 conf=$3
    "$binary" "$conf" >"$TMP/server.log" 2>&1 &
    local pid=$!
    for _ in $(seq 50); do
        redis-cli "${CLI_TLS[@]}" -p "$PORT" ping >/dev/null 2>&1 && break
        sleep 0.1
    done
    local before after rps hs accepts
    before=$(main_ticks "$pid")
    rps=$(redis-benchmark "${CLI_TLS[@]}" -p "$PORT" -c "$CLIENTS" -n "$REQUESTS" -k 0 \
        -t ping_inline -q 2>&1 | tr '\r' '\n' | awk '/requests per second/ {v = $2} END {print v}')
    after=$(main_ticks "$pid")
    hs=$(info_field tls_handshakes_completed)
    [ "$hs" = 0 ] && hs=$(info_field total_connections_received)
    accepts=$(info_field io_threaded_accepts_processed)
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    local hz
    hz=$(getconf CLK_TCK)
    awk -v l="$label" -v r="$rps" -v h="$hs" -v t=$((after - before)) -v hz="$hz" -v a="$accepts" \
        'BEGIN {printf "%-22s %10s %10d %14.1f %12d\n", l, r, h, t * 1e6 / hz / h, a}'
}

printf '%-22s %10s %10s %14s %12s\n' server "hs/sec" handshakes "main us/hs" "accept jobs"

{ tls_lines; echo "loadmodule $MODS/keel-socket.so"; echo "loadmodule $MODS/keel-tls.so"; } \
    >"$TMP/inline.conf"
measure "keel inline" "$KEEL" "$TMP/inline.conf"

{
    tls_lines
    echo "loadmodule $MODS/keel-socket.so"
    echo "loadmodule $MODS/keel-tls.so"
    echo "loadmodule $MODS/keel-iothreads.so"
    echo "io-threads $IO_THREADS"
    echo "io-threads-always-active yes"
} >"$TMP/threads.conf"
measure "keel io-threads $IO_THREADS" "$KEEL" "$TMP/threads.conf"

if command -v "$REDIS_SERVER" >/dev/null; then
    { tls_lines; echo "io-threads $IO_THREADS"; echo "io-threads-do-reads yes"; } \
        >"$TMP/redis.conf"
    measure "redis io-threads $IO_THREADS" "$(command -v "$REDIS_SERVER")" "$TMP/redis.conf"
else
    echo "(redis-server not found: its row is skipped)"
fi
