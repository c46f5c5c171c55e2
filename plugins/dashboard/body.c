/* DECORATE: builds the dashboard body from the graph's functions and adds the
 * AWS::CloudWatch::Dashboard and its URL output. The body is one Fn::Sub
 * string, so ${AWS::Region}, ${AWS::StackName} and unnamed functions'
 * ${LogicalId} resolve at deploy. */
#include <string.h>

#include "dashboard.h"

#define FUNCTION_LINKS_PER_LINE 6
#define LOG_LINKS_PER_LINE 4

void dash_console_url(sparta_text *t, const char *region, const char *name) {
    sparta_text_printf(t, "https://%s.console.aws.amazon.com/cloudwatch/home?region=%s#dashboards:name=%s", region,
                       region, name);
}

/* Markdown link text: escape what markdown would format. */
static void link_text(sparta_text *t, const char *s) {
    sparta_text escaped = {0};
    for (; *s; s++) {
        if (strchr("\\`*_[]()#<>!|", *s)) sparta_text_put(&escaped, "\\", 1);
        sparta_text_put(&escaped, s, 1);
    }
    dash_text_sub_literal(t, sparta_text_str(&escaped));
    if (escaped.failed) t->failed = 1;
    sparta_text_free(&escaped);
}

static size_t line_count(size_t items, size_t per_line) { return items ? (items + per_line - 1) / per_line : 1; }

static void summary_markdown(sparta_text *md, const dash_function *fns, size_t n) {
    sparta_text_printf(md,
                       "# ${AWS::StackName}\n\nRegion **${AWS::Region}** · **%zu** Lambda function%s · deployed "
                       "with sparta %s · "
                       "[CloudFormation stack](https://console.aws.amazon.com/cloudformation/home?region="
                       "${AWS::Region}#/stacks/stackinfo?stackId=${AWS::StackId})",
                       n, n == 1 ? "" : "s", DASHBOARD_SPARTA_VERSION);
    if (n == 0) {
        sparta_text_puts(md, "\n\nNo Lambda functions in this stack yet.");
        return;
    }
    for (size_t i = 0; i < n; i++) {
        sparta_text_puts(md, i == 0 ? "\n\n**Functions:** " : i % FUNCTION_LINKS_PER_LINE == 0 ? "\n\n" : " · ");
        sparta_text_puts(md, "[");
        link_text(md, fns[i].display);
        sparta_text_printf(md, "](https://console.aws.amazon.com/lambda/home?region=${AWS::Region}#/functions/%s)",
                           fns[i].name_sub);
    }
}

static void logs_markdown(sparta_text *md, const dash_function *fns, size_t n) {
    sparta_text_puts(md, "## Logs");
    if (n == 0) sparta_text_puts(md, "\n\nNo log groups yet.");
    for (size_t i = 0; i < n; i++) {
        sparta_text_puts(md, i % LOG_LINKS_PER_LINE == 0 ? "\n\n" : " · ");
        sparta_text_puts(md, "[/aws/lambda/");
        link_text(md, fns[i].display);
        sparta_text_printf(md,
                           "](https://console.aws.amazon.com/cloudwatch/home?region=${AWS::Region}#logsV2:log-groups/"
                           "log-group/$252Faws$252Flambda$252F%s)",
                           fns[i].name_sub);
    }
}

static int build_body(sparta_plugin *p, const dash_settings *s, const dash_function *fns, size_t n, sparta_text *body) {
    size_t widgets = 2 + n * s->metric_count;
    if (widgets > DASH_MAX_WIDGETS)
        return dash_api->error(p, SPARTA_EGRAPH,
                               "the dashboard would have %zu widgets (2 + %zu functions x %zu metrics); CloudWatch "
                               "allows %d per dashboard: list fewer metrics in dashboard.metrics (at most %zu "
                               "functions fit with %zu metrics each) or split the service",
                               widgets, n, s->metric_count, DASH_MAX_WIDGETS,
                               (size_t)(DASH_MAX_WIDGETS - 2) / s->metric_count, s->metric_count);
    sparta_text summary = {0}, logs = {0};
    summary_markdown(&summary, fns, n);
    logs_markdown(&logs, fns, n);

    dash_rect at = {0, 0, DASH_GRID_COLUMNS, dash_layout_text_height(2 + line_count(n, FUNCTION_LINKS_PER_LINE))};
    sparta_text_puts(body, "{\"start\":\"-PT3H\",\"periodOverride\":\"inherit\",\"widgets\":[");
    dash_widget_text(body, &at, sparta_text_str(&summary));
    at.y += at.height;
    at.height = dash_layout_text_height(1 + line_count(n, LOG_LINKS_PER_LINE));
    sparta_text_puts(body, ",");
    dash_widget_text(body, &at, sparta_text_str(&logs));
    int y = at.y + at.height;
    int failed = summary.failed || logs.failed;
    sparta_text_free(&summary);
    sparta_text_free(&logs);

    dash_rect row[DASH_METRIC_KINDS];
    for (size_t i = 0; i < n; i++) {
        dash_layout_row(y, 6, s->metric_count, row);
        for (size_t k = 0; k < s->metric_count; k++) {
            sparta_text_puts(body, ",");
            dash_widget_metric(body, &row[k], s, s->metrics[k], &fns[i]);
        }
        y += 6;
    }
    sparta_text_puts(body, "]}");
    if (failed || body->failed) return dash_api->error(p, SPARTA_ENOMEM, "out of memory building the dashboard");
    if (body->length > DASH_MAX_BODY_BYTES)
        return dash_api->error(p, SPARTA_EGRAPH,
                               "the dashboard body is %zu bytes for %zu functions; keep it under %d: list fewer "
                               "metrics or duration statistics in the dashboard group",
                               body->length, n, DASH_MAX_BODY_BYTES);
    return 0;
}

static int add_to_graph(sparta_plugin *p, sparta_graph *g, const dash_settings *s, const char *body) {
    const sparta_host_api *a = dash_api;
    const char *name = s->name ? s->name : "${AWS::StackName}" DASH_NAME_SUFFIX;
    sparta_value *props = a->new_object(g);
    if (!props) return a->error(p, SPARTA_ENOMEM, "out of memory");
    a->object_set(props, "DashboardName", s->name ? a->new_string(g, s->name) : a->sub(g, name));
    a->object_set(props, "DashboardBody", a->sub(g, body));
    if (!a->resource_add(p, g, DASH_LOGICAL_ID, "AWS::CloudWatch::Dashboard", props)) return SPARTA_EGRAPH;

    sparta_text url = {0};
    dash_console_url(&url, "${AWS::Region}", name);
    sparta_value *output = a->new_object(g);
    a->object_set(output, "Description", a->new_string(g, "CloudWatch dashboard of this stack's Lambda functions"));
    a->object_set(output, "Value", a->sub(g, sparta_text_str(&url)));
    int failed = url.failed;
    sparta_text_free(&url);
    if (failed) return a->error(p, SPARTA_ENOMEM, "out of memory");
    return a->output_add(p, g, DASH_OUTPUT_URL, output);
}

int dash_configure(sparta_plugin *p, sparta_graph *g, void *state) {
    dash_settings s;
    return dash_settings_read(p, &s);
}

int dash_decorate(sparta_plugin *p, sparta_graph *g, void *state) {
    dash_settings s;
    int rc = dash_settings_read(p, &s);
    if (rc != 0) return rc;
    dash_function *fns = NULL;
    size_t n = 0;
    rc = dash_functions_collect(p, g, &fns, &n);
    if (rc != 0) return rc;
    if (n == 0)
        dash_api->log(p, SPARTA_LOG_WARN, "the stack has no Lambda functions: the dashboard shows only its summary");
    sparta_text body = {0};
    rc = build_body(p, &s, fns, n, &body);
    if (rc == 0) rc = add_to_graph(p, g, &s, body.data);
    if (rc == 0)
        dash_api->log(p, SPARTA_LOG_DEBUG, "dashboard: %zu functions, %zu widgets, %zu bytes", n,
                      2 + n * s.metric_count, body.length);
    sparta_text_free(&body);
    dash_functions_free(fns, n);
    return rc;
}
