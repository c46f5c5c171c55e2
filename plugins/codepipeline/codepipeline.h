/* The codepipeline plugin's internal interface. Service side: environments
 * (the `codepipeline` group), their variables as template parameters, and
 * the --codePipelinePackage ZIP. Pipeline side: `sparta provisionPipeline`,
 * which puts an artifact bucket, roles, CodeBuild projects and the pipeline
 * into a second stack, <service>-<pipeline>.
 *
 * The plugin compiles the codebuild plugin's settings, buildspec and project
 * files too (../codebuild/codebuild.h) and calls the host through the same
 * table pointer, codebuild_api, which its init sets. */
#ifndef SPARTA_PLUGIN_CODEPIPELINE_H
#define SPARTA_PLUGIN_CODEPIPELINE_H

#include <sparta/plugin.h>
#include <stddef.h>

#include "codebuild.h"

#define API codebuild_api
#define CP_HAS(member) CODEBUILD_HOST_HAS(member)

#define CP_STACK_NAME_MAX 128
#define CP_PIPELINE_NAME_MAX 100
#define CP_PARAMETER_NAME_MAX 255
#define CP_ENVIRONMENTS_MAX 40
#define CP_TEMPLATE_FILE "cloudformation.json" /* in the package and the build artifact */
#define CP_CHANGE_SET_NAME "sparta-pipeline"
#define CP_OAUTH_PARAMETER "GitHubOAuthToken"
#define CP_TOKEN_ENV "SPARTA_GITHUB_TOKEN"
/* The alarm gate's variables, set per action by the pipeline. */
#define CP_GATE_STACK_ENV "SPARTA_WATCH_STACK"
#define CP_GATE_MINUTES_ENV "SPARTA_WATCH_MINUTES"
#define CP_GATE_DEFAULT_MINUTES 5   /* rollback.monitoringMinutes's default */
#define CP_GATE_MAX_MINUTES 180     /* CloudFormation's monitoring window */

/* ---- environments: the `codepipeline` group ---------------------------------- */

typedef enum cp_approval {
    CP_APPROVAL_NONE = 0,
    CP_APPROVAL_MANUAL,
    CP_APPROVAL_ALARMS /* a CodeBuild action runs `sparta alarms watch` on the previous environment's stack */
} cp_approval;

typedef struct cp_variable {
    const char *name;      /* the function's environment variable */
    const char *value;     /* its value in this environment, as text */
    const sparta_value *at;
    char number[48];       /* holds value when the config gave a number or bool */
} cp_variable;

typedef struct cp_environment {
    const char *name;
    const sparta_value *at;
    cp_variable *variables;
    size_t variable_count;
    cp_approval approval;
    const char *stack_name;          /* NULL: <Name>-<service>-<branch> */
    const sparta_value *tags;        /* object of strings, or NULL */
    const sparta_value *stack_policy; /* object, or NULL */
} cp_environment;

/* A variable of any environment and the String parameter it becomes. */
typedef struct cp_key {
    const char *name;
    char parameter[CP_PARAMETER_NAME_MAX + 1];
} cp_key;

typedef struct cp_config {
    cp_environment *environments;
    size_t environment_count;
    cp_key *keys;                    /* union of every environment's variables, first-seen order */
    size_t key_count;
    int update_pipeline;             /* default 1 */
    const sparta_value *deploy_privileges; /* extra statements for the deploy role, or NULL */
    size_t alarm_gates;              /* environments with approval = "alarms" */
    int alarm_minutes;               /* rollback.monitoringMinutes (default 5): how long a gate watches */
} cp_config;

extern const sparta_schema_field cp_schema[];
extern const size_t cp_schema_count;

/* Reads and checks the `codepipeline` group; problems go to pr. */
int cp_config_read(sparta_plugin *p, cp_config *c, codebuild_problems *pr);
void cp_config_free(cp_config *c);
/* One WARN per environment that lacks keys another one defines. */
void cp_config_warn_missing(sparta_plugin *p, const cp_config *c);
/* The value of `key` in env, or NULL when env does not define it. */
const char *cp_environment_value(const cp_environment *env, const char *key);
/* Reads the config and reports its problems as one error. */
int cp_config_load(sparta_plugin *p, cp_config *c);
/* Is `name` in plugins.enabled? */
int cp_plugin_enabled(sparta_plugin *p, const char *name);

/* ---- names ------------------------------------------------------------------------- */

/* Letters, digits and '-', starting with a letter, at most 128. */
int cp_stack_name_valid(const char *name);
/* "test" + "hello" + "feature/x" -> "Test-hello-feature-x" (cut to 128). */
void cp_default_stack_name(const char *environment, const char *service, const char *branch, char *out,
                           size_t cap);

/* ---- the service template ---------------------------------------------------------- */

/* DECORATE: a String parameter per variable, wired into every function. */
int cp_decorate(sparta_plugin *p, sparta_graph *g, void *state);
/* VALIDATE: with --codePipelinePackage (not --noop), the bucket is versioned. */
int cp_check_bucket(sparta_plugin *p, sparta_graph *g, void *state);
/* PUBLISH: uploads the archives, writes the ZIP, skips the converge. */
int cp_publish(sparta_plugin *p, sparta_graph *g, void *state);
/* CONFIGURE: reads the group and warns about missing keys. */
int cp_configure(sparta_plugin *p, sparta_graph *g, void *state);

/* <environment>.json: {"Parameters": {...}, "Tags": {...}, "StackPolicy": {...}};
 * service_tags (service.tags, may be NULL) under the environment's tags. */
char *cp_template_configuration(const cp_config *c, const cp_environment *env, const sparta_value *service_tags);

/* A sparta.cfg value as JSON: two-space indents, keys in config order. */
void cp_json_value(sparta_text *t, const sparta_value *v, int indent);

/* ---- provisionPipeline ------------------------------------------------------------- */

typedef struct cp_repo {
    char owner[40], name[101], branch[256];
    int branch_given;
    char clone_url[200];   /* https://github.com/OWNER/REPO.git */
    char canonical[512];   /* https://github.com/OWNER/REPO/tree/BRANCH */
} cp_repo;

/* https://github.com/OWNER/REPO[.git][/tree/BRANCH][/]; the branch defaults to
 * main. Sets the plugin's error and returns SPARTA_EUSAGE when it is not one. */
int cp_repo_parse(sparta_plugin *p, const char *url, cp_repo *out);

typedef enum cp_source_kind {
    CP_SOURCE_CONNECTION = 0, /* CodeStar/CodeConnections connection */
    CP_SOURCE_SECRET,         /* GitHub OAuth token in Secrets Manager */
    CP_SOURCE_OAUTH           /* GitHub OAuth token, a NoEcho parameter */
} cp_source_kind;

typedef struct cp_source {
    cp_source_kind kind;
    const char *connection_arn;
    const char *secret;      /* secret name or ARN */
    char *token;             /* CP_SOURCE_OAUTH only; wiped on free */
} cp_source;

/* From --connectionArn, --githubTokenSecret, --oauth TOKEN|@FILE or
 * $SPARTA_GITHUB_TOKEN: exactly one. */
int cp_source_read(sparta_plugin *p, const sparta_invocation *inv, cp_source *out);
void cp_source_free(cp_source *s);

/* Everything the pipeline stack is built from. */
typedef struct cp_plan {
    const char *service;       /* service.name */
    const char *service_stack; /* service.stackName */
    const char *pipeline;      /* --pipeline */
    char stack[CP_STACK_NAME_MAX + 1]; /* <service>-<pipeline>: stack, pipeline and bucket prefix */
    cp_repo repo;
    cp_source source;
    const cp_config *config;
    const codebuild_settings *build;
    char (*env_stacks)[CP_STACK_NAME_MAX + 1]; /* one per environment */
    int update_pipeline;
    char build_project[160], synth_project[160], pr_project[160];
    char gate_project[160];    /* "" unless an environment has approval = "alarms" */
    const char *synth_args[16]; /* provisionPipeline arguments the self-update runs */
    size_t synth_arg_count;
    const char *output_dir;    /* where the self-update's build writes the template */
} cp_plan;

/* Names, stacks and the self-update command from the parsed inputs; checks
 * what only the whole plan shows (stack names clash, ...). */
int cp_plan_finish(sparta_plugin *p, cp_plan *plan);

/* The pipeline stack, resource by resource. */
int cp_stack_build(sparta_plugin *p, sparta_graph *g, const cp_plan *plan);
int cp_bucket_add(sparta_plugin *p, sparta_graph *g, const cp_plan *plan);
int cp_roles_add(sparta_plugin *p, sparta_graph *g, const cp_plan *plan);
/* The deploy role's statements: what the service's stacks may create. */
sparta_value *cp_deploy_statements(sparta_plugin *p, sparta_graph *g, const cp_plan *plan);
int cp_pipeline_add(sparta_plugin *p, sparta_graph *g, const cp_plan *plan);
/* The alarm gate: the inline buildspec that runs `sparta alarms watch`
 * (caller frees) and the CodeBuild project AlarmGateProject. */
char *cp_gate_buildspec(const codebuild_settings *s);
int cp_gate_project_add(sparta_plugin *p, sparta_graph *g, const cp_plan *plan);
/* The AlarmGate action's EnvironmentVariables: a JSON list naming the
 * previous environment's stack and the minutes to watch (caller frees). */
char *cp_gate_variables(const cp_plan *plan, size_t environment);

/* IAM building blocks */
/* What CloudFormation needs to manage a role with inline policies (NULL-ended). */
extern const char *const cp_role_actions[];
sparta_value *cp_arn(sparta_graph *g, const char *fmt, ...) SPARTA_PRINTF(2, 3); /* Fn::Sub of the text */
sparta_value *cp_statement(sparta_graph *g, const char *sid, const char *const *actions, sparta_value *resources);
int cp_role(sparta_plugin *p, sparta_graph *g, const char *id, const char *service, sparta_value *statements);

int cp_cmd_provision_pipeline(sparta_plugin *p, const sparta_invocation *inv, void *state);

#endif
