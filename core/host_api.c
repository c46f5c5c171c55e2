/* The host-services table: the only way a plugin reaches the host. Entries
 * are appended, never moved (see the ABI rules in <sparta/plugin.h>). */
#include "host.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "command/command.h"
#include "host_api_aws.h"

/* ---- logging and errors ---------------------------------------------------- */

static void api_log(sparta_plugin *p, sparta_log_level level, const char *fmt, ...) {
    if (!p || level < p->host->log.level) return;
    char message[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    sparta__log(&p->host->log, level, message, "plugin", p->name, NULL);
}

static int api_error(sparta_plugin *p, int code, const char *fmt, ...) {
    if (!p) return code;
    sparta_error_slot *e = &p->host->error;
    sparta__error_clear(e);
    e->code = code < 0 ? code : SPARTA_EGENERIC;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->message, sizeof e->message, fmt, ap);
    va_end(ap);
    snprintf(e->plugin, sizeof e->plugin, "%s", p->name);
    return e->code;
}

static int api_error_prefix(sparta_plugin *p, const char *fmt, ...) {
    if (!p) return SPARTA_EGENERIC;
    char prefix[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(prefix, sizeof prefix, fmt, ap);
    va_end(ap);
    sparta__error_prefix(&p->host->error, "%s", prefix);
    return p->host->error.code ? p->host->error.code : SPARTA_EGENERIC;
}

/* ---- registration ------------------------------------------------------------- */

static int registration_open(sparta_plugin *p, const char *what) {
    if (p->registering) return 0;
    return api_error(p, SPARTA_ESTATE,
                     "plugin '%s' called %s outside init: commands, flags, hooks and schemas are "
                     "registered only while init runs",
                     p->name, what);
}

/* Copies a struct that crossed the ABI: min(size, ours) into zeroes; a
 * struct larger than we know, or too small to hold its first version, is
 * refused. */
static int copy_sized(sparta_plugin *p, const char *what, void *dst, size_t own, size_t minimum,
                      const void *src) {
    if (!src) return api_error(p, SPARTA_EGENERIC, "plugin '%s' passed a NULL %s", p->name, what);
    uint32_t size;
    memcpy(&size, src, sizeof size);
    if (size > own)
        return api_error(p, SPARTA_EPLUGIN,
                         "plugin '%s' passed a %s of %u bytes; this host knows %zu: the plugin was "
                         "built for a newer SDK, rebuild it against this host's",
                         p->name, what, size, own);
    if (size < minimum)
        return api_error(p, SPARTA_EPLUGIN,
                         "plugin '%s' passed a %s of %u bytes, smaller than its first version (%zu): "
                         "set .size = sizeof(...)",
                         p->name, what, size, minimum);
    memset(dst, 0, own);
    memcpy(dst, src, size);
    return 0;
}

static int api_command_add(sparta_plugin *p, const sparta_command_spec *spec) {
    int rc = registration_open(p, "command_add");
    if (rc == 0) rc = sparta__command_add(p->host->commands, spec, p, &p->host->error);
    if (rc == 0) p->command_count++;
    else snprintf(p->host->error.plugin, sizeof p->host->error.plugin, "%s", p->name);
    return rc;
}

static int api_flag_add(sparta_plugin *p, const char *command_path, const sparta_flag_spec *spec) {
    int rc = registration_open(p, "flag_add");
    if (rc == 0) rc = sparta__command_flag_add(p->host->commands, command_path, spec, p, &p->host->error);
    if (rc != 0) snprintf(p->host->error.plugin, sizeof p->host->error.plugin, "%s", p->name);
    return rc;
}

static int api_hook_add(sparta_plugin *p, const sparta_hook_spec *spec) {
    int rc = registration_open(p, "hook_add");
    if (rc != 0) return rc;
    sparta_hook_spec own;
    rc = copy_sized(p, "sparta_hook_spec", &own, sizeof own,
                    offsetof(sparta_hook_spec, run) + sizeof own.run, spec);
    if (rc != 0) return rc;
    if ((int)own.phase < 0 || own.phase >= SPARTA_PHASE_COUNT || !own.run)
        return api_error(p, SPARTA_EPLUGIN, "plugin '%s' registered a hook with phase %d and %s run function",
                         p->name, (int)own.phase, own.run ? "a" : "no");
    sparta_host *h = p->host;
    if (h->hook_count == h->hook_capacity) {
        size_t cap = h->hook_capacity ? h->hook_capacity * 2 : 16;
        sparta_hook *n = realloc(h->hooks, cap * sizeof *n);
        if (!n) return SPARTA_ENOMEM;
        h->hooks = n;
        h->hook_capacity = cap;
    }
    h->hooks[h->hook_count++] = (sparta_hook){p, own.phase, own.priority, own.run};
    p->hook_count++;
    return 0;
}

static int api_schema_set(sparta_plugin *p, const sparta_schema_field *fields, size_t count) {
    int rc = registration_open(p, "schema_set");
    if (rc != 0) return rc;
    sparta_schema_field *copy = calloc(count ? count : 1, sizeof *copy);
    if (!copy) return SPARTA_ENOMEM;
    size_t stride = count ? fields[0].size : sizeof *copy;
    for (size_t i = 0; i < count; i++) {
        /* Plugins pass an array: step by the size the plugin was built with. */
        const sparta_schema_field *f = (const sparta_schema_field *)((const char *)fields + i * stride);
        rc = copy_sized(p, "sparta_schema_field", &copy[i], sizeof *copy,
                        offsetof(sparta_schema_field, description) + sizeof(char *), f);
        if (rc == 0 && !copy[i].path)
            rc = api_error(p, SPARTA_EPLUGIN, "plugin '%s': schema field %zu has no path", p->name, i);
        if (rc != 0) {
            for (size_t j = 0; j < i; j++) {
                free((char *)copy[j].path);
                free((char *)copy[j].description);
            }
            free(copy);
            return rc;
        }
        copy[i].path = strdup(copy[i].path);
        copy[i].description = copy[i].description ? strdup(copy[i].description) : NULL;
    }
    p->schema = copy;
    p->schema_count = count;
    return 0;
}

/* ---- configuration and service ------------------------------------------------ */

static const sparta_value *api_config_section(sparta_plugin *p) {
    return sparta__value_get(p->host->config.root, p->name);
}

static const sparta_value *api_config_root(sparta_plugin *p) { return p->host->config.root; }

static const char *api_value_origin(sparta_plugin *p, const sparta_value *v) {
    if (!v || !v->file || !p->host->config.arena) return "";
    char origin[1100];
    snprintf(origin, sizeof origin, "%s:%d", v->file, v->line);
    /* Each answer is its own string, so two calls in one expression both hold. */
    const char *kept = sparta__arena_strdup(p->host->config.arena, origin);
    return kept ? kept : "";
}

static const char *api_service_get(sparta_plugin *p, const char *key) {
    return sparta__host_service(p->host, key);
}

static void api_print(sparta_plugin *p, const char *fmt, ...) {
    char small[2048];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    if ((size_t)n < sizeof small) {
        sparta__host_write(p->host, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big) return;
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    sparta__host_write(p->host, big, (size_t)n);
    free(big);
}

static const sparta_invocation *api_invocation(sparta_plugin *p) { return p->host->invocation; }

/* ---- values --------------------------------------------------------------------- */

static sparta_value_type api_value_type(const sparta_value *v) { return v ? v->type : SPARTA_VALUE_NULL; }
static const char *api_value_string(const sparta_value *v) {
    return v && v->type == SPARTA_VALUE_STRING ? v->as.str.text : NULL;
}
static int64_t api_value_int(const sparta_value *v) {
    if (!v) return 0;
    if (v->type == SPARTA_VALUE_INT) return v->as.integer;
    if (v->type == SPARTA_VALUE_DOUBLE) return (int64_t)v->as.real;
    if (v->type == SPARTA_VALUE_BOOL) return v->as.boolean;
    return 0;
}
static double api_value_double(const sparta_value *v) {
    if (!v) return 0;
    if (v->type == SPARTA_VALUE_DOUBLE) return v->as.real;
    return (double)api_value_int(v);
}
static int api_value_bool(const sparta_value *v) {
    if (!v) return 0;
    if (v->type == SPARTA_VALUE_BOOL) return v->as.boolean;
    return api_value_int(v) != 0;
}
static size_t api_value_count(const sparta_value *v) {
    if (!v) return 0;
    if (v->type == SPARTA_VALUE_ARRAY) return v->as.array.count;
    if (v->type == SPARTA_VALUE_OBJECT) return v->as.object.count;
    return 0;
}
static const sparta_value *api_value_at(const sparta_value *v, size_t i) {
    if (!v || i >= api_value_count(v)) return NULL;
    return v->type == SPARTA_VALUE_ARRAY ? v->as.array.items[i] : v->as.object.values[i];
}
static const char *api_value_key_at(const sparta_value *v, size_t i) {
    return v && v->type == SPARTA_VALUE_OBJECT && i < v->as.object.count ? v->as.object.keys[i] : NULL;
}

static sparta_value *api_new_null(sparta_graph *g) { return sparta__value_new(g->arena, SPARTA_VALUE_NULL); }
static sparta_value *api_new_bool(sparta_graph *g, int b) { return sparta__value_bool(g->arena, b); }
static sparta_value *api_new_int(sparta_graph *g, int64_t i) { return sparta__value_int(g->arena, i); }
static sparta_value *api_new_double(sparta_graph *g, double d) { return sparta__value_double(g->arena, d); }
static sparta_value *api_new_string(sparta_graph *g, const char *s) { return sparta__value_string(g->arena, s); }
static sparta_value *api_new_stringf(sparta_graph *g, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *text = NULL;
    int n = vasprintf(&text, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    sparta_value *v = sparta__value_stringn(g->arena, text, (size_t)n);
    free(text);
    return v;
}
static sparta_value *api_new_array(sparta_graph *g) { return sparta__value_new(g->arena, SPARTA_VALUE_ARRAY); }
static sparta_value *api_new_object(sparta_graph *g) { return sparta__value_new(g->arena, SPARTA_VALUE_OBJECT); }
static sparta_value *api_copy(sparta_graph *g, const sparta_value *v) { return sparta__value_copy(g->arena, v); }
static sparta_value *api_ref(sparta_graph *g, const char *id) { return sparta__value_ref(g->arena, id); }
static sparta_value *api_get_att(sparta_graph *g, const char *id, const char *attribute) {
    return sparta__value_get_att(g->arena, id, attribute);
}
static sparta_value *api_sub(sparta_graph *g, const char *text) { return sparta__value_sub(g->arena, text); }
static sparta_value *api_join(sparta_graph *g, const char *delimiter, sparta_value *array) {
    return sparta__value_join(g->arena, delimiter, array);
}
static sparta_value *api_archive_key(sparta_graph *g, const char *archive_name) {
    sparta_value *v = sparta__value_string(g->arena, archive_name);
    if (v) v->deferred = SPARTA_DEFERRED_ARCHIVE_KEY;
    return v;
}
static sparta_value *api_archive_bucket(sparta_graph *g) {
    sparta_value *v = sparta__value_string(g->arena, "");
    if (v) v->deferred = SPARTA_DEFERRED_ARCHIVE_BUCKET;
    return v;
}

/* ---- graph ---------------------------------------------------------------------- */

static sparta_resource *api_resource_add(sparta_plugin *p, sparta_graph *g, const char *id, const char *type,
                                         sparta_value *properties) {
    sparta_resource *r = sparta__graph_resource_add(g, p->name, id, type, properties);
    if (!r) snprintf(p->host->error.plugin, sizeof p->host->error.plugin, "%s", p->name);
    return r;
}
static int api_resource_depends_on(sparta_resource *r, const char *id) { return sparta__resource_depends_on(r, id); }
static int api_resource_set(sparta_resource *r, const char *attribute, sparta_value *v) {
    return sparta__resource_set_attribute(r, attribute, v);
}
static int section_add(sparta_plugin *p, sparta_graph *g, sparta_graph_section_kind kind, const char *id,
                       sparta_value *v) {
    int rc = sparta__graph_section_add(g, kind, p->name, id, v);
    if (rc != 0) snprintf(p->host->error.plugin, sizeof p->host->error.plugin, "%s", p->name);
    return rc;
}
static int api_parameter_add(sparta_plugin *p, sparta_graph *g, const char *id, sparta_value *v) {
    return section_add(p, g, SPARTA_SECTION_PARAMETERS, id, v);
}
static int api_output_add(sparta_plugin *p, sparta_graph *g, const char *id, sparta_value *v) {
    return section_add(p, g, SPARTA_SECTION_OUTPUTS, id, v);
}
static int api_condition_add(sparta_plugin *p, sparta_graph *g, const char *id, sparta_value *v) {
    return section_add(p, g, SPARTA_SECTION_CONDITIONS, id, v);
}
static int api_mapping_add(sparta_plugin *p, sparta_graph *g, const char *id, sparta_value *v) {
    return section_add(p, g, SPARTA_SECTION_MAPPINGS, id, v);
}
static size_t api_resource_count(const sparta_graph *g) { return g->resource_count; }
static sparta_resource *api_resource_at(sparta_graph *g, size_t i) { return sparta__graph_resource_at(g, i); }
static sparta_resource *api_resource_find(sparta_graph *g, const char *id) {
    return sparta__graph_resource_find(g, id);
}
static const char *api_resource_id(const sparta_resource *r) { return r ? r->id : NULL; }
static const char *api_resource_type(const sparta_resource *r) { return r ? r->type : NULL; }
static sparta_value *api_resource_properties(sparta_resource *r) { return r ? r->properties : NULL; }
static const sparta_value *api_parameter_find(sparta_graph *g, const char *id) {
    const sparta_graph_entry *e = id ? sparta__graph_section_find(g, SPARTA_SECTION_PARAMETERS, id) : NULL;
    return e ? e->value : NULL;
}
static const char *api_graph_stack_name(const sparta_graph *g) { return g->stack_name; }

/* ---- archives ---------------------------------------------------------------- */

static sparta_archive *plugin_archive(sparta_plugin *p, const char *name) {
    sparta_archive *a = sparta__archive_set_get(&p->host->archives, name, &p->host->error);
    if (!a) snprintf(p->host->error.plugin, sizeof p->host->error.plugin, "%s", p->name);
    return a;
}
static int tag_plugin(sparta_plugin *p, int rc) {
    if (rc != 0) snprintf(p->host->error.plugin, sizeof p->host->error.plugin, "%s", p->name);
    return rc;
}
static int api_archive_add_file(sparta_plugin *p, const char *archive, const char *entry, const char *source) {
    sparta_archive *a = plugin_archive(p, archive);
    return a ? tag_plugin(p, sparta__archive_add_file(a, entry, source, &p->host->error)) : SPARTA_EGRAPH;
}
static int api_archive_add_bytes(sparta_plugin *p, const char *archive, const char *entry, const void *bytes,
                                 size_t length, uint32_t mode) {
    sparta_archive *a = plugin_archive(p, archive);
    return a ? tag_plugin(p, sparta__archive_add_bytes(a, entry, bytes, length, mode, &p->host->error))
             : SPARTA_EGRAPH;
}
static int api_archive_add_tree(sparta_plugin *p, const char *archive, const char *prefix, const char *dir) {
    sparta_archive *a = plugin_archive(p, archive);
    return a ? tag_plugin(p, sparta__archive_add_tree(a, prefix, dir, &p->host->error)) : SPARTA_EGRAPH;
}

static const sparta_host_api host_api = {
    .size = sizeof(sparta_host_api),
    .abi_major = SPARTA_ABI_MAJOR,
    .abi_minor = SPARTA_ABI_MINOR,
    .log = api_log,
    .error = api_error,
    .command_add = api_command_add,
    .flag_add = api_flag_add,
    .hook_add = api_hook_add,
    .schema_set = api_schema_set,
    .config_section = api_config_section,
    .config_root = api_config_root,
    .value_origin = api_value_origin,
    .service_get = api_service_get,
    .flag_string = sparta__invocation_flag_string,
    .flag_bool = sparta__invocation_flag_bool,
    .flag_int = sparta__invocation_flag_int,
    .flag_list_count = sparta__invocation_flag_list_count,
    .flag_list_at = sparta__invocation_flag_list_at,
    .arg_count = sparta__invocation_arg_count,
    .arg_at = sparta__invocation_arg_at,
    .print = api_print,
    .invocation = api_invocation,
    .value_type = api_value_type,
    .value_string = api_value_string,
    .value_int = api_value_int,
    .value_double = api_value_double,
    .value_bool = api_value_bool,
    .value_count = api_value_count,
    .value_at = api_value_at,
    .value_key_at = api_value_key_at,
    .value_get = sparta__value_get,
    .new_null = api_new_null,
    .new_bool = api_new_bool,
    .new_int = api_new_int,
    .new_double = api_new_double,
    .new_string = api_new_string,
    .new_stringf = api_new_stringf,
    .new_array = api_new_array,
    .new_object = api_new_object,
    .copy = api_copy,
    .object_set = sparta__value_object_set,
    .array_push = sparta__value_array_push,
    .ref = api_ref,
    .get_att = api_get_att,
    .sub = api_sub,
    .join = api_join,
    .archive_key = api_archive_key,
    .archive_bucket = api_archive_bucket,
    .resource_add = api_resource_add,
    .resource_depends_on = api_resource_depends_on,
    .resource_set = api_resource_set,
    .parameter_add = api_parameter_add,
    .output_add = api_output_add,
    .condition_add = api_condition_add,
    .mapping_add = api_mapping_add,
    .resource_count = api_resource_count,
    .resource_at = api_resource_at,
    .resource_find = api_resource_find,
    .resource_id = api_resource_id,
    .resource_type = api_resource_type,
    .resource_properties = api_resource_properties,
    .graph_stack_name = api_graph_stack_name,
    .archive_add_file = api_archive_add_file,
    .archive_add_bytes = api_archive_add_bytes,
    .archive_add_tree = api_archive_add_tree,
    .aws_request = sparta__api_aws_request,
    .aws_response_free = sparta__api_aws_response_free,
    .s3_upload = sparta__api_s3_upload,
    .converge_add_parameter = sparta__api_converge_add_parameter,
    .converge_add_rollback_trigger = sparta__api_converge_add_rollback_trigger,
    .converge_set_monitoring_minutes = sparta__api_converge_set_monitoring_minutes,
    .converge_skip = sparta__api_converge_skip,
    .graph_new = sparta__api_graph_new,
    .stack_converge = sparta__api_stack_converge,
    .synthesize = sparta__api_synthesize,
    .template_text = sparta__api_template_text,
    .archive_path = sparta__api_archive_path,
    .archive_s3_key = sparta__api_archive_s3_key,
    .zip_write = sparta__api_zip_write,
    .stack_value = sparta__api_stack_value,
    .parameter_find = api_parameter_find,
    .error_prefix = api_error_prefix,
    .converge_add_rollback_trigger_typed = sparta__api_converge_add_rollback_trigger_typed,
};

const sparta_host_api *sparta__host_api(void) { return &host_api; }
