/* JSON text for the template-configuration files: strings escaped as RFC
 * 8259 asks, values (a stack policy from sparta.cfg) pretty-printed with
 * two-space indents in their config order. */
#include <inttypes.h>
#include <stdio.h>

#include "codepipeline.h"

void cp_json_string(codebuild_text *t, const char *s) {
    codebuild_text_put(t, "\"");
    for (const unsigned char *q = (const unsigned char *)s; q && *q; q++) {
        switch (*q) {
        case '"': codebuild_text_put(t, "\\\""); break;
        case '\\': codebuild_text_put(t, "\\\\"); break;
        case '\n': codebuild_text_put(t, "\\n"); break;
        case '\r': codebuild_text_put(t, "\\r"); break;
        case '\t': codebuild_text_put(t, "\\t"); break;
        default:
            if (*q < 0x20) codebuild_text_printf(t, "\\u%04x", *q);
            else codebuild_text_printf(t, "%c", *q);
        }
    }
    codebuild_text_put(t, "\"");
}

static void newline(codebuild_text *t, int indent) { codebuild_text_printf(t, "\n%*s", indent * 2, ""); }

void cp_json_value(codebuild_text *t, const sparta_value *v, int indent) {
    size_t n = API->value_count(v);
    switch (API->value_type(v)) {
    case SPARTA_VALUE_NULL: codebuild_text_put(t, "null"); break;
    case SPARTA_VALUE_BOOL: codebuild_text_put(t, API->value_bool(v) ? "true" : "false"); break;
    case SPARTA_VALUE_INT: codebuild_text_printf(t, "%" PRId64, API->value_int(v)); break;
    case SPARTA_VALUE_DOUBLE: codebuild_text_printf(t, "%.17g", API->value_double(v)); break;
    case SPARTA_VALUE_STRING: cp_json_string(t, API->value_string(v)); break;
    case SPARTA_VALUE_ARRAY:
        codebuild_text_put(t, "[");
        for (size_t i = 0; i < n; i++) {
            codebuild_text_put(t, i ? "," : "");
            newline(t, indent + 1);
            cp_json_value(t, API->value_at(v, i), indent + 1);
        }
        if (n) newline(t, indent);
        codebuild_text_put(t, "]");
        break;
    case SPARTA_VALUE_OBJECT:
        codebuild_text_put(t, "{");
        for (size_t i = 0; i < n; i++) {
            codebuild_text_put(t, i ? "," : "");
            newline(t, indent + 1);
            cp_json_string(t, API->value_key_at(v, i));
            codebuild_text_put(t, ": ");
            cp_json_value(t, API->value_at(v, i), indent + 1);
        }
        if (n) newline(t, indent);
        codebuild_text_put(t, "}");
        break;
    }
}
