#include "lp_support.h"

#include <sparta/sparta.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test_support.h"

static char *lint_dir;
static size_t lint_count;

static void write_mode(const char *dir, const char *name, const char *text, mode_t mode) {
    char *path = test_strf("%s/%s", dir, name);
    CU_ASSERT_EQUAL_FATAL(test_write_file(path, text), 0);
    chmod(path, mode);
    free(path);
}

char *lp_service_new(void) {
    char *dir = test_tmpdir();
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    CU_ASSERT_EQUAL_FATAL(test_sh(NULL, "cd '%s' && mkdir hello world bin nobootstrap", dir), 0);
    write_mode(dir, "hello/bootstrap", "#!/bin/sh\necho hello\n", 0755);
    write_mode(dir, "world/bootstrap", "#!/bin/sh\necho world\n", 0755);
    write_mode(dir, "bin/bootstrap", "#!/bin/sh\necho \"$_HANDLER\"\n", 0755);
    write_mode(dir, "worker", "#!/bin/sh\necho worker\n", 0755);
    write_mode(dir, "app.py", "def handler(event, context):\n    return {'ok': True}\n", 0644);
    write_mode(dir, "plain", "#!/bin/sh\necho not executable\n", 0644);
    write_mode(dir, "nobootstrap/readme.txt", "no bootstrap here\n", 0644);
    return dir;
}

void lp_write_config(const char *dir, const char *service, const char *lambda_text) {
    char *path = test_strf("%s/sparta.cfg", dir);
    char *text = test_strf("service = { name = \"%s\"; s3Bucket = \"artifacts-bucket\"; };\n"
                           "plugins = { enabled = [ \"lambda\" ]; };\n%s",
                           service, lambda_text);
    CU_ASSERT_EQUAL_FATAL(test_write_file(path, text), 0);
    free(text);
    free(path);
}

void lp_copy_config(const char *dir, const char *name) {
    CU_ASSERT_EQUAL_FATAL(test_sh(NULL, "cp '%s/tests/lambda_plugin/configs/%s.cfg' '%s/sparta.cfg'", SPARTA_SOURCE_DIR,
                                  name, dir),
                          0);
}

typedef struct sink {
    char *text;
    size_t length;
} sink;

static void log_line(void *user_data, sparta_log_level level, const char *line) {
    (void)level;
    sink *s = user_data;
    size_t n = strlen(line);
    char *grown = realloc(s->text, s->length + n + 2);
    if (!grown) return;
    s->text = grown;
    memcpy(s->text + s->length, line, n);
    s->length += n;
    s->text[s->length++] = '\n';
    s->text[s->length] = '\0';
}

static void quiet_print(void *user_data, const char *text, size_t length) {
    (void)user_data;
    (void)text;
    (void)length;
}

lp_result lp_provision(const char *dir, const char *out_dir) {
    lp_result r = {0, NULL, NULL, NULL};
    sink logs = {NULL, 0};
    char *cfg = test_strf("%s/sparta.cfg", dir);
    sparta_options o = SPARTA_OPTIONS_INIT;
    o.config_path = cfg;
    o.log = log_line;
    o.log_user_data = &logs;
    o.print = quiet_print;
    sparta_host *h = NULL;
    CU_ASSERT_EQUAL_FATAL(sparta_host_new(&h, &o), 0);
    const char *argv[] = {"provision", "--noop", "--outputDir", out_dir};
    r.status = sparta_host_run(h, 4, argv);
    const sparta_error *e = sparta_host_last_error(h);
    r.error = strdup(r.status == 0 ? "" : (e && e->message ? e->message : "(no message)"));
    r.log = logs.text ? logs.text : strdup("");
    if (r.status == 0) {
        /* The template is named after the stack, which is the service name here. */
        char *cmd_out = NULL;
        test_sh(&cmd_out, "ls '%s'/*.template.json", out_dir);
        if (cmd_out) {
            char *nl = strchr(cmd_out, '\n');
            if (nl) *nl = '\0';
            r.template_json = test_read_file(cmd_out, NULL);
        }
        free(cmd_out);
    }
    sparta_host_free(h);
    free(cfg);
    return r;
}

void lp_result_free(lp_result *r) {
    free(r->template_json);
    free(r->error);
    free(r->log);
    memset(r, 0, sizeof *r);
}

char *lp_error(const char *dir, const char *service, const char *lambda_text) {
    lp_write_config(dir, service, lambda_text);
    char *out = test_strf("%s/out", dir);
    lp_result r = lp_provision(dir, out);
    CU_ASSERT_NOT_EQUAL(r.status, 0);
    char *message = r.error;
    r.error = NULL;
    lp_result_free(&r);
    free(out);
    return message;
}

void lp_golden(const char *name, const char *text) {
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    char *path = test_strf("%s/tests/golden/lambda/%s.json", SPARTA_SOURCE_DIR, name);
    const char *update = getenv("SPARTA_UPDATE_GOLDEN");
    if (update && strcmp(update, "1") == 0) {
        CU_ASSERT_EQUAL(test_write_file(path, text), 0);
        fprintf(stderr, "\n  updated %s\n", path);
    } else {
        char *want = test_read_file(path, NULL);
        if (!want) fprintf(stderr, "\n%s is missing: run with SPARTA_UPDATE_GOLDEN=1 to create it\n", path);
        int same = want && strcmp(want, text) == 0;
        if (want && !same) {
            char *got = test_strf("%s.got", path);
            test_write_file(got, text);
            char *diff = NULL;
            test_sh(&diff, "diff -u '%s' '%s' | head -40", path, got);
            fprintf(stderr, "\ngolden %s differs (got: %s; regenerate with SPARTA_UPDATE_GOLDEN=1):\n%s\n", name,
                    got, diff ? diff : "");
            free(diff);
            free(got);
        }
        CU_ASSERT(same);
        free(want);
    }
    free(path);
}

void lp_lint_add(const char *name, const char *text) {
    if (!text) return;
    if (!lint_dir) lint_dir = test_tmpdir();
    char *path = test_strf("%s/%02zu-%s.json", lint_dir, lint_count++, name);
    CU_ASSERT_EQUAL(test_write_file(path, text), 0);
    free(path);
}

void lp_lint_all(void) {
    if (test_sh(NULL, "command -v cfn-lint") != 0) {
        CU_FAIL("cfn-lint is not installed: the lambda plugin suite lints every template it writes");
        fprintf(stderr, "\ncfn-lint not found on PATH: install cfn-lint to run this suite\n");
        return;
    }
    CU_ASSERT_PTR_NOT_NULL_FATAL(lint_dir);
    CU_ASSERT(lint_count >= 3);
    char *rules = test_strf("%s/rules.txt", lint_dir);
    test_write_file(rules, "AWS::IAM::Role Policies.PolicyDocument.Statement.Action NOT_EQUALS \"*\" ERROR "
                           "\"no wildcard actions\"\n");
    char *output = NULL;
    int status = test_sh(&output, "cd '%s' && cfn-lint -f parseable -z rules.txt -- *.json", lint_dir);
    /* Exit status is a bit mask: 2 errors, 4 warnings. Only the template
     * with a user-written wildcard (named *-wildcard.json) may fail, and
     * only on the custom rule: that proves the rule is live. */
    size_t wildcard_hits = 0, other = 0;
    for (char *line = output, *next; line && *line; line = next) {
        next = strchr(line, '\n');
        if (next) *next++ = '\0';
        if (!*line) continue;
        if (strstr(line, "-wildcard.json:") && strstr(line, ":E9001:no wildcard actions")) {
            wildcard_hits++;
        } else {
            other++;
            fprintf(stderr, "\ncfn-lint: %s\n", line);
        }
    }
    CU_ASSERT(status >= 0 && (status & 1) == 0);
    CU_ASSERT_EQUAL(other, 0);
    CU_ASSERT(wildcard_hits >= 1);
    free(output);
    free(rules);
}

void lp_cleanup(void) {
    test_rmtree(lint_dir);
    free(lint_dir);
    lint_dir = NULL;
}

char *lp_s3_key(const char *template_json, const char *function_id) {
    char *anchor = test_strf("\"%s\": {", function_id);
    const char *p = strstr(template_json, anchor);
    free(anchor);
    if (!p) return NULL;
    p = strstr(p, "\"S3Key\": \"");
    if (!p) return NULL;
    p += strlen("\"S3Key\": \"");
    const char *end = strchr(p, '"');
    return end ? strndup(p, (size_t)(end - p)) : NULL;
}

size_t lp_count(const char *haystack, const char *needle) {
    size_t n = 0;
    for (const char *p = haystack ? strstr(haystack, needle) : NULL; p; p = strstr(p + 1, needle)) n++;
    return n;
}
