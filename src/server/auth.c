/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/auth.c: requirepass, AUTH and HELLO.
 *
 * Only the "default" user exists until ACLs land; its password is
 * requirepass. Password comparison takes time independent of where the
 * strings differ, so response timing does not leak the password.
 *
 * Threads: main only.
 */
#include "server/auth.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "cmd/procs.h"
#include "net/reply.h"
#include "server/config.h"
#include "server/mem.h"
#include "server/module.h"
#include "server/version.h"

static char *cfg_requirepass; /* NULL: no password */

static int requirepass_apply(const char *name, char *err, size_t errlen) {
    (void)name;
    (void)err;
    (void)errlen;
    return 0; /* existing connections stay authenticated, as in Valkey */
}

void auth_register_config(void) {
    static const KeelConfigOption option = {
        .size = sizeof(KeelConfigOption), .name = "requirepass", .type = KEEL_CFG_STRING,
        .flags = KEEL_CFG_SENSITIVE | KEEL_CFG_EMPTY_OK, .default_value = "",
        .storage = &cfg_requirepass, .apply = requirepass_apply};
    config_register_core(&option);
}

int auth_password_required(void) {
    return cfg_requirepass != NULL;
}

static int time_independent_equal(const char *a, size_t alen, const char *b, size_t blen) {
    unsigned char diff = (unsigned char)(alen != blen);
    size_t n = alen > blen ? alen : blen;
    for (size_t i = 0; i < n; i++) {
        unsigned char x = i < alen ? (unsigned char)a[i] : 0;
        unsigned char y = i < blen ? (unsigned char)b[i] : 0;
        diff |= (unsigned char)(x ^ y);
    }
    return diff == 0;
}

int auth_check(const char *user, size_t user_len, const char *password, size_t password_len) {
    if (user_len != 7 || memcmp(user, "default", 7) != 0) return 0;
    if (cfg_requirepass == NULL) return 1; /* nopass */
    return time_independent_equal(password, password_len, cfg_requirepass,
                                  strlen(cfg_requirepass));
}

#define WRONGPASS "-WRONGPASS invalid username-password pair or user is disabled."

void cmd_auth(Client *c) {
    if (c->argc > 3) {
        reply_error_syntax(c);
        return;
    }
    if (c->argc == 2 && cfg_requirepass == NULL) {
        reply_error(c, "AUTH <password> called without any password configured for the default "
                       "user. Are you sure your configuration is correct?");
        return;
    }
    const Obj *user = c->argc == 3 ? c->argv[1] : NULL;
    const Obj *pass = c->argv[c->argc - 1];
    int ok = auth_check(user ? user->ptr : "default", user ? obj_string_len(user) : 7, pass->ptr,
                        obj_string_len(pass));
    if (!ok) {
        reply_error(c, WRONGPASS);
        return;
    }
    c->authenticated = 1;
    reply_ok(c);
}

static void hello_reply(Client *c) {
    reply_map_len(c, 7);
    reply_bulk_cstr(c, "server");
    reply_bulk_cstr(c, "keel"); /* INFO says server_name:keel; version is the compat one */
    reply_bulk_cstr(c, "version");
    reply_bulk_cstr(c, KEEL_REDIS_COMPAT_VERSION);
    reply_bulk_cstr(c, "proto");
    reply_ll(c, c->resp);
    reply_bulk_cstr(c, "id");
    reply_ll(c, (long long)c->id);
    reply_bulk_cstr(c, "mode");
    reply_bulk_cstr(c, "standalone");
    reply_bulk_cstr(c, "role");
    reply_bulk_cstr(c, "master");
    reply_bulk_cstr(c, "modules");
    reply_array_len(c, 0);
}

void cmd_hello(Client *c) {
    long long version = 0;
    int next = 1;
    if (c->argc >= 2) {
        if (config_parse_ll(c->argv[1]->ptr, &version) != 0) {
            reply_error(c, "Protocol version is not an integer or out of range");
            return;
        }
        next = 2;
        if (version < 2 || version > 3) {
            reply_error(c, "-NOPROTO unsupported protocol version");
            return;
        }
    }
    const Obj *user = NULL, *pass = NULL, *name = NULL;
    for (int j = next; j < c->argc; j++) {
        int left = c->argc - j - 1;
        const char *opt = c->argv[j]->ptr;
        if (strcasecmp(opt, "AUTH") == 0 && left >= 2) {
            user = c->argv[j + 1];
            pass = c->argv[j + 2];
            j += 2;
        } else if (strcasecmp(opt, "SETNAME") == 0 && left >= 1) {
            name = c->argv[j + 1];
            j++;
        } else {
            reply_error_format(c, "Syntax error in HELLO option '%s'", opt);
            return;
        }
    }
    if (user) {
        if (!auth_check(user->ptr, obj_string_len(user), pass->ptr, obj_string_len(pass))) {
            reply_error(c, WRONGPASS);
            return;
        }
        c->authenticated = 1;
    }
    if (!c->authenticated) {
        reply_error(c, "-NOAUTH HELLO must be called with the client already authenticated, "
                       "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to "
                       "authenticate the client and select the RESP protocol version at the same "
                       "time");
        return;
    }
    if (name && client_set_name(c, name) != 0) return; /* replied */
    if (version) c->resp = (int)version;
    hello_reply(c);
}
