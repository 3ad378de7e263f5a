/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/string_internal.h: what the string command files share: Valkey's
 * error texts, the SET/GETEX option parser and expire conversion
 * (types/string_args.c).
 *
 * Threads: main only.
 */
#ifndef KEEL_TYPES_STRING_INTERNAL_H
#define KEEL_TYPES_STRING_INTERNAL_H

#include <stdbool.h>

#include "db/object.h"
#include "net/client.h"

#define ERR_WRONGTYPE "-WRONGTYPE Operation against a key holding the wrong kind of value"
#define ERR_NOT_INTEGER "value is not an integer or out of range"
#define ERR_NOT_FLOAT "value is not a valid float"
#define ERR_STRING_TOO_LONG "string exceeds maximum allowed size (proto-max-bulk-len)"

/* Options of SET and GETEX, as parsed by string_parse_options. */
#define STR_OPT_NX (1 << 0)
#define STR_OPT_XX (1 << 1)
#define STR_OPT_IFEQ (1 << 2)
#define STR_OPT_GET (1 << 3)
#define STR_OPT_KEEPTTL (1 << 4)
#define STR_OPT_PERSIST (1 << 5)
#define STR_OPT_EX (1 << 6)   /* relative, seconds */
#define STR_OPT_PX (1 << 7)   /* relative, milliseconds */
#define STR_OPT_EXAT (1 << 8) /* unix time, seconds */
#define STR_OPT_PXAT (1 << 9) /* unix time, milliseconds */
#define STR_OPT_ANY_EXPIRE (STR_OPT_EX | STR_OPT_PX | STR_OPT_EXAT | STR_OPT_PXAT)

typedef enum StringOptionsFor {
    STRING_OPTIONS_SET,   /* NX XX IFEQ GET KEEPTTL EX PX EXAT PXAT */
    STRING_OPTIONS_GETEX, /* PERSIST EX PX EXAT PXAT */
} StringOptionsFor;

typedef struct StringOptions {
    int flags;       /* STR_OPT_* */
    Obj *expire_arg; /* the argument after EX/PX/EXAT/PXAT (borrowed from argv), or NULL */
    Obj *comparison; /* the argument after IFEQ (borrowed from argv), or NULL */
} StringOptions;

/* Parses c->argv[first..] as options of SET or GETEX, with Valkey's rules
 * for which combinations are allowed. Returns 0, or -1 after replying
 * "-ERR syntax error". */
int string_parse_options(Client *c, int first, StringOptionsFor kind, StringOptions *opts);

/* Converts an expire argument (unit and base from flags: STR_OPT_EX, _PX,
 * _EXAT or _PXAT) to a unix time in ms. Returns 0, or -1 after replying the
 * integer error or "-ERR invalid expire time in '<cmd>' command" (zero,
 * negative or overflowing). */
int string_expire_to_ms(Client *c, const Obj *arg, int flags, long long *when_ms);

/* Parses a command argument as a long long (Valkey's strict rules). Returns
 * 0, or -1 after replying "-ERR value is not an integer or out of range". */
int string_arg_ll(Client *c, const Obj *arg, long long *value);

/* True if the argument equals word, ignoring ASCII case. */
bool string_arg_is(const Obj *arg, const char *word, size_t word_len);

/* Replies with the WRONGTYPE error and returns true if o is not a string. */
bool string_reply_if_wrongtype(Client *c, const Obj *o);

/* Returns 0 when a string of size + append bytes is allowed, else replies
 * the proto-max-bulk-len error and returns -1. */
int string_check_length(Client *c, long long size, long long append);

#endif
