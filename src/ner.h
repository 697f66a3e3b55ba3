/* ner - named-entity recognizer: an averaged-perceptron sequence labeller
 * over BIO tags (PER, ORG, LOC, MISC; ORG spans the gazetteer knows as news
 * outlets become OUTLET) with word, shape, affix, context, POS and gazetteer
 * features; its trainer; its model file (type MODEL_NER). One pre-tokenized
 * sentence at a time (CoreNLP-style forms). It does not tokenize, nest
 * entities, or link them across sentences. */
#ifndef HS_NER_H
#define HS_NER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "corpus.h"

/* Entity types. Tag ids: 0 = O, 2*type-1 = B-type, 2*type = I-type. */
enum { NER_NONE, NER_PER, NER_ORG, NER_LOC, NER_MISC, NER_OUTLET, NER_NTYPES };
#define NER_NTAGS (2 * NER_NTYPES - 1)

static inline unsigned ner_tag_type(uint8_t tag) { return (tag + 1u) / 2u; }
static inline int ner_tag_is_begin(uint8_t tag) { return tag & 1; }
static inline uint8_t ner_tag_make(unsigned type, int begin)
{
    return type ? (uint8_t)(2 * type - (begin ? 1 : 0)) : 0;
}
/* "PER", "ORG", "LOC", "MISC", "OUTLET"; "O" for NER_NONE; "?" out of range. */
const char *ner_type_name(unsigned type);
/* CoNLL tag text ("B-PER", "I-ORG", "O"); with coarse, OUTLET prints as ORG.
 * Static storage. */
const char *ner_tag_name(uint8_t tag, int coarse);
/* Tag id of "B-PER", "I-ORG", "O", ...; -1 when not a tag. */
int ner_tag_parse(const char *s);

/* Zeroed fields take the defaults in brackets. */
typedef struct ner_train_opts {
    unsigned epochs;  /* passes over the data [12] */
    int greedy;       /* 1: left-to-right with previous-tag features; 0: Viterbi */
    int pos;          /* 0: no POS features; 1: use corpus POS when present [0] */
    float prune;      /* averaged weights below this are dropped [0.2] */
    unsigned seed;    /* shuffling [1] */
    float lowercase;  /* fraction of sentences trained lowercased [0] */
    int quiet;        /* no per-epoch lines in the log */
} ner_train_opts;

/* Trains on the sentences of train_sets[0..nsets) (ner "B-PER"... tags),
 * reporting per-epoch accuracy and dev span F1 (dev may be NULL) into log
 * (may be NULL), and writes the averaged model to out_path. Single-threaded;
 * allocates freely. Returns 0, or -1 with a message in log. */
int ner_train(const corpus *const *train_sets, size_t nsets, const corpus *dev,
              const ner_train_opts *opts, const char *out_path, buf *log);

/* A loaded model: immutable, shareable by threads. */
typedef struct ner ner;
/* Loads and validates path; returns 0, or -1 with a reason in err (*out NULL). */
int ner_load(ner **out, const char *path, buf *err);
void ner_free(ner *m); /* NULL is fine */

/* Per-thread working memory: create once, reuse for every sentence; ner_tag
 * allocates nothing. Sentences of any length are tagged (in windows). */
typedef struct ner_scratch ner_scratch;
ner_scratch *ner_scratch_new(void); /* NULL when out of memory */
void ner_scratch_free(ner_scratch *s);

/* Tags form[0..n) into tag_out[0..n) (tag ids, well-formed BIO). pos may be
 * NULL (Penn tags otherwise). */
void ner_tag(const ner *m, ner_scratch *s, size_t n, const char *const *form,
             const char *const *pos, uint8_t *tag_out);

/* Exact-span scores of pred against gold over nsent sentences of tags laid
 * end to end (sent as in corpus). coarse: OUTLET counts as ORG. Adds
 * counts; per type (index NER_PER..NER_MISC) and in total (index 0). */
typedef struct ner_counts {
    size_t tp[NER_NTYPES], gold[NER_NTYPES], pred[NER_NTYPES];
} ner_counts;
void ner_count_spans(ner_counts *c, const uint8_t *gold, const uint8_t *pred, size_t n);
double ner_f1(const ner_counts *c, unsigned type); /* type 0: all */

/* The NER stage: tags every sentence of d (its forms and POS) into
 * d->nertag with the names OUTLET-as-ORG in d->ner_names. */
struct hs_doc;
int ner_run(struct hs_doc *d, const ner *m, ner_scratch *s);

/* Whether form[0..n) is a listed news outlet ("NBC News"); case-insensitive. */
int ner_is_outlet(const ner *m, const char *const *form, size_t n);

#endif
