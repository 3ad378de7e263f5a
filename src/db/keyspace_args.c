/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/keyspace_args.c: argument parsing the keyspace commands share: option
 * words, integers and database numbers, with Valkey's error texts.
 *
 * Threads: main only.
 */
#include "db/keyspace.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

#include "db/db.h"
#include "ds/strnum.h"
#include "net/reply.h"

bool ks_arg_is(const Obj *arg, const char *word) {
    size_t len = strlen(word);
    return obj_string_len(arg) == len && strncasecmp(arg->ptr, word, len) == 0;
}

int ks_arg_int(Client *c, const Obj *arg, int *value, const char *err) {
    long long number;
    if (strnum_to_ll(arg->ptr, obj_string_len(arg), &number) != 0) {
        reply_error(c, err ? err : KS_ERR_NOT_INTEGER);
        return -1;
    }
    if (number < INT_MIN || number > INT_MAX) {
        if (err) reply_error(c, err);
        else reply_error_format(c, "value is out of range, value must between %d and %d", INT_MIN,
                                INT_MAX);
        return -1;
    }
    *value = (int)number;
    return 0;
}

int ks_arg_db_index(Client *c, const Obj *arg, int *id) {
    if (ks_arg_int(c, arg, id, NULL) != 0) return -1;
    if (*id < 0 || *id >= cfg_databases) {
        reply_error(c, KS_ERR_DB_RANGE);
        return -1;
    }
    return 0;
}
