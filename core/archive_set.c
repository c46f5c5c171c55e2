#include "archive_set.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Archives are written side by side: each is independent, and on this
 * kind of machine most of a fresh synthesis is the file system allocating
 * inodes, which O_TMPFILE lets two threads do at once (file_replace.c). */
#define MAX_ARCHIVE_WRITERS 4

typedef struct write_job {
    sparta_archive_set *set;
    const char *output_dir, *key_prefix;
    atomic_size_t next;        /* the next archive to take */
    atomic_size_t first_failed; /* index of the first failure seen, or count */
} write_job;

typedef struct write_worker {
    write_job *job;
    sparta_error_slot error; /* the first failure this worker met */
    size_t failed_at;        /* its index, or the set's count */
} write_worker;

static int write_one(write_job *job, sparta_named_archive *a, sparta_zip_writer *writer, sparta_error_slot *err) {
    free(a->path);
    free(a->s3_key);
    a->path = a->s3_key = NULL;
    if (asprintf(&a->path, "%s/%s.zip", job->output_dir, a->name) < 0) {
        a->path = NULL;
        return sparta__error_set(err, SPARTA_ENOMEM, "archives: out of memory");
    }
    int rc = sparta__archive_write_with(a->archive, writer, a->path, a->sha256, err);
    if (!rc && asprintf(&a->s3_key, "%s%s%s-%s.zip", job->key_prefix ? job->key_prefix : "",
                        job->key_prefix && *job->key_prefix ? "/" : "", a->name, a->sha256) < 0) {
        a->s3_key = NULL;
        rc = sparta__error_set(err, SPARTA_ENOMEM, "archives: out of memory");
    }
    return rc;
}

static void *write_worker_run(void *arg) {
    write_worker *w = arg;
    write_job *job = w->job;
    size_t count = job->set->count;
    w->failed_at = count;
    sparta_zip_writer *writer = sparta__zip_writer_new();
    if (!writer) {
        sparta__error_set(&w->error, SPARTA_ENOMEM, "archives: out of memory");
        w->failed_at = 0;
        atomic_store(&job->first_failed, 0);
        return NULL;
    }
    for (;;) {
        size_t i = atomic_fetch_add(&job->next, 1);
        /* Past a failure nothing new starts: the run stops as it would have
         * one archive at a time (the ones already written are whole). */
        if (i >= count || i > atomic_load(&job->first_failed)) break;
        sparta_error_slot err = {0};
        if (write_one(job, &job->set->items[i], writer, &err) == 0) continue;
        if (i < w->failed_at) {
            w->failed_at = i;
            w->error = err;
        }
        for (size_t seen = atomic_load(&job->first_failed);
             i < seen && !atomic_compare_exchange_weak(&job->first_failed, &seen, i);)
            ;
    }
    sparta__zip_writer_free(writer);
    return NULL;
}

int sparta__archive_set_write_all(sparta_archive_set *set, const char *output_dir, const char *key_prefix,
                                  sparta_error_slot *err) {
    if (set->count == 0) return 0;
    write_job job = {.set = set, .output_dir = output_dir, .key_prefix = key_prefix};
    atomic_init(&job.next, 0);
    atomic_init(&job.first_failed, set->count);
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t threads = cpus > 1 ? (size_t)cpus : 1;
    if (threads > MAX_ARCHIVE_WRITERS) threads = MAX_ARCHIVE_WRITERS;
    if (threads > set->count) threads = set->count;
    write_worker workers[MAX_ARCHIVE_WRITERS];
    pthread_t ids[MAX_ARCHIVE_WRITERS];
    size_t started = 1; /* worker 0 is this thread */
    memset(workers, 0, sizeof workers);
    for (size_t t = 0; t < threads; t++) workers[t].job = &job;
    for (; started < threads; started++)
        if (pthread_create(&ids[started], NULL, write_worker_run, &workers[started]) != 0) break;
    write_worker_run(&workers[0]);
    for (size_t t = 1; t < started; t++) pthread_join(ids[t], NULL);
    /* Report the failure an archive-by-archive run would have met first. */
    const write_worker *first = NULL;
    for (size_t t = 0; t < started; t++)
        if (workers[t].failed_at < set->count && (!first || workers[t].failed_at < first->failed_at))
            first = &workers[t];
    if (!first) return 0;
    *err = first->error;
    return err->code ? err->code : SPARTA_EGENERIC;
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
