/* Bad input: each a clear error (what, where, what to do) before anything
 * is created. */
#include <stdlib.h>
#include <string.h>

#include "pipeline_support.h"
#include "pipeline_tests.h"

typedef struct bad_case {
    const char *codebuild, *codepipeline; /* config groups; NULL: the defaults below */
    const char *pre;  /* shell words before sparta: "VAR=x", "env -u VAR" */
    const char *args;
    int status;
    const char *message;
} bad_case;

#define PIPE "provisionPipeline --noop --pipeline delivery "
#define CONN " --connectionArn " PL_CONNECTION

static void run_cases(const bad_case *cases, size_t count) {
    for (size_t i = 0; i < count; i++) {
        const bad_case *c = &cases[i];
        pl_service(c->codebuild, c->codepipeline ? c->codepipeline : pl_codepipeline_cfg);
        char *out = NULL;
        int status = test_service_sparta_prefixed(&pl_svc, &out, c->pre, c->args);
        if (status != c->status || !out || !strstr(out, c->message))
            fprintf(stderr, "\ncase %zu: sparta %s\n  exit %d (want %d)\n  output: %s\n  want: %s\n", i, c->args,
                    status, c->status, out ? out : "", c->message);
        CU_ASSERT_EQUAL(status, c->status);
        TEST_ASSERT_CONTAINS(out, c->message);
        /* Nothing was written for a refused pipeline. */
        if (strncmp(c->args, "provisionPipeline", 17) == 0)
            CU_ASSERT_NOT_EQUAL(test_sh(NULL, "ls '%s'/.sparta/*.template.json", pl_svc.dir), 0);
        free(out);
    }
}

void test_bad_repo_urls(void) {
    static const bad_case cases[] = {
        {NULL, NULL, NULL, PIPE "--repo https://gitlab.com/acme/hello" CONN, 2, "is not a GitHub repository URL"},
        {NULL, NULL, NULL, PIPE "--repo git@github.com:acme/hello.git" CONN, 2, "is an SSH URL: use https://github.com/OWNER/REPO"},
        {NULL, NULL, NULL, PIPE "--repo https://github.com/acme" CONN, 2, "does not name an owner and a repository"},
        {NULL, NULL, NULL, PIPE "--repo https://github.com/acme/hello/blob/main/README.md" CONN, 2,
         "has '/blob/main/README.md' after the repository"},
        {NULL, NULL, NULL, PIPE "--repo 'https://github.com/acme/hello/tree/bad..branch'" CONN, 2,
         "'bad..branch' is not a valid branch name"},
        {NULL, NULL, NULL, PIPE "--repo https://github.com/-acme/hello" CONN, 2, "does not name an owner"},
        {NULL, NULL, NULL, "provisionPipeline --noop --pipeline delivery" CONN, 2, "--repo"},
        {NULL, NULL, NULL, "provisionPipeline --noop --pipeline 'my pipe' --repo " PL_REPO CONN, 2,
         "--pipeline 'my pipe' is not a valid name"},
    };
    run_cases(cases, sizeof cases / sizeof *cases);
}

void test_bad_credentials(void) {
    static const bad_case cases[] = {
        {NULL, NULL, "env -u SPARTA_GITHUB_TOKEN", PIPE "--repo " PL_REPO, 2,
         "provisionPipeline needs GitHub credentials: --connectionArn ARN (preferred)"},
        {NULL, NULL, NULL, PIPE "--repo " PL_REPO " --connectionArn ''", 2, "--connectionArn is empty"},
        {NULL, NULL, NULL, PIPE "--repo " PL_REPO " --connectionArn arn:aws:iam::123456789012:role/x", 2,
         "is not a connection ARN"},
        {NULL, NULL, NULL, PIPE "--repo " PL_REPO CONN " --githubTokenSecret gh", 2, "give one source credential, not 2"},
        {NULL, NULL, NULL, PIPE "--repo " PL_REPO " --oauth @/nonexistent/token", 2, "cannot read the token file"},
        {NULL, NULL, "touch empty &&", PIPE "--repo " PL_REPO " --oauth @empty", 2, "the token file is empty"},
        {NULL, NULL, "SPARTA_GITHUB_TOKEN=", PIPE "--repo " PL_REPO, 2, "$SPARTA_GITHUB_TOKEN is empty"},
        {NULL, NULL, NULL, PIPE "--repo " PL_REPO " --githubTokenSecret 'a b'", 2, "is not a Secrets Manager name"},
    };
    run_cases(cases, sizeof cases / sizeof *cases);
}

void test_bad_config(void) {
    static const bad_case cases[] = {
        {NULL, "codepipeline = { };\n", NULL, PIPE "--repo " PL_REPO CONN, 1, "codepipeline.environments is empty"},
        {NULL, "codepipeline = { environments = ( { name = \"test\"; }, { name = \"Test\"; } ); };\n",
         NULL, PIPE "--repo " PL_REPO CONN, 1, "environment 'Test' is declared twice"},
        {NULL, "codepipeline = { environments = ( { name = \"test\"; stackName = \"1bad_name\"; } ); };\n",
         NULL, PIPE "--repo " PL_REPO CONN, 1, "stackName '1bad_name' is not a valid CloudFormation stack name"},
        {NULL, "codepipeline = { environments = ( { name = \"a\"; stackName = \"same\"; }, { name = \"b\"; "
               "stackName = \"same\"; } ); };\n",
         NULL, PIPE "--repo " PL_REPO CONN, 1, "environments 'a' and 'b' would both deploy the stack same"},
        {NULL, "codepipeline = { environments = ( { name = \"test_env\"; } ); };\n", NULL, PIPE "--repo " PL_REPO CONN, 1,
         "name 'test_env' is not valid"},
        {NULL, "codepipeline = { environments = ( { name = \"test\"; variables = { my-var = \"x\"; }; } ); };\n",
         NULL, PIPE "--repo " PL_REPO CONN, 1, "'my-var' is not a valid name"},
        {NULL, "codepipeline = { environments = ( { name = \"test\"; variables = { AWS_REGION = \"x\"; }; } ); };\n",
         NULL, PIPE "--repo " PL_REPO CONN, 1, "'AWS_REGION' is reserved by Lambda"},
        {NULL, "codepipeline = { environments = ( { name = \"test\"; variables = { X = \"x\"; }; } ); };\n",
         NULL, PIPE "--repo " PL_REPO CONN, 1, "'X' is not a valid name"},
        {NULL, "codepipeline = { environments = ( { name = \"test\"; variables = { LOG_LEVEL = \"a\"; LOGLEVEL = "
               "\"b\"; }; } ); };\n",
         NULL, PIPE "--repo " PL_REPO CONN, 1, "variables LOG_LEVEL and LOGLEVEL would both become the template parameter LOGLEVEL"},
        {NULL, "codepipeline = { environments = ( { name = \"test\"; approval = \"maybe\"; } ); };\n",
         NULL, PIPE "--repo " PL_REPO CONN, 1, "approval 'maybe' is not none, manual or alarms"},
        {NULL, "codepipeline = { environments = ( { name = \"test\"; stackPolicy = { Effect = \"Deny\"; }; } ); };\n",
         NULL, PIPE "--repo " PL_REPO CONN, 1, "must be a stack policy group with a Statement list"},
        {NULL, "codepipeline = { environments = ( { name = \"test\"; } ); deployPrivileges = ( { actions = [ "
               "\"s3:*\" ]; resources = [ \"*\" ]; } ); };\n",
         NULL, PIPE "--repo " PL_REPO CONN, 1, "'s3:*' grants every action of the service"},
        {"codebuild = { computeType = \"HUGE\"; timeout = 3; };\n", NULL, NULL, PIPE "--repo " PL_REPO CONN, 1,
         "sparta.cfg has 2 problems"},
        {"codebuild = { environment = { CODEBUILD_X = \"1\"; }; };\n", NULL, NULL, PIPE "--repo " PL_REPO CONN, 1,
         "CODEBUILD_X is reserved"},
        {"codebuild = { buildspec = \"../outside.yml\"; };\n", NULL, NULL, "buildspec", 1,
         "'../outside.yml' must be a path inside the repository"},
    };
    run_cases(cases, sizeof cases / sizeof *cases);
}

void test_bad_package_flag(void) {
    if (!pl_plugin_built("lambda")) return;
    static const bad_case cases[] = {
        {NULL, NULL, NULL, "provision --noop --codePipelinePackage out/pipeline.zip", 2,
         "--codePipelinePackage 'out/pipeline.zip' is not a file name ending in .zip"},
        {NULL, NULL, NULL, "provision --noop --code-pipeline-package pipeline.tar", 2, "is not a file name ending in .zip"},
        {NULL, "codepipeline = { };\n", NULL, "provision --noop --codePipelinePackage pipeline.zip", 1,
         "--codePipelinePackage needs codepipeline.environments"},
    };
    run_cases(cases, sizeof cases / sizeof *cases);
}

/* approval = "alarms" watches the previous environment's stack with the
 * rollback plugin's command: both must exist. The group is on line 6 of
 * sparta.cfg (pl_service writes five lines before it). */
void test_bad_alarm_gate(void) {
    static const bad_case cases[] = {
        {NULL, "codepipeline = { environments = ( { name = \"test\"; approval = \"alarms\"; }, { name = \"prod\"; } ); };\n",
         "sed -i 's/\"codepipeline\" ]/\"codepipeline\", \"rollback\" ]/' sparta.cfg &&", PIPE "--repo " PL_REPO CONN, 1,
         "sparta.cfg:6: codepipeline.environments.[0]: approval = \"alarms\" gates a promotion on the alarms of the "
         "previous environment's stack, and 'test' is the first environment: there is none to watch"},
        {NULL, "codepipeline = { environments = ( { name = \"test\"; }, { name = \"prod\"; approval = \"alarms\"; } ); };\n",
         NULL, PIPE "--repo " PL_REPO CONN, 1,
         "sparta.cfg:6: codepipeline.environments.[1]: approval = \"alarms\" needs the rollback plugin (its alarms and "
         "`sparta alarms watch` are the gate): enable it, plugins = { enabled = [ ..., \"rollback\" ]; };"},
        {NULL, "codepipeline = { environments = ( { name = \"test\"; }, { name = \"prod\"; approval = \"alarms\"; } ); };\n",
         NULL, "provision --noop", 1, "approval = \"alarms\" needs the rollback plugin"},
    };
    if (!pl_plugin_built("rollback")) return;
    run_cases(cases, pl_plugin_built("lambda") ? 3 : 2);
}
