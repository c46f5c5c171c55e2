/* AWS::CodeBuild::Project resources: the settings' image, compute type,
 * timeout and variables, fed by CodePipeline or (for pull requests) by a
 * GitHub webhook. */
#include "codebuild.h"

#define API codebuild_api

static const char *const variable_types[] = {"PLAINTEXT", "PARAMETER_STORE", "SECRETS_MANAGER"};

static sparta_value *variable(sparta_graph *g, const char *name, sparta_value *value, const char *type) {
    sparta_value *v = API->new_object(g);
    API->object_set(v, "Name", API->new_string(g, name));
    API->object_set(v, "Type", API->new_string(g, type));
    API->object_set(v, "Value", value);
    return v;
}

static sparta_value *environment(sparta_graph *g, const codebuild_settings *s, const codebuild_project_spec *spec) {
    sparta_value *env = API->new_object(g);
    API->object_set(env, "Type", API->new_string(g, s->environment_type));
    API->object_set(env, "ComputeType", API->new_string(g, s->compute_type));
    API->object_set(env, "Image", API->new_string(g, s->image));
    API->object_set(env, "ImagePullCredentialsType", API->new_string(g, "CODEBUILD"));
    sparta_value *vars = API->new_array(g);
    if (spec->artifact_bucket_id)
        API->array_push(vars, variable(g, "ARTIFACT_BUCKET", API->ref(g, spec->artifact_bucket_id), "PLAINTEXT"));
    for (size_t i = 0; i < s->variable_count; i++) {
        const codebuild_variable *v = &s->variables[i];
        if (v->type != CODEBUILD_VARIABLE_PLAINTEXT && !spec->secret_variables) continue;
        API->array_push(vars, variable(g, v->name, API->new_string(g, v->value), variable_types[v->type]));
    }
    if (API->value_count(vars)) API->object_set(env, "EnvironmentVariables", vars);
    return env;
}

static sparta_value *source(sparta_graph *g, const codebuild_project_spec *spec) {
    sparta_value *src = API->new_object(g);
    if (!spec->github_url) {
        API->object_set(src, "Type", API->new_string(g, "CODEPIPELINE"));
        API->object_set(src, "BuildSpec", API->new_string(g, spec->buildspec));
        return src;
    }
    API->object_set(src, "Type", API->new_string(g, "GITHUB"));
    API->object_set(src, "Location", API->new_string(g, spec->github_url));
    API->object_set(src, "BuildSpec", API->new_string(g, spec->buildspec));
    API->object_set(src, "GitCloneDepth", API->new_int(g, 1));
    API->object_set(src, "ReportBuildStatus", API->new_bool(g, 1));
    if (spec->connection_arn) {
        sparta_value *auth = API->new_object(g);
        API->object_set(auth, "Type", API->new_string(g, "CODECONNECTIONS"));
        API->object_set(auth, "Resource", API->new_string(g, spec->connection_arn));
        API->object_set(src, "Auth", auth);
    }
    return src;
}

static sparta_value *pull_request_triggers(sparta_graph *g) {
    sparta_value *filter = API->new_object(g);
    API->object_set(filter, "Type", API->new_string(g, "EVENT"));
    API->object_set(filter, "Pattern",
                    API->new_string(g, "PULL_REQUEST_CREATED,PULL_REQUEST_UPDATED,PULL_REQUEST_REOPENED"));
    sparta_value *group = API->new_array(g);
    API->array_push(group, filter);
    sparta_value *groups = API->new_array(g);
    API->array_push(groups, group);
    sparta_value *triggers = API->new_object(g);
    API->object_set(triggers, "Webhook", API->new_bool(g, 1));
    API->object_set(triggers, "FilterGroups", groups);
    return triggers;
}

int codebuild_project_add(sparta_plugin *p, sparta_graph *g, const codebuild_settings *s,
                          const codebuild_project_spec *spec) {
    sparta_value *props = API->new_object(g);
    API->object_set(props, "Name", API->new_string(g, spec->name));
    if (spec->description) API->object_set(props, "Description", API->new_string(g, spec->description));
    API->object_set(props, "ServiceRole", API->get_att(g, spec->role_id, "Arn"));
    API->object_set(props, "Source", source(g, spec));
    sparta_value *artifacts = API->new_object(g);
    API->object_set(artifacts, "Type", API->new_string(g, spec->github_url ? "NO_ARTIFACTS" : "CODEPIPELINE"));
    API->object_set(props, "Artifacts", artifacts);
    API->object_set(props, "Environment", environment(g, s, spec));
    API->object_set(props, "TimeoutInMinutes", API->new_int(g, s->timeout));
    if (spec->pull_request_webhook) API->object_set(props, "Triggers", pull_request_triggers(g));
    return API->resource_add(p, g, spec->logical_id, "AWS::CodeBuild::Project", props) ? 0 : SPARTA_EGRAPH;
}
