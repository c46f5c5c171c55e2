/* The lambda plugin's internal interface: parsed configuration, naming,
 * and the builders each BUILD/ARCHIVE step uses. Nothing here is exported:
 * the plugin is built with hidden visibility and exports only
 * sparta_plugin_entry. */
#ifndef SPARTA_PLUGIN_LAMBDA_H
#define SPARTA_PLUGIN_LAMBDA_H

#include <sparta/plugin.h>
#include <stddef.h>
#include <stdint.h>

/* The host table and this plugin's handle, kept from init. */
extern const sparta_host_api *lambda_api;

/* Lambda's limits. */
#define LAMBDA_MEMORY_MIN 128
#define LAMBDA_MEMORY_MAX 10240
#define LAMBDA_MEMORY_DEFAULT 128
#define LAMBDA_TIMEOUT_MIN 1
#define LAMBDA_TIMEOUT_MAX 900
#define LAMBDA_TIMEOUT_DEFAULT 3
#define LAMBDA_NAME_MAX 64          /* FunctionName */
#define LAMBDA_ENV_BYTES_MAX 4096   /* all environment keys and values */
#define LAMBDA_DESCRIPTION_MAX 256
#define LAMBDA_SHARED_ARCHIVE "lambda" /* archive name when package = "shared" */
#define LAMBDA_DEFAULT_RUNTIME "provided.al2023"

/* ---- problems: every configuration error, reported at once ------------- */

typedef struct lambda_problems {
    sparta_plugin *plugin;
    char *text;
    size_t length, capacity;
    size_t count;
} lambda_problems;

/* Appends "<file:line>: <path>: <message>\n"; `at` gives file:line. */
void lambda_problem(lambda_problems *pr, const sparta_value *at, const char *path, const char *fmt, ...)
    SPARTA_PRINTF(4, 5);
void lambda_problems_free(lambda_problems *pr);
/* snprintf for names and config paths, where cutting a too-long text is
 * the intended outcome (the buffers fit every name the checks allow). */
void lambda_format(char *out, size_t cap, const char *fmt, ...) SPARTA_PRINTF(3, 4);

/* ---- runtimes ------------------------------------------------------------ */

/* 1 for a runtime Lambda accepts today; 0 for unknown or retired, with a
 * hint ("use nodejs24.x") in *hint when it is a retired one. */
int lambda_runtime_supported(const char *runtime, const char **hint);
/* "provided.al2023, python3.12, ..." for error messages. */
const char *lambda_runtime_list(void);
/* provided.* runtimes run an executable called bootstrap. */
int lambda_runtime_is_custom(const char *runtime);

/* ---- naming -------------------------------------------------------------- */

/* "hello-world" -> "HelloWorld": letters and digits only, each part after
 * '-', '_' or '.' capitalised. `out` holds at least 200 bytes. */
void lambda_logical_base(const char *name, char *out, size_t cap);
/* "<stack>-<name>" reduced to [A-Za-z0-9-_] and at most `max` characters;
 * a longer one is cut and ends in "-" and 8 hex digits of its hash. */
void lambda_physical_name(const char *stack, const char *name, size_t max, char *out, size_t cap);
/* prefix + a physical name + suffix as a template value: "${AWS::StackName}-x"
 * when `literal` is "<stack>-<name>" uncut, else the literal (cut and hashed). */
sparta_value *lambda_stack_scoped_name(sparta_graph *g, const char *stack, const char *prefix, const char *literal,
                                       const char *name, const char *suffix);
/* 1 when `name` is 1..64 characters of [A-Za-z0-9-_]. */
int lambda_function_name_valid(const char *name);

/* ---- intrinsics from config text ----------------------------------------- */

/* "${Name}" -> {"Ref": "Name"}; text holding "${...}" -> {"Fn::Sub": text};
 * anything else -> the string itself. */
sparta_value *lambda_text_value(sparta_graph *g, const char *text);
/* Checks the "${...}" references in text; returns NULL or what is wrong. */
const char *lambda_text_check(const char *text);

/* ---- parsed configuration ---------------------------------------------- */

typedef enum lambda_event_kind {
    LAMBDA_EVENT_SCHEDULE = 0,
    LAMBDA_EVENT_EVENTBRIDGE,
    LAMBDA_EVENT_SNS,
    LAMBDA_EVENT_SQS,
    LAMBDA_EVENT_S3,
    LAMBDA_EVENT_KIND_COUNT
} lambda_event_kind;

typedef struct lambda_event {
    lambda_event_kind kind;
    int index;                     /* 1-based among the function's events of this kind */
    const sparta_value *at;        /* the event's config value, for messages */
    /* schedule */
    const char *expression;
    /* eventBridge */
    const sparta_value *pattern;
    const char *event_bus;         /* NULL: the default bus */
    /* sns (topic) and sqs (queue): an ARN, or a name the stack creates */
    const char *target;
    int create;
    const sparta_value *filter_policy;
    int64_t batch_size, batch_window; /* batch_window < 0: unset */
    int enabled;
    /* s3 */
    const char *bucket;            /* the bucket's name */
    int existing;                  /* given as an ARN: wired through EventBridge */
    const char *s3_events[16];
    size_t s3_event_count;
    const char *prefix, *suffix;
} lambda_event;

typedef struct lambda_pair {
    const char *key, *value;
} lambda_pair;

typedef struct lambda_privilege {
    const sparta_value *actions;   /* array of strings */
    const sparta_value *resource;  /* string or array of strings */
} lambda_privilege;

typedef struct lambda_function {
    const sparta_value *at;
    const char *name, *description, *runtime, *handler, *architecture, *tracing;
    char *code_path;               /* resolved against sparta.cfg's folder */
    int code_is_dir;
    int64_t memory, timeout, reserved_concurrency, log_retention; /* <0 / 0: unset */
    lambda_pair *environment;
    size_t environment_count;
    lambda_pair *tags;
    size_t tag_count;
    lambda_privilege *privileges;
    size_t privilege_count;
    const sparta_value *depends_on;
    lambda_event *events;
    size_t event_count;
    char id[200];                  /* logical ID base: "HelloWorld" */
} lambda_function;

typedef struct lambda_config {
    lambda_function *functions;
    size_t function_count;
    int shared_package;
    const sparta_value *parameters; /* parameters = { Name = "default"; } or NULL */
} lambda_config;

/* Reads and checks the lambda group; on problems, fills `pr`. */
int lambda_config_parse(sparta_plugin *p, lambda_config *cfg, lambda_problems *pr);
/* lambda_config_parse, with every problem at once in one SPARTA_ECONFIG
 * error led by the file's name. */
int lambda_config_read(sparta_plugin *p, lambda_config *cfg);
void lambda_config_free(lambda_config *cfg);
/* Parses functions.[i].events into f (config.c calls it). */
void lambda_events_parse(sparta_plugin *p, lambda_function *f, const sparta_value *events, const char *path,
                         lambda_problems *pr);

/* The schema the host checks before CONFIGURE. */
extern const sparta_schema_field lambda_schema[];
extern const size_t lambda_schema_count;

/* ---- BUILD ---------------------------------------------------------------- */

typedef struct lambda_build {
    sparta_plugin *plugin;
    sparta_graph *graph;
    const lambda_config *config;
    const char *stack;
    /* resources created on behalf of several functions (topics, queues, buckets) */
    struct lambda_shared_resource *shared;
    size_t shared_count, shared_capacity;
} lambda_build;

/* Per-function IDs, computed once. */
typedef struct lambda_ids {
    char function[256], role[256], log_group[256], output[256];
    char function_name[LAMBDA_NAME_MAX + 1];
} lambda_ids;

void lambda_ids_for(const lambda_build *b, const lambda_function *f, lambda_ids *ids);
int lambda_build_function(lambda_build *b, const lambda_function *f);
/* The role's policy statements for f (least privilege). */
sparta_value *lambda_policy_statements(lambda_build *b, const lambda_function *f, const lambda_ids *ids);
int lambda_build_role(lambda_build *b, const lambda_function *f, const lambda_ids *ids);
int lambda_build_events(lambda_build *b, const lambda_function *f, const lambda_ids *ids);
/* The ARN of an SQS event's queue (creating the queue when asked). */
sparta_value *lambda_sqs_queue_arn(lambda_build *b, const lambda_function *f, const lambda_event *e);
void lambda_build_free(lambda_build *b);

/* ---- ARCHIVE -------------------------------------------------------------- */

const char *lambda_archive_name(const lambda_config *cfg, const lambda_function *f);
int lambda_package(sparta_plugin *p, const lambda_config *cfg);
/* A single-file function's entry name: bootstrap (provided.*) or the file's name. */
const char *lambda_code_entry(const lambda_function *f);

#endif
