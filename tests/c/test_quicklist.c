/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_quicklist.c: the quicklist (ds/quicklist.c).
 *
 * A naive model (an array of strings) and a quicklist are fed the same
 * random pushes, pops, inserts, replaces, range deletes and iterator
 * deletes, under several fills (count and byte limits), with and without
 * compression, with elements small, integer-like and big enough for plain
 * nodes; after each batch both directions of iteration must match the
 * model, node counts must add up, and with compression on the inner nodes
 * must really be compressed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds/listpack.h"
#include "ds/quicklist.h"
#include "server/mem.h"
#include "test.h"

#define MODEL_MAX 3000

typedef struct Model {
    char *items[MODEL_MAX];
    size_t lens[MODEL_MAX];
    size_t count;
} Model;

static bool entry_equals(const QlEntry *e, const char *s, size_t len) {
    if (e->str) return e->len == len && memcmp(e->str, s, len) == 0;
    char buf[32];
    int n = snprintf(buf, sizeof(buf), "%lld", e->ival);
    return (size_t)n == len && memcmp(buf, s, len) == 0;
}

static void model_insert(Model *m, size_t at, const char *s, size_t len) {
    memmove(&m->items[at + 1], &m->items[at], (m->count - at) * sizeof(char *));
    memmove(&m->lens[at + 1], &m->lens[at], (m->count - at) * sizeof(size_t));
    m->items[at] = malloc(len + 1);
    memcpy(m->items[at], s, len);
    m->lens[at] = len;
    m->count++;
}

static void model_delete(Model *m, size_t at, size_t n) {
    for (size_t i = 0; i < n; i++) free(m->items[at + i]);
    memmove(&m->items[at], &m->items[at + n], (m->count - at - n) * sizeof(char *));
    memmove(&m->lens[at], &m->lens[at + n], (m->count - at - n) * sizeof(size_t));
    m->count -= n;
}

static void model_clear(Model *m) {
    model_delete(m, 0, m->count);
}

static char big_buf[20000];

static const char *random_element(size_t *len) {
    static char buf[64];
    switch (rand() % 8) {
    case 0: *len = (size_t)snprintf(buf, sizeof(buf), "%d", rand() % 1000); return buf;
    case 1: *len = (size_t)snprintf(buf, sizeof(buf), "v%d", rand() % 100000); return buf;
    case 2: *len = 5000 + (size_t)(rand() % 3000); return big_buf; /* plain under -1 */
    case 3: *len = 300; return big_buf + rand() % 100;
    default: *len = (size_t)snprintf(buf, sizeof(buf), "elem-%d-xxxxxxxxxxxxxxxx", rand() % 50); return buf;
    }
}

static void check_against_model(Quicklist *ql, const Model *m) {
    CHECK_EQ_INT(m->count, ql->count);
    unsigned long nodes = 0, sum = 0;
    for (QlNode *n = ql->head; n; n = n->next) {
        nodes++;
        sum += n->count;
        CHECK(n->count > 0);
        CHECK(n->next == NULL || n->next->prev == n);
    }
    CHECK_EQ_INT(ql->len, nodes);
    CHECK_EQ_INT(ql->count, sum);
    QlIter it;
    QlEntry e;
    size_t i = 0;
    ql_iter_init(&it, ql, true);
    while (ql_iter_next(&it, &e)) {
        CHECK(i < m->count);
        CHECK(entry_equals(&e, m->items[i], m->lens[i]));
        i++;
    }
    ql_iter_release(&it);
    CHECK_EQ_INT(m->count, i);
    ql_iter_init(&it, ql, false);
    while (ql_iter_next(&it, &e)) {
        CHECK(i > 0);
        i--;
        CHECK(entry_equals(&e, m->items[i], m->lens[i]));
    }
    ql_iter_release(&it);
    CHECK_EQ_INT(0, i);
}

static void random_ops(int fill, int compress, unsigned seed) {
    srand(seed);
    for (size_t i = 0; i < sizeof(big_buf); i++) big_buf[i] = (char)('a' + (i * 7 + i / 13) % 26);
    Model *m = calloc(1, sizeof(*m));
    Quicklist *ql = ql_create(fill, compress);
    for (int round = 0; round < 6000; round++) {
        size_t len;
        const char *s;
        int op = rand() % 10;
        if (m->count >= MODEL_MAX - 50) op = 8;
        if (m->count == 0) op = 0;
        size_t idx = m->count ? (size_t)rand() % m->count : 0;
        switch (op) {
        case 0:
        case 1:
        case 2: {
            int where = rand() % 2 ? QL_HEAD : QL_TAIL;
            s = random_element(&len);
            ql_push(ql, where, (const unsigned char *)s, len);
            model_insert(m, where == QL_HEAD ? 0 : m->count, s, len);
            break;
        }
        case 3: {
            int where = rand() % 2 ? QL_HEAD : QL_TAIL;
            QlEntry e;
            CHECK(ql_peek(ql, where, &e));
            size_t at = where == QL_HEAD ? 0 : m->count - 1;
            CHECK(entry_equals(&e, m->items[at], m->lens[at]));
            ql_pop_discard(ql, where);
            model_delete(m, at, 1);
            break;
        }
        case 4: { /* LINSERT-like */
            bool after = rand() % 2;
            QlIter it;
            QlEntry e;
            CHECK(ql_iter_init_at(&it, ql, true, (long)idx));
            CHECK(ql_iter_next(&it, &e));
            s = random_element(&len);
            ql_iter_insert(&it, &e, after, (const unsigned char *)s, len);
            ql_iter_release(&it);
            model_insert(m, after ? idx + 1 : idx, s, len);
            break;
        }
        case 5: /* LSET-like */
            s = random_element(&len);
            ql_replace_at(ql, rand() % 2 ? (long)idx : (long)idx - (long)m->count,
                          (const unsigned char *)s, len);
            free(m->items[idx]);
            m->items[idx] = malloc(len + 1);
            memcpy(m->items[idx], s, len);
            m->lens[idx] = len;
            break;
        case 6: { /* LTRIM-like */
            size_t n = (size_t)rand() % 20;
            if (n > m->count - idx) n = m->count - idx;
            ql_delete_range(ql, (long)idx, n);
            model_delete(m, idx, n);
            break;
        }
        case 7: { /* LREM-like: delete every element equal to the one at idx */
            bool forward = rand() % 2;
            size_t tlen = m->lens[idx];
            char *target = malloc(tlen + 1);
            memcpy(target, m->items[idx], tlen);
            QlIter it;
            QlEntry e;
            ql_iter_init(&it, ql, forward);
            while (ql_iter_next(&it, &e))
                if (entry_equals(&e, target, tlen)) ql_iter_delete(&it, &e);
            ql_iter_release(&it);
            for (size_t i = m->count; i-- > 0;)
                if (m->lens[i] == tlen && memcmp(m->items[i], target, tlen) == 0) model_delete(m, i, 1);
            free(target);
            break;
        }
        case 8: { /* pops in bulk */
            size_t n = (size_t)rand() % 50;
            for (size_t i = 0; i < n && m->count; i++) {
                ql_pop_discard(ql, QL_HEAD);
                model_delete(m, 0, 1);
            }
            break;
        }
        default: /* push many, to build long lists */
            for (int i = 0; i < 40; i++) {
                char buf[32];
                len = (size_t)snprintf(buf, sizeof(buf), "%d", rand());
                ql_push(ql, QL_TAIL, (const unsigned char *)buf, len);
                model_insert(m, m->count, buf, len);
            }
            break;
        }
        if (getenv("QLDBG")) fprintf(stderr, "op %d idx %zu\n", op, idx);
        if (round % 500 == 0 || getenv("QLDBG")) check_against_model(ql, m);
    }
    check_against_model(ql, m);
    Quicklist *copy = ql_dup(ql);
    check_against_model(copy, m);
    ql_destroy(copy);
    ql_destroy(ql);
    model_clear(m);
    free(m);
}

TEST(ql_random_ops_count_fill) {
    random_ops(128, 0, 1);
}
TEST(ql_random_ops_small_count_fill) {
    random_ops(3, 0, 2);
}
TEST(ql_random_ops_byte_fill) {
    random_ops(-2, 0, 3);
}
TEST(ql_random_ops_smallest_byte_fill) {
    random_ops(-1, 0, 4);
}
TEST(ql_random_ops_compressed_depth_1) {
    random_ops(-2, 1, 5);
}
TEST(ql_random_ops_compressed_depth_2_small_nodes) {
    random_ops(4, 2, 6);
}

TEST(ql_compression_round_trip) {
    Quicklist *ql = ql_create(16, 1);
    char buf[64];
    for (int i = 0; i < 2000; i++) {
        int n = snprintf(buf, sizeof(buf), "compressible-element-%08d-aaaaaaaaaaaaaaa", i % 50);
        ql_push(ql, QL_TAIL, (const unsigned char *)buf, (size_t)n);
    }
    CHECK(ql->len > 100);
    CHECK(!ql->head->compressed);
    CHECK(!ql->tail->compressed);
    unsigned long compressed = 0;
    for (QlNode *n = ql->head->next; n != ql->tail; n = n->next) compressed += n->compressed;
    CHECK_EQ_INT(ql->len - 2, compressed);
    /* Reading through decompresses and recompresses as it goes. */
    QlIter it;
    QlEntry e;
    int i = 0;
    ql_iter_init(&it, ql, true);
    while (ql_iter_next(&it, &e)) {
        int n = snprintf(buf, sizeof(buf), "compressible-element-%08d-aaaaaaaaaaaaaaa", i % 50);
        CHECK(entry_equals(&e, buf, (size_t)n));
        i++;
    }
    ql_iter_release(&it);
    CHECK_EQ_INT(2000, i);
    compressed = 0;
    for (QlNode *n = ql->head->next; n != ql->tail; n = n->next) compressed += n->compressed;
    CHECK_EQ_INT(ql->len - 2, compressed);
    /* A replace in the middle keeps the data and the compression. */
    ql_replace_at(ql, 1000, (const unsigned char *)"middle", 6);
    CHECK(ql_iter_init_at(&it, ql, true, 1000));
    CHECK(ql_iter_next(&it, &e));
    CHECK(entry_equals(&e, "middle", 6));
    ql_iter_release(&it);
    ql_destroy(ql);
}

TEST(ql_plain_nodes_for_big_elements) {
    Quicklist *ql = ql_create(-1, 0);
    static char big[10000];
    memset(big, 'x', sizeof(big));
    ql_push(ql, QL_TAIL, (const unsigned char *)"a", 1);
    ql_push(ql, QL_TAIL, (const unsigned char *)big, sizeof(big));
    ql_push(ql, QL_TAIL, (const unsigned char *)"b", 1);
    CHECK_EQ_INT(3, ql->len);
    CHECK(ql->head->next->plain);
    QlEntry e;
    QlIter it;
    CHECK(ql_iter_init_at(&it, ql, true, 1));
    CHECK(ql_iter_next(&it, &e));
    CHECK_EQ_INT(sizeof(big), e.len);
    ql_iter_release(&it);
    ql_replace_at(ql, 1, (const unsigned char *)"small", 5);
    CHECK(ql_iter_init_at(&it, ql, true, 1));
    CHECK(ql_iter_next(&it, &e));
    CHECK(entry_equals(&e, "small", 5));
    ql_iter_release(&it);
    CHECK_EQ_INT(3, ql->count);
    ql_destroy(ql);
}

TEST(ql_limits) {
    CHECK(!ql_exceeds_limit(-2, 8192, 1000));
    CHECK(ql_exceeds_limit(-2, 8193, 1));
    CHECK(ql_exceeds_limit(-1, 4097, 1));
    CHECK(ql_exceeds_limit(-5, 65537, 1));
    CHECK(ql_exceeds_limit(-100, 65537, 1));
    CHECK(!ql_exceeds_limit(128, 100, 128));
    CHECK(ql_exceeds_limit(128, 100, 129));
    CHECK(ql_exceeds_limit(128, 8193, 2)); /* the safety limit */
    CHECK(ql_exceeds_limit(0, 10, 2));
}

TEST(ql_listpack_conversion) {
    unsigned char *lp = lp_new(0);
    for (int i = 0; i < 10; i++) lp = lp_append_int(lp, i);
    Quicklist *ql = ql_create_from_listpack(-2, 0, lp);
    CHECK_EQ_INT(10, ql->count);
    ql_push(ql, QL_HEAD, (const unsigned char *)"x", 1);
    unsigned char *back = ql_take_listpack(ql);
    CHECK(back != NULL);
    CHECK_EQ_INT(11, lp_length(back));
    CHECK(lp_equals(lp_first(back), (const unsigned char *)"x", 1));
    lp_free(back);
    ql = ql_create(2, 0);
    for (int i = 0; i < 5; i++) ql_push(ql, QL_TAIL, (const unsigned char *)"y", 1);
    CHECK(ql_take_listpack(ql) == NULL);
    CHECK(ql_memory(ql, 0) > 0);
    ql_destroy(ql);
}
