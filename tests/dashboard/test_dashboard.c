/* The dashboard plugin, run as a user runs it: `sparta provision --noop`
 * with a fixture plugin standing in for lambda, golden templates, the grid
 * layout checked by check_dashboard.py, settings errors, cfn-lint, and
 * `sparta dashboard` against moto_server.
 * SPARTA_UPDATE_GOLDEN=1 rewrites the golden templates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "local_aws.h"
#include "test_service.h"
#include "test_support.h"

static test_service svc;
static local_aws moto;

static void service(const char *stack, const char *enabled, const char *groups) {
    char *cfg = test_strf("service = { name = \"%s\"; };\n"
                          "plugins = { path = [ \"%s\" ]; enabled = [ %s ]; };\n%s",
                          stack, FIXTURE_DIR, enabled, groups);
    test_service_new(&svc, cfg);
    free(cfg);
}

/* check_dashboard.py: valid JSON after substitution, grid, no overlap. */
static void check_layout(const char *path, const char *stack, int functions, int per_row) {
    char *out = NULL;
    int rc = test_sh(&out, "python3 '%s/check_dashboard.py' '%s' %s %d %d", SUITE_DIR, path, stack, functions, per_row);
    if (rc != 0) fprintf(stderr, "\n%d functions: %s\n", functions, out ? out : "");
    CU_ASSERT_EQUAL(rc, 0);
    free(out);
}

static void test_golden_default(void) {
    service("shop", "\"functions\", \"dashboard\"", "functions = { count = 3; named = \"even\"; };\n");
    char *path = test_service_synth(&svc, "shop", "golden_default");
    if (!path) return;
    test_service_check_golden(&svc, path, "three_functions");
    check_layout(path, "shop", 3, 5);
    char *text = test_read_file(path, NULL);
    /* The body resolves at deploy: region, stack and unnamed functions. */
    TEST_ASSERT_CONTAINS(text, "\"DashboardName\": {\n          \"Fn::Sub\": \"${AWS::StackName}-dashboard\"");
    TEST_ASSERT_CONTAINS(text, "\\\"region\\\":\\\"${AWS::Region}\\\"");
    TEST_ASSERT_CONTAINS(text, "\\\"FunctionName\\\",\\\"${Fn001Function}\\\"");
    TEST_ASSERT_CONTAINS(text, "\\\"FunctionName\\\",\\\"shop-fn002\\\"");
    TEST_ASSERT_CONTAINS(text, "\"CloudWatchDashboardURL\"");
    TEST_ASSERT_CONTAINS(text, "#dashboards:name=${AWS::StackName}-dashboard");
    free(text);
    free(path);
}

static void test_golden_settings(void) {
    service("shop", "\"functions\", \"dashboard\"",
            "functions = { count = 4; named = \"all\"; };\n"
            "dashboard = { name = \"shop_ops-board\"; period = 60; metrics = [ \"Errors\", \"Duration\", "
            "\"invocations\" ];\n  durationStatistics = [ \"p50\", \"p99.9\", \"Maximum\" ]; };\n");
    char *path = test_service_synth(&svc, "shop", "golden_settings");
    if (!path) return;
    test_service_check_golden(&svc, path, "settings");
    check_layout(path, "shop", 4, 3);
    char *text = test_read_file(path, NULL);
    TEST_ASSERT_CONTAINS(text, "\"DashboardName\": \"shop_ops-board\"");
    TEST_ASSERT_CONTAINS(text, "\\\"period\\\":60");
    TEST_ASSERT_CONTAINS(text, "{\\\"stat\\\":\\\"p99.9\\\",\\\"label\\\":\\\"p99.9\\\"}");
    CU_ASSERT_PTR_NULL(strstr(text, "ConcurrentExecutions"));
    CU_ASSERT_PTR_NULL(strstr(text, "Throttles"));
    free(text);
    free(path);
}

/* No overlap and a full 24-column row per function, for any count. */
static void test_layout_counts(void) {
    static const int counts[] = {1, 3, 4, 50, 99};
    for (size_t i = 0; i < sizeof counts / sizeof *counts; i++) {
        char *groups = test_strf("functions = { count = %d; named = \"even\"; };\n", counts[i]);
        service("grid", "\"functions\", \"dashboard\"", groups);
        char *name = test_strf("layout_%d", counts[i]);
        char *path = test_service_synth(&svc, "grid", counts[i] == 50 || counts[i] == 4 ? name : NULL);
        if (path) check_layout(path, "grid", counts[i], 5);
        free(path);
        free(name);
        free(groups);
    }
    /* Rows of 1, 2 and 4 widgets share the 24 columns too. */
    static const char *const metrics[] = {"\"Errors\"", "\"Errors\", \"Throttles\"",
                                          "\"Errors\", \"Throttles\", \"Duration\", \"Invocations\""};
    for (int k = 0; k < 3; k++) {
        char *groups = test_strf("functions = { count = 7; };\ndashboard = { metrics = [ %s ]; };\n", metrics[k]);
        service("grid", "\"functions\", \"dashboard\"", groups);
        char *path = test_service_synth(&svc, "grid", NULL);
        if (path) check_layout(path, "grid", 7, k == 2 ? 4 : k + 1);
        free(path);
        free(groups);
    }
}

static void test_no_functions(void) {
    service("empty", "\"functions\", \"dashboard\"", "functions = { count = 0; };\n");
    char *out = NULL;
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "provision --noop --outputDir out"), 0);
    TEST_ASSERT_CONTAINS(out, "the stack has no Lambda functions: the dashboard shows only its summary");
    free(out);
    char *path = test_strf("%s/out/empty.template.json", svc.dir);
    check_layout(path, "empty", 0, 5);
    test_service_gather(&svc, path, "empty");
    free(path);
}

static void test_widget_limit(void) {
    char *out = NULL;
    /* 2 + 100 x 5 = 502 widgets: over CloudWatch's 500. */
    service("big", "\"functions\", \"dashboard\"", "functions = { count = 100; };\n");
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "provision --noop --outputDir out"), 1);
    TEST_ASSERT_CONTAINS(out, "DECORATE: plugin 'dashboard': the dashboard would have 502 widgets (2 + 100 "
                              "functions x 5 metrics); CloudWatch allows 500 per dashboard");
    TEST_ASSERT_CONTAINS(out, "at most 99 functions fit with 5 metrics each");
    free(out);
    /* Exactly 500 fits. */
    service("big", "\"functions\", \"dashboard\"",
            "functions = { count = 249; };\ndashboard = { metrics = [ \"Errors\", \"Invocations\" ]; };\n");
    char *path = test_service_synth(&svc, "big", NULL);
    if (path) check_layout(path, "big", 249, 2);
    free(path);
}

static void test_bad_settings(void) {
    char *out = NULL;
    service("bad", "\"functions\", \"dashboard\"",
            "functions = { count = 1; };\n"
            "dashboard = {\n"
            "  name = \"not a name!\";\n"
            "  period = 45;\n"
            "  metrics = [ \"Errors\", \"Latency\", \"errors\" ];\n"
            "  durationStatistics = [ \"p200\" ];\n"
            "};\n");
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "provision --noop --outputDir out"), 1);
    TEST_ASSERT_CONTAINS(out, "CONFIGURE: plugin 'dashboard': the dashboard group has 5 problems:");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:5: dashboard.name: 'not a name!' is not a CloudWatch dashboard name: use "
                              "1 to 255 of A-Z, a-z, 0-9, '-' and '_'");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:6: dashboard.period: 45 seconds is not a CloudWatch period: use 1, 5, "
                              "10, 30 or a multiple of 60");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:7: dashboard.metrics.[1]: unknown metric 'Latency'");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:7: dashboard.metrics.[2]: 'Errors' is listed twice");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:8: dashboard.durationStatistics.[0]: 'p200' is not a CloudWatch statistic");
    free(out);
    service("bad", "\"functions\", \"dashboard\"", "dashboard = { metrics = [ ]; periodd = 60; };\n");
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "validate"), 1);
    TEST_ASSERT_CONTAINS(out, "dashboard.periodd: unknown key 'periodd'");
    free(out);
    service("bad", "\"functions\", \"dashboard\"", "dashboard = { metrics = [ ]; };\n");
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "validate"), 1);
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:3: dashboard.metrics: the list is empty");
    free(out);
    /* A schema error in one group does not hide another plugin's own checks:
     * both come in one run. */
    service("bad", "\"functions\", \"dashboard\"", "functions = { count = \"many\"; };\ndashboard = { period = 45; };\n");
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "provision --noop --outputDir out"), 1);
    TEST_ASSERT_CONTAINS(out, "sparta.cfg has 2 problems:");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:3: functions.count: expected an integer, found a string");
    TEST_ASSERT_CONTAINS(out, "CONFIGURE: plugin 'dashboard': sparta.cfg:4: dashboard.period: 45 seconds is not a "
                              "CloudWatch period");
    CU_ASSERT_EQUAL(test_sh(NULL, "test ! -e '%s/out'", svc.dir), 0);
    free(out);
}

/* The real lambda plugin's functions, with rollback beside: literal
 * FunctionNames, log groups, alarms on the same names. */
static void test_with_lambda_plugin(void) {
#ifdef HAVE_LAMBDA_PLUGIN
    service("hello", "\"lambda\", \"dashboard\", \"rollback\"",
            "lambda = { defaults = { code = \"bootstrap\"; };\n"
            "  functions = ( { name = \"hello\"; handler = \"hello\"; }, { name = \"echo\"; handler = \"echo\"; } ); };\n");
    test_sh(NULL, "printf '#!/bin/sh\\n' > '%s/bootstrap' && chmod 755 '%s/bootstrap'", svc.dir, svc.dir);
    char *out = NULL;
    int rc = test_service_sparta(&svc, &out, "provision --noop --outputDir out --s3Bucket sparta-test-artifacts");
    if (rc != 0) fprintf(stderr, "\n%s\n", out ? out : "");
    CU_ASSERT_EQUAL(rc, 0);
    free(out);
    char *path = test_strf("%s/out/hello.template.json", svc.dir);
    check_layout(path, "hello", 2, 5);
    test_service_gather(&svc, path, "with_lambda");
    CU_ASSERT_EQUAL(test_sh(&out, "python3 -c \"import json; R = json.load(open('%s'))['Resources']; "
                                  "print(sorted((v['Properties']['AlarmName']['Fn::Sub'], "
                                  "json.dumps(v['Properties']['Dimensions'][0]['Value'])) for v in R.values() "
                                  "if v['Type'] == 'AWS::CloudWatch::Alarm'))\"",
                            path),
                    0);
    TEST_ASSERT_CONTAINS(out, "('${AWS::StackName}-alarm.echo.Errors', '{\"Ref\": \"EchoFunction\"}')");
    TEST_ASSERT_CONTAINS(out, "('${AWS::StackName}-alarm.hello.Throttles', '{\"Ref\": \"HelloFunction\"}')");
    free(out);
    char *text = test_read_file(path, NULL);
    TEST_ASSERT_CONTAINS(text, "[/aws/lambda/hello](https://console.aws.amazon.com/cloudwatch/home?region="
                               "${AWS::Region}#logsV2:log-groups/log-group/$252Faws$252Flambda$252F${AWS::StackName}-hello)");
    free(text);
    free(path);
#else
    fprintf(stderr, "(the lambda or rollback plugin is not built: skipped) ");
#endif
}

/* Every template above, in one cfn-lint call: no errors. */
static void test_cfn_lint(void) { test_service_lint(&svc); }

/* ---- against moto_server ---- */

static void test_dashboard_command_not_deployed(void) {
    CU_ASSERT_FATAL(local_aws_fresh(&moto) == 0);
    service("web", "\"functions\", \"dashboard\"", "functions = { count = 2; };\n");
    char *out = NULL;
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "dashboard"), 1);
    TEST_ASSERT_CONTAINS(out, "stack web is not deployed in us-east-1: run `sparta provision` first");
    free(out);
}

static void test_provision_creates_dashboard(void) {
    CU_ASSERT_FATAL(local_aws_fresh(&moto) == 0);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, NULL, "s3api create-bucket --bucket dash-artifacts"), 0);
    service("web", "\"functions\", \"dashboard\"", "functions = { count = 3; named = \"even\"; };\n");
    char *out = NULL;
    int rc = test_service_sparta(&svc, &out, "provision --s3Bucket dash-artifacts --pollInterval 20");
    if (rc != 0) fprintf(stderr, "\n%s\n", out ? out : "");
    CU_ASSERT_EQUAL(rc, 0);
    free(out);
    /* The dashboard exists, and its body is valid dashboard JSON with a row per function. */
    char *args = test_strf("cloudwatch get-dashboard --dashboard-name web-dashboard --query DashboardBody "
                           "--output text > '%s/body.json' && python3 -c \"import json; "
                           "b=json.load(open('%s/body.json')); w=b['widgets']; print(len(w), "
                           "len([x for x in w if x['type']=='metric']), w[2]['properties']['region'])\"",
                           svc.dir, svc.dir);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, args), 0);
    free(args);
    TEST_ASSERT_CONTAINS(out, "17 15 us-east-1");
    free(out);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out,
                                  "cloudwatch get-dashboard --dashboard-name web-dashboard --query DashboardBody "
                                  "--output text"),
                    0);
    TEST_ASSERT_CONTAINS(out, "\"web-fn002\"");
    TEST_ASSERT_CONTAINS(out, "# web\\n");
    CU_ASSERT_PTR_NULL(strstr(out, "${"));
    free(out);

    /* moto drops Outputs after a change set: the URL is built from region
     * and name, once GetDashboard confirmed the dashboard. */
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "--level debug dashboard 2>&1 >/dev/null"), 0);
    TEST_ASSERT_CONTAINS(out, "stack web has no CloudWatchDashboardURL output: building the URL from region and name");
    free(out);
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "dashboard 2>/dev/null"), 0);
    CU_ASSERT_STRING_EQUAL(out, "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1"
                                "#dashboards:name=web-dashboard\n");
    free(out);
    /* A direct update keeps the output: the URL comes from it. */
    service("web", "\"functions\", \"dashboard\"", "functions = { count = 4; named = \"even\"; };\n");
    CU_ASSERT_EQUAL(
        test_service_sparta(&svc, &out, "provision --s3Bucket dash-artifacts --method direct --pollInterval 20"), 0);
    free(out);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "cloudformation describe-stacks --stack-name web --query "
                                               "'Stacks[0].Outputs[0].OutputValue' --output text"),
                    0);
    TEST_ASSERT_CONTAINS(out, "#dashboards:name=web-dashboard");
    free(out);
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "--level debug dashboard 2>&1"), 0);
    CU_ASSERT_PTR_NULL(strstr(out, "no CloudWatchDashboardURL output"));
    TEST_ASSERT_CONTAINS(out, "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1"
                              "#dashboards:name=web-dashboard\n");
    free(out);
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "--format json dashboard 2>/dev/null"), 0);
    TEST_ASSERT_CONTAINS(out, "{\"stack\":\"web\",\"url\":\"https://us-east-1.console.aws.amazon.com/");
    free(out);
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "dashboard --stackName nosuchstack"), 1);
    TEST_ASSERT_CONTAINS(out, "stack nosuchstack is not deployed");
    free(out);
}

/* A stack deployed before the plugin was enabled has no dashboard yet. */
static void test_deployed_without_dashboard(void) {
    CU_ASSERT_FATAL(local_aws_fresh(&moto) == 0);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, NULL, "s3api create-bucket --bucket dash-artifacts"), 0);
    service("plain", "\"functions\"", "functions = { count = 1; };\n");
    char *out = NULL;
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "provision --s3Bucket dash-artifacts --pollInterval 20"), 0);
    free(out);
    service("plain", "\"functions\", \"dashboard\"", "functions = { count = 1; };\n");
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "dashboard"), 1);
    TEST_ASSERT_CONTAINS(out, "stack plain (CREATE_COMPLETE) is deployed but has no dashboard plain-dashboard");
    TEST_ASSERT_CONTAINS(out, "run `sparta provision` to add it");
    free(out);
}

int main(void) {
    if (test_service_open(&svc, GOLDEN_DIR) != 0) return 1;
    static const test_case cases[] = {
        {"golden template, default settings", test_golden_default},
        {"golden template, every setting", test_golden_settings},
        {"no overlap for 1, 3, 4, 50 and 99 functions", test_layout_counts},
        {"a stack without functions", test_no_functions},
        {"500 widgets at most", test_widget_limit},
        {"bad settings: every problem with its line", test_bad_settings},
        {"with the lambda plugin and rollback", test_with_lambda_plugin},
        {"cfn-lint: no errors in any template", test_cfn_lint},
        {"sparta dashboard: stack not deployed", test_dashboard_command_not_deployed},
        {"moto: provision creates the dashboard; sparta dashboard prints its URL", test_provision_creates_dashboard},
        {"moto: stack deployed without the dashboard", test_deployed_without_dashboard},
        {NULL, NULL}};
    int rc = test_main("dashboard", cases);
    local_aws_stop(&moto);
    test_service_close(&svc);
    return rc;
}
