/* The Lambda runtime loop benchmark: a minimal Runtime API endpoint on
 * 127.0.0.1 serving N invocations to a bootstrap it starts itself, timing
 * the cold start (exec -> first `next` request) and invocations per second.
 *   runtime_loop_bench N BOOTSTRAP [HANDLER]
 * BOOTSTRAP is an executable, or a command split at spaces (no quoting),
 * e.g. "python3 bench/runtime/python_bootstrap.py".
 * Prints: cold_start_ms=<x> invocations=<n> seconds=<s> per_second=<r> */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef struct conn {
    int fd;
    char buf[65536];
    size_t len;
} conn;

/* Reads one whole request (headers + Content-Length body); 1 ok, 0 closed,
 * failed or timed out (SO_RCVTIMEO on the socket bounds each read: no poll
 * per request, so the endpoint adds as few syscalls as it can to the loop
 * it measures). */
static int read_request(conn *c, char *first_line, size_t cap) {
    for (;;) {
        char *end = memmem(c->buf, c->len, "\r\n\r\n", 4);
        if (end) {
            size_t head = (size_t)(end - c->buf) + 4, body = 0;
            char *cl = memmem(c->buf, head, "Content-Length:", 15);
            if (!cl) cl = memmem(c->buf, head, "content-length:", 15);
            if (cl) body = strtoul(cl + 15, NULL, 10);
            if (c->len >= head + body) {
                char *eol = memchr(c->buf, '\r', head);
                size_t n = eol ? (size_t)(eol - c->buf) : 0;
                if (n >= cap) n = cap - 1;
                memcpy(first_line, c->buf, n);
                first_line[n] = '\0';
                memmove(c->buf, c->buf + head + body, c->len - head - body);
                c->len -= head + body;
                return 1;
            }
        }
        ssize_t n = read(c->fd, c->buf + c->len, sizeof c->buf - c->len);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return 0;
        c->len += (size_t)n;
    }
}

static int write_all(int fd, const char *s, size_t n) {
    while (n) {
        ssize_t w = write(fd, s, n);
        if (w <= 0) return -1;
        s += w;
        n -= (size_t)w;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 3) {
        fprintf(stderr, "usage: %s INVOCATIONS BOOTSTRAP [HANDLER]\n", argv[0]);
        return 2;
    }
    long total = atol(argv[1]);
    int lfd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {0};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t alen = sizeof a;
    if (bind(lfd, (struct sockaddr *)&a, sizeof a) != 0 || listen(lfd, 16) != 0 ||
        getsockname(lfd, (struct sockaddr *)&a, &alen) != 0) {
        perror("listen");
        return 1;
    }
    char endpoint[64], limit[32];
    snprintf(endpoint, sizeof endpoint, "127.0.0.1:%d", ntohs(a.sin_port));
    snprintf(limit, sizeof limit, "%ld", total);
    double started = now();
    pid_t pid = fork();
    if (pid == 0) {
        setenv("AWS_LAMBDA_RUNTIME_API", endpoint, 1);
        setenv("_HANDLER", argc > 3 ? argv[3] : "echo", 1);
        setenv("SPARTA_LAMBDA_MAX_INVOCATIONS", limit, 1);
        setenv("AWS_LAMBDA_FUNCTION_NAME", "bench", 1);
        setenv("AWS_LAMBDA_LOG_LEVEL", "ERROR", 1);
        int devnull = open("/dev/null", 1);
        if (devnull >= 0) dup2(devnull, 2);
        char *words[16];
        int n = 0;
        for (char *w = strtok(argv[2], " "); w && n < 15; w = strtok(NULL, " ")) words[n++] = w;
        words[n] = NULL;
        if (n == 0) _exit(127);
        execvp(words[0], words);
        _exit(127);
    }
    double first_next = 0, loop_start = 0;
    long served = 0, answered = 0;
    conn *c = calloc(1, sizeof *c);
    c->fd = -1;
    char line[512];
    const char *event = "{\"bench\":true}";
    while (answered < total) {
        if (c->fd < 0) {
            struct pollfd p = {lfd, POLLIN, 0};
            if (poll(&p, 1, 10000) <= 0) break; /* bounded: the bootstrap never came */
            c->fd = accept(lfd, NULL, NULL);
            if (c->fd < 0) break;
            int one = 1;
            setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
            struct timeval bound = {10, 0}; /* the bootstrap hung: give up */
            setsockopt(c->fd, SOL_SOCKET, SO_RCVTIMEO, &bound, sizeof bound);
            c->len = 0;
        }
        if (!read_request(c, line, sizeof line)) {
            close(c->fd);
            c->fd = -1;
            continue;
        }
        char reply[512];
        if (strncmp(line, "GET ", 4) == 0 && strstr(line, "/invocation/next")) {
            if (!first_next) first_next = loop_start = now();
            served++;
            int n = snprintf(reply, sizeof reply,
                             "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: req-%ld\r\n"
                             "Lambda-Runtime-Deadline-Ms: 9999999999999\r\n"
                             "Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:123456789012:function:bench\r\n"
                             "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                             served, strlen(event), event);
            write_all(c->fd, reply, (size_t)n);
        } else {
            answered++;
            static const char accepted[] = "HTTP/1.1 202 Accepted\r\nContent-Length: 16\r\n\r\n{\"status\":\"OK\"}\n";
            write_all(c->fd, accepted, sizeof accepted - 1);
        }
    }
    double finished = now();
    if (c->fd >= 0) close(c->fd);
    close(lfd);
    int status = 0;
    for (int i = 0; i < 200 && waitpid(pid, &status, WNOHANG) == 0; i++) usleep(10000);
    if (waitpid(pid, &status, WNOHANG) == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    if (answered < total) {
        fprintf(stderr, "runtime_loop_bench: only %ld of %ld invocations answered\n", answered, total);
        return 1;
    }
    double seconds = finished - loop_start;
    printf("cold_start_ms=%.3f invocations=%ld seconds=%.4f per_second=%.0f\n", (first_next - started) * 1000,
           answered, seconds, seconds > 0 ? (double)answered / seconds : 0);
    free(c);
    return 0;
}
