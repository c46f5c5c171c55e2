/* Help text generated from the tree. */
#include "fixture.h"

#include <stdlib.h>
#include <string.h>

void test_help_root(void) {
    sparta_command_tree *t = fixture_tree();
    sparta__command_set_text(sparta__command_root(t), "Serverless deployments", NULL);
    char *h = sparta__command_help(t, sparta__command_root(t));
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT(strncmp(h, "Serverless deployments\n\nUsage:\n  sparta [command]\n", 49) == 0);
    TEST_ASSERT_CONTAINS(h, "\nAvailable Commands:\n");
    TEST_ASSERT_CONTAINS(h, "  completion          Generate a shell completion script\n");
    TEST_ASSERT_CONTAINS(h, "  help                Help about any command\n");
    TEST_ASSERT_CONTAINS(h, "  provisionPipeline   Provision the CI/CD pipeline\n");
    TEST_ASSERT_CONTAINS(h, "  pipeline\n"); /* a group without a summary */
    CU_ASSERT_PTR_NULL(strstr(h, "internalDebug"));
    /* sorted: completion < delete < ... < help < ... < version */
    CU_ASSERT(strstr(h, "  completion") < strstr(h, "  delete"));
    CU_ASSERT(strstr(h, "  describe") < strstr(h, "  help "));
    CU_ASSERT(strstr(h, "  help ") < strstr(h, "  pipeline"));
    CU_ASSERT(strstr(h, "  status") < strstr(h, "  version"));
    /* the root's flags are the globals, listed once */
    TEST_ASSERT_CONTAINS(h, "\nFlags:\n  -h, --help");
    TEST_ASSERT_CONTAINS(h, "help for sparta");
    TEST_ASSERT_CONTAINS(h, "      --outputDir, --output-dir string   where templates and archives go (default \".sparta\")\n");
    CU_ASSERT_PTR_NULL(strstr(h, "Global Flags"));
    TEST_ASSERT_CONTAINS(h, "Use \"sparta [command] --help\" for more information about a command.");
    free(h);
    sparta__command_tree_free(t);
}

void test_help_command(void) {
    sparta_command_tree *t = fixture_tree();
    char *h = sparta__command_help(t, sparta__command_find(t, "provision"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT(strncmp(h, "Provision the service\n\nUsage:\n  sparta provision [flags]\n", 57) == 0);
    CU_ASSERT_PTR_NULL(strstr(h, "Available Commands"));
    CU_ASSERT_PTR_NULL(strstr(h, "[command]"));
    /* local flags: alias, type, default, aligned to one column */
    TEST_ASSERT_CONTAINS(h, "\nFlags:\n");
    TEST_ASSERT_CONTAINS(h, "      --s3Bucket, --s3-bucket string");
    TEST_ASSERT_CONTAINS(h, "      --memory int ");
    TEST_ASSERT_CONTAINS(h, "default function memory in MB (default 128)\n");
    TEST_ASSERT_CONTAINS(h, "      --buildTags, --build-tags strings ");
    TEST_ASSERT_CONTAINS(h, "a tag for the build, KEY=VALUE (repeatable)\n");
    TEST_ASSERT_CONTAINS(h, "wait for the stack to settle (default true)\n");
    TEST_ASSERT_CONTAINS(h, "      --codePipelinePackage, --code-pipeline-package string   write the pipeline's");
    TEST_ASSERT_CONTAINS(h, "\nFlags:\n  -h, --help      ");
    TEST_ASSERT_CONTAINS(h, "   help for provision\n");
    /* globals after */
    const char *globals = strstr(h, "\nGlobal Flags:\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(globals);
    TEST_ASSERT_CONTAINS(globals, "      --noop ");
    TEST_ASSERT_CONTAINS(globals, "--level string ");
    TEST_ASSERT_CONTAINS(globals, "(default \"info\")");
    CU_ASSERT_PTR_NULL(strstr(globals, "s3Bucket"));
    /* every flag line's usage starts in the same column */
    const char *flags = strstr(h, "\nFlags:\n") + 8;
    size_t column = 0;
    for (const char *line = flags; line < globals; line = strchr(line, '\n') + 1) {
        const char *text = line;
        while (*text == ' ') text++;
        text = strstr(text, "   ");
        while (text && *text == ' ') text++;
        if (!column) column = (size_t)(text - line);
        CU_ASSERT_EQUAL((size_t)(text - line), column);
    }
    free(h);
    /* aliases, args and required flags */
    h = sparta__command_help(t, sparta__command_find(t, "provisionPipeline"));
    TEST_ASSERT_CONTAINS(h, "\nAliases:\n  provisionPipeline, provision-pipeline\n");
    free(h);
    h = sparta__command_help(t, sparta__command_find(t, "pipeline show"));
    TEST_ASSERT_CONTAINS(h, "  sparta pipeline show [flags] [NAME]\n");
    free(h);
    h = sparta__command_help(t, sparta__command_find(t, "delete"));
    TEST_ASSERT_CONTAINS(h, "the stack to delete (required)");
    free(h);
    char *u = sparta__command_usage(t, sparta__command_find(t, "completion"));
    CU_ASSERT_STRING_EQUAL(u, "sparta completion [flags] bash|zsh|fish");
    free(u);
    sparta__command_tree_free(t);
}

void test_help_group(void) {
    sparta_command_tree *t = fixture_tree();
    char *h = sparta__command_help(t, sparta__command_find(t, "pipeline"));
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    CU_ASSERT(strncmp(h, "Usage:\n  sparta pipeline [command]\n", 34) == 0);
    TEST_ASSERT_CONTAINS(h, "\nAvailable Commands:\n  show   Show a pipeline\n");
    CU_ASSERT_PTR_NULL(strstr(h, "\n  help ")); /* `help` is listed at the root only */
    TEST_ASSERT_CONTAINS(h, "Use \"sparta pipeline [command] --help\"");
    free(h);
    sparta__command_tree_set_program(t, "myco");
    h = sparta__command_help(t, sparta__command_find(t, "pipeline show"));
    TEST_ASSERT_CONTAINS(h, "  myco pipeline show [flags] [NAME]");
    free(h);
    sparta__command_tree_free(t);
}
