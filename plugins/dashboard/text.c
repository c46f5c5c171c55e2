/* Growable text for the dashboard body, with JSON and Fn::Sub escaping. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dashboard.h"

static int reserve(dash_text *t, size_t extra) {
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

void dash_text_put(dash_text *t, const char *s, size_t n) {
    if (reserve(t, n) != 0) return;
    memcpy(t->data + t->length, s, n);
    t->length += n;
    t->data[t->length] = '\0';
}

void dash_text_puts(dash_text *t, const char *s) { dash_text_put(t, s, strlen(s)); }

void dash_text_printf(dash_text *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    int n = vasprintf(&s, fmt, ap);
    va_end(ap);
    if (n < 0) {
        t->failed = 1;
        return;
    }
    dash_text_put(t, s, (size_t)n);
    free(s);
}

void dash_text_sub_literal(dash_text *t, const char *s) {
    for (const char *p = strstr(s, "${"); p; p = strstr(s, "${")) {
        dash_text_put(t, s, (size_t)(p - s));
        dash_text_puts(t, "${!");
        s = p + 2;
    }
    dash_text_puts(t, s);
}

void dash_text_json(dash_text *t, const char *s) {
    dash_text_put(t, "\"", 1);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        switch (c) {
        case '"': dash_text_puts(t, "\\\""); break;
        case '\\': dash_text_puts(t, "\\\\"); break;
        case '\n': dash_text_puts(t, "\\n"); break;
        case '\r': dash_text_puts(t, "\\r"); break;
        case '\t': dash_text_puts(t, "\\t"); break;
        default:
            if (c < 0x20) dash_text_printf(t, "\\u%04x", c);
            else dash_text_put(t, s, 1);
        }
    }
    dash_text_put(t, "\"", 1);
}

void dash_text_free(dash_text *t) {
    free(t->data);
    memset(t, 0, sizeof *t);
}
