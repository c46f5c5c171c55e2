/* The codepipeline plugin: a service that provisions its own CI/CD pipeline.
 *   codepipeline = { environments = ( {...}, ... ); }  the stacks, in order
 *   provision --codePipelinePackage NAME.zip           what the build produces
 *   provisionPipeline --pipeline --repo ...            the pipeline's own stack
 * See codepipeline.h for the parts. */
#include "codepipeline.h"

static int init(sparta_plugin *p, const sparta_host_api *host, void **state) {
    codebuild_api = host;
    static const sparta_flag_spec package = {
        sizeof(sparta_flag_spec), "codePipelinePackage", "code-pipeline-package", SPARTA_FLAG_STRING, NULL,
        "write <outputDir>/NAME.zip (template + <environment>.json) for the pipeline instead of converging", 0};
    static const sparta_flag_spec flags[] = {
        {sizeof(sparta_flag_spec), "pipeline", NULL, SPARTA_FLAG_STRING, NULL,
         "the pipeline's name: its stack is <service>-<pipeline>", 1},
        {sizeof(sparta_flag_spec), "repo", NULL, SPARTA_FLAG_STRING, NULL,
         "https://github.com/OWNER/REPO[/tree/BRANCH] (branch default main)", 1},
        {sizeof(sparta_flag_spec), "s3Bucket", "s3-bucket", SPARTA_FLAG_STRING, NULL,
         "S3 bucket for the pipeline stack's template (default service.s3Bucket)", 0},
        {sizeof(sparta_flag_spec), "connectionArn", "connection-arn", SPARTA_FLAG_STRING, NULL,
         "CodeStar/CodeConnections connection to GitHub (preferred)", 0},
        {sizeof(sparta_flag_spec), "githubTokenSecret", "github-token-secret", SPARTA_FLAG_STRING, NULL,
         "Secrets Manager secret holding the GitHub OAuth token under the JSON key \"token\"", 0},
        {sizeof(sparta_flag_spec), "oauth", NULL, SPARTA_FLAG_STRING, NULL,
         "GitHub OAuth token, or @FILE to read it (default $" CP_TOKEN_ENV "); passed as a NoEcho parameter", 0},
    };
    static const sparta_command_spec provision_pipeline = {
        sizeof(sparta_command_spec), "provisionPipeline", "provision-pipeline",
        "Create or update the service's CI/CD pipeline stack",
        "Converges the stack <service>-<pipeline>: a versioned, encrypted, TLS-only artifact bucket (kept on "
        "delete), least-privilege roles, the CodeBuild project that runs the repository's buildspec, and a "
        "CodePipeline: Source (GitHub) -> UpdatePipeline (the stack updates itself; codepipeline.updatePipeline) "
        "-> Build -> one stage per codepipeline environment, in order: an optional manual approval (or, with "
        "approval = \"alarms\", a CodeBuild gate that runs `sparta alarms watch` on the previous environment's "
        "stack), then a "
        "CloudFormation change set, created and executed, with that environment's <environment>.json. GitHub "
        "access: --connectionArn (preferred), --githubTokenSecret, or --oauth TOKEN|@FILE / $" CP_TOKEN_ENV ". "
        "With --noop it writes the template to --outputDir and says what it would create.",
        NULL, cp_cmd_provision_pipeline, flags, sizeof flags / sizeof *flags};
    static const sparta_hook_spec hooks[] = {
        {sizeof(sparta_hook_spec), SPARTA_PHASE_CONFIGURE, 100, cp_configure},
        {sizeof(sparta_hook_spec), SPARTA_PHASE_DECORATE, 100, cp_decorate},
        {sizeof(sparta_hook_spec), SPARTA_PHASE_VALIDATE, 100, cp_check_bucket},
        {sizeof(sparta_hook_spec), SPARTA_PHASE_PUBLISH, 900, cp_publish},
    };
    int rc = host->schema_set(p, cp_schema, cp_schema_count);
    if (rc == 0) rc = host->flag_add(p, "provision", &package);
    if (rc == 0) rc = host->command_add(p, &provision_pipeline);
    for (size_t i = 0; rc == 0 && i < sizeof hooks / sizeof *hooks; i++) rc = host->hook_add(p, &hooks[i]);
    return rc;
}

SPARTA_PLUGIN_DEFINE("codepipeline", "0.1.0", "Per-environment parameters, the pipeline package and the pipeline stack",
                     "Apache-2.0", init, NULL)
