/* The pipeline stack's roles, each allowed only what its job needs on this
 * service's resources (never an "*" action):
 *   PipelineRole        CodePipeline: artifacts, its builds, the stacks it deploys,
 *                       passing the deploy roles, the GitHub connection
 *   BuildRole           CodeBuild (build and self-update): logs, artifacts, the
 *                       build's ssm:/secretsmanager: variables
 *   PullRequestRole     CodeBuild for pull requests: logs and the connection only
 *                       (a pull request's code may come from anyone)
 *   DeployRole          CloudFormation, for the environments' stacks
 *   PipelineUpdateRole  CloudFormation, for the pipeline's own stack
 *   AlarmGateRole       CodeBuild for approval = "alarms": logs, the source
 *                       artifact, DescribeAlarms and the watched stacks */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "codepipeline.h"

#define REGIONAL(service) "arn:${AWS::Partition}:" service ":${AWS::Region}:${AWS::AccountId}:"

static sparta_value *list(sparta_graph *g) { return API->new_array(g); }
static void push(sparta_value *a, sparta_value *v) { API->array_push(a, v); }

static sparta_value *bucket_arn(sparta_graph *g) { return API->get_att(g, "ArtifactBucket", "Arn"); }
static sparta_value *objects_arn(sparta_graph *g) { return API->sub(g, "${ArtifactBucket.Arn}/*"); }

static sparta_value *project_arn(sparta_graph *g, const char *name) {
    return cp_arn(g, REGIONAL("codebuild") "project/%s", name);
}

static sparta_value *stack_arn(sparta_graph *g, const char *name) {
    return cp_arn(g, REGIONAL("cloudformation") "stack/%s/*", name);
}

/* Both service prefixes: CodeConnections kept the CodeStar actions as aliases. */
static void connection_statement(sparta_graph *g, sparta_value *statements, const cp_plan *plan, const char *sid,
                                 const char *const *actions) {
    if (plan->source.kind != CP_SOURCE_CONNECTION) return;
    const char *both[16];
    char names[16][64];
    size_t n = 0;
    for (size_t i = 0; actions[i] && n + 2 < 16; i++) {
        snprintf(names[n], sizeof names[n], "codestar-connections:%s", actions[i]);
        both[n] = names[n];
        n++;
        snprintf(names[n], sizeof names[n], "codeconnections:%s", actions[i]);
        both[n] = names[n];
        n++;
    }
    both[n] = NULL;
    sparta_value *resources = list(g);
    push(resources, API->new_string(g, plan->source.connection_arn));
    push(statements, cp_statement(g, sid, both, resources));
}

static void log_statement(sparta_graph *g, sparta_value *statements, const char *const *projects) {
    static const char *const actions[] = {"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", NULL};
    sparta_value *resources = list(g);
    for (size_t i = 0; projects[i]; i++) {
        push(resources, cp_arn(g, REGIONAL("logs") "log-group:/aws/codebuild/%s", projects[i]));
        push(resources, cp_arn(g, REGIONAL("logs") "log-group:/aws/codebuild/%s:*", projects[i]));
    }
    push(statements, cp_statement(g, "BuildLogs", actions, resources));
}

static int pipeline_role(sparta_plugin *p, sparta_graph *g, const cp_plan *plan) {
    sparta_value *st = list(g);
    static const char *const objects[] = {"s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", NULL};
    sparta_value *r = list(g);
    push(r, objects_arn(g));
    push(st, cp_statement(g, "ArtifactObjects", objects, r));
    static const char *const bucket[] = {"s3:GetBucketVersioning", "s3:GetBucketLocation", NULL};
    r = list(g);
    push(r, bucket_arn(g));
    push(st, cp_statement(g, "ArtifactBucket", bucket, r));

    static const char *const builds[] = {"codebuild:StartBuild", "codebuild:BatchGetBuilds", "codebuild:StopBuild",
                                         NULL};
    r = list(g);
    push(r, project_arn(g, plan->build_project));
    if (plan->update_pipeline) push(r, project_arn(g, plan->synth_project));
    if (plan->gate_project[0]) push(r, project_arn(g, plan->gate_project));
    push(st, cp_statement(g, "RunBuilds", builds, r));

    static const char *const stacks[] = {"cloudformation:CreateStack",     "cloudformation:UpdateStack",
                                         "cloudformation:DeleteStack",     "cloudformation:DescribeStacks",
                                         "cloudformation:CreateChangeSet", "cloudformation:DescribeChangeSet",
                                         "cloudformation:ExecuteChangeSet", "cloudformation:DeleteChangeSet",
                                         "cloudformation:SetStackPolicy",  NULL};
    r = list(g);
    for (size_t i = 0; i < plan->config->environment_count; i++) push(r, stack_arn(g, plan->env_stacks[i]));
    if (plan->update_pipeline) push(r, stack_arn(g, plan->stack));
    push(st, cp_statement(g, "DeployStacks", stacks, r));
    /* ValidateTemplate has no resource type: it reads only the template. */
    static const char *const validate[] = {"cloudformation:ValidateTemplate", NULL};
    push(st, cp_statement(g, "ValidateTemplates", validate, API->new_string(g, "*")));

    static const char *const pass[] = {"iam:PassRole", NULL};
    r = list(g);
    push(r, API->get_att(g, "DeployRole", "Arn"));
    if (plan->update_pipeline) push(r, API->get_att(g, "PipelineUpdateRole", "Arn"));
    sparta_value *s = cp_statement(g, "PassDeployRoles", pass, r);
    sparta_value *equals = API->new_object(g);
    API->object_set(equals, "iam:PassedToService", API->new_string(g, "cloudformation.amazonaws.com"));
    sparta_value *condition = API->new_object(g);
    API->object_set(condition, "StringEquals", equals);
    API->object_set(s, "Condition", condition);
    push(st, s);
    static const char *const use[] = {"UseConnection", NULL};
    connection_statement(g, st, plan, "UseGitHubConnection", use);
    return cp_role(p, g, "PipelineRole", "codepipeline.amazonaws.com", st);
}

static void secret_variable_statements(sparta_graph *g, sparta_value *st, const codebuild_settings *s) {
    sparta_value *params = list(g), *secrets = list(g);
    for (size_t i = 0; i < s->variable_count; i++) {
        const codebuild_variable *v = &s->variables[i];
        if (v->type == CODEBUILD_VARIABLE_PARAMETER_STORE) {
            if (strncmp(v->value, "arn:", 4) == 0) push(params, API->new_string(g, v->value));
            else push(params, cp_arn(g, REGIONAL("ssm") "parameter/%s", v->value[0] == '/' ? v->value + 1 : v->value));
        } else if (v->type == CODEBUILD_VARIABLE_SECRETS_MANAGER) {
            /* secret-id[:json-key[:stage[:version]]]; the id may be an ARN. */
            char id[2048];
            if (strncmp(v->value, "arn:", 4) == 0) {
                const char *q = v->value;
                for (int colons = 0; *q && colons < 6; q++) colons += *q == ':';
                size_t n = strcspn(q, ":");
                snprintf(id, sizeof id, "%.*s", (int)(q - v->value + (ptrdiff_t)n), v->value);
                push(secrets, API->new_stringf(g, "%s*", id));
            } else {
                snprintf(id, sizeof id, "%.*s", (int)strcspn(v->value, ":"), v->value);
                push(secrets, cp_arn(g, REGIONAL("secretsmanager") "secret:%s-*", id));
            }
        }
    }
    static const char *const ssm[] = {"ssm:GetParameters", NULL};
    static const char *const sm[] = {"secretsmanager:GetSecretValue", NULL};
    if (API->value_count(params)) push(st, cp_statement(g, "BuildParameters", ssm, params));
    if (API->value_count(secrets)) push(st, cp_statement(g, "BuildSecrets", sm, secrets));
}

static int build_role(sparta_plugin *p, sparta_graph *g, const cp_plan *plan) {
    sparta_value *st = list(g);
    const char *projects[3] = {plan->build_project, plan->update_pipeline ? plan->synth_project : NULL, NULL};
    log_statement(g, st, projects);
    static const char *const objects[] = {"s3:GetObject", "s3:GetObjectVersion", "s3:PutObject", NULL};
    sparta_value *r = list(g);
    push(r, objects_arn(g));
    push(st, cp_statement(g, "ArtifactObjects", objects, r));
    /* ListBucket: a missing archive answers 404, not 403, so provision uploads it. */
    static const char *const bucket[] = {"s3:GetBucketVersioning", "s3:GetBucketLocation", "s3:ListBucket", NULL};
    r = list(g);
    push(r, bucket_arn(g));
    push(st, cp_statement(g, "ArtifactBucket", bucket, r));
    secret_variable_statements(g, st, plan->build);
    return cp_role(p, g, "BuildRole", "codebuild.amazonaws.com", st);
}

static int pull_request_role(sparta_plugin *p, sparta_graph *g, const cp_plan *plan) {
    sparta_value *st = list(g);
    const char *projects[2] = {plan->pr_project, NULL};
    log_statement(g, st, projects);
    static const char *const use[] = {"UseConnection", "GetConnectionToken", "GetConnection", NULL};
    connection_statement(g, st, plan, "UseGitHubConnection", use);
    return cp_role(p, g, "PullRequestRole", "codebuild.amazonaws.com", st);
}

static int pipeline_update_role(sparta_plugin *p, sparta_graph *g, const cp_plan *plan) {
    sparta_value *st = list(g);
    static const char *const bucket[] = {
        "s3:CreateBucket",           "s3:GetBucketLocation",        "s3:GetBucketVersioning",
        "s3:PutBucketVersioning",    "s3:GetEncryptionConfiguration", "s3:PutEncryptionConfiguration",
        "s3:GetBucketPublicAccessBlock", "s3:PutBucketPublicAccessBlock", "s3:GetBucketPolicy",
        "s3:PutBucketPolicy",        "s3:DeleteBucketPolicy",       "s3:GetBucketOwnershipControls",
        "s3:PutBucketOwnershipControls", "s3:GetBucketTagging",     "s3:PutBucketTagging",
        NULL};
    sparta_value *r = list(g);
    push(r, bucket_arn(g));
    push(st, cp_statement(g, "ArtifactBucket", bucket, r));
    r = list(g);
    push(r, cp_arn(g, "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/%s-*", plan->stack));
    push(st, cp_statement(g, "PipelineRoles", cp_role_actions, r));
    static const char *const projects[] = {"codebuild:CreateProject", "codebuild:UpdateProject",
                                           "codebuild:DeleteProject", "codebuild:BatchGetProjects",
                                           "codebuild:CreateWebhook", "codebuild:UpdateWebhook",
                                           "codebuild:DeleteWebhook", NULL};
    r = list(g);
    push(r, project_arn(g, plan->build_project));
    push(r, project_arn(g, plan->synth_project));
    if (plan->build->pull_requests) push(r, project_arn(g, plan->pr_project));
    if (plan->gate_project[0]) push(r, project_arn(g, plan->gate_project));
    push(st, cp_statement(g, "PipelineProjects", projects, r));
    static const char *const pipeline[] = {"codepipeline:CreatePipeline", "codepipeline:UpdatePipeline",
                                           "codepipeline:DeletePipeline", "codepipeline:GetPipeline",
                                           "codepipeline:GetPipelineState", "codepipeline:TagResource",
                                           "codepipeline:UntagResource", "codepipeline:ListTagsForResource", NULL};
    r = list(g);
    push(r, cp_arn(g, REGIONAL("codepipeline") "%s", plan->stack));
    push(st, cp_statement(g, "Pipeline", pipeline, r));
    static const char *const pass[] = {"PassConnection", "UseConnection", "GetConnection", NULL};
    connection_statement(g, st, plan, "PassGitHubConnection", pass);
    if (plan->source.kind == CP_SOURCE_SECRET) {
        /* CloudFormation resolves {{resolve:secretsmanager:...}} as this role. */
        static const char *const secret[] = {"secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret", NULL};
        r = list(g);
        if (strncmp(plan->source.secret, "arn:", 4) == 0) push(r, API->new_stringf(g, "%s*", plan->source.secret));
        else push(r, cp_arn(g, REGIONAL("secretsmanager") "secret:%s-*", plan->source.secret));
        push(st, cp_statement(g, "GitHubTokenSecret", secret, r));
    }
    return cp_role(p, g, "PipelineUpdateRole", "cloudformation.amazonaws.com", st);
}

/* What `sparta alarms watch` reads, and the source artifact it runs in. */
static int alarm_gate_role(sparta_plugin *p, sparta_graph *g, const cp_plan *plan) {
    sparta_value *st = list(g);
    const char *projects[2] = {plan->gate_project, NULL};
    log_statement(g, st, projects);
    static const char *const objects[] = {"s3:GetObject", "s3:GetObjectVersion", NULL};
    sparta_value *r = list(g);
    push(r, objects_arn(g));
    push(st, cp_statement(g, "SourceArtifact", objects, r));
    static const char *const bucket[] = {"s3:GetBucketLocation", NULL};
    r = list(g);
    push(r, bucket_arn(g));
    push(st, cp_statement(g, "ArtifactBucket", bucket, r));
    /* DescribeAlarms has no resource-level permissions: "*" is its only resource. */
    static const char *const alarms[] = {"cloudwatch:DescribeAlarms", NULL};
    push(st, cp_statement(g, "ReadAlarms", alarms, API->new_string(g, "*")));
    static const char *const stacks[] = {"cloudformation:DescribeStacks", NULL};
    r = list(g);
    for (size_t i = 1; i < plan->config->environment_count; i++)
        if (plan->config->environments[i].approval == CP_APPROVAL_ALARMS) push(r, stack_arn(g, plan->env_stacks[i - 1]));
    push(st, cp_statement(g, "WatchedStacks", stacks, r));
    return cp_role(p, g, "AlarmGateRole", "codebuild.amazonaws.com", st);
}

int cp_roles_add(sparta_plugin *p, sparta_graph *g, const cp_plan *plan) {
    int rc = pipeline_role(p, g, plan);
    if (rc == 0) rc = build_role(p, g, plan);
    if (rc == 0 && plan->build->pull_requests) rc = pull_request_role(p, g, plan);
    if (rc == 0) rc = cp_role(p, g, "DeployRole", "cloudformation.amazonaws.com", cp_deploy_statements(p, g, plan));
    if (rc == 0 && plan->update_pipeline) rc = pipeline_update_role(p, g, plan);
    if (rc == 0 && plan->gate_project[0]) rc = alarm_gate_role(p, g, plan);
    return rc;
}
