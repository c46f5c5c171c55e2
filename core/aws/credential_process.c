/* See credential_process.h. The document's shape follows the AWS CLI's
 * documented contract for credential_process (Version 1). */
#include "aws/credential_process.h"

#include <errno.h>
#include <fcntl.h>
#include <json-c/json.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define OUTPUT_LIMIT (64 * 1024) /* a credentials document is well under 4 KiB */
#define DEFAULT_TIMEOUT_MS 120000L

extern char **environ;

static long timeout_ms(void) {
    const char *v = getenv("SPARTA_CREDENTIAL_PROCESS_TIMEOUT_MS");
    char *end = NULL;
    long ms = v && *v ? strtol(v, &end, 10) : 0;
    return ms > 0 && end && !*end ? ms : DEFAULT_TIMEOUT_MS;
}

static long long now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Reads the child's stdout until it closes, the limit, or the deadline.
 * Returns 0, or -1 with *why. */
static int read_output(int fd, char *buf, size_t cap, size_t *len, long limit_ms, const char **why) {
    long long deadline = now_ms() + limit_ms;
    *len = 0;
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0) return *why = "timeout", -1;
        struct pollfd p = {fd, POLLIN, 0};
        int ready = poll(&p, 1, (int)(left > 1000000 ? 1000000 : left));
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) return *why = strerror(errno), -1;
        if (ready == 0) continue;
        if (*len == cap) return *why = "it printed more than 64 KiB", -1;
        ssize_t n = read(fd, buf + *len, cap - *len);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return *why = strerror(errno), -1;
        if (n == 0) return 0;
        *len += (size_t)n;
    }
}

static const char *string_member(json_object *doc, const char *key) {
    json_object *v = NULL;
    if (!json_object_object_get_ex(doc, key, &v) || !json_object_is_type(v, json_type_string)) return NULL;
    return json_object_get_string(v);
}

/* Fills `out` from the document; NULL, or what is wrong with it. */
static const char *take_keys(const char *text, size_t length, sparta__aws_credentials *out) {
    json_tokener *tok = json_tokener_new();
    if (!tok) return "out of memory";
    json_object *doc = json_tokener_parse_ex(tok, text, (int)length);
    int complete = json_tokener_get_error(tok) == json_tokener_success;
    json_tokener_free(tok);
    const char *problem = NULL;
    json_object *version = NULL;
    if (!doc || !complete || !json_object_is_type(doc, json_type_object))
        problem = "it did not print one JSON object";
    else if (!json_object_object_get_ex(doc, "Version", &version) || !json_object_is_type(version, json_type_int) ||
             json_object_get_int(version) != 1)
        problem = "its document has no \"Version\": 1 (the only version there is)";
    const char *id = problem ? NULL : string_member(doc, "AccessKeyId");
    const char *secret = problem ? NULL : string_member(doc, "SecretAccessKey");
    const char *token = problem ? NULL : string_member(doc, "SessionToken");
    const char *expiration = problem ? NULL : string_member(doc, "Expiration");
    if (!problem && (!id || !*id || !secret || !*secret))
        problem = "its document lacks \"AccessKeyId\" or \"SecretAccessKey\"";
    else if (!problem && expiration && !(out->expiration = sparta__aws_parse_time(expiration)))
        problem = "its \"Expiration\" is not an ISO 8601 time such as 2026-11-26T12:00:00Z";
    if (!problem) {
        out->access_key_id = strdup(id);
        out->secret_access_key = strdup(secret);
        out->session_token = token && *token ? strdup(token) : NULL;
        if (!out->access_key_id || !out->secret_access_key || (token && *token && !out->session_token))
            problem = "out of memory";
    }
    json_object_put(doc);
    return problem;
}

int sparta__aws_credential_process(const char *profile_name, const char *command, sparta__aws_credentials *out,
                                   sparta_error_slot *err) {
    memset(out, 0, sizeof *out);
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0)
        return sparta__error_set(err, SPARTA_EAWS, "profile '%s': cannot run credential_process: %s", profile_name,
                                 strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    char *argv[] = {"sh", "-c", (char *)command, NULL};
    pid_t pid;
    int spawn_rc = posix_spawn(&pid, "/bin/sh", &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    if (spawn_rc != 0) {
        close(pipe_fds[0]);
        return sparta__error_set(err, SPARTA_EAWS, "profile '%s': cannot run credential_process: %s", profile_name,
                                 strerror(spawn_rc));
    }
    long limit = timeout_ms();
    char *output = malloc(OUTPUT_LIMIT);
    size_t length = 0;
    const char *why = output ? NULL : "out of memory";
    if (output) read_output(pipe_fds[0], output, OUTPUT_LIMIT, &length, limit, &why);
    close(pipe_fds[0]);
    if (why) kill(pid, SIGKILL); /* hung, or talking too much: it will not finish usefully */
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    int rc = 0;
    if (why && strcmp(why, "timeout") == 0) {
        rc = sparta__error_set(err, SPARTA_EAWS,
                               "profile '%s': credential_process did not finish within %ld ms and was stopped; "
                               "check that it runs on its own, or raise SPARTA_CREDENTIAL_PROCESS_TIMEOUT_MS",
                               profile_name, limit);
    } else if (why) {
        rc = sparta__error_set(err, SPARTA_EAWS, "profile '%s': credential_process failed: %s", profile_name, why);
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char how[64];
        if (WIFEXITED(status)) snprintf(how, sizeof how, "exited with status %d", WEXITSTATUS(status));
        else snprintf(how, sizeof how, "was killed by signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
        rc = sparta__error_set(err, SPARTA_EAWS,
                               "profile '%s': credential_process %s (what it said went to stderr above); run "
                               "it by hand to see why",
                               profile_name, how);
    } else if ((why = take_keys(output, length, out)) != NULL) {
        sparta__aws_credentials_clear(out);
        /* Never quote the output: it may hold keys. */
        rc = sparta__error_set(err, SPARTA_EAWS,
                               "profile '%s': credential_process printed %zu bytes, but %s; it must print "
                               "{\"Version\": 1, \"AccessKeyId\": ..., \"SecretAccessKey\": ..., "
                               "\"SessionToken\": ..., \"Expiration\": ...}",
                               profile_name, length, why);
    }
    if (output) {
        memset(output, 0, OUTPUT_LIMIT); /* the keys do not linger in freed memory */
        free(output);
    }
    if (rc == 0) snprintf(out->source, sizeof out->source, "profile %s (credential_process)", profile_name);
    return rc;
}
