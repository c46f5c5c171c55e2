#include "buffer.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(sparta_buffer *b, size_t extra) {
    if (b->failed) return -1;
    if (b->length + extra + 1 <= b->capacity) return 0;
    size_t cap = b->capacity ? b->capacity : 256;
    while (cap < b->length + extra + 1) cap *= 2;
    char *n = realloc(b->data, cap);
    if (!n) {
        b->failed = 1;
        return -1;
    }
    b->data = n;
    b->capacity = cap;
    return 0;
}

void sparta__buffer_put(sparta_buffer *b, const void *bytes, size_t n) {
    if (reserve(b, n) != 0) return;
    memcpy(b->data + b->length, bytes, n);
    b->length += n;
    b->data[b->length] = '\0';
}

void sparta__buffer_puts(sparta_buffer *b, const char *s) { sparta__buffer_put(b, s, strlen(s)); }

void sparta__buffer_putc(sparta_buffer *b, char c) { sparta__buffer_put(b, &c, 1); }

void sparta__buffer_printf(sparta_buffer *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char small[512];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        sparta__buffer_put(b, small, (size_t)n);
        return;
    }
    if (reserve(b, (size_t)n) != 0) return;
    va_start(ap, fmt);
    vsnprintf(b->data + b->length, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->length += (size_t)n;
}

char *sparta__buffer_take(sparta_buffer *b, size_t *length) {
    if (b->failed) {
        sparta__buffer_free(b);
        return NULL;
    }
    if (!b->data) sparta__buffer_put(b, "", 0);
    char *out = b->data;
    if (length) *length = b->length;
    memset(b, 0, sizeof *b);
    return out;
}

void sparta__buffer_free(sparta_buffer *b) {
    free(b->data);
    memset(b, 0, sizeof *b);
}
