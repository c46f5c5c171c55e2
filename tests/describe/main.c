#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <json-c/json.h>

#include "describe_tests.h"

static void write_mode(const char *dir, const char *name, const char *text, mode_t mode) {
    char *path = test_strf("%s/%s", dir, name);
    CU_ASSERT_EQUAL_FATAL(test_write_file(path, text), 0);
    chmod(path, mode);
    free(path);
}

int describe_have_lambda(void) {
    static int said;
    struct stat st;
    if (stat(LAMBDA_PLUGIN, &st) == 0) return 1;
    if (!said++) printf("\n  (the lambda plugin is not built at %s: its parts are skipped)\n", LAMBDA_PLUGIN);
    return 0;
}

/* Three functions with event sources: a rule, a queue, a topic, a schedule
 * and a bucket; or `functions` plain functions sharing one archive. */
char *describe_service(int lambda, size_t functions) {
    char *dir = test_tmpdir();
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
    chmod(dir, 0755);
    char *cfg = NULL;
    if (!lambda) {
        CU_ASSERT_EQUAL_FATAL(test_sh(NULL, "mkdir -p '%s/plugins' && cp '%s/good.so' '%s/other.so' '%s/plugins/'",
                                      dir, ABI_FIXTURES, ABI_FIXTURES, dir),
                              0);
        cfg = test_strf("service = { name = \"fixture\"; description = \"ABI fixture service\"; };\n"
                        "plugins = { path = [ \"plugins\" ]; enabled = [ \"good\" ]; };\n"
                        "good = { topic = \"news\"; };\n");
    } else if (functions == 0) {
        CU_ASSERT_EQUAL_FATAL(test_sh(NULL, "mkdir -p '%s/api' '%s/worker'", dir, dir), 0);
        write_mode(dir, "api/bootstrap", "#!/bin/sh\necho api\n", 0755);
        write_mode(dir, "worker/bootstrap", "#!/bin/sh\necho worker\n", 0755);
        write_mode(dir, "report.py", "def handler(event, context):\n    return {'ok': True}\n", 0644);
        cfg = test_strf(
            "service = { name = \"orders\"; description = \"Orders: an API, a queue worker and a nightly report\"; };\n"
            "plugins = { enabled = [ \"lambda\" ]; };\n"
            "lambda = {\n"
            "  parameters = { Stage = \"dev\"; };\n"
            "  defaults = { memory = 256; logRetentionDays = 14; environment = { STAGE = \"${Stage}\"; }; };\n"
            "  functions = (\n"
            "    { name = \"api\"; code = \"api\"; description = \"Takes \\\"orders\\\" from the web\";\n"
            "      events = ( { eventBridge = { pattern = { source = [ \"orders.web\" ]; }; }; } ); },\n"
            "    { name = \"worker\"; code = \"worker\"; dependsOn = [ \"api\" ];\n"
            "      events = ( { sqs = { queue = \"orders-jobs\"; batchSize = 5; }; },\n"
            "                 { sns = { topic = \"order-alerts\"; }; } ); },\n"
            "    { name = \"report\"; runtime = \"python3.12\"; handler = \"report.handler\"; code = \"report.py\";\n"
            "      events = ( { schedule = \"cron(0 2 * * ? *)\"; },\n"
            "                 { s3 = { bucket = \"orders-reports-bucket\"; suffix = \".csv\"; }; } ); }\n"
            "  );\n"
            "};\n");
    } else {
        CU_ASSERT_EQUAL_FATAL(test_sh(NULL, "mkdir -p '%s/fn'", dir), 0);
        write_mode(dir, "fn/bootstrap", "#!/bin/sh\necho fn\n", 0755);
        char *list = strdup("");
        for (size_t i = 0; i < functions; i++) {
            char *next = test_strf("%s%s    { name = \"fn%03zu\"; code = \"fn\"; }", list, i ? ",\n" : "", i);
            free(list);
            list = next;
        }
        cfg = test_strf("service = { name = \"big\"; };\nplugins = { enabled = [ \"lambda\" ]; };\n"
                        "lambda = { package = \"shared\"; functions = (\n%s\n  ); };\n",
                        list);
        free(list);
    }
    write_mode(dir, "sparta.cfg", cfg, 0644);
    free(cfg);
    return dir;
}

char **describe_template_ids(const char *template_path) {
    json_object *t = json_object_from_file(template_path);
    CU_ASSERT_PTR_NOT_NULL(t);
    size_t count = 0, cap = 16;
    char **ids = calloc(cap, sizeof *ids);
    static const char *const sections[] = {"Parameters", "Resources", "Outputs"};
    for (int s = 0; t && s < 3; s++) {
        json_object *section = NULL;
        if (!json_object_object_get_ex(t, sections[s], &section)) continue;
        json_object_object_foreach(section, key, value) {
            (void)value;
            if (count + 2 > cap) ids = realloc(ids, (cap *= 2) * sizeof *ids);
            ids[count++] = strdup(key);
            ids[count] = NULL;
        }
    }
    json_object_put(t);
    return ids;
}

void describe_ids_free(char **ids) {
    for (size_t i = 0; ids && ids[i]; i++) free(ids[i]);
    free(ids);
}

size_t describe_missing(const char *text, char **ids, const char *what) {
    size_t missing = 0;
    for (size_t i = 0; ids && ids[i]; i++) {
        if (text && strstr(text, ids[i])) continue;
        if (missing++ < 5) fprintf(stderr, "\n  %s: logical ID %s is missing", what, ids[i]);
    }
    return missing;
}

/* Sanitizer builds: Graphviz's own leaks are not ours (see data/lsan.supp,
 * which the sparta processes this suite starts read through LSAN_OPTIONS). */
__attribute__((visibility("default"), used)) const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) {
    return "leak:libgvc.so\nleak:libcgraph.so\nleak:libcdt.so\nleak:libgvplugin_\nleak:libpango\n"
           "leak:libfontconfig\nleak:libcairo\n";
}

int main(void) {
    const char *lsan = getenv("LSAN_OPTIONS");
    char *options = test_strf("%s%ssuppressions=%s", lsan ? lsan : "", lsan && *lsan ? ":" : "",
                              DESCRIBE_DATA "/lsan.supp");
    setenv("LSAN_OPTIONS", options, 1);
    free(options);
    size_t n = 0;
    const test_case *lists[] = {describe_model_cases, describe_output_cases, describe_command_cases,
                                describe_browser_cases};
    for (size_t l = 0; l < 4; l++)
        for (const test_case *c = lists[l]; c->name; c++) n++;
    test_case *all = calloc(n + 1, sizeof *all);
    n = 0;
    for (size_t l = 0; l < 4; l++)
        for (const test_case *c = lists[l]; c->name; c++) all[n++] = *c;
    int rc = test_main("describe", all);
    free(all);
    return rc;
}
