/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_ht.c: the keyspace hashtable (ds/ht.c).
 *
 * The table is checked against a naive model, a direct-address array of
 * "present" flags indexed by entry id, fed the same random operations (adds,
 * finds, deletes, pops, forced grows and shrinks, rehash steps) millions of
 * times, once with the real hash and once with a deliberately weak one that
 * piles entries into long child-bucket chains. Then the SCAN guarantee under
 * grow/shrink between calls, safe iteration with deletes, the per-operation
 * rehash bound, sampling coverage, the hash function and empty tables.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds/ht.h"
#include "server/mem.h"
#include "test.h"

/* ---- test entries: a fixed pool, so the model can index by id ---- */

typedef struct TestEntry {
    uint32_t id;
    uint32_t len;
    char key[24];
} TestEntry;

static TestEntry *pool;
static size_t pool_size;
static size_t destructor_calls;

static void pool_init(size_t n) {
    free(pool);
    pool = calloc(n, sizeof(*pool));
    pool_size = n;
    for (size_t i = 0; i < n; i++) {
        pool[i].id = (uint32_t)i;
        pool[i].len = (uint32_t)snprintf(pool[i].key, sizeof(pool[i].key), "key:%zu", i);
    }
}

static uint64_t key_hash(const void *key) {
    const TestEntry *e = key;
    return ht_hash(e->key, e->len);
}

/* Only 64 distinct hashes, all with tag 0: every lookup compares keys and
 * chains grow long, exercising children and compaction. */
static uint64_t weak_hash(const void *key) {
    return key_hash(key) & 0x3f;
}

static int key_compare(const void *a, const void *b) {
    const TestEntry *x = a, *y = b;
    return x->len == y->len ? memcmp(x->key, y->key, x->len) : 1;
}

static void count_destructor(void *entry) {
    (void)entry;
    destructor_calls++;
}

/* Entries are their own keys: the lookup key is a TestEntry too. */
static const HtType strong_type = {
    .hash = key_hash, .key_compare = key_compare, .entry_get_key = NULL,
    .entry_destructor = count_destructor,
};
static const HtType weak_type = {
    .hash = weak_hash, .key_compare = key_compare, .entry_get_key = NULL,
    .entry_destructor = count_destructor,
};

/* A lookup key equal to pool[id] but at a different address. */
static TestEntry probe_key(size_t id) {
    TestEntry probe = pool[id];
    probe.id = UINT32_MAX;
    return probe;
}

static uint64_t rng_state;
static uint64_t rnd(void) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void verify(Ht *ht) {
    char err[256];
    if (ht_debug_verify(ht, err, sizeof(err)) != 0) test_fail(__FILE__, __LINE__, "%s", err);
}

/* ---- random operations against the model ---- */

static void model_run(const HtType *type, size_t ids, size_t ops, uint64_t seed) {
    pool_init(ids);
    rng_state = seed;
    char *present = calloc(ids, 1);
    size_t model_size = 0;
    Ht *ht = ht_create(type);
    destructor_calls = 0;
    size_t expected_destructs = 0;
    /* Phases bias toward adds or deletes so the table grows and shrinks. */
    for (size_t op = 0; op < ops; op++) {
        bool growing = (op / 50000) % 2 == 0;
        size_t id = rnd() % ids;
        TestEntry probe = probe_key(id);
        unsigned kind = rnd() % 100;
        if (kind < (growing ? 45u : 20u)) {
            bool added = ht_add(ht, &pool[id]);
            CHECK_EQ_INT(!present[id], added);
            if (added) present[id] = 1, model_size++;
        } else if (kind < 55) {
            void *found = ht_find(ht, &probe);
            CHECK(found == (present[id] ? &pool[id] : NULL));
        } else if (kind < 62) {
            void *existing = NULL;
            bool added = ht_add_or_find(ht, &pool[id], &existing);
            CHECK_EQ_INT(!present[id], added);
            if (added) present[id] = 1, model_size++;
            else CHECK(existing == &pool[id]);
        } else if (kind < 80) {
            bool deleted = ht_delete(ht, &probe);
            CHECK_EQ_INT(present[id], deleted);
            if (deleted) present[id] = 0, model_size--, expected_destructs++;
        } else if (kind < 97) {
            void *popped = NULL;
            bool removed = ht_pop(ht, &probe, &popped);
            CHECK_EQ_INT(present[id], removed);
            if (removed) {
                CHECK(popped == &pool[id]);
                present[id] = 0;
                model_size--;
            }
        } else if (kind < 98) {
            /* Forced resize: anything from a fit-to-size shrink to 4x growth. */
            ht_resize(ht, (rnd() % 4) * model_size + rnd() % 64);
        } else if (kind < 99) {
            ht_rehash_buckets(ht, rnd() % 64);
        } else {
            void **ref = ht_find_ref(ht, &probe);
            CHECK((ref != NULL) == (present[id] != 0));
            if (ref) CHECK(*ref == &pool[id]);
        }
        CHECK_EQ_INT(model_size, ht_size(ht));
        if (op % 100000 == 99999) {
            verify(ht);
            for (size_t i = 0; i < ids; i++) {
                TestEntry p = probe_key(i);
                CHECK(ht_find(ht, &p) == (present[i] ? &pool[i] : NULL));
            }
        }
    }
    verify(ht);
    CHECK_EQ_INT(expected_destructs, destructor_calls);
    ht_destroy(ht);
    CHECK_EQ_INT(expected_destructs + model_size, destructor_calls);
    free(present);
}

TEST(ht_matches_model_over_two_million_random_ops) {
    model_run(&strong_type, 200000, 2000000, 0x9e3779b97f4a7c15ull);
}

TEST(ht_matches_model_with_colliding_hashes_and_long_chains) {
    model_run(&weak_type, 3000, 400000, 12345);
}

TEST(ht_add_refuses_duplicates_and_pop_skips_destructor) {
    pool_init(16);
    Ht *ht = ht_create(&strong_type);
    destructor_calls = 0;
    CHECK(ht_add(ht, &pool[1]));
    CHECK(!ht_add(ht, &pool[1]));
    TestEntry twin = pool[1]; /* same key, another object */
    CHECK(!ht_add(ht, &twin));
    void *existing = NULL;
    CHECK(!ht_add_or_find(ht, &twin, &existing));
    CHECK(existing == &pool[1]);
    CHECK_EQ_INT(1, ht_size(ht));
    void *popped = NULL;
    CHECK(ht_pop(ht, &twin, &popped));
    CHECK(popped == &pool[1]);
    CHECK_EQ_INT(0, destructor_calls);
    CHECK(!ht_pop(ht, &twin, &popped));
    CHECK(ht_add(ht, &pool[2]));
    CHECK(ht_delete(ht, &pool[2]));
    CHECK_EQ_INT(1, destructor_calls);
    CHECK(!ht_delete(ht, &pool[2]));
    CHECK_EQ_INT(1, destructor_calls);
    ht_destroy(ht);
}

TEST(ht_position_api_inserts_without_second_lookup) {
    pool_init(2000);
    Ht *ht = ht_create(&strong_type);
    for (size_t i = 0; i < 2000; i++) {
        HtPosition pos;
        void *existing = NULL;
        CHECK(ht_find_position_for_insert(ht, &pool[i], &pos, &existing));
        ht_insert_at_position(ht, &pool[i], &pos);
        CHECK(!ht_find_position_for_insert(ht, &pool[i], &pos, &existing));
        CHECK(existing == &pool[i]);
    }
    CHECK_EQ_INT(2000, ht_size(ht));
    verify(ht);
    ht_destroy(ht);
    /* Same through full chains, where insertion must add a child bucket. */
    Ht *weak = ht_create(&weak_type);
    for (size_t i = 0; i < 2000; i++) {
        HtPosition pos;
        CHECK(ht_find_position_for_insert(weak, &pool[i], &pos, NULL));
        ht_insert_at_position(weak, &pool[i], &pos);
    }
    verify(weak);
    for (size_t i = 0; i < 2000; i++) CHECK(ht_find(weak, &pool[i]) == &pool[i]);
    ht_destroy(weak);
}

TEST(ht_empty_table_edge_cases) {
    pool_init(4);
    Ht *ht = ht_create(&strong_type);
    CHECK_EQ_INT(0, ht_size(ht));
    CHECK(ht_find(ht, &pool[0]) == NULL);
    CHECK(ht_find_ref(ht, &pool[0]) == NULL);
    CHECK(!ht_delete(ht, &pool[0]));
    CHECK(!ht_pop(ht, &pool[0], NULL));
    CHECK(ht_random_entry(ht) == NULL);
    void *out[4];
    CHECK_EQ_INT(0, ht_sample_entries(ht, out, 4));
    CHECK_EQ_INT(0, ht_scan(ht, 0, NULL, NULL)); /* fn never called */
    HtIter it;
    void *entry;
    ht_iter_init(&it, ht, 0);
    CHECK(!ht_iter_next(&it, &entry));
    ht_iter_deinit(&it);
    ht_iter_init(&it, ht, HT_ITER_SAFE);
    CHECK(!ht_iter_next(&it, &entry));
    ht_iter_deinit(&it);
    CHECK(ht_memory_usage(ht) > 0);
    CHECK(!ht_is_rehashing(ht));
    CHECK(!ht_rehash_buckets(ht, 10));
    CHECK_EQ_INT(0, ht_rehash_ms(ht, 1));
    CHECK_EQ_INT(0, ht_resize(ht, 0));
    verify(ht);
    /* Emptied after use: everything still answers "nothing". */
    CHECK(ht_add(ht, &pool[0]));
    CHECK(ht_random_entry(ht) == &pool[0]);
    CHECK(ht_delete(ht, &pool[0]));
    CHECK(ht_random_entry(ht) == NULL);
    CHECK_EQ_INT(0, ht_scan(ht, 0, NULL, NULL));
    ht_clear(ht);
    CHECK_EQ_INT(0, ht_size(ht));
    CHECK(ht_add(ht, &pool[1]));
    ht_destroy(ht);
    ht_destroy(NULL);
}

TEST(ht_clear_frees_entries_and_keeps_table_usable) {
    pool_init(5000);
    Ht *ht = ht_create(&weak_type);
    for (size_t i = 0; i < 5000; i++) ht_add(ht, &pool[i]);
    destructor_calls = 0;
    ht_clear(ht);
    CHECK_EQ_INT(5000, destructor_calls);
    CHECK_EQ_INT(0, ht_size(ht));
    for (size_t i = 0; i < 100; i++) CHECK(ht_add(ht, &pool[i]));
    verify(ht);
    ht_destroy(ht);
}

/* ---- SCAN ---- */

typedef struct ScanSeen {
    uint32_t *count; /* times each id was returned */
    Ht *ht;
    char *present;
    bool delete_odd; /* the callback deletes odd ids, like active expiry */
} ScanSeen;

static void scan_collect(void *privdata, void *entry) {
    ScanSeen *seen = privdata;
    TestEntry *e = entry;
    seen->count[e->id]++;
    if (seen->delete_odd && e->id % 2 == 1) {
        CHECK(ht_pop(seen->ht, e, NULL));
        seen->present[e->id] = 0;
    }
}

/* Entries [0, stable) never leave; others come and go between calls while
 * the table is forced to grow, shrink and rehash partway. */
static void scan_under_churn(uint64_t seed, size_t stable, size_t ids, bool delete_odd) {
    pool_init(ids);
    rng_state = seed;
    Ht *ht = ht_create(&strong_type);
    char *present = calloc(ids, 1);
    uint32_t *count = calloc(ids, sizeof(*count));
    for (size_t i = 0; i < stable; i++) ht_add(ht, &pool[i]), present[i] = 1;
    ScanSeen seen = {.count = count, .ht = ht, .present = present, .delete_odd = delete_odd};
    uint64_t cursor = 0;
    size_t calls = 0;
    do {
        cursor = ht_scan(ht, cursor, scan_collect, &seen);
        calls++;
        switch (rnd() % 6) {
        case 0: /* grow hard */
            ht_resize(ht, ht_size(ht) * (2 + rnd() % 30));
            break;
        case 1: /* shrink to fit */
            ht_resize(ht, 0);
            break;
        case 2:
            ht_rehash_buckets(ht, rnd() % 8);
            break;
        case 3: /* churn the non-stable ids */
            for (int k = 0; k < 20; k++) {
                size_t id = stable + rnd() % (ids - stable);
                if (present[id]) ht_pop(ht, &pool[id], NULL), present[id] = 0;
                else ht_add(ht, &pool[id]), present[id] = 1;
            }
            break;
        default:
            break;
        }
        CHECK(calls < 10 * 1000 * 1000);
    } while (cursor != 0);
    for (size_t i = 0; i < stable; i++) {
        if (delete_odd && i % 2 == 1) continue;
        if (count[i] == 0) test_fail(__FILE__, __LINE__, "seed %llu: stable id %zu never returned",
                                     (unsigned long long)seed, i);
    }
    if (delete_odd) {
        for (size_t i = 1; i < stable; i += 2) {
            CHECK(count[i] >= 1);
            CHECK(ht_find(ht, &pool[i]) == NULL);
        }
    }
    verify(ht);
    ht_destroy(ht);
    free(present);
    free(count);
}

TEST(ht_scan_returns_every_stable_entry_while_table_grows_and_shrinks) {
    for (uint64_t seed = 1; seed <= 40; seed++) scan_under_churn(seed * 7919, 3000, 6000, false);
    for (uint64_t seed = 1; seed <= 20; seed++) scan_under_churn(seed * 104729, 50, 400, false);
}

TEST(ht_scan_callback_may_delete_entries) {
    for (uint64_t seed = 1; seed <= 10; seed++) scan_under_churn(seed * 31, 4000, 5000, true);
}

TEST(ht_scan_of_static_table_returns_each_entry_once) {
    pool_init(10000);
    Ht *ht = ht_create(&strong_type);
    for (size_t i = 0; i < 10000; i++) ht_add(ht, &pool[i]);
    while (ht_rehash_buckets(ht, 1000)) {
    }
    uint32_t *count = calloc(10000, sizeof(*count));
    ScanSeen seen = {.count = count};
    uint64_t cursor = 0;
    do cursor = ht_scan(ht, cursor, scan_collect, &seen);
    while (cursor != 0);
    for (size_t i = 0; i < 10000; i++) CHECK_EQ_INT(1, count[i]);
    free(count);
    ht_destroy(ht);
}

/* ---- iterators ---- */

static void safe_iter_delete_run(bool mid_rehash) {
    pool_init(20000);
    Ht *ht = ht_create(&strong_type);
    for (size_t i = 0; i < 20000; i++) ht_add(ht, &pool[i]);
    while (ht_rehash_buckets(ht, 1000)) {
    }
    if (mid_rehash) {
        CHECK_EQ_INT(0, ht_resize(ht, 200000));
        ht_rehash_buckets(ht, 1000); /* of 4096 */
        CHECK(ht_is_rehashing(ht));
    }
    uint32_t *count = calloc(20000, sizeof(*count));
    HtIter it;
    void *entry;
    size_t deleted = 0;
    uint64_t visits_before = ht_debug_rehash_visits(ht);
    ht_iter_init(&it, ht, HT_ITER_SAFE);
    while (ht_iter_next(&it, &entry)) {
        TestEntry *e = entry;
        count[e->id]++;
        if (e->id % 3 != 0) {
            CHECK(ht_pop(ht, e, NULL)); /* the current entry */
            deleted++;
        }
        if (e->id % 7 == 0 && e->id + 1 < 20000 && (e->id + 1) % 3 != 0) {
            TestEntry *next = &pool[e->id + 1]; /* another entry, maybe not yet returned */
            if (ht_pop(ht, next, NULL)) {
                deleted++;
                if (count[next->id] == 0) count[next->id] = 1000; /* must never come back */
            }
        }
        ht_find(ht, e); /* lookups are fine too */
    }
    ht_iter_deinit(&it);
    CHECK_EQ_INT(visits_before, ht_debug_rehash_visits(ht)); /* paused throughout */
    for (size_t i = 0; i < 20000; i++) {
        if (count[i] >= 1000) CHECK(count[i] == 1000); /* deleted ahead: never returned */
        else CHECK_EQ_INT(1, count[i]);
    }
    CHECK_EQ_INT(20000 - deleted, ht_size(ht));
    verify(ht);
    /* Rehashing resumes once the iterator is gone. */
    while (ht_rehash_buckets(ht, 1000)) {
    }
    verify(ht);
    for (size_t i = 0; i < 20000; i++) CHECK((ht_find(ht, &pool[i]) != NULL) == (i % 3 == 0));
    free(count);
    ht_destroy(ht);
}

TEST(ht_safe_iterator_allows_deletes) {
    safe_iter_delete_run(false);
}

TEST(ht_safe_iterator_allows_deletes_mid_rehash) {
    safe_iter_delete_run(true);
}

TEST(ht_unsafe_iterator_returns_each_entry_once_across_both_tables) {
    pool_init(5000);
    Ht *ht = ht_create(&weak_type);
    for (size_t i = 0; i < 5000; i++) ht_add(ht, &pool[i]);
    ht_resize(ht, 1); /* shrinking: both tables hold entries for a while */
    ht_rehash_buckets(ht, 3);
    uint32_t *count = calloc(5000, sizeof(*count));
    HtIter it;
    void *entry;
    ht_iter_init(&it, ht, 0);
    while (ht_iter_next(&it, &entry)) count[((TestEntry *)entry)->id]++;
    ht_iter_deinit(&it);
    for (size_t i = 0; i < 5000; i++) CHECK_EQ_INT(1, count[i]);
    free(count);
    ht_destroy(ht);
}

/* ---- rehash bound ---- */

TEST(ht_each_operation_rehashes_a_bounded_number_of_buckets) {
    pool_init(300000);
    Ht *ht = ht_create(&strong_type);
    size_t grows_seen = 0, shrinks_seen = 0;
    size_t last_buckets = 0;
    for (size_t i = 0; i < 300000; i++) {
        uint64_t before = ht_debug_rehash_visits(ht);
        ht_add(ht, &pool[i]);
        CHECK(ht_debug_rehash_visits(ht) - before <= HT_REHASH_MAX_VISITS);
        before = ht_debug_rehash_visits(ht);
        ht_find(ht, &pool[i / 2]);
        CHECK(ht_debug_rehash_visits(ht) - before <= HT_REHASH_MAX_VISITS);
        if (ht_debug_bucket_count(ht) > last_buckets) grows_seen++;
        last_buckets = ht_debug_bucket_count(ht);
    }
    for (size_t i = 0; i < 300000; i++) {
        uint64_t before = ht_debug_rehash_visits(ht);
        CHECK(ht_delete(ht, &pool[i]));
        CHECK(ht_debug_rehash_visits(ht) - before <= HT_REHASH_MAX_VISITS);
        if (ht_is_rehashing(ht)) shrinks_seen++;
    }
    CHECK(grows_seen > 10);
    CHECK(shrinks_seen > 0);
    CHECK(ht_debug_bucket_count(ht) <= 4);
    /* Paused: no operation moves anything; resumed: the cron call does. */
    for (size_t i = 0; i < 10000; i++) ht_add(ht, &pool[i]);
    ht_resize(ht, 1000000);
    ht_rehash_pause(ht);
    uint64_t before = ht_debug_rehash_visits(ht);
    for (size_t i = 0; i < 1000; i++) ht_find(ht, &pool[i]);
    CHECK_EQ_INT(0, ht_rehash_ms(ht, 1));
    CHECK_EQ_INT(before, ht_debug_rehash_visits(ht));
    ht_rehash_resume(ht);
    while (ht_is_rehashing(ht)) ht_rehash_ms(ht, 1);
    verify(ht);
    ht_destroy(ht);
}

/* ---- sampling ---- */

TEST(ht_random_entry_and_samples_cover_all_entries) {
    pool_init(300);
    Ht *ht = ht_create(&strong_type);
    for (size_t i = 0; i < 300; i++) ht_add(ht, &pool[i]);
    uint32_t count[300] = {0};
    for (size_t draw = 0; draw < 300 * 200; draw++) count[((TestEntry *)ht_random_entry(ht))->id]++;
    for (size_t i = 0; i < 300; i++) CHECK(count[i] > 0);
    /* Loose fairness: no entry drawn more than 5x its share. */
    for (size_t i = 0; i < 300; i++) CHECK(count[i] < 200 * 5);

    memset(count, 0, sizeof(count));
    ht_resize(ht, 5000); /* and while rehashing */
    ht_rehash_buckets(ht, 4);
    void *out[20];
    for (size_t round = 0; round < 5000; round++) {
        size_t n = ht_sample_entries(ht, out, 20);
        CHECK(n <= 20);
        for (size_t j = 0; j < n; j++) {
            TestEntry *e = out[j];
            CHECK(ht_find(ht, e) == e);
            for (size_t k = 0; k < j; k++) CHECK(out[k] != out[j]); /* distinct */
            count[e->id]++;
        }
    }
    for (size_t i = 0; i < 300; i++) CHECK(count[i] > 0);
    ht_destroy(ht);
}

/* ---- hash function ---- */

TEST(ht_hash_spreads_keys_over_buckets_and_tags) {
    enum { KEYS = 200000, BUCKETS = 1024 };
    static uint32_t low[BUCKETS], tags[256];
    memset(low, 0, sizeof(low));
    memset(tags, 0, sizeof(tags));
    char key[32];
    for (int i = 0; i < KEYS; i++) {
        int len = snprintf(key, sizeof(key), "user:%d", i);
        uint64_t h = ht_hash(key, (size_t)len);
        low[h % BUCKETS]++;
        tags[h >> 56]++;
    }
    /* Chi-square against uniform: mean is the degrees of freedom, stddev
     * sqrt(2 df); 2x df is far out for a working hash and far in for a
     * broken one (sequential keys in a bad hash give chi2 in the millions). */
    double chi = 0, expected = (double)KEYS / BUCKETS;
    for (int i = 0; i < BUCKETS; i++) chi += (low[i] - expected) * (low[i] - expected) / expected;
    CHECK(chi < 2.0 * BUCKETS);
    chi = 0, expected = (double)KEYS / 256;
    for (int i = 0; i < 256; i++) chi += (tags[i] - expected) * (tags[i] - expected) / expected;
    CHECK(chi < 2.0 * 256);
}

TEST(ht_hash_depends_on_every_byte_length_and_seed) {
    uint8_t buf[80];
    for (size_t i = 0; i < sizeof(buf); i++) buf[i] = (uint8_t)(i * 37 + 1);
    /* Every length 0..80 of the same bytes hashes differently (all tail paths). */
    uint64_t seen[81];
    for (size_t len = 0; len <= 80; len++) {
        seen[len] = ht_hash(buf, len);
        for (size_t k = 0; k < len; k++) CHECK(seen[k] != seen[len]);
    }
    /* Flipping any single bit changes the hash. */
    for (size_t len = 1; len <= 40; len++) {
        uint64_t base = ht_hash(buf, len);
        for (size_t bit = 0; bit < len * 8; bit++) {
            buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
            CHECK(ht_hash(buf, len) != base);
            buf[bit / 8] ^= (uint8_t)(1u << (bit % 8));
        }
    }
    /* A new seed changes the outputs; setting the old one restores them. */
    uint8_t seed_a[16] = {1, 2, 3}, seed_b[16] = {1, 2, 4};
    ht_hash_seed_set(seed_a);
    uint64_t under_a = ht_hash("hello", 5), zero_a = ht_hash("", 0);
    ht_hash_seed_set(seed_b);
    CHECK(ht_hash("hello", 5) != under_a);
    CHECK(ht_hash("", 0) != zero_a);
    ht_hash_seed_set(seed_a);
    CHECK(ht_hash("hello", 5) == under_a);
}

TEST(ht_hash_nocase_folds_ascii_letters_only) {
    const char *upper = "SOME-Key_With:Mixed/CASE and a long tail 0123456789";
    char lower[64];
    size_t n = strlen(upper);
    for (size_t i = 0; i <= n; i++)
        lower[i] = (upper[i] >= 'A' && upper[i] <= 'Z') ? (char)(upper[i] + 32) : upper[i];
    for (size_t len = 0; len <= n; len++) {
        CHECK(ht_hash_nocase(upper, len) == ht_hash_nocase(lower, len));
        CHECK(ht_hash_nocase(lower, len) == ht_hash(lower, len)); /* same function on lowercase */
    }
    CHECK(ht_hash("GET", 3) != ht_hash("get", 3));
    CHECK(ht_hash_nocase("[", 1) != ht_hash_nocase("{", 1)); /* '[' is not 'A'..'Z' */
}

/* ---- memory accounting ---- */

TEST(ht_memory_usage_tracks_buckets_and_children) {
    pool_init(50000);
    size_t before = mem_used();
    Ht *ht = ht_create(&strong_type);
    size_t empty = ht_memory_usage(ht);
    for (size_t i = 0; i < 50000; i++) ht_add(ht, &pool[i]);
    size_t full = ht_memory_usage(ht);
    CHECK(full > empty + 50000 * 8);  /* at least a pointer per entry */
    CHECK(full < empty + 50000 * 40); /* and well under a dict's node + bucket */
    /* What the table reports is what mem_used counted (children included). */
    size_t counted = mem_used() - before;
    CHECK(full <= counted + 64 && counted <= full + full / 8);
    for (size_t i = 0; i < 50000; i++) ht_delete(ht, &pool[i]);
    while (ht_rehash_buckets(ht, 1000)) {
    }
    CHECK(ht_memory_usage(ht) < full / 100);
    ht_destroy(ht);
}
