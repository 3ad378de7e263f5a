/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * server/tracking_cmd.c: CLIENT TRACKING, CLIENT CACHING, CLIENT GETREDIR
 * and CLIENT TRACKINGINFO: parsing, Valkey's checks and error texts, and
 * the replies. The state they change lives in server/tracking.c.
 *
 * Threads: main only.
 */
#include "server/tracking_cmd.h"

#include <string.h>
#include <strings.h>

#include "net/reply.h"
#include "server/mem.h"
#include "server/tracking.h"
#include "types/args.h"

#define ERR_PREFIX_NEEDS_BCAST "PREFIX option requires BCAST mode to be enabled"
#define ERR_SWITCH_BCAST                                                                      \
    "You can't switch BCAST mode on/off before disabling tracking for this client, and then " \
    "re-enabling it with a different mode."
#define ERR_BCAST_OPTIN "OPTIN and OPTOUT are not compatible with BCAST"
#define ERR_OPTIN_AND_OPTOUT "You can't specify both OPTIN mode and OPTOUT mode"
#define ERR_SWITCH_OPTIN                                                                   \
    "You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then " \
    "re-enabling it with a different mode."
#define ERR_ONE_REDIRECT "A client can only redirect to a single other client"
#define ERR_NO_REDIRECT_CLIENT "The client ID you want redirect to does not exist"
#define ERR_CACHING_NOT_TRACKING                                                           \
    "CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or " \
    "OPTOUT mode enabled"
#define ERR_CACHING_YES "CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode."
#define ERR_CACHING_NO "CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode."

/* What CLIENT TRACKING's options asked for. prefixes borrows argv. */
typedef struct TrackingRequest {
    long long redirect; /* 0: none */
    unsigned options;   /* TRACKING_BCAST|OPTIN|OPTOUT|NOLOOP */
    Obj **prefixes;
    int prefix_count;
} TrackingRequest;

/* Parses the options after ON|OFF into req (prefixes must have room for
 * argc entries). Returns 0, or -1 after replying the error. */
static int parse_options(Client *c, TrackingRequest *req) {
    for (int j = 3; j < c->argc; j++) {
        const char *opt = c->argv[j]->ptr;
        int more = j + 1 < c->argc;
        if (!strcasecmp(opt, "redirect") && more) {
            j++;
            if (req->redirect != 0) {
                reply_error(c, ERR_ONE_REDIRECT);
                return -1;
            }
            if (!type_arg_ll(c, c->argv[j], &req->redirect)) return -1;
            /* It must exist now, though it may go away later. */
            if (req->redirect <= 0 || client_find_by_id((uint64_t)req->redirect) == NULL) {
                reply_error(c, ERR_NO_REDIRECT_CLIENT);
                return -1;
            }
        } else if (!strcasecmp(opt, "bcast")) {
            req->options |= TRACKING_BCAST;
        } else if (!strcasecmp(opt, "optin")) {
            req->options |= TRACKING_OPTIN;
        } else if (!strcasecmp(opt, "optout")) {
            req->options |= TRACKING_OPTOUT;
        } else if (!strcasecmp(opt, "noloop")) {
            req->options |= TRACKING_NOLOOP;
        } else if (!strcasecmp(opt, "prefix") && more) {
            req->prefixes[req->prefix_count++] = c->argv[++j];
        } else {
            reply_error_syntax(c);
            return -1;
        }
    }
    return 0;
}

/* Prefixes of one client must not overlap, neither those it has nor the
 * new ones among themselves. Returns 0, or -1 after replying the error. */
static int check_prefix_overlaps(Client *c, const TrackingRequest *req) {
    for (int i = 0; i < req->prefix_count; i++) {
        const char *p = req->prefixes[i]->ptr;
        size_t len = obj_string_len(req->prefixes[i]);
        const char *existing = tracking_client_prefix_overlap(c, p, len);
        if (existing) {
            reply_error_format(c,
                               "Prefix '%s' overlaps with an existing prefix '%s'. Prefixes for "
                               "a single client must not overlap.",
                               p, existing);
            return -1;
        }
        for (int j = i + 1; j < req->prefix_count; j++) {
            const char *q = req->prefixes[j]->ptr;
            size_t qlen = obj_string_len(req->prefixes[j]);
            size_t min = len < qlen ? len : qlen;
            if (min != 0 && memcmp(p, q, min) != 0) continue;
            reply_error_format(c,
                               "Prefix '%s' overlaps with another provided prefix '%s'. "
                               "Prefixes for a single client must not overlap.",
                               p, q);
            return -1;
        }
    }
    return 0;
}

/* The checks of CLIENT TRACKING ON, in Valkey's order. Returns 0, or -1
 * after replying the error. */
static int check_enable(Client *c, const TrackingRequest *req) {
    unsigned current = tracking_client_options(c);
    unsigned wanted = req->options;
    if (!(wanted & TRACKING_BCAST) && req->prefix_count) {
        reply_error(c, ERR_PREFIX_NEEDS_BCAST);
        return -1;
    }
    if ((c->flags & CLIENT_TRACKING) && !(current & TRACKING_BCAST) != !(wanted & TRACKING_BCAST)) {
        reply_error(c, ERR_SWITCH_BCAST);
        return -1;
    }
    if ((wanted & TRACKING_BCAST) && (wanted & (TRACKING_OPTIN | TRACKING_OPTOUT))) {
        reply_error(c, ERR_BCAST_OPTIN);
        return -1;
    }
    if ((wanted & TRACKING_OPTIN) && (wanted & TRACKING_OPTOUT)) {
        reply_error(c, ERR_OPTIN_AND_OPTOUT);
        return -1;
    }
    if (((wanted & TRACKING_OPTIN) && (current & TRACKING_OPTOUT)) ||
        ((wanted & TRACKING_OPTOUT) && (current & TRACKING_OPTIN))) {
        reply_error(c, ERR_SWITCH_OPTIN);
        return -1;
    }
    if ((wanted & TRACKING_BCAST) && check_prefix_overlaps(c, req) != 0) return -1;
    return 0;
}

/* CLIENT TRACKING ON|OFF [REDIRECT id] [PREFIX p ...] [BCAST] [OPTIN]
 * [OPTOUT] [NOLOOP]: options are parsed (and a syntax error replied)
 * before ON/OFF is looked at, as Valkey does. */
void cmd_client_tracking(Client *c) {
    Obj *small[16];
    TrackingRequest req = {0};
    req.prefixes = c->argc <= 16 ? small : mem_alloc(sizeof(Obj *) * (size_t)c->argc);
    if (parse_options(c, &req) != 0) goto done;
    const char *mode = c->argv[2]->ptr;
    if (!strcasecmp(mode, "on")) {
        if (check_enable(c, &req) != 0) goto done;
        tracking_enable(c, (uint64_t)req.redirect, req.options, req.prefixes, req.prefix_count);
    } else if (!strcasecmp(mode, "off")) {
        tracking_disable(c);
    } else {
        reply_error_syntax(c);
        goto done;
    }
    reply_ok(c);
done:
    if (req.prefixes != small) mem_free(req.prefixes);
}

/* CLIENT CACHING YES|NO: the next command's keys follow the other rule of
 * the client's OPTIN/OPTOUT mode. */
void cmd_client_caching(Client *c) {
    if (!(c->flags & CLIENT_TRACKING)) {
        reply_error(c, ERR_CACHING_NOT_TRACKING);
        return;
    }
    const char *answer = c->argv[2]->ptr;
    unsigned options = tracking_client_options(c);
    if (!strcasecmp(answer, "yes")) {
        if (!(options & TRACKING_OPTIN)) {
            reply_error(c, ERR_CACHING_YES);
            return;
        }
    } else if (!strcasecmp(answer, "no")) {
        if (!(options & TRACKING_OPTOUT)) {
            reply_error(c, ERR_CACHING_NO);
            return;
        }
    } else {
        reply_error_syntax(c);
        return;
    }
    tracking_set_caching(c);
    reply_ok(c);
}

/* CLIENT GETREDIR: the redirect id, 0 when tracking without one, -1 when
 * tracking is off. */
void cmd_client_getredir(Client *c) {
    reply_ll(c, tracking_client_redirect(c));
}

/* CLIENT TRACKINGINFO: a map of flags (a set), redirect and prefixes. */
void cmd_client_trackinginfo(Client *c) {
    const char *flags[8];
    int count = 0;
    unsigned options = tracking_client_options(c);
    flags[count++] = (c->flags & CLIENT_TRACKING) ? "on" : "off";
    if (options & TRACKING_BCAST) flags[count++] = "bcast";
    if (options & TRACKING_OPTIN) {
        flags[count++] = "optin";
        if (options & TRACKING_CACHING) flags[count++] = "caching-yes";
    }
    if (options & TRACKING_OPTOUT) {
        flags[count++] = "optout";
        if (options & TRACKING_CACHING) flags[count++] = "caching-no";
    }
    if (options & TRACKING_NOLOOP) flags[count++] = "noloop";
    if (options & TRACKING_BROKEN_REDIR) flags[count++] = "broken_redirect";

    reply_map_len(c, 3);
    reply_bulk_cstr(c, "flags");
    reply_set_len(c, count);
    for (int i = 0; i < count; i++) reply_bulk_cstr(c, flags[i]);
    reply_bulk_cstr(c, "redirect");
    reply_ll(c, tracking_client_redirect(c));
    reply_bulk_cstr(c, "prefixes");
    const sds *prefixes;
    size_t prefix_count = (c->flags & CLIENT_TRACKING) ? tracking_client_prefixes(c, &prefixes) : 0;
    reply_array_len(c, (long)prefix_count);
    for (size_t i = 0; i < prefix_count; i++) reply_bulk_sds(c, prefixes[i]);
}
