/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/client_kill.c: CLIENT KILL, in its old form (CLIENT KILL ip:port,
 * replying +OK or an error) and its filter form (CLIENT KILL <filter> <value>
 * ..., every filter must match, replying the number of clients killed).
 *
 * Killed clients are closed asynchronously: before-sleep frees them before
 * it writes any reply, so they are gone by the time the killer hears back.
 * A caller that kills itself gets its reply first and is closed after it.
 *
 * Threads: main only.
 */
#include <limits.h>
#include <string.h>
#include <strings.h>

#include "cmd/procs.h"
#include "net/client.h"
#include "net/client_cmd.h"
#include "net/reply.h"
#include "server/ev.h"

/* What a kill matches; unset filters match everything. */
typedef struct KillFilter {
    const char *addr;  /* peer "ip:port", NULL = any */
    const char *laddr; /* local "ip:port", NULL = any */
    const char *user;  /* user name, NULL = any */
    int type;          /* CLIENT_TYPE_*, -1 = any */
    uint64_t id;       /* 0 = any */
    long long max_age; /* seconds; kill only clients at least this old; 0 = any */
    int skip_me;       /* never kill the caller */
} KillFilter;

/* Until ACLs exist the only user is "default". */
static int kill_user_exists(const char *name) {
    return strcmp(name, "default") == 0;
}

/* Reads one "<option> <value>" pair at argv[i]. Returns 0, or -1 after
 * replying the error (Valkey checks each value as it reads it). */
static int kill_parse_option(Client *c, int i, KillFilter *f) {
    const char *opt = c->argv[i]->ptr;
    const Obj *value = c->argv[i + 1];
    long long number;
    if (strcasecmp(opt, "id") == 0) {
        if (client_arg_ll(value, &number) != 0 || number < 1 || number > LONG_MAX) {
            reply_error(c, "client-id should be greater than 0");
            return -1;
        }
        f->id = (uint64_t)number;
    } else if (strcasecmp(opt, "maxage") == 0) {
        if (client_arg_ll(value, &number) != 0) {
            reply_error(c, "maxage is not an integer or out of range");
            return -1;
        }
        if (number <= 0) {
            reply_error(c, "maxage should be greater than 0");
            return -1;
        }
        f->max_age = number;
    } else if (strcasecmp(opt, "type") == 0) {
        f->type = client_type_by_name(value->ptr);
        if (f->type == -1) {
            reply_error_format(c, "Unknown client type '%s'", (const char *)value->ptr);
            return -1;
        }
    } else if (strcasecmp(opt, "addr") == 0) {
        f->addr = value->ptr;
    } else if (strcasecmp(opt, "laddr") == 0) {
        f->laddr = value->ptr;
    } else if (strcasecmp(opt, "user") == 0) {
        if (!kill_user_exists(value->ptr)) {
            reply_error_format(c, "No such user '%s'", (const char *)value->ptr);
            return -1;
        }
        f->user = value->ptr;
    } else if (strcasecmp(opt, "skipme") == 0) {
        if (client_arg_is(value, "yes")) {
            f->skip_me = 1;
        } else if (client_arg_is(value, "no")) {
            f->skip_me = 0;
        } else {
            reply_error_syntax(c);
            return -1;
        }
    } else {
        reply_error_syntax(c);
        return -1;
    }
    return 0;
}

static int kill_matches(const Client *caller, const Client *c, const KillFilter *f,
                        long long now_s) {
    if (f->addr && strcmp(c->peer_id, f->addr) != 0) return 0;
    if (f->laddr && strcmp(c->local_id, f->laddr) != 0) return 0;
    if (f->type != -1 && client_type(c) != f->type) return 0;
    if (f->id != 0 && c->id != f->id) return 0;
    if (f->user && (c->user == NULL || strcmp(c->user, f->user) != 0)) return 0;
    if (c == caller && f->skip_me) return 0;
    if (f->max_age != 0 && now_s - c->created_ms / 1000 < f->max_age) return 0;
    return 1;
}

void cmd_client_kill(Client *c) {
    KillFilter f = {.type = -1, .skip_me = 1};
    int old_form = c->argc == 3;
    if (old_form) {
        f.addr = c->argv[2]->ptr;
        f.skip_me = 0; /* the old form may kill the caller */
    } else {
        for (int i = 2; i < c->argc; i += 2) {
            if (i + 1 >= c->argc) { /* an option without its value */
                reply_error_syntax(c);
                return;
            }
            if (kill_parse_option(c, i, &f) != 0) return;
        }
    }

    long long now_s = ev_wall_ms() / 1000;
    long long killed = 0;
    int kill_self = 0;
    for (Client *it = client_list_head(); it; it = it->next) {
        /* Valkey frees its victims at once; ours linger until before-sleep,
         * so one already on its way out is not there to kill again. */
        if (it->flags & CLIENT_CLOSE_ASAP) continue;
        if (!kill_matches(c, it, &f, now_s)) continue;
        if (it == c)
            kill_self = 1;
        else
            client_close_async(it);
        killed++;
    }

    if (!old_form)
        reply_ll(c, killed);
    else if (killed == 0)
        reply_error(c, "No such client");
    else
        reply_ok(c);
    if (kill_self) {
        /* Close once the reply above (and any before it) is written. With
         * replies off nothing schedules a write, so ask for one: the write
         * path closes a CLOSE_AFTER_REPLY client that has nothing left. */
        c->flags |= CLIENT_CLOSE_AFTER_REPLY;
        client_schedule_write(c);
    }
}
