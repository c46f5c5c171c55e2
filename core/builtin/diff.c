#include <stdlib.h>
#include <string.h>

#include "aws/converge.h"
#include "aws/digest.h"
#include "aws/s3.h"
#include "builtin.h"
#include "command/command.h"
#include "json_write.h"
#include "text_diff.h"

int sparta__cmd_diff(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    sparta_host *host = p->host;
    host->s3_bucket = sparta__invocation_flag_string(inv, "s3Bucket");
    int rc = sparta__host_synthesize(host, SPARTA_PHASE_MARSHAL, sparta__invocation_flag_string(inv, "stackName"));
    if (rc != 0) return rc;
    sparta__aws_client *aws = NULL;
    rc = sparta__host_aws(host, &aws);
    if (rc != 0) return rc;
    /* Small templates go inline; larger ones must go by S3 URL. */
    char *url = NULL;
    if (host->template_length > SPARTA_LIMIT_TEMPLATE_BODY_BYTES) {
        const char *bucket = sparta__host_service(host, "s3Bucket");
        if (!bucket)
            return sparta__error_set(&host->error, SPARTA_EUSAGE,
                                     "the template is %zu bytes, over CloudFormation's inline limit of %d: pass "
                                     "--s3Bucket NAME so diff can upload it",
                                     host->template_length, SPARTA_LIMIT_TEMPLATE_BODY_BYTES);
        char sha[SPARTA__SHA256_HEX_LEN + 1], *key = NULL, *path = NULL;
        sparta__sha256_hex(host->template_json, host->template_length, sha);
        if (asprintf(&key, "%s/%s.template.json", host->graph->stack_name, sha) < 0) return SPARTA_ENOMEM;
        int uploaded = 0;
        rc = sparta__host_write_template(host, &path);
        if (rc == 0) rc = sparta__host_s3_upload(host, bucket, key, path, &uploaded);
        if (rc == 0) url = sparta__s3_object_url(aws, bucket, key);
        free(key);
        free(path);
        if (rc != 0) return rc;
    }
    size_t n = sparta__invocation_flag_list_count(inv, "param");
    sparta__aws_kv *params = calloc(n + 1, sizeof *params);
    char **store = calloc(n + 1, sizeof *store);
    for (size_t i = 0; params && store && i < n; i++) {
        store[i] = strdup(sparta__invocation_flag_list_at(inv, "param", i));
        char *eq = store[i] ? strchr(store[i], '=') : NULL;
        if (!eq) {
            rc = sparta__error_set(&host->error, SPARTA_EUSAGE, "--param '%s' is not KEY=VALUE", store[i]);
            break;
        }
        *eq = '\0';
        params[i] = (sparta__aws_kv){store[i], eq + 1};
    }
    sparta__diff_result d;
    memset(&d, 0, sizeof d);
    if (rc == 0) {
        sparta__converge_options o;
        memset(&o, 0, sizeof o);
        o.version = SPARTA__CONVERGE_OPTIONS_VERSION;
        o.stack_name = host->graph->stack_name;
        o.template_body = host->template_json;
        o.template_url = url;
        o.parameters = params;
        o.parameter_count = n;
        o.poll.initial_ms = 200;
        rc = sparta__converge_diff(aws, &o, &d, &host->error);
    }
    size_t changes = 0;
    if (rc == 0) {
        changes = d.change_set ? d.change_set->change_count : 0;
        sparta_buffer out = SPARTA_BUFFER_INIT;
        sparta_buffer text = SPARTA_BUFFER_INIT;
        size_t changed_lines = sparta__text_diff(d.deployed_template ? d.deployed_template : "", host->template_json,
                                                 d.stack_exists ? "deployed" : "(no stack)", "local", &text);
        if (sparta__host_json_output(host)) {
            sparta__buffer_puts(&out, "{\"stack\":");
            sparta__json_write_string(&out, host->graph->stack_name, strlen(host->graph->stack_name));
            sparta__buffer_printf(&out, ",\"exists\":%s,\"changes\":[", d.stack_exists ? "true" : "false");
            for (size_t i = 0; i < changes; i++) {
                const sparta__cfn_change *c = &d.change_set->changes[i];
                sparta__buffer_puts(&out, i ? ",{" : "{");
                sparta__json_write_member(&out, "action", c->action ? c->action : "", 0);
                sparta__json_write_member(&out, "logicalId", c->logical_id ? c->logical_id : "", 1);
                sparta__json_write_member(&out, "type", c->resource_type ? c->resource_type : "", 1);
                sparta__json_write_member(&out, "replacement", c->replacement ? c->replacement : "", 1);
                sparta__buffer_putc(&out, '}');
            }
            sparta__buffer_puts(&out, "],\"templateDiff\":");
            sparta__json_write_string(&out, text.data ? text.data : "", text.length);
            sparta__buffer_puts(&out, "}\n");
        } else {
            sparta__buffer_printf(&out, "Stack %s (%s): %zu change%s\n", host->graph->stack_name,
                                  d.stack_exists ? "deployed" : "not deployed yet", changes, changes == 1 ? "" : "s");
            if (changes) {
                sparta__buffer_printf(&out, "%-8s %-40s %-40s %s\n", "ACTION", "LOGICAL ID", "TYPE", "REPLACEMENT");
                for (size_t i = 0; i < changes; i++) {
                    const sparta__cfn_change *c = &d.change_set->changes[i];
                    sparta__buffer_printf(&out, "%-8s %-40s %-40s %s\n", c->action ? c->action : "",
                                          c->logical_id ? c->logical_id : "", c->resource_type ? c->resource_type : "",
                                          c->replacement && *c->replacement ? c->replacement : "-");
                }
            }
            if (changed_lines) {
                sparta__buffer_puts(&out, "\nTemplate:\n");
                sparta__buffer_put(&out, text.data, text.length);
            }
        }
        sparta__host_write(host, out.data ? out.data : "", out.length);
        sparta__buffer_free(&out);
        sparta__buffer_free(&text);
        /* moto's empty change sets are unreliable: a template diff counts too. */
        if (changed_lines && !changes) changes = changed_lines;
    }
    sparta__diff_result_free(&d);
    for (size_t i = 0; i < n; i++) free(store ? store[i] : NULL);
    free(store);
    free(params);
    free(url);
    /* A positive code is an exit status, not an error: nothing is logged. */
    if (rc == 0 && changes && sparta__invocation_flag_bool(inv, "exitCode")) return 1;
    return rc;
}
