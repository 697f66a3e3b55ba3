/* parser - arc-hybrid greedy dependency parser with a dynamic oracle, plus a
 * post-hoc arc labeller (see parser.h). Model file sections: PMET (u32 feature
 * set version, label count, root label, 0), PLBL (label names), PTRN
 * (transition perceptron, 3 classes), PLAB (labeller perceptron). Features
 * are 64-bit keys combined from per-token hashes computed once per sentence.
 * It does not do beam search, non-projective arcs or POS tagging. */
#include "parser.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "doc.h"
#include "model.h"
#include "perceptron.h"

#define FEATSET_VERSION 2
#define SEC_META MODEL_ID('P', 'M', 'E', 'T')
#define SEC_LABELS MODEL_ID('P', 'L', 'B', 'L')
#define SEC_TRANS MODEL_ID('P', 'T', 'R', 'N')
#define SEC_LABELLER MODEL_ID('P', 'L', 'A', 'B')
#define MAX_LABELS 256
#define MAX_FEATS 128

enum { T_SHIFT, T_LEFT, T_RIGHT, NTRANS };

struct parser {
    model m;
    pc_model trans, lab;
    pc_tab3 fast; /* the transition weights repacked for speed */
    pc_tabs labfast; /* and the labeller's */
    uint32_t nlabels, root;
    const char **names;
};

/* The state of one sentence. Positions: 0 is the artificial root, 1..n the
 * tokens, n+1 (none) stands for every absent position, so feature code never
 * branches on absence. Invariants: stk[0] == 0 while parsing; lc1/rc1 are the
 * outermost left/right children, lc2/rc2 the next ones, all none if absent;
 * nl/nr count left/right children; head[i] == -1 until i is attached. */
typedef struct state {
    int n, none, sp, b;
    uint64_t *w, *p, *wp, *x; /* word, POS, word+POS, suffix hashes per position */
    int32_t *stk, *head, *lc1, *lc2, *rc1, *rc2, *nl, *nr, *sib;
} state;

struct parser_scratch {
    size_t cap; /* tokens the arrays hold (positions cap+2) */
    void *block;
    state st;
    uint64_t f[MAX_FEATS];
    float scores[MAX_LABELS];
};

/* ---- per-token hashes ----------------------------------------------------- */

/* Lower-cased ASCII, digits folded to 0: case and exact numbers carry little
 * syntax beyond what the POS tag says, and folding halves the vocabulary. */
static inline unsigned char fold(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return (unsigned char)(c + 32);
    if (c >= '0' && c <= '9')
        return '0';
    return c;
}

static void token_hashes(const char *form, const char *pos, uint64_t *w, uint64_t *p,
                         uint64_t *wp, uint64_t *x)
{
    uint64_t h = fk_start(1000);
    size_t len = 0;
    for (const unsigned char *s = (const unsigned char *)form; *s; s++, len++)
        h = (h ^ fold(*s)) * 0x100000001b3ull;
    *w = (h ^ 0xff) * 0x100000001b3ull;
    size_t k = len < 3 ? 0 : len - 3;
    uint64_t sx = fk_start(1002);
    for (const unsigned char *s = (const unsigned char *)form + k; *s; s++)
        sx = (sx ^ fold(*s)) * 0x100000001b3ull;
    *x = sx;
    *p = fk_bytes(fk_start(1001), pos, strlen(pos));
    *wp = fk_num(*w, *p);
}

/* Fills the hashes of root (0) and none (n+1). */
static void special_hashes(state *st)
{
    static const uint64_t root_w = 0x726f6f74ull, none_w = 0x6e6f6e65ull;
    st->w[0] = st->x[0] = root_w;
    st->p[0] = root_w + 1;
    st->wp[0] = root_w + 2;
    int z = st->none;
    st->w[z] = st->x[z] = none_w;
    st->p[z] = none_w + 1;
    st->wp[z] = none_w + 2;
}

/* ---- state ---------------------------------------------------------------- */

static void state_init(state *st, int n)
{
    st->n = n;
    st->none = n + 1;
    st->sp = 1;
    st->stk[0] = 0;
    st->b = 1;
    for (int i = 0; i <= n + 1; i++) {
        st->head[i] = -1;
        st->lc1[i] = st->lc2[i] = st->rc1[i] = st->rc2[i] = n + 1;
        st->nl[i] = st->nr[i] = 0;
    }
}

static void attach(state *st, int h, int d)
{
    st->head[d] = h;
    int z = st->none;
    if (d < h) {
        if (st->lc1[h] == z || d < st->lc1[h]) {
            st->lc2[h] = st->lc1[h];
            st->lc1[h] = d;
        } else if (st->lc2[h] == z || d < st->lc2[h])
            st->lc2[h] = d;
        st->nl[h]++;
    } else {
        if (st->rc1[h] == z || d > st->rc1[h]) {
            st->rc2[h] = st->rc1[h];
            st->rc1[h] = d;
        } else if (st->rc2[h] == z || d > st->rc2[h])
            st->rc2[h] = d;
        st->nr[h]++;
    }
}

static void valid_moves(const state *st, unsigned char *ok)
{
    int more = st->b <= st->n;
    ok[T_SHIFT] = (unsigned char)more;
    ok[T_LEFT] = (unsigned char)(st->sp >= 2 && more);
    /* the root takes its one child last, so the result has a single root */
    ok[T_RIGHT] = (unsigned char)(st->sp >= 2 && (st->stk[st->sp - 2] != 0 || !more));
}

static void apply(state *st, int t)
{
    switch (t) {
    case T_SHIFT:
        st->stk[st->sp++] = st->b++;
        break;
    case T_LEFT:
        st->sp--;
        attach(st, st->b, st->stk[st->sp]);
        break;
    default:
        st->sp--;
        attach(st, st->stk[st->sp - 1], st->stk[st->sp]);
        break;
    }
}

static inline uint64_t bucket(int d)
{
    static const unsigned char map[] = {0, 1, 2, 3, 4, 5, 5, 6, 6, 6, 6};
    if (d < 0)
        d = -d;
    return d < (int)sizeof map ? map[d] : 7;
}

static inline uint64_t cap5(int v) { return (uint64_t)(v < 5 ? v : 5); }

#define K1(t, a) fk_end(fk_num(fk_start(t), (a)))
#define K2(t, a, b) fk_end(fk_num(fk_num(fk_start(t), (a)), (b)))
#define K3(t, a, b, c) fk_end(fk_num(fk_num(fk_num(fk_start(t), (a)), (b)), (c)))
#define K4(t, a, b, c, d) fk_end(fk_num(fk_num(fk_num(fk_num(fk_start(t), (a)), (b)), (c)), (d)))

/* Transition features in the style of Zhang & Nivre (2011), adapted to
 * arc-hybrid: s0 and b0 are the candidates of LEFT, s1 and s0 of RIGHT.
 * A lean set: 28 more templates (word pairs of s1, third-order children,
 * longer POS n-grams) gave 0.3 UAS on dev for a sixth more analyze time. */
static size_t trans_features(const state *st, uint64_t *f)
{
    const uint64_t *W = st->w, *P = st->p, *WP = st->wp, *X = st->x;
    int z = st->none, n = st->n, sp = st->sp, b = st->b;
    int s0 = sp >= 1 ? st->stk[sp - 1] : z, s1 = sp >= 2 ? st->stk[sp - 2] : z,
        s2 = sp >= 3 ? st->stk[sp - 3] : z;
    int b0 = b <= n ? b : z, b1 = b + 1 <= n ? b + 1 : z, b2 = b + 2 <= n ? b + 2 : z;
    int s0l = st->lc1[s0], s0l2 = st->lc2[s0], s0r = st->rc1[s0], s0r2 = st->rc2[s0];
    int s1r = st->rc1[s1], b0l = st->lc1[b0], b0l2 = st->lc2[b0];
    uint64_t d = (s0 == z || b0 == z) ? 0 : bucket(b0 - s0);
    uint64_t d1 = (s1 == z) ? 0 : bucket(s0 - s1);
    size_t k = 0;

    f[k++] = K1(1, WP[s0]);
    f[k++] = K1(2, W[s0]);
    f[k++] = K1(3, P[s0]);
    f[k++] = K1(4, WP[b0]);
    f[k++] = K1(5, W[b0]);
    f[k++] = K1(6, P[b0]);
    f[k++] = K1(7, WP[b1]);
    f[k++] = K1(8, W[b1]);
    f[k++] = K1(9, P[b1]);
    f[k++] = K1(10, W[b2]);
    f[k++] = K1(11, P[b2]);
    f[k++] = K1(12, WP[s1]);
    f[k++] = K1(13, W[s1]);
    f[k++] = K1(14, P[s1]);
    f[k++] = K1(15, P[s2]);
    f[k++] = K1(16, W[s2]);

    f[k++] = K2(20, WP[s0], WP[b0]);
    f[k++] = K2(23, WP[s0], P[b0]);
    f[k++] = K2(24, P[s0], WP[b0]);
    f[k++] = K2(25, W[s0], W[b0]);
    f[k++] = K2(26, P[s0], P[b0]);
    f[k++] = K2(27, P[b0], P[b1]);
    f[k++] = K2(29, P[s1], P[s0]);
    f[k++] = K2(32, P[s1], P[b0]);

    f[k++] = K3(40, P[b0], P[b1], P[b2]);
    f[k++] = K3(41, P[s0], P[b0], P[b1]);
    f[k++] = K3(42, P[s1], P[s0], P[b0]);
    f[k++] = K3(43, P[s0], P[s0l], P[b0]);
    f[k++] = K3(44, P[s0], P[s0r], P[b0]);
    f[k++] = K3(45, P[s0], P[b0], P[b0l]);
    f[k++] = K3(46, P[s2], P[s1], P[s0]);
    f[k++] = K3(47, P[s1], P[s1r], P[s0]);

    f[k++] = K2(60, W[s0], d);
    f[k++] = K2(61, P[s0], d);
    f[k++] = K2(62, W[b0], d);
    f[k++] = K2(63, P[b0], d);
    f[k++] = K3(64, W[s0], W[b0], d);
    f[k++] = K3(65, P[s0], P[b0], d);
    f[k++] = K3(66, P[s1], P[s0], d1);
    f[k++] = K3(67, W[s1], P[s0], d1);

    f[k++] = K2(70, W[s0], cap5(st->nr[s0]));
    f[k++] = K2(71, P[s0], cap5(st->nr[s0]));
    f[k++] = K2(72, W[s0], cap5(st->nl[s0]));
    f[k++] = K2(73, P[s0], cap5(st->nl[s0]));
    f[k++] = K2(74, W[b0], cap5(st->nl[b0]));
    f[k++] = K2(75, P[b0], cap5(st->nl[b0]));

    f[k++] = K1(80, W[s0l]);
    f[k++] = K1(81, P[s0l]);
    f[k++] = K1(82, W[s0r]);
    f[k++] = K1(83, P[s0r]);
    f[k++] = K1(84, W[b0l]);
    f[k++] = K1(85, P[b0l]);

    f[k++] = K1(90, P[s0l2]);
    f[k++] = K1(91, P[s0r2]);
    f[k++] = K1(92, P[b0l2]);

    f[k++] = K2(98, X[s0], P[s0]);
    f[k++] = K2(99, X[b0], P[b0]);
    f[k++] = K1(100, 1);
    f[k++] = K4(104, P[s0], P[b0], P[b1], P[b2]);
    f[k++] = K4(105, P[s1], P[s0], P[b0], P[b1]);
    return k;
}

/* Labeller features for the arc h -> d of a finished tree (h != 0). */
static size_t label_features(const state *st, int h, int d, uint64_t *f)
{
    const uint64_t *W = st->w, *P = st->p, *WP = st->wp, *X = st->x;
    int z = st->none, n = st->n;
    int g = st->head[h] >= 0 ? st->head[h] : z;
    uint64_t dir = d < h ? 1 : 2, db = bucket(h - d);
    int dm = d - 1 >= 1 ? d - 1 : z, dpl = d + 1 <= n ? d + 1 : z;
    int hm = h - 1 >= 1 ? h - 1 : z;
    int sib = st->sib[d];
    size_t k = 0;

    f[k++] = K2(200, W[d], dir);
    f[k++] = K2(201, P[d], dir);
    f[k++] = K2(202, WP[d], dir);
    f[k++] = K2(203, W[h], dir);
    f[k++] = K2(204, P[h], dir);
    f[k++] = K2(205, WP[h], dir);

    f[k++] = K3(210, P[d], P[h], dir);
    f[k++] = K3(211, W[d], P[h], dir);
    f[k++] = K3(212, P[d], W[h], dir);
    f[k++] = K3(213, W[d], W[h], dir);
    f[k++] = K4(214, P[d], P[h], dir, db);
    f[k++] = K3(215, WP[d], P[h], dir);
    f[k++] = K3(216, P[d], WP[h], dir);

    f[k++] = K2(220, P[d], P[st->lc1[d]]);
    f[k++] = K2(221, P[d], P[st->rc1[d]]);
    f[k++] = K3(222, P[d], cap5(st->nl[d]), cap5(st->nr[d]));
    f[k++] = K3(223, P[d], W[st->lc1[d]], dir);
    f[k++] = K3(224, P[d], W[st->rc1[d]], dir);

    f[k++] = K4(230, P[g], P[h], P[d], dir);
    f[k++] = K4(231, P[h], P[d], W[hm], dir);
    f[k++] = K4(232, P[h], P[d], P[hm], dir);
    f[k++] = K3(233, P[d], P[dm], P[dpl]);
    f[k++] = K4(234, P[d], P[h], P[dpl], dir);
    f[k++] = K4(235, P[d], P[h], P[dm], dir);
    f[k++] = K4(236, W[g], P[h], P[d], dir);

    f[k++] = K4(240, P[d], P[h], P[sib], dir);
    f[k++] = K3(241, P[d], W[sib], dir);

    f[k++] = K2(250, X[d], P[d]);
    f[k++] = K3(251, X[d], P[h], dir);
    f[k++] = K3(252, X[h], P[d], dir);
    f[k++] = K2(253, P[d], (uint64_t)(d == 1));
    f[k++] = K4(254, P[d], P[h], W[st->lc1[h]], dir);
    f[k++] = K4(255, P[d], P[h], W[st->rc1[h]], dir);
    f[k++] = K4(256, P[d], P[h], cap5(st->nl[h]), cap5(st->nr[h]));
    f[k++] = K1(260, 1);
    return k;
}

/* sib[d]: the sibling next to d on the side of its head (none if d is the
 * head's innermost child on that side). Needs head[] complete. */
static void siblings(state *st, int32_t *last)
{
    int n = st->n, z = st->none;
    for (int i = 0; i <= n + 1; i++)
        last[i] = z;
    for (int d = 1; d <= n; d++) { /* right dependents, left to right */
        int h = st->head[d];
        st->sib[d] = z;
        if (h >= 0 && h < d) {
            st->sib[d] = last[h];
            last[h] = d;
        }
    }
    for (int i = 0; i <= n + 1; i++)
        last[i] = z;
    for (int d = n; d >= 1; d--) {
        int h = st->head[d];
        if (h > d) {
            st->sib[d] = last[h];
            last[h] = d;
        }
    }
}

/* ---- scoring -------------------------------------------------------------- */

/* Either the trainer's current weights or a loaded model. */
typedef struct scorer {
    const pc_trainer *tt, *tl;
    const pc_model *mt, *ml;
    const pc_tab3 *pt;
    const pc_tabs *pl;
} scorer;

/* pc_model_score with the table slots of all features prefetched first:
 * the lookups are independent, so their cache misses can overlap. */
static void model_score(const pc_model *m, const uint64_t *f, size_t nf, float *scores)
{
    uint32_t mask = m->cap - 1;
    for (size_t i = 0; i < nf; i++) {
        __builtin_prefetch(&m->keys[(uint32_t)f[i] & mask]);
        __builtin_prefetch(&m->start[(uint32_t)f[i] & mask]);
    }
    memset(scores, 0, m->nclass * sizeof *scores);
    for (size_t i = 0; i < nf; i++) {
        uint32_t s = (uint32_t)f[i] & mask;
        while (m->keys[s] && m->keys[s] != f[i])
            s = (s + 1) & mask;
        if (!m->keys[s])
            continue;
        for (uint32_t j = m->start[s]; j < m->start[s + 1]; j++)
            scores[m->cls[j]] += m->w[j] * m->scale;
    }
}

static void score_trans(const scorer *sc, const uint64_t *f, size_t nf, float *s)
{
    if (sc->pt)
        pc_tab3_score(sc->pt, f, nf, s);
    else if (sc->mt)
        model_score(sc->mt, f, nf, s);
    else
        pc_trainer_score(sc->tt, f, nf, s);
}

static void score_label(const scorer *sc, const uint64_t *f, size_t nf, float *s)
{
    if (sc->pl)
        pc_tabs_score(sc->pl, f, nf, s);
    else if (sc->ml)
        model_score(sc->ml, f, nf, s);
    else
        pc_trainer_score(sc->tl, f, nf, s);
}

/* Greedy parse of the state's sentence (hashes filled), then labelling. */
static void run(const scorer *sc, state *st, uint64_t *f, float *scores, uint32_t nlabels,
                uint32_t root, uint16_t *label)
{
    unsigned char ok[NTRANS];
    float s3[NTRANS];
    while (st->b <= st->n || st->sp > 1) {
        valid_moves(st, ok);
        int t;
        if (ok[T_SHIFT] + ok[T_LEFT] + ok[T_RIGHT] == 1)
            t = ok[T_SHIFT] ? T_SHIFT : ok[T_LEFT] ? T_LEFT : T_RIGHT;
        else {
            size_t nf = trans_features(st, f);
            score_trans(sc, f, nf, s3);
            t = (int)pc_argmax(s3, NTRANS, ok);
        }
        apply(st, t);
    }
    if (!label)
        return;
    siblings(st, st->stk);
    for (int d = 1; d <= st->n; d++) {
        int h = st->head[d];
        if (h == 0) {
            label[d - 1] = (uint16_t)root;
            continue;
        }
        size_t nf = label_features(st, h, d, f);
        score_label(sc, f, nf, scores);
        scores[root] = -INFINITY; /* root is only ever the label of the root arc */
        label[d - 1] = (uint16_t)pc_argmax(scores, nlabels, NULL);
    }
}

/* ---- scratch -------------------------------------------------------------- */

static int scratch_alloc(parser_scratch *s, size_t cap)
{
    size_t npos = cap + 2;
    size_t bytes = npos * (4 * sizeof(uint64_t) + 9 * sizeof(int32_t));
    void *blk = malloc(bytes);
    if (!blk)
        return -1;
    free(s->block);
    s->block = blk;
    s->cap = cap;
    uint64_t *u = blk;
    state *st = &s->st;
    st->w = u;
    st->p = u + npos;
    st->wp = u + 2 * npos;
    st->x = u + 3 * npos;
    int32_t *i = (int32_t *)(u + 4 * npos);
    int32_t **arr[] = {&st->stk, &st->head, &st->lc1, &st->lc2, &st->rc1,
                       &st->rc2, &st->nl,   &st->nr,  &st->sib};
    for (size_t k = 0; k < sizeof arr / sizeof *arr; k++)
        *arr[k] = i + k * npos;
    return 0;
}

parser_scratch *parser_scratch_new(const parser *p, size_t max_tokens)
{
    (void)p;
    parser_scratch *s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (max_tokens < 16)
        max_tokens = 16;
    if (max_tokens > ((size_t)1 << 26) || scratch_alloc(s, max_tokens)) {
        free(s);
        return NULL;
    }
    return s;
}

void parser_scratch_free(parser_scratch *s)
{
    if (!s)
        return;
    free(s->block);
    free(s);
}

/* ---- inference ------------------------------------------------------------ */

unsigned parser_nlabels(const parser *p) { return p->nlabels; }

const char *parser_label_name(const parser *p, unsigned i)
{
    return i < p->nlabels ? p->names[i] : "";
}

/* Each token headed by its right neighbour, the last one the root: a tree,
 * for when no scratch of the needed size can be had. */
static void chain(const parser *p, size_t n, int *head, uint16_t *label)
{
    uint32_t dep = p->root;
    for (uint32_t i = 0; i < p->nlabels; i++)
        if (!strcmp(p->names[i], "dep"))
            dep = i;
    for (size_t i = 0; i < n; i++) {
        head[i] = i + 1 < n ? (int)(i + 2) : 0;
        if (label)
            label[i] = (uint16_t)(i + 1 < n ? dep : p->root);
    }
}

void parser_parse(const parser *p, parser_scratch *s, size_t n, const char *const *form,
                  const char *const *pos, int *head, uint16_t *label)
{
    if (n == 0)
        return;
    if (n > s->cap && (n > ((size_t)1 << 26) || scratch_alloc(s, n + n / 2))) {
        chain(p, n, head, label);
        return;
    }
    state *st = &s->st;
    state_init(st, (int)n);
    special_hashes(st);
    for (size_t i = 0; i < n; i++)
        token_hashes(form[i], pos[i], &st->w[i + 1], &st->p[i + 1], &st->wp[i + 1],
                     &st->x[i + 1]);
    scorer sc = {NULL, NULL, &p->trans, &p->lab, &p->fast, &p->labfast};
    run(&sc, st, s->f, s->scores, p->nlabels, p->root, label);
    for (size_t i = 0; i < n; i++)
        head[i] = st->head[i + 1];
}

/* ---- model file ----------------------------------------------------------- */

void parser_free(parser *p)
{
    if (!p)
        return;
    model_free(&p->m);
    pc_tab3_free(&p->fast);
    pc_tabs_free(&p->labfast);
    free(p->names);
    free(p);
}

static int load_fail(parser *p, buf *err, const char *path, const char *msg)
{
    buf_printf(err, "%s: %s", path, msg);
    parser_free(p);
    return HS_EMODEL;
}

int parser_load(parser **out, const char *path, buf *err)
{
    *out = NULL;
    parser *p = calloc(1, sizeof *p);
    if (!p) {
        buf_printf(err, "%s: out of memory", path);
        return HS_ENOMEM;
    }
    int rc = model_load(&p->m, path, MODEL_PARSER, err);
    if (rc) {
        free(p);
        return rc;
    }
    size_t sz;
    const uint32_t *meta = model_section_get(&p->m, SEC_META, &sz);
    if (!meta || sz < 16)
        return load_fail(p, err, path, "parser model lacks its PMET section");
    if (meta[0] != FEATSET_VERSION)
        return load_fail(p, err, path, "parser model was trained with another feature set");
    p->nlabels = meta[1];
    p->root = meta[2];
    if (p->nlabels == 0 || p->nlabels > MAX_LABELS || p->root >= p->nlabels)
        return load_fail(p, err, path, "parser model has a bad label count");
    const char *lab = model_section_get(&p->m, SEC_LABELS, &sz);
    p->names = calloc(p->nlabels, sizeof *p->names);
    if (!p->names)
        return load_fail(p, err, path, "out of memory");
    if (!lab || model_strings(lab, sz, p->names, p->nlabels))
        return load_fail(p, err, path, "parser model label names are missing or truncated");
    if (pc_section_open(&p->trans, &p->m, SEC_TRANS, NTRANS, path, "parser transition", err) ||
        pc_section_open(&p->lab, &p->m, SEC_LABELLER, p->nlabels, path, "parser label", err)) {
        parser_free(p);
        return HS_EMODEL;
    }
    if (pc_tab3_build(&p->fast, &p->trans) || pc_tabs_build(&p->labfast, &p->lab)) {
        load_fail(p, err, path, "out of memory");
        return HS_ENOMEM;
    }
    *out = p;
    return HS_OK;
}

/* ---- training ------------------------------------------------------------- */

/* Training data in the parser's terms, sentence i at tok[off[i] .. off[i+1]). */
typedef struct tdata {
    size_t nsent, ntok;
    const uint32_t *off;
    uint64_t *w, *p, *wp, *x;
    int32_t *head;    /* gold head per token */
    uint16_t *label;  /* gold label per token */
} tdata;

typedef struct labels {
    const char *name[MAX_LABELS];
    uint32_t n;
} labels;

static int label_index(labels *L, const char *s, int add)
{
    for (uint32_t i = 0; i < L->n; i++)
        if (!strcmp(L->name[i], s))
            return (int)i;
    if (!add || L->n == MAX_LABELS)
        return -1;
    L->name[L->n] = s;
    return (int)L->n++;
}

static void tdata_free(tdata *d)
{
    free(d->w);
    free(d->p);
    free(d->wp);
    free(d->x);
    free(d->head);
    free(d->label);
    memset(d, 0, sizeof *d);
}

static int tdata_build(tdata *d, const corpus *c, labels *L, int add, parser_pos_fn posfn,
                       void *ctx, buf *log)
{
    memset(d, 0, sizeof *d);
    d->nsent = c->nsent;
    d->ntok = c->ntok;
    d->off = c->sent;
    size_t n = c->ntok ? c->ntok : 1;
    d->w = malloc(n * sizeof *d->w);
    d->p = malloc(n * sizeof *d->p);
    d->wp = malloc(n * sizeof *d->wp);
    d->x = malloc(n * sizeof *d->x);
    d->head = malloc(n * sizeof *d->head);
    d->label = malloc(n * sizeof *d->label);
    const char **tags = NULL;
    size_t tagcap = 0;
    if (!d->w || !d->p || !d->wp || !d->x || !d->head || !d->label)
        goto oom;
    for (size_t s = 0; s < c->nsent; s++) {
        size_t a = c->sent[s], len = corpus_sent_len(c, s);
        if (posfn) {
            if (len > tagcap) {
                free(tags);
                tagcap = len * 2;
                if (!(tags = calloc(tagcap, sizeof *tags)))
                    goto oom;
            }
            if (posfn(ctx, c, s, tags)) {
                buf_printf(log, "parser: the POS callback failed on sentence %zu\n", s);
                free(tags);
                tdata_free(d);
                return -1;
            }
        }
        for (size_t i = 0; i < len; i++) {
            const corpus_tok *t = &c->tok[a + i];
            token_hashes(t->form, posfn ? tags[i] : t->pos, &d->w[a + i], &d->p[a + i],
                         &d->wp[a + i], &d->x[a + i]);
            int h = t->head;
            if (h < 0 || (size_t)h > len || (size_t)h == i + 1)
                h = -1; /* unknown or self loop: the oracle treats it as unreachable */
            d->head[a + i] = h;
            int li = label_index(L, t->deprel, add);
            d->label[a + i] = (uint16_t)(li < 0 ? 0 : li);
        }
    }
    free(tags);
    return 0;
oom:
    buf_printf(log, "parser: out of memory reading training data\n");
    free(tags);
    tdata_free(d);
    return -1;
}

/* Copies sentence s of d into the state (hashes, gold heads into gh). */
static void load_sentence(state *st, const tdata *d, size_t s, int32_t *gh)
{
    size_t a = d->off[s];
    int n = (int)(d->off[s + 1] - a);
    state_init(st, n);
    special_hashes(st);
    memcpy(st->w + 1, d->w + a, n * sizeof *st->w);
    memcpy(st->p + 1, d->p + a, n * sizeof *st->p);
    memcpy(st->wp + 1, d->wp + a, n * sizeof *st->wp);
    memcpy(st->x + 1, d->x + a, n * sizeof *st->x);
    if (gh) {
        gh[0] = -1;
        gh[n + 1] = -1;
        memcpy(gh + 1, d->head + a, n * sizeof *gh);
    }
}

/* Gold children of every position, CSR: kids[kstart[i] .. kstart[i+1]). */
static void gold_children(int n, const int32_t *gh, int32_t *kstart, int32_t *kids)
{
    for (int i = 0; i <= n + 2; i++)
        kstart[i] = 0;
    for (int d = 1; d <= n; d++)
        if (gh[d] >= 0)
            kstart[gh[d] + 1]++;
    for (int i = 0; i <= n + 1; i++)
        kstart[i + 1] += kstart[i];
    int32_t *fill = kstart + n + 3; /* caller gives room for n+3 more */
    for (int i = 0; i <= n + 1; i++)
        fill[i] = kstart[i];
    for (int d = 1; d <= n; d++)
        if (gh[d] >= 0)
            kids[fill[gh[d]]++] = d;
}

/* Dynamic oracle of arc-hybrid (Goldberg & Nivre 2013): how many gold arcs
 * each move makes unreachable. A stack item can still get its head from the
 * item right below it or from the buffer; a buffer item from anywhere. */
static void oracle_costs(const state *st, const int32_t *gh, const int32_t *kstart,
                         const int32_t *kids, int *cost)
{
    int sp = st->sp, b = st->b, n = st->n;
    int s0 = st->stk[sp - 1], s1 = sp >= 2 ? st->stk[sp - 2] : -2;
    cost[T_SHIFT] = cost[T_LEFT] = cost[T_RIGHT] = 0;
    if (b <= n)
        for (int i = 0; i < sp; i++) {
            int k = st->stk[i];
            cost[T_SHIFT] += (gh[b] == k && k != s0) + (gh[k] == b);
        }
    if (sp < 2)
        return;
    int kb = 0; /* gold children of s0 still in the buffer */
    for (int j = kstart[s0]; j < kstart[s0 + 1]; j++)
        kb += kids[j] >= b;
    int g = gh[s0];
    cost[T_LEFT] = kb + (g == s1) + (g > b);
    cost[T_RIGHT] = kb + (b <= n && g >= b);
}

/* Count filter: features seen fewer than min_count times in gold states are
 * never given to the trainer (an open-addressing table of key -> count). */
typedef struct counts {
    uint64_t *keys;
    uint32_t *n;
    size_t cap, used;
    uint32_t min;
} counts;

static int counts_add(counts *c, uint64_t k)
{
    if ((c->used + 1) * 2 > c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 1 << 20;
        uint64_t *nk = calloc(ncap, sizeof *nk);
        uint32_t *nn = calloc(ncap, sizeof *nn);
        if (!nk || !nn) {
            free(nk);
            free(nn);
            return -1;
        }
        for (size_t i = 0; i < c->cap; i++)
            if (c->keys[i]) {
                size_t j = c->keys[i] & (ncap - 1);
                while (nk[j])
                    j = (j + 1) & (ncap - 1);
                nk[j] = c->keys[i];
                nn[j] = c->n[i];
            }
        free(c->keys);
        free(c->n);
        c->keys = nk;
        c->n = nn;
        c->cap = ncap;
    }
    size_t j = k & (c->cap - 1);
    while (c->keys[j] && c->keys[j] != k)
        j = (j + 1) & (c->cap - 1);
    if (!c->keys[j]) {
        c->keys[j] = k;
        c->used++;
    }
    c->n[j]++;
    return 0;
}

static uint32_t counts_get(const counts *c, uint64_t k)
{
    size_t j = k & (c->cap - 1);
    while (c->keys[j] && c->keys[j] != k)
        j = (j + 1) & (c->cap - 1);
    return c->keys[j] ? c->n[j] : 0;
}

/* Keeps the features that passed the count filter (all when no filter). */
static size_t filter(const counts *c, uint64_t *f, size_t nf)
{
    if (!c->cap)
        return nf;
    size_t k = 0;
    for (size_t i = 0; i < nf; i++)
        if (counts_get(c, f[i]) >= c->min)
            f[k++] = f[i];
    return k;
}

/* Counts the features of the static-oracle (gold) path of every sentence. */
static int count_features(counts *c, const tdata *d, state *st, int32_t *gh, int32_t *kstart,
                          int32_t *kids, uint64_t *f)
{
    for (size_t s = 0; s < d->nsent; s++) {
        load_sentence(st, d, s, gh);
        gold_children(st->n, gh, kstart, kids);
        unsigned char ok[NTRANS];
        int cost[NTRANS];
        while (st->b <= st->n || st->sp > 1) {
            valid_moves(st, ok);
            oracle_costs(st, gh, kstart, kids, cost);
            int t = -1;
            for (int m = 0; m < NTRANS; m++)
                if (ok[m] && (t < 0 || cost[m] < cost[t]))
                    t = m;
            size_t nf = trans_features(st, f);
            for (size_t i = 0; i < nf; i++)
                if (counts_add(c, f[i]))
                    return -1;
            apply(st, t);
        }
        load_sentence(st, d, s, NULL);
        for (int i = 1; i <= st->n; i++)
            if (gh[i] >= 0)
                attach(st, gh[i], i);
        siblings(st, kids);
        for (int i = 1; i <= st->n; i++) {
            if (gh[i] <= 0)
                continue;
            size_t nf = label_features(st, gh[i], i, f);
            for (size_t j = 0; j < nf; j++)
                if (counts_add(c, f[j]))
                    return -1;
        }
    }
    return 0;
}

/* One training pass over sentence s: transitions with the dynamic oracle
 * (following the model's own move with probability explore), then the
 * labeller on the gold tree. Returns -1 on allocation failure. */
static int train_sentence(pc_trainer *tt, pc_trainer *tl, const counts *cnt, const tdata *d,
                          size_t s, state *st, int32_t *gh, int32_t *kstart, int32_t *kids,
                          uint64_t *f, float *scores, uint32_t nlabels, uint32_t root,
                          double explore, uint64_t *r, size_t *right, size_t *total)
{
    load_sentence(st, d, s, gh);
    gold_children(st->n, gh, kstart, kids);
    unsigned char ok[NTRANS], zero[NTRANS];
    int cost[NTRANS];
    float s3[NTRANS];
    while (st->b <= st->n || st->sp > 1) {
        valid_moves(st, ok);
        oracle_costs(st, gh, kstart, kids, cost);
        int best = -1;
        for (int m = 0; m < NTRANS; m++)
            if (ok[m] && (best < 0 || cost[m] < best))
                best = cost[m];
        for (int m = 0; m < NTRANS; m++)
            zero[m] = (unsigned char)(ok[m] && cost[m] == best);
        size_t nf = filter(cnt, f, trans_features(st, f));
        pc_trainer_score(tt, f, nf, s3);
        uint32_t pred = pc_argmax(s3, NTRANS, ok);
        uint32_t gold = pc_argmax(s3, NTRANS, zero);
        if (!zero[pred] && pc_trainer_update(tt, f, nf, gold, pred))
            return -1;
        pc_trainer_tick(tt);
        int t = (int)gold;
        if (!zero[pred] && (double)(pc_rng_next(r) >> 11) * 0x1.0p-53 < explore)
            t = (int)pred;
        apply(st, t);
    }
    for (int i = 1; i <= st->n; i++)
        *right += st->head[i] == gh[i];
    *total += (size_t)st->n;

    /* labeller on the gold tree */
    load_sentence(st, d, s, NULL);
    for (int i = 1; i <= st->n; i++)
        if (gh[i] >= 0)
            attach(st, gh[i], i);
    siblings(st, kids);
    size_t a = d->off[s];
    for (int i = 1; i <= st->n; i++) {
        if (gh[i] <= 0)
            continue;
        size_t nf = filter(cnt, f, label_features(st, gh[i], i, f));
        pc_trainer_score(tl, f, nf, scores);
        scores[root] = -INFINITY;
        uint32_t pred = pc_argmax(scores, nlabels, NULL);
        if (pc_trainer_update(tl, f, nf, d->label[a + i - 1], pred))
            return -1;
        pc_trainer_tick(tl);
    }
    return 0;
}

/* UAS/LAS of sc on d; labels compared by index (same label table). */
static void evaluate(const scorer *sc, const tdata *d, state *st, uint64_t *f, float *scores,
                     uint32_t nlabels, uint32_t root, uint16_t *lab, double *uas, double *las)
{
    size_t n = 0, u = 0, l = 0;
    for (size_t s = 0; s < d->nsent; s++) {
        load_sentence(st, d, s, NULL);
        run(sc, st, f, scores, nlabels, root, sc->tl || sc->ml ? lab : NULL);
        size_t a = d->off[s];
        for (int i = 1; i <= st->n; i++) {
            n++;
            if (st->head[i] == d->head[a + i - 1]) {
                u++;
                l += (sc->tl || sc->ml) && lab[i - 1] == d->label[a + i - 1];
            }
        }
    }
    *uas = n ? 100.0 * u / n : 0;
    *las = n ? 100.0 * l / n : 0;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int parser_train(const corpus *train, const corpus *dev, const parser_train_opts *opts,
                 const char *out_path, buf *log)
{
    parser_train_opts o = opts ? *opts : (parser_train_opts){0};
    if (!o.epochs)
        o.epochs = 15;
    uint64_t r = o.seed ? o.seed : 0x5eed5eedull;
    double t0 = now_s();
    labels L = {.n = 0};
    label_index(&L, "root", 1);
    tdata td = {0}, dd = {0};
    pc_trainer *tt = NULL, *tl = NULL;
    parser_scratch *sc = NULL;
    int32_t *gh = NULL, *kstart = NULL, *kids = NULL;
    size_t *order = NULL;
    counts cnt = {0};
    buf body[4] = {{0}};
    int rc = -1;

    if (tdata_build(&td, train, &L, 1, o.pos, o.pos_ctx, log))
        goto done;
    if (dev && tdata_build(&dd, dev, &L, 0, NULL, NULL, log))
        goto done;
    size_t maxlen = 1;
    for (size_t s = 0; s < td.nsent; s++)
        if (td.off[s + 1] - td.off[s] > maxlen)
            maxlen = td.off[s + 1] - td.off[s];
    for (size_t s = 0; dev && s < dd.nsent; s++)
        if (dd.off[s + 1] - dd.off[s] > maxlen)
            maxlen = dd.off[s + 1] - dd.off[s];
    tt = pc_trainer_new(NTRANS);
    tl = pc_trainer_new(L.n);
    sc = parser_scratch_new(NULL, maxlen);
    gh = malloc((maxlen + 2) * sizeof *gh);
    kstart = malloc((2 * maxlen + 8) * sizeof *kstart);
    kids = malloc((maxlen + 2) * sizeof *kids);
    order = malloc((td.nsent ? td.nsent : 1) * sizeof *order);
    if (!tt || !tl || !sc || !gh || !kstart || !kids || !order) {
        buf_printf(log, "parser: out of memory\n");
        goto done;
    }
    state *st = &sc->st;
    if (o.min_count > 1) {
        cnt.min = o.min_count;
        if (count_features(&cnt, &td, st, gh, kstart, kids, sc->f)) {
            buf_printf(log, "parser: out of memory counting features\n");
            goto done;
        }
        buf_printf(log, "parser: %zu distinct features in gold states\n", cnt.used);
    }
    for (size_t s = 0; s < td.nsent; s++)
        order[s] = s;
    uint16_t *lab = malloc((maxlen + 1) * sizeof *lab);
    if (!lab)
        goto done;
    for (unsigned ep = 0; ep < o.epochs; ep++) {
        for (size_t s = td.nsent; s > 1; s--) {
            size_t j = pc_rng_next(&r) % s, tmp = order[s - 1];
            order[s - 1] = order[j];
            order[j] = tmp;
        }
        /* explore only once the model is good enough to make useful errors */
        double explore = ep == 0 ? 0.0 : 0.9;
        size_t right = 0, total = 0;
        for (size_t i = 0; i < td.nsent; i++)
            if (train_sentence(tt, tl, &cnt, &td, order[i], st, gh, kstart, kids, sc->f,
                               sc->scores, L.n, 0, explore, &r, &right, &total)) {
                buf_printf(log, "parser: out of memory training\n");
                free(lab);
                goto done;
            }
        buf_printf(log, "epoch %u: train UAS %.2f (explore %.1f)", ep + 1,
                   total ? 100.0 * right / total : 0, explore);
        if (dev) {
            double uas, las;
            scorer s = {tt, tl, NULL, NULL, NULL, NULL};
            evaluate(&s, &dd, st, sc->f, sc->scores, L.n, 0, lab, &uas, &las);
            buf_printf(log, ", dev UAS %.2f LAS %.2f (unaveraged)", uas, las);
        }
        buf_printf(log, ", %zu+%zu features, %.0f s\n", pc_trainer_nfeatures(tt),
                   pc_trainer_nfeatures(tl), now_s() - t0);
    }
    free(lab);

    uint32_t meta[4] = {FEATSET_VERSION, L.n, 0, 0};
    int e = buf_append(&body[0], meta, sizeof meta);
    for (uint32_t i = 0; i < L.n; i++)
        e |= buf_append(&body[1], L.name[i], strlen(L.name[i]) + 1);
    e |= pc_trainer_export(tt, &body[2], o.prune);
    e |= pc_trainer_export(tl, &body[3], o.prune);
    /* export recomputes the averages from the accumulators, so it can be
     * repeated with a stronger pruning until the weights fit */
    for (float pr = o.prune > 0 ? o.prune : 0.5f;
         !e && o.max_bytes && body[2].len + body[3].len > o.max_bytes && pr < 1e6f;) {
        pr *= 1.25f;
        buf_clear(&body[2]);
        buf_clear(&body[3]);
        e |= pc_trainer_export(tt, &body[2], pr);
        e |= pc_trainer_export(tl, &body[3], pr);
        buf_printf(log, "parser: pruning at %.3g to fit %zu bytes: %zu\n", pr, o.max_bytes,
                   body[2].len + body[3].len);
    }
    if (e) {
        buf_printf(log, "parser: out of memory exporting the model\n");
        goto done;
    }
    const uint32_t ids[4] = {SEC_META, SEC_LABELS, SEC_TRANS, SEC_LABELLER};
    if (model_write(out_path, MODEL_PARSER, ids, body, 4, log))
        goto done;
    buf_printf(log, "parser: wrote %s (%zu + %zu bytes of weights), %.0f s\n", out_path,
               body[2].len, body[3].len, now_s() - t0);
    if (dev) {
        parser *p;
        if (parser_load(&p, out_path, log))
            goto done;
        double uas, las;
        uint16_t *lb = malloc((maxlen + 1) * sizeof *lb);
        scorer s = {NULL, NULL, &p->trans, &p->lab, &p->fast, &p->labfast};
        if (lb) {
            evaluate(&s, &dd, st, sc->f, sc->scores, p->nlabels, p->root, lb, &uas, &las);
            buf_printf(log, "parser: dev UAS %.2f LAS %.2f (gold POS, final model)\n", uas, las);
        }
        free(lb);
        parser_free(p);
    }
    rc = 0;
done:
    for (int i = 0; i < 4; i++)
        buf_free(&body[i]);
    free(cnt.keys);
    free(cnt.n);
    free(order);
    free(gh);
    free(kstart);
    free(kids);
    parser_scratch_free(sc);
    pc_trainer_free(tt);
    pc_trainer_free(tl);
    tdata_free(&td);
    tdata_free(&dd);
    return rc;
}

/* ---- the parse stage ------------------------------------------------------ */

const char *const *parser_label_names(const parser *p) { return p->names; }

int parser_run(hs_doc *d, const parser *p, parser_scratch *s, int all)
{
    if (vec_reserve((void **)&d->head, &d->caphead, d->ntok, sizeof *d->head) ||
        vec_reserve((void **)&d->label, &d->caplabel, d->ntok, sizeof *d->label))
        return HS_ENOMEM;
    d->label_names = p->names;
    for (size_t i = 0; all && i < d->nsent; i++) {
        const hs_sentence *se = &d->sent[i];
        parser_parse(p, s, se->tok_end - se->tok_begin, d->form + se->tok_begin,
                     d->posname + se->tok_begin, d->head + se->tok_begin,
                     d->label + se->tok_begin);
    }
    d->has_parse = all;
    return HS_OK;
}
