/* The AWS client against moto_server: S3 uploads (single, multipart, skip
 * when present), then a real stack through create, no-change, update,
 * diff, status and delete, checked with the aws CLI; an unexecuted CREATE
 * change set's REVIEW_IN_PROGRESS stack replaced; a fault proxy in front
 * of moto for throttling that clears; and no secret in any log line. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* setenv */
#endif
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "aws/converge.h"
#include "aws/credentials.h"
#include "aws/s3.h"
#include "buffer.h"
#include "local_aws.h"
#include "test_support.h"

static local_aws moto;
static sparta_buffer logs = SPARTA_BUFFER_INIT;
static sparta_logger logger;

#define BUCKET "sparta-artifacts"

static void capture(void *user, sparta_log_level level, const char *line) {
    sparta__buffer_printf(&logs, "%s\n", line);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A clean moto for each test (reset, not restarted), the environment
 * pointed at it again: the proxy test re-points it. */
static void fresh(void) {
    CU_ASSERT_EQUAL_FATAL(local_aws_fresh(&moto), 0);
    local_aws_set_env(&moto);
}

static sparta__aws_client *client(void) {
    sparta__aws_client_options o = SPARTA__AWS_CLIENT_OPTIONS_INIT;
    o.timeout_ms = 30000;
    o.retry_base_ms = 10;
    o.retry_max_ms = 50;
    o.logger = &logger;
    sparta__aws_client *c = NULL;
    sparta_error_slot err = {0};
    if (sparta__aws_client_new(&o, &c, &err) != 0) fprintf(stderr, "\nclient: %s\n", err.message);
    return c;
}

static void make_bucket(void) {
    CU_ASSERT_EQUAL_FATAL(local_aws_cli(&moto, NULL, "s3api create-bucket --bucket " BUCKET), 0);
}

static void test_s3_uploads(void) {
    fresh();
    make_bucket();
    sparta__aws_client *c = client();
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(sparta__s3_check_bucket(c, BUCKET, &err), 0);
    CU_ASSERT_EQUAL(sparta__s3_check_bucket(c, "no-such-bucket", &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "S3 bucket 'no-such-bucket' does not exist");

    char *status = NULL;
    CU_ASSERT_EQUAL(sparta__s3_get_bucket_versioning(c, BUCKET, &status, &err), 0);
    CU_ASSERT_STRING_EQUAL(status, "");
    free(status);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, NULL, "s3api put-bucket-versioning --bucket " BUCKET
                                               " --versioning-configuration Status=Enabled"), 0);
    CU_ASSERT_EQUAL(sparta__s3_get_bucket_versioning(c, BUCKET, &status, &err), 0);
    CU_ASSERT_STRING_EQUAL(status, "Enabled");
    free(status);

    char *dir = test_tmpdir();
    char *small = test_strf("%s/small.zip", dir), *big = test_strf("%s/big.zip", dir);
    test_write_file(small, "PK\003\004 pretend archive");
    int uploaded = -1;
    CU_ASSERT_EQUAL(sparta__s3_upload_file_if_absent(c, BUCKET, "code/abc123.zip", small, &uploaded, &err), 0);
    CU_ASSERT_EQUAL(uploaded, 1);
    CU_ASSERT_EQUAL(sparta__s3_upload_file_if_absent(c, BUCKET, "code/abc123.zip", small, &uploaded, &err), 0);
    CU_ASSERT_EQUAL(uploaded, 0);
    TEST_ASSERT_CONTAINS(logs.data, "Already in S3, not uploading again");
    char *out = NULL;
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "s3api head-object --bucket " BUCKET " --key code/abc123.zip"), 0);
    TEST_ASSERT_CONTAINS(out, "\"ContentLength\": 20");
    free(out);

    /* over 16 MiB: multipart, three parts of at most 8 MiB */
    unsigned size = SPARTA__S3_MULTIPART_THRESHOLD + 1024u * 1024u;
    CU_ASSERT_EQUAL_FATAL(test_sh(NULL, "head -c %u /dev/urandom > '%s'", size, big), 0);
    CU_ASSERT_EQUAL(sparta__s3_upload_file_if_absent(c, BUCKET, "code/big.zip", big, &uploaded, &err), 0);
    CU_ASSERT_EQUAL(uploaded, 1);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "s3api head-object --bucket " BUCKET " --key code/big.zip"), 0);
    char *want = test_strf("\"ContentLength\": %u", size);
    TEST_ASSERT_CONTAINS(out, want);
    TEST_ASSERT_CONTAINS(out, "-3\\\"\""); /* multipart ETag: md5-of-md5s-PARTS */
    free(out), free(want);
    /* the downloaded bytes are the uploaded bytes */
    char *copy = test_strf("%s/copy.zip", dir);
    CU_ASSERT_EQUAL(local_aws_clif(&moto, NULL, "s3api get-object --bucket " BUCKET " --key code/big.zip '%s'", copy),
                    0);
    CU_ASSERT_EQUAL(test_sh(NULL, "cmp -s '%s' '%s'", big, copy), 0);
    sparta__s3_object_info info;
    CU_ASSERT_EQUAL(sparta__s3_head_object(c, BUCKET, "code/missing.zip", &info, &err), 0);
    CU_ASSERT_EQUAL(info.exists, 0);
    sparta__s3_object_info_free(&info);
    test_rmtree(dir);
    free(dir), free(small), free(big), free(copy);
    sparta__aws_client_free(c);
}

static const char *template_v1 =
    "{\"AWSTemplateFormatVersion\":\"2010-09-09\",\"Parameters\":{\"Retention\":{\"Type\":\"Number\",\"Default\":\"7\"}},"
    "\"Resources\":{\"Logs\":{\"Type\":\"AWS::Logs::LogGroup\",\"Properties\":{\"LogGroupName\":\"/sparta/demo\","
    "\"RetentionInDays\":{\"Ref\":\"Retention\"}}},\"Role\":{\"Type\":\"AWS::IAM::Role\",\"Properties\":{"
    "\"AssumeRolePolicyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"
    "{\"Service\":\"lambda.amazonaws.com\"},\"Action\":\"sts:AssumeRole\"}]},\"Policies\":[{\"PolicyName\":\"logs\","
    "\"PolicyDocument\":{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"logs:PutLogEvents\","
    "\"Resource\":\"*\"}]}}]}}},\"Outputs\":{\"LogGroup\":{\"Value\":{\"Ref\":\"Logs\"}}}}";

/* v1 plus a second log group. */
static char *template_v2(void) {
    char *t = strdup(template_v1);
    char *at = strstr(t, "\"Role\":");
    char *out = test_strf("%.*s\"Extra\":{\"Type\":\"AWS::Logs::LogGroup\",\"Properties\":{\"LogGroupName\":"
                          "\"/sparta/extra\"}},%s", (int)(at - t), t, at);
    free(t);
    return out;
}

static int count_of(const char *text, const char *needle) {
    int n = 0;
    for (const char *p = text ? strstr(text, needle) : NULL; p; p = strstr(p + 1, needle)) n++;
    return n;
}

static int events_seen;
static void count_event(void *user, const sparta__cfn_event *e, size_t done, size_t total) { events_seen++; }

static sparta__converge_options options(const char *body, const char *url, const sparta__aws_kv *params,
                                        size_t nparams, const sparta__aws_kv *tags, size_t ntags) {
    sparta__converge_options o;
    memset(&o, 0, sizeof o);
    o.version = SPARTA__CONVERGE_OPTIONS_VERSION;
    o.stack_name = "sparta-demo";
    o.template_body = body;
    o.template_url = url;
    o.parameters = params;
    o.parameter_count = nparams;
    o.tags = tags;
    o.tag_count = ntags;
    o.poll.initial_ms = 10;
    o.poll.max_ms = 50;
    o.poll.timeout_ms = 20000;
    o.poll.on_event = count_event;
    return o;
}

static char *publish(sparta__aws_client *c, const char *key, const char *body) {
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(sparta__s3_put_object(c, BUCKET, key, body, strlen(body), "application/json", &err), 0);
    return sparta__s3_object_url(c, BUCKET, key);
}

static void test_stack_lifecycle(void) {
    fresh();
    make_bucket();
    sparta__aws_client *c = client();
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    sparta_error_slot err = {0};
    char *url1 = publish(c, "templates/v1.json", template_v1);
    CU_ASSERT_STRING_EQUAL(url1, "https://" BUCKET ".s3.us-east-1.amazonaws.com/templates/v1.json");
    sparta__aws_kv params[] = {{"Retention", "14"}};
    sparta__aws_kv tags[] = {{"team", "payments"}, {"sparta:version", "0.1.0"}};
    sparta__converge_options o = options(template_v1, url1, params, 1, tags, 2);
    sparta__converge_result res;

    /* create through a change set */
    events_seen = 0;
    int rc = sparta__converge(c, &o, &res, &err);
    if (rc) fprintf(stderr, "\ncreate: %s\n", err.message);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_CREATED);
    CU_ASSERT_STRING_EQUAL(res.status, "CREATE_COMPLETE");
    CU_ASSERT(events_seen > 0);
    sparta__converge_result_free(&res);
    char *out = NULL;
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "cloudformation describe-stacks --stack-name sparta-demo"), 0);
    TEST_ASSERT_CONTAINS(out, "\"StackStatus\": \"CREATE_COMPLETE\"");
    TEST_ASSERT_CONTAINS(out, "\"ParameterValue\": \"14\"");
    TEST_ASSERT_CONTAINS(out, "\"Value\": \"payments\"");
    /* (moto does not echo Capabilities back; the fault suite checks what is sent) */
    free(out);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "logs describe-log-groups --log-group-name-prefix /sparta/demo"), 0);
    TEST_ASSERT_CONTAINS(out, "\"retentionInDays\": 14");
    free(out);

    /* nothing changed: answered at once, no change set (moto keeps executed
     * change sets listed, so count them) */
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "cloudformation list-change-sets --stack-name sparta-demo"), 0);
    int change_sets = count_of(out, "ChangeSetName");
    free(out);
    double t0 = now_s();
    CU_ASSERT_EQUAL(sparta__converge(c, &o, &res, &err), 0);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_UP_TO_DATE);
    CU_ASSERT(now_s() - t0 < 0.5);
    sparta__converge_result_free(&res);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "cloudformation list-change-sets --stack-name sparta-demo"), 0);
    CU_ASSERT_EQUAL(count_of(out, "ChangeSetName"), change_sets);
    free(out);

    /* a parameter change is an update */
    params[0].value = "30";
    CU_ASSERT_EQUAL(sparta__converge(c, &o, &res, &err), 0);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_UPDATED);
    sparta__converge_result_free(&res);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "cloudformation describe-stacks --stack-name sparta-demo"), 0);
    TEST_ASSERT_CONTAINS(out, "\"StackStatus\": \"UPDATE_COMPLETE\"");
    TEST_ASSERT_CONTAINS(out, "\"ParameterValue\": \"30\"");
    free(out);

    /* diff of a new template: a change list and the deployed template;
     * the change set is gone afterwards */
    char *v2 = template_v2();
    char *url2 = publish(c, "templates/v2.json", v2);
    sparta__converge_options o2 = options(v2, url2, params, 1, tags, 2);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "cloudformation list-change-sets --stack-name sparta-demo"), 0);
    change_sets = count_of(out, "ChangeSetName");
    free(out);
    sparta__diff_result d;
    rc = sparta__converge_diff(c, &o2, &d, &err);
    if (rc) fprintf(stderr, "\ndiff: %s\n", err.message);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    CU_ASSERT(d.stack_exists);
    CU_ASSERT_PTR_NOT_NULL(d.deployed_template);
    if (d.deployed_template) TEST_ASSERT_CONTAINS(d.deployed_template, "/sparta/demo");
    int saw_add = 0;
    for (size_t i = 0; d.change_set && i < d.change_set->change_count; i++)
        if (!strcmp(d.change_set->changes[i].logical_id, "Extra") && !strcmp(d.change_set->changes[i].action, "Add") &&
            !strcmp(d.change_set->changes[i].resource_type, "AWS::Logs::LogGroup"))
            saw_add = 1;
    CU_ASSERT(saw_add);
    sparta__diff_result_free(&d);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "cloudformation list-change-sets --stack-name sparta-demo"), 0);
    CU_ASSERT_EQUAL(count_of(out, "ChangeSetName"), change_sets);
    free(out);

    /* --no-execute keeps the change set for review */
    o2.no_execute = 1;
    CU_ASSERT_EQUAL(sparta__converge(c, &o2, &res, &err), 0);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_CHANGE_SET_READY);
    CU_ASSERT_PTR_NOT_NULL(res.change_set);
    CU_ASSERT_PTR_NOT_NULL(res.change_set_id);
    if (res.change_set_id)
        sparta__cfn_delete_change_set(c, "sparta-demo", res.change_set_id, &err);
    sparta__converge_result_free(&res);

    /* direct method: UpdateStack */
    o2.no_execute = 0;
    o2.method = SPARTA__CONVERGE_DIRECT;
    CU_ASSERT_EQUAL(sparta__converge(c, &o2, &res, &err), 0);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_UPDATED);
    CU_ASSERT_STRING_EQUAL(res.status, "UPDATE_COMPLETE");
    sparta__converge_result_free(&res);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "logs describe-log-groups --log-group-name-prefix /sparta/extra"), 0);
    TEST_ASSERT_CONTAINS(out, "/sparta/extra");
    free(out);

    /* status */
    sparta__cfn_stack *s = NULL;
    CU_ASSERT_EQUAL_FATAL(sparta__converge_status(c, "sparta-demo", &s, &err), 0);
    CU_ASSERT_STRING_EQUAL(s->status, "UPDATE_COMPLETE");
    CU_ASSERT_STRING_EQUAL(sparta__aws_kvlist_get(&s->parameters, "Retention"), "30");
    CU_ASSERT_STRING_EQUAL(sparta__aws_kvlist_get(&s->tags, "team"), "payments");
    TEST_ASSERT_CONTAINS(s->stack_id, "123456789012");
    CU_ASSERT_PTR_NOT_NULL(s->creation_time);
    sparta__cfn_stack_free(s);

    /* delete, then delete again: not an error */
    CU_ASSERT_EQUAL(sparta__converge_delete(c, "sparta-demo", 0, &o.poll, &res, &err), 0);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_DELETED);
    sparta__converge_result_free(&res);
    CU_ASSERT_NOT_EQUAL(local_aws_cli(&moto, &out, "cloudformation describe-stacks --stack-name sparta-demo"), 0);
    TEST_ASSERT_CONTAINS(out, "does not exist");
    free(out);
    CU_ASSERT_EQUAL(sparta__converge_delete(c, "sparta-demo", 0, &o.poll, &res, &err), 0);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_NOT_FOUND);
    sparta__converge_result_free(&res);
    CU_ASSERT_EQUAL(sparta__converge_status(c, "sparta-demo", &s, &err), SPARTA_ENOTFOUND);
    TEST_ASSERT_CONTAINS(err.message, "stack sparta-demo does not exist in region us-east-1");

    /* direct create of a fresh stack, with its outputs (moto leaves the log
     * group of a deleted stack behind, so start from a clean moto) */
    CU_ASSERT_EQUAL(local_aws_reset(&moto), 0);
    make_bucket();
    free(url1);
    url1 = publish(c, "templates/v1.json", template_v1);
    o.template_url = url1;
    o.method = SPARTA__CONVERGE_DIRECT;
    rc = sparta__converge(c, &o, &res, &err);
    if (rc) fprintf(stderr, "\ndirect create: %s\n", err.message);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_CREATED);
    CU_ASSERT_EQUAL(res.output_count, 1);
    if (res.output_count) CU_ASSERT_STRING_EQUAL(res.outputs[0].value, "/sparta/demo");
    sparta__converge_result_free(&res);

    free(url1), free(url2), free(v2);
    sparta__aws_client_free(c);
}

/* A CREATE change set never executed (here --no-execute; in the fault suite
 * an endpoint that died before ExecuteChangeSet) leaves an empty
 * REVIEW_IN_PROGRESS stack. The next provision deletes it first, saying so,
 * and ends with exactly one stack of that name. */
static void test_review_in_progress_is_replaced(void) {
    fresh();
    make_bucket();
    sparta__aws_client *c = client();
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    sparta_error_slot err = {0};
    char *url = publish(c, "templates/v1.json", template_v1);
    sparta__converge_options o = options(template_v1, url, NULL, 0, NULL, 0);
    sparta__converge_result res;
    o.no_execute = 1;
    CU_ASSERT_EQUAL(sparta__converge(c, &o, &res, &err), 0);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_CHANGE_SET_READY);
    sparta__converge_result_free(&res);
    char *out = NULL;
    const char *query = "cloudformation describe-stacks --query \"Stacks[?StackName=='sparta-demo'].StackStatus\" "
                        "--output text";
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, query), 0);
    CU_ASSERT_STRING_EQUAL(out, "REVIEW_IN_PROGRESS\n");
    free(out);

    o.no_execute = 0;
    size_t log_start = logs.length;
    int rc = sparta__converge(c, &o, &res, &err);
    if (rc) fprintf(stderr, "\nconverge after REVIEW_IN_PROGRESS: %s\n", err.message);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_CREATED);
    CU_ASSERT_EQUAL(res.recreated, 1);
    sparta__converge_result_free(&res);
    TEST_ASSERT_CONTAINS(logs.data + log_start, "Stack is in REVIEW_IN_PROGRESS (a CREATE change set never executed, "
                                                "no resources): deleting it and creating it again");
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, query), 0);
    CU_ASSERT_STRING_EQUAL(out, "CREATE_COMPLETE\n");
    free(out);
    free(url);
    sparta__aws_client_free(c);
}

static void test_throttling_in_front_of_moto(void) {
    fresh();
    make_bucket();
    local_aws proxy;
    CU_ASSERT_EQUAL_FATAL(local_proxy_start(&proxy, moto.endpoint, 30), 0);
    CU_ASSERT_EQUAL_FATAL(local_proxy_rules(&proxy,
        "[{\"action\":\"CreateChangeSet\",\"times\":2,\"status\":400,\"body\":\"<ErrorResponse><Error><Code>"
        "Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>\"},"
        "{\"action\":\"DescribeStacks\",\"times\":1,\"status\":503,\"body\":\"\"},"
        "{\"method\":\"PUT\",\"times\":1,\"status\":503,\"body\":\"<Error><Code>SlowDown</Code><Message>Reduce your "
        "request rate</Message></Error>\"}]"), 0);
    setenv("AWS_ENDPOINT_URL", proxy.endpoint, 1);
    setenv("AWS_SESSION_TOKEN", "SESSION-TOKEN-MUST-NOT-LEAK", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "SECRET-KEY-MUST-NOT-LEAK", 1);
    size_t log_start = logs.length;
    sparta__aws_client *c = client();
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    sparta_error_slot err = {0};
    char *url = publish(c, "templates/v1.json", template_v1);
    sparta__converge_options o = options(template_v1, url, NULL, 0, NULL, 0);
    sparta__converge_result res;
    int rc = sparta__converge(c, &o, &res, &err);
    if (rc) fprintf(stderr, "\nconverge through proxy: %s\n", err.message);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_CREATED);
    sparta__converge_result_free(&res);
    char *stats = local_proxy_get(&proxy, "stats");
    TEST_ASSERT_CONTAINS(stats, "\"CreateChangeSet\": 3");
    free(stats);
    /* the session token was sent (signed) on the wire */
    char *reqs = local_proxy_get(&proxy, "requests");
    TEST_ASSERT_CONTAINS(reqs, "\"X-Amz-Security-Token\": \"SESSION-TOKEN-MUST-NOT-LEAK\"");
    TEST_ASSERT_CONTAINS(reqs, "x-amz-security-token");
    free(reqs);
    /* a failing call too, so error paths are in the logs */
    CU_ASSERT_EQUAL(sparta__s3_check_bucket(c, "no-such-bucket", &err), SPARTA_EAWS);
    CU_ASSERT_PTR_NULL(strstr(err.message, "MUST-NOT-LEAK"));

    /* every debug line of this run: retries logged, secrets never */
    const char *run = logs.data + log_start;
    TEST_ASSERT_CONTAINS(run, "AWS call will be retried");
    TEST_ASSERT_CONTAINS(run, "reason=\"Throttling (HTTP 400)\"");
    CU_ASSERT_PTR_NULL(strstr(run, "SESSION-TOKEN-MUST-NOT-LEAK"));
    CU_ASSERT_PTR_NULL(strstr(run, "SECRET-KEY-MUST-NOT-LEAK"));
    CU_ASSERT_PTR_NULL(strstr(run, "MUST-NOT-LEAK"));
    sparta__aws_client_free(c);
    local_aws_stop(&proxy);
    free(url);
}

/* role_arn profiles: STS AssumeRole with the source_profile's keys, and
 * with credential_source = Environment; the client then signs with the
 * temporary keys (moto hands out "ASIA..." keys with a session token). */
static void test_assume_role(void) {
    fresh();
    char *dir = test_tmpdir();
    char *config = test_strf("%s/config", dir), *credentials = test_strf("%s/credentials", dir);
    test_write_file(credentials, "[base]\naws_access_key_id = testing\naws_secret_access_key = testing\n");
    test_write_file(config,
                    "[profile deployer]\nrole_arn = arn:aws:iam::123456789012:role/deployer\n"
                    "source_profile = base\nrole_session_name = ci-run-42\nduration_seconds = 900\n"
                    "region = us-east-1\n"
                    "[profile chained]\nrole_arn = arn:aws:iam::123456789012:role/second\nsource_profile = deployer\n"
                    "[profile fromenv]\nrole_arn = arn:aws:iam::123456789012:role/env\n"
                    "credential_source = Environment\n");
    setenv("AWS_CONFIG_FILE", config, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", credentials, 1);
    static const char *const profiles[] = {"deployer", "chained", "fromenv"};
    for (size_t i = 0; i < 3; i++) {
        sparta__aws_profile p;
        sparta_error_slot err = {0};
        CU_ASSERT_EQUAL_FATAL(sparta__aws_profile_load(profiles[i], &p, &err), 0);
        sparta__aws_credentials_options o = {&p, 500, &logger, 0, 0};
        sparta__aws_credentials c;
        int rc = sparta__aws_credentials_resolve(&o, &c, &err);
        if (rc) fprintf(stderr, "\n%s: %s\n", profiles[i], err.message);
        CU_ASSERT_EQUAL(rc, 0);
        if (rc == 0) {
            CU_ASSERT_NSTRING_EQUAL(c.access_key_id, "ASIA", 4);
            CU_ASSERT_PTR_NOT_NULL(c.session_token);
            CU_ASSERT(c.expiration > time(NULL));
            char *source = test_strf("profile %s (role arn:aws:iam::123456789012:role/", profiles[i]);
            TEST_ASSERT_CONTAINS(c.source, source);
            free(source);
        }
        sparta__aws_credentials_clear(&c);
        sparta__aws_profile_free(&p);
    }
    /* A client on the role profile (named, as --profile does: the
     * environment's keys would win over AWS_PROFILE) signs with the role's keys. */
    sparta__aws_client_options o = SPARTA__AWS_CLIENT_OPTIONS_INIT;
    o.profile = "deployer";
    o.logger = &logger;
    sparta__aws_client *c = NULL;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL_FATAL(sparta__aws_client_new(&o, &c, &err), 0);
    TEST_ASSERT_CONTAINS(sparta__aws_client_credentials_source(c), "profile deployer (role ");
    make_bucket();
    CU_ASSERT_EQUAL(sparta__s3_check_bucket(c, BUCKET, &err), 0);
    sparta__aws_client_free(c);
    unsetenv("AWS_CONFIG_FILE");
    unsetenv("AWS_SHARED_CREDENTIALS_FILE");
    free(config);
    free(credentials);
    test_rmtree(dir);
    free(dir);
}

int main(void) {
    /* Started once here, so a machine without moto stops the suite at once. */
    if (local_aws_fresh(&moto) != 0) {
        fprintf(stderr, "\ncannot run the moto integration tests (see above)\n");
        return 1;
    }
    sparta__logger_init(&logger);
    logger.level = SPARTA_LOG_DEBUG;
    logger.color = 0;
    logger.sink = capture;
    static const test_case cases[] = {
        {"S3: bucket checks, versioning, upload, skip, multipart", test_s3_uploads},
        {"stack: create, no-change, update, diff, no-execute, direct, status, delete", test_stack_lifecycle},
        {"REVIEW_IN_PROGRESS stack of an unexecuted CREATE change set: deleted, created again", test_review_in_progress_is_replaced},
        {"throttling and 503 in front of moto clear; secrets never logged", test_throttling_in_front_of_moto},
        {"role_arn: AssumeRole with a source_profile, a chain and credential_source", test_assume_role},
        {NULL, NULL}};
    int rc = test_main("aws_moto", cases);
    local_aws_stop(&moto);
    /* the whole debug log of the suite, for the record, without secrets */
    if (logs.data && strstr(logs.data, "MUST-NOT-LEAK")) rc = 1;
    sparta__buffer_free(&logs);
    return rc;
}
