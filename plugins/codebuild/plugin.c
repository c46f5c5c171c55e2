/* The codebuild plugin: the build half of a service's own CI/CD pipeline.
 * It owns the `codebuild` group of sparta.cfg (image, compute type, timeout,
 * variables, buildspec path, commands, pull-request builds), writes the
 * buildspec with `sparta buildspec`, and checks its settings in CONFIGURE.
 * The codepipeline plugin turns the same settings into CodeBuild projects. */
#include "codebuild.h"
#include "plugin_internal.h"

int codebuild_configure(sparta_plugin *p, sparta_graph *g, void *state) {
    codebuild_settings s;
    int rc = codebuild_settings_load(p, &s);
    codebuild_settings_free(&s);
    return rc;
}

static int init(sparta_plugin *p, const sparta_host_api *host, void **state) {
    codebuild_api = host;
    static const sparta_flag_spec flags[] = {
        {sizeof(sparta_flag_spec), "force", NULL, SPARTA_FLAG_BOOL, NULL,
         "replace a buildspec that `sparta buildspec` did not write", 0},
        {sizeof(sparta_flag_spec), "stdout", NULL, SPARTA_FLAG_BOOL, NULL, "print the buildspec instead of writing it",
         0},
    };
    static const sparta_command_spec buildspec = {
        sizeof(sparta_command_spec), "buildspec", NULL, "Write the pipeline's buildspec.yml",
        "Writes codebuild.buildspec (default buildspec.yml, next to sparta.cfg): version 0.2; it installs the "
        "build dependencies (codebuild.install), builds and tests the service (codebuild.build, codebuild.test), "
        "runs `sparta provision --s3Bucket $ARTIFACT_BUCKET --codePipelinePackage pipeline.zip` and unpacks it "
        "so the build artifact holds cloudformation.json and one <environment>.json per environment. Commit the "
        "file: the pipeline that `sparta provisionPipeline` creates runs it.",
        NULL, codebuild_cmd_buildspec, flags, sizeof flags / sizeof *flags};
    static const sparta_hook_spec configure = {sizeof(sparta_hook_spec), SPARTA_PHASE_CONFIGURE, 100,
                                               codebuild_configure};
    int rc = host->schema_set(p, codebuild_schema, codebuild_schema_count);
    if (rc == 0) rc = host->command_add(p, &buildspec);
    if (rc == 0) rc = host->hook_add(p, &configure);
    return rc;
}

SPARTA_PLUGIN_DEFINE("codebuild", "0.1.0", "CodeBuild settings and the pipeline's buildspec", "Apache-2.0", init,
                     NULL)
