/* The page, the JSON and the files they go to. */
#include <dirent.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "describe/describe.h"
#include "describe_tests.h"

static const char page_template[] =
    "{\"Description\":\"</script><script>alert(1)</script> & more\",\n"
    " \"Parameters\":{\"Stage\":{\"Type\":\"String\"}},\n"
    " \"Resources\":{\n"
    "  \"ApiFunction\":{\"Type\":\"AWS::Lambda::Function\",\"Properties\":{\"Role\":{\"Fn::GetAtt\":[\"ApiRole\",\"Arn\"]},"
    "\"Description\":\"<img src=x onerror=alert(1)>\",\"Environment\":{\"Variables\":{\"S\":{\"Ref\":\"Stage\"}}},"
    "\"MemorySize\":128,\"Enabled\":true,\"Nothing\":null,\"Ratio\":-1.5e3}},\n"
    "  \"ApiRole\":{\"Type\":\"AWS::IAM::Role\"},\n"
    "  \"OtherRole\":{\"Type\":\"AWS::IAM::Role\"}},\n"
    " \"Outputs\":{\"ApiArn\":{\"Value\":{\"Fn::GetAtt\":[\"ApiFunction\",\"Arn\"]}}}}\n";

static size_t count(const char *haystack, const char *needle) {
    size_t n = 0;
    for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle)) n++;
    return n;
}

static char *page(sparta_describe_model *m, const char *text) {
    sparta_error_slot err;
    memset(&err, 0, sizeof err);
    CU_ASSERT_EQUAL_FATAL(sparta__describe_model_load(m, text, strlen(text), "page.json", "page", &err), 0);
    CU_ASSERT_EQUAL(sparta__describe_model_add_archive(m, "lambda", "/nonexistent/lambda.zip", 3, "0123456789abcdef"),
                    0);
    sparta_buffer dot = SPARTA_BUFFER_INIT, html = SPARTA_BUFFER_INIT;
    CU_ASSERT_EQUAL(sparta__describe_dot(m, &dot), 0);
    char *svg = NULL;
    size_t svg_length = 0;
    CU_ASSERT_EQUAL_FATAL(sparta__describe_svg(dot.data, &svg, &svg_length, &err), 0);
    CU_ASSERT_EQUAL(sparta__describe_html(m, svg, svg_length, &html), 0);
    free(svg);
    sparta__buffer_free(&dot);
    return sparta__buffer_take(&html, NULL);
}

static void test_page_is_self_contained(void) {
    sparta_describe_model m;
    char *html = page(&m, page_template);
    CU_ASSERT_PTR_NOT_NULL_FATAL(html);
    CU_ASSERT_EQUAL(strncmp(html, "<!DOCTYPE html>\n", 16), 0);
    /* Nothing is fetched: no src or href to anywhere, no stylesheet links,
     * no CSS imports or url(); the only http text is the SVG namespaces. */
    CU_ASSERT_EQUAL(count(html, " src=\""), 0);
    CU_ASSERT_EQUAL(count(html, "<img"), 0);
    CU_ASSERT_EQUAL(count(html, "<link"), 0);
    CU_ASSERT_EQUAL(count(html, "@import"), 0);
    CU_ASSERT_EQUAL(count(html, "url("), 0);
    CU_ASSERT_EQUAL(count(html, "href=\"http"), 0);
    CU_ASSERT_EQUAL(count(html, "http"), count(html, "xmlns=\"http") + count(html, "xmlns:xlink=\"http"));
    CU_ASSERT_EQUAL(count(html, "<script"), 3);
    /* The SVG is inline, sized by the page, and keeps its viewBox. */
    const char *svg = strstr(html, "<svg id=\"graph-svg\"");
    CU_ASSERT_PTR_NOT_NULL_FATAL(svg);
    const char *svg_end = strchr(svg, '>');
    char *tag = strndup(svg, (size_t)(svg_end - svg));
    CU_ASSERT_PTR_NULL(strstr(tag, "width="));
    CU_ASSERT_PTR_NULL(strstr(tag, "height="));
    CU_ASSERT_PTR_NOT_NULL(strstr(tag, "viewBox="));
    free(tag);
    CU_ASSERT_EQUAL(count(html, "<?xml"), 0);
    CU_ASSERT_EQUAL(count(html, "<!DOCTYPE svg"), 0);
    free(html);
    sparta__describe_model_free(&m);
}

static void test_page_escapes_template_text(void) {
    sparta_describe_model m;
    char *html = page(&m, page_template);
    CU_ASSERT_PTR_NOT_NULL_FATAL(html);
    /* Template text never closes a script or opens an element. */
    CU_ASSERT_EQUAL(count(html, "</script>"), 3);
    CU_ASSERT_EQUAL(count(html, "alert(1)</script>"), 0);
    CU_ASSERT_EQUAL(count(html, "<img"), 0);
    TEST_ASSERT_CONTAINS(html, "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; more");
    TEST_ASSERT_CONTAINS(html, "\\u003c/script>\\u003cscript>alert(1)\\u003c/script>");
    /* Both JSON islands parse. */
    const char *islands[] = {"<script type=\"application/json\" id=\"sparta-model\">",
                             "<script type=\"application/json\" id=\"sparta-template\">"};
    for (int i = 0; i < 2; i++) {
        const char *start = strstr(html, islands[i]);
        CU_ASSERT_PTR_NOT_NULL_FATAL(start);
        start += strlen(islands[i]);
        char *json = strndup(start, (size_t)(strstr(start, "</script>") - start));
        json_object *j = json_tokener_parse(json);
        CU_ASSERT_PTR_NOT_NULL(j);
        if (i == 0 && j) {
            json_object *nodes = NULL, *edges = NULL;
            CU_ASSERT(json_object_object_get_ex(j, "nodes", &nodes));
            CU_ASSERT(json_object_object_get_ex(j, "edges", &edges));
            CU_ASSERT_EQUAL(json_object_array_length(nodes), m.node_count);
            CU_ASSERT_EQUAL(json_object_array_length(edges), m.edge_count);
        }
        json_object_put(j);
        free(json);
    }
    free(html);
    sparta__describe_model_free(&m);
}

static void test_page_content(void) {
    sparta_describe_model m;
    char *html = page(&m, page_template);
    CU_ASSERT_PTR_NOT_NULL_FATAL(html);
    const char *ids[] = {"Stage", "ApiFunction", "ApiRole", "OtherRole", "ApiArn"};
    for (size_t i = 0; i < 5; i++) {
        const char *name = i == 0 ? "Parameters.Stage" : i == 4 ? "Outputs.ApiArn" : ids[i];
        char *svg_node = test_strf("<title>%s</title>", name);
        TEST_ASSERT_CONTAINS(html, svg_node);
        free(svg_node);
        /* Each entry of the highlighted template has an anchor. */
        char *anchor = test_strf("<span class=\"k\" id=\"tpl-%zu\">&quot;%s&quot;</span>", i, ids[i]);
        TEST_ASSERT_CONTAINS(html, anchor);
        free(anchor);
    }
    CU_ASSERT_EQUAL(count(html, "id=\"tpl-"), m.node_count);
    /* Highlighting: keys, strings, numbers, literals. */
    TEST_ASSERT_CONTAINS(html, "<span class=\"k\">&quot;MemorySize&quot;</span>:<span class=\"n\">128</span>");
    TEST_ASSERT_CONTAINS(html, "<span class=\"n\">-1.5e3</span>");
    TEST_ASSERT_CONTAINS(html, "<span class=\"b\">true</span>");
    TEST_ASSERT_CONTAINS(html, "<span class=\"b\">null</span>");
    TEST_ASSERT_CONTAINS(html, "<span class=\"s\">&quot;AWS::IAM::Role&quot;</span>");
    /* Summary: counts by type, template size, archives. */
    TEST_ASSERT_CONTAINS(html, "AWS::IAM::Role</td><td>IAM</td><td class=\"num\">2</td>");
    TEST_ASSERT_CONTAINS(html, "AWS::Lambda::Function</td><td>Lambda</td><td class=\"num\">1</td>");
    char *bytes = test_strf("<b>%zu</b><span>template bytes</span>", m.template_length);
    TEST_ASSERT_CONTAINS(html, bytes);
    free(bytes);
    TEST_ASSERT_CONTAINS(html, "lambda.zip</td><td class=\"num\">?</td><td class=\"num\">3</td>"
                               "<td><code>0123456789ab</code>");
    /* Legend: only the services present, and every edge kind. */
    TEST_ASSERT_CONTAINS(html, "</span>Lambda</span>");
    TEST_ASSERT_CONTAINS(html, "</span>IAM</span>");
    CU_ASSERT_EQUAL(count(html, "</span>S3</span>"), 0);
    TEST_ASSERT_CONTAINS(html, "DependsOn</span>");
    /* The script and a search list of every ID. */
    TEST_ASSERT_CONTAINS(html, "data-ready");
    TEST_ASSERT_CONTAINS(html, "<option value=\"OtherRole\">");
    free(html);
    sparta__describe_model_free(&m);
}

static void test_json_output(void) {
    sparta_describe_model m;
    sparta_error_slot err;
    memset(&err, 0, sizeof err);
    CU_ASSERT_EQUAL_FATAL(sparta__describe_model_load(&m, page_template, strlen(page_template), "p.json", "p", &err),
                          0);
    sparta_buffer b = SPARTA_BUFFER_INIT;
    CU_ASSERT_EQUAL(sparta__describe_json(&m, &b), 0);
    json_object *j = json_tokener_parse(b.data);
    CU_ASSERT_PTR_NOT_NULL_FATAL(j);
    json_object *nodes = json_object_object_get(j, "nodes"), *edges = json_object_object_get(j, "edges");
    CU_ASSERT_EQUAL(json_object_array_length(nodes), 5);
    CU_ASSERT_EQUAL(json_object_array_length(edges), 3);
    json_object *fn = json_object_array_get_idx(nodes, 1);
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(fn, "id")), "ApiFunction");
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(fn, "type")), "AWS::Lambda::Function");
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(fn, "service")), "Lambda");
    CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_object_get(fn, "group")), "Api");
    int saw_ref_to_parameter = 0, saw_output = 0;
    for (size_t i = 0; i < json_object_array_length(edges); i++) {
        json_object *e = json_object_array_get_idx(edges, i);
        const char *from = json_object_get_string(json_object_object_get(e, "from"));
        const char *to = json_object_get_string(json_object_object_get(e, "to"));
        const char *kind = json_object_get_string(json_object_object_get(e, "kind"));
        json_object *to_kind = NULL, *from_kind = NULL;
        if (!strcmp(from, "ApiFunction") && !strcmp(to, "Stage") && !strcmp(kind, "Ref") &&
            json_object_object_get_ex(e, "toKind", &to_kind))
            saw_ref_to_parameter = !strcmp(json_object_get_string(to_kind), "parameter");
        if (!strcmp(from, "ApiArn") && !strcmp(kind, "Fn::GetAtt") &&
            json_object_object_get_ex(e, "fromKind", &from_kind))
            saw_output = !strcmp(json_object_get_string(from_kind), "output");
    }
    CU_ASSERT(saw_ref_to_parameter);
    CU_ASSERT(saw_output);
    json_object_put(j);
    sparta__buffer_free(&b);
    sparta__describe_model_free(&m);
}

static size_t dir_entries(const char *path) {
    DIR *d = opendir(path);
    size_t n = 0;
    for (struct dirent *e; d && (e = readdir(d));) n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d) closedir(d);
    return n;
}

static void test_atomic_write(void) {
    char *dir = test_tmpdir();
    sparta_error_slot err;
    memset(&err, 0, sizeof err);
    char *path = test_strf("%s/out.html", dir);
    CU_ASSERT_EQUAL(sparta__describe_write_file(path, "first", 5, &err), 0);
    CU_ASSERT_EQUAL(sparta__describe_write_file(path, "second", 6, &err), 0);
    char *text = test_read_file(path, NULL);
    CU_ASSERT_STRING_EQUAL(text, "second");
    free(text);
    struct stat st;
    CU_ASSERT_EQUAL(stat(path, &st), 0);
    CU_ASSERT(st.st_mode & S_IRUSR);
    CU_ASSERT_EQUAL(dir_entries(dir), 1); /* no temporary file left */

    /* A directory that does not exist, a file used as a directory, a directory as the target. */
    char *bad[] = {test_strf("%s/missing/out.html", dir), test_strf("%s/out.html/inner.html", dir),
                   test_strf("%s", dir)};
    for (int i = 0; i < 3; i++) {
        memset(&err, 0, sizeof err);
        CU_ASSERT_EQUAL(sparta__describe_write_file(bad[i], "x", 1, &err), SPARTA_EIO);
        char *what = test_strf("cannot write %s: ", bad[i]);
        TEST_ASSERT_CONTAINS(err.message, what);
        TEST_ASSERT_CONTAINS(err.message, "--out");
        free(what);
        free(bad[i]);
    }
    CU_ASSERT_EQUAL(dir_entries(dir), 1);
    text = test_read_file(path, NULL);
    CU_ASSERT_STRING_EQUAL(text, "second");
    free(text);
    free(path);
    test_rmtree(dir);
    free(dir);
}

static void test_formats(void) {
    sparta_describe_format f;
    CU_ASSERT(sparta__describe_format_parse("html", &f) == 0 && f == SPARTA_DESCRIBE_HTML);
    CU_ASSERT(sparta__describe_format_parse("SVG", &f) == 0 && f == SPARTA_DESCRIBE_SVG);
    CU_ASSERT(sparta__describe_format_parse("dot", &f) == 0 && f == SPARTA_DESCRIBE_DOT);
    CU_ASSERT(sparta__describe_format_parse("gv", &f) == 0 && f == SPARTA_DESCRIBE_DOT);
    CU_ASSERT(sparta__describe_format_parse("json", &f) == 0 && f == SPARTA_DESCRIBE_JSON);
    CU_ASSERT_EQUAL(sparta__describe_format_parse("png", &f), -1);
    CU_ASSERT_EQUAL(sparta__describe_format_parse(NULL, &f), -1);
    CU_ASSERT(sparta__describe_format_from_path("out/service.svg", &f) == 0 && f == SPARTA_DESCRIBE_SVG);
    CU_ASSERT(sparta__describe_format_from_path("graph.dot", &f) == 0 && f == SPARTA_DESCRIBE_DOT);
    CU_ASSERT(sparta__describe_format_from_path("a.b/report.htm", &f) == 0 && f == SPARTA_DESCRIBE_HTML);
    CU_ASSERT_EQUAL(sparta__describe_format_from_path("a.svg/report", &f), -1);
    CU_ASSERT_EQUAL(sparta__describe_format_from_path("-", &f), -1);
    CU_ASSERT_STRING_EQUAL(sparta__describe_format_extension(SPARTA_DESCRIBE_JSON), "json");
    CU_ASSERT_STRING_EQUAL(sparta__describe_format_extension(SPARTA_DESCRIBE_HTML), "html");
}

const test_case describe_output_cases[] = {
    {"the page loads nothing from the network", test_page_is_self_contained},
    {"template text cannot break the page", test_page_escapes_template_text},
    {"the page: graph, anchors, highlighting, summary", test_page_content},
    {"JSON nodes and edges", test_json_output},
    {"files are written whole or not at all", test_atomic_write},
    {"formats by name and extension", test_formats},
    {NULL, NULL},
};
