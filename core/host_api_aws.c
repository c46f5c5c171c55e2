/* ABI 1.1: what plugins may ask of the host's AWS client and converge. */
#include "host_api_aws.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "archive.h"
#include "aws/converge.h"
#include "aws/http.h"
#include "aws/s3.h"
#include "aws/uri.h"

/* Errors raised on behalf of a plugin carry its name. */
static int tagged(sparta_plugin *p, int rc) {
    if (rc != 0 && !p->host->error.plugin[0])
        snprintf(p->host->error.plugin, sizeof p->host->error.plugin, "%s", p->name);
    return rc;
}

/* Copies a caller's struct of `size` into a zeroed one of ours (ABI rule 4). */
static int sized_copy(sparta_plugin *p, const char *what, void *dst, size_t own, const void *src) {
    if (!src) return tagged(p, sparta__error_set(&p->host->error, SPARTA_EGENERIC, "NULL %s", what));
    uint32_t size;
    memcpy(&size, src, sizeof size);
    if (size > own || size < sizeof(uint32_t) * 2)
        return tagged(p, sparta__error_set(&p->host->error, SPARTA_EPLUGIN,
                                           "%s of %u bytes: this host knows %zu; rebuild the plugin", what, size, own));
    memset(dst, 0, own);
    memcpy(dst, src, size);
    return 0;
}

/* "A=B&C=D" -> decoded pairs kept in `store`. */
static size_t parse_query(const char *query, sparta__aws_kv *pairs, char **store, size_t cap) {
    size_t n = 0;
    const char *q = query;
    while (q && *q && n < cap) {
        const char *amp = strchr(q, '&');
        size_t len = amp ? (size_t)(amp - q) : strlen(q);
        const char *eq = memchr(q, '=', len);
        size_t klen = eq ? (size_t)(eq - q) : len;
        store[2 * n] = sparta__uri_decode(q, klen, 1);
        store[2 * n + 1] = eq ? sparta__uri_decode(eq + 1, len - klen - 1, 1) : strdup("");
        pairs[n].name = store[2 * n];
        pairs[n].value = store[2 * n + 1];
        n++;
        q = amp ? amp + 1 : NULL;
    }
    return n;
}

int sparta__api_aws_request(sparta_plugin *p, const sparta_aws_request *request, sparta_aws_response *response) {
    sparta_aws_request req;
    int rc = sized_copy(p, "sparta_aws_request", &req, sizeof req, request);
    if (rc != 0) return rc;
    if (!req.service || !req.method)
        return tagged(p, sparta__error_set(&p->host->error, SPARTA_EGENERIC, "aws_request needs a service and a method"));
    sparta__aws_client *aws = NULL;
    rc = sparta__host_aws(p->host, &aws);
    if (rc != 0) return tagged(p, rc);
    enum { MAX_QUERY = 128 };
    sparta__aws_kv query[MAX_QUERY];
    char *store[2 * MAX_QUERY] = {0};
    size_t nq = parse_query(req.query, query, store, MAX_QUERY);
    sparta__aws_kv headers[1];
    size_t nh = 0;
    if (req.target) headers[nh++] = (sparta__aws_kv){"X-Amz-Target", req.target};
    sparta__aws_http_request http = {req.service, req.target ? req.target : req.method, req.method, NULL,
                                     req.path ? req.path : "/", query, nq, headers, nh, req.body,
                                     req.body_length, req.content_type};
    sparta__aws_response resp;
    memset(&resp, 0, sizeof resp);
    rc = sparta__aws_request(aws, &http, &resp, &p->host->error);
    for (size_t i = 0; i < 2 * nq; i++) free(store[i]);
    if (response) {
        uint32_t size = response->size;
        memset(response, 0, size && size <= sizeof *response ? size : sizeof *response);
        response->size = size ? size : sizeof *response;
        response->status = (int)resp.status;
        response->body = resp.body;
        response->body_length = resp.body_length;
        resp.body = NULL;
    }
    sparta__aws_response_free(&resp);
    return tagged(p, rc);
}

void sparta__api_aws_response_free(sparta_aws_response *response) {
    if (!response) return;
    free(response->body);
    response->body = NULL;
    response->body_length = 0;
}

int sparta__api_s3_upload(sparta_plugin *p, const char *bucket, const char *key, const char *path, int *uploaded) {
    int dummy = 0;
    return tagged(p, sparta__host_s3_upload(p->host, bucket, key, path, uploaded ? uploaded : &dummy));
}

static int push_string(sparta_plugin *p, char ***items, size_t *count, char *owned) {
    char **n = owned ? realloc(*items, (*count + 1) * sizeof *n) : NULL;
    if (!n) {
        free(owned);
        return tagged(p, sparta__error_set(&p->host->error, SPARTA_ENOMEM, "out of memory"));
    }
    *items = n;
    n[(*count)++] = owned;
    return 0;
}

int sparta__api_converge_add_parameter(sparta_plugin *p, const char *key, const char *value) {
    if (!key || !*key || strchr(key, '='))
        return tagged(p, sparta__error_set(&p->host->error, SPARTA_EGENERIC, "converge parameter name '%s' is not valid",
                                           key ? key : "(null)"));
    char *pair = NULL;
    if (asprintf(&pair, "%s=%s", key, value ? value : "") < 0) pair = NULL;
    return push_string(p, &p->host->run.parameters, &p->host->run.parameter_count, pair);
}

int sparta__api_converge_add_rollback_trigger(sparta_plugin *p, const char *alarm_arn) {
    return sparta__api_converge_add_rollback_trigger_typed(p, alarm_arn, "AWS::CloudWatch::Alarm");
}

int sparta__api_converge_add_rollback_trigger_typed(sparta_plugin *p, const char *alarm_arn, const char *type) {
    static const char *const types[] = {"AWS::CloudWatch::Alarm", "AWS::CloudWatch::CompositeAlarm"};
    const char *known = NULL;
    for (size_t i = 0; type && i < sizeof types / sizeof *types; i++)
        if (strcmp(type, types[i]) == 0) known = types[i];
    if (!known)
        return tagged(p, sparta__error_set(&p->host->error, SPARTA_EGENERIC,
                                           "rollback trigger type '%s' is not one CloudFormation takes: use "
                                           "AWS::CloudWatch::Alarm or AWS::CloudWatch::CompositeAlarm",
                                           type ? type : "(null)"));
    if (!alarm_arn || strncmp(alarm_arn, "arn:", 4) != 0 || !strstr(alarm_arn, ":cloudwatch:") ||
        !strstr(alarm_arn, ":alarm:"))
        return tagged(p, sparta__error_set(&p->host->error, SPARTA_EGENERIC,
                                           "'%s' is not a CloudWatch alarm ARN "
                                           "(arn:aws:cloudwatch:REGION:ACCOUNT:alarm:NAME)",
                                           alarm_arn ? alarm_arn : "(null)"));
    if (p->host->run.rollback_alarm_count >= 5)
        return tagged(p, sparta__error_set(&p->host->error, SPARTA_EGENERIC,
                                           "CloudFormation accepts at most 5 rollback triggers; '%s' is the 6th",
                                           alarm_arn));
    sparta_run_state *r = &p->host->run;
    const char **types_now = realloc(r->rollback_types, (r->rollback_alarm_count + 1) * sizeof *types_now);
    if (!types_now) return tagged(p, sparta__error_set(&p->host->error, SPARTA_ENOMEM, "out of memory"));
    r->rollback_types = types_now;
    types_now[r->rollback_alarm_count] = known;
    return push_string(p, &r->rollback_alarms, &r->rollback_alarm_count, strdup(alarm_arn));
}

int sparta__api_converge_set_monitoring_minutes(sparta_plugin *p, int minutes) {
    if (minutes < 0 || minutes > 180)
        return tagged(p, sparta__error_set(&p->host->error, SPARTA_EGENERIC,
                                           "monitoring window of %d minutes: CloudFormation allows 0 to 180", minutes));
    p->host->run.monitoring_minutes = minutes;
    return 0;
}

int sparta__api_converge_skip(sparta_plugin *p, const char *reason) {
    free(p->host->run.skip_reason);
    char *text = NULL;
    if (asprintf(&text, "%s (plugin %s)", reason ? reason : "asked by a plugin", p->name) < 0) text = NULL;
    p->host->run.skip_reason = text;
    return text ? 0 : SPARTA_ENOMEM;
}

sparta_graph *sparta__api_graph_new(sparta_plugin *p, const char *stack_name) {
    sparta_run_state *r = &p->host->run;
    sparta_graph **n = realloc(r->graphs, (r->graph_count + 1) * sizeof *n);
    if (!n) return NULL;
    r->graphs = n;
    sparta_graph *g = sparta__graph_new(&p->host->error, &p->host->log, stack_name);
    if (g) r->graphs[r->graph_count++] = g;
    return g;
}

int sparta__api_stack_converge(sparta_plugin *p, sparta_graph *g, const sparta_converge_options *options) {
    sparta_host *host = p->host;
    sparta_converge_options o;
    int rc = sized_copy(p, "sparta_converge_options", &o, sizeof o, options);
    if (rc != 0) return rc;
    const char *stack = o.stack_name ? o.stack_name : g->stack_name;
    sparta_buffer problems = SPARTA_BUFFER_INIT;
    size_t count = sparta__graph_validate(g, &problems);
    if (count) {
        if (problems.length && problems.data[problems.length - 1] == '\n') problems.data[--problems.length] = '\0';
        rc = sparta__error_set(&host->error, SPARTA_EGRAPH, "stack %s: the template graph has %zu problem%s:\n%s",
                               stack, count, count == 1 ? "" : "s", problems.data ? problems.data : "");
        sparta__buffer_free(&problems);
        return tagged(p, rc);
    }
    sparta__buffer_free(&problems);
    char *json = NULL, *path = NULL;
    size_t length = 0;
    rc = sparta__graph_marshal(g, NULL, NULL, &json, &length);
    if (rc == 0 && length > SPARTA_LIMIT_TEMPLATE_BYTES)
        rc = sparta__error_set(&host->error, SPARTA_EGRAPH, "stack %s: the template is %zu bytes, over CloudFormation's %d",
                               stack, length, SPARTA_LIMIT_TEMPLATE_BYTES);
    if (rc == 0) rc = sparta__host_write_named_template(host, stack, json, length, &path);
    if (rc == 0) sparta__log(&host->log, SPARTA_LOG_INFO, "Template written", "stack", stack, "path", path, NULL);
    if (rc == 0 && !o.noop) {
        sparta_deploy_request req = {stack, json, path, sparta__host_service(host, "s3Bucket"), o.parameters,
                                     o.parameter_count,
                                     o.tags, o.tag_count, "change-set", 0, 0, 0};
        rc = sparta__host_deploy(host, &req);
    }
    free(json);
    free(path);
    return tagged(p, rc);
}

int sparta__api_synthesize(sparta_plugin *p) {
    return tagged(p, sparta__host_synthesize(p->host, SPARTA_PHASE_MARSHAL, NULL));
}

const char *sparta__api_template_text(sparta_plugin *p, size_t *length) {
    if (length) *length = p->host->template_length;
    return p->host->template_json;
}

const char *sparta__api_archive_path(sparta_plugin *p, const char *archive_name) {
    const sparta_named_archive *a = sparta__archive_set_find(&p->host->archives, archive_name);
    return a ? a->path : NULL;
}

const char *sparta__api_archive_s3_key(sparta_plugin *p, const char *archive_name) {
    const sparta_named_archive *a = sparta__archive_set_find(&p->host->archives, archive_name);
    return a ? a->s3_key : NULL;
}

int sparta__api_zip_write(sparta_plugin *p, const char *path, const sparta_zip_entry *entries, size_t count) {
    sparta_archive *zip = sparta__archive_new("zip");
    if (!zip) return SPARTA_ENOMEM;
    int rc = 0;
    size_t stride = count ? entries[0].size : sizeof *entries;
    for (size_t i = 0; rc == 0 && i < count; i++) {
        sparta_zip_entry e;
        rc = sized_copy(p, "sparta_zip_entry", &e, sizeof e, (const char *)entries + i * stride);
        if (rc != 0) break;
        rc = e.source_path ? sparta__archive_add_file(zip, e.name, e.source_path, &p->host->error)
                           : sparta__archive_add_bytes(zip, e.name, e.bytes, e.length, e.mode ? e.mode : 0644,
                                                       &p->host->error);
    }
    if (rc == 0) rc = sparta__archive_write(zip, path, NULL, &p->host->error);
    sparta__archive_free(zip);
    return tagged(p, rc);
}

const char *sparta__api_stack_value(sparta_plugin *p, const char *stack_name, const char *key) {
    sparta_host *host = p->host;
    sparta__aws_client *aws = NULL;
    if (!key || sparta__host_aws(host, &aws) != 0) return NULL;
    if (strcmp(key, "Region") == 0) return sparta__aws_client_region(aws);
    sparta__cfn_stack *s = NULL;
    sparta_error_slot scratch = {0};
    if (sparta__cfn_describe_stack(aws, stack_name ? stack_name : sparta__host_service(host, "stackName"), &s,
                                   &scratch) != 0 || !s)
        return NULL;
    char *answer = NULL;
    if (strcmp(key, "StackStatus") == 0 && s->status) answer = strdup(s->status);
    else if (strcmp(key, "StackId") == 0 && s->stack_id) answer = strdup(s->stack_id);
    else if (strcmp(key, "AccountId") == 0 && s->stack_id) {
        /* arn:aws:cloudformation:REGION:ACCOUNT:stack/NAME/ID */
        const char *q = s->stack_id;
        for (int field = 0; q && field < 4; field++) q = strchr(q, ':') ? strchr(q, ':') + 1 : NULL;
        const char *end = q ? strchr(q, ':') : NULL;
        if (end) answer = strndup(q, (size_t)(end - q));
    } else if (strncmp(key, "Outputs.", 8) == 0) {
        for (size_t i = 0; i < s->output_count; i++)
            if (s->outputs[i].key && strcmp(s->outputs[i].key, key + 8) == 0 && s->outputs[i].value)
                answer = strdup(s->outputs[i].value);
    }
    sparta__cfn_stack_free(s);
    return sparta__host_keep(host, answer);
}
