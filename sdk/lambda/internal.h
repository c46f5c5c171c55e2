/* Internals of the Lambda runtime library: shared between its files, never
 * installed. Everything here is hidden (-fvisibility=hidden). */
#ifndef SPARTA_LAMBDA_INTERNAL_H
#define SPARTA_LAMBDA_INTERNAL_H

#include "sparta/lambda.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#define SPARTA__DEFAULT_PAYLOAD_LIMIT ((size_t)6 * 1024 * 1024)

/* ---- growable byte buffer (always NUL-terminated when data != NULL) */
typedef struct sparta__buf {
    char *data;
    size_t len;
    size_t cap;
} sparta__buf;

int sparta__buf_reserve(sparta__buf *b, size_t extra);
int sparta__buf_append(sparta__buf *b, const void *data, size_t len);
int sparta__buf_puts(sparta__buf *b, const char *s);
int sparta__buf_vprintf(sparta__buf *b, const char *fmt, va_list ap) SPARTA_LAMBDA_PRINTF(2, 0);
void sparta__buf_clear(sparta__buf *b);
void sparta__buf_free(sparta__buf *b);

/* ---- JSON */
/* Appends s[0..len) as a JSON string literal (quotes included); invalid
 * UTF-8 becomes U+FFFD so the output is always valid JSON. */
int sparta__json_string(sparta__buf *b, const char *s, size_t len);
/* {"errorMessage":...,"errorType":...} */
int sparta__json_error(sparta__buf *b, const char *type, const char *message, size_t message_len);

/* ---- logging */
void sparta__log_setup(void);
/* Whether a line at this level would be written: callers skip formatting
 * fields nobody will read (the loop runs this every invocation). */
int sparta__log_enabled(sparta_lambda_log_level level);
void sparta__logv(sparta_lambda_log_level level, const char *message, va_list fields);
/* The same with an array of key/value pairs (count pairs). */
void sparta__log_fields(sparta_lambda_log_level level, const char *message, const char *const *kv, size_t pairs);
double sparta__monotonic_ms(void);
int64_t sparta__now_epoch_ms(void);

/* ---- context, request, response */
typedef struct sparta__function_env {
    const char *function_name;
    const char *function_version;
    const char *log_group;
    const char *log_stream;
    int memory_mb;
} sparta__function_env;

void sparta__function_env_read(sparta__function_env *env);

struct sparta_lambda_context {
    const char *request_id;
    int64_t deadline_ms;
    const char *invoked_function_arn;
    const char *trace_id;
    const char *client_context; /* NULL when absent */
    const char *identity;       /* NULL when absent */
    const sparta__function_env *env;
};

struct sparta_request {
    const char *body;
    size_t length;
    const sparta_lambda_context *ctx;
    const char *handler_name;
};

struct sparta_response_writer {
    sparta__buf body;
    size_t limit;
    int status;       /* 0: not set */
    char status_type[32]; /* errorType for a status >= 400 */
    int touched;      /* wrote, set a status or reported an error */
    int too_large;    /* a write went past the limit */
    int out_of_memory;
    char *error_type; /* malloc'd; NULL: no reported error */
    char *error_message;
    char content_type[128];
    char fault_message[160];
};

void sparta__response_init(sparta_response_writer *w, size_t limit);
/* Clears for the next invocation, keeping the body's memory. */
void sparta__response_clear(sparta_response_writer *w);
void sparta__response_release(sparta_response_writer *w);

/* What will be posted: returns 1 for an error (type and message set, the
 * message not necessarily NUL-terminated: use *message_len), 0 for success. */
int sparta__response_outcome(const sparta_response_writer *w, const char **type, const char **message,
                             size_t *message_len);
const char *sparta__status_error_type(int status, char *scratch, size_t scratch_size);
const char *sparta__status_text(int status);

/* ---- handlers and registry */
const char *const *sparta__registry_names(size_t *count);
sparta_handler *sparta__registry_find(const char *name);
void sparta__registry_set_running(int running);

/* ---- HTTP/1.1 client: one kept-alive plain-TCP connection (http_client.c) */
enum {
    SPARTA__HTTP_OK = 0,
    SPARTA__HTTP_GONE = 1,  /* connection refused, or closed before the answer was complete */
    SPARTA__HTTP_FAILED = 2 /* timeout, malformed answer, unresolvable host, out of memory */
};

typedef struct sparta__http_response {
    int status;
    sparta__buf *body;     /* receives at most body_limit bytes; may be NULL */
    size_t body_limit;
    size_t body_bytes;     /* body bytes the server sent */
    int body_truncated;    /* more than body_limit: the rest was read and dropped */
    /* Every header of the final answer (not of a 1xx), value trimmed. */
    void (*on_header)(void *user, const char *name, size_t name_len, const char *value, size_t value_len);
    /* An exchange (re)starts: forget what on_header captured. */
    void (*on_reset)(void *user);
    void *user;
} sparta__http_response;

typedef struct sparta__http {
    char authority[264]; /* host:port as given: the Host header */
    char host[256];      /* without IPv6 brackets */
    char port[8];
    int fd;              /* -1: not connected */
    int reused;          /* the connection has carried a complete exchange */
    char *in;            /* receive buffer, kept across exchanges */
    size_t in_cap, in_start, in_end;
    char error[256];     /* what the last failure was */
} sparta__http;

/* Parses "host:port" ("[v6]:port", optional http:// and trailing '/');
 * connects lazily. SPARTA_LAMBDA_EUSAGE when malformed. */
int sparta__http_init(sparta__http *c, const char *endpoint);
void sparta__http_free(sparta__http *c);
/* Sends head (request line + headers + blank line) and body in one write,
 * reads the answer into res. timeout_ms 0: wait forever. Reconnects once
 * when a kept-alive connection turns out closed before any answer. */
int sparta__http_exchange(sparta__http *c, const char *head, size_t head_len, const char *body, size_t body_len,
                          int timeout_ms, sparta__http_response *res);

/* ---- Runtime API client */
enum {
    SPARTA__RAPI_OK = 0,
    SPARTA__RAPI_GONE = 1,   /* connection refused or closed: the endpoint went away */
    SPARTA__RAPI_FAILED = 2  /* another transport failure, or an unexpected status */
};

typedef struct sparta__invocation {
    const char *request_id; /* NULL when the header was missing */
    const char *deadline;   /* raw header, NULL when missing */
    const char *invoked_function_arn;
    const char *trace_id;
    const char *client_context;
    const char *identity;
    const char *body;       /* NUL-terminated */
    size_t length;
    size_t event_bytes;     /* bytes Lambda sent (more than length when truncated) */
    int too_large;
    int headers_truncated;
} sparta__invocation;

typedef struct sparta__rapi sparta__rapi;

int sparta__rapi_new(sparta__rapi **out, const char *endpoint, size_t max_event_bytes);
void sparta__rapi_free(sparta__rapi *api);
/* GET .../invocation/next (no timeout). */
int sparta__rapi_next(sparta__rapi *api, sparta__invocation *inv);
/* POST .../invocation/{id}/response; *status gets the HTTP status. */
int sparta__rapi_post_response(sparta__rapi *api, const char *request_id, const char *body, size_t len,
                               const char *content_type, long *status);
/* POST .../invocation/{id}/error, or /runtime/init/error when request_id is NULL. */
int sparta__rapi_post_error(sparta__rapi *api, const char *request_id, const char *type, const char *message,
                            size_t message_len, long *status);
/* The last transport error or answer, for log lines. */
const char *sparta__rapi_last_error(const sparta__rapi *api);

#endif
