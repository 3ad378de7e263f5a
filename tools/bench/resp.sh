# SPDX-License-Identifier: BSD-3-Clause
# shellcheck shell=bash
#
# tools/bench/resp.sh: a minimal RESP client in pure bash, for the few
# commands the benchmarks send outside redis-benchmark (PING, SHUTDOWN, INFO,
# DBSIZE, DEBUG POPULATE).
#
# Sourced by the bench scripts; never run alone. It exists so that they need
# no redis-cli: iothreads.sh must run on a bare box with only redis-server
# and redis-benchmark. It uses bash's /dev/tcp, one connection per command,
# and understands simple strings, errors, integers and bulk strings, which is
# all the replies those commands give. Byte counts are right only under
# LC_ALL=C (the callers set it), since ${#var} and read -N count characters.

RESP_TIMEOUT=${RESP_TIMEOUT:-5} # seconds to wait for a reply; override per call: RESP_TIMEOUT=120 resp_call ...

# resp_call PORT ARG...: sends ARG... as one command to 127.0.0.1:PORT and
# prints the reply's payload (no type byte, no CRLF; nothing for a null
# bulk). Returns 0 for a reply that is not an error, 1 for an error reply
# (its text printed), 2 if the connection failed, 3 if no complete reply came
# within RESP_TIMEOUT seconds or the reply is of a type not understood here.
resp_call() {
    local port=$1
    shift
    (
        local request arg line len body
        exec 3<>"/dev/tcp/127.0.0.1/$port" || exit 2
        request="*$#"$'\r\n'
        for arg; do
            request+="\$${#arg}"$'\r\n'"$arg"$'\r\n'
        done
        printf '%s' "$request" >&3 || exit 2
        IFS= read -r -t "$RESP_TIMEOUT" line <&3 || exit 3
        line=${line%$'\r'}
        case ${line:0:1} in
            + | :) printf '%s\n' "${line:1}" ;;
            -) printf '%s\n' "${line:1}"; exit 1 ;;
            \$)
                len=${line:1}
                [[ $len =~ ^-?[0-9]+$ ]] || exit 3
                ((len < 0)) && exit 0
                IFS= read -r -N "$len" -t "$RESP_TIMEOUT" body <&3 || exit 3
                printf '%s\n' "$body"
                ;;
            *) exit 3 ;;
        esac
    ) 2>/dev/null
}

# resp_info_field PORT SECTION FIELD: prints FIELD's value from INFO SECTION.
# Returns 1 if INFO failed or has no such field.
resp_info_field() {
    local port=$1 section=$2 field=$3 info value
    info=$(resp_call "$port" INFO "$section") || return 1
    value=$(printf '%s\n' "$info" | tr -d '\r' | awk -F: -v f="$field" '$1 == f { print $2; exit }')
    [[ -n $value ]] || return 1
    printf '%s\n' "$value"
}
