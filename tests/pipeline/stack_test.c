/* The pipeline stack as `provisionPipeline --noop` writes it: golden files,
 * cfn-lint (with no-wildcard-actions rules), the stages in order, the
 * bucket and the roles. */
#include <stdlib.h>
#include <string.h>

#include "pipeline_support.h"
#include "pipeline_tests.h"

#define TEMPLATE ".sparta/hello-delivery.template.json"

static const char *const connection_stages =
    "Source: Source[CodeStarSourceConnection]\n"
    "UpdatePipeline: Synthesize[CodeBuild] SelfUpdate[CloudFormation CREATE_UPDATE]\n"
    "Build: Build[CodeBuild]\n"
    "test: PrepareChanges[CloudFormation CHANGE_SET_REPLACE] ExecuteChanges[CloudFormation CHANGE_SET_EXECUTE]\n"
    "prod: Approve[Manual] PrepareChanges[CloudFormation CHANGE_SET_REPLACE] "
    "ExecuteChanges[CloudFormation CHANGE_SET_EXECUTE]\n";

void test_pipeline_connection_golden(void) {
    pl_service(pl_codebuild_cfg, pl_codepipeline_cfg);
    test_service_sparta(&pl_svc, NULL, "buildspec");
    char *out = NULL;
    CU_ASSERT_EQUAL(test_service_sparta(&pl_svc, &out,
                                        "provisionPipeline --noop --pipeline delivery --repo " PL_REPO
                                        " --connectionArn " PL_CONNECTION),
                    0);
    TEST_ASSERT_CONTAINS(out, "Would converge stack hello-delivery");
    TEST_ASSERT_CONTAINS(out, "manual approval, then deploys stack Prod-hello-main (prod.json)");
    TEST_ASSERT_CONTAINS(out, "deploys stack Test-hello-main (test.json)");
    CU_ASSERT_PTR_NULL(strstr(out, "buildspec.yml is missing"));
    free(out);
    char *tmpl = pl_read(TEMPLATE);
    pl_golden("pipeline-connection.template.json", tmpl);
    CU_ASSERT_EQUAL(pl_lint(TEMPLATE) & 3, 0);
    CU_ASSERT_EQUAL(pl_check(NULL, "policy " TEMPLATE), 0);
    CU_ASSERT_EQUAL(pl_check(NULL, "structure " TEMPLATE), 0);
    CU_ASSERT_EQUAL(pl_check(&out, "stages " TEMPLATE), 0);
    if (out) CU_ASSERT_STRING_EQUAL(out, connection_stages);
    free(out);
    TEST_ASSERT_CONTAINS(tmpl, "\"TemplateConfiguration\": \"BuildOutput::prod.json\"");
    TEST_ASSERT_CONTAINS(tmpl, "\"TemplatePath\": \"BuildOutput::cloudformation.json\"");
    TEST_ASSERT_CONTAINS(tmpl, "--connectionArn " PL_CONNECTION);
    /* Deploying is scoped to this service's stacks. */
    TEST_ASSERT_CONTAINS(tmpl, "stack/Prod-hello-main/*");
    TEST_ASSERT_CONTAINS(tmpl, "function:Test-hello-main-*");
    /* Byte-identical on a second run: the self-update changes nothing. */
    CU_ASSERT_EQUAL(test_service_sparta(&pl_svc, NULL,
                                        "provisionPipeline --noop --pipeline delivery --repo " PL_REPO
                                        " --connectionArn " PL_CONNECTION),
                    0);
    char *again = pl_read(TEMPLATE);
    if (tmpl && again) CU_ASSERT_STRING_EQUAL(tmpl, again);
    free(again);
    free(tmpl);
}

void test_pipeline_oauth_golden(void) {
    pl_service(NULL, pl_codepipeline_cfg);
    char *token_file = test_strf("%s/token", pl_svc.dir);
    test_write_file(token_file, "ghp_offlineTOKENvalue0123456789\n");
    char *out = NULL;
    CU_ASSERT_EQUAL(test_service_sparta(&pl_svc, &out,
                                        "provisionPipeline --noop --pipeline delivery --repo "
                                        "https://github.com/acme/hello.git --oauth @token"),
                    0);
    TEST_ASSERT_CONTAINS(out, "the pipeline will not update itself");
    TEST_ASSERT_CONTAINS(out, "branch main");
    TEST_ASSERT_CONTAINS(out, "buildspec.yml is missing");
    CU_ASSERT_PTR_NULL(strstr(out, "ghp_offline"));
    free(out);
    char *tmpl = pl_read(TEMPLATE);
    pl_golden("pipeline-oauth.template.json", tmpl);
    CU_ASSERT_EQUAL(pl_lint(TEMPLATE) & 3, 0);
    CU_ASSERT_EQUAL(pl_check(NULL, "policy " TEMPLATE), 0);
    TEST_ASSERT_CONTAINS(tmpl, "\"NoEcho\": true");
    TEST_ASSERT_CONTAINS(tmpl, "\"OAuthToken\": {\n");
    CU_ASSERT_PTR_NULL(strstr(tmpl, "UpdatePipeline"));
    CU_ASSERT_PTR_NULL(strstr(tmpl, "PullRequestProject"));
    /* The token is nowhere in what the run wrote. */
    CU_ASSERT_NOT_EQUAL(test_sh(NULL, "grep -r ghp_offline '%s/.sparta'", pl_svc.dir), 0);
    free(tmpl);
    free(token_file);
}

void test_pipeline_secret_and_settings(void) {
    pl_service("codebuild = { image = \"aws/codebuild/amazonlinux2-aarch64-standard:3.0\"; computeType = "
               "\"BUILD_GENERAL1_LARGE\"; timeout = 90; buildspec = \"ci/buildspec.yml\";\n"
               "  spartaSource = \"https://github.com/acme/sparta.git#v0.1.0\"; install = [ \"make deps\" ];\n"
               "  environment = { TOKEN = \"ssm:/hello/token\";\n"
               "    DB = \"secretsmanager:arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf:password\"; }; };\n",
               "codepipeline = { updatePipeline = true; environments = ( { name = \"staging\"; stackName = "
               "\"hello-staging\"; } );\n"
               "  deployPrivileges = ( { actions = [ \"dynamodb:CreateTable\", \"dynamodb:DeleteTable\" ];\n"
               "    resources = [ \"arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/hello-*\" ]; "
               "} ); };\n");
    char *out = NULL;
    CU_ASSERT_EQUAL(test_service_sparta(&pl_svc, &out,
                                        "provisionPipeline --noop --pipeline ci --repo https://github.com/acme/hello/ "
                                        "--githubTokenSecret hello/github"),
                    0);
    free(out);
    const char *path = ".sparta/hello-ci.template.json";
    char *tmpl = pl_read(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(tmpl);
    CU_ASSERT_EQUAL(pl_lint(path) & 3, 0);
    CU_ASSERT_EQUAL(pl_check(NULL, "policy %s", path), 0);
    TEST_ASSERT_CONTAINS(tmpl, "{{resolve:secretsmanager:hello/github:SecretString:token}}");
    TEST_ASSERT_CONTAINS(tmpl, "\"Image\": \"aws/codebuild/amazonlinux2-aarch64-standard:3.0\"");
    TEST_ASSERT_CONTAINS(tmpl, "\"Type\": \"ARM_CONTAINER\"");
    TEST_ASSERT_CONTAINS(tmpl, "\"ComputeType\": \"BUILD_GENERAL1_LARGE\"");
    TEST_ASSERT_CONTAINS(tmpl, "\"TimeoutInMinutes\": 90");
    TEST_ASSERT_CONTAINS(tmpl, "\"BuildSpec\": \"ci/buildspec.yml\"");
    TEST_ASSERT_CONTAINS(tmpl, "\"Type\": \"PARAMETER_STORE\"");
    TEST_ASSERT_CONTAINS(tmpl, "parameter/hello/token");
    TEST_ASSERT_CONTAINS(tmpl, "\"StackName\": \"hello-staging\"");
    TEST_ASSERT_CONTAINS(tmpl, "dynamodb:CreateTable");
    TEST_ASSERT_CONTAINS(tmpl, "git clone --depth 1 --branch v0.1.0 'https://github.com/acme/sparta.git'");
    TEST_ASSERT_CONTAINS(tmpl, "secret:hello/github-*");
    TEST_ASSERT_CONTAINS(tmpl, "\"arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf*\"");
    free(tmpl);
}

/* contrib/buildspec/sparta.cfg.example: the sample's two-stage pipeline from
 * at most 15 lines of configuration, and it works. */
void test_example_config(void) {
    pl_service(NULL, NULL);
    CU_ASSERT_EQUAL_FATAL(test_sh(NULL, "cd '%s' && cp '%s/contrib/buildspec/sparta.cfg.example' sparta.cfg && "
                                        "mkdir -p build/function && cp bootstrap build/function/",
                                  pl_svc.dir, SPARTA_SOURCE_DIR),
                          0);
    char *out = NULL;
    CU_ASSERT_EQUAL(test_sh(&out, "grep -cv '^#' '%s/sparta.cfg'", pl_svc.dir), 0);
    if (out) CU_ASSERT(atoi(out) <= 15);
    free(out);
    CU_ASSERT_EQUAL(test_service_sparta(&pl_svc, &out, "buildspec"), 0);
    free(out);
    CU_ASSERT_EQUAL(test_service_sparta(&pl_svc, &out,
                                        "provisionPipeline --noop --pipeline delivery --repo " PL_REPO
                                        " --connectionArn " PL_CONNECTION),
                    0);
    TEST_ASSERT_CONTAINS(out, "manual approval, then deploys stack Prod-hello-main");
    free(out);
    CU_ASSERT_EQUAL(pl_lint(TEMPLATE) & 3, 0);
    if (!pl_plugin_built("lambda")) return;
    CU_ASSERT_EQUAL(test_service_sparta(&pl_svc, &out, "provision --noop --codePipelinePackage pipeline.zip"), 0);
    free(out);
    CU_ASSERT_EQUAL(pl_check(NULL, "package .sparta/pipeline.zip test=LOGLEVEL:debug prod=LOGLEVEL:info"), 0);
}

/* approval = "alarms": the prod stage starts with a CodeBuild action that
 * watches the test stack's alarms (the rollback plugin's `alarms watch`)
 * instead of a manual approval. */
static const char *const alarm_stages =
    "Source: Source[CodeStarSourceConnection]\n"
    "UpdatePipeline: Synthesize[CodeBuild] SelfUpdate[CloudFormation CREATE_UPDATE]\n"
    "Build: Build[CodeBuild]\n"
    "test: PrepareChanges[CloudFormation CHANGE_SET_REPLACE] ExecuteChanges[CloudFormation CHANGE_SET_EXECUTE]\n"
    "prod: AlarmGate[CodeBuild] PrepareChanges[CloudFormation CHANGE_SET_REPLACE] "
    "ExecuteChanges[CloudFormation CHANGE_SET_EXECUTE]\n";

void test_pipeline_alarm_gate_golden(void) {
    if (!pl_plugin_built("rollback")) return;
    pl_service("codebuild = { spartaSource = \"https://github.com/acme/sparta.git#v0.1.0\"; };\n"
               "rollback = { monitoringMinutes = 10; };\n",
               "codepipeline = { environments = (\n"
               "  { name = \"test\"; variables = { LOG_LEVEL = \"debug\"; }; },\n"
               "  { name = \"prod\"; approval = \"alarms\"; variables = { LOG_LEVEL = \"warn\"; }; } ); };\n");
    CU_ASSERT_EQUAL_FATAL(test_sh(NULL, "cd '%s' && sed -i 's/\"codepipeline\" ]/\"codepipeline\", \"rollback\" ]/' "
                                        "sparta.cfg && grep -q '\"rollback\" ]' sparta.cfg",
                                  pl_svc.dir),
                          0);
    test_service_sparta(&pl_svc, NULL, "buildspec");
    char *out = NULL;
    CU_ASSERT_EQUAL(test_service_sparta(&pl_svc, &out,
                                        "provisionPipeline --noop --pipeline delivery --repo " PL_REPO
                                        " --connectionArn " PL_CONNECTION),
                    0);
    TEST_ASSERT_CONTAINS(out, "alarm gate (CodeBuild hello-delivery-alarm-gate: the alarms of stack Test-hello-main "
                              "stay OK for 10 minutes), then deploys stack Prod-hello-main (prod.json)");
    free(out);
    char *tmpl = pl_read(TEMPLATE);
    pl_golden("pipeline-alarms.template.json", tmpl);
    CU_ASSERT_EQUAL(pl_lint(TEMPLATE) & 3, 0);
    CU_ASSERT_EQUAL(pl_check(NULL, "policy " TEMPLATE), 0);
    CU_ASSERT_EQUAL(pl_check(NULL, "structure " TEMPLATE), 0);
    CU_ASSERT_EQUAL(pl_check(&out, "stages " TEMPLATE), 0);
    if (out) CU_ASSERT_STRING_EQUAL(out, alarm_stages);
    free(out);
    /* The gate watches the previous environment's stack for rollback.monitoringMinutes. */
    TEST_ASSERT_CONTAINS(tmpl, "\"EnvironmentVariables\": \"[{\\\"name\\\":\\\"SPARTA_WATCH_STACK\\\",\\\"value\\\":"
                               "\\\"Test-hello-main\\\",\\\"type\\\":\\\"PLAINTEXT\\\"},{\\\"name\\\":"
                               "\\\"SPARTA_WATCH_MINUTES\\\",\\\"value\\\":\\\"10\\\",\\\"type\\\":\\\"PLAINTEXT\\\"}]\"");
    TEST_ASSERT_CONTAINS(tmpl, "\"Name\": \"hello-delivery-alarm-gate\"");
    TEST_ASSERT_CONTAINS(tmpl, "sparta alarms watch --stackName \\\\\\\"$SPARTA_WATCH_STACK\\\\\\\" --minutes");
    /* sparta is installed as the build installs it. */
    TEST_ASSERT_CONTAINS(tmpl, "git clone --depth 1 --branch v0.1.0 'https://github.com/acme/sparta.git'");
    /* Its role: DescribeAlarms on "*" (the API has no resource ARNs), the watched stack only. */
    TEST_ASSERT_CONTAINS(tmpl, "\"cloudwatch:DescribeAlarms\"");
    TEST_ASSERT_CONTAINS(tmpl, "stack/Test-hello-main/*");
    CU_ASSERT_PTR_NULL(strstr(tmpl, "\"Approve\""));
    free(tmpl);
    /* Without an alarms environment there is no gate project. */
    pl_service(NULL, pl_codepipeline_cfg);
    CU_ASSERT_EQUAL(test_service_sparta(&pl_svc, NULL,
                                        "provisionPipeline --noop --pipeline delivery --repo " PL_REPO
                                        " --connectionArn " PL_CONNECTION),
                    0);
    tmpl = pl_read(TEMPLATE);
    TEST_ASSERT_CONTAINS(tmpl, "\"Approve\"");
    CU_ASSERT_PTR_NULL(strstr(tmpl, "AlarmGate"));
    free(tmpl);
}
