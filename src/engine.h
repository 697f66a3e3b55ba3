/* engine - what hs_engine_open loads once and every document shares: the
 * models of the layers asked for, the word lists, the document size limit.
 * Immutable after the open, so any number of threads may read it. It runs
 * nothing: the pipeline (pipeline.h) does. */
#ifndef HS_ENGINE_H
#define HS_ENGINE_H

#include "buf.h"
#include "hearsay.h"

#define HS_DEFAULT_MAX_DOC (64u << 20)

struct tagger;
struct parser;
struct ner;
struct attr_model;
struct gaz;

/* Invariant: models are loaded once in hs_engine_open and never change. A
 * NULL model is a layer that is off (its file is absent or not asked for). */
struct hs_engine {
    size_t max_doc_bytes;
    struct tagger *pos;
    struct parser *parser;
    struct ner *ner;
    struct attr_model *attr;
    int parse_all;   /* parse every sentence (else attribution parses the ones it needs) */
    struct gaz *gaz; /* word lists for roles and nominal mentions (with NER) */
    buf errmsg;
};

#endif
