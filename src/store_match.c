/* store_match - the store's errors, and finding the statements that are
 * the same statement as a text: a full-text pre-filter on its rarest words
 * (their counts from the full-text index, remembered), then word alignment
 * (store_words.c) of each candidate (see store_int.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

int store_fail(hs_store *st, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(st->err, sizeof st->err, fmt, ap);
    va_end(ap);
    return code;
}

int store_sqlfail(hs_store *st, const char *what)
{
    int code = sqlite3_errcode(st->db);
    const char *hint = "";
    if (code == SQLITE_NOTADB)
        hint = " (not an SQLite database)";
    else if (code == SQLITE_CORRUPT)
        hint = " (the database is damaged; PRAGMA integrity_check tells more)";
    else if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        hint = " (another process is writing it; only one index may run at a time)";
    else if (code == SQLITE_READONLY || code == SQLITE_CANTOPEN || code == SQLITE_PERM)
        hint = " (check that the file and its folder are writable)";
    else if (code == SQLITE_FULL)
        hint = " (the disk is full)";
    return store_fail(st, HS_ESTORE, "%s: %s: %s%s", st->path, what, sqlite3_errmsg(st->db), hint);
}

/* How hard store_match looks: at most this many of the query's rarest
 * words make the pre-filter, at most this many candidates are aligned, and
 * the search stops after this many candidates in a row matched nothing
 * (candidates come best first, those with the most rare words). A person's
 * trace looks harder than the join of each indexed statement. */
typedef struct match_cfg {
    size_t terms, candidates, barren;
    int query, rank;
} match_cfg;
static const match_cfg cfg_trace = {4, 50000, 300, 1, 1};
static const match_cfg cfg_paras = {4, 20000, 200, 1, 1};
static const match_cfg cfg_join = {2, 400, 400, 0, 0};

/* Words too common to find a statement by (their counts are not looked
 * up): English function words. */
static int common_word(const char *w)
{
    static const char *const stop[] = {
        "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be",
        "been", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has",
        "have", "he", "her", "him", "his", "how", "i", "if", "in", "into", "is", "it", "its",
        "just", "like", "me", "more", "my", "no", "not", "of", "on", "one", "or", "our", "out",
        "said", "she", "so", "than", "that", "the", "their", "them", "then", "there", "these",
        "they", "this", "to", "up", "us", "was", "we", "were", "what", "when", "which", "who",
        "will", "with", "would", "you", "your"};
    size_t lo = 0, hi = sizeof stop / sizeof *stop;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(w, stop[mid]);
        if (!c)
            return 1;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

typedef struct term {
    const char *t;
    long long df;
} term;

static int by_df(const void *a, const void *b)
{
    long long x = ((const term *)a)->df, y = ((const term *)b)->df;
    return x < y ? -1 : x > y;
}

/* How many statements hold word w in their content (fts5vocab), from the
 * table of counts when it is there. */
static int word_count(hs_store *st, sqlite3_stmt *vocab, uint64_t salt, const char *column,
                      const char *w, long long *df)
{
    uint64_t h = 1469598103934665603ull ^ salt;
    for (const unsigned char *p = (const unsigned char *)w; *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    h |= 1; /* never 0, the empty slot */
    if (!st->dfc || st->since_refresh >= DF_REFRESH || st->dfn >= DF_SLOTS / 2) {
        if (!st->dfc && !(st->dfc = malloc(DF_SLOTS * sizeof *st->dfc)))
            return HS_ENOMEM;
        memset(st->dfc, 0, DF_SLOTS * sizeof *st->dfc);
        st->dfn = 0;
        st->since_refresh = 0;
    }
    size_t k = h & (DF_SLOTS - 1);
    while (st->dfc[k].h && st->dfc[k].h != h)
        k = (k + 1) & (DF_SLOTS - 1);
    if (st->dfc[k].h) {
        *df = st->dfc[k].df;
        return HS_OK;
    }
    char q[160]; /* a folded word has no quote mark; a longer one is not counted */
    if (snprintf(q, sizeof q, "%s\"%s\"", column, w) >= (int)sizeof q) {
        *df = 0;
        return HS_OK;
    }
    sqlite3_bind_text(vocab, 1, q, -1, SQLITE_STATIC);
    int rc = sqlite3_step(vocab);
    *df = rc == SQLITE_ROW ? sqlite3_column_int64(vocab, 0) : 0;
    sqlite3_reset(vocab);
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        return store_sqlfail(st, "cannot read the word counts");
    st->dfc[k] = (df_entry){h, *df};
    st->dfn++;
    return HS_OK;
}

/* The FTS5 query of st->qw's words by their counts (from vocab,
 * remembered under salt), into st->fts over column (see below); 0 words:
 * nothing in the corpus has any of them. */
static int prefilter(hs_store *st, sqlite3_stmt *vocab, uint64_t salt, const char *column,
                     size_t maxterms, size_t *nterms)
{
    term tv[64];
    size_t nt = 0;
    const char *p = st->qw.folded.p, *e = p + st->qw.folded.len;
    /* common words only when the text has no other ("this is not who we are") */
    int all = 1;
    for (const char *w = p; w < e && all; w += strlen(w) + 1)
        all = common_word(w);
    for (; p < e && nt < sizeof tv / sizeof *tv; p += strlen(p) + 1) {
        int dup = !all && common_word(p);
        for (size_t k = 0; k < nt && !dup; k++)
            dup = !strcmp(tv[k].t, p);
        if (dup)
            continue;
        long long df;
        int rc = word_count(st, vocab, salt, column, p, &df);
        if (rc)
            return rc;
        if (df > 0)
            tv[nt++] = (term){p, df};
    }
    qsort(tv, nt, sizeof *tv, by_df);
    size_t nall = nt;
    if (nt > maxterms)
        nt = maxterms;
    /* past the rarest, a common word (counted up to the cap) or one much
     * more common than the rarest would only bring candidates to rank */
    int common = nt && tv[0].df >= STORE_DF_CAP;
    for (size_t k = 1; k < nt && !common; k++)
        if (tv[k].df >= STORE_DF_CAP || tv[k].df > 20 * tv[0].df) {
            nt = k;
            break;
        }
    /* a quotation of common words only must hold all of its rarest four;
     * else a candidate holds one of the rare words and one of the next
     * four, which rank the candidates holding most of them first */
    buf_clear(&st->fts);
    int rc = buf_printf(&st->fts, "%s((", column);
    for (size_t k = 0; k < nt; k++)
        rc |= buf_printf(&st->fts, "%s\"%s\"", k ? (common ? " AND " : " OR ") : "", tv[k].t);
    rc |= buf_putc(&st->fts, ')');
    for (size_t k = nt; !common && k < nall && k < nt + 4; k++)
        rc |= buf_printf(&st->fts, "%s\"%s\"", k == nt ? " AND (" : " OR ", tv[k].t);
    if (!common && nall > nt)
        rc |= buf_putc(&st->fts, ')');
    rc |= buf_append(&st->fts, ")", 2);
    *nterms = nt;
    return rc ? HS_ENOMEM : HS_OK;
}

/* The receiver of what scan finds: fn for statements, pfn for paragraphs. */
typedef struct finder {
    store_match_fn fn;
    store_para_fn pfn;
    void *user;
} finder;

/* Reads the candidates of s (rows: id, docid, text, its start in the
 * document) best first, until cfg's barren run, and hands each that is the
 * same statement as st->qw to f. */
static int scan(hs_store *st, sqlite3_stmt *s, const match_cfg *cfg, int64_t exclude_doc,
                const finder *f)
{
    sqlite3_bind_text(s, 1, st->fts.p, -1, SQLITE_STATIC);
    sqlite3_bind_int64(s, 2, (sqlite3_int64)cfg->candidates);
    size_t barren = 0, nq = st->qw.n < SW_LCS_MAX ? st->qw.n : SW_LCS_MAX;
    int rc = HS_OK, step;
    while (rc == HS_OK && (step = sqlite3_step(s)) == SQLITE_ROW && barren < cfg->barren) {
        int64_t id = sqlite3_column_int64(s, 0), docid = sqlite3_column_int64(s, 1);
        const char *c = (const char *)sqlite3_column_blob(s, 2);
        size_t cn = (size_t)sqlite3_column_bytes(s, 2);
        size_t start = (size_t)sqlite3_column_int64(s, 3);
        barren++;
        if (docid == exclude_doc || !c)
            continue;
        if (swords_split(&st->cw, c, cn, (size_t)-1, 0)) {
            rc = HS_ENOMEM;
            break;
        }
        size_t m = swords_lcs(&st->qw, &st->cw), first, last;
        if (!swords_same(m, nq, st->cw.n, cfg->query))
            continue;
        barren = 0;
        if (!f->pfn) {
            rc = f->fn(f->user, id, docid, st->cw.n, m);
        } else if ((rc = swords_span(&st->qw, &st->cw, &first, &last)) == HS_OK) {
            rc = f->pfn(f->user, docid, start, start + cn, start + st->cw.w[first].s,
                        start + st->cw.w[last].e, st->cw.n, m);
        } else if (rc == HS_EEOF) {
            rc = HS_OK;
        }
        if (rc < 0) { /* found what it wanted */
            rc = HS_OK;
            break;
        }
    }
    if (rc == HS_OK && step != SQLITE_ROW && step != SQLITE_DONE)
        rc = store_sqlfail(st, "cannot look for the statement");
    sqlite3_reset(s);
    return rc;
}

/* The query's words and the FTS5 pre-filter over vocab's index; 0 terms:
 * nothing to look for. */
static int query_terms(hs_store *st, const char *text, size_t len, sqlite3_stmt *vocab,
                       uint64_t salt, const char *column, const match_cfg *cfg, size_t *nterms)
{
    if (swords_split(&st->qw, text, len, 4096, 1))
        return HS_ENOMEM;
    if (!st->qw.n)
        return store_fail(st, HS_EQUERY, "the quotation has no word");
    return prefilter(st, vocab, salt, column, cfg->terms, nterms);
}

int store_match(hs_store *st, const char *text, size_t len, int64_t exclude_doc, int query,
                store_match_fn fn, void *user)
{
    const match_cfg *cfg = query ? &cfg_trace : &cfg_join;
    size_t nterms;
    int rc = query_terms(st, text, len, st->vocab, 0, "content : ", cfg, &nterms);
    if (rc || !nterms)
        return rc;
    sqlite3_stmt **sp = cfg->rank ? &st->cand_ranked : &st->cand;
    if (!*sp && sqlite3_prepare_v3(st->db,
                                   /* ranked first, alone (FTS5's fast path), then
                                    * each statement read as the loop gets to it */
                                   cfg->rank ? "SELECT a.aid, a.docid, a.content, a.start"
                                               " FROM (SELECT rowid FROM attr_fts"
                                               " WHERE attr_fts MATCH ?1 ORDER BY rank LIMIT ?2)"
                                               " f JOIN attributions a ON a.aid = f.rowid"
                                             : "SELECT a.aid, a.docid, a.content, a.start"
                                               " FROM attr_fts f JOIN attributions a"
                                               " ON a.aid = f.rowid WHERE attr_fts MATCH ?1"
                                               " LIMIT ?2",
                                   -1, SQLITE_PREPARE_PERSISTENT, sp, NULL) != SQLITE_OK)
        return store_sqlfail(st, "cannot look for the statement");
    return scan(st, *sp, cfg, exclude_doc, &(finder){.fn = fn, .user = user});
}

int store_match_paras(hs_store *st, const char *text, size_t len, store_para_fn fn, void *user)
{
    size_t nterms;
    int rc = query_terms(st, text, len, st->pvocab, 0x9e3779b97f4a7c15ull, "", &cfg_paras, &nterms);
    if (rc || !nterms)
        return rc;
    return scan(st, st->pcand, &cfg_paras, 0, &(finder){.pfn = fn, .user = user});
}
