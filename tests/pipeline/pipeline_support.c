#include "pipeline_support.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define GOLDEN_DIR SPARTA_SOURCE_DIR "/tests/golden/pipeline"
#define SUITE_DIR SPARTA_SOURCE_DIR "/tests/pipeline"

test_service pl_svc;

const char *const pl_codebuild_cfg =
    "codebuild = { timeout = 30; pullRequests = true;\n"
    "  environment = { MODE = \"ci\"; DB_PASSWORD = \"secretsmanager:hello/db:password\"; }; };\n";

const char *const pl_codepipeline_cfg =
    "codepipeline = { environments = (\n"
    "  { name = \"test\"; variables = { LOG_LEVEL = \"debug\"; FEATURE_X = true; }; },\n"
    "  { name = \"prod\"; approval = \"manual\"; variables = { LOG_LEVEL = \"warn\"; };\n"
    "    tags = { stage = \"prod\"; };\n"
    "    stackPolicy = { Statement = ( { Effect = \"Deny\"; Action = \"Update:Replace\"; Principal = \"*\";\n"
    "                                   Resource = \"*\"; } ); }; } ); };\n";

void pl_service(const char *codebuild_group, const char *codepipeline_group) {
    char *cfg = test_strf("service = { name = \"hello\"; s3Bucket = \"" PL_BUCKET "\"; tags = { team = \"core\"; }; };\n"
                          "plugins = { enabled = [ \"lambda\", \"codebuild\", \"codepipeline\" ]; };\n"
                          "lambda = { functions = (\n"
                          "  { name = \"api\"; code = \"bootstrap\"; environment = { LOG_LEVEL = \"info\"; GREETING = \"hi\"; }; },\n"
                          "  { name = \"worker\"; code = \"bootstrap\"; } ); };\n"
                          "%s%s",
                          codebuild_group ? codebuild_group : "", codepipeline_group ? codepipeline_group : "");
    test_service_new(&pl_svc, cfg);
    free(cfg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(pl_svc.dir);
    char *path = test_strf("%s/bootstrap", pl_svc.dir);
    test_write_file(path, "#!/bin/sh\necho hello\n");
    chmod(path, 0755);
    free(path);
}

char *pl_read(const char *relative) {
    char *path = test_strf("%s/%s", pl_svc.dir, relative);
    char *text = test_read_file(path, NULL);
    free(path);
    return text;
}

void pl_golden(const char *name, const char *text) {
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    char *path = test_strf("%s/%s", GOLDEN_DIR, name);
    if (getenv("SPARTA_UPDATE_GOLDEN")) {
        test_write_file(path, text);
        free(path);
        return;
    }
    char *want = test_read_file(path, NULL);
    if (!want) fprintf(stderr, "\n%s is missing: run with SPARTA_UPDATE_GOLDEN=1 to create it\n", path);
    CU_ASSERT_PTR_NOT_NULL(want);
    if (want && strcmp(want, text) != 0) {
        char *got = test_strf("%s/%s.got", pl_svc.dir, name);
        test_write_file(got, text);
        char *diff = NULL;
        test_sh(&diff, "diff -u '%s' '%s' | head -60", path, got);
        fprintf(stderr, "\ngolden %s differs (regenerate with SPARTA_UPDATE_GOLDEN=1 if intended):\n%s\n", name,
                diff ? diff : "");
        free(diff);
        free(got);
        CU_FAIL("golden file differs");
    }
    free(want);
    free(path);
}

int pl_lint(const char *relative) {
    char *out = NULL;
    int rc = test_sh(&out, "cfn-lint -z '" SUITE_DIR "/no-wildcard-actions.rules' -f parseable '%s/%s'", pl_svc.dir,
                     relative);
    if (rc & 3) fprintf(stderr, "\ncfn-lint %s:\n%s\n", relative, out ? out : "");
    free(out);
    return rc;
}

int pl_check(char **out, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *args = test_vstrf(fmt, ap);
    va_end(ap);
    char *local = NULL;
    int rc = test_sh(&local, "cd '%s' && python3 '" SUITE_DIR "/pipeline_check.py' %s", pl_svc.dir, args ? args : "");
    if (rc != 0) fprintf(stderr, "\npipeline_check.py %s:\n%s\n", args ? args : "", local ? local : "");
    if (out) *out = local;
    else free(local);
    free(args);
    return rc;
}

int pl_plugin_built(const char *name) {
    const char *dirs = getenv("SPARTA_PLUGIN_PATH");
    char *path = test_strf("%s/%s.so", dirs ? dirs : SPARTA_BINARY_DIR "/plugins", name);
    int ok = access(path, R_OK) == 0;
    free(path);
    return ok;
}
