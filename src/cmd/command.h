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

#include <stdbool.h>
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
/* keel-internal (never shown by COMMAND): runs at once inside MULTI
 * instead of being queued (EXEC, DISCARD, MULTI, WATCH, QUIT, RESET). */
#define CMD_RUNS_IN_MULTI (1ull << 40)

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

/* One argument of a command, for COMMAND DOCS. Arrays of arguments end with
 * a record whose name is NULL. Unset optional fields are left out of the
 * reply, as Valkey leaves them out. */
typedef struct CommandArg {
    const char *name;
    const char *type;  /* "string", "integer", "double", "key", "pattern",
                          "unix-time", "pure-token", "oneof" or "block" */
    const char *token; /* literal token, or NULL */
    unsigned flags;    /* CMD_ARG_* */
    const struct CommandArg *subargs; /* for oneof/block; terminated by name NULL */
    const char *display_text;         /* shown in syntax; NULL means name */
    int key_spec_index;               /* type "key" only: index into key_specs */
    const char *summary;
    const char *since;
    const char *deprecated_since;
} CommandArg;

#define CMD_ARG_OPTIONAL 0x1
#define CMD_ARG_MULTIPLE 0x2
#define CMD_ARG_MULTIPLE_TOKEN 0x4

/* One note of a command's history: the version and what changed. Arrays end
 * with a record whose since is NULL. */
typedef struct CommandHistory {
    const char *since;
    const char *changes;
} CommandHistory;

/* Documentation flags (COMMAND DOCS doc_flags). */
#define CMD_DOC_DEPRECATED (1u << 0)
#define CMD_DOC_SYSCMD (1u << 1)

/* Key-spec flags: how a command uses the keys one spec finds (COMMAND INFO
 * key specs, COMMAND GETKEYSANDFLAGS). One of RO/RW/OW/RM says what happens
 * to the value; access/update/insert/delete refine it. */
#define CMD_KEY_RO (1ull << 0)             /* read only */
#define CMD_KEY_RW (1ull << 1)             /* read and modified */
#define CMD_KEY_OW (1ull << 2)             /* overwritten, old value not read */
#define CMD_KEY_RM (1ull << 3)             /* removed */
#define CMD_KEY_ACCESS (1ull << 4)         /* user data is returned or used */
#define CMD_KEY_UPDATE (1ull << 5)         /* the value is changed */
#define CMD_KEY_INSERT (1ull << 6)         /* data is only added */
#define CMD_KEY_DELETE (1ull << 7)         /* data is only removed */
#define CMD_KEY_NOT_KEY (1ull << 8)        /* an argument that is not really a key */
#define CMD_KEY_INCOMPLETE (1ull << 9)     /* the spec may miss keys: use getkeys_proc */
#define CMD_KEY_VARIABLE_FLAGS (1ull << 10) /* flags depend on arguments: use getkeys_proc */

/* Where a key spec starts looking (begin_search). */
typedef enum KeySpecBeginSearch {
    KSPEC_BS_INVALID = 0, /* terminates a key_specs array */
    KSPEC_BS_UNKNOWN,     /* positions need the command's own parser */
    KSPEC_BS_INDEX,       /* bs.index.pos is the argv index */
    KSPEC_BS_KEYWORD,     /* after bs.keyword.keyword, searched from startfrom */
} KeySpecBeginSearch;

/* How a key spec finds the keys from there (find_keys). */
typedef enum KeySpecFindKeys {
    KSPEC_FK_INVALID = 0,
    KSPEC_FK_UNKNOWN, /* positions need the command's own parser */
    KSPEC_FK_RANGE,   /* keys up to lastkey (relative; < 0 from the end), every keystep */
    KSPEC_FK_KEYNUM,  /* a count at keynumidx, keys from firstkey, every keystep */
} KeySpecFindKeys;

/* A key specification, as COMMAND INFO shows it. Fill with designated
 * initializers, e.g. GET:
 *   {.flags = CMD_KEY_RO | CMD_KEY_ACCESS, .begin_search = KSPEC_BS_INDEX,
 *    .bs.index = {1}, .find_keys = KSPEC_FK_RANGE, .fk.range = {0, 1, 0}}
 * Arrays end with a record whose begin_search is KSPEC_BS_INVALID. */
typedef struct KeySpec {
    const char *notes; /* optional */
    uint64_t flags;    /* CMD_KEY_* */
    KeySpecBeginSearch begin_search;
    union {
        struct {
            int pos;
        } index;
        struct {
            const char *keyword;
            int startfrom; /* > 0 search forward from there; < 0 backward from argc+startfrom */
        } keyword;
    } bs;
    KeySpecFindKeys find_keys;
    union {
        struct {
            int lastkey; /* >= 0 relative to the first key; < 0 counted from argc */
            int keystep;
            int limit; /* lastkey -1 only: use 1/limit of the remaining arguments */
        } range;
        struct {
            int keynumidx; /* relative to the begin_search position */
            int firstkey;  /* relative to the begin_search position */
            int keystep;
        } keynum;
    } fk;
} KeySpec;

struct KeyRefs; /* cmd/keys.h */
struct Command;

/* Finds keys a spec cannot describe (SORT's STORE, MIGRATE's KEYS). Appends
 * to result with cmd_keys_add and returns the number of keys found; 0 when
 * the arguments hold none. */
typedef int (*CommandGetKeysProc)(const struct Command *cmd, Obj **argv, int argc,
                                  struct KeyRefs *result);

typedef struct Command {
    const char *name; /* lower case; subcommands: the subcommand alone */
    CommandProc proc; /* NULL for a container with subcommands */
    int arity;        /* > 0 exact, < 0 at least -arity */
    uint64_t flags;   /* CMD_* */
    uint64_t acl;     /* ACL_* */
    /* Legacy key range: 0 0 0 = no keys. A record with key_specs leaves these
     * 0: startup derives them from the specs, as COMMAND INFO shows them. A
     * record without key_specs but with first_key gets one spec derived from
     * this range (with no CMD_KEY_* flags, so give key_specs when you can). */
    int first_key, last_key, key_step;
    const char *since;
    const char *group;
    const char *summary;
    const char *complexity;
    const CommandArg *args;          /* terminated by name NULL; may be NULL */
    const char *const *tips;         /* request/response policy hints; NULL-terminated */
    struct Command *subcommands;     /* terminated by name NULL; may be NULL */
    const CommandHistory *history;   /* terminated by since NULL; may be NULL */
    unsigned doc_flags;              /* CMD_DOC_* */
    const char *deprecated_since;    /* may be NULL */
    const char *replaced_by;         /* may be NULL */
    const KeySpec *key_specs;        /* terminated by KSPEC_BS_INVALID; may be NULL */
    CommandGetKeysProc getkeys_proc; /* keys the specs cannot find; may be NULL */
    /* Filled at startup: */
    struct Command *parent;
    char *full_name; /* "client|list" for subcommands */
    CommandStats stats;
    KeySpec derived_specs[2]; /* the spec derived from first/last/step, and its end */
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
/* Runs cmd for c with c->argv as it is, counting it in the command's
 * statistics, without the checks cmd_process makes first: for commands
 * run on a client's behalf by another one (EXEC's queued commands). */
void cmd_call(Client *c, const Command *cmd);
/* Counts c's blocked command (c->last_cmd) as one completed call, when it
 * ends by timeout or CLIENT UNBLOCK rather than by a re-run. */
void cmd_count_unblocked_call(Client *c, bool failed);
/* Called by reply_error: marks the running command as failed. */
void cmd_note_error(Client *c);
/* Clears every CommandStats (CONFIG RESETSTAT). */
void cmd_stats_reset(void);
/* Appends "cmdstat_<name>:calls=...,usec=...\r\n" lines. */
sds cmd_stats_info(sds out);
/* Totals for INFO stats. */
unsigned long long cmd_total_processed(void);
void cmd_total_processed_reset(void);

#endif
