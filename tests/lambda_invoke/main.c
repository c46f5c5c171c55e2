/* `sparta invoke`: the lambda plugin's command, run as a user runs it
 * (the sparta tool in a service folder) and through the embedding API. */
#include <stdlib.h>

#include "li_support.h"
#include "test_lambda_invoke.h"
#include "test_support.h"

static void test_cleanup(void) { li_cleanup(); }

int main(void) {
    /* The function's region (no --region, no service.region in the fixture). */
    setenv("AWS_REGION", "us-east-1", 1);
    static const test_case cases[] = {
        {"hello prints its message", test_hello_prints_message},
        {"code directory, clean environment", test_code_directory_and_clean_environment},
        {"echo: --event FILE", test_echo_event_file},
        {"echo: --event - (stdin)", test_echo_event_stdin},
        {"echo: empty event is BadRequest", test_echo_empty_event_is_an_error},
        {"missing event file", test_missing_event_file},
        {"init error", test_init_error},
        {"exit before answering", test_exit_before_answering},
        {"killed by a signal", test_killed_by_signal},
        {"timeout: never asks for its event", test_timeout_never_asks},
        {"timeout: ignores SIGTERM", test_timeout_ignores_sigterm},
        {"timeout: while handling the event", test_timeout_while_handling},
        {"embedded: the child is reaped", test_embedded_reaps_its_child},
        {"managed runtime: use --remote", test_managed_runtime_refused},
        {"unknown function lists the names", test_unknown_function_lists_names},
        {"usage errors", test_usage_errors},
        {"--format json: ok", test_json_ok},
        {"--format json: error", test_json_error},
        {"interrupted: the function is stopped", test_interrupted_stops_the_function},
        {"Runtime API edges (python client)", test_protocol_edges},
        {"--region: the ARN and AWS_REGION", test_region_flag},
        {"curl runtime, 1.5 MB answer", test_curl_runtime_large_answer},
        {"--remote: not deployed (moto)", test_remote_not_deployed},
        {"cleanup", test_cleanup},
        {NULL, NULL}};
    return test_main("lambda_invoke", cases);
}
