/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tests/c/test_module_loader.c: tests for the module loader
 * (server/module.c) and the connection-type registry it feeds (net/conn.c).
 *
 * Loads the fixtures of tests/modules/fixtures/ (built by `make fixtures`
 * into build/tests/fixtures/, found next to this binary, or in
 * $KEEL_FIXTURE_DIR), one good and the others broken in one way each, and
 * checks the result, the log lines (docs/CONNECTIONS.md §6) and that a failed
 * load leaves nothing registered. The log goes to a temporary file read back
 * after each load.
 *
 * Loaded modules cannot be unloaded, so tests that need a fresh copy of
 * good.so load a copy under another file name (the loader refuses a second
 * file of the same name) with another type name. Tests run in file order;
 * the one filling the registry comes last.
 */
#include "test.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "keel/module.h"
#include "net/conn.h"
#include "server/config.h"
#include "server/log.h"
#include "server/module.h"

/* Defined in server/server.c; main.c declares it the same way. */
void server_register_all_config(void);

#define ORIGIN "at test.conf:1"

static char fixture_dir[PATH_MAX];
static char temp_dir[PATH_MAX];
static char log_path[PATH_MAX + 16];

/* Removes the temporary directory (log, config, fixture copies) at exit;
 * the copies may stay mapped, which unlinking does not disturb. */
static void temp_dir_remove(void) {
    DIR *dir = opendir(temp_dir);
    if (dir == NULL) return;
    struct dirent *entry;
    while ((entry = readdir(dir)) != NULL) {
        if (entry->d_name[0] == '.') continue;
        char path[PATH_MAX + 300];
        snprintf(path, sizeof(path), "%s/%s", temp_dir, entry->d_name);
        unlink(path);
    }
    closedir(dir);
    rmdir(temp_dir);
}

/* Registers the config, points the log at a temporary file and finds the
 * fixtures. Runs once. */
static void setup(void) {
    static int done;
    if (done) return;
    server_register_all_config();
    core_api_mark_main_thread();

    snprintf(temp_dir, sizeof(temp_dir), "/tmp/keel-test-module-XXXXXX");
    if (mkdtemp(temp_dir) == NULL) test_fail(__FILE__, __LINE__, "mkdtemp failed");
    atexit(temp_dir_remove);
    snprintf(log_path, sizeof(log_path), "%s/log", temp_dir);
    char err[256] = "";
    ConfigEntry *logfile = config_find("logfile");
    if (logfile == NULL) test_fail(__FILE__, __LINE__, "no logfile option");
    if (config_set_value(logfile, log_path, err, sizeof(err)) != 0 || log_reopen(err, sizeof(err)) != 0)
        test_fail(__FILE__, __LINE__, "cannot log to %s: %s", log_path, err);

    const char *env = getenv("KEEL_FIXTURE_DIR");
    if (env && env[0]) {
        snprintf(fixture_dir, sizeof(fixture_dir), "%s", env);
    } else {
        /* build/tests/test_module_loader -> build/tests/fixtures */
        char exe[PATH_MAX];
        ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
        if (len <= 0) test_fail(__FILE__, __LINE__, "readlink /proc/self/exe failed");
        exe[len] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) *slash = '\0';
        snprintf(fixture_dir, sizeof(fixture_dir), "%.*s/fixtures", PATH_MAX - 16, exe);
    }
    done = 1;
}

/* Full path of a fixture; fails the test (naming the fix) if it is missing. */
static const char *fixture(const char *name) {
    static char path[PATH_MAX + 64];
    setup();
    snprintf(path, sizeof(path), "%s/%s", fixture_dir, name);
    if (access(path, R_OK) != 0)
        test_fail(__FILE__, __LINE__, "fixture %s missing: run `make fixtures` first", path);
    return path;
}

/* Copies a fixture to the temp dir under new_name (so it can load again);
 * returns the copy's path. */
static const char *fixture_copy(const char *name, const char *new_name) {
    static char dest[PATH_MAX + 64];
    const char *src = fixture(name);
    snprintf(dest, sizeof(dest), "%s/%s", temp_dir, new_name);
    int in = open(src, O_RDONLY), out = open(dest, O_WRONLY | O_CREAT | O_TRUNC, 0755);
    if (in < 0 || out < 0) test_fail(__FILE__, __LINE__, "cannot copy %s to %s", src, dest);
    char buf[8192];
    ssize_t n;
    while ((n = read(in, buf, sizeof(buf))) > 0)
        if (write(out, buf, (size_t)n) != n) test_fail(__FILE__, __LINE__, "write failed");
    close(in);
    close(out);
    return dest;
}

/* Returns what was logged since the last call, one "<mark> <message>" per
 * line (mark: '#' warning, '*' notice), and empties the log. The caller
 * frees the result with sds_free. */
static sds log_take(void) {
    sds out = sds_empty();
    FILE *f = fopen(log_path, "r");
    if (f == NULL) return out;
    char line[4096];
    while (fgets(line, sizeof(line), f)) {
        /* "pid:M 25 Nov 2026 14:00:00.123 # message": skip five fields. */
        char *p = line;
        for (int field = 0; field < 5 && p; field++) {
            p = strchr(p, ' ');
            if (p) p++;
        }
        out = sds_cat(out, p ? p : line);
    }
    fclose(f);
    if (truncate(log_path, 0) != 0) test_fail(__FILE__, __LINE__, "cannot truncate the log");
    return out;
}

/* Checks the log since the last take equals expected (printf-style). */
#define CHECK_LOG(...)                                                                            \
    do {                                                                                          \
        sds expected_ = sds_cat_printf(sds_empty(), __VA_ARGS__);                                 \
        sds got_ = log_take();                                                                    \
        int same_ = strcmp(expected_, got_) == 0;                                                 \
        if (!same_) {                                                                             \
            char msg_[2048];                                                                      \
            snprintf(msg_, sizeof(msg_), "log:\n  expected [%s]\n  got      [%s]", expected_,     \
                     got_);                                                                       \
            sds_free(expected_);                                                                  \
            sds_free(got_);                                                                       \
            test_fail(__FILE__, __LINE__, "%s", msg_);                                            \
        }                                                                                         \
        sds_free(expected_);                                                                      \
        sds_free(got_);                                                                           \
    } while (0)

/* The registry and the module list, to compare before and after a load. */
typedef struct Snapshot {
    int types, modules;
} Snapshot;

static Snapshot snapshot(void) {
    return (Snapshot){.types = conn_type_count(), .modules = module_count()};
}

#define CHECK_UNCHANGED(before)                                                                   \
    do {                                                                                          \
        CHECK_EQ_INT((before).types, conn_type_count());                                          \
        CHECK_EQ_INT((before).modules, module_count());                                           \
    } while (0)

/* Loads good.so unless it already is (other tests depend on it). */
static void ensure_good_loaded(void) {
    if (conn_type_find("fixture") != NULL) return;
    const char *path = fixture("good.so");
    if (module_load(path, 0, NULL, ORIGIN) != 0) test_fail(__FILE__, __LINE__, "good.so failed");
    sds ignored = log_take();
    sds_free(ignored);
}

static Module *module_last(void) {
    Module *m = module_list_head();
    while (m && m->next) m = m->next;
    return m;
}

/* ---- failures before any module code runs ------------------------------ */

TEST(missing_file_is_refused_with_dlopen_reason) {
    setup();
    sds ignored = log_take();
    sds_free(ignored);
    char path[PATH_MAX + 64];
    snprintf(path, sizeof(path), "%s/does_not_exist.so", fixture_dir);
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_load(path, 0, NULL, ORIGIN));
    CHECK_LOG("# Module %s failed to load: %s: cannot open shared object file: No such file or "
              "directory (" ORIGIN ")\n",
              path, path);
    CHECK_UNCHANGED(before);
}

TEST(bare_name_resolves_in_the_module_directory) {
    setup();
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_load("keel-no-such-module.so", 0, NULL, "from --loadmodule"));
    CHECK_LOG("# Module %s/keel-no-such-module.so failed to load: %s/keel-no-such-module.so: cannot "
              "open shared object file: No such file or directory (from --loadmodule)\n",
              module_dir(), module_dir());
    CHECK_UNCHANGED(before);
}

TEST(file_without_entry_points_is_refused) {
    const char *path = fixture("no_entry.so");
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_load(path, 0, NULL, ORIGIN));
    CHECK_LOG("# Module %s does not export keel_module_onload() or keel_module_abi. Module not "
              "loaded. (" ORIGIN ")\n",
              path);
    CHECK_UNCHANGED(before);
}

TEST(file_with_abi_but_no_onload_is_refused) {
    const char *path = fixture("abi_only.so");
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_load(path, 0, NULL, ORIGIN));
    CHECK_LOG("# Module %s does not export keel_module_onload() or keel_module_abi. Module not "
              "loaded. (" ORIGIN ")\n",
              path);
    CHECK_UNCHANGED(before);
}

TEST(wrong_abi_is_refused_before_onload_runs) {
    const char *path = fixture("wrong_abi.so");
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_load(path, 0, NULL, ORIGIN));
    CHECK_LOG("# Module %s failed to load: built for keel module ABI %u, this server provides ABI "
              "%u; rebuild the module (" ORIGIN ")\n",
              path, (unsigned)KEEL_ABI_VERSION + 1, (unsigned)KEEL_ABI_VERSION);
    CHECK(conn_type_find("wrongabi") == NULL); /* its onload would have registered it */
    CHECK_UNCHANGED(before);
}

TEST(unresolvable_symbol_fails_at_dlopen) {
    const char *path = fixture("bad_symbol.so");
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_load(path, 0, NULL, ORIGIN));
    CHECK_LOG("# Module %s failed to load: %s: undefined symbol: keel_fixture_missing_function "
              "(" ORIGIN ")\n",
              path, path);
    CHECK_UNCHANGED(before);
}

/* ---- onload failures: nothing stays registered ------------------------- */

TEST(onload_failure_with_reason_unregisters_its_type) {
    char *argv[] = {"name=failtype", "fail=1"};
    const char *path = fixture_copy("good.so", "good_fail.so");
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_load(path, 2, argv, ORIGIN));
    CHECK_LOG("# Module %s failed to load: fixture asked to fail (fail=1) (" ORIGIN ")\n", path);
    CHECK(conn_type_find("failtype") == NULL);
    CHECK_UNCHANGED(before);
}

TEST(onload_failure_without_reason_says_onload_returned_an_error) {
    char *argv[] = {"name=quiettype", "fail=quiet"};
    const char *path = fixture_copy("good.so", "good_quiet.so");
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_load(path, 2, argv, ORIGIN));
    CHECK_LOG("# Module %s failed to load: keel_module_onload returned an error (" ORIGIN ")\n",
              path);
    CHECK(conn_type_find("quiettype") == NULL);
    CHECK_UNCHANGED(before);
}

TEST(type_whose_init_hook_fails_is_not_registered) {
    char *argv[] = {"name=inittype", "init_fail=1"};
    const char *path = fixture_copy("good.so", "good_initfail.so");
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_load(path, 2, argv, ORIGIN));
    CHECK_LOG("# Module %s failed to load: fixture init refused (init_fail=1) (" ORIGIN ")\n", path);
    CHECK(conn_type_find("inittype") == NULL);
    CHECK_UNCHANGED(before);
}

TEST(type_missing_a_required_member_is_refused) {
    const char *path = fixture("missing_member.so");
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_load(path, 0, NULL, ORIGIN));
    CHECK_LOG("# Module %s failed to load: connection type \"nomember\": missing read() (" ORIGIN
              ")\n",
              path);
    CHECK(conn_type_find("nomember") == NULL);
    CHECK_UNCHANGED(before);
}

TEST(a_failed_load_can_be_retried_under_the_same_file_name) {
    /* The "already loaded" check must not count a module that failed. */
    char *fail_argv[] = {"name=retrytype", "fail=1"};
    char *ok_argv[] = {"name=retrytype"};
    const char *path = fixture_copy("good.so", "good_retry.so");
    CHECK_EQ_INT(-1, module_load(path, 2, fail_argv, ORIGIN));
    sds ignored = log_take();
    sds_free(ignored);
    CHECK(conn_type_find("retrytype") == NULL);
    Snapshot before = snapshot();
    CHECK_EQ_INT(0, module_load(path, 1, ok_argv, ORIGIN));
    CHECK(conn_type_find("retrytype") != NULL);
    CHECK_EQ_INT(before.types + 1, conn_type_count());
    CHECK_EQ_INT(before.modules + 1, module_count());
    CHECK_LOG("* Module 'retrytype' loaded from %s\n", path);
}

/* ---- success, duplicates ------------------------------------------------ */

TEST(good_module_loads_and_registers_its_type) {
    const char *path = fixture("good.so");
    if (conn_type_find("fixture") != NULL) test_fail(__FILE__, __LINE__, "fixture already there");
    Snapshot before = snapshot();
    CHECK_EQ_INT(0, module_load(path, 0, NULL, ORIGIN));
    CHECK_LOG("* Module 'fixture' loaded from %s\n", path);
    const KeelConnType *type = conn_type_find("fixture");
    CHECK(type != NULL);
    CHECK_EQ_STR("fixture", type->name);
    CHECK(type->read != NULL);
    CHECK_EQ_STR("good.so", conn_type_owner("fixture"));
    CHECK(conn_type_find("FIXTURE") == type); /* names are case-insensitive */
    CHECK_EQ_INT(before.types + 1, conn_type_count());
    CHECK_EQ_INT(before.modules + 1, module_count());
    Module *m = module_last();
    CHECK(m != NULL);
    CHECK_EQ_STR("fixture", m->name);
    CHECK_EQ_INT(1, m->version);
    CHECK_EQ_STR(path, m->path);
    CHECK_EQ_INT(0, m->argc);
}

TEST(module_keeps_its_own_copy_of_the_arguments) {
    char arg0[] = "name=argtype", arg1[] = "extra", arg2[] = "42";
    char *argv[] = {arg0, arg1, arg2};
    const char *path = fixture_copy("good.so", "good_args.so");
    CHECK_EQ_INT(0, module_load(path, 3, argv, ORIGIN));
    sds ignored = log_take();
    sds_free(ignored);
    memset(arg0, 'X', sizeof(arg0) - 1); /* the caller's strings may go away */
    memset(arg1, 'X', sizeof(arg1) - 1);
    Module *m = module_last();
    CHECK(m != NULL);
    CHECK_EQ_INT(3, m->argc);
    CHECK_EQ_STR("name=argtype", m->argv[0]);
    CHECK_EQ_STR("extra", m->argv[1]);
    CHECK_EQ_STR("42", m->argv[2]);
    CHECK(m->argv[3] == NULL);
    CHECK(conn_type_find("argtype") != NULL);
}

TEST(same_file_name_twice_is_refused) {
    ensure_good_loaded();
    const char *path = fixture("good.so");
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_load(path, 0, NULL, ORIGIN));
    CHECK_LOG("# Module %s failed to load: it is already loaded (" ORIGIN ")\n", path);
    CHECK_UNCHANGED(before);
}

TEST(duplicate_type_is_refused_and_the_modules_other_type_removed) {
    ensure_good_loaded();
    const char *path = fixture("dup_tcp.so");
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_load(path, 0, NULL, ORIGIN));
    CHECK_LOG("# Module %s failed to load: connection type \"fixture\" is already registered by "
              "good.so (" ORIGIN ")\n",
              path);
    CHECK(conn_type_find("dupextra") == NULL);
    CHECK_EQ_STR("good.so", conn_type_owner("fixture"));
    CHECK_UNCHANGED(before);
}

TEST(duplicate_type_differing_only_in_case_is_refused) {
    ensure_good_loaded();
    char *argv[] = {"name=FIXTURE"};
    const char *path = fixture_copy("good.so", "good_upper.so");
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_load(path, 1, argv, ORIGIN));
    CHECK_LOG("# Module %s failed to load: connection type \"FIXTURE\" is already registered by "
              "good.so (" ORIGIN ")\n",
              path);
    CHECK_EQ_STR("good.so", conn_type_owner("fixture"));
    CHECK_UNCHANGED(before);
}

TEST(registering_outside_onload_is_refused) {
    setup();
    KeelConnType type = {.size = sizeof(KeelConnType), .name = "outside"};
    char err[256] = "";
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_api_conn_type_register(&type, err, sizeof(err)));
    CHECK_EQ_STR("connection types can only be registered while a module loads", err);
    CHECK(conn_type_find("outside") == NULL);
    CHECK_UNCHANGED(before);
}

/* ---- runtime MODULE LOAD / UNLOAD --------------------------------------- */

TEST(runtime_load_of_a_transport_is_refused) {
    char *argv[] = {"name=runtimetype"};
    const char *path = fixture_copy("good.so", "good_runtime.so");
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_load_runtime(path, 1, argv));
    CHECK_LOG("# Module %s failed to load: Connection type runtimetype can be loaded only during "
              "startup (from MODULE LOAD)\n",
              path);
    CHECK(conn_type_find("runtimetype") == NULL);
    CHECK_UNCHANGED(before);
}

TEST(runtime_unload_of_a_transport_is_refused) {
    ensure_good_loaded();
    char err[256] = "";
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_unload_runtime("fixture", err, sizeof(err)));
    CHECK_EQ_STR("Error unloading module: operation not possible.", err);
    CHECK_LOG("# Connection type fixture can not be unloaded\n");
    CHECK(conn_type_find("fixture") != NULL);
    CHECK_UNCHANGED(before);
}

TEST(runtime_unload_of_an_unknown_module_is_refused) {
    setup();
    char err[256] = "";
    CHECK_EQ_INT(-1, module_unload_runtime("no-such-module", err, sizeof(err)));
    CHECK_EQ_STR("Error unloading module: no such module with that name", err);
    CHECK_LOG("%s", "");
}

/* ---- startup: loadmodule lines from a config file ---------------------- */

TEST(startup_load_failure_names_the_config_line_and_aborts) {
    setup();
    char conf[PATH_MAX + 32], missing[PATH_MAX + 64];
    snprintf(conf, sizeof(conf), "%s/test.conf", temp_dir);
    snprintf(missing, sizeof(missing), "%s/keel-tls.so", temp_dir);
    FILE *f = fopen(conf, "w");
    CHECK(f != NULL);
    fprintf(f, "# loader test\nloadmodule %s\n", missing);
    fclose(f);
    config_load(conf, 0, NULL);
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_load_startup());
    CHECK_LOG("# Module %s failed to load: %s: cannot open shared object file: No such file or "
              "directory (at %s:2)\n"
              "# Can't load module from %s: server aborting\n",
              missing, missing, conf, missing);
    CHECK_UNCHANGED(before);
}

/* ---- the registry's size limit (last: it fills the registry) ------------ */

TEST(registry_refuses_a_type_beyond_its_capacity) {
    ensure_good_loaded();
    int loaded = 0;
    while (conn_type_count() < CONN_TYPES_MAX) {
        char file[64], name[64];
        snprintf(file, sizeof(file), "good_fill%d.so", loaded);
        snprintf(name, sizeof(name), "name=filltype%d", loaded);
        char *argv[] = {name};
        CHECK_EQ_INT(0, module_load(fixture_copy("good.so", file), 1, argv, ORIGIN));
        loaded++;
    }
    sds ignored = log_take();
    sds_free(ignored);
    char *argv[] = {"name=onetoomany"};
    const char *path = fixture_copy("good.so", "good_toomany.so");
    Snapshot before = snapshot();
    CHECK_EQ_INT(-1, module_load(path, 1, argv, ORIGIN));
    CHECK_LOG("# Module %s failed to load: too many connection types (at most %d) (" ORIGIN ")\n",
              path, CONN_TYPES_MAX);
    CHECK(conn_type_find("onetoomany") == NULL);
    CHECK_UNCHANGED(before);
}
