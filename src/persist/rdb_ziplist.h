/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/rdb_ziplist.h: conversion of the pre-7.0 blob formats found in
 * old RDB files (ziplist, zipmap) into listpacks, with full validation.
 *
 * Threads: any (pure functions over memory).
 */
#ifndef KEEL_PERSIST_RDB_ZIPLIST_H
#define KEEL_PERSIST_RDB_ZIPLIST_H

#include <stddef.h>

/* A new listpack with the elements of the size-byte ziplist at zl, or NULL
 * with the reason in err when zl is not a well-formed ziplist. */
unsigned char *rdb_ziplist_to_listpack(const unsigned char *zl, size_t size, char *err,
                                       size_t errlen);
/* A new listpack of field, value, field, value... from a zipmap, or NULL
 * with the reason in err. */
unsigned char *rdb_zipmap_to_listpack(const unsigned char *zm, size_t size, char *err,
                                      size_t errlen);

#endif
