/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/hash_value.c: a hash value in either encoding behind one API
 * (types/hash_internal.h): lookups that drop expired fields first, get, set,
 * delete, per-field expires, conversion and iteration.
 *
 * The hashtable encoding keeps two tables of the same entries: `fields`
 * (owner) and `volatile_fields` (those with an expire), so expiring fields
 * never walks the fields that cannot expire. An entry that moves (its value
 * or expire changed size) is repointed in both.
 *
 * Threads: main only.
 */
#include "types/hash_internal.h"

#include <limits.h>
#include <string.h>

#include "db/notify.h"
#include "persist/propagate.h"
#include "server/mem.h"
#include "types/args.h"
#include "types/hash_entry.h"

/* ---- dict ---- */

HashDict *hash_dict_create(void) {
    HashDict *d = mem_alloc(sizeof(*d));
    d->fields = ht_create(&hash_fields_type);
    d->volatile_fields = NULL;
    d->next_expire = LLONG_MAX;
    return d;
}

void hash_dict_destroy(HashDict *d) {
    if (d->volatile_fields) ht_destroy(d->volatile_fields);
    ht_destroy(d->fields);
    mem_free(d);
}

void *hash_dict_find(HashDict *d, const char *f, size_t flen) {
    HashFieldKey k;
    void *e = ht_find(d->fields, hash_field_key_init(&k, f, flen));
    hash_field_key_deinit(&k);
    return e;
}

/* Points the slots holding old (in both tables) at fresh, which has the
 * same field, and frees old when it differs. had_expire / has_expire:
 * whether old / fresh are volatile. */
static void dict_repoint(HashDict *d, void *old, void *fresh, bool had_expire, bool has_expire) {
    const void *key = (const unsigned char *)fresh + 1;
    if (old != fresh) {
        void **ref = ht_find_ref(d->fields, key);
        *ref = fresh;
    }
    if (had_expire && has_expire) {
        if (old != fresh) *ht_find_ref(d->volatile_fields, key) = fresh;
    } else if (had_expire) {
        ht_pop(d->volatile_fields, key, NULL);
        if (ht_size(d->volatile_fields) == 0) {
            ht_destroy(d->volatile_fields);
            d->volatile_fields = NULL;
            d->next_expire = LLONG_MAX;
        }
    } else if (has_expire) {
        if (d->volatile_fields == NULL) d->volatile_fields = ht_create(&hash_volatile_type);
        ht_add(d->volatile_fields, fresh);
    }
    if (old != fresh) hash_entry_free(old);
}

/* ---- lookups and conversion ---- */

Obj *hash_lookup(Client *c, Db *db, Obj *key, bool write, bool *wrongtype) {
    *wrongtype = false;
    Obj *o = write ? db_lookup_write(db, key, LOOKUP_NONE) : db_lookup_read(db, key, LOOKUP_NONE);
    if (o == NULL) return NULL;
    if (o->type != OBJ_HASH) {
        type_reply_if_wrongtype(c, o, OBJ_HASH);
        *wrongtype = true;
        return NULL;
    }
    if (o->encoding == OBJ_ENCODING_HT) {
        HashDict *d = o->ptr;
        if (d->volatile_fields != NULL) {
            /* A key that was renamed or moved is tracked again here. */
            hash_registry_add(db, key);
            if (d->next_expire <= db_now_ms &&
                hash_expire_fields_now(c, db, key, o, 0, NULL))
                return NULL;
        }
    }
    return o;
}

Obj *hash_add_empty(Db *db, Obj *key) {
    Obj *val = obj_create(OBJ_HASH, OBJ_ENCODING_LISTPACK, lp_new(0));
    return db_add(db, key, val, -1);
}

void hash_convert_to_ht(Obj *o) {
    if (o->encoding != OBJ_ENCODING_LISTPACK) return;
    unsigned char *lp = o->ptr;
    o->ptr = hash_lp_to_dict(lp);
    o->encoding = OBJ_ENCODING_HT;
    lp_free(lp);
}

void hash_convert_for_args(Obj *o, Obj **argv, int start, int end) {
    if (o->encoding != OBJ_ENCODING_LISTPACK) return;
    if ((long long)(end - start + 1) / 2 > cfg_hash_max_listpack_entries) {
        hash_convert_to_ht(o);
        return;
    }
    size_t sum = 0;
    for (int i = start; i <= end; i++) {
        size_t len = sds_len(argv[i]->ptr);
        if ((long long)len > cfg_hash_max_listpack_value) {
            hash_convert_to_ht(o);
            return;
        }
        sum += len;
    }
    if (!lp_safe_to_add(o->ptr, sum)) hash_convert_to_ht(o);
}

/* ---- fields ---- */

bool hash_get(Obj *o, const char *f, size_t flen, const char **v, size_t *vlen, char *numbuf) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *p = hash_lp_find(o->ptr, f, flen);
        if (p == NULL) return false;
        *v = hash_lp_bytes(lp_next(o->ptr, p), numbuf, vlen);
        return true;
    }
    void *e = hash_dict_find(o->ptr, f, flen);
    if (e == NULL) return false;
    *v = hash_entry_value(e, vlen);
    return true;
}

bool hash_exists(Obj *o, const char *f, size_t flen) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) return hash_lp_find(o->ptr, f, flen) != NULL;
    return hash_dict_find(o->ptr, f, flen) != NULL;
}

static bool dict_set(HashDict *d, const char *f, size_t flen, const char *v, size_t vlen,
                     int flags) {
    HashFieldKey k;
    HtPosition pos;
    void *existing;
    const void *key = hash_field_key_init(&k, f, flen);
    bool added = ht_find_position_for_insert(d->fields, key, &pos, &existing);
    hash_field_key_deinit(&k);
    if (added) {
        ht_insert_at_position(d->fields, hash_entry_create(f, flen, v, vlen, HASH_NO_EXPIRE),
                              &pos);
        return true;
    }
    bool had_expire = hash_entry_expire(existing) != HASH_NO_EXPIRE;
    bool keep = had_expire && (flags & HASH_SET_KEEPTTL);
    void *fresh = hash_entry_set_value(existing, v, vlen);
    if (had_expire && !keep) {
        void *persisted = hash_entry_set_expire(fresh, HASH_NO_EXPIRE);
        if (fresh != existing) hash_entry_free(fresh); /* in no table yet */
        fresh = persisted;
    }
    if (fresh != existing || had_expire != keep)
        dict_repoint(d, existing, fresh, had_expire, keep);
    return false;
}

bool hash_set(Obj *o, const char *f, size_t flen, const char *v, size_t vlen, int flags) {
    if (o->encoding == OBJ_ENCODING_LISTPACK &&
        ((long long)flen > cfg_hash_max_listpack_value ||
         (long long)vlen > cfg_hash_max_listpack_value || !lp_safe_to_add(o->ptr, flen + vlen)))
        hash_convert_to_ht(o);
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        bool added;
        o->ptr = hash_lp_set(o->ptr, f, flen, v, vlen, &added);
        if (added && (long long)(lp_length(o->ptr) / 2) > cfg_hash_max_listpack_entries)
            hash_convert_to_ht(o);
        return added;
    }
    return dict_set(o->ptr, f, flen, v, vlen, flags);
}

bool hash_delete(Obj *o, const char *f, size_t flen) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        bool deleted;
        o->ptr = hash_lp_delete(o->ptr, f, flen, &deleted);
        return deleted;
    }
    HashDict *d = o->ptr;
    HashFieldKey k;
    const void *key = hash_field_key_init(&k, f, flen);
    void *e;
    bool found = ht_pop(d->fields, key, &e);
    if (found) {
        if (hash_entry_expire(e) != HASH_NO_EXPIRE) dict_repoint(d, e, e, true, false);
        hash_entry_free(e);
    }
    hash_field_key_deinit(&k);
    return found;
}

size_t hash_length(const Obj *o) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) return lp_length(o->ptr) / 2;
    return ht_size(((const HashDict *)o->ptr)->fields);
}

long long hash_get_expire(Obj *o, const char *f, size_t flen) {
    if (o->encoding == OBJ_ENCODING_LISTPACK)
        return hash_lp_find(o->ptr, f, flen) ? HASH_NO_EXPIRE : -2;
    void *e = hash_dict_find(o->ptr, f, flen);
    return e ? hash_entry_expire(e) : -2;
}

bool hash_set_expire(Db *db, Obj *key, Obj *o, const char *f, size_t flen, long long when) {
    if (!hash_exists(o, f, flen)) return false;
    hash_convert_to_ht(o);
    HashDict *d = o->ptr;
    void *e = hash_dict_find(d, f, flen);
    bool had_expire = hash_entry_expire(e) != HASH_NO_EXPIRE;
    void *fresh = hash_entry_set_expire(e, when);
    dict_repoint(d, e, fresh, had_expire, true);
    if (when < d->next_expire) d->next_expire = when;
    hash_registry_add(db, key);
    return true;
}

int hash_persist(Obj *o, const char *f, size_t flen) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) return hash_lp_find(o->ptr, f, flen) ? -1 : -2;
    HashDict *d = o->ptr;
    void *e = hash_dict_find(d, f, flen);
    if (e == NULL) return -2;
    if (hash_entry_expire(e) == HASH_NO_EXPIRE) return -1;
    void *fresh = hash_entry_set_expire(e, HASH_NO_EXPIRE);
    dict_repoint(d, e, fresh, true, false);
    return 1;
}

bool hash_has_volatile(const Obj *o) {
    return o->encoding == OBJ_ENCODING_HT && ((const HashDict *)o->ptr)->volatile_fields != NULL;
}

size_t hash_remove_expired(Obj *o, long long now, size_t max, PropagateBatch *hdel) {
    if (!hash_has_volatile(o)) return 0;
    HashDict *d = o->ptr;
    if (d->next_expire > now) return 0;
    size_t removed = 0;
    long long next = LLONG_MAX;
    bool complete = true;
    HtIter it;
    void *e;
    ht_iter_init(&it, d->volatile_fields, HT_ITER_SAFE);
    while (ht_iter_next(&it, &e)) {
        long long when = hash_entry_expire(e);
        if (when > now) {
            if (when < next) next = when;
            continue;
        }
        if (max && removed == max) {
            complete = false;
            break;
        }
        const void *key = (const unsigned char *)e + 1;
        if (hdel) {
            size_t flen;
            const char *field = hash_entry_field(e, &flen);
            propagate_batch_add(hdel, field, flen);
        }
        ht_pop(d->volatile_fields, key, NULL);
        ht_delete(d->fields, key); /* frees e */
        removed++;
    }
    ht_iter_deinit(&it);
    if (ht_size(d->volatile_fields) == 0) {
        ht_destroy(d->volatile_fields);
        d->volatile_fields = NULL;
        d->next_expire = LLONG_MAX;
    } else if (complete) {
        d->next_expire = next;
    }
    return removed;
}

/* ---- walking ---- */

void hash_iter_init(HashIter *it, Obj *o) {
    it->o = o;
    it->entry = NULL;
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        it->lp_pos = lp_first(o->ptr);
    } else {
        ht_iter_init(&it->ht_iter, ((HashDict *)o->ptr)->fields, 0);
    }
}

bool hash_iter_next(HashIter *it) {
    if (it->o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *lp = it->o->ptr;
        if (it->lp_pos == NULL) return false;
        unsigned char *vp = lp_next(lp, it->lp_pos);
        it->field = hash_lp_bytes(it->lp_pos, it->fbuf, &it->flen);
        it->value = hash_lp_bytes(vp, it->vbuf, &it->vlen);
        it->lp_pos = lp_next(lp, vp);
        return true;
    }
    if (!ht_iter_next(&it->ht_iter, &it->entry)) return false;
    it->field = hash_entry_field(it->entry, &it->flen);
    it->value = hash_entry_value(it->entry, &it->vlen);
    return true;
}

void hash_iter_deinit(HashIter *it) {
    if (it->o->encoding != OBJ_ENCODING_LISTPACK) ht_iter_deinit(&it->ht_iter);
}
