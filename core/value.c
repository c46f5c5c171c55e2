#include "value.h"

#include <string.h>

sparta_value *sparta__value_new(sparta_arena *arena, sparta_value_type type) {
    sparta_value *v = sparta__arena_alloc(arena, sizeof *v);
    if (!v) return NULL;
    v->type = type;
    v->arena = arena;
    return v;
}

sparta_value *sparta__value_stringn(sparta_arena *arena, const char *s, size_t n) {
    sparta_value *v = sparta__value_new(arena, SPARTA_VALUE_STRING);
    if (!v) return NULL;
    v->as.str.text = sparta__arena_strndup(arena, s ? s : "", s ? n : 0);
    v->as.str.length = s ? n : 0;
    return v->as.str.text ? v : NULL;
}

sparta_value *sparta__value_string(sparta_arena *arena, const char *s) {
    return sparta__value_stringn(arena, s, s ? strlen(s) : 0);
}

sparta_value *sparta__value_int(sparta_arena *arena, int64_t i) {
    sparta_value *v = sparta__value_new(arena, SPARTA_VALUE_INT);
    if (v) v->as.integer = i;
    return v;
}

sparta_value *sparta__value_bool(sparta_arena *arena, int b) {
    sparta_value *v = sparta__value_new(arena, SPARTA_VALUE_BOOL);
    if (v) v->as.boolean = b != 0;
    return v;
}

sparta_value *sparta__value_double(sparta_arena *arena, double d) {
    sparta_value *v = sparta__value_new(arena, SPARTA_VALUE_DOUBLE);
    if (v) v->as.real = d;
    return v;
}

sparta_value *sparta__value_copy(sparta_arena *arena, const sparta_value *v) {
    if (!v) return NULL;
    sparta_value *c = sparta__value_new(arena, v->type);
    if (!c) return NULL;
    c->deferred = v->deferred;
    c->file = v->file;
    c->line = v->line;
    switch (v->type) {
    case SPARTA_VALUE_STRING:
        c->as.str.text = sparta__arena_strndup(arena, v->as.str.text, v->as.str.length);
        c->as.str.length = v->as.str.length;
        break;
    case SPARTA_VALUE_ARRAY:
        for (size_t i = 0; i < v->as.array.count; i++)
            if (sparta__value_array_push(c, sparta__value_copy(arena, v->as.array.items[i])) != 0) return NULL;
        break;
    case SPARTA_VALUE_OBJECT:
        for (size_t i = 0; i < v->as.object.count; i++)
            if (sparta__value_object_set(c, v->as.object.keys[i],
                                         sparta__value_copy(arena, v->as.object.values[i])) != 0)
                return NULL;
        break;
    default:
        c->as = v->as;
    }
    return c;
}

/* Doubles the capacity of a pointer array in the arena (old block is left behind). */
static int grow(sparta_arena *arena, void ***items, size_t *cap, size_t count) {
    if (count < *cap) return 0;
    size_t ncap = *cap ? *cap * 2 : 4;
    void **n = sparta__arena_alloc(arena, ncap * sizeof(void *));
    if (!n) return SPARTA_ENOMEM;
    if (count) memcpy(n, *items, count * sizeof(void *));
    *items = n;
    *cap = ncap;
    return 0;
}

int sparta__value_object_set(sparta_value *object, const char *key, sparta_value *v) {
    if (!object || object->type != SPARTA_VALUE_OBJECT || !key || !v) return SPARTA_EGENERIC;
    for (size_t i = 0; i < object->as.object.count; i++) {
        if (strcmp(object->as.object.keys[i], key) == 0) {
            object->as.object.values[i] = v;
            return 0;
        }
    }
    size_t count = object->as.object.count, kcap = object->as.object.cap, vcap = kcap;
    if (grow(object->arena, (void ***)&object->as.object.keys, &kcap, count) != 0 ||
        grow(object->arena, (void ***)&object->as.object.values, &vcap, count) != 0)
        return SPARTA_ENOMEM;
    object->as.object.cap = kcap;
    object->as.object.keys[count] = sparta__arena_strdup(object->arena, key);
    object->as.object.values[count] = v;
    object->as.object.count = count + 1;
    return 0;
}

int sparta__value_array_push(sparta_value *array, sparta_value *v) {
    if (!array || array->type != SPARTA_VALUE_ARRAY || !v) return SPARTA_EGENERIC;
    if (grow(array->arena, (void ***)&array->as.array.items, &array->as.array.cap,
             array->as.array.count) != 0)
        return SPARTA_ENOMEM;
    array->as.array.items[array->as.array.count++] = v;
    return 0;
}

const sparta_value *sparta__value_get(const sparta_value *object, const char *key) {
    if (!object || object->type != SPARTA_VALUE_OBJECT || !key) return NULL;
    for (size_t i = 0; i < object->as.object.count; i++)
        if (strcmp(object->as.object.keys[i], key) == 0) return object->as.object.values[i];
    return NULL;
}

const sparta_value *sparta__value_path(const sparta_value *root, const char *dotted) {
    const sparta_value *v = root;
    const char *p = dotted;
    while (v && p && *p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        char key[256];
        if (n >= sizeof key) return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        v = sparta__value_get(v, key);
        p = dot ? dot + 1 : NULL;
    }
    return v;
}

const char *sparta__value_get_string(const sparta_value *object, const char *key) {
    const sparta_value *v = sparta__value_get(object, key);
    return v && v->type == SPARTA_VALUE_STRING ? v->as.str.text : NULL;
}

const char *sparta__value_type_name(sparta_value_type type) {
    switch (type) {
    case SPARTA_VALUE_NULL: return "null";
    case SPARTA_VALUE_BOOL: return "a boolean";
    case SPARTA_VALUE_INT: return "an integer";
    case SPARTA_VALUE_DOUBLE: return "a number";
    case SPARTA_VALUE_STRING: return "a string";
    case SPARTA_VALUE_ARRAY: return "a list";
    case SPARTA_VALUE_OBJECT: return "a group";
    }
    return "unknown";
}

int sparta__value_equal(const sparta_value *a, const sparta_value *b) {
    if (a == b) return 1;
    if (!a || !b || a->type != b->type || a->deferred != b->deferred) return 0;
    switch (a->type) {
    case SPARTA_VALUE_NULL: return 1;
    case SPARTA_VALUE_BOOL: return a->as.boolean == b->as.boolean;
    case SPARTA_VALUE_INT: return a->as.integer == b->as.integer;
    case SPARTA_VALUE_DOUBLE: return a->as.real == b->as.real;
    case SPARTA_VALUE_STRING:
        return a->as.str.length == b->as.str.length &&
               memcmp(a->as.str.text, b->as.str.text, a->as.str.length) == 0;
    case SPARTA_VALUE_ARRAY:
        if (a->as.array.count != b->as.array.count) return 0;
        for (size_t i = 0; i < a->as.array.count; i++)
            if (!sparta__value_equal(a->as.array.items[i], b->as.array.items[i])) return 0;
        return 1;
    case SPARTA_VALUE_OBJECT:
        if (a->as.object.count != b->as.object.count) return 0;
        for (size_t i = 0; i < a->as.object.count; i++)
            if (!sparta__value_equal(a->as.object.values[i],
                                     sparta__value_get(b, a->as.object.keys[i])))
                return 0;
        return 1;
    }
    return 0;
}

static sparta_value *single_member(sparta_arena *arena, const char *key, sparta_value *v) {
    sparta_value *o = sparta__value_new(arena, SPARTA_VALUE_OBJECT);
    if (!o || !v || sparta__value_object_set(o, key, v) != 0) return NULL;
    return o;
}

sparta_value *sparta__value_ref(sparta_arena *arena, const char *logical_id) {
    return single_member(arena, "Ref", sparta__value_string(arena, logical_id));
}

sparta_value *sparta__value_get_att(sparta_arena *arena, const char *logical_id, const char *attribute) {
    sparta_value *pair = sparta__value_new(arena, SPARTA_VALUE_ARRAY);
    if (!pair || sparta__value_array_push(pair, sparta__value_string(arena, logical_id)) != 0 ||
        sparta__value_array_push(pair, sparta__value_string(arena, attribute)) != 0)
        return NULL;
    return single_member(arena, "Fn::GetAtt", pair);
}

sparta_value *sparta__value_sub(sparta_arena *arena, const char *text) {
    return single_member(arena, "Fn::Sub", sparta__value_string(arena, text));
}

sparta_value *sparta__value_join(sparta_arena *arena, const char *delimiter, sparta_value *array) {
    sparta_value *args = sparta__value_new(arena, SPARTA_VALUE_ARRAY);
    if (!args || !array || sparta__value_array_push(args, sparta__value_string(arena, delimiter)) != 0 ||
        sparta__value_array_push(args, array) != 0)
        return NULL;
    return single_member(arena, "Fn::Join", args);
}
