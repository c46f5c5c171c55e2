/* The local AWS Lambda Runtime API endpoint of `sparta invoke`: a small
 * HTTP/1.1 server on 127.0.0.1 that serves exactly one invocation.
 *
 *   GET  /2018-06-01/runtime/invocation/next          the event (once)
 *   POST /2018-06-01/runtime/invocation/{id}/response the answer
 *   POST /2018-06-01/runtime/invocation/{id}/error    an invocation error
 *   POST /2018-06-01/runtime/init/error               an init error
 *
 * Connections are kept alive (the runtime reuses one). A `next` that comes
 * while the event is out waits, as Lambda's would; once the invocation is
 * answered, every waiting or further `next` is closed unanswered, which a
 * runtime reads as "the endpoint is gone" and exits. Everything is
 * non-blocking and bounded: at most INV_MAX_CONNS connections, 64 KiB of
 * headers and INVOKE_PAYLOAD_MAX bytes of body per request. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "invoke.h"

#define INV_MAX_CONNS 8
#define HEADERS_MAX (64 * 1024)
#define API_BASE "/2018-06-01/runtime"

typedef struct conn {
    int fd;             /* -1: free slot */
    sparta_text in;
    sparta_text out;
    size_t out_at;
    int close_after;    /* close once `out` is written */
    int parked;         /* a `next` waiting for the in-flight invocation */
    int continued;      /* "100 Continue" sent for the request being read */
} conn;

struct inv_server {
    sparta_plugin *p;
    int listen_fd;
    int port;
    conn conns[INV_MAX_CONNS];
    inv_server_options o;
    inv_server_state state;
    int64_t handed_out_at;
    int answer_is_error;
    sparta_text answer;
    char error_type[160];
};

/* One parsed request. */
typedef struct request {
    char method[16];
    char path[1024];
    int http10;
    int keep_alive;
    int expect_continue;
    int chunked;
    long long content_length; /* -1: none */
    char error_type[160];     /* Lambda-Runtime-Function-Error-Type */
    size_t header_bytes;      /* request line and headers */
} request;

int64_t inv_now_us(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int64_t inv_epoch_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Drops the first `n` bytes of `t` and keeps its room: a connection's input
 * loses each request once handled while pipelined bytes behind it stay, and
 * its output is emptied once sent. */
static void text_drop_front(sparta_text *t, size_t n) {
    if (n >= t->length) {
        t->length = 0;
    } else {
        memmove(t->data, t->data + n, t->length - n);
        t->length -= n;
    }
    if (t->data) t->data[t->length] = '\0';
}

/* ---- sockets ---------------------------------------------------------------- */

static void conn_close(conn *c) {
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    sparta_text_free(&c->in);
    sparta_text_free(&c->out);
    c->out_at = 0;
    c->close_after = c->parked = c->continued = 0;
}

inv_server *inv_server_new(sparta_plugin *p, const inv_server_options *o) {
    inv_server *s = calloc(1, sizeof *s);
    if (!s) {
        lambda_api->error(p, SPARTA_ENOMEM, "out of memory starting the local Runtime API");
        return NULL;
    }
    s->p = p;
    s->o = *o;
    for (int i = 0; i < INV_MAX_CONNS; i++) s->conns[i].fd = -1;
    s->listen_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (s->listen_fd < 0 || bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0 ||
        listen(s->listen_fd, INV_MAX_CONNS) != 0 || getsockname(s->listen_fd, (struct sockaddr *)&addr, &len) != 0) {
        int err = errno;
        lambda_api->error(p, SPARTA_EIO, "could not start the local Runtime API on 127.0.0.1: %s", strerror(err));
        inv_server_free(s);
        return NULL;
    }
    s->port = ntohs(addr.sin_port);
    return s;
}

int inv_server_port(const inv_server *s) { return s->port; }
inv_server_state inv_server_state_of(const inv_server *s) { return s->state; }
int64_t inv_server_handed_out_at(const inv_server *s) { return s->handed_out_at; }

const sparta_text *inv_server_answer(const inv_server *s, int *is_error, const char **error_type_header) {
    if (is_error) *is_error = s->answer_is_error;
    if (error_type_header) *error_type_header = s->error_type;
    return &s->answer;
}

void inv_server_free(inv_server *s) {
    if (!s) return;
    for (int i = 0; i < INV_MAX_CONNS; i++) conn_close(&s->conns[i]);
    if (s->listen_fd >= 0) close(s->listen_fd);
    sparta_text_free(&s->answer);
    free(s);
}

/* ---- answers ------------------------------------------------------------------ */

static const char *reason(int status) {
    switch (status) {
    case 100: return "Continue";
    case 200: return "OK";
    case 202: return "Accepted";
    case 400: return "Bad Request";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 411: return "Length Required";
    case 413: return "Payload Too Large";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    default: return "Unknown";
    }
}

static void reply(conn *c, int status, const char *extra_headers, const char *body, size_t body_len, int close_after) {
    sparta_text_printf(&c->out,
                       "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n%s%s\r\n",
                       status, reason(status), body_len, extra_headers ? extra_headers : "",
                       close_after ? "Connection: close\r\n" : "");
    sparta_text_put(&c->out, body, body_len);
    if (close_after) c->close_after = 1;
}

/* An error document the way the Runtime API writes them. */
static void reply_error(inv_server *s, conn *c, const request *rq, int status, const char *type,
                        const char *message, int close_after) {
    sparta_text body = {0};
    sparta_text_puts(&body, "{\"errorMessage\":");
    sparta_text_json_string(&body, message);
    sparta_text_puts(&body, ",\"errorType\":");
    sparta_text_json_string(&body, type);
    sparta_text_puts(&body, "}");
    reply(c, status, NULL, body.data ? body.data : "{}", body.data ? body.length : 2, close_after);
    sparta_text_free(&body);
    lambda_api->log(s->p, SPARTA_LOG_WARN, "local Runtime API: %s %s refused with HTTP %d %s: %s",
                    rq && rq->method[0] ? rq->method : "request", rq && rq->path[0] ? rq->path : "", status, type,
                    message);
}

static void reply_accepted(conn *c, int keep_alive) {
    static const char body[] = "{\"status\":\"OK\"}";
    reply(c, 202, NULL, body, sizeof body - 1, !keep_alive);
}

/* The answer is in: every `next` still waiting is closed unanswered. */
static void settle(inv_server *s, inv_server_state state) {
    s->state = state;
    for (int i = 0; i < INV_MAX_CONNS; i++)
        if (s->conns[i].fd >= 0 && s->conns[i].parked) conn_close(&s->conns[i]);
}

static void hand_out(inv_server *s, conn *c, int keep_alive) {
    int64_t deadline = inv_epoch_ms() + s->o.timeout_ms;
    char headers[1024];
    snprintf(headers, sizeof headers,
             "Lambda-Runtime-Aws-Request-Id: %s\r\nLambda-Runtime-Deadline-Ms: %lld\r\n"
             "Lambda-Runtime-Invoked-Function-Arn: %.300s\r\nLambda-Runtime-Trace-Id: %.300s\r\n",
             s->o.request_id, (long long)deadline, s->o.function_arn, s->o.trace_id);
    reply(c, 200, headers, s->o.event ? s->o.event : "", s->o.event_len, !keep_alive);
    s->state = INV_SERVER_HANDED_OUT;
    s->handed_out_at = inv_now_us();
}

/* "/2018-06-01/runtime/invocation/<id>/<what>": <id> percent-decoded into id. */
static int invocation_path(const char *path, char *id, size_t cap, const char **what) {
    static const char prefix[] = API_BASE "/invocation/";
    if (strncmp(path, prefix, sizeof prefix - 1) != 0) return 0;
    const char *start = path + sizeof prefix - 1;
    const char *slash = strchr(start, '/');
    if (!slash || slash == start) return 0;
    size_t n = 0;
    for (const char *q = start; q < slash; q++) {
        int ch = (unsigned char)*q;
        if (ch == '%' && q + 2 < slash) {
            char hex[3] = {q[1], q[2], '\0'};
            char *end = NULL;
            long v = strtol(hex, &end, 16);
            if (end == hex + 2) {
                ch = (int)v;
                q += 2;
            }
        }
        if (n + 1 >= cap) return 0;
        id[n++] = (char)ch;
    }
    id[n] = '\0';
    *what = slash + 1;
    return 1;
}

/* Routes one complete request; body is the decoded request body. */
static void handle(inv_server *s, conn *c, const request *rq, const char *body, size_t body_len) {
    int keep = rq->keep_alive;
    const char *path = rq->path;
    char id[300];
    const char *what = NULL;
    int is_get = strcmp(rq->method, "GET") == 0, is_post = strcmp(rq->method, "POST") == 0;

    if (strcmp(path, API_BASE "/invocation/next") == 0) {
        if (!is_get) {
            reply_error(s, c, rq, 405, "MethodNotAllowed", "use GET for invocation/next", !keep);
        } else if (s->state == INV_SERVER_WAITING) {
            hand_out(s, c, keep);
        } else if (s->state == INV_SERVER_HANDED_OUT) {
            c->parked = 1; /* answered by closing once the invocation is settled */
        } else {
            conn_close(c); /* one invocation only: the runtime reads "gone" and exits */
        }
        return;
    }
    if (strcmp(path, API_BASE "/init/error") == 0) {
        if (!is_post) {
            reply_error(s, c, rq, 405, "MethodNotAllowed", "use POST for init/error", !keep);
        } else if (s->state != INV_SERVER_WAITING) {
            reply_error(s, c, rq, 403, "InvalidStateTransition",
                        "init/error is accepted only before the first invocation/next", !keep);
        } else {
            sparta_text_free(&s->answer);
            sparta_text_put(&s->answer, body, body_len);
            s->answer_is_error = 1;
            snprintf(s->error_type, sizeof s->error_type, "%s", rq->error_type);
            reply_accepted(c, keep);
            settle(s, INV_SERVER_INIT_ERROR);
        }
        return;
    }
    if (invocation_path(path, id, sizeof id, &what) &&
        (strcmp(what, "response") == 0 || strcmp(what, "error") == 0)) {
        int is_error = what[0] == 'e';
        if (!is_post) {
            reply_error(s, c, rq, 405, "MethodNotAllowed", "use POST to answer an invocation", !keep);
        } else if (s->state == INV_SERVER_WAITING || strcmp(id, s->o.request_id) != 0) {
            char message[400];
            snprintf(message, sizeof message, "no invocation has the request ID '%.256s'", id);
            reply_error(s, c, rq, 400, "InvalidRequestID", message, !keep);
        } else if (s->state != INV_SERVER_HANDED_OUT) {
            reply_error(s, c, rq, 403, "InvalidStateTransition", "this invocation was already answered", !keep);
        } else {
            sparta_text_free(&s->answer);
            sparta_text_put(&s->answer, body, body_len);
            s->answer_is_error = is_error;
            snprintf(s->error_type, sizeof s->error_type, "%s", is_error ? rq->error_type : "");
            reply_accepted(c, keep);
            settle(s, INV_SERVER_ANSWERED);
        }
        return;
    }
    char message[1200];
    snprintf(message, sizeof message,
             "%.1000s is not part of the Runtime API this endpoint serves (" API_BASE "/invocation/next, "
             ".../response, .../error, " API_BASE "/init/error)",
             path);
    reply_error(s, c, rq, 404, "NotFound", message, !keep);
}

/* ---- parsing ------------------------------------------------------------------- */

static int header_is(const char *line, size_t name_len, const char *name) {
    return strlen(name) == name_len && strncasecmp(line, name, name_len) == 0;
}

/* 1: headers complete (rq filled); 0: need more; <0: an HTTP status to refuse with. */
static int parse_head(const sparta_text *in, request *rq) {
    memset(rq, 0, sizeof *rq);
    rq->content_length = -1;
    const char *data = sparta_text_str(in);
    const char *end = memmem(data, in->length, "\r\n\r\n", 4);
    if (!end) return in->length > HEADERS_MAX ? -431 : 0;
    rq->header_bytes = (size_t)(end - data) + 4;
    if (rq->header_bytes > HEADERS_MAX) return -431;

    const char *line = data, *eol = memmem(line, (size_t)(end - line) + 2, "\r\n", 2);
    /* METHOD SP TARGET SP HTTP/1.x */
    const char *sp1 = memchr(line, ' ', (size_t)(eol - line));
    const char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(eol - sp1 - 1)) : NULL;
    if (!sp1 || !sp2 || (size_t)(sp1 - line) >= sizeof rq->method || (size_t)(eol - sp2 - 1) != 8 ||
        strncmp(sp2 + 1, "HTTP/1.", 7) != 0)
        return -400;
    memcpy(rq->method, line, (size_t)(sp1 - line));
    const char *target = sp1 + 1;
    size_t target_len = (size_t)(sp2 - target);
    if (target_len > 7 && strncmp(target, "http://", 7) == 0) { /* absolute form: keep the path */
        const char *slash = memchr(target + 7, '/', target_len - 7);
        if (!slash) return -400;
        target_len -= (size_t)(slash - target);
        target = slash;
    }
    const char *query = memchr(target, '?', target_len);
    if (query) target_len = (size_t)(query - target);
    if (target_len == 0 || target_len >= sizeof rq->path) return -400;
    memcpy(rq->path, target, target_len);
    rq->http10 = sp2[8] == '0';
    rq->keep_alive = !rq->http10;

    for (line = eol + 2; line < end + 2; line = eol + 2) {
        eol = memmem(line, (size_t)(end + 2 - line), "\r\n", 2);
        if (!eol || eol == line) break;
        const char *colon = memchr(line, ':', (size_t)(eol - line));
        if (!colon) return -400;
        size_t name_len = (size_t)(colon - line);
        const char *v = colon + 1;
        while (v < eol && (*v == ' ' || *v == '\t')) v++;
        size_t vlen = (size_t)(eol - v);
        while (vlen && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t')) vlen--;
        if (header_is(line, name_len, "Content-Length")) {
            if (vlen == 0 || vlen > 18 || rq->content_length >= 0) return -400;
            long long n = 0;
            for (size_t k = 0; k < vlen; k++) {
                if (v[k] < '0' || v[k] > '9') return -400;
                n = n * 10 + (v[k] - '0');
            }
            rq->content_length = n;
        } else if (header_is(line, name_len, "Transfer-Encoding")) {
            if (vlen == 7 && strncasecmp(v, "chunked", 7) == 0) rq->chunked = 1;
            else return -400;
        } else if (header_is(line, name_len, "Connection")) {
            if (vlen == 5 && strncasecmp(v, "close", 5) == 0) rq->keep_alive = 0;
            if (vlen == 10 && strncasecmp(v, "keep-alive", 10) == 0) rq->keep_alive = 1;
        } else if (header_is(line, name_len, "Expect")) {
            rq->expect_continue = vlen == 12 && strncasecmp(v, "100-continue", 12) == 0;
        } else if (header_is(line, name_len, "Lambda-Runtime-Function-Error-Type")) {
            size_t n = vlen < sizeof rq->error_type - 1 ? vlen : sizeof rq->error_type - 1;
            for (size_t k = 0; k < n; k++)
                rq->error_type[k] = (v[k] >= 0x20 && v[k] < 0x7f) ? v[k] : '?';
            rq->error_type[n] = '\0';
        }
    }
    if (rq->chunked && rq->content_length >= 0) return -400;
    if (rq->content_length > (long long)INVOKE_PAYLOAD_MAX) return -413;
    return 1;
}

/* Decodes a chunked body starting at `at`. 1: complete (*used bytes, decoded
 * into out); 0: need more; <0: an HTTP status to refuse with. */
static int dechunk(const sparta_text *in, size_t at, sparta_text *out, size_t *used) {
    size_t i = at;
    for (;;) {
        const char *eol = memmem(in->data + i, in->length - i, "\r\n", 2);
        if (!eol) return in->length - i > 1024 ? -400 : 0;
        size_t size = 0;
        const char *q = in->data + i;
        if (q == eol) return -400;
        for (; q < eol && *q != ';'; q++) {
            int h = (*q >= '0' && *q <= '9') ? *q - '0'
                    : (*q >= 'a' && *q <= 'f') ? *q - 'a' + 10
                    : (*q >= 'A' && *q <= 'F') ? *q - 'A' + 10 : -1;
            if (h < 0 || size > INVOKE_PAYLOAD_MAX) return -400;
            size = size * 16 + (size_t)h;
        }
        if (out->length + size > INVOKE_PAYLOAD_MAX) return -413;
        i = (size_t)(eol - in->data) + 2;
        if (size == 0) {
            /* trailers, then an empty line */
            for (;;) {
                const char *t = memmem(in->data + i, in->length - i, "\r\n", 2);
                if (!t) return 0;
                int empty = t == in->data + i;
                i = (size_t)(t - in->data) + 2;
                if (empty) {
                    *used = i - at;
                    return 1;
                }
            }
        }
        if (in->length - i < size + 2) return 0;
        if (in->data[i + size] != '\r' || in->data[i + size + 1] != '\n') return -400;
        sparta_text_put(out, in->data + i, size);
        i += size + 2;
    }
}

/* Handles every complete request buffered on c (pipelining included). */
static void process(inv_server *s, conn *c) {
    while (c->fd >= 0 && !c->parked && !c->close_after && c->in.length) {
        request rq;
        int head = parse_head(&c->in, &rq);
        if (head == 0) return;
        if (head < 0) {
            const char *type = head == -431 ? "RequestHeaderFieldsTooLarge"
                               : head == -413 ? "RequestEntityTooLarge" : "BadRequest";
            char message[200];
            snprintf(message, sizeof message, head == -413 ? "the body is larger than Lambda's %zu-byte limit"
                                                           : "malformed HTTP/1.1 request (limit %zu bytes)",
                     head == -413 ? INVOKE_PAYLOAD_MAX : (size_t)HEADERS_MAX);
            reply_error(s, c, rq.method[0] ? &rq : NULL, -head, type, message, 1);
            return;
        }
        if (strcmp(rq.method, "POST") == 0 && !rq.chunked && rq.content_length < 0) {
            reply_error(s, c, &rq, 411, "LengthRequired", "a POST needs Content-Length or chunked encoding", 1);
            return;
        }
        size_t body_at = rq.header_bytes;
        sparta_text decoded = {0};
        size_t used = 0;
        int done;
        if (rq.chunked) {
            done = dechunk(&c->in, body_at, &decoded, &used);
        } else {
            used = rq.content_length > 0 ? (size_t)rq.content_length : 0;
            done = c->in.length - body_at >= used;
        }
        if (done == 0) {
            sparta_text_free(&decoded);
            if (rq.expect_continue && !c->continued) {
                sparta_text_puts(&c->out, "HTTP/1.1 100 Continue\r\n\r\n");
                c->continued = 1;
            }
            return;
        }
        if (done < 0) {
            sparta_text_free(&decoded);
            reply_error(s, c, &rq, -done, done == -413 ? "RequestEntityTooLarge" : "BadRequest",
                        done == -413 ? "the body is larger than Lambda's 6 MB limit" : "malformed chunked body", 1);
            return;
        }
        if (decoded.failed) {
            sparta_text_free(&decoded);
            reply_error(s, c, &rq, 500, "ServiceException", "out of memory reading the body", 1);
            return;
        }
        const char *body = rq.chunked ? sparta_text_str(&decoded) : c->in.data + body_at;
        size_t body_len = rq.chunked ? decoded.length : used;
        c->continued = 0;
        /* The request leaves the buffer before it is handled: handle() may close c. */
        sparta_text copy = {0};
        if (!rq.chunked) sparta_text_put(&copy, body, body_len);
        text_drop_front(&c->in, body_at + used);
        if (!rq.chunked) body = sparta_text_str(&copy);
        handle(s, c, &rq, body, body_len);
        sparta_text_free(&copy);
        sparta_text_free(&decoded);
    }
}

/* ---- the loop ------------------------------------------------------------------- */

static void flush_out(conn *c) {
    while (c->fd >= 0 && c->out_at < c->out.length) {
        ssize_t n = send(c->fd, c->out.data + c->out_at, c->out.length - c->out_at, MSG_NOSIGNAL);
        if (n > 0) {
            c->out_at += (size_t)n;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        conn_close(c); /* the peer is gone */
        return;
    }
    if (c->fd >= 0) {
        text_drop_front(&c->out, c->out.length);
        c->out_at = 0;
        if (c->close_after) conn_close(c);
    }
}

static void accept_all(inv_server *s) {
    for (;;) {
        int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd < 0) return;
        int slot = -1;
        for (int i = 0; i < INV_MAX_CONNS && slot < 0; i++)
            if (s->conns[i].fd < 0) slot = i;
        if (slot < 0) {
            close(fd); /* bounded: a runtime needs one or two */
            continue;
        }
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        s->conns[slot].fd = fd;
    }
}

static void read_conn(inv_server *s, conn *c) {
    char chunk[65536];
    for (;;) {
        ssize_t n = recv(c->fd, chunk, sizeof chunk, 0);
        if (n > 0) {
            if (c->parked) continue; /* a waiting `next` says nothing more: drop it */
            /* Bounded: one request's headers and body, plus a little. */
            int too_big = c->in.length + (size_t)n > INVOKE_PAYLOAD_MAX + 2 * HEADERS_MAX;
            if (!too_big) sparta_text_put(&c->in, chunk, (size_t)n);
            if (too_big || c->in.failed) { /* failed: out of memory, the request cannot be read whole */
                conn_close(c);
                return;
            }
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) break;
        conn_close(c); /* EOF or error */
        return;
    }
    process(s, c);
}

int inv_server_serve(inv_server *s, int wait_ms) {
    struct pollfd fds[INV_MAX_CONNS + 1];
    int slot_of[INV_MAX_CONNS + 1];
    nfds_t n = 0;
    inv_server_state before = s->state;
    fds[n].fd = s->listen_fd;
    fds[n].events = POLLIN;
    fds[n].revents = 0;
    slot_of[n++] = -1;
    for (int i = 0; i < INV_MAX_CONNS; i++) {
        conn *c = &s->conns[i];
        if (c->fd < 0) continue;
        fds[n].fd = c->fd;
        fds[n].events = (short)(POLLIN | (c->out_at < c->out.length ? POLLOUT : 0));
        fds[n].revents = 0;
        slot_of[n++] = i;
    }
    int ready = poll(fds, n, wait_ms < 0 ? 0 : wait_ms);
    if (ready <= 0) return 0;
    int progressed = 0;
    for (nfds_t k = 0; k < n; k++) {
        if (!fds[k].revents) continue;
        progressed = 1;
        if (slot_of[k] < 0) {
            accept_all(s);
            continue;
        }
        conn *c = &s->conns[slot_of[k]];
        if (c->fd != fds[k].fd) continue; /* closed meanwhile (settle) */
        if (fds[k].revents & (POLLIN | POLLHUP | POLLERR)) read_conn(s, c);
        if (c->fd >= 0) flush_out(c);
    }
    /* Answers produced for other connections (settle closes, pipelined replies). */
    for (int i = 0; i < INV_MAX_CONNS; i++)
        if (s->conns[i].fd >= 0 && s->conns[i].out_at < s->conns[i].out.length) flush_out(&s->conns[i]);
    return progressed || s->state != before;
}
