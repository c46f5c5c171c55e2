#include <stdlib.h>
#include <string.h>

#include "build_info.h"
#include "builtin.h"
#include "command/command.h"

/* "Key=Value" list flag values, plus sparta's own tags. */
static const char **list_values(const sparta_invocation *inv, const char *flag, size_t extra, size_t *count) {
    size_t n = sparta__invocation_flag_list_count(inv, flag);
    const char **items = calloc(n + extra + 1, sizeof *items);
    for (size_t i = 0; items && i < n; i++) items[i] = sparta__invocation_flag_list_at(inv, flag, i);
    *count = n;
    return items;
}

int sparta__cmd_provision(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    sparta_host *host = p->host;
    host->s3_bucket = sparta__invocation_flag_string(inv, "s3Bucket");
    host->poll_initial_ms = sparta__invocation_flag_int(inv, "pollInterval");
    const char *method = sparta__invocation_flag_string(inv, "method");
    if (method && strcmp(method, "change-set") != 0 && strcmp(method, "direct") != 0)
        return sparta__error_set(&host->error, SPARTA_EUSAGE,
                                 "--method '%s' is not a method: use change-set or direct", method);
    const char *stack = sparta__invocation_flag_string(inv, "stackName");
    int rc = sparta__host_synthesize(host, SPARTA_PHASE_MARSHAL, stack);
    if (rc != 0) return rc;
    char *path = NULL;
    rc = sparta__host_write_template(host, &path);
    if (rc != 0) return rc;
    sparta__log(&host->log, SPARTA_LOG_INFO, "Template written", "path", path, NULL);
    for (size_t i = 0; i < host->archives.count; i++)
        sparta__log(&host->log, SPARTA_LOG_INFO, "Archive written", "path", host->archives.items[i].path,
                    "s3Key", host->archives.items[i].s3_key, NULL);
    if (host->noop) {
        /* PUBLISH hooks still run: a plugin may write packages without uploading. */
        rc = sparta__host_run_hooks(host, SPARTA_PHASE_PUBLISH);
        if (rc == 0) sparta__host_print(host, "%s\n", path);
        free(path);
        return rc;
    }
    free(path);
    const char *bucket = sparta__host_service(host, "s3Bucket");
    if (!bucket || !*bucket)
        return sparta__error_set(&host->error, SPARTA_EUSAGE,
                                 "provision needs an S3 bucket for the code and template: pass --s3Bucket "
                                 "NAME or set service.s3Bucket in sparta.cfg (or use --noop)");
    /* PUBLISH: archives first (content-addressed: present ones are skipped). */
    for (size_t i = 0; i < host->archives.count; i++) {
        sparta_named_archive *a = &host->archives.items[i];
        int uploaded = 0;
        rc = sparta__host_s3_upload(host, bucket, a->s3_key, a->path, &uploaded);
        if (rc != 0) return rc;
    }
    rc = sparta__host_run_hooks(host, SPARTA_PHASE_PUBLISH);
    /* A PUBLISH hook may have taken the converge over (--codePipelinePackage). */
    if (rc == 0 && !host->run.skip_reason) rc = sparta__host_run_hooks(host, SPARTA_PHASE_CONVERGE);
    if (rc != 0) return rc;
    if (host->run.skip_reason) {
        sparta__log(&host->log, SPARTA_LOG_INFO, "Not converging the stack", "reason", host->run.skip_reason, NULL);
        return 0;
    }
    size_t tag_count = 0, param_count = 0;
    const char **tags = list_values(inv, "tag", 2, &tag_count);
    const char **params = list_values(inv, "param", 0, &param_count);
    char *version_tag = NULL, *build_tag = NULL;
    const char *build_id = sparta__invocation_flag_string(inv, "buildID");
    if (tags && asprintf(&version_tag, "sparta:version=%s", SPARTA_VERSION) >= 0) tags[tag_count++] = version_tag;
    if (tags && build_id && asprintf(&build_tag, "sparta:buildID=%s", build_id) >= 0) tags[tag_count++] = build_tag;
    sparta_deploy_request req = {host->graph->stack_name, host->template_json, host->template_path, bucket,
                                 params, param_count,
                                 tags, tag_count, method,
                                 sparta__invocation_flag_bool(inv, "noExecute"),
                                 sparta__invocation_flag_bool(inv, "failOnEmptyChangeset"), 1};
    rc = tags && params ? sparta__host_deploy(host, &req) : SPARTA_ENOMEM;
    if (rc != 0) {
        /* ROLLBACK hooks clean up what this run created; the first error wins. */
        sparta_error_slot saved = host->error;
        sparta__host_run_hooks(host, SPARTA_PHASE_ROLLBACK);
        host->error = saved;
    }
    free(version_tag);
    free(build_tag);
    free(tags);
    free(params);
    return rc;
}
