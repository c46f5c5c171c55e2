#include "fixture.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int plugin_codepipeline, plugin_ops;

static const char *owner_name(const void *owner) {
    if (owner == &plugin_codepipeline) return "codepipeline";
    if (owner == &plugin_ops) return "ops";
    return NULL;
}

int fixture_run(sparta_plugin *p, const sparta_invocation *inv, void *state) { return 0; }

#define FLAG(name, alias, type, def, usage, req) \
    {sizeof(sparta_flag_spec), name, alias, SPARTA_FLAG_##type, def, usage, req}

static const sparta_flag_spec globals[] = {
    FLAG("config", NULL, STRING, NULL, "path to sparta.cfg", 0),
    FLAG("level", NULL, STRING, "info", "log level: debug, info, warn or error", 0),
    FLAG("format", NULL, STRING, "text", "log format: text or json", 0),
    FLAG("nocolor", NULL, BOOL, NULL, "never colour the output", 0),
    FLAG("noop", NULL, BOOL, NULL, "dry run: build and write, touch nothing in AWS", 0),
    FLAG("outputDir", NULL, STRING, ".sparta", "where templates and archives go", 0),
};

static const sparta_flag_spec provision_flags[] = {
    FLAG("s3Bucket", NULL, STRING, NULL, "S3 bucket for code archives", 0),
    FLAG("buildTags", NULL, LIST, NULL, "a tag for the build, KEY=VALUE", 0),
    FLAG("memory", NULL, INT, "128", "default function memory in MB", 0),
    FLAG("retries", NULL, INT, NULL, "how often to retry", 0),
    FLAG("wait", NULL, BOOL, "true", "wait for the stack to settle", 0),
};

static const sparta_flag_spec delete_flags[] = {
    FLAG("stackName", NULL, STRING, NULL, "the stack to delete", 1),
};

static const sparta_flag_spec pipeline_flags[] = {
    FLAG("pipelineName", NULL, STRING, NULL, "name of the pipeline", 0),
};

static const sparta_flag_spec show_flags[] = {
    FLAG("verbose", "v-v", BOOL, NULL, "show every stage", 0),
};

static void add(sparta_command_tree *t, const char *path, const char *summary, const char *args,
                const sparta_flag_spec *flags, size_t n, void *owner) {
    sparta_command_spec spec = {sizeof spec, path, NULL, summary, NULL, args, fixture_run, flags, n};
    sparta_error_slot err = {0};
    int rc = sparta__command_add(t, &spec, owner, &err);
    if (rc) fprintf(stderr, "fixture: %s\n", err.message);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
}

sparta_command_tree *fixture_tree(void) {
    sparta_command_tree *t = sparta__command_tree_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    sparta__command_tree_set_owner_namer(t, owner_name);
    sparta_error_slot err = {0};
    for (size_t i = 0; i < sizeof globals / sizeof *globals; i++)
        CU_ASSERT_EQUAL_FATAL(sparta__command_flag_add(t, "", &globals[i], NULL, &err), 0);
    add(t, "version", "Print the version", NULL, NULL, 0, NULL);
    add(t, "provision", "Provision the service", NULL, provision_flags, 5, NULL);
    add(t, "delete", "Delete the stack", NULL, delete_flags, 1, NULL);
    add(t, "describe", "Describe the service", NULL, NULL, 0, NULL);
    add(t, "status", "Show the stack's status", NULL, NULL, 0, NULL);
    add(t, "completion", "Generate a shell completion script", "bash|zsh|fish", NULL, 0, NULL);
    add(t, "internalDebug", "Hidden on purpose", NULL, NULL, 0, NULL);
    sparta__command_set_hidden(sparta__command_find(t, "internalDebug"), 1);
    /* what plugins register */
    add(t, "provisionPipeline", "Provision the CI/CD pipeline", NULL, pipeline_flags, 1, &plugin_codepipeline);
    sparta_flag_spec package = FLAG("codePipelinePackage", NULL, STRING, NULL,
                                    "write the pipeline's source package to this path", 0);
    CU_ASSERT_EQUAL_FATAL(sparta__command_flag_add(t, "provision", &package, &plugin_codepipeline, &err), 0);
    add(t, "pipeline show", "Show a pipeline", "[NAME]", show_flags, 1, &plugin_ops);
    return t;
}

int fixture_parse(sparta_command_tree *t, sparta_invocation **inv, sparta_error_slot *err, ...) {
    const char *argv[32];
    int argc = 0;
    va_list ap;
    va_start(ap, err);
    for (const char *a; argc < 31 && (a = va_arg(ap, const char *));) argv[argc++] = a;
    va_end(ap);
    argv[argc] = NULL;
    sparta__error_clear(err);
    return sparta__command_parse(t, argc, argv, inv, err);
}
