#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# tools/bench/compare.sh: compares keel with Debian's redis-server 7.0:
# requests/sec of PING, SET and GET under redis-benchmark (-P 1 and -P 16),
# instructions per PING, SET and GET under callgrind, memory per key after
# DEBUG POPULATE, the data types' rows (types.sh: LPUSH ... ZPOPMIN
# throughput, memory per small hash and sorted set), PUBLISH to 1 and 100
# subscribers (pubsub.sh), MULTI/EXEC transactions (multi.sh), EVALSHA and
# FCALL of a GET+SET script (script.sh), SET/GET over TLS (tls.sh) and
# persistence: SAVE and load of 1M keys, file size, SET with the AOF on
# (persist.sh). Prints a table with the issues' targets; writes the
# figures to build/bench/last.txt. `make bench` runs it; README.md beside it
# explains what is measured and the environment knobs.
#
# It starts its own servers on free loopback ports (from 21000 up, never
# 6379), with identical config files, and stops them and removes its temp
# dir on any exit. It never touches a server it did not start.

set -uo pipefail
export LC_ALL=C # EPOCHREALTIME and awk must use '.' as the decimal point

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/../.." && pwd)

KEEL_SERVER=${KEEL_SERVER:-$ROOT/build/bin/keel-server}
REDIS_SERVER=${REDIS_SERVER:-/usr/bin/redis-server}
BENCH_PARTS=${BENCH_PARTS:-rps ir mem types typemem pubsub multi script tls persist}
BENCH_ROUNDS=${BENCH_ROUNDS:-1}
BENCH_REQUESTS=${BENCH_REQUESTS:-2000000}
BENCH_PING_REQUESTS=${BENCH_PING_REQUESTS:-} # default BENCH_REQUESTS / 2, set once that is checked
BENCH_KEYSPACE=${BENCH_KEYSPACE:-1000000}
BENCH_VALUE_SIZE=${BENCH_VALUE_SIZE:-512}
BENCH_MEM_KEYS=${BENCH_MEM_KEYS:-1000000}
BENCH_TYPE_REQUESTS=${BENCH_TYPE_REQUESTS:-500000}
BENCH_TYPE_KEYS=${BENCH_TYPE_KEYS:-100000}
BENCH_PUBSUB_REQUESTS=${BENCH_PUBSUB_REQUESTS:-500000}
BENCH_PUBSUB_FANOUT_REQUESTS=${BENCH_PUBSUB_FANOUT_REQUESTS:-} # default BENCH_PUBSUB_REQUESTS / 10, set once that is checked
BENCH_MULTI_REQUESTS=${BENCH_MULTI_REQUESTS:-200000}
BENCH_SCRIPT_REQUESTS=${BENCH_SCRIPT_REQUESTS:-300000}
BENCH_PERSIST_KEYS=${BENCH_PERSIST_KEYS:-1000000}
BENCH_PERSIST_AOF_REQUESTS=${BENCH_PERSIST_AOF_REQUESTS:-500000}
BENCH_TLS_REQUESTS=${BENCH_TLS_REQUESTS:-300000}
BENCH_IR_METHOD=${BENCH_IR_METHOD:-auto}
BENCH_IR_REPEATS=${BENCH_IR_REPEATS:-3}
BENCH_START_TIMEOUT=${BENCH_START_TIMEOUT:-60}
BENCH_OUT=${BENCH_OUT:-$ROOT/build/bench/last.txt}
BENCH_TMP= # temp dir for configs, logs and callgrind files; set in main

die() {
    echo "compare.sh: $*" >&2
    exit 1
}

# Progress and diagnostics go to stderr, so stdout holds only the table.
note() {
    echo "compare.sh: $*" >&2
}

# Wall-clock seconds with microseconds.
now() {
    echo "$EPOCHREALTIME"
}

# shellcheck source=resp.sh
source "$BENCH_DIR/resp.sh"
# shellcheck source=servers.sh
source "$BENCH_DIR/servers.sh"
# shellcheck source=throughput.sh
source "$BENCH_DIR/throughput.sh"
# shellcheck source=instructions.sh
source "$BENCH_DIR/instructions.sh"
# shellcheck source=memory.sh
source "$BENCH_DIR/memory.sh"
# shellcheck source=types.sh
source "$BENCH_DIR/types.sh"
# shellcheck source=pubsub.sh
source "$BENCH_DIR/pubsub.sh"
# shellcheck source=multi.sh
source "$BENCH_DIR/multi.sh"
# shellcheck source=script.sh
source "$BENCH_DIR/script.sh"
# shellcheck source=persist.sh
source "$BENCH_DIR/persist.sh"
# shellcheck source=tls.sh
source "$BENCH_DIR/tls.sh"

# True if BENCH_PARTS names PART (rps, ir, mem, types, typemem, pubsub, multi, script, tls or persist).
part_wanted() {
    [[ " $BENCH_PARTS " == *" $1 "* ]]
}

cleanup() {
    if [[ -n $BENCH_CHILD ]]; then # interrupted mid-benchmark
        kill -TERM "$BENCH_CHILD" 2>/dev/null
        wait "$BENCH_CHILD" 2>/dev/null
    fi
    if [[ -n $BENCH_HELPER ]]; then # subscribers.py of an interrupted PUBLISH run
        kill -TERM "$BENCH_HELPER" 2>/dev/null
        wait "$BENCH_HELPER" 2>/dev/null
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

# Dies with the Debian package to install if a tool is missing.
require_tool() {
    local tool=$1 package=$2
    command -v "$tool" >/dev/null 2>&1 ||
        die "$tool not found: install Debian package $package (apt-get install $package)"
}

require_positive_int() {
    local name=$1 value=$2
    [[ $value =~ ^[1-9][0-9]*$ ]] || die "$name must be a positive integer, not '$value'"
}

check_prerequisites() {
    if [[ ! -f $KEEL_SERVER || ! -x $KEEL_SERVER ]]; then
        local shown=${KEEL_SERVER#"$ROOT"/}
        [[ $shown == build/bin/keel-server ]] && die "$shown not found: run make first"
        die "$KEEL_SERVER not found or not executable (KEEL_SERVER)"
    fi
    KEEL_SERVER=$(cd "$(dirname "$KEEL_SERVER")" && pwd)/$(basename "$KEEL_SERVER")
    [[ -x $REDIS_SERVER ]] ||
        die "$REDIS_SERVER not found: install Debian package redis-server (apt-get install redis-server)"
    require_tool redis-benchmark redis-tools
    require_tool python3 python3
    require_tool timeout coreutils
    local part
    for part in $BENCH_PARTS; do
        case $part in
            rps | ir | mem | types | typemem | pubsub | multi | script | tls | persist) ;;
            *) die "BENCH_PARTS may name rps, ir, mem, types, typemem, pubsub, multi, script, tls and persist, not '$part'" ;;
        esac
    done
    part_wanted tls && require_tool openssl openssl # tools/gen-test-certs.sh
    part_wanted ir || BENCH_IR_METHOD=none
    if [[ $BENCH_IR_METHOD != none ]]; then
        require_tool valgrind valgrind
        require_tool callgrind_control valgrind
    fi
    case $BENCH_IR_METHOD in
        auto | control | whole | none) ;;
        *) die "BENCH_IR_METHOD must be auto, control, whole or none, not '$BENCH_IR_METHOD'" ;;
    esac
    require_positive_int BENCH_ROUNDS "$BENCH_ROUNDS"
    require_positive_int BENCH_REQUESTS "$BENCH_REQUESTS"
    [[ -n $BENCH_PING_REQUESTS ]] || BENCH_PING_REQUESTS=$(((BENCH_REQUESTS + 1) / 2))
    require_positive_int BENCH_PING_REQUESTS "$BENCH_PING_REQUESTS"
    require_positive_int BENCH_KEYSPACE "$BENCH_KEYSPACE"
    require_positive_int BENCH_VALUE_SIZE "$BENCH_VALUE_SIZE"
    require_positive_int BENCH_MEM_KEYS "$BENCH_MEM_KEYS"
    require_positive_int BENCH_TYPE_REQUESTS "$BENCH_TYPE_REQUESTS"
    require_positive_int BENCH_TYPE_KEYS "$BENCH_TYPE_KEYS"
    require_positive_int BENCH_PUBSUB_REQUESTS "$BENCH_PUBSUB_REQUESTS"
    [[ -n $BENCH_PUBSUB_FANOUT_REQUESTS ]] ||
        BENCH_PUBSUB_FANOUT_REQUESTS=$(((BENCH_PUBSUB_REQUESTS + 9) / 10))
    require_positive_int BENCH_PUBSUB_FANOUT_REQUESTS "$BENCH_PUBSUB_FANOUT_REQUESTS"
    require_positive_int BENCH_MULTI_REQUESTS "$BENCH_MULTI_REQUESTS"
    require_positive_int BENCH_SCRIPT_REQUESTS "$BENCH_SCRIPT_REQUESTS"
    require_positive_int BENCH_PERSIST_KEYS "$BENCH_PERSIST_KEYS"
    require_positive_int BENCH_PERSIST_AOF_REQUESTS "$BENCH_PERSIST_AOF_REQUESTS"
    require_positive_int BENCH_TLS_REQUESTS "$BENCH_TLS_REQUESTS"
    require_positive_int BENCH_IR_REPEATS "$BENCH_IR_REPEATS"
    require_positive_int BENCH_IR_PINGS "$IR_PINGS"
    require_positive_int BENCH_IR_OPS "$IR_OPS"
    [[ -n $IR_KEYSPACE ]] || IR_KEYSPACE=$(((IR_OPS + 1) / 2))
    require_positive_int BENCH_IR_KEYSPACE "$IR_KEYSPACE"
    require_positive_int BENCH_START_TIMEOUT "$BENCH_START_TIMEOUT"
    require_positive_int BENCH_PORT_BASE "$NEXT_PORT"
}

# Writes the run's settings as meta records, for report.py and last.txt.
write_meta() {
    local raw=$1 redis_version
    redis_version=$("$REDIS_SERVER" --version | sed -n 's/.* v=\([0-9.]*\).*/\1/p')
    {
        echo "meta keel_server $KEEL_SERVER"
        echo "meta redis_server $REDIS_SERVER"
        echo "meta redis_version ${redis_version:-unknown}"
        echo "meta redis_label redis-${redis_version%.*}"
        echo "meta value_size $BENCH_VALUE_SIZE"
        echo "meta date $(date -u +%Y-%m-%dT%H:%M:%SZ)"
        echo "meta commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo none)"
        echo "meta parts $BENCH_PARTS"
        if part_wanted rps; then
            echo "meta requests $BENCH_REQUESTS"
            echo "meta ping_requests $BENCH_PING_REQUESTS"
        fi
        if part_wanted rps || part_wanted types || part_wanted pubsub || part_wanted multi ||
            part_wanted script || part_wanted persist ||
            part_wanted tls; then
            echo "meta keyspace $BENCH_KEYSPACE"
            echo "meta rounds $BENCH_ROUNDS"
        fi
    } >>"$raw"
}

main() {
    check_prerequisites
    trap cleanup EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
    BENCH_TMP=$(mktemp -d "${TMPDIR:-/tmp}/keel-bench.XXXXXX") || die "cannot create a temp dir"
    mkdir -p "$(dirname "$BENCH_OUT")" || die "cannot create $(dirname "$BENCH_OUT")"
    local raw=$BENCH_TMP/raw.txt
    write_meta "$raw"

    local started=$SECONDS
    if part_wanted rps; then
        throughput_run "$KEEL_SERVER" "$REDIS_SERVER" "$raw" || die "throughput benchmark failed"
    fi
    if [[ $BENCH_IR_METHOD != none ]]; then
        ir_run "$BENCH_IR_METHOD" "$KEEL_SERVER" "$REDIS_SERVER" "$raw" ||
            die "callgrind measurement failed (BENCH_IR_METHOD=$BENCH_IR_METHOD)"
    fi
    if part_wanted mem; then
        mem_run "$KEEL_SERVER" "$REDIS_SERVER" "$raw"
    fi
    if part_wanted types; then
        types_run "$KEEL_SERVER" "$REDIS_SERVER" "$raw" || die "data-type throughput benchmark failed"
    fi
    if part_wanted typemem; then
        typemem_run "$KEEL_SERVER" "$REDIS_SERVER" "$raw"
    fi
    if part_wanted pubsub; then
        pubsub_run "$KEEL_SERVER" "$REDIS_SERVER" "$raw" || die "PUBLISH benchmark failed"
    fi
    if part_wanted multi; then
        multi_run "$KEEL_SERVER" "$REDIS_SERVER" "$raw" || die "MULTI/EXEC benchmark failed"
    fi
    if part_wanted script; then
        script_run "$KEEL_SERVER" "$REDIS_SERVER" "$raw" || die "EVALSHA/FCALL benchmark failed"
    fi
    if part_wanted tls; then
        tls_run "$KEEL_SERVER" "$REDIS_SERVER" "$raw" || die "TLS benchmark failed"
    fi
    if part_wanted persist; then
        persist_run "$KEEL_SERVER" "$REDIS_SERVER" "$raw" || die "persistence benchmark failed"
    fi
    echo "meta seconds $((SECONDS - started))" >>"$raw"
    echo
    python3 "$BENCH_DIR/report.py" "$raw" "$BENCH_OUT" || die "report failed"
    note "wrote $BENCH_OUT"
}

main "$@"
