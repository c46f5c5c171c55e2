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
typedef struct sparta__aws_client sparta__aws_client;

/* What plugins asked of this run's converge (ABI 1.1), and what they
 * borrowed from the host; all released when the command ends. */
typedef struct sparta_run_state {
    char **parameters;           /* "Key=Value" */
    size_t parameter_count;
    char **rollback_alarms;
    const char **rollback_types;  /* static strings, one per alarm */
    size_t rollback_alarm_count;
    int monitoring_minutes;
    char *skip_reason;           /* converge_skip */
    sparta_graph **graphs;       /* graph_new */
    size_t graph_count;
    char **strings;              /* answers handed to plugins (stack_value) */
    size_t string_count;
} sparta_run_state;

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
    int config_invalid; /* its group failed the schema in this synthesis */
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
    char *template_path;           /* where write_template put it */
    sparta_run_state run;
    sparta__aws_client *aws;     /* created on first use */
    const char *region_flag, *profile_flag;
    char *region_owned, *profile_owned;
    long poll_initial_ms;
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

/* True when the running command was given --format json. */
int sparta__host_json_output(sparta_host *host);
/* The AWS client for this host (lazy: credentials are resolved on first use). */
int sparta__host_aws(sparta_host *host, sparta__aws_client **out);
/* Uploads a file to S3 unless the key is already there. */
int sparta__host_s3_upload(sparta_host *host, const char *bucket, const char *key, const char *path, int *uploaded);
/* Releases everything a command run borrowed (run state, extra graphs). */
void sparta__host_run_state_reset(sparta_host *host);
/* Remembers a string until the command ends and returns it. */
const char *sparta__host_keep(sparta_host *host, char *owned);
/* Runs the hooks of one phase (PUBLISH, CONVERGE, ROLLBACK run from provision). */
int sparta__host_run_hooks(sparta_host *host, sparta_phase phase);
/* Deploys a marshalled template: upload to S3, converge, print the result. */
typedef struct sparta_deploy_request {
    const char *stack_name;
    const char *template_json;
    const char *template_path;      /* where it was written in outputDir */
    const char *bucket;
    const char *const *parameters;  /* "Key=Value" */
    size_t parameter_count;
    const char *const *tags;        /* "Key=Value" */
    size_t tag_count;
    const char *method;             /* "change-set" | "direct" */
    int no_execute, fail_on_empty_changeset;
    int service_stack;              /* the plugins' parameters and rollback triggers apply */
} sparta_deploy_request;
int sparta__host_deploy(sparta_host *host, const sparta_deploy_request *request);
/* Writes any marshalled template of `stack` to <outputDir>/<stack>.template.json. */
int sparta__host_write_named_template(sparta_host *host, const char *stack, const char *json, size_t length,
                                      char **path_out);

/* The host's built-in commands register themselves through this. */
int sparta__builtin_commands_register(sparta_host *host);

#endif
