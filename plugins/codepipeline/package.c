/* provision --codePipelinePackage NAME.zip: the build's half of the
 * pipeline. The host has uploaded the archives to the (versioned) bucket
 * before PUBLISH hooks run, so this hook only writes the package:
 * <outputDir>/NAME.zip gets cloudformation.json (the template) and one
 * <environment>.json per environment; the service stack is not converged:
 * the pipeline deploys the package. With --noop nothing is uploaded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codepipeline.h"

#define FLAG "codePipelinePackage"

static const char *package_name(sparta_plugin *p) {
    const sparta_invocation *inv = API->invocation(p);
    return inv ? API->flag_string(inv, FLAG) : NULL;
}

static int noop(sparta_plugin *p) {
    const sparta_invocation *inv = API->invocation(p);
    return inv && API->flag_bool(inv, "noop");
}

static int check_name(sparta_plugin *p, const char *name) {
    size_t n = strlen(name);
    if (n <= 4 || strcmp(name + n - 4, ".zip") != 0 || strchr(name, '/') || name[0] == '.')
        return API->error(p, SPARTA_EUSAGE,
                          "--" FLAG " '%s' is not a file name ending in .zip (e.g. pipeline.zip); it is written "
                          "into --outputDir",
                          name);
    return 0;
}

int cp_configure(sparta_plugin *p, sparta_graph *g, void *state) {
    cp_config c;
    int rc = cp_config_load(p, &c);
    if (rc == 0) cp_config_warn_missing(p, &c);
    const char *name = package_name(p);
    if (rc == 0 && name) {
        rc = check_name(p, name);
        if (rc == 0 && c.environment_count == 0)
            rc = API->error(p, SPARTA_ECONFIG,
                            "--" FLAG " needs codepipeline.environments: declare the stacks the pipeline deploys, "
                            "e.g. environments = ( { name = \"test\"; } );");
        if (rc == 0 && !(CP_HAS(template_text) && CP_HAS(zip_write) && CP_HAS(converge_skip) &&
                         CP_HAS(aws_request)))
            rc = API->error(p, SPARTA_EPLUGIN, "--" FLAG " needs a sparta host with plugin ABI 1.1: upgrade sparta");
    }
    cp_config_free(&c);
    return rc;
}

/* CodePipeline's S3 artifacts need versioning; ask before uploading anything. */
int cp_check_bucket(sparta_plugin *p, sparta_graph *g, void *state) {
    if (!package_name(p) || noop(p)) return 0;
    const char *bucket = API->service_get(p, "s3Bucket");
    if (!bucket || !*bucket)
        return API->error(p, SPARTA_EUSAGE, "--" FLAG " needs --s3Bucket: the versioned bucket the pipeline reads "
                                            "(the build passes $ARTIFACT_BUCKET)");
    char path[300];
    snprintf(path, sizeof path, "/%s", bucket);
    sparta_aws_request req = {sizeof req, "s3", "GET", path, "versioning", NULL, NULL, NULL, 0};
    sparta_aws_response resp = {sizeof resp, 0, NULL, 0};
    int rc = API->aws_request(p, &req, &resp);
    int enabled = rc == 0 && resp.body && strstr(resp.body, "<Status>Enabled</Status>");
    int suspended = rc == 0 && resp.body && strstr(resp.body, "<Status>Suspended</Status>");
    API->aws_response_free(&resp);
    if (rc != 0) return rc;
    if (!enabled)
        return API->error(p, SPARTA_EUSAGE,
                          "bucket %s is not versioned (%s): CodePipeline reads artifacts by version. Enable it "
                          "(aws s3api put-bucket-versioning --bucket %s --versioning-configuration Status=Enabled) "
                          "or use the artifact bucket of `sparta provisionPipeline`",
                          bucket, suspended ? "versioning is suspended" : "versioning was never enabled", bucket);
    return 0;
}

/* ---- the ZIP ---------------------------------------------------------------- */

static int write_package(sparta_plugin *p, const cp_config *c, const char *name) {
    size_t length = 0;
    const char *tmpl = API->template_text(p, &length);
    if (!tmpl) return API->error(p, SPARTA_ESTATE, "no template was marshalled: --" FLAG " runs after MARSHAL");
    const sparta_value *service_tags = API->value_get(API->value_get(API->config_root(p), "service"), "tags");
    size_t count = c->environment_count + 1;
    sparta_zip_entry *entries = calloc(count, sizeof *entries);
    char **texts = calloc(count, sizeof *texts);
    char **files = calloc(count, sizeof *files);
    int rc = entries && texts && files ? 0 : API->error(p, SPARTA_ENOMEM, "out of memory");
    if (rc == 0) entries[0] = (sparta_zip_entry){sizeof *entries, CP_TEMPLATE_FILE, NULL, tmpl, length, 0644};
    for (size_t i = 0; rc == 0 && i < c->environment_count; i++) {
        const cp_environment *env = &c->environments[i];
        texts[i] = cp_template_configuration(c, env, service_tags);
        if (!texts[i] || asprintf(&files[i], "%s.json", env->name) < 0) {
            files[i] = NULL;
            rc = API->error(p, SPARTA_ENOMEM, "out of memory");
            break;
        }
        entries[i + 1] = (sparta_zip_entry){sizeof *entries, files[i], NULL, texts[i], strlen(texts[i]), 0644};
    }
    char *path = NULL;
    const char *dir = API->service_get(p, "outputDir");
    if (rc == 0 && asprintf(&path, "%s/%s", dir && *dir ? dir : ".", name) < 0) {
        path = NULL;
        rc = API->error(p, SPARTA_ENOMEM, "out of memory");
    }
    if (rc == 0) rc = API->zip_write(p, path, entries, count);
    if (rc == 0)
        API->log(p, SPARTA_LOG_INFO, "Pipeline package written: %s (%s and %zu environment file%s)", path,
                 CP_TEMPLATE_FILE, c->environment_count, c->environment_count == 1 ? "" : "s");
    for (size_t i = 0; i < count && texts && files; i++) {
        free(texts[i]);
        free(files[i]);
    }
    free(texts);
    free(files);
    free(entries);
    free(path);
    return rc;
}

int cp_publish(sparta_plugin *p, sparta_graph *g, void *state) {
    const char *name = package_name(p);
    if (!name) return 0;
    cp_config c;
    int rc = cp_config_load(p, &c);
    if (rc == 0) rc = write_package(p, &c, name);
    if (rc == 0) rc = API->converge_skip(p, "--" FLAG ": the pipeline deploys the package");
    cp_config_free(&c);
    return rc;
}
