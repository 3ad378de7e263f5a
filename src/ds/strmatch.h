/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ds/strmatch.h: glob-style pattern matching, as KEYS, SCAN MATCH,
 * PSUBSCRIBE and CONFIG GET use it.
 *
 * Patterns: '*' any run of bytes, '?' one byte, '[abc]' '[a-z]' '[^abc]' a
 * byte class, '\x' the byte x literally. The semantics, quirks included, are
 * Valkey's stringmatchlen: an unterminated class runs to the end of the
 * pattern, a reversed range '[z-a]' is swapped, '*' never matches an empty
 * subject on its own (callers special-case the lone "*"), and a match that
 * needs more than 1000 '*' groups fails. Case folding (nocase) is ASCII only.
 *
 * Threads: pure functions; any thread.
 */
#ifndef KEEL_DS_STRMATCH_H
#define KEEL_DS_STRMATCH_H

#include <stddef.h>

/* Returns 1 if string[0..string_len) matches pattern[0..pattern_len), else
 * 0. Both are binary-safe. Runs in O(pattern_len * string_len) time and
 * constant stack, whatever the pattern. */
int strmatch_len(const char *pattern, size_t pattern_len, const char *string, size_t string_len,
                 int nocase);

/* strmatch_len over NUL-terminated strings. */
int strmatch(const char *pattern, const char *string, int nocase);

#endif
