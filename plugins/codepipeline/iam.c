/* IAM building blocks: ARNs (as Fn::Sub, so partition, region and account
 * come from the stack), statements that always name their actions, and
 * roles with one inline policy and a single-service trust policy. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "codepipeline.h"

const char *const cp_role_actions[] = {
    "iam:CreateRole", "iam:DeleteRole", "iam:GetRole", "iam:UpdateRole", "iam:UpdateAssumeRolePolicy",
    "iam:PutRolePolicy", "iam:GetRolePolicy", "iam:DeleteRolePolicy", "iam:ListRolePolicies",
    "iam:ListAttachedRolePolicies", "iam:TagRole", "iam:UntagRole", "iam:PassRole", NULL};

sparta_value *cp_arn(sparta_graph *g, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *text = NULL;
    int n = vasprintf(&text, fmt, ap);
    va_end(ap);
    if (n < 0) return NULL;
    sparta_value *v = API->sub(g, text);
    free(text);
    return v;
}

sparta_value *cp_statement(sparta_graph *g, const char *sid, const char *const *actions, sparta_value *resources) {
    sparta_value *s = API->new_object(g);
    sparta_value *list = API->new_array(g);
    for (size_t i = 0; actions[i]; i++) API->array_push(list, API->new_string(g, actions[i]));
    API->object_set(s, "Sid", API->new_string(g, sid));
    API->object_set(s, "Effect", API->new_string(g, "Allow"));
    API->object_set(s, "Action", list);
    API->object_set(s, "Resource", resources);
    return s;
}

int cp_role(sparta_plugin *p, sparta_graph *g, const char *id, const char *service, sparta_value *statements) {
    /* The principal is a plain string: CodePipeline's API checks for it. */
    sparta_value *principal = API->new_object(g);
    API->object_set(principal, "Service", API->new_string(g, service));
    sparta_value *assume = API->new_object(g);
    API->object_set(assume, "Effect", API->new_string(g, "Allow"));
    API->object_set(assume, "Principal", principal);
    API->object_set(assume, "Action", API->new_string(g, "sts:AssumeRole"));
    sparta_value *trust_statements = API->new_array(g);
    API->array_push(trust_statements, assume);
    sparta_value *trust = API->new_object(g);
    API->object_set(trust, "Version", API->new_string(g, "2012-10-17"));
    API->object_set(trust, "Statement", trust_statements);

    sparta_value *document = API->new_object(g);
    API->object_set(document, "Version", API->new_string(g, "2012-10-17"));
    API->object_set(document, "Statement", statements);
    sparta_value *policy = API->new_object(g);
    API->object_set(policy, "PolicyName", API->new_stringf(g, "%s-policy", id));
    API->object_set(policy, "PolicyDocument", document);
    sparta_value *policies = API->new_array(g);
    API->array_push(policies, policy);

    sparta_value *props = API->new_object(g);
    API->object_set(props, "AssumeRolePolicyDocument", trust);
    API->object_set(props, "Policies", policies);
    return API->resource_add(p, g, id, "AWS::IAM::Role", props) ? 0 : SPARTA_EGRAPH;
}
