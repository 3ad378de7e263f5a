# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tools/bench/instructions.sh: counts instructions (callgrind's Ir) that a
# server executes per PING, per SET and per GET, for keel and redis alike.
#
# Sourced by compare.sh; never run alone. Instruction counts are the stable
# twin of requests/sec: they ignore the machine's load and clock, so a 1%
# change in the code shows up as a 1% change here.
#
# Workload: after a warm-up, three windows in this order on one connection,
# 16 commands per pipelined batch (redis-benchmark -c 1 -P 16), so the count
# is dominated by parsing, lookup, dispatch and reply framing rather than by
# syscalls, which callgrind does not count:
#   ping  IR_PINGS PINGs;
#   set   IR_OPS SETs of IR_VALUE_SIZE bytes, keys drawn from IR_KEYSPACE;
#   get   IR_OPS GETs of keys drawn from the same IR_KEYSPACE.
# IR_KEYSPACE defaults to IR_OPS / 2, the proportion of the throughput run
# (-r 1000000 with -n 2000000): about 40% of the SETs insert a key and the
# rest overwrite one, the table grows as it goes, and about 85% of the GETs
# hit. Two methods, both writing raw records for report.py:
#
#  control  The server runs under callgrind. callgrind_control -z zeroes
#           the counters before each window and callgrind_control -d dumps
#           them after it. Then one window with no requests, as long as the
#           longest of the three, gives the idle rate (timers, cron) per
#           second, which report.py subtracts for each window's duration.
#           Record: ir_control SIDE OP COUNT OP_IR OP_S IDLE_IR IDLE_S
#  whole    For when callgrind_control cannot reach the server (it needs vgdb
#           and, for a server asleep in epoll_wait, ptrace). The server runs
#           under callgrind from start to SHUTDOWN, four times: with all three
#           windows, then with only the first two, the first one, none. Each
#           run sleeps in place of the windows it skips, as long as they took
#           in the first run, so a window's cost is the difference between
#           the run that has it and the run that stops just before it.
#           Record: ir_whole SIDE OP COUNT TOTAL_WITH TOTAL_WITHOUT
#
# Each repeat uses fresh server processes, because the figure varies more
# between processes (random hash seeds, see report.py) than within one. On
# redis both methods gave the same minimum PING figure (about 2300 Ir), but
# "whole" needs four valgrind start-ups per sample against one, and on a
# loaded machine the start-up and idle cost of its runs varied by up to 1.4M
# Ir (70 Ir per PING), against about 0.2M (10 Ir per PING) for control's
# idle subtraction.

IR_PINGS=${BENCH_IR_PINGS:-20000}          # PINGs in the ping window
IR_OPS=${BENCH_IR_OPS:-20000}              # SETs in the set window, GETs in the get window
IR_KEYSPACE=${BENCH_IR_KEYSPACE:-}         # -r of the set and get windows; compare.sh defaults it to IR_OPS / 2
IR_VALUE_SIZE=${BENCH_VALUE_SIZE:-512}     # -d of the SETs
IR_WARMUP=2000                             # PINGs, SETs and GETs each, sent before counting
IR_SEQUENCE=(ping set get)                 # the windows, in order
CG_PID=                                    # the server under callgrind now; set by cg_server_start
CG_PORT=                                   # its port
CG_OUT=                                    # its --callgrind-out-file; dumps add .1, .2 ...
CG_DUMPS=0                                 # dumps taken so far from it
CG_TOTAL=                                  # result of cg_dump and ir_whole_run: total Ir
declare -A CG_WINDOW_S=()                  # result of ir_whole_run: op -> seconds its window took

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

# cg_send OP COUNT: sends COUNT commands of window OP (ping, set or get) on
# one connection to the callgrind server, 16 per batch.
cg_send() {
    local op=$1 count=$2
    case $op in
        ping) bench_run "$CG_PORT" 16 "$count" 1 ping_mbulk ;;
        set | get) bench_run "$CG_PORT" 16 "$count" 1 "$op" -d "$IR_VALUE_SIZE" -r "$IR_KEYSPACE" ;;
        *) die "cg_send: unknown window $op" ;;
    esac
}

# Faults in the code and buffers of every window's path before counting.
cg_warm_up() {
    local op
    for op in "${IR_SEQUENCE[@]}"; do
        cg_send "$op" "$IR_WARMUP" || return 1
    done
}

# Prints the command count of window OP.
ir_count() {
    if [[ $1 == ping ]]; then echo "$IR_PINGS"; else echo "$IR_OPS"; fi
}

# callgrind_control can hang if vgdb never gets through, so each call is bounded.
cg_zero() {
    timeout 30 callgrind_control -z "$CG_PID" >/dev/null 2>&1 ||
        { note "callgrind_control -z $CG_PID failed"; return 1; }
}

# Dumps the counters and sets CG_TOTAL to the dump's total Ir. Dump files
# are CG_OUT.1, CG_OUT.2 ... in the order taken. Sets globals rather than
# printing, since a $(...) subshell would lose CG_DUMPS. The file can appear
# seconds after callgrind_control returns on a loaded machine (once more
# than 5 s, at a load average of 17 on 2 cores), hence the long wait.
cg_dump() {
    local file tries
    timeout 30 callgrind_control -d "$CG_PID" >/dev/null 2>&1 ||
        { note "callgrind_control -d $CG_PID failed"; return 1; }
    CG_DUMPS=$((CG_DUMPS + 1))
    file=$CG_OUT.$CG_DUMPS
    for ((tries = 0; tries < 300; tries++)); do
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

# Prints the larger of two decimal numbers.
max_seconds() {
    awk -v a="$1" -v b="$2" 'BEGIN { print (a > b ? a : b) }'
}

# ir_measure_control SIDE BINARY RECORDS: starts one server under callgrind,
# warms it up, counts each window of IR_SEQUENCE and then an idle window as
# long as the longest, and stops it. Returns 1 if callgrind_control or the
# server failed.
ir_measure_control() {
    local side=$1 binary=$2 records=$3 t0 t1 t2 t3 op status=1 longest=0 idle_ir idle_s
    local -A op_ir=() op_s=()
    cg_server_start "$binary" "$BENCH_TMP/cg-$side-control-$(now)" || return 1
    while true; do # runs once; break is the error exit, so the server is always stopped
        cg_warm_up || break
        for op in "${IR_SEQUENCE[@]}"; do
            t0=$(now); cg_zero || break 2; t1=$(now)
            cg_send "$op" "$(ir_count "$op")" || break 2
            t2=$(now); cg_dump || break 2; t3=$(now)
            op_ir[$op]=$CG_TOTAL
            op_s[$op]=$(window_seconds "$t0" "$t1" "$t2" "$t3")
            longest=$(max_seconds "$longest" "$(window_seconds "$t1" "$t1" "$t2" "$t2")")
        done

        t0=$(now); cg_zero || break; t1=$(now)
        sleep "$longest"
        t2=$(now); cg_dump || break; t3=$(now)
        idle_ir=$CG_TOTAL
        idle_s=$(window_seconds "$t0" "$t1" "$t2" "$t3")

        for op in "${IR_SEQUENCE[@]}"; do
            echo "ir_control $side $op $(ir_count "$op") ${op_ir[$op]} ${op_s[$op]} $idle_ir $idle_s" >>"$records"
            note "callgrind $side $op: ${op_ir[$op]} Ir in ${op_s[$op]}s for $(ir_count "$op")"
        done
        note "callgrind $side idle: $idle_ir Ir in ${idle_s}s"
        status=0
        break
    done
    server_stop "$CG_PID" "$CG_PORT" 60
    return $status
}

# ir_whole_run SIDE BINARY STEPS SLEEP_S: runs SIDE's server under callgrind
# from start to SHUTDOWN: warm-up, the first STEPS windows of IR_SEQUENCE,
# then SLEEP_S seconds of idling. Sets CG_TOTAL to the run's total Ir and
# CG_WINDOW_S[op] to how long each window took.
ir_whole_run() {
    local side=$1 binary=$2 steps=$3 sleep_s=$4 status=0 i op t1 t2
    cg_server_start "$binary" "$BENCH_TMP/cg-$side-whole-$steps-$(now)" || return 1
    cg_warm_up || status=1
    for ((i = 0; status == 0 && i < steps; i++)); do
        op=${IR_SEQUENCE[i]}
        t1=$(now)
        cg_send "$op" "$(ir_count "$op")" || status=1
        t2=$(now)
        CG_WINDOW_S[$op]=$(window_seconds "$t1" "$t1" "$t2" "$t2")
    done
    ((status == 0)) && sleep "$sleep_s"
    if ! server_stop "$CG_PID" "$CG_PORT" 60; then
        note "$side had to be killed: no final callgrind dump"
        return 1
    fi
    ((status == 0)) || return 1
    CG_TOTAL=$(cg_file_total "$CG_OUT") || { note "no totals line in $CG_OUT"; return 1; }
}

# ir_measure_whole SIDE BINARY RECORDS: the run with every window first, so
# that the shorter runs can idle as long as their missing windows took.
ir_measure_whole() {
    local side=$1 binary=$2 records=$3 steps=${#IR_SEQUENCE[@]} i op skipped_s=0
    local -a totals=()
    ir_whole_run "$side" "$binary" "$steps" 0 || return 1
    totals[steps]=$CG_TOTAL
    local -A took=()
    for op in "${IR_SEQUENCE[@]}"; do took[$op]=${CG_WINDOW_S[$op]}; done
    for ((i = steps - 1; i >= 0; i--)); do
        op=${IR_SEQUENCE[i]}
        skipped_s=$(awk -v a="$skipped_s" -v b="${took[$op]}" 'BEGIN { printf "%.3f", a + b }')
        ir_whole_run "$side" "$binary" "$i" "$skipped_s" || return 1
        totals[i]=$CG_TOTAL
    done
    for ((i = 0; i < steps; i++)); do
        op=${IR_SEQUENCE[i]}
        echo "ir_whole $side $op $(ir_count "$op") ${totals[i + 1]} ${totals[i]}" >>"$records"
        note "callgrind $side whole runs: $op window adds $((totals[i + 1] - totals[i])) Ir"
    done
}

# ir_measure_retried METHOD SIDE BINARY RECORDS: one sample, tried a second
# time with a fresh process if the first failed, so that one lost dump on a
# loaded machine does not send the whole run to the noisier whole method.
ir_measure_retried() {
    local method=$1 side=$2 binary=$3 records=$4
    "ir_measure_$method" "$side" "$binary" "$records" && return 0
    note "callgrind $side ($method) failed; trying once more with a fresh process"
    "ir_measure_$method" "$side" "$binary" "$records"
}

# ir_measure_all METHOD KEEL_BINARY REDIS_BINARY RECORDS: BENCH_IR_REPEATS
# rounds of keel then redis, each round with fresh server processes.
ir_measure_all() {
    local method=$1 keel_binary=$2 redis_binary=$3 records=$4 rep
    : >"$records"
    for ((rep = 1; rep <= BENCH_IR_REPEATS; rep++)); do
        note "callgrind repeat $rep/$BENCH_IR_REPEATS ($method)"
        ir_measure_retried "$method" keel "$keel_binary" "$records" || return 1
        ir_measure_retried "$method" redis "$redis_binary" "$records" || return 1
    done
}

# ir_run METHOD KEEL_BINARY REDIS_BINARY RAW: measures both sides with METHOD
# (control, whole, or auto: control, or whole for both if control fails for
# either, so the two sides are always measured alike). Appends the records
# and "meta ir_*" lines to RAW. Returns 1 if no method worked.
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
    {
        echo "meta ir_method $method"
        echo "meta ir_pings $IR_PINGS"
        echo "meta ir_ops $IR_OPS"
        echo "meta ir_keyspace $IR_KEYSPACE"
        echo "meta ir_repeats $BENCH_IR_REPEATS"
    } >>"$raw"
}
