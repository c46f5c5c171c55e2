/* Names: readable logical IDs and AWS physical names within their limits. */
#include <stdio.h>
#include <string.h>

#include "lambda.h"

static int is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

void lambda_logical_base(const char *name, char *out, size_t cap) {
    size_t n = 0;
    int upper = 1;
    for (const char *p = name; *p && n + 1 < cap; p++) {
        if (!is_alnum(*p)) {
            upper = 1;
            continue;
        }
        char c = *p;
        if (upper && c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        out[n++] = c;
        upper = 0;
    }
    out[n] = '\0';
}

/* FNV-1a, 32 bits: short, stable, good enough to keep cut names apart. */
static uint32_t fnv1a(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

void lambda_physical_name(const char *stack, const char *name, size_t max, char *out, size_t cap) {
    char full[1024];
    snprintf(full, sizeof full, "%s%s%s", stack && *stack ? stack : "", stack && *stack ? "-" : "", name);
    size_t len = strlen(full);
    if (max + 1 > cap) max = cap - 1;
    if (len <= max) {
        for (size_t i = 0; i <= len; i++) {
            char c = full[i];
            out[i] = (c == '\0' || is_alnum(c) || c == '-' || c == '_') ? c : '-';
        }
        return;
    }
    size_t keep = max - 9;
    for (size_t i = 0; i < keep; i++) {
        char c = full[i];
        out[i] = (is_alnum(c) || c == '-' || c == '_') ? c : '-';
    }
    snprintf(out + keep, cap - keep, "-%08x", (unsigned)fnv1a(full));
}

sparta_value *lambda_stack_scoped_name(sparta_graph *g, const char *stack, const char *prefix, const char *literal,
                                       const char *name, const char *suffix) {
    /* A name that fit uncut starts "<stack>-": name it after the stack that is
     * deployed instead, so one template can go to a test and a prod stack in one
     * account without a clash. A cut name keeps its literal, hashed form. */
    size_t n = stack && *stack ? strlen(stack) : 0;
    int uncut = strlen(literal) == n + 1 + strlen(name);
    if (n && uncut && strncmp(literal, stack, n) == 0 && literal[n] == '-' && !strchr(literal, '$')) {
        char text[1200];
        lambda_format(text, sizeof text, "%s${AWS::StackName}%s%s", prefix, literal + n, suffix);
        return lambda_api->sub(g, text);
    }
    return lambda_api->new_stringf(g, "%s%s%s", prefix, literal, suffix);
}

int lambda_function_name_valid(const char *name) {
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > LAMBDA_NAME_MAX) return 0;
    for (const char *p = name; *p; p++)
        if (!is_alnum(*p) && *p != '-' && *p != '_') return 0;
    return 1;
}
