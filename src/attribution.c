/* attribution - who said what (see attribution.h). Two averaged-perceptron
 * taggers: a cue tagger (O/B/I over each sentence), then for every cue a role
 * tagger over the cue's paragraph (O, source B/I, content B/I) whose features
 * say where each token stands relative to that cue: side, distance, sentence,
 * quotation marks and other cues in between. Both decode greedily left to
 * right. Rules then add kind, hedges, outlet and the source's entity.
 * Content that runs past the cue's paragraph is not found yet. */
#include "attribution.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "brat.h"
#include "doc.h"
#include "engine.h"
#include "model.h"
#include "ner.h"
#include "parser.h"
#include "perceptron.h"

#define FEAT_VERSION 2
#define ATTR_MAGIC 0x52545441u /* "ATTR" */
#define SEC_META MODEL_ID('A', 'M', 'E', 'T')
#define SEC_CUE MODEL_ID('A', 'C', 'U', 'E')
#define SEC_ROLE MODEL_ID('A', 'R', 'O', 'L')
#define SEC_STEP MODEL_ID('A', 'S', 'T', 'P')
#define MAXF 128
/* Added to the score of starting a cue at inference: the trained tagger is
 * precise but misses cues (dev P 0.76, R 0.63), and this prior, tuned on the
 * dev split, trades a little precision for recall (content_partial +0.8,
 * attribution_e2e +0.5 points there). In averaged-weight units. */
#define CUE_PRIOR 10.0f
#define ATTR_PRUNE_CUE 1.5f /* averaged weights below these are dropped */
#define ATTR_PRUNE_ROLE 5.0f

enum { C_O, C_B, C_I, NCUE };
enum { R_O, R_S, R_C, NROLE };

struct attr_model {
    model file;
    pc_model cue, role, step;
    pc_tab3 fc, fr; /* the same weights packed for speed (both have 3 classes) */
    pc_tab9 fs;     /* step weights: class prev * NROLE + current label */
};

/* Per-token atoms computed once per document; arrays keep their capacity. */
typedef struct tokinfo {
    uint64_t w;   /* lower-cased form */
    uint64_t x;   /* last three bytes, lower-cased */
    uint64_t st;  /* crude stem: lower-cased, -s/-ed/-ing/-es cut */
    uint16_t pos; /* POS id */
    uint8_t shape, ent, quote, blk; /* shape class, entity type, 1 open/2 close, block kind */
    uint8_t who; /* distance bucket to the nearest person or pronoun before, in the sentence */
    uint8_t lex; /* lexicon class of the word (0: none) */
    uint64_t dl;   /* dependency label (0 without a parse) */
    int32_t head;  /* head token (document index), -1 for a root or without a parse */
    uint32_t sent, para;
} tokinfo;

/* A cue found in the document: tokens [b, e). */
typedef struct cue {
    uint32_t b, e;
    float margin;
} cue;

typedef struct ascratch {
    tokinfo *ti;
    size_t capti;
    uint32_t *qpre, *cpre; /* quote marks / cue starts before token i */
    size_t capq, capc;
    uint8_t *ctag, *rtag;
    size_t capct, caprt;
    float *us; /* unary role scores, NROLE per paragraph token */
    size_t capus;
    float *ts; /* transition scores, NROLE x NROLE (previous, current) per paragraph token */
    size_t capts;
    uint64_t *rel, *rel2; /* tree relations of the paragraph's tokens to the current cue */
    size_t caprel, caprel2;
    uint8_t *bp; /* Viterbi back pointers, NSTATE per paragraph token */
    size_t capbp;
    uint8_t bfrom[12]; /* state before the cue's side remapping */
    int16_t *ancd; /* height above the current cue of its ancestors, else -1 */
    size_t capancd;
    uint8_t *psent; /* sentence parsed and its tree atoms filled */
    size_t cappsent;
    int parsed;     /* the engine has a parser: tree features are on */
    unsigned nl;    /* parser labels: hash of each, and whether a subject has it */
    uint64_t lh[256];
    uint8_t lk[256]; /* a subject's label */
    int nsubj; /* the parser's label of an active subject, -1: none */
    uint32_t *aoff, *apara; /* per attribution: first span, paragraph of its cue */
    size_t capaoff, capapara;
    cue *cues;
    size_t ncues, capcues;
    uint64_t f[MAXF];
    float s[8];
} ascratch;

/* Either a trainer (training) or a loaded model (inference). */
typedef struct scorer {
    pc_trainer *tc, *tr, *tt; /* cue, role and role step weights */
    const attr_model *m;
} scorer;

/* ---- atoms ---------------------------------------------------------------- */

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
    s->parsed = d->eng->parser != NULL;
    s->nl = 0;
    s->nsubj = -1;
    if (!s->parsed)
        return;
    unsigned nl = parser_nlabels(d->eng->parser);
    s->nl = nl > 256 ? 256 : nl;
    for (unsigned l = 0; l < s->nl; l++) {
        const char *name = parser_label_name(d->eng->parser, l);
        s->lk[l] = !strncmp(name, "nsubj", 5); /* nsubj, nsubjpass */
        if (!strcmp(name, "nsubj"))
            s->nsubj = (int)l;
        s->lh[l] = fk_bytes(fk_start(11), name, strlen(name));
    }
}

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

/* Parses sentence se if the document has no parse of it yet (analyze parses
 * only the sentences that hold a cue), then fills its tokens' tree atoms. */
static void need_parse(hs_doc *d, ascratch *s, size_t se)
{
    if (!s->parsed || s->psent[se])
        return;
    s->psent[se] = 1;
    size_t b = d->sent[se].tok_begin, e = d->sent[se].tok_end;
    if (!d->has_parse)
        parser_parse(d->eng->parser, d->pscratch, e - b, d->form + b, d->posname + b, d->head + b,
                     d->label + b);
    for (size_t i = b; i < e; i++) {
        unsigned l = d->label[i] < s->nl ? d->label[i] : 0;
        s->ti[i].dl = s->lh[l];
        int h = d->head[i];
        if (h > 0 && (size_t)h <= e - b) {
            size_t hi = b + (size_t)h - 1;
            s->ti[i].head = (int32_t)hi;
        }
    }
}

/* Block kind of every paragraph: the block holding its first byte. */
static int build_atoms(hs_doc *d, ascratch *s)
{
    size_t n = d->ntok;
    if (grow((void **)&s->ti, &s->capti, n, sizeof *s->ti) ||
        grow((void **)&s->qpre, &s->capq, n + 1, sizeof *s->qpre) ||
        grow((void **)&s->cpre, &s->capc, n + 1, sizeof *s->cpre) ||
        grow((void **)&s->ctag, &s->capct, n, sizeof *s->ctag) ||
        grow((void **)&s->rtag, &s->caprt, n, sizeof *s->rtag) ||
        grow((void **)&s->ancd, &s->capancd, n, sizeof *s->ancd) ||
        grow((void **)&s->psent, &s->cappsent, d->nsent, 1))
        return HS_ENOMEM;
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

#define K1(t, a) fk_end(fk_num(fk_start(t), (a)))
#define K2(t, a, b) fk_end(fk_num(fk_num(fk_start(t), (a)), (b)))
#define K3(t, a, b, c) fk_end(fk_num(fk_num(fk_num(fk_start(t), (a)), (b)), (c)))
#define K4(t, a, b, c, e) fk_end(fk_num(fk_num(fk_num(fk_num(fk_start(t), (a)), (b)), (c)), (e)))

/* ---- cue features ----------------------------------------------------------- */

/* Words, tags, marks and entities around the token; no parse: tree
 * features here (label, subject, dependents, head) were worth 1.6 points of
 * cue F1 on dev, but they need the parse of every sentence, a sixth of
 * analyze's time, where the role tagger needs only the sentences with a cue. */

static size_t cue_features(const hs_doc *d, const ascratch *s, size_t i, size_t sb, size_t se,
                           uint64_t *f)
{
    const tokinfo *T = s->ti;
    static const tokinfo none = {.w = 0x11, .x = 0x12, .st = 0x13, .pos = 0xffff, .shape = 7, .head = -1};
    const tokinfo *t = &T[i];
    const tokinfo *m1 = i > sb ? &T[i - 1] : &none, *m2 = i > sb + 1 ? &T[i - 2] : &none;
    const tokinfo *p1 = i + 1 < se ? &T[i + 1] : &none, *p2 = i + 2 < se ? &T[i + 2] : &none;
    uint64_t inq = (d->tok[i].flags & HS_TF_IN_QUOTE) != 0;
    uint64_t sentq = s->qpre[se] > s->qpre[sb];
    size_t k = 0;
    f[k++] = K1(1, t->w);
    f[k++] = K1(2, t->pos);
    f[k++] = K2(3, t->w, t->pos);
    f[k++] = K2(4, t->x, t->pos);
    f[k++] = K1(5, m1->w);
    f[k++] = K1(6, p1->w);
    f[k++] = K2(7, m1->pos, t->pos);
    f[k++] = K2(8, t->pos, p1->pos);
    f[k++] = K3(9, m1->pos, t->pos, p1->pos);
    f[k++] = K2(10, m1->w, t->w);
    f[k++] = K2(11, t->w, p1->w);
    f[k++] = K1(12, m2->w);
    f[k++] = K1(13, p2->w);
    f[k++] = K3(17, inq, sentq, t->pos);
    f[k++] = K2(18, inq, t->w);
    f[k++] = K3(19, m1->quote, t->w, t->quote);
    f[k++] = K2(20, p1->quote, t->w);
    f[k++] = K2(21, m1->ent, t->w);
    f[k++] = K2(22, p1->ent, t->w);
    f[k++] = K3(23, m1->ent, t->pos, p1->ent);
    f[k++] = K2(24, t->blk, t->pos);
    f[k++] = K2(25, (uint64_t)(i == sb), t->w);
    f[k++] = K2(26, (uint64_t)(i + 1 == se), t->w);
    f[k++] = K2(27, t->shape, t->ent);
    f[k++] = K3(28, m1->w, t->w, p1->w);
    f[k++] = K2(29, m2->pos, m1->pos);
    f[k++] = K2(30, p1->pos, p2->pos);
    f[k++] = K1(31, 1);
    f[k++] = K1(32, t->st);
    f[k++] = K2(33, t->st, p1->pos);
    f[k++] = K2(34, t->pos, p1->w);
    f[k++] = K2(35, t->pos, m1->ent);
    f[k++] = K3(36, t->pos, p1->quote, p1->pos);
    f[k++] = K3(37, m2->ent, m1->pos, t->pos);
    f[k++] = K2(38, t->who, t->pos);
    f[k++] = K2(39, t->who, t->st);
    f[k++] = K3(40, t->pos, p1->pos, p2->pos);
    f[k++] = K3(41, t->st, p1->w, p2->pos);
    f[k++] = K2(42, m1->st, t->st);
    f[k++] = K2(48, t->lex, t->pos);
    f[k++] = K3(49, t->lex, t->pos, p1->pos);
    f[k++] = K3(50, t->lex, t->who, p1->quote);
    f[k++] = K3(51, t->lex, m1->pos, m1->ent);
    f[k++] = K2(52, t->lex, p1->w);
    return k;
}

/* ---- role features ---------------------------------------------------------- */

static inline uint64_t dbucket(size_t v)
{
    static const unsigned char map[] = {0, 1, 2, 3, 4, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 7};
    return v < sizeof map ? map[v] : v < 26 ? 8 : v < 50 ? 9 : 10;
}

static inline uint64_t cap3(uint32_t v) { return v < 3 ? v : 3; }

/* How token i relates to the cue's node ch in the tree: a hash of the way
 * there (down a dependent's branch, up to an ancestor, other sentence). */
static uint64_t tree_rel(const ascratch *s, size_t i, size_t ch, uint64_t *rel2)
{
    const tokinfo *T = s->ti;
    *rel2 = 0;
    if (T[i].sent != T[ch].sent)
        return 1;
    long x = (long)i, prev = -1, prev2 = -1;
    int steps = 0;
    for (; x >= 0 && s->ancd[x] < 0 && steps < 64; steps++) {
        prev2 = prev;
        prev = x;
        x = T[x].head;
    }
    if (x < 0)
        return 2;
    uint64_t r;
    if (x == (long)ch)
        r = prev < 0 ? 3 : fk_num(4, T[prev].dl);
    else {
        int h = s->ancd[x] > 3 ? 3 : s->ancd[x];
        r = prev < 0 ? fk_num(5, (uint64_t)h) : fk_num(fk_num(6, (uint64_t)h), T[prev].dl);
    }
    /* one level further down the way, and how deep the token lies */
    *rel2 = fk_num(fk_num(r, prev2 >= 0 ? T[prev2].dl : 0), (uint64_t)(steps > 4 ? 4 : steps));
    return r;
}

/* Features of token i for the cue c (unary; the steps between labels and
 * the decoder add the structure). */
static size_t role_features(const hs_doc *d, const ascratch *s, const cue *c, size_t i,
                            size_t pb, size_t pe, uint64_t *f, size_t ch)
{
    const tokinfo *T = s->ti;
    static const tokinfo none = {.w = 0x11, .x = 0x12, .st = 0x13, .pos = 0xffff, .shape = 7, .head = -1};
    const tokinfo *t = &T[i];
    const tokinfo *m1 = i > pb ? &T[i - 1] : &none, *p1 = i + 1 < pe ? &T[i + 1] : &none;
    const tokinfo *m2 = i > pb + 1 ? &T[i - 2] : &none, *p2 = i + 2 < pe ? &T[i + 2] : &none;
    const tokinfo *cw = &T[c->b], *cl = &T[c->e - 1];
    int left = i < c->b;
    uint64_t dir = left ? 1 : 2;
    size_t dist = left ? c->b - i : i - c->e + 1;
    uint64_t db = dbucket(dist);
    long so = (long)t->sent - (long)cw->sent;
    uint64_t sent = (uint64_t)(so < -2 ? -2 : so > 2 ? 2 : so) + 2;
    uint32_t lo = left ? (uint32_t)i + 1 : c->e, hi = left ? c->b : (uint32_t)i;
    uint64_t qb = cap3(s->qpre[hi] - s->qpre[lo]);
    uint64_t cb = cap3(s->cpre[hi] - s->cpre[lo]);
    uint64_t inq = (d->tok[i].flags & HS_TF_IN_QUOTE) != 0;
    uint64_t cinq = (d->tok[c->b].flags & HS_TF_IN_QUOTE) != 0;
    /* the cue's neighbours: what follows it often decides the content */
    const tokinfo *ca = c->e < pe ? &T[c->e] : &none, *cbf = c->b > pb ? &T[c->b - 1] : &none;
    size_t k = 0;
    f[k++] = K2(105, dir, db);
    f[k++] = K3(106, dir, db, t->pos);
    f[k++] = K3(107, dir, sent, t->pos);
    f[k++] = K4(108, dir, qb, inq, t->quote);
    f[k++] = K3(109, dir, cb, sent);
    f[k++] = K3(110, cw->w, dir, db);
    f[k++] = K3(111, cw->w, dir, t->pos);
    f[k++] = K3(112, cl->w, dir, qb);
    f[k++] = K2(114, t->w, dir);
    f[k++] = K3(115, t->ent, dir, db);
    f[k++] = K4(117, m1->pos, t->pos, dir, db);
    f[k++] = K3(118, t->pos, p1->pos, dir);
    f[k++] = K3(119, t->shape, dir, db);
    f[k++] = K4(120, dir, db, inq, cinq);
    f[k++] = K3(121, t->blk, dir, sent);
    f[k++] = K3(122, m1->w, dir, inq);
    f[k++] = K3(123, p1->w, dir, t->pos);
    f[k++] = K4(124, dir, sent, qb, inq);
    f[k++] = K3(125, cw->pos, dir, t->pos);
    f[k++] = K4(126, cw->w, dir, sent, inq);
    f[k++] = K3(127, t->quote, dir, db);
    f[k++] = K3(128, p1->quote, dir, t->pos);
    f[k++] = K3(129, m1->quote, dir, inq);
    f[k++] = K4(130, dir, db, cb, inq);
    f[k++] = K2(131, (uint64_t)(d->tok[i].flags & HS_TF_SENT_START ? 1 : 0), dir);
    f[k++] = K4(132, cw->w, cl->w, dir, db);
    f[k++] = K1(133, 1);
    f[k++] = K3(134, ca->w, dir, db);
    f[k++] = K3(135, ca->pos, dir, sent);
    f[k++] = K4(136, cbf->ent, dir, db, t->ent);
    f[k++] = K3(137, cw->st, dir, sent);
    f[k++] = K4(138, cw->st, dir, qb, inq);
    f[k++] = K3(139, m2->pos, m1->pos, t->pos);
    f[k++] = K4(140, t->pos, p1->pos, p2->pos, dir);
    f[k++] = K3(141, t->who, dir, db);
    f[k++] = K4(142, m1->w, t->w, dir, sent);
    f[k++] = K3(143, t->st, dir, sent);
    f[k++] = K4(144, ca->w, t->pos, dir, sent);
    if (s->parsed) {
        uint64_t rel = s->rel[i - pb], rel2 = s->rel2[i - pb];
        f[k++] = K2(145, rel, dir);
        f[k++] = K3(146, rel, dir, t->pos);
        f[k++] = K3(147, rel, cw->st, dir);
        f[k++] = K4(148, rel, dir, inq, qb);
        f[k++] = K3(149, rel, t->ent, dir);
        f[k++] = K3(150, rel, dir, db);
        f[k++] = K2(151, rel2, dir);
        f[k++] = K3(152, rel2, dir, t->pos);
        f[k++] = K3(153, rel2, m1->w, t->pos);
    }
    return k;
}

/* Features of the step from token i - 1 to token i for the cue c, scored
 * for each pair of labels (previous, current): where a run of source or
 * content starts and ends depends on the words and marks on both sides.
 * (Tree relations here made the tagger follow the parser's mistakes.) */
static size_t step_features(const hs_doc *d, const ascratch *s, const cue *c, size_t i,
                            uint64_t *f)
{
    const tokinfo *T = s->ti, *t = &T[i], *m = &T[i - 1];
    uint64_t dir = i < c->b ? 1 : 2;
    uint64_t inq = (d->tok[i].flags & HS_TF_IN_QUOTE) != 0;
    size_t k = 0;
    f[k++] = K1(300, dir);
    f[k++] = K2(301, m->w, t->pos);
    f[k++] = K2(302, m->pos, t->w);
    f[k++] = K3(303, m->pos, t->pos, dir);
    f[k++] = K3(304, m->quote, t->quote, inq);
    f[k++] = K2(308, t->w, dir);
    f[k++] = K2(309, m->w, dir);
    f[k++] = K3(310, (uint64_t)(i == c->e), (uint64_t)(i == c->b), dir);
    f[k++] = K2(311, (uint64_t)(T[i].sent != T[i - 1].sent), m->pos);
    return k;
}

/* ---- scoring ------------------------------------------------------------------ */

static void score(const scorer *sc, int role, const uint64_t *f, size_t nf, float *out)
{
    if (sc->m)
        pc_tab3_score(role ? &sc->m->fr : &sc->m->fc, f, nf, out);
    else
        pc_trainer_score(role ? sc->tr : sc->tc, f, nf, out);
}

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

static const unsigned char cue_ok[3][NCUE] = {
    /* prev O */ {1, 1, 0}, /* prev B */ {1, 1, 1}, /* prev I */ {1, 1, 1}};

/* Cue tags of one sentence [sb, se); with gold, trains (updates on errors).
 * Returns -1 when an update runs out of memory. */
static int tag_cues(const hs_doc *d, ascratch *s, const scorer *sc, size_t sb, size_t se,
                    const uint8_t *gold)
{
    /* unary scores, then the best sequence in which I follows B or I */
    size_t n = se - sb;
    if (vec_reserve((void **)&s->us, &s->capus, n * NCUE, sizeof *s->us) ||
        vec_reserve((void **)&s->bp, &s->capbp, n * NCUE, 1))
        return -1;
    for (size_t i = sb; i < se; i++) {
        size_t nf = cue_features(d, s, i, sb, se, s->f);
        score(sc, 0, s->f, nf, s->us + (i - sb) * NCUE);
        if (sc->m) /* packed scores are halved int16 units */
            s->us[(i - sb) * NCUE + C_B] += CUE_PRIOR / (2 * sc->m->cue.scale);
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
                size_t nf = cue_features(d, s, i, sb, se, s->f);
                if (pc_trainer_update(sc->tc, s->f, nf, want, g))
                    return -1;
            }
            pc_trainer_tick(sc->tc);
        }
    return 0;
}

/* Decoder states: the current label (O, S, C) and whether a source run
 * and a content run (on this side of the cue) have already ended; a
 * statement has one source run and one content run on each side. */
#define NSTATE 12
static inline unsigned st_make(unsigned lab, unsigned sdone, unsigned cdone)
{
    return lab * 4 + sdone * 2 + cdone;
}

/* The cue's node in the parse: its token whose head lies outside the cue. */
static size_t cue_node(const ascratch *s, const cue *c)
{
    for (size_t k = c->b; k < c->e; k++)
        if (s->ti[k].head < (int32_t)c->b || s->ti[k].head >= (int32_t)c->e)
            return k;
    return c->b;
}

/* Role labels of paragraph tokens [pb, pe) for cue c (cue tokens stay O):
 * unary scores of each token plus step scores of each pair of neighbouring
 * labels, decoded by Viterbi over the states above. With gold, trains:
 * updates the unary weights of every token outside the cue whose decoded
 * label is wrong and the step weights of every step onto such a token whose
 * pair of labels is. Returns -1 when memory runs out. */
static int tag_roles(hs_doc *d, ascratch *s, const scorer *sc, const cue *c, size_t pb,
                     size_t pe, const uint8_t *gold)
{
    need_parse(d, s, s->ti[c->b].sent);
    size_t n = pe - pb;
    if (vec_reserve((void **)&s->us, &s->capus, n * NROLE, sizeof *s->us) ||
        vec_reserve((void **)&s->bp, &s->capbp, n * NSTATE, 1) ||
        vec_reserve((void **)&s->ts, &s->capts, n * NROLE * NROLE, sizeof *s->ts) ||
        vec_reserve((void **)&s->rel, &s->caprel, n, sizeof *s->rel) ||
        vec_reserve((void **)&s->rel2, &s->caprel2, n, sizeof *s->rel2))
        return -1;
    size_t ch = cue_node(s, c);
    if (s->parsed) {
        int16_t h = 0;
        for (long x = (long)ch; x >= 0 && h < 64 && s->ancd[x] < 0; x = s->ti[x].head)
            s->ancd[x] = h++;
    }
    for (size_t i = pb; i < pe; i++)
        s->rel[i - pb] = s->parsed ? tree_rel(s, i, ch, &s->rel2[i - pb]) : 0;
    for (size_t i = pb; i < pe; i++) {
        float *u = s->us + (i - pb) * NROLE;
        if (i >= c->b && i < c->e) {
            u[R_O] = 0, u[R_S] = u[R_C] = -1e30f;
            continue;
        }
        size_t nf = role_features(d, s, c, i, pb, pe, s->f, ch);
        score(sc, 1, s->f, nf, s->s);
        u[R_O] = s->s[R_O], u[R_S] = s->s[R_S], u[R_C] = s->s[R_C];
    }
    /* steps onto cue tokens are scored with what their features learnt
     * elsewhere but not trained there: training them, or leaving them out,
     * both measured 0.4 to 0.6 points worse on dev (source, e2e) */
    for (size_t i = pb + 1; i < pe; i++) {
        size_t nf = step_features(d, s, c, i, s->f);
        score_step(sc, s->f, nf, s->ts + (i - pb) * NROLE * NROLE);
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
                size_t nf = role_features(d, s, c, i, pb, pe, s->f, ch);
                if (pc_trainer_update(sc->tr, s->f, nf, gold[i], s->rtag[i]))
                    return -1;
            }
            if (i > pb) {
                size_t nf = step_features(d, s, c, i, s->f);
                if (pc_trainer_update(sc->tt, s->f, nf, gold[i - 1] * NROLE + gold[i],
                                      s->rtag[i - 1] * NROLE + s->rtag[i]))
                    return -1;
            }
            pc_trainer_tick(sc->tr);
            pc_trainer_tick(sc->tt);
        }
    }
    if (s->parsed)
        for (long x = (long)ch; x >= 0 && s->ancd[x] >= 0; x = s->ti[x].head)
            s->ancd[x] = -1;
    return 0;
}

/* Collects cues from ctag (runs of B I*) and the cue prefix counts. */
static int collect_cues(const hs_doc *d, ascratch *s, const float *margins)
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

/* Paragraph token range of token i. */
static void para_range(const hs_doc *d, const ascratch *s, size_t i, size_t *pb, size_t *pe)
{
    const hs_paragraph *p = &d->para[s->ti[i].para];
    *pb = d->sent[p->sent_begin].tok_begin;
    *pe = d->sent[p->sent_end - 1].tok_end;
}

/* ---- output rules ------------------------------------------------------------ */


static int word_is(const hs_doc *d, size_t i, const char *const *list)
{
    const hs_token *t = &d->tok[i];
    size_t n = t->end - t->start;
    for (; *list; list++)
        if (strlen(*list) == n && !strncasecmp(d->text + t->start, *list, n))
            return 1;
    return 0;
}

static const char *const hedge_words[] = {
    "may", "might", "could", "likely", "unlikely", "possibly", "perhaps", "probably",
    "reportedly", "allegedly", "apparently", "seemingly", "purportedly", "supposedly",
    "maybe", "presumably", "suggests", "suggested", "suggest", "appears", "appeared",
    "seems", "seemed", "believed", "rumored", "unconfirmed", "claimed", "claims", NULL};

/* A hedge word, not a name that looks like one ("in May"); headlines
 * capitalise every word, so there the case says nothing. */
static int is_hedge(const hs_doc *d, const ascratch *s, size_t i)
{
    if ((d->tok[i].flags & HS_TF_CAP) && !(d->tok[i].flags & HS_TF_SENT_START) &&
        s->ti[i].blk != HS_BLOCK_HEADLINE)
        return 0;
    return word_is(d, i, hedge_words);
}

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

/* First token with end > off, in [0, n]. */
static size_t tok_after(const hs_doc *d, uint32_t off)
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

/* A token range [b, e). */
typedef struct trange {
    uint32_t b, e;
} trange;

#define MAXR 16

/* Runs of label lab in [pb, pe) into r (at most MAXR); returns the count. */
static size_t runs_of(const ascratch *s, size_t pb, size_t pe, uint8_t lab, trange *r)
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

static int tok_is(const hs_doc *d, size_t i, const char *w)
{
    size_t n = d->tok[i].end - d->tok[i].start;
    return strlen(w) == n && !strncasecmp(d->text + d->tok[i].start, w, n);
}

/* Token range of paragraph p. */
static trange para_toks(const hs_doc *d, size_t p)
{
    const hs_paragraph *pa = &d->para[p];
    return (trange){d->sent[pa->sent_begin].tok_begin, d->sent[pa->sent_end - 1].tok_end};
}

/* The paragraphs after p that a colon at its end introduces: a block quote
 * (all its paragraphs), a missing embed, or a paragraph opening with a quote
 * mark (and the paragraphs that reopen it). Returns how many (0: none). */
static size_t introduced(const hs_doc *d, const ascratch *s, size_t p)
{
    if (p + 1 >= d->npara)
        return 0;
    trange t = para_toks(d, p + 1);
    if (t.b >= t.e)
        return 0;
    uint8_t kind = s->ti[t.b].blk;
    size_t n = 1;
    if (kind == HS_BLOCK_BLOCKQUOTE) {
        while (p + 1 + n < d->npara) {
            trange u = para_toks(d, p + 1 + n);
            if (u.b >= u.e || s->ti[u.b].blk != HS_BLOCK_BLOCKQUOTE)
                break;
            n++;
        }
        return n;
    }
    if (kind == HS_BLOCK_MISSING_EMBED)
        return 1;
    if (kind == HS_BLOCK_BODY && s->ti[t.b].quote == 1) {
        while (p + 1 + n < d->npara && d->para[p + 1 + n].reopens_quote)
            n++;
        return n;
    }
    return 0;
}

/* Content ranges of paragraphs [q, q + n), quote marks at their edges left out. */
static size_t block_ranges(const hs_doc *d, const ascratch *s, size_t q, size_t n, trange *r)
{
    size_t k = 0;
    for (size_t i = 0; i < n && k < MAXR; i++) {
        trange t = para_toks(d, q + i);
        while (t.b < t.e && s->ti[t.b].quote)
            t.b++;
        while (t.e > t.b && s->ti[t.e - 1].quote)
            t.e--;
        if (t.b < t.e)
            r[k++] = t;
    }
    return k;
}

static int in_ranges(const trange *r, size_t n, size_t k)
{
    for (size_t i = 0; i < n; i++)
        if (k >= r[i].b && k < r[i].e)
            return 1;
    return 0;
}

static int is_outlet(const hs_doc *d, size_t k)
{
    return d->tok_ent && d->tok_ent[k] && d->ents[d->tok_ent[k] - 1].type == HS_ENT_OUTLET;
}

/* The outlet a statement came through: one right after the cue ("told NBC
 * News"), else one elsewhere in the cue's sentence ("According to Vanity
 * Fair, Bremmer described ..."), else one earlier in the paragraph after
 * "according to", "told", "an interview with"; never inside the content or
 * a dateline. Returns the token range (b == e: none). */
static trange find_via(const hs_doc *d, const ascratch *s, const cue *c, size_t pb,
                       const trange *con, size_t ncon)
{
    trange none = {0, 0};
    if (!d->tok_ent)
        return none;
    static const char *const markers[] = {"according", "told", "interview", "with", "to",
                                          "per", "tells", "telling", NULL};
    const hs_sentence *se = &d->sent[s->ti[c->b].sent];
    size_t lo[3] = {c->e, se->tok_begin, pb}, hi[3] = {c->e + 4, se->tok_end, c->b};
    for (int pass = 0; pass < 3; pass++) {
        size_t e1 = hi[pass] < d->ntok ? hi[pass] : d->ntok;
        for (size_t k = lo[pass]; k < e1; k++) {
            if (!is_outlet(d, k) || in_ranges(con, ncon, k) ||
                s->ti[k].blk == HS_BLOCK_DATELINE) /* "LISBON (Reuters)" credits the article */
                continue;
            /* earlier in the paragraph, only an outlet the text reports through */
            int marked = pass < 2;
            for (size_t j = k > 3 ? k - 3 : 0; !marked && j < k; j++)
                marked = word_is(d, j, markers);
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

static int add_ranges(hs_doc *d, const trange *r, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (add_span(d, d->tok[r[i].b].start, d->tok[r[i].e - 1].end))
            return HS_ENOMEM;
    return HS_OK;
}

/* Kind of content ranges: direct when it is one quotation. */
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

/* A quote mark or a , . ; : ( ) [ ] or dash, which a content span leaves
 * out at its edges ("?" and "!" belong to what was said). */
static int edge_mark(const hs_doc *d, const ascratch *s, size_t k)
{
    if (s->ti[k].quote || d->tok[k].kind == HS_TOK_DASH)
        return 1;
    if (d->tok[k].kind != HS_TOK_PUNCT || d->tok[k].end - d->tok[k].start != 1)
        return 0;
    return strchr(",.;:()[]-", d->text[d->tok[k].start]) != NULL;
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
        while (r.b < r.e && edge_mark(d, s, r.b))
            r.b++;
        while (r.e > r.b && edge_mark(d, s, r.e - 1))
            r.e--;
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
            if (is_hedge(d, s, k)) {
                if (add_span(d, d->tok[k].start, d->tok[k].end))
                    return HS_ENOMEM;
                nhed++;
            }
    for (size_t k = c && c->b >= 3 ? c->b - 3 : 0; c && k < c->b; k++)
        if (is_hedge(d, s, k) && !in_ranges(con, ncon, k)) {
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

/* A source found inside a relative clause set off by commas that closes
 * before the cue ("Gloria Peña, | whose district | covers ..., spoke") is
 * the speaker the clause describes: the name before the clause. */
static trange antecedent(const hs_doc *d, const ascratch *s, trange r, const cue *c)
{
    static const char *const wh[] = {"who", "whose", "which", "whom", NULL};
    if (r.e > c->b || !d->tok_ent)
        return r;
    size_t sb = d->sent[s->ti[r.b].sent].tok_begin, open = r.b;
    while (open > sb && !tok_is(d, open - 1, ","))
        open--;
    if (open <= sb + 1 || !word_is(d, open, wh))
        return r;
    size_t close = r.e;
    while (close < c->b && !tok_is(d, close, ","))
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
 * the cue. */
static trange whole_source(const hs_doc *d, const ascratch *s, trange r, const cue *c)
{
    size_t lim = r.e <= c->b ? c->b : d->sent[s->ti[r.b].sent].tok_end;
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

/* The head word of a source: in its first noun phrase (up to a comma,
 * preposition, relative pronoun or verb, whose index goes to *np_end), the
 * last token whose parent in the parse lies outside the source, else the
 * last word of that phrase ("U.S. allies", "Eurasia Group's Ian Bremmer"). */
static size_t source_head(const hs_doc *d, const ascratch *s, trange r, size_t *np_end)
{
    size_t end = r.b + 1;
    while (end < r.e) {
        const char *p = d->posname[end];
        if (tok_is(d, end, ",") || !strcmp(p, "IN") || p[0] == 'W' || !strcmp(p, "-LRB-") ||
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
static long source_entity(const hs_doc *d, const ascratch *s, const trange *src, size_t nsrc)
{
    if (!d->tok_ent || !nsrc)
        return -1;
    size_t np_end, h = source_head(d, s, src[0], &np_end);
    if (d->tok_ent[h])
        return (long)d->tok_ent[h] - 1;
    for (size_t i = 0; i < nsrc; i++)
        for (size_t k = src[i].b; k < src[i].e; k++)
            if (ent_type_at(d, k) == HS_ENT_PERSON)
                return (long)d->tok_ent[k] - 1;
    if (!strcmp(d->posname[h], "NN") || !strcmp(d->posname[h], "NNS")) {
        size_t k = np_end + 1;
        int t = k < src[0].e && tok_is(d, np_end, ",") ? ent_type_at(d, k) : -1;
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

/* The subject of the cue's verb, before the cue in its sentence (the
 * whole subtree of its nsubj dependent); 0 when there is none. */
static int subject_of(const hs_doc *d, const ascratch *s, const cue *c, trange *out)
{
    if (!s->parsed)
        return 0;
    const hs_sentence *se = &d->sent[s->ti[c->b].sent];
    size_t ch = cue_node(s, c);
    long subj = -1;
    int passive = 0;
    for (size_t k = se->tok_begin; k < c->b && subj < 0; k++)
        if (s->ti[k].head == (int32_t)ch && d->label[k] < s->nl && s->lk[d->label[k]]) {
            subj = (long)k;
            passive = (int)d->label[k] != s->nsubj;
        }
    if (passive)
        return 0; /* "X was described as": X is what was said */
    if (subj < 0) {
        /* the parse found none: the nearest speaker before the cue with no
         * verb in between ("Donald Trump, as usual, deflected") */
        for (long k = (long)c->b - 1; k >= (long)se->tok_begin; k--) {
            if (d->posname[k][0] == 'V' || tok_is(d, (size_t)k, ";") || s->ti[k].quote)
                break;
            if (subj_class(d, s, (size_t)k) <= 3) {
                size_t e = (size_t)k + 1, b = (size_t)k;
                while (d->tok_ent && b > se->tok_begin && d->tok_ent[b - 1] &&
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
    size_t lo = (size_t)subj, hi = (size_t)subj + 1;
    for (size_t k = se->tok_begin; k < c->b; k++) {
        long x = (long)k;
        for (int steps = 0; x >= 0 && x != subj && steps < 64; steps++)
            x = s->ti[x].head;
        if (x == subj) {
            lo = k < lo ? k : lo;
            hi = k + 1 > hi ? k + 1 : hi;
        }
    }
    while (hi > lo && edge_mark(d, s, hi - 1))
        hi--;
    while (lo < hi && edge_mark(d, s, lo))
        lo++;
    if (lo >= hi)
        return 0;
    *out = (trange){(uint32_t)lo, (uint32_t)hi};
    return 1;
}

/* The attribution of cue c from the role labels of its paragraph, with the
 * rules for what a tagger over one paragraph cannot see: a colon at the end
 * of the paragraph introduces the block quote, embed or quotation after it;
 * a headline "CLAIM, Source Says" claims everything before the comma. */
static int emit_attr(hs_doc *d, ascratch *s, const cue *c, size_t pb, size_t pe)
{
    trange con[MAXR], src[MAXR];
    size_t ncon = runs_of(s, pb, pe, R_C, con), nsrc = runs_of(s, pb, pe, R_S, src);
    size_t para = s->ti[c->b].para;
    size_t last = pe - 1;
    int later_cue = s->cpre[pe] - s->cpre[c->e] > 0;
    uint8_t flags = 0;
    int colon = 0, from_x = 0;
    if (tok_is(d, last, ":") && c->e <= last + 1 && !later_cue &&
        s->ti[c->b].sent == s->ti[last].sent) {
        size_t n = introduced(d, s, para);
        colon = n || s->ti[c->b].blk == HS_BLOCK_MISSING_EMBED;
        if (colon && c->b == d->sent[s->ti[c->b].sent].tok_begin && tok_is(d, c->b, "from") &&
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
    /* a quotation left open at the end of the paragraph runs on through the
     * paragraphs that reopen it */
    if (ncon && con[ncon - 1].e + 2 >= pe && d->para[para].quote_open_at_end &&
        s->qpre[pe] > s->qpre[con[ncon - 1].b]) {
        size_t n = 0;
        while (para + 1 + n < d->npara && d->para[para + 1 + n].reopens_quote)
            n++;
        ncon += block_ranges(d, s, para + 1, n < MAXR - ncon ? n : MAXR - ncon, con + ncon);
    }
    if (s->ti[c->b].blk == HS_BLOCK_HEADLINE && nsrc && src[0].e <= c->b) {
        size_t k = src[0].b;
        while (k > pb && !tok_is(d, k - 1, ",") && !tok_is(d, k - 1, ":") &&
               d->tok[k - 1].kind != HS_TOK_DASH)
            k--;
        if (k > pb + 1) {
            con[0] = (trange){(uint32_t)pb, (uint32_t)(k - 1)};
            ncon = 1;
        }
    }
    if (!nsrc && subject_of(d, s, c, &src[0])) {
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
        src[i] = whole_source(d, s, antecedent(d, s, src[i], c), c);
    if (nsrc)
        need_parse(d, s, s->ti[src[0].b].sent); /* source_entity reads its head */
    long sent = source_entity(d, s, src, nsrc);
    trange via = find_via(d, s, c, pb, con, ncon);
    if (via.e > via.b && in_ranges(src, nsrc, via.b) && nsrc == 1 && src[0].b == via.b &&
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

/* Token range of the first mention of a person in [b, e1) (the subject,
 * usually), or an empty range. */
static trange first_person(const hs_doc *d, size_t b, size_t e1)
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

/* Statements no cue claimed: a block quote, or a paragraph that opens with a
 * quote mark (and the paragraphs that reopen it), belongs to whoever spoke
 * last in the paragraph before it (its surest named speaker), else to the
 * first person named in its last sentence ("Gen. Okonjo gave the council a blunt
 * assessment." then three paragraphs of quotation): same source, same
 * outlet, no cue of its own. */
static int orphan_quotes(hs_doc *d, ascratch *s)
{
    size_t nat = d->nattr;
    for (size_t p = 1; p < d->npara; p++) {
        trange t = para_toks(d, p);
        if (t.b >= t.e)
            continue;
        int block = s->ti[t.b].blk == HS_BLOCK_BLOCKQUOTE;
        int quote = s->ti[t.b].blk == HS_BLOCK_BODY && s->ti[t.b].quote == 1 &&
                    !d->para[p].reopens_quote;
        if (!block && !quote)
            continue;
        trange pt = para_toks(d, p - 1);
        if (block && pt.b < pt.e && s->ti[pt.b].blk == HS_BLOCK_BLOCKQUOTE)
            continue; /* not the first paragraph of the block */
        size_t n = 1;
        while (p + n < d->npara) {
            trange u = para_toks(d, p + n);
            if (u.b >= u.e || (block ? s->ti[u.b].blk != HS_BLOCK_BLOCKQUOTE
                                     : !d->para[p + n].reopens_quote))
                break;
            n++;
        }
        uint32_t bs = d->tok[t.b].start, be = d->para[p + n - 1].end;
        long prev = -1;
        float bestw = 0;
        int claimed = 0;
        for (size_t i = 0; i < nat && !claimed; i++) {
            const hs_attribution *a = &d->attr[i];
            const hs_span *sp = d->attrspans + s->aoff[i];
            /* claimed when a statement's content covers much of it (not
             * by a statement nested in it), or a cue inside speaks for it */
            uint32_t cover = 0;
            for (uint32_t j = 0; j < a->ncontent; j++) {
                uint32_t lo = sp[j].start > bs ? sp[j].start : bs;
                uint32_t hi = sp[j].end < be ? sp[j].end : be;
                cover += hi > lo ? hi - lo : 0;
            }
            claimed = cover * 2 > be - bs || (quote && cover * 4 > be - bs);
            if (s->apara[i] == p - 1 && a->nsource) {
                /* the likeliest speaker: a person, an organisation, then the surest */
                float w = a->confidence;
                if (a->source_entity >= 0)
                    w += d->ents[a->source_entity].type == HS_ENT_PERSON ? 3
                         : d->ents[a->source_entity].type == HS_ENT_ORG  ? 2
                                                                          : 0;
                if (prev < 0 || w >= bestw)
                    prev = (long)i, bestw = w;
            }
        }
        if (claimed)
            continue;
        trange con[MAXR], src[MAXR];
        size_t ncon = block_ranges(d, s, p, n, con), nsrc = 0;
        trange via = {0, 0};
        long ent = -1;
        float conf = 0.5f;
        if (prev >= 0) {
            const hs_attribution *a = &d->attr[prev];
            const hs_span *sp = d->attrspans + s->aoff[prev] + a->ncontent + a->ncue;
            for (uint32_t j = 0; j < a->nsource && nsrc < MAXR; j++) {
                size_t b = tok_after(d, sp[j].start), e = b;
                while (e < d->ntok && d->tok[e].start < sp[j].end)
                    e++;
                if (e > b)
                    src[nsrc++] = (trange){(uint32_t)b, (uint32_t)e};
            }
            if (a->nvia) {
                const hs_span *v = sp + a->nsource;
                size_t b = tok_after(d, v->start), e = b;
                while (e < d->ntok && d->tok[e].start < v->end)
                    e++;
                via = (trange){(uint32_t)b, (uint32_t)e};
            }
            ent = a->source_entity;
            conf = a->confidence * 0.8f;
        } else {
            /* the first person named in the last sentence before it */
            size_t ls = d->sent[d->para[p - 1].sent_end - 1].tok_begin;
            trange m = first_person(d, ls, pt.e);
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
static int signed_quotes(hs_doc *d, ascratch *s)
{
    for (size_t p = 0; p < d->npara; p++) {
        trange t = para_toks(d, p);
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
            size_t end = e;
            while (end < t.e && edge_mark(d, s, end))
                end++;
            if (e == k + 1 || end != t.e)
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
            need_parse(d, s, s->ti[src.b].sent);
            long ent = source_entity(d, s, &src, 1);
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

/* "I" and "we" speaking inside someone's quotation are that someone: the
 * source of a statement whose cs lies in another's content is resolved to
 * the other's source entity when it is a first-person pronoun. */
static void quoted_speakers(hs_doc *d, const ascratch *s)
{
    static const char *const first[] = {"i", "we", "me", "us", NULL};
    for (size_t i = 0; i < d->nattr; i++) {
        hs_attribution *a = &d->attr[i];
        if (a->source_entity >= 0 || a->nsource != 1 || !a->ncue)
            continue;
        const hs_span *sp = d->attrspans + s->aoff[i];
        const hs_span *cs = sp + a->ncontent, *src = cs + 1;
        size_t k = tok_after(d, src->start);
        if (k >= d->ntok || d->tok[k].end != src->end || !word_is(d, k, first))
            continue;
        for (size_t j = 0; j < d->nattr; j++) {
            const hs_attribution *b = &d->attr[j];
            const hs_span *bc = d->attrspans + s->aoff[j];
            int inside = 0;
            for (uint32_t m = 0; m < b->ncontent; m++)
                inside |= cs->start >= bc[m].start && cs->end <= bc[m].end;
            if (j != i && inside && b->source_entity >= 0) {
                a->source_entity = b->source_entity;
                break;
            }
        }
    }
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

static void finish(hs_doc *d, const ascratch *s)
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

/* A paragraph ending in a colon that introduces a block quote, an embed or
 * a quotation (or announces one that is missing) is a statement even when
 * the tagger saw no cue in its last sentence ("The senator responded on
 * Twitter:"): its main verb is a cue too. */
static void colon_cues(hs_doc *d, ascratch *s)
{
    for (size_t p = 0; p < d->npara; p++) {
        trange t = para_toks(d, p);
        if (t.b >= t.e || !tok_is(d, t.e - 1, ":") ||
            (!introduced(d, s, p) && s->ti[t.b].blk != HS_BLOCK_MISSING_EMBED))
            continue;
        uint8_t blk = s->ti[t.b].blk;
        if (blk == HS_BLOCK_BOILERPLATE || blk == HS_BLOCK_CREDIT || blk == HS_BLOCK_BYLINE)
            continue;
        size_t se = s->ti[t.e - 1].sent, sb = d->sent[se].tok_begin;
        need_parse(d, s, se);
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
        if (v >= t.e && tok_is(d, sb, "from") && sb + 1 < t.e - 1)
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

/* ---- inference ---------------------------------------------------------------- */

static ascratch *scratch_of(hs_doc *d)
{
    if (!d->ascratch)
        d->ascratch = calloc(1, sizeof(ascratch));
    return d->ascratch;
}

void attr_scratch_free(void *p)
{
    ascratch *s = p;
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
    free(s->bp);
    free(s->ancd);
    free(s->psent);
    free(s->aoff);
    free(s->apara);
    free(s);
}

/* Runs both taggers with sc; margins (may be NULL) get each cue token's
 * score margin. */
static int run_doc(hs_doc *d, ascratch *s, const scorer *sc)
{
    if (build_atoms(d, s))
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
        tag_cues(d, s, sc, sb, ee, NULL);
    }
    colon_cues(d, s);
    if (signed_quotes(d, s))
        return HS_ENOMEM;
    if (collect_cues(d, s, NULL))
        return HS_ENOMEM;
    for (size_t c = 0; c < s->ncues; c++) {
        cue *cu = &s->cues[c];
        /* margin of the cue decision on its first token: cue or not */
        const hs_sentence *se = &d->sent[s->ti[cu->b].sent];
        size_t nf = cue_features(d, s, cu->b, se->tok_begin, se->tok_end, s->f);
        score(sc, 0, s->f, nf, s->s);
        cu->margin = (s->s[C_B] > s->s[C_I] ? s->s[C_B] : s->s[C_I]) - s->s[C_O];
        if (sc->m)
            cu->margin *= 2 * sc->m->cue.scale; /* packed scores are halved int16 units */
    }
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
        size_t pb, pe;
        para_range(d, s, cu->b, &pb, &pe);
        if (tag_roles(d, s, sc, cu, pb, pe, NULL) || emit_attr(d, s, cu, pb, pe))
            return HS_ENOMEM;
    }
    if (orphan_quotes(d, s))
        return HS_ENOMEM;
    quoted_speakers(d, s);
    finish(d, s);
    return HS_OK;
}

int attr_run(hs_doc *d)
{
    d->nattr = d->nattrspans = 0;
    const attr_model *m = d->eng->attr;
    if (!m || !d->has_pos || d->ntok == 0)
        return HS_OK;
    ascratch *s = scratch_of(d);
    if (!s)
        return HS_ENOMEM;
    scorer sc = {NULL, NULL, NULL, m};
    return run_doc(d, s, &sc);
}

/* ---- model file --------------------------------------------------------------- */

void attr_free(attr_model *m)
{
    if (!m)
        return;
    model_free(&m->file);
    pc_tab3_free(&m->fc);
    pc_tab3_free(&m->fr);
    pc_tab9_free(&m->fs);
    free(m);
}

int attr_load(attr_model **out, const char *path, buf *err)
{
    *out = NULL;
    attr_model *m = calloc(1, sizeof *m);
    if (!m) {
        buf_printf(err, "%s: out of memory", path);
        return -1;
    }
    if (model_load(&m->file, path, MODEL_ATTR, err)) {
        free(m);
        return -1;
    }
    size_t nm, nc, nr;
    const uint32_t *meta = model_section_get(&m->file, SEC_META, &nm);
    const void *cw = model_section_get(&m->file, SEC_CUE, &nc);
    const void *rw = model_section_get(&m->file, SEC_ROLE, &nr);
    size_t nt;
    const void *tw = model_section_get(&m->file, SEC_STEP, &nt);
    char msg[256];
    if (!meta || nm < 16 || meta[0] != ATTR_MAGIC || meta[1] != FEAT_VERSION) {
        buf_printf(err, "%s: attribution model configuration missing or from another version",
                   path);
        goto fail;
    }
    if (!cw || pc_model_open(&m->cue, cw, nc, msg, sizeof msg) ||
        (rw && pc_model_open(&m->role, rw, nr, msg, sizeof msg)) || !rw) {
        buf_printf(err, "%s: %s", path, cw && rw ? msg : "attribution weight section missing");
        goto fail;
    }
    if (!tw || pc_model_open(&m->step, tw, nt, msg, sizeof msg)) {
        buf_printf(err, "%s: %s", path, tw ? msg : "attribution step weight section missing");
        goto fail;
    }
    if (m->cue.nclass != NCUE || m->role.nclass != NROLE || m->step.nclass != NROLE * NROLE) {
        buf_printf(err, "%s: attribution weights have the wrong number of classes", path);
        goto fail;
    }
    if (pc_tab3_build(&m->fc, &m->cue) || pc_tab3_build(&m->fr, &m->role) ||
        pc_tab9_build(&m->fs, &m->step)) {
        buf_printf(err, "%s: out of memory", path);
        goto fail;
    }
    m->fs.scale = m->step.scale / (2 * m->role.scale); /* in the packed role scores' units */
    *out = m;
    return 0;
fail:
    attr_free(m);
    return -1;
}

/* ---- training ----------------------------------------------------------------- */

/* One training article: its analyzed document and gold attributions. */
typedef struct tdoc {
    hs_doc *doc;
    char *text;
    brat_doc gold;
} tdoc;

/* Labels tokens overlapping spans[0..n) with lab, within [lo, hi); a token
 * already labelled by another role keeps it. */
static void mark(const hs_doc *d, const hs_span *sp, uint32_t n, uint8_t *tags, uint8_t lab,
                 size_t lo, size_t hi)
{
    for (uint32_t j = 0; j < n; j++)
        for (size_t k = tok_after(d, sp[j].start); k < d->ntok && d->tok[k].start < sp[j].end;
             k++)
            if (k >= lo && k < hi && tags[k] == R_O)
                tags[k] = lab;
}

typedef struct tset {
    tdoc *d;
    size_t n;
} tset;

static int load_set(const hs_engine *eng, const char *dir, const char *meta, tset *ts, buf *log)
{
    brat_split sp;
    if (brat_split_open(&sp, dir, meta, log))
        return -1;
    ts->d = calloc(sp.n ? sp.n : 1, sizeof *ts->d);
    ts->n = 0;
    int rc = ts->d ? 0 : -1;
    for (size_t i = 0; !rc && i < sp.n; i++) {
        tdoc *t = &ts->d[ts->n];
        buf text = {0};
        if (buf_read_file(&text, sp.text_path[i])) {
            buf_free(&text);
            buf_printf(log, "%s: cannot read\n", sp.text_path[i]);
            rc = -1;
            break;
        }
        t->text = text.p; /* the document borrows it; freed with the set */
        size_t len = text.len;
        if (hs_doc_new(&t->doc, eng) || brat_read(&t->gold, sp.ann_path[i], t->text, len, log)) {
            rc = -1;
            break;
        }
        int arc = hs_doc_analyze(t->doc, sp.stem[i], t->text, len, 0);
        if (arc) {
            buf_printf(log, "%s: %s (skipped)\n", sp.text_path[i], hs_doc_errmsg(t->doc));
            hs_doc_free(t->doc);
            brat_free(&t->gold);
            free(t->text);
            memset(t, 0, sizeof *t);
            continue;
        }
        ts->n++;
    }
    brat_split_free(&sp);
    return rc;
}

static void free_set(tset *ts)
{
    for (size_t i = 0; ts->d && i < ts->n; i++) {
        hs_doc_free(ts->d[i].doc);
        brat_free(&ts->d[i].gold);
        free(ts->d[i].text);
    }
    free(ts->d);
    memset(ts, 0, sizeof *ts);
}

/* Gold cue tags of a document (O/B/I per token). */
static void gold_cues(const hs_doc *d, const brat_doc *g, uint8_t *ct)
{
    memset(ct, C_O, d->ntok);
    for (size_t a = 0; a < g->natt; a++) {
        const brat_attr *at = &g->att[a];
        const hs_span *sp = g->spans + at->first[BRAT_CUE];
        for (uint32_t j = 0; j < at->n[BRAT_CUE]; j++) {
            size_t k = tok_after(d, sp[j].start);
            for (int first = 1; k < d->ntok && d->tok[k].start < sp[j].end; k++, first = 0)
                if (ct[k] == C_O)
                    ct[k] = first && !(k > 0 && ct[k - 1] != C_O && j > 0) ? C_B : C_I;
        }
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* One epoch over the documents in order: cue tagger on every sentence, role
 * tagger on every gold attribution's cue (first cue fragment). */
static int train_epoch(tset *ts, const size_t *order, const scorer *sc, uint8_t **gc, size_t *capgc,
                       uint8_t **gr, size_t *capgr, size_t *cue_err, size_t *ntok,
                       size_t *role_err, size_t *nrole)
{
    for (size_t oi = 0; oi < ts->n; oi++) {
        tdoc *t = &ts->d[order[oi]];
        hs_doc *d = t->doc;
        if (!d->has_pos || !d->ntok)
            continue;
        ascratch *s = scratch_of(d);
        if (!s || build_atoms(d, s) || vec_reserve((void **)gc, capgc, d->ntok, 1) ||
            vec_reserve((void **)gr, capgr, d->ntok, 1))
            return -1;
        gold_cues(d, &t->gold, *gc);
        for (size_t se = 0; se < d->nsent; se++) {
            size_t sb = d->sent[se].tok_begin, ee = d->sent[se].tok_end;
            if (tag_cues(d, s, sc, sb, ee, *gc))
                return -1;
            for (size_t k = sb; k < ee; k++)
                *cue_err += s->ctag[k] != (*gc)[k];
            *ntok += ee - sb;
        }
        /* the role tagger learns on the gold cues, but sees the other cues
         * as the cue tagger found them, errors included, as it will in use */
        if (collect_cues(d, s, NULL))
            return -1;
        for (size_t a = 0; a < t->gold.natt; a++) {
            const brat_attr *at = &t->gold.att[a];
            if (!at->n[BRAT_CUE])
                continue;
            const hs_span *cs = t->gold.spans + at->first[BRAT_CUE];
            size_t cb = tok_after(d, cs[0].start);
            if (cb >= d->ntok || d->tok[cb].start >= cs[0].end)
                continue;
            cue c = {(uint32_t)cb, (uint32_t)cb + 1, 0};
            while (c.e < d->ntok && (*gc)[c.e] == C_I && s->ti[c.e].sent == s->ti[cb].sent)
                c.e++;
            size_t pb, pe;
            para_range(d, s, cb, &pb, &pe);
            memset(*gr + pb, R_O, pe - pb);
            /* every gold attribution sharing this cue token adds its roles */
            for (size_t a2 = 0; a2 < t->gold.natt; a2++) {
                const brat_attr *b2 = &t->gold.att[a2];
                if (!b2->n[BRAT_CUE])
                    continue;
                const hs_span *c2 = t->gold.spans + b2->first[BRAT_CUE];
                if (tok_after(d, c2[0].start) != cb)
                    continue;
                mark(d, t->gold.spans + b2->first[BRAT_SOURCE], b2->n[BRAT_SOURCE], *gr, R_S, pb,
                     pe);
                mark(d, t->gold.spans + b2->first[BRAT_CONTENT], b2->n[BRAT_CONTENT], *gr, R_C,
                     pb, pe);
            }
            for (size_t k = c.b; k < c.e; k++)
                (*gr)[k] = R_O;
            if (tag_roles(d, s, sc, &c, pb, pe, *gr))
                return -1;
            for (size_t k = pb; k < pe; k++)
                *role_err += s->rtag[k] != (*gr)[k];
            *nrole += pe - pb;
        }
    }
    return 0;
}

/* Cue spans on the dev split with the written model: exact token-span P/R/F
 * against the gold cues' first fragments. */
static int dev_report(const hs_engine *eng, const char *dir, const char *meta, const char *path,
                      buf *log)
{
    attr_model *m;
    if (attr_load(&m, path, log))
        return -1;
    tset dev = {0};
    uint8_t *gc = NULL;
    size_t capgc = 0, tp = 0, np = 0, ng = 0;
    int rc = -1;
    if (load_set(eng, dir, meta, &dev, log))
        goto done;
    scorer sc = {NULL, NULL, NULL, m};
    for (size_t i = 0; i < dev.n; i++) {
        hs_doc *d = dev.d[i].doc;
        ascratch *s = scratch_of(d);
        if (!s || vec_reserve((void **)&gc, &capgc, d->ntok ? d->ntok : 1, 1))
            goto done;
        d->nattr = d->nattrspans = 0;
        if (run_doc(d, s, &sc))
            goto done;
        gold_cues(d, &dev.d[i].gold, gc);
        for (size_t k = 0; k < d->ntok; k++) {
            int gb = gc[k] == C_B || (gc[k] == C_I && (k == 0 || gc[k - 1] == C_O));
            int pb = s->ctag[k] == C_B || (s->ctag[k] == C_I && (k == 0 || s->ctag[k - 1] == C_O));
            ng += gb;
            np += pb;
            if (gb && pb) {
                size_t e = k + 1;
                while (e < d->ntok && gc[e] == C_I && s->ctag[e] == C_I)
                    e++;
                int gend = e >= d->ntok || gc[e] != C_I, pend = e >= d->ntok || s->ctag[e] != C_I;
                tp += gend && pend;
            }
        }
    }
    buf_printf(log, "attribution: dev cue spans P %.4f R %.4f F %.4f (%zu gold)\n",
               np ? (double)tp / np : 0, ng ? (double)tp / ng : 0,
               np + ng ? 2.0 * tp / (np + ng) : 0, ng);
    rc = 0;
done:
    free(gc);
    free_set(&dev);
    attr_free(m);
    return rc;
}

int attr_train(const hs_engine *eng, const char *data_dir, int epochs, const char *out,
               buf *log)
{
    char tr[4096], dv[4096], meta[4096];
    snprintf(tr, sizeof tr, "%s/polnear/train", data_dir);
    snprintf(dv, sizeof dv, "%s/polnear/dev", data_dir);
    snprintf(meta, sizeof meta, "%s/polnear/metadata.tsv", data_dir);
    tset train = {0};
    size_t *order = NULL;
    uint8_t *gc = NULL, *gr = NULL;
    size_t capgc = 0, capgr = 0;
    pc_trainer *tc = pc_trainer_new(NCUE), *trr = pc_trainer_new(NROLE), *tst = pc_trainer_new(NROLE * NROLE);
    buf body[4] = {{0}};
    int rc = -1;
    double t0 = now_s();
    if (!tc || !trr || !tst)
        goto done;
    if (load_set(eng, tr, meta, &train, log))
        goto done;
    size_t natt = 0;
    for (size_t i = 0; i < train.n; i++)
        natt += train.d[i].gold.natt;
    buf_printf(log, "attribution: %zu training articles, %zu attributions (%.0f s)\n", train.n,
               natt, now_s() - t0);
    order = malloc((train.n ? train.n : 1) * sizeof *order);
    if (!order)
        goto done;
    for (size_t i = 0; i < train.n; i++)
        order[i] = i;
    uint64_t r = 0x9e3779b97f4a7c15ull;
    if (epochs <= 0)
        epochs = 10;
    scorer sc = {tc, trr, tst, NULL};
    for (int ep = 0; ep < epochs; ep++) {
        for (size_t i = train.n; i > 1; i--) {
            size_t j = pc_rng_next(&r) % i, x = order[i - 1];
            order[i - 1] = order[j];
            order[j] = x;
        }
        size_t ce = 0, nt = 0, re = 0, nr = 0;
        if (train_epoch(&train, order, &sc, &gc, &capgc, &gr, &capgr, &ce, &nt, &re, &nr)) {
            buf_printf(log, "attribution: out of memory training\n");
            goto done;
        }
        buf_printf(log,
                   "epoch %d: cue token accuracy %.4f, role token accuracy %.4f (train, online), "
                   "%.0f s\n",
                   ep + 1, nt ? 1.0 - (double)ce / nt : 0, nr ? 1.0 - (double)re / nr : 0,
                   now_s() - t0);
    }
    uint32_t m[4] = {ATTR_MAGIC, FEAT_VERSION, NCUE, NROLE};
    if (buf_append(&body[0], m, sizeof m) || pc_trainer_export(tc, &body[1], ATTR_PRUNE_CUE) ||
        pc_trainer_export(trr, &body[2], ATTR_PRUNE_ROLE) ||
        pc_trainer_export(tst, &body[3], ATTR_PRUNE_ROLE)) {
        buf_printf(log, "attribution: out of memory exporting\n");
        goto done;
    }
    const uint32_t ids[4] = {SEC_META, SEC_CUE, SEC_ROLE, SEC_STEP};
    if (model_write(out, MODEL_ATTR, ids, body, 4, log))
        goto done;
    if (dev_report(eng, dv, meta, out, log))
        goto done;
    buf_printf(log, "attribution: wrote %s (%zu + %zu + %zu bytes of weights), %.0f s\n", out,
               body[1].len, body[2].len, body[3].len, now_s() - t0);
    rc = 0;
done:
    for (int i = 0; i < 4; i++)
        buf_free(&body[i]);
    free(order);
    free(gc);
    free(gr);
    pc_trainer_free(tc);
    pc_trainer_free(trr);
    pc_trainer_free(tst);
    free_set(&train);
    return rc;
}
