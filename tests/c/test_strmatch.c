/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_strmatch.c: glob matching (ds/strmatch.c) against fixed cases
 * checked with redis-server (KEYS / CONFIG GET), against a naive recursive
 * model on random inputs, and against hostile patterns that must finish fast
 * without deep recursion.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ds/strmatch.h"
#include "test.h"

/* ---- the model: plain recursion, one call per byte, no pruning ---- */

static int model_at(const char *p, size_t len, size_t i) {
    return i < len ? (unsigned char)p[i] : 0;
}

static int model_fold(int c) {
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

/* Returns the index after the class starting at p[i] == '[' and sets
 * *matched; same rules as the real one, written out separately. */
static size_t model_class(const char *p, size_t len, size_t i, char c, int nocase, int *matched) {
    i++;
    int negate = model_at(p, len, i) == '^';
    if (negate) i++;
    int match = 0;
    while (1) {
        if (model_at(p, len, i) == '\\' && i + 2 <= len) {
            i++;
            match |= p[i] == c;
            i++;
        } else if (model_at(p, len, i) == ']') {
            i++;
            break;
        } else if (i >= len) {
            break;
        } else if (i + 3 <= len && p[i + 1] == '-') {
            int a = (signed char)p[i], b = (signed char)p[i + 2], x = (signed char)c;
            if (a > b) {
                int t = a;
                a = b;
                b = t;
            }
            if (nocase) {
                a = model_fold(a);
                b = model_fold(b);
                x = model_fold(x);
            }
            match |= x >= a && x <= b;
            i += 3;
        } else {
            match |= nocase ? model_fold((unsigned char)p[i]) == model_fold((unsigned char)c)
                            : p[i] == c;
            i++;
        }
    }
    *matched = negate ? !match : match;
    return i;
}

/* Does p[pi..] match s[si..]? (The subject is non-empty on entry.) */
static int model_match(const char *p, size_t plen, size_t pi, const char *s, size_t slen, size_t si,
                       int nocase) {
    while (pi < plen && si < slen) {
        if (p[pi] == '*') {
            while (model_at(p, plen, pi + 1) == '*') pi++;
            if (pi + 1 == plen) return 1;
            for (size_t k = si; k < slen; k++)
                if (model_match(p, plen, pi + 1, s, slen, k, nocase)) return 1;
            return 0;
        }
        if (p[pi] == '?') {
            pi++;
        } else if (p[pi] == '[') {
            int matched;
            pi = model_class(p, plen, pi, s[si], nocase, &matched);
            if (!matched) return 0;
        } else {
            if (p[pi] == '\\' && pi + 2 <= plen) pi++;
            int eq = nocase ? model_fold((unsigned char)p[pi]) == model_fold((unsigned char)s[si])
                            : p[pi] == s[si];
            if (!eq) return 0;
            pi++;
        }
        si++;
        if (si == slen) {
            while (model_at(p, plen, pi) == '*') pi++;
            break;
        }
    }
    return pi >= plen && si == slen;
}

static int model(const char *p, size_t plen, const char *s, size_t slen, int nocase) {
    if (slen == 0) return plen == 0;
    return model_match(p, plen, 0, s, slen, 0, nocase);
}

static int m(const char *pattern, const char *string) {
    return strmatch(pattern, string, 0);
}

/* ---- fixed cases ---- */

TEST(strmatch_literals_and_wildcards) {
    CHECK_EQ_INT(1, m("hello", "hello"));
    CHECK_EQ_INT(0, m("hello", "hell"));
    CHECK_EQ_INT(0, m("hell", "hello"));
    CHECK_EQ_INT(1, m("h?llo", "hallo"));
    CHECK_EQ_INT(0, m("h?llo", "hllo"));
    CHECK_EQ_INT(1, m("h*llo", "hllo"));
    CHECK_EQ_INT(1, m("h*llo", "heeeello"));
    CHECK_EQ_INT(1, m("*", "anything"));
    CHECK_EQ_INT(1, m("**", "x"));
    CHECK_EQ_INT(1, m("a*", "a"));
    CHECK_EQ_INT(1, m("a**", "a"));
    CHECK_EQ_INT(1, m("*a", "a"));
    CHECK_EQ_INT(1, m("*a*b*", "xxaxxbxx"));
    CHECK_EQ_INT(0, m("*a*b*", "xxbxxaxx"));
    CHECK_EQ_INT(1, m("maxmemory*", "maxmemory-policy"));
    CHECK_EQ_INT(1, m("*policy", "maxmemory-policy"));
    CHECK_EQ_INT(0, m("?", "ab"));
    CHECK_EQ_INT(1, m("??", "ab"));
}

TEST(strmatch_empty_subject_and_pattern) {
    /* Valkey: an empty subject matches only the empty pattern. */
    CHECK_EQ_INT(1, m("", ""));
    CHECK_EQ_INT(0, m("*", ""));
    CHECK_EQ_INT(0, m("?", ""));
    CHECK_EQ_INT(0, m("", "a"));
}

TEST(strmatch_classes) {
    CHECK_EQ_INT(1, m("h[ae]llo", "hello"));
    CHECK_EQ_INT(1, m("h[ae]llo", "hallo"));
    CHECK_EQ_INT(0, m("h[ae]llo", "hillo"));
    CHECK_EQ_INT(1, m("h[^e]llo", "hallo"));
    CHECK_EQ_INT(0, m("h[^e]llo", "hello"));
    CHECK_EQ_INT(1, m("h[a-b]llo", "hbllo"));
    CHECK_EQ_INT(0, m("h[a-b]llo", "hcllo"));
    CHECK_EQ_INT(1, m("[z-a]", "m"));   /* reversed range is swapped */
    CHECK_EQ_INT(1, m("[\\]]", "]"));   /* escaped ']' inside a class */
    CHECK_EQ_INT(1, m("[a\\-z]", "-")); /* escaped '-' is a literal */
    CHECK_EQ_INT(0, m("[a\\-z]", "b"));
    CHECK_EQ_INT(1, m("[!a]", "!")); /* only '^' negates */
    CHECK_EQ_INT(0, m("[!a]", "b"));
    CHECK_EQ_INT(0, m("[", "["));   /* empty unterminated class: no match */
    CHECK_EQ_INT(1, m("[abc", "b")); /* unterminated: runs to the end */
    CHECK_EQ_INT(1, m("[^", "x"));
    CHECK_EQ_INT(0, m("[]", "]"));            /* "[]" is an empty class */
    CHECK_EQ_INT(1, m("[a-]", "_"));           /* 'a-]' is the range ']'..'a' */
}

TEST(strmatch_escapes) {
    CHECK_EQ_INT(1, m("\\*", "*"));
    CHECK_EQ_INT(0, m("\\*", "a"));
    CHECK_EQ_INT(1, m("a\\?b", "a?b"));
    CHECK_EQ_INT(0, m("a\\?b", "axb"));
    CHECK_EQ_INT(1, m("\\[x]", "[x]"));
    CHECK_EQ_INT(1, m("ab\\", "ab\\")); /* trailing backslash is literal */
}

TEST(strmatch_nocase) {
    CHECK_EQ_INT(1, strmatch("MAXMEM*", "maxmemory", 1));
    CHECK_EQ_INT(0, strmatch("MAXMEM*", "maxmemory", 0));
    CHECK_EQ_INT(1, strmatch("[A-C]x", "bX", 1));
    CHECK_EQ_INT(1, strmatch("[^A]", "b", 1));
    CHECK_EQ_INT(0, strmatch("[^A]", "a", 1));
    /* Inside a class, an escaped byte is compared exactly, as in Valkey. */
    CHECK_EQ_INT(0, strmatch("[\\A]", "a", 1));
}

TEST(strmatch_binary_safe) {
    const char pattern[] = {'a', '\0', '*', 'z'};
    const char yes[] = {'a', '\0', 'q', 'q', 'z'};
    const char no[] = {'a', 'x', 'q', 'z'};
    CHECK_EQ_INT(1, strmatch_len(pattern, sizeof(pattern), yes, sizeof(yes), 0));
    CHECK_EQ_INT(0, strmatch_len(pattern, sizeof(pattern), no, sizeof(no), 0));
    /* A pattern slice must not read past its length. */
    CHECK_EQ_INT(1, strmatch_len("abXXX", 2, "ab", 2, 0));
    CHECK_EQ_INT(1, strmatch_len("[abc]ZZZ", 4, "b", 1, 0));
}

/* ---- hostile patterns ---- */

TEST(strmatch_hostile_patterns_finish) {
    /* "a*a*a*...a*b" against "aaaa...": exponential for naive backtracking,
     * and 900 nested calls deep for a recursive matcher. */
    size_t groups = 900, n = 5000;
    char *pattern = malloc(groups * 2 + 2);
    char *subject = malloc(n + 1);
    for (size_t i = 0; i < groups; i++) {
        pattern[2 * i] = 'a';
        pattern[2 * i + 1] = '*';
    }
    pattern[2 * groups] = 'b';
    pattern[2 * groups + 1] = '\0';
    memset(subject, 'a', n);
    subject[n] = '\0';
    CHECK_EQ_INT(0, strmatch(pattern, subject, 0));
    subject[n - 1] = 'b';
    CHECK_EQ_INT(1, strmatch(pattern, subject, 0));
    subject[n - 1] = 'a';
    free(pattern);

    /* 100k stars in a row collapse to one. */
    size_t stars = 100000;
    char *many = malloc(stars + 2);
    memset(many, '*', stars);
    many[stars] = 'a';
    many[stars + 1] = '\0';
    CHECK_EQ_INT(1, strmatch(many, subject, 0));
    free(many);

    /* Long subject, several stars, no match. */
    CHECK_EQ_INT(0, strmatch("*a*a*a*a*a*a*a*a*a*a*c", subject, 0));
    free(subject);
}

TEST(strmatch_star_group_limit) {
    /* Valkey's recursion cap: a match needing more than 1000 '*' groups
     * fails; 1000 is still fine. */
    size_t groups = 1001;
    char *pattern = malloc(groups * 2 + 2);
    char *subject = malloc(groups + 2);
    for (size_t i = 0; i < groups; i++) {
        pattern[2 * i] = '*';
        pattern[2 * i + 1] = 'a';
        subject[i] = 'a';
    }
    pattern[groups * 2] = '\0';
    subject[groups] = '\0';
    CHECK_EQ_INT(0, strmatch(pattern, subject, 0));
    pattern[(groups - 1) * 2] = '\0'; /* 1000 groups */
    CHECK_EQ_INT(1, strmatch(pattern, subject, 0));
    /* A trailing '*' past the limit needs no recursion: matches. */
    pattern[(groups - 1) * 2] = '*';
    pattern[(groups - 1) * 2 + 1] = '\0';
    CHECK_EQ_INT(1, strmatch(pattern, subject, 0));
    free(pattern);
    free(subject);
}

/* ---- random inputs against the model ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static unsigned rnd(unsigned n) {
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (unsigned)(rng_state % n);
}

TEST(strmatch_random_against_model) {
    static const char pattern_bytes[] = "ab*?[]^-\\AB\x80\xff";
    static const char subject_bytes[] = "abAB-]^\\*?\x80\xff";
    char pattern[12], subject[10];
    for (int round = 0; round < 300000; round++) {
        size_t plen = rnd(sizeof(pattern));
        size_t slen = rnd(sizeof(subject));
        for (size_t i = 0; i < plen; i++)
            pattern[i] = pattern_bytes[rnd(sizeof(pattern_bytes) - 1)];
        for (size_t i = 0; i < slen; i++)
            subject[i] = subject_bytes[rnd(sizeof(subject_bytes) - 1)];
        int nocase = (int)rnd(2);
        int expected = model(pattern, plen, subject, slen, nocase);
        int actual = strmatch_len(pattern, plen, subject, slen, nocase);
        if (expected != actual)
            test_fail(__FILE__, __LINE__, "pattern '%.*s' subject '%.*s' nocase %d: model %d, got %d",
                      (int)plen, pattern, (int)slen, subject, nocase, expected, actual);
    }
}

TEST(strmatch_random_matching_subjects) {
    /* Subjects built from the pattern, so that matches are common too. */
    static const char literals[] = "abc";
    char pattern[16], subject[40];
    int matches = 0;
    for (int round = 0; round < 100000; round++) {
        size_t plen = 1 + rnd(sizeof(pattern) - 1), slen = 0;
        for (size_t i = 0; i < plen; i++) {
            unsigned kind = rnd(6);
            pattern[i] = kind == 0 ? '*' : kind == 1 ? '?' : literals[rnd(3)];
        }
        for (size_t i = 0; i < plen && slen + 4 < sizeof(subject); i++) {
            if (pattern[i] == '*') {
                for (unsigned k = rnd(4); k > 0; k--) subject[slen++] = literals[rnd(3)];
            } else {
                subject[slen++] = pattern[i] == '?' ? literals[rnd(3)] : pattern[i];
            }
        }
        if (rnd(4) == 0 && slen > 0) subject[rnd((unsigned)slen)] = 'x'; /* break it sometimes */
        int expected = model(pattern, plen, subject, slen, 0);
        matches += expected;
        CHECK_EQ_INT(expected, strmatch_len(pattern, plen, subject, slen, 0));
    }
    CHECK(matches > 10000);
}
