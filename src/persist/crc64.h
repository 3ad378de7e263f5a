/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/crc64.h: the CRC-64 that RDB files and DUMP payloads end with.
 *
 * The "Jones" polynomial (0xad93d23594c935a9) in its reflected form, initial
 * value 0, no final xor: the checksum Redis and Valkey compute, so
 * crc64(0, "123456789", 9) == 0xe9c6d914c4b8d9ca. Stored little-endian.
 *
 * Threads: any (the table is built once, on first use, by the main thread
 * or before any fork; building it twice gives the same table).
 */
#ifndef KEEL_PERSIST_CRC64_H
#define KEEL_PERSIST_CRC64_H

#include <stddef.h>
#include <stdint.h>

/* Continues the checksum crc over len bytes at p (start with 0). */
uint64_t crc64(uint64_t crc, const void *p, size_t len);

#endif
