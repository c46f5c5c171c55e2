/* A third-party sparta plugin, built out of tree against the installed SDK.
 * It adds an SNS topic (named in sparta.cfg) to the service template and a
 * `topicInfo` command that says what it would create. */
#include <sparta/plugin.h>

static const sparta_host_api *api;

static const char *topic_name(sparta_plugin *p) {
    const char *name = api->value_string(api->value_get(api->config_section(p), "name"));
    return name ? name : "alerts";
}

static int add_topic(sparta_plugin *p, sparta_graph *g, void *state) {
    (void)state;
    sparta_value *props = api->new_object(g);
    api->object_set(props, "TopicName", api->new_stringf(g, "%s-%s", api->graph_stack_name(g), topic_name(p)));
    if (!api->resource_add(p, g, "NotificationTopic", "AWS::SNS::Topic", props)) return SPARTA_EGRAPH;
    sparta_value *output = api->new_object(g);
    api->object_set(output, "Description", api->new_string(g, "ARN of the notification topic"));
    api->object_set(output, "Value", api->ref(g, "NotificationTopic"));
    return api->output_add(p, g, "NotificationTopicArn", output);
}

static int topic_info(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    (void)state;
    const char *stack = api->service_get(p, "stackName");
    api->print(p, "topic %s-%s (%s)\n", stack ? stack : "?", topic_name(p),
               api->flag_bool(inv, "arn") ? "arn requested" : "name only");
    return 0;
}

static int init(sparta_plugin *p, const sparta_host_api *host, void **state) {
    (void)state;
    api = host;
    static const sparta_schema_field schema[] = {
        {sizeof(sparta_schema_field), "name", SPARTA_VALUE_STRING, 0, "topic name suffix"}};
    static const sparta_flag_spec flags[] = {
        {sizeof(sparta_flag_spec), "arn", NULL, SPARTA_FLAG_BOOL, NULL, "also say the ARN", 0}};
    static const sparta_command_spec info = {sizeof(sparta_command_spec), "topicInfo", "topic-info",
                                             "Show the SNS topic this service gets", NULL, NULL,
                                             topic_info, flags, 1};
    static const sparta_hook_spec build = {sizeof(sparta_hook_spec), SPARTA_PHASE_BUILD, 100, add_topic};
    int rc = host->schema_set(p, schema, 1);
    if (rc == 0) rc = host->command_add(p, &info);
    if (rc == 0) rc = host->hook_add(p, &build);
    return rc;
}

SPARTA_PLUGIN_DEFINE("topic", "1.0.0", "Adds an SNS notification topic", "Apache-2.0", init, NULL)
