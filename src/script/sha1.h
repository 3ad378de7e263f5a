/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/sha1.h: SHA-1 (FIPS 180-4) of a byte string as 40 lower-case hex
 * digits, for script names (EVALSHA, SCRIPT LOAD, redis.sha1hex).
 *
 * keel's core links no crypto library, so this is a small self-contained
 * implementation. Threads: any (no shared state).
 */
#ifndef KEEL_SCRIPT_SHA1_H
#define KEEL_SCRIPT_SHA1_H

#include <stddef.h>

/* Writes the 40 hex digits and a terminating NUL into out. */
void sha1_hex(const void *data, size_t len, char out[41]);

#endif
