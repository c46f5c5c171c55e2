/* The Runtime API loop: pick the handler named by _HANDLER, then
 * next -> handler -> response|error until told to stop. */
#include "handler.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { STEP_CONTINUE, STEP_DONE, STEP_FATAL };

typedef struct runtime {
    sparta__rapi *api;
    sparta_handler *handler;
    const char *handler_name;
    sparta__function_env env;
    sparta_response_writer writer;
    char *trace_entry; /* "_X_AMZN_TRACE_ID=<id>", ours, put into the environment */
    size_t trace_cap;
} runtime;

#define TRACE_NAME "_X_AMZN_TRACE_ID"
#define TRACE_PREFIX_LEN (sizeof TRACE_NAME) /* name and '=' */

/* Tracing SDKs read the invocation's trace ID from _X_AMZN_TRACE_ID.
 * setenv() would allocate a new "name=value" string every invocation and
 * glibc never frees the old ones (a getenv pointer may still use them):
 * with a fresh trace ID per invocation that leaks. So one buffer of ours
 * sits in the environment (putenv) and is rewritten in place. */
static void set_trace_env(runtime *rt, const char *trace_id) {
    const char *current = getenv(TRACE_NAME);
    if (!trace_id || !*trace_id) {
        if (current) unsetenv(TRACE_NAME);
        return;
    }
    size_t length = strlen(trace_id);
    size_t need = TRACE_PREFIX_LEN + length + 1;
    char *entry = rt->trace_entry;
    size_t cap = rt->trace_cap;
    int in_env = entry && current == entry + TRACE_PREFIX_LEN;
    if (!entry || need > cap) {
        cap = need < 256 ? 256 : need;
        entry = malloc(cap);
        if (!entry) {
            setenv(TRACE_NAME, trace_id, 1);
            return;
        }
        memcpy(entry, TRACE_NAME "=", TRACE_PREFIX_LEN);
        in_env = 0;
    }
    memcpy(entry + TRACE_PREFIX_LEN, trace_id, length + 1);
    if (!in_env) putenv(entry);
    if (entry != rt->trace_entry) {
        free(rt->trace_entry); /* putenv has replaced it in the environment */
        rt->trace_entry = entry;
        rt->trace_cap = cap;
    }
}

/* Hands the variable back to the C library before our buffer goes. */
static void release_trace_env(runtime *rt) {
    if (!rt->trace_entry) return;
    const char *value = rt->trace_entry + TRACE_PREFIX_LEN;
    if (getenv(TRACE_NAME) == value) setenv(TRACE_NAME, value, 1);
    free(rt->trace_entry);
    rt->trace_entry = NULL;
    rt->trace_cap = 0;
}

SPARTA_LAMBDA_API const char *sparta_lambda_strerror(int code) {
    switch (code) {
    case SPARTA_LAMBDA_OK: return "success";
    case SPARTA_LAMBDA_EUSAGE: return "bad argument";
    case SPARTA_LAMBDA_ENOMEM: return "out of memory";
    case SPARTA_LAMBDA_ENOTFOUND: return "no such handler";
    case SPARTA_LAMBDA_EEXISTS: return "a handler of that name is already registered";
    case SPARTA_LAMBDA_ETOOLARGE: return "response too large";
    case SPARTA_LAMBDA_EPROTOCOL: return "the Lambda Runtime API failed or is not configured";
    case SPARTA_LAMBDA_ESTATE: return "call made at the wrong time";
    default: return "error";
    }
}

static int parse_deadline(const char *text, int64_t *out) {
    if (!text || !*text) return -1;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || *end || v < 0) return -1;
    *out = (int64_t)v;
    return 0;
}

static unsigned long max_invocations_from_env(void) {
    const char *text = getenv("SPARTA_LAMBDA_MAX_INVOCATIONS");
    if (!text || !*text) return 0;
    char *end = NULL;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || *end || text[0] == '-') {
        const char *kv[] = {"Value", text};
        sparta__log_fields(SPARTA_LAMBDA_LOG_WARN, "Ignoring SPARTA_LAMBDA_MAX_INVOCATIONS: not a count", kv, 1);
        return 0;
    }
    return (unsigned long)v;
}

/* Posts an invocation error; returns the loop's next step. */
static int post_error(runtime *rt, const char *request_id, const char *type, const char *message,
                      size_t message_len) {
    long status = 0;
    int rc = sparta__rapi_post_error(rt->api, request_id, type, message, message_len, &status);
    if (rc == SPARTA__RAPI_GONE) {
        const char *kv[] = {"RequestID", request_id, "Error", sparta__rapi_last_error(rt->api)};
        sparta__log_fields(SPARTA_LAMBDA_LOG_WARN, "The Runtime API went away while posting an error; exiting", kv, 2);
        return STEP_DONE;
    }
    if (rc != SPARTA__RAPI_OK || status >= 500) {
        const char *kv[] = {"RequestID", request_id, "Error", sparta__rapi_last_error(rt->api)};
        sparta__log_fields(SPARTA_LAMBDA_LOG_ERROR, "Could not post the invocation error; exiting", kv, 2);
        return STEP_FATAL;
    }
    if (status < 200 || status > 299) {
        const char *kv[] = {"RequestID", request_id, "Error", sparta__rapi_last_error(rt->api)};
        sparta__log_fields(SPARTA_LAMBDA_LOG_WARN, "The Runtime API refused the invocation error", kv, 2);
    }
    return STEP_CONTINUE;
}

static int post_result(runtime *rt, const char *request_id) {
    const sparta_response_writer *w = &rt->writer;
    const char *type, *message;
    size_t message_len;
    if (sparta__response_outcome(w, &type, &message, &message_len))
        return post_error(rt, request_id, type, message, message_len);

    long status = 0;
    int rc = sparta__rapi_post_response(rt->api, request_id, w->body.data ? w->body.data : "", w->body.len,
                                        sparta_response_content_type(w), &status);
    if (rc == SPARTA__RAPI_GONE) {
        const char *kv[] = {"RequestID", request_id, "Error", sparta__rapi_last_error(rt->api)};
        sparta__log_fields(SPARTA_LAMBDA_LOG_WARN, "The Runtime API went away while posting a response; exiting",
                           kv, 2);
        return STEP_DONE;
    }
    if (rc != SPARTA__RAPI_OK || status >= 500) {
        const char *kv[] = {"RequestID", request_id, "Error", sparta__rapi_last_error(rt->api)};
        sparta__log_fields(SPARTA_LAMBDA_LOG_ERROR, "Could not post the response; exiting", kv, 2);
        return STEP_FATAL;
    }
    if (status == 413) {
        char text[160];
        int n = snprintf(text, sizeof text,
                         "the Runtime API refused the %zu-byte response as too large (HTTP 413)", w->body.len);
        return post_error(rt, request_id, "Runtime.ResponseTooLarge", text, (size_t)n);
    }
    if (status < 200 || status > 299) {
        const char *kv[] = {"RequestID", request_id, "Error", sparta__rapi_last_error(rt->api)};
        sparta__log_fields(SPARTA_LAMBDA_LOG_WARN, "The Runtime API refused the response", kv, 2);
    }
    return STEP_CONTINUE;
}

static int step(runtime *rt) {
    sparta__invocation inv;
    int rc = sparta__rapi_next(rt->api, &inv);
    if (rc == SPARTA__RAPI_GONE) {
        const char *kv[] = {"Error", sparta__rapi_last_error(rt->api)};
        sparta__log_fields(SPARTA_LAMBDA_LOG_INFO, "The Runtime API is gone; exiting", kv, 1);
        return STEP_DONE;
    }
    if (rc != SPARTA__RAPI_OK) {
        const char *kv[] = {"Error", sparta__rapi_last_error(rt->api)};
        sparta__log_fields(SPARTA_LAMBDA_LOG_ERROR, "Could not fetch the next invocation; exiting", kv, 1);
        return STEP_FATAL;
    }
    if (!inv.request_id || !*inv.request_id || strlen(inv.request_id) > 256) {
        /* Nothing to address a reply to: say so and take the next one. */
        const char *kv[] = {"Header", "Lambda-Runtime-Aws-Request-Id",
                            "Value", inv.request_id ? inv.request_id : "(missing)"};
        sparta__log_fields(SPARTA_LAMBDA_LOG_ERROR,
                           "Skipping an invocation whose request ID is missing or invalid: it cannot be answered",
                           kv, 2);
        return STEP_CONTINUE;
    }
    if (inv.too_large) {
        char text[200];
        int n = snprintf(text, sizeof text,
                         "the event is %zu bytes, more than this runtime's %zu-byte limit (max_event_bytes)",
                         inv.event_bytes, rt->writer.limit);
        return post_error(rt, inv.request_id, "Runtime.EventTooLarge", text, (size_t)n);
    }
    int64_t deadline = 0;
    if (parse_deadline(inv.deadline, &deadline) != 0) {
        char text[200];
        int n = snprintf(text, sizeof text,
                         "the Lambda-Runtime-Deadline-Ms header is %s%.64s%s: want milliseconds since the epoch",
                         inv.deadline ? "\"" : "", inv.deadline ? inv.deadline : "missing",
                         inv.deadline ? "\"" : "");
        return post_error(rt, inv.request_id, "Runtime.MalformedHeader", text, (size_t)n);
    }
    if (inv.headers_truncated) {
        const char *kv[] = {"RequestID", inv.request_id};
        sparta__log_fields(SPARTA_LAMBDA_LOG_WARN, "Lambda-Runtime-* headers too large; some were dropped", kv, 1);
    }

    set_trace_env(rt, inv.trace_id);

    sparta_lambda_context ctx = {
        .request_id = inv.request_id,
        .deadline_ms = deadline,
        .invoked_function_arn = inv.invoked_function_arn ? inv.invoked_function_arn : "",
        .trace_id = inv.trace_id ? inv.trace_id : "",
        .client_context = inv.client_context,
        .identity = inv.identity,
        .env = &rt->env,
    };
    sparta_request request = {inv.body, inv.length, &ctx, rt->handler_name};
    sparta__response_clear(&rt->writer);
    sparta_handler_serve(rt->handler, &rt->writer, &request);
    /* Lambda reads stdout through a pipe: let a handler's printf lines
     * reach the log with their invocation. */
    fflush(stdout);
    return post_result(rt, inv.request_id);
}

/* Posts /runtime/init/error through the runtime's connection. */
static void init_error(runtime *rt, const char *type, const char *message) {
    long status = 0;
    int rc = sparta__rapi_post_error(rt->api, NULL, type, message, strlen(message), &status);
    if (rc != SPARTA__RAPI_OK || status < 200 || status > 299) {
        const char *kv[] = {"Error", sparta__rapi_last_error(rt->api)};
        sparta__log_fields(SPARTA_LAMBDA_LOG_ERROR, "Could not post the init error", kv, 1);
    }
}

static int select_handler(runtime *rt, const char *wanted) {
    size_t count = 0;
    const char *const *names = sparta__registry_names(&count);
    /* handler_name points into the registry, not into the environment a
     * handler could change. */
    for (size_t i = 0; i < count; i++) {
        if ((wanted && *wanted) ? strcmp(names[i], wanted) == 0 : count == 1) {
            rt->handler = sparta__registry_find(names[i]);
            rt->handler_name = names[i];
            return 0;
        }
    }

    sparta__buf message = {NULL, 0, 0};
    sparta__buf list = {NULL, 0, 0};
    for (size_t i = 0; i < count; i++) {
        if (i) sparta__buf_puts(&list, ", ");
        sparta__buf_puts(&list, names[i]);
    }
    const char *listed = list.data ? list.data : "(none)";
    char head[400];
    if (wanted && *wanted)
        snprintf(head, sizeof head, "_HANDLER \"%.256s\" names no registered handler; registered: ", wanted);
    else if (count == 0)
        snprintf(head, sizeof head, "no handler is registered: call sparta_lambda_register() before "
                                    "sparta_lambda_main(); registered: ");
    else
        snprintf(head, sizeof head, "_HANDLER is not set and %zu handlers are registered, so none can be "
                                    "chosen; set the function's Handler to one of: ", count);
    sparta__buf_puts(&message, head);
    sparta__buf_puts(&message, listed);
    const char *text = message.data ? message.data : "no handler";
    const char *kv[] = {"Handler", wanted ? wanted : "", "Registered", listed};
    sparta__log_fields(SPARTA_LAMBDA_LOG_ERROR, text, kv, 2);
    init_error(rt, "Runtime.HandlerNotFound", text);
    sparta__buf_free(&message);
    sparta__buf_free(&list);
    return SPARTA_LAMBDA_ENOTFOUND;
}

SPARTA_LAMBDA_API int sparta_lambda_run(const sparta_lambda_options *options) {
    sparta_lambda_options opts = SPARTA_LAMBDA_OPTIONS_INIT;
    if (options) {
        if (options->version == 0 || options->version > SPARTA_LAMBDA_OPTIONS_VERSION) {
            fprintf(stderr, "sparta_lambda_run: options version %u is not supported (this library knows %d)\n",
                    options->version, SPARTA_LAMBDA_OPTIONS_VERSION);
            return SPARTA_LAMBDA_EUSAGE;
        }
        opts = *options;
    }
    sparta__log_setup();

    const char *endpoint = opts.runtime_api ? opts.runtime_api : getenv("AWS_LAMBDA_RUNTIME_API");
    if (!endpoint || !*endpoint) {
        sparta__log_fields(SPARTA_LAMBDA_LOG_ERROR,
                           "AWS_LAMBDA_RUNTIME_API is not set: run this binary as a Lambda function "
                           "(runtime provided.al2023) or through `sparta invoke`",
                           NULL, 0);
        return SPARTA_LAMBDA_EPROTOCOL;
    }

    runtime rt;
    memset(&rt, 0, sizeof rt);
    size_t max_event = opts.max_event_bytes ? opts.max_event_bytes : SPARTA__DEFAULT_PAYLOAD_LIMIT;
    int rc = sparta__rapi_new(&rt.api, endpoint, max_event);
    if (rc != 0) {
        const char *kv[] = {"AWS_LAMBDA_RUNTIME_API", endpoint};
        sparta__log_fields(SPARTA_LAMBDA_LOG_ERROR,
                           rc == SPARTA_LAMBDA_EUSAGE ? "AWS_LAMBDA_RUNTIME_API is not a host:port"
                                                      : "Out of memory starting the runtime",
                           kv, 1);
        return rc == SPARTA_LAMBDA_EUSAGE ? SPARTA_LAMBDA_EPROTOCOL : rc;
    }
    sparta__function_env_read(&rt.env);
    sparta__response_init(&rt.writer, opts.max_response_bytes);

    rc = select_handler(&rt, opts.handler ? opts.handler : getenv("_HANDLER"));
    if (rc == 0) {
        unsigned long max = opts.max_invocations ? opts.max_invocations : max_invocations_from_env();
        sparta__registry_set_running(1);
        int next = STEP_CONTINUE;
        for (unsigned long served = 0; next == STEP_CONTINUE && (max == 0 || served < max); served++)
            next = step(&rt);
        sparta__registry_set_running(0);
        rc = next == STEP_FATAL ? SPARTA_LAMBDA_EPROTOCOL : 0;
    }
    release_trace_env(&rt);
    sparta__response_release(&rt.writer);
    sparta__rapi_free(rt.api);
    return rc;
}

SPARTA_LAMBDA_API int sparta_lambda_main(int argc, char **argv) {
    if (argc > 1 && argv && argv[1]) {
        if (strcmp(argv[1], "--handlers") == 0) {
            size_t count = 0;
            const char *const *names = sparta__registry_names(&count);
            for (size_t i = 0; i < count; i++) printf("%s\n", names[i]);
            return fflush(stdout) == 0 ? 0 : 1;
        }
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
            printf("usage: %s [--handlers]\n"
                   "A Lambda function (runtime provided.al2023). Run by Lambda, or locally with\n"
                   "`sparta invoke`; needs AWS_LAMBDA_RUNTIME_API. _HANDLER picks the handler.\n"
                   "  --handlers  print the registered handler names and exit\n",
                   argv[0]);
            return 0;
        }
        fprintf(stderr, "%s: unknown argument '%s' (try --help)\n", argv[0], argv[1]);
        return 2;
    }
    return sparta_lambda_run(NULL) == 0 ? 0 : 1;
}

SPARTA_LAMBDA_API int sparta_lambda_report_init_error(const char *type, const char *fmt, ...) {
    sparta__log_setup();
    sparta__buf message = {NULL, 0, 0};
    if (fmt) {
        va_list ap;
        va_start(ap, fmt);
        sparta__buf_vprintf(&message, fmt, ap);
        va_end(ap);
    }
    const char *text = message.data ? message.data : "";
    const char *kv[] = {"ErrorType", type && *type ? type : "Runtime.InitError"};
    sparta__log_fields(SPARTA_LAMBDA_LOG_ERROR, *text ? text : "Initialization failed", kv, 1);

    const char *endpoint = getenv("AWS_LAMBDA_RUNTIME_API");
    sparta__rapi *api = NULL;
    int rc = SPARTA_LAMBDA_EPROTOCOL;
    if (endpoint && *endpoint && sparta__rapi_new(&api, endpoint, 0) == 0) {
        long status = 0;
        if (sparta__rapi_post_error(api, NULL, type && *type ? type : "Runtime.InitError", text, message.len,
                                    &status) == SPARTA__RAPI_OK &&
            status >= 200 && status <= 299)
            rc = 0;
        sparta__rapi_free(api);
    }
    sparta__buf_free(&message);
    return rc;
}
