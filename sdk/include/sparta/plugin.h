/*
 * sparta plugin SDK — the only header a plugin compiles against.
 *
 * ABI rules (read before changing anything in this file):
 *  1. A plugin exports exactly one symbol, `sparta_plugin_entry`, returning a
 *     `sparta_plugin_descriptor`. Write it with SPARTA_PLUGIN_DEFINE.
 *  2. The descriptor's first four fields (magic, ABI major, ABI minor, struct
 *     size) never move. The host checks them before it calls anything:
 *     magic equal, major equal, plugin minor <= host minor, size known.
 *  3. Host services reach the plugin as `sparta_host_api`, a function table
 *     whose first field is its size. It is append-only: entries are never
 *     removed, reordered or retyped. Test for a newer entry with
 *     SPARTA_HOST_HAS(api, member) before calling it.
 *  4. Every struct that crosses the boundary starts with its size. The
 *     receiver copies min(size, its own) into a zeroed struct and refuses a
 *     struct larger than it knows.
 *  5. No third-party types cross the boundary. Plugins see opaque sparta_*
 *     handles. Values belong to the host's arena: plugins never free them.
 *  6. Registration (commands, flags, hooks, schema) happens only inside init.
 *  7. Additions bump the minor version; anything else bumps the major.
 *
 * Changelog:
 *  2026-11-26  1.0  First stable ABI: descriptor, host table, values, graph,
 *                   commands, flags, hooks, schema, archives.
 *  2026-11-26  1.1  AWS services: signed requests to any service, S3 uploads,
 *                   converge parameters and rollback triggers, second stacks
 *                   (graph_new + stack_converge), the marshalled template,
 *                   written archives, ZIP files, skipping the converge,
 *                   parameter_find, error_prefix, typed rollback triggers.
 */
#ifndef SPARTA_PLUGIN_H
#define SPARTA_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SPARTA_PLUGIN_MAGIC 0x53505254u /* "SPRT" */
#define SPARTA_ABI_MAJOR 1
#define SPARTA_ABI_MINOR 1

#if defined(__GNUC__)
#define SPARTA_PLUGIN_EXPORT __attribute__((visibility("default")))
#define SPARTA_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
#else
#define SPARTA_PLUGIN_EXPORT
#define SPARTA_PRINTF(fmt, args)
#endif

/* Error codes: 0 is success, every failure is negative. */
enum {
    SPARTA_OK = 0,
    SPARTA_EGENERIC = -1,  /* anything not listed below */
    SPARTA_EUSAGE = -2,    /* bad command line */
    SPARTA_ECONFIG = -3,   /* sparta.cfg is malformed or fails a schema */
    SPARTA_EPLUGIN = -4,   /* a plugin could not be loaded or failed */
    SPARTA_EGRAPH = -5,    /* the template graph is invalid */
    SPARTA_EIO = -6,       /* a file could not be read or written */
    SPARTA_ENOMEM = -7,    /* out of memory */
    SPARTA_EAWS = -8,      /* an AWS call failed */
    SPARTA_ESTATE = -9,    /* call made at the wrong time (e.g. register outside init) */
    SPARTA_ENOTFOUND = -10 /* a named thing does not exist */
};

typedef enum sparta_log_level {
    SPARTA_LOG_DEBUG = 0,
    SPARTA_LOG_INFO = 1,
    SPARTA_LOG_WARN = 2,
    SPARTA_LOG_ERROR = 3
} sparta_log_level;

/* The phases of provision, in order. Hooks run by phase, priority, name. */
typedef enum sparta_phase {
    SPARTA_PHASE_CONFIGURE = 0,
    SPARTA_PHASE_BUILD,
    SPARTA_PHASE_DECORATE,
    SPARTA_PHASE_ARCHIVE,
    SPARTA_PHASE_VALIDATE,
    SPARTA_PHASE_MARSHAL,
    SPARTA_PHASE_PUBLISH,
    SPARTA_PHASE_CONVERGE,
    SPARTA_PHASE_ROLLBACK,
    SPARTA_PHASE_COUNT
} sparta_phase;

/* Opaque handles. Each plugin gets its own sparta_plugin, so every error and
 * log line it produces names it. */
typedef struct sparta_plugin sparta_plugin;
typedef struct sparta_value sparta_value;
typedef struct sparta_graph sparta_graph;
typedef struct sparta_resource sparta_resource;
typedef struct sparta_invocation sparta_invocation;

typedef enum sparta_value_type {
    SPARTA_VALUE_NULL = 0,
    SPARTA_VALUE_BOOL,
    SPARTA_VALUE_INT,
    SPARTA_VALUE_DOUBLE,
    SPARTA_VALUE_STRING,
    SPARTA_VALUE_ARRAY,
    SPARTA_VALUE_OBJECT
} sparta_value_type;

/* ---- commands and flags ------------------------------------------------ */

typedef enum sparta_flag_type {
    SPARTA_FLAG_BOOL = 0,
    SPARTA_FLAG_STRING,
    SPARTA_FLAG_INT,
    SPARTA_FLAG_LIST /* repeatable: --tag a=b --tag c=d */
} sparta_flag_type;

typedef struct sparta_flag_spec {
    uint32_t size;             /* sizeof(sparta_flag_spec) */
    const char *name;          /* camelCase, e.g. "s3Bucket" */
    const char *alias;         /* kebab-case alias, e.g. "s3-bucket"; may be NULL */
    sparta_flag_type type;
    const char *default_value; /* as text; NULL for none */
    const char *usage;         /* one line for help */
    int required;
} sparta_flag_spec;

/* Runs a command. `inv` gives flags and positional arguments. Return 0 or a
 * negative SPARTA_E* after setting an error. */
typedef int (*sparta_command_fn)(sparta_plugin *plugin, const sparta_invocation *inv,
                                 void *plugin_state);

typedef struct sparta_command_spec {
    uint32_t size;        /* sizeof(sparta_command_spec) */
    const char *path;     /* "provisionPipeline", or nested: "pipeline show" */
    const char *alias;    /* e.g. "provision-pipeline"; may be NULL */
    const char *summary;  /* one line for the command list */
    const char *help;     /* longer text for `help CMD`; may be NULL */
    const char *args;     /* positional arguments for usage, e.g. "[NAME]"; may be NULL */
    sparta_command_fn run;
    const sparta_flag_spec *flags;
    size_t flag_count;
} sparta_command_spec;

/* ---- hooks ---------------------------------------------------------------- */

typedef int (*sparta_hook_fn)(sparta_plugin *plugin, sparta_graph *graph, void *plugin_state);

typedef struct sparta_hook_spec {
    uint32_t size;   /* sizeof(sparta_hook_spec) */
    sparta_phase phase;
    int priority;    /* lower runs first; ties broken by plugin name */
    sparta_hook_fn run;
} sparta_hook_spec;

/* ---- config schema -------------------------------------------------------- */

/* One entry per key the plugin's config group accepts. Paths are relative to
 * the group: "memory", "functions", "functions.[]" (each element),
 * "functions.[].environment.*" (any key of a map). A key with no entry is an
 * "unknown key" error. */
typedef struct sparta_schema_field {
    uint32_t size;        /* sizeof(sparta_schema_field) */
    const char *path;
    sparta_value_type type; /* SPARTA_VALUE_INT also accepts nothing but integers */
    int required;
    const char *description;
} sparta_schema_field;

/* ---- AWS (ABI 1.1) ------------------------------------------------------- */

/* A request the host signs (SigV4), sends to the service's endpoint (honouring
 * AWS_ENDPOINT_URL[_<SERVICE>]) and retries on throttling and 5xx. */
typedef struct sparta_aws_request {
    uint32_t size;            /* sizeof(sparta_aws_request) */
    const char *service;      /* signing name: "codepipeline", "monitoring", "logs", "s3" */
    const char *method;       /* "POST", "GET", ... */
    const char *path;         /* "/" */
    const char *query;        /* "Action=PutMetricAlarm&Version=2010-08-01", or NULL */
    const char *content_type; /* e.g. "application/x-amz-json-1.1"; NULL for none */
    const char *target;       /* X-Amz-Target for JSON protocols, or NULL */
    const char *body;
    size_t body_length;
} sparta_aws_request;

typedef struct sparta_aws_response {
    uint32_t size;            /* sizeof(sparta_aws_response), set by the caller */
    int status;               /* HTTP status */
    char *body;               /* NUL-terminated; release with aws_response_free */
    size_t body_length;
} sparta_aws_response;

/* How stack_converge deploys a second stack (e.g. the pipeline's). */
typedef struct sparta_converge_options {
    uint32_t size;            /* sizeof(sparta_converge_options) */
    const char *stack_name;   /* NULL: the graph's stack name */
    int noop;                 /* write the template only */
    const char *const *parameters; /* "Key=Value" pairs */
    size_t parameter_count;
    const char *const *tags;  /* "Key=Value" pairs */
    size_t tag_count;
} sparta_converge_options;

/* One file of a ZIP written with zip_write. */
typedef struct sparta_zip_entry {
    uint32_t size;            /* sizeof(sparta_zip_entry) */
    const char *name;         /* path inside the archive */
    const char *source_path;  /* a file to copy, or NULL to use bytes */
    const void *bytes;
    size_t length;
    uint32_t mode;            /* e.g. 0644 */
} sparta_zip_entry;

/* ---- the host-services table --------------------------------------------- */

typedef struct sparta_host_api {
    uint32_t size; /* sizeof(sparta_host_api) as the host knows it */
    uint16_t abi_major;
    uint16_t abi_minor;

    /* logging and errors */
    void (*log)(sparta_plugin *p, sparta_log_level level, const char *fmt, ...) SPARTA_PRINTF(3, 4);
    /* Sets the error slot (naming the plugin) and returns `code`. */
    int (*error)(sparta_plugin *p, int code, const char *fmt, ...) SPARTA_PRINTF(3, 4);

    /* registration: only inside init */
    int (*command_add)(sparta_plugin *p, const sparta_command_spec *spec);
    /* Adds a flag to any command, host or plugin ("provision"). */
    int (*flag_add)(sparta_plugin *p, const char *command_path, const sparta_flag_spec *spec);
    int (*hook_add)(sparta_plugin *p, const sparta_hook_spec *spec);
    int (*schema_set)(sparta_plugin *p, const sparta_schema_field *fields, size_t count);

    /* configuration: read-only value trees; NULL when absent */
    const sparta_value *(*config_section)(sparta_plugin *p); /* the group named after the plugin */
    const sparta_value *(*config_root)(sparta_plugin *p);
    /* Where a config value came from: "sparta.cfg:14"; "" when unknown. The
     * string lives as long as the host's config. */
    const char *(*value_origin)(sparta_plugin *p, const sparta_value *v);
    /* Service settings: "name", "stackName", "region", "s3Bucket", "outputDir", "description". */
    const char *(*service_get)(sparta_plugin *p, const char *key);

    /* command invocation */
    const char *(*flag_string)(const sparta_invocation *inv, const char *name); /* NULL if unset */
    int (*flag_bool)(const sparta_invocation *inv, const char *name);
    int64_t (*flag_int)(const sparta_invocation *inv, const char *name);
    size_t (*flag_list_count)(const sparta_invocation *inv, const char *name);
    const char *(*flag_list_at)(const sparta_invocation *inv, const char *name, size_t i);
    size_t (*arg_count)(const sparta_invocation *inv);
    const char *(*arg_at)(const sparta_invocation *inv, size_t i);
    /* Prints to the command's output stream (stdout unless embedded). */
    void (*print)(sparta_plugin *p, const char *fmt, ...) SPARTA_PRINTF(2, 3);
    /* The command line being run (hooks read plugin flags through it). */
    const sparta_invocation *(*invocation)(sparta_plugin *p);

    /* reading values */
    sparta_value_type (*value_type)(const sparta_value *v);
    const char *(*value_string)(const sparta_value *v); /* NULL unless a string */
    int64_t (*value_int)(const sparta_value *v);
    double (*value_double)(const sparta_value *v);
    int (*value_bool)(const sparta_value *v);
    size_t (*value_count)(const sparta_value *v); /* array elements or object members */
    const sparta_value *(*value_at)(const sparta_value *v, size_t i);
    const char *(*value_key_at)(const sparta_value *v, size_t i);
    const sparta_value *(*value_get)(const sparta_value *object, const char *key);

    /* building values in the graph's arena */
    sparta_value *(*new_null)(sparta_graph *g);
    sparta_value *(*new_bool)(sparta_graph *g, int b);
    sparta_value *(*new_int)(sparta_graph *g, int64_t i);
    sparta_value *(*new_double)(sparta_graph *g, double d);
    sparta_value *(*new_string)(sparta_graph *g, const char *s);
    sparta_value *(*new_stringf)(sparta_graph *g, const char *fmt, ...) SPARTA_PRINTF(2, 3);
    sparta_value *(*new_array)(sparta_graph *g);
    sparta_value *(*new_object)(sparta_graph *g);
    /* Deep copy of any value (e.g. a config value) into the graph's arena. */
    sparta_value *(*copy)(sparta_graph *g, const sparta_value *v);
    /* Sets or replaces a member; keeps first-insertion order. */
    int (*object_set)(sparta_value *object, const char *key, sparta_value *v);
    int (*array_push)(sparta_value *array, sparta_value *v);
    /* intrinsics */
    sparta_value *(*ref)(sparta_graph *g, const char *logical_id);
    sparta_value *(*get_att)(sparta_graph *g, const char *logical_id, const char *attribute);
    sparta_value *(*sub)(sparta_graph *g, const char *text);
    sparta_value *(*join)(sparta_graph *g, const char *delimiter, sparta_value *array);
    /* The S3 key of a named archive, resolved at MARSHAL from its content hash. */
    sparta_value *(*archive_key)(sparta_graph *g, const char *archive_name);
    /* The artifact bucket (--s3Bucket / service.s3Bucket), resolved at MARSHAL. */
    sparta_value *(*archive_bucket)(sparta_graph *g);

    /* the template graph */
    sparta_resource *(*resource_add)(sparta_plugin *p, sparta_graph *g, const char *logical_id,
                                     const char *type, sparta_value *properties);
    int (*resource_depends_on)(sparta_resource *r, const char *logical_id);
    int (*resource_set)(sparta_resource *r, const char *attribute, sparta_value *v); /* "Condition", "DeletionPolicy", "UpdateReplacePolicy", "Metadata" */
    int (*parameter_add)(sparta_plugin *p, sparta_graph *g, const char *logical_id, sparta_value *definition);
    int (*output_add)(sparta_plugin *p, sparta_graph *g, const char *logical_id, sparta_value *definition);
    int (*condition_add)(sparta_plugin *p, sparta_graph *g, const char *logical_id, sparta_value *expression);
    int (*mapping_add)(sparta_plugin *p, sparta_graph *g, const char *logical_id, sparta_value *mapping);
    size_t (*resource_count)(const sparta_graph *g);
    sparta_resource *(*resource_at)(sparta_graph *g, size_t i); /* sorted by logical ID */
    sparta_resource *(*resource_find)(sparta_graph *g, const char *logical_id);
    const char *(*resource_id)(const sparta_resource *r);
    const char *(*resource_type)(const sparta_resource *r);
    sparta_value *(*resource_properties)(sparta_resource *r);
    const char *(*graph_stack_name)(const sparta_graph *g);

    /* archives: files land in <outputDir>/<name>.zip at the end of ARCHIVE */
    int (*archive_add_file)(sparta_plugin *p, const char *archive_name, const char *entry_name,
                            const char *source_path);
    int (*archive_add_bytes)(sparta_plugin *p, const char *archive_name, const char *entry_name,
                             const void *bytes, size_t length, uint32_t mode);
    /* Adds a directory tree recursively under `prefix` ("" for the root). */
    int (*archive_add_tree)(sparta_plugin *p, const char *archive_name, const char *prefix,
                            const char *directory);

    /* ---- ABI 1.1 ---- */
    /* Sends a signed request. Non-2xx answers set the error (service, code,
     * message, request ID) and return SPARTA_EAWS; *response is filled either way. */
    int (*aws_request)(sparta_plugin *p, const sparta_aws_request *request, sparta_aws_response *response);
    void (*aws_response_free)(sparta_aws_response *response);
    /* Uploads a file unless the key already exists; *uploaded says which. */
    int (*s3_upload)(sparta_plugin *p, const char *bucket, const char *key, const char *path, int *uploaded);
    /* Adds a stack parameter value to this run's converge ("Key", "Value"). */
    int (*converge_add_parameter)(sparta_plugin *p, const char *key, const char *value);
    /* Adds a CloudWatch alarm ARN to the converge's RollbackConfiguration. */
    int (*converge_add_rollback_trigger)(sparta_plugin *p, const char *alarm_arn);
    /* Monitoring window in minutes (0..180) for the rollback triggers. */
    int (*converge_set_monitoring_minutes)(sparta_plugin *p, int minutes);
    /* Tells provision not to converge the service stack this run (with the reason). */
    int (*converge_skip)(sparta_plugin *p, const char *reason);
    /* A fresh, empty graph for a second stack; the host frees it after the command. */
    sparta_graph *(*graph_new)(sparta_plugin *p, const char *stack_name);
    /* Validates and marshals `g`, writes <outputDir>/<stack>.template.json, and
     * (unless noop) uploads it and converges the stack. */
    int (*stack_converge)(sparta_plugin *p, sparta_graph *g, const sparta_converge_options *options);
    /* Runs the service's phases CONFIGURE..MARSHAL from a plugin command. */
    int (*synthesize)(sparta_plugin *p);
    /* The service template once MARSHAL ran (NULL before). */
    const char *(*template_text)(sparta_plugin *p, size_t *length);
    /* A written archive's path and S3 key once ARCHIVE ran (NULL before). */
    const char *(*archive_path)(sparta_plugin *p, const char *archive_name);
    const char *(*archive_s3_key)(sparta_plugin *p, const char *archive_name);
    /* Writes a deterministic ZIP (sorted, fixed times) atomically. */
    int (*zip_write)(sparta_plugin *p, const char *path, const sparta_zip_entry *entries, size_t count);
    /* The stack's live outputs and status after converge or from AWS:
     * "Outputs.<Key>", "StackStatus", "StackId". NULL when unknown. */
    const char *(*stack_value)(sparta_plugin *p, const char *stack_name, const char *key);
    /* A parameter's definition in `g`, or NULL: lets plugins share parameters. */
    const sparta_value *(*parameter_find)(sparta_graph *g, const char *logical_id);
    /* Puts "context: " in front of the current error message; returns its code. */
    int (*error_prefix)(sparta_plugin *p, const char *fmt, ...) SPARTA_PRINTF(2, 3);
    /* A rollback trigger of a given type: "AWS::CloudWatch::Alarm" or
     * "AWS::CloudWatch::CompositeAlarm" (converge_add_rollback_trigger means the first). */
    int (*converge_add_rollback_trigger_typed)(sparta_plugin *p, const char *alarm_arn, const char *type);
} sparta_host_api;

/* True when the host's table has `member`: use before calling a newer entry. */
#define SPARTA_HOST_HAS(api, member) \
    ((api)->size >= offsetof(sparta_host_api, member) + sizeof((api)->member))

/* ---- the descriptor ------------------------------------------------------- */

/* init registers everything the plugin offers and may set *plugin_state,
 * which every later callback receives. fini releases it. */
typedef int (*sparta_plugin_init_fn)(sparta_plugin *plugin, const sparta_host_api *api,
                                     void **plugin_state);
typedef void (*sparta_plugin_fini_fn)(void *plugin_state);

typedef struct sparta_plugin_descriptor {
    uint32_t magic;      /* SPARTA_PLUGIN_MAGIC */
    uint16_t abi_major;  /* SPARTA_ABI_MAJOR the plugin was built with */
    uint16_t abi_minor;  /* SPARTA_ABI_MINOR the plugin was built with */
    uint32_t struct_size; /* sizeof(sparta_plugin_descriptor) */
    const char *name;
    const char *version;
    const char *description;
    const char *license;
    sparta_plugin_init_fn init;
    sparta_plugin_fini_fn fini;
} sparta_plugin_descriptor;

typedef const sparta_plugin_descriptor *(*sparta_plugin_entry_fn)(void);

#define SPARTA_PLUGIN_ENTRY_SYMBOL "sparta_plugin_entry"

/* Writes the one exported symbol. */
#define SPARTA_PLUGIN_DEFINE(NAME, VERSION, DESCRIPTION, LICENSE, INIT, FINI)          \
    SPARTA_PLUGIN_EXPORT const sparta_plugin_descriptor *sparta_plugin_entry(void);    \
    const sparta_plugin_descriptor *sparta_plugin_entry(void) {                        \
        static const sparta_plugin_descriptor descriptor = {                           \
            SPARTA_PLUGIN_MAGIC, SPARTA_ABI_MAJOR, SPARTA_ABI_MINOR,                   \
            (uint32_t)sizeof(sparta_plugin_descriptor), NAME, VERSION, DESCRIPTION,    \
            LICENSE, INIT, FINI};                                                      \
        return &descriptor;                                                            \
    }

#ifdef __cplusplus
}
#endif
#endif /* SPARTA_PLUGIN_H */
