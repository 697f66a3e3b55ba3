/* attribution - who said what (see attribution.h): the stage. Per document:
 * atoms, cue tagger over each sentence, cue rules, then for every cue the
 * role tagger over its window (its paragraph, or the cue's sentence and its
 * neighbours in a very long one) and the statement it makes, then the
 * statements no cue made, the sources of quoted "I", and the final order.
 * Content past the paragraph comes only from the colon and quotation rules. */
#include <stdlib.h>
#include <string.h>

#include "attr.h"

attr_scratch *attr_scratch_new(void) { return calloc(1, sizeof(ascratch)); }

void attr_scratch_free(attr_scratch *s)
{
    if (!s)
        return;
    free(s->ti);
    free(s->qpre);
    free(s->cpre);
    free(s->ctag);
    free(s->rtag);
    free(s->cues);
    free(s->us);
    free(s->ts);
    free(s->rel);
    free(s->rel2);
    free(s->rside);
    free(s->sside);
    free(s->sideok);
    free(s->bp);
    free(s->ancd);
    free(s->psent);
    free(s->aoff);
    free(s->apara);
    free(s->pi);
    free(s->cs);
    free(s->cmax);
    free(s->nested);
    free(s);
}

/* Finds the attributions of d with the weights of sc (a model or, for the
 * trainer's dev report, the written model). */
int attr_run_doc(hs_doc *d, ascratch *s, const scorer *sc)
{
    if (attr_build_atoms(d, s))
        return HS_ENOMEM;
    for (size_t se = 0; se < d->nsent; se++) {
        size_t sb = d->sent[se].tok_begin, ee = d->sent[se].tok_end;
        uint8_t kind = sb < ee ? s->ti[sb].blk : 0;
        /* no statements in page furniture or photo captions */
        if (kind == HS_BLOCK_BOILERPLATE || kind == HS_BLOCK_CREDIT || kind == HS_BLOCK_BYLINE ||
            kind == HS_BLOCK_CAPTION) {
            memset(s->ctag + sb, C_O, ee - sb);
            continue;
        }
        attr_tag_cues(d, s, sc, sb, ee, NULL);
    }
    attr_colon_cues(d, s);
    if (attr_signed_quotes(d, s))
        return HS_ENOMEM;
    if (attr_collect_cues(d, s, NULL))
        return HS_ENOMEM;
    attr_cue_margins(d, s, sc);
    /* a headline makes one claim: keep its surest cue */
    size_t best = SIZE_MAX;
    for (size_t c = 0; c < s->ncues; c++)
        if (s->ti[s->cues[c].b].blk == HS_BLOCK_HEADLINE &&
            (best == SIZE_MAX || s->cues[c].margin > s->cues[best].margin))
            best = c;
    for (size_t c = 0; c < s->ncues; c++) {
        cue *cu = &s->cues[c];
        if (best != SIZE_MAX && c != best && s->ti[cu->b].blk == HS_BLOCK_HEADLINE)
            continue;
        trange w = attr_role_window(d, s, cu);
        if (attr_tag_roles(d, s, sc, cu, w.b, w.e, NULL) || attr_emit(d, s, cu, w))
            return HS_ENOMEM;
    }
    if (attr_drop_nested(d, s) || attr_orphan_quotes(d, s))
        return HS_ENOMEM;
    if (attr_quoted_speakers(d, s))
        return HS_ENOMEM;
    attr_finish(d, s);
    return HS_OK;
}

/* Arrays a huge document grew are released before the next (BUF_KEEP). */
static void release_if_big(void *p, size_t *cap, size_t elsize)
{
    vec_trim(p, cap, elsize, BUF_KEEP);
}

static void trim(ascratch *s)
{
    release_if_big(&s->ti, &s->capti, sizeof *s->ti);
    release_if_big(&s->qpre, &s->capq, sizeof *s->qpre);
    release_if_big(&s->cpre, &s->capc, sizeof *s->cpre);
    release_if_big(&s->ctag, &s->capct, sizeof *s->ctag);
    release_if_big(&s->rtag, &s->caprt, sizeof *s->rtag);
    release_if_big(&s->us, &s->capus, sizeof *s->us);
    release_if_big(&s->ts, &s->capts, sizeof *s->ts);
    release_if_big(&s->rel, &s->caprel, sizeof *s->rel);
    release_if_big(&s->rel2, &s->caprel2, sizeof *s->rel2);
    release_if_big(&s->rside, &s->caprside, sizeof *s->rside);
    release_if_big(&s->sside, &s->capsside, sizeof *s->sside);
    release_if_big(&s->sideok, &s->capsideok, sizeof *s->sideok);
    s->rpe = 0; /* no side scores kept */
    release_if_big(&s->bp, &s->capbp, sizeof *s->bp);
    release_if_big(&s->ancd, &s->capancd, sizeof *s->ancd);
    release_if_big(&s->psent, &s->cappsent, sizeof *s->psent);
    release_if_big(&s->aoff, &s->capaoff, sizeof *s->aoff);
    release_if_big(&s->apara, &s->capapara, sizeof *s->apara);
    release_if_big(&s->pi, &s->cappi, sizeof *s->pi);
    release_if_big(&s->cs, &s->capcs, sizeof *s->cs);
    release_if_big(&s->cmax, &s->capcmax, sizeof *s->cmax);
    release_if_big(&s->nested, &s->capnested, sizeof *s->nested);
    release_if_big(&s->cues, &s->capcues, sizeof *s->cues);
}

int attr_run(hs_doc *d, const attr_model *m, const struct parser *p, struct parser_scratch *ps,
             attr_scratch *s)
{
    trim(s);
    d->nattr = d->nattrspans = 0;
    if (!m || !d->has_pos || d->ntok == 0)
        return HS_OK;
    s->parser = p;
    s->pscratch = ps;
    scorer sc = {NULL, NULL, NULL, m};
    return attr_run_doc(d, s, &sc);
}
