#include "arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK (64 * 1024)

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t size, used;
    max_align_t data[];
} arena_chunk;

struct sparta_arena {
    arena_chunk *head;
    size_t total;
};

sparta_arena *sparta__arena_new(void) { return calloc(1, sizeof(sparta_arena)); }

void sparta__arena_free(sparta_arena *arena) {
    if (!arena) return;
    arena_chunk *c = arena->head;
    while (c) {
        arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    free(arena);
}

void *sparta__arena_alloc(sparta_arena *arena, size_t size) {
    const size_t align = sizeof(max_align_t);
    size = (size + align - 1) & ~(align - 1);
    if (size == 0) size = align;
    arena_chunk *c = arena->head;
    if (!c || c->size - c->used < size) {
        size_t want = size > ARENA_CHUNK ? size : ARENA_CHUNK;
        c = malloc(sizeof(arena_chunk) + want);
        if (!c) return NULL;
        c->size = want;
        c->used = 0;
        /* A large one-off block goes behind the head so the head keeps its free space. */
        if (arena->head && want > ARENA_CHUNK) {
            c->next = arena->head->next;
            arena->head->next = c;
        } else {
            c->next = arena->head;
            arena->head = c;
        }
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    arena->total += size;
    memset(p, 0, size);
    return p;
}

char *sparta__arena_strndup(sparta_arena *arena, const char *s, size_t n) {
    char *p = sparta__arena_alloc(arena, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *sparta__arena_strdup(sparta_arena *arena, const char *s) {
    return s ? sparta__arena_strndup(arena, s, strlen(s)) : NULL;
}

size_t sparta__arena_used(const sparta_arena *arena) { return arena->total; }
