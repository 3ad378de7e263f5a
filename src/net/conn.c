/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/conn.c: the registry of connection types.
 *
 * Types are registered by transport modules while they load (startup only)
 * and live until exit. The registry checks each table before accepting it,
 * so a broken module fails at load with a reason instead of crashing on the
 * first connection.
 *
 * Threads: main only.
 */
#include "net/conn.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "server/mem.h"
#include "server/module.h"

typedef struct ConnTypeEntry {
    const KeelConnType *type;
    char *owner; /* module name that registered it */
} ConnTypeEntry;

static ConnTypeEntry types[CONN_TYPES_MAX];
static int type_count;

/* Names a required member that is NULL, or returns NULL when all are set. */
static const char *conn_type_missing_member(const KeelConnType *t) {
#define REQUIRE(member)                                                                           \
    if (t->member == NULL) return #member
    REQUIRE(listen);
    REQUIRE(close_listener);
    REQUIRE(accept_ready);
    REQUIRE(conn_create);
    REQUIRE(conn_create_accepted);
    REQUIRE(accept);
    REQUIRE(connect);
    REQUIRE(blocking_connect);
    REQUIRE(shutdown);
    REQUIRE(close);
    REQUIRE(read);
    REQUIRE(write);
    REQUIRE(writev);
    REQUIRE(set_read_handler);
    REQUIRE(set_write_handler);
    REQUIRE(last_error);
    REQUIRE(sync_write);
    REQUIRE(sync_read);
    REQUIRE(sync_readline);
#undef REQUIRE
    return NULL;
}

int conn_type_register(const KeelConnType *type, const char *owner, char *err, size_t errlen) {
    /* A table from before the appended members (KEEL_CONN_TYPE_SIZE_V1) is
     * still ABI 1: readers check size before touching those members. */
    if (type == NULL ||
        (type->size != sizeof(KeelConnType) && type->size != KEEL_CONN_TYPE_SIZE_V1)) {
        snprintf(err, errlen, "connection type table has size %zu, this server expects %zu",
                 type ? type->size : 0, sizeof(KeelConnType));
        return -1;
    }
    if (type->name == NULL || type->name[0] == '\0') {
        snprintf(err, errlen, "connection type without a name");
        return -1;
    }
    const char *missing = conn_type_missing_member(type);
    if (missing) {
        snprintf(err, errlen, "connection type \"%s\": missing %s()", type->name, missing);
        return -1;
    }
    for (int i = 0; i < type_count; i++) {
        if (strcasecmp(types[i].type->name, type->name) == 0) {
            snprintf(err, errlen, "connection type \"%s\" is already registered by %s", type->name,
                     types[i].owner);
            return -1;
        }
    }
    if (type_count == CONN_TYPES_MAX) {
        snprintf(err, errlen, "too many connection types (at most %d)", CONN_TYPES_MAX);
        return -1;
    }
    if (type->init && type->init(module_core_api(), err, errlen) != 0) return -1;
    types[type_count].type = type;
    types[type_count].owner = mem_strdup(owner ? owner : "core");
    type_count++;
    return 0;
}

void conn_type_unregister_owner(const char *owner) {
    int kept = 0;
    for (int i = 0; i < type_count; i++) {
        if (strcmp(types[i].owner, owner) == 0) {
            if (types[i].type->cleanup) types[i].type->cleanup();
            mem_free(types[i].owner);
            continue;
        }
        types[kept++] = types[i];
    }
    type_count = kept;
}

const KeelConnType *conn_type_find(const char *name) {
    for (int i = 0; i < type_count; i++)
        if (strcasecmp(types[i].type->name, name) == 0) return types[i].type;
    return NULL;
}

const char *conn_type_owner(const char *name) {
    for (int i = 0; i < type_count; i++)
        if (strcasecmp(types[i].type->name, name) == 0) return types[i].owner;
    return NULL;
}

int conn_type_count(void) {
    return type_count;
}

const KeelConnType *conn_type_at(int i) {
    return (i >= 0 && i < type_count) ? types[i].type : NULL;
}

int conn_types_have_pending_data(void) {
    for (int i = 0; i < type_count; i++)
        if (types[i].type->has_pending_data && types[i].type->has_pending_data()) return 1;
    return 0;
}

int conn_types_process_pending_data(void) {
    int processed = 0;
    for (int i = 0; i < type_count; i++)
        if (types[i].type->process_pending_data) processed += types[i].type->process_pending_data();
    return processed;
}

sds conn_types_info(sds out) {
    for (int i = 0; i < type_count; i++) {
        const KeelConnType *t = types[i].type;
        if (t->size < offsetof(KeelConnType, info) + sizeof(t->info) || t->info == NULL) continue;
        char buf[1024];
        size_t len = t->info(buf, sizeof(buf));
        if (len >= sizeof(buf)) len = sizeof(buf) - 1;
        out = sds_cat_len(out, buf, len);
    }
    return out;
}

void conn_types_cleanup(void) {
    for (int i = 0; i < type_count; i++)
        if (types[i].type->cleanup) types[i].type->cleanup();
}
