/* The named archives of one synthesis. Plugins add files by archive name;
 * at the end of ARCHIVE the host writes each to <outputDir>/<name>.zip and
 * names its S3 object by content: <stack>/<name>-<sha256>.zip. */
#ifndef SPARTA_CORE_ARCHIVE_SET_H
#define SPARTA_CORE_ARCHIVE_SET_H

#include "archive.h"
#include "error.h"

typedef struct sparta_named_archive {
    char *name;
    sparta_archive *archive;
    char *path;                                 /* set by write_all */
    char sha256[SPARTA_ARCHIVE_SHA256_HEX_SIZE]; /* set by write_all */
    char *s3_key;                               /* set by write_all */
} sparta_named_archive;

typedef struct sparta_archive_set {
    sparta_named_archive *items;
    size_t count, capacity;
} sparta_archive_set;

/* The archive called `name`, created on first use. NULL for a bad name. */
sparta_archive *sparta__archive_set_get(sparta_archive_set *set, const char *name, sparta_error_slot *err);
const sparta_named_archive *sparta__archive_set_find(const sparta_archive_set *set, const char *name);
int sparta__archive_set_write_all(sparta_archive_set *set, const char *output_dir, const char *key_prefix,
                                  sparta_error_slot *err);
void sparta__archive_set_free(sparta_archive_set *set);

#endif
