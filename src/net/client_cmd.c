/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * net/client_cmd.c: the CLIENT subcommands that read or set the calling
 * connection's own state (ID, INFO, LIST, SETNAME, GETNAME, SETINFO, REPLY,
 * NO-EVICT, NO-TOUCH, HELP), the commands that start and end a pause, and
 * CLIENT UNBLOCK (the waits themselves live in db/blocking.c).
 * CLIENT KILL lives in net/client_kill.c, the pause itself in net/pause.c.
 *
 * Replies and error texts are Valkey 8's, byte for byte: clients and test
 * suites match on them.
 *
 * Threads: main only.
 */
#include "net/client_cmd.h"

#include <limits.h>
#include <string.h>
#include <strings.h>

#include "cmd/procs.h"
#include "db/blocking.h"
#include "ds/strnum.h"
#include "net/client.h"
#include "net/pause.h"
#include "net/reply.h"
#include "server/ev.h"

#define ERR_NAME_CHARS "Client names cannot contain spaces, newlines or special characters."

/* ---- argument helpers (net/client_cmd.h) ---- */

int client_arg_ll(const Obj *arg, long long *value) {
    return strnum_to_ll(arg->ptr, obj_string_len(arg), value);
}

int client_arg_is(const Obj *arg, const char *word) {
    size_t len = strlen(word);
    return obj_string_len(arg) == len && strncasecmp(arg->ptr, word, len) == 0;
}

/* ---- names and attributes ---- */

/* Valkey's rule for names and SETINFO values, which must keep the CLIENT
 * LIST line splittable on spaces: printable ASCII without space. Like
 * Valkey, it reads up to the first NUL byte. */
static int client_attr_valid(const char *value) {
    for (const char *p = value; *p; p++)
        if (*p < '!' || *p > '~') return 0;
    return 1;
}

/* Replaces *slot with a copy of value, or clears it for an empty value. */
static void client_attr_set(sds *slot, const Obj *value) {
    sds_free(*slot);
    *slot = obj_string_len(value) ? sds_new_len(value->ptr, obj_string_len(value)) : NULL;
}

int client_set_name(Client *c, const Obj *name) {
    if (obj_string_len(name) && !client_attr_valid(name->ptr)) {
        reply_error(c, ERR_NAME_CHARS);
        return -1;
    }
    client_attr_set(&c->name, name);
    return 0;
}

void cmd_client_setname(Client *c) {
    if (client_set_name(c, c->argv[2]) == 0) reply_ok(c);
}

void cmd_client_getname(Client *c) {
    if (c->name)
        reply_bulk_sds(c, c->name);
    else
        reply_null(c);
}

void cmd_client_setinfo(Client *c) {
    const char *attr = c->argv[2]->ptr;
    sds *slot;
    if (strcasecmp(attr, "lib-name") == 0) {
        slot = &c->lib_name;
    } else if (strcasecmp(attr, "lib-ver") == 0) {
        slot = &c->lib_ver;
    } else {
        reply_error_format(c, "Unrecognized option '%s'", attr);
        return;
    }
    if (!client_attr_valid(c->argv[3]->ptr)) {
        reply_error_format(c, "%s cannot contain spaces, newlines or special characters.", attr);
        return;
    }
    client_attr_set(slot, c->argv[3]);
    reply_ok(c);
}

/* ---- identity and listing ---- */

void cmd_client_id(Client *c) {
    reply_ll(c, (long long)c->id);
}

void cmd_client_info(Client *c) {
    sds line = client_info_string(sds_empty(), c);
    line = sds_cat_len(line, "\n", 1);
    reply_verbatim(c, line, sds_len(line), "txt");
    sds_free(line);
}

static sds client_list_by_type(sds out, int type) {
    for (Client *it = client_list_head(); it; it = it->next) {
        if (type != -1 && client_type(it) != type) continue;
        out = client_info_string(out, it);
        out = sds_cat_len(out, "\n", 1);
    }
    return out;
}

/* CLIENT LIST [TYPE type | ID id [id ...]]: one form at a time, as Valkey. */
void cmd_client_list(Client *c) {
    sds out = sds_empty();
    if (c->argc == 4 && client_arg_is(c->argv[2], "type")) {
        int type = client_type_by_name(c->argv[3]->ptr);
        if (type == -1) {
            reply_error_format(c, "Unknown client type '%s'", (const char *)c->argv[3]->ptr);
            goto done;
        }
        out = client_list_by_type(out, type);
    } else if (c->argc > 3 && client_arg_is(c->argv[2], "id")) {
        for (int j = 3; j < c->argc; j++) {
            long long id;
            if (client_arg_ll(c->argv[j], &id) != 0) {
                reply_error(c, "Invalid client ID");
                goto done;
            }
            Client *found = client_find_by_id((uint64_t)id);
            if (found == NULL) continue;
            out = client_info_string(out, found);
            out = sds_cat_len(out, "\n", 1);
        }
    } else if (c->argc != 2) {
        reply_error_syntax(c);
        goto done;
    } else {
        out = client_list_by_type(out, -1);
    }
    reply_verbatim(c, out, sds_len(out), "txt");
done:
    sds_free(out);
}

/* ---- per-connection switches ---- */

void cmd_client_reply(Client *c) {
    const Obj *mode = c->argv[2];
    if (client_arg_is(mode, "on")) {
        c->flags &= ~(CLIENT_REPLY_SKIP | CLIENT_REPLY_OFF);
        reply_ok(c);
    } else if (client_arg_is(mode, "off")) {
        c->flags |= CLIENT_REPLY_OFF;
    } else if (client_arg_is(mode, "skip")) {
        if (!(c->flags & CLIENT_REPLY_OFF)) c->flags |= CLIENT_REPLY_SKIP_NEXT;
    } else {
        reply_error_syntax(c);
    }
}

/* ON sets flag, OFF clears it, anything else is a syntax error. */
static void client_switch(Client *c, uint32_t flag) {
    if (client_arg_is(c->argv[2], "on")) {
        c->flags |= flag;
    } else if (client_arg_is(c->argv[2], "off")) {
        c->flags &= ~flag;
    } else {
        reply_error_syntax(c);
        return;
    }
    reply_ok(c);
}

void cmd_client_no_evict(Client *c) {
    client_switch(c, CLIENT_NO_EVICT);
}

void cmd_client_no_touch(Client *c) {
    client_switch(c, CLIENT_NO_TOUCH);
}

/* ---- pause ---- */

/* CLIENT PAUSE timeout [WRITE|ALL]: the mode is checked before the timeout. */
void cmd_client_pause(Client *c) {
    if (c->argc > 4) {
        reply_error_subcommand_args(c);
        return;
    }
    PauseMode mode = PAUSE_ALL;
    if (c->argc == 4) {
        if (client_arg_is(c->argv[3], "write")) {
            mode = PAUSE_WRITE;
        } else if (!client_arg_is(c->argv[3], "all")) {
            reply_error(c, "CLIENT PAUSE mode must be WRITE or ALL");
            return;
        }
    }
    long long timeout;
    if (client_arg_ll(c->argv[2], &timeout) != 0) {
        reply_error(c, "timeout is not an integer or out of range");
        return;
    }
    if (timeout < 0) {
        reply_error(c, "timeout is negative");
        return;
    }
    long long end = 0;
    if (timeout > 0) {
        long long now = ev_wall_ms();
        if (timeout > LLONG_MAX - now) {
            reply_error(c, "timeout is out of range");
            return;
        }
        end = now + timeout;
    }
    pause_start(mode, end);
    reply_ok(c);
}

void cmd_client_unpause(Client *c) {
    pause_stop();
    reply_ok(c);
}

/* ---- unblock ---- */

/* CLIENT UNBLOCK id [TIMEOUT|ERROR]: ends another client's wait on keys.
 * Replies 1 if it did, 0 if no such client waits (a client held by CLIENT
 * PAUSE is not waiting on keys). */
void cmd_client_unblock(Client *c) {
    if (c->argc > 4) {
        reply_error_subcommand_args(c);
        return;
    }
    bool error = false;
    if (c->argc == 4) {
        if (client_arg_is(c->argv[3], "error")) {
            error = true;
        } else if (!client_arg_is(c->argv[3], "timeout")) {
            reply_error(c, "CLIENT UNBLOCK reason should be TIMEOUT or ERROR");
            return;
        }
    }
    long long id;
    if (client_arg_ll(c->argv[2], &id) != 0) {
        reply_error(c, "value is not an integer or out of range");
        return;
    }
    Client *target = client_find_by_id((uint64_t)id);
    reply_ll(c, target && target != c && blocking_unblock_client(target, error) ? 1 : 0);
}

/* ---- help ---- */

void cmd_client_help(Client *c) {
    static const char *const lines[] = {
        "CACHING (YES|NO)",
        "    Enable/disable tracking of the keys for next command in OPTIN/OPTOUT modes.",
        "GETREDIR",
        "    Return the client ID we are redirecting to when tracking is enabled.",
        "GETNAME",
        "    Return the name of the current connection.",
        "ID",
        "    Return the ID of the current connection.",
        "INFO",
        "    Return information about the current client connection.",
        "KILL <ip:port>",
        "    Kill connection made from <ip:port>.",
        "KILL <option> <value> [<option> <value> [...]]",
        "    Kill connections. Options are:",
        "    * ADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made from the specified address",
        "    * LADDR (<ip:port>|<unixsocket>:0)",
        "      Kill connections made to specified local address",
        "    * TYPE (NORMAL|PRIMARY|REPLICA|PUBSUB)",
        "      Kill connections by type.",
        "    * USER <username>",
        "      Kill connections authenticated by <username>.",
        "    * SKIPME (YES|NO)",
        "      Skip killing current connection (default: yes).",
        "    * ID <client-id>",
        "      Kill connections by client id.",
        "    * MAXAGE <maxage>",
        "      Kill connections older than the specified age.",
        "LIST [options ...]",
        "    Return information about client connections. Options:",
        "    * TYPE (NORMAL|PRIMARY|REPLICA|PUBSUB)",
        "      Return clients of specified type.",
        "UNPAUSE",
        "    Stop the current client pause, resuming traffic.",
        "PAUSE <timeout> [WRITE|ALL]",
        "    Suspend all, or just write, clients for <timeout> milliseconds.",
        "REPLY (ON|OFF|SKIP)",
        "    Control the replies sent to the current connection.",
        "SETNAME <name>",
        "    Assign the name <name> to the current connection.",
        "SETINFO <option> <value>",
        "    Set client meta attr. Options are:",
        "    * LIB-NAME: the client lib name.",
        "    * LIB-VER: the client lib version.",
        "UNBLOCK <clientid> [TIMEOUT|ERROR]",
        "    Unblock the specified blocked client.",
        "TRACKING (ON|OFF) [REDIRECT <id>] [BCAST] [PREFIX <prefix> [...]]",
        "         [OPTIN] [OPTOUT] [NOLOOP]",
        "    Control server assisted client side caching.",
        "TRACKINGINFO",
        "    Report tracking status for the current connection.",
        "NO-EVICT (ON|OFF)",
        "    Protect current client connection from eviction.",
        "NO-TOUCH (ON|OFF)",
        "    Will not touch LRU/LFU stats when this mode is on.",
        NULL,
    };
    reply_help(c, lines);
}
