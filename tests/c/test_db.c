/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_db.c: keyed objects (db/object.c) and the databases
 * (db/db.c), called directly.
 *
 * Covers the string encodings of keyed objects, objects moving when they
 * gain an expire field or are made writable (both tables must follow),
 * set/replace/delete/unlink, emptying a database inline and on the lazy free
 * thread, SWAPDB, lazy expiry with db_now_ms set by hand, the COPY/RENAME
 * object helpers, and a random sequence of changes checked against a naive
 * model. After every test the two tables of every database are checked
 * against each other, and allocations against the count before the test.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "db/lazyfree.h"
#include "db/object.h"
#include "server/mem.h"
#include "test.h"

/* ---- set-up and checks ---- */

static size_t baseline_memory;

/* Registers the db options (their defaults: 16 databases, lazyfree-lazy-*
 * yes) and creates the databases once; then empties them all, so each test
 * starts from nothing. */
static void setup(void) {
    static bool initialized;
    if (!initialized) {
        db_register_config();
        db_init();
        initialized = true;
    }
    for (int i = 0; i < cfg_databases; i++) db_empty(db_get(i), false);
    lazyfree_drain();
    db_time_refresh();
    db_stats_reset();
    baseline_memory = mem_used();
}

/* A bare string object for a key, as a command argument would be. */
static Obj *arg(const char *s) {
    return obj_create_string(s, strlen(s));
}

/* Checks that db's expires table holds exactly the keys with an expire, as
 * the same pointers keys holds, and that both tables are sound. */
static void check_tables(Db *db) {
    char err[256];
    if (ht_debug_verify(db->keys, err, sizeof(err)) != 0) test_fail(__FILE__, __LINE__, "%s", err);
    if (ht_debug_verify(db->expires, err, sizeof(err)) != 0)
        test_fail(__FILE__, __LINE__, "%s", err);
    size_t with_expire = 0;
    HtIter it;
    void *entry;
    ht_iter_init(&it, db->keys, 0);
    while (ht_iter_next(&it, &entry)) {
        Obj *o = entry;
        CHECK(o->has_key);
        if (obj_get_expire(o) >= 0) {
            with_expire++;
            CHECK(ht_find(db->expires, o) == o);
        } else {
            CHECK(ht_find(db->expires, o) == NULL);
        }
    }
    ht_iter_deinit(&it);
    CHECK_EQ_INT(with_expire, ht_size(db->expires));
}

/* Empties everything and checks that no allocation outlived the test. */
static void teardown(void) {
    for (int i = 0; i < cfg_databases; i++) {
        check_tables(db_get(i));
        db_empty(db_get(i), false);
    }
    lazyfree_drain();
    CHECK_EQ_INT(baseline_memory, mem_used());
}

/* The stored value's bytes as a NUL-terminated string (static buffer). */
static const char *value_of(const Obj *o) {
    static char out[32768];
    char buf[24];
    size_t len;
    const char *p = obj_string_bytes(o, buf, &len);
    memcpy(out, p, len);
    out[len] = '\0';
    return out;
}

static const char *key_of(const Obj *o) {
    static char out[1024];
    size_t len;
    const char *p = obj_key(o, &len);
    memcpy(out, p, len);
    out[len] = '\0';
    return out;
}

/* ---- keyed objects ---- */

TEST(keyed_string_picks_int_for_canonical_numbers) {
    setup();
    const char *ints[] = {"0", "12345", "-7", "9223372036854775807", "-9223372036854775808"};
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        Obj *o = obj_create_keyed_string("k", 1, -1, ints[i], strlen(ints[i]));
        CHECK_EQ_INT(OBJ_ENCODING_INT, o->encoding);
        CHECK_EQ_STR("int", obj_encoding_name(o));
        CHECK_EQ_STR(ints[i], value_of(o));
        CHECK_EQ_INT(strlen(ints[i]), obj_string_length(o));
        obj_free(o);
    }
    /* Not canonical, or out of range: stored as strings. */
    const char *strings[] = {"007", "+1", "-0", " 1", "1 ", "9223372036854775808", ""};
    for (size_t i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
        Obj *o = obj_create_keyed_string("k", 1, -1, strings[i], strlen(strings[i]));
        CHECK_EQ_INT(OBJ_ENCODING_EMBSTR, o->encoding);
        CHECK_EQ_STR(strings[i], value_of(o));
        obj_free(o);
    }
    teardown();
}

TEST(keyed_string_embeds_values_and_names_them_like_valkey) {
    setup();
    char value[20000];
    memset(value, 'v', sizeof(value));
    Obj *o = obj_create_keyed_string("k", 1, -1, value, 44);
    CHECK_EQ_STR("embstr", obj_encoding_name(o));
    obj_free(o);
    o = obj_create_keyed_string("k", 1, -1, value, 45);
    CHECK_EQ_INT(OBJ_ENCODING_EMBSTR, o->encoding); /* embedded, but a user sees raw */
    CHECK_EQ_STR("raw", obj_encoding_name(o));
    obj_free(o);
    o = obj_create_keyed_string("k", 1, -1, value, OBJ_EMBED_VALUE_MAX + 1);
    CHECK_EQ_INT(OBJ_ENCODING_RAW, o->encoding);
    CHECK_EQ_INT(OBJ_EMBED_VALUE_MAX + 1, obj_string_length(o));
    CHECK(obj_memory_usage(o) > OBJ_EMBED_VALUE_MAX);
    obj_free(o);
    teardown();
}

TEST(keyed_object_holds_short_and_long_keys_with_or_without_expire) {
    setup();
    char key[300];
    memset(key, 'k', sizeof(key));
    size_t lengths[] = {0, 1, 254, 255, 300};
    for (size_t i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        for (int with_expire = 0; with_expire < 2; with_expire++) {
            long long expire = with_expire ? 1234567 : -1;
            Obj *o = obj_create_keyed_string(key, lengths[i], expire, "val", 3);
            size_t len;
            const char *p = obj_key(o, &len);
            CHECK_EQ_INT(lengths[i], len);
            CHECK(memcmp(p, key, len) == 0);
            CHECK_EQ_INT(0, p[len]); /* NUL-terminated */
            CHECK_EQ_INT(expire, obj_get_expire(o));
            CHECK_EQ_INT(with_expire, o->has_expire_field);
            CHECK_EQ_STR("val", value_of(o));
            obj_free(o);
        }
    }
    teardown();
}

TEST(duplicate_keeps_encoding_and_copies_the_value) {
    setup();
    Obj *sources[] = {
        obj_create_keyed_string("a", 1, -1, "42", 2),
        obj_create_keyed_string("a", 1, 99, "hello", 5),
        obj_create_keyed_string("a", 1, -1, "x", 1),
    };
    sources[2] = obj_unshare_string(sources[2]); /* RAW */
    for (size_t i = 0; i < 3; i++) {
        Obj *copy = obj_duplicate_keyed(sources[i], "copy", 4, obj_get_expire(sources[i]));
        CHECK_EQ_INT(sources[i]->encoding, copy->encoding);
        CHECK_EQ_STR("copy", key_of(copy));
        CHECK_EQ_INT(obj_get_expire(sources[i]), obj_get_expire(copy));
        char expected[64];
        size_t expected_len;
        const char *bytes = obj_string_bytes(sources[i], expected, &expected_len);
        CHECK_EQ_INT(expected_len, obj_string_length(copy));
        CHECK(memcmp(bytes, value_of(copy), expected_len) == 0);
        if (copy->encoding == OBJ_ENCODING_RAW) CHECK(copy->ptr != sources[i]->ptr);
        obj_free(copy);
        obj_free(sources[i]);
    }
    teardown();
}

TEST(rename_moves_the_value_and_keeps_encoding_expire_and_lru) {
    setup();
    Obj *o = obj_create_keyed_string("old", 3, 500, "hello", 5);
    size_t len;
    o->lru = 777;
    Obj *n = obj_rename_keyed(o, "new-name", 8);
    CHECK_EQ_STR("new-name", key_of(n));
    CHECK_EQ_INT(500, obj_get_expire(n));
    CHECK_EQ_INT(777, n->lru);
    CHECK_EQ_INT(OBJ_ENCODING_EMBSTR, n->encoding);
    CHECK_EQ_STR("hello", value_of(n));
    obj_free(n);

    /* A RAW value that reads as a number keeps its sds (and stays RAW). */
    Obj *raw = obj_unshare_string(obj_create_keyed_string("r", 1, -1, "12", 2));
    sds value = raw->ptr;
    n = obj_rename_keyed(raw, "r2", 2);
    CHECK_EQ_INT(OBJ_ENCODING_RAW, n->encoding);
    CHECK(n->ptr == value); /* moved, not copied */
    CHECK_EQ_STR("12", value_of(n));
    obj_key(n, &len);
    CHECK_EQ_INT(2, len);
    obj_free(n);
    teardown();
}

/* ---- databases ---- */

TEST(set_then_lookup_counts_hits_and_misses) {
    setup();
    Db *db = db_get(0);
    Obj *key = arg("greeting");
    Obj *missing = arg("missing");
    Obj *o = db_set_string(db, key, "hello", 5, -1, 0);
    CHECK(db_lookup_read(db, key, LOOKUP_NONE) == o);
    CHECK(db_lookup_read(db, missing, LOOKUP_NONE) == NULL);
    CHECK(db_lookup_read(db, key, LOOKUP_NOSTATS) == o);
    CHECK(db_lookup_write(db, key, LOOKUP_NONE) == o);
    CHECK_EQ_INT(1, db_stats.keyspace_hits);
    CHECK_EQ_INT(1, db_stats.keyspace_misses);
    CHECK_EQ_INT(1, db_size(db));
    CHECK_EQ_INT(0, db_expires_size(db));
    obj_decr_ref(key);
    obj_decr_ref(missing);
    teardown();
}

TEST(gaining_an_expire_moves_the_object_and_both_tables_follow) {
    setup();
    Db *db = db_get(1);
    Obj *key = arg("k");
    Obj *o = db_set_string(db, key, "value", 5, -1, 0);
    CHECK(!o->has_expire_field);
    Obj *moved = db_set_expire(db, o, db_now_ms + 10000);
    CHECK(moved->has_expire_field);
    CHECK(db_find(db, key) == moved);
    CHECK(ht_find(db->expires, key) == moved);
    CHECK_EQ_STR("value", value_of(moved));
    check_tables(db);

    /* Clearing keeps the field (no move) and leaves the expires table. */
    Obj *same = db_set_expire(db, moved, -1);
    CHECK(same == moved);
    CHECK_EQ_INT(-1, obj_get_expire(same));
    CHECK_EQ_INT(0, db_expires_size(db));
    check_tables(db);

    /* Setting it again is in place now that the field exists. */
    same = db_set_expire(db, same, db_now_ms + 5000);
    CHECK(same == moved);
    CHECK_EQ_INT(1, db_expires_size(db));
    check_tables(db);
    obj_decr_ref(key);
    teardown();
}

TEST(unshare_makes_the_value_raw_and_keeps_tables_consistent) {
    setup();
    Db *db = db_get(0);
    const char *values[] = {"12345", "embedded", "another"};
    long long expires[] = {-1, -1, db_now_ms + 100000};
    for (size_t i = 0; i < 3; i++) {
        char name[16];
        snprintf(name, sizeof(name), "u%zu", i);
        Obj *key = arg(name);
        Obj *o = db_set_string(db, key, values[i], strlen(values[i]), expires[i], 0);
        Obj *n = db_unshare_string(db, o);
        CHECK_EQ_INT(OBJ_ENCODING_RAW, n->encoding);
        CHECK_EQ_STR(values[i], value_of(n));
        CHECK(db_find(db, key) == n);
        CHECK_EQ_INT(expires[i], obj_get_expire(n));
        /* Writable: appending in place is what APPEND/SETRANGE do. */
        n->ptr = sds_cat(n->ptr, "!");
        CHECK(db_unshare_string(db, n) == n); /* already RAW: no move */
        check_tables(db);
        obj_decr_ref(key);
    }
    teardown();
}

TEST(set_replaces_value_and_expire_unless_keepttl) {
    setup();
    Db *db = db_get(0);
    Obj *key = arg("k");
    db_set_string(db, key, "one", 3, db_now_ms + 1000, 0);
    CHECK_EQ_INT(1, db_expires_size(db));
    Obj *o = db_set_string(db, key, "two", 3, -1, DB_SET_KEEPTTL);
    CHECK_EQ_INT(db_now_ms + 1000, obj_get_expire(o));
    CHECK_EQ_INT(1, db_expires_size(db));
    o = db_set_string(db, key, "three", 5, -1, 0);
    CHECK_EQ_INT(-1, obj_get_expire(o));
    CHECK_EQ_INT(0, db_expires_size(db));
    CHECK_EQ_STR("three", value_of(db_find(db, key)));
    o = db_set(db, key, arg("4"), db_now_ms + 50, 0);
    CHECK_EQ_INT(OBJ_ENCODING_INT, o->encoding);
    CHECK_EQ_INT(1, db_expires_size(db));
    CHECK_EQ_INT(1, db_size(db));
    check_tables(db);
    obj_decr_ref(key);
    teardown();
}

TEST(add_insert_delete_and_unlink) {
    setup();
    Db *db = db_get(2);
    Obj *a = arg("a"), *b = arg("b");
    db_add(db, a, arg("1"), db_now_ms + 1000);
    CHECK_EQ_INT(1, db_expires_size(db));
    db_insert_keyed(db, obj_create_keyed_string("b", 1, -1, "2", 1));
    /* Inserting over an existing key replaces it, expire included. */
    db_insert_keyed(db, obj_create_keyed_string("a", 1, -1, "new", 3));
    CHECK_EQ_INT(0, db_expires_size(db));
    CHECK_EQ_STR("new", value_of(db_find(db, a)));
    check_tables(db);

    Obj *unlinked = db_unlink(db, b);
    CHECK(unlinked != NULL);
    CHECK_EQ_STR("b", key_of(unlinked));
    CHECK(db_find(db, b) == NULL);
    CHECK(db_unlink(db, b) == NULL);
    obj_free(unlinked);

    CHECK(db_delete(db, a, false));
    CHECK(!db_delete(db, a, false));
    CHECK(!db_delete(db, a, true));
    CHECK_EQ_INT(0, db_size(db));
    obj_decr_ref(a);
    obj_decr_ref(b);
    teardown();
}

TEST(delete_of_a_key_with_an_expire_leaves_the_expires_table) {
    setup();
    Db *db = db_get(0);
    Obj *key = arg("k");
    db_set_string(db, key, "v", 1, db_now_ms + 1000, 0);
    CHECK(db_delete(db, key, true));
    CHECK_EQ_INT(0, db_expires_size(db));
    check_tables(db);
    obj_decr_ref(key);
    teardown();
}

/* Fills db with count keys named prefix:i, every third with an expire. */
static void fill(Db *db, const char *prefix, int count) {
    for (int i = 0; i < count; i++) {
        char name[64], value[32];
        snprintf(name, sizeof(name), "%s:%d", prefix, i);
        int vlen = snprintf(value, sizeof(value), "value-%d", i);
        Obj *key = arg(name);
        db_set_string(db, key, value, (size_t)vlen, i % 3 == 0 ? db_now_ms + 100000 : -1, 0);
        obj_decr_ref(key);
    }
}

TEST(empty_removes_everything_inline_and_in_the_background) {
    setup();
    Db *db = db_get(3);
    fill(db, "sync", 1000);
    CHECK_EQ_INT(1000, db_empty(db, false));
    CHECK_EQ_INT(0, db_size(db));
    CHECK_EQ_INT(0, db_expires_size(db));

    unsigned long long freed_before = lazyfree_freed_objects();
    fill(db, "async", 1000);
    CHECK_EQ_INT(1000, db_empty(db, true));
    CHECK_EQ_INT(0, db_size(db));
    CHECK_EQ_INT(0, db_expires_size(db));
    /* The database is usable at once, while the old tables are freed. */
    fill(db, "after", 10);
    CHECK_EQ_INT(10, db_size(db));
    lazyfree_drain();
    CHECK_EQ_INT(0, lazyfree_pending_objects());
    CHECK_EQ_INT(freed_before + 1000, lazyfree_freed_objects());
    CHECK_EQ_INT(0, db_empty(db_get(4), true)); /* nothing to hand over */
    check_tables(db);
    teardown();
}

TEST(swap_exchanges_the_contents_of_two_databases) {
    setup();
    Db *a = db_get(5), *b = db_get(6);
    fill(a, "a", 30);
    fill(b, "b", 7);
    db_swap(a, b);
    CHECK_EQ_INT(7, db_size(a));
    CHECK_EQ_INT(30, db_size(b));
    Obj *key = arg("b:3");
    CHECK(db_find(a, key) != NULL);
    CHECK(db_find(b, key) == NULL);
    CHECK_EQ_INT(5, a->id); /* ids stay with the database numbers */
    CHECK_EQ_INT(6, b->id);
    check_tables(a);
    check_tables(b);
    obj_decr_ref(key);
    teardown();
}

TEST(lookup_of_an_expired_key_deletes_it_and_counts_it) {
    setup();
    Db *db = db_get(0);
    Obj *key = arg("short-lived");
    long long when = db_now_ms + 1000;
    db_set_string(db, key, "v", 1, when, 0);

    db_now_ms = when; /* the last millisecond it lives */
    CHECK(db_lookup_read(db, key, LOOKUP_NONE) != NULL);
    CHECK(!db_key_is_expired(db_find(db, key)));

    db_now_ms = when + 1;
    CHECK(db_key_is_expired(db_find(db, key)));
    /* NOEXPIRE reports it missing but leaves it stored. */
    CHECK(db_lookup_read(db, key, LOOKUP_NOEXPIRE | LOOKUP_NOSTATS) == NULL);
    CHECK(db_find(db, key) != NULL);
    CHECK_EQ_INT(0, db_stats.expired_keys);

    CHECK(db_lookup_read(db, key, LOOKUP_NONE) == NULL);
    CHECK(db_find(db, key) == NULL);
    CHECK_EQ_INT(1, db_stats.expired_keys);
    CHECK_EQ_INT(1, db_stats.keyspace_hits);
    CHECK_EQ_INT(1, db_stats.keyspace_misses);
    CHECK_EQ_INT(0, db_expires_size(db));

    /* A write lookup expires too, without counting a miss. */
    db_set_string(db, key, "v", 1, db_now_ms + 10, 0);
    db_now_ms += 11;
    CHECK(db_lookup_write(db, key, LOOKUP_NONE) == NULL);
    CHECK_EQ_INT(2, db_stats.expired_keys);
    CHECK_EQ_INT(1, db_stats.keyspace_misses);
    db_time_refresh();
    obj_decr_ref(key);
    teardown();
}

TEST(delete_expired_counts_and_unknown_objects_are_ignored) {
    setup();
    Db *db = db_get(0);
    Obj *key = arg("k");
    Obj *o = db_set_string(db, key, "v", 1, db_now_ms - 1, 0);
    db_delete_expired(db, o);
    CHECK_EQ_INT(1, db_stats.expired_keys);
    CHECK_EQ_INT(0, db_size(db));
    CHECK_EQ_INT(0, db_total_keys());
    obj_decr_ref(key);
    teardown();
}

TEST(delete_live_removes_live_keys_and_expires_dead_ones) {
    setup();
    Db *db = db_get(0);
    Obj *live = arg("live"), *dead = arg("dead"), *missing = arg("missing");
    db_set_string(db, live, "v", 1, db_now_ms + 100000, 0);
    db_set_string(db, dead, "v", 1, db_now_ms - 1, 0);
    CHECK(db_delete_live(db, live, false));
    CHECK(!db_delete_live(db, dead, true)); /* gone, but as expired */
    CHECK(!db_delete_live(db, missing, false));
    CHECK_EQ_INT(1, db_stats.expired_keys);
    CHECK_EQ_INT(0, db_size(db));
    CHECK_EQ_INT(0, db_expires_size(db));
    check_tables(db);
    obj_decr_ref(live);
    obj_decr_ref(dead);
    obj_decr_ref(missing);
    teardown();
}

TEST(overwrites_keep_the_expires_table_in_step_for_every_combination) {
    setup();
    Db *db = db_get(0);
    Obj *key = arg("k");
    long long later = db_now_ms + 100000;
    /* none -> ttl -> ttl (replaced in place) -> none -> none */
    long long expires[] = {-1, later, later + 1, -1, -1};
    for (size_t i = 0; i < sizeof(expires) / sizeof(expires[0]); i++) {
        Obj *o = db_set_string(db, key, "value", 5, expires[i], 0);
        CHECK(db_find(db, key) == o);
        CHECK_EQ_INT(expires[i] >= 0 ? 1 : 0, db_expires_size(db));
        CHECK(obj_get_expire(o) == expires[i]);
        check_tables(db);
    }
    obj_decr_ref(key);
    teardown();
}

/* ---- random operations against a model ---- */

#define MODEL_KEYS 500

typedef struct ModelKey {
    bool present;
    long long expire;
    char value[40];
} ModelKey;

TEST(random_changes_match_a_model) {
    setup();
    Db *db = db_get(7);
    static ModelKey model[MODEL_KEYS];
    memset(model, 0, sizeof(model));
    srand(12345);
    for (int step = 0; step < 200000; step++) {
        int k = rand() % MODEL_KEYS;
        char name[32];
        snprintf(name, sizeof(name), "key:%d", k);
        Obj *key = arg(name);
        Obj *o = db_find(db, key);
        CHECK((o != NULL) == model[k].present);
        int op = rand() % 6;
        if (op == 0 || op == 1 || !model[k].present) { /* set */
            long long expire = rand() % 3 == 0 ? 1000 + rand() % 1000 : -1;
            int keep = rand() % 4 == 0 && model[k].present;
            if (rand() % 2) snprintf(model[k].value, sizeof(model[k].value), "%d", rand());
            else snprintf(model[k].value, sizeof(model[k].value), "text-%d", rand());
            db_set_string(db, key, model[k].value, strlen(model[k].value), expire,
                          keep ? DB_SET_KEEPTTL : 0);
            if (!keep) model[k].expire = expire;
            model[k].present = true;
        } else if (op == 2) {
            long long expire = rand() % 2 ? 2000 + rand() % 1000 : -1;
            db_set_expire(db, o, expire);
            model[k].expire = expire;
        } else if (op == 3) {
            Obj *n = db_unshare_string(db, o);
            n->ptr = sds_cat(n->ptr, "+");
            strncat(model[k].value, "+", sizeof(model[k].value) - strlen(model[k].value) - 1);
            if (strlen(model[k].value) > 30) model[k].value[0] = '\0', sds_clear(n->ptr);
        } else if (op == 4) {
            CHECK(db_delete(db, key, rand() % 2));
            model[k].present = false;
        } else {
            CHECK_EQ_STR(model[k].value, value_of(o));
            CHECK_EQ_INT(model[k].expire, obj_get_expire(o));
        }
        obj_decr_ref(key);
        if (step % 20000 == 0) check_tables(db);
    }
    size_t present = 0, with_expire = 0;
    for (int k = 0; k < MODEL_KEYS; k++) {
        if (!model[k].present) continue;
        present++;
        if (model[k].expire >= 0) with_expire++;
    }
    CHECK_EQ_INT(present, db_size(db));
    CHECK_EQ_INT(with_expire, db_expires_size(db));
    teardown();
}
