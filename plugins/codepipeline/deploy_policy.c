/* What CloudFormation may do, as DeployRole, to the environments' stacks:
 * the resource types sparta's plugins emit (functions, roles, log groups,
 * rules, topics, queues, alarms, dashboards), each limited to names that
 * start with one of the environments' stack names, plus reading the code
 * archives and codepipeline.deployPrivileges for anything else. Names
 * CloudFormation generates start with the stack name. Names a plugin chooses
 * (functions, their log groups, topics, queues, alarms, dashboards) start
 * with service.stackName today, so those rules allow that prefix too; roles
 * and rules are always named by CloudFormation, so the pipeline's own roles
 * (<service>-<pipeline>-*) stay out of the deploy role's reach. */
#include <string.h>

#include "codepipeline.h"

#define REGIONAL(service) "arn:${AWS::Partition}:" service ":${AWS::Region}:${AWS::AccountId}:"

typedef struct deploy_rule {
    const char *sid;
    const char *arn; /* Fn::Sub text; %s is a stack name */
    const char *const *actions;
    int plugin_named; /* plugins choose the names: service.stackName prefixes them too */
} deploy_rule;

static const char *const functions[] = {
    "lambda:CreateFunction", "lambda:DeleteFunction", "lambda:GetFunction", "lambda:GetFunctionConfiguration",
    "lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration", "lambda:PublishVersion",
    "lambda:ListVersionsByFunction", "lambda:GetFunctionCodeSigningConfig", "lambda:GetRuntimeManagementConfig",
    "lambda:PutFunctionConcurrency", "lambda:DeleteFunctionConcurrency", "lambda:AddPermission",
    "lambda:RemovePermission", "lambda:GetPolicy", "lambda:TagResource", "lambda:UntagResource", "lambda:ListTags",
    NULL};
static const char *const log_groups[] = {
    "logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:DeleteRetentionPolicy",
    "logs:TagResource", "logs:UntagResource", "logs:ListTagsForResource", "logs:TagLogGroup",
    "logs:UntagLogGroup", "logs:ListTagsLogGroup", NULL};
static const char *const rules[] = {
    "events:PutRule", "events:DeleteRule", "events:DescribeRule", "events:EnableRule", "events:DisableRule",
    "events:PutTargets", "events:RemoveTargets", "events:ListTargetsByRule", "events:TagResource",
    "events:UntagResource", "events:ListTagsForResource", NULL};
static const char *const topics[] = {
    "sns:CreateTopic", "sns:DeleteTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe",
    "sns:Unsubscribe", "sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes",
    "sns:ListSubscriptionsByTopic", "sns:TagResource", "sns:UntagResource", "sns:ListTagsForResource", NULL};
static const char *const queues[] = {
    "sqs:CreateQueue", "sqs:DeleteQueue", "sqs:GetQueueAttributes", "sqs:SetQueueAttributes", "sqs:GetQueueUrl",
    "sqs:TagQueue", "sqs:UntagQueue", "sqs:ListQueueTags", NULL};
static const char *const alarms[] = {
    "cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms", "cloudwatch:TagResource",
    "cloudwatch:UntagResource", "cloudwatch:ListTagsForResource", NULL};
static const char *const dashboards[] = {"cloudwatch:PutDashboard", "cloudwatch:GetDashboard",
                                         "cloudwatch:DeleteDashboards", NULL};

static const deploy_rule deploy_rules[] = {
    {"Functions", REGIONAL("lambda") "function:%s-*", functions, 1},
    {"FunctionRoles", "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/%s-*", cp_role_actions, 0},
    {"LogGroups", REGIONAL("logs") "log-group:/aws/lambda/%s-*", log_groups, 1},
    {"Rules", REGIONAL("events") "rule/%s-*", rules, 0},
    {"Topics", REGIONAL("sns") "%s-*", topics, 1},
    {"Queues", REGIONAL("sqs") "%s-*", queues, 1},
    {"Alarms", REGIONAL("cloudwatch") "alarm:%s-*", alarms, 1},
    {"Dashboards", "arn:${AWS::Partition}:cloudwatch::${AWS::AccountId}:dashboard/%s-*", dashboards, 1},
};

/* The stacks whose names prefix the resources: each environment's, then
 * (with_service) the service's own. */
static size_t prefixes(const cp_plan *plan, int with_service, const char **out, size_t cap) {
    size_t n = 0;
    for (size_t i = 0; i < plan->config->environment_count + (with_service ? 1 : 0) && n < cap; i++) {
        const char *name = i < plan->config->environment_count ? plan->env_stacks[i] : plan->service_stack;
        int seen = 0;
        for (size_t j = 0; j < n; j++) seen |= strcmp(out[j], name) == 0;
        if (!seen && name && *name) out[n++] = name;
    }
    return n;
}

static sparta_value *function_arns(sparta_graph *g, const char *const *names, size_t count) {
    sparta_value *a = API->new_array(g);
    for (size_t i = 0; i < count; i++) API->array_push(a, cp_arn(g, REGIONAL("lambda") "function:%s-*", names[i]));
    return a;
}

/* Event source mappings: created on "*", limited by the function they feed. */
static void event_source_mappings(sparta_graph *g, sparta_value *st, const char *const *names, size_t count) {
    static const char *const change[] = {"lambda:CreateEventSourceMapping", "lambda:UpdateEventSourceMapping",
                                         "lambda:DeleteEventSourceMapping", NULL};
    sparta_value *s = cp_statement(g, "EventSourceMappings", change, API->new_string(g, "*"));
    sparta_value *like = API->new_object(g);
    API->object_set(like, "lambda:FunctionArn", function_arns(g, names, count));
    sparta_value *condition = API->new_object(g);
    API->object_set(condition, "ArnLike", like);
    API->object_set(s, "Condition", condition);
    API->array_push(st, s);
    static const char *const read[] = {"lambda:GetEventSourceMapping", NULL};
    sparta_value *r = API->new_array(g);
    API->array_push(r, cp_arn(g, REGIONAL("lambda") "event-source-mapping:*"));
    API->array_push(st, cp_statement(g, "ReadEventSourceMappings", read, r));
    static const char *const describe[] = {"logs:DescribeLogGroups", NULL};
    r = API->new_array(g);
    API->array_push(r, cp_arn(g, REGIONAL("logs") "log-group:*"));
    API->array_push(st, cp_statement(g, "DescribeLogGroups", describe, r));
}

/* codepipeline.deployPrivileges: { actions = [...]; resources = [...]; } */
static void extra_privileges(sparta_graph *g, sparta_value *st, const sparta_value *list) {
    for (size_t i = 0; list && i < API->value_count(list); i++) {
        const sparta_value *item = API->value_at(list, i);
        const sparta_value *actions = API->value_get(item, "actions");
        const sparta_value *resources = API->value_get(item, "resources");
        sparta_value *s = API->new_object(g);
        API->object_set(s, "Sid", API->new_stringf(g, "DeployPrivilege%zu", i + 1));
        API->object_set(s, "Effect", API->new_string(g, "Allow"));
        API->object_set(s, "Action", API->copy(g, actions));
        sparta_value *r = API->new_array(g);
        for (size_t j = 0; j < API->value_count(resources); j++) {
            const char *text = API->value_string(API->value_at(resources, j));
            API->array_push(r, text && strstr(text, "${") ? API->sub(g, text) : API->new_string(g, text));
        }
        API->object_set(s, "Resource", r);
        API->array_push(st, s);
    }
}

sparta_value *cp_deploy_statements(sparta_plugin *p, sparta_graph *g, const cp_plan *plan) {
    const char *names[64], *all[65];
    size_t stacks = prefixes(plan, 0, names, sizeof names / sizeof *names);
    size_t count = prefixes(plan, 1, all, sizeof all / sizeof *all);
    sparta_value *st = API->new_array(g);
    for (size_t r = 0; r < sizeof deploy_rules / sizeof *deploy_rules; r++) {
        const deploy_rule *rule = &deploy_rules[r];
        sparta_value *resources = API->new_array(g);
        for (size_t i = 0; i < (rule->plugin_named ? count : stacks); i++)
            API->array_push(resources, cp_arn(g, rule->arn, rule->plugin_named ? all[i] : names[i]));
        API->array_push(st, cp_statement(g, rule->sid, rule->actions, resources));
    }
    event_source_mappings(g, st, all, count);
    /* Lambda reads the code with the deployer's rights. */
    static const char *const code[] = {"s3:GetObject", "s3:GetObjectVersion", NULL};
    sparta_value *r = API->new_array(g);
    API->array_push(r, API->sub(g, "${ArtifactBucket.Arn}/*"));
    API->array_push(st, cp_statement(g, "ReadCode", code, r));
    extra_privileges(g, st, plan->config->deploy_privileges);
    return st;
}
