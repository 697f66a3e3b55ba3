/* train_parser - trains the dependency parser (src/parser.c) on a corpus
 * with gold heads and labels: greedy arc-hybrid with a dynamic oracle and
 * exploration, a count filter on rare features, an averaged perceptron for
 * transitions and one for labels, pruned to fit a size. POS tags to learn
 * from may come from a callback (jackknifed tagger output, see train.c).
 * Training-time code: single-threaded, it allocates freely. */
#ifndef HS_TRAIN_PARSER_H
#define HS_TRAIN_PARSER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "corpus.h"
#include "parser.h"

/* Supplies the POS tags to train on for sentence sent of c (e.g. jackknifed
 * tagger output): fills out[0 .. corpus_sent_len(c, sent)); the strings need
 * only live until the callback returns. Returns HS_OK, or an HS_E* code to
 * abort training (parser_train returns it). */
typedef int (*parser_pos_fn)(void *ctx, const corpus *c, size_t sent, const char **out);

typedef struct parser_train_opts {
    unsigned epochs;       /* passes over the training data (0: 15) */
    uint64_t seed;         /* shuffling and exploration (0: a fixed default) */
    float prune;           /* drop averaged weights with |w| below this (0: none) */
    unsigned min_count;    /* ignore features seen fewer times in gold states (0,1: keep all) */
    size_t max_bytes;      /* prune harder until the weights take at most this (0: no limit) */
    parser_pos_fn pos;     /* NULL: train on the gold POS of the corpus */
    void *pos_ctx;
} parser_train_opts;

/* Trains on train (head, deprel, form and pos of every token), reports
 * progress and, when dev is non-NULL, dev UAS/LAS (gold POS) to log, and
 * writes the model to out_path. opts may be NULL (defaults). Returns HS_OK,
 * or HS_ENOMEM, HS_EIO (the model cannot be written), HS_EMODEL (it cannot
 * be read back) or the POS callback's code, with a message appended to log. */
int parser_train(const corpus *train, const corpus *dev, const parser_train_opts *opts,
                 const char *out_path, buf *log);

#endif
