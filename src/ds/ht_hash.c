/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/ht_hash.c: the seeded 64-bit hash of byte strings that keel's
 * hashtables use (ht_hash, ht_hash_nocase; declared in ds/ht.h).
 *
 * The seed is random per process (set before main), so clients cannot
 * precompute keys that collide. Threads: any; the seed is written once at
 * startup (or by ht_hash_seed_set before tables exist) and only read after.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "ds/ht.h"

/*
 * Each 16-byte block is folded into the state with one 64x64->128 multiply
 * whose halves are xored ("mum"): state = mum(w0 ^ k1, w1 ^ state). Both
 * operands carry a secret (k1 from the seed, state from the seed and all
 * earlier input), so an attacker who does not know the seed cannot force a
 * zero operand or a chosen collision. The tail (0-16 bytes) is read as two
 * overlapping words, and the length is mixed into the initial state so
 * tails that read the same words still differ. A final mum spreads the
 * state into both the low bits (bucket index) and the top byte (tag). */

static uint64_t seed_k0 = 0x243f6a8885a308d3ull; /* digits of pi; replaced at startup */
static uint64_t seed_k1 = 0x13198a2e03707344ull;

/* Odd multipliers from public constants: the golden ratio and e. */
#define HASH_M0 0x9e3779b97f4a7c15ull
#define HASH_M1 0xb7e151628aed2a6bull

static inline uint64_t hash_mum(uint64_t a, uint64_t b) {
    __uint128_t product = (__uint128_t)a * b;
    return (uint64_t)product ^ (uint64_t)(product >> 64);
}

void ht_hash_seed_set(const uint8_t seed[16]) {
    uint64_t a, b;
    memcpy(&a, seed, 8);
    memcpy(&b, seed + 8, 8);
    /* Spread weak seeds (all zero, say) over both keys. */
    seed_k0 = hash_mum(a ^ HASH_M0, b ^ HASH_M1) ^ a;
    seed_k1 = hash_mum(b ^ HASH_M1, seed_k0 ^ HASH_M0) ^ b;
}

/* Runs before main in every binary that links this file, so a table is never
 * keyed by the compiled-in constants. getrandom failing (very old kernel) is
 * not fatal: fall back to time and pid, which still varies per run. */
__attribute__((constructor)) static void ht_hash_seed_randomize(void) {
    uint8_t seed[16];
    if (getrandom(seed, sizeof(seed), 0) != (ssize_t)sizeof(seed)) {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        uint64_t a = (uint64_t)now.tv_nsec ^ ((uint64_t)now.tv_sec << 20);
        uint64_t b = (uint64_t)getpid() * HASH_M0;
        memcpy(seed, &a, 8);
        memcpy(seed + 8, &b, 8);
    }
    ht_hash_seed_set(seed);
}

static inline uint64_t hash_read64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

static inline uint64_t hash_read32(const uint8_t *p) {
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

/* Copies len (<= 16) bytes to out with ASCII letters lowered. */
static inline const uint8_t *hash_lower(uint8_t *out, const uint8_t *in, size_t len) {
    for (size_t i = 0; i < len; i++) {
        uint8_t c = in[i];
        out[i] = (c >= 'A' && c <= 'Z') ? (uint8_t)(c + 32) : c;
    }
    return out;
}

static inline uint64_t hash_bytes(const uint8_t *p, size_t len, bool nocase) {
    uint64_t state = seed_k0 ^ (len * HASH_M1);
    uint8_t lowered[16];
    size_t left = len;
    while (left > 16) {
        const uint8_t *block = nocase ? hash_lower(lowered, p, 16) : p;
        state = hash_mum(hash_read64(block) ^ seed_k1, hash_read64(block + 8) ^ state);
        p += 16;
        left -= 16;
    }
    const uint8_t *tail = nocase ? hash_lower(lowered, p, left) : p;
    uint64_t a = 0, b = 0;
    if (left >= 8) {
        a = hash_read64(tail);
        b = hash_read64(tail + left - 8);
    } else if (left >= 4) {
        a = hash_read32(tail);
        b = hash_read32(tail + left - 4);
    } else if (left > 0) {
        a = ((uint64_t)tail[0] << 16) | ((uint64_t)tail[left >> 1] << 8) | tail[left - 1];
    }
    state = hash_mum(a ^ seed_k1, b ^ state);
    return hash_mum(state ^ HASH_M0, seed_k0 ^ HASH_M1);
}

uint64_t ht_hash(const void *buf, size_t len) {
    return hash_bytes(buf, len, false);
}

uint64_t ht_hash_nocase(const void *buf, size_t len) {
    return hash_bytes(buf, len, true);
}

