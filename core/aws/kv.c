#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* asprintf, strndup, timegm */
#endif
#include "aws/kv.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int sparta__aws_kvlist_add(sparta__aws_kvlist *l, const char *name, const char *value) {
    if (l->failed) return SPARTA_ENOMEM;
    if (l->count == l->capacity) {
        size_t cap = l->capacity ? l->capacity * 2 : 8;
        sparta__aws_kv *n = realloc(l->items, cap * sizeof *n);
        if (!n) {
            l->failed = 1;
            return SPARTA_ENOMEM;
        }
        l->items = n;
        l->capacity = cap;
    }
    char *nc = strdup(name ? name : "");
    char *vc = strdup(value ? value : "");
    if (!nc || !vc) {
        free(nc);
        free(vc);
        l->failed = 1;
        return SPARTA_ENOMEM;
    }
    l->items[l->count].name = nc;
    l->items[l->count].value = vc;
    l->count++;
    return 0;
}

int sparta__aws_kvlist_addf(sparta__aws_kvlist *l, const char *name, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *value = NULL;
    int n = vasprintf(&value, fmt, ap);
    va_end(ap);
    if (n < 0) {
        l->failed = 1;
        return SPARTA_ENOMEM;
    }
    int rc = sparta__aws_kvlist_add(l, name, value);
    free(value);
    return rc;
}

const char *sparta__aws_kv_find(const sparta__aws_kv *items, size_t count, const char *name) {
    for (size_t i = 0; i < count; i++)
        if (!strcasecmp(items[i].name, name)) return items[i].value;
    return NULL;
}

const char *sparta__aws_kvlist_get(const sparta__aws_kvlist *l, const char *name) {
    return sparta__aws_kv_find(l->items, l->count, name);
}

void sparta__aws_kvlist_free(sparta__aws_kvlist *l) {
    for (size_t i = 0; i < l->count; i++) {
        free((void *)l->items[i].name);
        free((void *)l->items[i].value);
    }
    free(l->items);
    memset(l, 0, sizeof *l);
}
