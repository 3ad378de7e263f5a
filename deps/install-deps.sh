#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# deps/install-deps.sh: installs the Debian packages keel needs, and nothing
# else. Idempotent: when every package is present it does nothing (no
# apt-get update, no network). Groups:
#   build  compiler, make, jemalloc, liblzf (quicklist and RDB compression),
#          libssl-dev (keel-tls.so), openssl (the CLI that makes test certs),
#          Lua 5.1 with lua-cjson and lua-bitop (scripting), libibverbs-dev,
#          librdmacm-dev, ibverbs-providers and rdma-core (keel-rdma.so)
#   test   build + Tcl 8.6 and tcl-tls (test suite), clang's libFuzzer runtime,
#          redis-cli (Unix-socket tests), redis-server (RDB fixtures written by
#          redis 7.0), python3-redis (a real client over TLS), binutils (nm:
#          the core has no socket calls)
#   bench  build + redis-server/redis-tools (the comparison), valgrind,
#          libck-dev (ck_ring, the bench-queues comparison)
#   all    everything
# Usage: deps/install-deps.sh [build|test|bench|all]   (default: test)
set -euo pipefail

group="${1:-test}"
build_pkgs=(gcc make libc6-dev libjemalloc-dev liblzf-dev libssl-dev openssl liblua5.1-0-dev lua-cjson-dev lua-bitop-dev libibverbs-dev librdmacm-dev ibverbs-providers rdma-core)
test_pkgs=(tcl8.6 tcl-tls clang libclang-rt-dev procps redis-tools redis-server python3-redis binutils)
bench_pkgs=(redis-server redis-tools valgrind libck-dev)

case "$group" in
    build) pkgs=("${build_pkgs[@]}") ;;
    test) pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
    bench) pkgs=("${build_pkgs[@]}" "${bench_pkgs[@]}") ;;
    all) pkgs=("${build_pkgs[@]}" "${test_pkgs[@]}" "${bench_pkgs[@]}") ;;
    *) echo "usage: $0 [build|test|bench|all]" >&2; exit 2 ;;
esac

missing=()
for pkg in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null; then
    echo "install-deps: missing packages (${missing[*]}) and no apt-get: install them by hand" >&2
    exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null; then sudo="sudo"; else
        echo "install-deps: missing packages (${missing[*]}); run as root or install sudo" >&2
        exit 1
    fi
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
# redis-server (bench only) must not start a system service on 6379, where
# `make run` puts keel: a temporary policy-rc.d tells the package scripts no.
policy=/usr/sbin/policy-rc.d
placed_policy=0
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
    $sudo chmod +x "$policy"
    placed_policy=1
fi
status=0
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
[ $placed_policy -eq 1 ] && $sudo rm -f "$policy"
exit $status
