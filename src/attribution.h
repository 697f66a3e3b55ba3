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

int attr_load(attr_model **out, const char *path, buf *err);
void attr_free(attr_model *m); /* NULL is fine */
void attr_scratch_free(void *s); /* NULL is fine */

/* Fills the document's attributions (needs POS; uses the parse and entities
 * when present). Returns HS_OK or HS_ENOMEM. */
struct hs_doc;
int attr_run(struct hs_doc *d);

/* Trains from data_dir/polnear (train, dev for the log) with the engine's
 * linguistic layers, writes out. Returns 0 or -1 (reason in log). */
int attr_train(const hs_engine *eng, const char *data_dir, int epochs, const char *out,
               buf *log);

#endif
