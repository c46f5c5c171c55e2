/* The Lambda runtime's event and header handling, end to end: an
 * in-process fake Runtime API on loopback answers GET .../invocation/next
 * with headers and an event built from the input, the runtime library
 * (sparta_lambda_run, one invocation) runs a registered handler, and the
 * fake records what the runtime posts back. Before that, the runtime's JSON
 * string writer is checked on the raw input.
 *
 * Input: a control byte (handler, limits, status, connection close), up to
 * 10 header lines (name choice, separator, value up to NUL; no CR, LF or
 * NUL, as HTTP carries them), then the event body. Properties:
 *  - sparta__json_string always writes one valid JSON string (strict, valid
 *    UTF-8) that reads back as the input when the input is valid UTF-8;
 *  - the handler sees the event bytes exactly (NUL after them) and the
 *    Lambda-Runtime-* values Lambda sent, trimmed;
 *  - without a usable request ID nothing is posted; with one, exactly one
 *    POST goes to .../invocation/<percent-encoded ID>/response or /error;
 *  - an event over the limit is Runtime.EventTooLarge, a deadline that is
 *    not digits is Runtime.MalformedHeader;
 *  - the echo handler's response is the event, byte for byte;
 *  - every error document is a JSON object whose errorType equals the
 *    Lambda-Runtime-Function-Error-Type header, which is printable ASCII;
 *  - every log line (AWS_LAMBDA_LOG_FORMAT=JSON) is one valid JSON object. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "fuzz_support.h"
#include "internal.h"

#define MAX_HEADERS 10
#define SMALL_EVENT_LIMIT 32
#define SMALL_RESPONSE_LIMIT 16
#define API_PREFIX "/2018-06-01/runtime/invocation/"

/* ---- what this invocation sends and expects ------------------------------ */

typedef struct sent_header {
    char name[80];
    char *value;  /* as sent */
    char *trimmed; /* without surrounding blanks: what the runtime should see */
} sent_header;

typedef struct post {
    char path[2048];
    char *headers; /* raw header block */
    char *body;
    size_t body_len;
} post;

static struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int listen_fd;
    char endpoint[64];
    /* the script */
    char *response; /* the whole answer to GET next */
    size_t response_len;
    int close_after_next;
    int gets;
    /* the record */
    post posts[4];
    int post_count;
    int accepted, closed;
} g_srv = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, -1, "", NULL, 0, 0, 0, {{"", NULL, NULL, 0}}, 0, 0, 0};

static struct {
    sent_header headers[MAX_HEADERS];
    size_t header_count;
    const char *body;
    size_t body_len;
    int handler_ran;
} g_exp;

static FILE *g_log;          /* the runtime's stderr */
static char *g_log_text;
static size_t g_log_size;

/* ---- the fake Runtime API ----------------------------------------------- */

/* Reads until the end of the header block, then Content-Length bytes.
 * Returns 0, or -1 at EOF / error / timeout. */
static int read_request(int fd, char **head, char **body, size_t *body_len) {
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    char *end = NULL;
    while (!end) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 10000) <= 0) goto fail;
        if (len + 1 >= cap) {
            if (cap > (1u << 20)) goto fail;
            cap *= 2;
            buf = realloc(buf, cap);
        }
        ssize_t n = recv(fd, buf + len, cap - len - 1, 0);
        if (n <= 0) goto fail;
        len += (size_t)n;
        buf[len] = '\0';
        end = strstr(buf, "\r\n\r\n");
    }
    size_t head_len = (size_t)(end - buf) + 4;
    size_t want = 0;
    for (char *line = strstr(buf, "\r\n"); line && line < end; line = strstr(line + 2, "\r\n"))
        if (!strncasecmp(line + 2, "Content-Length:", 15)) want = strtoul(line + 17, NULL, 10);
    {
        char saved = buf[head_len];
        buf[head_len] = '\0'; /* the header block only: the body may say anything */
        FUZZ_CHECK(!strcasestr(buf, "\r\nTransfer-Encoding:"), "the runtime sent a chunked body");
        buf[head_len] = saved;
    }
    char *b = malloc(want + 1);
    size_t have = len - head_len < want ? len - head_len : want;
    memcpy(b, buf + head_len, have);
    while (have < want) {
        struct pollfd p = {fd, POLLIN, 0};
        if (poll(&p, 1, 10000) <= 0) {
            free(b);
            goto fail;
        }
        ssize_t n = recv(fd, b + have, want - have, 0);
        if (n <= 0) {
            free(b);
            goto fail;
        }
        have += (size_t)n;
    }
    b[want] = '\0';
    buf[head_len] = '\0';
    *head = buf;
    *body = b;
    *body_len = want;
    return 0;
fail:
    free(buf);
    return -1;
}

static void send_all(int fd, const char *p, size_t n) {
    while (n) {
        ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
        if (k <= 0) return;
        p += k;
        n -= (size_t)k;
    }
}

static void serve_connection(int fd) {
    for (;;) {
        char *head, *body;
        size_t body_len;
        if (read_request(fd, &head, &body, &body_len) != 0) return;
        char method[8] = "", path[2048] = "";
        sscanf(head, "%7s %2047s", method, path);
        int close_now = 0;
        pthread_mutex_lock(&g_srv.lock);
        if (!strcmp(method, "GET")) {
            FUZZ_CHECK(!strcmp(path, API_PREFIX "next"), "GET %s", path);
            if (g_srv.gets++ == 0 && g_srv.response) {
                send_all(fd, g_srv.response, g_srv.response_len);
                close_now = g_srv.close_after_next;
            } else {
                close_now = 1; /* no more events: the endpoint goes away */
            }
            free(body);
            free(head);
        } else {
            FUZZ_CHECK(!strcmp(method, "POST"), "method %s", method);
            FUZZ_CHECK(g_srv.post_count < 4, "more than 4 posts");
            post *p = &g_srv.posts[g_srv.post_count++];
            snprintf(p->path, sizeof p->path, "%s", path);
            p->headers = head;
            p->body = body;
            p->body_len = body_len;
            static const char ok[] = "HTTP/1.1 202 Accepted\r\nContent-Type: application/json\r\n"
                                     "Content-Length: 15\r\n\r\n{\"status\":\"OK\"}";
            send_all(fd, ok, sizeof ok - 1);
        }
        pthread_mutex_unlock(&g_srv.lock);
        if (close_now) return;
    }
}

static void *server_main(void *arg) {
    (void)arg;
    for (;;) {
        int fd = accept(g_srv.listen_fd, NULL, NULL);
        if (fd < 0) continue;
        pthread_mutex_lock(&g_srv.lock);
        g_srv.accepted++;
        pthread_mutex_unlock(&g_srv.lock);
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        serve_connection(fd);
        close(fd);
        pthread_mutex_lock(&g_srv.lock);
        g_srv.closed++;
        pthread_cond_broadcast(&g_srv.changed);
        pthread_mutex_unlock(&g_srv.lock);
    }
    return NULL;
}

/* After the runtime returned (its connections closed): wait until the
 * server has seen every connection end. */
static void server_settle(void) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 10;
    pthread_mutex_lock(&g_srv.lock);
    for (;;) {
        struct pollfd p = {g_srv.listen_fd, POLLIN, 0};
        if (g_srv.accepted == g_srv.closed && poll(&p, 1, 0) == 0) break;
        int rc = pthread_cond_timedwait(&g_srv.changed, &g_srv.lock, &deadline);
        if (rc == ETIMEDOUT && g_srv.accepted != g_srv.closed) {
            pthread_mutex_unlock(&g_srv.lock);
            FUZZ_CHECK(0, "the runtime left a connection open after returning");
        }
        if (rc == ETIMEDOUT) break;
    }
    pthread_mutex_unlock(&g_srv.lock);
}

/* ---- handlers -------------------------------------------------------------- */

static void check_ctx_value(const char *got, const char *header, int nullable) {
    const char *want = NULL;
    int any = 0;
    for (size_t i = 0; i < g_exp.header_count; i++) {
        if (strcasecmp(g_exp.headers[i].name, header)) continue;
        if (got && !strcmp(got, g_exp.headers[i].trimmed)) any = 1;
        want = g_exp.headers[i].trimmed;
    }
    if (!want) {
        FUZZ_CHECK(nullable ? got == NULL : (got && !*got), "%s not sent but the context has \"%s\"", header,
                   got ? got : "(null)");
        return;
    }
    FUZZ_CHECK(any, "%s: the context has \"%s\", Lambda sent \"%s\"", header, got ? got : "(null)", want);
}

static void check_request(const sparta_request *r) {
    g_exp.handler_ran = 1;
    size_t n = sparta_request_length(r);
    const char *body = sparta_request_body(r);
    FUZZ_CHECK(n == g_exp.body_len && !memcmp(body, g_exp.body, n), "event of %zu bytes arrived as %zu bytes",
               g_exp.body_len, n);
    FUZZ_CHECK(body[n] == '\0', "event not NUL-terminated");
    const sparta_lambda_context *ctx = sparta_request_context(r);
    check_ctx_value(sparta_lambda_context_request_id(ctx), "Lambda-Runtime-Aws-Request-Id", 0);
    check_ctx_value(sparta_lambda_context_invoked_function_arn(ctx), "Lambda-Runtime-Invoked-Function-Arn", 0);
    check_ctx_value(sparta_lambda_context_trace_id(ctx), "Lambda-Runtime-Trace-Id", 0);
    check_ctx_value(sparta_lambda_context_client_context(ctx), "Lambda-Runtime-Client-Context", 1);
    check_ctx_value(sparta_lambda_context_identity(ctx), "Lambda-Runtime-Cognito-Identity", 1);
    (void)sparta_lambda_context_remaining_ms(ctx);
    (void)sparta_lambda_context_function_name(ctx);
}

static void echo_handler(sparta_response_writer *w, const sparta_request *r) {
    check_request(r);
    sparta_response_write(w, sparta_request_body(r), sparta_request_length(r));
}

static void fail_handler(sparta_response_writer *w, const sparta_request *r) {
    check_request(r);
    char type[48];
    snprintf(type, sizeof type, "%s", sparta_request_body(r));
    sparta_response_error(w, type, "%s", sparta_request_body(r));
}

static void status_handler(sparta_response_writer *w, const sparta_request *r) {
    check_request(r);
    const unsigned char *b = (const unsigned char *)sparta_request_body(r);
    int status = 100 + (sparta_request_length(r) ? b[0] * 2 % 500 : 100);
    FUZZ_CHECK(sparta_response_set_status(w, status) == 0, "status %d refused", status);
    sparta_response_printf(w, "%s", sparta_request_body(r));
    sparta_response_set_content_type(w, sparta_request_body(r));
}

static int legacy_handler(const char *event, size_t length, const sparta_lambda_context *ctx, char **result) {
    sparta_request r = {event, length, ctx, "legacy"};
    check_request(&r);
    *result = length ? strdup(event) : NULL;
    return length && event[0] == 'E';
}

static const char *const handler_names[] = {"echo", "fail", "status", "legacy"};

/* ---- checks on what was posted ------------------------------------------ */

static json_object *parse_strict(const char *text, size_t len, const char *what) {
    json_tokener *tok = json_tokener_new();
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    json_object *j = json_tokener_parse_ex(tok, text, (int)len);
    enum json_tokener_error e = json_tokener_get_error(tok);
    size_t used = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    FUZZ_CHECK(e == json_tokener_success && used == len, "%s is not one valid JSON document (%s): %.*s", what,
               json_tokener_error_desc(e), (int)(len < 400 ? len : 400), text);
    return j;
}

static const char *header_of(const post *p, const char *name, int *count) {
    const char *found = NULL;
    *count = 0;
    size_t n = strlen(name);
    for (const char *line = strstr(p->headers, "\r\n"); line && line[2]; line = strstr(line + 2, "\r\n")) {
        if (!strncasecmp(line + 2, name, n) && line[2 + n] == ':') {
            found = line + 2 + n + 1;
            while (*found == ' ') found++;
            (*count)++;
        }
    }
    return found;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The ID segment of the path, decoded; NULL when not properly encoded. */
static char *decode_id(const char *segment, size_t n) {
    char *out = malloc(n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)segment[i];
        if (c == '%') {
            if (i + 2 >= n) goto bad;
            int hi = hexval(segment[i + 1]), lo = hexval(segment[i + 2]);
            if (hi < 0 || lo < 0) goto bad;
            *o++ = (char)(hi * 16 + lo);
            i += 2;
        } else if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            *o++ = (char)c;
        } else {
            goto bad;
        }
    }
    *o = '\0';
    return out;
bad:
    free(out);
    return NULL;
}

static void check_log(void) {
    fflush(g_log);
    for (size_t at = 0; at < g_log_size;) {
        const char *line = g_log_text + at;
        const char *nl = memchr(line, '\n', g_log_size - at);
        FUZZ_CHECK(nl != NULL, "a log line without its newline");
        json_object *j = parse_strict(line, (size_t)(nl - line), "a log line");
        FUZZ_CHECK(json_object_is_type(j, json_type_object), "a log line is not an object");
        json_object_put(j);
        at = (size_t)(nl - g_log_text) + 1;
    }
    /* A fresh stream for the next input. */
    fclose(g_log);
    free(g_log_text);
    g_log_text = NULL;
    g_log_size = 0;
    g_log = open_memstream(&g_log_text, &g_log_size);
    FUZZ_CHECK(g_log != NULL, "open_memstream");
    stderr = g_log;
}

/* ---- setup --------------------------------------------------------------- */

static void start(void) {
    setenv("AWS_LAMBDA_LOG_FORMAT", "JSON", 1);
    setenv("AWS_LAMBDA_FUNCTION_NAME", "fuzz", 1);
    unsetenv("SPARTA_LAMBDA_MAX_INVOCATIONS");
    /* What the runtime logs goes to memory, to be checked; sanitizer and
     * FUZZ_CHECK reports still reach file descriptor 2. */
    g_log = open_memstream(&g_log_text, &g_log_size);
    FUZZ_CHECK(g_log != NULL, "open_memstream");
    stderr = g_log;

    g_srv.listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    FUZZ_CHECK(g_srv.listen_fd >= 0 && bind(g_srv.listen_fd, (struct sockaddr *)&a, sizeof a) == 0 &&
                   listen(g_srv.listen_fd, 16) == 0 && getsockname(g_srv.listen_fd, (struct sockaddr *)&a, &alen) == 0,
               "cannot listen on loopback: %s", strerror(errno));
    snprintf(g_srv.endpoint, sizeof g_srv.endpoint, "127.0.0.1:%d", ntohs(a.sin_port));
    pthread_t t;
    FUZZ_CHECK(pthread_create(&t, NULL, server_main, NULL) == 0, "server thread");
    pthread_detach(t);

    sparta_lambda_register_handler_func("echo", echo_handler);
    sparta_lambda_register_handler_func("fail", fail_handler);
    sparta_lambda_register_handler_func("status", status_handler);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
    sparta_lambda_register_func("legacy", legacy_handler);
#pragma GCC diagnostic pop
}

static const char *const known_headers[] = {
    "Lambda-Runtime-Aws-Request-Id", "Lambda-Runtime-Deadline-Ms",     "Lambda-Runtime-Invoked-Function-Arn",
    "Lambda-Runtime-Trace-Id",       "Lambda-Runtime-Client-Context",  "Lambda-Runtime-Cognito-Identity",
    "Lambda-Runtime-Aws-Request-Id2", "Lambda-Runtime-Aws-Request-I",  "X-Amzn-Trace-Id",
    "Content-Type",                  "Date",                            "Lambda-Runtime-Deadline-Ms ",
};

static int framing_header(const char *name) {
    static const char *const bad[] = {"content-length", "transfer-encoding", "connection", "content-encoding",
                                      "trailer", "upgrade", "keep-alive"};
    char lower[80];
    size_t n = 0;
    for (; name[n] && n + 1 < sizeof lower; n++) lower[n] = (char)tolower((unsigned char)name[n]);
    lower[n] = '\0';
    while (n && lower[n - 1] == ' ') lower[--n] = '\0';
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (!strcmp(lower, bad[i])) return 1;
    return 0;
}

static char *trim_blanks(const char *v) {
    while (*v == ' ' || *v == '\t') v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t')) n--;
    return strndup(v, n);
}

/* ---- the json writer on raw bytes --------------------------------------- */

static int valid_utf8(const unsigned char *p, size_t n) {
    for (size_t i = 0; i < n;) {
        unsigned c = p[i], len, cp, min;
        if (c < 0x80) { i++; continue; }
        if ((c & 0xe0) == 0xc0) { len = 2; cp = c & 0x1f; min = 0x80; }
        else if ((c & 0xf0) == 0xe0) { len = 3; cp = c & 0x0f; min = 0x800; }
        else if ((c & 0xf8) == 0xf0) { len = 4; cp = c & 0x07; min = 0x10000; }
        else return 0;
        if (i + len > n) return 0;
        for (unsigned k = 1; k < len; k++) {
            if ((p[i + k] & 0xc0) != 0x80) return 0;
            cp = (cp << 6) | (p[i + k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
        i += len;
    }
    return 1;
}

static void check_json_string(const uint8_t *data, size_t size) {
    sparta__buf b = {NULL, 0, 0};
    FUZZ_CHECK(sparta__json_string(&b, (const char *)data, size) == 0, "json_string failed");
    json_object *j = parse_strict(b.data, b.len, "sparta__json_string output");
    FUZZ_CHECK(json_object_is_type(j, json_type_string), "not a string");
    if (valid_utf8(data, size))
        FUZZ_CHECK((size_t)json_object_get_string_len(j) == size && !memcmp(json_object_get_string(j), data, size),
                   "valid UTF-8 did not survive");
    json_object_put(j);
    sparta__buf_free(&b);
}

/* ---- one input ----------------------------------------------------------- */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    static int started;
    if (!started) {
        started = 1;
        start();
    }
    check_json_string(data, size);

    fuzz_input in = {data, size};
    uint8_t ctl = fuzz_u8(&in);
    int status = ((ctl >> 4) & 3) == 3 ? 404 : 200;
    memset(&g_exp, 0, sizeof g_exp);
    size_t nh = fuzz_pick(&in, MAX_HEADERS + 1);
    sparta__buf head = {NULL, 0, 0};
    for (size_t i = 0; i < nh && !fuzz_empty(&in); i++) {
        sent_header *h = &g_exp.headers[g_exp.header_count];
        uint8_t pick = fuzz_u8(&in);
        if (pick < 0xc0) {
            snprintf(h->name, sizeof h->name, "%s", known_headers[pick % (sizeof known_headers / sizeof *known_headers)]);
            if (pick & 0x80) /* header names are case-insensitive */
                for (char *c = h->name; *c; c++) *c = (char)toupper((unsigned char)*c);
        } else {
            char *name = fuzz_string_until(&in, 0, 40, NULL);
            size_t k = 0;
            for (const char *c = name; *c && k + 1 < sizeof h->name; c++)
                if (isalnum((unsigned char)*c) || *c == '-') h->name[k++] = *c;
            h->name[k] = '\0';
            free(name);
            if (!k) snprintf(h->name, sizeof h->name, "X-Fuzz");
        }
        uint8_t sep = fuzz_u8(&in);
        char *value = fuzz_string_until(&in, 0, 300, NULL);
        size_t k = 0;
        for (char *c = value; *c; c++)
            if (*c != '\r' && *c != '\n') value[k++] = *c;
        value[k] = '\0';
        if (framing_header(h->name)) {
            free(value);
            continue;
        }
        static const char *const seps[] = {": ", ":", ":\t", ":   "};
        h->value = value;
        h->trimmed = trim_blanks(value);
        g_exp.header_count++;
        sparta__buf_puts(&head, h->name);
        sparta__buf_puts(&head, seps[sep % 4]);
        sparta__buf_puts(&head, value);
        sparta__buf_puts(&head, "\r\n");
    }
    size_t body_len = in.size;
    const char *body = (const char *)in.data;
    g_exp.body = body;
    g_exp.body_len = body_len;

    sparta__buf resp = {NULL, 0, 0};
    char line[160];
    snprintf(line, sizeof line, "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\n%s", status, status == 200 ? "OK" : "Not Found",
             body_len, (ctl & 0x40) ? "Connection: close\r\n" : "");
    sparta__buf_puts(&resp, line);
    if (head.len) sparta__buf_append(&resp, head.data, head.len);
    sparta__buf_puts(&resp, "\r\n");
    sparta__buf_append(&resp, body, body_len);

    pthread_mutex_lock(&g_srv.lock);
    g_srv.response = resp.data;
    g_srv.response_len = resp.len;
    g_srv.close_after_next = (ctl & 0x40) != 0;
    g_srv.gets = 0;
    g_srv.post_count = 0;
    pthread_mutex_unlock(&g_srv.lock);

    sparta_lambda_options opts = SPARTA_LAMBDA_OPTIONS_INIT;
    opts.runtime_api = g_srv.endpoint;
    opts.handler = handler_names[ctl & 3];
    opts.max_invocations = 1;
    size_t event_limit = (ctl & 4) ? SMALL_EVENT_LIMIT : 0;
    opts.max_event_bytes = event_limit;
    opts.max_response_bytes = (ctl & 8) ? SMALL_RESPONSE_LIMIT : 0;
    int rc = sparta_lambda_run(&opts);
    server_settle();

    /* What Lambda would have made of the request ID. */
    const char *id = NULL;
    const char *deadline = NULL;
    for (size_t i = 0; i < g_exp.header_count; i++) {
        if (!strcasecmp(g_exp.headers[i].name, "Lambda-Runtime-Aws-Request-Id")) id = g_exp.headers[i].trimmed;
        if (!strcasecmp(g_exp.headers[i].name, "Lambda-Runtime-Deadline-Ms")) deadline = g_exp.headers[i].trimmed;
    }
    int id_usable = id && *id && strlen(id) <= 256;
    pthread_mutex_lock(&g_srv.lock);
    if (status != 200) {
        FUZZ_CHECK(rc != 0 && g_srv.post_count == 0, "an HTTP %d answer to next was served (rc %d)", status, rc);
    } else if (!id_usable) {
        FUZZ_CHECK(g_srv.post_count == 0, "posted for an unusable request ID");
        FUZZ_CHECK(!g_exp.handler_ran, "the handler ran without a request ID");
    } else {
        FUZZ_CHECK(g_srv.post_count == 1, "%d posts for one invocation", g_srv.post_count);
        post *p = &g_srv.posts[0];
        FUZZ_CHECK(!strncmp(p->path, API_PREFIX, strlen(API_PREFIX)), "posted to %s", p->path);
        const char *seg = p->path + strlen(API_PREFIX);
        const char *slash = strchr(seg, '/');
        FUZZ_CHECK(slash && (!strcmp(slash, "/response") || !strcmp(slash, "/error")), "posted to %s", p->path);
        char *decoded = decode_id(seg, (size_t)(slash - seg));
        FUZZ_CHECK(decoded, "request ID not percent-encoded in %s", p->path);
        int id_matches = 0;
        for (size_t i = 0; i < g_exp.header_count; i++)
            if (!strcasecmp(g_exp.headers[i].name, "Lambda-Runtime-Aws-Request-Id") &&
                !strcmp(decoded, g_exp.headers[i].trimmed))
                id_matches = 1;
        FUZZ_CHECK(id_matches, "posted for request ID \"%s\", Lambda sent \"%s\"", decoded, id);
        free(decoded);
        int is_error = !strcmp(slash, "/error");
        int count;
        if (is_error) {
            json_object *doc = parse_strict(p->body, p->body_len, "the error document");
            json_object *type = NULL, *msg = NULL;
            FUZZ_CHECK(json_object_is_type(doc, json_type_object) && json_object_object_get_ex(doc, "errorType", &type) &&
                           json_object_is_type(type, json_type_string) &&
                           json_object_object_get_ex(doc, "errorMessage", &msg) && json_object_is_type(msg, json_type_string),
                       "error document without errorType/errorMessage strings");
            const char *h = header_of(p, "Lambda-Runtime-Function-Error-Type", &count);
            FUZZ_CHECK(count == 1 && h, "%d Lambda-Runtime-Function-Error-Type headers", count);
            const char *t = json_object_get_string(type);
            /* HTTP drops blanks around a header value: compare without them */
            const char *h_end = strstr(h, "\r\n");
            while (h_end > h && (h_end[-1] == ' ' || h_end[-1] == '\t')) h_end--;
            char *tt = trim_blanks(t);
            FUZZ_CHECK(h_end && (size_t)(h_end - h) == strlen(tt) && !strncmp(h, tt, strlen(tt)),
                       "error type header differs from the document (\"%s\")", t);
            free(tt);
            for (const char *c = t; *c; c++) FUZZ_CHECK(*c >= 0x20 && *c < 0x7f, "error type not printable ASCII");
            int too_large = event_limit && body_len > event_limit;
            if (too_large) FUZZ_CHECK(!strcmp(t, "Runtime.EventTooLarge"), "oversized event gave %s", t);
            int digits = deadline && *deadline && strlen(deadline) < 18;
            for (const char *c = deadline; digits && *c; c++) digits = isdigit((unsigned char)*c);
            int junk = !deadline || !*deadline;
            for (const char *c = deadline; deadline && *c; c++)
                junk |= !isdigit((unsigned char)*c) && !isspace((unsigned char)*c) && *c != '+' && *c != '-';
            if (!too_large && junk) FUZZ_CHECK(!strcmp(t, "Runtime.MalformedHeader"), "bad deadline gave %s", t);
            if (!too_large && digits && (ctl & 3) == 0 && !((ctl & 8) && body_len > SMALL_RESPONSE_LIMIT))
                FUZZ_CHECK(0, "the echo handler's answer was posted as an error (%s: %s)", t, json_object_get_string(msg));
            json_object_put(doc);
        } else {
            header_of(p, "Content-Type", &count);
            FUZZ_CHECK(count == 1, "%d Content-Type headers on the response", count);
            if ((ctl & 3) == 0)
                FUZZ_CHECK(p->body_len == body_len && !memcmp(p->body, body, body_len),
                           "the echo response differs from the event");
        }
    }
    for (int i = 0; i < g_srv.post_count; i++) {
        free(g_srv.posts[i].headers);
        free(g_srv.posts[i].body);
    }
    g_srv.post_count = 0;
    g_srv.response = NULL;
    pthread_mutex_unlock(&g_srv.lock);
    check_log();

    for (size_t i = 0; i < g_exp.header_count; i++) {
        free(g_exp.headers[i].value);
        free(g_exp.headers[i].trimmed);
    }
    sparta__buf_free(&resp);
    sparta__buf_free(&head);
    return 0;
}
