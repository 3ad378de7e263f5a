/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_evict.c: the access tracking behind eviction: LFU counter
 * math (decay, logarithmic increment, Valkey's documented growth table),
 * the lru field's layout under LRU and LFU policies, and idle times across
 * the LRU clock's wrap.
 */
#include <stdio.h>
#include <stdlib.h>

#include "db/db.h"
#include "db/evict.h"
#include "server/mem.h"
#include "test.h"

/* Counter after hits accesses from a new key's value, with a seeded coin. */
static unsigned counter_after(unsigned long hits, long long log_factor) {
    unsigned counter = EVICT_LFU_INIT_VAL;
    for (unsigned long i = 0; i < hits; i++)
        counter = evict_lfu_increment(counter, log_factor, (double)rand() / ((double)RAND_MAX + 1));
    return counter;
}

TEST(lfu_decay_takes_one_per_period) {
    CHECK_EQ_INT(7, evict_lfu_decay(10, 3, 1));
    CHECK_EQ_INT(8, evict_lfu_decay(10, 5, 2)); /* two whole periods of 2 minutes */
    CHECK_EQ_INT(10, evict_lfu_decay(10, 1, 2)); /* less than a period: no change */
    CHECK_EQ_INT(0, evict_lfu_decay(10, 10, 1));
    CHECK_EQ_INT(0, evict_lfu_decay(10, 60000, 1)); /* never below zero */
    CHECK_EQ_INT(10, evict_lfu_decay(10, 60000, 0)); /* lfu-decay-time 0: never decays */
}

TEST(lfu_elapsed_wraps_with_the_minutes_clock) {
    CHECK_EQ_INT(0, evict_lfu_elapsed(100, 100));
    CHECK_EQ_INT(25, evict_lfu_elapsed(100, 125));
    CHECK_EQ_INT(10, evict_lfu_elapsed(65530, 5));
}

TEST(lfu_increment_probability_falls_with_the_counter) {
    /* At or below the initial value every access counts. */
    CHECK_EQ_INT(1, evict_lfu_increment(0, 10, 0.999));
    CHECK_EQ_INT(EVICT_LFU_INIT_VAL + 1, evict_lfu_increment(EVICT_LFU_INIT_VAL, 10, 0.999));
    /* One above: probability 1 / (1 * 10 + 1). */
    CHECK_EQ_INT(7, evict_lfu_increment(6, 10, 0.09));
    CHECK_EQ_INT(6, evict_lfu_increment(6, 10, 0.091));
    /* Saturates at 255. */
    CHECK_EQ_INT(255, evict_lfu_increment(254, 0, 0.5));
    CHECK_EQ_INT(255, evict_lfu_increment(255, 0, 0.0));
    /* Log factor 0: a plain counter. */
    CHECK_EQ_INT(101, evict_lfu_increment(100, 0, 0.999));
}

TEST(lfu_growth_matches_the_documented_table) {
    /* redis.conf's table: factor 0 counts every hit; factor 10 reaches about
     * 142 after 100K hits and 255 after 1M; factor 1 saturates by 100K. */
    srand(12345);
    CHECK_EQ_INT(EVICT_LFU_INIT_VAL + 100, counter_after(100, 0));
    unsigned f10_100k = counter_after(100000, 10);
    CHECK(f10_100k >= 120 && f10_100k <= 165);
    CHECK_EQ_INT(255, counter_after(1000000, 10));
    CHECK_EQ_INT(255, counter_after(100000, 1));
    unsigned f100_1k = counter_after(1000, 100);
    CHECK(f100_1k >= 8 && f100_1k <= 14);
}

TEST(lfu_fields_live_in_the_lru_bits) {
    long long saved_now = db_now_ms;
    int saved_policy = cfg_maxmemory_policy;
    long long saved_decay = cfg_lfu_decay_time;
    cfg_maxmemory_policy = EVICT_ALLKEYS_LFU;
    cfg_lfu_decay_time = 1;
    CHECK(evict_policy_is_lfu());
    db_now_ms = 1700000000000LL;

    Obj *o = obj_create_string("k", 1);
    evict_init_object(o);
    CHECK_EQ_INT(EVICT_LFU_INIT_VAL, o->lru & 0xFF);
    CHECK_EQ_INT(evict_lfu_minutes(), o->lru >> 8);
    CHECK_EQ_INT(EVICT_LFU_INIT_VAL, evict_lfu_decayed_counter(o));

    db_now_ms += 3 * 60000; /* three minutes idle: decays by three */
    CHECK_EQ_INT(EVICT_LFU_INIT_VAL - 3, evict_lfu_decayed_counter(o));
    CHECK_EQ_INT(EVICT_LFU_INIT_VAL, o->lru & 0xFF); /* reading does not change it */

    evict_touch(o); /* decays, then counts the access (certain below 5) */
    CHECK_EQ_INT(EVICT_LFU_INIT_VAL - 2, o->lru & 0xFF);
    CHECK_EQ_INT(evict_lfu_minutes(), o->lru >> 8);

    /* A value replacing o under the same key keeps its history, plus one. */
    Obj *n = obj_create_string("v", 1);
    evict_init_replacement(n, o);
    CHECK_EQ_INT(EVICT_LFU_INIT_VAL - 1, n->lru & 0xFF);

    cfg_lfu_decay_time = 0;
    db_now_ms += 100 * 60000;
    CHECK_EQ_INT(EVICT_LFU_INIT_VAL - 1, evict_lfu_decayed_counter(n));

    obj_decr_ref(o);
    obj_decr_ref(n);
    cfg_maxmemory_policy = saved_policy;
    cfg_lfu_decay_time = saved_decay;
    db_now_ms = saved_now;
}

TEST(lru_idle_time_counts_seconds_across_the_wrap) {
    long long saved_now = db_now_ms;
    int saved_policy = cfg_maxmemory_policy;
    cfg_maxmemory_policy = EVICT_ALLKEYS_LRU;
    CHECK(!evict_policy_is_lfu());
    db_now_ms = 1700000000000LL;

    Obj *o = obj_create_string("k", 1);
    evict_init_object(o);
    CHECK_EQ_INT(evict_lru_clock(), o->lru);
    CHECK_EQ_INT(0, evict_idle_ms(o));
    db_now_ms += 5500;
    CHECK_EQ_INT(5000, evict_idle_ms(o)); /* whole seconds */
    evict_touch(o);
    CHECK_EQ_INT(0, evict_idle_ms(o));

    /* Touched just before the 24-bit clock wrapped, read just after. */
    o->lru = LRU_CLOCK_MAX - 2;
    db_now_ms = 3 * 1000LL; /* clock 3 */
    CHECK_EQ_INT(5000, evict_idle_ms(o));

    obj_decr_ref(o);
    cfg_maxmemory_policy = saved_policy;
    db_now_ms = saved_now;
}

TEST(policy_names_follow_config_order) {
    int saved_policy = cfg_maxmemory_policy;
    cfg_maxmemory_policy = EVICT_NOEVICTION;
    CHECK_EQ_STR("noeviction", evict_policy_name());
    cfg_maxmemory_policy = EVICT_VOLATILE_TTL;
    CHECK_EQ_STR("volatile-ttl", evict_policy_name());
    cfg_maxmemory_policy = EVICT_ALLKEYS_LFU;
    CHECK_EQ_STR("allkeys-lfu", evict_policy_name());
    cfg_maxmemory_policy = saved_policy;
}

/* ---- eviction (db/evict_pool.c) on real databases ---- */

/* The databases exist once per process (their options register once). Each
 * test starts empty, with no limit, the real clock, and no time budget (so
 * no event-loop timer is ever needed). */
static void setup_databases(void) {
    static int ready;
    if (!ready) {
        db_register_config();
        db_init();
        ready = 1;
    }
    for (int i = 0; i < cfg_databases; i++) db_empty(db_get(i), false);
    db_stats_reset();
    db_time_refresh();
    cfg_maxmemory = 0;
    cfg_maxmemory_samples = 64; /* sharp choices: the tests check which keys go */
    cfg_maxmemory_eviction_tenacity = 100;
    cfg_lfu_log_factor = 0;
    cfg_lfu_decay_time = 1;
}

static Obj *key_name(const char *prefix, int n) {
    char name[64];
    int len = snprintf(name, sizeof(name), "%s:%d", prefix, n);
    return obj_create_string(name, (size_t)len);
}

/* Adds count keys "<prefix>:<n>" expiring at expire (-1: never) whose last
 * access looks like it happened at access_ms. Returns the bytes they use. */
static size_t add_keys_at(Db *db, const char *prefix, int count, long long expire,
                          long long access_ms) {
    long long now = db_now_ms;
    size_t before = mem_used();
    db_now_ms = access_ms;
    for (int i = 0; i < count; i++) {
        Obj *key = key_name(prefix, i);
        db_set_string(db, key, "some value", 10, expire, 0);
        obj_decr_ref(key);
    }
    db_now_ms = now;
    return mem_used() - before;
}

static int keys_left(Db *db, const char *prefix, int count) {
    int left = 0;
    for (int i = 0; i < count; i++) {
        Obj *key = key_name(prefix, i);
        left += db_find(db, key) != NULL;
        obj_decr_ref(key);
    }
    return left;
}

/* Sets maxmemory so that about bytes must be freed. */
static void limit_to_free(size_t bytes) {
    cfg_maxmemory = (long long)(mem_used() - bytes);
}

TEST(no_limit_or_under_it_evicts_nothing) {
    setup_databases();
    cfg_maxmemory_policy = EVICT_ALLKEYS_RANDOM;
    add_keys_at(db_get(0), "k", 100, -1, db_now_ms);
    CHECK_EQ_INT(EVICT_OK, evict_perform());
    cfg_maxmemory = (long long)mem_used() + 100000;
    CHECK_EQ_INT(EVICT_OK, evict_perform());
    CHECK_EQ_INT(100, db_size(db_get(0)));
    CHECK_EQ_INT(0, db_stats.evicted_keys);
    cfg_maxmemory = 0;
}

TEST(noeviction_over_the_limit_fails_and_keeps_every_key) {
    setup_databases();
    cfg_maxmemory_policy = EVICT_NOEVICTION;
    add_keys_at(db_get(0), "k", 100, -1, db_now_ms);
    limit_to_free(1000);
    CHECK_EQ_INT(EVICT_FAIL, evict_perform());
    CHECK_EQ_INT(100, db_size(db_get(0)));
    CHECK(evict_current_exceeded_time_ms() < 1000000); /* a stretch is being timed */
    cfg_maxmemory = 0;
    CHECK_EQ_INT(EVICT_OK, evict_perform());
    CHECK_EQ_INT(0, evict_current_exceeded_time_ms());
}

TEST(allkeys_random_evicts_until_under_the_limit_across_databases) {
    setup_databases();
    cfg_maxmemory_policy = EVICT_ALLKEYS_RANDOM;
    size_t bytes = add_keys_at(db_get(0), "a", 500, -1, db_now_ms);
    add_keys_at(db_get(3), "b", 500, -1, db_now_ms);
    limit_to_free(bytes); /* about half the keys */
    CHECK_EQ_INT(EVICT_OK, evict_perform());
    CHECK(mem_used() <= (size_t)cfg_maxmemory);
    size_t left = db_size(db_get(0)) + db_size(db_get(3));
    CHECK(left < 1000);
    CHECK(db_size(db_get(0)) < 500 && db_size(db_get(3)) < 500); /* both gave keys */
    CHECK_EQ_INT(1000 - left, db_stats.evicted_keys);
    cfg_maxmemory = 0;
}

TEST(allkeys_lru_evicts_the_least_recently_used_keys) {
    setup_databases();
    cfg_maxmemory_policy = EVICT_ALLKEYS_LRU;
    Db *db = db_get(0);
    size_t old_bytes = add_keys_at(db, "old", 500, -1, db_now_ms - 1000 * 1000);
    add_keys_at(db, "new", 500, -1, db_now_ms - 10 * 1000);
    limit_to_free(old_bytes / 3);
    CHECK_EQ_INT(EVICT_OK, evict_perform());
    CHECK(keys_left(db, "old", 500) < 500);
    CHECK_EQ_INT(500, keys_left(db, "new", 500));
    cfg_maxmemory = 0;
}

TEST(allkeys_lfu_evicts_the_least_frequently_used_keys) {
    setup_databases();
    cfg_maxmemory_policy = EVICT_ALLKEYS_LFU;
    Db *db = db_get(0);
    size_t cold_bytes = add_keys_at(db, "cold", 500, -1, db_now_ms);
    add_keys_at(db, "hot", 500, -1, db_now_ms);
    for (int i = 0; i < 500; i++) {
        Obj *key = key_name("hot", i);
        for (int j = 0; j < 20; j++) db_lookup_read(db, key, LOOKUP_NONE);
        obj_decr_ref(key);
    }
    limit_to_free(cold_bytes / 3);
    CHECK_EQ_INT(EVICT_OK, evict_perform());
    CHECK(keys_left(db, "cold", 500) < 500);
    CHECK_EQ_INT(500, keys_left(db, "hot", 500));
    cfg_maxmemory = 0;
    cfg_maxmemory_policy = EVICT_NOEVICTION;
}

TEST(volatile_ttl_evicts_the_nearest_expire_first) {
    setup_databases();
    cfg_maxmemory_policy = EVICT_VOLATILE_TTL;
    Db *db = db_get(0);
    long long hour = 3600 * 1000LL;
    size_t soon_bytes = add_keys_at(db, "soon", 500, db_now_ms + hour, db_now_ms);
    add_keys_at(db, "late", 500, db_now_ms + 10 * hour, db_now_ms);
    limit_to_free(soon_bytes / 3);
    CHECK_EQ_INT(EVICT_OK, evict_perform());
    CHECK(keys_left(db, "soon", 500) < 500);
    CHECK_EQ_INT(500, keys_left(db, "late", 500));
    cfg_maxmemory = 0;
}

TEST(volatile_policies_never_evict_keys_without_expire) {
    int policies[] = {EVICT_VOLATILE_LRU, EVICT_VOLATILE_LFU, EVICT_VOLATILE_RANDOM,
                      EVICT_VOLATILE_TTL};
    for (size_t p = 0; p < sizeof(policies) / sizeof(policies[0]); p++) {
        setup_databases();
        cfg_maxmemory_policy = policies[p];
        Db *db = db_get(0);
        add_keys_at(db, "persistent", 300, -1, db_now_ms);
        size_t volatile_bytes = add_keys_at(db, "volatile", 100, db_now_ms + 3600000, db_now_ms);
        limit_to_free(volatile_bytes * 2); /* more than the volatile keys hold */
        CHECK_EQ_INT(EVICT_FAIL, evict_perform());
        CHECK_EQ_INT(300, keys_left(db, "persistent", 300));
        CHECK_EQ_INT(0, keys_left(db, "volatile", 100));
        CHECK_EQ_INT(0, db_expires_size(db));
        CHECK_EQ_INT(100, db_stats.evicted_keys);
        cfg_maxmemory = 0;
    }
    cfg_maxmemory_policy = EVICT_NOEVICTION;
}
