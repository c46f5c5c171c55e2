/* core/archive: deterministic ZIPs, entry-name rules, trees, atomic writes. */
#include "archive.h"
#include "archive_set.h"
#include "file_replace.h"
#include "test_support.h"

#include <dirent.h>
#include <errno.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *dir; /* a fresh temp dir per case */

static void setup(void) {
    unsetenv("SOURCE_DATE_EPOCH");
    dir = test_tmpdir();
    CU_ASSERT_PTR_NOT_NULL_FATAL(dir);
}

static void teardown(void) {
    test_rmtree(dir);
    free(dir);
    dir = NULL;
    unsetenv("SOURCE_DATE_EPOCH");
}

/* Writes `text` to dir/rel with `mode`, creating parent dirs; returns the path. */
static char *put(const char *rel, const char *text, mode_t mode) {
    char *path = test_strf("%s/%s", dir, rel);
    CU_ASSERT_EQUAL(test_sh(NULL, "mkdir -p \"$(dirname '%s')\"", path), 0);
    CU_ASSERT_EQUAL_FATAL(test_write_file(path, text), 0);
    CU_ASSERT_EQUAL(chmod(path, mode), 0);
    return path;
}

static void test_executable_bit_survives(void) {
    setup();
    char *boot = put("src/bootstrap", "#!/bin/sh\necho hi\n", 0755);
    char *data = put("src/data.txt", "hello\n", 0644);
    sparta_error_slot err = {0};
    sparta_archive *a = sparta__archive_new("lambda");
    CU_ASSERT_EQUAL(sparta__archive_add_file(a, "bootstrap", boot, &err), 0);
    CU_ASSERT_EQUAL(sparta__archive_add_file(a, "data.txt", data, &err), 0);
    CU_ASSERT_EQUAL(sparta__archive_add_bytes(a, "etc/config.json", "{}", 2, 0600, &err), 0);
    char text[4096];
    for (size_t i = 0; i < sizeof text; i++) text[i] = "handler(event, context)\n"[i % 24];
    CU_ASSERT_EQUAL(sparta__archive_add_bytes(a, "lib/handler.txt", text, sizeof text, 0644, &err), 0);
    CU_ASSERT_EQUAL(sparta__archive_entry_count(a), 4);
    char *zip = test_strf("%s/lambda.zip", dir);
    char hash[SPARTA_ARCHIVE_SHA256_HEX_SIZE];
    CU_ASSERT_EQUAL(sparta__archive_write(a, zip, hash, &err), 0);

    char *out = NULL;
    CU_ASSERT_EQUAL(test_sh(&out, "zipinfo '%s'", zip), 0);
    TEST_ASSERT_CONTAINS(out, "-rwxr-xr-x");
    TEST_ASSERT_CONTAINS(out, "unx");
    TEST_ASSERT_CONTAINS(out, "bootstrap");
    TEST_ASSERT_CONTAINS(out, "-rw-------");
    /* entries are sorted: bootstrap < data.txt < etc/config.json */
    const char *b = strstr(out, "bootstrap"), *d = strstr(out, "data.txt"), *e = strstr(out, "etc/config.json");
    CU_ASSERT(b && d && e && b < d && d < e);
    free(out);
    CU_ASSERT_EQUAL(test_sh(&out, "zipinfo -l '%s' bootstrap", zip), 0);
    TEST_ASSERT_CONTAINS(out, "-rwxr-xr-x");
    free(out);
    CU_ASSERT_EQUAL(test_sh(&out, "zipinfo -l '%s' data.txt", zip), 0);
    TEST_ASSERT_CONTAINS(out, "-rw-r--r--");
    /* deflate would make six bytes bigger: stored */
    TEST_ASSERT_CONTAINS(out, " stor ");
    free(out);
    CU_ASSERT_EQUAL(test_sh(&out, "zipinfo -l '%s' lib/handler.txt", zip), 0);
    TEST_ASSERT_CONTAINS(out, " defN ");
    TEST_ASSERT_CONTAINS(out, " 4096 ");
    free(out);
    CU_ASSERT_EQUAL(test_sh(&out, "unzip -t '%s'", zip), 0);
    TEST_ASSERT_CONTAINS(out, "No errors detected");
    free(out);
    /* extracted, the bootstrap still runs */
    CU_ASSERT_EQUAL(test_sh(&out, "cd '%s' && mkdir x && cd x && unzip -q ../lambda.zip && ./bootstrap", dir), 0);
    TEST_ASSERT_CONTAINS(out, "hi");
    free(out);
    /* the hash is the SHA-256 of the file's bytes */
    CU_ASSERT_EQUAL(strlen(hash), 64);
    CU_ASSERT_EQUAL(test_sh(&out, "sha256sum '%s'", zip), 0);
    CU_ASSERT(out && strncmp(out, hash, 64) == 0);
    free(out);
    /* the archive is readable by others and nothing temporary is left behind */
    struct stat st;
    CU_ASSERT_EQUAL(stat(zip, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0644);
    CU_ASSERT_EQUAL(test_sh(&out, "ls '%s' | grep -c tmp", dir), 1);
    free(out);
    sparta__archive_free(a);
    free(zip);
    free(boot);
    free(data);
    teardown();
}

/* Builds an archive from the files in `order`, returns its hash in `hash`. */
static void build(const char *const *names, const char *const *paths, size_t n, const char *zip,
                  char hash[SPARTA_ARCHIVE_SHA256_HEX_SIZE]) {
    sparta_error_slot err = {0};
    sparta_archive *a = sparta__archive_new("det");
    for (size_t i = 0; i < n; i++) CU_ASSERT_EQUAL(sparta__archive_add_file(a, names[i], paths[i], &err), 0);
    CU_ASSERT_EQUAL(sparta__archive_add_bytes(a, "gen/version.txt", "1.0\n", 4, 0644, &err), 0);
    CU_ASSERT_EQUAL(sparta__archive_write(a, zip, hash, &err), 0);
    sparta__archive_free(a);
}

static void test_deterministic(void) {
    setup();
    char *p1 = put("a/bootstrap", "binary\n", 0755), *p2 = put("a/lib/util.so", "lib\n", 0644),
         *p3 = put("a/README", "readme\n", 0644);
    char *z1 = test_strf("%s/one.zip", dir), *z2 = test_strf("%s/two.zip", dir),
         *z3 = test_strf("%s/three.zip", dir);
    char h1[SPARTA_ARCHIVE_SHA256_HEX_SIZE], h2[SPARTA_ARCHIVE_SHA256_HEX_SIZE],
        h3[SPARTA_ARCHIVE_SHA256_HEX_SIZE];
    const char *names[] = {"bootstrap", "lib/util.so", "README"};
    const char *paths[] = {p1, p2, p3};
    build(names, paths, 3, z1, h1);

    /* other mtimes, other insertion order: same bytes */
    CU_ASSERT_EQUAL(test_sh(NULL, "touch -d '2001-02-03 04:05:06' '%s' '%s'; touch '%s'", p1, p2, p3), 0);
    const char *names2[] = {"README", "lib/util.so", "bootstrap"};
    const char *paths2[] = {p3, p2, p1};
    build(names2, paths2, 3, z2, h2);
    CU_ASSERT_STRING_EQUAL(h1, h2);
    CU_ASSERT_EQUAL(test_sh(NULL, "cmp '%s' '%s'", z1, z2), 0);

    /* every timestamp is the DOS epoch; no extra fields */
    char *out = NULL;
    CU_ASSERT_EQUAL(test_sh(&out, "zipinfo -T '%s'", z1), 0);
    TEST_ASSERT_CONTAINS(out, "19800101.000000");
    CU_ASSERT_PTR_NULL(strstr(out, "2001"));
    free(out);
    CU_ASSERT_EQUAL(test_sh(&out, "zipinfo -v '%s'", z1), 0);
    TEST_ASSERT_CONTAINS(out, "file system or operating system of origin:      Unix");
    CU_ASSERT_PTR_NULL(strstr(out, "extended local header:                          yes"));
    CU_ASSERT_PTR_NULL(strstr(out, "The central-directory extra field"));
    free(out);
    CU_ASSERT_EQUAL(test_sh(&out, "zipinfo -v '%s' | grep -c 'length of extra field: *0 bytes'", z1), 0);
    TEST_ASSERT_CONTAINS(out, "4");
    free(out);

    /* SOURCE_DATE_EPOCH moves the timestamp (2023-11-14 22:13:20 UTC) */
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    build(names, paths, 3, z3, h3);
    CU_ASSERT_STRING_NOT_EQUAL(h1, h3);
    CU_ASSERT_EQUAL(test_sh(&out, "zipinfo -T '%s'", z3), 0);
    TEST_ASSERT_CONTAINS(out, "20231114.221320");
    free(out);
    /* before 1980 clamps to the DOS epoch */
    setenv("SOURCE_DATE_EPOCH", "0", 1);
    build(names, paths, 3, z3, h3);
    CU_ASSERT_STRING_EQUAL(h1, h3);

    /* a garbled SOURCE_DATE_EPOCH is an error, not a silent fallback */
    setenv("SOURCE_DATE_EPOCH", "yesterday", 1);
    sparta_error_slot err = {0};
    sparta_archive *a = sparta__archive_new("det");
    CU_ASSERT_EQUAL(sparta__archive_write(a, z3, NULL, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "SOURCE_DATE_EPOCH=\"yesterday\"");
    sparta__archive_free(a);

    free(p1), free(p2), free(p3), free(z1), free(z2), free(z3);
    teardown();
}

static void expect_bad_name(const char *name, const char *why) {
    sparta_error_slot err = {0};
    sparta_archive *a = sparta__archive_new("lambda");
    CU_ASSERT_EQUAL(sparta__archive_add_bytes(a, name, "x", 1, 0644, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "archive \"lambda\": invalid entry name");
    TEST_ASSERT_CONTAINS(err.message, why);
    CU_ASSERT_EQUAL(sparta__archive_entry_count(a), 0);
    sparta__archive_free(a);
}

static void test_entry_names(void) {
    expect_bad_name("", "empty");
    expect_bad_name("/etc/passwd", "absolute");
    expect_bad_name("../evil", "\"..\" component");
    expect_bad_name("a/../../evil", "\"..\" component");
    expect_bad_name("a\\b", "backslash");
    expect_bad_name("a//b", "empty path component");
    expect_bad_name("dir/", "empty path component");
    expect_bad_name("./a", "\".\" component");
    expect_bad_name("a\nb", "control character");

    sparta_error_slot err = {0};
    sparta_archive *a = sparta__archive_new("lambda");
    CU_ASSERT_EQUAL(sparta__archive_add_bytes(a, "..hidden/..x/a..b", "x", 1, 0644, &err), 0);
    CU_ASSERT_EQUAL(sparta__archive_add_bytes(a, "bootstrap", "x", 1, 0755, &err), 0);
    /* duplicates name the entry and both sources */
    setup();
    char *src = put("bootstrap", "y", 0755);
    CU_ASSERT_EQUAL(sparta__archive_add_file(a, "bootstrap", src, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "duplicate entry \"bootstrap\"");
    TEST_ASSERT_CONTAINS(err.message, "in-memory bytes");
    TEST_ASSERT_CONTAINS(err.message, src);
    /* a file cannot also be a directory, in either order */
    CU_ASSERT_EQUAL(sparta__archive_add_bytes(a, "bootstrap/x", "x", 1, 0644, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "needs \"bootstrap\" to be a directory");
    CU_ASSERT_EQUAL(sparta__archive_add_bytes(a, "lib/a/b.so", "x", 1, 0644, &err), 0);
    CU_ASSERT_EQUAL(sparta__archive_add_bytes(a, "lib/a", "x", 1, 0644, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "entry \"lib/a\"");
    TEST_ASSERT_CONTAINS(err.message, "needs it to be a directory");
    CU_ASSERT_EQUAL(sparta__archive_entry_count(a), 3);
    /* a missing source file names the file */
    char *missing = test_strf("%s/nope", dir);
    CU_ASSERT_EQUAL(sparta__archive_add_file(a, "nope", missing, &err), SPARTA_EIO);
    TEST_ASSERT_CONTAINS(err.message, missing);
    TEST_ASSERT_CONTAINS(err.message, "No such file");
    CU_ASSERT_EQUAL(sparta__archive_add_file(a, "d", dir, &err), SPARTA_EIO);
    TEST_ASSERT_CONTAINS(err.message, "not a regular file");
    free(missing);
    free(src);
    sparta__archive_free(a);
    teardown();
}

static void test_tree(void) {
    setup();
    free(put("app/bootstrap", "run", 0755));
    free(put("app/.env", "hidden", 0600));
    free(put("app/lib/deep/x.so", "so", 0644));
    CU_ASSERT_EQUAL(test_sh(NULL, "cd '%s/app' && mkdir empty && ln -s lib/deep/x.so link.so", dir), 0);
    char *app = test_strf("%s/app", dir);
    sparta_error_slot err = {0};
    sparta_archive *a = sparta__archive_new("tree");
    CU_ASSERT_EQUAL(sparta__archive_add_tree(a, "pkg/", app, &err), 0);
    CU_ASSERT_EQUAL(sparta__archive_entry_count(a), 4);
    char *zip = test_strf("%s/tree.zip", dir);
    CU_ASSERT_EQUAL(sparta__archive_write(a, zip, NULL, &err), 0);
    char *out = NULL;
    CU_ASSERT_EQUAL(test_sh(&out, "unzip -Z1 '%s'", zip), 0);
    CU_ASSERT_STRING_EQUAL(out, "pkg/.env\npkg/bootstrap\npkg/lib/deep/x.so\npkg/link.so\n");
    free(out);
    CU_ASSERT_EQUAL(test_sh(&out, "unzip -Z -l '%s' pkg/bootstrap", zip), 0);
    TEST_ASSERT_CONTAINS(out, "-rwxr-xr-x");
    free(out);
    CU_ASSERT_EQUAL(test_sh(&out, "unzip -p '%s' pkg/link.so", zip), 0);
    CU_ASSERT_STRING_EQUAL(out, "so");
    free(out);
    /* the same tree again clashes entry by entry */
    CU_ASSERT_EQUAL(sparta__archive_add_tree(a, "pkg", app, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "duplicate entry");
    CU_ASSERT_EQUAL(sparta__archive_entry_count(a), 4);
    /* root prefix */
    sparta_archive *r = sparta__archive_new("root");
    CU_ASSERT_EQUAL(sparta__archive_add_tree(r, "", app, &err), 0);
    CU_ASSERT_STRING_EQUAL(sparta__archive_entry_name_at(r, 0) ? "ok" : "none", "ok");
    CU_ASSERT_EQUAL(sparta__archive_add_bytes(r, "bootstrap", "x", 1, 0755, &err), SPARTA_EUSAGE);
    sparta__archive_free(r);

    /* a symlink out of the tree is refused, and nothing is added */
    free(put("secret", "s", 0600));
    CU_ASSERT_EQUAL(test_sh(NULL, "cd '%s/app' && ln -s ../secret leak", dir), 0);
    sparta_archive *b = sparta__archive_new("tree");
    CU_ASSERT_EQUAL(sparta__archive_add_tree(b, "", app, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "points outside the tree");
    TEST_ASSERT_CONTAINS(err.message, "leak");
    CU_ASSERT_EQUAL(sparta__archive_entry_count(b), 0);
    /* dangling symlinks and symlinked directories too */
    CU_ASSERT_EQUAL(test_sh(NULL, "cd '%s/app' && rm leak && ln -s nowhere dangling", dir), 0);
    CU_ASSERT_EQUAL(sparta__archive_add_tree(b, "", app, &err), SPARTA_EIO);
    TEST_ASSERT_CONTAINS(err.message, "dangling");
    CU_ASSERT_EQUAL(test_sh(NULL, "cd '%s/app' && rm dangling && ln -s lib libdir", dir), 0);
    CU_ASSERT_EQUAL(sparta__archive_add_tree(b, "", app, &err), SPARTA_EUSAGE);
    TEST_ASSERT_CONTAINS(err.message, "not a regular file");
    CU_ASSERT_EQUAL(sparta__archive_entry_count(b), 0);
    CU_ASSERT_EQUAL(sparta__archive_add_tree(b, "", "/nonexistent/dir", &err), SPARTA_EIO);
    TEST_ASSERT_CONTAINS(err.message, "/nonexistent/dir");
    sparta__archive_free(b);
    sparta__archive_free(a);
    free(app);
    free(zip);
    teardown();
}

static void test_write_errors_and_empty(void) {
    setup();
    sparta_error_slot err = {0};
    sparta_archive *a = sparta__archive_new("empty");
    char *zip = test_strf("%s/empty.zip", dir);
    char hash[SPARTA_ARCHIVE_SHA256_HEX_SIZE];
    CU_ASSERT_EQUAL(sparta__archive_write(a, zip, hash, &err), 0);
    size_t len = 0;
    char *bytes = test_read_file(zip, &len);
    CU_ASSERT_EQUAL(len, 22);
    CU_ASSERT(bytes && memcmp(bytes, "PK\5\6", 4) == 0);
    free(bytes);
    CU_ASSERT_STRING_EQUAL(hash, "8739c76e681f900923b900c9df0ef75cf421d39cabb54650c4b9ad19b6a76d85");
    /* into a directory that does not exist: named, and no partial file */
    char *bad = test_strf("%s/missing/out.zip", dir);
    CU_ASSERT_EQUAL(sparta__archive_write(a, bad, NULL, &err), SPARTA_EIO);
    TEST_ASSERT_CONTAINS(err.message, bad);
    TEST_ASSERT_CONTAINS(err.message, "directory exists");
    /* a source file that vanished before the write is named */
    char *gone = put("gone", "x", 0644);
    CU_ASSERT_EQUAL(sparta__archive_add_file(a, "gone", gone, &err), 0);
    unlink(gone);
    CU_ASSERT_EQUAL(sparta__archive_write(a, zip, NULL, &err), SPARTA_EIO);
    TEST_ASSERT_CONTAINS(err.message, gone);
    TEST_ASSERT_CONTAINS(err.message, "entry \"gone\"");
    /* the earlier archive is intact */
    CU_ASSERT_EQUAL(test_sh(NULL, "cmp -s '%s' /dev/null || test $(stat -c %%s '%s') = 22", zip, zip), 0);
    free(gone);
    free(bad);
    free(zip);
    sparta__archive_free(a);
    teardown();
}

/* Counts the entries of dir whose name contains `part`. */
static int count_entries(const char *directory, const char *part) {
    DIR *d = opendir(directory);
    int n = 0;
    for (struct dirent *de; d && (de = readdir(d));) n += strstr(de->d_name, part) != NULL;
    if (d) closedir(d);
    return n;
}

static void test_unchanged_output_is_left_alone(void) {
    setup();
    char *path = test_strf("%s/out.zip", dir);
    const char *step = NULL;
    CU_ASSERT_EQUAL(sparta__file_replace(path, "first", 5, &step), SPARTA_FILE_WRITTEN);
    struct stat before, after;
    CU_ASSERT_EQUAL_FATAL(stat(path, &before), 0);
    /* the same bytes: same inode, nothing created */
    CU_ASSERT_EQUAL(sparta__file_replace(path, "first", 5, &step), SPARTA_FILE_UNCHANGED);
    CU_ASSERT_EQUAL_FATAL(stat(path, &after), 0);
    CU_ASSERT_EQUAL(before.st_ino, after.st_ino);
    /* same length, other bytes; then another length: replaced */
    CU_ASSERT_EQUAL(sparta__file_replace(path, "fir5t", 5, &step), SPARTA_FILE_WRITTEN);
    char *text = test_read_file(path, NULL);
    CU_ASSERT_STRING_EQUAL(text, "fir5t");
    free(text);
    CU_ASSERT_EQUAL(sparta__file_replace(path, "first!", 6, &step), SPARTA_FILE_WRITTEN);
    CU_ASSERT_EQUAL_FATAL(stat(path, &after), 0);
    CU_ASSERT_EQUAL(after.st_size, 6);
    CU_ASSERT_EQUAL(count_entries(dir, ".tmp-"), 0);
    /* a directory that cannot be written: an error naming the step, the old file intact */
    if (geteuid() != 0) {
        CU_ASSERT_EQUAL(chmod(dir, 0555), 0);
        errno = 0;
        CU_ASSERT_EQUAL(sparta__file_replace(path, "second", 6, &step), -1);
        CU_ASSERT_STRING_EQUAL(step, "create");
        CU_ASSERT_EQUAL(errno, EACCES);
        CU_ASSERT_EQUAL(chmod(dir, 0755), 0);
    }
    char *missing = test_strf("%s/no/such/dir/out.zip", dir);
    CU_ASSERT_EQUAL(sparta__file_replace(missing, "x", 1, &step), -1);
    CU_ASSERT_STRING_EQUAL(step, "create");
    CU_ASSERT_EQUAL(errno, ENOENT);
    text = test_read_file(path, NULL);
    CU_ASSERT_STRING_EQUAL(text, "first!");
    free(text);
    free(missing);
    free(path);
    teardown();
}

/* Many archives through one writer (as a synthesis writes them): each
 * reads back whole with Python's zipfile, an independent reader. */
static void test_writer_reused_across_archives(void) {
    setup();
    sparta_zip_writer *writer = sparta__zip_writer_new();
    CU_ASSERT_PTR_NOT_NULL_FATAL(writer);
    sparta_error_slot err = {0};
    size_t big_length = 3u << 20;
    unsigned char *big = malloc(big_length);
    CU_ASSERT_PTR_NOT_NULL_FATAL(big);
    uint32_t x = 12345;
    for (size_t i = 0; i < big_length; i++) {
        x = x * 1103515245u + 12345u; /* half noise, half text: some of it compresses */
        big[i] = (i / 4096) % 2 ? (unsigned char)(x >> 24) : (unsigned char)("abcdefgh\n"[i % 9]);
    }
    for (int round = 0; round < 3; round++) {
        sparta_archive *a = sparta__archive_new("many");
        for (int i = 0; i < 300; i++) {
            char name[64], body[64];
            snprintf(name, sizeof name, "dir%d/file%03d.txt", i % 7, i);
            snprintf(body, sizeof body, "round %d file %d\n", round, i);
            CU_ASSERT_EQUAL(sparta__archive_add_bytes(a, name, body, strlen(body), 0644, &err), 0);
        }
        CU_ASSERT_EQUAL(sparta__archive_add_bytes(a, "big.bin", big, big_length, 0755, &err), 0);
        CU_ASSERT_EQUAL(sparta__archive_add_bytes(a, "empty", "", 0, 0600, &err), 0);
        char *zip = test_strf("%s/many%d.zip", dir, round);
        CU_ASSERT_EQUAL(sparta__archive_write_with(a, writer, zip, NULL, &err), 0);
        char *out = NULL;
        CU_ASSERT_EQUAL(test_sh(&out,
                                "python3 -c 'import sys, zipfile, hashlib\n"
                                "z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None\n"
                                "n = z.namelist(); assert n == sorted(n), n\n"
                                "print(len(n), z.read(\"dir3/file003.txt\").decode().strip(),\n"
                                "      hashlib.sha256(z.read(\"big.bin\")).hexdigest()[:16], len(z.read(\"empty\")),\n"
                                "      oct(z.getinfo(\"big.bin\").external_attr >> 16))' '%s'",
                                zip),
                        0);
        char *want = test_strf("302 round %d file 3", round);
        TEST_ASSERT_CONTAINS(out, want);
        TEST_ASSERT_CONTAINS(out, " 0 0o100755");
        free(want);
        free(out);
        /* the big entry's SHA-256 matches the bytes given */
        char *big_path = test_strf("%s/big.bin", dir);
        FILE *f = fopen(big_path, "wb");
        CU_ASSERT_PTR_NOT_NULL_FATAL(f);
        CU_ASSERT_EQUAL(fwrite(big, 1, big_length, f), big_length);
        CU_ASSERT_EQUAL(fclose(f), 0);
        free(big_path);
        CU_ASSERT_EQUAL(test_sh(&out, "cd '%s' && python3 -c 'import zipfile,sys; sys.stdout.buffer.write("
                                      "zipfile.ZipFile(\"many%d.zip\").read(\"big.bin\"))' | cmp - big.bin",
                                dir, round),
                        0);
        free(out);
        free(zip);
        sparta__archive_free(a);
    }
    free(big);
    sparta__zip_writer_free(writer);
    teardown();
}

/* The archives of a synthesis are written side by side; the result is as if
 * one at a time: every key names its bytes, and the failure reported is the
 * first archive's that failed, whatever thread met it. */
static void test_archive_set_written_side_by_side(void) {
    setup();
    sparta_archive_set set = {0};
    sparta_error_slot err = {0};
    char *out = test_strf("%s/out", dir);
    CU_ASSERT_EQUAL_FATAL(mkdir(out, 0755), 0);
    char *sources[40];
    for (int i = 0; i < 40; i++) {
        char name[32], text[64];
        snprintf(name, sizeof name, "fn%02d", i);
        snprintf(text, sizeof text, "print('function %d')\n", i);
        char *rel = test_strf("src/%s/index.py", name);
        sources[i] = put(rel, text, 0644);
        free(rel);
        sparta_archive *a = sparta__archive_set_get(&set, name, &err);
        CU_ASSERT_PTR_NOT_NULL_FATAL(a);
        CU_ASSERT_EQUAL(sparta__archive_add_file(a, "index.py", sources[i], &err), 0);
    }
    CU_ASSERT_EQUAL(sparta__archive_set_write_all(&set, out, "svc", &err), 0);
    for (int i = 0; i < 40; i++) {
        const sparta_named_archive *a = &set.items[i];
        char *sum = NULL;
        CU_ASSERT_EQUAL(test_sh(&sum, "sha256sum '%s'", a->path), 0);
        CU_ASSERT(sum && strncmp(sum, a->sha256, 64) == 0);
        char *key = test_strf("svc/fn%02d-%s.zip", i, a->sha256);
        CU_ASSERT_STRING_EQUAL(a->s3_key, key);
        free(key);
        free(sum);
    }
    CU_ASSERT_EQUAL(count_entries(out, ".tmp-"), 0);
    /* Two sources vanish: the error names the earlier one. */
    unlink(sources[31]);
    unlink(sources[7]);
    CU_ASSERT_EQUAL(sparta__archive_set_write_all(&set, out, "svc", &err), SPARTA_EIO);
    TEST_ASSERT_CONTAINS(err.message, sources[7]);
    CU_ASSERT_PTR_NULL(strstr(err.message, sources[31]));
    /* What was written before it is intact and unchanged. */
    CU_ASSERT_EQUAL(test_sh(NULL, "unzip -tq '%s/fn00.zip' && unzip -tq '%s/fn06.zip'", out, out), 0);
    CU_ASSERT_EQUAL(count_entries(out, ".tmp-"), 0);
    for (int i = 0; i < 40; i++) free(sources[i]);
    sparta__archive_set_free(&set);
    free(out);
    teardown();
}

int main(void) {
    static const test_case cases[] = {
        {"executable bit survives, unzip -t accepts", test_executable_bit_survives},
        {"byte-identical across mtimes and order", test_deterministic},
        {"entry names are validated", test_entry_names},
        {"directory trees and symlinks", test_tree},
        {"write errors and the empty archive", test_write_errors_and_empty},
        {"an unchanged output file is left alone", test_unchanged_output_is_left_alone},
        {"one writer, many archives, read back by zipfile", test_writer_reused_across_archives},
        {"an archive set is written side by side", test_archive_set_written_side_by_side},
        {NULL, NULL},
    };
    return test_main("archive", cases);
}
