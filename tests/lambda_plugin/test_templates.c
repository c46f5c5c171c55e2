/* Templates: golden files, naming, least-privilege roles, references. */
#include <sparta/sparta.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lp_support.h"
#include "test_support.h"
#include "test_lambda_plugin.h"

static lp_result run_config(const char *name, char **dir_out) {
    char *dir = lp_service_new();
    lp_copy_config(dir, name);
    char *out = test_strf("%s/out", dir);
    lp_result r = lp_provision(dir, out);
    if (r.status != 0) fprintf(stderr, "\nprovision of %s failed: %s\n%s\n", name, r.error, r.log);
    CU_ASSERT_EQUAL(r.status, 0);
    free(out);
    *dir_out = dir;
    return r;
}

void test_golden_basic(void) {
    char *dir = NULL;
    lp_result r = run_config("basic", &dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r.template_json);
    lp_golden("basic", r.template_json);
    lp_lint_add("basic", r.template_json);
    /* The smallest function still gets its own log group, role and output. */
    /* Names follow the stack that is deployed, so one template serves test and prod. */
    TEST_ASSERT_CONTAINS(r.template_json, "\"FunctionName\": {\n          \"Fn::Sub\": \"${AWS::StackName}-hello\"");
    TEST_ASSERT_CONTAINS(r.template_json, "\"LogGroupName\": {\n          \"Fn::Sub\": \"/aws/lambda/${AWS::StackName}-hello\"");
    TEST_ASSERT_CONTAINS(r.template_json, "\"Runtime\": \"provided.al2023\"");
    TEST_ASSERT_CONTAINS(r.template_json, "\"Handler\": \"bootstrap\"");
    TEST_ASSERT_CONTAINS(r.template_json, "\"MemorySize\": 128");
    TEST_ASSERT_CONTAINS(r.template_json, "\"Timeout\": 3");
    TEST_ASSERT_CONTAINS(r.template_json, "\"S3Bucket\": \"artifacts-bucket\"");
    TEST_ASSERT_CONTAINS(r.template_json, "\"S3Key\": \"golden/hello-");
    TEST_ASSERT_CONTAINS(r.template_json, "\"HelloArn\": {");
    CU_ASSERT_EQUAL(lp_count(r.template_json, "\"Type\": \"AWS::"), 3);
    /* No X-Ray without tracing; no retention unless asked. */
    CU_ASSERT_EQUAL(lp_count(r.template_json, "xray:"), 0);
    CU_ASSERT_EQUAL(lp_count(r.template_json, "RetentionInDays"), 0);
    lp_result_free(&r);
    test_rmtree(dir);
    free(dir);
}

void test_golden_full(void) {
    char *dir = NULL;
    lp_result r = run_config("full", &dir);
    const char *t = r.template_json;
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    lp_golden("full", t);
    lp_lint_add("full", t);
    /* Parameters and references from the environment. */
    TEST_ASSERT_CONTAINS(t, "\"Stage\": {\n      \"Type\": \"String\",\n      \"Default\": \"dev\"");
    TEST_ASSERT_CONTAINS(t, "\"STAGE\": {\n              \"Ref\": \"Stage\"");
    TEST_ASSERT_CONTAINS(t, "\"TABLE\": {\n              \"Fn::Sub\": \"${TableName}-${Stage}\"");
    TEST_ASSERT_CONTAINS(t, "\"LITERAL\": \"${NotARef}\"");
    /* The function's own value wins over defaults. */
    TEST_ASSERT_CONTAINS(t, "\"LOG_LEVEL\": \"debug\"");
    TEST_ASSERT_CONTAINS(t, "\"LOG_LEVEL\": \"info\"");
    TEST_ASSERT_CONTAINS(t, "\"RetentionInDays\": 14");
    TEST_ASSERT_CONTAINS(t, "\"RetentionInDays\": 30");
    /* Every function: function, role, log group, output. */
    const char *ids[] = {"Hello", "QueueWorker", "PyApi", "Thumbnail"};
    for (size_t i = 0; i < 4; i++) {
        char *s = test_strf("\"%sFunction\": {\n      \"Type\": \"AWS::Lambda::Function\"", ids[i]);
        TEST_ASSERT_CONTAINS(t, s);
        free(s);
        s = test_strf("\"%sRole\": {\n      \"Type\": \"AWS::IAM::Role\"", ids[i]);
        TEST_ASSERT_CONTAINS(t, s);
        free(s);
        s = test_strf("\"%sLogGroup\": {\n      \"Type\": \"AWS::Logs::LogGroup\"", ids[i]);
        TEST_ASSERT_CONTAINS(t, s);
        free(s);
        s = test_strf("\"%sArn\": {", ids[i]);
        TEST_ASSERT_CONTAINS(t, s);
        free(s);
    }
    /* X-Ray only for the Active function. */
    CU_ASSERT_EQUAL(lp_count(t, "\"xray:PutTraceSegments\""), 1);
    /* SQS actions only for the queue worker: two queues, one statement each. */
    CU_ASSERT_EQUAL(lp_count(t, "\"sqs:ReceiveMessage\""), 2);
    TEST_ASSERT_CONTAINS(t, "\"Resource\": \"arn:aws:sqs:us-east-1:123456789012:legacy-jobs\"");
    /* The shared bucket holds both functions' notifications and waits for both permissions. */
    CU_ASSERT_EQUAL(lp_count(t, "\"Type\": \"AWS::S3::Bucket\""), 1);
    TEST_ASSERT_CONTAINS(t, "\"DependsOn\": [\n        \"PyApiS31Permission\",\n        \"ThumbnailS31Permission\"");
    /* dependsOn by function name. */
    TEST_ASSERT_CONTAINS(t, "\"DependsOn\": [\n        \"HelloFunction\"");
    /* A scalar in an event pattern becomes a list. */
    TEST_ASSERT_CONTAINS(t, "\"source\": [\n            \"aws.ec2\"");
    /* The queue outlives six function timeouts. */
    TEST_ASSERT_CONTAINS(t, "\"Fn::Sub\": \"${AWS::StackName}-jobs\"\n        },\n        \"VisibilityTimeout\": 360");
    lp_result_free(&r);
    test_rmtree(dir);
    free(dir);
}

void test_golden_shared(void) {
    char *dir = NULL;
    lp_result r = run_config("shared", &dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r.template_json);
    lp_golden("shared", r.template_json);
    lp_lint_add("shared", r.template_json);
    char *a = lp_s3_key(r.template_json, "HelloFunction"), *b = lp_s3_key(r.template_json, "GoodbyeFunction");
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_STRING_EQUAL(a, b);
    TEST_ASSERT_CONTAINS(a, "golden/lambda-");
    char *listing = NULL;
    test_sh(&listing, "ls '%s/out'", dir);
    TEST_ASSERT_CONTAINS(listing, "lambda.zip");
    CU_ASSERT_EQUAL(lp_count(listing, ".zip"), 1);
    free(listing);
    free(a);
    free(b);
    lp_result_free(&r);
    test_rmtree(dir);
    free(dir);
}

/* FunctionName: <stack>-<function>, at most 64 characters, distinct when cut. */
void test_long_names(void) {
    char *dir = lp_service_new();
    const char *service = "a-very-long-service-name-that-eats-most-of-the-budget";
    lp_write_config(dir, service,
                    "lambda = { functions = (\n"
                    "  { name = \"process-incoming-order-events-from-the-queue-one\"; code = \"hello\"; },\n"
                    "  { name = \"process-incoming-order-events-from-the-queue-two\"; code = \"world\"; },\n"
                    "  { name = \"ok\"; code = \"hello\"; }\n"
                    "); };\n");
    char *out = test_strf("%s/out", dir);
    lp_result r = lp_provision(dir, out);
    CU_ASSERT_EQUAL_FATAL(r.status, 0);
    const char *t = r.template_json;
    lp_lint_add("long-names", t);
    /* Resources sort by logical ID: Ok, ProcessIncoming...One, ...Two. The short
     * name follows the deployed stack; cut names keep their literal, hashed form. */
    TEST_ASSERT_CONTAINS(t, "\"FunctionName\": {\n          \"Fn::Sub\": \"${AWS::StackName}-ok\"");
    char names[2][128] = {{0}};
    const char *p = t;
    for (int i = 0; i < 2; i++) {
        p = strstr(p, "\"FunctionName\": \"");
        CU_ASSERT_PTR_NOT_NULL_FATAL(p);
        p += strlen("\"FunctionName\": \"");
        const char *end = strchr(p, '"');
        snprintf(names[i], sizeof names[i], "%.*s", (int)(end - p), p);
        CU_ASSERT_EQUAL(strlen(names[i]), 64);
        CU_ASSERT_EQUAL(strncmp(names[i], service, 20), 0);
    }
    CU_ASSERT_STRING_NOT_EQUAL(names[0], names[1]);
    CU_ASSERT_EQUAL(names[0][64 - 9], '-');
    lp_result_free(&r);
    free(out);
    test_rmtree(dir);
    free(dir);
}

/* A user-written "*" action is kept (they asked for it) and the lint rule catches it. */
void test_user_wildcard_kept(void) {
    char *dir = lp_service_new();
    lp_write_config(dir, "wild",
                    "lambda = { functions = ( { name = \"admin\"; code = \"hello\";\n"
                    "  privileges = ( { actions = [ \"*\" ]; resource = \"*\"; } ); } ); };\n");
    char *out = test_strf("%s/out", dir);
    lp_result r = lp_provision(dir, out);
    CU_ASSERT_EQUAL_FATAL(r.status, 0);
    CU_ASSERT_EQUAL(lp_count(r.template_json, "\"Action\": [\n                    \"*\""), 1);
    lp_lint_add("wildcard", r.template_json);
    lp_result_free(&r);
    free(out);
    test_rmtree(dir);
    free(dir);
}

/* The same input gives the same template, byte for byte. */
void test_template_deterministic(void) {
    char *dir = lp_service_new();
    lp_copy_config(dir, "full");
    char *out1 = test_strf("%s/out1", dir), *out2 = test_strf("%s/out2", dir);
    lp_result a = lp_provision(dir, out1), b = lp_provision(dir, out2);
    CU_ASSERT_EQUAL(a.status, 0);
    CU_ASSERT_EQUAL(b.status, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a.template_json);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b.template_json);
    CU_ASSERT_STRING_EQUAL(a.template_json, b.template_json);
    lp_result_free(&a);
    lp_result_free(&b);
    free(out1);
    free(out2);
    test_rmtree(dir);
    free(dir);
}

static void discard(void *user_data, const char *text, size_t length) {
    (void)user_data;
    (void)text;
    (void)length;
}

/* sparta_host_synthesize gives the template provision writes; --stackName renames functions. */
void test_synthesize_and_stack_name(void) {
    char *dir = lp_service_new();
    lp_copy_config(dir, "basic");
    char *cfg = test_strf("%s/sparta.cfg", dir), *out = test_strf("%s/out", dir);
    sparta_options o = SPARTA_OPTIONS_INIT;
    o.config_path = cfg;
    o.output_dir = out;
    sparta_host *h = NULL;
    CU_ASSERT_EQUAL_FATAL(sparta_host_new(&h, &o), 0);
    char *json = NULL;
    size_t length = 0;
    int rc = sparta_host_synthesize(h, &json, &length);
    if (rc != 0) fprintf(stderr, "\nsynthesize: %s\n", sparta_host_last_error(h)->message);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    lp_golden("basic", json);
    CU_ASSERT_EQUAL(length, strlen(json));
    sparta_string_free(json);
    sparta_host_free(h);

    o.print = discard;
    CU_ASSERT_EQUAL_FATAL(sparta_host_new(&h, &o), 0);
    const char *argv[] = {"provision", "--noop", "--stackName", "Other-Stack", "--nocolor", "--level", "error"};
    CU_ASSERT_EQUAL(sparta_host_run(h, 7, argv), 0);
    sparta_host_free(h);
    char *text = test_strf("%s/Other-Stack.template.json", out);
    char *t = test_read_file(text, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    TEST_ASSERT_CONTAINS(t, "\"Fn::Sub\": \"${AWS::StackName}-hello\"");
    TEST_ASSERT_CONTAINS(t, "\"Fn::Sub\": \"/aws/lambda/${AWS::StackName}-hello\"");
    TEST_ASSERT_CONTAINS(t, "\"S3Key\": \"Other-Stack/hello-");
    free(t);
    free(text);
    free(cfg);
    free(out);
    test_rmtree(dir);
    free(dir);
}
