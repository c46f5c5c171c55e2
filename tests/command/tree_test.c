/* Registration: nesting, aliases, clashes, ABI sizes, removal, the walk. */
#include "fixture.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static sparta_command_spec spec_for(const char *path) {
    sparta_command_spec s = {sizeof s, path, NULL, "summary", NULL, NULL, fixture_run, NULL, 0};
    return s;
}

static int count_by_owner(const sparta_command_node *n, void *ctx) {
    void **want = ctx;
    if (sparta__command_owner(n) == want[0]) (*(size_t *)want[1])++;
    return 0;
}

void test_kebab_and_names(void) {
    sparta_command_tree *t = fixture_tree();
    const sparta_command_node *provision = sparta__command_find(t, "provision");
    CU_ASSERT_STRING_EQUAL(sparta__command_flag_find(provision, "s3Bucket")->alias, "s3-bucket");
    CU_ASSERT_STRING_EQUAL(sparta__command_flag_find(provision, "codePipelinePackage")->alias,
                           "code-pipeline-package");
    CU_ASSERT_STRING_EQUAL(sparta__command_flag_find(provision, "outputDir")->alias, "output-dir");
    CU_ASSERT_PTR_NULL(sparta__command_flag_find(provision, "noop")->alias);
    /* explicit aliases win */
    CU_ASSERT_STRING_EQUAL(sparta__command_flag_find(sparta__command_find(t, "pipeline show"), "v-v")->name, "verbose");
    /* acronyms */
    sparta_flag_spec f = {sizeof f, "sourceURLPath", NULL, SPARTA_FLAG_STRING, NULL, "", 0};
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(sparta__command_flag_add(t, "status", &f, NULL, &err), 0);
    CU_ASSERT_PTR_NOT_NULL(sparta__command_flag_find(sparta__command_find(t, "status"), "source-url-path"));
    /* bad names */
    f.name = "--dashes";
    CU_ASSERT_EQUAL(sparta__command_flag_add(t, "status", &f, NULL, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "given without dashes");
    sparta_command_spec s = spec_for("bad name!");
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, NULL, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "\"name!\" is not a valid command name");
    s.path = "";
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, NULL, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "no path");
    CU_ASSERT_EQUAL(sparta__command_tree_set_program(t, "bad name"), SPARTA_EUSAGE);
    sparta__command_tree_free(t);
}

void test_nested_add(void) {
    sparta_command_tree *t = fixture_tree();
    sparta_command_node *group = sparta__command_find(t, "pipeline");
    sparta_command_node *show = sparta__command_find(t, "pipeline show");
    CU_ASSERT_PTR_NOT_NULL_FATAL(group);
    CU_ASSERT_PTR_NOT_NULL_FATAL(show);
    CU_ASSERT_PTR_NULL(sparta__command_run(group)); /* a bare group */
    CU_ASSERT_PTR_EQUAL(sparta__command_run(show), fixture_run);
    CU_ASSERT_PTR_EQUAL(sparta__command_parent(show), group);
    CU_ASSERT_STRING_EQUAL(sparta__command_path(show), "pipeline show");
    CU_ASSERT_STRING_EQUAL(sparta__command_name(show), "show");
    CU_ASSERT_STRING_EQUAL(sparta__command_args_usage(show), "[NAME]");
    CU_ASSERT_PTR_EQUAL(sparta__command_owner(show), &plugin_ops);
    CU_ASSERT_STRING_EQUAL(sparta__command_path(sparta__command_root(t)), "");
    CU_ASSERT_PTR_EQUAL(sparta__command_find(t, ""), sparta__command_root(t));
    CU_ASSERT_PTR_NULL(sparta__command_find(t, "pipeline nope"));

    /* a second child and a deeper one reuse the group */
    sparta_error_slot err = {0};
    sparta_command_spec s = spec_for("pipeline stage add");
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, &plugin_ops, &err), 0);
    CU_ASSERT_EQUAL(sparta__command_child_count(group), 2);
    CU_ASSERT_STRING_EQUAL(sparta__command_name(sparta__command_child_at(group, 0)), "show");
    CU_ASSERT_STRING_EQUAL(sparta__command_name(sparta__command_child_at(group, 1)), "stage");
    /* a spec for the group fills it in rather than clashing */
    s = spec_for("pipeline");
    s.summary = "Work with pipelines";
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, &plugin_ops, &err), 0);
    CU_ASSERT_PTR_EQUAL(sparta__command_find(t, "pipeline"), group);
    CU_ASSERT_STRING_EQUAL(sparta__command_summary(group), "Work with pipelines");
    CU_ASSERT_EQUAL(sparta__command_child_count(group), 2);
    /* but only once */
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, &plugin_codepipeline, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "\"sparta pipeline\"");
    TEST_ASSERT_CONTAINS(err.message, "plugin \"codepipeline\"");
    TEST_ASSERT_CONTAINS(err.message, "already registered by plugin \"ops\"");
    /* root children are sorted */
    const sparta_command_node *root = sparta__command_root(t);
    for (size_t i = 1; i < sparta__command_child_count(root); i++)
        CU_ASSERT(strcmp(sparta__command_name(sparta__command_child_at(root, i - 1)),
                         sparta__command_name(sparta__command_child_at(root, i))) < 0);
    /* set_text for the root's description */
    CU_ASSERT_EQUAL(sparta__command_set_text(sparta__command_root(t), "Serverless deploys", "Long text"), 0);
    CU_ASSERT_STRING_EQUAL(sparta__command_long_help(root), "Long text");
    sparta__command_tree_free(t);
}

void test_alias_lookup(void) {
    sparta_command_tree *t = fixture_tree();
    sparta_command_node *pp = sparta__command_find(t, "provisionPipeline");
    CU_ASSERT_PTR_NOT_NULL_FATAL(pp);
    CU_ASSERT_STRING_EQUAL(sparta__command_alias(pp), "provision-pipeline");
    CU_ASSERT_PTR_EQUAL(sparta__command_find(t, "provision-pipeline"), pp);
    CU_ASSERT_PTR_NULL(sparta__command_alias(sparta__command_find(t, "provision")));
    /* explicit alias, and "" for none */
    sparta_error_slot err = {0};
    sparta_command_spec s = spec_for("listStacks");
    s.alias = "ls";
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, NULL, &err), 0);
    CU_ASSERT_PTR_EQUAL(sparta__command_find(t, "ls"), sparta__command_find(t, "listStacks"));
    CU_ASSERT_PTR_NULL(sparta__command_find(t, "list-stacks"));
    s = spec_for("showAll");
    s.alias = "";
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, NULL, &err), 0);
    CU_ASSERT_PTR_NULL(sparta__command_alias(sparta__command_find(t, "showAll")));
    /* an alias equal to a sibling's name, or a name equal to a sibling's alias */
    s = spec_for("stats");
    s.alias = "status";
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, &plugin_ops, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "alias \"status\" is already taken");
    s = spec_for("provision-pipeline");
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, &plugin_ops, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "already an alias of a command registered by plugin \"codepipeline\"");
    s = spec_for("helper");
    s.alias = "same";
    s.path = "same";
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, NULL, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "must be a different valid name");
    sparta__command_tree_free(t);
}

void test_duplicates_refused(void) {
    sparta_command_tree *t = fixture_tree();
    sparta_error_slot err = {0};
    sparta_command_spec s = spec_for("provision");
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, &plugin_codepipeline, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "cannot register command \"sparta provision\" for plugin \"codepipeline\"");
    TEST_ASSERT_CONTAINS(err.message, "already registered by the sparta host");
    s = spec_for("provisionPipeline");
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, &plugin_ops, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "for plugin \"ops\"");
    TEST_ASSERT_CONTAINS(err.message, "already registered by plugin \"codepipeline\"");
    s = spec_for("help");
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, &plugin_ops, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "\"help\" is reserved");
    /* an owner without a name is still told apart */
    static int anonymous;
    s = spec_for("version");
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, &anonymous, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "the registrant at 0x");
    sparta__command_tree_free(t);
}

void test_flag_clashes(void) {
    sparta_command_tree *t = fixture_tree();
    sparta_error_slot err = {0};
    sparta_flag_spec f = {sizeof f, "s3Bucket", NULL, SPARTA_FLAG_STRING, NULL, "again", 0};
    CU_ASSERT_EQUAL(sparta__command_flag_add(t, "provision", &f, &plugin_ops, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "cannot add flag --s3Bucket to \"sparta provision\" for plugin \"ops\"");
    TEST_ASSERT_CONTAINS(err.message, "registered by the sparta host");
    /* alias against name */
    f.name = "sBucket";
    f.alias = "s3-bucket";
    CU_ASSERT_EQUAL(sparta__command_flag_add(t, "provision", &f, &plugin_ops, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "--s3-bucket is already the flag --s3Bucket, --s3-bucket");
    /* a local flag may not shadow a global one */
    f.name = "noop";
    f.alias = NULL;
    CU_ASSERT_EQUAL(sparta__command_flag_add(t, "provision", &f, &plugin_ops, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "the global flag --noop");
    /* nor a new global shadow any command's flag; the message names the owner */
    f.name = "codePipelinePackage";
    CU_ASSERT_EQUAL(sparta__command_flag_add(t, "", &f, &plugin_ops, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "registered by plugin \"codepipeline\"");
    /* help is reserved */
    f.name = "help";
    CU_ASSERT_EQUAL(sparta__command_flag_add(t, "status", &f, NULL, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "reserved for help");
    /* defaults must read as their type; required excludes a default */
    f.name = "count";
    f.type = SPARTA_FLAG_INT;
    f.default_value = "many";
    CU_ASSERT_EQUAL(sparta__command_flag_add(t, "status", &f, NULL, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "default \"many\" is not an integer");
    f.type = SPARTA_FLAG_BOOL;
    CU_ASSERT_EQUAL(sparta__command_flag_add(t, "status", &f, NULL, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "is not a bool");
    f.type = SPARTA_FLAG_STRING;
    f.required = 1;
    CU_ASSERT_EQUAL(sparta__command_flag_add(t, "status", &f, NULL, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "required and has a default");
    /* the command must exist; a near miss is suggested */
    f.required = 0;
    f.default_value = NULL;
    CU_ASSERT_EQUAL(sparta__command_flag_add(t, "provison", &f, NULL, &err), SPARTA_ENOTFOUND);
    TEST_ASSERT_CONTAINS(err.message, "no command \"sparta provison\"");
    TEST_ASSERT_CONTAINS(err.message, "Did you mean this?\n\tprovision");
    /* two flags of one spec */
    sparta_flag_spec two[2] = {{sizeof f, "alpha", NULL, SPARTA_FLAG_BOOL, NULL, "", 0},
                               {sizeof f, "alpha", NULL, SPARTA_FLAG_BOOL, NULL, "", 0}};
    sparta_command_spec s = spec_for("twice");
    s.flags = two;
    s.flag_count = 2;
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, NULL, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "the same spec already has a flag --alpha");
    sparta__command_tree_free(t);
}

/* What a plugin built against a newer SDK would pass. */
typedef struct newer_command_spec {
    sparta_command_spec v1;
    const char *added_later;
} newer_command_spec;

void test_spec_sizes(void) {
    sparta_command_tree *t = fixture_tree();
    sparta_error_slot err = {0};
    newer_command_spec newer = {spec_for("future"), "x"};
    newer.v1.size = sizeof newer;
    CU_ASSERT_EQUAL(sparta__command_add(t, &newer.v1, &plugin_ops, &err), SPARTA_EPLUGIN);
    TEST_ASSERT_CONTAINS(err.message, "sparta_command_spec is");
    TEST_ASSERT_CONTAINS(err.message, "newer SDK");
    CU_ASSERT_PTR_NULL(sparta__command_find(t, "future"));
    sparta_command_spec small = spec_for("tiny");
    small.size = 8;
    CU_ASSERT_EQUAL(sparta__command_add(t, &small, &plugin_ops, &err), SPARTA_EPLUGIN);
    TEST_ASSERT_CONTAINS(err.message, "smaller than its first version");
    /* flag specs: too big, too small, and inconsistent array strides */
    struct {
        sparta_flag_spec v1;
        void *later;
    } big = {{sizeof big, "later", NULL, SPARTA_FLAG_BOOL, NULL, "", 0}, NULL};
    CU_ASSERT_EQUAL(sparta__command_flag_add(t, "status", &big.v1, NULL, &err), SPARTA_EPLUGIN);
    TEST_ASSERT_CONTAINS(err.message, "sparta_flag_spec is");
    sparta_flag_spec f = {4, "x", NULL, SPARTA_FLAG_BOOL, NULL, "", 0};
    CU_ASSERT_EQUAL(sparta__command_flag_add(t, "status", &f, NULL, &err), SPARTA_EPLUGIN);
    TEST_ASSERT_CONTAINS(err.message, "smaller than its first version");
    sparta_flag_spec mixed[2] = {{sizeof f, "one", NULL, SPARTA_FLAG_BOOL, NULL, "", 0},
                                 {sizeof f - 8, "two", NULL, SPARTA_FLAG_BOOL, NULL, "", 0}};
    sparta_command_spec s = spec_for("mixed");
    s.flags = mixed;
    s.flag_count = 2;
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, NULL, &err), SPARTA_EPLUGIN);
    TEST_ASSERT_CONTAINS(err.message, "flags[1].size");
    s.flags = NULL;
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, NULL, &err), SPARTA_EGENERIC);
    TEST_ASSERT_CONTAINS(err.message, "no flags");
    CU_ASSERT_EQUAL(sparta__command_add(t, NULL, NULL, &err), SPARTA_EGENERIC);
    /* strings are copied: the spec may die right after */
    char path[] = "ephemeral", summary[] = "gone soon";
    s = spec_for(path);
    s.summary = summary;
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, NULL, &err), 0);
    memset(path, 'x', sizeof path - 1);
    memset(summary, 'x', sizeof summary - 1);
    CU_ASSERT_STRING_EQUAL(sparta__command_summary(sparta__command_find(t, "ephemeral")), "gone soon");
    sparta__command_tree_free(t);
}

void test_all_or_nothing(void) {
    sparta_command_tree *t = fixture_tree();
    sparta_error_slot err = {0};
    sparta_flag_spec flags[2] = {{sizeof(sparta_flag_spec), "fine", NULL, SPARTA_FLAG_BOOL, NULL, "", 0},
                                 {sizeof(sparta_flag_spec), "noop", NULL, SPARTA_FLAG_BOOL, NULL, "", 0}};
    sparta_command_spec s = spec_for("deep nested cmd");
    s.flags = flags;
    s.flag_count = 2;
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, &plugin_ops, &err), SPARTA_EUSAGE);
    CU_ASSERT_PTR_NULL(sparta__command_find(t, "deep")); /* no half-made group */
    s.flag_count = 1;
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, &plugin_ops, &err), 0);
    CU_ASSERT_PTR_NOT_NULL(sparta__command_flag_find(sparta__command_find(t, "deep nested cmd"), "fine"));
    sparta__command_tree_free(t);
}

void test_remove_owned(void) {
    sparta_command_tree *t = fixture_tree();
    sparta_error_slot err = {0};
    sparta_command_spec s = spec_for("pipeline");
    CU_ASSERT_EQUAL(sparta__command_add(t, &s, &plugin_codepipeline, &err), 0); /* fills the group */
    /* codepipeline: provisionPipeline and its flag, --codePipelinePackage, the pipeline group */
    CU_ASSERT_EQUAL(sparta__command_remove_owned(t, &plugin_codepipeline), 4);
    CU_ASSERT_PTR_NULL(sparta__command_find(t, "provisionPipeline"));
    CU_ASSERT_PTR_NULL(sparta__command_flag_find(sparta__command_find(t, "provision"), "codePipelinePackage"));
    CU_ASSERT_PTR_NOT_NULL(sparta__command_find(t, "pipeline show")); /* ops' command stays */
    CU_ASSERT_PTR_NULL(sparta__command_run(sparta__command_find(t, "pipeline")));
    CU_ASSERT_EQUAL(sparta__command_remove_owned(t, &plugin_ops), 3); /* show, its flag, the group */
    CU_ASSERT_PTR_NULL(sparta__command_find(t, "pipeline"));
    CU_ASSERT_PTR_NOT_NULL(sparta__command_find(t, "provision"));
    CU_ASSERT_EQUAL(sparta__command_remove_owned(t, NULL), 0);
    sparta__command_tree_free(t);
}

void test_walk_by_owner(void) {
    sparta_command_tree *t = fixture_tree();
    size_t n = 0;
    void *ctx[2] = {&plugin_ops, &n};
    CU_ASSERT_EQUAL(sparta__command_walk(t, count_by_owner, ctx), 0);
    CU_ASSERT_EQUAL(n, 2); /* the implicit "pipeline" group and "pipeline show" */
    n = 0;
    ctx[0] = &plugin_codepipeline;
    sparta__command_walk(t, count_by_owner, ctx);
    CU_ASSERT_EQUAL(n, 1);
    /* flags a plugin added to other commands are visible through the flag list */
    const sparta_command_node *provision = sparta__command_find(t, "provision");
    size_t mine = 0;
    for (size_t i = 0; i < sparta__command_flag_count(provision); i++)
        mine += sparta__command_flag_at(provision, i)->owner == &plugin_codepipeline;
    CU_ASSERT_EQUAL(mine, 1);
    CU_ASSERT_PTR_NULL(sparta__command_flag_at(provision, 99));
    sparta__command_tree_free(t);
}
