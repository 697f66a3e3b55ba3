/* evaltags - scores CoNLL-U tagging output against CoreNLP TSV or UNER IOB2
 * gold exactly as ../shared/tools/eval_tags.py does (same rounding, same
 * JSON), so that `hearsay eval tags` and the script print the same line.
 * It does not tag: the predictions are a file the CLI or another tool wrote. */
#define _DEFAULT_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "corpus.h"
#include "hearsay_train.h"

/* One predicted token: what the scorer reads from CoNLL-U. */
typedef struct ptok {
    char pos[16], deprel[32], ner[16];
    int head;
} ptok;

typedef struct pred {
    ptok *tok;
    size_t ntok, cap;
    size_t *sent; /* sentence i = tok[sent[i] .. sent[i+1]) */
    size_t nsent, capsent;
} pred;

/* Closes the current sentence if it has tokens: HS_OK or HS_ENOMEM. */
static int pred_end_sentence(pred *p)
{
    size_t start = p->nsent ? p->sent[p->nsent] : 0;
    if (p->ntok == start)
        return HS_OK;
    if (vec_reserve((void **)&p->sent, &p->capsent, p->nsent + 2, sizeof *p->sent))
        return HS_ENOMEM;
    p->sent[++p->nsent] = p->ntok;
    return HS_OK;
}

/* Reads the CoNLL-U file at path into p. HS_OK, or HS_EIO (cannot open),
 * HS_EFORMAT (a token line of too few fields) or HS_ENOMEM, with the
 * reason in err[0..cap). */
static int read_conllu(const char *path, pred *p, char *err, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, cap, "%s: cannot open", path);
        return HS_EIO;
    }
    if (vec_reserve((void **)&p->sent, &p->capsent, 2, sizeof *p->sent)) {
        fclose(f);
        snprintf(err, cap, "%s: out of memory", path);
        return HS_ENOMEM;
    }
    p->sent[0] = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t n;
    int rc = HS_OK;
    while (!rc && (n = getline(&line, &lcap, f)) >= 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = 0;
        if (line[0] == '#')
            continue;
        if (n == 0) {
            rc = pred_end_sentence(p);
            continue;
        }
        char *c[10] = {0};
        int nc = 0;
        c[nc++] = line;
        for (char *q = line; *q && nc < 10; q++)
            if (*q == '\t') {
                *q = 0;
                c[nc++] = q + 1;
            }
        if (strchr(c[0], '-') || strchr(c[0], '.'))
            continue;
        if (nc < 8) {
            snprintf(err, cap, "%s: a token line has %d fields, CoNLL-U needs 10", path, nc);
            rc = HS_EFORMAT;
            break;
        }
        if (vec_reserve((void **)&p->tok, &p->cap, p->ntok + 1, sizeof *p->tok)) {
            rc = HS_ENOMEM;
            break;
        }
        ptok *t = &p->tok[p->ntok++];
        snprintf(t->pos, sizeof t->pos, "%s", c[4]);
        snprintf(t->deprel, sizeof t->deprel, "%s", c[7]);
        int digits = *c[6] != 0;
        for (const char *q = c[6]; *q; q++)
            digits &= *q >= '0' && *q <= '9';
        t->head = digits ? atoi(c[6]) : -1;
        snprintf(t->ner, sizeof t->ner, "O");
        if (nc > 9) {
            char *kv = c[9], *save = NULL;
            for (char *tok = strtok_r(kv, "|", &save); tok; tok = strtok_r(NULL, "|", &save))
                if (!strncmp(tok, "NER=", 4))
                    snprintf(t->ner, sizeof t->ner, "%s", tok + 4);
        }
    }
    free(line);
    fclose(f);
    if (!rc)
        rc = pred_end_sentence(p);
    if (rc == HS_ENOMEM)
        snprintf(err, cap, "%s: out of memory", path);
    return rc;
}

/* The scorer's type map (TYPE in eval_tags.py); NULL when unknown. */
static const char *map_type(const char *y)
{
    static const char *const m[][2] = {
        {"PER", "PER"}, {"PERSON", "PER"}, {"ORG", "ORG"}, {"ORGANIZATION", "ORG"},
        {"MEDIA", "ORG"}, {"OUTLET", "ORG"}, {"LOC", "LOC"}, {"LOCATION", "LOC"},
        {"GPE", "LOC"}, {"MISC", "MISC"},
    };
    for (size_t i = 0; i < sizeof m / sizeof *m; i++)
        if (!strcmp(y, m[i][0]))
            return m[i][1];
    return NULL;
}

typedef struct span {
    size_t s, e;
    char ty[16];
} span;

/* spans() of eval_tags.py over one sentence's tags; keeps those whose type
 * is in types (a "|"-separated list). Returns the count written to out. */
static size_t spans(const char *const *tags, size_t n, const char *types, span *out)
{
    size_t k = 0;
    long start = -1;
    char ty[16] = "";
    for (size_t i = 0; i <= n; i++) {
        const char *t = i < n ? tags[i] : "O";
        int is_o = !strcmp(t, "O");
        char p = t[0];
        const char *dash = strchr(t, '-');
        char y[16] = "";
        if (!is_o) {
            const char *raw = dash ? dash + 1 : "";
            const char *m = map_type(raw);
            snprintf(y, sizeof y, "%s", m ? m : raw);
        }
        if (start >= 0 && (is_o || (p == 'B' && dash == t + 1) || strcmp(y, ty))) {
            char key[20];
            snprintf(key, sizeof key, "|%s|", ty);
            char list[64];
            snprintf(list, sizeof list, "|%s|", types);
            if (strstr(list, key)) {
                out[k].s = (size_t)start;
                out[k].e = i;
                snprintf(out[k].ty, sizeof out[k].ty, "%s", ty);
                k++;
            }
            start = -1;
        }
        if (!is_o && start < 0) {
            start = (long)i;
            snprintf(ty, sizeof ty, "%s", y);
        }
    }
    return k;
}

/* Python's json.dumps(round(x, 4)): shortest form, at least one decimal. */
static void pyfloat(char *o, size_t cap, double x)
{
    snprintf(o, cap, "%.4f", x);
    size_t n = strlen(o);
    while (n > 0 && o[n - 1] == '0' && n >= 2 && o[n - 2] != '.')
        o[--n] = 0;
}

static void f1_json(char *o, size_t cap, size_t tp, size_t np, size_t ng)
{
    double P = np ? (double)tp / np : 0, R = ng ? (double)tp / ng : 0;
    char ps[32], rs[32], fs[32];
    if (np)
        pyfloat(ps, sizeof ps, P);
    else
        snprintf(ps, sizeof ps, "0");
    if (ng)
        pyfloat(rs, sizeof rs, R);
    else
        snprintf(rs, sizeof rs, "0");
    if (P + R > 0)
        pyfloat(fs, sizeof fs, 2 * P * R / (P + R));
    else
        snprintf(fs, sizeof fs, "0");
    snprintf(o, cap, "{\"p\": %s, \"r\": %s, \"f1\": %s, \"gold\": %zu, \"pred\": %zu}", ps, rs,
             fs, ng, np);
}

int hs_eval_tags(const char *mode, const char *gold_path, const char *pred_path, char *out,
                 size_t cap)
{
    int uner = !strcmp(mode, "uner");
    if (!uner && strcmp(mode, "corenlp")) {
        snprintf(out, cap, "unknown mode '%s' (corenlp or uner)", mode);
        return HS_EINVAL;
    }
    corpus g = {0};
    pred p = {0};
    buf err = {0};
    int rc = uner ? corpus_read_iob2(&g, gold_path, &err)
                  : corpus_read_corenlp_dir(&g, gold_path, &err);
    if (rc) {
        snprintf(out, cap, "%s", err.p ? err.p : "cannot read the gold data");
        rc = rc == HS_ENOMEM ? rc : HS_EIO;
        goto done;
    }
    if ((rc = read_conllu(pred_path, &p, out, cap))) {
        rc = rc == HS_ENOMEM ? rc : HS_EIO; /* a malformed file cannot be read either */
        goto done;
    }
    if (g.nsent != p.nsent) {
        snprintf(out, cap, "sentence count differs: gold %zu pred %zu", g.nsent, p.nsent);
        rc = HS_EIO;
        goto done;
    }
    size_t n = 0, pos = 0, uas = 0, las = 0, tp = 0, npred = 0, ngold = 0, maxlen = 0;
    for (size_t s = 0; s < g.nsent; s++) {
        size_t gl = corpus_sent_len(&g, s), pl = p.sent[s + 1] - p.sent[s];
        if (gl != pl) {
            snprintf(out, cap, "sentence %zu: token count differs: gold %zu pred %zu", s + 1, gl,
                     pl);
            rc = HS_EIO;
            goto done;
        }
        if (gl > maxlen)
            maxlen = gl;
    }
    const char **gt = malloc((maxlen + 1) * sizeof *gt), **pt = malloc((maxlen + 1) * sizeof *pt);
    span *gs = malloc((maxlen + 1) * sizeof *gs), *ps = malloc((maxlen + 1) * sizeof *ps);
    if (!gt || !pt || !gs || !ps) {
        free(gt), free(pt), free(gs), free(ps);
        rc = HS_ENOMEM;
        goto done;
    }
    const char *types = uner ? "PER|ORG|LOC" : "PER|ORG|LOC|MISC";
    for (size_t s = 0; s < g.nsent; s++) {
        size_t len = corpus_sent_len(&g, s);
        const corpus_tok *a = g.tok + g.sent[s];
        const ptok *b = p.tok + p.sent[s];
        for (size_t i = 0; i < len; i++) {
            n++;
            pos += !strcmp(a[i].pos, b[i].pos);
            if (a[i].head == b[i].head) {
                uas++;
                las += !strcmp(a[i].deprel, b[i].deprel);
            }
            gt[i] = a[i].ner;
            pt[i] = b[i].ner;
        }
        size_t ng = spans(gt, len, types, gs), np = spans(pt, len, types, ps);
        for (size_t i = 0; i < np; i++)
            for (size_t j = 0; j < ng; j++)
                if (ps[i].s == gs[j].s && ps[i].e == gs[j].e && !strcmp(ps[i].ty, gs[j].ty)) {
                    tp++;
                    break;
                }
        npred += np;
        ngold += ng;
    }
    free(gt), free(pt), free(gs), free(ps);
    char ner[256];
    f1_json(ner, sizeof ner, tp, npred, ngold);
    if (uner) {
        snprintf(out, cap, "{\"ner\": %s}", ner);
    } else {
        char a[32], b[32], c[32];
        pyfloat(a, sizeof a, n ? (double)pos / n : 0);
        pyfloat(b, sizeof b, n ? (double)uas / n : 0);
        pyfloat(c, sizeof c, n ? (double)las / n : 0);
        snprintf(out, cap,
                 "{\"tokens\": %zu, \"pos_acc\": %s, \"uas\": %s, \"las\": %s, \"ner\": %s}", n,
                 a, b, c, ner);
    }
done:
    corpus_free(&g);
    free(p.tok);
    free(p.sent);
    buf_free(&err);
    return rc;
}
