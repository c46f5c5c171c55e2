/* Widget objects of the dashboard body (CloudWatch's "Dashboard Body
 * Structure and Syntax"): text widgets and one metric widget per metric. */
#include <stdlib.h>

#include "dashboard.h"

static void position(dash_text *body, const char *type, const dash_rect *at) {
    dash_text_printf(body, "{\"type\":\"%s\",\"x\":%d,\"y\":%d,\"width\":%d,\"height\":%d,\"properties\":", type,
                     at->x, at->y, at->width, at->height);
}

void dash_widget_text(dash_text *body, const dash_rect *at, const char *markdown) {
    position(body, "text", at);
    dash_text_puts(body, "{\"markdown\":");
    dash_text_json(body, markdown);
    dash_text_puts(body, "}}");
}

/* One line of the widget's "metrics" array. */
static void metric_line(dash_text *body, const char *metric, const dash_function *fn, const char *stat,
                        const char *label) {
    dash_text_printf(body, "[\"AWS/Lambda\",\"%s\",\"FunctionName\",", metric);
    dash_text_json(body, fn->name_sub);
    dash_text_printf(body, ",{\"stat\":\"%s\",\"label\":\"%s\"}]", stat, label);
}

void dash_widget_metric(dash_text *body, const dash_rect *at, const dash_settings *s, dash_metric_kind kind,
                        const dash_function *fn) {
    const char *metric = dash_metric_name(kind);
    const char *stat = kind == DASH_DURATION      ? s->duration_stats[0]
                       : kind == DASH_CONCURRENCY ? "Maximum"
                                                  : "Sum";
    dash_text title = {0};
    dash_text_sub_literal(&title, fn->display);
    dash_text_printf(&title, " %s%s", metric, kind == DASH_DURATION ? " (ms)" : "");

    position(body, "metric", at);
    dash_text_puts(body, "{\"title\":");
    dash_text_json(body, title.data ? title.data : "");
    dash_text_printf(body,
                     ",\"view\":\"timeSeries\",\"stacked\":false,\"region\":\"${AWS::Region}\",\"period\":%d,"
                     "\"stat\":\"%s\",\"yAxis\":{\"left\":{\"min\":0}},\"metrics\":[",
                     s->period, stat);
    if (kind == DASH_DURATION) {
        for (size_t i = 0; i < s->duration_stat_count; i++) {
            if (i) dash_text_puts(body, ",");
            metric_line(body, metric, fn, s->duration_stats[i], s->duration_stats[i]);
        }
    } else {
        metric_line(body, metric, fn, stat, metric);
    }
    dash_text_puts(body, "]}}");
    if (title.failed) body->failed = 1;
    dash_text_free(&title);
}
