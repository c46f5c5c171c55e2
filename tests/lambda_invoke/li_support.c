#include "li_support.h"

#include <errno.h>
#include <signal.h>
#include <sparta/sparta.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "test_support.h"

static char *service_dir;

static double now_s(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

const char *li_service(void) {
    if (service_dir) return service_dir;
    service_dir = test_tmpdir();
    CU_ASSERT_PTR_NOT_NULL_FATAL(service_dir);
    const char *boot = SPARTA_BINARY_DIR "/contrib/functions/hello/function/bootstrap";
    int rc = test_sh(NULL,
                     "cd '%s' && cp -p '%s'/tests/lambda_invoke/fixtures/* . && chmod 755 *.sh *.py && "
                     "chmod 644 app.py && cp -p '%s' bootstrap && mkdir fn && cp -p '%s' fn/bootstrap",
                     service_dir, SPARTA_SOURCE_DIR, boot, boot);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    return service_dir;
}

char *li_path(const char *name) { return test_strf("%s/%s", li_service(), name); }

void li_write(const char *name, const char *text) {
    char *path = li_path(name);
    CU_ASSERT_EQUAL_FATAL(test_write_file(path, text), 0);
    free(path);
}

void li_remove(const char *name) {
    char *path = li_path(name);
    unlink(path);
    free(path);
}

void li_cleanup(void) {
    if (service_dir) test_rmtree(service_dir);
    free(service_dir);
    service_dir = NULL;
}

li_run li_sparta(const char *args_fmt, ...) {
    va_list ap;
    va_start(ap, args_fmt);
    char *args = NULL;
    if (vasprintf(&args, args_fmt, ap) < 0) args = NULL;
    va_end(ap);
    li_run r = {-1, NULL, NULL, 0};
    const char *dir = li_service();
    double t0 = now_s();
    r.status = test_sh(NULL, "cd '%s' && '%s' %s >run.out 2>run.err", dir, test_sparta_bin(), args ? args : "");
    r.seconds = now_s() - t0;
    char *out = li_path("run.out"), *err = li_path("run.err");
    r.out = test_read_file(out, NULL);
    r.err = test_read_file(err, NULL);
    if (!r.out) r.out = strdup("");
    if (!r.err) r.err = strdup("");
    free(out);
    free(err);
    free(args);
    return r;
}

typedef struct sink {
    char *text;
    size_t length;
} sink;

static void sink_add(sink *s, const char *text, size_t n) {
    char *grown = realloc(s->text, s->length + n + 1);
    if (!grown) return;
    s->text = grown;
    memcpy(s->text + s->length, text, n);
    s->length += n;
    s->text[s->length] = '\0';
}

static void on_log(void *user_data, sparta_log_level level, const char *line) {
    (void)level;
    sink_add(user_data, line, strlen(line));
    sink_add(user_data, "\n", 1);
}

static void on_print(void *user_data, const char *text, size_t length) { sink_add(user_data, text, length); }

li_run li_embedded(int argc, const char *const *argv) {
    li_run r = {-1, NULL, NULL, 0};
    sink out = {NULL, 0}, log = {NULL, 0};
    char *cfg = li_path("sparta.cfg");
    sparta_options o = SPARTA_OPTIONS_INIT;
    o.config_path = cfg;
    o.log = on_log;
    o.log_user_data = &log;
    o.print = on_print;
    o.print_user_data = &out;
    sparta_host *h = NULL;
    CU_ASSERT_EQUAL_FATAL(sparta_host_new(&h, &o), 0);
    double t0 = now_s();
    r.status = sparta_host_run(h, argc, argv);
    r.seconds = now_s() - t0;
    const sparta_error *e = sparta_host_last_error(h);
    if (r.status != 0 && e && e->message) {
        sink_add(&log, e->message, strlen(e->message));
        sink_add(&log, "\n", 1);
    }
    sparta_host_free(h);
    free(cfg);
    r.out = out.text ? out.text : strdup("");
    r.err = log.text ? log.text : strdup("");
    return r;
}

void li_run_free(li_run *r) {
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

char *li_json(const char *json_text, const char *expr) {
    li_write("check.json", json_text ? json_text : "");
    char *script = test_strf("import json, sys\nd = json.load(open(sys.argv[1]))\nprint(%s)\n", expr);
    li_write("check.py", script);
    free(script);
    char *output = NULL;
    int rc = test_sh(&output, "cd '%s' && python3 check.py check.json", li_service());
    if (rc != 0) {
        fprintf(stderr, "\npython3 could not evaluate %s over:\n%s\n%s\n", expr, json_text ? json_text : "",
                output ? output : "");
        free(output);
        return NULL;
    }
    size_t n = strlen(output);
    while (n && (output[n - 1] == '\n' || output[n - 1] == '\r')) output[--n] = '\0';
    return output;
}

void li_assert_json(const char *json_text, const char *expr, const char *want, const char *file, int line) {
    char *got = li_json(json_text, expr);
    int ok = got && strcmp(got, want) == 0;
    if (!ok) fprintf(stderr, "\n%s:%d: %s is [%s], want [%s]\n", file, line, expr, got ? got : "(error)", want);
    CU_assertImplementation(ok, line, "JSON value as expected", file, "", CU_FALSE);
    free(got);
}

pid_t li_read_pid(const char *name) {
    char *path = li_path(name);
    char *text = test_read_file(path, NULL);
    free(path);
    long pid = text ? strtol(text, NULL, 10) : -1;
    free(text);
    return pid > 0 ? (pid_t)pid : -1;
}

static int zombie(pid_t pid) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    char *stat = test_read_file(path, NULL);
    if (!stat) return 1; /* gone meanwhile */
    const char *close_paren = strrchr(stat, ')');
    int z = close_paren && close_paren[1] == ' ' && close_paren[2] == 'Z';
    free(stat);
    return z;
}

int li_gone(pid_t pid, double seconds) {
    if (pid <= 0) return 0;
    double until = now_s() + seconds;
    for (;;) {
        if (kill(pid, 0) != 0 && errno == ESRCH) return 1;
        if (zombie(pid)) return 1;
        if (now_s() >= until) return 0;
        usleep(20000);
    }
}
