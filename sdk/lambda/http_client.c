/* A small HTTP/1.1 client for the Lambda Runtime API: one kept-alive plain
 * TCP connection, one request at a time. The Runtime API is always plain
 * HTTP on a local address, so there is no TLS, proxy, redirect or
 * pipelining here; in exchange a function starts without mapping libcurl's
 * ~30 libraries (~5 ms) and an invocation costs a handful of syscalls.
 *
 * A request goes out in one sendmsg (head + body); the answer is parsed
 * from a receive buffer that lives as long as the connection, so the steady
 * state does not allocate. */
#include "internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define RECEIVE_BUFFER_BYTES (64 * 1024)
/* Status line + headers of one answer; libcurl refuses more than 300 KB. */
#define MAX_HEAD_BYTES (300 * 1024)
#define MAX_CHUNK_LINE_BYTES 4096
#define CONNECT_TIMEOUT_MS 5000

enum { RECEIVED = 1, TIMED_OUT = -2, CLOSED = 0 };

typedef enum {
    AT_STATUS_LINE,
    AT_HEADERS,
    AT_BODY_LENGTH,     /* Content-Length bytes */
    AT_BODY_UNTIL_CLOSE, /* neither length nor chunked: the body ends with the connection */
    AT_CHUNK_SIZE,
    AT_CHUNK_DATA,
    AT_CHUNK_END,       /* the CRLF after a chunk's data */
    AT_TRAILERS,
    AT_DONE
} parse_state;

typedef struct parser {
    parse_state state;
    int interim;        /* the answer being read is a 1xx: its headers are not the real ones */
    int http10;
    int keep_alive;     /* HTTP/1.0 asked to keep the connection */
    int close_after;
    int chunked;
    int has_length;
    unsigned long long length;
    unsigned long long remaining; /* body or chunk bytes still to come */
    size_t head_bytes;
    size_t received;    /* bytes of this answer seen so far */
} parser;

static int64_t monotonic_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int fail(sparta__http *c, int code, const char *fmt, ...) SPARTA_LAMBDA_PRINTF(3, 4);
static int fail(sparta__http *c, int code, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->error, sizeof c->error, fmt, ap);
    va_end(ap);
    return code;
}

/* "malformed <what> from <authority>: "<line>"", the line's first 40
 * bytes quoted with non-printables escaped. */
static int fail_malformed(sparta__http *c, const char *what, const char *line, size_t len) {
    char shown[100];
    size_t o = 0;
    for (size_t i = 0; i < len && i < 40 && o + 5 < sizeof shown; i++) {
        unsigned char ch = (unsigned char)line[i];
        if (ch >= 0x20 && ch < 0x7f && ch != '\\') shown[o++] = (char)ch;
        else o += (size_t)snprintf(shown + o, sizeof shown - o, "\\x%02x", ch);
    }
    shown[o] = '\0';
    return fail(c, SPARTA__HTTP_FAILED, "malformed %s from %s: \"%s\"", what, c->authority, shown);
}

int sparta__http_init(sparta__http *c, const char *endpoint) {
    memset(c, 0, sizeof *c);
    c->fd = -1;
    if (strncmp(endpoint, "http://", 7) == 0) endpoint += 7;
    size_t n = strlen(endpoint);
    while (n && endpoint[n - 1] == '/') n--;
    if (n == 0 || n >= sizeof c->authority) return SPARTA_LAMBDA_EUSAGE;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)endpoint[i];
        if (ch <= 0x20 || ch >= 0x7f || ch == '/' || ch == '?' || ch == '#' || ch == '@') return SPARTA_LAMBDA_EUSAGE;
    }
    memcpy(c->authority, endpoint, n);
    c->authority[n] = '\0';

    const char *host = c->authority, *port = NULL;
    size_t host_len;
    if (host[0] == '[') { /* [IPv6]:port */
        const char *close = strchr(host, ']');
        if (!close || close == host + 1) return SPARTA_LAMBDA_EUSAGE;
        host_len = (size_t)(close - host - 1);
        host++;
        if (close[1] == ':') port = close + 2;
        else if (close[1] != '\0') return SPARTA_LAMBDA_EUSAGE;
    } else {
        const char *colon = strchr(host, ':');
        if (colon && strchr(colon + 1, ':')) return SPARTA_LAMBDA_EUSAGE; /* bare IPv6 needs brackets */
        host_len = colon ? (size_t)(colon - host) : n;
        if (colon) port = colon + 1;
    }
    if (host_len == 0 || host_len >= sizeof c->host) return SPARTA_LAMBDA_EUSAGE;
    memcpy(c->host, host, host_len);
    c->host[host_len] = '\0';
    if (!port) port = "80";
    size_t port_len = strlen(port);
    if (port_len == 0 || port_len > 5 || strspn(port, "0123456789") != port_len || atoi(port) < 1 ||
        atoi(port) > 65535)
        return SPARTA_LAMBDA_EUSAGE;
    memcpy(c->port, port, port_len + 1);
    return 0;
}

static void disconnect(sparta__http *c) {
    if (c->fd >= 0) close(c->fd);
    c->fd = -1;
    c->reused = 0;
    c->in_start = c->in_end = 0;
}

void sparta__http_free(sparta__http *c) {
    disconnect(c);
    free(c->in);
    c->in = NULL;
    c->in_cap = 0;
}

/* Waits for `events` on the socket; deadline 0 waits forever. */
static int wait_for(int fd, short events, int64_t deadline) {
    for (;;) {
        int timeout = -1;
        if (deadline) {
            int64_t left = deadline - monotonic_ms();
            if (left <= 0) return TIMED_OUT;
            timeout = left > 1000000 ? 1000000 : (int)left;
        }
        struct pollfd p = {fd, events, 0};
        int n = poll(&p, 1, timeout);
        if (n > 0) return RECEIVED;
        if (n == 0 && deadline) continue; /* re-check the clock */
        if (n < 0 && errno != EINTR) return -1;
    }
}

/* One address: non-blocking connect bounded by CONNECT_TIMEOUT_MS, then
 * back to blocking so that a long poll is one recv. Returns the socket, or
 * -1 with errno set. */
static int connect_address(const struct sockaddr *addr, socklen_t len) {
    int fd = socket(addr->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) return -1;
    int err = 0;
    if (connect(fd, addr, len) != 0) {
        err = errno;
        if (err == EINPROGRESS || err == EINTR) {
            int waited = wait_for(fd, POLLOUT, monotonic_ms() + CONNECT_TIMEOUT_MS);
            socklen_t elen = sizeof err;
            if (waited == TIMED_OUT) err = ETIMEDOUT;
            else if (waited < 0) err = errno;
            else if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) != 0) err = errno;
        }
    }
    if (err == 0) {
        int flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) != 0) err = errno;
    }
    if (err) {
        close(fd);
        errno = err;
        return -1;
    }
    int one = 1;
    /* Requests and answers are single small writes: never wait for Nagle. */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof one);
    return fd;
}

static int open_connection(sparta__http *c) {
    /* Numeric addresses (what Lambda gives) skip getaddrinfo, which would
     * open a netlink socket to sort addresses. */
    struct sockaddr_in v4;
    struct sockaddr_in6 v6;
    memset(&v4, 0, sizeof v4);
    memset(&v6, 0, sizeof v6);
    unsigned short port = (unsigned short)atoi(c->port);
    int fd = -1;
    if (inet_pton(AF_INET, c->host, &v4.sin_addr) == 1) {
        v4.sin_family = AF_INET;
        v4.sin_port = htons(port);
        fd = connect_address((struct sockaddr *)&v4, sizeof v4);
    } else if (inet_pton(AF_INET6, c->host, &v6.sin6_addr) == 1) {
        v6.sin6_family = AF_INET6;
        v6.sin6_port = htons(port);
        fd = connect_address((struct sockaddr *)&v6, sizeof v6);
    } else {
        struct addrinfo hints, *list = NULL;
        memset(&hints, 0, sizeof hints);
        hints.ai_family = AF_UNSPEC;
        hints.ai_socktype = SOCK_STREAM;
        hints.ai_flags = AI_NUMERICSERV;
        int rc = getaddrinfo(c->host, c->port, &hints, &list);
        if (rc != 0)
            return fail(c, SPARTA__HTTP_FAILED, "could not resolve %s: %s", c->host,
                        rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
        errno = EADDRNOTAVAIL;
        for (struct addrinfo *a = list; a && fd < 0; a = a->ai_next)
            fd = connect_address(a->ai_addr, a->ai_addrlen);
        freeaddrinfo(list);
    }
    if (fd < 0) return fail(c, SPARTA__HTTP_GONE, "could not connect to %s: %s", c->authority, strerror(errno));
    c->fd = fd;
    c->reused = 0;
    c->in_start = c->in_end = 0;
    return SPARTA__HTTP_OK;
}

static int send_request(sparta__http *c, const char *head, size_t head_len, const char *body, size_t body_len,
                        int64_t deadline) {
    struct iovec iov[2] = {{(void *)head, head_len}, {(void *)body, body_len}};
    struct msghdr msg;
    memset(&msg, 0, sizeof msg);
    msg.msg_iov = iov;
    msg.msg_iovlen = body_len ? 2 : 1;
    while (msg.msg_iovlen) {
        /* MSG_NOSIGNAL: a closed peer is an error to report, not SIGPIPE.
         * MSG_DONTWAIT: a full socket waits in poll, where the deadline holds. */
        ssize_t n = sendmsg(c->fd, &msg, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK) {
                int waited = wait_for(c->fd, POLLOUT, deadline);
                if (waited == TIMED_OUT)
                    return fail(c, SPARTA__HTTP_FAILED, "timed out sending a request to %s", c->authority);
                if (waited < 0) return fail(c, SPARTA__HTTP_GONE, "poll: %s", strerror(errno));
                continue;
            }
            return fail(c, SPARTA__HTTP_GONE, "could not send to %s: %s", c->authority, strerror(errno));
        }
        size_t sent = (size_t)n;
        while (msg.msg_iovlen && sent >= msg.msg_iov[0].iov_len) {
            sent -= msg.msg_iov[0].iov_len;
            msg.msg_iov++;
            msg.msg_iovlen--;
        }
        if (msg.msg_iovlen) {
            msg.msg_iov[0].iov_base = (char *)msg.msg_iov[0].iov_base + sent;
            msg.msg_iov[0].iov_len -= sent;
        }
    }
    return SPARTA__HTTP_OK;
}

/* Reads more bytes into the receive buffer. Returns RECEIVED, CLOSED (the
 * peer closed), TIMED_OUT or -1 (errno). */
static int receive(sparta__http *c, int64_t deadline) {
    if (c->in_start == c->in_end) c->in_start = c->in_end = 0;
    if (c->in_end == c->in_cap) {
        if (c->in_start > 0) {
            memmove(c->in, c->in + c->in_start, c->in_end - c->in_start);
            c->in_end -= c->in_start;
            c->in_start = 0;
        } else {
            /* One line longer than the buffer: only the head limit bounds it. */
            size_t cap = c->in_cap ? c->in_cap * 2 : RECEIVE_BUFFER_BYTES;
            char *in = realloc(c->in, cap);
            if (!in) {
                errno = ENOMEM;
                return -1;
            }
            c->in = in;
            c->in_cap = cap;
        }
    }
    for (;;) {
        if (deadline) {
            int waited = wait_for(c->fd, POLLIN, deadline);
            if (waited != RECEIVED) return waited;
        }
        ssize_t n = recv(c->fd, c->in + c->in_end, c->in_cap - c->in_end, deadline ? MSG_DONTWAIT : 0);
        if (n > 0) {
            c->in_end += (size_t)n;
            return RECEIVED;
        }
        if (n == 0) return CLOSED;
        if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK) return -1;
    }
}

static void body_take(sparta__http_response *res, const char *data, size_t n) {
    res->body_bytes += n;
    /* Past the limit keep reading, so the connection stays usable, but drop
     * the bytes. */
    if (res->body_truncated || !res->body) return;
    if (res->body->len + n > res->body_limit || sparta__buf_append(res->body, data, n) != 0)
        res->body_truncated = 1;
}

static int has_token(const char *value, size_t len, const char *token) {
    size_t t = strlen(token);
    for (size_t i = 0; i + t <= len; i++) {
        if (strncasecmp(value + i, token, t) != 0) continue;
        int starts = i == 0 || value[i - 1] == ',' || value[i - 1] == ' ' || value[i - 1] == '\t';
        int ends = i + t == len || value[i + t] == ',' || value[i + t] == ' ' || value[i + t] == '\t';
        if (starts && ends) return 1;
    }
    return 0;
}

static int parse_status_line(sparta__http *c, parser *p, sparta__http_response *res, const char *line,
                             size_t len) {
    /* HTTP/1.x SSS[ reason] */
    if (len < 12 || memcmp(line, "HTTP/1.", 7) != 0 || (line[7] != '0' && line[7] != '1') || line[8] != ' ' ||
        line[9] < '1' || line[9] > '9' || line[10] < '0' || line[10] > '9' || line[11] < '0' || line[11] > '9' ||
        (len > 12 && line[12] != ' ')) {
        return fail_malformed(c, "status line", line, len);
    }
    int status = (line[9] - '0') * 100 + (line[10] - '0') * 10 + (line[11] - '0');
    if (status == 101)
        return fail(c, SPARTA__HTTP_FAILED, "%s answered 101 Switching Protocols", c->authority);
    p->interim = status < 200;
    p->http10 = line[7] == '0';
    p->keep_alive = 0;
    p->chunked = 0;
    p->has_length = 0;
    p->close_after = 0;
    res->status = status;
    p->state = AT_HEADERS;
    return SPARTA__HTTP_OK;
}

static int parse_header_line(sparta__http *c, parser *p, sparta__http_response *res, const char *line,
                             size_t len) {
    if (line[0] == ' ' || line[0] == '\t') return SPARTA__HTTP_OK; /* obsolete line folding: ignored */
    const char *colon = memchr(line, ':', len);
    /* A bare CR inside a line (RFC 9112 2.2) makes the line invalid. */
    if (!colon || colon == line || memchr(line, '\r', len)) {
        return fail_malformed(c, "header line", line, len);
    }
    size_t name_len = (size_t)(colon - line);
    /* A name with blanks or controls in it ("Content-Length :") is not a
     * field name (RFC 9112 5.1): ignore the line, as libcurl does, so it can
     * neither frame the body nor pass for a Lambda-Runtime-* header. */
    for (size_t i = 0; i < name_len; i++)
        if ((unsigned char)line[i] <= 0x20 || (unsigned char)line[i] == 0x7f) return SPARTA__HTTP_OK;
    const char *value = colon + 1;
    size_t value_len = len - (size_t)(value - line);
    while (value_len && (*value == ' ' || *value == '\t')) value++, value_len--;
    while (value_len && (value[value_len - 1] == ' ' || value[value_len - 1] == '\t')) value_len--;

    if (name_len == 14 && strncasecmp(line, "Content-Length", 14) == 0) {
        unsigned long long v = 0;
        if (value_len == 0 || value_len > 18 || strspn(value, "0123456789") < value_len)
            return fail(c, SPARTA__HTTP_FAILED, "malformed Content-Length from %s", c->authority);
        for (size_t i = 0; i < value_len; i++) v = v * 10 + (unsigned long long)(value[i] - '0');
        if (p->has_length && p->length != v)
            return fail(c, SPARTA__HTTP_FAILED, "conflicting Content-Length headers from %s", c->authority);
        p->has_length = 1;
        p->length = v;
    } else if (name_len == 17 && strncasecmp(line, "Transfer-Encoding", 17) == 0) {
        /* We send no TE or Accept-Encoding, so chunked is the only coding an
         * answer may carry. */
        if (!has_token(value, value_len, "chunked"))
            return fail(c, SPARTA__HTTP_FAILED, "unsupported Transfer-Encoding from %s", c->authority);
        p->chunked = 1;
    } else if (name_len == 10 && strncasecmp(line, "Connection", 10) == 0) {
        if (has_token(value, value_len, "close")) p->close_after = 1;
        if (has_token(value, value_len, "keep-alive")) p->keep_alive = 1;
    }
    if (!p->interim && res->on_header) res->on_header(res->user, line, name_len, value, value_len);
    return SPARTA__HTTP_OK;
}

static void headers_done(parser *p, const sparta__http_response *res) {
    if (p->interim) { /* 100 Continue and friends: the real answer follows */
        p->state = AT_STATUS_LINE;
        return;
    }
    if (p->http10 && !p->keep_alive) p->close_after = 1;
    if (res->status == 204 || res->status == 304) {
        p->state = AT_DONE;
    } else if (p->chunked) {
        p->state = AT_CHUNK_SIZE;
    } else if (p->has_length) {
        p->remaining = p->length;
        p->state = p->length ? AT_BODY_LENGTH : AT_DONE;
    } else {
        p->close_after = 1;
        p->state = AT_BODY_UNTIL_CLOSE;
    }
}

static int parse_chunk_size(sparta__http *c, parser *p, const char *line, size_t len) {
    unsigned long long size = 0;
    size_t i = 0;
    for (; i < len; i++) {
        char ch = line[i];
        int digit = ch >= '0' && ch <= '9' ? ch - '0'
                    : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                    : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
                                             : -1;
        if (digit < 0) break;
        if (size >> 56) return fail(c, SPARTA__HTTP_FAILED, "chunk size too large from %s", c->authority);
        size = size * 16 + (unsigned long long)digit;
    }
    /* Chunk extensions (";name=value") are allowed and ignored. */
    size_t rest = i;
    while (rest < len && (line[rest] == ' ' || line[rest] == '\t')) rest++;
    if (i == 0 || (rest < len && line[rest] != ';')) {
        return fail_malformed(c, "chunk size", line, len);
    }
    p->remaining = size;
    p->state = size ? AT_CHUNK_DATA : AT_TRAILERS;
    p->head_bytes = 0; /* trailers get their own allowance */
    return SPARTA__HTTP_OK;
}

/* Consumes what the buffer holds. Returns OK with p->state AT_DONE when the
 * answer is complete, OK otherwise when it needs more bytes, or an error. */
static int parse(sparta__http *c, parser *p, sparta__http_response *res) {
    while (p->state != AT_DONE && c->in_start < c->in_end) {
        char *data = c->in + c->in_start;
        size_t avail = c->in_end - c->in_start;

        if (p->state == AT_BODY_LENGTH || p->state == AT_CHUNK_DATA || p->state == AT_BODY_UNTIL_CLOSE) {
            size_t take = avail;
            if (p->state != AT_BODY_UNTIL_CLOSE && take > p->remaining) take = (size_t)p->remaining;
            body_take(res, data, take);
            c->in_start += take;
            if (p->state == AT_BODY_UNTIL_CLOSE) continue;
            p->remaining -= take;
            if (p->remaining == 0) p->state = p->state == AT_BODY_LENGTH ? AT_DONE : AT_CHUNK_END;
            continue;
        }

        /* Everything else is a line. */
        int in_head = p->state == AT_STATUS_LINE || p->state == AT_HEADERS || p->state == AT_TRAILERS;
        size_t limit = in_head ? MAX_HEAD_BYTES - p->head_bytes : MAX_CHUNK_LINE_BYTES;
        char *nl = memchr(data, '\n', avail);
        size_t line_len = nl ? (size_t)(nl - data) + 1 : avail;
        if (line_len > limit) {
            if (!in_head) return fail(c, SPARTA__HTTP_FAILED, "chunk size line too long from %s", c->authority);
            return fail(c, SPARTA__HTTP_FAILED, "response headers from %s exceed %d bytes", c->authority,
                        MAX_HEAD_BYTES);
        }
        if (!nl) break; /* need the rest of the line */
        c->in_start += line_len;
        if (in_head) p->head_bytes += line_len;
        size_t len = line_len - 1;
        if (len && data[len - 1] == '\r') len--;

        int rc = SPARTA__HTTP_OK;
        switch (p->state) {
        case AT_STATUS_LINE:
            /* Tolerate blank lines before a status line (RFC 9112 2.2). */
            if (len) rc = parse_status_line(c, p, res, data, len);
            break;
        case AT_HEADERS:
            if (len == 0) headers_done(p, res);
            else rc = parse_header_line(c, p, res, data, len);
            break;
        case AT_CHUNK_SIZE: rc = parse_chunk_size(c, p, data, len); break;
        case AT_CHUNK_END:
            if (len) return fail(c, SPARTA__HTTP_FAILED, "malformed chunked body from %s", c->authority);
            p->state = AT_CHUNK_SIZE;
            break;
        case AT_TRAILERS:
            if (len == 0) p->state = AT_DONE;
            break;
        default: break;
        }
        if (rc != SPARTA__HTTP_OK) return rc;
    }
    return SPARTA__HTTP_OK;
}

static int read_response(sparta__http *c, sparta__http_response *res, int64_t deadline, size_t *received) {
    parser p;
    memset(&p, 0, sizeof p);
    p.state = AT_STATUS_LINE;
    *received = 0;
    for (;;) {
        int rc = parse(c, &p, res);
        if (rc != SPARTA__HTTP_OK) return rc;
        if (p.state == AT_DONE) break;
        size_t before = c->in_end - c->in_start;
        int got = receive(c, deadline);
        if (got == RECEIVED) {
            *received += c->in_end - c->in_start - before;
            continue;
        }
        if (got == TIMED_OUT)
            return fail(c, SPARTA__HTTP_FAILED, "timed out waiting for an answer from %s", c->authority);
        if (got == CLOSED && p.state == AT_BODY_UNTIL_CLOSE) break;
        if (got < 0 && errno == ENOMEM)
            return fail(c, SPARTA__HTTP_FAILED, "out of memory reading an answer from %s", c->authority);
        if (got == CLOSED)
            return fail(c, SPARTA__HTTP_GONE, "%s closed the connection %s", c->authority,
                        *received ? "in the middle of an answer" : "without answering");
        return fail(c, SPARTA__HTTP_GONE, "could not read from %s: %s", c->authority, strerror(errno));
    }
    /* Bytes after a complete answer were never asked for: do not trust
     * the rest of this connection. */
    if (p.close_after || c->in_start != c->in_end) disconnect(c);
    else c->reused = 1;
    return SPARTA__HTTP_OK;
}

int sparta__http_exchange(sparta__http *c, const char *head, size_t head_len, const char *body, size_t body_len,
                          int timeout_ms, sparta__http_response *res) {
    int64_t deadline = timeout_ms > 0 ? monotonic_ms() + timeout_ms : 0;
    for (int attempt = 0;; attempt++) {
        res->status = 0;
        res->body_bytes = 0;
        res->body_truncated = 0;
        if (res->body) sparta__buf_clear(res->body);
        if (res->on_reset) res->on_reset(res->user);
        c->error[0] = '\0';

        int was_reused = 0;
        if (c->fd < 0) {
            int rc = open_connection(c);
            if (rc != SPARTA__HTTP_OK) return rc;
        } else {
            was_reused = c->reused;
        }
        c->in_start = c->in_end = 0;
        size_t received = 0;
        int rc = send_request(c, head, head_len, body, body_len, deadline);
        if (rc == SPARTA__HTTP_OK) rc = read_response(c, res, deadline, &received);
        if (rc == SPARTA__HTTP_OK) return rc;
        disconnect(c);
        /* A kept-alive connection the server closed while it sat idle fails
         * before any answer: try once more on a fresh one, as libcurl does. */
        if (rc == SPARTA__HTTP_GONE && was_reused && received == 0 && attempt == 0) continue;
        return rc;
    }
}
