/* The Runtime API client: one libcurl easy handle, so one kept-alive
 * connection, for next / response / error / init error. */
#include "internal.h"

#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define API_PATH "/2018-06-01/runtime"
#define MAX_REQUEST_ID 256
#define MAX_HEADER_BYTES (64 * 1024)
#define POST_TIMEOUT_MS 30000L

enum { H_REQUEST_ID, H_DEADLINE, H_ARN, H_TRACE, H_CLIENT_CONTEXT, H_IDENTITY, H_COUNT };

static const char *const k_header_names[H_COUNT] = {
    "Lambda-Runtime-Aws-Request-Id",     "Lambda-Runtime-Deadline-Ms",
    "Lambda-Runtime-Invoked-Function-Arn", "Lambda-Runtime-Trace-Id",
    "Lambda-Runtime-Client-Context",     "Lambda-Runtime-Cognito-Identity",
};

struct sparta__rapi {
    CURL *curl;
    int global_init;
    char *base;     /* http://host:port/2018-06-01/runtime */
    char *url;      /* scratch: base + /invocation/<escaped id>/response */
    size_t url_cap;
    struct curl_slist *success_headers; /* Content-Type: application/json, Expect: */
    /* what the current transfer captures */
    int capture_lambda_headers;
    sparta__buf *sink;
    size_t sink_limit;
    size_t received;
    int truncated;
    sparta__buf event;
    size_t max_event_bytes;
    sparta__buf reply; /* bodies of answers to posts, for log lines */
    sparta__buf headers; /* values of the Lambda-Runtime-* headers, NUL-separated */
    long header_at[H_COUNT]; /* offsets into headers, -1 when absent */
    int headers_truncated;
    char errbuf[CURL_ERROR_SIZE];
    char last_error[512];
};

static size_t on_body(char *data, size_t size, size_t nmemb, void *user) {
    sparta__rapi *api = user;
    size_t n = size * nmemb;
    api->received += n;
    /* Past the limit keep reading (so the connection stays usable) but
     * drop the bytes. */
    if (api->truncated) return n;
    if (api->sink->len + n > api->sink_limit || sparta__buf_append(api->sink, data, n) != 0) {
        api->truncated = 1;
    }
    return n;
}

static size_t trimmed_length(const char *s, size_t n) {
    while (n && (s[n - 1] == '\r' || s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t')) n--;
    return n;
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *user) {
    sparta__rapi *api = user;
    size_t n = size * nmemb;
    if (!api->capture_lambda_headers) return n;
    if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
        /* A new response (after a retry or an interim answer): forget what
         * an earlier one said. */
        sparta__buf_clear(&api->headers);
        for (int i = 0; i < H_COUNT; i++) api->header_at[i] = -1;
        api->headers_truncated = 0;
        return n;
    }
    const char *colon = memchr(line, ':', n);
    if (!colon) return n;
    size_t name_len = (size_t)(colon - line);
    for (int i = 0; i < H_COUNT; i++) {
        if (strlen(k_header_names[i]) != name_len || strncasecmp(line, k_header_names[i], name_len) != 0) continue;
        const char *value = colon + 1;
        size_t value_len = n - name_len - 1;
        while (value_len && (*value == ' ' || *value == '\t')) value++, value_len--;
        value_len = trimmed_length(value, value_len);
        if (memchr(value, '\0', value_len)) return n; /* not a usable value */
        if (api->headers.len + value_len + 1 > MAX_HEADER_BYTES) {
            api->headers_truncated = 1;
            return n;
        }
        long at = (long)api->headers.len;
        if (sparta__buf_append(&api->headers, value, value_len) != 0 ||
            sparta__buf_append(&api->headers, "", 1) != 0) {
            api->headers_truncated = 1;
            return n;
        }
        api->header_at[i] = at;
        return n;
    }
    return n;
}

/* Accepts host:port, optionally with http:// and a trailing slash. */
static char *base_url(const char *endpoint) {
    if (strncmp(endpoint, "http://", 7) == 0) endpoint += 7;
    size_t n = strlen(endpoint);
    while (n && endpoint[n - 1] == '/') n--;
    if (n == 0 || n > 255) return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)endpoint[i];
        if (c <= 0x20 || c >= 0x7f || c == '/' || c == '?' || c == '#' || c == '@') return NULL;
    }
    char *url = malloc(n + sizeof "http://" + sizeof API_PATH);
    if (url) sprintf(url, "http://%.*s%s", (int)n, endpoint, API_PATH);
    return url;
}

int sparta__rapi_new(sparta__rapi **out, const char *endpoint, size_t max_event_bytes) {
    *out = NULL;
    sparta__rapi *api = calloc(1, sizeof *api);
    if (!api) return SPARTA_LAMBDA_ENOMEM;
    api->max_event_bytes = max_event_bytes ? max_event_bytes : SPARTA__DEFAULT_PAYLOAD_LIMIT;
    api->base = base_url(endpoint);
    if (!api->base) {
        free(api);
        return SPARTA_LAMBDA_EUSAGE;
    }
    api->url_cap = strlen(api->base) + 3 * MAX_REQUEST_ID + 64;
    api->url = malloc(api->url_cap);
    /* Reference counted by libcurl; balanced in sparta__rapi_free. The
     * handler may use libcurl (HTTPS) too, so initialise everything. */
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        free(api->url);
        free(api->base);
        free(api);
        return SPARTA_LAMBDA_ENOMEM;
    }
    api->global_init = 1;
    api->curl = curl_easy_init();
    api->success_headers = curl_slist_append(NULL, "Content-Type: application/json");
    struct curl_slist *more = api->success_headers ? curl_slist_append(api->success_headers, "Expect:") : NULL;
    if (!api->url || !api->curl || !more) {
        sparta__rapi_free(api);
        return SPARTA_LAMBDA_ENOMEM;
    }
    CURL *c = api->curl;
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_PROXY, ""); /* never through $http_proxy */
    curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_1_1);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, api);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, api);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, api->errbuf);
    *out = api;
    return 0;
}

void sparta__rapi_free(sparta__rapi *api) {
    if (!api) return;
    if (api->curl) curl_easy_cleanup(api->curl);
    curl_slist_free_all(api->success_headers);
    sparta__buf_free(&api->event);
    sparta__buf_free(&api->reply);
    sparta__buf_free(&api->headers);
    free(api->base);
    free(api->url);
    if (api->global_init) curl_global_cleanup();
    free(api);
}

const char *sparta__rapi_last_error(const sparta__rapi *api) { return api->last_error; }

/* Connection-level failures that mean "nobody is listening any more". */
static int endpoint_gone(CURLcode rc) {
    return rc == CURLE_COULDNT_CONNECT || rc == CURLE_GOT_NOTHING || rc == CURLE_RECV_ERROR ||
           rc == CURLE_SEND_ERROR || rc == CURLE_PARTIAL_FILE;
}

static int perform(sparta__rapi *api, sparta__buf *sink, size_t limit, long *status) {
    api->sink = sink;
    api->sink_limit = limit;
    api->received = 0;
    api->truncated = 0;
    api->errbuf[0] = '\0';
    sparta__buf_clear(sink);
    CURLcode rc = curl_easy_perform(api->curl);
    *status = 0;
    if (rc != CURLE_OK) {
        snprintf(api->last_error, sizeof api->last_error, "%s (curl error %d)",
                 api->errbuf[0] ? api->errbuf : curl_easy_strerror(rc), (int)rc);
        return endpoint_gone(rc) ? SPARTA__RAPI_GONE : SPARTA__RAPI_FAILED;
    }
    curl_easy_getinfo(api->curl, CURLINFO_RESPONSE_CODE, status);
    return SPARTA__RAPI_OK;
}

static const char *header_value(const sparta__rapi *api, int which) {
    return api->header_at[which] >= 0 ? api->headers.data + api->header_at[which] : NULL;
}

int sparta__rapi_next(sparta__rapi *api, sparta__invocation *inv) {
    memset(inv, 0, sizeof *inv);
    snprintf(api->url, api->url_cap, "%s/invocation/next", api->base);
    sparta__buf_clear(&api->headers);
    for (int i = 0; i < H_COUNT; i++) api->header_at[i] = -1;
    api->headers_truncated = 0;
    api->capture_lambda_headers = 1;
    curl_easy_setopt(api->curl, CURLOPT_URL, api->url);
    curl_easy_setopt(api->curl, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(api->curl, CURLOPT_HTTPHEADER, (struct curl_slist *)NULL);
    curl_easy_setopt(api->curl, CURLOPT_TIMEOUT_MS, 0L); /* next long-polls */
    long status;
    int rc = perform(api, &api->event, api->max_event_bytes, &status);
    api->capture_lambda_headers = 0;
    if (rc != SPARTA__RAPI_OK) return rc;
    if (status != 200) {
        snprintf(api->last_error, sizeof api->last_error, "GET %s answered HTTP %ld: %.200s", api->url, status,
                 api->event.data ? api->event.data : "");
        return SPARTA__RAPI_FAILED;
    }
    if (!api->event.data && sparta__buf_reserve(&api->event, 0) != 0) return SPARTA__RAPI_FAILED;
    if (api->event.data) api->event.data[api->event.len] = '\0';
    inv->request_id = header_value(api, H_REQUEST_ID);
    inv->deadline = header_value(api, H_DEADLINE);
    inv->invoked_function_arn = header_value(api, H_ARN);
    inv->trace_id = header_value(api, H_TRACE);
    inv->client_context = header_value(api, H_CLIENT_CONTEXT);
    inv->identity = header_value(api, H_IDENTITY);
    inv->body = api->event.data ? api->event.data : "";
    inv->length = api->truncated ? 0 : api->event.len;
    inv->event_bytes = api->received;
    inv->too_large = api->truncated;
    inv->headers_truncated = api->headers_truncated;
    return SPARTA__RAPI_OK;
}

/* Request IDs go into the URL path: percent-encode anything unreserved. */
static int invocation_url(sparta__rapi *api, const char *request_id, const char *what) {
    size_t n = strlen(request_id);
    if (n == 0 || n > MAX_REQUEST_ID) return -1;
    int at = snprintf(api->url, api->url_cap, "%s/invocation/", api->base);
    char *p = api->url + at;
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)request_id[i];
        /* '.' is encoded too: libcurl removes "." and ".." path segments. */
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
            c == '~') {
            *p++ = (char)c;
        } else {
            *p++ = '%';
            *p++ = hex[c >> 4];
            *p++ = hex[c & 15];
        }
    }
    snprintf(p, api->url_cap - (size_t)(p - api->url), "/%s", what);
    return 0;
}

static int post(sparta__rapi *api, struct curl_slist *headers, const char *body, size_t len, long *status) {
    curl_easy_setopt(api->curl, CURLOPT_URL, api->url);
    curl_easy_setopt(api->curl, CURLOPT_POST, 1L);
    curl_easy_setopt(api->curl, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(api->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    curl_easy_setopt(api->curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(api->curl, CURLOPT_TIMEOUT_MS, POST_TIMEOUT_MS);
    int rc = perform(api, &api->reply, 4096, status);
    if (rc == SPARTA__RAPI_OK && (*status < 200 || *status > 299))
        snprintf(api->last_error, sizeof api->last_error, "POST %s answered HTTP %ld: %.200s", api->url, *status,
                 api->reply.data ? api->reply.data : "");
    return rc;
}

int sparta__rapi_post_response(sparta__rapi *api, const char *request_id, const char *body, size_t len,
                               const char *content_type, long *status) {
    *status = 0;
    if (invocation_url(api, request_id, "response") != 0) return SPARTA__RAPI_FAILED;
    struct curl_slist *headers = api->success_headers;
    struct curl_slist *own = NULL;
    if (content_type && strcmp(content_type, "application/json") != 0) {
        char line[200];
        snprintf(line, sizeof line, "Content-Type: %s", content_type);
        own = curl_slist_append(NULL, line);
        struct curl_slist *more = own ? curl_slist_append(own, "Expect:") : NULL;
        if (!more) {
            curl_slist_free_all(own);
            return SPARTA__RAPI_FAILED;
        }
        headers = own;
    }
    int rc = post(api, headers, body ? body : "", len, status);
    curl_slist_free_all(own);
    return rc;
}

/* errorType travels in a header: keep printable ASCII only, bounded. */
static void header_safe(char *out, size_t size, const char *in) {
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && n + 1 < size; p++)
        if ((*p > 0x20 && *p < 0x7f) || (*p == 0x20 && n > 0)) out[n++] = (char)*p;
    while (n && out[n - 1] == ' ') n--; /* libcurl drops a header whose value is blank */
    out[n] = '\0';
    if (n == 0) snprintf(out, size, "%s", "HandlerError");
}

int sparta__rapi_post_error(sparta__rapi *api, const char *request_id, const char *type, const char *message,
                            size_t message_len, long *status) {
    *status = 0;
    if (request_id) {
        if (invocation_url(api, request_id, "error") != 0) return SPARTA__RAPI_FAILED;
    } else {
        snprintf(api->url, api->url_cap, "%s/init/error", api->base);
    }
    char safe_type[160];
    header_safe(safe_type, sizeof safe_type, type ? type : "");
    sparta__buf body = {NULL, 0, 0};
    char line[sizeof safe_type + 64];
    snprintf(line, sizeof line, "Lambda-Runtime-Function-Error-Type: %s", safe_type);
    struct curl_slist *headers = curl_slist_append(NULL, "Content-Type: application/json");
    struct curl_slist *tail = headers ? curl_slist_append(headers, "Expect:") : NULL;
    tail = tail ? curl_slist_append(headers, line) : NULL;
    int rc = SPARTA__RAPI_FAILED;
    if (tail && sparta__json_error(&body, safe_type, message, message_len) == 0) {
        rc = post(api, headers, body.data, body.len, status);
    } else {
        snprintf(api->last_error, sizeof api->last_error, "out of memory building the error document");
    }
    sparta__buf_free(&body);
    curl_slist_free_all(headers);
    return rc;
}
