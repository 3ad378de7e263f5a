#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# tools/bench/iothreads.sh: requests/sec of SET and GET for keel with IO
# threads, keel inline (io-threads 1) and redis-server with IO threads, at
# several client counts; prints a table with the ratios and writes the
# figures as key=value lines (build/bench/iothreads.txt).
#
# Meant for a many-core box (IO threads do nothing useful on 2 cores) that
# has only the built tree, redis-benchmark and redis-server: pure bash and
# awk, no python3, valgrind or redis-cli; the binaries are given by path.
# It starts one server at a time on a free loopback port (from 21000 up,
# never 6379), each run on a fresh process, and stops it and removes its
# temp dir on any exit. It never touches a server it did not start.
# README.md beside it lists the knobs.
#
# The servers differ only in these config lines (servers.sh writes the rest):
#   keel-io       io-threads N, io-threads-always-active yes
#                 (keel loads keel-iothreads.so itself when io-threads > 1)
#   keel-inline   nothing: io-threads 1, the main thread does all the IO
#   redis-io      io-threads N, io-threads-do-reads yes
#   redis-inline  nothing (not in the default set)

set -uo pipefail
export LC_ALL=C # ${#var} in resp.sh must count bytes; awk must print '.' decimals

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/../.." && pwd)

KEEL_SERVER=${KEEL_SERVER:-$ROOT/build/bin/keel-server}
REDIS_SERVER=${REDIS_SERVER:-$(command -v redis-server || echo /usr/bin/redis-server)}
REDIS_BENCHMARK=${REDIS_BENCHMARK:-$(command -v redis-benchmark || echo redis-benchmark)}
BENCH_IO_THREADS=${BENCH_IO_THREADS:-4}
BENCH_IO_CLIENTS=${BENCH_IO_CLIENTS:-50 400}
BENCH_IO_CONFIGS=${BENCH_IO_CONFIGS:-keel-io keel-inline redis-io}
BENCH_KEYSPACE=${BENCH_KEYSPACE:-1000000}
BENCH_REQUESTS=${BENCH_REQUESTS:-2000000}
BENCH_VALUE_SIZE=${BENCH_VALUE_SIZE:-512}
BENCH_PIPELINE=${BENCH_PIPELINE:-1}
BENCH_ROUNDS=${BENCH_ROUNDS:-1}
BENCH_SERVER_CPUS=${BENCH_SERVER_CPUS:-}
BENCH_CLIENT_CPUS=${BENCH_CLIENT_CPUS:-}
BENCH_START_TIMEOUT=${BENCH_START_TIMEOUT:-20}
BENCH_OUT=${BENCH_OUT:-$ROOT/build/bench/iothreads.txt}
BENCH_TMP= # temp dir for configs, logs and redis-benchmark output; set in main

die() {
    echo "iothreads.sh: $*" >&2
    exit 1
}

# Progress and diagnostics go to stderr, so stdout holds only the table.
note() {
    echo "iothreads.sh: $*" >&2
}

# shellcheck source=resp.sh
source "$BENCH_DIR/resp.sh"
# shellcheck source=servers.sh
source "$BENCH_DIR/servers.sh"
# shellcheck source=throughput.sh
source "$BENCH_DIR/throughput.sh"

# redis-benchmark threads: what the server's threads leave of the machine,
# at least 1, unless BENCH_CLIENT_THREADS says otherwise.
default_client_threads() {
    local cpus
    cpus=$(nproc 2>/dev/null || echo 2)
    if ((cpus - BENCH_IO_THREADS > 1)); then echo $((cpus - BENCH_IO_THREADS)); else echo 1; fi
}
BENCH_CLIENT_THREADS=${BENCH_CLIENT_THREADS:-$(default_client_threads)}

SERVER_WRAPPER=() # taskset prefix for servers, when BENCH_SERVER_CPUS is set

cleanup() {
    if [[ -n $BENCH_CHILD ]]; then # interrupted mid-benchmark
        kill -TERM "$BENCH_CHILD" 2>/dev/null
        wait "$BENCH_CHILD" 2>/dev/null
    fi
    server_stop_all
    if [[ -n $BENCH_TMP && -d $BENCH_TMP ]]; then
        if [[ ${BENCH_KEEP_TMP:-0} == 1 ]]; then
            note "kept $BENCH_TMP"
        else
            rm -rf "$BENCH_TMP"
        fi
    fi
}

require_positive_int() {
    local name=$1 value=$2
    [[ $value =~ ^[1-9][0-9]*$ ]] || die "$name must be a positive integer, not '$value'"
}

# Makes a path absolute, since servers run with their temp dir as cwd.
absolute_path() {
    echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
}

check_prerequisites() {
    local config clients
    [[ -x $KEEL_SERVER ]] || die "$KEEL_SERVER not found or not executable (set KEEL_SERVER)"
    [[ -x $REDIS_SERVER ]] || die "$REDIS_SERVER not found or not executable (set REDIS_SERVER)"
    command -v "$REDIS_BENCHMARK" >/dev/null 2>&1 ||
        die "$REDIS_BENCHMARK not found (set REDIS_BENCHMARK to its path)"
    KEEL_SERVER=$(absolute_path "$KEEL_SERVER")
    REDIS_SERVER=$(absolute_path "$REDIS_SERVER")
    require_positive_int BENCH_IO_THREADS "$BENCH_IO_THREADS"
    require_positive_int BENCH_KEYSPACE "$BENCH_KEYSPACE"
    require_positive_int BENCH_REQUESTS "$BENCH_REQUESTS"
    require_positive_int BENCH_VALUE_SIZE "$BENCH_VALUE_SIZE"
    require_positive_int BENCH_PIPELINE "$BENCH_PIPELINE"
    require_positive_int BENCH_ROUNDS "$BENCH_ROUNDS"
    require_positive_int BENCH_CLIENT_THREADS "$BENCH_CLIENT_THREADS"
    require_positive_int BENCH_START_TIMEOUT "$BENCH_START_TIMEOUT"
    require_positive_int BENCH_PORT_BASE "$NEXT_PORT"
    [[ -n $BENCH_IO_CLIENTS ]] || die "BENCH_IO_CLIENTS is empty"
    for clients in $BENCH_IO_CLIENTS; do
        require_positive_int "BENCH_IO_CLIENTS entry" "$clients"
    done
    [[ -n $BENCH_IO_CONFIGS ]] || die "BENCH_IO_CONFIGS is empty"
    for config in $BENCH_IO_CONFIGS; do
        case $config in
            keel-io | keel-inline | redis-io | redis-inline) ;;
            *) die "BENCH_IO_CONFIGS may name keel-io, keel-inline, redis-io and redis-inline, not '$config'" ;;
        esac
    done
    if [[ -n $BENCH_SERVER_CPUS || -n $BENCH_CLIENT_CPUS ]]; then
        command -v taskset >/dev/null 2>&1 || die "BENCH_*_CPUS need taskset (util-linux)"
    fi
    if [[ -n $BENCH_SERVER_CPUS ]]; then
        SERVER_WRAPPER=(taskset -c "$BENCH_SERVER_CPUS")
    fi
    BENCH_CLIENT_CMD=("$REDIS_BENCHMARK")
    if [[ -n $BENCH_CLIENT_CPUS ]]; then
        BENCH_CLIENT_CMD=(taskset -c "$BENCH_CLIENT_CPUS" "$REDIS_BENCHMARK")
    fi
}

# config_binary CONFIG: prints the server binary of CONFIG.
config_binary() {
    if [[ $1 == keel-* ]]; then echo "$KEEL_SERVER"; else echo "$REDIS_SERVER"; fi
}

# config_lines CONFIG: prints CONFIG's extra config lines.
config_lines() {
    case $1 in
        keel-io) printf 'io-threads %s\nio-threads-always-active yes\n' "$BENCH_IO_THREADS" ;;
        redis-io) printf 'io-threads %s\nio-threads-do-reads yes\n' "$BENCH_IO_THREADS" ;;
    esac
}

# measure_one CONFIG CLIENTS RAW: a fresh server of CONFIG, a warm-up, one
# SET/GET run with CLIENTS clients; appends "rps CONFIG CLIENTS TEST VALUE".
# Returns 1 if the server did not start or redis-benchmark failed.
measure_one() {
    local config=$1 clients=$2 raw=$3 port pid dir test status=1
    port_find_free
    port=$FREE_PORT
    dir=$BENCH_TMP/$config-$clients-$port
    SERVER_EXTRA_CONF=$(config_lines "$config")
    server_start "$dir" "$(config_binary "$config")" "$port" "${SERVER_WRAPPER[@]}"
    SERVER_EXTRA_CONF=
    pid=$STARTED_PID
    while true; do # runs once; break is the error exit, so the server is always stopped
        server_wait_ready "$pid" "$port" "$dir" "$BENCH_START_TIMEOUT" || break
        # Faults in code and buffers, and starts every IO thread, before measuring.
        bench_run "$port" 16 100000 "$clients" ping_mbulk --threads "$BENCH_CLIENT_THREADS" || break
        bench_run "$port" "$BENCH_PIPELINE" "$BENCH_REQUESTS" "$clients" set,get \
            -d "$BENCH_VALUE_SIZE" -r "$BENCH_KEYSPACE" --threads "$BENCH_CLIENT_THREADS" || break
        for test in SET GET; do
            [[ -n ${BENCH_RPS[$test]:-} ]] || { note "no $test row from redis-benchmark"; break 2; }
            echo "rps $config $clients $test ${BENCH_RPS[$test]}" >>"$raw"
        done
        note "$config -c$clients: SET ${BENCH_RPS[SET]}, GET ${BENCH_RPS[GET]} requests/sec"
        status=0
        break
    done
    if ((status != 0)); then
        note "$config -c$clients failed"
        server_show_logs "$dir"
    fi
    server_stop "$pid" "$port" 30
    return $status
}

# Prints, from RAW's rps records, "CONFIG CLIENTS TEST MEDIAN" lines.
medians() {
    sort -k2,2 -k3,3n -k4,4 -k5,5g "$1" | awk '
        function flush() {
            if (n == 0) return
            median = (n % 2) ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
            printf "%s %.0f\n", key, median
            n = 0
        }
        $1 == "rps" {
            k = $2 " " $3 " " $4
            if (k != key) { flush(); key = k }
            v[++n] = $5
        }
        END { flush() }'
}

# report RAW OUT: the table on stdout, key=value lines in OUT.
report() {
    local raw=$1 out=$2 med=$BENCH_TMP/medians
    medians "$raw" >"$med"
    awk -v configs="$BENCH_IO_CONFIGS" -v clients_list="$BENCH_IO_CLIENTS" \
        -v threads="$BENCH_IO_THREADS" -v out="$out" '
        { rps[$1 " " $2 " " $3] = $4 }
        function label(c) { sub(/-io$/, "-io" threads, c); return c }
        function ratio(a, b) { return (a != "" && b > 0) ? sprintf("%.2fx", a / b) : "-" }
        END {
            nc = split(configs, cfg, " ")
            nk = split(clients_list, cl, " ")
            header = sprintf("%-8s %-5s", "clients", "test")
            for (i = 1; i <= nc; i++) header = header sprintf(" %13s", label(cfg[i]))
            has_io = index(" " configs " ", " keel-io ") > 0
            if (has_io && index(" " configs " ", " redis-io ")) header = header sprintf(" %16s", "keel-io/redis-io")
            if (has_io && index(" " configs " ", " keel-inline ")) header = header sprintf(" %19s", "keel-io/keel-inline")
            print header
            for (k = 1; k <= nk; k++) {
                for (t = 1; t <= 2; t++) {
                    test = (t == 1) ? "SET" : "GET"
                    line = sprintf("%-8s %-5s", cl[k], test)
                    for (i = 1; i <= nc; i++) {
                        v = rps[cfg[i] " " cl[k] " " test]
                        line = line sprintf(" %13s", v == "" ? "-" : v)
                        if (v != "") printf "%s_c%s_%s_rps=%s\n", cfg[i], cl[k], tolower(test), v > out
                    }
                    io = rps["keel-io " cl[k] " " test]
                    if (has_io && index(" " configs " ", " redis-io ")) {
                        r = ratio(io, rps["redis-io " cl[k] " " test])
                        line = line sprintf(" %16s", r)
                        printf "keel_io_vs_redis_io_c%s_%s_ratio=%s\n", cl[k], tolower(test), r > out
                    }
                    if (has_io && index(" " configs " ", " keel-inline ")) {
                        r = ratio(io, rps["keel-inline " cl[k] " " test])
                        line = line sprintf(" %19s", r)
                        printf "keel_io_vs_keel_inline_c%s_%s_ratio=%s\n", cl[k], tolower(test), r > out
                    }
                    print line
                }
            }
        }' "$med"
}

write_meta() {
    local out=$1
    {
        echo "keel_server=$KEEL_SERVER"
        echo "redis_server=$REDIS_SERVER"
        echo "redis_version=$("$REDIS_SERVER" --version | sed -n 's/.* v=\([0-9.]*\).*/\1/p')"
        echo "io_threads=$BENCH_IO_THREADS"
        echo "clients=$BENCH_IO_CLIENTS"
        echo "configs=$BENCH_IO_CONFIGS"
        echo "requests=$BENCH_REQUESTS"
        echo "keyspace=$BENCH_KEYSPACE"
        echo "value_size=$BENCH_VALUE_SIZE"
        echo "pipeline=$BENCH_PIPELINE"
        echo "rounds=$BENCH_ROUNDS"
        echo "client_threads=$BENCH_CLIENT_THREADS"
        echo "server_cpus=${BENCH_SERVER_CPUS:-any}"
        echo "client_cpus=${BENCH_CLIENT_CPUS:-any}"
        echo "cpus=$(nproc 2>/dev/null || echo unknown)"
        echo "date=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "commit=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)"
    } >"$out"
}

main() {
    local round clients config raw out_tmp
    check_prerequisites
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/keel-iothreads.XXXXXX") || die "cannot create a temp dir"
    mkdir -p "$(dirname "$BENCH_OUT")" || die "cannot create $(dirname "$BENCH_OUT")"
    raw=$BENCH_TMP/raw.txt
    : >"$raw"
    note "io-threads $BENCH_IO_THREADS, redis-benchmark --threads $BENCH_CLIENT_THREADS," \
        "-n $BENCH_REQUESTS -r $BENCH_KEYSPACE -d $BENCH_VALUE_SIZE -P $BENCH_PIPELINE"
    # Alternating configs within each client count, so a drift of the
    # machine's speed hits them alike.
    for ((round = 1; round <= BENCH_ROUNDS; round++)); do
        for clients in $BENCH_IO_CLIENTS; do
            for config in $BENCH_IO_CONFIGS; do
                measure_one "$config" "$clients" "$raw" || die "benchmark of $config failed"
            done
        done
    done
    out_tmp=$BENCH_TMP/out.txt
    write_meta "$out_tmp"
    echo
    report "$raw" "$out_tmp"
    echo "(rps: median of $BENCH_ROUNDS round(s); redis-benchmark -t set,get -n $BENCH_REQUESTS" \
        "-d $BENCH_VALUE_SIZE -r $BENCH_KEYSPACE -P $BENCH_PIPELINE --threads $BENCH_CLIENT_THREADS)"
    cp "$out_tmp" "$BENCH_OUT" || die "cannot write $BENCH_OUT"
    note "wrote $BENCH_OUT"
}

main "$@"
