/* A service as the plugin suites' user has it: a directory with a sparta.cfg,
 * the sparta tool run inside it, and the templates `provision --noop`
 * writes there, compared with golden files and gathered for one cfn-lint
 * run at the end of the suite. */
#ifndef SPARTA_TEST_SERVICE_H
#define SPARTA_TEST_SERVICE_H

typedef struct test_service {
    char *dir;              /* the current service directory */
    char *lint_dir;         /* templates gathered for test_service_lint */
    const char *golden_dir; /* <name>.template.json files */
} test_service;

/* Creates the lint directory; `golden_dir` is borrowed. 0 on success. */
int test_service_open(test_service *s, const char *golden_dir);
/* Removes both directories and frees the paths. With SPARTA_KEEP_TEST_DIRS
 * set, this and test_service_new leave the directories for a look. */
void test_service_close(test_service *s);

/* Replaces the service with a fresh directory holding `cfg` as sparta.cfg. */
void test_service_new(test_service *s, const char *cfg);
/* Rewrites sparta.cfg of the current service; what earlier runs wrote stays. */
void test_service_configure(test_service *s, const char *cfg);

/* `sparta --nocolor <args>` in the service directory (args may carry
 * redirections); stdout+stderr into *out when out is not NULL. Returns the
 * exit status. */
int test_service_sparta(const test_service *s, char **out, const char *args);
/* test_service_sparta with shell text before the tool (may be NULL):
 * environment assignments ("NAME=value", "env -u NAME"), a wrapper
 * ("timeout 90"), or a command ending in "&&". */
int test_service_sparta_prefixed(const test_service *s, char **out, const char *prefix, const char *args);

/* `provision --noop --outputDir out`, asserting success; the template's path
 * (caller frees) or NULL. A `lint_name` gathers a copy for
 * test_service_lint. */
char *test_service_synth(const test_service *s, const char *stack, const char *lint_name);
/* Gathers the template at `path` for test_service_lint as <lint_name>.json. */
void test_service_gather(const test_service *s, const char *path, const char *lint_name);

/* Asserts the template at `path` equals <golden_dir>/<name>.template.json;
 * SPARTA_UPDATE_GOLDEN=1 rewrites the golden file instead. */
void test_service_check_golden(const test_service *s, const char *path, const char *name);

/* One cfn-lint run over every gathered template: asserts no errors. */
void test_service_lint(const test_service *s);

#endif
