#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# tests/run-all.sh: what `make test` runs after building: the C unit tests,
# the IO-thread queue tests again under ThreadSanitizer, a short fuzz smoke
# run of the request parser, then the Tcl suite, then the core unit files
# again with --io-threads 4, the whole suite over TLS, and the core unit
# files over TLS with --io-threads 4. Prints
# each part's output and one closing line "N passed, M failed" (", K
# skipped" when some were skipped) summed over all parts; exits non-zero on
# any failure.
# Usage: tests/run-all.sh BUILD_DIR "RUNTEST FLAGS"
set -uo pipefail
build="${1:-build}"
runtest_flags="${2:-}"
passed=0
failed=0
skipped=0

# Adds the counts of a "...: N passed, M failed[, K skipped]" line.
add_counts() {
    local line="$1"
    local p f s
    p=$(echo "$line" | sed -nE 's/^[^0-9]*([0-9]+) passed.*/\1/p')
    f=$(echo "$line" | sed -nE 's/.* ([0-9]+) failed.*/\1/p')
    s=$(echo "$line" | sed -nE 's/.* ([0-9]+) skipped.*/\1/p')
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    skipped=$((skipped + ${s:-0}))
}

echo "== C unit tests"
c_out=$(tests/run-c-tests.sh "$build/tests" 2>&1)
c_status=$?
printf '%s\n' "$c_out"
c_line=$(printf '%s\n' "$c_out" | grep -E '^c: [0-9]+ passed' | tail -1)
if [ -n "$c_line" ]; then add_counts "$c_line"; else failed=$((failed + 1)); fi
[ $c_status -ne 0 ] && [ -z "$c_line" ] && failed=$((failed + 1))

echo "== IO-thread queue stress under ThreadSanitizer"
tsan_out=$(make --no-print-directory -s test-queues-tsan BUILD="$build" 2>&1)
tsan_status=$?
printf '%s\n' "$tsan_out"
tsan_line=$(printf '%s\n' "$tsan_out" | grep -E '^c: [0-9]+ passed' | tail -1)
if [ -n "$tsan_line" ]; then add_counts "$tsan_line"; else failed=$((failed + 1)); fi
[ $tsan_status -ne 0 ] && [ -z "$tsan_line" ] && failed=$((failed + 1)) # build failed

echo "== fuzz smoke run (request parser, 10 s)"
if command -v clang >/dev/null && make --no-print-directory -s fuzz-smoke >"$build/fuzz-smoke.log" 2>&1; then
    echo "[ok]: fuzz smoke run of the request parser"
    passed=$((passed + 1))
elif ! command -v clang >/dev/null; then
    echo "[skip]: fuzz smoke run (clang is not installed)"
    skipped=$((skipped + 1))
else
    tail -30 "$build/fuzz-smoke.log"
    echo "[err]: fuzz smoke run of the request parser (see $build/fuzz-smoke.log)"
    failed=$((failed + 1))
fi

# run_pass TITLE LOG RUNTEST_ARGS...: one run of the Tcl runner, its output
# shown and kept in LOG, its counts added.
run_pass() {
    local title=$1 log=$2 status line
    shift 2
    echo "== $title"
    tclsh tests/runtest "$@" 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    line=$(grep -E '^tcl: [0-9]+ passed' "$log" | tail -1)
    if [ -n "$line" ]; then add_counts "$line"; else failed=$((failed + 1)); fi
    if [ "$status" -ne 0 ] && [ -n "$line" ] && ! echo "$line" | grep -qE ' [1-9][0-9]* failed'; then
        failed=$((failed + 1)) # the runner failed without counting a failure
    fi
}

# shellcheck disable=SC2086
run_pass "Tcl suite" "$build/runtest.log" $runtest_flags

# The IO-thread variant: the core unit files (tests/unit/*.tcl) with every
# server running io-threads 4 and io-threads-always-active yes.
unit_files=()
for f in tests/unit/*.tcl; do unit_files+=(--single "unit/$(basename "$f" .tcl)"); done
run_pass "Tcl suite, core units again with --io-threads 4 (keel-iothreads.so, always active)" \
    "$build/runtest-iothreads.log" --server "$build/bin/keel-server" --io-threads 4 "${unit_files[@]}"

# The TLS variant: the whole suite with every server and client on TLS
# (keel-tls.so), then the core unit files with TLS and IO threads together.
run_pass "Tcl suite again over TLS (keel-tls.so)" "$build/runtest-tls.log" \
    --server "$build/bin/keel-server" --tls
run_pass "Tcl suite, core units over TLS with --io-threads 4" "$build/runtest-tls-iothreads.log" \
    --server "$build/bin/keel-server" --tls --io-threads 4 "${unit_files[@]}"

if [ $skipped -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
[ $failed -eq 0 ]
