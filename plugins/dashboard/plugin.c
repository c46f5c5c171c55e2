/* The dashboard plugin's descriptor and registration. */
#include "dashboard.h"

const sparta_host_api *dash_api;

static int init(sparta_plugin *p, const sparta_host_api *api, void **state) {
    dash_api = api;
    static const sparta_flag_spec flags[] = {
        {sizeof(sparta_flag_spec), "stackName", "stack-name", SPARTA_FLAG_STRING, NULL,
         "stack whose dashboard to show (default service.stackName)", 0},
    };
    static const sparta_command_spec command = {
        sizeof(sparta_command_spec), "dashboard", NULL, "Print the URL of the stack's CloudWatch dashboard",
        "Prints the CloudWatch console URL of the deployed stack's dashboard (its CloudWatchDashboardURL "
        "output). Fails when the stack is not deployed. --format json prints {\"stack\", \"url\"}.",
        NULL, dash_command, flags, sizeof flags / sizeof *flags};
    /* CONFIGURE reports bad settings before anything is built; DECORATE runs
     * late (priority 900) so functions added by other decorators are in. */
    static const sparta_hook_spec configure = {sizeof(sparta_hook_spec), SPARTA_PHASE_CONFIGURE, 0, dash_configure};
    static const sparta_hook_spec decorate = {sizeof(sparta_hook_spec), SPARTA_PHASE_DECORATE, 900, dash_decorate};
    int rc = api->schema_set(p, dash_schema, dash_schema_count);
    if (rc == 0) rc = api->command_add(p, &command);
    if (rc == 0) rc = api->hook_add(p, &configure);
    if (rc == 0) rc = api->hook_add(p, &decorate);
    return rc;
}

SPARTA_PLUGIN_DEFINE("dashboard", DASHBOARD_SPARTA_VERSION,
                     "CloudWatch dashboard of the stack's Lambda functions", "Apache-2.0", init, NULL)
