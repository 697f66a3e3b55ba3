/* attr_role - role labelling: for one cue, every token of its window (its
 * paragraph, bounded) gets O, source or content from unary scores and scores
 * of the step between neighbouring labels, decoded by Viterbi under the rule
 * of one source run and one content run on each side of the cue; trains on
 * gold. It reads the runs it found; a statement of them is attr_link's. */
#include <string.h>

#include "attr.h"

/* Step scores of the NROLE x NROLE label pairs, absolute (the packed role
 * table keeps only differences between classes, which a sum over paths
 * with different previous labels cannot use), in the packed role scores'
 * units. */
static void score_step(const scorer *sc, const uint64_t *f, size_t nf, float *out)
{
    if (sc->m)
        pc_tab9_score(&sc->m->fs, f, nf, out); /* its scale is set for these units */
    else
        pc_trainer_score(sc->tt, f, nf, out);
}

/* Role scores of token i for cue c with the model's table: the side
 * features' sums, kept for the window [pb, pe) (s->rpb, s->rpe), plus the
 * cue's own; the same numbers as attr_score of all of them. */
static void role_scores(const hs_doc *d, ascratch *s, const pc_tab3 *t, const cue *c, size_t i,
                        size_t pb, size_t pe, float *u)
{
    unsigned side = i < c->b ? 0 : 1;
    size_t x = (i - pb) * 2 + side;
    if (!(s->sideok[x] & 1)) {
        size_t nf = attr_role_side_features(d, s, i, pb, pe, side + 1, s->f);
        int32_t a = 0, b = 0;
        pc_tab3_sum(t, s->f, nf, &a, &b);
        s->rside[2 * x] = a, s->rside[2 * x + 1] = b;
        s->sideok[x] |= 1;
    }
    int32_t a = s->rside[2 * x], b = s->rside[2 * x + 1];
    size_t nf = attr_role_cue_features(d, s, c, i, pb, pe, s->f);
    pc_tab3_sum(t, s->f, nf, &a, &b);
    u[R_O] = 0, u[R_S] = (float)a, u[R_C] = (float)b;
}

/* Step scores onto token i (pb < i) for cue c, kept the same way; the same
 * numbers as score_step of all the step features. */
static void step_scores(const hs_doc *d, ascratch *s, const pc_tab9 *t, const cue *c, size_t i,
                        size_t pb, float *out)
{
    unsigned side = i < c->b ? 0 : 1;
    size_t x = (i - pb) * 2 + side;
    int32_t *acc = s->sside + 9 * x;
    if (!(s->sideok[x] & 2)) {
        size_t nf = attr_step_side_features(d, s, i, side + 1, s->f);
        memset(acc, 0, 9 * sizeof *acc);
        pc_tab9_add(t, s->f, nf, acc);
        s->sideok[x] |= 2;
    }
    int32_t sum[9];
    memcpy(sum, acc, sizeof sum);
    size_t nf = attr_step_cue_features(c, i, s->f);
    pc_tab9_add(t, s->f, nf, sum);
    for (unsigned k = 0; k < t->nclass; k++)
        out[k] = (float)sum[k] * t->scale;
}

/* Decoder states: the current label (O, S, C) and whether a source run
 * and a content run (on this side of the cue) have already ended; a
 * statement has one source run and one content run on each side. */
#define NSTATE 12
static inline unsigned st_make(unsigned lab, unsigned sdone, unsigned cdone)
{
    return lab * 4 + sdone * 2 + cdone;
}

/* A range's node in the parse: its first token whose head lies outside it. */
size_t attr_range_node(const ascratch *s, trange r)
{
    for (size_t k = r.b; k < r.e; k++)
        if (s->ti[k].head < (int32_t)r.b || s->ti[k].head >= (int32_t)r.e)
            return k;
    return r.b;
}

size_t attr_cue_node(const ascratch *s, const cue *c)
{
    return attr_range_node(s, (trange){c->b, c->e});
}

/* The tokens of [b, e) under node (node itself counted), as the range from
 * the first to the last of them. */
trange attr_subtree(const ascratch *s, size_t b, size_t e, size_t node)
{
    size_t lo = node, hi = node + 1;
    for (size_t k = b; k < e; k++) {
        long x = (long)k;
        for (int steps = 0; x >= 0 && x != (long)node && steps < 64; steps++)
            x = s->ti[x].head;
        if (x == (long)node) {
            lo = k < lo ? k : lo;
            hi = k + 1 > hi ? k + 1 : hi;
        }
    }
    return (trange){(uint32_t)lo, (uint32_t)hi};
}

/* Role labels of the window's tokens [pb, pe) for cue c (cue tokens stay O):
 * unary scores of each token plus step scores of each pair of neighbouring
 * labels, decoded by Viterbi over the states above. With gold, trains:
 * updates the unary weights of every token outside the cue whose decoded
 * label is wrong and the step weights of every step onto such a token whose
 * pair of labels is. Returns HS_OK or HS_ENOMEM. */
int attr_tag_roles(hs_doc *d, ascratch *s, const scorer *sc, const cue *c, size_t pb,
                   size_t pe, const uint8_t *gold)
{
    attr_need_parse(d, s, s->ti[c->b].sent);
    size_t n = pe - pb;
    if (vec_reserve((void **)&s->us, &s->capus, n * NROLE, sizeof *s->us) ||
        vec_reserve((void **)&s->bp, &s->capbp, n * NSTATE, 1) ||
        vec_reserve((void **)&s->ts, &s->capts, n * NROLE * NROLE, sizeof *s->ts) ||
        vec_reserve((void **)&s->rel, &s->caprel, n, sizeof *s->rel) ||
        vec_reserve((void **)&s->rel2, &s->caprel2, n, sizeof *s->rel2))
        return HS_ENOMEM;
    size_t ch = attr_cue_node(s, c);
    if (s->parsed) {
        int16_t h = 0;
        for (long x = (long)ch; x >= 0 && h < 64 && s->ancd[x] < 0; x = s->ti[x].head)
            s->ancd[x] = h++;
    }
    for (size_t i = pb; i < pe; i++)
        s->rel[i - pb] = s->parsed ? attr_tree_rel(s, i, ch, &s->rel2[i - pb]) : 0;
    if (sc->m && (s->rpb != pb || s->rpe != pe)) {
        if (vec_reserve((void **)&s->rside, &s->caprside, 2 * n * 2, sizeof *s->rside) ||
            vec_reserve((void **)&s->sside, &s->capsside, 2 * n * 9, sizeof *s->sside) ||
            vec_reserve((void **)&s->sideok, &s->capsideok, 2 * n, 1))
            return HS_ENOMEM;
        memset(s->sideok, 0, 2 * n);
        s->rpb = pb, s->rpe = pe;
    }
    for (size_t i = pb; i < pe; i++) {
        float *u = s->us + (i - pb) * NROLE;
        if (i >= c->b && i < c->e) {
            u[R_O] = 0, u[R_S] = u[R_C] = -1e30f;
            continue;
        }
        if (sc->m) {
            role_scores(d, s, &sc->m->fr, c, i, pb, pe, u);
            continue;
        }
        size_t nf = attr_role_features(d, s, c, i, pb, pe, s->f, ch);
        attr_score(sc, 1, s->f, nf, s->s);
        u[R_O] = s->s[R_O], u[R_S] = s->s[R_S], u[R_C] = s->s[R_C];
    }
    /* steps onto cue tokens are scored with what their features learnt
     * elsewhere but not trained there: training them, or leaving them out,
     * both measured 0.4 to 0.6 points worse on dev (source, e2e) */
    for (size_t i = pb + 1; i < pe; i++) {
        float *out = s->ts + (i - pb) * NROLE * NROLE;
        if (sc->m) {
            step_scores(d, s, &sc->m->fs, c, i, pb, out);
            continue;
        }
        size_t nf = attr_step_features(d, s, c, i, s->f);
        score_step(sc, s->f, nf, out);
    }
    float v[NSTATE], nv[NSTATE];
    for (unsigned q = 0; q < NSTATE; q++)
        v[q] = -1e30f;
    v[st_make(R_O, 0, 0)] = 0;
    for (size_t i = pb; i < pe; i++) {
        const float *u = s->us + (i - pb) * NROLE;
        uint8_t *bp = s->bp + (i - pb) * NSTATE;
        if (i == c->e && c->e > pb) {
            /* the cue separates the sides: runs end, content may start again */
            float w[NSTATE];
            for (unsigned q = 0; q < NSTATE; q++)
                w[q] = -1e30f;
            for (unsigned q = 0; q < NSTATE; q++) {
                unsigned lab = q / 4, sd = (q >> 1) & 1;
                unsigned t = st_make(R_O, sd || lab == R_S, 0);
                if (v[q] > w[t])
                    w[t] = v[q], s->bfrom[t] = (uint8_t)q;
            }
            memcpy(v, w, sizeof v);
        }
        for (unsigned q = 0; q < NSTATE; q++)
            nv[q] = -1e30f, bp[q] = 0;
        for (unsigned q = 0; q < NSTATE; q++) {
            if (v[q] <= -1e29f)
                continue;
            unsigned lab = q / 4, sd = (q >> 1) & 1, cd = q & 1;
            /* leaving a run marks it done */
            unsigned sd2 = sd || lab == R_S, cd2 = cd || lab == R_C;
            for (unsigned l = 0; l < NROLE; l++) {
                unsigned t;
                if (l == R_O)
                    t = st_make(R_O, sd2, cd2);
                else if (l == R_S) {
                    if (lab != R_S && sd)
                        continue;
                    t = st_make(R_S, sd, lab == R_C ? 1 : cd);
                } else {
                    if (lab != R_C && cd)
                        continue;
                    t = st_make(R_C, lab == R_S ? 1 : sd, cd);
                }
                float x = v[q] + u[l] + (i > pb ? s->ts[((i - pb) * NROLE + lab) * NROLE + l] : 0);
                if (x > nv[t])
                    nv[t] = x, bp[t] = (uint8_t)q;
            }
        }
        memcpy(v, nv, sizeof v);
    }
    unsigned best = 0;
    for (unsigned q = 1; q < NSTATE; q++)
        if (v[q] > v[best])
            best = q;
    /* backtrack, undoing the side remapping at the cue */
    for (size_t i = pe; i-- > pb;) {
        s->rtag[i] = (uint8_t)(best / 4);
        best = s->bp[(i - pb) * NSTATE + best];
        if (i == c->e)
            best = s->bfrom[best];
    }
    if (gold) {
        for (size_t i = pb; i < pe; i++) {
            if (i >= c->b && i < c->e)
                continue;
            if (s->rtag[i] != gold[i]) {
                size_t nf = attr_role_features(d, s, c, i, pb, pe, s->f, ch);
                if (pc_trainer_update(sc->tr, s->f, nf, gold[i], s->rtag[i]))
                    return HS_ENOMEM;
            }
            if (i > pb) {
                size_t nf = attr_step_features(d, s, c, i, s->f);
                if (pc_trainer_update(sc->tt, s->f, nf, gold[i - 1] * NROLE + gold[i],
                                      s->rtag[i - 1] * NROLE + s->rtag[i]))
                    return HS_ENOMEM;
            }
            pc_trainer_tick(sc->tr);
            pc_trainer_tick(sc->tt);
        }
    }
    if (s->parsed)
        for (long x = (long)ch; x >= 0 && s->ancd[x] >= 0; x = s->ti[x].head)
            s->ancd[x] = -1;
    return HS_OK;
}

/* The tokens the role tagger labels for cue c: its paragraph when that is
 * one as news has them; in a longer one (a whole article on one line), the
 * cue's sentence and its neighbours, so that each cue costs the same
 * whatever the paragraph (the bounds are in attr.h). */
trange attr_role_window(const hs_doc *d, const ascratch *s, const cue *c)
{
    const hs_paragraph *p = &d->para[s->ti[c->b].para];
    trange w = attr_para_toks(d, s->ti[c->b].para);
    if (p->sent_end - p->sent_begin <= ATTR_PARA_SENT && w.e - w.b <= ATTR_PARA_TOK)
        return w;
    uint32_t cs = s->ti[c->b].sent;
    uint32_t sb = cs - p->sent_begin > ATTR_WIN_SENT ? cs - ATTR_WIN_SENT : p->sent_begin;
    uint32_t se = p->sent_end - cs > ATTR_WIN_SENT + 1 ? cs + ATTR_WIN_SENT + 1 : p->sent_end;
    w = (trange){d->sent[sb].tok_begin, d->sent[se - 1].tok_end};
    if (c->b - w.b > ATTR_WIN_TOK)
        w.b = c->b - ATTR_WIN_TOK;
    if (w.e - c->e > ATTR_WIN_TOK)
        w.e = c->e + ATTR_WIN_TOK;
    return w;
}

/* Runs of label lab in [pb, pe) into r (at most MAXR); returns the count. */
size_t attr_runs_of(const ascratch *s, size_t pb, size_t pe, uint8_t lab, trange *r)
{
    size_t n = 0;
    for (size_t k = pb; k < pe;) {
        if (s->rtag[k] != lab) {
            k++;
            continue;
        }
        size_t e = k + 1;
        while (e < pe && s->rtag[e] == lab)
            e++;
        if (n < MAXR)
            r[n++] = (trange){(uint32_t)k, (uint32_t)e};
        k = e;
    }
    return n;
}
