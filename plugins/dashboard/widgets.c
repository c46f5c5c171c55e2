/* Widget objects of the dashboard body (CloudWatch's "Dashboard Body
 * Structure and Syntax"): text widgets and one metric widget per metric. */
#include "dashboard.h"

static void position(sparta_text *body, const char *type, const dash_rect *at) {
    sparta_text_printf(body, "{\"type\":\"%s\",\"x\":%d,\"y\":%d,\"width\":%d,\"height\":%d,\"properties\":", type,
                       at->x, at->y, at->width, at->height);
}

void dash_widget_text(sparta_text *body, const dash_rect *at, const char *markdown) {
    position(body, "text", at);
    sparta_text_puts(body, "{\"markdown\":");
    sparta_text_json_string(body, markdown);
    sparta_text_puts(body, "}}");
}

/* One line of the widget's "metrics" array. */
static void metric_line(sparta_text *body, const char *metric, const dash_function *fn, const char *stat,
                        const char *label) {
    sparta_text_printf(body, "[\"AWS/Lambda\",\"%s\",\"FunctionName\",", metric);
    sparta_text_json_string(body, fn->name_sub);
    sparta_text_printf(body, ",{\"stat\":\"%s\",\"label\":\"%s\"}]", stat, label);
}

void dash_widget_metric(sparta_text *body, const dash_rect *at, const dash_settings *s, dash_metric_kind kind,
                        const dash_function *fn) {
    const char *metric = dash_metric_name(kind);
    const char *stat = kind == DASH_DURATION      ? s->duration_stats[0]
                       : kind == DASH_CONCURRENCY ? "Maximum"
                                                  : "Sum";
    sparta_text title = {0};
    dash_text_sub_literal(&title, fn->display);
    sparta_text_printf(&title, " %s%s", metric, kind == DASH_DURATION ? " (ms)" : "");

    position(body, "metric", at);
    sparta_text_puts(body, "{\"title\":");
    sparta_text_json_string(body, sparta_text_str(&title));
    sparta_text_printf(body,
                       ",\"view\":\"timeSeries\",\"stacked\":false,\"region\":\"${AWS::Region}\",\"period\":%d,"
                       "\"stat\":\"%s\",\"yAxis\":{\"left\":{\"min\":0}},\"metrics\":[",
                       s->period, stat);
    if (kind == DASH_DURATION) {
        for (size_t i = 0; i < s->duration_stat_count; i++) {
            if (i) sparta_text_puts(body, ",");
            metric_line(body, metric, fn, s->duration_stats[i], s->duration_stats[i]);
        }
    } else {
        metric_line(body, metric, fn, stat, metric);
    }
    sparta_text_puts(body, "]}}");
    if (title.failed) body->failed = 1;
    sparta_text_free(&title);
}
