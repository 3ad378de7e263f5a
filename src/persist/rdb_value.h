/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * persist/rdb_value.h: one value in the RDB format, both ways: the type
 * byte and body that keel writes for each type and encoding, and the
 * reader that turns any type byte Redis 2.x to Valkey 8 write into a keel
 * object in keel's encodings at keel's thresholds.
 *
 * The reader validates everything it takes over as-is (listpacks, intsets)
 * and everything it converts (ziplists, zipmaps), so damaged input is an
 * error with a reason, never a crash. Deep checks (duplicates inside
 * blobs) run when `deep` is set (sanitize-dump-payload).
 *
 * Threads: main thread, or the BGSAVE child for saving.
 */
#ifndef KEEL_PERSIST_RDB_VALUE_H
#define KEEL_PERSIST_RDB_VALUE_H

#include <stdbool.h>

#include "db/object.h"
#include "persist/rdb_io.h"

/* The RDB type byte keel writes for o. */
int rdb_value_type(const Obj *o);
/* Writes o's type byte and its value. Hash fields whose expire time is
 * before now_ms are left out. */
void rdb_value_save(RdbOut *out, const Obj *o, long long now_ms);
/* rdb_value_save without the type byte (a file puts the key in between). */
void rdb_value_save_body(RdbOut *out, const Obj *o, long long now_ms);
/* Whether type is a value type keel can read (stream and module types
 * are not: keel has no such values). */
bool rdb_value_type_known(int type);
/* Reads a value of the given type: a new bare object, or NULL with the
 * reason in in->err. */
Obj *rdb_value_load(RdbIn *in, int type, bool deep);

#endif
