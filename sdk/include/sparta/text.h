/*
 * sparta plugin SDK — a growable string for plugins.
 *
 * Plugins build buildspecs, policies, dashboard bodies, request bodies and
 * messages as text. They never link the host library, so the host's own
 * string builder is out of reach; this header gives every plugin, in tree or
 * third-party, one shared builder instead of a private copy each.
 *
 * Why header-only: every function is `static inline` and compiled into the
 * plugin that includes it. Nothing here crosses the plugin boundary, so the
 * ABI (sparta/plugin.h: descriptor, host table) stays exactly as it is, and
 * a plugin built against an older host keeps loading. Only libc is used.
 *
 * Use:
 *     sparta_text t = {0};
 *     sparta_text_printf(&t, "{\"name\":");
 *     sparta_text_json_string(&t, name);
 *     sparta_text_puts(&t, "}");
 *     char *body = sparta_text_take(&t);   // NULL when out of memory
 *
 * Out of memory sets `failed`; every later call does nothing, so a caller
 * checks once, at the end (sparta_text_take, or `failed`).
 */
#ifndef SPARTA_TEXT_H
#define SPARTA_TEXT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define SPARTA__TEXT_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define SPARTA__TEXT_PRINTF(fmt, args)
#endif

typedef struct sparta_text {
    char *data;      /* NUL-terminated once anything was written; malloc'd */
    size_t length;   /* bytes in data, without the NUL */
    size_t capacity; /* bytes allocated for data */
    int failed;      /* out of memory: the text is incomplete */
} sparta_text;

/* Room for `more` bytes and a NUL; 0 (and `failed`) when there is none. */
static inline int sparta__text_reserve(sparta_text *t, size_t more) {
    if (t->failed) return 0;
    if (more >= (size_t)-1 / 2 - t->length) {
        t->failed = 1;
        return 0;
    }
    size_t need = t->length + more + 1;
    if (need <= t->capacity) return 1;
    size_t capacity = t->capacity ? t->capacity : 256;
    while (capacity < need) capacity *= 2;
    char *grown = (char *)realloc(t->data, capacity);
    if (!grown) {
        t->failed = 1;
        return 0;
    }
    t->data = grown;
    t->capacity = capacity;
    return 1;
}

/* Appends `n` bytes of `s` (which may hold NULs). */
static inline void sparta_text_put(sparta_text *t, const char *s, size_t n) {
    if (!sparta__text_reserve(t, n)) return;
    if (n) memcpy(t->data + t->length, s, n);
    t->length += n;
    t->data[t->length] = '\0';
}

/* Appends a C string; NULL appends nothing. */
static inline void sparta_text_puts(sparta_text *t, const char *s) {
    if (s) sparta_text_put(t, s, strlen(s));
}

static inline void sparta_text_printf(sparta_text *t, const char *fmt, ...) SPARTA__TEXT_PRINTF(2, 3);
static inline void sparta_text_printf(sparta_text *t, const char *fmt, ...) {
    if (t->failed) return;
    /* Format straight into the spare room; only a longer result grows the
     * text and formats again. */
    size_t room = t->capacity - t->length;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(room ? t->data + t->length : NULL, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        if (room) t->data[t->length] = '\0';
        t->failed = 1;
        return;
    }
    if ((size_t)n >= room) {
        if (room) t->data[t->length] = '\0'; /* drop the truncated attempt */
        if (!sparta__text_reserve(t, (size_t)n)) return;
        va_start(ap, fmt);
        vsnprintf(t->data + t->length, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    t->length += (size_t)n;
}

/* Appends the `n` bytes of `s` as a quoted RFC 8259 JSON string: '"', '\\'
 * and control characters (NUL included) are escaped, everything else (UTF-8,
 * "${Var}" for Fn::Sub) is copied as it is. For bytes that may hold NULs,
 * such as a function's answer. NULL appends "". */
static inline void sparta_text_json_string_n(sparta_text *t, const char *s, size_t n) {
    if (!s) {
        s = "";
        n = 0;
    }
    sparta_text_put(t, "\"", 1);
    size_t copied = 0; /* s[copied..i) is plain, not yet appended */
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *escape = NULL;
        switch (c) {
        case '"': escape = "\\\""; break;
        case '\\': escape = "\\\\"; break;
        case '\n': escape = "\\n"; break;
        case '\r': escape = "\\r"; break;
        case '\t': escape = "\\t"; break;
        case '\b': escape = "\\b"; break;
        case '\f': escape = "\\f"; break;
        default:
            if (c >= 0x20) continue;
        }
        sparta_text_put(t, s + copied, i - copied);
        if (escape) sparta_text_puts(t, escape);
        else sparta_text_printf(t, "\\u%04x", c);
        copied = i + 1;
    }
    sparta_text_put(t, s + copied, n - copied);
    sparta_text_put(t, "\"", 1);
}

/* The same for a C string; NULL appends "". */
static inline void sparta_text_json_string(sparta_text *t, const char *s) {
    sparta_text_json_string_n(t, s, s ? strlen(s) : 0);
}

/* Appends `s` form-encoded, for AWS Query API bodies
 * (application/x-www-form-urlencoded): the RFC 3986 unreserved characters
 * A-Z a-z 0-9 - _ . ~ as they are, every other byte as %XX. NULL appends
 * nothing. */
static inline void sparta_text_urlencode(sparta_text *t, const char *s) {
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~')
            sparta_text_put(t, s, 1);
        else
            sparta_text_printf(t, "%%%02X", c);
    }
}

/* The text so far, "" when nothing was written; never NULL. Borrowed: valid
 * until the next call that appends to or frees `t`. */
static inline const char *sparta_text_str(const sparta_text *t) { return t->data ? t->data : ""; }

static inline void sparta_text_free(sparta_text *t) {
    free(t->data);
    memset(t, 0, sizeof *t);
}

/* Hands the malloc'd string to the caller ("" when nothing was written) and
 * empties `t`; NULL (with `t` freed) when out of memory. */
static inline char *sparta_text_take(sparta_text *t) {
    if (t->failed || (!t->data && !sparta__text_reserve(t, 0))) {
        sparta_text_free(t);
        return NULL;
    }
    t->data[t->length] = '\0';
    char *out = t->data;
    memset(t, 0, sizeof *t);
    return out;
}

#endif
