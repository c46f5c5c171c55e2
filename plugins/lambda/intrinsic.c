/* Config text that refers to stack parameters and resources:
 *   "${Stage}"            -> {"Ref": "Stage"}
 *   "table-${Stage}"      -> {"Fn::Sub": "table-${Stage}"}
 *   "a-${!Literal}-${X}"  -> Fn::Sub, whose ${!...} escape is a literal "${...}"
 *   "${!Literal}"         -> the plain string "${Literal}" (no Fn::Sub needed)
 *   anything else         -> the text itself */
#include <stdlib.h>
#include <string.h>

#include "lambda.h"

static int ref_name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ':';
}

/* "${Name}" with nothing around it and no attribute. */
static int whole_ref(const char *text, size_t *name_len) {
    size_t n = strlen(text);
    if (n < 4 || strncmp(text, "${", 2) != 0 || text[n - 1] != '}') return 0;
    for (size_t i = 2; i + 1 < n; i++)
        if (!ref_name_char(text[i])) return 0;
    *name_len = n - 3;
    return 1;
}

sparta_value *lambda_text_value(sparta_graph *g, const char *text) {
    size_t n = 0;
    if (whole_ref(text, &n)) {
        char name[256];
        if (n >= sizeof name) n = sizeof name - 1;
        memcpy(name, text + 2, n);
        name[n] = '\0';
        return lambda_api->ref(g, name);
    }
    if (!strstr(text, "${")) return lambda_api->new_string(g, text);
    /* Only ${!Literal} escapes: Fn::Sub is not needed, write the literal text. */
    int refers = 0;
    for (const char *p = strstr(text, "${"); p; p = strstr(p + 2, "${"))
        if (p[2] != '!') refers = 1;
    if (refers) return lambda_api->sub(g, text);
    sparta_value *literal = lambda_api->new_string(g, text);
    char *copy = strdup(text), *w = copy;
    if (!copy) return literal;
    for (const char *r = text; *r;) {
        if (r[0] == '$' && r[1] == '{' && r[2] == '!') {
            *w++ = '$';
            *w++ = '{';
            r += 3;
        } else {
            *w++ = *r++;
        }
    }
    *w = '\0';
    literal = lambda_api->new_string(g, copy);
    free(copy);
    return literal;
}

const char *lambda_text_check(const char *text) {
    for (const char *p = strstr(text, "${"); p; p = strstr(p, "${")) {
        const char *end = strchr(p, '}');
        if (!end) return "'${' is not closed by '}': write ${Name} to refer to a parameter, or ${!Name} for the literal text";
        if (end == p + 2) return "'${}' names nothing: write ${Name} to refer to a parameter";
        if (p[2] != '!') {
            for (const char *c = p + 2; c < end; c++)
                if (!ref_name_char(*c) && *c != '.')
                    return "a ${...} reference holds letters, digits, '::' and '.' only (${Stage}, "
                           "${AWS::Region}, ${Table.Arn}); write ${!...} for literal text";
        }
        p = end + 1;
    }
    return NULL;
}
