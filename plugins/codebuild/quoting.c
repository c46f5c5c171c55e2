/* The two quoting rules buildspecs need: YAML double-quoted scalars for
 * commands, and single-quoted shell words inside those commands. */
#include "codebuild.h"

void codebuild_text_yaml_string(sparta_text *t, const char *s) {
    sparta_text_put(t, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
        if (*p == '"' || *p == '\\') {
            char escaped[2] = {'\\', (char)*p};
            sparta_text_put(t, escaped, 2);
        } else if (*p == '\n') {
            sparta_text_put(t, "\\n", 2);
        } else if (*p == '\t') {
            sparta_text_put(t, "\\t", 2);
        } else if (*p < 0x20) {
            sparta_text_printf(t, "\\x%02x", *p);
        } else {
            sparta_text_put(t, (const char *)p, 1);
        }
    }
    sparta_text_put(t, "\"", 1);
}

void codebuild_text_shell_word(sparta_text *t, const char *s) {
    sparta_text_put(t, "'", 1);
    for (const char *p = s; p && *p; p++) {
        if (*p == '\'') sparta_text_put(t, "'\\''", 4);
        else sparta_text_put(t, p, 1);
    }
    sparta_text_put(t, "'", 1);
}

void codebuild_text_command(sparta_text *t, const char *cmd) {
    sparta_text_puts(t, "      - ");
    codebuild_text_yaml_string(t, cmd);
    sparta_text_puts(t, "\n");
}
