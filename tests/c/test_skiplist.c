/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_skiplist.c: the sorted set skiplist (ds/skiplist.c): ranks,
 * score and lex ranges, range deletes, in-place score updates, and random
 * operations checked against a naive model (a sorted array).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ds/skiplist.h"
#include "test.h"

/* ---- the model: a sorted array of (score, member) ---- */

typedef struct ModelItem {
    double score;
    char member[16];
} ModelItem;

typedef struct Model {
    ModelItem items[2048];
    int count;
} Model;

static int model_cmp(const void *a, const void *b) {
    const ModelItem *x = a, *y = b;
    if (x->score != y->score) return x->score < y->score ? -1 : 1;
    return zsl_member_compare(x->member, strlen(x->member), y->member, strlen(y->member));
}

static int model_find(const Model *m, const char *member) {
    for (int i = 0; i < m->count; i++)
        if (strcmp(m->items[i].member, member) == 0) return i;
    return -1;
}

static void model_sort(Model *m) {
    qsort(m->items, (size_t)m->count, sizeof(ModelItem), model_cmp);
}

/* Checks the whole skiplist against the model: order, spans (via rank and
 * by-rank lookups), backward links and tail. */
static void check_against_model(const Zsl *zsl, const Model *m) {
    CHECK_EQ_INT(m->count, zsl->length);
    const ZslNode *x = zsl->header->level[0].forward;
    const ZslNode *prev = NULL;
    for (int i = 0; i < m->count; i++) {
        CHECK(x != NULL);
        CHECK(x->score == m->items[i].score);
        CHECK_EQ_STR(m->items[i].member, zsl_node_member(x, NULL));
        CHECK(x->backward == prev);
        const char *mem = m->items[i].member;
        CHECK_EQ_INT(i + 1, zsl_rank(zsl, x->score, mem, strlen(mem)));
        CHECK(zsl_node_by_rank(zsl, (unsigned long)i + 1) == x);
        prev = x;
        x = x->level[0].forward;
    }
    CHECK(x == NULL);
    CHECK(zsl->tail == prev);
}

static ZslNode *insert(Zsl *zsl, double score, const char *member) {
    return zsl_insert(zsl, score, member, strlen(member));
}

TEST(skiplist_ranks_and_order) {
    Zsl zsl;
    zsl_init(&zsl);
    insert(&zsl, 2, "b");
    insert(&zsl, 1, "z");
    insert(&zsl, 2, "a");
    insert(&zsl, 3, "c");
    CHECK_EQ_INT(4, zsl.length);
    CHECK_EQ_INT(1, zsl_rank(&zsl, 1, "z", 1));
    CHECK_EQ_INT(2, zsl_rank(&zsl, 2, "a", 1));
    CHECK_EQ_INT(3, zsl_rank(&zsl, 2, "b", 1));
    CHECK_EQ_INT(4, zsl_rank(&zsl, 3, "c", 1));
    CHECK_EQ_INT(0, zsl_rank(&zsl, 3, "x", 1));
    CHECK_EQ_INT(0, zsl_rank(&zsl, 5, "c", 1));
    CHECK_EQ_STR("b", zsl_node_member(zsl_node_by_rank(&zsl, 3), NULL));
    CHECK(zsl_node_by_rank(&zsl, 0) == NULL);
    CHECK(zsl_node_by_rank(&zsl, 5) == NULL);
    CHECK(zsl_delete(&zsl, 2, "a", 1, NULL));
    CHECK(!zsl_delete(&zsl, 2, "a", 1, NULL));
    CHECK(!zsl_delete(&zsl, 9, "b", 1, NULL));
    CHECK_EQ_INT(2, zsl_rank(&zsl, 2, "b", 1));
    zsl_deinit(&zsl);
}

TEST(skiplist_member_bytes_order_and_binary) {
    Zsl zsl;
    zsl_init(&zsl);
    zsl_insert(&zsl, 0, "a\0b", 3);
    zsl_insert(&zsl, 0, "a", 1);
    zsl_insert(&zsl, 0, "", 0);
    zsl_insert(&zsl, 0, "\xff", 1);
    CHECK_EQ_INT(1, zsl_rank(&zsl, 0, "", 0));
    CHECK_EQ_INT(2, zsl_rank(&zsl, 0, "a", 1));
    CHECK_EQ_INT(3, zsl_rank(&zsl, 0, "a\0b", 3));
    CHECK_EQ_INT(4, zsl_rank(&zsl, 0, "\xff", 1));
    size_t len;
    zsl_node_member(zsl_node_by_rank(&zsl, 3), &len);
    CHECK_EQ_INT(3, len);
    zsl_deinit(&zsl);
}

TEST(skiplist_score_ranges) {
    Zsl zsl;
    zsl_init(&zsl);
    for (int i = 1; i <= 10; i++) {
        char m[8];
        snprintf(m, sizeof(m), "m%d", i);
        insert(&zsl, i, m);
    }
    ZslRange r = {.min = 3, .max = 6};
    CHECK(zsl_first_in_range(&zsl, &r)->score == 3);
    CHECK(zsl_last_in_range(&zsl, &r)->score == 6);
    r.minex = r.maxex = true;
    CHECK(zsl_first_in_range(&zsl, &r)->score == 4);
    CHECK(zsl_last_in_range(&zsl, &r)->score == 5);
    ZslRange none = {.min = 11, .max = 20};
    CHECK(zsl_first_in_range(&zsl, &none) == NULL);
    CHECK(zsl_last_in_range(&zsl, &none) == NULL);
    ZslRange gap = {.min = 3.2, .max = 3.8};
    CHECK(zsl_first_in_range(&zsl, &gap) == NULL);
    CHECK(zsl_last_in_range(&zsl, &gap) == NULL);
    ZslRange empty = {.min = 5, .max = 5, .minex = true};
    CHECK(zsl_range_is_empty(&empty));
    CHECK(zsl_first_in_range(&zsl, &empty) == NULL);
    ZslRange all = {.min = -__builtin_inf(), .max = __builtin_inf()};
    CHECK(zsl_first_in_range(&zsl, &all)->score == 1);
    CHECK(zsl_last_in_range(&zsl, &all)->score == 10);
    ZslRange del = {.min = 2, .max = 4, .maxex = true};
    CHECK_EQ_INT(2, zsl_delete_range_by_score(&zsl, &del, NULL, NULL));
    CHECK_EQ_INT(8, zsl.length);
    CHECK_EQ_INT(2, zsl_rank(&zsl, 4, "m4", 2));
    zsl_deinit(&zsl);
}

TEST(skiplist_lex_ranges) {
    Zsl zsl;
    zsl_init(&zsl);
    const char *members[] = {"a", "b", "c", "d", "e"};
    for (int i = 0; i < 5; i++) insert(&zsl, 0, members[i]);
    ZslLexRange r = {.min = "b",
                     .minlen = 1,
                     .minkind = ZSL_LEX_INCLUSIVE,
                     .max = "d",
                     .maxlen = 1,
                     .maxkind = ZSL_LEX_EXCLUSIVE};
    CHECK_EQ_STR("b", zsl_node_member(zsl_first_in_lex_range(&zsl, &r), NULL));
    CHECK_EQ_STR("c", zsl_node_member(zsl_last_in_lex_range(&zsl, &r), NULL));
    ZslLexRange all = {.minkind = ZSL_LEX_MIN, .maxkind = ZSL_LEX_MAX};
    CHECK_EQ_STR("a", zsl_node_member(zsl_first_in_lex_range(&zsl, &all), NULL));
    CHECK_EQ_STR("e", zsl_node_member(zsl_last_in_lex_range(&zsl, &all), NULL));
    ZslLexRange bad = {.minkind = ZSL_LEX_MAX, .maxkind = ZSL_LEX_MIN};
    CHECK(zsl_lex_range_is_empty(&bad));
    CHECK(zsl_first_in_lex_range(&zsl, &bad) == NULL);
    ZslLexRange same = {.min = "c",
                        .minlen = 1,
                        .minkind = ZSL_LEX_EXCLUSIVE,
                        .max = "c",
                        .maxlen = 1,
                        .maxkind = ZSL_LEX_INCLUSIVE};
    CHECK(zsl_lex_range_is_empty(&same));
    CHECK_EQ_INT(2, zsl_delete_range_by_lex(&zsl, &r, NULL, NULL));
    CHECK_EQ_INT(3, zsl.length);
    CHECK_EQ_INT(2, zsl_rank(&zsl, 0, "d", 1));
    zsl_deinit(&zsl);
}

static int deleted_count;
static void count_deleted(void *ctx, ZslNode *node) {
    (void)node;
    (*(int *)ctx)++;
    deleted_count++;
}

TEST(skiplist_delete_by_rank_calls_back) {
    Zsl zsl;
    zsl_init(&zsl);
    for (int i = 0; i < 100; i++) {
        char m[8];
        snprintf(m, sizeof(m), "%03d", i);
        insert(&zsl, i, m);
    }
    int calls = 0;
    CHECK_EQ_INT(10, zsl_delete_range_by_rank(&zsl, 11, 20, count_deleted, &calls));
    CHECK_EQ_INT(10, calls);
    CHECK_EQ_INT(90, zsl.length);
    CHECK_EQ_INT(11, zsl_rank(&zsl, 20, "020", 3));
    CHECK_EQ_INT(0, zsl_delete_range_by_rank(&zsl, 91, 95, NULL, NULL));
    CHECK_EQ_INT(5, zsl_delete_range_by_rank(&zsl, 86, 200, NULL, NULL));
    CHECK_EQ_INT(85, zsl.length);
    zsl_deinit(&zsl);
}

TEST(skiplist_update_score_keeps_node) {
    Zsl zsl;
    zsl_init(&zsl);
    ZslNode *a = insert(&zsl, 1, "a");
    insert(&zsl, 2, "b");
    insert(&zsl, 3, "c");
    zsl_update_score(&zsl, a, 1.5); /* same place */
    CHECK(a->score == 1.5);
    CHECK_EQ_INT(1, zsl_rank(&zsl, 1.5, "a", 1));
    zsl_update_score(&zsl, a, 10); /* moves to the end */
    CHECK(zsl.tail == a);
    CHECK_EQ_INT(3, zsl_rank(&zsl, 10, "a", 1));
    CHECK_EQ_INT(1, zsl_rank(&zsl, 2, "b", 1));
    zsl_update_score(&zsl, a, 2); /* tie with b: member order decides */
    CHECK_EQ_INT(1, zsl_rank(&zsl, 2, "a", 1));
    CHECK_EQ_INT(2, zsl_rank(&zsl, 2, "b", 1));
    zsl_deinit(&zsl);
}

/* Random inserts, deletes, score updates and range deletes, the skiplist
 * checked against the model after every step. */
TEST(skiplist_random_against_model) {
    static Model m;
    m.count = 0;
    Zsl zsl;
    zsl_init(&zsl);
    srand(12345);
    ZslNode *nodes[400] = {0};
    for (int step = 0; step < 3000; step++) {
        int op = rand() % 10;
        int id = rand() % 400;
        char member[16];
        snprintf(member, sizeof(member), "k%d", id);
        double score = (double)(rand() % 50) / 2;
        int at = model_find(&m, member);
        if (op < 5 && at < 0) {
            nodes[id] = insert(&zsl, score, member);
            m.items[m.count].score = score;
            strcpy(m.items[m.count].member, member);
            m.count++;
        } else if (op < 7 && at >= 0) {
            CHECK(zsl_delete(&zsl, m.items[at].score, member, strlen(member), NULL));
            m.items[at] = m.items[--m.count];
            nodes[id] = NULL;
        } else if (op < 9 && at >= 0) {
            zsl_update_score(&zsl, nodes[id], score);
            m.items[at].score = score;
        } else if (op == 9 && step % 7 == 0) {
            ZslRange r = {.min = score, .max = score + 1, .minex = rand() % 2, .maxex = rand() % 2};
            int expected = 0;
            for (int i = 0; i < m.count;) {
                if (zsl_score_gte_min(m.items[i].score, &r) &&
                    zsl_score_lte_max(m.items[i].score, &r)) {
                    nodes[atoi(m.items[i].member + 1)] = NULL;
                    m.items[i] = m.items[--m.count];
                    expected++;
                } else {
                    i++;
                }
            }
            CHECK_EQ_INT(expected, zsl_delete_range_by_score(&zsl, &r, NULL, NULL));
        }
        model_sort(&m);
        if (step % 10 == 0) check_against_model(&zsl, &m);
    }
    check_against_model(&zsl, &m);
    zsl_deinit(&zsl);
}
