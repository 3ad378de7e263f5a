/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/string_args.c: argument parsing shared by the string commands: the
 * option words of SET and GETEX, expire times, integers, and the checks
 * whose error texts clients match on.
 *
 * The option rules are Valkey's, quirks included: a word may repeat when it
 * does not conflict with itself (SET k v NX NX, EX 1 EX 2: the last wins),
 * but two different expire forms, or an expire with KEEPTTL/PERSIST, are a
 * syntax error; IFEQ excludes NX, XX and a second IFEQ.
 *
 * Threads: main only.
 */
#include "types/string_internal.h"

#include <limits.h>
#include <strings.h>

#include "cmd/command.h"
#include "db/db.h"
#include "ds/strnum.h"
#include "net/reply.h"

bool string_arg_is(const Obj *arg, const char *word, size_t word_len) {
    return obj_string_len(arg) == word_len && strncasecmp(arg->ptr, word, word_len) == 0;
}

int string_arg_ll(Client *c, const Obj *arg, long long *value) {
    if (strnum_to_ll(arg->ptr, obj_string_len(arg), value) == 0) return 0;
    reply_error(c, ERR_NOT_INTEGER);
    return -1;
}

bool string_reply_if_wrongtype(Client *c, const Obj *o) {
    if (o->type == OBJ_STRING) return false;
    reply_error(c, ERR_WRONGTYPE);
    return true;
}

int string_check_length(Client *c, long long size, long long append) {
    /* Unsigned addition: two huge operands must not wrap to a small total. */
    unsigned long long total = (unsigned long long)size + (unsigned long long)append;
    if (total > (unsigned long long)cfg_proto_max_bulk_len) {
        reply_error(c, ERR_STRING_TOO_LONG);
        return -1;
    }
    return 0;
}

/* The option word at argv[j] as one STR_OPT_* flag, or 0 if it is none. */
static int option_flag(const Obj *arg) {
    static const struct {
        const char *word;
        size_t len;
        int flag;
    } words[] = {
        {"NX", 2, STR_OPT_NX},       {"XX", 2, STR_OPT_XX},           {"EX", 2, STR_OPT_EX},
        {"PX", 2, STR_OPT_PX},       {"GET", 3, STR_OPT_GET},         {"EXAT", 4, STR_OPT_EXAT},
        {"PXAT", 4, STR_OPT_PXAT},   {"IFEQ", 4, STR_OPT_IFEQ},       {"KEEPTTL", 7, STR_OPT_KEEPTTL},
        {"PERSIST", 7, STR_OPT_PERSIST},
    };
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        if (string_arg_is(arg, words[i].word, words[i].len)) return words[i].flag;
    return 0;
}

/* Flags that must not have been seen before each option. */
static int option_conflicts(int flag) {
    switch (flag) {
    case STR_OPT_NX: return STR_OPT_XX | STR_OPT_IFEQ;
    case STR_OPT_XX: return STR_OPT_NX | STR_OPT_IFEQ;
    case STR_OPT_IFEQ: return STR_OPT_NX | STR_OPT_XX | STR_OPT_IFEQ;
    case STR_OPT_GET: return 0;
    case STR_OPT_KEEPTTL: return STR_OPT_PERSIST | STR_OPT_ANY_EXPIRE;
    case STR_OPT_PERSIST: return STR_OPT_KEEPTTL | STR_OPT_ANY_EXPIRE;
    default: /* an expire form: the same form again is allowed */
        return STR_OPT_KEEPTTL | STR_OPT_PERSIST | (STR_OPT_ANY_EXPIRE & ~flag);
    }
}

int string_parse_options(Client *c, int first, StringOptionsFor kind, StringOptions *opts) {
    const int set_only = STR_OPT_NX | STR_OPT_XX | STR_OPT_IFEQ | STR_OPT_GET | STR_OPT_KEEPTTL;
    const int takes_value = STR_OPT_IFEQ | STR_OPT_ANY_EXPIRE;
    opts->flags = 0;
    opts->expire_arg = NULL;
    opts->comparison = NULL;
    for (int j = first; j < c->argc; j++) {
        int flag = option_flag(c->argv[j]);
        bool has_next = j + 1 < c->argc;
        if (flag == 0 || (opts->flags & option_conflicts(flag)) ||
            ((flag & takes_value) && !has_next) ||
            (kind == STRING_OPTIONS_SET && flag == STR_OPT_PERSIST) ||
            (kind == STRING_OPTIONS_GETEX && (flag & set_only))) {
            reply_error_syntax(c);
            return -1;
        }
        opts->flags |= flag;
        if (flag == STR_OPT_IFEQ) {
            opts->comparison = c->argv[++j];
        } else if (flag & STR_OPT_ANY_EXPIRE) {
            opts->expire_arg = c->argv[++j];
        }
    }
    return 0;
}

int string_expire_to_ms(Client *c, const Obj *arg, int flags, long long *when_ms) {
    long long value;
    if (string_arg_ll(c, arg, &value) != 0) return -1;
    bool in_seconds = (flags & (STR_OPT_EX | STR_OPT_EXAT)) != 0;
    if (value <= 0 || (in_seconds && value > LLONG_MAX / 1000)) goto invalid;
    if (in_seconds) value *= 1000;
    if (flags & (STR_OPT_EX | STR_OPT_PX)) {
        if (value > LLONG_MAX - db_now_ms) goto invalid; /* would overflow */
        value += db_now_ms;
    }
    *when_ms = value;
    return 0;

invalid:
    reply_error_format(c, "invalid expire time in '%s' command", cmd_full_name(c->cmd));
    return -1;
}
