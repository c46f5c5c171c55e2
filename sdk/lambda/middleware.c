/* The shipped middleware: logging, timing, recover. */
#include "handler.h"

#include <inttypes.h>
#include <stdio.h>

static void format_ms(char *out, size_t size, double ms) { snprintf(out, size, "%.3fms", ms); }

static void logging_serve(sparta_response_writer *w, const sparta_request *r, const sparta_handler *next,
                          void *user_data) {
    (void)user_data;
    double start = sparta__monotonic_ms();
    sparta_handler_serve(next, w, r);
    const char *type = sparta_response_error_type(w);
    if (!sparta__log_enabled(type ? SPARTA_LAMBDA_LOG_ERROR : SPARTA_LAMBDA_LOG_INFO)) return;
    char duration[32], status[16], bytes[32];
    format_ms(duration, sizeof duration, sparta__monotonic_ms() - start);
    snprintf(status, sizeof status, "%d", sparta_response_status(w));
    const char *request_id = sparta_lambda_context_request_id(sparta_request_context(r));
    const char *handler = sparta_request_handler_name(r);
    if (type) {
        const char *kv[] = {"RequestID", request_id, "Handler", handler, "Status", status,
                            "ErrorType", type,       "Duration", duration};
        sparta__log_fields(SPARTA_LAMBDA_LOG_ERROR, "Invocation failed", kv, 5);
    } else {
        size_t len = 0;
        sparta_response_body(w, &len);
        snprintf(bytes, sizeof bytes, "%zu", len);
        const char *kv[] = {"RequestID", request_id, "Handler", handler, "Status", status,
                            "Duration",  duration,   "Bytes",   bytes};
        sparta__log_fields(SPARTA_LAMBDA_LOG_INFO, "Invocation complete", kv, 5);
    }
}

static void timing_serve(sparta_response_writer *w, const sparta_request *r, const sparta_handler *next,
                         void *user_data) {
    (void)user_data;
    const sparta_lambda_context *ctx = sparta_request_context(r);
    const char *request_id = sparta_lambda_context_request_id(ctx);
    int64_t budget = sparta_lambda_context_remaining_ms(ctx);
    char budget_text[32], elapsed_text[32], remaining_text[32];
    if (sparta__log_enabled(SPARTA_LAMBDA_LOG_DEBUG)) {
        snprintf(budget_text, sizeof budget_text, "%" PRId64 "ms", budget);
        const char *kv_start[] = {"RequestID", request_id, "Budget", budget_text};
        sparta__log_fields(SPARTA_LAMBDA_LOG_DEBUG, "Invocation budget", kv_start, 2);
    }

    double start = sparta__monotonic_ms();
    sparta_handler_serve(next, w, r);
    double elapsed = sparta__monotonic_ms() - start;

    int64_t remaining = sparta_lambda_context_remaining_ms(ctx);
    int64_t threshold = budget / 5 > 100 ? budget / 5 : 100;
    if (remaining < threshold && sparta__log_enabled(SPARTA_LAMBDA_LOG_WARN)) {
        snprintf(budget_text, sizeof budget_text, "%" PRId64 "ms", budget);
        format_ms(elapsed_text, sizeof elapsed_text, elapsed);
        snprintf(remaining_text, sizeof remaining_text, "%" PRId64 "ms", remaining);
        const char *kv[] = {"RequestID", request_id,     "Handler", sparta_request_handler_name(r),
                            "Elapsed",   elapsed_text,   "Remaining", remaining_text,
                            "Budget",    budget_text};
        sparta__log_fields(SPARTA_LAMBDA_LOG_WARN, "Invocation close to its deadline", kv, 5);
    }
}

static void recover_serve(sparta_response_writer *w, const sparta_request *r, const sparta_handler *next,
                          void *user_data) {
    (void)user_data;
    sparta_handler_serve(next, w, r);
    if (!sparta_response_is_set(w))
        sparta_response_error(w, "Runtime.NoResponse",
                              "handler %s returned without writing a response, setting a status or "
                              "reporting an error",
                              sparta_request_handler_name(r));
}

static sparta_middleware g_logging = {1, 1, logging_serve, NULL, NULL};
static sparta_middleware g_timing = {1, 1, timing_serve, NULL, NULL};
static sparta_middleware g_recover = {1, 1, recover_serve, NULL, NULL};

SPARTA_LAMBDA_API sparta_middleware *sparta_middleware_logging(void) { return &g_logging; }
SPARTA_LAMBDA_API sparta_middleware *sparta_middleware_timing(void) { return &g_timing; }
SPARTA_LAMBDA_API sparta_middleware *sparta_middleware_recover(void) { return &g_recover; }
