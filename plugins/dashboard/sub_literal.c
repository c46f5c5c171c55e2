/* Literal text inside an Fn::Sub string: the dashboard body is one Fn::Sub,
 * so a "${" that names no variable must be written "${!". */
#include <string.h>

#include "dashboard.h"

void dash_text_sub_literal(sparta_text *t, const char *s) {
    for (const char *p = strstr(s, "${"); p; p = strstr(s, "${")) {
        sparta_text_put(t, s, (size_t)(p - s));
        sparta_text_puts(t, "${!");
        s = p + 2;
    }
    sparta_text_puts(t, s);
}
