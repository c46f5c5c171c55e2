/* The whole flow against moto_server: the pipeline stack converged (and a
 * rerun that changes nothing), the generated pipeline and project accepted
 * by CodePipeline's and CodeBuild's own APIs, the package uploaded to a
 * versioned bucket, an unversioned bucket refused, and an OAuth token that
 * reaches CloudFormation only as a parameter value. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "local_aws.h"
#include "pipeline_support.h"
#include "pipeline_tests.h"

/* Started by the first moto test (main checked that moto_server is there),
 * reset by every later one. */
static local_aws moto;

#define PIPELINE_RUN "provisionPipeline --pipeline delivery --repo " PL_REPO " --connectionArn " PL_CONNECTION
#define TOKEN "ghp_MOTOtokenNeverLogged0123456789abcdef"

static void fresh(void) {
    CU_ASSERT_EQUAL_FATAL(local_aws_fresh(&moto), 0);
}

void pl_moto_stop(void) {
    local_aws_stop(&moto);
}

static void bucket(const char *name, const char *versioning) {
    CU_ASSERT_EQUAL_FATAL(local_aws_clif(&moto, NULL, "s3api create-bucket --bucket %s", name), 0);
    if (versioning)
        CU_ASSERT_EQUAL_FATAL(local_aws_clif(&moto, NULL, "s3api put-bucket-versioning --bucket %s "
                                                          "--versioning-configuration Status=%s",
                                             name, versioning),
                              0);
}

static char *stack_status(const char *stack) {
    char *out = NULL; /* quietly: a missing stack is an answer here */
    if (local_aws_clif(&moto, &out,
                       "cloudformation describe-stacks --stack-name %s --query 'Stacks[0].StackStatus' --output text",
                       stack) != 0) {
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
    CU_ASSERT_EQUAL(test_service_sparta(&pl_svc, &out, "buildspec"), 0);
    free(out);
    int rc = test_service_sparta(&pl_svc, &out, PIPELINE_RUN);
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
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out,
                                  "cloudformation describe-stack-resources --stack-name hello-delivery --query "
                                  "'StackResources[].LogicalResourceId' --output text"),
                    0);
    TEST_ASSERT_CONTAINS(out, "ArtifactBucket");
    TEST_ASSERT_CONTAINS(out, "PipelineRole");
    TEST_ASSERT_CONTAINS(out, "DeployRole");
    free(out);
    /* A second run with no change is a no-op. */
    CU_ASSERT_EQUAL(test_service_sparta(&pl_svc, &out, PIPELINE_RUN), 0);
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
    CU_ASSERT_EQUAL(
        local_aws_clif(&moto, NULL, "codepipeline create-pipeline --cli-input-json 'file://%s/pipeline.json'", pl_svc.dir),
        0);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out,
                                  "codepipeline get-pipeline --name hello-delivery --output json | python3 -c "
                                  "'import json,sys; p=json.load(sys.stdin)[\"pipeline\"]; "
                                  "[print(\"\\t\".join([s[\"name\"]]+[a[\"name\"] for a in s[\"actions\"]])) "
                                  "for s in p[\"stages\"]]'"),
                    0);
    if (out) CU_ASSERT_STRING_EQUAL(out, api_stages);
    free(out);
    CU_ASSERT_EQUAL(
        local_aws_clif(&moto, NULL, "codebuild create-project --cli-input-json 'file://%s/project.json'", pl_svc.dir),
        0);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out,
                                  "codebuild batch-get-projects --names hello-delivery-build --query "
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
    int rc = test_service_sparta(&pl_svc, &out,
                                 "provision --s3Bucket versioned-artifacts --codePipelinePackage pipeline.zip");
    if (rc != 0) fprintf(stderr, "\n%s\n", out);
    CU_ASSERT_EQUAL(rc, 0);
    TEST_ASSERT_CONTAINS(out, "Pipeline package written");
    TEST_ASSERT_CONTAINS(out, "Not converging the stack");
    free(out);
    CU_ASSERT_EQUAL(
        local_aws_cli(&moto, &out,
                      "s3api list-objects-v2 --bucket versioned-artifacts --query 'Contents[].Key' --output text"),
        0);
    TEST_ASSERT_CONTAINS(out, "hello/api-");
    TEST_ASSERT_CONTAINS(out, "hello/worker-");
    free(out);
    CU_ASSERT_EQUAL(pl_check(NULL, "package .sparta/pipeline.zip test=LOGLEVEL:debug prod=LOGLEVEL:warn"), 0);
    /* The code the template names is in the bucket the package will use. */
    CU_ASSERT_EQUAL(test_sh(NULL, "cd '%s' && unzip -p .sparta/pipeline.zip cloudformation.json | grep -q versioned-artifacts",
                            pl_svc.dir),
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
    CU_ASSERT_EQUAL(
        test_service_sparta(&pl_svc, &out, "provision --s3Bucket plain-bucket --codePipelinePackage pipeline.zip"), 2);
    TEST_ASSERT_CONTAINS(out, "bucket plain-bucket is not versioned (versioning was never enabled)");
    TEST_ASSERT_CONTAINS(out, "put-bucket-versioning --bucket plain-bucket");
    free(out);
    CU_ASSERT_EQUAL(
        test_service_sparta(&pl_svc, &out, "provision --s3Bucket suspended-bucket --codePipelinePackage pipeline.zip"),
        2);
    TEST_ASSERT_CONTAINS(out, "versioning is suspended");
    free(out);
    /* Refused before anything was uploaded. */
    CU_ASSERT_EQUAL(
        local_aws_cli(&moto, &out, "s3api list-objects-v2 --bucket plain-bucket --query 'KeyCount' --output text"), 0);
    if (out) CU_ASSERT_EQUAL(atoi(out), 0);
    free(out);
    CU_ASSERT_NOT_EQUAL(test_sh(NULL, "test -e '%s/.sparta/pipeline.zip'", pl_svc.dir), 0);
}

void test_moto_oauth_token_stays_secret(void) {
    fresh();
    pl_service(NULL, pl_codepipeline_cfg);
    bucket(PL_BUCKET, NULL);
    char *path = test_strf("%s/token", pl_svc.dir);
    test_write_file(path, TOKEN "\n");
    free(path);
    char *out = NULL;
    int rc = test_service_sparta(&pl_svc, &out,
                                 "--level debug provisionPipeline --pipeline delivery --repo " PL_REPO
                                 " --oauth @token > run.log 2>&1; s=$?; cat run.log; exit $s");
    if (rc != 0) fprintf(stderr, "\n%s\n", out);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_PTR_NULL(strstr(out, TOKEN));
    free(out);
    /* From the environment too, with JSON logs. */
    rc = test_service_sparta_prefixed(
        &pl_svc, &out, "SPARTA_GITHUB_TOKEN=" TOKEN,
        "--format json --level debug provisionPipeline --pipeline delivery --repo " PL_REPO " > run2.log 2>&1");
    CU_ASSERT_EQUAL(rc, 0);
    free(out);
    /* No file the runs wrote holds it (the token file itself aside). */
    CU_ASSERT_NOT_EQUAL(test_sh(&out, "cd '%s' && grep -rl '" TOKEN "' . | grep -v '^./token$'", pl_svc.dir), 0);
    free(out);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "cloudformation get-template --stack-name hello-delivery --output json"),
                    0);
    CU_ASSERT_PTR_NULL(out ? strstr(out, TOKEN) : NULL);
    TEST_ASSERT_CONTAINS(out, "GitHubOAuthToken");
    free(out);
    /* It did reach CloudFormation, as the parameter (moto does not mask NoEcho). */
    CU_ASSERT_EQUAL(
        local_aws_cli(&moto, &out,
                      "cloudformation describe-stacks --stack-name hello-delivery --query "
                      "'Stacks[0].Parameters[?ParameterKey==`GitHubOAuthToken`].ParameterValue' --output text"),
        0);
    CU_ASSERT(out && (strstr(out, TOKEN) || strstr(out, "****")));
    free(out);
}
