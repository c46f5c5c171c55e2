/* `sparta describe` run as a user runs it: every format, the lambda plugin's
 * service, a template file, 150 functions, and every way it can fail. */
#include <glob.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "builtin/builtin.h"
#include "command/command.h"
#include "describe_tests.h"

static int sparta_in(const char *dir, char **out, const char *args) {
    return test_sh(out, "cd '%s' && '%s' --nocolor %s", dir, test_sparta_bin(), args);
}

static int exists(const char *dir, const char *name) {
    char *path = test_strf("%s/%s", dir, name);
    struct stat st;
    int ok = stat(path, &st) == 0;
    free(path);
    return ok;
}

static char *read_in(const char *dir, const char *name) {
    char *path = test_strf("%s/%s", dir, name);
    char *text = test_read_file(path, NULL);
    free(path);
    return text;
}

/* No temporary file of ours anywhere under dir. */
static void assert_no_leftovers(const char *dir) {
    char *out = NULL;
    test_sh(&out, "find '%s' -name '.*.html.*' -o -name '.*.dot.*' -o -name '.*.svg.*' -o -name '.*.json.*'", dir);
    CU_ASSERT_STRING_EQUAL(out, "");
    free(out);
}

static double seconds_since(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static json_object *json_in(const char *dir, const char *name) {
    char *path = test_strf("%s/%s", dir, name);
    json_object *j = json_object_from_file(path);
    if (!j) fprintf(stderr, "\n  %s is not JSON\n", path);
    free(path);
    return j;
}

static json_object *node_named(json_object *model, const char *id) {
    json_object *nodes = json_object_object_get(model, "nodes");
    for (size_t i = 0; i < json_object_array_length(nodes); i++) {
        json_object *n = json_object_array_get_idx(nodes, i);
        if (strcmp(json_object_get_string(json_object_object_get(n, "id")), id) == 0) return n;
    }
    return NULL;
}

static size_t distinct_groups(json_object *model) {
    json_object *nodes = json_object_object_get(model, "nodes");
    size_t n = 0;
    for (size_t i = 0; i < json_object_array_length(nodes); i++) {
        json_object *node = json_object_array_get_idx(nodes, i);
        if (strcmp(json_object_get_string(json_object_object_get(node, "type")), "AWS::Lambda::Function") == 0 &&
            json_object_get_type(json_object_object_get(node, "group")) == json_type_string)
            n++;
    }
    return n;
}

static void test_fixture_service_every_format(void) {
    char *dir = describe_service(0, 0), *out = NULL;
    CU_ASSERT_EQUAL(sparta_in(dir, &out, "describe"), 0);
    TEST_ASSERT_CONTAINS(out, ".sparta/fixture.html");
    free(out);
    char *html = read_in(dir, ".sparta/fixture.html");
    CU_ASSERT_PTR_NOT_NULL_FATAL(html);
    TEST_ASSERT_CONTAINS(html, "<title>FixtureTopic</title>");
    TEST_ASSERT_CONTAINS(html, "ABI fixture service");
    free(html);

    CU_ASSERT_EQUAL(sparta_in(dir, NULL, "describe --out graph.dot"), 0);
    char *dot = read_in(dir, "graph.dot");
    CU_ASSERT_PTR_NOT_NULL_FATAL(dot);
    CU_ASSERT_EQUAL(strncmp(dot, "digraph \"fixture\" {", 19), 0);
    TEST_ASSERT_CONTAINS(dot, "  \"FixtureTopic\" [id=\"node_0\", label=\"FixtureTopic\\nSNS::Topic\"");
    free(dot);

    CU_ASSERT_EQUAL(sparta_in(dir, NULL, "describe --out graph.svg"), 0);
    char *svg = read_in(dir, "graph.svg");
    CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
    TEST_ASSERT_CONTAINS(svg, "<svg");
    TEST_ASSERT_CONTAINS(svg, "<title>FixtureTopic</title>");
    free(svg);

    /* --format json (the global flag) picks JSON; the file is named for it. */
    CU_ASSERT_EQUAL(sparta_in(dir, NULL, "describe --format json"), 0);
    json_object *model = json_in(dir, ".sparta/fixture.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(model);
    json_object *topic = node_named(model, "FixtureTopic");
    CU_ASSERT_PTR_NOT_NULL(topic);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(topic, "service")), "Messaging");
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(model, "stack")), "fixture");
    json_object_put(model);

    /* --out - writes to standard output; --stackName names the stack. */
    CU_ASSERT_EQUAL(sparta_in(dir, &out, "describe --format json --out - --stackName other 2>/dev/null"), 0);
    json_object *piped = json_tokener_parse(out);
    CU_ASSERT_PTR_NOT_NULL(piped);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(piped, "stack")), "other");
    json_object_put(piped);
    free(out);
    CU_ASSERT_EQUAL(sparta_in(dir, NULL, "describe --stack-name other"), 0);
    CU_ASSERT(exists(dir, ".sparta/other.html"));

    CU_ASSERT_EQUAL(sparta_in(dir, &out, "help describe"), 0);
    TEST_ASSERT_CONTAINS(out, "--out");
    TEST_ASSERT_CONTAINS(out, "--template");
    TEST_ASSERT_CONTAINS(out, "--stackName");
    TEST_ASSERT_CONTAINS(out, "--s3Bucket");
    free(out);
    assert_no_leftovers(dir);
    test_rmtree(dir);
    free(dir);
}

/* An event source points at its function. */
static int points_at_function(json_object *model, const char *type) {
    json_object *nodes = json_object_object_get(model, "nodes"), *edges = json_object_object_get(model, "edges");
    int sources = 0, pointing = 0;
    for (size_t i = 0; i < json_object_array_length(nodes); i++) {
        json_object *n = json_object_array_get_idx(nodes, i);
        if (strcmp(json_object_get_string(json_object_object_get(n, "type")), type) != 0) continue;
        sources++;
        const char *id = json_object_get_string(json_object_object_get(n, "id"));
        for (size_t e = 0; e < json_object_array_length(edges); e++) {
            json_object *edge = json_object_array_get_idx(edges, e);
            json_object *target = node_named(model, json_object_get_string(json_object_object_get(edge, "to")));
            if (strcmp(json_object_get_string(json_object_object_get(edge, "from")), id) == 0 && target &&
                strcmp(json_object_get_string(json_object_object_get(target, "type")), "AWS::Lambda::Function") == 0) {
                pointing++;
                break;
            }
        }
    }
    if (!sources || pointing != sources)
        fprintf(stderr, "\n  %s: %d sources, %d point at a function\n", type, sources, pointing);
    return sources > 0 && pointing == sources;
}

static void test_lambda_service(void) {
    if (!describe_have_lambda()) return;
    char *dir = describe_service(1, 0), *out = NULL;
    CU_ASSERT_EQUAL_FATAL(sparta_in(dir, &out, "provision --noop --outputDir out --s3Bucket artifacts"), 0);
    free(out);
    char *template_path = test_strf("%s/out/orders.template.json", dir);
    char **ids = describe_template_ids(template_path);
    CU_ASSERT(ids && ids[0] && ids[20]);

    CU_ASSERT_EQUAL(sparta_in(dir, &out, "describe --outputDir out --s3Bucket artifacts --format json"), 0);
    free(out);
    json_object *model = json_in(dir, "out/orders.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(model);
    for (size_t i = 0; ids && ids[i]; i++) CU_ASSERT_PTR_NOT_NULL(node_named(model, ids[i]));
    CU_ASSERT_EQUAL(distinct_groups(model), 3);
    CU_ASSERT(points_at_function(model, "AWS::Events::Rule"));
    CU_ASSERT(points_at_function(model, "AWS::Lambda::EventSourceMapping"));
    CU_ASSERT(points_at_function(model, "AWS::SNS::Subscription"));
    CU_ASSERT(points_at_function(model, "AWS::Lambda::Permission"));
    /* The archives of this synthesis, with their sizes on disk. */
    json_object *archives = json_object_object_get(model, "archives");
    CU_ASSERT(json_object_array_length(archives) >= 1);
    for (size_t i = 0; i < json_object_array_length(archives); i++) {
        json_object *a = json_object_array_get_idx(archives, i);
        struct stat st;
        const char *path = json_object_get_string(json_object_object_get(a, "path"));
        char *full = path[0] == '/' ? strdup(path) : test_strf("%s/%s", dir, path);
        CU_ASSERT_EQUAL(stat(full, &st), 0);
        CU_ASSERT_EQUAL(json_object_get_int64(json_object_object_get(a, "size")), (int64_t)st.st_size);
        CU_ASSERT(json_object_get_int(json_object_object_get(a, "entries")) >= 1);
        free(full);
    }
    json_object_put(model);

    CU_ASSERT_EQUAL(sparta_in(dir, NULL, "describe --outputDir out --s3Bucket artifacts"), 0);
    char *html = read_in(dir, "out/orders.html");
    CU_ASSERT_EQUAL(describe_missing(html, ids, "orders.html"), 0);
    TEST_ASSERT_CONTAINS(html, ".zip</td><td class=\"num\">");
    TEST_ASSERT_CONTAINS(html, "Takes &quot;orders&quot; from the web");
    free(html);
    CU_ASSERT_EQUAL(sparta_in(dir, NULL, "describe --outputDir out --s3Bucket artifacts --out out/orders.dot"), 0);
    char *dot = read_in(dir, "out/orders.dot");
    size_t clusters = 0;
    for (const char *p = dot ? strstr(dot, "subgraph \"cluster_") : NULL; p; p = strstr(p + 1, "subgraph \"cluster_"))
        clusters++;
    CU_ASSERT_EQUAL(clusters, 3);
    TEST_ASSERT_CONTAINS(dot, "label=\"Worker\"");
    free(dot);
    /* No bucket anywhere: describe changes nothing in AWS, so it draws anyway. */
    CU_ASSERT_EQUAL(sparta_in(dir, &out, "describe --outputDir plain"), 0);
    free(out);
    html = read_in(dir, "plain/orders.html");
    TEST_ASSERT_CONTAINS(html, "s3-bucket-not-set");
    free(html);
    assert_no_leftovers(dir);
    describe_ids_free(ids);
    free(template_path);
    test_rmtree(dir);
    free(dir);
}

static void test_template_file(void) {
    char *dir = test_tmpdir(), *out = NULL;
    const char *pipeline = DESCRIBE_DATA "/pipeline.template.json";
    char **ids = describe_template_ids(pipeline);
    /* No sparta.cfg needed. */
    char *args = test_strf("describe --template '%s' --out pipeline.html", pipeline);
    CU_ASSERT_EQUAL(sparta_in(dir, &out, args), 0);
    free(args);
    free(out);
    char *html = read_in(dir, "pipeline.html");
    CU_ASSERT_EQUAL(describe_missing(html, ids, "pipeline.html"), 0);
    TEST_ASSERT_CONTAINS(html, "<title>pipeline · sparta describe</title>");
    TEST_ASSERT_CONTAINS(html, "from " DESCRIBE_DATA "/pipeline.template.json");
    TEST_ASSERT_CONTAINS(html, "AWS::CodePipeline::Pipeline</td><td>CI/CD</td>");
    free(html);

    args = test_strf("describe --template '%s' --format json", pipeline);
    CU_ASSERT_EQUAL(sparta_in(dir, NULL, args), 0);
    free(args);
    json_object *model = json_in(dir, ".sparta/pipeline.json");
    CU_ASSERT_PTR_NOT_NULL_FATAL(model);
    static const char *const expected[][3] = {{"Pipeline", "BuildProject", "DependsOn"},
                                              {"Pipeline", "BuildProject", "Ref"},
                                              {"Pipeline", "PipelineRole", "Fn::GetAtt"},
                                              {"Pipeline", "DeployRole", "Fn::GetAtt"},
                                              {"Pipeline", "RepositoryName", "Ref"},
                                              {"BuildRole", "ArtifactBucket", "Fn::Sub"},
                                              {"ArtifactBucketName", "ArtifactBucket", "Ref"}};
    json_object *edges = json_object_object_get(model, "edges");
    CU_ASSERT_EQUAL(json_object_array_length(edges), 11);
    for (size_t x = 0; x < sizeof expected / sizeof *expected; x++) {
        int found = 0;
        for (size_t e = 0; e < json_object_array_length(edges) && !found; e++) {
            json_object *edge = json_object_array_get_idx(edges, e);
            found = !strcmp(json_object_get_string(json_object_object_get(edge, "from")), expected[x][0]) &&
                    !strcmp(json_object_get_string(json_object_object_get(edge, "to")), expected[x][1]) &&
                    !strcmp(json_object_get_string(json_object_object_get(edge, "kind")), expected[x][2]);
        }
        if (!found) fprintf(stderr, "\n  no edge %s -> %s (%s)\n", expected[x][0], expected[x][1], expected[x][2]);
        CU_ASSERT(found);
    }
    json_object_put(model);
    describe_ids_free(ids);

    /* Any template we ship as a golden file draws too. */
    glob_t g;
    if (glob(SPARTA_SOURCE_DIR "/tests/golden/*/*.json", 0, NULL, &g) == 0) {
        for (size_t i = 0; i < g.gl_pathc; i++) {
            /* Only templates: the folders also hold stack configuration files. */
            json_object *t = json_object_from_file(g.gl_pathv[i]), *resources = NULL;
            int is_template = json_object_object_get_ex(t, "Resources", &resources) &&
                              json_object_is_type(resources, json_type_object);
            json_object_put(t);
            if (!is_template) continue;
            char **golden = describe_template_ids(g.gl_pathv[i]);
            args = test_strf("describe --template '%s' --format json --out - 2>/dev/null", g.gl_pathv[i]);
            CU_ASSERT_EQUAL(sparta_in(dir, &out, args), 0);
            CU_ASSERT_EQUAL(describe_missing(out, golden, g.gl_pathv[i]), 0);
            free(out);
            free(args);
            describe_ids_free(golden);
        }
        globfree(&g);
    }
    test_rmtree(dir);
    free(dir);
}

static void test_unwritable_output(void) {
    char *dir = describe_service(0, 0), *out = NULL;
    static const char *const bad[][2] = {
        {"--out missing/graph.html", "cannot write missing/graph.html: No such file or directory"},
        {"--out sparta.cfg/graph.html", "cannot write sparta.cfg/graph.html: Not a directory"},
        {"--out plugins", "cannot write plugins: Is a directory"},
        {"--outputDir sparta.cfg/out", "cannot create the output directory sparta.cfg/out"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *args = test_strf("describe %s", bad[i][0]);
        CU_ASSERT_EQUAL(sparta_in(dir, &out, args), 1);
        TEST_ASSERT_CONTAINS(out, bad[i][1]);
        free(out);
        free(args);
    }
    CU_ASSERT(!exists(dir, "missing"));
    char *cfg = read_in(dir, "sparta.cfg");
    TEST_ASSERT_CONTAINS(cfg, "service = {");
    free(cfg);
    assert_no_leftovers(dir);
    test_rmtree(dir);
    free(dir);
}

static void test_bad_template(void) {
    char *dir = test_tmpdir(), *out = NULL;
    char *yaml = test_strf("%s/notjson.yaml", dir), *nores = test_strf("%s/nores.json", dir);
    char *keep = test_strf("%s/keep.html", dir);
    test_write_file(yaml, "Resources:\n  Bucket:\n    Type: AWS::S3::Bucket\n");
    test_write_file(nores, "{\"AWSTemplateFormatVersion\": \"2010-09-09\"}\n");
    test_write_file(keep, "previous report\n");
    CU_ASSERT_EQUAL(sparta_in(dir, &out, "describe --template notjson.yaml --out keep.html"), 2);
    TEST_ASSERT_CONTAINS(out, "notjson.yaml:1:1: not a CloudFormation template: it is not JSON");
    TEST_ASSERT_CONTAINS(out, ".template.json that `sparta provision --noop` writes");
    free(out);
    char *text = test_read_file(keep, NULL);
    CU_ASSERT_STRING_EQUAL(text, "previous report\n");
    free(text);
    CU_ASSERT_EQUAL(sparta_in(dir, &out, "describe --template nores.json"), 2);
    TEST_ASSERT_CONTAINS(out, "nores.json: not a CloudFormation template: it is JSON but has no \"Resources\" object");
    free(out);
    CU_ASSERT_EQUAL(sparta_in(dir, &out, "describe --template missing.json"), 1);
    TEST_ASSERT_CONTAINS(out, "cannot read --template missing.json: No such file or directory");
    free(out);
    CU_ASSERT(!exists(dir, ".sparta")); /* nothing written, not even the output directory */
    assert_no_leftovers(dir);
    free(yaml);
    free(nores);
    free(keep);
    test_rmtree(dir);
    free(dir);
}

static void test_graph_error(void) {
    char *dir = describe_service(0, 0), *out = NULL;
    /* Two plugins add the same logical ID: the graph cannot be built. */
    char *cfg = test_strf("%s/sparta.cfg", dir);
    test_write_file(cfg, "service = { name = \"fixture\"; };\n"
                         "plugins = { path = [ \"plugins\" ]; enabled = [ \"good\", \"other\" ]; };\n");
    char *keep = test_strf("%s/graph.html", dir);
    test_write_file(keep, "previous report\n");
    CU_ASSERT_EQUAL(sparta_in(dir, &out, "describe"), 1);
    TEST_ASSERT_CONTAINS(out, "duplicate logical ID 'FixtureTopic'");
    free(out);
    CU_ASSERT_EQUAL(sparta_in(dir, &out, "describe --out graph.html"), 1);
    free(out);
    char *text = test_read_file(keep, NULL);
    CU_ASSERT_STRING_EQUAL(text, "previous report\n");
    free(text);
    CU_ASSERT(!exists(dir, ".sparta/fixture.html"));
    assert_no_leftovers(dir);
    if (describe_have_lambda()) {
        char *svc = describe_service(1, 0);
        CU_ASSERT_EQUAL(test_sh(NULL, "cd '%s' && sed -i 's/dependsOn = \\[ \"api\" \\]/dependsOn = [ \"nosuch\" ]/' "
                                      "sparta.cfg", svc),
                        0);
        CU_ASSERT_EQUAL(sparta_in(svc, &out, "describe"), 1);
        TEST_ASSERT_CONTAINS(out, "the template graph has 1 problem");
        TEST_ASSERT_CONTAINS(out, "'nosuch' is not a resource of this template");
        free(out);
        CU_ASSERT(!exists(svc, ".sparta/orders.html"));
        test_rmtree(svc);
        free(svc);
    }
    free(cfg);
    free(keep);
    test_rmtree(dir);
    free(dir);
}

/* 150 functions, each with a role, a log group, a queue, a schedule and an
 * output: 1,200 nodes. */
static char *write_big_template(const char *dir) {
    char *path = test_strf("%s/big150.template.json", dir);
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fprintf(f, "{\"Parameters\":{\"Stage\":{\"Type\":\"String\"}},\"Resources\":{");
    for (int i = 0; i < 150; i++) {
        fprintf(f,
                "%s\"Fn%03dFunction\":{\"Type\":\"AWS::Lambda::Function\",\"Properties\":{\"Role\":{\"Fn::GetAtt\":"
                "[\"Fn%03dRole\",\"Arn\"]},\"LoggingConfig\":{\"LogGroup\":{\"Ref\":\"Fn%03dLogGroup\"}},"
                "\"Environment\":{\"Variables\":{\"Q\":{\"Fn::Sub\":\"${Fn%03dQueue.Arn}\"},\"S\":{\"Ref\":\"Stage\"}}}}},"
                "\"Fn%03dRole\":{\"Type\":\"AWS::IAM::Role\",\"Properties\":{\"R\":{\"Fn::GetAtt\":[\"Fn%03dLogGroup\",\"Arn\"]}}},"
                "\"Fn%03dLogGroup\":{\"Type\":\"AWS::Logs::LogGroup\"},\"Fn%03dQueue\":{\"Type\":\"AWS::SQS::Queue\"},"
                "\"Fn%03dSqs1Mapping\":{\"Type\":\"AWS::Lambda::EventSourceMapping\",\"Properties\":{\"FunctionName\":"
                "{\"Ref\":\"Fn%03dFunction\"},\"EventSourceArn\":{\"Fn::GetAtt\":[\"Fn%03dQueue\",\"Arn\"]}}},"
                "\"Fn%03dSchedule1Rule\":{\"Type\":\"AWS::Events::Rule\",\"Properties\":{\"Targets\":[{\"Arn\":"
                "{\"Fn::GetAtt\":[\"Fn%03dFunction\",\"Arn\"]}}]}},"
                "\"Fn%03dSchedule1Permission\":{\"Type\":\"AWS::Lambda::Permission\",\"Properties\":{\"FunctionName\":"
                "{\"Ref\":\"Fn%03dFunction\"},\"SourceArn\":{\"Fn::GetAtt\":[\"Fn%03dSchedule1Rule\",\"Arn\"]}}}",
                i ? "," : "", i, i, i, i, i, i, i, i, i, i, i, i, i, i, i, i);
    }
    fprintf(f, "},\"Outputs\":{");
    for (int i = 0; i < 150; i++)
        fprintf(f, "%s\"Fn%03dArn\":{\"Value\":{\"Fn::GetAtt\":[\"Fn%03dFunction\",\"Arn\"]}}", i ? "," : "", i, i);
    fprintf(f, "}}\n");
    fclose(f);
    return path;
}

static void test_150_functions(void) {
    char *dir = test_tmpdir(), *out = NULL;
    char *path = write_big_template(dir);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    char *args = test_strf("describe --template '%s' --out big.html", path);
    CU_ASSERT_EQUAL(sparta_in(dir, &out, args), 0);
    double elapsed = seconds_since(&start);
    printf("\n  150 functions from a template (1,201 nodes): %.2f s ", elapsed);
    CU_ASSERT(elapsed < 10.0);
    free(out);
    free(args);
    char **ids = describe_template_ids(path);
    char *html = read_in(dir, "big.html");
    CU_ASSERT_EQUAL(describe_missing(html, ids, "big.html"), 0);
    size_t clusters = 0;
    for (const char *p = html ? strstr(html, "class=\"cluster") : NULL; p; p = strstr(p + 1, "class=\"cluster"))
        clusters++;
    CU_ASSERT_EQUAL(clusters, 150);
    free(html);
    describe_ids_free(ids);

    if (describe_have_lambda()) {
        char *svc = describe_service(1, 150);
        clock_gettime(CLOCK_MONOTONIC, &start);
        CU_ASSERT_EQUAL(sparta_in(svc, &out, "describe --out big.html"), 0);
        elapsed = seconds_since(&start);
        printf("\n  150 functions from the lambda plugin: %.2f s ", elapsed);
        CU_ASSERT(elapsed < 10.0);
        free(out);
        CU_ASSERT_EQUAL(sparta_in(svc, NULL, "describe --format json --out big.json"), 0);
        json_object *model = json_in(svc, "big.json");
        CU_ASSERT_PTR_NOT_NULL_FATAL(model);
        CU_ASSERT_EQUAL(distinct_groups(model), 150);
        json_object_put(model);
        CU_ASSERT(exists(svc, "big.html"));
        test_rmtree(svc);
        free(svc);
    }
    free(path);
    test_rmtree(dir);
    free(dir);
}

static void capture(void *user_data, const char *text, size_t length) {
    sparta_buffer *b = user_data;
    sparta__buffer_put(b, text, length);
}

/* The command's own --format handling, in process (the tool's global
 * --format check accepts only text and json today). */
static void test_format_flag_in_process(void) {
    static const struct {
        const char *format, *start;
    } formats[] = {{"html", "<!DOCTYPE html>"}, {"svg", "<?xml"}, {"dot", "digraph \"pipeline\" {"},
                   {"json", "{\"stack\":\"pipeline\""}};
    for (size_t i = 0; i < sizeof formats / sizeof *formats + 1; i++) {
        sparta_buffer printed = SPARTA_BUFFER_INIT;
        sparta_options o = SPARTA_OPTIONS_INIT;
        o.print = capture;
        o.print_user_data = &printed;
        sparta_host *host = NULL;
        CU_ASSERT_EQUAL_FATAL(sparta_host_new(&host, &o), 0);
        const char *format = i < sizeof formats / sizeof *formats ? formats[i].format : "png";
        const char *argv[] = {"describe", "--format", format, "--template", DESCRIBE_DATA "/pipeline.template.json",
                              "--out", "-"};
        sparta_invocation *inv = NULL;
        CU_ASSERT_EQUAL_FATAL(sparta__command_parse(host->commands, 7, argv, &inv, &host->error), 0);
        host->invocation = inv;
        int rc = sparta__cmd_describe(&host->builtin, inv, NULL);
        if (i < sizeof formats / sizeof *formats) {
            CU_ASSERT_EQUAL(rc, 0);
            CU_ASSERT(printed.data && strncmp(printed.data, formats[i].start, strlen(formats[i].start)) == 0);
            TEST_ASSERT_CONTAINS(printed.data, "BuildProject");
        } else {
            CU_ASSERT_EQUAL(rc, SPARTA_EUSAGE);
            TEST_ASSERT_CONTAINS(host->error.message,
                                 "--format 'png' is not a describe format: use html, svg, dot or json");
        }
        host->invocation = NULL;
        sparta__invocation_free(inv);
        sparta_host_free(host);
        sparta__buffer_free(&printed);
    }
}

const test_case describe_command_cases[] = {
    {"a service in every format", test_fixture_service_every_format},
    {"the lambda plugin's service: events point at functions", test_lambda_service},
    {"a template file (the pipeline stack)", test_template_file},
    {"an output path that cannot be written", test_unwritable_output},
    {"a --template that is not a template", test_bad_template},
    {"a graph the plugins could not build", test_graph_error},
    {"150 functions in seconds", test_150_functions},
    {"--format html, svg, dot and json", test_format_flag_in_process},
    {NULL, NULL},
};
