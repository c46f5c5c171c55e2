/* Per function: the AWS::Lambda::Function, its AWS::Logs::LogGroup, its
 * role (iam.c), its event sources (events.c) and an output with its ARN. */
#include <stdio.h>
#include <string.h>

#include "lambda.h"

#define API lambda_api

void lambda_ids_for(const lambda_build *b, const lambda_function *f, lambda_ids *ids) {
    lambda_format(ids->function, sizeof ids->function, "%sFunction", f->id);
    lambda_format(ids->role, sizeof ids->role, "%sRole", f->id);
    lambda_format(ids->log_group, sizeof ids->log_group, "%sLogGroup", f->id);
    lambda_format(ids->output, sizeof ids->output, "%sArn", f->id);
    lambda_physical_name(b->stack, f->name, LAMBDA_NAME_MAX, ids->function_name, sizeof ids->function_name);
}

static int build_log_group(lambda_build *b, const lambda_function *f, const lambda_ids *ids) {
    sparta_graph *g = b->graph;
    sparta_value *props = API->new_object(g);
    API->object_set(props, "LogGroupName", lambda_stack_scoped_name(g, b->stack, "/aws/lambda/", ids->function_name, f->name, ""));
    if (f->log_retention > 0) API->object_set(props, "RetentionInDays", API->new_int(g, f->log_retention));
    return API->resource_add(b->plugin, g, ids->log_group, "AWS::Logs::LogGroup", props) ? 0 : SPARTA_EGRAPH;
}

static sparta_value *pairs_object(sparta_graph *g, const lambda_pair *pairs, size_t n) {
    sparta_value *o = API->new_object(g);
    for (size_t i = 0; i < n; i++) API->object_set(o, pairs[i].key, lambda_text_value(g, pairs[i].value));
    return o;
}

static sparta_value *tag_list(sparta_graph *g, const lambda_pair *pairs, size_t n) {
    sparta_value *list = API->new_array(g);
    for (size_t i = 0; i < n; i++) {
        sparta_value *tag = API->new_object(g);
        API->object_set(tag, "Key", API->new_string(g, pairs[i].key));
        API->object_set(tag, "Value", API->new_string(g, pairs[i].value));
        API->array_push(list, tag);
    }
    return list;
}

/* dependsOn: a function of this service becomes its function's logical ID. */
static int add_depends_on(lambda_build *b, const lambda_function *f, sparta_resource *r) {
    for (size_t i = 0; i < API->value_count(f->depends_on); i++) {
        const char *target = API->value_string(API->value_at(f->depends_on, i));
        char id[256];
        lambda_format(id, sizeof id, "%s", target);
        for (size_t k = 0; k < b->config->function_count; k++)
            if (strcmp(b->config->functions[k].name, target) == 0)
                lambda_format(id, sizeof id, "%sFunction", b->config->functions[k].id);
        int rc = API->resource_depends_on(r, id);
        if (rc != 0) return rc;
    }
    return 0;
}

int lambda_build_function(lambda_build *b, const lambda_function *f) {
    sparta_graph *g = b->graph;
    lambda_ids ids;
    lambda_ids_for(b, f, &ids);
    int rc = build_log_group(b, f, &ids);
    if (rc == 0) rc = lambda_build_role(b, f, &ids);
    if (rc != 0) return rc;

    sparta_value *props = API->new_object(g);
    API->object_set(props, "FunctionName", lambda_stack_scoped_name(g, b->stack, "", ids.function_name, f->name, ""));
    if (f->description) API->object_set(props, "Description", API->new_string(g, f->description));
    API->object_set(props, "Runtime", API->new_string(g, f->runtime));
    API->object_set(props, "Handler", API->new_string(g, f->handler));
    sparta_value *code = API->new_object(g);
    API->object_set(code, "S3Bucket", API->archive_bucket(g));
    API->object_set(code, "S3Key", API->archive_key(g, lambda_archive_name(b->config, f)));
    API->object_set(props, "Code", code);
    API->object_set(props, "Role", API->get_att(g, ids.role, "Arn"));
    API->object_set(props, "MemorySize", API->new_int(g, f->memory));
    API->object_set(props, "Timeout", API->new_int(g, f->timeout));
    sparta_value *arch = API->new_array(g);
    API->array_push(arch, API->new_string(g, f->architecture));
    API->object_set(props, "Architectures", arch);
    if (f->environment_count) {
        sparta_value *env = API->new_object(g);
        API->object_set(env, "Variables", pairs_object(g, f->environment, f->environment_count));
        API->object_set(props, "Environment", env);
    }
    if (f->tracing) {
        sparta_value *tracing = API->new_object(g);
        API->object_set(tracing, "Mode", API->new_string(g, f->tracing));
        API->object_set(props, "TracingConfig", tracing);
    }
    if (f->reserved_concurrency >= 0)
        API->object_set(props, "ReservedConcurrentExecutions", API->new_int(g, f->reserved_concurrency));
    /* The Ref ties the function to its log group: CloudFormation creates the
     * group first, so the function never logs into an unmanaged group. */
    sparta_value *logging = API->new_object(g);
    API->object_set(logging, "LogGroup", API->ref(g, ids.log_group));
    API->object_set(props, "LoggingConfig", logging);
    if (f->tag_count) API->object_set(props, "Tags", tag_list(g, f->tags, f->tag_count));

    sparta_resource *r = API->resource_add(b->plugin, g, ids.function, "AWS::Lambda::Function", props);
    if (!r) return SPARTA_EGRAPH;
    rc = add_depends_on(b, f, r);
    if (rc != 0) return rc;

    sparta_value *output = API->new_object(g);
    API->object_set(output, "Description", API->new_stringf(g, "ARN of the %s function", f->name));
    API->object_set(output, "Value", API->get_att(g, ids.function, "Arn"));
    rc = API->output_add(b->plugin, g, ids.output, output);
    if (rc != 0) return rc;
    return lambda_build_events(b, f, &ids);
}
