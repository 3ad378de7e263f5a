/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/rdb_value_load.c: reads one RDB value of any type a Redis or
 * Valkey file may hold (up to version 11) into a keel object.
 *
 * Blobs that keel can keep as they are (listpacks and intsets within the
 * encoding limits) are validated and taken over; everything else is fed
 * element by element through the types' own add functions, which pick and
 * convert encodings at keel's thresholds and report duplicates. Old
 * ziplists and zipmaps are first converted to listpacks (rdb_ziplist.c).
 *
 * Threads: main only (the types read their options).
 */
#include "persist/rdb_value.h"

#include <math.h>
#include <string.h>

#include "ds/intset.h"
#include "ds/listpack.h"
#include "ds/quicklist.h"
#include "ds/strnum.h"
#include "persist/rdb_format.h"
#include "persist/rdb_ziplist.h"
#include "server/mem.h"
#include "types/args.h"
#include "types/hash_entry.h"
#include "types/hash_internal.h"
#include "types/list_internal.h"
#include "types/set_internal.h"
#include "types/zset_internal.h"

bool rdb_value_type_known(int type) {
    switch (type) {
    case RDB_TYPE_STRING: case RDB_TYPE_LIST: case RDB_TYPE_SET: case RDB_TYPE_ZSET:
    case RDB_TYPE_HASH: case RDB_TYPE_ZSET_2: case RDB_TYPE_HASH_ZIPMAP:
    case RDB_TYPE_LIST_ZIPLIST: case RDB_TYPE_SET_INTSET: case RDB_TYPE_ZSET_ZIPLIST:
    case RDB_TYPE_HASH_ZIPLIST: case RDB_TYPE_LIST_QUICKLIST: case RDB_TYPE_HASH_LISTPACK:
    case RDB_TYPE_ZSET_LISTPACK: case RDB_TYPE_LIST_QUICKLIST_2: case RDB_TYPE_SET_LISTPACK:
    case RDB_TYPE_HASH_2:
        return true;
    default:
        return false;
    }
}

static Obj *fail_empty(RdbIn *in, Obj *o) {
    if (o) obj_decr_ref(o);
    in->empty = true;
    rdb_in_fail(in, "empty collection");
    return NULL;
}

/* ---- lists ---- */

/* A list being built: a listpack until it passes list-max-listpack-size,
 * then a quicklist (as a list grows under LPUSH/RPUSH). */
static void list_build_push(Obj *o, const unsigned char *s, size_t len, long long ival) {
    char buf[LP_INTBUF_SIZE];
    if (s == NULL) {
        len = strnum_from_ll(buf, ival);
        s = (const unsigned char *)buf;
    }
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        unsigned char *lp = o->ptr;
        int fill = (int)cfg_list_max_listpack_size;
        if (!ql_exceeds_limit(fill, lp_bytes(lp) + len, lp_length(lp) + 1)) {
            o->ptr = lp_append(lp, s, len);
            return;
        }
        if (lp_length(lp) == 0) {
            lp_free(lp);
            o->ptr = ql_create(fill, (int)cfg_list_compress_depth);
        } else {
            o->ptr = ql_create_from_listpack(fill, (int)cfg_list_compress_depth, lp);
        }
        o->encoding = OBJ_ENCODING_QUICKLIST;
    }
    ql_push(o->ptr, QL_TAIL, s, len);
}

/* Appends every element of a listpack to the list being built. */
static void list_build_from_listpack(Obj *o, unsigned char *lp) {
    for (unsigned char *p = lp_first(lp); p; p = lp_next(lp, p)) {
        LpEntry e;
        lp_get(p, &e);
        list_build_push(o, e.str, e.len, e.ival);
    }
}

static Obj *load_list_plain(RdbIn *in) {
    uint64_t count;
    if (!rdb_in_count(in, &count, 1, "list")) return NULL;
    if (count == 0) return fail_empty(in, NULL);
    Obj *o = list_create();
    for (uint64_t i = 0; i < count; i++) {
        sds s;
        if (!rdb_in_string(in, &s)) {
            obj_decr_ref(o);
            return NULL;
        }
        list_build_push(o, (unsigned char *)s, sds_len(s), 0);
        sds_free(s);
    }
    return o;
}

/* Reads a string holding a blob; false (with in->err) on error. */
static bool read_blob(RdbIn *in, sds *blob) {
    return rdb_in_string(in, blob);
}

/* A validated listpack copied from a blob (NULL with in->err if bad). */
static unsigned char *blob_to_listpack(RdbIn *in, sds blob, bool ziplist) {
    if (ziplist) {
        char err[128];
        unsigned char *lp = rdb_ziplist_to_listpack((unsigned char *)blob, sds_len(blob), err,
                                                    sizeof(err));
        if (!lp) rdb_in_fail(in, "%s", err);
        return lp;
    }
    if (!lp_validate((unsigned char *)blob, sds_len(blob))) {
        rdb_in_fail(in, "listpack is damaged");
        return NULL;
    }
    unsigned char *lp = mem_alloc(sds_len(blob));
    memcpy(lp, blob, sds_len(blob));
    return lp;
}

static Obj *load_list_quicklist(RdbIn *in, bool version2) {
    uint64_t nodes;
    if (!rdb_in_count(in, &nodes, 2, "quicklist node")) return NULL;
    Obj *o = list_create();
    for (uint64_t i = 0; i < nodes; i++) {
        uint64_t container = RDB_QL_CONTAINER_PACKED;
        if (version2 && !rdb_in_len(in, &container, NULL)) goto err;
        if (container != RDB_QL_CONTAINER_PACKED && container != RDB_QL_CONTAINER_PLAIN) {
            rdb_in_fail(in, "unknown quicklist container %llu", (unsigned long long)container);
            goto err;
        }
        sds blob;
        if (!read_blob(in, &blob)) goto err;
        if (container == RDB_QL_CONTAINER_PLAIN) {
            list_build_push(o, (unsigned char *)blob, sds_len(blob), 0);
            sds_free(blob);
            continue;
        }
        unsigned char *lp = blob_to_listpack(in, blob, !version2);
        sds_free(blob);
        if (!lp) goto err;
        list_build_from_listpack(o, lp); /* an empty node is skipped, as Valkey does */
        lp_free(lp);
    }
    if (list_length(o) == 0) return fail_empty(in, o);
    return o;
err:
    obj_decr_ref(o);
    return NULL;
}

static Obj *load_list_ziplist(RdbIn *in) {
    sds blob;
    if (!read_blob(in, &blob)) return NULL;
    unsigned char *lp = blob_to_listpack(in, blob, true);
    sds_free(blob);
    if (!lp) return NULL;
    Obj *o = list_create();
    list_build_from_listpack(o, lp);
    lp_free(lp);
    if (list_length(o) == 0) return fail_empty(in, o);
    return o;
}

/* ---- sets ---- */

static Obj *load_set_plain(RdbIn *in) {
    uint64_t count;
    if (!rdb_in_count(in, &count, 1, "set")) return NULL;
    if (count == 0) return fail_empty(in, NULL);
    Obj *o = NULL;
    for (uint64_t i = 0; i < count; i++) {
        sds s;
        if (!rdb_in_string(in, &s)) goto err;
        if (!o) o = set_create_for(s, sds_len(s), count);
        bool added = set_add(o, s, sds_len(s));
        sds_free(s);
        if (!added) {
            rdb_in_fail(in, "duplicate set member");
            goto err;
        }
    }
    return o;
err:
    if (o) obj_decr_ref(o);
    return NULL;
}

static Obj *set_from_listpack_elements(RdbIn *in, unsigned char *lp) {
    Obj *o = NULL;
    unsigned long count = lp_length(lp);
    for (unsigned char *p = lp_first(lp); p; p = lp_next(lp, p)) {
        unsigned char buf[LP_INTBUF_SIZE];
        size_t len;
        const unsigned char *s = lp_get_bytes(p, buf, &len);
        if (!o) o = set_create_for((const char *)s, len, count);
        if (!set_add(o, (const char *)s, len)) {
            obj_decr_ref(o);
            rdb_in_fail(in, "duplicate set member");
            return NULL;
        }
    }
    return o;
}

/* Whether the listpack holds two equal elements at positions of the same
 * parity as step requires (step 1: any two; step 2: keys of pairs). */
static bool listpack_has_duplicates(unsigned char *lp, unsigned step) {
    unsigned long index = 0;
    for (unsigned char *p = lp_first(lp); p; index++) {
        unsigned char *next = lp_next(lp, p);
        if (index % step == 0) {
            unsigned char buf[LP_INTBUF_SIZE];
            size_t len;
            const unsigned char *s = lp_get_bytes(p, buf, &len);
            unsigned char *later = next;
            for (unsigned k = 1; later && k < step; k++) later = lp_next(lp, later);
            if (later && lp_find(lp, later, s, len, step - 1)) return true;
        }
        p = next;
    }
    return false;
}

/* Whether no string element of lp is longer than max_value bytes. */
static bool listpack_values_fit(unsigned char *lp, long long max_value) {
    for (unsigned char *p = lp_first(lp); p; p = lp_next(lp, p)) {
        LpEntry e;
        lp_get(p, &e);
        if (e.str && (long long)e.len > max_value) return false;
    }
    return true;
}

static Obj *load_set_listpack(RdbIn *in, bool deep) {
    sds blob;
    if (!read_blob(in, &blob)) return NULL;
    unsigned char *lp = blob_to_listpack(in, blob, false);
    sds_free(blob);
    if (!lp) return NULL;
    if (lp_length(lp) == 0) {
        lp_free(lp);
        return fail_empty(in, NULL);
    }
    if (lp_length(lp) <= (unsigned long)cfg_set_max_listpack_entries &&
        listpack_values_fit(lp, cfg_set_max_listpack_value)) {
        if (deep && listpack_has_duplicates(lp, 1)) {
            lp_free(lp);
            rdb_in_fail(in, "duplicate set member");
            return NULL;
        }
        return obj_create(OBJ_SET, OBJ_ENCODING_LISTPACK, lp);
    }
    Obj *o = set_from_listpack_elements(in, lp);
    lp_free(lp);
    return o;
}

static Obj *load_set_intset(RdbIn *in) {
    sds blob;
    if (!read_blob(in, &blob)) return NULL;
    size_t size = sds_len(blob);
    if (!intset_validate((unsigned char *)blob, size, true)) {
        sds_free(blob);
        rdb_in_fail(in, "intset is damaged");
        return NULL;
    }
    Intset *is = mem_alloc(size);
    memcpy(is, blob, size);
    sds_free(blob);
    uint32_t count = intset_len(is);
    if (count == 0) {
        intset_free(is);
        return fail_empty(in, NULL);
    }
    if (count <= cfg_set_max_intset_entries) return obj_create(OBJ_SET, OBJ_ENCODING_INTSET, is);
    Obj *o = NULL;
    for (uint32_t i = 0; i < count; i++) {
        char buf[LP_INTBUF_SIZE];
        size_t len = strnum_from_ll(buf, intset_get(is, i));
        if (!o) o = set_create_for(buf, len, count);
        set_add(o, buf, len);
    }
    intset_free(is);
    return o;
}

/* ---- hashes ---- */

static Obj *hash_create_empty(void) {
    return obj_create(OBJ_HASH, OBJ_ENCODING_LISTPACK, lp_new(0));
}

static Obj *load_hash_plain(RdbIn *in) {
    uint64_t count;
    if (!rdb_in_count(in, &count, 2, "hash")) return NULL;
    if (count == 0) return fail_empty(in, NULL);
    Obj *o = hash_create_empty();
    if (count > (uint64_t)cfg_hash_max_listpack_entries) hash_convert_to_ht(o);
    for (uint64_t i = 0; i < count; i++) {
        sds field, value;
        if (!rdb_in_string(in, &field)) goto err;
        if (!rdb_in_string(in, &value)) {
            sds_free(field);
            goto err;
        }
        bool added = hash_set(o, field, sds_len(field), value, sds_len(value), 0);
        sds_free(field);
        sds_free(value);
        if (!added) {
            rdb_in_fail(in, "duplicate hash field");
            goto err;
        }
    }
    return o;
err:
    obj_decr_ref(o);
    return NULL;
}

static Obj *hash_from_pairs(RdbIn *in, unsigned char *lp) {
    Obj *o = hash_create_empty();
    for (unsigned char *p = lp_first(lp); p;) {
        unsigned char *v = lp_next(lp, p);
        unsigned char fbuf[LP_INTBUF_SIZE], vbuf[LP_INTBUF_SIZE];
        size_t flen, vlen;
        const unsigned char *f = lp_get_bytes(p, fbuf, &flen);
        const unsigned char *val = lp_get_bytes(v, vbuf, &vlen);
        if (!hash_set(o, (const char *)f, flen, (const char *)val, vlen, 0)) {
            obj_decr_ref(o);
            rdb_in_fail(in, "duplicate hash field");
            return NULL;
        }
        p = lp_next(lp, v);
    }
    return o;
}

/* Adds one field of a HASH_2 to the hashtable hash o; false on a
 * duplicate. */
static bool hash2_add(Obj *o, sds field, sds value, long long expire) {
    HashDict *d = o->ptr;
    if (hash_dict_find(d, field, sds_len(field)) != NULL) return false;
    void *entry = hash_entry_create(field, sds_len(field), value, sds_len(value), expire);
    ht_add(d->fields, entry);
    if (expire != HASH_NO_EXPIRE) {
        if (d->volatile_fields == NULL) d->volatile_fields = ht_create(&hash_volatile_type);
        ht_add(d->volatile_fields, entry);
        if (expire < d->next_expire) d->next_expire = expire;
    }
    return true;
}

/* HASH_2 (Valkey 9): fields with their expire times; always a hashtable.
 * Fields whose time has already passed are dropped. */
static Obj *load_hash_2(RdbIn *in) {
    uint64_t count;
    if (!rdb_in_count(in, &count, 10, "hash")) return NULL;
    Obj *o = hash_create_empty();
    hash_convert_to_ht(o);
    for (uint64_t i = 0; i < count; i++) {
        sds field, value = NULL;
        uint64_t expire;
        if (!rdb_in_string(in, &field)) goto err;
        if (!rdb_in_string(in, &value) || !rdb_in_u64le(in, &expire)) {
            sds_free(field);
            if (value) sds_free(value);
            goto err;
        }
        long long when = (long long)expire;
        bool ok = true;
        if (when < 0) when = HASH_NO_EXPIRE;
        if (when == HASH_NO_EXPIRE || when > db_now_ms) ok = hash2_add(o, field, value, when);
        sds_free(field);
        sds_free(value);
        if (!ok) {
            rdb_in_fail(in, "duplicate hash field");
            goto err;
        }
    }
    if (hash_length(o) == 0) return fail_empty(in, o);
    return o;
err:
    obj_decr_ref(o);
    return NULL;
}

/* HASH_LISTPACK, HASH_ZIPLIST and HASH_ZIPMAP: a listpack of pairs. */
static Obj *load_hash_blob(RdbIn *in, int type, bool deep) {
    sds blob;
    if (!read_blob(in, &blob)) return NULL;
    unsigned char *lp;
    if (type == RDB_TYPE_HASH_ZIPMAP) {
        char err[128];
        lp = rdb_zipmap_to_listpack((unsigned char *)blob, sds_len(blob), err, sizeof(err));
        if (!lp) rdb_in_fail(in, "%s", err);
    } else {
        lp = blob_to_listpack(in, blob, type == RDB_TYPE_HASH_ZIPLIST);
    }
    sds_free(blob);
    if (!lp) return NULL;
    unsigned long n = lp_length(lp);
    if (n % 2) {
        lp_free(lp);
        rdb_in_fail(in, "hash listpack has an odd number of elements");
        return NULL;
    }
    if (n == 0) {
        lp_free(lp);
        return fail_empty(in, NULL);
    }
    Obj *o;
    if (n / 2 <= (unsigned long)cfg_hash_max_listpack_entries &&
        listpack_values_fit(lp, cfg_hash_max_listpack_value)) {
        /* Old formats are always checked: they never had a deep check. */
        if ((deep || type != RDB_TYPE_HASH_LISTPACK) && listpack_has_duplicates(lp, 2)) {
            lp_free(lp);
            rdb_in_fail(in, "duplicate hash field");
            return NULL;
        }
        return obj_create(OBJ_HASH, OBJ_ENCODING_LISTPACK, lp);
    }
    o = hash_from_pairs(in, lp);
    lp_free(lp);
    return o;
}

/* ---- sorted sets ---- */

static bool check_scores(RdbIn *in, unsigned char *lp) {
    unsigned long index = 0;
    for (unsigned char *p = lp_first(lp); p; p = lp_next(lp, p), index++) {
        if (index % 2 == 0) continue;
        LpEntry e;
        lp_get(p, &e);
        double score;
        if (e.str && type_parse_double((const char *)e.str, e.len, &score) != 0)
            return rdb_in_fail(in, "bad score in a sorted set listpack");
    }
    return true;
}

static Obj *zset_from_pairs(RdbIn *in, unsigned char *lp) {
    Obj *o = zset_create(lp_length(lp) / 2, 0);
    for (unsigned char *p = lp_first(lp); p;) {
        unsigned char *sp = lp_next(lp, p);
        unsigned char buf[LP_INTBUF_SIZE];
        size_t len;
        const unsigned char *m = lp_get_bytes(p, buf, &len);
        int out = 0;
        zset_add(o, zlp_score(sp), (const char *)m, len, 0, &out, NULL);
        if (!(out & ZADD_OUT_ADDED)) {
            obj_decr_ref(o);
            rdb_in_fail(in, "duplicate sorted set member");
            return NULL;
        }
        p = lp_next(lp, sp);
    }
    return o;
}

static Obj *load_zset_blob(RdbIn *in, bool ziplist, bool deep) {
    sds blob;
    if (!read_blob(in, &blob)) return NULL;
    unsigned char *lp = blob_to_listpack(in, blob, ziplist);
    sds_free(blob);
    if (!lp) return NULL;
    unsigned long n = lp_length(lp);
    if (n % 2 || !check_scores(in, lp)) {
        lp_free(lp);
        rdb_in_fail(in, "sorted set listpack is not member/score pairs");
        return NULL;
    }
    if (n == 0) {
        lp_free(lp);
        return fail_empty(in, NULL);
    }
    if (n / 2 <= (unsigned long)cfg_zset_max_listpack_entries &&
        listpack_values_fit(lp, cfg_zset_max_listpack_value)) {
        if ((deep || ziplist) && listpack_has_duplicates(lp, 2)) {
            lp_free(lp);
            rdb_in_fail(in, "duplicate sorted set member");
            return NULL;
        }
        return obj_create(OBJ_ZSET, OBJ_ENCODING_LISTPACK, lp);
    }
    Obj *o = zset_from_pairs(in, lp);
    lp_free(lp);
    return o;
}

static Obj *load_zset_plain(RdbIn *in, bool binary) {
    uint64_t count;
    if (!rdb_in_count(in, &count, 2, "sorted set")) return NULL;
    if (count == 0) return fail_empty(in, NULL);
    Obj *o = zset_create(count, 0);
    for (uint64_t i = 0; i < count; i++) {
        sds m;
        double score;
        if (!rdb_in_string(in, &m)) goto err;
        bool ok = binary ? rdb_in_double_binary(in, &score) : rdb_in_double_text(in, &score);
        if (ok && isnan(score)) ok = rdb_in_fail(in, "NaN score");
        int out = 0;
        if (ok) zset_add(o, score, m, sds_len(m), 0, &out, NULL);
        sds_free(m);
        if (!ok) goto err;
        if (!(out & ZADD_OUT_ADDED)) {
            rdb_in_fail(in, "duplicate sorted set member");
            goto err;
        }
    }
    return o;
err:
    obj_decr_ref(o);
    return NULL;
}

/* ---- entry point ---- */

static Obj *load_string(RdbIn *in) {
    sds s;
    if (!rdb_in_string(in, &s)) return NULL;
    return obj_create_from_sds(s);
}

Obj *rdb_value_load(RdbIn *in, int type, bool deep) {
    switch (type) {
    case RDB_TYPE_STRING: return load_string(in);
    case RDB_TYPE_LIST: return load_list_plain(in);
    case RDB_TYPE_LIST_ZIPLIST: return load_list_ziplist(in);
    case RDB_TYPE_LIST_QUICKLIST: return load_list_quicklist(in, false);
    case RDB_TYPE_LIST_QUICKLIST_2: return load_list_quicklist(in, true);
    case RDB_TYPE_SET: return load_set_plain(in);
    case RDB_TYPE_SET_INTSET: return load_set_intset(in);
    case RDB_TYPE_SET_LISTPACK: return load_set_listpack(in, deep);
    case RDB_TYPE_HASH: return load_hash_plain(in);
    case RDB_TYPE_HASH_2: return load_hash_2(in);
    case RDB_TYPE_HASH_ZIPMAP:
    case RDB_TYPE_HASH_ZIPLIST:
    case RDB_TYPE_HASH_LISTPACK: return load_hash_blob(in, type, deep);
    case RDB_TYPE_ZSET: return load_zset_plain(in, false);
    case RDB_TYPE_ZSET_2: return load_zset_plain(in, true);
    case RDB_TYPE_ZSET_ZIPLIST: return load_zset_blob(in, true, deep);
    case RDB_TYPE_ZSET_LISTPACK: return load_zset_blob(in, false, deep);
    case RDB_TYPE_MODULE_PRE_GA:
    case RDB_TYPE_MODULE_2:
        rdb_in_fail(in, "module value (type %d): keel loads no module data types", type);
        return NULL;
    case RDB_TYPE_STREAM_LISTPACKS:
    case RDB_TYPE_STREAM_LISTPACKS_2:
    case RDB_TYPE_STREAM_LISTPACKS_3:
        rdb_in_fail(in, "stream value (type %d): keel has no stream type", type);
        return NULL;
    default:
        rdb_in_fail(in, "unknown value type %d", type);
        return NULL;
    }
}
