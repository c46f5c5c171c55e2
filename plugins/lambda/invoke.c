/* `sparta invoke FUNCTION [--event FILE|-] [--timeout SEC] [--remote]`:
 * runs one function of lambda.functions once and prints what it answered.
 * Locally (invoke_local.c) for provided.* functions, or the deployed one
 * (invoke_remote.c). stdout carries only the result (with --format json a
 * document {function, requestId, status, result|error, durationMs}); logs
 * and the function's own output go to stderr. A function error, an init
 * error, a crash or a timeout is an error: the command exits non-zero. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invoke.h"

#define API lambda_api

static int run_invoke(sparta_plugin *p, const sparta_invocation *inv, void *state);

static const sparta_flag_spec invoke_flags[] = {
    {sizeof(sparta_flag_spec), "event", NULL, SPARTA_FLAG_STRING, NULL,
     "file holding the event (JSON); - reads stdin (default {})", 0},
    {sizeof(sparta_flag_spec), "timeout", NULL, SPARTA_FLAG_INT, NULL,
     "seconds to wait for the answer, 1..900 (default: the function's timeout)", 0},
    {sizeof(sparta_flag_spec), "remote", NULL, SPARTA_FLAG_BOOL, NULL,
     "invoke the deployed function through the Lambda API", 0},
};

const sparta_command_spec lambda_invoke_command = {
    sizeof(sparta_command_spec), "invoke", NULL, "Run a Lambda function once, locally or deployed",
    "Runs FUNCTION (a name in lambda.functions) once with the event in --event FILE (- for stdin; "
    "default {}) and prints its answer on stdout.\n"
    "Locally (the default) sparta serves the AWS Lambda Runtime API on 127.0.0.1, starts the function's "
    "bootstrap the way Lambda does (its environment, _HANDLER, AWS_LAMBDA_* variables), hands it the event, "
    "waits at most the function's timeout (or --timeout SEC) for the answer, then stops it. Local runs "
    "support provided.* (custom runtime) functions; environment values that refer to ${Parameters} use "
    "their lambda.parameters defaults.\n"
    "--remote invokes the deployed function <stackName>-FUNCTION through the Lambda API instead.\n"
    "A function error, an init error, a crash or a timeout prints the error type and message and exits 1. "
    "--format json prints {\"function\", \"requestId\", \"status\": \"ok\"|\"error\", \"result\"|\"error\", "
    "\"durationMs\"}.",
    "FUNCTION", run_invoke, invoke_flags, sizeof invoke_flags / sizeof *invoke_flags};

/* ---- inputs ----------------------------------------------------------------- */

static int read_event(sparta_plugin *p, const char *source, sparta_text *event) {
    if (!source) {
        sparta_text_puts(event, "{}");
        return event->failed ? API->error(p, SPARTA_ENOMEM, "out of memory") : 0;
    }
    int from_stdin = strcmp(source, "-") == 0;
    FILE *in = from_stdin ? stdin : fopen(source, "rb");
    if (!in)
        return API->error(p, SPARTA_EIO, "cannot read the event file %s: %s", source, strerror(errno));
    char chunk[65536];
    size_t n;
    int rc = 0;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0) {
        if (event->length + n > INVOKE_PAYLOAD_MAX) {
            rc = API->error(p, SPARTA_EUSAGE,
                            "the event in %s is larger than Lambda's %zu-byte limit for a synchronous invocation",
                            from_stdin ? "stdin" : source, INVOKE_PAYLOAD_MAX);
            break;
        }
        sparta_text_put(event, chunk, n);
    }
    if (rc == 0 && ferror(in))
        rc = API->error(p, SPARTA_EIO, "cannot read the event from %s: %s", from_stdin ? "stdin" : source,
                        strerror(errno));
    if (rc == 0 && event->failed) rc = API->error(p, SPARTA_ENOMEM, "out of memory reading the event");
    if (!from_stdin) fclose(in);
    return rc;
}

static void function_names(const lambda_config *cfg, sparta_text *out) {
    for (size_t i = 0; i < cfg->function_count; i++) {
        if (i) sparta_text_puts(out, ", ");
        sparta_text_puts(out, cfg->functions[i].name);
    }
    if (!cfg->function_count) sparta_text_puts(out, "(none: lambda.functions is empty)");
}

/* The region the host's AWS client would use: --region, $AWS_REGION,
 * $AWS_DEFAULT_REGION, service.region (the AWS profile's is not visible to
 * plugins); us-east-1 when none is set, for a local run. */
static const char *resolve_region(sparta_plugin *p, const sparta_invocation *inv) {
    const char *const candidates[] = {API->flag_string(inv, "region"), getenv("AWS_REGION"),
                                      getenv("AWS_DEFAULT_REGION"), API->service_get(p, "region")};
    for (size_t i = 0; i < sizeof candidates / sizeof *candidates; i++)
        if (candidates[i] && *candidates[i]) return candidates[i];
    return "us-east-1";
}

/* ---- output ------------------------------------------------------------------- */

static void print_json(sparta_plugin *p, const lambda_function *f, const inv_result *r) {
    sparta_text out = {0};
    sparta_text_puts(&out, "{\"function\":");
    sparta_text_json_string(&out, f->name);
    sparta_text_puts(&out, ",\"requestId\":");
    if (r->request_id[0]) sparta_text_json_string(&out, r->request_id);
    else sparta_text_puts(&out, "null");
    if (r->status == INV_OK) {
        sparta_text_puts(&out, ",\"status\":\"ok\",\"result\":");
        const char *body = sparta_text_str(&r->body);
        /* The answer's bytes may hold NULs: JSON as it is, else one string. */
        if (r->body.length && inv_json_valid(body, r->body.length)) sparta_text_put(&out, body, r->body.length);
        else sparta_text_json_string_n(&out, body, r->body.length);
    } else {
        sparta_text_puts(&out, ",\"status\":\"error\",\"error\":{\"errorType\":");
        sparta_text_json_string(&out, r->error_type ? r->error_type : "Unhandled");
        sparta_text_puts(&out, ",\"errorMessage\":");
        sparta_text_json_string(&out, r->error_message ? r->error_message : "");
        sparta_text_puts(&out, "}");
    }
    sparta_text_printf(&out, ",\"durationMs\":%.2f", r->duration_ms);
    if (r->init_ms >= 0) sparta_text_printf(&out, ",\"initDurationMs\":%.2f", r->init_ms);
    sparta_text_puts(&out, "}\n");
    if (out.failed) API->log(p, SPARTA_LOG_ERROR, "out of memory writing the JSON result");
    else API->print(p, "%s", sparta_text_str(&out));
    sparta_text_free(&out);
}

static int report(sparta_plugin *p, const lambda_function *f, const inv_result *r, int json, int remote) {
    if (json) print_json(p, f, r);
    if (r->status == INV_OK) {
        if (!json) {
            const char *body = sparta_text_str(&r->body);
            int newline = r->body.length && body[r->body.length - 1] == '\n';
            API->print(p, "%s%s", body, newline ? "" : "\n");
        }
        return 0;
    }
    static const char *const what[] = {
        [INV_FUNCTION_ERROR] = "returned an error", [INV_INIT_ERROR] = "failed to initialise",
        [INV_EXITED] = "crashed", [INV_TIMEOUT] = "timed out", [INV_INTERRUPTED] = "was interrupted"};
    const char *type = r->error_type ? r->error_type : "Unhandled";
    const char *message = r->error_message ? r->error_message : "";
    return API->error(p, SPARTA_EGENERIC, "%sfunction '%s' %s: %s: %.3000s", remote ? "deployed " : "", f->name,
                      r->status < sizeof what / sizeof *what && what[r->status] ? what[r->status] : "failed", type,
                      message);
}

/* ---- the command ----------------------------------------------------------------- */

static int invoke_function(sparta_plugin *p, const sparta_invocation *inv, const lambda_config *cfg) {
    size_t argc = API->arg_count(inv);
    sparta_text names = {0};
    function_names(cfg, &names);
    const lambda_function *f = NULL;
    int rc = 0;
    if (argc != 1) {
        rc = API->error(p, SPARTA_EUSAGE, "%s: usage: sparta invoke FUNCTION [--event FILE|-] [--timeout SEC] "
                        "[--remote]; FUNCTION is one of %s",
                        argc ? "too many arguments" : "which function?", sparta_text_str(&names));
    } else {
        const char *name = API->arg_at(inv, 0);
        for (size_t i = 0; i < cfg->function_count && !f; i++)
            if (strcmp(cfg->functions[i].name, name) == 0) f = &cfg->functions[i];
        if (!f)
            rc = API->error(p, SPARTA_ENOTFOUND, "no function named '%s' in lambda.functions: use one of %s", name,
                            sparta_text_str(&names));
    }
    sparta_text_free(&names);
    if (rc != 0) return rc;

    int remote = API->flag_bool(inv, "remote");
    const char *format = API->flag_string(inv, "format");
    int json = format && strcmp(format, "json") == 0;
    int timeout_s = (int)(f->timeout > 0 ? f->timeout : LAMBDA_TIMEOUT_DEFAULT);
    if (API->flag_string(inv, "timeout")) {
        int64_t t = API->flag_int(inv, "timeout");
        if (t < INVOKE_TIMEOUT_MIN || t > INVOKE_TIMEOUT_MAX)
            return API->error(p, SPARTA_EUSAGE, "--timeout %s is out of range: give %d..%d seconds",
                              API->flag_string(inv, "timeout"), INVOKE_TIMEOUT_MIN, INVOKE_TIMEOUT_MAX);
        if (remote)
            API->log(p, SPARTA_LOG_WARN, "--timeout applies to local runs; the deployed function keeps its own");
        timeout_s = (int)t;
    }
    if (!remote && !lambda_runtime_is_custom(f->runtime))
        return API->error(p, SPARTA_EGENERIC,
                          "function '%s' uses runtime %s: local invoke supports provided.* (custom runtime) "
                          "functions only, whose bootstrap speaks the Runtime API; run the deployed function with "
                          "`sparta invoke %s --remote`",
                          f->name, f->runtime ? f->runtime : "(none)", f->name);

    sparta_text event = {0};
    rc = read_event(p, API->flag_string(inv, "event"), &event);
    if (rc != 0) {
        sparta_text_free(&event);
        return rc;
    }
    if (!remote && event.length && !inv_json_valid(event.data, event.length))
        API->log(p, SPARTA_LOG_WARN,
                 "the event is not JSON: Lambda's Invoke API would refuse it (InvalidRequestContentException); "
                 "passing it to %s as it is",
                 f->name);
    const char *stack = API->service_get(p, "stackName");
    if (!stack) stack = "";
    inv_result r;
    memset(&r, 0, sizeof r);
    const char *region = resolve_region(p, inv);
    if (remote) {
        rc = lambda_invoke_remote(p, f, stack, region, sparta_text_str(&event), event.length, &r);
    } else {
        inv_local_options o = {cfg, f, stack, region, sparta_text_str(&event), event.length, timeout_s, json};
        rc = lambda_invoke_local(p, &o, &r);
    }
    if (rc == 0) rc = report(p, f, &r, json, remote);
    inv_result_free(&r);
    sparta_text_free(&event);
    return rc;
}

static int run_invoke(sparta_plugin *p, const sparta_invocation *inv, void *state) {
    (void)state; /* the hooks' parsed config belongs to provision; a command reads its own */
    lambda_config cfg;
    int rc = lambda_config_read(p, &cfg); /* as CONFIGURE does */
    if (rc == 0) rc = invoke_function(p, inv, &cfg);
    lambda_config_free(&cfg);
    return rc;
}
