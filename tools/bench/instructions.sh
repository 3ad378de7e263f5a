# SPDX-License-Identifier: BSD-3-Clause
#
# tools/bench/instructions.sh: counts instructions (callgrind's Ir) that a
# server executes per PING, for keel and redis alike.
#
# Sourced by compare.sh; never run alone. Instruction counts are the stable
# twin of requests/sec: they ignore the machine's load and clock, so a 1%
# change in the code shows up as a 1% change here.
#
# Workload: IR_PINGS PINGs on one connection, 16 per pipelined batch
# (redis-benchmark -c 1 -P 16), so the count is dominated by parsing,
# dispatch and reply framing rather than by syscalls, which callgrind does not
# count. Two methods, both writing raw records for report.py:
#
#  control  The server runs under callgrind. After a warm-up,
#           callgrind_control -z zeroes the counters, the PINGs run, and
#           callgrind_control -d dumps them. The same window is then taken
#           with no requests (the idle baseline: timers, cron), and its rate
#           per second is subtracted for the PING window's duration.
#           Record: ir_control SIDE PINGS PING_IR PING_S IDLE_IR IDLE_S
#  whole    For when callgrind_control cannot reach the server (it needs vgdb
#           and, for a server asleep in epoll_wait, ptrace). The server runs
#           under callgrind from start to SHUTDOWN twice: with IR_PINGS PINGs,
#           then with none but an idle sleep as long as the PINGs took.
#           Record: ir_whole SIDE PINGS TOTAL_WITH TOTAL_WITHOUT
#
# Each repeat uses fresh server processes, because the figure varies more
# between processes (random hash seeds, see report.py) than within one. On
# redis both methods give the same minimum (about 2300 Ir per PING), but
# "whole" needs two valgrind start-ups per sample, so its callgrind phase
# takes twice as long, and on a loaded machine the start-up and idle cost of
# its run without PINGs varied by up to 1.4M Ir (70 Ir per PING), against
# about 0.2M (10 Ir per PING) for control's idle subtraction.

IR_PINGS=${BENCH_IR_PINGS:-20000} # PINGs per measured window
IR_WARMUP=2000                    # PINGs sent before counting, to fault in code and buffers
CG_PID=                           # the server under callgrind now; set by cg_server_start
CG_PORT=                          # its port
CG_OUT=                           # its --callgrind-out-file; dumps add .1, .2 ...
CG_DUMPS=0                        # dumps taken so far from it
CG_TOTAL=                         # result of cg_dump and ir_whole_run: total Ir
CG_BUSY_S=                        # result of ir_whole_run: seconds its PINGs (or sleep) took

# Prints the total Ir of one callgrind output file. "totals:" is the sum of
# the costs the file holds, all threads included; "summary:" is computed
# apart from them and disagreed with it by up to 25k Ir on redis.
cg_file_total() {
    awk '/^totals:/ { print $2; found = 1 } END { exit !found }' "$1"
}

# cg_server_start BINARY DIR: starts BINARY under callgrind in DIR and waits
# for PING. Sets CG_PID, CG_PORT, CG_OUT. Returns 1 (logs shown, server
# stopped) if it did not come up.
cg_server_start() {
    local binary=$1 dir=$2
    port_find_free
    CG_PORT=$FREE_PORT
    CG_OUT=$dir/callgrind.out
    CG_DUMPS=0
    server_start "$dir" "$binary" "$CG_PORT" \
        valgrind --tool=callgrind --callgrind-out-file="$CG_OUT"
    CG_PID=$STARTED_PID
    if ! server_wait_ready "$CG_PID" "$CG_PORT" "$dir" "$BENCH_START_TIMEOUT"; then
        server_stop "$CG_PID" "$CG_PORT" 10
        return 1
    fi
}

# Sends PINGS pipelined PINGs on one connection to the callgrind server.
cg_send_pings() {
    bench_ping_rps "$CG_PORT" 16 "$1" 1
}

# callgrind_control can hang if vgdb never gets through, so each call is bounded.
cg_zero() {
    timeout 30 callgrind_control -z "$CG_PID" >/dev/null 2>&1 ||
        { note "callgrind_control -z $CG_PID failed"; return 1; }
}

# Dumps the counters and sets CG_TOTAL to the dump's total Ir. Dump files
# are CG_OUT.1, CG_OUT.2 ... in the order taken. Sets globals rather than
# printing, since a $(...) subshell would lose CG_DUMPS.
cg_dump() {
    local file tries
    timeout 30 callgrind_control -d "$CG_PID" >/dev/null 2>&1 ||
        { note "callgrind_control -d $CG_PID failed"; return 1; }
    CG_DUMPS=$((CG_DUMPS + 1))
    file=$CG_OUT.$CG_DUMPS
    for ((tries = 0; tries < 50; tries++)); do
        CG_TOTAL=$(cg_file_total "$file" 2>/dev/null) && return 0
        sleep 0.1
    done
    note "callgrind dump $file is missing or has no totals line"
    return 1
}

# Prints the seconds between the midpoint of T0..T1 (the zero call) and the
# midpoint of T2..T3 (the dump call): our best guess of the counted window.
window_seconds() {
    awk -v t0="$1" -v t1="$2" -v t2="$3" -v t3="$4" \
        'BEGIN { printf "%.3f", (t2 + t3) / 2 - (t0 + t1) / 2 }'
}

# ir_measure_control SIDE BINARY RECORDS: starts one server under callgrind,
# warms it up, counts one PING window and then an idle window as long, and
# stops it. Returns 1 if callgrind_control or the server failed.
ir_measure_control() {
    local side=$1 binary=$2 records=$3 t0 t1 t2 t3 status=1
    local ping_ir ping_s idle_ir idle_s busy_s
    cg_server_start "$binary" "$BENCH_TMP/cg-$side-control-$(now)" || return 1
    while true; do # runs once; break is the error exit, so the server is always stopped
        cg_send_pings "$IR_WARMUP" || break
        t0=$(now); cg_zero || break; t1=$(now)
        cg_send_pings "$IR_PINGS" || break
        t2=$(now); cg_dump || break; t3=$(now)
        ping_ir=$CG_TOTAL
        ping_s=$(window_seconds "$t0" "$t1" "$t2" "$t3")
        busy_s=$(window_seconds "$t1" "$t1" "$t2" "$t2")

        t0=$(now); cg_zero || break; t1=$(now)
        sleep "$busy_s"
        t2=$(now); cg_dump || break; t3=$(now)
        idle_ir=$CG_TOTAL
        idle_s=$(window_seconds "$t0" "$t1" "$t2" "$t3")

        echo "ir_control $side $IR_PINGS $ping_ir $ping_s $idle_ir $idle_s" >>"$records"
        note "callgrind $side: $ping_ir Ir in ${ping_s}s with $IR_PINGS PINGs, $idle_ir Ir in ${idle_s}s idle"
        status=0
        break
    done
    server_stop "$CG_PID" "$CG_PORT" 60
    return $status
}

# Runs SIDE's server under callgrind from start to SHUTDOWN, sending the
# warm-up and then PINGS PINGs, or sleeping IDLE_S seconds when PINGS is 0.
# Sets CG_TOTAL to the run's total Ir and CG_BUSY_S to how long the PINGs took.
ir_whole_run() {
    local side=$1 binary=$2 pings=$3 idle_s=$4 t1 t2 status=0
    cg_server_start "$binary" "$BENCH_TMP/cg-$side-whole-$pings-$(now)" || return 1
    cg_send_pings "$IR_WARMUP" || status=1
    t1=$(now)
    if ((status == 0 && pings > 0)); then
        cg_send_pings "$pings" || status=1
    elif ((status == 0)); then
        sleep "$idle_s"
    fi
    t2=$(now)
    CG_BUSY_S=$(window_seconds "$t1" "$t1" "$t2" "$t2")
    if ! server_stop "$CG_PID" "$CG_PORT" 60; then
        note "$side had to be killed: no final callgrind dump"
        return 1
    fi
    ((status == 0)) || return 1
    CG_TOTAL=$(cg_file_total "$CG_OUT") || { note "no totals line in $CG_OUT"; return 1; }
}

# ir_measure_whole SIDE BINARY RECORDS: one pair of whole runs, the one with
# PINGs first so that the idle one can last as long.
ir_measure_whole() {
    local side=$1 binary=$2 records=$3 with without
    ir_whole_run "$side" "$binary" "$IR_PINGS" 0 || return 1
    with=$CG_TOTAL
    ir_whole_run "$side" "$binary" 0 "$CG_BUSY_S" || return 1
    without=$CG_TOTAL
    echo "ir_whole $side $IR_PINGS $with $without" >>"$records"
    note "callgrind $side whole runs: $with Ir with $IR_PINGS PINGs, $without Ir without"
}

# ir_measure_all METHOD KEEL_BINARY REDIS_BINARY RECORDS: BENCH_IR_REPEATS
# rounds of keel then redis, each round with fresh server processes.
ir_measure_all() {
    local method=$1 keel_binary=$2 redis_binary=$3 records=$4 rep
    : >"$records"
    for ((rep = 1; rep <= BENCH_IR_REPEATS; rep++)); do
        "ir_measure_$method" keel "$keel_binary" "$records" || return 1
        "ir_measure_$method" redis "$redis_binary" "$records" || return 1
    done
}

# ir_run METHOD KEEL_BINARY REDIS_BINARY RAW: measures both sides with METHOD
# (control, whole, or auto: control, or whole for both if control fails for
# either, so the two sides are always measured alike). Appends the records
# and a "meta ir_method M" line to RAW. Returns 1 if no method worked.
ir_run() {
    local method=$1 keel_binary=$2 redis_binary=$3 raw=$4 records=$BENCH_TMP/ir-records
    if [[ $method != auto ]]; then
        ir_measure_all "$method" "$keel_binary" "$redis_binary" "$records" || return 1
    elif ir_measure_all control "$keel_binary" "$redis_binary" "$records"; then
        method=control
    else
        note "callgrind_control did not work; falling back to whole runs (start to SHUTDOWN)"
        method=whole
        ir_measure_all whole "$keel_binary" "$redis_binary" "$records" || return 1
    fi
    cat "$records" >>"$raw"
    echo "meta ir_method $method" >>"$raw"
}
