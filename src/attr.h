/* attr - what the attribution files share (see attribution.h for the stage):
 * the model, the per-document scratch with its per-token atoms, cues, token
 * ranges, feature key macros and the functions one attr_*.c file calls in
 * another. Private to src/attr*.c; the rest of the engine sees attribution.h. */
#ifndef HS_ATTR_H
#define HS_ATTR_H

#include <stddef.h>
#include <stdint.h>

#include "attribution.h"
#include "doc.h"
#include "model.h"
#include "perceptron.h"

#define MAXF 128

enum { C_O, C_B, C_I, NCUE };
enum { R_O, R_S, R_C, NROLE };

/* The weight sections of the attribution model file (attr_model.c). */
#define ATTR_SEC_CUE MODEL_ID('A', 'C', 'U', 'E')
#define ATTR_SEC_ROLE MODEL_ID('A', 'R', 'O', 'L')
#define ATTR_SEC_STEP MODEL_ID('A', 'S', 'T', 'P')

struct attr_model {
    model file;
    pc_tab3 fc, fr; /* cue and role weights (both have 3 classes), packed for speed */
    pc_tab9 fs;     /* step weights: class prev * NROLE + current label */
};

/* Per-token atoms computed once per document; arrays keep their capacity. */
typedef struct tokinfo {
    uint64_t w;   /* lower-cased form */
    uint64_t x;   /* last three bytes, lower-cased */
    uint64_t st;  /* crude stem: lower-cased, -s/-ed/-ing/-es cut */
    uint16_t pos; /* POS id */
    uint8_t shape, ent, quote, blk; /* shape class, entity type, 1 open/2 close, block kind */
    uint8_t who; /* distance bucket to the nearest person or pronoun before, in the sentence */
    uint8_t lex; /* lexicon class of the word (0: none) */
    uint64_t dl;   /* dependency label (0 without a parse) */
    int32_t head;  /* head token (document index), -1 for a root or without a parse */
    uint32_t sent, para;
} tokinfo;

/* A cue found in the document: tokens [b, e). */
typedef struct cue {
    uint32_t b, e;
    float margin;
} cue;

/* What attribution keeps of each paragraph (npara + 1 of them, the last all
 * zero). bq and ro, set by attr_build_atoms, count the paragraphs in a row
 * from this one that are block quotes / reopen a quotation (paragraphs are
 * never empty), so that what a colon or an open quotation leads into is
 * found without walking it; the rest is attr_orphan_quotes' index. */
typedef struct pinfo {
    uint32_t bq, ro;
    uint32_t run;        /* paragraphs of the orphan quotation starting here, 0: none */
    uint32_t qrun, brun; /* start of the orphan quotation / block quote holding it, or UINT32_MAX */
    long best;           /* the likeliest speaker among statements cued here, -1: none */
    float bestw;
    uint8_t block, claimed; /* (a run's start) it is a block quote; a statement claims it */
} pinfo;

/* A statement's content span, bytes [b, e) of attribution j: what
 * attr_quoted_speakers searches, sorted by start. */
typedef struct cspan {
    uint32_t b, e, j;
} cspan;

/* The attribution scratch of one document (the pipeline's, or the
 * trainer's), reused by the next: arrays keep their capacity, except that
 * arrays a huge document grew are released before the next one. After
 * attr_build_atoms, ti, ctag, rtag and ancd hold ntok entries, qpre and cpre
 * ntok + 1 (cpre once the cues are collected), psent nsent, pi npara + 1;
 * us, ts, rel, rel2 and bp are per role window. */
typedef struct ascratch {
    tokinfo *ti;
    size_t capti;
    uint32_t *qpre, *cpre; /* quote marks / cue starts before token i */
    size_t capq, capc;
    uint8_t *ctag, *rtag;
    size_t capct, caprt;
    float *us; /* unary scores: NCUE per sentence token, NROLE per window token */
    size_t capus;
    float *ts; /* transition scores, NROLE x NROLE (previous, current) per window token */
    size_t capts;
    uint64_t *rel, *rel2; /* tree relations of the window's tokens to the current cue */
    size_t caprel, caprel2;
    uint8_t *bp; /* Viterbi back pointers, NSTATE per window token */
    size_t capbp;
    uint8_t bfrom[12]; /* state before the cue's side remapping */
    int16_t *ancd; /* height above the current cue of its ancestors, else -1 */
    size_t capancd;
    uint8_t *psent; /* sentence parsed and its tree atoms filled */
    size_t cappsent;
    /* the parse it reads: the document's, of every sentence or of those
     * asked for (parser_need) */
    const struct parser *parser; /* NULL: no tree features */
    struct parser_scratch *pscratch;
    int *head;       /* per token: 1-based head within the sentence, 0 root */
    uint16_t *label; /* per token: label id */
    int parsed;     /* the engine has a parser: tree features are on */
    unsigned nl;    /* parser labels: hash of each, and whether a subject has it */
    uint64_t lh[256];
    uint8_t lk[256]; /* a subject's label */
    int nsubj; /* the parser's label of an active subject, -1: none */
    int dobj;  /* and of a direct object */
    uint32_t *aoff, *apara; /* per attribution: first span, paragraph of its cue */
    size_t capaoff, capapara;
    pinfo *pi; /* per paragraph */
    size_t cappi;
    cspan *cs; /* content spans, and a tree of their greatest ends (attr_quoted_speakers) */
    size_t capcs;
    uint32_t *cmax;
    size_t capcmax;
    uint8_t *nested; /* per attribution: its cue lies in another's content */
    size_t capnested;
    /* the scores of the side features (attr_role_side_features and
     * attr_step_side_features) of each token of the window [rpb, rpe) on
     * each side of a cue, kept while its cues are labelled with a model:
     * rside 2 role sums, sside 9 step sums, sideok bit 1 / 2 when filled */
    int32_t *rside, *sside;
    uint8_t *sideok;
    size_t caprside, capsside, capsideok;
    size_t rpb, rpe; /* rpe 0: none kept */
    cue *cues;
    size_t ncues, capcues;
    uint64_t f[MAXF];
    float s[8];
} ascratch;

/* Either a trainer (training) or a loaded model (inference). */
typedef struct scorer {
    pc_trainer *tc, *tr, *tt; /* cue, role and role step weights */
    const attr_model *m;
} scorer;

/* A token range [b, e). */
typedef struct trange {
    uint32_t b, e;
} trange;

#define MAXR 16

#define K1(t, a) fk_end(fk_num(fk_start(t), (a)))
#define K2(t, a, b) fk_end(fk_num(fk_num(fk_start(t), (a)), (b)))
#define K3(t, a, b, c) fk_end(fk_num(fk_num(fk_num(fk_start(t), (a)), (b)), (c)))
#define K4(t, a, b, c, e) fk_end(fk_num(fk_num(fk_num(fk_num(fk_start(t), (a)), (b)), (c)), (e)))

/* ---- atoms and token predicates (attr_atoms.c) ---------------------------- */

/* Sizes the scratch for d and fills the atoms of every token. */
int attr_build_atoms(hs_doc *d, ascratch *s);
void attr_need_parse(hs_doc *d, ascratch *s, size_t se);
int attr_tok_is(const hs_doc *d, size_t i, const char *w);
int attr_word_is(const hs_doc *d, size_t i, const char *const *list);
int attr_edge_mark(const hs_doc *d, const ascratch *s, size_t k);
size_t attr_tok_after(const hs_doc *d, uint32_t off);
trange attr_para_toks(const hs_doc *d, size_t p);
int attr_in_ranges(const trange *r, size_t n, size_t k);
size_t attr_introduced(const hs_doc *d, const ascratch *s, size_t p);

/* ---- features (attr_features.c); each fills f, returns the count ---------- */

size_t attr_cue_features(const hs_doc *d, const ascratch *s, size_t i, size_t sb, size_t se,
                         uint64_t *f);
size_t attr_role_features(const hs_doc *d, const ascratch *s, const cue *c, size_t i, size_t pb,
                          size_t pe, uint64_t *f, size_t ch);
uint64_t attr_tree_rel(const ascratch *s, size_t i, size_t ch, uint64_t *rel2);
size_t attr_step_features(const hs_doc *d, const ascratch *s, const cue *c, size_t i,
                          uint64_t *f);
/* The same two lists in two parts: what depends on the cue beyond its side
 * (dir: 1 left of it, 2 right) and what does not, which is the same for
 * every cue of a window [pb, pe) and so is scored once (attr_role.c). */
size_t attr_role_cue_features(const hs_doc *d, const ascratch *s, const cue *c, size_t i,
                              size_t pb, size_t pe, uint64_t *f);
size_t attr_role_side_features(const hs_doc *d, const ascratch *s, size_t i, size_t pb,
                               size_t pe, uint64_t dir, uint64_t *f);
size_t attr_step_cue_features(const cue *c, size_t i, uint64_t *f);
size_t attr_step_side_features(const hs_doc *d, const ascratch *s, size_t i, uint64_t dir,
                               uint64_t *f);

/* ---- cues (attr_cue.c) ---------------------------------------------------- */

int attr_tag_cues(const hs_doc *d, ascratch *s, const scorer *sc, size_t sb, size_t se,
                  const uint8_t *gold);
void attr_colon_cues(hs_doc *d, ascratch *s);
int attr_collect_cues(const hs_doc *d, ascratch *s, const float *margins);
void attr_cue_margins(const hs_doc *d, ascratch *s, const scorer *sc);

/* ---- roles (attr_role.c) -------------------------------------------------- */

size_t attr_range_node(const ascratch *s, trange r);
size_t attr_cue_node(const ascratch *s, const cue *c); /* the cue's node: its range's */
trange attr_subtree(const ascratch *s, size_t b, size_t e, size_t node);
int attr_tag_roles(hs_doc *d, ascratch *s, const scorer *sc, const cue *c, size_t pb,
                   size_t pe, const uint8_t *gold);
/* The role tagger's window: a paragraph of at most ATTR_PARA_SENT sentences
 * and ATTR_PARA_TOK tokens, else the cue's sentence and ATTR_WIN_SENT
 * sentences either side, cut to ATTR_WIN_TOK tokens either side of the cue.
 * No paragraph of PolNeAR or the HTML benchmark has over 27 sentences or 489
 * tokens. With PolNeAR dev's articles each on one line, these windows score
 * as whole paragraphs do (attribution e2e F 0.667 vs 0.666). */
#define ATTR_PARA_SENT 32
#define ATTR_PARA_TOK 512
#define ATTR_WIN_SENT 5
#define ATTR_WIN_TOK 128
trange attr_role_window(const hs_doc *d, const ascratch *s, const cue *c);
size_t attr_runs_of(const ascratch *s, size_t pb, size_t pe, uint8_t lab, trange *r);

/* ---- sources (attr_source.c) ---------------------------------------------- */

trange attr_source_extent(const hs_doc *d, const ascratch *s, trange r, const cue *c, trange w);
long attr_source_entity(const hs_doc *d, const ascratch *s, const trange *src, size_t nsrc);
int attr_subject_of(const hs_doc *d, const ascratch *s, const cue *c, trange w, trange *out);
trange attr_first_person(const hs_doc *d, size_t b, size_t e1);
int attr_quoted_speakers(hs_doc *d, ascratch *s);

/* ---- hedges and outlets (attr_hedge.c) ------------------------------------ */

int attr_is_hedge(const hs_doc *d, const ascratch *s, size_t i);
trange attr_find_via(const hs_doc *d, const ascratch *s, const cue *c, trange w,
                     const trange *con, size_t ncon);

/* ---- statements (attr_link.c) --------------------------------------------- */

int attr_emit(hs_doc *d, ascratch *s, const cue *c, trange w);
int attr_orphan_quotes(hs_doc *d, ascratch *s);
int attr_signed_quotes(hs_doc *d, ascratch *s);
void attr_finish(hs_doc *d, const ascratch *s);
int attr_drop_nested(hs_doc *d, ascratch *s);

/* ---- the stage and the model (attribution.c, attr_model.c) ---------------- */

/* The stage with the weights of sc (a model or, for the trainer's dev
 * report, the written model); s->parser and s->pscratch are set. */
int attr_run_doc(hs_doc *d, ascratch *s, const scorer *sc);
int attr_save(const char *out, pc_trainer *tc, pc_trainer *tr, pc_trainer *tt, size_t len[3],
              buf *log);
void attr_score(const scorer *sc, int role, const uint64_t *f, size_t nf, float *out);

#endif
