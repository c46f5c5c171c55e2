/* Each function's own AWS::IAM::Role, with least privilege:
 *  - logs:CreateLogStream and logs:PutLogEvents on its own log group only;
 *  - X-Ray's two write actions only when tracing is Active (X-Ray has no
 *    resource-level permissions, so that statement's resource is "*");
 *  - what its pull event sources need (SQS: receive, delete, attributes on
 *    that queue); push sources (schedules, SNS, S3) use resource policies;
 *  - the privileges the user declared, as written.
 * No action is ever "*" unless the user wrote it. */
#include <stdio.h>

#include "lambda.h"

#define API lambda_api

static sparta_value *strings(sparta_graph *g, const char *const *items, size_t n) {
    sparta_value *a = API->new_array(g);
    for (size_t i = 0; i < n; i++) API->array_push(a, API->new_string(g, items[i]));
    return a;
}

static sparta_value *statement(sparta_graph *g, sparta_value *actions, sparta_value *resource) {
    sparta_value *s = API->new_object(g);
    API->object_set(s, "Effect", API->new_string(g, "Allow"));
    API->object_set(s, "Action", actions);
    API->object_set(s, "Resource", resource);
    return s;
}

static sparta_value *resource_value(sparta_graph *g, const sparta_value *resource) {
    if (API->value_type(resource) == SPARTA_VALUE_STRING) return lambda_text_value(g, API->value_string(resource));
    sparta_value *list = API->new_array(g);
    for (size_t i = 0; i < API->value_count(resource); i++)
        API->array_push(list, lambda_text_value(g, API->value_string(API->value_at(resource, i))));
    return list;
}

sparta_value *lambda_policy_statements(lambda_build *b, const lambda_function *f, const lambda_ids *ids) {
    sparta_graph *g = b->graph;
    sparta_value *list = API->new_array(g);
    static const char *const logs[] = {"logs:CreateLogStream", "logs:PutLogEvents"};
    API->array_push(list, statement(g, strings(g, logs, 2), API->get_att(g, ids->log_group, "Arn")));
    if (f->tracing && f->tracing[0] == 'A') {
        static const char *const xray[] = {"xray:PutTraceSegments", "xray:PutTelemetryRecords"};
        API->array_push(list, statement(g, strings(g, xray, 2), API->new_string(g, "*")));
    }
    for (size_t i = 0; i < f->event_count; i++) {
        const lambda_event *e = &f->events[i];
        if (e->kind != LAMBDA_EVENT_SQS) continue;
        static const char *const sqs[] = {"sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"};
        API->array_push(list, statement(g, strings(g, sqs, 3), lambda_sqs_queue_arn(b, f, e)));
    }
    for (size_t i = 0; i < f->privilege_count; i++) {
        const lambda_privilege *pv = &f->privileges[i];
        API->array_push(list, statement(g, API->copy(g, pv->actions), resource_value(g, pv->resource)));
    }
    return list;
}

int lambda_build_role(lambda_build *b, const lambda_function *f, const lambda_ids *ids) {
    sparta_graph *g = b->graph;
    sparta_value *principal = API->new_object(g);
    API->object_set(principal, "Service", API->new_string(g, "lambda.amazonaws.com"));
    sparta_value *assume = API->new_object(g);
    API->object_set(assume, "Effect", API->new_string(g, "Allow"));
    API->object_set(assume, "Principal", principal);
    API->object_set(assume, "Action", API->new_string(g, "sts:AssumeRole"));
    sparta_value *assume_statements = API->new_array(g);
    API->array_push(assume_statements, assume);
    sparta_value *trust = API->new_object(g);
    API->object_set(trust, "Version", API->new_string(g, "2012-10-17"));
    API->object_set(trust, "Statement", assume_statements);

    sparta_value *document = API->new_object(g);
    API->object_set(document, "Version", API->new_string(g, "2012-10-17"));
    API->object_set(document, "Statement", lambda_policy_statements(b, f, ids));
    sparta_value *policy = API->new_object(g);
    API->object_set(policy, "PolicyName", API->new_stringf(g, "%s-function", f->name));
    API->object_set(policy, "PolicyDocument", document);
    sparta_value *policies = API->new_array(g);
    API->array_push(policies, policy);

    sparta_value *props = API->new_object(g);
    API->object_set(props, "AssumeRolePolicyDocument", trust);
    API->object_set(props, "Policies", policies);
    return API->resource_add(b->plugin, g, ids->role, "AWS::IAM::Role", props) ? 0 : SPARTA_EGRAPH;
}
