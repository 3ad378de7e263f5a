/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/rdb_value_save.c: writes one value in the RDB format, choosing
 * the type that keeps keel's encoding: listpacks and intsets go out as the
 * blob they are (HASH_LISTPACK, ZSET_LISTPACK, SET_LISTPACK, SET_INTSET),
 * lists as QUICKLIST_2 (a listpack list is one packed node, a quicklist's
 * LZF-compressed nodes are written as the LZF strings they already are),
 * hashtables and skiplists element by element (HASH, SET, ZSET_2).
 *
 * Must not change the value: the BGSAVE child runs it on the parent's
 * pages (copy-on-write).
 *
 * Threads: main thread or the BGSAVE child.
 */
#include "persist/rdb_value.h"

#include "ds/intset.h"
#include "ds/listpack.h"
#include "ds/quicklist.h"
#include "ds/skiplist.h"
#include "persist/rdb_format.h"
#include "types/hash_entry.h"
#include "types/hash_internal.h"
#include "types/set_internal.h"
#include "types/zset_internal.h"

int rdb_value_type(const Obj *o) {
    switch (o->type) {
    case OBJ_STRING:
        return RDB_TYPE_STRING;
    case OBJ_LIST:
        return RDB_TYPE_LIST_QUICKLIST_2;
    case OBJ_SET:
        return o->encoding == OBJ_ENCODING_INTSET     ? RDB_TYPE_SET_INTSET
               : o->encoding == OBJ_ENCODING_LISTPACK ? RDB_TYPE_SET_LISTPACK
                                                      : RDB_TYPE_SET;
    case OBJ_ZSET:
        return o->encoding == OBJ_ENCODING_LISTPACK ? RDB_TYPE_ZSET_LISTPACK : RDB_TYPE_ZSET_2;
    case OBJ_HASH:
        if (o->encoding == OBJ_ENCODING_LISTPACK) return RDB_TYPE_HASH_LISTPACK;
        return hash_has_volatile(o) ? RDB_TYPE_HASH_2 : RDB_TYPE_HASH;
    default:
        return -1;
    }
}

static void save_string(RdbOut *out, const Obj *o) {
    if (o->encoding == OBJ_ENCODING_INT) {
        rdb_out_ll_string(out, (long long)(intptr_t)o->ptr);
        return;
    }
    rdb_out_string(out, o->ptr, obj_string_len(o));
}

static void save_quicklist(RdbOut *out, const Quicklist *ql) {
    rdb_out_len(out, ql->len);
    for (const QlNode *node = ql->head; node; node = node->next) {
        rdb_out_len(out, node->plain ? RDB_QL_CONTAINER_PLAIN : RDB_QL_CONTAINER_PACKED);
        if (node->compressed) {
            /* Already LZF: write it as an LZF-encoded string. */
            rdb_out_u8(out, (RDB_ENCVAL << 6) | RDB_ENC_LZF);
            rdb_out_len(out, node->lzf_bytes);
            rdb_out_len(out, node->sz);
            rdb_out_raw(out, node->entry, node->lzf_bytes);
        } else {
            rdb_out_string(out, node->entry, node->sz);
        }
    }
}

static void save_list(RdbOut *out, const Obj *o) {
    if (o->encoding == OBJ_ENCODING_LISTPACK) {
        rdb_out_len(out, 1);
        rdb_out_len(out, RDB_QL_CONTAINER_PACKED);
        rdb_out_string(out, o->ptr, lp_bytes(o->ptr));
        return;
    }
    save_quicklist(out, o->ptr);
}

static void save_set_ht(RdbOut *out, const Obj *o) {
    Ht *ht = o->ptr;
    rdb_out_len(out, ht_size(ht));
    HtIter it;
    void *member;
    ht_iter_init(&it, ht, 0);
    while (ht_iter_next(&it, &member)) {
        size_t len;
        const char *bytes = set_member_bytes(member, &len);
        rdb_out_string(out, bytes, len);
    }
    ht_iter_deinit(&it);
}

static void save_zset_skiplist(RdbOut *out, const Obj *o) {
    const Zset *zs = o->ptr;
    rdb_out_len(out, zs->zsl.length);
    /* From the tail, so a loader inserting at the head does no searching. */
    for (const ZslNode *node = zs->zsl.tail; node; node = node->backward) {
        size_t len;
        const char *member = zsl_node_member(node, &len);
        rdb_out_string(out, member, len);
        rdb_out_double_binary(out, node->score);
    }
}

/* A hashtable hash as HASH, or (when some field has an expire time) as
 * Valkey 9's HASH_2: each field followed by its expire time in ms (-1 for
 * none). Fields whose time has already passed are left out. */
static void save_hash_ht(RdbOut *out, const Obj *o, long long now_ms) {
    const HashDict *d = o->ptr;
    bool with_expires = d->volatile_fields != NULL;
    unsigned long live = 0;
    HtIter it;
    void *entry;
    ht_iter_init(&it, d->fields, 0);
    while (ht_iter_next(&it, &entry)) {
        long long when = hash_entry_expire(entry);
        if (when == HASH_NO_EXPIRE || when > now_ms) live++;
    }
    ht_iter_deinit(&it);
    rdb_out_len(out, live);
    ht_iter_init(&it, d->fields, 0);
    while (ht_iter_next(&it, &entry)) {
        long long when = hash_entry_expire(entry);
        if (when != HASH_NO_EXPIRE && when <= now_ms) continue;
        size_t flen, vlen;
        const char *field = hash_entry_field(entry, &flen);
        const char *value = hash_entry_value(entry, &vlen);
        rdb_out_string(out, field, flen);
        rdb_out_string(out, value, vlen);
        if (with_expires) rdb_out_u64le(out, (uint64_t)when);
    }
    ht_iter_deinit(&it);
}

void rdb_value_save(RdbOut *out, const Obj *o, long long now_ms) {
    rdb_out_u8(out, (unsigned)rdb_value_type(o));
    rdb_value_save_body(out, o, now_ms);
}

void rdb_value_save_body(RdbOut *out, const Obj *o, long long now_ms) {
    switch (o->type) {
    case OBJ_STRING:
        save_string(out, o);
        return;
    case OBJ_LIST:
        save_list(out, o);
        return;
    case OBJ_SET:
        if (o->encoding == OBJ_ENCODING_INTSET)
            rdb_out_string(out, o->ptr, intset_bytes(o->ptr));
        else if (o->encoding == OBJ_ENCODING_LISTPACK)
            rdb_out_string(out, o->ptr, lp_bytes(o->ptr));
        else
            save_set_ht(out, o);
        return;
    case OBJ_ZSET:
        if (o->encoding == OBJ_ENCODING_LISTPACK)
            rdb_out_string(out, o->ptr, lp_bytes(o->ptr));
        else
            save_zset_skiplist(out, o);
        return;
    case OBJ_HASH:
        if (o->encoding == OBJ_ENCODING_LISTPACK) {
            rdb_out_string(out, o->ptr, lp_bytes(o->ptr));
            return;
        }
        save_hash_ht(out, o, now_ms);
        return;
    default:
        return;
    }
}
