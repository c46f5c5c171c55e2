/* A growable, NUL-terminated byte buffer. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sparta__buf_reserve(sparta__buf *b, size_t extra) {
    if (extra > SIZE_MAX - b->len - 1) return SPARTA_LAMBDA_ENOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return 0;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < need) cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *data = realloc(b->data, cap);
    if (!data) return SPARTA_LAMBDA_ENOMEM;
    b->data = data;
    b->cap = cap;
    return 0;
}

int sparta__buf_append(sparta__buf *b, const void *data, size_t len) {
    if (sparta__buf_reserve(b, len) != 0) return SPARTA_LAMBDA_ENOMEM;
    if (len) memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int sparta__buf_puts(sparta__buf *b, const char *s) { return sparta__buf_append(b, s, strlen(s)); }

int sparta__buf_vprintf(sparta__buf *b, const char *fmt, va_list ap) {
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) return SPARTA_LAMBDA_EUSAGE;
    if (sparta__buf_reserve(b, (size_t)n) != 0) return SPARTA_LAMBDA_ENOMEM;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return 0;
}

void sparta__buf_clear(sparta__buf *b) {
    b->len = 0;
    if (b->data) b->data[0] = '\0';
}

void sparta__buf_free(sparta__buf *b) {
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}
