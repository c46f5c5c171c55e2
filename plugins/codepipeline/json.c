/* JSON values for the template-configuration files (a stack policy from
 * sparta.cfg), pretty-printed with two-space indents in their config order.
 * Strings are sparta_text_json_string's. */
#include <inttypes.h>
#include <stdio.h>

#include "codepipeline.h"

static void newline(sparta_text *t, int indent) { sparta_text_printf(t, "\n%*s", indent * 2, ""); }

void cp_json_value(sparta_text *t, const sparta_value *v, int indent) {
    size_t n = API->value_count(v);
    switch (API->value_type(v)) {
    case SPARTA_VALUE_NULL: sparta_text_puts(t, "null"); break;
    case SPARTA_VALUE_BOOL: sparta_text_puts(t, API->value_bool(v) ? "true" : "false"); break;
    case SPARTA_VALUE_INT: sparta_text_printf(t, "%" PRId64, API->value_int(v)); break;
    case SPARTA_VALUE_DOUBLE: sparta_text_printf(t, "%.17g", API->value_double(v)); break;
    case SPARTA_VALUE_STRING: sparta_text_json_string(t, API->value_string(v)); break;
    case SPARTA_VALUE_ARRAY:
        sparta_text_puts(t, "[");
        for (size_t i = 0; i < n; i++) {
            sparta_text_puts(t, i ? "," : "");
            newline(t, indent + 1);
            cp_json_value(t, API->value_at(v, i), indent + 1);
        }
        if (n) newline(t, indent);
        sparta_text_puts(t, "]");
        break;
    case SPARTA_VALUE_OBJECT:
        sparta_text_puts(t, "{");
        for (size_t i = 0; i < n; i++) {
            sparta_text_puts(t, i ? "," : "");
            newline(t, indent + 1);
            sparta_text_json_string(t, API->value_key_at(v, i));
            sparta_text_puts(t, ": ");
            cp_json_value(t, API->value_at(v, i), indent + 1);
        }
        if (n) newline(t, indent);
        sparta_text_puts(t, "}");
        break;
    }
}
