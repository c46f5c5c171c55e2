/* Names and values of commands and flags: what is valid, the kebab-case
 * alias of a camelCase name, and how flag values read. */
#include "command/internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int sparta__command_name_valid(const char *name) {
    if (!name || !*name || !isalnum((unsigned char)name[0]) || strlen(name) > 64) return 0;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_') return 0;
    return 1;
}

char *sparta__command_kebab(const char *camel) {
    size_t n = strlen(camel), upper = 0;
    for (size_t i = 0; i < n; i++) upper += isupper((unsigned char)camel[i]) != 0;
    if (!upper) return NULL;
    char *out = malloc(2 * n + 1), *o = out;
    if (!out) return NULL;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)camel[i];
        if (isupper(c) && i > 0 && o > out && o[-1] != '-') {
            unsigned char prev = (unsigned char)camel[i - 1], next = (unsigned char)camel[i + 1];
            /* a word starts at "aB" and at the last capital of an acronym: "URLPath" */
            if (islower(prev) || isdigit(prev) || (isupper(prev) && islower(next))) *o++ = '-';
        }
        *o++ = (char)tolower(c);
    }
    *o = '\0';
    return out;
}

int sparta__command_parse_bool(const char *text) {
    static const char *const yes[] = {"true", "1", "yes", "on", "t"};
    static const char *const no[] = {"false", "0", "no", "off", "f"};
    if (!text) return -1;
    for (size_t i = 0; i < sizeof yes / sizeof *yes; i++) {
        if (!strcasecmp(text, yes[i])) return 1;
        if (!strcasecmp(text, no[i])) return 0;
    }
    return -1;
}

int sparta__command_parse_int(const char *text, int64_t *out) {
    if (!text || !*text || isspace((unsigned char)*text)) return -1;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (errno || *end) return -1;
    *out = (int64_t)v;
    return 0;
}

void sparta__command_describe_owner(const sparta_command_tree *tree, const void *owner, char *out,
                                    size_t size) {
    const char *name = owner && tree->owner_name ? tree->owner_name(owner) : NULL;
    if (!owner) snprintf(out, size, "the sparta host");
    else if (name && !strcmp(name, "sparta")) snprintf(out, size, "the sparta host");
    else if (name) snprintf(out, size, "plugin \"%s\"", name);
    else snprintf(out, size, "the registrant at %p", owner);
}

const char *sparta__command_flag_type_name(sparta_flag_type type) {
    switch (type) {
    case SPARTA_FLAG_BOOL: return "bool";
    case SPARTA_FLAG_STRING: return "string";
    case SPARTA_FLAG_INT: return "int";
    case SPARTA_FLAG_LIST: return "strings";
    }
    return "?";
}
