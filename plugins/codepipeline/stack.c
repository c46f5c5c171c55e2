/* The pipeline stack, <service>-<pipeline>: the names every part shares,
 * then the parts in order (artifact bucket, roles, CodeBuild projects, the
 * pipeline, outputs). Building it touches nothing outside the graph, so a
 * --noop run and a test see exactly what would be deployed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codepipeline.h"

int cp_plan_finish(sparta_plugin *p, cp_plan *plan) {
    const cp_config *c = plan->config;
    if (snprintf(plan->stack, sizeof plan->stack, "%s-%s", plan->service, plan->pipeline) >= (int)sizeof plan->stack ||
        !cp_stack_name_valid(plan->stack) || strlen(plan->stack) > CP_PIPELINE_NAME_MAX)
        return API->error(p, SPARTA_EUSAGE,
                          "the pipeline stack '%s-%s' (<service>-<pipeline>) is not a valid name: letters, digits "
                          "and '-', starting with a letter, at most %d: choose another --pipeline",
                          plan->service, plan->pipeline, CP_PIPELINE_NAME_MAX);
    for (size_t i = 0; i < c->environment_count; i++) {
        const cp_environment *env = &c->environments[i];
        if (env->stack_name) snprintf(plan->env_stacks[i], sizeof plan->env_stacks[i], "%s", env->stack_name);
        else cp_default_stack_name(env->name, plan->service, plan->repo.branch, plan->env_stacks[i],
                                   sizeof plan->env_stacks[i]);
        if (!cp_stack_name_valid(plan->env_stacks[i]))
            return API->error(p, SPARTA_ECONFIG,
                              "environment '%s': its stack name '%s' is not valid: set stackName in its group",
                              env->name, plan->env_stacks[i]);
        if (strcmp(plan->env_stacks[i], plan->stack) == 0)
            return API->error(p, SPARTA_ECONFIG,
                              "environment '%s' would deploy to %s, the pipeline's own stack: set its stackName",
                              env->name, plan->stack);
        for (size_t j = 0; j < i; j++)
            if (strcmp(plan->env_stacks[i], plan->env_stacks[j]) == 0)
                return API->error(p, SPARTA_ECONFIG,
                                  "environments '%s' and '%s' would both deploy the stack %s: give one a stackName",
                                  c->environments[j].name, env->name, plan->env_stacks[i]);
    }
    plan->update_pipeline = c->update_pipeline;
    if (plan->update_pipeline && plan->source.kind == CP_SOURCE_OAUTH) {
        API->log(p, SPARTA_LOG_WARN,
                 "the pipeline will not update itself: with --oauth the token is a NoEcho parameter its "
                 "CloudFormation action cannot pass; use --connectionArn or --githubTokenSecret to keep the "
                 "UpdatePipeline stage (or set codepipeline.updatePipeline = false to silence this)");
        plan->update_pipeline = 0;
    }
    snprintf(plan->build_project, sizeof plan->build_project, "%s-build", plan->stack);
    snprintf(plan->synth_project, sizeof plan->synth_project, "%s-synth", plan->stack);
    snprintf(plan->pr_project, sizeof plan->pr_project, "%s-pr", plan->stack);
    plan->gate_project[0] = '\0';
    if (c->alarm_gates) snprintf(plan->gate_project, sizeof plan->gate_project, "%s-alarm-gate", plan->stack);
    /* What the self-update runs: this command, --noop, with the same source. */
    size_t n = 0;
    const char **a = plan->synth_args;
    a[n++] = "provisionPipeline";
    a[n++] = "--noop";
    a[n++] = "--outputDir";
    a[n++] = plan->output_dir;
    a[n++] = "--pipeline";
    a[n++] = plan->pipeline;
    a[n++] = "--repo";
    a[n++] = plan->repo.canonical;
    if (plan->source.kind == CP_SOURCE_CONNECTION) {
        a[n++] = "--connectionArn";
        a[n++] = plan->source.connection_arn;
    } else if (plan->source.kind == CP_SOURCE_SECRET) {
        a[n++] = "--githubTokenSecret";
        a[n++] = plan->source.secret;
    }
    plan->synth_arg_count = n;
    return 0;
}

static int oauth_parameter(sparta_plugin *p, sparta_graph *g) {
    sparta_value *param = API->new_object(g);
    API->object_set(param, "Type", API->new_string(g, "String"));
    API->object_set(param, "NoEcho", API->new_bool(g, 1));
    API->object_set(param, "MinLength", API->new_int(g, 1));
    API->object_set(param, "Description",
                    API->new_string(g, "GitHub OAuth token for the Source action (given at deploy time, never "
                                       "stored in the template)"));
    return API->parameter_add(p, g, CP_OAUTH_PARAMETER, param);
}

static int projects_add(sparta_plugin *p, sparta_graph *g, const cp_plan *plan) {
    const codebuild_settings *s = plan->build;
    codebuild_project_spec build = {"BuildProject", plan->build_project, NULL, "BuildRole", s->buildspec, NULL,
                                    NULL, 0, 1, "ArtifactBucket"};
    char description[300];
    snprintf(description, sizeof description, "Builds %s and packages its template for the pipeline", plan->service);
    build.description = description;
    int rc = codebuild_project_add(p, g, s, &build);
    if (rc == 0 && plan->update_pipeline) {
        char artifact[200];
        snprintf(artifact, sizeof artifact, "%s.template.json", plan->stack);
        char *spec = codebuild_buildspec_synth(s, plan->synth_args, plan->synth_arg_count, plan->output_dir, artifact);
        if (!spec) return API->error(p, SPARTA_ENOMEM, "out of memory");
        snprintf(description, sizeof description, "Synthesizes the %s pipeline's own template", plan->stack);
        codebuild_project_spec synth = {"SynthProject", plan->synth_project, description, "BuildRole", spec,
                                        NULL, NULL, 0, 0, NULL};
        rc = codebuild_project_add(p, g, s, &synth);
        free(spec);
    }
    if (rc == 0 && s->pull_requests) {
        char *spec = codebuild_buildspec_pull_request(s);
        if (!spec) return API->error(p, SPARTA_ENOMEM, "out of memory");
        snprintf(description, sizeof description, "Builds and tests every pull request of %s/%s (deploys nothing)",
                 plan->repo.owner, plan->repo.name);
        codebuild_project_spec pr = {"PullRequestProject", plan->pr_project, description, "PullRequestRole", spec,
                                     plan->repo.clone_url, plan->source.kind == CP_SOURCE_CONNECTION
                                                               ? plan->source.connection_arn
                                                               : NULL,
                                     1, 0, NULL};
        rc = codebuild_project_add(p, g, s, &pr);
        free(spec);
    }
    if (rc == 0) rc = cp_gate_project_add(p, g, plan);
    return rc;
}

static int output(sparta_plugin *p, sparta_graph *g, const char *id, const char *description, sparta_value *value) {
    sparta_value *o = API->new_object(g);
    API->object_set(o, "Description", API->new_string(g, description));
    API->object_set(o, "Value", value);
    return API->output_add(p, g, id, o);
}

int cp_stack_build(sparta_plugin *p, sparta_graph *g, const cp_plan *plan) {
    int rc = plan->source.kind == CP_SOURCE_OAUTH ? oauth_parameter(p, g) : 0;
    if (rc == 0) rc = cp_bucket_add(p, g, plan);
    if (rc == 0) rc = cp_roles_add(p, g, plan);
    if (rc == 0) rc = projects_add(p, g, plan);
    if (rc == 0) rc = cp_pipeline_add(p, g, plan);
    /* Outputs name skipped-by-moto resources only through text, never GetAtt. */
    if (rc == 0) rc = output(p, g, "PipelineName", "The pipeline", API->new_string(g, plan->stack));
    if (rc == 0) rc = output(p, g, "ArtifactBucketName", "Artifacts and code archives", API->ref(g, "ArtifactBucket"));
    if (rc == 0) {
        char text[400];
        snprintf(text, sizeof text,
                 "https://${AWS::Region}.console.aws.amazon.com/codesuite/codepipeline/pipelines/%s/view?"
                 "region=${AWS::Region}",
                 plan->stack);
        rc = output(p, g, "PipelineConsoleUrl", "The pipeline in the AWS console", API->sub(g, text));
    }
    return rc;
}
