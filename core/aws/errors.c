#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf, strndup */
#endif
#include "aws/errors.h"

#include <ctype.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws/xml.h"
#include "buffer.h"

static const char *const throttling_codes[] = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
    "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
    "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException", NULL};

static const char *const transient_codes[] = {"RequestTimeout", "RequestTimeoutException",
                                              "InternalError", "InternalFailure", "ServiceUnavailable",
                                              "IDPCommunicationError", NULL};

int sparta__aws_error_is_throttling(const char *code) {
    for (const char *const *c = throttling_codes; code && *c; c++)
        if (!strcmp(*c, code)) return 1;
    return 0;
}

int sparta__aws_error_retryable(long status, const char *code) {
    if (status == 429 || status >= 500) return 1;
    if (sparta__aws_error_is_throttling(code)) return 1;
    for (const char *const *c = transient_codes; code && *c; c++)
        if (!strcmp(*c, code)) return 1;
    return 0;
}

static void from_xml(const char *body, size_t length, sparta__aws_error_info *out) {
    xmlDocPtr doc = sparta__xml_parse(body, length);
    if (!doc) return;
    xmlNodePtr root = xmlDocGetRootElement(doc);
    xmlNodePtr err = NULL;
    if (root && !strcmp((const char *)root->name, "Error")) err = root;
    else if (root) err = sparta__xml_find(root, "Error"); /* ErrorResponse/Error, Response/Errors/Error */
    if (!err && root) err = sparta__xml_find(root, "Errors/Error");
    if (err) {
        out->code = sparta__xml_text(err, "Code");
        out->message = sparta__xml_text(err, "Message");
        if (!out->request_id) out->request_id = sparta__xml_text(err, "RequestId");
        if (!out->request_id && root) out->request_id = sparta__xml_text(root, "RequestId");
        if (!out->request_id && root) out->request_id = sparta__xml_text(root, "RequestID");
    }
    xmlFreeDoc(doc);
}

/* "aws.protocoltests#ValidationException" / "Foo:http://..." -> the bare code. */
static char *bare_code(const char *type) {
    const char *hash = strrchr(type, '#');
    if (hash) type = hash + 1;
    size_t n = strcspn(type, ":");
    return strndup(type, n);
}

static void from_json(const char *body, sparta__aws_error_info *out) {
    json_object *j = json_tokener_parse(body);
    if (!j || !json_object_is_type(j, json_type_object)) {
        json_object_put(j);
        return;
    }
    json_object *v;
    if ((json_object_object_get_ex(j, "__type", &v) || json_object_object_get_ex(j, "code", &v) ||
         json_object_object_get_ex(j, "Code", &v)) && json_object_is_type(v, json_type_string))
        out->code = bare_code(json_object_get_string(v));
    if ((json_object_object_get_ex(j, "message", &v) || json_object_object_get_ex(j, "Message", &v) ||
         json_object_object_get_ex(j, "errorMessage", &v)) && json_object_is_type(v, json_type_string))
        out->message = strdup(json_object_get_string(v));
    json_object_put(j);
}

/* A short, tag-free, one-line excerpt of a body that is not an AWS error. */
static char *snippet(const char *body, size_t length) {
    sparta_buffer b = SPARTA_BUFFER_INIT;
    int in_tag = 0, space = 0;
    for (size_t i = 0; i < length && b.length < 200; i++) {
        char c = body[i];
        if (c == '<') { in_tag = 1; continue; }
        if (c == '>') { in_tag = 0; space = 1; continue; }
        if (in_tag) continue;
        if (isspace((unsigned char)c) || !isprint((unsigned char)c)) { space = 1; continue; }
        if (space && b.length) sparta__buffer_putc(&b, ' ');
        space = 0;
        sparta__buffer_putc(&b, c);
    }
    return sparta__buffer_take(&b, NULL);
}

static const char *status_code_name(long status) {
    switch (status) {
    case 301: return "PermanentRedirect";
    case 307: return "TemporaryRedirect";
    case 400: return "BadRequest";
    case 403: return "AccessDenied";
    case 404: return "NotFound";
    case 409: return "Conflict";
    case 429: return "TooManyRequests";
    case 503: return "ServiceUnavailable";
    default: return NULL;
    }
}

void sparta__aws_error_parse(long status, const sparta__aws_kvlist *headers, const char *body,
                             size_t length, sparta__aws_error_info *out) {
    memset(out, 0, sizeof *out);
    const char *rid = headers ? sparta__aws_kvlist_get(headers, "x-amzn-requestid") : NULL;
    if (!rid && headers) rid = sparta__aws_kvlist_get(headers, "x-amz-request-id");
    if (rid && *rid) out->request_id = strdup(rid);
    size_t skip = 0;
    while (body && skip < length && isspace((unsigned char)body[skip])) skip++;
    if (body && skip < length && body[skip] == '<') from_xml(body + skip, length - skip, out);
    else if (body && skip < length && body[skip] == '{') from_json(body + skip, out);
    const char *type = headers ? sparta__aws_kvlist_get(headers, "x-amzn-errortype") : NULL;
    if (!out->code && type && *type) out->code = bare_code(type);
    if (out->code && !*out->code) { /* <Code/>, "__type": "#", "x-amzn-errortype: :..." */
        free(out->code);
        out->code = NULL;
    }
    if (!out->code) {
        const char *name = status_code_name(status);
        char fallback[32];
        snprintf(fallback, sizeof fallback, "HTTP %ld", status);
        out->code = strdup(name ? name : fallback);
        if (!out->message && body && length > skip) {
            char *s = snippet(body + skip, length - skip);
            char *m = NULL;
            if (s && asprintf(&m, "unexpected answer that is not an AWS error document: %s", s) < 0) m = NULL;
            free(s);
            out->message = m;
        }
    }
    if (!out->message) out->message = strdup("");
}

void sparta__aws_error_info_free(sparta__aws_error_info *e) {
    if (!e) return;
    free(e->code);
    free(e->message);
    free(e->request_id);
    memset(e, 0, sizeof *e);
}
