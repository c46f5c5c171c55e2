/* The rollback plugin's descriptor and registration. */
#include <stdlib.h>

#include "rollback.h"

const sparta_host_api *rb_api;

#define FLAG(name, alias, type, def, usage) {sizeof(sparta_flag_spec), name, alias, type, def, usage, 0}

static const sparta_flag_spec alarms_flags[] = {
    FLAG("stackName", "stack-name", SPARTA_FLAG_STRING, NULL, "stack whose alarm names to print (default service.stackName)"),
    FLAG("name", NULL, SPARTA_FLAG_STRING, NULL, "print only this alarm, ready for --cli-input-json"),
};

static const sparta_flag_spec watch_flags[] = {
    FLAG("stackName", "stack-name", SPARTA_FLAG_STRING, NULL, "stack whose alarms to watch (default service.stackName)"),
    FLAG("minutes", NULL, SPARTA_FLAG_INT, NULL, "how long to watch, 0..180 (default rollback.monitoringMinutes)"),
    FLAG("interval", NULL, SPARTA_FLAG_INT, NULL, "seconds between checks, 1..3600 (default 30)"),
};

static const sparta_command_spec commands[] = {
    {sizeof(sparta_command_spec), "alarms", NULL, "Print the stack's CloudWatch alarms as JSON",
     "Builds the template and prints the alarms the rollback plugin adds, as "
     "{\"MetricAlarms\": [...], \"CompositeAlarms\": [...]}. Each element is the input of "
     "`aws cloudwatch put-metric-alarm --cli-input-json` (put-composite-alarm for composites); "
     "--name NAME prints one alone.",
     NULL, rb_command_alarms, alarms_flags, sizeof alarms_flags / sizeof *alarms_flags},
    {sizeof(sparta_command_spec), "alarms watch", NULL, "Wait out the monitoring window; fail if an alarm fires",
     "Checks the alarms of a deployed stack (named STACK.*, plus rollback.extraAlarmArns) every --interval "
     "seconds for --minutes minutes. Exits 1 as soon as one is in ALARM, when the stack has no alarms, or "
     "when CloudWatch cannot be read; exits 0 when they all stayed OK. A pipeline runs it against the "
     "previous environment's stack before promoting (approval = \"alarms\").",
     NULL, rb_command_watch, watch_flags, sizeof watch_flags / sizeof *watch_flags},
};

static int init(sparta_plugin *p, const sparta_host_api *api, void **state) {
    rb_api = api;
    rb_state *st = calloc(1, sizeof *st);
    if (!st) return api->error(p, SPARTA_ENOMEM, "out of memory");
    *state = st;
    /* DECORATE late so every function is in the graph; CONVERGE early. */
    static const sparta_hook_spec hooks[] = {
        {sizeof(sparta_hook_spec), SPARTA_PHASE_CONFIGURE, 0, rb_configure},
        {sizeof(sparta_hook_spec), SPARTA_PHASE_DECORATE, 900, rb_decorate},
        {sizeof(sparta_hook_spec), SPARTA_PHASE_CONVERGE, 0, rb_converge},
    };
    int rc = api->schema_set(p, rb_schema, rb_schema_count);
    for (size_t i = 0; rc == 0 && i < sizeof commands / sizeof *commands; i++) rc = api->command_add(p, &commands[i]);
    for (size_t i = 0; rc == 0 && i < sizeof hooks / sizeof *hooks; i++) rc = api->hook_add(p, &hooks[i]);
    return rc;
}

static void fini(void *state) {
    rb_state *st = state;
    if (!st) return;
    rb_plan_free(&st->plan);
    free(st);
}

SPARTA_PLUGIN_DEFINE("rollback", ROLLBACK_SPARTA_VERSION,
                     "CloudWatch alarms on every function, as CloudFormation rollback triggers", "Apache-2.0", init,
                     fini)
