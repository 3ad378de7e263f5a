# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tools/bench/pubsub.sh: the PUBLISH rows of compare.sh (part "pubsub"):
# requests/sec of redis-benchmark's `publish CHANNEL PAYLOAD` (-c 50, -P 1
# and -P 16) to a channel with 1 subscriber, then with 100, keel vs redis.
#
# Sourced by compare.sh; never run alone. The subscribers are real clients
# that keep reading: subscribers.py opens them, waits until PUBSUB NUMSUB
# shows them all, then drains their sockets until it is stopped after the
# run and they fall quiet. The turn fails rather than measure something else
# if the server drops a subscriber meanwhile (output buffer limit), or if the
# subscribers did not receive every message (redis-benchmark -n N -P P sends
# N rounded up to a multiple of P). Writes "rps SIDE TEST PIPELINE
# VALUE" records (TEST publish_1 or publish_100); report.py takes the
# medians. Servers are fresh per turn and run one at a time, as in
# throughput.sh.

PUBSUB_CHANNEL=bench-channel
PUBSUB_SUBSCRIBERS="1 100" # subscriber counts; part of the row names, so fixed
PUBSUB_PAYLOAD=$(printf 'x%.0s' {1..32}) # the message: 32 bytes
BENCH_HELPER= # pid of subscribers.py while it runs, for compare.sh's cleanup

# Bytes of one message as a RESP2 subscriber receives it.
pubsub_message_bytes() {
    local message
    message=$'*3\r\n$7\r\nmessage\r\n$'"${#PUBSUB_CHANNEL}"$'\r\n'"$PUBSUB_CHANNEL"$'\r\n$'
    message+="${#PUBSUB_PAYLOAD}"$'\r\n'"$PUBSUB_PAYLOAD"$'\r\n'
    echo "${#message}"
}

# pubsub_subscribers_start PORT COUNT DIR: starts subscribers.py and waits
# until it says its COUNT subscribers are in PUBSUB NUMSUB. Sets BENCH_HELPER.
# Returns 1 (its stderr shown) if it fails or takes over 60 s.
pubsub_subscribers_start() {
    local port=$1 count=$2 dir=$3 tenths
    python3 "$BENCH_DIR/subscribers.py" "$port" "$PUBSUB_CHANNEL" "$count" \
        >"$dir/subscribers.out" 2>"$dir/subscribers.err" </dev/null &
    BENCH_HELPER=$!
    for ((tenths = 0; tenths < 600; tenths++)); do
        grep -qx ready "$dir/subscribers.out" 2>/dev/null && return 0
        pid_alive "$BENCH_HELPER" || break
        sleep 0.1
    done
    note "subscribers.py ($count subscribers on port $port) did not get ready; its stderr:"
    tail -n 5 "$dir/subscribers.err" >&2
    pubsub_subscribers_stop >/dev/null
    return 1
}

# pubsub_subscribers_stop: stops subscribers.py; returns its exit status
# (nonzero if the server dropped a subscriber or one received nothing).
pubsub_subscribers_stop() {
    local status
    [[ -n $BENCH_HELPER ]] || return 0
    kill -TERM "$BENCH_HELPER" 2>/dev/null
    wait "$BENCH_HELPER"
    status=$?
    BENCH_HELPER=
    return $status
}

# pubsub_side SIDE BINARY PIPELINE RAW: one turn of SIDE at PIPELINE: for
# each subscriber count, a fresh server, the subscribers, redis-benchmark.
# Returns 1 if a run failed.
pubsub_side() {
    local side=$1 binary=$2 pipeline=$3 raw=$4 count requests dir rps status received expected
    for count in $PUBSUB_SUBSCRIBERS; do
        requests=$BENCH_PUBSUB_REQUESTS
        ((count > 1)) && requests=$BENCH_PUBSUB_FANOUT_REQUESTS
        throughput_start "$side" "$binary"
        dir=$BENCH_TMP/rps-$side-$TP_PORT
        status=1
        while true; do # runs once; break is the error exit, so the server is always stopped
            pubsub_subscribers_start "$TP_PORT" "$count" "$dir" || break
            if ! bench_exec "$TP_PORT" "$pipeline" "$requests" "$BENCH_CLIENTS" \
                publish "$PUBSUB_CHANNEL" "$PUBSUB_PAYLOAD"; then
                pubsub_subscribers_stop
                break
            fi
            rps=${BENCH_RPS["publish $PUBSUB_CHANNEL $PUBSUB_PAYLOAD"]:-}
            if ! pubsub_subscribers_stop; then
                note "$side: subscribers.py failed; its stderr:"
                tail -n 5 "$dir/subscribers.err" >&2
                break
            fi
            [[ -n $rps ]] || { note "no publish row from redis-benchmark"; break; }
            received=$(sed -n 's/^received \([0-9]*\) bytes.*/\1/p' "$dir/subscribers.out")
            expected=$(((requests + pipeline - 1) / pipeline * pipeline * count * $(pubsub_message_bytes)))
            if [[ $received != "$expected" ]]; then
                note "$side: the subscribers received ${received:-no} bytes, not $expected" \
                    "(every message to each of $count subscribers)"
                break
            fi
            echo "rps $side publish_$count $pipeline $rps" >>"$raw"
            note "$side -P$pipeline PUBLISH to $count subscriber(s): $rps requests/sec"
            status=0
            break
        done
        server_stop "$TP_PID" "$TP_PORT" 30
        ((status == 0)) || return 1
    done
}

# pubsub_run KEEL_BINARY REDIS_BINARY RAW: BENCH_ROUNDS rounds, -P 1 and -P 16.
pubsub_run() {
    local keel_binary=$1 redis_binary=$2 raw=$3 round pipeline
    for ((round = 1; round <= BENCH_ROUNDS; round++)); do
        note "PUBLISH throughput round $round/$BENCH_ROUNDS"
        for pipeline in 1 16; do
            pubsub_side keel "$keel_binary" "$pipeline" "$raw" || return 1
            pubsub_side redis "$redis_binary" "$pipeline" "$raw" || return 1
        done
    done
    {
        echo "meta pubsub_requests $BENCH_PUBSUB_REQUESTS"
        echo "meta pubsub_fanout_requests $BENCH_PUBSUB_FANOUT_REQUESTS"
        echo "meta pubsub_payload ${#PUBSUB_PAYLOAD}"
    } >>"$raw"
}
