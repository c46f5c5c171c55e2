/* `sparta invoke` without --remote: runs a provided.* function the way
 * Lambda does. It serves the Runtime API on 127.0.0.1 (invoke_server.c),
 * starts the function's bootstrap with Lambda's environment, hands it the
 * event, waits (bounded) for the answer, then stops the process and reaps
 * it. Every wait has a deadline:
 *   init         the bootstrap must ask for its event within the timeout
 *   invocation   and answer within the timeout after that
 *   shutdown     after the answer it may exit by itself (its next `next` is
 *                closed); else SIGTERM, then SIGKILL after a grace period.
 * The bootstrap runs in its own process group, so a script's children are
 * stopped with it. Its stdout goes to sparta's stderr: stdout carries only
 * the result. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "invoke.h"

#define API lambda_api

#define TICK_MS 20              /* how often the child's state is checked */
#define EXIT_ON_ITS_OWN_MS 1000 /* after the answer: time to exit by itself */
#define TERM_GRACE_MS 1000      /* SIGTERM .. SIGKILL */
#define FD_CLOSE_MAX 4096       /* without /proc: descriptors closed in the child */

extern char **environ;

/* ---- the environment ---------------------------------------------------------- */

typedef struct env_list {
    char **items; /* "KEY=VALUE", NULL-terminated */
    size_t count, cap;
    int failed;
} env_list;

static void env_set(env_list *e, const char *key, const char *value) {
    size_t klen = strlen(key);
    char *item = NULL;
    if (asprintf(&item, "%s=%s", key, value) < 0) {
        e->failed = 1;
        return;
    }
    for (size_t i = 0; i < e->count; i++) {
        if (strncmp(e->items[i], key, klen) == 0 && e->items[i][klen] == '=') {
            free(e->items[i]);
            e->items[i] = item;
            return;
        }
    }
    if (e->count + 2 > e->cap) {
        size_t cap = e->cap ? e->cap * 2 : 64;
        char **grown = realloc(e->items, cap * sizeof *grown);
        if (!grown) {
            free(item);
            e->failed = 1;
            return;
        }
        e->items = grown;
        e->cap = cap;
    }
    e->items[e->count++] = item;
    e->items[e->count] = NULL;
}

static void env_free(env_list *e) {
    for (size_t i = 0; i < e->count; i++) free(e->items[i]);
    free(e->items);
    memset(e, 0, sizeof *e);
}

/* What a local run keeps from sparta's own environment: the basics, the AWS
 * settings a function needs to call AWS (credentials, region, endpoints),
 * the runtime's log settings and sanitizer options. Lambda's own variables
 * are set afresh below. */
static int inherited(const char *item) {
    static const char *const exact[] = {"PATH", "HOME", "USER", "LANG", "TMPDIR", "LD_LIBRARY_PATH", "NO_COLOR",
                                        "AWS_LAMBDA_LOG_LEVEL", "AWS_LAMBDA_LOG_FORMAT"};
    static const char *const prefixes[] = {"LC_", "SPARTA_LAMBDA_", "ASAN_", "UBSAN_", "LSAN_", "MSAN_", "TSAN_"};
    const char *eq = strchr(item, '=');
    if (!eq) return 0;
    size_t n = (size_t)(eq - item);
    for (size_t i = 0; i < sizeof exact / sizeof *exact; i++)
        if (strlen(exact[i]) == n && strncmp(item, exact[i], n) == 0) return 1;
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++)
        if (strncmp(item, prefixes[i], strlen(prefixes[i])) == 0) return 1;
    return strncmp(item, "AWS_", 4) == 0 && strncmp(item, "AWS_LAMBDA_", 11) != 0 &&
           strncmp(item, "AWS_EXECUTION_ENV=", 18) != 0;
}

static const char *partition_of(const char *region) {
    if (strncmp(region, "cn-", 3) == 0) return "aws-cn";
    if (strncmp(region, "us-gov-", 7) == 0) return "aws-us-gov";
    return "aws";
}

/* A reference's value in a local run: a lambda.parameters default or a
 * pseudo parameter sparta knows. NULL when only CloudFormation knows it. */
static const char *reference_value(const inv_local_options *o, const char *name, char *scratch, size_t cap) {
    if (strcmp(name, "AWS::Region") == 0) return o->region;
    if (strcmp(name, "AWS::StackName") == 0) return o->stack;
    if (strcmp(name, "AWS::Partition") == 0) return partition_of(o->region);
    if (strcmp(name, "AWS::URLSuffix") == 0)
        return strncmp(o->region, "cn-", 3) == 0 ? "amazonaws.com.cn" : "amazonaws.com";
    const sparta_value *def = API->value_get(o->config->parameters, name);
    switch (def ? API->value_type(def) : SPARTA_VALUE_NULL) {
    case SPARTA_VALUE_STRING: return API->value_string(def);
    case SPARTA_VALUE_INT: snprintf(scratch, cap, "%lld", (long long)API->value_int(def)); return scratch;
    case SPARTA_VALUE_BOOL: return API->value_bool(def) ? "true" : "false";
    default: return NULL;
    }
}

/* Resolves the ${...} references of an environment value. NULL, with the
 * first unresolvable reference in `missing`, when it cannot. */
static char *resolve_text(const inv_local_options *o, const char *text, char *missing, size_t cap) {
    sparta_text out = {0};
    const char *p = text;
    for (const char *ref = strstr(p, "${"); ref; ref = strstr(p, "${")) {
        const char *end = strchr(ref, '}');
        if (!end) break;
        sparta_text_put(&out, p, (size_t)(ref - p));
        if (ref[2] == '!') { /* ${!Literal} is the text ${Literal} */
            sparta_text_puts(&out, "${");
            sparta_text_put(&out, ref + 3, (size_t)(end - ref - 2));
        } else {
            char name[256], scratch[32];
            snprintf(name, sizeof name, "%.*s", (int)(end - ref - 2), ref + 2);
            const char *value = reference_value(o, name, scratch, sizeof scratch);
            if (!value) {
                snprintf(missing, cap, "%s", name);
                sparta_text_free(&out);
                return NULL;
            }
            sparta_text_puts(&out, value);
        }
        p = end + 1;
    }
    sparta_text_puts(&out, p);
    char *resolved = sparta_text_take(&out); /* "" for an empty value */
    if (!resolved) snprintf(missing, cap, "(out of memory)");
    return resolved;
}

static void hex_random(char *out, size_t bytes) {
    unsigned char r[32];
    if (bytes > sizeof r) bytes = sizeof r;
    size_t got = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        ssize_t n = read(fd, r, bytes);
        got = n > 0 ? (size_t)n : 0;
        close(fd);
    }
    static unsigned counter;
    for (size_t i = got; i < bytes; i++) /* no /dev/urandom: unique enough for a local run */
        r[i] = (unsigned char)(((unsigned)time(NULL) >> (i % 4 * 8)) ^ ((unsigned)getpid() * 31u) ^ (i * 97u) ^
                               counter++);
    for (size_t i = 0; i < bytes; i++) sprintf(out + 2 * i, "%02x", r[i]);
}

typedef struct ids {
    char request_id[40];  /* a UUID, like Lambda's */
    char trace_id[96];
    char arn[200];
    char function_name[LAMBDA_NAME_MAX + 1];
    char log_group[LAMBDA_NAME_MAX + 16];
    char log_stream[96];
} ids;

static void make_ids(const inv_local_options *o, ids *id) {
    char h[65];
    hex_random(h, 16);
    h[12] = '4';                             /* version 4 */
    h[16] = "89ab"[(h[16] - '0') & 3];       /* variant 10xx */
    snprintf(id->request_id, sizeof id->request_id, "%.8s-%.4s-%.4s-%.4s-%.12s", h, h + 8, h + 12, h + 16, h + 20);
    hex_random(h, 20);
    snprintf(id->trace_id, sizeof id->trace_id, "Root=1-%08llx-%.24s;Parent=%.16s;Sampled=0",
             (unsigned long long)(inv_epoch_ms() / 1000), h, h + 24);
    lambda_physical_name(o->stack, o->function->name, LAMBDA_NAME_MAX, id->function_name, sizeof id->function_name);
    snprintf(id->arn, sizeof id->arn, "arn:%s:lambda:%s:000000000000:function:%s", partition_of(o->region), o->region,
             id->function_name);
    snprintf(id->log_group, sizeof id->log_group, "/aws/lambda/%s", id->function_name);
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    hex_random(h, 16);
    snprintf(id->log_stream, sizeof id->log_stream, "%04d/%02d/%02d/[$LATEST]%.32s", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, h);
}

/* The bootstrap's environment, as Lambda sets it, plus the function's own. */
static int build_env(sparta_plugin *p, const inv_local_options *o, const ids *id, const char *task_root, int port,
                     env_list *env) {
    const lambda_function *f = o->function;
    for (char **e = environ; e && *e; e++)
        if (inherited(*e)) {
            char *eq = strchr(*e, '=');
            char key[256];
            if ((size_t)(eq - *e) >= sizeof key) continue;
            snprintf(key, sizeof key, "%.*s", (int)(eq - *e), *e);
            env_set(env, key, eq + 1);
        }
    if (!getenv("PATH")) env_set(env, "PATH", "/usr/local/bin:/usr/bin:/bin");
    env_set(env, "AWS_REGION", o->region);
    env_set(env, "AWS_DEFAULT_REGION", o->region);
    char text[64];
    snprintf(text, sizeof text, "127.0.0.1:%d", port);
    env_set(env, "AWS_LAMBDA_RUNTIME_API", text);
    env_set(env, "_HANDLER", f->handler ? f->handler : "bootstrap");
    env_set(env, "AWS_LAMBDA_FUNCTION_NAME", id->function_name);
    env_set(env, "AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    snprintf(text, sizeof text, "%lld", (long long)(f->memory > 0 ? f->memory : LAMBDA_MEMORY_DEFAULT));
    env_set(env, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE", text);
    env_set(env, "AWS_LAMBDA_LOG_GROUP_NAME", id->log_group);
    env_set(env, "AWS_LAMBDA_LOG_STREAM_NAME", id->log_stream);
    env_set(env, "AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    snprintf(text, sizeof text, "AWS_Lambda_%s", f->runtime ? f->runtime : LAMBDA_DEFAULT_RUNTIME);
    env_set(env, "AWS_EXECUTION_ENV", text);
    env_set(env, "LAMBDA_TASK_ROOT", task_root);
    env_set(env, "LAMBDA_RUNTIME_DIR", task_root);
    env_set(env, "TZ", ":UTC");
    /* sparta's --format json: the function's log lines are JSON as well (Lambda's LogFormat JSON). */
    if (o->json_logs && !getenv("AWS_LAMBDA_LOG_FORMAT")) env_set(env, "AWS_LAMBDA_LOG_FORMAT", "JSON");
    for (size_t i = 0; i < f->environment_count; i++) {
        const lambda_pair *kv = &f->environment[i];
        char missing[256];
        char *value = resolve_text(o, kv->value, missing, sizeof missing);
        if (!value) {
            API->log(p, SPARTA_LOG_WARN,
                     "%s: environment variable %s is left unset in this local run: ${%s} is known only to "
                     "CloudFormation (give it a default in lambda.parameters to use one locally)",
                     f->name, kv->key, missing);
            continue;
        }
        env_set(env, kv->key, value);
        free(value);
    }
    return env->failed ? API->error(p, SPARTA_ENOMEM, "out of memory building the function's environment") : 0;
}

/* ---- the process ------------------------------------------------------------------ */

typedef struct child {
    pid_t pid;
    int exited;      /* the leader is gone (a zombie until reaped) */
    int reaped;
    int exit_status; /* when it exited */
    int signal;      /* when a signal ended it */
    int stopped;     /* sparta had to signal it */
} child;

/* Notes the exit without reaping: the zombie keeps the process group's ID
 * reserved, so the group can still be swept safely. */
static void child_check(child *c) {
    if (c->exited || c->pid <= 0) return;
    siginfo_t si;
    memset(&si, 0, sizeof si);
    if (waitid(P_PID, (id_t)c->pid, &si, WEXITED | WNOHANG | WNOWAIT) != 0) {
        if (errno == ECHILD) c->exited = c->reaped = 1; /* reaped elsewhere (SIGCHLD ignored) */
        return;
    }
    if (si.si_pid != c->pid) return;
    c->exited = 1;
    if (si.si_code == CLD_EXITED) c->exit_status = si.si_status;
    else c->signal = si.si_status;
}

static void child_signal(const child *c, int sig) {
    if (c->reaped) return;
    kill(-c->pid, sig); /* the group: a script's children too */
    kill(c->pid, sig);
}

/* Appends fd to the list; 0 when it is full and cannot grow. */
static int push_fd(int **fds, size_t *count, size_t *cap, int fd) {
    if (*count == *cap) {
        int *grown = realloc(*fds, *cap * 2 * sizeof **fds);
        if (!grown) return 0;
        *fds = grown;
        *cap *= 2;
    }
    (*fds)[(*count)++] = fd;
    return 1;
}

/* Descriptors the child must not keep: everything above stderr. */
static int *fds_to_close(int keep, size_t *count) {
    *count = 0;
    size_t cap = 64;
    int *fds = malloc(cap * sizeof *fds);
    if (!fds) return NULL;
    DIR *d = opendir("/proc/self/fd");
    if (d) {
        int own = dirfd(d);
        struct dirent *de;
        while ((de = readdir(d))) {
            char *end = NULL;
            long fd = strtol(de->d_name, &end, 10);
            if (*end || end == de->d_name || fd <= 2 || fd == own || fd == keep) continue;
            if (!push_fd(&fds, count, &cap, (int)fd)) break;
        }
        closedir(d);
        return fds;
    }
    long max = sysconf(_SC_OPEN_MAX);
    if (max < 0 || max > FD_CLOSE_MAX) max = FD_CLOSE_MAX;
    for (int fd = 3; fd < max; fd++)
        if (fd != keep && !push_fd(&fds, count, &cap, fd)) break;
    return fds;
}

/* fork + exec. Returns 0 with c->pid set, or the errno that kept the
 * bootstrap from starting (reported by the child through a pipe). */
static int spawn(const char *path, const char *task_root, char **envp, child *c) {
    int report[2];
    if (pipe2(report, O_CLOEXEC) != 0) return errno;
    int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    size_t nclose = 0;
    int *closing = fds_to_close(report[1], &nclose);
    char *argv[] = {(char *)path, NULL};
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        int err = errno;
        close(report[0]);
        close(report[1]);
        if (devnull >= 0) close(devnull);
        free(closing);
        return err;
    }
    if (pid == 0) {
        /* The child: async-signal-safe calls only. */
        setpgid(0, 0);
        struct sigaction dfl;
        memset(&dfl, 0, sizeof dfl);
        dfl.sa_handler = SIG_DFL;
        static const int reset[] = {SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD};
        for (size_t i = 0; i < sizeof reset / sizeof *reset; i++) sigaction(reset[i], &dfl, NULL);
        sigset_t none;
        sigemptyset(&none);
        sigprocmask(SIG_SETMASK, &none, NULL);
        if (devnull >= 0) dup2(devnull, 0);
        dup2(2, 1); /* the function's output is log output: stderr */
        for (size_t i = 0; closing && i < nclose; i++)
            if (closing[i] != report[1]) close(closing[i]);
        int err = 0;
        if (chdir(task_root) != 0) err = errno;
        if (!err) execve(path, argv, envp);
        err = err ? err : errno;
        ssize_t w = write(report[1], &err, sizeof err);
        (void)w;
        _exit(127);
    }
    setpgid(pid, pid); /* as the child does: no window where the group is not there yet */
    close(report[1]);
    if (devnull >= 0) close(devnull);
    free(closing);
    int err = 0;
    ssize_t n;
    do n = read(report[0], &err, sizeof err);
    while (n < 0 && errno == EINTR);
    close(report[0]);
    c->pid = pid;
    if (n == (ssize_t)sizeof err && err) {
        int status;
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
        c->exited = c->reaped = 1;
        return err;
    }
    return 0;
}

/* One round of serving: TICK_MS, or less when the deadline is nearer (µs). */
static int tick(int64_t left_us) {
    int64_t ms = (left_us + 999) / 1000;
    return ms < TICK_MS ? (int)ms : TICK_MS;
}

/* Milliseconds since a monotonic µs instant (0 when it never came). */
static double since(int64_t at_us) { return at_us ? (double)(inv_now_us() - at_us) / 1000.0 : 0; }

/* Waits up to ms for the leader to exit, serving the endpoint meanwhile. */
static void wait_exit(inv_server *s, child *c, int ms) {
    int64_t until = inv_now_us() + (int64_t)ms * 1000;
    child_check(c);
    while (!c->exited) {
        int64_t left = until - inv_now_us();
        if (left <= 0) break;
        inv_server_serve(s, tick(left));
        child_check(c);
    }
}

/* Stops the bootstrap, its group with it, and reaps it. */
static void stop(sparta_plugin *p, inv_server *s, child *c, int polite_ms) {
    if (c->pid <= 0 || c->reaped) return;
    wait_exit(s, c, polite_ms);
    if (!c->exited) {
        API->log(p, SPARTA_LOG_DEBUG, "stopping the function (pid %d): SIGTERM", (int)c->pid);
        c->stopped = 1;
        child_signal(c, SIGTERM);
        wait_exit(s, c, TERM_GRACE_MS);
    }
    if (!c->exited) {
        API->log(p, SPARTA_LOG_WARN, "the function (pid %d) ignored SIGTERM for %d ms: SIGKILL", (int)c->pid,
                 TERM_GRACE_MS);
        child_signal(c, SIGKILL);
    }
    /* Whatever the bootstrap left running in its group goes too. */
    child_signal(c, SIGKILL);
    if (!c->reaped) {
        int status;
        while (waitpid(c->pid, &status, 0) < 0 && errno == EINTR) {}
        c->reaped = 1;
    }
}

/* ---- interruption ------------------------------------------------------------------- */

static volatile sig_atomic_t interrupted;

static void on_signal(int sig) { interrupted = sig; }

static const int watched[] = {SIGINT, SIGTERM, SIGHUP};

typedef struct handlers {
    struct sigaction old[3];
    int installed[3];
} handlers;

/* Ctrl-C must not leave the function running: catch the signals sparta
 * would die of (unless an embedding program handles them itself). */
static void handlers_install(handlers *h) {
    interrupted = 0;
    for (size_t i = 0; i < 3; i++) {
        h->installed[i] = 0;
        if (sigaction(watched[i], NULL, &h->old[i]) != 0 || h->old[i].sa_handler != SIG_DFL) continue;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        h->installed[i] = sigaction(watched[i], &sa, NULL) == 0;
    }
}

static void handlers_restore(handlers *h) {
    for (size_t i = 0; i < 3; i++)
        if (h->installed[i]) sigaction(watched[i], &h->old[i], NULL);
}

/* ---- one invocation ------------------------------------------------------------------- */

static void describe_exit(const child *c, char *out, size_t cap) {
    if (c->signal)
        snprintf(out, cap, "killed by signal %d (%s)", c->signal, strsignal(c->signal));
    else if (c->reaped && !c->exit_status)
        snprintf(out, cap, "exit status unknown");
    else
        snprintf(out, cap, "exit status %d", c->exit_status);
}

static void set_exited(inv_result *r, const child *c, int handed_out) {
    char how[160], message[600];
    describe_exit(c, how, sizeof how);
    snprintf(message, sizeof message, "the function exited before answering (%s): %s",
             handed_out ? "while handling the event" : "before it asked for its event", how);
    inv_result_error(r, INV_EXITED, "Runtime.ExitError", message);
}

static void set_timeout(inv_result *r, int timeout_s, int handed_out) {
    char message[600];
    if (handed_out)
        snprintf(message, sizeof message, "Task timed out after %d second%s: no response or error for request %s",
                 timeout_s, timeout_s == 1 ? "" : "s", r->request_id);
    else
        snprintf(message, sizeof message,
                 "Task timed out after %d second%s: the function never asked for its event (GET "
                 "/2018-06-01/runtime/invocation/next); a provided.* bootstrap must run the Lambda Runtime API loop",
                 timeout_s, timeout_s == 1 ? "" : "s");
    inv_result_error(r, INV_TIMEOUT, "Sandbox.Timedout", message);
}

static void set_exec_failure(inv_result *r, const lambda_function *f, const char *path, int err) {
    char message[1400];
    const char *hint = "";
    if (err == ENOEXEC)
        hint = strcmp(f->architecture ? f->architecture : "x86_64", "arm64") == 0
                   ? " (an arm64 binary does not run on this machine; or a script lacks its #! line)"
                   : " (a script needs a #! line; a binary must be built for this machine)";
    else if (err == ENOENT)
        hint = " (or the interpreter its #! line names is missing)";
    else if (err == EACCES)
        hint = " (chmod +x it)";
    snprintf(message, sizeof message, "could not run %s: %s%s", path, strerror(err), hint);
    inv_result_error(r, INV_INIT_ERROR, "Runtime.InvalidEntrypoint", message);
}

/* Takes the server's answer into r. */
static void take_answer(inv_result *r, const inv_server *s) {
    int is_error = 0;
    const char *type_header = NULL;
    const sparta_text *answer = inv_server_answer(s, &is_error, &type_header);
    sparta_text_put(&r->body, sparta_text_str(answer), answer->length);
    if (inv_server_state_of(s) == INV_SERVER_INIT_ERROR)
        inv_result_error_from_body(r, INV_INIT_ERROR, type_header && *type_header ? type_header : "Runtime.InitError");
    else if (is_error)
        inv_result_error_from_body(r, INV_FUNCTION_ERROR, type_header && *type_header ? type_header : "Unhandled");
    else
        r->status = INV_OK;
}

int lambda_invoke_local(sparta_plugin *p, const inv_local_options *o, inv_result *r) {
    const lambda_function *f = o->function;
    if (!f->code_path)
        return API->error(p, SPARTA_ECONFIG,
                          "function '%s' has no code to run: set its code (a file or directory, relative to "
                          "sparta.cfg) in lambda.functions or lambda.defaults",
                          f->name);
    /* Absolute paths: the bootstrap starts in its own folder (LAMBDA_TASK_ROOT). */
    char *code = realpath(f->code_path, NULL);
    if (!code)
        return API->error(p, SPARTA_EIO, "function '%s': cannot resolve its code %s: %s", f->name, f->code_path,
                          strerror(errno));
    char *path = NULL, *task_root = NULL;
    if (f->code_is_dir) {
        task_root = strdup(code);
        if (asprintf(&path, "%s/bootstrap", code) < 0) path = NULL;
    } else {
        path = strdup(code);
        const char *slash = strrchr(code, '/');
        task_root = slash ? strndup(code, slash == code ? 1 : (size_t)(slash - code)) : strdup(".");
    }
    free(code);
    ids id;
    make_ids(o, &id);
    snprintf(r->request_id, sizeof r->request_id, "%s", id.request_id);
    r->init_ms = -1;

    inv_server_options so = {o->event, o->event_len, id.request_id, id.arn, id.trace_id, o->timeout_s * 1000};
    inv_server *s = path && task_root ? inv_server_new(p, &so) : NULL;
    env_list env = {0};
    int rc = s ? build_env(p, o, &id, task_root, inv_server_port(s), &env)
               : (path && task_root ? SPARTA_EIO : API->error(p, SPARTA_ENOMEM, "out of memory"));
    if (rc != 0) {
        inv_server_free(s);
        env_free(&env);
        free(path);
        free(task_root);
        return rc;
    }
    API->log(p, SPARTA_LOG_INFO, "START %s (%s, handler %s) RequestId: %s, Runtime API 127.0.0.1:%d", f->name,
             f->runtime, f->handler, id.request_id, inv_server_port(s));

    handlers h;
    handlers_install(&h);
    child c = {0, 0, 0, 0, 0, 0};
    int64_t started = inv_now_us();
    int err = spawn(path, task_root, env.items, &c);
    int polite_ms = EXIT_ON_ITS_OWN_MS;
    if (err) {
        set_exec_failure(r, f, path, err);
    } else {
        int64_t timeout_us = (int64_t)o->timeout_s * 1000000;
        for (;;) {
            inv_server_state st = inv_server_state_of(s);
            int64_t handed = inv_server_handed_out_at(s);
            if (handed && r->init_ms < 0) r->init_ms = (double)(handed - started) / 1000.0;
            if (st == INV_SERVER_ANSWERED || st == INV_SERVER_INIT_ERROR) {
                r->duration_ms = since(handed);
                take_answer(r, s);
                break;
            }
            if (interrupted) {
                char message[120];
                snprintf(message, sizeof message, "sparta was interrupted (%s) before the function answered",
                         strsignal(interrupted));
                inv_result_error(r, INV_INTERRUPTED, "Interrupted", message);
                polite_ms = 0;
                break;
            }
            child_check(&c);
            if (c.exited) {
                /* What it sent just before it went may still be on its way in. */
                for (int round = 0; round < 50 && inv_server_serve(s, TICK_MS); round++) {}
                st = inv_server_state_of(s);
                if (st == INV_SERVER_ANSWERED || st == INV_SERVER_INIT_ERROR) continue;
                set_exited(r, &c, handed != 0);
                r->duration_ms = since(handed);
                break;
            }
            int64_t deadline = (handed ? handed : started) + timeout_us;
            int64_t left = deadline - inv_now_us();
            if (left <= 0) {
                set_timeout(r, o->timeout_s, handed != 0);
                r->duration_ms = since(handed);
                polite_ms = 0;
                break;
            }
            inv_server_serve(s, tick(left));
        }
        stop(p, s, &c, polite_ms);
        if (r->status == INV_OK && !c.stopped && (c.exit_status || c.signal)) {
            char how[160];
            describe_exit(&c, how, sizeof how);
            API->log(p, SPARTA_LOG_WARN, "%s answered, then ended (%s)", f->name, how);
        }
    }
    handlers_restore(&h);
    if (r->init_ms >= 0)
        API->log(p, SPARTA_LOG_INFO, "REPORT RequestId: %s Duration: %.2f ms Init Duration: %.2f ms", id.request_id,
                 r->duration_ms, r->init_ms);
    inv_server_free(s);
    env_free(&env);
    free(path);
    free(task_root);
    return 0;
}
