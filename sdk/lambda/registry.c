/* The process's handlers by name (what _HANDLER selects), and the adapter
 * that keeps the deprecated sparta_lambda_func signature working. */
#include "handler.h"

#include <stdlib.h>
#include <string.h>

typedef struct entry {
    char *name;
    sparta_handler *handler;
} entry;

static struct {
    entry *entries;
    const char **names;
    size_t count;
    size_t cap;
    int running;
} g_registry;

void sparta__registry_set_running(int running) { g_registry.running = running; }

const char *const *sparta__registry_names(size_t *count) {
    *count = g_registry.count;
    return g_registry.names;
}

sparta_handler *sparta__registry_find(const char *name) {
    for (size_t i = 0; i < g_registry.count; i++)
        if (strcmp(g_registry.entries[i].name, name) == 0) return g_registry.entries[i].handler;
    return NULL;
}

static int valid_name(const char *name) {
    if (!name || !*name || strlen(name) > 256) return 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p <= 0x20 || *p == 0x7f) return 0;
    return 1;
}

/* Adds the entry, taking over the caller's reference to h. */
static int registry_add(const char *name, sparta_handler *h) {
    if (g_registry.count == g_registry.cap) {
        size_t cap = g_registry.cap ? g_registry.cap * 2 : 8;
        entry *entries = realloc(g_registry.entries, cap * sizeof *entries);
        if (!entries) return SPARTA_LAMBDA_ENOMEM;
        g_registry.entries = entries;
        const char **names = realloc(g_registry.names, cap * sizeof *names);
        if (!names) return SPARTA_LAMBDA_ENOMEM;
        g_registry.names = names;
        g_registry.cap = cap;
    }
    char *copy = strdup(name);
    if (!copy) return SPARTA_LAMBDA_ENOMEM;
    g_registry.entries[g_registry.count] = (entry){copy, h};
    g_registry.names[g_registry.count] = copy;
    g_registry.count++;
    return 0;
}

static int check_registration(const char *name) {
    if (g_registry.running) return SPARTA_LAMBDA_ESTATE;
    if (!valid_name(name)) return SPARTA_LAMBDA_EUSAGE;
    if (sparta__registry_find(name)) return SPARTA_LAMBDA_EEXISTS;
    return 0;
}

SPARTA_LAMBDA_API int sparta_lambda_register(const char *name, sparta_handler *h) {
    if (!h) return SPARTA_LAMBDA_EUSAGE;
    int rc = check_registration(name);
    if (rc) return rc;
    __atomic_add_fetch(&h->refs, 1, __ATOMIC_RELAXED);
    rc = registry_add(name, h);
    if (rc) sparta_handler_free(h);
    return rc;
}

SPARTA_LAMBDA_API int sparta_lambda_register_handler_func(const char *name, sparta_handler_func fn) {
    if (!fn) return SPARTA_LAMBDA_EUSAGE;
    int rc = check_registration(name);
    if (rc) return rc;
    sparta_handler *h = sparta_handler_from_func(fn);
    if (!h) return SPARTA_LAMBDA_ENOMEM;
    rc = registry_add(name, h);
    if (rc) sparta_handler_free(h);
    return rc;
}

SPARTA_LAMBDA_API int sparta_lambda_register_func(const char *name, sparta_lambda_func fn) {
    if (!fn) return SPARTA_LAMBDA_EUSAGE;
    int rc = check_registration(name);
    if (rc) return rc;
    sparta_handler *h = sparta__handler_alloc(SPARTA__HANDLER_LEGACY);
    if (!h) return SPARTA_LAMBDA_ENOMEM;
    h->legacy = fn;
    h->name = strdup(name);
    if (!h->name) {
        sparta_handler_free(h);
        return SPARTA_LAMBDA_ENOMEM;
    }
    rc = registry_add(name, h);
    if (rc) sparta_handler_free(h);
    return rc;
}

void sparta__legacy_serve(sparta_handler *h, sparta_response_writer *w, const sparta_request *r) {
    if (!h->warned) {
        h->warned = 1;
        const char *kv[] = {"Name", h->name};
        sparta__log_fields(SPARTA_LAMBDA_LOG_WARN,
                           "DEPRECATED: sparta_lambda_func() signature provided. "
                           "Please migrate to sparta_handler_func()",
                           kv, 1);
    }
    char *result = NULL;
    int rc = h->legacy(sparta_request_body(r), sparta_request_length(r), sparta_request_context(r), &result);
    if (rc == 0) sparta_response_write(w, result ? result : "", result ? strlen(result) : 0);
    else if (result) sparta_response_error(w, "HandlerError", "%s", result);
    else sparta_response_error(w, "HandlerError", "%s returned %d", h->name, rc);
    free(result);
}
