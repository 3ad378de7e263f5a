/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/zset_args.c: what the zset commands share around the value: range
 * bounds as ZRANGEBYSCORE / ZRANGEBYLEX spell them, the typed lookup, member
 * replies and deleting a key its command emptied.
 *
 * Threads: main only.
 */
#include <string.h>

#include "db/db.h"
#include "db/notify.h"
#include "net/reply.h"
#include "types/args.h"
#include "types/zset_internal.h"

#define ERR_SCORE_RANGE "min or max is not a float"
#define ERR_LEX_RANGE "min or max not valid string range item"

/* One score bound: "(" makes it exclusive; the rest is a double (inf
 * spellings allowed, NaN refused). */
static bool parse_score_bound(const Obj *arg, double *value, bool *exclusive) {
    const char *p = arg->ptr;
    size_t len = sds_len(arg->ptr);
    *exclusive = len > 0 && p[0] == '(';
    if (*exclusive) {
        p++;
        len--;
    }
    return type_parse_double(p, len, value) == 0;
}

bool zset_parse_score_range(Client *c, const Obj *min, const Obj *max, ZslRange *range) {
    if (!parse_score_bound(min, &range->min, &range->minex) ||
        !parse_score_bound(max, &range->max, &range->maxex)) {
        reply_error(c, ERR_SCORE_RANGE);
        return false;
    }
    return true;
}

/* One lex bound: "-", "+", "[member" or "(member". */
static bool parse_lex_bound(const Obj *arg, const char **p, size_t *len, int *kind) {
    const char *s = arg->ptr;
    size_t l = sds_len(arg->ptr);
    if (l == 0) return false;
    if (l == 1 && (s[0] == '-' || s[0] == '+')) {
        *kind = s[0] == '-' ? ZSL_LEX_MIN : ZSL_LEX_MAX;
        *p = NULL;
        *len = 0;
        return true;
    }
    if (s[0] != '[' && s[0] != '(') return false;
    *kind = s[0] == '[' ? ZSL_LEX_INCLUSIVE : ZSL_LEX_EXCLUSIVE;
    *p = s + 1;
    *len = l - 1;
    return true;
}

bool zset_parse_lex_range(Client *c, const Obj *min, const Obj *max, ZslLexRange *range) {
    if (!parse_lex_bound(min, &range->min, &range->minlen, &range->minkind) ||
        !parse_lex_bound(max, &range->max, &range->maxlen, &range->maxkind)) {
        reply_error(c, ERR_LEX_RANGE);
        return false;
    }
    return true;
}

Obj *zset_lookup_read(Client *c, Obj *key, bool *wrongtype) {
    Obj *o = db_lookup_read(client_db(c), key, LOOKUP_NONE);
    *wrongtype = type_reply_if_wrongtype(c, o, OBJ_ZSET);
    return *wrongtype ? NULL : o;
}

void zset_reply_member(Client *c, const ZsetElem *e) {
    reply_bulk(c, e->str, e->len);
}

void zset_reply_elem(Client *c, const ZsetElem *e, bool withscores) {
    if (withscores && c->resp > 2) reply_array_len(c, 2);
    reply_bulk(c, e->str, e->len);
    if (withscores) reply_double(c, e->score);
}

long zset_reply_len(const Client *c, long count, bool withscores) {
    return withscores && c->resp == 2 ? count * 2 : count;
}

bool zset_delete_if_empty(Client *c, Obj *key, Obj *o) {
    (void)c;
    if (zset_length(o) != 0) return false;
    Db *db = client_db(c);
    db_delete(db, key, false);
    notify_keyspace_event(NOTIFY_GENERIC, "del", key, db->id);
    return true;
}
