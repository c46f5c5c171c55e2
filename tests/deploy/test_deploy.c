/* provision, diff, status and delete against a real local AWS endpoint
 * (moto_server), checked with the aws CLI rather than our own client. */
#include <stdlib.h>
#include <string.h>

#include "local_aws.h"
#include "test_service.h"
#include "test_support.h"

#define FIXTURES SPARTA_BINARY_DIR "/tests/abi/fixtures"

static local_aws moto;
static test_service svc;

static char *service_cfg(const char *topic) {
    return test_strf("service = { name = \"deploydemo\"; description = \"deploy test\"; };\n"
                     "plugins = { path = [ \"plugins\" ]; enabled = [ \"good\" ]; };\n"
                     "good = { topic = \"%s\"; };\n",
                     topic);
}

static void write_service(const char *topic) {
    char *cfg = service_cfg(topic);
    test_service_configure(&svc, cfg);
    free(cfg);
}

/* A clean moto and a fresh service directory with the good.so fixture plugin. */
static void setup(void) {
    CU_ASSERT_FATAL(local_aws_fresh(&moto) == 0);
    char *cfg = service_cfg("news");
    test_service_new(&svc, cfg);
    free(cfg);
    test_sh(NULL, "mkdir -p '%s/plugins' && cp '%s/good.so' '%s/plugins/' && chmod 755 '%s/plugins'", svc.dir,
            FIXTURES, svc.dir, svc.dir);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, NULL, "s3api create-bucket --bucket sparta-artifacts"), 0);
}

static void test_provision_update_noop_delete(void) {
    setup();
    char *out = NULL;
    CU_ASSERT_EQUAL(
        test_service_sparta(&svc, &out, "provision --s3Bucket sparta-artifacts --pollInterval 20 --tag team=core"), 0);
    TEST_ASSERT_CONTAINS(out, "Uploaded");
    TEST_ASSERT_CONTAINS(out, ".template.json");
    TEST_ASSERT_CONTAINS(out, "Stack created");
    free(out);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out,
                                  "cloudformation describe-stacks --stack-name deploydemo --query "
                                  "'Stacks[0].[StackStatus,Tags]' --output text"),
                    0);
    TEST_ASSERT_CONTAINS(out, "CREATE_COMPLETE");
    TEST_ASSERT_CONTAINS(out, "team");
    TEST_ASSERT_CONTAINS(out, "sparta:version");
    free(out);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "sns list-topics --output text"), 0);
    TEST_ASSERT_CONTAINS(out, ":news");
    free(out);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out,
                                  "s3api list-objects-v2 --bucket sparta-artifacts --query 'Contents[].Key' "
                                  "--output text"),
                    0);
    TEST_ASSERT_CONTAINS(out, "deploydemo/");
    TEST_ASSERT_CONTAINS(out, ".template.json");
    free(out);

    /* Nothing changed: answered without a change set, exit 0. */
    CU_ASSERT_EQUAL(
        test_service_sparta(&svc, &out, "provision --s3Bucket sparta-artifacts --pollInterval 20 --tag team=core"), 0);
    TEST_ASSERT_CONTAINS(out, "Stack is up to date");
    TEST_ASSERT_CONTAINS(out, "Already in S3, not uploading again");
    free(out);

    /* diff sees the change; --exit-code says so. */
    write_service("alerts");
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "diff --exit-code"), 1);
    TEST_ASSERT_CONTAINS(out, "Stack deploydemo (deployed)");
    TEST_ASSERT_CONTAINS(out, "-        \"TopicName\": \"news\"");
    TEST_ASSERT_CONTAINS(out, "+        \"TopicName\": \"alerts\"");
    free(out);
    /* The diff's change set is gone again (moto keeps executed ones, so look for ours by status). */
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out,
                                  "cloudformation list-change-sets --stack-name deploydemo --query "
                                  "'Summaries[?ExecutionStatus==`AVAILABLE`] | length(@)'"),
                    0);
    TEST_ASSERT_CONTAINS(out, "0");
    free(out);

    CU_ASSERT_EQUAL(
        test_service_sparta(&svc, &out,
                            "provision --s3Bucket sparta-artifacts --pollInterval 20 --tag team=core --format json"),
        0);
    TEST_ASSERT_CONTAINS(out, "{\"stack\":\"deploydemo\",\"outcome\":\"updated\"");
    free(out);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "sns list-topics --output text"), 0);
    TEST_ASSERT_CONTAINS(out, ":alerts");
    free(out);

    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "status --redact"), 0);
    TEST_ASSERT_CONTAINS(out, "Status:     UPDATE_COMPLETE");
    CU_ASSERT_PTR_NULL(strstr(out, "123456789012"));
    free(out);
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "status --format json"), 0);
    TEST_ASSERT_CONTAINS(out, "\"status\":\"UPDATE_COMPLETE\"");
    TEST_ASSERT_CONTAINS(out, "123456789012");
    free(out);

    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "delete --pollInterval 20"), 0);
    TEST_ASSERT_CONTAINS(out, "Stack deleted");
    free(out);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "cloudformation describe-stacks --stack-name deploydemo"), 255);
    TEST_ASSERT_CONTAINS(out, "does not exist");
    free(out);
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "delete"), 0);
    TEST_ASSERT_CONTAINS(out, "Stack does not exist; nothing to delete");
    free(out);
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "status"), 1);
    TEST_ASSERT_CONTAINS(out, "stack deploydemo does not exist");
    free(out);
}

static void test_direct_method_and_no_execute(void) {
    setup();
    char *out = NULL;
    CU_ASSERT_EQUAL(
        test_service_sparta(&svc, &out, "provision --s3Bucket sparta-artifacts --method direct --pollInterval 20"), 0);
    free(out);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out,
                                  "cloudformation describe-stacks --stack-name deploydemo --query "
                                  "'Stacks[0].StackStatus' --output text"),
                    0);
    TEST_ASSERT_CONTAINS(out, "CREATE_COMPLETE");
    free(out);
    write_service("later");
    CU_ASSERT_EQUAL(
        test_service_sparta(&svc, &out, "provision --s3Bucket sparta-artifacts --no-execute --pollInterval 20"), 0);
    TEST_ASSERT_CONTAINS(out, "Change set created, not executed");
    free(out);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "sns list-topics --output text"), 0);
    CU_ASSERT_PTR_NULL(strstr(out, ":later"));
    free(out);
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "provision --s3Bucket sparta-artifacts --method sideways"), 2);
    TEST_ASSERT_CONTAINS(out, "--method 'sideways' is not a method");
    free(out);
}

static void test_bucket_errors(void) {
    setup();
    char *out = NULL;
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "provision"), 2);
    TEST_ASSERT_CONTAINS(out, "pass --s3Bucket NAME or set service.s3Bucket");
    free(out);
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "provision --s3Bucket no-such-bucket-here --pollInterval 20"), 1);
    TEST_ASSERT_CONTAINS(out, "no-such-bucket-here");
    free(out);
    /* Nothing was converged. */
    CU_ASSERT_NOT_EQUAL(local_aws_cli(&moto, &out, "cloudformation describe-stacks --stack-name deploydemo"), 0);
    free(out);
}

static void test_secrets_never_logged(void) {
    setup();
    char *out = NULL;
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out,
                                        "--level debug provision --s3Bucket sparta-artifacts --pollInterval 20 "
                                        "--outputDir secrets-out && grep -r -l -e testing-secret-KEY "
                                        "-e SESSIONTOKEN1234 secrets-out | sed 's/^/LEAK:/'; true"),
                    0);
    CU_ASSERT_PTR_NULL(strstr(out, "testing-secret-KEY"));
    CU_ASSERT_PTR_NULL(strstr(out, "SESSIONTOKEN1234"));
    CU_ASSERT_PTR_NULL(strstr(out, "LEAK:"));
    TEST_ASSERT_CONTAINS(out, "DEBU");
    free(out);
}

int main(void) {
    /* Started (and the environment pointed at it) before the secrets below
     * replace the dummy keys; every setup() only resets it. */
    if (local_aws_fresh(&moto) != 0 || test_service_open(&svc, NULL) != 0) return 1;
    setenv("AWS_SECRET_ACCESS_KEY", "testing-secret-KEY", 1);
    setenv("AWS_SESSION_TOKEN", "SESSIONTOKEN1234", 1);
    static const test_case cases[] = {
        {"provision, no-op, diff, update, status, delete", test_provision_update_noop_delete},
        {"direct method and --no-execute", test_direct_method_and_no_execute},
        {"bucket errors", test_bucket_errors},
        {"secrets never reach logs or files", test_secrets_never_logged},
        {NULL, NULL}};
    int rc = test_main("deploy", cases);
    local_aws_stop(&moto);
    test_service_close(&svc);
    return rc;
}
