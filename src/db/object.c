/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * db/object.c: creating and releasing reference-counted values.
 *
 * Short strings are EMBSTR: object header, sds header and bytes in one
 * allocation, which halves allocator calls for the typical command argument.
 */
#include "db/object.h"

#include <string.h>

#include "server/mem.h"

Obj *obj_create_string(const char *p, size_t len) {
    if (len > OBJ_EMBSTR_MAX) return obj_create_from_sds(sds_new_len(p, len));
    Obj *o = mem_alloc(sizeof(Obj) + sizeof(SdsHeader) + len + 1);
    SdsHeader *hdr = (SdsHeader *)(o + 1);
    hdr->len = len;
    hdr->alloc = len;
    if (len) memcpy(hdr->buf, p, len);
    hdr->buf[len] = '\0';
    o->type = OBJ_STRING;
    o->encoding = OBJ_ENCODING_EMBSTR;
    o->lru = 0;
    o->refcount = 1;
    o->ptr = hdr->buf;
    return o;
}

Obj *obj_create_from_sds(sds s) {
    Obj *o = mem_alloc(sizeof(Obj));
    o->type = OBJ_STRING;
    o->encoding = OBJ_ENCODING_RAW;
    o->lru = 0;
    o->refcount = 1;
    o->ptr = s;
    return o;
}

void obj_incr_ref(Obj *o) {
    o->refcount++;
}

void obj_decr_ref(Obj *o) {
    if (--o->refcount > 0) return;
    if (o->encoding == OBJ_ENCODING_RAW) sds_free(o->ptr);
    mem_free(o);
}
