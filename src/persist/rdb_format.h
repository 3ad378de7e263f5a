/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/rdb_format.h: the numbers of the RDB file format: version, opcodes,
 * value types, length and string encodings. Facts of the public format that
 * Redis and Valkey files share; nothing here is keel-specific.
 *
 * Threads: constants only.
 */
#ifndef KEEL_PERSIST_RDB_FORMAT_H
#define KEEL_PERSIST_RDB_FORMAT_H

/* keel writes version 11 (Valkey 8); it reads 1 to 11. */
#define RDB_VERSION 11
#define RDB_MIN_READ_VERSION 1

/* Value types (the byte before each key). */
#define RDB_TYPE_STRING 0
#define RDB_TYPE_LIST 1
#define RDB_TYPE_SET 2
#define RDB_TYPE_ZSET 3            /* scores as text */
#define RDB_TYPE_HASH 4
#define RDB_TYPE_ZSET_2 5          /* scores as binary doubles */
#define RDB_TYPE_MODULE_PRE_GA 6
#define RDB_TYPE_MODULE_2 7
#define RDB_TYPE_HASH_ZIPMAP 9
#define RDB_TYPE_LIST_ZIPLIST 10
#define RDB_TYPE_SET_INTSET 11
#define RDB_TYPE_ZSET_ZIPLIST 12
#define RDB_TYPE_HASH_ZIPLIST 13
#define RDB_TYPE_LIST_QUICKLIST 14   /* nodes are ziplists */
#define RDB_TYPE_STREAM_LISTPACKS 15
#define RDB_TYPE_HASH_LISTPACK 16
#define RDB_TYPE_ZSET_LISTPACK 17
#define RDB_TYPE_LIST_QUICKLIST_2 18 /* nodes are listpacks or plain elements */
#define RDB_TYPE_STREAM_LISTPACKS_2 19
#define RDB_TYPE_SET_LISTPACK 20
#define RDB_TYPE_STREAM_LISTPACKS_3 21
#define RDB_TYPE_HASH_2 22 /* Valkey 9: field, value, expire ms (-1 none) triples */

/* Valkey 9 files start "VALKEY080"; Redis 7.4+ versions 12..79 are not
 * read (their types differ). */
#define RDB_VERSION_VALKEY9 80

/* Quicklist 2 node containers. */
#define RDB_QL_CONTAINER_PLAIN 1
#define RDB_QL_CONTAINER_PACKED 2

/* Opcodes (in place of a value type). */
#define RDB_OPCODE_SLOT_INFO 244
#define RDB_OPCODE_FUNCTION2 245
#define RDB_OPCODE_FUNCTION_PRE_GA 246
#define RDB_OPCODE_MODULE_AUX 247
#define RDB_OPCODE_IDLE 248
#define RDB_OPCODE_FREQ 249
#define RDB_OPCODE_AUX 250
#define RDB_OPCODE_RESIZEDB 251
#define RDB_OPCODE_EXPIRETIME_MS 252
#define RDB_OPCODE_EXPIRETIME 253
#define RDB_OPCODE_SELECTDB 254
#define RDB_OPCODE_EOF 255

/* Length encoding: the two top bits of the first byte. */
#define RDB_6BITLEN 0
#define RDB_14BITLEN 1
#define RDB_32BITLEN 0x80
#define RDB_64BITLEN 0x81
#define RDB_ENCVAL 3
/* Special string encodings (RDB_ENCVAL, low six bits). */
#define RDB_ENC_INT8 0
#define RDB_ENC_INT16 1
#define RDB_ENC_INT32 2
#define RDB_ENC_LZF 3

/* Strings longer than this are tried with LZF when rdbcompression is on. */
#define RDB_LZF_MIN_LEN 20

/* Old ZSET text scores: these lengths stand for special values. */
#define RDB_DOUBLE_NAN 253
#define RDB_DOUBLE_POS_INF 254
#define RDB_DOUBLE_NEG_INF 255

#endif
