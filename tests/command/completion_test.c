/* Completion scripts: valid shell, and they complete what the tree holds. */
#include "fixture.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char *script_file(sparta_command_tree *t, const char *shell, char **dir) {
    char *text = NULL;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(sparta__command_completion(t, shell, &text, &err), 0);
    *dir = test_tmpdir();
    char *path = test_strf("%s/sparta.%s", *dir, shell);
    CU_ASSERT_EQUAL(test_write_file(path, text ? text : ""), 0);
    free(text);
    return path;
}

/* What the bash function offers for the words (the last one is being completed). */
static char *bash_complete(const char *script, const char *words) {
    char *out = NULL;
    int rc = test_sh(&out,
                     "bash --norc --noprofile -c 'source \"%s\"; COMP_WORDS=(%s); "
                     "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _sparta; echo \"${COMPREPLY[*]}\"'",
                     script, words);
    CU_ASSERT_EQUAL(rc, 0);
    return out;
}

#define EXPECT_BASH(words, expected)                  \
    do {                                              \
        char *got = bash_complete(path, words);       \
        CU_ASSERT_PTR_NOT_NULL(got);                  \
        if (got && strcmp(got, expected "\n") != 0)   \
            fprintf(stderr, "\n[%s] -> [%s]\n", words, got); \
        CU_ASSERT(got && strcmp(got, expected "\n") == 0); \
        free(got);                                    \
    } while (0)

void test_completion_bash(void) {
    sparta_command_tree *t = fixture_tree();
    char *dir = NULL, *path = script_file(t, "bash", &dir), *out = NULL;
    CU_ASSERT_EQUAL(test_sh(&out, "bash -n '%s'", path), 0);
    CU_ASSERT_STRING_EQUAL(out, "");
    free(out);
    EXPECT_BASH("sparta prov", "provision provisionPipeline");
    EXPECT_BASH("sparta provision-", "");
    EXPECT_BASH("sparta \"\"", "completion delete describe help pipeline provision provisionPipeline status version");
    EXPECT_BASH("sparta pipeline \"\"", "show");
    EXPECT_BASH("sparta --config x.cfg --noop pip", "pipeline");
    EXPECT_BASH("sparta help prov", "provision provisionPipeline");
    EXPECT_BASH("sparta provision --s3", "--s3Bucket --s3-bucket");
    EXPECT_BASH("sparta provision --code", "--codePipelinePackage --code-pipeline-package");
    EXPECT_BASH("sparta provision --no", "--nocolor --noop");
    EXPECT_BASH("sparta provision-pipeline --pip", "--pipelineName --pipeline-name");
    EXPECT_BASH("sparta pipeline show --v", "--verbose --v-v");
    /* a flag's value is left to readline; positional words get no commands */
    EXPECT_BASH("sparta provision --s3Bucket \"\"", "");
    EXPECT_BASH("sparta --config = \"\"", "");
    EXPECT_BASH("sparta --config = x.cfg prov", "provision provisionPipeline");
    EXPECT_BASH("sparta --noop = false prov", "provision provisionPipeline");
    EXPECT_BASH("sparta provision \"\"", "");
    EXPECT_BASH("sparta pipeline show prod \"\"", "");
    EXPECT_BASH("sparta -- prov", "");
    /* the hidden command is not offered */
    EXPECT_BASH("sparta inter", "");
    /* and it is registered for the program */
    CU_ASSERT_EQUAL(test_sh(&out, "bash --norc -c 'source \"%s\"; complete -p sparta'", path), 0);
    TEST_ASSERT_CONTAINS(out, "complete -o default -F _sparta sparta");
    free(out);
    free(path);
    test_rmtree(dir);
    free(dir);
    sparta__command_tree_free(t);
}

void test_completion_zsh(void) {
    sparta_command_tree *t = fixture_tree();
    char *text = NULL;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL_FATAL(sparta__command_completion(t, "zsh", &text, &err), 0);
    CU_ASSERT(strncmp(text, "#compdef sparta\n", 16) == 0);
    TEST_ASSERT_CONTAINS(text, "'provision:Provision the service'");
    TEST_ASSERT_CONTAINS(text, "'help:Help about any command'");
    TEST_ASSERT_CONTAINS(text, "\"|provisionPipeline\"|\"|provision-pipeline\") REPLY=\"provisionPipeline\" ;;");
    TEST_ASSERT_CONTAINS(text, "\"pipeline|show\") REPLY=\"pipeline show\" ;;");
    TEST_ASSERT_CONTAINS(text, "'show:Show a pipeline'");
    TEST_ASSERT_CONTAINS(text, "\"provision\") REPLY=\"--buildTags --build-tags --codePipelinePackage");
    TEST_ASSERT_CONTAINS(text, "'provisionPipeline:Provision the CI/CD pipeline'");
    TEST_ASSERT_CONTAINS(text, "the stack'\\''s status"); /* quotes survive */
    TEST_ASSERT_CONTAINS(text, "compdef _sparta sparta");
    CU_ASSERT_PTR_NULL(strstr(text, "internalDebug"));
    free(text);
    /* the shared parts are also valid bash; zsh itself checks it when installed */
    char *dir = NULL, *path = script_file(t, "zsh", &dir), *out = NULL;
    if (test_sh(NULL, "command -v zsh >/dev/null") == 0) {
        CU_ASSERT_EQUAL(test_sh(&out, "zsh -n '%s'", path), 0);
        free(out);
    } else {
        CU_ASSERT_EQUAL(test_sh(&out, "bash -n '%s'", path), 0);
        free(out);
    }
    free(path);
    test_rmtree(dir);
    free(dir);
    sparta__command_tree_free(t);
}

void test_completion_fish(void) {
    sparta_command_tree *t = fixture_tree();
    char *text = NULL;
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL_FATAL(sparta__command_completion(t, "fish", &text, &err), 0);
    TEST_ASSERT_CONTAINS(text, "complete -c sparta -f -n '__sparta_at \"\"' -a provision -d 'Provision the service'\n");
    TEST_ASSERT_CONTAINS(text, "complete -c sparta -f -n '__sparta_at \"pipeline\"' -a show -d 'Show a pipeline'\n");
    TEST_ASSERT_CONTAINS(text, "complete -c sparta -n '__sparta_at \"provision\"' -l s3Bucket -r -d 'S3 bucket for code archives'\n");
    TEST_ASSERT_CONTAINS(text, "complete -c sparta -n '__sparta_at \"provision\"' -l s3-bucket -r -d");
    TEST_ASSERT_CONTAINS(text, "complete -c sparta -l noop -d 'dry run");
    TEST_ASSERT_CONTAINS(text, "complete -c sparta -l output-dir -r -d");
    TEST_ASSERT_CONTAINS(text, "-a provisionPipeline -d 'Provision the CI/CD pipeline'");
    TEST_ASSERT_CONTAINS(text, "case 'pipeline|show'\n            echo 'pipeline show'\n");
    TEST_ASSERT_CONTAINS(text, "-d 'Show the stack\\'s status'");
    CU_ASSERT_PTR_NULL(strstr(text, "internalDebug"));
    free(text);
    if (test_sh(NULL, "command -v fish >/dev/null") == 0) {
        char *dir = NULL, *path = script_file(t, "fish", &dir), *out = NULL;
        CU_ASSERT_EQUAL(test_sh(&out, "fish -n '%s'", path), 0);
        free(out);
        free(path);
        test_rmtree(dir);
        free(dir);
    }
    sparta__command_tree_free(t);
}

void test_completion_errors(void) {
    sparta_command_tree *t = fixture_tree();
    char *text = (char *)"unchanged";
    sparta_error_slot err = {0};
    CU_ASSERT_EQUAL(sparta__command_completion(t, "powershell", &text, &err), SPARTA_EUSAGE);
    CU_ASSERT_PTR_NULL(text);
    TEST_ASSERT_CONTAINS(err.message, "unknown shell \"powershell\"");
    TEST_ASSERT_CONTAINS(err.message, "bash, zsh or fish");
    /* the program name shapes the function names */
    sparta__command_tree_set_program(t, "my-tool");
    CU_ASSERT_EQUAL(sparta__command_completion(t, "bash", &text, &err), 0);
    TEST_ASSERT_CONTAINS(text, "complete -o default -F _my_tool my-tool\n");
    free(text);
    sparta__command_tree_free(t);
}
