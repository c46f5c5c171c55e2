/* The Lambda context and the request: accessors over what the runtime read
 * from the environment (once) and from the invocation's headers. */
#include "internal.h"

#include <stdlib.h>

static const char *env_or_empty(const char *name) {
    const char *v = getenv(name);
    return v ? v : "";
}

void sparta__function_env_read(sparta__function_env *env) {
    env->function_name = env_or_empty("AWS_LAMBDA_FUNCTION_NAME");
    env->function_version = env_or_empty("AWS_LAMBDA_FUNCTION_VERSION");
    env->log_group = env_or_empty("AWS_LAMBDA_LOG_GROUP_NAME");
    env->log_stream = env_or_empty("AWS_LAMBDA_LOG_STREAM_NAME");
    char *end = NULL;
    const char *mem = env_or_empty("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
    long mb = strtol(mem, &end, 10);
    env->memory_mb = (end != mem && *end == '\0' && mb > 0 && mb <= 1048576) ? (int)mb : 0;
}

static const sparta__function_env *ctx_env(const sparta_lambda_context *ctx) {
    static const sparta__function_env empty = {"", "", "", "", 0};
    return ctx && ctx->env ? ctx->env : &empty;
}

SPARTA_LAMBDA_API const char *sparta_lambda_context_request_id(const sparta_lambda_context *ctx) {
    return ctx && ctx->request_id ? ctx->request_id : "";
}

SPARTA_LAMBDA_API int64_t sparta_lambda_context_deadline_ms(const sparta_lambda_context *ctx) {
    return ctx ? ctx->deadline_ms : 0;
}

SPARTA_LAMBDA_API int64_t sparta_lambda_context_remaining_ms(const sparta_lambda_context *ctx) {
    if (!ctx) return 0;
    int64_t left = ctx->deadline_ms - sparta__now_epoch_ms();
    return left > 0 ? left : 0;
}

SPARTA_LAMBDA_API const char *sparta_lambda_context_invoked_function_arn(const sparta_lambda_context *ctx) {
    return ctx && ctx->invoked_function_arn ? ctx->invoked_function_arn : "";
}

SPARTA_LAMBDA_API const char *sparta_lambda_context_trace_id(const sparta_lambda_context *ctx) {
    return ctx && ctx->trace_id ? ctx->trace_id : "";
}

SPARTA_LAMBDA_API const char *sparta_lambda_context_client_context(const sparta_lambda_context *ctx) {
    return ctx ? ctx->client_context : NULL;
}

SPARTA_LAMBDA_API const char *sparta_lambda_context_identity(const sparta_lambda_context *ctx) {
    return ctx ? ctx->identity : NULL;
}

SPARTA_LAMBDA_API const char *sparta_lambda_context_function_name(const sparta_lambda_context *ctx) {
    return ctx_env(ctx)->function_name;
}

SPARTA_LAMBDA_API const char *sparta_lambda_context_function_version(const sparta_lambda_context *ctx) {
    return ctx_env(ctx)->function_version;
}

SPARTA_LAMBDA_API int sparta_lambda_context_memory_mb(const sparta_lambda_context *ctx) {
    return ctx_env(ctx)->memory_mb;
}

SPARTA_LAMBDA_API const char *sparta_lambda_context_log_group(const sparta_lambda_context *ctx) {
    return ctx_env(ctx)->log_group;
}

SPARTA_LAMBDA_API const char *sparta_lambda_context_log_stream(const sparta_lambda_context *ctx) {
    return ctx_env(ctx)->log_stream;
}

SPARTA_LAMBDA_API const char *sparta_request_body(const sparta_request *r) {
    return r && r->body ? r->body : "";
}

SPARTA_LAMBDA_API size_t sparta_request_length(const sparta_request *r) { return r ? r->length : 0; }

SPARTA_LAMBDA_API const sparta_lambda_context *sparta_request_context(const sparta_request *r) {
    return r ? r->ctx : NULL;
}

SPARTA_LAMBDA_API const char *sparta_request_handler_name(const sparta_request *r) {
    return r && r->handler_name ? r->handler_name : "";
}
