/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * keel/config.h: one configuration option, as the core and modules declare
 * it. The core's own options and every module's options live in the same
 * registry (src/server/config.c), so CONFIG GET/SET/REWRITE and config-file
 * parsing treat them alike.
 */
#ifndef KEEL_CONFIG_H
#define KEEL_CONFIG_H

#include <stddef.h>

typedef enum {
    KEEL_CFG_BOOL,   /* yes|no; storage: int */
    KEEL_CFG_NUMBER, /* integer within [min,max]; storage: long long */
    KEEL_CFG_MEMORY, /* byte count with k/kb/m/mb/g/gb suffix; storage: long long */
    KEEL_CFG_ENUM,   /* one of enum_names; storage: int (index into enum_names) */
    KEEL_CFG_STRING, /* storage: char * (owned by the core; NULL for "") */
} KeelConfigType;

#define KEEL_CFG_IMMUTABLE 0x01 /* only in the config file / command line */
#define KEEL_CFG_SENSITIVE 0x02 /* value never logged */
#define KEEL_CFG_HIDDEN 0x04    /* not matched by CONFIG GET globs */
#define KEEL_CFG_EMPTY_OK 0x08  /* STRING: "" is allowed (stored as NULL) */
#define KEEL_CFG_OCTAL 0x10     /* NUMBER: written and parsed in octal */
#define KEEL_CFG_PERCENT 0x20   /* MEMORY: a trailing % gives -percent (min = -max percent) */
#define KEEL_CFG_PROTECTED 0x40 /* CONFIG SET only when enable-protected-configs allows */

typedef struct KeelConfigOption {
    size_t size;               /* sizeof(KeelConfigOption) as built */
    const char *name;          /* lower-case option name */
    const char *alias;         /* older name, or NULL */
    KeelConfigType type;
    unsigned flags;            /* KEEL_CFG_* */
    const char *default_value; /* as it would be written in the config file */
    long long min, max;        /* NUMBER / MEMORY bounds */
    const char *const *enum_names; /* ENUM: NULL-terminated list */
    void *storage;             /* where the parsed value lives; see the type */
    /* Optional. Runs after a value changed (config load or CONFIG SET) on the
     * main thread; returns 0, or -1 with err filled to refuse, in which case
     * the old value is restored. */
    int (*apply)(const char *name, char *err, size_t errlen);
} KeelConfigOption;

#endif
