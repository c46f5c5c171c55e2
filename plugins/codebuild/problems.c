/* Configuration problems, collected so one run reports all of them, each
 * with the file and line it comes from. */
#include <stdarg.h>
#include <stdio.h>

#include "codebuild.h"

void codebuild_problem(codebuild_problems *pr, sparta_plugin *p, const sparta_value *at, const char *path,
                       const char *fmt, ...) {
    const char *origin = at && codebuild_api->value_origin ? codebuild_api->value_origin(p, at) : "";
    char message[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    if (origin && *origin) sparta_text_printf(&pr->text, "%s: ", origin);
    sparta_text_printf(&pr->text, "%s: %s\n", path, message);
    pr->count++;
}

int codebuild_problems_report(codebuild_problems *pr, sparta_plugin *p, const char *what) {
    if (pr->count == 0) {
        sparta_text_free(&pr->text);
        return 0;
    }
    if (pr->text.failed) {
        sparta_text_free(&pr->text);
        return codebuild_api->error(p, SPARTA_ENOMEM, "out of memory");
    }
    if (pr->text.length && pr->text.data[pr->text.length - 1] == '\n') pr->text.data[--pr->text.length] = '\0';
    int rc = codebuild_api->error(p, SPARTA_ECONFIG, "%s has %zu problem%s:\n%s", what, pr->count,
                                  pr->count == 1 ? "" : "s", pr->text.data);
    sparta_text_free(&pr->text);
    pr->count = 0;
    return rc;
}
