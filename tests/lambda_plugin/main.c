/* The lambda plugin, driven through the embedding API as a user would:
 * sparta.cfg in a temp folder, `provision --noop --outputDir`. */
#include <stdlib.h>

#include "lp_support.h"
#include "test_lambda_plugin.h"
#include "test_support.h"

/* Runs last: one cfn-lint call over every template the suite wrote. */
static void test_cfn_lint_all(void) { lp_lint_all(); }

int main(void) {
    /* Archive bytes (and so S3 keys and golden files) must not depend on the caller's clock. */
    unsetenv("SOURCE_DATE_EPOCH");
    static const test_case cases[] = {
        {"golden basic", test_golden_basic},
        {"golden full", test_golden_full},
        {"golden shared package", test_golden_shared},
        {"long names are cut with a hash", test_long_names},
        {"user-written wildcard is kept", test_user_wildcard_kept},
        {"template is deterministic", test_template_deterministic},
        {"synthesize and --stackName", test_synthesize_and_stack_name},
        {"error: unknown key", test_error_unknown_key},
        {"error: wrong type", test_error_wrong_type},
        {"error: memory out of range", test_error_memory_out_of_range},
        {"error: timeout out of range", test_error_timeout_out_of_range},
        {"error: runtime, architecture, tracing", test_error_runtime},
        {"error: handler required", test_error_handler_required},
        {"error: code", test_error_code},
        {"error: log retention", test_error_log_retention},
        {"error: privileges", test_error_privileges},
        {"error: names", test_error_names},
        {"error: environment", test_error_environment},
        {"error: events", test_error_events},
        {"error: dependsOn", test_error_depends_on},
        {"error: all problems at once", test_error_all_at_once},
        {"error: defaults reported once", test_error_defaults_reported_once},
        {"error: dangling parameter", test_error_dangling_parameter},
        {"archive deterministic", test_archive_deterministic},
        {"archive modes", test_archive_modes},
        {"archive key changes alone", test_archive_key_changes_alone},
        {"archive shared conflict", test_archive_shared_conflict},
        {"cfn-lint every template", test_cfn_lint_all},
        {NULL, NULL},
    };
    int rc = test_main("lambda_plugin", cases);
    lp_cleanup();
    return rc;
}
