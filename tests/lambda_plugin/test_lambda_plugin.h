/* The cases of the lambda plugin suite, one file per theme. */
#ifndef TEST_LAMBDA_PLUGIN_H
#define TEST_LAMBDA_PLUGIN_H

#include <stdio.h>

/* test_templates.c */
void test_golden_basic(void);
void test_golden_full(void);
void test_golden_shared(void);
void test_long_names(void);
void test_user_wildcard_kept(void);
void test_template_deterministic(void);
void test_synthesize_and_stack_name(void);
/* test_errors.c */
void test_error_unknown_key(void);
void test_error_wrong_type(void);
void test_error_memory_out_of_range(void);
void test_error_timeout_out_of_range(void);
void test_error_runtime(void);
void test_error_handler_required(void);
void test_error_code(void);
void test_error_log_retention(void);
void test_error_privileges(void);
void test_error_names(void);
void test_error_environment(void);
void test_error_events(void);
void test_error_depends_on(void);
void test_error_all_at_once(void);
void test_error_defaults_reported_once(void);
void test_error_dangling_parameter(void);
/* test_package.c */
void test_archive_deterministic(void);
void test_archive_modes(void);
void test_archive_key_changes_alone(void);
void test_archive_shared_conflict(void);

#endif
