#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* setenv, strndup */
#endif
#include "local_aws.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "test_support.h"

int local_aws_free_port(void) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in a;
    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    int port = -1;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) == 0 && getsockname(fd, (struct sockaddr *)&a, &len) == 0)
        port = ntohs(a.sin_port);
    close(fd);
    return port;
}

typedef struct sink {
    char *data;
    size_t len;
} sink;

static size_t to_sink(char *d, size_t s, size_t n, void *u) {
    sink *k = u;
    char *g = realloc(k->data, k->len + s * n + 1);
    if (!g) return 0;
    k->data = g;
    memcpy(k->data + k->len, d, s * n);
    k->len += s * n;
    k->data[k->len] = '\0';
    return s * n;
}

long local_http(const char *method, const char *url, const char *body, char **response) {
    CURL *h = curl_easy_init();
    if (!h) return -1;
    sink k = {NULL, 0};
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (body) curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, 5000L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 1000L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, to_sink);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &k);
    long status = -1;
    if (curl_easy_perform(h) == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(h);
    if (response) *response = k.data ? k.data : strdup("");
    else free(k.data);
    return status;
}

static pid_t spawn(char *const argv[], const char *log_path) {
    pid_t pid = fork();
    if (pid != 0) return pid;
    int fd = open(log_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
        dup2(fd, 1);
        dup2(fd, 2);
        close(fd);
    }
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    execvp(argv[0], argv);
    _exit(127);
}

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Polls url until 200, the child exits, or the deadline passes. */
static int wait_ready(local_aws *m, const char *url, double seconds) {
    double end = now_s() + seconds;
    while (now_s() < end) {
        int status;
        if (waitpid(m->pid, &status, WNOHANG) == m->pid) {
            fprintf(stderr, "\nlocal AWS process exited early; its log (%s) says:\n", m->log_path);
            char cmd[320];
            snprintf(cmd, sizeof cmd, "tail -n 20 '%s' >&2", m->log_path);
            if (system(cmd) != 0) fprintf(stderr, "(no log)\n");
            m->pid = 0;
            return -1;
        }
        if (local_http("GET", url, NULL, NULL) == 200) return 0;
        usleep(100 * 1000);
    }
    fprintf(stderr, "\n%s did not answer 200 within %.0f s (log: %s)\n", url, seconds, m->log_path);
    local_aws_stop(m);
    return -1;
}

int local_aws_start(local_aws *m) {
    memset(m, 0, sizeof *m);
    if (system("command -v moto_server >/dev/null 2>&1") != 0) {
        fprintf(stderr, "\nmoto_server is not installed (it comes with the Python package moto, "
                        "`pip install 'moto[server]'`): the AWS integration tests need it\n");
        return -1;
    }
    m->port = local_aws_free_port();
    if (m->port <= 0) return -1;
    snprintf(m->endpoint, sizeof m->endpoint, "http://localhost:%d", m->port);
    snprintf(m->log_path, sizeof m->log_path, "%s/sparta-moto-%d.log",
             getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", m->port);
    char port[16];
    snprintf(port, sizeof port, "%d", m->port);
    char *argv[] = {"moto_server", "-H", "127.0.0.1", "-p", port, NULL};
    m->pid = spawn(argv, m->log_path);
    if (m->pid < 0) return -1;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/moto-api/data.json", m->port);
    return wait_ready(m, url, 15.0);
}

int local_aws_reset(const local_aws *m) {
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/moto-api/reset", m->port);
    return local_http("POST", url, "", NULL) == 200 ? 0 : -1;
}

void local_aws_set_env(const local_aws *m) {
    setenv("AWS_ENDPOINT_URL", m->endpoint, 1);
    setenv("AWS_ACCESS_KEY_ID", "testing", 1);
    setenv("AWS_SECRET_ACCESS_KEY", "testing", 1);
    setenv("AWS_REGION", "us-east-1", 1);
    setenv("AWS_DEFAULT_REGION", "us-east-1", 1);
    setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
    const char *clear[] = {"AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL_S3",
                           "AWS_ENDPOINT_URL_CLOUDFORMATION", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                           "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_MAX_ATTEMPTS", NULL};
    for (const char **v = clear; *v; v++) unsetenv(*v);
}

void local_aws_stop(local_aws *m) {
    if (m->pid <= 0) return;
    kill(m->pid, SIGTERM);
    for (int i = 0; i < 30; i++) {
        if (waitpid(m->pid, NULL, WNOHANG) == m->pid) {
            m->pid = 0;
            return;
        }
        usleep(100 * 1000);
    }
    kill(m->pid, SIGKILL);
    waitpid(m->pid, NULL, 0);
    m->pid = 0;
}

int local_aws_fresh(local_aws *m) {
    if (m->pid > 0) return local_aws_reset(m);
    if (local_aws_start(m) != 0) return -1;
    local_aws_set_env(m);
    return 0;
}

int local_aws_cli(const local_aws *m, char **out, const char *args) {
    char *output = NULL;
    int rc = test_sh(&output, "aws --endpoint-url %s --region us-east-1 %s", m->endpoint, args);
    if (out) *out = output;
    else {
        if (rc != 0) fprintf(stderr, "\naws %s (exit %d):\n%s\n", args, rc, output ? output : "");
        free(output);
    }
    return rc;
}

int local_aws_clif(const local_aws *m, char **out, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *args = test_vstrf(fmt, ap);
    va_end(ap);
    if (!args) return -1;
    int rc = local_aws_cli(m, out, args);
    free(args);
    return rc;
}

int local_proxy_start(local_aws *p, const char *upstream, int idle_seconds) {
    memset(p, 0, sizeof *p);
    p->port = local_aws_free_port();
    if (p->port <= 0) return -1;
    snprintf(p->endpoint, sizeof p->endpoint, "http://localhost:%d", p->port);
    snprintf(p->log_path, sizeof p->log_path, "%s/sparta-proxy-%d.log",
             getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", p->port);
    char port[16], idle[16], parent[16];
    snprintf(port, sizeof port, "%d", p->port);
    snprintf(idle, sizeof idle, "%d", idle_seconds > 0 ? idle_seconds : 60);
    snprintf(parent, sizeof parent, "%d", (int)getpid());
    char *argv[] = {"python3", SPARTA_SOURCE_DIR "/tests/tools/aws_fault_proxy.py", "--port", port,
                    "--idle", idle, "--parent", parent, "--upstream", (char *)(upstream ? upstream : ""), NULL};
    p->pid = spawn(argv, p->log_path);
    if (p->pid < 0) return -1;
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/__proxy/stats", p->port);
    return wait_ready(p, url, 10.0);
}

int local_proxy_rules(const local_aws *p, const char *rules_json) {
    char url[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/__proxy/rules", p->port);
    return local_http("POST", url, rules_json, NULL) == 200 ? 0 : -1;
}

char *local_proxy_get(const local_aws *p, const char *what) {
    char url[160], *out = NULL;
    snprintf(url, sizeof url, "http://127.0.0.1:%d/__proxy/%s", p->port, what);
    if (local_http("GET", url, NULL, &out) != 200) {
        free(out);
        return NULL;
    }
    return out;
}
