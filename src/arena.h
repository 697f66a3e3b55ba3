/* arena - bump allocator for the many small objects of one document (block
 * spans, error strings); everything dies together on arena_reset. It does not
 * free single objects and does not grow an object in place. */
#ifndef HS_ARENA_H
#define HS_ARENA_H

#include <stddef.h>

struct arena_chunk;

/* Invariant: head is the chunk being filled; older chunks follow via next.
 * After reset only the first (largest kept) chunk survives, so memory stays
 * bounded over a stream of documents. */
typedef struct arena {
    struct arena_chunk *head;
} arena;

void *arena_alloc(arena *a, size_t n);
char *arena_strndup(arena *a, const char *s, size_t n);
void arena_reset(arena *a);
void arena_free(arena *a);

#endif
