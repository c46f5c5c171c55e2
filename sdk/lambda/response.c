/* The response writer: collects body, status, content type and a reported
 * error; the runtime turns it into one Runtime API post. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    int status;
    const char *type;
    const char *text;
} k_statuses[] = {
    {400, "BadRequest", "Bad Request"},
    {401, "Unauthorized", "Unauthorized"},
    {403, "Forbidden", "Forbidden"},
    {404, "NotFound", "Not Found"},
    {405, "MethodNotAllowed", "Method Not Allowed"},
    {408, "RequestTimeout", "Request Timeout"},
    {409, "Conflict", "Conflict"},
    {410, "Gone", "Gone"},
    {413, "PayloadTooLarge", "Payload Too Large"},
    {415, "UnsupportedMediaType", "Unsupported Media Type"},
    {422, "UnprocessableEntity", "Unprocessable Entity"},
    {429, "TooManyRequests", "Too Many Requests"},
    {500, "InternalServerError", "Internal Server Error"},
    {501, "NotImplemented", "Not Implemented"},
    {502, "BadGateway", "Bad Gateway"},
    {503, "ServiceUnavailable", "Service Unavailable"},
    {504, "GatewayTimeout", "Gateway Timeout"},
};

const char *sparta__status_error_type(int status, char *scratch, size_t scratch_size) {
    for (size_t i = 0; i < sizeof k_statuses / sizeof k_statuses[0]; i++)
        if (k_statuses[i].status == status) return k_statuses[i].type;
    snprintf(scratch, scratch_size, "HTTP%d", status);
    return scratch;
}

const char *sparta__status_text(int status) {
    for (size_t i = 0; i < sizeof k_statuses / sizeof k_statuses[0]; i++)
        if (k_statuses[i].status == status) return k_statuses[i].text;
    return status >= 500 ? "Server Error" : "Client Error";
}

void sparta__response_init(sparta_response_writer *w, size_t limit) {
    memset(w, 0, sizeof *w);
    w->limit = limit ? limit : SPARTA__DEFAULT_PAYLOAD_LIMIT;
}

void sparta__response_clear(sparta_response_writer *w) {
    sparta__buf_clear(&w->body);
    w->status = 0;
    w->status_type[0] = '\0';
    w->touched = 0;
    w->too_large = 0;
    w->out_of_memory = 0;
    free(w->error_type);
    free(w->error_message);
    w->error_type = NULL;
    w->error_message = NULL;
    w->content_type[0] = '\0';
    w->fault_message[0] = '\0';
}

void sparta__response_release(sparta_response_writer *w) {
    sparta__response_clear(w);
    sparta__buf_free(&w->body);
}

static int fail_too_large(sparta_response_writer *w, size_t wanted) {
    if (!w->too_large) {
        w->too_large = 1;
        snprintf(w->fault_message, sizeof w->fault_message,
                 "the handler wrote more than the %zu-byte response limit (a write of %zu bytes "
                 "would have made it %zu bytes)",
                 w->limit, wanted, w->body.len + wanted);
    }
    return SPARTA_LAMBDA_ETOOLARGE;
}

static int fail_out_of_memory(sparta_response_writer *w) {
    if (!w->out_of_memory) {
        w->out_of_memory = 1;
        snprintf(w->fault_message, sizeof w->fault_message,
                 "out of memory while buffering the response (%zu bytes so far)", w->body.len);
    }
    return SPARTA_LAMBDA_ENOMEM;
}

SPARTA_LAMBDA_API int sparta_response_write(sparta_response_writer *w, const void *data, size_t length) {
    if (!w || (!data && length)) return SPARTA_LAMBDA_EUSAGE;
    w->touched = 1;
    if (w->too_large || length > w->limit - w->body.len) return fail_too_large(w, length);
    if (sparta__buf_append(&w->body, data, length) != 0) return fail_out_of_memory(w);
    return 0;
}

SPARTA_LAMBDA_API int sparta_response_vprintf(sparta_response_writer *w, const char *fmt, va_list ap) {
    if (!w || !fmt) return SPARTA_LAMBDA_EUSAGE;
    w->touched = 1;
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0) return SPARTA_LAMBDA_EUSAGE;
    if (w->too_large || (size_t)n > w->limit - w->body.len) return fail_too_large(w, (size_t)n);
    if (sparta__buf_vprintf(&w->body, fmt, ap) != 0) return fail_out_of_memory(w);
    return 0;
}

SPARTA_LAMBDA_API int sparta_response_printf(sparta_response_writer *w, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    int rc = sparta_response_vprintf(w, fmt, ap);
    va_end(ap);
    return rc;
}

SPARTA_LAMBDA_API int sparta_response_set_status(sparta_response_writer *w, int status) {
    if (!w || status < 100 || status > 599) return SPARTA_LAMBDA_EUSAGE;
    w->status = status;
    w->touched = 1;
    const char *type = sparta__status_error_type(status, w->status_type, sizeof w->status_type);
    if (type != w->status_type) snprintf(w->status_type, sizeof w->status_type, "%s", type);
    return 0;
}

SPARTA_LAMBDA_API int sparta_response_error(sparta_response_writer *w, const char *type, const char *fmt, ...) {
    if (!w) return SPARTA_LAMBDA_EUSAGE;
    w->touched = 1;
    if (w->status < 400) sparta_response_set_status(w, 500);
    char *message = NULL;
    if (fmt) {
        sparta__buf text = {NULL, 0, 0};
        va_list ap;
        va_start(ap, fmt);
        if (sparta__buf_vprintf(&text, fmt, ap) == 0 && sparta__buf_reserve(&text, 0) == 0) message = text.data;
        else sparta__buf_free(&text);
        va_end(ap);
    }
    char *type_copy = strdup(type && *type ? type : "HandlerError");
    if (!message) message = strdup(fmt ? "(out of memory formatting the error message)" : "");
    free(w->error_type);
    free(w->error_message);
    w->error_type = type_copy;
    w->error_message = message;
    if (!type_copy || !message) {
        /* The failure still has to reach Lambda: fall back to a fault. */
        free(type_copy);
        free(message);
        w->error_type = w->error_message = NULL;
        fail_out_of_memory(w);
        return SPARTA_LAMBDA_ENOMEM;
    }
    return 0;
}

SPARTA_LAMBDA_API int sparta_response_set_content_type(sparta_response_writer *w, const char *content_type) {
    if (!w || !content_type) return SPARTA_LAMBDA_EUSAGE;
    size_t n = strlen(content_type);
    if (n == 0 || n >= sizeof w->content_type) return SPARTA_LAMBDA_EUSAGE;
    for (const unsigned char *p = (const unsigned char *)content_type; *p; p++)
        if (*p < 0x20 || *p >= 0x7f) return SPARTA_LAMBDA_EUSAGE;
    memcpy(w->content_type, content_type, n + 1);
    return 0;
}

int sparta__response_outcome(const sparta_response_writer *w, const char **type, const char **message,
                             size_t *message_len) {
    if (w->error_type) {
        *type = w->error_type;
        *message = w->error_message;
        *message_len = strlen(w->error_message);
        return 1;
    }
    if (w->too_large || w->out_of_memory) {
        *type = w->too_large ? "Runtime.ResponseTooLarge" : "Runtime.OutOfMemory";
        *message = w->fault_message;
        *message_len = strlen(w->fault_message);
        return 1;
    }
    if (w->status >= 400) {
        *type = w->status_type;
        if (w->body.len) {
            *message = w->body.data;
            *message_len = w->body.len;
        } else {
            *message = sparta__status_text(w->status);
            *message_len = strlen(*message);
        }
        return 1;
    }
    *type = NULL;
    *message = NULL;
    *message_len = 0;
    return 0;
}

SPARTA_LAMBDA_API int sparta_response_status(const sparta_response_writer *w) {
    if (!w) return 0;
    if (w->status) return w->status;
    return (w->error_type || w->too_large || w->out_of_memory) ? 500 : 200;
}

SPARTA_LAMBDA_API int sparta_response_is_set(const sparta_response_writer *w) { return w ? w->touched : 0; }

SPARTA_LAMBDA_API int sparta_response_failed(const sparta_response_writer *w) {
    const char *type, *message;
    size_t len;
    return w ? sparta__response_outcome(w, &type, &message, &len) : 0;
}

SPARTA_LAMBDA_API const char *sparta_response_error_type(const sparta_response_writer *w) {
    const char *type, *message;
    size_t len;
    return w && sparta__response_outcome(w, &type, &message, &len) ? type : NULL;
}

SPARTA_LAMBDA_API const char *sparta_response_error_message(const sparta_response_writer *w) {
    const char *type, *message;
    size_t len;
    return w && sparta__response_outcome(w, &type, &message, &len) ? message : NULL;
}

SPARTA_LAMBDA_API const char *sparta_response_body(const sparta_response_writer *w, size_t *length) {
    if (length) *length = w ? w->body.len : 0;
    return w && w->body.data ? w->body.data : "";
}

SPARTA_LAMBDA_API const char *sparta_response_content_type(const sparta_response_writer *w) {
    return w && w->content_type[0] ? w->content_type : "application/json";
}

SPARTA_LAMBDA_API void sparta_response_reset(sparta_response_writer *w) {
    if (w) sparta__response_clear(w);
}
