/* The loader refuses every bad plugin with a message that names the file and
 * every field that differs; a good plugin registers commands, hooks, schema. */
#include <sparta/sparta.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "test_support.h"

static char *workdir;

static void setup_dir(void) {
    test_rmtree(workdir);
    free(workdir);
    workdir = test_tmpdir();
    chmod(workdir, 0755);
    test_sh(NULL, "mkdir -p '%s/plugins' && cp '%s'/*.so '%s/plugins/' && chmod 755 '%s/plugins'", workdir,
            ABI_FIXTURE_DIR, workdir, workdir);
}

typedef struct captured {
    char text[16384];
    size_t length;
} captured;

static void capture(void *user_data, const char *text, size_t length) {
    captured *c = user_data;
    if (c->length + length >= sizeof c->text) length = sizeof c->text - 1 - c->length;
    memcpy(c->text + c->length, text, length);
    c->length += length;
    c->text[c->length] = '\0';
}

static void capture_log(void *user_data, sparta_log_level level, const char *line) {
    (void)level;
    capture(user_data, line, strlen(line));
    capture(user_data, "\n", 1);
}

/* Loads a config enabling `enabled` (a libconfig list body) and returns the error text, or "" on success. */
static char *load_with(const char *enabled, const char *extra) {
    setup_dir();
    char *cfg = test_strf("%s/sparta.cfg", workdir);
    char *text = test_strf("service = { name = \"abi\"; };\nplugins = { path = [ \"plugins\" ]; enabled = [ %s ]; };\n%s",
                           enabled, extra ? extra : "");
    test_write_file(cfg, text);
    sparta_options o = SPARTA_OPTIONS_INIT;
    o.config_path = cfg;
    sparta_host *h = NULL;
    CU_ASSERT_EQUAL_FATAL(sparta_host_new(&h, &o), 0);
    int rc = sparta_host_load(h);
    char *out = strdup(rc == 0 ? "" : sparta_host_last_error(h)->message);
    if (rc != 0) CU_ASSERT(sparta_host_last_error(h)->code < 0);
    sparta_host_free(h);
    free(text);
    free(cfg);
    return out;
}

static void test_good_plugin_loads(void) {
    char *e = load_with("\"good\"", NULL);
    CU_ASSERT_STRING_EQUAL(e, "");
    free(e);
}

static void test_older_minor_loads(void) {
    char *e = load_with("\"oldminor\"", NULL);
    CU_ASSERT_STRING_EQUAL(e, "");
    free(e);
}

static void test_bad_magic(void) {
    char *e = load_with("\"badmagic\"", NULL);
    TEST_ASSERT_CONTAINS(e, "badmagic.so was refused: magic is 0xdeadbeef, the host expects 0x53505254");
    TEST_ASSERT_CONTAINS(e, "Rebuild the plugin");
    free(e);
}

static void test_other_major(void) {
    char *e = load_with("\"major2\"", NULL);
    TEST_ASSERT_CONTAINS(e, "major2.so was refused: ABI major is 2, the host's is 1");
    free(e);
}

static void test_newer_minor(void) {
    char *e = load_with("\"newminor\"", NULL);
    char *want = test_strf("ABI minor is %d, newer than the host's %d (plugin built for ABI 1.%d, host speaks 1.%d)",
                           SPARTA_ABI_MINOR + 1, SPARTA_ABI_MINOR, SPARTA_ABI_MINOR + 1, SPARTA_ABI_MINOR);
    TEST_ASSERT_CONTAINS(e, want);
    free(want);
    free(e);
}

static void test_struct_sizes(void) {
    char *e = load_with("\"bigstruct\"", NULL);
    char *want = test_strf("descriptor size is %zu bytes, larger than the %zu bytes this host knows",
                           sizeof(sparta_plugin_descriptor) + 16, sizeof(sparta_plugin_descriptor));
    TEST_ASSERT_CONTAINS(e, want);
    free(want);
    free(e);
    e = load_with("\"smallstruct\"", NULL);
    TEST_ASSERT_CONTAINS(e, "smaller than the first ABI's");
    free(e);
}

static void test_missing_symbol_and_null_descriptor(void) {
    char *e = load_with("\"noentry\"", NULL);
    TEST_ASSERT_CONTAINS(e, "noentry.so) was refused: it does not export sparta_plugin_entry()");
    free(e);
    e = load_with("\"nulldesc\"", NULL);
    TEST_ASSERT_CONTAINS(e, "sparta_plugin_entry() returned NULL");
    free(e);
}

static void test_not_a_shared_object(void) {
    setup_dir();
    char *path = test_strf("%s/plugins/text.so", workdir);
    test_write_file(path, "this is not an ELF file\n");
    chmod(path, 0644);
    char *cfg = test_strf("%s/sparta.cfg", workdir);
    test_write_file(cfg, "service = { name = \"abi\"; };\nplugins = { path = [ \"plugins\" ]; enabled = [ \"text\" ]; };\n");
    sparta_options o = SPARTA_OPTIONS_INIT;
    o.config_path = cfg;
    sparta_host *h = NULL;
    sparta_host_new(&h, &o);
    CU_ASSERT_EQUAL(sparta_host_load(h), SPARTA_EPLUGIN);
    TEST_ASSERT_CONTAINS(sparta_host_last_error(h)->message, "text.so) could not be loaded: the file is not a shared object");
    sparta_host_free(h);
    free(cfg);
    free(path);
}

static void test_unknown_plugin_lists_where_it_looked(void) {
    char *e = load_with("\"nosuch\"", NULL);
    TEST_ASSERT_CONTAINS(e, "sparta.cfg:2: plugins.enabled: unknown plugin 'nosuch': no nosuch.so in ");
    TEST_ASSERT_CONTAINS(e, "/plugins");
    free(e);
}

static void test_duplicate_and_misnamed(void) {
    char *e = load_with("\"good\", \"good\"", NULL);
    TEST_ASSERT_CONTAINS(e, "two plugins are named 'good'");
    free(e);
    e = load_with("\"misnamed\"", NULL);
    TEST_ASSERT_CONTAINS(e, "declares the name 'somethingelse', but it was enabled as 'misnamed'");
    free(e);
}

static void test_init_failure_names_plugin(void) {
    char *e = load_with("\"initfails\"", NULL);
    TEST_ASSERT_CONTAINS(e, "plugin 'initfails'");
    TEST_ASSERT_CONTAINS(e, "failed to initialise: the fixture refuses to start: missing FIXTURE_TOKEN");
    free(e);
}

static void test_writable_plugin_refused(void) {
    setup_dir();
    char *so = test_strf("%s/plugins/good.so", workdir);
    chmod(so, 0666);
    char *cfg = test_strf("%s/sparta.cfg", workdir);
    test_write_file(cfg, "service = { name = \"abi\"; };\nplugins = { path = [ \"plugins\" ]; enabled = [ \"good\" ]; };\n");
    sparta_options o = SPARTA_OPTIONS_INIT;
    o.config_path = cfg;
    sparta_host *h = NULL;
    sparta_host_new(&h, &o);
    CU_ASSERT_EQUAL(sparta_host_load(h), SPARTA_EPLUGIN);
    TEST_ASSERT_CONTAINS(sparta_host_last_error(h)->message, "good.so was refused: the file is world-writable");
    TEST_ASSERT_CONTAINS(sparta_host_last_error(h)->message, "chmod go-w");
    sparta_host_free(h);
    chmod(so, 0755);
    char *dir = test_strf("%s/plugins", workdir);
    chmod(dir, 0775);
    sparta_host_new(&h, &o);
    CU_ASSERT_EQUAL(sparta_host_load(h), SPARTA_EPLUGIN);
    TEST_ASSERT_CONTAINS(sparta_host_last_error(h)->message, "is group-writable");
    sparta_host_free(h);
    chmod(dir, 0755);
    free(dir);
    free(cfg);
    free(so);
}

static void test_registration_outside_init_refused(void) {
    setup_dir();
    char *cfg = test_strf("%s/sparta.cfg", workdir);
    test_write_file(cfg, "service = { name = \"abi\"; };\nplugins = { path = [ \"plugins\" ]; enabled = [ \"late\" ]; };\n");
    sparta_options o = SPARTA_OPTIONS_INIT;
    o.config_path = cfg;
    captured log = {{0}, 0};
    o.log = capture_log;
    o.log_user_data = &log;
    sparta_host *h = NULL;
    sparta_host_new(&h, &o);
    char *json = NULL;
    CU_ASSERT_NOT_EQUAL(sparta_host_synthesize(h, &json, NULL), 0);
    TEST_ASSERT_CONTAINS(sparta_host_last_error(h)->message, "called command_add outside init");
    CU_ASSERT_STRING_EQUAL(sparta_host_last_error(h)->plugin, "late");
    sparta_host_free(h);
    free(cfg);
}

static void test_plugin_command_hook_and_schema(void) {
    setup_dir();
    char *cfg = test_strf("%s/sparta.cfg", workdir);
    char *outdir = test_strf("%s/out", workdir);
    test_write_file(cfg, "service = { name = \"abi\"; };\nplugins = { path = [ \"plugins\" ]; enabled = [ \"other\", \"good\" ]; };\n"
                         "good = { topic = \"alerts\"; };\n");
    sparta_options o = SPARTA_OPTIONS_INIT;
    o.config_path = cfg;
    o.output_dir = outdir;
    captured out = {{0}, 0};
    o.print = capture;
    o.print_user_data = &out;
    sparta_host *h = NULL;
    sparta_host_new(&h, &o);
    const char *argv[] = {"goodHello", "--who", "plugin author"};
    CU_ASSERT_EQUAL(sparta_host_run(h, 3, argv), 0);
    TEST_ASSERT_CONTAINS(out.text, "hello, plugin author (state from init)");
    char *json = NULL;
    /* Two plugins add the same logical ID: refused, naming both. */
    CU_ASSERT_EQUAL(sparta_host_synthesize(h, &json, NULL), SPARTA_EGRAPH);
    TEST_ASSERT_CONTAINS(sparta_host_last_error(h)->message,
                         "duplicate logical ID 'FixtureTopic': a resource added by plugin 'good' and a resource "
                         "added by plugin 'other'");
    sparta_host_free(h);

    test_write_file(cfg, "service = { name = \"abi\"; };\nplugins = { path = [ \"plugins\" ]; enabled = [ \"good\" ]; };\n"
                         "good = { topic = \"alerts\"; };\n");
    sparta_host_new(&h, &o);
    CU_ASSERT_EQUAL_FATAL(sparta_host_synthesize(h, &json, NULL), 0);
    TEST_ASSERT_CONTAINS(json, "\"TopicName\": \"alerts\"");
    sparta_string_free(json);
    sparta_host_free(h);

    test_write_file(cfg, "service = { name = \"abi\"; };\nplugins = { path = [ \"plugins\" ]; enabled = [ \"good\" ]; };\n"
                         "good = { topic = 5; colour = \"red\"; };\n");
    sparta_host_new(&h, &o);
    CU_ASSERT_EQUAL(sparta_host_synthesize(h, &json, NULL), SPARTA_ECONFIG);
    TEST_ASSERT_CONTAINS(sparta_host_last_error(h)->message, "sparta.cfg:3: good.topic: expected a string, found an integer");
    TEST_ASSERT_CONTAINS(sparta_host_last_error(h)->message, "good.colour: unknown key 'colour'");
    sparta_host_free(h);
    free(outdir);
    free(cfg);
}

int main(void) {
    static const test_case cases[] = {
        {"a good plugin loads", test_good_plugin_loads},
        {"an older ABI minor loads", test_older_minor_loads},
        {"bad magic is refused", test_bad_magic},
        {"another ABI major is refused", test_other_major},
        {"a newer ABI minor is refused, naming both", test_newer_minor},
        {"unknown struct sizes are refused", test_struct_sizes},
        {"missing entry symbol and NULL descriptor", test_missing_symbol_and_null_descriptor},
        {"a file that is not a shared object", test_not_a_shared_object},
        {"unknown plugin lists where it looked", test_unknown_plugin_lists_where_it_looked},
        {"duplicate and misnamed plugins", test_duplicate_and_misnamed},
        {"init failure names the plugin", test_init_failure_names_plugin},
        {"group/world-writable plugin refused", test_writable_plugin_refused},
        {"registration outside init refused", test_registration_outside_init_refused},
        {"plugin command, hook and schema", test_plugin_command_hook_and_schema},
        {NULL, NULL}};
    int rc = test_main("abi", cases);
    test_rmtree(workdir);
    free(workdir);
    return rc;
}
