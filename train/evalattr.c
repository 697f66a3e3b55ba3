/* evalattr - scores attributions against PolNeAR brat gold exactly as
 * ../shared/tools/eval_polnear.py does: the same metrics, the same greedy
 * Dice pairing and tie order, the same text or JSON, Python float repr
 * included. Character sets are bitmaps over one document's bytes, so memory
 * follows the longest document, not the split. It does not average over
 * several annotators: the first one listed in the metadata is the gold. */
#define _DEFAULT_SOURCE
#include "evalattr.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "brat.h"
#include "hearsay_train.h"

/* Predicted spans are clamped to this: beyond it (Python has big integers)
 * every use clips them to the text anyway, and sums cannot overflow. */
#define SPAN_LIMIT ((int64_t)1 << 62)
/* At most this many diagnostics are listed; the rest are counted. */
#define MAX_DIAG 50

/* ---- attribution sets ---------------------------------------------------- */

/* One attribution: role r has n[r] spans from sp[first[r]] of its set. */
typedef struct eatt {
    size_t first[BRAT_NROLES], n[BRAT_NROLES];
} eatt;

/* The attributions of one document, gold or predicted; present is 0 for a
 * document without a prediction (scored as no attributions, and counted). */
typedef struct eset {
    eatt *att;
    size_t natt, capatt;
    evalattr_span *sp;
    size_t nsp, capsp;
    int present;
} eset;

static void eset_clear(eset *e)
{
    e->natt = e->nsp = 0;
    e->present = 0;
}

static void eset_free(eset *e)
{
    free(e->att);
    free(e->sp);
    memset(e, 0, sizeof *e);
}

/* The fallible functions of the scorer return HS_OK or HS_ENOMEM unless
 * they say otherwise. */
static int eset_span(eset *e, int64_t s, int64_t x)
{
    if (vec_reserve((void **)&e->sp, &e->capsp, e->nsp + 1, sizeof *e->sp))
        return HS_ENOMEM;
    e->sp[e->nsp].s = s;
    e->sp[e->nsp++].e = x;
    return HS_OK;
}

static int eset_att(eset *e, const eatt *a)
{
    if (vec_reserve((void **)&e->att, &e->capatt, e->natt + 1, sizeof *e->att))
        return HS_ENOMEM;
    e->att[e->natt++] = *a;
    return HS_OK;
}

static const evalattr_span *role_spans(const eset *e, const eatt *a, int r)
{
    return e->sp + a->first[r];
}

static int from_brat(eset *e, const brat_doc *d)
{
    eset_clear(e);
    for (size_t i = 0; i < d->natt; i++) {
        eatt a;
        for (int r = 0; r < BRAT_NROLES; r++) {
            a.first[r] = e->nsp;
            a.n[r] = d->att[i].n[r];
            for (uint32_t k = 0; k < d->att[i].n[r]; k++) {
                hs_span s = d->spans[d->att[i].first[r] + k];
                if (eset_span(e, s.start, s.end))
                    return HS_ENOMEM;
            }
        }
        if (eset_att(e, &a))
            return HS_ENOMEM;
    }
    e->present = 1;
    return HS_OK;
}

/* The pipeline's attributions; those without content are left out, as the
 * scorer leaves out a null content. */
static int from_doc(eset *e, const hs_doc *doc)
{
    eset_clear(e);
    size_t n;
    const hs_attribution *at = hs_doc_attributions(doc, &n);
    for (size_t i = 0; i < n; i++) {
        if (!at[i].ncontent)
            continue;
        const hs_span *role[BRAT_NROLES];
        uint32_t cnt[BRAT_NROLES];
        role[BRAT_CONTENT] = at[i].content, cnt[BRAT_CONTENT] = at[i].ncontent;
        role[BRAT_CUE] = at[i].cue, cnt[BRAT_CUE] = at[i].ncue;
        role[BRAT_SOURCE] = at[i].source, cnt[BRAT_SOURCE] = at[i].nsource;
        eatt a;
        for (int r = 0; r < BRAT_NROLES; r++) {
            a.first[r] = e->nsp;
            a.n[r] = cnt[r];
            for (uint32_t k = 0; k < cnt[r]; k++)
                if (eset_span(e, role[r][k].start, role[r][k].end))
                    return HS_ENOMEM;
        }
        if (eset_att(e, &a))
            return HS_ENOMEM;
    }
    e->present = 1;
    return HS_OK;
}

/* ---- scoring ------------------------------------------------------------- */

/* The scorer's Counter C and per_kind, summed over the split. */
typedef struct tally {
    uint64_t ch_tp[BRAT_NROLES], ch_p[BRAT_NROLES], ch_g[BRAT_NROLES];
    uint64_t x_tp[BRAT_NROLES], x_p[BRAT_NROLES], x_g[BRAT_NROLES];
    uint64_t match, exact, e2e, src_g, src_ok, cue_g, cue_ok, gold, pred;
    uint64_t kind_g[EVALATTR_NKINDS], kind_m[EVALATTR_NKINDS];
    uint64_t docs, missing;
} tally;

/* A content's character set as the words [lo, lo + nw) of a document
 * bitmap, kept at pool[off]; count is its size. */
typedef struct win {
    size_t lo, nw, off;
    uint64_t count;
} win;

typedef struct pair {
    double d;
    uint32_t i, j;
} pair;

/* A span-exact key: the first and last byte of a non-empty norm(). */
typedef struct xkey {
    size_t a, b;
} xkey;

/* Storage reused from document to document. nonws, x and y hold nw words:
 * bit i of nonws is set when byte i is not a space, tab, CR or LF. */
typedef struct work {
    uint64_t *nonws, *x, *y;
    size_t capnw, capx, capy, nw;
    uint64_t *pool;
    size_t npool, cappool;
    win *gw, *pw;
    size_t capgw, cappw;
    pair *pairs;
    size_t npairs, cappairs;
    xkey *gk, *pk;
    size_t ngk, npk, capgk, cappk;
    unsigned char *ug, *up;
    size_t capug, capup;
    buf kind;
} work;

static void work_free(work *w)
{
    free(w->nonws), free(w->x), free(w->y), free(w->pool), free(w->gw), free(w->pw);
    free(w->pairs), free(w->gk), free(w->pk), free(w->ug), free(w->up);
    buf_free(&w->kind);
}

static void bm_set(uint64_t *bm, size_t a, size_t b)
{
    for (; a < b && (a & 63); a++)
        bm[a >> 6] |= (uint64_t)1 << (a & 63);
    for (; a + 64 <= b; a += 64)
        bm[a >> 6] = ~(uint64_t)0;
    for (; a < b; a++)
        bm[a >> 6] |= (uint64_t)1 << (a & 63);
}

static int bm_any(const uint64_t *bm, size_t a, size_t b)
{
    for (; a < b && (a & 63); a++)
        if (bm[a >> 6] >> (a & 63) & 1)
            return 1;
    for (; a + 64 <= b; a += 64)
        if (bm[a >> 6])
            return 1;
    for (; a < b; a++)
        if (bm[a >> 6] >> (a & 63) & 1)
            return 1;
    return 0;
}

/* chars(): the clipped range of a span; 0 when it is empty. */
static int clip(evalattr_span s, size_t n, size_t *a, size_t *b)
{
    int64_t lo = s.s < 0 ? 0 : s.s, hi = s.e > (int64_t)n ? (int64_t)n : s.e;
    if (lo >= hi)
        return 0;
    *a = (size_t)lo;
    *b = (size_t)hi;
    return 1;
}

static void role_chars(uint64_t *bm, const eset *e, int r, size_t n)
{
    for (size_t i = 0; i < e->natt; i++) {
        const evalattr_span *s = role_spans(e, &e->att[i], r);
        for (size_t k = 0, a, b; k < e->att[i].n[r]; k++)
            if (clip(s[k], n, &a, &b))
                bm_set(bm, a, b);
    }
}

static uint64_t count_and(const uint64_t *x, const uint64_t *y, size_t nw)
{
    uint64_t c = 0;
    for (size_t i = 0; i < nw; i++)
        c += (uint64_t)__builtin_popcountll(x[i] & y[i]);
    return c;
}

static int collect_keys(xkey **v, size_t *nv, size_t *cap, const eset *e, int r, const char *text,
                        size_t n)
{
    *nv = 0;
    for (size_t i = 0; i < e->natt; i++) {
        const evalattr_span *s = role_spans(e, &e->att[i], r);
        for (size_t k = 0; k < e->att[i].n[r]; k++) {
            xkey kk;
            if (!evalattr_norm(text, n, s[k], &kk.a, &kk.b))
                continue;
            if (vec_reserve((void **)v, cap, *nv + 1, sizeof **v))
                return HS_ENOMEM;
            (*v)[(*nv)++] = kk;
        }
    }
    return HS_OK;
}

static int cmp_key(const void *x, const void *y)
{
    const xkey *a = x, *b = y;
    if (a->a != b->a)
        return a->a < b->a ? -1 : 1;
    return a->b < b->b ? -1 : a->b > b->b;
}

static size_t unique_keys(xkey *v, size_t n)
{
    if (n)
        qsort(v, n, sizeof *v, cmp_key);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!k || cmp_key(&v[k - 1], &v[i]))
            v[k++] = v[i];
    return k;
}

/* The content character set of each attribution of e, as windows. */
static int content_windows(work *w, win **out, size_t *cap, const eset *e, size_t n)
{
    if (vec_reserve((void **)out, cap, e->natt + 1, sizeof **out))
        return HS_ENOMEM;
    for (size_t i = 0; i < e->natt; i++) {
        const evalattr_span *s = role_spans(e, &e->att[i], BRAT_CONTENT);
        size_t lo = SIZE_MAX, hi = 0;
        for (size_t k = 0, a, b; k < e->att[i].n[BRAT_CONTENT]; k++)
            if (clip(s[k], n, &a, &b)) {
                lo = a < lo ? a : lo;
                hi = b > hi ? b : hi;
            }
        win *v = &(*out)[i];
        memset(v, 0, sizeof *v);
        if (lo >= hi)
            continue;
        v->lo = lo >> 6;
        v->nw = ((hi + 63) >> 6) - v->lo;
        v->off = w->npool;
        if (vec_reserve((void **)&w->pool, &w->cappool, w->npool + v->nw, sizeof *w->pool))
            return HS_ENOMEM;
        uint64_t *bm = w->pool + v->off;
        memset(bm, 0, v->nw * sizeof *bm);
        for (size_t k = 0, a, b; k < e->att[i].n[BRAT_CONTENT]; k++)
            if (clip(s[k], n, &a, &b))
                bm_set(bm, a - v->lo * 64, b - v->lo * 64);
        for (size_t k = 0; k < v->nw; k++) {
            bm[k] &= w->nonws[v->lo + k];
            v->count += (uint64_t)__builtin_popcountll(bm[k]);
        }
        w->npool += v->nw;
    }
    return HS_OK;
}

static uint64_t win_and(const work *w, const win *g, const win *q)
{
    size_t lo = g->lo > q->lo ? g->lo : q->lo;
    size_t hi = g->lo + g->nw < q->lo + q->nw ? g->lo + g->nw : q->lo + q->nw;
    uint64_t c = 0;
    for (size_t k = lo; k < hi; k++)
        c += (uint64_t)__builtin_popcountll(w->pool[g->off + k - g->lo] &
                                            w->pool[q->off + k - q->lo]);
    return c;
}

/* Python sorts (dice, i, j) in reverse: larger dice first, then larger i, then larger j. */
static int cmp_pair(const void *x, const void *y)
{
    const pair *a = x, *b = y;
    if (a->d != b->d)
        return a->d < b->d ? 1 : -1;
    if (a->i != b->i)
        return a->i < b->i ? 1 : -1;
    return a->j < b->j ? 1 : a->j > b->j ? -1 : 0;
}

/* norm() of a role of one attribution into bm (nw words, cleared first). */
static void norm_set(const work *w, uint64_t *bm, const eset *e, const eatt *a, int r,
                     const char *text, size_t n)
{
    memset(bm, 0, w->nw * sizeof *bm);
    const evalattr_span *s = role_spans(e, a, r);
    for (size_t k = 0; k < a->n[r]; k++) {
        int64_t lo, hi;
        evalattr_norm_range(text, n, s[k], &lo, &hi);
        bm_set(bm, (size_t)lo, (size_t)hi);
    }
    for (size_t k = 0; k < w->nw; k++)
        bm[k] &= w->nonws[k];
}

/* chars(g) & chars(q) is not empty for role r of two attributions. */
static int overlaps(const work *w, const eset *ge, const eatt *g, const eset *pe, const eatt *p,
                    int r, size_t n)
{
    const evalattr_span *gs = role_spans(ge, g, r), *ps = role_spans(pe, p, r);
    for (size_t i = 0, a, b; i < g->n[r]; i++) {
        if (!clip(gs[i], n, &a, &b))
            continue;
        for (size_t j = 0, c, d; j < p->n[r]; j++)
            if (clip(ps[j], n, &c, &d)) {
                size_t lo = a > c ? a : c, hi = b < d ? b : d;
                if (lo < hi && bm_any(w->nonws, lo, hi))
                    return 1;
            }
    }
    return 0;
}

/* One document's share of every count of score() in eval_polnear.py. */
static int score_doc(tally *t, work *w, const char *text, size_t n, const eset *g, const eset *p)
{
    size_t nw = (n + 63) / 64 + 1;
    if (vec_reserve((void **)&w->nonws, &w->capnw, nw, sizeof *w->nonws) ||
        vec_reserve((void **)&w->x, &w->capx, nw, sizeof *w->x) ||
        vec_reserve((void **)&w->y, &w->capy, nw, sizeof *w->y))
        return HS_ENOMEM;
    w->nw = nw;
    memset(w->nonws, 0, nw * sizeof *w->nonws);
    for (size_t i = 0; i < n; i++)
        if (!evalattr_space_byte((unsigned char)text[i]))
            w->nonws[i >> 6] |= (uint64_t)1 << (i & 63);

    t->docs++;
    t->missing += !p->present;
    for (int r = 0; r < BRAT_NROLES; r++) {
        memset(w->x, 0, nw * sizeof *w->x);
        memset(w->y, 0, nw * sizeof *w->y);
        role_chars(w->x, g, r, n);
        role_chars(w->y, p, r, n);
        for (size_t k = 0; k < nw; k++) {
            w->x[k] &= w->nonws[k];
            w->y[k] &= w->nonws[k];
        }
        t->ch_tp[r] += count_and(w->x, w->y, nw);
        t->ch_g[r] += count_and(w->x, w->x, nw);
        t->ch_p[r] += count_and(w->y, w->y, nw);
    }
    for (int r = 0; r < BRAT_NROLES; r++) {
        if (collect_keys(&w->gk, &w->ngk, &w->capgk, g, r, text, n) ||
            collect_keys(&w->pk, &w->npk, &w->cappk, p, r, text, n))
            return HS_ENOMEM;
        size_t ng = unique_keys(w->gk, w->ngk), np = unique_keys(w->pk, w->npk), tp = 0;
        for (size_t i = 0, j = 0; i < ng && j < np;) {
            int c = cmp_key(&w->gk[i], &w->pk[j]);
            tp += !c;
            i += c <= 0;
            j += c >= 0;
        }
        t->x_tp[r] += tp;
        t->x_g[r] += ng;
        t->x_p[r] += np;
    }

    w->npool = 0;
    if (content_windows(w, &w->gw, &w->capgw, g, n) || content_windows(w, &w->pw, &w->cappw, p, n))
        return HS_ENOMEM;
    w->npairs = 0;
    for (size_t i = 0; i < g->natt; i++)
        for (size_t j = 0; j < p->natt; j++) {
            uint64_t inter = win_and(w, &w->gw[i], &w->pw[j]);
            if (!inter)
                continue;
            if (vec_reserve((void **)&w->pairs, &w->cappairs, w->npairs + 1, sizeof *w->pairs))
                return HS_ENOMEM;
            pair *pr = &w->pairs[w->npairs++];
            pr->d = (double)(2 * inter) / (double)(w->gw[i].count + w->pw[j].count);
            pr->i = (uint32_t)i;
            pr->j = (uint32_t)j;
        }
    if (w->npairs)
        qsort(w->pairs, w->npairs, sizeof *w->pairs, cmp_pair);
    if (vec_reserve((void **)&w->ug, &w->capug, g->natt + 1, 1) ||
        vec_reserve((void **)&w->up, &w->capup, p->natt + 1, 1))
        return HS_ENOMEM;
    memset(w->ug, 0, g->natt + 1);
    memset(w->up, 0, p->natt + 1);
    for (size_t k = 0; k < w->npairs; k++) {
        const pair *pr = &w->pairs[k];
        if (pr->d < 0.5 || w->ug[pr->i] || w->up[pr->j])
            continue;
        w->ug[pr->i] = w->up[pr->j] = 1;
        t->match++;
        const eatt *ga = &g->att[pr->i], *pa = &p->att[pr->j];
        norm_set(w, w->x, g, ga, BRAT_CONTENT, text, n);
        norm_set(w, w->y, p, pa, BRAT_CONTENT, text, n);
        t->exact += !memcmp(w->x, w->y, nw * sizeof *w->x);
        if (ga->n[BRAT_SOURCE]) {
            t->src_g++;
            if (pa->n[BRAT_SOURCE] && overlaps(w, g, ga, p, pa, BRAT_SOURCE, n)) {
                t->src_ok++;
                t->e2e++;
            }
        } else {
            t->e2e++;
        }
        if (ga->n[BRAT_CUE]) {
            t->cue_g++;
            t->cue_ok += pa->n[BRAT_CUE] && overlaps(w, g, ga, p, pa, BRAT_CUE, n);
        }
    }
    for (size_t i = 0; i < g->natt; i++) {
        int k;
        if (evalattr_kind(text, n, role_spans(g, &g->att[i], BRAT_CONTENT),
                          g->att[i].n[BRAT_CONTENT], &w->kind, &k))
            return HS_ENOMEM;
        t->kind_g[k]++;
        t->kind_m[k] += w->ug[i];
    }
    t->gold += g->natt;
    t->pred += p->natt;
    return HS_OK;
}

/* ---- output -------------------------------------------------------------- */

/* A Python number of the result: an int, or a float. */
typedef struct pyv {
    int isf;
    double f;
    uint64_t i;
} pyv;

static pyv py_int(uint64_t i)
{
    pyv v = {0, 0, i};
    return v;
}

/* tp/p if p else 0 */
static pyv py_ratio(uint64_t num, uint64_t den)
{
    pyv v = {den != 0, den ? (double)num / (double)den : 0, 0};
    return v;
}

/* str() or json.dumps() of v; fixed3 gives f'{v:.3f}' for a float. */
static int put_num(buf *b, pyv v, int fixed3)
{
    if (!v.isf)
        return buf_printf(b, "%" PRIu64, v.i);
    if (fixed3)
        return buf_printf(b, "%.3f", v.f);
    char r[40];
    evalattr_repr(v.f, r, sizeof r);
    return buf_printf(b, "%s", r);
}

enum { ROW_NUM, ROW_PRF, ROW_KIND };

typedef struct row {
    const char *key;
    int type;
    pyv v[3];
    uint64_t n[3]; /* ROW_KIND: gold count of each kind */
} row;

static void prf(row *r, const char *key, uint64_t tp, uint64_t p, uint64_t g)
{
    r->key = key;
    r->type = ROW_PRF;
    r->v[0] = py_ratio(tp, p);
    r->v[1] = py_ratio(tp, g);
    r->v[2] = py_ratio(2 * tp, p + g);
}

static void num(row *r, const char *key, pyv v)
{
    r->key = key;
    r->type = ROW_NUM;
    r->v[0] = v;
}

/* R of score(), in its key order, printed as main() prints it. */
static int write_scores(buf *b, const tally *t, int json)
{
    static const char *const prf_keys[] = {"p", "r", "f"};
    static const char *const kinds[] = {"direct", "mixed", "indirect"};
    static const char *const ch[] = {"char_content", "char_cue", "char_source"};
    static const char *const ex[] = {"span_exact_content", "span_exact_cue",
                                     "span_exact_source"};
    row rows[16];
    size_t nr = 0;
    memset(rows, 0, sizeof rows);
    num(&rows[nr++], "documents", py_int(t->docs));
    num(&rows[nr++], "missing_predictions", py_int(t->missing));
    num(&rows[nr++], "gold_attributions", py_int(t->gold));
    num(&rows[nr++], "predicted_attributions", py_int(t->pred));
    for (int r = 0; r < BRAT_NROLES; r++)
        prf(&rows[nr++], ch[r], t->ch_tp[r], t->ch_p[r], t->ch_g[r]);
    static const int exact_order[] = {BRAT_SOURCE, BRAT_CUE, BRAT_CONTENT};
    for (int k = 0; k < 3; k++) {
        int r = exact_order[k];
        prf(&rows[nr++], ex[r], t->x_tp[r], t->x_p[r], t->x_g[r]);
    }
    prf(&rows[nr++], "content_partial", t->match, t->pred, t->gold);
    prf(&rows[nr++], "content_exact", t->exact, t->pred, t->gold);
    prf(&rows[nr++], "attribution_e2e", t->e2e, t->pred, t->gold);
    num(&rows[nr++], "source_accuracy_on_matched", py_ratio(t->src_ok, t->src_g));
    num(&rows[nr++], "cue_accuracy_on_matched", py_ratio(t->cue_ok, t->cue_g));
    row *k = &rows[nr++];
    k->key = "recall_by_kind";
    k->type = ROW_KIND;
    for (int i = 0; i < EVALATTR_NKINDS; i++) {
        k->v[i] = py_ratio(t->kind_m[i], t->kind_g[i]);
        k->n[i] = t->kind_g[i];
    }

    int rc = json ? buf_putc(b, '{') : HS_OK; /* ORed: nonzero once anything failed */
    for (size_t i = 0; i < nr; i++) {
        const row *r = &rows[i];
        if (json)
            rc |= buf_printf(b, "%s\"%s\": ", i ? ", " : "", r->key);
        else
            rc |= buf_printf(b, "%-28s ", r->key);
        if (r->type == ROW_NUM) {
            rc |= put_num(b, r->v[0], !json);
        } else {
            rc |= json ? buf_putc(b, '{') : 0;
            for (int j = 0; j < 3; j++) {
                const char *name = r->type == ROW_PRF ? prf_keys[j] : kinds[j];
                if (json)
                    rc |= buf_printf(b, "%s\"%s\": ", j ? ", " : "", name);
                else
                    rc |= buf_printf(b, "%s%s=", j ? "  " : "", name);
                if (r->type == ROW_PRF) {
                    rc |= put_num(b, r->v[j], !json);
                } else { /* a tuple: repr() in the text, a list in JSON */
                    rc |= buf_putc(b, json ? '[' : '(');
                    rc |= put_num(b, r->v[j], 0);
                    rc |= buf_printf(b, ", %" PRIu64 "%c", r->n[j], json ? ']' : ')');
                }
            }
            rc |= json ? buf_putc(b, '}') : 0;
        }
        if (!json)
            rc |= buf_putc(b, '\n');
    }
    if (json)
        rc |= buf_append(b, "}\n", 2);
    return rc ? HS_ENOMEM : HS_OK;
}

/* ---- predictions from JSON Lines ----------------------------------------- */

/* Diagnostics: the first MAX_DIAG lines, then a count of the rest. */
typedef struct diag {
    buf text;
    size_t n;
} diag;

static void diag_add(diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void diag_add(diag *d, const char *fmt, ...)
{
    if (d->n++ >= MAX_DIAG)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    /* jansson quotes the bad input: keep control bytes off the terminal */
    for (char *c = line; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7F)
            *c = '?';
    buf_printf(&d->text, "%s\n", line);
}

/* Python's truth value of a JSON value. */
static int py_falsy(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_NULL:
    case JSON_FALSE: return 1;
    case JSON_TRUE: return 0;
    case JSON_INTEGER: return json_integer_value(v) == 0;
    case JSON_REAL: return json_real_value(v) == 0;
    case JSON_STRING: return json_string_length(v) == 0;
    case JSON_ARRAY: return json_array_size(v) == 0;
    case JSON_OBJECT: return json_object_size(v) == 0;
    }
    return 0;
}

static int64_t clamp(int64_t v)
{
    return v > SPAN_LIMIT ? SPAN_LIMIT : v < -SPAN_LIMIT ? -SPAN_LIMIT : v;
}

/* Python's int() of a span end: ints, floats (truncated), booleans and
 * decimal strings (" 12", "-3", "1_000"). HS_OK, or HS_EFORMAT for what
 * int() would refuse. */
static int span_end(const json_t *v, int64_t *out)
{
    switch (json_typeof(v)) {
    case JSON_INTEGER: *out = clamp(json_integer_value(v)); return HS_OK;
    case JSON_TRUE: *out = 1; return HS_OK;
    case JSON_FALSE: *out = 0; return HS_OK;
    case JSON_REAL: {
        double d = trunc(json_real_value(v));
        if (!isfinite(d))
            return HS_EFORMAT;
        *out = d >= (double)SPAN_LIMIT ? SPAN_LIMIT : d <= -(double)SPAN_LIMIT ? -SPAN_LIMIT
                                                                                : (int64_t)d;
        return HS_OK;
    }
    case JSON_STRING: {
        const char *s = json_string_value(v), *end = s + json_string_length(v);
        while (s < end && strchr(" \t\n\v\f\r", *s) && *s)
            s++;
        while (end > s && strchr(" \t\n\v\f\r", end[-1]) && end[-1])
            end--;
        int neg = s < end && *s == '-';
        s += s < end && (*s == '-' || *s == '+');
        int64_t x = 0;
        int digits = 0;
        for (; s < end; s++) {
            if (*s == '_' && digits && s + 1 < end && s[1] >= '0' && s[1] <= '9')
                continue;
            if (*s < '0' || *s > '9')
                return HS_EFORMAT;
            x = x > SPAN_LIMIT / 10 ? SPAN_LIMIT : x * 10 + (*s - '0');
            digits++;
        }
        if (!digits)
            return HS_EFORMAT;
        *out = clamp(neg ? -x : x);
        return HS_OK;
    }
    default: return HS_EFORMAT;
    }
}

/* pred_spans() of one role into e: *n = 0 for None. HS_EFORMAT when Python
 * would fail (or the form is one this port does not accept), with why;
 * HS_ENOMEM. */
static int pred_spans(eset *e, const json_t *role, size_t *n, const char **why)
{
    *n = 0;
    if (!role || py_falsy(role))
        return HS_OK;
    const json_t *sp = role;
    if (json_is_object(role)) {
        sp = json_object_get(role, "spans");
        if (!sp || py_falsy(sp))
            return HS_OK;
    }
    if (!json_is_array(sp)) {
        *why = "spans are not a list of [start, end] pairs";
        return HS_EFORMAT;
    }
    for (size_t i = 0; i < json_array_size(sp); i++) {
        const json_t *pr = json_array_get(sp, i);
        int64_t s, x;
        if (!json_is_array(pr) || json_array_size(pr) != 2) {
            *why = "a span is not a [start, end] pair";
            return HS_EFORMAT;
        }
        if (span_end(json_array_get(pr, 0), &s) || span_end(json_array_get(pr, 1), &x)) {
            *why = "a span offset is not an integer";
            return HS_EFORMAT;
        }
        if (eset_span(e, s, x))
            return HS_ENOMEM;
        (*n)++;
    }
    return HS_OK;
}

/* The attributions of one prediction object into e (cleared first): HS_OK,
 * HS_EFORMAT with why when the scorer could not read it, or HS_ENOMEM. */
static int pred_doc(eset *e, const json_t *o, char *why, size_t cap)
{
    eset_clear(e);
    const json_t *list = json_object_get(o, "attributions");
    if (!list || py_falsy(list))
        list = NULL;
    else if (!json_is_array(list)) {
        snprintf(why, cap, "\"attributions\" is not a list");
        return HS_EFORMAT;
    }
    static const char *const names[] = {"content", "cue", "source"};
    for (size_t i = 0; list && i < json_array_size(list); i++) {
        const json_t *a = json_array_get(list, i);
        if (!json_is_object(a)) {
            snprintf(why, cap, "attribution %zu is not an object", i + 1);
            return HS_EFORMAT;
        }
        eatt at = {{0}, {0}};
        size_t first = e->nsp;
        for (int r = 0; r < BRAT_NROLES; r++) {
            const char *w = NULL;
            at.first[r] = e->nsp;
            int rc = pred_spans(e, json_object_get(a, names[r]), &at.n[r], &w);
            if (rc == HS_EFORMAT)
                snprintf(why, cap, "attribution %zu: %s: %s", i + 1, names[r], w);
            if (rc)
                return rc;
            /* no content: the scorer skips the attribution without looking further */
            if (r == BRAT_CONTENT && !at.n[r])
                break;
        }
        if (!at.n[BRAT_CONTENT]) {
            e->nsp = first;
            continue;
        }
        if (eset_att(e, &at))
            return HS_ENOMEM;
    }
    e->present = 1;
    return HS_OK;
}

/* str(o.get('id', '')) of the scorer, into b: HS_OK, HS_EFORMAT for an id
 * that cannot name a file (a list or an object), or HS_ENOMEM. */
static int pred_id(const json_t *o, buf *b)
{
    buf_clear(b);
    const json_t *id = json_object_get(o, "id");
    char tmp[40] = "";
    if (!id)
        return buf_reserve(b, 1);
    switch (json_typeof(id)) {
    case JSON_STRING:
        return buf_append(b, json_string_value(id), json_string_length(id));
    case JSON_INTEGER:
        snprintf(tmp, sizeof tmp, "%" JSON_INTEGER_FORMAT, json_integer_value(id));
        break;
    case JSON_REAL: evalattr_repr(json_real_value(id), tmp, sizeof tmp); break;
    case JSON_TRUE: snprintf(tmp, sizeof tmp, "True"); break;
    case JSON_FALSE: snprintf(tmp, sizeof tmp, "False"); break;
    case JSON_NULL: snprintf(tmp, sizeof tmp, "None"); break;
    default: return HS_EFORMAT;
    }
    return buf_append(b, tmp, strlen(tmp));
}

/* Index of the article whose stem is the id's file name (directories and
 * ".txt" dropped), or -1. */
static long find_stem(const brat_split *s, const char *id, size_t len)
{
    const char *slash = NULL;
    for (size_t i = 0; i < len; i++)
        if (id[i] == '/')
            slash = id + i;
    if (slash) {
        len -= (size_t)(slash + 1 - id);
        id = slash + 1;
    }
    if (len >= 4 && !memcmp(id + len - 4, ".txt", 4))
        len -= 4;
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2, sl = strlen(s->stem[mid]);
        int c = memcmp(s->stem[mid], id, sl < len ? sl : len);
        if (!c)
            c = sl < len ? -1 : sl > len;
        if (!c)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* One line of the prediction file: Python strips white space and skips a
 * blank line, then the last object of each article id wins. A line that is
 * not JSON, or that the scorer could not read, is reported and skipped.
 * HS_OK or HS_ENOMEM. */
static int pred_line(const brat_split *s, eset *preds, eset *tmp, buf *id, diag *dg,
                     const char *path, size_t ln, const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    size_t from = n, to = 0;
    for (size_t k = 0, adv; k < n; k += adv)
        if (!evalattr_isspace(evalattr_utf8(u + k, n - k, &adv))) {
            if (from == n)
                from = k;
            to = k + adv;
        }
    if (from >= to)
        return HS_OK;
    json_error_t je;
    json_t *o = json_loadb(p + from, to - from, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
    if (!o) {
        diag_add(dg, "%s: line %zu: not valid JSON: %s (column %d)", path, ln, je.text,
                 je.column);
        return HS_OK;
    }
    int rc = HS_OK;
    if (!json_is_object(o)) {
        diag_add(dg, "%s: line %zu: not a JSON object", path, ln);
        goto done;
    }
    int idrc = pred_id(o, id);
    if (idrc) {
        rc = idrc == HS_ENOMEM ? idrc : HS_OK; /* an id no file name can match: ignored */
        goto done;
    }
    long k = find_stem(s, id->p, id->len);
    if (k < 0)
        goto done; /* not an article of the split: ignored, as the scorer does */
    char why[200];
    int prc = pred_doc(tmp, o, why, sizeof why);
    if (prc == HS_EFORMAT)
        diag_add(dg, "%s: line %zu: %s", path, ln, why);
    if (prc) {
        rc = prc == HS_ENOMEM ? prc : HS_OK;
        goto done;
    }
    eset t = preds[k];
    preds[k] = *tmp;
    *tmp = t;
done:
    json_decref(o);
    return rc;
}

/* Reads the prediction file ("-" = standard input) into preds, one set per
 * article of s. Lines end at \n, \r\n or \r, as Python's text mode has it. */
static int read_preds(const brat_split *s, eset *preds, const char *path, diag *dg, buf *err)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        buf_printf(err, "%s: cannot open: %s", path, strerror(errno));
        return HS_EIO;
    }
    char *line = NULL;
    size_t cap = 0, ln = 0;
    ssize_t got;
    eset tmp = {0};
    buf id = {0};
    int rc = HS_OK;
    while (rc == HS_OK && (got = getline(&line, &cap, f)) >= 0) {
        size_t n = (size_t)got;
        if (n && line[n - 1] == '\n')
            n--;
        char *p = line, *end = line + n;
        for (;;) {
            char *cr = memchr(p, '\r', (size_t)(end - p));
            if (!cr && p == end && p != line)
                break; /* the \n of a \r\n, or nothing after a last \r */
            ln++;
            if (pred_line(s, preds, &tmp, &id, dg, path, ln, p, (size_t)((cr ? cr : end) - p))) {
                buf_printf(err, "%s: line %zu: out of memory", path, ln);
                rc = HS_ENOMEM;
                break;
            }
            if (!cr)
                break;
            p = cr + 1;
        }
    }
    if (rc == HS_OK && ferror(f)) {
        buf_printf(err, "%s: read error: %s", path, strerror(errno));
        rc = HS_EIO;
    }
    free(line);
    eset_free(&tmp);
    buf_free(&id);
    if (f != stdin)
        fclose(f);
    return rc;
}

/* ---- the whole split ----------------------------------------------------- */

/* Everything one scoring run holds; run_free releases it all. */
typedef struct run {
    brat_split split;
    brat_doc bd;
    eset gold, pipe, *preds; /* preds: one per article, or NULL for the pipeline */
    size_t npreds;
    hs_doc *doc;
    work w;
    tally t;
    buf err, text;
    diag dg;
} run;

static void run_free(run *r)
{
    brat_split_free(&r->split);
    brat_free(&r->bd);
    eset_free(&r->gold);
    eset_free(&r->pipe);
    for (size_t i = 0; i < r->npreds; i++)
        eset_free(&r->preds[i]);
    free(r->preds);
    hs_doc_free(r->doc);
    work_free(&r->w);
    buf_free(&r->err);
    buf_free(&r->text);
    buf_free(&r->dg.text);
}

/* Reads, predicts (with the pipeline) and scores article i. */
static int score_article(run *r, size_t i)
{
    const char *path = r->split.text_path[i];
    buf_clear(&r->text);
    int rc = buf_read_file(&r->text, path);
    if (rc) {
        buf_printf(&r->err, "%s: cannot read: %s", path,
                   rc == HS_ENOMEM ? "out of memory" : strerror(errno ? errno : EIO));
        return rc;
    }
    buf gerr = {0};
    rc = brat_read(&r->bd, r->split.ann_path[i], r->text.p, r->text.len, &gerr);
    if (rc) {
        buf_printf(&r->err, "%s", gerr.p ? gerr.p : "cannot read the gold");
        buf_free(&gerr);
        return rc;
    }
    /* lines of the .ann that were skipped (the scorer would skip or fail on them) */
    for (char *l = gerr.p, *nl; l && *l; l = nl + 1) {
        nl = strchr(l, '\n');
        diag_add(&r->dg, "%.*s", (int)(nl ? nl - l : (long)strlen(l)), l);
        if (!nl)
            break;
    }
    buf_free(&gerr);
    if (from_brat(&r->gold, &r->bd))
        return HS_ENOMEM;
    if (!r->preds) {
        eset_clear(&r->pipe);
        rc = hs_doc_analyze(r->doc, path, r->text.p, r->text.len, 0);
        if (rc == HS_ENOMEM)
            return rc;
        if (rc)
            diag_add(&r->dg, "%s: %s; scored as a missing prediction", path,
                     hs_doc_errmsg(r->doc));
        else if (from_doc(&r->pipe, r->doc))
            return HS_ENOMEM;
    }
    const eset *p = r->preds ? &r->preds[i] : &r->pipe;
    if (score_doc(&r->t, &r->w, r->text.p, r->text.len, &r->gold, p))
        return HS_ENOMEM;
    buf_trim(&r->text, 1 << 20);
    return HS_OK;
}

static int score_split(run *r, const hs_engine *eng, const char *split_dir, const char *metadata,
                       const char *pred_jsonl)
{
    int rc = brat_split_open(&r->split, split_dir, metadata, &r->err);
    if (rc) /* a metadata file without its columns cannot be read either */
        return rc == HS_ENOMEM ? rc : HS_EIO;
    if (pred_jsonl) {
        if (!(r->preds = calloc(r->split.n + 1, sizeof *r->preds)))
            return HS_ENOMEM;
        r->npreds = r->split.n + 1;
        if ((rc = read_preds(&r->split, r->preds, pred_jsonl, &r->dg, &r->err)))
            return rc;
    } else if ((rc = hs_doc_new(&r->doc, eng))) {
        return rc;
    }
    for (size_t i = 0; i < r->split.n; i++)
        if ((rc = score_article(r, i)))
            return rc;
    if (r->dg.n > MAX_DIAG)
        buf_printf(&r->dg.text, "... and %zu more\n", r->dg.n - MAX_DIAG);
    /* a diagnostic lost to memory must not pass for a clean run */
    return r->dg.n && !r->dg.text.p ? HS_ENOMEM : HS_OK;
}

int hs_eval_polnear(const hs_engine *eng, const char *split_dir, const char *metadata,
                    const char *pred_jsonl, unsigned flags, char **out, char **diag_out)
{
    if (!out || !diag_out)
        return HS_EINVAL;
    *out = *diag_out = NULL;
    run r;
    memset(&r, 0, sizeof r);
    buf res = {0};
    int rc = HS_EINVAL;
    if (!split_dir)
        buf_printf(&r.err, "no split folder given");
    else if (flags & ~(unsigned)HS_EVAL_JSON)
        buf_printf(&r.err, "unknown flag 0x%x", flags);
    else if (!pred_jsonl && !eng)
        buf_printf(&r.err, "neither predictions nor an engine to make them");
    else if ((rc = score_split(&r, eng, split_dir, metadata, pred_jsonl)) == HS_OK &&
             write_scores(&res, &r.t, flags & HS_EVAL_JSON))
        rc = HS_ENOMEM;
    if (rc == HS_OK) {
        *out = res.p;
        *diag_out = r.dg.text.p; /* NULL when nothing was skipped */
        r.dg.text.p = NULL;
    } else {
        buf_free(&res);
        if (!r.err.len)
            buf_printf(&r.err, "%s", hs_errstr(rc));
        while (r.err.len && r.err.p[r.err.len - 1] == '\n')
            r.err.p[--r.err.len] = 0;
        *diag_out = r.err.p;
        r.err.p = NULL;
    }
    run_free(&r);
    return rc;
}
