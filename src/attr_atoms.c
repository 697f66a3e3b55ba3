/* attr_atoms - what attribution knows of each token, computed once per
 * document: hashed forms, stem, shape, POS, entity, quote marks, block kind,
 * distance to a speaker, class in our lexicon of saying, and tree atoms of
 * the sentences it parses; what a paragraph ending in a colon introduces;
 * small predicates on tokens. It scores nothing and parses only the
 * sentences the other attr files ask for. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attr.h"
#include "ner.h"
#include "parser.h"

static inline unsigned char fold(unsigned char c)
{
    return (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c >= '0' && c <= '9' ? '0' : c);
}

static uint8_t shape_of(const hs_doc *d, size_t i)
{
    const hs_token *t = &d->tok[i];
    if (t->kind == HS_TOK_QUOTE)
        return 1;
    if (t->kind != HS_TOK_WORD && t->kind != HS_TOK_NUMBER)
        return 2;
    if (t->kind == HS_TOK_NUMBER)
        return 3;
    if (!(t->flags & HS_TF_CAP))
        return 4;
    size_t n = t->end - t->start, up = 0;
    for (size_t k = 0; k < n; k++)
        up += d->text[t->start + k] >= 'A' && d->text[t->start + k] <= 'Z';
    return up == n && n > 1 ? 5 : 6;
}

static int grow(void **p, size_t *cap, size_t n, size_t el)
{
    return vec_reserve(p, cap, n ? n : 1, el);
}

/* Words of saying (1), thinking (2) and nouns of statements (3), base
 * forms and a few irregular forms; our own list, sorted. The tagger learns
 * the common cues from the data; the list helps with the rare ones. */
static const struct lexw {
    const char *w;
    uint8_t cls;
} lexicon[] = {
    {"accept", 2}, {"accusation", 3}, {"accuse", 1}, {"acknowledge", 2}, {"acknowledgment", 3},
    {"add", 1}, {"address", 1}, {"admission", 3}, {"admit", 1}, {"advise", 1}, {"affirm", 1},
    {"agree", 1}, {"allegation", 3}, {"allege", 1}, {"analysis", 3}, {"announce", 1},
    {"announcement", 3}, {"answer", 1}, {"anticipate", 2}, {"apologise", 1}, {"apologize", 1},
    {"appeal", 1}, {"appear", 2}, {"argue", 1}, {"argument", 3}, {"ask", 1}, {"assert", 1},
    {"assertion", 3}, {"assessment", 3}, {"assume", 2}, {"assure", 1}, {"attack", 1},
    {"back", 1}, {"bash", 1}, {"belief", 3}, {"believe", 2}, {"blame", 1}, {"blast", 1},
    {"blog", 1}, {"boast", 1}, {"brag", 1}, {"brief", 1}, {"calculate", 2}, {"call", 1},
    {"caution", 1}, {"celebrate", 1}, {"charge", 1}, {"chide", 1}, {"cite", 1}, {"claim", 1},
    {"clarify", 1}, {"commend", 1}, {"comment", 1}, {"complain", 1}, {"complaint", 3},
    {"concede", 1}, {"concern", 3}, {"conclude", 2}, {"conclusion", 3}, {"condemn", 1},
    {"confess", 1}, {"confide", 1}, {"confirm", 1}, {"congratulate", 1}, {"consider", 2},
    {"contend", 1}, {"contention", 3}, {"contest", 1}, {"counter", 1}, {"criticise", 1},
    {"criticism", 3}, {"criticize", 1}, {"cry", 1}, {"decide", 1}, {"declaration", 3},
    {"declare", 1}, {"decry", 1}, {"deem", 2}, {"defend", 1}, {"demand", 1}, {"denial", 3},
    {"denounce", 1}, {"deny", 1}, {"describe", 1}, {"description", 3}, {"detail", 1},
    {"determine", 2}, {"disclose", 1}, {"discover", 2}, {"dismiss", 1}, {"dispute", 1},
    {"doubt", 2}, {"dub", 1}, {"echo", 1}, {"email", 1}, {"emphasise", 1}, {"emphasize", 1},
    {"endorse", 1}, {"envision", 2}, {"estimate", 1}, {"exclaim", 1}, {"expect", 2},
    {"explain", 1}, {"explanation", 3}, {"express", 1}, {"fault", 1}, {"fear", 2}, {"feel", 2},
    {"felt", 2}, {"figure", 2}, {"find", 2}, {"finding", 3}, {"forecast", 1}, {"foresee", 2},
    {"found", 2}, {"gather", 2}, {"grumble", 1}, {"guess", 2}, {"hail", 1}, {"highlight", 1},
    {"hint", 1}, {"hope", 2}, {"hypothesize", 2}, {"idea", 3}, {"imagine", 2}, {"imply", 1},
    {"impression", 3}, {"indicate", 1}, {"infer", 2}, {"inform", 1}, {"insist", 1},
    {"insistence", 3}, {"instruct", 1}, {"intend", 2}, {"interview", 3}, {"joke", 1},
    {"judge", 2}, {"judgment", 3}, {"knew", 2}, {"know", 2}, {"known", 2}, {"label", 1},
    {"lambast", 1}, {"lament", 1}, {"laud", 1}, {"learn", 2}, {"look", 2}, {"maintain", 1},
    {"mention", 1}, {"message", 3}, {"mock", 1}, {"note", 1}, {"notify", 1}, {"notion", 3},
    {"object", 1}, {"observation", 3}, {"observe", 1}, {"opinion", 3}, {"order", 1},
    {"outline", 1}, {"perceive", 2}, {"plan", 2}, {"plead", 1}, {"pledge", 1}, {"point", 1},
    {"poll", 3}, {"posit", 2}, {"post", 1}, {"praise", 1}, {"predict", 1}, {"prediction", 3},
    {"presume", 2}, {"proclaim", 1}, {"project", 2}, {"promise", 1}, {"proposal", 3},
    {"propose", 1}, {"protest", 1}, {"question", 1}, {"quip", 1}, {"quote", 1}, {"rage", 1},
    {"rail", 1}, {"rant", 1}, {"reaction", 3}, {"reaffirm", 1}, {"realise", 2}, {"realize", 2},
    {"reason", 2}, {"reassure", 1}, {"rebuke", 1}, {"rebut", 1}, {"recall", 1}, {"reckon", 2},
    {"recognise", 2}, {"recognize", 2}, {"recommend", 1}, {"recommendation", 3},
    {"recount", 1}, {"refer", 1}, {"reflect", 1}, {"refute", 1}, {"regard", 2},
    {"reiterate", 1}, {"reject", 1}, {"relay", 1}, {"remark", 1}, {"remember", 2},
    {"remind", 1}, {"repeat", 1}, {"reply", 1}, {"report", 1}, {"request", 1}, {"respond", 1},
    {"response", 3}, {"retort", 1}, {"reveal", 1}, {"revelation", 3}, {"ridicule", 1},
    {"rip", 1}, {"rumor", 3}, {"rumour", 3}, {"said", 1}, {"saw", 2}, {"say", 1}, {"says", 1},
    {"scoff", 1}, {"scold", 1}, {"seem", 2}, {"seen", 2}, {"sense", 2}, {"sentiment", 3},
    {"shout", 1}, {"show", 2}, {"shown", 2}, {"signal", 1}, {"slam", 1}, {"sneer", 1},
    {"speak", 1}, {"speculate", 1}, {"speech", 3}, {"spoke", 1}, {"spoken", 1}, {"state", 1},
    {"statement", 3}, {"stress", 1}, {"study", 3}, {"suggest", 1}, {"suggestion", 3},
    {"summarize", 1}, {"suppose", 2}, {"survey", 3}, {"suspect", 2}, {"swear", 1},
    {"swore", 1}, {"sworn", 1}, {"talk", 1}, {"tease", 1}, {"tell", 1}, {"tells", 1},
    {"testify", 1}, {"testimony", 3}, {"thank", 1}, {"theorize", 2}, {"theory", 3},
    {"think", 2}, {"thought", 2}, {"threaten", 1}, {"told", 1}, {"tout", 1}, {"tweet", 1},
    {"underline", 1}, {"underscore", 1}, {"understand", 2}, {"understood", 2}, {"urge", 1},
    {"vent", 1}, {"view", 2}, {"voice", 1}, {"vow", 1}, {"want", 2}, {"warn", 1},
    {"warning", 3}, {"welcome", 1}, {"whisper", 1}, {"wish", 2}, {"wonder", 2}, {"word", 3},
    {"worry", 2}, {"write", 1}, {"written", 1}, {"wrote", 1}, {"yell", 1},
};

static int cmp_lex(const void *k, const void *e)
{
    return strcmp(k, ((const struct lexw *)e)->w);
}

static uint8_t lex_find(const char *w)
{
    const struct lexw *e =
        bsearch(w, lexicon, sizeof lexicon / sizeof *lexicon, sizeof *lexicon, cmp_lex);
    return e ? e->cls : 0;
}

/* Class of a lower-cased ASCII word or of the base form it inflects
 * (-s, -es, -ies, -ed, -ied, -ing, doubled consonants, dropped e). */
static uint8_t lex_class(const char *f, size_t n)
{
    char b[32];
    if (n < 2 || n >= sizeof b - 2)
        return 0;
    memcpy(b, f, n);
    b[n] = 0;
    uint8_t c = lex_find(b);
    if (c)
        return c;
    static const struct {
        const char *suf, *repl;
    } rules[] = {{"ies", "y"}, {"ied", "y"}, {"es", ""}, {"s", ""}, {"ed", ""}, {"ed", "e"},
                 {"ing", ""}, {"ing", "e"}};
    for (size_t r = 0; r < sizeof rules / sizeof *rules; r++) {
        size_t sl = strlen(rules[r].suf);
        if (n <= sl + 1 || memcmp(b + n - sl, rules[r].suf, sl))
            continue;
        char t[32];
        size_t k = n - sl;
        memcpy(t, b, k);
        strcpy(t + k, rules[r].repl);
        if ((c = lex_find(t)))
            return c;
        if (!*rules[r].repl && k >= 3 && t[k - 1] == t[k - 2]) { /* admitted -> admit */
            t[k - 1] = 0;
            if ((c = lex_find(t)))
                return c;
        }
    }
    return 0;
}

/* Label hashes and subject labels of the engine's parser, once per document. */
static void parse_atoms(const hs_doc *d, ascratch *s)
{
    for (size_t i = 0; i < d->ntok; i++) {
        s->ti[i].dl = 0;
        s->ti[i].head = -1;
    }
    s->parsed = s->parser && (d->has_parse || d->parse_on_demand);
    s->nl = 0;
    s->nsubj = s->dobj = -1;
    if (!s->parsed)
        return;
    unsigned nl = parser_nlabels(s->parser);
    s->nl = nl > 256 ? 256 : nl;
    for (unsigned l = 0; l < s->nl; l++) {
        const char *name = parser_label_name(s->parser, l);
        s->lk[l] = !strncmp(name, "nsubj", 5); /* nsubj, nsubjpass */
        if (!strcmp(name, "nsubj"))
            s->nsubj = (int)l;
        if (!strcmp(name, "dobj"))
            s->dobj = (int)l;
        s->lh[l] = fk_bytes(fk_start(11), name, strlen(name));
    }
}

/* Parses sentence se if the document has no parse of it yet (analyze parses
 * only the sentences that hold a cue), then fills its tokens' tree atoms. */
void attr_need_parse(hs_doc *d, ascratch *s, size_t se)
{
    if (!s->parsed || s->psent[se])
        return;
    s->psent[se] = 1;
    parser_need(d, s->parser, s->pscratch, se);
    size_t b = d->sent[se].tok_begin, e = d->sent[se].tok_end;
    for (size_t i = b; i < e; i++) {
        unsigned l = s->label[i] < s->nl ? s->label[i] : 0;
        s->ti[i].dl = s->lh[l];
        int h = s->head[i];
        if (h > 0 && (size_t)h <= e - b) {
            size_t hi = b + (size_t)h - 1;
            s->ti[i].head = (int32_t)hi;
        }
    }
}

/* Block kind of every paragraph: the block holding its first byte. */
int attr_build_atoms(hs_doc *d, ascratch *s)
{
    size_t n = d->ntok;
    s->rpe = 0; /* side scores kept are of another text */
    if (grow((void **)&s->ti, &s->capti, n, sizeof *s->ti) ||
        grow((void **)&s->qpre, &s->capq, n + 1, sizeof *s->qpre) ||
        grow((void **)&s->cpre, &s->capc, n + 1, sizeof *s->cpre) ||
        grow((void **)&s->ctag, &s->capct, n, sizeof *s->ctag) ||
        grow((void **)&s->rtag, &s->caprt, n, sizeof *s->rtag) ||
        grow((void **)&s->ancd, &s->capancd, n, sizeof *s->ancd) ||
        grow((void **)&s->psent, &s->cappsent, d->nsent, 1) ||
        grow((void **)&s->pi, &s->cappi, d->npara + 1, sizeof *s->pi))
        return HS_ENOMEM;
    /* the document's parse: all of it, or the sentences asked for */
    s->head = d->head;
    s->label = d->label;
    memset(s->psent, 0, d->nsent);
    for (size_t i = 0; i < n; i++)
        s->ancd[i] = -1;
    size_t b = 0;
    for (size_t p = 0; p < d->npara; p++) {
        const hs_paragraph *pa = &d->para[p];
        while (b + 1 < d->nblk && d->blk[b + 1].spans[0].start <= pa->start)
            b++;
        uint8_t kind = d->nblk ? d->blk[b].kind : HS_BLOCK_BODY;
        for (uint32_t se = pa->sent_begin; se < pa->sent_end; se++)
            for (uint32_t k = d->sent[se].tok_begin; k < d->sent[se].tok_end; k++) {
                s->ti[k].sent = se;
                s->ti[k].para = (uint32_t)p;
                s->ti[k].blk = kind;
            }
    }
    memset(&s->pi[d->npara], 0, sizeof *s->pi);
    for (size_t p = d->npara; p-- > 0;) {
        trange t = attr_para_toks(d, p);
        int bq = t.b < t.e && s->ti[t.b].blk == HS_BLOCK_BLOCKQUOTE;
        s->pi[p].bq = bq ? s->pi[p + 1].bq + 1 : 0;
        s->pi[p].ro = d->para[p].reopens_quote ? s->pi[p + 1].ro + 1 : 0;
    }
    uint32_t q = 0;
    for (size_t i = 0; i < n; i++) {
        tokinfo *t = &s->ti[i];
        const char *f = d->form[i];
        uint64_t h = fk_start(7);
        size_t len = 0;
        for (const unsigned char *c = (const unsigned char *)f; *c; c++, len++)
            h = (h ^ fold(*c)) * 0x100000001b3ull;
        t->w = h;
        uint64_t x = fk_start(8);
        for (const unsigned char *c = (const unsigned char *)f + (len > 3 ? len - 3 : 0); *c; c++)
            x = (x ^ fold(*c)) * 0x100000001b3ull;
        t->x = x;
        size_t sl = len;
        if (sl > 5 && !strcmp(f + sl - 3, "ing"))
            sl -= 3;
        else if (sl > 4 && (!strcmp(f + sl - 2, "ed") || !strcmp(f + sl - 2, "es")))
            sl -= 2;
        else if (sl > 3 && f[sl - 1] == 's' && f[sl - 2] != 's')
            sl -= 1;
        uint64_t st = fk_start(9);
        for (size_t k = 0; k < sl; k++)
            st = (st ^ fold((unsigned char)f[k])) * 0x100000001b3ull;
        t->st = st;
        t->shape = shape_of(d, i);
        t->lex = 0;
        if (len >= 2 && len < 24 && t->shape >= 4) {
            char low[24];
            for (size_t k = 0; k < len; k++)
                low[k] = (char)fold((unsigned char)f[k]);
            t->lex = lex_class(low, len);
        }
        t->pos = d->pos[i];
        t->ent = 0;
        if (d->has_ner && d->tok_ent && d->tok_ent[i])
            t->ent = d->ents[d->tok_ent[i] - 1].type;
        else if (d->has_ner && d->nertag[i])
            t->ent = (uint8_t)(10 + ner_tag_type(d->nertag[i]));
        t->quote = d->tok[i].kind == HS_TOK_QUOTE
                       ? (d->tok[i].flags & HS_TF_OPEN ? 1 : d->tok[i].flags & HS_TF_CLOSE ? 2 : 3)
                       : 0;
        s->qpre[i] = q;
        q += t->quote != 0;
    }
    s->qpre[n] = q;
    parse_atoms(d, s);
    /* who: persons and personal pronouns, which say things */
    static const char *const pron[] = {"he", "she", "they", "i", "we", "you", NULL};
    for (size_t se = 0; se < d->nsent; se++) {
        long last = -1000;
        for (size_t i = d->sent[se].tok_begin; i < d->sent[se].tok_end; i++) {
            long dd = (long)i - last;
            s->ti[i].who = (uint8_t)(dd <= 1 ? 1 : dd <= 2 ? 2 : dd <= 4 ? 3 : dd <= 8 ? 4 : 5);
            const tokinfo *t = &s->ti[i];
            int person = t->ent == HS_ENT_PERSON || t->ent == HS_ENT_ORG || t->ent == 10 + NER_PER;
            if (!person) {
                size_t tl = d->tok[i].end - d->tok[i].start;
                for (const char *const *p = pron; *p && !person; p++)
                    person = strlen(*p) == tl && !strncasecmp(d->text + d->tok[i].start, *p, tl);
            }
            if (person)
                last = (long)i;
        }
    }
    return HS_OK;
}

/* The paragraphs after p that a colon at its end introduces: a block quote
 * (all its paragraphs), a missing embed, or a paragraph opening with a quote
 * mark (and the paragraphs that reopen it). Returns how many (0: none). */
size_t attr_introduced(const hs_doc *d, const ascratch *s, size_t p)
{
    if (p + 1 >= d->npara)
        return 0;
    trange t = attr_para_toks(d, p + 1);
    if (t.b >= t.e)
        return 0;
    uint8_t kind = s->ti[t.b].blk;
    if (kind == HS_BLOCK_BLOCKQUOTE)
        return s->pi[p + 1].bq;
    if (kind == HS_BLOCK_MISSING_EMBED)
        return 1;
    if (kind == HS_BLOCK_BODY && s->ti[t.b].quote == 1)
        return 1 + s->pi[p + 2].ro;
    return 0;
}

/* Is token i the word w (ASCII case ignored)? */
int attr_tok_is(const hs_doc *d, size_t i, const char *w)
{
    size_t n = d->tok[i].end - d->tok[i].start;
    return strlen(w) == n && !strncasecmp(d->text + d->tok[i].start, w, n);
}

/* Is token i one of the words of a NULL-ended list (ASCII case ignored)? */
int attr_word_is(const hs_doc *d, size_t i, const char *const *list)
{
    const hs_token *t = &d->tok[i];
    size_t n = t->end - t->start;
    for (; *list; list++)
        if (strlen(*list) == n && !strncasecmp(d->text + t->start, *list, n))
            return 1;
    return 0;
}

/* A quote mark or a , . ; : ( ) [ ] or dash, which a content span leaves
 * out at its edges ("?" and "!" belong to what was said). */
int attr_edge_mark(const hs_doc *d, const ascratch *s, size_t k)
{
    if (s->ti[k].quote || d->tok[k].kind == HS_TOK_DASH)
        return 1;
    if (d->tok[k].kind != HS_TOK_PUNCT || d->tok[k].end - d->tok[k].start != 1)
        return 0;
    return strchr(",.;:()[]-", d->text[d->tok[k].start]) != NULL;
}

/* First token with end > off, in [0, n]. */
size_t attr_tok_after(const hs_doc *d, uint32_t off)
{
    size_t lo = 0, hi = d->ntok;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (d->tok[mid].end <= off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Token range of paragraph p. */
trange attr_para_toks(const hs_doc *d, size_t p)
{
    const hs_paragraph *pa = &d->para[p];
    return (trange){d->sent[pa->sent_begin].tok_begin, d->sent[pa->sent_end - 1].tok_end};
}

/* Does token k lie in one of the ranges r[0..n)? */
int attr_in_ranges(const trange *r, size_t n, size_t k)
{
    for (size_t i = 0; i < n; i++)
        if (k >= r[i].b && k < r[i].e)
            return 1;
    return 0;
}
