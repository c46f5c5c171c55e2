#include "test_support.h"

#include <CUnit/Basic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

int test_main(const char *suite_name, const test_case *cases) {
    if (CU_initialize_registry() != CUE_SUCCESS) return 1;
    CU_pSuite suite = CU_add_suite(suite_name, NULL, NULL);
    for (const test_case *c = cases; c->name; c++) CU_add_test(suite, c->name, c->run);
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failed = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failed ? 1 : 0;
}

char *test_tmpdir(void) {
    const char *base = getenv("TMPDIR");
    char *tmpl = test_strf("%s/sparta-test-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(tmpl)) {
        free(tmpl);
        return NULL;
    }
    return tmpl;
}

void test_rmtree(const char *path) {
    if (path && *path && strcmp(path, "/") != 0) test_sh(NULL, "rm -rf '%s'", path);
}

char *test_read_file(const char *path, size_t *length) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += n;
        if (cap - len - 1 == 0) buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[len] = '\0';
    if (length) *length = len;
    return buf;
}

int test_write_file(const char *path, const char *text) {
    FILE *f = fopen(path, "wb");
    if (!f) return -1;
    size_t n = strlen(text);
    int ok = fwrite(text, 1, n, f) == n;
    return (fclose(f) == 0 && ok) ? 0 : -1;
}

char *test_vstrf(const char *fmt, va_list ap) {
    char *out = NULL;
    if (vasprintf(&out, fmt, ap) < 0) out = NULL;
    return out;
}

char *test_strf(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *out = test_vstrf(fmt, ap);
    va_end(ap);
    return out;
}

int test_sh(char **output, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *cmd = test_vstrf(fmt, ap);
    va_end(ap);
    if (!cmd) return -1;
    char *full = test_strf("(%s) 2>&1", cmd);
    free(cmd);
    FILE *p = popen(full, "r");
    free(full);
    if (!p) return -1;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (cap - len - 1 == 0) buf = realloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    int status = pclose(p);
    if (output) *output = buf;
    else free(buf);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

const char *test_sparta_bin(void) {
    const char *bin = getenv("SPARTA_BIN");
    return bin && *bin ? bin : SPARTA_BINARY_DIR "/bin/sparta";
}

void test_assert_contains(const char *haystack, const char *needle, const char *file, int line) {
    int found = haystack && needle && strstr(haystack, needle) != NULL;
    if (!found)
        fprintf(stderr, "\n%s:%d: expected to find\n  [%s]\nin\n  [%s]\n", file, line,
                needle ? needle : "(null)", haystack ? haystack : "(null)");
    CU_assertImplementation(found, line, "output contains expected text", file, "", CU_FALSE);
}
