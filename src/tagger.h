/* tagger - Penn Treebank part-of-speech tagger: greedy left-to-right
 * averaged perceptron with a tag dictionary for frequent unambiguous words.
 * Trained on the CoreNLP layer of PolNeAR; forms are CoreNLP-style (-LRB-,
 * ``, ''). Tagging allocates nothing: the caller passes the output array. */
#ifndef HS_TAGGER_H
#define HS_TAGGER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "corpus.h"

typedef struct tagger tagger;

typedef struct tagger_train_opts {
    int epochs;       /* passes over the training data (default 8) */
    unsigned seed;    /* shuffling seed */
    float prune;      /* drop averaged weights below this (default 0.5) */
} tagger_train_opts;

/* Trains on train, reports accuracy on dev (may be NULL) to log after each
 * epoch, writes the model to out_path. Returns 0 or -1 (message in log). */
int tagger_train(const corpus *train, const corpus *dev, const tagger_train_opts *opts,
                 const char *out_path, buf *log);

int tagger_load(tagger **out, const char *path, buf *err);
void tagger_free(tagger *t);

/* Tags one sentence of n forms; tags[i] receives a tag index. Thread-safe
 * for a shared tagger. */
void tagger_tag(const tagger *t, size_t n, const char *const *form, uint16_t *tags);
const char *tagger_tag_name(const tagger *t, unsigned tag);
unsigned tagger_ntags(const tagger *t);

/* Accuracy of t on a corpus with gold POS (0..1). */
double tagger_accuracy(const tagger *t, const corpus *c);

/* The POS stage: tags every sentence of d (its forms) into d->pos and
 * d->posname; sets has_pos. */
struct hs_doc;
int tagger_run(struct hs_doc *d, const tagger *t);

#endif
