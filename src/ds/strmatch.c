/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/strmatch.c: glob matching with Valkey's stringmatchlen semantics, done
 * iteratively.
 *
 * The textbook recursive matcher recurses once per '*' and backtracks into
 * every earlier '*', which hostile patterns ("a*a*a*...b" against "aaaa...")
 * turn into deep recursion and exponential time. Here only the most recent
 * '*' is remembered: when the rest of the pattern fails at some position we
 * retry one byte further from that '*'. Earlier stars never need revisiting
 * (a longer match for them only moves the rest further right, where it was
 * already tried), which is the same pruning Valkey does with its
 * "skipLongerMatches" flag. The result: O(pattern * subject) time, constant
 * stack.
 *
 * Valkey's quirks are kept on purpose, because clients see them: an empty
 * subject matches only an empty pattern (even "*" fails), a class without
 * ']' extends to the end of the pattern, "a-" inside a class can form a
 * range with the following byte even if it is ']', range bounds are compared
 * as signed chars (as on x86), a '\' escape inside a class compares without
 * case folding, and a match that needs to go past more than 1000 '*' groups
 * fails (Valkey's recursion limit).
 *
 * Threads: pure functions; any thread.
 */
#include "ds/strmatch.h"

#include <stdint.h>
#include <string.h>

/* Valkey stops recursing past this many nested '*' groups; a match that
 * needs a deeper one fails. */
#define STRMATCH_MAX_STAR_GROUPS 1000

/* The byte at i, or 0 past the end (Valkey reads the terminating NUL). */
static inline int pattern_at(const char *pattern, size_t len, size_t i) {
    return i < len ? (unsigned char)pattern[i] : 0;
}

/* ASCII-only lower case, as tolower() in the C locale (high bytes kept). */
static inline int fold(int c) {
    return (c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c;
}

static inline int byte_equal(char a, char b, int nocase) {
    if (nocase) return fold((unsigned char)a) == fold((unsigned char)b);
    return a == b;
}

/* Matches the class whose '[' is at pattern[*pos] against byte c. Leaves
 * *pos on the class's last byte (the caller steps past it), which is the
 * last byte of the pattern when no ']' closes the class. */
static int class_match(const char *pattern, size_t len, size_t *pos, char c, int nocase) {
    size_t i = *pos + 1;
    int negate = pattern_at(pattern, len, i) == '^';
    if (negate) i++;
    int match = 0;
    /* Invariant: i <= len. */
    for (;;) {
        int here = pattern_at(pattern, len, i);
        if (here == '\\' && len - i >= 2) {
            i++;
            if (pattern[i] == c) match = 1; /* no folding here, as in Valkey */
        } else if (here == ']') {
            break;
        } else if (i >= len) {
            i--; /* unterminated: the class ends with the pattern */
            break;
        } else if (len - i >= 3 && pattern[i + 1] == '-') {
            int start = (signed char)pattern[i];
            int end = (signed char)pattern[i + 2];
            int subject = (signed char)c;
            if (start > end) {
                int swap = start;
                start = end;
                end = swap;
            }
            if (nocase) {
                start = fold(start);
                end = fold(end);
                subject = fold(subject);
            }
            if (subject >= start && subject <= end) match = 1;
            i += 2;
        } else if (byte_equal(pattern[i], c, nocase)) {
            match = 1;
        }
        i++;
    }
    *pos = i;
    return negate ? !match : match;
}

int strmatch_len(const char *pattern, size_t pattern_len, const char *string, size_t string_len,
                 int nocase) {
    if (string_len == 0) return pattern_len == 0;
    size_t p = 0, s = 0;
    /* The latest '*': where the rest of the pattern starts, the subject
     * position it is being tried at, and how many '*' groups precede it. */
    size_t star_p = SIZE_MAX, star_s = 0;
    int groups = 0, star_groups = 0;

    for (;;) {
        /* Here s < string_len. */
        int ok;
        if (p >= pattern_len) {
            ok = 0; /* pattern used up with subject left */
        } else if (pattern[p] == '*') {
            while (pattern_at(pattern, pattern_len, p + 1) == '*') p++;
            if (p + 1 == pattern_len) return 1; /* a trailing '*' takes the rest */
            if (++groups > STRMATCH_MAX_STAR_GROUPS) return 0;
            star_p = p + 1;
            star_s = s;
            star_groups = groups;
            p = star_p;
            continue;
        } else if (pattern[p] == '?') {
            ok = 1;
        } else if (pattern[p] == '[') {
            ok = class_match(pattern, pattern_len, &p, string[s], nocase);
        } else {
            if (pattern[p] == '\\' && pattern_len - p >= 2) p++;
            ok = byte_equal(pattern[p], string[s], nocase);
        }
        if (ok) {
            p++;
            s++;
            if (s < string_len) continue;
            /* Subject used up: only '*'s may remain in the pattern. */
            while (pattern_at(pattern, pattern_len, p) == '*') p++;
            if (p >= pattern_len) return 1;
        }
        /* Mismatch: retry the rest of the pattern one byte further along
         * from the latest '*'. Once that '*' has tried every position the
         * whole match fails; earlier stars could not do better. */
        if (star_p == SIZE_MAX || ++star_s >= string_len) return 0;
        s = star_s;
        p = star_p;
        groups = star_groups;
    }
}

int strmatch(const char *pattern, const char *string, int nocase) {
    return strmatch_len(pattern, strlen(pattern), string, strlen(string), nocase);
}
