/* The template graph fed random plugin calls: resources, parameters,
 * conditions, mappings and outputs with random logical IDs, property values
 * full of Ref / Fn::GetAtt / Fn::Sub / Fn::If / Fn::Join referring to random
 * IDs, DependsOn, resource attributes, bulk additions past the quotas; then
 * validate and marshal.
 *
 * The program decoded from the input runs twice, on two graphs: once in
 * input order, once with every addition in reverse order (DependsOn and
 * attributes after all additions). Properties:
 *  - validation writes one line per problem it counts;
 *  - marshalled JSON parses (json-c), has every resource with its Type and
 *    every section entry, and each value reads back equal to the value
 *    model (strings byte for byte, numbers by value, deferred strings as
 *    the resolver said);
 *  - marshalling twice gives the same bytes;
 *  - when every addition succeeded in both runs, both graphs give the same
 *    problems (as a set) and byte-identical templates: insertion order never
 *    shows in the output. */
#include <json-c/json.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_support.h"
#include "graph.h"

#define MAX_OPS 96
#define MAX_DEPTH 6

static const char *const pool_ids[] = {"A", "B", "Fn", "Role", "Bucket", "Stage", "Out", "IsProd"};
static const char *const types[] = {"AWS::Lambda::Function", "AWS::IAM::Role", "AWS::S3::Bucket",
                                    "Custom::Thing", "Vendor::X::Y", "AWS::Logs::LogGroup"};
static const char *const attributes[] = {"Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata",
                                         "CreationPolicy", "UpdatePolicy", "DependsOn", "Properties"};
static const char *const intrinsic_keys[] = {"Ref", "Fn::GetAtt", "Fn::Sub", "Fn::If", "Condition", "Fn::Join",
                                             "Fn::Transform"};

static sparta_error_slot g_err;
static sparta_logger g_quiet;

/* ---- values -------------------------------------------------------------- */

static char *fuzz_id(fuzz_input *in) {
    uint8_t b = fuzz_u8(in);
    if (b < 0xe0) return strdup(pool_ids[b % (sizeof pool_ids / sizeof *pool_ids)]);
    if (b < 0xf0) {
        char buf[32];
        snprintf(buf, sizeof buf, "Bulk%u", (unsigned)fuzz_u8(in));
        return strdup(buf);
    }
    return fuzz_string_until(in, 0, 300, NULL);
}

static sparta_value *build_value(sparta_arena *a, fuzz_input *in, int depth);

static sparta_value *sub_text(sparta_arena *a, fuzz_input *in) {
    sparta_buffer b = SPARTA_BUFFER_INIT;
    size_t pieces = fuzz_pick(in, 6);
    for (size_t i = 0; i < pieces; i++) {
        char *id = fuzz_id(in);
        switch (fuzz_pick(in, 6)) {
        case 0: sparta__buffer_printf(&b, "${%s}", id); break;
        case 1: sparta__buffer_printf(&b, "${%s.Arn}", id); break;
        case 2: sparta__buffer_printf(&b, "${!%s}", id); break;
        case 3: sparta__buffer_printf(&b, "${%s", id); break;
        case 4: sparta__buffer_puts(&b, "${AWS::Region}"); break;
        default: sparta__buffer_printf(&b, "-%s-", id); break;
        }
        free(id);
    }
    char *text = sparta__buffer_take(&b, NULL);
    sparta_value *v = sparta__value_string(a, text ? text : "");
    free(text);
    return v;
}

static sparta_value *single(sparta_arena *a, const char *key, sparta_value *v) {
    sparta_value *o = sparta__value_new(a, SPARTA_VALUE_OBJECT);
    if (v) sparta__value_object_set(o, key, v);
    return o;
}

static sparta_value *build_value(sparta_arena *a, fuzz_input *in, int depth) {
    uint8_t kind = fuzz_u8(in) % 17;
    if (depth >= MAX_DEPTH && kind >= 7) kind %= 4;
    switch (kind) {
    case 0: {
        size_t n;
        char *s = fuzz_string_sized(in, 200, &n);
        sparta_value *v = sparta__value_stringn(a, s, n);
        free(s);
        return v;
    }
    case 1: return sparta__value_int(a, (int64_t)((uint64_t)fuzz_u32(in) << 32 | fuzz_u32(in)));
    case 2: return sparta__value_bool(a, fuzz_u8(in) & 1);
    case 3: {
        uint64_t bits = (uint64_t)fuzz_u32(in) << 32 | fuzz_u32(in);
        double d;
        memcpy(&d, &bits, sizeof d);
        return sparta__value_double(a, d);
    }
    case 4: {
        char *id = fuzz_id(in);
        sparta_value *v = sparta__value_ref(a, id);
        free(id);
        return v;
    }
    case 5: {
        char *id = fuzz_id(in);
        sparta_value *v = sparta__value_get_att(a, id, (fuzz_u8(in) & 1) ? "Arn" : "Name");
        free(id);
        return v;
    }
    case 6: return single(a, "Fn::Sub", sub_text(a, in));
    case 7: {
        sparta_value *arr = sparta__value_new(a, SPARTA_VALUE_ARRAY);
        size_t n = fuzz_pick(in, 4);
        for (size_t i = 0; i < n; i++) sparta__value_array_push(arr, build_value(a, in, depth + 1));
        return sparta__value_join(a, ",", arr);
    }
    case 8: {
        sparta_value *arr = sparta__value_new(a, SPARTA_VALUE_ARRAY);
        size_t n = fuzz_pick(in, 5);
        for (size_t i = 0; i < n; i++) sparta__value_array_push(arr, build_value(a, in, depth + 1));
        return arr;
    }
    case 9: {
        sparta_value *obj = sparta__value_new(a, SPARTA_VALUE_OBJECT);
        size_t n = fuzz_pick(in, 5);
        for (size_t i = 0; i < n; i++) {
            char *key = fuzz_string_until(in, 0, 40, NULL);
            sparta__value_object_set(obj, key, build_value(a, in, depth + 1));
            free(key);
        }
        return obj;
    }
    case 10: { /* Fn::GetAtt "Id.Attr" (string form), the id possibly long */
        char *id = fuzz_id(in);
        size_t repeat = fuzz_u8(in);
        sparta_buffer b = SPARTA_BUFFER_INIT;
        for (size_t i = 0; i < repeat; i++) sparta__buffer_puts(&b, id);
        sparta__buffer_puts(&b, ".Arn");
        char *text = sparta__buffer_take(&b, NULL);
        sparta_value *v = single(a, "Fn::GetAtt", sparta__value_string(a, text ? text : ""));
        free(text);
        free(id);
        return v;
    }
    case 11: {
        sparta_value *args = sparta__value_new(a, SPARTA_VALUE_ARRAY);
        char *cond = fuzz_id(in);
        sparta__value_array_push(args, sparta__value_string(a, cond));
        free(cond);
        sparta__value_array_push(args, build_value(a, in, depth + 1));
        sparta__value_array_push(args, build_value(a, in, depth + 1));
        return single(a, "Fn::If", args);
    }
    case 12: { /* Fn::Sub [text, {vars}] */
        sparta_value *args = sparta__value_new(a, SPARTA_VALUE_ARRAY);
        sparta__value_array_push(args, sub_text(a, in));
        sparta_value *vars = sparta__value_new(a, SPARTA_VALUE_OBJECT);
        size_t n = fuzz_pick(in, 3);
        for (size_t i = 0; i < n; i++) {
            char *key = fuzz_id(in);
            sparta__value_object_set(vars, key, build_value(a, in, depth + 1));
            free(key);
        }
        sparta__value_array_push(args, vars);
        return single(a, "Fn::Sub", args);
    }
    case 13: { /* an intrinsic key with any argument */
        const char *key = intrinsic_keys[fuzz_pick(in, sizeof intrinsic_keys / sizeof *intrinsic_keys)];
        return single(a, key, build_value(a, in, depth + 1));
    }
    case 14: { /* a long run of one byte */
        uint8_t c = fuzz_u8(in);
        size_t n = (size_t)fuzz_u8(in) * 8;
        char *s = malloc(n + 1);
        memset(s, c ? c : 'x', n);
        s[n] = '\0';
        sparta_value *v = sparta__value_string(a, s);
        free(s);
        return v;
    }
    case 15: { /* a deferred string, resolved (or not) at marshal */
        char *name = fuzz_string_until(in, 0, 40, NULL);
        sparta_value *v = sparta__value_string(a, name);
        free(name);
        if (v) v->deferred = (fuzz_u8(in) & 1) ? SPARTA_DEFERRED_ARCHIVE_KEY : SPARTA_DEFERRED_ARCHIVE_BUCKET;
        return v;
    }
    default: return sparta__value_new(a, SPARTA_VALUE_NULL);
    }
}

/* ---- the program ---------------------------------------------------------- */

enum { OP_RESOURCE, OP_PARAMETER, OP_OUTPUT, OP_CONDITION, OP_MAPPING, OP_DEPENDS, OP_ATTRIBUTE, OP_BULK,
       OP_DESCRIPTION, OP_COUNT };

typedef struct op {
    int kind;
    char *id, *target, *type;
    size_t bulk;
    fuzz_input value; /* the bytes its value is built from */
    int applied;      /* run 1: DependsOn / attribute found its resource */
} op;

typedef struct program {
    op ops[MAX_OPS];
    size_t count;
} program;

static void skip_value(fuzz_input *in) {
    sparta_arena *scratch = sparta__arena_new();
    build_value(scratch, in, 0);
    sparta__arena_free(scratch);
}

static void decode(program *p, fuzz_input *in) {
    while (!fuzz_empty(in) && p->count < MAX_OPS) {
        op *o = &p->ops[p->count++];
        memset(o, 0, sizeof *o);
        o->kind = fuzz_u8(in) % OP_COUNT;
        switch (o->kind) {
        case OP_RESOURCE: {
            o->id = fuzz_id(in);
            uint8_t t = fuzz_u8(in);
            o->type = t < 0xf0 ? strdup(types[t % (sizeof types / sizeof *types)])
                               : fuzz_string_until(in, 0, 60, NULL);
            break;
        }
        case OP_DEPENDS:
            o->id = fuzz_id(in);
            o->target = fuzz_id(in);
            continue;
        case OP_ATTRIBUTE:
            o->id = fuzz_id(in);
            o->target = strdup(attributes[fuzz_pick(in, sizeof attributes / sizeof *attributes)]);
            break;
        case OP_BULK: {
            /* past the 500-resource quota now and then; small otherwise (speed) */
            uint8_t b = fuzz_u8(in);
            o->bulk = b >= 0xf8 ? 480 + (size_t)(b - 0xf8) * 10 : b % 24;
            continue;
        }
        case OP_DESCRIPTION:
            break;
        default:
            o->id = fuzz_id(in);
        }
        o->value = *in;
        skip_value(in);
        o->value.size -= in->size;
    }
}

static void program_free(program *p) {
    for (size_t i = 0; i < p->count; i++) {
        free(p->ops[i].id);
        free(p->ops[i].target);
        free(p->ops[i].type);
    }
}

static sparta_value *op_value(sparta_graph *g, const op *o) {
    fuzz_input in = o->value;
    return build_value(g->arena, &in, 0);
}

/* Returns 1 when the addition succeeded. */
static int apply_add(sparta_graph *g, const op *o) {
    switch (o->kind) {
    case OP_RESOURCE: {
        sparta_value *v = op_value(g, o);
        if (v && v->type != SPARTA_VALUE_OBJECT && v->type != SPARTA_VALUE_NULL) {
            FUZZ_CHECK(sparta__graph_resource_add(g, "fuzz", o->id, o->type, v) == NULL,
                       "resource with %s properties accepted", sparta__value_type_name(v->type));
            return 0;
        }
        return sparta__graph_resource_add(g, "fuzz", o->id, o->type,
                                          v && v->type == SPARTA_VALUE_OBJECT ? v : NULL) != NULL;
    }
    case OP_PARAMETER: {
        sparta_value *def = sparta__value_new(g->arena, SPARTA_VALUE_OBJECT);
        sparta__value_object_set(def, "Type", sparta__value_string(g->arena, "String"));
        sparta__value_object_set(def, "Default", op_value(g, o));
        return sparta__graph_section_add(g, SPARTA_SECTION_PARAMETERS, "fuzz", o->id, def) == 0;
    }
    case OP_OUTPUT: {
        sparta_value *out = sparta__value_new(g->arena, SPARTA_VALUE_OBJECT);
        sparta__value_object_set(out, "Value", op_value(g, o));
        return sparta__graph_section_add(g, SPARTA_SECTION_OUTPUTS, "fuzz", o->id, out) == 0;
    }
    case OP_CONDITION:
        return sparta__graph_section_add(g, SPARTA_SECTION_CONDITIONS, "fuzz", o->id, op_value(g, o)) == 0;
    case OP_MAPPING: {
        sparta_value *v = op_value(g, o);
        return sparta__graph_section_add(g, SPARTA_SECTION_MAPPINGS, "fuzz", o->id, v) == 0;
    }
    case OP_BULK: {
        int ok = 1;
        char id[32], prev[32] = "";
        for (size_t i = 0; i < o->bulk; i++) {
            snprintf(id, sizeof id, "Bulk%zu", i);
            sparta_value *props = sparta__value_new(g->arena, SPARTA_VALUE_OBJECT);
            if (*prev) sparta__value_object_set(props, "Next", sparta__value_ref(g->arena, prev));
            if (!sparta__graph_resource_add(g, "bulk", id, "AWS::SNS::Topic", props)) ok = 0;
            snprintf(prev, sizeof prev, "%s", id);
        }
        return ok;
    }
    default: return 1;
    }
}

static int is_addition(int kind) { return kind != OP_DEPENDS && kind != OP_ATTRIBUTE && kind != OP_DESCRIPTION; }

static void apply_change(sparta_graph *g, op *o, int first_run) {
    if (o->kind == OP_DESCRIPTION) {
        fuzz_input in = o->value;
        sparta_value *v = build_value(g->arena, &in, 0);
        g->description = v && v->type == SPARTA_VALUE_STRING ? v->as.str.text : "described";
        return;
    }
    if (!first_run && !o->applied) return;
    sparta_resource *r = sparta__graph_resource_find(g, o->id);
    if (first_run) o->applied = r != NULL;
    if (!r) return;
    if (o->kind == OP_DEPENDS) sparta__resource_depends_on(r, o->target);
    else sparta__resource_set_attribute(r, o->target, op_value(g, o));
}

/* Runs the program; returns 1 when every addition succeeded. */
static int run(sparta_graph *g, program *p, int reversed) {
    int all = 1;
    if (!reversed) {
        for (size_t i = 0; i < p->count; i++) {
            if (is_addition(p->ops[i].kind)) all &= apply_add(g, &p->ops[i]);
            else apply_change(g, &p->ops[i], 1);
        }
        return all;
    }
    for (size_t i = p->count; i-- > 0;)
        if (is_addition(p->ops[i].kind)) all &= apply_add(g, &p->ops[i]);
    for (size_t i = 0; i < p->count; i++)
        if (!is_addition(p->ops[i].kind)) apply_change(g, &p->ops[i], 0);
    return all;
}

/* ---- checks -------------------------------------------------------------- */

static const char *resolve(void *user, const sparta_value *v) {
    (void)user;
    if (v->deferred != SPARTA_DEFERRED_ARCHIVE_KEY) return NULL;
    static char buf[128];
    snprintf(buf, sizeof buf, "resolved/%s.zip", v->as.str.text);
    return buf;
}

static void same_value(const sparta_value *v, json_object *j, const char *where) {
    if (!v) {
        FUZZ_CHECK(j == NULL, "%s: NULL value not written as null", where);
        return;
    }
    switch (v->type) {
    case SPARTA_VALUE_NULL: FUZZ_CHECK(j == NULL, "%s: null", where); break;
    case SPARTA_VALUE_BOOL:
        FUZZ_CHECK(json_object_is_type(j, json_type_boolean) && json_object_get_boolean(j) == v->as.boolean,
                   "%s: boolean", where);
        break;
    case SPARTA_VALUE_INT:
        FUZZ_CHECK(json_object_is_type(j, json_type_int) && json_object_get_int64(j) == v->as.integer,
                   "%s: integer %lld", where, (long long)v->as.integer);
        break;
    case SPARTA_VALUE_DOUBLE:
        if (!isfinite(v->as.real)) {
            FUZZ_CHECK(j == NULL, "%s: a non-finite number must be null", where);
        } else {
            FUZZ_CHECK(json_object_is_type(j, json_type_double) || json_object_is_type(j, json_type_int),
                       "%s: number", where);
            double got = json_object_get_double(j);
            if (json_object_is_type(j, json_type_int)) got = (double)json_object_get_int64(j);
            FUZZ_CHECK(got == v->as.real, "%s: number %.17g read back as %.17g", where, v->as.real, got);
        }
        break;
    case SPARTA_VALUE_STRING: {
        FUZZ_CHECK(json_object_is_type(j, json_type_string), "%s: string", where);
        const char *want = v->as.str.text;
        size_t want_len = v->as.str.length;
        const char *resolved = v->deferred ? resolve(NULL, v) : NULL;
        if (resolved) {
            want = resolved;
            want_len = strlen(resolved);
        }
        FUZZ_CHECK((size_t)json_object_get_string_len(j) == want_len &&
                       memcmp(json_object_get_string(j), want, want_len) == 0,
                   "%s: string of %zu bytes read back differently", where, want_len);
        break;
    }
    case SPARTA_VALUE_ARRAY:
        FUZZ_CHECK(json_object_is_type(j, json_type_array) && json_object_array_length(j) == v->as.array.count,
                   "%s: array", where);
        for (size_t i = 0; i < v->as.array.count; i++)
            same_value(v->as.array.items[i], json_object_array_get_idx(j, i), where);
        break;
    case SPARTA_VALUE_OBJECT:
        FUZZ_CHECK(json_object_is_type(j, json_type_object) &&
                       (size_t)json_object_object_length(j) == v->as.object.count,
                   "%s: object with %zu members", where, v->as.object.count);
        for (size_t i = 0; i < v->as.object.count; i++) {
            json_object *m = NULL;
            FUZZ_CHECK(json_object_object_get_ex(j, v->as.object.keys[i], &m), "%s: member '%s' missing", where,
                       v->as.object.keys[i]);
            same_value(v->as.object.values[i], m, where);
        }
        break;
    }
}

static json_object *parse_all(const char *json, size_t length) {
    json_tokener *tok = json_tokener_new_ex(512);
    FUZZ_CHECK(tok != NULL, "json_tokener_new_ex");
    json_object *j = json_tokener_parse_ex(tok, json, (int)length);
    enum json_tokener_error e = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    FUZZ_CHECK(j != NULL && e == json_tokener_success, "marshalled template is not JSON (%s):\n%.2000s",
               json_tokener_error_desc(e), json);
    while (used < length && (json[used] == '\n' || json[used] == ' ')) used++;
    FUZZ_CHECK(used == length, "bytes after the JSON document");
    return j;
}

static char *marshal_checked(sparta_graph *g, size_t *length) {
    char *json = NULL;
    FUZZ_CHECK(sparta__graph_marshal(g, resolve, NULL, &json, length) == 0 && json, "marshal failed: %s",
               g_err.message);
    FUZZ_CHECK(strlen(json) == *length, "marshal length");
    json_object *t = parse_all(json, *length);
    json_object *resources = NULL;
    FUZZ_CHECK(json_object_object_get_ex(t, "Resources", &resources) &&
                   (size_t)json_object_object_length(resources) == g->resource_count,
               "Resources has %d entries, the graph %zu",
               resources ? json_object_object_length(resources) : -1, g->resource_count);
    for (size_t i = 0; i < g->resource_count; i++) {
        const sparta_resource *r = g->resources[i];
        json_object *jr = NULL, *type = NULL, *props = NULL, *deps = NULL;
        FUZZ_CHECK(json_object_object_get_ex(resources, r->id, &jr), "resource %s missing", r->id);
        FUZZ_CHECK(json_object_object_get_ex(jr, "Type", &type) && !strcmp(json_object_get_string(type), r->type),
                   "resource %s: Type", r->id);
        if (r->properties && r->properties->as.object.count) {
            FUZZ_CHECK(json_object_object_get_ex(jr, "Properties", &props), "resource %s: Properties", r->id);
            same_value(r->properties, props, r->id);
        }
        if (r->depends_on && r->depends_on->as.array.count) {
            FUZZ_CHECK(json_object_object_get_ex(jr, "DependsOn", &deps), "resource %s: DependsOn", r->id);
            same_value(r->depends_on, deps, r->id);
        }
        for (size_t k = 0; k < r->attributes->as.object.count; k++) {
            json_object *attr = NULL;
            FUZZ_CHECK(json_object_object_get_ex(jr, r->attributes->as.object.keys[k], &attr),
                       "resource %s: attribute %s", r->id, r->attributes->as.object.keys[k]);
            same_value(r->attributes->as.object.values[k], attr, r->id);
        }
    }
    static const char *titles[] = {"Parameters", "Mappings", "Conditions", "Outputs"};
    for (int k = 0; k < SPARTA_SECTION_COUNT; k++) {
        const sparta_graph_section *s = &g->sections[k];
        json_object *js = NULL;
        if (!s->count) {
            FUZZ_CHECK(!json_object_object_get_ex(t, titles[k], &js), "empty %s written", titles[k]);
            continue;
        }
        FUZZ_CHECK(json_object_object_get_ex(t, titles[k], &js) && (size_t)json_object_object_length(js) == s->count,
                   "%s count", titles[k]);
        for (size_t i = 0; i < s->count; i++) {
            json_object *e = NULL;
            FUZZ_CHECK(json_object_object_get_ex(js, s->items[i].id, &e) || s->items[i].value == NULL,
                       "%s.%s missing", titles[k], s->items[i].id);
            same_value(s->items[i].value, e, s->items[i].id);
        }
    }
    json_object_put(t);
    return json;
}

static int line_cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

/* Problem lines, sorted, joined: order-free comparison. */
static char *validate_checked(sparta_graph *g) {
    sparta_buffer problems = SPARTA_BUFFER_INIT;
    size_t n = sparta__graph_validate(g, &problems);
    char *text = sparta__buffer_take(&problems, NULL);
    if (!text) text = strdup("");
    size_t lines = 0;
    for (char *p = text; *p; p++) lines += *p == '\n';
    FUZZ_CHECK(lines == n, "validate counted %zu problems and wrote %zu lines", n, lines);
    FUZZ_CHECK(n > 0 || g->resource_count > 0, "an empty graph must not validate");
    char **list = calloc(lines + 1, sizeof *list);
    size_t k = 0;
    for (char *save = NULL, *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        list[k++] = line;
    qsort(list, k, sizeof *list, line_cmp);
    sparta_buffer sorted = SPARTA_BUFFER_INIT;
    for (size_t i = 0; i < k; i++) {
        sparta__buffer_puts(&sorted, list[i]);
        sparta__buffer_putc(&sorted, '\n');
    }
    free(list);
    free(text);
    char *out = sparta__buffer_take(&sorted, NULL);
    return out ? out : strdup("");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    sparta__logger_init(&g_quiet);
    g_quiet.level = SPARTA_LOG_ERROR + 1;
    fuzz_input in = {data, size};
    program p;
    p.count = 0;
    decode(&p, &in);

    sparta__error_clear(&g_err);
    sparta_graph *g1 = sparta__graph_new(&g_err, &g_quiet, "fuzz");
    sparta_graph *g2 = sparta__graph_new(&g_err, &g_quiet, "fuzz");
    FUZZ_CHECK(g1 && g2, "graph_new");
    int all1 = run(g1, &p, 0);
    int all2 = run(g2, &p, 1);

    char *problems1 = validate_checked(g1);
    char *problems2 = validate_checked(g2);
    size_t len1, len1b, len2;
    char *json1 = marshal_checked(g1, &len1);
    char *json1b = marshal_checked(g1, &len1b);
    FUZZ_CHECK(len1 == len1b && !memcmp(json1, json1b, len1), "marshalling twice gave different bytes");
    char *json2 = marshal_checked(g2, &len2);
    if (all1 && all2) {
        FUZZ_CHECK(!strcmp(problems1, problems2), "problems depend on insertion order:\n%s---\n%s", problems1,
                   problems2);
        FUZZ_CHECK(len1 == len2 && !memcmp(json1, json2, len1),
                   "template depends on insertion order:\n%.3000s\n---\n%.3000s", json1, json2);
    }
    free(problems1);
    free(problems2);
    free(json1);
    free(json1b);
    free(json2);
    sparta__graph_free(g1);
    sparta__graph_free(g2);
    program_free(&p);
    return 0;
}
