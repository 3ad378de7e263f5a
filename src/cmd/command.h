/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cmd/command.h: the declarative command table and command execution.
 *
 * Each command is one static Command record: name, arity, flags, key
 * positions, ACL categories, version and docs. The table drives lookup,
 * arity checks, COMMAND INFO/DOCS/LIST/GETKEYS and INFO commandstats, so
 * adding a command is adding a record and its function.
 *
 * Threads: main only.
 */
#ifndef KEEL_CMD_COMMAND_H
#define KEEL_CMD_COMMAND_H

#include <stddef.h>
#include <stdint.h>

#include "ds/sds.h"
#include "net/client.h"

typedef void (*CommandProc)(Client *c);

/* Command flags, as COMMAND INFO shows them. */
#define CMD_WRITE (1ull << 0)
#define CMD_READONLY (1ull << 1)
#define CMD_DENYOOM (1ull << 2)
#define CMD_MODULE (1ull << 3)
#define CMD_ADMIN (1ull << 4)
#define CMD_PUBSUB (1ull << 5)
#define CMD_NOSCRIPT (1ull << 6)
#define CMD_BLOCKING (1ull << 8)
#define CMD_LOADING (1ull << 9)
#define CMD_STALE (1ull << 10)
#define CMD_SKIP_MONITOR (1ull << 11)
#define CMD_SKIP_SLOWLOG (1ull << 12)
#define CMD_ASKING (1ull << 13)
#define CMD_FAST (1ull << 14)
#define CMD_NO_AUTH (1ull << 15)
#define CMD_MAY_REPLICATE (1ull << 16)
#define CMD_SENTINEL (1ull << 17)
#define CMD_ONLY_SENTINEL (1ull << 18)
#define CMD_NO_MANDATORY_KEYS (1ull << 19)
#define CMD_PROTECTED (1ull << 20)
#define CMD_NO_ASYNC_LOADING (1ull << 23)
#define CMD_NO_MULTI (1ull << 24)
#define CMD_MOVABLE_KEYS (1ull << 25)
#define CMD_ALLOW_BUSY (1ull << 26)
#define CMD_TOUCHES_ARBITRARY_KEYS (1ull << 28)

/* ACL categories. */
#define ACL_KEYSPACE (1ull << 0)
#define ACL_READ (1ull << 1)
#define ACL_WRITE (1ull << 2)
#define ACL_SET (1ull << 3)
#define ACL_SORTEDSET (1ull << 4)
#define ACL_LIST (1ull << 5)
#define ACL_HASH (1ull << 6)
#define ACL_STRING (1ull << 7)
#define ACL_BITMAP (1ull << 8)
#define ACL_HYPERLOGLOG (1ull << 9)
#define ACL_GEO (1ull << 10)
#define ACL_STREAM (1ull << 11)
#define ACL_PUBSUB (1ull << 12)
#define ACL_ADMIN (1ull << 13)
#define ACL_FAST (1ull << 14)
#define ACL_SLOW (1ull << 15)
#define ACL_BLOCKING (1ull << 16)
#define ACL_DANGEROUS (1ull << 17)
#define ACL_CONNECTION (1ull << 18)
#define ACL_TRANSACTION (1ull << 19)
#define ACL_SCRIPTING (1ull << 20)

/* Per-command statistics (INFO commandstats). */
typedef struct CommandStats {
    unsigned long long calls;
    unsigned long long usec;
    unsigned long long rejected_calls;
    unsigned long long failed_calls;
} CommandStats;

/* One argument of a command, for COMMAND DOCS. */
typedef struct CommandArg {
    const char *name;
    const char *type;  /* "string", "integer", "key", "pure-token", "oneof", "block", ... */
    const char *token; /* literal token, or NULL */
    unsigned flags;    /* CMD_ARG_* */
    const struct CommandArg *subargs; /* for oneof/block; terminated by name NULL */
} CommandArg;

#define CMD_ARG_OPTIONAL 0x1
#define CMD_ARG_MULTIPLE 0x2
#define CMD_ARG_MULTIPLE_TOKEN 0x4

typedef struct Command {
    const char *name; /* lower case; subcommands: the subcommand alone */
    CommandProc proc; /* NULL for a container with subcommands */
    int arity;        /* > 0 exact, < 0 at least -arity */
    uint64_t flags;   /* CMD_* */
    uint64_t acl;     /* ACL_* */
    int first_key, last_key, key_step; /* 0 0 0 = no keys */
    const char *since;
    const char *group;
    const char *summary;
    const char *complexity;
    const CommandArg *args;          /* terminated by name NULL; may be NULL */
    const char *const *tips;         /* request/response policy hints; NULL-terminated */
    struct Command *subcommands;     /* terminated by name NULL; may be NULL */
    /* Filled at startup: */
    struct Command *parent;
    char *full_name; /* "client|list" for subcommands */
    CommandStats stats;
} Command;

/* Builds the lookup table. Call once at startup. */
void cmd_table_init(void);
/* Finds a command by argv (resolving subcommands). NULL if unknown. */
const Command *cmd_lookup(Obj **argv, int argc);
/* Finds a top-level command by name. */
const Command *cmd_lookup_name(const char *name, size_t len);
/* Finds "name" or "name|sub". */
const Command *cmd_lookup_full_name(const char *full_name);
/* "get" or "client|list". */
const char *cmd_full_name(const Command *cmd);
/* Calls fn for every command and subcommand. */
void cmd_for_each(void (*fn)(const Command *cmd, void *ctx), void *ctx);
/* Top-level commands. */
int cmd_count(void);

/* Runs the command in c->argv (lookup, auth, arity, execute, stats).
 * Returns 0, or -1 if the client was closed meanwhile. */
int cmd_process(Client *c);
/* Called by reply_error: marks the running command as failed. */
void cmd_note_error(Client *c);
/* Clears every CommandStats (CONFIG RESETSTAT). */
void cmd_stats_reset(void);
/* Appends "cmdstat_<name>:calls=...,usec=...\r\n" lines. */
sds cmd_stats_info(sds out);
/* Totals for INFO stats. */
unsigned long long cmd_total_processed(void);

#endif
