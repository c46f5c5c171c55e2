#include "archive_set.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int archive_name_valid(const char *name) {
    if (!name || !*name || strlen(name) > 100) return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return 0;
    return name[0] != '.';
}

const sparta_named_archive *sparta__archive_set_find(const sparta_archive_set *set, const char *name) {
    for (size_t i = 0; name && i < set->count; i++)
        if (strcmp(set->items[i].name, name) == 0) return &set->items[i];
    return NULL;
}

sparta_archive *sparta__archive_set_get(sparta_archive_set *set, const char *name, sparta_error_slot *err) {
    const sparta_named_archive *found = sparta__archive_set_find(set, name);
    if (found) return found->archive;
    if (!archive_name_valid(name)) {
        sparta__error_set(err, SPARTA_EGRAPH,
                          "archive name '%s' is not valid: use letters, digits, '-', '_' and '.' "
                          "(it becomes <outputDir>/<name>.zip)",
                          name ? name : "(null)");
        return NULL;
    }
    if (set->count == set->capacity) {
        size_t cap = set->capacity ? set->capacity * 2 : 8;
        sparta_named_archive *n = realloc(set->items, cap * sizeof *n);
        if (!n) return NULL;
        set->items = n;
        set->capacity = cap;
    }
    sparta_named_archive *a = &set->items[set->count];
    memset(a, 0, sizeof *a);
    a->name = strdup(name);
    a->archive = sparta__archive_new(name);
    if (!a->name || !a->archive) {
        free(a->name);
        sparta__archive_free(a->archive);
        return NULL;
    }
    set->count++;
    return a->archive;
}

int sparta__archive_set_write_all(sparta_archive_set *set, const char *output_dir, const char *key_prefix,
                                  sparta_error_slot *err) {
    sparta_zip_writer *writer = set->count ? sparta__zip_writer_new() : NULL;
    if (set->count && !writer) return sparta__error_set(err, SPARTA_ENOMEM, "archives: out of memory");
    int rc = 0;
    for (size_t i = 0; i < set->count && !rc; i++) {
        sparta_named_archive *a = &set->items[i];
        free(a->path);
        free(a->s3_key);
        a->s3_key = NULL;
        if (asprintf(&a->path, "%s/%s.zip", output_dir, a->name) < 0) {
            a->path = NULL;
            rc = sparta__error_set(err, SPARTA_ENOMEM, "archives: out of memory");
            break;
        }
        rc = sparta__archive_write_with(a->archive, writer, a->path, a->sha256, err);
        if (!rc && asprintf(&a->s3_key, "%s%s%s-%s.zip", key_prefix ? key_prefix : "",
                            key_prefix && *key_prefix ? "/" : "", a->name, a->sha256) < 0) {
            a->s3_key = NULL;
            rc = sparta__error_set(err, SPARTA_ENOMEM, "archives: out of memory");
        }
    }
    sparta__zip_writer_free(writer);
    return rc;
}

void sparta__archive_set_free(sparta_archive_set *set) {
    for (size_t i = 0; i < set->count; i++) {
        free(set->items[i].name);
        free(set->items[i].path);
        free(set->items[i].s3_key);
        sparta__archive_free(set->items[i].archive);
    }
    free(set->items);
    memset(set, 0, sizeof *set);
}
