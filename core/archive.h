/* Deterministic ZIP archives for Lambda code packages (the container is
 * core/zip_writer.c, over zlib).
 *
 * Entries are collected in memory and written in one go: sorted by name
 * (bytewise), every timestamp fixed (SOURCE_DATE_EPOCH, else 1980-01-01
 * 00:00:00, the DOS epoch), deflated, Unix permission bits in the external
 * attributes ("made by Unix"), no extra fields. The same entries give the
 * same bytes whatever the insertion order or the files' mtimes, so the
 * SHA-256 of the output can name the S3 object.
 *
 * Entry names are relative paths with '/' separators: never empty, never
 * absolute, no backslashes, no empty, "." or ".." components, no control
 * characters, no duplicates, and no file that is also a directory of
 * another entry ("lib" and "lib/x"). File contents are read when the
 * archive is written, not when the file is added. */
#ifndef SPARTA_CORE_ARCHIVE_H
#define SPARTA_CORE_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "zip_writer.h"

/* 64 hex digits and a NUL. */
#define SPARTA_ARCHIVE_SHA256_HEX_SIZE 65

typedef struct sparta_archive sparta_archive;

/* A new, empty archive; `name` labels error messages ("lambda"). NULL on
 * out-of-memory. */
sparta_archive *sparta__archive_new(const char *name);
void sparta__archive_free(sparta_archive *archive);

const char *sparta__archive_name(const sparta_archive *archive);
size_t sparta__archive_entry_count(const sparta_archive *archive);
/* Entry names in insertion order (the archive itself is sorted on write). */
const char *sparta__archive_entry_name_at(const sparta_archive *archive, size_t i);

/* Adds the regular file `source_path` (symlinks followed) as `entry_name`,
 * keeping its permission bits (0755 stays executable; setuid, setgid and
 * sticky bits are dropped). */
int sparta__archive_add_file(sparta_archive *archive, const char *entry_name,
                             const char *source_path, sparta_error_slot *err);

/* Adds a copy of `bytes` with permission bits `mode` (e.g. 0644). */
int sparta__archive_add_bytes(sparta_archive *archive, const char *entry_name, const void *bytes,
                              size_t length, uint32_t mode, sparta_error_slot *err);

/* Adds every regular file under `directory` as "<prefix>/<relative path>"
 * (`prefix` "" or NULL for the archive root; a trailing '/' is ignored).
 * Nothing is skipped: hidden files are included. Directories themselves
 * get no entries, so empty directories are not recorded. A symlink whose
 * target resolves inside `directory` to a regular file is stored as a copy
 * of that file under the link's name; a symlink that leads outside the tree,
 * dangles, or points at a directory is an error, as is any special file
 * (FIFO, socket, device). All or nothing: on error no entry is added. */
int sparta__archive_add_tree(sparta_archive *archive, const char *prefix, const char *directory,
                             sparta_error_slot *err);

/* Writes the archive to `path` through a temporary file in the same
 * directory renamed into place (never a partial file), mode 0644. When
 * `sha256_hex_out` is not NULL it receives the lowercase hex SHA-256 of the
 * bytes written. An archive with no entries is a valid, empty ZIP. */
int sparta__archive_write(sparta_archive *archive, const char *path,
                          char sha256_hex_out[SPARTA_ARCHIVE_SHA256_HEX_SIZE],
                          sparta_error_slot *err);

/* The same through a caller's writer, whose buffers and zlib state are
 * reused from one archive to the next. */
int sparta__archive_write_with(sparta_archive *archive, sparta_zip_writer *writer, const char *path,
                               char sha256_hex_out[SPARTA_ARCHIVE_SHA256_HEX_SIZE], sparta_error_slot *err);

#endif
