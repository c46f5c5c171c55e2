/* `sparta invoke --remote`: the deployed function through the Lambda
 * Invoke API (POST /2015-03-31/functions/<FunctionName>/invocations,
 * RequestResponse), signed and sent by the host. The function's name is
 * the one the plugin deploys it under: <stackName>-<name>, sanitised and
 * cut like the template's FunctionName.
 *
 * Lambda marks a function error with the X-Amz-Function-Error header, which
 * the plugin ABI does not pass on; its payload is the runtime's error
 * document, so a 200 answer that is a JSON object with "errorMessage" and
 * "errorType" is taken as a function error. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "invoke.h"

#define API lambda_api

int lambda_invoke_remote(sparta_plugin *p, const lambda_function *f, const char *stack, const char *region,
                         const char *event, size_t event_len, inv_result *r) {
    if (!SPARTA_HOST_HAS(API, aws_request) || !API->aws_request || !SPARTA_HOST_HAS(API, error_prefix))
        return API->error(p, SPARTA_EPLUGIN,
                          "--remote needs a host with plugin ABI 1.1 (AWS requests); this host has %d.%d",
                          (int)API->abi_major, (int)API->abi_minor);
    char name[LAMBDA_NAME_MAX + 1];
    lambda_physical_name(stack, f->name, LAMBDA_NAME_MAX, name, sizeof name);
    char path[128];
    snprintf(path, sizeof path, "/2015-03-31/functions/%s/invocations", name);

    API->log(p, SPARTA_LOG_INFO, "invoking Lambda function %s in %s", name, region);
    sparta_aws_request req = {sizeof req, "lambda", "POST", path, NULL, "application/json", NULL, event, event_len};
    sparta_aws_response res = {sizeof res, 0, NULL, 0};
    int64_t started = inv_now_us();
    int rc = API->aws_request(p, &req, &res);
    r->duration_ms = (double)(inv_now_us() - started) / 1000.0;
    r->init_ms = -1;
    if (rc != 0) {
        const char *body = res.body ? res.body : "";
        if (res.status == 404 || strstr(body, "ResourceNotFoundException"))
            rc = API->error(p, SPARTA_ENOTFOUND,
                            "function '%s' is not deployed: Lambda has no function named %s in %s (deploy the "
                            "service with `sparta provision`, or check --region and service.stackName)",
                            f->name, name, region);
        else
            rc = API->error_prefix(p, "invoking Lambda function %s", name);
        API->aws_response_free(&res);
        return rc;
    }
    sparta_text_put(&r->body, res.body ? res.body : "", res.body ? res.body_length : 0);
    API->aws_response_free(&res);
    if (r->body.failed) return API->error(p, SPARTA_ENOMEM, "out of memory reading the answer of %s", name);

    char *message = inv_json_member(sparta_text_str(&r->body), r->body.length, "errorMessage");
    char *type = message ? inv_json_member(sparta_text_str(&r->body), r->body.length, "errorType") : NULL;
    if (message && type) inv_result_error(r, INV_FUNCTION_ERROR, *type ? type : "Unhandled", message);
    else r->status = INV_OK;
    free(message);
    free(type);
    return 0;
}
