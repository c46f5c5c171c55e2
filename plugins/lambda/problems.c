/* Configuration problems, collected so a user sees all of them at once. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lambda.h"

static void append(lambda_problems *pr, const char *text, size_t n) {
    if (pr->length + n + 1 > pr->capacity) {
        size_t cap = pr->capacity ? pr->capacity : 512;
        while (cap < pr->length + n + 1) cap *= 2;
        char *grown = realloc(pr->text, cap);
        if (!grown) return;
        pr->text = grown;
        pr->capacity = cap;
    }
    memcpy(pr->text + pr->length, text, n);
    pr->length += n;
    pr->text[pr->length] = '\0';
}

void lambda_problem(lambda_problems *pr, const sparta_value *at, const char *path, const char *fmt, ...) {
    if (!pr) return; /* quiet: reported once elsewhere */
    char line[2048];
    const char *origin = at ? lambda_api->value_origin(pr->plugin, at) : "";
    int n = snprintf(line, sizeof line, "%s%s%s: ", origin, *origin ? ": " : "", path);
    if (n < 0 || (size_t)n >= sizeof line) n = 0;
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
    size_t total = m < 0 ? (size_t)n : (size_t)n + (size_t)m;
    if (total >= sizeof line - 1) total = sizeof line - 2;
    line[total++] = '\n';
    append(pr, line, total);
    pr->count++;
}

void lambda_format(char *out, size_t cap, const char *fmt, ...) {
    if (!cap) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out, cap, fmt, ap);
    va_end(ap);
}

void lambda_problems_free(lambda_problems *pr) {
    free(pr->text);
    pr->text = NULL;
    pr->length = pr->capacity = pr->count = 0;
}
