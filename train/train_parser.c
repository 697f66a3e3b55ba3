/* train_parser - the dependency parser's trainer (see train_parser.h): the
 * training data in the parser's terms, the dynamic oracle of arc-hybrid,
 * the count filter, the perceptron updates of transitions and labels, the
 * pruning to a size, and the model file src/parser.c loads. It shares the
 * transition system and features with the parser through src/parser_int.h;
 * it does not tag (the POS tags to learn from come from a callback). */
#include "train_parser.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "model.h"
#include "parser_int.h"
#include "perceptron.h"

/* Training data in the parser's terms, sentence i at tok[off[i] .. off[i+1]). */
typedef struct tdata {
    size_t nsent, ntok;
    const uint32_t *off;
    uint64_t *w, *p, *wp, *x;
    int32_t *head;    /* gold head per token */
    uint16_t *label;  /* gold label per token */
} tdata;

typedef struct labels {
    const char *name[PARSER_MAX_LABELS];
    uint32_t n;
} labels;

/* Index of label s; with add, a new one is added. -1 when it is unknown
 * (or the table is full). */
static int label_index(labels *L, const char *s, int add)
{
    for (uint32_t i = 0; i < L->n; i++)
        if (!strcmp(L->name[i], s))
            return (int)i;
    if (!add || L->n == PARSER_MAX_LABELS)
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

/* The hashes, gold heads and label ids of c (labels added to L with add);
 * the POS from posfn when not NULL. HS_OK, HS_ENOMEM or posfn's code. */
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
            int rc = posfn(ctx, c, s, tags);
            if (rc) {
                buf_printf(log, "parser: the POS callback failed on sentence %zu\n", s);
                free(tags);
                tdata_free(d);
                return rc;
            }
        }
        for (size_t i = 0; i < len; i++) {
            const corpus_tok *t = &c->tok[a + i];
            parser_token_hashes(t->form, posfn ? tags[i] : t->pos, &d->w[a + i], &d->p[a + i],
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
    return HS_OK;
oom:
    buf_printf(log, "parser: out of memory reading training data\n");
    free(tags);
    tdata_free(d);
    return HS_ENOMEM;
}

/* Copies sentence s of d into the state (hashes, gold heads into gh). */
static void load_sentence(parser_state *st, const tdata *d, size_t s, int32_t *gh)
{
    size_t a = d->off[s];
    int n = (int)(d->off[s + 1] - a);
    parser_state_init(st, n);
    parser_special_hashes(st);
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
static void oracle_costs(const parser_state *st, const int32_t *gh, const int32_t *kstart,
                         const int32_t *kids, int *cost)
{
    int sp = st->sp, b = st->b, n = st->n;
    int s0 = st->stk[sp - 1], s1 = sp >= 2 ? st->stk[sp - 2] : -2;
    cost[PARSER_SHIFT] = cost[PARSER_LEFT] = cost[PARSER_RIGHT] = 0;
    if (b <= n)
        for (int i = 0; i < sp; i++) {
            int k = st->stk[i];
            cost[PARSER_SHIFT] += (gh[b] == k && k != s0) + (gh[k] == b);
        }
    if (sp < 2)
        return;
    int kb = 0; /* gold children of s0 still in the buffer */
    for (int j = kstart[s0]; j < kstart[s0 + 1]; j++)
        kb += kids[j] >= b;
    int g = gh[s0];
    cost[PARSER_LEFT] = kb + (g == s1) + (g > b);
    cost[PARSER_RIGHT] = kb + (b <= n && g >= b);
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
            return HS_ENOMEM;
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
    return HS_OK;
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

/* Counts the features of the static-oracle (gold) path of every sentence:
 * HS_OK or HS_ENOMEM. */
static int count_features(counts *c, const tdata *d, parser_state *st, int32_t *gh,
                          int32_t *kstart, int32_t *kids, uint64_t *f)
{
    for (size_t s = 0; s < d->nsent; s++) {
        load_sentence(st, d, s, gh);
        gold_children(st->n, gh, kstart, kids);
        unsigned char ok[PARSER_NTRANS];
        int cost[PARSER_NTRANS];
        while (st->b <= st->n || st->sp > 1) {
            parser_valid_moves(st, ok);
            oracle_costs(st, gh, kstart, kids, cost);
            int t = -1;
            for (int m = 0; m < PARSER_NTRANS; m++)
                if (ok[m] && (t < 0 || cost[m] < cost[t]))
                    t = m;
            size_t nf = parser_trans_features(st, f);
            for (size_t i = 0; i < nf; i++)
                if (counts_add(c, f[i]))
                    return HS_ENOMEM;
            parser_apply(st, t);
        }
        load_sentence(st, d, s, NULL);
        for (int i = 1; i <= st->n; i++)
            if (gh[i] >= 0)
                parser_attach(st, gh[i], i);
        parser_siblings(st, kids);
        for (int i = 1; i <= st->n; i++) {
            if (gh[i] <= 0)
                continue;
            size_t nf = parser_label_features(st, gh[i], i, f);
            for (size_t j = 0; j < nf; j++)
                if (counts_add(c, f[j]))
                    return HS_ENOMEM;
        }
    }
    return HS_OK;
}

/* One training pass over sentence s: transitions with the dynamic oracle
 * (following the model's own move with probability explore), then the
 * labeller on the gold tree. Returns HS_OK or HS_ENOMEM. */
static int train_sentence(pc_trainer *tt, pc_trainer *tl, const counts *cnt, const tdata *d,
                          size_t s, parser_state *st, int32_t *gh, int32_t *kstart, int32_t *kids,
                          uint64_t *f, float *scores, uint32_t nlabels, uint32_t root,
                          double explore, uint64_t *r, size_t *right, size_t *total)
{
    load_sentence(st, d, s, gh);
    gold_children(st->n, gh, kstart, kids);
    unsigned char ok[PARSER_NTRANS], zero[PARSER_NTRANS];
    int cost[PARSER_NTRANS];
    float s3[PARSER_NTRANS];
    while (st->b <= st->n || st->sp > 1) {
        parser_valid_moves(st, ok);
        oracle_costs(st, gh, kstart, kids, cost);
        int best = -1;
        for (int m = 0; m < PARSER_NTRANS; m++)
            if (ok[m] && (best < 0 || cost[m] < best))
                best = cost[m];
        for (int m = 0; m < PARSER_NTRANS; m++)
            zero[m] = (unsigned char)(ok[m] && cost[m] == best);
        size_t nf = filter(cnt, f, parser_trans_features(st, f));
        pc_trainer_score(tt, f, nf, s3);
        uint32_t pred = pc_argmax(s3, PARSER_NTRANS, ok);
        uint32_t gold = pc_argmax(s3, PARSER_NTRANS, zero);
        if (!zero[pred] && pc_trainer_update(tt, f, nf, gold, pred))
            return HS_ENOMEM;
        pc_trainer_tick(tt);
        int t = (int)gold;
        if (!zero[pred] && (double)(pc_rng_next(r) >> 11) * 0x1.0p-53 < explore)
            t = (int)pred;
        parser_apply(st, t);
    }
    for (int i = 1; i <= st->n; i++)
        *right += st->head[i] == gh[i];
    *total += (size_t)st->n;

    /* labeller on the gold tree */
    load_sentence(st, d, s, NULL);
    for (int i = 1; i <= st->n; i++)
        if (gh[i] >= 0)
            parser_attach(st, gh[i], i);
    parser_siblings(st, kids);
    size_t a = d->off[s];
    for (int i = 1; i <= st->n; i++) {
        if (gh[i] <= 0)
            continue;
        size_t nf = filter(cnt, f, parser_label_features(st, gh[i], i, f));
        pc_trainer_score(tl, f, nf, scores);
        scores[root] = -INFINITY;
        uint32_t pred = pc_argmax(scores, nlabels, NULL);
        if (pc_trainer_update(tl, f, nf, d->label[a + i - 1], pred))
            return HS_ENOMEM;
        pc_trainer_tick(tl);
    }
    return HS_OK;
}

/* Greedy parse of the state's sentence with the trainer's current
 * (unaveraged) weights, as the parser parses with a model's (label NULL:
 * heads only). */
static void parse_unaveraged(const pc_trainer *tt, const pc_trainer *tl, parser_state *st,
                             uint64_t *f, float *scores, uint32_t nlabels, uint32_t root,
                             uint16_t *label)
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
            pc_trainer_score(tt, f, nf, s3);
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
            label[d - 1] = (uint16_t)root;
            continue;
        }
        size_t nf = parser_label_features(st, h, d, f);
        pc_trainer_score(tl, f, nf, scores);
        scores[root] = -INFINITY;
        label[d - 1] = (uint16_t)pc_argmax(scores, nlabels, NULL);
    }
}

/* UAS/LAS on d of the trainer's current weights (lab: room for the longest
 * sentence). */
static void evaluate_unaveraged(const pc_trainer *tt, const pc_trainer *tl, const tdata *d,
                                parser_scratch *sc, uint32_t nlabels, uint32_t root,
                                uint16_t *lab, double *uas, double *las)
{
    parser_state *st = &sc->st;
    size_t n = 0, u = 0, l = 0;
    for (size_t s = 0; s < d->nsent; s++) {
        load_sentence(st, d, s, NULL);
        parse_unaveraged(tt, tl, st, sc->f, sc->scores, nlabels, root, lab);
        size_t a = d->off[s];
        for (int i = 1; i <= st->n; i++) {
            n++;
            if (st->head[i] == d->head[a + i - 1]) {
                u++;
                l += lab[i - 1] == d->label[a + i - 1];
            }
        }
    }
    *uas = n ? 100.0 * u / n : 0;
    *las = n ? 100.0 * l / n : 0;
}

/* UAS/LAS of the model p on the corpus c (its gold POS), whose gold heads
 * and labels (in p's label order) d holds; parsed as the engine parses.
 * HS_OK or HS_ENOMEM. */
static int evaluate_model(const parser *p, parser_scratch *sc, const corpus *c, const tdata *d,
                          size_t maxlen, double *uas, double *las)
{
    const char **form = malloc((maxlen + 1) * sizeof *form);
    const char **pos = malloc((maxlen + 1) * sizeof *pos);
    int *head = malloc((maxlen + 1) * sizeof *head);
    uint16_t *lab = malloc((maxlen + 1) * sizeof *lab);
    size_t n = 0, u = 0, l = 0;
    int rc = form && pos && head && lab ? HS_OK : HS_ENOMEM;
    for (size_t s = 0; !rc && s < c->nsent; s++) {
        size_t a = c->sent[s], len = corpus_sent_len(c, s);
        for (size_t i = 0; i < len; i++) {
            form[i] = c->tok[a + i].form;
            pos[i] = c->tok[a + i].pos;
        }
        parser_parse(p, sc, len, form, pos, head, lab);
        for (size_t i = 0; i < len; i++) {
            n++;
            if (head[i] == d->head[a + i]) {
                u++;
                l += lab[i] == d->label[a + i];
            }
        }
    }
    free(form);
    free(pos);
    free(head);
    free(lab);
    *uas = n ? 100.0 * u / n : 0;
    *las = n ? 100.0 * l / n : 0;
    return rc;
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
    uint16_t *lab = NULL;
    buf body[4] = {{0}};
    int rc;

    if ((rc = tdata_build(&td, train, &L, 1, o.pos, o.pos_ctx, log)))
        goto done;
    if (dev && (rc = tdata_build(&dd, dev, &L, 0, NULL, NULL, log)))
        goto done;
    size_t maxlen = 1;
    for (size_t s = 0; s < td.nsent; s++)
        if (td.off[s + 1] - td.off[s] > maxlen)
            maxlen = td.off[s + 1] - td.off[s];
    for (size_t s = 0; dev && s < dd.nsent; s++)
        if (dd.off[s + 1] - dd.off[s] > maxlen)
            maxlen = dd.off[s + 1] - dd.off[s];
    tt = pc_trainer_new(PARSER_NTRANS);
    tl = pc_trainer_new(L.n);
    sc = parser_scratch_new(NULL, maxlen);
    gh = malloc((maxlen + 2) * sizeof *gh);
    kstart = malloc((2 * maxlen + 8) * sizeof *kstart);
    kids = malloc((maxlen + 2) * sizeof *kids);
    order = malloc((td.nsent ? td.nsent : 1) * sizeof *order);
    lab = malloc((maxlen + 1) * sizeof *lab);
    rc = HS_ENOMEM;
    if (!tt || !tl || !sc || !gh || !kstart || !kids || !order || !lab) {
        buf_printf(log, "parser: out of memory\n");
        goto done;
    }
    parser_state *st = &sc->st;
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
                goto done;
            }
        buf_printf(log, "epoch %u: train UAS %.2f (explore %.1f)", ep + 1,
                   total ? 100.0 * right / total : 0, explore);
        if (dev) {
            double uas, las;
            evaluate_unaveraged(tt, tl, &dd, sc, L.n, 0, lab, &uas, &las);
            buf_printf(log, ", dev UAS %.2f LAS %.2f (unaveraged)", uas, las);
        }
        buf_printf(log, ", %zu+%zu features, %.0f s\n", pc_trainer_nfeatures(tt),
                   pc_trainer_nfeatures(tl), now_s() - t0);
    }

    uint32_t meta[4] = {PARSER_FEATSET_VERSION, L.n, 0, 0};
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
        rc = HS_ENOMEM;
        goto done;
    }
    const uint32_t ids[4] = {PARSER_SEC_META, PARSER_SEC_LABELS, PARSER_SEC_TRANS,
                             PARSER_SEC_LABELLER};
    if ((rc = model_write(out_path, MODEL_PARSER, ids, body, 4, log)))
        goto done;
    buf_printf(log, "parser: wrote %s (%zu + %zu bytes of weights), %.0f s\n", out_path,
               body[2].len, body[3].len, now_s() - t0);
    if (dev) {
        parser *p;
        double uas, las;
        if ((rc = parser_load(&p, out_path, log)))
            goto done;
        rc = evaluate_model(p, sc, dev, &dd, maxlen, &uas, &las);
        parser_free(p);
        if (rc) {
            buf_printf(log, "parser: out of memory evaluating the model\n");
            goto done;
        }
        buf_printf(log, "parser: dev UAS %.2f LAS %.2f (gold POS, final model)\n", uas, las);
    }
    rc = HS_OK;
done:
    free(lab);
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

