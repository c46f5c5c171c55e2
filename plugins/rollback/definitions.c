/* `sparta alarms`: the stack's alarms as JSON, in the shape DescribeAlarms
 * answers: {"MetricAlarms": [...], "CompositeAlarms": [...]}. Each element
 * is what `aws cloudwatch put-metric-alarm --cli-input-json` (or
 * put-composite-alarm) accepts; --name prints one element alone. */
#include <stdlib.h>
#include <string.h>

#include "rollback.h"

typedef struct context {
    sparta_plugin *p;
    const char *stack;
    const rb_stack_info *info;
    const rb_settings *settings;
    int warned_topic;
    /* The function last looked up (both its alarms name it): one
     * DescribeStackResource, one warning, per function. */
    const char *looked_up;
    char *physical;
} context;

/* The FunctionName dimension: the literal name, else the deployed
 * function's physical name, else (with a warning) its logical ID. */
static const char *function_dimension(context *c, const rb_alarm *a) {
    if (a->function_name) return a->function_name;
    if (!c->looked_up || strcmp(c->looked_up, a->function_id) != 0) {
        free(c->physical);
        c->physical = c->info->deployed ? rb_physical_id(c->p, c->stack, a->function_id) : NULL;
        c->looked_up = a->function_id;
        if (!c->physical && c->info->deployed)
            rb_api->log(c->p, SPARTA_LOG_WARN,
                        "function %s has no FunctionName and its physical name in stack %s could not be read "
                        "(cloudformation:DescribeStackResource): its alarms name the logical ID",
                        a->function_id, c->stack);
        else if (!c->physical)
            rb_api->log(c->p, SPARTA_LOG_WARN,
                        "function %s has no FunctionName and stack %s is not deployed: its alarms name the logical ID",
                        a->function_id, c->stack);
    }
    return c->physical ? c->physical : a->function_id;
}

static void actions(context *c, sparta_text *out) {
    sparta_text_puts(out, "[");
    int n = 0;
    if (c->settings->create_topic && c->info->account[0] && c->info->region[0]) {
        sparta_text topic = {0};
        sparta_text_printf(&topic, "arn:%s:sns:%s:%s:%s-alarms", c->info->partition, c->info->region, c->info->account,
                           c->stack);
        sparta_text_json_string(out, sparta_text_str(&topic));
        sparta_text_free(&topic);
        n++;
    } else if (c->settings->create_topic && !c->warned_topic) {
        rb_api->log(c->p, SPARTA_LOG_WARN,
                    "the account of stack %s is unknown (not deployed?): its alarm topic is left out of the actions",
                    c->stack);
        c->warned_topic = 1;
    }
    for (size_t i = 0; i < c->settings->topic_arns.count; i++) {
        if (n++) sparta_text_puts(out, ",");
        sparta_text_json_string(out, c->settings->topic_arns.items[i]);
    }
    sparta_text_puts(out, "]");
}

static void metric_alarm(context *c, const rb_alarm *a, sparta_text *out) {
    sparta_text name = {0}, text = {0};
    rb_alarm_name(&name, c->stack, a->suffix);
    rb_alarm_description(a, &text);
    const char *function = function_dimension(c, a);
    sparta_text_puts(out, "{\"AlarmName\":");
    sparta_text_json_string(out, sparta_text_str(&name));
    sparta_text_puts(out, ",\"AlarmDescription\":");
    sparta_text_json_string(out, sparta_text_str(&text));
    sparta_text_puts(out, ",\"ActionsEnabled\":true");
    if (rb_settings_notify(c->settings)) {
        sparta_text_puts(out, ",\"AlarmActions\":");
        actions(c, out);
        if (c->settings->ok_actions) {
            sparta_text_puts(out, ",\"OKActions\":");
            actions(c, out);
        }
    }
    sparta_text_printf(out,
                       ",\"Namespace\":\"AWS/Lambda\",\"MetricName\":\"%s\",\"Dimensions\":[{\"Name\":\"FunctionName\","
                       "\"Value\":",
                       a->metric);
    sparta_text_json_string(out, function);
    sparta_text_printf(out, "}],\"Statistic\":\"Sum\",\"Period\":%d,\"EvaluationPeriods\":%d", a->limits.period,
                       a->limits.evaluation_periods);
    if (a->limits.datapoints_to_alarm) sparta_text_printf(out, ",\"DatapointsToAlarm\":%d", a->limits.datapoints_to_alarm);
    sparta_text_printf(out,
                       ",\"Threshold\":%.17g,\"ComparisonOperator\":\"GreaterThanThreshold\",\"TreatMissingData\":"
                       "\"notBreaching\"}",
                       a->limits.threshold);
    sparta_text_free(&name);
    sparta_text_free(&text);
}

static void composite_alarm(context *c, const rb_plan *plan, const rb_alarm *a, sparta_text *out) {
    sparta_text name = {0}, text = {0}, rule = {0};
    rb_alarm_name(&name, c->stack, a->suffix);
    rb_alarm_description(a, &text);
    rb_alarm_rule(plan, a, c->stack, &rule);
    sparta_text_puts(out, "{\"AlarmName\":");
    sparta_text_json_string(out, sparta_text_str(&name));
    sparta_text_puts(out, ",\"AlarmDescription\":");
    sparta_text_json_string(out, sparta_text_str(&text));
    sparta_text_puts(out, ",\"ActionsEnabled\":true,\"AlarmRule\":");
    sparta_text_json_string(out, sparta_text_str(&rule));
    sparta_text_puts(out, "}");
    sparta_text_free(&name);
    sparta_text_free(&text);
    sparta_text_free(&rule);
}

static void alarm(context *c, const rb_plan *plan, const rb_alarm *a, sparta_text *out) {
    if (a->composite) composite_alarm(c, plan, a, out);
    else metric_alarm(c, a, out);
}

int rb_command_alarms(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    rb_state *st = state;
    if (!SPARTA_HOST_HAS(rb_api, synthesize) || !rb_api->synthesize)
        return rb_api->error(p, SPARTA_ESTATE,
                             "this sparta host cannot build the template for a plugin command (ABI 1.1 synthesize): "
                             "upgrade sparta");
    int rc = rb_api->synthesize(p);
    if (rc != 0) return rc;
    const char *stack = rb_api->flag_string(inv, "stackName");
    if (!stack || !*stack) stack = rb_api->service_get(p, "stackName");
    if (!stack || !*stack) return rb_api->error(p, SPARTA_EUSAGE, "no stack name: pass --stackName or set service.name");
    rb_settings s;
    rc = rb_settings_read(p, &s);
    if (rc != 0) return rc;
    rb_stack_info info;
    rb_stack_info_read(p, stack, rb_region(p, inv), &info);
    context c = {p, stack, &info, &s, 0, NULL, NULL};
    const rb_plan *plan = &st->plan;
    const char *only = rb_api->flag_string(inv, "name");
    sparta_text out = {0};
    if (only && *only) {
        for (size_t i = 0; i < plan->count && !out.length; i++) {
            sparta_text name = {0};
            rb_alarm_name(&name, stack, plan->alarms[i].suffix);
            if (strcmp(sparta_text_str(&name), only) == 0) alarm(&c, plan, &plan->alarms[i], &out);
            sparta_text_free(&name);
        }
        if (!out.length) {
            free(c.physical);
            rb_settings_free(&s);
            return rb_api->error(p, SPARTA_ENOTFOUND, "stack %s has no alarm named %s: run `sparta alarms` to list them",
                                 stack, only);
        }
        sparta_text_puts(&out, "\n");
    } else {
        for (int composite = 0; composite < 2; composite++) {
            sparta_text_puts(&out, composite ? ",\n  \"CompositeAlarms\": [" : "{\n  \"MetricAlarms\": [");
            int n = 0;
            for (size_t i = 0; i < plan->count; i++) {
                if (plan->alarms[i].composite != composite) continue;
                sparta_text_puts(&out, n++ ? ",\n    " : "\n    ");
                alarm(&c, plan, &plan->alarms[i], &out);
            }
            sparta_text_puts(&out, n ? "\n  ]" : "]");
        }
        sparta_text_puts(&out, "\n}\n");
    }
    rc = out.failed ? rb_api->error(p, SPARTA_ENOMEM, "out of memory") : 0;
    if (rc == 0) rb_api->print(p, "%s", sparta_text_str(&out));
    sparta_text_free(&out);
    free(c.physical);
    rb_settings_free(&s);
    return rc;
}
