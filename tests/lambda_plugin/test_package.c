/* Archives: deterministic bytes, executable bootstrap, content-addressed keys. */
#include <stdlib.h>
#include <string.h>

#include "lp_support.h"
#include "test_lambda_plugin.h"
#include "test_support.h"

static const char *two_functions =
    "lambda = { functions = (\n"
    "  { name = \"hello\"; code = \"hello\"; },\n"
    "  { name = \"world\"; code = \"world\"; },\n"
    "  { name = \"single\"; code = \"worker\"; },\n"
    "  { name = \"py\"; runtime = \"python3.13\"; handler = \"app.handler\"; code = \"app.py\"; } ); };\n";

void test_archive_deterministic(void) {
    char *dir = lp_service_new();
    lp_write_config(dir, "pkg", two_functions);
    char *out1 = test_strf("%s/out1", dir), *out2 = test_strf("%s/out2", dir), *out3 = test_strf("%s/out3", dir);
    lp_result a = lp_provision(dir, out1);
    lp_result b = lp_provision(dir, out2);
    CU_ASSERT_EQUAL_FATAL(a.status, 0);
    CU_ASSERT_EQUAL_FATAL(b.status, 0);
    /* New mtimes on every source change nothing. */
    CU_ASSERT_EQUAL(test_sh(NULL, "cd '%s' && touch -d '2031-02-03 04:05:06' hello/bootstrap world/bootstrap worker app.py",
                            dir), 0);
    lp_result c = lp_provision(dir, out3);
    CU_ASSERT_EQUAL_FATAL(c.status, 0);
    const char *names[] = {"hello", "world", "single", "py"};
    for (size_t i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL(test_sh(NULL, "cmp '%s/%s.zip' '%s/%s.zip'", out1, names[i], out2, names[i]), 0);
        CU_ASSERT_EQUAL(test_sh(NULL, "cmp '%s/%s.zip' '%s/%s.zip'", out1, names[i], out3, names[i]), 0);
    }
    CU_ASSERT_STRING_EQUAL(a.template_json, c.template_json);
    lp_lint_add("packages", a.template_json);
    lp_result_free(&a);
    lp_result_free(&b);
    lp_result_free(&c);
    free(out1);
    free(out2);
    free(out3);
    test_rmtree(dir);
    free(dir);
}

void test_archive_modes(void) {
    if (test_sh(NULL, "command -v zipinfo") != 0) {
        CU_FAIL("zipinfo (unzip package) is needed to check archive modes");
        return;
    }
    char *dir = lp_service_new();
    lp_write_config(dir, "pkg", two_functions);
    char *out = test_strf("%s/out", dir);
    lp_result r = lp_provision(dir, out);
    CU_ASSERT_EQUAL_FATAL(r.status, 0);
    char *listing = NULL;
    /* A directory's bootstrap keeps 0755. */
    test_sh(&listing, "zipinfo '%s/hello.zip'", out);
    TEST_ASSERT_CONTAINS(listing, "-rwxr-xr-x");
    TEST_ASSERT_CONTAINS(listing, " bootstrap");
    CU_ASSERT_EQUAL(lp_count(listing, "\n-"), 1);
    free(listing);
    /* A single file for a provided.* runtime becomes an executable bootstrap. */
    test_sh(&listing, "zipinfo -1 '%s/single.zip'; zipinfo '%s/single.zip' bootstrap", out, out);
    CU_ASSERT_EQUAL(strncmp(listing, "bootstrap\n", 10), 0);
    TEST_ASSERT_CONTAINS(listing, "-rwxr-xr-x");
    free(listing);
    /* A managed runtime's single file keeps its name and its mode. */
    test_sh(&listing, "zipinfo -1 '%s/py.zip'; zipinfo '%s/py.zip' app.py", out, out);
    CU_ASSERT_EQUAL(strncmp(listing, "app.py\n", 7), 0);
    TEST_ASSERT_CONTAINS(listing, "-rw-r--r--");
    free(listing);
    /* The archive holds exactly the source bytes. */
    test_sh(&listing, "unzip -p '%s/single.zip' bootstrap | cmp - '%s/worker' && echo same", out, dir);
    TEST_ASSERT_CONTAINS(listing, "same");
    free(listing);
    lp_result_free(&r);
    free(out);
    test_rmtree(dir);
    free(dir);
}

/* Changing one function's code changes only that function's S3 key. */
void test_archive_key_changes_alone(void) {
    char *dir = lp_service_new();
    lp_write_config(dir, "pkg", two_functions);
    char *out1 = test_strf("%s/out1", dir), *out2 = test_strf("%s/out2", dir);
    lp_result a = lp_provision(dir, out1);
    CU_ASSERT_EQUAL_FATAL(a.status, 0);
    char *world = test_strf("%s/world/bootstrap", dir);
    test_write_file(world, "#!/bin/sh\necho changed world\n");
    free(world);
    lp_result b = lp_provision(dir, out2);
    CU_ASSERT_EQUAL_FATAL(b.status, 0);
    const char *ids[] = {"HelloFunction", "WorldFunction", "SingleFunction", "PyFunction"};
    for (size_t i = 0; i < 4; i++) {
        char *ka = lp_s3_key(a.template_json, ids[i]), *kb = lp_s3_key(b.template_json, ids[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ka);
        CU_ASSERT_PTR_NOT_NULL_FATAL(kb);
        if (i == 1) CU_ASSERT_STRING_NOT_EQUAL(ka, kb) else CU_ASSERT_STRING_EQUAL(ka, kb);
        /* The key is <stack>/<archive>-<sha256>.zip. */
        char *prefix = test_strf("pkg/%s-", i == 0 ? "hello" : i == 1 ? "world" : i == 2 ? "single" : "py");
        CU_ASSERT_EQUAL(strncmp(kb, prefix, strlen(prefix)), 0);
        CU_ASSERT_EQUAL(strlen(kb), strlen(prefix) + 64 + 4);
        free(prefix);
        free(ka);
        free(kb);
    }
    /* Everything else in the template is the same. */
    char *ka = lp_s3_key(a.template_json, "WorldFunction"), *kb = lp_s3_key(b.template_json, "WorldFunction");
    char *pa = strstr(a.template_json, ka);
    memcpy(pa, kb, strlen(kb));
    CU_ASSERT_STRING_EQUAL(a.template_json, b.template_json);
    free(ka);
    free(kb);
    lp_result_free(&a);
    lp_result_free(&b);
    free(out1);
    free(out2);
    test_rmtree(dir);
    free(dir);
}

/* A shared package cannot hold two different single files as bootstrap. */
void test_archive_shared_conflict(void) {
    char *dir = lp_service_new();
    char *message = lp_error(dir, "pkg",
                             "lambda = { package = \"shared\"; functions = (\n"
                             "  { name = \"a\"; code = \"worker\"; },\n"
                             "  { name = \"b\"; code = \"hello/bootstrap\"; } ); };\n");
    TEST_ASSERT_CONTAINS(message, "sparta.cfg:5: lambda.functions.[1].code: functions 'a' and 'b' both put a "
                                  "different 'bootstrap' into the shared package");
    free(message);
    message = lp_error(dir, "pkg", "lambda = { package = \"zip\"; };\n");
    TEST_ASSERT_CONTAINS(message, "sparta.cfg:3: lambda.package: 'zip' is not allowed: use one of function, shared");
    free(message);
    test_rmtree(dir);
    free(dir);
}
