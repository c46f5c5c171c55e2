#include "test_service.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test_support.h"

int test_service_open(test_service *s, const char *golden_dir) {
    memset(s, 0, sizeof *s);
    s->golden_dir = golden_dir;
    s->lint_dir = test_tmpdir();
    return s->lint_dir ? 0 : -1;
}

/* SPARTA_KEEP_TEST_DIRS keeps what a failing run wrote for a look. */
static void remove_unless_kept(const char *dir) {
    if (!getenv("SPARTA_KEEP_TEST_DIRS")) test_rmtree(dir);
}

void test_service_close(test_service *s) {
    remove_unless_kept(s->dir);
    remove_unless_kept(s->lint_dir);
    free(s->dir);
    free(s->lint_dir);
    memset(s, 0, sizeof *s);
}

void test_service_new(test_service *s, const char *cfg) {
    remove_unless_kept(s->dir);
    free(s->dir);
    s->dir = test_tmpdir();
    chmod(s->dir, 0755);
    test_service_configure(s, cfg);
}

void test_service_configure(test_service *s, const char *cfg) {
    char *path = test_strf("%s/sparta.cfg", s->dir);
    CU_ASSERT_EQUAL(test_write_file(path, cfg), 0);
    free(path);
}

int test_service_sparta(const test_service *s, char **out, const char *args) {
    return test_service_sparta_prefixed(s, out, NULL, args);
}

int test_service_sparta_prefixed(const test_service *s, char **out, const char *prefix, const char *args) {
    return test_sh(out, "cd '%s' && %s '%s' --nocolor %s", s->dir, prefix ? prefix : "", test_sparta_bin(), args);
}

char *test_service_synth(const test_service *s, const char *stack, const char *lint_name) {
    char *out = NULL;
    int rc = test_service_sparta(s, &out, "provision --noop --outputDir out");
    if (rc != 0) fprintf(stderr, "\nprovision --noop failed:\n%s\n", out ? out : "");
    CU_ASSERT_EQUAL(rc, 0);
    free(out);
    if (rc != 0) return NULL;
    char *path = test_strf("%s/out/%s.template.json", s->dir, stack);
    if (lint_name) test_service_gather(s, path, lint_name);
    return path;
}

void test_service_gather(const test_service *s, const char *path, const char *lint_name) {
    test_sh(NULL, "cp '%s' '%s/%s.json'", path, s->lint_dir, lint_name);
}

void test_service_check_golden(const test_service *s, const char *path, const char *name) {
    char *golden = test_strf("%s/%s.template.json", s->golden_dir, name);
    char *got = test_read_file(path, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(got);
    const char *update = getenv("SPARTA_UPDATE_GOLDEN");
    if (update && *update && strcmp(update, "0") != 0) {
        CU_ASSERT_EQUAL(test_write_file(golden, got), 0);
    } else {
        char *want = test_read_file(golden, NULL);
        if (!want || strcmp(want, got) != 0) {
            /* The service directory goes with the suite: keep what differs. */
            test_sh(NULL, "mkdir -p /tmp/sparta-golden && cp '%s' /tmp/sparta-golden/%s.template.json", path, name);
            fprintf(stderr,
                    "\n%s differs from the golden file: diff %s /tmp/sparta-golden/%s.template.json "
                    "(SPARTA_UPDATE_GOLDEN=1 rewrites it)\n",
                    path, golden, name);
        }
        CU_ASSERT(want && strcmp(want, got) == 0);
        free(want);
    }
    free(got);
    free(golden);
}

void test_service_lint(const test_service *s) {
    char *out = NULL;
    int rc = test_sh(&out, "cfn-lint -f parseable '%s'/*.json", s->lint_dir);
    /* cfn-lint's exit status is a bit set: 2 errors, 4 warnings, 8 infos. */
    if (rc & 2) fprintf(stderr, "\ncfn-lint:\n%s\n", out ? out : "");
    CU_ASSERT_EQUAL(rc & 2, 0);
    CU_ASSERT(rc != 1 && rc != 127);
    free(out);
}
