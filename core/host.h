/* The host's internals: what a sparta_host holds and what each loaded plugin
 * looks like from the inside. Plugins see only opaque handles. */
#ifndef SPARTA_CORE_HOST_H
#define SPARTA_CORE_HOST_H

#include <sparta/sparta.h>

#include "archive_set.h"
#include "config.h"
#include "error.h"
#include "graph.h"
#include "log.h"

typedef struct sparta_command_tree sparta_command_tree;

/* One loaded plugin; the handle a plugin receives is this struct. */
struct sparta_plugin {
    sparta_host *host;
    char *name, *version, *description, *license, *path;
    void *library; /* dlopen handle; NULL for plugins linked in */
    const sparta_plugin_descriptor *descriptor;
    sparta_plugin_descriptor info; /* copied min(size, ours), zero-filled */
    void *state;
    int initialized;
    int registering; /* true only while init runs */
    sparta_schema_field *schema;
    size_t schema_count;
    size_t hook_count, command_count;
};

typedef struct sparta_hook {
    sparta_plugin *plugin;
    sparta_phase phase;
    int priority;
    sparta_hook_fn run;
} sparta_hook;

struct sparta_host {
    sparta_options options;
    char *config_path_owned, *config_text_owned, *output_dir_owned;
    char **plugin_paths;
    size_t plugin_path_count;
    sparta_logger log;
    sparta_error_slot error;
    sparta_error public_error; /* view of `error` for sparta_host_last_error */

    int loaded;
    sparta_config config;
    const char *config_path; /* resolved */
    sparta_plugin **plugins;
    size_t plugin_count;
    sparta_hook *hooks;
    size_t hook_count, hook_capacity;
    sparta_command_tree *commands;
    sparta_plugin builtin; /* owner of the host's own commands and resources */

    /* per command run */
    const sparta_invocation *invocation;
    int noop;
    const char *output_dir;
    const char *s3_bucket;
    sparta_graph *graph;           /* the graph of the current synthesis */
    sparta_archive_set archives;   /* archives of the current synthesis */
    char *template_json;
    size_t template_length;
};

/* sparta.cfg and plugins, once. */
int sparta__host_load(sparta_host *host);
int sparta__plugins_load(sparta_host *host);
void sparta__plugins_unload(sparta_host *host);
/* Checks a descriptor field by field; the message names each difference. */
int sparta__descriptor_check(const sparta_plugin_descriptor *d, const char *path, sparta_error_slot *err);

/* The table every plugin receives. */
const sparta_host_api *sparta__host_api(void);

/* Runs phases [CONFIGURE, last] into host->graph / host->template_json. */
int sparta__host_synthesize(sparta_host *host, sparta_phase last, const char *stack_name);
void sparta__host_synthesis_reset(sparta_host *host);
/* Writes host->template_json to <outputDir>/<stack>.template.json atomically. */
int sparta__host_write_template(sparta_host *host, char **path_out);
/* Validates the service group and every plugin's group; all problems at once. */
int sparta__host_configure(sparta_host *host);

/* Service settings (name, stackName, region, s3Bucket, description). */
const char *sparta__host_service(sparta_host *host, const char *key);

/* Output for commands (stdout or the embedder's callback). */
void sparta__host_print(sparta_host *host, const char *fmt, ...) SPARTA_PRINTF(2, 3);
void sparta__host_write(sparta_host *host, const char *text, size_t length);

/* The host's built-in commands register themselves through this. */
int sparta__builtin_commands_register(sparta_host *host);

#endif
