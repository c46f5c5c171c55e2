/* Archive entry names and trees: what a plugin (or a service's code tree)
 * puts into a Lambda ZIP.
 *
 * Input: a mode byte, then
 *  - bytes mode: up to 16 entries (name up to NUL, content, permission
 *    bits) given to sparta__archive_add_bytes;
 *  - tree mode: a directory built from the input (files with fuzzed names,
 *    a subdirectory, symlinks with fuzzed targets, some of them leading out
 *    of the tree to a file holding a marker) given to
 *    sparta__archive_add_tree with a fuzzed prefix.
 * Properties:
 *  - an accepted name is never empty or absolute, has no "..", "." or empty
 *    component, no backslash or control character, is UTF-8, and clashes
 *    with no other entry (same name, or a file used as a directory);
 *  - the archive written and read back with libzip (names raw) has exactly
 *    the accepted entries, sorted bytewise, with their bytes and modes;
 *  - adding the same entries in reverse order writes the same bytes (same
 *    SHA-256);
 *  - add_tree is all or nothing, and nothing from outside the tree gets in. */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "archive.h"
#include "fuzz_support.h"

#define MAX_ENTRIES 16
#define OUTSIDE_MARKER "OUTSIDE-THE-TREE-MARKER"

static char g_dir[256]; /* this process's scratch directory */

static void scratch_init(void) {
    if (*g_dir) return;
    const char *tmp = getenv("TMPDIR");
    snprintf(g_dir, sizeof g_dir, "%s/sparta-fuzz-archive-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    FUZZ_CHECK(mkdtemp(g_dir) != NULL, "mkdtemp %s", g_dir);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

static void rm_tree(const char *path) { nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS); }

/* Strict UTF-8: no overlong forms, surrogates or code points past U+10FFFF. */
static int valid_utf8(const unsigned char *p) {
    while (*p) {
        unsigned c = *p, len, cp, min;
        if (c < 0x80) { p++; continue; }
        if ((c & 0xe0) == 0xc0) { len = 2; cp = c & 0x1f; min = 0x80; }
        else if ((c & 0xf0) == 0xe0) { len = 3; cp = c & 0x0f; min = 0x800; }
        else if ((c & 0xf8) == 0xf0) { len = 4; cp = c & 0x07; min = 0x10000; }
        else return 0;
        for (unsigned k = 1; k < len; k++) {
            if ((p[k] & 0xc0) != 0x80) return 0;
            cp = (cp << 6) | (p[k] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return 0;
        p += len;
    }
    return 1;
}

/* The rules of archive.h, plus UTF-8: entries are written with the UTF-8
 * flag, and libzip refuses a name that is not UTF-8 when it writes. */
static int name_ok(const char *name) {
    size_t len = strlen(name);
    if (!len || len > 65535 || name[0] == '/' || strchr(name, '\\')) return 0;
    if (!valid_utf8((const unsigned char *)name)) return 0;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
        if (*p < 0x20 || *p == 0x7f) return 0;
    for (const char *c = name; c;) {
        const char *slash = strchr(c, '/');
        size_t n = slash ? (size_t)(slash - c) : strlen(c);
        if (n == 0 || (n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.')) return 0;
        c = slash ? slash + 1 : NULL;
    }
    return 1;
}

typedef struct entry {
    char *name;
    char *bytes;
    size_t length;
    uint32_t mode;
} entry;

/* Does `a` need `b` as a directory ("lib" vs "lib/x"), or the other way? */
static int clash(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    if (la < lb) return !strncmp(a, b, la) && b[la] == '/';
    if (lb < la) return !strncmp(a, b, lb) && a[lb] == '/';
    return !strcmp(a, b);
}

static int name_cmp(const void *x, const void *y) {
    return strcmp(((const entry *)x)->name, ((const entry *)y)->name);
}

/* Reads the archive back and compares it with the accepted entries (any
 * order; sorted here). contents: compare bytes too. */
static void read_back(const char *path, entry *accepted, size_t count, int contents) {
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    FUZZ_CHECK(z != NULL, "written archive does not open (libzip error %d)", zerr);
    zip_int64_t n = zip_get_num_entries(z, 0);
    FUZZ_CHECK(n == (zip_int64_t)count, "archive has %lld entries, %zu accepted", (long long)n, count);
    qsort(accepted, count, sizeof *accepted, name_cmp);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(z, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
        FUZZ_CHECK(name && !strcmp(name, accepted[i].name), "entry %lld is \"%s\", want \"%s\"", (long long)i,
                   name ? name : "(null)", accepted[i].name);
        FUZZ_CHECK(name_ok(name), "an invalid name reached the archive: \"%s\"", name);
        zip_uint8_t opsys;
        zip_uint32_t attr;
        FUZZ_CHECK(zip_file_get_external_attributes(z, (zip_uint64_t)i, 0, &opsys, &attr) == 0 &&
                       opsys == ZIP_OPSYS_UNIX,
                   "external attributes of %s", name);
        if (!contents) continue;
        FUZZ_CHECK(((attr >> 16) & 07777) == (accepted[i].mode & 0777), "mode of %s: %o, want %o", name,
                   (attr >> 16) & 07777, accepted[i].mode & 0777);
        zip_file_t *f = zip_fopen_index(z, (zip_uint64_t)i, 0);
        FUZZ_CHECK(f != NULL, "cannot open entry %s", name);
        char *buf = malloc(accepted[i].length + 1);
        zip_int64_t got = zip_fread(f, buf, accepted[i].length + 1);
        FUZZ_CHECK(got == (zip_int64_t)accepted[i].length && !memcmp(buf, accepted[i].bytes, accepted[i].length),
                   "content of %s differs", name);
        free(buf);
        zip_fclose(f);
    }
    zip_discard(z);
}

static void bytes_mode(fuzz_input *in) {
    entry entries[MAX_ENTRIES];
    size_t n = 0, accepted = 0;
    sparta_archive *a = sparta__archive_new("fuzz");
    sparta_error_slot err;
    while (!fuzz_empty(in) && n < MAX_ENTRIES) {
        entry *e = &entries[n++];
        e->name = fuzz_string_until(in, 0, 120, NULL);
        e->bytes = fuzz_string_sized(in, 64, &e->length);
        e->mode = fuzz_u16(in);
        memset(&err, 0, sizeof err);
        int rc = sparta__archive_add_bytes(a, e->name, e->bytes, e->length, e->mode, &err);
        int expect = name_ok(e->name);
        for (size_t k = 0; k < n - 1 && expect; k++)
            if (entries[k].mode != UINT32_MAX && clash(entries[k].name, e->name)) expect = 0;
        FUZZ_CHECK((rc == 0) == expect, "name \"%s\" %s (%s)", e->name, rc ? "refused" : "accepted",
                   rc ? err.message : "should be refused");
        if (rc) {
            FUZZ_CHECK(strstr(err.message, "fuzz") != NULL, "refusal does not name the archive");
            e->mode = UINT32_MAX; /* marks a refused entry */
        } else {
            accepted++;
        }
    }
    FUZZ_CHECK(sparta__archive_entry_count(a) == accepted, "entry count");

    char path[300], sha1[SPARTA_ARCHIVE_SHA256_HEX_SIZE], sha2[SPARTA_ARCHIVE_SHA256_HEX_SIZE];
    snprintf(path, sizeof path, "%s/bytes.zip", g_dir);
    memset(&err, 0, sizeof err);
    FUZZ_CHECK(sparta__archive_write(a, path, sha1, &err) == 0, "write failed: %s", err.message);

    /* Same entries, reverse order: same bytes. */
    sparta_archive *b = sparta__archive_new("fuzz");
    for (size_t i = n; i-- > 0;)
        if (entries[i].mode != UINT32_MAX)
            FUZZ_CHECK(sparta__archive_add_bytes(b, entries[i].name, entries[i].bytes, entries[i].length,
                                                 entries[i].mode, &err) == 0,
                       "re-adding %s: %s", entries[i].name, err.message);
    char path2[300];
    snprintf(path2, sizeof path2, "%s/bytes2.zip", g_dir);
    FUZZ_CHECK(sparta__archive_write(b, path2, sha2, &err) == 0, "second write failed: %s", err.message);
    FUZZ_CHECK(!strcmp(sha1, sha2), "insertion order changed the archive bytes");

    entry kept[MAX_ENTRIES];
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (entries[i].mode != UINT32_MAX) kept[k++] = entries[i];
    read_back(path, kept, k, 1);

    sparta__archive_free(a);
    sparta__archive_free(b);
    for (size_t i = 0; i < n; i++) {
        free(entries[i].name);
        free(entries[i].bytes);
    }
}

static const char *const link_targets[] = {"f0", "sub/f1", "../outside/secret", "/etc/hostname", "sub",
                                           "missing", "./f0", "sub/../f0", "sub/../../outside/secret", "l0"};

/* A file name the file system takes: no '/', no NUL, not "." or "..". */
static char *fs_name(fuzz_input *in, const char *fallback) {
    char *s = fuzz_string_until(in, 0, 40, NULL);
    for (char *p = s; *p; p++)
        if (*p == '/') *p = '_';
    if (!*s || !strcmp(s, ".") || !strcmp(s, "..")) {
        free(s);
        s = strdup(fallback);
    }
    return s;
}

static void tree_mode(fuzz_input *in) {
    char root[300], tree[320], outside[320], sub[400], path[700];
    snprintf(root, sizeof root, "%s/t", g_dir);
    rm_tree(root);
    snprintf(tree, sizeof tree, "%s/tree", root);
    snprintf(outside, sizeof outside, "%s/outside", root);
    FUZZ_CHECK(mkdir(root, 0755) == 0 && mkdir(tree, 0755) == 0 && mkdir(outside, 0755) == 0, "mkdir");
    snprintf(path, sizeof path, "%s/secret", outside);
    FILE *f = fopen(path, "w");
    fputs(OUTSIDE_MARKER, f);
    fclose(f);
    snprintf(path, sizeof path, "%s/f0", tree);
    f = fopen(path, "w");
    fputs("zero", f);
    fclose(f);
    snprintf(sub, sizeof sub, "%s/sub", tree);
    mkdir(sub, 0755);
    snprintf(path, sizeof path, "%s/f1", sub);
    f = fopen(path, "w");
    fputs("one", f);
    fclose(f);

    char *prefix = fuzz_string_until(in, 0, 60, NULL);
    size_t files = fuzz_pick(in, 6);
    for (size_t i = 0; i < files; i++) {
        char *name = fs_name(in, "file");
        snprintf(path, sizeof path, "%s/%s", (fuzz_u8(in) & 1) ? sub : tree, name);
        f = fopen(path, "w");
        if (f) {
            fputs("inside", f);
            fclose(f);
        }
        free(name);
    }
    size_t links = fuzz_pick(in, 4);
    for (size_t i = 0; i < links; i++) {
        char *name = fs_name(in, "link");
        uint8_t t = fuzz_u8(in);
        char *target = t < 0xe0 ? strdup(link_targets[t % (sizeof link_targets / sizeof *link_targets)])
                                : fuzz_string_until(in, 0, 60, NULL);
        snprintf(path, sizeof path, "%s/%s", (fuzz_u8(in) & 1) ? sub : tree, name);
        if (*target) (void)symlink(target, path);
        free(name);
        free(target);
    }

    sparta_archive *a = sparta__archive_new("fuzz");
    sparta_error_slot err;
    memset(&err, 0, sizeof err);
    /* An entry already there, so the tree can clash with it. */
    FUZZ_CHECK(sparta__archive_add_bytes(a, "bin/bootstrap", "x", 1, 0755, &err) == 0, "seed entry");
    int rc = sparta__archive_add_tree(a, prefix, tree, &err);
    size_t count = sparta__archive_entry_count(a);
    if (rc) {
        FUZZ_CHECK(count == 1, "a refused tree left %zu entries behind", count - 1);
        FUZZ_CHECK(strstr(err.message, "fuzz") != NULL, "refusal does not name the archive: %s", err.message);
    } else {
        entry *list = calloc(count, sizeof *list);
        for (size_t i = 0; i < count; i++) {
            const char *name = sparta__archive_entry_name_at(a, i);
            FUZZ_CHECK(name_ok(name), "add_tree accepted the name \"%s\"", name);
            list[i].name = (char *)name;
        }
        snprintf(path, sizeof path, "%s/tree.zip", g_dir);
        FUZZ_CHECK(sparta__archive_write(a, path, NULL, &err) == 0, "write failed: %s", err.message);
        read_back(path, list, count, 0);
        /* Nothing from outside the tree. */
        int zerr = 0;
        zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
        FUZZ_CHECK(z != NULL, "reopen");
        for (zip_int64_t i = 0; i < zip_get_num_entries(z, 0); i++) {
            char buf[64] = "";
            zip_file_t *zf = zip_fopen_index(z, (zip_uint64_t)i, 0);
            zip_int64_t got = zf ? zip_fread(zf, buf, sizeof buf - 1) : -1;
            if (zf) zip_fclose(zf);
            FUZZ_CHECK(got >= 0, "read entry");
            buf[got] = '\0';
            FUZZ_CHECK(!strstr(buf, OUTSIDE_MARKER), "entry %s holds a file from outside the tree",
                       zip_get_name(z, (zip_uint64_t)i, ZIP_FL_ENC_RAW));
        }
        zip_discard(z);
        free(list);
    }
    sparta__archive_free(a);
    free(prefix);
    rm_tree(root);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    scratch_init();
    fuzz_input in = {data, size};
    if (fuzz_u8(&in) & 1) tree_mode(&in);
    else bytes_mode(&in);
    return 0;
}
