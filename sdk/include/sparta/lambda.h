/*
 * sparta Lambda runtime — write AWS Lambda functions in C.
 *
 * Link libsparta-lambda (pkg-config `sparta-lambda`, CMake `Sparta::lambda`)
 * and build a binary named `bootstrap` for the `provided.al2023` runtime:
 *
 *     static void hello(sparta_response_writer *w, const sparta_request *r) {
 *         sparta_response_printf(w, "{\"message\":\"hello %s\"}",
 *             sparta_lambda_context_request_id(sparta_request_context(r)));
 *     }
 *
 *     int main(int argc, char **argv) {
 *         sparta_handler *h = sparta_chain(sparta_handler_from_func(hello),
 *             sparta_middleware_logging(), sparta_middleware_recover(), NULL);
 *         sparta_lambda_register("hello", h);
 *         sparta_handler_free(h);
 *         return sparta_lambda_main(argc, argv);
 *     }
 *
 * Model (Go's net/http): a handler gets a response writer and a request; the
 * request carries the event bytes and the Lambda context. Middleware wraps a
 * handler and decides when (and whether) to call the next one. One binary
 * may serve several functions: `_HANDLER` (the function's Handler setting)
 * names the registered handler to run; when _HANDLER is unset or empty and
 * exactly one handler is registered, that one runs.
 *
 * What the runtime does: it reads the function's environment once, then runs
 * the Runtime API loop (GET .../invocation/next, POST .../response or
 * .../error) over one kept-alive HTTP connection. It reads no configuration
 * file and loads no plugins. A handler that reports an error, sets a status
 * >= 400, or writes more than the response limit yields an /error post with
 * {"errorMessage":..., "errorType":...}. An _HANDLER that names no
 * registered handler yields /runtime/init/error listing the registered names.
 *
 * What it cannot do: C has no recovery from memory corruption. The runtime
 * installs no signal handlers; a crash (SIGSEGV, abort) ends the process and
 * Lambda reports it as Runtime.ExitError. "Recover" here means turning
 * handler-reported failures and missing responses into proper Runtime API
 * errors.
 *
 * Threads: the loop runs handlers one at a time on the calling thread.
 * Registration and chaining are meant for main() before sparta_lambda_main.
 *
 * ABI rules: every type is opaque and reached through functions; options
 * structs are versioned (`version` first, `..._INIT` macros) and only grow
 * at the end. Additions bump the minor version, anything else the major.
 *
 * Changelog:
 *  2026-11-26  1.0  Handlers, middleware (logging, timing, recover), chain,
 *                   registry dispatched by _HANDLER, Runtime API loop,
 *                   deprecated sparta_lambda_func adapter.
 */
#ifndef SPARTA_LAMBDA_H
#define SPARTA_LAMBDA_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SPARTA_LAMBDA_VERSION_MAJOR 1
#define SPARTA_LAMBDA_VERSION_MINOR 0

#if defined(__GNUC__)
#define SPARTA_LAMBDA_API __attribute__((visibility("default")))
#define SPARTA_LAMBDA_PRINTF(fmt, args) __attribute__((format(printf, fmt, args)))
/* Deprecated entries keep working and warn at run time; define
 * SPARTA_LAMBDA_WARN_DEPRECATED to also get compile-time warnings. */
#if defined(SPARTA_LAMBDA_WARN_DEPRECATED)
#define SPARTA_LAMBDA_DEPRECATED(msg) __attribute__((deprecated(msg)))
#else
#define SPARTA_LAMBDA_DEPRECATED(msg)
#endif
#define SPARTA_LAMBDA_SENTINEL __attribute__((sentinel))
#else
#define SPARTA_LAMBDA_API
#define SPARTA_LAMBDA_PRINTF(fmt, args)
#define SPARTA_LAMBDA_DEPRECATED(msg)
#define SPARTA_LAMBDA_SENTINEL
#endif

/* Return codes: 0 is success, every failure is negative. */
enum {
    SPARTA_LAMBDA_OK = 0,
    SPARTA_LAMBDA_EGENERIC = -1,  /* anything not listed below */
    SPARTA_LAMBDA_EUSAGE = -2,    /* bad argument (NULL, empty name, unknown options version) */
    SPARTA_LAMBDA_ENOMEM = -3,    /* out of memory */
    SPARTA_LAMBDA_ENOTFOUND = -4, /* _HANDLER names no registered handler */
    SPARTA_LAMBDA_EEXISTS = -5,   /* a handler of that name is already registered */
    SPARTA_LAMBDA_ETOOLARGE = -6, /* a response exceeds the response limit */
    SPARTA_LAMBDA_EPROTOCOL = -7, /* the Runtime API failed, refused or is not configured */
    SPARTA_LAMBDA_ESTATE = -8     /* call made at the wrong time (e.g. write after the response was sent) */
};

/* A short English description of a SPARTA_LAMBDA_E* code. */
SPARTA_LAMBDA_API const char *sparta_lambda_strerror(int code);

/* ---------------------------------------------------------------- context */

/* The Lambda context of one invocation; borrowed from the request, valid
 * while the handler runs (copy what must outlive it). Strings are never NULL ("" when absent) except
 * client_context and identity, which are NULL when Lambda sent none. */
typedef struct sparta_lambda_context sparta_lambda_context;

SPARTA_LAMBDA_API const char *sparta_lambda_context_request_id(const sparta_lambda_context *ctx);
/* Deadline in milliseconds since the Unix epoch (Lambda-Runtime-Deadline-Ms). */
SPARTA_LAMBDA_API int64_t sparta_lambda_context_deadline_ms(const sparta_lambda_context *ctx);
/* Milliseconds left before the deadline, now; 0 once it has passed. */
SPARTA_LAMBDA_API int64_t sparta_lambda_context_remaining_ms(const sparta_lambda_context *ctx);
SPARTA_LAMBDA_API const char *sparta_lambda_context_invoked_function_arn(const sparta_lambda_context *ctx);
/* X-Ray trace header; the runtime also exports it as _X_AMZN_TRACE_ID for
 * the duration of the invocation (unset when Lambda sent none). */
SPARTA_LAMBDA_API const char *sparta_lambda_context_trace_id(const sparta_lambda_context *ctx);
/* Raw JSON from Lambda-Runtime-Client-Context / -Cognito-Identity, or NULL. */
SPARTA_LAMBDA_API const char *sparta_lambda_context_client_context(const sparta_lambda_context *ctx);
SPARTA_LAMBDA_API const char *sparta_lambda_context_identity(const sparta_lambda_context *ctx);
/* From the environment: AWS_LAMBDA_FUNCTION_NAME, _VERSION, _MEMORY_SIZE,
 * AWS_LAMBDA_LOG_GROUP_NAME, AWS_LAMBDA_LOG_STREAM_NAME. */
SPARTA_LAMBDA_API const char *sparta_lambda_context_function_name(const sparta_lambda_context *ctx);
SPARTA_LAMBDA_API const char *sparta_lambda_context_function_version(const sparta_lambda_context *ctx);
SPARTA_LAMBDA_API int sparta_lambda_context_memory_mb(const sparta_lambda_context *ctx);
SPARTA_LAMBDA_API const char *sparta_lambda_context_log_group(const sparta_lambda_context *ctx);
SPARTA_LAMBDA_API const char *sparta_lambda_context_log_stream(const sparta_lambda_context *ctx);

/* ---------------------------------------------------------------- request */

typedef struct sparta_request sparta_request;

/* The event payload. The bytes are followed by a NUL (not counted in the
 * length) so a JSON event can be read as a C string; it may contain NULs. */
SPARTA_LAMBDA_API const char *sparta_request_body(const sparta_request *r);
SPARTA_LAMBDA_API size_t sparta_request_length(const sparta_request *r);
SPARTA_LAMBDA_API const sparta_lambda_context *sparta_request_context(const sparta_request *r);
/* The registered name that _HANDLER selected. */
SPARTA_LAMBDA_API const char *sparta_request_handler_name(const sparta_request *r);

/* ---------------------------------------------------------------- response */

/* Collects the response of one invocation. Nothing is sent until the
 * outermost handler returns; then, in this order:
 *   - an error was reported (sparta_response_error): POST .../error with
 *     {"errorMessage":..., "errorType":...};
 *   - the status is >= 400: POST .../error, errorType named after the status
 *     (404 -> "NotFound", otherwise "HTTP<code>"), errorMessage the body
 *     written, or the status text when the body is empty;
 *   - otherwise: POST .../response with the body written (possibly empty)
 *     and the content type (default application/json).
 * A write past the response limit (6 MiB by default) fails with
 * SPARTA_LAMBDA_ETOOLARGE and turns the invocation into an error
 * (errorType Runtime.ResponseTooLarge). */
typedef struct sparta_response_writer sparta_response_writer;

SPARTA_LAMBDA_API int sparta_response_write(sparta_response_writer *w, const void *data, size_t length);
SPARTA_LAMBDA_API int sparta_response_printf(sparta_response_writer *w, const char *fmt, ...)
    SPARTA_LAMBDA_PRINTF(2, 3);
SPARTA_LAMBDA_API int sparta_response_vprintf(sparta_response_writer *w, const char *fmt, va_list ap)
    SPARTA_LAMBDA_PRINTF(2, 0);
/* HTTP-like status: 2xx/3xx succeed, >= 400 fail (see above). Must be
 * 100..599. */
SPARTA_LAMBDA_API int sparta_response_set_status(sparta_response_writer *w, int status);
/* Reports a failure. `type` becomes errorType and the
 * Lambda-Runtime-Function-Error-Type header ("HandlerError" when NULL);
 * the message becomes errorMessage. The last report wins; the body written
 * is not sent. Sets the status to 500 unless it is already >= 400. */
SPARTA_LAMBDA_API int sparta_response_error(sparta_response_writer *w, const char *type, const char *fmt, ...)
    SPARTA_LAMBDA_PRINTF(3, 4);
SPARTA_LAMBDA_API int sparta_response_set_content_type(sparta_response_writer *w, const char *content_type);

/* For middleware: what the inner handlers did so far. */
/* Effective status: the one set, else 500 after an error, else 200. */
SPARTA_LAMBDA_API int sparta_response_status(const sparta_response_writer *w);
/* Non-zero once the handler wrote (even zero bytes), set a status or
 * reported an error. */
SPARTA_LAMBDA_API int sparta_response_is_set(const sparta_response_writer *w);
/* Non-zero when the invocation will be posted as an error. */
SPARTA_LAMBDA_API int sparta_response_failed(const sparta_response_writer *w);
/* errorType / errorMessage that will be posted, or NULL on success. */
SPARTA_LAMBDA_API const char *sparta_response_error_type(const sparta_response_writer *w);
SPARTA_LAMBDA_API const char *sparta_response_error_message(const sparta_response_writer *w);
/* The body written so far (NUL-terminated) and its length. */
SPARTA_LAMBDA_API const char *sparta_response_body(const sparta_response_writer *w, size_t *length);
SPARTA_LAMBDA_API const char *sparta_response_content_type(const sparta_response_writer *w);
/* Forgets body, status and error, as if nothing had been written. */
SPARTA_LAMBDA_API void sparta_response_reset(sparta_response_writer *w);

/* ---------------------------------------------------------------- handlers */

/* The handler shape (Go's http.HandlerFunc). */
typedef void (*sparta_handler_func)(sparta_response_writer *w, const sparta_request *r);
/* The same, with state: user_data is what was given to sparta_handler_new. */
typedef void (*sparta_handler_data_func)(sparta_response_writer *w, const sparta_request *r, void *user_data);

/* A handler object (function + state). Reference counted: every _new /
 * _from_func / sparta_chain result is released with sparta_handler_free;
 * the registry and chains keep their own references, so the caller may
 * release its handle right after passing it on. */
typedef struct sparta_handler sparta_handler;

SPARTA_LAMBDA_API sparta_handler *sparta_handler_from_func(sparta_handler_func fn);
/* free_user_data (may be NULL) runs when the last reference goes. */
SPARTA_LAMBDA_API sparta_handler *sparta_handler_new(sparta_handler_data_func fn, void *user_data,
                                                     void (*free_user_data)(void *));
SPARTA_LAMBDA_API void sparta_handler_free(sparta_handler *h);
/* Runs a handler: what a middleware calls to pass control to `next`. */
SPARTA_LAMBDA_API void sparta_handler_serve(const sparta_handler *h, sparta_response_writer *w,
                                            const sparta_request *r);

/* Middleware: runs code around `next` (or not at all). Reference counted
 * like handlers. */
typedef void (*sparta_middleware_func)(sparta_response_writer *w, const sparta_request *r,
                                       const sparta_handler *next, void *user_data);
typedef struct sparta_middleware sparta_middleware;

SPARTA_LAMBDA_API sparta_middleware *sparta_middleware_new(sparta_middleware_func fn, void *user_data,
                                                           void (*free_user_data)(void *));
SPARTA_LAMBDA_API void sparta_middleware_free(sparta_middleware *mw);

/* Composes a handler: sparta_chain(h, a, b, NULL) runs a, which calls b,
 * which calls h (the first middleware listed is the outermost). Borrows its
 * arguments (takes its own references) and returns a new handler, or NULL
 * when h is NULL or memory runs out. The list ends with NULL. */
SPARTA_LAMBDA_API sparta_handler *sparta_chain(sparta_handler *h, ...) SPARTA_LAMBDA_SENTINEL;
SPARTA_LAMBDA_API sparta_handler *sparta_chainv(sparta_handler *h, sparta_middleware *const *middleware,
                                                size_t count);

/* Shipped middleware (shared instances; sparta_middleware_free is harmless).
 *  logging: after each invocation, one line on stderr:
 *     INFO[0003] Invocation complete RequestID=... Handler=hello Status=200 Duration=0.412ms Bytes=27
 *   (ERRO ... Invocation failed ... ErrorType=... on failure).
 *  timing: warns (WARN ... Invocation close to its deadline ...) when the
 *   time left after the handler is under a fifth of the budget it started
 *   with or under 100 ms; logs the budget at debug level.
 *  recover: a handler that returns without writing, setting a status or
 *   reporting an error yields errorType Runtime.NoResponse instead of an
 *   empty success. Place it inside logging so logging sees the result:
 *   sparta_chain(h, sparta_middleware_logging(), sparta_middleware_recover(), NULL). */
SPARTA_LAMBDA_API sparta_middleware *sparta_middleware_logging(void);
SPARTA_LAMBDA_API sparta_middleware *sparta_middleware_timing(void);
SPARTA_LAMBDA_API sparta_middleware *sparta_middleware_recover(void);

/* ---------------------------------------------------------------- registry */

/* Registers a handler under `name` (what _HANDLER selects; no spaces or
 * control characters, at most 256 bytes). Borrows h. Returns
 * SPARTA_LAMBDA_EEXISTS for a duplicate name, EUSAGE for a bad name or a
 * NULL handler, ESTATE while the loop runs. */
SPARTA_LAMBDA_API int sparta_lambda_register(const char *name, sparta_handler *h);
/* Shortcut for a plain function. */
SPARTA_LAMBDA_API int sparta_lambda_register_handler_func(const char *name, sparta_handler_func fn);

/* Deprecated: the older (event, context) -> result signature. Return 0 and
 * set *result to a malloc'd NUL-terminated string (freed by the runtime;
 * NULL means an empty response), or non-zero for an error (errorType
 * HandlerError; *result, when set, is the errorMessage). Still works; on
 * the first invocation of each such function the runtime logs
 *   WARN[0000] DEPRECATED: sparta_lambda_func() signature provided. Please migrate to sparta_handler_func() Name=<name>
 */
typedef int (*sparta_lambda_func)(const char *event, size_t length, const sparta_lambda_context *ctx,
                                  char **result);
SPARTA_LAMBDA_API int sparta_lambda_register_func(const char *name, sparta_lambda_func fn)
    SPARTA_LAMBDA_DEPRECATED("use sparta_lambda_register with a sparta_handler_func");

/* ---------------------------------------------------------------- running */

typedef struct sparta_lambda_options {
    unsigned int version;           /* SPARTA_LAMBDA_OPTIONS_VERSION */
    const char *runtime_api;        /* host:port; NULL: $AWS_LAMBDA_RUNTIME_API */
    const char *handler;            /* registered name; NULL: $_HANDLER (or the only one registered) */
    unsigned long max_invocations;  /* stop after this many; 0: $SPARTA_LAMBDA_MAX_INVOCATIONS, else unbounded */
    size_t max_event_bytes;         /* larger events get Runtime.EventTooLarge; 0: 6 MiB */
    size_t max_response_bytes;      /* larger responses get Runtime.ResponseTooLarge; 0: 6 MiB */
} sparta_lambda_options;

#define SPARTA_LAMBDA_OPTIONS_VERSION 1
#define SPARTA_LAMBDA_OPTIONS_INIT {SPARTA_LAMBDA_OPTIONS_VERSION, NULL, NULL, 0, 0, 0}

/* Runs the Runtime API loop with the registered handlers. Returns 0 after
 * max_invocations or when the Runtime API goes away (connection refused or
 * closed: the normal end of a local invoke), SPARTA_LAMBDA_ENOTFOUND after
 * posting an init error for an unknown _HANDLER, SPARTA_LAMBDA_EPROTOCOL
 * when the Runtime API is unset or answers with an error status. */
SPARTA_LAMBDA_API int sparta_lambda_run(const sparta_lambda_options *options);

/* The usual main(): `bootstrap --handlers` prints the registered names, one
 * per line; otherwise sparta_lambda_run(NULL). Returns a process exit
 * status (0 on a clean end, 1 otherwise). */
SPARTA_LAMBDA_API int sparta_lambda_main(int argc, char **argv);

/* For a function's own initialisation failures (before sparta_lambda_main):
 * posts /runtime/init/error; the caller should then exit non-zero. */
SPARTA_LAMBDA_API int sparta_lambda_report_init_error(const char *type, const char *fmt, ...)
    SPARTA_LAMBDA_PRINTF(2, 3);

/* ---------------------------------------------------------------- logging */

typedef enum sparta_lambda_log_level {
    SPARTA_LAMBDA_LOG_DEBUG = 0,
    SPARTA_LAMBDA_LOG_INFO = 1,
    SPARTA_LAMBDA_LOG_WARN = 2,
    SPARTA_LAMBDA_LOG_ERROR = 3
} sparta_lambda_log_level;

/* One logrus-style line on stderr: `INFO[0002] message Key=value ...`;
 * fields are key/value string pairs ending with NULL. The level comes from
 * $AWS_LAMBDA_LOG_LEVEL (default INFO); $AWS_LAMBDA_LOG_FORMAT=JSON writes
 * JSON lines instead. */
SPARTA_LAMBDA_API void sparta_lambda_log(sparta_lambda_log_level level, const char *message, ...)
    SPARTA_LAMBDA_SENTINEL;
SPARTA_LAMBDA_API void sparta_lambda_logf(sparta_lambda_log_level level, const char *fmt, ...)
    SPARTA_LAMBDA_PRINTF(2, 3);

#ifdef __cplusplus
}
#endif

#endif
