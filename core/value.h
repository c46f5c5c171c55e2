/* The one value model for config and template: JSON-like trees in an arena.
 * Objects keep first-insertion order, so output is deterministic. */
#ifndef SPARTA_CORE_VALUE_H
#define SPARTA_CORE_VALUE_H

#include <stddef.h>
#include <stdint.h>
#include <sparta/plugin.h>

#include "arena.h"

/* Strings whose text is only known at MARSHAL (content-addressed keys). */
typedef enum sparta_value_deferred {
    SPARTA_DEFERRED_NONE = 0,
    SPARTA_DEFERRED_ARCHIVE_KEY,    /* str = archive name */
    SPARTA_DEFERRED_ARCHIVE_BUCKET
} sparta_value_deferred;

struct sparta_value {
    sparta_value_type type;
    sparta_value_deferred deferred;
    const char *file; /* where a config value came from, or NULL */
    int line;
    sparta_arena *arena; /* containers grow in it */
    union {
        int boolean;
        int64_t integer;
        double real;
        struct { const char *text; size_t length; } str;
        struct { sparta_value **items; size_t count, cap; } array;
        struct { const char **keys; sparta_value **values; size_t count, cap; } object;
    } as;
};

sparta_value *sparta__value_new(sparta_arena *arena, sparta_value_type type);
sparta_value *sparta__value_string(sparta_arena *arena, const char *s);
sparta_value *sparta__value_stringn(sparta_arena *arena, const char *s, size_t n);
sparta_value *sparta__value_int(sparta_arena *arena, int64_t i);
sparta_value *sparta__value_bool(sparta_arena *arena, int b);
sparta_value *sparta__value_double(sparta_arena *arena, double d);
sparta_value *sparta__value_copy(sparta_arena *arena, const sparta_value *v);

int sparta__value_object_set(sparta_value *object, const char *key, sparta_value *v);
int sparta__value_array_push(sparta_value *array, sparta_value *v);
const sparta_value *sparta__value_get(const sparta_value *object, const char *key);
/* Follows a dotted path of object keys: "service.name". */
const sparta_value *sparta__value_path(const sparta_value *root, const char *dotted);
/* The string at key, or NULL when absent or not a string. */
const char *sparta__value_get_string(const sparta_value *object, const char *key);

const char *sparta__value_type_name(sparta_value_type type);
/* Structural equality (deferred placeholders compare by name). */
int sparta__value_equal(const sparta_value *a, const sparta_value *b);

/* Intrinsic builders. */
sparta_value *sparta__value_ref(sparta_arena *arena, const char *logical_id);
sparta_value *sparta__value_get_att(sparta_arena *arena, const char *logical_id, const char *attribute);
sparta_value *sparta__value_sub(sparta_arena *arena, const char *text);
sparta_value *sparta__value_join(sparta_arena *arena, const char *delimiter, sparta_value *array);

#endif
