/* describe's output file: written whole or not at all (file_replace.h). */
#include "describe.h"
#include "file_replace.h"

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
    const char *step = NULL;
    if (sparta__file_replace(path, bytes, length, &step) >= 0) return 0;
    return fail(err, path, errno);
}
