/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tls/module.c: the entry points of keel-tls.so, which provides the "tls"
 * connection type, and its options (Valkey's tls-* names and defaults).
 *
 * The only exported symbols of the module are here: keel_module_abi and
 * keel_module_onload, which keeps the core's table, routes OpenSSL's
 * allocations through the core's allocator (so INFO memory counts them),
 * registers the options and then the type. The options live in tls_opts;
 * the core parses and stores them. Changing a context option with CONFIG
 * SET rebuilds the contexts (tls_ctx_apply); tls-port moves the listener.
 *
 * Threads: main only (the loader calls onload once, at startup; apply hooks
 * run on the main thread).
 */
#include <stddef.h>
#include <stdint.h>

#include <openssl/crypto.h>

#include "internal.h"

const KeelCore *tls_core;
TlsOptions tls_opts;

const uint32_t keel_module_abi = KEEL_ABI_VERSION;

/* The last KeelCore member this module calls. */
#define TLS_CORE_MIN_SIZE (offsetof(KeelCore, mem_free) + sizeof(void (*)(void *)))

int tls_enabled(void) {
    return tls_opts.port != 0 || tls_opts.replication || tls_opts.cluster;
}

/* Apply hook of every option that goes into an SSL_CTX. With TLS in use the
 * contexts are rebuilt at once; a failure is refused with Valkey's text and
 * the old contexts keep serving (the reason is in the log). */
static int tls_ctx_apply(const char *name, char *err, size_t errlen) {
    (void)name;
    if (!tls_enabled()) return 0;
    char why[512];
    if (tls_configure(1, why, sizeof why) != 0) {
        tls_core->log(KEEL_LOG_WARNING, "%s", why);
        snprintf(err, errlen, "Unable to update TLS configuration. Check server logs.");
        return -1;
    }
    return 0;
}

/* openssl's allocator hooks, forwarding to the core's counted allocator. */
static void *tls_openssl_malloc(size_t size, const char *file, int line) {
    (void)file, (void)line;
    return tls_core->mem_alloc(size);
}
static void *tls_openssl_realloc(void *ptr, size_t size, const char *file, int line) {
    (void)file, (void)line;
    return tls_core->mem_realloc(ptr, size);
}
static void tls_openssl_free(void *ptr, const char *file, int line) {
    (void)file, (void)line;
    tls_core->mem_free(ptr);
}

#define TLS_STRING(opt_name, field, opt_flags)                                                    \
    {.size = sizeof(KeelConfigOption), .name = opt_name, .type = KEEL_CFG_STRING,              \
     .flags = KEEL_CFG_EMPTY_OK | (opt_flags), .default_value = "", .storage = &tls_opts.field, \
     .apply = tls_ctx_apply}
#define TLS_BOOL(opt_name, field, def, apply_fn)                                                  \
    {.size = sizeof(KeelConfigOption), .name = opt_name, .type = KEEL_CFG_BOOL,                \
     .default_value = def, .storage = &tls_opts.field, .apply = apply_fn}

int tls_options_register(char *err, size_t errlen) {
    static const char *const auth_names[] = {"no", "yes", "optional", NULL};
    static const KeelConfigOption options[] = {
        {.size = sizeof(KeelConfigOption), .name = "tls-port", .type = KEEL_CFG_NUMBER,
         .default_value = "0", .min = 0, .max = 65535, .storage = &tls_opts.port,
         .apply = tls_port_apply},
        TLS_STRING("tls-cert-file", cert_file, 0),
        TLS_STRING("tls-key-file", key_file, 0),
        TLS_STRING("tls-key-file-pass", key_file_pass, KEEL_CFG_SENSITIVE),
        TLS_STRING("tls-client-cert-file", client_cert_file, 0),
        TLS_STRING("tls-client-key-file", client_key_file, 0),
        TLS_STRING("tls-client-key-file-pass", client_key_file_pass, KEEL_CFG_SENSITIVE),
        TLS_STRING("tls-dh-params-file", dh_params_file, 0),
        TLS_STRING("tls-ca-cert-file", ca_cert_file, 0),
        TLS_STRING("tls-ca-cert-dir", ca_cert_dir, 0),
        TLS_STRING("tls-protocols", protocols, 0),
        TLS_STRING("tls-ciphers", ciphers, 0),
        TLS_STRING("tls-ciphersuites", ciphersuites, 0),
        /* Read per accepted connection: no context to rebuild. */
        {.size = sizeof(KeelConfigOption), .name = "tls-auth-clients", .type = KEEL_CFG_ENUM,
         .default_value = "yes", .enum_names = auth_names, .storage = &tls_opts.auth_clients},
        TLS_BOOL("tls-prefer-server-ciphers", prefer_server_ciphers, "no", tls_ctx_apply),
        TLS_BOOL("tls-session-caching", session_caching, "yes", tls_ctx_apply),
        {.size = sizeof(KeelConfigOption), .name = "tls-session-cache-size",
         .type = KEEL_CFG_NUMBER, .default_value = "20480", .min = 0, .max = 2147483647,
         .storage = &tls_opts.session_cache_size, .apply = tls_ctx_apply},
        {.size = sizeof(KeelConfigOption), .name = "tls-session-cache-timeout",
         .type = KEEL_CFG_NUMBER, .default_value = "300", .min = 0, .max = 2147483647,
         .storage = &tls_opts.session_cache_timeout, .apply = tls_ctx_apply},
        TLS_BOOL("tls-replication", replication, "no", tls_ctx_apply),
        TLS_BOOL("tls-cluster", cluster, "no", tls_ctx_apply),
    };
    for (size_t i = 0; i < sizeof options / sizeof options[0]; i++)
        if (tls_core->config_register(&options[i], err, errlen) != KEEL_OK) return -1;
    return 0;
}

int keel_module_onload(const KeelCore *core, int argc, char **argv) {
    if (keel_module_check_core(core, "keel-tls.so", TLS_CORE_MIN_SIZE, argc, argv) != KEEL_OK)
        return KEEL_ERR;
    core->module_set_info("tls", 1);
    tls_core = core;
    /* Refused (returns 0) once OpenSSL has allocated anything, e.g. when
     * another library initialised it first; its memory is then simply not
     * counted in used_memory. */
    (void)CRYPTO_set_mem_functions(tls_openssl_malloc, tls_openssl_realloc, tls_openssl_free);

    char err[512];
    if (tls_options_register(err, sizeof err) != 0 ||
        core->conn_type_register(&tls_conn_type, err, sizeof err) != KEEL_OK) {
        /* The loader unregisters whatever this module registered. */
        core->module_set_error("%s", err);
        return KEEL_ERR;
    }
    return KEEL_OK;
}
