/* CONVERGE: hands CloudFormation the alarms as rollback triggers, with the
 * monitoring window. CloudFormation fails the whole deploy when a trigger
 * does not exist, so only alarms CloudWatch already has are handed over:
 * none on the first create, and not those of functions this deploy adds
 * (they guard the next one). An extraAlarmArns alarm that does not exist is
 * an error here rather than a failed deploy later. */
#include <stdlib.h>
#include <string.h>

#include "rollback.h"

static int has_triggers_api(void) {
    return SPARTA_HOST_HAS(rb_api, converge_set_monitoring_minutes) && rb_api->converge_add_rollback_trigger &&
           rb_api->converge_set_monitoring_minutes;
}

/* The function alarms (or their composite) that exist already. */
static int add_function_alarms(sparta_plugin *p, const rb_plan *plan, const char *stack, const rb_stack_info *info,
                               size_t *added) {
    size_t first, count;
    rb_plan_triggers(plan, &first, &count);
    if (count == 0) return 0;
    if (!info->deployed) {
        rb_api->log(p, SPARTA_LOG_INFO,
                    "first deploy of stack %s: no rollback triggers on its alarms yet, because this deploy "
                    "creates them (%zu); every later deploy rolls back when one of them goes to ALARM",
                    stack, plan->metric_count);
        return 0;
    }
    if (plan->use_composite && !SPARTA_HOST_HAS(rb_api, converge_add_rollback_trigger_typed)) {
        /* An older host types every trigger AWS::CloudWatch::Alarm; a composite
         * needs AWS::CloudWatch::CompositeAlarm or CloudFormation fails. */
        rb_api->log(p, SPARTA_LOG_WARN,
                    "stack %s: its %zu function alarms are gathered in the composite alarm %s" RB_NAME_INFIX "%s, "
                    "which this sparta host cannot hand CloudFormation as a rollback trigger (it types every "
                    "trigger AWS::CloudWatch::Alarm): deploying with rollback.extraAlarmArns only",
                    stack, plan->metric_count, stack, plan->alarms[first].suffix);
        return 0;
    }
    if (!info->account[0] || !info->region[0]) {
        rb_api->log(p, SPARTA_LOG_WARN,
                    "stack %s: account or region unknown, so are the alarms' ARNs: deploying without the function "
                    "alarms as rollback triggers",
                    stack);
        return 0;
    }
    sparta_text prefix = {0};
    sparta_text_printf(&prefix, "%s" RB_NAME_INFIX, stack);
    rb_alarm_list existing;
    int rc = rb_describe_alarms(p, sparta_text_str(&prefix), NULL, &existing);
    sparta_text_free(&prefix);
    if (rc != 0) {
        rb_api->log(p, SPARTA_LOG_WARN,
                    "could not list the alarms of stack %s, so none of them is a rollback trigger this deploy; check "
                    "that this role may call cloudwatch:DescribeAlarms",
                    stack);
        return 0;
    }
    for (size_t i = first; rc == 0 && i < first + count; i++) {
        sparta_text name = {0}, arn = {0};
        rb_alarm_name(&name, stack, plan->alarms[i].suffix);
        if (!rb_alarm_list_find(&existing, sparta_text_str(&name))) {
            rb_api->log(p, SPARTA_LOG_INFO,
                        "alarm %s does not exist yet: this deploy creates it, the next one is guarded by it",
                        sparta_text_str(&name));
        } else {
            sparta_text_printf(&arn, "arn:%s:cloudwatch:%s:%s:alarm:%s", info->partition, info->region, info->account,
                               sparta_text_str(&name));
            rc = plan->alarms[i].composite
                     ? rb_api->converge_add_rollback_trigger_typed(p, sparta_text_str(&arn), "AWS::CloudWatch::CompositeAlarm")
                     : rb_api->converge_add_rollback_trigger(p, sparta_text_str(&arn));
            if (rc == 0) {
                (*added)++;
                rb_api->log(p, SPARTA_LOG_DEBUG, "rollback trigger %s", sparta_text_str(&arn));
            }
        }
        sparta_text_free(&name);
        sparta_text_free(&arn);
    }
    rb_alarm_list_free(&existing);
    return rc;
}

/* extraAlarmArns: checked against CloudWatch (same account), then added. */
static int add_extra_alarms(sparta_plugin *p, const rb_settings *s, const rb_stack_info *info, size_t *added) {
    if (s->extra_arns.count == 0) return 0;
    rb_list names;
    if (rb_settings_extra_names(s, &names) != 0) return rb_api->error(p, SPARTA_ENOMEM, "out of memory");
    rb_alarm_list found;
    int rc = 0, listed = rb_describe_alarms(p, NULL, &names, &found) == 0;
    if (!listed)
        rb_api->log(p, SPARTA_LOG_WARN,
                    "could not check that the rollback.extraAlarmArns alarms exist (check that this role may call "
                    "cloudwatch:DescribeAlarms): adding them anyway, and CloudFormation fails the deploy if one is "
                    "missing");
    for (size_t i = 0; rc == 0 && i < s->extra_arns.count; i++) {
        rb_arn arn;
        rb_arn_check_alarm(s->extra_arns.items[i], &arn);
        int same_account = !info->account[0] || strcmp(info->account, arn.account) == 0;
        if (listed && same_account && !rb_alarm_list_find(&found, rb_arn_alarm_name(&arn)))
            rc = rb_api->error(p, SPARTA_ENOTFOUND,
                               "rollback.extraAlarmArns: alarm %s does not exist in %s, and CloudFormation fails a "
                               "deploy whose rollback trigger is missing: create the alarm or remove its ARN",
                               rb_arn_alarm_name(&arn), arn.region);
        if (rc == 0) rc = rb_api->converge_add_rollback_trigger(p, s->extra_arns.items[i]);
        if (rc == 0) (*added)++;
    }
    if (listed) rb_alarm_list_free(&found);
    free(names.items);
    return rc;
}

int rb_converge(sparta_plugin *p, sparta_graph *g, void *state) {
    rb_state *st = state;
    const rb_plan *plan = &st->plan;
    if (!plan->ready) return 0;
    rb_settings s;
    int rc = rb_settings_read(p, &s);
    if (rc != 0) return rc;
    size_t first, count;
    rb_plan_triggers(plan, &first, &count);
    if (count == 0 && s.extra_arns.count == 0) {
        rb_settings_free(&s);
        return 0;
    }
    if (!has_triggers_api()) {
        rb_api->log(p, SPARTA_LOG_WARN, "this sparta host cannot set rollback triggers (ABI 1.1): deploying without them");
        rb_settings_free(&s);
        return 0;
    }
    const char *stack = rb_api->graph_stack_name(g);
    rb_stack_info info;
    rb_stack_info_read(p, stack, rb_region(p, rb_api->invocation(p)), &info);
    size_t added = 0;
    rc = add_function_alarms(p, plan, stack, &info, &added);
    if (rc == 0) rc = add_extra_alarms(p, &s, &info, &added);
    if (rc == 0 && added) {
        rc = rb_api->converge_set_monitoring_minutes(p, s.monitoring_minutes);
        if (rc == 0)
            rb_api->log(p, SPARTA_LOG_INFO, "rollback triggers: %zu alarm%s, monitored for %d minute%s after the deploy",
                        added, added == 1 ? "" : "s", s.monitoring_minutes, s.monitoring_minutes == 1 ? "" : "s");
    }
    rb_settings_free(&s);
    return rc;
}
