/* The mock host table: a plugin unit-tested alone, its registrations and
 * hooks observed directly. */
#include <stdlib.h>
#include <string.h>

#include "mock_host.h"
#include "test_support.h"

#define GOOD SPARTA_BINARY_DIR "/tests/abi/fixtures/good.so"
#define FAILS SPARTA_BINARY_DIR "/tests/abi/fixtures/initfails.so"

static void test_registrations_are_recorded(void) {
    mock_host *m = mock_host_new(GOOD, "good = { topic = \"orders\"; };");
    CU_ASSERT_PTR_NOT_NULL_FATAL(m);
    CU_ASSERT_EQUAL_FATAL(mock_host_init(m), 0);
    CU_ASSERT_EQUAL(mock_host_command_count(m), 1);
    CU_ASSERT_STRING_EQUAL(mock_host_command_path(m, 0), "goodHello");
    CU_ASSERT_EQUAL(mock_host_hook_count(m), 1);
    CU_ASSERT_EQUAL(mock_host_hook_phase(m, 0), SPARTA_PHASE_BUILD);
    CU_ASSERT_EQUAL(mock_host_schema_count(m), 1);
    CU_ASSERT_STRING_EQUAL(mock_host_schema_path(m, 0), "topic");
    mock_host_free(m);
}

static void test_hooks_run_on_the_mock_graph(void) {
    mock_host *m = mock_host_new(GOOD, "good = { topic = \"orders\"; };");
    CU_ASSERT_EQUAL_FATAL(mock_host_init(m), 0);
    CU_ASSERT_EQUAL(mock_host_run_phase(m, SPARTA_PHASE_DECORATE), 0);
    char *before = mock_host_template(m);
    CU_ASSERT_PTR_NULL(strstr(before, "FixtureTopic"));
    CU_ASSERT_EQUAL(mock_host_run_phase(m, SPARTA_PHASE_BUILD), 0);
    char *after = mock_host_template(m);
    TEST_ASSERT_CONTAINS(after, "\"FixtureTopic\"");
    TEST_ASSERT_CONTAINS(after, "\"TopicName\": \"orders\"");
    /* Running BUILD again adds the same logical ID: the graph refuses it. */
    CU_ASSERT_NOT_EQUAL(mock_host_run_phase(m, SPARTA_PHASE_BUILD), 0);
    TEST_ASSERT_CONTAINS(mock_host_error(m), "duplicate logical ID 'FixtureTopic'");
    free(before);
    free(after);
    mock_host_free(m);
}

static void test_init_failure_is_reported(void) {
    mock_host *m = mock_host_new(FAILS, "");
    CU_ASSERT_NOT_EQUAL(mock_host_init(m), 0);
    TEST_ASSERT_CONTAINS(mock_host_error(m), "missing FIXTURE_TOKEN");
    mock_host_free(m);
}

int main(void) {
    static const test_case cases[] = {
        {"registrations are recorded", test_registrations_are_recorded},
        {"hooks run on the mock graph", test_hooks_run_on_the_mock_graph},
        {"init failure is reported", test_init_failure_is_reported},
        {NULL, NULL}};
    return test_main("mock_host", cases);
}
