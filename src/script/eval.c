/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * script/eval.c: EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT LOAD |
 * EXISTS | FLUSH | KILL | HELP, and the script cache they share (sha ->
 * body and shebang flags; the compiled code is the engine's).
 *
 * A script that runs past busy-reply-threshold can be stopped by SCRIPT
 * KILL (script/script_busy.c).
 *
 * Threads: main only.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "net/reply.h"
#include "script/script.h"
#include "script/sha1.h"
#include "server/mem.h"
#include "types/args.h"

typedef struct CachedScript {
    char sha[41];
    unsigned flags;
    struct CachedScript *next;
} CachedScript;

#define CACHE_BUCKETS 1024

static CachedScript *cache[CACHE_BUCKETS];

static const ScriptEngine *engine = &lua_engine;

static unsigned bucket_of(const char *sha) {
    unsigned h = 0;
    for (int i = 0; i < 8; i++) h = h * 16 + (unsigned)(isdigit((unsigned char)sha[i])
                                                             ? sha[i] - '0'
                                                             : tolower((unsigned char)sha[i]) - 'a' + 10);
    return h & (CACHE_BUCKETS - 1);
}

/* Finds a cached script by sha (any case); NULL if unknown. */
static CachedScript *cache_find(const char *sha, size_t len) {
    if (len != 40) return NULL;
    for (CachedScript *s = cache[bucket_of(sha)]; s; s = s->next)
        if (strncasecmp(s->sha, sha, 40) == 0) return s;
    return NULL;
}

/* Compiles body and caches it unless cached already. Returns the entry,
 * or NULL after replying the error. */
static CachedScript *cache_add(Client *c, const char *body, size_t len) {
    char sha[41];
    sha1_hex(body, len, sha);
    CachedScript *found = cache_find(sha, 40);
    if (found) return found;
    size_t skip;
    unsigned flags = 0;
    sds err = NULL;
    if (script_parse_shebang(body, len, false, &skip, &flags, NULL, &err) != 0 ||
        engine->eval_compile(sha, body, len, skip, &err) != 0) {
        reply_error(c, err);
        sds_free(err);
        return NULL;
    }
    CachedScript *s = mem_alloc(sizeof(*s));
    memcpy(s->sha, sha, 41);
    s->flags = flags;
    unsigned b = bucket_of(sha);
    s->next = cache[b];
    cache[b] = s;
    return s;
}

static void cache_flush(void) {
    for (int b = 0; b < CACHE_BUCKETS; b++) {
        CachedScript *s = cache[b];
        while (s) {
            CachedScript *next = s->next;
            mem_free(s);
            s = next;
        }
        cache[b] = NULL;
    }
    engine->eval_reset();
}

/* Reads numkeys at argv[2]; replies the error and returns -1 when bad. */
int script_parse_numkeys(Client *c, long long *numkeys) {
    if (!type_arg_ll(c, c->argv[2], numkeys)) return -1;
    if (*numkeys > c->argc - 3) {
        reply_error(c, "Number of keys can't be greater than number of args");
        return -1;
    }
    if (*numkeys < 0) {
        reply_error(c, "Number of keys can't be negative");
        return -1;
    }
    return 0;
}

static void eval_generic(Client *c, bool by_sha, bool ro) {
    script_feed_monitors(c);
    long long numkeys;
    if (script_parse_numkeys(c, &numkeys) != 0) return;
    CachedScript *s;
    if (by_sha) {
        s = cache_find(c->argv[1]->ptr, obj_string_len(c->argv[1]));
        if (s == NULL) {
            reply_error(c, "-NOSCRIPT No matching script. Please use EVAL.");
            return;
        }
    } else {
        char buf[24];
        size_t len;
        const char *body = obj_string_bytes(c->argv[1], buf, &len);
        s = cache_add(c, body, len);
        if (s == NULL) return;
    }
    ScriptRun run;
    char sha[41];
    memcpy(sha, s->sha, 41); /* s may go if the script flushes the cache */
    if (script_run_begin(&run, c, sha, s->flags, ro) != 0) return;
    engine->eval_run(&run, sha, c->argv + 3, (int)numkeys, c->argv + 3 + numkeys,
                     c->argc - 3 - (int)numkeys);
    script_run_end(&run);
}

void cmd_eval(Client *c) {
    eval_generic(c, false, false);
}

void cmd_evalsha(Client *c) {
    eval_generic(c, true, false);
}

void cmd_eval_ro(Client *c) {
    eval_generic(c, false, true);
}

void cmd_evalsha_ro(Client *c) {
    eval_generic(c, true, true);
}

void cmd_script_load(Client *c) {
    char buf[24];
    size_t len;
    const char *body = obj_string_bytes(c->argv[2], buf, &len);
    CachedScript *s = cache_add(c, body, len);
    if (s) reply_bulk(c, s->sha, 40);
}

void cmd_script_exists(Client *c) {
    reply_array_len(c, c->argc - 2);
    for (int i = 2; i < c->argc; i++)
        reply_ll(c, cache_find(c->argv[i]->ptr, obj_string_len(c->argv[i])) != NULL);
}

/* "[ASYNC|SYNC]" of SCRIPT FLUSH and FUNCTION FLUSH; -1 when bad. */
int script_parse_flush_mode(Client *c) {
    if (c->argc == 2) return 0;
    if (c->argc == 3 && (type_arg_is(c->argv[2], "sync") || type_arg_is(c->argv[2], "async")))
        return 0;
    return -1;
}

void cmd_script_flush(Client *c) {
    if (script_parse_flush_mode(c) != 0) {
        reply_error(c, "SCRIPT FLUSH only support SYNC|ASYNC option");
        return;
    }
    cache_flush();
    reply_ok(c);
}

void cmd_script_kill(Client *c) {
    script_kill(c, false);
}

void cmd_script_help(Client *c) {
    static const char *const lines[] = {
        "EXISTS <sha1> [<sha1> ...]",
        "    Return information about the existence of the scripts in the script cache.",
        "FLUSH [ASYNC|SYNC]",
        "    Flush the Lua scripts cache. Very dangerous on replicas.",
        "    When called without the optional mode argument, the behavior is determined by the",
        "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
        "    * ASYNC: Asynchronously flush the scripts cache.",
        "    * SYNC: Synchronously flush the scripts cache.",
        "KILL",
        "    Kill the currently executing Lua script.",
        "LOAD <script>",
        "    Load a script into the scripts cache without executing it.",
        NULL,
    };
    reply_help(c, lines);
}
