/*
 * hello — one Lambda binary (`bootstrap`, runtime provided.al2023) serving two
 * functions, chosen by the function's Handler setting (_HANDLER):
 *   hello  {"message":"<$HELLO_MESSAGE or Hello, World!>","requestId":"..."}
 *   echo   returns the event as it came; an empty event is a 400 (BadRequest)
 * Both run behind the SDK's logging, timing and recover middleware, and echo
 * also behind a small middleware of our own that counts invocations.
 */
#include <sparta/lambda.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Writes s as a JSON string literal. */
static void write_json_string(sparta_response_writer *w, const char *s) {
    sparta_response_write(w, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\') sparta_response_printf(w, "\\%c", *p);
        else if (*p < 0x20) sparta_response_printf(w, "\\u%04x", *p);
        else sparta_response_write(w, p, 1);
    }
    sparta_response_write(w, "\"", 1);
}

static void hello(sparta_response_writer *w, const sparta_request *r) {
    const char *message = getenv("HELLO_MESSAGE");
    const sparta_lambda_context *ctx = sparta_request_context(r);
    sparta_response_write(w, "{\"message\":", 11);
    write_json_string(w, message && *message ? message : "Hello, World!");
    sparta_response_write(w, ",\"requestId\":", 13);
    write_json_string(w, sparta_lambda_context_request_id(ctx));
    sparta_response_write(w, "}", 1);
}

static void echo(sparta_response_writer *w, const sparta_request *r) {
    if (sparta_request_length(r) == 0) {
        sparta_response_set_status(w, 400);
        sparta_response_printf(w, "echo needs an event");
        return;
    }
    sparta_response_write(w, sparta_request_body(r), sparta_request_length(r));
}

/* A middleware with state: counts the invocations this instance served. */
static void count_invocations(sparta_response_writer *w, const sparta_request *r, const sparta_handler *next,
                              void *user_data) {
    unsigned long *count = user_data;
    ++*count;
    sparta_lambda_logf(SPARTA_LAMBDA_LOG_DEBUG, "echo invocation %lu", *count);
    sparta_handler_serve(next, w, r);
}

int main(int argc, char **argv) {
    static unsigned long echo_count;
    sparta_middleware *counter = sparta_middleware_new(count_invocations, &echo_count, NULL);

    /* First listed is outermost: logging sees what recover decided. */
    sparta_handler *h = sparta_chain(sparta_handler_from_func(hello), sparta_middleware_logging(),
                                     sparta_middleware_timing(), sparta_middleware_recover(), NULL);
    sparta_handler *e = sparta_chain(sparta_handler_from_func(echo), sparta_middleware_logging(),
                                     sparta_middleware_recover(), counter, NULL);
    if (!h || !e || sparta_lambda_register("hello", h) != 0 || sparta_lambda_register("echo", e) != 0) {
        sparta_lambda_report_init_error("Runtime.InitError", "hello: could not register the handlers");
        return 1;
    }
    /* The registry holds its own references. */
    sparta_handler_free(h);
    sparta_handler_free(e);
    sparta_middleware_free(counter);
    return sparta_lambda_main(argc, argv);
}
