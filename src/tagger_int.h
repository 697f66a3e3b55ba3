/* tagger_int - what the POS tagger (tagger.c) shares with its trainer
 * (train/train_pos.c) and nothing else: the model file's sections, the
 * five-token window of token hashes, the feature keys and the tag
 * dictionary lookup, so that training and tagging compute the same keys.
 * Private to those two files; not part of the engine's interface. */
#ifndef HS_TAGGER_INT_H
#define HS_TAGGER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "perceptron.h"

/* Model sections: tag names, the tag dictionary (u64 count, sorted form
 * hashes, then their u16 tags), the perceptron. */
#define TAGGER_SEC_LABL MODEL_ID('L', 'A', 'B', 'L')
#define TAGGER_SEC_TDIC MODEL_ID('T', 'D', 'I', 'C')
#define TAGGER_SEC_PERC MODEL_ID('P', 'E', 'R', 'C')
#define TAGGER_MAX_TAGS 256
#define TAGGER_NFEAT 32 /* feature keys of one token, at most */

/* The hash of a form as the tag dictionary keys it (tagger_tokh.form). */
static inline uint64_t tagger_hash(const char *s, size_t n)
{
    return fk_bytes(0xcbf29ce484222325ull, s, n);
}

/* String hashes of one token, inputs to the feature keys. */
typedef struct tagger_tokh {
    uint64_t form, lower, suf1, suf2, suf3, suf4, pre1, pre2, pre3, shape;
    unsigned flags;
} tagger_tokh;

/* Sliding window over a sentence: each token is hashed once; w[0..4] are
 * the tokens i-2 .. i+2 (boundary markers outside the sentence). */
typedef struct tagger_window {
    tagger_tokh ring[5];
    const tagger_tokh *w[5];
} tagger_window;

/* Moves win to token i of form[0..n); first: i is where the walk starts. */
void tagger_window_at(tagger_window *win, size_t n, const char *const *form, size_t i, int first);

/* Feature keys for the token w[2] of the window, with previous tags p1
 * (i-1) and p2 (i-2); first: i == 0. Writes at most TAGGER_NFEAT to f and
 * returns the count. */
size_t tagger_features(const tagger_tokh *const *w, unsigned p1, unsigned p2, int first,
                       uint64_t *f);

/* Index of k in the sorted keys[0..n), or -1. */
static inline long tagger_dict_find(const uint64_t *keys, size_t n, uint64_t k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (keys[mid] == k)
            return (long)mid;
        if (keys[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

#endif
