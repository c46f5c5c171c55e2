/* libcurl on first use: see curl_loader.h. */
#include "aws/curl_loader.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>

#include "aws/lazy_lib.h"

/* The library the host was built against (ABI 4 since libcurl 7.16). */
#ifndef SPARTA_LIBCURL_SONAME
#define SPARTA_LIBCURL_SONAME "libcurl.so.4"
#endif

/* Forwarders are never exported from libsparta: a program that embeds the
 * host and links libcurl itself keeps calling libcurl directly. */
#define FORWARDER __attribute__((visibility("hidden")))

typedef void (*any_function)(void);

static struct {
    CURLcode (*global_init)(long flags);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *h);
    void (*easy_reset)(CURL *h);
    CURLcode (*easy_setopt)(CURL *h, CURLoption option, ...);
    CURLcode (*easy_perform)(CURL *h);
    CURLcode (*easy_getinfo)(CURL *h, CURLINFO info, ...);
    const char *(*easy_strerror)(CURLcode rc);
    struct curl_slist *(*slist_append)(struct curl_slist *list, const char *s);
    void (*slist_free_all)(struct curl_slist *list);
} api;

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int loaded;            /* written once, under load_once */
static char load_error[1024]; /* why not, when !loaded */

static void load(void) {
    static const sparta__lazy_symbol symbols[] = {
        {"curl_global_init", &api.global_init},   {"curl_easy_init", &api.easy_init},
        {"curl_easy_cleanup", &api.easy_cleanup}, {"curl_easy_reset", &api.easy_reset},
        {"curl_easy_setopt", &api.easy_setopt},   {"curl_easy_perform", &api.easy_perform},
        {"curl_easy_getinfo", &api.easy_getinfo}, {"curl_easy_strerror", &api.easy_strerror},
        {"curl_slist_append", &api.slist_append}, {"curl_slist_free_all", &api.slist_free_all},
    };
    if (!sparta__lazy_lib_open(SPARTA_LIBCURL_SONAME, "libcurl4", symbols, sizeof symbols / sizeof symbols[0],
                               load_error, sizeof load_error))
        return;
    CURLcode rc = api.global_init(CURL_GLOBAL_DEFAULT);
    if (rc != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "libcurl failed to initialise: %s", api.easy_strerror(rc));
        return;
    }
    loaded = 1;
}

static int ready(void) {
    pthread_once(&load_once, load);
    return loaded;
}

int sparta__curl_load(sparta_error_slot *err) {
    if (ready()) return 0;
    return sparta__error_set(err, SPARTA_EAWS, "%s", load_error);
}

/* ---- the forwarders ----------------------------------------------------------
 * <curl/curl.h> makes curl_easy_setopt and curl_easy_getinfo type-checking
 * macros with gcc; the parentheses around those names keep them functions. */

FORWARDER CURL *curl_easy_init(void) { return ready() ? api.easy_init() : NULL; }

FORWARDER void curl_easy_cleanup(CURL *h) {
    if (h && ready()) api.easy_cleanup(h);
}

FORWARDER void curl_easy_reset(CURL *h) {
    if (h && ready()) api.easy_reset(h);
}

FORWARDER CURLcode curl_easy_perform(CURL *h) { return ready() ? api.easy_perform(h) : CURLE_FAILED_INIT; }

FORWARDER const char *curl_easy_strerror(CURLcode rc) {
    return ready() ? api.easy_strerror(rc) : load_error; /* why libcurl is missing */
}

FORWARDER struct curl_slist *curl_slist_append(struct curl_slist *list, const char *s) {
    return ready() ? api.slist_append(list, s) : NULL;
}

FORWARDER void curl_slist_free_all(struct curl_slist *list) {
    if (list && ready()) api.slist_free_all(list);
}

/* The option number says what the one variadic argument is (curl.h,
 * CURLOPTTYPE_*): pass it on as that type. */
FORWARDER CURLcode(curl_easy_setopt)(CURL *h, CURLoption option, ...) {
    if (!ready()) return CURLE_FAILED_INIT;
    long kind = (long)option;
    CURLcode rc;
    va_list ap;
    va_start(ap, option);
    if (kind < CURLOPTTYPE_OBJECTPOINT) /* LONG, VALUES */
        rc = api.easy_setopt(h, option, va_arg(ap, long));
    else if (kind < CURLOPTTYPE_FUNCTIONPOINT) /* OBJECTPOINT, STRINGPOINT, SLISTPOINT, CBPOINT */
        rc = api.easy_setopt(h, option, va_arg(ap, void *));
    else if (kind < CURLOPTTYPE_OFF_T)
        rc = api.easy_setopt(h, option, va_arg(ap, any_function));
    else if (kind < CURLOPTTYPE_BLOB)
        rc = api.easy_setopt(h, option, va_arg(ap, curl_off_t));
    else if (kind < CURLOPTTYPE_BLOB + 10000)
        rc = api.easy_setopt(h, option, va_arg(ap, struct curl_blob *));
    else
        rc = CURLE_UNKNOWN_OPTION;
    va_end(ap);
    return rc;
}

/* Every CURLINFO takes a pointer to where the answer goes. */
FORWARDER CURLcode(curl_easy_getinfo)(CURL *h, CURLINFO info, ...) {
    if (!ready()) return CURLE_FAILED_INIT;
    va_list ap;
    va_start(ap, info);
    void *out = va_arg(ap, void *);
    va_end(ap);
    return api.easy_getinfo(h, info, out);
}
