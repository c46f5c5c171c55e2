/* Output files appear whole or not at all, and are left alone when they
 * already hold the bytes: archives, templates and reports are written
 * through a temporary file in the target's directory renamed over it, and
 * an unchanged file keeps its inode and mtime (so make, rsync and editors
 * see no change, and a re-synthesis of 150 functions creates no files). */
#ifndef SPARTA_CORE_FILE_REPLACE_H
#define SPARTA_CORE_FILE_REPLACE_H

#include <stddef.h>

typedef enum sparta_file_replace_result {
    SPARTA_FILE_WRITTEN = 0,
    SPARTA_FILE_UNCHANGED = 1
} sparta_file_replace_result;

/* Makes `path` hold exactly bytes[0..length), created with mode 0666 less
 * the umask. Returns SPARTA_FILE_WRITTEN or SPARTA_FILE_UNCHANGED, or -1
 * with *failed_step ("create", "write", "close", "rename") and errno set. A
 * new file is written unnamed (O_TMPFILE) and then linked; one that changes
 * goes through "<path>.tmp-*" renamed over it. No fsync: these are build
 * outputs, and link or rename alone means a reader never sees a partial
 * file. Safe to call from several threads for different paths. */
int sparta__file_replace(const char *path, const void *bytes, size_t length, const char **failed_step);

/* mkdir -p: the directory and its parents. 0, or -1 with errno set (ENOMEM,
 * or what mkdir said of the first level it could not create). */
int sparta__make_dirs(const char *path);

#endif
