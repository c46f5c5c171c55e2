/* The describe suite: the model and DOT (test_model.c), the page and files
 * (test_output.c), the command end to end (test_command.c) and the page in
 * a real browser (test_browser.c). */
#ifndef SPARTA_TEST_DESCRIBE_H
#define SPARTA_TEST_DESCRIBE_H

#include "test_support.h"

#define DESCRIBE_DATA SPARTA_SOURCE_DIR "/tests/describe/data"
#define ABI_FIXTURES SPARTA_BINARY_DIR "/tests/abi/fixtures"
#define LAMBDA_PLUGIN SPARTA_BUILD_PLUGIN_DIR "/lambda.so"

/* A service directory with sparta.cfg and the code of three functions;
 * `lambda` picks the real lambda plugin (NULL config: the ABI fixture). */
char *describe_service(int lambda, size_t functions);
/* True when the lambda plugin is built; says so once when it is not. */
int describe_have_lambda(void);
/* Every logical ID (Parameters, Resources, Outputs) of a template file,
 * NULL-terminated; free with describe_ids_free. */
char **describe_template_ids(const char *template_path);
void describe_ids_free(char **ids);
/* How many of `ids` are missing from `text`; prints the first few. */
size_t describe_missing(const char *text, char **ids, const char *what);

extern const test_case describe_model_cases[];
extern const test_case describe_output_cases[];
extern const test_case describe_command_cases[];
extern const test_case describe_browser_cases[];

#endif
