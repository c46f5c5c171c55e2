/* A growable string for buildspecs, policies and messages, with the two
 * quoting rules the buildspecs need: YAML double quotes and shell words. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codebuild.h"

static int reserve(codebuild_text *t, size_t more) {
    if (t->failed) return 0;
    if (t->length + more + 1 <= t->capacity) return 1;
    size_t cap = t->capacity ? t->capacity : 256;
    while (cap < t->length + more + 1) cap *= 2;
    char *n = realloc(t->data, cap);
    if (!n) {
        t->failed = 1;
        return 0;
    }
    t->data = n;
    t->capacity = cap;
    return 1;
}

static void putn(codebuild_text *t, const char *s, size_t n) {
    if (!reserve(t, n)) return;
    memcpy(t->data + t->length, s, n);
    t->length += n;
    t->data[t->length] = '\0';
}

void codebuild_text_put(codebuild_text *t, const char *s) { putn(t, s ? s : "", s ? strlen(s) : 0); }

void codebuild_text_printf(codebuild_text *t, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char small[512];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        putn(t, small, (size_t)n);
        return;
    }
    if (!reserve(t, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(t->data + t->length, (size_t)n + 1, fmt, ap);
    va_end(ap);
    t->length += (size_t)n;
}

void codebuild_text_yaml_string(codebuild_text *t, const char *s) {
    putn(t, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if (*p == '"' || *p == '\\') {
            char esc[2] = {'\\', (char)*p};
            putn(t, esc, 2);
        } else if (*p == '\n') {
            putn(t, "\\n", 2);
        } else if (*p == '\t') {
            putn(t, "\\t", 2);
        } else if (*p < 0x20) {
            codebuild_text_printf(t, "\\x%02x", *p);
        } else {
            putn(t, (const char *)p, 1);
        }
    }
    putn(t, "\"", 1);
}

void codebuild_text_shell_word(codebuild_text *t, const char *s) {
    putn(t, "'", 1);
    for (const char *p = s; p && *p; p++) {
        if (*p == '\'') putn(t, "'\\''", 4);
        else putn(t, p, 1);
    }
    putn(t, "'", 1);
}

char *codebuild_text_take(codebuild_text *t) {
    if (t->failed) {
        codebuild_text_free(t);
        return NULL;
    }
    if (!t->data && !reserve(t, 0)) return NULL;
    if (t->length == 0) t->data[0] = '\0';
    char *out = t->data;
    memset(t, 0, sizeof *t);
    return out;
}

void codebuild_text_free(codebuild_text *t) {
    free(t->data);
    memset(t, 0, sizeof *t);
}
