/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/monitor.c: the MONITOR list and the line each command becomes
 * (server/monitor.h).
 */
#include "server/monitor.h"

#include <string.h>
#include <strings.h>

#include "net/reply.h"
#include "server/ev.h"
#include "server/mem.h"

unsigned long monitor_count;
static Client **monitors;
static unsigned long monitor_cap;

void cmd_monitor(Client *c) {
    if (c->flags & CLIENT_DENY_BLOCKING) {
        /* Inside MULTI or a script a reply per command is expected. */
        reply_error(c, "MONITOR isn't allowed for DENY BLOCKING client");
        return;
    }
    if (c->flags & CLIENT_MONITOR) return; /* already one: no reply, as Valkey */
    if (monitor_count == monitor_cap) {
        monitor_cap = monitor_cap ? monitor_cap * 2 : 4;
        monitors = mem_realloc(monitors, sizeof(Client *) * monitor_cap);
    }
    monitors[monitor_count++] = c;
    c->flags |= CLIENT_MONITOR;
    reply_ok(c);
}

void monitor_client_free(Client *c) {
    if (!(c->flags & CLIENT_MONITOR)) return;
    for (unsigned long i = 0; i < monitor_count; i++) {
        if (monitors[i] != c) continue;
        memmove(&monitors[i], &monitors[i + 1], sizeof(Client *) * (monitor_count - i - 1));
        monitor_count--;
        break;
    }
    c->flags &= ~CLIENT_MONITOR;
}

/* Whether argument i of c's command is a credential to hide. */
static int redacted(const Client *c, const Command *cmd, int i) {
    if (strcmp(cmd->name, "auth") == 0) return 1;
    if (strcmp(cmd->name, "hello") == 0) {
        /* HELLO [protover [AUTH username password] [SETNAME name]] */
        for (int j = 2; j + 2 < c->argc; j++) {
            const char *word = c->argv[j]->ptr;
            if (c->argv[j]->encoding != OBJ_ENCODING_INT && obj_string_len(c->argv[j]) == 4 &&
                strncasecmp(word, "auth", 4) == 0)
                return i == j + 1 || i == j + 2;
        }
    }
    return 0;
}

void monitor_feed(Client *c, const Command *cmd) {
    if (monitor_count == 0 || (cmd->flags & (CMD_ADMIN | CMD_SKIP_MONITOR))) return;
    long long now = ev_wall_us();
    sds line = sds_cat_printf(sds_empty(), "%lld.%06lld [%d ", now / 1000000, now % 1000000,
                              c->db);
    if (c->flags & CLIENT_UNIX_SOCKET) line = sds_cat_printf(line, "unix:%s] ", c->local_id);
    else line = sds_cat_printf(line, "%s] ", c->peer_id);
    for (int i = 0; i < c->argc; i++) {
        if (i > 0) line = sds_cat_len(line, " ", 1);
        if (i > 0 && redacted(c, cmd, i)) {
            line = sds_cat(line, "\"(redacted)\"");
            continue;
        }
        char buf[24];
        size_t len;
        const char *p = obj_string_bytes(c->argv[i], buf, &len);
        line = sds_cat_repr(line, p, len);
    }
    for (unsigned long i = 0; i < monitor_count; i++) reply_status(monitors[i], line);
    sds_free(line);
}
