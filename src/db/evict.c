/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/evict.c: the eviction options, and access tracking in each object's
 * 24-bit lru field: the LRU clock, or the LFU minutes clock and logarithmic
 * counter (layout in db/evict.h). Choosing and deleting victims lives in
 * db/evict_pool.c.
 *
 * The LFU counter is Valkey's "Morris counter": 8 bits that saturate at 255
 * only after about a million accesses with lfu-log-factor 10, because each
 * access increments it with a probability that falls as it grows. It decays
 * by one for every lfu-decay-time minutes the key goes untouched, so keys
 * that were hot long ago stop looking hot.
 *
 * Threads: main only (the options and the random state are unguarded).
 */
#include "db/evict.h"

#include <limits.h>
#include <stdint.h>

#include "server/config.h"

long long cfg_maxmemory;
int cfg_maxmemory_policy;
long long cfg_maxmemory_samples;
long long cfg_maxmemory_eviction_tenacity;
long long cfg_lfu_log_factor;
long long cfg_lfu_decay_time;

/* In the EVICT_* order: CONFIG SET lists them in this order when refusing a
 * value, exactly as Valkey does. */
static const char *const policy_names[] = {
    "volatile-lru", "volatile-lfu",   "volatile-random", "volatile-ttl", "allkeys-lru",
    "allkeys-lfu",  "allkeys-random", "noeviction",      NULL};

const char *evict_policy_name(void) {
    return policy_names[cfg_maxmemory_policy];
}

static int maxmemory_apply(const char *name, char *err, size_t errlen) {
    (void)name;
    (void)err;
    (void)errlen;
    evict_maxmemory_changed();
    return 0;
}

void evict_register_config(void) {
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "maxmemory", .type = KEEL_CFG_MEMORY,
         .default_value = "0", .min = 0, .max = LLONG_MAX, .storage = &cfg_maxmemory,
         .apply = maxmemory_apply},
        {.size = sizeof(KeelConfigOption), .name = "maxmemory-policy", .type = KEEL_CFG_ENUM,
         .default_value = "noeviction", .enum_names = policy_names,
         .storage = &cfg_maxmemory_policy},
        {.size = sizeof(KeelConfigOption), .name = "maxmemory-samples", .type = KEEL_CFG_NUMBER,
         .default_value = "5", .min = 1, .max = INT32_MAX, .storage = &cfg_maxmemory_samples},
        {.size = sizeof(KeelConfigOption), .name = "maxmemory-eviction-tenacity",
         .type = KEEL_CFG_NUMBER, .default_value = "10", .min = 0, .max = 100,
         .storage = &cfg_maxmemory_eviction_tenacity},
        {.size = sizeof(KeelConfigOption), .name = "lfu-log-factor", .type = KEEL_CFG_NUMBER,
         .default_value = "10", .min = 0, .max = INT32_MAX, .storage = &cfg_lfu_log_factor},
        {.size = sizeof(KeelConfigOption), .name = "lfu-decay-time", .type = KEEL_CFG_NUMBER,
         .default_value = "1", .min = 0, .max = INT32_MAX, .storage = &cfg_lfu_decay_time},
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        config_register_core(&options[i]);
}

/* ---- LFU counter math ---- */

unsigned evict_lfu_minutes(void) {
    return (unsigned)((unsigned long long)db_now_ms / 60000) & 0xFFFF;
}

unsigned evict_lfu_elapsed(unsigned ldt, unsigned now) {
    /* The clock wraps every 45 days; a key untouched for longer than that
     * looks more recent than it is, which only delays its decay. */
    return now >= ldt ? now - ldt : 0xFFFF - ldt + now;
}

unsigned evict_lfu_decay(unsigned counter, unsigned elapsed_minutes, long long decay_time) {
    if (decay_time <= 0) return counter;
    unsigned long long periods = elapsed_minutes / (unsigned long long)decay_time;
    return periods >= counter ? 0 : counter - (unsigned)periods;
}

unsigned evict_lfu_increment(unsigned counter, long long log_factor, double r) {
    if (counter >= 255) return 255;
    double base = counter > EVICT_LFU_INIT_VAL ? counter - EVICT_LFU_INIT_VAL : 0;
    double p = 1.0 / (base * (double)log_factor + 1);
    return r < p ? counter + 1 : counter;
}

/* xorshift64*: the increment's coin only needs to be cheap and uniform,
 * not unpredictable. */
static uint64_t random_state = 0x9E3779B97F4A7C15ull;

static double random_unit(void) {
    random_state ^= random_state >> 12;
    random_state ^= random_state << 25;
    random_state ^= random_state >> 27;
    uint64_t x = random_state * 0x2545F4914F6CDD1Dull;
    return (double)(x >> 11) * (1.0 / 9007199254740992.0); /* 53 bits -> [0,1) */
}

static inline unsigned lfu_counter(const Obj *o) {
    return o->lru & 0xFF;
}

static inline unsigned lfu_ldt(const Obj *o) {
    return o->lru >> 8;
}

static inline void lfu_store(Obj *o, unsigned counter) {
    o->lru = (evict_lfu_minutes() << 8) | counter;
}

void evict_lfu_init(Obj *o) {
    lfu_store(o, EVICT_LFU_INIT_VAL);
}

unsigned evict_lfu_decayed_counter(const Obj *o) {
    unsigned elapsed = evict_lfu_elapsed(lfu_ldt(o), evict_lfu_minutes());
    return evict_lfu_decay(lfu_counter(o), elapsed, cfg_lfu_decay_time);
}

void evict_lfu_touch(Obj *o) {
    unsigned counter = evict_lfu_decayed_counter(o);
    lfu_store(o, evict_lfu_increment(counter, cfg_lfu_log_factor, random_unit()));
}

/* ---- LRU ---- */

unsigned long long evict_idle_ms(const Obj *o) {
    unsigned now = evict_lru_clock();
    unsigned then = o->lru;
    unsigned long long seconds = now >= then ? now - then : (LRU_CLOCK_MAX - then) + now;
    return seconds * 1000;
}
