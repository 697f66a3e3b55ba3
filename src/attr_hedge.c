/* attr_hedge - how a statement is qualified: hedge words in its content or
 * just before its cue, and the news outlet it came through ("told NBC
 * News", "according to Vanity Fair"). Word lists are our own; it does not
 * judge how strong a hedge is. */
#include "attr.h"

static const char *const hedge_words[] = {
    "may", "might", "could", "likely", "unlikely", "possibly", "perhaps", "probably",
    "reportedly", "allegedly", "apparently", "seemingly", "purportedly", "supposedly",
    "maybe", "presumably", "suggests", "suggested", "suggest", "appears", "appeared",
    "seems", "seemed", "believed", "rumored", "unconfirmed", "claimed", "claims", NULL};

/* A hedge word, not a name that looks like one ("in May"); headlines
 * capitalise every word, so there the case says nothing. */
int attr_is_hedge(const hs_doc *d, const ascratch *s, size_t i)
{
    if ((d->tok[i].flags & HS_TF_CAP) && !(d->tok[i].flags & HS_TF_SENT_START) &&
        s->ti[i].blk != HS_BLOCK_HEADLINE)
        return 0;
    return attr_word_is(d, i, hedge_words);
}

static int is_outlet(const hs_doc *d, size_t k)
{
    return d->tok_ent && d->tok_ent[k] && d->ents[d->tok_ent[k] - 1].type == HS_ENT_OUTLET;
}

/* The outlet a statement came through: one right after the cue ("told NBC
 * News"), else one elsewhere in the cue's sentence ("According to Vanity
 * Fair, Bremmer described ..."), else one earlier in the paragraph after
 * "according to", "told", "an interview with"; never inside the content or
 * a dateline, nor out of the cue's window w. Returns the token range (b ==
 * e: none). */
trange attr_find_via(const hs_doc *d, const ascratch *s, const cue *c, trange w,
                     const trange *con, size_t ncon)
{
    trange none = {0, 0};
    if (!d->tok_ent)
        return none;
    static const char *const markers[] = {"according", "told", "interview", "with", "to",
                                          "per", "tells", "telling", NULL};
    const hs_sentence *se = &d->sent[s->ti[c->b].sent];
    size_t lo[3] = {c->e, se->tok_begin > w.b ? se->tok_begin : w.b, w.b};
    size_t hi[3] = {c->e + 4, se->tok_end < w.e ? se->tok_end : w.e, c->b};
    for (int pass = 0; pass < 3; pass++) {
        size_t e1 = hi[pass] < d->ntok ? hi[pass] : d->ntok;
        for (size_t k = lo[pass]; k < e1; k++) {
            if (!is_outlet(d, k) || attr_in_ranges(con, ncon, k) ||
                s->ti[k].blk == HS_BLOCK_DATELINE) /* "LISBON (Reuters)" credits the article */
                continue;
            /* earlier in the paragraph, only an outlet the text reports through */
            int marked = pass < 2;
            for (size_t j = k > 3 ? k - 3 : 0; !marked && j < k; j++)
                marked = attr_word_is(d, j, markers);
            if (!marked)
                continue;
            size_t e = k + 1;
            while (e < d->ntok && d->tok_ent[e] == d->tok_ent[k])
                e++;
            return (trange){(uint32_t)k, (uint32_t)e};
        }
    }
    return none;
}
