/* Growable text with JSON and URL encoding. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rollback.h"

static int reserve(rb_text *t, size_t extra) {
    if (t->failed) return -1;
    if (t->length + extra + 1 <= t->capacity) return 0;
    size_t cap = t->capacity ? t->capacity : 256;
    while (cap < t->length + extra + 1) cap *= 2;
    char *data = realloc(t->data, cap);
    if (!data) {
        t->failed = 1;
        return -1;
    }
    t->data = data;
    t->capacity = cap;
    return 0;
}

void rb_text_put(rb_text *t, const char *s, size_t n) {
    if (reserve(t, n) != 0) return;
    memcpy(t->data + t->length, s, n);
    t->length += n;
    t->data[t->length] = '\0';
}

void rb_text_puts(rb_text *t, const char *s) { rb_text_put(t, s, strlen(s)); }

void rb_text_printf(rb_text *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        t->failed = 1;
        return;
    }
    rb_text_put(t, s, (size_t)n);
    free(s);
}

void rb_text_json(rb_text *t, const char *s) {
    rb_text_put(t, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"': rb_text_puts(t, "\\\""); break;
        case '\\': rb_text_puts(t, "\\\\"); break;
        case '\n': rb_text_puts(t, "\\n"); break;
        case '\r': rb_text_puts(t, "\\r"); break;
        case '\t': rb_text_puts(t, "\\t"); break;
        default:
            if (c < 0x20) rb_text_printf(t, "\\u%04x", c);
            else rb_text_put(t, s, 1);
        }
    }
    rb_text_put(t, "\"", 1);
}

/* RFC 3986 unreserved characters stay; everything else is %XX. */
void rb_text_urlencode(rb_text *t, const char *s) {
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '.' || c == '~')
            rb_text_put(t, s, 1);
        else
            rb_text_printf(t, "%%%02X", c);
    }
}

void rb_text_free(rb_text *t) {
    free(t->data);
    memset(t, 0, sizeof *t);
}

const char *rb_text_str(const rb_text *t) { return t->data ? t->data : ""; }
