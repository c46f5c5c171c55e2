/* Bad input: each problem is a clear error naming file:line and the
 * config path, reported before anything is written or uploaded. */
#include <stdlib.h>
#include <string.h>

#include "lp_support.h"
#include "test_lambda_plugin.h"
#include "test_support.h"

/* The config's first lambda line is line 3 (two header lines). */
static void expect_at(const char *lambda_text, const char *const *needles, int before_output) {
    char *dir = lp_service_new();
    char *message = lp_error(dir, "bad", lambda_text);
    for (const char *const *n = needles; *n; n++) {
        char *needle = strstr(*n, "%s") ? test_strf(*n, dir) : strdup(*n);
        TEST_ASSERT_CONTAINS(message, needle);
        free(needle);
    }
    if (before_output) {
        /* Nothing was written: configuration errors come before the output directory. */
        char *out = test_strf("%s/out", dir);
        CU_ASSERT_NOT_EQUAL(test_sh(NULL, "test -e '%s'", out), 0);
        free(out);
    }
    free(message);
    test_rmtree(dir);
    free(dir);
}

static void expect(const char *lambda_text, const char *const *needles) { expect_at(lambda_text, needles, 1); }

void test_error_unknown_key(void) {
    expect("lambda = { functions = (\n"
           "  { name = \"a\"; code = \"hello\";\n"
           "    memroy = 256; } ); };\n",
           (const char *const[]){"%s/sparta.cfg:5: lambda.functions.[0].memroy: unknown key 'memroy': remove it or use one of:",
                                 NULL});
    expect("lambda = { packaging = \"shared\"; };\n",
           (const char *const[]){"sparta.cfg:3: lambda.packaging: unknown key 'packaging'", NULL});
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\";\n"
           "  events = ( { sqs = { queue = \"jobs\"; size = 5; }; } ); } ); };\n",
           (const char *const[]){"sparta.cfg:4: lambda.functions.[0].events.[0].sqs.size: unknown key 'size'", NULL});
}

void test_error_wrong_type(void) {
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\";\n"
           "  memory = \"big\"; } ); };\n",
           (const char *const[]){"sparta.cfg:4: lambda.functions.[0].memory: expected", "found a string", NULL});
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\";\n"
           "  environment = { PORT = 8080; }; } ); };\n",
           (const char *const[]){"sparta.cfg:4: lambda.functions.[0].environment.PORT: expected a string", NULL});
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\";\n"
           "  events = ( { sqs = { queue = \"jobs\"; batchSize = \"ten\"; }; } ); } ); };\n",
           (const char *const[]){"sparta.cfg:4: lambda.functions.[0].events.[0].sqs.batchSize: expected an integer", NULL});
}

void test_error_memory_out_of_range(void) {
    expect("lambda = { functions = (\n"
           "  { name = \"a\"; code = \"hello\"; },\n"
           "  { name = \"b\"; code = \"hello\"; },\n"
           "  { name = \"c\"; code = \"hello\";\n"
           "    memory = 20000; } ); };\n",
           (const char *const[]){"%s/sparta.cfg:7: lambda.functions.[2].memory: 20000 is out of range 128..10240",
                                 NULL});
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\"; memory = 64; } ); };\n",
           (const char *const[]){"sparta.cfg:3: lambda.functions.[0].memory: 64 is out of range 128..10240", NULL});
}

void test_error_timeout_out_of_range(void) {
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\"; timeout = 901; } ); };\n",
           (const char *const[]){"sparta.cfg:3: lambda.functions.[0].timeout: 901 is out of range 1..900", NULL});
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\"; timeout = 0; } ); };\n",
           (const char *const[]){"lambda.functions.[0].timeout: 0 is out of range 1..900", NULL});
}

void test_error_runtime(void) {
    expect("lambda = { functions = ( { name = \"a\"; code = \"app.py\"; handler = \"app.handler\";\n"
           "  runtime = \"python2\"; } ); };\n",
           (const char *const[]){"sparta.cfg:4: lambda.functions.[0].runtime: unknown runtime 'python2': use one of "
                                 "provided.al2023, python3.12",
                                 NULL});
    expect("lambda = { functions = ( { name = \"a\"; code = \"app.py\"; handler = \"app.handler\";\n"
           "  runtime = \"nodejs20.x\"; } ); };\n",
           (const char *const[]){"lambda.functions.[0].runtime: runtime 'nodejs20.x' is retired", "use nodejs24.x", NULL});
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\"; architecture = \"arm\"; } ); };\n",
           (const char *const[]){"lambda.functions.[0].architecture: 'arm' is not allowed: use one of x86_64, arm64", NULL});
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\"; tracing = \"On\"; } ); };\n",
           (const char *const[]){"lambda.functions.[0].tracing: 'On' is not allowed: use one of Active, PassThrough", NULL});
}

void test_error_handler_required(void) {
    expect("lambda = { functions = ( { name = \"a\"; code = \"app.py\"; runtime = \"python3.12\"; } ); };\n",
           (const char *const[]){"sparta.cfg:3: lambda.functions.[0].handler: runtime python3.12 needs a handler", NULL});
}

void test_error_code(void) {
    expect("lambda = { functions = ( { name = \"a\";\n  code = \"build/nope\"; } ); };\n",
           (const char *const[]){"sparta.cfg:4: lambda.functions.[0].code: code 'build/nope' does not exist (looked for "
                                 "%s/build/nope)",
                                 NULL});
    expect("lambda = { functions = ( { name = \"a\"; } ); };\n",
           (const char *const[]){"sparta.cfg:3: lambda.functions.[0]: function 'a' has no code", NULL});
    expect("lambda = { functions = ( { name = \"a\"; code = \"plain\"; } ); };\n",
           (const char *const[]){"lambda.functions.[0].code: code 'plain' is not executable: chmod +x it", NULL});
    expect("lambda = { functions = ( { name = \"a\"; code = \"nobootstrap\"; } ); };\n",
           (const char *const[]){"lambda.functions.[0].code: code directory 'nobootstrap' has no bootstrap", NULL});
    expect("lambda = { functions = ( { name = \"a\"; code = \"\"; } ); };\n",
           (const char *const[]){"lambda.functions.[0].code: code is empty", NULL});
}

void test_error_log_retention(void) {
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\";\n  logRetentionDays = 10; } ); };\n",
           (const char *const[]){"sparta.cfg:4: lambda.functions.[0].logRetentionDays: 10 is not a CloudWatch Logs "
                                 "retention: use 1, 3, 5, 7, 14",
                                 NULL});
}

void test_error_privileges(void) {
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\";\n"
           "  privileges = ( { actions = [ ]; resource = \"arn:aws:s3:::b/*\"; } ); } ); };\n",
           (const char *const[]){"sparta.cfg:4: lambda.functions.[0].privileges.[0].actions: a privilege needs at "
                                 "least one action",
                                 NULL});
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\";\n"
           "  privileges = ( { resource = \"arn:aws:s3:::b/*\"; } ); } ); };\n",
           (const char *const[]){"lambda.functions.[0].privileges.[0]: missing required key 'actions'", NULL});
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\";\n"
           "  privileges = ( { actions = [ \"GetObject\" ]; resource = 5; } ); } ); };\n",
           (const char *const[]){"lambda.functions.[0].privileges.[0].actions: 'GetObject' is not an IAM action",
                                 "lambda.functions.[0].privileges.[0].resource: expected an ARN string or a non-empty list", NULL});
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\";\n"
           "  privileges = ( { actions = [ \"s3:GetObject\" ]; } ); } ); };\n",
           (const char *const[]){"lambda.functions.[0].privileges.[0]: missing required key 'resource'", NULL});
}

void test_error_names(void) {
    expect("lambda = { functions = ( { name = \"hello world\"; code = \"hello\"; } ); };\n",
           (const char *const[]){"lambda.functions.[0].name: 'hello world' is not a valid function name", NULL});
    expect("lambda = { functions = (\n"
           "  { name = \"a\"; code = \"hello\"; },\n"
           "  { name = \"a\"; code = \"world\"; } ); };\n",
           (const char *const[]){"sparta.cfg:5: lambda.functions.[1].name: duplicate function name 'a' (first declared "
                                 "at %s/sparta.cfg:4)",
                                 NULL});
    expect("lambda = { functions = (\n"
           "  { name = \"get-item\"; code = \"hello\"; },\n"
           "  { name = \"get_item\"; code = \"world\"; } ); };\n",
           (const char *const[]){"functions 'get-item' and 'get_item' both get the logical ID 'GetItemFunction'", NULL});
    expect("lambda = { functions = ( { code = \"hello\"; } ); };\n",
           (const char *const[]){"lambda.functions.[0]: missing required key 'name'", NULL});
}

void test_error_environment(void) {
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\";\n"
           "  environment = { AWS_REGION = \"x\"; TABLE = \"${Stage\"; }; } ); };\n",
           (const char *const[]){"lambda.functions.[0].environment.AWS_REGION: 'AWS_REGION' is reserved by AWS Lambda",
                                 "lambda.functions.[0].environment.TABLE: '${' is not closed", NULL});
}

void test_error_events(void) {
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\"; events = (\n"
           "  { schedule = \"every 5 minutes\"; },\n"
           "  { schedule = \"rate(1 minutes)\"; },\n"
           "  { schedule = \"cron(0 12 * * *)\"; },\n"
           "  { sqs = \"\"; },\n"
           "  { sqs = { queue = \"jobs\"; batchSize = 100; }; },\n"
           "  { sns = \"not a topic\"; },\n"
           "  { s3 = { bucket = \"Bad_Bucket\"; }; },\n"
           "  { s3 = { bucket = \"arn:aws:s3:::reports\"; events = [ \"s3:ObjectTagging:*\" ]; }; },\n"
           "  { schedule = \"rate(1 hour)\"; sqs = \"jobs\"; },\n"
           "  { },\n"
           "  { eventBridge = { pattern = { }; }; }\n"
           "); } ); };\n",
           (const char *const[]){
               "sparta.cfg:4: lambda.functions.[0].events.[0].schedule: 'every 5 minutes': a schedule is rate(VALUE UNIT) or cron(...)",
               "sparta.cfg:5: lambda.functions.[0].events.[1].schedule: 'rate(1 minutes)': write rate(1 minute)",
               "sparta.cfg:6: lambda.functions.[0].events.[2].schedule: 'cron(0 12 * * *)': a cron expression has six fields",
               "sparta.cfg:7: lambda.functions.[0].events.[3].sqs: the sqs event names no queue",
               "sparta.cfg:8: lambda.functions.[0].events.[4].sqs: a batchSize above 10 needs a batchWindow",
               "sparta.cfg:9: lambda.functions.[0].events.[5].sns: 'not a topic' is neither a topic ARN",
               "sparta.cfg:10: lambda.functions.[0].events.[6].s3.bucket: 'Bad_Bucket' is not a valid bucket name",
               "sparta.cfg:11: lambda.functions.[0].events.[7].s3.events: 's3:ObjectTagging:*' cannot reach a function from an existing bucket",
               "sparta.cfg:12: lambda.functions.[0].events.[8]: an event holds exactly one of",
               "sparta.cfg:13: lambda.functions.[0].events.[9]: an event needs one of schedule, eventBridge, sns, sqs or s3",
               "lambda.functions.[0].events.[10].eventBridge.pattern: an event pattern is a non-empty group",
               "has 11 problems in the lambda group", NULL});
}

void test_error_depends_on(void) {
    expect("lambda = { functions = ( { name = \"a\"; code = \"hello\";\n"
           "  dependsOn = [ \"a\", \"no such thing\" ]; } ); };\n",
           (const char *const[]){"lambda.functions.[0].dependsOn.[0]: function 'a' cannot depend on itself",
                                 "lambda.functions.[0].dependsOn.[1]: 'no such thing' is neither a function of this "
                                 "service nor a logical ID",
                                 NULL});
}

void test_error_all_at_once(void) {
    expect("lambda = { functions = (\n"
           "  { name = \"a\"; code = \"hello\"; memory = 1; },\n"
           "  { name = \"b\"; code = \"hello\"; timeout = 1000; },\n"
           "  { name = \"c\"; code = \"missing\"; logRetentionDays = 2; } ); };\n",
           (const char *const[]){"has 4 problems in the lambda group:",
                                 "sparta.cfg:4: lambda.functions.[0].memory: 1 is out of range",
                                 "sparta.cfg:5: lambda.functions.[1].timeout: 1000 is out of range",
                                 "sparta.cfg:6: lambda.functions.[2].logRetentionDays: 2 is not",
                                 "sparta.cfg:6: lambda.functions.[2].code: code 'missing' does not exist", NULL});
}

void test_error_defaults_reported_once(void) {
    char *dir = lp_service_new();
    char *message = lp_error(dir, "bad",
                             "lambda = { defaults = {\n  memory = 1; code = \"nope\"; };\n"
                             "  functions = ( { name = \"a\"; }, { name = \"b\"; }, { name = \"c\"; } ); };\n");
    TEST_ASSERT_CONTAINS(message, "has 2 problems in the lambda group");
    CU_ASSERT_EQUAL(lp_count(message, "lambda.defaults.memory: 1 is out of range 128..10240"), 1);
    CU_ASSERT_EQUAL(lp_count(message, "lambda.defaults.code: code 'nope' does not exist"), 1);
    TEST_ASSERT_CONTAINS(message, "sparta.cfg:4: lambda.defaults.memory");
    free(message);
    test_rmtree(dir);
    free(dir);
}

/* A reference to a parameter nobody declares fails the host's graph check. */
void test_error_dangling_parameter(void) {
    expect_at("lambda = { functions = ( { name = \"a\"; code = \"hello\";\n"
              "  environment = { TABLE = \"${Missing}\"; }; } ); };\n",
              (const char *const[]){"Ref to 'Missing', which is not a resource or parameter", NULL}, 0);
}
