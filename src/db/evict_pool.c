/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/evict_pool.c: eviction under maxmemory: choosing victims and deleting
 * them until used memory is back under the limit.
 *
 * Victims are approximated, as in Valkey: each round samples
 * maxmemory-samples keys per database (from `keys`, or from `expires` for
 * the volatile-* policies) and merges them into a small pool of the best
 * candidates seen so far, ordered by score (idle time, inverted LFU counter,
 * or closeness of the expire time). The pool survives between rounds and
 * calls, so over time it converges on the true best victims while each
 * round reads only a few buckets. The random policies skip the pool.
 *
 * One call may not run long: after the time budget set by
 * maxmemory-eviction-tenacity it returns, and a zero-delay timer goes on
 * evicting between event-loop turns, so a client that hit the limit does
 * not stall everybody else.
 *
 * The pool holds copies of key names, never object pointers (objects move
 * and die); a victim is looked up again before it is deleted.
 *
 * Threads: main only.
 */
#include "db/evict.h"

#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <time.h>

#include "db/lazyfree.h"
#include "db/notify.h"
#include "net/pause.h"
#include "net/reply.h"
#include "persist/propagate.h"
#include "server/ev.h"
#include "server/log.h"
#include "server/mem.h"

/* Candidates kept between rounds; Valkey keeps 16 as well. */
#define EVICT_POOL_SIZE 16
/* A key name buffer kept per slot up to this size, so filling the pool
 * rarely allocates. */
#define EVICT_POOL_KEY_KEEP 255

typedef struct PoolEntry {
    unsigned long long score; /* higher evicts first */
    int db_id;
    sds key;                  /* key name; owned by the slot */
} PoolEntry;

/* Slots [0, pool_used) hold candidates sorted by score ascending (the best
 * victim last); the empty slots after them may keep a key buffer (or NULL)
 * for reuse. */
static PoolEntry pool[EVICT_POOL_SIZE];
static int pool_used;

static bool evict_ready;          /* set by evict_init, once the databases exist */
static long long eviction_timer;  /* id of the timer continuing eviction, 0 if none */
static uint64_t over_since_ms;    /* monotonic ms when memory went over, 0 if not over */

/* ---- memory figures ---- */

size_t evict_mem_not_counted(void) {
    return 0; /* no replica output buffers or AOF buffer yet */
}

size_t evict_mem_counted(void) {
    size_t used = mem_used();
    size_t not_counted = evict_mem_not_counted();
    return used > not_counted ? used - not_counted : 0;
}

static bool over_limit(void) {
    return cfg_maxmemory > 0 && evict_mem_counted() > (unsigned long long)cfg_maxmemory;
}

/* ---- the pool ---- */

static bool policy_is_volatile(void) {
    return cfg_maxmemory_policy <= EVICT_VOLATILE_TTL;
}

static unsigned long long score_of(const Obj *o) {
    switch (cfg_maxmemory_policy) {
    case EVICT_VOLATILE_LFU:
    case EVICT_ALLKEYS_LFU:
        return 255 - evict_lfu_decayed_counter(o);
    case EVICT_VOLATILE_TTL:
        return ULLONG_MAX - (unsigned long long)obj_get_expire(o);
    default:
        return evict_idle_ms(o);
    }
}

/* Inserts a candidate keeping the order; when the pool is full, the worst
 * entry falls off (or the candidate, if it is worse than all of them). */
static void pool_insert(unsigned long long score, int db_id, const char *key, size_t keylen) {
    int pos = 0;
    while (pos < pool_used && pool[pos].score < score) pos++;
    if (pool_used == EVICT_POOL_SIZE) {
        if (pos == 0) return; /* worse than everything kept */
        /* Drop the worst (slot 0) by shifting left; insert before pos. */
        sds spare = pool[0].key;
        for (int i = 0; i < pos - 1; i++) pool[i] = pool[i + 1];
        pos--;
        pool[pos].key = spare;
    } else {
        sds spare = pool[pool_used].key; /* an empty slot may keep a buffer */
        for (int i = pool_used; i > pos; i--) pool[i] = pool[i - 1];
        pool[pos].key = spare;
        pool_used++;
    }
    PoolEntry *e = &pool[pos];
    e->score = score;
    e->db_id = db_id;
    if (e->key == NULL) e->key = sds_new_len(key, keylen);
    else e->key = sds_copy_len(e->key, key, keylen);
}

/* Removes the entry at pos, keeping its buffer for reuse unless big. */
static void pool_remove(int pos) {
    sds spare = pool[pos].key;
    for (int i = pos; i < pool_used - 1; i++) pool[i] = pool[i + 1];
    pool_used--;
    if (sds_alloc_size(spare) > EVICT_POOL_KEY_KEEP) {
        sds_free(spare);
        spare = NULL;
    }
    pool[pool_used].key = spare;
}

/* Samples up to cfg_maxmemory_samples entries of table into the pool. */
static void pool_fill(Ht *table, int db_id) {
    static void **samples;
    static size_t samples_cap;
    size_t want = (size_t)cfg_maxmemory_samples;
    if (want > samples_cap) {
        samples = mem_realloc(samples, want * sizeof(void *));
        samples_cap = want;
    }
    size_t got = ht_sample_entries(table, samples, want);
    if (got == 0) { /* a sparse run of buckets: take one random entry instead */
        samples[0] = ht_random_entry(table);
        got = samples[0] != NULL;
    }
    for (size_t i = 0; i < got; i++) {
        Obj *o = samples[i];
        size_t keylen;
        const char *key = obj_key(o, &keylen);
        pool_insert(score_of(o), db_id, key, keylen);
    }
}

static Ht *table_of(Db *db) {
    return policy_is_volatile() ? db->expires : db->keys;
}

/* The best pool victim still present (removed from the pool), refilling the
 * pool first. NULL when no database holds a candidate. */
static Obj *pick_from_pool(Db **victim_db) {
    /* Scores of another policy mean something else: start over. */
    static int pool_policy = -1;
    if (pool_policy != cfg_maxmemory_policy) {
        pool_used = 0; /* the slots keep their buffers as spares */
        pool_policy = cfg_maxmemory_policy;
    }
    for (;;) {
        size_t total = 0;
        for (int id = 0; id < cfg_databases; id++) {
            Ht *table = table_of(db_get(id));
            if (ht_size(table) == 0) continue;
            total += ht_size(table);
            pool_fill(table, id);
        }
        if (total == 0) return NULL;
        while (pool_used > 0) {
            PoolEntry *best = &pool[pool_used - 1];
            Db *db = db_get(best->db_id);
            Obj key = {.type = OBJ_STRING, .encoding = OBJ_ENCODING_RAW, .ptr = best->key};
            Obj *o = db_find(db, &key);
            pool_remove(pool_used - 1);
            /* Deleted since it was sampled, or its expire was removed. */
            if (o == NULL || (policy_is_volatile() && obj_get_expire(o) < 0)) continue;
            *victim_db = db;
            return o;
        }
    }
}

/* A random key of the next non-empty database, round robin. */
static Obj *pick_random(Db **victim_db) {
    static int next_db;
    for (int i = 0; i < cfg_databases; i++) {
        next_db = (next_db + 1) % (int)cfg_databases;
        Db *db = db_get(next_db);
        Obj *o = ht_random_entry(table_of(db));
        if (o != NULL) {
            *victim_db = db;
            return o;
        }
    }
    return NULL;
}

/* Deletes o from db and returns the bytes this frees for the loop's
 * accounting: what the allocator gave back now, plus the value's size when
 * it went to the lazyfree thread (freed soon, so it counts as freed). */
static size_t evict_key(Db *db, Obj *o) {
    /* Told first, while the key exists: what the messages allocate is then
     * not mistaken for memory the eviction failed to free. */
    db_signal_modified(NULL, db, o);
    notify_keyspace_event(NOTIFY_EVICTED, "evicted", o, db->id);
    propagate_deletion(db->id, o, cfg_lazyfree_lazy_eviction, true); /* DEL or UNLINK */
    size_t before = mem_used();
    size_t pending = 0;
    if (cfg_lazyfree_lazy_eviction && lazyfree_effort(o) > LAZYFREE_THRESHOLD)
        pending = obj_memory_usage(o);
    db_unlink(db, o);
    if (cfg_lazyfree_lazy_eviction) lazyfree_free_object(o);
    else obj_free(o);
    db_stats.evicted_keys++;
    size_t after = mem_used();
    return (before > after ? before - after : 0) + pending;
}

/* ---- the loop ---- */

/* Microseconds one call may evict for (Valkey's curve): 50us per step up to
 * tenacity 10 (500us), then growing 15% per step; 100 means no limit. */
static unsigned long long time_budget_us(void) {
    long long tenacity = cfg_maxmemory_eviction_tenacity;
    if (tenacity <= 10) return 50ull * (unsigned long long)tenacity;
    if (tenacity < 100) return (unsigned long long)(500.0 * pow(1.15, (double)tenacity - 10.0));
    return ULLONG_MAX;
}

static long long eviction_timer_proc(long long id, void *data) {
    (void)id;
    (void)data;
    if (evict_perform() == EVICT_RUNNING) return 0; /* run again next turn */
    eviction_timer = 0;
    return -1;
}

/* Tracks how long memory stays over the limit (INFO stats). */
static void note_exceeded(EvictResult result) {
    uint64_t now = ev_monotonic_ms();
    if (result != EVICT_OK) {
        if (over_since_ms == 0) over_since_ms = now ? now : 1;
    } else if (over_since_ms != 0) {
        db_stats.total_eviction_exceeded_time_ms += now - over_since_ms;
        over_since_ms = 0;
    }
}

/* Evicts until to_free bytes are freed, nothing is left to evict, or the
 * time budget runs out (then a timer goes on between event-loop turns). */
static EvictResult evict_loop(size_t to_free) {
    db_time_refresh(); /* scores compare idle times: use the time of now */
    uint64_t start = ev_monotonic_us();
    unsigned long long budget = time_budget_us();
    size_t freed = 0;
    unsigned long keys_freed = 0;
    bool random_policy = cfg_maxmemory_policy == EVICT_ALLKEYS_RANDOM ||
                         cfg_maxmemory_policy == EVICT_VOLATILE_RANDOM;
    while (freed < to_free) {
        Db *db = NULL;
        Obj *victim = random_policy ? pick_random(&db) : pick_from_pool(&db);
        if (victim == NULL) return EVICT_FAIL; /* nothing left to evict */
        freed += evict_key(db, victim);
        keys_freed++;
        if (keys_freed % 16 != 0) continue;
        /* The lazyfree thread frees while we loop: the real figure may be
         * under the limit before our estimate says so. */
        if (cfg_lazyfree_lazy_eviction && !over_limit()) break;
        if (ev_monotonic_us() - start > budget) {
            if (eviction_timer == 0)
                eviction_timer = ev_timer_add(0, eviction_timer_proc, NULL);
            return EVICT_RUNNING;
        }
    }
    return EVICT_OK;
}

/* When nothing is left to evict, values still queued for the lazyfree
 * thread may bring memory under the limit: wait for them briefly, within
 * the time budget. */
static EvictResult wait_for_lazyfree(uint64_t start) {
    unsigned long long budget = time_budget_us();
    while (lazyfree_pending_objects() > 0 && ev_monotonic_us() - start < budget) {
        if (!over_limit()) return EVICT_OK;
        long nap_ns = budget < 1000 ? (long)budget * 1000 : 1000000; /* at most 1 ms */
        struct timespec nap = {.tv_sec = 0, .tv_nsec = nap_ns};
        nanosleep(&nap, NULL);
    }
    return over_limit() ? EVICT_FAIL : EVICT_OK;
}

EvictResult evict_perform(void) {
    if (!evict_ready) return EVICT_OK;
    size_t used = evict_mem_counted();
    if (cfg_maxmemory == 0 || used <= (unsigned long long)cfg_maxmemory) {
        /* The common case, once per command: no clock read unless a
         * stretch over the limit just ended. */
        if (over_since_ms != 0) note_exceeded(EVICT_OK);
        return EVICT_OK;
    }
    /* Keys must not change while a client pause holds writes back. */
    if (pause_writes_paused()) return EVICT_OK;
    EvictResult result;
    if (cfg_maxmemory_policy == EVICT_NOEVICTION) {
        result = EVICT_FAIL;
    } else {
        uint64_t start = ev_monotonic_us();
        result = evict_loop(used - (size_t)cfg_maxmemory);
        if (result == EVICT_FAIL) result = wait_for_lazyfree(start);
        /* Freed enough, but the timer of an earlier call is still going:
         * it stops on its next turn, when it finds memory under the limit. */
        if (result == EVICT_OK && eviction_timer != 0) result = EVICT_RUNNING;
    }
    note_exceeded(result);
    return result;
}

bool evict_check_before_command(Client *c, bool deny_oom) {
    if (evict_perform() != EVICT_FAIL || !deny_oom) return true;
    reply_error(c, "-OOM command not allowed when used memory > 'maxmemory'.");
    return false;
}

unsigned long long evict_current_exceeded_time_ms(void) {
    return over_since_ms ? ev_monotonic_ms() - over_since_ms : 0;
}

unsigned long long evict_exceeded_time_ms(void) {
    return db_stats.total_eviction_exceeded_time_ms + evict_current_exceeded_time_ms();
}

void evict_maxmemory_changed(void) {
    if (!evict_ready || cfg_maxmemory == 0) return;
    size_t used = evict_mem_counted();
    if (used > (unsigned long long)cfg_maxmemory)
        log_msg(LL_WARNING,
                "WARNING: the new maxmemory value set via CONFIG SET (%lld) is smaller than "
                "the current memory usage (%zu). This will result in key eviction and/or the "
                "inability to accept new write commands depending on the maxmemory-policy.",
                cfg_maxmemory, used);
    evict_perform();
}

void evict_init(void) {
    evict_ready = true;
}
