/* The Runtime API client: next / response / error / init error, spoken
 * over http_client.c's one kept-alive connection. Request heads are built
 * in one reusable buffer and events land in another, so once they have
 * grown an invocation allocates nothing. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define API_PATH "/2018-06-01/runtime"
#define MAX_REQUEST_ID 256
#define MAX_HEADER_BYTES (64 * 1024)
#define POST_TIMEOUT_MS 30000
#define MAX_REPLY_BYTES 4096
#define USER_AGENT "sparta-lambda"

enum { H_REQUEST_ID, H_DEADLINE, H_ARN, H_TRACE, H_CLIENT_CONTEXT, H_IDENTITY, H_COUNT };

static const char *const k_header_names[H_COUNT] = {
    "Lambda-Runtime-Aws-Request-Id",     "Lambda-Runtime-Deadline-Ms",
    "Lambda-Runtime-Invoked-Function-Arn", "Lambda-Runtime-Trace-Id",
    "Lambda-Runtime-Client-Context",     "Lambda-Runtime-Cognito-Identity",
};

struct sparta__rapi {
    sparta__http http;
    sparta__buf next_request; /* the GET .../invocation/next head: always the same */
    sparta__buf request;      /* the head of the post being sent */
    size_t path_at, path_len; /* the post's path inside request, for messages */
    sparta__buf event;
    size_t max_event_bytes;
    sparta__buf reply;          /* bodies of answers to posts, for log lines */
    sparta__buf error_document; /* {"errorMessage":...,"errorType":...} */
    sparta__buf headers;        /* values of the Lambda-Runtime-* headers, NUL-separated */
    long header_at[H_COUNT];    /* offsets into headers, -1 when absent */
    int headers_truncated;
    char last_error[1024];
};

static void forget_headers(void *user) {
    sparta__rapi *api = user;
    sparta__buf_clear(&api->headers);
    for (int i = 0; i < H_COUNT; i++) api->header_at[i] = -1;
    api->headers_truncated = 0;
}

static void capture_header(void *user, const char *name, size_t name_len, const char *value, size_t value_len) {
    sparta__rapi *api = user;
    /* Every Lambda-Runtime-* name is longer than 14: most headers stop here. */
    if (name_len < 15 || strncasecmp(name, "Lambda-Runtime-", 15) != 0) return;
    for (int i = 0; i < H_COUNT; i++) {
        if (strlen(k_header_names[i]) != name_len || strncasecmp(name, k_header_names[i], name_len) != 0) continue;
        if (memchr(value, '\0', value_len)) return; /* not a usable value */
        if (api->headers.len + value_len + 1 > MAX_HEADER_BYTES) {
            api->headers_truncated = 1;
            return;
        }
        long at = (long)api->headers.len;
        if (sparta__buf_append(&api->headers, value, value_len) != 0 ||
            sparta__buf_append(&api->headers, "", 1) != 0) {
            api->headers_truncated = 1;
            return;
        }
        api->header_at[i] = at;
        return;
    }
}

/* Host and User-Agent, shared by every request. */
static int common_headers(sparta__buf *b, const sparta__http *http) {
    return sparta__buf_puts(b, " HTTP/1.1\r\nHost: ") || sparta__buf_puts(b, http->authority) ||
           sparta__buf_puts(b, "\r\nUser-Agent: " USER_AGENT "\r\n");
}

int sparta__rapi_new(sparta__rapi **out, const char *endpoint, size_t max_event_bytes) {
    *out = NULL;
    sparta__rapi *api = calloc(1, sizeof *api);
    if (!api) return SPARTA_LAMBDA_ENOMEM;
    api->max_event_bytes = max_event_bytes ? max_event_bytes : SPARTA__DEFAULT_PAYLOAD_LIMIT;
    if (sparta__http_init(&api->http, endpoint) != 0) {
        free(api);
        return SPARTA_LAMBDA_EUSAGE;
    }
    forget_headers(api);
    sparta__buf *b = &api->next_request;
    if (sparta__buf_puts(b, "GET " API_PATH "/invocation/next") || common_headers(b, &api->http) ||
        sparta__buf_puts(b, "\r\n")) {
        sparta__rapi_free(api);
        return SPARTA_LAMBDA_ENOMEM;
    }
    *out = api;
    return 0;
}

void sparta__rapi_free(sparta__rapi *api) {
    if (!api) return;
    sparta__http_free(&api->http);
    sparta__buf_free(&api->next_request);
    sparta__buf_free(&api->request);
    sparta__buf_free(&api->event);
    sparta__buf_free(&api->reply);
    sparta__buf_free(&api->error_document);
    sparta__buf_free(&api->headers);
    free(api);
}

const char *sparta__rapi_last_error(const sparta__rapi *api) { return api->last_error; }

static const char *header_value(const sparta__rapi *api, int which) {
    return api->header_at[which] >= 0 ? api->headers.data + api->header_at[which] : NULL;
}

static int transport_failed(sparta__rapi *api, int rc) {
    snprintf(api->last_error, sizeof api->last_error, "%s", api->http.error[0] ? api->http.error : "transport failure");
    return rc == SPARTA__HTTP_GONE ? SPARTA__RAPI_GONE : SPARTA__RAPI_FAILED;
}

int sparta__rapi_next(sparta__rapi *api, sparta__invocation *inv) {
    memset(inv, 0, sizeof *inv);
    sparta__http_response res = {0};
    res.body = &api->event;
    res.body_limit = api->max_event_bytes;
    res.on_header = capture_header;
    res.on_reset = forget_headers;
    res.user = api;
    /* No timeout: next long-polls until Lambda has an event. */
    int rc = sparta__http_exchange(&api->http, api->next_request.data, api->next_request.len, NULL, 0, 0, &res);
    if (rc != SPARTA__HTTP_OK) return transport_failed(api, rc);
    if (res.status != 200) {
        snprintf(api->last_error, sizeof api->last_error,
                 "GET http://%s" API_PATH "/invocation/next answered HTTP %d: %.200s", api->http.authority,
                 res.status, api->event.data ? api->event.data : "");
        return SPARTA__RAPI_FAILED;
    }
    if (!api->event.data && sparta__buf_reserve(&api->event, 0) != 0) {
        snprintf(api->last_error, sizeof api->last_error, "out of memory holding the event");
        return SPARTA__RAPI_FAILED;
    }
    api->event.data[api->event.len] = '\0';
    inv->request_id = header_value(api, H_REQUEST_ID);
    inv->deadline = header_value(api, H_DEADLINE);
    inv->invoked_function_arn = header_value(api, H_ARN);
    inv->trace_id = header_value(api, H_TRACE);
    inv->client_context = header_value(api, H_CLIENT_CONTEXT);
    inv->identity = header_value(api, H_IDENTITY);
    inv->body = api->event.data;
    inv->length = res.body_truncated ? 0 : api->event.len;
    inv->event_bytes = res.body_bytes;
    inv->too_large = res.body_truncated;
    inv->headers_truncated = api->headers_truncated;
    return SPARTA__RAPI_OK;
}

/* 1 (with last_error set) when a request ID cannot go into a path. */
static int request_id_refused(sparta__rapi *api, const char *request_id) {
    size_t n = request_id ? strlen(request_id) : 0;
    if (n && n <= MAX_REQUEST_ID) return 0;
    snprintf(api->last_error, sizeof api->last_error, "request ID missing or longer than %d bytes", MAX_REQUEST_ID);
    return 1;
}

/* Starts a post's head: request line with the path. Request IDs go into
 * the path: percent-encode all but unreserved characters ('.' too, so an
 * ID of "." or ".." cannot become a dot segment). */
static int begin_post(sparta__rapi *api, const char *request_id, const char *what) {
    sparta__buf *b = &api->request;
    sparta__buf_clear(b);
    if (sparta__buf_puts(b, "POST ")) return -1;
    api->path_at = b->len;
    if (!request_id) {
        if (sparta__buf_puts(b, API_PATH "/init/")) return -1;
    } else {
        size_t n = strlen(request_id); /* checked by request_id_refused */
        if (sparta__buf_puts(b, API_PATH "/invocation/") || sparta__buf_reserve(b, 3 * n + 1)) return -1;
        static const char hex[] = "0123456789ABCDEF";
        char *p = b->data + b->len;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)request_id[i];
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                c == '_' || c == '~') {
                *p++ = (char)c;
            } else {
                *p++ = '%';
                *p++ = hex[c >> 4];
                *p++ = hex[c & 15];
            }
        }
        *p++ = '/';
        b->len = (size_t)(p - b->data);
        b->data[b->len] = '\0';
    }
    if (sparta__buf_puts(b, what)) return -1;
    api->path_len = b->len - api->path_at;
    return common_headers(b, &api->http);
}

static int finish_head(sparta__buf *b, const char *content_type, size_t len, const char *error_type) {
    char length[64];
    snprintf(length, sizeof length, "\r\nContent-Length: %zu\r\n", len);
    if (sparta__buf_puts(b, "Content-Type: ") || sparta__buf_puts(b, content_type) || sparta__buf_puts(b, length))
        return -1;
    if (error_type && (sparta__buf_puts(b, "Lambda-Runtime-Function-Error-Type: ") ||
                       sparta__buf_puts(b, error_type) || sparta__buf_puts(b, "\r\n")))
        return -1;
    return sparta__buf_puts(b, "\r\n");
}

static int post(sparta__rapi *api, const char *body, size_t len, long *status) {
    sparta__http_response res = {0};
    res.body = &api->reply;
    res.body_limit = MAX_REPLY_BYTES;
    int rc = sparta__http_exchange(&api->http, api->request.data, api->request.len, body, len, POST_TIMEOUT_MS,
                                   &res);
    if (rc != SPARTA__HTTP_OK) return transport_failed(api, rc);
    *status = res.status;
    if (res.status < 200 || res.status > 299)
        snprintf(api->last_error, sizeof api->last_error, "POST http://%s%.*s answered HTTP %d: %.200s",
                 api->http.authority, (int)api->path_len, api->request.data + api->path_at, res.status,
                 api->reply.data ? api->reply.data : "");
    return SPARTA__RAPI_OK;
}

static int out_of_memory(sparta__rapi *api, const char *what) {
    snprintf(api->last_error, sizeof api->last_error, "out of memory building %s", what);
    return SPARTA__RAPI_FAILED;
}

int sparta__rapi_post_response(sparta__rapi *api, const char *request_id, const char *body, size_t len,
                               const char *content_type, long *status) {
    *status = 0;
    /* The writer only accepts printable content types; never let one
     * break the head regardless. */
    if (!content_type || !*content_type || strpbrk(content_type, "\r\n")) content_type = "application/json";
    if (request_id_refused(api, request_id)) return SPARTA__RAPI_FAILED;
    if (begin_post(api, request_id, "response") || finish_head(&api->request, content_type, len, NULL))
        return out_of_memory(api, "the response request");
    return post(api, body ? body : "", len, status);
}

/* errorType travels in a header: keep printable ASCII only, bounded. */
static void header_safe(char *out, size_t size, const char *in) {
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && n + 1 < size; p++)
        if ((*p > 0x20 && *p < 0x7f) || (*p == 0x20 && n > 0)) out[n++] = (char)*p;
    while (n && out[n - 1] == ' ') n--; /* a blank value would read as no header */
    out[n] = '\0';
    if (n == 0) snprintf(out, size, "%s", "HandlerError");
}

int sparta__rapi_post_error(sparta__rapi *api, const char *request_id, const char *type, const char *message,
                            size_t message_len, long *status) {
    *status = 0;
    if (request_id && request_id_refused(api, request_id)) return SPARTA__RAPI_FAILED; /* NULL: init error */
    char safe_type[160];
    header_safe(safe_type, sizeof safe_type, type ? type : "");
    sparta__buf_clear(&api->error_document);
    if (sparta__json_error(&api->error_document, safe_type, message, message_len) != 0)
        return out_of_memory(api, "the error document");
    if (begin_post(api, request_id, "error") ||
        finish_head(&api->request, "application/json", api->error_document.len, safe_type))
        return out_of_memory(api, "the error request");
    return post(api, api->error_document.data, api->error_document.len, status);
}
