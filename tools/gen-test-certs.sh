#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
#
# tools/gen-test-certs.sh: makes the certificates the TLS tests use, with the
# openssl CLI, into DIR (default tests/tls; never committed, see .gitignore):
#   ca.crt ca.key             test CA
#   server.crt server.key     signed by the CA; localhost / 127.0.0.1 / ::1;
#                             usable as a client certificate too (replication)
#   server-pass.key           server.key encrypted with the password "keel-pass"
#   client.crt client.key     client certificate signed by the CA
#   other-ca.crt other-ca.key another CA, unknown to the server
#   other-client.crt/.key     client certificate signed by the other CA
#   dh.pem                    DH parameters (the ffdhe2048 group: no search)
# The set is built in a temporary folder and moved into place in one rename,
# so concurrent test workers never see half of it. Existing certificates are
# kept unless -f is given.
# Usage: tools/gen-test-certs.sh [-f] [DIR]
set -euo pipefail

force=0
if [ "${1:-}" = "-f" ]; then force=1; shift; fi
dir="${1:-tests/tls}"
days=3650

if [ -f "$dir/client.key" ] && [ -f "$dir/dh.pem" ] && [ $force -eq 0 ]; then
    exit 0
fi
command -v openssl >/dev/null || { echo "gen-test-certs: openssl is not installed" >&2; exit 1; }

parent=$(dirname "$dir")
mkdir -p "$parent"
tmp=$(mktemp -d "$parent/.tls-certs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# make_ca NAME CN
make_ca() {
    openssl genrsa -out "$tmp/$1.key" 2048 2>/dev/null
    openssl req -x509 -new -nodes -sha256 -key "$tmp/$1.key" -days $days \
        -subj "/O=keel test/CN=$2" -out "$tmp/$1.crt"
}

# make_cert NAME CA CN EXTENDED_KEY_USAGE
make_cert() {
    local ext="$tmp/$1.ext"
    {
        echo "basicConstraints=CA:FALSE"
        echo "keyUsage=digitalSignature,keyEncipherment"
        echo "extendedKeyUsage=$4"
        echo "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1"
    } >"$ext"
    openssl genrsa -out "$tmp/$1.key" 2048 2>/dev/null
    openssl req -new -sha256 -key "$tmp/$1.key" -subj "/O=keel test/CN=$3" -out "$tmp/$1.csr"
    openssl x509 -req -sha256 -in "$tmp/$1.csr" -CA "$tmp/$2.crt" -CAkey "$tmp/$2.key" \
        -CAcreateserial -days $days -extfile "$ext" -out "$tmp/$1.crt" 2>/dev/null
    rm -f "$tmp/$1.csr" "$ext"
}

make_ca ca "keel test CA"
make_cert server ca "Server" "serverAuth,clientAuth"
make_cert client ca "Client" "clientAuth"
make_ca other-ca "another CA"
make_cert other-client other-ca "Other client" "clientAuth"
openssl pkey -in "$tmp/server.key" -aes256 -passout pass:keel-pass -out "$tmp/server-pass.key"
openssl genpkey -genparam -algorithm DH -pkeyopt group:ffdhe2048 -out "$tmp/dh.pem" 2>/dev/null
rm -f "$tmp"/*.srl
chmod 644 "$tmp"/*

# Replace an existing folder only when asked to or when it is incomplete:
# servers of another test worker may be using a complete one right now.
if [ -d "$dir" ] && { [ $force -eq 1 ] || [ ! -f "$dir/dh.pem" ]; }; then
    rm -rf "$dir"
fi
# A concurrent run may have put its set in place meanwhile; then that one
# stays (mv -T refuses a non-empty target) and ours is discarded.
mv -T "$tmp" "$dir" 2>/dev/null || true
