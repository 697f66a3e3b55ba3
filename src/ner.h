/* ner - named-entity recognizer: an averaged-perceptron sequence labeller
 * over BIO tags (PER, ORG, LOC, MISC; ORG spans the gazetteer knows as news
 * outlets become OUTLET) with word, shape, affix, context, POS and gazetteer
 * features; its model file (type MODEL_NER). One pre-tokenized sentence at
 * a time (CoreNLP-style forms). It does not train (train/train_ner.h),
 * tokenize, nest entities, or link them across sentences. */
#ifndef HS_NER_H
#define HS_NER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

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

/* A loaded model: immutable, shareable by threads. */
typedef struct ner ner;
/* Loads and validates path; returns HS_OK, or HS_ENOMEM or HS_EMODEL with a
 * reason in err (*out NULL). */
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

/* The NER stage: tags every sentence of d (its forms and POS) into
 * d->nertag with the names OUTLET-as-ORG in d->ner_names. */
struct hs_doc;
int ner_run(struct hs_doc *d, const ner *m, ner_scratch *s);

/* Whether form[0..n) is a listed news outlet ("NBC News"); case-insensitive. */
int ner_is_outlet(const ner *m, const char *const *form, size_t n);

#endif
