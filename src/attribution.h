/* attribution - finds who said what: cue, source and content spans of every
 * statement in an analyzed document, learned from PolNeAR (averaged
 * perceptron taggers over tokens with features from the linguistic layers),
 * grouped into attributions with kind, hedges, outlet and resolved source.
 * Model file: models/attribution.hsm. Its parts: src/attr_*.c (attr.h). */
#ifndef HS_ATTRIBUTION_H
#define HS_ATTRIBUTION_H

#include "buf.h"
#include "hearsay.h"

typedef struct attr_model attr_model;

/* Loads and validates an attribution model: HS_OK, or HS_EMODEL (or
 * HS_ENOMEM) with the reason, naming path, in err. */
int attr_load(attr_model **out, const char *path, buf *err);
void attr_free(attr_model *m); /* NULL is fine */

/* The stage's working memory for one document at a time (capacity kept
 * between documents); NULL when out of memory. */
typedef struct ascratch attr_scratch;
attr_scratch *attr_scratch_new(void);
void attr_scratch_free(attr_scratch *s); /* NULL is fine */

/* The attribution stage: fills d's attributions with model m (needs POS;
 * uses the entities, and the parse: the document's when every sentence is
 * parsed, else p parses, with ps, the sentences it reads; p NULL: no tree
 * features). Returns HS_OK or HS_ENOMEM. */
struct hs_doc;
struct parser;
struct parser_scratch;
int attr_run(struct hs_doc *d, const attr_model *m, const struct parser *p,
             struct parser_scratch *ps, attr_scratch *s);

#endif
