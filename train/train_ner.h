/* train_ner - trains the entity tagger (src/ner.c) on corpora with gold BIO
 * tags (PER, ORG, LOC, MISC), with Viterbi over learned transitions or
 * greedily with previous-tag features, and scores tags against gold spans
 * (exact match, as tools/eval_tags.py counts them). Training-time code:
 * single-threaded, it allocates freely. */
#ifndef HS_TRAIN_NER_H
#define HS_TRAIN_NER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "corpus.h"
#include "ner.h"

/* Zeroed fields take the defaults in brackets. */
typedef struct ner_train_opts {
    unsigned epochs;  /* passes over the data [12] */
    int greedy;       /* 1: left-to-right with previous-tag features; 0: Viterbi */
    int pos;          /* 0: no POS features; 1: use corpus POS when present [0] */
    float prune;      /* averaged weights below this are dropped [1.0] */
    unsigned seed;    /* shuffling [1] */
    float lowercase;  /* fraction of sentences trained lowercased [0] */
    float titlecase;  /* fraction of sentences trained in headline case [0] */
    int quiet;        /* no per-epoch lines in the log */
    const void *classes; /* a word class table (WC_SECTION body) to use and carry, or NULL */
    size_t classes_len;
    int no_derived;   /* 1: no gazetteer learnt from the training data */
    unsigned dg_min;  /* a phrase enters a derived list when seen this often [1] */
} ner_train_opts;

/* Trains on the sentences of train_sets[0..nsets) (ner "B-PER"... tags),
 * reporting per-epoch accuracy and dev span F1 (dev may be NULL) into log
 * (may be NULL), and writes the averaged model to out_path. Returns HS_OK,
 * or HS_ENOMEM or HS_EIO (the model cannot be written) with a message in
 * log. */
int ner_train(const corpus *const *train_sets, size_t nsets, const corpus *dev,
              const ner_train_opts *opts, const char *out_path, buf *log);

/* Exact-span scores of pred against gold over n tags (sentences laid end
 * to end, as in a corpus); OUTLET counts as ORG. Adds counts; per type
 * (index NER_PER..NER_MISC) and in total (index 0). */
typedef struct ner_counts {
    size_t tp[NER_NTYPES], gold[NER_NTYPES], pred[NER_NTYPES];
} ner_counts;
void ner_count_spans(ner_counts *c, const uint8_t *gold, const uint8_t *pred, size_t n);
double ner_f1(const ner_counts *c, unsigned type); /* type 0: all */

#endif
