/* `sparta invoke`: the pieces behind the command, one file each.
 *   invoke.c         the command: arguments, the event, the outcome printed
 *   invoke_local.c   runs the function's bootstrap against a local endpoint
 *   invoke_server.c  that endpoint: a one-shot AWS Lambda Runtime API server
 *   invoke_remote.c  the deployed function through the Lambda Invoke API
 *   invoke_text.c    the little JSON the command reads, and the outcome's helpers
 * Text is built on the SDK's sparta_text (sparta/text.h). */
#ifndef SPARTA_PLUGIN_LAMBDA_INVOKE_H
#define SPARTA_PLUGIN_LAMBDA_INVOKE_H

#include <stddef.h>
#include <stdint.h>

#include <sparta/text.h>

#include "lambda.h"

/* Lambda's synchronous invocation limit, for the event and for the answer. */
#define INVOKE_PAYLOAD_MAX ((size_t)6 * 1024 * 1024)
/* --timeout's range in seconds (Lambda's own timeout range). */
#define INVOKE_TIMEOUT_MIN 1
#define INVOKE_TIMEOUT_MAX 900

extern const sparta_command_spec lambda_invoke_command;

/* ---- JSON (invoke_text.c) ------------------------------------------------ */

/* 1 when text is exactly one JSON value (whitespace around it allowed). */
int inv_json_valid(const char *text, size_t n);
/* The decoded value of a top-level string member of a JSON object, or NULL
 * (not an object, no such member, not a string). Caller frees. */
char *inv_json_member(const char *text, size_t n, const char *key);

/* ---- the outcome of one invocation ---------------------------------------- */

typedef enum inv_status {
    INV_OK = 0,         /* the function answered */
    INV_FUNCTION_ERROR, /* it reported an invocation error */
    INV_INIT_ERROR,     /* it reported an init error, or could not be started */
    INV_EXITED,         /* it exited (or was killed) before answering */
    INV_TIMEOUT,        /* no answer in time */
    INV_INTERRUPTED     /* sparta was told to stop (SIGINT, SIGTERM, SIGHUP) */
} inv_status;

typedef struct inv_result {
    inv_status status;
    char request_id[64];     /* "" when unknown (remote) */
    sparta_text body;        /* the response, or the error document as sent */
    char *error_type;        /* errors: e.g. "BadRequest", "Runtime.ExitError" */
    char *error_message;
    double duration_ms;      /* handing out the event .. the answer (remote: the call) */
    double init_ms;          /* start .. the first `next` (local only; <0: unknown) */
} inv_result;

void inv_result_free(inv_result *r);
/* Sets error_type and error_message (copies). */
void inv_result_error(inv_result *r, inv_status status, const char *type, const char *message);
/* Reads {errorType, errorMessage} out of r->body, else `fallback_type`
 * and the body itself. */
void inv_result_error_from_body(inv_result *r, inv_status status, const char *fallback_type);

/* ---- local (invoke_local.c) ------------------------------------------------ */

typedef struct inv_local_options {
    const lambda_config *config;
    const lambda_function *function;
    const char *stack;        /* service.stackName */
    const char *region;       /* the function's AWS_REGION and ARN; never NULL */
    const char *event;
    size_t event_len;
    int timeout_s;
    int json_logs;            /* --format json: the function logs JSON too */
} inv_local_options;

/* Runs the function once. Returns 0 with the outcome in *r (which may be
 * an error outcome), or a negative SPARTA_E* after api->error when the
 * invocation could not be set up at all. */
int lambda_invoke_local(sparta_plugin *p, const inv_local_options *o, inv_result *r);

/* ---- the local Runtime API endpoint (invoke_server.c) --------------------- */

typedef enum inv_server_state {
    INV_SERVER_WAITING = 0, /* no `next` yet */
    INV_SERVER_HANDED_OUT,  /* the event is out, no answer yet */
    INV_SERVER_ANSWERED,    /* a response or an invocation error came in */
    INV_SERVER_INIT_ERROR   /* an init error came in */
} inv_server_state;

typedef struct inv_server inv_server;

typedef struct inv_server_options {
    const char *event;
    size_t event_len;
    const char *request_id;
    const char *function_arn;
    const char *trace_id;
    int timeout_ms;           /* for the Lambda-Runtime-Deadline-Ms header */
} inv_server_options;

/* Listens on 127.0.0.1 (a port the kernel picks). NULL after api->error. */
inv_server *inv_server_new(sparta_plugin *p, const inv_server_options *o);
int inv_server_port(const inv_server *s);
/* Serves connections for at most wait_ms (0: only what is ready now);
 * returns early when the state changes or poll() is interrupted by a
 * signal. Returns 1 when something was read or written, else 0. */
int inv_server_serve(inv_server *s, int wait_ms);
inv_server_state inv_server_state_of(const inv_server *s);
/* Monotonic microseconds when the event went out (0: not yet). */
int64_t inv_server_handed_out_at(const inv_server *s);
/* The answer: the body, whether it is an error, and the error type header. */
const sparta_text *inv_server_answer(const inv_server *s, int *is_error, const char **error_type_header);
/* Closes every socket. */
void inv_server_free(inv_server *s);

/* Microseconds of CLOCK_MONOTONIC; milliseconds of the epoch. */
int64_t inv_now_us(void);
int64_t inv_epoch_ms(void);

/* ---- remote (invoke_remote.c) ---------------------------------------------- */

/* Invokes <stack>-<function> through the Lambda API; same contract as local. */
int lambda_invoke_remote(sparta_plugin *p, const lambda_function *f, const char *stack, const char *region,
                         const char *event, size_t event_len, inv_result *r);

#endif
