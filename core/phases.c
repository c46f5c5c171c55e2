/* The phases of a synthesis: CONFIGURE, BUILD, DECORATE, ARCHIVE, VALIDATE,
 * MARSHAL (PUBLISH and CONVERGE belong to provision). */
#include "host.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "file_replace.h"
#include "schema.h"

static const char *const phase_names[SPARTA_PHASE_COUNT] = {
    "CONFIGURE", "BUILD", "DECORATE", "ARCHIVE", "VALIDATE", "MARSHAL", "PUBLISH", "CONVERGE", "ROLLBACK"};

/* The host's own groups. Plugin groups are checked by their schemas. */
static const sparta_schema_field service_schema[] = {
    {sizeof(sparta_schema_field), "name", SPARTA_VALUE_STRING, 1, "the service name, e.g. name = \"hello\";"},
    {sizeof(sparta_schema_field), "description", SPARTA_VALUE_STRING, 0, NULL},
    {sizeof(sparta_schema_field), "region", SPARTA_VALUE_STRING, 0, NULL},
    {sizeof(sparta_schema_field), "stackName", SPARTA_VALUE_STRING, 0, NULL},
    {sizeof(sparta_schema_field), "s3Bucket", SPARTA_VALUE_STRING, 0, NULL},
    {sizeof(sparta_schema_field), "tags", SPARTA_VALUE_OBJECT, 0, NULL},
    {sizeof(sparta_schema_field), "tags.*", SPARTA_VALUE_STRING, 0, NULL},
};
static const sparta_schema_field plugins_schema[] = {
    {sizeof(sparta_schema_field), "path", SPARTA_VALUE_ARRAY, 0, NULL},
    {sizeof(sparta_schema_field), "path.[]", SPARTA_VALUE_STRING, 0, NULL},
    {sizeof(sparta_schema_field), "enabled", SPARTA_VALUE_ARRAY, 0, NULL},
    {sizeof(sparta_schema_field), "enabled.[]", SPARTA_VALUE_STRING, 0, NULL},
};

static int stack_name_valid(const char *name) {
    if (!name || !*name || strlen(name) > 128) return 0;
    if (!((name[0] >= 'a' && name[0] <= 'z') || (name[0] >= 'A' && name[0] <= 'Z'))) return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '-'))
            return 0;
    return 1;
}

static int run_hook(sparta_host *host, sparta_hook *h, sparta_graph *graph);

/* CONFIGURE hooks of the plugins whose groups passed their schemas, on a
 * scratch graph; each failure becomes one more line in problems. */
static size_t configure_hook_problems(sparta_host *host, sparta_buffer *problems) {
    sparta_graph *scratch = sparta__graph_new(&host->error, &host->log, sparta__host_service(host, "stackName"));
    if (!scratch) return 0;
    size_t count = 0;
    for (size_t i = 0; i < host->hook_count; i++) {
        sparta_hook *h = &host->hooks[i];
        if (h->phase != SPARTA_PHASE_CONFIGURE || h->plugin->config_invalid) continue;
        if (run_hook(host, h, scratch) == 0) continue;
        sparta__buffer_printf(problems, "%s\n", host->error.message);
        count++;
    }
    sparta__graph_free(scratch);
    sparta__error_clear(&host->error);
    return count;
}

int sparta__host_configure(sparta_host *host) {
    const sparta_value *root = host->config.root;
    if (!root || root->as.object.count == 0)
        return sparta__error_set_at(&host->error, SPARTA_ECONFIG, host->config_path, 0,
                                    "%s: no service is configured: create sparta.cfg with a service "
                                    "group (service = { name = \"hello\"; };) or pass --config PATH",
                                    host->config_path);
    for (size_t j = 0; j < host->plugin_count; j++) host->plugins[j]->config_invalid = 0;
    sparta_buffer problems = SPARTA_BUFFER_INIT;
    size_t count = sparta__schema_validate(service_schema, sizeof service_schema / sizeof *service_schema,
                                           "service", sparta__value_get(root, "service"), &problems);
    if (sparta__value_get(root, "plugins"))
        count += sparta__schema_validate(plugins_schema, sizeof plugins_schema / sizeof *plugins_schema,
                                         "plugins", sparta__value_get(root, "plugins"), &problems);
    size_t host_problems = count;
    for (size_t i = 0; i < root->as.object.count; i++) {
        const char *key = root->as.object.keys[i];
        const sparta_value *section = root->as.object.values[i];
        if (!strcmp(key, "service") || !strcmp(key, "plugins")) continue;
        sparta_plugin *owner = NULL;
        for (size_t j = 0; j < host->plugin_count; j++)
            if (strcmp(host->plugins[j]->name, key) == 0) owner = host->plugins[j];
        if (!owner) {
            sparta__buffer_printf(&problems,
                                  "%s:%d: %s: no enabled plugin is named '%s': enable it in "
                                  "plugins.enabled or remove the group\n",
                                  host->config.path, section->line, key, key);
            count++;
        } else if (owner->schema) {
            size_t n = sparta__schema_validate(owner->schema, owner->schema_count, key, section, &problems);
            owner->config_invalid = n > 0;
            count += n;
        }
    }
    /* A plugin with a schema and no group still gets its required keys checked. */
    for (size_t j = 0; j < host->plugin_count; j++) {
        sparta_plugin *p = host->plugins[j];
        if (p->schema && !sparta__value_get(root, p->name)) {
            size_t n = sparta__schema_validate(p->schema, p->schema_count, p->name, NULL, &problems);
            p->config_invalid = n > 0;
            count += n;
        }
    }
    const char *stack = sparta__host_service(host, "stackName");
    if (count == 0 && !stack_name_valid(stack)) {
        sparta__buffer_printf(&problems,
                              "%s: service.stackName '%s' is not a valid CloudFormation stack name "
                              "(letters, digits and '-', starting with a letter, at most 128)\n",
                              host->config.path, stack ? stack : "");
        count++;
    }
    /* So one run shows every problem: the plugins whose groups passed still
     * check their settings (ranges, references) in CONFIGURE. */
    if (count && !host_problems) count += configure_hook_problems(host, &problems);
    if (count) {
        /* Drop the final newline so the message prints cleanly. */
        if (problems.length && problems.data[problems.length - 1] == '\n') problems.data[--problems.length] = '\0';
        int rc = sparta__error_set_at(&host->error, SPARTA_ECONFIG, host->config.path, 0,
                                      "%s has %zu problem%s:\n%s", host->config.path, count,
                                      count == 1 ? "" : "s", problems.data ? problems.data : "");
        sparta__buffer_free(&problems);
        return rc;
    }
    sparta__buffer_free(&problems);
    return 0;
}

/* Runs one hook; a failure leaves host->error naming the phase and plugin. */
static int run_hook(sparta_host *host, sparta_hook *h, sparta_graph *graph) {
    sparta__error_clear(&host->error);
    int rc = h->run(h->plugin, graph, h->plugin->state);
    if (rc == 0) return 0;
    if (!host->error.message[0])
        sparta__error_set(&host->error, rc < 0 ? rc : SPARTA_EPLUGIN, "hook returned %d without an error message", rc);
    if (!host->error.plugin[0]) sparta__error_prefix(&host->error, "plugin '%s'", h->plugin->name);
    else if (strcmp(host->error.plugin, h->plugin->name) == 0)
        sparta__error_prefix(&host->error, "plugin '%s'", h->plugin->name);
    snprintf(host->error.plugin, sizeof host->error.plugin, "%s", h->plugin->name);
    sparta__error_prefix(&host->error, "%s", phase_names[h->phase]);
    /* The error slot knows the kind of failure better than a bare -1. */
    if (host->error.code < 0) return host->error.code;
    return rc < 0 ? rc : SPARTA_EPLUGIN;
}

int sparta__host_run_hooks(sparta_host *host, sparta_phase phase) {
    for (size_t i = 0; i < host->hook_count; i++) {
        if (host->hooks[i].phase != phase) continue;
        int rc = run_hook(host, &host->hooks[i], host->graph);
        if (rc != 0) return rc;
    }
    return 0;
}

static int make_dirs(const char *path, sparta_error_slot *err) {
    if (sparta__make_dirs(path) == 0) return 0;
    return sparta__error_set(err, SPARTA_EIO, "cannot create the output directory %s: %s; pick another with --outputDir",
                             path, strerror(errno));
}

typedef struct resolve_state {
    sparta_host *host;
    sparta_buffer *problems;
    size_t count;
} resolve_state;

static const char *resolve_deferred(void *user_data, const sparta_value *v) {
    resolve_state *s = user_data;
    if (v->deferred == SPARTA_DEFERRED_ARCHIVE_KEY) {
        const sparta_named_archive *a = sparta__archive_set_find(&s->host->archives, v->as.str.text);
        if (a && a->s3_key) return a->s3_key;
        if (s->problems) {
            sparta__buffer_printf(s->problems,
                                  "the template refers to archive '%s', but no plugin added files to it\n",
                                  v->as.str.text);
            s->count++;
        }
        return NULL;
    }
    if (v->deferred == SPARTA_DEFERRED_ARCHIVE_BUCKET) {
        const char *bucket = sparta__host_service(s->host, "s3Bucket");
        if (bucket && *bucket) return bucket;
        if (s->problems) {
            sparta__buffer_puts(s->problems, "the template needs an S3 bucket for code archives: pass "
                                             "--s3Bucket NAME or set service.s3Bucket in sparta.cfg\n");
            s->count++;
        }
        return NULL;
    }
    return NULL;
}

static int has_hooks(const sparta_host *host, sparta_phase phase) {
    for (size_t i = 0; i < host->hook_count; i++)
        if (host->hooks[i].phase == phase) return 1;
    return 0;
}

/* VALIDATE: the host's checks (all problems at once), then plugins' vetoes.
 * The check marshals the graph; when no VALIDATE or MARSHAL hook can change
 * it afterwards, that marshalled text is the template (*reusable_json). */
static int validate_graph(sparta_host *host, char **reusable_json, size_t *reusable_length) {
    sparta_buffer problems = SPARTA_BUFFER_INIT;
    size_t count = sparta__graph_validate(host->graph, &problems);
    /* Deferred strings must resolve: marshal once into a scratch buffer. */
    resolve_state state = {host, &problems, 0};
    char *scratch = NULL;
    size_t length = 0;
    if (sparta__graph_marshal(host->graph, resolve_deferred, &state, &scratch, &length) == 0) {
        count += state.count;
        if (length > SPARTA_LIMIT_TEMPLATE_BYTES) {
            sparta__buffer_printf(&problems,
                                  "the template is %zu bytes; CloudFormation accepts at most %d: split "
                                  "the service into more stacks\n",
                                  length, SPARTA_LIMIT_TEMPLATE_BYTES);
            count++;
        }
    }
    if (!count && !has_hooks(host, SPARTA_PHASE_VALIDATE) && !has_hooks(host, SPARTA_PHASE_MARSHAL)) {
        *reusable_json = scratch;
        *reusable_length = length;
        scratch = NULL;
    }
    free(scratch);
    if (count) {
        if (problems.length && problems.data[problems.length - 1] == '\n') problems.data[--problems.length] = '\0';
        int rc = sparta__error_set(&host->error, SPARTA_EGRAPH, "the template graph has %zu problem%s:\n%s",
                                   count, count == 1 ? "" : "s", problems.data ? problems.data : "");
        sparta__buffer_free(&problems);
        return rc;
    }
    sparta__buffer_free(&problems);
    return 0;
}

static int write_file(const char *path, const char *bytes, size_t length, sparta_error_slot *err) {
    const char *step = NULL;
    if (sparta__file_replace(path, bytes, length, &step) >= 0) return 0;
    return sparta__error_set(err, SPARTA_EIO, "cannot write %s (%s): %s; check that outputDir is writable", path,
                             step, strerror(errno));
}

int sparta__host_synthesize(sparta_host *host, sparta_phase last, const char *stack_name) {
    int rc = sparta__host_load(host);
    if (rc != 0) return rc;
    sparta__host_synthesis_reset(host);
    rc = sparta__host_configure(host);
    if (rc != 0) return rc;
    const char *stack = stack_name ? stack_name : sparta__host_service(host, "stackName");
    host->graph = sparta__graph_new(&host->error, &host->log, stack);
    if (!host->graph) return sparta__error_set(&host->error, SPARTA_ENOMEM, "out of memory");
    host->graph->description = sparta__host_service(host, "description");
    char *validated_json = NULL;
    size_t validated_length = 0;
    for (int phase = SPARTA_PHASE_CONFIGURE; phase <= (int)last && phase <= SPARTA_PHASE_MARSHAL; phase++) {
        sparta__log(&host->log, SPARTA_LOG_DEBUG, "Phase", "phase", phase_names[phase], NULL);
        if (phase == SPARTA_PHASE_VALIDATE) rc = validate_graph(host, &validated_json, &validated_length);
        if (rc == 0) rc = sparta__host_run_hooks(host, (sparta_phase)phase);
        if (rc != 0) break;
        if (phase == SPARTA_PHASE_ARCHIVE && host->archives.count) {
            rc = make_dirs(host->output_dir, &host->error);
            if (rc == 0) rc = sparta__archive_set_write_all(&host->archives, host->output_dir, stack, &host->error);
            if (rc != 0) break;
        }
        if (phase == SPARTA_PHASE_MARSHAL && validated_json) {
            host->template_json = validated_json;
            host->template_length = validated_length;
            validated_json = NULL;
        } else if (phase == SPARTA_PHASE_MARSHAL) {
            resolve_state state = {host, NULL, 0};
            rc = sparta__graph_marshal(host->graph, resolve_deferred, &state, &host->template_json,
                                       &host->template_length);
            if (rc != 0) break;
        }
    }
    free(validated_json);
    return rc;
}

int sparta__host_write_named_template(sparta_host *host, const char *stack, const char *json, size_t length,
                                      char **path_out) {
    int rc = make_dirs(host->output_dir, &host->error);
    if (rc != 0) return rc;
    char *path = NULL;
    if (asprintf(&path, "%s/%s.template.json", host->output_dir, stack) < 0) return SPARTA_ENOMEM;
    rc = write_file(path, json, length, &host->error);
    if (rc == 0 && path_out) *path_out = path;
    else free(path);
    return rc;
}

/* The service template goes to <outputDir>/<stack>.template.json. */
int sparta__host_write_template(sparta_host *host, char **path_out) {
    char *path = NULL;
    int rc = sparta__host_write_named_template(host, host->graph->stack_name, host->template_json,
                                               host->template_length, &path);
    if (rc != 0) return rc;
    free(host->template_path);
    host->template_path = path;
    if (path_out) *path_out = strdup(path);
    return path_out && !*path_out ? SPARTA_ENOMEM : 0;
}

int sparta_host_synthesize(sparta_host *host, char **template_json, size_t *length) {
    if (!host || !template_json) return SPARTA_EUSAGE;
    int rc = sparta__host_synthesize(host, SPARTA_PHASE_MARSHAL, NULL);
    if (rc != 0) return rc;
    *template_json = strdup(host->template_json);
    if (!*template_json) return SPARTA_ENOMEM;
    if (length) *length = host->template_length;
    return 0;
}
