#include "strmap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_key(const char *s) {
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    while (*s) {
        h ^= (unsigned char)*s++;
        h *= 1099511628211ULL;
    }
    return h;
}

static size_t slot_of(const sparta_strmap *m, const char *key) {
    size_t mask = m->capacity - 1, i = (size_t)hash_key(key) & mask;
    while (m->keys[i] && strcmp(m->keys[i], key) != 0) i = (i + 1) & mask;
    return i;
}

void *sparta__strmap_get(const sparta_strmap *m, const char *key) {
    if (!m->capacity) return NULL;
    size_t i = slot_of(m, key);
    return m->keys[i] ? m->values[i] : NULL;
}

static int rehash(sparta_strmap *m, size_t capacity) {
    sparta_strmap n = {calloc(capacity, sizeof(char *)), calloc(capacity, sizeof(void *)), 0, capacity};
    if (!n.keys || !n.values) {
        free(n.keys);
        free(n.values);
        return -1;
    }
    for (size_t i = 0; i < m->capacity; i++) {
        if (!m->keys[i]) continue;
        size_t j = slot_of(&n, m->keys[i]);
        n.keys[j] = m->keys[i];
        n.values[j] = m->values[i];
        n.count++;
    }
    free(m->keys);
    free(m->values);
    *m = n;
    return 0;
}

int sparta__strmap_put(sparta_strmap *m, const char *key, void *value) {
    if ((m->count + 1) * 4 >= m->capacity * 3 && rehash(m, m->capacity ? m->capacity * 2 : 16) != 0)
        return -1;
    size_t i = slot_of(m, key);
    if (!m->keys[i]) {
        m->keys[i] = key;
        m->count++;
    }
    m->values[i] = value;
    return 0;
}

void sparta__strmap_free(sparta_strmap *m) {
    free(m->keys);
    free(m->values);
    memset(m, 0, sizeof *m);
}
