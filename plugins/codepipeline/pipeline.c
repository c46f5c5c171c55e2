/* The AWS::CodePipeline::Pipeline: Source (GitHub) -> UpdatePipeline (the
 * pipeline's stack updates itself from a fresh provisionPipeline --noop) ->
 * Build (the repository's buildspec: the template and one template
 * configuration per environment) -> one stage per environment, in order: an
 * optional manual approval or alarm gate (gate.c), then a CloudFormation
 * change set, created and executed. */
#include <stdio.h>
#include <stdlib.h>

#include "codepipeline.h"

static sparta_value *artifacts(sparta_graph *g, const char *name) {
    sparta_value *list = API->new_array(g);
    sparta_value *a = API->new_object(g);
    API->object_set(a, "Name", API->new_string(g, name));
    API->array_push(list, a);
    return list;
}

static sparta_value *action(sparta_graph *g, const char *name, const char *category, const char *owner,
                            const char *provider, sparta_value *configuration, const char *input, const char *output,
                            int run_order) {
    sparta_value *type = API->new_object(g);
    API->object_set(type, "Category", API->new_string(g, category));
    API->object_set(type, "Owner", API->new_string(g, owner));
    API->object_set(type, "Provider", API->new_string(g, provider));
    API->object_set(type, "Version", API->new_string(g, "1"));
    sparta_value *a = API->new_object(g);
    API->object_set(a, "Name", API->new_string(g, name));
    API->object_set(a, "ActionTypeId", type);
    API->object_set(a, "Configuration", configuration);
    if (input) API->object_set(a, "InputArtifacts", artifacts(g, input));
    if (output) API->object_set(a, "OutputArtifacts", artifacts(g, output));
    API->object_set(a, "RunOrder", API->new_int(g, run_order));
    return a;
}

static sparta_value *stage(sparta_graph *g, const char *name, sparta_value *actions) {
    sparta_value *s = API->new_object(g);
    API->object_set(s, "Name", API->new_string(g, name));
    API->object_set(s, "Actions", actions);
    return s;
}

static void set(sparta_graph *g, sparta_value *o, const char *key, const char *value) {
    API->object_set(o, key, API->new_string(g, value));
}

static sparta_value *source_stage(sparta_graph *g, const cp_plan *plan) {
    sparta_value *c = API->new_object(g);
    sparta_value *actions = API->new_array(g);
    if (plan->source.kind == CP_SOURCE_CONNECTION) {
        set(g, c, "ConnectionArn", plan->source.connection_arn);
        API->object_set(c, "FullRepositoryId", API->new_stringf(g, "%s/%s", plan->repo.owner, plan->repo.name));
        set(g, c, "BranchName", plan->repo.branch);
        set(g, c, "OutputArtifactFormat", "CODE_ZIP");
        set(g, c, "DetectChanges", "true");
        API->array_push(actions, action(g, "Source", "Source", "AWS", "CodeStarSourceConnection", c, NULL,
                                        "SourceOutput", 1));
    } else {
        set(g, c, "Owner", plan->repo.owner);
        set(g, c, "Repo", plan->repo.name);
        set(g, c, "Branch", plan->repo.branch);
        if (plan->source.kind == CP_SOURCE_SECRET)
            API->object_set(c, "OAuthToken", API->new_stringf(g, "{{resolve:secretsmanager:%s:SecretString:token}}",
                                                              plan->source.secret));
        else
            API->object_set(c, "OAuthToken", API->ref(g, CP_OAUTH_PARAMETER));
        set(g, c, "PollForSourceChanges", "true");
        API->array_push(actions, action(g, "Source", "Source", "ThirdParty", "GitHub", c, NULL, "SourceOutput", 1));
    }
    return stage(g, "Source", actions);
}

static sparta_value *update_stage(sparta_graph *g, const cp_plan *plan) {
    sparta_value *actions = API->new_array(g);
    sparta_value *c = API->new_object(g);
    set(g, c, "ProjectName", plan->synth_project);
    API->array_push(actions, action(g, "Synthesize", "Build", "AWS", "CodeBuild", c, "SourceOutput",
                                    "PipelineOutput", 1));
    c = API->new_object(g);
    set(g, c, "ActionMode", "CREATE_UPDATE");
    set(g, c, "StackName", plan->stack);
    API->object_set(c, "TemplatePath", API->new_stringf(g, "PipelineOutput::%s.template.json", plan->stack));
    API->object_set(c, "RoleArn", API->get_att(g, "PipelineUpdateRole", "Arn"));
    set(g, c, "Capabilities", "CAPABILITY_IAM");
    API->array_push(actions, action(g, "SelfUpdate", "Deploy", "AWS", "CloudFormation", c, "PipelineOutput", NULL, 2));
    return stage(g, "UpdatePipeline", actions);
}

static sparta_value *build_stage(sparta_graph *g, const cp_plan *plan) {
    sparta_value *c = API->new_object(g);
    set(g, c, "ProjectName", plan->build_project);
    sparta_value *actions = API->new_array(g);
    API->array_push(actions, action(g, "Build", "Build", "AWS", "CodeBuild", c, "SourceOutput", "BuildOutput", 1));
    return stage(g, "Build", actions);
}

static sparta_value *change_set(sparta_graph *g, const char *mode, const char *stack) {
    sparta_value *c = API->new_object(g);
    set(g, c, "ActionMode", mode);
    set(g, c, "StackName", stack);
    set(g, c, "ChangeSetName", CP_CHANGE_SET_NAME);
    return c;
}

static sparta_value *environment_stage(sparta_graph *g, const cp_plan *plan, size_t i) {
    const cp_environment *env = &plan->config->environments[i];
    const char *stack = plan->env_stacks[i];
    sparta_value *actions = API->new_array(g);
    int order = 1;
    if (env->approval == CP_APPROVAL_MANUAL) {
        sparta_value *c = API->new_object(g);
        API->object_set(c, "CustomData",
                        API->new_stringf(g, "Deploy %s to %s (stack %s)?", plan->service, env->name, stack));
        API->array_push(actions, action(g, "Approve", "Approval", "AWS", "Manual", c, NULL, NULL, order++));
    } else if (env->approval == CP_APPROVAL_ALARMS && i > 0 && plan->gate_project[0]) {
        /* Runs in the source, where sparta.cfg (and its rollback group) is. */
        char *variables = cp_gate_variables(plan, i);
        if (!variables) return NULL;
        sparta_value *c = API->new_object(g);
        set(g, c, "ProjectName", plan->gate_project);
        set(g, c, "EnvironmentVariables", variables);
        free(variables);
        API->array_push(actions, action(g, "AlarmGate", "Build", "AWS", "CodeBuild", c, "SourceOutput", NULL, order++));
    }
    sparta_value *c = change_set(g, "CHANGE_SET_REPLACE", stack);
    API->object_set(c, "TemplatePath", API->new_string(g, "BuildOutput::" CP_TEMPLATE_FILE));
    API->object_set(c, "TemplateConfiguration", API->new_stringf(g, "BuildOutput::%s.json", env->name));
    API->object_set(c, "RoleArn", API->get_att(g, "DeployRole", "Arn"));
    set(g, c, "Capabilities", "CAPABILITY_IAM,CAPABILITY_NAMED_IAM");
    API->array_push(actions, action(g, "PrepareChanges", "Deploy", "AWS", "CloudFormation", c, "BuildOutput", NULL,
                                    order++));
    API->array_push(actions, action(g, "ExecuteChanges", "Deploy", "AWS", "CloudFormation",
                                    change_set(g, "CHANGE_SET_EXECUTE", stack), NULL, NULL, order++));
    return stage(g, env->name, actions);
}

int cp_pipeline_add(sparta_plugin *p, sparta_graph *g, const cp_plan *plan) {
    sparta_value *stages = API->new_array(g);
    API->array_push(stages, source_stage(g, plan));
    if (plan->update_pipeline) API->array_push(stages, update_stage(g, plan));
    API->array_push(stages, build_stage(g, plan));
    for (size_t i = 0; i < plan->config->environment_count; i++) {
        sparta_value *s = environment_stage(g, plan, i);
        if (!s) return API->error(p, SPARTA_ENOMEM, "out of memory");
        API->array_push(stages, s);
    }

    sparta_value *store = API->new_object(g);
    set(g, store, "Type", "S3");
    API->object_set(store, "Location", API->ref(g, "ArtifactBucket"));
    sparta_value *props = API->new_object(g);
    set(g, props, "Name", plan->stack);
    API->object_set(props, "RoleArn", API->get_att(g, "PipelineRole", "Arn"));
    API->object_set(props, "ArtifactStore", store);
    API->object_set(props, "RestartExecutionOnUpdate", API->new_bool(g, plan->update_pipeline));
    API->object_set(props, "Stages", stages);
    sparta_resource *r = API->resource_add(p, g, "Pipeline", "AWS::CodePipeline::Pipeline", props);
    if (!r) return SPARTA_EGRAPH;
    /* The bucket policy first: no artifact is ever written without it. */
    return API->resource_depends_on(r, "ArtifactBucketPolicy");
}
