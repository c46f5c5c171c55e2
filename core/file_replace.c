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

/* 1 when the regular file at path holds exactly these bytes. Reading it
 * back is far cheaper than creating and renaming a file (ext4 allocates an
 * inode and frees the old one on every rename). */
static int holds_same_bytes(const char *path, const unsigned char *bytes, size_t length) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return 0;
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
    return same;
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
    if (holds_same_bytes(path, bytes, length)) return SPARTA_FILE_UNCHANGED;
    char *tmp = NULL;
    int fd = create_temporary(path, &tmp);
    if (fd < 0) {
        *failed_step = "create";
        return -1;
    }
    const char *failed = NULL;
    int saved = 0;
    for (size_t off = 0; off < length && !failed;) {
        ssize_t n = write(fd, bytes + off, length - off);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) failed = "write", saved = n < 0 ? errno : EIO;
        else off += (size_t)n;
    }
    if (close(fd) != 0 && !failed) failed = "close", saved = errno;
    if (!failed && rename(tmp, path) != 0) failed = "rename", saved = errno;
    if (failed) unlink(tmp);
    free(tmp);
    if (!failed) return SPARTA_FILE_WRITTEN;
    *failed_step = failed;
    errno = saved;
    return -1;
}
