/* The dashboard plugin: one AWS::CloudWatch::Dashboard per stack with a
 * summary, links to every function's logs and a row of metric widgets per
 * Lambda function, laid out on CloudWatch's 24-column grid. */
#ifndef SPARTA_DASHBOARD_H
#define SPARTA_DASHBOARD_H

#include <stddef.h>
#include <sparta/plugin.h>
#include <sparta/text.h>

#ifndef DASHBOARD_SPARTA_VERSION
#define DASHBOARD_SPARTA_VERSION "0.0.0"
#endif

extern const sparta_host_api *dash_api;

/* CloudWatch's limits (PutDashboard and the dashboard body syntax). */
#define DASH_GRID_COLUMNS 24
#define DASH_MAX_WIDGETS 500
#define DASH_MAX_WIDGET_HEIGHT 1000
#define DASH_NAME_MAX 255
/* Far above any real dashboard; the body also has to fit CloudFormation's
 * 1 MB template. */
#define DASH_MAX_BODY_BYTES (1024 * 1024)

#define DASH_LOGICAL_ID "CloudWatchDashboard"
/* The default DashboardName is "<stack>-dashboard": within the "<stack>-*"
 * names a pipeline's deploy role may manage. */
#define DASH_NAME_SUFFIX "-dashboard"
#define DASH_OUTPUT_URL "CloudWatchDashboardURL"

/* ---- settings (sparta.cfg group "dashboard") ---- */

typedef enum dash_metric_kind {
    DASH_INVOCATIONS = 0,
    DASH_ERRORS,
    DASH_THROTTLES,
    DASH_DURATION,
    DASH_CONCURRENCY,
    DASH_METRIC_KINDS
} dash_metric_kind;

#define DASH_MAX_STATS 8

typedef struct dash_settings {
    const char *name;       /* literal DashboardName, or NULL: the stack name at deploy */
    int period;             /* seconds */
    dash_metric_kind metrics[DASH_METRIC_KINDS];
    size_t metric_count;    /* widgets per function row */
    const char *duration_stats[DASH_MAX_STATS];
    size_t duration_stat_count;
} dash_settings;

/* The schema of the "dashboard" group. */
extern const sparta_schema_field dash_schema[];
extern const size_t dash_schema_count;

/* Reads and range-checks the group; every problem is reported at once with
 * its sparta.cfg:line. */
int dash_settings_read(sparta_plugin *p, dash_settings *out);
/* "Invocations", ...: the CloudWatch metric name of a kind. */
const char *dash_metric_name(dash_metric_kind kind);

/* ---- text (sparta/text.h) ---- */

/* Literal text inside an Fn::Sub string: "${" becomes "${!". */
void dash_text_sub_literal(sparta_text *t, const char *s);

/* ---- the functions in the graph ---- */

typedef struct dash_function {
    const char *logical_id;
    /* What Fn::Sub turns into the function's name: the literal FunctionName
     * (escaped for Fn::Sub) or ${LogicalId}. */
    char *name_sub;
    /* The name shown in titles and links' text: the FunctionName without a
     * leading "<stack>-", or the logical ID. Literal text. */
    char *display;
} dash_function;

/* Every AWS::Lambda::Function of the graph, sorted by logical ID. */
int dash_functions_collect(sparta_plugin *p, sparta_graph *g, dash_function **out, size_t *count);
void dash_functions_free(dash_function *fns, size_t count);

/* ---- layout on the 24-column grid ---- */

typedef struct dash_rect {
    int x, y, width, height;
} dash_rect;

/* `count` widgets of `height` side by side in the row at `y`, sharing the
 * 24 columns (the first ones get the spare columns). count is 1..24. */
void dash_layout_row(int y, int height, size_t count, dash_rect *out);
/* Height of a text widget showing `lines` lines of markdown, 2..1000. */
int dash_layout_text_height(size_t lines);

/* ---- widgets (JSON objects appended to the body) ---- */

void dash_widget_text(sparta_text *body, const dash_rect *at, const char *markdown);
void dash_widget_metric(sparta_text *body, const dash_rect *at, const dash_settings *s, dash_metric_kind kind,
                        const dash_function *fn);

/* ---- the DECORATE hook and the command ---- */

int dash_decorate(sparta_plugin *p, sparta_graph *g, void *state);
int dash_configure(sparta_plugin *p, sparta_graph *g, void *state);
int dash_command(sparta_plugin *p, const sparta_invocation *inv, void *state);
/* Console URL of a dashboard. */
void dash_console_url(sparta_text *t, const char *region, const char *name);

#endif
