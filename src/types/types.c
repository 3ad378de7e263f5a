/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * types/types.c: hands each collection type's hooks to db/object.c and
 * registers its options (types/types.h).
 */
#include "types/types.h"

#include "db/object.h"

void types_register(void) {
    type_ops_register(OBJ_LIST, &list_type_ops);
    type_ops_register(OBJ_HASH, &hash_type_ops);
    type_ops_register(OBJ_SET, &set_type_ops);
    type_ops_register(OBJ_ZSET, &zset_type_ops);
    list_register_config();
    hash_register_config();
    set_register_config();
    zset_register_config();
}
