/* Deterministic ZIP archives: see archive.h for the rules. */
#include "archive.h"
#include "file_replace.h"
#include "zip_writer.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct archive_entry {
    char *name;
    char *source_path;    /* read at write time; NULL for bytes */
    unsigned char *bytes; /* owned copy for add_bytes */
    size_t length;
    uint32_t mode;        /* permission bits only */
} archive_entry;

/* Open-addressing map from a name to the entry that claimed it. */
typedef struct name_table {
    char **keys;
    archive_entry **values;
    size_t cap, count;
    int owns_keys;
} name_table;

struct sparta_archive {
    char *name;
    archive_entry **entries;
    size_t count, cap;
    name_table files; /* entry names */
    name_table dirs;  /* every directory implied by an entry name: "a", "a/b" */
};

/* ---- names --------------------------------------------------------------- */

static uint64_t hash_bytes(const char *s, size_t n) {
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

static archive_entry *table_find(const name_table *t, const char *key, size_t n) {
    if (!t->cap) return NULL;
    for (size_t i = hash_bytes(key, n) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        if (!t->keys[i]) return NULL;
        if (strlen(t->keys[i]) == n && !memcmp(t->keys[i], key, n)) return t->values[i];
    }
}

static int table_grow(name_table *t) {
    size_t cap = t->cap ? t->cap * 2 : 64;
    char **keys = calloc(cap, sizeof *keys);
    archive_entry **values = calloc(cap, sizeof *values);
    if (!keys || !values) {
        free(keys);
        free(values);
        return -1;
    }
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->keys[i]) continue;
        size_t j = hash_bytes(t->keys[i], strlen(t->keys[i])) & (cap - 1);
        while (keys[j]) j = (j + 1) & (cap - 1);
        keys[j] = t->keys[i];
        values[j] = t->values[i];
    }
    free(t->keys);
    free(t->values);
    t->keys = keys;
    t->values = values;
    t->cap = cap;
    return 0;
}

/* Inserts `key` (its first n bytes) unless present; copies it when the
 * table owns its keys. */
static int table_put(name_table *t, const char *key, size_t n, archive_entry *value) {
    if (table_find(t, key, n)) return 0;
    if ((t->count + 1) * 2 > t->cap && table_grow(t) != 0) return -1;
    char *k = (char *)key;
    if (t->owns_keys) {
        if (!(k = strndup(key, n))) return -1;
    }
    size_t i = hash_bytes(key, n) & (t->cap - 1);
    while (t->keys[i]) i = (i + 1) & (t->cap - 1);
    t->keys[i] = k;
    t->values[i] = value;
    t->count++;
    return 0;
}

static void table_free(name_table *t) {
    if (t->owns_keys)
        for (size_t i = 0; i < t->cap; i++) free(t->keys[i]);
    free(t->keys);
    free(t->values);
}

/* Where an entry came from, for messages. */
static void describe_origin(const archive_entry *e, char *out, size_t size) {
    if (e->source_path) snprintf(out, size, "file \"%s\"", e->source_path);
    else snprintf(out, size, "in-memory bytes");
}

/* Strict UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF): entries are written with the UTF-8 flag. */
static int utf8_valid(const unsigned char *p) {
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

static int check_entry_name(const sparta_archive *a, const char *name, const char *origin,
                            sparta_error_slot *err) {
    const char *why = NULL;
    size_t len = name ? strlen(name) : 0;
    if (!name || !len) why = "it is empty";
    else if (len > 65535) why = "it is longer than 65535 bytes";
    else if (name[0] == '/') why = "it is absolute (starts with '/')";
    else if (strchr(name, '\\')) why = "it contains a backslash; use '/' to separate directories";
    else if (!utf8_valid((const unsigned char *)name)) why = "it is not valid UTF-8; rename the file";
    else {
        for (const unsigned char *p = (const unsigned char *)name; *p && !why; p++)
            if (*p < 0x20 || *p == 0x7f) why = "it contains a control character";
        for (const char *c = name; c && !why;) {
            const char *slash = strchr(c, '/');
            size_t n = slash ? (size_t)(slash - c) : strlen(c);
            if (n == 0) why = "it has an empty path component (\"//\" or a trailing '/')";
            else if (n == 1 && c[0] == '.') why = "it has a \".\" component";
            else if (n == 2 && c[0] == '.' && c[1] == '.') why = "it has a \"..\" component";
            c = slash ? slash + 1 : NULL;
        }
    }
    if (why)
        return sparta__error_set(err, SPARTA_EUSAGE,
                                 "archive \"%s\": invalid entry name \"%s\" (from %s): %s; entry "
                                 "names are relative paths inside the archive such as \"bin/bootstrap\"",
                                 a->name, name ? name : "(null)", origin, why);
    return 0;
}

/* Refuses a name already taken, or one that clashes with a directory. */
static int check_conflicts(const sparta_archive *a, const archive_entry *e, sparta_error_slot *err) {
    char mine[1200], theirs[1200];
    describe_origin(e, mine, sizeof mine);
    int rc = check_entry_name(a, e->name, mine, err);
    if (rc) return rc;
    const archive_entry *other = table_find(&a->files, e->name, strlen(e->name));
    if (other) {
        describe_origin(other, theirs, sizeof theirs);
        return sparta__error_set(err, SPARTA_EUSAGE,
                                 "archive \"%s\": duplicate entry \"%s\": added from %s and again from "
                                 "%s; give one of them another name",
                                 a->name, e->name, theirs, mine);
    }
    other = table_find(&a->dirs, e->name, strlen(e->name));
    if (other) {
        describe_origin(other, theirs, sizeof theirs);
        return sparta__error_set(err, SPARTA_EUSAGE,
                                 "archive \"%s\": entry \"%s\" (from %s) is a file, but entry \"%s\" (from "
                                 "%s) needs it to be a directory; rename one of them",
                                 a->name, e->name, mine, other->name, theirs);
    }
    for (const char *s = strchr(e->name, '/'); s; s = strchr(s + 1, '/')) {
        other = table_find(&a->files, e->name, (size_t)(s - e->name));
        if (!other) continue;
        describe_origin(other, theirs, sizeof theirs);
        return sparta__error_set(err, SPARTA_EUSAGE,
                                 "archive \"%s\": entry \"%s\" (from %s) needs \"%.*s\" to be a directory, "
                                 "but it is a file (from %s); rename one of them",
                                 a->name, e->name, mine, (int)(s - e->name), e->name, theirs);
    }
    return 0;
}

/* ---- entries ------------------------------------------------------------- */

static void entry_free(archive_entry *e) {
    if (!e) return;
    free(e->name);
    free(e->source_path);
    free(e->bytes);
    free(e);
}

static archive_entry *entry_new(const char *name, const char *source_path, uint32_t mode) {
    archive_entry *e = calloc(1, sizeof *e);
    if (!e) return NULL;
    e->name = strdup(name ? name : "");
    e->source_path = source_path ? strdup(source_path) : NULL;
    e->mode = mode & 0777;
    if (!e->name || (source_path && !e->source_path)) {
        entry_free(e);
        return NULL;
    }
    return e;
}

/* Takes ownership of `e` (after check_conflicts accepted it), even on
 * failure. */
static int commit(sparta_archive *a, archive_entry *e, sparta_error_slot *err) {
    if (a->count == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 16;
        archive_entry **entries = realloc(a->entries, cap * sizeof *entries);
        if (!entries) {
            entry_free(e);
            return sparta__error_set(err, SPARTA_ENOMEM, "archive \"%s\": out of memory", a->name);
        }
        a->entries = entries;
        a->cap = cap;
    }
    /* Owned by the archive from here, so the tables never point at freed memory. */
    a->entries[a->count++] = e;
    int rc = table_put(&a->files, e->name, strlen(e->name), e);
    for (const char *s = strchr(e->name, '/'); s && !rc; s = strchr(s + 1, '/'))
        rc = table_put(&a->dirs, e->name, (size_t)(s - e->name), e);
    return rc ? sparta__error_set(err, SPARTA_ENOMEM, "archive \"%s\": out of memory", a->name) : 0;
}

sparta_archive *sparta__archive_new(const char *name) {
    sparta_archive *a = calloc(1, sizeof *a);
    if (!a) return NULL;
    a->name = strdup(name ? name : "archive");
    if (!a->name) {
        free(a);
        return NULL;
    }
    a->dirs.owns_keys = 1;
    return a;
}

void sparta__archive_free(sparta_archive *a) {
    if (!a) return;
    for (size_t i = 0; i < a->count; i++) entry_free(a->entries[i]);
    free(a->entries);
    table_free(&a->files);
    table_free(&a->dirs);
    free(a->name);
    free(a);
}

const char *sparta__archive_name(const sparta_archive *a) { return a ? a->name : NULL; }

size_t sparta__archive_entry_count(const sparta_archive *a) { return a ? a->count : 0; }

const char *sparta__archive_entry_name_at(const sparta_archive *a, size_t i) {
    return a && i < a->count ? a->entries[i]->name : NULL;
}

int sparta__archive_add_file(sparta_archive *a, const char *entry_name, const char *source_path,
                             sparta_error_slot *err) {
    if (!a || !source_path)
        return sparta__error_set(err, SPARTA_EGENERIC, "archive_add_file: missing archive or source path");
    struct stat st;
    if (stat(source_path, &st) != 0)
        return sparta__error_set(err, SPARTA_EIO,
                                 "archive \"%s\": cannot add \"%s\" as \"%s\": %s; check the path",
                                 a->name, source_path, entry_name ? entry_name : "", strerror(errno));
    if (!S_ISREG(st.st_mode))
        return sparta__error_set(err, SPARTA_EIO,
                                 "archive \"%s\": cannot add \"%s\" as \"%s\": not a regular file%s",
                                 a->name, source_path, entry_name ? entry_name : "",
                                 S_ISDIR(st.st_mode) ? " (add a directory with archive_add_tree)" : "");
    if (access(source_path, R_OK) != 0)
        return sparta__error_set(err, SPARTA_EIO, "archive \"%s\": cannot read \"%s\": %s", a->name,
                                 source_path, strerror(errno));
    archive_entry *e = entry_new(entry_name, source_path, (uint32_t)st.st_mode);
    if (!e) return sparta__error_set(err, SPARTA_ENOMEM, "archive \"%s\": out of memory", a->name);
    int rc = check_conflicts(a, e, err);
    if (rc) {
        entry_free(e);
        return rc;
    }
    return commit(a, e, err);
}

int sparta__archive_add_bytes(sparta_archive *a, const char *entry_name, const void *bytes,
                              size_t length, uint32_t mode, sparta_error_slot *err) {
    if (!a || (!bytes && length))
        return sparta__error_set(err, SPARTA_EGENERIC, "archive_add_bytes: missing archive or bytes");
    archive_entry *e = entry_new(entry_name, NULL, mode);
    if (!e) return sparta__error_set(err, SPARTA_ENOMEM, "archive \"%s\": out of memory", a->name);
    int rc = check_conflicts(a, e, err);
    if (rc) {
        entry_free(e);
        return rc;
    }
    e->length = length;
    if (length && !(e->bytes = malloc(length))) {
        entry_free(e);
        return sparta__error_set(err, SPARTA_ENOMEM, "archive \"%s\": out of memory", a->name);
    }
    if (length) memcpy(e->bytes, bytes, length);
    return commit(a, e, err);
}

/* ---- trees --------------------------------------------------------------- */

typedef struct pending {
    archive_entry **items;
    size_t count, cap;
} pending;

static int pending_push(pending *p, archive_entry *e) {
    if (p->count == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 32;
        archive_entry **items = realloc(p->items, cap * sizeof *items);
        if (!items) return -1;
        p->items = items;
        p->cap = cap;
    }
    p->items[p->count++] = e;
    return 0;
}

static char *join(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    char *out = malloc(la + lb + 2);
    if (!out) return NULL;
    memcpy(out, a, la);
    size_t n = la;
    if (la && lb) out[n++] = '/';
    memcpy(out + n, b, lb + 1);
    return out;
}

/* Collects the regular files under `dir` (a path inside the tree whose
 * resolved root is `root`) into `out`, named under `entry_dir`. */
static int walk_tree(const sparta_archive *a, const char *root, const char *dir, const char *entry_dir,
                     pending *out, sparta_error_slot *err) {
    DIR *d = opendir(dir);
    if (!d)
        return sparta__error_set(err, SPARTA_EIO, "archive \"%s\": cannot read directory \"%s\": %s",
                                 a->name, dir, strerror(errno));
    int rc = 0;
    struct dirent *de;
    while (!rc && (errno = 0, de = readdir(d))) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..")) continue;
        char *path = join(dir, de->d_name), *name = join(entry_dir, de->d_name);
        struct stat st;
        if (!path || !name) {
            rc = sparta__error_set(err, SPARTA_ENOMEM, "archive \"%s\": out of memory", a->name);
        } else if (lstat(path, &st) != 0) {
            rc = sparta__error_set(err, SPARTA_EIO, "archive \"%s\": cannot stat \"%s\": %s", a->name,
                                   path, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            rc = walk_tree(a, root, path, name, out, err);
        } else if (S_ISLNK(st.st_mode)) {
            char *target = realpath(path, NULL);
            size_t rl = strlen(root);
            struct stat ts;
            if (!target) {
                rc = sparta__error_set(err, SPARTA_EIO,
                                       "archive \"%s\": symlink \"%s\" is dangling or cannot be resolved (%s); fix or "
                                       "remove it",
                                       a->name, path, strerror(errno));
            } else if (strncmp(target, root, rl) != 0 ||
                       (target[rl] != '/' && target[rl] != '\0' && strcmp(root, "/") != 0)) {
                rc = sparta__error_set(err, SPARTA_EUSAGE,
                                       "archive \"%s\": symlink \"%s\" points outside the tree \"%s\" (to "
                                       "\"%s\"); symlinks are only followed inside the tree: copy the "
                                       "file in or add it with archive_add_file",
                                       a->name, path, root, target);
            } else if (stat(target, &ts) != 0 || !S_ISREG(ts.st_mode)) {
                rc = sparta__error_set(err, SPARTA_EUSAGE,
                                       "archive \"%s\": symlink \"%s\" points at \"%s\", which is not a "
                                       "regular file; only symlinks to files are followed",
                                       a->name, path, target);
            } else {
                archive_entry *e = entry_new(name, target, (uint32_t)ts.st_mode);
                if (!e || pending_push(out, e) != 0) {
                    entry_free(e);
                    rc = sparta__error_set(err, SPARTA_ENOMEM, "archive \"%s\": out of memory", a->name);
                }
            }
            free(target);
        } else if (S_ISREG(st.st_mode)) {
            archive_entry *e = entry_new(name, path, (uint32_t)st.st_mode);
            if (!e || pending_push(out, e) != 0) {
                entry_free(e);
                rc = sparta__error_set(err, SPARTA_ENOMEM, "archive \"%s\": out of memory", a->name);
            }
        } else {
            rc = sparta__error_set(err, SPARTA_EUSAGE,
                                   "archive \"%s\": \"%s\" is a special file (FIFO, socket or device); "
                                   "remove it from the tree",
                                   a->name, path);
        }
        free(path);
        free(name);
    }
    if (!rc && errno)
        rc = sparta__error_set(err, SPARTA_EIO, "archive \"%s\": cannot read directory \"%s\": %s",
                               a->name, dir, strerror(errno));
    closedir(d);
    return rc;
}

int sparta__archive_add_tree(sparta_archive *a, const char *prefix, const char *directory,
                             sparta_error_slot *err) {
    if (!a || !directory)
        return sparta__error_set(err, SPARTA_EGENERIC, "archive_add_tree: missing archive or directory");
    char *root = realpath(directory, NULL);
    struct stat st;
    if (!root || stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
        int e = root ? ENOTDIR : errno;
        free(root);
        return sparta__error_set(err, SPARTA_EIO, "archive \"%s\": cannot add tree \"%s\": %s", a->name,
                                 directory, strerror(e));
    }
    char *pre = strdup(prefix ? prefix : "");
    if (!pre) {
        free(root);
        return sparta__error_set(err, SPARTA_ENOMEM, "archive \"%s\": out of memory", a->name);
    }
    size_t pl = strlen(pre);
    while (pl && pre[pl - 1] == '/') pre[--pl] = '\0';
    pending p = {0};
    int rc = walk_tree(a, root, directory, pre, &p, err);
    for (size_t i = 0; !rc && i < p.count; i++) rc = check_conflicts(a, p.items[i], err);
    size_t i = 0;
    for (; !rc && i < p.count; i++) rc = commit(a, p.items[i], err);
    /* commit owns items[0..i); the rest are still ours */
    for (; i < p.count; i++) entry_free(p.items[i]);
    free(p.items);
    free(pre);
    free(root);
    return rc;
}

/* ---- writing ------------------------------------------------------------- */

static int by_name(const void *x, const void *y) {
    const archive_entry *a = *(archive_entry *const *)x, *b = *(archive_entry *const *)y;
    return strcmp(a->name, b->name);
}

/* The fixed timestamp as DOS date and time (UTC, 2-second resolution,
 * clamped to the DOS range 1980..2107). */
static int fixed_dostime(const sparta_archive *a, uint16_t *dtime, uint16_t *ddate,
                         sparta_error_slot *err) {
    *dtime = 0;
    *ddate = (0 << 9) | (1 << 5) | 1; /* 1980-01-01 */
    const char *env = getenv("SOURCE_DATE_EPOCH");
    if (!env || !*env) return 0;
    char *end = NULL;
    errno = 0;
    long long v = strtoll(env, &end, 10);
    if (errno || *end || v < 0 || env[0] == '-' || env[0] == '+' || env[0] == ' ')
        return sparta__error_set(err, SPARTA_EUSAGE,
                                 "archive \"%s\": SOURCE_DATE_EPOCH=\"%s\" is not a number of seconds "
                                 "since 1970; set it to e.g. $(git log -1 --format=%%ct) or unset it",
                                 a->name, env);
    time_t t = (time_t)v;
    struct tm tm;
    if (v > 4354819199LL || !gmtime_r(&t, &tm)) { /* after 2107-12-31 23:59:59 */
        *ddate = (127 << 9) | (12 << 5) | 31;
        *dtime = (23 << 11) | (59 << 5) | 29;
        return 0;
    }
    if (tm.tm_year < 80) return 0;
    *ddate = (uint16_t)(((tm.tm_year - 80) << 9) | ((tm.tm_mon + 1) << 5) | tm.tm_mday);
    *dtime = (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) | (tm.tm_sec / 2));
    return 0;
}

/* Reads the whole of `e`'s source file into *buf (grown as needed). */
static int read_source(const sparta_archive *a, const archive_entry *e, unsigned char **buf, size_t *cap,
                       size_t *len, sparta_error_slot *err) {
    int fd = open(e->source_path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    const char *why = NULL;
    if (fd < 0) why = strerror(errno);
    else if (fstat(fd, &st) != 0) why = strerror(errno);
    else if (!S_ISREG(st.st_mode)) why = "not a regular file";
    else if ((uint64_t)st.st_size > UINT32_MAX) why = "larger than 4 GiB (Lambda takes at most 250 MB unzipped)";
    size_t want = why ? 0 : (size_t)st.st_size;
    if (!why && want + 1 > *cap) {
        unsigned char *grown = realloc(*buf, want + 1);
        if (!grown) why = "out of memory";
        else *buf = grown, *cap = want + 1;
    }
    /* Read to end of file, not to st_size: a file that changes size while
     * being read is caught below instead of being cut. */
    size_t got = 0;
    while (!why) {
        ssize_t n = read(fd, *buf + got, *cap - got);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) why = strerror(errno);
        else if (n == 0) break;
        else if ((got += (size_t)n) == *cap) why = "it grew while being archived";
    }
    if (!why && got != want) why = "it changed size while being archived";
    if (fd >= 0) close(fd);
    if (why)
        return sparta__error_set(err, SPARTA_EIO, "archive \"%s\": cannot read \"%s\" for entry \"%s\": %s",
                                 a->name, e->source_path, e->name, why);
    *len = got;
    return 0;
}

/* Builds the whole archive in `writer`; *out stays owned by the writer. */
static int build_zip(sparta_archive *a, sparta_zip_writer *writer, const unsigned char **out, size_t *out_len,
                     sparta_error_slot *err) {
    uint16_t dtime, ddate;
    int rc = fixed_dostime(a, &dtime, &ddate, err);
    if (rc) return rc;
    archive_entry **sorted = a->count ? malloc(a->count * sizeof *sorted) : NULL;
    if (a->count && !sorted) return sparta__error_set(err, SPARTA_ENOMEM, "archive \"%s\": out of memory", a->name);
    if (a->count) memcpy(sorted, a->entries, a->count * sizeof *sorted);
    if (a->count > 1) qsort(sorted, a->count, sizeof *sorted, by_name);

    sparta__zip_writer_begin(writer, dtime, ddate);
    unsigned char *file = NULL;
    size_t file_cap = 0;
    const char *why = NULL;
    for (size_t i = 0; i < a->count && !rc; i++) {
        archive_entry *e = sorted[i];
        const unsigned char *bytes = e->bytes;
        size_t length = e->length;
        if (e->source_path) {
            rc = read_source(a, e, &file, &file_cap, &length, err);
            bytes = file;
        }
        if (!rc && sparta__zip_writer_add(writer, e->name, bytes, length, e->mode, &why) != 0)
            rc = sparta__error_set(err, SPARTA_EIO, "archive \"%s\": cannot add entry \"%s\": %s", a->name,
                                   e->name, why);
    }
    free(file);
    free(sorted);
    if (!rc && sparta__zip_writer_finish(writer, out, out_len, &why) != 0)
        rc = sparta__error_set(err, SPARTA_EIO, "archive \"%s\": cannot finish the ZIP: %s", a->name, why);
    return rc;
}

static void sha256_hex(const unsigned char *data, size_t len, char out[SPARTA_ARCHIVE_SHA256_HEX_SIZE]) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(data, len, digest, &n, EVP_sha256(), NULL);
    static const char hex[] = "0123456789abcdef";
    for (unsigned int i = 0; i < n && i < 32; i++) {
        out[2 * i] = hex[digest[i] >> 4];
        out[2 * i + 1] = hex[digest[i] & 15];
    }
    out[64] = '\0';
}

static int write_file(const sparta_archive *a, const char *path, const unsigned char *data, size_t len,
                      sparta_error_slot *err) {
    const char *step = NULL;
    if (sparta__file_replace(path, data, len, &step) >= 0) return 0;
    return sparta__error_set(err, SPARTA_EIO,
                             "archive \"%s\": cannot write \"%s\" (%s): %s; check that the directory exists "
                             "and is writable",
                             a->name, path, step, strerror(errno));
}

int sparta__archive_write_with(sparta_archive *a, sparta_zip_writer *writer, const char *path,
                               char sha256_hex_out[SPARTA_ARCHIVE_SHA256_HEX_SIZE], sparta_error_slot *err) {
    if (!a || !writer || !path || !*path)
        return sparta__error_set(err, SPARTA_EGENERIC, "archive_write: missing archive, writer or path");
    const unsigned char *data = NULL;
    size_t len = 0;
    int rc = build_zip(a, writer, &data, &len, err);
    if (!rc) rc = write_file(a, path, data, len, err);
    if (!rc && sha256_hex_out) sha256_hex(data, len, sha256_hex_out);
    return rc;
}

int sparta__archive_write(sparta_archive *a, const char *path,
                          char sha256_hex_out[SPARTA_ARCHIVE_SHA256_HEX_SIZE], sparta_error_slot *err) {
    sparta_zip_writer *writer = sparta__zip_writer_new();
    if (!writer) return sparta__error_set(err, SPARTA_ENOMEM, "archive \"%s\": out of memory", a ? a->name : "");
    int rc = sparta__archive_write_with(a, writer, path, sha256_hex_out, err);
    sparta__zip_writer_free(writer);
    return rc;
}
