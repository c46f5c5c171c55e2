/* `sparta provisionPipeline`: converges the pipeline stack <service>-<pipeline>
 * through the host (graph_new + stack_converge), or with --noop writes its
 * template and says what it would create. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "codepipeline.h"

static int pipeline_name_valid(const char *name) {
    if (!name || !*name || !isalpha((unsigned char)name[0])) return 0;
    for (const char *q = name; *q; q++)
        if (!isalnum((unsigned char)*q) && *q != '-') return 0;
    return 1;
}

static void warn_about_build(sparta_plugin *p, const codebuild_settings *s) {
    if (!cp_plugin_enabled(p, "codebuild"))
        API->log(p, SPARTA_LOG_WARN, "the codebuild plugin is not enabled: the build uses its defaults; enable it "
                                     "to configure the build and to run `sparta buildspec`");
    char path[4400];
    codebuild_buildspec_path(p, s, path, sizeof path);
    if (access(path, R_OK) != 0)
        API->log(p, SPARTA_LOG_WARN, "%s is missing: the pipeline's build runs it; write it with `sparta buildspec` "
                                     "and commit it", path);
}

static void print_plan(sparta_plugin *p, const cp_plan *plan, int noop) {
    static const char *const sources[] = {"connection", "token from Secrets Manager", "OAuth token (NoEcho parameter)"};
    API->print(p, "%s stack %s: pipeline %s\n", noop ? "Would converge" : "Converged", plan->stack, plan->stack);
    API->print(p, "  %-16s GitHub %s/%s, branch %s (%s)\n", "Source", plan->repo.owner, plan->repo.name,
               plan->repo.branch, sources[plan->source.kind]);
    if (plan->update_pipeline)
        API->print(p, "  %-16s the pipeline updates its own stack (CodeBuild %s)\n", "UpdatePipeline",
                   plan->synth_project);
    API->print(p, "  %-16s CodeBuild %s runs %s\n", "Build", plan->build_project, plan->build->buildspec);
    for (size_t i = 0; i < plan->config->environment_count; i++) {
        const cp_environment *env = &plan->config->environments[i];
        if (env->approval == CP_APPROVAL_ALARMS && i > 0)
            API->print(p, "  %-16s alarm gate (CodeBuild %s: the alarms of stack %s stay OK for %d minute%s), then "
                          "deploys stack %s (%s.json)\n",
                       env->name, plan->gate_project, plan->env_stacks[i - 1], plan->config->alarm_minutes,
                       plan->config->alarm_minutes == 1 ? "" : "s", plan->env_stacks[i], env->name);
        else
            API->print(p, "  %-16s %sdeploys stack %s (%s.json)\n", env->name,
                       env->approval == CP_APPROVAL_MANUAL ? "manual approval, then " : "", plan->env_stacks[i],
                       env->name);
    }
    if (plan->build->pull_requests)
        API->print(p, "  %-16s CodeBuild %s builds every pull request\n", "PullRequests", plan->pr_project);
}

static int converge(sparta_plugin *p, const cp_plan *plan, int noop) {
    if (!CP_HAS(graph_new) || !CP_HAS(stack_converge))
        return API->error(p, SPARTA_EPLUGIN, "this sparta host cannot converge a second stack (plugin ABI 1.1 "
                                             "graph_new/stack_converge): upgrade sparta");
    sparta_graph *g = API->graph_new(p, plan->stack);
    if (!g) return API->error(p, SPARTA_ENOMEM, "out of memory");
    int rc = cp_stack_build(p, g, plan);
    if (rc != 0) return rc;
    char *pair = NULL;
    const char *params[1];
    sparta_converge_options o = {sizeof o, plan->stack, noop, NULL, 0, NULL, 0};
    if (!noop && plan->source.kind == CP_SOURCE_OAUTH) {
        if (asprintf(&pair, "%s=%s", CP_OAUTH_PARAMETER, plan->source.token) < 0)
            return API->error(p, SPARTA_ENOMEM, "out of memory");
        params[0] = pair;
        o.parameters = params;
        o.parameter_count = 1;
    }
    rc = API->stack_converge(p, g, &o);
    if (pair) {
        memset(pair, 0, strlen(pair));
        free(pair);
    }
    return rc;
}

/* Runs with the service's codebuild settings and environments (read, no problems). */
static int run(sparta_plugin *p, const sparta_invocation *inv, cp_plan *plan, cp_config *config) {
    int noop = API->flag_bool(inv, "noop");
    plan->pipeline = API->flag_string(inv, "pipeline");
    if (!pipeline_name_valid(plan->pipeline))
        return API->error(p, SPARTA_EUSAGE, "--pipeline '%s' is not a valid name: a letter, then letters, digits "
                                            "or '-' (it names the stack <service>-<pipeline>)",
                          plan->pipeline ? plan->pipeline : "");
    int rc = cp_repo_parse(p, API->flag_string(inv, "repo"), &plan->repo);
    if (rc == 0) rc = cp_source_read(p, inv, &plan->source);
    if (rc != 0) return rc;
    plan->service = API->service_get(p, "name");
    plan->service_stack = API->service_get(p, "stackName");
    plan->output_dir = CODEBUILD_OUTPUT_DIR;
    if (!plan->service || !*plan->service)
        return API->error(p, SPARTA_ECONFIG, "sparta.cfg names no service: service = { name = \"hello\"; };");
    if (config->environment_count == 0)
        return API->error(p, SPARTA_ECONFIG,
                          "codepipeline.environments is empty: declare the stacks the pipeline deploys, in order, "
                          "e.g. codepipeline = { environments = ( { name = \"test\"; }, { name = \"prod\"; "
                          "approval = \"manual\"; } ); };");
    cp_config_warn_missing(p, config);
    plan->config = config;
    plan->env_stacks = calloc(config->environment_count, sizeof *plan->env_stacks);
    if (!plan->env_stacks) return API->error(p, SPARTA_ENOMEM, "out of memory");
    rc = cp_plan_finish(p, plan);
    if (rc != 0) return rc;
    const char *bucket = API->flag_string(inv, "s3Bucket");
    const char *host_bucket = API->service_get(p, "s3Bucket");
    if (!noop && !bucket && !host_bucket)
        return API->error(p, SPARTA_EUSAGE, "provisionPipeline needs an S3 bucket for the pipeline's template: pass "
                                            "--s3Bucket NAME or set service.s3Bucket (or use --noop)");
    warn_about_build(p, plan->build);
    rc = converge(p, plan, noop);
    if (rc == 0) print_plan(p, plan, noop);
    return rc;
}

int cp_cmd_provision_pipeline(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    /* Both groups' problems in one report. */
    codebuild_settings build;
    cp_config config;
    codebuild_problems pr = {0};
    int rc = codebuild_settings_read(p, API->value_get(API->config_root(p), "codebuild"), &build, &pr);
    int rc2 = cp_config_read(p, &config, &pr);
    if (rc == 0) rc = rc2;
    if (rc == 0) rc = codebuild_problems_report(&pr, p, "sparta.cfg");
    else rc = API->error(p, rc, "out of memory");
    sparta_text_free(&pr.text);
    cp_plan plan;
    memset(&plan, 0, sizeof plan);
    plan.build = &build;
    if (rc == 0) rc = run(p, inv, &plan, &config);
    free(plan.env_stacks);
    cp_source_free(&plan.source);
    cp_config_free(&config);
    codebuild_settings_free(&build);
    return rc;
}
