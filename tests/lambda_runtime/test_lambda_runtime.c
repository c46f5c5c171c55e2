/* The Lambda runtime against a fake Runtime API on loopback. Each case forks
 * a runtime (so env, registry and exit status are its own), serves it a
 * fixed list of events, then checks what it posted and logged. */
#include "fake_runtime_api.h"
#include "test_support.h"

#include <sparta/lambda.h>

#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define TIMEOUT_MS 15000

/* ------------------------------------------------------------ harness */

typedef int (*runtime_main)(void);

typedef struct run {
    fake_server server;
    int status;   /* wait status */
    char *log;    /* the runtime's stderr */
    char *dir;
} run;

static const char *const k_function_env[] = {
    "AWS_LAMBDA_FUNCTION_NAME=fake-fn",
    "AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256",
    "AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/fake-fn",
    "AWS_LAMBDA_LOG_STREAM_NAME=2026/11/26/[$LATEST]0123abcd",
    NULL,
};

/* Starts the fake server, forks the runtime (fn, or exec of `exe` with
 * `args`), serves, and collects exit status and log. `env` entries are
 * "NAME=value" ("NAME=" with nothing after unsets NAME). */
static void run_runtime(run *rn, const fake_event *events, size_t n_events, const char *handler,
                        const char *const *env, runtime_main fn, const char *exe, char *const *args,
                        void (*configure)(fake_server *)) {
    memset(rn, 0, sizeof *rn);
    CU_ASSERT_FATAL(fake_server_start(&rn->server, events, n_events) == 0);
    if (configure) configure(&rn->server);
    rn->dir = test_tmpdir();
    CU_ASSERT_FATAL(rn->dir != NULL);
    char *log_path = test_strf("%s/stderr.log", rn->dir);
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        close(rn->server.listen_fd);
        int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, STDERR_FILENO);
            close(fd);
        }
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) dup2(devnull, STDOUT_FILENO);
        for (const char *const *e = k_function_env; *e; e++) putenv((char *)*e);
        unsetenv("_X_AMZN_TRACE_ID");
        unsetenv("SPARTA_LAMBDA_MAX_INVOCATIONS");
        unsetenv("AWS_LAMBDA_LOG_LEVEL");
        unsetenv("AWS_LAMBDA_LOG_FORMAT");
        setenv("AWS_LAMBDA_RUNTIME_API", rn->server.endpoint, 1);
        if (handler) setenv("_HANDLER", handler, 1);
        else unsetenv("_HANDLER");
        for (const char *const *e = env; e && *e; e++) {
            const char *eq = strchr(*e, '=');
            char name[128];
            snprintf(name, sizeof name, "%.*s", (int)(eq - *e), *e);
            if (eq[1]) setenv(name, eq + 1, 1);
            else unsetenv(name);
        }
        if (exe) {
            execv(exe, args);
            _exit(127);
        }
        _exit(fn() & 0xff);
    }
    rn->status = fake_server_serve(&rn->server, pid, TIMEOUT_MS);
    rn->log = test_read_file(log_path, NULL);
    if (!rn->log) rn->log = strdup("");
    free(log_path);
}

static void run_free(run *rn) {
    fake_server_free(&rn->server);
    free(rn->log);
    if (rn->dir) test_rmtree(rn->dir);
    free(rn->dir);
}

static int exited_with(const run *rn, int code) {
    return rn->status != -1 && WIFEXITED(rn->status) && WEXITSTATUS(rn->status) == code;
}

static size_t count_occurrences(const char *haystack, const char *needle) {
    size_t n = 0;
    for (const char *p = haystack; (p = strstr(p, needle)) != NULL; p += strlen(needle)) n++;
    return n;
}

#define ASSERT_EXIT(rn, code)                                                                     \
    do {                                                                                          \
        if (!exited_with((rn), (code)))                                                           \
            fprintf(stderr, "\nruntime wait status %d (want exit %d); log:\n%s\n", (rn)->status, \
                    (code), (rn)->log);                                                           \
        CU_ASSERT(exited_with((rn), (code)));                                                     \
    } while (0)

#define ASSERT_STR(actual, expected)                                                        \
    do {                                                                                    \
        const char *a_ = (actual);                                                          \
        if (!a_ || strcmp(a_, (expected)) != 0)                                             \
            fprintf(stderr, "\n%s:%d: got [%s]\n  want [%s]\n", __FILE__, __LINE__,         \
                    a_ ? a_ : "(null)", (expected));                                        \
        CU_ASSERT(a_ && strcmp(a_, (expected)) == 0);                                       \
    } while (0)

/* ------------------------------------------------------------ handlers */

static void h_echo(sparta_response_writer *w, const sparta_request *r) {
    sparta_response_write(w, sparta_request_body(r), sparta_request_length(r));
}

static void h_fail(sparta_response_writer *w, const sparta_request *r) {
    sparta_response_write(w, "partial", 7);
    sparta_response_error(w, "ValidationError", "bad input: %s", sparta_request_body(r));
}

static void h_not_found(sparta_response_writer *w, const sparta_request *r) {
    (void)r;
    sparta_response_set_status(w, 404);
    sparta_response_printf(w, "no such %s", "thing");
}

static void h_nothing(sparta_response_writer *w, const sparta_request *r) {
    (void)w;
    (void)r;
}

static void h_big(sparta_response_writer *w, const sparta_request *r) {
    (void)r;
    char chunk[500];
    memset(chunk, 'x', sizeof chunk);
    for (int i = 0; i < 4; i++) sparta_response_write(w, chunk, sizeof chunk);
}

static void h_text(sparta_response_writer *w, const sparta_request *r) {
    (void)r;
    sparta_response_set_content_type(w, "text/plain");
    sparta_response_printf(w, "plain");
}

static void h_bad_utf8(sparta_response_writer *w, const sparta_request *r) {
    (void)r;
    sparta_response_error(w, "Weird\r\nType", "bad \xff \"q\"\n\x01 ok \xc3\xa9");
}

static void h_context(sparta_response_writer *w, const sparta_request *r) {
    const sparta_lambda_context *c = sparta_request_context(r);
    const char *env_trace = getenv("_X_AMZN_TRACE_ID");
    sparta_response_printf(w,
                           "id=%s\nremaining_ok=%d\ndeadline_ok=%d\narn=%s\ntrace=%s\nenv_trace=%s\nfn=%s\n"
                           "version=%s\nmemory=%d\ngroup=%s\nstream=%s\nclient=%s\nidentity=%s\nhandler=%s\n"
                           "length=%zu\n",
                           sparta_lambda_context_request_id(c),
                           sparta_lambda_context_remaining_ms(c) > 50000 &&
                               sparta_lambda_context_remaining_ms(c) <= 60000,
                           sparta_lambda_context_deadline_ms(c) > 1700000000000LL,
                           sparta_lambda_context_invoked_function_arn(c), sparta_lambda_context_trace_id(c),
                           env_trace ? env_trace : "(unset)", sparta_lambda_context_function_name(c),
                           sparta_lambda_context_function_version(c), sparta_lambda_context_memory_mb(c),
                           sparta_lambda_context_log_group(c), sparta_lambda_context_log_stream(c),
                           sparta_lambda_context_client_context(c) ? sparta_lambda_context_client_context(c)
                                                                   : "(null)",
                           sparta_lambda_context_identity(c) ? sparta_lambda_context_identity(c) : "(null)",
                           sparta_request_handler_name(r), sparta_request_length(r));
}

static void h_tagged(sparta_response_writer *w, const sparta_request *r) {
    (void)r;
    sparta_response_printf(w, "H");
}

static void mw_tag(sparta_response_writer *w, const sparta_request *r, const sparta_handler *next, void *user) {
    const char *tag = user;
    sparta_response_printf(w, "%s>", tag);
    sparta_handler_serve(next, w, r);
    sparta_response_printf(w, "<%s", tag);
}

static void h_slow(sparta_response_writer *w, const sparta_request *r) {
    (void)r;
    struct timespec ts = {0, 150 * 1000000L};
    nanosleep(&ts, NULL);
    sparta_response_printf(w, "{\"slow\":true}");
}

static void h_data(sparta_response_writer *w, const sparta_request *r, void *user) {
    (void)r;
    int *calls = user;
    sparta_response_printf(w, "call %d", ++*calls);
}

static int g_data_freed;
static void free_data(void *p) {
    (void)p;
    g_data_freed++;
}

static int legacy_fn(const char *event, size_t len, const sparta_lambda_context *ctx, char **result) {
    if (len == 4 && memcmp(event, "fail", 4) == 0) {
        *result = strdup("legacy said no");
        return 3;
    }
    char *out = malloc(len + 64);
    sprintf(out, "legacy:%s:%s", sparta_lambda_context_request_id(ctx), event);
    *result = out;
    return 0;
}

/* ------------------------------------------------------------ runtime mains */

static int main_echo(void) {
    sparta_lambda_register_handler_func("echo", h_echo);
    return sparta_lambda_main(1, (char *[]){"bootstrap", NULL});
}

static int main_many(void) {
    sparta_lambda_register_handler_func("echo", h_echo);
    sparta_lambda_register_handler_func("fail", h_fail);
    sparta_lambda_register_handler_func("notfound", h_not_found);
    sparta_lambda_register_handler_func("context", h_context);
    sparta_lambda_register_handler_func("big", h_big);
    sparta_lambda_register_handler_func("text", h_text);
    sparta_lambda_register_handler_func("badutf8", h_bad_utf8);
    sparta_lambda_register_handler_func("bare", h_nothing);
    sparta_handler *guarded = sparta_chain(sparta_handler_from_func(h_nothing), sparta_middleware_logging(),
                                           sparta_middleware_recover(), NULL);
    sparta_lambda_register("guarded", guarded);
    sparta_handler_free(guarded);
    return sparta_lambda_main(1, (char *[]){"bootstrap", NULL});
}

static int main_middleware(void) {
    sparta_middleware *a = sparta_middleware_new(mw_tag, "A", NULL);
    sparta_middleware *b = sparta_middleware_new(mw_tag, "B", NULL);
    sparta_handler *h = sparta_handler_from_func(h_tagged);
    sparta_handler *chained = sparta_chain(h, a, b, NULL);
    /* The caller's references can go at once: the chain holds its own. */
    sparta_handler_free(h);
    sparta_middleware_free(a);
    sparta_middleware_free(b);
    if (!chained) return 90;
    int rc = sparta_lambda_register("tags", chained);
    sparta_handler_free(chained);
    if (rc) return 91;
    return sparta_lambda_main(1, (char *[]){"bootstrap", NULL});
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static int main_legacy(void) {
    if (sparta_lambda_register_func("legacy", legacy_fn) != 0) return 90;
    return sparta_lambda_main(1, (char *[]){"bootstrap", NULL});
}
#pragma GCC diagnostic pop

static int main_small_limits(void) {
    sparta_lambda_register_handler_func("echo", h_echo);
    sparta_lambda_register_handler_func("big", h_big);
    sparta_lambda_options o = SPARTA_LAMBDA_OPTIONS_INIT;
    o.max_event_bytes = 1024;
    o.max_response_bytes = 1024;
    return sparta_lambda_run(&o) == 0 ? 0 : 1;
}

static int main_timed(void) {
    sparta_handler *h = sparta_chain(sparta_handler_from_func(h_slow), sparta_middleware_logging(),
                                     sparta_middleware_timing(), sparta_middleware_recover(), NULL);
    sparta_lambda_register("slow", h);
    return sparta_lambda_main(1, (char *[]){"bootstrap", NULL});
}

static int main_two(void) {
    sparta_lambda_register_handler_func("hello", h_echo);
    sparta_lambda_register_handler_func("echo", h_echo);
    return sparta_lambda_main(1, (char *[]){"bootstrap", NULL});
}

static int main_init_error(void) {
    return sparta_lambda_report_init_error("Custom.InitFailed", "database %s is down", "orders") == 0 ? 7 : 8;
}

/* Registration rules, checked in the child: returns the first failing check. */
static int main_registration(void) {
    static int calls;
    if (sparta_lambda_register_handler_func("one", h_echo) != 0) return 10;
    if (sparta_lambda_register_handler_func("one", h_echo) != SPARTA_LAMBDA_EEXISTS) return 11;
    if (sparta_lambda_register_handler_func("", h_echo) != SPARTA_LAMBDA_EUSAGE) return 12;
    if (sparta_lambda_register_handler_func(NULL, h_echo) != SPARTA_LAMBDA_EUSAGE) return 13;
    if (sparta_lambda_register_handler_func("has space", h_echo) != SPARTA_LAMBDA_EUSAGE) return 14;
    if (sparta_lambda_register("two", NULL) != SPARTA_LAMBDA_EUSAGE) return 15;
    if (sparta_chain(NULL, sparta_middleware_logging(), NULL) != NULL) return 16;
    sparta_handler *d = sparta_handler_new(h_data, &calls, free_data);
    if (!d || sparta_lambda_register("data", d) != 0) return 17;
    sparta_handler_free(d);
    if (g_data_freed != 0) return 18; /* the registry still holds it */
    sparta_handler *temp = sparta_handler_new(h_data, &calls, free_data);
    sparta_handler *wrapped = sparta_chain(temp, sparta_middleware_recover(), NULL);
    sparta_handler_free(temp);
    if (g_data_freed != 0) return 19;
    sparta_handler_free(wrapped);
    if (g_data_freed != 1) return 20; /* last reference gone: user data freed */
    sparta_lambda_options bad = SPARTA_LAMBDA_OPTIONS_INIT;
    bad.version = 99;
    if (sparta_lambda_run(&bad) != SPARTA_LAMBDA_EUSAGE) return 21;
    if (strcmp(sparta_lambda_strerror(SPARTA_LAMBDA_EEXISTS), "error") == 0) return 22;
    /* Serve the data handler once: it counts its calls. */
    return sparta_lambda_main(1, (char *[]){"bootstrap", NULL});
}

/* ------------------------------------------------------------ cases */

static void test_many_invocations_one_connection(void) {
    enum { N = 25 };
    static fake_event events[N];
    static char ids[N][32], bodies[N][32];
    for (int i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "req-%02d", i);
        snprintf(bodies[i], sizeof bodies[i], "{\"n\":%d}", i);
        events[i] = (fake_event){.id = ids[i], .body = bodies[i]};
    }
    run rn;
    run_runtime(&rn, events, N, "echo", NULL, main_echo, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/response"), N);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/invocation/next"), N + 1);
    CU_ASSERT_EQUAL(rn.server.connections, 1);
    for (int i = 0; i < N; i++) {
        const fake_request *r = fake_find(&rn.server, "/response", i);
        CU_ASSERT_PTR_NOT_NULL_FATAL(r);
        char want[1024];
        snprintf(want, sizeof want, "/2018-06-01/runtime/invocation/%s/response", ids[i]);
        ASSERT_STR(r->path, want);
        ASSERT_STR(r->body, bodies[i]);
        char value[128];
        ASSERT_STR(fake_header(r, "Content-Type", value, sizeof value), "application/json");
        CU_ASSERT_PTR_NULL(fake_header(r, "Expect", value, sizeof value));
    }
    TEST_ASSERT_CONTAINS(rn.log, "The Runtime API is gone; exiting");
    run_free(&rn);
}

static void test_handler_error(void) {
    static const fake_event events[] = {{.id = "err-1", .body = "{\"x\":1}"}};
    run rn;
    run_runtime(&rn, events, 1, "fail", NULL, main_many, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/response"), 0);
    const fake_request *r = fake_find(&rn.server, "/error", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->path, "/2018-06-01/runtime/invocation/err-1/error");
    ASSERT_STR(r->body, "{\"errorMessage\":\"bad input: {\\\"x\\\":1}\",\"errorType\":\"ValidationError\"}");
    char value[128];
    ASSERT_STR(fake_header(r, "Lambda-Runtime-Function-Error-Type", value, sizeof value), "ValidationError");
    run_free(&rn);
}

static void test_status_error_and_content_type(void) {
    static const fake_event events[] = {{.id = "nf-1", .body = "{}"}};
    run rn;
    run_runtime(&rn, events, 1, "notfound", NULL, main_many, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    const fake_request *r = fake_find(&rn.server, "/error", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body, "{\"errorMessage\":\"no such thing\",\"errorType\":\"NotFound\"}");
    run_free(&rn);

    run_runtime(&rn, events, 1, "text", NULL, main_many, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    r = fake_find(&rn.server, "/response", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    char value[128];
    ASSERT_STR(fake_header(r, "Content-Type", value, sizeof value), "text/plain");
    ASSERT_STR(r->body, "plain");
    run_free(&rn);
}

static void test_error_json_is_always_valid(void) {
    static const fake_event events[] = {{.id = "utf-1", .body = "{}"}};
    run rn;
    run_runtime(&rn, events, 1, "badutf8", NULL, main_many, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    const fake_request *r = fake_find(&rn.server, "/error", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body, "{\"errorMessage\":\"bad \\ufffd \\\"q\\\"\\n\\u0001 ok \xc3\xa9\",\"errorType\":\"WeirdType\"}");
    char value[128];
    ASSERT_STR(fake_header(r, "Lambda-Runtime-Function-Error-Type", value, sizeof value), "WeirdType");
    run_free(&rn);
}

static void test_unknown_handler_is_an_init_error(void) {
    static const fake_event events[] = {{.id = "never", .body = "{}"}};
    run rn;
    run_runtime(&rn, events, 1, "nope", NULL, main_two, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 1);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/invocation/next"), 0);
    const fake_request *r = fake_find(&rn.server, "/init/error", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->path, "/2018-06-01/runtime/init/error");
    ASSERT_STR(r->body, "{\"errorMessage\":\"_HANDLER \\\"nope\\\" names no registered handler; registered: "
                        "hello, echo\",\"errorType\":\"Runtime.HandlerNotFound\"}");
    char value[128];
    ASSERT_STR(fake_header(r, "Lambda-Runtime-Function-Error-Type", value, sizeof value),
               "Runtime.HandlerNotFound");
    TEST_ASSERT_CONTAINS(rn.log, "names no registered handler");
    run_free(&rn);
}

static void test_handler_choice_without_handler_env(void) {
    static const fake_event events[] = {{.id = "solo-1", .body = "solo"}};
    run rn;
    /* One registered handler: _HANDLER may be unset. */
    run_runtime(&rn, events, 1, NULL, NULL, main_echo, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/response"), 1);
    run_free(&rn);
    /* Two: it cannot guess. */
    run_runtime(&rn, events, 1, NULL, NULL, main_two, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 1);
    const fake_request *r = fake_find(&rn.server, "/init/error", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    TEST_ASSERT_CONTAINS(r->body, "_HANDLER is not set and 2 handlers are registered");
    TEST_ASSERT_CONTAINS(r->body, "hello, echo");
    run_free(&rn);
}

static void test_context_fields(void) {
    static const fake_event events[] = {
        {.id = "ctx-1",
         .body = "{\"k\":\"v\"}",
         .extra_headers = "Lambda-Runtime-Trace-Id: Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1\r\n"
                          "Lambda-Runtime-Client-Context: {\"client\":{\"app_title\":\"t\"}}\r\n"
                          "Lambda-Runtime-Cognito-Identity: {\"cognitoIdentityId\":\"id-1\"}\r\n"},
        {.id = "ctx-2", .body = ""},
    };
    run rn;
    run_runtime(&rn, events, 2, "context", NULL, main_many, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    const fake_request *r = fake_find(&rn.server, "/response", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body,
               "id=ctx-1\nremaining_ok=1\ndeadline_ok=1\n"
               "arn=arn:aws:lambda:us-east-1:123456789012:function:fake\n"
               "trace=Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1\n"
               "env_trace=Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Sampled=1\n"
               "fn=fake-fn\nversion=$LATEST\nmemory=256\ngroup=/aws/lambda/fake-fn\n"
               "stream=2026/11/26/[$LATEST]0123abcd\nclient={\"client\":{\"app_title\":\"t\"}}\n"
               "identity={\"cognitoIdentityId\":\"id-1\"}\nhandler=context\nlength=9\n");
    /* The next invocation has no trace header: the variable must not leak. */
    r = fake_find(&rn.server, "/response", 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    TEST_ASSERT_CONTAINS(r->body, "id=ctx-2\n");
    TEST_ASSERT_CONTAINS(r->body, "trace=\nenv_trace=(unset)\n");
    TEST_ASSERT_CONTAINS(r->body, "client=(null)\nidentity=(null)\n");
    TEST_ASSERT_CONTAINS(r->body, "length=0\n");
    run_free(&rn);
}

static void test_middleware_order(void) {
    static const fake_event events[] = {{.id = "mw-1", .body = "{}"}, {.id = "mw-2", .body = "{}"}};
    run rn;
    run_runtime(&rn, events, 2, "tags", NULL, main_middleware, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    for (int i = 0; i < 2; i++) {
        const fake_request *r = fake_find(&rn.server, "/response", i);
        CU_ASSERT_PTR_NOT_NULL_FATAL(r);
        ASSERT_STR(r->body, "A>B>H<B<A");
    }
    run_free(&rn);
}

static void test_deprecated_signature_warns_once(void) {
    static const fake_event events[] = {
        {.id = "old-1", .body = "one"}, {.id = "old-2", .body = "two"}, {.id = "old-3", .body = "fail"}};
    run rn;
    run_runtime(&rn, events, 3, "legacy", NULL, main_legacy, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    const char *line = "DEPRECATED: sparta_lambda_func() signature provided. Please migrate to "
                       "sparta_handler_func() Name=legacy";
    CU_ASSERT_EQUAL(count_occurrences(rn.log, line), 1);
    CU_ASSERT_EQUAL(count_occurrences(rn.log, "DEPRECATED"), 1);
    TEST_ASSERT_CONTAINS(rn.log, "WARN[0000] DEPRECATED: sparta_lambda_func() signature provided.");
    const fake_request *r = fake_find(&rn.server, "/response", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body, "legacy:old-1:one");
    r = fake_find(&rn.server, "/response", 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body, "legacy:old-2:two");
    r = fake_find(&rn.server, "/error", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body, "{\"errorMessage\":\"legacy said no\",\"errorType\":\"HandlerError\"}");
    run_free(&rn);
}

static void test_malformed_headers(void) {
    static const fake_event events[] = {
        {.id = NULL, .body = "{\"lost\":true}"},
        {.id = "bad-deadline", .body = "{}", .deadline = "soon"},
        {.id = "no-deadline", .body = "{}", .no_deadline = 1},
        {.id = "a/b c", .body = "{\"escaped\":1}"},
        {.id = "good", .body = "{\"fine\":1}"},
    };
    run rn;
    run_runtime(&rn, events, 5, "echo", NULL, main_echo, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    TEST_ASSERT_CONTAINS(rn.log, "request ID is missing or invalid");
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/error"), 2);
    const fake_request *r = fake_find(&rn.server, "/error", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->path, "/2018-06-01/runtime/invocation/bad-deadline/error");
    ASSERT_STR(r->body, "{\"errorMessage\":\"the Lambda-Runtime-Deadline-Ms header is \\\"soon\\\": want "
                        "milliseconds since the epoch\",\"errorType\":\"Runtime.MalformedHeader\"}");
    r = fake_find(&rn.server, "/error", 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->path, "/2018-06-01/runtime/invocation/no-deadline/error");
    TEST_ASSERT_CONTAINS(r->body, "header is missing");
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/response"), 2);
    r = fake_find(&rn.server, "/response", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->path, "/2018-06-01/runtime/invocation/a%2Fb%20c/response");
    r = fake_find(&rn.server, "/response", 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body, "{\"fine\":1}");
    CU_ASSERT_EQUAL(rn.server.connections, 1);
    run_free(&rn);
}

static void test_oversized_event_and_response(void) {
    static char big[100000];
    memset(big, 'e', sizeof big - 1);
    static const fake_event events[] = {
        {.id = "huge", .body = big},
        {.id = "small", .body = "{\"ok\":1}"},
    };
    run rn;
    run_runtime(&rn, events, 2, "echo", NULL, main_small_limits, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    const fake_request *r = fake_find(&rn.server, "/error", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->path, "/2018-06-01/runtime/invocation/huge/error");
    ASSERT_STR(r->body, "{\"errorMessage\":\"the event is 99999 bytes, more than this runtime's 1024-byte limit "
                        "(max_event_bytes)\",\"errorType\":\"Runtime.EventTooLarge\"}");
    r = fake_find(&rn.server, "/response", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body, "{\"ok\":1}");
    CU_ASSERT_EQUAL(rn.server.connections, 1); /* the big body was drained, not the connection dropped */
    run_free(&rn);

    static const fake_event one[] = {{.id = "big-out", .body = "{}"}};
    run_runtime(&rn, one, 1, "big", NULL, main_small_limits, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    r = fake_find(&rn.server, "/error", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    TEST_ASSERT_CONTAINS(r->body, "\"errorType\":\"Runtime.ResponseTooLarge\"");
    TEST_ASSERT_CONTAINS(r->body, "1024-byte response limit");
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/response"), 0);
    run_free(&rn);
}

static void refuse_responses(fake_server *s) { s->response_status = 413; }

static void test_response_refused_as_too_large(void) {
    static const fake_event events[] = {{.id = "r413", .body = "{\"a\":1}"}};
    run rn;
    run_runtime(&rn, events, 1, "echo", NULL, main_echo, NULL, NULL, refuse_responses);
    ASSERT_EXIT(&rn, 0);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/response"), 1);
    const fake_request *r = fake_find(&rn.server, "/error", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->path, "/2018-06-01/runtime/invocation/r413/error");
    TEST_ASSERT_CONTAINS(r->body, "Runtime.ResponseTooLarge");
    run_free(&rn);
}

static void test_recover_turns_no_response_into_error(void) {
    static const fake_event events[] = {{.id = "quiet", .body = "{}"}};
    run rn;
    run_runtime(&rn, events, 1, "bare", NULL, main_many, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    const fake_request *r = fake_find(&rn.server, "/response", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(r->body_len, 0); /* without recover: an empty success, as net/http would */
    run_free(&rn);

    run_runtime(&rn, events, 1, "guarded", NULL, main_many, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/response"), 0);
    r = fake_find(&rn.server, "/error", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body, "{\"errorMessage\":\"handler guarded returned without writing a response, setting a "
                        "status or reporting an error\",\"errorType\":\"Runtime.NoResponse\"}");
    /* logging sits outside recover, so it logs the failure. */
    TEST_ASSERT_CONTAINS(rn.log, "ERRO[0000] Invocation failed RequestID=quiet Handler=guarded Status=500 "
                                 "ErrorType=Runtime.NoResponse Duration=");
    run_free(&rn);
}

static void test_logging_and_timing(void) {
    static const fake_event events[] = {
        {.id = "slow-1", .body = "{}", .deadline_in_ms = 200},
        {.id = "slow-2", .body = "{}", .deadline_in_ms = 60000},
    };
    run rn;
    run_runtime(&rn, events, 2, "slow", NULL, main_timed, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/response"), 2);
    TEST_ASSERT_CONTAINS(rn.log, "WARN[0000] Invocation close to its deadline RequestID=slow-1 Handler=slow Elapsed=");
    CU_ASSERT_EQUAL(count_occurrences(rn.log, "close to its deadline"), 1);
    TEST_ASSERT_CONTAINS(rn.log, "INFO[0000] Invocation complete RequestID=slow-1 Handler=slow Status=200 Duration=");
    TEST_ASSERT_CONTAINS(rn.log, "INFO[0000] Invocation complete RequestID=slow-2 Handler=slow Status=200 Duration=");
    TEST_ASSERT_CONTAINS(rn.log, "Bytes=13");
    run_free(&rn);
}

static void test_max_invocations(void) {
    static const fake_event events[] = {
        {.id = "m1", .body = "1"}, {.id = "m2", .body = "2"}, {.id = "m3", .body = "3"},
        {.id = "m4", .body = "4"}, {.id = "m5", .body = "5"}};
    static const char *const env[] = {"SPARTA_LAMBDA_MAX_INVOCATIONS=2", NULL};
    run rn;
    run_runtime(&rn, events, 5, "echo", env, main_echo, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/invocation/next"), 2);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/response"), 2);
    CU_ASSERT_EQUAL(rn.server.served, 2);
    run_free(&rn);
}

static void close_every_time(fake_server *s) { s->close_each = 1; }

static void test_server_closing_connections(void) {
    static const fake_event events[] = {
        {.id = "c1", .body = "1"}, {.id = "c2", .body = "2"}, {.id = "c3", .body = "3"}};
    run rn;
    run_runtime(&rn, events, 3, "echo", NULL, main_echo, NULL, NULL, close_every_time);
    ASSERT_EXIT(&rn, 0);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/response"), 3);
    /* next + response per invocation, each on a fresh connection, then the last next. */
    CU_ASSERT_EQUAL(rn.server.connections, 7);
    run_free(&rn);
}

static void vanish(fake_server *s) { s->vanish = 1; }

static void test_endpoint_vanishing_mid_invocation(void) {
    static const fake_event events[] = {{.id = "v1", .body = "1"}, {.id = "v2", .body = "2"}};
    run rn;
    run_runtime(&rn, events, 2, "echo", NULL, main_echo, NULL, NULL, vanish);
    ASSERT_EXIT(&rn, 0);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/response"), 1);
    CU_ASSERT_EQUAL(rn.server.served, 2);
    TEST_ASSERT_CONTAINS(rn.log, "WARN[0000] The Runtime API went away while posting a response; exiting RequestID=v2");
    run_free(&rn);
}

static void test_log_level_and_json_format(void) {
    static const fake_event events[] = {{.id = "q1", .body = "{}"}};
    static const char *const quiet[] = {"AWS_LAMBDA_LOG_LEVEL=ERROR", NULL};
    run rn;
    run_runtime(&rn, events, 1, "guarded", quiet, main_many, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    TEST_ASSERT_CONTAINS(rn.log, "ERRO[0000] Invocation failed RequestID=q1");
    CU_ASSERT_PTR_NULL(strstr(rn.log, "INFO"));
    run_free(&rn);

    static const char *const json[] = {"AWS_LAMBDA_LOG_FORMAT=JSON", NULL};
    run_runtime(&rn, events, 1, "legacy", json, main_legacy, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    TEST_ASSERT_CONTAINS(rn.log, "{\"level\":\"warning\",\"msg\":\"DEPRECATED: sparta_lambda_func() signature "
                                 "provided. Please migrate to sparta_handler_func()\",\"time\":\"");
    TEST_ASSERT_CONTAINS(rn.log, "\"Name\":\"legacy\"}\n");
    run_free(&rn);
}

static void fail_next(fake_server *s) { s->next_status = 500; }

static void test_runtime_api_failure(void) {
    static const fake_event events[] = {{.id = "x", .body = "{}"}};
    run rn;
    run_runtime(&rn, events, 1, "echo", NULL, main_echo, NULL, NULL, fail_next);
    ASSERT_EXIT(&rn, 1);
    TEST_ASSERT_CONTAINS(rn.log, "Could not fetch the next invocation; exiting");
    TEST_ASSERT_CONTAINS(rn.log, "HTTP 500");
    run_free(&rn);
}

static void test_connection_refused_exits_cleanly(void) {
    /* A port nobody listens on: bind, note, close. */
    fake_server probe;
    CU_ASSERT_FATAL(fake_server_start(&probe, NULL, 0) == 0);
    char endpoint[128];
    snprintf(endpoint, sizeof endpoint, "AWS_LAMBDA_RUNTIME_API=%s", probe.endpoint);
    fake_server_free(&probe);
    const char *env[] = {endpoint, NULL};
    run rn;
    run_runtime(&rn, NULL, 0, "echo", env, main_echo, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    TEST_ASSERT_CONTAINS(rn.log, "The Runtime API is gone; exiting");
    CU_ASSERT_EQUAL(rn.server.n_requests, 0);
    run_free(&rn);

    static const char *const unset[] = {"AWS_LAMBDA_RUNTIME_API=", NULL};
    run_runtime(&rn, NULL, 0, "echo", unset, main_echo, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 1);
    TEST_ASSERT_CONTAINS(rn.log, "AWS_LAMBDA_RUNTIME_API is not set");
    run_free(&rn);
}

static void test_report_init_error(void) {
    run rn;
    run_runtime(&rn, NULL, 0, NULL, NULL, main_init_error, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 7);
    const fake_request *r = fake_find(&rn.server, "/init/error", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body, "{\"errorMessage\":\"database orders is down\",\"errorType\":\"Custom.InitFailed\"}");
    char value[128];
    ASSERT_STR(fake_header(r, "Lambda-Runtime-Function-Error-Type", value, sizeof value), "Custom.InitFailed");
    run_free(&rn);
}

static void test_registration_rules(void) {
    static const fake_event events[] = {{.id = "d1", .body = "{}"}, {.id = "d2", .body = "{}"}};
    run rn;
    run_runtime(&rn, events, 2, "data", NULL, main_registration, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    const fake_request *r = fake_find(&rn.server, "/response", 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body, "call 2");
    run_free(&rn);
}

/* ------------------------------------------------------------ the HTTP client */

#define RAW_IDS(id) "Lambda-Runtime-Aws-Request-Id: " id "\r\nLambda-Runtime-Deadline-Ms: 9999999999999\r\n"

static const char k_chunked_accepted[] = "HTTP/1.1 202 Accepted\r\nTransfer-Encoding: chunked\r\n"
                                         "Content-Type: application/json\r\n\r\n"
                                         "6\r\n{\"stat\r\n9;ext=1\r\nus\":\"OK\"}\r\n0\r\nX-Trailer: t\r\n\r\n";

static void chunked_posts(fake_server *s) { s->post_answer_raw = k_chunked_accepted; }

static void test_chunked_answers(void) {
    static const fake_event events[] = {
        {.raw = "HTTP/1.1 200 OK\r\n" RAW_IDS("ch-1") "Transfer-Encoding: chunked\r\n\r\n"
                "4\r\n{\"a\"\r\nB;name=value\r\n:[1,2,3,4]}\r\n0\r\n\r\n"},
        /* Names in any case, hex in upper case, a trailer, chunked winning over a stray length. */
        {.raw = "HTTP/1.1 200 OK\r\nlambda-runtime-aws-request-id: ch-2\r\nLAMBDA-RUNTIME-DEADLINE-MS: 9999999999999\r\n"
                "Content-Length: 3\r\ntransfer-encoding: Chunked\r\n\r\n"
                "1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Checksum: none\r\n\r\n"},
        {.raw = "HTTP/1.1 200 OK\r\n" RAW_IDS("ch-3") "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"},
    };
    run rn;
    run_runtime(&rn, events, 3, "echo", NULL, main_echo, NULL, NULL, chunked_posts);
    ASSERT_EXIT(&rn, 0);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/response"), 3);
    const fake_request *r = fake_find(&rn.server, "/response", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->path, "/2018-06-01/runtime/invocation/ch-1/response");
    ASSERT_STR(r->body, "{\"a\":[1,2,3,4]}");
    r = fake_find(&rn.server, "/response", 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->path, "/2018-06-01/runtime/invocation/ch-2/response");
    ASSERT_STR(r->body, "abcdefghijklmnopqrstuvwxyz");
    r = fake_find(&rn.server, "/response", 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    CU_ASSERT_EQUAL(r->body_len, 0);
    CU_ASSERT_EQUAL(rn.server.connections, 1);
    CU_ASSERT_PTR_NULL(strstr(rn.log, "The Runtime API refused"));
    run_free(&rn);
}

static void test_chunked_event_over_the_limit(void) {
    /* 1,200 bytes in chunks of 100, against max_event_bytes 1024: refused
     * with the full size, and the connection still serves the next one. */
    static char raw[4096];
    int at = snprintf(raw, sizeof raw, "HTTP/1.1 200 OK\r\n" RAW_IDS("chunky") "Transfer-Encoding: chunked\r\n\r\n");
    for (int i = 0; i < 12; i++) {
        at += snprintf(raw + at, sizeof raw - (size_t)at, "64\r\n");
        memset(raw + at, 'c', 100);
        at += 100;
        at += snprintf(raw + at, sizeof raw - (size_t)at, "\r\n");
    }
    snprintf(raw + at, sizeof raw - (size_t)at, "0\r\n\r\n");
    static const fake_event events[] = {{.raw = raw}, {.id = "after", .body = "{\"ok\":2}"}};
    run rn;
    run_runtime(&rn, events, 2, "echo", NULL, main_small_limits, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    const fake_request *r = fake_find(&rn.server, "/error", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->path, "/2018-06-01/runtime/invocation/chunky/error");
    TEST_ASSERT_CONTAINS(r->body, "the event is 1200 bytes, more than this runtime's 1024-byte limit");
    r = fake_find(&rn.server, "/response", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body, "{\"ok\":2}");
    CU_ASSERT_EQUAL(rn.server.connections, 1);
    run_free(&rn);
}

static void close_when_idle(fake_server *s) { s->close_idle = 1; }

static void test_idle_connection_closed_by_the_server(void) {
    static const fake_event events[] = {
        {.id = "idle-1", .body = "1"}, {.id = "idle-2", .body = "2"}, {.id = "idle-3", .body = "3"}};
    run rn;
    run_runtime(&rn, events, 3, "echo", NULL, main_echo, NULL, NULL, close_when_idle);
    ASSERT_EXIT(&rn, 0);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/response"), 3);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/invocation/next"), 4);
    /* Each post's connection was closed behind the runtime's back: every
     * next after it went out again on a fresh connection. */
    CU_ASSERT_EQUAL(rn.server.connections, 4);
    for (int i = 0; i < 3; i++) {
        const fake_request *r = fake_find(&rn.server, "/invocation/next", i + 1);
        CU_ASSERT_PTR_NOT_NULL_FATAL(r);
        CU_ASSERT_EQUAL(r->connection, i + 2);
    }
    TEST_ASSERT_CONTAINS(rn.log, "The Runtime API is gone; exiting");
    CU_ASSERT_PTR_NULL(strstr(rn.log, "Could not"));
    run_free(&rn);
}

/* The fake listens on 127.0.0.1; "localhost" may resolve to ::1 first. */
static void reach_by_name(fake_server *s) { snprintf(s->endpoint, sizeof s->endpoint, "localhost:%d", s->port); }

static void test_endpoint_by_name_and_refused_at_start(void) {
    static const fake_event events[] = {{.id = "named", .body = "{\"n\":1}"}};
    run rn;
    run_runtime(&rn, events, 1, "echo", NULL, main_echo, NULL, NULL, reach_by_name);
    ASSERT_EXIT(&rn, 0);
    const fake_request *r = fake_find(&rn.server, "/response", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body, "{\"n\":1}");
    char value[128];
    TEST_ASSERT_CONTAINS(fake_header(r, "Host", value, sizeof value), "localhost:");
    run_free(&rn);

    char named[128];
    const char *env[] = {named, NULL};
    fake_server probe;
    CU_ASSERT_FATAL(fake_server_start(&probe, NULL, 0) == 0);
    int dead_port = probe.port;
    fake_server_free(&probe);

    /* Refused at start, by name and by bracketed IPv6 literal: gone, exit 0. */
    snprintf(named, sizeof named, "AWS_LAMBDA_RUNTIME_API=localhost:%d", dead_port);
    run_runtime(&rn, NULL, 0, "echo", env, main_echo, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    TEST_ASSERT_CONTAINS(rn.log, "The Runtime API is gone; exiting");
    TEST_ASSERT_CONTAINS(rn.log, "could not connect to localhost:");
    run_free(&rn);

    snprintf(named, sizeof named, "AWS_LAMBDA_RUNTIME_API=[::1]:%d", dead_port);
    run_runtime(&rn, NULL, 0, "echo", env, main_echo, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    TEST_ASSERT_CONTAINS(rn.log, "The Runtime API is gone; exiting");
    run_free(&rn);

    static const char *const malformed[] = {"AWS_LAMBDA_RUNTIME_API=127.0.0.1:99999", NULL};
    run_runtime(&rn, NULL, 0, "echo", malformed, main_echo, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 1);
    TEST_ASSERT_CONTAINS(rn.log, "AWS_LAMBDA_RUNTIME_API is not a host:port");
    run_free(&rn);
}

static void piecemeal(fake_server *s) {
    s->piece_bytes = 3;
    s->post_answer_raw = k_chunked_accepted;
}

static void test_answers_in_many_small_writes(void) {
    static const fake_event events[] = {
        {.id = "bits-1", .body = "{\"split\":\"into three-byte pieces\"}",
         .extra_headers = "Lambda-Runtime-Trace-Id: Root=1-0000;Sampled=0\r\n"},
        {.raw = "HTTP/1.1 200 OK\r\n" RAW_IDS("bits-2") "Transfer-Encoding: chunked\r\n\r\n"
                "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n"},
    };
    run rn;
    run_runtime(&rn, events, 2, "echo", NULL, main_echo, NULL, NULL, piecemeal);
    ASSERT_EXIT(&rn, 0);
    const fake_request *r = fake_find(&rn.server, "/response", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->path, "/2018-06-01/runtime/invocation/bits-1/response");
    ASSERT_STR(r->body, "{\"split\":\"into three-byte pieces\"}");
    r = fake_find(&rn.server, "/response", 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body, "hello world");
    CU_ASSERT_EQUAL(rn.server.connections, 1);
    run_free(&rn);
}

static void test_interim_and_http10_answers(void) {
    static const fake_event events[] = {
        /* A 100 Continue first: its headers are not the event's. */
        {.raw = "HTTP/1.1 100 Continue\r\nLambda-Runtime-Aws-Request-Id: wrong\r\n\r\n"
                "HTTP/1.1 200 OK\r\n" RAW_IDS("after-100") "Content-Length: 7\r\n\r\n{\"i\":1}"},
        /* HTTP/1.0, no length: the body ends when the server closes. */
        {.raw = "HTTP/1.0 200 OK\r\n" RAW_IDS("old-http") "\r\n{\"h\":10}", .hangup = 1},
    };
    run rn;
    run_runtime(&rn, events, 2, "echo", NULL, main_echo, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    const fake_request *r = fake_find(&rn.server, "/response", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->path, "/2018-06-01/runtime/invocation/after-100/response");
    ASSERT_STR(r->body, "{\"i\":1}");
    r = fake_find(&rn.server, "/response", 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->path, "/2018-06-01/runtime/invocation/old-http/response");
    ASSERT_STR(r->body, "{\"h\":10}");
    CU_ASSERT_EQUAL(rn.server.connections, 2);
    run_free(&rn);
}

static void test_answer_cut_off_mid_body(void) {
    static const fake_event events[] = {
        {.raw = "HTTP/1.1 200 OK\r\n" RAW_IDS("cut") "Content-Length: 100\r\n\r\n{\"only\":", .hangup = 1},
    };
    run rn;
    run_runtime(&rn, events, 1, "echo", NULL, main_echo, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    TEST_ASSERT_CONTAINS(rn.log, "The Runtime API is gone; exiting");
    TEST_ASSERT_CONTAINS(rn.log, "closed the connection in the middle of an answer");
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/response"), 0);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/invocation/next"), 1); /* not retried: it had begun */
    run_free(&rn);
}

static void test_malformed_answers_fail_clearly(void) {
    static char huge[400 * 1024];
    if (!huge[0]) {
        int at = snprintf(huge, sizeof huge, "HTTP/1.1 200 OK\r\n" RAW_IDS("huge"));
        while ((size_t)at + 200 < sizeof huge) {
            at += snprintf(huge + at, sizeof huge - (size_t)at, "X-Filler: ");
            memset(huge + at, 'f', 150);
            at += 150;
            at += snprintf(huge + at, sizeof huge - (size_t)at, "\r\n");
        }
        snprintf(huge + at, sizeof huge - (size_t)at, "\r\n");
    }
    static const struct {
        const char *raw;
        const char *error;
    } cases[] = {
        {"HTXP/1.1 200 OK\r\n\r\n", "malformed status line from 127.0.0.1:"},
        {"HTTP/1.1 2OO OK\r\n\r\n", "malformed status line"},
        {"\x01\x02garbage\xff\r\n\r\n", "x02garbage"}, /* shown escaped */
        {"HTTP/1.1 200 OK\r\n" RAW_IDS("x") "this line has no colon\r\n\r\n", "malformed header line"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n", "malformed Content-Length"},
        {"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", "conflicting Content-Length"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n", "unsupported Transfer-Encoding"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "malformed chunk size"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n", "chunk size too large"},
        {"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXX\r\n0\r\n\r\n", "malformed chunked body"},
        {huge, "response headers from 127.0.0.1:"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const fake_event events[] = {{.raw = cases[i].raw}};
        run rn;
        run_runtime(&rn, events, 1, "echo", NULL, main_echo, NULL, NULL, NULL);
        ASSERT_EXIT(&rn, 1);
        TEST_ASSERT_CONTAINS(rn.log, "Could not fetch the next invocation; exiting");
        TEST_ASSERT_CONTAINS(rn.log, cases[i].error);
        CU_ASSERT_EQUAL(fake_count(&rn.server, "/response") + fake_count(&rn.server, "/error"), 0);
        run_free(&rn);
    }
}

static void test_lambda_headers_over_their_limit(void) {
    /* 70 KB of client context: over the 64 KB kept for Lambda-Runtime-*
     * values, under the 300 KB head limit. The ID (sent first) survives. */
    static char raw[80 * 1024];
    int at = snprintf(raw, sizeof raw, "HTTP/1.1 200 OK\r\n" RAW_IDS("big-headers") "Lambda-Runtime-Client-Context: ");
    memset(raw + at, 'k', 70 * 1024);
    at += 70 * 1024;
    snprintf(raw + at, sizeof raw - (size_t)at, "\r\nContent-Length: 2\r\n\r\n{}");
    static const fake_event events[] = {{.raw = raw}};
    run rn;
    run_runtime(&rn, events, 1, "context", NULL, main_many, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    TEST_ASSERT_CONTAINS(rn.log, "Lambda-Runtime-* headers too large; some were dropped RequestID=big-headers");
    const fake_request *r = fake_find(&rn.server, "/response", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    TEST_ASSERT_CONTAINS(r->body, "id=big-headers\n");
    TEST_ASSERT_CONTAINS(r->body, "client=(null)\n");
    run_free(&rn);
}

static void test_trace_id_rewritten_each_invocation(void) {
    enum { N = 6 };
    static fake_event events[N];
    static char ids[N][32], traces[N][160];
    for (int i = 0; i < N; i++) {
        snprintf(ids[i], sizeof ids[i], "tr-%d", i);
        /* Lengths vary (one longer than the first buffer) and every third has none. */
        if (i % 3 == 2) traces[i][0] = '\0';
        else
            snprintf(traces[i], sizeof traces[i], "Lambda-Runtime-Trace-Id: Root=1-%0*d;Sampled=1\r\n",
                     i == 4 ? 100 : 8 + i, i);
        events[i] = (fake_event){.id = ids[i], .body = "{}", .extra_headers = traces[i]};
    }
    run rn;
    run_runtime(&rn, events, N, "context", NULL, main_many, NULL, NULL, NULL);
    ASSERT_EXIT(&rn, 0);
    for (int i = 0; i < N; i++) {
        const fake_request *r = fake_find(&rn.server, "/response", i);
        CU_ASSERT_PTR_NOT_NULL_FATAL(r);
        char want[400];
        if (i % 3 == 2) {
            snprintf(want, sizeof want, "trace=\nenv_trace=(unset)\n");
        } else {
            char trace[160];
            snprintf(trace, sizeof trace, "Root=1-%0*d;Sampled=1", i == 4 ? 100 : 8 + i, i);
            snprintf(want, sizeof want, "trace=%s\nenv_trace=%s\n", trace, trace);
        }
        TEST_ASSERT_CONTAINS(r->body, want);
    }
    run_free(&rn);
}

/* ------------------------------------------------------------ the example */

static void test_example_bootstrap(void) {
    const char *exe = LAMBDA_HELLO_BOOTSTRAP;
    char *out = NULL;
    CU_ASSERT_EQUAL(test_sh(&out, "'%s' --handlers", exe), 0);
    ASSERT_STR(out, "hello\necho\n");
    free(out);

    static const fake_event events[] = {{.id = "hello-1", .body = "{}"}, {.id = "hello-2", .body = "{}"}};
    static const char *const env[] = {"HELLO_MESSAGE=Hi \"there\"", NULL};
    char *const args[] = {(char *)exe, NULL};
    run rn;
    run_runtime(&rn, events, 2, "hello", env, NULL, exe, args, NULL);
    ASSERT_EXIT(&rn, 0);
    CU_ASSERT_EQUAL(fake_count(&rn.server, "/response"), 2);
    const fake_request *r = fake_find(&rn.server, "/response", 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body, "{\"message\":\"Hi \\\"there\\\"\",\"requestId\":\"hello-2\"}");
    CU_ASSERT_EQUAL(rn.server.connections, 1);
    TEST_ASSERT_CONTAINS(rn.log, "Invocation complete RequestID=hello-1 Handler=hello Status=200");
    run_free(&rn);

    static const fake_event echo_events[] = {{.id = "echo-1", .body = "[1,2,3]"}, {.id = "echo-2", .body = ""}};
    run_runtime(&rn, echo_events, 2, "echo", NULL, NULL, exe, args, NULL);
    ASSERT_EXIT(&rn, 0);
    r = fake_find(&rn.server, "/response", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body, "[1,2,3]");
    r = fake_find(&rn.server, "/error", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    ASSERT_STR(r->body, "{\"errorMessage\":\"echo needs an event\",\"errorType\":\"BadRequest\"}");
    run_free(&rn);

    run_runtime(&rn, events, 1, "goodbye", NULL, NULL, exe, args, NULL);
    ASSERT_EXIT(&rn, 1);
    r = fake_find(&rn.server, "/init/error", 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    TEST_ASSERT_CONTAINS(r->body, "registered: hello, echo");
    run_free(&rn);
}

int main(void) {
    signal(SIGPIPE, SIG_IGN);
    static const test_case cases[] = {
        {"many invocations over one kept-alive connection", test_many_invocations_one_connection},
        {"a handler error is posted to /error", test_handler_error},
        {"status >= 400 becomes an error; content type", test_status_error_and_content_type},
        {"error documents are valid JSON", test_error_json_is_always_valid},
        {"unknown _HANDLER posts an init error", test_unknown_handler_is_an_init_error},
        {"handler choice without _HANDLER", test_handler_choice_without_handler_env},
        {"the Lambda context reaches the handler", test_context_fields},
        {"middleware order: first listed is outermost", test_middleware_order},
        {"deprecated signature works and warns once", test_deprecated_signature_warns_once},
        {"malformed headers do not crash the loop", test_malformed_headers},
        {"oversized events and responses", test_oversized_event_and_response},
        {"a 413 on /response becomes an error", test_response_refused_as_too_large},
        {"recover turns a missing response into an error", test_recover_turns_no_response_into_error},
        {"logging and timing middleware", test_logging_and_timing},
        {"SPARTA_LAMBDA_MAX_INVOCATIONS bounds the loop", test_max_invocations},
        {"server closing connections", test_server_closing_connections},
        {"Runtime API failure exits non-zero", test_runtime_api_failure},
        {"endpoint vanishing mid-invocation", test_endpoint_vanishing_mid_invocation},
        {"log level and JSON log format", test_log_level_and_json_format},
        {"connection refused exits cleanly", test_connection_refused_exits_cleanly},
        {"sparta_lambda_report_init_error", test_report_init_error},
        {"registration rules and handler state", test_registration_rules},
        {"chunked answers", test_chunked_answers},
        {"a chunked event over the limit is drained", test_chunked_event_over_the_limit},
        {"an idle connection closed by the server is reopened", test_idle_connection_closed_by_the_server},
        {"endpoint by name; refused at start", test_endpoint_by_name_and_refused_at_start},
        {"answers in many small writes", test_answers_in_many_small_writes},
        {"100 Continue and HTTP/1.0 answers", test_interim_and_http10_answers},
        {"an answer cut off mid-body means gone", test_answer_cut_off_mid_body},
        {"malformed answers fail clearly", test_malformed_answers_fail_clearly},
        {"Lambda-Runtime-* headers over their limit", test_lambda_headers_over_their_limit},
        {"the trace ID variable follows each invocation", test_trace_id_rewritten_each_invocation},
        {"the example bootstrap", test_example_bootstrap},
        {NULL, NULL},
    };
    return test_main("lambda_runtime", cases);
}
