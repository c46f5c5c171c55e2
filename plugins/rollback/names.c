/* Names that fit: alarm names (255 with the stack name's 128 in front) and
 * logical IDs (alphanumeric, 255). Cut names keep a hash of the whole so two
 * long names stay apart. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rollback.h"

/* "<stack>-alarm.<display>.Throttles": the longest metric suffix is 10. */
#define DISPLAY_MAX (RB_ALARM_NAME_MAX - RB_STACK_NAME_MAX - (sizeof RB_NAME_INFIX - 1) - 10)

static uint32_t fnv1a(const char *s) {
    uint32_t h = 2166136261u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 16777619u;
    }
    return h;
}

static char *cut(const char *s, size_t max, const char *separator) {
    size_t n = strlen(s);
    char *out = malloc((n < max ? n : max) + 1);
    if (!out) return NULL;
    if (n <= max) return memcpy(out, s, n + 1);
    size_t keep = max - 8 - strlen(separator);
    memcpy(out, s, keep);
    snprintf(out + keep, max - keep + 1, "%s%08x", separator, (unsigned)fnv1a(s));
    return out;
}

char *rb_function_display(const char *function_name, const char *logical_id, const char *stack) {
    const char *name = function_name && *function_name ? function_name : logical_id;
    size_t n = stack ? strlen(stack) : 0;
    if (function_name && n && strncmp(name, stack, n) == 0 && name[n] == '-' && name[n + 1]) name += n + 1;
    return cut(name, DISPLAY_MAX, "-");
}

char *rb_logical_id(const char *base, const char *suffix) {
    size_t n = strlen(base) + strlen(suffix);
    char *whole = malloc(n + 1);
    if (!whole) return NULL;
    size_t k = 0;
    for (const char *s = base; *s; s++)
        if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')) whole[k++] = *s;
    whole[k] = '\0';
    if (k + strlen(suffix) <= RB_LOGICAL_ID_MAX) {
        strcat(whole, suffix);
        return whole;
    }
    /* Keep the suffix whole; cut the base and mark it with its hash. */
    char *base_cut = cut(whole, RB_LOGICAL_ID_MAX - strlen(suffix), "");
    free(whole);
    if (!base_cut) return NULL;
    char *out = malloc(strlen(base_cut) + strlen(suffix) + 1);
    if (out) {
        strcpy(out, base_cut);
        strcat(out, suffix);
    }
    free(base_cut);
    return out;
}
