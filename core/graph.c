#include "graph.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

sparta_graph *sparta__graph_new(sparta_error_slot *error, sparta_logger *log, const char *stack_name) {
    sparta_arena *arena = sparta__arena_new();
    if (!arena) return NULL;
    sparta_graph *g = sparta__arena_alloc(arena, sizeof *g);
    if (!g) {
        sparta__arena_free(arena);
        return NULL;
    }
    g->arena = arena;
    g->error = error;
    g->log = log;
    g->stack_name = sparta__arena_strdup(arena, stack_name ? stack_name : "");
    return g;
}

void sparta__graph_free(sparta_graph *g) {
    if (!g) return;
    free(g->resources);
    sparta__strmap_free(&g->resource_index);
    for (int k = 0; k < SPARTA_SECTION_COUNT; k++) {
        free(g->sections[k].items);
        sparta__strmap_free(&g->sections[k].index);
    }
    sparta__arena_free(g->arena);
}

int sparta__logical_id_valid(const char *id) {
    if (!id || !*id) return 0;
    size_t n = 0;
    for (const char *p = id; *p; p++, n++)
        if (!isalnum((unsigned char)*p)) return 0;
    return n <= SPARTA_LIMIT_LOGICAL_ID;
}

static const char *section_title(sparta_graph_section_kind kind) {
    static const char *titles[] = {"parameter", "mapping", "condition", "output"};
    return titles[kind];
}

static int check_new_id(sparta_graph *g, const char *what, const char *owner, const char *id) {
    if (!sparta__logical_id_valid(id))
        return sparta__error_set(g->error, SPARTA_EGRAPH,
                                 "invalid logical ID '%s' for a %s added by plugin '%s': logical IDs "
                                 "are 1 to 255 letters and digits (A-Z, a-z, 0-9); rename it",
                                 id ? id : "(null)", what, owner);
    return 0;
}

/* Resources and parameters share one namespace: a Ref names either. */
static const char *namespace_owner(sparta_graph *g, const char *id, const char **kind) {
    sparta_resource *r = sparta__strmap_get(&g->resource_index, id);
    if (r) {
        *kind = "resource";
        return r->owner;
    }
    const sparta_graph_entry *p = sparta__graph_section_find(g, SPARTA_SECTION_PARAMETERS, id);
    if (p) {
        *kind = "parameter";
        return p->owner;
    }
    return NULL;
}

static int duplicate_error(sparta_graph *g, const char *id, const char *kind, const char *first,
                           const char *what, const char *second) {
    return sparta__error_set(g->error, SPARTA_EGRAPH,
                             "duplicate logical ID '%s': a %s added by plugin '%s' and a %s added by "
                             "plugin '%s'; logical IDs must be unique: rename one of them",
                             id, kind, first, what, second);
}

sparta_resource *sparta__graph_resource_add(sparta_graph *g, const char *owner, const char *id,
                                            const char *type, sparta_value *properties) {
    if (check_new_id(g, "resource", owner, id) != 0) return NULL;
    const char *kind = NULL, *existing = namespace_owner(g, id, &kind);
    if (existing) {
        duplicate_error(g, id, kind, existing, "resource", owner);
        return NULL;
    }
    if (!type || (strncmp(type, "AWS::", 5) != 0 && strncmp(type, "Custom::", 8) != 0 &&
                  strchr(type, ':') == NULL)) {
        sparta__error_set(g->error, SPARTA_EGRAPH,
                          "resource '%s' added by plugin '%s' has type '%s', which is not a "
                          "CloudFormation type such as AWS::Lambda::Function",
                          id, owner, type ? type : "(null)");
        return NULL;
    }
    if (properties && properties->type != SPARTA_VALUE_OBJECT) {
        sparta__error_set(g->error, SPARTA_EGRAPH,
                          "resource '%s' added by plugin '%s': properties must be an object, not %s",
                          id, owner, sparta__value_type_name(properties->type));
        return NULL;
    }
    if (g->resource_count == g->resource_capacity) {
        size_t cap = g->resource_capacity ? g->resource_capacity * 2 : 64;
        sparta_resource **n = realloc(g->resources, cap * sizeof *n);
        if (!n) return NULL;
        g->resources = n;
        g->resource_capacity = cap;
    }
    sparta_resource *r = sparta__arena_alloc(g->arena, sizeof *r);
    if (!r) return NULL;
    r->graph = g;
    r->id = sparta__arena_strdup(g->arena, id);
    r->type = sparta__arena_strdup(g->arena, type);
    r->owner = sparta__arena_strdup(g->arena, owner);
    r->properties = properties ? properties : sparta__value_new(g->arena, SPARTA_VALUE_OBJECT);
    r->attributes = sparta__value_new(g->arena, SPARTA_VALUE_OBJECT);
    if (sparta__strmap_put(&g->resource_index, r->id, r) != 0) return NULL;
    g->resources[g->resource_count++] = r;
    g->sorted = 0;
    return r;
}

int sparta__graph_section_add(sparta_graph *g, sparta_graph_section_kind kind, const char *owner,
                              const char *id, sparta_value *value) {
    int rc = check_new_id(g, section_title(kind), owner, id);
    if (rc != 0) return rc;
    sparta_graph_section *s = &g->sections[kind];
    const sparta_graph_entry *same = sparta__strmap_get(&s->index, id) ? sparta__graph_section_find(g, kind, id) : NULL;
    if (same) return duplicate_error(g, id, section_title(kind), same->owner, section_title(kind), owner);
    if (kind == SPARTA_SECTION_PARAMETERS) {
        const char *k = NULL, *existing = namespace_owner(g, id, &k);
        if (existing) return duplicate_error(g, id, k, existing, "parameter", owner);
    }
    if (!value || (value->type != SPARTA_VALUE_OBJECT && kind != SPARTA_SECTION_CONDITIONS))
        return sparta__error_set(g->error, SPARTA_EGRAPH,
                                 "%s '%s' added by plugin '%s' must be an object", section_title(kind),
                                 id, owner);
    if (s->count == s->capacity) {
        size_t cap = s->capacity ? s->capacity * 2 : 16;
        sparta_graph_entry *n = realloc(s->items, cap * sizeof *n);
        if (!n) return SPARTA_ENOMEM;
        s->items = n;
        s->capacity = cap;
        /* The index points into items; rebuild it after the move. */
        sparta__strmap_free(&s->index);
        for (size_t i = 0; i < s->count; i++)
            if (sparta__strmap_put(&s->index, s->items[i].id, &s->items[i]) != 0) return SPARTA_ENOMEM;
    }
    sparta_graph_entry *e = &s->items[s->count++];
    e->id = sparta__arena_strdup(g->arena, id);
    e->owner = sparta__arena_strdup(g->arena, owner);
    e->value = value;
    return sparta__strmap_put(&s->index, e->id, e) == 0 ? 0 : SPARTA_ENOMEM;
}

const sparta_graph_entry *sparta__graph_section_find(const sparta_graph *g, sparta_graph_section_kind kind,
                                                     const char *id) {
    return sparta__strmap_get(&g->sections[kind].index, id);
}

sparta_resource *sparta__graph_resource_find(const sparta_graph *g, const char *id) {
    return id ? sparta__strmap_get(&g->resource_index, id) : NULL;
}

static int compare_resources(const void *a, const void *b) {
    return strcmp((*(sparta_resource *const *)a)->id, (*(sparta_resource *const *)b)->id);
}

static int compare_entries(const void *a, const void *b) {
    return strcmp(((const sparta_graph_entry *)a)->id, ((const sparta_graph_entry *)b)->id);
}

static void graph_sort(sparta_graph *g) {
    if (g->sorted) return;
    if (g->resource_count > 1) qsort(g->resources, g->resource_count, sizeof *g->resources, compare_resources);
    g->sorted = 1;
}

sparta_resource *sparta__graph_resource_at(sparta_graph *g, size_t i) {
    graph_sort(g);
    return i < g->resource_count ? g->resources[i] : NULL;
}

int sparta__resource_depends_on(sparta_resource *r, const char *id) {
    sparta_graph *g = r->graph;
    if (!sparta__logical_id_valid(id))
        return sparta__error_set(g->error, SPARTA_EGRAPH,
                                 "resource '%s': DependsOn '%s' is not a valid logical ID", r->id,
                                 id ? id : "(null)");
    if (!r->depends_on) r->depends_on = sparta__value_new(g->arena, SPARTA_VALUE_ARRAY);
    for (size_t i = 0; i < r->depends_on->as.array.count; i++)
        if (strcmp(r->depends_on->as.array.items[i]->as.str.text, id) == 0) return 0;
    return sparta__value_array_push(r->depends_on, sparta__value_string(g->arena, id));
}

int sparta__resource_set_attribute(sparta_resource *r, const char *attribute, sparta_value *v) {
    static const char *allowed[] = {"Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata",
                                    "CreationPolicy", "UpdatePolicy"};
    for (size_t i = 0; i < sizeof allowed / sizeof *allowed; i++)
        if (attribute && strcmp(attribute, allowed[i]) == 0)
            return sparta__value_object_set(r->attributes, attribute, v);
    return sparta__error_set(r->graph->error, SPARTA_EGRAPH,
                             "resource '%s': '%s' is not a resource attribute sparta can set (use "
                             "Condition, DeletionPolicy, UpdateReplacePolicy, Metadata, CreationPolicy "
                             "or UpdatePolicy; DependsOn has its own call)",
                             r->id, attribute ? attribute : "(null)");
}

/* ---- marshalling ---------------------------------------------------------- */

static void write_key(sparta_json_writer *w, int depth, const char *key, int *first) {
    if (!*first) sparta__buffer_putc(w->out, ',');
    *first = 0;
    sparta__json_write_newline(w, depth);
    sparta__json_write_string(w->out, key, strlen(key));
    sparta__buffer_puts(w->out, ": ");
}

static void write_section(sparta_json_writer *w, sparta_graph_section *s, const char *title, int *first) {
    if (!s->count) return;
    qsort(s->items, s->count, sizeof *s->items, compare_entries);
    sparta__strmap_free(&s->index);
    for (size_t i = 0; i < s->count; i++) sparta__strmap_put(&s->index, s->items[i].id, &s->items[i]);
    write_key(w, 1, title, first);
    sparta__buffer_putc(w->out, '{');
    int inner = 1;
    for (size_t i = 0; i < s->count; i++) {
        write_key(w, 2, s->items[i].id, &inner);
        sparta__json_write_value(w, s->items[i].value, 2);
    }
    sparta__json_write_newline(w, 1);
    sparta__buffer_putc(w->out, '}');
}

static void write_resource(sparta_json_writer *w, const sparta_resource *r) {
    sparta__buffer_putc(w->out, '{');
    int first = 1;
    write_key(w, 3, "Type", &first);
    sparta__json_write_string(w->out, r->type, strlen(r->type));
    const sparta_value *condition = sparta__value_get(r->attributes, "Condition");
    if (condition) {
        write_key(w, 3, "Condition", &first);
        sparta__json_write_value(w, condition, 3);
    }
    if (r->depends_on && r->depends_on->as.array.count) {
        write_key(w, 3, "DependsOn", &first);
        sparta__json_write_value(w, r->depends_on, 3);
    }
    if (r->properties && r->properties->as.object.count) {
        write_key(w, 3, "Properties", &first);
        sparta__json_write_value(w, r->properties, 3);
    }
    for (size_t i = 0; i < r->attributes->as.object.count; i++) {
        const char *key = r->attributes->as.object.keys[i];
        if (strcmp(key, "Condition") == 0) continue;
        write_key(w, 3, key, &first);
        sparta__json_write_value(w, r->attributes->as.object.values[i], 3);
    }
    sparta__json_write_newline(w, 2);
    sparta__buffer_putc(w->out, '}');
}

int sparta__graph_marshal(sparta_graph *g, sparta_deferred_resolver resolve, void *resolve_user_data,
                          char **json, size_t *length) {
    sparta_buffer out = SPARTA_BUFFER_INIT;
    sparta_json_writer w = {&out, 2, resolve, resolve_user_data};
    graph_sort(g);
    int first = 1;
    sparta__buffer_putc(&out, '{');
    write_key(&w, 1, "AWSTemplateFormatVersion", &first);
    sparta__buffer_puts(&out, "\"2010-09-09\"");
    if (g->description && *g->description) {
        write_key(&w, 1, "Description", &first);
        sparta__json_write_string(&out, g->description, strlen(g->description));
    }
    write_section(&w, &g->sections[SPARTA_SECTION_PARAMETERS], "Parameters", &first);
    write_section(&w, &g->sections[SPARTA_SECTION_MAPPINGS], "Mappings", &first);
    write_section(&w, &g->sections[SPARTA_SECTION_CONDITIONS], "Conditions", &first);
    write_key(&w, 1, "Resources", &first);
    sparta__buffer_putc(&out, '{');
    int inner = 1;
    for (size_t i = 0; i < g->resource_count; i++) {
        write_key(&w, 2, g->resources[i]->id, &inner);
        write_resource(&w, g->resources[i]);
    }
    sparta__json_write_newline(&w, 1);
    sparta__buffer_putc(&out, '}');
    write_section(&w, &g->sections[SPARTA_SECTION_OUTPUTS], "Outputs", &first);
    sparta__buffer_puts(&out, "\n}\n");
    *json = sparta__buffer_take(&out, length);
    return *json ? 0 : sparta__error_set(g->error, SPARTA_ENOMEM, "out of memory writing the template");
}
