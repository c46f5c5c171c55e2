/* AWS error answers: sparta__aws_error_parse on any status, headers and
 * body (XML <Error>, JSON __type/message, HTML, garbage), then the retry
 * decision.
 *
 * Input: status (2 bytes), up to 4 headers (name choice + value up to NUL),
 * then the body. The body is NUL-terminated after its length, as the HTTP
 * layer delivers it (sparta__aws_response.body), and may hold NULs.
 * Properties:
 *  - code and message are always set, the code never empty (an empty
 *    <Code/>, "__type": "#" or x-amzn-errortype ":..." says nothing, so the
 *    status names it); a request ID from the headers wins, kept verbatim;
 *  - a throttling code is always retryable, so are 429 and 5xx. */
#include <stdlib.h>
#include <string.h>

#include "aws/errors.h"
#include "fuzz_support.h"

static const char *const header_names[] = {"x-amzn-requestid", "x-amz-request-id", "x-amzn-errortype",
                                           "content-type", "x-amz-id-2"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    fuzz_input in = {data, size};
    long status = fuzz_u16(&in) % 1000;
    sparta__aws_kvlist headers = SPARTA__AWS_KVLIST_INIT;
    size_t nheaders = fuzz_pick(&in, 5);
    for (size_t i = 0; i < nheaders; i++) {
        const char *name = header_names[fuzz_pick(&in, sizeof header_names / sizeof *header_names)];
        char *value = fuzz_string_until(&in, 0, 200, NULL);
        sparta__aws_kvlist_add(&headers, name, value);
        free(value);
    }
    size_t length;
    char *body = fuzz_rest(&in, &length);

    sparta__aws_error_info info;
    sparta__aws_error_parse(status, nheaders ? &headers : NULL, body, length, &info);
    FUZZ_CHECK(info.code != NULL && info.message != NULL, "code or message missing");
    FUZZ_CHECK(*info.code, "an empty error code (status %ld)", status);
    const char *rid = sparta__aws_kvlist_get(&headers, "x-amzn-requestid");
    if (!rid) rid = sparta__aws_kvlist_get(&headers, "x-amz-request-id");
    if (rid && *rid)
        FUZZ_CHECK(info.request_id && !strcmp(info.request_id, rid), "request ID from the headers not kept");
    if (sparta__aws_error_is_throttling(info.code))
        FUZZ_CHECK(sparta__aws_error_retryable(status, info.code), "throttling code %s not retryable", info.code);
    if (status == 429 || status >= 500)
        FUZZ_CHECK(sparta__aws_error_retryable(status, info.code), "HTTP %ld not retryable", status);
    sparta__aws_error_info_free(&info);
    FUZZ_CHECK(info.code == NULL && info.message == NULL && info.request_id == NULL, "free did not clear");

    /* No body at all, and a body cut at its first byte. */
    sparta__aws_error_parse(status, &headers, NULL, 0, &info);
    FUZZ_CHECK(info.code && *info.code && info.message, "no body: code %s", info.code ? info.code : "(null)");
    sparta__aws_error_info_free(&info);
    if (length) {
        char one[2] = {body[0], '\0'};
        sparta__aws_error_parse(status, NULL, one, 1, &info);
        FUZZ_CHECK(info.code && info.message, "one-byte body");
        sparta__aws_error_info_free(&info);
    }
    free(body);
    sparta__aws_kvlist_free(&headers);
    return 0;
}
