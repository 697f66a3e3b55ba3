/* ner - the entity tagger, its trainer and its model file (see ner.h).
 * Sections: 'NERC' config (u32 magic, u32 flags, u32 nclass, u32 feature
 * version), 'NERW' perceptron blob (emission and, when greedy, previous-tag
 * features), 'NERT' float transitions [nclass+1][nclass] (last row: start).
 * The gazetteer is compiled in. Decoding never allocates: windows of WIN
 * tokens with MARGIN tokens of context each side. */
#include "ner.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "gazetteer.h"
#include "model.h"
#include "perceptron.h"

#define NC 9 /* trained classes: O and B/I of PER ORG LOC MISC */
#define WIN 1024
#define MARGIN 8
#define MAXF 96
#define NER_MAGIC 0x3152454eu /* "NER1" */
#define FEAT_VERSION 1
#define FL_GREEDY 1u
#define FL_POS 2u

#define SEC_CONF MODEL_ID('N', 'E', 'R', 'C')
#define SEC_W MODEL_ID('N', 'E', 'R', 'W')
#define SEC_T MODEL_ID('N', 'E', 'R', 'T')

/* ---- tags ---------------------------------------------------------------- */
static const char *const type_names[NER_NTYPES] = {"O", "PER", "ORG", "LOC", "MISC", "OUTLET"};
static const char *const tag_names[NER_NTAGS] = {
    "O",     "B-PER",  "I-PER",  "B-ORG",    "I-ORG",   "B-LOC",
    "I-LOC", "B-MISC", "I-MISC", "B-OUTLET", "I-OUTLET"};

/* The tag names with OUTLET spelt ORG, as the output writes them. */
static const char *const coarse_names[NER_NTAGS] = {
    "O",     "B-PER",  "I-PER",  "B-ORG", "I-ORG", "B-LOC",
    "I-LOC", "B-MISC", "I-MISC", "B-ORG", "I-ORG"};

const char *ner_type_name(unsigned type) { return type < NER_NTYPES ? type_names[type] : "?"; }

const char *ner_tag_name(uint8_t tag, int coarse)
{
    if (tag >= NER_NTAGS)
        return "O";
    if (coarse && ner_tag_type(tag) == NER_OUTLET)
        tag = ner_tag_make(NER_ORG, ner_tag_is_begin(tag));
    return tag_names[tag];
}

int ner_tag_parse(const char *s)
{
    for (int i = 0; i < NER_NTAGS; i++)
        if (!strcmp(s, tag_names[i]))
            return i;
    return -1;
}

/* I-X may only follow B-X or I-X. */
static int allowed(uint8_t prev, uint8_t tag)
{
    return !tag || ner_tag_is_begin(tag) || (prev && ner_tag_type(prev) == ner_tag_type(tag));
}

/* ---- spans and scores ---------------------------------------------------- */
static unsigned coarse_type(uint8_t tag)
{
    unsigned t = ner_tag_type(tag);
    return t == NER_OUTLET ? NER_ORG : t;
}

/* Calls back nothing: fills starts/ends/types of the spans of tags, the way
 * tools/eval_tags.py reads them (I after O starts a span). Returns count. */
static size_t spans(const uint8_t *tags, size_t n, uint32_t *st, uint32_t *en, uint8_t *ty)
{
    size_t k = 0;
    long start = -1;
    unsigned cur = 0;
    for (size_t i = 0; i <= n; i++) {
        uint8_t t = i < n ? tags[i] : 0;
        unsigned y = coarse_type(t);
        if (start >= 0 && (!t || ner_tag_is_begin(t) || y != cur)) {
            st[k] = (uint32_t)start, en[k] = (uint32_t)i, ty[k++] = (uint8_t)cur;
            start = -1;
        }
        if (t && start < 0)
            start = (long)i, cur = y;
    }
    return k;
}

void ner_count_spans(ner_counts *c, const uint8_t *gold, const uint8_t *pred, size_t n)
{
    enum { CH = 256 };
    uint32_t gs[CH], ge[CH], ps[CH], pe[CH];
    uint8_t gt[CH], pt[CH];
    /* count in pieces cut at positions where both are O, to bound memory */
    size_t a = 0;
    while (a < n) {
        size_t b = a, lim = a + CH;
        while (b < n && b < lim)
            b++;
        while (b < n && b > a + 1 && (gold[b] || pred[b]))
            b--;
        if (b < n && (gold[b] || pred[b]))
            b = lim < n ? lim : n; /* no clean cut: accept a split span */
        size_t ng = spans(gold + a, b - a, gs, ge, gt), np = spans(pred + a, b - a, ps, pe, pt);
        for (size_t i = 0; i < ng; i++)
            c->gold[gt[i]]++, c->gold[0]++;
        for (size_t j = 0; j < np; j++)
            c->pred[pt[j]]++, c->pred[0]++;
        for (size_t i = 0, j = 0; i < ng && j < np;) {
            if (gs[i] == ps[j] && ge[i] == pe[j] && gt[i] == pt[j])
                c->tp[gt[i]]++, c->tp[0]++, i++, j++;
            else if (gs[i] < ps[j] || (gs[i] == ps[j] && ge[i] < pe[j]))
                i++;
            else
                j++;
        }
        a = b;
    }
}

double ner_f1(const ner_counts *c, unsigned type)
{
    if (type >= NER_NTYPES || !c->gold[type] || !c->pred[type] || !c->tp[type])
        return 0;
    double p = (double)c->tp[type] / (double)c->pred[type];
    double r = (double)c->tp[type] / (double)c->gold[type];
    return 2 * p * r / (p + r);
}

/* ---- per-token hashes ---------------------------------------------------- */
#define NPRE 4
#define NSUF 5
/* What the features of a token are made of, computed once per window. */
typedef struct tokh {
    uint64_t w, lw, sh, pos;
    uint64_t pre[NPRE], suf[NSUF];
    uint32_t gaz;
    uint8_t cap;        /* CAP_* */
    uint8_t run, runpos; /* length of the capitalised run it is in, and its place */
    uint64_t runfirst, runlast; /* lw of the run's first and last tokens */
} tokh;

enum { CAP_INIT = 1, CAP_ALL = 2, CAP_LOWER = 4, CAP_DIGIT = 8, CAP_ALPHA = 16 };

struct ner_scratch {
    tokh t[WIN + 2 * MARGIN];
    uint64_t gh[WIN + 2 * MARGIN];
    uint32_t gb[WIN + 2 * MARGIN];
    uint64_t f[WIN * MAXF];
    uint16_t nf[WIN];
    float sc[WIN * NC];
    uint8_t bp[WIN * NC];
};

static const tokh edge_tok[2] = {
    {.w = 0x1111, .lw = 0x1111, .sh = 0x1111, .pos = 0x1111, .pre = {1, 1, 1, 1},
     .suf = {1, 1, 1, 1, 1}},
    {.w = 0x2222, .lw = 0x2222, .sh = 0x2222, .pos = 0x2222, .pre = {2, 2, 2, 2},
     .suf = {2, 2, 2, 2, 2}},
};

ner_scratch *ner_scratch_new(void) { return malloc(sizeof(ner_scratch)); }
void ner_scratch_free(ner_scratch *s) { free(s); }

/* CoreNLP and UD spell brackets and quotes differently: one hash for both. */
static const char *normal_form(const char *s, size_t *n)
{
    static const char *const map[][2] = {
        {"(", "-LRB-"}, {")", "-RRB-"}, {"[", "-LSB-"}, {"]", "-RSB-"}, {"{", "-LCB-"},
        {"}", "-RCB-"}, {"\"", "''"},   {"``", "''"},   {"\xe2\x80\x9c", "''"},
        {"\xe2\x80\x9d", "''"}, {"\xe2\x80\x99", "'"}, {"\xe2\x80\x98", "`"},
    };
    if (*n > 3)
        return s;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strlen(map[i][0]) == *n && !memcmp(s, map[i][0], *n)) {
            *n = strlen(map[i][1]);
            return map[i][1];
        }
    return s;
}

static void hash_token(tokh *t, const char *form, const char *pos)
{
    size_t n = strlen(form);
    const char *s = normal_form(form, &n);
    char lw[64], sh[32];
    size_t nl = n < sizeof lw ? n : sizeof lw, ns = 0;
    unsigned cap = 0, nup = 0, nlow = 0;
    char last = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        char k;
        if (c >= 'A' && c <= 'Z')
            k = 'X', nup++;
        else if (c >= 'a' && c <= 'z')
            k = 'x', nlow++;
        else if (c >= '0' && c <= '9')
            k = 'd', cap |= CAP_DIGIT;
        else if (c >= 0x80)
            k = (c & 0xC0) == 0x80 ? 0 : 'u';
        else
            k = (char)c;
        if (i < nl)
            lw[i] = (char)(k == 'X' ? c + 32 : c);
        if (k && k != last && ns < sizeof sh)
            sh[ns++] = k;
        if (k)
            last = k;
    }
    if (nup + nlow)
        cap |= CAP_ALPHA;
    if (n && s[0] >= 'A' && s[0] <= 'Z')
        cap |= CAP_INIT;
    if (nup && !nlow)
        cap |= CAP_ALL;
    if (nlow && !nup)
        cap |= CAP_LOWER;
    t->cap = (uint8_t)cap;
    t->w = fk_bytes(1, s, n);
    t->lw = fk_bytes(2, lw, nl);
    t->sh = fk_bytes(3, sh, ns);
    for (size_t k = 0; k < NPRE; k++)
        t->pre[k] = k < nl ? fk_bytes(4 + k, lw, k + 1) : 7;
    for (size_t k = 0; k < NSUF; k++)
        t->suf[k] = k < nl ? fk_bytes(8 + k, lw + nl - k - 1, k + 1) : 13;
    t->pos = pos ? fk_bytes(14, pos, strlen(pos)) : 0;
    t->gaz = 0;
}

/* Headline-style sentences (most words capitalised) and all-caps ones:
 * 0 normal, 1 title case, 2 all caps. */
static unsigned sentence_case(size_t n, const char *const *form)
{
    size_t alpha = 0, init = 0, all = 0;
    for (size_t i = 1; i < n; i++) {
        unsigned char c = (unsigned char)form[i][0];
        int up = c >= 'A' && c <= 'Z';
        if (!up && !(c >= 'a' && c <= 'z'))
            continue;
        alpha++;
        init += up;
        if (up && form[i][1]) {
            const char *p = form[i];
            while (*p && !(*p >= 'a' && *p <= 'z'))
                p++;
            all += !*p;
        }
    }
    if (alpha >= 3 && all * 10 >= alpha * 9)
        return 2;
    if (alpha >= 3 && init * 10 >= alpha * 7)
        return 1;
    return 0;
}

/* Fills s->t for tokens [lo, hi) and their gazetteer bits. */
static void prepare(const gaz *g, ner_scratch *s, const char *const *form,
                    const char *const *pos, size_t lo, size_t hi)
{
    for (size_t j = lo; j < hi; j++) {
        hash_token(&s->t[j - lo], form[j], pos ? pos[j] : NULL);
        size_t n = strlen(form[j]);
        const char *f = normal_form(form[j], &n);
        s->gh[j - lo] = gaz_token_hash(f, n);
        s->gb[j - lo] = 0;
    }
    gaz_match(g, s->gh, hi - lo, s->gb);
    for (size_t j = lo; j < hi; j++)
        s->t[j - lo].gaz = s->gb[j - lo];
    /* runs of capitalised tokens (a name, an organisation) */
    for (size_t j = lo; j < hi;) {
        tokh *t = &s->t[j - lo];
        if (!(t->cap & CAP_INIT)) {
            t->run = t->runpos = 0;
            t->runfirst = t->runlast = 0;
            j++;
            continue;
        }
        size_t e = j + 1;
        while (e < hi && (s->t[e - lo].cap & CAP_INIT))
            e++;
        for (size_t k = j; k < e; k++) {
            tokh *u = &s->t[k - lo];
            u->run = (uint8_t)(e - j < 6 ? e - j : 6);
            u->runpos = (uint8_t)(k - j < 6 ? k - j : 6);
            u->runfirst = s->t[j - lo].lw;
            u->runlast = s->t[e - 1 - lo].lw;
        }
        j = e;
    }
}

#define DISJ 4
enum {
    T_BIAS = 1, T_W, T_LW, T_SH, T_PRE, T_SUF = T_PRE + NPRE, T_LWM1 = T_SUF + NSUF, T_LWP1, T_LWM2,
    T_LWP2, T_SHM1, T_SHP1, T_BIM1, T_BIP1, T_SH3, T_INIT, T_CASE, T_CASEW, T_GAZ, T_GAZC,
    T_GAZM1, T_GAZP1, T_POS, T_POSM1, T_POSP1, T_POS2M, T_POS2P, T_POSW, T_LWM1SH, T_SHLWP1,
    T_WM1, T_WP1, T_LWSHP1, T_SHM1LW, T_SUFM1, T_DISL, T_DISR, T_RUN, T_RUNF, T_RUNL, T_SANDW, T_P1, T_P12, T_P1W, T_P1SH, T_P1SHP1
};

#define F1(T, a) fk_end(fk_num(fk_start(T), (a)))
#define F2(T, a, b) fk_end(fk_num(fk_num(fk_start(T), (a)), (b)))
#define F3(T, a, b, c) fk_end(fk_num(fk_num(fk_num(fk_start(T), (a)), (b)), (c)))

/* At most 8 per call, so that a token's features fit in MAXF. */
static size_t gaz_feats(uint32_t bits, uint32_t tmpl, uint64_t extra, uint64_t *f)
{
    size_t k = 0;
    while (bits && k < 8) {
        unsigned b = (unsigned)__builtin_ctz(bits);
        bits &= bits - 1;
        f[k++] = F2(tmpl, b, extra);
    }
    return k;
}

/* Tag-independent features of token i of n; t points at its tokh and the
 * neighbours exist in t[-2..2] unless at a sentence edge. */
static size_t static_feats(const tokh *t, size_t i, size_t n, unsigned scase, int usepos,
                           uint64_t *f)
{
    const tokh *m1 = i >= 1 ? t - 1 : &edge_tok[0], *m2 = i >= 2 ? t - 2 : &edge_tok[0];
    const tokh *p1 = i + 1 < n ? t + 1 : &edge_tok[1], *p2 = i + 2 < n ? t + 2 : &edge_tok[1];
    size_t k = 0;
    f[k++] = F1(T_BIAS, 0);
    f[k++] = F1(T_W, t->w);
    f[k++] = F1(T_LW, t->lw);
    f[k++] = F1(T_SH, t->sh);
    for (unsigned j = 0; j < NPRE; j++)
        f[k++] = F1(T_PRE + j, t->pre[j]);
    for (unsigned j = 0; j < NSUF; j++)
        f[k++] = F1(T_SUF + j, t->suf[j]);
    for (size_t d = 1; d <= DISJ; d++) {
        f[k++] = F1(T_DISL, i >= d ? (t - d)->lw : 1);
        f[k++] = F1(T_DISR, i + d < n ? (t + d)->lw : 2);
    }
    if (t->run) {
        f[k++] = F2(T_RUN, t->run, t->runpos);
        f[k++] = F2(T_RUNF, t->runfirst, t->runpos);
        f[k++] = F2(T_RUNL, t->runlast, t->runpos);
    }
    f[k++] = F2(T_SANDW, m1->lw, p1->lw);
    f[k++] = F1(T_LWM1, m1->lw);
    f[k++] = F1(T_LWP1, p1->lw);
    f[k++] = F1(T_LWM2, m2->lw);
    f[k++] = F1(T_LWP2, p2->lw);
    f[k++] = F1(T_SHM1, m1->sh);
    f[k++] = F1(T_SHP1, p1->sh);
    f[k++] = F2(T_BIM1, m1->lw, t->lw);
    f[k++] = F2(T_BIP1, t->lw, p1->lw);
    f[k++] = F3(T_SH3, m1->sh, t->sh, p1->sh);
    f[k++] = F2(T_LWM1SH, m1->lw, t->sh);
    f[k++] = F2(T_SHLWP1, t->sh, p1->lw);
    f[k++] = F1(T_WM1, m1->w);
    f[k++] = F1(T_WP1, p1->w);
    f[k++] = F2(T_LWSHP1, t->lw, p1->sh);
    f[k++] = F2(T_SHM1LW, m1->sh, t->lw);
    f[k++] = F2(T_SUFM1, m1->suf[2], t->sh);
    if (i == 0)
        f[k++] = F1(T_INIT, t->sh);
    if (scase) {
        f[k++] = F2(T_CASE, scase, t->sh);
        f[k++] = F2(T_CASEW, scase, t->lw);
    }
    k += gaz_feats(t->gaz, T_GAZ, 0, f + k);
    k += gaz_feats(t->gaz, T_GAZC, t->cap & (CAP_INIT | CAP_ALL), f + k);
    k += gaz_feats(m1->gaz, T_GAZM1, 0, f + k);
    k += gaz_feats(p1->gaz, T_GAZP1, 0, f + k);
    if (usepos && t->pos) {
        f[k++] = F1(T_POS, t->pos);
        f[k++] = F1(T_POSM1, m1->pos);
        f[k++] = F1(T_POSP1, p1->pos);
        f[k++] = F2(T_POS2M, m1->pos, t->pos);
        f[k++] = F2(T_POS2P, t->pos, p1->pos);
        f[k++] = F2(T_POSW, t->pos, t->lw);
    }
    return k;
}

/* Previous-tag features of the greedy decoder. */
static size_t tag_feats(const tokh *t, size_t i, size_t n, uint8_t p1, uint8_t p2, uint64_t *f)
{
    const tokh *nx = i + 1 < n ? t + 1 : &edge_tok[1];
    f[0] = F1(T_P1, p1);
    f[1] = F2(T_P12, p1, p2);
    f[2] = F2(T_P1W, p1, t->lw);
    f[3] = F2(T_P1SH, p1, t->sh);
    f[4] = F3(T_P1SHP1, p1, t->sh, nx->sh);
    return 5;
}

/* Computes the static features of window [a, b) into s->f / s->nf. Returns
 * lo, the first token whose hashes are in s->t. */
static size_t window_feats(const gaz *g, ner_scratch *s, size_t n, const char *const *form,
                           const char *const *pos, size_t a, size_t b, unsigned scase,
                           int usepos)
{
    size_t lo = a > MARGIN ? a - MARGIN : 0, hi = b + MARGIN < n ? b + MARGIN : n;
    prepare(g, s, form, pos, lo, hi);
    for (size_t i = a; i < b; i++)
        s->nf[i - a] =
            (uint16_t)static_feats(&s->t[i - lo], i, n, scase, usepos, s->f + (i - a) * MAXF);
    return lo;
}

/* ---- scoring: trainer weights or a model ---------------------------------- */
typedef struct scorer {
    const pc_trainer *tr;
    const pc_tab9 *wt;
} scorer;

/* Model scores of nt tokens' feature lists; features of the next token are
 * prefetched while the current one is scored. */
static void model_scores(const pc_tab9 *t, const uint64_t *f, const uint16_t *nf, size_t nt,
                         float *sc)
{
    for (size_t k = 0; k < nt; k++) {
        if (k + 1 < nt)
            pc_tab9_prefetch(t, f + (k + 1) * MAXF, nf[k + 1]);
        int32_t acc[9] = {0};
        pc_tab9_add(t, f + k * MAXF, nf[k], acc);
        for (unsigned c = 0; c < NC; c++)
            sc[k * NC + c] = (float)acc[c] * t->scale;
    }
}

static void score_one(const scorer *sr, const uint64_t *f, size_t nf, float *out)
{
    if (sr->tr) {
        pc_trainer_score(sr->tr, f, nf, out);
        return;
    }
    pc_tab9_score(sr->wt, f, nf, out);
}

static void score_window(const scorer *sr, ner_scratch *s, size_t nt)
{
    if (sr->wt) {
        model_scores(sr->wt, s->f, s->nf, nt, s->sc);
        return;
    }
    for (size_t k = 0; k < nt; k++)
        pc_trainer_score(sr->tr, s->f + k * MAXF, s->nf[k], s->sc + k * NC);
}

static uint8_t best_allowed(const float *sc, uint8_t prev)
{
    uint8_t b = 0;
    for (uint8_t c = 1; c < NC; c++)
        if (allowed(prev, c) && sc[c] > sc[b])
            b = c;
    return b;
}

/* Viterbi over window scores s->sc[0..nt) with transitions tr; prev is the
 * tag before the window (NC: sentence start). */
static void viterbi(ner_scratch *s, size_t nt, const float (*tr)[NC], uint8_t prev,
                    uint8_t *out)
{
    float v[NC], nv[NC];
    for (unsigned c = 0; c < NC; c++)
        v[c] = (prev == NC || allowed(prev, (uint8_t)c)) ? s->sc[c] + tr[prev][c] : -INFINITY;
    for (size_t k = 1; k < nt; k++) {
        for (unsigned c = 0; c < NC; c++) {
            float best = -INFINITY;
            uint8_t arg = 0;
            for (unsigned p = 0; p < NC; p++) {
                if (!allowed((uint8_t)p, (uint8_t)c))
                    continue;
                float x = v[p] + tr[p][c];
                if (x > best)
                    best = x, arg = (uint8_t)p;
            }
            nv[c] = best + s->sc[k * NC + c];
            s->bp[k * NC + c] = arg;
        }
        memcpy(v, nv, sizeof v);
    }
    uint8_t b = 0;
    for (unsigned c = 1; c < NC; c++)
        if (v[c] > v[b])
            b = (uint8_t)c;
    for (size_t k = nt; k-- > 0;) {
        out[k] = b;
        if (k)
            b = s->bp[k * NC + b];
    }
}

/* Decodes one sentence with the scorer; greedy uses previous-tag features. */
static void decode(const scorer *sr, const gaz *g, unsigned flags, const float (*tr)[NC],
                   ner_scratch *s, size_t n, const char *const *form, const char *const *pos,
                   uint8_t *out)
{
    unsigned scase = sentence_case(n, form);
    int usepos = (flags & FL_POS) && pos;
    uint8_t prev = NC;
    for (size_t a = 0; a < n; a += WIN) {
        size_t b = a + WIN < n ? a + WIN : n, nt = b - a;
        size_t lo = window_feats(g, s, n, form, pos, a, b, scase, usepos);
        score_window(sr, s, nt);
        if (!(flags & FL_GREEDY)) {
            viterbi(s, nt, tr, prev, out + a);
            prev = out[b - 1];
            continue;
        }
        for (size_t i = a; i < b; i++) {
            uint8_t p1 = i ? out[i - 1] : NC, p2 = i > 1 ? out[i - 2] : NC;
            uint64_t f[8];
            float d[NC], *sc = s->sc + (i - a) * NC;
            size_t nf = tag_feats(&s->t[i - lo], i, n, p1, p2, f);
            score_one(sr, f, nf, d);
            for (unsigned c = 0; c < NC; c++)
                sc[c] += d[c];
            out[i] = best_allowed(sc, p1 == NC ? 0 : p1);
        }
    }
}

/* ---- the model ------------------------------------------------------------ */
struct ner {
    model file;
    pc_model pc;
    pc_tab9 wt;
    uint32_t flags;
    float tr[NC + 1][NC];
    gaz g;
};

void ner_free(ner *m)
{
    if (!m)
        return;
    model_free(&m->file);
    pc_tab9_free(&m->wt);
    gaz_free(&m->g);
    free(m);
}

int ner_load(ner **out, const char *path, buf *err)
{
    *out = NULL;
    ner *m = calloc(1, sizeof *m);
    if (!m) {
        buf_printf(err, "%s: out of memory", path);
        return HS_ENOMEM;
    }
    int rc = model_load(&m->file, path, MODEL_NER, err);
    if (rc) {
        free(m);
        return rc;
    }
    rc = HS_EMODEL;
    size_t nc, nt;
    const uint32_t *conf = model_section_get(&m->file, SEC_CONF, &nc);
    const float *tr = model_section_get(&m->file, SEC_T, &nt);
    if (!conf || nc < 16 || conf[0] != NER_MAGIC || conf[2] != NC || conf[3] != FEAT_VERSION ||
        (conf[1] & ~(FL_GREEDY | FL_POS))) {
        buf_printf(err, "%s: NER model configuration missing or from another version", path);
        goto fail;
    }
    m->flags = conf[1];
    if (!tr || nt != sizeof m->tr) {
        buf_printf(err, "%s: NER transition section missing or of the wrong size", path);
        goto fail;
    }
    memcpy(m->tr, tr, sizeof m->tr);
    for (unsigned i = 0; i <= NC; i++)
        for (unsigned j = 0; j < NC; j++)
            if (!isfinite(m->tr[i][j])) {
                buf_printf(err, "%s: NER transition weights are not finite", path);
                goto fail;
            }
    if (pc_section_open(&m->pc, &m->file, SEC_W, NC, path, "NER", err))
        goto fail;
    if (gaz_init(&m->g) || pc_tab9_build(&m->wt, &m->pc)) {
        buf_printf(err, "%s: out of memory", path);
        rc = HS_ENOMEM;
        goto fail;
    }
    *out = m;
    return HS_OK;
fail:
    ner_free(m);
    return rc;
}

int ner_is_outlet(const ner *m, const char *const *form, size_t n)
{
    if (n > 1 && (!strcmp(form[0], "The") || !strcmp(form[0], "the")))
        form++, n--;
    return (gaz_lookup(&m->g, form, n) >> GAZ_OUTLET) & 1;
}

/* ORG spans that are listed outlets become OUTLET. */
static void mark_outlets(const ner *m, size_t n, const char *const *form, uint8_t *tag)
{
    for (size_t i = 0; i < n;) {
        if (tag[i] != ner_tag_make(NER_ORG, 1)) {
            i++;
            continue;
        }
        size_t j = i + 1;
        while (j < n && tag[j] == ner_tag_make(NER_ORG, 0))
            j++;
        if (ner_is_outlet(m, form + i, j - i))
            for (size_t k = i; k < j; k++)
                tag[k] = ner_tag_make(NER_OUTLET, k == i);
        i = j;
    }
}

void ner_tag(const ner *m, ner_scratch *s, size_t n, const char *const *form,
             const char *const *pos, uint8_t *tag_out)
{
    scorer sr = {NULL, &m->wt};
    decode(&sr, &m->g, m->flags, (const float(*)[NC])m->tr, s, n, form, pos, tag_out);
    mark_outlets(m, n, form, tag_out);
}

/* ---- training ------------------------------------------------------------- */
/* One training sentence: which corpus, which sentence. */
typedef struct sref {
    uint32_t set, idx;
} sref;

/* Averaged transition weights, kept in step with the perceptron's clock. */
typedef struct trans_avg {
    float w[NC + 1][NC];
    double acc[NC + 1][NC];
    uint32_t ts[NC + 1][NC];
} trans_avg;

static void trans_bump(trans_avg *t, uint32_t now, unsigned p, unsigned c, float d)
{
    t->acc[p][c] += (double)(now - t->ts[p][c]) * t->w[p][c];
    t->ts[p][c] = now;
    t->w[p][c] += d;
}

static uint64_t rng_next(uint64_t *x)
{
    *x ^= *x << 13;
    *x ^= *x >> 7;
    *x ^= *x << 17;
    return *x;
}

/* Sentence views: forms, POS and gold tag ids of corpus c sentence i. */
typedef struct sview {
    const char **form, **pos;
    uint8_t *gold;
    size_t cap;
} sview;

/* Replaces v's forms by ASCII-lowercased copies kept in low. */
static int lowercase_view(sview *v, size_t n, buf *low)
{
    buf_clear(low);
    for (size_t j = 0; j < n; j++)
        if (buf_append(low, v->form[j], strlen(v->form[j]) + 1))
            return -1;
    char *p = low->p;
    for (size_t j = 0; j < n; j++) {
        v->form[j] = p;
        for (; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                *p = (char)(*p + 32);
        p++;
    }
    return 0;
}

static int view(sview *v, const corpus *c, size_t i, size_t *n, int *haspos)
{
    size_t a = c->sent[i], len = corpus_sent_len(c, i);
    if (len > v->cap) {
        size_t cap = len * 2;
        const char **f = realloc(v->form, cap * sizeof *f);
        if (f)
            v->form = f;
        const char **p = realloc(v->pos, cap * sizeof *p);
        if (p)
            v->pos = p;
        uint8_t *g = realloc(v->gold, cap);
        if (g)
            v->gold = g;
        if (!f || !p || !g)
            return -1;
        v->cap = cap;
    }
    *haspos = 1;
    for (size_t j = 0; j < len; j++) {
        const corpus_tok *t = &c->tok[a + j];
        v->form[j] = t->form;
        v->pos[j] = t->pos;
        if (!strcmp(t->pos, "_"))
            *haspos = 0;
        int g = ner_tag_parse(t->ner);
        v->gold[j] = (uint8_t)(g > 0 && g < NC ? g : 0);
        if (v->gold[j] && !ner_tag_is_begin(v->gold[j]) &&
            !allowed(j ? v->gold[j - 1] : 0, v->gold[j]))
            v->gold[j]--; /* I after O: make it B */
    }
    *n = len;
    return 0;
}

typedef struct trainer {
    pc_trainer *pc;
    trans_avg *ta;
    gaz g;
    ner_scratch *s;
    unsigned flags;
    uint32_t now;
    size_t seen, correct;
    uint8_t *pred;
    size_t predcap;
} trainer;

static int train_sentence(trainer *T, size_t n, const char *const *form, const char *const *pos,
                          const uint8_t *gold)
{
    ner_scratch *s = T->s;
    unsigned scase = sentence_case(n, form);
    int usepos = (T->flags & FL_POS) && pos;
    uint8_t *out = T->pred;
    for (size_t a = 0; a < n; a += WIN) {
        size_t b = a + WIN < n ? a + WIN : n, nt = b - a;
        size_t lo = window_feats(&T->g, s, n, form, pos, a, b, scase, usepos);
        if (T->flags & FL_GREEDY) {
            for (size_t i = a; i < b; i++) {
                uint8_t p1 = i ? out[i - 1] : NC, p2 = i > 1 ? out[i - 2] : NC;
                uint64_t *f = s->f + (i - a) * MAXF;
                size_t nf = s->nf[i - a];
                nf += tag_feats(&s->t[i - lo], i, n, p1, p2, f + nf);
                float sc[NC];
                pc_trainer_score(T->pc, f, nf, sc);
                out[i] = best_allowed(sc, p1 == NC ? 0 : p1);
                if (pc_trainer_update(T->pc, f, nf, gold[i], out[i]))
                    return -1;
                pc_trainer_tick(T->pc);
                T->seen++, T->correct += out[i] == gold[i];
            }
            continue;
        }
        scorer sr = {T->pc, NULL};
        score_window(&sr, s, nt);
        uint8_t prev = a ? out[a - 1] : NC;
        uint8_t gprev = a ? gold[a - 1] : NC;
        float tr[NC + 1][NC];
        memcpy(tr, T->ta->w, sizeof tr);
        viterbi(s, nt, (const float(*)[NC])tr, prev, out + a);
        for (size_t i = a; i < b; i++) {
            uint8_t pp = i > a ? out[i - 1] : prev, gp = i > a ? gold[i - 1] : gprev;
            T->seen++, T->correct += out[i] == gold[i];
            if (out[i] != gold[i] &&
                pc_trainer_update(T->pc, s->f + (i - a) * MAXF, s->nf[i - a], gold[i], out[i]))
                return -1;
            if (out[i] != gold[i] || pp != gp) {
                trans_bump(T->ta, T->now, gp, gold[i], 1);
                trans_bump(T->ta, T->now, pp, out[i], -1);
            }
        }
        pc_trainer_tick(T->pc);
        T->now++;
    }
    return 0;
}

static void dev_eval(trainer *T, const corpus *dev, sview *v, ner_counts *c)
{
    scorer sr = {T->pc, NULL};
    memset(c, 0, sizeof *c);
    for (size_t i = 0; i < dev->nsent; i++) {
        size_t n;
        int haspos;
        if (view(v, dev, i, &n, &haspos) || n > T->predcap)
            return;
        decode(&sr, &T->g, T->flags, (const float(*)[NC])T->ta->w, T->s, n, v->form,
               haspos ? v->pos : NULL, T->pred);
        ner_count_spans(c, v->gold, T->pred, n);
    }
}

static void pad8(buf *b)
{
    static const char z[8] = {0};
    if (b->len % 8)
        buf_append(b, z, 8 - b->len % 8);
}

int ner_train(const corpus *const *train_sets, size_t nsets, const corpus *dev,
              const ner_train_opts *opts, const char *out_path, buf *log)
{
    ner_train_opts o = opts ? *opts : (ner_train_opts){0};
    unsigned epochs = o.epochs ? o.epochs : 12;
    float prune = o.prune > 0 ? o.prune : 0.2f;
    buf dummy = {0}, *lg = log ? log : &dummy;
    trainer T = {0};
    T.flags = (o.greedy ? FL_GREEDY : 0) | (o.pos ? FL_POS : 0);
    sview v = {0};
    buf low = {0};
    sref *order = NULL;
    size_t nsent = 0, maxlen = 1;
    int rc = -1;
    for (size_t k = 0; k < nsets; k++) {
        nsent += train_sets[k]->nsent;
        for (size_t i = 0; i < train_sets[k]->nsent; i++)
            if (corpus_sent_len(train_sets[k], i) > maxlen)
                maxlen = corpus_sent_len(train_sets[k], i);
    }
    if (dev)
        for (size_t i = 0; i < dev->nsent; i++)
            if (corpus_sent_len(dev, i) > maxlen)
                maxlen = corpus_sent_len(dev, i);
    order = malloc((nsent ? nsent : 1) * sizeof *order);
    T.pc = pc_trainer_new(NC);
    T.ta = calloc(1, sizeof *T.ta);
    T.s = ner_scratch_new();
    T.pred = malloc(maxlen);
    T.predcap = maxlen;
    if (!order || !T.pc || !T.ta || !T.s || !T.pred || gaz_init(&T.g)) {
        buf_printf(lg, "ner_train: out of memory\n");
        goto done;
    }
    nsent = 0;
    for (size_t k = 0; k < nsets; k++)
        for (size_t i = 0; i < train_sets[k]->nsent; i++)
            order[nsent++] = (sref){(uint32_t)k, (uint32_t)i};
    uint64_t rng = 0x9E3779B97F4A7C15ull ^ (o.seed ? o.seed : 1);
    for (unsigned ep = 0; ep < epochs; ep++) {
        for (size_t i = nsent; i > 1; i--) {
            size_t j = (size_t)(rng_next(&rng) % i);
            sref t = order[i - 1];
            order[i - 1] = order[j];
            order[j] = t;
        }
        T.seen = T.correct = 0;
        for (size_t i = 0; i < nsent; i++) {
            size_t n;
            int haspos;
            const corpus *c = train_sets[order[i].set];
            if (view(&v, c, order[i].idx, &n, &haspos) ||
                (o.lowercase > 0 &&
                 (double)(rng_next(&rng) % 1000000) < o.lowercase * 1e6 &&
                 lowercase_view(&v, n, &low)) ||
                train_sentence(&T, n, v.form, haspos ? v.pos : NULL, v.gold)) {
                buf_printf(lg, "ner_train: out of memory\n");
                goto done;
            }
        }
        if (!o.quiet) {
            buf_printf(lg, "epoch %u: token accuracy %.4f, %zu features", ep + 1,
                       T.seen ? (double)T.correct / (double)T.seen : 0.0,
                       pc_trainer_nfeatures(T.pc));
            if (dev) {
                ner_counts c;
                dev_eval(&T, dev, &v, &c);
                buf_printf(lg, ", dev F1 (unaveraged) %.4f", ner_f1(&c, 0));
            }
            buf_printf(lg, "\n");
        }
    }
    /* export: config, averaged perceptron, averaged transitions */
    buf sec[3] = {{0}, {0}, {0}};
    uint32_t conf[4] = {NER_MAGIC, T.flags, NC, FEAT_VERSION};
    float tr[NC + 1][NC];
    for (unsigned p = 0; p <= NC; p++)
        for (unsigned c = 0; c < NC; c++) {
            double a = T.ta->acc[p][c] + (double)(T.now - T.ta->ts[p][c]) * T.ta->w[p][c];
            tr[p][c] = T.now ? (float)(a / T.now) : 0;
        }
    uint32_t ids[3] = {SEC_CONF, SEC_W, SEC_T};
    if (buf_append(&sec[0], conf, sizeof conf) || pc_trainer_export(T.pc, &sec[1], prune) ||
        buf_append(&sec[2], tr, sizeof tr)) {
        buf_printf(lg, "ner_train: out of memory\n");
    } else {
        pad8(&sec[0]);
        rc = model_write(out_path, MODEL_NER, ids, sec, 3, lg);
    }
    for (int i = 0; i < 3; i++)
        buf_free(&sec[i]);
done:
    pc_trainer_free(T.pc);
    free(T.ta);
    ner_scratch_free(T.s);
    free(T.pred);
    gaz_free(&T.g);
    free(v.form);
    free(v.pos);
    free(v.gold);
    free(order);
    buf_free(&low);
    buf_free(&dummy);
    return rc;
}

/* ---- the NER stage -------------------------------------------------------- */

int ner_run(hs_doc *d, const ner *m, ner_scratch *s)
{
    if (vec_reserve((void **)&d->nertag, &d->capnertag, d->ntok, sizeof *d->nertag))
        return HS_ENOMEM;
    for (size_t i = 0; i < d->nsent; i++) {
        const hs_sentence *se = &d->sent[i];
        ner_tag(m, s, se->tok_end - se->tok_begin, d->form + se->tok_begin,
                d->posname + se->tok_begin, d->nertag + se->tok_begin);
    }
    d->ner_names = coarse_names;
    d->has_ner = 1;
    return HS_OK;
}
