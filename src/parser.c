/* parser - arc-hybrid greedy dependency parser plus a post-hoc arc labeller
 * (see parser.h), its transition system and features (parser_int.h) and its
 * model file. Features are 64-bit keys combined from per-token hashes
 * computed once per sentence. It does not train (train/train_parser.c does,
 * with a dynamic oracle), search a beam, make non-projective arcs or tag. */
#include "parser.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "model.h"
#include "parser_int.h"
#include "perceptron.h"

struct parser {
    model m;
    pc_tab3 fast; /* the transition weights repacked for speed */
    pc_tabs labfast; /* and the labeller's */
    uint32_t nlabels, root;
    const char **names;
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

void parser_token_hashes(const char *form, const char *pos, uint64_t *w, uint64_t *p,
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
void parser_special_hashes(parser_state *st)
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

void parser_state_init(parser_state *st, int n)
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

void parser_attach(parser_state *st, int h, int d)
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

void parser_valid_moves(const parser_state *st, unsigned char *ok)
{
    int more = st->b <= st->n;
    ok[PARSER_SHIFT] = (unsigned char)more;
    ok[PARSER_LEFT] = (unsigned char)(st->sp >= 2 && more);
    /* the root takes its one child last, so the result has a single root */
    ok[PARSER_RIGHT] = (unsigned char)(st->sp >= 2 && (st->stk[st->sp - 2] != 0 || !more));
}

void parser_apply(parser_state *st, int t)
{
    switch (t) {
    case PARSER_SHIFT:
        st->stk[st->sp++] = st->b++;
        break;
    case PARSER_LEFT:
        st->sp--;
        parser_attach(st, st->b, st->stk[st->sp]);
        break;
    default:
        st->sp--;
        parser_attach(st, st->stk[st->sp - 1], st->stk[st->sp]);
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
size_t parser_trans_features(const parser_state *st, uint64_t *f)
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
size_t parser_label_features(const parser_state *st, int h, int d, uint64_t *f)
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
void parser_siblings(parser_state *st, int32_t *last)
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

/* ---- greedy parsing ------------------------------------------------------- */

/* Greedy parse of the state's sentence (hashes filled) with p's weights,
 * then labelling (label NULL: heads only). */
static void run(const parser *p, parser_state *st, uint64_t *f, float *scores, uint16_t *label)
{
    unsigned char ok[PARSER_NTRANS];
    float s3[PARSER_NTRANS];
    while (st->b <= st->n || st->sp > 1) {
        parser_valid_moves(st, ok);
        int t;
        if (ok[PARSER_SHIFT] + ok[PARSER_LEFT] + ok[PARSER_RIGHT] == 1)
            t = ok[PARSER_SHIFT] ? PARSER_SHIFT : ok[PARSER_LEFT] ? PARSER_LEFT : PARSER_RIGHT;
        else {
            size_t nf = parser_trans_features(st, f);
            pc_tab3_score(&p->fast, f, nf, s3);
            t = (int)pc_argmax(s3, PARSER_NTRANS, ok);
        }
        parser_apply(st, t);
    }
    if (!label)
        return;
    parser_siblings(st, st->stk);
    for (int d = 1; d <= st->n; d++) {
        int h = st->head[d];
        if (h == 0) {
            label[d - 1] = (uint16_t)p->root;
            continue;
        }
        size_t nf = parser_label_features(st, h, d, f);
        pc_tabs_score(&p->labfast, f, nf, scores);
        scores[p->root] = -INFINITY; /* root is only ever the label of the root arc */
        label[d - 1] = (uint16_t)pc_argmax(scores, p->nlabels, NULL);
    }
}

/* ---- scratch -------------------------------------------------------------- */

static int scratch_alloc(parser_scratch *s, size_t cap)
{
    size_t npos = cap + 2;
    size_t bytes = npos * (4 * sizeof(uint64_t) + 9 * sizeof(int32_t));
    void *blk = malloc(bytes);
    if (!blk)
        return HS_ENOMEM;
    free(s->block);
    s->block = blk;
    s->cap = cap;
    uint64_t *u = blk;
    parser_state *st = &s->st;
    st->w = u;
    st->p = u + npos;
    st->wp = u + 2 * npos;
    st->x = u + 3 * npos;
    int32_t *i = (int32_t *)(u + 4 * npos);
    int32_t **arr[] = {&st->stk, &st->head, &st->lc1, &st->lc2, &st->rc1,
                       &st->rc2, &st->nl,   &st->nr,  &st->sib};
    for (size_t k = 0; k < sizeof arr / sizeof *arr; k++)
        *arr[k] = i + k * npos;
    return HS_OK;
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
    parser_state *st = &s->st;
    parser_state_init(st, (int)n);
    parser_special_hashes(st);
    for (size_t i = 0; i < n; i++)
        parser_token_hashes(form[i], pos[i], &st->w[i + 1], &st->p[i + 1], &st->wp[i + 1],
                            &st->x[i + 1]);
    run(p, st, s->f, s->scores, label);
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
    const uint32_t *meta = model_section_get(&p->m, PARSER_SEC_META, &sz);
    if (!meta || sz < 16)
        return load_fail(p, err, path, "parser model lacks its PMET section");
    if (meta[0] != PARSER_FEATSET_VERSION)
        return load_fail(p, err, path, "parser model was trained with another feature set");
    p->nlabels = meta[1];
    p->root = meta[2];
    if (p->nlabels == 0 || p->nlabels > PARSER_MAX_LABELS || p->root >= p->nlabels)
        return load_fail(p, err, path, "parser model has a bad label count");
    const char *lab = model_section_get(&p->m, PARSER_SEC_LABELS, &sz);
    p->names = calloc(p->nlabels, sizeof *p->names);
    if (!p->names)
        return load_fail(p, err, path, "out of memory");
    if (!lab || model_strings(lab, sz, p->names, p->nlabels))
        return load_fail(p, err, path, "parser model label names are missing or truncated");
    rc = pc_tab3_load(&p->fast, &p->m, PARSER_SEC_TRANS, path, "parser transition", err);
    if (!rc)
        rc = pc_tabs_load(&p->labfast, &p->m, PARSER_SEC_LABELLER, p->nlabels, path,
                          "parser label", err);
    if (rc) {
        parser_free(p);
        return rc;
    }
    *out = p;
    return HS_OK;
}

/* ---- the parse stage ------------------------------------------------------ */

const char *const *parser_label_names(const parser *p) { return p->names; }

int parser_run(hs_doc *d, const parser *p, parser_scratch *s, int all)
{
    d->label_names = p->names;
    if (vec_reserve((void **)&d->head, &d->caphead, d->ntok, sizeof *d->head) ||
        vec_reserve((void **)&d->label, &d->caplabel, d->ntok, sizeof *d->label))
        return HS_ENOMEM;
    if (!all) {
        /* the stages that read a parse ask for it, sentence by sentence */
        if (vec_reserve((void **)&d->sparsed, &d->capsparsed, d->nsent, 1))
            return HS_ENOMEM;
        if (d->nsent)
            memset(d->sparsed, 0, d->nsent);
        d->parse_on_demand = 1;
        return HS_OK;
    }
    for (size_t i = 0; all && i < d->nsent; i++) {
        const hs_sentence *se = &d->sent[i];
        parser_parse(p, s, se->tok_end - se->tok_begin, d->form + se->tok_begin,
                     d->posname + se->tok_begin, d->head + se->tok_begin,
                     d->label + se->tok_begin);
    }
    d->has_parse = all;
    return HS_OK;
}

int parser_need(hs_doc *d, const parser *p, parser_scratch *s, size_t se)
{
    if (d->has_parse)
        return 1;
    if (!p || !d->parse_on_demand || se >= d->nsent)
        return 0;
    if (!d->sparsed[se]) {
        const hs_sentence *t = &d->sent[se];
        parser_parse(p, s, t->tok_end - t->tok_begin, d->form + t->tok_begin,
                     d->posname + t->tok_begin, d->head + t->tok_begin, d->label + t->tok_begin);
        d->sparsed[se] = 1;
    }
    return 1;
}
