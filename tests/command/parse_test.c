/* Parsing: every flag form, defaults, required flags, help, errors. */
#include "fixture.h"

#include <string.h>

#define P(...) fixture_parse(t, &inv, &err, __VA_ARGS__, (const char *)NULL)

void test_parse_flag_forms(void) {
    sparta_command_tree *t = fixture_tree();
    sparta_invocation *inv = NULL;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL_FATAL(P("provision", "--s3Bucket", "bucket-a", "--memory=256", "--noop", "--wait=false",
                            "--buildTags", "a=1", "--build-tags=b=2", "--code-pipeline-package", "pkg.zip"),
                          0);
    CU_ASSERT_PTR_EQUAL(sparta__invocation_command(inv), sparta__command_find(t, "provision"));
    CU_ASSERT_STRING_EQUAL(sparta__invocation_flag_string(inv, "s3Bucket"), "bucket-a");
    CU_ASSERT_STRING_EQUAL(sparta__invocation_flag_string(inv, "s3-bucket"), "bucket-a"); /* by alias */
    CU_ASSERT_EQUAL(sparta__invocation_flag_int(inv, "memory"), 256);
    CU_ASSERT_EQUAL(sparta__invocation_flag_bool(inv, "noop"), 1);
    CU_ASSERT_EQUAL(sparta__invocation_flag_bool(inv, "wait"), 0);
    CU_ASSERT_EQUAL(sparta__invocation_flag_list_count(inv, "buildTags"), 2);
    CU_ASSERT_STRING_EQUAL(sparta__invocation_flag_list_at(inv, "buildTags", 0), "a=1");
    CU_ASSERT_STRING_EQUAL(sparta__invocation_flag_list_at(inv, "build-tags", 1), "b=2");
    CU_ASSERT_PTR_NULL(sparta__invocation_flag_list_at(inv, "buildTags", 2));
    CU_ASSERT_STRING_EQUAL(sparta__invocation_flag_string(inv, "codePipelinePackage"), "pkg.zip");
    CU_ASSERT_EQUAL(sparta__invocation_help_requested(inv), 0);
    CU_ASSERT_EQUAL(sparta__invocation_arg_count(inv), 0);
    sparta__invocation_free(inv);

    /* globals before the command; the last value wins; negative ints; bool spellings */
    CU_ASSERT_EQUAL_FATAL(P("--level", "debug", "--noop=yes", "provision", "--retries", "-3", "--s3Bucket=a",
                            "--s3Bucket=", "--level=warn"),
                          0);
    CU_ASSERT_STRING_EQUAL(sparta__invocation_flag_string(inv, "level"), "warn");
    CU_ASSERT_EQUAL(sparta__invocation_flag_int(inv, "retries"), -3);
    CU_ASSERT_EQUAL(sparta__invocation_flag_bool(inv, "noop"), 1);
    CU_ASSERT_STRING_EQUAL(sparta__invocation_flag_string(inv, "s3Bucket"), "");
    CU_ASSERT_EQUAL(sparta__invocation_flag_list_count(inv, "s3Bucket"), 1);
    sparta__invocation_free(inv);

    /* a plugin's command via its alias, and a nested one with its flags */
    CU_ASSERT_EQUAL_FATAL(P("provision-pipeline", "--pipeline-name", "main"), 0);
    CU_ASSERT_PTR_EQUAL(sparta__invocation_command(inv), sparta__command_find(t, "provisionPipeline"));
    CU_ASSERT_STRING_EQUAL(sparta__invocation_flag_string(inv, "pipelineName"), "main");
    sparta__invocation_free(inv);
    CU_ASSERT_EQUAL_FATAL(P("pipeline", "show", "--v-v", "prod", "--outputDir", "out"), 0);
    CU_ASSERT_PTR_EQUAL(sparta__invocation_command(inv), sparta__command_find(t, "pipeline show"));
    CU_ASSERT_EQUAL(sparta__invocation_flag_bool(inv, "verbose"), 1);
    CU_ASSERT_STRING_EQUAL(sparta__invocation_flag_string(inv, "output-dir"), "out");
    CU_ASSERT_EQUAL(sparta__invocation_arg_count(inv), 1);
    CU_ASSERT_STRING_EQUAL(sparta__invocation_arg_at(inv, 0), "prod");
    CU_ASSERT_PTR_NULL(sparta__invocation_arg_at(inv, 1));
    sparta__invocation_free(inv);

    /* `--` ends flags: what follows is positional */
    CU_ASSERT_EQUAL_FATAL(P("pipeline", "show", "--", "--verbose"), 0);
    CU_ASSERT_EQUAL(sparta__invocation_flag_bool(inv, "verbose"), 0);
    CU_ASSERT_STRING_EQUAL(sparta__invocation_arg_at(inv, 0), "--verbose");
    sparta__invocation_free(inv);
    /* "-" alone is an argument (stdin), not a flag */
    CU_ASSERT_EQUAL_FATAL(P("pipeline", "show", "-"), 0);
    CU_ASSERT_STRING_EQUAL(sparta__invocation_arg_at(inv, 0), "-");
    sparta__invocation_free(inv);
    /* no arguments: the root */
    CU_ASSERT_EQUAL_FATAL(fixture_parse(t, &inv, &err, (const char *)NULL), 0);
    CU_ASSERT_PTR_EQUAL(sparta__invocation_command(inv), sparta__command_root(t));
    sparta__invocation_free(inv);
    sparta__command_tree_free(t);
}

void test_parse_defaults(void) {
    sparta_command_tree *t = fixture_tree();
    sparta_invocation *inv = NULL;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL_FATAL(P("provision"), 0);
    CU_ASSERT_EQUAL(sparta__invocation_flag_int(inv, "memory"), 128);
    CU_ASSERT_EQUAL(sparta__invocation_flag_is_set(inv, "memory"), 0);
    CU_ASSERT_EQUAL(sparta__invocation_flag_bool(inv, "wait"), 1);
    CU_ASSERT_EQUAL(sparta__invocation_flag_bool(inv, "noop"), 0);
    CU_ASSERT_STRING_EQUAL(sparta__invocation_flag_string(inv, "level"), "info");
    CU_ASSERT_STRING_EQUAL(sparta__invocation_flag_string(inv, "outputDir"), ".sparta");
    CU_ASSERT_PTR_NULL(sparta__invocation_flag_string(inv, "s3Bucket"));
    CU_ASSERT_EQUAL(sparta__invocation_flag_int(inv, "retries"), 0);
    CU_ASSERT_EQUAL(sparta__invocation_flag_list_count(inv, "buildTags"), 0);
    CU_ASSERT_PTR_NULL(sparta__invocation_flag_list_at(inv, "buildTags", 0));
    /* a flag of another command, or none at all, reads as unset */
    CU_ASSERT_PTR_NULL(sparta__invocation_flag_string(inv, "pipelineName"));
    CU_ASSERT_PTR_NULL(sparta__invocation_flag_string(inv, "nope"));
    CU_ASSERT_EQUAL(sparta__invocation_flag_is_set(inv, "nope"), 0);
    sparta__invocation_free(inv);
    CU_ASSERT_EQUAL_FATAL(P("provision", "--memory", "128"), 0);
    CU_ASSERT_EQUAL(sparta__invocation_flag_is_set(inv, "memory"), 1);
    CU_ASSERT_EQUAL(sparta__invocation_flag_is_set(inv, "retries"), 0);
    sparta__invocation_free(inv);
    /* accessors tolerate a NULL invocation (a plugin asking outside a command) */
    CU_ASSERT_PTR_NULL(sparta__invocation_flag_string(NULL, "noop"));
    CU_ASSERT_EQUAL(sparta__invocation_arg_count(NULL), 0);
    sparta__command_tree_free(t);
}

void test_parse_required(void) {
    sparta_command_tree *t = fixture_tree();
    sparta_invocation *inv = NULL;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(P("delete"), SPARTA_EUSAGE);
    CU_ASSERT_PTR_NULL(inv);
    TEST_ASSERT_CONTAINS(err.message, "required flag --stackName not set");
    TEST_ASSERT_CONTAINS(err.message, "Usage: sparta delete [flags]");
    TEST_ASSERT_CONTAINS(err.message, "Run 'sparta delete --help'");
    CU_ASSERT_EQUAL_FATAL(P("delete", "--stack-name", "svc"), 0);
    CU_ASSERT_STRING_EQUAL(sparta__invocation_flag_string(inv, "stackName"), "svc");
    sparta__invocation_free(inv);
    /* asking for help needs no required flags */
    CU_ASSERT_EQUAL_FATAL(P("delete", "--help"), 0);
    CU_ASSERT_EQUAL(sparta__invocation_help_requested(inv), 1);
    sparta__invocation_free(inv);
    sparta__command_tree_free(t);
}

void test_parse_help(void) {
    sparta_command_tree *t = fixture_tree();
    sparta_invocation *inv = NULL;
    sparta_error_slot err = {0};
    const char *const forms[][4] = {
        {"provision", "-h", NULL},   {"provision", "--help", NULL}, {"-h", "provision", NULL},
        {"--help", "provision", NULL}, {"help", "provision", NULL}, {"help", "--noop", "provision", NULL},
    };
    for (size_t i = 0; i < sizeof forms / sizeof *forms; i++) {
        int argc = 0;
        while (forms[i][argc]) argc++;
        CU_ASSERT_EQUAL_FATAL(sparta__command_parse(t, argc, forms[i], &inv, &err), 0);
        CU_ASSERT_EQUAL(sparta__invocation_help_requested(inv), 1);
        CU_ASSERT_PTR_EQUAL(sparta__invocation_command(inv), sparta__command_find(t, "provision"));
        sparta__invocation_free(inv);
    }
    CU_ASSERT_EQUAL_FATAL(P("help", "pipeline", "show"), 0);
    CU_ASSERT_PTR_EQUAL(sparta__invocation_command(inv), sparta__command_find(t, "pipeline show"));
    sparta__invocation_free(inv);
    CU_ASSERT_EQUAL_FATAL(P("help"), 0);
    CU_ASSERT_PTR_EQUAL(sparta__invocation_command(inv), sparta__command_root(t));
    CU_ASSERT_EQUAL(sparta__invocation_help_requested(inv), 1);
    sparta__invocation_free(inv);
    CU_ASSERT_EQUAL(P("help", "provison"), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "unknown help topic \"provison\" for \"sparta\"");
    TEST_ASSERT_CONTAINS(err.message, "Did you mean this?\n\tprovision");
    sparta__command_tree_free(t);
}

void test_parse_positionals(void) {
    sparta_command_tree *t = fixture_tree();
    sparta_invocation *inv = NULL;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL_FATAL(P("completion", "bash"), 0);
    CU_ASSERT_STRING_EQUAL(sparta__invocation_arg_at(inv, 0), "bash");
    sparta__invocation_free(inv);
    /* a command without args usage takes none */
    CU_ASSERT_EQUAL(P("version", "extra"), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "\"sparta version\" takes no arguments, but got \"extra\"");
    TEST_ASSERT_CONTAINS(err.message, "Usage: sparta version [flags]");
    CU_ASSERT_EQUAL(P("version", "--", "x"), SPARTA_EUSAGE);
    /* a group: the word must be a subcommand */
    CU_ASSERT_EQUAL(P("pipeline", "shwo"), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "unknown command \"shwo\" for \"sparta pipeline\"");
    TEST_ASSERT_CONTAINS(err.message, "\tshow");
    TEST_ASSERT_CONTAINS(err.message, "Usage: sparta pipeline [command]");
    /* a group alone parses; the host shows its help */
    CU_ASSERT_EQUAL_FATAL(P("pipeline"), 0);
    CU_ASSERT_PTR_NULL(sparta__command_run(sparta__invocation_command(inv)));
    sparta__invocation_free(inv);
    /* hidden commands still run */
    CU_ASSERT_EQUAL_FATAL(P("internalDebug"), 0);
    sparta__invocation_free(inv);
    sparta__command_tree_free(t);
}

void test_parse_errors(void) {
    sparta_command_tree *t = fixture_tree();
    sparta_invocation *inv = NULL;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(P("provision", "--memory", "lots"), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "invalid value \"lots\" for flag --memory: expected an integer");
    TEST_ASSERT_CONTAINS(err.message, "Usage: sparta provision [flags]");
    CU_ASSERT_EQUAL(P("provision", "--memory=12x"), SPARTA_EUSAGE);
    CU_ASSERT_EQUAL(P("provision", "--memory", "99999999999999999999"), SPARTA_EUSAGE);
    CU_ASSERT_EQUAL(P("provision", "--s3Bucket"), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "flag --s3Bucket needs a value (string): --s3Bucket VALUE or --s3Bucket=VALUE");
    CU_ASSERT_EQUAL(P("provision", "--s3-bucket", "--noop"), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "flag --s3-bucket needs a value");
    CU_ASSERT_EQUAL(P("provision", "--noop=maybe"), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "invalid value \"maybe\" for flag --noop: expected true or false");
    /* a local flag before its command is not known yet */
    CU_ASSERT_EQUAL(P("--s3Bucket", "b", "provision"), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "unknown flag --s3Bucket for \"sparta\"");
    /* a group's flag given before its subcommand */
    sparta_flag_spec f = {sizeof f, "region", NULL, SPARTA_FLAG_STRING, NULL, "", 0};
    CU_ASSERT_EQUAL_FATAL(sparta__command_flag_add(t, "pipeline", &f, NULL, &err), 0);
    CU_ASSERT_EQUAL(P("pipeline", "--region", "x", "show"), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "flag --region belongs to \"sparta pipeline\", not \"sparta pipeline show\"");
    /* single-dash spellings */
    CU_ASSERT_EQUAL(P("provision", "-noop"), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "unknown shorthand flag \"-noop\"");
    TEST_ASSERT_CONTAINS(err.message, "\t--noop");
    sparta__command_tree_free(t);
}

void test_parse_suggestions(void) {
    sparta_command_tree *t = fixture_tree();
    sparta_invocation *inv = NULL;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(P("provison"), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "unknown command \"provison\" for \"sparta\"");
    TEST_ASSERT_CONTAINS(err.message, "Did you mean this?\n\tprovision");
    CU_ASSERT_PTR_NULL(strstr(err.message, "provisionPipeline")); /* not plausible */
    TEST_ASSERT_CONTAINS(err.message, "Run 'sparta --help'");
    CU_ASSERT_EQUAL(P("provision", "--s3bucket", "b"), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "unknown flag --s3bucket for \"sparta provision\"");
    TEST_ASSERT_CONTAINS(err.message, "Did you mean this?\n\t--s3Bucket");
    CU_ASSERT_PTR_NULL(strstr(err.message, "--s3-bucket")); /* one suggestion per flag */
    CU_ASSERT_EQUAL(P("provision", "--s3-buckt=b"), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "\t--s3-bucket");
    /* prefixes: "stat" -> status; "provisionPipe" -> provisionPipeline */
    CU_ASSERT_EQUAL(P("stat"), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "\tstatus");
    CU_ASSERT_EQUAL(P("provisionPipe"), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "\tprovisionPipeline");
    /* globals are suggested on any command; hidden commands never */
    CU_ASSERT_EQUAL(P("pipeline", "show", "--outptDir", "x"), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "\t--outputDir");
    CU_ASSERT_EQUAL(P("internalDebg"), SPARTA_EUSAGE);
    CU_ASSERT_PTR_NULL(strstr(err.message, "Did you mean"));
    /* nothing plausible, nothing suggested */
    CU_ASSERT_EQUAL(P("xyzzy"), SPARTA_EUSAGE);
    CU_ASSERT_PTR_NULL(strstr(err.message, "Did you mean"));
    CU_ASSERT_EQUAL(P("provision", "--q"), SPARTA_EUSAGE);
    CU_ASSERT_PTR_NULL(strstr(err.message, "Did you mean"));
    sparta__command_tree_free(t);
}

void test_parse_globals_only(void) {
    sparta_command_tree *t = fixture_tree();
    sparta_invocation *inv = NULL;
    sparta_error_slot err = {0};
    const char *argv[] = {"unknownPluginCmd", "--pluginFlag", "x", "--config", "a.cfg", "--level=debug", "--help"};
    CU_ASSERT_EQUAL_FATAL(sparta__command_parse_globals(t, 7, argv, &inv, &err), 0);
    CU_ASSERT_STRING_EQUAL(sparta__invocation_flag_string(inv, "config"), "a.cfg");
    CU_ASSERT_STRING_EQUAL(sparta__invocation_flag_string(inv, "level"), "debug");
    CU_ASSERT_EQUAL(sparta__invocation_help_requested(inv), 1);
    CU_ASSERT_PTR_EQUAL(sparta__invocation_command(inv), sparta__command_root(t));
    CU_ASSERT_EQUAL(sparta__invocation_arg_count(inv), 0);
    sparta__invocation_free(inv);
    const char *bad[] = {"provision", "--config"};
    CU_ASSERT_EQUAL(sparta__command_parse_globals(t, 2, bad, &inv, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "flag --config needs a value");
    sparta__command_tree_free(t);
}

void test_levenshtein(void) {
    CU_ASSERT_EQUAL(sparta__command_levenshtein("provison", "provision"), 1);
    CU_ASSERT_EQUAL(sparta__command_levenshtein("s3bucket", "s3Bucket"), 0);
    CU_ASSERT_EQUAL(sparta__command_levenshtein("", "abc"), 3);
    CU_ASSERT_EQUAL(sparta__command_levenshtein("kitten", "sitting"), 3);
    CU_ASSERT_EQUAL(sparta__command_levenshtein("delete", "describe"), 5);
    CU_ASSERT_EQUAL(sparta__command_levenshtein("shwo", "show"), 1); /* a transposition */
    char long_a[200], long_b[200];
    memset(long_a, 'a', 199), memset(long_b, 'a', 199);
    long_a[199] = long_b[199] = '\0';
    long_b[100] = 'b';
    CU_ASSERT_EQUAL(sparta__command_levenshtein(long_a, long_b), 1);
}
