/* Failure paths of the AWS client through the fault proxy
 * (tests/tools/aws_fault_proxy.py) answering canned, AWS-shaped responses:
 * retries that clear and that do not, resets, cut answers, timeouts
 * (SPARTA_HTTP_TIMEOUT_MS, connect), malformed and HTML answers, S3 errors,
 * idempotent retries of mutating calls (one token per call, "already done"
 * answers to a retry), and replayed CloudFormation failures (CREATE_FAILED
 * -> ROLLBACK_COMPLETE, UPDATE_ROLLBACK_COMPLETE, stuck IN_PROGRESS,
 * recreate after ROLLBACK_COMPLETE, empty change sets, Ctrl-C). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* setenv */
#endif
#include <arpa/inet.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "aws/converge.h"
#include "aws/s3.h"
#include "buffer.h"
#include "local_aws.h"
#include "test_support.h"

static local_aws proxy;
static int proxy_up;

#define ARN "arn:aws:cloudformation:us-east-1:123456789012:stack/demo/1"
#define MISSING "<ErrorResponse><Error><Type>Sender</Type><Code>ValidationError</Code><Message>Stack with id demo does not exist</Message></Error><RequestId>r-missing</RequestId></ErrorResponse>"
#define TEMPLATE "{\"Resources\":{\"Bucket\":{\"Type\":\"AWS::S3::Bucket\"},\"Role\":{\"Type\":\"AWS::IAM::Role\",\"Properties\":{\"AssumeRolePolicyDocument\":{}}}}}"

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void setup_proxy(void) {
    if (proxy_up) return;
    if (local_proxy_start(&proxy, NULL, 60) != 0) {
        fprintf(stderr, "\nthe fault proxy (python3 tests/tools/aws_fault_proxy.py) did not start\n");
        exit(1);
    }
    proxy_up = 1;
    local_aws_set_env(&proxy);
}

static sparta__aws_client *client(int attempts, long timeout_ms, sparta_logger *lg) {
    setup_proxy();
    sparta__aws_client_options o = SPARTA__AWS_CLIENT_OPTIONS_INIT;
    o.max_attempts = attempts;
    o.timeout_ms = timeout_ms;
    o.connect_timeout_ms = 500;
    o.retry_base_ms = 5;
    o.retry_max_ms = 20;
    o.logger = lg;
    sparta__aws_client *c = NULL;
    sparta_error_slot err = {0};
    if (sparta__aws_client_new(&o, &c, &err) != 0) fprintf(stderr, "\nclient: %s\n", err.message);
    return c;
}

static void rules(const char *json) {
    setup_proxy();
    CU_ASSERT_EQUAL_FATAL(local_proxy_rules(&proxy, json), 0);
}

/* How many requests the proxy saw for action (or in total for NULL). */
static int seen(const char *action) {
    char *stats = local_proxy_get(&proxy, "stats");
    json_object *j = stats ? json_tokener_parse(stats) : NULL, *v = NULL, *a = NULL;
    int n = 0;
    if (j && !action && json_object_object_get_ex(j, "requests", &v)) n = json_object_get_int(v);
    if (j && action && json_object_object_get_ex(j, "actions", &a) && json_object_object_get_ex(a, action, &v))
        n = json_object_get_int(v);
    json_object_put(j);
    free(stats);
    return n;
}

static char *stack_xml(const char *status, const char *extra) {
    return test_strf("<DescribeStacksResponse><DescribeStacksResult><Stacks><member><StackId>" ARN
                     "</StackId><StackName>demo</StackName><StackStatus>%s</StackStatus>"
                     "<CreationTime>2026-01-01T00:00:00Z</CreationTime>%s</member></Stacks>"
                     "</DescribeStacksResult></DescribeStacksResponse>", status, extra ? extra : "");
}

static char *event_xml(const char *id, const char *logical, const char *type, const char *status,
                       const char *reason) {
    return test_strf("<member><EventId>%s</EventId><StackName>demo</StackName><LogicalResourceId>%s"
                     "</LogicalResourceId><ResourceType>%s</ResourceType><Timestamp>2026-01-01T00:00:0%sZ"
                     "</Timestamp><ResourceStatus>%s</ResourceStatus><ResourceStatusReason>%s"
                     "</ResourceStatusReason></member>", id, logical, type, id + 1, status, reason);
}

static char *events_xml(char **members, size_t n) {
    sparta_buffer b = SPARTA_BUFFER_INIT;
    sparta__buffer_puts(&b, "<DescribeStackEventsResponse><DescribeStackEventsResult><StackEvents>");
    for (size_t i = 0; i < n; i++) {
        sparta__buffer_puts(&b, members[i]);
        free(members[i]);
    }
    sparta__buffer_puts(&b, "</StackEvents></DescribeStackEventsResult></DescribeStackEventsResponse>");
    return sparta__buffer_take(&b, NULL);
}

/* ---- HTTP faults ------------------------------------------------------------ */

static void test_retries_that_clear(void) {
    char *ok = stack_xml("UPDATE_COMPLETE", NULL);
    char *r = test_strf("[{\"action\":\"DescribeStacks\",\"times\":2,\"status\":503,\"body\":\"\"},"
                        "{\"action\":\"DescribeStacks\",\"status\":200,\"body\":\"%s\"},"
                        "{\"action\":\"GetTemplate\",\"times\":2,\"status\":400,\"body\":\"<ErrorResponse><Error>"
                        "<Code>Throttling</Code><Message>Rate exceeded</Message></Error></ErrorResponse>\"},"
                        "{\"action\":\"GetTemplate\",\"status\":200,\"body\":\"<GetTemplateResponse><GetTemplateResult>"
                        "<TemplateBody>{}</TemplateBody></GetTemplateResult></GetTemplateResponse>\"}]", ok);
    rules(r);
    sparta__aws_client *c = client(4, 2000, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    sparta_error_slot err = {0};
    sparta__cfn_stack *s = NULL;
    CU_ASSERT_EQUAL(sparta__cfn_describe_stack(c, "demo", &s, &err), 0);
    CU_ASSERT_PTR_NOT_NULL(s);
    if (s) CU_ASSERT_STRING_EQUAL(s->status, "UPDATE_COMPLETE");
    CU_ASSERT_EQUAL(seen("DescribeStacks"), 3);
    char *body = NULL;
    CU_ASSERT_EQUAL(sparta__cfn_get_template(c, "demo", &body, &err), 0);
    if (body) CU_ASSERT_STRING_EQUAL(body, "{}");
    CU_ASSERT_EQUAL(seen("GetTemplate"), 3);
    sparta__cfn_stack_free(s);
    free(body), free(ok), free(r);
    sparta__aws_client_free(c);
}

static void test_retries_that_never_clear(void) {
    rules("[{\"action\":\"DescribeStacks\",\"status\":503,\"body\":\"\"}]");
    sparta__aws_client *c = client(3, 2000, NULL);
    sparta_error_slot err = {0};
    sparta__cfn_stack *s = NULL;
    CU_ASSERT_EQUAL(sparta__cfn_describe_stack(c, "demo", &s, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "cloudformation DescribeStacks failed after 3 attempts");
    TEST_ASSERT_CONTAINS(err.message, "ServiceUnavailable");
    TEST_ASSERT_CONTAINS(err.message, "HTTP 503");
    TEST_ASSERT_CONTAINS(err.message, "request ID proxy-request-id");
    CU_ASSERT_EQUAL(seen("DescribeStacks"), 3);
    sparta__aws_client_free(c);

    /* AWS_MAX_ATTEMPTS is honoured when no explicit count is given. */
    rules("[{\"action\":\"DescribeStacks\",\"status\":400,\"body\":\"<ErrorResponse><Error><Code>"
          "RequestLimitExceeded</Code><Message>slow</Message></Error></ErrorResponse>\"}]");
    setenv("AWS_MAX_ATTEMPTS", "2", 1);
    c = client(0, 2000, NULL);
    CU_ASSERT_EQUAL(sparta__cfn_describe_stack(c, "demo", &s, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "after 2 attempts: RequestLimitExceeded: slow");
    CU_ASSERT_EQUAL(seen("DescribeStacks"), 2);
    unsetenv("AWS_MAX_ATTEMPTS");
    sparta__aws_client_free(c);

    /* A client error is not retried. */
    rules("[{\"action\":\"DescribeStacks\",\"status\":403,\"body\":\"<ErrorResponse><Error><Code>"
          "AccessDenied</Code><Message>not allowed</Message></Error></ErrorResponse>\"}]");
    c = client(3, 2000, NULL);
    CU_ASSERT_EQUAL(sparta__cfn_describe_stack(c, "demo", &s, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "cloudformation DescribeStacks failed: AccessDenied: not allowed (HTTP 403");
    CU_ASSERT_EQUAL(seen("DescribeStacks"), 1);
    sparta__aws_client_free(c);
}

static void test_connection_reset(void) {
    char *ok = stack_xml("CREATE_COMPLETE", NULL);
    char *r = test_strf("[{\"action\":\"DescribeStacks\",\"times\":1,\"kind\":\"reset\"},"
                        "{\"action\":\"DescribeStacks\",\"status\":200,\"body\":\"%s\"}]", ok);
    rules(r);
    sparta__aws_client *c = client(3, 2000, NULL);
    sparta_error_slot err = {0};
    sparta__cfn_stack *s = NULL;
    CU_ASSERT_EQUAL(sparta__cfn_describe_stack(c, "demo", &s, &err), 0);
    CU_ASSERT_EQUAL(seen("DescribeStacks"), 2);
    sparta__cfn_stack_free(s);
    rules("[{\"action\":\"DescribeStacks\",\"kind\":\"reset\"}]");
    CU_ASSERT_EQUAL(sparta__cfn_describe_stack(c, "demo", &s, &err), SPARTA_EAWS);
    /* the endpoint was reached: the connection broke, it is not "cannot reach" */
    char *want = test_strf("cloudformation DescribeStacks failed after 3 attempts: the connection to %s broke "
                           "during the call: ", proxy.endpoint);
    TEST_ASSERT_CONTAINS(err.message, want);
    free(want);
    CU_ASSERT_PTR_NULL(strstr(err.message, "cannot reach"));
    /* our 3 attempts; libcurl itself retries once when a reused keep-alive
     * connection turns out dead, so the proxy may count one more */
    int n = seen("DescribeStacks");
    CU_ASSERT(n >= 3 && n <= 4);
    free(ok), free(r);
    sparta__aws_client_free(c);
}

static void test_answer_cut_short(void) {
    char *ok = stack_xml("CREATE_COMPLETE", NULL);
    char *r = test_strf("[{\"action\":\"DescribeStacks\",\"kind\":\"truncate\",\"status\":200,\"body\":\"%s\"}]", ok);
    rules(r);
    sparta__aws_client *c = client(2, 2000, NULL);
    sparta_error_slot err = {0};
    sparta__cfn_stack *s = NULL;
    CU_ASSERT_EQUAL(sparta__cfn_describe_stack(c, "demo", &s, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "cloudformation DescribeStacks failed after 2 attempts: the connection to");
    TEST_ASSERT_CONTAINS(err.message, "broke during the call: transfer closed with");
    CU_ASSERT_PTR_NULL(strstr(err.message, "cannot reach"));
    CU_ASSERT_EQUAL(seen("DescribeStacks"), 2);
    free(ok), free(r);
    sparta__aws_client_free(c);
}

static void test_answer_that_never_comes(void) {
    rules("[{\"action\":\"DescribeStacks\",\"kind\":\"hang\",\"seconds\":4}]");
    sparta__aws_client *c = client(2, 300, NULL);
    sparta_error_slot err = {0};
    sparta__cfn_stack *s = NULL;
    double t0 = now_s();
    CU_ASSERT_EQUAL(sparta__cfn_describe_stack(c, "demo", &s, &err), SPARTA_EAWS);
    double took = now_s() - t0;
    TEST_ASSERT_CONTAINS(err.message, "no answer from http://localhost:");
    TEST_ASSERT_CONTAINS(err.message, "within 300 ms after 2 attempts");
    CU_ASSERT(took >= 0.55 && took < 2.0);
    CU_ASSERT_EQUAL(seen("DescribeStacks"), 2);
    CU_ASSERT_PTR_NULL(strstr(err.message, "SPARTA_HTTP_TIMEOUT_MS")); /* set by the caller, not the variable */
    sparta__aws_client_free(c);

    /* The same from SPARTA_HTTP_TIMEOUT_MS, when the options leave it at 0. */
    setenv("SPARTA_HTTP_TIMEOUT_MS", "400", 1);
    c = client(2, 0, NULL);
    unsetenv("SPARTA_HTTP_TIMEOUT_MS");
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    rules("[{\"action\":\"DescribeStacks\",\"kind\":\"hang\",\"seconds\":4}]");
    t0 = now_s();
    CU_ASSERT_EQUAL(sparta__cfn_describe_stack(c, "demo", &s, &err), SPARTA_EAWS);
    took = now_s() - t0;
    TEST_ASSERT_CONTAINS(err.message, "within 400 ms after 2 attempts");
    TEST_ASSERT_CONTAINS(err.message, "raise the timeout (SPARTA_HTTP_TIMEOUT_MS)");
    CU_ASSERT(took >= 0.75 && took < 2.5);
    sparta__aws_client_free(c);
}

/* ---- idempotent retries of mutating calls ------------------------------------- */

#define CS_ARN "arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs-retried/1"
#define ALREADY_EXISTS "<ErrorResponse><Error><Type>Sender</Type><Code>AlreadyExistsException</Code><Message>ChangeSet cs-retried already exists</Message></Error><RequestId>r-exists</RequestId></ErrorResponse>"
#define INVALID_STATUS "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidChangeSetStatus</Code><Message>ChangeSet cannot be executed in its current execution status of [EXECUTE_IN_PROGRESS]</Message></Error><RequestId>r-status</RequestId></ErrorResponse>"

/* The value of form field `field` in each logged request for `action`, oldest first. */
static int logged_fields(const char *action, const char *field, char out[][64], int max) {
    char *text = local_proxy_get(&proxy, "requests");
    json_object *log = text ? json_tokener_parse(text) : NULL;
    free(text);
    int n = 0;
    for (size_t i = 0; log && i < json_object_array_length(log) && n < max; i++) {
        json_object *e = json_object_array_get_idx(log, i), *a = NULL, *form = NULL, *v = NULL;
        if (!json_object_object_get_ex(e, "action", &a) || strcmp(json_object_get_string(a), action) != 0) continue;
        const char *value = json_object_object_get_ex(e, "form", &form) && json_object_object_get_ex(form, field, &v)
                                ? json_object_get_string(v)
                                : "";
        snprintf(out[n++], 64, "%s", value);
    }
    json_object_put(log);
    return n;
}

/* Every attempt of action carried the same token, of the promised form. */
static void assert_same_token(const char *action, const char *field, int attempts) {
    char tokens[8][64];
    int n = logged_fields(action, field, tokens, 8);
    CU_ASSERT_EQUAL(n, attempts);
    for (int i = 0; i < n; i++) {
        if (strncmp(tokens[i], "sparta-", 7) != 0 || strlen(tokens[i]) > 64 ||
            strspn(tokens[i], "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-") != strlen(tokens[i]))
            fprintf(stderr, "\n%s %s[%d] = '%s'\n", action, field, i, tokens[i]);
        CU_ASSERT_EQUAL(strncmp(tokens[i], "sparta-", 7), 0);
        CU_ASSERT_STRING_EQUAL(tokens[i], tokens[0]);
    }
}

static void test_retried_create_change_set(void) {
    const char *created = "<CreateChangeSetResponse><CreateChangeSetResult><Id>" CS_ARN "</Id><StackId>" ARN
                          "</StackId></CreateChangeSetResult></CreateChangeSetResponse>";
    const char *described = "<DescribeChangeSetResponse><DescribeChangeSetResult><ChangeSetId>" CS_ARN
                            "</ChangeSetId><ChangeSetName>cs-retried</ChangeSetName><StackId>" ARN "</StackId>"
                            "<Status>CREATE_COMPLETE</Status><ExecutionStatus>AVAILABLE</ExecutionStatus>"
                            "</DescribeChangeSetResult></DescribeChangeSetResponse>";
    /* the first answer is cut (CloudFormation acted), the retry hears AlreadyExistsException */
    char *r = test_strf("[{\"action\":\"CreateChangeSet\",\"body_contains\":\"ClientToken=sparta-\",\"times\":1,"
                        "\"kind\":\"truncate\",\"status\":200,\"body\":\"%s\"},"
                        "{\"action\":\"CreateChangeSet\",\"times\":1,\"status\":400,\"body\":\"" ALREADY_EXISTS "\"},"
                        "{\"action\":\"DescribeChangeSet\",\"status\":200,\"body\":\"%s\"}]", created, described);
    rules(r);
    sparta__aws_client *c = client(3, 2000, NULL);
    sparta_error_slot err = {0};
    sparta__cfn_stack_input in = {"demo", NULL, "https://bucket.s3.us-east-1.amazonaws.com/demo.json",
                                  NULL, 0, NULL, 0, NULL, 0, NULL};
    char *cs_id = NULL, *stack_id = NULL;
    CU_ASSERT_EQUAL(sparta__cfn_create_change_set(c, &in, "cs-retried", "UPDATE", &cs_id, &stack_id, &err), 0);
    CU_ASSERT_EQUAL(err.code, 0);
    if (cs_id) CU_ASSERT_STRING_EQUAL(cs_id, CS_ARN);
    if (stack_id) CU_ASSERT_STRING_EQUAL(stack_id, ARN);
    CU_ASSERT_EQUAL(seen("CreateChangeSet"), 2);
    CU_ASSERT_EQUAL(seen("DescribeChangeSet"), 1);
    assert_same_token("CreateChangeSet", "ClientToken", 2);
    char names[2][64];
    CU_ASSERT_EQUAL(logged_fields("DescribeChangeSet", "ChangeSetName", names, 2), 1);
    CU_ASSERT_STRING_EQUAL(names[0], "cs-retried");
    free(cs_id), free(stack_id);
    cs_id = stack_id = NULL;

    /* AlreadyExistsException on a first attempt is a real error */
    rules("[{\"action\":\"CreateChangeSet\",\"status\":400,\"body\":\"" ALREADY_EXISTS "\"}]");
    CU_ASSERT_EQUAL(sparta__cfn_create_change_set(c, &in, "cs-retried", "UPDATE", &cs_id, &stack_id, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "cloudformation CreateChangeSet failed: AlreadyExistsException");
    CU_ASSERT_EQUAL(seen("DescribeChangeSet"), 0);
    CU_ASSERT_PTR_NULL(cs_id);

    /* ... and so is one on a retry when no change set of that name can be read */
    rules("[{\"action\":\"CreateChangeSet\",\"times\":1,\"kind\":\"reset\"},"
          "{\"action\":\"CreateChangeSet\",\"status\":400,\"body\":\"" ALREADY_EXISTS "\"},"
          "{\"action\":\"DescribeChangeSet\",\"status\":400,\"body\":\"<ErrorResponse><Error><Code>"
          "ChangeSetNotFound</Code><Message>ChangeSet [cs-retried] does not exist</Message></Error></ErrorResponse>\"}]");
    CU_ASSERT_EQUAL(sparta__cfn_create_change_set(c, &in, "cs-retried", "UPDATE", &cs_id, &stack_id, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "cloudformation CreateChangeSet failed after 2 attempts: AlreadyExistsException");
    CU_ASSERT_EQUAL(seen("DescribeChangeSet"), 1);
    free(r);
    sparta__aws_client_free(c);
}

static void test_retried_execute_change_set(void) {
    const char *busy = "<DescribeChangeSetResponse><DescribeChangeSetResult><ChangeSetId>" CS_ARN "</ChangeSetId>"
                       "<Status>CREATE_COMPLETE</Status><ExecutionStatus>EXECUTE_IN_PROGRESS</ExecutionStatus>"
                       "</DescribeChangeSetResult></DescribeChangeSetResponse>";
    char *r = test_strf("[{\"action\":\"ExecuteChangeSet\",\"body_contains\":\"ClientRequestToken=sparta-\",\"times\":1,"
                        "\"kind\":\"reset\"},"
                        "{\"action\":\"ExecuteChangeSet\",\"times\":1,\"status\":400,\"body\":\"" INVALID_STATUS "\"},"
                        "{\"action\":\"DescribeChangeSet\",\"status\":200,\"body\":\"%s\"}]", busy);
    rules(r);
    sparta__aws_client *c = client(3, 2000, NULL);
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(sparta__cfn_execute_change_set(c, "demo", CS_ARN, &err), 0);
    CU_ASSERT_EQUAL(err.code, 0);
    CU_ASSERT_EQUAL(seen("ExecuteChangeSet"), 2);
    CU_ASSERT_EQUAL(seen("DescribeChangeSet"), 1);
    assert_same_token("ExecuteChangeSet", "ClientRequestToken", 2);

    /* the change set is not executing: the error stands */
    const char *obsolete = "<DescribeChangeSetResponse><DescribeChangeSetResult><ChangeSetId>" CS_ARN "</ChangeSetId>"
                           "<Status>CREATE_COMPLETE</Status><ExecutionStatus>OBSOLETE</ExecutionStatus>"
                           "</DescribeChangeSetResult></DescribeChangeSetResponse>";
    char *r2 = test_strf("[{\"action\":\"ExecuteChangeSet\",\"times\":1,\"kind\":\"reset\"},"
                         "{\"action\":\"ExecuteChangeSet\",\"status\":400,\"body\":\"" INVALID_STATUS "\"},"
                         "{\"action\":\"DescribeChangeSet\",\"status\":200,\"body\":\"%s\"}]", obsolete);
    rules(r2);
    CU_ASSERT_EQUAL(sparta__cfn_execute_change_set(c, "demo", CS_ARN, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "ExecuteChangeSet failed after 2 attempts: InvalidChangeSetStatus");
    /* a first attempt answered InvalidChangeSetStatus is not looked into */
    rules("[{\"action\":\"ExecuteChangeSet\",\"status\":400,\"body\":\"" INVALID_STATUS "\"}]");
    CU_ASSERT_EQUAL(sparta__cfn_execute_change_set(c, "demo", CS_ARN, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "cloudformation ExecuteChangeSet failed: InvalidChangeSetStatus");
    CU_ASSERT_EQUAL(seen("DescribeChangeSet"), 0);
    free(r), free(r2);
    sparta__aws_client_free(c);
}

/* CreateStack, UpdateStack, DeleteStack: one ClientRequestToken per call,
 * the same on its retry, a new one for the next call. */
static void test_stack_calls_carry_tokens(void) {
    rules("[{\"action\":\"CreateStack\",\"each\":1,\"status\":500,\"body\":\"\"},"
          "{\"action\":\"UpdateStack\",\"each\":1,\"kind\":\"reset\"},"
          "{\"action\":\"DeleteStack\",\"each\":1,\"status\":503,\"body\":\"\"},"
          "{\"action\":\"CreateStack\",\"status\":200,\"body\":\"<CreateStackResponse><CreateStackResult><StackId>" ARN
          "</StackId></CreateStackResult></CreateStackResponse>\"},"
          "{\"action\":\"UpdateStack\",\"status\":200,\"body\":\"<UpdateStackResponse><UpdateStackResult><StackId>" ARN
          "</StackId></UpdateStackResult></UpdateStackResponse>\"},"
          "{\"action\":\"DeleteStack\",\"status\":200,\"body\":\"<DeleteStackResponse/>\"}]");
    sparta__aws_client *c = client(3, 2000, NULL);
    sparta_error_slot err = {0};
    sparta__cfn_stack_input in = {"demo", TEMPLATE, NULL, NULL, 0, NULL, 0, NULL, 0, NULL};
    char *id = NULL;
    int no_updates = 1;
    CU_ASSERT_EQUAL(sparta__cfn_create_stack(c, &in, &id, &err), 0);
    free(id);
    id = NULL;
    CU_ASSERT_EQUAL(sparta__cfn_update_stack(c, &in, &id, &no_updates, &err), 0);
    CU_ASSERT_EQUAL(no_updates, 0);
    free(id);
    CU_ASSERT_EQUAL(sparta__cfn_delete_stack(c, "demo", &err), 0);
    assert_same_token("CreateStack", "ClientRequestToken", 2);
    assert_same_token("UpdateStack", "ClientRequestToken", 2);
    assert_same_token("DeleteStack", "ClientRequestToken", 2);
    char a[2][64], b[2][64];
    logged_fields("CreateStack", "ClientRequestToken", a, 2);
    logged_fields("DeleteStack", "ClientRequestToken", b, 2);
    CU_ASSERT(strcmp(a[0], b[0]) != 0);
    /* DeleteChangeSet takes no token */
    rules("[{\"action\":\"DeleteChangeSet\",\"status\":200,\"body\":\"<DeleteChangeSetResponse/>\"}]");
    CU_ASSERT_EQUAL(sparta__cfn_delete_change_set(c, "demo", CS_ARN, &err), 0);
    CU_ASSERT_EQUAL(logged_fields("DeleteChangeSet", "ClientRequestToken", a, 2), 1);
    CU_ASSERT_STRING_EQUAL(a[0], "");
    sparta__aws_client_free(c);
}

static void test_malformed_and_html(void) {
    rules("[{\"action\":\"DescribeStacks\",\"status\":200,\"body\":\"<DescribeStacksResponse><Describe\"},"
          "{\"action\":\"GetTemplate\",\"status\":500,\"headers\":{\"Content-Type\":\"text/html\"},"
          "\"body\":\"<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body><h1>"
          "Internal Server Error</h1><p>The server encountered an internal error.</p></body></html>\"},"
          "{\"action\":\"ListStacks\",\"status\":400,\"body\":\"<ErrorResponse><Error><Code>Bro\"}]");
    sparta__aws_client *c = client(2, 2000, NULL);
    sparta_error_slot err = {0};
    sparta__cfn_stack *s = NULL;
    CU_ASSERT_EQUAL(sparta__cfn_describe_stack(c, "demo", &s, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "cloudformation DescribeStacks: the answer is not the XML expected (HTTP 200");
    char *body = NULL;
    CU_ASSERT_EQUAL(sparta__cfn_get_template(c, "demo", &body, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "GetTemplate failed after 2 attempts: HTTP 500: unexpected answer that "
                                      "is not an AWS error document: 500 Internal Server Error");
    CU_ASSERT_PTR_NULL(body);
    sparta__aws_response resp;
    CU_ASSERT_EQUAL(sparta__aws_query_call(c, "cloudformation", "ListStacks", "2010-05-15", NULL, &resp, &err), SPARTA_EAWS);
    CU_ASSERT_STRING_EQUAL(resp.error_code, "BadRequest");
    CU_ASSERT_EQUAL(resp.status, 400);
    sparta__aws_response_free(&resp);
    sparta__aws_client_free(c);
}

static void test_json_protocol_errors(void) {
    rules("[{\"action\":\"GetPipeline\",\"times\":1,\"status\":400,\"body\":\"{\\\"__type\\\":\\\"ThrottlingException\\\"}\"},"
          "{\"action\":\"GetPipeline\",\"status\":200,\"body\":\"{\\\"pipeline\\\":{\\\"name\\\":\\\"p\\\"}}\"},"
          "{\"action\":\"CreatePipeline\",\"status\":400,\"headers\":{\"x-amzn-RequestId\":\"json-42\"},"
          "\"body\":\"{\\\"__type\\\":\\\"com.amazonaws.codepipeline#ValidationException\\\",\\\"message\\\":\\\"bad stage\\\"}\"}]");
    sparta__aws_client *c = client(3, 2000, NULL);
    sparta_error_slot err = {0};
    sparta__aws_response resp;
    CU_ASSERT_EQUAL(sparta__aws_json_call(c, "codepipeline", "CodePipeline_20150709", "GetPipeline",
                                          "{\"name\":\"p\"}", &resp, &err), 0);
    TEST_ASSERT_CONTAINS(resp.body, "\"name\":\"p\"");
    CU_ASSERT_EQUAL(resp.attempts, 2);
    sparta__aws_response_free(&resp);
    CU_ASSERT_EQUAL(sparta__aws_json_call(c, "codepipeline", "CodePipeline_20150709", "CreatePipeline",
                                          "{}", &resp, &err), SPARTA_EAWS);
    CU_ASSERT_STRING_EQUAL(err.message, "codepipeline CreatePipeline failed: ValidationException: bad stage "
                                        "(HTTP 400, request ID json-42)");
    sparta__aws_response_free(&resp);
    /* the generic request reaches any service and signs for it */
    char *log = local_proxy_get(&proxy, "requests");
    TEST_ASSERT_CONTAINS(log, "\"X-Amz-Target\": \"CodePipeline_20150709.CreatePipeline\"");
    TEST_ASSERT_CONTAINS(log, "/codepipeline/aws4_request");
    free(log);
    sparta__aws_client_free(c);
}

static void test_endpoint_gone(void) {
    setup_proxy();
    int port = local_aws_free_port();
    char *url = test_strf("http://127.0.0.1:%d", port);
    setenv("AWS_ENDPOINT_URL_CLOUDFORMATION", url, 1);
    sparta__aws_client *c = client(2, 2000, NULL);
    sparta_error_slot err = {0};
    sparta__cfn_stack *s = NULL;
    CU_ASSERT_EQUAL(sparta__cfn_describe_stack(c, "demo", &s, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "cannot reach");
    TEST_ASSERT_CONTAINS(err.message, url);
    unsetenv("AWS_ENDPOINT_URL_CLOUDFORMATION");
    free(url);
    sparta__aws_client_free(c);
}

/* A listener whose accept queue is full: the kernel drops further SYNs, so
 * a connect hangs until the client's connect timeout. */
static void test_connect_timeout(void) {
    setup_proxy();
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    CU_ASSERT_EQUAL_FATAL(bind(lfd, (struct sockaddr *)&a, sizeof a), 0);
    CU_ASSERT_EQUAL_FATAL(listen(lfd, 0), 0);
    CU_ASSERT_EQUAL_FATAL(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
    int fill[4];
    for (int i = 0; i < 4; i++) { /* fill the queue; later connects may hang too: non-blocking */
        fill[i] = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
        connect(fill[i], (struct sockaddr *)&a, sizeof a);
    }
    struct timespec settle = {0, 100 * 1000000L};
    nanosleep(&settle, NULL);
    char *url = test_strf("http://127.0.0.1:%d", ntohs(a.sin_port));
    setenv("AWS_ENDPOINT_URL_CLOUDFORMATION", url, 1);
    sparta__aws_client *c = client(2, 5000, NULL); /* connect timeout 500 ms, from the options */
    sparta_error_slot err = {0};
    sparta__cfn_stack *s = NULL;
    double t0 = now_s();
    CU_ASSERT_EQUAL(sparta__cfn_describe_stack(c, "demo", &s, &err), SPARTA_EAWS);
    double took = now_s() - t0;
    char *want = test_strf("cloudformation DescribeStacks: cannot reach %s after 2 attempts: no connection within "
                           "500 ms", url);
    TEST_ASSERT_CONTAINS(err.message, want);
    CU_ASSERT_PTR_NULL(strstr(err.message, "SPARTA_HTTP_CONNECT_TIMEOUT_MS")); /* set by the caller */
    CU_ASSERT(took >= 0.9 && took < 3.0);
    unsetenv("AWS_ENDPOINT_URL_CLOUDFORMATION");
    for (int i = 0; i < 4; i++) close(fill[i]);
    close(lfd);
    free(url), free(want);
    sparta__aws_client_free(c);
}

static void test_s3_errors(void) {
    rules("[{\"method\":\"HEAD\",\"path\":\"/missing\",\"status\":404},"
          "{\"method\":\"HEAD\",\"path\":\"/elsewhere\",\"status\":301,\"headers\":{\"x-amz-bucket-region\":\"eu-west-1\"}},"
          "{\"method\":\"PUT\",\"path\":\"/locked/\",\"status\":403,\"body\":\"<Error><Code>AccessDenied</Code>"
          "<Message>Access Denied</Message><RequestId>s3-req</RequestId></Error>\"},"
          "{\"method\":\"HEAD\",\"path\":\"/locked/\",\"status\":404},"
          "{\"method\":\"POST\",\"query\":\"uploads\",\"status\":200,\"body\":\"<InitiateMultipartUploadResult>"
          "<Bucket>big</Bucket><Key>k</Key><UploadId>UP-1</UploadId></InitiateMultipartUploadResult>\"},"
          "{\"method\":\"PUT\",\"query\":\"partNumber=2\",\"status\":500,\"body\":\"<Error><Code>InternalError</Code>"
          "<Message>boom</Message></Error>\"},"
          "{\"method\":\"PUT\",\"query\":\"partNumber\",\"status\":200,\"headers\":{\"ETag\":\"\\\"e1\\\"\"}},"
          "{\"method\":\"DELETE\",\"query\":\"uploadId=UP-1\",\"status\":204}]");
    sparta__aws_client *c = client(2, 5000, NULL);
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(sparta__s3_check_bucket(c, "missing", &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "S3 bucket 'missing' does not exist");
    CU_ASSERT_EQUAL(sparta__s3_check_bucket(c, "elsewhere", &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "S3 bucket 'elsewhere' is in region eu-west-1, not us-east-1");
    char *dir = test_tmpdir();
    char *small = test_strf("%s/small.zip", dir), *big = test_strf("%s/big.zip", dir);
    test_write_file(small, "PK-small");
    int uploaded = -1;
    CU_ASSERT_EQUAL(sparta__s3_upload_file_if_absent(c, "locked", "a/small.zip", small, &uploaded, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "access denied to S3 bucket 'locked' (PutObject, HTTP 403, request ID proxy-request-id)");
    CU_ASSERT_EQUAL(uploaded, 0);
    /* a failed multipart upload is aborted */
    CU_ASSERT_EQUAL(test_sh(NULL, "head -c %u /dev/zero > '%s'", SPARTA__S3_MULTIPART_THRESHOLD + 1024u, big), 0);
    CU_ASSERT_EQUAL(sparta__s3_upload_file(c, "big", "k", big, NULL, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "InternalError: boom");
    char *log = local_proxy_get(&proxy, "requests");
    TEST_ASSERT_CONTAINS(log, "\"method\": \"DELETE\", \"path\": \"/big/k?uploadId=UP-1\"");
    free(log);
    test_rmtree(dir);
    free(dir), free(small), free(big);
    sparta__aws_client_free(c);
}

/* ---- replayed CloudFormation failures ---------------------------------------- */

typedef struct seen_events {
    sparta_buffer lines;
    int count;
    size_t last_done, last_total;
    volatile sig_atomic_t *interrupt_on_first;
} seen_events;

static void on_event(void *user, const sparta__cfn_event *e, size_t done, size_t total) {
    seen_events *s = user;
    sparta__buffer_printf(&s->lines, "%s %s %s|", e->event_id, e->logical_id, e->status);
    s->count++;
    s->last_done = done;
    s->last_total = total;
    if (s->interrupt_on_first) *s->interrupt_on_first = 1;
}

static sparta__converge_options options(sparta__converge_method method, seen_events *ev) {
    sparta__converge_options o;
    memset(&o, 0, sizeof o);
    o.version = SPARTA__CONVERGE_OPTIONS_VERSION;
    o.stack_name = "demo";
    o.template_body = TEMPLATE;
    o.template_url = "https://bucket.s3.us-east-1.amazonaws.com/demo.json";
    o.method = method;
    o.poll.initial_ms = 10;
    o.poll.max_ms = 20;
    o.poll.timeout_ms = 5000;
    o.poll.on_event = on_event;
    o.poll.user = ev;
    return o;
}

static void test_create_failed_rollback_complete(void) {
    char *st1 = stack_xml("CREATE_IN_PROGRESS", NULL), *st2 = stack_xml("ROLLBACK_IN_PROGRESS", NULL);
    char *st3 = stack_xml("ROLLBACK_COMPLETE", "<StackStatusReason>The following resource(s) failed to create: "
                                               "[Bucket, Role]. Rollback requested by user.</StackStatusReason>");
    char *m[] = {event_xml("E6", "demo", "AWS::CloudFormation::Stack", "ROLLBACK_COMPLETE", ""),
                 event_xml("E5", "Role", "AWS::IAM::Role", "DELETE_COMPLETE", ""),
                 event_xml("E4", "Bucket", "AWS::S3::Bucket", "DELETE_COMPLETE", ""),
                 event_xml("E3", "demo", "AWS::CloudFormation::Stack", "ROLLBACK_IN_PROGRESS", "The following resource(s) failed to create: [Bucket, Role]."),
                 event_xml("E2", "Role", "AWS::IAM::Role", "CREATE_FAILED", "Resource creation cancelled"),
                 event_xml("E1", "Bucket", "AWS::S3::Bucket", "CREATE_FAILED", "demo-bucket already exists in stack other"),
                 event_xml("E0", "demo", "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", "User Initiated")};
    char *events = events_xml(m, 7);
    char *r = test_strf("[{\"action\":\"DescribeStacks\",\"times\":1,\"status\":400,\"body\":\"" MISSING "\"},"
                        "{\"action\":\"CreateStack\",\"status\":200,\"body\":\"<CreateStackResponse><CreateStackResult>"
                        "<StackId>" ARN "</StackId></CreateStackResult></CreateStackResponse>\"},"
                        "{\"action\":\"DescribeStacks\",\"times\":1,\"status\":200,\"body\":\"%s\"},"
                        "{\"action\":\"DescribeStacks\",\"times\":1,\"status\":200,\"body\":\"%s\"},"
                        "{\"action\":\"DescribeStacks\",\"status\":200,\"body\":\"%s\"},"
                        "{\"action\":\"DescribeStackEvents\",\"status\":200,\"body\":\"%s\"}]", st1, st2, st3, events);
    rules(r);
    sparta__aws_client *c = client(2, 2000, NULL);
    seen_events ev = {SPARTA_BUFFER_INIT, 0, 0, 0, NULL};
    sparta__converge_options o = options(SPARTA__CONVERGE_DIRECT, &ev);
    sparta__converge_result res;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(sparta__converge(c, &o, &res, &err), SPARTA_EAWS);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_FAILED);
    CU_ASSERT_STRING_EQUAL(res.status, "ROLLBACK_COMPLETE");
    TEST_ASSERT_CONTAINS(err.message, "stack demo ended in ROLLBACK_COMPLETE: the create failed and was rolled back");
    TEST_ASSERT_CONTAINS(err.message, "- Bucket (AWS::S3::Bucket) CREATE_FAILED: demo-bucket already exists in stack other");
    TEST_ASSERT_CONTAINS(err.message, "- Role (AWS::IAM::Role) CREATE_FAILED: Resource creation cancelled");
    CU_ASSERT_EQUAL(res.failure_count, 2);
    /* events arrive oldest first, each once, with the resource counter */
    CU_ASSERT_EQUAL(ev.count, 7);
    TEST_ASSERT_CONTAINS(ev.lines.data, "E0 demo CREATE_IN_PROGRESS|E1 Bucket CREATE_FAILED|E2 Role CREATE_FAILED|");
    TEST_ASSERT_CONTAINS(ev.lines.data, "E6 demo ROLLBACK_COMPLETE|");
    CU_ASSERT_EQUAL(ev.last_total, 2);
    CU_ASSERT_EQUAL(ev.last_done, 2);
    /* it waited for the rollback to finish */
    CU_ASSERT_EQUAL(seen("DescribeStacks"), 4);
    sparta__converge_result_free(&res);
    sparta__buffer_free(&ev.lines);
    free(st1), free(st2), free(st3), free(events), free(r);
    sparta__aws_client_free(c);
}

static void test_update_rollback_complete(void) {
    char *st0 = stack_xml("UPDATE_COMPLETE", NULL), *st1 = stack_xml("UPDATE_IN_PROGRESS", NULL);
    char *st2 = stack_xml("UPDATE_ROLLBACK_IN_PROGRESS", NULL), *st3 = stack_xml("UPDATE_ROLLBACK_COMPLETE", NULL);
    char *old[] = {event_xml("E0", "demo", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", "")};
    char *before = events_xml(old, 1);
    char *m[] = {event_xml("E4", "demo", "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_COMPLETE", ""),
                 event_xml("E3", "Fn", "AWS::Lambda::Function", "UPDATE_COMPLETE", ""),
                 event_xml("E2", "demo", "AWS::CloudFormation::Stack", "UPDATE_ROLLBACK_IN_PROGRESS", "The following resource(s) failed to update: [Fn]."),
                 event_xml("E1", "Fn", "AWS::Lambda::Function", "UPDATE_FAILED", "Resource handler returned message: MemorySize 99999 is invalid"),
                 event_xml("E0", "demo", "AWS::CloudFormation::Stack", "UPDATE_COMPLETE", "")};
    char *after = events_xml(m, 5);
    char *r = test_strf(
        "[{\"action\":\"DescribeStacks\",\"times\":1,\"status\":200,\"body\":\"%s\"},"
        "{\"action\":\"GetTemplate\",\"status\":200,\"body\":\"<GetTemplateResponse><GetTemplateResult><TemplateBody>{}"
        "</TemplateBody></GetTemplateResult></GetTemplateResponse>\"},"
        "{\"action\":\"CreateChangeSet\",\"status\":200,\"body\":\"<CreateChangeSetResponse><CreateChangeSetResult>"
        "<Id>arn:aws:cloudformation:us-east-1:123456789012:changeSet/cs/1</Id><StackId>" ARN "</StackId>"
        "</CreateChangeSetResult></CreateChangeSetResponse>\"},"
        "{\"action\":\"DescribeChangeSet\",\"times\":1,\"status\":200,\"body\":\"<DescribeChangeSetResponse>"
        "<DescribeChangeSetResult><Status>CREATE_IN_PROGRESS</Status></DescribeChangeSetResult></DescribeChangeSetResponse>\"},"
        "{\"action\":\"DescribeChangeSet\",\"status\":200,\"body\":\"<DescribeChangeSetResponse><DescribeChangeSetResult>"
        "<Status>CREATE_COMPLETE</Status><ExecutionStatus>AVAILABLE</ExecutionStatus><Changes><member><Type>Resource</Type>"
        "<ResourceChange><Action>Modify</Action><LogicalResourceId>Fn</LogicalResourceId><ResourceType>"
        "AWS::Lambda::Function</ResourceType><Replacement>False</Replacement></ResourceChange></member></Changes>"
        "</DescribeChangeSetResult></DescribeChangeSetResponse>\"},"
        "{\"action\":\"DescribeStackEvents\",\"times\":1,\"status\":200,\"body\":\"%s\"},"
        "{\"action\":\"ExecuteChangeSet\",\"status\":200,\"body\":\"<ExecuteChangeSetResponse><ExecuteChangeSetResult/>"
        "</ExecuteChangeSetResponse>\"},"
        "{\"action\":\"DescribeStacks\",\"times\":1,\"status\":200,\"body\":\"%s\"},"
        "{\"action\":\"DescribeStacks\",\"times\":1,\"status\":200,\"body\":\"%s\"},"
        "{\"action\":\"DescribeStacks\",\"status\":200,\"body\":\"%s\"},"
        "{\"action\":\"DescribeStackEvents\",\"status\":200,\"body\":\"%s\"}]",
        st0, before, st1, st2, st3, after);
    rules(r);
    sparta__aws_client *c = client(2, 2000, NULL);
    seen_events ev = {SPARTA_BUFFER_INIT, 0, 0, 0, NULL};
    sparta__converge_options o = options(SPARTA__CONVERGE_CHANGE_SET, &ev);
    sparta__converge_result res;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(sparta__converge(c, &o, &res, &err), SPARTA_EAWS);
    CU_ASSERT_STRING_EQUAL(res.status, "UPDATE_ROLLBACK_COMPLETE");
    TEST_ASSERT_CONTAINS(err.message, "ended in UPDATE_ROLLBACK_COMPLETE: the update failed and was rolled back");
    TEST_ASSERT_CONTAINS(err.message, "- Fn (AWS::Lambda::Function) UPDATE_FAILED: Resource handler returned "
                                      "message: MemorySize 99999 is invalid");
    CU_ASSERT_EQUAL(res.failure_count, 1);
    /* only events after the change set was executed */
    CU_ASSERT_EQUAL(ev.count, 4);
    CU_ASSERT_PTR_NULL(strstr(ev.lines.data ? ev.lines.data : "", "E0 "));
    CU_ASSERT_EQUAL(seen("ExecuteChangeSet"), 1);
    CU_ASSERT_EQUAL(seen("DescribeChangeSet"), 2);
    /* the capabilities were computed from the template and sent */
    char *log = local_proxy_get(&proxy, "requests");
    CU_ASSERT_PTR_NOT_NULL(log);
    free(log);
    sparta__converge_result_free(&res);
    sparta__buffer_free(&ev.lines);
    free(st0), free(st1), free(st2), free(st3), free(before), free(after), free(r);
    sparta__aws_client_free(c);
}

static char *stuck_rules(void) {
    char *st = stack_xml("CREATE_IN_PROGRESS", NULL);
    char *m[] = {event_xml("E0", "demo", "AWS::CloudFormation::Stack", "CREATE_IN_PROGRESS", "User Initiated")};
    char *events = events_xml(m, 1);
    char *r = test_strf("[{\"action\":\"DescribeStacks\",\"times\":1,\"status\":400,\"body\":\"" MISSING "\"},"
                        "{\"action\":\"CreateStack\",\"status\":200,\"body\":\"<CreateStackResponse><CreateStackResult>"
                        "<StackId>" ARN "</StackId></CreateStackResult></CreateStackResponse>\"},"
                        "{\"action\":\"DescribeStacks\",\"status\":200,\"body\":\"%s\"},"
                        "{\"action\":\"DescribeStackEvents\",\"status\":200,\"body\":\"%s\"}]", st, events);
    free(st), free(events);
    return r;
}

static void test_stuck_in_progress_times_out(void) {
    char *r = stuck_rules();
    rules(r);
    sparta__aws_client *c = client(2, 2000, NULL);
    seen_events ev = {SPARTA_BUFFER_INIT, 0, 0, 0, NULL};
    sparta__converge_options o = options(SPARTA__CONVERGE_DIRECT, &ev);
    o.poll.timeout_ms = 300;
    sparta__converge_result res;
    sparta_error_slot err = {0};
    double t0 = now_s();
    CU_ASSERT_NOT_EQUAL(sparta__converge(c, &o, &res, &err), 0);
    CU_ASSERT(now_s() - t0 < 2.0);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_TIMED_OUT);
    TEST_ASSERT_CONTAINS(err.message, "stopped watching stack demo (still CREATE_IN_PROGRESS after 0 s)");
    TEST_ASSERT_CONTAINS(err.message, "the operation continues in CloudFormation");
    TEST_ASSERT_CONTAINS(err.message, "`sparta status`");
    CU_ASSERT(seen("DescribeStacks") >= 3);
    sparta__converge_result_free(&res);
    sparta__buffer_free(&ev.lines);
    free(r);
    sparta__aws_client_free(c);
}

static void test_interrupt_stops_watching(void) {
    char *r = stuck_rules();
    rules(r);
    sparta__aws_client *c = client(2, 2000, NULL);
    volatile sig_atomic_t stop = 0;
    seen_events ev = {SPARTA_BUFFER_INIT, 0, 0, 0, &stop};
    sparta__converge_options o = options(SPARTA__CONVERGE_DIRECT, &ev);
    o.poll.initial_ms = 2000; /* the interrupt must cut the wait short */
    o.poll.interrupted = &stop;
    sparta__converge_result res;
    sparta_error_slot err = {0};
    double t0 = now_s();
    CU_ASSERT_NOT_EQUAL(sparta__converge(c, &o, &res, &err), 0);
    CU_ASSERT(now_s() - t0 < 1.0);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_INTERRUPTED);
    TEST_ASSERT_CONTAINS(err.message, "interrupted while CREATE_IN_PROGRESS");
    TEST_ASSERT_CONTAINS(err.message, "the operation continues in CloudFormation (region us-east-1); follow it "
                                      "with `sparta status`");
    sparta__converge_result_free(&res);
    sparta__buffer_free(&ev.lines);
    free(r);
    sparta__aws_client_free(c);
}

typedef struct captured {
    sparta_buffer text;
} captured;

static void capture(void *user, sparta_log_level level, const char *line) {
    captured *c = user;
    sparta__buffer_printf(&c->text, "%s\n", line);
}

static void test_rollback_complete_is_recreated(void) {
    char *st0 = stack_xml("ROLLBACK_COMPLETE", NULL), *st1 = stack_xml("DELETE_COMPLETE", NULL);
    char *st2 = stack_xml("CREATE_COMPLETE", "<Outputs><member><OutputKey>BucketName</OutputKey><OutputValue>"
                                             "demo-bucket</OutputValue></member></Outputs>");
    char *m[] = {event_xml("E0", "demo", "AWS::CloudFormation::Stack", "ROLLBACK_COMPLETE", "")};
    char *events = events_xml(m, 1);
    char *r = test_strf("[{\"action\":\"DescribeStacks\",\"times\":1,\"status\":200,\"body\":\"%s\"},"
                        "{\"action\":\"DeleteStack\",\"status\":200,\"body\":\"<DeleteStackResponse><ResponseMetadata>"
                        "<RequestId>d</RequestId></ResponseMetadata></DeleteStackResponse>\"},"
                        "{\"action\":\"DescribeStacks\",\"times\":1,\"status\":200,\"body\":\"%s\"},"
                        "{\"action\":\"CreateStack\",\"status\":200,\"body\":\"<CreateStackResponse><CreateStackResult>"
                        "<StackId>" ARN "</StackId></CreateStackResult></CreateStackResponse>\"},"
                        "{\"action\":\"DescribeStacks\",\"status\":200,\"body\":\"%s\"},"
                        "{\"action\":\"DescribeStackEvents\",\"status\":200,\"body\":\"%s\"}]", st0, st1, st2, events);
    rules(r);
    sparta_logger lg;
    sparta__logger_init(&lg);
    captured cap = {SPARTA_BUFFER_INIT};
    lg.sink = capture;
    lg.sink_user_data = &cap;
    lg.color = 0;
    sparta__aws_client *c = client(2, 2000, &lg);
    seen_events ev = {SPARTA_BUFFER_INIT, 0, 0, 0, NULL};
    sparta__converge_options o = options(SPARTA__CONVERGE_DIRECT, &ev);
    sparta__converge_result res;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(sparta__converge(c, &o, &res, &err), 0);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_CREATED);
    CU_ASSERT_EQUAL(res.recreated, 1);
    CU_ASSERT_EQUAL_FATAL(res.output_count, 1);
    CU_ASSERT_STRING_EQUAL(res.outputs[0].key, "BucketName");
    CU_ASSERT_STRING_EQUAL(res.outputs[0].value, "demo-bucket");
    TEST_ASSERT_CONTAINS(cap.text.data, "Stack is in ROLLBACK_COMPLETE after a failed first create: deleting it "
                                        "and creating it again");
    CU_ASSERT_EQUAL(seen("DeleteStack"), 1);
    CU_ASSERT_EQUAL(seen("CreateStack"), 1);
    sparta__converge_result_free(&res);
    sparta__buffer_free(&ev.lines);
    sparta__buffer_free(&cap.text);
    free(st0), free(st1), free(st2), free(events), free(r);
    sparta__aws_client_free(c);
}

static void test_empty_change_set_and_up_to_date(void) {
    char *st = stack_xml("UPDATE_COMPLETE", NULL);
    char *r = test_strf(
        "[{\"action\":\"DescribeStacks\",\"status\":200,\"body\":\"%s\"},"
        "{\"action\":\"GetTemplate\",\"status\":200,\"body\":\"<GetTemplateResponse><GetTemplateResult><TemplateBody>{}"
        "</TemplateBody></GetTemplateResult></GetTemplateResponse>\"},"
        "{\"action\":\"CreateChangeSet\",\"status\":200,\"body\":\"<CreateChangeSetResponse><CreateChangeSetResult>"
        "<Id>cs-1</Id><StackId>" ARN "</StackId></CreateChangeSetResult></CreateChangeSetResponse>\"},"
        "{\"action\":\"DescribeChangeSet\",\"status\":200,\"body\":\"<DescribeChangeSetResponse><DescribeChangeSetResult>"
        "<Status>FAILED</Status><StatusReason>The submitted information didn't contain changes. Submit different "
        "information to create a change set.</StatusReason></DescribeChangeSetResult></DescribeChangeSetResponse>\"},"
        "{\"action\":\"DeleteChangeSet\",\"status\":200,\"body\":\"<DeleteChangeSetResponse><DeleteChangeSetResult/>"
        "</DeleteChangeSetResponse>\"}]", st);
    rules(r);
    sparta__aws_client *c = client(2, 2000, NULL);
    seen_events ev = {SPARTA_BUFFER_INIT, 0, 0, 0, NULL};
    sparta__converge_options o = options(SPARTA__CONVERGE_CHANGE_SET, &ev);
    sparta__converge_result res;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(sparta__converge(c, &o, &res, &err), 0);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_UP_TO_DATE);
    CU_ASSERT_EQUAL(seen("DeleteChangeSet"), 1);
    CU_ASSERT_EQUAL(seen("ExecuteChangeSet"), 0);
    sparta__converge_result_free(&res);
    o.fail_on_empty_changeset = 1;
    CU_ASSERT_EQUAL(sparta__converge(c, &o, &res, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "the change set contains no changes (--fail-on-empty-changeset)");
    sparta__converge_result_free(&res);

    /* Deployed template equal to ours: answered without any change set. */
    char *same = test_strf("[{\"action\":\"DescribeStacks\",\"status\":200,\"body\":\"%s\"},"
                           "{\"action\":\"GetTemplate\",\"status\":200,\"body\":\"<GetTemplateResponse><GetTemplateResult>"
                           "<TemplateBody>%s</TemplateBody></GetTemplateResult></GetTemplateResponse>\"}]", st,
                           "{&quot;Resources&quot;:{&quot;Role&quot;:{&quot;Type&quot;:&quot;AWS::IAM::Role&quot;,"
                           "&quot;Properties&quot;:{&quot;AssumeRolePolicyDocument&quot;:{}}},&quot;Bucket&quot;:"
                           "{&quot;Type&quot;:&quot;AWS::S3::Bucket&quot;}}}");
    rules(same);
    o.fail_on_empty_changeset = 0;
    CU_ASSERT_EQUAL(sparta__converge(c, &o, &res, &err), 0);
    CU_ASSERT_EQUAL(res.outcome, SPARTA__CONVERGE_UP_TO_DATE);
    CU_ASSERT_EQUAL(seen("CreateChangeSet"), 0);
    CU_ASSERT_EQUAL(seen(NULL), 2);
    sparta__converge_result_free(&res);
    sparta__buffer_free(&ev.lines);
    free(st), free(r), free(same);
    sparta__aws_client_free(c);
}

int main(void) {
    static const test_case cases[] = {
        {"503 and throttling that clear: success, attempts counted", test_retries_that_clear},
        {"faults that never clear: bounded attempts, clear error", test_retries_that_never_clear},
        {"reset connections: retried, then a clear error", test_connection_reset},
        {"an answer cut short: the connection broke, not 'cannot reach'", test_answer_cut_short},
        {"an answer that never comes: timeout within the bound, SPARTA_HTTP_TIMEOUT_MS", test_answer_that_never_comes},
        {"CreateChangeSet retried: same ClientToken, AlreadyExists on a retry is ours", test_retried_create_change_set},
        {"ExecuteChangeSet retried: same token, InvalidChangeSetStatus while executing is success", test_retried_execute_change_set},
        {"CreateStack, UpdateStack, DeleteStack: one token per call, kept on retry", test_stack_calls_carry_tokens},
        {"malformed XML and HTML 500 bodies", test_malformed_and_html},
        {"JSON protocol errors and the generic request", test_json_protocol_errors},
        {"endpoint gone", test_endpoint_gone},
        {"endpoint that never accepts: 'cannot reach' within the connect timeout", test_connect_timeout},
        {"S3: missing bucket, other region, access denied, multipart abort", test_s3_errors},
        {"CREATE_FAILED events -> ROLLBACK_COMPLETE lists every failure", test_create_failed_rollback_complete},
        {"change set update -> UPDATE_ROLLBACK_COMPLETE", test_update_rollback_complete},
        {"stack stuck IN_PROGRESS: the wait times out", test_stuck_in_progress_times_out},
        {"Ctrl-C stops watching, the operation goes on", test_interrupt_stops_watching},
        {"ROLLBACK_COMPLETE stack deleted and created again", test_rollback_complete_is_recreated},
        {"empty change set and unchanged template are success", test_empty_change_set_and_up_to_date},
        {NULL, NULL}};
    int rc = test_main("aws_faults", cases);
    if (proxy_up) local_aws_stop(&proxy);
    return rc;
}
