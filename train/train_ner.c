/* train_ner - the entity tagger's trainer (see train_ner.h): shuffled
 * epochs over several corpora, perceptron updates of the emission weights
 * and averaged transition weights kept in step with them, the model file
 * src/ner.c loads; and the exact-span scores. It shares the features and
 * the Viterbi decoder with the tagger through src/ner_int.h; scoring with
 * a loaded model is the tagger's, scoring with training weights its own. */
#include "train_ner.h"

#include <stdlib.h>
#include <string.h>

#include "gazetteer.h"
#include "model.h"
#include "ner_int.h"
#include "perceptron.h"

/* ---- spans and scores ---------------------------------------------------- */

static unsigned coarse_type(uint8_t tag)
{
    unsigned t = ner_tag_type(tag);
    return t == NER_OUTLET ? NER_ORG : t;
}

/* Calls back nothing: fills starts/ends/types of the spans of tags, the way
 * tools/eval_tags.py reads them (I after O starts a span). Returns count. */
static size_t spans(const uint8_t *tags, size_t n, uint32_t *st, uint32_t *en, uint8_t *ty)
{
    size_t k = 0;
    long start = -1;
    unsigned cur = 0;
    for (size_t i = 0; i <= n; i++) {
        uint8_t t = i < n ? tags[i] : 0;
        unsigned y = coarse_type(t);
        if (start >= 0 && (!t || ner_tag_is_begin(t) || y != cur)) {
            st[k] = (uint32_t)start, en[k] = (uint32_t)i, ty[k++] = (uint8_t)cur;
            start = -1;
        }
        if (t && start < 0)
            start = (long)i, cur = y;
    }
    return k;
}

void ner_count_spans(ner_counts *c, const uint8_t *gold, const uint8_t *pred, size_t n)
{
    enum { CH = 256 };
    uint32_t gs[CH], ge[CH], ps[CH], pe[CH];
    uint8_t gt[CH], pt[CH];
    /* count in pieces cut at positions where both are O, to bound memory */
    size_t a = 0;
    while (a < n) {
        size_t b = a, lim = a + CH;
        while (b < n && b < lim)
            b++;
        while (b < n && b > a + 1 && (gold[b] || pred[b]))
            b--;
        if (b < n && (gold[b] || pred[b]))
            b = lim < n ? lim : n; /* no clean cut: accept a split span */
        size_t ng = spans(gold + a, b - a, gs, ge, gt), np = spans(pred + a, b - a, ps, pe, pt);
        for (size_t i = 0; i < ng; i++)
            c->gold[gt[i]]++, c->gold[0]++;
        for (size_t j = 0; j < np; j++)
            c->pred[pt[j]]++, c->pred[0]++;
        for (size_t i = 0, j = 0; i < ng && j < np;) {
            if (gs[i] == ps[j] && ge[i] == pe[j] && gt[i] == pt[j])
                c->tp[gt[i]]++, c->tp[0]++, i++, j++;
            else if (gs[i] < ps[j] || (gs[i] == ps[j] && ge[i] < pe[j]))
                i++;
            else
                j++;
        }
        a = b;
    }
}

double ner_f1(const ner_counts *c, unsigned type)
{
    if (type >= NER_NTYPES || !c->gold[type] || !c->pred[type] || !c->tp[type])
        return 0;
    double p = (double)c->tp[type] / (double)c->pred[type];
    double r = (double)c->tp[type] / (double)c->gold[type];
    return 2 * p * r / (p + r);
}

/* ---- training ------------------------------------------------------------- */
/* One training sentence: which corpus, which sentence. */
typedef struct sref {
    uint32_t set, idx;
} sref;

/* Averaged transition weights, kept in step with the perceptron's clock. */
typedef struct trans_avg {
    float w[NER_NC + 1][NER_NC];
    double acc[NER_NC + 1][NER_NC];
    uint32_t ts[NER_NC + 1][NER_NC];
} trans_avg;

static void trans_bump(trans_avg *t, uint32_t now, unsigned p, unsigned c, float d)
{
    t->acc[p][c] += (double)(now - t->ts[p][c]) * t->w[p][c];
    t->ts[p][c] = now;
    t->w[p][c] += d;
}

static uint64_t rng_next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Sentence views: forms, POS and gold tag ids of corpus c sentence i. */
typedef struct sview {
    const char **form, **pos;
    uint8_t *gold;
    size_t cap;
} sview;

/* Points v's n forms at copies of them kept in low, to be rewritten:
 * HS_OK or HS_ENOMEM. */
static int copy_forms(sview *v, size_t n, buf *low)
{
    buf_clear(low);
    for (size_t j = 0; j < n; j++)
        if (buf_append(low, v->form[j], strlen(v->form[j]) + 1))
            return HS_ENOMEM;
    char *p = low->p;
    for (size_t j = 0; j < n; j++) {
        v->form[j] = p;
        p += strlen(p) + 1;
    }
    return HS_OK;
}

/* Replaces v's forms by ASCII-lowercased copies kept in low: HS_OK or
 * HS_ENOMEM. */
static int lowercase_view(sview *v, size_t n, buf *low)
{
    if (copy_forms(v, n, low))
        return HS_ENOMEM;
    for (size_t j = 0; j < n; j++)
        for (char *p = (char *)v->form[j]; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p + 32);
    return HS_OK;
}

/* Replaces v's forms by headline-style copies kept in low (every word of
 * letters gets an upper-case initial except a few short function words),
 * as titles are written: HS_OK or HS_ENOMEM. */
static int titlecase_view(sview *v, size_t n, buf *low)
{
    static const char *const small[] = {"a", "an", "the", "of", "to", "in", "on", "and",
                                        "or", "for", "at", "by", "as"};
    if (copy_forms(v, n, low))
        return HS_ENOMEM;
    for (size_t j = 0; j < n; j++) {
        char *p = (char *)v->form[j];
        int keep = 0;
        for (size_t k = 0; k < sizeof small / sizeof *small; k++)
            keep |= j > 0 && !strcmp(p, small[k]);
        if (!keep && *p >= 'a' && *p <= 'z')
            *p = (char)(*p - 32);
    }
    return HS_OK;
}

/* Sentence i of c into v; *n its length, *haspos 0 when a token has no POS.
 * HS_OK or HS_ENOMEM. */
static int view(sview *v, const corpus *c, size_t i, size_t *n, int *haspos)
{
    size_t a = c->sent[i], len = corpus_sent_len(c, i);
    if (len > v->cap) {
        size_t cap = len * 2;
        const char **f = realloc(v->form, cap * sizeof *f);
        if (f)
            v->form = f;
        const char **p = realloc(v->pos, cap * sizeof *p);
        if (p)
            v->pos = p;
        uint8_t *g = realloc(v->gold, cap);
        if (g)
            v->gold = g;
        if (!f || !p || !g)
            return HS_ENOMEM;
        v->cap = cap;
    }
    *haspos = 1;
    for (size_t j = 0; j < len; j++) {
        const corpus_tok *t = &c->tok[a + j];
        v->form[j] = t->form;
        v->pos[j] = t->pos;
        if (!strcmp(t->pos, "_"))
            *haspos = 0;
        int g = ner_tag_parse(t->ner);
        v->gold[j] = (uint8_t)(g > 0 && g < NER_NC ? g : 0);
        if (v->gold[j] && !ner_tag_is_begin(v->gold[j]) &&
            !ner_allowed(j ? v->gold[j - 1] : 0, v->gold[j]))
            v->gold[j]--; /* I after O: make it B */
    }
    *n = len;
    return HS_OK;
}

/* ---- the derived gazetteer ------------------------------------------------ */
/* Lists of the entity phrases of the training data, jackknifed: the
 * sentences fall in DG_FOLDS contiguous folds (runs of whole articles,
 * mostly), and sentences of fold k see the lists built from the other
 * folds, so that the weights learn how far a listed name is to be trusted
 * on text whose names were not in the lists. The model carries the lists of
 * all folds. */
#define DG_FOLDS 4

typedef struct dg_entry {
    uint64_t key, tok[GAZ_MAXLEN];
    uint32_t cnt[DG_FOLDS][DG_NCAT];
    uint8_t len;
} dg_entry;

typedef struct dg_count {
    dg_entry *e;
    size_t n, cap; /* cap a power of two, at most half full */
} dg_count;

static unsigned dg_fold(const corpus *c, size_t idx)
{
    return (unsigned)((uint64_t)idx * DG_FOLDS / (c->nsent ? c->nsent : 1));
}

static int dg_bump(dg_count *d, const uint64_t *tok, size_t len, unsigned fold, unsigned cat)
{
    if (2 * (d->n + 1) > d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 4096;
        dg_entry *e = calloc(cap, sizeof *e);
        if (!e)
            return HS_ENOMEM;
        for (size_t i = 0; i < d->cap; i++)
            if (d->e[i].key) {
                size_t j = d->e[i].key & (cap - 1);
                while (e[j].key)
                    j = (j + 1) & (cap - 1);
                e[j] = d->e[i];
            }
        free(d->e);
        d->e = e, d->cap = cap;
    }
    uint64_t k = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++)
        k = (k ^ tok[i]) * 0x100000001b3ull, k ^= k >> 31;
    k = k ? k : 1;
    size_t j = k & (d->cap - 1);
    while (d->e[j].key && d->e[j].key != k)
        j = (j + 1) & (d->cap - 1);
    dg_entry *e = &d->e[j];
    if (!e->key) {
        e->key = k, e->len = (uint8_t)len, d->n++;
        memcpy(e->tok, tok, len * sizeof *tok);
    }
    e->cnt[fold][cat]++;
    return HS_OK;
}

/* Counts the gold entity phrases of every training sentence. */
static int dg_collect(dg_count *d, const corpus *const *sets, size_t nsets)
{
    uint64_t h[GAZ_MAXLEN];
    for (size_t k = 0; k < nsets; k++) {
        const corpus *c = sets[k];
        for (size_t i = 0; i < c->nsent; i++) {
            const corpus_tok *t = c->tok + c->sent[i];
            size_t n = corpus_sent_len(c, i);
            unsigned fold = dg_fold(c, i);
            for (size_t a = 0; a < n;) {
                int g = ner_tag_parse(t[a].ner);
                unsigned ty = g > 0 && g < NER_NC ? ner_tag_type((uint8_t)g) : 0;
                if (!ty) {
                    a++;
                    continue;
                }
                size_t b = a + 1;
                for (; b < n; b++) {
                    int x = ner_tag_parse(t[b].ner);
                    if (x <= 0 || x >= NER_NC || ner_tag_is_begin((uint8_t)x) ||
                        ner_tag_type((uint8_t)x) != ty)
                        break;
                }
                size_t len = b - a;
                if (len <= GAZ_MAXLEN) {
                    for (size_t j = 0; j < len; j++)
                        h[j] = gaz_token_hash(t[a + j].form, strlen(t[a + j].form));
                    if (dg_bump(d, h, len, fold, ty - NER_PER))
                        return HS_ENOMEM;
                    static const int first[] = {DG_PFIRST, -1, -1, -1};
                    static const int last[] = {DG_PLAST, DG_OLAST, DG_LLAST, -1};
                    if (len > 1 && first[ty - NER_PER] >= 0 &&
                        dg_bump(d, h, 1, fold, (unsigned)first[ty - NER_PER]))
                        return HS_ENOMEM;
                    if (len > 1 && last[ty - NER_PER] >= 0 &&
                        dg_bump(d, h + len - 1, 1, fold, (unsigned)last[ty - NER_PER]))
                        return HS_ENOMEM;
                }
                a = b;
            }
        }
    }
    return HS_OK;
}

/* The lists without fold skip (DG_FOLDS: with every fold) into g: a whole
 * phrase is listed under a type seen at least min times and at least half
 * of its entity occurrences, a name part when seen min times. */
static int dg_build(const dg_count *d, unsigned skip, unsigned min, gaz *g)
{
    size_t nkeys = 0;
    for (int pass = 0; pass < 2; pass++) {
        if (pass && gaz_empty(g, nkeys))
            return HS_ENOMEM;
        for (size_t i = 0; i < d->cap; i++) {
            const dg_entry *e = &d->e[i];
            if (!e->key)
                continue;
            uint32_t n[DG_NCAT] = {0}, whole = 0;
            for (unsigned f = 0; f < DG_FOLDS; f++)
                for (unsigned c = 0; f != skip && c < DG_NCAT; c++)
                    n[c] += e->cnt[f][c];
            for (unsigned c = 0; c <= DG_MISC; c++)
                whole += n[c];
            for (unsigned c = 0; c < DG_NCAT; c++) {
                if (n[c] < min || (c <= DG_MISC && 2 * n[c] < whole))
                    continue;
                if (pass)
                    gaz_add(g, e->tok, e->len, c);
                else
                    nkeys += e->len;
            }
        }
    }
    return HS_OK;
}

typedef struct trainer {
    pc_trainer *pc;
    trans_avg *ta;
    gaz g, dg[DG_FOLDS + 1];
    wclass wc;
    ner_lex lx;
    ner_scratch *s;
    unsigned flags;
    uint32_t now;
    size_t seen, correct;
    uint8_t *pred;
    size_t predcap;
} trainer;

/* Scores of the window's nt tokens (static features) with the current
 * weights into s->sc. */
static void score_window(const pc_trainer *pc, ner_scratch *s, size_t nt)
{
    for (size_t k = 0; k < nt; k++)
        pc_trainer_score(pc, s->f + k * NER_MAXF, s->nf[k], s->sc + k * NER_NC);
}

/* One pass over a sentence: decode with the current weights and update
 * them where the decoding is wrong. HS_OK or HS_ENOMEM. */
static int train_sentence(trainer *T, size_t n, const char *const *form, const char *const *pos,
                          const uint8_t *gold)
{
    ner_scratch *s = T->s;
    unsigned scase = ner_sentence_case(n, form);
    int usepos = (T->flags & NER_FL_POS) && pos;
    uint8_t *out = T->pred;
    for (size_t a = 0; a < n; a += NER_WIN) {
        size_t b = a + NER_WIN < n ? a + NER_WIN : n, nt = b - a;
        size_t lo = ner_window_feats(&T->lx, s, n, form, pos, a, b, scase, usepos);
        if (T->flags & NER_FL_GREEDY) {
            for (size_t i = a; i < b; i++) {
                uint8_t p1 = i ? out[i - 1] : NER_NC, p2 = i > 1 ? out[i - 2] : NER_NC;
                uint64_t *f = s->f + (i - a) * NER_MAXF;
                size_t nf = s->nf[i - a];
                nf += ner_tag_feats(&s->t[i - lo], i, n, p1, p2, f + nf);
                float sc[NER_NC];
                pc_trainer_score(T->pc, f, nf, sc);
                out[i] = ner_best_allowed(sc, p1 == NER_NC ? 0 : p1);
                if (pc_trainer_update(T->pc, f, nf, gold[i], out[i]))
                    return HS_ENOMEM;
                pc_trainer_tick(T->pc);
                T->seen++, T->correct += out[i] == gold[i];
            }
            continue;
        }
        score_window(T->pc, s, nt);
        uint8_t prev = a ? out[a - 1] : NER_NC;
        uint8_t gprev = a ? gold[a - 1] : NER_NC;
        float tr[NER_NC + 1][NER_NC];
        memcpy(tr, T->ta->w, sizeof tr);
        ner_viterbi(s, nt, (const float(*)[NER_NC])tr, prev, out + a);
        for (size_t i = a; i < b; i++) {
            uint8_t pp = i > a ? out[i - 1] : prev, gp = i > a ? gold[i - 1] : gprev;
            T->seen++, T->correct += out[i] == gold[i];
            if (out[i] != gold[i] &&
                pc_trainer_update(T->pc, s->f + (i - a) * NER_MAXF, s->nf[i - a], gold[i],
                                  out[i]))
                return HS_ENOMEM;
            if (out[i] != gold[i] || pp != gp) {
                trans_bump(T->ta, T->now, gp, gold[i], 1);
                trans_bump(T->ta, T->now, pp, out[i], -1);
            }
        }
        pc_trainer_tick(T->pc);
        T->now++;
    }
    return HS_OK;
}

/* Decodes one sentence into out with the current (unaveraged) weights, as
 * the tagger decodes with a model's. */
static void decode_unaveraged(trainer *T, size_t n, const char *const *form,
                              const char *const *pos, uint8_t *out)
{
    ner_scratch *s = T->s;
    const float(*tr)[NER_NC] = (const float(*)[NER_NC])T->ta->w;
    unsigned scase = ner_sentence_case(n, form);
    int usepos = (T->flags & NER_FL_POS) && pos;
    uint8_t prev = NER_NC;
    for (size_t a = 0; a < n; a += NER_WIN) {
        size_t b = a + NER_WIN < n ? a + NER_WIN : n, nt = b - a;
        size_t lo = ner_window_feats(&T->lx, s, n, form, pos, a, b, scase, usepos);
        score_window(T->pc, s, nt);
        if (!(T->flags & NER_FL_GREEDY)) {
            ner_viterbi(s, nt, tr, prev, out + a);
            prev = out[b - 1];
            continue;
        }
        for (size_t i = a; i < b; i++) {
            uint8_t p1 = i ? out[i - 1] : NER_NC, p2 = i > 1 ? out[i - 2] : NER_NC;
            uint64_t f[8];
            float d[NER_NC], *sc = s->sc + (i - a) * NER_NC;
            size_t nf = ner_tag_feats(&s->t[i - lo], i, n, p1, p2, f);
            pc_trainer_score(T->pc, f, nf, d);
            for (unsigned c = 0; c < NER_NC; c++)
                sc[c] += d[c];
            out[i] = ner_best_allowed(sc, p1 == NER_NC ? 0 : p1);
        }
    }
}

/* Span counts on dev with the current weights: HS_OK or HS_ENOMEM. */
static int dev_eval(trainer *T, const corpus *dev, sview *v, ner_counts *c)
{
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < dev->nsent; i++) {
        size_t n;
        int haspos;
        if (view(v, dev, i, &n, &haspos))
            return HS_ENOMEM;
        if (n > T->predcap)
            continue; /* cannot be: predcap covers dev */
        T->lx.derived = &T->dg[DG_FOLDS];
        decode_unaveraged(T, n, v->form, haspos ? v->pos : NULL, T->pred);
        ner_count_spans(c, v->gold, T->pred, n);
    }
    return HS_OK;
}

static int pad8(buf *b)
{
    static const char z[8] = {0};
    return b->len % 8 ? buf_append(b, z, 8 - b->len % 8) : HS_OK;
}

int ner_train(const corpus *const *train_sets, size_t nsets, const corpus *dev,
              const ner_train_opts *opts, const char *out_path, buf *log)
{
    ner_train_opts o = opts ? *opts : (ner_train_opts){0};
    unsigned epochs = o.epochs ? o.epochs : 12;
    float prune = o.prune > 0 ? o.prune : 1.0f;
    buf dummy = {0}, *lg = log ? log : &dummy;
    trainer T = {0};
    T.flags = (o.greedy ? NER_FL_GREEDY : 0) | (o.pos ? NER_FL_POS : 0);
    sview v = {0};
    buf low = {0};
    sref *order = NULL;
    size_t nsent = 0, maxlen = 1;
    int rc = HS_ENOMEM;
    for (size_t k = 0; k < nsets; k++) {
        nsent += train_sets[k]->nsent;
        for (size_t i = 0; i < train_sets[k]->nsent; i++)
            if (corpus_sent_len(train_sets[k], i) > maxlen)
                maxlen = corpus_sent_len(train_sets[k], i);
    }
    if (dev)
        for (size_t i = 0; i < dev->nsent; i++)
            if (corpus_sent_len(dev, i) > maxlen)
                maxlen = corpus_sent_len(dev, i);
    order = malloc((nsent ? nsent : 1) * sizeof *order);
    T.pc = pc_trainer_new(NER_NC);
    T.ta = calloc(1, sizeof *T.ta);
    T.s = ner_scratch_new();
    T.pred = malloc(maxlen);
    T.predcap = maxlen;
    if (!order || !T.pc || !T.ta || !T.s || !T.pred || gaz_init(&T.g)) {
        buf_printf(lg, "ner_train: out of memory\n");
        goto done;
    }
    if (o.classes) {
        if (wc_view(&T.wc, o.classes, o.classes_len, "word classes", lg)) {
            rc = HS_EIO;
            goto done;
        }
        T.flags |= NER_FL_WC;
    }
    T.lx = (ner_lex){&T.g, &T.dg[DG_FOLDS], &T.wc};
    if (!o.no_derived) {
        dg_count dc = {0};
        int drc = dg_collect(&dc, train_sets, nsets);
        for (unsigned f = 0; !drc && f <= DG_FOLDS; f++)
            drc = dg_build(&dc, f, o.dg_min ? o.dg_min : 1, &T.dg[f]);
        if (!drc)
            buf_printf(lg, "ner: derived gazetteer of %zu phrases\n", dc.n);
        free(dc.e);
        if (drc) {
            buf_printf(lg, "ner_train: out of memory\n");
            goto done;
        }
        T.flags |= NER_FL_DGAZ;
    }
    nsent = 0;
    for (size_t k = 0; k < nsets; k++)
        for (size_t i = 0; i < train_sets[k]->nsent; i++)
            order[nsent++] = (sref){(uint32_t)k, (uint32_t)i};
    uint64_t rng = 0x9E3779B97F4A7C15ull ^ (o.seed ? o.seed : 1);
    for (unsigned ep = 0; ep < epochs; ep++) {
        for (size_t i = nsent; i > 1; i--) {
            size_t j = (size_t)(rng_next(&rng) % i);
            sref t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        T.seen = T.correct = 0;
        for (size_t i = 0; i < nsent; i++) {
            size_t n;
            int haspos;
            const corpus *c = train_sets[order[i].set];
            T.lx.derived = &T.dg[dg_fold(c, order[i].idx)];
            if (view(&v, c, order[i].idx, &n, &haspos) ||
                (o.lowercase > 0 &&
                 (double)(rng_next(&rng) % 1000000) < o.lowercase * 1e6 &&
                 lowercase_view(&v, n, &low)) ||
                (o.titlecase > 0 &&
                 (double)(rng_next(&rng) % 1000000) < o.titlecase * 1e6 &&
                 titlecase_view(&v, n, &low)) ||
                train_sentence(&T, n, v.form, haspos ? v.pos : NULL, v.gold)) {
                buf_printf(lg, "ner_train: out of memory\n");
                goto done;
            }
        }
        if (!o.quiet) {
            buf_printf(lg, "epoch %u: token accuracy %.4f, %zu features", ep + 1,
                       T.seen ? (double)T.correct / (double)T.seen : 0.0,
                       pc_trainer_nfeatures(T.pc));
            if (dev) {
                ner_counts c;
                if (dev_eval(&T, dev, &v, &c)) {
                    buf_printf(lg, "\nner_train: out of memory\n");
                    goto done;
                }
                buf_printf(lg, ", dev F1 (unaveraged) %.4f", ner_f1(&c, 0));
            }
            buf_printf(lg, "\n");
        }
    }
    /* export: config, averaged perceptron, averaged transitions */
    buf sec[5] = {{0}, {0}, {0}, {0}, {0}};
    uint32_t conf[4] = {NER_MAGIC, T.flags, NER_NC, NER_FEAT_VERSION};
    float tr[NER_NC + 1][NER_NC];
    for (unsigned p = 0; p <= NER_NC; p++)
        for (unsigned c = 0; c < NER_NC; c++) {
            double a = T.ta->acc[p][c] + (double)(T.now - T.ta->ts[p][c]) * T.ta->w[p][c];
            tr[p][c] = T.now ? (float)(a / T.now) : 0;
        }
    uint32_t ids[5] = {NER_SEC_CONF, NER_SEC_W, NER_SEC_T};
    size_t nsec = 3, wlen = o.classes_len;
    const void *wsec = o.classes;
    int bad = buf_append(&sec[0], conf, sizeof conf) || pad8(&sec[0]) ||
              pc_trainer_export(T.pc, &sec[1], prune) || buf_append(&sec[2], tr, sizeof tr);
    if (!bad && wsec)
        ids[nsec] = WC_SECTION, bad = buf_append(&sec[nsec++], wsec, wlen);
    if (!bad && (T.flags & NER_FL_DGAZ))
        ids[nsec] = NER_SEC_G, bad = gaz_write(&T.dg[DG_FOLDS], &sec[nsec++]);
    if (bad)
        buf_printf(lg, "ner_train: out of memory\n");
    else
        rc = model_write(out_path, MODEL_NER, ids, sec, nsec, lg);
    for (int i = 0; i < 5; i++)
        buf_free(&sec[i]);
done:
    pc_trainer_free(T.pc);
    free(T.ta);
    ner_scratch_free(T.s);
    free(T.pred);
    gaz_free(&T.g);
    for (unsigned f = 0; f <= DG_FOLDS; f++)
        gaz_free(&T.dg[f]);
    free(v.form);
    free(v.pos);
    free(v.gold);
    free(order);
    buf_free(&low);
    buf_free(&dummy);
    return rc;
}

