/* train_pos - trains the POS tagger (src/tagger.c) on a corpus with gold
 * tags and measures its accuracy: an averaged perceptron over the features
 * of src/tagger_int.h, shuffled epochs, a tag dictionary of the frequent
 * unambiguous words. Training-time code: it allocates freely. */
#ifndef HS_TRAIN_POS_H
#define HS_TRAIN_POS_H

#include "buf.h"
#include "corpus.h"
#include "tagger.h"

typedef struct tagger_train_opts {
    int epochs;       /* passes over the training data (default 8) */
    unsigned seed;    /* shuffling seed */
    float prune;      /* drop averaged weights below this (default 0.5) */
} tagger_train_opts;

/* Trains on train, reports accuracy on dev (may be NULL) to log after each
 * epoch, writes the model to out_path. Returns HS_OK, or HS_EFORMAT (over
 * TAGGER_MAX_TAGS tags), HS_ENOMEM, HS_EIO (the model cannot be written)
 * or HS_EMODEL (it cannot be read back), with a message in log. */
int tagger_train(const corpus *train, const corpus *dev, const tagger_train_opts *opts,
                 const char *out_path, buf *log);

/* Accuracy of t on a corpus with gold POS (0..1) into *acc: HS_OK or
 * HS_ENOMEM. */
int tagger_accuracy(const tagger *t, const corpus *c, double *acc);

#endif
