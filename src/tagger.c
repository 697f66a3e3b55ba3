/* tagger - averaged-perceptron POS tagger (see tagger.h). Model sections:
 * LABL tag names, TDIC the tag dictionary (sorted form hashes and their
 * tags), PERC the perceptron. Features look at a window of five tokens whose
 * string hashes are computed once per token, and at the two previous tags. */
#include "tagger.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "model.h"
#include "perceptron.h"

#define SEC_LABL MODEL_ID('L', 'A', 'B', 'L')
#define SEC_TDIC MODEL_ID('T', 'D', 'I', 'C')
#define SEC_PERC MODEL_ID('P', 'E', 'R', 'C')
#define MAX_TAGS 256
#define NFEAT 32

struct tagger {
    model m;
    pc_model pc;
    pc_tabs fast; /* the same weights packed for speed */
    unsigned ntags;
    const char *names[MAX_TAGS];
    const uint64_t *dict_keys;
    const uint16_t *dict_tags;
    size_t ndict;
};

/* String hashes of one token, inputs to the feature keys. */
typedef struct tokh {
    uint64_t form, lower, suf1, suf2, suf3, suf4, pre1, pre2, pre3, shape;
    unsigned flags;
} tokh;

enum { TF_HYPHEN = 1, TF_DIGIT = 2, TF_UPPER = 4, TF_ALLCAP = 8, TF_PERIOD = 16 };

static uint64_t h(const char *s, size_t n) { return fk_bytes(0xcbf29ce484222325ull, s, n); }

static void hash_token(const char *form, tokh *o)
{
    size_t n = strlen(form);
    char low[64], shape[16];
    size_t ln = n < sizeof low ? n : sizeof low;
    size_t sn = 0;
    char last = 0;
    int run = 0, letters = 0, uppers = 0;
    o->flags = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)form[i];
        char sc;
        if (c >= 'A' && c <= 'Z') {
            sc = 'X';
            uppers++;
            letters++;
        } else if (c >= 'a' && c <= 'z') {
            sc = 'x';
            letters++;
        } else if (c >= '0' && c <= '9') {
            sc = 'd';
            o->flags |= TF_DIGIT;
        } else if (c >= 0x80) {
            sc = 'x';
        } else {
            sc = (char)c;
            if (c == '-')
                o->flags |= TF_HYPHEN;
            if (c == '.')
                o->flags |= TF_PERIOD;
        }
        if (i < ln)
            low[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
        run = sc == last ? run + 1 : 0;
        last = sc;
        if (run < 2 && sn < sizeof shape)
            shape[sn++] = sc;
    }
    if (n && form[0] >= 'A' && form[0] <= 'Z')
        o->flags |= TF_UPPER;
    if (letters && uppers == letters)
        o->flags |= TF_ALLCAP;
    o->form = h(form, n);
    o->lower = h(low, ln);
    o->suf1 = h(low + (ln > 1 ? ln - 1 : 0), ln > 1 ? 1 : ln);
    o->suf2 = h(low + (ln > 2 ? ln - 2 : 0), ln > 2 ? 2 : ln);
    o->suf3 = h(low + (ln > 3 ? ln - 3 : 0), ln > 3 ? 3 : ln);
    o->suf4 = h(low + (ln > 4 ? ln - 4 : 0), ln > 4 ? 4 : ln);
    o->pre1 = h(low, ln > 1 ? 1 : ln);
    o->pre2 = h(low, ln > 2 ? 2 : ln);
    o->pre3 = h(low, ln > 3 ? 3 : ln);
    o->shape = h(shape, sn);
}

static const tokh boundary_start = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
static const tokh boundary_end = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0};

#define F1(t, a) f[k++] = fk_end(fk_num(fk_start(t), (a)))
#define F2(t, a, b) f[k++] = fk_end(fk_num(fk_num(fk_start(t), (a)), (b)))

/* Feature keys for the token w[2] of the window w[0..4] (two before, two
 * after), with previous tags p1 (i-1) and p2 (i-2). */
static size_t features(const tokh *const *w, unsigned p1, unsigned p2, int first, uint64_t *f)
{
    size_t k = 0;
    const tokh *c = w[2];
    F1(0, 0);
    F1(1, c->lower);
    F1(2, c->suf3);
    F1(3, c->pre1);
    F1(4, p1);
    F1(5, p2);
    F2(6, p1, p2);
    F2(7, p1, c->lower);
    F1(8, w[1]->lower);
    F1(9, w[1]->suf3);
    F1(10, w[0]->lower);
    F1(11, w[3]->lower);
    F1(12, w[3]->suf3);
    F1(13, w[4]->lower);
    F1(14, c->suf1);
    F1(15, c->suf2);
    F1(16, c->suf4);
    F1(17, c->pre2);
    F1(18, c->pre3);
    F1(19, c->shape);
    F1(20, w[3]->shape);
    F1(21, w[1]->shape);
    F1(22, c->form);
    F2(23, w[1]->lower, c->lower);
    F2(24, c->lower, w[3]->lower);
    F2(25, c->flags, (unsigned)first);
    F2(26, p1, w[3]->lower);
    F2(27, c->suf3, w[3]->shape);
    return k;
}

/* Sliding window over the sentence: tokens are hashed once each. */
typedef struct window {
    tokh ring[5];
    const tokh *w[5];
} window;

static void window_at(window *win, size_t n, const char *const *form, size_t i, int first)
{
    if (first) {
        for (int d = -2; d <= 2; d++) {
            long j = (long)i + d;
            if (j >= 0 && (size_t)j < n)
                hash_token(form[j], &win->ring[(size_t)j % 5]);
        }
    } else if (i + 2 < n) {
        hash_token(form[i + 2], &win->ring[(i + 2) % 5]);
    }
    for (int d = -2; d <= 2; d++) {
        long j = (long)i + d;
        win->w[d + 2] = j < 0 ? &boundary_start
                        : (size_t)j >= n ? &boundary_end
                                          : &win->ring[(size_t)j % 5];
    }
}

static long dict_find(const uint64_t *keys, size_t n, uint64_t k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (keys[mid] == k)
            return (long)mid;
        if (keys[mid] < k)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

void tagger_tag(const tagger *t, size_t n, const char *const *form, uint16_t *tags)
{
    window win;
    uint64_t f[NFEAT];
    float scores[MAX_TAGS];
    unsigned p1 = t->ntags, p2 = t->ntags + 1; /* start markers */
    for (size_t i = 0; i < n; i++) {
        window_at(&win, n, form, i, i == 0);
        long d = t->ndict ? dict_find(t->dict_keys, t->ndict, win.w[2]->form) : -1;
        unsigned tag;
        if (d >= 0) {
            tag = t->dict_tags[d];
        } else {
            size_t nf = features(win.w, p1, p2, i == 0, f);
            pc_tabs_score(&t->fast, f, nf, scores);
            tag = pc_argmax(scores, t->ntags, NULL);
        }
        tags[i] = (uint16_t)tag;
        p2 = p1;
        p1 = tag;
    }
}

const char *tagger_tag_name(const tagger *t, unsigned tag)
{
    return tag < t->ntags ? t->names[tag] : "_";
}

unsigned tagger_ntags(const tagger *t) { return t->ntags; }

void tagger_free(tagger *t)
{
    if (!t)
        return;
    model_free(&t->m);
    pc_tabs_free(&t->fast);
    free(t);
}

int tagger_load(tagger **out, const char *path, buf *err)
{
    *out = NULL;
    tagger *t = calloc(1, sizeof *t);
    if (!t) {
        buf_printf(err, "%s: out of memory", path);
        return HS_ENOMEM;
    }
    int rc = model_load(&t->m, path, MODEL_POS, err);
    if (rc) {
        free(t);
        return rc;
    }
    rc = HS_EMODEL;
    size_t ls, ds;
    const char *labl = model_section_get(&t->m, SEC_LABL, &ls);
    const unsigned char *tdic = model_section_get(&t->m, SEC_TDIC, &ds);
    if (!labl || !tdic || ds < 8) {
        buf_printf(err, "%s: POS model lacks a section", path);
        goto bad;
    }
    if (pc_section_open(&t->pc, &t->m, SEC_PERC, 0, path, "POS", err))
        goto bad;
    t->ntags = t->pc.nclass;
    if (t->ntags > MAX_TAGS || model_strings(labl, ls, t->names, t->ntags)) {
        buf_printf(err, "%s: POS model has a bad tag list", path);
        goto bad;
    }
    uint64_t nd;
    memcpy(&nd, tdic, 8);
    if (nd > (ds - 8) / 10) {
        buf_printf(err, "%s: POS tag dictionary is truncated", path);
        goto bad;
    }
    t->ndict = (size_t)nd;
    t->dict_keys = (const uint64_t *)(tdic + 8);
    t->dict_tags = (const uint16_t *)(tdic + 8 + 8 * t->ndict);
    for (size_t i = 0; i < t->ndict; i++)
        if (t->dict_tags[i] >= t->ntags || (i && t->dict_keys[i] <= t->dict_keys[i - 1])) {
            buf_printf(err, "%s: POS tag dictionary is corrupt at entry %zu", path, i);
            goto bad;
        }
    if (pc_tabs_build(&t->fast, &t->pc)) {
        buf_printf(err, "%s: out of memory", path);
        rc = HS_ENOMEM;
        goto bad;
    }
    *out = t;
    return HS_OK;
bad:
    tagger_free(t);
    return rc;
}

double tagger_accuracy(const tagger *t, const corpus *c)
{
    size_t right = 0, max = 0;
    for (size_t s = 0; s < c->nsent; s++)
        if (corpus_sent_len(c, s) > max)
            max = corpus_sent_len(c, s);
    const char **forms = malloc((max + 1) * sizeof *forms);
    uint16_t *tags = malloc((max + 1) * sizeof *tags);
    for (size_t s = 0; forms && tags && s < c->nsent; s++) {
        size_t n = corpus_sent_len(c, s);
        const corpus_tok *tok = c->tok + c->sent[s];
        for (size_t i = 0; i < n; i++)
            forms[i] = tok[i].form;
        tagger_tag(t, n, forms, tags);
        for (size_t i = 0; i < n; i++)
            right += !strcmp(tagger_tag_name(t, tags[i]), tok[i].pos);
    }
    free(forms);
    free(tags);
    return c->ntok ? (double)right / c->ntok : 0;
}

/* ---- training ------------------------------------------------------------ */

typedef struct tagset {
    const char *name[MAX_TAGS];
    size_t n;
} tagset;

static int tag_index(tagset *ts, const char *name)
{
    for (size_t i = 0; i < ts->n; i++)
        if (!strcmp(ts->name[i], name))
            return (int)i;
    if (ts->n == MAX_TAGS)
        return -1;
    ts->name[ts->n] = name;
    return (int)ts->n++;
}

typedef struct dict_entry {
    uint64_t key;
    uint32_t count[MAX_TAGS];
} dict_entry;

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Frequent words seen with one tag at least 97% of the time are tagged by
 * lookup: faster, and the perceptron can spend its weights on the rest. */
static int build_dict(const corpus *c, const uint16_t *gold, size_t ntags, buf *out)
{
    size_t cap = 1 << 18, mask = cap - 1, used = 0;
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint32_t *counts = calloc(cap * ntags, sizeof *counts);
    if (!keys || !counts) {
        free(keys);
        free(counts);
        return -1;
    }
    for (size_t i = 0; i < c->ntok && used < cap / 2; i++) {
        uint64_t k = h(c->tok[i].form, strlen(c->tok[i].form));
        size_t s = (size_t)k & mask;
        while (keys[s] && keys[s] != k)
            s = (s + 1) & mask;
        if (!keys[s]) {
            keys[s] = k;
            used++;
        }
        counts[s * ntags + gold[i]]++;
    }
    uint64_t *pairs = malloc(cap * 2 * sizeof *pairs);
    size_t np = 0;
    for (size_t s = 0; pairs && s < cap; s++) {
        if (!keys[s])
            continue;
        uint32_t tot = 0, best = 0, bt = 0;
        for (size_t t = 0; t < ntags; t++) {
            tot += counts[s * ntags + t];
            if (counts[s * ntags + t] > best) {
                best = counts[s * ntags + t];
                bt = (uint32_t)t;
            }
        }
        if (tot >= 20 && best >= 0.97 * tot) {
            pairs[2 * np] = keys[s];
            pairs[2 * np + 1] = bt;
            np++;
        }
    }
    if (pairs)
        qsort(pairs, np, 2 * sizeof *pairs, cmp_u64);
    uint64_t n64 = np;
    int rc = !pairs || buf_append(out, &n64, 8);
    for (size_t i = 0; i < np && !rc; i++)
        rc |= buf_append(out, &pairs[2 * i], 8);
    for (size_t i = 0; i < np && !rc; i++) {
        uint16_t tg = (uint16_t)pairs[2 * i + 1];
        rc |= buf_append(out, &tg, 2);
    }
    free(keys);
    free(counts);
    free(pairs);
    return rc ? -1 : 0;
}

int tagger_train(const corpus *train, const corpus *dev, const tagger_train_opts *opts,
                 const char *out_path, buf *log)
{
    tagger_train_opts o = {8, 1, 0.5f};
    if (opts) {
        o = *opts;
        if (o.epochs <= 0)
            o.epochs = 8;
    }
    tagset ts = {{0}, 0};
    buf sec[3] = {{0}, {0}, {0}};
    uint16_t *gold = malloc((train->ntok + 1) * sizeof *gold);
    size_t *order = malloc((train->nsent + 1) * sizeof *order);
    if (!gold || !order)
        goto oom;
    for (size_t i = 0; i < train->ntok; i++) {
        int t = tag_index(&ts, train->tok[i].pos);
        if (t < 0) {
            buf_printf(log, "too many POS tags (over %d)", MAX_TAGS);
            goto fail;
        }
        gold[i] = (uint16_t)t;
    }
    for (size_t i = 0; i < ts.n; i++)
        buf_append(&sec[0], ts.name[i], strlen(ts.name[i]) + 1);
    if (build_dict(train, gold, ts.n, &sec[1]))
        goto oom;
    tagger dict = {0};
    memcpy(&dict.ndict, sec[1].p, 8);
    dict.dict_keys = (const uint64_t *)(sec[1].p + 8);
    dict.dict_tags = (const uint16_t *)(sec[1].p + 8 + 8 * dict.ndict);

    pc_trainer *pt = pc_trainer_new((uint32_t)ts.n);
    if (!pt)
        goto oom;
    size_t max = 0;
    for (size_t s = 0; s < train->nsent; s++) {
        order[s] = s;
        if (corpus_sent_len(train, s) > max)
            max = corpus_sent_len(train, s);
    }
    const char **forms = malloc((max + 1) * sizeof *forms);
    float scores[MAX_TAGS];
    uint64_t f[NFEAT];
    unsigned long long rng = o.seed * 2862933555777941757ull + 3037000493ull;
    for (int ep = 0; forms && ep < o.epochs; ep++) {
        for (size_t s = train->nsent; s > 1; s--) { /* Fisher-Yates */
            rng = rng * 6364136223846793005ull + 1442695040888963407ull;
            size_t j = (size_t)((rng >> 33) % s), tmp = order[s - 1];
            order[s - 1] = order[j];
            order[j] = tmp;
        }
        size_t right = 0, seen = 0;
        for (size_t si = 0; si < train->nsent; si++) {
            size_t s = order[si], n = corpus_sent_len(train, s), base = train->sent[s];
            for (size_t i = 0; i < n; i++)
                forms[i] = train->tok[base + i].form;
            window win;
            unsigned p1 = (unsigned)ts.n, p2 = (unsigned)ts.n + 1;
            for (size_t i = 0; i < n; i++) {
                window_at(&win, n, forms, i, i == 0);
                unsigned truth = gold[base + i], guess;
                long d = dict_find(dict.dict_keys, dict.ndict, win.w[2]->form);
                if (d >= 0) {
                    guess = dict.dict_tags[d];
                } else {
                    size_t nf = features(win.w, p1, p2, i == 0, f);
                    pc_trainer_score(pt, f, nf, scores);
                    guess = pc_argmax(scores, (uint32_t)ts.n, NULL);
                    if (pc_trainer_update(pt, f, nf, truth, guess))
                        goto oom_pt;
                }
                pc_trainer_tick(pt);
                right += guess == truth;
                seen++;
                p2 = p1;
                p1 = guess;
            }
        }
        buf_printf(log, "epoch %d: train accuracy %.4f, %zu features\n", ep + 1,
                   seen ? (double)right / seen : 0, pc_trainer_nfeatures(pt));
    }
    if (!forms || pc_trainer_export(pt, &sec[2], o.prune))
        goto oom_pt;
    uint32_t ids[3] = {SEC_LABL, SEC_TDIC, SEC_PERC};
    int rc = model_write(out_path, MODEL_POS, ids, sec, 3, log);
    free(forms);
    pc_trainer_free(pt);
    for (int i = 0; i < 3; i++)
        buf_free(&sec[i]);
    free(gold);
    free(order);
    if (rc)
        return -1;
    if (dev) {
        tagger *t;
        if (tagger_load(&t, out_path, log))
            return -1;
        buf_printf(log, "dev accuracy %.4f (%zu tokens)\n", tagger_accuracy(t, dev), dev->ntok);
        tagger_free(t);
    }
    return 0;
oom_pt:
    free(forms);
    pc_trainer_free(pt);
oom:
    buf_printf(log, "out of memory while training the POS tagger");
fail:
    for (int i = 0; i < 3; i++)
        buf_free(&sec[i]);
    free(gold);
    free(order);
    return -1;
}

/* ---- the POS stage -------------------------------------------------------- */

int tagger_run(hs_doc *d, const tagger *t)
{
    if (vec_reserve((void **)&d->pos, &d->cappos, d->ntok, sizeof *d->pos) ||
        vec_reserve((void **)&d->posname, &d->capposname, d->ntok, sizeof *d->posname))
        return HS_ENOMEM;
    for (size_t s = 0; s < d->nsent; s++) {
        const hs_sentence *se = &d->sent[s];
        tagger_tag(t, se->tok_end - se->tok_begin, d->form + se->tok_begin,
                   d->pos + se->tok_begin);
    }
    for (size_t k = 0; k < d->ntok; k++)
        d->posname[k] = tagger_tag_name(t, d->pos[k]);
    d->has_pos = 1;
    return HS_OK;
}
