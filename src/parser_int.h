/* parser_int - what the dependency parser (parser.c) shares with its
 * trainer (train/train_parser.c) and nothing else: the model file's
 * sections, the arc-hybrid transition system over a parse state, the
 * per-token hashes and the feature keys of transitions and arc labels, so
 * that training and parsing agree to the bit. The oracle and the training
 * data are the trainer's; the weights and greedy decoding the parser's. */
#ifndef HS_PARSER_INT_H
#define HS_PARSER_INT_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"
#include "parser.h"

/* Model sections: PMET (u32 feature set version, label count, root label,
 * 0), PLBL (label names), PTRN (transition perceptron, 3 classes), PLAB
 * (labeller perceptron). A model of another feature set version is refused. */
#define PARSER_FEATSET_VERSION 2
#define PARSER_SEC_META MODEL_ID('P', 'M', 'E', 'T')
#define PARSER_SEC_LABELS MODEL_ID('P', 'L', 'B', 'L')
#define PARSER_SEC_TRANS MODEL_ID('P', 'T', 'R', 'N')
#define PARSER_SEC_LABELLER MODEL_ID('P', 'L', 'A', 'B')
#define PARSER_MAX_LABELS 256
#define PARSER_MAX_FEATS 128 /* feature keys of one state or arc, at most */

enum { PARSER_SHIFT, PARSER_LEFT, PARSER_RIGHT, PARSER_NTRANS };

/* The state of one sentence. Positions: 0 is the artificial root, 1..n the
 * tokens, n+1 (none) stands for every absent position, so feature code never
 * branches on absence. Invariants: stk[0] == 0 while parsing; lc1/rc1 are the
 * outermost left/right children, lc2/rc2 the next ones, all none if absent;
 * nl/nr count left/right children; head[i] == -1 until i is attached. */
typedef struct parser_state {
    int n, none, sp, b;
    uint64_t *w, *p, *wp, *x; /* word, POS, word+POS, suffix hashes per position */
    int32_t *stk, *head, *lc1, *lc2, *rc1, *rc2, *nl, *nr, *sib;
} parser_state;

/* parser_scratch_new's memory: a state for sentences of up to cap tokens
 * and room for one state's features and one arc's label scores. */
struct parser_scratch {
    size_t cap; /* tokens the arrays hold (positions cap+2) */
    void *block;
    parser_state st;
    uint64_t f[PARSER_MAX_FEATS];
    float scores[PARSER_MAX_LABELS];
};

/* The hashes of one token (form, Penn tag) as the features read them. */
void parser_token_hashes(const char *form, const char *pos, uint64_t *w, uint64_t *p,
                         uint64_t *wp, uint64_t *x);
/* Fills the hashes of root (0) and none (n+1); call after parser_state_init. */
void parser_special_hashes(parser_state *st);

/* The transition system: an empty parse of n tokens, an arc h -> d, which
 * of the three moves are valid now (ok[PARSER_NTRANS]), and making move t. */
void parser_state_init(parser_state *st, int n);
void parser_attach(parser_state *st, int h, int d);
void parser_valid_moves(const parser_state *st, unsigned char *ok);
void parser_apply(parser_state *st, int t);

/* Feature keys of the state's next transition, and of the arc h -> d of a
 * finished tree (h != 0, sib filled by parser_siblings): at most
 * PARSER_MAX_FEATS into f; returns the count. */
size_t parser_trans_features(const parser_state *st, uint64_t *f);
size_t parser_label_features(const parser_state *st, int h, int d, uint64_t *f);
/* sib[d] of every token of a finished tree; last is scratch of n+2 items. */
void parser_siblings(parser_state *st, int32_t *last);

#endif
