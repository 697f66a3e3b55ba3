/* ner_int - what the entity tagger (ner.c) shares with its trainer
 * (train/train_ner.c) and nothing else: the model file's layout, the
 * per-window scratch, the features of a window's tokens, the BIO
 * constraint and the Viterbi decoder, so that training and tagging agree to
 * the bit. The trained weights and their scoring are each side's own. */
#ifndef HS_NER_INT_H
#define HS_NER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "gazetteer.h"
#include "model.h"
#include "ner.h"
#include "wordclass.h"

#define NER_NC 9 /* trained classes: O and B/I of PER ORG LOC MISC */
#define NER_WIN 1024 /* tokens decoded at a time */
#define NER_MARGIN 8 /* tokens of context each side of a window */
#define NER_MAXF 128 /* static feature keys of one token, at most */

/* Model sections: 'NERC' config (u32 NER_MAGIC, u32 NER_FL_* flags, u32
 * NER_NC, u32 NER_FEAT_VERSION), 'NERW' perceptron blob (emission and, when
 * greedy, previous-tag features), 'NERT' float transitions [NER_NC+1][NER_NC]
 * (last row: start). */
#define NER_MAGIC 0x3152454eu /* "NER1" */
#define NER_FEAT_VERSION 1
#define NER_FL_GREEDY 1u /* left to right with previous-tag features, else Viterbi */
#define NER_FL_POS 2u    /* POS features */
#define NER_FL_WC 4u     /* word class features; the model carries its WC_SECTION */
#define NER_FL_DGAZ 8u   /* derived gazetteer features; the model carries NER_SEC_G */
#define NER_SEC_G MODEL_ID('N', 'E', 'R', 'G')

/* Categories of the derived gazetteer: whole entity phrases by type, and
 * the first / last tokens of multi-token PER, ORG and LOC names. */
enum { DG_PER, DG_ORG, DG_LOC, DG_MISC, DG_PFIRST, DG_PLAST, DG_OLAST, DG_LLAST, DG_NCAT };

/* The word lists a tagger reads besides its weights: the hand gazetteer,
 * the derived one (cap 0: none) and word classes (e NULL: none). */
typedef struct ner_lex {
    const gaz *hand, *derived;
    const wclass *wc;
} ner_lex;
#define NER_SEC_CONF MODEL_ID('N', 'E', 'R', 'C')
#define NER_SEC_W MODEL_ID('N', 'E', 'R', 'W')
#define NER_SEC_T MODEL_ID('N', 'E', 'R', 'T')

#define NER_NPRE 4
#define NER_NSUF 5
/* What the features of a token are made of, computed once per window. */
typedef struct ner_tokh {
    uint64_t w, lw, sh, pos;
    uint64_t pre[NER_NPRE], suf[NER_NSUF];
    uint32_t gaz, dgaz;
    uint16_t c1, c2;    /* coarse and fine word class, 0 unknown */
    uint8_t cap;        /* CAP_* of ner.c */
    uint8_t run, runpos; /* length of the capitalised run it is in, and its place */
    uint64_t runfirst, runlast; /* lw of the run's first and last tokens */
} ner_tokh;

/* One window's working memory: t, gh and gb for its tokens and margins;
 * f/nf the static features of token k at f[k * NER_MAXF]; sc and bp the
 * scores and Viterbi back pointers of token k at [k * NER_NC]. */
struct ner_scratch {
    ner_tokh t[NER_WIN + 2 * NER_MARGIN];
    uint64_t gh[NER_WIN + 2 * NER_MARGIN];
    uint32_t gb[NER_WIN + 2 * NER_MARGIN], db[NER_WIN + 2 * NER_MARGIN];
    uint64_t f[NER_WIN * NER_MAXF];
    uint16_t nf[NER_WIN];
    float sc[NER_WIN * NER_NC];
    uint8_t bp[NER_WIN * NER_NC];
};

/* I-X may only follow B-X or I-X. The tag ids of ner.h spelt out (odd ids
 * begin an entity, the type is (id + 1) / 2): this header calls nothing of
 * ner.c, which calls it. */
static inline int ner_allowed(uint8_t prev, uint8_t tag)
{
    return !tag || (tag & 1) || (prev && (prev + 1u) / 2u == (tag + 1u) / 2u);
}

/* The best-scoring class of sc[0..NER_NC) that may follow prev. */
static inline uint8_t ner_best_allowed(const float *sc, uint8_t prev)
{
    uint8_t b = 0;
    for (uint8_t c = 1; c < NER_NC; c++)
        if (ner_allowed(prev, c) && sc[c] > sc[b])
            b = c;
    return b;
}

/* Headline-style sentences (most words capitalised) and all-caps ones:
 * 0 normal, 1 title case, 2 all caps. */
unsigned ner_sentence_case(size_t n, const char *const *form);
/* Computes the static features of the window [a, b) of form[0..n) (pos may
 * be NULL; usepos: add POS features) into s->f / s->nf. Returns lo, the
 * first token whose hashes are in s->t. */
size_t ner_window_feats(const ner_lex *lx, ner_scratch *s, size_t n, const char *const *form,
                        const char *const *pos, size_t a, size_t b, unsigned scase, int usepos);
/* Previous-tag features of the greedy decoder for token i of n (t: its
 * hashes in a window's s->t; p1, p2: the tags before, NER_NC at the start);
 * five keys into f. */
size_t ner_tag_feats(const ner_tokh *t, size_t i, size_t n, uint8_t p1, uint8_t p2, uint64_t *f);
/* Viterbi over window scores s->sc[0..nt) with transitions tr; prev is the
 * tag before the window (NER_NC: sentence start). */
void ner_viterbi(ner_scratch *s, size_t nt, const float (*tr)[NER_NC], uint8_t prev,
                 uint8_t *out);

#endif
