/* Logrus-style logging: `INFO[0000] message key=value` on a terminal or in
 * text mode, one JSON object per line with --format json. */
#ifndef SPARTA_CORE_LOG_H
#define SPARTA_CORE_LOG_H

#include <stdio.h>
#include <sparta/plugin.h>

typedef enum sparta_log_format { SPARTA_LOG_TEXT = 0, SPARTA_LOG_JSON } sparta_log_format;

typedef void (*sparta_log_sink)(void *user_data, sparta_log_level level, const char *line);

typedef struct sparta_logger {
    sparta_log_level level;     /* lines below this level are dropped */
    sparta_log_format format;
    int color;                  /* ANSI colour on the level word */
    int timestamps;             /* full RFC 3339 time instead of seconds since start */
    double start;               /* monotonic seconds at creation */
    sparta_log_sink sink;       /* NULL: stderr */
    void *sink_user_data;
} sparta_logger;

void sparta__logger_init(sparta_logger *lg);
/* Logs `message` with key/value string pairs, terminated by NULL:
 * sparta__log(lg, SPARTA_LOG_INFO, "Uploading", "bucket", b, "key", k, NULL); */
void sparta__log(sparta_logger *lg, sparta_log_level level, const char *message, ...)
    __attribute__((sentinel));
void sparta__logf(sparta_logger *lg, sparta_log_level level, const char *fmt, ...) SPARTA_PRINTF(3, 4);
/* "debug" | "info" | "warn" | "warning" | "error" -> level; -1 if unknown. */
int sparta__log_level_parse(const char *name);

#endif
