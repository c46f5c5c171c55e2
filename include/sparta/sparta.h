/*
 * libsparta — the embedding API. The `sparta` command-line tool is built on
 * this header alone; a tool builder includes it to load a config, run a
 * command or synthesize a template in-process.
 *
 * Conventions: functions return 0 or a negative SPARTA_E* code (see
 * <sparta/plugin.h>); details sit in the host's error slot
 * (sparta_host_last_error). Every _new has a _free. Options are versioned:
 * start from SPARTA_OPTIONS_INIT.
 */
#ifndef SPARTA_SPARTA_H
#define SPARTA_SPARTA_H

#include <stddef.h>
#include <sparta/plugin.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SPARTA_BUILDING_LIBRARY) && defined(__GNUC__)
#define SPARTA_API __attribute__((visibility("default")))
#else
#define SPARTA_API
#endif

#define SPARTA_VERSION "0.1.0"

typedef struct sparta_host sparta_host;

/* A log line as the host would print it, and its level. */
typedef void (*sparta_log_fn)(void *user_data, sparta_log_level level, const char *line);

#define SPARTA_OPTIONS_VERSION 1
typedef struct sparta_options {
    unsigned int version;        /* SPARTA_OPTIONS_VERSION */
    const char *config_path;     /* NULL: $SPARTA_CONFIG, then ./sparta.cfg */
    const char *config_text;     /* in-memory sparta.cfg; wins over config_path */
    const char *const *plugin_paths; /* searched after sparta.cfg's plugins.path */
    size_t plugin_path_count;
    sparta_log_fn log;           /* NULL: log to stderr */
    void *log_user_data;
    const char *output_dir;      /* NULL: ".sparta" */
    /* NULL: stdout. Command output (tables, JSON) goes here. */
    void (*print)(void *user_data, const char *text, size_t length);
    void *print_user_data;
} sparta_options;

#define SPARTA_OPTIONS_INIT {SPARTA_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL}

typedef struct sparta_error {
    int code;            /* SPARTA_E* */
    const char *message; /* what, where, what to do */
    const char *plugin;  /* the plugin it came from, or NULL */
    const char *file;    /* e.g. "sparta.cfg", or NULL */
    int line;            /* 0 when unknown */
} sparta_error;

/* Creates a host. Nothing is read or loaded until it is needed. */
SPARTA_API int sparta_host_new(sparta_host **out, const sparta_options *options);
SPARTA_API void sparta_host_free(sparta_host *host);

/* Runs a command line, global flags included: {"provision", "--noop"}.
 * Returns the process exit status (0 ok, 1 error, 2 usage). */
SPARTA_API int sparta_host_run(sparta_host *host, int argc, const char *const *argv);

/* Loads sparta.cfg and the plugins it enables. Called implicitly. */
SPARTA_API int sparta_host_load(sparta_host *host);

/* Runs CONFIGURE through MARSHAL and returns the template JSON.
 * The caller frees *template_json with sparta_string_free. The code
 * archives are written by up to four threads of the host's own, joined
 * before this returns; no callback is called from them. */
SPARTA_API int sparta_host_synthesize(sparta_host *host, char **template_json, size_t *length);

SPARTA_API const sparta_error *sparta_host_last_error(const sparta_host *host);
SPARTA_API void sparta_string_free(char *s);

/* Library version and the plugin ABI it speaks. */
SPARTA_API const char *sparta_version(void);
SPARTA_API void sparta_abi_version(int *major, int *minor);

#ifdef __cplusplus
}
#endif
#endif /* SPARTA_SPARTA_H */
