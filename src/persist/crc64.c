/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/crc64.c: CRC-64/Jones, table driven, eight bytes per step
 * ("slicing by 8") so checksumming a large RDB file stays far below the cost
 * of writing it.
 *
 * Threads: any; see crc64.h.
 */
#include "persist/crc64.h"

#include <stdbool.h>
#include <string.h>

#define CRC64_POLY_REFLECTED 0x95ac9329ac4bc9b5ULL /* 0xad93d23594c935a9 bit-reversed */

static uint64_t crc_table[8][256];
static bool crc_table_ready;

static void crc64_build_table(void) {
    for (int n = 0; n < 256; n++) {
        uint64_t crc = (uint64_t)n;
        for (int k = 0; k < 8; k++) crc = (crc & 1) ? (crc >> 1) ^ CRC64_POLY_REFLECTED : crc >> 1;
        crc_table[0][n] = crc;
    }
    for (int n = 0; n < 256; n++) {
        uint64_t crc = crc_table[0][n];
        for (int k = 1; k < 8; k++) {
            crc = crc_table[0][crc & 0xff] ^ (crc >> 8);
            crc_table[k][n] = crc;
        }
    }
    crc_table_ready = true;
}

uint64_t crc64(uint64_t crc, const void *p, size_t len) {
    if (!crc_table_ready) crc64_build_table();
    const unsigned char *s = p;
    while (len >= 8) {
        uint64_t word;
        memcpy(&word, s, 8); /* little-endian host assumed, as intset.h and listpack */
        crc ^= word;
        crc = crc_table[7][crc & 0xff] ^ crc_table[6][(crc >> 8) & 0xff] ^
              crc_table[5][(crc >> 16) & 0xff] ^ crc_table[4][(crc >> 24) & 0xff] ^
              crc_table[3][(crc >> 32) & 0xff] ^ crc_table[2][(crc >> 40) & 0xff] ^
              crc_table[1][(crc >> 48) & 0xff] ^ crc_table[0][crc >> 56];
        s += 8;
        len -= 8;
    }
    while (len--) crc = crc_table[0][(crc ^ *s++) & 0xff] ^ (crc >> 8);
    return crc;
}
