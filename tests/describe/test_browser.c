/* The page in a real browser: headless Chromium (Debian's `chromium`, which
 * contrib/scripts/deps.sh installs) loads it from disk, runs its script,
 * and dumps the DOM; every logical ID of the template must be in it. The
 * page must work offline, so Chromium runs with its network features off.
 * Set SPARTA_DESCRIBE_SCREENSHOT=PATH to keep a screenshot (docs/describe.png). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "describe_tests.h"

#define CHROMIUM_FLAGS                                                                                         \
    "--headless --no-sandbox --disable-gpu --disable-quic --no-first-run --disable-background-networking " \
    "--disable-component-update --disable-sync"

static int have_chromium(void) {
    if (test_sh(NULL, "command -v chromium") == 0) return 1;
    fprintf(stderr, "\n  chromium is not installed: the browser tests need Debian's chromium package; run "
                    "contrib/scripts/deps.sh (or apt-get install chromium)\n");
    CU_FAIL("chromium is not installed: run contrib/scripts/deps.sh (Debian package chromium)");
    return 0;
}

/* The DOM after the page's scripts ran, or NULL. */
static char *dump_dom(const char *url) {
    char *profile = test_tmpdir(), *out = NULL;
    int rc = test_sh(&out, "timeout 60 chromium " CHROMIUM_FLAGS " --user-data-dir='%s' --dump-dom '%s' 2>/dev/null",
                     profile, url);
    test_rmtree(profile);
    free(profile);
    if (rc != 0) fprintf(stderr, "\n  chromium --dump-dom %s exited with %d\n", url, rc);
    CU_ASSERT_EQUAL(rc, 0);
    if (rc != 0) {
        free(out);
        return NULL;
    }
    return out;
}

static void screenshot(const char *url, const char *png) {
    char *profile = test_tmpdir();
    int rc = test_sh(NULL,
                     "timeout 60 chromium " CHROMIUM_FLAGS " --user-data-dir='%s' --hide-scrollbars "
                     "--window-size=1400,1000 --screenshot='%s' '%s' 2>/dev/null",
                     profile, png, url);
    CU_ASSERT_EQUAL(rc, 0);
    size_t length = 0;
    char *bytes = test_read_file(png, &length);
    CU_ASSERT(bytes && length > 20000 && memcmp(bytes, "\x89PNG\r\n\x1a\n", 8) == 0);
    free(bytes);
    test_rmtree(profile);
    free(profile);
}

/* The example service (the lambda plugin's when built), its template and page. */
typedef struct example {
    char *dir, *template_path, *html_path, *function;
} example;

static int example_new(example *e) {
    memset(e, 0, sizeof *e);
    int lambda = describe_have_lambda();
    e->dir = describe_service(lambda, 0);
    const char *stack = lambda ? "orders" : "fixture";
    e->function = strdup(lambda ? "WorkerFunction" : "FixtureTopic");
    e->template_path = test_strf("%s/out/%s.template.json", e->dir, stack);
    e->html_path = test_strf("%s/out/%s.html", e->dir, stack);
    char *out = NULL;
    int rc = test_sh(&out, "cd '%s' && '%s' --nocolor provision --noop --outputDir out --s3Bucket artifacts && "
                           "'%s' --nocolor describe --outputDir out --s3Bucket artifacts",
                     e->dir, test_sparta_bin(), test_sparta_bin());
    if (rc != 0) fprintf(stderr, "\n%s\n", out);
    free(out);
    CU_ASSERT_EQUAL(rc, 0);
    return rc == 0;
}

static void example_free(example *e) {
    test_rmtree(e->dir);
    free(e->dir);
    free(e->template_path);
    free(e->html_path);
    free(e->function);
}

static void test_every_logical_id_in_the_dom(void) {
    if (!have_chromium()) return;
    example e;
    if (example_new(&e)) {
        char *url = test_strf("file://%s", e.html_path);
        char *dom = dump_dom(url);
        char **ids = describe_template_ids(e.template_path);
        CU_ASSERT(ids && ids[0]);
        CU_ASSERT_EQUAL(describe_missing(dom, ids, "the DOM"), 0);
        /* The script ran to its end, and the graph is in the page. */
        TEST_ASSERT_CONTAINS(dom, "data-ready=\"true\"");
        TEST_ASSERT_CONTAINS(dom, "<svg id=\"graph-svg\"");
        describe_ids_free(ids);
        free(dom);
        free(url);
    }
    example_free(&e);
}

static void test_selecting_a_node_shows_it(void) {
    if (!have_chromium()) return;
    example e;
    if (example_new(&e)) {
        /* #node=ID selects as a click does. */
        char *url = test_strf("file://%s#node=%s", e.html_path, e.function);
        char *dom = dump_dom(url);
        char *heading = test_strf("<aside id=\"details\"><h2>%s</h2>", e.function);
        TEST_ASSERT_CONTAINS(dom, heading);
        TEST_ASSERT_CONTAINS(dom, "Referenced by (");
        TEST_ASSERT_CONTAINS(dom, "<h3>Definition</h3><pre class=\"json\">");
        TEST_ASSERT_CONTAINS(dom, "<span class=\"k\">\"Type\"</span>");
        TEST_ASSERT_CONTAINS(dom, " selected\"");
        TEST_ASSERT_CONTAINS(dom, "class=\"focus\""); /* the rest of the graph dims */
        const char *keep = getenv("SPARTA_DESCRIBE_SCREENSHOT");
        char *dir = test_tmpdir();
        char *png = keep && *keep ? strdup(keep) : test_strf("%s/describe.png", dir);
        screenshot(url, png);
        if (keep && *keep) printf("\n  screenshot written to %s", png);
        free(png);
        test_rmtree(dir);
        free(dir);
        free(heading);
        free(dom);
        free(url);
    }
    example_free(&e);
}

static void test_pipeline_template_in_the_browser(void) {
    if (!have_chromium()) return;
    char *dir = test_tmpdir(), *out = NULL;
    const char *pipeline = DESCRIBE_DATA "/pipeline.template.json";
    CU_ASSERT_EQUAL(test_sh(&out, "cd '%s' && '%s' describe --template '%s' --out pipeline.html", dir,
                            test_sparta_bin(), pipeline),
                    0);
    free(out);
    char *url = test_strf("file://%s/pipeline.html", dir);
    char *dom = dump_dom(url);
    char **ids = describe_template_ids(pipeline);
    CU_ASSERT_EQUAL(describe_missing(dom, ids, "the pipeline DOM"), 0);
    TEST_ASSERT_CONTAINS(dom, "data-ready=\"true\"");
    describe_ids_free(ids);
    free(dom);
    free(url);
    test_rmtree(dir);
    free(dir);
}

static void test_150_functions_in_the_browser(void) {
    if (!have_chromium() || !describe_have_lambda()) return;
    char *dir = describe_service(1, 150), *out = NULL;
    CU_ASSERT_EQUAL(test_sh(&out, "cd '%s' && '%s' provision --noop --outputDir out --s3Bucket b && "
                                  "'%s' describe --outputDir out --s3Bucket b",
                            dir, test_sparta_bin(), test_sparta_bin()),
                    0);
    free(out);
    char *url = test_strf("file://%s/out/big.html#node=Fn149Function", dir);
    struct timespec start, end;
    clock_gettime(CLOCK_MONOTONIC, &start);
    char *dom = dump_dom(url);
    clock_gettime(CLOCK_MONOTONIC, &end);
    printf("\n  the 150-function page loaded in %.2f s ",
           (double)(end.tv_sec - start.tv_sec) + (double)(end.tv_nsec - start.tv_nsec) / 1e9);
    char *template_path = test_strf("%s/out/big.template.json", dir);
    char **ids = describe_template_ids(template_path);
    CU_ASSERT_EQUAL(describe_missing(dom, ids, "the 150-function DOM"), 0);
    TEST_ASSERT_CONTAINS(dom, "<aside id=\"details\"><h2>Fn149Function</h2>");
    TEST_ASSERT_CONTAINS(dom, "data-ready=\"true\"");
    describe_ids_free(ids);
    free(template_path);
    free(dom);
    free(url);
    test_rmtree(dir);
    free(dir);
}

const test_case describe_browser_cases[] = {
    {"chromium: every logical ID is in the DOM", test_every_logical_id_in_the_dom},
    {"chromium: selecting a node shows its definition (and a screenshot)", test_selecting_a_node_shows_it},
    {"chromium: the pipeline template", test_pipeline_template_in_the_browser},
    {"chromium: 150 functions", test_150_functions_in_the_browser},
    {NULL, NULL},
};
