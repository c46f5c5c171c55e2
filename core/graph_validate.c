/* Validation of the whole graph: every reference resolves, nothing depends on
 * itself, CloudFormation's quotas hold. Every problem is reported, not just
 * the first, so one `sparta validate` run shows them all. */
#include "graph.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const pseudo_parameters[] = {
    "AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue", "AWS::Partition",
    "AWS::Region",    "AWS::StackId",          "AWS::StackName", "AWS::URLSuffix"};

static int is_pseudo(const char *name) {
    for (size_t i = 0; i < sizeof pseudo_parameters / sizeof *pseudo_parameters; i++)
        if (strcmp(name, pseudo_parameters[i]) == 0) return 1;
    return 0;
}

typedef struct edge_list {
    size_t *targets;
    size_t count, capacity;
} edge_list;

typedef struct validation {
    sparta_graph *g;
    sparta_buffer *problems;
    size_t problem_count;
    edge_list *edges;        /* per resource (sorted order), resource targets */
    size_t from;             /* index of the resource being walked, or SIZE_MAX */
    const char *where;       /* "Resources.X" or "Outputs.Y" */
} validation;

static void problem(validation *v, const char *fmt, ...) SPARTA_PRINTF(2, 3);
static void problem(validation *v, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char line[2048];
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* One problem, one line: names quoted from values may hold anything. */
    for (char *c = line; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f) *c = '?';
    sparta__buffer_puts(v->problems, line);
    sparta__buffer_putc(v->problems, '\n');
    v->problem_count++;
}

static size_t resource_index(sparta_graph *g, const sparta_resource *r) {
    /* Resources are sorted; binary search by ID. */
    size_t lo = 0, hi = g->resource_count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(g->resources[mid]->id, r->id);
        if (c == 0) return mid;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return SIZE_MAX;
}

static void add_edge(validation *v, const sparta_resource *target) {
    if (v->from == SIZE_MAX) return;
    edge_list *e = &v->edges[v->from];
    if (e->count == e->capacity) {
        size_t cap = e->capacity ? e->capacity * 2 : 4;
        size_t *n = realloc(e->targets, cap * sizeof *n);
        if (!n) return;
        e->targets = n;
        e->capacity = cap;
    }
    e->targets[e->count++] = resource_index(v->g, target);
}

/* A Ref may name a resource, a parameter or a pseudo parameter. */
static void check_ref(validation *v, const char *name, const char *path) {
    sparta_resource *r = sparta__graph_resource_find(v->g, name);
    if (r) {
        add_edge(v, r);
        return;
    }
    if (sparta__graph_section_find(v->g, SPARTA_SECTION_PARAMETERS, name) || is_pseudo(name)) return;
    problem(v, "%s%s: Ref to '%s', which is not a resource or parameter of this template: add it "
               "or fix the name",
            v->where, path, name);
}

/* Fn::GetAtt only names resources. */
static void check_get_att(validation *v, const char *name, const char *path) {
    sparta_resource *r = sparta__graph_resource_find(v->g, name);
    if (r) {
        add_edge(v, r);
        return;
    }
    problem(v, "%s%s: Fn::GetAtt on '%s', which is not a resource of this template: add it or fix "
               "the name",
            v->where, path, name);
}

/* ${Name} and ${Name.Attr} in Fn::Sub; ${!Literal} is text; names in the
 * variable map are local. */
static void check_sub_text(validation *v, const char *text, const sparta_value *vars, const char *path) {
    for (const char *p = strstr(text, "${"); p; p = strstr(p, "${")) {
        p += 2;
        if (*p == '!') continue;
        const char *end = strchr(p, '}');
        if (!end) {
            problem(v, "%s%s: Fn::Sub text has an unclosed '${'", v->where, path);
            return;
        }
        char name[512];
        size_t n = (size_t)(end - p);
        if (n == 0 || n >= sizeof name) {
            p = end;
            continue;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        p = end;
        if (vars && sparta__value_get(vars, name)) continue;
        char *dot = strchr(name, '.');
        if (dot && !is_pseudo(name)) {
            *dot = '\0';
            if (vars && sparta__value_get(vars, name)) continue;
            check_get_att(v, name, path);
        } else {
            check_ref(v, name, path);
        }
    }
}

static void check_condition_name(validation *v, const char *name, const char *path) {
    if (!sparta__graph_section_find(v->g, SPARTA_SECTION_CONDITIONS, name))
        problem(v, "%s%s: condition '%s' is not defined in Conditions: add it or fix the name",
                v->where, path, name);
}

static void walk(validation *v, const sparta_value *value, char *path, size_t path_len, size_t path_cap);

static void walk_child(validation *v, const sparta_value *child, char *path, size_t len, size_t cap,
                       const char *fmt_key, const char *key, size_t index) {
    int n = key ? snprintf(path + len, cap - len, fmt_key, key) : snprintf(path + len, cap - len, "[%zu]", index);
    size_t nl = n > 0 && (size_t)n < cap - len ? len + (size_t)n : len;
    walk(v, child, path, nl, cap);
    path[len] = '\0';
}

static void walk(validation *v, const sparta_value *value, char *path, size_t len, size_t cap) {
    if (!value) return;
    if (value->type == SPARTA_VALUE_ARRAY) {
        for (size_t i = 0; i < value->as.array.count; i++)
            walk_child(v, value->as.array.items[i], path, len, cap, NULL, NULL, i);
        return;
    }
    if (value->type != SPARTA_VALUE_OBJECT) return;
    if (value->as.object.count == 1) {
        const char *key = value->as.object.keys[0];
        const sparta_value *arg = value->as.object.values[0];
        if (strcmp(key, "Ref") == 0) {
            if (arg->type == SPARTA_VALUE_STRING) check_ref(v, arg->as.str.text, path);
            else problem(v, "%s%s: Ref takes a logical ID string", v->where, path);
            return;
        }
        if (strcmp(key, "Fn::GetAtt") == 0) {
            if (arg->type == SPARTA_VALUE_ARRAY && arg->as.array.count == 2 &&
                arg->as.array.items[0]->type == SPARTA_VALUE_STRING) {
                check_get_att(v, arg->as.array.items[0]->as.str.text, path);
                walk(v, arg->as.array.items[1], path, len, cap);
            } else if (arg->type == SPARTA_VALUE_STRING && strchr(arg->as.str.text, '.')) {
                char name[512];
                const char *text = arg->as.str.text;
                snprintf(name, sizeof name, "%.*s", (int)(strchr(text, '.') - text), text);
                check_get_att(v, name, path);
            } else {
                problem(v, "%s%s: Fn::GetAtt takes [LogicalId, Attribute]", v->where, path);
            }
            return;
        }
        if (strcmp(key, "Fn::Sub") == 0) {
            if (arg->type == SPARTA_VALUE_STRING) {
                check_sub_text(v, arg->as.str.text, NULL, path);
            } else if (arg->type == SPARTA_VALUE_ARRAY && arg->as.array.count == 2 &&
                       arg->as.array.items[0]->type == SPARTA_VALUE_STRING &&
                       arg->as.array.items[1]->type == SPARTA_VALUE_OBJECT) {
                check_sub_text(v, arg->as.array.items[0]->as.str.text, arg->as.array.items[1], path);
                walk(v, arg->as.array.items[1], path, len, cap);
            } else {
                problem(v, "%s%s: Fn::Sub takes a string or [String, {Variables}]", v->where, path);
            }
            return;
        }
        if (strcmp(key, "Fn::If") == 0 && arg->type == SPARTA_VALUE_ARRAY && arg->as.array.count == 3 &&
            arg->as.array.items[0]->type == SPARTA_VALUE_STRING) {
            check_condition_name(v, arg->as.array.items[0]->as.str.text, path);
            walk(v, arg->as.array.items[1], path, len, cap);
            walk(v, arg->as.array.items[2], path, len, cap);
            return;
        }
        if (strcmp(key, "Condition") == 0 && arg->type == SPARTA_VALUE_STRING && v->from == SIZE_MAX) {
            check_condition_name(v, arg->as.str.text, path);
            return;
        }
    }
    for (size_t i = 0; i < value->as.object.count; i++)
        walk_child(v, value->as.object.values[i], path, len, cap, ".%s", value->as.object.keys[i], 0);
}

/* Depth-first search with colours; a grey target closes a cycle. */
static void find_cycles(validation *v) {
    sparta_graph *g = v->g;
    size_t n = g->resource_count;
    unsigned char *colour = calloc(n, 1);
    size_t *stack = malloc(n * sizeof *stack), *next = calloc(n, sizeof *next);
    if (!colour || !stack || !next) goto out;
    for (size_t start = 0; start < n; start++) {
        if (colour[start]) continue;
        size_t depth = 0;
        stack[depth++] = start;
        colour[start] = 1;
        while (depth) {
            size_t node = stack[depth - 1];
            if (next[node] < v->edges[node].count) {
                size_t t = v->edges[node].targets[next[node]++];
                if (t == SIZE_MAX) continue;
                if (colour[t] == 0) {
                    colour[t] = 1;
                    stack[depth++] = t;
                } else if (colour[t] == 1) {
                    sparta_buffer cycle = SPARTA_BUFFER_INIT;
                    size_t from = depth;
                    while (from > 0 && stack[from - 1] != t) from--;
                    for (size_t i = from ? from - 1 : 0; i < depth; i++) {
                        sparta__buffer_puts(&cycle, g->resources[stack[i]]->id);
                        sparta__buffer_puts(&cycle, " -> ");
                    }
                    sparta__buffer_puts(&cycle, g->resources[t]->id);
                    problem(v, "Resources: dependency cycle %s: CloudFormation cannot order these; "
                               "break the cycle (remove a Ref, Fn::GetAtt, Fn::Sub or DependsOn)",
                            cycle.data ? cycle.data : "");
                    sparta__buffer_free(&cycle);
                }
            } else {
                colour[node] = 2;
                depth--;
            }
        }
    }
out:
    free(colour);
    free(stack);
    free(next);
}

static void check_quota(validation *v, const char *what, size_t count, size_t limit) {
    if (count > limit)
        problem(v, "the template has %zu %s; CloudFormation allows at most %zu: split the service "
                   "into more stacks",
                count, what, limit);
    else if (count * 10 >= limit * 9)
        sparta__log(v->g->log, SPARTA_LOG_WARN, "The template is close to a CloudFormation quota",
                    "what", what, NULL);
}

size_t sparta__graph_validate(sparta_graph *g, sparta_buffer *problems) {
    validation v = {g, problems, 0, NULL, SIZE_MAX, ""};
    (void)sparta__graph_resource_at(g, 0); /* sort */
    v.edges = calloc(g->resource_count ? g->resource_count : 1, sizeof *v.edges);
    if (!v.edges) {
        problem(&v, "out of memory validating the graph");
        return v.problem_count;
    }
    if (g->resource_count == 0)
        problem(&v, "the template has no resources: enable a plugin that adds some (for example "
                    "lambda) in sparta.cfg's plugins.enabled");
    char path[4096] = "";
    char where[600];
    for (size_t i = 0; i < g->resource_count; i++) {
        sparta_resource *r = g->resources[i];
        snprintf(where, sizeof where, "Resources.%s", r->id);
        v.where = where;
        v.from = i;
        path[0] = '\0';
        walk(&v, r->properties, path, 0, sizeof path);
        const sparta_value *condition = sparta__value_get(r->attributes, "Condition");
        if (condition && condition->type == SPARTA_VALUE_STRING)
            check_condition_name(&v, condition->as.str.text, ".Condition");
        for (size_t d = 0; r->depends_on && d < r->depends_on->as.array.count; d++) {
            const char *dep = r->depends_on->as.array.items[d]->as.str.text;
            sparta_resource *target = sparta__graph_resource_find(g, dep);
            if (target) add_edge(&v, target);
            else problem(&v, "%s.DependsOn: '%s' is not a resource of this template: add it or fix the name",
                         where, dep);
        }
    }
    v.from = SIZE_MAX;
    static const char *titles[] = {"Parameters", "Mappings", "Conditions", "Outputs"};
    for (int k = 0; k < SPARTA_SECTION_COUNT; k++) {
        if (k == SPARTA_SECTION_MAPPINGS) continue; /* plain data */
        for (size_t i = 0; i < g->sections[k].count; i++) {
            snprintf(where, sizeof where, "%s.%s", titles[k], g->sections[k].items[i].id);
            v.where = where;
            path[0] = '\0';
            walk(&v, g->sections[k].items[i].value, path, 0, sizeof path);
        }
    }
    find_cycles(&v);
    check_quota(&v, "resources", g->resource_count, SPARTA_LIMIT_RESOURCES);
    check_quota(&v, "parameters", g->sections[SPARTA_SECTION_PARAMETERS].count, SPARTA_LIMIT_PARAMETERS);
    check_quota(&v, "outputs", g->sections[SPARTA_SECTION_OUTPUTS].count, SPARTA_LIMIT_OUTPUTS);
    check_quota(&v, "mappings", g->sections[SPARTA_SECTION_MAPPINGS].count, SPARTA_LIMIT_MAPPINGS);
    for (size_t i = 0; i < g->resource_count; i++) free(v.edges[i].targets);
    free(v.edges);
    return v.problem_count;
}
