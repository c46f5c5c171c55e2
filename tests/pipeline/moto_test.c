/* The whole flow against moto_server: the pipeline stack converged (and a
 * rerun that changes nothing), the generated pipeline and project accepted
 * by CodePipeline's and CodeBuild's own APIs, the package uploaded to a
 * versioned bucket, an unversioned bucket refused, and an OAuth token that
 * reaches CloudFormation only as a parameter value. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "local_aws.h"
#include "pipeline_support.h"
#include "pipeline_tests.h"

static local_aws moto;
static int moto_up;

#define PIPELINE_RUN "provisionPipeline --pipeline delivery --repo " PL_REPO " --connectionArn " PL_CONNECTION
#define TOKEN "ghp_MOTOtokenNeverLogged0123456789abcdef"

static void fresh(void) {
    if (!moto_up) {
        if (test_sh(NULL, "command -v moto_server && command -v aws") != 0 || local_aws_start(&moto) != 0) {
            fprintf(stderr, "\nthe pipeline suite needs moto_server and the aws CLI (see ../shared/LOCAL-AWS.md)\n");
            exit(1);
        }
        moto_up = 1;
    }
    CU_ASSERT_EQUAL_FATAL(local_aws_reset(&moto), 0);
    local_aws_set_env(&moto);
}

void pl_moto_stop(void) {
    if (moto_up) local_aws_stop(&moto);
    moto_up = 0;
}

static int aws(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int aws(char **out, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *args = NULL;
    if (vasprintf(&args, fmt, ap) < 0) args = NULL;
    va_end(ap);
    char *local = NULL;
    int rc = test_sh(&local, "cd '%s' && aws --endpoint-url '%s' --region us-east-1 %s", pl_dir ? pl_dir : "/tmp",
                     moto.endpoint, args ? args : "");
    if (rc != 0) fprintf(stderr, "\naws %s:\n%s\n", args ? args : "", local ? local : "");
    if (out) *out = local;
    else free(local);
    free(args);
    return rc;
}

static void bucket(const char *name, const char *versioning) {
    CU_ASSERT_EQUAL_FATAL(aws(NULL, "s3api create-bucket --bucket %s", name), 0);
    if (versioning)
        CU_ASSERT_EQUAL_FATAL(aws(NULL, "s3api put-bucket-versioning --bucket %s --versioning-configuration Status=%s",
                                  name, versioning),
                              0);
}

static char *stack_status(const char *stack) {
    char *out = NULL; /* quietly: a missing stack is an answer here */
    if (test_sh(&out, "aws --endpoint-url '%s' --region us-east-1 cloudformation describe-stacks --stack-name %s "
                      "--query 'Stacks[0].StackStatus' --output text",
                moto.endpoint, stack) != 0) {
        free(out);
        return NULL;
    }
    out[strcspn(out, "\n")] = '\0';
    return out;
}

/* The service with its pipeline stack converged in moto. */
static void converged_pipeline(void) {
    fresh();
    pl_service(pl_codebuild_cfg, pl_codepipeline_cfg);
    bucket(PL_BUCKET, NULL);
    char *out = NULL;
    CU_ASSERT_EQUAL(pl_sparta(&out, "buildspec"), 0);
    free(out);
    int rc = pl_sparta(&out, PIPELINE_RUN);
    if (rc != 0) fprintf(stderr, "\n%s\n", out);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    TEST_ASSERT_CONTAINS(out, "Converged stack hello-delivery");
    free(out);
}

void test_moto_provision_pipeline(void) {
    converged_pipeline();
    char *status = stack_status("hello-delivery");
    if (status) CU_ASSERT_STRING_EQUAL(status, "CREATE_COMPLETE");
    free(status);
    /* The roles and the bucket moto really creates. */
    char *out = NULL;
    CU_ASSERT_EQUAL(aws(&out, "cloudformation describe-stack-resources --stack-name hello-delivery --query "
                              "'StackResources[].LogicalResourceId' --output text"),
                    0);
    TEST_ASSERT_CONTAINS(out, "ArtifactBucket");
    TEST_ASSERT_CONTAINS(out, "PipelineRole");
    TEST_ASSERT_CONTAINS(out, "DeployRole");
    free(out);
    /* A second run with no change is a no-op. */
    CU_ASSERT_EQUAL(pl_sparta(&out, PIPELINE_RUN), 0);
    TEST_ASSERT_CONTAINS(out, "up to date");
    free(out);
    status = stack_status("hello-delivery");
    if (status) CU_ASSERT_STRING_EQUAL(status, "CREATE_COMPLETE");
    free(status);
}

static const char *const api_stages =
    "Source\tSource\n"
    "UpdatePipeline\tSynthesize\tSelfUpdate\n"
    "Build\tBuild\n"
    "test\tPrepareChanges\tExecuteChanges\n"
    "prod\tApprove\tPrepareChanges\tExecuteChanges\n";

void test_moto_pipeline_api(void) {
    converged_pipeline();
    /* moto skips the pipeline and the project inside CloudFormation: give
     * their definitions, resolved against the stack, to the APIs. */
    CU_ASSERT_EQUAL_FATAL(pl_check(NULL, "api .sparta/hello-delivery.template.json hello-delivery ."), 0);
    char *out = NULL;
    CU_ASSERT_EQUAL(aws(NULL, "codepipeline create-pipeline --cli-input-json file://pipeline.json"), 0);
    CU_ASSERT_EQUAL(aws(&out, "codepipeline get-pipeline --name hello-delivery --output json | python3 -c "
                              "'import json,sys; p=json.load(sys.stdin)[\"pipeline\"]; "
                              "[print(\"\\t\".join([s[\"name\"]]+[a[\"name\"] for a in s[\"actions\"]])) "
                              "for s in p[\"stages\"]]'"),
                    0);
    if (out) CU_ASSERT_STRING_EQUAL(out, api_stages);
    free(out);
    CU_ASSERT_EQUAL(aws(NULL, "codebuild create-project --cli-input-json file://project.json"), 0);
    CU_ASSERT_EQUAL(aws(&out, "codebuild batch-get-projects --names hello-delivery-build --query "
                              "'projects[0].[name,environment.image,environment.computeType,timeoutInMinutes,"
                              "source.type,source.buildspec]' --output text"),
                    0);
    TEST_ASSERT_CONTAINS(out, "hello-delivery-build\taws/codebuild/amazonlinux2-x86_64-standard:5.0\t"
                              "BUILD_GENERAL1_SMALL\t30\tCODEPIPELINE\tbuildspec.yml");
    free(out);
}

void test_moto_package_upload(void) {
    if (!pl_plugin_built("lambda")) return;
    fresh();
    pl_service(pl_codebuild_cfg, pl_codepipeline_cfg);
    bucket("versioned-artifacts", "Enabled");
    char *out = NULL;
    int rc = pl_sparta(&out, "provision --s3Bucket versioned-artifacts --codePipelinePackage pipeline.zip");
    if (rc != 0) fprintf(stderr, "\n%s\n", out);
    CU_ASSERT_EQUAL(rc, 0);
    TEST_ASSERT_CONTAINS(out, "Pipeline package written");
    TEST_ASSERT_CONTAINS(out, "Not converging the stack");
    free(out);
    CU_ASSERT_EQUAL(aws(&out, "s3api list-objects-v2 --bucket versioned-artifacts --query 'Contents[].Key' --output text"),
                    0);
    TEST_ASSERT_CONTAINS(out, "hello/api-");
    TEST_ASSERT_CONTAINS(out, "hello/worker-");
    free(out);
    CU_ASSERT_EQUAL(pl_check(NULL, "package .sparta/pipeline.zip test=LOGLEVEL:debug prod=LOGLEVEL:warn"), 0);
    /* The code the template names is in the bucket the package will use. */
    CU_ASSERT_EQUAL(test_sh(NULL, "cd '%s' && unzip -p .sparta/pipeline.zip cloudformation.json | grep -q versioned-artifacts",
                            pl_dir),
                    0);
    char *status = stack_status("hello");
    CU_ASSERT_PTR_NULL(status); /* not converged */
    free(status);
}

void test_moto_unversioned_bucket(void) {
    if (!pl_plugin_built("lambda")) return;
    fresh();
    pl_service(NULL, pl_codepipeline_cfg);
    bucket("plain-bucket", NULL);
    bucket("suspended-bucket", "Suspended");
    char *out = NULL;
    CU_ASSERT_EQUAL(pl_sparta(&out, "provision --s3Bucket plain-bucket --codePipelinePackage pipeline.zip"), 2);
    TEST_ASSERT_CONTAINS(out, "bucket plain-bucket is not versioned (versioning was never enabled)");
    TEST_ASSERT_CONTAINS(out, "put-bucket-versioning --bucket plain-bucket");
    free(out);
    CU_ASSERT_EQUAL(pl_sparta(&out, "provision --s3Bucket suspended-bucket --codePipelinePackage pipeline.zip"), 2);
    TEST_ASSERT_CONTAINS(out, "versioning is suspended");
    free(out);
    /* Refused before anything was uploaded. */
    CU_ASSERT_EQUAL(aws(&out, "s3api list-objects-v2 --bucket plain-bucket --query 'KeyCount' --output text"), 0);
    if (out) CU_ASSERT_EQUAL(atoi(out), 0);
    free(out);
    CU_ASSERT_NOT_EQUAL(test_sh(NULL, "test -e '%s/.sparta/pipeline.zip'", pl_dir), 0);
}

void test_moto_oauth_token_stays_secret(void) {
    fresh();
    pl_service(NULL, pl_codepipeline_cfg);
    bucket(PL_BUCKET, NULL);
    char *path = test_strf("%s/token", pl_dir);
    test_write_file(path, TOKEN "\n");
    free(path);
    char *out = NULL;
    int rc = test_sh(&out, "cd '%s' && '%s' --nocolor --level debug provisionPipeline --pipeline delivery --repo " PL_REPO
                           " --oauth @token > run.log 2>&1; s=$?; cat run.log; exit $s",
                     pl_dir, test_sparta_bin());
    if (rc != 0) fprintf(stderr, "\n%s\n", out);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_PTR_NULL(strstr(out, TOKEN));
    free(out);
    /* From the environment too, with JSON logs. */
    rc = test_sh(&out, "cd '%s' && SPARTA_GITHUB_TOKEN=" TOKEN " '%s' --format json --level debug provisionPipeline "
                       "--pipeline delivery --repo " PL_REPO " > run2.log 2>&1",
                 pl_dir, test_sparta_bin());
    CU_ASSERT_EQUAL(rc, 0);
    free(out);
    /* No file the runs wrote holds it (the token file itself aside). */
    CU_ASSERT_NOT_EQUAL(test_sh(&out, "cd '%s' && grep -rl '" TOKEN "' . | grep -v '^./token$'", pl_dir), 0);
    free(out);
    CU_ASSERT_EQUAL(aws(&out, "cloudformation get-template --stack-name hello-delivery --output json"), 0);
    CU_ASSERT_PTR_NULL(out ? strstr(out, TOKEN) : NULL);
    TEST_ASSERT_CONTAINS(out, "GitHubOAuthToken");
    free(out);
    /* It did reach CloudFormation, as the parameter (moto does not mask NoEcho). */
    CU_ASSERT_EQUAL(aws(&out, "cloudformation describe-stacks --stack-name hello-delivery --query "
                              "'Stacks[0].Parameters[?ParameterKey==`GitHubOAuthToken`].ParameterValue' --output text"),
                    0);
    CU_ASSERT(out && (strstr(out, TOKEN) || strstr(out, "****")));
    free(out);
}
