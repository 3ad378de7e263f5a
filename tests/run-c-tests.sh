#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# tests/run-c-tests.sh: runs every C unit-test binary in DIR and prints one
# closing line "c: N passed, M failed" over all of them. Exit 1 on any
# failure, including a binary that crashed.
set -uo pipefail
dir="${1:-build/tests}"
passed=0
failed=0
for bin in "$dir"/test_*; do
    [ -x "$bin" ] || continue
    out=$("$bin" 2>&1)
    status=$?
    printf '%s\n' "$out" | grep -v '^c: [0-9]* passed' || true
    line=$(printf '%s\n' "$out" | grep -E '^c: [0-9]+ passed, [0-9]+ failed' | tail -1)
    if [ -z "$line" ]; then
        echo "[err]: $(basename "$bin") exited with status $status before finishing"
        failed=$((failed + 1))
        continue
    fi
    p=$(echo "$line" | sed -E 's/^c: ([0-9]+) passed, ([0-9]+) failed.*/\1/')
    f=$(echo "$line" | sed -E 's/^c: ([0-9]+) passed, ([0-9]+) failed.*/\2/')
    passed=$((passed + p))
    failed=$((failed + f))
    if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "[err]: $(basename "$bin") exited with status $status"
        failed=$((failed + 1))
    fi
done
echo "c: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
