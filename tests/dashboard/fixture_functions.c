/* A stand-in for the lambda plugin: adds `count` AWS::Lambda::Function
 * resources (and the role they share) so the dashboard and rollback plugins
 * can be tested before, and independently of, the real lambda plugin.
 *   functions = { count = 3; named = "even"; };  # "all", "none" or "even"
 * Named functions get a literal FunctionName "<stack>-fnNNN"; the others
 * have none, so CloudFormation names them. */
#include <sparta/plugin.h>
#include <stdio.h>
#include <string.h>

static const sparta_host_api *api;

static int add_functions(sparta_plugin *p, sparta_graph *g, void *state) {
    const sparta_value *section = api->config_section(p);
    int64_t count = api->value_int(api->value_get(section, "count"));
    const char *named = api->value_string(api->value_get(section, "named"));
    if (!named) named = "all";
    if (count <= 0) return 0;

    sparta_value *role = api->new_object(g);
    sparta_value *trust = api->new_object(g);
    sparta_value *statement = api->new_object(g);
    sparta_value *principal = api->new_object(g);
    api->object_set(principal, "Service", api->new_string(g, "lambda.amazonaws.com"));
    api->object_set(statement, "Effect", api->new_string(g, "Allow"));
    api->object_set(statement, "Principal", principal);
    api->object_set(statement, "Action", api->new_string(g, "sts:AssumeRole"));
    sparta_value *statements = api->new_array(g);
    api->array_push(statements, statement);
    api->object_set(trust, "Version", api->new_string(g, "2012-10-17"));
    api->object_set(trust, "Statement", statements);
    api->object_set(role, "AssumeRolePolicyDocument", trust);
    if (!api->resource_add(p, g, "FixtureRole", "AWS::IAM::Role", role)) return SPARTA_EGRAPH;

    const char *stack = api->graph_stack_name(g);
    for (int64_t i = 1; i <= count; i++) {
        sparta_value *props = api->new_object(g);
        int literal = strcmp(named, "all") == 0 || (strcmp(named, "even") == 0 && i % 2 == 0);
        if (literal) api->object_set(props, "FunctionName", api->new_stringf(g, "%s-fn%03lld", stack, (long long)i));
        sparta_value *code = api->new_object(g);
        api->object_set(code, "ZipFile", api->new_string(g, "def handler(event, context):\n    return event\n"));
        api->object_set(props, "Code", code);
        api->object_set(props, "Handler", api->new_string(g, "index.handler"));
        api->object_set(props, "Runtime", api->new_string(g, "python3.12"));
        api->object_set(props, "Role", api->get_att(g, "FixtureRole", "Arn"));
        char id[64];
        snprintf(id, sizeof id, "Fn%03lldFunction", (long long)i);
        if (!api->resource_add(p, g, id, "AWS::Lambda::Function", props)) return SPARTA_EGRAPH;
    }
    return 0;
}

static int init(sparta_plugin *p, const sparta_host_api *host, void **state) {
    api = host;
    static const sparta_schema_field schema[] = {
        {sizeof(sparta_schema_field), "count", SPARTA_VALUE_INT, 0, "how many functions"},
        {sizeof(sparta_schema_field), "named", SPARTA_VALUE_STRING, 0, "all, none or even"},
    };
    static const sparta_hook_spec build = {sizeof(sparta_hook_spec), SPARTA_PHASE_BUILD, 0, add_functions};
    int rc = host->schema_set(p, schema, sizeof schema / sizeof *schema);
    if (rc == 0) rc = host->hook_add(p, &build);
    return rc;
}

SPARTA_PLUGIN_DEFINE("functions", "1.0.0", "Test fixture: N Lambda functions", "Apache-2.0", init, NULL)
