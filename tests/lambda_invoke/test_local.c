/* `sparta invoke` running functions locally: answers, errors, crashes,
 * timeouts, the processes it leaves behind (none), --format json. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "li_support.h"
#include "test_lambda_invoke.h"
#include "test_support.h"

#define EVENT "{\"greeting\": \"hey\", \"n\": [1, 2, 3]}"

void test_hello_prints_message(void) {
    li_run r = li_sparta("invoke hello");
    CU_ASSERT_EQUAL(r.status, 0);
    LI_ASSERT_JSON(r.out, "d['message']", "hi from invoke");
    /* stdout holds the result alone: one line; logs go to stderr */
    CU_ASSERT_PTR_NOT_NULL(strchr(r.out, '\n'));
    CU_ASSERT_EQUAL(strchr(r.out, '\n')[1], '\0');
    TEST_ASSERT_CONTAINS(r.err, "START hello");
    TEST_ASSERT_CONTAINS(r.err, "REPORT RequestId: ");
    li_run_free(&r);
}

void test_code_directory_and_clean_environment(void) {
    /* code = "fn" runs fn/bootstrap; the caller's own variables do not leak in */
    setenv("HELLO_MESSAGE", "leaked from the shell", 1);
    li_run r = li_sparta("invoke hellodir");
    unsetenv("HELLO_MESSAGE");
    CU_ASSERT_EQUAL(r.status, 0);
    LI_ASSERT_JSON(r.out, "d['message']", "Hello, World!");
    li_run_free(&r);
}

void test_echo_event_file(void) {
    li_write("event.json", EVENT);
    li_run r = li_sparta("invoke echo --event event.json");
    CU_ASSERT_EQUAL(r.status, 0);
    CU_ASSERT_STRING_EQUAL(r.out, EVENT "\n");
    li_run_free(&r);
}

void test_echo_event_stdin(void) {
    li_write("event.json", EVENT);
    li_run r = li_sparta("invoke echo --event - < event.json");
    CU_ASSERT_EQUAL(r.status, 0);
    CU_ASSERT_STRING_EQUAL(r.out, EVENT "\n");
    li_run_free(&r);
}

void test_echo_empty_event_is_an_error(void) {
    li_write("empty.json", "");
    li_run r = li_sparta("invoke echo --event empty.json");
    CU_ASSERT_EQUAL(r.status, 1);
    CU_ASSERT_STRING_EQUAL(r.out, "");
    TEST_ASSERT_CONTAINS(r.err, "function 'echo' returned an error: BadRequest: echo needs an event");
    li_run_free(&r);
}

void test_missing_event_file(void) {
    li_run r = li_sparta("invoke echo --event no-such-event.json");
    CU_ASSERT_EQUAL(r.status, 1);
    TEST_ASSERT_CONTAINS(r.err, "no-such-event.json");
    li_run_free(&r);
}

void test_init_error(void) {
    li_run r = li_sparta("invoke nohandler");
    CU_ASSERT_EQUAL(r.status, 1);
    TEST_ASSERT_CONTAINS(r.err, "function 'nohandler' failed to initialise: Runtime.HandlerNotFound");
    TEST_ASSERT_CONTAINS(r.err, "\"goodbye\" names no registered handler");
    li_run_free(&r);
}

void test_exit_before_answering(void) {
    li_run r = li_sparta("invoke quitter");
    CU_ASSERT_EQUAL(r.status, 1);
    TEST_ASSERT_CONTAINS(r.err, "quitter: giving up"); /* the function's own output */
    TEST_ASSERT_CONTAINS(r.err, "Runtime.ExitError");
    TEST_ASSERT_CONTAINS(r.err, "exited before answering");
    TEST_ASSERT_CONTAINS(r.err, "exit status 3");
    CU_ASSERT(r.seconds < 5);
    li_run_free(&r);
}

void test_killed_by_signal(void) {
    li_run r = li_sparta("invoke segv");
    CU_ASSERT_EQUAL(r.status, 1);
    TEST_ASSERT_CONTAINS(r.err, "exited before answering");
    TEST_ASSERT_CONTAINS(r.err, "killed by signal 11");
    li_run_free(&r);
}

void test_timeout_never_asks(void) {
    li_remove("sleeper.pid");
    li_remove("sleeper-child.pid");
    li_run r = li_sparta("invoke sleeper --timeout 2");
    CU_ASSERT_EQUAL(r.status, 1);
    TEST_ASSERT_CONTAINS(r.err, "function 'sleeper' timed out: Sandbox.Timedout: Task timed out after 2 seconds");
    TEST_ASSERT_CONTAINS(r.err, "never asked for its event");
    CU_ASSERT(r.seconds >= 1.9);
    CU_ASSERT(r.seconds < 6);
    pid_t pid = li_read_pid("sleeper.pid"), child = li_read_pid("sleeper-child.pid");
    CU_ASSERT(pid > 0);
    CU_ASSERT(child > 0);
    /* the bootstrap was stopped and reaped; the child it started went with its group */
    CU_ASSERT(pid > 0 && kill(pid, 0) != 0 && errno == ESRCH);
    CU_ASSERT(li_gone(child, 3));
    li_run_free(&r);
}

void test_timeout_ignores_sigterm(void) {
    li_remove("stubborn.pid");
    li_run r = li_sparta("invoke stubborn --timeout 1");
    CU_ASSERT_EQUAL(r.status, 1);
    TEST_ASSERT_CONTAINS(r.err, "Task timed out after 1 second");
    TEST_ASSERT_CONTAINS(r.err, "SIGKILL");
    CU_ASSERT(r.seconds < 6);
    pid_t pid = li_read_pid("stubborn.pid");
    CU_ASSERT(pid > 0 && kill(pid, 0) != 0 && errno == ESRCH);
    li_run_free(&r);
}

void test_timeout_while_handling(void) {
    li_remove("stuck.pid");
    li_run r = li_sparta("invoke stuck"); /* its own timeout: 1 s */
    CU_ASSERT_EQUAL(r.status, 1);
    TEST_ASSERT_CONTAINS(r.err, "Task timed out after 1 second: no response or error for request");
    CU_ASSERT(r.seconds < 8);
    pid_t pid = li_read_pid("stuck.pid");
    CU_ASSERT(pid > 0 && kill(pid, 0) != 0 && errno == ESRCH);
    li_run_free(&r);
}

void test_embedded_reaps_its_child(void) {
    /* In-process (embedding API): the bootstrap is this process's child, so
     * a missed waitpid would leave a zombie here. */
    li_remove("sleeper.pid");
    const char *argv[] = {"invoke", "sleeper", "--timeout", "1"};
    li_run r = li_embedded(4, argv);
    CU_ASSERT_EQUAL(r.status, 1);
    TEST_ASSERT_CONTAINS(r.err, "timed out");
    pid_t pid = li_read_pid("sleeper.pid");
    CU_ASSERT(pid > 0);
    if (pid > 0) {
        errno = 0;
        CU_ASSERT_EQUAL(waitpid(pid, NULL, WNOHANG), -1); /* already reaped: not our child any more */
        CU_ASSERT_EQUAL(errno, ECHILD);
        CU_ASSERT(kill(pid, 0) != 0 && errno == ESRCH);
    }
    /* and the embedding program's signal handlers are as they were */
    struct sigaction sa;
    CU_ASSERT_EQUAL(sigaction(SIGINT, NULL, &sa), 0);
    CU_ASSERT(sa.sa_handler == SIG_DFL);
    li_run_free(&r);
}

void test_managed_runtime_refused(void) {
    li_run r = li_sparta("invoke py");
    CU_ASSERT_EQUAL(r.status, 1);
    TEST_ASSERT_CONTAINS(r.err, "runtime python3.12");
    TEST_ASSERT_CONTAINS(r.err, "local invoke supports provided.* (custom runtime) functions");
    TEST_ASSERT_CONTAINS(r.err, "sparta invoke py --remote");
    li_run_free(&r);
}

void test_unknown_function_lists_names(void) {
    li_run r = li_sparta("invoke nosuch");
    CU_ASSERT_EQUAL(r.status, 1);
    TEST_ASSERT_CONTAINS(r.err, "no function named 'nosuch'");
    TEST_ASSERT_CONTAINS(r.err, "use one of hello, hellodir, echo, nohandler, quitter, segv, sleeper, stubborn, "
                                "stuck, proto, curl, py");
    li_run_free(&r);
}

void test_usage_errors(void) {
    li_run r = li_sparta("invoke");
    CU_ASSERT_EQUAL(r.status, 2);
    TEST_ASSERT_CONTAINS(r.err, "which function?");
    TEST_ASSERT_CONTAINS(r.err, "hello, hellodir");
    li_run_free(&r);
    r = li_sparta("invoke hello --timeout 0");
    CU_ASSERT_EQUAL(r.status, 2);
    TEST_ASSERT_CONTAINS(r.err, "--timeout 0 is out of range");
    li_run_free(&r);
    r = li_sparta("invoke hello echo");
    CU_ASSERT_EQUAL(r.status, 2);
    TEST_ASSERT_CONTAINS(r.err, "too many arguments");
    li_run_free(&r);
}

void test_json_ok(void) {
    li_run r = li_sparta("--format json invoke hello");
    CU_ASSERT_EQUAL(r.status, 0);
    LI_ASSERT_JSON(r.out, "d['function']", "hello");
    LI_ASSERT_JSON(r.out, "d['status']", "ok");
    LI_ASSERT_JSON(r.out, "d['result']['message']", "hi from invoke");
    LI_ASSERT_JSON(r.out, "d['requestId'] == d['result']['requestId'] and len(d['requestId']) == 36", "True");
    LI_ASSERT_JSON(r.out, "[type(d['durationMs']).__name__, d['durationMs'] >= 0]", "['float', True]");
    LI_ASSERT_JSON(r.out, "'error' in d", "False");
    li_run_free(&r);
}

void test_json_error(void) {
    li_write("empty.json", "");
    li_run r = li_sparta("--format json invoke echo --event empty.json");
    CU_ASSERT_EQUAL(r.status, 1);
    LI_ASSERT_JSON(r.out, "d['status']", "error");
    LI_ASSERT_JSON(r.out, "d['error']['errorType']", "BadRequest");
    LI_ASSERT_JSON(r.out, "d['error']['errorMessage']", "echo needs an event");
    LI_ASSERT_JSON(r.out, "'result' in d", "False");
    li_run_free(&r);
    r = li_sparta("--format json invoke quitter");
    CU_ASSERT_EQUAL(r.status, 1);
    LI_ASSERT_JSON(r.out, "d['error']['errorType']", "Runtime.ExitError");
    li_run_free(&r);
}

void test_interrupted_stops_the_function(void) {
    /* SIGTERM (or Ctrl-C's SIGINT) to sparta stops the function before sparta goes. */
    li_remove("sleeper.pid");
    char *err = li_path("run.err");
    int status = test_sh(NULL,
                         "cd '%s' && ('%s' invoke sleeper --timeout 60 >run.out 2>run.err & p=$!; "
                         "while [ ! -s sleeper.pid ]; do sleep 0.1; done; kill -TERM $p; wait $p)",
                         li_service(), test_sparta_bin());
    CU_ASSERT_EQUAL(status, 1);
    char *text = test_read_file(err, NULL);
    TEST_ASSERT_CONTAINS(text, "function 'sleeper' was interrupted");
    free(text);
    free(err);
    pid_t pid = li_read_pid("sleeper.pid");
    CU_ASSERT(pid > 0 && kill(pid, 0) != 0 && errno == ESRCH);
}
