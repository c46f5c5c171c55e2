/* DECORATE: two alarms per Lambda function (Errors, Throttles), named
 * "<stack>-alarm.<function>.<Metric>" so their ARNs are known before they
 * exist and a name prefix finds every alarm of one stack. CloudFormation
 * takes at most five rollback triggers: when the alarms (plus
 * extraAlarmArns) are more, composite alarms gather them. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rollback.h"

static const char *const kinds[] = {"Errors", "Throttles"};

static rb_alarm *plan_push(rb_plan *plan) {
    if (plan->count == plan->capacity) {
        size_t cap = plan->capacity ? plan->capacity * 2 : 16;
        rb_alarm *n = realloc(plan->alarms, cap * sizeof *n);
        if (!n) return NULL;
        plan->alarms = n;
        plan->capacity = cap;
    }
    rb_alarm *a = &plan->alarms[plan->count++];
    memset(a, 0, sizeof *a);
    return a;
}

void rb_alarm_name(sparta_text *out, const char *stack, const char *suffix) {
    sparta_text_printf(out, "%s" RB_NAME_INFIX "%s", stack, suffix);
}

void rb_plan_free(rb_plan *plan) {
    for (size_t i = 0; i < plan->count; i++) {
        rb_alarm *a = &plan->alarms[i];
        free(a->logical_id);
        free(a->suffix);
        free(a->function_id);
        free(a->function_name);
        free(a->display);
    }
    free(plan->alarms);
    memset(plan, 0, sizeof *plan);
}

void rb_plan_triggers(const rb_plan *plan, size_t *first, size_t *count) {
    *first = plan->use_composite ? plan->count - 1 : 0;
    *count = plan->use_composite ? 1 : plan->metric_count;
}

void rb_alarm_description(const rb_alarm *a, sparta_text *out) {
    if (a->composite) {
        sparta_text_printf(out, "sparta rollback trigger: in ALARM while any of %zu %s alarms of this stack is in ALARM",
                           a->child_count, a->over_composites ? "composite" : "function");
        return;
    }
    int points = a->limits.datapoints_to_alarm ? a->limits.datapoints_to_alarm : a->limits.evaluation_periods;
    sparta_text_printf(out, "sparta rollback trigger: %s of function %s above %g (Sum) in %d of %d period%s of %d s",
                       a->metric, a->display, a->limits.threshold, points, a->limits.evaluation_periods,
                       a->limits.evaluation_periods == 1 ? "" : "s", a->limits.period);
}

void rb_alarm_rule(const rb_plan *plan, const rb_alarm *a, const char *stack, sparta_text *out) {
    for (size_t i = 0; i < a->child_count; i++) {
        const rb_alarm *child = &plan->alarms[a->first_child + i];
        if (i) sparta_text_puts(out, " OR ");
        if (stack) {
            sparta_text_puts(out, "ALARM(\"");
            rb_alarm_name(out, stack, child->suffix);
            sparta_text_puts(out, "\")");
        }
        else sparta_text_printf(out, "ALARM(\"${%s}\")", child->logical_id);
    }
}

static int plan_metric_alarms(sparta_plugin *p, sparta_graph *g, rb_plan *plan, const rb_settings *s) {
    const rb_alarm_settings *limits[] = {&s->errors, &s->throttles};
    const char *stack = rb_api->graph_stack_name(g);
    size_t total = rb_api->resource_count(g);
    for (size_t i = 0; i < total; i++) {
        sparta_resource *r = rb_api->resource_at(g, i);
        const char *type = rb_api->resource_type(r);
        if (!type || strcmp(type, "AWS::Lambda::Function") != 0) continue;
        const char *id = rb_api->resource_id(r);
        const sparta_value *fn = rb_api->value_get(rb_api->resource_properties(r), "FunctionName");
        const char *literal = rb_api->value_string(fn);
        if (literal && !*literal) literal = NULL;
        /* {"Fn::Sub": "${AWS::StackName}-x"} names x after whichever stack is deployed;
         * here, this stack's name stands in for it. */
        static const char stack_ref[] = "${AWS::StackName}-";
        const char *scoped = rb_api->value_string(rb_api->value_get(fn, "Fn::Sub"));
        char this_stack_name[512];
        int follows = !literal && scoped && strncmp(scoped, stack_ref, sizeof stack_ref - 1) == 0 &&
                      scoped[sizeof stack_ref - 1] && !strchr(scoped + sizeof stack_ref - 1, '$');
        if (follows) {
            snprintf(this_stack_name, sizeof this_stack_name, "%s-%s", stack, scoped + sizeof stack_ref - 1);
            literal = this_stack_name;
        }
        for (size_t k = 0; k < 2; k++) {
            if (!limits[k]->enabled) continue;
            rb_alarm *a = plan_push(plan);
            if (!a) return rb_api->error(p, SPARTA_ENOMEM, "out of memory planning alarms");
            a->metric = kinds[k];
            a->limits = *limits[k];
            a->function_id = strdup(id);
            a->function_name = literal ? strdup(literal) : NULL;
            a->name_follows_stack = follows;
            a->display = rb_function_display(literal, id, stack);
            char suffix[64];
            snprintf(suffix, sizeof suffix, "%sAlarm", kinds[k]);
            a->logical_id = rb_logical_id(id, suffix);
            if (a->display && asprintf(&a->suffix, "%s.%s", a->display, kinds[k]) < 0) a->suffix = NULL;
            if (!a->function_id || (literal && !a->function_name) || !a->display || !a->logical_id || !a->suffix)
                return rb_api->error(p, SPARTA_ENOMEM, "out of memory planning alarms");
            for (size_t j = 0; j + 1 < plan->count; j++)
                if (strcmp(plan->alarms[j].suffix, a->suffix) == 0)
                    return rb_api->error(p, SPARTA_EGRAPH,
                                         "functions %s and %s would both get the alarm <stack>-alarm.%s: give one of "
                                         "them another FunctionName",
                                         plan->alarms[j].function_id, id, a->suffix);
        }
    }
    plan->metric_count = plan->count;
    return 0;
}

static rb_alarm *push_composite(rb_plan *plan, size_t first, size_t count, size_t number) {
    rb_alarm *a = plan_push(plan);
    if (!a) return NULL;
    a->composite = 1;
    a->first_child = first;
    a->child_count = count;
    a->over_composites = first >= plan->metric_count;
    char id[64], suffix[64];
    snprintf(id, sizeof id, number ? "RollbackCompositeAlarm%zu" : "RollbackCompositeAlarm", number);
    snprintf(suffix, sizeof suffix, number ? "rollback-%zu" : "rollback", number);
    a->logical_id = strdup(id);
    a->suffix = strdup(suffix);
    return a->logical_id && a->suffix ? a : NULL;
}

/* Few alarms: each is a trigger. More than the triggers left over from
 * extraAlarmArns: one composite alarm is the trigger. A composite takes at
 * most 100 alarms and a rule of 10240 characters (counted with the longest
 * stack name), so past that, composites of parts sit under a root one. */
static int plan_triggers(sparta_plugin *p, rb_plan *plan, const rb_settings *s) {
    size_t budget = RB_MAX_TRIGGERS - s->extra_arns.count, m = plan->metric_count;
    if (m == 0 || m <= budget) return 0;
    if (budget == 0)
        return rb_api->error(p, SPARTA_ECONFIG,
                             "rollback.extraAlarmArns takes all %d rollback triggers CloudFormation allows; the "
                             "function alarms need one more: list at most %d extra ARNs",
                             RB_MAX_TRIGGERS, RB_MAX_TRIGGERS - 1);
    plan->use_composite = 1;
    size_t starts[RB_COMPOSITE_CHILDREN_MAX + 1], parts = 0, i = 0;
    while (i < m) {
        if (parts == RB_COMPOSITE_CHILDREN_MAX)
            return rb_api->error(p, SPARTA_EGRAPH, "%zu function alarms are too many to gather in composite alarms", m);
        starts[parts++] = i;
        size_t length = 0, first = i;
        while (i < m && i - first < RB_COMPOSITE_CHILDREN_MAX) {
            size_t term = (i > first ? 4 : 0) + 9 + RB_STACK_NAME_MAX + strlen(RB_NAME_INFIX) +
                          strlen(plan->alarms[i].suffix);
            if (length + term > RB_ALARM_RULE_MAX) break;
            length += term;
            i++;
        }
    }
    starts[parts] = m;
    if (parts == 1) return push_composite(plan, 0, m, 0) ? 0 : rb_api->error(p, SPARTA_ENOMEM, "out of memory");
    for (size_t k = 0; k < parts; k++)
        if (!push_composite(plan, starts[k], starts[k + 1] - starts[k], k + 1))
            return rb_api->error(p, SPARTA_ENOMEM, "out of memory");
    return push_composite(plan, m, parts, 0) ? 0 : rb_api->error(p, SPARTA_ENOMEM, "out of memory");
}

static sparta_value *number(sparta_graph *g, double d) {
    if (floor(d) == d && fabs(d) < 1e15) return rb_api->new_int(g, (int64_t)d);
    return rb_api->new_double(g, d);
}

static sparta_value *actions(sparta_graph *g, const rb_settings *s) {
    sparta_value *list = rb_api->new_array(g);
    if (s->create_topic) rb_api->array_push(list, rb_api->ref(g, RB_TOPIC_ID));
    for (size_t i = 0; i < s->topic_arns.count; i++) rb_api->array_push(list, rb_api->new_string(g, s->topic_arns.items[i]));
    return list;
}

static int add_topic(sparta_plugin *p, sparta_graph *g, const rb_settings *s) {
    sparta_value *props = rb_api->new_object(g);
    rb_api->object_set(props, "TopicName", rb_api->sub(g, "${AWS::StackName}-alarms"));
    if (s->emails.count) {
        sparta_value *subs = rb_api->new_array(g);
        for (size_t i = 0; i < s->emails.count; i++) {
            sparta_value *sub = rb_api->new_object(g);
            rb_api->object_set(sub, "Endpoint", rb_api->new_string(g, s->emails.items[i]));
            rb_api->object_set(sub, "Protocol", rb_api->new_string(g, "email"));
            rb_api->array_push(subs, sub);
        }
        rb_api->object_set(props, "Subscription", subs);
    }
    if (!rb_api->resource_add(p, g, RB_TOPIC_ID, "AWS::SNS::Topic", props)) return SPARTA_EGRAPH;
    sparta_value *output = rb_api->new_object(g);
    rb_api->object_set(output, "Description", rb_api->new_string(g, "SNS topic notified when a function alarm changes state"));
    rb_api->object_set(output, "Value", rb_api->ref(g, RB_TOPIC_ID));
    return rb_api->output_add(p, g, "RollbackAlarmTopicArn", output);
}

static int add_alarm(sparta_plugin *p, sparta_graph *g, const rb_plan *plan, const rb_alarm *a, const rb_settings *s) {
    sparta_value *props = rb_api->new_object(g);
    sparta_text name = {0}, text = {0};
    rb_alarm_name(&name, "${AWS::StackName}", a->suffix);
    rb_alarm_description(a, &text);
    rb_api->object_set(props, "AlarmName", rb_api->sub(g, sparta_text_str(&name)));
    rb_api->object_set(props, "AlarmDescription", rb_api->new_string(g, sparta_text_str(&text)));
    if (a->composite) {
        sparta_text rule = {0};
        rb_alarm_rule(plan, a, NULL, &rule);
        rb_api->object_set(props, "AlarmRule", rb_api->sub(g, sparta_text_str(&rule)));
        sparta_text_free(&rule);
    } else {
        rb_api->object_set(props, "Namespace", rb_api->new_string(g, "AWS/Lambda"));
        rb_api->object_set(props, "MetricName", rb_api->new_string(g, a->metric));
        sparta_value *dimension = rb_api->new_object(g);
        rb_api->object_set(dimension, "Name", rb_api->new_string(g, "FunctionName"));
        rb_api->object_set(dimension, "Value", a->function_name && !a->name_follows_stack
                                                    ? rb_api->new_string(g, a->function_name)
                                                    : rb_api->ref(g, a->function_id));
        sparta_value *dimensions = rb_api->new_array(g);
        rb_api->array_push(dimensions, dimension);
        rb_api->object_set(props, "Dimensions", dimensions);
        rb_api->object_set(props, "Statistic", rb_api->new_string(g, "Sum"));
        rb_api->object_set(props, "Period", rb_api->new_int(g, a->limits.period));
        rb_api->object_set(props, "EvaluationPeriods", rb_api->new_int(g, a->limits.evaluation_periods));
        if (a->limits.datapoints_to_alarm)
            rb_api->object_set(props, "DatapointsToAlarm", rb_api->new_int(g, a->limits.datapoints_to_alarm));
        rb_api->object_set(props, "Threshold", number(g, a->limits.threshold));
        rb_api->object_set(props, "ComparisonOperator", rb_api->new_string(g, "GreaterThanThreshold"));
        rb_api->object_set(props, "TreatMissingData", rb_api->new_string(g, "notBreaching"));
        if (rb_settings_notify(s)) {
            rb_api->object_set(props, "AlarmActions", actions(g, s));
            if (s->ok_actions) rb_api->object_set(props, "OKActions", actions(g, s));
        }
    }
    int failed = name.failed || text.failed;
    sparta_text_free(&name);
    sparta_text_free(&text);
    if (failed) return rb_api->error(p, SPARTA_ENOMEM, "out of memory");
    const char *type = a->composite ? "AWS::CloudWatch::CompositeAlarm" : "AWS::CloudWatch::Alarm";
    return rb_api->resource_add(p, g, a->logical_id, type, props) ? 0 : SPARTA_EGRAPH;
}

int rb_configure(sparta_plugin *p, sparta_graph *g, void *state) { return rb_settings_check(p); }

int rb_decorate(sparta_plugin *p, sparta_graph *g, void *state) {
    rb_state *st = state;
    rb_plan_free(&st->plan);
    rb_settings s;
    int rc = rb_settings_read(p, &s);
    if (rc != 0) return rc;
    rc = plan_metric_alarms(p, g, &st->plan, &s);
    if (rc == 0) rc = plan_triggers(p, &st->plan, &s);
    if (rc == 0 && s.create_topic && st->plan.count) rc = add_topic(p, g, &s);
    for (size_t i = 0; rc == 0 && i < st->plan.count; i++) rc = add_alarm(p, g, &st->plan, &st->plan.alarms[i], &s);
    if (rc == 0) {
        st->plan.ready = 1;
        if (st->plan.metric_count == 0)
            rb_api->log(p, SPARTA_LOG_WARN, "the stack has no Lambda functions: no alarms to roll back on");
        else
            rb_api->log(p, SPARTA_LOG_DEBUG, "rollback: %zu function alarms%s", st->plan.metric_count,
                        st->plan.use_composite ? ", gathered in composite alarms" : "");
    }
    rb_settings_free(&s);
    return rc;
}
