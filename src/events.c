/* events - meeting events from the parse, the entities and the
 * attributions (events.h). A trigger word of our lexicon becomes an event
 * when the sentence gives it the parties a meeting needs; participants
 * come from its arguments, else from the people its sentence names;
 * factuality from the words that govern it. Rules only; no model. */
#include "events.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "doc.h"
#include "parser.h"

/* ---- the lexicon ---------------------------------------------------------- */

enum {
    L_MEET = 1, /* meet, met, meeting */
    L_NOUN,     /* talks, summit, negotiations, conversation */
    L_MEAL,     /* breakfast, lunch, dinner: only "with" someone */
    L_DEBATE,
    L_INTERVIEW,
    L_FORUM,    /* forum, hearing */
    L_CALL,
    L_TALK,     /* talk, speak, discuss, negotiate: with or to someone */
    L_SIT,      /* sat down with */
    L_VISIT,
    L_TESTIFY
};

/* Sorted by word (lower case); found by binary search. */
static const struct lexeme {
    const char *w;
    uint8_t cls;
} lexicon[] = {
    {"appearance", L_INTERVIEW}, {"appearances", L_INTERVIEW}, {"breakfast", L_MEAL},
    {"call", L_CALL}, {"called", L_CALL}, {"calls", L_CALL}, {"chat", L_TALK},
    {"chats", L_NOUN}, {"chatted", L_TALK}, {"conclave", L_NOUN}, {"confer", L_TALK},
    {"conferred", L_TALK}, {"conversation", L_NOUN}, {"conversations", L_NOUN},
    {"debate", L_DEBATE}, {"debated", L_DEBATE}, {"debates", L_DEBATE}, {"debating", L_DEBATE},
    {"deliberations", L_NOUN}, {"dined", L_TALK}, {"dinner", L_MEAL}, {"discuss", L_TALK},
    {"discussed", L_TALK}, {"discusses", L_TALK}, {"discussing", L_TALK},
    {"discussion", L_NOUN}, {"discussions", L_NOUN}, {"dragged", L_TESTIFY}, {"event", L_MEAL},
    {"events", L_MEAL}, {"face", L_SIT}, {"face-off", L_NOUN}, {"faced", L_SIT},
    {"faceoff", L_NOUN}, {"faceoffs", L_NOUN}, {"faces", L_SIT}, {"facing", L_SIT},
    {"forum", L_FORUM}, {"forums", L_FORUM}, {"fund-raiser", L_MEAL}, {"fund-raisers", L_MEAL},
    {"fundraiser", L_MEAL}, {"fundraisers", L_MEAL}, {"gather", L_TALK}, {"gathered", L_TALK},
    {"go", L_SIT}, {"goes", L_SIT}, {"going", L_SIT}, {"gone", L_SIT}, {"grilled", L_INTERVIEW},
    {"grilling", L_INTERVIEW}, {"hauled", L_TESTIFY}, {"hearing", L_FORUM},
    {"hearings", L_FORUM}, {"huddle", L_TALK}, {"huddled", L_TALK}, {"interview", L_INTERVIEW},
    {"interviewed", L_INTERVIEW}, {"interviews", L_INTERVIEW}, {"lunch", L_MEAL},
    {"meet", L_MEET}, {"meeting", L_MEET}, {"meetings", L_MEET}, {"meets", L_MEET},
    {"met", L_MEET}, {"negotiate", L_TALK}, {"negotiated", L_TALK}, {"negotiates", L_TALK},
    {"negotiating", L_TALK}, {"negotiation", L_NOUN}, {"negotiations", L_NOUN},
    {"questioned", L_INTERVIEW}, {"questioning", L_INTERVIEW}, {"reach", L_SIT},
    {"reached", L_SIT}, {"reaches", L_SIT}, {"reaching", L_SIT}, {"reception", L_MEAL},
    {"sat", L_SIT}, {"session", L_NOUN}, {"sessions", L_NOUN}, {"showdown", L_NOUN},
    {"sit", L_SIT}, {"sit-down", L_NOUN}, {"sits", L_SIT}, {"sitting", L_SIT},
    {"speak", L_TALK}, {"speaking", L_TALK}, {"speaks", L_TALK}, {"spoke", L_TALK},
    {"summit", L_NOUN}, {"summits", L_NOUN}, {"summoned", L_VISIT}, {"talk", L_TALK},
    {"talked", L_TALK}, {"talking", L_TALK}, {"talks", L_TALK}, {"testified", L_TESTIFY},
    {"testifies", L_TESTIFY}, {"testify", L_TESTIFY}, {"testifying", L_TESTIFY},
    {"touch", L_SIT}, {"visit", L_VISIT}, {"visited", L_VISIT}, {"visiting", L_VISIT},
    {"visits", L_VISIT}, {"went", L_SIT},
};
#define NLEX (sizeof lexicon / sizeof *lexicon)

/* Token k's text compared, case-folded (ASCII), with w. */
static int cmp_tok(const hs_doc *d, size_t k, const char *w)
{
    const char *p = d->text + d->tok[k].start;
    size_t n = d->tok[k].end - d->tok[k].start, m = strlen(w);
    int c = strncasecmp(p, w, n < m ? n : m);
    return c ? c : (n > m) - (n < m);
}

static int is(const hs_doc *d, size_t k, const char *w) { return !cmp_tok(d, k, w); }

static int in(const hs_doc *d, size_t k, const char *const *list)
{
    unsigned c0 = (unsigned char)d->text[d->tok[k].start] | 32;
    for (; *list; list++) /* the first letter turns most words away */
        if (((unsigned char)**list | 32) == c0 && is(d, k, *list))
            return 1;
    return 0;
}

/* The class of the word p[0..n) (lower case or not), 0 when none. */
static int lex_find(const char *p, size_t n)
{
    size_t lo = 0, hi = NLEX;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        size_t m = strlen(lexicon[mid].w);
        int c = strncasecmp(p, lexicon[mid].w, n < m ? n : m);
        c = c ? c : (n > m) - (n < m);
        if (!c)
            return lexicon[mid].cls;
        if (c > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* For each first letter a..z, the second letters a lexicon word can have
 * (bit 0: a): most tokens are turned away here. events_scratch_new checks
 * it against the lexicon. */
static const uint32_t lex_pairs[26] = {
    0x0008000, 0x0020000, 0x0004081, 0x0020110, 0x0200000, 0x0104001, 0x0024001, 0x0100011,
    0x0002000, 0x0000000, 0x0000000, 0x0100000, 0x0000010, 0x0000010, 0x0000000, 0x0000000,
    0x0100000, 0x0000010, 0x0108191, 0x0004011, 0x0000000, 0x0000100, 0x0000010, 0x0000000,
    0x0000000, 0x0000000,
};

static int pair_ok(const char *p)
{
    unsigned a = (unsigned)(p[0] | 32) - 'a', b = (unsigned)(p[1] | 32) - 'a';
    return a < 26 && b < 26 && (lex_pairs[a] >> b & 1);
}

/* The class of token k: its word, or for "post-debate" its last part. */
static int lex_class(const hs_doc *d, size_t k)
{
    const char *p = d->text + d->tok[k].start;
    size_t n = d->tok[k].end - d->tok[k].start;
    if (d->tok[k].kind != HS_TOK_WORD || n < 3 || n > 20)
        return 0;
    int c = n <= 13 && pair_ok(p) ? lex_find(p, n) : 0;
    if (c)
        return c;
    const char *h = memchr(p, '-', n);
    if (!h || h - p < 2 || memchr(h + 1, '-', (size_t)(p + n - h - 1)))
        return 0;
    c = h + 3 <= p + n && pair_ok(h + 1) ? lex_find(h + 1, (size_t)(p + n - h - 1)) : 0;
    return c == L_DEBATE || c == L_MEET || c == L_NOUN ? c : 0;
}

/* ---- the scratch ---------------------------------------------------------- */

/* A person's surname (the last word of the entity's name), by hash. */
typedef struct surname {
    uint64_t h;
    long ent;
} surname;

/* What the stage keeps between documents: arrays that keep their capacity. */
struct events_scratch {
    surname *sur;     /* the document's people by surname, sorted by hash */
    size_t nsur, capsur;
    int32_t *tok_attr; /* per token: the attribution whose content holds it, or -1 */
    size_t captokattr;
    int built;        /* tok_attr and sur are the current document's */
    /* per event, for the article's tense (tense_pass): its class, and whether
     * it is a noun with no mark of its own; per class, the events marked
     * future and past */
    uint8_t *evcls, *evbare;
    size_t capevcls, capevbare;
    unsigned fut[16], past[16];
};

events_scratch *events_scratch_new(void)
{
#ifndef NDEBUG
    for (size_t i = 0; i < NLEX; i++) /* the filter lets every word of the lexicon through */
        assert(pair_ok(lexicon[i].w) && (!i || strcmp(lexicon[i - 1].w, lexicon[i].w) < 0));
#endif
    return calloc(1, sizeof(events_scratch));
}

void events_scratch_free(events_scratch *s)
{
    if (!s)
        return;
    free(s->sur);
    free(s->tok_attr);
    free(s->evcls);
    free(s->evbare);
    free(s);
}

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
    return h ? h : 1;
}

static int by_hash(const void *a, const void *b)
{
    const surname *x = a, *y = b;
    return x->h < y->h ? -1 : x->h > y->h;
}

/* Fills the surname table and each token's attribution for document d,
 * once per document, before its first trigger. */
static int build(events_scratch *s, const hs_doc *d)
{
    if (s->built)
        return HS_OK;
    s->nsur = 0;
    for (size_t i = 0; i < d->nents; i++) {
        const char *name = d->ents[i].name, *sp = strrchr(name, ' ');
        if (d->ents[i].type != HS_ENT_PERSON || !sp || strlen(sp + 1) < 3)
            continue;
        if (vec_reserve((void **)&s->sur, &s->capsur, s->nsur + 1, sizeof *s->sur))
            return HS_ENOMEM;
        s->sur[s->nsur++] = (surname){hash_bytes(sp + 1, strlen(sp + 1)), (long)i};
    }
    if (s->nsur) /* (qsort wants an array, even of none) */
        qsort(s->sur, s->nsur, sizeof *s->sur, by_hash);
    if (vec_reserve((void **)&s->tok_attr, &s->captokattr, d->ntok, sizeof *s->tok_attr))
        return HS_ENOMEM;
    for (size_t k = 0; k < d->ntok; k++)
        s->tok_attr[k] = -1;
    for (size_t i = 0; i < d->nattr; i++)
        for (uint32_t j = 0; j < d->attr[i].ncontent; j++) {
            hs_span sp = d->attr[i].content[j];
            size_t lo = 0, hi = d->ntok; /* the first token ending after sp.start */
            while (lo < hi) {
                size_t mid = (lo + hi) / 2;
                if (d->tok[mid].end <= sp.start)
                    lo = mid + 1;
                else
                    hi = mid;
            }
            for (size_t k = lo; k < d->ntok && d->tok[k].start < sp.end; k++)
                if (s->tok_attr[k] < 0)
                    s->tok_attr[k] = (int32_t)i;
        }
    s->built = 1;
    return HS_OK;
}

/* ---- word lists ----------------------------------------------------------- */

/* What a meeting is not held with ("met the threshold"). */
static const char *const not_parties[] = {
    "threshold", "thresholds", "requirement", "requirements", "standard", "standards",
    "criteria", "deadline", "deadlines", "goal", "goals", "need", "needs", "demand",
    "demands", "expectation", "expectations", "target", "targets", "obligation",
    "obligations", "challenge", "challenges", "qualification", "qualifications", "fate",
    "end", "ends", "test", "definition", "bar", "mark", "quota", "criterion", "it", "this",
    "that", "rules", "regulations", "limits", "levels", "guidelines", "terms", "conditions",
    "benchmarks", "commitments", "pledges", "promises", "costs", "payments", "night", "morning", "evening", "afternoon", "week", "weekend", "today", "monday",
    "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "tonight", "year",
    NULL};
/* Nouns that name a person or a body by their role ("the foreign
 * minister", "the committee"): parties when no name is given. */
static const char *const role_nouns[] = {
    "minister", "president", "leader", "official", "spokesman", "spokeswoman", "spokesperson",
    "aide", "adviser", "advisor", "senator", "governor", "secretary", "ambassador", "envoy",
    "chancellor", "premier", "diplomat", "negotiator", "delegate", "counterpart", "candidate",
    "nominee", "host", "anchor", "moderator", "executive", "chief", "director", "chairman",
    "chairwoman", "chair", "commander", "general", "king", "queen", "prince", "pope", "mayor",
    "lawmaker", "congressman", "congresswoman", "representative", "judge", "lawyer", "attorney",
    "investigator", "officer", "doctor", "ceo", "founder", "rival", "opponent", "friend",
    "wife", "husband", "delegation", "committee", "subcommittee", "panel", "board", "council",
    "government", "administration", "campaign", "prosecutor", "detective", "agent", "chef",
    "emperor", "president-elect", "sheriff", "reporter", "journalist", "management", "staff",
    "team", "leadership", "historian", "host", "pair", "couple", NULL};
/* The phrases of L_SIT other than "in touch with": a head word, its
 * particle, the preposition of the partner. */
static const char *const sit_heads[] = {"sit", "sat", "sits", "sitting", NULL};
static const char *const face_heads[] = {"face", "faces", "faced", "facing", NULL};
static const char *const go_heads[] = {"go", "goes", "going", "went", "gone", NULL};
static const char *const reach_heads[] = {"reach", "reached", "reaches", "reaching", NULL};
static const char *const with_prep[] = {"with", NULL};
static const char *const off_prep[] = {"against", "with", NULL};
static const char *const against_prep[] = {"against", NULL};
static const char *const to_prep[] = {"to", NULL};
static const struct phrase {
    const char *const *heads;
    const char *particle;
    const char *const *preps;
} phrases[] = {{sit_heads, "down", with_prep},
               {face_heads, "off", off_prep},
               {go_heads, "up", against_prep},
               {reach_heads, "out", to_prep}};

/* Talk verbs a plural subject may do without a partner ("they talked
 * together", "leaders gathered to discuss"); discussing; gathering. */
static const char *const sym_verbs[] = {
    "talk", "talked", "talking", "discuss", "discussed", "discussing", "spoke", "speak",
    "met", "gathered", "gather", "chat", "chatted", "huddled", "negotiate", "negotiated",
    "confer", NULL};
static const char *const discuss_verbs[] = {"discuss", "discussed", "discussing", NULL};
static const char *const gather_verbs[] = {"gathered", "gather", NULL};
/* A legislature, whose "session" is its term ("the next session of Congress"). */
static const char *const legislatures[] = {"Congress", "Parliament", "legislature", NULL};

/* Verbs of reporting: their subjects tell of a meeting. */
static const char *const speech_verbs[] = {
    "said", "says", "say", "told", "tells", "noted", "notes", "wrote", "writes", "recalled",
    "recalls", "argued", "argues", "added", "adds", "explained", "explains", "tweeted",
    "suggested", "suggests", "announced", "announces", "claimed", "claims", "reported",
    "reports", "asked", "asks", "stressed", "insisted", "predicted", "warned", "urged",
    "urges", "described", "thinks", "thought", "believes", "believed", NULL};
static const char *const court_words[] = {
    "court", "bankruptcy", "trial", "sentencing", "bail", "custody", "parole", "detention",
    "evidentiary", "preliminary", "disciplinary", "immigration", "probation", NULL};
static const char *const delegations[] = {"delegation", "delegations", NULL};
static const char *const debaters[] = {
    "candidates", "opponents", "rivals", "moderators", "nominees", "contenders", "debaters",
    "opponent", "rival", "moderator", "nominee", "contender", "challenger", NULL};
static const char *const reflexives[] = {"itself", "himself", "herself", "themselves",
                                         "myself", "yourself", "ourselves", NULL};
/* Talking to these is a speech or a statement, not a meeting. */
static const char *const audiences[] = {
    "reporters", "press", "journalists", "crowd", "crowds", "audience", "audiences",
    "supporters", "rally", "media", "voters", "viewers", "listeners", "readers", "nation",
    "country", "world", "public", "people", "americans", "students", "graduates",
    "convention", "delegates", "congregation", "group", "groups", "dignitaries", "veterans",
    "thousands", "hundreds", "members", "workers", "employees", "troops", "fans", "delegation",
    "delegations", "segments", "demonstrators", "protesters", "protestors", "it",
    "this", "that", NULL};
/* Nouns of a gathering whose parties the sentence may name anywhere. */
static const char *const gathering_nouns[] = {
    "talks", "summit", "summits", "negotiations", "negotiation", "conclave", "sit-down",
    "showdown", "faceoff", "faceoffs", "face-off", "deliberations", "session", "sessions", NULL};
static const char *const partner_preps[] = {"with", "to", "against", "between", "among",
                                            "alongside", NULL};
/* A debate that is an argument about a topic ("the debate over coal"). */
static const char *const topic_preps[] = {"over", "on", "about", "surrounding", "around",
                                          "whether", "regarding", "concerning", NULL};
static const char *const topic_debate_adj[] = {"national", "public", "policy", "political",
                                               "ongoing", "broader", "larger", NULL};
static const char *const plural_pron[] = {"they", "we", "them", "us", "both", "pair", NULL};
static const char *const neg_words[] = {"not", "n't", "n\xe2\x80\x99t", "never", "no",
                                        "without", NULL};
static const char *const neg_verbs[] = {"deny", "denies", "denied", "denying", "refuse",
                                        "refused", "refuses", "refusing", "declined", "declines",
                                        "failed", "fails", "failing",
                                        "cancel", "canceled", "cancelled", "cancels",
                                        "skip", "skipped", "skipping", "rejected", NULL};
static const char *const future_words[] = {
    "will", "'ll", "\xe2\x80\x99ll", "shall", "wo", "gonna", "upcoming", "tomorrow", "next",
    "scheduled", "slated", "planned", "plans", "plan", "planning", "expected", "expects",
    "set", "future", "forthcoming", "later", "tonight", NULL};
static const char *const hypo_words[] = {
    "would", "'d", "\xe2\x80\x99" "d", "should", "if", "unless", "want", "wants", "wanted",
    "wanting", "offer", "offered", "offers", "hope", "hopes", "hoped", "willing", "propose",
    "proposed", "proposes", "invite", "invited", "invites", "urge", "urged", "urges",
    "challenge", "challenged", "demand", "demanded", "whether", "maybe", NULL};
static const char *const hedge_words[] = {
    "likely", "reportedly", "possibly", "perhaps", "probably", "allegedly", "apparently",
    "rumored", "supposedly", "purportedly", "presumably", "seemingly", NULL};
static const char *const modal_may[] = {"may", "might", "could", "must", NULL};
static const char *const weekdays[] = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "today",
    "yesterday", "tomorrow", "tonight", NULL};
static const char *const months[] = {
    "january", "february", "march", "april", "june", "july", "august", "september",
    "october", "november", "december", "jan.", "feb.", "aug.", "sept.", "sep.", "oct.",
    "nov.", "dec.", NULL};
static const char *const time_rel[] = {"last", "next", "this", "earlier", "later", NULL};
static const char *const time_units[] = {"week", "month", "year", "weekend", "morning",
                                         "night", "evening", "afternoon", "summer", "fall",
                                         "spring", "winter", NULL};

/* ---- the sentence --------------------------------------------------------- */

#define MAXP 8

/* The sentence being read: tokens [b, e), whether it has a tree. */
typedef struct sctx {
    hs_doc *d;
    const events_scratch *s;
    size_t b, e;
    int tree;
    int title;              /* a headline in title case: capitals say nothing */
    size_t pb;              /* the previous sentence of the paragraph: [pb, b) */
    long skip_ent;          /* the source entity of the statement holding the trigger */
    uint32_t skip_b, skip_e; /* its source span (bytes) */
} sctx;

/* One event being built. */
typedef struct cand {
    size_t tb, te; /* trigger tokens */
    size_t pk[MAXP], pe[MAXP]; /* participants: token ranges */
    size_t np;
} cand;

static const char *lab(const sctx *c, size_t k)
{
    return c->tree ? c->d->label_names[c->d->label[k]] : "";
}

static long head_of(const sctx *c, size_t k)
{
    if (!c->tree || c->d->head[k] <= 0)
        return -1;
    return (long)(c->b + (size_t)c->d->head[k] - 1);
}

static char pos0(const hs_doc *d, size_t k) { return d->posname[k][0]; }

static int is_pron(const hs_doc *d, size_t k)
{
    return !strcmp(d->posname[k], "PRP") || !strcmp(d->posname[k], "PRP$");
}

/* The person a proper noun the NER missed names: one whose name ends in
 * it ("Trump" at the start of a sentence), or -1. */
static long surname_of(const sctx *c, size_t k)
{
    const hs_doc *d = c->d;
    const char *p = d->text + d->tok[k].start;
    size_t n = d->tok[k].end - d->tok[k].start;
    if (!c->s->nsur || strcmp(d->posname[k], "NNP") || n < 3 || !(d->tok[k].flags & HS_TF_CAP))
        return -1;
    uint64_t h = hash_bytes(p, n);
    size_t lo = 0, hi = c->s->nsur;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c->s->sur[mid].h < h)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->s->nsur && c->s->sur[lo].h == h ? c->s->sur[lo].ent : -1;
}

static long ent(const sctx *c, size_t k)
{
    const hs_doc *d = c->d;
    if (!d->tok_ent || !d->has_ner)
        return -1;
    long e = d->tok_ent[k] ? (long)d->tok_ent[k] - 1 : -1;
    /* a headline's capitals mislead the NER ("Trump" as an organisation) */
    if (e < 0 || (c->title && d->ents[e].type != HS_ENT_PERSON)) {
        long x = surname_of(c, k);
        e = x >= 0 ? x : e;
    }
    return e;
}

static int ent_type(const sctx *c, size_t k)
{
    long e = ent(c, k);
    return e < 0 ? 0 : c->d->ents[e].type;
}

/* Child of h with label l (prefix match when l ends in ':'), from `from`. */
static long child(const sctx *c, size_t h, const char *l, size_t from)
{
    size_t n = strlen(l);
    for (size_t k = from; c->tree && k < c->e; k++)
        if (head_of(c, k) == (long)h &&
            (l[n - 1] == ':' ? !strncmp(lab(c, k), l, n - 1) : !strcmp(lab(c, k), l)))
            return (long)k;
    return -1;
}

/* The preposition of a nominal k ("with" in "with Putin"), or -1. */
static long case_of(const sctx *c, size_t k)
{
    long p = child(c, k, "case", c->b);
    return p >= 0 && (size_t)p < k ? p : -1;
}

/* A party: a name, a pronoun, a nominal that may name people. */
static int partyish(const sctx *c, size_t k)
{
    const hs_doc *d = c->d;
    char p = pos0(d, k);
    return (p == 'N' || is_pron(d, k)) && !in(d, k, not_parties) && !in(d, k, reflexives);
}

static int personish(const sctx *c, size_t k)
{
    const hs_doc *d = c->d;
    int t = ent_type(c, k);
    if (t == HS_ENT_PERSON || t == HS_ENT_ORG || t == HS_ENT_OUTLET)
        return 1;
    return (is_pron(d, k) && !is(d, k, "it") && !is(d, k, "its") && !in(d, k, reflexives)) ||
           (pos0(d, k) == 'N' && !strcmp(d->posname[k] + 1, "NS") && !in(d, k, not_parties)) ||
           (pos0(d, k) == 'N' && in(d, k, role_nouns)) ||
           (t == 0 && !strncmp(d->posname[k], "NNP", 3) && (d->tok[k].flags & HS_TF_CAP) &&
            !c->title && !in(d, k, weekdays) && !in(d, k, months)); /* a name the NER missed */
}

/* The mention around token k: its entity's run of tokens, else k with the
 * compound and adjective modifiers right before it. */
static void mention(const sctx *c, size_t k, size_t *mb, size_t *me)
{
    const hs_doc *d = c->d;
    size_t b = k, e = k + 1;
    long x = ent(c, k);
    if (x >= 0 && !is_pron(d, k)) {
        while (b > c->b && ent(c, b - 1) == x && !is_pron(d, b - 1))
            b--;
        while (e < c->e && ent(c, e) == x && !is_pron(d, e))
            e++;
    } else if (c->tree) {
        while (b > c->b && head_of(c, b - 1) == (long)k &&
               (!strcmp(lab(c, b - 1), "compound") || !strcmp(lab(c, b - 1), "amod")))
            b--;
        /* a title-case headline's "Putin May Have Slipped": the name in it */
        for (size_t j = k; j-- > b;)
            if (d->tok[k].flags & HS_TF_CAP && (x = ent(c, j)) >= 0 && !is_pron(d, j)) {
                e = j + 1;
                for (b = j; b > c->b && ent(c, b - 1) == x;)
                    b--;
                break;
            }
    }
    *mb = b, *me = e;
}

static int overlaps_skip(const sctx *c, size_t b, size_t e)
{
    const hs_doc *d = c->d;
    return c->skip_e > c->skip_b && d->tok[b].start < c->skip_e &&
           c->skip_b < d->tok[e - 1].end;
}

/* Adds the mention at k (once per entity: a name rather than a pronoun). */
static void add_party_if(const sctx *c, cand *v, size_t k, int not_source)
{
    const hs_doc *d = c->d;
    if ((k >= v->tb && k < v->te) || in(d, k, reflexives))
        return;
    size_t b, e;
    mention(c, k, &b, &e);
    if (not_source && overlaps_skip(c, b, e) && !(ent(c, k) >= 0 && ent(c, k) != c->skip_ent))
        return;
    long x = ent(c, k);
    for (size_t i = 0; i < v->np; i++) {
        if (v->pk[i] < e && b < v->pe[i])
            return;
        if (x >= 0 && ent(c, v->pk[i]) == x) {
            if (is_pron(d, v->pk[i]) && !is_pron(d, k))
                v->pk[i] = b, v->pe[i] = e; /* the name over the pronoun */
            return;
        }
    }
    if (v->np < MAXP) {
        v->pk[v->np] = b;
        v->pe[v->np++] = e;
    }
}

/* A party the syntax gives; one a fallback picks from the sentence is not
 * the source of the statement the meeting is reported in (add_party_if). */
static void add_party(const sctx *c, cand *v, size_t k) { add_party_if(c, v, k, 0); }

/* Adds nominal k and what is coordinated with it ("Trump and Putin"). */
static void add_arg(const sctx *c, cand *v, size_t k)
{
    if (!partyish(c, k) && !is(c->d, k, "who"))
        return;
    /* "Suu Kyi, who had breakfast with Biden": the one "who" stands for */
    if (is(c->d, k, "who") && head_of(c, k) >= 0 && !strcmp(lab(c, (size_t)head_of(c, k)), "acl:relcl") &&
        head_of(c, (size_t)head_of(c, k)) >= 0)
        k = (size_t)head_of(c, (size_t)head_of(c, k));
    /* "Vice President Biden" hung on "Vice": the name after the title */
    for (size_t j = k + 1; ent(c, k) < 0 && !strncmp(c->d->posname[k], "NNP", 3) && j < c->e &&
                           j < k + 4 && !strncmp(c->d->posname[j], "NNP", 3);
         j++)
        if (ent_type(c, j) == HS_ENT_PERSON) {
            k = j;
            break;
        }
    /* "the foreign minister, Rasa Vilkiene": the name */
    long ap = ent(c, k) < 0 ? child(c, k, "appos", k + 1) : -1;
    if (ap >= 0 && ent_type(c, (size_t)ap) == HS_ENT_PERSON)
        k = (size_t)ap;
    add_party(c, v, k);
    for (long j = child(c, k, "conj", c->b); j >= 0; j = child(c, k, "conj", (size_t)j + 1))
        if (partyish(c, (size_t)j))
            add_party(c, v, (size_t)j);
}

/* The subject of verb h, or of the verb it hangs from ("plans to meet",
 * "slipped off to talk"); -1 when none. */
static long subject_of(const sctx *c, size_t h)
{
    for (int up = 0; up < 3; up++) {
        long s = child(c, h, "nsubj", c->b);
        if (s < 0)
            s = child(c, h, "nsubjpass", c->b);
        if (s >= 0)
            return s;
        const char *l = lab(c, h);
        long g = head_of(c, h);
        if (g < 0 || !(!strcmp(l, "xcomp") || !strcmp(l, "advcl") || !strcmp(l, "conj") ||
                       !strcmp(l, "acl") || !strcmp(l, "parataxis")))
            return -1;
        if (!strcmp(l, "acl")) { /* "the pair slipping off to talk": the noun; "a
                                     * chance to meet Putin": the noun's owner */
            long poss = child(c, (size_t)g, "nmod:poss", c->b);
            if (poss >= 0)
                return poss;
            int ing = !strcmp(c->d->posname[h], "VBG");
            return ing && (personish(c, (size_t)g) || in(c->d, (size_t)g, plural_pron)) ? g : -1;
        }
        h = (size_t)g;
    }
    return -1;
}

/* Several parties in one subject: coordinated, plural pronoun, plural noun. */
static int plural_subject(const sctx *c, long s)
{
    if (s < 0)
        return 0;
    const hs_doc *d = c->d;
    return child(c, (size_t)s, "conj", c->b) >= 0 || in(d, (size_t)s, plural_pron) ||
           !strcmp(d->posname[s], "NNS") || !strcmp(d->posname[s], "NNPS");
}

/* "together", "each other", "one another", "privately" in the sentence. */
static int together(const sctx *c)
{
    for (size_t k = c->b; k < c->e; k++) /* "the two women", "both men" */
        if ((is(c->d, k, "two") || is(c->d, k, "both")) && k + 1 < c->e &&
            !strcmp(c->d->posname[k + 1], "NNS"))
            return 1;
    for (size_t k = c->b; k < c->e; k++)
        if (is(c->d, k, "together") || is(c->d, k, "privately") ||
            (k + 1 < c->e && (is(c->d, k, "each") || is(c->d, k, "one")) &&
             (is(c->d, k + 1, "other") || is(c->d, k + 1, "another"))))
            return 1;
    return 0;
}

/* The nearest person named before the trigger in its clause (no verb
 * between), for a verb whose tree gives no subject; -1 when none. */
static long subject_flat(const sctx *c, const cand *v)
{
    const hs_doc *d = c->d;
    for (size_t k = v->tb; k-- > c->b;) {
        if ((pos0(d, k) == 'V' && !is(d, k, "have") && !is(d, k, "has") && !is(d, k, "had")) ||
            (d->tok[k].kind == HS_TOK_PUNCT && !is(d, k, ",")))
            return -1;
        if (ent_type(c, k) == HS_ENT_PERSON)
            return (long)k;
    }
    return -1;
}

/* "Varga of Hungaria and Aaltonen of Nordland may have met": people named
 * before the trigger in its clause and joined by "and" (the tree may hang
 * the second on the first's country); adds them, 1 when there were two. */
static int coordinated_before(const sctx *c, cand *v)
{
    const hs_doc *d = c->d;
    size_t k = v->tb, people = 0;
    int and = 0;
    long last = -1;
    while (k > c->b) {
        k--;
        if (pos0(d, k) == 'V' && !is(d, k, "have") && !is(d, k, "has") && !is(d, k, "had") &&
            !is(d, k, "been") && !is(d, k, "be"))
            break;
        if (d->tok[k].kind == HS_TOK_PUNCT && !is(d, k, ","))
            break;
        and |= is(d, k, "and");
        long x = ent(c, k);
        if (x >= 0 && x != last && d->ents[x].type == HS_ENT_PERSON && !is_pron(d, k))
            people++, last = x;
    }
    if (people < 2 || !and)
        return 0;
    for (size_t j = k; j < v->tb; j++) {
        long x = ent(c, j);
        if (x >= 0 && d->ents[x].type == HS_ENT_PERSON && !is_pron(d, j) &&
            (j == k || ent(c, j - 1) != x))
            add_party(c, v, j);
    }
    return 1;
}

/* The partners of k: nominals hanging from it by with/to/against/between
 * (and "by" for a passive); 1 when one was found. Audience words do not
 * count after "to". */
/* How add_partners reads a phrase: P_BY, "by" of a passive; P_OF, "of" and
 * "among" of a noun ("a meeting of Pacific leaders"); P_NEAR, the
 * preposition close after the trigger ("spoke about ... to churches" is no
 * talk with churches); P_NOLOC, no place ("a visit to Washington"). */
enum { P_BY = 1, P_OF = 2, P_NEAR = 4, P_NOLOC = 8 };

static int add_partners(const sctx *c, cand *v, size_t k, unsigned how)
{
    int found = 0;
    for (size_t j = c->b; c->tree && j < c->e; j++) {
        if (head_of(c, j) != (long)k || strncmp(lab(c, j), "nmod", 4) ||
            !strcmp(lab(c, j), "nmod:poss") || !strcmp(lab(c, j), "nmod:tmod"))
            continue;
        long p = case_of(c, j);
        if (p < 0 || ((how & P_NEAR) && (size_t)p > v->te + 2))
            continue;
        int ok = in(c->d, (size_t)p, partner_preps) || ((how & P_BY) && is(c->d, (size_t)p, "by")) ||
                 ((how & P_OF) && is(c->d, (size_t)p, "of"));
        int loc = !(how & P_NOLOC) && ent_type(c, j) == HS_ENT_LOC;
        /* audiences are no partners of a talk ("spoke to reporters"); a meal or a
         * meeting with a delegation is one */
        if (!ok || !(personish(c, j) || loc) ||
            (in(c->d, j, audiences) && !(how & P_OF) &&
             ((how & P_NEAR) || !in(c->d, j, delegations))))
            continue;
        add_arg(c, v, j);
        found = 1;
    }
    return found;
}

/* Without a tree: the first party within four tokens after a partner
 * preposition right after the trigger. */
static int add_partners_flat(const sctx *c, cand *v)
{
    const hs_doc *d = c->d;
    size_t k = v->te;
    if (k < c->e && (is(d, k, "down") || is(d, k, "off")))
        k++;
    if (k >= c->e || !in(d, k, partner_preps))
        return 0;
    for (size_t j = k + 1; j < c->e && j < k + 5; j++) {
        if (in(d, j, audiences))
            return 0; /* "spoke to reporters Friday after Trump ..." */
        if (personish(c, j)) {
            add_party(c, v, j);
            return 1;
        }
    }
    return 0;
}

/* "conversations - much more than three - between Trump and Putin": the
 * parties named after "between" a little further on, before any verb. */
static int add_between(const sctx *c, cand *v)
{
    const hs_doc *d = c->d;
    for (size_t k = v->te; k < c->e && k < v->te + 12 && pos0(d, k) != 'V'; k++) {
        if (!is(d, k, "between"))
            continue;
        size_t n0 = v->np;
        for (size_t j = k + 1; j < c->e && j < k + 10 && pos0(d, j) != 'V'; j++)
            if (ent_type(c, j) == HS_ENT_PERSON || ent_type(c, j) == HS_ENT_ORG ||
                ent_type(c, j) == HS_ENT_LOC) {
                size_t b, e;
                mention(c, j, &b, &e);
                add_party(c, v, j);
                j = e - 1;
                if (!(e < c->e && is(d, e, "and")))
                    break;
            }
        return v->np > n0;
    }
    return 0;
}

/* A mention that acts in its clause: a subject, a possessor, a name in
 * front of a noun, or one coordinated with such; the name's head token
 * decides. */
static int subject_like(const sctx *c, size_t k)
{
    size_t b, e;
    mention(c, k, &b, &e);
    size_t h = k;
    for (size_t j = b; j < e; j++) /* the token of the mention whose head is outside it */
        if (head_of(c, j) < (long)b || head_of(c, j) >= (long)e)
            h = j;
    for (int up = 0; up < 3; up++) {
        const char *l = lab(c, h);
        long g = head_of(c, h);
        /* the one who notes, writes or tells about it reports, not takes part */
        if (!strncmp(l, "nsubj", 5) && g >= 0 && in(c->d, (size_t)g, speech_verbs))
            return 0;
        if (!strncmp(l, "nsubj", 5) || !strcmp(l, "nmod:poss") || !strcmp(l, "compound") ||
            !strcmp(l, "root") || !strcmp(l, "dep"))
            return 1;
        if ((strcmp(l, "conj") && strcmp(l, "appos")) || head_of(c, h) < 0)
            return 0;
        h = (size_t)head_of(c, h);
    }
    return 0;
}

/* Is the mention at k the subject of a verb of reporting ("Rendell noted
 * that Reagan appeared unsteady in his first debate")? */
static int reporter(const sctx *c, size_t k)
{
    if (k < c->b || k >= c->e) /* the sentence before: its tree is not this one's */
        return 0;
    size_t b, e;
    mention(c, k, &b, &e);
    for (size_t j = b; j < e; j++) {
        long g = head_of(c, j);
        if ((g < (long)b || g >= (long)e) && !strncmp(lab(c, j), "nsubj", 5) && g >= 0 &&
            in(c->d, (size_t)g, speech_verbs))
            return 1;
    }
    return 0;
}

/* The people the sentence names or refers to (the closest first), as the
 * parties of a debate or a hearing, or of a trigger whose arguments say
 * nothing. At most `max`. */
static void add_sentence_people(const sctx *c, cand *v, size_t max, int orgs, int actors)
{
    size_t want = v->np + max;
    for (size_t dist = 1; v->np < want && dist < c->e - c->b; dist++) {
        size_t side[2] = {v->tb >= c->b + dist ? v->tb - dist : SIZE_MAX, v->te - 1 + dist};
        for (int s = 0; s < 2 && v->np < want; s++) {
            size_t k = side[s];
            if (k == SIZE_MAX || k < c->b || k >= c->e)
                continue;
            int t = ent_type(c, k);
            if (t != HS_ENT_PERSON && !(orgs && t == HS_ENT_ORG))
                continue;
            if (actors && c->tree && !subject_like(c, k))
                continue;
            add_party_if(c, v, k, 1);
        }
    }
}

/* The people the sentence before names, the last first (at most max), for
 * a trigger whose own sentence names nobody ("Monday's debate might not
 * move mountains"). */
static void add_previous_people(const sctx *c, cand *v, size_t max)
{
    const hs_doc *d = c->d;
    size_t want = v->np + max;
    for (size_t k = c->b; k-- > c->pb && v->np < want;) {
        long x = ent(c, k);
        if (x < 0 || d->ents[x].type != HS_ENT_PERSON || in(d, k, reflexives))
            continue;
        size_t b = k;
        while (!is_pron(d, k) && b > c->pb && ent(c, b - 1) == x && !is_pron(d, b - 1))
            b--;
        int dup = 0;
        for (size_t i = 0; i < v->np && !dup; i++)
            dup = ent(c, v->pk[i]) == x;
        if (!dup && v->np < MAXP) {
            v->pk[v->np] = b;
            v->pe[v->np++] = k + 1;
        }
        k = b;
    }
}

/* ---- factuality ----------------------------------------------------------- */

/* Verbs through which a meeting noun's factuality shows: it happens, is
 * held, attended, called, sought ("did not attend the debate", "would call
 * a special meeting"); other verbs speak of it without saying whether it
 * happens ("she did not mention the debate"). */
static const char *const occur_verbs[] = {
    "participate", "participates", "participated", "participating", "happen", "happens",
    "happened", "occur", "occurs", "occurred", "take", "takes", "took", "taken", "hold",
    "holds", "held", "holding", "attend", "attends", "attended", "attending", "have", "has",
    "had", "having", "call", "called", "convene", "convened", "schedule", "scheduled",
    "arrange", "arranged", "request", "requested", "seek", "sought", "propose", "proposed",
    "offer", "offered", "want", "wanted", "wants", "join", "joined", "skip", "skipped",
    "cancel", "canceled", "cancelled", "enter", "entered", "been", "be", "is", "was",
    "are", "were", "agree", "agreed", "plan", "planned", "get", "got", "make", "made", "show",
    "showed", "shown", "appear", "appeared", "appears", NULL};

/* Factuality cues of the event, as bits. */
enum { F_NEG = 1, F_FUT = 2, F_HYP = 4, F_HEDGE = 8, F_PERF = 16, F_MAY = 32, F_PAST = 64,
       F_WOULD = 128, F_IF = 256, F_FUTW = 512, F_ROOTPAST = 1024 };

/* Sorts the words of token k (a modifier of the chain) into cue bits. */
static unsigned cue_bits(const hs_doc *d, size_t k)
{
    if (is(d, k, "not") && k > 0 && is(d, k - 1, "or")) /* "whether they met or not" */
        return F_HYP;
    if (in(d, k, neg_words))
        return F_NEG;
    if (in(d, k, hedge_words))
        return F_HEDGE;
    if (in(d, k, modal_may))
        return F_MAY;
    if (is(d, k, "would") || is(d, k, "'d") || is(d, k, "\xe2\x80\x99" "d"))
        return F_HYP | F_WOULD;
    if (is(d, k, "if") || is(d, k, "unless"))
        return F_HYP | F_IF;
    if (in(d, k, hypo_words))
        return F_HYP;
    if (in(d, k, future_words))
        return F_FUT;
    if (is(d, k, "have") || is(d, k, "has") || is(d, k, "had"))
        return F_PERF;
    return 0;
}

/* The words that govern the trigger: a verb trigger's chain of heads up
 * through "to" complements ("plans to meet", "snuck off to talk"); a
 * noun's own modifiers ("no meeting", "the upcoming debate") and, when its
 * verb is one of occur_verbs, that verb's chain; with the auxiliaries,
 * negations and adverbs of each. Returns F_* bits. */
static unsigned cues(const sctx *c, const cand *v, int noun)
{
    const hs_doc *d = c->d;
    unsigned f = 0;
    size_t chain[8], n = 0;
    int tense_only = 0; /* a noun's verb that only tells when: "will moderate the debate" */
    if (c->tree) {
        long h = (long)v->tb;
        int verbs = 0;
        while (h >= 0 && n < 8) {
            /* "Monday's debate will be Trump's first": the predicate of a
             * copula is its clause's head */
            int pred = n && !strncmp(lab(c, chain[n - 1]), "nsubj", 5) &&
                       child(c, (size_t)h, "cop", c->b) >= 0;
            if (pos0(d, (size_t)h) == 'V' || pred) {
                if (noun && !verbs && !pred && !in(d, (size_t)h, occur_verbs))
                    tense_only = 1;
                verbs++;
            } else if (n && (noun || verbs)) {
                break; /* a noun above: "the effect of this debate" */
            }
            chain[n++] = (size_t)h;
            if (verbs == 1 && pos0(d, (size_t)h) == 'V' && !strcmp(d->posname[h], "VBD"))
                f |= F_PAST;
            const char *l = lab(c, (size_t)h);
            long to = child(c, (size_t)h, "mark", c->b);
            int inf = to >= 0 && is(d, (size_t)to, "to");
            if (!strcmp(l, "root") || !strcmp(l, "ccomp") || !strcmp(l, "parataxis") ||
                !strcmp(l, "acl:relcl") || !strcmp(l, "conj") || (!strcmp(l, "advcl") && !inf))
                break;
            if (verbs && strcmp(l, "xcomp") && !inf)
                break;
            h = head_of(c, (size_t)h);
        }
    } else {
        chain[n++] = v->tb;
    }
    unsigned fn = 0, fv = 0; /* the bits of the noun part and of the verbs above it */
    for (size_t i = 0; i < n; i++) {
        size_t h = chain[i];
        unsigned *fb = noun && i && (pos0(d, h) == 'V' || pos0(d, chain[i - 1]) != 'N' ||
                                     !strncmp(lab(c, chain[i - 1]), "nsubj", 5))
                           ? &fv
                           : &fn;
        if (i && in(d, h, neg_verbs))
            *fb |= F_NEG;
        if (i && (in(d, h, hypo_words) || is(d, h, "try") || is(d, h, "tried") ||
                  is(d, h, "trying") || is(d, h, "seek") || is(d, h, "sought")))
            *fb |= F_HYP;
        if (i && (is(d, h, "planned") || is(d, h, "plans") || is(d, h, "plan") ||
                  is(d, h, "scheduled") || is(d, h, "expected") || is(d, h, "set") ||
                  is(d, h, "slated") || is(d, h, "agreed") || is(d, h, "going") ||
                  is(d, h, "expects") || is(d, h, "expect")))
            *fb |= F_FUT;
        for (size_t k = c->b; k < c->e; k++) {
            if (c->tree ? head_of(c, k) != (long)h : (k + 6 < h || k >= h))
                continue;
            const char *l = lab(c, k);
            int mod = !c->tree || !strcmp(l, "aux") || !strcmp(l, "neg") ||
                      !strcmp(l, "advmod") || !strcmp(l, "mark") || !strcmp(l, "amod") ||
                      !strcmp(l, "det") || !strcmp(l, "auxpass");
            if (mod)
                *fb |= cue_bits(d, k);
        }
    }
    /* a noun's verb that says nothing of whether it happens gives only its tense */
    f |= fn | (tense_only ? fv & (F_FUT | F_PAST) : fv);
    for (size_t k = c->b; k < c->e; k++) /* "would meet him if the dispute escalated" */
        if (is(d, k, "if") || is(d, k, "unless"))
            f |= F_IF;
    /* the words before the trigger in its clause: "may have slipped off
     * together to talk", "there were likely more conversations" */
    for (size_t k = v->tb; k-- > c->b && k + 12 > v->tb;) {
        const hs_token *t = &d->tok[k];
        if (t->kind == HS_TOK_PUNCT || t->kind == HS_TOK_DASH || t->kind == HS_TOK_QUOTE ||
            is(d, k, "said") || is(d, k, "says") || is(d, k, "that") || is(d, k, "but") ||
            is(d, k, "when") || is(d, k, "who") || is(d, k, "which"))
            break;
        unsigned b = cue_bits(d, k);
        if (k + 1 == v->tb && in(d, k, neg_verbs)) /* "denied meeting him" */
            b = F_NEG;
        else if (noun)
            b &= F_HEDGE;
        else if (b & F_NEG && !(k + 3 > v->tb || pos0(d, k + 1) == 'V'))
            b = 0;
        f |= b & (F_NEG | F_HEDGE | F_MAY | F_PERF);
    }
    /* "ahead of the debate", "heading into their first debate", "days before
     * her first debate", "the debate tomorrow night": future unless the
     * sentence tells of the past */
    for (size_t k = v->tb > c->b + 4 ? v->tb - 4 : c->b; k < v->tb; k++)
        if ((is(d, k, "ahead") && k + 1 < v->tb && is(d, k + 1, "of")) ||
            is(d, k, "upcoming") || is(d, k, "heading") || is(d, k, "tomorrow") ||
            is(d, k, "next"))
            f |= F_FUTW;
    /* "Trump and Clinton meet for the first debate Monday": the present with a day */
    if (!noun && (!strcmp(d->posname[v->tb], "VBP") || !strcmp(d->posname[v->tb], "VBZ")))
        for (size_t k = c->b; k < c->e; k++)
            if (in(d, k, weekdays) && !is(d, k, "today") && !is(d, k, "yesterday"))
                f |= F_FUTW;
    for (size_t k = c->b; c->tree && k < c->e; k++)
        if (!strcmp(d->posname[k], "VBD") &&
            (!strcmp(lab(c, k), "root") ||
             (head_of(c, k) >= 0 && !strcmp(lab(c, (size_t)head_of(c, k)), "root") &&
              !strcmp(lab(c, k), "conj"))))
            f |= F_ROOTPAST; /* the sentence's main verb, or one joined to it */
    for (size_t k = v->te; k < c->e && k < v->te + 3; k++)
        if (is(d, k, "tomorrow") || is(d, k, "tonight") || is(d, k, "next"))
            f |= F_FUT;
    return f;
}

static int factuality(unsigned f, int reported)
{
    /* "she said the teams would meet in Ottawa": would of reported speech */
    if (reported && (f & (F_HYP | F_WOULD | F_IF)) == (F_HYP | F_WOULD))
        f = (f & ~(unsigned)(F_HYP | F_WOULD)) | F_FUT;
    if (f & F_NEG)
        return HS_FACT_NEGATED;
    if ((f & F_MAY) && (f & F_PERF))
        return HS_FACT_HEDGED;
    if (f & (F_HYP | F_MAY))
        return HS_FACT_HYPOTHETICAL;
    if (((f & F_FUT) && !(f & F_PAST)) || ((f & F_FUTW) && !(f & (F_PAST | F_ROOTPAST))))
        return HS_FACT_FUTURE;
    if (f & F_HEDGE)
        return HS_FACT_HEDGED;
    return HS_FACT_ASSERTED;
}

/* ---- time and place ------------------------------------------------------- */

/* The time expression closest to the trigger in the sentence ("on Monday",
 * "last week", "Sept. 30"): tokens [*b, *e), or 0. */
static int find_time(const sctx *c, const cand *v, size_t *tb, size_t *te)
{
    const hs_doc *d = c->d;
    size_t best = SIZE_MAX, bd = SIZE_MAX;
    for (size_t k = c->b; k < c->e; k++) {
        if (d->tok[k].kind != HS_TOK_WORD)
            continue;
        int cap = (d->tok[k].flags & HS_TF_CAP) != 0;
        int hit = ((cap || is(d, k, "today") || is(d, k, "tonight") || is(d, k, "yesterday") ||
                    is(d, k, "tomorrow")) && in(d, k, weekdays)) ||
                  (cap && k + 1 < c->e && d->tok[k + 1].kind == HS_TOK_NUMBER && in(d, k, months)) ||
                  (k + 1 < c->e && in(d, k, time_rel) && in(d, k + 1, time_units));
        if (!hit)
            continue;
        size_t dist = k < v->tb ? v->tb - k : k - v->tb;
        if (dist < bd)
            bd = dist, best = k;
    }
    if (best == SIZE_MAX)
        return 0;
    size_t e = best + 1;
    while (e < c->e && e < best + 3 &&
           (in(d, e, time_units) || d->tok[e].kind == HS_TOK_NUMBER || in(d, e, weekdays)))
        e++;
    *tb = best, *te = e;
    return 1;
}

/* A place: "at"/"in" and a place or organisation's name near the trigger. */
static int find_place(const sctx *c, const cand *v, size_t *pb, size_t *pe)
{
    const hs_doc *d = c->d;
    size_t lo = v->tb > c->b + 8 ? v->tb - 8 : c->b, hi = v->te + 10 < c->e ? v->te + 10 : c->e;
    for (size_t k = lo; k + 1 < hi; k++) {
        if (!is(d, k, "at") && !is(d, k, "in"))
            continue;
        size_t j = k + 1;
        if (j < hi && is(d, j, "the"))
            j++;
        int t = j < hi ? ent_type(c, j) : 0;
        if (t != HS_ENT_LOC && t != HS_ENT_ORG && t != HS_ENT_MISC)
            continue;
        size_t e = j + 1;
        while (e < c->e && ent(c, e) == ent(c, j))
            e++;
        /* "the G20 conference", "Hofstra University" */
        while (e < c->e && pos0(d, e) == 'N' && ent(c, e) < 0 && e < j + 5 &&
               (d->tok[e].flags & HS_TF_CAP || is(d, e, "conference") || is(d, e, "summit")))
            e++;
        *pb = j, *pe = e;
        return 1;
    }
    return 0;
}

/* ---- triggers ------------------------------------------------------------- */

/* The verb k hangs from as its object or its "at"/"in"/"during" phrase
 * ("held talks", "attended the debate"), or -1. */
static long governing_verb(const sctx *c, size_t k)
{
    long h = head_of(c, k);
    const char *l = lab(c, k);
    if (h < 0 || pos0(c->d, (size_t)h) != 'V')
        return -1;
    if (!strcmp(l, "dobj") || !strncmp(l, "nsubj", 5) || !strcmp(l, "nmod"))
        return h;
    return -1;
}

/* Decides whether trigger v (class cls) is a meeting and collects its
 * parties: 1 when it is one. */
static int judge(const sctx *c, cand *v, int cls)
{
    const hs_doc *d = c->d;
    size_t k = v->tb;
    int noun = pos0(d, k) == 'N' || pos0(d, k) == 'J';
    int verb = pos0(d, k) == 'V';
    if (!noun && !verb)
        return 0;
    long subj = verb ? subject_of(c, k) : -1;
    if (verb && (subj < 0 || !personish(c, (size_t)subj)))
        subj = subject_flat(c, v) >= 0 ? subject_flat(c, v) : subj;
    int passive = verb && child(c, k, "nsubjpass", c->b) >= 0;
    long obj = verb ? child(c, k, "dobj", k + 1) : -1; /* after the verb: not "that" */
    switch (cls) {
    case L_MEET:
        if (noun)
            break;
        if (obj >= 0 && !personish(c, (size_t)obj))
            return 0;
        if (obj >= 0 && c->tree)
            add_arg(c, v, (size_t)obj);
        if (!add_partners(c, v, k, 0) && obj < 0 && !add_partners_flat(c, v) &&
            !plural_subject(c, subj) && !coordinated_before(c, v))
            return 0;
        if (subj >= 0)
            add_arg(c, v, (size_t)subj);
        return v->np > 0;
    case L_MEAL:
        if (!noun || (k + 1 < c->e && !is(d, k + 1, "with")))
            return 0;
        break;
    case L_DEBATE: {
        size_t n = v->te;
        if (n < c->e && in(d, n, topic_preps))
            return 0;
        if (k > c->b && in(d, k - 1, topic_debate_adj))
            return 0;
        int t = ent_type(c, k);
        if (t == HS_ENT_ORG || t == HS_ENT_OUTLET)
            return 0;
        if (verb && obj >= 0 && !personish(c, (size_t)obj))
            return 0; /* "debated the issue" */
        if (passive && subj >= 0 && !personish(c, (size_t)subj))
            return 0; /* "the rules are being debated again" */
        if (verb && obj >= 0)
            add_arg(c, v, (size_t)obj);
        if (verb && subj >= 0 && personish(c, (size_t)subj)) /* "opponents who had debated" */
            add_arg(c, v, (size_t)subj);
        /* "the director of debate": debating as a discipline */
        if (noun && k > c->b + 1 && is(d, k - 1, "of") && is(d, k, "debate") &&
            pos0(d, k - 2) == 'N' &&
            (!c->tree || (child(c, k, "det", c->b) < 0 && child(c, k, "amod", c->b) < 0 &&
                          child(c, k, "nmod:poss", c->b) < 0)))
            return 0;
        break;
    }
    case L_INTERVIEW: {
        if (verb) {
            if (obj < 0 && !strcmp(lab(c, k), "acl:relcl")) /* "the experts I interviewed" */
                obj = head_of(c, k);
            if (obj >= 0 && !personish(c, (size_t)obj) && !partyish(c, (size_t)obj))
                return 0;
            if (obj >= 0 && !personish(c, (size_t)obj) && !is(d, k, "interviewed"))
                return 0; /* "questioned the health of", "questioning trade deals" */
            if (obj >= 0)
                add_arg(c, v, (size_t)obj);
            add_partners(c, v, k, passive ? P_BY : 0);
            if (subj >= 0)
                add_arg(c, v, (size_t)subj);
            return v->np > (passive ? 0u : 1u) || (passive && add_partners_flat(c, v));
        }
        /* an interview with someone named: "with", "on", "to", "for", "by" a
         * party, or a named party in front ("a Bloomberg interview"); an
         * appearance only on or before someone */
        int partner = 0, app = is(d, k, "appearance") || is(d, k, "appearances");
        for (size_t j = c->b; c->tree && j < c->e; j++) {
            if (head_of(c, j) != (long)k)
                continue;
            const char *l = lab(c, j);
            long p = case_of(c, j);
            int named = ent_type(c, j) != 0 && !is_pron(d, j);
            if ((!strcmp(l, "nmod") && p >= 0 &&
                 (is(d, (size_t)p, "with") || is(d, (size_t)p, "on") || is(d, (size_t)p, "to") ||
                  is(d, (size_t)p, "for") || is(d, (size_t)p, "by") || is(d, (size_t)p, "of")) &&
                 personish(c, j)) ||
                ((!strcmp(l, "compound") || !strcmp(l, "nmod:poss")) && named && !app)) {
                add_arg(c, v, j);
                partner = 1;
            }
        }
        if (!partner) {
            size_t j = v->te;
            if (j < c->e && (is(d, j, "with") || is(d, j, "on")) && j + 1 < c->e) {
                for (size_t m = j + 1; m < c->e && m < j + 5 && !partner; m++)
                    if (ent_type(c, m)) {
                        add_party(c, v, m);
                        partner = 1;
                    }
            }
        }
        /* "noted the rule in the interview last week": the one named before */
        long det = child(c, k, "det", c->b);
        int definite = det >= 0 && (is(d, (size_t)det, "the") || is(d, (size_t)det, "this") ||
                                    is(d, (size_t)det, "that"));
        long g = governing_verb(c, k);
        long s = g >= 0 ? subject_of(c, (size_t)g) : -1;
        if (!partner && !(definite && s >= 0 && ent_type(c, (size_t)s) == HS_ENT_PERSON))
            return 0;
        size_t n0 = v->np;
        if (s >= 0)
            add_arg(c, v, (size_t)s);
        if (v->np == n0) /* "X likened RT to the BBC in an interview with the Post": X */
            add_sentence_people(c, v, 1, 0, 1);
        return 1;
    }
    case L_FORUM:
        if (!noun)
            return 0;
        /* a court's hearing is no meeting of parties ("a bankruptcy hearing") */
        for (size_t j = k > c->b + 3 ? k - 3 : c->b; j < k; j++)
            if (in(d, j, court_words))
                return 0;
        break;
    case L_CALL: {
        if (noun) {
            int phone = k > c->b && (is(d, k - 1, "phone") || is(d, k - 1, "conference"));
            size_t who = v->te + 1; /* "calls from (black) listeners" */
            if (who + 1 < c->e && pos0(d, who) == 'J')
                who++;
            int from = who < c->e && (is(d, v->te, "from") || is(d, v->te, "with")) &&
                       personish(c, who);
            if (!phone && !from && !add_partners(c, v, k, 0) &&
                child(c, k, "nmod:poss", c->b) < 0)
                return 0;
            if (from)
                add_party(c, v, who);
            if (phone)
                v->tb = k - 1;
            break;
        }
        /* "she called into Tom Joyner's radio program": a call to a show */
        if (v->te + 1 < c->e && (is(d, v->te, "into") ||
                                 (is(d, v->te, "in") && is(d, v->te + 1, "to")))) {
            v->te += is(d, v->te, "into") ? 1 : 2;
            for (size_t m = v->te; m < c->e && m < v->te + 6; m++)
                if (pos0(d, m) == 'N' && (m + 1 >= c->e || pos0(d, m + 1) != 'N')) {
                    add_party(c, v, m);
                    break;
                }
            if (subj >= 0)
                add_arg(c, v, (size_t)subj);
            return v->np > 1;
        }
        /* "called Machado on Friday": a person, then no naming complement */
        if (obj < 0 || strncmp(d->posname[obj], "NNP", 3) != 0 ||
            ent_type(c, (size_t)obj) == HS_ENT_ORG || ent_type(c, (size_t)obj) == HS_ENT_OUTLET ||
            ent_type(c, (size_t)obj) == HS_ENT_MISC)
            return 0;
        size_t mb, me;
        mention(c, (size_t)obj, &mb, &me);
        if (me < c->e && (d->tok[me].kind == HS_TOK_QUOTE || pos0(d, me) == 'N' ||
                          pos0(d, me) == 'J' || pos0(d, me) == 'D' || pos0(d, me) == 'W' ||
                          is(d, me, "a") ||
                          d->posname[me][0] == 'P'))
            return 0;
        add_arg(c, v, (size_t)obj);
        if (subj >= 0)
            add_arg(c, v, (size_t)subj);
        return v->np > 1;
    }
    case L_TALK:
        if (noun) {
            if (!is(d, k, "talks") && !is(d, k, "talk") && !is(d, k, "chat"))
                break;
            if (is(d, k, "talk")) /* "talk of", "small talk": only "talk with" */
                if (!add_partners(c, v, k, 0))
                    return 0;
            break;
        }
        if (!add_partners(c, v, k, P_NEAR) && !add_partners_flat(c, v)) {
            int sym = in(d, k, sym_verbs), disc = in(d, k, discuss_verbs);
            long up = head_of(c, k);
            if (disc && up >= 0 && lex_class(d, (size_t)up) == L_MEET) {
                /* "met with Kadzik to discuss": the meeting's parties */
                add_partners(c, v, (size_t)up, 0);
                long o2 = child(c, (size_t)up, "dobj", (size_t)up + 1);
                if (o2 >= 0 && personish(c, (size_t)o2))
                    add_arg(c, v, (size_t)o2);
                if (subj >= 0)
                    add_arg(c, v, (size_t)subj);
                return v->np > 0;
            }
            int gath = in(d, k, gather_verbs);
            if (gath) { /* "leaders gathered Friday to discuss ...": gathered to talk */
                int purpose = 0;
                for (size_t m = v->te; m + 1 < c->e && m < v->te + 6 && !purpose; m++)
                    purpose = is(d, m, "to") &&
                              (lex_class(d, m + 1) == L_TALK || lex_class(d, m + 1) == L_MEET);
                if (!purpose)
                    return 0;
            }
            int pl = plural_subject(c, subj) && !in(d, (size_t)subj, audiences) &&
                     (together(c) || disc || gath || child(c, (size_t)subj, "conj", c->b) >= 0);
            if (!sym || !(pl || coordinated_before(c, v)))
                return 0;
        }
        if (subj >= 0)
            add_arg(c, v, (size_t)subj);
        return v->np > 0;
    case L_SIT: {
        /* a phrase: "sat down with", "faces off against", "went up against",
         * "reached out to", "in touch with" */
        size_t j = v->te;
        int ok;
        if (is(d, k, "touch")) {
            ok = k > c->b && is(d, k - 1, "in") && j < c->e && is(d, j, "with");
            v->tb = k - 1;
            v->te = j + 1;
        } else {
            ok = 0;
            for (size_t p = 0; p < sizeof phrases / sizeof *phrases && !ok; p++)
                ok = j + 1 < c->e && in(d, k, phrases[p].heads) && is(d, j, phrases[p].particle) &&
                     in(d, j + 1, phrases[p].preps);
            v->te = j + 2;
        }
        if (!ok)
            return 0;
        if (!add_partners(c, v, k, 0)) {
            long best = -1; /* a name within reach, else the first party */
            for (size_t m = v->te; m < c->e && m < v->te + 7 && best < 0; m++)
                if (ent_type(c, m) == HS_ENT_PERSON)
                    best = (long)m;
            for (size_t m = v->te; m < c->e && m < v->te + 5 && best < 0; m++) {
                if (in(d, m, audiences))
                    return 0; /* "reach out to black voters" */
                if (personish(c, m))
                    best = (long)m;
            }
            if (best >= 0)
                add_party(c, v, (size_t)best);
        }
        long poss = noun ? child(c, k, "nmod:poss", c->b) : -1; /* "Trump's sit down with Oz" */
        if (poss >= 0)
            add_arg(c, v, (size_t)poss);
        if (subj < 0 && !noun)
            subj = subject_flat(c, v);
        if (subj >= 0)
            add_arg(c, v, (size_t)subj);
        return v->np > 0;
    }
    case L_VISIT: {
        if (verb) {
            /* a person, or an institution ("visited the White House"); not a place */
            if (obj < 0 || (ent_type(c, (size_t)obj) != HS_ENT_PERSON &&
                            ent_type(c, (size_t)obj) != HS_ENT_ORG))
                return 0;
            add_arg(c, v, (size_t)obj);
        } else if (!add_partners(c, v, k, P_NOLOC)) {
            return 0;
        }
        if (subj >= 0)
            add_arg(c, v, (size_t)subj);
        return v->np > 0;
    }
    case L_TESTIFY: {
        size_t j = v->te;
        if (j >= c->e || !is(d, j, "before"))
            return 0;
        for (size_t m = j + 1; m < c->e && m < j + 6; m++)
            if (ent_type(c, m) == HS_ENT_ORG || is(d, m, "Congress") || is(d, m, "committee")) {
                add_party(c, v, m);
                break;
            }
        if (subj >= 0)
            add_arg(c, v, (size_t)subj);
        return v->np > 1;
    }
    case L_NOUN:
        /* "a session of talks" is a meeting, "the next session of Congress" a
         * legislature's term: "of" and a lower-case word, or a legislature */
        if ((is(d, k, "session") || is(d, k, "sessions")) && v->te + 1 < c->e &&
            is(d, v->te, "of")) {
            size_t n = v->te + 1;
            if ((!(d->tok[n].flags & HS_TF_CAP) && !is(d, n, "the")) || in(d, n, legislatures) ||
                (n + 1 < c->e && in(d, n + 1, legislatures)))
                return 0;
        }
        break;
    default:
        return 0;
    }
    /* a noun: its own parties, the subject of the verb it is the object of,
     * and for a debate or a hearing the people the sentence names */
    if (c->tree) {
        for (size_t j = c->b; j < c->e; j++) {
            if (head_of(c, j) != (long)k)
                continue;
            const char *l = lab(c, j);
            if (!strcmp(l, "nmod:poss") || (!strcmp(l, "compound") && ent(c, j) >= 0))
                add_arg(c, v, j);
        }
        if (!add_partners(c, v, k, P_OF) && !add_between(c, v))
            add_partners_flat(c, v); /* "negotiations among 195 countries" the tree hung elsewhere */
        long g = governing_verb(c, k);
        long s = g >= 0 ? subject_of(c, (size_t)g) : -1;
        /* a country or a city acts too: "China held talks", "the U.N. called a meeting" */
        if (s >= 0 && (personish(c, (size_t)s) || ent_type(c, (size_t)s) == HS_ENT_LOC))
            add_arg(c, v, (size_t)s);
    } else {
        add_partners_flat(c, v);
    }
    if (cls == L_DEBATE) { /* debaters are people: no show, party, place or tactic */
        size_t n = 0;
        for (size_t i = 0; i < v->np; i++) {
            size_t h = v->pe[i] - 1;
            int t = ent_type(c, h);
            int keep = t == HS_ENT_PERSON ||
                       (t == 0 && (is_pron(d, h) || in(d, h, role_nouns) ||
                                   in(d, h, debaters)));
            if (keep && is_pron(d, h) && ent(c, h) < 0 && !in(d, h, plural_pron) &&
                !is(d, h, "he") && !is(d, h, "she") && !is(d, h, "his") && !is(d, h, "her"))
                keep = 0; /* "we", "you" with nobody behind them */
            if (keep)
                v->pk[n] = v->pk[i], v->pe[n++] = v->pe[i];
        }
        v->np = n;
    }
    if (cls == L_DEBATE || cls == L_FORUM) {
        add_sentence_people(c, v, 2, 0, 1);
        if (v->np < 2)
            add_sentence_people(c, v, 2 - v->np, 0, 0);
        if (v->np == 0 && cls == L_DEBATE)
            add_previous_people(c, v, 2);
        /* of several, those who only tell of the debate go ("X noted that ...") */
        size_t n = 0;
        for (size_t i = 0; c->tree && v->np > 1 && i < v->np; i++)
            if (!reporter(c, v->pe[i] - 1) || (n == 0 && i + 1 == v->np))
                v->pk[n] = v->pk[i], v->pe[n++] = v->pe[i];
        if (c->tree && v->np > 1)
            v->np = n;
    } else if (v->np == 0 && (cls == L_MEET || cls == L_MEAL)) {
        add_sentence_people(c, v, 2, 1, 0);
    } else if (v->np == 0 && in(d, k, gathering_nouns)) {
        add_sentence_people(c, v, 2, 1, 1); /* the actors of "At the summit, X met Y" */
    }
    /* "In a panel discussion, Marc Morial said": the sentence's actors */
    if (v->np == 0 && (is(d, k, "discussion") || is(d, k, "discussions")))
        add_sentence_people(c, v, 2, 0, 1);
    /* "Those discussions are continuing": the people of the sentence before */
    if (v->np == 0 && (cls == L_MEET || in(d, k, gathering_nouns) || is(d, k, "discussions") ||
                       is(d, k, "discussion")))
        add_previous_people(c, v, 2);
    return v->np > 0;
}

/* Whether token k (of a sentence ending at token e) may be a trigger, so
 * that its sentence is worth parsing: a lexicon word; "call" only as a
 * phone or conference call, a call with, from or into, or a call of a
 * named person ("called it a hoax", "called for" are none). */
static int worth_parsing(const hs_doc *d, size_t k, size_t e)
{
    int cls = lex_class(d, k);
    if (cls != L_CALL)
        return cls != 0;
    if (k > 0 && (is(d, k - 1, "phone") || is(d, k - 1, "conference") ||
                  !strcmp(d->posname[k - 1], "POS"))) /* "the candidate's call" */
        return 1;
    if (k + 1 >= e)
        return 0;
    return is(d, k + 1, "with") || is(d, k + 1, "from") || is(d, k + 1, "into") ||
           is(d, k + 1, "in") || is(d, k + 1, "between") ||
           ((d->tok[k + 1].flags & HS_TF_CAP) && d->tok[k + 1].kind == HS_TOK_WORD);
}

/* A debate or a forum is the occasion of a whole article (interviews and
 * meetings are many): when its mentions with a tense are mostly future
 * ("the upcoming debate"), those with none ("Monday's debate") are future
 * too. */
static void tense_pass(hs_doc *d, const events_scratch *s)
{
    for (size_t i = 0; i < d->nev; i++) {
        unsigned cls = s->evcls[i];
        if (s->evbare[i] && d->ev[i].factuality == HS_FACT_ASSERTED &&
            (cls == L_DEBATE || cls == L_FORUM) && s->fut[cls] > s->past[cls])
            d->ev[i].factuality = HS_FACT_FUTURE;
    }
}

/* ---- the stage ------------------------------------------------------------ */

static hs_span span_of(const hs_doc *d, size_t b, size_t e)
{
    return (hs_span){d->tok[b].start, d->tok[e - 1].end};
}

static int push(sctx *c, cand *v, int fact, long a)
{
    hs_doc *d = c->d;
    /* room for a plural pronoun standing for the parties of the event before */
    if (vec_reserve((void **)&d->ev, &d->capev, d->nev + 1, sizeof *d->ev) ||
        vec_reserve((void **)&d->evpart, &d->capevpart, d->nevpart + v->np + MAXP,
                    sizeof *d->evpart))
        return HS_ENOMEM;
    /* the last meeting of this or the sentence before with several named parties */
    const hs_event *prev = NULL;
    const hs_participant *pp = NULL;
    size_t off = d->nevpart;
    for (size_t i = d->nev; i-- > 0 && d->ev[i].trigger.start >= d->tok[c->pb].start;) {
        off -= d->ev[i].nparticipants;
        size_t named = 0;
        for (uint32_t j = 0; j < d->ev[i].nparticipants; j++)
            named += d->evpart[off + j].entity >= 0;
        if (named >= 2) {
            prev = &d->ev[i];
            pp = d->evpart + off;
            break;
        }
    }
    /* a pronoun whose person the sentence also names is given by the name
     * (the one closest to the trigger) */
    for (size_t i = 0; i < v->np; i++) {
        long x = is_pron(d, v->pk[i]) ? ent(c, v->pk[i]) : -1;
        size_t best = SIZE_MAX, bd = SIZE_MAX;
        for (size_t k = c->b; x >= 0 && k < c->e; k++) {
            size_t dist = k < v->tb ? v->tb - k : k - v->tb;
            if (!is_pron(d, k) && ent(c, k) == x && dist < bd)
                best = k, bd = dist;
        }
        if (best != SIZE_MAX) {
            size_t b, e;
            mention(c, best, &b, &e);
            int dup = 0;
            for (size_t j = 0; j < v->np && !dup; j++)
                dup = j != i && v->pk[j] < e && b < v->pe[j];
            if (!dup)
                v->pk[i] = b, v->pe[i] = e;
        }
    }
    /* participants in text order */
    for (size_t i = 1; i < v->np; i++)
        for (size_t j = i; j > 0 && v->pk[j - 1] > v->pk[j]; j--) {
            size_t t = v->pk[j];
            v->pk[j] = v->pk[j - 1], v->pk[j - 1] = t;
            t = v->pe[j];
            v->pe[j] = v->pe[j - 1], v->pe[j - 1] = t;
        }
    hs_event *ev = &d->ev[d->nev++];
    memset(ev, 0, sizeof *ev);
    ev->type = HS_EVENT_MEET;
    ev->factuality = (uint8_t)fact;
    ev->trigger = span_of(d, v->tb, v->te);
    ev->nparticipants = (uint32_t)v->np;
    ev->participants = NULL; /* set by events_run once all are in */
    int expanded = 0;
    size_t first = d->nevpart; /* this event's participants start here */
    for (size_t i = 0; i < v->np; i++) {
        hs_participant *p = &d->evpart[d->nevpart++];
        p->span = span_of(d, v->pk[i], v->pe[i]);
        /* the entity of the mention's head (its last name-like token): "the
         * Lithuanian foreign minister" is no mention of Lithuania */
        p->entity = ent(c, v->pe[i] - 1);
        for (size_t k = v->pk[i]; k < v->pe[i] && p->entity < 0; k++)
            if (ent_type(c, k) == HS_ENT_PERSON)
                p->entity = ent(c, k);
        if (p->entity >= 0 || !prev || expanded || v->pe[i] != v->pk[i] + 1 ||
            !in(d, v->pk[i], plural_pron))
            continue;
        /* "they might have snuck off to talk": the parties of the meeting
         * just before, when it had several, each with this span */
        size_t nres = 0;
        for (uint32_t j = 0; j < prev->nparticipants; j++)
            nres += pp[j].entity >= 0;
        if (nres < 2)
            continue;
        d->nevpart--;
        ev->nparticipants--;
        expanded = 1;
        /* each entity once, and at most MAXP of them (the room reserved above) */
        size_t added = 0;
        for (uint32_t j = 0; j < prev->nparticipants && added < MAXP; j++) {
            int have = pp[j].entity < 0;
            for (size_t q = first; q < d->nevpart && !have; q++)
                have = d->evpart[q].entity == pp[j].entity;
            for (size_t q = i + 1; q < v->np && !have; q++) /* a party named later on */
                have = ent(c, v->pe[q] - 1) == pp[j].entity;
            if (have)
                continue;
            hs_participant *q = &d->evpart[d->nevpart++];
            q->span = span_of(d, v->pk[i], v->pe[i]);
            q->entity = pp[j].entity;
            ev->nparticipants++;
            added++;
        }
    }
    /* each entity once (a later mention of a party "they" already stood for) */
    size_t w = first;
    for (size_t q = first; q < d->nevpart; q++) {
        int dup = 0;
        for (size_t r = first; r < w && !dup; r++)
            dup = d->evpart[q].entity >= 0 && d->evpart[r].entity == d->evpart[q].entity;
        if (!dup)
            d->evpart[w++] = d->evpart[q];
    }
    ev->nparticipants = (uint32_t)(w - first);
    d->nevpart = w;
    ev->attribution = a;
    ev->source_entity = -1;
    if (a >= 0 && d->attr[a].nsource) {
        ev->source = d->attr[a].source[0];
        ev->source_entity = d->attr[a].source_entity;
    }
    size_t b, e;
    if (find_time(c, v, &b, &e))
        ev->time = span_of(d, b, e);
    if (find_place(c, v, &b, &e))
        ev->place = span_of(d, b, e);
    return HS_OK;
}

int events_run(hs_doc *d, const struct parser *p, struct parser_scratch *ps,
               events_scratch *es)
{
    d->nev = d->nevpart = 0;
    es->built = 0;
    memset(es->fut, 0, sizeof es->fut);
    memset(es->past, 0, sizeof es->past);
    /* arrays a huge document grew are not kept for the next */
    vec_trim(&es->tok_attr, &es->captokattr, sizeof *es->tok_attr, BUF_KEEP);
    vec_trim(&es->sur, &es->capsur, sizeof *es->sur, BUF_KEEP);
    vec_trim(&es->evcls, &es->capevcls, 1, BUF_KEEP);
    vec_trim(&es->evbare, &es->capevbare, 1, BUF_KEEP);
    if (!d->has_pos || !d->ntok)
        return HS_OK;
    for (size_t s = 0; s < d->nsent; s++) {
        const hs_sentence *se = &d->sent[s];
        int any = 0;
        for (size_t k = se->tok_begin; k < se->tok_end && !any; k++)
            any = worth_parsing(d, k, se->tok_end);
        if (!any)
            continue;
        if (build(es, d))
            return HS_ENOMEM;
        sctx c = {d, es, se->tok_begin, se->tok_end, 0, 0, se->tok_begin, -1, 0, 0};
        if (s > 0 && d->tok[se->tok_begin].start > 0) {
            /* same paragraph: no blank line between */
            const hs_sentence *pr = &d->sent[s - 1];
            int blank = 0;
            for (uint32_t o = pr->end; o < se->start && !blank; o++)
                blank = d->text[o] == '\n' && memchr(d->text + o + 1, '\n', se->start - o - 1);
            if (!blank)
                c.pb = pr->tok_begin;
        }
        size_t words = 0, caps = 0;
        for (size_t k = c.b; k < c.e; k++)
            if (d->tok[k].kind == HS_TOK_WORD && pos0(d, k) != 'D' && pos0(d, k) != 'I' &&
                pos0(d, k) != 'C' && strcmp(d->posname[k], "TO"))
                words++, caps += (d->tok[k].flags & HS_TF_CAP) != 0;
        c.title = words >= 3 && caps * 5 >= words * 4;
        c.tree = parser_need(d, p, ps, s) && d->label_names;
        for (size_t k = c.b; k < c.e; k++) {
            int cls = lex_class(d, k);
            if (!cls || (cls == L_CALL && !worth_parsing(d, k, c.e)))
                continue;
            /* part of a name ("Commission on Presidential Debates") */
            if (!c.title && (d->tok[k].flags & HS_TF_CAP) && !(d->tok[k].flags & HS_TF_SENT_START) &&
                ((d->tok_ent && d->tok_ent[k] && d->ents[d->tok_ent[k] - 1].type != HS_ENT_MISC) ||
                 (k > c.b && (d->tok[k - 1].flags & HS_TF_CAP) &&
                  !(d->tok[k - 1].flags & HS_TF_SENT_START) &&
                  !memchr(d->text + d->tok[k - 1].start, '-',
                          d->tok[k - 1].end - d->tok[k - 1].start))))
                continue;
            cand v = {.tb = k, .te = k + 1};
            /* "summit meeting": one trigger, judged by its head */
            if (k + 1 < c.e && lex_class(d, k + 1) && pos0(d, k) == 'N' && pos0(d, k + 1) == 'N') {
                k++;
                cls = lex_class(d, k);
            }
            long a = es->tok_attr[k];
            c.skip_ent = -1;
            c.skip_b = c.skip_e = 0;
            if (a >= 0 && d->attr[a].nsource) {
                c.skip_ent = d->attr[a].source_entity;
                c.skip_b = d->attr[a].source[0].start;
                c.skip_e = d->attr[a].source[d->attr[a].nsource - 1].end;
            }
            size_t tb = v.tb;
            v.tb = k;
            v.te = k + 1;
            if (!judge(&c, &v, cls))
                continue;
            if (tb < v.tb)
                v.tb = tb;
            int noun = pos0(d, k) != 'V'; /* the head word: "sat" of "sat down with" */
            unsigned f = cues(&c, &v, noun);
            if (push(&c, &v, factuality(f, a >= 0), a))
                return HS_ENOMEM;
            /* for the article's tense (tense_pass) */
            if (vec_reserve((void **)&es->evcls, &es->capevcls, d->nev, 1) ||
                vec_reserve((void **)&es->evbare, &es->capevbare, d->nev, 1))
                return HS_ENOMEM;
            es->evcls[d->nev - 1] = (uint8_t)cls;
            es->evbare[d->nev - 1] = noun && !f;
            if (d->ev[d->nev - 1].factuality == HS_FACT_FUTURE)
                es->fut[cls]++;
            else if (f & F_PAST)
                es->past[cls]++;
            k = v.te - 1;
        }
    }
    tense_pass(d, es);
    size_t off = 0;
    for (size_t i = 0; i < d->nev; i++) {
        d->ev[i].participants = d->ev[i].nparticipants ? d->evpart + off : NULL;
        off += d->ev[i].nparticipants;
    }
    return HS_OK;
}
