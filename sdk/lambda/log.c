/* Logrus-style log lines on stderr: `INFO[0002] message Key=value`. The
 * bracket holds whole seconds since the runtime started, as logrus prints
 * them when full timestamps are off. */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static struct {
    int ready;
    int level;
    int json;
    int color;
    double start_ms;
} g_log;

double sparta__monotonic_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int64_t sparta__now_epoch_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void sparta__log_setup(void) {
    if (g_log.ready) return;
    g_log.ready = 1;
    g_log.start_ms = sparta__monotonic_ms();
    g_log.level = SPARTA_LAMBDA_LOG_INFO;
    const char *level = getenv("AWS_LAMBDA_LOG_LEVEL");
    if (level) {
        if (!strcasecmp(level, "TRACE") || !strcasecmp(level, "DEBUG")) g_log.level = SPARTA_LAMBDA_LOG_DEBUG;
        else if (!strcasecmp(level, "WARN") || !strcasecmp(level, "WARNING")) g_log.level = SPARTA_LAMBDA_LOG_WARN;
        else if (!strcasecmp(level, "ERROR") || !strcasecmp(level, "FATAL")) g_log.level = SPARTA_LAMBDA_LOG_ERROR;
    }
    const char *format = getenv("AWS_LAMBDA_LOG_FORMAT");
    g_log.json = format && !strcasecmp(format, "JSON");
    g_log.color = !g_log.json && isatty(STDERR_FILENO) && !getenv("NO_COLOR");
}

static const char *level_word(sparta_lambda_log_level level) {
    static const char *const words[] = {"DEBU", "INFO", "WARN", "ERRO"};
    return (int)level >= 0 && level <= SPARTA_LAMBDA_LOG_ERROR ? words[level] : "ERRO";
}

static const char *level_name(sparta_lambda_log_level level) {
    static const char *const names[] = {"debug", "info", "warning", "error"};
    return (int)level >= 0 && level <= SPARTA_LAMBDA_LOG_ERROR ? names[level] : "error";
}

static const char *level_color(sparta_lambda_log_level level) {
    switch (level) {
    case SPARTA_LAMBDA_LOG_DEBUG: return "\x1b[37m";
    case SPARTA_LAMBDA_LOG_INFO: return "\x1b[36m";
    case SPARTA_LAMBDA_LOG_WARN: return "\x1b[33m";
    default: return "\x1b[31m";
    }
}

/* Text values with spaces, quotes or '=' are quoted, as logrus does. */
static void text_value(sparta__buf *b, const char *v) {
    if (*v && !strpbrk(v, " \"=\t\r\n")) sparta__buf_puts(b, v);
    else sparta__json_string(b, v, strlen(v));
}

static void emit(sparta_lambda_log_level level, const char *message, const char *const *kv, size_t pairs) {
    sparta__buf b = {NULL, 0, 0};

    if (g_log.json) {
        char stamp[32];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
        sparta__buf_puts(&b, "{\"level\":\"");
        sparta__buf_puts(&b, level_name(level));
        sparta__buf_puts(&b, "\",\"msg\":");
        sparta__json_string(&b, message, strlen(message));
        sparta__buf_puts(&b, ",\"time\":\"");
        sparta__buf_puts(&b, stamp);
        sparta__buf_puts(&b, "\"");
        for (size_t i = 0; i < pairs; i++) {
            const char *v = kv[2 * i + 1] ? kv[2 * i + 1] : "";
            sparta__buf_puts(&b, ",");
            sparta__json_string(&b, kv[2 * i], strlen(kv[2 * i]));
            sparta__buf_puts(&b, ":");
            sparta__json_string(&b, v, strlen(v));
        }
        sparta__buf_puts(&b, "}\n");
    } else {
        char stamp[32];
        snprintf(stamp, sizeof stamp, "[%04d] ", (int)((sparta__monotonic_ms() - g_log.start_ms) / 1000.0));
        if (g_log.color) sparta__buf_puts(&b, level_color(level));
        sparta__buf_puts(&b, level_word(level));
        if (g_log.color) sparta__buf_puts(&b, "\x1b[0m");
        sparta__buf_puts(&b, stamp);
        sparta__buf_puts(&b, message);
        for (size_t i = 0; i < pairs; i++) {
            sparta__buf_puts(&b, " ");
            if (g_log.color) sparta__buf_puts(&b, level_color(level));
            sparta__buf_puts(&b, kv[2 * i]);
            if (g_log.color) sparta__buf_puts(&b, "\x1b[0m");
            sparta__buf_puts(&b, "=");
            text_value(&b, kv[2 * i + 1] ? kv[2 * i + 1] : "");
        }
        sparta__buf_puts(&b, "\n");
    }
    if (b.data) fwrite(b.data, 1, b.len, stderr);
    sparta__buf_free(&b);
}

int sparta__log_enabled(sparta_lambda_log_level level) {
    sparta__log_setup();
    return (int)level >= g_log.level;
}

void sparta__log_fields(sparta_lambda_log_level level, const char *message, const char *const *kv, size_t pairs) {
    if (!sparta__log_enabled(level)) return;
    emit(level, message ? message : "", kv, pairs);
}

void sparta__logv(sparta_lambda_log_level level, const char *message, va_list fields) {
    const char *kv[32];
    size_t n = 0;
    const char *key;
    while ((key = va_arg(fields, const char *)) != NULL) {
        const char *value = va_arg(fields, const char *);
        if (n < 16) {
            kv[2 * n] = key;
            kv[2 * n + 1] = value;
            n++;
        }
    }
    sparta__log_fields(level, message, kv, n);
}

SPARTA_LAMBDA_API void sparta_lambda_log(sparta_lambda_log_level level, const char *message, ...) {
    va_list ap;
    va_start(ap, message);
    sparta__logv(level, message, ap);
    va_end(ap);
}

SPARTA_LAMBDA_API void sparta_lambda_logf(sparta_lambda_log_level level, const char *fmt, ...) {
    if (!sparta__log_enabled(level)) return;
    char message[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    emit(level, message, NULL, 0);
}
