/* Deterministic JSON text from values: fixed indentation, members in
 * insertion order, numbers printed the same way every time. */
#ifndef SPARTA_CORE_JSON_WRITE_H
#define SPARTA_CORE_JSON_WRITE_H

#include "buffer.h"
#include "value.h"

/* Resolves deferred strings (archive keys) at write time; returns NULL when
 * it cannot, which writes the placeholder's name. */
typedef const char *(*sparta_deferred_resolver)(void *user_data, const sparta_value *v);

typedef struct sparta_json_writer {
    sparta_buffer *out;
    int indent;  /* spaces per level; 0 writes compact JSON */
    sparta_deferred_resolver resolve;
    void *resolve_user_data;
} sparta_json_writer;

void sparta__json_write_value(sparta_json_writer *w, const sparta_value *v, int depth);
void sparta__json_write_string(sparta_buffer *out, const char *s, size_t n);
void sparta__json_write_newline(sparta_json_writer *w, int depth);
/* `,"key":"value"` (no comma when first); a NULL value writes null. */
void sparta__json_write_member(sparta_buffer *out, const char *key, const char *value, int comma);

#endif
