/* doc - the private layout of hs_engine and hs_doc, shared by the pipeline
 * modules (tokenize, segment, structure, emit). Public code sees only the
 * opaque handles and the accessors in hearsay.h. */
#ifndef HS_DOC_H
#define HS_DOC_H

#include "hearsay.h"
#include "arena.h"
#include "buf.h"

#define HS_DEFAULT_MAX_DOC (64u << 20)

struct tagger;
struct parser;
struct parser_scratch;
struct ner;
struct ner_scratch;
struct gaz;
struct ingest;

/* Invariant: models are loaded once in hs_engine_open and never change, so
 * any number of documents in any threads may share the engine. */
struct hs_engine {
    size_t max_doc_bytes;
    struct tagger *pos;
    struct parser *parser;
    struct ner *ner;
    struct attr_model *attr;
    int parse_all; /* parse every sentence (else attribution parses the ones it needs) */
    struct gaz *gaz; /* word lists for roles and nominal mentions */
    buf errmsg;
};

/* Invariants after a successful analyze: text[0..len) is valid UTF-8; tokens,
 * sentences and paragraphs are sorted and do not overlap; every sentence lies
 * in one paragraph; blocks cover every paragraph's non-blank text once, in
 * order. Arrays keep their capacity across documents (no per-token malloc). */
struct hs_doc {
    const hs_engine *eng;
    const char *text;
    size_t len;
    buf own;  /* repaired copy of the text (lossy mode) */
    buf id;
    hs_token *tok;
    size_t ntok, captok;
    hs_sentence *sent;
    size_t nsent, capsent;
    hs_paragraph *para;
    size_t npara, cappara;
    hs_block *blk;
    size_t nblk, capblk;
    hs_span *spans; /* block spans, in block order */
    size_t nspans, capspans;
    hs_span title;
    int has_title;
    const char **err;
    size_t nerr, caperr;
    arena ar;   /* error strings */
    buf json;
    buf errmsg;
    /* linguistic layers: normalised forms (NUL-separated in formbuf, pointers
     * in form), POS tag ids; sized to ntok, capacity kept across documents */
    buf formbuf;
    const char **form;
    size_t capform;
    uint16_t *pos;
    size_t cappos;
    int has_pos;
    buf conllu;
    buf owntext; /* text built by hs_doc_analyze_tokens */
    /* POS names per token (for parser/NER input), heads (1-based within the
     * sentence, 0 root), labels, NER tag ids; each sized to ntok */
    const char **posname;
    size_t capposname;
    int *head;
    size_t caphead;
    uint16_t *label;
    size_t caplabel;
    int has_parse;
    uint8_t *nertag;
    size_t capnertag;
    int has_ner;
    struct parser_scratch *pscratch;
    struct ner_scratch *nscratch;
    /* entities: records, their mention spans, per-token entity (index + 1) */
    hs_entity *ents;
    size_t nents, capents;
    hs_span *entspans;
    size_t nentspans, capentspans;
    uint32_t *tok_ent;
    size_t captokent;
    void *ments; /* ent_mention array (entities.h) */
    size_t capments;
    /* attributions: records and their spans (the records' span pointers are
     * set once all spans are in, as the span array may move while growing) */
    hs_attribution *attr;
    size_t nattr, capattr;
    hs_span *attrspans;
    size_t nattrspans, capattrspans;
    void *ascratch; /* attribution scratch (attribution.h) */
    struct ingest *ing; /* page extraction and metadata of hs_doc_analyze_input (ingest.h) */
};

/* Pipeline stages; each returns HS_OK or HS_ENOMEM. */
int tok_run(hs_doc *d);
int seg_run(hs_doc *d);
int struct_run(hs_doc *d);
int annotate_run(hs_doc *d);

/* Binary data: a NUL byte anywhere, or many C0 control characters in the
 * first 4 KiB; 1 with *off at the first of them, else 0. */
int doc_binary_offset(const char *s, size_t n, size_t *off);
/* Drops the last result and sets id and text without analyzing (ingest.c). */
int doc_set_text(hs_doc *d, const char *id, const char *text, size_t len);
/* doc_set_text after the checks hs_doc_analyze makes of a text (size,
 * binary data, UTF-8 or its repair with HS_ANALYZE_LOSSY in flags, no text
 * at all); returns HS_OK or their HS_E* code with the message in d. */
int doc_extract_text(hs_doc *d, const char *id, const char *text, size_t len, unsigned flags);

#endif
