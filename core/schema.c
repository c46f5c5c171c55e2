#include "schema.h"

#include <stdio.h>
#include <string.h>

#define MAX_DEPTH 32

typedef struct schema_walk {
    const sparta_schema_field *fields;
    size_t count;
    sparta_buffer *problems;
    size_t problem_count;
    const char *section_name;
    const char *components[MAX_DEPTH]; /* normalised: keys, "[]" for elements */
} schema_walk;

/* Does a field path ("functions.[].environment.*") match the components? */
static int path_matches(const char *pattern, const char *const *components, size_t depth) {
    const char *p = pattern;
    for (size_t i = 0; i < depth; i++) {
        if (!*p) return 0;
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        int wildcard = n == 1 && p[0] == '*' && strcmp(components[i], "[]") != 0;
        if (!wildcard && (strlen(components[i]) != n || strncmp(p, components[i], n) != 0)) return 0;
        p = dot ? dot + 1 : p + n;
        if (!dot && i + 1 < depth) return 0;
    }
    return *p == '\0';
}

static const sparta_schema_field *find_field(schema_walk *w, size_t depth) {
    for (size_t i = 0; i < w->count; i++)
        if (w->fields[i].path && path_matches(w->fields[i].path, w->components, depth)) return &w->fields[i];
    return NULL;
}

static void report(schema_walk *w, const sparta_value *v, const char *display, const char *what) {
    if (v && v->file && v->line > 0) sparta__buffer_printf(w->problems, "%s:%d: ", v->file, v->line);
    else if (v && v->file) sparta__buffer_printf(w->problems, "%s: ", v->file);
    sparta__buffer_printf(w->problems, "%s: %s\n", display, what);
    w->problem_count++;
}

static int type_ok(sparta_value_type want, sparta_value_type got) {
    if (want == SPARTA_VALUE_NULL || want == got) return 1;
    return want == SPARTA_VALUE_DOUBLE && got == SPARTA_VALUE_INT;
}

/* Lists the keys the schema accepts beside an unknown one, for the hint. */
static void known_keys(schema_walk *w, size_t depth, char *out, size_t cap) {
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < w->count; i++) {
        const char *path = w->fields[i].path, *last = strrchr(path, '.');
        const char *key = last ? last + 1 : path;
        char parent[512] = "";
        size_t plen = last ? (size_t)(last - path) : 0;
        if (plen >= sizeof parent || !strcmp(key, "[]") || !strcmp(key, "*")) continue;
        memcpy(parent, path, plen);
        parent[plen] = '\0';
        int here = depth == 0 ? last == NULL : (last && path_matches(parent, w->components, depth));
        if (!here) continue;
        int n = snprintf(out + len, cap - len, "%s%s", len ? ", " : "", key);
        if (n < 0 || (size_t)n >= cap - len) break;
        len += (size_t)n;
    }
}

static void walk(schema_walk *w, const sparta_value *v, size_t depth, char *display, size_t dlen, size_t dcap);

static void walk_member(schema_walk *w, const sparta_value *child, size_t depth, const char *component,
                        char *display, size_t dlen, size_t dcap) {
    if (depth >= MAX_DEPTH) return;
    w->components[depth] = component;
    int n = snprintf(display + dlen, dcap - dlen, ".%s", component);
    size_t nl = n > 0 && (size_t)n < dcap - dlen ? dlen + (size_t)n : dlen;
    const sparta_schema_field *f = find_field(w, depth + 1);
    if (!f) {
        char keys[1024];
        known_keys(w, depth, keys, sizeof keys);
        char what[1400];
        if (strcmp(component, "[]") == 0 || component[0] == '[')
            snprintf(what, sizeof what, "a list is not allowed here");
        else if (keys[0])
            snprintf(what, sizeof what, "unknown key '%s': remove it or use one of: %s", component, keys);
        else
            snprintf(what, sizeof what, "unknown key '%s': remove it", component);
        report(w, child, display, what);
    } else if (!type_ok(f->type, child->type)) {
        char what[256];
        snprintf(what, sizeof what, "expected %s, found %s", sparta__value_type_name(f->type),
                 sparta__value_type_name(child->type));
        report(w, child, display, what);
    } else if (f->type != SPARTA_VALUE_NULL) {
        walk(w, child, depth + 1, display, nl, dcap);
    }
    display[dlen] = '\0';
}

static void check_required(schema_walk *w, const sparta_value *object, size_t depth, const char *display) {
    for (size_t i = 0; i < w->count; i++) {
        const sparta_schema_field *f = &w->fields[i];
        if (!f->required || !f->path) continue;
        const char *last = strrchr(f->path, '.');
        const char *key = last ? last + 1 : f->path;
        if (strcmp(key, "[]") == 0 || strcmp(key, "*") == 0) continue;
        char parent[512] = "";
        if (last) {
            size_t n = (size_t)(last - f->path);
            if (n >= sizeof parent) continue;
            memcpy(parent, f->path, n);
            parent[n] = '\0';
        }
        int parent_here = depth == 0 ? last == NULL : (last && path_matches(parent, w->components, depth));
        if (parent_here && !sparta__value_get(object, key)) {
            char what[600];
            snprintf(what, sizeof what, "missing required key '%s'%s%s", key,
                     f->description ? ": " : "", f->description ? f->description : "");
            report(w, object, display, what);
        }
    }
}

static void walk(schema_walk *w, const sparta_value *v, size_t depth, char *display, size_t dlen, size_t dcap) {
    if (v->type == SPARTA_VALUE_OBJECT) {
        check_required(w, v, depth, display);
        for (size_t i = 0; i < v->as.object.count; i++)
            walk_member(w, v->as.object.values[i], depth, v->as.object.keys[i], display, dlen, dcap);
    } else if (v->type == SPARTA_VALUE_ARRAY) {
        for (size_t i = 0; i < v->as.array.count; i++) {
            /* Messages show the index; matching uses "[]". */
            char shown[32];
            snprintf(shown, sizeof shown, "[%zu]", i);
            if (depth >= MAX_DEPTH) return;
            w->components[depth] = "[]";
            int n = snprintf(display + dlen, dcap - dlen, ".%s", shown);
            size_t nl = n > 0 && (size_t)n < dcap - dlen ? dlen + (size_t)n : dlen;
            const sparta_value *child = v->as.array.items[i];
            const sparta_schema_field *f = find_field(w, depth + 1);
            if (!f) {
                report(w, child, display, "a list is not allowed here");
            } else if (!type_ok(f->type, child->type)) {
                char what[256];
                snprintf(what, sizeof what, "expected %s, found %s", sparta__value_type_name(f->type),
                         sparta__value_type_name(child->type));
                report(w, child, display, what);
            } else if (f->type != SPARTA_VALUE_NULL) {
                walk(w, child, depth + 1, display, nl, dcap);
            }
            display[dlen] = '\0';
        }
    }
}

size_t sparta__schema_validate(const sparta_schema_field *fields, size_t count, const char *section_name,
                               const sparta_value *section, sparta_buffer *problems) {
    schema_walk w = {fields, count, problems, 0, section_name, {0}};
    char display[2048];
    snprintf(display, sizeof display, "%s", section_name);
    if (!section) {
        static const sparta_value empty = {.type = SPARTA_VALUE_OBJECT};
        check_required(&w, &empty, 0, display);
        return w.problem_count;
    }
    if (section->type != SPARTA_VALUE_OBJECT) {
        report(&w, section, display, "expected a group { ... }");
        return w.problem_count;
    }
    walk(&w, section, 0, display, strlen(display), sizeof display);
    return w.problem_count;
}
