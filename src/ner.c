/* ner - the entity tagger and its model file (see ner.h; sections in
 * ner_int.h). The gazetteer is compiled in. Decoding never allocates:
 * windows of NER_WIN tokens with NER_MARGIN tokens of context each side.
 * It does not train (train/train_ner.c does, with the features and the
 * decoder shared through ner_int.h) or score against gold spans. */
#include "ner.h"

#include <assert.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "gazetteer.h"
#include "model.h"
#include "ner_int.h"
#include "perceptron.h"

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

/* ---- per-token hashes ---------------------------------------------------- */
enum { CAP_INIT = 1, CAP_ALL = 2, CAP_LOWER = 4, CAP_DIGIT = 8, CAP_ALPHA = 16 };

static const ner_tokh edge_tok[2] = {
    {.w = 0x1111, .lw = 0x1111, .sh = 0x1111, .pos = 0x1111, .pre = {1, 1, 1, 1},
     .suf = {1, 1, 1, 1, 1}},
    {.w = 0x2222, .lw = 0x2222, .sh = 0x2222, .pos = 0x2222, .pre = {2, 2, 2, 2},
     .suf = {2, 2, 2, 2, 2}},
};

ner_scratch *ner_scratch_new(void) { return malloc(sizeof(ner_scratch)); }
void ner_scratch_free(ner_scratch *s) { free(s); }

/* CoreNLP and UD spell brackets and quotes differently: one hash for both.
 * Every token passes here: lengths are in the table, and a first byte that
 * begins none of the spellings ends the search. */
static const char *normal_form(const char *s, size_t *n)
{
    static const struct {
        const char *from, *to;
        unsigned char nfrom, nto;
    } map[] = {
        {"(", "-LRB-", 1, 5},  {")", "-RRB-", 1, 5},  {"[", "-LSB-", 1, 5},
        {"]", "-RSB-", 1, 5},  {"{", "-LCB-", 1, 5},  {"}", "-RCB-", 1, 5},
        {"\"", "''", 1, 2},    {"``", "''", 2, 2},    {"\xe2\x80\x9c", "''", 3, 2},
        {"\xe2\x80\x9d", "''", 3, 2}, {"\xe2\x80\x99", "'", 3, 1}, {"\xe2\x80\x98", "`", 3, 1},
    };
    unsigned char c = (unsigned char)s[0];
    if (*n > 3 || !(c == 0xe2 || c == '`' || c == '"' || c == '(' || c == ')' || c == '[' ||
                    c == ']' || c == '{' || c == '}'))
        return s;
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (map[i].nfrom == *n && !memcmp(map[i].from, s, *n)) {
            *n = map[i].nto;
            return map[i].to;
        }
    return s;
}

/* The hashes of a token whose normal form is s[0..n) (pos may be NULL). */
static void hash_token(ner_tokh *t, const wclass *wc, const char *form, const char *s, size_t n,
                       const char *pos)
{
    wc_get(wc, wc_key(form), &t->c1, &t->c2);
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
    for (size_t k = 0; k < NER_NPRE; k++)
        t->pre[k] = k < nl ? fk_bytes(4 + k, lw, k + 1) : 7;
    for (size_t k = 0; k < NER_NSUF; k++)
        t->suf[k] = k < nl ? fk_bytes(8 + k, lw + nl - k - 1, k + 1) : 13;
    t->pos = pos ? fk_bytes(14, pos, strlen(pos)) : 0;
    t->gaz = 0;
}

/* Headline-style sentences (most words capitalised) and all-caps ones:
 * 0 normal, 1 title case, 2 all caps. */
unsigned ner_sentence_case(size_t n, const char *const *form)
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
static void prepare(const ner_lex *lx, ner_scratch *s, const char *const *form,
                    const char *const *pos, size_t lo, size_t hi)
{
    for (size_t j = lo; j < hi; j++) {
        size_t n = strlen(form[j]);
        const char *f = normal_form(form[j], &n);
        hash_token(&s->t[j - lo], lx->wc, form[j], f, n, pos ? pos[j] : NULL);
        s->gh[j - lo] = gaz_token_hash(f, n);
        s->gb[j - lo] = s->db[j - lo] = 0;
    }
    gaz_match(lx->hand, s->gh, hi - lo, s->gb);
    gaz_match(lx->derived, s->gh, hi - lo, s->db);
    for (size_t j = lo; j < hi; j++) {
        s->t[j - lo].gaz = s->gb[j - lo];
        s->t[j - lo].dgaz = s->db[j - lo];
    }
    /* runs of capitalised tokens (a name, an organisation) */
    for (size_t j = lo; j < hi;) {
        ner_tokh *t = &s->t[j - lo];
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
            ner_tokh *u = &s->t[k - lo];
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
    T_BIAS = 1, T_W, T_LW, T_SH, T_PRE, T_SUF = T_PRE + NER_NPRE, T_LWM1 = T_SUF + NER_NSUF,
    T_LWP1, T_LWM2, T_LWP2, T_SHM1, T_SHP1, T_BIM1, T_BIP1, T_SH3, T_INIT, T_CASE, T_CASEW,
    T_GAZ, T_GAZC, T_GAZM1, T_GAZP1, T_POS, T_POSM1, T_POSP1, T_POS2M, T_POS2P, T_POSW,
    T_LWM1SH, T_SHLWP1, T_WM1, T_WP1, T_LWSHP1, T_SHM1LW, T_SUFM1, T_DISL, T_DISR, T_RUN,
    T_RUNF, T_RUNL, T_SANDW, T_DG, T_DGC, T_DGM1, T_DGP1, T_C1, T_C2, T_C2SH, T_C1M1, T_C1P1, T_C1B, T_C2M1, T_C2P1, T_P1, T_P12, T_P1W, T_P1SH, T_P1SHP1
};

#define F1(T, a) fk_end(fk_num(fk_start(T), (a)))
#define F2(T, a, b) fk_end(fk_num(fk_num(fk_start(T), (a)), (b)))
#define F3(T, a, b, c) fk_end(fk_num(fk_num(fk_num(fk_start(T), (a)), (b)), (c)))

/* At most 8 per call, so that a token's features fit in NER_MAXF. */
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

/* Tag-independent features of token i of n; t points at its ner_tokh and the
 * neighbours exist in t[-2..2] unless at a sentence edge. */
static size_t static_feats(const ner_tokh *t, size_t i, size_t n, unsigned scase, int usepos,
                           uint64_t *f)
{
    const ner_tokh *m1 = i >= 1 ? t - 1 : &edge_tok[0], *m2 = i >= 2 ? t - 2 : &edge_tok[0];
    const ner_tokh *p1 = i + 1 < n ? t + 1 : &edge_tok[1], *p2 = i + 2 < n ? t + 2 : &edge_tok[1];
    size_t k = 0;
    f[k++] = F1(T_BIAS, 0);
    f[k++] = F1(T_W, t->w);
    f[k++] = F1(T_LW, t->lw);
    f[k++] = F1(T_SH, t->sh);
    for (unsigned j = 0; j < NER_NPRE; j++)
        f[k++] = F1(T_PRE + j, t->pre[j]);
    for (unsigned j = 0; j < NER_NSUF; j++)
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
    k += gaz_feats(t->dgaz, T_DG, 0, f + k);
    k += gaz_feats(t->dgaz, T_DGC, t->cap & (CAP_INIT | CAP_ALL), f + k);
    k += gaz_feats(m1->dgaz, T_DGM1, 0, f + k);
    k += gaz_feats(p1->dgaz, T_DGP1, 0, f + k);
    if (t->c1 || m1->c1 || p1->c1) {
        f[k++] = F1(T_C1, t->c1);
        f[k++] = F1(T_C2, t->c2);
        f[k++] = F2(T_C2SH, t->c2, t->sh);
        f[k++] = F1(T_C1M1, m1->c1);
        f[k++] = F1(T_C1P1, p1->c1);
        f[k++] = F3(T_C1B, m1->c1, t->c1, p1->c1);
        f[k++] = F2(T_C2M1, m1->c2, t->sh);
        f[k++] = F2(T_C2P1, t->sh, p1->c2);
    }
    if (usepos && t->pos) {
        f[k++] = F1(T_POS, t->pos);
        f[k++] = F1(T_POSM1, m1->pos);
        f[k++] = F1(T_POSP1, p1->pos);
        f[k++] = F2(T_POS2M, m1->pos, t->pos);
        f[k++] = F2(T_POS2P, t->pos, p1->pos);
        f[k++] = F2(T_POSW, t->pos, t->lw);
    }
    /* at most 122 (every gazetteer bit set), and greedy training appends 5 */
    assert(k + 5 <= NER_MAXF);
    return k;
}

size_t ner_tag_feats(const ner_tokh *t, size_t i, size_t n, uint8_t p1, uint8_t p2, uint64_t *f)
{
    const ner_tokh *nx = i + 1 < n ? t + 1 : &edge_tok[1];
    f[0] = F1(T_P1, p1);
    f[1] = F2(T_P12, p1, p2);
    f[2] = F2(T_P1W, p1, t->lw);
    f[3] = F2(T_P1SH, p1, t->sh);
    f[4] = F3(T_P1SHP1, p1, t->sh, nx->sh);
    return 5;
}

size_t ner_window_feats(const ner_lex *lx, ner_scratch *s, size_t n, const char *const *form,
                        const char *const *pos, size_t a, size_t b, unsigned scase, int usepos)
{
    size_t lo = a > NER_MARGIN ? a - NER_MARGIN : 0, hi = b + NER_MARGIN < n ? b + NER_MARGIN : n;
    prepare(lx, s, form, pos, lo, hi);
    for (size_t i = a; i < b; i++)
        s->nf[i - a] =
            (uint16_t)static_feats(&s->t[i - lo], i, n, scase, usepos, s->f + (i - a) * NER_MAXF);
    return lo;
}

/* ---- decoding ------------------------------------------------------------- */

/* Model scores of nt tokens' feature lists; features of the next token are
 * prefetched while the current one is scored. */
static void model_scores(const pc_tab9 *t, const uint64_t *f, const uint16_t *nf, size_t nt,
                         float *sc)
{
    for (size_t k = 0; k < nt; k++) {
        if (k + 1 < nt)
            pc_tab9_prefetch(t, f + (k + 1) * NER_MAXF, nf[k + 1]);
        int32_t acc[9] = {0};
        pc_tab9_add(t, f + k * NER_MAXF, nf[k], acc);
        for (unsigned c = 0; c < NER_NC; c++)
            sc[k * NER_NC + c] = (float)acc[c] * t->scale;
    }
}

void ner_viterbi(ner_scratch *s, size_t nt, const float (*tr)[NER_NC], uint8_t prev,
                 uint8_t *out)
{
    float v[NER_NC], nv[NER_NC], m[NER_NC][NER_NC];
    for (unsigned c = 0; c < NER_NC; c++)
        v[c] = (prev == NER_NC || ner_allowed(prev, (uint8_t)c)) ? s->sc[c] + tr[prev][c]
                                                                 : -INFINITY;
    /* a step the BIO rule forbids costs -inf: it never wins, as if skipped */
    for (unsigned p = 0; p < NER_NC; p++)
        for (unsigned c = 0; c < NER_NC; c++)
            m[p][c] = ner_allowed((uint8_t)p, (uint8_t)c) ? tr[p][c] : -INFINITY;
    for (size_t k = 1; k < nt; k++) {
        for (unsigned c = 0; c < NER_NC; c++) {
            float best = -INFINITY;
            uint8_t arg = 0;
            for (unsigned p = 0; p < NER_NC; p++) {
                float x = v[p] + m[p][c];
                if (x > best)
                    best = x, arg = (uint8_t)p;
            }
            nv[c] = best + s->sc[k * NER_NC + c];
            s->bp[k * NER_NC + c] = arg;
        }
        memcpy(v, nv, sizeof v);
    }
    uint8_t b = 0;
    for (unsigned c = 1; c < NER_NC; c++)
        if (v[c] > v[b])
            b = (uint8_t)c;
    for (size_t k = nt; k-- > 0;) {
        out[k] = b;
        if (k)
            b = s->bp[k * NER_NC + b];
    }
}

/* Decodes one sentence with the weights wt and transitions tr; greedy
 * uses previous-tag features. Not inlined into ner_tag, its one caller:
 * there the scoring loop had fewer registers and ran 1.2% more
 * instructions (callgrind, PolNeAR dev). */
static __attribute__((noinline)) void decode(const pc_tab9 *wt, const ner_lex *lx,
                                             unsigned flags,
                                             const float (*tr)[NER_NC], ner_scratch *s,
                                             size_t n, const char *const *form,
                                             const char *const *pos, uint8_t *out)
{
    unsigned scase = ner_sentence_case(n, form);
    int usepos = (flags & NER_FL_POS) && pos;
    uint8_t prev = NER_NC;
    for (size_t a = 0; a < n; a += NER_WIN) {
        size_t b = a + NER_WIN < n ? a + NER_WIN : n, nt = b - a;
        size_t lo = ner_window_feats(lx, s, n, form, pos, a, b, scase, usepos);
        model_scores(wt, s->f, s->nf, nt, s->sc);
        if (!(flags & NER_FL_GREEDY)) {
            ner_viterbi(s, nt, tr, prev, out + a);
            prev = out[b - 1];
            continue;
        }
        for (size_t i = a; i < b; i++) {
            uint8_t p1 = i ? out[i - 1] : NER_NC, p2 = i > 1 ? out[i - 2] : NER_NC;
            uint64_t f[8];
            float d[NER_NC], *sc = s->sc + (i - a) * NER_NC;
            size_t nf = ner_tag_feats(&s->t[i - lo], i, n, p1, p2, f);
            pc_tab9_score(wt, f, nf, d);
            for (unsigned c = 0; c < NER_NC; c++)
                sc[c] += d[c];
            out[i] = ner_best_allowed(sc, p1 == NER_NC ? 0 : p1);
        }
    }
}

/* ---- the model ------------------------------------------------------------ */
struct ner {
    model file;
    pc_tab9 wt;
    uint32_t flags;
    float tr[NER_NC + 1][NER_NC];
    gaz g, dg;
    wclass wc;
    ner_lex lx;
};

void ner_free(ner *m)
{
    if (!m)
        return;
    model_free(&m->file);
    pc_tab9_free(&m->wt);
    gaz_free(&m->g);
    gaz_free(&m->dg);
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
    const uint32_t *conf = model_section_get(&m->file, NER_SEC_CONF, &nc);
    const float *tr = model_section_get(&m->file, NER_SEC_T, &nt);
    if (!conf || nc < 16 || conf[0] != NER_MAGIC || conf[2] != NER_NC ||
        conf[3] != NER_FEAT_VERSION ||
        (conf[1] & ~(NER_FL_GREEDY | NER_FL_POS | NER_FL_WC | NER_FL_DGAZ))) {
        buf_printf(err, "%s: NER model configuration missing or from another version", path);
        goto fail;
    }
    m->flags = conf[1];
    if (!tr || nt != sizeof m->tr) {
        buf_printf(err, "%s: NER transition section missing or of the wrong size", path);
        goto fail;
    }
    memcpy(m->tr, tr, sizeof m->tr);
    for (unsigned i = 0; i <= NER_NC; i++)
        for (unsigned j = 0; j < NER_NC; j++)
            if (!isfinite(m->tr[i][j])) {
                buf_printf(err, "%s: NER transition weights are not finite", path);
                goto fail;
            }
    if ((m->flags & NER_FL_WC) && wc_open(&m->wc, &m->file, path, err))
        goto fail;
    if (m->flags & NER_FL_DGAZ) {
        size_t ng;
        const void *g = model_section_get(&m->file, NER_SEC_G, &ng);
        int grc = g ? gaz_read(&m->dg, g, ng) : HS_EMODEL;
        if (grc) {
            buf_printf(err, "%s: NER derived gazetteer %s", path,
                       grc == HS_ENOMEM ? "out of memory" : "missing or damaged");
            rc = grc;
            goto fail;
        }
    }
    if ((rc = pc_tab9_load(&m->wt, &m->file, NER_SEC_W, NER_NC, path, "NER", err)))
        goto fail;
    rc = HS_EMODEL;
    if (gaz_init(&m->g)) {
        buf_printf(err, "%s: out of memory", path);
        rc = HS_ENOMEM;
        goto fail;
    }
    m->lx = (ner_lex){&m->g, &m->dg, &m->wc};
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
    decode(&m->wt, &m->lx, m->flags, (const float(*)[NER_NC])m->tr, s, n, form, pos, tag_out);
    mark_outlets(m, n, form, tag_out);
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
