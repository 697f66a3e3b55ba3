/* train_pos - the POS tagger's trainer (see train_pos.h): greedy decoding
 * with the current weights, one perceptron update per token the tag
 * dictionary leaves to it, model sections LABL, TDIC and PERC written as
 * src/tagger.c loads them. It shares the features with the tagger through
 * src/tagger_int.h and does not tag with anything but them. */
#include "train_pos.h"

#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "perceptron.h"
#include "tagger_int.h"

int tagger_accuracy(const tagger *t, const corpus *c, double *acc)
{
    size_t right = 0, max = 0;
    for (size_t s = 0; s < c->nsent; s++)
        if (corpus_sent_len(c, s) > max)
            max = corpus_sent_len(c, s);
    const char **forms = malloc((max + 1) * sizeof *forms);
    uint16_t *tags = malloc((max + 1) * sizeof *tags);
    int rc = forms && tags ? HS_OK : HS_ENOMEM;
    for (size_t s = 0; !rc && s < c->nsent; s++) {
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
    *acc = !rc && c->ntok ? (double)right / c->ntok : 0;
    return rc;
}

typedef struct tagset {
    const char *name[TAGGER_MAX_TAGS];
    size_t n;
} tagset;

/* Index of the tag name, added when new; -1 when the set is full. */
static int tag_index(tagset *ts, const char *name)
{
    for (size_t i = 0; i < ts->n; i++)
        if (!strcmp(ts->name[i], name))
            return (int)i;
    if (ts->n == TAGGER_MAX_TAGS)
        return -1;
    ts->name[ts->n] = name;
    return (int)ts->n++;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Frequent words seen with one tag at least 97% of the time are tagged by
 * lookup: faster, and the perceptron can spend its weights on the rest.
 * Appends the TDIC section to out: HS_OK or HS_ENOMEM. */
static int build_dict(const corpus *c, const uint16_t *gold, size_t ntags, buf *out)
{
    size_t cap = 1 << 18, mask = cap - 1, used = 0;
    uint64_t *keys = calloc(cap, sizeof *keys);
    uint32_t *counts = calloc(cap * ntags, sizeof *counts);
    if (!keys || !counts) {
        free(keys);
        free(counts);
        return HS_ENOMEM;
    }
    for (size_t i = 0; i < c->ntok && used < cap / 2; i++) {
        uint64_t k = tagger_hash(c->tok[i].form, strlen(c->tok[i].form));
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
    int rc = pairs ? buf_append(out, &n64, 8) : HS_ENOMEM;
    for (size_t i = 0; i < np && !rc; i++)
        rc = buf_append(out, &pairs[2 * i], 8);
    for (size_t i = 0; i < np && !rc; i++) {
        uint16_t tg = (uint16_t)pairs[2 * i + 1];
        rc = buf_append(out, &tg, 2);
    }
    free(keys);
    free(counts);
    free(pairs);
    return rc;
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
    pc_trainer *pt = NULL;
    const char **forms = NULL;
    int rc = HS_ENOMEM;
    if (!gold || !order)
        goto oom;
    for (size_t i = 0; i < train->ntok; i++) {
        int t = tag_index(&ts, train->tok[i].pos);
        if (t < 0) {
            buf_printf(log, "too many POS tags (over %d)", TAGGER_MAX_TAGS);
            rc = HS_EFORMAT;
            goto done;
        }
        gold[i] = (uint16_t)t;
    }
    for (size_t i = 0; i < ts.n; i++)
        if (buf_append(&sec[0], ts.name[i], strlen(ts.name[i]) + 1))
            goto oom;
    if (build_dict(train, gold, ts.n, &sec[1]))
        goto oom;
    uint64_t nd;
    memcpy(&nd, sec[1].p, 8);
    size_t ndict = (size_t)nd;
    const uint64_t *dict_keys = (const uint64_t *)(sec[1].p + 8);
    const uint16_t *dict_tags = (const uint16_t *)(sec[1].p + 8 + 8 * ndict);

    if (!(pt = pc_trainer_new((uint32_t)ts.n)))
        goto oom;
    size_t max = 0;
    for (size_t s = 0; s < train->nsent; s++) {
        order[s] = s;
        if (corpus_sent_len(train, s) > max)
            max = corpus_sent_len(train, s);
    }
    if (!(forms = malloc((max + 1) * sizeof *forms)))
        goto oom;
    float scores[TAGGER_MAX_TAGS];
    uint64_t f[TAGGER_NFEAT];
    unsigned long long rng = o.seed * 2862933555777941757ull + 3037000493ull;
    for (int ep = 0; ep < o.epochs; ep++) {
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
            tagger_window win;
            unsigned p1 = (unsigned)ts.n, p2 = (unsigned)ts.n + 1;
            for (size_t i = 0; i < n; i++) {
                tagger_window_at(&win, n, forms, i, i == 0);
                unsigned truth = gold[base + i], guess;
                long d = tagger_dict_find(dict_keys, ndict, win.w[2]->form);
                if (d >= 0) {
                    guess = dict_tags[d];
                } else {
                    size_t nf = tagger_features(win.w, p1, p2, i == 0, f);
                    pc_trainer_score(pt, f, nf, scores);
                    guess = pc_argmax(scores, (uint32_t)ts.n, NULL);
                    if (pc_trainer_update(pt, f, nf, truth, guess))
                        goto oom;
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
    if (pc_trainer_export(pt, &sec[2], o.prune))
        goto oom;
    uint32_t ids[3] = {TAGGER_SEC_LABL, TAGGER_SEC_TDIC, TAGGER_SEC_PERC};
    if ((rc = model_write(out_path, MODEL_POS, ids, sec, 3, log)))
        goto done;
    if (dev) {
        tagger *t;
        double acc;
        if ((rc = tagger_load(&t, out_path, log)))
            goto done;
        rc = tagger_accuracy(t, dev, &acc);
        tagger_free(t);
        if (rc)
            goto oom;
        buf_printf(log, "dev accuracy %.4f (%zu tokens)\n", acc, dev->ntok);
    }
    rc = HS_OK;
    goto done;
oom:
    buf_printf(log, "out of memory while training the POS tagger");
    rc = HS_ENOMEM;
done:
    free(forms);
    pc_trainer_free(pt);
    for (int i = 0; i < 3; i++)
        buf_free(&sec[i]);
    free(gold);
    free(order);
    return rc;
}
