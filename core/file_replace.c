/* See file_replace.h. */
#include "file_replace.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum { TARGET_ABSENT, TARGET_DIFFERENT, TARGET_SAME };

/* Whether the file at path already holds exactly these bytes. Reading it
 * back is far cheaper than creating and renaming a file (ext4 allocates an
 * inode and frees the old one on every rename). */
static int compare_target(const char *path, const unsigned char *bytes, size_t length) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return errno == ENOENT ? TARGET_ABSENT : TARGET_DIFFERENT;
    struct stat st;
    int same = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == length;
    unsigned char chunk[65536];
    for (size_t off = 0; same && off < length;) {
        size_t want = length - off < sizeof chunk ? length - off : sizeof chunk;
        ssize_t n = read(fd, chunk, want);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0 || memcmp(chunk, bytes + off, (size_t)n) != 0) same = 0;
        else off += (size_t)n;
    }
    close(fd);
    return same ? TARGET_SAME : TARGET_DIFFERENT;
}

static int write_all(int fd, const unsigned char *bytes, size_t length) {
    for (size_t off = 0; off < length;) {
        ssize_t n = write(fd, bytes + off, length - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            if (n == 0) errno = EIO;
            return -1;
        }
        off += (size_t)n;
    }
    return 0;
}

/* A new file: an unnamed inode in the target's directory (O_TMPFILE),
 * written, then linked under its name. As atomic as a rename, and, unlike
 * a create, the inode is allocated without holding the directory's lock,
 * so archives written side by side allocate in parallel. 0 when done; -1
 * when this way is not open here (no O_TMPFILE, no /proc, the name was
 * taken meanwhile) and the caller should take the rename path. */
static int link_new_file(const char *path, const unsigned char *bytes, size_t length) {
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    if (!dir) return -1;
    int fd = open(dir, O_WRONLY | O_TMPFILE | O_CLOEXEC, 0666);
    free(dir);
    if (fd < 0) return -1;
    char self[64];
    snprintf(self, sizeof self, "/proc/self/fd/%d", fd);
    int rc = write_all(fd, bytes, length) == 0 && linkat(AT_FDCWD, self, AT_FDCWD, path, AT_SYMLINK_FOLLOW) == 0
                 ? 0
                 : -1;
    close(fd);
    return rc;
}

/* "<path>.tmp-<pid>-<n>", created exclusively. */
static int create_temporary(const char *path, char **tmp_out) {
    static atomic_uint counter;
    for (int attempt = 0; attempt < 100; attempt++) {
        char *tmp = NULL;
        if (asprintf(&tmp, "%s.tmp-%ld-%u", path, (long)getpid(), atomic_fetch_add(&counter, 1)) < 0) {
            errno = ENOMEM;
            return -1;
        }
        int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            *tmp_out = tmp;
            return fd;
        }
        int saved = errno;
        free(tmp);
        errno = saved;
        if (saved != EEXIST) return -1;
    }
    return -1;
}

int sparta__file_replace(const char *path, const void *data, size_t length, const char **failed_step) {
    const unsigned char *bytes = data;
    int target = compare_target(path, bytes, length);
    if (target == TARGET_SAME) return SPARTA_FILE_UNCHANGED;
    if (target == TARGET_ABSENT && link_new_file(path, bytes, length) == 0) return SPARTA_FILE_WRITTEN;
    char *tmp = NULL;
    int fd = create_temporary(path, &tmp);
    if (fd < 0) {
        *failed_step = "create";
        return -1;
    }
    const char *failed = NULL;
    int saved = 0;
    if (write_all(fd, bytes, length) != 0) failed = "write", saved = errno;
    if (close(fd) != 0 && !failed) failed = "close", saved = errno;
    if (!failed && rename(tmp, path) != 0) failed = "rename", saved = errno;
    if (failed) unlink(tmp);
    free(tmp);
    if (!failed) return SPARTA_FILE_WRITTEN;
    *failed_step = failed;
    errno = saved;
    return -1;
}

int sparta__make_dirs(const char *path) {
    char *buf = strdup(path);
    if (!buf) {
        errno = ENOMEM;
        return -1;
    }
    int rc = 0;
    for (char *p = buf + 1; *p && !rc; p++) {
        if (*p != '/') continue;
        *p = '\0';
        if (mkdir(buf, 0755) != 0 && errno != EEXIST) rc = -1;
        *p = '/';
    }
    if (!rc && mkdir(buf, 0755) != 0 && errno != EEXIST) rc = -1;
    int saved = errno;
    free(buf);
    errno = saved;
    return rc;
}
