/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_client_info.c: the CLIENT LIST / CLIENT INFO line
 * (net/client_info.c) and the strict integer parsing the CLIENT subcommands
 * share (net/client_cmd.h).
 *
 * The line is checked field by field against Valkey 8's order and spelling
 * for a client without a connection, whose every value is known.
 */
#include "test.h"

#include <limits.h>
#include <string.h>

#include "cmd/command.h"
#include "db/object.h"
#include "ds/sds.h"
#include "net/client.h"
#include "net/client_cmd.h"

/* The field names of a line, in order, space separated. */
static sds field_names(const char *line) {
    sds names = sds_empty();
    const char *p = line;
    while (*p) {
        const char *eq = strchr(p, '=');
        if (eq == NULL) break;
        if (sds_len(names)) names = sds_cat(names, " ");
        names = sds_cat_len(names, p, (size_t)(eq - p));
        const char *space = strchr(eq, ' ');
        if (space == NULL) break;
        p = space + 1;
    }
    return names;
}

/* The value of one field, or NULL. Returns a new sds. */
static sds field_value(const char *line, const char *name) {
    sds key = sds_cat_printf(sds_empty(), " %s=", name);
    sds padded = sds_cat(sds_new(" "), line);
    const char *at = strstr(padded, key);
    sds value = NULL;
    if (at) {
        at += sds_len(key);
        size_t len = strcspn(at, " ");
        value = sds_new_len(at, len);
    }
    sds_free(key);
    sds_free(padded);
    return value;
}

static void check_field(const char *line, const char *name, const char *expected) {
    sds value = field_value(line, name);
    if (value == NULL) test_fail(__FILE__, __LINE__, "field %s missing in: %s", name, line);
    if (strcmp(value, expected) != 0)
        test_fail(__FILE__, __LINE__, "field %s: expected \"%s\", got \"%s\"", name, expected,
                  value);
    sds_free(value);
}

TEST(client_info_has_valkey8_fields_in_order) {
    Client *c = client_create(NULL);
    sds line = client_info_string(sds_empty(), c);
    sds names = field_names(line);
    CHECK_EQ_STR("id addr laddr fd name age idle flags db sub psub ssub multi watch qbuf "
                 "qbuf-free argv-mem multi-mem rbs rbp obl oll omem tot-mem events cmd user "
                 "redir resp lib-name lib-ver tot-net-in tot-net-out tot-cmds",
                 names);
    CHECK(strchr(line, '\n') == NULL);
    sds_free(names);
    sds_free(line);
    client_free(c);
}

TEST(client_info_values_of_a_fresh_client) {
    Client *c = client_create(NULL);
    sds line = client_info_string(sds_empty(), c);
    check_field(line, "fd", "-1");
    check_field(line, "name", "");
    check_field(line, "age", "0");
    check_field(line, "idle", "0");
    check_field(line, "flags", "N");
    check_field(line, "db", "0");
    check_field(line, "multi", "-1");
    check_field(line, "watch", "0");
    check_field(line, "events", "");
    check_field(line, "cmd", "NULL");
    check_field(line, "user", "default");
    check_field(line, "redir", "-1");
    check_field(line, "resp", "2");
    check_field(line, "lib-name", "");
    check_field(line, "lib-ver", "");
    check_field(line, "tot-cmds", "0");
    sds_free(line);
    client_free(c);
}

TEST(client_info_shows_name_flags_and_counters) {
    Client *c = client_create(NULL);
    c->name = sds_new("worker-1");
    c->lib_name = sds_new("redis-py");
    c->lib_ver = sds_new("5.0");
    c->flags |= CLIENT_NO_EVICT | CLIENT_NO_TOUCH | CLIENT_PAUSED;
    c->db = 3;
    c->resp = 3;
    c->net_in = 12;
    c->net_out = 34;
    c->commands_processed = 5;
    sds line = client_info_string(sds_empty(), c);
    check_field(line, "name", "worker-1");
    check_field(line, "flags", "beT");
    check_field(line, "db", "3");
    check_field(line, "resp", "3");
    check_field(line, "lib-name", "redis-py");
    check_field(line, "lib-ver", "5.0");
    check_field(line, "tot-net-in", "12");
    check_field(line, "tot-net-out", "34");
    check_field(line, "tot-cmds", "5");
    c->flags &= ~CLIENT_PAUSED; /* not really held: nothing to forget */
    sds_free(line);
    client_free(c);
}

TEST(client_info_names_the_last_command_by_full_name) {
    cmd_table_init();
    Client *c = client_create(NULL);
    c->last_cmd = cmd_lookup_full_name("client|list");
    CHECK(c->last_cmd != NULL);
    sds line = client_info_string(sds_empty(), c);
    check_field(line, "cmd", "client|list");
    sds_free(line);
    client_free(c);
}

/* ---- client_arg_ll ---- */

static int parse(const char *text, long long *value) {
    Obj *o = obj_create_string(text, strlen(text));
    int rc = client_arg_ll(o, value);
    obj_decr_ref(o);
    return rc;
}

TEST(client_arg_ll_accepts_canonical_integers) {
    long long v = 0;
    CHECK_EQ_INT(0, parse("0", &v));
    CHECK_EQ_INT(0, v);
    CHECK_EQ_INT(0, parse("42", &v));
    CHECK_EQ_INT(42, v);
    CHECK_EQ_INT(0, parse("-7", &v));
    CHECK_EQ_INT(-7, v);
    CHECK_EQ_INT(0, parse("9223372036854775807", &v));
    CHECK(v == LLONG_MAX);
    CHECK_EQ_INT(0, parse("-9223372036854775808", &v));
    CHECK(v == LLONG_MIN);
}

TEST(client_arg_ll_refuses_what_valkey_refuses) {
    static const char *const bad[] = {"",    "-",   "+1", " 1", "1 ",  "01",
                                      "-0",  "1.5", "1e3", "abc", "0x10",
                                      "9223372036854775808", "-9223372036854775809",
                                      "99999999999999999999", NULL};
    for (int i = 0; bad[i]; i++) {
        long long v = 123;
        if (parse(bad[i], &v) != -1) test_fail(__FILE__, __LINE__, "accepted \"%s\"", bad[i]);
        CHECK_EQ_INT(123, v);
    }
}

TEST(client_arg_is_matches_whole_words_ignoring_case) {
    Obj *o = obj_create_string("SkipMe", 6);
    CHECK(client_arg_is(o, "skipme"));
    CHECK(!client_arg_is(o, "skip"));
    CHECK(!client_arg_is(o, "skipmee"));
    obj_decr_ref(o);
}
