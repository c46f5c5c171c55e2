/* One plugin source, built many ways (see CMakeLists.txt): a good plugin and
 * deliberately old, new and garbled ones the loader must refuse. */
#include <sparta/plugin.h>
#include <string.h>

#ifndef FIXTURE_NAME
#define FIXTURE_NAME "good"
#endif
#ifndef FIXTURE_MAGIC
#define FIXTURE_MAGIC SPARTA_PLUGIN_MAGIC
#endif
#ifndef FIXTURE_MAJOR
#define FIXTURE_MAJOR SPARTA_ABI_MAJOR
#endif
#ifndef FIXTURE_MINOR
#define FIXTURE_MINOR SPARTA_ABI_MINOR
#endif
#ifndef FIXTURE_SIZE_DELTA
#define FIXTURE_SIZE_DELTA 0
#endif

static const sparta_host_api *api;

static int say_hello(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    const char *who = api->flag_string(inv, "who");
    api->print(p, "hello, %s (%s)\n", who ? who : "nobody", (const char *)state);
    return 0;
}

static int build(sparta_plugin *p, sparta_graph *g, void *state) {
#ifdef FIXTURE_REGISTER_LATE
    static const sparta_command_spec late = {sizeof(sparta_command_spec), "late", NULL, "x", NULL, NULL,
                                             say_hello, NULL, 0};
    return api->command_add(p, &late);
#else
    const sparta_value *section = api->config_section(p);
    const char *topic = api->value_string(api->value_get(section, "topic"));
    sparta_value *props = api->new_object(g);
    api->object_set(props, "TopicName", api->new_string(g, topic ? topic : "fixture"));
    return api->resource_add(p, g, "FixtureTopic", "AWS::SNS::Topic", props) ? 0 : -1;
#endif
}

__attribute__((unused)) static int init(sparta_plugin *p, const sparta_host_api *host, void **state) {
    api = host;
#ifdef FIXTURE_INIT_FAILS
    return host->error(p, SPARTA_EPLUGIN, "the fixture refuses to start: missing FIXTURE_TOKEN");
#endif
    static const sparta_flag_spec flags[] = {
        {sizeof(sparta_flag_spec), "who", NULL, SPARTA_FLAG_STRING, "world", "whom to greet", 0}};
    static const sparta_command_spec hello = {sizeof(sparta_command_spec), FIXTURE_NAME "Hello", NULL,
                                              "Greets", NULL, NULL, say_hello, flags, 1};
    static const sparta_hook_spec hook = {sizeof(sparta_hook_spec), SPARTA_PHASE_BUILD, 0, build};
    static const sparta_schema_field schema[] = {
        {sizeof(sparta_schema_field), "topic", SPARTA_VALUE_STRING, 0, "the topic name"}};
    int rc = host->command_add(p, &hello);
    if (rc == 0) rc = host->hook_add(p, &hook);
    if (rc == 0) rc = host->schema_set(p, schema, 1);
    *state = (void *)"state from init";
    return rc;
}

__attribute__((unused)) static void fini(void *state) { (void)state; }

#ifdef FIXTURE_NO_ENTRY
int not_the_entry(void);
int not_the_entry(void) { return 0; }
#elif defined(FIXTURE_NULL_DESCRIPTOR)
SPARTA_PLUGIN_EXPORT const sparta_plugin_descriptor *sparta_plugin_entry(void);
const sparta_plugin_descriptor *sparta_plugin_entry(void) { return NULL; }
#else
SPARTA_PLUGIN_EXPORT const sparta_plugin_descriptor *sparta_plugin_entry(void);
const sparta_plugin_descriptor *sparta_plugin_entry(void) {
    static const sparta_plugin_descriptor d = {
        FIXTURE_MAGIC, FIXTURE_MAJOR, FIXTURE_MINOR,
        (uint32_t)(sizeof(sparta_plugin_descriptor) + FIXTURE_SIZE_DELTA),
        FIXTURE_NAME, "1.2.3", "ABI fixture", "Apache-2.0", init, fini};
    return &d;
}
#endif
