/* The ZIP container (PKWARE APPNOTE 6.3), written over zlib's raw deflate.
 *
 * A writer builds one archive at a time in memory: the caller adds entries
 * in the order they should appear (archive.c sorts them), then finishes and
 * takes the bytes. Everything that could vary between machines is fixed:
 * one DOS time for every entry, "made by Unix" with the permission bits in
 * the external attributes, no extra fields, no comment, no data
 * descriptors. An entry is deflated (level 6) unless that does not make it
 * smaller, then it is stored.
 *
 * The writer keeps its zlib state and buffers between archives (reset, not
 * freed), so a synthesis writing 150 small archives allocates them once.
 * No ZIP64: Lambda takes at most 250 MB unzipped, so an entry or an archive
 * past 4 GiB, or more than 65535 entries, is refused. */
#ifndef SPARTA_CORE_ZIP_WRITER_H
#define SPARTA_CORE_ZIP_WRITER_H

#include <stddef.h>
#include <stdint.h>

typedef struct sparta_zip_writer sparta_zip_writer;

/* NULL on out-of-memory. */
sparta_zip_writer *sparta__zip_writer_new(void);
void sparta__zip_writer_free(sparta_zip_writer *writer);

/* Starts a new, empty archive whose entries all carry this DOS time and date. */
void sparta__zip_writer_begin(sparta_zip_writer *writer, uint16_t dos_time, uint16_t dos_date);

/* Appends a regular file `name` with `bytes` and permission bits `mode`.
 * Returns 0, or -1 with *why saying what limit was hit (a static string). */
int sparta__zip_writer_add(sparta_zip_writer *writer, const char *name, const unsigned char *bytes,
                           size_t length, uint32_t mode, const char **why);

/* Writes the central directory; *bytes stays owned by the writer and valid
 * until the next begin or free. Returns 0, or -1 with *why. */
int sparta__zip_writer_finish(sparta_zip_writer *writer, const unsigned char **bytes, size_t *length,
                              const char **why);

#endif
