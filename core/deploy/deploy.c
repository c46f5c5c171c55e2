/* PUBLISH and CONVERGE for one marshalled template: upload it to S3 under a
 * content-addressed key, converge the stack, stream events, print outputs. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/converge.h"
#include "aws/digest.h"
#include "aws/http.h"
#include "aws/s3.h"
#include "host.h"
#include "json_write.h"

int sparta__host_aws(sparta_host *host, sparta__aws_client **out) {
    if (!host->aws) {
        sparta__aws_client_options o = SPARTA__AWS_CLIENT_OPTIONS_INIT;
        o.region = host->region_flag;
        o.profile = host->profile_flag;
        const sparta_value *service = sparta__value_get(host->config.root, "service");
        o.fallback_region = sparta__value_get_string(service, "region");
        o.logger = &host->log;
        int rc = sparta__aws_client_new(&o, &host->aws, &host->error);
        if (rc != 0) return rc;
    }
    *out = host->aws;
    return 0;
}

int sparta__host_s3_upload(sparta_host *host, const char *bucket, const char *key, const char *path, int *uploaded) {
    sparta__aws_client *aws = NULL;
    int rc = sparta__host_aws(host, &aws);
    return rc != 0 ? rc : sparta__s3_upload_file_if_absent(aws, bucket, key, path, uploaded, &host->error);
}

/* Splits "Key=Value" entries into pairs (pointing into copies kept in `store`). */
static int split_pairs(sparta_host *host, const char *flag, const char *const *items, size_t count,
                       sparta__aws_kv *out, char **store) {
    for (size_t i = 0; i < count; i++) {
        store[i] = strdup(items[i]);
        char *eq = store[i] ? strchr(store[i], '=') : NULL;
        if (!eq || eq == store[i])
            return sparta__error_set(&host->error, SPARTA_EUSAGE,
                                     "--%s '%s' is not KEY=VALUE: write it as --%s Name=value", flag, items[i],
                                     flag);
        *eq = '\0';
        out[i].name = store[i];
        out[i].value = eq + 1;
    }
    return 0;
}

static volatile sig_atomic_t interrupted;
static void on_interrupt(int sig) {
    (void)sig;
    interrupted = 1;
}

typedef struct event_printer {
    sparta_host *host;
} event_printer;

static void print_event(void *user, const sparta__cfn_event *e, size_t done, size_t total) {
    event_printer *pr = user;
    char progress[64];
    snprintf(progress, sizeof progress, "%zu of %zu", done, total);
    sparta_log_level level = e->status && strstr(e->status, "FAILED") ? SPARTA_LOG_ERROR : SPARTA_LOG_INFO;
    sparta__log(&pr->host->log, level, "Stack event", "time", e->timestamp ? e->timestamp : "", "status",
                e->status ? e->status : "", "type", e->resource_type ? e->resource_type : "", "logicalID",
                e->logical_id ? e->logical_id : "", "reason", e->reason ? e->reason : "", "resources",
                progress, NULL);
}

static void print_outputs(sparta_host *host, const char *stack, const sparta__converge_result *r, int json) {
    if (json) {
        sparta_buffer out = SPARTA_BUFFER_INIT;
        sparta__buffer_puts(&out, "{\"stack\":");
        sparta__json_write_string(&out, stack, strlen(stack));
        sparta__buffer_puts(&out, ",\"outcome\":");
        static const char *const outcomes[] = {"none", "created", "updated", "up-to-date", "change-set-ready",
                                               "deleted", "not-found", "started", "failed", "interrupted",
                                               "timed-out"};
        const char *o = outcomes[r->outcome];
        sparta__json_write_string(&out, o, strlen(o));
        sparta__buffer_puts(&out, ",\"outputs\":{");
        for (size_t i = 0; i < r->output_count; i++) {
            if (i) sparta__buffer_putc(&out, ',');
            sparta__json_write_string(&out, r->outputs[i].key, strlen(r->outputs[i].key));
            sparta__buffer_putc(&out, ':');
            const char *v = r->outputs[i].value ? r->outputs[i].value : "";
            sparta__json_write_string(&out, v, strlen(v));
        }
        sparta__buffer_puts(&out, "}}\n");
        sparta__host_write(host, out.data, out.length);
        sparta__buffer_free(&out);
        return;
    }
    for (size_t i = 0; i < r->output_count; i++)
        sparta__host_print(host, "%s = %s\n", r->outputs[i].key, r->outputs[i].value ? r->outputs[i].value : "");
}

static void print_change_set(sparta_host *host, const sparta__cfn_change_set *cs) {
    if (!cs) return;
    sparta__host_print(host, "%-8s %-40s %-40s %s\n", "ACTION", "LOGICAL ID", "TYPE", "REPLACEMENT");
    for (size_t i = 0; i < cs->change_count; i++) {
        const sparta__cfn_change *c = &cs->changes[i];
        sparta__host_print(host, "%-8s %-40s %-40s %s\n", c->action ? c->action : "", c->logical_id ? c->logical_id : "",
                           c->resource_type ? c->resource_type : "", c->replacement ? c->replacement : "-");
    }
}

int sparta__host_deploy(sparta_host *host, const sparta_deploy_request *req) {
    sparta__aws_client *aws = NULL;
    int rc = sparta__host_aws(host, &aws);
    if (rc != 0) return rc;
    if (!req->bucket || !*req->bucket)
        return sparta__error_set(&host->error, SPARTA_EUSAGE,
                                 "no S3 bucket for the template and code: pass --s3Bucket NAME or set "
                                 "service.s3Bucket in sparta.cfg");
    rc = sparta__s3_check_bucket(aws, req->bucket, &host->error);
    if (rc != 0) return rc;
    /* PUBLISH: the template under its content hash, so reruns reuse it. */
    char sha[SPARTA__SHA256_HEX_LEN + 1];
    sparta__sha256_hex(req->template_json, strlen(req->template_json), sha);
    char *key = NULL;
    if (asprintf(&key, "%s/%s.template.json", req->stack_name, sha) < 0) return SPARTA_ENOMEM;
    int uploaded = 0;
    rc = sparta__s3_upload_file_if_absent(aws, req->bucket, key, req->template_path, &uploaded, &host->error);
    if (rc != 0) {
        free(key);
        return rc;
    }
    char *url = sparta__s3_object_url(aws, req->bucket, key);
    free(key);
    if (!url) return sparta__error_set(&host->error, SPARTA_ENOMEM, "out of memory building the template URL");

    size_t extra = req->service_stack ? host->run.parameter_count : 0;
    size_t np = req->parameter_count + extra;
    sparta__aws_kv *params = calloc(np + 1, sizeof *params);
    char **pstore = calloc(np + 1, sizeof *pstore);
    sparta__aws_kv *tags = calloc(req->tag_count + 1, sizeof *tags);
    char **tstore = calloc(req->tag_count + 1, sizeof *tstore);
    if (!params || !pstore || !tags || !tstore || !url) rc = SPARTA_ENOMEM;
    if (rc == 0) rc = split_pairs(host, "param", req->parameters, req->parameter_count, params, pstore);
    if (rc == 0)
        rc = split_pairs(host, "param", (const char *const *)host->run.parameters, extra,
                         params + req->parameter_count, pstore + req->parameter_count);
    if (rc == 0) rc = split_pairs(host, "tag", req->tags, req->tag_count, tags, tstore);

    sparta__cfn_rollback_config rollback = {(const char *const *)host->run.rollback_alarms,
                                            (const char *const *)host->run.rollback_types,
                                            host->run.rollback_alarm_count, host->run.monitoring_minutes};
    sparta__converge_result result;
    memset(&result, 0, sizeof result);
    if (rc == 0) {
        sparta__converge_options o;
        memset(&o, 0, sizeof o);
        o.version = SPARTA__CONVERGE_OPTIONS_VERSION;
        o.stack_name = req->stack_name;
        o.template_body = req->template_json;
        o.template_url = url;
        o.parameters = params;
        o.parameter_count = np;
        o.tags = tags;
        o.tag_count = req->tag_count;
        o.method = req->method && strcmp(req->method, "direct") == 0 ? SPARTA__CONVERGE_DIRECT
                                                                      : SPARTA__CONVERGE_CHANGE_SET;
        o.no_execute = req->no_execute;
        o.fail_on_empty_changeset = req->fail_on_empty_changeset;
        o.rollback = req->service_stack && (rollback.alarm_count || rollback.monitoring_minutes)
                         ? &rollback
                         : NULL;
        event_printer printer = {host};
        o.poll.initial_ms = host->poll_initial_ms;
        o.poll.on_event = print_event;
        o.poll.user = &printer;
        interrupted = 0;
        o.poll.interrupted = &interrupted;
        struct sigaction sa, old;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_interrupt;
        sigaction(SIGINT, &sa, &old);
        rc = sparta__converge(aws, &o, &result, &host->error);
        sigaction(SIGINT, &old, NULL);
    }
    if (rc == 0) {
        /* The converge logs each outcome itself; --no-execute also prints the change set. */
        if (result.outcome == SPARTA__CONVERGE_CHANGE_SET_READY) {
            sparta__log(&host->log, SPARTA_LOG_INFO, "Change set created, not executed (--no-execute)", "stack",
                        req->stack_name, "changeSet", result.change_set_id ? result.change_set_id : "", NULL);
            print_change_set(host, result.change_set);
        }
        print_outputs(host, req->stack_name, &result, sparta__host_json_output(host));
    }
    sparta__converge_result_free(&result);
    for (size_t i = 0; i < np; i++) free(pstore ? pstore[i] : NULL);
    for (size_t i = 0; i < req->tag_count; i++) free(tstore ? tstore[i] : NULL);
    free(pstore);
    free(tstore);
    free(params);
    free(tags);
    free(url);
    return rc;
}
