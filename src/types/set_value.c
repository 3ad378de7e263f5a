/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/set_value.c: one set value over its three encodings (intset,
 * listpack, hashtable): create, add, remove, membership, conversion,
 * iteration and random picks (the contract is in types/set_internal.h).
 *
 * The conversions follow Valkey's setTypeAddAux rule for rule, so OBJECT
 * ENCODING reports the same thing for the same commands. Commands never
 * look inside o->ptr themselves; they go through these functions.
 *
 * Threads: main only.
 */
#include "types/set_internal.h"

#include <string.h>

#include "ds/intset.h"
#include "ds/listpack.h"
#include "ds/sds.h"
#include "ds/strnum.h"
#include "net/reply.h"
#include "server/mem.h"

/* ---- the hashtable encoding: entries are length-prefixed members ---- */

static uint64_t member_hash(const void *key) {
    size_t len;
    const char *bytes = set_member_bytes(key, &len);
    return ht_hash(bytes, len);
}

static int member_compare(const void *a, const void *b) {
    size_t la, lb;
    const char *pa = set_member_bytes(a, &la), *pb = set_member_bytes(b, &lb);
    return la != lb || memcmp(pa, pb, la) != 0;
}

static void member_destroy(void *entry) {
    mem_free(entry);
}

const HtType set_ht_type = {
    .hash = member_hash,
    .key_compare = member_compare,
    .entry_get_key = NULL,
    .entry_destructor = member_destroy,
};

/* Writes the member form of s into out (room for its size). Returns out. */
static void *member_write(unsigned char *out, const char *s, size_t len) {
    size_t header = 1;
    if (len < SET_MEMBER_LONG) {
        out[0] = (unsigned char)len;
    } else {
        out[0] = SET_MEMBER_LONG;
        memcpy(out + 1, &len, sizeof(len));
        header += sizeof(len);
    }
    if (len) memcpy(out + header, s, len);
    return out;
}

static size_t member_size_for(size_t len) {
    return len < SET_MEMBER_LONG ? 1 + len : 1 + sizeof(size_t) + len;
}

void *set_member_create(const char *s, size_t len) {
    return member_write(mem_alloc(member_size_for(len)), s, len);
}

/* A lookup key for the hashtable without allocating: the member form on
 * the stack when it fits, else a real member (freed by key_release). */
#define STACK_KEY_MAX 128

typedef struct LookupKey {
    unsigned char buf[1 + STACK_KEY_MAX];
} LookupKey;

static void *key_make(LookupKey *k, const char *s, size_t len) {
    if (len > STACK_KEY_MAX) return set_member_create(s, len);
    return member_write(k->buf, s, len);
}

static void key_release(LookupKey *k, void *key) {
    if (key != k->buf) mem_free(key);
}

static Ht *ht_create_sized(size_t size_hint) {
    Ht *ht = ht_create(&set_ht_type);
    if (size_hint > 0) ht_resize(ht, size_hint);
    return ht;
}

/* ---- element helpers ---- */

bool set_elem_is_integer(const char *s, size_t len, long long *value) {
    return len <= 20 && strnum_to_ll(s, len, value) == 0;
}

const char *set_elem_bytes(const SetElem *e, char *buf, size_t *len) {
    if (e->str) {
        *len = e->len;
        return e->str;
    }
    *len = strnum_from_ll(buf, e->ival);
    return buf;
}

sds set_elem_to_sds(const SetElem *e) {
    if (e->str) return sds_new_len(e->str, e->len);
    return sds_from_ll(e->ival);
}

void *set_elem_to_member(const SetElem *e) {
    char buf[24];
    size_t len;
    const char *s = set_elem_bytes(e, buf, &len);
    return set_member_create(s, len);
}

void set_reply_elem(Client *c, const SetElem *e) {
    if (e->str) reply_bulk(c, e->str, e->len);
    else reply_bulk_ll(c, e->ival);
}

static uint64_t random_state = 0x2545f4914f6cdd1dull;

uint64_t set_random_u64(void) {
    uint64_t z = (random_state += 0x9e3779b97f4a7c15ull); /* splitmix64 */
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

/* ---- creating ---- */

Obj *set_create_intset(void) {
    return obj_create(OBJ_SET, OBJ_ENCODING_INTSET, intset_create());
}

Obj *set_create_for(const char *first, size_t len, size_t size_hint) {
    long long value;
    if (set_elem_is_integer(first, len, &value) &&
        size_hint <= (size_t)cfg_set_max_intset_entries)
        return set_create_intset();
    if (size_hint <= (size_t)cfg_set_max_listpack_entries)
        return obj_create(OBJ_SET, OBJ_ENCODING_LISTPACK, lp_new(0));
    return obj_create(OBJ_SET, OBJ_ENCODING_HT, ht_create_sized(size_hint));
}

size_t set_size(const Obj *set) {
    switch (set->encoding) {
    case OBJ_ENCODING_INTSET: return intset_len(set->ptr);
    case OBJ_ENCODING_LISTPACK: return lp_length(set->ptr);
    default: return ht_size(set->ptr);
    }
}

/* ---- conversion ---- */

void set_convert(Obj *set, int encoding, size_t size_hint) {
    if ((int)set->encoding == encoding) return;
    size_t size = set_size(set);
    if (size_hint < size) size_hint = size;
    void *target;
    if (encoding == OBJ_ENCODING_LISTPACK) target = lp_new(0);
    else target = ht_create_sized(size_hint);
    SetIter it;
    SetElem e;
    set_iter_init(&it, set);
    while (set_iter_next(&it, &e)) {
        if (encoding == OBJ_ENCODING_LISTPACK) {
            target = e.str ? lp_append(target, (const unsigned char *)e.str, e.len)
                           : lp_append_int(target, e.ival);
        } else {
            ht_add(target, set_elem_to_member(&e)); /* members are distinct */
        }
    }
    set_iter_deinit(&it);
    switch (set->encoding) {
    case OBJ_ENCODING_INTSET: intset_free(set->ptr); break;
    case OBJ_ENCODING_LISTPACK: lp_free(set->ptr); break;
    default: ht_destroy(set->ptr); break;
    }
    set->ptr = target;
    set->encoding = (unsigned)encoding;
}

/* The intset's limit, capped as Valkey caps it (1 << 30). */
static size_t intset_max_entries(void) {
    long long max = cfg_set_max_intset_entries;
    return max >= (1LL << 30) ? (size_t)1 << 30 : (size_t)max;
}

/* Number of decimal characters of value. */
static size_t digits10(long long value) {
    char buf[24];
    return strnum_from_ll(buf, value);
}

/* A non-integer arrives in an intset: listpack when the result fits the
 * listpack limits (the widest integer stands in for every member's length),
 * hashtable otherwise. */
static void intset_add_string(Obj *set, const char *s, size_t len) {
    Intset *is = set->ptr;
    size_t n = intset_len(is), widest = 0;
    if (n > 0) {
        size_t a = digits10(intset_max(is)), b = digits10(intset_min(is));
        widest = a > b ? a : b;
    }
    /* An integer entry takes at most 9 bytes plus 1 of back-length. */
    if (n < (size_t)cfg_set_max_listpack_entries && len <= (size_t)cfg_set_max_listpack_value &&
        widest <= (size_t)cfg_set_max_listpack_value && lp_safe_to_add(NULL, n * 10 + len)) {
        set_convert(set, OBJ_ENCODING_LISTPACK, n + 1);
        set->ptr = lp_append(set->ptr, (const unsigned char *)s, len);
    } else {
        set_convert(set, OBJ_ENCODING_HT, n + 1);
        ht_add(set->ptr, set_member_create(s, len));
    }
}

static bool intset_add_int(Obj *set, long long value) {
    bool added;
    set->ptr = intset_add(set->ptr, value, &added);
    if (added && intset_len(set->ptr) > intset_max_entries()) set_convert(set, OBJ_ENCODING_HT, 0);
    return added;
}

static bool listpack_add(Obj *set, const char *s, size_t len) {
    unsigned char *lp = set->ptr;
    unsigned char *first = lp_first(lp);
    if (first && lp_find(lp, first, (const unsigned char *)s, len, 0)) return false;
    if (lp_length(lp) < (size_t)cfg_set_max_listpack_entries &&
        len <= (size_t)cfg_set_max_listpack_value && lp_safe_to_add(lp, len)) {
        set->ptr = lp_append(lp, (const unsigned char *)s, len);
    } else {
        set_convert(set, OBJ_ENCODING_HT, lp_length(lp) + 1);
        ht_add(set->ptr, set_member_create(s, len));
    }
    return true;
}

static bool ht_add_bytes(Obj *set, const char *s, size_t len) {
    LookupKey k;
    void *key = key_make(&k, s, len);
    HtPosition pos;
    bool absent = ht_find_position_for_insert(set->ptr, key, &pos, NULL);
    if (absent) ht_insert_at_position(set->ptr, key == k.buf ? set_member_create(s, len) : key, &pos);
    else key_release(&k, key);
    return absent;
}

bool set_add(Obj *set, const char *s, size_t len) {
    switch (set->encoding) {
    case OBJ_ENCODING_HT: return ht_add_bytes(set, s, len);
    case OBJ_ENCODING_LISTPACK: return listpack_add(set, s, len);
    default: break;
    }
    long long value;
    if (set_elem_is_integer(s, len, &value)) return intset_add_int(set, value);
    intset_add_string(set, s, len);
    return true;
}

bool set_add_elem(Obj *set, const SetElem *e) {
    if (e->str == NULL && set->encoding == OBJ_ENCODING_INTSET) return intset_add_int(set, e->ival);
    char buf[24];
    size_t len;
    const char *s = set_elem_bytes(e, buf, &len);
    return set_add(set, s, len);
}

/* ---- removing and finding ---- */

bool set_remove(Obj *set, const char *s, size_t len) {
    switch (set->encoding) {
    case OBJ_ENCODING_INTSET: {
        long long value;
        if (!set_elem_is_integer(s, len, &value)) return false;
        bool removed;
        set->ptr = intset_remove(set->ptr, value, &removed);
        return removed;
    }
    case OBJ_ENCODING_LISTPACK: {
        unsigned char *lp = set->ptr;
        unsigned char *p = lp_first(lp);
        if (p) p = lp_find(lp, p, (const unsigned char *)s, len, 0);
        if (p == NULL) return false;
        set->ptr = lp_delete(lp, &p);
        return true;
    }
    default: {
        LookupKey k;
        void *key = key_make(&k, s, len);
        bool removed = ht_delete(set->ptr, key);
        key_release(&k, key);
        return removed;
    }
    }
}

bool set_remove_elem(Obj *set, const SetElem *e) {
    if (e->str == NULL && set->encoding == OBJ_ENCODING_INTSET) {
        bool removed;
        set->ptr = intset_remove(set->ptr, e->ival, &removed);
        return removed;
    }
    char buf[24];
    size_t len;
    const char *s = set_elem_bytes(e, buf, &len);
    return set_remove(set, s, len);
}

bool set_contains(Obj *set, const char *s, size_t len) {
    switch (set->encoding) {
    case OBJ_ENCODING_INTSET: {
        long long value;
        return set_elem_is_integer(s, len, &value) && intset_find(set->ptr, value);
    }
    case OBJ_ENCODING_LISTPACK: {
        unsigned char *lp = set->ptr;
        unsigned char *p = lp_first(lp);
        return p && lp_find(lp, p, (const unsigned char *)s, len, 0) != NULL;
    }
    default: {
        LookupKey k;
        void *key = key_make(&k, s, len);
        bool found = ht_find(set->ptr, key) != NULL;
        key_release(&k, key);
        return found;
    }
    }
}

bool set_contains_elem(Obj *set, const SetElem *e) {
    if (e->str == NULL && set->encoding == OBJ_ENCODING_INTSET)
        return intset_find(set->ptr, e->ival);
    char buf[24];
    size_t len;
    const char *s = set_elem_bytes(e, buf, &len);
    return set_contains(set, s, len);
}

/* ---- walking and picking ---- */

void set_iter_init(SetIter *it, Obj *set) {
    it->set = set;
    it->pos = 0;
    it->lp = NULL;
    if (set->encoding == OBJ_ENCODING_LISTPACK) it->lp = lp_first(set->ptr);
    else if (set->encoding == OBJ_ENCODING_HT) ht_iter_init(&it->ht, set->ptr, HT_ITER_SAFE);
}

/* A listpack element as a SetElem. */
static void lp_elem(const unsigned char *p, SetElem *e) {
    LpEntry entry;
    lp_get(p, &entry);
    e->str = (const char *)entry.str;
    e->len = entry.len;
    e->ival = entry.ival;
}

bool set_iter_next(SetIter *it, SetElem *e) {
    Obj *set = it->set;
    switch (set->encoding) {
    case OBJ_ENCODING_INTSET:
        if (it->pos >= intset_len(set->ptr)) return false;
        e->str = NULL;
        e->ival = intset_get(set->ptr, it->pos++);
        return true;
    case OBJ_ENCODING_LISTPACK:
        if (it->lp == NULL) return false;
        lp_elem(it->lp, e);
        it->lp = lp_next(set->ptr, it->lp);
        return true;
    default: {
        void *entry;
        if (!ht_iter_next(&it->ht, &entry)) return false;
        e->str = set_member_bytes(entry, &e->len);
        return true;
    }
    }
}

void set_iter_deinit(SetIter *it) {
    if (it->set->encoding == OBJ_ENCODING_HT) ht_iter_deinit(&it->ht);
}

void set_random_elem(Obj *set, SetElem *e) {
    switch (set->encoding) {
    case OBJ_ENCODING_INTSET:
        e->str = NULL;
        e->ival = intset_random(set->ptr);
        break;
    case OBJ_ENCODING_LISTPACK: {
        unsigned char *lp = set->ptr;
        lp_elem(lp_seek(lp, (long)(set_random_u64() % lp_length(lp))), e);
        break;
    }
    default: {
        e->str = set_member_bytes(ht_random_entry(set->ptr), &e->len);
        break;
    }
    }
}
