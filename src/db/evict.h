/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/evict.h: access tracking (LRU clock / LFU counter in each object's lru
 * field) and eviction under maxmemory.
 *
 * Every object's 24-bit lru field holds, depending on maxmemory-policy:
 *   - LRU (every policy but the *-lfu ones): the LRU clock (seconds, 24 bits)
 *     of the last access;
 *   - LFU: the minutes clock (16 bits) of the last decrement, then an 8-bit
 *     logarithmic access counter (new keys start at EVICT_LFU_INIT_VAL).
 * Switching policy does not convert existing objects (as in Valkey): their
 * old bits are read with the new meaning until they are next touched.
 *
 * Threads: main only.
 */
#ifndef KEEL_DB_EVICT_H
#define KEEL_DB_EVICT_H

#include <stdbool.h>

#include "db/db.h"
#include "db/object.h"
#include "net/client.h"

/* Seconds-resolution clock in 24 bits, as stored in Obj.lru (LRU policies);
 * it wraps every 194 days, which idle-time arithmetic allows for. */
#define LRU_CLOCK_MAX ((1u << 24) - 1)
static inline unsigned evict_lru_clock(void) {
    return (unsigned)((unsigned long long)db_now_ms / 1000) & LRU_CLOCK_MAX;
}

/* maxmemory-policy values (cfg_maxmemory_policy), in the order CONFIG SET
 * lists them. */
enum {
    EVICT_VOLATILE_LRU,
    EVICT_VOLATILE_LFU,
    EVICT_VOLATILE_RANDOM,
    EVICT_VOLATILE_TTL,
    EVICT_ALLKEYS_LRU,
    EVICT_ALLKEYS_LFU,
    EVICT_ALLKEYS_RANDOM,
    EVICT_NOEVICTION,
};

/* The eviction options (registered by evict_register_config). Written only
 * by the config registry, on the main thread. */
extern long long cfg_maxmemory;         /* bytes; 0 = no limit */
extern int cfg_maxmemory_policy;        /* EVICT_* above */
extern long long cfg_maxmemory_samples; /* keys sampled per database per round */
extern long long cfg_maxmemory_eviction_tenacity; /* 0..100: time budget of one call */
extern long long cfg_lfu_log_factor;
extern long long cfg_lfu_decay_time; /* minutes per counter decrement; 0 = never */

/* Counter a new object starts with under an LFU policy, so it is not evicted
 * before it had a chance to be used. */
#define EVICT_LFU_INIT_VAL 5

/* Registers the options above (called from db_register_config). */
void evict_register_config(void);
/* Allows eviction to run; called by db_init once the databases exist (a
 * maxmemory from the config file must not evict before that). */
void evict_init(void);
/* After maxmemory changed (CONFIG SET): logs Valkey's warning when usage is
 * already above the new limit, and evicts at once. */
void evict_maxmemory_changed(void);

/* The policy's name as CONFIG GET and INFO show it ("noeviction"). */
const char *evict_policy_name(void);

/* True when maxmemory-policy is one of the *-lfu policies. */
static inline bool evict_policy_is_lfu(void) {
    return cfg_maxmemory_policy == EVICT_VOLATILE_LFU ||
           cfg_maxmemory_policy == EVICT_ALLKEYS_LFU;
}

/* LFU halves of evict_init_object / evict_touch (out of line: rarer). */
void evict_lfu_init(Obj *o);
void evict_lfu_touch(Obj *o);

/* Sets a new object's lru field (LRU clock, or LFU initial counter). Inline:
 * runs for every key written. */
static inline void evict_init_object(Obj *o) {
    if (evict_policy_is_lfu()) evict_lfu_init(o);
    else o->lru = evict_lru_clock();
}
/* Records an access to o (LRU clock, or LFU decay then probabilistic bump).
 * Inline: runs for every key read. */
static inline void evict_touch(Obj *o) {
    if (evict_policy_is_lfu()) evict_lfu_touch(o);
    else o->lru = evict_lru_clock();
}
/* Sets the lru field of n, which replaces old under the same key (SET over
 * an existing key): under LFU the key keeps its access history, bumped for
 * this write, as Valkey does; under LRU it is a fresh access. */
static inline void evict_init_replacement(Obj *n, const Obj *old) {
    if (evict_policy_is_lfu()) {
        n->lru = old->lru;
        evict_lfu_touch(n);
    } else {
        n->lru = evict_lru_clock();
    }
}

/* ---- what OBJECT FREQ / IDLETIME and DEBUG OBJECT report ---- */

/* o's LFU counter after the decay due since it was last touched, without
 * changing o (OBJECT FREQ). Meaningful only under an LFU policy. */
unsigned evict_lfu_decayed_counter(const Obj *o);
/* Milliseconds since o was last accessed, from its LRU clock (OBJECT
 * IDLETIME replies this / 1000). Meaningful only under an LRU policy. */
unsigned long long evict_idle_ms(const Obj *o);

/* ---- LFU counter math (exposed for the C unit tests) ---- */

/* Minutes clock in 16 bits, as stored in the top of an LFU lru field. */
unsigned evict_lfu_minutes(void);
/* Minutes elapsed from ldt to now, both 16-bit minutes clocks (wraps). */
unsigned evict_lfu_elapsed(unsigned ldt, unsigned now);
/* Counter after decaying by one per lfu-decay-time minutes elapsed. */
unsigned evict_lfu_decay(unsigned counter, unsigned elapsed_minutes, long long decay_time);
/* Counter after one access: incremented with probability
 * 1 / ((counter - EVICT_LFU_INIT_VAL) * log_factor + 1), saturating at 255.
 * r is a uniform random number in [0,1). */
unsigned evict_lfu_increment(unsigned counter, long long log_factor, double r);

/* ---- eviction ---- */

/* Result of evict_perform. */
typedef enum {
    EVICT_OK,      /* under maxmemory (or no limit) */
    EVICT_RUNNING, /* still over, but freeing is under way (lazyfree) or the
                    * time budget ran out after progress: don't refuse yet */
    EVICT_FAIL,    /* over maxmemory and nothing more can be evicted */
} EvictResult;

/* Evicts keys until used memory is under maxmemory, the policy has no more
 * candidates, or the time budget set by maxmemory-eviction-tenacity is used.
 * Counts db_stats.evicted_keys. Main thread, between commands. */
EvictResult evict_perform(void);

/* Bytes of used memory not counted for eviction (replica and AOF buffers in
 * Valkey; none in keel yet). */
size_t evict_mem_not_counted(void);
/* Used memory as eviction counts it, and how far over maxmemory that is
 * (0 when under, or no limit). */
size_t evict_mem_counted(void);

/* Called by cmd/call.c before running a command when maxmemory is set:
 * evicts as needed and returns false (after replying -OOM) when the command
 * denies OOM and memory is still over the limit. */
bool evict_check_before_command(Client *c, bool deny_oom);

/* Time (ms) spent over maxmemory since the last CONFIG RESETSTAT, the
 * current stretch included, and the current stretch alone (INFO stats
 * total_eviction_exceeded_time / current_eviction_exceeded_time). Finished
 * stretches accumulate in db_stats.total_eviction_exceeded_time_ms. */
unsigned long long evict_exceeded_time_ms(void);
unsigned long long evict_current_exceeded_time_ms(void);

#endif
