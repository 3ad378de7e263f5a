/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/object.c: creating, reshaping and releasing objects: bare strings for
 * command arguments, and keyed objects for the keyspace (layout in
 * db/object.h).
 *
 * Short bare strings are EMBSTR: object header, sds header and bytes in one
 * allocation, which halves allocator calls for the typical command argument.
 */
#include "db/object.h"

#include <assert.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "ds/strnum.h"
#include "server/mem.h"
#include "types/types.h"

/* ---- bare strings ---- */

static Obj *obj_init(Obj *o, int type, int encoding, void *ptr) {
    o->type = (unsigned)type;
    o->encoding = (unsigned)encoding;
    o->lru = 0;
    o->refcount = 1;
    o->has_expire_field = 0;
    o->has_key = 0;
    o->unused = 0;
    o->ptr = ptr;
    return o;
}

Obj *obj_create(int type, int encoding, void *ptr) {
    return obj_init(mem_alloc(sizeof(Obj)), type, encoding, ptr);
}

/* Writes an sds header and bytes at dst; returns the sds. */
static sds embed_sds(void *dst, const char *p, size_t len) {
    SdsHeader *hdr = dst;
    hdr->len = len;
    hdr->alloc = len;
    if (len) memcpy(hdr->buf, p, len);
    hdr->buf[len] = '\0';
    return hdr->buf;
}

Obj *obj_create_string(const char *p, size_t len) {
    if (len > OBJ_EMBSTR_MAX) return obj_create_from_sds(sds_new_len(p, len));
    Obj *o = mem_alloc(sizeof(Obj) + sizeof(SdsHeader) + len + 1);
    return obj_init(o, OBJ_STRING, OBJ_ENCODING_EMBSTR, embed_sds(o + 1, p, len));
}

Obj *obj_create_from_sds(sds s) {
    return obj_init(mem_alloc(sizeof(Obj)), OBJ_STRING, OBJ_ENCODING_RAW, s);
}

Obj *obj_create_string_from_ll(long long value) {
    char buf[24];
    size_t len = strnum_from_ll(buf, value);
    return obj_create_string(buf, len);
}

void obj_incr_ref(Obj *o) {
    o->refcount++;
}

void obj_decr_ref(Obj *o) {
    if (--o->refcount > 0) return;
    obj_free(o);
}

/* ---- keyed objects ---- */

/* Bytes the key takes after the header (and expire field). */
static size_t key_field_size(size_t keylen) {
    return (keylen < 255 ? 1 : 1 + sizeof(size_t)) + keylen + 1;
}

/* Allocates a keyed object of the given value size (an embedded sds's
 * header and bytes, or 0), writes header, expire and key, and returns it
 * with *value_at pointing where an embedded value goes. */
static Obj *keyed_alloc(const char *key, size_t keylen, long long expire, size_t value_size,
                        unsigned char **value_at) {
    size_t expire_size = expire >= 0 ? sizeof(long long) : 0;
    size_t size = sizeof(Obj) + expire_size + key_field_size(keylen) + value_size;
    Obj *o = mem_alloc(size);
    obj_init(o, OBJ_STRING, OBJ_ENCODING_RAW, NULL);
    o->has_key = 1;
    unsigned char *p = (unsigned char *)(o + 1);
    if (expire >= 0) {
        o->has_expire_field = 1;
        memcpy(p, &expire, sizeof(expire));
        p += sizeof(expire);
    }
    if (keylen < 255) {
        *p++ = (unsigned char)keylen;
    } else {
        *p++ = 255;
        memcpy(p, &keylen, sizeof(keylen));
        p += sizeof(keylen);
    }
    if (keylen) memcpy(p, key, keylen);
    p[keylen] = '\0';
    *value_at = p + keylen + 1;
    return o;
}

/* A keyed EMBSTR object holding val whatever it looks like: a value stored
 * as a string that reads as a number stays a string, with its encoding.
 * The embedded sds header is padded to size_t alignment. */
static Obj *keyed_embstr(const char *key, size_t keylen, long long expire, const char *val,
                         size_t vlen) {
    unsigned char *value_at;
    size_t head = sizeof(Obj) + (expire >= 0 ? sizeof(long long) : 0) + key_field_size(keylen);
    size_t pad = (sizeof(size_t) - head % sizeof(size_t)) % sizeof(size_t);
    Obj *o = keyed_alloc(key, keylen, expire, pad + sizeof(SdsHeader) + vlen + 1, &value_at);
    o->encoding = OBJ_ENCODING_EMBSTR;
    o->ptr = embed_sds(value_at + pad, val, vlen);
    return o;
}

Obj *obj_create_keyed_string(const char *key, size_t keylen, long long expire, const char *val,
                             size_t vlen) {
    unsigned char *value_at;
    long long number;
    if (vlen <= 20 && vlen > 0 && strnum_to_ll(val, vlen, &number) == 0) {
        Obj *o = keyed_alloc(key, keylen, expire, 0, &value_at);
        o->encoding = OBJ_ENCODING_INT;
        o->ptr = (void *)(intptr_t)number;
        return o;
    }
    if (vlen > OBJ_EMBED_VALUE_MAX) {
        Obj *o = keyed_alloc(key, keylen, expire, 0, &value_at);
        o->ptr = sds_new_len(val, vlen);
        return o;
    }
    return keyed_embstr(key, keylen, expire, val, vlen);
}

Obj *obj_create_keyed(const char *key, size_t keylen, long long expire, int type, int encoding,
                      void *ptr) {
    unsigned char *value_at;
    Obj *o = keyed_alloc(key, keylen, expire, 0, &value_at);
    o->type = (unsigned)type;
    o->encoding = (unsigned)encoding;
    o->ptr = ptr;
    return o;
}

/* Frees the object's value when it is not inside the allocation. */
static void free_value(Obj *o) {
    if (o->type == OBJ_STRING) {
        if (o->encoding == OBJ_ENCODING_RAW) sds_free(o->ptr);
        return;
    }
    type_ops_for(o->type)->free_value(o->encoding, o->ptr);
}

Obj *obj_rekey(Obj *val, const char *key, size_t keylen, long long expire) {
    Obj *o;
    if (val->type == OBJ_STRING) {
        char buf[24];
        size_t len;
        const char *p = obj_string_bytes(val, buf, &len);
        o = obj_create_keyed_string(key, keylen, expire, p, len);
    } else {
        o = obj_create_keyed(key, keylen, expire, val->type, val->encoding, val->ptr);
        val->type = OBJ_STRING; /* the structure moved: free only the header */
        val->encoding = OBJ_ENCODING_INT;
    }
    o->lru = val->lru;
    obj_decr_ref(val);
    return o;
}

/* Rebuilds o with or without an expire field and with the value embedded or
 * not, copying the key. Frees the old allocation. */
static Obj *obj_reshape(Obj *o, long long expire, int keep_embedded) {
    size_t keylen;
    const char *key = obj_key(o, &keylen);
    Obj *n;
    if (o->type == OBJ_STRING && o->encoding == OBJ_ENCODING_EMBSTR && keep_embedded) {
        n = keyed_embstr(key, keylen, expire, o->ptr, obj_string_len(o));
    } else if (o->type == OBJ_STRING && o->encoding == OBJ_ENCODING_EMBSTR) {
        n = obj_create_keyed(key, keylen, expire, OBJ_STRING, OBJ_ENCODING_RAW,
                             sds_new_len(o->ptr, obj_string_len(o)));
    } else {
        n = obj_create_keyed(key, keylen, expire, o->type, o->encoding, o->ptr);
    }
    n->lru = o->lru;
    n->refcount = o->refcount;
    mem_free(o);
    return n;
}

Obj *obj_set_expire(Obj *o, long long when) {
    if (o->has_expire_field) {
        memcpy(o + 1, &when, sizeof(when));
        return o;
    }
    if (when < 0) return o;
    return obj_reshape(o, when, 1);
}

Obj *obj_unshare_string(Obj *o) {
    if (o->encoding == OBJ_ENCODING_RAW) return o;
    if (o->encoding == OBJ_ENCODING_INT) {
        o->ptr = sds_from_ll((long long)(intptr_t)o->ptr);
        o->encoding = OBJ_ENCODING_RAW;
        return o;
    }
    return obj_reshape(o, obj_get_expire(o), 0);
}

void obj_free(Obj *o) {
    free_value(o);
    mem_free(o);
}

/* ---- reading values ---- */

const char *obj_string_bytes(const Obj *o, char *buf, size_t *len) {
    if (o->encoding == OBJ_ENCODING_INT) {
        *len = strnum_from_ll(buf, (long long)(intptr_t)o->ptr);
        return buf;
    }
    *len = sds_len((sds)o->ptr);
    return o->ptr;
}

size_t obj_string_length(const Obj *o) {
    if (o->encoding != OBJ_ENCODING_INT) return sds_len((sds)o->ptr);
    char buf[24];
    return strnum_from_ll(buf, (long long)(intptr_t)o->ptr);
}

const char *obj_type_name(const Obj *o) {
    switch (o->type) {
    case OBJ_STRING: return "string";
    case OBJ_LIST: return "list";
    case OBJ_SET: return "set";
    case OBJ_ZSET: return "zset";
    case OBJ_HASH: return "hash";
    case OBJ_STREAM: return "stream";
    default: return "unknown";
    }
}

const char *obj_encoding_name(const Obj *o) {
    switch (o->encoding) {
    case OBJ_ENCODING_RAW: return "raw";
    case OBJ_ENCODING_INT: return "int";
    case OBJ_ENCODING_EMBSTR:
        /* A keyed object embeds values up to OBJ_EMBED_VALUE_MAX, but only
         * short ones are "embstr" to a user, as in Valkey. */
        return obj_string_len(o) <= OBJ_EMBSTR_MAX ? "embstr" : "raw";
    case OBJ_ENCODING_HT: return "hashtable";
    case OBJ_ENCODING_INTSET: return "intset";
    case OBJ_ENCODING_SKIPLIST: return "skiplist";
    case OBJ_ENCODING_QUICKLIST: return "quicklist";
    case OBJ_ENCODING_LISTPACK: return "listpack";
    default: return "unknown";
    }
}

size_t obj_memory_usage_sampled(const Obj *o, long long samples) {
    size_t size = mem_size((void *)o);
    if (o->type == OBJ_STRING) {
        if (o->encoding == OBJ_ENCODING_RAW) size += mem_size(SDS_HDR((sds)o->ptr));
        return size;
    }
    return size + type_ops_for(o->type)->value_memory(o->encoding, o->ptr, samples);
}

size_t obj_memory_usage(const Obj *o) {
    return obj_memory_usage_sampled(o, 5);
}

/* Filled by types_register at startup, so this file (which the request
 * parser's fuzz target links alone) never names a type's code. */
static const TypeOps *registered_ops[16];

void type_ops_register(int type, const TypeOps *ops) {
    registered_ops[type] = ops;
}

const TypeOps *type_ops_for(int type) {
    return registered_ops[type];
}

/* ---- copying and renaming keyed objects (COPY, RENAME) ---- */


Obj *obj_duplicate_keyed(const Obj *o, const char *key, size_t keylen, long long expire) {
    if (o->type != OBJ_STRING) {
        void *copy = type_ops_for(o->type)->dup_value(o->encoding, o->ptr);
        return obj_create_keyed(key, keylen, expire, o->type, o->encoding, copy);
    }
    if (o->encoding == OBJ_ENCODING_EMBSTR)
        return keyed_embstr(key, keylen, expire, o->ptr, obj_string_len(o));
    void *value = o->ptr; /* INT: the number itself */
    if (o->encoding == OBJ_ENCODING_RAW) value = sds_new_len(o->ptr, obj_string_len(o));
    return obj_create_keyed(key, keylen, expire, OBJ_STRING, o->encoding, value);
}

Obj *obj_rename_keyed(Obj *o, const char *key, size_t keylen) {
    long long expire = obj_get_expire(o);
    Obj *n;
    if (o->type == OBJ_STRING && o->encoding == OBJ_ENCODING_EMBSTR)
        n = keyed_embstr(key, keylen, expire, o->ptr, obj_string_len(o));
    else /* the value (sds, number or structure) moves over as it is */
        n = obj_create_keyed(key, keylen, expire, o->type, o->encoding, o->ptr);
    n->lru = o->lru;
    mem_free(o); /* the header only: the value now belongs to n */
    return n;
}
