/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/hash_random.c: the random numbers HRANDFIELD draws: xoshiro-style
 * 64-bit state seeded once from the clock and the process id. Statistical
 * quality is what matters here, not unpredictability.
 *
 * Threads: main only.
 */
#include "types/hash_internal.h"

#include <stdint.h>
#include <time.h>
#include <unistd.h>

static uint64_t state[2];

static uint64_t splitmix(uint64_t *x) {
    uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

unsigned long long hash_random(void) {
    if (state[0] == 0 && state[1] == 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        uint64_t seed = (uint64_t)ts.tv_nsec ^ ((uint64_t)ts.tv_sec << 20) ^ (uint64_t)getpid();
        state[0] = splitmix(&seed);
        state[1] = splitmix(&seed) | 1;
    }
    /* xorshift128+ */
    uint64_t s1 = state[0];
    const uint64_t s0 = state[1];
    state[0] = s0;
    s1 ^= s1 << 23;
    state[1] = s1 ^ s0 ^ (s1 >> 17) ^ (s0 >> 26);
    return state[1] + s0;
}
