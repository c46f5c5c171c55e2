/* The local Runtime API as other runtimes see it: a Python client walking
 * its edges (refusals, chunked bodies, one invocation only) and the AWS
 * tutorial's curl-based shell runtime with a large answer. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "li_support.h"
#include "test_lambda_invoke.h"
#include "test_support.h"

void test_protocol_edges(void) {
    li_remove("after.txt");
    li_write("event.json", "{\"probe\": true}");
    li_run r = li_sparta("invoke proto --event event.json");
    CU_ASSERT_EQUAL(r.status, 0);
    LI_ASSERT_JSON(r.out, "d['host']", "127.0.0.1");
    LI_ASSERT_JSON(r.out, "d['nextStatus']", "200");
    LI_ASSERT_JSON(r.out, "d['event']", "{'probe': True}");
    LI_ASSERT_JSON(r.out, "len(d['requestId'])", "36");
    /* the deadline is the function's timeout (10 s) away */
    LI_ASSERT_JSON(r.out, "8000 < d['deadlineInMs'] <= 10000", "True");
    LI_ASSERT_JSON(r.out, "d['arn']", "arn:aws:lambda:us-east-1:000000000000:function:inv-proto");
    LI_ASSERT_JSON(r.out, "d['trace'].startswith('Root=1-') and ';Parent=' in d['trace']", "True");
    LI_ASSERT_JSON(r.out, "d['wrongId']", "[400, 'InvalidRequestID']");
    LI_ASSERT_JSON(r.out, "d['unknownPath']", "[404, 'NotFound']");
    LI_ASSERT_JSON(r.out, "d['lateInitError']", "[403, 'InvalidStateTransition']");
    /* Lambda's variables and the function's environment */
    LI_ASSERT_JSON(r.out, "d['env']['_HANDLER']", "proto.main");
    LI_ASSERT_JSON(r.out, "d['env']['AWS_LAMBDA_FUNCTION_NAME']", "inv-proto");
    LI_ASSERT_JSON(r.out, "d['env']['AWS_LAMBDA_FUNCTION_VERSION']", "$LATEST");
    LI_ASSERT_JSON(r.out, "d['env']['AWS_LAMBDA_FUNCTION_MEMORY_SIZE']", "256");
    LI_ASSERT_JSON(r.out, "d['env']['AWS_LAMBDA_LOG_GROUP_NAME']", "/aws/lambda/inv-proto");
    LI_ASSERT_JSON(r.out, "'/[$LATEST]' in d['env']['AWS_LAMBDA_LOG_STREAM_NAME']", "True");
    LI_ASSERT_JSON(r.out, "d['env']['AWS_EXECUTION_ENV']", "AWS_Lambda_provided.al2023");
    LI_ASSERT_JSON(r.out, "d['env']['TZ']", ":UTC");
    LI_ASSERT_JSON(r.out, "d['env']['STAGE_TABLE']", "table-dev"); /* lambda.parameters default */
    LI_ASSERT_JSON(r.out, "d['env']['LITERAL']", "${Literal}");
    LI_ASSERT_JSON(r.out, "d['env']['REGION']", "us-east-1");
    LI_ASSERT_JSON(r.out, "d['env']['UNRESOLVED']", "None"); /* only CloudFormation knows it */
    TEST_ASSERT_CONTAINS(r.err, "environment variable UNRESOLVED is left unset");
    TEST_ASSERT_CONTAINS(r.err, "${Table.Arn}");
    /* the function runs in its code's folder, which is LAMBDA_TASK_ROOT */
    char real[PATH_MAX];
    CU_ASSERT_PTR_NOT_NULL_FATAL(realpath(li_service(), real));
    LI_ASSERT_JSON(r.out, "d['cwd']", real);
    LI_ASSERT_JSON(r.out, "__import__('os').path.realpath(d['env']['LAMBDA_TASK_ROOT'])", real);
    /* after the answer: a second answer is refused, a further next is closed */
    char *path = li_path("after.txt");
    char *after = test_read_file(path, NULL);
    CU_ASSERT_STRING_EQUAL(after ? after : "", "answer 202\nsecond answer 403 InvalidStateTransition\nnext closed\n");
    free(after);
    free(path);
    TEST_ASSERT_CONTAINS(r.err, "refused with HTTP 400 InvalidRequestID");
    li_run_free(&r);
}

void test_region_flag(void) {
    li_run r = li_sparta("invoke proto --region eu-central-1");
    CU_ASSERT_EQUAL(r.status, 0);
    LI_ASSERT_JSON(r.out, "d['arn']", "arn:aws:lambda:eu-central-1:000000000000:function:inv-proto");
    LI_ASSERT_JSON(r.out, "d['env']['REGION']", "eu-central-1"); /* ${AWS::Region} */
    li_run_free(&r);
}

void test_curl_runtime_large_answer(void) {
    li_remove("posted.txt");
    li_write("event.json", "{\"n\": 1}");
    li_run r = li_sparta("invoke curl --event event.json");
    CU_ASSERT_EQUAL(r.status, 0);
    CU_ASSERT(strlen(r.out) > 1500000);
    CU_ASSERT(strncmp(r.out, "{\"pad\":\"xxxxxxxx", 16) == 0);
    TEST_ASSERT_CONTAINS(r.out + (strlen(r.out) > 100 ? strlen(r.out) - 100 : 0), "\"event\":{\"n\": 1}}");
    char *path = li_path("posted.txt");
    char *posted = test_read_file(path, NULL);
    CU_ASSERT_STRING_EQUAL(posted ? posted : "", "202");
    free(posted);
    free(path);
    li_run_free(&r);
}
