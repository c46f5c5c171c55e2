/* Helpers for the `sparta invoke` suite: one service folder for the whole
 * suite (fixtures/ plus the example bootstrap), runs of the sparta tool
 * and of the embedding API, JSON checks through python3, process checks. */
#ifndef LI_SUPPORT_H
#define LI_SUPPORT_H

#include <sys/types.h>

typedef struct li_run {
    int status;     /* exit status */
    char *out;      /* stdout (or the embedding API's print output) */
    char *err;      /* stderr (or the log lines) */
    double seconds; /* wall time */
} li_run;

/* The service folder: fixtures/sparta.cfg and scripts, bootstrap (the
 * example function) and fn/bootstrap. Created on first use. */
const char *li_service(void);
/* A path inside the service folder; caller frees. */
char *li_path(const char *name);
/* Writes a file into the service folder. */
void li_write(const char *name, const char *text);
/* Removes a file from the service folder (ignores a missing one). */
void li_remove(const char *name);
void li_cleanup(void);

/* Runs `sparta ARGS` (a shell fragment: redirections allowed) in the
 * service folder, stdout and stderr apart. */
li_run li_sparta(const char *args_fmt, ...) __attribute__((format(printf, 1, 2)));
/* Runs a command line through the embedding API, in this process. */
li_run li_embedded(int argc, const char *const *argv);
void li_run_free(li_run *r);

/* python3: evaluates `expr` with d = the parsed JSON text and returns what
 * it prints (without the newline), or NULL when the text is not JSON or
 * the expression fails. Caller frees. */
char *li_json(const char *json_text, const char *expr);
/* Asserts li_json(json_text, expr) == want. */
#define LI_ASSERT_JSON(json_text, expr, want) li_assert_json((json_text), (expr), (want), __FILE__, __LINE__)
void li_assert_json(const char *json_text, const char *expr, const char *want, const char *file, int line);

/* The pid a fixture wrote into the service folder, or -1. */
pid_t li_read_pid(const char *name);
/* 1 when pid is no longer running within `seconds` (gone, or a zombie left
 * for init to reap after its parent died). */
int li_gone(pid_t pid, double seconds);

#endif
