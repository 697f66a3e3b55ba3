/* doc - the document: the text and every layer the pipeline adds to it
 * (tokens, sentences, paragraphs, blocks, forms, tags, trees, entities,
 * attributions), the metadata a reader found, and the accessors of
 * hearsay.h. It is passive: it calls no stage, reader or writer; the
 * pipeline (pipeline.h) fills it, writers (emit.h, conllu.h) read it. */
#ifndef HS_DOC_H
#define HS_DOC_H

#include <time.h>

#include "arena.h"
#include "buf.h"
#include "hearsay.h"

/* Metadata of the input the text came from: filled by the reader side
 * (ingest.c), read by the writers. Invariant: the buffers describe the
 * document's last hs_doc_analyze_input only while active; body_off is at
 * most the text's length. */
typedef struct doc_meta {
    buf url, date, published, title, byline, outlet, lang;
    buf fields;      /* JSON Lines members passed through: "\"k\":v,..." or "" */
    size_t body_off; /* where the article body starts in the text (after its title) */
    int active;      /* the text came from hs_doc_analyze_input */
    int wants_text;  /* the JSON must carry "text": it is not the input's own bytes */
} doc_meta;

/* Invariants after a successful analysis (doc_check asserts them): text[0..len)
 * is valid UTF-8; tokens, sentences and paragraphs are sorted, inside the
 * text and do not overlap; every sentence lies in one paragraph and its
 * tokens in it; blocks cover the paragraphs' text in order; each layer's
 * per-token array holds ntok items when its has_ flag is set. After a
 * failure every count is 0. Arrays keep their capacity across documents
 * (no per-token malloc); the arena holds strings and is reset. */
struct hs_doc {
    const hs_engine *eng; /* the engine the document was made for (not read here) */
    void *work;           /* the pipeline's per-document scratch (pipeline.c owns it) */
    const char *text;
    size_t len;
    buf own;     /* repaired copy of the text (lossy mode) */
    buf owntext; /* text built from given tokens (hs_doc_analyze_tokens) */
    buf id;
    /* text layer */
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
    /* CoreNLP-style forms (NUL-separated in formbuf, pointers in form) */
    buf formbuf;
    const char **form;
    size_t capform;
    /* POS: tag ids and their names (static strings of the model) */
    uint16_t *pos;
    size_t cappos;
    const char **posname;
    size_t capposname;
    int has_pos;
    /* parse: heads (1-based within the sentence, 0 root), label ids and
     * the model's label names; has_parse when every sentence is parsed */
    int *head;
    size_t caphead;
    uint16_t *label;
    size_t caplabel;
    const char *const *label_names;
    int has_parse;
    /* when the parse stage leaves sentences to the stages that read them
     * (parse_on_demand): per sentence, 1 once head/label hold its tree
     * (parser_need fills them) */
    uint8_t *sparsed;
    size_t capsparsed;
    int parse_on_demand;
    /* NER tag ids and their CoNLL names (static) */
    uint8_t *nertag;
    size_t capnertag;
    const char *const *ner_names;
    int has_ner;
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
    /* meeting events and their participants (the records' participant
     * pointers are set once all are in, like the attributions' spans) */
    hs_event *ev;
    size_t nev, capev;
    hs_participant *evpart;
    size_t nevpart, capevpart;
    doc_meta meta;
    /* messages: the document's "errors", and the detail of the last failure */
    const char **err;
    size_t nerr, caperr;
    buf errmsg;
    arena ar; /* error strings, entity names and aliases */
    /* writers' output buffers */
    buf json, conllu;
    /* nanoseconds spent in hs_doc_json since hs_doc_new or
     * hs_doc_stage_times_reset (doc_reset keeps it; pipeline.c reports it) */
    uint64_t json_ns;
};

/* Monotonic nanoseconds: what the time of each step is measured with
 * (hs_doc_stage_times); on Linux a vDSO call, no system call. */
static inline uint64_t doc_clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Frees everything the document owns (not the pipeline's work); NULL is fine. */
void doc_free(hs_doc *d);
/* Drops the last result, keeping capacity (arrays grown past a bound by one
 * huge document are released), and sets the id (copied; may be NULL). */
int doc_reset(hs_doc *d, const char *id);
/* After a failure: every layer empty, so accessors never see half a result
 * (and "out of memory" the detail of HS_ENOMEM when none is set). Returns rc. */
int doc_settle(hs_doc *d, int rc);
/* Sets the detail of a failure (hs_doc_errmsg) and returns code. */
int doc_fail(hs_doc *d, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Adds a copy of msg to the document's "errors". */
int doc_add_error(hs_doc *d, const char *msg);
/* Names of the document's vocabularies as the JSON spells them
 * ("missing-embed", "blockquote", "OUTLET"); "unknown" out of range. */
const char *doc_block_name(int kind);
const char *doc_attr_kind_name(int kind);
const char *doc_entity_type_name(int type);
const char *doc_factuality_name(int fact);
const char *doc_event_type_name(int type);
/* Asserts the invariants above (a no-op with NDEBUG). */
void doc_check(const hs_doc *d);

#endif
