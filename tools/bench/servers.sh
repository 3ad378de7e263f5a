# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tools/bench/servers.sh: finds free loopback ports, starts the servers that
# compare.sh and iothreads.sh measure, waits until they answer PING, and
# stops them.
#
# Sourced by compare.sh and iothreads.sh (needs their die/note helpers and
# resp.sh); never run alone. Every server started here is recorded in
# SERVER_PIDS so that server_stop_all (the callers' EXIT trap) can end it;
# nothing here signals a process it did not start. keel and redis get the
# very same config file, so that any difference measured is the server's,
# not its settings', except where a caller adds lines (SERVER_EXTRA_CONF).

SERVER_PIDS=()  # pids of servers started and not yet stopped; server_start adds, server_stop removes
SERVER_PORTS=() # SERVER_PORTS[i] is the port of SERVER_PIDS[i]
NEXT_PORT=${BENCH_PORT_BASE:-21000} # next port port_find_free tries; it alone advances it
FREE_PORT=      # result of port_find_free (a global, since $(...) would lose NEXT_PORT)
STARTED_PID=    # result of server_start
SERVER_EXTRA_CONF= # config lines (newline-separated) added to the next servers' configs; callers set and clear it
declare -A SERVER_IS_REDIS=() # binary path -> 1 if it is redis-server or valkey-server, 0 if keel; server_is_redis caches

# True if nothing uses the loopback TCP port: no socket of any state on it
# (ss, when installed, also sees TIME_WAIT and bound-but-not-listening
# sockets) and nothing accepts a connection there. Pure shell on purpose: a
# python3 start-up costs up to a second behind a pyenv shim.
port_is_free() {
    local port=$1
    if command -v ss >/dev/null 2>&1; then
        [[ -z $(ss -Htan "sport = :$port" 2>/dev/null) ]] || return 1
    fi
    ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

# Sets FREE_PORT to the first free port >= NEXT_PORT, and moves NEXT_PORT
# past it so that two servers never get the same one. Dies if 200 ports in
# a row are taken. The port could be taken between this check and the
# server's bind; server_wait_ready then fails with the server's log.
port_find_free() {
    local port
    for ((port = NEXT_PORT; port < NEXT_PORT + 200; port++)); do
        ((port == 6379)) && continue # a developer's own redis may come and go there
        if port_is_free "$port"; then
            # shellcheck disable=SC2034 # read by the scripts that source this file
            FREE_PORT=$port
            NEXT_PORT=$((port + 1))
            return 0
        fi
    done
    die "no free loopback port in $NEXT_PORT..$((NEXT_PORT + 199)) (set BENCH_PORT_BASE)"
}

# True if BINARY is redis-server or valkey-server (whatever its file name),
# judged by its --version line; keel's differs.
server_is_redis() {
    local binary=$1
    if [[ -z ${SERVER_IS_REDIS[$binary]:-} ]]; then
        if "$binary" --version 2>/dev/null | grep -Eq '^(Redis|Valkey) server'; then
            SERVER_IS_REDIS[$binary]=1
        else
            SERVER_IS_REDIS[$binary]=0
        fi
    fi
    [[ ${SERVER_IS_REDIS[$binary]} == 1 ]]
}

# Writes the config a server gets: no RDB snapshots and no AOF (both
# servers would otherwise save in the background during a run), loopback
# only, a port, a log file we can show on failure, DEBUG allowed (DEBUG
# POPULATE fills the keyspace for the memory figure), then
# SERVER_EXTRA_CONF, whose lines come last and so win (persist.sh turns the
# AOF on that way).
server_write_config() {
    local conf=$1 port=$2 logfile=$3 binary=$4
    {
        printf 'save ""\nappendonly no\n'
        printf 'bind 127.0.0.1\nport %s\nlogfile %s\nenable-debug-command yes\n' "$port" "$logfile"
        if [[ -n $SERVER_EXTRA_CONF ]]; then
            printf '%s\n' "$SERVER_EXTRA_CONF"
        fi
    } >"$conf"
}

# True while pid runs. A child that exited but was not reaped yet is a zombie
# to which kill -0 still succeeds, so read its state from /proc instead.
pid_alive() {
    local pid=$1 stat
    stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
    stat=${stat##*) } # the command name may hold spaces and parentheses
    [[ ${stat:0:1} != Z ]]
}

# server_start DIR BINARY PORT [WRAPPER...]: starts BINARY (under WRAPPER,
# e.g. valgrind, if given) with a fresh config in DIR, cwd DIR, stdout and
# stderr to DIR/stdout.log. Sets STARTED_PID; does not wait for readiness.
server_start() {
    local dir=$1 binary=$2 port=$3
    shift 3
    mkdir -p "$dir" || die "cannot create $dir"
    server_write_config "$dir/server.conf" "$port" "$dir/server.log" "$binary"
    # exec keeps the pid: $! is the server (valgrind too execs its tool in place).
    (cd "$dir" && exec "$@" "$binary" "$dir/server.conf") >"$dir/stdout.log" 2>&1 </dev/null &
    STARTED_PID=$!
    SERVER_PIDS+=("$STARTED_PID")
    SERVER_PORTS+=("$port")
}

# Prints the last lines of a server's logs to stderr, to explain a failure.
server_show_logs() {
    local dir=$1 file
    for file in "$dir/stdout.log" "$dir/server.log"; do
        [[ -s $file ]] || continue
        echo "---- last lines of $file" >&2
        tail -n 15 "$file" >&2
    done
}

# server_wait_ready PID PORT DIR TIMEOUT_S: returns 0 once PORT answers PONG;
# 1 (logs shown) if the server exits or TIMEOUT_S passes first. Each poll is
# bounded too (resp_call's timeout), for a server that accepts but never replies.
server_wait_ready() {
    local pid=$1 port=$2 dir=$3 timeout_s=$4 reply
    local deadline=$(($(date +%s) + timeout_s))
    while (($(date +%s) < deadline)); do
        if ! pid_alive "$pid"; then
            note "server on port $port exited during startup"
            server_show_logs "$dir"
            return 1
        fi
        reply=$(resp_call "$port" PING)
        [[ $reply == PONG ]] && return 0
        sleep 0.2
    done
    note "server on port $port did not answer PING within ${timeout_s}s"
    server_show_logs "$dir"
    return 1
}

# Waits up to SECONDS_ for pid to exit; returns 1 if it still runs.
pid_wait_exit() {
    local pid=$1 seconds=$2 tenths
    for ((tenths = 0; tenths < seconds * 10; tenths++)); do
        pid_alive "$pid" || return 0
        sleep 0.1
    done
    ! pid_alive "$pid"
}

# server_stop PID PORT [GRACE_S]: asks for SHUTDOWN NOSAVE, then SIGTERM, then
# SIGKILL, each given GRACE_S (default 10) to work; reaps the pid and forgets
# it. Returns 0 if the server exited on its own terms (so a callgrind run has
# written its final dump), 1 if it had to be killed.
server_stop() {
    local pid=$1 port=$2 grace=${3:-10} status=0 i
    if pid_alive "$pid"; then
        RESP_TIMEOUT=10 resp_call "$port" SHUTDOWN NOSAVE >/dev/null
        if ! pid_wait_exit "$pid" "$grace"; then
            kill -TERM "$pid" 2>/dev/null
            if ! pid_wait_exit "$pid" "$grace"; then
                kill -KILL "$pid" 2>/dev/null
                status=1
            fi
        fi
    fi
    wait "$pid" 2>/dev/null
    for i in "${!SERVER_PIDS[@]}"; do
        if [[ ${SERVER_PIDS[i]} == "$pid" ]]; then
            unset 'SERVER_PIDS[i]' 'SERVER_PORTS[i]'
        fi
    done
    return $status
}

# Stops every server still recorded; for the EXIT trap.
server_stop_all() {
    local i
    for i in "${!SERVER_PIDS[@]}"; do
        server_stop "${SERVER_PIDS[i]}" "${SERVER_PORTS[i]}" 5
    done
}
