/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_expire.c: the active expire cycle (db/expire.c), driven with
 * db_now_ms set by hand: it deletes every expired key over repeated cycles
 * and nothing else, keeps avg_ttl and the INFO counters, stops at its time
 * budget, stays idle when disabled, and the cron finishes a table resize
 * (activerehashing).
 */
#include <stdio.h>

#include "db/db.h"
#include "db/expire.h"
#include "test.h"

#define T0 1700000000000LL /* the test's "now" in unix ms */
#define HOUR_MS 3600000LL

/* The databases exist once per process (their options register once). */
static void setup(void) {
    static int ready;
    if (!ready) {
        db_register_config();
        db_init();
        ready = 1;
    }
    for (int i = 0; i < cfg_databases; i++) db_empty(db_get(i), false);
    db_stats_reset();
    expire_active_enabled = true;
    db_now_ms = T0;
    /* A cycle over empty databases clears the "last cycle timed out" state
     * another test may have left behind. */
    expire_cycle(EXPIRE_CYCLE_SLOW, 10);
    db_stats_reset();
}

/* Adds count keys "<prefix>:<n>" to db, expiring at expire (-1: never). */
static void add_keys(Db *db, const char *prefix, int count, long long expire) {
    char name[64];
    for (int i = 0; i < count; i++) {
        int len = snprintf(name, sizeof(name), "%s:%d", prefix, i);
        Obj *key = obj_create_string(name, (size_t)len);
        db_set_string(db, key, "v", 1, expire, 0);
        obj_decr_ref(key);
    }
}

/* Finishes any resize the adds started, so ht_resize can start a new one. */
static void finish_rehash(Ht *ht) {
    while (ht_rehash_buckets(ht, 1024)) {
    }
}

/* Runs slow cycles until db has at most target expiring keys; returns the
 * number of cycles, or -1 if max_cycles did not get there. */
static int cycle_until(Db *db, size_t target, int max_cycles) {
    for (int i = 1; i <= max_cycles; i++) {
        expire_cycle(EXPIRE_CYCLE_SLOW, 10);
        if (db_expires_size(db) <= target) return i;
    }
    return -1;
}

TEST(slow_cycles_delete_every_expired_key_and_nothing_else) {
    setup();
    Db *db = db_get(0);
    add_keys(db, "gone", 1000, T0 + 10);
    add_keys(db, "later", 100, T0 + HOUR_MS);
    add_keys(db, "forever", 1000, -1);
    db_now_ms = T0 + 11;
    CHECK(cycle_until(db, 100, 1000) > 0);
    CHECK_EQ_INT(100, db_expires_size(db));
    CHECK_EQ_INT(1100, db_size(db));
    CHECK_EQ_INT(1000, db_stats.expired_keys);
    Obj *key = obj_create_string("later:7", 7);
    CHECK(db_find(db, key) != NULL);
    obj_decr_ref(key);
    key = obj_create_string("gone:7", 6);
    CHECK(db_find(db, key) == NULL);
    obj_decr_ref(key);
}

TEST(keys_expiring_exactly_now_are_kept) {
    setup();
    Db *db = db_get(0);
    add_keys(db, "edge", 50, T0 + 100);
    db_now_ms = T0 + 100; /* expired only once now is past the time */
    for (int i = 0; i < 20; i++) expire_cycle(EXPIRE_CYCLE_SLOW, 10);
    CHECK_EQ_INT(50, db_expires_size(db));
    db_now_ms = T0 + 101;
    CHECK(cycle_until(db, 0, 100) > 0);
    CHECK_EQ_INT(0, db_size(db));
}

TEST(avg_ttl_estimates_the_remaining_time_and_resets_when_empty) {
    setup();
    Db *db = db_get(0);
    add_keys(db, "ttl", 200, T0 + HOUR_MS);
    for (int i = 0; i < 50; i++) expire_cycle(EXPIRE_CYCLE_SLOW, 10);
    CHECK(db->avg_ttl > HOUR_MS - 1000 && db->avg_ttl <= HOUR_MS);
    db_empty(db, false);
    expire_cycle(EXPIRE_CYCLE_SLOW, 10);
    CHECK_EQ_INT(0, db->avg_ttl);
}

TEST(every_database_is_visited) {
    setup();
    for (int i = 0; i < cfg_databases; i++) add_keys(db_get(i), "k", 30, T0 + 5);
    db_now_ms = T0 + 6;
    int cycles = 0;
    while (db_total_keys() > 0 && cycles < 1000) {
        expire_cycle(EXPIRE_CYCLE_SLOW, 10);
        cycles++;
    }
    CHECK_EQ_INT(0, db_total_keys());
    CHECK_EQ_INT(30 * cfg_databases, db_stats.expired_keys);
}

TEST(disabled_cycle_deletes_nothing) {
    setup();
    Db *db = db_get(0);
    add_keys(db, "kept", 100, T0 + 1);
    db_now_ms = T0 + 2;
    expire_active_enabled = false;
    for (int i = 0; i < 10; i++) {
        expire_cycle(EXPIRE_CYCLE_SLOW, 10);
        expire_cycle(EXPIRE_CYCLE_FAST, 10);
    }
    CHECK_EQ_INT(100, db_size(db));
    CHECK_EQ_INT(0, db_stats.expired_keys);
    expire_active_enabled = true;
    CHECK(cycle_until(db, 0, 100) > 0);
    CHECK_EQ_INT(100, db_stats.expired_keys);
}

TEST(fast_cycle_stays_idle_while_nothing_is_stale) {
    setup();
    Db *db = db_get(0);
    add_keys(db, "idle", 100, T0 + 1);
    db_now_ms = T0 + 2;
    /* No cycle has seen stale keys yet, and none timed out: nothing due. */
    expire_cycle(EXPIRE_CYCLE_FAST, 10);
    CHECK_EQ_INT(100, db_size(db));
    CHECK_EQ_INT(0, db_stats.expire_cycle_time_used_us);
}

/* A cycle's work is bounded by its time budget: at hz 500 a slow cycle may
 * take 500 us, far too little to delete 200000 keys, so it must stop early
 * and say so; later cycles finish the job. */
TEST(a_cycle_stops_at_its_time_budget) {
    setup();
    Db *db = db_get(0);
    add_keys(db, "mass", 200000, T0 + 1);
    db_now_ms = T0 + 2;
    expire_cycle(EXPIRE_CYCLE_SLOW, 500);
    CHECK(db_size(db) > 0);
    CHECK(db_stats.expired_keys > 0);
    CHECK_EQ_INT(1, db_stats.expired_time_cap_reached_count);
    CHECK(db_stats.expired_stale_perc_x100 > 0);
    CHECK(db_stats.expire_cycle_time_used_us > 0);
    /* The timeout makes the fast cycle due. */
    unsigned long long before = db_stats.expired_keys;
    expire_cycle(EXPIRE_CYCLE_FAST, 500);
    CHECK(db_stats.expired_keys > before);
    CHECK(cycle_until(db, 0, 100000) > 0);
    CHECK_EQ_INT(0, db_size(db));
    CHECK_EQ_INT(200000, db_stats.expired_keys);
}

TEST(the_cron_finishes_a_table_resize) {
    setup();
    Db *db = db_get(0);
    add_keys(db, "grow", 50000, -1);
    finish_rehash(db->keys);
    CHECK_EQ_INT(0, ht_resize(db->keys, 1000000));
    CHECK(ht_is_rehashing(db->keys));
    int ticks = 0;
    while (ht_is_rehashing(db->keys) && ticks < 100000) {
        expire_cron(10); /* refreshes db_now_ms: only persistent keys here */
        ticks++;
    }
    CHECK(!ht_is_rehashing(db->keys));
    CHECK_EQ_INT(50000, db_size(db));
    char err[256];
    CHECK_EQ_INT(0, ht_debug_verify(db->keys, err, sizeof(err)));
}

TEST(active_rehashing_off_leaves_the_resize_to_commands) {
    setup();
    Db *db = db_get(0);
    add_keys(db, "still", 50000, -1);
    finish_rehash(db->keys);
    CHECK_EQ_INT(0, ht_resize(db->keys, 1000000));
    cfg_activerehashing = 0;
    for (int i = 0; i < 100; i++) expire_cron(10);
    CHECK(ht_is_rehashing(db->keys));
    cfg_activerehashing = 1;
    db_empty(db, false);
}

TEST(far_future_expire_times_do_not_overflow_the_ttl_estimate) {
    setup();
    Db *db = db_get(0);
    add_keys(db, "far", 100, 9223372036854775807LL);
    for (int i = 0; i < 20; i++) expire_cycle(EXPIRE_CYCLE_SLOW, 10);
    CHECK(db->avg_ttl > 0);
    CHECK_EQ_INT(100, db_size(db));
}
