/* train_clusters - the exchange algorithm (see train_clusters.h). The class
 * bigram counts N(c,d) are kept with their transpose so that the gain of
 * moving a word to every class is two passes over contiguous rows per class
 * the word's neighbours fall in; x log x comes from a table. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "train_clusters.h"
#include "wordclass.h"

enum { W_BOUND, W_RARE, W_FIRST }; /* sentence boundary, words below min_count */

typedef struct vocab {
    uint64_t *key;   /* per word */
    uint32_t *count;
    const char **form; /* the first form seen, for the log */
    size_t n, cap;
    uint32_t *slot; /* open addressing: word index + 1, 0 empty */
    uint32_t mask;
} vocab;

/* Index of the word with key k, adding it (count 0). SIZE_MAX: no memory. */
static size_t vocab_add(vocab *v, uint64_t k, const char *form)
{
    if (2 * (v->n + 1) > (size_t)v->mask + 1 || !v->slot) {
        uint32_t cap = v->slot ? 2 * (v->mask + 1) : 1u << 16;
        uint32_t *ns = calloc(cap, sizeof *ns);
        if (!ns)
            return SIZE_MAX;
        for (size_t i = 0; i < v->n; i++) {
            uint32_t s = (uint32_t)v->key[i] & (cap - 1);
            while (ns[s])
                s = (s + 1) & (cap - 1);
            ns[s] = (uint32_t)i + 1;
        }
        free(v->slot);
        v->slot = ns;
        v->mask = cap - 1;
    }
    uint32_t s = (uint32_t)k & v->mask;
    for (; v->slot[s]; s = (s + 1) & v->mask)
        if (v->key[v->slot[s] - 1] == k)
            return v->slot[s] - 1;
    if (v->n == v->cap) {
        size_t nc = v->cap ? 2 * v->cap : 4096;
        uint64_t *nk = realloc(v->key, nc * sizeof *nk);
        if (nk)
            v->key = nk;
        uint32_t *cn = realloc(v->count, nc * sizeof *cn);
        if (cn)
            v->count = cn;
        const char **nf = realloc(v->form, nc * sizeof *nf);
        if (nf)
            v->form = nf;
        if (!nk || !cn || !nf)
            return SIZE_MAX;
        v->cap = nc;
    }
    v->key[v->n] = k;
    v->count[v->n] = 0;
    v->form[v->n] = form;
    v->slot[s] = (uint32_t)v->n + 1;
    return v->n++;
}

static void vocab_free(vocab *v)
{
    free(v->key);
    free(v->count);
    free(v->form);
    free(v->slot);
}

/* Neighbour lists: word w's (other word, count) pairs are at[first[w] ..
 * first[w + 1]). */
typedef struct adj {
    uint32_t *first, *other, *n;
} adj;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Lists of the pairs (sorted, a << 32 | b) by their a. */
static int adj_build(adj *g, uint64_t *pair, size_t np, size_t nw)
{
    qsort(pair, np, sizeof *pair, cmp_u64);
    g->first = calloc(nw + 1, sizeof *g->first);
    g->other = malloc((np + 1) * sizeof *g->other);
    g->n = malloc((np + 1) * sizeof *g->n);
    if (!g->first || !g->other || !g->n)
        return HS_ENOMEM;
    size_t m = 0;
    for (size_t i = 0; i < np;) {
        size_t j = i;
        while (j < np && pair[j] == pair[i])
            j++;
        uint32_t a = (uint32_t)(pair[i] >> 32);
        g->other[m] = (uint32_t)pair[i];
        g->n[m] = (uint32_t)(j - i);
        g->first[a + 1]++;
        m++;
        i = j;
    }
    for (size_t w = 0; w < nw; w++)
        g->first[w + 1] += g->first[w];
    return HS_OK;
}

static void adj_free(adj *g)
{
    free(g->first);
    free(g->other);
    free(g->n);
}

typedef struct xstate {
    size_t nw, C;
    const adj *succ, *pred;
    uint32_t *cls;
    int64_t *N, *NT, *NL, *NR;
    int64_t *sw, *pw; /* per class, for the word being moved */
    uint32_t *ts, *tp;
    double *g;
    const double *F; /* F[x] = x log x */
} xstate;

static inline void add_word(xstate *x, uint32_t w, size_t c, int sign, size_t nts, size_t ntp,
                            int64_t self, int64_t nl, int64_t nr)
{
    size_t C = x->C;
    for (size_t i = 0; i < nts; i++) {
        size_t d = x->ts[i];
        x->N[c * C + d] += sign * x->sw[d];
        x->NT[d * C + c] += sign * x->sw[d];
    }
    for (size_t i = 0; i < ntp; i++) {
        size_t e = x->tp[i];
        x->N[e * C + c] += sign * x->pw[e];
        x->NT[c * C + e] += sign * x->pw[e];
    }
    x->N[c * C + c] += sign * self;
    x->NT[c * C + c] += sign * self;
    x->NL[c] += sign * nl;
    x->NR[c] += sign * nr;
    (void)w;
}

/* Moves word w to its best class; returns whether it changed class. */
static int exchange(xstate *x, uint32_t w)
{
    size_t C = x->C, nts = 0, ntp = 0;
    int64_t self = 0, nl = 0, nr = 0;
    const adj *s = x->succ, *p = x->pred;
    for (uint32_t k = s->first[w]; k < s->first[w + 1]; k++) {
        nl += s->n[k];
        if (s->other[k] == w) {
            self += s->n[k];
            continue;
        }
        uint32_t d = x->cls[s->other[k]];
        if (!x->sw[d])
            x->ts[nts++] = d;
        x->sw[d] += s->n[k];
    }
    for (uint32_t k = p->first[w]; k < p->first[w + 1]; k++) {
        nr += p->n[k];
        if (p->other[k] == w)
            continue;
        uint32_t e = x->cls[p->other[k]];
        if (!x->pw[e])
            x->tp[ntp++] = e;
        x->pw[e] += p->n[k];
    }
    uint32_t a = x->cls[w];
    add_word(x, w, a, -1, nts, ntp, self, nl, nr);
    const double *F = x->F;
    double *g = x->g;
    for (size_t b = 0; b < C; b++)
        g[b] = -(F[x->NL[b] + nl] - F[x->NL[b]]) - (F[x->NR[b] + nr] - F[x->NR[b]]);
    for (size_t i = 0; i < nts; i++) {
        size_t d = x->ts[i];
        const int64_t *row = x->NT + d * C, add = x->sw[d];
        for (size_t b = 0; b < C; b++)
            g[b] += F[row[b] + add] - F[row[b]];
    }
    for (size_t i = 0; i < ntp; i++) {
        size_t e = x->tp[i];
        const int64_t *row = x->N + e * C, add = x->pw[e];
        for (size_t b = 0; b < C; b++)
            g[b] += F[row[b] + add] - F[row[b]];
    }
    /* the cell (b, b) takes the word's successors, predecessors and itself */
    for (size_t b = 0; b < C; b++) {
        int64_t bb = x->N[b * C + b], sb = x->sw[b], pb = x->pw[b];
        if (sb)
            g[b] -= F[bb + sb] - F[bb];
        if (pb)
            g[b] -= F[bb + pb] - F[bb];
        g[b] += F[bb + sb + pb + self] - F[bb];
    }
    size_t best = a;
    for (size_t b = 0; b < C; b++)
        if (g[b] > g[best] + 1e-9)
            best = b;
    add_word(x, w, best, 1, nts, ntp, self, nl, nr);
    for (size_t i = 0; i < nts; i++)
        x->sw[x->ts[i]] = 0;
    for (size_t i = 0; i < ntp; i++)
        x->pw[x->tp[i]] = 0;
    x->cls[w] = (uint32_t)best;
    return best != a;
}

/* Clusters the nw words (counts cnt, most frequent first) into C classes,
 * writing each word's class to cls. */
static int cluster(const adj *succ, const adj *pred, const uint32_t *cnt, size_t nw,
                   size_t C, const double *F, unsigned iters, uint32_t *cls, buf *log)
{
    xstate x = {.nw = nw, .C = C, .succ = succ, .pred = pred, .cls = cls};
    x.N = calloc(C * C, sizeof *x.N);
    x.NT = calloc(C * C, sizeof *x.NT);
    x.NL = calloc(C, sizeof *x.NL);
    x.NR = calloc(C, sizeof *x.NR);
    x.sw = calloc(C, sizeof *x.sw);
    x.pw = calloc(C, sizeof *x.pw);
    x.ts = malloc(C * sizeof *x.ts);
    x.tp = malloc(C * sizeof *x.tp);
    x.g = malloc(C * sizeof *x.g);
    x.F = F;
    int rc = HS_ENOMEM;
    if (!x.N || !x.NT || !x.NL || !x.NR || !x.sw || !x.pw || !x.ts || !x.tp || !x.g)
        goto done;
    for (size_t w = 0; w < nw; w++)
        cls[w] = (uint32_t)(w % C);
    for (size_t w = 0; w < nw; w++)
        for (uint32_t k = succ->first[w]; k < succ->first[w + 1]; k++) {
            size_t c = cls[w], d = cls[succ->other[k]];
            x.N[c * C + d] += succ->n[k];
            x.NT[d * C + c] += succ->n[k];
            x.NL[c] += succ->n[k];
            x.NR[d] += succ->n[k];
        }
    (void)cnt;
    for (unsigned it = 0; it < iters; it++) {
        size_t moved = 0;
        for (size_t w = 0; w < nw; w++)
            moved += (size_t)exchange(&x, (uint32_t)w);
        double ll = 0;
        for (size_t i = 0; i < C * C; i++)
            ll += F[x.N[i]];
        for (size_t c = 0; c < C; c++)
            ll -= F[x.NL[c]] + F[x.NR[c]];
        buf_printf(log, "clusters %zu: pass %u: %zu words moved, class bigram log-lik %.6g\n", C,
                   it + 1, moved, ll);
        if (moved * 1000 < nw)
            break;
    }
    rc = HS_OK;
done:
    free(x.N);
    free(x.NT);
    free(x.NL);
    free(x.NR);
    free(x.sw);
    free(x.pw);
    free(x.ts);
    free(x.tp);
    free(x.g);
    return rc;
}

/* The words of the sample words' fine classes, most frequent first. */
static void log_sample(buf *log, const vocab *v, const uint32_t *fine, size_t nw)
{
    static const char *const probe[] = {"said", "warned", "claim", "report", "believes",
                                        "trump", "tuesday", NULL};
    for (const char *const *p = probe; *p; p++) {
        uint64_t k = wc_key(*p);
        size_t w = nw;
        for (size_t i = W_FIRST; i < nw; i++)
            if (v->key[i] == k)
                w = i;
        if (w == nw)
            continue;
        buf_printf(log, "  class of '%s':", *p);
        for (size_t i = W_FIRST, m = 0; i < nw && m < 14; i++)
            if (fine[i] == fine[w]) {
                buf_printf(log, " %s", v->form[i]);
                m++;
            }
        buf_printf(log, "\n");
    }
}

static void xlogx(double *F, size_t n)
{
    for (size_t i = 0; i < n; i++)
        F[i] = i ? (double)i * log((double)i) : 0;
}

/* Words ranked: boundary and rare first, then by count (ties by key). */
typedef struct rankitem {
    uint32_t idx, count;
    uint64_t key;
} rankitem;

static int cmp_rank(const void *a, const void *b)
{
    const rankitem *p = a, *q = b;
    uint32_t x = p->idx, y = q->idx;
    if ((x < W_FIRST) != (y < W_FIRST) || (x < W_FIRST && y < W_FIRST))
        return x < y ? -1 : x > y;
    if (p->count != q->count)
        return p->count > q->count ? -1 : 1;
    return p->key < q->key ? -1 : p->key > q->key;
}

int clusters_build(const corpus *const *sets, size_t nsets, const clusters_opts *opt,
                   buf *body, buf *log)
{
    clusters_opts o = opt ? *opt : (clusters_opts){0};
    size_t CC = o.ncoarse ? o.ncoarse : 64, CF = o.nfine ? o.nfine : 512;
    unsigned minc = o.min_count ? o.min_count : 3, iters = o.iterations ? o.iterations : 20;
    vocab v = {0};
    uint32_t *seq = NULL, *order = NULL, *rank = NULL, *coarse = NULL, *fine = NULL;
    uint64_t *pair = NULL, *okey = NULL;
    uint16_t *oc = NULL, *of = NULL;
    double *F = NULL;
    adj succ = {0}, pred = {0};
    int rc = HS_ENOMEM;
    size_t total = 1;
    for (size_t k = 0; k < nsets; k++)
        total += sets[k]->ntok + sets[k]->nsent;
    seq = malloc(total * sizeof *seq);
    if (!seq || vocab_add(&v, 0, "<s>") != W_BOUND || vocab_add(&v, 1, "<rare>") != W_RARE)
        goto done;
    /* the text as word indices, a boundary before every sentence and at the end */
    size_t n = 0;
    for (size_t k = 0; k < nsets; k++)
        for (size_t s = 0; s < sets[k]->nsent; s++) {
            seq[n++] = W_BOUND;
            for (uint32_t t = sets[k]->sent[s]; t < sets[k]->sent[s + 1]; t++) {
                const char *f = sets[k]->tok[t].form;
                size_t w = vocab_add(&v, wc_key(f), f);
                if (w == SIZE_MAX)
                    goto done;
                seq[n++] = (uint32_t)w;
            }
        }
    seq[n++] = W_BOUND;
    for (size_t i = 0; i < n; i++)
        v.count[seq[i]]++;
    /* renumber: the frequent words by rank, the rare ones as one */
    order = malloc(v.n * sizeof *order);
    rank = malloc(v.n * sizeof *rank);
    if (!order || !rank)
        goto done;
    rankitem *items = malloc(v.n * sizeof *items);
    if (!items)
        goto done;
    for (size_t i = 0; i < v.n; i++)
        items[i] = (rankitem){(uint32_t)i, v.count[i], v.key[i]};
    qsort(items, v.n, sizeof *items, cmp_rank);
    for (size_t i = 0; i < v.n; i++)
        order[i] = items[i].idx;
    free(items);
    size_t nw = 0;
    for (size_t i = 0; i < v.n; i++) {
        uint32_t w = order[i];
        rank[w] = w < W_FIRST || v.count[w] >= minc ? (uint32_t)nw++ : W_RARE;
    }
    vocab r = {0}; /* the ranked words' keys, counts and forms */
    r.key = calloc(nw, sizeof *r.key);
    r.count = calloc(nw, sizeof *r.count);
    r.form = calloc(nw, sizeof *r.form);
    if (!r.key || !r.count || !r.form) {
        vocab_free(&r);
        goto done;
    }
    for (size_t i = 0; i < v.n; i++)
        if (i < W_FIRST || v.count[i] >= minc) {
            r.key[rank[i]] = v.key[i];
            r.form[rank[i]] = v.form[i];
        }
    for (size_t i = 0; i < n; i++) {
        seq[i] = rank[seq[i]];
        r.count[seq[i]]++;
    }
    buf_printf(log, "clusters: %zu tokens, %zu word types, %zu seen %u times or more\n", n - 1,
               v.n - W_FIRST, nw - W_FIRST, minc);
    /* bigrams, both ways */
    pair = malloc(n * sizeof *pair);
    F = malloc((n + 2) * sizeof *F);
    if (!pair || !F) {
        vocab_free(&r);
        goto done;
    }
    xlogx(F, n + 2);
    for (size_t i = 0; i + 1 < n; i++)
        pair[i] = (uint64_t)seq[i] << 32 | seq[i + 1];
    if (adj_build(&succ, pair, n - 1, nw)) {
        vocab_free(&r);
        goto done;
    }
    for (size_t i = 0; i + 1 < n; i++)
        pair[i] = (uint64_t)seq[i + 1] << 32 | seq[i];
    if (adj_build(&pred, pair, n - 1, nw)) {
        vocab_free(&r);
        goto done;
    }
    coarse = malloc(nw * sizeof *coarse);
    fine = malloc(nw * sizeof *fine);
    if (!coarse || !fine ||
        cluster(&succ, &pred, r.count, nw, CC, F, iters, coarse, log) ||
        cluster(&succ, &pred, r.count, nw, CF, F, iters, fine, log)) {
        vocab_free(&r);
        goto done;
    }
    log_sample(log, &r, fine, nw);
    /* the table: every word seen min_count times, classes from 1 */
    okey = malloc(nw * sizeof *okey);
    oc = malloc(nw * sizeof *oc);
    of = malloc(nw * sizeof *of);
    if (!okey || !oc || !of) {
        vocab_free(&r);
        goto done;
    }
    size_t m = 0;
    for (size_t w = W_FIRST; w < nw; w++) {
        okey[m] = r.key[w];
        oc[m] = (uint16_t)(coarse[w] + 1);
        of[m] = (uint16_t)(fine[w] + 1);
        m++;
    }
    vocab_free(&r);
    size_t at = body->len;
    if (wc_write(body, okey, oc, of, m, (uint32_t)CC, (uint32_t)CF))
        goto done;
    rc = HS_OK;
    buf_printf(log, "clusters: %zu words in %zu bytes of table\n", m, body->len - at);
done:
    if (rc == HS_ENOMEM)
        buf_printf(log, "clusters: out of memory\n");
    vocab_free(&v);
    adj_free(&succ);
    adj_free(&pred);
    free(seq);
    free(order);
    free(rank);
    free(pair);
    free(F);
    free(coarse);
    free(fine);
    free(okey);
    free(oc);
    free(of);
    return rc;
}
