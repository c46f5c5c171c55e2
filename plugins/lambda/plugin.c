/* The lambda plugin: descriptor, init, and the hooks that drive the rest.
 *   CONFIGURE  parse and check the lambda group (config.c), all problems at once
 *   BUILD      parameters, then per function: log group, role, function, events, output
 *   ARCHIVE    the code archives (package.c) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invoke.h"
#include "lambda.h"

const sparta_host_api *lambda_api;

typedef struct lambda_state {
    lambda_config config;
    int parsed;
} lambda_state;

static int configure(sparta_plugin *p, sparta_graph *g, void *state) {
    (void)g;
    lambda_state *s = state;
    lambda_config_free(&s->config);
    s->parsed = 0;
    int rc = lambda_config_read(p, &s->config);
    if (rc == 0) s->parsed = 1;
    return rc;
}

static int add_parameters(sparta_plugin *p, sparta_graph *g, const lambda_config *cfg) {
    for (size_t i = 0; i < lambda_api->value_count(cfg->parameters); i++) {
        sparta_value *def = lambda_api->new_object(g);
        lambda_api->object_set(def, "Type", lambda_api->new_string(g, "String"));
        lambda_api->object_set(def, "Default", lambda_api->copy(g, lambda_api->value_at(cfg->parameters, i)));
        int rc = lambda_api->parameter_add(p, g, lambda_api->value_key_at(cfg->parameters, i), def);
        if (rc != 0) return rc;
    }
    return 0;
}

static int build(sparta_plugin *p, sparta_graph *g, void *state) {
    lambda_state *s = state;
    if (!s->parsed) return 0;
    int rc = add_parameters(p, g, &s->config);
    if (rc != 0) return rc;
    lambda_build b;
    memset(&b, 0, sizeof b);
    b.plugin = p;
    b.graph = g;
    b.config = &s->config;
    b.stack = lambda_api->graph_stack_name(g);
    for (size_t i = 0; rc == 0 && i < s->config.function_count; i++)
        rc = lambda_build_function(&b, &s->config.functions[i]);
    lambda_build_free(&b);
    return rc;
}

static int archive(sparta_plugin *p, sparta_graph *g, void *state) {
    (void)g;
    lambda_state *s = state;
    return s->parsed ? lambda_package(p, &s->config) : 0;
}

static int init(sparta_plugin *p, const sparta_host_api *api, void **plugin_state) {
    lambda_api = api;
    if (api->abi_major != SPARTA_ABI_MAJOR || !SPARTA_HOST_HAS(api, archive_add_tree))
        return api->error(p, SPARTA_EPLUGIN, "the lambda plugin needs a host with plugin ABI %d.0 or later",
                          SPARTA_ABI_MAJOR);
    lambda_state *s = calloc(1, sizeof *s);
    if (!s) return api->error(p, SPARTA_ENOMEM, "out of memory");
    static const sparta_hook_spec hooks[] = {
        {sizeof(sparta_hook_spec), SPARTA_PHASE_CONFIGURE, 0, configure},
        {sizeof(sparta_hook_spec), SPARTA_PHASE_BUILD, 0, build},
        {sizeof(sparta_hook_spec), SPARTA_PHASE_ARCHIVE, 0, archive},
    };
    int rc = api->schema_set(p, lambda_schema, lambda_schema_count);
    for (size_t i = 0; rc == 0 && i < sizeof hooks / sizeof *hooks; i++) rc = api->hook_add(p, &hooks[i]);
    if (rc == 0) rc = api->command_add(p, &lambda_invoke_command);
    if (rc != 0) {
        free(s);
        return rc;
    }
    *plugin_state = s;
    return 0;
}

static void fini(void *plugin_state) {
    lambda_state *s = plugin_state;
    if (!s) return;
    lambda_config_free(&s->config);
    free(s);
}

SPARTA_PLUGIN_DEFINE("lambda", "0.1.0", "AWS Lambda functions: roles, log groups, event sources, code archives",
                     "Apache-2.0", init, fini)
