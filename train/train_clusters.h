/* train_clusters - word classes from unlabelled text: the exchange
 * algorithm of bigram class clustering (each word in turn moves to the class
 * that most raises the likelihood of a class bigram model of the text), run
 * at two granularities, into a word class table (src/wordclass.h) that the
 * entity tagger's model carries.
 * Training-time code: deterministic, single-threaded, it allocates freely. */
#ifndef HS_TRAIN_CLUSTERS_H
#define HS_TRAIN_CLUSTERS_H

#include <stddef.h>

#include "buf.h"
#include "corpus.h"

/* Zeroed fields take the defaults in brackets. */
typedef struct clusters_opts {
    unsigned ncoarse, nfine; /* classes of the two clusterings [64, 512] */
    unsigned min_count;      /* rarer words have no class [3] */
    unsigned iterations;     /* at most this many passes over the words [20] */
} clusters_opts;

/* Clusters the words of sets[0..nsets) (their forms, sentences as
 * boundaries) and appends the word class table (the body of a WC_SECTION,
 * src/wordclass.h) to body, with progress and a sample of the classes in
 * log. HS_OK or HS_ENOMEM. */
int clusters_build(const corpus *const *sets, size_t nsets, const clusters_opts *o, buf *body,
                   buf *log);

#endif
