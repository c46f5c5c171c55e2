/* The cases of the `sparta invoke` suite, one file per theme. */
#ifndef TEST_LAMBDA_INVOKE_H
#define TEST_LAMBDA_INVOKE_H

/* test_local.c */
void test_hello_prints_message(void);
void test_code_directory_and_clean_environment(void);
void test_echo_event_file(void);
void test_echo_event_stdin(void);
void test_echo_empty_event_is_an_error(void);
void test_missing_event_file(void);
void test_init_error(void);
void test_exit_before_answering(void);
void test_killed_by_signal(void);
void test_timeout_never_asks(void);
void test_timeout_ignores_sigterm(void);
void test_timeout_while_handling(void);
void test_embedded_reaps_its_child(void);
void test_managed_runtime_refused(void);
void test_unknown_function_lists_names(void);
void test_usage_errors(void);
void test_json_ok(void);
void test_json_error(void);
void test_interrupted_stops_the_function(void);
/* test_protocol.c */
void test_protocol_edges(void);
void test_region_flag(void);
void test_curl_runtime_large_answer(void);
/* test_remote.c */
void test_remote_not_deployed(void);

#endif
