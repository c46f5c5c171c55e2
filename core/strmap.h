/* A string-keyed hash map (open addressing); keys are borrowed, so they must
 * outlive the map (the graph keeps them in its arena). */
#ifndef SPARTA_CORE_STRMAP_H
#define SPARTA_CORE_STRMAP_H

#include <stddef.h>

typedef struct sparta_strmap {
    const char **keys;
    void **values;
    size_t count, capacity;
} sparta_strmap;

void *sparta__strmap_get(const sparta_strmap *m, const char *key);
/* Inserts or replaces; returns 0, or -1 when out of memory. */
int sparta__strmap_put(sparta_strmap *m, const char *key, void *value);
void sparta__strmap_free(sparta_strmap *m);

#endif
