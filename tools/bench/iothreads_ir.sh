#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# tools/bench/iothreads_ir.sh: main-thread instructions per request (callgrind
# Ir) with and without the IO-thread module, against the targets of section
# 10 of IO-THREADS.md:
#   A   Debian redis-server 7.0, io-threads 1
#   B   keel without the IO-thread module, io-threads 1
#   B1  keel with keel-iothreads.so loaded (loadmodule), io-threads 1
#   C   keel with the module, io-threads N (4), io-threads-always-active yes
#   targets: B <= 0.80 x A, B1 <= 1.02 x B, C (main thread) <= 0.70 x B.
#
# Run it by hand (it is not part of `make test` or `make bench`), after
# building the tree it measures:
#   make BUILD=build-ir && BENCH_BUILD=build-ir tools/bench/iothreads_ir.sh
# Needs valgrind (callgrind_control too), redis-server and redis-benchmark.
# At the defaults: 8 samples, 4 min 40 s on a 2-core VM (load average 2).
#
# Method: each sample is a fresh server under
#   valgrind --tool=callgrind --separate-threads=yes
# (one output file per thread; thread 1, the file ending in -01, is the main
# thread, the one running the event loop, on both servers). After a warm-up
# (which also wakes every IO thread in C), callgrind_control -z zeroes the
# counters, redis-benchmark -c 50 -t set,get -n N -d 512 -r K sends N SETs and
# then N GETs, callgrind_control -d dumps. Then the same for an idle window
# (no requests, BENCH_IR_IDLE_S seconds at most) gives the main thread's rate
# of idle work (timers, cron), which is subtracted for the length of the
# measured window, as instructions.sh's control method does. Result:
# (window Ir - idle rate x window s) / (2 N). Each case is measured
# BENCH_IR_REPEATS times, rounds alternating A B B1 C, and the table shows the
# minimum and the spread ((max - min) / min) of the samples. The "all" column
# is the same figure summed over every thread of the process (C's IO threads
# included, idle not subtracted for them), for scale. "offl" is, for keel
# with the module, reads done on IO threads per request in the window
# (io_threaded_reads_processed), to show the offload happened.
#
# Progress goes to stderr, the table to stdout. It starts one server at a
# time on a free loopback port in BENCH_PORT_BASE..BENCH_PORT_LAST, stops it
# (SHUTDOWN NOSAVE, then signals) and removes its temp dir on any exit.
#
# Knobs (environment):
#   BENCH_BUILD          build dir under the tree (build); gives the two below
#   KEEL_SERVER          keel binary ($BENCH_BUILD/bin/keel-server)
#   KEEL_IOTHREADS_SO    the module ($BENCH_BUILD/modules/keel-iothreads.so)
#   REDIS_SERVER         reference server (/usr/bin/redis-server)
#   REDIS_BENCHMARK      load generator (redis-benchmark on PATH)
#   BENCH_PORT_BASE      first port tried (21000)
#   BENCH_PORT_LAST      last port allowed (BENCH_PORT_BASE + 99)
#   BENCH_IR_REQUESTS    N: SETs, then as many GETs, per window (100000)
#   BENCH_IR_KEYSPACE    -r (100000)
#   BENCH_IR_CLIENTS     -c (50)
#   BENCH_VALUE_SIZE     -d (512)
#   BENCH_IR_WARMUP      SETs and GETs each before counting (5000)
#   BENCH_IR_REPEATS     samples per case (2)
#   BENCH_IR_CASES       cases, in round order ("A B B1 C")
#   BENCH_IO_THREADS     io-threads of case C (4)
#   BENCH_IR_IDLE_S      longest idle window, seconds (10)
#   BENCH_IR_TOP         if > 0: after the table, the top N functions (self
#                        Ir per request) of the main thread of B's and C's
#                        lowest sample, from callgrind_annotate (0)
#   BENCH_START_TIMEOUT  seconds to wait for PING under valgrind (60)
#   BENCH_KEEP_TMP       1 keeps the temp dir (configs, logs, dumps) (0)

set -uo pipefail
export LC_ALL=C # EPOCHREALTIME and awk must use '.' as the decimal point

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/../.." && pwd)

BENCH_BUILD=${BENCH_BUILD:-build}
[[ $BENCH_BUILD == /* ]] || BENCH_BUILD=$ROOT/$BENCH_BUILD
KEEL_SERVER=${KEEL_SERVER:-$BENCH_BUILD/bin/keel-server}
KEEL_IOTHREADS_SO=${KEEL_IOTHREADS_SO:-$BENCH_BUILD/modules/keel-iothreads.so}
REDIS_SERVER=${REDIS_SERVER:-/usr/bin/redis-server}
REDIS_BENCHMARK=${REDIS_BENCHMARK:-$(command -v redis-benchmark || echo redis-benchmark)}
BENCH_PORT_BASE=${BENCH_PORT_BASE:-21000}
BENCH_PORT_LAST=${BENCH_PORT_LAST:-$((BENCH_PORT_BASE + 99))}
IR_REQUESTS=${BENCH_IR_REQUESTS:-100000}
IR_KEYSPACE=${BENCH_IR_KEYSPACE:-100000}
IR_CLIENTS=${BENCH_IR_CLIENTS:-50}
IR_VALUE_SIZE=${BENCH_VALUE_SIZE:-512}
IR_WARMUP=${BENCH_IR_WARMUP:-5000}
IR_REPEATS=${BENCH_IR_REPEATS:-2}
IR_CASES=${BENCH_IR_CASES:-A B B1 C}
IR_IO_THREADS=${BENCH_IO_THREADS:-4}
IR_IDLE_S=${BENCH_IR_IDLE_S:-10}
IR_TOP=${BENCH_IR_TOP:-0}
BENCH_START_TIMEOUT=${BENCH_START_TIMEOUT:-60}
BENCH_TMP= # temp dir; set in main

die() {
    echo "iothreads_ir.sh: $*" >&2
    exit 1
}

note() {
    echo "iothreads_ir.sh: $*" >&2
}

now() {
    echo "$EPOCHREALTIME"
}

# shellcheck source=resp.sh
source "$BENCH_DIR/resp.sh"
# shellcheck source=servers.sh
source "$BENCH_DIR/servers.sh"
# shellcheck source=throughput.sh
source "$BENCH_DIR/throughput.sh"
BENCH_CLIENT_CMD=("$REDIS_BENCHMARK")

CG_PID=             # the server under callgrind now
CG_PORT=            # its port
CG_OUT=             # its --callgrind-out-file; dump K of thread T is CG_OUT.K-0T
CG_DUMPS=0          # dumps taken so far from it
CG_MAIN=            # result of cg_dump: main-thread Ir
CG_ALL=             # and the sum over all threads
declare -A BEST_FILE=()             # case -> main-thread window dump of its lowest sample
declare -A BEST_IR=()               # case -> that sample's figure

cleanup() {
    if [[ -n $BENCH_CHILD ]]; then
        kill -TERM "$BENCH_CHILD" 2>/dev/null
        wait "$BENCH_CHILD" 2>/dev/null
    fi
    server_stop_all
    if [[ -n $BENCH_TMP && -d $BENCH_TMP ]]; then
        if [[ ${BENCH_KEEP_TMP:-0} == 1 ]]; then note "kept $BENCH_TMP"; else rm -rf "$BENCH_TMP"; fi
    fi
}

require_positive_int() {
    [[ $2 =~ ^[1-9][0-9]*$ ]] || die "$1 must be a positive integer, not '$2'"
}

check_prerequisites() {
    local tool c
    for tool in valgrind callgrind_control; do
        command -v "$tool" >/dev/null 2>&1 || die "$tool not found (Debian package valgrind)"
    done
    command -v "$REDIS_BENCHMARK" >/dev/null 2>&1 || die "$REDIS_BENCHMARK not found (set REDIS_BENCHMARK)"
    for c in $IR_CASES; do
        case $c in
            A) [[ -x $REDIS_SERVER ]] || die "$REDIS_SERVER not found (set REDIS_SERVER)" ;;
            B) [[ -x $KEEL_SERVER ]] || die "$KEEL_SERVER not found (build it, or set BENCH_BUILD or KEEL_SERVER)" ;;
            B1 | C)
                [[ -x $KEEL_SERVER ]] || die "$KEEL_SERVER not found (build it, or set BENCH_BUILD or KEEL_SERVER)"
                [[ -f $KEEL_IOTHREADS_SO ]] || die "$KEEL_IOTHREADS_SO not found (set KEEL_IOTHREADS_SO)"
                ;;
            *) die "BENCH_IR_CASES may name A, B, B1 and C, not '$c'" ;;
        esac
    done
    for c in BENCH_PORT_BASE BENCH_PORT_LAST IR_REQUESTS IR_KEYSPACE IR_CLIENTS IR_VALUE_SIZE \
        IR_WARMUP IR_REPEATS IR_IO_THREADS IR_IDLE_S BENCH_START_TIMEOUT; do
        require_positive_int "$c" "${!c}"
    done
    [[ $IR_TOP =~ ^[0-9]+$ ]] || die "BENCH_IR_TOP must be a number"
    if ((IR_TOP > 0)); then
        command -v callgrind_annotate >/dev/null 2>&1 || die "callgrind_annotate not found"
    fi
}

# case_binary CASE / case_conf CASE: the server and its extra config lines.
case_binary() {
    if [[ $1 == A ]]; then echo "$REDIS_SERVER"; else echo "$KEEL_SERVER"; fi
}

case_conf() {
    case $1 in
        A | B) printf 'io-threads 1\n' ;;
        B1) printf 'loadmodule %s\nio-threads 1\n' "$KEEL_IOTHREADS_SO" ;;
        C) printf 'loadmodule %s\nio-threads %s\nio-threads-always-active yes\n' \
            "$KEEL_IOTHREADS_SO" "$IR_IO_THREADS" ;;
    esac
}

case_label() {
    case $1 in
        A) echo "redis-server $("$REDIS_SERVER" --version | sed -n 's/.* v=\([0-9.]*\).*/\1/p'), io-threads 1" ;;
        B) echo "keel, no module, io-threads 1" ;;
        B1) echo "keel + module, io-threads 1" ;;
        C) echo "keel + module, io-threads $IR_IO_THREADS, always-active" ;;
    esac
}

# Total Ir of one callgrind file ("totals:" line).
cg_file_total() {
    awk '/^totals:/ { print $2; found = 1 } END { exit !found }' "$1"
}

cg_zero() {
    timeout 30 callgrind_control -z "$CG_PID" >/dev/null 2>&1 ||
        { note "callgrind_control -z $CG_PID failed"; return 1; }
}

# Dumps; sets CG_MAIN to thread 1's Ir and CG_ALL to the sum over threads.
# With --separate-threads=yes, dump K writes CG_OUT.K-01, CG_OUT.K-02 ...
cg_dump() {
    local tries f total
    timeout 30 callgrind_control -d "$CG_PID" >/dev/null 2>&1 ||
        { note "callgrind_control -d $CG_PID failed"; return 1; }
    CG_DUMPS=$((CG_DUMPS + 1))
    for ((tries = 0; tries < 300; tries++)); do
        CG_MAIN=$(cg_file_total "$CG_OUT.$CG_DUMPS-01" 2>/dev/null) && break
        sleep 0.1
    done
    [[ -n $CG_MAIN ]] || { note "no main-thread dump $CG_OUT.$CG_DUMPS-01"; return 1; }
    sleep 0.5 # the other threads' files follow the first
    CG_ALL=0
    for f in "$CG_OUT.$CG_DUMPS"-*; do
        total=$(cg_file_total "$f" 2>/dev/null) || continue
        CG_ALL=$((CG_ALL + total))
    done
}

info_reads() {
    resp_info_field "$CG_PORT" stats io_threaded_reads_processed 2>/dev/null || echo 0
}

# measure_case CASE ROUND RECORDS: one sample of CASE on a fresh server;
# appends "sample CASE MAIN_PER_REQ ALL_PER_REQ OFFLOADED_PER_REQ FILE".
measure_case() {
    local c=$1 round=$2 records=$3 dir status=1 t0 t1 t2 t3 win_main win_all win_file
    local win_s idle_s idle_main idle_all reads0 reads1 requests=$((2 * IR_REQUESTS))
    port_find_free
    ((FREE_PORT <= BENCH_PORT_LAST)) || die "no free port in $BENCH_PORT_BASE..$BENCH_PORT_LAST"
    CG_PORT=$FREE_PORT
    dir=$BENCH_TMP/$c-$round
    CG_OUT=$dir/callgrind.out
    CG_DUMPS=0
    SERVER_EXTRA_CONF=$(case_conf "$c")
    server_start "$dir" "$(case_binary "$c")" "$CG_PORT" \
        valgrind --tool=callgrind --separate-threads=yes --callgrind-out-file="$CG_OUT"
    SERVER_EXTRA_CONF=
    CG_PID=$STARTED_PID
    while true; do # runs once; break is the error exit
        server_wait_ready "$CG_PID" "$CG_PORT" "$dir" "$BENCH_START_TIMEOUT" || break
        bench_run "$CG_PORT" 1 "$IR_WARMUP" "$IR_CLIENTS" set,get \
            -d "$IR_VALUE_SIZE" -r "$IR_KEYSPACE" || break
        reads0=$(info_reads)
        t0=$(now); cg_zero || break; t1=$(now)
        bench_run "$CG_PORT" 1 "$IR_REQUESTS" "$IR_CLIENTS" set,get \
            -d "$IR_VALUE_SIZE" -r "$IR_KEYSPACE" || break
        t2=$(now); cg_dump || break; t3=$(now)
        win_main=$CG_MAIN win_all=$CG_ALL win_file=$CG_OUT.$CG_DUMPS-01
        reads1=$(info_reads)
        win_s=$(awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN { printf "%.3f", (c + d - a - b) / 2 }')
        t0=$(now); cg_zero || break; t1=$(now)
        sleep "$(awk -v w="$win_s" -v m="$IR_IDLE_S" 'BEGIN { print (w < m ? w : m) }')"
        t2=$(now); cg_dump || break; t3=$(now)
        idle_main=$CG_MAIN idle_all=$CG_ALL
        idle_s=$(awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN { printf "%.3f", (c + d - a - b) / 2 }')
        awk -v c="$c" -v wm="$win_main" -v wa="$win_all" -v im="$idle_main" -v ia="$idle_all" \
            -v ws="$win_s" -v is="$idle_s" -v n="$requests" -v r0="$reads0" -v r1="$reads1" \
            -v f="$win_file" 'BEGIN {
                printf "sample %s %.1f %.1f %.3f %s\n", c, (wm - im * ws / is) / n,
                    (wa - ia * ws / is) / n, (r1 - r0) / n, f
            }' >>"$records"
        note "$c round $round: main thread $win_main Ir in ${win_s}s for $requests requests;" \
            "idle $idle_main Ir in ${idle_s}s; all threads $win_all; IO-thread reads $((reads1 - reads0))"
        status=0
        break
    done
    ((status == 0)) || { note "$c round $round failed"; server_show_logs "$dir"; }
    server_stop "$CG_PID" "$CG_PORT" 60
    return $status
}

# report RECORDS: the table on stdout.
report() {
    local records=$1 c
    {
        for c in $IR_CASES; do echo "label $c $(case_label "$c")"; done
        cat "$records"
    } | awk -v cases="$IR_CASES" '
        $1 == "label" { l = $0; sub(/^label [^ ]+ /, "", l); label[$2] = l; next }
        $1 == "sample" {
            c = $2; n[c]++
            if (!(c in mn) || $3 < mn[c]) { mn[c] = $3; all[c] = $4; offl[c] = $5 }
            if (!(c in mx) || $3 > mx[c]) mx[c] = $3
            s[c] = s[c] (s[c] == "" ? "" : " ") $3
        }
        function ratio(row, a, b, target) {
            if (!(a in mn) || !(b in mn) || mn[b] <= 0) return
            r = mn[a] / mn[b]
            printf "%-28s %6.3fx  <= %.2fx  %s\n", row, r, target, (r <= target + 1e-9 ? "ok" : "MISS")
        }
        END {
            printf "%-4s %-42s %9s %7s %9s %5s  %s\n", "case", "server", "Ir/req", "spread", "all thr", "offl", "samples (main thread Ir/req)"
            nc = split(cases, cl, " ")
            for (i = 1; i <= nc; i++) {
                c = cl[i]
                if (!(c in mn)) { printf "%-4s %-42s %9s\n", c, label[c], "-"; continue }
                printf "%-4s %-42s %9.1f %6.2f%% %9.1f %5.2f  %s\n", c, label[c], mn[c],
                    100 * (mx[c] - mn[c]) / mn[c], all[c], offl[c], s[c]
            }
            print ""
            ratio("B / A", "B", "A", 0.80)
            ratio("B1 / B (indirection)", "B1", "B", 1.02)
            ratio("C main thread / B", "C", "B", 0.70)
        }'
}

# top_functions CASE: the main thread's top IR_TOP functions by self Ir per
# request in CASE's lowest sample (frames on the stack at the dump, whose
# cost callgrind_annotate reports as the whole total, are left out).
top_functions() {
    local c=$1 file=${BEST_FILE[$1]} requests=$((2 * IR_REQUESTS))
    echo
    echo "case $c: main thread, top $IR_TOP functions by self Ir per request (window, idle included)"
    callgrind_annotate --inclusive=no --threshold=100 "$file" 2>/dev/null | awk -v top="$IR_TOP" -v n="$requests" '
        /PROGRAM TOTALS/ { gsub(/,/, "", $1); total = $1; next }
        total != "" && $2 ~ /^\(/ {
            v = $1; gsub(/,/, "", v)
            if (v + 0 >= total + 0) next
            line = $0; sub(/^ *[0-9,]+ +\( *[0-9.]+%\) +/, "", line)
            sub(/ \[.*\]$/, "", line); sub(/^.*\//, "", line)
            if (shown++ < top) printf "  %8.1f  %s\n", v / n, line
        }' # reads to the end: an early exit would give callgrind_annotate a SIGPIPE
}

main() {
    local round c records
    check_prerequisites
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/keel-iothreads-ir.XXXXXX") || die "cannot create a temp dir"
    records=$BENCH_TMP/records
    : >"$records"
    note "-c $IR_CLIENTS -n $IR_REQUESTS -t set,get -d $IR_VALUE_SIZE -r $IR_KEYSPACE," \
        "$IR_REPEATS sample(s) per case, cases $IR_CASES"
    for ((round = 1; round <= IR_REPEATS; round++)); do
        for c in $IR_CASES; do
            measure_case "$c" "$round" "$records" ||
                measure_case "$c" "$round.retry" "$records" || die "case $c failed twice"
        done
    done
    echo
    report "$records"
    echo "(main-thread Ir per request: callgrind --separate-threads=yes, thread 1, zeroed after a warm-up;" \
        "redis-benchmark -c $IR_CLIENTS -n $IR_REQUESTS -t set,get -d $IR_VALUE_SIZE -r $IR_KEYSPACE;" \
        "idle rate subtracted; min and (max-min)/min of $IR_REPEATS process(es) per case; ratios of the minima)"
    if ((IR_TOP > 0)); then
        while read -r _ c ir _ _ file; do
            if [[ -z ${BEST_IR[$c]:-} ]] || awk -v a="$ir" -v b="${BEST_IR[$c]}" 'BEGIN { exit !(a < b) }'; then
                BEST_IR[$c]=$ir BEST_FILE[$c]=$file
            fi
        done <"$records"
        for c in B C; do
            if [[ -n ${BEST_FILE[$c]:-} ]]; then top_functions "$c"; fi
        done
    fi
    return 0
}

main "$@"
