/* wordclass - word classes learnt from unlabelled text (hearsay train
 * ner): a model section mapping a lower-cased word's key to a coarse
 * and a fine class, viewed in place (open addressing, no copy at load), and
 * its writer. A model that uses classes carries the table it was trained with. */
#ifndef HS_WORDCLASS_H
#define HS_WORDCLASS_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "model.h"

#define WC_SECTION MODEL_ID('W', 'C', 'L', 'S')

/* One slot: key 0 is empty; classes count from 1 (0: the word is unknown). */
typedef struct wc_slot {
    uint64_t key;
    uint16_t coarse, fine;
    uint32_t pad;
} wc_slot;

/* Invariant (checked by wc_open): mask + 1 slots, a power of two, at most
 * half full, so that a probe always ends. */
typedef struct wclass {
    const wc_slot *e;
    uint32_t mask, ncoarse, nfine;
} wclass;

/* The key of a word: its bytes with ASCII letters lower-cased and digits as
 * '0' (the attribution atoms' word key). */
static inline unsigned char wc_fold(unsigned char c)
{
    return (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c >= '0' && c <= '9' ? '0' : c);
}
static inline uint64_t wc_key(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ull ^ (7 * 0x9E3779B97F4A7C15ull);
    for (const unsigned char *c = (const unsigned char *)s; *c; c++)
        h = (h ^ wc_fold(*c)) * 0x100000001b3ull;
    return h ? h : 1;
}

/* The classes of key (both 0 when the word is unknown or w has no table). */
static inline void wc_get(const wclass *w, uint64_t key, uint16_t *coarse, uint16_t *fine)
{
    *coarse = *fine = 0;
    if (!w->e)
        return;
    for (uint32_t s = (uint32_t)key & w->mask; w->e[s].key; s = (s + 1) & w->mask)
        if (w->e[s].key == key) {
            *coarse = w->e[s].coarse;
            *fine = w->e[s].fine;
            return;
        }
}

/* Views the WC_SECTION of file (read from path). HS_OK; HS_EMODEL with
 * "path: ..." in err when it is missing or damaged. */
int wc_open(wclass *w, const model *file, const char *path, buf *err);
/* Views a section body p[0..n) in place (it must stay alive and be 8-byte
 * aligned): HS_OK, or HS_EMODEL with "what: ..." in err. */
int wc_view(wclass *w, const void *p, size_t n, const char *what, buf *err);
/* Appends a section holding n words (keys distinct and non-zero, classes
 * 1..ncoarse and 1..nfine) to out. HS_OK or HS_ENOMEM. */
int wc_write(buf *out, const uint64_t *key, const uint16_t *coarse, const uint16_t *fine,
             size_t n, uint32_t ncoarse, uint32_t nfine);

#endif
