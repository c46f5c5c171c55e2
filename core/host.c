/* The host object: options, config, plugins, logging, output. */
#include "host.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "aws/http.h"
#include "command/command.h"

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

int sparta_host_new(sparta_host **out, const sparta_options *options) {
    if (!out) return SPARTA_EUSAGE;
    *out = NULL;
    sparta_host *h = calloc(1, sizeof *h);
    if (!h) return SPARTA_ENOMEM;
    sparta_options defaults = SPARTA_OPTIONS_INIT;
    if (options) {
        if (options->version == 0 || options->version > SPARTA_OPTIONS_VERSION) {
            free(h);
            return SPARTA_EUSAGE;
        }
        /* Only version 1 exists: copy it whole. A later version copies its prefix. */
        defaults = *options;
    }
    h->options = defaults;
    h->config_path_owned = dup_or_null(defaults.config_path);
    h->config_text_owned = dup_or_null(defaults.config_text);
    h->output_dir_owned = dup_or_null(defaults.output_dir);
    h->options.config_path = h->config_path_owned;
    h->options.config_text = h->config_text_owned;
    h->options.output_dir = h->output_dir_owned;
    if (defaults.plugin_path_count) {
        h->plugin_paths = calloc(defaults.plugin_path_count, sizeof(char *));
        for (size_t i = 0; h->plugin_paths && i < defaults.plugin_path_count; i++)
            h->plugin_paths[i] = dup_or_null(defaults.plugin_paths[i]);
        h->plugin_path_count = h->plugin_paths ? defaults.plugin_path_count : 0;
    }
    h->options.plugin_paths = NULL;
    sparta__logger_init(&h->log);
    h->log.sink = defaults.log;
    h->log.sink_user_data = defaults.log_user_data;
    if (defaults.log) h->log.color = 0;
    h->builtin.host = h;
    h->builtin.name = "sparta";
    h->builtin.version = SPARTA_VERSION;
    h->builtin.path = "(built in)";
    h->commands = sparta__command_tree_new();
    if (!h->commands || sparta__builtin_commands_register(h) != 0) {
        sparta_host_free(h);
        return SPARTA_ENOMEM;
    }
    h->output_dir = h->options.output_dir ? h->options.output_dir : ".sparta";
    *out = h;
    return 0;
}

void sparta__host_synthesis_reset(sparta_host *host) {
    sparta__graph_free(host->graph);
    host->graph = NULL;
    sparta__archive_set_free(&host->archives);
    free(host->template_json);
    host->template_json = NULL;
    free(host->template_path);
    host->template_path = NULL;
    host->template_length = 0;
}

void sparta_host_free(sparta_host *host) {
    if (!host) return;
    sparta__host_synthesis_reset(host);
    sparta__host_run_state_reset(host);
    sparta__plugins_unload(host);
    sparta__aws_client_free(host->aws);
    sparta__command_tree_free(host->commands);
    free(host->hooks);
    sparta__config_free(&host->config);
    for (size_t i = 0; i < host->plugin_path_count; i++) free(host->plugin_paths[i]);
    free(host->plugin_paths);
    free(host->config_path_owned);
    free(host->config_text_owned);
    free(host->output_dir_owned);
    free(host->region_owned);
    free(host->profile_owned);
    free(host);
}

/* Hooks run by phase, then priority, then plugin name: never by the order of
 * lines in sparta.cfg. */
static int compare_hooks(const void *a, const void *b) {
    const sparta_hook *x = a, *y = b;
    if (x->phase != y->phase) return x->phase < y->phase ? -1 : 1;
    if (x->priority != y->priority) return x->priority < y->priority ? -1 : 1;
    int c = strcmp(x->plugin->name, y->plugin->name);
    if (c) return c;
    return x->run == y->run ? 0 : ((uintptr_t)x < (uintptr_t)y ? -1 : 1);
}

static const char *resolve_config_path(sparta_host *host, int *explicit_path) {
    *explicit_path = 1;
    if (host->options.config_text) return host->options.config_path ? host->options.config_path : "<memory>";
    if (host->options.config_path) return host->options.config_path;
    const char *env = getenv("SPARTA_CONFIG");
    if (env && *env) return env;
    *explicit_path = 0;
    return "sparta.cfg";
}

int sparta__host_load(sparta_host *host) {
    if (host->loaded) return host->loaded > 0 ? 0 : host->error.code;
    int explicit_path = 0;
    host->config_path = resolve_config_path(host, &explicit_path);
    int rc;
    if (!host->options.config_text && !explicit_path && access(host->config_path, F_OK) != 0) {
        /* No sparta.cfg here: commands that need one say so when they run. */
        rc = sparta__config_load(&host->config, host->config_path, "", &host->error);
        host->loaded = 1;
        return rc;
    }
    rc = sparta__config_load(&host->config, host->config_path, host->options.config_text, &host->error);
    if (rc == 0) rc = sparta__plugins_load(host);
    if (rc == 0 && host->hook_count > 1) qsort(host->hooks, host->hook_count, sizeof *host->hooks, compare_hooks);
    host->loaded = rc == 0 ? 1 : -1;
    return rc;
}

int sparta_host_load(sparta_host *host) { return host ? sparta__host_load(host) : SPARTA_EUSAGE; }

const char *sparta__host_service(sparta_host *host, const char *key) {
    if (!key) return NULL;
    if (strcmp(key, "outputDir") == 0) return host->output_dir;
    if (strcmp(key, "s3Bucket") == 0 && host->s3_bucket) return host->s3_bucket;
    const sparta_value *service = sparta__value_get(host->config.root, "service");
    const char *v = sparta__value_get_string(service, key);
    if (!v && strcmp(key, "stackName") == 0) return sparta__value_get_string(service, "name");
    if (!v && strcmp(key, "region") == 0) {
        const char *env = getenv("AWS_REGION");
        if (!env || !*env) env = getenv("AWS_DEFAULT_REGION");
        return env && *env ? env : NULL;
    }
    return v;
}

void sparta__host_write(sparta_host *host, const char *text, size_t length) {
    if (host->options.print) host->options.print(host->options.print_user_data, text, length);
    else fwrite(text, 1, length, stdout);
}

void sparta__host_print(sparta_host *host, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *text = NULL;
    int n = vasprintf(&text, fmt, ap);
    va_end(ap);
    if (n >= 0) sparta__host_write(host, text, (size_t)n);
    free(text);
}

int sparta__host_json_output(sparta_host *host) {
    const char *format = host->invocation ? sparta__invocation_flag_string(host->invocation, "format") : NULL;
    return format && strcmp(format, "json") == 0;
}

const sparta_error *sparta_host_last_error(const sparta_host *host) {
    if (!host) return NULL;
    sparta_host *h = (sparta_host *)host;
    h->public_error.code = host->error.code;
    h->public_error.message = host->error.message;
    h->public_error.plugin = host->error.plugin[0] ? host->error.plugin : NULL;
    h->public_error.file = host->error.file[0] ? host->error.file : NULL;
    h->public_error.line = host->error.line;
    return &h->public_error;
}

void sparta_string_free(char *s) { free(s); }

const char *sparta_version(void) { return SPARTA_VERSION; }

void sparta_abi_version(int *major, int *minor) {
    if (major) *major = SPARTA_ABI_MAJOR;
    if (minor) *minor = SPARTA_ABI_MINOR;
}
