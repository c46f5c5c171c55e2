/* The "rollback" group of sparta.cfg: schema, defaults and CloudWatch's and
 * CloudFormation's ranges, checked before anything is built. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rollback.h"

#define FIELD(path, type, description) {sizeof(sparta_schema_field), path, type, 0, description}
#define ALARM_FIELDS(group)                                                                                  \
    FIELD(group, SPARTA_VALUE_OBJECT, "the " group " alarm of every function"),                             \
    FIELD(group ".enabled", SPARTA_VALUE_BOOL, "create the alarm (default true)"),                          \
    FIELD(group ".threshold", SPARTA_VALUE_DOUBLE, "alarm when the Sum per period exceeds this (>= 0, default 0)"), \
    FIELD(group ".period", SPARTA_VALUE_INT, "seconds: 10, 20, 30 or a multiple of 60 (default 60)"),        \
    FIELD(group ".evaluationPeriods", SPARTA_VALUE_INT, "periods evaluated (>= 1, default 1)"),             \
    FIELD(group ".datapointsToAlarm", SPARTA_VALUE_INT, "breaching periods that alarm (1..evaluationPeriods)")

const sparta_schema_field rb_schema[] = {
    FIELD("monitoringMinutes", SPARTA_VALUE_INT, "minutes CloudFormation watches the alarms after a deploy (0..180, default 5)"),
    ALARM_FIELDS("errors"),
    ALARM_FIELDS("throttles"),
    FIELD("extraAlarmArns", SPARTA_VALUE_ARRAY, "more CloudWatch alarm ARNs to use as rollback triggers"),
    FIELD("extraAlarmArns.[]", SPARTA_VALUE_STRING, "arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME"),
    FIELD("notifications", SPARTA_VALUE_OBJECT, "who hears about alarms"),
    FIELD("notifications.createTopic", SPARTA_VALUE_BOOL, "an SNS topic in the stack (default: when emails are given)"),
    FIELD("notifications.emails", SPARTA_VALUE_ARRAY, "email subscriptions on the stack's topic"),
    FIELD("notifications.emails.[]", SPARTA_VALUE_STRING, "an email address"),
    FIELD("notifications.topicArns", SPARTA_VALUE_ARRAY, "existing SNS topics to notify"),
    FIELD("notifications.topicArns.[]", SPARTA_VALUE_STRING, "arn:aws:sns:REGION:ACCOUNT:NAME"),
    FIELD("notifications.okActions", SPARTA_VALUE_BOOL, "notify when an alarm recovers too (default true)"),
};
const size_t rb_schema_count = sizeof rb_schema / sizeof *rb_schema;

typedef struct problems {
    sparta_plugin *p;
    sparta_text text;
    size_t count;
    int warn; /* log the warnings too (once a run: at CONFIGURE) */
} problems;

static void problem(problems *pr, const sparta_value *where, const char *key, const char *fmt, ...)
    SPARTA_PRINTF(4, 5);
static void problem(problems *pr, const sparta_value *where, const char *key, const char *fmt, ...) {
    const char *origin = rb_api->value_origin(pr->p, where);
    if (origin && *origin) sparta_text_printf(&pr->text, "%s: ", origin);
    sparta_text_printf(&pr->text, "rollback.%s: ", key);
    va_list ap;
    va_start(ap, fmt);
    char *what = NULL;
    if (vasprintf(&what, fmt, ap) < 0) what = NULL;
    va_end(ap);
    sparta_text_puts(&pr->text, what ? what : "?");
    sparta_text_puts(&pr->text, "\n");
    free(what);
    pr->count++;
}

static int period_ok(int64_t v) { return v == 10 || v == 20 || v == 30 || (v > 0 && v % 60 == 0); }

static void read_alarm(problems *pr, const sparta_value *section, const char *group, rb_alarm_settings *out) {
    *out = (rb_alarm_settings){1, 0, 60, 1, 0};
    const sparta_value *g = rb_api->value_get(section, group);
    if (!g) return;
    char key[64];
    const sparta_value *v;
    if ((v = rb_api->value_get(g, "enabled"))) out->enabled = rb_api->value_bool(v);
    if ((v = rb_api->value_get(g, "threshold"))) {
        double t = rb_api->value_double(v);
        snprintf(key, sizeof key, "%s.threshold", group);
        if (!isfinite(t) || t < 0)
            problem(pr, v, key, "%g is out of range: the threshold is a count of %s per period, 0 or more", t,
                    strcmp(group, "errors") == 0 ? "errors" : "throttles");
        else out->threshold = t;
    }
    if ((v = rb_api->value_get(g, "period"))) {
        int64_t period = rb_api->value_int(v);
        snprintf(key, sizeof key, "%s.period", group);
        if (!period_ok(period) || period > 604800)
            problem(pr, v, key, "%lld seconds is not a CloudWatch alarm period: use 10, 20, 30 or a multiple of 60",
                    (long long)period);
        else {
            out->period = (int)period;
            if (period < 60 && pr->warn)
                rb_api->log(pr->p, SPARTA_LOG_WARN,
                            "%s%srollback.%s: Lambda publishes %s once a minute; a %lld-second alarm is a "
                            "high-resolution alarm (billed as such) that sees no data most periods",
                            rb_api->value_origin(pr->p, v), *rb_api->value_origin(pr->p, v) ? ": " : "", key,
                            group, (long long)period);
        }
    }
    if ((v = rb_api->value_get(g, "evaluationPeriods"))) {
        int64_t n = rb_api->value_int(v);
        snprintf(key, sizeof key, "%s.evaluationPeriods", group);
        if (n < 1 || n > 100000) problem(pr, v, key, "%lld is out of range: evaluate at least 1 period", (long long)n);
        else out->evaluation_periods = (int)n;
    }
    /* CloudWatch: period x evaluationPeriods at most one day for periods
     * under an hour, at most seven days otherwise. */
    int64_t total = (int64_t)out->period * out->evaluation_periods;
    int64_t max = out->period < 3600 ? 86400 : 604800;
    if (total > max) {
        snprintf(key, sizeof key, "%s.evaluationPeriods", group);
        problem(pr, v ? v : g, key,
                "%d periods of %d s cover %lld s; CloudWatch evaluates at most %lld s (%s) for %s periods: "
                "use fewer or shorter periods",
                out->evaluation_periods, out->period, (long long)total, (long long)max,
                max == 86400 ? "one day" : "seven days", out->period < 3600 ? "sub-hour" : "hourly or longer");
    }
    if ((v = rb_api->value_get(g, "datapointsToAlarm"))) {
        int64_t n = rb_api->value_int(v);
        snprintf(key, sizeof key, "%s.datapointsToAlarm", group);
        if (n < 1 || n > out->evaluation_periods)
            problem(pr, v, key, "%lld is out of range: use 1 to evaluationPeriods (%d)", (long long)n,
                    out->evaluation_periods);
        else out->datapoints_to_alarm = (int)n;
    }
}

static int read_list(const sparta_value *list, rb_list *out) {
    size_t n = rb_api->value_count(list);
    out->count = 0;
    out->items = n ? calloc(n, sizeof *out->items) : NULL;
    if (n && !out->items) return -1;
    for (size_t i = 0; i < n; i++) {
        const char *s = rb_api->value_string(rb_api->value_at(list, i));
        out->items[out->count++] = s ? s : "";
    }
    return 0;
}

/* Item i repeats an earlier one. */
static int repeated(const rb_list *l, size_t i) {
    for (size_t j = 0; j < i; j++)
        if (strcmp(l->items[j], l->items[i]) == 0) return 1;
    return 0;
}

static int email_ok(const char *s) {
    const char *at = strchr(s, '@');
    if (!at || at == s || strchr(at + 1, '@') || strchr(s, ' ')) return 0;
    const char *dot = strrchr(at + 1, '.');
    return dot && dot > at + 1 && dot[1];
}

static void check_arns(problems *pr, const sparta_value *section, const rb_settings *s) {
    const sparta_value *list = rb_api->value_get(section, "extraAlarmArns");
    const char *region = rb_region(pr->p, rb_api->invocation(pr->p));
    for (size_t i = 0; i < s->extra_arns.count; i++) {
        const sparta_value *item = rb_api->value_at(list, i);
        char key[64];
        snprintf(key, sizeof key, "extraAlarmArns.[%zu]", i);
        rb_arn arn;
        const char *why = rb_arn_check_alarm(s->extra_arns.items[i], &arn);
        if (why)
            problem(pr, item, key,
                    "'%s' is not a CloudWatch alarm ARN: %s; write arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME",
                    s->extra_arns.items[i], why);
        else if (repeated(&s->extra_arns, i))
            problem(pr, item, key, "'%s' is listed twice: list it once", s->extra_arns.items[i]);
        else if (region && *region && strcmp(arn.region, region) != 0)
            problem(pr, item, key,
                    "the alarm is in %s but the stack deploys to %s: CloudFormation watches alarms of the "
                    "stack's region only",
                    arn.region, region);
    }
    if (s->extra_arns.count > RB_MAX_TRIGGERS)
        problem(pr, list, "extraAlarmArns",
                "%zu ARNs; CloudFormation accepts at most %d rollback triggers: combine them in a composite "
                "alarm and list its ARN",
                s->extra_arns.count, RB_MAX_TRIGGERS);
    const sparta_value *notify = rb_api->value_get(section, "notifications");
    list = rb_api->value_get(notify, "topicArns");
    for (size_t i = 0; i < s->topic_arns.count; i++) {
        char key[64];
        snprintf(key, sizeof key, "notifications.topicArns.[%zu]", i);
        const char *why = rb_arn_check_topic(s->topic_arns.items[i], NULL);
        if (why)
            problem(pr, rb_api->value_at(list, i), key,
                    "'%s' is not an SNS topic ARN: %s; write arn:aws:sns:REGION:ACCOUNT:NAME",
                    s->topic_arns.items[i], why);
        else if (repeated(&s->topic_arns, i))
            problem(pr, rb_api->value_at(list, i), key, "'%s' is listed twice: list it once", s->topic_arns.items[i]);
    }
    list = rb_api->value_get(notify, "emails");
    for (size_t i = 0; i < s->emails.count; i++) {
        char key[64];
        snprintf(key, sizeof key, "notifications.emails.[%zu]", i);
        if (!email_ok(s->emails.items[i]))
            problem(pr, rb_api->value_at(list, i), key, "'%s' is not an email address", s->emails.items[i]);
        else if (repeated(&s->emails, i))
            problem(pr, rb_api->value_at(list, i), key, "'%s' is listed twice: list it once", s->emails.items[i]);
    }
}

static int read_settings(sparta_plugin *p, rb_settings *out, int warn) {
    memset(out, 0, sizeof *out);
    out->monitoring_minutes = RB_DEFAULT_MONITORING_MINUTES;
    out->ok_actions = 1;
    problems pr = {p, {0}, 0, warn};
    const sparta_value *section = rb_api->config_section(p);
    const sparta_value *v = rb_api->value_get(section, "monitoringMinutes");
    if (v) {
        int64_t m = rb_api->value_int(v);
        if (m < 0 || m > RB_MAX_MONITORING_MINUTES)
            problem(&pr, v, "monitoringMinutes",
                    "%lld minutes is out of range: CloudFormation monitors rollback triggers for 0 to %d minutes",
                    (long long)m, RB_MAX_MONITORING_MINUTES);
        else out->monitoring_minutes = (int)m;
    }
    read_alarm(&pr, section, "errors", &out->errors);
    read_alarm(&pr, section, "throttles", &out->throttles);
    const sparta_value *notify = rb_api->value_get(section, "notifications");
    int rc = read_list(rb_api->value_get(section, "extraAlarmArns"), &out->extra_arns);
    if (rc == 0) rc = read_list(rb_api->value_get(notify, "emails"), &out->emails);
    if (rc == 0) rc = read_list(rb_api->value_get(notify, "topicArns"), &out->topic_arns);
    if ((v = rb_api->value_get(notify, "okActions"))) out->ok_actions = rb_api->value_bool(v);
    out->create_topic = out->emails.count > 0;
    if ((v = rb_api->value_get(notify, "createTopic"))) {
        out->create_topic = rb_api->value_bool(v);
        if (!out->create_topic && out->emails.count)
            problem(&pr, v, "notifications.createTopic",
                    "false, but notifications.emails needs the stack's topic: set it to true or remove the emails");
    }
    check_arns(&pr, section, out);

    if (rc != 0 || pr.text.failed) rc = rb_api->error(p, SPARTA_ENOMEM, "out of memory reading the rollback settings");
    else if (pr.count) {
        if (pr.text.length && pr.text.data[pr.text.length - 1] == '\n') pr.text.data[--pr.text.length] = '\0';
        if (pr.count == 1) rc = rb_api->error(p, SPARTA_ECONFIG, "%s", sparta_text_str(&pr.text));
        else rc = rb_api->error(p, SPARTA_ECONFIG, "the rollback group has %zu problems:\n%s", pr.count, sparta_text_str(&pr.text));
    }
    sparta_text_free(&pr.text);
    if (rc != 0) rb_settings_free(out);
    return rc;
}

int rb_settings_read(sparta_plugin *p, rb_settings *out) { return read_settings(p, out, 0); }

int rb_settings_check(sparta_plugin *p) {
    rb_settings s;
    int rc = read_settings(p, &s, 1);
    if (rc == 0) rb_settings_free(&s);
    return rc;
}

void rb_settings_free(rb_settings *s) {
    free(s->extra_arns.items);
    free(s->emails.items);
    free(s->topic_arns.items);
    s->extra_arns = s->emails = s->topic_arns = (rb_list){NULL, 0};
}

int rb_settings_notify(const rb_settings *s) { return s->create_topic || s->topic_arns.count > 0; }

int rb_settings_extra_names(const rb_settings *s, rb_list *out) {
    out->count = 0;
    out->items = calloc(s->extra_arns.count + 1, sizeof *out->items);
    if (!out->items) return -1;
    for (size_t i = 0; i < s->extra_arns.count; i++) {
        const char *text = s->extra_arns.items[i];
        rb_arn arn;
        /* The name ends the ARN: the same bytes, in the settings' string. */
        if (!rb_arn_check_alarm(text, &arn))
            out->items[out->count++] = text + strlen(text) - strlen(rb_arn_alarm_name(&arn));
    }
    return 0;
}
