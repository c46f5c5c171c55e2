/* The "dashboard" group of sparta.cfg: schema, defaults and range checks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "dashboard.h"

#define FIELD(path, type, description) {sizeof(sparta_schema_field), path, type, 0, description}

const sparta_schema_field dash_schema[] = {
    FIELD("name", SPARTA_VALUE_STRING, "DashboardName (default: <stack>-dashboard); [A-Za-z0-9_-], at most 255"),
    FIELD("period", SPARTA_VALUE_INT, "seconds per data point: 1, 5, 10, 30 or a multiple of 60 (default 300)"),
    FIELD("metrics", SPARTA_VALUE_ARRAY, "metric widgets per function, in order (default: all five)"),
    FIELD("metrics.[]", SPARTA_VALUE_STRING, "Invocations, Errors, Throttles, Duration or ConcurrentExecutions"),
    FIELD("durationStatistics", SPARTA_VALUE_ARRAY, "statistics of the Duration widget (default p50, p90, p99)"),
    FIELD("durationStatistics.[]", SPARTA_VALUE_STRING, "pNN, Average, Minimum, Maximum, Sum or SampleCount"),
};
const size_t dash_schema_count = sizeof dash_schema / sizeof *dash_schema;

static const char *const metric_names[DASH_METRIC_KINDS] = {"Invocations", "Errors", "Throttles", "Duration",
                                                            "ConcurrentExecutions"};
static const char *const default_stats[] = {"p50", "p90", "p99"};
static const char *const plain_stats[] = {"Average", "Minimum", "Maximum", "Sum", "SampleCount"};

const char *dash_metric_name(dash_metric_kind kind) {
    return kind < DASH_METRIC_KINDS ? metric_names[kind] : "?";
}

typedef struct problems {
    sparta_plugin *p;
    sparta_text text;
    size_t count;
} problems;

static void problem(problems *pr, const sparta_value *where, const char *key, const char *what) {
    const char *origin = dash_api->value_origin(pr->p, where);
    sparta_text_printf(&pr->text, "%s%s%s: %s\n", origin && *origin ? origin : "", origin && *origin ? ": " : "",
                       key, what);
    pr->count++;
}

static int name_valid(const char *name) {
    size_t n = strlen(name);
    if (n == 0 || n > DASH_NAME_MAX) return 0;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '-' ||
              *c == '_'))
            return 0;
    return 1;
}

/* pNN or pNN.N..., 0 < NN <= 100; or one of the plain statistics. */
static int stat_valid(const char *s) {
    for (size_t i = 0; i < sizeof plain_stats / sizeof *plain_stats; i++)
        if (strcmp(s, plain_stats[i]) == 0) return 1;
    if (s[0] != 'p' || !s[1]) return 0;
    char *end = NULL;
    double v = strtod(s + 1, &end);
    if (*end || v <= 0 || v > 100) return 0;
    for (const char *c = s + 1; *c; c++)
        if (!((*c >= '0' && *c <= '9') || *c == '.')) return 0;
    return 1;
}

static void read_metrics(problems *pr, const sparta_value *list, dash_settings *out) {
    if (!list) {
        for (int k = 0; k < DASH_METRIC_KINDS; k++) out->metrics[k] = (dash_metric_kind)k;
        out->metric_count = DASH_METRIC_KINDS;
        return;
    }
    size_t n = dash_api->value_count(list);
    if (n == 0) problem(pr, list, "dashboard.metrics", "the list is empty: name at least one metric, or remove the key for all five");
    for (size_t i = 0; i < n; i++) {
        const sparta_value *item = dash_api->value_at(list, i);
        const char *name = dash_api->value_string(item);
        char key[64], what[400];
        snprintf(key, sizeof key, "dashboard.metrics.[%zu]", i);
        int kind = -1;
        for (int k = 0; k < DASH_METRIC_KINDS && name; k++)
            if (strcasecmp(name, metric_names[k]) == 0) kind = k;
        if (kind < 0) {
            snprintf(what, sizeof what,
                     "unknown metric '%s': use Invocations, Errors, Throttles, Duration or ConcurrentExecutions",
                     name ? name : "");
            problem(pr, item, key, what);
            continue;
        }
        int seen = 0;
        for (size_t j = 0; j < out->metric_count; j++) seen |= out->metrics[j] == (dash_metric_kind)kind;
        if (seen) {
            snprintf(what, sizeof what, "'%s' is listed twice: list each metric once", metric_names[kind]);
            problem(pr, item, key, what);
            continue;
        }
        out->metrics[out->metric_count++] = (dash_metric_kind)kind;
    }
}

static void read_stats(problems *pr, const sparta_value *list, dash_settings *out) {
    if (!list) {
        for (size_t i = 0; i < sizeof default_stats / sizeof *default_stats; i++)
            out->duration_stats[out->duration_stat_count++] = default_stats[i];
        return;
    }
    size_t n = dash_api->value_count(list);
    if (n == 0 || n > DASH_MAX_STATS) {
        char what[200];
        snprintf(what, sizeof what, "has %zu statistics: list 1 to %d (e.g. [ \"p50\", \"p99\" ])", n, DASH_MAX_STATS);
        problem(pr, list, "dashboard.durationStatistics", what);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const sparta_value *item = dash_api->value_at(list, i);
        const char *stat = dash_api->value_string(item);
        if (!stat || !stat_valid(stat)) {
            char key[64], what[300];
            snprintf(key, sizeof key, "dashboard.durationStatistics.[%zu]", i);
            snprintf(what, sizeof what,
                     "'%s' is not a CloudWatch statistic: use a percentile such as p50 or p99.9, or Average, "
                     "Minimum, Maximum, Sum, SampleCount",
                     stat ? stat : "");
            problem(pr, item, key, what);
            continue;
        }
        out->duration_stats[out->duration_stat_count++] = stat;
    }
}

int dash_settings_read(sparta_plugin *p, dash_settings *out) {
    memset(out, 0, sizeof *out);
    out->period = 300;
    problems pr = {p, {0}, 0};
    const sparta_value *section = dash_api->config_section(p);

    const sparta_value *name = dash_api->value_get(section, "name");
    if (name) {
        out->name = dash_api->value_string(name);
        if (!out->name || !name_valid(out->name)) {
            char what[400];
            snprintf(what, sizeof what,
                     "'%s' is not a CloudWatch dashboard name: use 1 to %d of A-Z, a-z, 0-9, '-' and '_'",
                     out->name ? out->name : "", DASH_NAME_MAX);
            problem(&pr, name, "dashboard.name", what);
        }
    }
    const sparta_value *period = dash_api->value_get(section, "period");
    if (period) {
        int64_t v = dash_api->value_int(period);
        if (!(v == 1 || v == 5 || v == 10 || v == 30 || (v > 0 && v % 60 == 0)) || v > 86400 * 366) {
            char what[200];
            snprintf(what, sizeof what, "%lld seconds is not a CloudWatch period: use 1, 5, 10, 30 or a multiple of 60",
                     (long long)v);
            problem(&pr, period, "dashboard.period", what);
        } else {
            out->period = (int)v;
        }
    }
    read_metrics(&pr, dash_api->value_get(section, "metrics"), out);
    read_stats(&pr, dash_api->value_get(section, "durationStatistics"), out);

    int rc = 0;
    if (pr.count) {
        if (pr.text.length && pr.text.data[pr.text.length - 1] == '\n') pr.text.data[--pr.text.length] = '\0';
        if (pr.count == 1) rc = dash_api->error(p, SPARTA_ECONFIG, "%s", sparta_text_str(&pr.text));
        else
            rc = dash_api->error(p, SPARTA_ECONFIG, "the dashboard group has %zu problems:\n%s", pr.count,
                                 sparta_text_str(&pr.text));
    } else if (pr.text.failed) {
        rc = dash_api->error(p, SPARTA_ENOMEM, "out of memory reading the dashboard settings");
    }
    sparta_text_free(&pr.text);
    return rc;
}
