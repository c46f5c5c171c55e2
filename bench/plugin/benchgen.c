/* A bench plugin: generates a graph of N resources (a chain of SNS topics and
 * subscriptions that reference each other) to time synthesis and validation. */
#include <sparta/plugin.h>
#include <stdio.h>

static const sparta_host_api *api;

static int generate(sparta_plugin *p, sparta_graph *g, void *state) {
    const sparta_value *n = api->value_get(api->config_section(p), "resources");
    int64_t count = n ? api->value_int(n) : 500;
    for (int64_t i = 0; i < count; i++) {
        char id[32];
        snprintf(id, sizeof id, "Topic%lld", (long long)i);
        sparta_value *props = api->new_object(g);
        api->object_set(props, "TopicName", api->new_stringf(g, "%s-topic-%lld", api->graph_stack_name(g), (long long)i));
        if (i > 0) {
            sparta_value *tags = api->new_array(g), *tag = api->new_object(g);
            char prev[32];
            snprintf(prev, sizeof prev, "Topic%lld", (long long)(i - 1));
            api->object_set(tag, "Key", api->new_string(g, "previous"));
            api->object_set(tag, "Value", api->get_att(g, prev, "TopicName"));
            api->array_push(tags, tag);
            api->object_set(props, "Tags", tags);
        }
        if (!api->resource_add(p, g, id, "AWS::SNS::Topic", props)) return SPARTA_EGRAPH;
    }
    return 0;
}

static int init(sparta_plugin *p, const sparta_host_api *host, void **state) {
    api = host;
    static const sparta_schema_field schema[] = {
        {sizeof(sparta_schema_field), "resources", SPARTA_VALUE_INT, 0, "how many resources to generate"}};
    static const sparta_hook_spec hook = {sizeof(sparta_hook_spec), SPARTA_PHASE_BUILD, 0, generate};
    int rc = host->schema_set(p, schema, 1);
    return rc == 0 ? host->hook_add(p, &hook) : rc;
}

SPARTA_PLUGIN_DEFINE("benchgen", "1.0.0", "Generates N resources for benchmarks", "Apache-2.0", init, NULL)
