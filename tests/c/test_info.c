/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_info.c: INFO's section selection, framing, human byte
 * format and instantaneous-rate sampler (server/info*.c).
 *
 * The report is generated in-process with no clients or listeners, which
 * is enough to check names, order and framing; live values are checked by
 * the Tcl suite against a running server.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd/command.h"
#include "server/info.h"
#include "server/info_internal.h"
#include "test.h"

static unsigned select_names(const char *a, const char *b) {
    const char *names[2] = {a, b};
    return info_sections_from_names(names, b ? 2 : (a ? 1 : 0));
}

static void check_human(const char *expected, unsigned long long bytes) {
    char buf[64];
    info_bytes_to_human(buf, sizeof(buf), bytes);
    CHECK_EQ_STR(expected, buf);
}

/* Section titles of a report, space-separated ("Server Clients"). */
static sds titles_of(const char *report) {
    sds titles = sds_empty();
    for (const char *p = report; (p = strstr(p, "# ")) != NULL; p += 2) {
        if (p != report && p[-1] != '\n') continue;
        const char *end = strstr(p, "\r\n");
        if (sds_len(titles)) titles = sds_cat(titles, " ");
        titles = sds_cat_len(titles, p + 2, (size_t)(end - p - 2));
    }
    return titles;
}

static sds report(unsigned sections) {
    return info_generate(sds_empty(), sections);
}

TEST(no_names_selects_the_default_sections) {
    CHECK_EQ_INT(INFO_DEFAULT, select_names(NULL, NULL));
    CHECK_EQ_INT(INFO_DEFAULT, select_names("default", NULL));
    CHECK(!(INFO_DEFAULT & INFO_COMMANDSTATS));
}

TEST(all_and_everything_add_commandstats) {
    CHECK_EQ_INT(INFO_ALL, select_names("all", NULL));
    CHECK_EQ_INT(INFO_ALL, select_names("everything", NULL));
    CHECK(INFO_ALL & INFO_COMMANDSTATS);
}

TEST(section_names_are_case_insensitive) {
    CHECK_EQ_INT(INFO_SERVER, select_names("SERVER", NULL));
    CHECK_EQ_INT(INFO_SERVER | INFO_CPU, select_names("cpu", "Server"));
    CHECK_EQ_INT(INFO_MODULES, select_names("module_list", NULL));
}

TEST(unknown_and_absent_sections_select_nothing) {
    CHECK_EQ_INT(0, select_names("no-such-section", NULL));
    CHECK_EQ_INT(0, select_names("latencystats", NULL));
    CHECK_EQ_INT(INFO_PERSISTENCE, select_names("persistence", "latencystats"));
    CHECK_EQ_INT(INFO_CLIENTS, select_names("nope", "clients"));
}

TEST(empty_selection_is_an_empty_report) {
    sds out = report(0);
    CHECK_EQ_INT(0, sds_len(out));
    sds_free(out);
}

TEST(sections_print_in_valkey_order_whatever_the_request_order) {
    sds out = report(select_names("keyspace", "server"));
    sds titles = titles_of(out);
    CHECK_EQ_STR("Server Keyspace", titles);
    sds_free(titles);
    sds_free(out);
}

TEST(default_report_has_valkeys_default_sections) {
    sds out = report(INFO_DEFAULT);
    sds titles = titles_of(out);
    CHECK_EQ_STR("Server Clients Memory Persistence Stats Replication CPU Modules Errorstats "
                 "Cluster Keyspace",
                 titles);
    sds_free(titles);
    sds_free(out);
}

TEST(sections_are_separated_by_one_blank_line_and_lines_end_in_crlf) {
    cmd_table_init();
    sds out = report(INFO_ALL);
    CHECK(strncmp(out, "# Server\r\n", 10) == 0);
    CHECK(sds_len(out) >= 2 && strcmp(out + sds_len(out) - 2, "\r\n") == 0);
    CHECK(strstr(out, "\r\n\r\n# Clients\r\n") != NULL);
    CHECK(strstr(out, "\r\n\r\n\r\n") == NULL);
    for (size_t i = 0; i < sds_len(out); i++) {
        if (out[i] == '\n') CHECK(i > 0 && out[i - 1] == '\r');
        if (out[i] == '\r') CHECK(out[i + 1] == '\n');
    }
    sds_free(out);
}

TEST(keyspace_is_a_bare_header_on_an_empty_server) {
    sds out = report(INFO_KEYSPACE);
    CHECK_EQ_STR("# Keyspace\r\n", out);
    sds_free(out);
}

TEST(server_section_starts_like_valkeys) {
    sds out = report(INFO_SERVER);
    const char *start = "# Server\r\nredis_version:7.2.4\r\nserver_name:keel\r\nkeel_version:";
    CHECK(strncmp(out, start, strlen(start)) == 0);
    CHECK(strstr(out, "\r\nredis_mode:standalone\r\n") != NULL);
    CHECK(strstr(out, "\r\nio_threads_active:0\r\n") != NULL);
    sds_free(out);
}

TEST(replication_reports_a_standalone_primary) {
    sds out = report(INFO_REPLICATION);
    const char *start = "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n";
    CHECK(strncmp(out, start, strlen(start)) == 0);
    const char *id = strstr(out, "master_replid:");
    CHECK(id != NULL);
    CHECK_EQ_INT(40, strcspn(id + 14, "\r"));
    sds again = report(INFO_REPLICATION);
    CHECK_EQ_STR(out, again); /* the id is made once per process */
    sds_free(again);
    sds_free(out);
}

TEST(memory_peak_is_never_below_used_memory) {
    sds out = report(INFO_MEMORY);
    const char *used = strstr(out, "\r\nused_memory:");
    const char *peak = strstr(out, "\r\nused_memory_peak:");
    CHECK(used && peak);
    CHECK(strtoull(peak + 19, NULL, 10) >= strtoull(used + 14, NULL, 10));
    CHECK(strstr(out, "\r\nmem_allocator:") != NULL);
    sds_free(out);
}

TEST(human_bytes_match_valkeys_format) {
    check_human("0B", 0);
    check_human("1023B", 1023);
    check_human("1.00K", 1024);
    check_human("863.45K", 884172);
    check_human("1024.00K", 1048575);
    check_human("1.00M", 1048576);
    check_human("1.02M", 1069548);
    check_human("23.54G", 25276026880ull);
    check_human("1.00T", 1ull << 40);
    check_human("1.00P", 1ull << 50);
    check_human("1152921504606846976B", 1ull << 60);
}

TEST(rate_is_zero_until_two_samples) {
    InfoRate rate;
    info_rate_reset(&rate);
    CHECK_EQ_INT(0, info_rate_get(&rate));
    info_rate_add_sample(&rate, 1000, 1000000);
    CHECK_EQ_INT(0, info_rate_get(&rate));
}

TEST(rate_is_the_mean_of_the_last_sixteen_samples) {
    InfoRate rate;
    info_rate_reset(&rate);
    uint64_t now = 1000000;
    unsigned long long count = 0;
    info_rate_add_sample(&rate, count, now);
    for (int i = 0; i < INFO_RATE_SAMPLES; i++) {
        now += 100000; /* every 100 ms ... */
        count += 50;   /* ... 50 more: 500 per second */
        info_rate_add_sample(&rate, count, now);
    }
    CHECK_EQ_INT(500, info_rate_get(&rate));
    for (int i = 0; i < INFO_RATE_SAMPLES / 2; i++) { /* half the window idle */
        now += 100000;
        info_rate_add_sample(&rate, count, now);
    }
    CHECK_EQ_INT(250, info_rate_get(&rate));
}

TEST(rate_treats_a_counter_reset_as_zero_not_negative) {
    InfoRate rate;
    info_rate_reset(&rate);
    info_rate_add_sample(&rate, 5000, 1000000);
    info_rate_add_sample(&rate, 10, 1100000);
    CHECK_EQ_INT(0, info_rate_get(&rate));
}

TEST(rate_ignores_a_sample_at_the_same_instant) {
    InfoRate rate;
    info_rate_reset(&rate);
    info_rate_add_sample(&rate, 0, 1000000);
    info_rate_add_sample(&rate, 100, 1000000);
    CHECK_EQ_INT(0, info_rate_get(&rate));
    info_rate_add_sample(&rate, 260, 1100000); /* 160 in 100 ms = 1600/s */
    CHECK_EQ_INT(1600 / INFO_RATE_SAMPLES, info_rate_get(&rate));
}
