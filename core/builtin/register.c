#include "builtin.h"

#include <string.h>

#include "command/command.h"

#define FLAG(name, alias, type, def, usage) {sizeof(sparta_flag_spec), name, alias, type, def, usage, 0}

static const sparta_flag_spec global_flags[] = {
    FLAG("config", NULL, SPARTA_FLAG_STRING, NULL, "path to sparta.cfg (default $SPARTA_CONFIG, then ./sparta.cfg)"),
    FLAG("level", NULL, SPARTA_FLAG_STRING, "info", "log level: debug, info, warn, error"),
    FLAG("format", NULL, SPARTA_FLAG_STRING, "text", "output format: text or json"),
    FLAG("nocolor", "no-color", SPARTA_FLAG_BOOL, NULL, "never colour log output"),
    FLAG("noop", NULL, SPARTA_FLAG_BOOL, NULL, "dry run: build the template and archives, change nothing in AWS"),
    FLAG("timestamps", NULL, SPARTA_FLAG_BOOL, NULL, "full timestamps on log lines"),
    FLAG("outputDir", "output-dir", SPARTA_FLAG_STRING, ".sparta", "where templates and archives are written"),
    FLAG("region", NULL, SPARTA_FLAG_STRING, NULL, "AWS region (default $AWS_REGION, the profile, service.region)"),
    FLAG("profile", NULL, SPARTA_FLAG_STRING, NULL, "AWS profile from ~/.aws/config (default $AWS_PROFILE)"),
};

static const sparta_flag_spec provision_flags[] = {
    FLAG("s3Bucket", "s3-bucket", SPARTA_FLAG_STRING, NULL, "S3 bucket for code archives and the template"),
    FLAG("stackName", "stack-name", SPARTA_FLAG_STRING, NULL, "stack name (default service.stackName)"),
    FLAG("buildID", "build-id", SPARTA_FLAG_STRING, NULL, "build identifier recorded in the sparta:buildID tag"),
    FLAG("param", NULL, SPARTA_FLAG_LIST, NULL, "stack parameter KEY=VALUE"),
    FLAG("tag", NULL, SPARTA_FLAG_LIST, NULL, "stack tag KEY=VALUE"),
    FLAG("method", NULL, SPARTA_FLAG_STRING, "change-set", "change-set (preview, default) or direct"),
    FLAG("noExecute", "no-execute", SPARTA_FLAG_BOOL, NULL, "create the change set, print it, do not execute"),
    FLAG("failOnEmptyChangeset", "fail-on-empty-changeset", SPARTA_FLAG_BOOL, NULL,
         "exit non-zero when there is nothing to change"),
    FLAG("pollInterval", "poll-interval", SPARTA_FLAG_INT, "1000",
         "first wait between stack polls in ms (backs off to 5 s)"),
};

static const sparta_flag_spec diff_flags[] = {
    FLAG("s3Bucket", "s3-bucket", SPARTA_FLAG_STRING, NULL, "S3 bucket for code archives and the template"),
    FLAG("stackName", "stack-name", SPARTA_FLAG_STRING, NULL, "stack name (default service.stackName)"),
    FLAG("param", NULL, SPARTA_FLAG_LIST, NULL, "stack parameter KEY=VALUE"),
    FLAG("exitCode", "exit-code", SPARTA_FLAG_BOOL, NULL, "exit 1 when there are changes"),
};

static const sparta_flag_spec validate_flags[] = {
    FLAG("s3Bucket", "s3-bucket", SPARTA_FLAG_STRING, NULL, "S3 bucket the template will name for code archives"),
    FLAG("stackName", "stack-name", SPARTA_FLAG_STRING, NULL, "stack name (default service.stackName)"),
};

static const sparta_flag_spec status_flags[] = {
    FLAG("stackName", "stack-name", SPARTA_FLAG_STRING, NULL, "stack name (default service.stackName)"),
    FLAG("redact", NULL, SPARTA_FLAG_BOOL, NULL, "mask AWS account IDs"),
};

static const sparta_flag_spec delete_flags[] = {
    FLAG("stackName", "stack-name", SPARTA_FLAG_STRING, NULL, "stack name (default service.stackName)"),
    FLAG("noWait", "no-wait", SPARTA_FLAG_BOOL, NULL, "return once the delete has started"),
    FLAG("pollInterval", "poll-interval", SPARTA_FLAG_INT, "1000", "first wait between stack polls in ms"),
};

static const sparta_flag_spec describe_flags[] = {
    FLAG("out", NULL, SPARTA_FLAG_STRING, NULL, "file to write (default <outputDir>/<stack>.<format>; - for stdout)"),
    FLAG("template", NULL, SPARTA_FLAG_STRING, NULL, "a CloudFormation template file to describe instead"),
    FLAG("stackName", "stack-name", SPARTA_FLAG_STRING, NULL, "stack name (default service.stackName)"),
    FLAG("s3Bucket", "s3-bucket", SPARTA_FLAG_STRING, NULL, "S3 bucket shown for code archives"),
};

static const sparta_command_spec builtin_commands[] = {
    {sizeof(sparta_command_spec), "version", NULL, "Print the version, git SHA, plugin ABI and build date",
     NULL, NULL, sparta__cmd_version, NULL, 0},
    {sizeof(sparta_command_spec), "plugins", NULL, "List the loaded plugins and what they registered",
     "Lists every plugin enabled in sparta.cfg: name, version, ABI, path, commands and hooks.", NULL,
     sparta__cmd_plugins, NULL, 0},
    {sizeof(sparta_command_spec), "provision", NULL, "Build, upload and deploy the service stack",
     "Runs every phase: CONFIGURE, BUILD, DECORATE, ARCHIVE, VALIDATE, MARSHAL, then PUBLISH (archives "
     "and template to S3) and CONVERGE (a CloudFormation change set). With --noop it stops after "
     "MARSHAL and writes the template and archives to --outputDir.",
     NULL, sparta__cmd_provision, provision_flags, sizeof provision_flags / sizeof *provision_flags},
    {sizeof(sparta_command_spec), "validate", NULL, "Check sparta.cfg and the template graph",
     "Runs the phases through VALIDATE and reports every problem found, not just the first.", NULL,
     sparta__cmd_validate, validate_flags, sizeof validate_flags / sizeof *validate_flags},
    {sizeof(sparta_command_spec), "diff", NULL, "Show what provision would change",
     "Creates a real change set, prints it as a table (action, logical ID, type, replacement) and a diff of "
     "the template against the deployed one, then deletes the change set. --exit-code returns 1 when "
     "there are changes.",
     NULL, sparta__cmd_diff, diff_flags, sizeof diff_flags / sizeof *diff_flags},
    {sizeof(sparta_command_spec), "status", NULL, "Show the deployed stack",
     "Stack status and reason, created/updated times, parameters, tags and outputs.", NULL, sparta__cmd_status,
     status_flags, sizeof status_flags / sizeof *status_flags},
    {sizeof(sparta_command_spec), "delete", NULL, "Delete the service stack",
     "Deletes the stack and waits until it is gone. A stack that does not exist is not an error.", NULL,
     sparta__cmd_delete, delete_flags, sizeof delete_flags / sizeof *delete_flags},
    {sizeof(sparta_command_spec), "describe", NULL, "Draw the service: one HTML page with its graph and template",
     "Synthesizes the template (or reads --template FILE) and writes a self-contained HTML page: the graph "
     "laid out by Graphviz (a node per resource, parameter and output; edges for Ref, Fn::GetAtt, Fn::Sub and "
     "DependsOn), each node's properties, a summary and the template. An --out name ending in .svg, .dot or "
     ".json (or --format json) writes the other forms.",
     NULL, sparta__cmd_describe, describe_flags, sizeof describe_flags / sizeof *describe_flags},
    {sizeof(sparta_command_spec), "completion", NULL, "Print a shell completion script (bash, zsh, fish)",
     "Generates completion for every command, plugin commands included:\n"
     "  source <(sparta completion bash)", "bash|zsh|fish", sparta__cmd_completion, NULL, 0},
};

static const char *owner_name(const void *owner) {
    return owner ? ((const sparta_plugin *)owner)->name : "sparta";
}

int sparta__builtin_commands_register(sparta_host *host) {
    sparta__command_tree_set_owner_namer(host->commands, owner_name);
    for (size_t i = 0; i < sizeof global_flags / sizeof *global_flags; i++)
        if (sparta__command_flag_add(host->commands, "", &global_flags[i], &host->builtin, &host->error) != 0)
            return host->error.code;
    for (size_t i = 0; i < sizeof builtin_commands / sizeof *builtin_commands; i++)
        if (sparta__command_add(host->commands, &builtin_commands[i], &host->builtin, &host->error) != 0)
            return host->error.code;
    return 0;
}

int sparta__builtin_stack_and_client(sparta_host *host, const sparta_invocation *inv, const char **stack,
                                     sparta__aws_client **aws) {
    *stack = sparta__invocation_flag_string(inv, "stackName");
    if (!*stack) *stack = sparta__host_service(host, "stackName");
    if (!*stack)
        return sparta__error_set(&host->error, SPARTA_EUSAGE,
                                 "which stack? set service.name in sparta.cfg or pass --stackName NAME");
    return sparta__host_aws(host, aws);
}

int sparta__builtin_json(const sparta_invocation *inv) {
    const char *format = sparta__invocation_flag_string(inv, "format");
    return format && strcmp(format, "json") == 0;
}
