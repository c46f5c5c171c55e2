/* The rollback plugin, run as a user runs it, with a fixture plugin standing
 * in for lambda. Offline: golden templates, composite alarms, every range
 * error, cfn-lint. Against moto_server (which skips AWS::CloudWatch::Alarm
 * in stacks and ignores RollbackConfiguration): `sparta alarms` handed to
 * put-metric-alarm and read back, the rollback triggers of a second deploy
 * recorded at a loopback proxy, and the alarm-gated promotion
 * (`sparta alarms watch`) flipped with set-alarm-state.
 * SPARTA_UPDATE_GOLDEN=1 rewrites the golden templates. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "local_aws.h"
#include "test_service.h"
#include "test_support.h"

static test_service svc;
static local_aws moto;

static char *config(const char *stack, const char *groups) {
    return test_strf("service = { name = \"%s\"; region = \"us-east-1\"; };\n"
                     "plugins = { path = [ \"%s\" ]; enabled = [ \"functions\", \"rollback\" ]; };\n%s",
                     stack, FIXTURE_DIR, groups);
}

static void service(const char *stack, const char *groups) {
    char *cfg = config(stack, groups);
    test_service_new(&svc, cfg);
    free(cfg);
}

/* Rewrites sparta.cfg in the current service directory. */
static void reconfigure(const char *stack, const char *groups) {
    char *cfg = config(stack, groups);
    test_service_configure(&svc, cfg);
    free(cfg);
}

/* A python one-liner over the template `path`; its stdout. */
static char *inspect(const char *path, const char *python) {
    char *out = NULL;
    char *script = test_strf("%s/inspect.py", svc.dir);
    char *code = test_strf("import json, re, sys\nt = json.load(open(sys.argv[1]))\nR = t['Resources']\n%s\n", python);
    test_write_file(script, code);
    int rc = test_sh(&out, "python3 '%s' '%s'", script, path);
    if (rc != 0) fprintf(stderr, "\ninspect failed: %s\n", out ? out : "");
    CU_ASSERT_EQUAL(rc, 0);
    free(code);
    free(script);
    return out;
}

static void test_golden_default(void) {
    service("shop", "functions = { count = 2; named = \"even\"; };\n");
    char *path = test_service_synth(&svc, "shop", "default");
    if (!path) return;
    test_service_check_golden(&svc, path, "two_functions");
    char *out = inspect(path, "a = R['Fn002FunctionErrorsAlarm']['Properties']\n"
                              "print(a['AlarmName']['Fn::Sub'], a['Dimensions'][0]['Value'], a['TreatMissingData'],\n"
                              "      a['ComparisonOperator'], a['Threshold'], a['Period'], a['EvaluationPeriods'])\n"
                              "b = R['Fn001FunctionThrottlesAlarm']['Properties']\n"
                              "print(b['AlarmName']['Fn::Sub'], b['Dimensions'][0]['Value'], b['MetricName'])\n"
                              "print(sorted(k for k in R if R[k]['Type'].startswith('AWS::CloudWatch')))\n");
    TEST_ASSERT_CONTAINS(out, "${AWS::StackName}-alarm.fn002.Errors shop-fn002 notBreaching GreaterThanThreshold 0 60 1");
    TEST_ASSERT_CONTAINS(out, "${AWS::StackName}-alarm.Fn001Function.Throttles {'Ref': 'Fn001Function'} Throttles");
    TEST_ASSERT_CONTAINS(out, "['Fn001FunctionErrorsAlarm', 'Fn001FunctionThrottlesAlarm', 'Fn002FunctionErrorsAlarm', "
                              "'Fn002FunctionThrottlesAlarm']");
    free(out);
    free(path);
}

static void test_golden_notifications(void) {
    service("shop", "functions = { count = 2; };\n"
                    "rollback = {\n"
                    "  monitoringMinutes = 15;\n"
                    "  errors = { threshold = 2.5; period = 300; evaluationPeriods = 3; datapointsToAlarm = 2; };\n"
                    "  throttles = { enabled = false; };\n"
                    "  notifications = { emails = [ \"ops@example.com\" ];\n"
                    "    topicArns = [ \"arn:aws:sns:us-east-1:123456789012:pager\" ]; okActions = false; };\n"
                    "};\n");
    char *path = test_service_synth(&svc, "shop", "notifications");
    if (!path) return;
    test_service_check_golden(&svc, path, "notifications");
    char *out = inspect(path, "a = R['Fn001FunctionErrorsAlarm']['Properties']\n"
                              "print(a['Threshold'], a['Period'], a['EvaluationPeriods'], a['DatapointsToAlarm'],\n"
                              "      a['AlarmActions'], 'OKActions' in a)\n"
                              "print(R['RollbackAlarmTopic']['Properties'], t['Outputs']['RollbackAlarmTopicArn']['Value'])\n"
                              "print(len([k for k in R if 'Throttles' in k]))\n");
    TEST_ASSERT_CONTAINS(out, "2.5 300 3 2 [{'Ref': 'RollbackAlarmTopic'}, 'arn:aws:sns:us-east-1:123456789012:pager'] False");
    TEST_ASSERT_CONTAINS(out, "{'TopicName': {'Fn::Sub': '${AWS::StackName}-alarms'}, 'Subscription': "
                              "[{'Endpoint': 'ops@example.com', 'Protocol': 'email'}]} {'Ref': 'RollbackAlarmTopic'}");
    TEST_ASSERT_CONTAINS(out, "\n0\n");
    free(out);
    free(path);
}

/* Six alarms and two extra ARNs: more than CloudFormation's five triggers,
 * so one composite alarm gathers the six. */
static void test_golden_composite(void) {
    service("shop", "functions = { count = 3; named = \"even\"; };\n"
                    "rollback = { extraAlarmArns = [ \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:db-latency\",\n"
                    "  \"arn:aws-us-gov:cloudwatch:us-gov-west-1:123456789012:alarm:x\" ]; };\n");
    /* The second ARN is in another region than the stack: refused. */
    char *out = NULL;
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "validate"), 1);
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:5: rollback.extraAlarmArns.[1]: the alarm is in us-gov-west-1 but the "
                              "stack deploys to us-east-1");
    free(out);
    reconfigure("shop", "functions = { count = 3; named = \"even\"; };\n"
                        "rollback = { extraAlarmArns = [ \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:db-latency\",\n"
                        "  \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:queue-depth\" ]; };\n");
    char *path = test_service_synth(&svc, "shop", "composite");
    if (!path) return;
    test_service_check_golden(&svc, path, "composite");
    out = inspect(path, "c = R['RollbackCompositeAlarm']\n"
                        "print(c['Type'], c['Properties']['AlarmName']['Fn::Sub'])\n"
                        "print(c['Properties']['AlarmRule']['Fn::Sub'])\n");
    TEST_ASSERT_CONTAINS(out, "AWS::CloudWatch::CompositeAlarm ${AWS::StackName}-alarm.rollback\n");
    TEST_ASSERT_CONTAINS(out, "ALARM(\"${Fn001FunctionErrorsAlarm}\") OR ALARM(\"${Fn001FunctionThrottlesAlarm}\") OR "
                              "ALARM(\"${Fn002FunctionErrorsAlarm}\")");
    free(out);
    free(path);
}

/* 160 functions, 320 alarms: composites of at most 100 alarms and rules of
 * at most 10240 characters, even with a 128-character stack name, under
 * one root composite: the one trigger. */
static void test_composite_limits(void) {
    service("many", "functions = { count = 160; named = \"all\"; };\n");
    char *path = test_service_synth(&svc, "many", NULL);
    if (!path) return;
    char *out = inspect(path,
                        "names = {k: v['Properties']['AlarmName']['Fn::Sub'] for k, v in R.items() if 'AlarmName' in v['Properties']}\n"
                        "long = 'S' * 128\n"
                        "total = 0\n"
                        "for k, v in sorted(R.items()):\n"
                        "    if v['Type'] != 'AWS::CloudWatch::CompositeAlarm': continue\n"
                        "    rule = v['Properties']['AlarmRule']['Fn::Sub']\n"
                        "    kids = re.findall(r'\\$\\{(\\w+)\\}', rule)\n"
                        "    resolved = re.sub(r'\\$\\{(\\w+)\\}', lambda m: names[m.group(1)].replace('${AWS::StackName}', long), rule)\n"
                        "    assert len(kids) <= 100 and len(resolved) <= 10240, (k, len(kids), len(resolved))\n"
                        "    total += len([x for x in kids if R[x]['Type'] == 'AWS::CloudWatch::Alarm'])\n"
                        "    print(k, names[k], len(kids))\n"
                        "print('children', total)\n");
    TEST_ASSERT_CONTAINS(out, "children 320");
    TEST_ASSERT_CONTAINS(out, "RollbackCompositeAlarm ${AWS::StackName}-alarm.rollback 6\n");
    TEST_ASSERT_CONTAINS(out, "RollbackCompositeAlarm6 ${AWS::StackName}-alarm.rollback-6 ");
    free(out);
    free(path);
}

static void test_trigger_budget(void) {
    char *out = NULL;
    service("shop", "functions = { count = 1; };\n"
                    "rollback = { extraAlarmArns = [ \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a1\",\n"
                    "  \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a2\", \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a3\",\n"
                    "  \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a4\", \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a5\" ]; };\n");
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "provision --noop"), 1);
    TEST_ASSERT_CONTAINS(out, "rollback.extraAlarmArns takes all 5 rollback triggers CloudFormation allows; the "
                              "function alarms need one more: list at most 4 extra ARNs");
    free(out);
    /* Five extras and no function alarms: fine. */
    reconfigure("shop", "functions = { count = 1; };\n"
                        "rollback = { errors = { enabled = false; }; throttles = { enabled = false; };\n"
                        "  extraAlarmArns = [ \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a1\",\n"
                        "  \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a2\", \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a3\",\n"
                        "  \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a4\", \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:a5\" ]; };\n");
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "provision --noop"), 0);
    free(out);
}

static void test_range_errors(void) {
    char *out = NULL;
    service("bad", "functions = { count = 1; };\n"
                   "rollback = {\n"
                   "  monitoringMinutes = 181;\n"
                   "  errors = { threshold = -1; period = 45; evaluationPeriods = 0; };\n"
                   "  throttles = { period = 3600; evaluationPeriods = 200; datapointsToAlarm = 300; };\n"
                   "  extraAlarmArns = [\n"
                   "    \"arn:aws:sns:us-east-1:123456789012:alarm:x\",\n"
                   "    \"arn:aws:cloudwatch:us-east-1:12345:alarm:x\",\n"
                   "    \"not an arn\",\n"
                   "    \"arn:aws:cloudwatch:us-east-1:123456789012:dashboard/x\",\n"
                   "    \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:ok\",\n"
                   "    \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:ok\"\n"
                   "  ];\n"
                   "  notifications = { createTopic = false; emails = [ \"nobody\" ];\n"
                   "    topicArns = [ \"arn:aws:sqs:us-east-1:123456789012:q\" ]; };\n"
                   "};\n");
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "validate"), 1);
    TEST_ASSERT_CONTAINS(out, "CONFIGURE: plugin 'rollback': the rollback group has 15 problems:");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:5: rollback.monitoringMinutes: 181 minutes is out of range: "
                              "CloudFormation monitors rollback triggers for 0 to 180 minutes");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:6: rollback.errors.threshold: -1 is out of range");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:6: rollback.errors.period: 45 seconds is not a CloudWatch alarm period: "
                              "use 10, 20, 30 or a multiple of 60");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:6: rollback.errors.evaluationPeriods: 0 is out of range: evaluate at least 1 period");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:7: rollback.throttles.evaluationPeriods: 200 periods of 3600 s cover "
                              "720000 s; CloudWatch evaluates at most 604800 s (seven days)");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:7: rollback.throttles.datapointsToAlarm: 300 is out of range: use 1 to "
                              "evaluationPeriods (200)");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:9: rollback.extraAlarmArns.[0]: 'arn:aws:sns:us-east-1:123456789012:alarm:x' "
                              "is not a CloudWatch alarm ARN: its service is not cloudwatch; write "
                              "arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:10: rollback.extraAlarmArns.[1]: 'arn:aws:cloudwatch:us-east-1:12345:alarm:x' "
                              "is not a CloudWatch alarm ARN: its account is not 12 digits");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:11: rollback.extraAlarmArns.[2]: 'not an arn' is not a CloudWatch alarm ARN: "
                              "it is not an ARN");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:12: rollback.extraAlarmArns.[3]: 'arn:aws:cloudwatch:us-east-1:123456789012:"
                              "dashboard/x' is not a CloudWatch alarm ARN: it does not name an alarm (...:alarm:NAME)");
    /* (libconfig dates the last element of a multi-line list a line late.) */
    TEST_ASSERT_CONTAINS(out, ": rollback.extraAlarmArns.[5]: 'arn:aws:cloudwatch:us-east-1:123456789012:"
                              "alarm:ok' is listed twice: list it once");
    TEST_ASSERT_CONTAINS(out, "rollback.extraAlarmArns: 6 ARNs; CloudFormation accepts at most 5 rollback triggers");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:16: rollback.notifications.createTopic: false, but notifications.emails "
                              "needs the stack's topic");
    TEST_ASSERT_CONTAINS(out, "rollback.notifications.topicArns.[0]: 'arn:aws:sqs:us-east-1:123456789012:q' is not an "
                              "SNS topic ARN: its service is not sns");
    TEST_ASSERT_CONTAINS(out, "rollback.notifications.emails.[0]: 'nobody' is not an email address");
    free(out);
    /* A period of a day with more than one day of periods; a sub-minute period warns. */
    service("bad", "functions = { count = 1; };\n"
                   "rollback = { errors = { period = 600; evaluationPeriods = 145; };\n"
                   "  throttles = { period = 10; }; };\n");
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "validate"), 1);
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:4: rollback.errors.evaluationPeriods: 145 periods of 600 s cover 87000 s; "
                              "CloudWatch evaluates at most 86400 s (one day) for sub-hour periods");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:5: rollback.throttles.period: Lambda publishes throttles once a minute");
    free(out);
    /* Types are the schema's job. */
    service("bad", "functions = { count = 1; };\nrollback = { monitoringMinutes = \"10\"; errors = { treshold = 1; }; };\n");
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "validate"), 1);
    TEST_ASSERT_CONTAINS(out, "rollback.monitoringMinutes: expected an integer");
    TEST_ASSERT_CONTAINS(out, "rollback.errors.treshold: unknown key 'treshold'");
    free(out);
}

static void test_no_functions(void) {
    service("empty", "functions = { count = 0; };\n");
    char *out = NULL;
    /* The host refuses an empty template; the plugin says why it added nothing. */
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "provision --noop --outputDir out"), 1);
    TEST_ASSERT_CONTAINS(out, "the stack has no Lambda functions: no alarms to roll back on");
    free(out);
}

static void test_cfn_lint(void) { test_service_lint(&svc); }

/* ---- against moto_server ---- */

/* `sparta alarms` into put-metric-alarm, read back with describe-alarms. */
static int put_alarms(void) {
    char *out = NULL;
    int rc = test_service_sparta(&svc, &out, "alarms > alarms.json");
    if (rc != 0) fprintf(stderr, "\nsparta alarms: %s\n", out ? out : "");
    free(out);
    if (rc != 0) return rc;
    rc = test_sh(&out, "cd '%s' && python3 '%s/put_alarms.py' %s alarms.json", svc.dir, SUITE_DIR, moto.endpoint);
    if (rc != 0) fprintf(stderr, "\nput_alarms: %s\n", out ? out : "");
    free(out);
    return rc;
}

static void test_alarms_command(void) {
    CU_ASSERT_FATAL(local_aws_fresh(&moto) == 0);
    service("api", "functions = { count = 2; named = \"even\"; };\n"
                   "rollback = { errors = { threshold = 1.5; evaluationPeriods = 2; datapointsToAlarm = 1; };\n"
                   "  notifications = { topicArns = [ \"arn:aws:sns:us-east-1:123456789012:pager\" ]; }; };\n");
    char *out = NULL;
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "alarms 2>/dev/null"), 0);
    TEST_ASSERT_CONTAINS(out, "{\n  \"MetricAlarms\": [\n    {\"AlarmName\":\"api-alarm.Fn001Function.Errors\"");
    TEST_ASSERT_CONTAINS(out, "\"Dimensions\":[{\"Name\":\"FunctionName\",\"Value\":\"api-fn002\"}]");
    TEST_ASSERT_CONTAINS(out, "\"Threshold\":1.5,\"ComparisonOperator\":\"GreaterThanThreshold\",\"TreatMissingData\":\"notBreaching\"");
    TEST_ASSERT_CONTAINS(out, "\"CompositeAlarms\": []\n}\n");
    free(out);
    /* Not deployed: the unnamed function's alarms name its logical ID. */
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "alarms 2>&1 >/dev/null"), 0);
    TEST_ASSERT_CONTAINS(out, "function Fn001Function has no FunctionName and stack api is not deployed");
    free(out);
    CU_ASSERT_EQUAL(put_alarms(), 0);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &out, "cloudwatch describe-alarms --alarm-name-prefix api-alarm. --query "
                                               "'MetricAlarms[].[AlarmName,StateValue]' --output text"),
                    0);
    TEST_ASSERT_CONTAINS(out, "api-alarm.Fn001Function.Errors\tOK");
    TEST_ASSERT_CONTAINS(out, "api-alarm.fn002.Throttles\tOK");
    free(out);
    /* One alarm alone, ready for --cli-input-json. */
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out,
                                        "alarms --name api-alarm.fn002.Errors 2>/dev/null > one.json && "
                                        "aws --endpoint-url $AWS_ENDPOINT_URL cloudwatch put-metric-alarm --cli-input-json file://one.json && cat one.json"),
                    0);
    TEST_ASSERT_CONTAINS(out, "{\"AlarmName\":\"api-alarm.fn002.Errors\",");
    free(out);
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "alarms --name nope"), 1);
    TEST_ASSERT_CONTAINS(out, "stack api has no alarm named nope: run `sparta alarms` to list them");
    free(out);
    /* Deployed: the unnamed function's alarms name its physical name. */
    CU_ASSERT_EQUAL(local_aws_cli(&moto, NULL, "s3api create-bucket --bucket api-artifacts"), 0);
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "provision --s3Bucket api-artifacts --pollInterval 20"), 0);
    free(out);
    char *physical = NULL;
    CU_ASSERT_EQUAL(local_aws_cli(&moto, &physical,
                                  "cloudformation describe-stack-resource --stack-name api --logical-resource-id "
                                  "Fn001Function --query StackResourceDetail.PhysicalResourceId --output text"),
                    0);
    if (physical) physical[strcspn(physical, "\n")] = '\0';
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "alarms --name api-alarm.Fn001Function.Errors 2>&1"), 0);
    char *expect = test_strf("\"Dimensions\":[{\"Name\":\"FunctionName\",\"Value\":\"%s\"}]", physical ? physical : "?");
    TEST_ASSERT_CONTAINS(out, expect);
    CU_ASSERT_PTR_NULL(strstr(out, "has no FunctionName"));
    free(expect);
    free(physical);
    free(out);
}

/* ---- the loopback recorder ---- */

static pid_t recorder_pid;
static char recorder_endpoint[64];
static char *recorder_log;

static int recorder_start(void) {
    int port = local_aws_free_port();
    snprintf(recorder_endpoint, sizeof recorder_endpoint, "http://localhost:%d", port);
    recorder_log = test_strf("%s/requests.jsonl", svc.lint_dir);
    char port_text[16], parent[16];
    snprintf(port_text, sizeof port_text, "%d", port);
    snprintf(parent, sizeof parent, "%d", (int)getpid());
    recorder_pid = fork();
    if (recorder_pid == 0) {
        char *argv[] = {"python3", SUITE_DIR "/recording_proxy.py", "--port", port_text, "--upstream",
                        moto.endpoint, "--log", recorder_log, "--parent", parent, NULL};
        execvp(argv[0], argv);
        _exit(127);
    }
    char *ping = test_strf("http://127.0.0.1:%d/__recorder/ping", port);
    int ok = 0;
    for (int i = 0; i < 100 && !ok; i++) {
        ok = local_http("GET", ping, NULL, NULL) == 200;
        if (!ok) usleep(100 * 1000);
    }
    free(ping);
    return ok ? 0 : -1;
}

static void recorder_stop(void) {
    if (recorder_pid <= 0) return;
    kill(recorder_pid, SIGTERM);
    waitpid(recorder_pid, NULL, 0);
    recorder_pid = 0;
}

/* The RollbackConfiguration sparta sent in its last stack call, as
 * "MonitoringTimeInMinutes=N arn arn ..." (empty when none). */
static char *last_rollback_configuration(void) {
    char *out = NULL;
    test_sh(&out,
            "python3 -c \"import json, sys, urllib.parse\n"
            "calls = [json.loads(l) for l in open('%s')]\n"
            "calls = [c for c in calls if c['action'] in ('CreateChangeSet', 'UpdateStack', 'CreateStack')]\n"
            "q = urllib.parse.parse_qs(calls[-1]['body']) if calls else {}\n"
            "keys = sorted(k for k in q if k.startswith('RollbackConfiguration.RollbackTriggers.member.') and k.endswith('.Arn'))\n"
            "types = set(q[k.replace('.Arn', '.Type')][0] for k in keys)\n"
            "print(calls[-1]['action'] if calls else 'none', 'MonitoringTimeInMinutes=' + q.get('RollbackConfiguration.MonitoringTimeInMinutes', ['-'])[0],\n"
            "      ' '.join(q[k][0] for k in keys), ' '.join(types))\"",
            recorder_log);
    return out;
}

static void test_rollback_triggers_recorded(void) {
    CU_ASSERT_FATAL(local_aws_fresh(&moto) == 0);
    CU_ASSERT_EQUAL_FATAL(recorder_start(), 0);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, NULL, "s3api create-bucket --bucket rb-artifacts"), 0);
    char *groups1 = "functions = { count = 1; named = \"all\"; };\n";
    service("orders", groups1);
    char *out = NULL;
    char *cmd = test_strf("AWS_ENDPOINT_URL=%s '%s' --nocolor provision --s3Bucket rb-artifacts --pollInterval 20",
                          recorder_endpoint, test_sparta_bin());
    /* First create: no triggers, the alarms do not exist yet. */
    CU_ASSERT_EQUAL(test_sh(&out, "cd '%s' && %s", svc.dir, cmd), 0);
    TEST_ASSERT_CONTAINS(out, "first deploy of stack orders: no rollback triggers on its alarms yet, because this "
                              "deploy creates them (2)");
    free(out);
    out = last_rollback_configuration();
    TEST_ASSERT_CONTAINS(out, "MonitoringTimeInMinutes=-  \n");
    free(out);

    /* On AWS the stack creates its alarms; moto skips them, so put them. */
    CU_ASSERT_EQUAL(put_alarms(), 0);
    /* Second deploy adds a function: its alarms are new, so not triggers yet;
     * the existing ones and the extra ARN are. A missing extra alarm would
     * fail the deploy in CloudFormation: sparta refuses it first. */
    reconfigure("orders", "functions = { count = 2; named = \"all\"; };\n"
                          "rollback = { monitoringMinutes = 12;\n"
                          "  extraAlarmArns = [ \"arn:aws:cloudwatch:us-east-1:123456789012:alarm:db-latency\" ]; };\n");
    CU_ASSERT_EQUAL(test_sh(&out, "cd '%s' && %s", svc.dir, cmd), 1);
    TEST_ASSERT_CONTAINS(out, "rollback.extraAlarmArns: alarm db-latency does not exist in us-east-1, and "
                              "CloudFormation fails a deploy whose rollback trigger is missing");
    free(out);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, NULL,
                                  "cloudwatch put-metric-alarm --alarm-name db-latency --namespace X --metric-name Y "
                                  "--statistic Sum --period 60 --evaluation-periods 1 --threshold 1 "
                                  "--comparison-operator GreaterThanThreshold"),
                    0);
    CU_ASSERT_EQUAL(test_sh(&out, "cd '%s' && %s", svc.dir, cmd), 0);
    TEST_ASSERT_CONTAINS(out, "alarm orders-alarm.fn002.Errors does not exist yet: this deploy creates it");
    TEST_ASSERT_CONTAINS(out, "rollback triggers: 3 alarms, monitored for 12 minutes after the deploy");
    free(out);
    out = last_rollback_configuration();
    TEST_ASSERT_CONTAINS(out, "MonitoringTimeInMinutes=12 "
                              "arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-alarm.fn001.Errors "
                              "arn:aws:cloudwatch:us-east-1:123456789012:alarm:orders-alarm.fn001.Throttles "
                              "arn:aws:cloudwatch:us-east-1:123456789012:alarm:db-latency AWS::CloudWatch::Alarm\n");
    free(out);

    /* Third deploy: all four function alarms exist now. */
    CU_ASSERT_EQUAL(put_alarms(), 0);
    reconfigure("orders", "functions = { count = 2; named = \"all\"; };\nrollback = { errors = { threshold = 3; }; };\n");
    CU_ASSERT_EQUAL(test_sh(&out, "cd '%s' && %s", svc.dir, cmd), 0);
    TEST_ASSERT_CONTAINS(out, "rollback triggers: 4 alarms, monitored for 5 minutes after the deploy");
    free(out);
    out = last_rollback_configuration();
    TEST_ASSERT_CONTAINS(out, "MonitoringTimeInMinutes=5 ");
    TEST_ASSERT_CONTAINS(out, "alarm:orders-alarm.fn002.Throttles");
    free(out);

    /* Three functions, six alarms: the composite alarm gathering them is the one
     * trigger (typed AWS::CloudWatch::CompositeAlarm). moto implements no
     * composite alarms, so here it never exists and no trigger is sent. */
    reconfigure("orders", "functions = { count = 3; named = \"all\"; };\n");
    CU_ASSERT_EQUAL(test_sh(&out, "cd '%s' && %s", svc.dir, cmd), 0);
    TEST_ASSERT_CONTAINS(out, "alarm orders-alarm.rollback does not exist yet: this deploy creates it");
    free(out);
    out = last_rollback_configuration();
    TEST_ASSERT_CONTAINS(out, "MonitoringTimeInMinutes=-  \n");
    free(out);
    free(cmd);
    recorder_stop();
}

/* ---- the alarm-gated promotion ---- */

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_watch(void) {
    CU_ASSERT_FATAL(local_aws_fresh(&moto) == 0);
    service("pay", "functions = { count = 2; named = \"all\"; };\n");
    char *out = NULL;
    /* Nothing deployed, no alarms: the gate fails closed. */
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "alarms watch --minutes 0"), 1);
    TEST_ASSERT_CONTAINS(out, "stack pay has no alarms (none named pay-alarm.*): deploy it with the rollback plugin "
                              "enabled before gating a promotion on its alarms");
    free(out);
    CU_ASSERT_EQUAL(put_alarms(), 0);
    /* An alarm of another stack whose name starts alike is not pay's. */
    CU_ASSERT_EQUAL(local_aws_cli(&moto, NULL,
                                  "cloudwatch put-metric-alarm --alarm-name pay-test-alarm.fn001.Errors --namespace X "
                                  "--metric-name Y --statistic Sum --period 60 --evaluation-periods 1 --threshold 1 "
                                  "--comparison-operator GreaterThanThreshold"),
                    0);
    CU_ASSERT_EQUAL(local_aws_cli(&moto, NULL,
                                  "cloudwatch set-alarm-state --alarm-name pay-test-alarm.fn001.Errors --state-value ALARM "
                                  "--state-reason other"),
                    0);
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "alarms watch --minutes 0"), 0);
    TEST_ASSERT_CONTAINS(out, "the 4 alarms of stack pay stayed OK for 0 minutes");
    free(out);

    CU_ASSERT_EQUAL(local_aws_cli(&moto, NULL,
                                  "cloudwatch set-alarm-state --alarm-name pay-alarm.fn002.Errors --state-value ALARM "
                                  "--state-reason 'Threshold Crossed: 1 datapoint [3.0] was greater than 0.0'"),
                    0);
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "alarms watch --minutes 0"), 1);
    TEST_ASSERT_CONTAINS(out, "1 alarm of stack pay is in ALARM: do not promote this build\n"
                              "  pay-alarm.fn002.Errors: Threshold Crossed: 1 datapoint [3.0] was greater than 0.0");
    free(out);

    /* During the window: OK at first, ALARM two seconds later; the watch
     * stops at once instead of waiting out its minute. */
    CU_ASSERT_EQUAL(local_aws_cli(&moto, NULL,
                                  "cloudwatch set-alarm-state --alarm-name pay-alarm.fn002.Errors --state-value OK "
                                  "--state-reason recovered"),
                    0);
    double start = now_s();
    char *cmd = test_strf("(sleep 2; aws --endpoint-url %s --region us-east-1 cloudwatch set-alarm-state --alarm-name "
                          "pay-alarm.fn001.Throttles --state-value ALARM --state-reason throttled) & "
                          "'%s' --nocolor alarms watch --minutes 1 --interval 1; rc=$?; wait; exit $rc",
                          moto.endpoint, test_sparta_bin());
    CU_ASSERT_EQUAL(test_sh(&out, "cd '%s' || exit 9; %s", svc.dir, cmd), 1);
    double took = now_s() - start;
    TEST_ASSERT_CONTAINS(out, "4 alarms OK, ");
    TEST_ASSERT_CONTAINS(out, "pay-alarm.fn001.Throttles: throttled");
    CU_ASSERT(took < 20);
    free(out);
    free(cmd);

    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "alarms watch --minutes 181"), 2);
    TEST_ASSERT_CONTAINS(out, "--minutes 181 is out of range: use 0 to 180");
    free(out);
    CU_ASSERT_EQUAL(test_service_sparta(&svc, &out, "help alarms watch"), 0);
    TEST_ASSERT_CONTAINS(out, "--interval");
    free(out);
}

int main(void) {
    if (test_service_open(&svc, GOLDEN_DIR) != 0) return 1;
    static const test_case cases[] = {
        {"golden template: two functions, defaults", test_golden_default},
        {"golden template: thresholds and notifications", test_golden_notifications},
        {"golden template: a composite alarm past five triggers", test_golden_composite},
        {"composite alarms stay within CloudWatch's limits", test_composite_limits},
        {"five rollback triggers at most", test_trigger_budget},
        {"range errors: every problem with its line", test_range_errors},
        {"a stack without functions", test_no_functions},
        {"cfn-lint: no errors in any template", test_cfn_lint},
        {"moto: sparta alarms feeds put-metric-alarm", test_alarms_command},
        {"moto: rollback triggers of later deploys, recorded at a proxy", test_rollback_triggers_recorded},
        {"moto: sparta alarms watch gates a promotion", test_watch},
        {NULL, NULL}};
    int rc = test_main("rollback", cases);
    recorder_stop();
    local_aws_stop(&moto);
    test_service_close(&svc);
    free(recorder_log);
    return rc;
}
