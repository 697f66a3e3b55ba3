/* buf - growable byte buffers and arrays that keep their capacity across
 * documents, so that steady-state analysis allocates nothing. Not an arena:
 * see arena.h for many small objects that die together. */
#ifndef HS_BUF_H
#define HS_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "hearsay.h" /* result codes */

/* Invariant: p is NULL or holds cap bytes; len <= cap; when p is non-NULL,
 * p[len] is kept 0 by every append so the content is a C string. */
typedef struct buf {
    char *p;
    size_t len, cap;
} buf;

/* The fallible functions here return HS_OK or HS_ENOMEM (buf_printf: HS_EINVAL
 * for an encoding error), as every internal function of the library returns
 * HS_OK or a positive HS_E* code (hearsay.h). */
int buf_reserve(buf *b, size_t extra);
int buf_append(buf *b, const void *data, size_t n);
int buf_putc(buf *b, char c);
int buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_clear(buf *b);
/* Appends the whole file at path (not for hot paths: training data, gold
 * annotations). Returns HS_OK, HS_EIO with errno set, or HS_ENOMEM. An
 * empty file leaves the buffer an empty string. */
int buf_read_file(buf *b, const char *path);
/* Frees the memory when the buffer grew past keep bytes (bounds memory over a stream). */
void buf_trim(buf *b, size_t keep);
void buf_free(buf *b);

/* Grows *p (an array of elsize-byte items with capacity *cap) to hold at least
 * need items, doubling. Returns HS_OK or HS_ENOMEM. */
int vec_reserve(void **p, size_t *cap, size_t need, size_t elsize);
/* Frees the array *p (and zeroes *cap) when it holds more than keep bytes. */
void vec_trim(void *p, size_t *cap, size_t elsize, size_t keep);

/* What a buffer or array one huge document grew may keep for the next:
 * beyond it, memory is released between documents, so that it stays
 * bounded by typical documents over a stream of any length. */
#define BUF_KEEP (16u << 20)

#endif
