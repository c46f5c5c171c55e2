/* CloudWatch DescribeAlarms (Query API, service "monitoring"): names and
 * states of metric and composite alarms, every page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rollback.h"

#define MAX_PAGES 100

/* Takes the three strings: keeps them, or frees them when the name is a
 * repeat (0) or memory ran out (-1; a NULL state or reason counts as that). */
static int list_push(rb_alarm_list *l, char *name, char *state, char *reason) {
    int rc = state && reason ? 0 : -1, keep = rc == 0;
    for (size_t i = 0; keep && i < l->count; i++)
        if (strcmp(l->items[i].name, name) == 0) keep = 0;
    if (keep && l->count == l->capacity) {
        size_t cap = l->capacity ? l->capacity * 2 : 16;
        rb_alarm_status *n = realloc(l->items, cap * sizeof *n);
        if (n) {
            l->items = n;
            l->capacity = cap;
        } else {
            rc = -1;
            keep = 0;
        }
    }
    if (keep) {
        l->items[l->count++] = (rb_alarm_status){name, state, reason};
        return 0;
    }
    free(name);
    free(state);
    free(reason);
    return rc;
}

/* The top-level <member> blocks of <MetricAlarms> and <CompositeAlarms>:
 * depth counting skips the nested lists (actions, dimensions). */
static int parse_list(const char *body, const char *list, rb_alarm_list *out) {
    char open[64], close[64];
    snprintf(open, sizeof open, "<%s>", list);
    snprintf(close, sizeof close, "</%s>", list);
    const char *p = strstr(body, open), *end = p ? strstr(p, close) : NULL;
    if (!p || !end) return 0;
    int depth = 0;
    const char *block = NULL;
    while ((p = strstr(p, "member>")) && p < end) {
        int closing = p[-1] == '/' && p[-2] == '<', opening = p[-1] == '<';
        p += 7;
        if (opening && depth++ == 0) block = p;
        if (!closing || depth == 0 || --depth != 0) continue;
        const char *stop = p - 9;
        char *name = rb_xml_text(block, stop, "AlarmName", NULL);
        if (!name) continue;
        char *state = rb_xml_text(block, stop, "StateValue", NULL);
        char *reason = rb_xml_text(block, stop, "StateReason", NULL);
        if (list_push(out, name, state ? state : strdup("INSUFFICIENT_DATA"), reason ? reason : strdup("")) != 0)
            return -1;
    }
    return 0;
}

static int parse_page(const char *body, rb_alarm_list *out, char **next_token) {
    *next_token = NULL;
    if (parse_list(body, "MetricAlarms", out) != 0 || parse_list(body, "CompositeAlarms", out) != 0) return -1;
    /* NextToken is a direct child of the result, after the lists. */
    const char *tail = body;
    const char *m = strstr(body, "</MetricAlarms>"), *c = strstr(body, "</CompositeAlarms>");
    if (m && m > tail) tail = m;
    if (c && c > tail) tail = c;
    *next_token = rb_xml_text(tail, body + strlen(body), "NextToken", NULL);
    return 0;
}

static int describe(sparta_plugin *p, const char *selector, rb_alarm_list *out) {
    char *token = NULL;
    int rc = 0;
    for (int page = 0; page < MAX_PAGES; page++) {
        sparta_text body = {0};
        sparta_text_puts(&body, "Action=DescribeAlarms&Version=2010-08-01&MaxRecords=100"
                                "&AlarmTypes.member.1=CompositeAlarm&AlarmTypes.member.2=MetricAlarm");
        sparta_text_puts(&body, selector);
        if (token) {
            sparta_text_puts(&body, "&NextToken=");
            sparta_text_urlencode(&body, token);
        }
        free(token);
        token = NULL;
        if (body.failed) {
            sparta_text_free(&body);
            return rb_api->error(p, SPARTA_ENOMEM, "out of memory");
        }
        sparta_aws_request req = {sizeof req, "monitoring", "POST", "/", NULL,
                                  "application/x-www-form-urlencoded; charset=utf-8", NULL, body.data, body.length};
        sparta_aws_response res = {sizeof res, 0, NULL, 0};
        rc = rb_api->aws_request(p, &req, &res);
        sparta_text_free(&body);
        if (rc == 0 && parse_page(res.body ? res.body : "", out, &token) != 0)
            rc = rb_api->error(p, SPARTA_ENOMEM, "out of memory reading DescribeAlarms");
        rb_api->aws_response_free(&res);
        if (rc != 0 || !token || !*token) break;
    }
    free(token);
    return rc;
}

int rb_describe_alarms(sparta_plugin *p, const char *prefix, const rb_list *names, rb_alarm_list *out) {
    memset(out, 0, sizeof *out);
    if (!rb_has_aws())
        return rb_api->error(p, SPARTA_ESTATE, "this sparta host cannot call AWS from a plugin (ABI 1.1 aws_request): upgrade sparta");
    int rc = 0;
    if (prefix) {
        sparta_text sel = {0};
        sparta_text_puts(&sel, "&AlarmNamePrefix=");
        sparta_text_urlencode(&sel, prefix);
        rc = sel.failed ? SPARTA_ENOMEM : describe(p, sparta_text_str(&sel), out);
        sparta_text_free(&sel);
    }
    /* AlarmNames takes 100 names per call. */
    for (size_t first = 0; rc == 0 && names && first < names->count; first += 100) {
        sparta_text sel = {0};
        for (size_t i = first; i < names->count && i < first + 100; i++) {
            sparta_text_printf(&sel, "&AlarmNames.member.%zu=", i - first + 1);
            sparta_text_urlencode(&sel, names->items[i]);
        }
        rc = sel.failed ? SPARTA_ENOMEM : describe(p, sparta_text_str(&sel), out);
        sparta_text_free(&sel);
    }
    if (rc != 0) rb_alarm_list_free(out);
    return rc;
}

const rb_alarm_status *rb_alarm_list_find(const rb_alarm_list *l, const char *name) {
    for (size_t i = 0; l && i < l->count; i++)
        if (strcmp(l->items[i].name, name) == 0) return &l->items[i];
    return NULL;
}

void rb_alarm_list_free(rb_alarm_list *l) {
    for (size_t i = 0; i < l->count; i++) {
        free(l->items[i].name);
        free(l->items[i].state);
        free(l->items[i].reason);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}
