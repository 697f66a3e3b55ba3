/* tagger - Penn Treebank part-of-speech tagger: greedy left-to-right
 * averaged perceptron with a tag dictionary for frequent unambiguous words.
 * Trained on the CoreNLP layer of PolNeAR, by train/train_pos.h, not here;
 * forms are CoreNLP-style (-LRB-, ``, ''). Tagging allocates nothing: the
 * caller passes the output array. */
#ifndef HS_TAGGER_H
#define HS_TAGGER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

typedef struct tagger tagger;

/* Loads and validates a MODEL_POS file. Returns HS_OK, or HS_ENOMEM or
 * HS_EMODEL with a message naming the file in err (*out is then NULL). */
int tagger_load(tagger **out, const char *path, buf *err);
void tagger_free(tagger *t);

/* Tags one sentence of n forms; tags[i] receives a tag index. Thread-safe
 * for a shared tagger. */
void tagger_tag(const tagger *t, size_t n, const char *const *form, uint16_t *tags);
const char *tagger_tag_name(const tagger *t, unsigned tag);
unsigned tagger_ntags(const tagger *t);

/* The POS stage: tags every sentence of d (its forms) into d->pos and
 * d->posname; sets has_pos. */
struct hs_doc;
int tagger_run(struct hs_doc *d, const tagger *t);

#endif
