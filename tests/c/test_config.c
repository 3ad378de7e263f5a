/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_config.c: the option registry's value parsing and error texts
 * (server/config.c, checked against redis-server's CONFIG SET replies),
 * default detection, and CONFIG REWRITE's file merging
 * (server/config_rewrite.c) on real files in a temp folder.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "server/config.h"
#include "test.h"

static int t_bool;
static long long t_number, t_memory, t_percent, t_octal, t_bounded;
static int t_enum;
static char *t_string, *t_string_default;
static char t_special[64] = "";

static const char *const t_enum_names[] = {"debug", "verbose", "notice", "warning", NULL};

static int t_special_set(const char *value, char *err, size_t errlen) {
    if (strlen(value) >= sizeof(t_special)) {
        snprintf(err, errlen, "too long");
        return -1;
    }
    strcpy(t_special, value);
    return 0;
}

static sds t_special_get(sds out) {
    return sds_cat(out, t_special);
}

/* Registers the test options once; every test sees the same registry. */
static void setup(void) {
    static int done;
    if (done) return;
    done = 1;
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "t-bool", .alias = "t-bool-old",
         .type = KEEL_CFG_BOOL, .default_value = "yes", .storage = &t_bool},
        {.size = sizeof(KeelConfigOption), .name = "t-number", .type = KEEL_CFG_NUMBER,
         .default_value = "10", .min = 1, .max = UINT_MAX, .storage = &t_number},
        {.size = sizeof(KeelConfigOption), .name = "t-memory", .type = KEEL_CFG_MEMORY,
         .default_value = "0", .min = 0, .max = LLONG_MAX, .storage = &t_memory},
        {.size = sizeof(KeelConfigOption), .name = "t-bounded", .type = KEEL_CFG_MEMORY,
         .default_value = "1mb", .min = 1024 * 1024, .max = LLONG_MAX, .storage = &t_bounded},
        {.size = sizeof(KeelConfigOption), .name = "t-percent", .type = KEEL_CFG_MEMORY,
         .flags = KEEL_CFG_PERCENT, .default_value = "0", .min = -100, .max = LLONG_MAX,
         .storage = &t_percent},
        {.size = sizeof(KeelConfigOption), .name = "t-octal", .type = KEEL_CFG_NUMBER,
         .flags = KEEL_CFG_OCTAL, .default_value = "0", .min = 0, .max = 0777,
         .storage = &t_octal},
        {.size = sizeof(KeelConfigOption), .name = "t-enum", .type = KEEL_CFG_ENUM,
         .default_value = "notice", .enum_names = t_enum_names, .storage = &t_enum},
        {.size = sizeof(KeelConfigOption), .name = "t-string", .type = KEEL_CFG_STRING,
         .flags = KEEL_CFG_EMPTY_OK, .default_value = "", .storage = &t_string},
        {.size = sizeof(KeelConfigOption), .name = "t-string-default", .type = KEEL_CFG_STRING,
         .default_value = "./", .storage = &t_string_default},
    };
    for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
        config_register_core(&options[i]);
    static const ConfigSpecialOps special_ops = {.set = t_special_set, .get = t_special_get};
    config_register_special("t-special", 0, "a b", &special_ops, NULL);
}

/* Sets name to value; returns the error text, or "" on success. */
static const char *set(const char *name, const char *value) {
    static char err[512];
    setup();
    err[0] = '\0';
    ConfigEntry *e = config_find(name);
    if (e == NULL) return "unknown option";
    if (config_set_value(e, value, err, sizeof(err)) != 0) return err[0] ? err : "failed";
    return "";
}

/* The current value as CONFIG GET shows it (static buffer). */
static const char *get(const char *name) {
    static char buf[512];
    setup();
    sds v = config_get_value(config_find(name), sds_empty());
    snprintf(buf, sizeof(buf), "%s", v);
    sds_free(v);
    return buf;
}

static int is_default(const char *name) {
    setup();
    return config_is_default(config_find(name));
}

/* ---- parsing ---- */

TEST(config_memory_units) {
    long long v = -1;
    CHECK_EQ_INT(0, config_parse_memory("1k", &v));
    CHECK_EQ_INT(1000, v);
    CHECK_EQ_INT(0, config_parse_memory("1kb", &v));
    CHECK_EQ_INT(1024, v);
    CHECK_EQ_INT(0, config_parse_memory("1KB", &v));
    CHECK_EQ_INT(1024, v);
    CHECK_EQ_INT(0, config_parse_memory("2m", &v));
    CHECK_EQ_INT(2000000, v);
    CHECK_EQ_INT(0, config_parse_memory("2mb", &v));
    CHECK_EQ_INT(2 * 1024 * 1024, v);
    CHECK_EQ_INT(0, config_parse_memory("3g", &v));
    CHECK_EQ_INT(3000000000LL, v);
    CHECK_EQ_INT(0, config_parse_memory("3Gb", &v));
    CHECK_EQ_INT(3LL * 1024 * 1024 * 1024, v);
    CHECK_EQ_INT(0, config_parse_memory("12b", &v));
    CHECK_EQ_INT(12, v);
    CHECK_EQ_INT(0, config_parse_memory("512", &v));
    CHECK_EQ_INT(512, v);
}

TEST(config_memory_valkey_leniency) {
    /* What redis-server 7.0 accepts for maxmemory. */
    long long v = -1;
    CHECK_EQ_INT(0, config_parse_memory("007", &v));
    CHECK_EQ_INT(7, v);
    CHECK_EQ_INT(0, config_parse_memory("", &v));
    CHECK_EQ_INT(0, v);
    CHECK_EQ_INT(0, config_parse_memory("kb", &v));
    CHECK_EQ_INT(0, v);
    CHECK_EQ_INT(0, config_parse_memory("9223372036854775807", &v));
    CHECK_EQ_INT(LLONG_MAX, v);
}

TEST(config_memory_rejects) {
    long long v = 42;
    CHECK_EQ_INT(-1, config_parse_memory("-1", &v));
    CHECK_EQ_INT(-1, config_parse_memory(" 1", &v));
    CHECK_EQ_INT(-1, config_parse_memory("+1", &v));
    CHECK_EQ_INT(-1, config_parse_memory("1.5", &v));
    CHECK_EQ_INT(-1, config_parse_memory("1kbb", &v));
    CHECK_EQ_INT(-1, config_parse_memory("1t", &v));
    CHECK_EQ_INT(-1, config_parse_memory("5%", &v));
    CHECK_EQ_INT(-2, config_parse_memory("9223372036854775808", &v));
    CHECK_EQ_INT(-2, config_parse_memory("99999999999999999999gb", &v));
    CHECK_EQ_INT(-2, config_parse_memory("9007199254740992kb", &v));
    CHECK_EQ_INT(42, v); /* untouched on failure */
}

TEST(config_format_memory_units) {
    static const struct {
        long long bytes;
        const char *text;
    } cases[] = {{0, "0"},          {1, "1"},           {1000, "1000"},
                 {1024, "1kb"},     {1536, "1536"},     {2048, "2kb"},
                 {1048576, "1mb"},  {1073741824, "1gb"}, {3221225472LL, "3gb"},
                 {1049600, "1025kb"}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        sds s = config_format_memory(sds_empty(), cases[i].bytes);
        CHECK_EQ_STR(cases[i].text, s);
        sds_free(s);
    }
}

TEST(config_bool_values) {
    CHECK_EQ_STR("", set("t-bool", "no"));
    CHECK_EQ_STR("no", get("t-bool"));
    CHECK_EQ_STR("", set("t-bool", "YES"));
    CHECK_EQ_STR("yes", get("t-bool"));
    CHECK_EQ_STR("argument must be 'yes' or 'no'", set("t-bool", "maybe"));
    CHECK_EQ_STR("argument must be 'yes' or 'no'", set("t-bool", ""));
    CHECK_EQ_STR("argument must be 'yes' or 'no'", set("t-bool", "1"));
    CHECK_EQ_STR("yes", get("t-bool"));
    /* Found by alias too, case-insensitively. */
    CHECK(config_find("T-BOOL-OLD") == config_find("t-bool"));
}

TEST(config_number_values) {
    CHECK_EQ_STR("", set("t-number", "4294967295"));
    CHECK_EQ_STR("4294967295", get("t-number"));
    CHECK_EQ_STR("argument must be between 1 and 4294967295 inclusive", set("t-number", "0"));
    CHECK_EQ_STR("argument must be between 1 and 4294967295 inclusive",
                 set("t-number", "4294967296"));
    CHECK_EQ_STR("argument must be between 1 and 4294967295 inclusive", set("t-number", "-1"));
    const char *not_integer = "argument couldn't be parsed into an integer";
    CHECK_EQ_STR(not_integer, set("t-number", "abc"));
    CHECK_EQ_STR(not_integer, set("t-number", "007"));
    CHECK_EQ_STR(not_integer, set("t-number", "+1"));
    CHECK_EQ_STR(not_integer, set("t-number", "-0"));
    CHECK_EQ_STR(not_integer, set("t-number", " 1"));
    CHECK_EQ_STR(not_integer, set("t-number", "1k"));
    CHECK_EQ_STR(not_integer, set("t-number", ""));
    CHECK_EQ_STR(not_integer, set("t-number", "99999999999999999999"));
    CHECK_EQ_STR("4294967295", get("t-number"));
    CHECK_EQ_STR("", set("t-number", "10"));
}

TEST(config_memory_values) {
    CHECK_EQ_STR("", set("t-memory", "1kb"));
    CHECK_EQ_STR("1024", get("t-memory")); /* CONFIG GET shows bytes */
    CHECK_EQ_STR("", set("t-memory", "1k"));
    CHECK_EQ_STR("1000", get("t-memory"));
    CHECK_EQ_STR("argument must be a memory value", set("t-memory", "1x"));
    CHECK_EQ_STR("argument must be a memory value", set("t-memory", "-5"));
    CHECK_EQ_STR("argument must be a memory value", set("t-memory", "5%"));
    CHECK_EQ_STR("argument must be between 1048576 and 9223372036854775807 inclusive",
                 set("t-bounded", "1000"));
    CHECK_EQ_STR("argument must be between 1048576 and 9223372036854775807 inclusive",
                 set("t-bounded", "99999999999999999999"));
    CHECK_EQ_STR("", set("t-bounded", "2mb"));
    CHECK_EQ_STR("2097152", get("t-bounded"));
    CHECK_EQ_STR("", set("t-memory", "0"));
    CHECK_EQ_STR("", set("t-bounded", "1mb"));
}

TEST(config_percent_values) {
    CHECK_EQ_STR("", set("t-percent", "25%"));
    CHECK_EQ_STR("25%", get("t-percent"));
    CHECK_EQ_STR("", set("t-percent", "100%"));
    CHECK_EQ_STR("percentage argument must be less or equal to 100", set("t-percent", "101%"));
    CHECK_EQ_STR("argument must be a memory or percent value", set("t-percent", "-5"));
    CHECK_EQ_STR("argument must be a memory or percent value", set("t-percent", "abc"));
    CHECK_EQ_STR("argument must be a memory or percent value", set("t-percent", "-5%"));
    CHECK_EQ_STR("", set("t-percent", "2mb"));
    CHECK_EQ_STR("2097152", get("t-percent"));
    CHECK_EQ_STR("", set("t-percent", "0"));
}

TEST(config_octal_values) {
    CHECK_EQ_STR("", set("t-octal", "755"));
    CHECK_EQ_STR("755", get("t-octal"));
    CHECK_EQ_STR("argument must be between 0 and 777 inclusive", set("t-octal", "1000"));
    CHECK_EQ_STR("argument must be between 0 and 777 inclusive", set("t-octal", "-1"));
    CHECK_EQ_STR("argument couldn't be parsed as an octal number", set("t-octal", "8"));
    CHECK_EQ_STR("argument couldn't be parsed as an octal number", set("t-octal", "7x"));
    CHECK_EQ_STR("755", get("t-octal"));
    CHECK_EQ_STR("", set("t-octal", "0"));
}

TEST(config_enum_values) {
    CHECK_EQ_STR("", set("t-enum", "WARNING"));
    CHECK_EQ_STR("warning", get("t-enum"));
    CHECK_EQ_STR("argument(s) must be one of the following: debug, verbose, notice, warning",
                 set("t-enum", "loud"));
    CHECK_EQ_STR("argument(s) must be one of the following: debug, verbose, notice, warning",
                 set("t-enum", ""));
    CHECK_EQ_STR("warning", get("t-enum"));
    CHECK_EQ_STR("", set("t-enum", "notice"));
}

TEST(config_string_values) {
    CHECK_EQ_STR("", set("t-string", "a b"));
    CHECK_EQ_STR("a b", get("t-string"));
    CHECK_EQ_STR("", set("t-string", ""));
    CHECK_EQ_STR("", get("t-string"));
    CHECK_EQ_STR("argument can't be empty", set("t-string-default", ""));
    CHECK_EQ_STR("./", get("t-string-default"));
}

TEST(config_is_default_compares_values) {
    CHECK(is_default("t-bool"));
    CHECK(is_default("t-number"));
    CHECK(is_default("t-enum"));
    CHECK(is_default("t-string"));
    CHECK(is_default("t-string-default"));
    CHECK(is_default("t-special"));
    CHECK(is_default("t-bounded")); /* "1mb" default vs 1048576 stored */
    CHECK_EQ_STR("", set("t-bounded", "1048576"));
    CHECK(is_default("t-bounded"));
    CHECK_EQ_STR("", set("t-bounded", "1025kb"));
    CHECK(!is_default("t-bounded"));
    CHECK_EQ_STR("", set("t-bounded", "1mb"));
    CHECK_EQ_STR("", set("t-bool", "no"));
    CHECK(!is_default("t-bool"));
    CHECK_EQ_STR("", set("t-bool", "yes"));
    CHECK_EQ_STR("", set("t-special", "a  b"));
    CHECK(!is_default("t-special"));
    CHECK_EQ_STR("", set("t-special", "a b"));
    CHECK(is_default("t-special"));
}

/* ---- CONFIG REWRITE on files ---- */

static char tmp_dir[PATH_MAX];

/* Removes the temp folder and what the tests left in it. */
static void remove_tmp_dir(void) {
    DIR *dir = opendir(tmp_dir);
    if (dir == NULL) return;
    struct dirent *de;
    char path[PATH_MAX + 300];
    while ((de = readdir(dir)) != NULL) {
        if (de->d_name[0] == '.') continue;
        snprintf(path, sizeof(path), "%s/%s", tmp_dir, de->d_name);
        unlink(path);
    }
    closedir(dir);
    rmdir(tmp_dir);
}

static const char *tmp_path(const char *name) {
    static char path[PATH_MAX + 64];
    if (tmp_dir[0] == '\0') {
        snprintf(tmp_dir, sizeof(tmp_dir), "/tmp/keel-test-config-XXXXXX");
        if (mkdtemp(tmp_dir) == NULL) test_fail(__FILE__, __LINE__, "mkdtemp failed");
        atexit(remove_tmp_dir);
    }
    snprintf(path, sizeof(path), "%s/%s", tmp_dir, name);
    return path;
}

static void write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "w");
    if (f == NULL) test_fail(__FILE__, __LINE__, "cannot create %s", path);
    fputs(text, f);
    fclose(f);
}

/* Reads a whole file (static buffer). */
static const char *read_file(const char *path) {
    static char buf[8192];
    FILE *f = fopen(path, "r");
    if (f == NULL) return "(missing)";
    size_t n = fread(buf, 1, sizeof(buf) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void rewrite(const char *path) {
    char err[256] = "";
    if (config_rewrite_file(path, err, sizeof(err)) != 0)
        test_fail(__FILE__, __LINE__, "rewrite failed: %s", err);
}

TEST(config_rewrite_keeps_layout_and_replaces_values) {
    setup();
    const char *path = tmp_path("layout.conf");
    write_file(path, "# header comment\n"
                     "   # indented comment\n"
                     "\n"
                     "\n"
                     "t-number 5\n"
                     "include /some/other.conf\n"
                     "t-number 6\n"
                     "T-BOOL-OLD no\n"
                     "loadmodule keel-socket.so arg1\n"
                     "gone-option 12\n"
                     "t-enum \"unbalanced\n"
                     "t-memory 0\n");
    CHECK_EQ_STR("", set("t-number", "42"));
    CHECK_EQ_STR("", set("t-bool", "no"));
    CHECK_EQ_STR("", set("t-memory", "2048"));
    rewrite(path);
    CHECK_EQ_STR("# header comment\n"
                 "# indented comment\n"
                 "\n"
                 "t-number 42\n"
                 "include /some/other.conf\n"
                 "\n"
                 "t-bool no\n"
                 "loadmodule keel-socket.so arg1\n"
                 "# ??? gone-option 12\n"
                 "# ??? t-enum \"unbalanced\n"
                 "t-memory 2kb\n"
                 "\n",
                 read_file(path));
    /* A second rewrite changes nothing. */
    char first[8192];
    snprintf(first, sizeof(first), "%s", read_file(path));
    rewrite(path);
    CHECK_EQ_STR(first, read_file(path));
    CHECK_EQ_STR("", set("t-number", "10"));
    CHECK_EQ_STR("", set("t-bool", "yes"));
    CHECK_EQ_STR("", set("t-memory", "0"));
}

TEST(config_rewrite_appends_non_defaults_once) {
    setup();
    const char *path = tmp_path("append.conf");
    write_file(path, "t-enum notice\n");
    CHECK_EQ_STR("", set("t-string", "with \"quotes\" and\nnewline"));
    CHECK_EQ_STR("", set("t-bounded", "3mb"));
    CHECK_EQ_STR("", set("t-percent", "10%"));
    CHECK_EQ_STR("", set("t-octal", "750"));
    CHECK_EQ_STR("", set("t-special", "x y"));
    CHECK_EQ_STR("", set("t-string-default", "/data dir"));
    rewrite(path);
    CHECK_EQ_STR("t-enum notice\n"
                 "\n"
                 "# Generated by CONFIG REWRITE\n"
                 "t-bounded 3mb\n"
                 "t-percent 10%\n"
                 "t-octal 750\n"
                 "t-string \"with \\\"quotes\\\" and\\nnewline\"\n"
                 "t-string-default \"/data dir\"\n"
                 "t-special x y\n",
                 read_file(path));
    /* Back to defaults: lines already in the file stay (rewritten), none are
     * added, and an empty string option with an empty default is removed. */
    CHECK_EQ_STR("", set("t-string", ""));
    CHECK_EQ_STR("", set("t-bounded", "1mb"));
    CHECK_EQ_STR("", set("t-percent", "0"));
    CHECK_EQ_STR("", set("t-octal", "0"));
    CHECK_EQ_STR("", set("t-special", "a b"));
    CHECK_EQ_STR("", set("t-string-default", "./"));
    rewrite(path);
    CHECK_EQ_STR("t-enum notice\n"
                 "\n"
                 "# Generated by CONFIG REWRITE\n"
                 "t-bounded 1mb\n"
                 "t-percent 0\n"
                 "t-octal 0\n"
                 "\n"
                 "t-string-default \"./\"\n"
                 "t-special a b\n"
                 "\n",
                 read_file(path));
}

TEST(config_rewrite_creates_missing_file) {
    setup();
    const char *path = tmp_path("new.conf");
    unlink(path);
    CHECK_EQ_STR("", set("t-number", "77"));
    rewrite(path);
    CHECK_EQ_STR("# Generated by CONFIG REWRITE\nt-number 77\n", read_file(path));
    CHECK_EQ_STR("", set("t-number", "10"));
}

TEST(config_rewrite_empty_special_is_quoted) {
    setup();
    const char *path = tmp_path("special.conf");
    write_file(path, "t-special a b\n");
    CHECK_EQ_STR("", set("t-special", ""));
    rewrite(path);
    CHECK_EQ_STR("t-special \"\"\n\n", read_file(path));
    CHECK_EQ_STR("", set("t-special", "a b"));
}

TEST(config_rewrite_keeps_file_mode_and_leaves_no_temp_files) {
    setup();
    const char *path = tmp_path("mode.conf");
    write_file(path, "t-number 10\n");
    chmod(path, 0600);
    rewrite(path);
    struct stat st;
    CHECK_EQ_INT(0, stat(path, &st));
    CHECK_EQ_INT(0600, st.st_mode & 0777);
    DIR *dir = opendir(tmp_dir);
    CHECK(dir != NULL);
    int leftovers = 0;
    struct dirent *de;
    while ((de = readdir(dir)) != NULL) leftovers += strncmp(de->d_name, "mode.conf.", 10) == 0;
    closedir(dir);
    CHECK_EQ_INT(0, leftovers);
}

TEST(config_rewrite_reports_errors) {
    setup();
    char err[256] = "";
    CHECK_EQ_INT(-1, config_rewrite_file("/nonexistent-keel-dir/x.conf", err, sizeof(err)));
    CHECK_EQ_STR(strerror(ENOENT), err);
    /* A folder where the file should be: reading it fails. */
    err[0] = '\0';
    CHECK_EQ_INT(-1, config_rewrite_file(tmp_dir, err, sizeof(err)));
    CHECK_EQ_STR(strerror(EISDIR), err);
}
