/* attr_cue - cue detection: the cue tagger (O/B/I over each sentence,
 * Viterbi so that I follows B or I, with a prior towards B at inference),
 * the rule that makes a verb before a colon a cue, the cue list with its
 * prefix counts, and each cue's margin. What a cue says and who says it is
 * for attr_role and attr_link. */
#include <string.h>

#include "attr.h"

/* Added to the score of starting a cue at inference: the trained tagger is
 * precise but misses cues (dev P 0.76, R 0.63), and this prior, tuned on the
 * dev split, trades a little precision for recall. With nested statements
 * dropped (attr_drop_nested), 15 measured best: content_partial +0.5 and
 * attribution_e2e +0.2 points over 10, 20 no better, 30 worse. In
 * averaged-weight units. */
#define CUE_PRIOR 15.0f

static const unsigned char cue_ok[3][NCUE] = {
    /* prev O */ {1, 1, 0}, /* prev B */ {1, 1, 1}, /* prev I */ {1, 1, 1}};

/* Cue tags of one sentence [sb, se); with gold, trains (updates on errors).
 * Returns HS_OK or HS_ENOMEM. */
int attr_tag_cues(const hs_doc *d, ascratch *s, const scorer *sc, size_t sb, size_t se,
                  const uint8_t *gold)
{
    /* unary scores, then the best sequence in which I follows B or I */
    size_t n = se - sb;
    if (vec_reserve((void **)&s->us, &s->capus, n * NCUE, sizeof *s->us) ||
        vec_reserve((void **)&s->bp, &s->capbp, n * NCUE, 1))
        return HS_ENOMEM;
    for (size_t i = sb; i < se; i++) {
        size_t nf = attr_cue_features(d, s, i, sb, se, s->f);
        attr_score(sc, 0, s->f, nf, s->us + (i - sb) * NCUE);
        if (sc->m) /* packed scores are halved int16 units */
            s->us[(i - sb) * NCUE + C_B] += CUE_PRIOR / (2 * sc->m->fc.scale);
    }
    float v[NCUE] = {0, -1e30f, -1e30f}, nv[NCUE];
    for (size_t i = 0; i < n; i++) {
        const float *u = s->us + i * NCUE;
        uint8_t *bp = s->bp + i * NCUE;
        for (unsigned l = 0; l < NCUE; l++) {
            nv[l] = -1e30f;
            bp[l] = 0;
            for (unsigned q = 0; q < NCUE; q++)
                if ((i > 0 || q == C_O) && cue_ok[q][l] && v[q] + u[l] > nv[l])
                    nv[l] = v[q] + u[l], bp[l] = (uint8_t)q;
        }
        memcpy(v, nv, sizeof v);
    }
    unsigned best = 0;
    for (unsigned l = 1; l < NCUE; l++)
        if (v[l] > v[best])
            best = l;
    for (size_t i = n; i-- > 0;) {
        s->ctag[sb + i] = (uint8_t)best;
        best = s->bp[i * NCUE + best];
    }
    if (gold)
        for (size_t i = sb; i < se; i++) {
            unsigned g = s->ctag[i], want = gold[i];
            if (g != want) {
                size_t nf = attr_cue_features(d, s, i, sb, se, s->f);
                if (pc_trainer_update(sc->tc, s->f, nf, want, g))
                    return HS_ENOMEM;
            }
            pc_trainer_tick(sc->tc);
        }
    return HS_OK;
}

/* A paragraph ending in a colon that introduces a block quote, an embed or
 * a quotation (or announces one that is missing) is a statement even when
 * the tagger saw no cue in its last sentence ("The senator responded on
 * Twitter:"): its main verb is a cue too. */
void attr_colon_cues(hs_doc *d, ascratch *s)
{
    for (size_t p = 0; p < d->npara; p++) {
        trange t = attr_para_toks(d, p);
        if (t.b >= t.e || !attr_tok_is(d, t.e - 1, ":") ||
            (!attr_introduced(d, s, p) && s->ti[t.b].blk != HS_BLOCK_MISSING_EMBED))
            continue;
        uint8_t blk = s->ti[t.b].blk;
        if (blk == HS_BLOCK_BOILERPLATE || blk == HS_BLOCK_CREDIT || blk == HS_BLOCK_BYLINE)
            continue;
        size_t se = s->ti[t.e - 1].sent, sb = d->sent[se].tok_begin;
        attr_need_parse(d, s, se);
        /* the last finite verb or participle (taggers confuse the two), else
         * the root if it is a verb, else the last verb */
        size_t v = t.e, fin = t.e;
        for (size_t k = sb; k + 1 < t.e; k++) {
            const char *ps = d->posname[k];
            if (ps[0] == 'V')
                v = k;
            if (!strcmp(ps, "VBD") || !strcmp(ps, "VBZ") || !strcmp(ps, "VBP") ||
                !strcmp(ps, "VBN"))
                fin = k;
        }
        for (size_t k = sb; fin == t.e && s->parsed && k + 1 < t.e; k++)
            if (s->ti[k].head < 0 && d->posname[k][0] == 'V')
                v = k;
        if (fin < t.e)
            v = fin;
        /* "From the governor's office:" names a source with no verb */
        if (v >= t.e && attr_tok_is(d, sb, "from") && sb + 1 < t.e - 1)
            v = sb;
        /* added next to what the tagger found: the last cue before the
         * colon takes the block; a tagged cue a word or two after the verb
         * is the rest of it ("said | in | a statement:") */
        if (v >= t.e)
            continue;
        if (s->ctag[v] == C_O && (v + 1 >= t.e || s->ctag[v + 1] != C_I))
            s->ctag[v] = C_B;
        if (s->ctag[v] != C_B)
            continue;
        size_t e = v + 1;
        while (e < t.e && s->ctag[e] == C_I)
            e++;
        size_t k = e;
        while (k < t.e && k <= e + 2 && s->ctag[k] == C_O)
            k++;
        if (k < t.e && k <= e + 2 && s->ctag[k] != C_O)
            for (size_t j = e; j < t.e && (j <= k || s->ctag[j] == C_I); j++)
                s->ctag[j] = C_I;
        /* what follows the verb up to the colon is its own clause ("deflected,
         * seeking a way to blame her:"): no cue there takes the block, unless
         * it is a participle of saying ("spoke at the hearing, saying:") */
        for (e = v + 1; e < t.e && s->ctag[e] == C_I; e++)
            ;
        for (; e < t.e; e++) {
            if (s->ctag[e] == C_O)
                continue;
            size_t f = e + 1;
            while (f < t.e && s->ctag[f] == C_I)
                f++;
            int saying = !strcmp(d->posname[e], "VBG") && s->ti[e].lex == 1;
            for (size_t j = e; !saying && j < f; j++)
                s->ctag[j] = C_O;
            e = f - 1;
        }
    }
}

/* Collects cues from ctag (runs of B I*) and the cue prefix counts. */
int attr_collect_cues(const hs_doc *d, ascratch *s, const float *margins)
{
    s->ncues = 0;
    uint32_t c = 0;
    for (size_t i = 0; i < d->ntok; i++) {
        s->cpre[i] = c;
        if (s->ctag[i] == C_B || (s->ctag[i] == C_I && (i == 0 || s->ctag[i - 1] == C_O))) {
            size_t e = i + 1;
            while (e < d->ntok && s->ctag[e] == C_I && s->ti[e].sent == s->ti[i].sent)
                e++;
            if (vec_reserve((void **)&s->cues, &s->capcues, s->ncues + 1, sizeof *s->cues))
                return HS_ENOMEM;
            s->cues[s->ncues].b = (uint32_t)i;
            s->cues[s->ncues].e = (uint32_t)e;
            s->cues[s->ncues].margin = margins ? margins[i] : 0;
            s->ncues++;
            c++;
        }
    }
    s->cpre[d->ntok] = c;
    return HS_OK;
}

/* Margin of each cue decision on its first token: cue or not. */
void attr_cue_margins(const hs_doc *d, ascratch *s, const scorer *sc)
{
    for (size_t c = 0; c < s->ncues; c++) {
        cue *cu = &s->cues[c];
        const hs_sentence *se = &d->sent[s->ti[cu->b].sent];
        size_t nf = attr_cue_features(d, s, cu->b, se->tok_begin, se->tok_end, s->f);
        attr_score(sc, 0, s->f, nf, s->s);
        cu->margin = (s->s[C_B] > s->s[C_I] ? s->s[C_B] : s->s[C_I]) - s->s[C_O];
        if (sc->m)
            cu->margin *= 2 * sc->m->fc.scale; /* packed scores are halved int16 units */
    }
}
