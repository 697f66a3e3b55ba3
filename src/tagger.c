/* tagger - averaged-perceptron POS tagger (see tagger.h). Model sections:
 * LABL tag names, TDIC the tag dictionary (sorted form hashes and their
 * tags), PERC the perceptron. Features look at a window of five tokens whose
 * string hashes are computed once per token, and at the two previous tags.
 * It does not train: train/train_pos.c does, with the features of tagger_int.h. */
#include "tagger.h"

#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "model.h"
#include "perceptron.h"
#include "tagger_int.h"

struct tagger {
    model m;
    pc_tabs fast; /* the same weights packed for speed */
    unsigned ntags;
    const char *names[TAGGER_MAX_TAGS];
    const uint64_t *dict_keys;
    const uint16_t *dict_tags;
    size_t ndict;
};

enum { TF_HYPHEN = 1, TF_DIGIT = 2, TF_UPPER = 4, TF_ALLCAP = 8, TF_PERIOD = 16 };

static void hash_token(const char *form, tagger_tokh *o)
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
    o->form = tagger_hash(form, n);
    o->lower = tagger_hash(low, ln);
    o->suf1 = tagger_hash(low + (ln > 1 ? ln - 1 : 0), ln > 1 ? 1 : ln);
    o->suf2 = tagger_hash(low + (ln > 2 ? ln - 2 : 0), ln > 2 ? 2 : ln);
    o->suf3 = tagger_hash(low + (ln > 3 ? ln - 3 : 0), ln > 3 ? 3 : ln);
    o->suf4 = tagger_hash(low + (ln > 4 ? ln - 4 : 0), ln > 4 ? 4 : ln);
    o->pre1 = tagger_hash(low, ln > 1 ? 1 : ln);
    o->pre2 = tagger_hash(low, ln > 2 ? 2 : ln);
    o->pre3 = tagger_hash(low, ln > 3 ? 3 : ln);
    o->shape = tagger_hash(shape, sn);
}

static const tagger_tokh boundary_start = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
static const tagger_tokh boundary_end = {2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 0};

#define F1(t, a) f[k++] = fk_end(fk_num(fk_start(t), (a)))
#define F2(t, a, b) f[k++] = fk_end(fk_num(fk_num(fk_start(t), (a)), (b)))

/* The window w[0..4] is two tokens before, the token, two after. */
size_t tagger_features(const tagger_tokh *const *w, unsigned p1, unsigned p2, int first,
                       uint64_t *f)
{
    size_t k = 0;
    const tagger_tokh *c = w[2];
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

void tagger_window_at(tagger_window *win, size_t n, const char *const *form, size_t i, int first)
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

void tagger_tag(const tagger *t, size_t n, const char *const *form, uint16_t *tags)
{
    tagger_window win;
    uint64_t f[TAGGER_NFEAT];
    float scores[TAGGER_MAX_TAGS];
    unsigned p1 = t->ntags, p2 = t->ntags + 1; /* start markers */
    for (size_t i = 0; i < n; i++) {
        tagger_window_at(&win, n, form, i, i == 0);
        long d = t->ndict ? tagger_dict_find(t->dict_keys, t->ndict, win.w[2]->form) : -1;
        unsigned tag;
        if (d >= 0) {
            tag = t->dict_tags[d];
        } else {
            size_t nf = tagger_features(win.w, p1, p2, i == 0, f);
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
    const char *labl = model_section_get(&t->m, TAGGER_SEC_LABL, &ls);
    const unsigned char *tdic = model_section_get(&t->m, TAGGER_SEC_TDIC, &ds);
    if (!labl || !tdic || ds < 8) {
        buf_printf(err, "%s: POS model lacks a section", path);
        goto bad;
    }
    if ((rc = pc_tabs_load(&t->fast, &t->m, TAGGER_SEC_PERC, 0, path, "POS", err)))
        goto bad;
    rc = HS_EMODEL;
    t->ntags = t->fast.nclass;
    if (t->ntags > TAGGER_MAX_TAGS || model_strings(labl, ls, t->names, t->ntags)) {
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
    *out = t;
    return HS_OK;
bad:
    tagger_free(t);
    return rc;
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
