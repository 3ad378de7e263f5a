/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/script_shebang.c: the "#!lua ..." first line of EVAL scripts
 * (flags=...) and of function libraries (name=...), with Valkey's errors.
 *
 * Threads: main only.
 */
#include <string.h>
#include <strings.h>

#include "script/script.h"

static const struct {
    const char *name;
    unsigned flag;
} flag_table[] = {
    {"no-writes", SCRIPT_FLAG_NO_WRITES},         {"allow-oom", SCRIPT_FLAG_ALLOW_OOM},
    {"allow-stale", SCRIPT_FLAG_ALLOW_STALE},     {"no-cluster", SCRIPT_FLAG_NO_CLUSTER},
    {"allow-cross-slot-keys", SCRIPT_FLAG_ALLOW_CROSS_SLOT},
};

unsigned script_flag_by_name(const char *name, size_t len) {
    for (size_t i = 0; i < sizeof(flag_table) / sizeof(flag_table[0]); i++)
        if (strlen(flag_table[i].name) == len &&
            memcmp(flag_table[i].name, name, len) == 0)
            return flag_table[i].flag;
    return 0;
}

int script_flag_names(unsigned flags, const char **names) {
    int count = 0;
    for (size_t i = 0; i < sizeof(flag_table) / sizeof(flag_table[0]); i++)
        if (flags & flag_table[i].flag) names[count++] = flag_table[i].name;
    return count;
}

/* Splits line into space-separated words (at most max); returns the count. */
static int split_words(const char *line, size_t len, const char **starts, size_t *lens, int max) {
    int count = 0;
    size_t i = 0;
    while (i < len && count < max) {
        while (i < len && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) i++;
        if (i == len) break;
        size_t start = i;
        while (i < len && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') i++;
        starts[count] = line + start;
        lens[count++] = i - start;
    }
    return count;
}

/* "flags=a,b": ORs each flag into *flags; -1 with *err for an unknown one. */
static int parse_flags_word(const char *value, size_t len, unsigned *flags, sds *err) {
    if (len == 0) return 0;
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && value[i] != ',') continue;
        unsigned flag = script_flag_by_name(value + start, i - start);
        if (flag == 0) {
            *err = sds_cat_printf(sds_empty(), "Unexpected flag in script shebang: %.*s",
                                  (int)(i - start), value + start);
            return -1;
        }
        *flags |= flag;
        start = i + 1;
    }
    return 0;
}

static int parse_script_line(const char **words, size_t *lens, int count, unsigned *flags,
                             sds *err) {
    if (count == 0) {
        *err = sds_new("Invalid engine in script shebang");
        return -1;
    }
    if (lens[0] != 5 || memcmp(words[0], "#!lua", 5) != 0) {
        *err = sds_cat_printf(sds_empty(), "Unexpected engine in script shebang: %.*s",
                              (int)lens[0], words[0]);
        return -1;
    }
    for (int i = 1; i < count; i++) {
        if (lens[i] >= 6 && memcmp(words[i], "flags=", 6) == 0) {
            if (parse_flags_word(words[i] + 6, lens[i] - 6, flags, err) != 0) return -1;
            continue;
        }
        *err = sds_cat_printf(sds_empty(), "Unknown lua shebang option: %.*s", (int)lens[i],
                              words[i]);
        return -1;
    }
    return 0;
}

static int parse_library_line(const char **words, size_t *lens, int count, sds *name, sds *err) {
    if (count == 0) {
        *err = sds_new("Invalid library metadata");
        return -1;
    }
    if (lens[0] != 5 || strncasecmp(words[0], "#!lua", 5) != 0) {
        *err = sds_cat_printf(sds_empty(), "Engine '%.*s' not found", (int)lens[0] - 2,
                              words[0] + 2);
        return -1;
    }
    for (int i = 1; i < count; i++) {
        if (lens[i] >= 5 && strncasecmp(words[i], "name=", 5) == 0) {
            if (*name) {
                *err = sds_new("Invalid metadata value, name argument was given multiple times");
                return -1;
            }
            *name = sds_new_len(words[i] + 5, lens[i] - 5);
            continue;
        }
        *err = sds_cat_printf(sds_empty(), "Invalid metadata value given: %.*s", (int)lens[i],
                              words[i]);
        return -1;
    }
    if (*name == NULL) {
        *err = sds_new("Library name was not given");
        return -1;
    }
    return 0;
}

int script_parse_shebang(const char *body, size_t len, bool library, size_t *skip,
                         unsigned *flags, sds *name, sds *err) {
    *skip = 0;
    if (len < 2 || body[0] != '#' || body[1] != '!') {
        if (library) {
            *err = sds_new("Missing library metadata");
            return -1;
        }
        *flags = SCRIPT_FLAG_EVAL_COMPAT;
        return 0;
    }
    const char *end = memchr(body, '\n', len);
    if (end == NULL) {
        *err = sds_new(library ? "Invalid library metadata" : "Invalid script shebang");
        return -1;
    }
    const char *words[64];
    size_t lens[64];
    int count = split_words(body, (size_t)(end - body), words, lens, 64);
    *flags = 0;
    *skip = (size_t)(end - body); /* the '\n' stays: line numbers are kept */
    if (library) return parse_library_line(words, lens, count, name, err);
    return parse_script_line(words, lens, count, flags, err);
}
