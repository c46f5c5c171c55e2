#include "log.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static double monotonic_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void sparta__logger_init(sparta_logger *lg) {
    memset(lg, 0, sizeof *lg);
    lg->level = SPARTA_LOG_INFO;
    lg->format = SPARTA_LOG_TEXT;
    lg->color = isatty(STDERR_FILENO) && !getenv("NO_COLOR");
    lg->start = monotonic_seconds();
}

int sparta__log_level_parse(const char *name) {
    if (!name) return -1;
    if (!strcasecmp(name, "debug")) return SPARTA_LOG_DEBUG;
    if (!strcasecmp(name, "info")) return SPARTA_LOG_INFO;
    if (!strcasecmp(name, "warn") || !strcasecmp(name, "warning")) return SPARTA_LOG_WARN;
    if (!strcasecmp(name, "error")) return SPARTA_LOG_ERROR;
    return -1;
}

/* A growable line buffer: log lines are short, so a fixed cap with
 * truncation keeps this allocation-free. */
typedef struct line_buffer {
    char text[8192];
    size_t len;
} line_buffer;

static void buf_put(line_buffer *b, const char *s, size_t n) {
    if (b->len + n >= sizeof b->text) n = sizeof b->text - 1 - b->len;
    memcpy(b->text + b->len, s, n);
    b->len += n;
    b->text[b->len] = '\0';
}

static void buf_puts(line_buffer *b, const char *s) { buf_put(b, s, strlen(s)); }

static void buf_json_string(line_buffer *b, const char *s) {
    buf_puts(b, "\"");
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        switch (*p) {
        case '"': buf_puts(b, "\\\""); break;
        case '\\': buf_puts(b, "\\\\"); break;
        case '\n': buf_puts(b, "\\n"); break;
        case '\r': buf_puts(b, "\\r"); break;
        case '\t': buf_puts(b, "\\t"); break;
        default:
            if (*p < 0x20) {
                snprintf(esc, sizeof esc, "\\u%04x", *p);
                buf_puts(b, esc);
            } else {
                buf_put(b, (const char *)p, 1);
            }
        }
    }
    buf_puts(b, "\"");
}

/* Text values with spaces or quotes are quoted, as logrus does. */
static void buf_text_value(line_buffer *b, const char *s) {
    if (*s && strpbrk(s, " \"=\t\n") == NULL) buf_puts(b, s);
    else buf_json_string(b, s);
}

static const char *level_word(sparta_log_level level, int json) {
    static const char *text[] = {"DEBU", "INFO", "WARN", "ERRO"};
    static const char *names[] = {"debug", "info", "warning", "error"};
    if ((int)level < 0 || level > SPARTA_LOG_ERROR) level = SPARTA_LOG_ERROR;
    return json ? names[level] : text[level];
}

static const char *level_color(sparta_log_level level) {
    switch (level) {
    case SPARTA_LOG_DEBUG: return "\x1b[37m";
    case SPARTA_LOG_INFO: return "\x1b[36m";
    case SPARTA_LOG_WARN: return "\x1b[33m";
    default: return "\x1b[31m";
    }
}

static void log_emit(sparta_logger *lg, sparta_log_level level, const char *message, va_list fields) {
    line_buffer b = {{0}, 0};
    char stamp[64];
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    if (lg->format == SPARTA_LOG_JSON) {
        strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%SZ", &tm);
        buf_puts(&b, "{\"level\":");
        buf_json_string(&b, level_word(level, 1));
        buf_puts(&b, ",\"msg\":");
        buf_json_string(&b, message);
        buf_puts(&b, ",\"time\":");
        buf_json_string(&b, stamp);
        const char *key;
        while ((key = va_arg(fields, const char *)) != NULL) {
            const char *value = va_arg(fields, const char *);
            buf_puts(&b, ",");
            buf_json_string(&b, key);
            buf_puts(&b, ":");
            buf_json_string(&b, value ? value : "");
        }
        buf_puts(&b, "}");
    } else {
        if (lg->color) buf_puts(&b, level_color(level));
        buf_puts(&b, level_word(level, 0));
        if (lg->color) buf_puts(&b, "\x1b[0m");
        if (lg->timestamps) {
            strftime(stamp, sizeof stamp, "[%Y-%m-%dT%H:%M:%SZ] ", &tm);
        } else {
            int elapsed = (int)(monotonic_seconds() - lg->start);
            snprintf(stamp, sizeof stamp, "[%04d] ", elapsed);
        }
        buf_puts(&b, stamp);
        buf_puts(&b, message);
        const char *key;
        int first = 1;
        while ((key = va_arg(fields, const char *)) != NULL) {
            const char *value = va_arg(fields, const char *);
            buf_puts(&b, first ? "  " : " ");
            first = 0;
            if (lg->color) buf_puts(&b, level_color(level));
            buf_puts(&b, key);
            if (lg->color) buf_puts(&b, "\x1b[0m");
            buf_puts(&b, "=");
            buf_text_value(&b, value ? value : "");
        }
    }
    if (lg->sink) {
        lg->sink(lg->sink_user_data, level, b.text);
    } else {
        buf_puts(&b, "\n");
        fwrite(b.text, 1, b.len, stderr);
    }
}

void sparta__log(sparta_logger *lg, sparta_log_level level, const char *message, ...) {
    if (!lg || level < lg->level) return;
    va_list ap;
    va_start(ap, message);
    log_emit(lg, level, message, ap);
    va_end(ap);
}

/* Formatted messages carry no fields; this wrapper supplies the terminator. */
static void log_message_only(sparta_logger *lg, sparta_log_level level, const char *message, ...) {
    va_list ap;
    va_start(ap, message);
    log_emit(lg, level, message, ap);
    va_end(ap);
}

void sparta__logf(sparta_logger *lg, sparta_log_level level, const char *fmt, ...) {
    if (!lg || level < lg->level) return;
    char message[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    log_message_only(lg, level, message, (const char *)NULL);
}
