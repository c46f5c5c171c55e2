/* A growable byte buffer for building text (templates, help, scripts). */
#ifndef SPARTA_CORE_BUFFER_H
#define SPARTA_CORE_BUFFER_H

#include <stddef.h>
#include <sparta/plugin.h>

typedef struct sparta_buffer {
    char *data; /* always NUL-terminated once anything was written */
    size_t length, capacity;
    int failed; /* set when an allocation failed; later writes are dropped */
} sparta_buffer;

#define SPARTA_BUFFER_INIT {NULL, 0, 0, 0}

void sparta__buffer_put(sparta_buffer *b, const void *bytes, size_t n);
void sparta__buffer_puts(sparta_buffer *b, const char *s);
void sparta__buffer_putc(sparta_buffer *b, char c);
void sparta__buffer_printf(sparta_buffer *b, const char *fmt, ...) SPARTA_PRINTF(2, 3);
/* Hands the bytes to the caller (free them with free()); leaves b empty. */
char *sparta__buffer_take(sparta_buffer *b, size_t *length);
void sparta__buffer_free(sparta_buffer *b);

#endif
