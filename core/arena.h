/* A bump allocator: the template graph and config trees live in one arena and
 * are released together, so plugins never free values. */
#ifndef SPARTA_CORE_ARENA_H
#define SPARTA_CORE_ARENA_H

#include <stddef.h>

typedef struct sparta_arena sparta_arena;

sparta_arena *sparta__arena_new(void);
void sparta__arena_free(sparta_arena *arena);
/* Zeroed memory, aligned for any type; NULL only when out of memory. */
void *sparta__arena_alloc(sparta_arena *arena, size_t size);
char *sparta__arena_strdup(sparta_arena *arena, const char *s);
char *sparta__arena_strndup(sparta_arena *arena, const char *s, size_t n);
/* Bytes handed out so far (for limits and benchmarks). */
size_t sparta__arena_used(const sparta_arena *arena);

#endif
