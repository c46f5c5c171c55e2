/* Output files appear whole or not at all: bytes go to a temporary file in
 * the target's directory, which is renamed over the target. */
#include "describe.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(sparta_error_slot *err, const char *path, int code) {
    return sparta__error_set(err, SPARTA_EIO,
                             "cannot write %s: %s; pass --out with a path in a directory that exists and that "
                             "you can write to",
                             path, strerror(code));
}

int sparta__describe_write_file(const char *path, const char *bytes, size_t length, sparta_error_slot *err) {
    if (!path || !*path)
        return sparta__error_set(err, SPARTA_EUSAGE, "no output path: pass --out FILE");
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) return fail(err, path, EISDIR);
    const char *slash = strrchr(path, '/');
    char *tmp = NULL;
    if (slash) {
        int dir_length = (int)(slash - path) + 1;
        if (asprintf(&tmp, "%.*s.%s.XXXXXX", dir_length, path, slash + 1) < 0) tmp = NULL;
    } else if (asprintf(&tmp, ".%s.XXXXXX", path) < 0) {
        tmp = NULL;
    }
    if (!tmp) return sparta__error_set(err, SPARTA_ENOMEM, "out of memory");
    int fd = mkstemp(tmp);
    if (fd < 0) {
        int code = errno;
        free(tmp);
        return fail(err, path, code);
    }
    /* mkstemp makes 0600; a report is as readable as any file we write. */
    mode_t mask = umask(0);
    umask(mask);
    fchmod(fd, 0666 & ~mask);
    size_t done = 0;
    int code = 0;
    while (done < length) {
        ssize_t n = write(fd, bytes + done, length - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            code = n < 0 ? errno : EIO;
            break;
        }
        done += (size_t)n;
    }
    if (close(fd) != 0 && !code) code = errno;
    if (!code && rename(tmp, path) != 0) code = errno;
    if (code) unlink(tmp);
    free(tmp);
    return code ? fail(err, path, code) : 0;
}
