/* A template becomes nodes and edges. Any CloudFormation template works, not
 * only ours: the walker knows the intrinsics that name other entries (Ref,
 * Fn::GetAtt, the ${X} of Fn::Sub) and DependsOn, and skips pseudo
 * parameters. Each function's resources are grouped for drawing. */
#include "describe.h"

#include <ctype.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "strmap.h"

#define MAX_JSON_DEPTH 256

typedef struct builder {
    sparta_describe_model *m;
    sparta_strmap index[3]; /* logical ID -> node index + 1, per kind */
    size_t node_capacity, edge_capacity;
    size_t from;            /* the node whose definition is being walked */
    int failed;             /* out of memory */
} builder;

static const char *const kind_names[] = {"parameter", "resource", "output"};
static const char *const edge_names[] = {"Ref", "Fn::GetAtt", "Fn::Sub", "DependsOn"};

const char *sparta__describe_node_kind_name(sparta_describe_node_kind kind) {
    return (unsigned)kind < 3 ? kind_names[kind] : "?";
}

const char *sparta__describe_edge_kind_name(sparta_describe_edge_kind kind) {
    return (unsigned)kind < SPARTA_DESCRIBE_EDGE_KIND_COUNT ? edge_names[kind] : "?";
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static const char *string_member(json_object *object, const char *key) {
    json_object *v = NULL;
    if (!json_object_is_type(object, json_type_object) || !json_object_object_get_ex(object, key, &v)) return NULL;
    return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

static json_object *object_member(json_object *object, const char *key) {
    json_object *v = NULL;
    if (!json_object_is_type(object, json_type_object) || !json_object_object_get_ex(object, key, &v)) return NULL;
    return json_object_is_type(v, json_type_object) ? v : NULL;
}

static int add_node(builder *b, sparta_describe_node_kind kind, const char *id, const char *type,
                    const char *description) {
    sparta_describe_model *m = b->m;
    if (sparta__strmap_get(&b->index[kind], id)) return 0; /* json-c keeps the last duplicate key anyway */
    if (m->node_count == b->node_capacity) {
        size_t cap = b->node_capacity ? b->node_capacity * 2 : 64;
        sparta_describe_node *n = realloc(m->nodes, cap * sizeof *n);
        if (!n) return SPARTA_ENOMEM;
        m->nodes = n;
        b->node_capacity = cap;
    }
    sparta_describe_node *n = &m->nodes[m->node_count];
    memset(n, 0, sizeof *n);
    n->kind = kind;
    n->group = -1;
    n->id = strdup(id);
    n->description = dup_or_null(description);
    if (kind == SPARTA_DESCRIBE_RESOURCE) {
        n->type = strdup(type ? type : "(no Type)");
        n->short_type = strdup(type && strncmp(type, "AWS::", 5) == 0 ? type + 5 : (type ? type : "(no Type)"));
        n->style = sparta__describe_style_for_type(type ? type : "");
    } else if (kind == SPARTA_DESCRIBE_PARAMETER) {
        n->type = strdup(type ? type : "String");
        if (asprintf(&n->short_type, "Parameter: %s", type ? type : "String") < 0) n->short_type = NULL;
        n->style = sparta__describe_style_for_kind(kind);
    } else {
        n->type = strdup("Output");
        n->short_type = strdup("Output");
        n->style = sparta__describe_style_for_kind(kind);
    }
    m->node_count++; /* counted before any check so that free() releases it */
    if (!n->id || !n->type || !n->short_type || (description && !n->description)) return SPARTA_ENOMEM;
    if (sparta__strmap_put(&b->index[kind], n->id, (void *)(uintptr_t)m->node_count) != 0) return SPARTA_ENOMEM;
    m->section_count[kind]++;
    return 0;
}

static long find(const builder *b, sparta_describe_node_kind kind, const char *id) {
    uintptr_t v = (uintptr_t)sparta__strmap_get(&b->index[kind], id);
    return v ? (long)v - 1 : -1;
}

long sparta__describe_node_find(const sparta_describe_model *m, sparta_describe_node_kind kind, const char *id) {
    for (size_t i = 0; m && id && i < m->node_count; i++)
        if (m->nodes[i].kind == kind && strcmp(m->nodes[i].id, id) == 0) return (long)i;
    return -1;
}

static void add_edge(builder *b, long to, sparta_describe_edge_kind kind) {
    sparta_describe_model *m = b->m;
    if (to < 0 || (size_t)to == b->from) return;
    if (m->edge_count == b->edge_capacity) {
        size_t cap = b->edge_capacity ? b->edge_capacity * 2 : 128;
        sparta_describe_edge *e = realloc(m->edges, cap * sizeof *e);
        if (!e) {
            b->failed = 1;
            return;
        }
        m->edges = e;
        b->edge_capacity = cap;
    }
    m->edges[m->edge_count++] = (sparta_describe_edge){b->from, (size_t)to, kind};
}

/* A name used by an intrinsic: `attribute` when it came with one (GetAtt,
 * ${X.Attr}), which only a resource has. */
static void reference(builder *b, const char *name, size_t length, int attribute, sparta_describe_edge_kind kind) {
    if (length >= 5 && strncmp(name, "AWS::", 5) == 0) return; /* a pseudo parameter */
    char stack_buf[256];
    char *id = length < sizeof stack_buf ? stack_buf : malloc(length + 1);
    if (!id) {
        b->failed = 1;
        return;
    }
    memcpy(id, name, length);
    id[length] = '\0';
    long to = find(b, SPARTA_DESCRIBE_RESOURCE, id);
    if (to < 0 && !attribute) to = find(b, SPARTA_DESCRIBE_PARAMETER, id);
    if (to < 0) b->m->unresolved++;
    else add_edge(b, to, kind);
    if (id != stack_buf) free(id);
}

/* ${Name}, ${Name.Attr}; ${!Literal} is text; names in `vars` are local. */
static void sub_text(builder *b, const char *text, json_object *vars) {
    for (const char *p = strstr(text, "${"); p; p = strstr(p, "${")) {
        p += 2;
        if (*p == '!') continue;
        const char *end = strchr(p, '}');
        if (!end) return;
        size_t n = (size_t)(end - p);
        const char *dot = memchr(p, '.', n);
        size_t name_length = dot ? (size_t)(dot - p) : n;
        if (name_length && !(vars && json_object_is_type(vars, json_type_object))) {
            reference(b, p, name_length, dot != NULL, SPARTA_DESCRIBE_SUB);
        } else if (name_length) {
            char *local = strndup(p, n), *local_name = strndup(p, name_length);
            int is_local = local && local_name &&
                           (json_object_object_get_ex(vars, local, NULL) ||
                            json_object_object_get_ex(vars, local_name, NULL));
            if (!is_local) reference(b, p, name_length, dot != NULL, SPARTA_DESCRIBE_SUB);
            free(local);
            free(local_name);
        }
        p = end;
    }
}

static void walk(builder *b, json_object *v) {
    if (json_object_is_type(v, json_type_array)) {
        size_t n = json_object_array_length(v);
        for (size_t i = 0; i < n; i++) walk(b, json_object_array_get_idx(v, i));
        return;
    }
    if (!json_object_is_type(v, json_type_object)) return;
    if (json_object_object_length(v) == 1) {
        json_object *arg = NULL;
        if (json_object_object_get_ex(v, "Ref", &arg)) {
            if (json_object_is_type(arg, json_type_string))
                reference(b, json_object_get_string(arg), (size_t)json_object_get_string_len(arg), 0,
                          SPARTA_DESCRIBE_REF);
            return;
        }
        if (json_object_object_get_ex(v, "Fn::GetAtt", &arg)) {
            if (json_object_is_type(arg, json_type_array) && json_object_array_length(arg) >= 1 &&
                json_object_is_type(json_object_array_get_idx(arg, 0), json_type_string)) {
                json_object *name = json_object_array_get_idx(arg, 0);
                reference(b, json_object_get_string(name), (size_t)json_object_get_string_len(name), 1,
                          SPARTA_DESCRIBE_GETATT);
                for (size_t i = 1; i < json_object_array_length(arg); i++) walk(b, json_object_array_get_idx(arg, i));
            } else if (json_object_is_type(arg, json_type_string)) {
                const char *text = json_object_get_string(arg);
                const char *dot = strchr(text, '.');
                reference(b, text, dot ? (size_t)(dot - text) : strlen(text), 1, SPARTA_DESCRIBE_GETATT);
            }
            return;
        }
        if (json_object_object_get_ex(v, "Fn::Sub", &arg)) {
            if (json_object_is_type(arg, json_type_string)) {
                sub_text(b, json_object_get_string(arg), NULL);
            } else if (json_object_is_type(arg, json_type_array) && json_object_array_length(arg) == 2 &&
                       json_object_is_type(json_object_array_get_idx(arg, 0), json_type_string)) {
                json_object *vars = json_object_array_get_idx(arg, 1);
                sub_text(b, json_object_get_string(json_object_array_get_idx(arg, 0)), vars);
                walk(b, vars);
            }
            return;
        }
    }
    json_object_object_foreach(v, key, child) {
        (void)key;
        walk(b, child);
    }
}

/* One DependsOn entry: a resource's logical ID (anything else is skipped). */
static void depends_on(builder *b, json_object *name) {
    if (!json_object_is_type(name, json_type_string)) return;
    long to = find(b, SPARTA_DESCRIBE_RESOURCE, json_object_get_string(name));
    if (to < 0) b->m->unresolved++;
    add_edge(b, to, SPARTA_DESCRIBE_DEPENDS_ON);
}

/* Every part of a resource but the ones that hold no references. */
static void walk_resource(builder *b, json_object *definition) {
    if (!json_object_is_type(definition, json_type_object)) return;
    json_object_object_foreach(definition, key, child) {
        if (strcmp(key, "DependsOn") == 0) {
            if (json_object_is_type(child, json_type_array)) {
                for (size_t i = 0; i < json_object_array_length(child); i++)
                    depends_on(b, json_object_array_get_idx(child, i));
            } else {
                depends_on(b, child);
            }
        } else if (strcmp(key, "Type") != 0 && strcmp(key, "Condition") != 0 && strcmp(key, "DeletionPolicy") != 0 &&
                   strcmp(key, "UpdateReplacePolicy") != 0) {
            walk(b, child);
        }
    }
}

static int compare_edges(const void *pa, const void *pb) {
    const sparta_describe_edge *a = pa, *b = pb;
    if (a->from != b->from) return a->from < b->from ? -1 : 1;
    if (a->to != b->to) return a->to < b->to ? -1 : 1;
    return (int)a->kind - (int)b->kind;
}

static void unique_edges(sparta_describe_model *m) {
    if (!m->edge_count) return;
    qsort(m->edges, m->edge_count, sizeof *m->edges, compare_edges);
    size_t w = 1;
    for (size_t r = 1; r < m->edge_count; r++)
        if (compare_edges(&m->edges[r], &m->edges[w - 1]) != 0) m->edges[w++] = m->edges[r];
    m->edge_count = w;
}

static int is_function_type(const char *type) {
    return strcmp(type, "AWS::Lambda::Function") == 0 || strcmp(type, "AWS::Serverless::Function") == 0;
}

/* One group per function. A resource or output joins the function whose
 * logical-ID prefix it starts with (the longest, at a CamelCase boundary:
 * HelloRole -> Hello), else the one function group all its neighbours are
 * in (a queue only one function reads). Parameters stay outside. */
static int make_groups(sparta_describe_model *m) {
    size_t functions = 0;
    for (size_t i = 0; i < m->node_count; i++)
        if (m->nodes[i].kind == SPARTA_DESCRIBE_RESOURCE && is_function_type(m->nodes[i].type)) functions++;
    if (!functions) return 0;
    m->groups = calloc(functions, sizeof *m->groups);
    size_t *prefix_length = calloc(functions, sizeof *prefix_length);
    long *candidate = malloc(m->node_count * sizeof *candidate);
    if (!m->groups || !prefix_length || !candidate) {
        free(prefix_length);
        free(candidate);
        return SPARTA_ENOMEM;
    }
    for (size_t i = 0; i < m->node_count; i++) {
        sparta_describe_node *n = &m->nodes[i];
        if (n->kind != SPARTA_DESCRIBE_RESOURCE || !is_function_type(n->type)) continue;
        size_t len = strlen(n->id);
        if (len > 8 && strcmp(n->id + len - 8, "Function") == 0) len -= 8;
        sparta_describe_group *g = &m->groups[m->group_count];
        g->name = strndup(n->id, len);
        g->function = i;
        if (!g->name) {
            free(prefix_length);
            free(candidate);
            return SPARTA_ENOMEM;
        }
        prefix_length[m->group_count] = len;
        n->group = (long)m->group_count++;
    }
    for (size_t i = 0; i < m->node_count; i++) {
        sparta_describe_node *n = &m->nodes[i];
        if (n->kind == SPARTA_DESCRIBE_PARAMETER || n->group >= 0) continue;
        size_t best = 0;
        for (size_t g = 0; g < m->group_count; g++) {
            size_t len = prefix_length[g];
            if (len > best && strncmp(n->id, m->groups[g].name, len) == 0 && n->id[len] &&
                !islower((unsigned char)n->id[len])) {
                best = len;
                n->group = (long)g;
            }
        }
    }
    /* -1: no grouped neighbour yet; -2: neighbours in several groups. */
    for (size_t i = 0; i < m->node_count; i++) candidate[i] = -1;
    for (size_t e = 0; e < m->edge_count; e++) {
        size_t ends[2] = {m->edges[e].from, m->edges[e].to};
        for (int side = 0; side < 2; side++) {
            const sparta_describe_node *self = &m->nodes[ends[side]], *other = &m->nodes[ends[!side]];
            if (self->group >= 0 || self->kind == SPARTA_DESCRIBE_PARAMETER || other->group < 0 ||
                other->kind != SPARTA_DESCRIBE_RESOURCE)
                continue;
            long *c = &candidate[ends[side]];
            if (*c == -1) *c = other->group;
            else if (*c != other->group) *c = -2;
        }
    }
    for (size_t i = 0; i < m->node_count; i++)
        if (candidate[i] >= 0) m->nodes[i].group = candidate[i];
    free(prefix_length);
    free(candidate);
    return 0;
}

static void line_column(const char *text, size_t offset, int *line, int *column) {
    *line = 1;
    *column = 1;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *column = 1;
        } else {
            (*column)++;
        }
    }
}

static json_object *parse(const char *text, size_t length, const char *source, sparta_error_slot *err) {
    json_tokener *tok = json_tokener_new_ex(MAX_JSON_DEPTH);
    if (!tok) {
        sparta__error_set(err, SPARTA_ENOMEM, "out of memory");
        return NULL;
    }
    json_object *root = length ? json_tokener_parse_ex(tok, text, (int)length) : NULL;
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    if (root && jerr == json_tokener_success) {
        while (end < length && isspace((unsigned char)text[end])) end++;
        if (end < length) {
            int line, column;
            line_column(text, end, &line, &column);
            sparta__error_set(err, SPARTA_EUSAGE,
                              "%s:%d:%d: not a CloudFormation template: text after the JSON document ends; "
                              "pass a template file such as the <outputDir>/<stack>.template.json that "
                              "`sparta provision --noop` writes",
                              source, line, column);
            json_object_put(root);
            root = NULL;
        }
    } else {
        int line, column;
        line_column(text, end < length ? end : length, &line, &column);
        const char *why = !length ? "the file is empty"
                          : jerr == json_tokener_continue ? "the JSON ends too early"
                                                          : json_tokener_error_desc(jerr);
        sparta__error_set(err, SPARTA_EUSAGE,
                          "%s:%d:%d: not a CloudFormation template: it is not JSON (%s); pass a template file "
                          "such as the <outputDir>/<stack>.template.json that `sparta provision --noop` writes",
                          source, line, column, why);
        json_object_put(root);
        root = NULL;
    }
    json_tokener_free(tok);
    return root;
}

static int load(builder *b, json_object *root, const char *text, size_t length) {
    sparta_describe_model *m = b->m;
    int rc = 0;
    json_object *params = object_member(root, "Parameters");
    json_object *resources = object_member(root, "Resources");
    json_object *outputs = object_member(root, "Outputs");
    if (params) {
        json_object_object_foreach(params, pid, pdef) {
            if (rc == 0) rc = add_node(b, SPARTA_DESCRIBE_PARAMETER, pid, string_member(pdef, "Type"),
                                       string_member(pdef, "Description"));
        }
    }
    json_object_object_foreach(resources, rid, rdef) {
        if (rc == 0) rc = add_node(b, SPARTA_DESCRIBE_RESOURCE, rid, string_member(rdef, "Type"),
                                   string_member(object_member(rdef, "Properties"), "Description"));
    }
    if (outputs) {
        json_object_object_foreach(outputs, oid, odef) {
            if (rc == 0) rc = add_node(b, SPARTA_DESCRIBE_OUTPUT, oid, NULL, string_member(odef, "Description"));
        }
    }
    if (rc != 0) return rc;
    /* References, once every name is known. */
    size_t first_resource = m->section_count[SPARTA_DESCRIBE_PARAMETER];
    b->from = first_resource;
    json_object_object_foreach(resources, wid, wdef) {
        (void)wid;
        walk_resource(b, wdef);
        b->from++;
    }
    if (outputs) {
        json_object_object_foreach(outputs, xid, xdef) {
            (void)xid;
            walk(b, xdef);
            b->from++;
        }
    }
    if (b->failed) return SPARTA_ENOMEM;
    unique_edges(m);
    rc = make_groups(m);
    if (rc != 0) return rc;

    m->description = dup_or_null(string_member(root, "Description"));
    /* Show the text as written unless it is all on one line. */
    size_t newlines = 0;
    for (size_t i = 0; i < length && newlines < 2; i++) newlines += text[i] == '\n';
    if (newlines >= 2) {
        m->template_text = strndup(text, length);
    } else {
        m->template_text = dup_or_null(
            json_object_to_json_string_ext(root, JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE));
    }
    m->template_compact =
        dup_or_null(json_object_to_json_string_ext(root, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
    if (!m->template_text || !m->template_compact) return SPARTA_ENOMEM;
    m->template_length = strlen(m->template_text);
    return 0;
}

int sparta__describe_model_load(sparta_describe_model *m, const char *text, size_t length, const char *source,
                                const char *stack, sparta_error_slot *err) {
    memset(m, 0, sizeof *m);
    if (!text) return sparta__error_set(err, SPARTA_EUSAGE, "%s: no template to describe", source);
    json_object *root = parse(text, length, source, err);
    if (!root) return err->code;
    if (!object_member(root, "Resources")) {
        json_object_put(root);
        return sparta__error_set(err, SPARTA_EUSAGE,
                                 "%s: not a CloudFormation template: it is JSON but has no \"Resources\" object; "
                                 "pass a template file such as the <outputDir>/<stack>.template.json that "
                                 "`sparta provision --noop` writes",
                                 source);
    }
    builder b;
    memset(&b, 0, sizeof b);
    b.m = m;
    m->stack = strdup(stack ? stack : "stack");
    m->source = strdup(source);
    int rc = m->stack && m->source ? load(&b, root, text, length) : SPARTA_ENOMEM;
    for (int k = 0; k < 3; k++) sparta__strmap_free(&b.index[k]);
    json_object_put(root);
    if (rc != 0) {
        sparta__describe_model_free(m);
        return sparta__error_set(err, rc, "out of memory while reading %s", source);
    }
    return 0;
}

int sparta__describe_model_add_archive(sparta_describe_model *m, const char *name, const char *path, size_t entries,
                                       const char *sha256) {
    sparta_describe_archive *a = realloc(m->archives, (m->archive_count + 1) * sizeof *a);
    if (!a) return SPARTA_ENOMEM;
    m->archives = a;
    a = &m->archives[m->archive_count++];
    memset(a, 0, sizeof *a);
    a->name = dup_or_null(name);
    a->path = dup_or_null(path);
    a->sha256 = dup_or_null(sha256);
    a->entries = entries;
    struct stat st;
    a->size = path && stat(path, &st) == 0 && S_ISREG(st.st_mode) ? (long long)st.st_size : -1;
    return a->name ? 0 : SPARTA_ENOMEM;
}

void sparta__describe_model_free(sparta_describe_model *m) {
    if (!m) return;
    for (size_t i = 0; i < m->node_count; i++) {
        free(m->nodes[i].id);
        free(m->nodes[i].type);
        free(m->nodes[i].short_type);
        free(m->nodes[i].description);
    }
    for (size_t i = 0; i < m->group_count; i++) free(m->groups[i].name);
    for (size_t i = 0; i < m->archive_count; i++) {
        free(m->archives[i].name);
        free(m->archives[i].path);
        free(m->archives[i].sha256);
    }
    free(m->nodes);
    free(m->edges);
    free(m->groups);
    free(m->archives);
    free(m->stack);
    free(m->source);
    free(m->description);
    free(m->template_text);
    free(m->template_compact);
    memset(m, 0, sizeof *m);
}
