/* The sparta tool end to end: built-in commands, global flags, usage errors,
 * help, completion and provision --noop, run as a user runs them. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test_support.h"

#define FIXTURES SPARTA_BINARY_DIR "/tests/abi/fixtures"

static char *dir;

static char *service_dir(const char *config_body) {
    test_rmtree(dir);
    free(dir);
    dir = test_tmpdir();
    chmod(dir, 0755);
    test_sh(NULL, "mkdir -p '%s/plugins' && cp '%s/good.so' '%s/plugins/' && chmod 755 '%s/plugins'", dir, FIXTURES,
            dir, dir);
    char *cfg = test_strf("%s/sparta.cfg", dir);
    test_write_file(cfg, config_body);
    free(cfg);
    return dir;
}

static int sparta(char **out, const char *args) {
    return test_sh(out, "cd '%s' && '%s' --nocolor %s", dir ? dir : "/tmp", test_sparta_bin(), args);
}

static const char *good_cfg = "service = { name = \"clidemo\"; description = \"CLI test\"; };\n"
                              "plugins = { path = [ \"plugins\" ]; enabled = [ \"good\" ]; };\n"
                              "good = { topic = \"news\"; };\n";

static void test_version(void) {
    char *out = NULL;
    CU_ASSERT_EQUAL(sparta(&out, "version"), 0);
    TEST_ASSERT_CONTAINS(out, "sparta 0.1.0");
    TEST_ASSERT_CONTAINS(out, "plugin ABI:  1.");
    TEST_ASSERT_CONTAINS(out, "git SHA:");
    free(out);
    CU_ASSERT_EQUAL(sparta(&out, "version --format json"), 0);
    CU_ASSERT_EQUAL(test_sh(NULL, "echo '%s' | python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"abi\"].startswith(\"1.\")'", out), 0);
    free(out);
}

static void test_unknown_command_suggests(void) {
    char *out = NULL;
    service_dir(good_cfg);
    CU_ASSERT_EQUAL(sparta(&out, "provison --noop"), 2);
    TEST_ASSERT_CONTAINS(out, "provison");
    TEST_ASSERT_CONTAINS(out, "provision");
    free(out);
    CU_ASSERT_EQUAL(sparta(&out, "provision --s3bucket x --noop"), 2);
    TEST_ASSERT_CONTAINS(out, "--s3Bucket");
    free(out);
}

static void test_help_lists_plugin_commands(void) {
    char *out = NULL;
    service_dir(good_cfg);
    CU_ASSERT_EQUAL(sparta(&out, "--help"), 0);
    TEST_ASSERT_CONTAINS(out, "provision");
    TEST_ASSERT_CONTAINS(out, "goodHello");
    free(out);
    CU_ASSERT_EQUAL(sparta(&out, "help provision"), 0);
    TEST_ASSERT_CONTAINS(out, "--s3Bucket");
    TEST_ASSERT_CONTAINS(out, "--noop");
    free(out);
}

static void test_plugins_listing(void) {
    char *out = NULL;
    service_dir(good_cfg);
    CU_ASSERT_EQUAL(sparta(&out, "plugins"), 0);
    TEST_ASSERT_CONTAINS(out, "good 1.2.3 (ABI 1.");
    TEST_ASSERT_CONTAINS(out, "commands: goodHello");
    TEST_ASSERT_CONTAINS(out, "hooks:    BUILD(0)");
    free(out);
    CU_ASSERT_EQUAL(sparta(&out, "plugins --format json"), 0);
    CU_ASSERT_EQUAL(test_sh(NULL, "echo '%s' | python3 -c 'import json,sys; d=json.load(sys.stdin); "
                                  "assert d[0][\"name\"]==\"good\" and d[0][\"commands\"]==[\"goodHello\"]'", out), 0);
    free(out);
}

static void test_completion_scripts(void) {
    char *out = NULL;
    service_dir(good_cfg);
    CU_ASSERT_EQUAL(sparta(&out, "completion bash > completion.bash && bash -n completion.bash && cat completion.bash"), 0);
    TEST_ASSERT_CONTAINS(out, "goodHello");
    free(out);
    CU_ASSERT_EQUAL(sparta(&out, "completion zsh"), 0);
    TEST_ASSERT_CONTAINS(out, "provision");
    free(out);
    CU_ASSERT_EQUAL(sparta(&out, "completion fish"), 0);
    TEST_ASSERT_CONTAINS(out, "goodHello");
    free(out);
    CU_ASSERT_NOT_EQUAL(sparta(&out, "completion tcsh"), 0);
    free(out);
}

static void test_provision_noop_writes_template(void) {
    char *out = NULL;
    service_dir(good_cfg);
    CU_ASSERT_EQUAL(sparta(&out, "provision --noop --outputDir out"), 0);
    TEST_ASSERT_CONTAINS(out, "out/clidemo.template.json");
    free(out);
    char *path = test_strf("%s/out/clidemo.template.json", dir);
    char *first = test_read_file(path, NULL);
    TEST_ASSERT_CONTAINS(first, "\"TopicName\": \"news\"");
    TEST_ASSERT_CONTAINS(first, "\"Description\": \"CLI test\"");
    /* Byte-identical on a second run. */
    CU_ASSERT_EQUAL(sparta(NULL, "provision --noop --outputDir out"), 0);
    char *second = test_read_file(path, NULL);
    CU_ASSERT_STRING_EQUAL(first, second);
    /* The template passes cfn-lint with no errors. */
    CU_ASSERT_EQUAL(test_sh(&out, "cfn-lint -f parseable '%s'", path) & 2, 0);
    free(out);
    free(first);
    free(second);
    free(path);
}

static void test_validate_reports_config_errors(void) {
    char *out = NULL;
    service_dir("service = { name = \"x\"; colour = 3; };\n"
                "plugins = { path = [ \"plugins\" ]; enabled = [ \"good\" ]; };\n"
                "good = { topic = 7; };\nlambdaa = { };\n");
    CU_ASSERT_EQUAL(sparta(&out, "validate"), 1);
    TEST_ASSERT_CONTAINS(out, "sparta.cfg has 3 problems");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:1: service.colour: unknown key 'colour'");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:3: good.topic: expected a string, found an integer");
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:4: lambdaa: no enabled plugin is named 'lambdaa'");
    free(out);
}

static void test_malformed_config(void) {
    char *out = NULL;
    service_dir("service = { name = \"x\" };\nplugins = ;\n");
    CU_ASSERT_EQUAL(sparta(&out, "validate"), 1);
    TEST_ASSERT_CONTAINS(out, "sparta.cfg:");
    TEST_ASSERT_CONTAINS(out, "syntax error");
    free(out);
    CU_ASSERT_EQUAL(sparta(&out, "--config nowhere.cfg validate"), 1);
    TEST_ASSERT_CONTAINS(out, "nowhere.cfg: cannot read the config file");
    free(out);
    CU_ASSERT_EQUAL(sparta(&out, "--level loud version"), 2);
    TEST_ASSERT_CONTAINS(out, "--level 'loud' is not a level");
    free(out);
}

static void test_json_logs(void) {
    char *out = NULL;
    service_dir(good_cfg);
    CU_ASSERT_EQUAL(sparta(&out, "--format json provision --noop 2>&1 >/dev/null | head -1"), 0);
    TEST_ASSERT_CONTAINS(out, "{\"level\":\"info\",\"msg\":\"Template written\"");
    free(out);
}

static void test_output_dir_not_writable(void) {
    char *out = NULL;
    service_dir(good_cfg);
    test_sh(NULL, "touch '%s/blocker'", dir);
    CU_ASSERT_EQUAL(sparta(&out, "provision --noop --outputDir blocker/sub"), 1);
    TEST_ASSERT_CONTAINS(out, "cannot create the output directory blocker/sub");
    free(out);
}

static void test_readme_examples_validate(void) {
    char *out = NULL;
    /* A build of a plugin subset (-DSPARTA_PLUGINS=...) cannot read every group. */
    static const char *const needed[] = {"lambda", "dashboard", "rollback", "codebuild", "codepipeline"};
    for (size_t i = 0; i < sizeof needed / sizeof *needed; i++) {
        if (test_sh(NULL, "test -f '%s/%s.so'", SPARTA_BUILD_PLUGIN_DIR, needed[i]) != 0) {
            fprintf(stderr, "(%s.so not built: README examples not checked) ", needed[i]);
            return;
        }
    }
    service_dir(good_cfg);
    CU_ASSERT_EQUAL_FATAL(test_sh(&out, "python3 '%s/tests/tools/readme_config.py' '%s/README.md' '%s/sparta.cfg'",
                                  SPARTA_SOURCE_DIR, SPARTA_SOURCE_DIR, dir), 0);
    free(out);
    test_sh(NULL, "mkdir -p '%s/build' && printf '#!/bin/sh\\n' > '%s/build/bootstrap' && chmod 755 '%s/build/bootstrap'",
            dir, dir, dir);
    int rc = sparta(&out, "validate");
    if (rc != 0) fprintf(stderr, "\n%s\n", out);
    CU_ASSERT_EQUAL(rc, 0);
    TEST_ASSERT_CONTAINS(out, "sparta.cfg: valid");
    free(out);
}

int main(void) {
    static const test_case cases[] = {
        {"version", test_version},
        {"unknown command and flag suggest", test_unknown_command_suggests},
        {"help lists plugin commands", test_help_lists_plugin_commands},
        {"plugins listing, text and json", test_plugins_listing},
        {"completion scripts", test_completion_scripts},
        {"provision --noop writes a deterministic, linted template", test_provision_noop_writes_template},
        {"validate reports every config error", test_validate_reports_config_errors},
        {"malformed config and bad flags", test_malformed_config},
        {"json logs", test_json_logs},
        {"output dir not writable", test_output_dir_not_writable},
        {"the README's sparta.cfg examples validate", test_readme_examples_validate},
        {NULL, NULL}};
    int rc = test_main("cli", cases);
    test_rmtree(dir);
    free(dir);
    return rc;
}
