/* The AWS client without a network: credentials chain (with a loopback
 * server standing in for the container and EC2 metadata endpoints), region
 * order, endpoint overrides, template capabilities, account-ID redaction,
 * the no-change check, error parsing, idempotency tokens and the timeout
 * variables. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* setenv */
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "aws/credentials.h"
#include "aws/converge.h"
#include "aws/endpoint.h"
#include "aws/errors.h"
#include "aws/http.h"
#include "aws/redact.h"
#include "aws/region.h"
#include "aws/template_facts.h"
#include "local_aws.h"
#include "test_support.h"

static char *home;

/* A clean slate: no AWS variable from the developer's shell leaks in, and
 * HOME is an empty temp dir (so ~/.aws is ours). */
static void clean_env(void) {
    extern char **environ;
    char *names[256];
    size_t n = 0;
    for (char **e = environ; *e && n < 256; e++)
        if (!strncmp(*e, "AWS_", 4)) names[n++] = strndup(*e, strcspn(*e, "="));
    for (size_t i = 0; i < n; i++) {
        unsetenv(names[i]);
        free(names[i]);
    }
    if (home) test_rmtree(home);
    free(home);
    home = test_tmpdir();
    setenv("HOME", home, 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
}

static void write_home_file(const char *leaf, const char *text) {
    char *dir = test_strf("%s/.aws", home);
    test_sh(NULL, "mkdir -p '%s'", dir);
    char *path = test_strf("%s/%s", dir, leaf);
    test_write_file(path, text);
    free(dir);
    free(path);
}

static int resolve(const char *profile_name, sparta__aws_credentials *creds, sparta_error_slot *err) {
    sparta__aws_profile p;
    int rc = sparta__aws_profile_load(profile_name, &p, err);
    if (rc) return rc;
    sparta__aws_credentials_options o = {&p, 500, NULL, 0, 0};
    rc = sparta__aws_credentials_resolve(&o, creds, err);
    sparta__aws_profile_free(&p);
    return rc;
}

static void test_env_credentials_first(void) {
    clean_env();
    write_home_file("credentials", "[default]\naws_access_key_id = FROMFILE\naws_secret_access_key = s\n");
    setenv("AWS_ACCESS_KEY_ID", "AKIDENV", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "secretenv", 1);
    setenv("AWS_SESSION_TOKEN", "tokenenv", 1);
    sparta__aws_credentials c;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL_FATAL(resolve(NULL, &c, &err), 0);
    CU_ASSERT_STRING_EQUAL(c.access_key_id, "AKIDENV");
    CU_ASSERT_STRING_EQUAL(c.secret_access_key, "secretenv");
    CU_ASSERT_STRING_EQUAL(c.session_token, "tokenenv");
    CU_ASSERT_STRING_EQUAL(c.source, "environment");
    sparta__aws_credentials_clear(&c);

    /* A profile named explicitly (--profile) skips the environment. */
    CU_ASSERT_EQUAL_FATAL(resolve("default", &c, &err), 0);
    CU_ASSERT_STRING_EQUAL(c.access_key_id, "FROMFILE");
    CU_ASSERT_PTR_NULL(c.session_token);
    sparta__aws_credentials_clear(&c);

    /* Half a key pair is an error, not a silent fall-through. */
    unsetenv("AWS_SECRET_ACCESS_KEY");
    CU_ASSERT_EQUAL(resolve(NULL, &c, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "AWS_SECRET_ACCESS_KEY is not");
}

static void test_profile_files(void) {
    clean_env();
    char *creds = test_strf("%s/creds.ini", home), *config = test_strf("%s/config.ini", home);
    test_write_file(creds, "# comment\n[default]\naws_access_key_id=DEF\naws_secret_access_key=DEFSECRET\n\n"
                           "[dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = DEVSECRET ; note\n"
                           "aws_session_token = DEVTOKEN\n");
    test_write_file(config, "[default]\nregion = eu-west-1\n[profile dev]\nregion = eu-central-1\n"
                            "endpoint_url = http://localhost:1234\n[profile cfgonly]\n"
                            "aws_access_key_id = CFGKEY\naws_secret_access_key = CFGSECRET\n"
                            "[profile assumer]\nrole_arn = arn:aws:iam::123456789012:role/x\n"
                            "[profile mfa]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = dev\n"
                            "mfa_serial = arn:aws:iam::123456789012:mfa/me\n"
                            "[profile loop-a]\nrole_arn = arn:aws:iam::123456789012:role/a\nsource_profile = loop-b\n"
                            "[profile loop-b]\nrole_arn = arn:aws:iam::123456789012:role/b\nsource_profile = loop-a\n"
                            "[profile oddsource]\nrole_arn = arn:aws:iam::123456789012:role/x\ncredential_source = Laptop\n"
                            "[profile lost]\nrole_arn = arn:aws:iam::123456789012:role/x\nsource_profile = nowhere\n");
    setenv("AWS_SHARED_CREDENTIALS_FILE", creds, 1);
    setenv("AWS_CONFIG_FILE", config, 1);
    setenv("AWS_PROFILE", "dev", 1);
    sparta__aws_credentials c;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL_FATAL(resolve(NULL, &c, &err), 0);
    CU_ASSERT_STRING_EQUAL(c.access_key_id, "DEVKEY");
    CU_ASSERT_STRING_EQUAL(c.secret_access_key, "DEVSECRET");
    CU_ASSERT_STRING_EQUAL(c.session_token, "DEVTOKEN");
    CU_ASSERT_STRING_EQUAL(c.source, "profile dev");
    sparta__aws_credentials_clear(&c);

    /* Keys may sit in the config file's [profile x] section too. */
    CU_ASSERT_EQUAL_FATAL(resolve("cfgonly", &c, &err), 0);
    CU_ASSERT_STRING_EQUAL(c.access_key_id, "CFGKEY");
    sparta__aws_credentials_clear(&c);

    /* The profile's region and endpoint_url are read too. */
    sparta__aws_profile p;
    CU_ASSERT_EQUAL_FATAL(sparta__aws_profile_load(NULL, &p, &err), 0);
    CU_ASSERT_STRING_EQUAL(sparta__aws_profile_get(&p, "region"), "eu-central-1");
    CU_ASSERT_STRING_EQUAL(sparta__aws_profile_get(&p, "endpoint_url"), "http://localhost:1234");
    sparta__aws_profile_free(&p);

    /* A named profile that does not exist is an error naming both files. */
    CU_ASSERT_EQUAL(resolve("nope", &c, &err), SPARTA_ECONFIG);
    TEST_ASSERT_CONTAINS(err.message, "AWS profile 'nope' not found");
    TEST_ASSERT_CONTAINS(err.message, creds);

    /* role_arn profiles that cannot work fail before any call to STS (the
     * round trip itself is in tests/aws_moto). */
    CU_ASSERT_EQUAL(resolve("assumer", &c, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "profile 'assumer': role_arn needs exactly one of source_profile or "
                                      "credential_source");
    CU_ASSERT_EQUAL(resolve("mfa", &c, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "mfa_serial needs a one-time code");
    CU_ASSERT_EQUAL(resolve("loop-a", &c, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "source_profile hops to reach keys; is there a cycle");
    CU_ASSERT_EQUAL(resolve("oddsource", &c, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "credential_source 'Laptop' is not one of Environment, EcsContainer or "
                                      "Ec2InstanceMetadata");
    CU_ASSERT_EQUAL(resolve("lost", &c, &err), SPARTA_ECONFIG);
    TEST_ASSERT_CONTAINS(err.message, "profile 'lost': its source_profile 'nowhere'");
    TEST_ASSERT_CONTAINS(err.message, "AWS profile 'nowhere' not found");
    free(creds);
    free(config);
}

/* credential_process: an outside program prints the keys as JSON. */
static void test_credential_process(void) {
    clean_env();
    char *config = test_strf("%s/config-process.ini", home), *script = test_strf("%s/creds.sh", home);
    test_write_file(script,
                    "#!/bin/sh\n"
                    "case \"$1\" in\n"
                    "  good) printf '{\"Version\": 1, \"AccessKeyId\": \"PROCKEY\", \"SecretAccessKey\": \"PROCSECRET\",'\n"
                    "        printf ' \"SessionToken\": \"PROCTOKEN\", \"Expiration\": \"2030-01-02T03:04:05Z\"}\\n' ;;\n"
                    "  long) printf '{\"Version\": 1, \"AccessKeyId\": \"LONGKEY\", \"SecretAccessKey\": \"LONGSECRET\"}' ;;\n"
                    "  fail) echo 'token expired, log in again' >&2; exit 3 ;;\n"
                    "  junk) echo 'AccessKeyId=LEAKED SecretAccessKey=LEAKEDSECRET' ;;\n"
                    "  v2) printf '{\"Version\": 2, \"AccessKeyId\": \"K\", \"SecretAccessKey\": \"S\"}' ;;\n"
                    "  nokey) printf '{\"Version\": 1, \"SecretAccessKey\": \"S\"}' ;;\n"
                    "  hang) sleep 30 ;;\n"
                    "esac\n");
    CU_ASSERT_EQUAL(chmod(script, 0755), 0);
    char *text = test_strf("[profile good]\ncredential_process = %s good\n[profile long]\ncredential_process = %s long\n"
                           "[profile fail]\ncredential_process = %s fail\n[profile junk]\ncredential_process = %s junk\n"
                           "[profile v2]\ncredential_process = %s v2\n[profile nokey]\ncredential_process = %s nokey\n"
                           "[profile hang]\ncredential_process = %s hang\n",
                           script, script, script, script, script, script, script);
    test_write_file(config, text);
    setenv("AWS_CONFIG_FILE", config, 1);
    setenv("AWS_SHARED_CREDENTIALS_FILE", config, 1);
    sparta__aws_credentials c;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL_FATAL(resolve("good", &c, &err), 0);
    CU_ASSERT_STRING_EQUAL(c.access_key_id, "PROCKEY");
    CU_ASSERT_STRING_EQUAL(c.secret_access_key, "PROCSECRET");
    CU_ASSERT_STRING_EQUAL(c.session_token, "PROCTOKEN");
    CU_ASSERT_EQUAL(c.expiration, sparta__aws_parse_time("2030-01-02T03:04:05Z"));
    CU_ASSERT_STRING_EQUAL(c.source, "profile good (credential_process)");
    sparta__aws_credentials_clear(&c);
    CU_ASSERT_EQUAL_FATAL(resolve("long", &c, &err), 0);
    CU_ASSERT_PTR_NULL(c.session_token);
    CU_ASSERT_EQUAL(c.expiration, 0);
    sparta__aws_credentials_clear(&c);
    /* A failure is final: no fall-through to the container or IMDS. */
    CU_ASSERT_EQUAL(resolve("fail", &c, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "profile 'fail': credential_process exited with status 3");
    /* What it printed is never quoted: it may hold keys. */
    CU_ASSERT_EQUAL(resolve("junk", &c, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "it did not print one JSON object");
    CU_ASSERT_PTR_NULL(strstr(err.message, "LEAKED"));
    CU_ASSERT_EQUAL(resolve("v2", &c, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "\"Version\": 1");
    CU_ASSERT_EQUAL(resolve("nokey", &c, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "lacks \"AccessKeyId\"");
    /* A hung program is stopped at the deadline. */
    setenv("SPARTA_CREDENTIAL_PROCESS_TIMEOUT_MS", "300", 1);
    time_t started = time(NULL);
    CU_ASSERT_EQUAL(resolve("hang", &c, &err), SPARTA_EAWS);
    CU_ASSERT(time(NULL) - started < 10);
    TEST_ASSERT_CONTAINS(err.message, "did not finish within 300 ms");
    unsetenv("SPARTA_CREDENTIAL_PROCESS_TIMEOUT_MS");
    free(text);
    free(script);
    free(config);
}

static void test_no_credentials_lists_what_was_tried(void) {
    clean_env();
    sparta__aws_credentials c;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(resolve(NULL, &c, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "no AWS credentials found");
    TEST_ASSERT_CONTAINS(err.message, "environment: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY not set");
    TEST_ASSERT_CONTAINS(err.message, "profile 'default'");
    TEST_ASSERT_CONTAINS(err.message, "container credentials: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
    TEST_ASSERT_CONTAINS(err.message, "EC2 instance metadata (IMDSv2): disabled by AWS_EC2_METADATA_DISABLED");
    CU_ASSERT_PTR_NULL(c.access_key_id);
}

static const char *creds_doc = "{\"AccessKeyId\":\"ASIACONTAINER\",\"SecretAccessKey\":\"containersecret\","
                               "\"Token\":\"containertoken\",\"Expiration\":\"2099-01-02T03:04:05Z\"}";

static void test_container_credentials(void) {
    clean_env();
    local_aws srv;
    CU_ASSERT_EQUAL_FATAL(local_proxy_start(&srv, NULL, 20), 0);
    /* json-escape the document into the rule */
    char *q = malloc(strlen(creds_doc) * 2 + 1), *o = q;
    for (const char *s = creds_doc; *s; s++) {
        if (*s == '"') *o++ = '\\';
        *o++ = *s;
    }
    *o = '\0';
    char *rules = test_strf("[{\"path\":\"/creds\",\"status\":200,\"body\":\"%s\"},"
                      "{\"path\":\"/denied\",\"status\":403,\"body\":\"no\"}]", q);
    CU_ASSERT_EQUAL_FATAL(local_proxy_rules(&srv, rules), 0);

    char *url = test_strf("http://127.0.0.1:%d/creds", srv.port);
    char *token_file = test_strf("%s/token", home);
    test_write_file(token_file, "token-from-file\n");
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", token_file, 1);
    setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "token-from-env", 1);
    sparta__aws_credentials c;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(resolve(NULL, &c, &err), 0);
    if (c.access_key_id) {
        CU_ASSERT_STRING_EQUAL(c.access_key_id, "ASIACONTAINER");
        CU_ASSERT_STRING_EQUAL(c.secret_access_key, "containersecret");
        CU_ASSERT_STRING_EQUAL(c.session_token, "containertoken");
        CU_ASSERT_STRING_EQUAL(c.source, "container credentials");
        CU_ASSERT(c.expiration > 4000000000);
    }
    sparta__aws_credentials_clear(&c);
    /* the token file wins over the variable, sent as Authorization */
    char *log = local_proxy_get(&srv, "requests");
    TEST_ASSERT_CONTAINS(log, "\"Authorization\": \"token-from-file\"");
    free(log);

    /* A plain-http URL that is not on this host is refused. */
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds", 1);
    CU_ASSERT_EQUAL(resolve(NULL, &c, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "must be https or a loopback address");

    /* A failing endpoint is named in the final error. */
    char *denied = test_strf("http://127.0.0.1:%d/denied", srv.port);
    setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", denied, 1);
    CU_ASSERT_EQUAL(resolve(NULL, &c, &err), SPARTA_EAWS);
    TEST_ASSERT_CONTAINS(err.message, "answered HTTP 403");

    /* EC2 IMDSv2 through the same server: token PUT, role, document. */
    unsetenv("AWS_CONTAINER_CREDENTIALS_FULL_URI");
    unsetenv("AWS_EC2_METADATA_DISABLED");
    free(rules);
    rules = test_strf("[{\"path\":\"/latest/api/token\",\"method\":\"PUT\",\"status\":200,\"body\":\"imds-token\"},"
                      "{\"path\":\"/latest/meta-data/iam/security-credentials/my-role\",\"status\":200,\"body\":\"%s\"},"
                      "{\"path\":\"/latest/meta-data/iam/security-credentials/\",\"status\":200,\"body\":\"my-role\\n\"}]", q);
    CU_ASSERT_EQUAL_FATAL(local_proxy_rules(&srv, rules), 0);
    char *base = test_strf("http://127.0.0.1:%d", srv.port);
    setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", base, 1);
    CU_ASSERT_EQUAL(resolve(NULL, &c, &err), 0);
    if (c.access_key_id) CU_ASSERT_STRING_EQUAL(c.source, "EC2 instance metadata");
    sparta__aws_credentials_clear(&c);
    log = local_proxy_get(&srv, "requests");
    TEST_ASSERT_CONTAINS(log, "\"X-aws-ec2-metadata-token\": \"imds-token\"");
    free(log);

    local_aws_stop(&srv);
    free(rules), free(url), free(token_file), free(q), free(denied), free(base);
}

static void test_region_order(void) {
    clean_env();
    write_home_file("config", "[default]\nregion = ap-south-1\n");
    sparta__aws_profile p;
    sparta_error_slot err = {0};
    char region[64];
    const char *source = NULL;
    CU_ASSERT_EQUAL_FATAL(sparta__aws_profile_load(NULL, &p, &err), 0);
    setenv("AWS_REGION", "eu-west-3", 1);
    setenv("AWS_DEFAULT_REGION", "eu-north-1", 1);
    CU_ASSERT_EQUAL(sparta__aws_region_resolve("us-west-2", &p, "sa-east-1", region, sizeof region, &source, &err), 0);
    CU_ASSERT_STRING_EQUAL(region, "us-west-2");
    CU_ASSERT_EQUAL(sparta__aws_region_resolve(NULL, &p, "sa-east-1", region, sizeof region, &source, &err), 0);
    CU_ASSERT_STRING_EQUAL(region, "eu-west-3");
    unsetenv("AWS_REGION");
    CU_ASSERT_EQUAL(sparta__aws_region_resolve(NULL, &p, "sa-east-1", region, sizeof region, &source, &err), 0);
    CU_ASSERT_STRING_EQUAL(region, "eu-north-1");
    unsetenv("AWS_DEFAULT_REGION");
    CU_ASSERT_EQUAL(sparta__aws_region_resolve(NULL, &p, "sa-east-1", region, sizeof region, &source, &err), 0);
    CU_ASSERT_STRING_EQUAL(region, "ap-south-1");
    CU_ASSERT_STRING_EQUAL(source, "profile");
    sparta__aws_profile_free(&p);
    write_home_file("config", "[default]\n");
    CU_ASSERT_EQUAL_FATAL(sparta__aws_profile_load(NULL, &p, &err), 0);
    CU_ASSERT_EQUAL(sparta__aws_region_resolve(NULL, &p, "sa-east-1", region, sizeof region, &source, &err), 0);
    CU_ASSERT_STRING_EQUAL(region, "sa-east-1");
    CU_ASSERT_STRING_EQUAL(source, "service.region");
    CU_ASSERT_EQUAL(sparta__aws_region_resolve(NULL, &p, NULL, region, sizeof region, &source, &err), SPARTA_ECONFIG);
    TEST_ASSERT_CONTAINS(err.message, "no AWS region");
    sparta__aws_profile_free(&p);
}

static void test_endpoints(void) {
    clean_env();
    write_home_file("config", "[default]\nendpoint_url = http://profile:1/\nservices = local\n"
                              "[services local]\ncloudformation =\n  endpoint_url = http://cfn-section:2\n");
    sparta__aws_profile p;
    sparta_error_slot err = {0};
    char *url = NULL;
    int over = -1;
    char env[64];
    sparta__aws_endpoint_env_name("CloudWatch Logs", env, sizeof env);
    CU_ASSERT_STRING_EQUAL(env, "AWS_ENDPOINT_URL_CLOUDWATCH_LOGS");
    CU_ASSERT_EQUAL_FATAL(sparta__aws_profile_load(NULL, &p, &err), 0);

    setenv("AWS_ENDPOINT_URL_S3", "http://s3-only:9000/", 1);
    setenv("AWS_ENDPOINT_URL", "http://everything:5000", 1);
    CU_ASSERT_EQUAL(sparta__aws_endpoint_resolve("s3", "eu-west-1", &p, &url, &over, &err), 0);
    CU_ASSERT_STRING_EQUAL(url, "http://s3-only:9000");
    CU_ASSERT_EQUAL(over, 1);
    free(url);
    CU_ASSERT_EQUAL(sparta__aws_endpoint_resolve("cloudformation", "eu-west-1", &p, &url, &over, &err), 0);
    CU_ASSERT_STRING_EQUAL(url, "http://everything:5000");
    free(url);
    unsetenv("AWS_ENDPOINT_URL");
    CU_ASSERT_EQUAL(sparta__aws_endpoint_resolve("cloudformation", "eu-west-1", &p, &url, &over, &err), 0);
    CU_ASSERT_STRING_EQUAL(url, "http://cfn-section:2");
    free(url);
    CU_ASSERT_EQUAL(sparta__aws_endpoint_resolve("codepipeline", "eu-west-1", &p, &url, &over, &err), 0);
    CU_ASSERT_STRING_EQUAL(url, "http://profile:1");
    free(url);
    setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
    CU_ASSERT_EQUAL(sparta__aws_endpoint_resolve("s3", "eu-west-1", &p, &url, &over, &err), 0);
    CU_ASSERT_STRING_EQUAL(url, "https://s3.eu-west-1.amazonaws.com");
    CU_ASSERT_EQUAL(over, 0);
    free(url);
    CU_ASSERT_EQUAL(sparta__aws_endpoint_resolve("cloudwatch", "cn-north-1", &p, &url, &over, &err), 0);
    CU_ASSERT_STRING_EQUAL(url, "https://monitoring.cn-north-1.amazonaws.com.cn");
    free(url);
    CU_ASSERT_EQUAL(sparta__aws_endpoint_resolve("iam", "eu-west-1", &p, &url, &over, &err), 0);
    CU_ASSERT_STRING_EQUAL(url, "https://iam.amazonaws.com");
    free(url);
    unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
    setenv("AWS_ENDPOINT_URL_S3", "localhost:9000", 1);
    CU_ASSERT_EQUAL(sparta__aws_endpoint_resolve("s3", "eu-west-1", &p, &url, &over, &err), SPARTA_ECONFIG);
    TEST_ASSERT_CONTAINS(err.message, "must start with http");
    sparta__aws_profile_free(&p);
}

static void test_capabilities(void) {
    const char *caps[3];
    CU_ASSERT_EQUAL(sparta__template_capabilities("{\"Resources\":{\"B\":{\"Type\":\"AWS::S3::Bucket\"}}}", caps), 0);
    CU_ASSERT_EQUAL(sparta__template_capabilities(
                        "{\"Resources\":{\"R\":{\"Type\":\"AWS::IAM::Role\",\"Properties\":{}}}}", caps), 1);
    CU_ASSERT_STRING_EQUAL(caps[0], "CAPABILITY_IAM");
    CU_ASSERT_EQUAL(sparta__template_capabilities(
                        "{\"Resources\":{\"R\":{\"Type\":\"AWS::IAM::Role\",\"Properties\":{\"RoleName\":\"x\"}}}}", caps), 2);
    CU_ASSERT_STRING_EQUAL(caps[1], "CAPABILITY_NAMED_IAM");
    CU_ASSERT_EQUAL(sparta__template_capabilities(
                        "{\"Transform\":\"AWS::Serverless-2016-10-31\",\"Resources\":{}}", caps), 1);
    CU_ASSERT_STRING_EQUAL(caps[0], "CAPABILITY_AUTO_EXPAND");
    CU_ASSERT_EQUAL(sparta__template_capabilities(
                        "{\"Resources\":{\"B\":{\"Type\":\"AWS::S3::Bucket\",\"Properties\":{\"Fn::Transform\":{}}}}}", caps), 1);
    CU_ASSERT_EQUAL(sparta__template_capabilities("not json", caps), -1);
    CU_ASSERT_EQUAL(sparta__template_resource_count("{\"Resources\":{\"A\":{},\"B\":{}}}"), 2);
    char *d = sparta__template_parameter_default("{\"Parameters\":{\"P\":{\"Type\":\"Number\",\"Default\":3}}}", "P");
    CU_ASSERT_STRING_EQUAL(d, "3");
    free(d);
}

static void test_redact(void) {
    char *r = sparta__aws_redact_account_ids(
        "arn:aws:cloudformation:us-east-1:123456789012:stack/s/abc 1234567890123 a123456789012 123456789012");
    CU_ASSERT_STRING_EQUAL(r, "arn:aws:cloudformation:us-east-1:************:stack/s/abc 1234567890123 "
                              "a123456789012 ************");
    free(r);
}

static void test_up_to_date(void) {
    const char *tmpl = "{\"Parameters\":{\"P\":{\"Type\":\"String\",\"Default\":\"d\"}},\"Resources\":{}}";
    sparta__cfn_stack s;
    memset(&s, 0, sizeof s);
    sparta__aws_kvlist_add(&s.parameters, "P", "d");
    sparta__aws_kvlist_add(&s.tags, "team", "a");
    sparta__aws_kv tags[] = {{"team", "a"}};
    sparta__aws_kv params[] = {{"P", "x"}};
    sparta__converge_options o;
    memset(&o, 0, sizeof o);
    o.version = SPARTA__CONVERGE_OPTIONS_VERSION;
    o.stack_name = "s";
    o.template_body = tmpl;
    o.tags = tags;
    o.tag_count = 1;
    char why[128];
    /* same JSON with other whitespace and key order is the same template */
    CU_ASSERT(sparta__converge_up_to_date(&s, "{ \"Resources\": {}, \"Parameters\": {\"P\": {\"Default\": \"d\", \"Type\": \"String\"}} }", &o, why, sizeof why));
    CU_ASSERT(!sparta__converge_up_to_date(&s, "{\"Resources\":{\"X\":{}}}", &o, why, sizeof why));
    CU_ASSERT_STRING_EQUAL(why, "the template changed");
    o.parameters = params;
    o.parameter_count = 1;
    CU_ASSERT(!sparta__converge_up_to_date(&s, tmpl, &o, why, sizeof why));
    CU_ASSERT_STRING_EQUAL(why, "parameter P changed");
    o.parameter_count = 0;
    o.tag_count = 0;
    CU_ASSERT(!sparta__converge_up_to_date(&s, tmpl, &o, why, sizeof why));
    CU_ASSERT_STRING_EQUAL(why, "the stack tags changed");
    sparta__aws_kvlist_free(&s.parameters);
    sparta__aws_kvlist_free(&s.tags);
}

static void test_error_parsing(void) {
    sparta__aws_kvlist h = SPARTA__AWS_KVLIST_INIT;
    sparta__aws_error_info e;
    const char *query = "<ErrorResponse xmlns=\"http://cloudformation.amazonaws.com/doc/2010-05-15/\"><Error>"
                        "<Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>"
                        "<RequestId>req-1</RequestId></ErrorResponse>";
    sparta__aws_error_parse(400, &h, query, strlen(query), &e);
    CU_ASSERT_STRING_EQUAL(e.code, "Throttling");
    CU_ASSERT_STRING_EQUAL(e.message, "Rate exceeded");
    CU_ASSERT_STRING_EQUAL(e.request_id, "req-1");
    CU_ASSERT(sparta__aws_error_retryable(400, e.code));
    sparta__aws_error_info_free(&e);
    const char *s3 = "<?xml version=\"1.0\"?>\n<Error><Code>NoSuchBucket</Code><Message>gone</Message>"
                     "<RequestId>r2</RequestId></Error>";
    sparta__aws_error_parse(404, &h, s3, strlen(s3), &e);
    CU_ASSERT_STRING_EQUAL(e.code, "NoSuchBucket");
    CU_ASSERT(!sparta__aws_error_retryable(404, e.code));
    sparta__aws_error_info_free(&e);
    sparta__aws_kvlist_add(&h, "x-amzn-requestid", "json-req");
    const char *json = "{\"__type\":\"com.amazonaws.codepipeline#ThrottlingException\",\"message\":\"slow down\"}";
    sparta__aws_error_parse(400, &h, json, strlen(json), &e);
    CU_ASSERT_STRING_EQUAL(e.code, "ThrottlingException");
    CU_ASSERT_STRING_EQUAL(e.message, "slow down");
    CU_ASSERT_STRING_EQUAL(e.request_id, "json-req");
    sparta__aws_error_info_free(&e);
    sparta__aws_kvlist_free(&h);
    const char *html = "<!DOCTYPE html><html><head><title>500 Internal Server Error</title></head><body>"
                       "<h1>Internal Server Error</h1><p>The server encountered an internal error</p></body></html>";
    sparta__aws_error_parse(500, NULL, html, strlen(html), &e);
    CU_ASSERT_STRING_EQUAL(e.code, "HTTP 500");
    TEST_ASSERT_CONTAINS(e.message, "not an AWS error document: 500 Internal Server Error");
    CU_ASSERT(sparta__aws_error_retryable(500, e.code));
    sparta__aws_error_info_free(&e);
    sparta__aws_error_parse(429, NULL, "", 0, &e);
    CU_ASSERT_STRING_EQUAL(e.code, "TooManyRequests");
    CU_ASSERT(sparta__aws_error_retryable(429, e.code));
    sparta__aws_error_info_free(&e);
    const char *bad = "<ErrorResponse><Error><Code>Oops";
    sparta__aws_error_parse(400, NULL, bad, strlen(bad), &e);
    CU_ASSERT_STRING_EQUAL(e.code, "BadRequest");
    sparta__aws_error_info_free(&e);
}

static void test_client_tokens(void) {
    char seen[200][SPARTA__AWS_CLIENT_TOKEN_SIZE];
    for (int i = 0; i < 200; i++) {
        char *t = seen[i];
        sparta__aws_client_token(t);
        /* CloudFormation: ClientToken [a-zA-Z][-a-zA-Z0-9]*, ClientRequestToken [a-zA-Z0-9][-a-zA-Z0-9]* */
        CU_ASSERT_EQUAL(strlen(t), 39);
        CU_ASSERT(strlen(t) <= 64);
        CU_ASSERT_EQUAL(strncmp(t, "sparta-", 7), 0);
        CU_ASSERT_EQUAL(strspn(t + 7, "0123456789abcdef"), 32);
        for (int j = 0; j < i; j++) CU_ASSERT(strcmp(seen[j], t) != 0);
    }
}

static int client_with(const char *connect_ms, const char *ms, long opt_ms, sparta_error_slot *err) {
    clean_env();
    setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "secret", 1);
    setenv("AWS_REGION", "us-east-1", 1);
    if (connect_ms) setenv("SPARTA_HTTP_CONNECT_TIMEOUT_MS", connect_ms, 1);
    else unsetenv("SPARTA_HTTP_CONNECT_TIMEOUT_MS");
    if (ms) setenv("SPARTA_HTTP_TIMEOUT_MS", ms, 1);
    else unsetenv("SPARTA_HTTP_TIMEOUT_MS");
    sparta__aws_client_options o = SPARTA__AWS_CLIENT_OPTIONS_INIT;
    o.timeout_ms = opt_ms;
    sparta__aws_client *c = NULL;
    sparta__error_clear(err);
    int rc = sparta__aws_client_new(&o, &c, err);
    CU_ASSERT(rc == 0 ? c != NULL : c == NULL);
    sparta__aws_client_free(c);
    unsetenv("SPARTA_HTTP_CONNECT_TIMEOUT_MS");
    unsetenv("SPARTA_HTTP_TIMEOUT_MS");
    return rc;
}

static void test_timeout_variables(void) {
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(client_with(NULL, NULL, 0, &err), 0);
    CU_ASSERT_EQUAL(client_with("250", "1000", 0, &err), 0);
    CU_ASSERT_EQUAL(client_with("", "", 0, &err), 0); /* empty: unset */
    CU_ASSERT_EQUAL(client_with(NULL, "86400000", 0, &err), 0);
    const char *bad[] = {"abc", "0", "-5", "1.5", "10s", " 100", "+100", "86400001", "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        CU_ASSERT_EQUAL(client_with(NULL, bad[i], 0, &err), SPARTA_EUSAGE);
        TEST_ASSERT_CONTAINS(err.message, "SPARTA_HTTP_TIMEOUT_MS='");
        TEST_ASSERT_CONTAINS(err.message, "is not a timeout: give a whole number of milliseconds from 1 to 86400000");
        CU_ASSERT_EQUAL(client_with(bad[i], NULL, 0, &err), SPARTA_EUSAGE);
        TEST_ASSERT_CONTAINS(err.message, "SPARTA_HTTP_CONNECT_TIMEOUT_MS='");
    }
    /* an explicit option wins: the variable is not even read */
    CU_ASSERT_EQUAL(client_with(NULL, "abc", 5000, &err), 0);
}

static void cleanup(void) {
    if (home) test_rmtree(home);
    free(home);
    home = NULL;
}

int main(void) {
    static const test_case cases[] = {
        {"credentials: environment first, explicit profile skips it", test_env_credentials_first},
        {"credentials: profile files, [profile x], named profile errors", test_profile_files},
        {"credentials: credential_process, its failures and its deadline", test_credential_process},
        {"credentials: none found lists everything tried", test_no_credentials_lists_what_was_tried},
        {"credentials: container endpoint and IMDSv2 over loopback", test_container_credentials},
        {"region: flag, AWS_REGION, AWS_DEFAULT_REGION, profile, fallback", test_region_order},
        {"endpoints: per-service, global, profile, regional", test_endpoints},
        {"capabilities computed from the template", test_capabilities},
        {"account IDs redacted", test_redact},
        {"no-change check: template, parameters, tags", test_up_to_date},
        {"error answers: Query XML, S3 XML, JSON, HTML, empty", test_error_parsing},
        {"idempotency tokens: sparta-<32 hex>, fresh each time", test_client_tokens},
        {"SPARTA_HTTP_TIMEOUT_MS / SPARTA_HTTP_CONNECT_TIMEOUT_MS validated", test_timeout_variables},
        {NULL, NULL}};
    int rc = test_main("aws", cases);
    cleanup();
    return rc;
}
