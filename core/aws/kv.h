/* Name/value pairs for HTTP headers, query strings and API parameters. A
 * sparta__aws_kvlist owns copies of its strings; a bare array of
 * sparta__aws_kv (as the signer takes) only borrows them. */
#ifndef SPARTA_AWS_KV_H
#define SPARTA_AWS_KV_H

#include <stddef.h>
#include <sparta/plugin.h>

typedef struct sparta__aws_kv {
    const char *name;
    const char *value;
} sparta__aws_kv;

typedef struct sparta__aws_kvlist {
    sparta__aws_kv *items;
    size_t count, capacity;
    int failed; /* an allocation failed; the list is incomplete */
} sparta__aws_kvlist;

#define SPARTA__AWS_KVLIST_INIT {NULL, 0, 0, 0}

/* Appends copies; returns 0 or SPARTA_ENOMEM (and sets failed). */
int sparta__aws_kvlist_add(sparta__aws_kvlist *l, const char *name, const char *value);
int sparta__aws_kvlist_addf(sparta__aws_kvlist *l, const char *name, const char *fmt, ...)
    SPARTA_PRINTF(3, 4);
/* First value whose name matches case-insensitively, or NULL. */
const char *sparta__aws_kvlist_get(const sparta__aws_kvlist *l, const char *name);
const char *sparta__aws_kv_find(const sparta__aws_kv *items, size_t count, const char *name);
void sparta__aws_kvlist_free(sparta__aws_kvlist *l);

#endif
