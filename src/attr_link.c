/* attr_link - statements from labels: one attribution per cue from the role
 * runs of its window, with the rules a tagger over one paragraph cannot
 * see (a colon introducing the block after it, a quotation running on,
 * headlines), its kind (direct, indirect, mixed, block quote), quotations
 * no cue claimed or signed with a dash, and the final order. Spans are
 * byte offsets in the document's span array. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "attr.h"

static int add_span(hs_doc *d, uint32_t s, uint32_t e)
{
    if (vec_reserve((void **)&d->attrspans, &d->capattrspans, d->nattrspans + 1,
                    sizeof *d->attrspans))
        return HS_ENOMEM;
    d->attrspans[d->nattrspans].start = s;
    d->attrspans[d->nattrspans].end = e;
    d->nattrspans++;
    return HS_OK;
}

/* Content ranges of paragraphs [q, q + n), quote marks at their edges left out. */
static size_t block_ranges(const hs_doc *d, const ascratch *s, size_t q, size_t n, trange *r)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < MAXR; i++) {
        trange t = attr_para_toks(d, q + i);
        while (t.b < t.e && s->ti[t.b].quote)
            t.b++;
        while (t.e > t.b && s->ti[t.e - 1].quote)
            t.e--;
        if (t.b < t.e)
            r[k++] = t;
    }
    return k;
}

static int add_ranges(hs_doc *d, const trange *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (add_span(d, d->tok[r[i].b].start, d->tok[r[i].e - 1].end))
            return HS_ENOMEM;
    return HS_OK;
}

/* Is token k a double quote mark (" “ ” „)? Single marks inside a quotation
 * quote something else and do not make it mixed. */
static int dquote(const hs_doc *d, const ascratch *s, size_t k)
{
    if (!s->ti[k].quote)
        return 0;
    const unsigned char *t = (const unsigned char *)d->text + d->tok[k].start;
    size_t n = d->tok[k].end - d->tok[k].start;
    return (n == 1 && t[0] == '"') ||
           (n == 3 && t[0] == 0xE2 && t[1] == 0x80 && (t[2] >= 0x9C && t[2] <= 0x9E));
}

/* Kind of content ranges: direct when it is one quotation. */
static uint8_t kind_of(const hs_doc *d, const ascratch *s, const trange *r, size_t n,
                       const cue *c)
{
    if (!n)
        return HS_ATTR_INDIRECT;
    uint8_t blk = s->ti[r[0].b].blk;
    /* a statement made inside a block quote is not the block quote itself */
    if ((blk == HS_BLOCK_BLOCKQUOTE && !(c && s->ti[c->b].blk == HS_BLOCK_BLOCKQUOTE)) ||
        blk == HS_BLOCK_MISSING_EMBED)
        return HS_ATTR_BLOCKQUOTE;
    size_t quotes = 0;
    int direct = 1;
    for (size_t i = 0; i < n; i++) {
        size_t b = r[i].b, e = r[i].e;
        /* each range is one quotation: double marks at or just outside its
         * edges, none inside */
        int open = dquote(d, s, b) || (b > 0 && dquote(d, s, b - 1));
        int close = dquote(d, s, e - 1) || (e < d->ntok && dquote(d, s, e));
        size_t inner = 0;
        for (size_t k = b; k < e; k++)
            inner += dquote(d, s, k);
        quotes += inner;
        inner -= dquote(d, s, b) + dquote(d, s, e - 1);
        direct &= open && close && inner == 0;
    }
    if (direct)
        return HS_ATTR_DIRECT;
    return quotes ? HS_ATTR_MIXED : HS_ATTR_INDIRECT;
}

/* Whether the last quote mark in r opens a quotation. */
static int opened_in(const ascratch *s, trange r)
{
    for (size_t k = r.e; k-- > r.b;)
        if (s->ti[k].quote)
            return s->ti[k].quote == 1;
    return 0;
}

/* Appends one attribution: content ranges, cue (may be NULL), source ranges,
 * via range (b == e: none), hedges found in the content or just before the
 * cue. Records the span offset in the scratch (pointers come in finish). */
static int push_attr(hs_doc *d, ascratch *s, const trange *con, size_t ncon, const cue *c,
                     const trange *src, size_t nsrc, trange via, long src_ent, float conf,
                     uint8_t kind, uint8_t flags)
{
    if (!ncon && !(flags & HS_ATTR_MISSING_CONTENT))
        return HS_OK;
    /* quote marks and the punctuation that closes a quotation stay outside
     * the content, as in the schema */
    trange tc[MAXR];
    size_t ntc = 0;
    for (size_t i = 0; i < ncon; i++) {
        trange r = con[i];
        while (r.b < r.e && attr_edge_mark(d, s, r.b))
            r.b++;
        while (r.e > r.b && attr_edge_mark(d, s, r.e - 1))
            r.e--;
        /* a quotation opened inside the content closes inside it, with the
         * comma it encloses ("described the response as 'startled,'") */
        size_t q = r.e, qe = r.e + 3 < d->ntok ? r.e + 3 : d->ntok;
        while (q < qe && !s->ti[q].quote && attr_edge_mark(d, s, q))
            q++;
        if (q < qe && r.b < r.e && s->ti[q].quote == 2 && s->ti[q].sent == s->ti[r.b].sent &&
            opened_in(s, r))
            r.e = (uint32_t)q + 1;
        if (r.b < r.e)
            tc[ntc++] = r;
    }
    if (!ntc && !(flags & HS_ATTR_MISSING_CONTENT))
        return HS_OK;
    con = tc;
    ncon = ntc;
    size_t base = d->nattrspans;
    uint32_t nhed = 0;
    if (add_ranges(d, con, ncon) || (c && add_span(d, d->tok[c->b].start, d->tok[c->e - 1].end)) ||
        add_ranges(d, src, nsrc) || (via.e > via.b && add_ranges(d, &via, 1)))
        return HS_ENOMEM;
    for (size_t i = 0; i < ncon; i++)
        for (size_t k = con[i].b; k < con[i].e; k++)
            if (attr_is_hedge(d, s, k)) {
                if (add_span(d, d->tok[k].start, d->tok[k].end))
                    return HS_ENOMEM;
                nhed++;
            }
    for (size_t k = c && c->b >= 3 ? c->b - 3 : 0; c && k < c->b; k++)
        if (attr_is_hedge(d, s, k) && !attr_in_ranges(con, ncon, k)) {
            if (add_span(d, d->tok[k].start, d->tok[k].end))
                return HS_ENOMEM;
            nhed++;
        }
    if (vec_reserve((void **)&d->attr, &d->capattr, d->nattr + 1, sizeof *d->attr) ||
        vec_reserve((void **)&s->aoff, &s->capaoff, d->nattr + 1, sizeof *s->aoff) ||
        vec_reserve((void **)&s->apara, &s->capapara, d->nattr + 1, sizeof *s->apara))
        return HS_ENOMEM;
    s->aoff[d->nattr] = (uint32_t)base;
    s->apara[d->nattr] = c ? s->ti[c->b].para : UINT32_MAX;
    hs_attribution *a = &d->attr[d->nattr++];
    memset(a, 0, sizeof *a);
    a->kind = kind;
    a->flags = flags;
    a->confidence = conf;
    a->ncontent = (uint32_t)ncon;
    a->ncue = c != NULL;
    a->nsource = (uint32_t)nsrc;
    a->nvia = via.e > via.b;
    a->nhedges = nhed;
    a->source_entity = src_ent;
    a->via_entity = via.e > via.b ? (long)d->tok_ent[via.b] - 1 : -1;
    if (via.e == via.b && src_ent >= 0 && d->ents[src_ent].type == HS_ENT_OUTLET)
        a->via_entity = src_ent;
    return HS_OK;
}

/* A quotation is not continued by a clause that follows it: a run that
 * opens with a whole quotation ends with it when a conjunction comes next
 * ("“That makes me smart,” when Clinton blasted him"), and after "“Q,” she
 * said" a run that starts with a conjunction is not what she said ("but
 * Kevin was drifting off again"). Returns the runs left. */
static size_t quote_then_clause(const hs_doc *d, const ascratch *s, const cue *c, trange *con,
                                size_t ncon)
{
    static const char *const conj[] = {"when",   "but",   "as",     "while",  "and", "because",
                                       "before", "after", "though", "although", NULL};
    for (size_t i = 0; i < ncon; i++) {
        trange *r = &con[i];
        size_t b = r->b;
        while (b < r->e && !s->ti[b].quote && attr_edge_mark(d, s, b))
            b++;
        if (b >= r->e || s->ti[b].quote != 1)
            continue;
        size_t q = b + 1;
        while (q < r->e && !s->ti[q].quote)
            q++;
        if (q >= r->e || s->ti[q].quote != 2)
            continue;
        size_t t = q + 1;
        while (t < r->e && attr_edge_mark(d, s, t) && !s->ti[t].quote)
            t++;
        if (t < r->e && attr_word_is(d, t, conj))
            r->e = (uint32_t)q + 1;
    }
    if (ncon < 2 || con[0].e > c->b || kind_of(d, s, con, 1, c) != HS_ATTR_DIRECT)
        return ncon;
    size_t k = 1;
    for (size_t i = 1; i < ncon; i++) {
        size_t t = con[i].b;
        while (t < con[i].e && attr_edge_mark(d, s, t) && !s->ti[t].quote)
            t++;
        if (con[i].b < c->e || t >= con[i].e || !attr_word_is(d, t, conj))
            con[k++] = con[i];
    }
    return k;
}

/* A content after its cue ends before a trailing clause that comments on
 * it, set off by a comma outside quotation marks: a participle ("...,
 * contradicting the police's earlier claim"), "with" ("..., with
 * RealClearPolitics showing her ahead"), "especially", or a concession or
 * contrast ("..., though she acknowledged it was unlikely"). Relative
 * clauses (", which ...") and ", and" measured worse on dev: they are often
 * part of what was said. */
static void trailing_clause(const hs_doc *d, const ascratch *s, const cue *c, trange *con,
                            size_t ncon)
{
    static const char *const comment[] = {"with",    "especially", "but",  "though",
                                          "although", "despite",   "even", "notwithstanding",
                                          NULL};
    for (size_t i = 0; i < ncon; i++) {
        trange *r = &con[i];
        if (r->b < c->e || s->ti[r->b].sent != s->ti[c->b].sent)
            continue; /* not a block quote or the sentences after the cue's */
        for (size_t k = r->b + 1; k + 1 < r->e && s->ti[k].sent == s->ti[c->b].sent; k++) {
            if (!attr_tok_is(d, k, ",") || (d->tok[k].flags & HS_TF_IN_QUOTE))
                continue;
            if (!strcmp(d->posname[k + 1], "VBG") || attr_word_is(d, k + 1, comment)) {
                r->e = (uint32_t)k;
                break;
            }
        }
    }
}

/* "Asked to describe the device, O'Neill said, "Not going to go into
 * that."": the question a sentence opens with is not what the speaker
 * said, when the cue has content of its own after it. Returns the runs
 * left. */
static size_t drop_question(const hs_doc *d, const ascratch *s, const cue *c, trange *con,
                            size_t ncon)
{
    static const char *const when[] = {"when", NULL}, *const asked[] = {"asked", NULL};
    size_t q = d->sent[s->ti[c->b].sent].tok_begin;
    if (attr_word_is(d, q, when))
        q++;
    if (q >= c->b || !attr_word_is(d, q, asked))
        return ncon;
    int after = 0;
    for (size_t i = 0; i < ncon; i++)
        after |= con[i].b >= c->e;
    if (!after)
        return ncon;
    size_t qe = q + 1; /* the question runs to its comma */
    while (qe < c->b && !attr_tok_is(d, qe, ","))
        qe++;
    size_t k = 0;
    for (size_t i = 0; i < ncon; i++)
        if (con[i].b < q || con[i].b > qe)
            con[k++] = con[i];
        else if (con[i].e > qe + 1)
            con[k++] = (trange){(uint32_t)qe + 1, con[i].e};
    return k;
}

/* Whether src may be the source of the noun cue c: its own possessor,
 * compound or phrase ("his statement", "a Pentagon report", "reports by
 * X"), or the subject of the verb the cue is the object of ("X issued a
 * statement"); not the subject of a clause the noun only sits in ("News of
 * the talks follows shortly after reports that ..."). Verb cues, and
 * sentences without a parse, keep their source. */
static int noun_source_ok(const hs_doc *d, const ascratch *s, const cue *c, trange src)
{
    size_t h = attr_cue_node(s, c);
    if (!s->parsed || d->posname[h][0] != 'N' || s->ti[h].head < 0 ||
        s->ti[c->b].sent != s->ti[src.b].sent)
        return 1;
    size_t sh = attr_range_node(s, src);
    if (s->ti[sh].head == (int32_t)h)
        return 1;
    /* only a noun that sets the time or cause of another event */
    static const char *const when[] = {"after", "before", "following", "amid", "despite", "since",
                                       "ahead", NULL};
    int timed = 0;
    for (size_t k = d->sent[s->ti[h].sent].tok_begin; k < h; k++)
        timed |= s->ti[k].head == (int32_t)h && attr_word_is(d, k, when);
    if (!timed)
        return 1;
    size_t v = (size_t)s->ti[h].head;
    return s->ti[sh].head == (int32_t)v && (int)s->label[h] == s->dobj && s->label[sh] < s->nl &&
           s->lk[s->label[sh]];
}

/* "According to X": X, the object of the cue, is the source. Opening a
 * sentence, what follows X's comma is the content, whole, when the clause's
 * subject starts right after that comma ("According to NBC News, Sergey
 * Lavrov, Russia's Foreign Minister, was asked ..."), and the appositive is
 * the subject's, not the source's. Closing one ("..., according to X"), X is
 * the source even where the tagger took it for the content. */
static void according_to(hs_doc *d, ascratch *s, const cue *c, trange *con, size_t *ncon,
                         trange *src, size_t *nsrc)
{
    if (c->e != c->b + 2 || !attr_tok_is(d, c->b, "according") || !attr_tok_is(d, c->b + 1, "to"))
        return;
    size_t se = s->ti[c->b].sent, sb = d->sent[se].tok_begin, send = d->sent[se].tok_end;
    size_t k = c->e;
    while (k < send && !attr_edge_mark(d, s, k))
        k++;
    if (k == c->e)
        return;
    trange obj = {c->e, (uint32_t)k};
    size_t lead = sb;
    while (lead < c->b && (s->ti[lead].quote || !strcmp(d->posname[lead], "CC")))
        lead++;
    if (lead < c->b) {
        /* closing: the tagger's source before the cue is the content */
        int after = *ncon > 0;
        for (size_t i = 0; i < *ncon; i++)
            after &= con[i].b >= obj.b && con[i].e <= obj.e + 1;
        if (after && *nsrc == 1 && src[0].e <= c->b) {
            con[0] = src[0];
            *ncon = 1;
            src[0] = obj;
        }
        return;
    }
    if (k + 1 >= send || !attr_tok_is(d, k, ",") || !s->parsed)
        return;
    attr_need_parse(d, s, se);
    /* the clause's verb: the sentence's root, or, where the parse made the
     * source the root ("Politico"), the first verb after the comma that
     * hangs outside the clause */
    long root = -1, subj = -1;
    for (size_t t = sb; t < send && root < 0; t++)
        if (s->ti[t].head < 0)
            root = (long)t;
    if (root >= 0 && (size_t)root < k) {
        root = -1;
        for (size_t t = k + 1; t < send && root < 0; t++)
            if ((s->ti[t].head < (int32_t)k || s->ti[t].head >= (int32_t)send) &&
                d->posname[t][0] == 'V')
                root = (long)t;
    }
    for (size_t t = k + 1; root >= 0 && t < send && subj < 0; t++)
        if (s->ti[t].head == root && s->label[t] < s->nl && s->lk[s->label[t]])
            subj = (long)t;
    if (subj < 0 || attr_subtree(s, k + 1, (size_t)subj, (size_t)subj).b != k + 1)
        return;
    src[0] = obj;
    *nsrc = 1;
    con[0] = (trange){(uint32_t)(k + 1), (uint32_t)send};
    *ncon = 1;
}

/* The attribution of cue c from the role labels of its window w (its
 * paragraph, unless that is very long), with the rules for what a tagger
 * over one paragraph cannot see: a colon at the end of the paragraph
 * introduces the block quote, embed or quotation after it; a headline
 * "CLAIM, Source Says" claims everything before the comma. */
int attr_emit(hs_doc *d, ascratch *s, const cue *c, trange w)
{
    trange con[MAXR], src[MAXR];
    size_t ncon = attr_runs_of(s, w.b, w.e, R_C, con), nsrc = attr_runs_of(s, w.b, w.e, R_S, src);
    size_t para = s->ti[c->b].para;
    size_t pb = w.b, pe = attr_para_toks(d, para).e;
    size_t last = pe - 1;
    int later_cue = s->cpre[pe] - s->cpre[c->e] > 0;
    uint8_t flags = 0;
    int colon = 0, from_x = 0;
    if (attr_tok_is(d, last, ":") && c->e <= last + 1 && !later_cue &&
        s->ti[c->b].sent == s->ti[last].sent) {
        size_t n = attr_introduced(d, s, para);
        colon = n || s->ti[c->b].blk == HS_BLOCK_MISSING_EMBED;
        if (colon && c->b == d->sent[s->ti[c->b].sent].tok_begin && attr_tok_is(d, c->b, "from") &&
            c->e < last) {
            /* "From X:": X is the source, and the paragraph after it what
             * X said, even when structure took the colon for an embed */
            src[0] = (trange){c->e, (uint32_t)last};
            nsrc = 1;
            if (!n && para + 1 < d->npara)
                n = 1;
            from_x = n > 0;
        }
        if (s->ti[c->b].blk == HS_BLOCK_MISSING_EMBED && !from_x) {
            /* what it announces is not in the text: keep only what came before the cue */
            size_t k = 0;
            for (size_t i = 0; i < ncon; i++)
                if (con[i].e <= c->b)
                    con[k++] = con[i];
            ncon = k;
            flags = HS_ATTR_MISSING_CONTENT;
        } else if (n) {
            /* the content is the block; what the tagger found after the cue
             * in this paragraph was the run-up to the colon */
            size_t k = 0;
            for (size_t i = 0; i < ncon; i++)
                if (con[i].e <= c->b)
                    con[k++] = con[i];
            ncon = k + block_ranges(d, s, para + 1, n, con + k);
            if (ncon > MAXR)
                ncon = MAXR;
        }
    }
    /* "“We held them,” she said several months later": when what precedes the
     * cue is one whole quotation, unquoted words after the cue are not part
     * of it */
    if (ncon >= 2 && con[0].e <= c->b && kind_of(d, s, con, 1, c) == HS_ATTR_DIRECT) {
        size_t k = 1;
        int quoted = 0;
        for (size_t i = 1; i < ncon; i++)
            quoted |= s->qpre[con[i].e] > s->qpre[con[i].b];
        if (!quoted) {
            for (size_t i = 1; i < ncon; i++)
                if (con[i].e <= c->b)
                    con[k++] = con[i];
            ncon = k;
        }
    }
    ncon = quote_then_clause(d, s, c, con, ncon);
    ncon = drop_question(d, s, c, con, ncon);
    trailing_clause(d, s, c, con, ncon);
    /* past its first run, a content does not reach into another sentence
     * with a cue of its own: what is said there is that cue's ("“This just
     * isn't right,” Warren said. “You squeezed employees,” she said") */
    if (ncon >= 2) {
        uint32_t cs = s->ti[c->b].sent;
        size_t k = 1;
        for (size_t i = 1; i < ncon; i++) {
            const hs_sentence *st = &d->sent[s->ti[con[i].b].sent];
            if (s->ti[con[i].b].sent == cs || s->cpre[st->tok_end] == s->cpre[st->tok_begin])
                con[k++] = con[i];
        }
        ncon = k;
    }
    /* a quotation left open at the end of the paragraph runs on through the
     * paragraphs that reopen it */
    if (ncon && con[ncon - 1].e + 2 >= pe && d->para[para].quote_open_at_end &&
        s->qpre[pe] > s->qpre[con[ncon - 1].b]) {
        size_t n = s->pi[para + 1].ro;
        ncon += block_ranges(d, s, para + 1, n < MAXR - ncon ? n : MAXR - ncon, con + ncon);
    }
    if (s->ti[c->b].blk == HS_BLOCK_HEADLINE && nsrc && src[0].e <= c->b) {
        size_t k = src[0].b;
        while (k > pb && !attr_tok_is(d, k - 1, ",") && !attr_tok_is(d, k - 1, ":") &&
               d->tok[k - 1].kind != HS_TOK_DASH)
            k--;
        if (k > pb + 1) {
            con[0] = (trange){(uint32_t)pb, (uint32_t)(k - 1)};
            ncon = 1;
        }
    }
    according_to(d, s, c, con, &ncon, src, &nsrc);
    if (!nsrc && attr_subject_of(d, s, c, w, &src[0])) {
        /* the tagger found no source: the cue's grammatical subject is it,
         * and no longer part of the content */
        nsrc = 1;
        size_t k = 0;
        for (size_t i = 0; i < ncon; i++) {
            trange r = con[i];
            if (r.b >= src[0].b && r.e <= src[0].e)
                continue;
            if (r.b < src[0].e && r.e > src[0].e)
                r.b = src[0].e;
            else if (r.b < src[0].b && r.e > src[0].b)
                r.e = src[0].b;
            con[k++] = r;
        }
        ncon = k;
    }
    for (size_t i = 0; i < nsrc; i++)
        src[i] = attr_source_extent(d, s, src[i], c, w);
    if (nsrc == 1 && !noun_source_ok(d, s, c, src[0]))
        nsrc = 0;
    if (nsrc)
        attr_need_parse(d, s, s->ti[src[0].b].sent); /* source_entity reads its head */
    long sent = attr_source_entity(d, s, src, nsrc);
    trange via = attr_find_via(d, s, c, w, con, ncon);
    if (via.e > via.b && attr_in_ranges(src, nsrc, via.b) && nsrc == 1 && src[0].b == via.b &&
        src[0].e == via.e)
        via = (trange){0, 0}; /* the outlet is the source itself */
    float conf = (float)(1.0 / (1.0 + exp(-c->margin / 4.0)));
    if (colon && conf < 0.6f)
        conf = 0.6f; /* the colon rule made or confirmed this statement */
    uint8_t kind = flags ? HS_ATTR_DIRECT : kind_of(d, s, con, ncon, c);
    if (from_x && kind == HS_ATTR_INDIRECT)
        kind = HS_ATTR_BLOCKQUOTE; /* set off after "From X:", though unquoted */
    return push_attr(d, s, con, ncon, c, src, nsrc, via, sent, conf, kind, flags);
}

/* The paragraphs of an orphan quotation starting at paragraph p > 0 (0: none
 * starts there): a block quote from its first paragraph (*block set), or a
 * body paragraph opening with a quote mark and the paragraphs reopening it. */
static size_t orphan_run(const hs_doc *d, const ascratch *s, size_t p, uint8_t *block)
{
    trange t = attr_para_toks(d, p);
    if (t.b >= t.e)
        return 0;
    *block = s->ti[t.b].blk == HS_BLOCK_BLOCKQUOTE;
    int quote = s->ti[t.b].blk == HS_BLOCK_BODY && s->ti[t.b].quote == 1 &&
                !d->para[p].reopens_quote;
    if (!*block && !quote)
        return 0;
    trange pt = attr_para_toks(d, p - 1);
    if (*block && pt.b < pt.e && s->ti[pt.b].blk == HS_BLOCK_BLOCKQUOTE)
        return 0; /* not the first paragraph of the block */
    return *block ? s->pi[p].bq : 1 + s->pi[p + 1].ro;
}

/* Which orphan quotations the statements so far claim, and the likeliest
 * speaker cued in each paragraph, in one pass over the statements: a
 * content span lies in one paragraph, so it covers only the quotations
 * holding that paragraph (at most two: a block quote may reopen one). */
static void orphan_index(hs_doc *d, ascratch *s)
{
    pinfo *pi = s->pi;
    for (size_t p = 0; p < d->npara; p++) {
        pi[p].run = 0, pi[p].block = pi[p].claimed = 0;
        pi[p].qrun = pi[p].brun = UINT32_MAX;
        pi[p].best = -1;
    }
    for (size_t p = 1; p < d->npara; p++) {
        pi[p].run = (uint32_t)orphan_run(d, s, p, &pi[p].block);
        for (size_t q = p; q < p + pi[p].run; q++) /* runs of one kind never overlap */
            *(pi[p].block ? &pi[q].brun : &pi[q].qrun) = (uint32_t)p;
    }
    for (size_t i = 0; i < d->nattr; i++) {
        const hs_attribution *a = &d->attr[i];
        const hs_span *sp = d->attrspans + s->aoff[i];
        /* claimed when a statement's content covers much of it (not by a
         * statement nested in it), or a cue inside speaks for it */
        struct {
            uint32_t run, cover;
        } acc[2 * MAXR]; /* a statement has at most MAXR content spans */
        size_t nacc = 0;
        for (uint32_t j = 0; j < a->ncontent; j++) {
            size_t k = attr_tok_after(d, sp[j].start);
            if (k >= d->ntok)
                continue;
            const pinfo *q = &pi[s->ti[k].para];
            uint32_t runs[2] = {q->qrun, q->brun};
            for (int r = 0; r < 2; r++) {
                if (runs[r] == UINT32_MAX)
                    continue;
                uint32_t bs = d->tok[attr_para_toks(d, runs[r]).b].start;
                uint32_t be = d->para[runs[r] + pi[runs[r]].run - 1].end;
                uint32_t lo = sp[j].start > bs ? sp[j].start : bs;
                uint32_t hi = sp[j].end < be ? sp[j].end : be;
                size_t x = 0;
                while (x < nacc && acc[x].run != runs[r])
                    x++;
                if (x == nacc)
                    acc[nacc++].run = runs[r], acc[x].cover = 0;
                acc[x].cover += hi > lo ? hi - lo : 0;
            }
        }
        for (size_t x = 0; x < nacc; x++) {
            pinfo *r = &pi[acc[x].run];
            uint32_t bs = d->tok[attr_para_toks(d, acc[x].run).b].start;
            uint32_t len = d->para[acc[x].run + r->run - 1].end - bs, cover = acc[x].cover;
            if (cover * 2 > len || (!r->block && cover * 4 > len))
                r->claimed = 1;
        }
        if (s->apara[i] != UINT32_MAX && a->nsource) {
            /* the likeliest speaker: a person, an organisation, then the surest */
            pinfo *q = &pi[s->apara[i]];
            float w = a->confidence;
            if (a->source_entity >= 0)
                w += d->ents[a->source_entity].type == HS_ENT_PERSON ? 3
                     : d->ents[a->source_entity].type == HS_ENT_ORG  ? 2
                                                                      : 0;
            if (q->best < 0 || w >= q->bestw)
                q->best = (long)i, q->bestw = w;
        }
    }
}

/* Statements no cue claimed: a block quote, or a paragraph that opens with a
 * quote mark (and the paragraphs that reopen it), belongs to whoever spoke
 * last in the paragraph before it (its surest named speaker), else to the
 * first person named in its last sentence ("Gen. Okonjo gave the council a blunt
 * assessment." then three paragraphs of quotation): same source, same
 * outlet, no cue of its own. */
int attr_orphan_quotes(hs_doc *d, ascratch *s)
{
    orphan_index(d, s);
    for (size_t p = 1; p < d->npara; p++) {
        size_t n = s->pi[p].run;
        if (!n || s->pi[p].claimed)
            continue;
        int block = s->pi[p].block;
        long prev = s->pi[p - 1].best;
        trange pt = attr_para_toks(d, p - 1);
        trange con[MAXR], src[MAXR];
        size_t ncon = block_ranges(d, s, p, n, con), nsrc = 0;
        trange via = {0, 0};
        long ent = -1;
        float conf = 0.5f;
        if (prev >= 0) {
            const hs_attribution *a = &d->attr[prev];
            const hs_span *sp = d->attrspans + s->aoff[prev] + a->ncontent + a->ncue;
            for (uint32_t j = 0; j < a->nsource && nsrc < MAXR; j++) {
                size_t b = attr_tok_after(d, sp[j].start), e = b;
                while (e < d->ntok && d->tok[e].start < sp[j].end)
                    e++;
                if (e > b)
                    src[nsrc++] = (trange){(uint32_t)b, (uint32_t)e};
            }
            if (a->nvia) {
                const hs_span *v = sp + a->nsource;
                size_t b = attr_tok_after(d, v->start), e = b;
                while (e < d->ntok && d->tok[e].start < v->end)
                    e++;
                via = (trange){(uint32_t)b, (uint32_t)e};
            }
            ent = a->source_entity;
            conf = a->confidence * 0.8f;
        } else {
            /* the first person named in the last sentence before it */
            size_t ls = d->sent[d->para[p - 1].sent_end - 1].tok_begin;
            trange m = attr_first_person(d, ls, pt.e);
            if (m.e == m.b)
                continue;
            src[nsrc++] = m;
            ent = (long)d->tok_ent[m.b] - 1;
        }
        uint8_t kind = block ? HS_ATTR_BLOCKQUOTE : HS_ATTR_DIRECT;
        if (push_attr(d, s, con, ncon, NULL, src, nsrc, via, ent, conf, kind, 0))
            return HS_ENOMEM;
    }
    return HS_OK;
}

/* A quotation signed on its own line's end with a dash and a name
 * ("“… our greatest shame.” ― Sonya Herridge"): the dash is the cue, the
 * name the source. The tagger's cues there are replaced. */
int attr_signed_quotes(hs_doc *d, ascratch *s)
{
    for (size_t p = 0; p < d->npara; p++) {
        trange t = attr_para_toks(d, p);
        /* the marks that end the paragraph: the name must reach them */
        size_t tail = t.e;
        while (tail > t.b && attr_edge_mark(d, s, tail - 1))
            tail--;
        for (size_t k = t.b + 1; k + 1 < t.e; k++) {
            if (s->ti[k - 1].quote != 2)
                continue;
            const hs_token *dash = &d->tok[k];
            int is_dash = dash->kind == HS_TOK_DASH ||
                          (dash->end - dash->start == 3 &&
                           !memcmp(d->text + dash->start, "\xE2\x80\x95", 3));
            if (!is_dash)
                continue;
            /* one to five capitalised words, then the end of the paragraph */
            size_t e = k + 1;
            while (e < t.e && e - k <= 5 && (d->tok[e].flags & HS_TF_CAP))
                e++;
            if (e == k + 1 || e < tail)
                continue;
            /* the quotation opens at the last opening mark before, or at a
             * mark that starts the paragraph whatever its direction */
            size_t open = k - 1;
            while (open > t.b && s->ti[open - 1].quote != 1)
                open--;
            if (open > t.b)
                open--;
            else if (!s->ti[t.b].quote)
                continue;
            trange con = {(uint32_t)open, (uint32_t)k}, src = {(uint32_t)k + 1, (uint32_t)e};
            cue c = {(uint32_t)k, (uint32_t)k + 1, 4.0f};
            attr_need_parse(d, s, s->ti[src.b].sent);
            long ent = attr_source_entity(d, s, &src, 1);
            for (size_t j = t.b; j < t.e; j++)
                s->ctag[j] = C_O; /* the paragraph's statement is this one */
            if (push_attr(d, s, &con, 1, &c, &src, 1, (trange){0, 0}, ent, 0.9f,
                          kind_of(d, s, &con, 1, &c), 0))
                return HS_ENOMEM;
            break;
        }
    }
    return HS_OK;
}

/* Orders attributions by content (then cue) once their pointers are set. */
static int cmp_attr(const void *x, const void *y)
{
    const hs_attribution *a = x, *b = y;
    uint32_t sa = a->ncontent ? a->content->start : a->ncue ? a->cue->start : 0;
    uint32_t sb = b->ncontent ? b->content->start : b->ncue ? b->cue->start : 0;
    if (sa != sb)
        return sa < sb ? -1 : 1;
    uint32_t ca = a->ncue ? a->cue->start : 0, cb = b->ncue ? b->cue->start : 0;
    return ca < cb ? -1 : ca > cb;
}

void attr_finish(hs_doc *d, const ascratch *s)
{
    for (size_t i = 0; i < d->nattr; i++) {
        hs_attribution *a = &d->attr[i];
        const hs_span *p = d->attrspans + s->aoff[i];
        a->content = p;
        a->cue = p + a->ncontent;
        a->source = a->cue + a->ncue;
        a->via = a->source + a->nsource;
        a->hedges = a->via + a->nvia;
    }
    if (d->nattr > 1)
        qsort(d->attr, d->nattr, sizeof *d->attr, cmp_attr);
}

/* A cue inside another statement's content is seldom a statement of its
 * own ("were concerned about" in what reports say): such a nested statement
 * stays only when its cue is a verb of saying and the tagger is sure of it
 * (confidence NEST_SURE). On PolNeAR dev this removed 100 wrong statements
 * for 40 right ones. Statements are in cue order and a content lies near
 * its cue, so NEST_NEAR statements either side are searched. */
#define NEST_SURE 0.8f
#define NEST_NEAR 8
int attr_drop_nested(hs_doc *d, ascratch *s)
{
    if (vec_reserve((void **)&s->nested, &s->capnested, d->nattr + 1, 1))
        return HS_ENOMEM;
    /* decided on all statements first, then removed */
    for (size_t i = 0; i < d->nattr; i++) {
        const hs_attribution *a = &d->attr[i];
        const hs_span *cu = d->attrspans + s->aoff[i] + a->ncontent;
        int nested = 0;
        size_t lo = i > NEST_NEAR ? i - NEST_NEAR : 0;
        size_t hi = i + NEST_NEAR + 1 < d->nattr ? i + NEST_NEAR + 1 : d->nattr;
        for (size_t j = lo; a->ncue && j < hi && !nested; j++) {
            if (j == i || !d->attr[j].ncue)
                continue;
            const hs_span *bc = d->attrspans + s->aoff[j];
            for (uint32_t m = 0; m < d->attr[j].ncontent; m++)
                nested |= bc[m].start <= cu->start && cu->end <= bc[m].end;
        }
        if (nested && a->confidence >= NEST_SURE)
            for (size_t t = attr_tok_after(d, cu->start); t < d->ntok && d->tok[t].start < cu->end;
                 t++)
                nested &= s->ti[t].lex != 1;
        s->nested[i] = (uint8_t)nested;
    }
    size_t k = 0;
    for (size_t i = 0; i < d->nattr; i++) {
        if (s->nested[i])
            continue;
        d->attr[k] = d->attr[i];
        s->aoff[k] = s->aoff[i];
        s->apara[k] = s->apara[i];
        k++;
    }
    d->nattr = k;
    return HS_OK;
}
