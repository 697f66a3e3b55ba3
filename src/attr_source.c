/* attr_source - who speaks: a source run's extent (the name a relative
 * clause describes, the rest of a name or noun phrase), its head word and
 * entity, the cue's subject when the tagger found no source, the person a
 * quotation after a paragraph belongs to, and "I" inside another's quote.
 * It labels no tokens: it refines what the role tagger found. */
#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "ner.h"

/* What a subject is: 1 a person, 2 a personal pronoun, 3 an organisation
 * or outlet, 4 another noun, 5 anything else. */
static uint8_t subj_class(const hs_doc *d, const ascratch *s, size_t i)
{
    uint8_t e = s->ti[i].ent;
    if (e == HS_ENT_PERSON || e == 10 + NER_PER)
        return 1;
    if (!strcmp(d->posname[i], "PRP"))
        return 2;
    if (e == HS_ENT_ORG || e == HS_ENT_OUTLET || e == 10 + NER_ORG)
        return 3;
    return d->posname[i][0] == 'N' ? 4 : 5;
}

/* A source found inside a relative clause set off by commas that closes
 * before the cue ("Gloria Peña, | whose district | covers ..., spoke") is
 * the speaker the clause describes: the name before the clause (in the
 * cue's window w). */
static trange antecedent(const hs_doc *d, const ascratch *s, trange r, const cue *c, trange w)
{
    static const char *const wh[] = {"who", "whose", "which", "whom", NULL};
    if (r.e > c->b || !d->tok_ent)
        return r;
    size_t sb = d->sent[s->ti[r.b].sent].tok_begin, open = r.b;
    if (sb < w.b)
        sb = w.b;
    while (open > sb && !attr_tok_is(d, open - 1, ","))
        open--;
    if (open <= sb + 1 || !attr_word_is(d, open, wh))
        return r;
    size_t close = r.e;
    while (close < c->b && !attr_tok_is(d, close, ","))
        close++;
    if (close >= c->b)
        return r; /* the clause runs into the cue: the cue is in it */
    size_t e = open - 1, k = e; /* the comma before the clause */
    if (!k || !d->tok_ent[k - 1] || d->ents[d->tok_ent[k - 1] - 1].type != HS_ENT_PERSON)
        return r;
    while (k > sb && d->tok_ent[k - 1] == d->tok_ent[e - 1])
        k--;
    return (trange){(uint32_t)k, (uint32_t)e};
}

/* A source run that stops inside a name or a noun phrase ("Eurasia Group's
 * | Ian Bremmer", "Supporters of | the toll") runs on to its end, never into
 * the cue nor out of its window w. */
static trange whole_source(const hs_doc *d, const ascratch *s, trange r, const cue *c, trange w)
{
    size_t lim = r.e <= c->b ? c->b : d->sent[s->ti[r.b].sent].tok_end;
    if (lim > w.e)
        lim = w.e;
    for (;;) {
        size_t k = r.e;
        if (k >= lim)
            break;
        const char *lp = d->posname[k - 1], *np = d->posname[k];
        int same = d->tok_ent && d->tok_ent[k] && d->tok_ent[k] == d->tok_ent[k - 1];
        int after_link = !strcmp(lp, "POS") || !strcmp(lp, "IN");
        int nominal = np[0] == 'N' || !strcmp(np, "DT") || !strcmp(np, "JJ") ||
                      !strcmp(np, "PRP$") || !strcmp(np, "CD");
        int in_np = lp[0] == 'N' && np[0] == 'N' && d->posname[k - 1][1] == np[1];
        if (!(same || (after_link && nominal) || (r.e - r.b > 0 && after_link == 0 && in_np &&
                                                   (d->tok[k].flags & HS_TF_CAP))))
            break;
        r.e++;
        /* after "of" or "'s", take the whole noun phrase */
        while (after_link && r.e < lim &&
               (d->posname[r.e][0] == 'N' || !strcmp(d->posname[r.e], "JJ")))
            r.e++;
    }
    return r;
}

/* The source run r of cue c grown to the speaker it names, within the cue's
 * window w. */
trange attr_source_extent(const hs_doc *d, const ascratch *s, trange r, const cue *c, trange w)
{
    return whole_source(d, s, antecedent(d, s, r, c, w), c, w);
}

/* The head word of a source: in its first noun phrase (up to a comma,
 * preposition, relative pronoun or verb, whose index goes to *np_end), the
 * last token whose parent in the parse lies outside the source, else the
 * last word of that phrase ("U.S. allies", "Eurasia Group's Ian Bremmer"). */
static size_t source_head(const hs_doc *d, const ascratch *s, trange r, size_t *np_end)
{
    size_t end = r.b + 1;
    while (end < r.e) {
        const char *p = d->posname[end];
        if (attr_tok_is(d, end, ",") || !strcmp(p, "IN") || p[0] == 'W' || !strcmp(p, "-LRB-") ||
            p[0] == 'V')
            break;
        end++;
    }
    *np_end = end;
    int parsed = s->parsed && s->psent[s->ti[r.b].sent];
    for (size_t k = end; parsed && k-- > r.b;)
        if ((s->ti[k].head < (int32_t)r.b || s->ti[k].head >= (int32_t)r.e) &&
            d->tok[k].kind != HS_TOK_PUNCT && d->tok[k].kind != HS_TOK_QUOTE &&
            strcmp(d->posname[k], "POS"))
            return k;
    while (end > r.b + 1 && (d->tok[end - 1].kind == HS_TOK_PUNCT ||
                             d->tok[end - 1].kind == HS_TOK_QUOTE ||
                             !strcmp(d->posname[end - 1], "POS")))
        end--;
    return end - 1;
}

static int ent_type_at(const hs_doc *d, size_t k)
{
    return d->tok_ent[k] ? d->ents[d->tok_ent[k] - 1].type : -1;
}

/* The entity a source names. A head word that is a mention (a name, a
 * resolved pronoun or role noun) gives its entity; else a person named in
 * it ("a mill whose chief executive, Mr. Valcourt,"); else, for a common
 * noun head, an organisation set beside it ("A rival bidder, Marlin Span
 * Corp.,") or nothing: a nominal source ("U.S. allies", "officials at the
 * agency", "reports") stays unresolved. Other heads take the first
 * organisation or outlet, else the last entity ("Dr. Anneke Vos, an
 * economist at the Policy Institute in Hamburg" is Vos, not Hamburg). */
long attr_source_entity(const hs_doc *d, const ascratch *s, const trange *src, size_t nsrc)
{
    if (!d->tok_ent || !nsrc)
        return -1;
    size_t np_end, h = source_head(d, s, src[0], &np_end);
    if (d->tok_ent[h])
        return (long)d->tok_ent[h] - 1;
    for (size_t i = 0; i < nsrc; i++) /* a name, not "his" of "his spokesman, Mikko Rantanen" */
        for (size_t k = src[i].b; k < src[i].e; k++)
            if (ent_type_at(d, k) == HS_ENT_PERSON && strncmp(d->posname[k], "PRP", 3))
                return (long)d->tok_ent[k] - 1;
    if (!strcmp(d->posname[h], "NN") || !strcmp(d->posname[h], "NNS")) {
        size_t k = np_end + 1;
        int t = k < src[0].e && attr_tok_is(d, np_end, ",") ? ent_type_at(d, k) : -1;
        return t == HS_ENT_ORG || t == HS_ENT_OUTLET ? (long)d->tok_ent[k] - 1 : -1;
    }
    long best = -1;
    int rank = 0;
    for (size_t i = 0; i < nsrc; i++)
        for (size_t k = src[i].b; k < src[i].e; k++) {
            int t = ent_type_at(d, k);
            if (t < 0)
                continue;
            int r = t == HS_ENT_ORG || t == HS_ENT_OUTLET ? 2 : 1;
            if (r > rank || (r == 1 && rank == 1))
                best = (long)d->tok_ent[k] - 1, rank = r;
        }
    return best;
}

/* The subject of the cue's verb, before the cue in its sentence and window
 * w (the whole subtree of its nsubj dependent); 0 when there is none. */
int attr_subject_of(const hs_doc *d, const ascratch *s, const cue *c, trange w, trange *out)
{
    if (!s->parsed)
        return 0;
    size_t sb = d->sent[s->ti[c->b].sent].tok_begin;
    if (sb < w.b)
        sb = w.b;
    size_t ch = attr_cue_node(s, c);
    long subj = -1;
    int passive = 0;
    for (size_t k = sb; k < c->b && subj < 0; k++)
        if (s->ti[k].head == (int32_t)ch && s->label[k] < s->nl && s->lk[s->label[k]]) {
            subj = (long)k;
            passive = (int)s->label[k] != s->nsubj;
        }
    if (passive)
        return 0; /* "X was described as": X is what was said */
    if (subj < 0) {
        /* the parse found none: the nearest speaker before the cue with no
         * verb in between ("Donald Trump, as usual, deflected") */
        for (long k = (long)c->b - 1; k >= (long)sb; k--) {
            if (d->posname[k][0] == 'V' || attr_tok_is(d, (size_t)k, ";") || s->ti[k].quote)
                break;
            if (subj_class(d, s, (size_t)k) <= 3) {
                size_t e = (size_t)k + 1, b = (size_t)k;
                while (d->tok_ent && b > sb && d->tok_ent[b - 1] &&
                       d->tok_ent[b - 1] == d->tok_ent[k])
                    b--;
                *out = (trange){(uint32_t)b, (uint32_t)e};
                return 1;
            }
        }
        return 0;
    }
    /* only a speaker: a person, an organisation or a personal pronoun */
    if (subj_class(d, s, (size_t)subj) > 3)
        return 0;
    trange t = attr_subtree(s, sb, c->b, (size_t)subj);
    size_t lo = t.b, hi = t.e;
    while (hi > lo && attr_edge_mark(d, s, hi - 1))
        hi--;
    while (lo < hi && attr_edge_mark(d, s, lo))
        lo++;
    if (lo >= hi)
        return 0;
    *out = (trange){(uint32_t)lo, (uint32_t)hi};
    return 1;
}

/* Token range of the first mention of a person in [b, e1) (the subject,
 * usually), or an empty range. */
trange attr_first_person(const hs_doc *d, size_t b, size_t e1)
{
    for (size_t k = b; d->tok_ent && k < e1; k++) {
        if (!d->tok_ent[k] || d->ents[d->tok_ent[k] - 1].type != HS_ENT_PERSON)
            continue;
        size_t e = k + 1;
        while (e < e1 && d->tok_ent[e] == d->tok_ent[k])
            e++;
        return (trange){(uint32_t)k, (uint32_t)e};
    }
    return (trange){0, 0};
}

/* Does statement i have one source, a first-person pronoun ("I said")
 * that names no entity yet, and a cue? */
static int speaks_first(const hs_doc *d, const ascratch *s, size_t i)
{
    static const char *const first[] = {"i", "we", "me", "us", NULL};
    const hs_attribution *a = &d->attr[i];
    if (a->source_entity >= 0 || a->nsource != 1 || !a->ncue)
        return 0;
    const hs_span *src = d->attrspans + s->aoff[i] + a->ncontent + 1;
    size_t k = attr_tok_after(d, src->start);
    return k < d->ntok && d->tok[k].end == src->end && attr_word_is(d, k, first);
}

static int cmp_cspan(const void *x, const void *y)
{
    const cspan *a = x, *b = y;
    if (a->b != b->b)
        return a->b < b->b ? -1 : 1;
    return a->j < b->j ? -1 : a->j > b->j;
}

/* In the tree of greatest ends over the spans cs[lo, hi) (node v), the
 * first statement (lowest index) other than i, with a source entity, whose
 * content span among cs[0, last] ends at qe or after: *best. */
static void holder(const hs_doc *d, const ascratch *s, size_t v, size_t lo, size_t hi,
                   size_t last, uint32_t qe, size_t i, size_t *best)
{
    if (lo > last || s->cmax[v] < qe)
        return;
    if (hi - lo == 1) {
        size_t j = s->cs[lo].j;
        if (j != i && j < *best && d->attr[j].source_entity >= 0)
            *best = j;
        return;
    }
    size_t mid = lo + (hi - lo) / 2;
    holder(d, s, 2 * v, lo, mid, last, qe, i, best);
    holder(d, s, 2 * v + 1, mid, hi, last, qe, i, best);
}

/* "I" and "we" speaking inside someone's quotation are that someone: the
 * source of a statement whose cue lies in another's content is resolved to
 * the other's source entity when it is a first-person pronoun. The content
 * spans holding a cue are found in a tree of their greatest ends over the
 * spans sorted by start, not by a look at every statement. Returns HS_OK or
 * HS_ENOMEM. */
int attr_quoted_speakers(hs_doc *d, ascratch *s)
{
    size_t n = 0, any = 0;
    for (size_t i = 0; i < d->nattr; i++) {
        any |= (size_t)speaks_first(d, s, i);
        n += d->attr[i].ncontent;
    }
    if (!any || !n)
        return HS_OK;
    size_t size = 1;
    while (size < n)
        size *= 2;
    if (vec_reserve((void **)&s->cs, &s->capcs, n, sizeof *s->cs) ||
        vec_reserve((void **)&s->cmax, &s->capcmax, 2 * size, sizeof *s->cmax))
        return HS_ENOMEM;
    size_t k = 0;
    for (size_t j = 0; j < d->nattr; j++) {
        const hs_span *bc = d->attrspans + s->aoff[j];
        for (uint32_t m = 0; m < d->attr[j].ncontent; m++)
            s->cs[k++] = (cspan){bc[m].start, bc[m].end, (uint32_t)j};
    }
    qsort(s->cs, n, sizeof *s->cs, cmp_cspan);
    for (size_t x = 0; x < size; x++)
        s->cmax[size + x] = x < n ? s->cs[x].e : 0;
    for (size_t v = size; v-- > 1;)
        s->cmax[v] = s->cmax[2 * v] > s->cmax[2 * v + 1] ? s->cmax[2 * v] : s->cmax[2 * v + 1];
    for (size_t i = 0; i < d->nattr; i++) {
        if (!speaks_first(d, s, i))
            continue;
        hs_attribution *a = &d->attr[i];
        const hs_span *cu = d->attrspans + s->aoff[i] + a->ncontent;
        size_t lo = 0, hi = n; /* spans starting at or before the cue: cs[0, lo) */
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (s->cs[mid].b <= cu->start)
                lo = mid + 1;
            else
                hi = mid;
        }
        size_t best = SIZE_MAX;
        if (lo)
            holder(d, s, 1, 0, size, lo - 1, cu->end, i, &best);
        if (best != SIZE_MAX)
            a->source_entity = d->attr[best].source_entity;
    }
    return HS_OK;
}
