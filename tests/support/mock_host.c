#include "mock_host.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host.h"

struct mock_host {
    char *path;
    char *config_text;
    sparta_host *host;        /* a real host without plugins: config, error slot, graph helpers */
    sparta_plugin plugin;     /* the handle the plugin receives */
    sparta_host_api api;      /* the real table with registration entries replaced */
    void *library;
    char *commands[64];
    size_t command_count;
    char *flags[64];
    size_t flag_count;
    sparta_hook_spec hooks[32];
    size_t hook_count;
    sparta_schema_field schema[256];
    size_t schema_count;
    sparta_graph *graph;
    char log[16384];
    size_t log_length;
    char error[4096];
};

/* The plugin handle is the first thing a mock receives back: recover the mock. */
static mock_host *mock_of(sparta_plugin *p) {
    return (mock_host *)((char *)p - offsetof(mock_host, plugin));
}

static void record_log(mock_host *m, const char *line) {
    size_t n = strlen(line);
    if (m->log_length + n + 2 >= sizeof m->log) return;
    memcpy(m->log + m->log_length, line, n);
    m->log_length += n;
    m->log[m->log_length++] = '\n';
    m->log[m->log_length] = '\0';
}

static void mock_log(sparta_plugin *p, sparta_log_level level, const char *fmt, ...) {
    static const char *words[] = {"DEBU", "INFO", "WARN", "ERRO"};
    char message[2048], line[2100];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    snprintf(line, sizeof line, "%s %s", words[level <= SPARTA_LOG_ERROR ? level : SPARTA_LOG_ERROR], message);
    record_log(mock_of(p), line);
}

static int mock_command_add(sparta_plugin *p, const sparta_command_spec *spec) {
    mock_host *m = mock_of(p);
    if (m->command_count < 64) m->commands[m->command_count++] = strdup(spec->path ? spec->path : "");
    return 0;
}

static int mock_flag_add(sparta_plugin *p, const char *command_path, const sparta_flag_spec *spec) {
    mock_host *m = mock_of(p);
    char *text = NULL;
    if (m->flag_count < 64 && asprintf(&text, "%s --%s", command_path ? command_path : "", spec->name) >= 0)
        m->flags[m->flag_count++] = text;
    return 0;
}

static int mock_hook_add(sparta_plugin *p, const sparta_hook_spec *spec) {
    mock_host *m = mock_of(p);
    if (m->hook_count >= 32) return SPARTA_ENOMEM;
    memset(&m->hooks[m->hook_count], 0, sizeof m->hooks[0]);
    memcpy(&m->hooks[m->hook_count], spec, spec->size < sizeof m->hooks[0] ? spec->size : sizeof m->hooks[0]);
    m->hook_count++;
    return 0;
}

static int mock_schema_set(sparta_plugin *p, const sparta_schema_field *fields, size_t count) {
    mock_host *m = mock_of(p);
    for (size_t i = 0; i < count && m->schema_count < 256; i++) m->schema[m->schema_count++] = fields[i];
    return 0;
}

static const sparta_value *mock_config_section(sparta_plugin *p) {
    mock_host *m = mock_of(p);
    return sparta__value_get(m->host->config.root, m->plugin.name);
}

static const sparta_value *mock_config_root(sparta_plugin *p) { return mock_of(p)->host->config.root; }

mock_host *mock_host_new(const char *plugin_path, const char *config_text) {
    mock_host *m = calloc(1, sizeof *m);
    if (!m) return NULL;
    m->path = strdup(plugin_path);
    m->config_text = strdup(config_text ? config_text : "");
    sparta_options o = SPARTA_OPTIONS_INIT;
    o.config_text = m->config_text;
    if (sparta_host_new(&m->host, &o) != 0 ||
        sparta__config_load(&m->host->config, "sparta.cfg", m->config_text, &m->host->error) != 0) {
        mock_host_free(m);
        return NULL;
    }
    m->host->loaded = 1;
    m->api = *sparta__host_api();
    m->api.log = mock_log;
    m->api.command_add = mock_command_add;
    m->api.flag_add = mock_flag_add;
    m->api.hook_add = mock_hook_add;
    m->api.schema_set = mock_schema_set;
    m->api.config_section = mock_config_section;
    m->api.config_root = mock_config_root;
    m->plugin.host = m->host;
    m->graph = sparta__graph_new(&m->host->error, &m->host->log, "mock");
    return m;
}

int mock_host_init(mock_host *m) {
    m->library = dlopen(m->path, RTLD_NOW | RTLD_LOCAL);
    if (!m->library) {
        snprintf(m->error, sizeof m->error, "%s", dlerror());
        return SPARTA_EPLUGIN;
    }
    sparta_plugin_entry_fn entry;
    *(void **)&entry = dlsym(m->library, SPARTA_PLUGIN_ENTRY_SYMBOL);
    const sparta_plugin_descriptor *d = entry ? entry() : NULL;
    if (sparta__descriptor_check(d, m->path, &m->host->error) != 0) {
        snprintf(m->error, sizeof m->error, "%s", m->host->error.message);
        return SPARTA_EPLUGIN;
    }
    m->plugin.info = *d;
    m->plugin.name = (char *)d->name;
    m->plugin.registering = 1;
    int rc = d->init(&m->plugin, &m->api, &m->plugin.state);
    m->plugin.registering = 0;
    m->plugin.initialized = rc == 0;
    if (rc != 0) snprintf(m->error, sizeof m->error, "%s", m->host->error.message);
    return rc;
}

int mock_host_run_phase(mock_host *m, sparta_phase phase) {
    /* The phase's hooks by priority; registration order breaks ties (one plugin). */
    size_t order[32], n = 0;
    for (size_t i = 0; i < m->hook_count; i++) {
        if (m->hooks[i].phase != phase) continue;
        size_t j = n++;
        while (j > 0 && m->hooks[order[j - 1]].priority > m->hooks[i].priority) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = i;
    }
    for (size_t k = 0; k < n; k++) {
        sparta__error_clear(&m->host->error);
        int rc = m->hooks[order[k]].run(&m->plugin, m->graph, m->plugin.state);
        if (rc != 0) {
            snprintf(m->error, sizeof m->error, "%s", m->host->error.message);
            return rc;
        }
    }
    return 0;
}

size_t mock_host_command_count(const mock_host *m) { return m->command_count; }
const char *mock_host_command_path(const mock_host *m, size_t i) { return i < m->command_count ? m->commands[i] : NULL; }
size_t mock_host_flag_count(const mock_host *m) { return m->flag_count; }
const char *mock_host_flag(const mock_host *m, size_t i) { return i < m->flag_count ? m->flags[i] : NULL; }
size_t mock_host_hook_count(const mock_host *m) { return m->hook_count; }
sparta_phase mock_host_hook_phase(const mock_host *m, size_t i) { return m->hooks[i].phase; }
size_t mock_host_schema_count(const mock_host *m) { return m->schema_count; }
const char *mock_host_schema_path(const mock_host *m, size_t i) { return m->schema[i].path; }
sparta_graph *mock_host_graph(mock_host *m) { return m->graph; }
const char *mock_host_error(const mock_host *m) { return m->error; }
const char *mock_host_log(const mock_host *m) { return m->log; }

char *mock_host_template(mock_host *m) {
    char *json = NULL;
    size_t length = 0;
    return sparta__graph_marshal(m->graph, NULL, NULL, &json, &length) == 0 ? json : NULL;
}

void mock_host_free(mock_host *m) {
    if (!m) return;
    if (m->plugin.initialized && m->plugin.info.fini) m->plugin.info.fini(m->plugin.state);
    sparta__graph_free(m->graph);
    for (size_t i = 0; i < m->command_count; i++) free(m->commands[i]);
    for (size_t i = 0; i < m->flag_count; i++) free(m->flags[i]);
    sparta_host_free(m->host);
    if (m->library) dlclose(m->library);
    free(m->path);
    free(m->config_text);
    free(m);
}
