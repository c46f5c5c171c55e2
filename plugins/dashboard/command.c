/* `sparta dashboard`: prints the URL of the deployed stack's dashboard. It
 * trusts the stack's CloudWatchDashboardURL output and, when the output is
 * missing, builds the URL from the region and the dashboard name after
 * checking that the dashboard exists. */
#include <stdio.h>
#include <string.h>

#include "dashboard.h"

static int has_entry_stack_value(void) { return SPARTA_HOST_HAS(dash_api, stack_value) && dash_api->stack_value; }
static int has_entry_aws_request(void) { return SPARTA_HOST_HAS(dash_api, aws_request) && dash_api->aws_request; }

/* The region field of arn:partition:service:region:account:resource. */
static void arn_region(const char *arn, char *out, size_t cap) {
    out[0] = '\0';
    const char *p = arn;
    for (int field = 0; p && field < 3; field++) {
        p = strchr(p, ':');
        if (p) p++;
    }
    const char *end = p ? strchr(p, ':') : NULL;
    if (!end || (size_t)(end - p) >= cap) return;
    memcpy(out, p, (size_t)(end - p));
    out[end - p] = '\0';
}

static int print_url(sparta_plugin *p, const sparta_invocation *inv, const char *stack, const char *url) {
    const char *format = dash_api->flag_string(inv, "format");
    if (format && strcmp(format, "json") == 0) {
        sparta_text t = {0};
        sparta_text_puts(&t, "{\"stack\":");
        sparta_text_json_string(&t, stack);
        sparta_text_puts(&t, ",\"url\":");
        sparta_text_json_string(&t, url);
        sparta_text_puts(&t, "}\n");
        dash_api->print(p, "%s", sparta_text_str(&t));
        sparta_text_free(&t);
    } else {
        dash_api->print(p, "%s\n", url);
    }
    return 0;
}

/* 1: the dashboard exists, 0: CloudWatch says it does not, -1: unknown. */
static int dashboard_exists(sparta_plugin *p, const char *name) {
    if (!has_entry_aws_request()) return -1;
    sparta_text body = {0};
    sparta_text_puts(&body, "Action=GetDashboard&Version=2010-08-01&DashboardName=");
    sparta_text_urlencode(&body, name);
    if (body.failed) {
        sparta_text_free(&body);
        return -1;
    }
    sparta_aws_request req = {sizeof req, "monitoring", "POST", "/", NULL,
                              "application/x-www-form-urlencoded; charset=utf-8", NULL, body.data, body.length};
    sparta_aws_response res = {sizeof res, 0, NULL, 0};
    int rc = dash_api->aws_request(p, &req, &res);
    int exists = rc == 0 ? 1 : -1;
    if (rc != 0 && (res.status == 400 || res.status == 404) && res.body &&
        (strstr(res.body, "ResourceNotFound") || strstr(res.body, "does not exist")))
        exists = 0;
    if (exists < 0)
        dash_api->log(p, SPARTA_LOG_WARN, "could not check that dashboard %s exists (HTTP %d)", name, res.status);
    dash_api->aws_response_free(&res);
    sparta_text_free(&body);
    return exists;
}

int dash_command(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    const char *stack = dash_api->flag_string(inv, "stackName");
    if (!stack || !*stack) stack = dash_api->service_get(p, "stackName");
    if (!stack || !*stack)
        return dash_api->error(p, SPARTA_EUSAGE,
                               "no stack to look at: set service.name in sparta.cfg or pass --stackName NAME");
    dash_settings s;
    int rc = dash_settings_read(p, &s);
    if (rc != 0) return rc;
    char default_name[300];
    snprintf(default_name, sizeof default_name, "%s" DASH_NAME_SUFFIX, stack);
    const char *name = s.name ? s.name : default_name;
    const char *region = dash_api->flag_string(inv, "region");
    if (!region || !*region) region = dash_api->service_get(p, "region");
    char arn_reg[64] = "";

    if (!has_entry_stack_value()) {
        if (!region || !*region)
            return dash_api->error(p, SPARTA_EUSAGE,
                                   "no region: pass --region, set AWS_REGION or service.region in sparta.cfg");
        dash_api->log(p, SPARTA_LOG_WARN,
                      "this sparta host cannot read stacks: the URL below is where the dashboard of stack %s "
                      "would be; it was not checked",
                      stack);
    } else {
        const char *status = dash_api->stack_value(p, stack, "StackStatus");
        if (!status || strcmp(status, "REVIEW_IN_PROGRESS") == 0 || strcmp(status, "DELETE_COMPLETE") == 0)
            return dash_api->error(p, SPARTA_ENOTFOUND,
                                   "stack %s is not deployed%s%s: run `sparta provision` first (the dashboard is "
                                   "part of the stack), or pass --stackName / --region for another one",
                                   stack, region && *region ? " in " : "", region && *region ? region : "");
        const char *url = dash_api->stack_value(p, stack, "Outputs." DASH_OUTPUT_URL);
        if (url && *url) return print_url(p, inv, stack, url);
        const char *stack_id = dash_api->stack_value(p, stack, "StackId");
        if (stack_id) arn_region(stack_id, arn_reg, sizeof arn_reg);
        if (arn_reg[0]) region = arn_reg;
        if (!region || !*region) region = dash_api->stack_value(p, stack, "Region");
        if (!region || !*region)
            return dash_api->error(p, SPARTA_EUSAGE,
                                   "no region: pass --region, set AWS_REGION or service.region in sparta.cfg");
        if (dashboard_exists(p, name) == 0)
            return dash_api->error(p, SPARTA_ENOTFOUND,
                                   "stack %s (%s) is deployed but has no dashboard %s: it was deployed before the "
                                   "dashboard plugin was enabled; run `sparta provision` to add it",
                                   stack, status, name);
        dash_api->log(p, SPARTA_LOG_DEBUG, "stack %s has no %s output: building the URL from region and name", stack,
                      DASH_OUTPUT_URL);
    }
    sparta_text url = {0};
    dash_console_url(&url, region, name);
    rc = url.failed ? dash_api->error(p, SPARTA_ENOMEM, "out of memory") : print_url(p, inv, stack, url.data);
    sparta_text_free(&url);
    return rc;
}
