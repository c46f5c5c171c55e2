#include "fake_runtime_api.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 16

typedef struct conn {
    int fd;
    int number;
    char *buf;
    size_t len;
    size_t cap;
} conn;

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int fake_server_start(fake_server *s, const fake_event *events, size_t n_events) {
    memset(s, 0, sizeof *s);
    s->events = events;
    s->n_events = n_events;
    s->listen_fd = socket(AF_INET, SOCK_STREAM, 0);
    if (s->listen_fd < 0) return -1;
    int one = 1;
    setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof addr;
    if (bind(s->listen_fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(s->listen_fd, 16) != 0 ||
        getsockname(s->listen_fd, (struct sockaddr *)&addr, &len) != 0) {
        close(s->listen_fd);
        s->listen_fd = -1;
        return -1;
    }
    s->port = ntohs(addr.sin_port);
    snprintf(s->endpoint, sizeof s->endpoint, "127.0.0.1:%d", s->port);
    return 0;
}

void fake_server_free(fake_server *s) {
    if (s->listen_fd >= 0) close(s->listen_fd);
    s->listen_fd = -1;
    for (size_t i = 0; i < s->n_requests; i++) {
        free(s->requests[i].headers);
        free(s->requests[i].body);
    }
    s->n_requests = 0;
}

static int send_all(int fd, const char *data, size_t len) {
    while (len) {
        ssize_t n = send(fd, data, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        data += n;
        len -= (size_t)n;
    }
    return 0;
}

/* The whole answer, or (piece_bytes) the answer a few bytes at a time with
 * a pause between, so the runtime reads it in many small pieces. */
static int deliver(const fake_server *s, int fd, const char *data, size_t len) {
    if (!s->piece_bytes) return send_all(fd, data, len);
    while (len) {
        size_t n = len < s->piece_bytes ? len : s->piece_bytes;
        if (send_all(fd, data, n) != 0) return -1;
        data += n;
        len -= n;
        struct timespec pause = {0, 100 * 1000};
        nanosleep(&pause, NULL);
    }
    return 0;
}

/* One send per answer, and TCP_NODELAY: a header/body split would meet
 * Nagle and delayed ACKs and cost 40 ms an answer. */
static int answer(const fake_server *s, int fd, int status, const char *reason, const char *headers, const char *body, size_t body_len,
                  int close_after) {
    char head[8192];
    int n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n%sContent-Length: %zu\r\n%s\r\n",
                     status, reason, headers ? headers : "", body_len, close_after ? "Connection: close\r\n" : "");
    if (n < 0 || (size_t)n >= sizeof head) return -1;
    char *all = malloc((size_t)n + body_len);
    if (!all) return -1;
    memcpy(all, head, (size_t)n);
    if (body_len) memcpy(all + n, body, body_len);
    int rc = deliver(s, fd, all, (size_t)n + body_len);
    free(all);
    return rc;
}

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Returns 1 to keep the connection, 0 to close it. */
static int handle(fake_server *s, conn *c, const char *method, const char *path) {
    if (strcmp(method, "GET") == 0 && strcmp(path, "/2018-06-01/runtime/invocation/next") == 0) {
        if (s->next_status) {
            const char *body = "{\"errorMessage\":\"fake failure\",\"errorType\":\"Fake\"}";
            answer(s, c->fd, s->next_status, "Error", NULL, body, strlen(body), 1);
            return 0;
        }
        if (s->served == s->n_events) {
            /* Out of events: the endpoint goes away. */
            if (s->listen_fd >= 0) close(s->listen_fd);
            s->listen_fd = -1;
            return 0;
        }
        const fake_event *e = &s->events[s->served++];
        if (e->raw) {
            int ok = deliver(s, c->fd, e->raw, e->raw_len ? e->raw_len : strlen(e->raw)) == 0 && !e->hangup;
            if (s->vanish && s->served == s->n_events) {
                if (s->listen_fd >= 0) close(s->listen_fd);
                s->listen_fd = -1;
                return 0;
            }
            return ok;
        }
        char headers[6144];
        size_t at = 0;
        if (e->id) at += (size_t)snprintf(headers + at, sizeof headers - at, "Lambda-Runtime-Aws-Request-Id: %s\r\n", e->id);
        if (!e->no_deadline) {
            if (e->deadline)
                at += (size_t)snprintf(headers + at, sizeof headers - at, "Lambda-Runtime-Deadline-Ms: %s\r\n", e->deadline);
            else
                at += (size_t)snprintf(headers + at, sizeof headers - at, "Lambda-Runtime-Deadline-Ms: %lld\r\n",
                                       now_ms() + (e->deadline_in_ms ? e->deadline_in_ms : 60000));
        }
        at += (size_t)snprintf(headers + at, sizeof headers - at,
                               "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:123456789012:function:fake\r\n%s",
                               e->extra_headers ? e->extra_headers : "");
        const char *body = e->body ? e->body : "";
        size_t len = e->body_len ? e->body_len : strlen(body);
        int ok = answer(s, c->fd, 200, "OK", headers, body, len, s->close_each) == 0 && !s->close_each && !e->hangup;
        if (s->vanish && s->served == s->n_events) {
            if (s->listen_fd >= 0) close(s->listen_fd);
            s->listen_fd = -1;
            return 0;
        }
        return ok;
    }
    if (strcmp(method, "POST") == 0 &&
        (ends_with(path, "/response") || ends_with(path, "/error"))) {
        if (s->post_answer_raw)
            return deliver(s, c->fd, s->post_answer_raw, strlen(s->post_answer_raw)) == 0 && !s->close_idle;
        int status = 202;
        if (ends_with(path, "/response") && s->response_status) status = s->response_status;
        const char *body = status == 202 ? "{\"status\":\"OK\"}" : "{\"errorMessage\":\"refused\"}";
        return answer(s, c->fd, status, status == 202 ? "Accepted" : "Refused", NULL, body, strlen(body), s->close_each) == 0 &&
               !s->close_each && !s->close_idle;
    }
    const char *body = "{\"errorMessage\":\"not found\"}";
    answer(s, c->fd, 404, "Not Found", NULL, body, strlen(body), 1);
    return 0;
}

/* Parses and answers every complete request in the buffer. Returns 0 when
 * the connection should close. */
static int process(fake_server *s, conn *c) {
    for (;;) {
        char *end = NULL;
        for (size_t i = 0; i + 3 < c->len; i++)
            if (memcmp(c->buf + i, "\r\n\r\n", 4) == 0) {
                end = c->buf + i;
                break;
            }
        if (!end) return 1;
        size_t head_len = (size_t)(end - c->buf) + 4;
        size_t content_length = 0;
        /* Content-Length, case-insensitively. */
        for (char *p = c->buf; p < end; p++) {
            if ((p == c->buf || p[-1] == '\n') && strncasecmp(p, "Content-Length:", 15) == 0) {
                content_length = strtoul(p + 15, NULL, 10);
                break;
            }
        }
        if (c->len < head_len + content_length) return 1;
        if (s->n_requests < FAKE_MAX_REQUESTS) {
            fake_request *r = &s->requests[s->n_requests++];
            memset(r, 0, sizeof *r);
            sscanf(c->buf, "%15s %1023s", r->method, r->path);
            r->headers = strndup(c->buf, head_len);
            r->body = malloc(content_length + 1);
            memcpy(r->body, c->buf + head_len, content_length);
            r->body[content_length] = '\0';
            r->body_len = content_length;
            r->connection = c->number;
        }
        char method[16] = "", path[1024] = "";
        sscanf(c->buf, "%15s %1023s", method, path);
        size_t used = head_len + content_length;
        memmove(c->buf, c->buf + used, c->len - used);
        c->len -= used;
        if (!handle(s, c, method, path)) return 0;
    }
}

static void conn_close(conn *c) {
    close(c->fd);
    free(c->buf);
    memset(c, 0, sizeof *c);
    c->fd = -1;
}

int fake_server_serve(fake_server *s, pid_t child, int timeout_ms) {
    conn conns[MAX_CONNS];
    for (int i = 0; i < MAX_CONNS; i++) {
        memset(&conns[i], 0, sizeof conns[i]);
        conns[i].fd = -1;
    }
    long long deadline = now_ms() + timeout_ms;
    int child_status = 0;
    int child_done = 0;
    while (now_ms() < deadline) {
        struct pollfd fds[MAX_CONNS + 1];
        int map[MAX_CONNS + 1];
        int n = 0, open_conns = 0;
        if (s->listen_fd >= 0) {
            fds[n] = (struct pollfd){s->listen_fd, POLLIN, 0};
            map[n++] = -1;
        }
        for (int i = 0; i < MAX_CONNS; i++)
            if (conns[i].fd >= 0) {
                fds[n] = (struct pollfd){conns[i].fd, POLLIN, 0};
                map[n++] = i;
                open_conns++;
            }
        if (child_done && open_conns == 0) break;
        poll(fds, (nfds_t)n, 10);
        for (int k = 0; k < n; k++) {
            if (!(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            if (map[k] < 0) {
                if (s->listen_fd < 0) continue;
                int fd = accept(s->listen_fd, NULL, NULL);
                if (fd < 0) continue;
                int slot = -1;
                for (int i = 0; i < MAX_CONNS; i++)
                    if (conns[i].fd < 0) {
                        slot = i;
                        break;
                    }
                if (slot < 0) {
                    close(fd);
                    continue;
                }
                int one = 1;
                setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                conns[slot].fd = fd;
                conns[slot].number = ++s->connections;
                continue;
            }
            conn *c = &conns[map[k]];
            if (c->fd < 0) continue;
            if (c->cap - c->len < 65536) {
                c->cap = c->cap ? c->cap * 2 : 131072;
                c->buf = realloc(c->buf, c->cap);
            }
            ssize_t got = recv(c->fd, c->buf + c->len, c->cap - c->len - 1, 0);
            if (got <= 0) {
                conn_close(c);
                continue;
            }
            c->len += (size_t)got;
            if (!process(s, c)) conn_close(c);
        }
        if (!child_done && waitpid(child, &child_status, WNOHANG) == child) child_done = 1;
    }
    for (int i = 0; i < MAX_CONNS; i++)
        if (conns[i].fd >= 0) conn_close(&conns[i]);
    if (!child_done) {
        if (waitpid(child, &child_status, WNOHANG) == child) return child_status;
        kill(child, SIGKILL);
        waitpid(child, &child_status, 0);
        return -1;
    }
    return child_status;
}

const fake_request *fake_find(const fake_server *s, const char *suffix, int nth) {
    for (size_t i = 0; i < s->n_requests; i++)
        if (ends_with(s->requests[i].path, suffix) && nth-- == 0) return &s->requests[i];
    return NULL;
}

size_t fake_count(const fake_server *s, const char *suffix) {
    size_t n = 0;
    for (size_t i = 0; i < s->n_requests; i++)
        if (ends_with(s->requests[i].path, suffix)) n++;
    return n;
}

const char *fake_header(const fake_request *r, const char *name, char *out, size_t size) {
    size_t name_len = strlen(name);
    for (const char *p = r->headers; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
        if (strncasecmp(p, name, name_len) == 0 && p[name_len] == ':') {
            const char *v = p + name_len + 1;
            while (*v == ' ') v++;
            size_t n = strcspn(v, "\r\n");
            if (n >= size) n = size - 1;
            memcpy(out, v, n);
            out[n] = '\0';
            return out;
        }
    }
    return NULL;
}
