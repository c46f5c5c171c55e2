/* sparta.cfg: libconfig text -> value tree -> schema validation.
 *
 * Input: the whole file text. Properties checked:
 *  - a refused text sets SPARTA_ECONFIG with a message naming the file;
 *  - an accepted text gives an object root whose values all carry the file
 *    name and a line inside the text;
 *  - sparta__value_path finds every member reached by walking the tree
 *    (for keys without '.');
 *  - schema validation writes exactly one line per problem it counts, each
 *    starting with the file name or the section path. */
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "fuzz_support.h"
#include "schema.h"

#define FILE_NAME "fuzz.cfg"

#define F(path, type, required) {sizeof(sparta_schema_field), path, SPARTA_VALUE_##type, required, NULL}
static const sparta_schema_field service_schema[] = {
    F("name", STRING, 1),          F("stackName", STRING, 0), F("region", STRING, 0),
    F("s3Bucket", STRING, 0),      F("description", STRING, 0), F("tags", OBJECT, 0),
    F("tags.*", STRING, 0),
};
static const sparta_schema_field plugin_schema[] = {
    F("memory", INT, 0),
    F("timeout", DOUBLE, 0),
    F("enabled", BOOL, 0),
    F("functions", ARRAY, 1),
    F("functions.[]", OBJECT, 0),
    F("functions.[].name", STRING, 1),
    F("functions.[].environment", OBJECT, 0),
    F("functions.[].environment.*", STRING, 0),
    F("functions.[].events", NULL, 0),
    F("functions.[].layers", ARRAY, 0),
    F("functions.[].layers.[]", STRING, 0),
    F("nested", OBJECT, 0),
    F("nested.*", OBJECT, 0),
    F("nested.*.*", ARRAY, 0),
    F("nested.*.*.[]", ARRAY, 0),
    F("nested.*.*.[].[]", INT, 0),
};
#undef F

typedef struct walk_state {
    const sparta_value *root;
    int max_line;
    char path[1024];
} walk_state;

/* reachable: the dotted path so far names v (no list on the way). */
static void walk(walk_state *s, const sparta_value *v, size_t path_len, int depth, int reachable) {
    FUZZ_CHECK(v != NULL, "a NULL value in the tree");
    FUZZ_CHECK(v->file && strcmp(v->file, FILE_NAME) == 0, "value without its file name");
    FUZZ_CHECK(v->line >= 0 && v->line <= s->max_line, "line %d outside the text (%d lines)", v->line,
               s->max_line);
    if (v->type == SPARTA_VALUE_STRING)
        FUZZ_CHECK(v->as.str.text && strlen(v->as.str.text) == v->as.str.length, "string length mismatch");
    if (depth > 200) return;
    if (v->type == SPARTA_VALUE_ARRAY) {
        for (size_t i = 0; i < v->as.array.count; i++) walk(s, v->as.array.items[i], path_len, depth + 1, 0);
    } else if (v->type == SPARTA_VALUE_OBJECT) {
        for (size_t i = 0; i < v->as.object.count; i++) {
            const char *key = v->as.object.keys[i];
            FUZZ_CHECK(key && *key, "an empty key");
            size_t n = strlen(key);
            int lookup = reachable && !strchr(key, '.') && n < 255 && path_len + n + 2 < sizeof s->path;
            if (lookup) {
                if (path_len) s->path[path_len] = '.';
                memcpy(s->path + path_len + (path_len ? 1 : 0), key, n + 1);
                size_t len = path_len + (path_len ? 1 : 0) + n;
                const sparta_value *found = sparta__value_path(s->root, s->path);
                /* A duplicate key earlier in the same object would win. */
                FUZZ_CHECK(found == v->as.object.values[i] || sparta__value_get(v, key) != v->as.object.values[i],
                           "value_path(\"%s\") did not find the member", s->path);
                walk(s, v->as.object.values[i], len, depth + 1, 1);
                s->path[path_len] = '\0';
            } else {
                walk(s, v->as.object.values[i], path_len, depth + 1, 0);
            }
        }
    }
}

static void check_problems(const sparta_schema_field *fields, size_t count, const char *section,
                           const sparta_value *root) {
    sparta_buffer problems = SPARTA_BUFFER_INIT;
    size_t n = sparta__schema_validate(fields, count, section, sparta__value_get(root, section), &problems);
    size_t lines = 0;
    const char *text = problems.data ? problems.data : "";
    for (const char *line = text; *line;) {
        const char *end = strchr(line, '\n');
        FUZZ_CHECK(end != NULL, "problem text does not end with a newline: %s", text);
        FUZZ_CHECK(strncmp(line, FILE_NAME, strlen(FILE_NAME)) == 0 || strncmp(line, section, strlen(section)) == 0,
                   "problem line names neither the file nor the section: %.*s", (int)(end - line), line);
        lines++;
        line = end + 1;
    }
    FUZZ_CHECK(lines == n, "schema counted %zu problems but wrote %zu lines:\n%s", n, lines, text);
    sparta__buffer_free(&problems);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    /* libconfig honours @include (relative to the working directory for
     * in-memory text): keep the fuzzer away from the file system. */
    if (memmem(data, size, "@include", 8) || memmem(data, size, "@INCLUDE", 8)) return 0;
    char *text = malloc(size + 1);
    if (!text) return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    int lines = 1;
    for (size_t i = 0; i < size; i++) lines += text[i] == '\n';

    sparta_config c;
    sparta_error_slot err;
    memset(&err, 0, sizeof err);
    int rc = sparta__config_load(&c, FILE_NAME, text, &err);
    if (rc != 0) {
        FUZZ_CHECK(rc == SPARTA_ECONFIG, "unexpected error code %d", rc);
        FUZZ_CHECK(strstr(err.message, FILE_NAME) != NULL, "message does not name the file: %s", err.message);
        FUZZ_CHECK(err.line >= 0 && err.line <= lines + 1, "error line %d outside the text", err.line);
        free(text);
        return 0;
    }
    FUZZ_CHECK(c.root && c.root->type == SPARTA_VALUE_OBJECT, "root is not an object");
    walk_state s = {c.root, lines, ""};
    walk(&s, c.root, 0, 0, 1);
    check_problems(service_schema, sizeof service_schema / sizeof *service_schema, "service", c.root);
    check_problems(plugin_schema, sizeof plugin_schema / sizeof *plugin_schema, "lambda", c.root);
    /* Every top-level group checked against the plugin schema too. */
    for (size_t i = 0; i < c.root->as.object.count && i < 8; i++)
        check_problems(plugin_schema, sizeof plugin_schema / sizeof *plugin_schema, c.root->as.object.keys[i],
                       c.root);
    sparta__config_free(&c);
    free(text);
    return 0;
}

/* libconfig 1.5 (Debian 12) leaks its string buffer when the scanner
 * rejects a string literal (a control character, an unterminated string);
 * fixed upstream in 1.7. Not sparta's memory: keep it out of the leak
 * report (only the scanner's own allocations). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:strbuf_append\nleak:libconfig_yylex\n"; }
