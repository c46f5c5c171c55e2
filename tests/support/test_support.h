/* Shared helpers for the CUnit suites: a runner, temp dirs, files, processes. */
#ifndef SPARTA_TEST_SUPPORT_H
#define SPARTA_TEST_SUPPORT_H

#include <CUnit/CUnit.h>
#include <stdarg.h>
#include <stddef.h>

typedef struct test_case {
    const char *name;
    void (*run)(void);
} test_case;

/* Runs the cases (terminated by {NULL, NULL}) as one CUnit suite; prints the
 * CUnit summary and returns the process exit status (0 when all pass). */
int test_main(const char *suite_name, const test_case *cases);

/* A fresh directory under $TMPDIR (or /tmp); caller frees the path. */
char *test_tmpdir(void);
/* Removes a directory tree (rm -rf). */
void test_rmtree(const char *path);
/* Whole file as a NUL-terminated string, or NULL; caller frees. */
char *test_read_file(const char *path, size_t *length);
int test_write_file(const char *path, const char *text);
/* printf into a fresh string; caller frees. */
char *test_strf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* test_strf for variadic helpers of their own; NULL when out of memory. */
char *test_vstrf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));
/* Runs a shell command, captures stdout+stderr into *output (may be NULL);
 * returns the exit status, or -1 if it could not run. */
int test_sh(char **output, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Path of the built sparta tool ($SPARTA_BIN or the build tree's bin/sparta). */
const char *test_sparta_bin(void);
/* Asserts that `haystack` contains `needle`, printing both when it does not. */
#define TEST_ASSERT_CONTAINS(haystack, needle) \
    test_assert_contains((haystack), (needle), __FILE__, __LINE__)
void test_assert_contains(const char *haystack, const char *needle, const char *file, int line);

#endif
